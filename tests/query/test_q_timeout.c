/*
 * test_q_timeout.c: @timeout(100ms) on a query that would run for
 * seconds (an endless recursive CTE on SQLite, a 5 s pg_sleep or SLEEP),
 * on every dialect: SM_TIMEOUT, never before the limit and long before
 * the query would end, every call getting its own 100 ms, a tighter cx
 * deadline winning, none needed, the connection usable after, and a
 * transaction failed by it.  The upper bounds only tell an interrupted
 * query from one that ran its course; how late the interrupt comes is
 * latency, for a benchmark, not a test.
 */
#include "qtest.h"

/* The limit the query declares, and the bound on how long slow() may
 * take: far beyond any interrupt's round trip (PostgreSQL's cancel
 * request, MySQL's KILL QUERY on a side connection), and still below the
 * 5 s the query sleeps when nothing interrupts it. */
enum { LIMIT_MS = 100, HANG_MS = 4000 };

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
        tdb_check(t, __FILE__, __LINE__, "elapsed", ms >= LIMIT_MS - 5 && ms < HANG_MS,
                  "%.1f ms, want %d to %d", ms, LIMIT_MS, HANG_MS);
        QT_RC(t, sm_cx_errcode(&t->cx), SM_TIMEOUT);
        /* The connection answers at once; the cx's own deadline is back. */
        int64_t n = -1;
        QT_OK(t, count_heroes(&t->cx, t->conn, &n));
        QT_INT(t, n, 0);
    }
}

static void tighter_deadline(tdb *t)
{
    /* The cx's 30 ms are shorter than the query's 100 and win.  Were the
     * query's limit used, every call would take 100 ms or more: the
     * fastest of five under 100 ms shows it is not, whatever the load of
     * the machine does to the others. */
    double fastest = HANG_MS;
    for (int round = 0; round < 5; round++) {
        sm_cx_set_timeout_ms(&t->cx, 30);
        double ms = timed_slow(t, SM_TIMEOUT);
        print_message("    SM_TIMEOUT after %.1f ms with a 30 ms deadline\n", ms);
        tdb_check(t, __FILE__, __LINE__, "elapsed", ms >= 30 - 5 && ms < HANG_MS,
                  "%.1f ms, want 30 to %d", ms, HANG_MS);
        fastest = ms < fastest ? ms : fastest;
        /* That deadline has passed: the next call is refused at once. */
        int64_t n;
        QT_RC(t, count_heroes(&t->cx, t->conn, &n), SM_TIMEOUT);
    }
    tdb_check(t, __FILE__, __LINE__, "fastest", fastest < LIMIT_MS,
              "%.1f ms: the query's %d ms limit was used, not the cx's 30 ms", fastest, LIMIT_MS);
    sm_cx_set_timeout_ms(&t->cx, TDB_TIMEOUT_MS);
    int64_t n = -1;
    QT_OK(t, count_heroes(&t->cx, t->conn, &n));
    QT_INT(t, n, 0);
}

static void no_deadline(tdb *t)
{
    /* Without a cx deadline the query's own still applies, and none is
     * left behind: a later call may run as long as it likes. */
    sm_cx_set_timeout_ms(&t->cx, 0);
    double ms = timed_slow(t, SM_TIMEOUT);
    tdb_check(t, __FILE__, __LINE__, "elapsed", ms >= LIMIT_MS - 5 && ms < HANG_MS,
              "%.1f ms, want %d to %d", ms, LIMIT_MS, HANG_MS);
    /* The query's deadline has passed; were it still set, this would be
     * SM_TIMEOUT. */
    int64_t n = -1;
    QT_OK(t, count_heroes(&t->cx, t->conn, &n));
    QT_INT(t, n, 0);
    sm_cx_set_timeout_ms(&t->cx, TDB_TIMEOUT_MS);
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
