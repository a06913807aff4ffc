/*
 * test_calls.c: calls, statements and rows on every dialect: transaction
 * control refused in raw scripts, the value that stops an `-> each`
 * iteration, calls nested on one cx, secrets in errors of later rows,
 * a cached statement whose re-preparation fails, rows whose calls could
 * not begin, the rest of a stream dropped within the deadline, sm_close
 * during a call, the code a trace shows for a cancelled lock wait.
 */
#include "tdb.h"

#include <pthread.h>
#include <time.h>

#include "internal.h"
#include "runtime.h"

/* ---- Transaction control in scripts ------------------------------------------------ */

/* A trigger whose body holds semicolons and an END, in each dialect. */
static const char *trigger_script(sm_dialect d)
{
    switch (d) {
    case SM_SQLITE:
        return "CREATE TABLE tlog (v INT);\n"
               "CREATE TRIGGER tr AFTER INSERT ON child BEGIN\n"
               "  INSERT INTO tlog VALUES (new.v);\n"
               "  INSERT INTO tlog VALUES (new.v + 1);\n"
               "END;\n"
               "INSERT INTO tlog VALUES (0);";
    case SM_POSTGRES:
        return "CREATE TABLE tlog (v INT);\n"
               "CREATE FUNCTION trf() RETURNS trigger LANGUAGE plpgsql AS $$\n"
               "BEGIN INSERT INTO tlog VALUES (new.v); INSERT INTO tlog VALUES (new.v + 1);\n"
               "RETURN new; END $$;\n"
               "CREATE FUNCTION one() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END;\n"
               "CREATE TRIGGER tr AFTER INSERT ON child FOR EACH ROW EXECUTE FUNCTION trf();\n"
               "INSERT INTO tlog VALUES (0);";
    default:
        return "CREATE TABLE tlog (v INT);\n"
               "CREATE TRIGGER tr AFTER INSERT ON child FOR EACH ROW BEGIN\n"
               "  IF new.v > 0 THEN INSERT INTO tlog VALUES (new.v); END IF;\n"
               "  INSERT INTO tlog VALUES (new.v + 1);\n"
               "END;\n"
               "INSERT INTO tlog VALUES (0);";
    }
}

static void script_tx_control(tdb *t)
{
    static const char *const refused[] = {
        "COMMIT", "SELECT 1; COMMIT", "SELECT 1;\n  begin", "SELECT 1; ROLLBACK;",
        "SELECT 1; /* c */ START TRANSACTION", "SELECT 1; SAVEPOINT a",
    };
    /* Inside a transaction: nothing commits it behind the library's back. */
    expect_ok(t, sm_begin(&t->cx, t->conn));
    expect_ok(t, tdb_exec(t, "INSERT INTO \"child\" (\"v\") VALUES (1)", NULL, 0));
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        expect_rc(t, sm_exec_script(&t->cx, t->conn, refused[i]), SM_MISUSE);
        assert_non_null(strstr(sm_cx_errmsg(&t->cx), "transaction control"));
        assert_true(sm_in_transaction(t->conn));
    }
    expect_ok(t, sm_rollback(&t->cx, t->conn));
    assert_int_equal(tdb_count(t, "child"), 0);
    /* Outside one: nothing opens one the library does not know. */
    expect_rc(t, sm_exec_script(&t->cx, t->conn, "SELECT 1; BEGIN"), SM_MISUSE);
    assert_false(sm_in_transaction(t->conn));
    expect_ok(t, tdb_exec(t, "INSERT INTO \"child\" (\"v\") VALUES (2)", NULL, 0));
    expect_ok(t, sm_begin(&t->cx, t->conn));
    expect_ok(t, sm_rollback(&t->cx, t->conn));
    assert_int_equal(tdb_count(t, "child"), 1);
    /* The BEGIN ... END of a trigger's body is not transaction control. */
    expect_ok(t, sm_exec_script(&t->cx, t->conn, trigger_script(t->d)));
    expect_ok(t, tdb_exec(t, "INSERT INTO \"child\" (\"v\") VALUES (5)", NULL, 0));
    assert_int_equal(tdb_count(t, "tlog"), 3);
    assert_int_equal(tdb_int(t, "SELECT sum(\"v\") FROM \"tlog\"", NULL, 0), 11);
}

static void test_script_tx_control(void **state)
{
    (void)state;
    tdb_each(runtime_create_all, script_tx_control);
}

/* ---- Stopping an -> each iteration ------------------------------------------------ */

typedef struct stopper {
    int stop; /* returned from the second row on */
    int seen;
} stopper;

static int stop_at_second(void *ud, const Small *row)
{
    stopper *s = ud;
    (void)row;
    return ++s->seen >= 2 ? s->stop : 0;
}

static void each_stop_value(tdb *t)
{
    Child cs[3] = {CHILD_INIT, CHILD_INIT, CHILD_INIT};
    for (int i = 0; i < 3; i++)
        cs[i].v = (int64_t)i;
    expect_ok(t, child_insert_many(&t->cx, t->conn, cs, 3));
    /* Whatever the callback returns comes back unchanged, also values that
     * look like the library's codes, and the library takes none of them
     * for its own: the transaction around the call stays usable. */
    static const int stops[] = {1, SM_ERROR, SM_TIMEOUT, SM_ROW, SM_DONE, -77};
    expect_ok(t, sm_begin(&t->cx, t->conn));
    for (size_t i = 0; i < sizeof stops / sizeof stops[0]; i++) {
        stopper s = {stops[i], 0};
        expect_rc(t, each_small(&t->cx, t->conn, stop_at_second, &s), stops[i]);
        assert_int_equal(s.seen, 2);
        assert_string_equal(sm_cx_errmsg(&t->cx), "");
        Child c = CHILD_INIT;
        c.v = 10;
        expect_ok(t, child_insert(&t->cx, t->conn, &c));
    }
    expect_ok(t, sm_commit(&t->cx, t->conn));
    assert_int_equal(tdb_count(t, "child"), 9);
}

static void test_each_stop_value(void **state)
{
    (void)state;
    tdb_each(runtime_create_all, each_stop_value);
}

/* ---- Calls nested on one cx -------------------------------------------------------- */

typedef struct nested {
    tdb *t;
    sm_conn *other;
    int rows;
    bool outer_live; /* after each nested call, cancel still reaches the outer call */
} nested;

static int call_inside(void *ud, const Small *row)
{
    nested *n = ud;
    (void)row;
    int64_t count = 0;
    if (count_children(&n->t->cx, n->other, &count) != SM_OK || count != 3)
        return 1;
    n->outer_live &= sm_cx_impl_of(&n->t->cx)->live == n->t->conn;
    n->rows++;
    return 0;
}

static void nested_calls(tdb *t)
{
    Child cs[3] = {CHILD_INIT, CHILD_INIT, CHILD_INIT};
    expect_ok(t, child_insert_many(&t->cx, t->conn, cs, 3));
    nested n = {t, tdb_connect(&t->cx, t->url), 0, true};
    expect_ok(t, each_small(&t->cx, t->conn, call_inside, &n));
    assert_int_equal(n.rows, 3);
    assert_true(n.outer_live);
    assert_null(sm_cx_impl_of(&t->cx)->live);
    sm_close(n.other);
}

static void test_nested_calls(void **state)
{
    (void)state;
    tdb_each(runtime_create_all, nested_calls);
}

/* ---- Secrets in errors of later rows ------------------------------------------------ */

static int count_small(void *ud, const Small *row)
{
    (void)row;
    ++*(int *)ud;
    return 0;
}

static void secret_in_row_error(tdb *t)
{
    if (t->d == SM_MYSQL)
        expect_ok(t, sm_exec_script(&t->cx, t->conn,
                                    "CREATE FUNCTION quote_fail(k TEXT) RETURNS INT BEGIN\n"
                                    "  DECLARE m TEXT DEFAULT CONCAT('no key ', k);\n"
                                    "  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = m;\n"
                                    "  RETURN 0;\n"
                                    "END"));
    int seen = 0;
    int rc = each_quoting(&t->cx, t->conn, "hunter2sesame", count_small, &seen);
    const char *msg = sm_cx_errmsg(&t->cx);
    if (rc != SM_ERROR || seen != 2 || strstr(msg, "hunter2") || !strstr(msg, "***"))
        fail_msg("%s: got %s after %d rows: %s", t->name, sm_strerror(rc), seen, msg);
    int64_t n;
    expect_ok(t, count_children(&t->cx, t->conn, &n));
}

static void test_secret_in_row_error(void **state)
{
    (void)state;
    tdb_each(runtime_create_all, secret_in_row_error);
}

/* ---- A re-preparation that fails ----------------------------------------------- */

/* Runs sql (one column a > ? when n is 1) and returns its code; on SM_OK
 * the result had ncols columns and the row (1, 2, ...). */
static int query_shape(tdb *t, const char *sql, size_t n, int ncols)
{
    sm_value zero = sm_int(0);
    sm_rows *r = NULL;
    int rc = sm_query(&t->cx, t->conn, sql, &zero, n, &r);
    if (rc == SM_OK) {
        rc = sm_rows_next(r);
        if (rc == SM_ROW) {
            assert_int_equal(sm_rows_ncols(r), ncols);
            assert_int_equal(sm_rows_int(r, 0), 1);
            assert_int_equal(sm_rows_int(r, 1), 2);
            rc = sm_rows_next(r);
            assert_int_equal(rc, SM_DONE);
            rc = SM_OK;
        }
    }
    sm_rows_close(r);
    return rc;
}

static void failed_reprepare(tdb *t)
{
    static const char *const sqls[] = {"SELECT * FROM shape WHERE a > ?", "SELECT * FROM shape"};
    char away[512], back[256];
    expect_ok(t, sm_exec_script(&t->cx, t->conn,
                                "CREATE TABLE shape (a INT, b INT); INSERT INTO shape VALUES (1, 2)"));
    /* The cached statements go stale (a column is added; PostgreSQL's are
     * deallocated) and the same text no longer names the table when it is
     * prepared again (MySQL's server prepares again in the database of the
     * first preparation, the driver in the current one). */
    switch (t->d) {
    case SM_SQLITE:
        snprintf(away, sizeof away,
                 "ALTER TABLE shape ADD COLUMN c INT; ALTER TABLE shape RENAME TO shape_away");
        snprintf(back, sizeof back, "ALTER TABLE shape_away RENAME TO shape");
        break;
    case SM_POSTGRES:
        snprintf(away, sizeof away,
                 "DEALLOCATE ALL; ALTER TABLE shape ADD COLUMN c INT; "
                 "ALTER TABLE shape RENAME TO shape_away");
        snprintf(back, sizeof back, "ALTER TABLE shape_away RENAME TO shape");
        break;
    default: {
        const char *here = tdb_text(t, "SELECT DATABASE()", NULL, 0);
        sm_conn *other = tdb_connect(&t->cx, tdb_url(SM_MYSQL));
        char there[128];
        tdb_scalar(&t->cx, other, "SELECT DATABASE()", NULL, 0, there, sizeof there);
        sm_close(other);
        snprintf(away, sizeof away, "USE `%s`; ALTER TABLE `%s`.shape ADD COLUMN c INT", there,
                 here);
        snprintf(back, sizeof back, "USE `%s`", here);
    }
    }
    for (size_t i = 0; i < 2; i++) {
        size_t n = i == 0 ? 1 : 0;
        expect_ok(t, query_shape(t, sqls[i], n, 2));
        expect_ok(t, sm_exec_script(&t->cx, t->conn, away));
        /* The re-preparation's own error, every time, not a stale plan nor
         * a statement that lost its parameters. */
        for (int k = 0; k < 3; k++)
            tdb_expect_no_table(&t->cx, t->d, query_shape(t, sqls[i], n, 3), "shape");
        expect_ok(t, sm_exec_script(&t->cx, t->conn, back));
        expect_ok(t, query_shape(t, sqls[i], n, 3));
        expect_ok(t, sm_exec_script(&t->cx, t->conn, "ALTER TABLE shape DROP COLUMN c"));
    }
}

static void test_failed_reprepare(void **state)
{
    (void)state;
    tdb_each(NULL, failed_reprepare);
}

/* ---- Rows and the connection ------------------------------------------------------ */

/* sm_rows_next refused because another call holds the connection leaves
 * the rows alone: they go on once it is free. */
static void rows_next_not_begun(tdb *t)
{
    expect_ok(t, tdb_exec(t, "INSERT INTO \"child\" (\"v\") VALUES (7), (8)", NULL, 0));
    sm_rows *r = NULL;
    expect_ok(t, sm_query(&t->cx, t->conn, tdb_sql(t, "SELECT \"v\" FROM \"child\" ORDER BY \"v\""),
                          NULL, 0, &r));
    sm_cx other;
    sm_cx_init(&other);
    assert_true(sm_conn_take(&other, t->conn));
    expect_rc(t, sm_rows_next(r), SM_MISUSE);
    sm_conn_leave(t->conn);
    sm_cx_free(&other);
    expect_rc(t, sm_rows_next(r), SM_ROW);
    assert_int_equal(sm_rows_int(r, 0), 7);
    /* Refused again on the second row: the row read stays unread. */
    assert_true(sm_conn_take(&other, t->conn));
    expect_rc(t, sm_rows_next(r), SM_MISUSE);
    sm_conn_leave(t->conn);
    expect_rc(t, sm_rows_next(r), SM_ROW);
    assert_int_equal(sm_rows_int(r, 0), 8);
    expect_rc(t, sm_rows_next(r), SM_DONE);
    sm_rows_close(r);
    assert_int_equal(tdb_count(t, "child"), 2);
}

static void test_rows_next_not_begun(void **state)
{
    (void)state;
    tdb_each(runtime_create_all, rows_next_not_begun);
}

static int stop_now(void *ud, const Padded *row)
{
    (void)row;
    *(bool *)ud = true;
    return 1;
}

/* An -> each stopped early inside a transaction: the rest of the stream
 * is dropped within the deadline, and when the statement has to be
 * cancelled for that, the call times out and fails the transaction. */
static void each_stop_bounded(tdb *t)
{
    expect_ok(t, sm_begin(&t->cx, t->conn));
    sm_cx_set_timeout_ms(&t->cx, 1000);
    int64_t t0 = sm_mono_ns();
    bool seen = false;
    int rc = each_slow(&t->cx, t->conn, stop_now, &seen);
    int64_t ms = tdb_ms_since(t0);
    assert_true(seen); /* stopped by the callback, not while starting */
    sm_cx_set_timeout_ms(&t->cx, TDB_TIMEOUT_MS);
    assert_true(ms < 20000); /* the whole stream takes 50 s */
    if (t->d == SM_SQLITE) {
        /* Nothing to wait for. */
        assert_int_equal(rc, 1);
        expect_ok(t, sm_commit(&t->cx, t->conn));
        return;
    }
    expect_rc(t, rc, SM_TIMEOUT);
    int64_t n;
    expect_rc(t, count_children(&t->cx, t->conn, &n), SM_MISUSE);
    expect_ok(t, sm_rollback(&t->cx, t->conn));
    expect_ok(t, count_children(&t->cx, t->conn, &n));
}

static void test_each_stop_bounded(void **state)
{
    (void)state;
    tdb_each(runtime_create_all, each_stop_bounded);
}

/* ---- sm_close while a call runs ---------------------------------------------------- */

typedef struct closer {
    sm_conn *conn;
    int rows;
} closer;

static int close_inside(void *ud, const Small *row)
{
    closer *c = ud;
    (void)row;
    sm_close(c->conn); /* refused: the iteration is running on it */
    c->rows++;
    return 0;
}

static void close_in_trace(void *ud, const sm_trace *tr)
{
    (void)tr;
    closer *c = ud;
    sm_close(c->conn);
    c->rows++;
}

static void close_during_call(tdb *t)
{
    Child cs[3] = {CHILD_INIT, CHILD_INIT, CHILD_INIT};
    expect_ok(t, child_insert_many(&t->cx, t->conn, cs, 3));
    closer c = {t->conn, 0};
    expect_ok(t, each_small(&t->cx, t->conn, close_inside, &c));
    assert_int_equal(c.rows, 3);
    int64_t n = 0;
    expect_ok(t, count_children(&t->cx, t->conn, &n));
    assert_int_equal(n, 3);
    /* From a trace callback. */
    c.rows = 0;
    sm_conn_set_trace(t->conn, close_in_trace, &c);
    expect_ok(t, count_children(&t->cx, t->conn, &n));
    sm_conn_set_trace(t->conn, NULL, NULL);
    assert_int_equal(c.rows, 1);
    expect_ok(t, count_children(&t->cx, t->conn, &n));
    assert_int_equal(n, 3);
    /* Rows open, no call running: the connection closes and the rows
     * answer SM_MISUSE until closed. */
    sm_conn *other = tdb_connect(&t->cx, t->url);
    sm_rows *r = NULL;
    expect_ok(t, sm_query(&t->cx, other, tdb_sql(t, "SELECT \"v\" FROM \"child\""), NULL, 0, &r));
    sm_close(other);
    expect_rc(t, sm_rows_next(r), SM_MISUSE);
    sm_rows_close(r);
}

static void test_close_during_call(void **state)
{
    (void)state;
    tdb_each(runtime_create_all, close_during_call);
}

/* ---- The code a trace shows ---------------------------------------------------------- */

static void *cancel_soon(void *arg)
{
    struct timespec ts = {0, 300 * 1000000L};
    nanosleep(&ts, NULL);
    sm_cx_cancel(arg);
    return NULL;
}

static void last_rc(void *ud, const sm_trace *tr)
{
    *(int *)ud = tr->rc;
}

/* A statement waiting for a lock another connection holds, cancelled:
 * the trace shows the code the call returns. */
static void trace_code_cancelled(tdb *t)
{
    expect_ok(t, tdb_exec(t, "INSERT INTO \"child\" (\"v\") VALUES (1)", NULL, 0));
    expect_ok(t, sm_begin(&t->cx, t->conn));
    expect_ok(t, tdb_exec(t, "UPDATE \"child\" SET \"v\" = 2", NULL, 0));
    sm_cx cx;
    sm_cx_init(&cx);
    sm_cx_set_timeout_ms(&cx, TDB_TIMEOUT_MS);
    sm_conn *other = tdb_connect(&cx, t->url);
    int traced = 0;
    sm_conn_set_trace(other, last_rc, &traced);
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, cancel_soon, &cx), 0);
    int rc = sm_exec(&cx, other, tdb_sql(t, "UPDATE \"child\" SET \"v\" = 3"), NULL, 0, NULL);
    pthread_join(th, NULL);
    TDB_RC(&cx, rc, SM_CANCELLED);
    assert_int_equal(traced, SM_CANCELLED);
    sm_close(other);
    sm_cx_free(&cx);
    expect_ok(t, sm_rollback(&t->cx, t->conn));
}

static void test_trace_code_cancelled(void **state)
{
    (void)state;
    tdb_each(runtime_create_all, trace_code_cancelled);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_script_tx_control),
        cmocka_unit_test(test_each_stop_value),
        cmocka_unit_test(test_nested_calls),
        cmocka_unit_test(test_secret_in_row_error),
        cmocka_unit_test(test_failed_reprepare),
        cmocka_unit_test(test_rows_next_not_begun),
        cmocka_unit_test(test_each_stop_bounded),
        cmocka_unit_test(test_close_during_call),
        cmocka_unit_test(test_trace_code_cancelled),
    };
    return tdb_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
