/* Chapter "Create and Update Relationships", after rel_define: Spider-Boy
 * joins a team, a team is created with its heroes, and new heroes are
 * added to a team.  SQLModel: hero.team = team, Team(heroes=[...]),
 * team.heroes.append().  Here each is a foreign key written in the
 * hero: the relationship fields are read, never written. */
#include "create_heroes.h"

int main(int argc, char **argv)
{
    sm_cx cx;
    sm_cx_init(&cx);
    sm_conn *conn = open_db(&cx, argc, argv);
    sm_arena arena = SM_ARENA_INIT;
    Team preventers;
    Hero spider_boy;
    int rc = team_named(&cx, conn, "Preventers", &preventers, &arena);
    if (rc == SM_OK)
        rc = hero_named(&cx, conn, "Spider-Boy", &spider_boy, &arena);
    if (rc != SM_OK)
        fail(&cx, "read", rc);
    connect_more_heroes(&cx, conn, &preventers, &spider_boy);

    /* team_preventers.heroes.append(...) for three new heroes: each new
     * hero refers to the team, and all three are inserted in one call. */
    const struct {
        const char *name, *secret_name;
        int64_t age;
    } recruits[3] = {
        {"Tarantula", "Natalia Roman-on", 32},
        {"Dr. Weird", "Steve Weird", 36},
        {"Captain North America", "Esteban Rogelios", 93},
    };
    Hero heroes[3];
    for (int i = 0; i < 3; i++) {
        heroes[i] = (Hero)HERO_INIT;
        heroes[i].name = recruits[i].name;
        heroes[i].secret_name = recruits[i].secret_name;
        heroes[i].age = recruits[i].age;
        heroes[i].has_age = true;
        heroes[i].team_id = preventers.id;
        heroes[i].has_team_id = true;
    }
    rc = hero_insert_many(&cx, conn, heroes, 3);
    if (rc != SM_OK)
        fail(&cx, "insert heroes", rc);
    for (int i = 0; i < 3; i++)
        print_hero("Preventers new hero", &heroes[i]);

    sm_arena_free(&arena);
    sm_close(conn);
    sm_cx_free(&cx);
    return 0;
}
