/*
 * test_keys.c: primary keys other than heroes' int @auto, on every
 * dialect: an i32 @auto key (Plan) generated and written back one by one
 * and in batches, at its limit when given; a uuid key filled by uuid()
 * (Account), distinct per row of a batch; a composite (uuid, i32) key
 * (Membership) through get, update, delete and missing keys.
 */
#include "tdb.h"

#include "alltypes.h"

static Plan plan(const char *name, sm_decimal price)
{
    Plan p = PLAN_INIT;
    p.name = name;
    p.price = price;
    return p;
}

static Account account(const char *email, const char *handle)
{
    Account a = ACCOUNT_INIT;
    a.email = email;
    a.handle = handle;
    return a;
}

static void i32_auto(tdb *t)
{
    Plan one = plan("basic", 999);
    expect_ok(t, plan_insert(&t->cx, t->conn, &one));
    assert_int_equal(one.id, 1); /* the first key of a fresh table */

    Plan many[3] = {plan("silver", 1999), plan("gold", 4999), plan("platinum", 9999)};
    many[1].primary_color = COLOR_BLUE;
    many[1].has_primary_color = true;
    expect_ok(t, plan_insert_many(&t->cx, t->conn, many, 3));
    for (int i = 0; i < 3; i++) {
        assert_int_equal(many[i].id, 2 + i);
        Plan got;
        expect_ok(t, plan_get(&t->cx, t->conn, many[i].id, &got, &t->arena));
        assert_string_equal(got.name, many[i].name);
        assert_int_equal(got.price, many[i].price);
        assert_int_equal(got.has_primary_color, i == 1);
    }
    Plan got;
    expect_ok(t, plan_get(&t->cx, t->conn, many[1].id, &got, &t->arena));
    assert_int_equal(got.primary_color, COLOR_BLUE);

    /* The largest i32 key, given. */
    Plan top = plan("top", 0);
    top.id = INT32_MAX;
    expect_ok(t, plan_insert(&t->cx, t->conn, &top));
    assert_int_equal(top.id, INT32_MAX);
    expect_ok(t, plan_get(&t->cx, t->conn, INT32_MAX, &got, &t->arena));
    assert_string_equal(got.name, "top");
    got.price = 1;
    expect_ok(t, plan_update(&t->cx, t->conn, &got));
    expect_ok(t, plan_get(&t->cx, t->conn, INT32_MAX, &got, &t->arena));
    assert_int_equal(got.price, 1);
    expect_ok(t, plan_delete(&t->cx, t->conn, INT32_MAX));
    expect_rc(t, plan_get(&t->cx, t->conn, INT32_MAX, &got, &t->arena), SM_NOTFOUND);
    expect_rc(t, plan_delete(&t->cx, t->conn, INT32_MIN), SM_NOTFOUND);
    assert_int_equal(tdb_count(t, "plan"), 4);
}

static void test_i32_auto(void **state)
{
    (void)state;
    tdb_each(alltypes_create_all, i32_auto);
}

static void uuid_keys(tdb *t)
{
    Account as[4] = {account("a@example.com", "AA"), account("b@example.com", "BB"),
                     account("c@example.com", "CC"), account("d@example.com", "DD")};
    const char *given = "ffffffff-0000-4000-8000-000000000001";
    assert_int_equal(sm_uuid_parse(given, strlen(given), &as[2].id), SM_OK);
    sm_datetime before = sm_datetime_now();
    expect_ok(t, account_insert_many(&t->cx, t->conn, as, 4));
    sm_uuid want;
    assert_int_equal(sm_uuid_parse(given, strlen(given), &want), SM_OK);
    assert_memory_equal(&as[2].id, &want, sizeof want);
    for (int i = 0; i < 4; i++) {
        assert_true(as[i].created_at >= before);
        for (int j = 0; j < i; j++)
            assert_memory_not_equal(&as[i].id, &as[j].id, sizeof as[i].id);
        Account got;
        expect_ok(t, account_get(&t->cx, t->conn, as[i].id, &got, &t->arena));
        assert_string_equal(got.email, as[i].email);
        assert_int_equal(got.created_at, as[i].created_at);
    }
    /* The database sees the key as its uuid text. */
    sm_value v = sm_text(given);
    assert_string_equal(tdb_text(t, "SELECT \"email\" FROM \"accounts\" WHERE \"id\" = ?", &v, 1),
                        "c@example.com");

    /* A patch finds the row by its uuid key and never changes it (the
     * partial of a table has no key field). */
    AccountPatch p = ACCOUNT_PATCH_INIT;
    p.email = "z@example.com";
    p.has_email = true;
    expect_ok(t, account_patch(&t->cx, t->conn, as[0].id, &p));
    Account got;
    expect_ok(t, account_get(&t->cx, t->conn, as[0].id, &got, &t->arena));
    assert_string_equal(got.email, "z@example.com");
    expect_ok(t, account_delete(&t->cx, t->conn, as[0].id));
    expect_rc(t, account_delete(&t->cx, t->conn, as[0].id), SM_NOTFOUND);
    assert_int_equal(tdb_count(t, "accounts"), 3);
}

static void test_uuid_keys(void **state)
{
    (void)state;
    tdb_each(alltypes_create_all, uuid_keys);
}

static void composite(tdb *t)
{
    Plan plans[2] = {plan("basic", 500), plan("pro", 1500)};
    expect_ok(t, plan_insert_many(&t->cx, t->conn, plans, 2));
    Account a = account("a@example.com", "AA");
    Account b = account("b@example.com", "BB");
    expect_ok(t, account_insert(&t->cx, t->conn, &a));
    expect_ok(t, account_insert(&t->cx, t->conn, &b));

    Membership ms[3] = {MEMBERSHIP_INIT, MEMBERSHIP_INIT, MEMBERSHIP_INIT};
    ms[0].account_id = a.id;
    ms[0].plan_id = plans[0].id;
    ms[1].account_id = a.id;
    ms[1].plan_id = plans[1].id;
    ms[1].since = sm_date_from_ymd(2020, 2, 29);
    ms[2].account_id = b.id;
    ms[2].plan_id = plans[0].id;
    sm_date today = (sm_date)(sm_datetime_now() / INT64_C(86400000000));
    expect_ok(t, membership_insert_many(&t->cx, t->conn, ms, 3));
    /* now() is today in UTC (or tomorrow, if midnight came in between). */
    assert_true(ms[0].since == today || ms[0].since == today + 1);
    assert_int_equal(ms[1].since, sm_date_from_ymd(2020, 2, 29));

    Membership got;
    expect_ok(t, membership_get(&t->cx, t->conn, a.id, plans[1].id, &got, &t->arena));
    assert_int_equal(got.since, sm_date_from_ymd(2020, 2, 29));
    assert_memory_equal(&got.account_id, &a.id, sizeof a.id);
    /* Each half of the key matters. */
    Membership none;
    expect_rc(t, membership_get(&t->cx, t->conn, b.id, plans[1].id, &none, &t->arena),
              SM_NOTFOUND);

    got.since = sm_date_from_ymd(2021, 3, 1);
    expect_ok(t, membership_update(&t->cx, t->conn, &got));
    Membership again;
    expect_ok(t, membership_get(&t->cx, t->conn, a.id, plans[1].id, &again, &t->arena));
    assert_int_equal(again.since, sm_date_from_ymd(2021, 3, 1));
    expect_ok(t, membership_get(&t->cx, t->conn, a.id, plans[0].id, &again, &t->arena));
    assert_int_equal(again.since, ms[0].since);

    /* The same pair twice is a key violation, named by its columns on
     * every dialect (MySQL calls every primary key "PRIMARY"). */
    Membership dup = ms[2];
    expect_rc(t, membership_insert(&t->cx, t->conn, &dup), SM_CONSTRAINT);
    tdb_constraint_is(t, SM_CK_UNIQUE, NULL, "account_id, plan_id");
    const char *cols = sm_cx_constraint(&t->cx)->columns;
    if (!cols || strcmp(cols, "account_id, plan_id") != 0)
        fail_msg("on %s: the key's columns are %s", t->name, cols ? cols : "not named");

    Membership gone = MEMBERSHIP_INIT;
    gone.account_id = b.id;
    gone.plan_id = plans[1].id;
    expect_rc(t, membership_update(&t->cx, t->conn, &gone), SM_NOTFOUND);
    expect_ok(t, membership_delete(&t->cx, t->conn, b.id, plans[0].id));
    expect_rc(t, membership_delete(&t->cx, t->conn, b.id, plans[0].id), SM_NOTFOUND);
    assert_int_equal(tdb_count(t, "membership"), 2);
}

static void test_composite(void **state)
{
    (void)state;
    tdb_each(alltypes_create_all, composite);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_i32_auto),
        cmocka_unit_test(test_uuid_keys),
        cmocka_unit_test(test_composite),
    };
    return tdb_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
