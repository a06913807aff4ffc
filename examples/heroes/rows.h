/* rows.h: inserting the tutorial's teams and heroes (SCHEMA), or exiting
 * with the reason. */
#ifndef HEROES_ROWS_H
#define HEROES_ROWS_H

#include "show.h"

Team insert_team(sm_cx *cx, sm_conn *conn, const char *name, const char *headquarters);
/* age 0: None.  The hero has no team. */
Hero insert_hero(sm_cx *cx, sm_conn *conn, const char *name, const char *secret_name, int64_t age);

#endif
