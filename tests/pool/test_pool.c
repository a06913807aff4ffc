/*
 * test_pool.c: the connection pool (DESIGN 4.6) on every database:
 * acquire and release, options, exhaustion and timeouts, FIFO order, a
 * waiter cancelled from another thread, close with waiters, recycling,
 * a backend killed while idle, and what release resets.  Every test
 * checks open == idle + in_use in the stats it reads.
 */
#include "tdb.h"

#include "crud_model.h"
#include "internal.h"
#include "tdb_proxy.h"

#include <pthread.h>
#include <time.h>

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000};
    nanosleep(&ts, NULL);
}

static sm_pool_stats stat_ok(tdb *t, sm_pool *p)
{
    sm_pool_stats s = sm_pool_stat(p);
    tdb_check(t, __FILE__, __LINE__, "open == idle + in_use", s.open == s.idle + s.in_use,
              "open %d idle %d in_use %d", s.open, s.idle, s.in_use);
    return s;
}

/* A pool of at most max connections to url, health checked after
 * health_ms. */
static sm_pool *open_pool_url(tdb *t, const char *url, int max, int health_ms)
{
    sm_pool_opts o;
    memset(&o, 0, sizeof o);
    o.max_conns = max;
    o.health_check_after_ms = health_ms;
    sm_pool *p = sm_pool_open(&t->cx, url, &o);
    if (!p)
        fail_msg("%s: sm_pool_open: %s", t->name, sm_cx_errmsg(&t->cx));
    return p;
}

static sm_pool *open_pool(tdb *t, int max, int health_ms)
{
    return open_pool_url(t, t->url, max, health_ms);
}

/* Waits (bounded) until the pool has n waiters. */
static void await_waiters(sm_pool *p, int n)
{
    for (int i = 0; i < 20000 && sm_pool_stat(p).waiters != n; i++)
        sleep_ms(1);
    assert_int_equal(sm_pool_stat(p).waiters, n);
}

/* ---- Acquire and release ---------------------------------------------------------- */

static void body_basic(tdb *t)
{
    sm_pool *p = open_pool(t, 2, 0);
    sm_pool_stats s = stat_ok(t, p);
    tdb_check_int(t, __FILE__, __LINE__, "open at start", s.open, 0);
    sm_conn *a, *b;
    expect_ok(t, sm_pool_acquire(&t->cx, p, &a));
    expect_ok(t, sm_pool_acquire(&t->cx, p, &b));
    assert_true(a != b);
    s = stat_ok(t, p);
    tdb_check_int(t, __FILE__, __LINE__, "in_use", s.in_use, 2);
    tdb_check_int(t, __FILE__, __LINE__, "created", (int64_t)s.created, 2);
    tdb_check_int(t, __FILE__, __LINE__, "select", tdb_scalar_int(&t->cx, a, "SELECT 41 + 1", NULL, 0), 42);
    sm_pool_release(p, a);
    sm_close(b); /* a pooled connection goes back */
    s = stat_ok(t, p);
    tdb_check_int(t, __FILE__, __LINE__, "idle", s.idle, 2);
    tdb_check_int(t, __FILE__, __LINE__, "in_use after", s.in_use, 0);
    sm_conn *c;
    expect_ok(t, sm_pool_acquire(&t->cx, p, &c));
    assert_true(c == a || c == b);
    /* Released unused: no reset, the connection is not even taken. */
    uint64_t takes = c->takes;
    sm_pool_release(p, c);
    expect_ok(t, sm_pool_acquire(&t->cx, p, &c));
    tdb_check_int(t, __FILE__, __LINE__, "no reset", (int64_t)(c->takes - takes), 0);
    s = stat_ok(t, p);
    tdb_check_int(t, __FILE__, __LINE__, "reused", (int64_t)s.created, 2);
    tdb_check_int(t, __FILE__, __LINE__, "acquires", (int64_t)s.acquires, 4);
    /* Closed with a connection out: freed when it comes back. */
    sm_pool_close(p);
    tdb_check_int(t, __FILE__, __LINE__, "usable", tdb_scalar_int(&t->cx, c, "SELECT 7", NULL, 0), 7);
    sm_close(c);
}

static void test_basic(void **state)
{
    (void)state;
    tdb_each(NULL, body_basic);
}

static void body_opts(tdb *t)
{
    sm_pool_opts o;
    memset(&o, 0, sizeof o);
    o.min_conns = 3;
    o.max_conns = 2;
    assert_null(sm_pool_open(&t->cx, t->url, &o));
    tdb_check_rc(t, __FILE__, __LINE__, "min > max", sm_cx_errcode(&t->cx), SM_MISUSE);
    memset(&o, 0, sizeof o);
    o.reserved[3] = 1;
    assert_null(sm_pool_open(&t->cx, t->url, &o));
    tdb_check_rc(t, __FILE__, __LINE__, "reserved", sm_cx_errcode(&t->cx), SM_MISUSE);
    memset(&o, 0, sizeof o);
    o.idle_timeout_ms = -2;
    assert_null(sm_pool_open(&t->cx, t->url, &o));
    tdb_check_rc(t, __FILE__, __LINE__, "-2", sm_cx_errcode(&t->cx), SM_MISUSE);
    /* min_conns are open and idle at once. */
    memset(&o, 0, sizeof o);
    o.min_conns = 2;
    sm_pool *p = sm_pool_open(&t->cx, t->url, &o);
    assert_non_null(p);
    sm_pool_stats s = stat_ok(t, p);
    tdb_check_int(t, __FILE__, __LINE__, "warm idle", s.idle, 2);
    tdb_check_int(t, __FILE__, __LINE__, "warm created", (int64_t)s.created, 2);
    sm_pool_close(p);
    /* A URL that cannot be opened fails sm_pool_open when min_conns > 0. */
    assert_null(sm_pool_open(&t->cx, "nosuch://x", &o));
    tdb_check_rc(t, __FILE__, __LINE__, "bad url", sm_cx_errcode(&t->cx), SM_MISUSE);
}

static void test_opts(void **state)
{
    (void)state;
    tdb_each(NULL, body_opts);
}

/* ---- Waiting ------------------------------------------------------------------------ */

static void body_exhausted(tdb *t)
{
    sm_pool *p = open_pool(t, 1, 0);
    sm_conn *a, *b = (sm_conn *)1;
    expect_ok(t, sm_pool_acquire(&t->cx, p, &a));
    sm_cx cx;
    sm_cx_init(&cx);
    sm_cx_set_timeout_ms(&cx, 200);
    int64_t t0 = sm_mono_ns();
    TDB_RC(&cx, sm_pool_acquire(&cx, p, &b), SM_TIMEOUT);
    assert_true(tdb_ms_since(t0) >= 150);
    assert_null(b);
    /* Past the deadline: at once, without waiting. */
    TDB_RC(&cx, sm_pool_acquire(&cx, p, &b), SM_TIMEOUT);
    sm_pool_stats s = stat_ok(t, p);
    tdb_check_int(t, __FILE__, __LINE__, "timeouts", (int64_t)s.timeouts, 2);
    tdb_check_int(t, __FILE__, __LINE__, "waiters", s.waiters, 0);
    tdb_check(t, __FILE__, __LINE__, "wait_ns", s.wait_ns_total >= 150000000, "%llu",
              (unsigned long long)s.wait_ns_total);
    sm_cx_free(&cx);
    sm_close(a);
    sm_pool_close(p);
}

static void test_exhausted(void **state)
{
    (void)state;
    tdb_each(NULL, body_exhausted);
}

enum { NTHREADS = 4 };

typedef struct taker {
    sm_pool *p;
    sm_cx cx;
    pthread_t th;
    int rc;
    int order;
    int *next_order; /* shared, under the pool's own ordering */
    pthread_mutex_t *mu;
} taker;

static void *take_and_give(void *arg)
{
    taker *k = arg;
    sm_conn *c = NULL;
    k->rc = sm_pool_acquire(&k->cx, k->p, &c);
    if (k->rc == SM_OK) {
        pthread_mutex_lock(k->mu);
        k->order = (*k->next_order)++;
        pthread_mutex_unlock(k->mu);
        sm_pool_release(k->p, c);
    }
    return NULL;
}

static void start_takers(sm_pool *p, taker *k, int n, int *next, pthread_mutex_t *mu)
{
    for (int i = 0; i < n; i++) {
        memset(&k[i], 0, sizeof k[i]);
        k[i].p = p;
        k[i].order = -1;
        k[i].next_order = next;
        k[i].mu = mu;
        sm_cx_init(&k[i].cx);
        sm_cx_set_timeout_ms(&k[i].cx, TDB_TIMEOUT_MS);
        assert_int_equal(pthread_create(&k[i].th, NULL, take_and_give, &k[i]), 0);
        await_waiters(p, i + 1); /* queued in this order */
    }
}

static void join_takers(taker *k, int n)
{
    for (int i = 0; i < n; i++) {
        pthread_join(k[i].th, NULL);
        sm_cx_free(&k[i].cx);
    }
}

static void body_fifo(tdb *t)
{
    sm_pool *p = open_pool(t, 1, 0);
    sm_conn *a;
    expect_ok(t, sm_pool_acquire(&t->cx, p, &a));
    taker k[NTHREADS];
    int next = 0;
    pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
    start_takers(p, k, NTHREADS, &next, &mu);
    sm_pool_release(p, a);
    join_takers(k, NTHREADS);
    for (int i = 0; i < NTHREADS; i++) {
        tdb_check_rc(t, __FILE__, __LINE__, "taker", k[i].rc, SM_OK);
        tdb_check_int(t, __FILE__, __LINE__, "served in order", k[i].order, i);
    }
    sm_pool_stats s = stat_ok(t, p);
    tdb_check_int(t, __FILE__, __LINE__, "one connection", (int64_t)s.created, 1);
    tdb_check_int(t, __FILE__, __LINE__, "acquires", (int64_t)s.acquires, NTHREADS + 1);
    tdb_check_int(t, __FILE__, __LINE__, "idle", s.idle, 1);
    sm_pool_close(p);
}

static void test_fifo(void **state)
{
    (void)state;
    tdb_each(NULL, body_fifo);
}

static void body_cancel_waiter(tdb *t)
{
    sm_pool *p = open_pool(t, 1, 0);
    sm_conn *a;
    expect_ok(t, sm_pool_acquire(&t->cx, p, &a));
    taker k[2];
    int next = 0;
    pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
    start_takers(p, k, 2, &next, &mu);
    /* The first in line is cancelled: it leaves, the second keeps its
     * place and gets the connection. */
    sm_cx_cancel(&k[0].cx);
    pthread_join(k[0].th, NULL);
    tdb_check_rc(t, __FILE__, __LINE__, "cancelled", k[0].rc, SM_CANCELLED);
    tdb_check_int(t, __FILE__, __LINE__, "one waiter left", sm_pool_stat(p).waiters, 1);
    sm_pool_release(p, a);
    pthread_join(k[1].th, NULL);
    tdb_check_rc(t, __FILE__, __LINE__, "second", k[1].rc, SM_OK);
    sm_cx_free(&k[0].cx);
    sm_cx_free(&k[1].cx);
    sm_pool_stats s = stat_ok(t, p);
    tdb_check_int(t, __FILE__, __LINE__, "waiters", s.waiters, 0);
    tdb_check_int(t, __FILE__, __LINE__, "idle", s.idle, 1);
    /* A cancel that comes after the acquire ended reaches nothing. */
    sm_pool_close(p);
}

static void test_cancel_waiter(void **state)
{
    (void)state;
    tdb_each(NULL, body_cancel_waiter);
}

static void body_close_waiters(tdb *t)
{
    sm_pool *p = open_pool(t, 1, 0);
    sm_conn *a;
    expect_ok(t, sm_pool_acquire(&t->cx, p, &a));
    taker k[2];
    int next = 0;
    pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
    start_takers(p, k, 2, &next, &mu);
    sm_pool_close(p);
    /* The borrowed connection still works; its release frees the pool,
     * but only once the waiters, which may not have woken yet, left it. */
    tdb_check_int(t, __FILE__, __LINE__, "usable", tdb_scalar_int(&t->cx, a, "SELECT 3", NULL, 0), 3);
    sm_pool_release(p, a);
    for (int i = 0; i < 2; i++) {
        pthread_join(k[i].th, NULL);
        tdb_check_rc(t, __FILE__, __LINE__, "closed", k[i].rc, SM_CONN);
        sm_cx_free(&k[i].cx);
    }
}

static void test_close_waiters(void **state)
{
    (void)state;
    tdb_each(NULL, body_close_waiters);
}

/* ---- Recycling and health ------------------------------------------------------------ */

/* Waits (bounded) until the pool has open connections and at least
 * recycled_at_least recycled. */
static bool await_stat(sm_pool *p, int open, uint64_t recycled_at_least)
{
    for (int i = 0; i < 1000; i++) {
        sm_pool_stats s = sm_pool_stat(p);
        if (s.open == open && s.recycled >= recycled_at_least)
            return true;
        sleep_ms(5);
    }
    return false;
}

static void body_recycle(tdb *t)
{
    sm_pool_opts o;
    memset(&o, 0, sizeof o);
    o.max_lifetime_ms = 1;
    sm_pool *p = sm_pool_open(&t->cx, t->url, &o);
    assert_non_null(p);
    sm_conn *a;
    expect_ok(t, sm_pool_acquire(&t->cx, p, &a));
    sleep_ms(5);
    sm_pool_release(p, a); /* too old: closed */
    sm_pool_stats s = stat_ok(t, p);
    tdb_check_int(t, __FILE__, __LINE__, "lifetime open", s.open, 0);
    tdb_check_int(t, __FILE__, __LINE__, "lifetime recycled", (int64_t)s.recycled, 1);
    sm_pool_close(p);

    memset(&o, 0, sizeof o);
    o.idle_timeout_ms = 300;
    p = sm_pool_open(&t->cx, t->url, &o);
    assert_non_null(p);
    expect_ok(t, sm_pool_acquire(&t->cx, p, &a));
    sm_pool_release(p, a);
    tdb_check_int(t, __FILE__, __LINE__, "idle kept", stat_ok(t, p).idle, 1);
    /* The pool's thread closes it (it looks every 150 ms, half the
     * timeout). */
    tdb_check(t, __FILE__, __LINE__, "idle closed", await_stat(p, 0, 1), "open %d",
              sm_pool_stat(p).open);
    expect_ok(t, sm_pool_acquire(&t->cx, p, &a));
    s = stat_ok(t, p);
    tdb_check_int(t, __FILE__, __LINE__, "idle recycled", (int64_t)s.recycled, 1);
    tdb_check_int(t, __FILE__, __LINE__, "idle created", (int64_t)s.created, 2);
    tdb_check_int(t, __FILE__, __LINE__, "idle open", s.open, 1);
    sm_pool_release(p, a);
    sm_pool_close(p);
}

static void test_recycle(void **state)
{
    (void)state;
    tdb_each(NULL, body_recycle);
}

/* Without any acquire, the pool's thread closes idle connections past
 * idle_timeout_ms and keeps min_conns open: warm connections that age
 * out (max_lifetime_ms) are replaced. */
static void body_housekeeping(tdb *t)
{
    sm_pool_opts o;
    memset(&o, 0, sizeof o);
    o.idle_timeout_ms = 50;
    sm_pool *p = sm_pool_open(&t->cx, t->url, &o);
    assert_non_null(p);
    sm_conn *c[3];
    for (int i = 0; i < 3; i++)
        expect_ok(t, sm_pool_acquire(&t->cx, p, &c[i]));
    for (int i = 0; i < 3; i++)
        sm_pool_release(p, c[i]);
    tdb_check(t, __FILE__, __LINE__, "idle closed without an acquire", await_stat(p, 0, 3),
              "open %d recycled %llu", sm_pool_stat(p).open,
              (unsigned long long)sm_pool_stat(p).recycled);
    sm_pool_stats s = stat_ok(t, p);
    tdb_check_int(t, __FILE__, __LINE__, "recycled", (int64_t)s.recycled, 3);
    sm_pool_close(p);

    memset(&o, 0, sizeof o);
    o.min_conns = 2;
    o.max_lifetime_ms = 100;
    p = sm_pool_open(&t->cx, t->url, &o);
    assert_non_null(p);
    /* Both opened by sm_pool_open (one may have aged out already on a
     * slow machine: the count of opens, not of those open, is exact). */
    s = stat_ok(t, p);
    tdb_check(t, __FILE__, __LINE__, "warm at open", s.created >= 2 && s.open <= 2,
              "created %llu open %d", (unsigned long long)s.created, s.open);
    /* Both age out and are replaced, twice over, with nobody asking. */
    tdb_check(t, __FILE__, __LINE__, "kept warm", await_stat(p, 2, 4), "open %d recycled %llu",
              sm_pool_stat(p).open, (unsigned long long)sm_pool_stat(p).recycled);
    s = stat_ok(t, p);
    tdb_check(t, __FILE__, __LINE__, "created", s.created >= 6, "%llu",
              (unsigned long long)s.created);
    tdb_check_int(t, __FILE__, __LINE__, "idle", s.idle, 2);
    sm_conn *a;
    expect_ok(t, sm_pool_acquire(&t->cx, p, &a));
    tdb_check_int(t, __FILE__, __LINE__, "works", tdb_scalar_int(&t->cx, a, "SELECT 2", NULL, 0), 2);
    sm_close(a);
    sm_pool_close(p);

    /* Closing while the thread may be opening: nothing hangs or leaks. */
    for (int i = 0; i < 10; i++) {
        memset(&o, 0, sizeof o);
        o.min_conns = 1;
        o.max_lifetime_ms = 10;
        p = sm_pool_open(&t->cx, t->url, &o);
        assert_non_null(p);
        sleep_ms(i * 3);
        sm_pool_close(p);
    }
}

static void test_housekeeping(void **state)
{
    (void)state;
    tdb_each(NULL, body_housekeeping);
}

/* The backend of an idle connection is killed: the checkout's ping sees
 * it, and the caller gets a new connection without an error. */
static void body_killed_idle(tdb *t)
{
    sm_pool *p = open_pool(t, 1, 1);
    sm_conn *a;
    expect_ok(t, sm_pool_acquire(&t->cx, p, &a));
    bool pg = t->d == SM_POSTGRES;
    const char *who = pg ? "SELECT pg_backend_pid()" : "SELECT CONNECTION_ID()";
    int64_t id = tdb_scalar_int(&t->cx, a, who, NULL, 0);
    sm_pool_release(p, a);
    sm_value v = sm_int(id);
    if (pg) {
        tdb_check_int(t, __FILE__, __LINE__, "terminated",
                      tdb_scalar_int(&t->cx, t->conn, "SELECT pg_terminate_backend(?::int)::int",
                                     &v, 1),
                      1);
    } else {
        expect_ok(t, sm_exec(&t->cx, t->conn, "KILL CONNECTION ?", &v, 1, NULL));
    }
    sleep_ms(100); /* the server ends the session; idle past the health check */
    sm_conn *b;
    expect_ok(t, sm_pool_acquire(&t->cx, p, &b));
    int64_t id2 = tdb_scalar_int(&t->cx, b, who, NULL, 0);
    tdb_check(t, __FILE__, __LINE__, "a new backend", id2 != id, "%lld", (long long)id2);
    sm_pool_stats s = stat_ok(t, p);
    tdb_check_int(t, __FILE__, __LINE__, "failed_checks", (int64_t)s.failed_checks, 1);
    tdb_check_int(t, __FILE__, __LINE__, "created", (int64_t)s.created, 2);
    tdb_check_int(t, __FILE__, __LINE__, "open", s.open, 1);
    sm_pool_release(p, b);
    sm_pool_close(p);
}

static void test_killed_idle(void **state)
{
    (void)state;
    tdb_each_on(TDB_ON(SM_POSTGRES) | TDB_ON(SM_MYSQL), NULL, body_killed_idle);
}

/* ---- Reset ----------------------------------------------------------------------------- */

static int traced;

static void count_trace(void *ud, const sm_trace *tr)
{
    (void)ud;
    (void)tr;
    traced++;
}

static int create_items(sm_cx *cx, sm_conn *conn)
{
    return sm_exec(cx, conn, "CREATE TABLE items (id INTEGER PRIMARY KEY, name VARCHAR(20))",
                   NULL, 0, NULL);
}

static void body_reset(tdb *t)
{
    sm_pool *p = open_pool(t, 1, -1);
    sm_conn *a;
    expect_ok(t, sm_pool_acquire(&t->cx, p, &a));
    const char *probe = "SELECT count(*) FROM items WHERE id > ?";
    sm_value zero = sm_int(0);
    tdb_check_int(t, __FILE__, __LINE__, "empty", tdb_scalar_int(&t->cx, a, probe, &zero, 1), 0);
    /* The borrower leaves a transaction with a row, open rows, a tracer
     * and (MySQL) foreign key checks off. */
    sm_conn_set_trace(a, count_trace, NULL);
    expect_ok(t, sm_begin(&t->cx, a));
    expect_ok(t, sm_exec(&t->cx, a, "INSERT INTO items (id, name) VALUES (1, 'x')", NULL, 0, NULL));
    if (t->d == SM_MYSQL)
        expect_ok(t, sm_exec(&t->cx, a, "SET FOREIGN_KEY_CHECKS = 0", NULL, 0, NULL));
    sm_rows *r;
    expect_ok(t, sm_query(&t->cx, a, "SELECT name FROM items", NULL, 0, &r));
    int before_trace = traced;
    sm_conn_stats st0 = sm_conn_stat(a);
    sm_pool_release(p, a);

    sm_conn *b;
    expect_ok(t, sm_pool_acquire(&t->cx, p, &b));
    assert_ptr_equal(a, b);
    tdb_check(t, __FILE__, __LINE__, "no transaction", !sm_in_transaction(b), "open");
    /* The first statement is a cache hit, and the row was rolled back. */
    tdb_check_int(t, __FILE__, __LINE__, "rolled back", tdb_scalar_int(&t->cx, b, probe, &zero, 1), 0);
    sm_conn_stats st1 = sm_conn_stat(b);
    tdb_check_int(t, __FILE__, __LINE__, "cache hit", (int64_t)(st1.cache_hits - st0.cache_hits), 1);
    tdb_check_int(t, __FILE__, __LINE__, "no prepare", (int64_t)(st1.prepares - st0.prepares), 0);
    tdb_check_int(t, __FILE__, __LINE__, "tracer removed", traced, before_trace);
    if (t->d == SM_MYSQL)
        tdb_check_int(t, __FILE__, __LINE__, "fk checks",
                      tdb_scalar_int(&t->cx, b, "SELECT @@FOREIGN_KEY_CHECKS", NULL, 0), 1);
    /* The rows left open were closed under the borrower. */
    tdb_check_rc(t, __FILE__, __LINE__, "rows detached", sm_rows_next(r), SM_MISUSE);
    sm_rows_close(r);
    sm_close(b);
    sm_pool_stats s = stat_ok(t, p);
    tdb_check_int(t, __FILE__, __LINE__, "reset_failures", (int64_t)s.reset_failures, 0);
    sm_pool_close(p);
}

static void test_reset(void **state)
{
    (void)state;
    tdb_each(create_items, body_reset);
}

/* The backend of a borrowed connection is killed inside a transaction:
 * the reset at release fails, the connection is closed, and the next
 * acquire opens a new one. */
static void body_killed_busy(tdb *t)
{
    sm_pool *p = open_pool(t, 1, -1);
    sm_conn *a;
    expect_ok(t, sm_pool_acquire(&t->cx, p, &a));
    bool pg = t->d == SM_POSTGRES;
    const char *who = pg ? "SELECT pg_backend_pid()" : "SELECT CONNECTION_ID()";
    int64_t id = tdb_scalar_int(&t->cx, a, who, NULL, 0);
    expect_ok(t, sm_begin(&t->cx, a));
    sm_value v = sm_int(id);
    if (pg)
        tdb_scalar_int(&t->cx, t->conn, "SELECT pg_terminate_backend(?::int)::int", &v, 1);
    else
        expect_ok(t, sm_exec(&t->cx, t->conn, "KILL CONNECTION ?", &v, 1, NULL));
    sleep_ms(100);
    sm_pool_release(p, a);
    sm_pool_stats s = stat_ok(t, p);
    tdb_check_int(t, __FILE__, __LINE__, "reset_failures", (int64_t)s.reset_failures, 1);
    tdb_check_int(t, __FILE__, __LINE__, "closed", s.open, 0);
    sm_conn *b;
    expect_ok(t, sm_pool_acquire(&t->cx, p, &b));
    tdb_check(t, __FILE__, __LINE__, "a new backend", tdb_scalar_int(&t->cx, b, who, NULL, 0) != id,
              "same backend");
    sm_close(b);
    tdb_check_int(t, __FILE__, __LINE__, "created", (int64_t)stat_ok(t, p).created, 2);
    sm_pool_close(p);
}

static void test_killed_busy(void **state)
{
    (void)state;
    tdb_each_on(TDB_ON(SM_POSTGRES) | TDB_ON(SM_MYSQL), NULL, body_killed_busy);
}

/* ---- Many threads ----------------------------------------------------------------------- */

enum { NWORKERS = 8, ROUNDS = 100, POOL_CONNS = 3 };

typedef struct worker {
    sm_pool *p;
    int errors;
    int unbalanced;
    pthread_t th;
} worker;

static void *work(void *arg)
{
    worker *w = arg;
    sm_cx cx;
    sm_cx_init(&cx);
    sm_cx_set_timeout_ms(&cx, TDB_TIMEOUT_MS);
    for (int i = 0; i < ROUNDS; i++) {
        sm_conn *c;
        if (sm_pool_acquire(&cx, w->p, &c) != SM_OK) {
            w->errors++;
            continue;
        }
        sm_value v = sm_int(i);
        sm_rows *r;
        if (sm_query(&cx, c, "SELECT ? + 1", &v, 1, &r) != SM_OK) {
            w->errors++;
        } else {
            if (sm_rows_next(r) != SM_ROW || sm_rows_int(r, 0) != i + 1)
                w->errors++;
            sm_rows_close(r);
        }
        sm_pool_stats s = sm_pool_stat(w->p);
        if (s.open != s.idle + s.in_use || s.open > POOL_CONNS)
            w->unbalanced++;
        sm_close(c);
    }
    sm_cx_free(&cx);
    return NULL;
}

static void body_threads(tdb *t)
{
    sm_pool *p = open_pool(t, POOL_CONNS, 0);
    worker w[NWORKERS];
    memset(w, 0, sizeof w);
    for (int i = 0; i < NWORKERS; i++) {
        w[i].p = p;
        assert_int_equal(pthread_create(&w[i].th, NULL, work, &w[i]), 0);
    }
    for (int i = 0; i < NWORKERS; i++) {
        pthread_join(w[i].th, NULL);
        tdb_check_int(t, __FILE__, __LINE__, "errors", w[i].errors, 0);
        tdb_check_int(t, __FILE__, __LINE__, "unbalanced stats", w[i].unbalanced, 0);
    }
    sm_pool_stats s = stat_ok(t, p);
    tdb_check_int(t, __FILE__, __LINE__, "acquires", (int64_t)s.acquires, NWORKERS * ROUNDS);
    tdb_check_int(t, __FILE__, __LINE__, "in_use", s.in_use, 0);
    tdb_check_int(t, __FILE__, __LINE__, "waiters", s.waiters, 0);
    tdb_check(t, __FILE__, __LINE__, "at most max", s.created <= POOL_CONNS, "%llu",
              (unsigned long long)s.created);
    sm_pool_close(p);
}

static void test_threads(void **state)
{
    (void)state;
    tdb_each(NULL, body_threads);
}

/* The same with a generated statement: a borrower inserts a team in a
 * transaction it leaves open; the next borrower inserts the same unique
 * name (the first was rolled back) through the cached statement. */
static int create_heroes(sm_cx *cx, sm_conn *conn)
{
    return sm_module_create_all(cx, conn, &heroes_module);
}

static void body_reset_generated(tdb *t)
{
    sm_pool *p = open_pool(t, 1, -1);
    sm_conn *a;
    expect_ok(t, sm_pool_acquire(&t->cx, p, &a));
    expect_ok(t, sm_begin(&t->cx, a));
    Team team = {0, "Avengers"};
    expect_ok(t, sm_model_insert(&t->cx, a, &team_model, &team));
    sm_pool_release(p, a);
    sm_conn *b;
    expect_ok(t, sm_pool_acquire(&t->cx, p, &b));
    sm_conn_stats st0 = sm_conn_stat(b);
    Team again = {0, "Avengers"};
    expect_ok(t, sm_model_insert(&t->cx, b, &team_model, &again));
    sm_conn_stats st1 = sm_conn_stat(b);
    tdb_check(t, __FILE__, __LINE__, "statements", st1.statements > st0.statements, "none ran");
    tdb_check_int(t, __FILE__, __LINE__, "every one a cache hit",
                  (int64_t)(st1.cache_hits - st0.cache_hits),
                  (int64_t)(st1.statements - st0.statements));
    tdb_check_int(t, __FILE__, __LINE__, "no prepare", (int64_t)(st1.prepares - st0.prepares), 0);
    tdb_check_int(t, __FILE__, __LINE__, "one team",
                  tdb_scalar_int(&t->cx, b, "SELECT count(*) FROM teams", NULL, 0), 1);
    sm_close(b);
    sm_pool_close(p);
}

static void test_reset_generated(void **state)
{
    (void)state;
    tdb_each(create_heroes, body_reset_generated);
}

/* What a release costs after generated statements only: nothing when no
 * transaction is open, one ROLLBACK when one is; after raw SQL, the
 * whole session is restored (a setting the borrower changed comes
 * back). */
static void body_reset_cost(tdb *t)
{
    sm_pool *p = open_pool(t, 1, -1);
    sm_conn *a, *b;
    expect_ok(t, sm_pool_acquire(&t->cx, p, &a));
    Team one = {0, "One"};
    expect_ok(t, sm_model_insert(&t->cx, a, &team_model, &one));
    sm_conn_stats st0 = sm_conn_stat(a);
    sm_pool_release(p, a);
    expect_ok(t, sm_pool_acquire(&t->cx, p, &b));
    assert_ptr_equal(a, b);
    sm_conn_stats st1 = sm_conn_stat(b);
    tdb_check_int(t, __FILE__, __LINE__, "no statement at release",
                  (int64_t)(st1.statements - st0.statements), 0);
    tdb_check_int(t, __FILE__, __LINE__, "no round trip at release",
                  (int64_t)(st1.round_trips - st0.round_trips), 0);

    expect_ok(t, sm_begin(&t->cx, b));
    Team two = {0, "Two"};
    expect_ok(t, sm_model_insert(&t->cx, b, &team_model, &two));
    st0 = sm_conn_stat(b);
    sm_pool_release(p, b);
    expect_ok(t, sm_pool_acquire(&t->cx, p, &a));
    st1 = sm_conn_stat(a);
    tdb_check_int(t, __FILE__, __LINE__, "one ROLLBACK at release",
                  (int64_t)(st1.statements - st0.statements), 1);
    tdb_check_int(t, __FILE__, __LINE__, "rolled back",
                  tdb_scalar_int(&t->cx, a, "SELECT count(*) FROM teams", NULL, 0), 1);

    /* A setting changed by raw SQL, per database, and its probe. */
    static const char *const set[] = {
        [SM_SQLITE] = "PRAGMA foreign_keys = OFF",
        [SM_POSTGRES] = "SET lock_timeout = 12345",
        [SM_MYSQL] = "SET SESSION unique_checks = 0",
    };
    static const char *const probe[] = {
        [SM_SQLITE] = "SELECT foreign_keys FROM pragma_foreign_keys",
        [SM_POSTGRES] = ("SELECT count(*) FROM pg_settings WHERE name = 'lock_timeout' "
                         "AND setting = '12345'"),
        [SM_MYSQL] = "SELECT @@SESSION.unique_checks = 0",
    };
    int64_t before = tdb_scalar_int(&t->cx, a, probe[t->d], NULL, 0);
    expect_ok(t, sm_exec(&t->cx, a, set[t->d], NULL, 0, NULL));
    int64_t changed = tdb_scalar_int(&t->cx, a, probe[t->d], NULL, 0);
    tdb_check(t, __FILE__, __LINE__, "changed", changed != before, "%lld", (long long)changed);
    sm_pool_release(p, a);
    expect_ok(t, sm_pool_acquire(&t->cx, p, &b));
    tdb_check_int(t, __FILE__, __LINE__, "restored",
                  tdb_scalar_int(&t->cx, b, probe[t->d], NULL, 0), before);
    sm_close(b);
    sm_pool_stats s = stat_ok(t, p);
    tdb_check_int(t, __FILE__, __LINE__, "reset_failures", (int64_t)s.reset_failures, 0);
    sm_pool_close(p);
}

static void test_reset_cost(void **state)
{
    (void)state;
    tdb_each(create_heroes, body_reset_cost);
}

/* A connection past max_lifetime_ms is not handed out again. */
static void body_lifetime_checkout(tdb *t)
{
    sm_pool_opts o;
    memset(&o, 0, sizeof o);
    o.max_lifetime_ms = 300;
    sm_pool *p = sm_pool_open(&t->cx, t->url, &o);
    assert_non_null(p);
    sm_conn *a, *b;
    expect_ok(t, sm_pool_acquire(&t->cx, p, &a));
    sm_pool_release(p, a); /* young: kept */
    tdb_check_int(t, __FILE__, __LINE__, "kept", stat_ok(t, p).idle, 1);
    sleep_ms(350);
    expect_ok(t, sm_pool_acquire(&t->cx, p, &b));
    sm_pool_stats s = stat_ok(t, p);
    tdb_check_int(t, __FILE__, __LINE__, "recycled", (int64_t)s.recycled, 1);
    tdb_check_int(t, __FILE__, __LINE__, "created", (int64_t)s.created, 2);
    tdb_check_int(t, __FILE__, __LINE__, "open", s.open, 1);
    sm_close(b);
    sm_pool_close(p);
}

static void test_lifetime_checkout(void **state)
{
    (void)state;
    tdb_each(NULL, body_lifetime_checkout);
}

/* A server that accepts and never answers: the acquire opening a
 * connection ends at its deadline, counted as a timeout, and its slot is
 * free again for the next acquire. */
static void body_open_timeout(tdb *t)
{
    tdb_proxy *px = tdb_proxy_start(t->url);
    sm_pool *p = sm_pool_open(&t->cx, tdb_proxy_url(px), NULL);
    assert_non_null(p);
    tdb_proxy_swallow(px, true);
    sleep_ms(100); /* the proxy reads the flag once per turn of its loop */
    sm_cx quick;
    sm_cx_init(&quick);
    sm_cx_set_timeout_ms(&quick, 300);
    sm_conn *c;
    TDB_RC(&quick, sm_pool_acquire(&quick, p, &c), SM_TIMEOUT);
    sm_cx_free(&quick);
    sm_pool_stats s = stat_ok(t, p);
    tdb_check_int(t, __FILE__, __LINE__, "timeouts", (int64_t)s.timeouts, 1);
    tdb_check_int(t, __FILE__, __LINE__, "open", s.open, 0);
    tdb_proxy_swallow(px, false);
    sleep_ms(100);
    expect_ok(t, sm_pool_acquire(&t->cx, p, &c));
    tdb_check_int(t, __FILE__, __LINE__, "served", tdb_scalar_int(&t->cx, c, "SELECT 5", NULL, 0), 5);
    sm_close(c);
    sm_pool_close(p);
    tdb_proxy_stop(px);
}

static void test_open_timeout(void **state)
{
    (void)state;
    tdb_each_on(TDB_ON(SM_POSTGRES) | TDB_ON(SM_MYSQL), NULL, body_open_timeout);
}

/* A health check cut short by the caller's deadline (the server's reply
 * is held back): SM_TIMEOUT, and the connection (in an unknown state) is
 * closed as a failed check. */
static void body_ping_deadline(tdb *t)
{
    tdb_proxy *px = tdb_proxy_start(t->url);
    sm_pool *p = open_pool_url(t, tdb_proxy_url(px), 1, 1);
    sm_conn *c;
    expect_ok(t, sm_pool_acquire(&t->cx, p, &c));
    sm_pool_release(p, c);
    sleep_ms(5);
    tdb_proxy_hold(px, true);
    sm_cx quick;
    sm_cx_init(&quick);
    sm_cx_set_timeout_ms(&quick, 300);
    TDB_RC(&quick, sm_pool_acquire(&quick, p, &c), SM_TIMEOUT);
    sm_cx_free(&quick);
    sm_pool_stats s = stat_ok(t, p);
    tdb_check_int(t, __FILE__, __LINE__, "failed_checks", (int64_t)s.failed_checks, 1);
    tdb_check_int(t, __FILE__, __LINE__, "open", s.open, 0);
    tdb_proxy_hold(px, false);
    expect_ok(t, sm_pool_acquire(&t->cx, p, &c));
    tdb_check_int(t, __FILE__, __LINE__, "served", tdb_scalar_int(&t->cx, c, "SELECT 6", NULL, 0), 6);
    sm_close(c);
    sm_pool_close(p);
    tdb_proxy_stop(px);
}

static void test_ping_deadline(void **state)
{
    (void)state;
    tdb_each_on(TDB_ON(SM_POSTGRES) | TDB_ON(SM_MYSQL), NULL, body_ping_deadline);
}

/* The ping of a health check is not a call of the borrower: given back
 * unused, the connection is not reset. */
static void body_ping_no_reset(tdb *t)
{
    sm_pool *p = open_pool(t, 1, 1);
    sm_conn *c;
    expect_ok(t, sm_pool_acquire(&t->cx, p, &c));
    sm_pool_release(p, c);
    sleep_ms(5);
    expect_ok(t, sm_pool_acquire(&t->cx, p, &c)); /* pinged */
    uint64_t takes = c->takes;
    tdb_check(t, __FILE__, __LINE__, "pinged", takes >= 1, "%llu", (unsigned long long)takes);
    sm_pool_release(p, c);
    tdb_check_int(t, __FILE__, __LINE__, "no reset", (int64_t)(c->takes - takes), 0);
    sm_pool_close(p);
}

static void test_ping_no_reset(void **state)
{
    (void)state;
    tdb_each(NULL, body_ping_no_reset);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic),         cmocka_unit_test(test_opts),
        cmocka_unit_test(test_exhausted),     cmocka_unit_test(test_fifo),
        cmocka_unit_test(test_cancel_waiter), cmocka_unit_test(test_close_waiters),
        cmocka_unit_test(test_recycle),       cmocka_unit_test(test_killed_idle),
        cmocka_unit_test(test_reset),         cmocka_unit_test(test_killed_busy),
        cmocka_unit_test(test_threads),       cmocka_unit_test(test_reset_generated),
        cmocka_unit_test(test_reset_cost),
        cmocka_unit_test(test_housekeeping),
        cmocka_unit_test(test_ping_deadline),
        cmocka_unit_test(test_lifetime_checkout), cmocka_unit_test(test_open_timeout),
        cmocka_unit_test(test_ping_no_reset),
    };
    return tdb_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
