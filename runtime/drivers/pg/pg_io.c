/*
 * pg_io.c: waiting on the PostgreSQL server within the cx deadline.
 *
 * The connection is nonblocking: the driver sends with PQsend*, then
 * polls the socket, consuming input until libpq has a result.  The poll
 * also watches the connection's wake-up pipe, which the cancel entry
 * signals from the cancelling thread, and its timeout is the cx deadline:
 * a wait ends at once on cancel and on time at the deadline, with no
 * polling in slices.  It then sends a cancel request and reads the
 * interrupted command's results to the end, so the connection stays
 * usable; one that does not answer within PG_DRAIN_MS is marked broken.
 *
 * The cancel request: libpq 15's PQcancel opens a new blocking TCP
 * connection with no timeout, and waits for the server to close it; a
 * server that cannot be reached (the usual reason a deadline fires)
 * would hold the caller for the system's connect timeout (about two
 * minutes).  libpq 15 does not expose the cancel key, so the request
 * cannot be sent from a nonblocking socket of the driver's own: it runs
 * on a short-lived detached thread, with a PGcancel of its own (nothing
 * of the connection), and the waiting thread waits for it at most until
 * the wind-down budget.  When it is not delivered by then the connection
 * is given up: marked broken and its socket shut down, so the server
 * sees the client gone; the thread ends when PQcancel returns.
 */
#include "pg_driver.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

/* ---- Waiting ------------------------------------------------------------ */

static int64_t ms_left(int64_t until_ns)
{
    int64_t left = until_ns - sm_mono_ns();
    return left <= 0 ? 0 : (left + 999999) / 1000000;
}

/*
 * Flushes libpq's output and waits until PQgetResult will not block.
 * With a cx, the wait ends early (SM_INTERRUPTED) when the cx is
 * cancelled or past its deadline; without one, until_ns (0: none) bounds
 * it (SM_TIMEOUT).  SM_CONN when the connection fails; no message is set.
 */
static int pg_pump(sm_pg_conn *c, sm_cx *cx, int64_t until_ns)
{
    for (;;) {
        int f = PQflush(c->pg);
        if (f < 0)
            return SM_CONN;
        if (f == 0 && !PQisBusy(c->pg))
            return SM_OK;
        int ms = -1;
        if (cx) {
            /* A cancel after this check writes the pipe, which the poll
             * below sees: none is lost. */
            if (sm_cx_check(cx) != SM_OK)
                return SM_INTERRUPTED;
            int64_t left = sm_cx_remaining_ms(cx);
            if (left >= 0)
                ms = left < INT_MAX ? (int)left : INT_MAX;
        } else if (until_ns) {
            int64_t left = ms_left(until_ns);
            if (left == 0)
                return SM_TIMEOUT;
            ms = left < INT_MAX ? (int)left : INT_MAX;
        }
        struct pollfd p[2] = {{PQsocket(c->pg), (short)(POLLIN | (f ? POLLOUT : 0)), 0},
                              {c->wake.fd[0], POLLIN, 0}};
        if (p[0].fd < 0)
            return SM_CONN;
        int r = poll(p, cx ? 2 : 1, ms);
        if (r < 0 && errno != EINTR)
            return SM_CONN;
        if (r > 0 && p[1].revents)
            sm_wake_drain(&c->wake);
        if (r > 0 && (p[0].revents & (POLLIN | POLLERR | POLLHUP | POLLNVAL)) &&
            !PQconsumeInput(c->pg))
            return SM_CONN;
    }
}

/* Waits for the socket to become readable or writable (COPY handling). */
static int pg_wait_socket(sm_pg_conn *c, short events, int64_t until_ns)
{
    int64_t left = ms_left(until_ns);
    if (left == 0)
        return SM_TIMEOUT;
    struct pollfd p = {PQsocket(c->pg), events, 0};
    if (p.fd < 0)
        return SM_CONN;
    if (poll(&p, 1, left < INT_MAX ? (int)left : INT_MAX) < 0 && errno != EINTR)
        return SM_CONN;
    return SM_OK;
}

/* Ends a COPY the server started (smdl has no COPY API): refuses COPY
 * FROM STDIN, reads and drops COPY TO STDOUT data. */
static int pg_end_copy(sm_pg_conn *c, ExecStatusType s, int64_t until_ns)
{
    if (s == PGRES_COPY_IN) {
        for (;;) {
            int r = PQputCopyEnd(c->pg, "COPY FROM STDIN is not supported by smdl");
            if (r > 0)
                return SM_OK;
            if (r < 0)
                return SM_CONN;
            int rc = pg_wait_socket(c, POLLOUT, until_ns);
            if (rc != SM_OK)
                return rc;
        }
    }
    if (s == PGRES_COPY_OUT) {
        for (;;) {
            char *data = NULL;
            int n = PQgetCopyData(c->pg, &data, 1);
            if (data)
                PQfreemem(data);
            if (n == -1)
                return SM_OK;
            if (n == -2)
                return SM_CONN;
            if (n == 0) {
                int rc = pg_wait_socket(c, POLLIN, until_ns);
                if (rc != SM_OK)
                    return rc;
                if (!PQconsumeInput(c->pg))
                    return SM_CONN;
            }
        }
    }
    return SM_CONN; /* COPY BOTH: replication, which nothing here starts */
}

/* Reads and discards the remaining results of the command in flight; in
 * pipeline mode, of every command up to the sync (a NULL result only
 * ends one of them), and leaves pipeline mode. */
static int pg_drain(sm_pg_conn *c, int64_t until_ns)
{
    for (;;) {
        int rc = pg_pump(c, NULL, until_ns);
        if (rc != SM_OK)
            return rc;
        PGresult *r = PQgetResult(c->pg);
        if (!r) {
            if (PQpipelineStatus(c->pg) == PQ_PIPELINE_OFF || PQexitPipelineMode(c->pg))
                return SM_OK;
            if (sm_mono_ns() > until_ns)
                return SM_TIMEOUT; /* no sync was sent: nothing more will come */
            continue;
        }
        ExecStatusType s = PQresultStatus(r);
        PQclear(r);
        if (s == PGRES_PIPELINE_SYNC) {
            if (PQexitPipelineMode(c->pg))
                return SM_OK;
            continue;
        }
        if (sm_pg_is_copy(s) && (rc = pg_end_copy(c, s, until_ns)) != SM_OK)
            return rc;
    }
}

/* ---- The cancel request ---------------------------------------------------- */

/* What the cancel thread owns: its PGcancel, and its end of a socket pair
 * on which it reports that PQcancel returned (a socket, not a pipe: a
 * send after the waiter has gone fails with EPIPE instead of raising
 * SIGPIPE, with MSG_NOSIGNAL). */
typedef struct pg_canceller {
    PGcancel *cancel;
    int fd;
} pg_canceller;

static void *cancel_thread(void *arg)
{
    pg_canceller *k = arg;
    char err[256];
    char ok = (char)(PQcancel(k->cancel, err, sizeof err) ? 1 : 0);
    (void)send(k->fd, &ok, 1, MSG_NOSIGNAL);
    close(k->fd);
    PQfreeCancel(k->cancel);
    free(k);
    return NULL;
}

/* Sends a cancel request for the command in flight and waits until
 * until_ns for it to be delivered: true when it was, or when it could not
 * be tried (no memory, no thread: the drain's own bound then applies). */
static bool pg_send_cancel(sm_pg_conn *c, int64_t until_ns)
{
    int sv[2];
    pg_canceller *k = malloc(sizeof *k);
    if (!k)
        return true;
    if ((k->cancel = PQgetCancel(c->pg)) == NULL ||
        socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
        if (k->cancel)
            PQfreeCancel(k->cancel);
        free(k);
        return true;
    }
    k->fd = sv[1];
    pthread_attr_t attr;
    pthread_t t;
    bool started = pthread_attr_init(&attr) == 0;
    if (started) {
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        started = pthread_create(&t, &attr, cancel_thread, k) == 0;
        pthread_attr_destroy(&attr);
    }
    if (!started) {
        close(sv[1]);
        PQfreeCancel(k->cancel);
        free(k);
        close(sv[0]);
        return true;
    }
    bool delivered = false;
    for (;;) {
        int64_t left = ms_left(until_ns);
        struct pollfd p = {sv[0], POLLIN, 0};
        int r = poll(&p, 1, left < INT_MAX ? (int)left : INT_MAX);
        if (r < 0 && errno == EINTR)
            continue;
        delivered = r > 0; /* reported (delivered or refused), or the thread ended */
        break;
    }
    close(sv[0]);
    return delivered;
}

/* Stops the command in flight: an optional cancel request, then its
 * results are read and dropped, all within grace_ms.  A connection that
 * does not come back in time is marked broken (every later call gets
 * SM_CONN); when not even the cancel request got through, its socket is
 * shut down as well so that the server sees the client gone. */
void sm_pg_abandon(sm_pg_conn *c, bool cancel, int64_t grace_ms)
{
    int64_t until = sm_mono_ns() + grace_ms * 1000000;
    if (cancel && !pg_send_cancel(c, until)) {
        c->broken = true;
        int fd = PQsocket(c->pg);
        if (fd >= 0)
            shutdown(fd, SHUT_RDWR);
        return;
    }
    if (pg_drain(c, until) != SM_OK)
        c->broken = true;
}

int sm_pg_lost(sm_cx *cx, sm_pg_conn *c)
{
    c->broken = true;
    return sm_pg_error(cx, c->pg, NULL);
}

/*
 * The next result of the command in flight, waiting within the cx's
 * deadline; *out is NULL after the last one.  A COPY is ended on the
 * spot and reported as SM_UNSUPPORTED after the command completes.  On
 * deadline or cancel the command is cancelled and drained:
 * SM_INTERRUPTED.  A ping is not: winding it down would hold the caller
 * up to PG_DRAIN_MS past its deadline for a connection whose pool closes
 * it anyway, so it is marked broken at once.
 */
int sm_pg_next_result(sm_cx *cx, sm_pg_conn *c, PGresult **out)
{
    *out = NULL;
    int rc = pg_pump(c, cx, 0);
    if (rc == SM_INTERRUPTED) {
        if (c->pinging)
            c->broken = true;
        else
            sm_pg_abandon(c, true, PG_DRAIN_MS);
        return sm_cx_fail(cx, SM_INTERRUPTED, "PostgreSQL statement interrupted");
    }
    if (rc != SM_OK)
        return sm_pg_lost(cx, c);
    *out = PQgetResult(c->pg);
    return SM_OK;
}

/* Ends a COPY result met while reading a command's results: the call
 * fails with SM_UNSUPPORTED (unless it already failed).  Ending it is
 * cleanup, like draining an interrupted statement: it gets PG_DRAIN_MS
 * whatever the cx deadline. */
int sm_pg_copy_result(sm_cx *cx, sm_pg_conn *c, ExecStatusType s, int rc)
{
    if (pg_end_copy(c, s, sm_mono_ns() + (int64_t)PG_DRAIN_MS * 1000000) != SM_OK) {
        c->broken = true;
        return sm_cx_fail(cx, SM_CONN, "PostgreSQL connection lost while ending a COPY");
    }
    if (rc == SM_OK)
        rc = sm_cx_fail(cx, SM_UNSUPPORTED, "COPY is not supported (use INSERT or SELECT)");
    return rc;
}

/*
 * Reads the command's results to the end, turning the first failure
 * among them into the call's code when rc is still SM_OK (a script or a
 * COPY may produce several results).
 */
int sm_pg_complete(sm_cx *cx, sm_pg_conn *c, int rc)
{
    for (;;) {
        PGresult *r;
        int k = sm_pg_next_result(cx, c, &r);
        if (k != SM_OK)
            return k;
        if (!r)
            return rc;
        ExecStatusType s = PQresultStatus(r);
        if (s == PGRES_FATAL_ERROR && rc == SM_OK)
            rc = sm_pg_error(cx, c->pg, r);
        PQclear(r);
        if (sm_pg_is_copy(s) && (rc = sm_pg_copy_result(cx, c, s, rc)) == SM_CONN && c->broken)
            return rc;
    }
}

/* SM_OK when the connection can take a command. */
int sm_pg_usable(sm_cx *cx, sm_pg_conn *c)
{
    if (c->broken || PQstatus(c->pg) != CONNECTION_OK) {
        c->broken = true;
        return sm_cx_fail(cx, SM_CONN, "PostgreSQL connection is broken (lost, or a statement "
                                       "never finished after an interrupt)");
    }
    return SM_OK;
}

/* ---- Scripts, cancel, ping ------------------------------------------------------ */

int sm_pg_script(sm_cx *cx, sm_conn *conn, const char *sql)
{
    sm_pg_conn *c = pgc(conn);
    int rc = sm_pg_usable(cx, c);
    if (rc != SM_OK)
        return rc;
    if (sm_cx_check(cx) != SM_OK)
        return sm_cx_fail(cx, SM_INTERRUPTED, "PostgreSQL statement interrupted");
    if (!PQsendQuery(c->pg, sql))
        return sm_pg_lost(cx, c);
    c->base.stats.round_trips++;
    return sm_pg_complete(cx, c, SM_OK);
}

/* From the cancelling thread: only wakes the waiting one, which sends
 * the cancel request itself (PQcancel opens a connection to the server,
 * too slow to do under the cx's mutex). */
void sm_pg_cancel(sm_conn *conn)
{
    sm_wake_signal(&pgc(conn)->wake);
}

int sm_pg_command(sm_cx *cx, sm_pg_conn *c, const char *sql, int n, const char *const *values,
                  const int *lengths, const int *formats, PGresult **out)
{
    if (out)
        *out = NULL;
    int rc = sm_pg_usable(cx, c);
    if (rc != SM_OK)
        return rc;
    if (!PQsendQueryParams(c->pg, sql, n, NULL, values, lengths, formats, 0))
        return sm_pg_lost(cx, c);
    c->base.stats.round_trips++;
    PGresult *r;
    if ((rc = sm_pg_next_result(cx, c, &r)) != SM_OK)
        return rc;
    if (!r)
        return sm_pg_lost(cx, c);
    ExecStatusType st = PQresultStatus(r);
    if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) {
        if (out) {
            *out = r;
            r = NULL;
        }
    } else if (sm_pg_is_copy(st)) {
        rc = sm_pg_copy_result(cx, c, st, SM_OK);
    } else {
        rc = sm_pg_error(cx, c->pg, r);
    }
    PQclear(r);
    if (!c->broken)
        rc = sm_pg_complete(cx, c, rc);
    if (rc != SM_OK && out) {
        PQclear(*out);
        *out = NULL;
    }
    return rc;
}

int sm_pg_query(sm_cx *cx, sm_pg_conn *c, const char *sql, const char *const *params, int n,
                char *val, size_t size)
{
    if (val && size)
        val[0] = 0;
    PGresult *r;
    int rc = sm_pg_command(cx, c, sql, n, params, NULL, NULL, &r);
    if (rc == SM_OK && val && size && PQntuples(r) > 0 && PQnfields(r) > 0)
        snprintf(val, size, "%s", PQgetvalue(r, 0, 0));
    PQclear(r);
    return rc;
}
