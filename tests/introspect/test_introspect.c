/*
 * test_introspect: `smc introspect` and `smc migrate diff --db` on the
 * three databases.
 *
 * Round trip: for each schema of the repository that has tables, on a
 * fresh database, create_all's DDL (from `smc sql`, the schemas it
 * imports first), then `smc introspect`; the result checks, its DDL is
 * the original's (as a set of lines: MariaDB keeps no creation order of
 * tables nor indexes), and `smc migrate diff --db` against the original
 * finds exactly the drift listed below: nothing, or what the database
 * cannot tell apart (see docs/migrations.md, "Introspecting a database").
 *
 * Then focused cases: drift made by hand, what smdl cannot express,
 * an empty database, an unreachable one.
 *
 *   test_introspect SMC SOURCE_ROOT
 */
#include "tdb.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

static const char *smc, *root;
static char dir[256];

typedef struct rt_case {
    const char *files; /* space-separated: the imported ones first, the schema last */
    const char *drift[SM_NDIALECTS]; /* the steps `migrate diff` lists, or NULL: in sync */
    unsigned ddl_differs; /* dialects (bits) whose database cannot tell the DDL's forms apart */
} rt_case;

/* What the databases cannot tell apart reaches the DDL of the schema
 * read back, not the drift: MariaDB reports an explicit ON DELETE
 * RESTRICT as its default, read back as the default, which the differ
 * compares alike there (fk_no_action_alike); SQLite stores decimal(p, s)
 * as INTEGER, read back as int, which the drift does not compare. */
#define ON(d) (1u << (d))

/* Every schema of the repository that checks and has tables, but the
 * fuzzers' inputs and the migration tests' before/after pairs. */
static const rt_case cases[] = {
    {"examples/heroes/heroes.smdl", {0}, 0},
    {"examples/heroes/delete_set_null.smdl", {0}, 0},
    {"examples/heroes/delete_restrict.smdl", {0}, ON(SM_MYSQL)},
    {"examples/heroes/relationships.smdl", {0}, 0},
    {"examples/heroes/many_to_many.smdl", {0}, 0},
    {"examples/heroes/hero_fields.smdl", {0}, 0},
    {"tests/schemas/alltypes.smdl", {0}, ON(SM_MYSQL)},
    {"tests/schemas/corners.smdl", {0}, 0},
    {"tests/schemas/heroes.smdl", {0}, 0},
    /* A check on a column whose name is no smdl name: the field read back
     * has another name, and the check's canonical text another hash,
     * which reaches the DDL; the drift compares the database's name. */
    {"tests/schemas/hostile.smdl", {0}, ON(SM_SQLITE) | ON(SM_POSTGRES) | ON(SM_MYSQL)},
    {"tests/schemas/queries.smdl", {0}, 0},
    {"tests/schemas/rels.smdl", {0}, ON(SM_MYSQL)},
    {"tests/schemas/secret.smdl", {0}, 0},
    /* The database holds an imported file's table the schema does not
     * use (league): the schema declares it, so it is no drift. */
    {"tests/schemas/cross/teams.smdl tests/schemas/cross/heroes.smdl", {0}, 0},
    {"tests/integration/runtime.smdl", {0}, 0},
    {"tests/integration/relkeys.smdl", {0}, 0},
    {"tests/integration/relharbor.smdl tests/integration/relfleet.smdl", {0}, 0},
    {"bench/smc/hero.smdl", {0}, 0},
    {"bench/relations/rel.smdl", {0}, 0},
    {"tests/downstream/app.smdl", {0}, 0},
    {"tests/fuzz/schema/fuzzjson.smdl", {0}, 0},
    {"tests/migrate_run/shop/shop.smdl", {0}, 0},
    /* Keywords as column names read back as other field names (limit_),
     * which a check's name (a hash of its text) follows; and MariaDB
     * stores `not (a > b)` as `a <= b`. */
    {"tests/mutation/seeds/blog.smdl", {NULL, NULL, "  change check ck_posts_5759a3ad of posts\n"},
     ON(SM_SQLITE) | ON(SM_POSTGRES) | ON(SM_MYSQL)},
    {"tests/mutation/seeds/heroes.smdl", {0}, 0},
    {"tests/pool/stress.smdl", {0}, 0},
    {"tests/relations/rel_shapes.smdl", {0}, ON(SM_MYSQL)},
    {"tests/relations/right.smdl tests/relations/left.smdl", {0}, 0},
};

/* Runs a shell command; its exit status, its stdout (and stderr) in out. */
static int run(char *out, size_t n, const char *fmt, ...)
{
    char cmd[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t k = 0;
    if (out && n) {
        k = fread(out, 1, n - 1, p);
        out[k] = 0;
    } else {
        char sink[4096];
        while (fread(sink, 1, sizeof sink, p) > 0) {
        }
    }
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static char big[1 << 20], big2[1 << 20];

/* The create_all section of `smc sql FILE --dialect D`, as text. */
static void create_all(const char *file, const char *d, char *out, size_t n)
{
    int rc = run(out, n, "'%s' sql '%s' --dialect %s 2>&1 | sed -n '/_create_all$/,/_drop_all$/p' | "
                         "grep -v '^-- '", smc, file, d);
    assert_int_equal(rc, 0);
}

/* Runs a create_all section as smc wrote it. */
static void exec_ddl(tdb *t, const char *ddl)
{
    if (sm_exec_script(&t->cx, t->conn, ddl) != SM_OK)
        fail_msg("%s: %s: %s", tdb_where(), sm_cx_errmsg(&t->cx), ddl);
}

static int cmp_line(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The lines of text, sorted, each without a trailing ',' (a list's last
 * item has none), joined again. */
static void sorted_lines(char *text)
{
    static char *lines[1 << 14];
    size_t n = 0;
    for (char *s = strtok(text, "\n"); s && n < sizeof lines / sizeof lines[0]; s = strtok(NULL, "\n")) {
        size_t len = strlen(s);
        if (len && s[len - 1] == ',')
            s[len - 1] = 0;
        lines[n++] = s;
    }
    qsort(lines, n, sizeof *lines, cmp_line);
    static char joined[1 << 20];
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += (size_t)snprintf(joined + k, sizeof joined - k, "%s\n", lines[i]);
    memcpy(text, joined, k + 1);
}

static const rt_case *cur;

/* The steps of a `migrate diff` report: its lines that start with two
 * spaces, before the SQL. */
static void steps_of(const char *report, char *out, size_t n)
{
    size_t k = 0;
    out[0] = 0;
    for (const char *s = report; *s && strncmp(s, "-- ", 3) != 0;) {
        const char *e = strchr(s, '\n');
        size_t len = e ? (size_t)(e - s + 1) : strlen(s);
        if (strncmp(s, "  ", 2) == 0 && k + len < n) {
            memcpy(out + k, s, len);
            k += len;
            out[k] = 0;
        }
        s += len;
    }
}

static void round_trip(tdb *t)
{
    char files[1024], *last = NULL;
    snprintf(files, sizeof files, "%s", cur->files);
    for (char *f = strtok(files, " "); f; f = strtok(NULL, " ")) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", root, f);
        create_all(path, t->name, big, sizeof big);
        exec_ddl(t, big);
        last = f;
    }
    char schema[1024], out[1024], intro[512];
    snprintf(schema, sizeof schema, "%s/%s", root, last);
    snprintf(intro, sizeof intro, "%s/rt.smdl", dir);
    int rc = run(out, sizeof out, "'%s' introspect '%s' --module rt > '%s'", smc, t->url, intro);
    tdb_check_int(t, __FILE__, __LINE__, "smc introspect", rc, 0);
    rc = run(out, sizeof out, "'%s' check '%s' 2>&1", smc, intro);
    if (!tdb_check_int(t, __FILE__, __LINE__, "smc check of the introspected schema", rc, 0))
        print_message("%s\n", out);
    /* The same DDL, on this database: the files' together. */
    big[0] = 0;
    snprintf(files, sizeof files, "%s", cur->files);
    for (char *f = strtok(files, " "); f; f = strtok(NULL, " ")) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", root, f);
        size_t k = strlen(big);
        create_all(path, t->name, big + k, sizeof big - k);
    }
    create_all(intro, t->name, big2, sizeof big2);
    sorted_lines(big);
    sorted_lines(big2);
    if (!(cur->ddl_differs & ON(t->d)))
        tdb_check_str(t, __FILE__, __LINE__, "create_all of the introspected schema", big2, big);
    else /* what the database does not tell apart reaches the DDL */
        tdb_check(t, __FILE__, __LINE__, "create_all of the introspected schema differs",
                  strcmp(big, big2) != 0, "the same DDL, but a drift is expected");
    rc = run(big, sizeof big, "'%s' migrate diff --db '%s' '%s' 2>&1", smc, t->url, schema);
    const char *want = cur->drift[t->d];
    char steps[8192];
    steps_of(big, steps, sizeof steps);
    if (!tdb_check_int(t, __FILE__, __LINE__, "smc migrate diff", rc, want ? 1 : 0))
        print_message("%s\n", big);
    tdb_check_str(t, __FILE__, __LINE__, "the drift", steps, want ? want : "");
    if (!want)
        tdb_check(t, __FILE__, __LINE__, "in sync", strstr(big, "smc: the database matches") == big,
                  "%s", big);
}

static void test_round_trip(void **state)
{
    cur = *state;
    print_message("round trip: %s\n", cur->files);
    tdb_each(NULL, round_trip);
}

/* ---- Focused cases ------------------------------------------------------------------------ */

static void empty_db(tdb *t)
{
    char out[4096], want[256];
    int rc = run(out, sizeof out, "'%s' introspect '%s' --module rt 2>&1", smc, t->url);
    tdb_check_int(t, __FILE__, __LINE__, "exit status", rc, 0);
    static const char *const names[] = {"SQLite", "PostgreSQL", "MariaDB/MySQL"};
    snprintf(want, sizeof want, "// Read from a %s database by smc introspect.\nmodule rt;\n",
             names[t->d]);
    tdb_check_str(t, __FILE__, __LINE__, "an empty database", out, want);
}

static void test_empty(void **state)
{
    (void)state;
    tdb_each(NULL, empty_db);
}

/* A column added by hand is drift: the schema would drop it. */
static void by_hand(tdb *t)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/examples/heroes/heroes.smdl", root);
    create_all(path, t->name, big, sizeof big);
    exec_ddl(t, big);
    int rc = run(big, sizeof big, "'%s' migrate diff --db '%s' '%s' 2>&1", smc, t->url, path);
    tdb_check_int(t, __FILE__, __LINE__, "in sync first", rc, 0);
    exec_ddl(t, "ALTER TABLE hero ADD COLUMN nick TEXT;\n");
    rc = run(big, sizeof big, "SMDL_DATABASE_URL='%s' '%s' migrate diff '%s' 2>&1", t->url, smc, path);
    tdb_check_int(t, __FILE__, __LINE__, "drift", rc, 1);
    char steps[1024];
    steps_of(big, steps, sizeof steps);
    tdb_check_str(t, __FILE__, __LINE__, "the drift", steps, "  drop column hero.nick\n");
}

static void test_by_hand(void **state)
{
    (void)state;
    tdb_each(NULL, by_hand);
}

/* A check on a field whose column has another name is named after the
 * field: the drift compares the name the database holds, not the one the
 * checker gives the check read back (on a field named after the column). */
static void check_on_column(tdb *t)
{
    char path[512];
    snprintf(path, sizeof path, "%s/col.smdl", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("module col;\ntable Item {\n    id: int @pk;\n    price: int @column(\"cost\");\n"
          "    check (price >= 0);\n}\n", f);
    assert_int_equal(fclose(f), 0);
    create_all(path, t->name, big, sizeof big);
    exec_ddl(t, big);
    int rc = run(big, sizeof big, "'%s' migrate diff --db '%s' '%s' 2>&1", smc, t->url, path);
    if (!tdb_check_int(t, __FILE__, __LINE__, "in sync", rc, 0))
        print_message("%s\n", big);
}

static void test_check_on_column(void **state)
{
    (void)state;
    tdb_each(NULL, check_on_column);
}

/* What smdl cannot express is named in a comment, exactly; the rest
 * still checks, and the differ finds nothing to do between the database
 * and the schema read back. */
static void inexpressible(tdb *t)
{
    exec_ddl(t, "CREATE TABLE pair (a INTEGER NOT NULL, b INTEGER NOT NULL, PRIMARY KEY (a, b));\n"
                "CREATE TABLE uses (id INTEGER NOT NULL PRIMARY KEY, x INTEGER, y INTEGER, "
                "z INTEGER, CONSTRAINT fk_xy FOREIGN KEY (x, y) REFERENCES pair (a, b) "
                "ON DELETE CASCADE ON UPDATE SET NULL);\n"
                "CREATE INDEX my_idx ON uses (y, x);\n"
                "CREATE UNIQUE INDEX my_uq ON uses (z);\n"
                "CREATE INDEX ix_uses_z_x ON uses (z, x);\n");
    char intro[512], out[4096], want[1024];
    snprintf(intro, sizeof intro, "%s/odd.smdl", dir);
    int rc = run(out, sizeof out, "'%s' introspect '%s' --module odd > '%s'", smc, t->url, intro);
    tdb_check_int(t, __FILE__, __LINE__, "exit status", rc, 0);
    rc = run(big, sizeof big, "cat '%s'", intro);
    /* SQLite keeps no foreign key's name. */
    snprintf(want, sizeof want,
             "// %sFOREIGN KEY (x, y) REFERENCES pair (a, b) ON DELETE CASCADE ON UPDATE SET NULL "
             "is left out: an smdl foreign key is on one column\n"
             "// index my_idx on (y, x) is named ix_uses_y_x by smdl, which cannot name it "
             "otherwise\n"
             "// unique constraint my_uq on (z) is named uq_uses_z by smdl, which cannot name it "
             "otherwise\n"
             "table Uses {\n",
             t->d == SM_SQLITE ? "" : "CONSTRAINT fk_xy ");
    tdb_check(t, __FILE__, __LINE__, "the notes", strstr(big, want) != NULL, "%s", big);
    tdb_check(t, __FILE__, __LINE__, "the key", strstr(big, "    primary key (a, b);\n") != NULL,
              "%s", big);
    tdb_check(t, __FILE__, __LINE__, "the indexes",
              strstr(big, "    unique (z);\n") && strstr(big, "    index (y, x);\n") &&
                  strstr(big, "    index (z, x);\n"), "%s", big);
    rc = run(out, sizeof out, "'%s' check '%s' 2>&1", smc, intro);
    tdb_check_int(t, __FILE__, __LINE__, "it checks", rc, 0);
    rc = run(out, sizeof out, "'%s' migrate diff --db '%s' '%s' 2>&1", smc, t->url, intro);
    if (!tdb_check_int(t, __FILE__, __LINE__, "nothing to do", rc, 0))
        print_message("%s\n", out);
}

static void test_inexpressible(void **state)
{
    (void)state;
    tdb_each(NULL, inexpressible);
}

/* Bad input: a clear message, no crash. */
static void test_bad_input(void **state)
{
    (void)state;
    char out[4096];
    int rc = run(out, sizeof out, "'%s' introspect postgres://smdl:smdl@127.0.0.1:1/none 2>&1", smc);
    assert_int_equal(rc, 1);
    assert_non_null(strstr(out, "smc: cannot open the database: "));
    rc = run(out, sizeof out, "'%s' introspect mysql://smdl:smdl@127.0.0.1:1/none 2>&1", smc);
    assert_int_equal(rc, 1);
    assert_non_null(strstr(out, "smc: cannot open the database: "));
    /* A SQLite file that does not exist is not created. */
    char want[600], path[512];
    rc = run(out, sizeof out, "'%s' introspect 'sqlite://%s/no/such/dir/x.db' 2>&1", smc, dir);
    assert_int_equal(rc, 1);
    snprintf(want, sizeof want, "smc: no such database: %s/no/such/dir/x.db\n", dir);
    assert_string_equal(out, want);
    snprintf(path, sizeof path, "%s/missing.db", dir);
    rc = run(out, sizeof out, "'%s' introspect 'sqlite:%s' 2>&1", smc, path);
    assert_int_equal(rc, 1);
    snprintf(want, sizeof want, "smc: no such database: %s\n", path);
    assert_string_equal(out, want);
    rc = run(out, sizeof out, "'%s' migrate diff --db 'sqlite:%s' '%s/examples/heroes/heroes.smdl' "
                              "2>&1", smc, path, root);
    assert_int_equal(rc, 1);
    assert_string_equal(out, want);
    assert_int_equal(access(path, F_OK), -1);
    rc = run(out, sizeof out, "env -u SMDL_DATABASE_URL '%s' introspect 2>&1", smc);
    assert_int_equal(rc, 2);
    assert_non_null(strstr(out, "smc: no database: give URL or set SMDL_DATABASE_URL\n"));
    rc = run(out, sizeof out, "env -u SMDL_DATABASE_URL '%s' migrate diff x.smdl 2>&1", smc);
    assert_int_equal(rc, 2);
    assert_non_null(strstr(out, "smc: no database: give --db URL or set SMDL_DATABASE_URL\n"));
    rc = run(out, sizeof out, "'%s' introspect --bogus 2>&1", smc);
    assert_int_equal(rc, 2);
    assert_non_null(strstr(out, "smc: unknown option '--bogus'\n"));
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: test_introspect SMC SOURCE_ROOT\n");
        return 2;
    }
    smc = argv[1];
    root = argv[2];
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/smdl_introspect_XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir))
        return perror("mkdtemp"), 1;
    enum { NCASES = sizeof cases / sizeof cases[0] };
    struct CMUnitTest tests[NCASES + 5] = {
        cmocka_unit_test(test_empty), cmocka_unit_test(test_by_hand),
        cmocka_unit_test(test_check_on_column), cmocka_unit_test(test_inexpressible),
        cmocka_unit_test(test_bad_input),
    };
    for (size_t i = 0; i < NCASES; i++) {
        struct CMUnitTest u = cmocka_unit_test_prestate(test_round_trip, (void *)&cases[i]);
        u.name = cases[i].files;
        tests[5 + i] = u;
    }
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    char rm[600];
    snprintf(rm, sizeof rm, "rm -rf '%s'", dir);
    if (system(rm) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return tdb_exit(failed);
}
