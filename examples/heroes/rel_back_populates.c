/* Chapter "Relationship back_populates": SQLModel keeps the two sides of
 * a relationship in step in memory, team.heroes changing when hero.team
 * does, if each side names the other with back_populates.  smdl keeps no
 * objects between calls: a loaded relationship is what the database held
 * when it was read, and reading it again shows a change.  Here Spider-Boy
 * rejoins the Preventers while their heroes are already loaded. */
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
    spider_boy.team_id = preventers.id; /* hero_spider_boy.team = team_preventers */
    spider_boy.has_team_id = true;
    if ((rc = hero_update(&cx, conn, &spider_boy)) != SM_OK)
        fail(&cx, "update", rc);
    print_hero("Spider-Boy in the Preventers again", &spider_boy);

    /* The list read before the update does not have him ... */
    print_heroes("Preventers Team Heroes, as read before", &preventers.heroes);
    /* ... the list read after it does. */
    if ((rc = team_load_heroes(&cx, conn, &preventers, &arena)) != SM_OK)
        fail(&cx, "team_load_heroes", rc);
    print_heroes("Preventers Team Heroes, read again", &preventers.heroes);

    sm_arena_free(&arena);
    sm_close(conn);
    sm_cx_free(&cx);
    return 0;
}
