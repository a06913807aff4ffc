/*
 * test_pg_errors.c: PostgreSQL errors as smdl codes: every constraint
 * kind with its name, table and columns, the SQLSTATE table (raised on
 * purpose), server messages, and a real deadlock between two threads.
 */
#include "pgtest.h"

#include <pthread.h>

/* Runs sql, expecting SM_CONSTRAINT of kind with these details (NULL:
 * must be absent). */
static void expect_violation(pgt_env *e, const char *sql, sm_constraint_kind kind,
                             const char *table, const char *name, const char *columns)
{
    TDB_RC(&e->cx, sm_exec(&e->cx, e->conn, sql, NULL, 0, NULL), SM_CONSTRAINT);
    const sm_constraint *c = sm_cx_constraint(&e->cx);
    assert_int_equal(c->kind, kind);
#define SAME(got, want)                                                                          \
    do {                                                                                         \
        if (want)                                                                                \
            assert_string_equal((got) ? (got) : "(null)", want);                                 \
        else                                                                                     \
            assert_null(got);                                                                    \
    } while (0)
    SAME(c->table, table);
    SAME(c->name, name);
    SAME(c->columns, columns);
#undef SAME
    /* The message names the constraint, or for NOT NULL the column. */
    assert_non_null(strstr(sm_cx_errmsg(&e->cx), name ? name : columns));
}

static void test_constraints(void **state)
{
    pgt_env *e = pgt_env_of(state);
    TDB_OK(&e->cx,
           sm_exec_script(
               &e->cx, e->conn,
               "CREATE TABLE teams (id bigint NOT NULL, name text NOT NULL, city text, "
               "  CONSTRAINT pk_teams PRIMARY KEY (id), "
               "  CONSTRAINT uq_teams_name_city UNIQUE (name, city));"
               "CREATE TABLE heroes (id bigint PRIMARY KEY, team_id bigint, age int, "
               "  CONSTRAINT fk_heroes_team_id FOREIGN KEY (team_id) REFERENCES teams (id), "
               "  CONSTRAINT ck_heroes_age CHECK (age >= 0));"
               "INSERT INTO teams VALUES (1, 'a', 'x');"
               "INSERT INTO heroes VALUES (1, 1, 30)"));
    expect_violation(e, "INSERT INTO teams VALUES (1, 'b', 'y')", SM_CK_UNIQUE, "teams", "pk_teams",
                     "id");
    assert_non_null(strstr(sm_cx_errmsg(&e->cx), "23505"));
    expect_violation(e, "INSERT INTO teams VALUES (2, 'a', 'x')", SM_CK_UNIQUE, "teams",
                     "uq_teams_name_city", "name, city");
    /* The values are not part of the columns. */
    assert_null(strstr(sm_cx_constraint(&e->cx)->columns, "x"));
    expect_violation(e, "INSERT INTO heroes VALUES (2, 99, 1)", SM_CK_FK, "heroes",
                     "fk_heroes_team_id", "team_id");
    /* Deleting a referenced row: the referencing table is named. */
    expect_violation(e, "DELETE FROM teams WHERE id = 1", SM_CK_FK, "heroes", "fk_heroes_team_id",
                     "id");
    expect_violation(e, "INSERT INTO heroes VALUES (3, 1, -1)", SM_CK_CHECK, "heroes",
                     "ck_heroes_age", NULL);
    expect_violation(e, "INSERT INTO teams (id, name) VALUES (3, NULL)", SM_CK_NOT_NULL, "teams",
                     NULL, "name");
    expect_violation(e, "UPDATE heroes SET team_id = 5", SM_CK_FK, "heroes", "fk_heroes_team_id",
                     "team_id");
    /* A success clears the constraint. */
    tdb_exec_ok(&e->cx, e->conn, "INSERT INTO teams VALUES (2, 'b', NULL)");
    assert_int_equal(sm_cx_constraint(&e->cx)->kind, SM_CK_NONE);
    /* NULLs are distinct in a unique constraint. */
    tdb_exec_ok(&e->cx, e->conn, "INSERT INTO teams VALUES (3, 'b', NULL)");
}

typedef struct raised {
    const char *sqlstate;
    int code;
} raised;

static void test_sqlstate_table(void **state)
{
    pgt_env *e = pgt_env_of(state);
    const raised table[] = {
        {"40001", SM_RETRY},       {"40P01", SM_RETRY},     {"53200", SM_NOMEM},
        {"53100", SM_ERROR},       {"53300", SM_ERROR},     {"08006", SM_CONN},
        {"08P01", SM_CONN},        {"57P01", SM_CONN},      {"22012", SM_ERROR},
        {"42P01", SM_ERROR},       {"P0001", SM_ERROR},     {"23514", SM_CONSTRAINT},
        {"23502", SM_CONSTRAINT},  {"23505", SM_CONSTRAINT}, {"23503", SM_CONSTRAINT},
        {"23P01", SM_CONSTRAINT},  {"23001", SM_CONSTRAINT}, {"23000", SM_ERROR},
        /* Cancelled, but not by this cx: the call says interrupted. */
        {"57014", SM_ERROR},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        char sql[256];
        snprintf(sql, sizeof sql,
                 "DO $$ BEGIN RAISE EXCEPTION 'raised %s?' USING ERRCODE = '%s'; END $$",
                 table[i].sqlstate, table[i].sqlstate);
        int rc = sm_exec(&e->cx, e->conn, sql, NULL, 0, NULL);
        if (rc != table[i].code)
            fail_msg("SQLSTATE %s gave %s, want %s (%s)", table[i].sqlstate, sm_strerror(rc),
                     sm_strerror(table[i].code), sm_cx_errmsg(&e->cx));
        if (strcmp(table[i].sqlstate, "57014") != 0) {
            char want[64];
            snprintf(want, sizeof want, "raised %s? [%s]", table[i].sqlstate, table[i].sqlstate);
            assert_non_null(strstr(sm_cx_errmsg(&e->cx), want));
        }
    }
    /* Details a violation raised by hand reports. */
    TDB_RC(&e->cx,
           sm_exec(&e->cx, e->conn,
                   "DO $$ BEGIN RAISE unique_violation USING MESSAGE = 'dup', "
                   "CONSTRAINT = 'uq_x', TABLE = 'tx', "
                   "DETAIL = 'Key (p, q)=(1, 2) already exists.';"
                   " END $$",
                   NULL, 0, NULL),
           SM_CONSTRAINT);
    const sm_constraint *c = sm_cx_constraint(&e->cx);
    assert_int_equal(c->kind, SM_CK_UNIQUE);
    assert_string_equal(c->name, "uq_x");
    assert_string_equal(c->table, "tx");
    assert_string_equal(c->columns, "p, q");
    /* The connection took no harm. */
    tdb_exec_ok(&e->cx, e->conn, "SELECT 1");
}

static void test_server_messages(void **state)
{
    pgt_env *e = pgt_env_of(state);
    TDB_RC(&e->cx, sm_exec(&e->cx, e->conn, "SELECT * FROM no_such_table", NULL, 0, NULL),
           SM_ERROR);
    assert_non_null(strstr(sm_cx_errmsg(&e->cx), "relation \"no_such_table\" does not exist"));
    assert_non_null(strstr(sm_cx_errmsg(&e->cx), "42P01"));
    TDB_RC(&e->cx, sm_exec(&e->cx, e->conn, "SELEC 1", NULL, 0, NULL), SM_ERROR);
    assert_non_null(strstr(sm_cx_errmsg(&e->cx), "42601"));
    /* Raw SQL is one statement: a prepared statement refuses two. */
    TDB_RC(&e->cx, sm_exec(&e->cx, e->conn, "SELECT 1; SELECT 2", NULL, 0, NULL), SM_ERROR);
    /* Failing while executing, not preparing. */
    sm_value zero = sm_int(0);
    TDB_RC(&e->cx, sm_exec(&e->cx, e->conn, "SELECT 1 / ?::int", &zero, 1, NULL), SM_ERROR);
    assert_non_null(strstr(sm_cx_errmsg(&e->cx), "division by zero"));
    /* An error after some rows were produced, while reading them. */
    sm_rows *r = NULL;
    int rc = sm_query(&e->cx, e->conn, "SELECT 10 / (3 - g) FROM generate_series(1, 5) g", NULL,
                      0, &r);
    if (rc == SM_OK) {
        while ((rc = sm_rows_next(r)) == SM_ROW)
            ;
        sm_rows_close(r);
    }
    assert_int_equal(rc, SM_ERROR);
    assert_non_null(strstr(sm_cx_errmsg(&e->cx), "22012"));
    tdb_exec_ok(&e->cx, e->conn, "SELECT 1");
}

/* ---- A real deadlock -------------------------------------------------------- */

typedef struct locker {
    const char *url;
    int first, second;        /* rows to lock, in this order */
    pthread_barrier_t *both;  /* both hold their first lock */
    int rc;                   /* of the second update */
    int commit_rc;
    int rollback_rc; /* after a refused commit */
    char msg[256];
} locker;

static void *lock_two(void *arg)
{
    locker *l = arg;
    sm_cx cx;
    sm_conn *conn = NULL;
    sm_cx_init(&cx);
    sm_cx_set_timeout_ms(&cx, 20000);
    l->rc = sm_open(&cx, l->url, &conn);
    if (l->rc == SM_OK)
        l->rc = sm_begin(&cx, conn);
    if (l->rc == SM_OK) {
        sm_value p = sm_int(l->first);
        l->rc = sm_exec(&cx, conn, "UPDATE dl SET v = v + 1 WHERE id = ?", &p, 1, NULL);
    }
    pthread_barrier_wait(l->both);
    if (l->rc == SM_OK) {
        sm_value p = sm_int(l->second);
        l->rc = sm_exec(&cx, conn, "UPDATE dl SET v = v + 1 WHERE id = ?", &p, 1, NULL);
        snprintf(l->msg, sizeof l->msg, "%s", sm_cx_errmsg(&cx));
    }
    if (conn) {
        l->commit_rc = sm_commit(&cx, conn);
        if (l->commit_rc != SM_OK)
            l->rollback_rc = sm_rollback(&cx, conn);
        sm_close(conn);
    }
    sm_cx_free(&cx);
    return NULL;
}

static void test_deadlock_is_retry(void **state)
{
    pgt_env *e = pgt_env_of(state);
    tdb_exec_ok(&e->cx, e->conn, "CREATE TABLE dl (id int PRIMARY KEY, v int)");
    tdb_exec_ok(&e->cx, e->conn, "INSERT INTO dl VALUES (1, 0), (2, 0)");
    pthread_barrier_t both;
    pthread_barrier_init(&both, NULL, 2);
    locker a = {pgt_url(), 1, 2, &both, 0, 0, 0, ""};
    locker b = {pgt_url(), 2, 1, &both, 0, 0, 0, ""};
    pthread_t ta, tb;
    assert_int_equal(pthread_create(&ta, NULL, lock_two, &a), 0);
    assert_int_equal(pthread_create(&tb, NULL, lock_two, &b), 0);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    pthread_barrier_destroy(&both);
    /* Exactly one is the victim: SM_RETRY, and its commit is refused
     * (the transaction failed); the other commits. */
    locker *victim = a.rc == SM_RETRY ? &a : &b, *winner = victim == &a ? &b : &a;
    if (victim->rc != SM_RETRY)
        fail_msg("no deadlock victim: %s / %s", sm_strerror(a.rc), sm_strerror(b.rc));
    assert_non_null(strstr(victim->msg, "40P01"));
    assert_int_equal(winner->rc, SM_OK);
    assert_int_equal(winner->commit_rc, SM_OK);
    assert_int_equal(victim->commit_rc, SM_MISUSE);
    assert_int_equal(victim->rollback_rc, SM_OK);
    char buf[16];
    tdb_scalar(&e->cx, e->conn, "SELECT sum(v)::text FROM dl", NULL, 0, buf, sizeof buf);
    assert_string_equal(buf, "2");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_constraints, pgt_env_setup, pgt_env_teardown),
        cmocka_unit_test_setup_teardown(test_sqlstate_table, pgt_env_setup, pgt_env_teardown),
        cmocka_unit_test_setup_teardown(test_server_messages, pgt_env_setup, pgt_env_teardown),
        cmocka_unit_test_setup_teardown(test_deadlock_is_retry, pgt_env_setup, pgt_env_teardown),
    };
    return tdb_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
