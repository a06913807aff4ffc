/*
 * inlist.c: statements over a list of keys and the staging of the rows
 * they return (inlist.h).
 */
#include "inlist.h"

#include <stdlib.h>
#include <string.h>

size_t sm_inlist_bucket(size_t n)
{
    size_t b = 1;
    while (b < n)
        b <<= 1;
    return b;
}

size_t sm_inlist_max(const sm_conn *conn, size_t per)
{
    size_t most = conn->drv->max_params / (per ? per : 1), b = 1;
    while (b * 2 <= most)
        b *= 2;
    return b;
}

int sm_inlist_stmt(sm_cx *cx, sm_conn *conn, const void *key, const char *prefix,
                   const char *tuple, const char *suffix, size_t count, sm_stmt **st)
{
    if (!prefix || !tuple || !suffix)
        return sm_cx_fail(cx, SM_UNSUPPORTED, "this statement is not available on %s",
                          conn->drv->name);
    if ((*st = sm_stmt_lookup(conn, key, (unsigned)count)) != NULL)
        return SM_OK;
    sm_buf q = SM_BUF_INIT;
    size_t tl = strlen(tuple);
    int rc = sm_buf_puts(&q, prefix);
    for (size_t k = 0; k < count && rc == SM_OK; k++) {
        if (k)
            rc = sm_buf_puts(&q, ", ");
        if (rc == SM_OK)
            rc = sm_buf_append(&q, tuple, tl);
    }
    if (rc == SM_OK)
        rc = sm_buf_puts(&q, suffix);
    if (rc == SM_OK)
        rc = sm_stmt_cached(cx, conn, key, (unsigned)count, q.data, st);
    else
        rc = sm_cx_fail(cx, SM_NOMEM, "out of memory building a statement");
    sm_buf_free(&q);
    return rc;
}

void *sm_stage_push(sm_stage *s)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 16;
        char *p = cap <= SIZE_MAX / s->size ? realloc(s->data, cap * s->size) : NULL;
        if (!p)
            return NULL;
        s->data = p;
        s->cap = cap;
    }
    void *row = s->data + s->n++ * s->size;
    memset(row, 0, s->size);
    return row;
}

void sm_stage_free(sm_stage *s)
{
    free(s->data);
    s->data = NULL;
    s->n = s->cap = 0;
}
