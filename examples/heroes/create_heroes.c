/* The tutorial's create_heroes(), written once for the schemas of the
 * "Relationship Attributes" chapters: they differ only in what deleting
 * a team does to its heroes. */
#include "create_heroes.h"

static Hero new_hero(const char *name, const char *secret_name, int64_t age, const Team *team)
{
    Hero h = HERO_INIT;
    h.name = name;
    h.secret_name = secret_name;
    h.age = age;
    h.has_age = age > 0;
    if (team) { /* Hero(team=...): the hero refers to the team by its key */
        h.team_id = team->id;
        h.has_team_id = true;
    }
    return h;
}

static Team new_team(const char *name, const char *headquarters)
{
    Team t = TEAM_INIT;
    t.name = name;
    t.headquarters = headquarters;
    return t;
}

void create_first_heroes(sm_cx *cx, sm_conn *conn, Team *preventers)
{
    /* SQLModel saves a hero's team before the hero, in the order the
     * heroes name them: Z-Force first. */
    Team z_force = new_team("Z-Force", "Sister Margaret's Bar");
    *preventers = new_team("Preventers", "Sharp Tower");
    int rc = team_insert(cx, conn, &z_force);
    if (rc == SM_OK)
        rc = team_insert(cx, conn, preventers);
    if (rc != SM_OK)
        fail(cx, "insert teams", rc);

    Hero heroes[3] = {
        new_hero("Deadpond", "Dive Wilson", 0, &z_force),
        new_hero("Rusty-Man", "Tommy Sharp", 48, preventers),
        new_hero("Spider-Boy", "Pedro Parqueador", 0, NULL),
    };
    if ((rc = hero_insert_many(cx, conn, heroes, 3)) != SM_OK)
        fail(cx, "insert heroes", rc);
    for (int i = 0; i < 3; i++)
        print_hero("Created hero", &heroes[i]);
}

void connect_more_heroes(sm_cx *cx, sm_conn *conn, const Team *preventers, Hero *spider_boy)
{
    /* hero_spider_boy.team = team_preventers */
    spider_boy->team_id = preventers->id;
    spider_boy->has_team_id = true;
    int rc = hero_update(cx, conn, spider_boy);
    if (rc != SM_OK)
        fail(cx, "update", rc);
    print_hero("Updated hero", spider_boy);

    /* Team(heroes=[hero_black_lion, hero_sure_e]): the team, then its heroes. */
    Team wakaland = new_team("Wakaland", "Wakaland Capital City");
    if ((rc = team_insert(cx, conn, &wakaland)) != SM_OK)
        fail(cx, "insert team", rc);
    Hero members[2] = {
        new_hero("Black Lion", "Trevor Challa", 35, &wakaland),
        new_hero("Princess Sure-E", "Sure-E", 0, &wakaland),
    };
    if ((rc = hero_insert_many(cx, conn, members, 2)) != SM_OK)
        fail(cx, "insert heroes", rc);
    print_team("Team Wakaland", &wakaland);
}

void create_heroes(sm_cx *cx, sm_conn *conn, Team *preventers, sm_arena *arena)
{
    create_first_heroes(cx, conn, preventers);
    Hero spider_boy;
    int rc = first_hero_named(cx, conn, "Spider-Boy", &spider_boy, arena);
    if (rc != SM_OK)
        fail(cx, "first_hero_named", rc);
    connect_more_heroes(cx, conn, preventers, &spider_boy);
}

void print_hero_named(sm_cx *cx, sm_conn *conn, const char *label, const char *name,
                      sm_arena *arena)
{
    Hero hero;
    int rc = first_hero_named(cx, conn, name, &hero, arena);
    if (rc != SM_OK)
        fail(cx, "first_hero_named", rc);
    print_hero(label, &hero);
}
