/*
 * test_q_timeout.c: @timeout(100ms) on a query that would run for
 * seconds (an endless recursive CTE on SQLite, pg_sleep, SLEEP), on
 * every dialect: SM_TIMEOUT in about 100 ms, every call getting its own
 * 100 ms, a tighter cx deadline winning, none needed, the connection
 * usable after, and a transaction failed by it.
 */
#include "qtest.h"

/* The limit the query declares, and how late SM_TIMEOUT may come: the
 * interrupt is a round trip (PostgreSQL's cancel request, MySQL's KILL
 * QUERY on a side connection). */
enum { LIMIT_MS = 100, LATE_MS = 50 };

/* Runs slow() and returns how long it took, in milliseconds. */
static double timed_slow(tdb *t, int want)
{
    SlowRow_list l;
    double t0 = tdb_now_ms();
    int rc = slow(&t->cx, t->conn, &l, &t->arena);
    double ms = tdb_now_ms() - t0;
    QT_RC(t, rc, want);
    QT_ZERO(t, l);
    return ms;
}

static void query_timeout(tdb *t)
{
    for (int round = 0; round < 3; round++) {
        double ms = timed_slow(t, SM_TIMEOUT);
        print_message("    SM_TIMEOUT after %.1f ms\n", ms);
        tdb_check(t, __FILE__, __LINE__, "elapsed", ms >= LIMIT_MS - 5 && ms <= LIMIT_MS + LATE_MS,
                  "%.1f ms, want %d to %d", ms, LIMIT_MS, LIMIT_MS + LATE_MS);
        QT_TRUE(t, sm_cx_errcode(&t->cx) == SM_TIMEOUT);
        /* The connection answers at once; the cx's own deadline is back. */
        int64_t n = -1;
        QT_OK(t, count_heroes(&t->cx, t->conn, &n));
        QT_INT(t, n, 0);
    }
}

static void tighter_deadline(tdb *t)
{
    /* The cx's 30 ms are shorter than the query's 100. */
    sm_cx_set_timeout_ms(&t->cx, 30);
    double ms = timed_slow(t, SM_TIMEOUT);
    print_message("    SM_TIMEOUT after %.1f ms with a 30 ms deadline\n", ms);
    tdb_check(t, __FILE__, __LINE__, "elapsed", ms <= 30 + LATE_MS, "%.1f ms, want at most %d", ms,
              30 + LATE_MS);
    /* That deadline has passed: the next call is refused at once. */
    int64_t n;
    QT_RC(t, count_heroes(&t->cx, t->conn, &n), SM_TIMEOUT);
    sm_cx_set_timeout_ms(&t->cx, 60000);
    QT_OK(t, count_heroes(&t->cx, t->conn, &n));
}

static void no_deadline(tdb *t)
{
    /* Without a cx deadline the query's own still applies, and none is
     * left behind: a later call may run as long as it likes. */
    sm_cx_set_timeout_ms(&t->cx, 0);
    double ms = timed_slow(t, SM_TIMEOUT);
    tdb_check(t, __FILE__, __LINE__, "elapsed", ms >= LIMIT_MS - 5 && ms <= LIMIT_MS + LATE_MS,
              "%.1f ms, want %d to %d", ms, LIMIT_MS, LIMIT_MS + LATE_MS);
    /* The query's deadline has passed; were it still set, this would be
     * SM_TIMEOUT. */
    int64_t n = -1;
    QT_OK(t, count_heroes(&t->cx, t->conn, &n));
    QT_INT(t, n, 0);
    sm_cx_set_timeout_ms(&t->cx, 60000);
}

static void in_transaction(tdb *t)
{
    int64_t n;
    QT_OK(t, sm_begin(&t->cx, t->conn));
    timed_slow(t, SM_TIMEOUT);
    /* A timeout fails the transaction: only rollback is allowed. */
    QT_RC(t, count_heroes(&t->cx, t->conn, &n), SM_MISUSE);
    QT_OK(t, sm_rollback(&t->cx, t->conn));
    QT_OK(t, count_heroes(&t->cx, t->conn, &n));
}

static void test_query_timeout(void **state)
{
    (void)state;
    tdb_each(queries_create_all, query_timeout);
}

static void test_tighter_deadline(void **state)
{
    (void)state;
    tdb_each(queries_create_all, tighter_deadline);
}

static void test_no_deadline(void **state)
{
    (void)state;
    tdb_each(queries_create_all, no_deadline);
}

static void test_in_transaction(void **state)
{
    (void)state;
    tdb_each(queries_create_all, in_transaction);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_query_timeout),
        cmocka_unit_test(test_tighter_deadline),
        cmocka_unit_test(test_no_deadline),
        cmocka_unit_test(test_in_transaction),
    };
    return tdb_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
