/* Chapter "Cascade Delete Relationships", on_delete: set_null: deleting
 * the team Wakaland leaves its heroes without a team.
 * SQLModel: Field(foreign_key="team.id", ondelete="SET NULL"). */
#include "create_heroes.h"

int main(int argc, char **argv)
{
    sm_cx cx;
    sm_cx_init(&cx);
    sm_conn *conn = open_db(&cx, argc, argv);
    sm_arena arena = SM_ARENA_INIT;
    new_tables(&cx, conn);
    Team preventers;
    create_heroes(&cx, conn, &preventers, &arena);

    Team team;
    int rc = team_named(&cx, conn, "Wakaland", &team, &arena);
    if (rc != SM_OK)
        fail(&cx, "team_named", rc);
    if ((rc = team_delete(&cx, conn, team.id)) != SM_OK)
        fail(&cx, "team_delete", rc);
    print_team("Deleted team", &team);
    print_hero_named(&cx, conn, "Black Lion has no team", "Black Lion", &arena);
    print_hero_named(&cx, conn, "Princess Sure-E has no team", "Princess Sure-E", &arena);

    sm_arena_free(&arena);
    sm_close(conn);
    sm_cx_free(&cx);
    return 0;
}
