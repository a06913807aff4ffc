/*
 * rows.c: results of raw queries (sm_query, sm_rows_*, DESIGN 4.3).
 *
 * An sm_rows holds its statement, and the connection refuses other calls,
 * only while rows may still come: once sm_rows_next has returned SM_DONE
 * or an error the statement goes back to the cache and the connection is
 * free again, although the sm_rows itself lives until sm_rows_close (it
 * keeps answering with its last code).  sm_close and sm_rows_close may
 * come in either order: closing the connection detaches an open result,
 * which sm_rows_close then frees.
 */
#include "internal.h"

#include <stdlib.h>

enum { ROWS_PENDING, ROWS_ON, ROWS_END };

struct sm_rows {
    sm_conn *conn; /* NULL once the rows no longer hold the connection */
    sm_cx *cx;
    sm_stmt *st;   /* NULL once the end is reached */
    int state;
    int rc;        /* at ROWS_END: SM_DONE or the error */
};

/* Gives the statement back (its reset bounded by the cx of whoever holds
 * the connection, which the caller does) and frees the connection of
 * these rows; the reset's code. */
static int let_go(sm_rows *r)
{
    int rc = r->st ? sm_stmt_release(r->st) : SM_OK;
    if (r->conn && r->conn->open_rows == r)
        r->conn->open_rows = NULL;
    r->st = NULL;
    return rc;
}

/* The rows stay at their end with code rc. */
static void at_end(sm_rows *r, int rc)
{
    r->conn = NULL;
    r->state = ROWS_END;
    r->rc = rc;
}

/* Ends rows outside a call of their own (sm_rows_close, sm_close,
 * sm_conn_reset, or sm_rows_next stopped by its cx before it began): the
 * connection is taken for a cx of the library's with a bounded budget, so
 * that the reset runs while no other call uses the connection and within
 * that budget.  false when another call holds the connection. */
static bool end_apart(sm_rows *r, int rc)
{
    sm_conn *conn = r->conn;
    if (!conn) {
        at_end(r, rc);
        return true;
    }
    sm_cx tmp;
    sm_cleanup_cx_init(&tmp);
    bool took = sm_conn_take(&tmp, conn);
    if (took) {
        let_go(r);
        sm_conn_leave(conn);
        at_end(r, rc);
    }
    sm_cx_free(&tmp);
    return took;
}

bool sm_rows_detach(sm_rows *r)
{
    return end_apart(r, SM_MISUSE);
}

int sm_query(sm_cx *cx, sm_conn *conn, const char *sql, const sm_value *params, size_t n,
             sm_rows **out)
{
    if (out)
        *out = NULL;
    int rc = sm_call_begin(cx, conn, SM_CALL_ANY);
    if (rc != SM_OK)
        return rc;
    if (!out)
        return sm_call_end(cx, conn, sm_null_arg(cx, "sm_query", NULL, "out"));
    sm_stmt *st = NULL;
    sm_rows *r = NULL;
    rc = sm_raw_check(cx, conn, sql, params, n);
    if (rc == SM_OK && !(r = calloc(1, sizeof *r)))
        rc = sm_cx_fail(cx, SM_NOMEM, "out of memory starting a query");
    if (rc == SM_OK)
        rc = sm_stmt_raw(cx, conn, sql, &st);
    if (rc == SM_OK)
        rc = sm_stmt_exec(cx, st, params, n);
    if (rc == SM_ROW) {
        r->conn = conn;
        r->cx = cx;
        r->st = st;
        r->state = ROWS_PENDING;
        r->rc = SM_DONE;
        conn->open_rows = r;
        *out = r;
        rc = SM_OK;
    } else if (rc == SM_DONE) {
        /* An empty result gives its statement back at once but holds the
         * connection, like any other, until it has said SM_DONE. */
        sm_stmt_release(st);
        r->conn = conn;
        r->cx = cx;
        r->state = ROWS_PENDING;
        conn->open_rows = r;
        *out = r;
        rc = SM_OK;
    } else {
        if (st)
            sm_stmt_release(st);
        free(r);
    }
    return sm_call_end(cx, conn, rc);
}

int sm_rows_next(sm_rows *r)
{
    if (!r)
        return SM_MISUSE;
    if (r->state == ROWS_END) {
        if (r->rc == SM_MISUSE)
            sm_cx_fail(r->cx, SM_MISUSE, "the connection of these rows was closed");
        return r->rc;
    }
    sm_conn *conn = r->conn;
    int rc = sm_call_begin_rows(r->cx, conn);
    if (rc != SM_OK) {
        /* Not begun.  Stopped by the cx, the rows end (and free the
         * connection); refused because another call holds the connection,
         * they stay as they are, for that call is not theirs to disturb. */
        if (rc == SM_TIMEOUT || rc == SM_CANCELLED)
            end_apart(r, rc);
        return rc;
    }
    if (r->state == ROWS_PENDING) {
        r->state = ROWS_ON;
        rc = r->st ? SM_ROW : SM_DONE;
    } else {
        rc = sm_stmt_next(r->cx, r->st);
    }
    /* Done or failed: the statement and the connection go back inside
     * this call, whose cx bounds the reset; the rows keep the code until
     * closed. */
    if (rc != SM_ROW) {
        int reset = let_go(r);
        if (rc == SM_DONE && reset != SM_OK)
            rc = reset;
    }
    rc = sm_call_end(r->cx, conn, rc);
    if (rc != SM_ROW)
        at_end(r, rc);
    return rc;
}

static bool has_col(sm_rows *r, int col)
{
    return r && r->state == ROWS_ON && col >= 0 && col < r->conn->drv->ncols(r->st);
}

int sm_rows_ncols(sm_rows *r)
{
    return r && r->st ? r->conn->drv->ncols(r->st) : 0;
}

const char *sm_rows_name(sm_rows *r, int col)
{
    if (!r || !r->st || col < 0 || col >= r->conn->drv->ncols(r->st))
        return NULL;
    return r->conn->drv->colname(r->st, col);
}

bool sm_rows_is_null(sm_rows *r, int col)
{
    return has_col(r, col) ? r->conn->drv->is_null(r->st, col) : true;
}

int64_t sm_rows_int(sm_rows *r, int col)
{
    return has_col(r, col) ? r->conn->drv->get_int(r->st, col) : 0;
}

double sm_rows_real(sm_rows *r, int col)
{
    return has_col(r, col) ? r->conn->drv->get_real(r->st, col) : 0.0;
}

const char *sm_rows_text(sm_rows *r, int col)
{
    size_t len;
    return has_col(r, col) ? r->conn->drv->get_text(r->st, col, &len) : NULL;
}

const void *sm_rows_blob(sm_rows *r, int col, size_t *len)
{
    size_t n = 0;
    const void *p = has_col(r, col) ? r->conn->drv->get_blob(r->st, col, &n) : NULL;
    if (len)
        *len = n;
    return p;
}

void sm_rows_close(sm_rows *r)
{
    if (!r)
        return;
    /* Another call holding the connection now is misuse (a second thread
     * using the rows' connection): the rows still let go, unguarded. */
    if (!end_apart(r, SM_DONE))
        let_go(r);
    free(r);
}
