/* Chapter "Create Models with a Many-to-Many Link": many_to_many.smdl
 * declares the link table HeroTeamLink, whose key is the pair (team_id,
 * hero_id), each a foreign key, and the relationships Hero.teams and
 * Team.heroes `@rel(through: HeroTeamLink)` (SQLModel:
 * Relationship(link_model=HeroTeamLink)).  Hero has no team_id any more.
 * The program makes the new tables; the link table accepts only pairs
 * of a hero and a team that exist. */
#include "rows.h"

#include <stdio.h>

int main(int argc, char **argv)
{
    sm_cx cx;
    sm_cx_init(&cx);
    sm_conn *conn = open_db(&cx, argc, argv);
    new_tables(&cx, conn);
    printf("Created the tables of module many_to_many\n");
    /* Which of the two foreign keys refused is not told alike: SQLite
     * names neither, so the program prints the table only. */
    int rc = hero_link_team(&cx, conn, 1, 1);
    if (rc != SM_CONSTRAINT)
        fail(&cx, "hero_link_team", rc == SM_OK ? SM_ERROR : rc);
    const sm_constraint *c = sm_cx_constraint(&cx);
    printf("Hero 1 in team 1, neither of which exists: %s: %s on table %s\n",
           sm_strerror(rc), sm_constraint_kind_name(c->kind), c->table ? c->table : "?");
    sm_close(conn);
    sm_cx_free(&cx);
    return 0;
}
