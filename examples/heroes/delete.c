/* Chapter "Delete Data": delete Spider-Youngster, then confirm it is gone.
 * SQLModel: session.delete(hero); session.commit(). */
#include "show.h"

#include <stdio.h>

int main(int argc, char **argv)
{
    sm_cx cx;
    sm_cx_init(&cx);
    sm_conn *conn = open_db(&cx, argc, argv);
    sm_arena arena = SM_ARENA_INIT;

    Hero hero;
    int rc = hero_get(&cx, conn, 2, &hero, &arena);
    if (rc != SM_OK)
        fail(&cx, "get", rc);
    print_hero("Hero", &hero);
    rc = hero_delete(&cx, conn, hero.id);
    if (rc != SM_OK)
        fail(&cx, "delete", rc);
    print_hero("Deleted hero", &hero);

    rc = hero_get(&cx, conn, hero.id, &hero, &arena);
    if (rc == SM_NOTFOUND)
        printf("There's no hero named Spider-Youngster\n");
    else
        fail(&cx, "get after delete", rc);

    sm_arena_free(&arena);
    sm_close(conn);
    sm_cx_free(&cx);
    return 0;
}
