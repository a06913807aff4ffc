/*
 * test_rels.c: the relationship API smc generates for tests/schemas/
 * rels.smdl, on every dialect: loads of each shape one by one and for a
 * list in one statement (to-one, one-to-many, many-to-many, a
 * self-reference, two relationships between one pair, a text key, a
 * one-to-one FK), links and unlinks with and without a unique pair, a
 * link model's extra field through its own CRUD, _get_many in key
 * order, nested conversions encoded as JSON, and deletes restricted by
 * an FK named on every database.
 */
#include "tdb.h"

#include "rels.h"

static uint64_t statements(tdb *t)
{
    return sm_conn_stat(t->conn).statements;
}

static Team new_team(tdb *t, const char *name, const char *hq)
{
    Team m = TEAM_INIT;
    m.name = name;
    m.headquarters = hq;
    expect_ok(t, team_insert(&t->cx, t->conn, &m));
    return m;
}

static Hero new_hero(tdb *t, const char *name, const char *secret, const Team *team)
{
    Hero h = HERO_INIT;
    h.name = name;
    h.secret_name = secret;
    if (team) {
        h.team_id = team->id;
        h.has_team_id = true;
    }
    expect_ok(t, hero_insert(&t->cx, t->conn, &h));
    return h;
}

/* ---- To-one and one-to-many ------------------------------------------------------- */

static void one_and_many(tdb *t)
{
    Team a = new_team(t, "Preventers", "Sharp Tower");
    Team b = new_team(t, "Z-Force", "Sister Margaret's Bar");
    Team empty = new_team(t, "Nobody", "Nowhere");
    Hero h[4] = {new_hero(t, "Deadpond", "Dive Wilson", &b),
                 new_hero(t, "Rusty-Man", "Tommy Sharp", &a),
                 new_hero(t, "Spider-Boy", "Pedro Parqueador", NULL),
                 new_hero(t, "Tarantula", "Natalia Roman-on", &a)};

    /* One object. */
    Hero one = h[0];
    expect_ok(t, hero_load_team(&t->cx, t->conn, &one, &t->arena));
    assert_true(one.team_loaded);
    assert_non_null(one.team);
    assert_int_equal(one.team->id, b.id);
    assert_string_equal(one.team->name, "Z-Force");
    Hero none = h[2];
    expect_ok(t, hero_load_team(&t->cx, t->conn, &none, &t->arena));
    assert_true(none.team_loaded); /* loaded, and there is none */
    assert_null(none.team);

    /* A list: one statement, heroes of one team share its object. */
    Hero_list list = {h, 4};
    uint64_t before = statements(t);
    expect_ok(t, hero_list_load_team(&t->cx, t->conn, &list, &t->arena));
    assert_int_equal(statements(t) - before, 1);
    assert_int_equal(h[0].team->id, b.id);
    assert_int_equal(h[1].team->id, a.id);
    assert_null(h[2].team);
    assert_true(h[2].team_loaded);
    assert_ptr_equal(h[1].team, h[3].team);

    /* One-to-many: children ordered by key, an empty list for none. */
    Team teams[3] = {a, b, empty};
    Team_list tl = {teams, 3};
    before = statements(t);
    expect_ok(t, team_list_load_heroes(&t->cx, t->conn, &tl, &t->arena));
    assert_int_equal(statements(t) - before, 1);
    assert_int_equal(teams[0].heroes.len, 2);
    assert_string_equal(teams[0].heroes.items[0].name, "Rusty-Man");
    assert_string_equal(teams[0].heroes.items[1].name, "Tarantula");
    assert_int_equal(teams[1].heroes.len, 1);
    assert_string_equal(teams[1].heroes.items[0].name, "Deadpond");
    assert_non_null(teams[2].heroes.items);
    assert_int_equal(teams[2].heroes.len, 0);

    Team single = b;
    expect_ok(t, team_load_heroes(&t->cx, t->conn, &single, &t->arena));
    assert_int_equal(single.heroes.len, 1);
    assert_int_equal(single.heroes.items[0].id, h[0].id);
}

static void test_one_and_many(void **state)
{
    (void)state;
    tdb_each(rels_create_all, one_and_many);
}

/* ---- Many-to-many --------------------------------------------------------------------- */

static void many_to_many(tdb *t)
{
    Team a = new_team(t, "Preventers", "Sharp Tower");
    Team b = new_team(t, "Z-Force", "Sister Margaret's Bar");
    Hero d = new_hero(t, "Deadpond", "Dive Wilson", NULL);
    Hero r = new_hero(t, "Rusty-Man", "Tommy Sharp", NULL);

    /* Through a link model whose pair is its key: linking is idempotent. */
    expect_ok(t, hero_link_team(&t->cx, t->conn, d.id, b.id));
    expect_ok(t, hero_link_team(&t->cx, t->conn, d.id, a.id));
    expect_ok(t, hero_link_team(&t->cx, t->conn, d.id, a.id));
    expect_ok(t, hero_link_team(&t->cx, t->conn, r.id, a.id));
    assert_int_equal(tdb_count(t, "hero_team_link"), 3);

    Hero hs[2] = {d, r};
    Hero_list hl = {hs, 2};
    uint64_t before = statements(t);
    expect_ok(t, hero_list_load_teams(&t->cx, t->conn, &hl, &t->arena));
    assert_int_equal(statements(t) - before, 1);
    assert_int_equal(hs[0].teams.len, 2);
    assert_int_equal(hs[0].teams.items[0].id, a.id); /* by key */
    assert_int_equal(hs[0].teams.items[1].id, b.id);
    assert_int_equal(hs[1].teams.len, 1);
    assert_string_equal(hs[1].teams.items[0].name, "Preventers");

    /* The other side, named. */
    Team one = a;
    expect_ok(t, team_load_members(&t->cx, t->conn, &one, &t->arena));
    assert_int_equal(one.members.len, 2);
    assert_int_equal(one.members.items[0].id, d.id);
    assert_int_equal(one.members.items[1].id, r.id);

    /* The link model's extra field, through its own CRUD. */
    HeroTeamLink link;
    expect_ok(t, hero_team_link_get(&t->cx, t->conn, a.id, d.id, &link, &t->arena));
    assert_false(link.is_training);
    link.is_training = true;
    expect_ok(t, hero_team_link_update(&t->cx, t->conn, &link));
    expect_ok(t, hero_team_link_get(&t->cx, t->conn, a.id, d.id, &link, &t->arena));
    assert_true(link.is_training);

    /* Unlink: a missing pair is SM_NOTFOUND. */
    expect_ok(t, hero_unlink_team(&t->cx, t->conn, d.id, b.id));
    expect_rc(t, hero_unlink_team(&t->cx, t->conn, d.id, b.id), SM_NOTFOUND);
    Hero again = d;
    expect_ok(t, hero_load_teams(&t->cx, t->conn, &again, &t->arena));
    assert_int_equal(again.teams.len, 1);

    /* Through a link table whose pair is not unique: still once. */
    Tag tag = TAG_INIT;
    tag.label = "flies";
    expect_ok(t, tag_insert(&t->cx, t->conn, &tag));
    expect_ok(t, hero_link_tag(&t->cx, t->conn, r.id, tag.id));
    expect_ok(t, hero_link_tag(&t->cx, t->conn, r.id, tag.id));
    assert_int_equal(tdb_count(t, "hero_tag"), 1);
    Tag tags[1] = {tag};
    Tag_list tgl = {tags, 1};
    expect_ok(t, tag_list_load_heroes(&t->cx, t->conn, &tgl, &t->arena));
    assert_int_equal(tags[0].heroes.len, 1);
    assert_int_equal(tags[0].heroes.items[0].id, r.id);
    expect_ok(t, tag_unlink_hero(&t->cx, t->conn, tag.id, r.id));
    expect_rc(t, tag_unlink_hero(&t->cx, t->conn, tag.id, r.id), SM_NOTFOUND);
    assert_int_equal(tdb_count(t, "hero_tag"), 0);
}

static void test_many_to_many(void **state)
{
    (void)state;
    tdb_each(rels_create_all, many_to_many);
}

/* ---- A self-reference, two relationships to one table ------------------------------ */

static Category new_category(tdb *t, const char *name, const Category *parent)
{
    Category c = CATEGORY_INIT;
    c.name = name;
    if (parent) {
        c.parent_id = parent->id;
        c.has_parent_id = true;
    }
    expect_ok(t, category_insert(&t->cx, t->conn, &c));
    return c;
}

static void self_and_pair(tdb *t)
{
    Category root = new_category(t, "root", NULL);
    Category a = new_category(t, "a", &root);
    Category b = new_category(t, "b", &root);
    Category aa = new_category(t, "aa", &a);

    Category cs[4] = {root, a, b, aa};
    Category_list cl = {cs, 4};
    expect_ok(t, category_list_load_parent(&t->cx, t->conn, &cl, &t->arena));
    assert_null(cs[0].parent);
    assert_true(cs[0].parent_loaded);
    assert_int_equal(cs[1].parent->id, root.id);
    assert_int_equal(cs[3].parent->id, a.id);
    expect_ok(t, category_list_load_children(&t->cx, t->conn, &cl, &t->arena));
    assert_int_equal(cs[0].children.len, 2);
    assert_string_equal(cs[0].children.items[0].name, "a");
    assert_string_equal(cs[0].children.items[1].name, "b");
    assert_int_equal(cs[1].children.len, 1);
    assert_int_equal(cs[2].children.len, 0);
    assert_non_null(cs[2].children.items);

    /* Two relationships between Club and Match, told apart by their FK. */
    Club x = CLUB_INIT, y = CLUB_INIT;
    x.name = "X";
    y.name = "Y";
    expect_ok(t, club_insert(&t->cx, t->conn, &x));
    expect_ok(t, club_insert(&t->cx, t->conn, &y));
    Match m = MATCH_INIT;
    m.home_id = x.id;
    m.away_id = y.id;
    expect_ok(t, match_insert(&t->cx, t->conn, &m));
    expect_ok(t, match_load_home(&t->cx, t->conn, &m, &t->arena));
    expect_ok(t, match_load_away(&t->cx, t->conn, &m, &t->arena));
    assert_string_equal(m.home->name, "X");
    assert_string_equal(m.away->name, "Y");
    Club clubs[2] = {x, y};
    Club_list kl = {clubs, 2};
    expect_ok(t, club_list_load_home_matches(&t->cx, t->conn, &kl, &t->arena));
    expect_ok(t, club_list_load_away_matches(&t->cx, t->conn, &kl, &t->arena));
    assert_int_equal(clubs[0].home_matches.len, 1);
    assert_int_equal(clubs[0].away_matches.len, 0);
    assert_int_equal(clubs[1].home_matches.len, 0);
    assert_int_equal(clubs[1].away_matches.len, 1);

    /* Deletes an FK restricts name it, on every database. */
    expect_rc(t, club_delete(&t->cx, t->conn, x.id), SM_CONSTRAINT);
    const sm_constraint *k = sm_cx_constraint(&t->cx);
    assert_int_equal(k->kind, SM_CK_FK);
    assert_string_equal(k->name, "fk_match_home_id");
    expect_rc(t, club_delete(&t->cx, t->conn, y.id), SM_CONSTRAINT);
    k = sm_cx_constraint(&t->cx);
    assert_int_equal(k->kind, SM_CK_FK);
    assert_string_equal(k->name, "fk_match_away_id");
}

static void test_self_and_pair(void **state)
{
    (void)state;
    tdb_each(rels_create_all, self_and_pair);
}

/* ---- Text keys, one-to-one, get_many ------------------------------------------------- */

static void keys(tdb *t)
{
    const char *names[][2] = {{"fr", "France"}, {"de", "Germany"}, {"it", "Italy"}};
    for (int i = 0; i < 3; i++) {
        Country c = COUNTRY_INIT;
        c.code = names[i][0];
        c.name = names[i][1];
        expect_ok(t, country_insert(&t->cx, t->conn, &c));
    }
    City paris = CITY_INIT, lyon = CITY_INIT;
    paris.country_code = "fr";
    paris.name = "Paris";
    lyon.country_code = "fr";
    lyon.name = "Lyon";
    expect_ok(t, city_insert(&t->cx, t->conn, &paris));
    expect_ok(t, city_insert(&t->cx, t->conn, &lyon));
    Mayor mayor = MAYOR_INIT;
    mayor.city_id = lyon.id;
    mayor.name = "Grégory";
    expect_ok(t, mayor_insert(&t->cx, t->conn, &mayor));

    /* In the order of the keys, a missing one skipped, a repeated one repeated. */
    const char *const codes[] = {"it", "xx", "fr", "it"};
    Country_list got;
    uint64_t before = statements(t);
    expect_ok(t, country_get_many(&t->cx, t->conn, codes, 4, &got, &t->arena));
    assert_int_equal(statements(t) - before, 1);
    assert_int_equal(got.len, 3);
    assert_string_equal(got.items[0].name, "Italy");
    assert_string_equal(got.items[1].name, "France");
    assert_string_equal(got.items[2].name, "Italy");

    expect_ok(t, country_list_load_cities(&t->cx, t->conn, &got, &t->arena));
    assert_int_equal(got.items[0].cities.len, 0);
    assert_int_equal(got.items[1].cities.len, 2);
    assert_string_equal(got.items[1].cities.items[0].name, "Paris"); /* by key */
    City_list cities = got.items[1].cities;
    expect_ok(t, city_list_load_country(&t->cx, t->conn, &cities, &t->arena));
    assert_string_equal(cities.items[1].country->name, "France");
    expect_ok(t, mayor_load_city(&t->cx, t->conn, &mayor, &t->arena));
    assert_string_equal(mayor.city->name, "Lyon");

    /* A composite key. */
    Team a = new_team(t, "Preventers", "Sharp Tower");
    Hero d = new_hero(t, "Deadpond", "Dive Wilson", NULL);
    expect_ok(t, hero_link_team(&t->cx, t->conn, d.id, a.id));
    HeroTeamLink lk[2] = {HERO_TEAM_LINK_INIT, HERO_TEAM_LINK_INIT};
    lk[0].team_id = a.id;
    lk[0].hero_id = d.id;
    lk[1].team_id = a.id + 100;
    lk[1].hero_id = d.id;
    HeroTeamLink_list links;
    expect_ok(t, hero_team_link_get_many(&t->cx, t->conn, lk, 2, &links, &t->arena));
    assert_int_equal(links.len, 1);
    assert_int_equal(links.items[0].hero_id, d.id);
}

static void test_keys(void **state)
{
    (void)state;
    tdb_each(rels_create_all, keys);
}

/* ---- Nested conversions into JSON ---------------------------------------------------- */

static void nested(tdb *t)
{
    Team a = new_team(t, "Preventers", "Sharp Tower");
    Team none = new_team(t, "Nobody", "Nowhere");
    new_hero(t, "Rusty-Man", "Tommy Sharp", &a);
    Hero lone = new_hero(t, "Spider-Boy", "Pedro Parqueador", NULL);

    TeamPublicWithHeroes pub;
    memset(&pub, 0xa5, sizeof pub);
    expect_rc(t, team_public_with_heroes_from_team(&a, &pub, &t->arena), SM_MISUSE);
    assert_int_equal(((unsigned char *)&pub)[0], 0xa5); /* not loaded: untouched */
    expect_ok(t, team_load_heroes(&t->cx, t->conn, &a, &t->arena));
    expect_ok(t, team_public_with_heroes_from_team(&a, &pub, &t->arena));
    sm_buf_reset(&t->buf);
    expect_ok(t, team_public_with_heroes_to_json(&pub, &t->buf));
    char want[256];
    snprintf(want, sizeof want,
             "{\"name\":\"Preventers\",\"headquarters\":\"Sharp Tower\",\"id\":%lld,\"heroes\":"
             "[{\"name\":\"Rusty-Man\",\"secret_name\":\"Tommy Sharp\",\"age\":null,"
             "\"team_id\":%lld,\"id\":%lld}]}",
             (long long)a.id, (long long)a.id, (long long)a.heroes.items[0].id);
    assert_string_equal(t->buf.data, want);

    expect_ok(t, team_load_heroes(&t->cx, t->conn, &none, &t->arena));
    expect_ok(t, team_public_with_heroes_from_team(&none, &pub, &t->arena));
    sm_buf_reset(&t->buf);
    expect_ok(t, team_public_with_heroes_to_json(&pub, &t->buf));
    snprintf(want, sizeof want,
             "{\"name\":\"Nobody\",\"headquarters\":\"Nowhere\",\"id\":%lld,\"heroes\":[]}",
             (long long)none.id);
    assert_string_equal(t->buf.data, want);

    /* To-one: a hero without a team has none. */
    HeroPublicWithTeam hp;
    expect_rc(t, hero_public_with_team_from_hero(&lone, &hp, &t->arena), SM_MISUSE);
    expect_ok(t, hero_load_team(&t->cx, t->conn, &lone, &t->arena));
    expect_ok(t, hero_public_with_team_from_hero(&lone, &hp, &t->arena));
    assert_false(hp.has_team);
    Hero with = a.heroes.items[0];
    expect_ok(t, hero_load_team(&t->cx, t->conn, &with, &t->arena));
    expect_ok(t, hero_public_with_team_from_hero(&with, &hp, &t->arena));
    assert_true(hp.has_team);
    assert_string_equal(hp.team.name, "Preventers");
    assert_int_equal(hp.team.id, a.id);
}

static void test_nested(void **state)
{
    (void)state;
    tdb_each(rels_create_all, nested);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_and_many),
        cmocka_unit_test(test_many_to_many),
        cmocka_unit_test(test_self_and_pair),
        cmocka_unit_test(test_keys),
        cmocka_unit_test(test_nested),
    };
    return tdb_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
