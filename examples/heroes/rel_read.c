/* Chapter "Read Relationships": a hero's team, first by its key as
 * before, then through the relationship; a team's heroes; and every hero
 * with its team in two statements (never one per hero).
 * SQLModel: hero.team, team.heroes (loaded when first touched). */
#include "show.h"

#include <stdio.h>

int main(int argc, char **argv)
{
    sm_cx cx;
    sm_cx_init(&cx);
    sm_conn *conn = open_db(&cx, argc, argv);
    sm_arena arena = SM_ARENA_INIT;

    Hero spider_boy;
    int rc = hero_named(&cx, conn, "Spider-Boy", &spider_boy, &arena);
    if (rc != SM_OK)
        fail(&cx, "hero_named", rc);
    /* select(Team).where(Team.id == hero_spider_boy.team_id) */
    Team team;
    if ((rc = team_get(&cx, conn, spider_boy.team_id, &team, &arena)) != SM_OK)
        fail(&cx, "team_get", rc);
    print_team("Spider-Boy's team", &team);
    /* hero_spider_boy.team */
    if ((rc = hero_load_team(&cx, conn, &spider_boy, &arena)) != SM_OK)
        fail(&cx, "hero_load_team", rc);
    print_team("Spider-Boy's team again", spider_boy.team);

    /* team_preventers.heroes: the team and its heroes, ordered by id */
    Team preventers;
    if ((rc = team_with_heroes(&cx, conn, "Preventers", &preventers, &arena)) != SM_OK)
        fail(&cx, "team_with_heroes", rc);
    print_heroes("Preventers heroes", &preventers.heroes);

    /* for hero in heroes: hero.team, loaded for the whole list at once */
    Hero_list heroes;
    if ((rc = heroes_with_teams(&cx, conn, &heroes, &arena)) != SM_OK)
        fail(&cx, "heroes_with_teams", rc);
    for (size_t i = 0; i < heroes.len; i++)
        printf("%s: %s\n", heroes.items[i].name,
               heroes.items[i].team ? heroes.items[i].team->name : "no team");

    sm_arena_free(&arena);
    sm_close(conn);
    sm_cx_free(&cx);
    return 0;
}
