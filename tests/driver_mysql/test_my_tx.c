/*
 * test_my_tx.c: transactions on MariaDB/MySQL through the public API:
 * commit and rollback, the failed-transaction rule, savepoints, DDL
 * inside a transaction (SM_MISUSE: MySQL would commit implicitly),
 * affected counts as rows matched, and insert ids.
 */
#include "mytest.h"

static sm_conn *conn;
static sm_cx cx;

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

/* The shared connection and schema, made by the first test. */
static void need_conn(void)
{
    if (conn)
        return;
    conn = myt_open(&cx);
    TDB_OK(&cx, sm_exec(&cx, conn,
                        "CREATE TABLE acct (id BIGINT AUTO_INCREMENT PRIMARY KEY, "
                        "owner VARCHAR(50) NOT NULL UNIQUE, balance INT NOT NULL) ENGINE=InnoDB",
                        NULL, 0, NULL));
}

static int64_t count_owner(const char *owner)
{
    sm_value p = sm_text(owner);
    sm_rows *r = NULL;
    TDB_OK(&cx, sm_query(&cx, conn, "SELECT COUNT(*) FROM acct WHERE owner = ?", &p, 1, &r));
    TDB_RC(&cx, sm_rows_next(r), SM_ROW);
    int64_t n = sm_rows_int(r, 0);
    sm_rows_close(r);
    return n;
}

static void insert(const char *owner, int balance, int want)
{
    sm_value p[2] = {sm_text(owner), sm_int(balance)};
    TDB_RC(&cx, sm_exec(&cx, conn, "INSERT INTO acct (owner, balance) VALUES (?, ?)", p, 2, NULL),
           want);
}

static void test_commit_and_rollback(void **state)
{
    (void)state;
    need_conn();
    TDB_OK(&cx, sm_begin(&cx, conn));
    assert_true(sm_in_transaction(conn));
    insert("ann", 10, SM_OK);
    TDB_OK(&cx, sm_rollback(&cx, conn));
    assert_false(sm_in_transaction(conn));
    assert_int_equal(count_owner("ann"), 0);

    TDB_OK(&cx, sm_begin(&cx, conn));
    insert("bob", 20, SM_OK);
    TDB_RC(&cx, sm_begin(&cx, conn), SM_MISUSE); /* no nesting: use savepoints */
    TDB_OK(&cx, sm_commit(&cx, conn));
    assert_int_equal(count_owner("bob"), 1);

    /* Other connections see committed rows only. */
    sm_cx cx2;
    sm_cx_init(&cx2);
    sm_conn *other = myt_open(&cx2);
    TDB_OK(&cx, sm_begin(&cx, conn));
    insert("cid", 30, SM_OK);
    assert_int_equal(
        tdb_scalar_int(&cx2, other, "SELECT COUNT(*) FROM acct WHERE owner = 'cid'", NULL, 0), 0);
    TDB_OK(&cx, sm_commit(&cx, conn));
    assert_int_equal(
        tdb_scalar_int(&cx2, other, "SELECT COUNT(*) FROM acct WHERE owner = 'cid'", NULL, 0), 1);
    sm_close(other);
    sm_cx_free(&cx2);
}

static void test_failed_transaction_rule(void **state)
{
    (void)state;
    need_conn();
    TDB_OK(&cx, sm_begin(&cx, conn));
    insert("dan", 1, SM_OK);
    insert("bob", 2, SM_CONSTRAINT); /* duplicate owner */
    /* Everything but rollback is refused, even what would succeed. */
    insert("eve", 3, SM_MISUSE);
    TDB_RC(&cx, sm_exec(&cx, conn, "SELECT 1", NULL, 0, NULL), SM_MISUSE);
    TDB_RC(&cx, sm_commit(&cx, conn), SM_MISUSE);
    TDB_OK(&cx, sm_rollback(&cx, conn));
    assert_int_equal(count_owner("dan"), 0);
    assert_int_equal(count_owner("eve"), 0);
    /* Outside a transaction an error fails nothing. */
    insert("bob", 2, SM_CONSTRAINT);
    insert("eve", 3, SM_OK);
}

static void test_savepoints(void **state)
{
    (void)state;
    need_conn();
    TDB_OK(&cx, sm_begin(&cx, conn));
    insert("fay", 1, SM_OK);
    TDB_OK(&cx, sm_savepoint(&cx, conn, "s1"));
    insert("gus", 2, SM_OK);
    insert("bob", 2, SM_CONSTRAINT);
    insert("hal", 3, SM_MISUSE);
    /* The savepoint survives: rolling back to it revives the
     * transaction. */
    TDB_OK(&cx, sm_rollback_to(&cx, conn, "s1"));
    insert("ida", 4, SM_OK);
    TDB_OK(&cx, sm_release(&cx, conn, "s1"));
    TDB_OK(&cx, sm_commit(&cx, conn));
    assert_int_equal(count_owner("fay"), 1);
    assert_int_equal(count_owner("gus"), 0);
    assert_int_equal(count_owner("ida"), 1);
}

static void test_ddl_inside_transaction(void **state)
{
    (void)state;
    need_conn();
    TDB_OK(&cx, sm_begin(&cx, conn));
    insert("jim", 5, SM_OK);
    TDB_RC(&cx, sm_exec(&cx, conn, "CREATE TABLE in_tx (x INT)", NULL, 0, NULL), SM_MISUSE);
    TDB_RC(&cx, sm_exec(&cx, conn, "  alter TABLE acct ADD COLUMN y INT", NULL, 0, NULL),
           SM_MISUSE);
    TDB_RC(&cx, sm_exec_script(&cx, conn, "SELECT 1; DROP TABLE acct"), SM_MISUSE);
    TDB_RC(&cx, sm_exec(&cx, conn, "TRUNCATE acct", NULL, 0, NULL), SM_MISUSE);
    /* The refusal does not fail the transaction, and nothing committed
     * behind its back: rollback still undoes the insert. */
    insert("kim", 6, SM_OK);
    TDB_OK(&cx, sm_rollback(&cx, conn));
    assert_int_equal(count_owner("jim"), 0);
    assert_int_equal(count_owner("kim"), 0);
    /* Temporary tables do not commit; DDL outside a transaction runs. */
    TDB_OK(&cx, sm_begin(&cx, conn));
    tdb_exec_ok(&cx, conn, "CREATE TEMPORARY TABLE tmp_in_tx (x INT)");
    tdb_exec_ok(&cx, conn, "DROP TEMPORARY TABLE tmp_in_tx");
    TDB_OK(&cx, sm_rollback(&cx, conn));
    tdb_exec_ok(&cx, conn, "CREATE TABLE out_of_tx (x INT)");
    tdb_exec_ok(&cx, conn, "DROP TABLE out_of_tx");
}

static void test_affected_is_matched(void **state)
{
    (void)state;
    need_conn();
    insert("lou", 7, SM_OK);
    int64_t n = -1;
    /* Nothing changes, one row matches. */
    TDB_OK(&cx, sm_exec(&cx, conn, "UPDATE acct SET balance = balance WHERE owner = 'lou'", NULL, 0,
                        &n));
    assert_int_equal(n, 1);
    TDB_OK(&cx, sm_exec(&cx, conn, "UPDATE acct SET balance = 7 WHERE owner = 'lou'", NULL, 0, &n));
    assert_int_equal(n, 1);
    TDB_OK(&cx,
           sm_exec(&cx, conn, "UPDATE acct SET balance = 1 WHERE owner = 'nobody'", NULL, 0, &n));
    assert_int_equal(n, 0);
    int64_t all = tdb_scalar_int(&cx, conn, "SELECT COUNT(*) FROM acct", NULL, 0);
    TDB_OK(&cx, sm_exec(&cx, conn, "UPDATE acct SET balance = balance", NULL, 0, &n));
    assert_int_equal(n, all);
    TDB_OK(&cx, sm_exec(&cx, conn, "DELETE FROM acct WHERE owner = 'lou'", NULL, 0, &n));
    assert_int_equal(n, 1);
    /* A SELECT through sm_exec affects nothing. */
    TDB_OK(&cx, sm_exec(&cx, conn, "SELECT * FROM acct", NULL, 0, &n));
    assert_int_equal(n, 0);
}

static void test_insert_id(void **state)
{
    (void)state;
    need_conn();
    TDB_OK(&cx, sm_call_begin(&cx, conn, SM_CALL_ANY));
    sm_stmt *st = NULL;
    TDB_OK(&cx, sm_stmt_raw(&cx, conn, "INSERT INTO acct (owner, balance) VALUES (?, 0)", &st));
    sm_value p = sm_text("max");
    TDB_RC(&cx, sm_stmt_exec(&cx, st, &p, 1), SM_DONE);
    int64_t id1 = conn->drv->insert_id(st);
    assert_int_equal(conn->drv->changes(st), 1);
    p = sm_text("ned");
    TDB_RC(&cx, sm_stmt_exec(&cx, st, &p, 1), SM_DONE);
    int64_t id2 = conn->drv->insert_id(st);
    assert_true(id1 > 0);
    assert_int_equal(id2, id1 + 1);
    sm_stmt_release(st);
    sm_call_end(&cx, conn, SM_OK);
    assert_int_equal(tdb_scalar_int(&cx, conn, "SELECT id FROM acct WHERE owner = 'ned'", NULL, 0),
                     id2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_commit_and_rollback),
        cmocka_unit_test(test_failed_transaction_rule),
        cmocka_unit_test(test_savepoints),
        cmocka_unit_test(test_ddl_inside_transaction),
        cmocka_unit_test(test_affected_is_matched),
        cmocka_unit_test(test_insert_id),
    };
    return tdb_exit(cmocka_run_group_tests(tests, setup, teardown));
}
