/*
 * pg.c: PostgreSQL's catalog, in the current schema: tables from
 * pg_class in creation order, columns from pg_attribute (format_type
 * names the type, pg_get_expr the DEFAULT), keys, unique, foreign key and
 * check constraints from pg_constraint, other indexes from pg_index.
 * PostgreSQL rewrites what it stores: `c IN ('a', 'b')` comes back as
 * `(c)::text = ANY ((ARRAY['a'::character varying, ...])::text[])`,
 * literals carry casts, expressions gain parentheses; each is read back
 * to the form smc writes.
 */
#include "introspect.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define SEP "\x01" /* separates names in an aggregated list */

static const char **split(smc_ctx *ctx, const char *s, uint32_t *n)
{
    const char **v = NULL;
    *n = 0;
    while (s) {
        const char *e = strchr(s, SEP[0]);
        size_t len = e ? (size_t)(e - s) : strlen(s);
        char *x = smc_alloc(ctx, len + 1);
        memcpy(x, s, len);
        v = smc_igrow(ctx, v, *n, sizeof *v);
        v[(*n)++] = x;
        s = e ? e + 1 : NULL;
    }
    return v;
}

static void set_type(smc_ctx *ctx, smc_itable *t, smc_icol *c)
{
    static const smc_itype_name known[] = {
        {"bigint", SMC_B_INT}, {"integer", SMC_B_I32}, {"smallint", SMC_B_I16},
        {"boolean", SMC_B_BOOL}, {"double precision", SMC_B_FLOAT}, {"text", SMC_B_TEXT},
        {"bytea", SMC_B_BYTES}, {"date", SMC_B_DATE}, {"time without time zone", SMC_B_TIME},
        {"timestamp with time zone", SMC_B_DATETIME}, {"uuid", SMC_B_UUID}, {"json", SMC_B_JSON},
    };
    smc_itype(ctx, t, c, c->sql_type, known, sizeof known / sizeof known[0], "numeric(%u,%u%c",
              "character varying(%u%c", "PostgreSQL");
}

/* Removes the casts PostgreSQL adds (`'a'::character varying`,
 * `(c)::text`, `::text[]`) from an expression's text. */
static char *uncast(smc_ctx *ctx, const char *s)
{
    size_t n = strlen(s), k = 0;
    char *o = smc_alloc(ctx, n + 1);
    for (size_t i = 0; i < n;) {
        if (s[i] == '\'') { /* a string, copied whole */
            o[k++] = s[i++];
            while (i < n && !(s[i] == '\'' && s[i + 1] != '\'')) {
                if (s[i] == '\'')
                    o[k++] = s[i++];
                o[k++] = s[i++];
            }
            if (i < n)
                o[k++] = s[i++];
        } else if (s[i] == ':' && s[i + 1] == ':') {
            i += 2;
            /* A type name: words, a space between two words, (n), []. */
            for (;;) {
                while (i < n && (isalnum((unsigned char)s[i]) || s[i] == '_' || s[i] == '"'))
                    i++;
                if (s[i] == '(' && isdigit((unsigned char)s[i + 1])) {
                    while (i < n && s[i] != ')')
                        i++;
                    i++;
                }
                if (s[i] == '[' && s[i + 1] == ']')
                    i += 2;
                if (s[i] == ' ' && (isalpha((unsigned char)s[i + 1])) &&
                    (strncmp(s + i + 1, "varying", 7) == 0 || strncmp(s + i + 1, "precision", 9) == 0 ||
                     strncmp(s + i + 1, "with", 4) == 0 || strncmp(s + i + 1, "without", 7) == 0 ||
                     strncmp(s + i + 1, "time", 4) == 0 || strncmp(s + i + 1, "zone", 4) == 0)) {
                    i++;
                    continue;
                }
                break;
            }
        } else {
            o[k++] = s[i++];
        }
    }
    o[k] = 0;
    return o;
}

/* `(col)` or `col`, quoted or not, at s: its name, s moved past it. */
static const char *column_at(smc_ctx *ctx, const char **s)
{
    const char *p = *s;
    bool paren = *p == '(';
    p += paren;
    const char *b = p;
    if (*p == '"') {
        const char *e = strchr(p + 1, '"');
        if (!e)
            return NULL;
        b = p + 1;
        p = e + 1;
    } else {
        while (isalnum((unsigned char)*p) || *p == '_')
            p++;
    }
    size_t n = (size_t)(p - b) - (*b != '"' && b != p && p[-1] == '"');
    if (p == b || (paren && *p != ')'))
        return NULL;
    char *x = smc_alloc(ctx, n + 1);
    memcpy(x, b, n);
    *s = p + paren;
    return x;
}

/* An enum's CHECK as PostgreSQL gives it back, uncast:
 * `((c = ANY ((ARRAY['a', 'b']))))`, or `((c IS NULL) OR (c = ANY ...))`. */
static bool enum_check(smc_ctx *ctx, smc_itable *t, const char *def)
{
    const char *s = def;
    if (strncmp(s, "CHECK (", 7) != 0)
        return false;
    s += 7;
    while (*s == '(')
        s++;
    s--; /* the column may be parenthesised */
    const char *col = column_at(ctx, &s);
    if (!col && (s++, col = column_at(ctx, &s)) == NULL)
        return false;
    smc_icol *c = NULL;
    for (uint32_t i = 0; i < t->ncols; i++)
        if (strcmp(t->cols[i].name, col) == 0)
            c = &t->cols[i];
    const char *arr = strstr(s, "ARRAY[");
    if (!c || !arr || c->base != SMC_B_TEXT)
        return false;
    const char **v = NULL;
    uint32_t n = 0;
    for (const char *p = arr + 6;;) {
        if (*p != '\'')
            return false;
        const char *e = strchr(p + 1, '\'');
        if (!e || e[1] == '\'')
            return false;
        v = smc_igrow(ctx, v, n, sizeof *v);
        char *x = smc_alloc(ctx, (size_t)(e - p));
        memcpy(x, p + 1, (size_t)(e - p - 1));
        v[n++] = x;
        p = e + 1;
        if (strncmp(p, ", ", 2) == 0)
            p += 2;
        else if (*p == ']')
            break;
        else
            return false;
    }
    /* What smc writes for those values, read back the same way. */
    sm_buf list = SM_BUF_INIT;
    for (uint32_t i = 0; i < n; i++)
        sm_buf_printf(&list, "%s'%s'", i ? ", " : "", v[i]);
    /* PostgreSQL quotes a name only where it needs it: either form. */
    bool same = false;
    for (int quoted = 0; quoted < 2 && !same; quoted++) {
        const char *q = quoted ? smc_printf(ctx, "\"%s\"", col) : col;
        const char *in = smc_printf(ctx, "((%s) = ANY ((ARRAY[%s])))", q, list.data ? list.data : "");
        same = strcmp(def, smc_printf(ctx, "CHECK (%s)", in)) == 0 ||
               strcmp(def, smc_printf(ctx, "CHECK (((%s IS NULL) OR %s))", q, in)) == 0;
    }
    sm_buf_free(&list);
    if (!same)
        return false;
    c->values = v;
    c->nvalues = n;
    c->max_len = -1;
    return true;
}

/* The DEFAULT as smc writes it: casts of literals removed, a bytea
 * literal as X'..'. */
static const char *plain_default(smc_ctx *ctx, const smc_icol *c, const char *d)
{
    if (!d)
        return NULL;
    if (c->base == SMC_B_BYTES && strncmp(d, "'\\x", 3) == 0) {
        const char *x = uncast(ctx, d);
        return smc_printf(ctx, "X'%s", x + 3);
    }
    const char *x = d[0] == '\'' || d[0] == '(' ? uncast(ctx, d) : d;
    /* A number PostgreSQL quoted ('-1'::integer) or parenthesised. */
    size_t n = strlen(x);
    if (n > 2 && (x[0] == '\'' || x[0] == '(') && c->base != SMC_B_TEXT && c->base != SMC_B_BYTES &&
        (isdigit((unsigned char)x[1]) || x[1] == '-')) {
        char *y = smc_strdup(ctx, x + 1);
        y[n - 2] = 0;
        char *end;
        (void)strtod(y, &end);
        if (!*end)
            return y;
    }
    if (strcmp(x, "true") == 0)
        return "TRUE";
    if (strcmp(x, "false") == 0)
        return "FALSE";
    return x;
}

/* A column's type, DEFAULT and identity (gen: attidentity). */
static void finish_col(smc_ctx *ctx, smc_itable *t, smc_icol *c, const char *deflt, const char *gen)
{
    set_type(ctx, t, c);
    c->deflt = plain_default(ctx, c, deflt);
    c->autoinc = gen && (gen[0] == 'd' || gen[0] == 'a');
    if (gen && gen[0] == 'a')
        smc_inote(ctx, t, smc_printf(ctx, "column %s: GENERATED ALWAYS is read as smdl's "
                                          "@auto (BY DEFAULT)", c->name));
}

bool smc_introspect_pg(smc_ctx *ctx, sm_cx *cx, sm_conn *conn, smc_icatalog *cat, const char **why)
{
    smc_ireader r = {ctx, cx, conn, why};
    cat->dialect = SM_POSTGRES;
    if (!smc_itables(&r, cat, "SELECT c.relname, c.oid FROM pg_class c JOIN pg_namespace n "
                              "ON n.oid = c.relnamespace WHERE n.nspname = current_schema() "
                              "AND c.relkind IN ('r', 'p') AND c.relname <> 'smdl_migrations' "
                              "ORDER BY c.oid"))
        return false;
    sm_rows *rows;
    int rc;
    for (uint32_t ti = 0; ti < cat->ntables; ti++) {
        smc_itable *t = &cat->tables[ti];
        const char *oid = t->id;
        if (!smc_icolumns(&r, t, smc_printf(ctx,
            "SELECT a.attname, format_type(a.atttypid, a.atttypmod), NOT a.attnotnull, "
            "pg_get_expr(d.adbin, d.adrelid), a.attidentity FROM pg_attribute a LEFT JOIN "
            "pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum WHERE a.attrelid = %s "
            "AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum", oid), finish_col))
            return false;
        rows = smc_iquery(&r, smc_printf(ctx,
            "SELECT con.conname, con.contype, con.confdeltype, con.confupdtype, f.relname, "
            "(SELECT string_agg(a.attname, chr(1) ORDER BY k.i) FROM unnest(con.conkey) WITH "
            "ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n), "
            "(SELECT string_agg(a.attname, chr(1) ORDER BY k.i) FROM unnest(con.confkey) WITH "
            "ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n), "
            "pg_get_constraintdef(con.oid) FROM pg_constraint con LEFT JOIN pg_class f ON "
            "f.oid = con.confrelid WHERE con.conrelid = %s ORDER BY con.oid", oid));
        if (!rows)
            return false;
        static const char *const actions[][2] = {
            {"c", "cascade"}, {"n", "set_null"}, {"r", "restrict"}, {"d", "set_default"},
        };
        while ((rc = sm_rows_next(rows)) == SM_ROW) {
            const char *type = sm_rows_text(rows, 1);
            smc_ilist l = {0};
            l.name = smc_itext(&r, rows, 0);
            const char *cols = sm_rows_text(rows, 5), *refs = sm_rows_text(rows, 6);
            if (cols)
                l.cols = split(ctx, cols, &l.ncols);
            if (type[0] == 'p') {
                t->pk = l;
            } else if (type[0] == 'u') {
                l.unique = true;
                *smc_inew_list(ctx, &t->indexes, &t->nindexes) = l;
            } else if (type[0] == 'f') {
                uint32_t nr = 0;
                l.ref_table = smc_itext(&r, rows, 4);
                l.ref_cols = refs ? split(ctx, refs, &nr) : NULL;
                for (size_t a = 0; a < 4; a++) {
                    if (strcmp(sm_rows_text(rows, 2), actions[a][0]) == 0)
                        l.on_delete = actions[a][1];
                    if (strcmp(sm_rows_text(rows, 3), actions[a][0]) == 0)
                        l.on_update = actions[a][1];
                }
                *smc_inew_list(ctx, &t->fks, &t->nfks) = l;
            } else if (type[0] == 'c') {
                const char *def = uncast(ctx, sm_rows_text(rows, 7));
                if (enum_check(ctx, t, def))
                    continue;
                size_t n = strlen(def);
                const char *e = def;
                if (strncmp(def, "CHECK (", 7) == 0 && def[n - 1] == ')') {
                    char *x = smc_strdup(ctx, def + 7);
                    x[n - 8] = 0;
                    e = x;
                }
                t->checks = smc_igrow(ctx, t->checks, t->nchecks, sizeof *t->checks);
                t->check_names = smc_igrow(ctx, t->check_names, t->nchecks, sizeof *t->check_names);
                t->check_names[t->nchecks] = l.name;
                t->checks[t->nchecks++] = e;
            }
        }
        sm_rows_close(rows);
        if (!smc_idone(&r, rc))
            return false;
        rows = smc_iquery(&r, smc_printf(ctx,
            "SELECT i.relname, ix.indisunique, (SELECT string_agg(coalesce(a.attname, '?'), chr(1) "
            "ORDER BY k.i) FROM unnest(ix.indkey::int2[]) WITH ORDINALITY k(n, i) LEFT JOIN "
            "pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.n), ix.indpred IS NOT NULL "
            "FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid WHERE ix.indrelid = %s AND "
            "NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = ix.indexrelid AND "
            "c.conrelid = ix.indrelid) ORDER BY i.oid", oid));
        if (!rows)
            return false;
        while ((rc = sm_rows_next(rows)) == SM_ROW) {
            smc_ilist l = {0};
            l.name = smc_itext(&r, rows, 0);
            const char *u = sm_rows_text(rows, 1), *pred = sm_rows_text(rows, 3);
            l.unique = u && (u[0] == 't' || u[0] == '1');
            l.cols = split(ctx, sm_rows_text(rows, 2), &l.ncols);
            if (pred && (pred[0] == 't' || pred[0] == '1')) {
                smc_inote(ctx, t, smc_printf(ctx, "partial index %s is left out", l.name));
                continue;
            }
            *smc_inew_list(ctx, &t->indexes, &t->nindexes) = l;
        }
        sm_rows_close(rows);
        if (!smc_idone(&r, rc))
            return false;
    }
    return true;
}
