/* Chapter "Remove Relationships": Spider-Boy leaves the Preventers.
 * SQLModel: hero.team = None, then add, commit and refresh.  The
 * relationship `team` is not a column: what is written is its foreign
 * key, team_id, which becomes NULL. */
#include "show.h"

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
    if ((rc = hero_load_team(&cx, conn, &spider_boy, &arena)) != SM_OK)
        fail(&cx, "hero_load_team", rc);
    print_team("Spider-Boy's team", spider_boy.team);

    spider_boy.has_team_id = false; /* hero_spider_boy.team = None */
    if ((rc = hero_update(&cx, conn, &spider_boy)) != SM_OK)
        fail(&cx, "update", rc);
    if ((rc = hero_load_team(&cx, conn, &spider_boy, &arena)) != SM_OK)
        fail(&cx, "hero_load_team", rc);
    print_hero("Spider-Boy without team", &spider_boy);
    print_team("Spider-Boy's team now", spider_boy.team);

    sm_arena_free(&arena);
    sm_close(conn);
    sm_cx_free(&cx);
    return 0;
}
