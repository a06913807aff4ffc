#include "seed.h"

static Team team(const char *name, const char *headquarters)
{
    Team x = TEAM_INIT;
    x.name = name;
    x.headquarters = headquarters;
    return x;
}

static Hero hero(const char *name, const char *secret_name, int64_t age, int64_t team_id)
{
    Hero h = HERO_INIT;
    h.name = name;
    h.secret_name = secret_name;
    h.age = age;
    h.has_age = age > 0;
    h.team_id = team_id;
    h.has_team_id = team_id > 0;
    return h;
}

void seed(tdb *t)
{
    Team teams[3] = {team("Preventers", "Sharp Tower"), team("Z-Force", "Sister Margaret's Bar"),
                     team("Wakaland", "Wakaland Capital City")};
    TDB_MUST(t, team_insert_many(&t->cx, t->conn, teams, 3));
    Hero heroes[4] = {
        hero("Deadpond", "Dive Wilson", 0, 2),
        hero("Rusty-Man", "Tommy Sharp", 48, 1),
        hero("Spider-Boy", "Pedro Parqueador", 0, 1),
        hero("Tarantula", "Natalia Roman-on", 32, 0),
    };
    TDB_MUST(t, hero_insert_many(&t->cx, t->conn, heroes, 4));
    const int64_t pairs[3][3] = {{1, 2, 0}, {1, 1, 1}, {2, 1, 0}};
    HeroTeamLink links[3];
    for (int i = 0; i < 3; i++) {
        links[i] = (HeroTeamLink)HERO_TEAM_LINK_INIT;
        links[i].hero_id = pairs[i][0];
        links[i].team_id = pairs[i][1];
        links[i].is_training = pairs[i][2];
    }
    TDB_MUST(t, hero_team_link_insert_many(&t->cx, t->conn, links, 3));
}

uint64_t statements_since(tdb *t, sm_conn_stats before)
{
    return sm_conn_stat(t->conn).statements - before.statements;
}
