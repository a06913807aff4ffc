/*
 * open.c: opening a connection by URL and closing it (DESIGN 4.3), and
 * the accessors of an open connection.  The URL names the driver
 * (url.c); the driver connects and applies its session settings; the
 * common part of sm_conn is filled here.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

/* ---- SMDL_ECHO: documented process-global state, read once ------------ */

static pthread_once_t echo_once = PTHREAD_ONCE_INIT;
static bool echo_on;

static void echo_init(void)
{
    const char *e = getenv("SMDL_ECHO");
    echo_on = e && strcmp(e, "1") == 0;
}

/* ---- Opening and closing ------------------------------------------------- */

int sm_open(sm_cx *cx, const char *url, sm_conn **out)
{
    if (out)
        *out = NULL;
    if (!cx)
        return SM_MISUSE;
    sm_cx_clear(cx);
    if (!out)
        return sm_null_arg(cx, "sm_open", NULL, "out");
    int rc = sm_cx_check(cx);
    if (rc != SM_OK)
        return sm_call_fail_cx(cx, rc);
    pthread_once(&echo_once, echo_init);
    sm_url u;
    if ((rc = sm_url_parse(cx, url, &u)) != SM_OK)
        return rc;
    const sm_driver *drv = u.drv;
    sm_conn *conn = NULL;
    if ((rc = sm_driver_load(cx, drv)) == SM_OK)
        rc = drv->open(cx, &u, &conn);
    if (rc != SM_OK) {
        sm_url_free(&u);
        return sm_call_settle(cx, rc);
    }
    conn->drv = drv;
    conn->dialect = drv->dialect;
    conn->url = u.redacted; /* taken over */
    u.redacted = NULL;
    conn->raw_capacity = 256;
    if (echo_on)
        conn->trace = sm_trace_stderr;
    sm_url_free(&u);
    *out = conn;
    return SM_OK;
}

void sm_close(sm_conn *conn)
{
    if (!conn)
        return;
    if (conn->pool) {
        sm_pool_release(conn->pool, conn);
        return;
    }
    sm_conn_destroy(conn);
}

void sm_conn_destroy(sm_conn *conn)
{
    /* A call running on the connection (sm_close from one of its
     * callbacks, or from another thread) keeps it open: closing now would
     * free what that call is using.  Documented misuse, and harmless. */
    if (conn->open_rows && !sm_rows_detach(conn->open_rows))
        return;
    sm_cx tmp;
    sm_cleanup_cx_init(&tmp);
    if (!sm_conn_take(&tmp, conn)) {
        sm_cx_free(&tmp);
        return;
    }
    for (size_t i = 0; i < conn->nsavepoints; i++)
        free(conn->savepoints[i]);
    free(conn->savepoints);
    for (size_t i = 0; i < conn->nlocks; i++)
        free(conn->locks[i]);
    free(conn->locks);
    sm_stmt_cache_free(conn);
    sm_buf_free(&conn->scratch);
    free(conn->bind_mem);
    free(conn->url);
    /* Closing rolls back an open transaction and releases the session's
     * locks on every database. */
    conn->drv->close(conn);
    sm_cx_free(&tmp);
}

/* The accessors answer for a NULL connection as for none: no dialect,
 * no URL, no transaction, nothing counted. */
sm_dialect sm_conn_dialect(const sm_conn *conn)
{
    return conn ? conn->dialect : (sm_dialect)SM_NDIALECTS;
}

const char *sm_conn_url(const sm_conn *conn)
{
    return conn ? conn->url : "";
}

bool sm_in_transaction(const sm_conn *conn)
{
    return conn && conn->tx != SM_TX_NONE;
}

sm_conn_stats sm_conn_stat(const sm_conn *conn)
{
    if (!conn) {
        sm_conn_stats none = {0, 0, 0, 0, 0};
        return none;
    }
    return conn->stats;
}

void sm_conn_set_trace(sm_conn *conn, void (*fn)(void *ud, const sm_trace *t), void *ud)
{
    if (!conn)
        return;
    conn->trace = fn;
    conn->trace_ud = ud;
}
