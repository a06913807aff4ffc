/*
 * test_rel_shapes.c: every shape of relationship, loaded one object at a
 * time (_load_), for a list (_list_load_) and eagerly (`with`), on every
 * dialect: to-one and one-to-many, many-to-many with link and unlink,
 * one-to-one from both sides, a self-reference, and two relationships
 * between one pair of tables.  Children come ordered by key; "loaded and
 * empty" differs from "not loaded"; each load is one statement.
 */
#include "seed.h"

static void names_are(tdb *t, const Hero_list *l, const char *const *want, size_t n)
{
    assert_non_null(l->items); /* loaded, even when empty */
    assert_int_equal(l->len, n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(l->items[i].name, want[i]);
    (void)t;
}

static void team_names_are(const Team_list *l, const char *const *want, size_t n)
{
    assert_non_null(l->items);
    assert_int_equal(l->len, n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(l->items[i].name, want[i]);
}

/* ---- to-one and one-to-many --------------------------------------------------------- */

static void to_one_body(tdb *t)
{
    seed(t);
    Hero deadpond, tarantula;
    TDB_MUST(t, hero_get(&t->cx, t->conn, 1, &deadpond, &t->arena));
    TDB_MUST(t, hero_get(&t->cx, t->conn, 4, &tarantula, &t->arena));
    assert_null(deadpond.team); /* not loaded */
    assert_false(deadpond.team_loaded);

    sm_conn_stats before = sm_conn_stat(t->conn);
    expect_ok(t, hero_load_team(&t->cx, t->conn, &deadpond, &t->arena));
    assert_int_equal(statements_since(t, before), 1);
    assert_true(deadpond.team_loaded);
    assert_non_null(deadpond.team);
    assert_string_equal(deadpond.team->name, "Z-Force");
    assert_int_equal(deadpond.team->id, 2);
    /* A NULL foreign key: loaded, and no team, without a statement. */
    before = sm_conn_stat(t->conn);
    expect_ok(t, hero_load_team(&t->cx, t->conn, &tarantula, &t->arena));
    assert_int_equal(statements_since(t, before), 0);
    assert_true(tarantula.team_loaded);
    assert_null(tarantula.team);

    /* get_many: in the order of the keys, a missing key skipped, a
     * repeated key repeated; then the whole list's teams in one statement. */
    const int64_t ids[6] = {4, 1, 2, 99, 3, 1};
    Hero_list list;
    before = sm_conn_stat(t->conn);
    expect_ok(t, hero_get_many(&t->cx, t->conn, ids, 6, &list, &t->arena));
    assert_int_equal(statements_since(t, before), 1);
    const char *const order[5] = {"Tarantula", "Deadpond", "Rusty-Man", "Spider-Boy", "Deadpond"};
    names_are(t, &list, order, 5);
    before = sm_conn_stat(t->conn);
    expect_ok(t, hero_list_load_team(&t->cx, t->conn, &list, &t->arena));
    assert_int_equal(statements_since(t, before), 1);
    const char *const teams[5] = {NULL, "Z-Force", "Preventers", "Preventers", "Z-Force"};
    for (size_t i = 0; i < 5; i++) {
        assert_true(list.items[i].team_loaded);
        if (teams[i])
            assert_string_equal(list.items[i].team->name, teams[i]);
        else
            assert_null(list.items[i].team);
    }
    /* Heroes of one team share the one team object read. */
    assert_ptr_equal(list.items[2].team, list.items[3].team);
    expect_ok(t, hero_get_many(&t->cx, t->conn, ids, 0, &list, &t->arena));
    assert_int_equal(list.len, 0);

    /* One-to-many, ordered by key; a team without heroes gets an empty
     * list, not "not loaded". */
    Team preventers, wakaland;
    TDB_MUST(t, team_get(&t->cx, t->conn, 1, &preventers, &t->arena));
    TDB_MUST(t, team_get(&t->cx, t->conn, 3, &wakaland, &t->arena));
    assert_null(preventers.heroes.items);
    expect_ok(t, team_load_heroes(&t->cx, t->conn, &preventers, &t->arena));
    const char *const prev[2] = {"Rusty-Man", "Spider-Boy"};
    names_are(t, &preventers.heroes, prev, 2);
    expect_ok(t, team_load_heroes(&t->cx, t->conn, &wakaland, &t->arena));
    names_are(t, &wakaland.heroes, NULL, 0);

    /* Eagerly: the same through queries, a statement per level. */
    before = sm_conn_stat(t->conn);
    expect_ok(t, heroes_with_team(&t->cx, t->conn, &list, &t->arena));
    assert_int_equal(statements_since(t, before), 2);
    assert_int_equal(list.len, 4);
    assert_string_equal(list.items[0].team->name, "Z-Force");
    assert_string_equal(list.items[1].team->name, "Preventers");
    assert_true(list.items[3].team_loaded);
    assert_null(list.items[3].team);
    Team_list tl;
    expect_ok(t, teams_with_heroes(&t->cx, t->conn, &tl, &t->arena));
    assert_int_equal(tl.len, 3);
    names_are(t, &tl.items[0].heroes, prev, 2);
    const char *const zf[1] = {"Deadpond"};
    names_are(t, &tl.items[1].heroes, zf, 1);
    names_are(t, &tl.items[2].heroes, NULL, 0);
    Team one;
    expect_ok(t, team_with_heroes(&t->cx, t->conn, 2, &one, &t->arena));
    names_are(t, &one.heroes, zf, 1);
    expect_rc(t, team_with_heroes(&t->cx, t->conn, 99, &one, &t->arena), SM_NOTFOUND);
    Hero h;
    expect_ok(t, hero_with_team(&t->cx, t->conn, 4, &h, &t->arena));
    assert_true(h.team_loaded);
    assert_null(h.team);
    expect_ok(t, hero_with_team(&t->cx, t->conn, 2, &h, &t->arena));
    assert_string_equal(h.team->headquarters, "Sharp Tower");
    expect_rc(t, hero_with_team(&t->cx, t->conn, 99, &h, &t->arena), SM_NOTFOUND);
}

static void to_one(void **state)
{
    (void)state;
    tdb_each(rel_shapes_create_all, to_one_body);
}

/* ---- many-to-many ----------------------------------------------------------------------- */

static void many_to_many_body(tdb *t)
{
    seed(t);
    Hero deadpond;
    TDB_MUST(t, hero_get(&t->cx, t->conn, 1, &deadpond, &t->arena));
    expect_ok(t, hero_load_teams(&t->cx, t->conn, &deadpond, &t->arena));
    const char *const both[2] = {"Preventers", "Z-Force"};
    team_names_are(&deadpond.teams, both, 2);

    /* Link: idempotent; unlink: SM_NOTFOUND when not linked. */
    expect_ok(t, hero_link_team(&t->cx, t->conn, 3, 2));
    expect_ok(t, hero_link_team(&t->cx, t->conn, 3, 2));
    assert_int_equal(tdb_count(t, "hero_team_link"), 4);
    expect_ok(t, team_link_hero(&t->cx, t->conn, 3, 4)); /* from the other side */
    assert_int_equal(tdb_count(t, "hero_team_link"), 5);
    expect_ok(t, hero_unlink_team(&t->cx, t->conn, 4, 3));
    expect_rc(t, hero_unlink_team(&t->cx, t->conn, 4, 3), SM_NOTFOUND);
    /* A link to a missing hero is the database's foreign key error. */
    expect_rc(t, hero_link_team(&t->cx, t->conn, 99, 1), SM_CONSTRAINT);

    /* The link's own columns, through the link model's CRUD. */
    HeroTeamLink link;
    expect_ok(t, hero_team_link_get(&t->cx, t->conn, 3, 2, &link, &t->arena));
    assert_false(link.is_training); /* the column's default */
    link.is_training = true;
    expect_ok(t, hero_team_link_update(&t->cx, t->conn, &link));
    HeroTeamLink keys[3] = {HERO_TEAM_LINK_INIT, HERO_TEAM_LINK_INIT, HERO_TEAM_LINK_INIT};
    keys[0].hero_id = 3, keys[0].team_id = 2;
    keys[1].hero_id = 9, keys[1].team_id = 9;
    keys[2].hero_id = 1, keys[2].team_id = 1;
    HeroTeamLink_list links;
    expect_ok(t, hero_team_link_get_many(&t->cx, t->conn, keys, 3, &links, &t->arena));
    assert_int_equal(links.len, 2);
    assert_true(links.items[0].is_training && links.items[0].hero_id == 3);
    assert_true(links.items[1].is_training && links.items[1].hero_id == 1);

    /* The list of every hero's teams, in one statement. */
    Hero_list heroes;
    sm_conn_stats before = sm_conn_stat(t->conn);
    expect_ok(t, heroes_with_links(&t->cx, t->conn, &heroes, &t->arena));
    assert_int_equal(statements_since(t, before), 2);
    assert_int_equal(heroes.len, 4);
    team_names_are(&heroes.items[0].teams, both, 2);
    const char *const prev[1] = {"Preventers"};
    team_names_are(&heroes.items[1].teams, prev, 1);
    const char *const zf[1] = {"Z-Force"};
    team_names_are(&heroes.items[2].teams, zf, 1);
    team_names_are(&heroes.items[3].teams, NULL, 0);

    /* Two levels: each team's heroes, and each of those heroes' teams. */
    Team_list teams;
    before = sm_conn_stat(t->conn);
    expect_ok(t, teams_with_heroes_and_their_teams(&t->cx, t->conn, &teams, &t->arena));
    assert_int_equal(statements_since(t, before), 3);
    const Hero_list *ph = &teams.items[0].heroes; /* Rusty-Man, Spider-Boy */
    assert_int_equal(ph->len, 2);
    team_names_are(&ph->items[0].teams, prev, 1);
    team_names_are(&ph->items[1].teams, zf, 1);
    /* Two relationships of one query: heroes by FK, members by link. */
    expect_ok(t, teams_with_links(&t->cx, t->conn, &teams, &t->arena));
    const char *const members[2] = {"Deadpond", "Rusty-Man"};
    names_are(t, &teams.items[0].members, members, 2);
    const char *const by_fk[2] = {"Rusty-Man", "Spider-Boy"};
    names_are(t, &teams.items[0].heroes, by_fk, 2);
}

static void many_to_many(void **state)
{
    (void)state;
    tdb_each(rel_shapes_create_all, many_to_many_body);
}

/* ---- one-to-one from both sides ---------------------------------------------------------- */

static void one_to_one_body(tdb *t)
{
    Person people[2] = {PERSON_INIT, PERSON_INIT};
    people[0].name = "Ann";
    people[1].name = "Bob";
    TDB_MUST(t, person_insert_many(&t->cx, t->conn, people, 2));
    Passport p = PASSPORT_INIT;
    p.number = "P-1";
    p.person_id = people[0].id;
    TDB_MUST(t, passport_insert(&t->cx, t->conn, &p));

    /* From the side without the foreign key. */
    expect_ok(t, person_load_passport(&t->cx, t->conn, &people[0], &t->arena));
    assert_true(people[0].passport_loaded);
    assert_string_equal(people[0].passport->number, "P-1");
    expect_ok(t, person_load_passport(&t->cx, t->conn, &people[1], &t->arena));
    assert_true(people[1].passport_loaded);
    assert_null(people[1].passport);
    /* From the side with it. */
    expect_ok(t, passport_load_person(&t->cx, t->conn, &p, &t->arena));
    assert_string_equal(p.person->name, "Ann");

    Person_list pl;
    expect_ok(t, people_with_passports(&t->cx, t->conn, &pl, &t->arena));
    assert_int_equal(pl.len, 2);
    assert_string_equal(pl.items[0].passport->number, "P-1");
    assert_true(pl.items[1].passport_loaded);
    assert_null(pl.items[1].passport);
    Person_list again = {pl.items, pl.len};
    for (size_t i = 0; i < again.len; i++)
        again.items[i].passport = NULL, again.items[i].passport_loaded = false;
    expect_ok(t, person_list_load_passport(&t->cx, t->conn, &again, &t->arena));
    assert_string_equal(again.items[0].passport->number, "P-1");
    Passport_list ppl;
    expect_ok(t, passports_with_people(&t->cx, t->conn, &ppl, &t->arena));
    assert_int_equal(ppl.len, 1);
    assert_string_equal(ppl.items[0].person->name, "Ann");
}

static void one_to_one(void **state)
{
    (void)state;
    tdb_each(rel_shapes_create_all, one_to_one_body);
}

/* ---- a self-reference -------------------------------------------------------------------- */

static int64_t node(tdb *t, const char *name, int64_t parent)
{
    Node n = NODE_INIT;
    n.name = name;
    n.parent_id = parent;
    n.has_parent_id = parent > 0;
    TDB_MUST(t, node_insert(&t->cx, t->conn, &n));
    return n.id;
}

static void self_reference_body(tdb *t)
{
    int64_t a = node(t, "a", 0), b = node(t, "b", a);
    node(t, "c", a);
    node(t, "d", b);
    node(t, "e", 0);

    Node_list roots;
    sm_conn_stats before = sm_conn_stat(t->conn);
    expect_ok(t, roots_with_grandchildren(&t->cx, t->conn, &roots, &t->arena));
    assert_int_equal(statements_since(t, before), 3);
    assert_int_equal(roots.len, 2);
    const Node_list *ch = &roots.items[0].children;
    assert_int_equal(ch->len, 2);
    assert_string_equal(ch->items[0].name, "b");
    assert_string_equal(ch->items[1].name, "c");
    assert_int_equal(ch->items[0].children.len, 1);
    assert_string_equal(ch->items[0].children.items[0].name, "d");
    assert_non_null(ch->items[1].children.items); /* loaded, empty */
    assert_int_equal(ch->items[1].children.len, 0);
    assert_non_null(roots.items[1].children.items);
    assert_int_equal(roots.items[1].children.len, 0);
    /* Three levels down was not asked for: not loaded. */
    assert_null(ch->items[0].children.items[0].children.items);

    Node_list all;
    expect_ok(t, nodes_with_parent(&t->cx, t->conn, &all, &t->arena));
    assert_int_equal(all.len, 5);
    assert_null(all.items[0].parent);
    assert_string_equal(all.items[1].parent->name, "a");
    assert_string_equal(all.items[3].parent->name, "b");
    Node d = all.items[3];
    d.parent = NULL, d.parent_loaded = false;
    expect_ok(t, node_load_parent(&t->cx, t->conn, &d, &t->arena));
    assert_string_equal(d.parent->name, "b");
    expect_ok(t, node_list_load_children(&t->cx, t->conn, &all, &t->arena));
    assert_int_equal(all.items[0].children.len, 2);
    assert_int_equal(all.items[4].children.len, 0);
}

static void self_reference(void **state)
{
    (void)state;
    tdb_each(rel_shapes_create_all, self_reference_body);
}

/* ---- two relationships between one pair --------------------------------------------------- */

static void two_between_one_pair_body(tdb *t)
{
    Club clubs[2] = {CLUB_INIT, CLUB_INIT};
    clubs[0].name = "X";
    clubs[1].name = "Y";
    TDB_MUST(t, club_insert_many(&t->cx, t->conn, clubs, 2));
    Match m[3] = {MATCH_INIT, MATCH_INIT, MATCH_INIT};
    const int64_t home[3] = {1, 2, 1}, away[3] = {2, 1, 2};
    for (int i = 0; i < 3; i++)
        m[i].home_id = home[i], m[i].away_id = away[i];
    TDB_MUST(t, match_insert_many(&t->cx, t->conn, m, 3));

    expect_ok(t, match_load_home(&t->cx, t->conn, &m[1], &t->arena));
    expect_ok(t, match_load_away(&t->cx, t->conn, &m[1], &t->arena));
    assert_string_equal(m[1].home->name, "Y");
    assert_string_equal(m[1].away->name, "X");

    Club_list cl;
    sm_conn_stats before = sm_conn_stat(t->conn);
    expect_ok(t, clubs_with_matches(&t->cx, t->conn, &cl, &t->arena));
    assert_int_equal(statements_since(t, before), 5);
    const Match_list *xh = &cl.items[0].home_matches, *xa = &cl.items[0].away_matches;
    assert_int_equal(xh->len, 2);
    assert_int_equal(xh->items[0].id, 1);
    assert_int_equal(xh->items[1].id, 3);
    assert_string_equal(xh->items[0].away->name, "Y");
    assert_null(xh->items[0].home); /* not asked for */
    assert_int_equal(xa->len, 1);
    assert_int_equal(xa->items[0].id, 2);
    assert_string_equal(xa->items[0].home->name, "Y");

    Match_list ml;
    expect_ok(t, matches_with_clubs(&t->cx, t->conn, &ml, &t->arena));
    assert_int_equal(ml.len, 3);
    assert_string_equal(ml.items[2].home->name, "X");
    assert_string_equal(ml.items[2].away->name, "Y");
    expect_ok(t, club_list_load_away_matches(&t->cx, t->conn, &cl, &t->arena));
    assert_int_equal(cl.items[1].away_matches.len, 2);
}

static void two_between_one_pair(void **state)
{
    (void)state;
    tdb_each(rel_shapes_create_all, two_between_one_pair_body);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(to_one),
        cmocka_unit_test(many_to_many),
        cmocka_unit_test(one_to_one),
        cmocka_unit_test(self_reference),
        cmocka_unit_test(two_between_one_pair),
    };
    return tdb_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
