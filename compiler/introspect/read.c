/*
 * read.c: running the catalog queries of sqlite.c, pg.c and mysql.c
 * through libsmdl's raw SQL API, every string copied into the context's
 * arena, and what the two server catalogs read alike: their tables,
 * their columns, the types they name.
 */
#include "introspect.h"

#include <stdio.h>
#include <string.h>

const char *smc_ilit(smc_ctx *ctx, const char *s)
{
    size_t n = strlen(s), k = 0;
    char *o = smc_alloc(ctx, 2 * n + 3);
    o[k++] = '\'';
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\'')
            o[k++] = '\'';
        o[k++] = s[i];
    }
    o[k++] = '\'';
    return o;
}

sm_rows *smc_iquery(smc_ireader *r, const char *sql)
{
    sm_rows *rows = NULL;
    if (sm_query(r->cx, r->conn, sql, NULL, 0, &rows) != SM_OK) {
        *r->why = smc_strdup(r->ctx, sm_cx_errmsg(r->cx));
        return NULL;
    }
    return rows;
}

const char *smc_itext(smc_ireader *r, sm_rows *rows, int col)
{
    const char *s = sm_rows_text(rows, col);
    return s ? smc_strdup(r->ctx, s) : NULL;
}

bool smc_idone(smc_ireader *r, int rc)
{
    if (rc == SM_DONE)
        return true;
    *r->why = smc_strdup(r->ctx, sm_cx_errmsg(r->cx));
    return false;
}

static bool truth(const char *s)
{
    return s && (s[0] == 't' || s[0] == '1' || strcmp(s, "YES") == 0);
}

bool smc_itables(smc_ireader *r, smc_icatalog *cat, const char *sql)
{
    sm_rows *rows = smc_iquery(r, sql);
    if (!rows)
        return false;
    int rc;
    while ((rc = sm_rows_next(rows)) == SM_ROW) {
        cat->tables = smc_igrow(r->ctx, cat->tables, cat->ntables, sizeof *cat->tables);
        smc_itable *t = &cat->tables[cat->ntables++];
        memset(t, 0, sizeof *t);
        t->name = smc_itext(r, rows, 0);
        t->id = sm_rows_ncols(rows) > 1 ? smc_itext(r, rows, 1) : NULL;
    }
    sm_rows_close(rows);
    return smc_idone(r, rc);
}

bool smc_icolumns(smc_ireader *r, smc_itable *t, const char *sql, smc_icol_fn finish)
{
    sm_rows *rows = smc_iquery(r, sql);
    if (!rows)
        return false;
    int rc;
    while ((rc = sm_rows_next(rows)) == SM_ROW) {
        t->cols = smc_igrow(r->ctx, t->cols, t->ncols, sizeof *t->cols);
        smc_icol *c = &t->cols[t->ncols++];
        memset(c, 0, sizeof *c);
        c->name = smc_itext(r, rows, 0);
        c->sql_type = smc_itext(r, rows, 1);
        c->nullable = truth(sm_rows_text(rows, 2));
        c->max_len = -1;
        finish(r->ctx, t, c, smc_itext(r, rows, 3), sm_rows_text(rows, 4));
    }
    sm_rows_close(rows);
    return smc_idone(r, rc);
}

smc_ilist *smc_inew_list(smc_ctx *ctx, smc_ilist **items, uint32_t *n)
{
    *items = smc_igrow(ctx, *items, *n, sizeof **items);
    smc_ilist *l = &(*items)[(*n)++];
    memset(l, 0, sizeof *l);
    return l;
}

void smc_itype(smc_ctx *ctx, smc_itable *t, smc_icol *c, const char *ty,
               const smc_itype_name *known, size_t nknown, const char *decimal_fmt,
               const char *varchar_fmt, const char *db)
{
    for (size_t i = 0; i < nknown; i++)
        if (strcmp(ty, known[i].sql) == 0) {
            c->base = known[i].base;
            return;
        }
    unsigned p, sc, n;
    char end;
    if (sscanf(ty, decimal_fmt, &p, &sc, &end) == 3 && end == ')' && p >= 1 && p <= 38 &&
        sc <= p) {
        c->base = SMC_B_DECIMAL;
        c->precision = (uint8_t)p;
        c->scale = (uint8_t)sc;
        return;
    }
    if (sscanf(ty, varchar_fmt, &n, &end) == 2 && end == ')' && n > 0) {
        c->base = SMC_B_TEXT;
        c->max_len = (int)n;
        return;
    }
    /* The nearest smdl type, said in a comment. */
    c->base = strstr(ty, "int") || strstr(ty, "serial") ? SMC_B_INT
              : strstr(ty, "real") || strstr(ty, "double") || strstr(ty, "float") ||
                        strstr(ty, "numeric") || strstr(ty, "decimal") ? SMC_B_FLOAT
              : strncmp(ty, "json", 4) == 0 ? SMC_B_JSON
              : strstr(ty, "blob") || strstr(ty, "binary") || strstr(ty, "bytea") ? SMC_B_BYTES
              : strncmp(ty, "datetime", 8) == 0 || strncmp(ty, "timestamp", 9) == 0 ? SMC_B_DATETIME
              : strncmp(ty, "time", 4) == 0 ? SMC_B_TIME
              : SMC_B_TEXT;
    static const char *const names[] = {[SMC_B_INT] = "int", [SMC_B_FLOAT] = "float",
                                        [SMC_B_JSON] = "json", [SMC_B_BYTES] = "bytes",
                                        [SMC_B_DATETIME] = "datetime", [SMC_B_TIME] = "time",
                                        [SMC_B_TEXT] = "text"};
    smc_inote(ctx, t, smc_printf(ctx, "column %s: %s type '%s' is not one smc writes; read as %s",
                                 c->name, db, c->sql_type, names[c->base]));
}
