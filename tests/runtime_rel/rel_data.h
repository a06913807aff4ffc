/*
 * rel_data.h: the rows the relationship tests start from (rel_data.c).
 */
#ifndef REL_DATA_H
#define REL_DATA_H

#include "tdb.h"

#include "rel_model.h"

/* Teams 1..3, heroes 1..6: team 1 has heroes 3, 1 (inserted out of key
 * order), team 2 has heroes 2 and 6, team 3 none; heroes 4 and 5 have no
 * team.  Hero 1 mentors 2 and 4; hero 4 mentors 5.  Badge 7 is hero 2's. */
void rel_seed(tdb *t);
/* Teams 1..n named "team <id>" and, for each of the first `with` teams,
 * `per` heroes (ids from 1, in team order). */
void rel_seed_teams(tdb *t, int n, int with, int per);

#endif
