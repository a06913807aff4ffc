/*
 * test_heroes.c: the SQLModel tutorial flow on the generated code of
 * tests/schemas/heroes.smdl, on every dialect: create tables, insert
 * with written-back ids and now() defaults, read one, update, patch,
 * delete, missing keys, explicit ids, insert_many, conversions, and
 * create_all / drop_all twice.
 */
#include "tdb.h"

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

static Hero hero_aged(const char *name, const char *secret, int64_t age)
{
    Hero h = hero(name, secret);
    h.age = age;
    h.has_age = true;
    return h;
}

static void in_team(Hero *h, const Team *t)
{
    h->team_id = t->id;
    h->has_team_id = true;
}

/* Every column of two heroes is equal. */
static void assert_hero(const Hero *got, const Hero *want)
{
    assert_int_equal(got->id, want->id);
    assert_string_equal(got->name, want->name);
    assert_string_equal(got->secret_name, want->secret_name);
    assert_int_equal(got->has_age, want->has_age);
    if (want->has_age)
        assert_int_equal(got->age, want->age);
    assert_int_equal(got->power, want->power);
    assert_int_equal(got->has_team_id, want->has_team_id);
    if (want->has_team_id)
        assert_int_equal(got->team_id, want->team_id);
    /* Relationships are never filled by _get. */
    assert_null(got->team);
    assert_null(got->teams.items);
}

static Hero get_hero(tdb *t, int64_t id)
{
    Hero h;
    expect_ok(t, hero_get(&t->cx, t->conn, id, &h, &t->arena));
    return h;
}

static bool all_zero(const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        if (b[i])
            return false;
    return true;
}

/* ---- Create tables ------------------------------------------------------------ */

static void create_twice(tdb *t)
{
    /* tdb_each ran heroes_create_all once already. */
    expect_ok(t, heroes_create_all(&t->cx, t->conn));
    assert_int_equal(tdb_count(t, "teams"), 0);
    assert_int_equal(tdb_count(t, "hero"), 0);
    assert_int_equal(tdb_count(t, "hero_team_link"), 0);
    Team p = team("Preventers", "Sharp Tower");
    expect_ok(t, team_insert(&t->cx, t->conn, &p));
    /* A second create_all keeps the data. */
    expect_ok(t, heroes_create_all(&t->cx, t->conn));
    assert_int_equal(tdb_count(t, "teams"), 1);
}

static void test_create_all_twice(void **state)
{
    (void)state;
    tdb_each(heroes_create_all, create_twice);
}

static void drop_twice(tdb *t)
{
    /* A fresh database: nothing to drop, and that is fine. */
    expect_ok(t, heroes_drop_all(&t->cx, t->conn));
    expect_ok(t, heroes_create_all(&t->cx, t->conn));
    Team p = team("Preventers", "Sharp Tower");
    expect_ok(t, team_insert(&t->cx, t->conn, &p));
    Hero h = hero("Deadpond", "Dive Wilson");
    in_team(&h, &p);
    expect_ok(t, hero_insert(&t->cx, t->conn, &h));
    HeroTeamLink l = HERO_TEAM_LINK_INIT;
    l.hero_id = h.id;
    l.team_id = p.id;
    expect_ok(t, hero_team_link_insert(&t->cx, t->conn, &l));

    expect_ok(t, heroes_drop_all(&t->cx, t->conn));
    /* Every table is gone: each database says so in its words. */
    tdb_expect_table_gone(t, "hero");
    tdb_expect_table_gone(t, "teams");
    tdb_expect_table_gone(t, "hero_team_link");
    Hero gone;
    tdb_expect_no_table(&t->cx, t->d, hero_get(&t->cx, t->conn, h.id, &gone, &t->arena), "hero");
    expect_ok(t, heroes_drop_all(&t->cx, t->conn));

    /* And back: the tables are empty and usable. */
    expect_ok(t, heroes_create_all(&t->cx, t->conn));
    assert_int_equal(tdb_count(t, "hero"), 0);
    Team z = team("Z-Force", "Sister Margaret's Bar");
    expect_ok(t, team_insert(&t->cx, t->conn, &z));
    assert_true(z.id > 0);
}

static void test_drop_all_twice(void **state)
{
    (void)state;
    tdb_each(NULL, drop_twice);
}

/* ---- Insert and read ------------------------------------------------------------- */

static void insert_read(tdb *t)
{
    Team preventers = team("Preventers", "Sharp Tower");
    Team z_force = team("Z-Force", "Sister Margaret's Bar");
    sm_datetime before = sm_datetime_now();
    expect_ok(t, team_insert(&t->cx, t->conn, &preventers));
    expect_ok(t, team_insert(&t->cx, t->conn, &z_force));
    sm_datetime after = sm_datetime_now();
    /* Keys of fresh tables count from 1 on every database. */
    assert_int_equal(preventers.id, 1);
    assert_int_equal(z_force.id, 2);
    /* now() was filled in C and written back. */
    assert_true(preventers.created_at >= before && preventers.created_at <= after);
    assert_true(z_force.created_at >= preventers.created_at && z_force.created_at <= after);

    Hero deadpond = hero("Deadpond", "Dive Wilson");
    in_team(&deadpond, &z_force);
    Hero spider = hero("Spider-Boy", "Pedro Parqueador");
    Hero rusty = hero_aged("Rusty-Man", "Tommy Sharp", 48);
    in_team(&rusty, &preventers);
    rusty.power = POWER_STRENGTH;
    /* Relationship fields are ignored by _insert, _update and _to_json. */
    deadpond.team = &preventers;
    deadpond.teams = (Team_list){&preventers, 1};
    expect_ok(t, hero_insert(&t->cx, t->conn, &deadpond));
    expect_ok(t, hero_insert(&t->cx, t->conn, &spider));
    expect_ok(t, hero_insert(&t->cx, t->conn, &rusty));
    sm_buf_reset(&t->buf);
    assert_int_equal(hero_to_json(&deadpond, &t->buf), SM_OK);
    assert_null(strstr(t->buf.data, "\"team\""));
    assert_null(strstr(t->buf.data, "\"teams\""));
    expect_ok(t, hero_update(&t->cx, t->conn, &deadpond));
    deadpond.team = NULL;
    deadpond.teams = (Team_list){NULL, 0};
    assert_int_equal(deadpond.id, 1);
    assert_int_equal(spider.id, 2);
    assert_int_equal(rusty.id, 3);

    Hero got = get_hero(t, deadpond.id);
    assert_hero(&got, &deadpond);
    assert_int_equal(got.power, POWER_FLIGHT);
    assert_false(got.has_age);
    got = get_hero(t, spider.id);
    assert_hero(&got, &spider);
    assert_false(got.has_team_id);
    got = get_hero(t, rusty.id);
    assert_hero(&got, &rusty);
    assert_int_equal(got.age, 48);
    assert_int_equal(got.power, POWER_STRENGTH);

    /* The written-back created_at is exactly what the row holds. */
    Team tg;
    expect_ok(t, team_get(&t->cx, t->conn, z_force.id, &tg, &t->arena));
    assert_int_equal(tg.id, z_force.id);
    assert_string_equal(tg.name, "Z-Force");
    assert_string_equal(tg.headquarters, "Sister Margaret's Bar");
    assert_int_equal(tg.created_at, z_force.created_at);
    assert_null(tg.heroes.items);

    /* A created_at that is not zero is written as given. */
    Team old = team("Old Guard", "Attic");
    old.created_at = sm_datetime_now() - INT64_C(86400000000) * 365;
    sm_datetime given = old.created_at;
    expect_ok(t, team_insert(&t->cx, t->conn, &old));
    assert_int_equal(old.created_at, given);
    expect_ok(t, team_get(&t->cx, t->conn, old.id, &tg, &t->arena));
    assert_int_equal(tg.created_at, given);

    /* The database sees what the struct says (a raw read). */
    sm_value p = sm_int(rusty.id);
    assert_string_equal(tdb_text(t, "SELECT \"secret_name\" FROM \"hero\" WHERE \"id\" = ?", &p, 1),
                        "Tommy Sharp");
    assert_string_equal(tdb_text(t, "SELECT \"power\" FROM \"hero\" WHERE \"id\" = ?", &p, 1),
                        "strength");
    assert_int_equal(tdb_int(t, "SELECT \"team_id\" FROM \"hero\" WHERE \"id\" = ?", &p, 1),
                     preventers.id);
    assert_int_equal(tdb_count(t, "hero"), 3);
}

static void test_insert_read(void **state)
{
    (void)state;
    tdb_each(heroes_create_all, insert_read);
}

static void explicit_id(tdb *t)
{
    Hero h = hero("Tarantula", "Natalia Roman-on");
    h.id = 1000;
    expect_ok(t, hero_insert(&t->cx, t->conn, &h));
    assert_int_equal(h.id, 1000);
    Hero got = get_hero(t, 1000);
    assert_hero(&got, &h);

    /* The same key again is a unique violation; the object is kept. */
    Hero dup = hero("Black Lion", "Trevor Challa");
    dup.id = 1000;
    expect_rc(t, hero_insert(&t->cx, t->conn, &dup), SM_CONSTRAINT);
    tdb_constraint_is(t, SM_CK_UNIQUE, NULL, "id");
    assert_int_equal(dup.id, 1000);

    /* A zero key is generated, and differs from the explicit one. */
    Hero next = hero("Dr. Weird", "Steve Weird");
    expect_ok(t, hero_insert(&t->cx, t->conn, &next));
    assert_true(next.id > 0);
    assert_true(next.id != 1000);
    got = get_hero(t, next.id);
    assert_hero(&got, &next);
    assert_int_equal(tdb_count(t, "hero"), 2);
}

static void test_explicit_id(void **state)
{
    (void)state;
    tdb_each(heroes_create_all, explicit_id);
}

/* ---- Missing keys ------------------------------------------------------------------ */

static void missing(tdb *t)
{
    Hero h;
    memset(&h, 0xab, sizeof h);
    expect_rc(t, hero_get(&t->cx, t->conn, 4242, &h, &t->arena), SM_NOTFOUND);
    assert_true(all_zero(&h, sizeof h));
    Team tm;
    memset(&tm, 0xab, sizeof tm);
    expect_rc(t, team_get(&t->cx, t->conn, 4242, &tm, &t->arena), SM_NOTFOUND);
    assert_true(all_zero(&tm, sizeof tm));
    HeroTeamLink l;
    memset(&l, 0xab, sizeof l);
    expect_rc(t, hero_team_link_get(&t->cx, t->conn, 1, 2, &l, &t->arena), SM_NOTFOUND);
    assert_true(all_zero(&l, sizeof l));

    Hero ghost = hero("Ghost", "Nobody");
    ghost.id = 4242;
    expect_rc(t, hero_update(&t->cx, t->conn, &ghost), SM_NOTFOUND);
    HeroUpdate u = HERO_UPDATE_INIT;
    u.age = 30;
    u.has_age = true;
    expect_rc(t, hero_patch(&t->cx, t->conn, 4242, &u), SM_NOTFOUND);
    /* Nothing set: still a lookup of the key. */
    HeroUpdate none = HERO_UPDATE_INIT;
    expect_rc(t, hero_patch(&t->cx, t->conn, 4242, &none), SM_NOTFOUND);
    expect_rc(t, hero_delete(&t->cx, t->conn, 4242), SM_NOTFOUND);
    expect_rc(t, team_delete(&t->cx, t->conn, 4242), SM_NOTFOUND);
    expect_rc(t, hero_team_link_delete(&t->cx, t->conn, 1, 2), SM_NOTFOUND);
    assert_int_equal(sm_cx_errcode(&t->cx), SM_NOTFOUND);
    assert_string_equal(sm_cx_errmsg(&t->cx), "no row in hero_team_link with that key");
    assert_int_equal(tdb_count(t, "hero"), 0);

    /* With rows present, other keys are still missing. */
    Hero d = hero("Deadpond", "Dive Wilson");
    expect_ok(t, hero_insert(&t->cx, t->conn, &d));
    memset(&h, 0xab, sizeof h);
    expect_rc(t, hero_get(&t->cx, t->conn, d.id + 1, &h, &t->arena), SM_NOTFOUND);
    assert_true(all_zero(&h, sizeof h));
    h = get_hero(t, d.id);
    assert_hero(&h, &d);
}

static void test_missing_keys(void **state)
{
    (void)state;
    tdb_each(heroes_create_all, missing);
}

/* ---- Update, patch, delete ------------------------------------------------------------ */

static void update(tdb *t)
{
    Team p = team("Preventers", "Sharp Tower");
    expect_ok(t, team_insert(&t->cx, t->conn, &p));
    Hero spider = hero("Spider-Boy", "Pedro Parqueador");
    Hero rusty = hero_aged("Rusty-Man", "Tommy Sharp", 48);
    expect_ok(t, hero_insert(&t->cx, t->conn, &spider));
    expect_ok(t, hero_insert(&t->cx, t->conn, &rusty));

    /* Read, change, write back: every column is written. */
    Hero h = get_hero(t, spider.id);
    h.age = 16;
    h.has_age = true;
    h.name = "Spider-Youngster";
    h.power = POWER_SPEED;
    in_team(&h, &p);
    expect_ok(t, hero_update(&t->cx, t->conn, &h));
    Hero got = get_hero(t, spider.id);
    assert_hero(&got, &h);

    /* Clearing a nullable column through update. */
    got.has_age = false;
    got.has_team_id = false;
    expect_ok(t, hero_update(&t->cx, t->conn, &got));
    Hero again = get_hero(t, spider.id);
    assert_hero(&again, &got);
    assert_false(again.has_age);
    assert_false(again.has_team_id);

    /* Writing a row's own values again still finds it (rows matched,
     * not rows changed, on every dialect). */
    expect_ok(t, hero_update(&t->cx, t->conn, &again));
    HeroUpdate same = HERO_UPDATE_INIT;
    same.name = again.name;
    same.has_name = true;
    expect_ok(t, hero_patch(&t->cx, t->conn, again.id, &same));

    /* The other row is untouched. */
    got = get_hero(t, rusty.id);
    assert_hero(&got, &rusty);

    /* Updating a team keeps its id and writes created_at as given. */
    Team tg;
    expect_ok(t, team_get(&t->cx, t->conn, p.id, &tg, &t->arena));
    tg.headquarters = "Sharp Tower, top floor";
    expect_ok(t, team_update(&t->cx, t->conn, &tg));
    Team tg2;
    expect_ok(t, team_get(&t->cx, t->conn, p.id, &tg2, &t->arena));
    assert_string_equal(tg2.headquarters, "Sharp Tower, top floor");
    assert_int_equal(tg2.created_at, p.created_at);

    /* A link row: update its only non-key column. */
    HeroTeamLink l = HERO_TEAM_LINK_INIT;
    l.hero_id = rusty.id;
    l.team_id = p.id;
    expect_ok(t, hero_team_link_insert(&t->cx, t->conn, &l));
    l.is_training = true;
    expect_ok(t, hero_team_link_update(&t->cx, t->conn, &l));
    HeroTeamLink lg;
    expect_ok(t, hero_team_link_get(&t->cx, t->conn, rusty.id, p.id, &lg, &t->arena));
    assert_true(lg.is_training);
}

static void test_update(void **state)
{
    (void)state;
    tdb_each(heroes_create_all, update);
}

static void patch(tdb *t)
{
    Team p = team("Preventers", "Sharp Tower");
    expect_ok(t, team_insert(&t->cx, t->conn, &p));
    Hero spider = hero("Spider-Boy", "Pedro Parqueador");
    in_team(&spider, &p);
    Hero rusty = hero_aged("Rusty-Man", "Tommy Sharp", 48);
    expect_ok(t, hero_insert(&t->cx, t->conn, &spider));
    expect_ok(t, hero_insert(&t->cx, t->conn, &rusty));

    /* Set one field; the others stay. */
    HeroUpdate u = HERO_UPDATE_INIT;
    u.age = 16;
    u.has_age = true;
    expect_ok(t, hero_patch(&t->cx, t->conn, spider.id, &u));
    Hero want = spider;
    want.age = 16;
    want.has_age = true;
    Hero got = get_hero(t, spider.id);
    assert_hero(&got, &want);

    /* Another field; age (unset this time) keeps 16. */
    u = (HeroUpdate)HERO_UPDATE_INIT;
    u.name = "Spider-Youngster";
    u.has_name = true;
    u.power = POWER_SPEED;
    u.has_power = true;
    expect_ok(t, hero_patch(&t->cx, t->conn, spider.id, &u));
    want.name = "Spider-Youngster";
    want.power = POWER_SPEED;
    got = get_hero(t, spider.id);
    assert_hero(&got, &want);

    /* A nullable field set to NULL (age_null), another to NULL too. */
    u = (HeroUpdate)HERO_UPDATE_INIT;
    u.has_age = true;
    u.age_null = true;
    u.has_team_id = true;
    u.team_id_null = true;
    expect_ok(t, hero_patch(&t->cx, t->conn, spider.id, &u));
    want.has_age = false;
    want.has_team_id = false;
    got = get_hero(t, spider.id);
    assert_hero(&got, &want);
    sm_value key = sm_int(spider.id);
    assert_int_equal(
        tdb_int(t, "SELECT count(*) FROM \"hero\" WHERE \"id\" = ? AND \"age\" IS NULL", &key, 1),
        1);

    /* age_null without has_age: the field is unset, nothing changes. */
    u = (HeroUpdate)HERO_UPDATE_INIT;
    u.age_null = true;
    u.age = 99;
    expect_ok(t, hero_patch(&t->cx, t->conn, rusty.id, &u));
    got = get_hero(t, rusty.id);
    assert_hero(&got, &rusty);

    /* Nothing set at all: the row exists, nothing changes. */
    u = (HeroUpdate)HERO_UPDATE_INIT;
    expect_ok(t, hero_patch(&t->cx, t->conn, rusty.id, &u));
    got = get_hero(t, rusty.id);
    assert_hero(&got, &rusty);

    /* A non-nullable field set to NULL is "required", before any SQL. */
    u = (HeroUpdate)HERO_UPDATE_INIT;
    u.has_name = true;
    u.name = NULL;
    u.has_secret_name = true;
    u.secret_name = NULL;
    u.age = 17;
    u.has_age = true;
    expect_rc(t, hero_patch(&t->cx, t->conn, rusty.id, &u), SM_INVALID);
    tdb_errors_are(sm_cx_errors(&t->cx), "name", "required", "secret_name", "required", NULL);
    got = get_hero(t, rusty.id);
    assert_hero(&got, &rusty);

    /* Set values are validated like the table's. */
    u = (HeroUpdate)HERO_UPDATE_INIT;
    u.age = 201;
    u.has_age = true;
    u.power = (Power)3;
    u.has_power = true;
    expect_rc(t, hero_patch(&t->cx, t->conn, rusty.id, &u), SM_INVALID);
    tdb_errors_are(sm_cx_errors(&t->cx), "age", "out_of_range", "power", "enum", NULL);
    got = get_hero(t, rusty.id);
    assert_hero(&got, &rusty);

    /* An unset field is not validated, whatever it holds. */
    u = (HeroUpdate)HERO_UPDATE_INIT;
    u.age = -5;
    u.secret_name = "Tommy S.";
    u.has_secret_name = true;
    expect_ok(t, hero_patch(&t->cx, t->conn, rusty.id, &u));
    rusty.secret_name = "Tommy S.";
    got = get_hero(t, rusty.id);
    assert_hero(&got, &rusty);
}

static void test_patch(void **state)
{
    (void)state;
    tdb_each(heroes_create_all, patch);
}

static void delete_rows(tdb *t)
{
    Hero a = hero("Deadpond", "Dive Wilson");
    Hero b = hero("Spider-Boy", "Pedro Parqueador");
    Hero c = hero_aged("Rusty-Man", "Tommy Sharp", 48);
    expect_ok(t, hero_insert(&t->cx, t->conn, &a));
    expect_ok(t, hero_insert(&t->cx, t->conn, &b));
    expect_ok(t, hero_insert(&t->cx, t->conn, &c));

    expect_ok(t, hero_delete(&t->cx, t->conn, b.id));
    Hero h;
    expect_rc(t, hero_get(&t->cx, t->conn, b.id, &h, &t->arena), SM_NOTFOUND);
    expect_rc(t, hero_delete(&t->cx, t->conn, b.id), SM_NOTFOUND);
    assert_int_equal(tdb_count(t, "hero"), 2);
    h = get_hero(t, a.id);
    assert_hero(&h, &a);
    h = get_hero(t, c.id);
    assert_hero(&h, &c);

    /* A deleted row can no longer be updated or patched. */
    expect_rc(t, hero_update(&t->cx, t->conn, &b), SM_NOTFOUND);
    HeroUpdate u = HERO_UPDATE_INIT;
    u.name = "Back";
    u.has_name = true;
    expect_rc(t, hero_patch(&t->cx, t->conn, b.id, &u), SM_NOTFOUND);
}

static void test_delete(void **state)
{
    (void)state;
    tdb_each(heroes_create_all, delete_rows);
}

/* ---- insert_many ------------------------------------------------------------------------ */

static void insert_many(tdb *t)
{
    Team teams[2] = {team("Preventers", "Sharp Tower"), team("Z-Force", "Sister Margaret's Bar")};
    sm_datetime before = sm_datetime_now();
    expect_ok(t, team_insert_many(&t->cx, t->conn, teams, 2));
    sm_datetime after = sm_datetime_now();
    assert_true(teams[0].id > 0 && teams[1].id > teams[0].id);
    for (int i = 0; i < 2; i++) {
        assert_true(teams[i].created_at >= before && teams[i].created_at <= after);
        Team g;
        expect_ok(t, team_get(&t->cx, t->conn, teams[i].id, &g, &t->arena));
        assert_string_equal(g.name, teams[i].name);
        assert_int_equal(g.created_at, teams[i].created_at);
    }

    Hero hs[5] = {
        hero_aged("Tarantula", "Natalia Roman-on", 32),
        hero_aged("Black Lion", "Trevor Challa", 35),
        hero_aged("Dr. Weird", "Steve Weird", 36),
        hero_aged("Captain North America", "Esteban Rogelios", 93),
        hero("Princess Sure-E", "Sure-E"),
    };
    in_team(&hs[1], &teams[0]);
    in_team(&hs[3], &teams[1]);
    hs[2].power = POWER_SPEED;
    tdb_trace tr;
    tdb_trace_start(t, &tr, "INSERT");
    expect_ok(t, hero_insert_many(&t->cx, t->conn, hs, 5));
    tdb_trace_stop(t);
    /* SQLite inserts row by row; PostgreSQL and MySQL in multi-row
     * statements of a power-of-two size (or the driver's most): 4 + 1. */
    assert_int_equal(tr.count, t->d == SM_SQLITE ? 5 : 2);
    for (int i = 0; i < 5; i++) {
        assert_true(hs[i].id > 0);
        if (i)
            assert_true(hs[i].id > hs[i - 1].id);
        Hero g = get_hero(t, hs[i].id);
        assert_hero(&g, &hs[i]);
    }

    /* Explicit and generated keys mixed: each written back in order. */
    Hero mix[4] = {hero("A", "a"), hero("B", "b"), hero("C", "c"), hero("D", "d")};
    mix[1].id = 5000;
    mix[2].id = 5001;
    expect_ok(t, hero_insert_many(&t->cx, t->conn, mix, 4));
    assert_int_equal(mix[1].id, 5000);
    assert_int_equal(mix[2].id, 5001);
    assert_true(mix[0].id > 0 && mix[3].id > 0);
    assert_true(mix[0].id != mix[3].id);
    for (int i = 0; i < 4; i++) {
        Hero g = get_hero(t, mix[i].id);
        assert_hero(&g, &mix[i]);
    }
    assert_int_equal(tdb_count(t, "hero"), 9);

    /* Zero rows: nothing to do. */
    expect_ok(t, hero_insert_many(&t->cx, t->conn, hs, 0));
    assert_int_equal(tdb_count(t, "hero"), 9);

    /* A composite key without @auto. */
    HeroTeamLink links[3] = {HERO_TEAM_LINK_INIT, HERO_TEAM_LINK_INIT, HERO_TEAM_LINK_INIT};
    for (int i = 0; i < 3; i++) {
        links[i].hero_id = hs[i].id;
        links[i].team_id = teams[i % 2].id;
        links[i].is_training = i == 1;
    }
    expect_ok(t, hero_team_link_insert_many(&t->cx, t->conn, links, 3));
    for (int i = 0; i < 3; i++) {
        HeroTeamLink g;
        expect_ok(t, hero_team_link_get(&t->cx, t->conn, links[i].hero_id, links[i].team_id, &g,
                                        &t->arena));
        assert_int_equal(g.is_training, i == 1);
    }
}

static void test_insert_many(void **state)
{
    (void)state;
    tdb_each(heroes_create_all, insert_many);
}

/* A batch larger than one multi-row statement's row limit still keeps
 * its order and writes every key back. */
static void insert_many_large(tdb *t)
{
    enum { N = 2500 };
    Hero *hs = calloc(N, sizeof *hs);
    char (*names)[24] = calloc(N, sizeof *names);
    assert_non_null(hs);
    assert_non_null(names);
    for (int i = 0; i < N; i++) {
        snprintf(names[i], sizeof names[i], "hero %d", i);
        hs[i] = hero_aged(names[i], "secret", i % 200);
    }
    expect_ok(t, hero_insert_many(&t->cx, t->conn, hs, N));
    for (int i = 1; i < N; i++)
        assert_true(hs[i].id > hs[i - 1].id);
    assert_int_equal(tdb_count(t, "hero"), N);
    for (int i = 0; i < N; i += 499) {
        Hero g = get_hero(t, hs[i].id);
        assert_hero(&g, &hs[i]);
    }
    free(names);
    free(hs);
}

static void test_insert_many_large(void **state)
{
    (void)state;
    tdb_each(heroes_create_all, insert_many_large);
}

/* ---- Conversions --------------------------------------------------------------------------- */

static void conversions(tdb *t)
{
    /* The tutorial's create -> table -> public path. */
    HeroCreate in = HERO_CREATE_INIT;
    in.name = "Deadpond";
    in.secret_name = "Dive Wilson";
    in.age = 30;
    in.has_age = true;
    in.power = POWER_SPEED;
    Hero h;
    memset(&h, 0xab, sizeof h);
    assert_int_equal(hero_from_hero_create(&in, &h), SM_OK);
    assert_int_equal(h.id, 0);
    assert_null(h.team);
    assert_null(h.teams.items);
    assert_ptr_equal(h.name, in.name);
    expect_ok(t, hero_insert(&t->cx, t->conn, &h));

    HeroPublic pub;
    assert_int_equal(hero_public_from_hero(&h, &pub), SM_OK);
    assert_int_equal(pub.id, h.id);
    assert_string_equal(pub.name, "Deadpond");
    assert_int_equal(pub.age, 30);
    assert_true(pub.has_age);
    assert_int_equal(pub.power, POWER_SPEED);
    assert_false(pub.has_team_id);

    /* Back from the public form: the key comes along. */
    Hero back;
    assert_int_equal(hero_from_hero_public(&pub, &back), SM_OK);
    assert_hero(&back, &h);

    HeroBase base;
    assert_int_equal(hero_base_from_hero(&h, &base), SM_OK);
    assert_string_equal(base.secret_name, "Dive Wilson");
    HeroCreate again;
    assert_int_equal(hero_create_from_hero_base(&base, &again), SM_OK);
    assert_int_equal(again.age, 30);
    assert_int_equal(hero_create_from_hero(&h, &again), SM_OK);
    assert_int_equal(again.power, POWER_SPEED);
    assert_int_equal(hero_create_from_hero_public(&pub, &again), SM_OK);
    assert_string_equal(again.name, "Deadpond");

    /* A converted object reads back from the database unchanged. */
    Hero got = get_hero(t, h.id);
    HeroPublic pub2;
    assert_int_equal(hero_public_from_hero(&got, &pub2), SM_OK);
    assert_int_equal(pub2.id, pub.id);
    assert_string_equal(pub2.name, pub.name);
    assert_string_equal(pub2.secret_name, pub.secret_name);
    assert_int_equal(pub2.age, pub.age);
}

static void test_conversions(void **state)
{
    (void)state;
    tdb_each(heroes_create_all, conversions);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_all_twice),
        cmocka_unit_test(test_drop_all_twice),
        cmocka_unit_test(test_insert_read),
        cmocka_unit_test(test_explicit_id),
        cmocka_unit_test(test_missing_keys),
        cmocka_unit_test(test_update),
        cmocka_unit_test(test_patch),
        cmocka_unit_test(test_delete),
        cmocka_unit_test(test_insert_many),
        cmocka_unit_test(test_insert_many_large),
        cmocka_unit_test(test_conversions),
    };
    return tdb_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
