/*
 * test_validation.c: validation in the generated code, on every dialect:
 * SM_INVALID before any SQL (no statement reaches the connection), every
 * error in sm_cx_errors with its path and code, every attribute of the
 * schemas at and past its bounds, the @check_fn validator, nested data
 * models, and an open transaction that a validation error does not fail.
 */
#include "tdb.h"

#include "alltypes.h"
#include "heroes.h"

#include <math.h>

static Hero hero(const char *name, const char *secret)
{
    Hero h = HERO_INIT;
    h.name = name;
    h.secret_name = secret;
    return h;
}

static Account account(const char *email, const char *handle)
{
    Account a = ACCOUNT_INIT;
    a.email = email;
    a.handle = handle;
    return a;
}

static int create_both(sm_cx *cx, sm_conn *conn)
{
    int rc = heroes_create_all(cx, conn);
    return rc == SM_OK ? alltypes_create_all(cx, conn) : rc;
}

/* The message of error i. */
static const char *msg_of(const sm_errors *e, size_t i)
{
    assert_true(i < e->len);
    return e->items[i].msg;
}

/* ---- Heroes --------------------------------------------------------------------- */

/* Four errors at once: too long, missing, out of range, not an enum member. */
static Hero bad_hero(tdb *t)
{
    Hero h = hero(tdb_repeat(t, "x", 101), NULL);
    h.age = -1;
    h.has_age = true;
    h.power = (Power)7;
    return h;
}

static void expect_bad_hero_errors(const sm_errors *e)
{
    tdb_errors_are(e, "name", "too_long", "secret_name", "required", "age", "out_of_range", "power",
                   "enum", NULL);
    assert_string_equal(msg_of(e, 0), "must be at most 100 characters");
    assert_string_equal(msg_of(e, 2), "must be >= 0");
}

static void before_sql(tdb *t)
{
    Hero h = bad_hero(t);
    tdb_trace tr;
    tdb_trace_start(t, &tr, "");
    expect_rc(t, hero_insert(&t->cx, t->conn, &h), SM_INVALID);
    expect_bad_hero_errors(sm_cx_errors(&t->cx));
    assert_int_equal(h.id, 0);
    assert_int_equal(sm_cx_errcode(&t->cx), SM_INVALID);

    Hero many[3] = {hero("Deadpond", "Dive Wilson"), bad_hero(t), hero("Ok", "Fine")};
    many[2].age = 201;
    many[2].has_age = true;
    expect_rc(t, hero_insert_many(&t->cx, t->conn, many, 3), SM_INVALID);
    tdb_errors_are(sm_cx_errors(&t->cx), "[1].name", "too_long", "[1].secret_name", "required",
                   "[1].age", "out_of_range", "[1].power", "enum", "[2].age", "out_of_range", NULL);
    for (int i = 0; i < 3; i++)
        assert_int_equal(many[i].id, 0);

    h.id = 1;
    expect_rc(t, hero_update(&t->cx, t->conn, &h), SM_INVALID);
    expect_bad_hero_errors(sm_cx_errors(&t->cx));

    HeroUpdate u = HERO_UPDATE_INIT;
    u.has_name = true;
    u.name = "";
    u.has_age = true;
    u.age = 500;
    expect_rc(t, hero_patch(&t->cx, t->conn, 1, &u), SM_INVALID);
    tdb_errors_are(sm_cx_errors(&t->cx), "age", "out_of_range", NULL);
    tdb_trace_stop(t);
    /* Nothing reached the database. */
    assert_int_equal(tr.total, 0);
    assert_int_equal(tdb_count(t, "hero"), 0);

    /* The next successful call clears the errors. */
    Hero ok = hero("Deadpond", "Dive Wilson");
    expect_ok(t, hero_insert(&t->cx, t->conn, &ok));
    assert_int_equal(sm_cx_errors(&t->cx)->len, 0);
    assert_string_equal(sm_cx_errmsg(&t->cx), "");
}

static void test_before_sql(void **state)
{
    (void)state;
    tdb_each(create_both, before_sql);
}

static void validate_fn(tdb *t)
{
    Hero h = bad_hero(t);
    assert_int_equal(hero_validate(&h, &t->errs), SM_INVALID);
    expect_bad_hero_errors(&t->errs);
    /* Errors are appended, never reset. */
    assert_int_equal(hero_validate(&h, &t->errs), SM_INVALID);
    assert_int_equal(t->errs.len, 8);
    tdb_error_is(&t->errs, 4, "name", "too_long");
    sm_errors_clear(&t->errs);

    Hero ok = hero("Spider-Boy", "Pedro Parqueador");
    assert_int_equal(hero_validate(&ok, &t->errs), SM_OK);
    assert_int_equal(t->errs.len, 0);
    /* NULL errs: only the verdict. */
    assert_int_equal(hero_validate(&h, NULL), SM_INVALID);
    assert_int_equal(hero_validate(&ok, NULL), SM_OK);

    /* Bounds are inclusive where declared so: 0 and 200 are fine, a name
     * of exactly 100 characters too (counted as characters, not bytes). */
    ok.age = 0;
    ok.has_age = true;
    assert_int_equal(hero_validate(&ok, NULL), SM_OK);
    ok.age = 200;
    ok.name = tdb_repeat(t, "\xc3\xa9", 100);
    assert_int_equal(hero_validate(&ok, NULL), SM_OK);
    expect_ok(t, hero_insert(&t->cx, t->conn, &ok));
    Hero got;
    expect_ok(t, hero_get(&t->cx, t->conn, ok.id, &got, &t->arena));
    assert_string_equal(got.name, ok.name);
    ok.name = tdb_repeat(t, "\xc3\xa9", 101);
    assert_int_equal(hero_validate(&ok, &t->errs), SM_INVALID);
    tdb_errors_are(&t->errs, "name", "too_long", NULL);
    sm_errors_clear(&t->errs);

    /* Invalid UTF-8 is a type error, whatever the length. */
    ok.name = "caf\xc3";
    ok.secret_name = "\xed\xa0\x80"; /* a UTF-16 surrogate */
    assert_int_equal(hero_validate(&ok, &t->errs), SM_INVALID);
    tdb_errors_are(&t->errs, "name", "type", "secret_name", "type", NULL);

    /* Data models validate the same way. */
    HeroCreate c = HERO_CREATE_INIT;
    sm_errors_clear(&t->errs);
    assert_int_equal(hero_create_validate(&c, &t->errs), SM_INVALID);
    tdb_errors_are(&t->errs, "name", "required", "secret_name", "required", NULL);
}

static void test_validate_fn(void **state)
{
    (void)state;
    tdb_each(create_both, validate_fn);
}

/* A validation error inside a transaction does not fail it. */
static void in_transaction(tdb *t)
{
    expect_ok(t, sm_begin(&t->cx, t->conn));
    Hero a = hero("Deadpond", "Dive Wilson");
    expect_ok(t, hero_insert(&t->cx, t->conn, &a));
    Hero bad = bad_hero(t);
    expect_rc(t, hero_insert(&t->cx, t->conn, &bad), SM_INVALID);
    Hero many[2] = {hero("x", "y"), bad_hero(t)};
    expect_rc(t, hero_insert_many(&t->cx, t->conn, many, 2), SM_INVALID);
    bad.id = a.id;
    expect_rc(t, hero_update(&t->cx, t->conn, &bad), SM_INVALID);
    assert_true(sm_in_transaction(t->conn));
    Hero b = hero("Spider-Boy", "Pedro Parqueador");
    expect_ok(t, hero_insert(&t->cx, t->conn, &b));
    expect_ok(t, sm_commit(&t->cx, t->conn));
    assert_int_equal(tdb_count(t, "hero"), 2);
    Hero got;
    expect_ok(t, hero_get(&t->cx, t->conn, a.id, &got, &t->arena));
    assert_string_equal(got.name, "Deadpond");
}

static void test_in_transaction(void **state)
{
    (void)state;
    tdb_each(create_both, in_transaction);
}

/* ---- Every attribute of Account ---------------------------------------------------- */

static void account_attributes(tdb *t)
{
    Account a = account("not an email", "x");
    a.nickname = "";
    a.score = 1000;
    a.ratio = 1.5;
    a.balance = -1;
    a.level = 0;
    a.nick = "root";
    expect_rc(t, account_insert(&t->cx, t->conn, &a), SM_INVALID);
    const sm_errors *e = sm_cx_errors(&t->cx);
    /* JSON keys name the fields: handle is "handle_code". */
    tdb_errors_are(e, "email", "pattern", "handle_code", "too_short", "handle_code", "pattern",
                   "nickname", "too_short", "score", "out_of_range", "ratio", "out_of_range",
                   "balance", "out_of_range", "level", "out_of_range", "nick", "check", NULL);
    assert_string_equal(msg_of(e, 4), "must be < 1000");
    assert_string_equal(msg_of(e, 5), "must be <= 1");
    assert_string_equal(msg_of(e, 6), "must be >= 0.00");
    assert_string_equal(msg_of(e, 8), "is reserved");
    /* Nothing was filled in: the uuid() and now() fields are still zero. */
    static const sm_uuid zero;
    assert_memory_equal(&a.id, &zero, sizeof zero);
    assert_int_equal(a.created_at, 0);

    /* The other side of each bound. */
    a = account("a@b.co", "ABCDEFGH");
    a.nickname = tdb_repeat(t, "\xf0\x9f\x98\x80", 30); /* 30 characters, 120 bytes */
    a.score = 999;
    a.ratio = 1.0;
    a.balance = 0;
    a.level = 99;
    a.nick = "bob";
    assert_int_equal(account_validate(&a, NULL), SM_OK);
    expect_ok(t, account_insert(&t->cx, t->conn, &a));
    Account got;
    expect_ok(t, account_get(&t->cx, t->conn, a.id, &got, &t->arena));
    assert_string_equal(got.nickname, a.nickname);
    a.score = -1;
    a.ratio = -0.0001;
    a.level = 100;
    a.handle = "ABCDEFGHI";
    a.nickname = tdb_repeat(t, "\xf0\x9f\x98\x80", 31);
    a.nick = "bob smith";
    assert_int_equal(account_validate(&a, &t->errs), SM_INVALID);
    tdb_errors_are(&t->errs, "handle_code", "too_long", "nickname", "too_long", "score",
                   "out_of_range", "ratio", "out_of_range", "level", "out_of_range", "nick",
                   "check", NULL);
    assert_string_equal(msg_of(&t->errs, 2), "must be > -1");
    assert_string_equal(msg_of(&t->errs, 5), "must not contain a space");
    sm_errors_clear(&t->errs);

    /* Non-finite floats, missing text, a time past midnight, a bad enum. */
    a = account(NULL, "AB");
    a.ratio = NAN;
    a.settings = NULL;
    a.secret = NULL;
    a.nick = NULL;
    a.wake = INT64_C(86400000000);
    a.color = (Color)3;
    assert_int_equal(account_validate(&a, &t->errs), SM_INVALID);
    /* secret is @json(skip): named as declared. */
    tdb_errors_are(&t->errs, "email", "required", "ratio", "finite", "color", "enum", "wake",
                   "out_of_range", "settings", "required", "secret", "required", "nick", "required",
                   NULL);
    sm_errors_clear(&t->errs);
    a = account("a@b.co", "AB");
    a.ratio = -INFINITY;
    assert_int_equal(account_validate(&a, &t->errs), SM_INVALID);
    tdb_errors_are(&t->errs, "ratio", "finite", NULL);
    sm_errors_clear(&t->errs);

    /* The check_fn runs only on a non-null value that passed the rest. */
    a = account("a@b.co", "AB");
    a.nick = "admin";
    assert_int_equal(account_validate(&a, &t->errs), SM_INVALID);
    tdb_errors_are(&t->errs, "nick", "check", NULL);
    sm_errors_clear(&t->errs);
    a.nick = "adm\xff";
    assert_int_equal(account_validate(&a, &t->errs), SM_INVALID);
    tdb_errors_are(&t->errs, "nick", "type", NULL);
    sm_errors_clear(&t->errs);

    /* Plan: a text length and a decimal bound. */
    Plan p = PLAN_INIT;
    p.name = tdb_repeat(t, "n", 41);
    p.price = -1;
    expect_rc(t, plan_insert(&t->cx, t->conn, &p), SM_INVALID);
    tdb_errors_are(sm_cx_errors(&t->cx), "name", "too_long", "price", "out_of_range", NULL);
    assert_int_equal(tdb_count(t, "plan"), 0);

    /* decimal(8, 2) holds 8 digits: 999999.99 goes in, 1000000.00 is
     * refused before any SQL (PostgreSQL and MySQL would refuse it with
     * their own error, SQLite would store it), and so is its negative. */
    p = (Plan)PLAN_INIT;
    p.name = "max";
    p.price = 99999999;
    expect_ok(t, plan_insert(&t->cx, t->conn, &p));
    p.id = 0;
    p.price = 100000000;
    expect_rc(t, plan_insert(&t->cx, t->conn, &p), SM_INVALID);
    tdb_errors_are(sm_cx_errors(&t->cx), "price", "out_of_range", NULL);
    assert_int_equal(plan_validate(&p, &t->errs), SM_INVALID);
    assert_string_equal(t->errs.items[0].msg, "must have at most 8 digits, 2 of them decimals");
    sm_errors_clear(&t->errs);
    Account big = account("b@b.co", "BB");
    big.balance = -INT64_C(1000000000000); /* decimal(12, 2): -10000000000.00 */
    assert_int_equal(account_validate(&big, &t->errs), SM_INVALID);
    tdb_errors_are(&t->errs, "balance", "out_of_range", NULL);
    sm_errors_clear(&t->errs);
    assert_int_equal(tdb_count(t, "plan"), 1);
    assert_int_equal(tdb_count(t, "accounts"), 1);
}

static void test_account_attributes(void **state)
{
    (void)state;
    tdb_each(create_both, account_attributes);
}

/* Bytes: a non-null field may be empty, but never claim bytes it lacks. */
static void bytes_shape(tdb *t)
{
    Everything e = EVERYTHING_INIT;
    e.t = "";
    e.j = "{}";
    assert_int_equal(everything_validate(&e, NULL), SM_OK);
    e.by.len = 5;
    e.nby.len = 2;
    assert_int_equal(everything_validate(&e, &t->errs), SM_INVALID);
    tdb_errors_are(&t->errs, "by", "type", NULL);
    e.by.len = 0;
    expect_ok(t, everything_insert(&t->cx, t->conn, &e));
}

static void test_bytes_shape(void **state)
{
    (void)state;
    tdb_each(alltypes_create_all, bytes_shape);
}

/* ---- Nested data models ---------------------------------------------------------------- */

static void nested(tdb *t)
{
    Address others[3] = {ADDRESS_INIT, ADDRESS_INIT, ADDRESS_INIT};
    others[0].street = "1 Main St";
    others[0].city = "Springfield";
    others[0].zip = "1234";
    others[1].street = "2 Side St";
    others[1].city = "";
    others[2].street = NULL;
    others[2].city = "Shelbyville";
    others[2].zip = "54321";
    Customer c = CUSTOMER_INIT;
    c.name = "Ann";
    c.home.street = "3 Home Rd";
    c.home.city = NULL;
    c.has_work = true;
    c.work.street = "4 Work Ave";
    c.work.city = "Capital City";
    c.work.zip = "abcde";
    c.others.items = others;
    c.others.len = 3;
    assert_int_equal(customer_validate(&c, &t->errs), SM_INVALID);
    tdb_errors_are(&t->errs, "home.city", "required", "work.zip", "pattern", "others[0].zip",
                   "pattern", "others[1].city", "too_short", "others[2].street", "required", NULL);
    sm_errors_clear(&t->errs);

    /* An absent work address is not validated; fixed ones pass. */
    c.has_work = false;
    c.home.city = "Springfield";
    others[0].zip = "12345";
    others[1].city = "Ogdenville";
    others[2].street = "5 Last Ln";
    assert_int_equal(customer_validate(&c, &t->errs), SM_OK);
    assert_int_equal(t->errs.len, 0);
    /* A list that claims items it does not have. */
    c.others.items = NULL;
    assert_int_equal(customer_validate(&c, &t->errs), SM_INVALID);
    tdb_errors_are(&t->errs, "others", "type", NULL);
}

static void test_nested(void **state)
{
    (void)state;
    tdb_each(NULL, nested);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_before_sql),
        cmocka_unit_test(test_validate_fn),
        cmocka_unit_test(test_in_transaction),
        cmocka_unit_test(test_account_attributes),
        cmocka_unit_test(test_bytes_shape),
        cmocka_unit_test(test_nested),
    };
    return tdb_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
