#include "rows.h"

#define CALL_(module, verb) module##verb
#define CALL(module, verb) CALL_(module, verb)

void new_tables(sm_cx *cx, sm_conn *conn)
{
    int rc = CALL(MODULE, _drop_all)(cx, conn);
    if (rc == SM_OK)
        rc = CALL(MODULE, _create_all)(cx, conn);
    if (rc != SM_OK)
        fail(cx, "create tables", rc);
}

Team insert_team(sm_cx *cx, sm_conn *conn, const char *name, const char *headquarters)
{
    Team t = TEAM_INIT;
    t.name = name;
    t.headquarters = headquarters;
    int rc = team_insert(cx, conn, &t);
    if (rc != SM_OK)
        fail(cx, "team_insert", rc);
    return t;
}

Hero insert_hero(sm_cx *cx, sm_conn *conn, const char *name, const char *secret_name, int64_t age)
{
    Hero h = HERO_INIT;
    h.name = name;
    h.secret_name = secret_name;
    h.age = age;
    h.has_age = age > 0;
    int rc = hero_insert(cx, conn, &h);
    if (rc != SM_OK)
        fail(cx, "hero_insert", rc);
    return h;
}
