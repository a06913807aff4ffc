/*
 * test_rows.c: the life of raw query results on every driver.  Rows hold
 * the connection only while rows may still come: after SM_DONE or any
 * error (a database error mid-result, a cancel, the deadline) the
 * connection is usable at once, before sm_rows_close.  sm_close and
 * sm_rows_close may come in either order.
 */
#include "internal.h"
#include "tdb.h"

/* A three-row query whose third row fails on the database, or NULL
 * where every row is computed before the first is returned. */
static const char *failing_third_row(sm_dialect d)
{
    switch (d) {
    case SM_SQLITE:
        return "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3) "
               "SELECT CASE WHEN x < 3 THEN x ELSE json('not json') END FROM c";
    case SM_MYSQL: /* rows are read as they are asked for: the third fails on its subquery */
        return "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3) "
               "SELECT x, (SELECT y FROM (SELECT 1 AS y UNION ALL SELECT 2) u WHERE c.x >= 3) "
               "FROM c";
    default:
        return NULL; /* results are read whole before the first row */
    }
}

static void expect_usable(sm_conn *c)
{
    sm_cx other;
    sm_cx_init(&other);
    char buf[16];
    tdb_scalar(&other, c, "SELECT 'alive'", NULL, 0, buf, sizeof buf);
    assert_string_equal(buf, "alive");
    sm_cx_free(&other);
}

static void done_case(tdb *t)
{
    const char *url = t->url;
    sm_cx cx, other;
    sm_cx_init(&cx);
    sm_cx_init(&other);
    sm_conn *c = tdb_connect(&cx, url);
    sm_rows *r;
    TDB_OK(&cx, sm_query(&cx, c, "SELECT 1 UNION ALL SELECT 2", NULL, 0, &r));
    TDB_RC(&cx, sm_rows_next(r), SM_ROW);
    TDB_RC(&other, sm_exec(&other, c, "SELECT 1", NULL, 0, NULL), SM_MISUSE);
    TDB_RC(&cx, sm_rows_next(r), SM_ROW);
    TDB_RC(&cx, sm_rows_next(r), SM_DONE);
    expect_usable(c);
    TDB_RC(&cx, sm_rows_next(r), SM_DONE); /* the rows keep their code */
    assert_int_equal(sm_rows_ncols(r), 0);
    assert_null(sm_rows_text(r, 0));
    sm_rows_close(r);
    sm_close(c);
    sm_cx_free(&cx);
    sm_cx_free(&other);
}

static void test_done_frees_the_connection(void **state)
{
    (void)state;
    tdb_each(NULL, done_case);
}

static void error_case(tdb *t)
{
    const char *url = t->url;
    sm_cx cx;
    sm_cx_init(&cx);
    sm_conn *c = tdb_connect(&cx, url);
    sm_rows *r;
    /* A cancel while rows are open: the next read fails, the connection
     * does not stay taken. */
    TDB_OK(&cx, sm_query(&cx, c, "SELECT 1 UNION ALL SELECT 2", NULL, 0, &r));
    TDB_RC(&cx, sm_rows_next(r), SM_ROW);
    sm_cx_cancel(&cx);
    TDB_RC(&cx, sm_rows_next(r), SM_CANCELLED);
    expect_usable(c);
    TDB_RC(&cx, sm_rows_next(r), SM_CANCELLED);
    sm_rows_close(r);
    sm_cx_free(&cx);

    /* The deadline, the same way. */
    sm_cx_init(&cx);
    TDB_OK(&cx, sm_query(&cx, c, "SELECT 1 UNION ALL SELECT 2", NULL, 0, &r));
    TDB_RC(&cx, sm_rows_next(r), SM_ROW);
    struct timespec past = {0, 1};
    sm_cx_set_deadline(&cx, &past);
    TDB_RC(&cx, sm_rows_next(r), SM_TIMEOUT);
    expect_usable(c);
    sm_rows_close(r);

    /* A database error on a later row. */
    const char *sql = failing_third_row(t->d);
    if (sql) {
        sm_cx_set_deadline(&cx, NULL);
        TDB_OK(&cx, sm_query(&cx, c, sql, NULL, 0, &r));
        TDB_RC(&cx, sm_rows_next(r), SM_ROW);
        TDB_RC(&cx, sm_rows_next(r), SM_ROW);
        TDB_RC(&cx, sm_rows_next(r), SM_ERROR);
        expect_usable(c);
        sm_rows_close(r);
    }
    sm_close(c);
    sm_cx_free(&cx);
}

static void test_errors_free_the_connection(void **state)
{
    (void)state;
    tdb_each(NULL, error_case);
}

static void close_order_case(tdb *t)
{
    const char *url = t->url;
    sm_cx cx;
    sm_cx_init(&cx);
    /* The connection first, the rows after. */
    sm_conn *c = tdb_connect(&cx, url);
    sm_rows *r, *empty;
    TDB_OK(&cx, sm_query(&cx, c, "SELECT 1 UNION ALL SELECT 2", NULL, 0, &r));
    TDB_RC(&cx, sm_rows_next(r), SM_ROW);
    sm_close(c);
    TDB_RC(&cx, sm_rows_next(r), SM_MISUSE);
    assert_non_null(strstr(sm_cx_errmsg(&cx), "closed"));
    assert_int_equal(sm_rows_ncols(r), 0);
    assert_true(sm_rows_is_null(r, 0));
    sm_rows_close(r);
    /* An empty result, never read. */
    c = tdb_connect(&cx, url);
    TDB_OK(&cx, sm_query(&cx, c, "SELECT x FROM (SELECT 1 AS x) t WHERE x = 0", NULL, 0, &empty));
    sm_close(c);
    TDB_RC(&cx, sm_rows_next(empty), SM_MISUSE);
    sm_rows_close(empty);
    /* The rows first, the connection after. */
    c = tdb_connect(&cx, url);
    TDB_OK(&cx, sm_query(&cx, c, "SELECT 1 UNION ALL SELECT 2", NULL, 0, &r));
    TDB_RC(&cx, sm_rows_next(r), SM_ROW);
    sm_rows_close(r);
    expect_usable(c);
    sm_close(c);
    sm_cx_free(&cx);
}

static void test_close_in_either_order(void **state)
{
    (void)state;
    tdb_each(NULL, close_order_case);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_done_frees_the_connection),
        cmocka_unit_test(test_errors_free_the_connection),
        cmocka_unit_test(test_close_in_either_order),
    };
    return tdb_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
