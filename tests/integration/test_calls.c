/*
 * test_calls.c: calls, statements and rows on every dialect: transaction
 * control refused in raw scripts.
 */
#include "tdb.h"

#include "internal.h"
#include "runtime.h"

/* ---- Transaction control in scripts ------------------------------------------------ */

/* A trigger whose body holds semicolons and an END, in each dialect. */
static const char *trigger_script(sm_dialect d)
{
    switch (d) {
    case SM_SQLITE:
        return "CREATE TABLE tlog (v INT);\n"
               "CREATE TRIGGER tr AFTER INSERT ON child BEGIN\n"
               "  INSERT INTO tlog VALUES (new.v);\n"
               "  INSERT INTO tlog VALUES (new.v + 1);\n"
               "END;\n"
               "INSERT INTO tlog VALUES (0);";
    case SM_POSTGRES:
        return "CREATE TABLE tlog (v INT);\n"
               "CREATE FUNCTION trf() RETURNS trigger LANGUAGE plpgsql AS $$\n"
               "BEGIN INSERT INTO tlog VALUES (new.v); INSERT INTO tlog VALUES (new.v + 1);\n"
               "RETURN new; END $$;\n"
               "CREATE FUNCTION one() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END;\n"
               "CREATE TRIGGER tr AFTER INSERT ON child FOR EACH ROW EXECUTE FUNCTION trf();\n"
               "INSERT INTO tlog VALUES (0);";
    default:
        return "CREATE TABLE tlog (v INT);\n"
               "CREATE TRIGGER tr AFTER INSERT ON child FOR EACH ROW BEGIN\n"
               "  IF new.v > 0 THEN INSERT INTO tlog VALUES (new.v); END IF;\n"
               "  INSERT INTO tlog VALUES (new.v + 1);\n"
               "END;\n"
               "INSERT INTO tlog VALUES (0);";
    }
}

static void script_tx_control(tdb *t)
{
    static const char *const refused[] = {
        "COMMIT", "SELECT 1; COMMIT", "SELECT 1;\n  begin", "SELECT 1; ROLLBACK;",
        "SELECT 1; /* c */ START TRANSACTION", "SELECT 1; SAVEPOINT a",
    };
    /* Inside a transaction: nothing commits it behind the library's back. */
    expect_ok(t, sm_begin(&t->cx, t->conn));
    expect_ok(t, tdb_exec(t, "INSERT INTO \"child\" (\"v\") VALUES (1)", NULL, 0));
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        expect_rc(t, sm_exec_script(&t->cx, t->conn, refused[i]), SM_MISUSE);
        assert_non_null(strstr(sm_cx_errmsg(&t->cx), "transaction control"));
        assert_true(sm_in_transaction(t->conn));
    }
    expect_ok(t, sm_rollback(&t->cx, t->conn));
    assert_int_equal(tdb_count(t, "child"), 0);
    /* Outside one: nothing opens one the library does not know. */
    expect_rc(t, sm_exec_script(&t->cx, t->conn, "SELECT 1; BEGIN"), SM_MISUSE);
    assert_false(sm_in_transaction(t->conn));
    expect_ok(t, tdb_exec(t, "INSERT INTO \"child\" (\"v\") VALUES (2)", NULL, 0));
    expect_ok(t, sm_begin(&t->cx, t->conn));
    expect_ok(t, sm_rollback(&t->cx, t->conn));
    assert_int_equal(tdb_count(t, "child"), 1);
    /* The BEGIN ... END of a trigger's body is not transaction control. */
    expect_ok(t, sm_exec_script(&t->cx, t->conn, trigger_script(t->d)));
    expect_ok(t, tdb_exec(t, "INSERT INTO \"child\" (\"v\") VALUES (5)", NULL, 0));
    assert_int_equal(tdb_count(t, "tlog"), 3);
    assert_int_equal(tdb_int(t, "SELECT sum(\"v\") FROM \"tlog\"", NULL, 0), 11);
}

static void test_script_tx_control(void **state)
{
    (void)state;
    tdb_each(runtime_create_all, script_tx_control);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_script_tx_control),
    };
    return tdb_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
