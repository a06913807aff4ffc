/* Chapter "Cascade Delete Relationships", on_delete: restrict: the
 * database refuses to delete a team that still has heroes, and says
 * which foreign key refused; once the heroes leave the team, it goes.
 * SQLModel: Field(foreign_key="team.id", ondelete="RESTRICT"), then
 * team.heroes.clear(). */
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
    create_heroes(&cx, conn, &preventers, &arena);

    Team team;
    int rc = team_named(&cx, conn, "Wakaland", &team, &arena);
    if (rc != SM_OK)
        fail(&cx, "team_named", rc);
    /* The tutorial's IntegrityError: SM_CONSTRAINT, naming the FK. */
    rc = team_delete(&cx, conn, team.id);
    print_constraint(&cx, "Team Wakaland still has heroes", rc);

    int64_t left = 0;
    if ((rc = remove_team_heroes(&cx, conn, team.id, &left)) != SM_OK)
        fail(&cx, "remove_team_heroes", rc);
    printf("Team with removed heroes: %lld heroes left it\n", (long long)left);
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
