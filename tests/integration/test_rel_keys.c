/*
 * test_rel_keys.c: relationships over keys that are not int64
 * (relkeys.smdl), on every dialect: a uuid key and a
 * nullable uuid FK, an i32 key and an i32 FK, loaded one by one, as a
 * list and by 'with' and '-> each'; get_many of each key type; an update
 * returning rows keyed by uuid.
 */
#include "tdb.h"

#include "relkeys.h"

#include <string.h>

static sm_uuid uuid_of(unsigned char last)
{
    sm_uuid u;
    memset(&u, 0x5a, sizeof u);
    u.b[15] = last;
    return u;
}

/* Orgs 1 ("Acme") and 2 ("Bolt"), org 3 ("Void") without units; units
 * 10 and 30 of org 1, 20 of org 2, 40 of none; parts of units 10 and 20. */
static void seed(tdb *t)
{
    static const char *const orgs[] = {"Acme", "Bolt", "Void"};
    for (unsigned i = 0; i < 3; i++) {
        Org o = ORG_INIT;
        o.id = uuid_of((unsigned char)(i + 1));
        o.name = orgs[i];
        expect_ok(t, org_insert(&t->cx, t->conn, &o));
    }
    static const struct { int32_t id; int org; const char *name; } units[] = {
        {30, 1, "c"}, {10, 1, "a"}, {20, 2, "b"}, {40, 0, "d"}};
    for (size_t i = 0; i < 4; i++) {
        Unit u = UNIT_INIT;
        u.id = units[i].id;
        u.name = units[i].name;
        if (units[i].org) {
            u.org_id = uuid_of((unsigned char)units[i].org);
            u.has_org_id = true;
        }
        expect_ok(t, unit_insert(&t->cx, t->conn, &u));
    }
    static const struct { int32_t unit; const char *label; } parts[] = {
        {20, "p1"}, {10, "p2"}, {10, "p3"}};
    for (size_t i = 0; i < 3; i++) {
        Part p = PART_INIT;
        p.unit_id = parts[i].unit;
        p.label = parts[i].label;
        expect_ok(t, part_insert(&t->cx, t->conn, &p));
    }
}

static void loads(tdb *t)
{
    seed(t);
    static const int32_t ids[] = {40, 10, 99, 20, 10, 30};
    Unit_list us;
    expect_ok(t, unit_get_many(&t->cx, t->conn, ids, 6, &us, &t->arena));
    assert_int_equal(us.len, 5); /* 99 missing, 10 twice */
    assert_int_equal(us.items[0].id, 40);
    assert_int_equal(us.items[1].id, 10);
    assert_int_equal(us.items[2].id, 20);
    assert_int_equal(us.items[3].id, 10);
    assert_int_equal(us.items[4].id, 30);

    expect_ok(t, unit_list_load_org(&t->cx, t->conn, &us, &t->arena));
    assert_true(us.items[0].org_loaded);
    assert_null(us.items[0].org);
    assert_string_equal(us.items[1].org->name, "Acme");
    assert_string_equal(us.items[2].org->name, "Bolt");
    assert_ptr_equal(us.items[1].org, us.items[4].org);

    expect_ok(t, unit_list_load_parts(&t->cx, t->conn, &us, &t->arena));
    assert_int_equal(us.items[0].parts.len, 0);
    assert_non_null(us.items[0].parts.items);
    assert_int_equal(us.items[1].parts.len, 2);
    assert_string_equal(us.items[1].parts.items[0].label, "p2");
    assert_string_equal(us.items[1].parts.items[1].label, "p3");
    assert_int_equal(us.items[2].parts.len, 1);

    const sm_uuid oids[] = {uuid_of(3), uuid_of(1), uuid_of(9), uuid_of(2)};
    Org_list os;
    expect_ok(t, org_get_many(&t->cx, t->conn, oids, 4, &os, &t->arena));
    assert_int_equal(os.len, 3);
    assert_string_equal(os.items[0].name, "Void");
    assert_string_equal(os.items[1].name, "Acme");
    assert_string_equal(os.items[2].name, "Bolt");
    expect_ok(t, org_list_load_units(&t->cx, t->conn, &os, &t->arena));
    assert_int_equal(os.items[0].units.len, 0);
    assert_int_equal(os.items[1].units.len, 2);
    assert_int_equal(os.items[1].units.items[0].id, 10);
    assert_int_equal(os.items[1].units.items[1].id, 30);
    assert_int_equal(os.items[2].units.len, 1);
    assert_int_equal(os.items[2].units.items[0].id, 20);

    Part p;
    expect_ok(t, part_get(&t->cx, t->conn, 1, &p, &t->arena));
    expect_ok(t, part_load_unit(&t->cx, t->conn, &p, &t->arena));
    assert_int_equal(p.unit->id, 20);
}

static void test_loads(void **state)
{
    (void)state;
    tdb_each(relkeys_create_all, loads);
}

static void with_query(tdb *t)
{
    seed(t);
    Unit_list us;
    expect_ok(t, units(&t->cx, t->conn, &us, &t->arena));
    assert_int_equal(us.len, 4);
    assert_string_equal(us.items[0].org->name, "Acme");
    assert_int_equal(us.items[0].parts.len, 2);
    assert_string_equal(us.items[1].org->name, "Bolt");
    assert_true(us.items[3].org_loaded);
    assert_null(us.items[3].org);
    assert_int_equal(us.items[3].parts.len, 0);
}

static void test_with_query(void **state)
{
    (void)state;
    tdb_each(relkeys_create_all, with_query);
}

typedef struct seen {
    char text[256];
} seen;

static int see_org(void *ud, const Org *o)
{
    seen *s = ud;
    size_t n = strlen(s->text);
    n += (size_t)snprintf(s->text + n, sizeof s->text - n, "%s:", o->name);
    for (size_t i = 0; i < o->units.len; i++) {
        const Unit *u = &o->units.items[i];
        n += (size_t)snprintf(s->text + n, sizeof s->text - n, "%d(%zu)", (int)u->id,
                              u->parts.len);
    }
    snprintf(s->text + n, sizeof s->text - n, ";");
    return 0;
}

static void each_query(tdb *t)
{
    seed(t);
    seen s = {""};
    expect_ok(t, orgs(&t->cx, t->conn, see_org, &s));
    assert_string_equal(s.text, "Acme:10(2)30(0);Bolt:20(1);Void:;");
}

static void test_each_query(void **state)
{
    (void)state;
    tdb_each(relkeys_create_all, each_query);
}

static void returning(tdb *t)
{
    seed(t);
    OrgRef_list rs;
    expect_ok(t, rename_org(&t->cx, t->conn, "Bolt", "Bolt2", &rs, &t->arena));
    assert_int_equal(rs.len, 1);
    sm_uuid want = uuid_of(2);
    assert_memory_equal(rs.items[0].id.b, want.b, 16);
    assert_string_equal(rs.items[0].name, "Bolt2");
}

static void test_returning(void **state)
{
    (void)state;
    tdb_each(relkeys_create_all, returning);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_loads),
        cmocka_unit_test(test_with_query),
        cmocka_unit_test(test_each_query),
        cmocka_unit_test(test_returning),
    };
    return tdb_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
