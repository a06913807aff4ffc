/*
 * tdb.h: the one way a test runs on databases.
 *
 * tdb_each runs a test body once per dialect, each time on a fresh,
 * empty database (SQLite: a new file; PostgreSQL and MariaDB/MySQL: a new
 * database on the servers named by SMDL_TEST_PG_URL / SMDL_TEST_MYSQL_URL,
 * dropped at exit), with a connection open, the schema created, and every
 * message labelled with the dialect.  Tests of one driver share one
 * database per program (tdb_shared_url) and open their own connections.
 *
 * Skip rules, the same for every test:
 *   - SMDL_TEST_DIALECTS ("sqlite postgres mysql", any subset) narrows the
 *     dialects; an unknown word stops the program.
 *   - A server that is not configured, or does not answer, fails the test
 *     with the reason, unless SMDL_TEST_ALLOW_SKIP=1: then that dialect is
 *     skipped and says so ("SKIP postgres: ...").
 *   - A dialect left out either way is reported: the cmocka test shows as
 *     SKIPPED (after running on the other dialects) and the program exits
 *     77, which meson counts as SKIP, never as OK.  main therefore returns
 *     tdb_exit(cmocka_run_group_tests(...)).
 */
#ifndef SMDL_TDB_H
#define SMDL_TDB_H

#include <smdl/smdl.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* ---- Runs -------------------------------------------------------------------- */

/* One run of a body on one dialect.  Everything is freed after the body. */
typedef struct tdb {
    sm_dialect d;
    const char *name; /* "sqlite", "postgres", "mysql" */
    const char *url;  /* this run's fresh database */
    sm_cx cx;         /* deadline: TDB_TIMEOUT_MS from the start of the run */
    sm_conn *conn;    /* open on url, the schema created */
    sm_arena arena;
    sm_errors errs;
    sm_buf buf;
    sm_buf sql;   /* scratch of tdb_sql */
    int failures; /* soft checks that failed (tdb_check) */
    jmp_buf stop; /* TDB_MUST leaves the body through it */
} tdb;

/* A bound against hangs only: a loaded machine runs many programs. */
enum { TDB_TIMEOUT_MS = 120000 };

typedef int (*tdb_schema_fn)(sm_cx *cx, sm_conn *conn);
typedef void (*tdb_body_fn)(tdb *t);

#define TDB_ON(d) (1u << (unsigned)(d))
#define TDB_ALL (TDB_ON(SM_SQLITE) | TDB_ON(SM_POSTGRES) | TDB_ON(SM_MYSQL))

/* Runs body once per dialect on a fresh database where create (may be
 * NULL) has run; fails the test at the end if a soft check failed. */
void tdb_each(tdb_schema_fn create, tdb_body_fn body);
/* The same on the dialects of a TDB_ON mask only, for behaviour that
 * exists on those alone. */
void tdb_each_on(unsigned dialects, tdb_schema_fn create, tdb_body_fn body);

/* A fresh database of d, for a test that opens its connections itself.
 * When the skip rules leave d out, the test is skipped (cmocka skip). */
const char *tdb_url(sm_dialect d);
/* This program's one database of d, created on the first call. */
const char *tdb_shared_url(sm_dialect d);
/* The same, but NULL (the skip noted, the test going on with the other
 * dialects) when the skip rules leave d out; the caller ends the test
 * with skip() after the others ran when tdb_skipped(d). */
const char *tdb_try_shared_url(sm_dialect d);
bool tdb_skipped(sm_dialect d);
/* Opens url, failing the test with the reason on error. */
sm_conn *tdb_connect(sm_cx *cx, const char *url);

const char *tdb_name(sm_dialect d);
/* " on <dialect>" while a body runs, "" otherwise: for messages. */
const char *tdb_where(void);

/* The exit status of a test program: 1 when a test failed, else 77 when
 * a dialect was skipped, else 0. */
int tdb_exit(int failed_tests);

/* ---- Hard checks: the first failure ends the test -------------------------------- */

#define TDB_RC(cx, call, want)                                                                     \
    do {                                                                                           \
        int got_ = (call), want_ = (want);                                                         \
        if (got_ != want_)                                                                         \
            fail_msg("%s:%d:%s: %s: got %s, want %s: %s", __FILE__, __LINE__, tdb_where(), #call,  \
                     sm_strerror(got_), sm_strerror(want_), sm_cx_errmsg(cx));                     \
    } while (0)
#define TDB_OK(cx, call) TDB_RC(cx, call, SM_OK)

/* The same on a run's cx. */
#define expect_rc(t, call, want) TDB_RC(&(t)->cx, call, want)
#define expect_ok(t, call) TDB_RC(&(t)->cx, call, SM_OK)

/* ---- Soft checks: a failure is printed and counted, the body goes on ------------- */

/* Each records a failure on t (printed with where and what) and returns
 * whether the check passed; tdb_each fails the test at the end. */
bool tdb_check(tdb *t, const char *file, int line, const char *what, bool ok, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;
bool tdb_check_rc(tdb *t, const char *file, int line, const char *what, int got, int want);
bool tdb_check_int(tdb *t, const char *file, int line, const char *what, int64_t got, int64_t want);
bool tdb_check_real(tdb *t, const char *file, int line, const char *what, double got, double want);
bool tdb_check_str(tdb *t, const char *file, int line, const char *what, const char *got,
                   const char *want);
/* The object of size bytes is all zero bytes (results after an error). */
bool tdb_check_zero(tdb *t, const char *file, int line, const char *what, const void *obj,
                    size_t size);
/* A call whose failure makes the rest of the body meaningless on this
 * dialect: records the failure and leaves the body. */
#define TDB_MUST(t, call)                                                                          \
    do {                                                                                           \
        if (!tdb_check_rc((t), __FILE__, __LINE__, #call, (call), SM_OK))                          \
            longjmp((t)->stop, 1);                                                                 \
    } while (0)

/* ---- Raw SQL --------------------------------------------------------------------- */

/* Raw SQL is written with "double-quoted" identifiers; on MySQL they
 * become `backquoted` (outside string literals).  In t->sql. */
const char *tdb_sql(tdb *t, const char *sql);
int tdb_exec(tdb *t, const char *sql, const sm_value *params, size_t n);
/* The first column of the only row of a query, as an integer (not NULL)
 * or as text (copied to t->arena, NULL for SQL NULL).  Anything else
 * (an error, no row, two rows) fails the test. */
int64_t tdb_int(tdb *t, const char *sql, const sm_value *params, size_t n);
const char *tdb_text(tdb *t, const char *sql, const sm_value *params, size_t n);
/* SELECT count(*) FROM "table". */
int64_t tdb_count(tdb *t, const char *table);

/* The same on any connection, SQL as given. */
void tdb_exec_ok(sm_cx *cx, sm_conn *conn, const char *sql);
int64_t tdb_scalar_int(sm_cx *cx, sm_conn *conn, const char *sql, const sm_value *params, size_t n);
/* The text of the only row's first column in buf ("(null)" for NULL). */
void tdb_scalar(sm_cx *cx, sm_conn *conn, const char *sql, const sm_value *params, size_t n,
                char *buf, size_t size);

/* The call returned SM_ERROR because table does not exist, and the
 * message says so in the words of the database of dialect d. */
void tdb_expect_no_table(sm_cx *cx, sm_dialect d, int rc, const char *table);
/* A count of table's rows fails that way on t->conn. */
void tdb_expect_table_gone(tdb *t, const char *table);

/* ---- Errors, constraints, traces ------------------------------------------------- */

/* The field error at index i of errs has this path and code, and a
 * message. */
void tdb_error_is(const sm_errors *errs, size_t i, const char *path, const char *code);
/* errs holds exactly these (path, code) pairs, in order, each with a
 * message; the list ends with NULL. */
void tdb_errors_are(const sm_errors *errs, ...);
/* After SM_CONSTRAINT on t->cx: the kind, and the constraint's name and
 * columns (NULL: not checked).  Each database reports a fixed part of
 * them (tdb_check.c); what it reports must be exactly these. */
void tdb_constraint_is(tdb *t, sm_constraint_kind kind, const char *name, const char *columns);

/* Counts the statements traced on t->conn whose SQL starts with a prefix
 * (case-insensitive), from tdb_trace_start to tdb_trace_stop. */
typedef struct tdb_trace {
    const char *prefix;
    int count;
    int total;
} tdb_trace;
void tdb_trace_start(tdb *t, tdb_trace *tr, const char *prefix);
void tdb_trace_stop(tdb *t);

/* unit repeated times times, NUL-terminated, in t->arena. */
char *tdb_repeat(tdb *t, const char *unit, size_t times);

/* Milliseconds of CLOCK_MONOTONIC, and since a sm_mono_ns() reading. */
double tdb_now_ms(void);
int64_t tdb_ms_since(int64_t t0_ns);

#endif
