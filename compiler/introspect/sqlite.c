/*
 * sqlite.c: SQLite's catalog.  Tables come from sqlite_master in creation
 * order; columns, foreign keys and indexes from the table-valued pragmas;
 * CHECK constraints, which no pragma lists, from the CREATE TABLE text.
 * SQLite stores several smdl types alike (bool, int and decimal as
 * INTEGER; dates, times, uuids and enums as TEXT): a column reads back as
 * the type whose DDL it has, refined by what its CHECK or DEFAULT says
 * (an enum's IN list, json_valid, now(), uuid()).
 */
#include "introspect.h"

#include "dialect.h"

#include <ctype.h>
#include <string.h>

typedef smc_ireader reader;
#define query smc_iquery
#define text smc_itext

static uint8_t base_of(smc_ctx *ctx, smc_itable *t, smc_icol *c)
{
    static const struct { const char *sql; uint8_t base; } known[] = {
        {"INTEGER", SMC_B_INT}, {"REAL", SMC_B_FLOAT}, {"TEXT", SMC_B_TEXT}, {"BLOB", SMC_B_BYTES},
    };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (strcmp(c->sql_type, known[i].sql) == 0)
            return known[i].base;
    /* SQLite's own affinity rules, for a table smc did not write. */
    char up[64];
    size_t n = 0;
    for (; c->sql_type[n] && n + 1 < sizeof up; n++)
        up[n] = (char)toupper((unsigned char)c->sql_type[n]);
    up[n] = 0;
    uint8_t b = strstr(up, "INT")                                             ? SMC_B_INT
                : strstr(up, "CHAR") || strstr(up, "CLOB") || strstr(up, "TEXT") ? SMC_B_TEXT
                : strstr(up, "BLOB") || !*up                                   ? SMC_B_BYTES
                : strstr(up, "REAL") || strstr(up, "FLOA") || strstr(up, "DOUB") ? SMC_B_FLOAT
                                                                               : SMC_B_TEXT;
    smc_inote(ctx, t, smc_printf(ctx, "column %s: SQLite type '%s' is not one smc writes; read as %s",
                                 c->name, c->sql_type,
                                 b == SMC_B_INT ? "int" : b == SMC_B_FLOAT ? "float"
                                 : b == SMC_B_BYTES ? "bytes" : "text"));
    return b;
}

/* ---- CHECK constraints from the CREATE TABLE text --------------------------------- */

/* The end of the parenthesised text starting at s (at '('), or NULL. */
static const char *close_paren(const char *s)
{
    int depth = 0;
    for (; *s; s++) {
        if (*s == '\'' || *s == '"' || *s == '`') {
            char q = *s;
            for (s++; *s && !(*s == q && s[1] != q); s++)
                if (*s == q)
                    s++;
            if (!*s)
                return NULL;
        } else if (*s == '(') {
            depth++;
        } else if (*s == ')' && --depth == 0) {
            return s;
        }
    }
    return NULL;
}

static smc_icol *find_col(smc_itable *t, const char *name, size_t n)
{
    for (uint32_t i = 0; i < t->ncols; i++)
        if (strlen(t->cols[i].name) == n && memcmp(t->cols[i].name, name, n) == 0)
            return &t->cols[i];
    return NULL;
}

/* `"c"` at s: the column, s moved past it. */
static smc_icol *quoted_col(smc_itable *t, const char **s)
{
    if (**s != '"')
        return NULL;
    const char *e = strchr(*s + 1, '"');
    if (!e)
        return NULL;
    smc_icol *c = find_col(t, *s + 1, (size_t)(e - *s - 1));
    *s = e + 1;
    return c;
}

/* `'a', 'b')` at s: the values (no quote inside), or false. */
static bool values(smc_ctx *ctx, const char *s, smc_icol *c)
{
    const char **v = NULL;
    uint32_t n = 0;
    for (;;) {
        if (*s != '\'')
            return false;
        const char *e = strchr(s + 1, '\'');
        if (!e || e[1] == '\'')
            return false;
        v = smc_igrow(ctx, v, n, sizeof *v);
        char *x = smc_alloc(ctx, (size_t)(e - s));
        memcpy(x, s + 1, (size_t)(e - s - 1));
        v[n++] = x;
        s = e + 1;
        if (strncmp(s, ", ", 2) == 0)
            s += 2;
        else if (strcmp(s, ")") == 0)
            break;
        else
            return false;
    }
    c->values = v;
    c->nvalues = n;
    return true;
}

bool smc_icheck_typed(smc_ctx *ctx, smc_itable *t, const char *e)
{
    const char *s = e;
    smc_icol *c = quoted_col(t, &s), *c2;
    if (c && strncmp(s, " IS NULL OR ", 12) == 0) {
        s += 12;
        if (*s == '"' && quoted_col(t, &s) != c)
            return false;
    } else if (!c) {
        s = e;
    }
    if (c && s[-1] == '"' && strncmp(s, " IN (", 5) == 0)
        return values(ctx, s + 5, c);
    if (strncmp(s, "json_valid(", 11) == 0) {
        s += 11;
        c2 = quoted_col(t, &s);
        if (!c2 || (c && c2 != c) || strcmp(s, ")") != 0 || c2->base != SMC_B_TEXT)
            return false;
        c2->base = SMC_B_JSON;
        return true;
    }
    return false;
}

static void checks(smc_ctx *ctx, smc_itable *t, const char *sql)
{
    for (const char *s = sql; s && (s = strstr(s, "CONSTRAINT ")) != NULL;) {
        s += 11;
        if (*s != '"')
            break;
        /* The name, its doubled quotes undone. */
        char *nm = smc_alloc(ctx, strlen(s) + 1);
        size_t nlen = 0;
        for (s++; *s && !(*s == '"' && s[1] != '"'); s++) {
            nm[nlen++] = *s;
            s += *s == '"';
        }
        if (!*s)
            break;
        s++;
        if (strncmp(s, " CHECK (", 8) != 0)
            continue;
        const char *open = s + 7, *end = close_paren(open);
        if (!end)
            break;
        char *e = smc_alloc(ctx, (size_t)(end - open));
        memcpy(e, open + 1, (size_t)(end - open - 1));
        s = end;
        if (smc_icheck_typed(ctx, t, e))
            continue;
        t->checks = smc_igrow(ctx, t->checks, t->nchecks, sizeof *t->checks);
        t->check_names = smc_igrow(ctx, t->check_names, t->nchecks, sizeof *t->check_names);
        t->check_names[t->nchecks] = nm;
        t->checks[t->nchecks++] = e;
    }
}

/* ---- Tables ------------------------------------------------------------------------------ */

static bool columns(reader *r, smc_itable *t)
{
    sm_rows *rows = query(r, smc_printf(r->ctx, "SELECT name, type, \"notnull\", dflt_value, pk "
                                                "FROM pragma_table_info(%s) ORDER BY cid",
                                        smc_ilit(r->ctx, t->name)));
    if (!rows)
        return false;
    const char **pk = NULL;
    int64_t *pos = NULL;
    int rc;
    while ((rc = sm_rows_next(rows)) == SM_ROW) {
        t->cols = smc_igrow(r->ctx, t->cols, t->ncols, sizeof *t->cols);
        smc_icol *c = &t->cols[t->ncols++];
        c->name = text(r, rows, 0);
        c->sql_type = text(r, rows, 1);
        c->nullable = sm_rows_int(rows, 2) == 0;
        c->deflt = text(r, rows, 3);
        c->max_len = -1;
        c->base = base_of(r->ctx, t, c);
        int64_t k = sm_rows_int(rows, 4);
        if (k > 0) {
            pk = smc_igrow(r->ctx, pk, t->pk.ncols, sizeof *pk);
            pos = smc_igrow(r->ctx, pos, t->pk.ncols, sizeof *pos);
            pk[t->pk.ncols] = c->name;
            pos[t->pk.ncols++] = k;
        }
    }
    sm_rows_close(rows);
    if (rc != SM_DONE) {
        *r->why = smc_strdup(r->ctx, sm_cx_errmsg(r->cx));
        return false;
    }
    /* The key's columns in key order. */
    t->pk.cols = smc_alloc(r->ctx, (t->pk.ncols + 1) * sizeof *t->pk.cols);
    for (uint32_t i = 0; i < t->pk.ncols; i++)
        t->pk.cols[pos[i] - 1 < t->pk.ncols ? pos[i] - 1 : i] = pk[i];
    return true;
}

const char *smc_iaction(const char *sql)
{
    static const char *const map[][2] = {
        {"CASCADE", "cascade"}, {"SET NULL", "set_null"}, {"RESTRICT", "restrict"},
        {"SET DEFAULT", "set_default"},
    };
    for (size_t i = 0; sql && i < sizeof map / sizeof map[0]; i++)
        if (strcmp(sql, map[i][0]) == 0)
            return map[i][1];
    return NULL; /* NO ACTION: smdl's default */
}

static bool foreign_keys(reader *r, smc_itable *t)
{
    sm_rows *rows = query(r, smc_printf(r->ctx, "SELECT id, \"table\", \"from\", \"to\", on_delete, "
                                                "on_update FROM pragma_foreign_key_list(%s) "
                                                "ORDER BY id, seq",
                                        smc_ilit(r->ctx, t->name)));
    if (!rows)
        return false;
    int rc;
    int64_t id = -1;
    while ((rc = sm_rows_next(rows)) == SM_ROW) {
        if (sm_rows_int(rows, 0) != id) {
            id = sm_rows_int(rows, 0);
            t->fks = smc_igrow(r->ctx, t->fks, t->nfks, sizeof *t->fks);
            smc_ilist *f = &t->fks[t->nfks++];
            f->ref_table = text(r, rows, 1);
            f->on_delete = smc_iaction(sm_rows_text(rows, 4));
            f->on_update = smc_iaction(sm_rows_text(rows, 5));
        }
        smc_ilist *f = &t->fks[t->nfks - 1];
        f->cols = smc_igrow(r->ctx, f->cols, f->ncols, sizeof *f->cols);
        f->ref_cols = smc_igrow(r->ctx, f->ref_cols, f->ncols, sizeof *f->ref_cols);
        f->cols[f->ncols] = text(r, rows, 2);
        f->ref_cols[f->ncols++] = text(r, rows, 3);
    }
    sm_rows_close(rows);
    if (rc != SM_DONE)
        *r->why = smc_strdup(r->ctx, sm_cx_errmsg(r->cx));
    return rc == SM_DONE;
}

static bool indexes(reader *r, smc_itable *t)
{
    /* Oldest first: sqlite_master's order, the key's own index left out. */
    sm_rows *rows = query(r, smc_printf(r->ctx, "SELECT l.name, l.\"unique\", l.origin FROM "
                                                "pragma_index_list(%s) l LEFT JOIN sqlite_master m "
                                                "ON m.name = l.name WHERE l.origin <> 'pk' "
                                                "ORDER BY m.rowid",
                                        smc_ilit(r->ctx, t->name)));
    if (!rows)
        return false;
    int rc;
    while ((rc = sm_rows_next(rows)) == SM_ROW) {
        t->indexes = smc_igrow(r->ctx, t->indexes, t->nindexes, sizeof *t->indexes);
        smc_ilist *x = &t->indexes[t->nindexes++];
        x->name = strcmp(sm_rows_text(rows, 2), "c") == 0 ? text(r, rows, 0) : NULL;
        x->unique = sm_rows_int(rows, 1) != 0;
        x->ref_table = text(r, rows, 0); /* to read its columns below */
    }
    sm_rows_close(rows);
    if (rc != SM_DONE) {
        *r->why = smc_strdup(r->ctx, sm_cx_errmsg(r->cx));
        return false;
    }
    for (uint32_t i = 0; i < t->nindexes; i++) {
        smc_ilist *x = &t->indexes[i];
        rows = query(r, smc_printf(r->ctx, "SELECT name FROM pragma_index_info(%s) ORDER BY seqno",
                                   smc_ilit(r->ctx, x->ref_table)));
        if (!rows)
            return false;
        while ((rc = sm_rows_next(rows)) == SM_ROW) {
            x->cols = smc_igrow(r->ctx, x->cols, x->ncols, sizeof *x->cols);
            const char *c = text(r, rows, 0);
            x->cols[x->ncols++] = c ? c : "?"; /* an expression: reported by build.c */
        }
        sm_rows_close(rows);
        x->ref_table = NULL;
        if (rc != SM_DONE) {
            *r->why = smc_strdup(r->ctx, sm_cx_errmsg(r->cx));
            return false;
        }
    }
    return true;
}

/* What a DEFAULT tells of the type SQLite's DDL does not show. */
static void refine(smc_icol *c)
{
    const smc_dialect *d = &smc_dialects[SM_SQLITE];
    if (!c->deflt)
        return;
    static const uint8_t now[3] = {SMC_B_DATE, SMC_B_TIME, SMC_B_DATETIME};
    for (int i = 0; i < 3; i++)
        if (c->base == SMC_B_TEXT && smc_same_default(c->deflt, d->now_default[i]))
            c->base = now[i];
    if (c->base == SMC_B_TEXT && smc_same_default(c->deflt, d->uuid_default))
        c->base = SMC_B_UUID;
}

bool smc_introspect_sqlite(smc_ctx *ctx, sm_cx *cx, sm_conn *conn, smc_icatalog *cat,
                           const char **why)
{
    reader r = {ctx, cx, conn, why};
    cat->dialect = SM_SQLITE;
    sm_rows *rows = query(&r, "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND "
                              "name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name <> 'smdl_migrations' "
                              "ORDER BY rowid");
    if (!rows)
        return false;
    const char **sqls = NULL;
    int rc;
    while ((rc = sm_rows_next(rows)) == SM_ROW) {
        cat->tables = smc_igrow(ctx, cat->tables, cat->ntables, sizeof *cat->tables);
        sqls = smc_igrow(ctx, sqls, cat->ntables, sizeof *sqls);
        memset(&cat->tables[cat->ntables], 0, sizeof cat->tables[0]);
        cat->tables[cat->ntables].name = text(&r, rows, 0);
        sqls[cat->ntables++] = text(&r, rows, 1);
    }
    sm_rows_close(rows);
    if (rc != SM_DONE) {
        *why = smc_strdup(ctx, sm_cx_errmsg(cx));
        return false;
    }
    for (uint32_t i = 0; i < cat->ntables; i++) {
        smc_itable *t = &cat->tables[i];
        if (!columns(&r, t) || !foreign_keys(&r, t) || !indexes(&r, t))
            return false;
        checks(ctx, t, sqls[i]);
        for (uint32_t k = 0; k < t->ncols; k++)
            refine(&t->cols[k]);
        if (sqls[i] && strstr(sqls[i], "AUTOINCREMENT"))
            smc_inote(ctx, t, "AUTOINCREMENT (no reuse of deleted keys) is not kept");
    }
    return true;
}
