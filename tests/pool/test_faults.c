/*
 * test_faults.c: backends of pooled connections killed from an admin
 * connection (PostgreSQL pg_terminate_backend, MariaDB KILL), the cases
 * test_pool.c does not cover:
 *   - killed while idle with health checks off: the borrower's first
 *     statement, raw SQL or generated (whose release only rolls back),
 *     fails with SM_CONN and the release closes the connection;
 *   - killed while idle with health checks at their default (1000 ms): a
 *     connection idle for less is handed out unchecked (SM_CONN as
 *     above), one idle for longer is replaced without an error;
 *   - every idle connection killed, then several threads acquiring at
 *     once: each gets a working replacement, none sees an error;
 *   - an exhausted pool with waiters whose borrowed connections are
 *     killed: the failed resets hand their slots to the waiters, which get
 *     new connections.
 * Every test ends with balanced stats (open == idle + in_use, nothing in
 * use or waiting).
 *
 * PostgreSQL and MariaDB only: SQLite has no server and no backend to
 * kill; a connection to a file cannot be cut from outside.
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

static void balanced(tdb *t, sm_pool *p)
{
    sm_pool_stats s = sm_pool_stat(p);
    tdb_check(t, __FILE__, __LINE__, "open == idle + in_use", s.open == s.idle + s.in_use,
              "open %d idle %d in_use %d", s.open, s.idle, s.in_use);
    tdb_check_int(t, __FILE__, __LINE__, "in_use", s.in_use, 0);
    tdb_check_int(t, __FILE__, __LINE__, "waiters", s.waiters, 0);
}

static sm_pool *open_pool(tdb *t, int min, int max, int health_ms)
{
    sm_pool_opts o;
    memset(&o, 0, sizeof o);
    o.min_conns = min;
    o.max_conns = max;
    o.health_check_after_ms = health_ms;
    sm_pool *p = sm_pool_open(&t->cx, t->url, &o);
    if (!p)
        fail_msg("%s: sm_pool_open: %s", t->name, sm_cx_errmsg(&t->cx));
    return p;
}

/* The server's id of the session of c. */
static int64_t backend_of(tdb *t, sm_conn *c)
{
    return tdb_scalar_int(&t->cx, c,
                          t->d == SM_POSTGRES ? "SELECT pg_backend_pid()" : "SELECT CONNECTION_ID()",
                          NULL, 0);
}

/* Kills the session id from t->conn and waits (bounded) until the server
 * no longer lists it. */
static void kill_backend(tdb *t, int64_t id)
{
    sm_value v = sm_int(id);
    const char *alive;
    if (t->d == SM_POSTGRES) {
        tdb_check_int(t, __FILE__, __LINE__, "terminated",
                      tdb_scalar_int(&t->cx, t->conn, "SELECT pg_terminate_backend(?::int)::int",
                                     &v, 1),
                      1);
        alive = "SELECT count(*) FROM pg_stat_activity WHERE pid = ?";
    } else {
        expect_ok(t, sm_exec(&t->cx, t->conn, "KILL CONNECTION ?", &v, 1, NULL));
        alive = "SELECT count(*) FROM information_schema.processlist WHERE id = ?";
    }
    int64_t n = 1;
    for (int i = 0; i < 1000 && (n = tdb_scalar_int(&t->cx, t->conn, alive, &v, 1)) != 0; i++)
        sleep_ms(5);
    tdb_check_int(t, __FILE__, __LINE__, "backend gone", n, 0);
}

/* The first statement on c fails with SM_CONN. */
static void expect_dead(tdb *t, sm_conn *c)
{
    sm_cx cx;
    sm_cx_init(&cx);
    sm_cx_set_timeout_ms(&cx, TDB_TIMEOUT_MS);
    int rc = sm_exec(&cx, c, "SELECT 1", NULL, 0, NULL);
    tdb_check_rc(t, __FILE__, __LINE__, "statement on a killed backend", rc, SM_CONN);
    sm_cx_free(&cx);
}

/* ---- Killed while idle, no health check ---------------------------------------------- */

static void body_idle_unchecked(tdb *t)
{
    sm_pool *p = open_pool(t, 0, 2, -1);
    sm_conn *a;
    expect_ok(t, sm_pool_acquire(&t->cx, p, &a));
    int64_t id = backend_of(t, a);
    sm_pool_release(p, a);
    kill_backend(t, id);
    /* Handed out as it is: nothing checks it. */
    sm_conn *b;
    expect_ok(t, sm_pool_acquire(&t->cx, p, &b));
    assert_ptr_equal(a, b);
    expect_dead(t, b);
    sm_pool_release(p, b); /* its reset fails: closed, not kept */
    sm_pool_stats s = sm_pool_stat(p);
    tdb_check_int(t, __FILE__, __LINE__, "reset_failures", (int64_t)s.reset_failures, 1);
    tdb_check_int(t, __FILE__, __LINE__, "failed_checks", (int64_t)s.failed_checks, 0);
    tdb_check_int(t, __FILE__, __LINE__, "open", s.open, 0);
    /* The next borrower gets a new session. */
    sm_conn *c;
    expect_ok(t, sm_pool_acquire(&t->cx, p, &c));
    tdb_check(t, __FILE__, __LINE__, "a new backend", backend_of(t, c) != id, "same backend");
    sm_close(c);
    s = sm_pool_stat(p);
    tdb_check_int(t, __FILE__, __LINE__, "created", (int64_t)s.created, 2);
    tdb_check_int(t, __FILE__, __LINE__, "idle", s.idle, 1);
    balanced(t, p);
    sm_pool_close(p);
}

static void test_idle_unchecked(void **state)
{
    (void)state;
    tdb_each_on(TDB_ON(SM_POSTGRES) | TDB_ON(SM_MYSQL), NULL, body_idle_unchecked);
}

/* The same with a generated statement: its release has no settings to
 * restore, yet the dead connection must not go back to the pool. */
static int create_heroes(sm_cx *cx, sm_conn *conn)
{
    return sm_module_create_all(cx, conn, &heroes_module);
}

static void body_idle_unchecked_generated(tdb *t)
{
    sm_pool *p = open_pool(t, 0, 2, -1);
    sm_conn *a;
    expect_ok(t, sm_pool_acquire(&t->cx, p, &a));
    Team first = {0, "Avengers"};
    expect_ok(t, sm_model_insert(&t->cx, a, &team_model, &first));
    int64_t id = backend_of(t, a);
    sm_pool_release(p, a);
    kill_backend(t, id);
    sm_conn *b;
    expect_ok(t, sm_pool_acquire(&t->cx, p, &b));
    assert_ptr_equal(a, b);
    sm_cx cx;
    sm_cx_init(&cx);
    sm_cx_set_timeout_ms(&cx, TDB_TIMEOUT_MS);
    Team second = {0, "Defenders"};
    tdb_check_rc(t, __FILE__, __LINE__, "generated insert on a killed backend",
                 sm_model_insert(&cx, b, &team_model, &second), SM_CONN);
    sm_cx_free(&cx);
    sm_pool_release(p, b);
    sm_pool_stats s = sm_pool_stat(p);
    tdb_check_int(t, __FILE__, __LINE__, "closed", s.open, 0);
    tdb_check_int(t, __FILE__, __LINE__, "reset_failures", (int64_t)s.reset_failures, 1);
    sm_conn *c;
    expect_ok(t, sm_pool_acquire(&t->cx, p, &c));
    Team third = {0, "Defenders"};
    expect_ok(t, sm_model_insert(&t->cx, c, &team_model, &third));
    sm_close(c);
    tdb_check_int(t, __FILE__, __LINE__, "teams", tdb_count(t, "teams"), 2);
    balanced(t, p);
    sm_pool_close(p);
}

static void test_idle_unchecked_generated(void **state)
{
    (void)state;
    tdb_each_on(TDB_ON(SM_POSTGRES) | TDB_ON(SM_MYSQL), create_heroes,
                body_idle_unchecked_generated);
}

/* ---- Killed while idle, the default health check ------------------------------------ */

static void body_idle_default_check(tdb *t)
{
    sm_pool *p = open_pool(t, 0, 2, 0); /* 0: the default, 1000 ms */
    sm_conn *a;
    expect_ok(t, sm_pool_acquire(&t->cx, p, &a));
    int64_t id = backend_of(t, a);
    sm_pool_release(p, a);
    kill_backend(t, id);
    /* Idle for less than the default: handed out unchecked. */
    sm_conn *b;
    expect_ok(t, sm_pool_acquire(&t->cx, p, &b));
    assert_ptr_equal(a, b);
    expect_dead(t, b);
    sm_close(b);
    tdb_check_int(t, __FILE__, __LINE__, "unchecked", (int64_t)sm_pool_stat(p).failed_checks, 0);

    /* Idle for longer: pinged, found dead, replaced without an error. */
    expect_ok(t, sm_pool_acquire(&t->cx, p, &a));
    id = backend_of(t, a);
    sm_pool_release(p, a);
    kill_backend(t, id);
    sleep_ms(1100);
    expect_ok(t, sm_pool_acquire(&t->cx, p, &b));
    int64_t id2 = backend_of(t, b);
    tdb_check(t, __FILE__, __LINE__, "a new backend", id2 != id, "%lld", (long long)id2);
    sm_close(b);
    sm_pool_stats s = sm_pool_stat(p);
    tdb_check_int(t, __FILE__, __LINE__, "failed_checks", (int64_t)s.failed_checks, 1);
    tdb_check_int(t, __FILE__, __LINE__, "reset_failures", (int64_t)s.reset_failures, 1);
    tdb_check_int(t, __FILE__, __LINE__, "created", (int64_t)s.created, 3);
    tdb_check_int(t, __FILE__, __LINE__, "open", s.open, 1);
    balanced(t, p);
    sm_pool_close(p);
}

static void test_idle_default_check(void **state)
{
    (void)state;
    tdb_each_on(TDB_ON(SM_POSTGRES) | TDB_ON(SM_MYSQL), NULL, body_idle_default_check);
}

/* ---- Every idle connection killed, threads acquiring at once ------------------------- */

enum { NCONNS = 4 };

typedef struct borrower {
    sm_pool *p;
    const char *who;
    pthread_t th;
    int rc;      /* of the acquire */
    int stmt_rc; /* of the first statement */
    int64_t backend;
    pthread_barrier_t *go;
    pthread_barrier_t *hold; /* NULL: release at once */
} borrower;

static void *borrow(void *arg)
{
    borrower *b = arg;
    sm_cx cx;
    sm_cx_init(&cx);
    sm_cx_set_timeout_ms(&cx, TDB_TIMEOUT_MS);
    pthread_barrier_wait(b->go);
    sm_conn *c = NULL;
    b->rc = sm_pool_acquire(&cx, b->p, &c);
    if (b->rc == SM_OK) {
        sm_rows *r;
        b->stmt_rc = sm_query(&cx, c, b->who, NULL, 0, &r);
        if (b->stmt_rc == SM_OK) {
            if (sm_rows_next(r) == SM_ROW)
                b->backend = sm_rows_int(r, 0);
            sm_rows_close(r);
        }
    }
    /* Every borrower holds its connection at once; one that failed still
     * comes to the barrier, so the others are not left waiting. */
    if (b->hold)
        pthread_barrier_wait(b->hold);
    if (b->rc == SM_OK)
        sm_close(c);
    sm_cx_free(&cx);
    return NULL;
}

static void body_all_idle_killed(tdb *t)
{
    sm_pool *p = open_pool(t, NCONNS, NCONNS, 1);
    const char *who = t->d == SM_POSTGRES ? "SELECT pg_backend_pid()" : "SELECT CONNECTION_ID()";
    /* The warm connections' sessions, taken all at once. */
    sm_conn *c[NCONNS];
    int64_t old[NCONNS];
    for (int i = 0; i < NCONNS; i++) {
        expect_ok(t, sm_pool_acquire(&t->cx, p, &c[i]));
        old[i] = backend_of(t, c[i]);
    }
    for (int i = 0; i < NCONNS; i++)
        sm_close(c[i]);
    for (int i = 0; i < NCONNS; i++)
        kill_backend(t, old[i]);
    sleep_ms(5); /* idle past the health check */

    pthread_barrier_t go, hold;
    pthread_barrier_init(&go, NULL, NCONNS);
    pthread_barrier_init(&hold, NULL, NCONNS);
    borrower b[NCONNS];
    memset(b, 0, sizeof b);
    for (int i = 0; i < NCONNS; i++) {
        b[i].p = p;
        b[i].who = who;
        b[i].go = &go;
        b[i].hold = &hold;
        assert_int_equal(pthread_create(&b[i].th, NULL, borrow, &b[i]), 0);
    }
    for (int i = 0; i < NCONNS; i++)
        pthread_join(b[i].th, NULL);
    pthread_barrier_destroy(&go);
    pthread_barrier_destroy(&hold);
    for (int i = 0; i < NCONNS; i++) {
        tdb_check_rc(t, __FILE__, __LINE__, "acquire", b[i].rc, SM_OK);
        tdb_check_rc(t, __FILE__, __LINE__, "first statement", b[i].stmt_rc, SM_OK);
        for (int j = 0; j < NCONNS; j++)
            tdb_check(t, __FILE__, __LINE__, "a new backend", b[i].backend != old[j], "%lld",
                      (long long)old[j]);
    }
    sm_pool_stats s = sm_pool_stat(p);
    tdb_check_int(t, __FILE__, __LINE__, "failed_checks", (int64_t)s.failed_checks, NCONNS);
    tdb_check_int(t, __FILE__, __LINE__, "created", (int64_t)s.created, 2 * NCONNS);
    tdb_check_int(t, __FILE__, __LINE__, "open", s.open, NCONNS);
    tdb_check_int(t, __FILE__, __LINE__, "reset_failures", (int64_t)s.reset_failures, 0);
    balanced(t, p);
    sm_pool_close(p);
}

static void test_all_idle_killed(void **state)
{
    (void)state;
    tdb_each_on(TDB_ON(SM_POSTGRES) | TDB_ON(SM_MYSQL), NULL, body_all_idle_killed);
}

/* ---- An exhausted pool with waiters, the borrowed connections killed ---------------- */

static void body_waiters_killed_busy(tdb *t)
{
    sm_pool *p = open_pool(t, 0, 2, -1);
    const char *who = t->d == SM_POSTGRES ? "SELECT pg_backend_pid()" : "SELECT CONNECTION_ID()";
    sm_conn *a[2];
    int64_t old[2];
    for (int i = 0; i < 2; i++) {
        expect_ok(t, sm_pool_acquire(&t->cx, p, &a[i]));
        old[i] = backend_of(t, a[i]);
    }
    /* Two waiters in line behind the two borrowers.  Each holds what it
     * gets until the other has one too: otherwise the first could give its
     * new connection back before the second borrower's dead one is closed,
     * and the second waiter would take that one (created 3, not 4). */
    pthread_barrier_t go, hold;
    pthread_barrier_init(&go, NULL, 1);
    pthread_barrier_init(&hold, NULL, 2);
    borrower w[2];
    memset(w, 0, sizeof w);
    for (int i = 0; i < 2; i++) {
        w[i].p = p;
        w[i].who = who;
        w[i].go = &go;
        w[i].hold = &hold;
        assert_int_equal(pthread_create(&w[i].th, NULL, borrow, &w[i]), 0);
        for (int k = 0; k < 20000 && sm_pool_stat(p).waiters != i + 1; k++)
            sleep_ms(1);
        assert_int_equal(sm_pool_stat(p).waiters, i + 1);
    }
    for (int i = 0; i < 2; i++)
        kill_backend(t, old[i]);
    /* The borrowers find out, and give the dead connections back. */
    for (int i = 0; i < 2; i++) {
        expect_dead(t, a[i]);
        sm_close(a[i]);
    }
    for (int i = 0; i < 2; i++) {
        pthread_join(w[i].th, NULL);
        tdb_check_rc(t, __FILE__, __LINE__, "waiter", w[i].rc, SM_OK);
        tdb_check_rc(t, __FILE__, __LINE__, "waiter's statement", w[i].stmt_rc, SM_OK);
        tdb_check(t, __FILE__, __LINE__, "a new backend", w[i].backend != old[0] &&
                  w[i].backend != old[1], "%lld", (long long)w[i].backend);
    }
    pthread_barrier_destroy(&go);
    pthread_barrier_destroy(&hold);
    sm_pool_stats s = sm_pool_stat(p);
    tdb_check_int(t, __FILE__, __LINE__, "reset_failures", (int64_t)s.reset_failures, 2);
    tdb_check_int(t, __FILE__, __LINE__, "created", (int64_t)s.created, 4);
    tdb_check_int(t, __FILE__, __LINE__, "acquires", (int64_t)s.acquires, 4);
    tdb_check_int(t, __FILE__, __LINE__, "timeouts", (int64_t)s.timeouts, 0);
    tdb_check(t, __FILE__, __LINE__, "at most max_conns", s.open <= 2, "%d", s.open);
    balanced(t, p);
    sm_pool_close(p);
}

static void test_waiters_killed_busy(void **state)
{
    (void)state;
    tdb_each_on(TDB_ON(SM_POSTGRES) | TDB_ON(SM_MYSQL), NULL, body_waiters_killed_busy);
}

/* ---- A dead link under an idle connection ------------------------------------------ */

enum { QUICK_MS = 500, SLACK_MS = 2000 };

/* The server's replies to an idle connection stop coming (a link gone
 * dead, not a closed socket): the health check's ping waits, and the
 * acquire ends at its deadline with SM_TIMEOUT; the connection is
 * closed, and the pool serves again once the link is back (test_pool's
 * ping_deadline checks the stats of that).  Here: the ping is given up at
 * once, not wound down like an interrupted statement (a cancel request or
 * KILL QUERY on a new connection, then up to 3 s (PostgreSQL) or 1 s
 * (MariaDB) of waiting for the answer): the pool closes that connection
 * anyway, and the acquire's deadline is what the caller asked for. */
static void body_ping_stalled(tdb *t)
{
    tdb_proxy *px = tdb_proxy_start(t->url);
    sm_pool_opts o;
    memset(&o, 0, sizeof o);
    o.max_conns = 2;
    o.health_check_after_ms = 1;
    sm_pool *p = sm_pool_open(&t->cx, tdb_proxy_url(px), &o);
    assert_non_null(p);
    sm_conn *a;
    expect_ok(t, sm_pool_acquire(&t->cx, p, &a));
    tdb_check_int(t, __FILE__, __LINE__, "select", tdb_scalar_int(&t->cx, a, "SELECT 1", NULL, 0), 1);
    sm_close(a);
    tdb_proxy_hold(px, true);
    sleep_ms(100); /* the proxy reads the flag once per turn of its loop */
    sm_cx quick;
    sm_cx_init(&quick);
    sm_cx_set_timeout_ms(&quick, QUICK_MS);
    int64_t t0 = sm_mono_ns();
    sm_conn *b = (sm_conn *)1;
    TDB_RC(&quick, sm_pool_acquire(&quick, p, &b), SM_TIMEOUT);
    int64_t ms = tdb_ms_since(t0);
    sm_cx_free(&quick);
    assert_null(b);
    tdb_check(t, __FILE__, __LINE__, "ends at the deadline", ms <= QUICK_MS + SLACK_MS, "%lld ms",
              (long long)ms);
    sleep_ms(100); /* a cancel request, if one were sent, reaches the proxy */
    tdb_check_int(t, __FILE__, __LINE__, "no connection for a cancel", tdb_proxy_accepted(px), 1);
    sm_pool_stats s = sm_pool_stat(p);
    tdb_check_int(t, __FILE__, __LINE__, "timeouts", (int64_t)s.timeouts, 1);
    tdb_check_int(t, __FILE__, __LINE__, "open", s.open, 0);
    balanced(t, p);
    tdb_proxy_hold(px, false);
    sleep_ms(100);
    expect_ok(t, sm_pool_acquire(&t->cx, p, &b));
    tdb_check_int(t, __FILE__, __LINE__, "served", tdb_scalar_int(&t->cx, b, "SELECT 2", NULL, 0), 2);
    sm_close(b);
    balanced(t, p);
    sm_pool_close(p);
    tdb_proxy_stop(px);
}

static void test_ping_stalled(void **state)
{
    (void)state;
    tdb_each_on(TDB_ON(SM_POSTGRES) | TDB_ON(SM_MYSQL), NULL, body_ping_stalled);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_idle_unchecked),
        cmocka_unit_test(test_idle_unchecked_generated),
        cmocka_unit_test(test_idle_default_check),
        cmocka_unit_test(test_all_idle_killed),
        cmocka_unit_test(test_waiters_killed_busy),
        cmocka_unit_test(test_ping_stalled),
    };
    return tdb_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
