/*
 * test_defaults.c: defaults of alltypes' Account, Membership and Plan on
 * every dialect.  A row written by raw SQL with only the required columns
 * takes the DDL DEFAULTs, and each must equal the ACCOUNT_INIT default
 * the generated code uses; uuid() and now() fields are filled by _insert
 * when zero and written back, kept when given; _update writes back
 * @updated_at; _patch sets and clears single fields.
 */
#include "tdb.h"

#include "alltypes.h"

#define US_PER_SEC INT64_C(1000000)
#define US_PER_DAY INT64_C(86400000000)

static const sm_uuid zero_uuid;

static Account account(const char *email, const char *handle)
{
    Account a = ACCOUNT_INIT;
    a.email = email;
    a.handle = handle;
    return a;
}

static bool is_zero_uuid(const sm_uuid *u)
{
    return memcmp(u, &zero_uuid, sizeof *u) == 0;
}

static void assert_bytes(sm_bytes got, sm_bytes want)
{
    assert_int_equal(got.data == NULL, want.data == NULL);
    assert_int_equal(got.len, want.len);
    if (want.len)
        assert_memory_equal(got.data, want.data, want.len);
}

/* Every column but the uuid() and now() ones. */
static void assert_account(const Account *got, const Account *want)
{
    assert_string_equal(got->email, want->email);
    assert_string_equal(got->handle, want->handle);
    if (want->nickname)
        assert_string_equal(got->nickname, want->nickname);
    else
        assert_null(got->nickname);
    assert_int_equal(got->score, want->score);
    assert_true(got->ratio == want->ratio);
    assert_int_equal(got->balance, want->balance);
    assert_int_equal(got->level, want->level);
    assert_int_equal(got->color, want->color);
    assert_int_equal(got->active, want->active);
    assert_int_equal(got->has_born, want->has_born);
    if (want->has_born)
        assert_int_equal(got->born, want->born);
    assert_int_equal(got->wake, want->wake);
    assert_int_equal(got->has_seen, want->has_seen);
    if (want->has_seen)
        assert_int_equal(got->seen, want->seen);
    assert_bytes(got->avatar, want->avatar);
    assert_string_equal(got->settings, want->settings);
    assert_string_equal(got->secret, want->secret);
    assert_string_equal(got->nick, want->nick);
    assert_int_equal(got->has_plan_id, want->has_plan_id);
    if (want->has_plan_id)
        assert_int_equal(got->plan_id, want->plan_id);
}

/* The key of the only account with this email, read by raw SQL. */
static sm_uuid account_id(tdb *t, const char *email)
{
    sm_value p = sm_text(email);
    const char *s = tdb_text(t, "SELECT \"id\" FROM \"accounts\" WHERE \"email\" = ?", &p, 1);
    assert_non_null(s);
    sm_uuid u;
    if (sm_uuid_parse(s, strlen(s), &u) != SM_OK)
        fail_msg("on %s: the default id '%s' is not a uuid", t->name, s);
    return u;
}

static void ddl_defaults(tdb *t)
{
    sm_value p[2] = {sm_text("ddl@example.com"), sm_text("DDL1")};
    sm_datetime before = sm_datetime_now();
    expect_ok(t, tdb_exec(t, "INSERT INTO \"accounts\" (\"email\", \"handle_code\") VALUES (?, ?)",
                          p, 2));
    sm_datetime after = sm_datetime_now();
    sm_uuid id = account_id(t, "ddl@example.com");
    assert_false(is_zero_uuid(&id));

    Account got;
    expect_ok(t, account_get(&t->cx, t->conn, id, &got, &t->arena));
    /* Every DDL DEFAULT equals the ACCOUNT_INIT default. */
    Account want = account("ddl@example.com", "DDL1");
    assert_account(&got, &want);
    assert_memory_equal(&got.id, &id, sizeof id);
    /* now() in the database: the clock of the same machine, the database's
     * precision (SQLite's DEFAULT has milliseconds). */
    assert_true(got.created_at >= before - 2 * US_PER_SEC);
    assert_true(got.created_at <= after + 2 * US_PER_SEC);
    assert_true(got.updated_at >= before - 2 * US_PER_SEC);
    assert_true(got.updated_at <= after + 2 * US_PER_SEC);

    /* Two rows get two different uuid() keys from the database. */
    p[0] = sm_text("ddl2@example.com");
    p[1] = sm_text("DDL2");
    expect_ok(t, tdb_exec(t, "INSERT INTO \"accounts\" (\"email\", \"handle_code\") VALUES (?, ?)",
                          p, 2));
    sm_uuid id2 = account_id(t, "ddl2@example.com");
    assert_memory_not_equal(&id, &id2, sizeof id);

    /* Membership.since: date now() in the DDL, today in UTC. */
    Plan plan = PLAN_INIT;
    plan.name = "basic";
    plan.price = 500;
    expect_ok(t, plan_insert(&t->cx, t->conn, &plan));
    char idtxt[SM_UUID_BUFSZ];
    sm_uuid_format(&id, idtxt);
    sm_value m[2] = {sm_text(idtxt), sm_int(plan.id)};
    sm_date today = (sm_date)(sm_datetime_now() / US_PER_DAY);
    expect_ok(t,
              tdb_exec(t, "INSERT INTO \"membership\" (\"account_id\", \"plan_id\") VALUES (?, ?)",
                       m, 2));
    Membership mg;
    expect_ok(t, membership_get(&t->cx, t->conn, id, plan.id, &mg, &t->arena));
    /* Around midnight the day may have turned in between. */
    assert_true(mg.since == today || mg.since == today + 1);

    /* Plan's only default-free nullable enum is NULL, as in PLAN_INIT. */
    Plan pg;
    expect_ok(t, plan_get(&t->cx, t->conn, plan.id, &pg, &t->arena));
    assert_false(pg.has_primary_color);
    assert_int_equal(pg.price, 500);
}

static void test_ddl_defaults(void **state)
{
    (void)state;
    tdb_each(alltypes_create_all, ddl_defaults);
}

static void filled_on_insert(tdb *t)
{
    Account a = account("a@example.com", "AA11");
    sm_datetime before = sm_datetime_now();
    expect_ok(t, account_insert(&t->cx, t->conn, &a));
    sm_datetime after = sm_datetime_now();
    /* uuid() and now() were filled in C and written back. */
    assert_false(is_zero_uuid(&a.id));
    assert_int_equal(a.id.b[6] >> 4, 4);       /* version 4 */
    assert_int_equal(a.id.b[8] & 0xc0, 0x80);  /* RFC 4122 variant */
    assert_true(a.created_at >= before && a.created_at <= after);
    assert_int_equal(a.updated_at, a.created_at);

    Account got;
    expect_ok(t, account_get(&t->cx, t->conn, a.id, &got, &t->arena));
    assert_account(&got, &a);
    assert_memory_equal(&got.id, &a.id, sizeof a.id);
    assert_int_equal(got.created_at, a.created_at);
    assert_int_equal(got.updated_at, a.updated_at);

    /* Given values are kept: a uuid, and datetimes long ago. */
    Account b = account("b@example.com", "BB22");
    const char *fixed = "0b7e5a52-4d6e-4f3c-9a8b-1c2d3e4f5a6b";
    assert_int_equal(sm_uuid_parse(fixed, strlen(fixed), &b.id), SM_OK);
    b.created_at = 86400 * US_PER_SEC;
    b.updated_at = 2 * 86400 * US_PER_SEC;
    Account bcopy = b;
    expect_ok(t, account_insert(&t->cx, t->conn, &b));
    assert_memory_equal(&b.id, &bcopy.id, sizeof b.id);
    assert_int_equal(b.created_at, bcopy.created_at);
    expect_ok(t, account_get(&t->cx, t->conn, b.id, &got, &t->arena));
    assert_int_equal(got.created_at, 86400 * US_PER_SEC);
    assert_int_equal(got.updated_at, 2 * 86400 * US_PER_SEC);

    /* _insert never swaps a zero for a constant default: score 0 and
     * active false are written as given, not as the DDL's defaults. */
    Account c = account("c@example.com", "CC33");
    c.active = false;
    c.ratio = 0;
    c.balance = 0;
    c.has_born = false;
    c.has_seen = false;
    c.avatar = (sm_bytes){NULL, 0};
    c.settings = "null";
    c.secret = "s3cret";
    expect_ok(t, account_insert(&t->cx, t->conn, &c));
    expect_ok(t, account_get(&t->cx, t->conn, c.id, &got, &t->arena));
    assert_account(&got, &c);
    assert_false(got.active);
    assert_false(got.has_born);
    assert_null(got.avatar.data);

    /* Membership.since: a date now(), filled with today (UTC). */
    Plan plan = PLAN_INIT;
    plan.name = "basic";
    plan.price = 500;
    expect_ok(t, plan_insert(&t->cx, t->conn, &plan));
    assert_true(plan.id > 0);
    Membership m = MEMBERSHIP_INIT;
    m.account_id = a.id;
    m.plan_id = plan.id;
    sm_date today = (sm_date)(sm_datetime_now() / US_PER_DAY);
    expect_ok(t, membership_insert(&t->cx, t->conn, &m));
    assert_true(m.since == today || m.since == today + 1);
    Membership mg;
    expect_ok(t, membership_get(&t->cx, t->conn, a.id, plan.id, &mg, &t->arena));
    assert_int_equal(mg.since, m.since);
}

static void test_filled_on_insert(void **state)
{
    (void)state;
    tdb_each(alltypes_create_all, filled_on_insert);
}

static void updated_at(tdb *t)
{
    Account a = account("a@example.com", "AA11");
    expect_ok(t, account_insert(&t->cx, t->conn, &a));
    sm_datetime created = a.created_at;
    a.score = 10;
    a.created_at = created;
    sm_datetime before = sm_datetime_now();
    expect_ok(t, account_update(&t->cx, t->conn, &a));
    /* @updated_at was set and written back; created_at is as given. */
    assert_true(a.updated_at >= before);
    assert_int_equal(a.created_at, created);
    Account got;
    expect_ok(t, account_get(&t->cx, t->conn, a.id, &got, &t->arena));
    assert_int_equal(got.updated_at, a.updated_at);
    assert_int_equal(got.created_at, created);
    assert_int_equal(got.score, 10);

    /* A failed update restores updated_at. */
    Account b = account("b@example.com", "BB22");
    expect_ok(t, account_insert(&t->cx, t->conn, &b));
    sm_datetime old = b.updated_at;
    b.email = "a@example.com";
    expect_rc(t, account_update(&t->cx, t->conn, &b), SM_CONSTRAINT);
    assert_int_equal(b.updated_at, old);
    /* So does an update of a row that is gone. */
    b.email = "b@example.com";
    expect_ok(t, account_delete(&t->cx, t->conn, b.id));
    expect_rc(t, account_update(&t->cx, t->conn, &b), SM_NOTFOUND);
    assert_int_equal(b.updated_at, old);
}

static void test_updated_at(void **state)
{
    (void)state;
    tdb_each(alltypes_create_all, updated_at);
}

static void patch(tdb *t)
{
    Account a = account("a@example.com", "AA11");
    a.nickname = "Andy";
    expect_ok(t, account_insert(&t->cx, t->conn, &a));
    Account want = a;

    /* Pointer-shaped nullable fields: has_<f> with NULL sets NULL. */
    AccountPatch p = ACCOUNT_PATCH_INIT;
    p.has_nickname = true;
    p.nickname = NULL;
    p.has_avatar = true;
    p.avatar = (sm_bytes){NULL, 0};
    /* Others: <f>_null. */
    p.has_born = true;
    p.born_null = true;
    p.has_seen = true;
    p.seen_null = true;
    p.score = 7;
    p.has_score = true;
    p.color = COLOR_RED;
    p.has_color = true;
    want.nickname = NULL;
    want.avatar = (sm_bytes){NULL, 0};
    want.has_born = false;
    want.has_seen = false;
    want.score = 7;
    want.color = COLOR_RED;
    sm_datetime before = sm_datetime_now();
    expect_ok(t, account_patch(&t->cx, t->conn, a.id, &p));
    Account got;
    expect_ok(t, account_get(&t->cx, t->conn, a.id, &got, &t->arena));
    assert_account(&got, &want);
    /* Every patch writes @updated_at, as _update does; created_at stays. */
    assert_true(got.updated_at >= before);
    assert_int_equal(got.created_at, a.created_at);

    /* Setting them back to values; empty bytes are not NULL. */
    p = (AccountPatch)ACCOUNT_PATCH_INIT;
    p.has_nickname = true;
    p.nickname = "\xf0\x9f\x98\x80";
    p.has_avatar = true;
    p.avatar = (sm_bytes){(const uint8_t *)"", 0};
    p.has_born = true;
    p.born = sm_date_from_ymd(1990, 6, 15);
    p.has_wake = true;
    p.wake = INT64_C(21600000001);
    p.has_settings = true;
    p.settings = "[1,2,3]";
    expect_ok(t, account_patch(&t->cx, t->conn, a.id, &p));
    want.nickname = p.nickname;
    want.avatar = p.avatar;
    want.has_born = true;
    want.born = p.born;
    want.wake = p.wake;
    want.settings = "[1,2,3]";
    expect_ok(t, account_get(&t->cx, t->conn, a.id, &got, &t->arena));
    assert_account(&got, &want);

    /* Non-nullable fields set to NULL: "required", nothing written. */
    p = (AccountPatch)ACCOUNT_PATCH_INIT;
    p.has_email = true;
    p.email = NULL;
    p.has_settings = true;
    p.settings = NULL;
    p.has_score = true;
    p.score = 1;
    expect_rc(t, account_patch(&t->cx, t->conn, a.id, &p), SM_INVALID);
    tdb_errors_are(sm_cx_errors(&t->cx), "email", "required", "settings", "required", NULL);
    expect_ok(t, account_get(&t->cx, t->conn, a.id, &got, &t->arena));
    assert_account(&got, &want);

    /* A key of another type: the uuid of a missing row. */
    sm_uuid other;
    assert_int_equal(sm_uuid_v4(&other), SM_OK);
    p = (AccountPatch)ACCOUNT_PATCH_INIT;
    p.has_score = true;
    p.score = 3;
    expect_rc(t, account_patch(&t->cx, t->conn, other, &p), SM_NOTFOUND);
}

static void test_patch(void **state)
{
    (void)state;
    tdb_each(alltypes_create_all, patch);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ddl_defaults),
        cmocka_unit_test(test_filled_on_insert),
        cmocka_unit_test(test_updated_at),
        cmocka_unit_test(test_patch),
    };
    return tdb_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
