/* Chapter "Automatic IDs, None Defaults, and Refreshing Data", with the
 * four heroes the later chapters add.  Before the insert a hero's @auto
 * key is 0, printed None as SQLModel prints its id; the database chooses
 * the key and hero_insert_many writes it back into each struct, so the
 * program needs no refresh to know it.  SQLModel's session.refresh(hero),
 * which reads the row again, is hero_get, or hero_get_many for the four
 * at once. */
#include "show.h"

int main(int argc, char **argv)
{
    sm_cx cx;
    sm_cx_init(&cx);
    sm_conn *conn = open_db(&cx, argc, argv);
    sm_arena arena = SM_ARENA_INIT;

    const struct {
        const char *name, *secret_name;
        int64_t age;
    } more[4] = {
        {"Tarantula", "Natalia Roman-on", 32},
        {"Black Lion", "Trevor Challa", 35},
        {"Dr. Weird", "Steve Weird", 36},
        {"Captain North America", "Esteban Rogelios", 93},
    };
    Hero heroes[4];
    for (int i = 0; i < 4; i++) {
        heroes[i] = (Hero)HERO_INIT;
        heroes[i].name = more[i].name;
        heroes[i].secret_name = more[i].secret_name;
        heroes[i].age = more[i].age;
        heroes[i].has_age = true;
        print_hero("Before interacting with the database", &heroes[i]);
    }

    /* One statement, atomic; the keys come back in order. */
    int rc = hero_insert_many(&cx, conn, heroes, 4);
    if (rc != SM_OK)
        fail(&cx, "insert_many", rc);
    int64_t ids[4];
    for (int i = 0; i < 4; i++) {
        print_hero("After the insert", &heroes[i]);
        ids[i] = heroes[i].id;
    }

    Hero_list refreshed;
    if ((rc = hero_get_many(&cx, conn, ids, 4, &refreshed, &arena)) != SM_OK)
        fail(&cx, "get_many", rc);
    print_heroes("Read again", &refreshed);

    sm_arena_free(&arena);
    sm_close(conn);
    sm_cx_free(&cx);
    return 0;
}
