/*
 * test_constraint.c: the SQLite driver's error mapping (the table at the
 * top of runtime/drivers/sqlite/sqlite.c): constraint kinds with table, name and columns,
 * and the codes of other failures (busy and interrupt are in test_tx.c
 * and test_cancel.c).
 */
#include "internal.h"
#include "tdb.h"

#include <unistd.h>

typedef struct fixture {
    sm_cx cx;
    sm_conn *conn;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    sm_cx_init(&f->cx);
    f->conn = tdb_connect(&f->cx, tdb_url(SM_SQLITE));
    tdb_exec_ok(&f->cx, f->conn,
                "CREATE TABLE team (id INTEGER PRIMARY KEY, name TEXT NOT NULL, city TEXT, "
                "CONSTRAINT uq_team_name_city UNIQUE (name, city))");
    tdb_exec_ok(
        &f->cx, f->conn,
        "CREATE TABLE hero (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, "
        "age INTEGER CONSTRAINT ck_hero_age CHECK (age >= 0), lvl INTEGER CHECK (lvl < 10), "
        "team_id INTEGER CONSTRAINT fk_hero_team_id REFERENCES team (id))");
    tdb_exec_ok(&f->cx, f->conn, "INSERT INTO team VALUES (1, 'a', 'x')");
    tdb_exec_ok(&f->cx, f->conn, "INSERT INTO hero VALUES (1, 'h', 1, 1, 1)");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    sm_close(f->conn);
    sm_cx_free(&f->cx);
    free(f);
    return 0;
}

static void expect_constraint(fixture *f, const char *sql, sm_constraint_kind kind,
                              const char *table, const char *name, const char *columns)
{
    TDB_RC(&f->cx, sm_exec(&f->cx, f->conn, sql, NULL, 0, NULL), SM_CONSTRAINT);
    const sm_constraint *k = sm_cx_constraint(&f->cx);
    assert_int_equal(k->kind, kind);
    if (table)
        assert_string_equal(k->table, table);
    else
        assert_null(k->table);
    if (name)
        assert_string_equal(k->name, name);
    else
        assert_null(k->name);
    if (columns)
        assert_string_equal(k->columns, columns);
    else
        assert_null(k->columns);
    assert_int_equal(sm_cx_errcode(&f->cx), SM_CONSTRAINT);
}

static void test_unique(void **state)
{
    fixture *f = *state;
    expect_constraint(f, "INSERT INTO hero (id, name) VALUES (2, 'h')", SM_CK_UNIQUE, "hero", NULL,
                      "name");
    assert_string_equal(sm_cx_errmsg(&f->cx), "UNIQUE constraint failed: hero.name");
    expect_constraint(f, "INSERT INTO team VALUES (2, 'a', 'x')", SM_CK_UNIQUE, "team", NULL,
                      "name, city");
    /* A primary key (a rowid alias). */
    expect_constraint(f, "INSERT INTO hero (id, name) VALUES (1, 'other')", SM_CK_UNIQUE, "hero",
                      NULL, "id");
    /* A unique index on an expression has a name and no columns. */
    tdb_exec_ok(&f->cx, f->conn, "CREATE UNIQUE INDEX uq_hero_lower ON hero (lower(name))");
    expect_constraint(f, "INSERT INTO hero (id, name) VALUES (3, 'H')", SM_CK_UNIQUE, NULL,
                      "uq_hero_lower", NULL);
    /* A success clears the details. */
    tdb_exec_ok(&f->cx, f->conn, "SELECT 1");
    assert_int_equal(sm_cx_constraint(&f->cx)->kind, SM_CK_NONE);
    assert_null(sm_cx_constraint(&f->cx)->columns);
}

static void test_foreign_key(void **state)
{
    fixture *f = *state;
    /* SQLite names nothing; raw SQL has no descriptor to name columns. */
    expect_constraint(f, "INSERT INTO hero (id, name, team_id) VALUES (5, 'z', 99)", SM_CK_FK,
                      NULL, NULL, NULL);
    assert_string_equal(sm_cx_errmsg(&f->cx), "FOREIGN KEY constraint failed");
    expect_constraint(f, "DELETE FROM team WHERE id = 1", SM_CK_FK, NULL, NULL, NULL);
    /* foreign_keys=ON is set at open. */
    assert_int_equal(tdb_scalar_int(&f->cx, f->conn, "PRAGMA foreign_keys", NULL, 0), 1);
}

static void test_check(void **state)
{
    fixture *f = *state;
    expect_constraint(f, "UPDATE hero SET age = -1", SM_CK_CHECK, NULL, "ck_hero_age", NULL);
    assert_string_equal(sm_cx_errmsg(&f->cx), "CHECK constraint failed: ck_hero_age");
    /* An unnamed check is named by its expression. */
    expect_constraint(f, "UPDATE hero SET lvl = 10", SM_CK_CHECK, NULL, "lvl < 10", NULL);
}

static void test_not_null(void **state)
{
    fixture *f = *state;
    expect_constraint(f, "INSERT INTO hero (id, name) VALUES (7, NULL)", SM_CK_NOT_NULL, "hero",
                      NULL, "name");
    expect_constraint(f, "UPDATE team SET name = NULL", SM_CK_NOT_NULL, "team", NULL, "name");
}

static void test_other_errors(void **state)
{
    fixture *f = *state;
    sm_cx *cx = &f->cx;
    /* A trigger's RAISE(ABORT) is not one of the four kinds. */
    tdb_exec_ok(cx, f->conn,
                "CREATE TRIGGER no_z BEFORE INSERT ON hero WHEN NEW.name = 'zed' "
                "BEGIN SELECT RAISE(ABORT, 'no zed'); END");
    TDB_RC(cx, sm_exec(cx, f->conn, "INSERT INTO hero (id, name) VALUES (9, 'zed')", NULL, 0, NULL),
           SM_ERROR);
    assert_string_equal(sm_cx_errmsg(cx), "no zed");
    assert_int_equal(sm_cx_constraint(cx)->kind, SM_CK_NONE);
    /* case_sensitive_like=ON is set at open. */
    assert_int_equal(tdb_scalar_int(cx, f->conn, "SELECT 'ABC' LIKE 'abc'", NULL, 0), 0);
    assert_int_equal(tdb_scalar_int(cx, f->conn, "SELECT 'abc' LIKE 'a%'", NULL, 0), 1);
}

/* Opening: a file that is not a database, a missing read-only file, a
 * directory; read-only writes; the settings of a file database. */
static void test_open_errors(void **state)
{
    fixture *f = *state;
    sm_cx *cx = &f->cx;
    char dir[300], path[400], url[450];
    snprintf(dir, sizeof dir, "%s", tdb_url(SM_SQLITE) + strlen("sqlite:"));
    *strrchr(dir, '/') = 0;
    sm_conn *c = (sm_conn *)(uintptr_t)1;

    snprintf(path, sizeof path, "%s/not-a-db.txt", dir);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs("this is certainly not an SQLite database file, just some text padding it out\n", fp);
    fclose(fp);
    snprintf(url, sizeof url, "sqlite:%s", path);
    TDB_RC(cx, sm_open(cx, url, &c), SM_CONN);
    assert_null(c);
    assert_non_null(strstr(sm_cx_errmsg(cx), "not a database"));

    snprintf(url, sizeof url, "sqlite:file:%s/missing.db?mode=ro", dir);
    TDB_RC(cx, sm_open(cx, url, &c), SM_CONN);
    assert_null(c);
    snprintf(url, sizeof url, "sqlite:%s/no/such/dir/x.db", dir);
    TDB_RC(cx, sm_open(cx, url, &c), SM_CONN);

    /* A file database is in WAL mode; a read-only URI refuses writes. */
    snprintf(path, sizeof path, "%s/ro.db", dir);
    snprintf(url, sizeof url, "sqlite:%s", path);
    TDB_OK(cx, sm_open(cx, url, &c));
    sm_rows *r;
    TDB_OK(cx, sm_query(cx, c, "PRAGMA journal_mode", NULL, 0, &r));
    TDB_RC(cx, sm_rows_next(r), SM_ROW);
    assert_string_equal(sm_rows_text(r, 0), "wal");
    sm_rows_close(r);
    assert_int_equal(tdb_scalar_int(cx, c, "PRAGMA synchronous", NULL, 0), 1); /* NORMAL */
    tdb_exec_ok(cx, c, "CREATE TABLE t (x INTEGER)");
    sm_close(c);
    snprintf(url, sizeof url, "sqlite:file:%s?mode=ro", path);
    TDB_OK(cx, sm_open(cx, url, &c));
    assert_int_equal(tdb_scalar_int(cx, c, "SELECT count(*) FROM t", NULL, 0), 0);
    TDB_RC(cx, sm_exec(cx, c, "INSERT INTO t VALUES (1)", NULL, 0, NULL), SM_ERROR);
    assert_non_null(strstr(sm_cx_errmsg(cx), "readonly"));
    sm_close(c);

    /* Private in-memory databases are private. */
    sm_conn *m1, *m2;
    TDB_OK(cx, sm_open(cx, "sqlite::memory:", &m1));
    TDB_OK(cx, sm_open(cx, "sqlite::memory:", &m2));
    tdb_exec_ok(cx, m1, "CREATE TABLE only_here (x INTEGER)");
    tdb_expect_no_table(cx, SM_SQLITE, sm_exec(cx, m2, "SELECT * FROM only_here", NULL, 0, NULL),
                        "only_here");
    sm_close(m1);
    sm_close(m2);
    /* A shared one is a plain SQLite URI. */
    TDB_OK(cx, sm_open(cx, "sqlite:file:smdl_shared_test?mode=memory&cache=shared", &m1));
    TDB_OK(cx, sm_open(cx, "sqlite:file:smdl_shared_test?mode=memory&cache=shared", &m2));
    tdb_exec_ok(cx, m1, "CREATE TABLE shared (x INTEGER)");
    tdb_exec_ok(cx, m2, "SELECT * FROM shared");
    sm_close(m1);
    sm_close(m2);
    sm_close(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_unique, setup, teardown),
        cmocka_unit_test_setup_teardown(test_foreign_key, setup, teardown),
        cmocka_unit_test_setup_teardown(test_check, setup, teardown),
        cmocka_unit_test_setup_teardown(test_not_null, setup, teardown),
        cmocka_unit_test_setup_teardown(test_other_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_errors, setup, teardown),
    };
    return tdb_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
