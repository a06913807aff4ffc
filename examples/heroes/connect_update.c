/* Chapter "Update Data Connections": Spider-Boy, created without a team,
 * joins the Preventers.  SQLModel: hero.team_id = team.id, then add,
 * commit and refresh.  Here: set the foreign key, hero_update. */
#include "show.h"

int main(int argc, char **argv)
{
    sm_cx cx;
    sm_cx_init(&cx);
    sm_conn *conn = open_db(&cx, argc, argv);
    sm_arena arena = SM_ARENA_INIT;

    Team preventers;
    int rc = team_named(&cx, conn, "Preventers", &preventers, &arena);
    if (rc != SM_OK)
        fail(&cx, "team_named", rc);
    Hero spider_boy;
    if ((rc = one_hero_named(&cx, conn, "Spider-Boy", &spider_boy, &arena)) != SM_OK)
        fail(&cx, "one_hero_named", rc);

    spider_boy.team_id = preventers.id;
    spider_boy.has_team_id = true;
    if ((rc = hero_update(&cx, conn, &spider_boy)) != SM_OK)
        fail(&cx, "update", rc);
    print_hero("Updated hero", &spider_boy);

    sm_arena_free(&arena);
    sm_close(conn);
    sm_cx_free(&cx);
    return 0;
}
