/* Chapter "Update and Remove Many-to-Many Relationships": Spider-Boy
 * joins Z-Force, then leaves it again.  SQLModel:
 * team_z_force.heroes.append(hero), hero.teams.remove(team).  Lists
 * come in the order of their keys. */
#include "show.h"

#include <stdio.h>

/* The hero and the team, each with its side of the relationship. */
static void load(sm_cx *cx, sm_conn *conn, Hero *hero, Team *team, sm_arena *arena)
{
    int rc = hero_with_teams(cx, conn, "Spider-Boy", hero, arena);
    if (rc == SM_OK)
        rc = team_with_heroes(cx, conn, "Z-Force", team, arena);
    if (rc != SM_OK)
        fail(cx, "load", rc);
}

int main(int argc, char **argv)
{
    sm_cx cx;
    sm_cx_init(&cx);
    sm_conn *conn = open_db(&cx, argc, argv);
    sm_arena arena = SM_ARENA_INIT;
    Hero spider_boy;
    Team z_force;
    load(&cx, conn, &spider_boy, &z_force, &arena);

    int rc = hero_link_team(&cx, conn, spider_boy.id, z_force.id);
    if (rc != SM_OK)
        fail(&cx, "hero_link_team", rc);
    /* Linking a linked pair again changes nothing. */
    if ((rc = hero_link_team(&cx, conn, spider_boy.id, z_force.id)) != SM_OK)
        fail(&cx, "hero_link_team again", rc);
    load(&cx, conn, &spider_boy, &z_force, &arena);
    print_teams("Updated Spider-Boy's Teams", &spider_boy.teams);
    print_heroes("Z-Force heroes", &z_force.heroes);

    if ((rc = hero_unlink_team(&cx, conn, spider_boy.id, z_force.id)) != SM_OK)
        fail(&cx, "hero_unlink_team", rc);
    load(&cx, conn, &spider_boy, &z_force, &arena);
    print_heroes("Reverted Z-Force's heroes", &z_force.heroes);
    print_teams("Reverted Spider-Boy's teams", &spider_boy.teams);
    /* Unlinking a pair that is not linked is SM_NOTFOUND. */
    rc = hero_unlink_team(&cx, conn, spider_boy.id, z_force.id);
    printf("Unlinking again: %s\n", sm_strerror(rc));

    sm_arena_free(&arena);
    sm_close(conn);
    sm_cx_free(&cx);
    return 0;
}
