/* show.h: what the tutorial programs share: opening the database given on
 * the command line and printing rows the way SQLModel prints objects. */
#ifndef HEROES_SHOW_H
#define HEROES_SHOW_H

#include "heroes.h"

/* Opens argv[1] (default "sqlite:database.db") or exits with the reason. */
sm_conn *open_db(sm_cx *cx, int argc, char **argv);
/* Prints why the last call on cx failed and exits. */
void fail(sm_cx *cx, const char *what, int rc);
/* "label: id=1 name='Deadpond' ..." on one line; a NULL hero prints None,
 * as Python prints a missing object. */
void print_hero(const char *label, const Hero *h);
void print_team(const char *label, const Team *t);
/* A list the way print(heroes) shows one: in brackets, a hero a line. */
void print_heroes(const char *label, const Hero_list *heroes);
/* A hero and its team on one line, as the tutorial prints the pairs of
 * select(Hero, Team); a NULL team prints None. */
void print_hero_team(const char *label, const Hero *h, const Team *t);

#endif
