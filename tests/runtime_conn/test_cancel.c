/*
 * test_cancel.c: the context (DESIGN 4.1) on SQLite: deadlines and
 * sm_cx_cancel from another thread interrupt a running statement (the
 * bounds here only guard against hangs; latency belongs in bench/), the
 * connection stays usable, cancellation is sticky, a late
 * cancel never reaches a later statement on the same connection, row
 * fetches are bounded too; and the cx helpers themselves.
 */
#include "internal.h"
#include "tdb.h"

#include "crud_model.h"

#include <pthread.h>
#include <sched.h>
#include <unistd.h>

/* Counts to 10^9: minutes of work unless interrupted. */
static const char *const long_sql =
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000000) "
    "SELECT count(*) FROM c";

static void test_cx_basics(void **state)
{
    (void)state;
    sm_cx cx;
    sm_cx_init(&cx);
    assert_string_equal(sm_cx_errmsg(&cx), "");
    assert_int_equal(sm_cx_errcode(&cx), SM_OK);
    assert_int_equal(sm_cx_errors(&cx)->len, 0);
    assert_int_equal(sm_cx_constraint(&cx)->kind, SM_CK_NONE);
    assert_false(sm_cx_cancelled(&cx));
    assert_false(sm_cx_expired(&cx));
    assert_int_equal(sm_cx_remaining_ms(&cx), -1);
    assert_int_equal(sm_cx_check(&cx), SM_OK);

    /* What is left is the timeout less the time spent since it was set,
     * measured around the two calls (no guess at how fast they are). */
    int64_t t0 = sm_mono_ns();
    sm_cx_set_timeout_ms(&cx, 1000);
    int64_t left = sm_cx_remaining_ms(&cx);
    assert_in_range(left, 1000 - tdb_ms_since(t0) - 1, 1000);
    assert_false(sm_cx_expired(&cx));
    sm_cx_set_timeout_ms(&cx, 0);
    assert_int_equal(sm_cx_remaining_ms(&cx), -1);
    sm_cx_set_timeout_ms(&cx, 5);
    usleep(10000);
    assert_true(sm_cx_expired(&cx));
    assert_int_equal(sm_cx_remaining_ms(&cx), 0);
    assert_int_equal(sm_cx_check(&cx), SM_TIMEOUT);
    sm_cx_set_timeout_ms(&cx, -3);
    assert_false(sm_cx_expired(&cx));
    /* Huge timeouts do not overflow. */
    sm_cx_set_timeout_ms(&cx, INT64_MAX);
    assert_false(sm_cx_expired(&cx));
    assert_true(sm_cx_remaining_ms(&cx) > 0);

    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    t0 = sm_mono_ns();
    ts.tv_sec += 2;
    sm_cx_set_deadline(&cx, &ts);
    left = sm_cx_remaining_ms(&cx);
    assert_in_range(left, 2000 - tdb_ms_since(t0) - 1, 2000);
    sm_cx_set_deadline(&cx, NULL);
    assert_int_equal(sm_cx_remaining_ms(&cx), -1);

    /* Messages: formatted, long, and the fallback for an empty one. */
    assert_int_equal(sm_cx_fail(&cx, SM_ERROR, "bad %s %d", "thing", 42), SM_ERROR);
    assert_string_equal(sm_cx_errmsg(&cx), "bad thing 42");
    assert_int_equal(sm_cx_errcode(&cx), SM_ERROR);
    /* The current message may be an argument of the next. */
    assert_int_equal(sm_cx_fail(&cx, SM_CONN, "wrapped: %s", sm_cx_errmsg(&cx)), SM_CONN);
    assert_string_equal(sm_cx_errmsg(&cx), "wrapped: bad thing 42");
    char long_msg[1000];
    memset(long_msg, 'm', sizeof long_msg - 1);
    long_msg[sizeof long_msg - 1] = 0;
    assert_int_equal(sm_cx_fail(&cx, SM_ERROR, "%s!", long_msg), SM_ERROR);
    assert_int_equal(strlen(sm_cx_errmsg(&cx)), 1000);
    assert_int_equal(sm_cx_fail(&cx, SM_NOTFOUND, "%s", ""), SM_NOTFOUND);
    assert_string_equal(sm_cx_errmsg(&cx), sm_strerror(SM_NOTFOUND));

    /* Constraints: strings are copied; clear resets everything. */
    char table[8] = "tbl";
    sm_cx_set_constraint(&cx, SM_CK_UNIQUE, table, NULL, "a, b");
    table[0] = 'X';
    const sm_constraint *k = sm_cx_constraint(&cx);
    assert_int_equal(k->kind, SM_CK_UNIQUE);
    assert_string_equal(k->table, "tbl");
    assert_null(k->name);
    assert_string_equal(k->columns, "a, b");

    /* Field errors move into the cx. */
    sm_errors errs = SM_ERRORS_INIT;
    assert_int_equal(sm_errors_add(&errs, "name", "too_long", "must be at most %d characters", 100),
                     SM_OK);
    assert_int_equal(sm_errors_add(&errs, "age", "out_of_range", "must be >= 0"), SM_OK);
    assert_int_equal(sm_cx_invalid(&cx, &errs), SM_INVALID);
    assert_int_equal(errs.len, 0);
    assert_int_equal(sm_cx_errors(&cx)->len, 2);
    assert_string_equal(sm_cx_errmsg(&cx),
                        "name: must be at most 100 characters (and 1 more)");
    sm_errors_free(&errs);

    sm_cx_clear(&cx);
    assert_string_equal(sm_cx_errmsg(&cx), "");
    assert_int_equal(sm_cx_errors(&cx)->len, 0);
    assert_int_equal(sm_cx_constraint(&cx)->kind, SM_CK_NONE);

    sm_cx_cancel(&cx);
    assert_true(sm_cx_cancelled(&cx));
    assert_int_equal(sm_cx_check(&cx), SM_CANCELLED);
    sm_cx_free(&cx);
    /* A zeroed cx can be freed; freeing twice is harmless. */
    sm_cx zero;
    memset(&zero, 0, sizeof zero);
    sm_cx_free(&zero);
    sm_cx_free(&cx);
    sm_cx_free(NULL);
}

static void test_deadline_interrupts(void **state)
{
    (void)state;
    sm_cx cx, fresh;
    sm_cx_init(&cx);
    sm_cx_init(&fresh);
    sm_conn *c = tdb_connect(&fresh, tdb_url(SM_SQLITE));
    sm_cx_set_timeout_ms(&cx, 100);
    int64_t t0 = sm_mono_ns();
    TDB_RC(&cx, sm_exec(&cx, c, long_sql, NULL, 0, NULL), SM_TIMEOUT);
    int64_t took = tdb_ms_since(t0);
    assert_true(took >= 99 && took < 5000);
    assert_string_equal(sm_cx_errmsg(&cx), "deadline exceeded");
    /* The connection is fine; the expired cx is refused up front. */
    assert_int_equal(tdb_scalar_int(&fresh, c, "SELECT 6 * 7", NULL, 0), 42);
    uint64_t n = sm_conn_stat(c).statements;
    TDB_RC(&cx, sm_exec(&cx, c, "SELECT 1", NULL, 0, NULL), SM_TIMEOUT);
    assert_int_equal(sm_conn_stat(c).statements, n);
    /* A new deadline on the same cx works again. */
    sm_cx_set_timeout_ms(&cx, 1000);
    assert_int_equal(tdb_scalar_int(&cx, c, "SELECT 1", NULL, 0), 1);
    sm_close(c);
    sm_cx_free(&cx);
    sm_cx_free(&fresh);
}

typedef struct canceller {
    sm_cx *cx;
    int delay_ms;
    int64_t at;
} canceller;

static void *cancel_later(void *arg)
{
    canceller *k = arg;
    usleep((useconds_t)k->delay_ms * 1000);
    k->at = sm_mono_ns();
    sm_cx_cancel(k->cx);
    return NULL;
}

static void test_cancel_interrupts(void **state)
{
    (void)state;
    sm_cx cx, fresh;
    sm_cx_init(&cx);
    sm_cx_init(&fresh);
    sm_conn *c = tdb_connect(&fresh, tdb_url(SM_SQLITE));
    canceller k = {&cx, 100, 0};
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, cancel_later, &k), 0);
    sm_rows *r;
    TDB_RC(&cx, sm_query(&cx, c, long_sql, NULL, 0, &r), SM_CANCELLED);
    int64_t late = tdb_ms_since(k.at);
    pthread_join(th, NULL);
    assert_true(late < 5000);
    assert_null(r);
    assert_string_equal(sm_cx_errmsg(&cx), "cancelled");
    /* Sticky: every later call on cx is cancelled, without touching c. */
    uint64_t n = sm_conn_stat(c).statements;
    TDB_RC(&cx, sm_exec(&cx, c, "SELECT 1", NULL, 0, NULL), SM_CANCELLED);
    TDB_RC(&cx, sm_begin(&cx, c), SM_CANCELLED);
    sm_conn *c2 = (sm_conn *)(uintptr_t)1;
    TDB_RC(&cx, sm_open(&cx, "sqlite::memory:", &c2), SM_CANCELLED);
    assert_null(c2);
    assert_int_equal(sm_conn_stat(c).statements, n);
    /* The connection itself is fine. */
    assert_int_equal(tdb_scalar_int(&fresh, c, "SELECT 2", NULL, 0), 2);
    sm_close(c);
    sm_cx_free(&cx);
    sm_cx_free(&fresh);
}

/* An interrupted write inside a transaction: SQLite rolls the whole
 * transaction back itself; the failed-transaction rule holds and
 * sm_rollback still succeeds. */
static void test_interrupt_in_transaction(void **state)
{
    (void)state;
    sm_cx cx, fresh;
    sm_cx_init(&cx);
    sm_cx_init(&fresh);
    sm_conn *c = tdb_connect(&fresh, tdb_url(SM_SQLITE));
    tdb_exec_ok(&fresh, c, "CREATE TABLE t (x INTEGER)");
    TDB_OK(&fresh, sm_begin(&fresh, c));
    tdb_exec_ok(&fresh, c, "INSERT INTO t VALUES (1)");
    sm_cx_set_timeout_ms(&cx, 50);
    TDB_RC(&cx,
           sm_exec(&cx, c,
                   "INSERT INTO t WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 "
                   "FROM c WHERE x < 1000000000) SELECT x FROM c",
                   NULL, 0, NULL),
           SM_TIMEOUT);
    TDB_RC(&fresh, sm_commit(&fresh, c), SM_MISUSE);
    TDB_OK(&fresh, sm_rollback(&fresh, c));
    assert_int_equal(tdb_scalar_int(&fresh, c, "SELECT count(*) FROM t", NULL, 0), 0);
    sm_close(c);
    sm_cx_free(&cx);
    sm_cx_free(&fresh);
}

typedef struct spammer {
    sm_cx *cx;
    volatile int stop;
    int count;
} spammer;

static void *cancel_forever(void *arg)
{
    spammer *s = arg;
    while (!__atomic_load_n(&s->stop, __ATOMIC_ACQUIRE)) {
        sm_cx_cancel(s->cx);
        __atomic_add_fetch(&s->count, 1, __ATOMIC_RELEASE);
    }
    return NULL;
}

/* A cancel of a cx whose call is over never reaches the statements that
 * run later on the same connection under other contexts. */
static void test_late_cancel(void **state)
{
    (void)state;
    sm_cx cx1, cx2;
    sm_cx_init(&cx1);
    sm_cx_init(&cx2);
    sm_conn *c = tdb_connect(&cx2, tdb_url(SM_SQLITE));
    assert_int_equal(tdb_scalar_int(&cx1, c, "SELECT 1", NULL, 0), 1);
    sm_cx_cancel(&cx1);
    /* A moderately long statement on cx2 runs to its end. */
    const char *mid = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c "
                      "WHERE x < 300000) SELECT count(*) FROM c";
    assert_int_equal(tdb_scalar_int(&cx2, c, mid, NULL, 0), 300000);
    /* Even with cancels of cx1 raining down the whole time (from the
     * first query on: the thread has cancelled at least once before). */
    spammer s = {&cx1, 0, 0};
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, cancel_forever, &s), 0);
    while (__atomic_load_n(&s.count, __ATOMIC_ACQUIRE) == 0)
        sched_yield();
    for (int i = 0; i < 20; i++)
        assert_int_equal(tdb_scalar_int(&cx2, c, mid, NULL, 0), 300000);
    __atomic_store_n(&s.stop, 1, __ATOMIC_RELEASE);
    pthread_join(th, NULL);
    assert_true(s.count > 0);
    TDB_RC(&cx1, sm_exec(&cx1, c, "SELECT 1", NULL, 0, NULL), SM_CANCELLED);
    sm_close(c);
    sm_cx_free(&cx1);
    sm_cx_free(&cx2);
}

/* A cancel racing with the end of the call it targets: rounds of one
 * short call on a fresh cx1 while another thread cancels cx1 after a
 * random pause, and at once a statement on the same connection under
 * cx2.  The cancel lands before, during or after cx1's call, but never
 * in cx2's statement: a call's end waits for a cancel that saw it
 * registered, and a later cancel finds nothing registered. */
typedef struct racer {
    sm_cx *volatile cx;
    int round, done, stop;
} racer;

static void *cancel_racing(void *arg)
{
    racer *r = arg;
    unsigned seed = 12345;
    for (int seen = 0;;) {
        int round;
        while ((round = __atomic_load_n(&r->round, __ATOMIC_ACQUIRE)) == seen) {
            if (__atomic_load_n(&r->stop, __ATOMIC_ACQUIRE))
                return NULL;
            sched_yield();
        }
        seen = round;
        seed = seed * 1103515245u + 12345u;
        for (volatile unsigned spin = (seed >> 16) % 1500; spin; spin--)
            ;
        sm_cx_cancel(r->cx);
        __atomic_store_n(&r->done, round, __ATOMIC_RELEASE);
    }
}

static void test_cancel_races_call_end(void **state)
{
    (void)state;
    sm_cx cx1, cx2;
    sm_cx_init(&cx2);
    sm_conn *c = tdb_connect(&cx2, tdb_url(SM_SQLITE));
    const char *mid = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c "
                      "WHERE x < 2000) SELECT count(*) FROM c";
    racer r = {NULL, 0, 0, 0};
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, cancel_racing, &r), 0);
    int cancelled = 0;
    for (int round = 1; round <= 4000; round++) {
        sm_cx_init(&cx1);
        r.cx = &cx1;
        __atomic_store_n(&r.round, round, __ATOMIC_RELEASE);
        int rc = sm_exec(&cx1, c, "SELECT 1", NULL, 0, NULL);
        assert_true(rc == SM_OK || rc == SM_CANCELLED);
        cancelled += rc == SM_CANCELLED;
        assert_int_equal(tdb_scalar_int(&cx2, c, mid, NULL, 0), 2000);
        while (__atomic_load_n(&r.done, __ATOMIC_ACQUIRE) != round)
            sched_yield();
        sm_cx_free(&cx1);
    }
    __atomic_store_n(&r.stop, 1, __ATOMIC_RELEASE);
    pthread_join(th, NULL);
    print_message("%d of 4000 calls cancelled\n", cancelled);
    sm_close(c);
    sm_cx_free(&cx2);
}

/* The deadline bounds every row fetch; cancel too.  The deadline leaves
 * time for the first rows (a second), and the query has minutes of
 * them. */
static void test_rows_bounded(void **state)
{
    (void)state;
    sm_cx cx, fresh;
    sm_cx_init(&cx);
    sm_cx_init(&fresh);
    sm_conn *c = tdb_connect(&fresh, tdb_url(SM_SQLITE));
    sm_cx_set_timeout_ms(&cx, 1000);
    sm_rows *r;
    TDB_OK(&cx, sm_query(&cx, c,
                         "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c "
                         "WHERE x < 1000000000) SELECT x FROM c",
                         NULL, 0, &r));
    int rc;
    int64_t rows = 0, t0 = sm_mono_ns();
    while ((rc = sm_rows_next(r)) == SM_ROW)
        rows++;
    assert_int_equal(rc, SM_TIMEOUT);
    assert_true(tdb_ms_since(t0) < 30000); /* a hang guard: latency belongs in bench/ */
    assert_true(rows > 0);
    /* The error stays with the rows, and the connection is free at once
     * (before sm_rows_close). */
    assert_int_equal(sm_rows_next(r), SM_TIMEOUT);
    assert_int_equal(tdb_scalar_int(&fresh, c, "SELECT 4", NULL, 0), 4);
    sm_rows_close(r);

    sm_cx cx2;
    sm_cx_init(&cx2);
    TDB_OK(&cx2, sm_query(&cx2, c, "SELECT 1 UNION ALL SELECT 2", NULL, 0, &r));
    TDB_RC(&cx2, sm_rows_next(r), SM_ROW);
    sm_cx_cancel(&cx2);
    TDB_RC(&cx2, sm_rows_next(r), SM_CANCELLED);
    sm_rows_close(r);
    assert_int_equal(tdb_scalar_int(&fresh, c, "SELECT 3", NULL, 0), 3);
    sm_close(c);
    sm_cx_free(&cx);
    sm_cx_free(&cx2);
    sm_cx_free(&fresh);
}

/* Cancels a cx when the traced INSERTs reach a count. */
typedef struct cancel_at {
    sm_cx *cx;
    int at, inserts;
} cancel_at;

static void count_and_cancel(void *ud, const sm_trace *tr)
{
    cancel_at *k = ud;
    if (strncmp(tr->sql, "INSERT", 6) == 0 && ++k->inserts == k->at)
        sm_cx_cancel(k->cx);
}

/* An operation of many short statements stops at the next statement
 * after a cancel, and its transaction is rolled back.  The cancel comes
 * from the trace hook after the 1000th row, so where it lands does not
 * depend on the speed of the machine. */
static void test_cancel_many_statements(void **state)
{
    (void)state;
    sm_cx cx, fresh;
    sm_cx_init(&cx);
    sm_cx_init(&fresh);
    sm_conn *c = tdb_connect(&fresh, tdb_url(SM_SQLITE));
    TDB_OK(&fresh, sm_module_create_all(&fresh, c, &heroes_module));
    size_t n = 5000;
    Hero *hs = calloc(n, sizeof *hs);
    assert_non_null(hs);
    for (size_t i = 0; i < n; i++) {
        hs[i] = hero_init;
        hs[i].name = "many";
        hs[i].secret_name = "s";
    }
    cancel_at k = {&cx, 1000, 0};
    sm_conn_set_trace(c, count_and_cancel, &k);
    TDB_RC(&cx, sm_model_insert_many(&cx, c, &hero_model, hs, n), SM_CANCELLED);
    sm_conn_set_trace(c, NULL, NULL);
    /* SQLite inserts row by row: not one more statement ran. */
    assert_int_equal(k.inserts, 1000);
    assert_false(sm_in_transaction(c));
    assert_int_equal(tdb_scalar_int(&fresh, c, "SELECT count(*) FROM hero", NULL, 0), 0);
    assert_int_equal(hs[0].id, 0);
    assert_int_equal(hs[0].created_at, 0);
    assert_int_equal(hs[999].id, 0);
    free(hs);
    sm_close(c);
    sm_cx_free(&cx);
    sm_cx_free(&fresh);
}

/* Opening honours an expired or cancelled cx. */
static void test_open_checks_cx(void **state)
{
    (void)state;
    sm_cx cx;
    sm_cx_init(&cx);
    struct timespec past = {0, 0};
    sm_cx_set_deadline(&cx, &past);
    sm_conn *c = (sm_conn *)(uintptr_t)1;
    TDB_RC(&cx, sm_open(&cx, "sqlite::memory:", &c), SM_TIMEOUT);
    assert_null(c);
    sm_cx_free(&cx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cx_basics),
        cmocka_unit_test(test_deadline_interrupts),
        cmocka_unit_test(test_cancel_interrupts),
        cmocka_unit_test(test_interrupt_in_transaction),
        cmocka_unit_test(test_late_cancel),
        cmocka_unit_test(test_cancel_races_call_end),
        cmocka_unit_test(test_rows_bounded),
        cmocka_unit_test(test_cancel_many_statements),
        cmocka_unit_test(test_open_checks_cx),
    };
    return tdb_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
