/* database.h: the connection and the tables, shared by the program's
 * files, as the tutorial's database.py shares its engine. */
#ifndef CODE_STRUCTURE_DATABASE_H
#define CODE_STRUCTURE_DATABASE_H

#include <smdl/smdl.h>

/* Opens argv[1] (default "sqlite:database.db"), or exits with the reason. */
sm_conn *open_database(sm_cx *cx, int argc, char **argv);
/* create_db_and_tables(): the tables of both files, new and empty.  The
 * team's are created before the hero's, which refer to them. */
void create_db_and_tables(sm_cx *cx, sm_conn *conn);

#endif
