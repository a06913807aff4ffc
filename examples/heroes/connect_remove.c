/* Chapter "Remove Data Connections": Spider-Boy leaves the Preventers;
 * the hero stays, his foreign key becomes NULL.  SQLModel:
 * hero.team_id = None.  Here: has_team_id = false, hero_update. */
#include "show.h"

int main(int argc, char **argv)
{
    sm_cx cx;
    sm_cx_init(&cx);
    sm_conn *conn = open_db(&cx, argc, argv);
    sm_arena arena = SM_ARENA_INIT;

    Hero spider_boy;
    int rc = one_hero_named(&cx, conn, "Spider-Boy", &spider_boy, &arena);
    if (rc != SM_OK)
        fail(&cx, "one_hero_named", rc);
    spider_boy.has_team_id = false;
    if ((rc = hero_update(&cx, conn, &spider_boy)) != SM_OK)
        fail(&cx, "update", rc);
    print_hero("No longer Preventer", &spider_boy);

    sm_arena_free(&arena);
    sm_close(conn);
    sm_cx_free(&cx);
    return 0;
}
