/* Chapter "Create Connected Tables": heroes.smdl declares Hero.team_id
 * as a foreign key to Team.id (SQLModel: Field(foreign_key="team.id")),
 * and create_tables made both tables with the constraint fk_hero_team_id.
 * The tables are connected from then on: no team exists yet, so the
 * database refuses to put Deadpond in team 1, and says which constraint
 * refused.  Nothing is written. */
#include "show.h"

int main(int argc, char **argv)
{
    sm_cx cx;
    sm_cx_init(&cx);
    sm_conn *conn = open_db(&cx, argc, argv);
    sm_arena arena = SM_ARENA_INIT;

    Hero deadpond;
    int rc = hero_get(&cx, conn, 1, &deadpond, &arena);
    if (rc != SM_OK)
        fail(&cx, "get", rc);
    deadpond.team_id = 1;
    deadpond.has_team_id = true;
    print_constraint(&cx, "Deadpond in team 1, which does not exist",
                     hero_update(&cx, conn, &deadpond));
    if ((rc = hero_get(&cx, conn, 1, &deadpond, &arena)) != SM_OK)
        fail(&cx, "get", rc);
    print_hero("Deadpond as he was", &deadpond);

    sm_arena_free(&arena);
    sm_close(conn);
    sm_cx_free(&cx);
    return 0;
}
