/*
 * test_my_errors.c: MariaDB/MySQL errors as smdl codes: every constraint
 * kind with its name, table and columns (and never the duplicated value),
 * deadlocks and lock wait timeouts as SM_RETRY, syntax errors, stale
 * prepared statements after ALTER TABLE, and scripts.
 */
#include "mytest.h"

#include <pthread.h>
#include <time.h>

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
    TDB_OK(&cx, sm_exec_script(
                    &cx, conn,
                    "CREATE TABLE team (id BIGINT AUTO_INCREMENT, name VARCHAR(100) NOT NULL, "
                    "  hq VARCHAR(100) NOT NULL, budget INT NOT NULL DEFAULT 0,"
                    "  CONSTRAINT pk_team PRIMARY KEY (id),"
                    "  CONSTRAINT uq_team_name UNIQUE (name),"
                    "  CONSTRAINT ck_team_budget CHECK (budget >= 0)) ENGINE=InnoDB;\n"
                    "CREATE TABLE hero (id BIGINT AUTO_INCREMENT PRIMARY KEY, name TEXT NOT NULL,"
                    "  team_id BIGINT NULL,"
                    "  CONSTRAINT fk_hero_team_id FOREIGN KEY (team_id) REFERENCES team (id)"
                    "  ON DELETE RESTRICT) ENGINE=InnoDB;\n"
                    "CREATE TABLE link (a INT, b INT, x INT NOT NULL, PRIMARY KEY (a, b)) "
                    "  ENGINE=InnoDB;\n"
                    "CREATE TABLE linkref (id INT PRIMARY KEY, a INT, b INT,"
                    "  CONSTRAINT fk_linkref_a_b FOREIGN KEY (a, b) REFERENCES link (a, b))"
                    "  ENGINE=InnoDB;\n"
                    "INSERT INTO team (name, hq) VALUES ('Avengers', 'NYC');"));
}

static void expect_constraint(sm_constraint_kind kind, const char *table, const char *name,
                              const char *columns)
{
    const sm_constraint *c = sm_cx_constraint(&cx);
    assert_int_equal(c->kind, kind);
    if (table)
        assert_string_equal(c->table ? c->table : "(null)", table);
    if (name)
        assert_string_equal(c->name ? c->name : "(null)", name);
    else
        assert_null(c->name);
    if (columns)
        assert_string_equal(c->columns ? c->columns : "(null)", columns);
    else
        assert_null(c->columns);
}

static void test_unique(void **state)
{
    (void)state;
    need_conn();
    /* The duplicated value never shows, even when it looks like the tail
     * of the server's message. */
    const char *values[] = {"Avengers", "x' for key 'evil", "secret-name-4711"};
    for (int i = 0; i < 3; i++) {
        sm_value p[2] = {sm_text(values[i]), sm_text("somewhere")};
        if (i > 0)
            TDB_OK(&cx,
                   sm_exec(&cx, conn, "INSERT INTO team (name, hq) VALUES (?, ?)", p, 2, NULL));
        TDB_RC(&cx, sm_exec(&cx, conn, "INSERT INTO team (name, hq) VALUES (?, ?)", p, 2, NULL),
               SM_CONSTRAINT);
        expect_constraint(SM_CK_UNIQUE, NULL, "uq_team_name", NULL);
        assert_null(strstr(sm_cx_errmsg(&cx), values[i]));
        assert_non_null(strstr(sm_cx_errmsg(&cx), "uq_team_name"));
    }
    /* The primary key is named PRIMARY on MySQL. */
    TDB_RC(&cx,
           sm_exec(&cx, conn, "INSERT INTO team (id, name, hq) VALUES (1, 'other', 'x')", NULL, 0,
                   NULL),
           SM_CONSTRAINT);
    expect_constraint(SM_CK_UNIQUE, NULL, "PRIMARY", NULL);
    /* After a constraint error the connection goes on. */
    assert_int_equal(tdb_scalar_int(&cx, conn, "SELECT COUNT(*) FROM team", NULL, 0), 3);
}

static void test_foreign_keys(void **state)
{
    (void)state;
    need_conn();
    TDB_RC(
        &cx,
        sm_exec(&cx, conn, "INSERT INTO hero (name, team_id) VALUES ('Thor', 999)", NULL, 0, NULL),
        SM_CONSTRAINT);
    expect_constraint(SM_CK_FK, "hero", "fk_hero_team_id", "team_id");

    tdb_exec_ok(&cx, conn, "INSERT INTO hero (name, team_id) VALUES ('Thor', 1)");
    TDB_RC(&cx, sm_exec(&cx, conn, "DELETE FROM team WHERE id = 1", NULL, 0, NULL), SM_CONSTRAINT);
    expect_constraint(SM_CK_FK, "hero", "fk_hero_team_id", "team_id");
    TDB_RC(&cx, sm_exec(&cx, conn, "UPDATE team SET id = 77 WHERE id = 1", NULL, 0, NULL),
           SM_CONSTRAINT);
    expect_constraint(SM_CK_FK, "hero", "fk_hero_team_id", "team_id");

    /* Composite keys list every column. */
    TDB_RC(&cx, sm_exec(&cx, conn, "INSERT INTO linkref VALUES (1, 5, 6)", NULL, 0, NULL),
           SM_CONSTRAINT);
    expect_constraint(SM_CK_FK, "linkref", "fk_linkref_a_b", "a, b");
}

static void test_check_and_not_null(void **state)
{
    (void)state;
    need_conn();
    TDB_RC(&cx,
           sm_exec(&cx, conn, "INSERT INTO team (name, hq, budget) VALUES ('Poor', 'x', -5)", NULL,
                   0, NULL),
           SM_CONSTRAINT);
    expect_constraint(SM_CK_CHECK, "team", "ck_team_budget", NULL);

    sm_value p[2] = {sm_text("Nowhere men"), sm_null()};
    TDB_RC(&cx, sm_exec(&cx, conn, "INSERT INTO team (name, hq) VALUES (?, ?)", p, 2, NULL),
           SM_CONSTRAINT);
    expect_constraint(SM_CK_NOT_NULL, NULL, NULL, "hq");

    /* A NOT NULL column left out, without a default. */
    TDB_RC(&cx, sm_exec(&cx, conn, "INSERT INTO team (name) VALUES ('No HQ')", NULL, 0, NULL),
           SM_CONSTRAINT);
    expect_constraint(SM_CK_NOT_NULL, NULL, NULL, "hq");

    TDB_RC(&cx, sm_exec(&cx, conn, "UPDATE team SET hq = NULL WHERE id = 1", NULL, 0, NULL),
           SM_CONSTRAINT);
    expect_constraint(SM_CK_NOT_NULL, NULL, NULL, "hq");
}

static void test_syntax_and_other_errors(void **state)
{
    (void)state;
    need_conn();
    TDB_RC(&cx, sm_exec(&cx, conn, "SELEKT 1", NULL, 0, NULL), SM_ERROR);
    assert_non_null(strstr(sm_cx_errmsg(&cx), "1064"));
    assert_non_null(strstr(sm_cx_errmsg(&cx), "syntax"));
    assert_int_equal(sm_cx_constraint(&cx)->kind, SM_CK_NONE);
    tdb_expect_no_table(&cx, SM_MYSQL,
                        sm_exec(&cx, conn, "SELECT * FROM no_such_table", NULL, 0, NULL),
                        "no_such_table");
    assert_non_null(strstr(sm_cx_errmsg(&cx), "1146"));
    /* Division by zero in strict mode is an error on writes. */
    TDB_RC(&cx, sm_exec(&cx, conn, "UPDATE team SET budget = 1 / 0 WHERE id = 1", NULL, 0, NULL),
           SM_ERROR);
    assert_int_equal(tdb_scalar_int(&cx, conn, "SELECT 1", NULL, 0), 1);
}

static void test_placeholders(void **state)
{
    (void)state;
    need_conn();
    /* "??" outside quotes is a "?" (here a placeholder, the only thing a
     * bare "?" can be on MySQL); inside quotes it stays as written. */
    sm_value p = sm_int(41);
    char buf[64];
    tdb_scalar(&cx, conn, "SELECT CONCAT('a??b', \"??\", ?? + 1)", &p, 1, buf, sizeof buf);
    assert_string_equal(buf, "a??b??42");
    tdb_scalar(&cx, conn, "SELECT /* ?? */ ? -- ??\n", &p, 1, buf, sizeof buf);
    assert_string_equal(buf, "41");
    /* Wrong parameter counts are refused before anything runs. */
    TDB_RC(&cx, sm_exec(&cx, conn, "SELECT ?", NULL, 0, NULL), SM_MISUSE);
    sm_value two[2] = {sm_int(1), sm_int(2)};
    TDB_RC(&cx, sm_exec(&cx, conn, "SELECT ?", two, 2, NULL), SM_MISUSE);
}

/* After ALTER TABLE a cached statement is prepared again and returns the
 * new shape. */
static void test_stale_statement_reprepared(void **state)
{
    (void)state;
    need_conn();
    tdb_exec_ok(&cx, conn, "CREATE TABLE shape (a INT, b INT) ENGINE=InnoDB");
    tdb_exec_ok(&cx, conn, "INSERT INTO shape VALUES (1, 2)");
    const char *sql = "SELECT * FROM shape";
    sm_rows *r = NULL;
    TDB_OK(&cx, sm_query(&cx, conn, sql, NULL, 0, &r));
    TDB_RC(&cx, sm_rows_next(r), SM_ROW);
    assert_int_equal(sm_rows_ncols(r), 2);
    sm_rows_close(r);

    tdb_exec_ok(&cx, conn, "ALTER TABLE shape ADD COLUMN c VARCHAR(10) NOT NULL DEFAULT 'new'");
    uint64_t prepares = sm_conn_stat(conn).prepares;
    TDB_OK(&cx, sm_query(&cx, conn, sql, NULL, 0, &r));
    TDB_RC(&cx, sm_rows_next(r), SM_ROW);
    assert_int_equal(sm_rows_ncols(r), 3);
    assert_string_equal(sm_rows_name(r, 2), "c");
    assert_string_equal(sm_rows_text(r, 2), "new");
    TDB_RC(&cx, sm_rows_next(r), SM_DONE);
    sm_rows_close(r);
    assert_int_equal(sm_conn_stat(conn).prepares, prepares + 1);

    /* Same column count, another type: the values follow the new type. */
    tdb_exec_ok(&cx, conn, "ALTER TABLE shape MODIFY COLUMN b VARCHAR(20)");
    tdb_exec_ok(&cx, conn, "UPDATE shape SET b = 'twenty'");
    TDB_OK(&cx, sm_query(&cx, conn, sql, NULL, 0, &r));
    TDB_RC(&cx, sm_rows_next(r), SM_ROW);
    assert_int_equal(sm_rows_ncols(r), 3);
    assert_string_equal(sm_rows_text(r, 1), "twenty");
    TDB_RC(&cx, sm_rows_next(r), SM_DONE);
    sm_rows_close(r);

    /* Fewer columns. */
    tdb_exec_ok(&cx, conn, "ALTER TABLE shape DROP COLUMN a");
    TDB_OK(&cx, sm_query(&cx, conn, sql, NULL, 0, &r));
    TDB_RC(&cx, sm_rows_next(r), SM_ROW);
    assert_int_equal(sm_rows_ncols(r), 2);
    assert_string_equal(sm_rows_name(r, 0), "b");
    assert_string_equal(sm_rows_text(r, 0), "twenty");
    sm_rows_close(r);
    assert_int_equal(tdb_scalar_int(&cx, conn, "SELECT 9", NULL, 0), 9);
    tdb_exec_ok(&cx, conn, "DROP TABLE shape");
}

static void test_scripts(void **state)
{
    (void)state;
    need_conn();
    uint64_t trips = sm_conn_stat(conn).round_trips;
    TDB_OK(&cx, sm_exec_script(&cx, conn,
                               "CREATE TABLE s1 (x INT);\n"
                               "INSERT INTO s1 VALUES (1), (2);\n"
                               "SELECT * FROM s1; -- results are discarded\n"
                               "INSERT INTO s1 SELECT x + 10 FROM s1;\n"));
    assert_int_equal(sm_conn_stat(conn).round_trips, trips + 1);
    assert_int_equal(tdb_scalar_int(&cx, conn, "SELECT SUM(x) FROM s1", NULL, 0), 26);
    /* Nothing to run is fine. */
    TDB_OK(&cx, sm_exec_script(&cx, conn, "  ; /* nothing */ ;\n -- at all\n # really\n"));
    TDB_OK(&cx, sm_exec_script(&cx, conn, ""));
    /* An error stops the script there: earlier statements stay, later
     * ones never run. */
    TDB_RC(&cx,
           sm_exec_script(&cx, conn,
                          "INSERT INTO s1 VALUES (100);\n"
                          "INSERT INTO nope VALUES (1);\n"
                          "INSERT INTO s1 VALUES (1000);"),
           SM_ERROR);
    assert_non_null(strstr(sm_cx_errmsg(&cx), "1146"));
    assert_int_equal(tdb_scalar_int(&cx, conn, "SELECT SUM(x) FROM s1", NULL, 0), 126);
    TDB_RC(&cx, sm_exec_script(&cx, conn, "INSERT INTO team (name, hq) VALUES ('Avengers', 'x')"),
           SM_CONSTRAINT);
    expect_constraint(SM_CK_UNIQUE, NULL, "uq_team_name", NULL);
    tdb_exec_ok(&cx, conn, "DROP TABLE s1");
}

/* A CALL answers with several results (one per SELECT in the procedure,
 * then a status): the first is the statement's, the rest are dropped and
 * the connection goes on. */
static void test_procedure_results(void **state)
{
    (void)state;
    need_conn();
    tdb_exec_ok(
        &cx, conn,
        "CREATE PROCEDURE two_selects(IN k INT) BEGIN SELECT k AS a; SELECT k + 1 AS b; END");
    tdb_exec_ok(&cx, conn,
                "CREATE PROCEDURE touch() BEGIN UPDATE team SET budget = budget WHERE id = 1; END");
    for (int round = 0; round < 2; round++) {
        sm_value p = sm_int(10 + round);
        sm_rows *r = NULL;
        TDB_OK(&cx, sm_query(&cx, conn, "CALL two_selects(?)", &p, 1, &r));
        TDB_RC(&cx, sm_rows_next(r), SM_ROW);
        assert_string_equal(sm_rows_name(r, 0), "a");
        assert_int_equal(sm_rows_int(r, 0), 10 + round);
        TDB_RC(&cx, sm_rows_next(r), SM_DONE);
        sm_rows_close(r);
        assert_int_equal(tdb_scalar_int(&cx, conn, "SELECT 77", NULL, 0), 77);
        TDB_OK(&cx, sm_exec(&cx, conn, "CALL two_selects(?)", &p, 1, NULL));
        assert_int_equal(tdb_scalar_int(&cx, conn, "SELECT 78", NULL, 0), 78);
        TDB_OK(&cx, sm_exec(&cx, conn, "CALL touch()", NULL, 0, NULL));
        assert_int_equal(tdb_scalar_int(&cx, conn, "SELECT 79", NULL, 0), 79);
    }
    tdb_exec_ok(&cx, conn, "DROP PROCEDURE two_selects");
    tdb_exec_ok(&cx, conn, "DROP PROCEDURE touch");
}

typedef struct locker {
    sm_conn *conn;
    const char *sql;
    int rc;
    char msg[256];
} locker;

static void *run_locked(void *arg)
{
    locker *l = arg;
    sm_cx c;
    sm_cx_init(&c);
    sm_cx_set_timeout_ms(&c, 20000);
    l->rc = sm_exec(&c, l->conn, l->sql, NULL, 0, NULL);
    snprintf(l->msg, sizeof l->msg, "%s", sm_cx_errmsg(&c));
    sm_cx_free(&c);
    return NULL;
}

/* Two transactions lock two rows in opposite order: InnoDB rolls one back
 * with 1213, which is SM_RETRY; the other goes on. */
static void test_deadlock_is_retry(void **state)
{
    (void)state;
    need_conn();
    sm_cx ca, cb;
    sm_cx_init(&ca);
    sm_cx_init(&cb);
    sm_conn *a = myt_open(&ca), *b = myt_open(&cb);
    tdb_exec_ok(&ca, a, "CREATE TABLE dl (id INT PRIMARY KEY, v INT) ENGINE=InnoDB");
    tdb_exec_ok(&ca, a, "INSERT INTO dl VALUES (1, 0), (2, 0)");
    TDB_OK(&ca, sm_begin(&ca, a));
    TDB_OK(&cb, sm_begin(&cb, b));
    tdb_exec_ok(&ca, a, "UPDATE dl SET v = 1 WHERE id = 1");
    tdb_exec_ok(&cb, b, "UPDATE dl SET v = 2 WHERE id = 2");
    locker la = {a, "UPDATE dl SET v = 1 WHERE id = 2", 0, ""};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, run_locked, &la), 0);
    struct timespec ts = {0, 200 * 1000000L};
    nanosleep(&ts, NULL); /* a waits for b's row */
    sm_cx_set_timeout_ms(&cb, 20000);
    int rcb = sm_exec(&cb, b, "UPDATE dl SET v = 2 WHERE id = 1", NULL, 0, NULL);
    char msgb[256];
    snprintf(msgb, sizeof msgb, "%s", sm_cx_errmsg(&cb));
    if (rcb == SM_OK)
        TDB_OK(&cb, sm_commit(&cb, b)); /* lets a go on if a was the victim */
    pthread_join(t, NULL);
    int victims = (la.rc == SM_RETRY) + (rcb == SM_RETRY);
    int winners = (la.rc == SM_OK) + (rcb == SM_OK);
    if (victims != 1 || winners != 1)
        fail_msg("a: %s (%s); b: %s (%s)", sm_strerror(la.rc), la.msg, sm_strerror(rcb), msgb);
    assert_non_null(strstr(la.rc == SM_RETRY ? la.msg : msgb, "1213"));
    /* The victim's transaction is failed: only rollback is allowed. */
    if (la.rc == SM_RETRY) {
        TDB_RC(&ca, sm_exec(&ca, a, "SELECT 1", NULL, 0, NULL), SM_MISUSE);
        TDB_OK(&ca, sm_rollback(&ca, a));
    } else {
        TDB_OK(&ca, sm_commit(&ca, a));
        TDB_RC(&cb, sm_exec(&cb, b, "SELECT 1", NULL, 0, NULL), SM_MISUSE);
        TDB_OK(&cb, sm_rollback(&cb, b));
    }
    tdb_exec_ok(&ca, a, "DROP TABLE dl");
    sm_close(a);
    sm_close(b);
    sm_cx_free(&ca);
    sm_cx_free(&cb);
}

/* The last statement traced on a connection. */
typedef struct last_traced {
    char sql[64];
    int rc;
} last_traced;

static void keep_last(void *ud, const sm_trace *t)
{
    last_traced *l = ud;
    snprintf(l->sql, sizeof l->sql, "%s", t->sql);
    l->rc = t->rc;
}

/* 1205 is SM_RETRY too, and the transaction layer rolls the transaction
 * back (traced, like every statement) so its locks go at once, as after a
 * deadlock. */
static void test_lock_wait_timeout_is_retry(void **state)
{
    (void)state;
    need_conn();
    sm_cx ca, cb;
    sm_cx_init(&ca);
    sm_cx_init(&cb);
    sm_conn *a = myt_open(&ca), *b = myt_open(&cb);
    tdb_exec_ok(&ca, a, "CREATE TABLE lw (id INT PRIMARY KEY, v INT) ENGINE=InnoDB");
    tdb_exec_ok(&ca, a, "INSERT INTO lw VALUES (1, 0), (2, 0)");
    tdb_exec_ok(&ca, a, "SET SESSION innodb_lock_wait_timeout = 1");
    tdb_exec_ok(&cb, b, "SET SESSION innodb_lock_wait_timeout = 1");
    TDB_OK(&ca, sm_begin(&ca, a));
    tdb_exec_ok(&ca, a, "UPDATE lw SET v = 1 WHERE id = 1");
    TDB_OK(&cb, sm_begin(&cb, b));
    tdb_exec_ok(&cb, b, "UPDATE lw SET v = 2 WHERE id = 2"); /* b now holds row 2 */
    last_traced last = {"", 1};
    sm_conn_set_trace(b, keep_last, &last);
    TDB_RC(&cb, sm_exec(&cb, b, "UPDATE lw SET v = 2 WHERE id = 1", NULL, 0, NULL), SM_RETRY);
    sm_conn_set_trace(b, NULL, NULL);
    assert_non_null(strstr(sm_cx_errmsg(&cb), "1205"));
    assert_string_equal(last.sql, "ROLLBACK");
    assert_int_equal(last.rc, SM_OK);
    /* b's lock on row 2 is gone: a takes it without waiting. */
    int64_t t0 = sm_mono_ns();
    tdb_exec_ok(&ca, a, "UPDATE lw SET v = 1 WHERE id = 2");
    assert_true(tdb_ms_since(t0) < 5000); /* no hang */
    TDB_OK(&ca, sm_commit(&ca, a));
    TDB_RC(&cb, sm_exec(&cb, b, "SELECT 1", NULL, 0, NULL), SM_MISUSE);
    TDB_OK(&cb, sm_rollback(&cb, b));
    assert_int_equal(tdb_scalar_int(&cb, b, "SELECT SUM(v) FROM lw", NULL, 0), 2);
    /* Outside a transaction the statement alone is undone. */
    TDB_OK(&ca, sm_begin(&ca, a));
    tdb_exec_ok(&ca, a, "UPDATE lw SET v = 5 WHERE id = 1");
    TDB_RC(&cb, sm_exec(&cb, b, "UPDATE lw SET v = 6 WHERE id = 1", NULL, 0, NULL), SM_RETRY);
    assert_false(sm_in_transaction(b));
    TDB_OK(&ca, sm_rollback(&ca, a));
    assert_int_equal(tdb_scalar_int(&cb, b, "SELECT v FROM lw WHERE id = 1", NULL, 0), 1);
    tdb_exec_ok(&ca, a, "DROP TABLE lw");
    sm_close(a);
    sm_close(b);
    sm_cx_free(&ca);
    sm_cx_free(&cb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unique),
        cmocka_unit_test(test_foreign_keys),
        cmocka_unit_test(test_check_and_not_null),
        cmocka_unit_test(test_syntax_and_other_errors),
        cmocka_unit_test(test_placeholders),
        cmocka_unit_test(test_stale_statement_reprepared),
        cmocka_unit_test(test_scripts),
        cmocka_unit_test(test_procedure_results),
        cmocka_unit_test(test_deadlock_is_retry),
        cmocka_unit_test(test_lock_wait_timeout_is_retry),
    };
    return tdb_exit(cmocka_run_group_tests(tests, setup, teardown));
}
