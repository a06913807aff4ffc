/* Chapter "Read One Row" (session.get(Hero, 1)): read rows by primary key;
 * a missing one is SM_NOTFOUND, as get() returns None. */
#include "show.h"

#include <stdio.h>

int main(int argc, char **argv)
{
    sm_cx cx;
    sm_cx_init(&cx);
    sm_conn *conn = open_db(&cx, argc, argv);
    sm_arena arena = SM_ARENA_INIT;

    Hero hero;
    int rc = hero_get(&cx, conn, 1, &hero, &arena);
    if (rc != SM_OK)
        fail(&cx, "get", rc);
    print_hero("Hero", &hero);

    rc = hero_get(&cx, conn, 9001, &hero, &arena);
    if (rc == SM_NOTFOUND)
        printf("Hero 9001: None\n");
    else
        fail(&cx, "get 9001", rc);

    sm_arena_free(&arena);
    sm_close(conn);
    sm_cx_free(&cx);
    return 0;
}
