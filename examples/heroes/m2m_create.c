/* Chapter "Create Data with Many-to-Many Relationships", in the tables
 * m2m_models made: Deadpond in Z-Force and the Preventers, Rusty-Man and
 * Spider-Boy in the Preventers, through the link table.
 * SQLModel: Hero(teams=[team_z_force, team_preventers]). */
#include "rows.h"

/* hero.teams = [...]: one link per team. */
static void join(sm_cx *cx, sm_conn *conn, const Hero *h, const Team *t)
{
    int rc = hero_link_team(cx, conn, h->id, t->id);
    if (rc != SM_OK)
        fail(cx, "hero_link_team", rc);
}

/* print("Deadpond:", hero); print("Deadpond teams:", hero.teams) */
static void show(sm_cx *cx, sm_conn *conn, const char *label, const char *teams_label, Hero *h,
                 sm_arena *arena)
{
    int rc = hero_load_teams(cx, conn, h, arena);
    if (rc != SM_OK)
        fail(cx, "hero_load_teams", rc);
    print_hero(label, h);
    print_teams(teams_label, &h->teams);
}

int main(int argc, char **argv)
{
    sm_cx cx;
    sm_cx_init(&cx);
    sm_conn *conn = open_db(&cx, argc, argv);
    sm_arena arena = SM_ARENA_INIT;

    /* Saved in the order the heroes name them: Z-Force first. */
    Team z_force = insert_team(&cx, conn, "Z-Force", "Sister Margaret's Bar");
    Team preventers = insert_team(&cx, conn, "Preventers", "Sharp Tower");
    Hero deadpond = insert_hero(&cx, conn, "Deadpond", "Dive Wilson", 0);
    Hero rusty_man = insert_hero(&cx, conn, "Rusty-Man", "Tommy Sharp", 48);
    Hero spider_boy = insert_hero(&cx, conn, "Spider-Boy", "Pedro Parqueador", 0);
    join(&cx, conn, &deadpond, &z_force);
    join(&cx, conn, &deadpond, &preventers);
    join(&cx, conn, &rusty_man, &preventers);
    join(&cx, conn, &spider_boy, &preventers);

    show(&cx, conn, "Deadpond", "Deadpond teams", &deadpond, &arena);
    show(&cx, conn, "Rusty-Man", "Rusty-Man Teams", &rusty_man, &arena);
    show(&cx, conn, "Spider-Boy", "Spider-Boy Teams", &spider_boy, &arena);

    sm_arena_free(&arena);
    sm_close(conn);
    sm_cx_free(&cx);
    return 0;
}
