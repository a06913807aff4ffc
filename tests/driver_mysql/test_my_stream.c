/*
 * test_my_stream.c: reading results on MariaDB/MySQL, read off the
 * socket as they are asked for (a SELECT, stored in memory when another
 * command needs the connection first) and streamed row by row
 * (sm_stmt.stream, the `-> each` path): values longer than their first
 * buffer are fetched again whole, a stream stopped early is drained so
 * the connection goes on, and both modes return the same rows.
 */
#include "mytest.h"

static sm_conn *conn;
static sm_cx cx;

#define NROWS 3000

/* Row n holds a text of length len_of(n): short, long, empty, in turns. */
static size_t len_of(int n)
{
    switch (n % 4) {
    case 0:
        return 1;
    case 1:
        return 5000 + (size_t)n;
    case 2:
        return 0;
    default:
        return (size_t)n % 300;
    }
}

static int setup(void **state)
{
    (void)state;
    sm_cx_init(&cx);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    sm_close(conn);
    sm_cx_free(&cx);
    return 0;
}

/* The shared connection and the table of NROWS rows, made by the
 * first test. */
static void need_conn(void)
{
    if (conn)
        return;
    conn = myt_open(&cx);
    tdb_exec_ok(&cx, conn,
                "CREATE TABLE big (n INT PRIMARY KEY, t LONGTEXT NOT NULL, v VARCHAR(10)) "
                "ENGINE=InnoDB");
    TDB_OK(&cx, sm_begin(&cx, conn));
    for (int n = 0; n < NROWS; n++) {
        sm_value p[3] = {sm_int(n), sm_text(NULL), n % 5 ? sm_text("x") : sm_null()};
        char *t = malloc(len_of(n) + 1);
        assert_non_null(t);
        memset(t, 'a' + n % 26, len_of(n));
        p[1] = sm_textn(t, len_of(n));
        int rc = sm_exec(&cx, conn, "INSERT INTO big VALUES (?, ?, ?)", p, 3, NULL);
        free(t);
        TDB_OK(&cx, rc);
    }
    TDB_OK(&cx, sm_commit(&cx, conn));
}

static void check_row(sm_stmt *st, int want)
{
    const sm_driver *d = conn->drv;
    assert_int_equal(d->get_int(st, 0), want);
    size_t len = 99;
    const char *t = d->get_text(st, 1, &len);
    assert_non_null(t);
    assert_int_equal(len, len_of(want));
    assert_int_equal(strlen(t), len);
    for (size_t i = 0; i < len; i++)
        if (t[i] != 'a' + want % 26)
            fail_msg("row %d: byte %zu is %d", want, i, t[i]);
    assert_int_equal(d->is_null(st, 2), want % 5 == 0);
}

/* Reads the whole result in one mode and checks every row. */
static void read_all(bool stream)
{
    TDB_OK(&cx, sm_call_begin(&cx, conn, SM_CALL_ANY));
    sm_stmt *st = NULL;
    TDB_OK(&cx, sm_stmt_raw(&cx, conn, "SELECT n, t, v FROM big ORDER BY n", &st));
    st->stream = stream;
    uint64_t trips = sm_conn_stat(conn).round_trips;
    int rc = sm_stmt_exec(&cx, st, NULL, 0);
    int n = 0;
    while (rc == SM_ROW) {
        check_row(st, n++);
        rc = sm_stmt_next(&cx, st);
    }
    TDB_RC(&cx, rc, SM_DONE);
    assert_int_equal(n, NROWS);
    /* One exchange either way: the rows follow the execute answer. */
    assert_int_equal(sm_conn_stat(conn).round_trips, trips + 1);
    /* Past the end stays at the end. */
    TDB_RC(&cx, sm_stmt_next(&cx, st), SM_DONE);
    sm_stmt_release(st);
    sm_call_end(&cx, conn, SM_OK);
}

static void test_buffered(void **state)
{
    (void)state;
    need_conn();
    read_all(false);
}

static void test_streamed(void **state)
{
    (void)state;
    need_conn();
    read_all(true);
}

/* Stops after a few rows: releasing the statement drains the rest, and
 * the connection (and the same statement) work afterwards. */
static void test_stream_stopped_early(void **state)
{
    (void)state;
    need_conn();
    for (int round = 0; round < 3; round++) {
        TDB_OK(&cx, sm_call_begin(&cx, conn, SM_CALL_ANY));
        sm_stmt *st = NULL;
        TDB_OK(&cx, sm_stmt_raw(&cx, conn, "SELECT n, t, v FROM big WHERE n >= ? ORDER BY n", &st));
        st->stream = true;
        sm_value p = sm_int(round * 10);
        int rc = sm_stmt_exec(&cx, st, &p, 1);
        for (int i = 0; i < 5; i++) {
            TDB_RC(&cx, rc, SM_ROW);
            check_row(st, round * 10 + i);
            rc = sm_stmt_next(&cx, st);
        }
        sm_stmt_release(st);
        sm_call_end(&cx, conn, SM_OK);
        assert_int_equal(tdb_scalar_int(&cx, conn, "SELECT COUNT(*) FROM big", NULL, 0), NROWS);
    }
    /* Executing again while a streamed result is still open ends it
     * first. */
    TDB_OK(&cx, sm_call_begin(&cx, conn, SM_CALL_ANY));
    sm_stmt *st = NULL;
    TDB_OK(&cx, sm_stmt_raw(&cx, conn, "SELECT n, t, v FROM big WHERE n >= ? ORDER BY n", &st));
    st->stream = true;
    sm_value p = sm_int(0);
    TDB_RC(&cx, sm_stmt_exec(&cx, st, &p, 1), SM_ROW);
    p = sm_int(NROWS - 1);
    TDB_RC(&cx, sm_stmt_exec(&cx, st, &p, 1), SM_ROW);
    check_row(st, NROWS - 1);
    TDB_RC(&cx, sm_stmt_next(&cx, st), SM_DONE);
    sm_stmt_release(st);
    sm_call_end(&cx, conn, SM_OK);
}

/* Runs sql (one row, one integer) and returns the integer, inside the
 * call in progress. */
static int64_t scalar(const char *sql, const sm_value *p, size_t n)
{
    sm_stmt *st = NULL;
    TDB_OK(&cx, sm_stmt_raw(&cx, conn, sql, &st));
    TDB_RC(&cx, sm_stmt_exec(&cx, st, p, n), SM_ROW);
    int64_t v = conn->drv->get_int(st, 0);
    TDB_OK(&cx, sm_stmt_release(st));
    return v;
}

/* Two SELECTs read in turn while other commands (another statement, a
 * prepare, a script) use the connection between their rows: whatever
 * result is still on the socket is stored first, and every row of both
 * comes, in order, with its values. */
static void test_commands_between_rows(void **state)
{
    (void)state;
    need_conn();
    TDB_OK(&cx, sm_call_begin(&cx, conn, SM_CALL_ANY));
    sm_stmt *a = NULL, *b = NULL;
    TDB_OK(&cx, sm_stmt_raw(&cx, conn, "SELECT n, t, v FROM big ORDER BY n", &a));
    int rc = sm_stmt_exec(&cx, a, NULL, 0), n = 0, m = 1000;
    for (; rc == SM_ROW; rc = sm_stmt_next(&cx, a), n++) {
        check_row(a, n);
        if (n == 10) {
            TDB_OK(&cx, sm_stmt_raw(&cx, conn, " (SELECT n, t, v FROM big WHERE n >= ? ORDER BY n)", &b));
            sm_value p = sm_int(m);
            TDB_RC(&cx, sm_stmt_exec(&cx, b, &p, 1), SM_ROW);
        }
        if (b && n % 10 == 5 && m < NROWS - 1) { /* b advances with a */
            check_row(b, m++);
            TDB_RC(&cx, sm_stmt_next(&cx, b), SM_ROW);
        }
        if (n == 20 || n == 2500) {
            sm_value p = sm_int(n);
            assert_int_equal(scalar("SELECT COUNT(*) FROM big WHERE n >= ?", &p, 1), NROWS - n);
        }
        if (n == 30)
            TDB_OK(&cx, conn->drv->exec_script(&cx, conn, "DO 1; DO 2"));
    }
    TDB_RC(&cx, rc, SM_DONE);
    assert_int_equal(n, NROWS);
    check_row(b, m);
    for (m++; (rc = sm_stmt_next(&cx, b)) == SM_ROW; m++)
        check_row(b, m);
    TDB_RC(&cx, rc, SM_DONE);
    assert_int_equal(m, NROWS);
    sm_stmt_release(b);
    sm_stmt_release(a);
    sm_call_end(&cx, conn, SM_OK);
    assert_int_equal(tdb_scalar_int(&cx, conn, "SELECT COUNT(*) FROM big", NULL, 0), NROWS);
}

/* The public API reads buffered results row by row too, with the same
 * values. */
static void test_public_rows(void **state)
{
    (void)state;
    need_conn();
    sm_rows *r = NULL;
    sm_value p = sm_int(NROWS - 8);
    TDB_OK(&cx, sm_query(&cx, conn, "SELECT n, t, v FROM big WHERE n >= ? ORDER BY n", &p, 1, &r));
    int n = NROWS - 8;
    int rc;
    while ((rc = sm_rows_next(r)) == SM_ROW) {
        assert_int_equal(sm_rows_int(r, 0), n);
        size_t len = 0;
        assert_non_null(sm_rows_blob(r, 1, &len));
        assert_int_equal(len, len_of(n));
        n++;
    }
    TDB_RC(&cx, rc, SM_DONE);
    assert_int_equal(n, NROWS);
    sm_rows_close(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_buffered),
        cmocka_unit_test(test_streamed),
        cmocka_unit_test(test_stream_stopped_early),
        cmocka_unit_test(test_public_rows),
        cmocka_unit_test(test_commands_between_rows),
    };
    return tdb_exit(cmocka_run_group_tests(tests, setup, teardown));
}
