/* Chapter "Read Data - SELECT": read every hero.  First one row at a time,
 * as the tutorial's loop does:
 *     results = session.exec(select(Hero))
 *     for hero in results: print(hero)
 * then all rows at once, as a list:
 *     heroes = session.exec(select(Hero)).all(); print(heroes) */
#include "show.h"

/* The body of the for loop: called once per row as it arrives; the row is
 * only valid during the call. */
static int print_row(void *ud, const Hero *hero)
{
    (void)ud;
    print_hero("Hero", hero);
    return 0;
}

int main(int argc, char **argv)
{
    sm_cx cx;
    sm_cx_init(&cx);
    sm_conn *conn = open_db(&cx, argc, argv);
    sm_arena arena = SM_ARENA_INIT;

    int rc = for_each_hero(&cx, conn, print_row, NULL);
    if (rc != SM_OK)
        fail(&cx, "for_each_hero", rc);

    Hero_list heroes;
    rc = select_heroes(&cx, conn, &heroes, &arena);
    if (rc != SM_OK)
        fail(&cx, "select_heroes", rc);
    print_heroes("Heroes", &heroes);

    sm_arena_free(&arena);
    sm_close(conn);
    sm_cx_free(&cx);
    return 0;
}
