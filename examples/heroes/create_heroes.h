/* create_heroes.h: the start of every "Relationship Attributes" chapter
 * of the tutorial, for the schema named by SCHEMA and its MODULE. */
#ifndef HEROES_CREATE_HEROES_H
#define HEROES_CREATE_HEROES_H

#include "rows.h"

/* The start of create_heroes() in "Define Relationships Attributes":
 * the teams Z-Force and Preventers, Deadpond in Z-Force, Rusty-Man in the
 * Preventers and Spider-Boy without a team, each joined through its
 * foreign key; prints the heroes.  *preventers gets the Preventers. */
void create_first_heroes(sm_cx *cx, sm_conn *conn, Team *preventers);
/* The rest, in "Create and Update Relationships": Spider-Boy joins the
 * Preventers, and the team Wakaland is made with Black Lion and Princess
 * Sure-E; prints what the tutorial prints. */
void connect_more_heroes(sm_cx *cx, sm_conn *conn, const Team *preventers, Hero *spider_boy);
/* Both, for the chapters that start from new tables. */
void create_heroes(sm_cx *cx, sm_conn *conn, Team *preventers, sm_arena *arena);
/* print_hero(label, the first hero with this name), or exits. */
void print_hero_named(sm_cx *cx, sm_conn *conn, const char *label, const char *name,
                      sm_arena *arena);

#endif
