/*
 * test_runtime.c: the runtime's per-database seams through generated
 * code, on every dialect: the keys _insert_many writes back (also when
 * MySQL's auto_increment_increment is not 1, as on Galera), a module's
 * DDL that fails partway leaving foreign keys enforced, rows that cannot
 * be read leaving the connection usable, and the connection's staging
 * buffer shrinking after a large result.
 */
#include "tdb.h"

#include "internal.h"
#include "runtime.h"

static Parent parent(const char *name)
{
    Parent p = PARENT_INIT;
    p.name = name;
    return p;
}

/* Each written-back key reads back the row it was given for. */
static void expect_keys_right(tdb *t, Parent *ps, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            assert_true(ps[i].id > ps[i - 1].id);
        Parent got;
        expect_ok(t, parent_get(&t->cx, t->conn, ps[i].id, &got, &t->arena));
        assert_string_equal(got.name, ps[i].name);
    }
}

static void insert_many_keys(tdb *t)
{
    static const char *const names[] = {"a", "b", "c", "d", "e", "f", "g"};
    Parent ps[7];
    for (int i = 0; i < 7; i++)
        ps[i] = parent(names[i]);
    expect_ok(t, parent_insert_many(&t->cx, t->conn, ps, 7));
    expect_keys_right(t, ps, 7);
    /* A fresh table numbers its rows from 1 on every database. */
    for (int i = 0; i < 7; i++)
        assert_int_equal(ps[i].id, i + 1);
    if (t->d != SM_MYSQL)
        return;
    /* Galera steps keys by the cluster size: the session's step and
     * offset decide the keys of one INSERT. */
    expect_ok(t, tdb_exec(t,
                          "SET SESSION auto_increment_increment = 3, "
                          "auto_increment_offset = 2",
                          NULL, 0));
    Parent more[5];
    for (int i = 0; i < 5; i++)
        more[i] = parent(names[i]);
    expect_ok(t, parent_insert_many(&t->cx, t->conn, more, 5));
    expect_keys_right(t, more, 5);
    for (int i = 1; i < 5; i++)
        assert_int_equal(more[i].id - more[i - 1].id, 3);
    expect_ok(t, tdb_exec(t,
                          "SET SESSION auto_increment_increment = 1, "
                          "auto_increment_offset = 1",
                          NULL, 0));
    Parent last[2] = {parent("x"), parent("y")};
    expect_ok(t, parent_insert_many(&t->cx, t->conn, last, 2));
    expect_keys_right(t, last, 2);
    assert_int_equal(last[1].id - last[0].id, 1);
}

static void test_insert_many_keys(void **state)
{
    (void)state;
    tdb_each(runtime_create_all, insert_many_keys);
}

/* ---- A module's DDL that fails ------------------------------------------------- */

static const char *read_only(sm_dialect d, bool on)
{
    switch (d) {
    case SM_SQLITE:
        return on ? "PRAGMA query_only = ON" : "PRAGMA query_only = OFF";
    case SM_POSTGRES:
        return on ? "SET default_transaction_read_only = on"
                  : "SET default_transaction_read_only = off";
    case SM_MYSQL:
        return on ? "SET SESSION TRANSACTION READ ONLY" : "SET SESSION TRANSACTION READ WRITE";
    }
    return NULL;
}

/* The DDL of rc was refused because the session is read-only. */
static void expect_read_only(tdb *t, int rc)
{
    static const char *const says[SM_NDIALECTS] = {
        "attempt to write a readonly database",
        "in a read-only transaction [25006]",
        "Cannot execute statement in a READ ONLY transaction (error 1792",
    };
    expect_rc(t, rc, SM_ERROR);
    if (!strstr(sm_cx_errmsg(&t->cx), says[t->d]))
        fail_msg("on %s: want '%s', got: %s", t->name, says[t->d], sm_cx_errmsg(&t->cx));
}

/* Foreign keys are still enforced on the connection. */
static void expect_fk_enforced(tdb *t)
{
    expect_rc(t, tdb_exec(t, "INSERT INTO fk_c (pid) VALUES (42)", NULL, 0), SM_CONSTRAINT);
    assert_int_equal(sm_cx_constraint(&t->cx)->kind, SM_CK_FK);
}

static void failed_ddl(tdb *t)
{
    expect_ok(t, tdb_exec(t, "CREATE TABLE fk_p (id INT PRIMARY KEY)", NULL, 0));
    expect_ok(t, tdb_exec(t, "CREATE TABLE fk_c (pid INT, FOREIGN KEY (pid) REFERENCES fk_p (id))",
                          NULL, 0));
    expect_fk_enforced(t);
    /* create_all fails at its first table (the session is read-only). */
    expect_ok(t, tdb_exec(t, read_only(t->d, true), NULL, 0));
    expect_read_only(t, runtime_create_all(&t->cx, t->conn));
    expect_ok(t, tdb_exec(t, read_only(t->d, false), NULL, 0));
    expect_fk_enforced(t);
    expect_ok(t, runtime_create_all(&t->cx, t->conn));
    /* drop_all too. */
    expect_ok(t, tdb_exec(t, read_only(t->d, true), NULL, 0));
    expect_read_only(t, runtime_drop_all(&t->cx, t->conn));
    expect_ok(t, tdb_exec(t, read_only(t->d, false), NULL, 0));
    expect_fk_enforced(t);
    expect_ok(t, runtime_drop_all(&t->cx, t->conn));
    expect_fk_enforced(t);
    /* A session that had turned them off keeps them off. */
    if (t->d == SM_MYSQL) {
        expect_ok(t, tdb_exec(t, "SET FOREIGN_KEY_CHECKS = 0", NULL, 0));
        expect_ok(t, runtime_create_all(&t->cx, t->conn));
        assert_int_equal(tdb_int(t, "SELECT @@SESSION.foreign_key_checks", NULL, 0), 0);
        expect_ok(t, tdb_exec(t, "SET FOREIGN_KEY_CHECKS = 1", NULL, 0));
    }
}

static void test_failed_ddl_keeps_foreign_keys(void **state)
{
    (void)state;
    tdb_each(NULL, failed_ddl);
}

/* ---- Rows that cannot be read ---------------------------------------------------- */

static int count_rows(void *ud, const Small *row)
{
    (void)row;
    ++*(int *)ud;
    return 0;
}

static void unreadable_rows(tdb *t)
{
    Child cs[3] = {CHILD_INIT, CHILD_INIT, CHILD_INIT};
    cs[0].v = 1;
    cs[1].v = 2;
    cs[2].v = 100000; /* not an i16 */
    expect_ok(t, child_insert_many(&t->cx, t->conn, cs, 3));
    Small_list l;
    expect_rc(t, smalls(&t->cx, t->conn, &l, &t->arena), SM_ERROR);
    assert_non_null(strstr(sm_cx_errmsg(&t->cx), "out of range"));
    assert_null(l.items);
    int64_t n = 0;
    expect_ok(t, count_children(&t->cx, t->conn, &n));
    assert_int_equal(n, 3);
    /* Streamed: the third row fails after two callbacks, and what is left
     * of the result does not hold the connection. */
    int seen = 0;
    expect_rc(t, each_small(&t->cx, t->conn, count_rows, &seen), SM_ERROR);
    assert_int_equal(seen, 2);
    expect_ok(t, count_children(&t->cx, t->conn, &n));
    assert_int_equal(n, 3);
    /* A database error on the third row of a stream. */
    seen = 0;
    expect_rc(t, each_failing(&t->cx, t->conn, count_rows, &seen), SM_ERROR);
    assert_int_equal(seen, 2);
    expect_ok(t, count_children(&t->cx, t->conn, &n));
    assert_int_equal(n, 3);
    /* Inside a transaction too, which the error fails. */
    expect_ok(t, sm_begin(&t->cx, t->conn));
    expect_rc(t, each_small(&t->cx, t->conn, count_rows, &seen), SM_ERROR);
    expect_ok(t, sm_rollback(&t->cx, t->conn));
    expect_ok(t, count_children(&t->cx, t->conn, &n));
    assert_int_equal(n, 3);
}

static void test_unreadable_rows(void **state)
{
    (void)state;
    tdb_each(runtime_create_all, unreadable_rows);
}

/* ---- The staging buffer ------------------------------------------------------------ */

#define MANY 20000
/* The rows of the large result do not fit in what the buffer keeps. */
_Static_assert(MANY * sizeof(Child) > SM_SCRATCH_KEEP, "MANY rows fit in SM_SCRATCH_KEEP");

static void staging_shrinks(tdb *t)
{
    Child *cs = calloc(MANY, sizeof *cs);
    assert_non_null(cs);
    for (int i = 0; i < MANY; i++) {
        cs[i] = (Child)CHILD_INIT;
        cs[i].v = i;
    }
    expect_ok(t, child_insert_many(&t->cx, t->conn, cs, MANY));
    free(cs);
    assert_true(t->conn->scratch.cap <= SM_SCRATCH_KEEP);
    Child_list l;
    expect_ok(t, children(&t->cx, t->conn, &l, &t->arena));
    assert_int_equal(l.len, MANY);
    assert_int_equal(l.items[MANY - 1].v, MANY - 1);
    /* The rows were staged in it, and it went back to its bound
     * afterwards. */
    assert_true(t->conn->scratch.cap <= SM_SCRATCH_KEEP);
    /* Small results keep it (no allocation per call). */
    int64_t n;
    expect_ok(t, count_children(&t->cx, t->conn, &n));
    assert_true(t->conn->scratch.cap <= SM_SCRATCH_KEEP);
}

static void test_staging_buffer_shrinks(void **state)
{
    (void)state;
    tdb_each(runtime_create_all, staging_shrinks);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_insert_many_keys),
        cmocka_unit_test(test_failed_ddl_keeps_foreign_keys),
        cmocka_unit_test(test_unreadable_rows),
        cmocka_unit_test(test_staging_buffer_shrinks),
    };
    return tdb_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
