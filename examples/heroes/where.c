/* Chapter "Filter Data - WHERE": select(Hero).where(...) with each
 * comparison the chapter shows, two conditions joined with AND, and or_().
 * Each statement is a query of heroes.smdl; its parameters are the values
 * the tutorial writes into the Python expression. */
#include "show.h"

/* Prints the heroes a query found, under the condition it tested. */
static void show(sm_cx *cx, const char *condition, int rc, const Hero_list *heroes)
{
    if (rc != SM_OK)
        fail(cx, condition, rc);
    print_heroes(condition, heroes);
}

int main(int argc, char **argv)
{
    sm_cx cx;
    sm_cx_init(&cx);
    sm_conn *conn = open_db(&cx, argc, argv);
    sm_arena arena = SM_ARENA_INIT;
    Hero_list heroes;
    int rc;

    /* select(Hero).where(Hero.name == "Deadpond") */
    rc = heroes_named(&cx, conn, "Deadpond", &heroes, &arena);
    show(&cx, "where name == \"Deadpond\"", rc, &heroes);

    /* select(Hero).where(Hero.name != "Deadpond") */
    rc = heroes_not_named(&cx, conn, "Deadpond", &heroes, &arena);
    show(&cx, "where name != \"Deadpond\"", rc, &heroes);

    /* select(Hero).where(Hero.age > 35): not Black Lion, who is 35.  Heroes
     * without an age (NULL) match no comparison. */
    rc = heroes_older_than(&cx, conn, 35, &heroes, &arena);
    show(&cx, "where age > 35", rc, &heroes);

    /* select(Hero).where(Hero.age >= 35): Black Lion too. */
    rc = heroes_aged_at_least(&cx, conn, 35, &heroes, &arena);
    show(&cx, "where age >= 35", rc, &heroes);

    /* select(Hero).where(Hero.age < 35) */
    rc = heroes_younger_than(&cx, conn, 35, &heroes, &arena);
    show(&cx, "where age < 35", rc, &heroes);

    /* select(Hero).where(Hero.age <= 35) */
    rc = heroes_aged_at_most(&cx, conn, 35, &heroes, &arena);
    show(&cx, "where age <= 35", rc, &heroes);

    /* select(Hero).where(Hero.age >= 35).where(Hero.age < 40), the same as
     * select(Hero).where(Hero.age >= 35, Hero.age < 40) */
    rc = heroes_in_age_range(&cx, conn, 35, 40, &heroes, &arena);
    show(&cx, "where age >= 35 and age < 40", rc, &heroes);

    /* select(Hero).where(or_(Hero.age <= 35, Hero.age > 90)) */
    rc = youngest_or_oldest_heroes(&cx, conn, 35, 90, &heroes, &arena);
    show(&cx, "where age <= 35 or age > 90", rc, &heroes);

    /* The chapter ends with col(Hero.age) > 35, which only quiets Python's
     * type checker; smc checks the query's types when it compiles it. */

    sm_arena_free(&arena);
    sm_close(conn);
    sm_cx_free(&cx);
    return 0;
}
