/* Chapter "Create a Table with SQLModel": create the database and its
 * tables.  SQLModel: SQLModel.metadata.create_all(engine). */
#include "show.h"

#include <stdio.h>

int main(int argc, char **argv)
{
    sm_cx cx;
    sm_cx_init(&cx);
    sm_conn *conn = open_db(&cx, argc, argv);
    int rc = heroes_create_all(&cx, conn);
    if (rc != SM_OK)
        fail(&cx, "create_all", rc);
    printf("Created the tables of module heroes\n");
    sm_close(conn);
    sm_cx_free(&cx);
    return 0;
}
