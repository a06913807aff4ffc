/* Chapter "Update Data": change Spider-Boy's age, then rename two heroes.
 * SQLModel: hero.age = 16; session.add(hero); session.commit(). */
#include "show.h"

int main(int argc, char **argv)
{
    sm_cx cx;
    sm_cx_init(&cx);
    sm_conn *conn = open_db(&cx, argc, argv);
    sm_arena arena = SM_ARENA_INIT;

    Hero hero_1;
    int rc = hero_get(&cx, conn, 2, &hero_1, &arena); /* Spider-Boy */
    if (rc != SM_OK)
        fail(&cx, "get", rc);
    print_hero("Hero", &hero_1);
    hero_1.age = 16;
    hero_1.has_age = true;
    rc = hero_update(&cx, conn, &hero_1);
    if (rc != SM_OK)
        fail(&cx, "update", rc);
    print_hero("Updated hero", &hero_1);

    /* "Update Multiple Rows" */
    Hero hero_2;
    rc = hero_get(&cx, conn, 7, &hero_2, &arena); /* Captain North America */
    if (rc != SM_OK)
        fail(&cx, "get", rc);
    hero_1.name = "Spider-Youngster";
    hero_2.name = "Captain North America Except Canada";
    hero_2.age = 110;
    rc = sm_begin(&cx, conn);
    if (rc == SM_OK)
        rc = hero_update(&cx, conn, &hero_1);
    if (rc == SM_OK)
        rc = hero_update(&cx, conn, &hero_2);
    if (rc == SM_OK)
        rc = sm_commit(&cx, conn);
    if (rc != SM_OK) {
        sm_rollback(&cx, conn);
        fail(&cx, "update", rc);
    }
    print_hero("Updated hero 1", &hero_1);
    print_hero("Updated hero 2", &hero_2);

    sm_arena_free(&arena);
    sm_close(conn);
    sm_cx_free(&cx);
    return 0;
}
