/*
 * tdb_probe.c: a test program of the harness itself, run by tdb_rules.sh
 * under different environments.  Its one test runs a body on every
 * dialect (or, with "sqlite-only", on SQLite through tdb_each_on) that
 * reads from the database; "soft-fail" makes every run fail a soft
 * check; "no-exit" returns cmocka's result without tdb_exit, as a main
 * that forgot it would.
 */
#include "tdb.h"

static bool soft_fail;
static bool sqlite_only;

static void body(tdb *t)
{
    assert_int_equal(tdb_int(t, "SELECT 6 * 7", NULL, 0), 42);
    print_message("    ran on %s\n", t->name);
    if (soft_fail)
        tdb_check(t, __FILE__, __LINE__, "soft-fail", false, "as asked");
}

static void test_probe(void **state)
{
    (void)state;
    if (sqlite_only)
        tdb_each_on(TDB_ON(SM_SQLITE), NULL, body);
    else
        tdb_each(NULL, body);
}

int main(int argc, char **argv)
{
    bool no_exit = false;
    for (int i = 1; i < argc; i++) {
        soft_fail |= strcmp(argv[i], "soft-fail") == 0;
        sqlite_only |= strcmp(argv[i], "sqlite-only") == 0;
        no_exit |= strcmp(argv[i], "no-exit") == 0;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_probe),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    return no_exit ? failed : tdb_exit(failed);
}
