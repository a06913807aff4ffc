/*
 * test_tx.c: transactions and savepoints (DESIGN 4.4) on every configured
 * dialect: commit, rollback, nesting, names, the failed-transaction rule
 * and its recovery through a surviving savepoint, a failed commit, DDL
 * inside a transaction on MySQL; and on SQLite, BEGIN IMMEDIATE, SM_BUSY
 * between two connections and a cancelled busy wait.
 */
#include "internal.h"
#include "tdb.h"
#include "tdb_proxy.h"

#include <pthread.h>
#include <unistd.h>

static int create(sm_cx *cx, sm_conn *c)
{
    return sm_exec(cx, c, "CREATE TABLE t (id INTEGER PRIMARY KEY, v VARCHAR(50))", NULL, 0, NULL);
}

static void insert(sm_cx *cx, sm_conn *c, int64_t id, const char *v, int want)
{
    sm_value p[2] = {sm_int(id), sm_text(v)};
    TDB_RC(cx, sm_exec(cx, c, "INSERT INTO t (id, v) VALUES (?, ?)", p, 2, NULL), want);
}

static int64_t count(sm_cx *cx, sm_conn *c)
{
    return tdb_scalar_int(cx, c, "SELECT count(*) FROM t", NULL, 0);
}

static void commit_rollback(tdb *t)
{
    sm_cx *cx = &t->cx;
    sm_conn *c = t->conn;
    assert_false(sm_in_transaction(c));
    TDB_OK(cx, sm_begin(cx, c));
    assert_true(sm_in_transaction(c));
    insert(cx, c, 1, "a", SM_OK);
    TDB_OK(cx, sm_commit(cx, c));
    assert_false(sm_in_transaction(c));
    assert_int_equal(count(cx, c), 1);

    TDB_OK(cx, sm_begin(cx, c));
    insert(cx, c, 2, "b", SM_OK);
    assert_int_equal(count(cx, c), 2);
    TDB_OK(cx, sm_rollback(cx, c));
    assert_false(sm_in_transaction(c));
    assert_int_equal(count(cx, c), 1);

    /* Misuse: nesting, ending what is not open.  None fails anything. */
    TDB_OK(cx, sm_begin(cx, c));
    TDB_RC(cx, sm_begin(cx, c), SM_MISUSE);
    assert_non_null(strstr(sm_cx_errmsg(cx), "sm_savepoint"));
    insert(cx, c, 3, "c", SM_OK);
    TDB_OK(cx, sm_commit(cx, c));
    TDB_RC(cx, sm_commit(cx, c), SM_MISUSE);
    TDB_RC(cx, sm_rollback(cx, c), SM_MISUSE);
    TDB_RC(cx, sm_savepoint(cx, c, "a"), SM_MISUSE);
    TDB_RC(cx, sm_release(cx, c, "a"), SM_MISUSE);
    TDB_RC(cx, sm_rollback_to(cx, c, "a"), SM_MISUSE);
    assert_int_equal(count(cx, c), 2);
}

static void test_commit_rollback(void **state)
{
    (void)state;
    tdb_each(create, commit_rollback);
}

static void savepoints(tdb *t)
{
    sm_cx *cx = &t->cx;
    sm_conn *c = t->conn;
    TDB_OK(cx, sm_begin(cx, c));
    insert(cx, c, 1, "a", SM_OK);
    TDB_OK(cx, sm_savepoint(cx, c, "a"));
    insert(cx, c, 2, "b", SM_OK);
    TDB_OK(cx, sm_savepoint(cx, c, "order")); /* a keyword: names are quoted */
    insert(cx, c, 3, "c", SM_OK);
    TDB_OK(cx, sm_rollback_to(cx, c, "order"));
    assert_int_equal(count(cx, c), 2);
    /* The savepoint survives its own rollback_to. */
    insert(cx, c, 4, "d", SM_OK);
    TDB_OK(cx, sm_rollback_to(cx, c, "order"));
    TDB_OK(cx, sm_release(cx, c, "order"));
    TDB_RC(cx, sm_rollback_to(cx, c, "order"), SM_MISUSE);
    /* Releasing an outer savepoint releases the inner ones. */
    TDB_OK(cx, sm_savepoint(cx, c, "b"));
    TDB_OK(cx, sm_savepoint(cx, c, "c"));
    TDB_OK(cx, sm_release(cx, c, "a"));
    TDB_RC(cx, sm_release(cx, c, "c"), SM_MISUSE);
    TDB_RC(cx, sm_rollback_to(cx, c, "b"), SM_MISUSE);
    /* A rollback_to an outer savepoint drops the inner ones. */
    TDB_OK(cx, sm_savepoint(cx, c, "x"));
    insert(cx, c, 5, "e", SM_OK);
    TDB_OK(cx, sm_savepoint(cx, c, "y"));
    insert(cx, c, 6, "f", SM_OK);
    TDB_OK(cx, sm_rollback_to(cx, c, "x"));
    TDB_RC(cx, sm_release(cx, c, "y"), SM_MISUSE);
    assert_int_equal(count(cx, c), 2);
    /* Names. */
    char name[80];
    memset(name, 'n', 63);
    name[63] = 0;
    TDB_OK(cx, sm_savepoint(cx, c, name));
    TDB_OK(cx, sm_release(cx, c, name));
    name[63] = 'n';
    name[64] = 0;
    TDB_RC(cx, sm_savepoint(cx, c, name), SM_MISUSE);
    const char *bad[] = {"", "1a", "a-b", "a b", "a;DROP TABLE t", "\xc3\xa9", NULL};
    for (int i = 0; bad[i]; i++) {
        TDB_RC(cx, sm_savepoint(cx, c, bad[i]), SM_MISUSE);
        TDB_RC(cx, sm_release(cx, c, bad[i]), SM_MISUSE);
    }
    TDB_RC(cx, sm_savepoint(cx, c, NULL), SM_MISUSE);
    TDB_OK(cx, sm_savepoint(cx, c, "_Under_9"));
    TDB_OK(cx, sm_commit(cx, c));
    assert_int_equal(count(cx, c), 2);
}

static void test_savepoints(void **state)
{
    (void)state;
    tdb_each(create, savepoints);
}

static void failed_rule(tdb *t)
{
    sm_cx *cx = &t->cx;
    sm_conn *c = t->conn;
    sm_rows *r;
    TDB_OK(cx, sm_begin(cx, c));
    insert(cx, c, 1, "a", SM_OK);
    insert(cx, c, 1, "dup", SM_CONSTRAINT);
    assert_true(sm_in_transaction(c));
    /* Everything but rollback is refused, with any cx. */
    sm_cx other;
    sm_cx_init(&other);
    TDB_RC(&other, sm_exec(&other, c, "SELECT 1", NULL, 0, NULL), SM_MISUSE);
    assert_non_null(strstr(sm_cx_errmsg(&other), "transaction failed"));
    TDB_RC(cx, sm_query(cx, c, "SELECT 1", NULL, 0, &r), SM_MISUSE);
    TDB_RC(cx, sm_exec_script(cx, c, "SELECT 1"), SM_MISUSE);
    TDB_RC(cx, sm_commit(cx, c), SM_MISUSE);
    TDB_RC(cx, sm_begin(cx, c), SM_MISUSE);
    TDB_RC(cx, sm_savepoint(cx, c, "s"), SM_MISUSE);
    TDB_RC(cx, sm_release(cx, c, "s"), SM_MISUSE);
    TDB_RC(cx, sm_rollback_to(cx, c, "s"), SM_MISUSE);
    assert_true(sm_in_transaction(c));
    TDB_OK(cx, sm_rollback(cx, c));
    assert_false(sm_in_transaction(c));
    assert_int_equal(count(cx, c), 0);
    /* Outside a transaction an error fails nothing. */
    insert(cx, c, 1, "a", SM_OK);
    insert(cx, c, 1, "dup", SM_CONSTRAINT);
    insert(cx, c, 2, "b", SM_OK);
    /* A misuse inside a transaction is not a database error. */
    TDB_OK(cx, sm_begin(cx, c));
    TDB_RC(cx, sm_exec(cx, c, "SELECT ?", NULL, 0, NULL), SM_MISUSE);
    insert(cx, c, 3, "c", SM_OK);
    TDB_OK(cx, sm_commit(cx, c));
    assert_int_equal(count(cx, c), 3);
    /* A syntax error is a database error. */
    TDB_OK(cx, sm_begin(cx, c));
    TDB_RC(cx, sm_exec(cx, c, "SELEC 1", NULL, 0, NULL), SM_ERROR);
    TDB_RC(cx, sm_commit(cx, c), SM_MISUSE);
    TDB_OK(cx, sm_rollback(cx, c));
    sm_cx_free(&other);
}

static void test_failed_rule(void **state)
{
    (void)state;
    tdb_each(create, failed_rule);
}

static void recover(tdb *t)
{
    sm_cx *cx = &t->cx;
    sm_conn *c = t->conn;
    TDB_OK(cx, sm_begin(cx, c));
    insert(cx, c, 1, "a", SM_OK);
    TDB_OK(cx, sm_savepoint(cx, c, "outer"));
    insert(cx, c, 2, "b", SM_OK);
    TDB_OK(cx, sm_savepoint(cx, c, "inner"));
    insert(cx, c, 3, "c", SM_OK);
    insert(cx, c, 3, "dup", SM_CONSTRAINT);
    /* An unknown savepoint does not help. */
    TDB_RC(cx, sm_rollback_to(cx, c, "nope"), SM_MISUSE);
    TDB_RC(cx, sm_exec(cx, c, "SELECT 1", NULL, 0, NULL), SM_MISUSE);
    /* The innermost surviving savepoint recovers the transaction. */
    TDB_OK(cx, sm_rollback_to(cx, c, "inner"));
    insert(cx, c, 4, "d", SM_OK);
    assert_int_equal(count(cx, c), 3); /* 1, 2, 4 */
    /* Fail again and recover through the outer one. */
    insert(cx, c, 4, "dup", SM_CONSTRAINT);
    TDB_OK(cx, sm_rollback_to(cx, c, "outer"));
    TDB_RC(cx, sm_release(cx, c, "inner"), SM_MISUSE); /* gone with the rollback */
    insert(cx, c, 5, "e", SM_OK);
    TDB_OK(cx, sm_commit(cx, c));
    assert_int_equal(count(cx, c), 2); /* 1, 5 */
    assert_int_equal(tdb_scalar_int(cx, c, "SELECT sum(id) FROM t", NULL, 0), 6);
}

static void test_recover_with_savepoint(void **state)
{
    (void)state;
    tdb_each(create, recover);
}

/* A timeout or cancel inside a transaction fails it, even when the call
 * never reached the database. */
static void timeout_fails(tdb *t)
{
    sm_cx *cx = &t->cx;
    sm_conn *c = t->conn;
    sm_cx late;
    sm_cx_init(&late);
    TDB_OK(cx, sm_begin(cx, c));
    insert(cx, c, 1, "a", SM_OK);
    struct timespec past = {0, 0};
    sm_cx_set_deadline(&late, &past);
    sm_conn_stats before = sm_conn_stat(c);
    TDB_RC(&late, sm_exec(&late, c, "SELECT 1", NULL, 0, NULL), SM_TIMEOUT);
    assert_int_equal(sm_conn_stat(c).statements, before.statements);
    TDB_RC(cx, sm_exec(cx, c, "SELECT 1", NULL, 0, NULL), SM_MISUSE);
    /* The late cx cannot roll back either: another cx can. */
    TDB_RC(&late, sm_rollback(&late, c), SM_TIMEOUT);
    TDB_OK(cx, sm_rollback(cx, c));
    assert_int_equal(count(cx, c), 0);

    sm_cx gone;
    sm_cx_init(&gone);
    sm_cx_cancel(&gone);
    TDB_OK(cx, sm_begin(cx, c));
    TDB_RC(&gone, sm_exec(&gone, c, "SELECT 1", NULL, 0, NULL), SM_CANCELLED);
    TDB_RC(cx, sm_commit(cx, c), SM_MISUSE);
    TDB_OK(cx, sm_rollback(cx, c));
    sm_cx_free(&gone);
    sm_cx_free(&late);
}

static void test_timeout_fails_tx(void **state)
{
    (void)state;
    tdb_each(create, timeout_fails);
}

/* The library's transaction state follows the database's after an
 * error.  An interrupted INSERT: SQLite rolls the whole transaction back
 * by itself, so no savepoint survives and only sm_rollback is allowed;
 * PostgreSQL and MySQL keep the transaction and the savepoint. */
static const char *endless_insert(sm_dialect d)
{
    switch (d) {
    case SM_SQLITE:
        return "INSERT INTO t (id, v) WITH RECURSIVE n(i) AS (SELECT 100 UNION ALL "
               "SELECT i + 1 FROM n) SELECT i, 'x' FROM n";
    case SM_POSTGRES:
        return "INSERT INTO t (id, v) SELECT 100, 'x' FROM pg_sleep(600)";
    default:
        return "INSERT INTO t (id, v) SELECT 100, CAST(SLEEP(600) AS CHAR)";
    }
}

static void interrupted_dml(tdb *t)
{
    sm_cx *cx = &t->cx;
    sm_conn *c = t->conn;
    insert(cx, c, 1, "committed", SM_OK);
    TDB_OK(cx, sm_begin(cx, c));
    insert(cx, c, 2, "before", SM_OK);
    TDB_OK(cx, sm_savepoint(cx, c, "sp"));
    insert(cx, c, 3, "after", SM_OK);
    sm_cx quick;
    sm_cx_init(&quick);
    sm_cx_set_timeout_ms(&quick, 300);
    TDB_RC(&quick, sm_exec(&quick, c, endless_insert(t->d), NULL, 0, NULL), SM_TIMEOUT);
    sm_cx_free(&quick);
    assert_true(sm_in_transaction(c));
    TDB_RC(cx, sm_exec(cx, c, "SELECT 1", NULL, 0, NULL), SM_MISUSE);
    if (t->d == SM_SQLITE) {
        TDB_RC(cx, sm_rollback_to(cx, c, "sp"), SM_MISUSE);
    } else {
        TDB_OK(cx, sm_rollback_to(cx, c, "sp"));
        assert_int_equal(count(cx, c), 2);
    }
    TDB_OK(cx, sm_rollback(cx, c));
    assert_false(sm_in_transaction(c));
    assert_int_equal(count(cx, c), 1);
    /* The connection is ready for the next transaction. */
    TDB_OK(cx, sm_begin(cx, c));
    insert(cx, c, 4, "next", SM_OK);
    TDB_OK(cx, sm_commit(cx, c));
    assert_int_equal(count(cx, c), 2);
}

static void test_interrupted_dml(void **state)
{
    (void)state;
    tdb_each(create, interrupted_dml);
}

/* A statement the library cannot run (PostgreSQL's COPY FROM STDIN:
 * SM_UNSUPPORTED, the server's transaction aborted; a syntax error
 * elsewhere) fails the transaction it ran in. */
static void copy_in_tx(tdb *t)
{
    sm_cx *cx = &t->cx;
    sm_conn *c = t->conn;
    TDB_OK(cx, sm_begin(cx, c));
    insert(cx, c, 1, "a", SM_OK);
    TDB_RC(cx, sm_exec(cx, c, "COPY t FROM STDIN", NULL, 0, NULL),
           t->d == SM_POSTGRES ? SM_UNSUPPORTED : SM_ERROR);
    assert_true(sm_in_transaction(c));
    insert(cx, c, 2, "b", SM_MISUSE);
    TDB_RC(cx, sm_commit(cx, c), SM_MISUSE);
    TDB_OK(cx, sm_rollback(cx, c));
    assert_int_equal(count(cx, c), 0);
    insert(cx, c, 3, "c", SM_OK);
    assert_int_equal(count(cx, c), 1);
}

static void test_copy_in_tx(void **state)
{
    (void)state;
    tdb_each(create, copy_in_tx);
}

/* A BEGIN whose reply is held back past the deadline reached the server
 * all the same: the call reports SM_TIMEOUT and no transaction is left
 * open behind the library's back (a later autocommit insert is visible
 * to another connection at once).  Over TCP only: SQLite has no reply to
 * lose. */
typedef struct releaser {
    tdb_proxy *px;
    int delay_ms;
} releaser;

static void *release_later(void *arg)
{
    releaser *r = arg;
    struct timespec ts = {r->delay_ms / 1000, (long)(r->delay_ms % 1000) * 1000000};
    nanosleep(&ts, NULL);
    tdb_proxy_hold(r->px, false);
    return NULL;
}

static void lost_begin(tdb *t)
{
    tdb_proxy *px = tdb_proxy_start(t->url);
    sm_cx cx, quick;
    sm_cx_init(&cx);
    sm_cx_init(&quick);
    sm_conn *c = tdb_connect(&cx, tdb_proxy_url(px));
    sm_cx_set_timeout_ms(&quick, 300);
    tdb_proxy_hold(px, true);
    releaser r = {px, 1000};
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, release_later, &r), 0);
    TDB_RC(&quick, sm_begin(&quick, c), SM_TIMEOUT);
    pthread_join(th, NULL);
    assert_false(sm_in_transaction(c));
    insert(&cx, c, 1, "autocommit", SM_OK);
    assert_int_equal(count(&t->cx, t->conn), 1);
    TDB_OK(&cx, sm_begin(&cx, c));
    insert(&cx, c, 2, "in tx", SM_OK);
    TDB_OK(&cx, sm_commit(&cx, c));
    assert_int_equal(count(&t->cx, t->conn), 2);
    sm_close(c);
    sm_cx_free(&quick);
    sm_cx_free(&cx);
    tdb_proxy_stop(px);
}

static void test_lost_begin(void **state)
{
    (void)state;
    tdb_each_on(TDB_ON(SM_POSTGRES) | TDB_ON(SM_MYSQL), create, lost_begin);
}

/* A commit that fails (a deferred foreign key) leaves no transaction.
 * MySQL has no deferred constraints: COMMIT cannot fail this way there. */
static void failed_commit(tdb *t)
{
    sm_cx *cx = &t->cx;
    sm_conn *c = t->conn;
    tdb_exec_ok(cx, c, "CREATE TABLE p (id INTEGER PRIMARY KEY)");
    tdb_exec_ok(cx, c,
                "CREATE TABLE ch (id INTEGER PRIMARY KEY, p_id INTEGER "
                "CONSTRAINT fk_ch_p REFERENCES p (id) DEFERRABLE INITIALLY DEFERRED)");
    TDB_OK(cx, sm_begin(cx, c));
    tdb_exec_ok(cx, c, "INSERT INTO ch VALUES (1, 99)");
    TDB_RC(cx, sm_commit(cx, c), SM_CONSTRAINT);
    assert_int_equal(sm_cx_constraint(cx)->kind, SM_CK_FK);
    assert_false(sm_in_transaction(c));
    assert_int_equal(tdb_scalar_int(cx, c, "SELECT count(*) FROM ch", NULL, 0), 0);
    /* The connection is ready for the next transaction. */
    TDB_OK(cx, sm_begin(cx, c));
    tdb_exec_ok(cx, c, "INSERT INTO p VALUES (99)");
    tdb_exec_ok(cx, c, "INSERT INTO ch VALUES (1, 99)");
    TDB_OK(cx, sm_commit(cx, c));
    assert_int_equal(tdb_scalar_int(cx, c, "SELECT count(*) FROM ch", NULL, 0), 1);
}

static void test_failed_commit(void **state)
{
    (void)state;
    tdb_each_on(TDB_ON(SM_SQLITE) | TDB_ON(SM_POSTGRES), create, failed_commit);
}

/* Closing a connection with an open transaction rolls it back: a second
 * connection to the same database sees only what was committed. */
static void close_rolls_back(tdb *t)
{
    sm_cx cx;
    sm_cx_init(&cx);
    sm_conn *c = tdb_connect(&cx, t->url);
    insert(&cx, c, 1, "kept", SM_OK);
    TDB_OK(&cx, sm_begin(&cx, c));
    insert(&cx, c, 2, "lost", SM_OK);
    sm_close(c);
    sm_cx_free(&cx);
    assert_int_equal(count(&t->cx, t->conn), 1);
}

static void test_close_rolls_back(void **state)
{
    (void)state;
    tdb_each(create, close_rolls_back);
}

/* MySQL commits implicitly before DDL: refused inside a transaction. */
static void ddl_in_tx(tdb *t)
{
    sm_cx *cx = &t->cx;
    sm_conn *c = t->conn;
    sm_dialect d = t->d;
    TDB_OK(cx, sm_begin(cx, c));
    insert(cx, c, 1, "a", SM_OK);
    int want = d == SM_MYSQL ? SM_MISUSE : SM_OK;
    TDB_RC(cx, sm_exec(cx, c, "CREATE TABLE u (x INTEGER)", NULL, 0, NULL), want);
    TDB_RC(cx, sm_exec(cx, c, "  /* x */ alter TABLE t ADD COLUMN w INTEGER", NULL, 0, NULL), want);
    TDB_RC(cx, sm_exec_script(cx, c, "SELECT 1; DROP TABLE t"), want);
    if (d == SM_MYSQL) {
        assert_non_null(strstr(sm_cx_errmsg(cx), "DDL inside a transaction is not supported"));
        /* Temporary tables commit nothing; ';' inside a string is not a
         * statement boundary. */
        tdb_exec_ok(cx, c, "CREATE TEMPORARY TABLE tmp (x INTEGER)");
        TDB_OK(cx, sm_exec_script(cx, c, "INSERT INTO t VALUES (7, 'x; DROP TABLE t')"));
        TDB_OK(cx, sm_exec_script(cx, c, "INSERT INTO t VALUES (8, 'it\\'s; drop table t')"));
    }
    /* The refusals did not fail the transaction. */
    TDB_OK(cx, sm_rollback(cx, c));
    assert_int_equal(count(cx, c), 0);
    /* MySQL commits implicitly before more than DDL: locking, account
     * management, table maintenance, autocommit.  Refused there inside a
     * transaction, the transaction intact. */
    if (d == SM_MYSQL) {
        static const char *const commits[] = {
            "LOCK TABLES t WRITE", "UNLOCK TABLES", "GRANT SELECT ON t TO CURRENT_USER",
            "ANALYZE TABLE t",     "OPTIMIZE TABLE t", "SET autocommit = 1",
            "FLUSH TABLES",
        };
        TDB_OK(cx, sm_begin(cx, c));
        insert(cx, c, 1, "a", SM_OK);
        for (size_t i = 0; i < sizeof commits / sizeof commits[0]; i++)
            TDB_RC(cx, sm_exec(cx, c, commits[i], NULL, 0, NULL), SM_MISUSE);
        TDB_OK(cx, sm_rollback(cx, c));
        assert_int_equal(count(cx, c), 0);
        /* Outside one they run. */
        tdb_exec_ok(cx, c, "ANALYZE TABLE t");
        tdb_exec_ok(cx, c, "LOCK TABLES t WRITE");
        tdb_exec_ok(cx, c, "UNLOCK TABLES");
    }
    /* Outside a transaction DDL is fine everywhere. */
    tdb_exec_ok(cx, c, "CREATE TABLE u2 (x INTEGER)");
}

/* Setting autocommit would start or end transactions behind the
 * library's back: refused as transaction control in every spelling, on
 * every database, inside a transaction or not. */
static void autocommit_refused(tdb *t)
{
    sm_cx *cx = &t->cx;
    sm_conn *c = t->conn;
    static const char *const sets[] = {
        "SET autocommit = 0",        "SET SESSION autocommit = 0", "set local autocommit=0",
        "SET @@autocommit = 0",      "SET @@session.autocommit = 0",
    };
    for (int in_tx = 0; in_tx < 2; in_tx++) {
        if (in_tx)
            TDB_OK(cx, sm_begin(cx, c));
        for (size_t i = 0; i < sizeof sets / sizeof sets[0]; i++) {
            TDB_RC(cx, sm_exec(cx, c, sets[i], NULL, 0, NULL), SM_MISUSE);
            assert_non_null(strstr(sm_cx_errmsg(cx), "transaction control"));
            TDB_RC(cx, sm_exec_script(cx, c, sets[i]), SM_MISUSE);
        }
        insert(cx, c, 10 + in_tx, "a", SM_OK);
        if (in_tx)
            TDB_OK(cx, sm_commit(cx, c));
    }
    assert_int_equal(count(cx, c), 2);
    if (t->d == SM_MYSQL)
        assert_int_equal(tdb_scalar_int(cx, c, "SELECT @@autocommit", NULL, 0), 1);
}

/* A column named begin is no compound body: the statements after it are
 * checked like any (COMMIT refused; on MySQL, DDL inside a transaction),
 * and nothing of the script runs. */
static void begin_column(tdb *t)
{
    sm_cx *cx = &t->cx;
    sm_conn *c = t->conn;
    TDB_OK(cx, sm_begin(cx, c));
    insert(cx, c, 1, "a", SM_OK);
    TDB_RC(cx, sm_exec_script(cx, c, "CREATE TEMPORARY TABLE tb (begin INT); COMMIT"), SM_MISUSE);
    assert_non_null(strstr(sm_cx_errmsg(cx), "transaction control"));
    TDB_RC(cx, sm_exec_script(cx, c, "CREATE TEMPORARY TABLE tb (x INT, begin INT); END"),
           SM_MISUSE);
    if (t->d == SM_MYSQL)
        TDB_RC(cx, sm_exec_script(cx, c, "CREATE TEMPORARY TABLE tb (begin INT); DROP TABLE t"),
               SM_MISUSE);
    assert_true(sm_in_transaction(c));
    TDB_OK(cx, sm_rollback(cx, c));
    assert_int_equal(count(cx, c), 0);
}

static void test_begin_column(void **state)
{
    (void)state;
    tdb_each(create, begin_column);
}

static void test_autocommit_refused(void **state)
{
    (void)state;
    tdb_each(create, autocommit_refused);
}

static void test_ddl_in_tx(void **state)
{
    (void)state;
    tdb_each(create, ddl_in_tx);
}

/* ---- SQLite only ------------------------------------------------------- */

static void test_sqlite_busy(void **state)
{
    (void)state;
    sm_cx cx, cx2;
    sm_cx_init(&cx);
    sm_cx_init(&cx2);
    const char *url = tdb_url(SM_SQLITE);
    sm_conn *a, *b;
    TDB_OK(&cx, sm_open(&cx, url, &a));
    TDB_OK(&cx, sm_open(&cx, url, &b));
    tdb_exec_ok(&cx, a, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
    /* BEGIN IMMEDIATE takes the write lock at once. */
    TDB_OK(&cx, sm_begin(&cx, a));
    sm_cx_set_timeout_ms(&cx2, 100);
    int64_t t0 = sm_mono_ns();
    TDB_RC(&cx2, sm_begin(&cx2, b), SM_BUSY);
    int64_t waited = tdb_ms_since(t0);
    /* Not before the deadline; the upper bound only guards against a
     * hang (the busy wait without a deadline would be 5 s). */
    assert_true(waited >= 90 && waited < 4000);
    assert_false(sm_in_transaction(b));
    sm_cx_set_timeout_ms(&cx2, 50);
    TDB_RC(&cx2, sm_exec(&cx2, b, "INSERT INTO t VALUES (1, 'x')", NULL, 0, NULL), SM_BUSY);
    /* Readers are not blocked in WAL mode. */
    sm_cx_set_timeout_ms(&cx2, 0);
    assert_int_equal(tdb_scalar_int(&cx2, b, "SELECT count(*) FROM t", NULL, 0), 0);
    TDB_OK(&cx, sm_commit(&cx, a));
    TDB_OK(&cx2, sm_exec(&cx2, b, "INSERT INTO t VALUES (1, 'x')", NULL, 0, NULL));
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

/* A busy wait without a deadline (5 s) gives up on cancel. */
static void test_sqlite_busy_cancel(void **state)
{
    (void)state;
    sm_cx cx, cx2;
    sm_cx_init(&cx);
    sm_cx_init(&cx2);
    const char *url = tdb_url(SM_SQLITE);
    sm_conn *a, *b;
    TDB_OK(&cx, sm_open(&cx, url, &a));
    TDB_OK(&cx, sm_open(&cx, url, &b));
    TDB_OK(&cx, sm_begin(&cx, a));
    canceller k = {&cx2, 100, 0};
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, cancel_later, &k), 0);
    TDB_RC(&cx2, sm_begin(&cx2, b), SM_CANCELLED);
    int64_t late = tdb_ms_since(k.at);
    pthread_join(th, NULL);
    /* Well before the 5 s the wait would last: the cancel ended it (how
     * soon is latency, for a benchmark). */
    assert_true(late < 4000);
    TDB_OK(&cx, sm_rollback(&cx, a));
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
        cmocka_unit_test(test_interrupted_dml),
        cmocka_unit_test(test_copy_in_tx),
        cmocka_unit_test(test_lost_begin),
        cmocka_unit_test(test_failed_commit),
        cmocka_unit_test(test_close_rolls_back),
        cmocka_unit_test(test_ddl_in_tx),
        cmocka_unit_test(test_autocommit_refused),
        cmocka_unit_test(test_begin_column),
        cmocka_unit_test(test_sqlite_busy),
        cmocka_unit_test(test_sqlite_busy_cancel),
    };
    return tdb_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
