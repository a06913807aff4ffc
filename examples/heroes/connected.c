/* Chapter "Read Connected Data": heroes with their teams.
 *     for hero, team in session.exec(select(Hero, Team).join(Team)):
 *         print("Hero:", hero, "Team:", team)
 * A query returns one row per pair (the row type HeroTeam of heroes.smdl);
 * the program splits each row into the hero and the team. */
#include "show.h"

/* Prints the pairs a query found, as the tutorial's loop does.  After a left
 * join, a hero without a team has no team name: its team is None. */
static void print_pairs(sm_cx *cx, const char *query, int rc, const char *label,
                        const HeroTeam_list *rows)
{
    if (rc != SM_OK)
        fail(cx, query, rc);
    for (size_t i = 0; i < rows->len; i++) {
        const HeroTeam *row = &rows->items[i];
        Hero hero = HERO_INIT;
        hero.id = row->id;
        hero.name = row->name;
        hero.secret_name = row->secret_name;
        hero.age = row->age;
        hero.has_age = row->has_age;
        hero.team_id = row->team_id;
        hero.has_team_id = row->has_team_id;
        Team team = TEAM_INIT;
        team.id = row->team_id;
        team.name = row->team_name;
        team.headquarters = row->team_headquarters;
        print_hero_team(label, &hero, row->team_name != NULL ? &team : NULL);
    }
}

int main(int argc, char **argv)
{
    sm_cx cx;
    sm_cx_init(&cx);
    sm_conn *conn = open_db(&cx, argc, argv);
    sm_arena arena = SM_ARENA_INIT;
    HeroTeam_list rows;
    int rc;

    /* "Select Related Data with SQLModel":
     * select(Hero, Team).where(Hero.team_id == Team.id).  Heroes without a
     * team are left out: no team has a NULL id. */
    rc = heroes_and_teams_where(&cx, conn, &rows, &arena);
    print_pairs(&cx, "heroes_and_teams_where", rc, "Hero", &rows);

    /* "Join Tables in SQLModel": select(Hero, Team).join(Team), the join
     * condition taken from the foreign key. */
    rc = heroes_and_teams(&cx, conn, &rows, &arena);
    print_pairs(&cx, "heroes_and_teams", rc, "Hero", &rows);

    /* "Join Tables in SQLModel with LEFT OUTER":
     * select(Hero, Team).join(Team, isouter=True): every hero, with a team
     * or not. */
    rc = heroes_and_teams_outer(&cx, conn, &rows, &arena);
    print_pairs(&cx, "heroes_and_teams_outer", rc, "Hero", &rows);

    /* "Select Only Heroes But Join with Teams":
     * select(Hero).join(Team).where(Team.name == "Preventers"); the team
     * filters the heroes but is not read. */
    Hero_list heroes;
    rc = heroes_in_team(&cx, conn, "Preventers", &heroes, &arena);
    if (rc != SM_OK)
        fail(&cx, "heroes_in_team", rc);
    for (size_t i = 0; i < heroes.len; i++)
        print_hero("Preventer Hero", &heroes.items[i]);

    /* "Include the Team":
     * select(Hero, Team).join(Team).where(Team.name == "Preventers") */
    rc = heroes_and_teams_in_team(&cx, conn, "Preventers", &rows, &arena);
    print_pairs(&cx, "heroes_and_teams_in_team", rc, "Preventer Hero", &rows);

    sm_arena_free(&arena);
    sm_close(conn);
    sm_cx_free(&cx);
    return 0;
}
