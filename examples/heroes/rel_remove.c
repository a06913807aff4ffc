/* Chapter "Remove Relationships": Spider-Boy leaves the Preventers; then
 * (chapter "Relationship back_populates") the team's heroes, read again,
 * no longer list him.  SQLModel: hero.team = None.  SQLModel keeps the
 * objects of one session in step; here a relationship is what was
 * loaded, and loading it again shows the change. */
#include "show.h"

int main(int argc, char **argv)
{
    sm_cx cx;
    sm_cx_init(&cx);
    sm_conn *conn = open_db(&cx, argc, argv);
    sm_arena arena = SM_ARENA_INIT;

    Team preventers;
    int rc = team_with_heroes(&cx, conn, "Preventers", &preventers, &arena);
    if (rc != SM_OK)
        fail(&cx, "team_with_heroes", rc);
    print_heroes("Preventers Team Heroes", &preventers.heroes);

    Hero spider_boy;
    if ((rc = hero_named(&cx, conn, "Spider-Boy", &spider_boy, &arena)) != SM_OK)
        fail(&cx, "hero_named", rc);
    spider_boy.has_team_id = false; /* hero_spider_boy.team = None */
    if ((rc = hero_update(&cx, conn, &spider_boy)) != SM_OK)
        fail(&cx, "update", rc);
    print_hero("Spider-Boy without team", &spider_boy);

    if ((rc = team_load_heroes(&cx, conn, &preventers, &arena)) != SM_OK)
        fail(&cx, "team_load_heroes", rc);
    print_heroes("Preventers Team Heroes again", &preventers.heroes);

    sm_arena_free(&arena);
    sm_close(conn);
    sm_cx_free(&cx);
    return 0;
}
