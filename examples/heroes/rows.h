/* rows.h: new tables of the schema (SCHEMA, its MODULE) and the
 * tutorial's teams and heroes in them, or exiting with the reason. */
#ifndef HEROES_ROWS_H
#define HEROES_ROWS_H

#include "show.h"

/* create_db_and_tables(): the module's tables, new and empty (as the
 * tutorial's program starts from a new database file). */
void new_tables(sm_cx *cx, sm_conn *conn);

Team insert_team(sm_cx *cx, sm_conn *conn, const char *name, const char *headquarters);
/* age 0: None.  The hero has no team. */
Hero insert_hero(sm_cx *cx, sm_conn *conn, const char *name, const char *secret_name, int64_t age);

#endif
