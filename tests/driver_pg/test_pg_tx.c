/*
 * test_pg_tx.c: transactions and the failed-transaction rule on
 * PostgreSQL through the public API, re-preparing stale plans after DDL,
 * streaming large results in single-row mode, and the deallocation of
 * statements evicted from the cache.
 */
#include "pgtest.h"

#include "pg_driver.h"

static int64_t count(pgt_env *e, const char *table)
{
    char sql[128], buf[32];
    snprintf(sql, sizeof sql, "SELECT count(*)::text FROM %s", table);
    tdb_scalar(&e->cx, e->conn, sql, NULL, 0, buf, sizeof buf);
    return atoll(buf);
}

static void test_commit_rollback(void **state)
{
    pgt_env *e = pgt_env_of(state);
    sm_cx *cx = &e->cx;
    tdb_exec_ok(cx, e->conn, "CREATE TABLE t (id int PRIMARY KEY)");
    TDB_OK(cx, sm_begin(cx, e->conn));
    assert_true(sm_in_transaction(e->conn));
    TDB_RC(cx, sm_begin(cx, e->conn), SM_MISUSE);
    tdb_exec_ok(cx, e->conn, "INSERT INTO t VALUES (1)");
    TDB_OK(cx, sm_rollback(cx, e->conn));
    assert_false(sm_in_transaction(e->conn));
    assert_int_equal(count(e, "t"), 0);
    TDB_OK(cx, sm_begin(cx, e->conn));
    tdb_exec_ok(cx, e->conn, "INSERT INTO t VALUES (1)");
    /* DDL inside a transaction is fine on PostgreSQL. */
    tdb_exec_ok(cx, e->conn, "CREATE TABLE t2 (v int)");
    TDB_OK(cx, sm_commit(cx, e->conn));
    assert_int_equal(count(e, "t"), 1);
    assert_int_equal(count(e, "t2"), 0);
}

static void test_failed_transaction(void **state)
{
    pgt_env *e = pgt_env_of(state);
    sm_cx *cx = &e->cx;
    tdb_exec_ok(cx, e->conn, "CREATE TABLE f (id int PRIMARY KEY)");
    TDB_OK(cx, sm_begin(cx, e->conn));
    tdb_exec_ok(cx, e->conn, "INSERT INTO f VALUES (1)");
    TDB_RC(cx, sm_exec(cx, e->conn, "INSERT INTO f VALUES (1)", NULL, 0, NULL), SM_CONSTRAINT);
    /* Every call but rollback is refused, without reaching the server. */
    uint64_t trips = sm_conn_stat(e->conn).round_trips;
    TDB_RC(cx, sm_exec(cx, e->conn, "INSERT INTO f VALUES (2)", NULL, 0, NULL), SM_MISUSE);
    sm_rows *r = NULL;
    TDB_RC(cx, sm_query(cx, e->conn, "SELECT 1", NULL, 0, &r), SM_MISUSE);
    TDB_RC(cx, sm_savepoint(cx, e->conn, "sp"), SM_MISUSE);
    TDB_RC(cx, sm_commit(cx, e->conn), SM_MISUSE);
    assert_int_equal(sm_conn_stat(e->conn).round_trips, trips);
    TDB_OK(cx, sm_rollback(cx, e->conn));
    assert_int_equal(count(e, "f"), 0);
    /* A failed commit leaves no transaction: a deferred constraint. */
    tdb_exec_ok(
        cx, e->conn,
        "CREATE TABLE d (id int, CONSTRAINT uq_d UNIQUE (id) DEFERRABLE INITIALLY DEFERRED)");
    TDB_OK(cx, sm_begin(cx, e->conn));
    tdb_exec_ok(cx, e->conn, "INSERT INTO d VALUES (1)");
    tdb_exec_ok(cx, e->conn, "INSERT INTO d VALUES (1)");
    TDB_RC(cx, sm_commit(cx, e->conn), SM_CONSTRAINT);
    assert_string_equal(sm_cx_constraint(cx)->name, "uq_d");
    assert_false(sm_in_transaction(e->conn));
    tdb_exec_ok(cx, e->conn, "INSERT INTO d VALUES (2)");
    assert_int_equal(count(e, "d"), 1);
}

static void test_savepoints(void **state)
{
    pgt_env *e = pgt_env_of(state);
    sm_cx *cx = &e->cx;
    tdb_exec_ok(cx, e->conn, "CREATE TABLE s (id int PRIMARY KEY)");
    TDB_OK(cx, sm_begin(cx, e->conn));
    tdb_exec_ok(cx, e->conn, "INSERT INTO s VALUES (1)");
    TDB_OK(cx, sm_savepoint(cx, e->conn, "before_dup"));
    TDB_RC(cx, sm_exec(cx, e->conn, "INSERT INTO s VALUES (1)", NULL, 0, NULL), SM_CONSTRAINT);
    TDB_RC(cx, sm_exec(cx, e->conn, "INSERT INTO s VALUES (2)", NULL, 0, NULL), SM_MISUSE);
    TDB_OK(cx, sm_rollback_to(cx, e->conn, "before_dup"));
    tdb_exec_ok(cx, e->conn, "INSERT INTO s VALUES (2)");
    TDB_OK(cx, sm_release(cx, e->conn, "before_dup"));
    TDB_OK(cx, sm_commit(cx, e->conn));
    assert_int_equal(count(e, "s"), 2);
}

static void test_stale_plan(void **state)
{
    pgt_env *e = pgt_env_of(state);
    sm_cx *cx = &e->cx;
    tdb_exec_ok(cx, e->conn, "CREATE TABLE sp (a int)");
    tdb_exec_ok(cx, e->conn, "INSERT INTO sp VALUES (1)");
    const char *q = "SELECT * FROM sp";
    sm_rows *r = NULL;
    TDB_OK(cx, sm_query(cx, e->conn, q, NULL, 0, &r));
    TDB_RC(cx, sm_rows_next(r), SM_ROW);
    assert_int_equal(sm_rows_ncols(r), 1);
    sm_rows_close(r);
    /* The cached plan's result type changes: 0A000, prepared again. */
    tdb_exec_ok(cx, e->conn, "ALTER TABLE sp ADD COLUMN b int DEFAULT 7");
    uint64_t prepares = sm_conn_stat(e->conn).prepares;
    TDB_OK(cx, sm_query(cx, e->conn, q, NULL, 0, &r));
    TDB_RC(cx, sm_rows_next(r), SM_ROW);
    assert_int_equal(sm_rows_ncols(r), 2);
    assert_int_equal(sm_rows_int(r, 1), 7);
    sm_rows_close(r);
    assert_int_equal(sm_conn_stat(e->conn).prepares, prepares + 1);
    /* Every prepared statement dropped on the server: 26000, again. */
    tdb_exec_ok(cx, e->conn, "DEALLOCATE ALL");
    TDB_OK(cx, sm_query(cx, e->conn, q, NULL, 0, &r));
    TDB_RC(cx, sm_rows_next(r), SM_ROW);
    assert_int_equal(sm_rows_int(r, 0), 1);
    sm_rows_close(r);
    /* Parameters survive the second preparation. */
    sm_value p = sm_int(1);
    tdb_exec_ok(cx, e->conn, "DEALLOCATE ALL");
    int64_t affected = 0;
    TDB_OK(cx, sm_exec(cx, e->conn, "UPDATE sp SET b = b + 1 WHERE a = ?", &p, 1, &affected));
    assert_int_equal(affected, 1);
}

/* Streams rows in single-row mode through the internal statement API,
 * the way an `-> each` query does. */
static int stream_start(pgt_env *e, const char *sql, sm_stmt **st)
{
    TDB_OK(&e->cx, sm_call_begin(&e->cx, e->conn, SM_CALL_ANY));
    TDB_OK(&e->cx, sm_stmt_raw(&e->cx, e->conn, sql, st));
    (*st)->stream = true;
    return sm_stmt_exec(&e->cx, *st, NULL, 0);
}

static void stream_end(pgt_env *e, sm_stmt *st, int rc)
{
    sm_stmt_release(st);
    TDB_OK(&e->cx, sm_call_end(&e->cx, e->conn, rc == SM_DONE || rc == SM_ROW ? SM_OK : rc));
}

/* A stream stopped early inside a transaction: the rest is read and
 * dropped, and an error among it has aborted the transaction on the
 * server, which answers a COMMIT with "ROLLBACK" and no error.  sm_commit
 * must not report success for writes that are gone: with a deadline
 * (the rest read within it) and without one. */
static void test_error_in_dropped_rows(void **state)
{
    pgt_env *e = pgt_env_of(state);
    sm_cx *cx = &e->cx;
    tdb_exec_ok(cx, e->conn, "CREATE TABLE dropped (id int PRIMARY KEY)");
    for (int deadline = 0; deadline < 2; deadline++) {
        sm_cx_set_timeout_ms(cx, deadline ? 60000 : 0);
        TDB_OK(cx, sm_begin(cx, e->conn));
        tdb_exec_ok(cx, e->conn, "INSERT INTO dropped VALUES (1)");
        sm_stmt *st = NULL;
        int rc = stream_start(e, "SELECT 1 / (x - 20000) FROM generate_series(1, 30000) x", &st);
        assert_int_equal(rc, SM_ROW);
        sm_stmt_release(st);
        sm_call_end(cx, e->conn, SM_OK);
        TDB_RC(cx, sm_commit(cx, e->conn), SM_ERROR);
        assert_non_null(strstr(sm_cx_errmsg(cx), "rolled back"));
        assert_false(sm_in_transaction(e->conn));
        assert_int_equal(count(e, "dropped"), 0);
    }
    sm_cx_set_timeout_ms(cx, 0);
}

static void test_stream_all(void **state)
{
    pgt_env *e = pgt_env_of(state);
    sm_stmt *st = NULL;
    const int64_t n = 200000;
    int rc = stream_start(e, "SELECT g, 'row ' || g FROM generate_series(1, 200000) g", &st);
    int64_t seen = 0, sum = 0;
    while (rc == SM_ROW) {
        /* One row per result: memory does not grow with the result. */
        assert_int_equal(pgs(st)->nrows, 1);
        seen++;
        sum += e->conn->drv->get_int(st, 0);
        rc = sm_stmt_next(&e->cx, st);
    }
    assert_int_equal(rc, SM_DONE);
    assert_int_equal(seen, n);
    assert_true(sum == n * (n + 1) / 2);
    stream_end(e, st, rc);
    /* An empty stream. */
    rc = stream_start(e, "SELECT 1 WHERE false", &st);
    assert_int_equal(rc, SM_DONE);
    assert_int_equal(e->conn->drv->ncols(st), 1);
    stream_end(e, st, rc);
}

static void test_stream_stop_early(void **state)
{
    pgt_env *e = pgt_env_of(state);
    sm_stmt *st = NULL;
    /* Outside a transaction a read-only query is cancelled: quick.  (A
     * function in FROM is materialised first: a join of two small ones
     * streams 50 million rows.) */
    int64_t t0 = sm_mono_ns();
    int rc = stream_start(e, "SELECT a * 100000 + b FROM generate_series(1, 1000) a "
                             "CROSS JOIN generate_series(1, 50000) b", &st);
    for (int i = 0; i < 10 && rc == SM_ROW; i++)
        rc = sm_stmt_next(&e->cx, st);
    assert_int_equal(rc, SM_ROW);
    stream_end(e, st, rc);
    assert_true(tdb_ms_since(t0) < 20000); /* reading 50 million rows takes minutes */
    tdb_exec_ok(&e->cx, e->conn, "SELECT 1");
    /* Inside a transaction the rest is read instead: the transaction
     * goes on. */
    tdb_exec_ok(&e->cx, e->conn, "CREATE TABLE st (v int)");
    TDB_OK(&e->cx, sm_begin(&e->cx, e->conn));
    rc = stream_start(e, "SELECT g FROM generate_series(1, 20000) g", &st);
    assert_int_equal(rc, SM_ROW);
    stream_end(e, st, rc);
    tdb_exec_ok(&e->cx, e->conn, "INSERT INTO st VALUES (1)");
    TDB_OK(&e->cx, sm_commit(&e->cx, e->conn));
    /* A statement that writes is never cancelled half-read. */
    tdb_exec_ok(&e->cx, e->conn, "INSERT INTO st SELECT g FROM generate_series(2, 30000) g");
    rc = stream_start(e, "UPDATE st SET v = -v RETURNING v", &st);
    assert_int_equal(rc, SM_ROW);
    stream_end(e, st, rc);
    char buf[32];
    tdb_scalar(&e->cx, e->conn, "SELECT count(*)::text FROM st WHERE v < 0", NULL, 0, buf,
               sizeof buf);
    assert_string_equal(buf, "30000");
}

/* Statements evicted from the raw-SQL cache are deallocated on the
 * server in batches; the server never holds more than the cache plus
 * one batch. */
static void test_evicted_statements_deallocated(void **state)
{
    pgt_env *e = pgt_env_of(state);
    e->conn->raw_capacity = 8;
    for (int i = 0; i < 100; i++) {
        char sql[64];
        snprintf(sql, sizeof sql, "SELECT %d", i);
        tdb_exec_ok(&e->cx, e->conn, sql);
    }
    char buf[32];
    tdb_scalar(&e->cx, e->conn, "SELECT count(*)::text FROM pg_prepared_statements", NULL, 0, buf,
               sizeof buf);
    int held = atoi(buf);
    assert_true(held > 0 && held <= 8 + 1 + PG_DEAD_BATCH);
    assert_true(sm_conn_stat(e->conn).evictions >= 80);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_commit_rollback, pgt_env_setup, pgt_env_teardown),
        cmocka_unit_test_setup_teardown(test_failed_transaction, pgt_env_setup, pgt_env_teardown),
        cmocka_unit_test_setup_teardown(test_error_in_dropped_rows, pgt_env_setup,
                                        pgt_env_teardown),
        cmocka_unit_test_setup_teardown(test_savepoints, pgt_env_setup, pgt_env_teardown),
        cmocka_unit_test_setup_teardown(test_stale_plan, pgt_env_setup, pgt_env_teardown),
        cmocka_unit_test_setup_teardown(test_stream_all, pgt_env_setup, pgt_env_teardown),
        cmocka_unit_test_setup_teardown(test_stream_stop_early, pgt_env_setup, pgt_env_teardown),
        cmocka_unit_test_setup_teardown(test_evicted_statements_deallocated, pgt_env_setup,
                                        pgt_env_teardown),
    };
    return tdb_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
