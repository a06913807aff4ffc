/* Chapter "Create Rows - Use the Session - INSERT": the first three
 * heroes, in one transaction, as one session commit.  SQLModel:
 * session.add(hero_1); ...; session.commit(). */
#include "show.h"

static Hero new_hero(const char *name, const char *secret_name, int64_t age)
{
    Hero h = HERO_INIT;
    h.name = name;
    h.secret_name = secret_name;
    h.age = age;
    h.has_age = age > 0;
    return h;
}

int main(int argc, char **argv)
{
    sm_cx cx;
    sm_cx_init(&cx);
    sm_conn *conn = open_db(&cx, argc, argv);

    Hero hero_1 = new_hero("Deadpond", "Dive Wilson", 0);
    Hero hero_2 = new_hero("Spider-Boy", "Pedro Parqueador", 0);
    Hero hero_3 = new_hero("Rusty-Man", "Tommy Sharp", 48);
    /* Nothing is written before the commit; a failure writes nothing. */
    int rc = sm_begin(&cx, conn);
    if (rc == SM_OK)
        rc = hero_insert(&cx, conn, &hero_1);
    if (rc == SM_OK)
        rc = hero_insert(&cx, conn, &hero_2);
    if (rc == SM_OK)
        rc = hero_insert(&cx, conn, &hero_3);
    if (rc == SM_OK)
        rc = sm_commit(&cx, conn);
    if (rc != SM_OK) {
        sm_rollback(&cx, conn);
        fail(&cx, "insert", rc);
    }
    print_hero("Created hero", &hero_1);
    print_hero("Created hero", &hero_2);
    print_hero("Created hero", &hero_3);

    sm_close(conn);
    sm_cx_free(&cx);
    return 0;
}
