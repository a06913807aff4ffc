/* Chapter "Code Structure and Multiple Files": the program in files of
 * its own, as the tutorial's app.py, database.py, hero_model.py and
 * team_model.py: this file uses the models (hero_model.h, team_model.h,
 * generated from their .smdl files) and the database (database.c). */
#include "database.h"
#include "hero_model.h"
#include "show.h"
#include "team_model.h"

static void create_heroes(sm_cx *cx, sm_conn *conn)
{
    Team team_z_force = TEAM_INIT;
    team_z_force.name = "Z-Force";
    team_z_force.headquarters = "Sister Margaret's Bar";
    int rc = team_insert(cx, conn, &team_z_force);
    if (rc != SM_OK)
        fail(cx, "team_insert", rc);

    Hero hero_deadpond = HERO_INIT;
    hero_deadpond.name = "Deadpond";
    hero_deadpond.secret_name = "Dive Wilson";
    hero_deadpond.team_id = team_z_force.id;
    hero_deadpond.has_team_id = true;
    if ((rc = hero_insert(cx, conn, &hero_deadpond)) != SM_OK)
        fail(cx, "hero_insert", rc);
    print_hero("Created hero", &hero_deadpond);
}

static void select_heroes(sm_cx *cx, sm_conn *conn, sm_arena *arena)
{
    Hero hero;
    int rc = hero_with_team(cx, conn, "Deadpond", &hero, arena);
    if (rc != SM_OK)
        fail(cx, "hero_with_team", rc);
    print_team("Hero's team", hero.team);
}

int main(int argc, char **argv)
{
    sm_cx cx;
    sm_cx_init(&cx);
    sm_conn *conn = open_database(&cx, argc, argv);
    sm_arena arena = SM_ARENA_INIT;
    create_db_and_tables(&cx, conn);
    create_heroes(&cx, conn);
    select_heroes(&cx, conn, &arena);
    sm_arena_free(&arena);
    sm_close(conn);
    sm_cx_free(&cx);
    return 0;
}
