/* Chapter "Read One Row": .first(), .one() and session.get().
 *   .first()  is a query declared `-> Hero?`: the first row, or SM_NOTFOUND
 *             where Python gets None;
 *   .one()    is a query declared `-> Hero`: SM_NOTFOUND where SQLAlchemy
 *             raises NoResultFound, SM_MULTIPLE where it raises
 *             MultipleResultsFound;
 *   session.get(Hero, id) is hero_get: SM_NOTFOUND where get() returns None. */
#include "show.h"

#include <stdio.h>

/* The row of a `-> Hero?` query, or NULL for SM_NOTFOUND (Python's None). */
static const Hero *first_or_none(sm_cx *cx, const char *what, int rc, const Hero *hero)
{
    if (rc == SM_NOTFOUND)
        return NULL;
    if (rc != SM_OK)
        fail(cx, what, rc);
    return hero;
}

/* The result of a `-> Hero` query: the hero, or the error the tutorial
 * shows as a traceback. */
static void print_one(sm_cx *cx, const char *what, int rc, const Hero *hero)
{
    if (rc == SM_OK)
        print_hero("Hero", hero);
    else if (rc == SM_NOTFOUND || rc == SM_MULTIPLE)
        printf("%s: %s (%s)\n", what, sm_strerror(rc), sm_cx_errmsg(cx));
    else
        fail(cx, what, rc);
}

int main(int argc, char **argv)
{
    sm_cx cx;
    sm_cx_init(&cx);
    sm_conn *conn = open_db(&cx, argc, argv);
    sm_arena arena = SM_ARENA_INIT;
    Hero hero;
    int rc;

    /* "Read the First Row": session.exec(select(Hero).where(Hero.age <= 35)).first()
     * Two heroes match; only the first is read. */
    rc = first_hero_aged_at_most(&cx, conn, 35, &hero, &arena);
    print_hero("Hero", first_or_none(&cx, "first_hero_aged_at_most", rc, &hero));

    /* "First or None": no hero is younger than 25. */
    rc = first_hero_younger_than(&cx, conn, 25, &hero, &arena);
    print_hero("Hero", first_or_none(&cx, "first_hero_younger_than", rc, &hero));

    /* "Exactly One": session.exec(select(Hero).where(Hero.name == "Deadpond")).one() */
    rc = one_hero_named(&cx, conn, "Deadpond", &hero, &arena);
    print_one(&cx, "one_hero_named", rc, &hero);

    /* "Exactly One with More Data": two heroes are 35 or younger. */
    rc = one_hero_aged_at_most(&cx, conn, 35, &hero, &arena);
    print_one(&cx, "one_hero_aged_at_most", rc, &hero);

    /* "Exactly One with No Data": no hero is younger than 25. */
    rc = one_hero_younger_than(&cx, conn, 25, &hero, &arena);
    print_one(&cx, "one_hero_younger_than", rc, &hero);

    /* "Select by Id with .where()": session.exec(select(Hero).where(Hero.id == 1)).first() */
    rc = first_hero_with_id(&cx, conn, 1, &hero, &arena);
    print_hero("Hero", first_or_none(&cx, "first_hero_with_id", rc, &hero));

    /* "Select by Id with .get()": session.get(Hero, 1) */
    rc = hero_get(&cx, conn, 1, &hero, &arena);
    if (rc != SM_OK)
        fail(&cx, "get", rc);
    print_hero("Hero", &hero);

    /* "Select by Id with .get() with No Data": session.get(Hero, 9001) */
    rc = hero_get(&cx, conn, 9001, &hero, &arena);
    print_hero("Hero", first_or_none(&cx, "get 9001", rc, &hero));

    sm_arena_free(&arena);
    sm_close(conn);
    sm_cx_free(&cx);
    return 0;
}
