/*
 * test_my_interrupt.c: deadlines and cancellation on MariaDB/MySQL
 * (DESIGN 4.1): a running statement is killed on the server within 50 ms
 * of the deadline or of sm_cx_cancel from another thread, its row is
 * thrown away, the call reports the cx state, and the connection stays
 * usable.
 */
#include "mytest.h"

#include <pthread.h>
#include <time.h>
#include <unistd.h>

/* How late a call may return after its deadline or cancel before it
 * counts as hung (the statements sleep 10 s): a guard, not a latency
 * measurement, which belongs in bench/. */
#define SLACK_MS 3000

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static void test_deadline_kills_sleep(void **state)
{
    (void)state;
    sm_cx cx;
    sm_cx_init(&cx);
    sm_conn *conn = myt_open(&cx);
    for (int round = 0; round < 3; round++) {
        sm_cx_set_timeout_ms(&cx, 150);
        int64_t t0 = sm_mono_ns();
        sm_rows *r = (sm_rows *)&cx;
        TDB_RC(&cx, sm_query(&cx, conn, "SELECT SLEEP(10) AS s", NULL, 0, &r), SM_TIMEOUT);
        int64_t ms = tdb_ms_since(t0);
        assert_null(r);
        assert_true(ms >= 145);
        if (ms >= 150 + SLACK_MS)
            fail_msg("SELECT SLEEP(10) returned %lld ms after a 150 ms deadline",
                     (long long)ms);
        /* The killed statement's row (SLEEP answers 1 when killed) is
         * gone: the next statement sees its own result. */
        sm_cx_set_timeout_ms(&cx, 0);
        assert_int_equal(tdb_scalar_int(&cx, conn, "SELECT 42", NULL, 0), 42);
    }
    /* The same through sm_exec, which discards rows anyway. */
    sm_cx_set_timeout_ms(&cx, 100);
    int64_t t0 = sm_mono_ns();
    TDB_RC(&cx, sm_exec(&cx, conn, "SELECT SLEEP(10)", NULL, 0, NULL), SM_TIMEOUT);
    assert_true(tdb_ms_since(t0) < 100 + SLACK_MS);
    sm_cx_set_timeout_ms(&cx, 0);
    assert_int_equal(tdb_scalar_int(&cx, conn, "SELECT SLEEP(0)", NULL, 0), 0);
    sm_close(conn);
    sm_cx_free(&cx);
}

typedef struct canceller {
    sm_cx *cx;
    int delay_ms;
    int64_t at_ns;
} canceller;

static void *cancel_later(void *arg)
{
    canceller *k = arg;
    sleep_ms(k->delay_ms);
    k->at_ns = sm_mono_ns();
    sm_cx_cancel(k->cx);
    return NULL;
}

static void test_cancel_from_another_thread(void **state)
{
    (void)state;
    sm_cx cx, cx2;
    sm_cx_init(&cx);
    sm_cx_init(&cx2);
    sm_conn *conn = myt_open(&cx2);
    for (int round = 0; round < 3; round++) {
        canceller k = {&cx, 100, 0};
        pthread_t t;
        assert_int_equal(pthread_create(&t, NULL, cancel_later, &k), 0);
        sm_rows *r = NULL;
        int rc = sm_query(&cx, conn, "SELECT SLEEP(10)", NULL, 0, &r);
        int64_t done = sm_mono_ns();
        pthread_join(t, NULL);
        assert_int_equal(rc, SM_CANCELLED);
        assert_null(r);
        int64_t late = (done - k.at_ns) / 1000000;
        if (late >= SLACK_MS)
            fail_msg("returned %lld ms after the cancel", (long long)late);
        /* Sticky: the cancelled cx refuses every later call. */
        TDB_RC(&cx, sm_exec(&cx, conn, "SELECT 1", NULL, 0, NULL), SM_CANCELLED);
        /* The connection is fine under another cx. */
        assert_int_equal(tdb_scalar_int(&cx2, conn, "SELECT 7", NULL, 0), 7);
        sm_cx_free(&cx);
        sm_cx_init(&cx);
    }
    sm_close(conn);
    sm_cx_free(&cx);
    sm_cx_free(&cx2);
}

/* A cancel aimed at nothing (the driver's wake-up with no call running)
 * must not stop a later statement. */
static void test_stale_wakeup_ignored(void **state)
{
    (void)state;
    sm_cx cx;
    sm_cx_init(&cx);
    sm_conn *conn = myt_open(&cx);
    for (int i = 0; i < 5; i++)
        conn->drv->cancel(conn);
    int64_t t0 = sm_mono_ns();
    assert_int_equal(tdb_scalar_int(&cx, conn, "SELECT SLEEP(0.2)", NULL, 0), 0);
    assert_true(tdb_ms_since(t0) >= 190);
    /* A cancel of a cx that has finished its call does not reach the
     * connection either. */
    sm_cx other;
    sm_cx_init(&other);
    assert_int_equal(tdb_scalar_int(&other, conn, "SELECT 1", NULL, 0), 1);
    sm_cx_cancel(&other);
    assert_int_equal(tdb_scalar_int(&cx, conn, "SELECT SLEEP(0.1)", NULL, 0), 0);
    sm_cx_free(&other);
    sm_close(conn);
    sm_cx_free(&cx);
}

/* A deadline that has passed stops the call before it touches the
 * connection. */
static void test_expired_before_call(void **state)
{
    (void)state;
    sm_cx cx;
    sm_cx_init(&cx);
    sm_conn *conn = myt_open(&cx);
    struct timespec past;
    clock_gettime(CLOCK_MONOTONIC, &past);
    past.tv_sec -= 1;
    sm_cx_set_deadline(&cx, &past);
    uint64_t trips = sm_conn_stat(conn).round_trips;
    TDB_RC(&cx, sm_exec(&cx, conn, "SELECT 1", NULL, 0, NULL), SM_TIMEOUT);
    assert_int_equal(sm_conn_stat(conn).round_trips, trips);
    sm_cx_set_deadline(&cx, NULL);
    assert_int_equal(tdb_scalar_int(&cx, conn, "SELECT 3", NULL, 0), 3);
    sm_close(conn);
    sm_cx_free(&cx);
}

/* A timeout inside a transaction fails it; rollback ends it and nothing
 * of it stays. */
static void test_deadline_in_transaction(void **state)
{
    (void)state;
    sm_cx cx;
    sm_cx_init(&cx);
    sm_conn *conn = myt_open(&cx);
    tdb_exec_ok(&cx, conn, "CREATE TABLE intr_tx (id INT PRIMARY KEY) ENGINE=InnoDB");
    TDB_OK(&cx, sm_begin(&cx, conn));
    tdb_exec_ok(&cx, conn, "INSERT INTO intr_tx VALUES (1)");
    sm_cx_set_timeout_ms(&cx, 100);
    TDB_RC(&cx, sm_exec(&cx, conn, "SELECT SLEEP(5)", NULL, 0, NULL), SM_TIMEOUT);
    sm_cx_set_timeout_ms(&cx, 0);
    TDB_RC(&cx, sm_exec(&cx, conn, "INSERT INTO intr_tx VALUES (2)", NULL, 0, NULL), SM_MISUSE);
    TDB_OK(&cx, sm_rollback(&cx, conn));
    assert_int_equal(tdb_scalar_int(&cx, conn, "SELECT COUNT(*) FROM intr_tx", NULL, 0), 0);
    tdb_exec_ok(&cx, conn, "DROP TABLE intr_tx");
    sm_close(conn);
    sm_cx_free(&cx);
}

/* A statement blocked on a row lock is killed like a sleeping one. */
static void test_deadline_on_lock_wait(void **state)
{
    (void)state;
    sm_cx cx, cx2;
    sm_cx_init(&cx);
    sm_cx_init(&cx2);
    sm_conn *a = myt_open(&cx);
    sm_conn *b = myt_open(&cx2);
    tdb_exec_ok(&cx, a, "CREATE TABLE intr_lock (id INT PRIMARY KEY, v INT) ENGINE=InnoDB");
    tdb_exec_ok(&cx, a, "INSERT INTO intr_lock VALUES (1, 0)");
    TDB_OK(&cx, sm_begin(&cx, a));
    tdb_exec_ok(&cx, a, "UPDATE intr_lock SET v = 1 WHERE id = 1");
    sm_cx_set_timeout_ms(&cx2, 200);
    int64_t t0 = sm_mono_ns();
    TDB_RC(&cx2, sm_exec(&cx2, b, "UPDATE intr_lock SET v = 2 WHERE id = 1", NULL, 0, NULL),
           SM_TIMEOUT);
    assert_true(tdb_ms_since(t0) < 200 + SLACK_MS);
    TDB_OK(&cx, sm_commit(&cx, a));
    sm_cx_set_timeout_ms(&cx2, 0);
    assert_int_equal(tdb_scalar_int(&cx2, b, "SELECT v FROM intr_lock WHERE id = 1", NULL, 0), 1);
    tdb_exec_ok(&cx, a, "DROP TABLE intr_lock");
    sm_close(a);
    sm_close(b);
    sm_cx_free(&cx);
    sm_cx_free(&cx2);
}

/* Reads the rows of sql (streamed or not) on a fresh connection under a
 * 300 ms deadline, checking that the first column numbers them from 1:
 * the call must end in SM_TIMEOUT within SLACK_MS of the deadline, and
 * the connection must go on working.  Returns the rows read. */
static int rows_until_deadline(const char *sql, bool stream)
{
    sm_cx cx;
    sm_cx_init(&cx);
    sm_conn *conn = myt_open(&cx);
    sm_stmt *st = NULL;
    TDB_OK(&cx, sm_call_begin(&cx, conn, SM_CALL_ANY));
    TDB_OK(&cx, sm_stmt_raw(&cx, conn, sql, &st));
    st->stream = stream;
    sm_cx_set_timeout_ms(&cx, 300);
    int64_t t0 = sm_mono_ns();
    int rc = sm_stmt_exec(&cx, st, NULL, 0);
    int rows = 0;
    while (rc == SM_ROW) {
        assert_int_equal(conn->drv->get_int(st, 0), ++rows);
        rc = sm_stmt_next(&cx, st);
    }
    int64_t ms = tdb_ms_since(t0);
    sm_stmt_release(st);
    rc = sm_call_end(&cx, conn, rc);
    assert_int_equal(rc, SM_TIMEOUT);
    if (ms >= 300 + SLACK_MS)
        fail_msg("reading stopped %lld ms after a 300 ms deadline", (long long)ms);
    sm_cx_set_timeout_ms(&cx, 0);
    assert_int_equal(tdb_scalar_int(&cx, conn, "SELECT 11", NULL, 0), 11);
    sm_close(conn);
    sm_cx_free(&cx);
    return rows;
}

/* Streaming (the `-> each` path): the deadline stops a result that is
 * still being produced; what was not read is discarded. */
static void test_deadline_while_streaming(void **state)
{
    (void)state;
    int rows = rows_until_deadline("WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 "
                                   "FROM s WHERE n < 400) SELECT n, SLEEP(0.01) FROM s",
                                   true);
    assert_true(rows < 400);
}

/* Rows already in the connector's buffer are read without waiting, but a
 * row only partly there is waited for like any other read: here the
 * server sends rows of 3,000 bytes in chunks of its network buffer, so
 * a chunk ends inside a row, and then stalls for 3 s at row 40. */
static void test_deadline_after_buffered_rows(void **state)
{
    (void)state;
    int rows = rows_until_deadline("WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 "
                                   "FROM s WHERE n < 80) SELECT n, REPEAT('x', 3000), "
                                   "IF(n = 40, SLEEP(3), 0) FROM s",
                                   false);
    if (rows < 1 || rows >= 40)
        fail_msg("%d rows before the stall", rows);
}

/* Many short deadlines in a row: every kill lands on its own statement,
 * never on the next one. */
static void test_repeated_kills_stay_in_step(void **state)
{
    (void)state;
    sm_cx cx;
    sm_cx_init(&cx);
    sm_conn *conn = myt_open(&cx);
    for (int i = 0; i < 20; i++) {
        sm_cx_set_timeout_ms(&cx, 20 + i % 5);
        int rc = sm_exec(&cx, conn, "SELECT SLEEP(2)", NULL, 0, NULL);
        assert_int_equal(rc, SM_TIMEOUT);
        sm_cx_set_timeout_ms(&cx, 0);
        sm_value p = sm_int(i);
        char buf[32], want[32];
        tdb_scalar(&cx, conn, "SELECT ? + 1000", &p, 1, buf, sizeof buf);
        snprintf(want, sizeof want, "%d", i + 1000);
        assert_string_equal(buf, want);
    }
    sm_close(conn);
    sm_cx_free(&cx);
}

/* When the statement cannot be killed (here: the user may hold one
 * connection only, so the side connection for KILL QUERY is refused),
 * the driver waits out its grace period, then closes the connection:
 * the call still reports the deadline, later calls SM_CONN. */
static void test_unkillable_statement_closes_connection(void **state)
{
    (void)state;
    sm_cx cx;
    sm_cx_init(&cx);
    sm_conn *admin = myt_open(&cx);
    char user[64], sql[300], db[128];
    snprintf(user, sizeof user, "smdl_one_%ld", (long)getpid());
    tdb_scalar(&cx, admin, "SELECT DATABASE()", NULL, 0, db, sizeof db);
    static const char *const hosts[] = {"%", "localhost", "127.0.0.1"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(sql, sizeof sql, "DROP USER IF EXISTS '%s'@'%s'", user, hosts[i]);
        tdb_exec_ok(&cx, admin, sql);
        snprintf(sql, sizeof sql,
                 "CREATE USER '%s'@'%s' IDENTIFIED BY 'one-conn-only' "
                 "WITH MAX_USER_CONNECTIONS 1",
                 user, hosts[i]);
        tdb_exec_ok(&cx, admin, sql);
        snprintf(sql, sizeof sql, "GRANT SELECT ON `%s`.* TO '%s'@'%s'", db, user, hosts[i]);
        tdb_exec_ok(&cx, admin, sql);
    }
    char *url = myt_url_with(user, "one-conn-only", NULL, "");
    sm_conn *conn = NULL;
    int open_rc = sm_open(&cx, url, &conn);
    int rc = SM_OK, after = SM_OK;
    int64_t ms = 0;
    bool alive = true;
    if (open_rc == SM_OK) {
        sm_cx_set_timeout_ms(&cx, 100);
        int64_t t0 = sm_mono_ns();
        rc = sm_exec(&cx, conn, "SELECT SLEEP(10)", NULL, 0, NULL);
        ms = tdb_ms_since(t0);
        sm_cx_set_timeout_ms(&cx, 0);
        after = sm_exec(&cx, conn, "SELECT 1", NULL, 0, NULL);
        alive = conn->drv->ping(&cx, conn) == SM_OK;
        sm_close(conn);
    }
    free(url);
    for (size_t i = 0; i < 3; i++) {
        snprintf(sql, sizeof sql, "DROP USER '%s'@'%s'", user, hosts[i]);
        tdb_exec_ok(&cx, admin, sql);
    }
    sm_close(admin);
    sm_cx_free(&cx);
    assert_int_equal(open_rc, SM_OK);
    assert_int_equal(rc, SM_TIMEOUT);
    /* deadline + the grace period of SM_MY_GRACE_MS (1 s), not SLEEP(10) */
    if (ms < 1000 || ms >= 1100 + SLACK_MS)
        fail_msg("returned after %lld ms", (long long)ms);
    assert_int_equal(after, SM_CONN);
    assert_false(alive);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deadline_kills_sleep),
        cmocka_unit_test(test_cancel_from_another_thread),
        cmocka_unit_test(test_stale_wakeup_ignored),
        cmocka_unit_test(test_expired_before_call),
        cmocka_unit_test(test_deadline_in_transaction),
        cmocka_unit_test(test_deadline_on_lock_wait),
        cmocka_unit_test(test_deadline_while_streaming),
        cmocka_unit_test(test_deadline_after_buffered_rows),
        cmocka_unit_test(test_repeated_kills_stay_in_step),
        cmocka_unit_test(test_unkillable_statement_closes_connection),
    };
    return tdb_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
