/*
 * test_rel_files_delete.c: a delete restricted by an FK of a table in a
 * file that imports the deleted table's file back (relharbor.smdl,
 * relfleet.smdl) returns SM_CONSTRAINT naming that FK, its table and
 * column on every database (SQLite names none: the harbor's descriptor
 * probes the fleet's FK).
 */
#include "tdb.h"

#include "relfleet.h"
#include "relharbor.h"

static int create(sm_cx *cx, sm_conn *conn)
{
    int rc = relharbor_create_all(cx, conn);
    return rc == SM_OK ? relfleet_create_all(cx, conn) : rc;
}

static void restricted(tdb *t)
{
    Dock d = DOCK_INIT;
    d.name = "North";
    expect_ok(t, dock_insert(&t->cx, t->conn, &d));
    Vessel v = VESSEL_INIT;
    v.name = "Ark";
    v.dock_id = d.id;
    v.has_dock_id = true;
    expect_ok(t, vessel_insert(&t->cx, t->conn, &v));
    expect_rc(t, dock_delete(&t->cx, t->conn, d.id), SM_CONSTRAINT);
    const sm_constraint *c = sm_cx_constraint(&t->cx);
    assert_int_equal(c->kind, SM_CK_FK);
    assert_non_null(c->name);
    assert_string_equal(c->name, "fk_vessel_dock_id");
    assert_string_equal(c->table, "vessel");
    assert_string_equal(c->columns, "dock_id");
    expect_ok(t, vessel_delete(&t->cx, t->conn, v.id));
    expect_ok(t, dock_delete(&t->cx, t->conn, d.id));
}

static void test_restricted(void **state)
{
    (void)state;
    tdb_each(create, restricted);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_restricted)};
    return tdb_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
