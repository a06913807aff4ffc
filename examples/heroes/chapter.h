/* chapter.h: what every chapter program does first and on failure. */
#ifndef HEROES_CHAPTER_H
#define HEROES_CHAPTER_H

#include <smdl/smdl.h>

/* Opens argv[1] (default "sqlite:database.db") or exits with the reason. */
sm_conn *open_db(sm_cx *cx, int argc, char **argv);
/* Prints why the last call on cx failed and exits. */
void fail(sm_cx *cx, const char *what, int rc);
/* A call the database had to refuse: rc must be SM_CONSTRAINT (else
 * exits), and "label: SM_CONSTRAINT: ...: <name> on table <t> (<columns>)"
 * says which constraint refused it. */
void print_constraint(sm_cx *cx, const char *label, int rc);

#endif
