/*
 * natest.h: the harness of the NULL-argument tests (suite nullargs).
 *
 * Every public function of libsmdl and every shape of generated function
 * is called with each of its pointer arguments NULL in turn, the others
 * valid, on a real connection of every dialect the test harness (tdb.h) runs on.
 * A call must return the documented code (SM_MISUSE with a message in cx,
 * where there is a cx) or behave as documented, and leave the connection
 * usable: nothing may crash, also under ASan and UBSan.
 *
 * Each case is a cmocka test named after the function it covers
 * (NA_CASE(sm_open) runs case_sm_open), so that check_cases.sh can match
 * the cases against the functions the headers declare.
 */
#ifndef NATEST_H
#define NATEST_H

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

/* One connection per dialect, opened on first use and kept for the whole
 * program (cases share the database; each leaves it as it found it). */
typedef struct na {
    sm_cx cx;
    sm_conn *conn;
    sm_dialect d;
    const char *url;
    sm_arena arena;
} na;

typedef int (*na_schema_fn)(sm_cx *cx, sm_conn *conn);

/* The schema every connection gets before its first case (NULL: none),
 * set once by main before the cases run. */
void na_set_schema(na_schema_fn create);

/* Runs body once per dialect on that dialect's connection, then checks
 * the connection is still usable (na_alive) with no transaction open. */
void na_each(void (*body)(na *t));

/* The connection answers a query and no result is left open: a misused
 * call left nothing behind (an open transaction stays usable). */
void na_alive(na *t);

/* A pointer the compiler cannot prove NULL, so that passing it to a
 * parameter declared with a format or nonnull attribute draws no warning
 * at compile time: the call is the point of the test. */
extern void *volatile na_null;
#define NA_NULL(T) ((T)na_null)

/* The call returns SM_MISUSE, records it in t->cx with a message, and
 * the connection is still usable. */
#define NA_MISUSE(t, call) na_misuse_at((t), (call), #call, __FILE__, __LINE__)
void na_misuse_at(na *t, int rc, const char *what, const char *file, int line);

/* The call returns exactly want (calls without a cx). */
#define NA_RC(call, want) na_rc_at((call), (want), #call, __FILE__, __LINE__)
void na_rc_at(int rc, int want, const char *what, const char *file, int line);

/* The call (one with a cx) returns want; on error fails with the cx's
 * message. */
#define NA_EXPECT(t, call, want) na_expect_at((t), (call), (want), #call, __FILE__, __LINE__)
void na_expect_at(na *t, int rc, int want, const char *what, const char *file, int line);

#define NA_CASE(fn) cmocka_unit_test(case_##fn)

/* Runs the cases and closes the connections. */
int na_run(const char *group, const struct CMUnitTest *tests, size_t n);
#define NA_RUN(group, tests) na_run(group, tests, sizeof tests / sizeof tests[0])

#endif
