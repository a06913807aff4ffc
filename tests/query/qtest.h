/*
 * qtest.h: the seeded world and the checks of the query tests (suite
 * query).
 *
 * Every test body runs through tdb_each(queries_create_all, body) once
 * per dialect on a fresh database (tests/common/tdb.h).  Checks are
 * soft: a failed check prints where, on which dialect, what was wanted
 * and what came back, and the body goes on, so one run shows every
 * dialect's every difference; tdb_each fails the test at the end when
 * any check failed.  A call that must succeed for the rest of a body to
 * make sense is checked with QT_MUST, which stops the body on that
 * dialect.
 *
 * The seeded world (qt_seed) is the SQLModel tutorial's heroes and
 * teams, plus rows chosen for the edge cases: NULL ages, ratings and
 * salaries, multi-byte names, a '%' and a '_' in text, and a team with
 * no heroes.  Expected results are written against the table below.
 */
#ifndef QTEST_H
#define QTEST_H

#include <smdl/smdl.h>

#include "tdb.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "queries.h"

/* ---- The seeded world ---------------------------------------------------- */

enum { QT_NTEAMS = 3, QT_NHEROES = 9 };

typedef struct qt_team {
    const char *name, *hq;
    bool has_budget;
    sm_decimal budget; /* cents */
} qt_team;

typedef struct qt_hero {
    const char *name, *secret;
    bool has_age;
    int64_t age;
    Power power;
    bool has_rating;
    double rating;
    bool has_salary;
    sm_decimal salary; /* cents */
    int64_t team;      /* 1-based team id, 0: none */
} qt_hero;

/* Team k has id k + 1, hero k has id k + 1. */
extern const qt_team qt_teams[QT_NTEAMS];
extern const qt_hero qt_heroes[QT_NHEROES];

/* Inserts the teams and heroes above through the generated _insert
 * functions and checks they got ids 1, 2, ... in order. */
void qt_seed(tdb *t);

/* The hero with this id as a Hero (borrowing the table's strings). */
Hero qt_hero_row(int64_t id);

/* ---- Checks ---------------------------------------------------------------- */

/* refs[0..n) are HeroRefs of exactly the heroes `want` lists (ids
 * separated by spaces, in order), each with the seeded name. */
bool qt_check_refs(tdb *t, const char *file, int line, const char *what, const HeroRef *refs,
                   size_t n, const char *want);
/* heroes[0..n) are exactly the seeded heroes `want` lists, every column
 * equal (values and NULLs). */
bool qt_check_heroes(tdb *t, const char *file, int line, const char *what, const Hero *heroes,
                     size_t n, const char *want);
/* One hero row equals `want` in every column. */
bool qt_check_hero(tdb *t, const char *file, int line, const char *what, const Hero *got,
                   const Hero *want);

/* Soft checks (tdb_check_*) with the place and the expression. */
#define QT_RC(t, call, want) tdb_check_rc((t), __FILE__, __LINE__, #call, (call), (want))
#define QT_OK(t, call) QT_RC(t, call, SM_OK)
#define QT_INT(t, got, want)                                                                       \
    tdb_check_int((t), __FILE__, __LINE__, #got, (int64_t)(got), (int64_t)(want))
#define QT_REAL(t, got, want) tdb_check_real((t), __FILE__, __LINE__, #got, (got), (want))
#define QT_STR(t, got, want) tdb_check_str((t), __FILE__, __LINE__, #got, (got), (want))
#define QT_TRUE(t, cond) tdb_check((t), __FILE__, __LINE__, #cond, (cond), "false")
#define QT_REFS(t, list, want) \
    qt_check_refs((t), __FILE__, __LINE__, #list, (list).items, (list).len, (want))
#define QT_HEROES(t, list, want) \
    qt_check_heroes((t), __FILE__, __LINE__, #list, (list).items, (list).len, (want))
#define QT_HERO(t, got, want) qt_check_hero((t), __FILE__, __LINE__, #got, (got), (want))
#define QT_ZERO(t, obj) tdb_check_zero((t), __FILE__, __LINE__, #obj, &(obj), sizeof(obj))

#endif
