#include "database.h"

#include "chapter.h"
#include "hero_model.h"
#include "team_model.h"

sm_conn *open_database(sm_cx *cx, int argc, char **argv)
{
    return open_db(cx, argc, argv);
}

/* Each file's create_all makes only its own tables; the order is the
 * foreign keys' (the tutorial's "Order Matters"), and drop_all goes the
 * other way. */
void create_db_and_tables(sm_cx *cx, sm_conn *conn)
{
    int rc = hero_model_drop_all(cx, conn);
    if (rc == SM_OK)
        rc = team_model_drop_all(cx, conn);
    if (rc == SM_OK)
        rc = team_model_create_all(cx, conn);
    if (rc == SM_OK)
        rc = hero_model_create_all(cx, conn);
    if (rc != SM_OK)
        fail(cx, "create tables", rc);
}
