/*
 * everything.h: sample rows of alltypes' Everything (one column of each
 * type, required and nullable) at the limits of each type, and an exact
 * comparison, shared by the type round-trip and JSON tests.
 */
#ifndef EVERYTHING_H
#define EVERYTHING_H

#include "tdb.h"

#include "alltypes.h"

enum { EVERYTHING_SAMPLES = 5 };

/* Fills out[0..EVERYTHING_SAMPLES): the largest values, the smallest,
 * values around zero and the epoch with a 1 MB text, every nullable field
 * NULL, and ordinary values.  Strings and bytes live in t->arena. */
void everything_samples(tdb *t, Everything out[EVERYTHING_SAMPLES]);

/* Every column equal, floats bit for bit, except that a float -0.0 reads
 * back as 0.0 on SQLite and MariaDB, which store no negative zero (SQLite
 * stores a REAL with an integral value as an integer; MariaDB's DOUBLE
 * turns -0 into 0): there zeros compare by value. */
void assert_everything(tdb *t, const Everything *got, const Everything *want);

#endif
