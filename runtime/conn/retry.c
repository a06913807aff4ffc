/*
 * retry.c: sm_retry_tx, a transaction retried on SM_RETRY (DESIGN 4.6).
 *
 * Each attempt borrows a connection, so a connection the server killed
 * as a deadlock victim or left unusable is not reused by the next one.
 * The backoff between attempts is exponential with full jitter, so that
 * two transactions that collided do not collide again in lockstep; it
 * never sleeps past the cx deadline, and sm_cx_cancel wakes it.
 */
#include "internal.h"

#include <pthread.h>
#include <time.h>

enum {
    BACKOFF_BASE_MS = 2,  /* first backoff bound */
    BACKOFF_CAP_MS = 500, /* no backoff bound grows past this */
};

typedef struct sleeper {
    sm_cx_waiter hook; /* first: sm_cx_cancel wakes it */
    pthread_mutex_t mu;
    pthread_cond_t cond;
    bool woken;
} sleeper;

static void wake_sleeper(sm_cx_waiter *hook)
{
    sleeper *s = (sleeper *)(void *)hook;
    pthread_mutex_lock(&s->mu);
    s->woken = true;
    pthread_cond_signal(&s->cond);
    pthread_mutex_unlock(&s->mu);
}

/* Sleeps ms on the monotonic clock, or until a cancel of cx. */
static void nap(sm_cx *cx, int64_t ms)
{
    sleeper s = {.hook = {wake_sleeper}};
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_mutex_init(&s.mu, NULL);
    pthread_cond_init(&s.cond, &ca);
    pthread_condattr_destroy(&ca);
    int64_t until = sm_mono_ns() + ms * 1000000;
    struct timespec ts = {.tv_sec = (time_t)(until / 1000000000), .tv_nsec = (long)(until % 1000000000)};
    sm_cx_wait_begin(cx, &s.hook);
    pthread_mutex_lock(&s.mu);
    while (!s.woken && !sm_cx_cancelled(cx) && sm_mono_ns() < until)
        pthread_cond_timedwait(&s.cond, &s.mu, &ts);
    pthread_mutex_unlock(&s.mu);
    sm_cx_wait_end(cx);
    pthread_cond_destroy(&s.cond);
    pthread_mutex_destroy(&s.mu);
}

/* A uniform draw in [bound / 2, bound] ms: xorshift over the clock and
 * the stack address, so that threads do not share a sequence. */
static int64_t jitter(int64_t bound, uint64_t *state)
{
    uint64_t x = *state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    *state = x;
    return bound / 2 + (int64_t)(x % (uint64_t)(bound / 2 + 1));
}

/* One attempt: its code, with the reason in cx. */
static int attempt(sm_cx *cx, sm_pool *p, int (*fn)(sm_cx *, sm_conn *, void *), void *ud)
{
    sm_conn *conn = NULL;
    int rc = sm_pool_acquire(cx, p, &conn);
    if (rc != SM_OK)
        return rc;
    rc = sm_begin(cx, conn);
    if (rc == SM_OK) {
        rc = fn(cx, conn, ud);
        /* A code fn made up itself gets a message, so that cx agrees
         * with what sm_retry_tx returns. */
        if (rc != SM_OK && sm_cx_errcode(cx) != rc)
            sm_cx_fail(cx, rc, "sm_retry_tx: fn returned %s", sm_strerror(rc));
        if (rc == SM_OK)
            rc = sm_commit(cx, conn);
        else if (conn->tx != SM_TX_NONE) {
            /* Under a cx of its own: fn's message stays in cx, and a
             * passed deadline does not keep the rollback from running. */
            sm_cx tmp;
            sm_cleanup_cx_init(&tmp);
            (void)sm_rollback(&tmp, conn);
            sm_cx_free(&tmp);
        }
    }
    sm_pool_release(p, conn);
    return rc;
}

int sm_retry_tx(sm_cx *cx, sm_pool *p, int (*fn)(sm_cx *cx, sm_conn *conn, void *ud), void *ud,
                int max_attempts)
{
    if (!cx)
        return SM_MISUSE;
    sm_cx_clear(cx);
    if (!p)
        return sm_null_arg(cx, "sm_retry_tx", NULL, "p");
    if (!fn)
        return sm_null_arg(cx, "sm_retry_tx", NULL, "fn");
    if (max_attempts <= 0)
        return sm_cx_fail(cx, SM_MISUSE, "sm_retry_tx: max_attempts is %d (at least 1)", max_attempts);
    uint64_t seed = (uint64_t)sm_mono_ns() ^ (uint64_t)(uintptr_t)&seed;
    seed = seed ? seed : 1;
    int64_t bound = BACKOFF_BASE_MS;
    for (int n = 1;; n++) {
        int rc = attempt(cx, p, fn, ud);
        if (rc != SM_RETRY || n == max_attempts)
            return rc;
        int64_t ms = jitter(bound, &seed);
        bound = bound * 2 > BACKOFF_CAP_MS ? BACKOFF_CAP_MS : bound * 2;
        /* A backoff that would outlast the deadline leaves no attempt
         * to make: the last SM_RETRY, and its message, are the answer. */
        int64_t left = sm_cx_remaining_ms(cx);
        if (left >= 0 && left <= ms)
            return rc;
        nap(cx, ms);
        if (sm_cx_cancelled(cx))
            return sm_call_fail_cx(cx, SM_CANCELLED);
    }
}
