/*
 * session.c: what a pool and a migration runner do with a connection,
 * the same on every database, over the driver's session entries: ping (a
 * health check), reset (before a connection is handed to someone else)
 * and named locks (a migration runner holds one so that two processes
 * cannot migrate at once).  Also the per-connection scratch buffer's
 * bound.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

bool sm_name_valid(const char *s)
{
    size_t n = 0;
    for (; s && s[n]; n++) {
        char c = s[n];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_'))
            return false;
    }
    return n >= 1 && n <= 63;
}

void sm_conn_scratch_free(sm_conn *conn)
{
    sm_buf_free(&conn->scratch);
}

int sm_conn_ping(sm_cx *cx, sm_conn *conn)
{
    int rc = sm_call_begin(cx, conn, SM_CALL_ANY);
    if (rc != SM_OK)
        return rc;
    return sm_call_end(cx, conn, conn->drv->ping(cx, conn));
}

static void forget_locks(sm_conn *conn)
{
    while (conn->nlocks)
        free(conn->locks[--conn->nlocks]);
}

bool sm_conn_needs_reset(sm_conn *conn)
{
    return conn->open_rows || conn->session_dirty || conn->nlocks || conn->nsavepoints ||
           conn->tx != SM_TX_NONE || conn->drv->in_tx(conn) != SM_DB_TX_NONE;
}

int sm_conn_reset(sm_cx *cx, sm_conn *conn)
{
    /* Whatever the last user left open goes: rows (ended under a
     * connection taken for it, sm_rows_detach), a transaction (failed or
     * not), savepoints, locks. */
    if (conn && conn->open_rows && !__atomic_load_n(&conn->cx, __ATOMIC_ACQUIRE))
        sm_rows_detach(conn->open_rows);
    int rc = sm_call_begin(cx, conn, SM_CALL_ROLLBACK);
    if (rc != SM_OK)
        return rc;
    /* Generated statements and transaction control change no setting:
     * after them, rolling back what is open is all there is to do, and
     * nothing at all (no round trip) when no transaction is open. */
    if (conn->session_dirty || conn->nlocks)
        rc = conn->drv->reset_session(cx, conn);
    else if (conn->tx != SM_TX_NONE || conn->drv->in_tx(conn) != SM_DB_TX_NONE)
        rc = sm_conn_simple(cx, conn, "ROLLBACK");
    if (rc == SM_OK)
        conn->session_dirty = false;
    /* The database no longer holds them, or the connection is unusable
     * (and a pool replaces it). */
    conn->tx = SM_TX_NONE;
    conn->failed_depth = 0;
    while (conn->nsavepoints)
        free(conn->savepoints[--conn->nsavepoints]);
    forget_locks(conn);
    return sm_call_end(cx, conn, rc);
}

static long find_lock(const sm_conn *conn, const char *name)
{
    for (size_t i = 0; i < conn->nlocks; i++)
        if (strcmp(conn->locks[i], name) == 0)
            return (long)i;
    return -1;
}

static int keep_lock(sm_cx *cx, sm_conn *conn, const char *name)
{
    if (sm_strings_push(&conn->locks, &conn->nlocks, &conn->caplocks, name) != SM_OK)
        return sm_cx_fail(cx, SM_NOMEM, "out of memory taking a lock");
    return SM_OK;
}

/* A lock the driver may have taken although the call failed (granted
 * just as it was cancelled) is released again, under a cx of its own. */
static void undo_lock(sm_conn *conn, const char *name)
{
    sm_cx tmp;
    sm_cleanup_cx_init(&tmp);
    conn->drv->unlock(&tmp, conn, name);
    sm_cx_free(&tmp);
}

int sm_conn_lock(sm_cx *cx, sm_conn *conn, const char *name)
{
    int rc = sm_call_begin(cx, conn, SM_CALL_ANY);
    if (rc != SM_OK)
        return rc;
    conn->session_dirty = true; /* a reset releases what a failed call may hold */
    if (!sm_name_valid(name))
        rc = sm_cx_fail(cx, SM_MISUSE, "invalid lock name (expected [A-Za-z0-9_]{1,63})");
    else if (conn->tx != SM_TX_NONE)
        rc = sm_cx_fail(cx, SM_MISUSE, "a lock is taken outside transactions");
    else if (find_lock(conn, name) >= 0)
        rc = sm_cx_fail(cx, SM_MISUSE, "the lock '%s' is already held by this connection", name);
    else if ((rc = conn->drv->lock(cx, conn, name)) == SM_OK) {
        if ((rc = keep_lock(cx, conn, name)) != SM_OK)
            undo_lock(conn, name);
    } else if (rc == SM_INTERRUPTED || rc == SM_TIMEOUT || rc == SM_CANCELLED) {
        undo_lock(conn, name);
    }
    return sm_call_end(cx, conn, rc);
}

int sm_conn_unlock(sm_cx *cx, sm_conn *conn, const char *name)
{
    int rc = sm_call_begin(cx, conn, SM_CALL_ANY);
    if (rc != SM_OK)
        return rc;
    long at = sm_name_valid(name) ? find_lock(conn, name) : -1;
    if (at < 0) {
        rc = sm_cx_fail(cx, SM_MISUSE, "no lock by that name is held by this connection");
    } else {
        rc = conn->drv->unlock(cx, conn, name);
        /* Held or not, the library no longer counts it as held. */
        free(conn->locks[at]);
        conn->locks[at] = conn->locks[--conn->nlocks];
    }
    return sm_call_end(cx, conn, rc);
}
