/* Chapter "Create and Connect Rows" (relationship attributes come later):
 * insert teams, point heroes at them through their foreign key, and
 * create a hero without a team. */
#include "show.h"

int main(int argc, char **argv)
{
    sm_cx cx;
    sm_cx_init(&cx);
    sm_conn *conn = open_db(&cx, argc, argv);
    sm_arena arena = SM_ARENA_INIT;

    Team team_preventers = TEAM_INIT;
    team_preventers.name = "Preventers";
    team_preventers.headquarters = "Sharp Tower";
    Team team_z_force = TEAM_INIT;
    team_z_force.name = "Z-Force";
    team_z_force.headquarters = "Sister Margaret's Bar";
    int rc = team_insert(&cx, conn, &team_preventers);
    if (rc == SM_OK)
        rc = team_insert(&cx, conn, &team_z_force);
    if (rc != SM_OK)
        fail(&cx, "insert team", rc);
    print_team("Created team", &team_preventers);
    print_team("Created team", &team_z_force);

    /* Deadpond joins Z-Force, Rusty-Man the Preventers. */
    const int64_t hero_ids[2] = {1, 3};
    const Team *teams[2] = {&team_z_force, &team_preventers};
    for (int i = 0; i < 2; i++) {
        Hero hero;
        rc = hero_get(&cx, conn, hero_ids[i], &hero, &arena);
        if (rc != SM_OK)
            fail(&cx, "get", rc);
        hero.team_id = teams[i]->id;
        hero.has_team_id = true;
        rc = hero_update(&cx, conn, &hero);
        if (rc != SM_OK)
            fail(&cx, "update", rc);
        print_hero("Updated hero", &hero);
    }

    /* Spider-Boy, deleted in "Delete Data", comes back as a new hero, in
     * no team yet: the tutorial creates him here with team=None. */
    Hero spider_boy = HERO_INIT;
    spider_boy.name = "Spider-Boy";
    spider_boy.secret_name = "Pedro Parqueador";
    if ((rc = hero_insert(&cx, conn, &spider_boy)) != SM_OK)
        fail(&cx, "insert", rc);
    print_hero("Created hero", &spider_boy);

    sm_arena_free(&arena);
    sm_close(conn);
    sm_cx_free(&cx);
    return 0;
}
