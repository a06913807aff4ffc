/*
 * test_migrate_apply.c: the committed migrations of every case of
 * tests/migrate/cases (golden.sh checks that smc writes exactly them),
 * applied to real databases.  On a fresh database of each dialect:
 * create_all of new.smdl, its catalog read (the structure wanted after
 * up), the tables dropped; create_all of old.smdl, its catalog (wanted
 * after down), data.sql inserted, the rows read; the up script applied as
 * the runner will (below), then the catalog must equal create_all's of
 * the new schema and, after the statements of `after_up.sql` if any, the
 * rows `up.data`; the down script, then the
 * catalog must equal the old one's and the rows those before up (or
 * `down.data`, for a step that loses some).
 *
 * Applying a script: SQLite in BEGIN IMMEDIATE ... COMMIT, and when the
 * script's first line is the marker "-- smdl: foreign_keys=off",
 * PRAGMA foreign_keys=OFF before BEGIN, PRAGMA foreign_key_check before
 * COMMIT (any row fails the migration) and foreign_keys=ON after;
 * PostgreSQL in one transaction; MariaDB statement by statement (its DDL
 * commits).
 *
 * The catalogs: SQLite's pragma_table_info, pragma_index_list and
 * pragma_index_info, pragma_foreign_key_list and the CHECK lines of
 * sqlite_master; PostgreSQL's information_schema.columns, pg_constraint
 * (pg_get_constraintdef) and pg_indexes; MariaDB's information_schema
 * COLUMNS, STATISTICS, REFERENTIAL_CONSTRAINTS and CHECK_CONSTRAINTS.
 * Lines are sorted: a column added by a migration comes last in its
 * table, where create_all puts it in declaration order.
 *
 * A case may give its rows for one dialect as written for it
 * (`data.mysql.sql`: identifiers that a conversion of "quotes" would
 * break), and the rows expected there (`up.sqlite.data`: decimals read
 * as the integers SQLite stores).
 *
 * With SMC_UPDATE_GOLDEN=1 the `up.data` files are written instead of
 * compared (review them).
 *
 *   test_migrate_apply CASES_DIR
 */
#include "emit.h"
#include "tdb.h"

#include <dirent.h>

static const char *cases_dir;

typedef struct mcase {
    const char *name;
    char *create_old[SM_NDIALECTS], *create_new[SM_NDIALECTS], *drop_new[SM_NDIALECTS];
    char *up[SM_NDIALECTS], *down[SM_NDIALECTS];
    char *data;      /* may be NULL */
    char *data_for[SM_NDIALECTS]; /* data.<dialect>.sql, as is: instead of data.sql there */
    char *up_for[SM_NDIALECTS], *down_for[SM_NDIALECTS]; /* up.<dialect>.data, down.<...> */
    char *after_up;  /* statements run after up, before the rows are read (NULL: none) */
    char *up_data;   /* expected rows after up (NULL: not committed yet) */
    char *down_data; /* expected rows after down; NULL: those before up */
    const char *up_data_path;
} mcase;

static mcase *current;

/* ---- Files and schemas ------------------------------------------------------------------ */

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    sm_buf b = SM_BUF_INIT;
    char tmp[4096];
    for (size_t n; (n = fread(tmp, 1, sizeof tmp, f)) > 0;)
        assert_int_equal(sm_buf_append(&b, tmp, n), SM_OK);
    fclose(f);
    assert_int_equal(sm_buf_putc(&b, 0), SM_OK);
    return b.data;
}

static char *case_file(const char *name, const char *file)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s/%s", cases_dir, name, file);
    return slurp(path);
}

typedef struct ddl_job {
    mcase *c;
    bool old;
} ddl_job;

static void ddl(smc_ctx *ctx, void *arg)
{
    ddl_job *j = arg;
    for (int d = 0; d < SM_NDIALECTS; d++) {
        sm_buf b = SM_BUF_INIT;
        smc_sql_create_all(ctx, &smc_dialects[d], &b);
        (j->old ? j->c->create_old : j->c->create_new)[d] = strdup(b.data);
        sm_buf_free(&b);
        if (!j->old) {
            smc_sql_drop_all(ctx, &smc_dialects[d], &b);
            j->c->drop_new[d] = strdup(b.data);
            sm_buf_free(&b);
        }
    }
}

/* create_all (and drop_all) of old.smdl or new.smdl, per dialect. */
static void load_schema(mcase *c, bool old)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s/%s.smdl", cases_dir, c->name, old ? "old" : "new");
    smc_ctx ctx;
    smc_ctx_init(&ctx);
    int id = smc_source_load(&ctx, path, NULL);
    smc_file *f = id >= 0 ? smc_parse_file(&ctx, (uint32_t)id) : NULL;
    if (!f || !smc_check(&ctx, f))
        fail_msg("%s does not check", path);
    ddl_job j = {c, old};
    smc_out_run(&ctx, ddl, &j);
    assert_false(ctx.oom);
    smc_ctx_free(&ctx);
}

static void load_case(mcase *c, const char *name)
{
    memset(c, 0, sizeof *c);
    c->name = strdup(name);
    load_schema(c, true);
    load_schema(c, false);
    for (int d = 0; d < SM_NDIALECTS; d++) {
        char file[64];
        snprintf(file, sizeof file, "%s.up.sql", tdb_name((sm_dialect)d));
        c->up[d] = case_file(name, file);
        snprintf(file, sizeof file, "%s.down.sql", tdb_name((sm_dialect)d));
        c->down[d] = case_file(name, file);
        if (!c->up[d] || !c->down[d])
            fail_msg("case %s: no committed %s", name, file);
    }
    c->data = case_file(name, "data.sql");
    for (int d = 0; d < SM_NDIALECTS; d++) {
        char file[64];
        snprintf(file, sizeof file, "data.%s.sql", tdb_name((sm_dialect)d));
        c->data_for[d] = case_file(name, file);
        snprintf(file, sizeof file, "up.%s.data", tdb_name((sm_dialect)d));
        c->up_for[d] = case_file(name, file);
        snprintf(file, sizeof file, "down.%s.data", tdb_name((sm_dialect)d));
        c->down_for[d] = case_file(name, file);
    }
    c->after_up = case_file(name, "after_up.sql");
    c->up_data = case_file(name, "up.data");
    c->down_data = case_file(name, "down.data");
    char path[4096];
    snprintf(path, sizeof path, "%s/%s/up.data", cases_dir, name);
    c->up_data_path = strdup(path);
}

static void free_case(mcase *c)
{
    for (int d = 0; d < SM_NDIALECTS; d++) {
        free(c->create_old[d]);
        free(c->create_new[d]);
        free(c->drop_new[d]);
        free(c->up[d]);
        free(c->down[d]);
        free(c->data_for[d]);
        free(c->up_for[d]);
        free(c->down_for[d]);
    }
    free(c->data);
    free(c->after_up);
    free(c->up_data);
    free(c->down_data);
    free((char *)c->up_data_path);
    free((char *)c->name);
}

/* ---- Reading the database --------------------------------------------------------------- */

typedef struct lines {
    char **items;
    size_t n, cap;
} lines;

static void add_line(lines *ls, const char *s)
{
    if (ls->n == ls->cap) {
        ls->cap = ls->cap ? 2 * ls->cap : 64;
        ls->items = realloc(ls->items, ls->cap * sizeof *ls->items);
        assert_non_null(ls->items);
    }
    ls->items[ls->n++] = strdup(s);
}

static int cmp_line(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* No lines: items is NULL, which qsort must not get. */
static void sort_lines(lines *ls)
{
    if (ls->n)
        qsort(ls->items, ls->n, sizeof *ls->items, cmp_line);
}

/* The lines sorted and joined, each ending in '\n'; frees them. */
static char *joined(lines *ls)
{
    sort_lines(ls);
    sm_buf b = SM_BUF_INIT;
    for (size_t i = 0; i < ls->n; i++) {
        assert_int_equal(sm_buf_printf(&b, "%s\n", ls->items[i]), SM_OK);
        free(ls->items[i]);
    }
    free(ls->items);
    assert_int_equal(sm_buf_putc(&b, 0), SM_OK);
    return b.data;
}

/* Each row of a query as "prefix v1|v2|...". */
static void query_lines(tdb *t, lines *ls, const char *prefix, const char *sql,
                        const sm_value *params, size_t n)
{
    sm_rows *r;
    TDB_MUST(t, sm_query(&t->cx, t->conn, sql, params, n, &r));
    int rc;
    while ((rc = sm_rows_next(r)) == SM_ROW) {
        sm_buf b = SM_BUF_INIT;
        assert_int_equal(sm_buf_puts(&b, prefix), SM_OK);
        for (int i = 0; i < sm_rows_ncols(r); i++) {
            const char *v = sm_rows_is_null(r, i) ? "NULL" : sm_rows_text(r, i);
            assert_int_equal(sm_buf_printf(&b, "%s%s", i ? "|" : "", v ? v : "?"), SM_OK);
        }
        add_line(ls, b.data);
        sm_buf_free(&b);
    }
    sm_rows_close(r);
    TDB_MUST(t, rc == SM_DONE ? SM_OK : rc);
}

/* The tables of the database. */
static lines table_names(tdb *t)
{
    lines ls = {0};
    const char *sql = t->d == SM_SQLITE
        ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        : t->d == SM_POSTGRES
        ? "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
        : "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()";
    query_lines(t, &ls, "", sql, NULL, 0);
    sort_lines(&ls);
    return ls;
}

static void free_lines(lines *ls)
{
    for (size_t i = 0; i < ls->n; i++)
        free(ls->items[i]);
    free(ls->items);
}

static void sqlite_catalog(tdb *t, lines *out, const char *table)
{
    char pre[256];
    sm_value p[1] = {sm_text(table)};
    snprintf(pre, sizeof pre, "%s column ", table);
    query_lines(t, out, pre, "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(?)",
                p, 1);
    snprintf(pre, sizeof pre, "%s fk ", table);
    query_lines(t, out, pre,
                "SELECT \"table\", \"from\", \"to\", on_update, on_delete FROM "
                "pragma_foreign_key_list(?)", p, 1);
    snprintf(pre, sizeof pre, "%s index ", table);
    query_lines(t, out, pre,
                "SELECT l.name, l.\"unique\", (SELECT group_concat(name, ',') FROM "
                "(SELECT name FROM pragma_index_info(l.name) ORDER BY seqno)) "
                "FROM pragma_index_list(?) l", p, 1);
    /* Checks live in the table's text, one per line as create_all writes them. */
    lines sql = {0};
    query_lines(t, &sql, "", "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
                p, 1);
    for (size_t i = 0; i < sql.n; i++)
        for (char *line = strtok(sql.items[i], "\n"); line; line = strtok(NULL, "\n"))
            if (strstr(line, " CHECK (")) {
                while (*line == ' ')
                    line++;
                size_t n = strlen(line);
                if (n && line[n - 1] == ',')
                    line[n - 1] = 0;
                snprintf(pre, sizeof pre, "%s check %s", table, line);
                add_line(out, pre);
            }
    free_lines(&sql);
}

/* The structure of every table, sorted. */
static char *catalog(tdb *t)
{
    lines out = {0};
    if (t->d == SM_SQLITE) {
        lines names = table_names(t);
        for (size_t i = 0; i < names.n; i++) {
            char pre[256];
            snprintf(pre, sizeof pre, "table %s", names.items[i]);
            add_line(&out, pre);
            sqlite_catalog(t, &out, names.items[i]);
        }
        free_lines(&names);
    } else if (t->d == SM_POSTGRES) {
        query_lines(t, &out, "column ",
                    "SELECT table_name, column_name, data_type, character_maximum_length, "
                    "is_nullable, column_default, is_identity FROM information_schema.columns "
                    "WHERE table_schema = current_schema()", NULL, 0);
        query_lines(t, &out, "constraint ",
                    "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
                    "FROM pg_constraint WHERE connamespace = current_schema()::regnamespace",
                    NULL, 0);
        query_lines(t, &out, "index ",
                    "SELECT tablename, indexname, indexdef FROM pg_indexes "
                    "WHERE schemaname = current_schema()", NULL, 0);
    } else {
        query_lines(t, &out, "column ",
                    "SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, "
                    "EXTRA FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()",
                    NULL, 0);
        query_lines(t, &out, "index ",
                    "SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, SEQ_IN_INDEX, COLUMN_NAME, "
                    "SUB_PART FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()",
                    NULL, 0);
        query_lines(t, &out, "fk ",
                    "SELECT TABLE_NAME, CONSTRAINT_NAME, REFERENCED_TABLE_NAME, UPDATE_RULE, "
                    "DELETE_RULE FROM information_schema.REFERENTIAL_CONSTRAINTS "
                    "WHERE CONSTRAINT_SCHEMA = DATABASE()", NULL, 0);
        query_lines(t, &out, "check ",
                    "SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE FROM "
                    "information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()",
                    NULL, 0);
    }
    return joined(&out);
}

/* Every row of every table, "table: col=value ..." with the columns by
 * name, sorted. */
static char *rows(tdb *t)
{
    lines out = {0};
    lines names = table_names(t);
    for (size_t i = 0; i < names.n; i++) {
        /* A text of its own: a statement cached before the migration
         * may keep the column names it had then (MariaDB). */
        static unsigned reads;
        char q = t->d == SM_MYSQL ? '`' : '"';
        sm_buf sql = SM_BUF_INIT;
        assert_int_equal(sm_buf_printf(&sql, "SELECT * FROM %c", q), SM_OK);
        for (const char *p = names.items[i]; *p; p++) /* the quote doubled */
            assert_int_equal(*p == q ? sm_buf_printf(&sql, "%c%c", q, q) : sm_buf_putc(&sql, *p),
                             SM_OK);
        assert_int_equal(sm_buf_printf(&sql, "%c /* read %u */", q, ++reads), SM_OK);
        sm_rows *r;
        int qrc = sm_query(&t->cx, t->conn, sql.data, NULL, 0, &r);
        sm_buf_free(&sql);
        TDB_MUST(t, qrc);
        int rc;
        while ((rc = sm_rows_next(r)) == SM_ROW) {
            lines cols = {0};
            for (int k = 0; k < sm_rows_ncols(r); k++) {
                const char *v = sm_rows_is_null(r, k) ? "NULL" : sm_rows_text(r, k);
                char cell[512];
                snprintf(cell, sizeof cell, "%s=%s", sm_rows_name(r, k), v ? v : "?");
                add_line(&cols, cell);
            }
            char *joined_cols = joined(&cols);
            for (char *p = joined_cols; *p; p++)
                if (*p == '\n')
                    *p = p[1] ? ' ' : 0;
            char line[2048];
            snprintf(line, sizeof line, "%s: %s", names.items[i], joined_cols);
            free(joined_cols);
            add_line(&out, line);
        }
        sm_rows_close(r);
        TDB_MUST(t, rc == SM_DONE ? SM_OK : rc);
    }
    free_lines(&names);
    return joined(&out);
}

/* ---- Applying ---------------------------------------------------------------------------- */

static const char marker[] = "-- smdl: foreign_keys=off\n";

static bool blank(const char *sql)
{
    for (; *sql; sql++)
        if (*sql != ' ' && *sql != '\n')
            return false;
    return true;
}

/* Runs a migration script as the runner does (see the top). */
static void apply(tdb *t, const char *script)
{
    bool fk_off = strncmp(script, marker, sizeof marker - 1) == 0;
    if (blank(script))
        return;
    if (t->d == SM_MYSQL) {
        TDB_MUST(t, sm_exec_script(&t->cx, t->conn, script));
        return;
    }
    if (t->d == SM_SQLITE && fk_off)
        TDB_MUST(t, sm_exec(&t->cx, t->conn, "PRAGMA foreign_keys = OFF", NULL, 0, NULL));
    TDB_MUST(t, sm_begin(&t->cx, t->conn));
    TDB_MUST(t, sm_exec_script(&t->cx, t->conn, script));
    if (t->d == SM_SQLITE && fk_off) {
        lines bad = {0};
        query_lines(t, &bad, "", "PRAGMA foreign_key_check", NULL, 0);
        tdb_check(t, __FILE__, __LINE__, "foreign_key_check", bad.n == 0, "%zu rows", bad.n);
        free_lines(&bad);
    }
    TDB_MUST(t, sm_commit(&t->cx, t->conn));
    if (t->d == SM_SQLITE && fk_off)
        TDB_MUST(t, sm_exec(&t->cx, t->conn, "PRAGMA foreign_keys = ON", NULL, 0, NULL));
}

/* One statement per line; identifiers in "double quotes" made the
 * dialect's (raw: written for this dialect, as is). */
static void run_data(tdb *t, const char *data, bool raw)
{
    char *copy = strdup(data);
    for (char *line = strtok(copy, "\n"); line; line = strtok(NULL, "\n"))
        TDB_MUST(t, raw ? sm_exec(&t->cx, t->conn, line, NULL, 0, NULL)
                        : tdb_exec(t, line, NULL, 0));
    free(copy);
}

static void same(tdb *t, const char *what, const char *got, const char *want)
{
    tdb_check(t, __FILE__, __LINE__, what, strcmp(got, want) == 0,
              "case %s:\n--- want\n%s--- got\n%s", current->name, want, got);
}

static void body(tdb *t)
{
    mcase *c = current;
    int d = t->d;
    TDB_MUST(t, sm_exec_script(&t->cx, t->conn, c->create_new[d]));
    char *want_new = catalog(t);
    TDB_MUST(t, sm_exec_script(&t->cx, t->conn, c->drop_new[d]));
    TDB_MUST(t, sm_exec_script(&t->cx, t->conn, c->create_old[d]));
    char *want_old = catalog(t);
    if (c->data_for[d])
        run_data(t, c->data_for[d], true);
    else if (c->data)
        run_data(t, c->data, false);
    char *before = rows(t);

    apply(t, c->up[d]);
    char *got = catalog(t);
    same(t, "catalog after up", got, want_new);
    free(got);
    if (c->after_up)
        run_data(t, c->after_up, false);
    got = rows(t);
    if (getenv("SMC_UPDATE_GOLDEN") && strcmp(getenv("SMC_UPDATE_GOLDEN"), "1") == 0) {
        if (d == SM_SQLITE && !c->up_for[d]) { /* then run again to compare every dialect */
            FILE *f = fopen(c->up_data_path, "wb");
            assert_non_null(f);
            fputs(got, f);
            fclose(f);
        }
    } else {
        same(t, "rows after up", got, c->up_for[d] ? c->up_for[d] : c->up_data ? c->up_data
                                      : "(no up.data committed)\n");
    }
    free(got);

    apply(t, c->down[d]);
    got = catalog(t);
    same(t, "catalog after down", got, want_old);
    free(got);
    got = rows(t);
    same(t, "rows after down", got, c->down_for[d] ? c->down_for[d] : c->down_data ? c->down_data
                                                                                : before);
    free(got);
    free(want_new);
    free(want_old);
    free(before);
}

static void test_cases(void **state)
{
    (void)state;
    DIR *dir = opendir(cases_dir);
    assert_non_null(dir);
    lines names = {0};
    for (struct dirent *e; (e = readdir(dir));)
        if (e->d_name[0] != '.')
            add_line(&names, e->d_name);
    closedir(dir);
    sort_lines(&names);
    size_t ran = 0;
    for (size_t i = 0; i < names.n; i++) {
        char *status = case_file(names.items[i], "status");
        free(status);
        if (status) /* refused: nothing to apply */
            continue;
        mcase c;
        load_case(&c, names.items[i]);
        current = &c;
        tdb_each(NULL, body);
        free_case(&c);
        ran++;
    }
    free_lines(&names);
    assert_true(ran >= 20);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: test_migrate_apply CASES_DIR\n");
        return 2;
    }
    cases_dir = argv[1];
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_cases)};
    return tdb_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
