/* Chapter "Cascade Delete Relationships", on_delete: cascade: deleting
 * the team Wakaland deletes its heroes, in the database.
 * SQLModel: Field(foreign_key="team.id", ondelete="CASCADE"). */
#include "show.h"

#include <stdio.h>

static void show_missing(sm_cx *cx, sm_conn *conn, const char *name, sm_arena *arena)
{
    Hero hero;
    int rc = first_hero_named(cx, conn, name, &hero, arena);
    if (rc != SM_NOTFOUND)
        fail(cx, "first_hero_named", rc == SM_OK ? SM_ERROR : rc);
    printf("%s not found: None\n", name);
}

int main(int argc, char **argv)
{
    sm_cx cx;
    sm_cx_init(&cx);
    sm_conn *conn = open_db(&cx, argc, argv);
    sm_arena arena = SM_ARENA_INIT;

    Team team;
    int rc = team_named(&cx, conn, "Wakaland", &team, &arena);
    if (rc != SM_OK)
        fail(&cx, "team_named", rc);
    if ((rc = team_delete(&cx, conn, team.id)) != SM_OK)
        fail(&cx, "team_delete", rc);
    print_team("Deleted team", &team);
    show_missing(&cx, conn, "Black Lion", &arena);
    show_missing(&cx, conn, "Princess Sure-E", &arena);

    sm_arena_free(&arena);
    sm_close(conn);
    sm_cx_free(&cx);
    return 0;
}
