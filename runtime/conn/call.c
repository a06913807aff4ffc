/*
 * call.c: the call bracket (DESIGN 4.1, 4.4).  Every public call on a
 * connection runs between sm_call_begin and sm_call_end: begin checks
 * cancellation, the deadline and misuse and registers the running call in
 * its cx (so that sm_cx_cancel reaches the driver); end unregisters and
 * turns the driver's internal codes into public ones, failing an open
 * transaction after a database error.  A connection is used by one call
 * at a time: begin takes it atomically, so that a second thread (or a
 * trace callback) calling in gets SM_MISUSE instead of a crash inside the
 * client library.
 */
#include "internal.h"

#include <sched.h>

/* The connection belongs to the thread whose call took it, from a
 * successful compare-and-swap of conn->cx to the release in sm_conn_leave: two
 * threads entering at once cannot both win, and the loser touches nothing
 * else of the connection.  Rows that end outside a call of their own
 * (sm_rows_close) take it the same way. */
bool sm_conn_take(sm_cx *cx, sm_conn *conn)
{
    sm_cx *none = NULL;
    if (!__atomic_compare_exchange_n(&conn->cx, &none, cx, false, __ATOMIC_ACQ_REL,
                                     __ATOMIC_ACQUIRE))
        return false;
    conn->takes++; /* only the taker writes it */
    return true;
}

void sm_conn_leave(sm_conn *conn)
{
    __atomic_store_n(&conn->cx, (sm_cx *)NULL, __ATOMIC_RELEASE);
}

/* Registers the running call in its cx, where sm_cx_cancel finds it.  A
 * call made on cx from inside another (an -> each callback using a second
 * connection) registers over the outer one and puts it back when it ends,
 * so that a cancel still reaches the outer call afterwards.
 *
 * Without a lock, because every call pays for it: only the cx's own
 * thread writes live, and a cancel announces itself in `cancelling`
 * before it reads live (cx.c).  Both sides store, then load the other's
 * variable, all sequentially consistent, so either the cancel sees the
 * new live or the call sees the cancel (the check after reg, the wait in
 * unreg).  unreg returns only when no cancel still uses the connection,
 * so none reaches a connection that moved on to another call. */
static void reg(sm_cx *cx, sm_conn *conn)
{
    sm_cx_impl *c = sm_cx_impl_of(cx);
    conn->outer_live = __atomic_load_n(&c->live, __ATOMIC_RELAXED);
    __atomic_store_n(&c->live, conn, __ATOMIC_SEQ_CST);
}

static void unreg(sm_cx *cx, sm_conn *conn)
{
    sm_cx_impl *c = sm_cx_impl_of(cx);
    if (__atomic_load_n(&c->live, __ATOMIC_RELAXED) == conn)
        __atomic_store_n(&c->live, conn->outer_live, __ATOMIC_SEQ_CST);
    conn->outer_live = NULL;
    while (__atomic_load_n(&c->cancelling, __ATOMIC_SEQ_CST))
        sched_yield(); /* a driver's cancel is quick: a flag, a byte to a pipe */
}

int sm_call_fail_cx(sm_cx *cx, int rc)
{
    return rc == SM_CANCELLED ? sm_cx_fail(cx, SM_CANCELLED, "cancelled")
                              : sm_cx_fail(cx, SM_TIMEOUT, "deadline exceeded");
}

/* enter, when the call may not run: the reason, and the connection
 * given back if it was taken.  rows_open is what enter saw: another
 * thread's sm_rows_close may clear conn->open_rows since, and the
 * message must name the reason the call was refused for. */
static SM_COLD int refuse(sm_cx *cx, sm_conn *conn, bool rows_open, bool taken, int rc)
{
    if (!taken)
        return rc != SM_OK ? sm_call_fail_cx(cx, rc)
                           : sm_cx_fail(cx, SM_MISUSE,
                                        "the connection is already running a call (called from "
                                        "a trace callback or another thread?)");
    if (rc != SM_OK) {
        sm_tx_fail(conn);
        sm_conn_leave(conn);
        return sm_call_fail_cx(cx, rc);
    }
    const char *why =
        rows_open ? "a result is open on this connection: finish it with sm_rows_close first"
                  : "the transaction failed: only sm_rollback (or sm_rollback_to a savepoint "
                    "that survives) is allowed";
    sm_conn_leave(conn);
    return sm_cx_fail(cx, SM_MISUSE, "%s", why);
}

/* The checks shared by sm_call_begin and sm_rows_next (which must work
 * while its own result is open). */
static inline int enter(sm_cx *cx, sm_conn *conn, int kind, bool rows_ok)
{
    if (SM_UNLIKELY(!cx))
        return SM_MISUSE; /* nowhere to put a message (sm_cx_errmsg(NULL) says why) */
    sm_cx_clear(cx);
    if (SM_UNLIKELY(!conn))
        return sm_cx_fail(cx, SM_MISUSE, "no connection: conn is NULL");
    int rc = sm_cx_check(cx);
    bool taken = sm_conn_take(cx, conn);
    bool rows_open = !rows_ok && conn->open_rows; /* read once: see refuse */
    if (SM_UNLIKELY(!taken || rc != SM_OK || rows_open ||
                    (conn->tx == SM_TX_FAILED && kind != SM_CALL_ROLLBACK)))
        return refuse(cx, conn, rows_open, taken, rc);
    reg(cx, conn);
    /* A cancel between the check above and the registration did not
     * reach the driver: look again now that it would. */
    if (SM_UNLIKELY((rc = sm_cx_check(cx)) != SM_OK)) {
        unreg(cx, conn);
        sm_tx_fail(conn);
        sm_conn_leave(conn);
        return sm_call_fail_cx(cx, rc);
    }
    return SM_OK;
}

SM_HOT int sm_call_begin(sm_cx *cx, sm_conn *conn, int kind)
{
    return enter(cx, conn, kind, false);
}

int sm_call_begin_rows(sm_cx *cx, sm_conn *conn)
{
    return enter(cx, conn, SM_CALL_ANY, true);
}

int sm_call_code(const sm_cx *cx, int rc)
{
    bool cancelled = sm_cx_cancelled(cx);
    if (rc == SM_INTERRUPTED || ((rc == SM_ERROR || rc == SM_BUSY) && cancelled) ||
        (rc == SM_ERROR && sm_cx_expired(cx)))
        return cancelled ? SM_CANCELLED : sm_cx_expired(cx) ? SM_TIMEOUT : SM_ERROR;
    return rc == SM_STALE ? SM_ERROR : rc;
}

int sm_call_settle(sm_cx *cx, int rc)
{
    int code = sm_call_code(cx, rc);
    if (code == rc)
        return rc;
    if (code == SM_CANCELLED)
        return sm_cx_fail(cx, code, "cancelled");
    if (code == SM_TIMEOUT)
        return sm_cx_fail(cx, code, "deadline exceeded");
    return sm_cx_fail(cx, code,
                      rc == SM_STALE ? "the statement's plan is stale after a schema change"
                                     : "the statement was interrupted");
}

SM_HOT int sm_call_end(sm_cx *cx, sm_conn *conn, int rc)
{
    unreg(cx, conn);
    if (rc < 0) { /* success needs no settling: only failures change code */
        rc = sm_call_settle(cx, rc);
        sm_tx_settle(conn, rc);
    }
    sm_conn_scratch_done(conn);
    sm_conn_leave(conn);
    sm_cx_impl_of(cx)->code = rc;
    return rc;
}
