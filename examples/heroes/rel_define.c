/* Chapter "Define Relationships Attributes": relationships.smdl adds to
 * Hero the field `team: Team? @rel(team_id)` and to Team the field
 * `heroes: [Hero] @rel(Hero.team_id)` (SQLModel: Relationship()).  They
 * are no columns: the tables are those of the chapters before, and the
 * heroes are still joined to their teams through team_id.  A relationship
 * is empty until the program loads it. */
#include "create_heroes.h"

#include <stdio.h>

int main(int argc, char **argv)
{
    sm_cx cx;
    sm_cx_init(&cx);
    sm_conn *conn = open_db(&cx, argc, argv);
    sm_arena arena = SM_ARENA_INIT;
    new_tables(&cx, conn);
    Team preventers;
    create_first_heroes(&cx, conn, &preventers);

    Hero deadpond;
    int rc = hero_named(&cx, conn, "Deadpond", &deadpond, &arena);
    if (rc != SM_OK)
        fail(&cx, "hero_named", rc);
    print_team("Deadpond's team, as read", deadpond.team);
    if ((rc = hero_load_team(&cx, conn, &deadpond, &arena)) != SM_OK)
        fail(&cx, "hero_load_team", rc);
    print_team("Deadpond's team, loaded", deadpond.team);

    sm_arena_free(&arena);
    sm_close(conn);
    sm_cx_free(&cx);
    return 0;
}
