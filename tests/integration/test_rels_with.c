/*
 * test_rels_with.c: the queries of tests/schemas/rels.smdl that load
 * relationships (`with`), a one-to-one relationship from the side
 * without the FK, and a self-referencing many-to-many, on every dialect:
 * each level is one statement whatever the number of rows.
 */
#include "tdb.h"

#include "rels.h"

static uint64_t statements(tdb *t)
{
    return sm_conn_stat(t->conn).statements;
}

static Team new_team(tdb *t, const char *name)
{
    Team m = TEAM_INIT;
    m.name = name;
    m.headquarters = "HQ";
    expect_ok(t, team_insert(&t->cx, t->conn, &m));
    return m;
}

static Hero new_hero(tdb *t, const char *name, const Team *team)
{
    Hero h = HERO_INIT;
    h.name = name;
    h.secret_name = "?";
    if (team) {
        h.team_id = team->id;
        h.has_team_id = true;
    }
    expect_ok(t, hero_insert(&t->cx, t->conn, &h));
    return h;
}

/* ---- `with` in queries ------------------------------------------------------------------- */

typedef struct seen {
    int rows;
    size_t heroes;
    bool all_loaded;
} seen;

static int see_team(void *ud, const Team *row)
{
    seen *s = ud;
    s->rows++;
    s->heroes += row->heroes.len;
    s->all_loaded &= row->heroes.items != NULL;
    return 0;
}

static void with_queries(tdb *t)
{
    Team a = new_team(t, "A"), b = new_team(t, "B");
    new_team(t, "C"); /* no heroes: an empty list, not a phantom row */
    Hero h1 = new_hero(t, "h1", &a), h2 = new_hero(t, "h2", &a);
    new_hero(t, "h3", &b);
    expect_ok(t, hero_link_team(&t->cx, t->conn, h1.id, b.id));
    expect_ok(t, hero_link_team(&t->cx, t->conn, h1.id, a.id));
    expect_ok(t, hero_link_team(&t->cx, t->conn, h2.id, b.id));

    /* The rows, then one statement per element of the paths. */
    Team_list teams;
    uint64_t before = statements(t);
    expect_ok(t, teams_with_heroes(&t->cx, t->conn, &teams, &t->arena));
    assert_int_equal(statements(t) - before, 4);
    assert_int_equal(teams.len, 3);
    assert_int_equal(teams.items[0].heroes.len, 2);
    assert_int_equal(teams.items[0].heroes.items[0].id, h1.id);
    assert_int_equal(teams.items[0].heroes.items[0].teams.len, 2);
    assert_int_equal(teams.items[0].heroes.items[0].teams.items[0].id, a.id);
    assert_int_equal(teams.items[0].heroes.items[1].teams.len, 1);
    assert_int_equal(teams.items[1].heroes.len, 1);
    assert_int_equal(teams.items[1].heroes.items[0].teams.len, 0);
    assert_non_null(teams.items[2].heroes.items);
    assert_int_equal(teams.items[2].heroes.len, 0);
    assert_int_equal(teams.items[0].members.len, 1); /* a's members: h1 */
    assert_int_equal(teams.items[1].members.len, 2);

    Hero one;
    expect_ok(t, hero_with_team(&t->cx, t->conn, h2.id, &one, &t->arena));
    assert_true(one.team_loaded);
    assert_string_equal(one.team->name, "A");
    assert_non_null(one.tags.items);
    assert_int_equal(one.tags.len, 0);

    seen s = {0, 0, true};
    expect_ok(t, each_team(&t->cx, t->conn, see_team, &s));
    assert_int_equal(s.rows, 3);
    assert_int_equal(s.heroes, 3);
    assert_true(s.all_loaded);
}

static void test_with_queries(void **state)
{
    (void)state;
    tdb_each(rels_create_all, with_queries);
}

/* ---- One-to-one from both sides, a self-referencing many-to-many ------------------------- */

static void one_to_one_and_friends(tdb *t)
{
    Country fr = COUNTRY_INIT;
    fr.code = "fr";
    fr.name = "France";
    expect_ok(t, country_insert(&t->cx, t->conn, &fr));
    City c[2] = {CITY_INIT, CITY_INIT};
    c[0].country_code = c[1].country_code = "fr";
    c[0].name = "Paris";
    c[1].name = "Lyon";
    expect_ok(t, city_insert_many(&t->cx, t->conn, c, 2));
    Mayor m = MAYOR_INIT;
    m.city_id = c[1].id;
    m.name = "Grégory";
    expect_ok(t, mayor_insert(&t->cx, t->conn, &m));

    City_list cl = {c, 2};
    expect_ok(t, city_list_load_mayor(&t->cx, t->conn, &cl, &t->arena));
    assert_true(c[0].mayor_loaded);
    assert_null(c[0].mayor);
    assert_string_equal(c[1].mayor->name, "Grégory");
    expect_ok(t, mayor_load_city(&t->cx, t->conn, &m, &t->arena));
    assert_string_equal(m.city->name, "Lyon");

    Person p[3] = {PERSON_INIT, PERSON_INIT, PERSON_INIT};
    p[0].name = "ann";
    p[1].name = "bob";
    p[2].name = "cid";
    expect_ok(t, person_insert_many(&t->cx, t->conn, p, 3));
    expect_ok(t, person_link_friends(&t->cx, t->conn, p[0].id, p[1].id));
    expect_ok(t, person_link_friends(&t->cx, t->conn, p[0].id, p[2].id));
    expect_ok(t, person_link_friend_of(&t->cx, t->conn, p[0].id, p[2].id)); /* cid -> ann */
    Person_list pl = {p, 3};
    expect_ok(t, person_list_load_friends(&t->cx, t->conn, &pl, &t->arena));
    expect_ok(t, person_list_load_friend_of(&t->cx, t->conn, &pl, &t->arena));
    assert_int_equal(p[0].friends.len, 2);
    assert_string_equal(p[0].friends.items[0].name, "bob");
    assert_int_equal(p[0].friend_of.len, 1);
    assert_string_equal(p[0].friend_of.items[0].name, "cid");
    assert_int_equal(p[1].friend_of.len, 1);
    assert_int_equal(p[2].friends.len, 1);
    assert_string_equal(p[2].friends.items[0].name, "ann");
    expect_ok(t, person_unlink_friend_of(&t->cx, t->conn, p[0].id, p[2].id));
    expect_rc(t, person_unlink_friends(&t->cx, t->conn, p[2].id, p[0].id), SM_NOTFOUND);

    /* Through `with`, two levels. */
    Country_list deep;
    uint64_t before = statements(t);
    expect_ok(t, countries_deep(&t->cx, t->conn, &deep, &t->arena));
    assert_int_equal(statements(t) - before, 3);
    assert_int_equal(deep.len, 1);
    assert_int_equal(deep.items[0].cities.len, 2);
    assert_true(deep.items[0].cities.items[0].mayor_loaded);
    assert_null(deep.items[0].cities.items[0].mayor);
    assert_int_equal(deep.items[0].cities.items[1].mayor->id, m.id);
}

static void test_one_to_one_and_friends(void **state)
{
    (void)state;
    tdb_each(rels_create_all, one_to_one_and_friends);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_with_queries),
        cmocka_unit_test(test_one_to_one_and_friends),
    };
    return tdb_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
