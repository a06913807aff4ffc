/* Chapter "Create Rows - Use the Session - INSERT" and "Automatic IDs,
 * None Defaults, and Refreshing Data": insert heroes, get their ids back.
 * SQLModel: session.add(hero); session.commit(); session.refresh(hero). */
#include "show.h"

int main(int argc, char **argv)
{
    sm_cx cx;
    sm_cx_init(&cx);
    sm_conn *conn = open_db(&cx, argc, argv);

    Hero hero_1 = HERO_INIT;
    hero_1.name = "Deadpond";
    hero_1.secret_name = "Dive Wilson";
    Hero hero_2 = HERO_INIT;
    hero_2.name = "Spider-Boy";
    hero_2.secret_name = "Pedro Parqueador";
    Hero hero_3 = HERO_INIT;
    hero_3.name = "Rusty-Man";
    hero_3.secret_name = "Tommy Sharp";
    hero_3.age = 48;
    hero_3.has_age = true;

    print_hero("Before interacting with the database", &hero_1);
    /* One transaction for the three, as one session commit. */
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
    print_hero("After committing, with ids", &hero_1);
    print_hero("Created hero", &hero_2);
    print_hero("Created hero", &hero_3);

    /* The later chapters' heroes, inserted at once. */
    Hero more[4] = {HERO_INIT, HERO_INIT, HERO_INIT, HERO_INIT};
    const char *names[4][2] = {{"Tarantula", "Natalia Roman-on"}, {"Black Lion", "Trevor Challa"},
                               {"Dr. Weird", "Steve Weird"},
                               {"Captain North America", "Esteban Rogelios"}};
    const int64_t ages[4] = {32, 35, 36, 93};
    for (int i = 0; i < 4; i++) {
        more[i].name = names[i][0];
        more[i].secret_name = names[i][1];
        more[i].age = ages[i];
        more[i].has_age = true;
    }
    rc = hero_insert_many(&cx, conn, more, 4);
    if (rc != SM_OK)
        fail(&cx, "insert_many", rc);
    for (int i = 0; i < 4; i++)
        print_hero("Created hero", &more[i]);

    sm_close(conn);
    sm_cx_free(&cx);
    return 0;
}
