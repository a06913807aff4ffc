/*
 * pool.c: the connection pool (DESIGN 4.6).
 *
 * One mutex guards the counters, the idle list and the queue of waiters;
 * it is never held while talking to a database (opening, pinging,
 * resetting, closing), and a borrowed connection runs its statements
 * without it.  Fairness: each waiting acquire queues a record with its
 * own condition variable; a released connection, or a slot freed by a
 * closed one, goes to the head of the queue directly, so a newcomer never
 * overtakes a waiter.  A cancel reaches a waiter through the cx's waiter
 * hook (sm_cx_wait_begin); its lock order is the cx's mutex, then the
 * pool's, so the pool's mutex is never held while registering.
 *
 * A URL whose connections would each get a database of their own
 * ("sqlite::memory:") is replaced by the driver's shared form
 * (sm_driver.pool_url), kept alive by a connection of the pool's own.
 *
 * A "slot" is the right to open one connection: counted in pending while
 * the open runs outside the lock, so that open + pending never exceeds
 * max_conns.
 */
#include "internal.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Defaults of the options (0 in sm_pool_opts), documented in smdl.h. */
enum {
    DEF_MAX_CONNS = 8,
    DEF_MAX_LIFETIME_MS = 30 * 60 * 1000,
    DEF_IDLE_TIMEOUT_MS = 10 * 60 * 1000,
    DEF_HEALTH_AFTER_MS = 1000,
};

typedef struct waiter {
    sm_cx_waiter hook; /* first: sm_cx_cancel wakes it */
    sm_pool *p;
    pthread_cond_t cond;
    struct waiter *next;
    sm_conn *conn; /* handed over by a release */
    bool slot;     /* handed a slot to open a connection */
    bool closed;   /* the pool closed */
} waiter;

struct sm_pool {
    pthread_mutex_t mu;
    char *url;
    int min_conns, max_conns;
    int64_t lifetime_ns, idle_ns, health_ns; /* -1: off */
    sm_conn *idle;                           /* most recently released first */
    int pending;                             /* slots being opened */
    int active;                              /* acquires in wait_turn */
    waiter *head, *tail;
    sm_conn *keeper;                         /* keeps a shared database alive (pool_url) */
    /* The housekeeping thread (housekeep), when there is anything to
     * keep: its wake-up, its period, and the cx bounding its opens. */
    pthread_t hk;
    pthread_cond_t hk_cond;
    int64_t hk_period_ns;
    sm_cx hk_cx;
    bool hk_on;
    bool closing;
    sm_pool_stats st;
};

/* ---- Options ------------------------------------------------------------------ */

static int64_t ms_opt(int v, int def)
{
    if (v == -1)
        return -1;
    return (int64_t)(v ? v : def) * 1000000;
}

static int read_opts(sm_cx *cx, sm_pool *p, const sm_pool_opts *o)
{
    static const sm_pool_opts none;
    if (!o)
        o = &none;
    const int v[5] = {o->min_conns, o->max_conns, o->max_lifetime_ms, o->idle_timeout_ms,
                      o->health_check_after_ms};
    static const char *const names[5] = {"min_conns", "max_conns", "max_lifetime_ms",
                                         "idle_timeout_ms", "health_check_after_ms"};
    for (int i = 0; i < 5; i++)
        if (v[i] < -1)
            return sm_cx_fail(cx, SM_MISUSE, "sm_pool_open: %s is %d (0 default, -1 off)",
                              names[i], v[i]);
    for (size_t i = 0; i < sizeof o->reserved / sizeof o->reserved[0]; i++)
        if (o->reserved[i])
            return sm_cx_fail(cx, SM_MISUSE, "sm_pool_open: reserved[%zu] is not zero", i);
    p->min_conns = o->min_conns > 0 ? o->min_conns : 0;
    p->max_conns = o->max_conns == -1 ? INT_MAX : o->max_conns ? o->max_conns : DEF_MAX_CONNS;
    if (p->min_conns > p->max_conns)
        return sm_cx_fail(cx, SM_MISUSE, "sm_pool_open: min_conns %d is above max_conns %d",
                          p->min_conns, p->max_conns);
    p->lifetime_ns = ms_opt(o->max_lifetime_ms, DEF_MAX_LIFETIME_MS);
    p->idle_ns = ms_opt(o->idle_timeout_ms, DEF_IDLE_TIMEOUT_MS);
    p->health_ns = ms_opt(o->health_check_after_ms, DEF_HEALTH_AFTER_MS);
    return SM_OK;
}

/* ---- Under the lock --------------------------------------------------------------- */

static void dequeue(sm_pool *p, waiter *w)
{
    waiter **pp = &p->head, *prev = NULL;
    while (*pp && *pp != w) {
        prev = *pp;
        pp = &(*pp)->next;
    }
    if (!*pp)
        return;
    *pp = w->next;
    if (p->tail == w)
        p->tail = prev;
    w->next = NULL;
    p->st.waiters--;
}

static waiter *pop_head(sm_pool *p)
{
    waiter *w = p->head;
    if (w)
        dequeue(p, w);
    return w;
}

/* A slot freed (a connection closed, an open failed): the first waiter
 * may open one. */
static void give_slot(sm_pool *p)
{
    waiter *w;
    if (p->closing || !(w = pop_head(p)))
        return;
    w->slot = true;
    p->pending++;
    pthread_cond_signal(&w->cond);
}

/* Closed, and nothing refers to the pool any more: no connection, no
 * slot, no acquire in line (a waiter failed by sm_pool_close may not
 * have woken yet). */
static bool done(const sm_pool *p)
{
    return p->closing && p->st.open == 0 && p->pending == 0 && p->active == 0;
}

static void pool_free(sm_pool *p)
{
    if (p->keeper)
        sm_conn_destroy(p->keeper);
    sm_cx_free(&p->hk_cx);
    pthread_cond_destroy(&p->hk_cond);
    pthread_mutex_destroy(&p->mu);
    free(p->url);
    free(p);
}

/* Idle connections past idle_timeout_ms (above min_conns) or
 * max_lifetime_ms leave the idle list into *out, to be closed outside the
 * lock. */
static void collect_expired(sm_pool *p, int64_t now, sm_conn **out)
{
    for (sm_conn **pp = &p->idle; *pp;) {
        sm_conn *c = *pp;
        bool old = p->lifetime_ns >= 0 && now - c->pool_born_ns >= p->lifetime_ns;
        bool stale = p->idle_ns >= 0 && now - c->pool_idle_ns >= p->idle_ns &&
                     p->st.open > p->min_conns;
        if (!old && !stale) {
            pp = &c->pool_next;
            continue;
        }
        *pp = c->pool_next;
        c->pool_next = *out;
        *out = c;
        p->st.idle--;
        p->st.open--;
        p->st.recycled++;
    }
}

/* ---- Outside the lock ------------------------------------------------------------- */

static void destroy(sm_conn *c)
{
    c->pool = NULL;
    sm_conn_destroy(c);
}

static void destroy_list(sm_conn *c)
{
    while (c) {
        sm_conn *next = c->pool_next;
        destroy(c);
        c = next;
    }
}

/* Opens a connection in a slot taken: counted open and in use (or, when
 * the pool closed meanwhile, closed again: SM_CONN).  An acquire's open
 * that times out counts in timeouts; the pool thread's does not. */
static int open_in_slot(sm_cx *cx, sm_pool *p, sm_conn **out)
{
    sm_conn *c = NULL;
    int rc = sm_open(cx, p->url, &c);
    pthread_mutex_lock(&p->mu);
    p->pending--;
    if (rc == SM_OK && p->closing)
        rc = sm_cx_fail(cx, SM_CONN, "sm_pool_acquire: the pool is closed");
    if (rc != SM_OK) {
        if (rc == SM_TIMEOUT && cx != &p->hk_cx)
            p->st.timeouts++;
        give_slot(p);
        bool last = done(p);
        pthread_mutex_unlock(&p->mu);
        if (c)
            sm_conn_destroy(c);
        if (last)
            pool_free(p);
        return rc;
    }
    c->pool = p;
    c->pool_born_ns = c->pool_idle_ns = sm_mono_ns();
    c->pool_trace = c->trace;
    c->pool_takes = c->takes;
    p->st.open++;
    p->st.in_use++;
    p->st.created++;
    pthread_mutex_unlock(&p->mu);
    *out = c;
    return SM_OK;
}

/* A connection taken from the pool goes (too old, or its health check
 * failed: dead, or no answer by the caller's deadline, which leaves its
 * state unknown): its place becomes a slot of the caller. */
static void retire_to_slot(sm_pool *p, sm_conn *c, bool recycled)
{
    pthread_mutex_lock(&p->mu);
    p->st.open--;
    p->st.in_use--;
    p->pending++;
    if (recycled)
        p->st.recycled++;
    else
        p->st.failed_checks++;
    pthread_mutex_unlock(&p->mu);
    destroy(c);
}

/* ---- Housekeeping ------------------------------------------------------------------ */

/* Between calls of its users a pool still has work: idle connections past
 * idle_timeout_ms or max_lifetime_ms are closed (otherwise a quiet pool
 * would keep them until the next acquire), and connections are opened up
 * to min_conns (a warm one that aged out is replaced before anyone waits
 * for it).  One thread per pool does it, every hk_period_ns, counted in
 * p->active while it lives so that the pool outlives it; sm_pool_close
 * wakes it, cancels an open it is waiting on and joins it. */
static void *housekeep(void *arg)
{
    sm_pool *p = arg;
    pthread_mutex_lock(&p->mu);
    while (!p->closing) {
        sm_conn *expired = NULL;
        collect_expired(p, sm_mono_ns(), &expired);
        bool open = p->st.open + p->pending < p->min_conns;
        if (open)
            p->pending++;
        pthread_mutex_unlock(&p->mu);
        destroy_list(expired);
        bool opened = false;
        if (open) {
            sm_conn *c;
            sm_cx_set_timeout_ms(&p->hk_cx, SM_CLEANUP_MS);
            if (open_in_slot(&p->hk_cx, p, &c) == SM_OK) {
                sm_pool_release(p, c); /* to a waiter, or idle */
                opened = true;
            }
            sm_cx_clear(&p->hk_cx);
        }
        pthread_mutex_lock(&p->mu);
        if (opened || p->closing)
            continue; /* the next one at once */
        struct timespec at;
        clock_gettime(CLOCK_MONOTONIC, &at);
        int64_t ns = at.tv_nsec + p->hk_period_ns;
        at.tv_sec += (time_t)(ns / 1000000000);
        at.tv_nsec = (long)(ns % 1000000000);
        pthread_cond_timedwait(&p->hk_cond, &p->mu, &at);
    }
    p->active--;
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

/* The period: half the shortest of idle_timeout_ms and max_lifetime_ms,
 * between 10 ms and 1 s; no thread when nothing is to be kept. */
static int start_housekeeping(sm_cx *cx, sm_pool *p)
{
    int64_t period = 1000000000;
    if (p->idle_ns >= 0 && p->idle_ns / 2 < period)
        period = p->idle_ns / 2;
    if (p->lifetime_ns >= 0 && p->lifetime_ns / 2 < period)
        period = p->lifetime_ns / 2;
    if (period < 10000000)
        period = 10000000;
    if (p->min_conns == 0 && p->idle_ns < 0 && p->lifetime_ns < 0)
        return SM_OK;
    p->hk_period_ns = period;
    pthread_mutex_lock(&p->mu);
    p->active++;
    pthread_mutex_unlock(&p->mu);
    if (pthread_create(&p->hk, NULL, housekeep, p) != 0) {
        p->active--;
        return sm_cx_fail(cx, SM_NOMEM, "sm_pool_open: cannot start the pool's thread");
    }
    p->hk_on = true;
    return SM_OK;
}

static void stop_housekeeping(sm_pool *p)
{
    if (!p->hk_on)
        return;
    pthread_mutex_lock(&p->mu);
    pthread_cond_signal(&p->hk_cond);
    pthread_mutex_unlock(&p->mu);
    sm_cx_cancel(&p->hk_cx);
    pthread_join(p->hk, NULL);
    p->hk_on = false;
}

/* ---- Opening and closing ------------------------------------------------------------ */

/* Where the URL alone would give each connection a database of its own,
 * the driver names one for the pool's connections to share, and the
 * pool keeps a connection to it (not counted in the stats) so that it
 * lives as long as the pool. */
static int share_url(sm_cx *cx, sm_pool *p)
{
    sm_url u;
    int rc = sm_url_parse(cx, p->url, &u);
    if (rc != SM_OK || !u.drv->pool_url) {
        if (rc == SM_OK)
            sm_url_free(&u);
        return rc;
    }
    char tag[32];
    snprintf(tag, sizeof tag, "%p", (void *)p);
    sm_buf b = SM_BUF_INIT;
    rc = u.drv->pool_url(cx, &u, tag, &b);
    sm_url_free(&u);
    if (rc == SM_OK && b.len) {
        free(p->url);
        p->url = b.data; /* taken over */
        b.data = NULL;
        rc = sm_open(cx, p->url, &p->keeper);
    }
    sm_buf_free(&b);
    return rc;
}

sm_pool *sm_pool_open(sm_cx *cx, const char *url, const sm_pool_opts *opts)
{
    if (!cx)
        return NULL;
    sm_cx_clear(cx);
    if (!url) {
        sm_null_arg(cx, "sm_pool_open", NULL, "url");
        return NULL;
    }
    sm_pool *p = calloc(1, sizeof *p);
    if (!p || !(p->url = strdup(url))) {
        free(p);
        sm_cx_fail(cx, SM_NOMEM, "out of memory opening a pool");
        return NULL;
    }
    if (read_opts(cx, p, opts) != SM_OK) {
        free(p->url);
        free(p);
        return NULL;
    }
    pthread_mutex_init(&p->mu, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&p->hk_cond, &ca);
    pthread_condattr_destroy(&ca);
    sm_cx_init(&p->hk_cx);
    if (share_url(cx, p) != SM_OK) {
        pool_free(p);
        return NULL;
    }
    /* The warm connections, which also proves the URL. */
    sm_conn *warm = NULL;
    for (int i = 0; i < p->min_conns; i++) {
        sm_conn *c;
        pthread_mutex_lock(&p->mu);
        p->pending++;
        pthread_mutex_unlock(&p->mu);
        if (open_in_slot(cx, p, &c) != SM_OK) {
            p->closing = true;
            while (warm) {
                sm_conn *next = warm->pool_next;
                p->st.open--;
                p->st.in_use--;
                destroy(warm);
                warm = next;
            }
            pool_free(p);
            return NULL;
        }
        c->pool_next = warm;
        warm = c;
    }
    while (warm) {
        sm_conn *next = warm->pool_next;
        sm_pool_release(p, warm);
        warm = next;
    }
    if (start_housekeeping(cx, p) != SM_OK) {
        sm_pool_close(p);
        return NULL;
    }
    return p;
}

void sm_pool_close(sm_pool *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    p->closing = true;
    pthread_mutex_unlock(&p->mu);
    stop_housekeeping(p);
    pthread_mutex_lock(&p->mu);
    for (waiter *w; (w = pop_head(p)) != NULL;) {
        w->closed = true;
        pthread_cond_signal(&w->cond);
    }
    sm_conn *idle = p->idle;
    p->idle = NULL;
    p->st.open -= p->st.idle;
    p->st.idle = 0;
    bool last = done(p);
    pthread_mutex_unlock(&p->mu);
    destroy_list(idle);
    if (last)
        pool_free(p);
}

sm_pool_stats sm_pool_stat(const sm_pool *p)
{
    sm_pool_stats s;
    memset(&s, 0, sizeof s);
    if (!p)
        return s;
    sm_pool *mp = (sm_pool *)(uintptr_t)p; /* the lock, not the pool, changes */
    pthread_mutex_lock(&mp->mu);
    s = mp->st;
    pthread_mutex_unlock(&mp->mu);
    return s;
}

/* ---- Acquire ---------------------------------------------------------------------- */

static void wake_waiter(sm_cx_waiter *hook)
{
    waiter *w = (waiter *)(void *)hook;
    pthread_mutex_lock(&w->p->mu);
    pthread_cond_signal(&w->cond);
    pthread_mutex_unlock(&w->p->mu);
}

/* What the head of the line may take now, under the lock: an idle
 * connection (*conn) or a slot (*slot); false when it must wait. */
static bool take_now(sm_pool *p, sm_conn **conn, bool *slot)
{
    if (p->idle) {
        sm_conn *c = p->idle;
        p->idle = c->pool_next;
        c->pool_next = NULL;
        p->st.idle--;
        p->st.in_use++;
        *conn = c;
        return true;
    }
    if (p->st.open + p->pending < p->max_conns) {
        p->pending++;
        *slot = true;
        return true;
    }
    return false;
}

/* Waits in line for a connection or a slot: SM_OK, or SM_TIMEOUT,
 * SM_CANCELLED, SM_CONN (message set).  Entered and left with the lock
 * not held, counted in p->active by the caller: the last to leave a
 * closed pool frees it. */
static int wait_turn(sm_cx *cx, sm_pool *p, sm_conn **conn, bool *slot)
{
    waiter w;
    memset(&w, 0, sizeof w);
    w.hook.wake = wake_waiter;
    w.p = p;
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&w.cond, &ca);
    pthread_condattr_destroy(&ca);
    sm_cx_wait_begin(cx, &w.hook);
    const sm_cx_impl *ci = sm_cx_impl_of(cx);
    int64_t t0 = sm_mono_ns();
    int rc = SM_OK;
    pthread_mutex_lock(&p->mu);
    bool queued = false;
    for (;;) {
        if (w.conn) {
            *conn = w.conn;
            break;
        }
        if (w.slot) {
            *slot = true;
            break;
        }
        if (w.closed || p->closing) {
            rc = SM_CONN;
            break;
        }
        if (!queued && !p->head && take_now(p, conn, slot))
            break;
        if ((rc = sm_cx_check(cx)) != SM_OK)
            break;
        if (!queued) {
            if (p->tail)
                p->tail->next = &w;
            else
                p->head = &w;
            p->tail = &w;
            p->st.waiters++;
            queued = true;
        }
        if (ci->has_deadline)
            pthread_cond_timedwait(&w.cond, &p->mu, &ci->deadline);
        else
            pthread_cond_wait(&w.cond, &p->mu);
    }
    if (rc != SM_OK && queued)
        dequeue(p, &w);
    if (queued)
        p->st.wait_ns_total += (uint64_t)(sm_mono_ns() - t0);
    if (rc == SM_TIMEOUT)
        p->st.timeouts++;
    p->active--;
    bool last = done(p);
    pthread_mutex_unlock(&p->mu);
    /* After this no cancel reaches w, nor the pool through it. */
    sm_cx_wait_end(cx);
    pthread_cond_destroy(&w.cond);
    if (last)
        pool_free(p);
    if (rc == SM_CONN)
        return sm_cx_fail(cx, SM_CONN, "sm_pool_acquire: the pool is closed");
    if (rc != SM_OK)
        return sm_call_fail_cx(cx, rc);
    return SM_OK;
}

/* Is a connection taken from the idle list fit to hand out?  Too old
 * or dead ones are closed, and the caller opens one in their slot. */
static bool healthy(sm_cx *cx, sm_pool *p, sm_conn *c, int64_t now)
{
    if (p->lifetime_ns >= 0 && now - c->pool_born_ns >= p->lifetime_ns) {
        retire_to_slot(p, c, true);
        return false;
    }
    if (p->health_ns < 0 || now - c->pool_idle_ns < p->health_ns)
        return true;
    if (sm_conn_ping(cx, c) == SM_OK)
        return true;
    retire_to_slot(p, c, false);
    return false;
}

int sm_pool_acquire(sm_cx *cx, sm_pool *p, sm_conn **out)
{
    if (out)
        *out = NULL;
    if (!cx)
        return SM_MISUSE;
    sm_cx_clear(cx);
    if (!p)
        return sm_null_arg(cx, "sm_pool_acquire", NULL, "p");
    if (!out)
        return sm_null_arg(cx, "sm_pool_acquire", NULL, "out");
    int rc = sm_cx_check(cx);
    if (rc != SM_OK) {
        if (rc == SM_TIMEOUT) {
            pthread_mutex_lock(&p->mu);
            p->st.timeouts++;
            pthread_mutex_unlock(&p->mu);
        }
        return sm_call_fail_cx(cx, rc);
    }
    sm_conn *conn = NULL;
    bool slot = false;
    pthread_mutex_lock(&p->mu);
    if (p->closing) {
        pthread_mutex_unlock(&p->mu);
        return sm_cx_fail(cx, SM_CONN, "sm_pool_acquire: the pool is closed");
    }
    /* Idle connections past their time are the pool's thread's to
     * close (a walk of the idle list here would cost every acquire);
     * one it has not reached yet is checked below like any other. */
    int64_t now = sm_mono_ns();
    bool fast = !p->head && take_now(p, &conn, &slot);
    if (!fast)
        p->active++; /* keeps the pool until wait_turn leaves it */
    pthread_mutex_unlock(&p->mu);
    if (!fast && (rc = wait_turn(cx, p, &conn, &slot)) != SM_OK)
        return rc;
    /* A dead or worn-out connection is replaced in its slot, as long as
     * the deadline allows (sm_open and sm_conn_ping honour it). */
    while (conn && !healthy(cx, p, conn, now)) {
        conn = NULL;
        slot = true;
    }
    if (!conn && (rc = open_in_slot(cx, p, &conn)) != SM_OK)
        return rc;
    /* Cancelled while a release handed it over: the cancel is sticky. */
    if (sm_cx_cancelled(cx)) {
        sm_pool_release(p, conn);
        return sm_call_fail_cx(cx, SM_CANCELLED);
    }
    sm_cx_clear(cx); /* a failed ping's message is not the caller's */
    conn->pool_takes = conn->takes; /* the ping was not the borrower's call */
    pthread_mutex_lock(&p->mu);
    p->st.acquires++;
    pthread_mutex_unlock(&p->mu);
    *out = conn;
    return SM_OK;
}

/* ---- Release ---------------------------------------------------------------------- */

void sm_pool_release(sm_pool *p, sm_conn *conn)
{
    if (!p || !conn || conn->pool != p)
        return;
    /* The borrower's session goes: its tracer first (the reset is not
     * the borrower's to see), then rows, transaction, settings, locks
     * (sm_conn_reset) within SM_CLEANUP_MS. */
    conn->trace = conn->pool_trace;
    conn->trace_ud = NULL;
    int rc = SM_OK;
    /* A borrower that never used the connection, or only ran generated
     * statements outside a transaction, left nothing to reset: no round
     * trip then, and no cleanup cx either. */
    if (conn->open_rows || (conn->takes != conn->pool_takes && sm_conn_needs_reset(conn))) {
        sm_cx tmp;
        sm_cleanup_cx_init(&tmp);
        rc = sm_conn_reset(&tmp, conn);
        sm_cx_free(&tmp);
    }
    conn->pool_takes = conn->takes;
    int64_t now = sm_mono_ns();
    bool old = p->lifetime_ns >= 0 && now - conn->pool_born_ns >= p->lifetime_ns;
    pthread_mutex_lock(&p->mu);
    p->st.in_use--;
    if (rc != SM_OK || old || p->closing) {
        p->st.open--;
        if (rc != SM_OK)
            p->st.reset_failures++;
        else if (old)
            p->st.recycled++;
        give_slot(p);
        bool last = done(p);
        pthread_mutex_unlock(&p->mu);
        destroy(conn);
        if (last)
            pool_free(p);
        return;
    }
    conn->pool_idle_ns = now;
    waiter *w = pop_head(p);
    if (w) {
        p->st.in_use++;
        w->conn = conn;
        pthread_cond_signal(&w->cond);
    } else {
        conn->pool_next = p->idle;
        p->idle = conn;
        p->st.idle++;
    }
    pthread_mutex_unlock(&p->mu);
}
