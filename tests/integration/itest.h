/*
 * itest.h: helpers shared by the integration tests (suite integration).
 *
 * Each test runs its body once per dialect that testdb_dialects returns,
 * on a fresh database where the schema's <module>_create_all has run.
 * The tests go through the generated functions; the helpers below are for
 * the places where a test must look at the database directly (raw reads
 * and writes through sm_exec / sm_query).
 */
#ifndef ITEST_H
#define ITEST_H

#include <smdl/smdl.h>

#include "testdb.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* One run of a test body on one dialect.  The arena, errors and buffer
 * are freed after the body returns. */
typedef struct itest {
    sm_cx cx;
    sm_conn *conn;
    sm_dialect d;
    sm_arena arena;
    sm_errors errs;
    sm_buf buf;
    sm_buf sql; /* scratch: raw SQL rewritten for the dialect */
} itest;

typedef int (*itest_schema_fn)(sm_cx *cx, sm_conn *conn);
typedef void (*itest_body)(itest *t);

/* Runs body once per configured dialect on a fresh database; create (may
 * be NULL) is the module's _create_all, run first. */
void itest_each(itest_schema_fn create, itest_body body);

/* Fails with cx's message when rc is not the expected code. */
#define expect_rc(t, call, want)                                                              \
    do {                                                                                      \
        int got_ = (call), want_ = (want);                                                    \
        if (got_ != want_)                                                                    \
            fail_msg("%s:%d: on %s: got %s, want %s: %s", __FILE__, __LINE__,                 \
                     testdb_dialect_name((t)->d), sm_strerror(got_), sm_strerror(want_),      \
                     sm_cx_errmsg(&(t)->cx));                                                 \
    } while (0)

#define expect_ok(t, call) expect_rc(t, call, SM_OK)

/* Raw SQL is written with "double-quoted" identifiers; on MySQL they
 * become `backquoted` (outside string literals). */
const char *itest_sql(itest *t, const char *sql);
int itest_exec(itest *t, const char *sql, const sm_value *params, size_t n);
/* The first column of the only row, as an integer / as text (copied to
 * t->arena, NULL for SQL NULL).  Fails the test on any error. */
int64_t itest_int(itest *t, const char *sql, const sm_value *params, size_t n);
const char *itest_text(itest *t, const char *sql, const sm_value *params, size_t n);
/* SELECT count(*) FROM "table". */
int64_t itest_count(itest *t, const char *table);

/* The field error at index i of errs has this path and code. */
void itest_error_is(const sm_errors *errs, size_t i, const char *path, const char *code);
/* errs holds exactly these (path, code) pairs, in order; the list ends
 * with NULL. */
void itest_errors_are(const sm_errors *errs, ...);

/* After SM_CONSTRAINT: the kind, and the constraint's name or columns
 * (either may be given as NULL for "not checked"): a database that names
 * the constraint must name this one, one that names columns must name
 * these. */
void itest_constraint_is(itest *t, sm_constraint_kind kind, const char *name,
                         const char *columns);

/* Counts the statements traced on t->conn whose SQL starts with a word
 * (case-insensitive): install with itest_trace_start, read with
 * itest_trace_stop. */
typedef struct itest_trace {
    const char *prefix;
    int count;
    int total;
} itest_trace;
void itest_trace_start(itest *t, itest_trace *tr, const char *prefix);
void itest_trace_stop(itest *t);

/* unit repeated times times, NUL-terminated, in t->arena. */
char *itest_repeat(itest *t, const char *unit, size_t times);

#endif
