/*
 * test_rel_counts.c: loading relationships costs a number of statements
 * that does not depend on the number of rows (no N+1), on every
 * dialect: 1,000 heroes with their teams, and 100 teams with their
 * heroes and each hero's teams, compared with the same loads over a
 * tenth of the rows.
 */
#include "seed.h"

/* teams teams of `per` heroes each; hero k is linked to its own team
 * and to the next one. */
static void fill(tdb *t, int teams, int per)
{
    Team *ts = calloc((size_t)teams, sizeof *ts);
    Hero *hs = calloc((size_t)(teams * per), sizeof *hs);
    HeroTeamLink *ls = calloc((size_t)(teams * per) * 2, sizeof *ls);
    assert_non_null(ts);
    assert_non_null(hs);
    assert_non_null(ls);
    for (int i = 0; i < teams; i++) {
        ts[i] = (Team)TEAM_INIT;
        ts[i].name = "team";
        ts[i].headquarters = "hq";
    }
    TDB_MUST(t, team_insert_many(&t->cx, t->conn, ts, (size_t)teams));
    for (int k = 0; k < teams * per; k++) {
        hs[k] = (Hero)HERO_INIT;
        hs[k].name = "hero";
        hs[k].secret_name = "secret";
        hs[k].team_id = ts[k / per].id;
        hs[k].has_team_id = true;
    }
    TDB_MUST(t, hero_insert_many(&t->cx, t->conn, hs, (size_t)(teams * per)));
    for (int k = 0; k < teams * per; k++)
        for (int j = 0; j < 2; j++) {
            HeroTeamLink *l = &ls[2 * k + j];
            *l = (HeroTeamLink)HERO_TEAM_LINK_INIT;
            l->hero_id = hs[k].id;
            l->team_id = ts[(k / per + j) % teams].id;
        }
    TDB_MUST(t, hero_team_link_insert_many(&t->cx, t->conn, ls, (size_t)(teams * per) * 2));
    free(ts);
    free(hs);
    free(ls);
}

/* Statements of: every hero with its team (query and list load), and
 * every team with its heroes and their teams. */
static void count(tdb *t, uint64_t *heroes_teams, uint64_t *list_load, uint64_t *nested,
                  size_t want_heroes, size_t want_teams)
{
    Hero_list hl;
    sm_conn_stats before = sm_conn_stat(t->conn);
    TDB_MUST(t, heroes_with_team(&t->cx, t->conn, &hl, &t->arena));
    *heroes_teams = statements_since(t, before);
    assert_int_equal(hl.len, want_heroes);
    for (size_t i = 0; i < hl.len; i++)
        assert_int_equal(hl.items[i].team->id, hl.items[i].team_id);
    for (size_t i = 0; i < hl.len; i++)
        hl.items[i].team = NULL, hl.items[i].team_loaded = false;
    before = sm_conn_stat(t->conn);
    TDB_MUST(t, hero_list_load_team(&t->cx, t->conn, &hl, &t->arena));
    *list_load = statements_since(t, before);
    assert_true(hl.items[hl.len - 1].team_loaded);

    Team_list tl;
    before = sm_conn_stat(t->conn);
    TDB_MUST(t, teams_with_heroes_and_their_teams(&t->cx, t->conn, &tl, &t->arena));
    *nested = statements_since(t, before);
    assert_int_equal(tl.len, want_teams);
    size_t per = want_heroes / want_teams;
    for (size_t i = 0; i < tl.len; i++) {
        assert_int_equal(tl.items[i].heroes.len, per);
        for (size_t k = 0; k < per; k++)
            assert_int_equal(tl.items[i].heroes.items[k].teams.len, want_teams > 1 ? 2 : 1);
    }
    sm_arena_free(&t->arena);
}

static void counts_body(tdb *t)
{
    uint64_t small[3], large[3];
    fill(t, 10, 10); /* 100 heroes */
    count(t, &small[0], &small[1], &small[2], 100, 10);
    TDB_MUST(t, tdb_exec(t, "DELETE FROM hero_team_link", NULL, 0));
    TDB_MUST(t, tdb_exec(t, "DELETE FROM hero", NULL, 0));
    TDB_MUST(t, tdb_exec(t, "DELETE FROM team", NULL, 0));
    fill(t, 100, 10); /* 1,000 heroes */
    count(t, &large[0], &large[1], &large[2], 1000, 100);
    assert_int_equal(small[0], 2);
    assert_int_equal(small[1], 1);
    assert_int_equal(small[2], 3);
    for (int i = 0; i < 3; i++)
        assert_int_equal(large[i], small[i]);
}

static void counts(void **state)
{
    (void)state;
    tdb_each(rel_shapes_create_all, counts_body);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(counts)};
    return tdb_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
