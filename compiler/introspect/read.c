/*
 * read.c: running the catalog queries of sqlite.c and pg.c through
 * libsmdl's raw SQL API, every string copied into the context's arena.
 */
#include "introspect.h"

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
