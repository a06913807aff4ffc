/* create_heroes.h: the start of every "Relationship Attributes" chapter
 * of the tutorial, for the schema named by SCHEMA and its MODULE. */
#ifndef HEROES_CREATE_HEROES_H
#define HEROES_CREATE_HEROES_H

#include "rows.h"

/* create_heroes(): Deadpond in Z-Force, Rusty-Man in the Preventers,
 * Spider-Boy without a team and then in the Preventers, and the team
 * Wakaland with Black Lion and Princess Sure-E; prints what the tutorial
 * prints.  *preventers gets the Preventers. */
void create_heroes(sm_cx *cx, sm_conn *conn, Team *preventers);
/* print_hero(label, the first hero with this name), or exits. */
void print_hero_named(sm_cx *cx, sm_conn *conn, const char *label, const char *name,
                      sm_arena *arena);

#endif
