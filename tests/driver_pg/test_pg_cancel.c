/*
 * test_pg_cancel.c: deadlines and cancellation on PostgreSQL.  A
 * statement stuck in pg_sleep(10) comes back at the deadline or on
 * sm_cx_cancel from another thread (the wait loop is woken at once, not
 * after a time slice), and the connection stays usable; inside a
 * transaction the transaction fails.  The bounds below only guard
 * against hangs on a loaded machine: latency is measured in bench/.
 */
#include "pgtest.h"
#include "tdb_proxy.h"

#include <pthread.h>
#include <time.h>

/* How late a call may return after its deadline or cancel before it
 * counts as hung: far beyond anything but a hang (10 s of pg_sleep). */
#define HANG_MS 3000
#define ROUNDS 3

typedef struct canceller {
    sm_cx *cx;
    int delay_ms;
    int64_t at_ns;
} canceller;

static void *cancel_later(void *arg)
{
    canceller *c = arg;
    struct timespec ts = {c->delay_ms / 1000, (long)(c->delay_ms % 1000) * 1000000};
    nanosleep(&ts, NULL);
    c->at_ns = sm_mono_ns();
    sm_cx_cancel(c->cx);
    return NULL;
}

/* The connection answers a fresh cx. */
static void still_usable(sm_conn *conn)
{
    sm_cx cx;
    char buf[16];
    sm_cx_init(&cx);
    sm_cx_set_timeout_ms(&cx, 5000);
    tdb_scalar(&cx, conn, "SELECT 'alive'", NULL, 0, buf, sizeof buf);
    assert_string_equal(buf, "alive");
    sm_cx_free(&cx);
}

static void check_lateness(const char *what, int64_t late[ROUNDS])
{
    for (int i = 0; i < ROUNDS; i++)
        if (late[i] > HANG_MS)
            fail_msg("%s returned %lld, %lld, %lld ms late", what, (long long)late[0],
                     (long long)late[1], (long long)late[2]);
}

static void test_deadline(void **state)
{
    (void)state;
    sm_cx cx;
    sm_cx_init(&cx);
    sm_conn *conn = pgt_open(&cx);
    tdb_exec_ok(&cx, conn, "SELECT 1"); /* warm: connection and caches */
    int64_t late[ROUNDS];
    for (int i = 0; i < ROUNDS; i++) {
        sm_cx_set_timeout_ms(&cx, 150);
        int64_t t0 = sm_mono_ns();
        TDB_RC(&cx, sm_exec(&cx, conn, "SELECT pg_sleep(10)", NULL, 0, NULL), SM_TIMEOUT);
        late[i] = tdb_ms_since(t0) - 150;
        assert_true(late[i] >= -5);
        /* Expired: the next call fails at once without the server. */
        uint64_t trips = sm_conn_stat(conn).round_trips;
        TDB_RC(&cx, sm_exec(&cx, conn, "SELECT 1", NULL, 0, NULL), SM_TIMEOUT);
        assert_int_equal(sm_conn_stat(conn).round_trips, trips);
        still_usable(conn);
    }
    check_lateness("a statement past its deadline", late);
    /* The same for a query whose rows take long to produce. */
    sm_cx_set_timeout_ms(&cx, 100);
    sm_rows *r = NULL;
    int64_t t0 = sm_mono_ns();
    TDB_RC(
        &cx,
        sm_query(&cx, conn, "SELECT g, pg_sleep(0.05) FROM generate_series(1, 100) g", NULL, 0, &r),
        SM_TIMEOUT);
    assert_null(r);
    assert_true(tdb_ms_since(t0) <= 100 + HANG_MS);
    still_usable(conn);
    sm_close(conn);
    sm_cx_free(&cx);
}

static void test_cancel_from_thread(void **state)
{
    (void)state;
    sm_cx cx;
    sm_cx_init(&cx);
    sm_conn *conn = pgt_open(&cx);
    tdb_exec_ok(&cx, conn, "SELECT 1");
    int64_t late[ROUNDS];
    for (int i = 0; i < ROUNDS; i++) {
        sm_cx run;
        sm_cx_init(&run);
        canceller c = {&run, 150, 0};
        pthread_t th;
        assert_int_equal(pthread_create(&th, NULL, cancel_later, &c), 0);
        TDB_RC(&run, sm_exec(&run, conn, "SELECT pg_sleep(10)", NULL, 0, NULL), SM_CANCELLED);
        late[i] = tdb_ms_since(c.at_ns);
        pthread_join(th, NULL);
        /* Sticky: the cancelled cx refuses further calls. */
        TDB_RC(&run, sm_exec(&run, conn, "SELECT 1", NULL, 0, NULL), SM_CANCELLED);
        sm_cx_free(&run);
        still_usable(conn);
    }
    check_lateness("a cancelled statement", late);
    sm_close(conn);
    sm_cx_free(&cx);
}

/* A cancel that lands after the call has finished reaches nothing:
 * the next statement on the connection runs normally. */
static void test_late_cancel_is_harmless(void **state)
{
    (void)state;
    sm_cx cx, other;
    sm_cx_init(&cx);
    sm_cx_init(&other);
    sm_conn *conn = pgt_open(&cx);
    tdb_exec_ok(&cx, conn, "SELECT 1");
    sm_cx_cancel(&cx);
    char buf[16];
    tdb_scalar(&other, conn, "SELECT pg_sleep(0.2)::text || 'done'", NULL, 0, buf, sizeof buf);
    assert_string_equal(buf, "done");
    sm_close(conn);
    sm_cx_free(&cx);
    sm_cx_free(&other);
}

static void test_cancel_in_transaction(void **state)
{
    (void)state;
    sm_cx cx;
    sm_cx_init(&cx);
    sm_conn *conn = pgt_open(&cx);
    tdb_exec_ok(&cx, conn, "CREATE TABLE ct (v int)");
    TDB_OK(&cx, sm_begin(&cx, conn));
    tdb_exec_ok(&cx, conn, "INSERT INTO ct VALUES (1)");
    sm_cx_set_timeout_ms(&cx, 100);
    TDB_RC(&cx, sm_exec(&cx, conn, "SELECT pg_sleep(10)", NULL, 0, NULL), SM_TIMEOUT);
    sm_cx_set_timeout_ms(&cx, 0);
    /* The transaction failed: only a rollback is accepted. */
    TDB_RC(&cx, sm_exec(&cx, conn, "SELECT 1", NULL, 0, NULL), SM_MISUSE);
    TDB_RC(&cx, sm_commit(&cx, conn), SM_MISUSE);
    TDB_OK(&cx, sm_rollback(&cx, conn));
    assert_false(sm_in_transaction(conn));
    char buf[16];
    tdb_scalar(&cx, conn, "SELECT count(*)::text FROM ct", NULL, 0, buf, sizeof buf);
    assert_string_equal(buf, "0");
    sm_close(conn);
    sm_cx_free(&cx);
}

/* Cancelling the cx of an open stream: the row fetch is interrupted.
 * (Rows are padded past the server's 8 KB output buffer so that the first
 * ones are sent before the slow last one is computed.) */
static void test_cancel_while_streaming(void **state)
{
    (void)state;
    sm_cx cx;
    sm_cx_init(&cx);
    sm_conn *conn = pgt_open(&cx);
    sm_stmt *st = NULL;
    TDB_OK(&cx, sm_call_begin(&cx, conn, SM_CALL_ANY));
    TDB_OK(&cx, sm_stmt_raw(&cx, conn,
                            "SELECT g, repeat('x', 20000), "
                            "pg_sleep(CASE WHEN g = 5 THEN 10 ELSE 0 END) "
                            "FROM generate_series(1, 5) g",
                            &st));
    st->stream = true;
    TDB_RC(&cx, sm_stmt_exec(&cx, st, NULL, 0), SM_ROW);
    assert_int_equal(conn->drv->get_int(st, 0), 1);
    TDB_RC(&cx, sm_stmt_next(&cx, st), SM_ROW);
    assert_int_equal(conn->drv->get_int(st, 0), 2);
    canceller c = {&cx, 100, 0};
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, cancel_later, &c), 0);
    /* Rows the server had sent before the slow one may still come. */
    int rc, rows = 2;
    while ((rc = sm_stmt_next(&cx, st)) == SM_ROW)
        rows++;
    int64_t late = tdb_ms_since(c.at_ns);
    pthread_join(th, NULL);
    assert_true(rows < 5);
    assert_int_equal(rc, SM_INTERRUPTED);
    assert_true(late <= HANG_MS);
    sm_stmt_release(st);
    assert_int_equal(sm_call_end(&cx, conn, rc), SM_CANCELLED);
    still_usable(conn);
    sm_close(conn);
    sm_cx_free(&cx);
}

/* A cancel request that cannot be delivered (the server accepts the
 * connection libpq's PQcancel opens and never answers, as a server behind
 * a dead link would not) does not hold the call past the deadline by more
 * than the driver's bounded wind-down: the connection is given up
 * (SM_CONN afterwards).  The call runs on a thread so that a hang fails
 * the test instead of stalling it. */
typedef struct sleeper {
    sm_conn *conn;
    int rc;
    int64_t took_ms;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool done;
} sleeper;

static void *sleep_call(void *arg)
{
    sleeper *s = arg;
    sm_cx cx;
    sm_cx_init(&cx);
    sm_cx_set_timeout_ms(&cx, 500);
    int64_t t0 = sm_mono_ns();
    int rc = sm_exec(&cx, s->conn, "SELECT pg_sleep(600)", NULL, 0, NULL);
    sm_cx_free(&cx);
    pthread_mutex_lock(&s->mu);
    s->rc = rc;
    s->took_ms = (sm_mono_ns() - t0) / 1000000;
    s->done = true;
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
    return NULL;
}

static void test_cancel_undeliverable(void **state)
{
    (void)state;
    sm_cx cx;
    sm_cx_init(&cx);
    sm_conn *admin = pgt_open(&cx);
    tdb_proxy *px = tdb_proxy_start(pgt_url());
    sleeper s = {.conn = tdb_connect(&cx, tdb_proxy_url(px))};
    int64_t pid = tdb_scalar_int(&cx, s.conn, "SELECT pg_backend_pid()", NULL, 0);
    tdb_proxy_swallow(px, true);
    pthread_mutex_init(&s.mu, NULL);
    pthread_cond_init(&s.cv, NULL);
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, sleep_call, &s), 0);
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 30;
    pthread_mutex_lock(&s.mu);
    while (!s.done && pthread_cond_timedwait(&s.cv, &s.mu, &until) == 0)
        ;
    bool done = s.done;
    pthread_mutex_unlock(&s.mu);
    sm_value p = sm_int(pid);
    /* The sleeping statement is stopped on the server either way. */
    tdb_scalar_int(&cx, admin, "SELECT count(*) FROM pg_terminate_backend(CAST(? AS integer))",
                   &p, 1);
    if (!done)
        fail_msg("the call did not come back within 30 s of a 500 ms deadline");
    pthread_join(th, NULL);
    assert_int_equal(s.rc, SM_TIMEOUT);
    assert_true(s.took_ms < 20000); /* the wind-down is bounded (PG_DRAIN_MS) */
    assert_true(tdb_proxy_accepted(px) >= 2); /* the cancel request was tried */
    TDB_RC(&cx, sm_exec(&cx, s.conn, "SELECT 1", NULL, 0, NULL), SM_CONN);
    sm_close(s.conn);
    tdb_proxy_stop(px);
    pthread_cond_destroy(&s.cv);
    pthread_mutex_destroy(&s.mu);
    sm_close(admin);
    sm_cx_free(&cx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deadline),
        cmocka_unit_test(test_cancel_from_thread),
        cmocka_unit_test(test_late_cancel_is_harmless),
        cmocka_unit_test(test_cancel_in_transaction),
        cmocka_unit_test(test_cancel_while_streaming),
        cmocka_unit_test(test_cancel_undeliverable),
    };
    return tdb_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
