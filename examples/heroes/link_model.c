/* Chapter "Link Model with Extra Fields": the link rows are objects of
 * their own (HeroTeamLink, with is_training), written through the link
 * model's CRUD and read through Team.hero_links and Hero.team_links.
 * Then Spider-Boy joins Z-Force in training and finishes his training
 * with the Preventers.  Run after m2m_update, it starts from new tables,
 * as the tutorial's program starts from a new database. */
#include "rows.h"

#include <string.h>

static HeroTeamLink link_of(const Team *t, const Hero *h, bool is_training)
{
    HeroTeamLink l = HERO_TEAM_LINK_INIT;
    l.team_id = t->id;
    l.hero_id = h->id;
    l.is_training = is_training;
    return l;
}

/* for link in team.hero_links: print(label, link.hero, "is training:", ...) */
static void show_team(sm_cx *cx, sm_conn *conn, const char *name, const char *label,
                      sm_arena *arena)
{
    Team team;
    int rc = team_with_hero_links(cx, conn, name, &team, arena);
    if (rc != SM_OK)
        fail(cx, "team_with_hero_links", rc);
    for (size_t i = 0; i < team.hero_links.len; i++) {
        const HeroTeamLink *l = &team.hero_links.items[i];
        print_hero_training(label, l->hero, l->is_training);
    }
}

int main(int argc, char **argv)
{
    sm_cx cx;
    sm_cx_init(&cx);
    sm_conn *conn = open_db(&cx, argc, argv);
    sm_arena arena = SM_ARENA_INIT;
    new_tables(&cx, conn);

    /* create_heroes(): saved in the order the links name them. */
    Team z_force = insert_team(&cx, conn, "Z-Force", "Sister Margaret's Bar");
    Hero deadpond = insert_hero(&cx, conn, "Deadpond", "Dive Wilson", 0);
    Team preventers = insert_team(&cx, conn, "Preventers", "Sharp Tower");
    Hero spider_boy = insert_hero(&cx, conn, "Spider-Boy", "Pedro Parqueador", 0);
    Hero rusty_man = insert_hero(&cx, conn, "Rusty-Man", "Tommy Sharp", 48);
    HeroTeamLink links[4] = {
        link_of(&z_force, &deadpond, false),
        link_of(&preventers, &deadpond, true),
        link_of(&preventers, &spider_boy, true),
        link_of(&preventers, &rusty_man, false),
    };
    int rc = hero_team_link_insert_many(&cx, conn, links, 4);
    if (rc != SM_OK)
        fail(&cx, "hero_team_link_insert_many", rc);
    show_team(&cx, conn, "Z-Force", "Z-Force hero", &arena);
    show_team(&cx, conn, "Preventers", "Preventers hero", &arena);

    /* update_heroes(): Spider-Boy joins Z-Force, in training. */
    HeroTeamLink joined = link_of(&z_force, &spider_boy, true);
    if ((rc = hero_team_link_insert(&cx, conn, &joined)) != SM_OK)
        fail(&cx, "hero_team_link_insert", rc);
    Hero hero;
    if ((rc = hero_with_team_links(&cx, conn, "Spider-Boy", &hero, &arena)) != SM_OK)
        fail(&cx, "hero_with_team_links", rc);
    print_links("Updated Spider-Boy's Teams", &hero.team_links);
    Team team;
    if ((rc = team_with_hero_links(&cx, conn, "Z-Force", &team, &arena)) != SM_OK)
        fail(&cx, "team_with_hero_links", rc);
    print_links("Z-Force heroes", &team.hero_links);

    /* for link in hero.team_links: if link.team.name == "Preventers":
     *     link.is_training = False */
    for (size_t i = 0; i < hero.team_links.len; i++) {
        HeroTeamLink *l = &hero.team_links.items[i];
        if (strcmp(l->team->name, "Preventers") == 0) {
            l->is_training = false;
            if ((rc = hero_team_link_update(&cx, conn, l)) != SM_OK)
                fail(&cx, "hero_team_link_update", rc);
        }
    }
    if ((rc = hero_with_team_links(&cx, conn, "Spider-Boy", &hero, &arena)) != SM_OK)
        fail(&cx, "hero_with_team_links", rc);
    for (size_t i = 0; i < hero.team_links.len; i++) {
        const HeroTeamLink *l = &hero.team_links.items[i];
        print_team_training("Spider-Boy team", l->team, l->is_training);
    }

    sm_arena_free(&arena);
    sm_close(conn);
    sm_cx_free(&cx);
    return 0;
}
