/* seed.h: the tutorial's teams and heroes in rel_shapes.smdl, for the
 * relations tests. */
#ifndef REL_SEED_H
#define REL_SEED_H

#include "tdb.h"

#include "rel_shapes.h"

/* Teams: Preventers (1), Z-Force (2), Wakaland (3, no heroes).
 * Heroes: Deadpond (1, Z-Force), Rusty-Man (2, 48, Preventers),
 * Spider-Boy (3, Preventers), Tarantula (4, 32, no team).
 * Links (hero, team, is_training): (1, 2, false), (1, 1, true), (2, 1, false). */
void seed(tdb *t);
/* The statements t->conn ran since `before`. */
uint64_t statements_since(tdb *t, sm_conn_stats before);

#endif
