/*
 * pg_cursor.c: reading a statement's rows through a cursor
 * (sm_stmt.cursor), so that other statements can run on the connection
 * between batches of rows (`-> each` with eager loads).
 *
 * libpq holds the connection until a result is read to its end, and its
 * protocol-level row limits are not exposed, so the rows go through SQL:
 * "DECLARE sm_cur<n> NO SCROLL CURSOR FOR <statement>" with the
 * statement's parameters, inside the transaction the caller opened, then
 * "FETCH 256" whenever the rows fetched so far are read: memory holds one
 * batch.  The cursor is closed when the statement is reset (or ends with
 * the transaction).
 */
#include "pg_driver.h"

#include <stdio.h>
#include <string.h>

enum { PG_CURSOR_BATCH = 256 };

/* The next batch of rows as the statement's current result. */
static int fetch(sm_cx *cx, sm_pg_conn *c, sm_pg_stmt *st)
{
    char sql[64];
    snprintf(sql, sizeof sql, "FETCH %d FROM sm_cur%u", PG_CURSOR_BATCH, st->cursor_id);
    PGresult *r;
    int rc = sm_pg_command(cx, c, sql, 0, NULL, NULL, NULL, &r);
    if (rc != SM_OK)
        return rc;
    PQclear(st->res);
    st->res = r;
    st->row = 0;
    st->nrows = PQntuples(r);
    st->rowseq++;
    st->cursor_more = st->nrows == PG_CURSOR_BATCH;
    return st->nrows > 0 ? SM_ROW : SM_DONE;
}

int sm_pg_cursor_open(sm_cx *cx, sm_pg_conn *c, sm_pg_stmt *st, size_t n)
{
    if (PQtransactionStatus(c->pg) != PQTRANS_INTRANS)
        return sm_cx_fail(cx, SM_MISUSE, "a PostgreSQL cursor needs a transaction");
    sm_buf text = SM_BUF_INIT;
    int nparams;
    const char *why = NULL;
    unsigned id = ++c->next_id;
    char head[64];
    snprintf(head, sizeof head, "DECLARE sm_cur%u NO SCROLL CURSOR FOR ", id);
    int rc = sm_buf_puts(&text, head);
    sm_buf body = SM_BUF_INIT;
    if (rc == SM_OK && (rc = sm_pg_rewrite(st->base.sql, &body, &nparams, &why)) == SM_OK)
        rc = sm_buf_puts(&text, body.data);
    sm_buf_free(&body);
    if (rc != SM_OK) {
        sm_buf_free(&text);
        return sm_cx_fail(cx, rc, "cannot declare a cursor: %s", why ? why : "out of memory");
    }
    rc = sm_pg_command(cx, c, text.data, (int)n, st->values, st->lengths, st->formats, NULL);
    sm_buf_free(&text);
    if (rc != SM_OK)
        return rc;
    st->cursor_open = true;
    st->cursor_id = id;
    return fetch(cx, c, st);
}

int sm_pg_cursor_next(sm_cx *cx, sm_pg_conn *c, sm_pg_stmt *st)
{
    if (st->res && st->row + 1 < st->nrows) {
        st->row++;
        st->rowseq++;
        return SM_ROW;
    }
    return st->cursor_more ? fetch(cx, c, st) : SM_DONE;
}

int sm_pg_cursor_close(sm_cx *cx, sm_pg_conn *c, sm_pg_stmt *st)
{
    if (!st->cursor_open)
        return SM_OK;
    st->cursor_open = st->cursor_more = false;
    /* Without a cx (the statement is finalized) or in a failed
     * transaction, the cursor ends with the transaction. */
    if (!cx || c->broken || PQtransactionStatus(c->pg) != PQTRANS_INTRANS)
        return SM_OK;
    char sql[48];
    snprintf(sql, sizeof sql, "CLOSE sm_cur%u", st->cursor_id);
    return sm_pg_command(cx, c, sql, 0, NULL, NULL, NULL, NULL);
}
