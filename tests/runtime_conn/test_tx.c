/*
 * test_tx.c: transactions and savepoints (DESIGN 4.4) on every configured
 * dialect: commit, rollback, nesting, names, the failed-transaction rule
 * and its recovery through a surviving savepoint, a failed commit, DDL
 * inside a transaction on MySQL; and on SQLite, BEGIN IMMEDIATE, SM_BUSY
 * between two connections and a cancelled busy wait.
 */
#include "tconn.h"

#include <pthread.h>
#include <unistd.h>

typedef void (*body_fn)(sm_cx *cx, sm_conn *c, sm_dialect d);

/* Runs body once per configured dialect on a fresh database. */
static void each_dialect(body_fn body)
{
    sm_dialect ds[SM_NDIALECTS];
    int n = testdb_dialects(ds);
    for (int i = 0; i < n; i++) {
        sm_cx cx;
        sm_cx_init(&cx);
        sm_cx_set_timeout_ms(&cx, 30000);
        sm_conn *c = testdb_open(&cx, ds[i]);
        if (!c) {
            sm_cx_free(&cx);
            continue;
        }
        print_message("  on %s\n", testdb_dialect_name(ds[i]));
        exec_ok(&cx, c, "CREATE TABLE t (id INTEGER PRIMARY KEY, v VARCHAR(50))");
        body(&cx, c, ds[i]);
        sm_close(c);
        sm_cx_free(&cx);
    }
}

static void insert(sm_cx *cx, sm_conn *c, int64_t id, const char *v, int want)
{
    sm_value p[2] = {sm_int(id), sm_text(v)};
    expect_rc(cx, sm_exec(cx, c, "INSERT INTO t (id, v) VALUES (?, ?)", p, 2, NULL), want);
}

static int64_t count(sm_cx *cx, sm_conn *c)
{
    return query_int(cx, c, "SELECT count(*) FROM t");
}

static void commit_rollback(sm_cx *cx, sm_conn *c, sm_dialect d)
{
    (void)d;
    assert_false(sm_in_transaction(c));
    expect_ok(cx, sm_begin(cx, c));
    assert_true(sm_in_transaction(c));
    insert(cx, c, 1, "a", SM_OK);
    expect_ok(cx, sm_commit(cx, c));
    assert_false(sm_in_transaction(c));
    assert_int_equal(count(cx, c), 1);

    expect_ok(cx, sm_begin(cx, c));
    insert(cx, c, 2, "b", SM_OK);
    assert_int_equal(count(cx, c), 2);
    expect_ok(cx, sm_rollback(cx, c));
    assert_false(sm_in_transaction(c));
    assert_int_equal(count(cx, c), 1);

    /* Misuse: nesting, ending what is not open.  None fails anything. */
    expect_ok(cx, sm_begin(cx, c));
    expect_rc(cx, sm_begin(cx, c), SM_MISUSE);
    assert_non_null(strstr(sm_cx_errmsg(cx), "sm_savepoint"));
    insert(cx, c, 3, "c", SM_OK);
    expect_ok(cx, sm_commit(cx, c));
    expect_rc(cx, sm_commit(cx, c), SM_MISUSE);
    expect_rc(cx, sm_rollback(cx, c), SM_MISUSE);
    expect_rc(cx, sm_savepoint(cx, c, "a"), SM_MISUSE);
    expect_rc(cx, sm_release(cx, c, "a"), SM_MISUSE);
    expect_rc(cx, sm_rollback_to(cx, c, "a"), SM_MISUSE);
    assert_int_equal(count(cx, c), 2);
}

static void test_commit_rollback(void **state)
{
    (void)state;
    each_dialect(commit_rollback);
}

static void savepoints(sm_cx *cx, sm_conn *c, sm_dialect d)
{
    (void)d;
    expect_ok(cx, sm_begin(cx, c));
    insert(cx, c, 1, "a", SM_OK);
    expect_ok(cx, sm_savepoint(cx, c, "a"));
    insert(cx, c, 2, "b", SM_OK);
    expect_ok(cx, sm_savepoint(cx, c, "order")); /* a keyword: names are quoted */
    insert(cx, c, 3, "c", SM_OK);
    expect_ok(cx, sm_rollback_to(cx, c, "order"));
    assert_int_equal(count(cx, c), 2);
    /* The savepoint survives its own rollback_to. */
    insert(cx, c, 4, "d", SM_OK);
    expect_ok(cx, sm_rollback_to(cx, c, "order"));
    expect_ok(cx, sm_release(cx, c, "order"));
    expect_rc(cx, sm_rollback_to(cx, c, "order"), SM_MISUSE);
    /* Releasing an outer savepoint releases the inner ones. */
    expect_ok(cx, sm_savepoint(cx, c, "b"));
    expect_ok(cx, sm_savepoint(cx, c, "c"));
    expect_ok(cx, sm_release(cx, c, "a"));
    expect_rc(cx, sm_release(cx, c, "c"), SM_MISUSE);
    expect_rc(cx, sm_rollback_to(cx, c, "b"), SM_MISUSE);
    /* A rollback_to an outer savepoint drops the inner ones. */
    expect_ok(cx, sm_savepoint(cx, c, "x"));
    insert(cx, c, 5, "e", SM_OK);
    expect_ok(cx, sm_savepoint(cx, c, "y"));
    insert(cx, c, 6, "f", SM_OK);
    expect_ok(cx, sm_rollback_to(cx, c, "x"));
    expect_rc(cx, sm_release(cx, c, "y"), SM_MISUSE);
    assert_int_equal(count(cx, c), 2);
    /* Names. */
    char name[80];
    memset(name, 'n', 63);
    name[63] = 0;
    expect_ok(cx, sm_savepoint(cx, c, name));
    expect_ok(cx, sm_release(cx, c, name));
    name[63] = 'n';
    name[64] = 0;
    expect_rc(cx, sm_savepoint(cx, c, name), SM_MISUSE);
    const char *bad[] = {"", "1a", "a-b", "a b", "a;DROP TABLE t", "\xc3\xa9", NULL};
    for (int i = 0; bad[i]; i++) {
        expect_rc(cx, sm_savepoint(cx, c, bad[i]), SM_MISUSE);
        expect_rc(cx, sm_release(cx, c, bad[i]), SM_MISUSE);
    }
    expect_rc(cx, sm_savepoint(cx, c, NULL), SM_MISUSE);
    expect_ok(cx, sm_savepoint(cx, c, "_Under_9"));
    expect_ok(cx, sm_commit(cx, c));
    assert_int_equal(count(cx, c), 2);
}

static void test_savepoints(void **state)
{
    (void)state;
    each_dialect(savepoints);
}

static void failed_rule(sm_cx *cx, sm_conn *c, sm_dialect d)
{
    (void)d;
    sm_rows *r;
    expect_ok(cx, sm_begin(cx, c));
    insert(cx, c, 1, "a", SM_OK);
    insert(cx, c, 1, "dup", SM_CONSTRAINT);
    assert_true(sm_in_transaction(c));
    /* Everything but rollback is refused, with any cx. */
    sm_cx other;
    sm_cx_init(&other);
    expect_rc(&other, sm_exec(&other, c, "SELECT 1", NULL, 0, NULL), SM_MISUSE);
    assert_non_null(strstr(sm_cx_errmsg(&other), "transaction failed"));
    expect_rc(cx, sm_query(cx, c, "SELECT 1", NULL, 0, &r), SM_MISUSE);
    expect_rc(cx, sm_exec_script(cx, c, "SELECT 1"), SM_MISUSE);
    expect_rc(cx, sm_commit(cx, c), SM_MISUSE);
    expect_rc(cx, sm_begin(cx, c), SM_MISUSE);
    expect_rc(cx, sm_savepoint(cx, c, "s"), SM_MISUSE);
    expect_rc(cx, sm_release(cx, c, "s"), SM_MISUSE);
    expect_rc(cx, sm_rollback_to(cx, c, "s"), SM_MISUSE);
    assert_true(sm_in_transaction(c));
    expect_ok(cx, sm_rollback(cx, c));
    assert_false(sm_in_transaction(c));
    assert_int_equal(count(cx, c), 0);
    /* Outside a transaction an error fails nothing. */
    insert(cx, c, 1, "a", SM_OK);
    insert(cx, c, 1, "dup", SM_CONSTRAINT);
    insert(cx, c, 2, "b", SM_OK);
    /* A misuse inside a transaction is not a database error. */
    expect_ok(cx, sm_begin(cx, c));
    expect_rc(cx, sm_exec(cx, c, "SELECT ?", NULL, 0, NULL), SM_MISUSE);
    insert(cx, c, 3, "c", SM_OK);
    expect_ok(cx, sm_commit(cx, c));
    assert_int_equal(count(cx, c), 3);
    /* A syntax error is a database error. */
    expect_ok(cx, sm_begin(cx, c));
    expect_rc(cx, sm_exec(cx, c, "SELEC 1", NULL, 0, NULL), SM_ERROR);
    expect_rc(cx, sm_commit(cx, c), SM_MISUSE);
    expect_ok(cx, sm_rollback(cx, c));
    sm_cx_free(&other);
}

static void test_failed_rule(void **state)
{
    (void)state;
    each_dialect(failed_rule);
}

static void recover(sm_cx *cx, sm_conn *c, sm_dialect d)
{
    (void)d;
    expect_ok(cx, sm_begin(cx, c));
    insert(cx, c, 1, "a", SM_OK);
    expect_ok(cx, sm_savepoint(cx, c, "outer"));
    insert(cx, c, 2, "b", SM_OK);
    expect_ok(cx, sm_savepoint(cx, c, "inner"));
    insert(cx, c, 3, "c", SM_OK);
    insert(cx, c, 3, "dup", SM_CONSTRAINT);
    /* An unknown savepoint does not help. */
    expect_rc(cx, sm_rollback_to(cx, c, "nope"), SM_MISUSE);
    expect_rc(cx, sm_exec(cx, c, "SELECT 1", NULL, 0, NULL), SM_MISUSE);
    /* The innermost surviving savepoint recovers the transaction. */
    expect_ok(cx, sm_rollback_to(cx, c, "inner"));
    insert(cx, c, 4, "d", SM_OK);
    assert_int_equal(count(cx, c), 3); /* 1, 2, 4 */
    /* Fail again and recover through the outer one. */
    insert(cx, c, 4, "dup", SM_CONSTRAINT);
    expect_ok(cx, sm_rollback_to(cx, c, "outer"));
    expect_rc(cx, sm_release(cx, c, "inner"), SM_MISUSE); /* gone with the rollback */
    insert(cx, c, 5, "e", SM_OK);
    expect_ok(cx, sm_commit(cx, c));
    assert_int_equal(count(cx, c), 2); /* 1, 5 */
    assert_int_equal(query_int(cx, c, "SELECT sum(id) FROM t"), 6);
}

static void test_recover_with_savepoint(void **state)
{
    (void)state;
    each_dialect(recover);
}

/* A timeout or cancel inside a transaction fails it, even when the call
 * never reached the database. */
static void timeout_fails(sm_cx *cx, sm_conn *c, sm_dialect d)
{
    (void)d;
    sm_cx late;
    sm_cx_init(&late);
    expect_ok(cx, sm_begin(cx, c));
    insert(cx, c, 1, "a", SM_OK);
    struct timespec past = {0, 0};
    sm_cx_set_deadline(&late, &past);
    sm_conn_stats before = sm_conn_stat(c);
    expect_rc(&late, sm_exec(&late, c, "SELECT 1", NULL, 0, NULL), SM_TIMEOUT);
    assert_int_equal(sm_conn_stat(c).statements, before.statements);
    expect_rc(cx, sm_exec(cx, c, "SELECT 1", NULL, 0, NULL), SM_MISUSE);
    /* The late cx cannot roll back either: another cx can. */
    expect_rc(&late, sm_rollback(&late, c), SM_TIMEOUT);
    expect_ok(cx, sm_rollback(cx, c));
    assert_int_equal(count(cx, c), 0);

    sm_cx gone;
    sm_cx_init(&gone);
    sm_cx_cancel(&gone);
    expect_ok(cx, sm_begin(cx, c));
    expect_rc(&gone, sm_exec(&gone, c, "SELECT 1", NULL, 0, NULL), SM_CANCELLED);
    expect_rc(cx, sm_commit(cx, c), SM_MISUSE);
    expect_ok(cx, sm_rollback(cx, c));
    sm_cx_free(&gone);
    sm_cx_free(&late);
}

static void test_timeout_fails_tx(void **state)
{
    (void)state;
    each_dialect(timeout_fails);
}

/* A commit that fails (a deferred foreign key) leaves no transaction. */
static void failed_commit(sm_cx *cx, sm_conn *c, sm_dialect d)
{
    if (d == SM_MYSQL)
        return; /* no deferred constraints: COMMIT cannot fail this way */
    exec_ok(cx, c, "CREATE TABLE p (id INTEGER PRIMARY KEY)");
    exec_ok(cx, c, "CREATE TABLE ch (id INTEGER PRIMARY KEY, p_id INTEGER "
                   "CONSTRAINT fk_ch_p REFERENCES p (id) DEFERRABLE INITIALLY DEFERRED)");
    expect_ok(cx, sm_begin(cx, c));
    exec_ok(cx, c, "INSERT INTO ch VALUES (1, 99)");
    expect_rc(cx, sm_commit(cx, c), SM_CONSTRAINT);
    assert_int_equal(sm_cx_constraint(cx)->kind, SM_CK_FK);
    assert_false(sm_in_transaction(c));
    assert_int_equal(query_int(cx, c, "SELECT count(*) FROM ch"), 0);
    /* The connection is ready for the next transaction. */
    expect_ok(cx, sm_begin(cx, c));
    exec_ok(cx, c, "INSERT INTO p VALUES (99)");
    exec_ok(cx, c, "INSERT INTO ch VALUES (1, 99)");
    expect_ok(cx, sm_commit(cx, c));
    assert_int_equal(query_int(cx, c, "SELECT count(*) FROM ch"), 1);
}

static void test_failed_commit(void **state)
{
    (void)state;
    each_dialect(failed_commit);
}

static void close_rolls_back(sm_cx *cx, sm_conn *c)
{
    insert(cx, c, 1, "kept", SM_OK);
    expect_ok(cx, sm_begin(cx, c));
    insert(cx, c, 2, "lost", SM_OK);
}

static void test_close_rolls_back(void **state)
{
    (void)state;
    sm_dialect ds[SM_NDIALECTS];
    int n = testdb_dialects(ds);
    for (int i = 0; i < n; i++) {
        sm_cx cx;
        sm_cx_init(&cx);
        sm_cx_set_timeout_ms(&cx, 30000);
        const char *url = testdb_url(ds[i]);
        if (!url) {
            sm_cx_free(&cx);
            continue;
        }
        sm_conn *c;
        expect_ok(&cx, sm_open(&cx, url, &c));
        exec_ok(&cx, c, "CREATE TABLE t (id INTEGER PRIMARY KEY, v VARCHAR(50))");
        close_rolls_back(&cx, c);
        sm_close(c);
        expect_ok(&cx, sm_open(&cx, url, &c));
        assert_int_equal(count(&cx, c), 1);
        sm_close(c);
        sm_cx_free(&cx);
    }
}

/* MySQL commits implicitly before DDL: refused inside a transaction. */
static void ddl_in_tx(sm_cx *cx, sm_conn *c, sm_dialect d)
{
    expect_ok(cx, sm_begin(cx, c));
    insert(cx, c, 1, "a", SM_OK);
    int want = d == SM_MYSQL ? SM_MISUSE : SM_OK;
    expect_rc(cx, sm_exec(cx, c, "CREATE TABLE u (x INTEGER)", NULL, 0, NULL), want);
    expect_rc(cx, sm_exec(cx, c, "  /* x */ alter TABLE t ADD COLUMN w INTEGER", NULL, 0, NULL),
              want);
    expect_rc(cx, sm_exec_script(cx, c, "SELECT 1; DROP TABLE t"), want);
    if (d == SM_MYSQL) {
        assert_non_null(strstr(sm_cx_errmsg(cx), "DDL inside a transaction"));
        /* Temporary tables commit nothing; ';' inside a string is not a
         * statement boundary. */
        exec_ok(cx, c, "CREATE TEMPORARY TABLE tmp (x INTEGER)");
        expect_ok(cx, sm_exec_script(cx, c, "INSERT INTO t VALUES (7, 'x; DROP TABLE t')"));
        expect_ok(cx, sm_exec_script(cx, c, "INSERT INTO t VALUES (8, 'it\\'s; drop table t')"));
    }
    /* The refusals did not fail the transaction. */
    expect_ok(cx, sm_rollback(cx, c));
    assert_int_equal(count(cx, c), 0);
    /* Outside a transaction DDL is fine everywhere. */
    exec_ok(cx, c, "CREATE TABLE u2 (x INTEGER)");
}

static void test_ddl_in_tx(void **state)
{
    (void)state;
    each_dialect(ddl_in_tx);
}

/* ---- SQLite only ------------------------------------------------------- */

static void test_sqlite_busy(void **state)
{
    (void)state;
    sm_cx cx, cx2;
    sm_cx_init(&cx);
    sm_cx_init(&cx2);
    const char *url = testdb_url(SM_SQLITE);
    sm_conn *a, *b;
    expect_ok(&cx, sm_open(&cx, url, &a));
    expect_ok(&cx, sm_open(&cx, url, &b));
    exec_ok(&cx, a, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
    /* BEGIN IMMEDIATE takes the write lock at once. */
    expect_ok(&cx, sm_begin(&cx, a));
    sm_cx_set_timeout_ms(&cx2, 100);
    int64_t t0 = sm_mono_ns();
    expect_rc(&cx2, sm_begin(&cx2, b), SM_BUSY);
    int64_t waited = (sm_mono_ns() - t0) / 1000000;
    assert_true(waited >= 90 && waited < 1000);
    assert_false(sm_in_transaction(b));
    sm_cx_set_timeout_ms(&cx2, 50);
    expect_rc(&cx2, sm_exec(&cx2, b, "INSERT INTO t VALUES (1, 'x')", NULL, 0, NULL), SM_BUSY);
    /* Readers are not blocked in WAL mode. */
    sm_cx_set_timeout_ms(&cx2, 0);
    assert_int_equal(query_int(&cx2, b, "SELECT count(*) FROM t"), 0);
    expect_ok(&cx, sm_commit(&cx, a));
    expect_ok(&cx2, sm_exec(&cx2, b, "INSERT INTO t VALUES (1, 'x')", NULL, 0, NULL));
    sm_close(b);
    sm_close(a);
    sm_cx_free(&cx);
    sm_cx_free(&cx2);
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

/* A busy wait without a deadline (5 s) gives up at once on cancel. */
static void test_sqlite_busy_cancel(void **state)
{
    (void)state;
    sm_cx cx, cx2;
    sm_cx_init(&cx);
    sm_cx_init(&cx2);
    const char *url = testdb_url(SM_SQLITE);
    sm_conn *a, *b;
    expect_ok(&cx, sm_open(&cx, url, &a));
    expect_ok(&cx, sm_open(&cx, url, &b));
    expect_ok(&cx, sm_begin(&cx, a));
    canceller k = {&cx2, 100, 0};
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, cancel_later, &k), 0);
    expect_rc(&cx2, sm_begin(&cx2, b), SM_CANCELLED);
    int64_t late = (sm_mono_ns() - k.at) / 1000000;
    pthread_join(th, NULL);
    assert_true(late < 50);
    expect_ok(&cx, sm_rollback(&cx, a));
    sm_close(b);
    sm_close(a);
    sm_cx_free(&cx);
    sm_cx_free(&cx2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_commit_rollback),
        cmocka_unit_test(test_savepoints),
        cmocka_unit_test(test_failed_rule),
        cmocka_unit_test(test_recover_with_savepoint),
        cmocka_unit_test(test_timeout_fails_tx),
        cmocka_unit_test(test_failed_commit),
        cmocka_unit_test(test_close_rolls_back),
        cmocka_unit_test(test_ddl_in_tx),
        cmocka_unit_test(test_sqlite_busy),
        cmocka_unit_test(test_sqlite_busy_cancel),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
