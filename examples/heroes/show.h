/* show.h: what the tutorial programs share: opening the database given on
 * the command line and printing rows the way SQLModel prints objects. */
#ifndef HEROES_SHOW_H
#define HEROES_SHOW_H

#include "heroes.h"

/* Opens argv[1] (default "sqlite:database.db") or exits with the reason. */
sm_conn *open_db(sm_cx *cx, int argc, char **argv);
/* Prints why the last call on cx failed and exits. */
void fail(sm_cx *cx, const char *what, int rc);
void print_hero(const char *label, const Hero *h);
void print_team(const char *label, const Team *t);

#endif
