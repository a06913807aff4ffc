/*
 * test_constraints.c: constraint violations through the generated code
 * and through raw SQL, on every dialect: unique, foreign keys (missing
 * parent; on_delete set_null and cascade actually happen), enum and table
 * CHECKs, NOT NULL; each reported as SM_CONSTRAINT with the kind and the
 * constraint name or columns, and the caller's object left as it was.
 */
#include "tdb.h"

#include "alltypes.h"
#include "heroes.h"

static Team team(const char *name, const char *hq)
{
    Team t = TEAM_INIT;
    t.name = name;
    t.headquarters = hq;
    return t;
}

static Hero hero(const char *name, const char *secret)
{
    Hero h = HERO_INIT;
    h.name = name;
    h.secret_name = secret;
    return h;
}

static int create_both(sm_cx *cx, sm_conn *conn)
{
    int rc = heroes_create_all(cx, conn);
    return rc == SM_OK ? alltypes_create_all(cx, conn) : rc;
}

/* ---- Unique ---------------------------------------------------------------------- */

static void unique(tdb *t)
{
    Team a = team("Preventers", "Sharp Tower");
    expect_ok(t, team_insert(&t->cx, t->conn, &a));
    Team b = team("Preventers", "Elsewhere");
    expect_rc(t, team_insert(&t->cx, t->conn, &b), SM_CONSTRAINT);
    tdb_constraint_is(t, SM_CK_UNIQUE, "uq_teams_name", "name");
    /* The failed insert left the object as it was: no id, no created_at. */
    assert_int_equal(b.id, 0);
    assert_int_equal(b.created_at, 0);
    assert_int_equal(tdb_count(t, "teams"), 1);

    /* Unique text compares bytes on every dialect: case, spaces and
     * Unicode normal forms make different names. */
    Team near[4] = {team("preventers", "a"), team("Preventers ", "b"), team(" Preventers", "c"),
                    team("Pre\xcc\x81venters", "d")};
    expect_ok(t, team_insert_many(&t->cx, t->conn, near, 4));
    for (int i = 0; i < 4; i++) {
        Team g;
        expect_ok(t, team_get(&t->cx, t->conn, near[i].id, &g, &t->arena));
        assert_string_equal(g.name, near[i].name);
    }
    for (int i = 0; i < 4; i++)
        expect_ok(t, team_delete(&t->cx, t->conn, near[i].id));

    /* Through update and insert_many too. */
    Team c = team("Z-Force", "Sister Margaret's Bar");
    expect_ok(t, team_insert(&t->cx, t->conn, &c));
    c.name = "Preventers";
    expect_rc(t, team_update(&t->cx, t->conn, &c), SM_CONSTRAINT);
    tdb_constraint_is(t, SM_CK_UNIQUE, "uq_teams_name", "name");
    Team many[2] = {team("New", "x"), team("Preventers", "y")};
    expect_rc(t, team_insert_many(&t->cx, t->conn, many, 2), SM_CONSTRAINT);
    tdb_constraint_is(t, SM_CK_UNIQUE, "uq_teams_name", "name");
    assert_int_equal(many[0].id, 0);
    assert_int_equal(many[0].created_at, 0);
    assert_int_equal(tdb_count(t, "teams"), 2);

    /* A two-column unique (handle, color) and a single one (email). */
    Account x = ACCOUNT_INIT;
    x.email = "x@example.com";
    x.handle = "AB12";
    expect_ok(t, account_insert(&t->cx, t->conn, &x));
    Account y = ACCOUNT_INIT;
    y.email = "y@example.com";
    y.handle = "AB12";
    expect_rc(t, account_insert(&t->cx, t->conn, &y), SM_CONSTRAINT);
    tdb_constraint_is(t, SM_CK_UNIQUE, "uq_accounts_handle_code_color", "handle_code, color");
    /* The uuid() and now() the insert filled in were taken back. */
    static const sm_uuid zero;
    assert_memory_equal(&y.id, &zero, sizeof zero);
    assert_int_equal(y.created_at, 0);
    assert_int_equal(y.updated_at, 0);
    y.color = COLOR_BLUE;
    expect_ok(t, account_insert(&t->cx, t->conn, &y));
    Account z = ACCOUNT_INIT;
    z.email = "x@example.com";
    z.handle = "CD34";
    expect_rc(t, account_insert(&t->cx, t->conn, &z), SM_CONSTRAINT);
    tdb_constraint_is(t, SM_CK_UNIQUE, "uq_accounts_email", "email");

    /* Through patch. */
    AccountPatch p = ACCOUNT_PATCH_INIT;
    p.email = "x@example.com";
    p.has_email = true;
    expect_rc(t, account_patch(&t->cx, t->conn, y.id, &p), SM_CONSTRAINT);
    tdb_constraint_is(t, SM_CK_UNIQUE, "uq_accounts_email", "email");
    assert_int_equal(tdb_count(t, "accounts"), 2);
}

static void test_unique(void **state)
{
    (void)state;
    tdb_each(create_both, unique);
}

/* ---- Foreign keys ---------------------------------------------------------------------- */

static void fk_missing_parent(tdb *t)
{
    Hero h = hero("Deadpond", "Dive Wilson");
    h.team_id = 9999;
    h.has_team_id = true;
    expect_rc(t, hero_insert(&t->cx, t->conn, &h), SM_CONSTRAINT);
    tdb_constraint_is(t, SM_CK_FK, "fk_hero_team_id", "team_id");
    assert_int_equal(h.id, 0);
    assert_int_equal(tdb_count(t, "hero"), 0);

    /* Through update and patch of an existing row. */
    h.has_team_id = false;
    expect_ok(t, hero_insert(&t->cx, t->conn, &h));
    h.has_team_id = true;
    expect_rc(t, hero_update(&t->cx, t->conn, &h), SM_CONSTRAINT);
    tdb_constraint_is(t, SM_CK_FK, "fk_hero_team_id", "team_id");
    HeroUpdate u = HERO_UPDATE_INIT;
    u.team_id = 12345;
    u.has_team_id = true;
    expect_rc(t, hero_patch(&t->cx, t->conn, h.id, &u), SM_CONSTRAINT);
    tdb_constraint_is(t, SM_CK_FK, "fk_hero_team_id", "team_id");
    Hero got;
    expect_ok(t, hero_get(&t->cx, t->conn, h.id, &got, &t->arena));
    assert_false(got.has_team_id);

    /* A table with two foreign keys. */
    Team p = team("Preventers", "Sharp Tower");
    expect_ok(t, team_insert(&t->cx, t->conn, &p));
    HeroTeamLink l = HERO_TEAM_LINK_INIT;
    l.hero_id = h.id;
    l.team_id = p.id + 100;
    expect_rc(t, hero_team_link_insert(&t->cx, t->conn, &l), SM_CONSTRAINT);
    const sm_constraint *c = sm_cx_constraint(&t->cx);
    assert_int_equal(c->kind, SM_CK_FK);
    if (t->d == SM_SQLITE) {
        /* SQLite names no failed foreign key: every FK column is listed. */
        assert_null(c->name);
        assert_string_equal(c->columns, "hero_id, team_id");
    } else {
        tdb_constraint_is(t, SM_CK_FK, "fk_hero_team_link_team_id", "team_id");
    }

    /* Deleting a referenced parent with on_delete restrict. */
    Plan plan = PLAN_INIT;
    plan.name = "basic";
    plan.price = 999;
    expect_ok(t, plan_insert(&t->cx, t->conn, &plan));
    Account a = ACCOUNT_INIT;
    a.email = "a@example.com";
    a.handle = "AA11";
    expect_ok(t, account_insert(&t->cx, t->conn, &a));
    Membership m = MEMBERSHIP_INIT;
    m.account_id = a.id;
    m.plan_id = plan.id;
    expect_ok(t, membership_insert(&t->cx, t->conn, &m));
    expect_rc(t, plan_delete(&t->cx, t->conn, plan.id), SM_CONSTRAINT);
    assert_int_equal(sm_cx_constraint(&t->cx)->kind, SM_CK_FK);
    assert_int_equal(tdb_count(t, "plan"), 1);
}

static void test_fk_missing_parent(void **state)
{
    (void)state;
    tdb_each(create_both, fk_missing_parent);
}

static void fk_actions(tdb *t)
{
    Team z = team("Z-Force", "Sister Margaret's Bar");
    Team p = team("Preventers", "Sharp Tower");
    expect_ok(t, team_insert(&t->cx, t->conn, &z));
    expect_ok(t, team_insert(&t->cx, t->conn, &p));
    Hero deadpond = hero("Deadpond", "Dive Wilson");
    deadpond.team_id = z.id;
    deadpond.has_team_id = true;
    Hero rusty = hero("Rusty-Man", "Tommy Sharp");
    rusty.team_id = p.id;
    rusty.has_team_id = true;
    expect_ok(t, hero_insert(&t->cx, t->conn, &deadpond));
    expect_ok(t, hero_insert(&t->cx, t->conn, &rusty));
    HeroTeamLink links[3] = {{deadpond.id, z.id, false}, {deadpond.id, p.id, true},
                             {rusty.id, p.id, false}};
    expect_ok(t, hero_team_link_insert_many(&t->cx, t->conn, links, 3));

    /* on_delete: set_null: Deadpond stays, without a team. */
    expect_ok(t, team_delete(&t->cx, t->conn, z.id));
    Hero got;
    expect_ok(t, hero_get(&t->cx, t->conn, deadpond.id, &got, &t->arena));
    assert_false(got.has_team_id);
    assert_string_equal(got.name, "Deadpond");
    expect_ok(t, hero_get(&t->cx, t->conn, rusty.id, &got, &t->arena));
    assert_true(got.has_team_id);
    assert_int_equal(got.team_id, p.id);

    /* on_delete: cascade: the team's link row went with it. */
    HeroTeamLink l;
    expect_rc(t, hero_team_link_get(&t->cx, t->conn, deadpond.id, z.id, &l, &t->arena),
              SM_NOTFOUND);
    assert_int_equal(tdb_count(t, "hero_team_link"), 2);

    /* Deleting a hero cascades to its links. */
    expect_ok(t, hero_delete(&t->cx, t->conn, deadpond.id));
    expect_rc(t, hero_team_link_get(&t->cx, t->conn, deadpond.id, p.id, &l, &t->arena),
              SM_NOTFOUND);
    expect_ok(t, hero_team_link_get(&t->cx, t->conn, rusty.id, p.id, &l, &t->arena));
    assert_int_equal(tdb_count(t, "hero_team_link"), 1);

    /* Deleting the last team: Rusty-Man loses it, the last link goes. */
    expect_ok(t, team_delete(&t->cx, t->conn, p.id));
    expect_ok(t, hero_get(&t->cx, t->conn, rusty.id, &got, &t->arena));
    assert_false(got.has_team_id);
    assert_int_equal(tdb_count(t, "hero_team_link"), 0);
    assert_int_equal(tdb_count(t, "hero"), 1);

    /* alltypes: set_null and cascade from plan and account. */
    Plan plan = PLAN_INIT;
    plan.name = "gold";
    plan.price = 1999;
    Plan other = PLAN_INIT;
    other.name = "silver";
    other.price = 999;
    expect_ok(t, plan_insert(&t->cx, t->conn, &plan));
    expect_ok(t, plan_insert(&t->cx, t->conn, &other));
    Account a = ACCOUNT_INIT;
    a.email = "a@example.com";
    a.handle = "AA11";
    a.plan_id = other.id;
    a.has_plan_id = true;
    expect_ok(t, account_insert(&t->cx, t->conn, &a));
    Membership m = MEMBERSHIP_INIT;
    m.account_id = a.id;
    m.plan_id = plan.id;
    expect_ok(t, membership_insert(&t->cx, t->conn, &m));
    expect_ok(t, plan_delete(&t->cx, t->conn, other.id));
    Account ag;
    expect_ok(t, account_get(&t->cx, t->conn, a.id, &ag, &t->arena));
    assert_false(ag.has_plan_id);
    expect_ok(t, account_delete(&t->cx, t->conn, a.id));
    assert_int_equal(tdb_count(t, "membership"), 0);
    /* With no membership left, the restricted plan may go. */
    expect_ok(t, plan_delete(&t->cx, t->conn, plan.id));
}

static void test_fk_actions(void **state)
{
    (void)state;
    tdb_each(create_both, fk_actions);
}

/* ---- CHECK and NOT NULL through raw SQL ------------------------------------------------ */

static void checks(tdb *t)
{
    /* The enum CHECK: generated code validates first, raw SQL does not. */
    sm_value bad[3] = {sm_text("Deadpond"), sm_text("Dive Wilson"), sm_text("teleport")};
    expect_rc(t,
              tdb_exec(t,
                       "INSERT INTO \"hero\" (\"name\", \"secret_name\", \"power\") "
                       "VALUES (?, ?, ?)",
                       bad, 3),
              SM_CONSTRAINT);
    tdb_constraint_is(t, SM_CK_CHECK, "ck_hero_power", NULL);
    /* Case matters: "Flight" is not a member. */
    bad[2] = sm_text("Flight");
    expect_rc(t,
              tdb_exec(t,
                       "INSERT INTO \"hero\" (\"name\", \"secret_name\", \"power\") "
                       "VALUES (?, ?, ?)",
                       bad, 3),
              SM_CONSTRAINT);
    tdb_constraint_is(t, SM_CK_CHECK, "ck_hero_power", NULL);
    bad[2] = sm_text("speed");
    expect_ok(t, tdb_exec(t,
                          "INSERT INTO \"hero\" (\"name\", \"secret_name\", \"power\") "
                          "VALUES (?, ?, ?)",
                          bad, 3));
    sm_value upd = sm_text("fly");
    expect_rc(t, tdb_exec(t, "UPDATE \"hero\" SET \"power\" = ?", &upd, 1), SM_CONSTRAINT);
    tdb_constraint_is(t, SM_CK_CHECK, "ck_hero_power", NULL);

    /* The table check (score >= 0 and length(nick) > 0). */
    sm_value acc[4] = {sm_text("b@example.com"), sm_text("BB22"), sm_int(-1), sm_text("bee")};
    const char *ins = "INSERT INTO \"accounts\" (\"email\", \"handle_code\", \"score\", \"nick\") "
                      "VALUES (?, ?, ?, ?)";
    expect_rc(t, tdb_exec(t, ins, acc, 4), SM_CONSTRAINT);
    tdb_constraint_is(t, SM_CK_CHECK, "ck_accounts_5f131a01", NULL);
    acc[2] = sm_int(0);
    acc[3] = sm_text("");
    expect_rc(t, tdb_exec(t, ins, acc, 4), SM_CONSTRAINT);
    tdb_constraint_is(t, SM_CK_CHECK, "ck_accounts_5f131a01", NULL);
    acc[3] = sm_text("bee");
    expect_ok(t, tdb_exec(t, ins, acc, 4));
    assert_int_equal(tdb_count(t, "accounts"), 1);

    /* An enum CHECK on a nullable column: NULL passes, a non-member not. */
    sm_value plan[3] = {sm_text("p"), sm_int(100), sm_null()};
    const char *pins = "INSERT INTO \"plan\" (\"name\", \"price\", \"primary_color\") "
                       "VALUES (?, ?, ?)";
    expect_ok(t, tdb_exec(t, pins, plan, 3));
    plan[2] = sm_text("pink");
    expect_rc(t, tdb_exec(t, pins, plan, 3), SM_CONSTRAINT);
    tdb_constraint_is(t, SM_CK_CHECK, "ck_plan_primary_color", NULL);
}

static void test_checks(void **state)
{
    (void)state;
    tdb_each(create_both, checks);
}

static void not_null(tdb *t)
{
    /* An explicit NULL. */
    sm_value v[2] = {sm_text("Deadpond"), sm_null()};
    expect_rc(t,
              tdb_exec(t, "INSERT INTO \"hero\" (\"name\", \"secret_name\") VALUES (?, ?)", v, 2),
              SM_CONSTRAINT);
    tdb_constraint_is(t, SM_CK_NOT_NULL, NULL, "secret_name");
    /* A column left out that has no default. */
    expect_rc(t, tdb_exec(t, "INSERT INTO \"hero\" (\"name\") VALUES (?)", v, 1), SM_CONSTRAINT);
    tdb_constraint_is(t, SM_CK_NOT_NULL, NULL, "secret_name");
    /* Through an update. */
    sm_value ok[2] = {sm_text("Deadpond"), sm_text("Dive Wilson")};
    expect_ok(t,
              tdb_exec(t, "INSERT INTO \"hero\" (\"name\", \"secret_name\") VALUES (?, ?)", ok, 2));
    expect_rc(t, tdb_exec(t, "UPDATE \"hero\" SET \"name\" = NULL", NULL, 0), SM_CONSTRAINT);
    tdb_constraint_is(t, SM_CK_NOT_NULL, NULL, "name");
    assert_int_equal(tdb_count(t, "hero"), 1);
}

static void test_not_null(void **state)
{
    (void)state;
    tdb_each(create_both, not_null);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unique),
        cmocka_unit_test(test_fk_missing_parent),
        cmocka_unit_test(test_fk_actions),
        cmocka_unit_test(test_checks),
        cmocka_unit_test(test_not_null),
    };
    return tdb_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
