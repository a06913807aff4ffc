/*
 * test_rel_files.c: a model in one file and its relationships in
 * another (left.smdl and right.smdl import each other), on every
 * dialect: each side loads the other one by one, as a list, and
 * eagerly.
 */
#include "tdb.h"

#include "left.h"
#include "right.h"

static int create(sm_cx *cx, sm_conn *conn)
{
    int rc = right_create_all(cx, conn); /* left's heroes refer to right's teams */
    return rc == SM_OK ? left_create_all(cx, conn) : rc;
}

static void across_body(tdb *t)
{
    Team team = TEAM_INIT;
    team.name = "Preventers";
    TDB_MUST(t, team_insert(&t->cx, t->conn, &team));
    Hero heroes[3] = {HERO_INIT, HERO_INIT, HERO_INIT};
    const char *const names[3] = {"Rusty-Man", "Spider-Boy", "Deadpond"};
    for (int i = 0; i < 3; i++) {
        heroes[i].name = names[i];
        heroes[i].team_id = team.id;
        heroes[i].has_team_id = i < 2;
    }
    TDB_MUST(t, hero_insert_many(&t->cx, t->conn, heroes, 3));

    expect_ok(t, hero_load_team(&t->cx, t->conn, &heroes[0], &t->arena));
    assert_string_equal(heroes[0].team->name, "Preventers");
    expect_ok(t, team_load_heroes(&t->cx, t->conn, &team, &t->arena));
    assert_int_equal(team.heroes.len, 2);
    assert_string_equal(team.heroes.items[1].name, "Spider-Boy");

    Hero_list hl;
    expect_ok(t, heroes_with_team(&t->cx, t->conn, &hl, &t->arena));
    assert_int_equal(hl.len, 3);
    assert_string_equal(hl.items[1].team->name, "Preventers");
    assert_true(hl.items[2].team_loaded);
    assert_null(hl.items[2].team);
    Team_list tl;
    expect_ok(t, teams_with_heroes(&t->cx, t->conn, &tl, &t->arena));
    assert_int_equal(tl.len, 1);
    assert_int_equal(tl.items[0].heroes.len, 2);
    expect_ok(t, team_list_load_heroes(&t->cx, t->conn, &tl, &t->arena));
    assert_int_equal(tl.items[0].heroes.len, 2);
}

static void across(void **state)
{
    (void)state;
    tdb_each(create, across_body);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(across)};
    return tdb_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
