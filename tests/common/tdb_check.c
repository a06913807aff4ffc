/*
 * tdb_check.c: soft checks, field errors, constraint details, statement
 * counts (tdb.h).
 */
#include "tdb.h"

#include <inttypes.h>
#include <math.h>
#include <strings.h>

/* ---- Soft checks ------------------------------------------------------------------ */

bool tdb_check(tdb *t, const char *file, int line, const char *what, bool ok, const char *fmt, ...)
{
    if (ok)
        return true;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    print_error("%s:%d: on %s: %s: %s\n", file, line, t->name, what, msg);
    t->failures++;
    return false;
}

bool tdb_check_rc(tdb *t, const char *file, int line, const char *what, int got, int want)
{
    if (got == want)
        return true;
    /* The message belongs to the call only when it failed. */
    return tdb_check(t, file, line, what, false, "got %s, want %s (%s)", sm_strerror(got),
                     sm_strerror(want), got < 0 ? sm_cx_errmsg(&t->cx) : "no error");
}

bool tdb_check_int(tdb *t, const char *file, int line, const char *what, int64_t got, int64_t want)
{
    return tdb_check(t, file, line, what, got == want, "got %" PRId64 ", want %" PRId64, got, want);
}

bool tdb_check_real(tdb *t, const char *file, int line, const char *what, double got, double want)
{
    double scale = fabs(want) > 1 ? fabs(want) : 1;
    return tdb_check(t, file, line, what, fabs(got - want) <= 1e-9 * scale, "got %.17g, want %.17g",
                     got, want);
}

bool tdb_check_str(tdb *t, const char *file, int line, const char *what, const char *got,
                   const char *want)
{
    bool ok = got && want ? strcmp(got, want) == 0 : got == want;
    return tdb_check(t, file, line, what, ok, "got %s%s%s, want %s%s%s", got ? "'" : "",
                     got ? got : "NULL", got ? "'" : "", want ? "'" : "", want ? want : "NULL",
                     want ? "'" : "");
}

bool tdb_check_zero(tdb *t, const char *file, int line, const char *what, const void *obj,
                    size_t size)
{
    const unsigned char *p = obj;
    size_t i = 0;
    while (i < size && p[i] == 0)
        i++;
    return tdb_check(t, file, line, what, i == size, "byte %zu of %zu is not zero", i, size);
}

/* ---- Field errors ------------------------------------------------------------------- */

static void print_errors(const sm_errors *errs)
{
    for (size_t i = 0; i < errs->len; i++)
        print_message("    [%zu] path '%s' code %s: %s\n", i, errs->items[i].path,
                      errs->items[i].code, errs->items[i].msg);
}

void tdb_error_is(const sm_errors *errs, size_t i, const char *path, const char *code)
{
    if (i >= errs->len) {
        print_errors(errs);
        fail_msg("%s: no error [%zu] (want '%s' %s): %zu errors", tdb_where(), i, path, code,
                 errs->len);
    }
    const sm_error *e = &errs->items[i];
    if (strcmp(e->path, path) != 0 || strcmp(e->code, code) != 0) {
        print_errors(errs);
        fail_msg("%s: error [%zu] is '%s' %s, want '%s' %s", tdb_where(), i, e->path, e->code, path,
                 code);
    }
    if (!e->msg || !e->msg[0])
        fail_msg("%s: error [%zu] '%s' has no message", tdb_where(), i, path);
}

void tdb_errors_are(const sm_errors *errs, ...)
{
    va_list ap;
    size_t i = 0;
    va_start(ap, errs);
    for (const char *path; (path = va_arg(ap, const char *)) != NULL; i++)
        tdb_error_is(errs, i, path, va_arg(ap, const char *));
    va_end(ap);
    if (errs->len != i) {
        print_errors(errs);
        fail_msg("%s: %zu errors, want %zu", tdb_where(), errs->len, i);
    }
}

/* ---- Constraints ----------------------------------------------------------------------- */

/* What each database tells of a violation, from its error: SQLite names
 * a unique constraint's columns only (and a foreign key's columns come
 * from the model); MariaDB names a unique key but not its columns. */
static bool reports_name(sm_dialect d, sm_constraint_kind kind)
{
    switch (kind) {
    case SM_CK_UNIQUE:
        return d != SM_SQLITE;
    case SM_CK_FK:
        return d != SM_SQLITE;
    case SM_CK_CHECK:
        return true;
    default:
        return false;
    }
}

static bool reports_columns(sm_dialect d, sm_constraint_kind kind)
{
    switch (kind) {
    case SM_CK_UNIQUE:
        return d != SM_MYSQL;
    case SM_CK_FK:
    case SM_CK_NOT_NULL:
        return true;
    default:
        return false;
    }
}

/* got must be want where the database reports it, and NULL or want
 * where it does not. */
static void part_is(tdb *t, const char *part, bool reported, const char *got, const char *want)
{
    if (!want || (got && strcmp(got, want) == 0))
        return;
    if (!got && !reported)
        return;
    fail_msg("on %s: %s %s%s%s, want '%s' (%s)", t->name, part, got ? "'" : "",
             got ? got : "missing", got ? "'" : "", want, sm_cx_errmsg(&t->cx));
}

void tdb_constraint_is(tdb *t, sm_constraint_kind kind, const char *name, const char *columns)
{
    const sm_constraint *c = sm_cx_constraint(&t->cx);
    if (sm_cx_errcode(&t->cx) != SM_CONSTRAINT)
        fail_msg("on %s: the last call returned %s, not SM_CONSTRAINT (%s)", t->name,
                 sm_strerror(sm_cx_errcode(&t->cx)), sm_cx_errmsg(&t->cx));
    if (c->kind != kind)
        fail_msg("on %s: constraint kind %s, want %s (%s)", t->name,
                 sm_constraint_kind_name(c->kind), sm_constraint_kind_name(kind),
                 sm_cx_errmsg(&t->cx));
    if (!c->name && !c->columns)
        fail_msg("on %s: the %s violation names neither constraint nor columns (%s)", t->name,
                 sm_constraint_kind_name(kind), sm_cx_errmsg(&t->cx));
    part_is(t, "constraint", reports_name(t->d, kind), c->name, name);
    part_is(t, "columns", reports_columns(t->d, kind), c->columns, columns);
}

/* ---- Statement counts -------------------------------------------------------------------- */

static void count_trace(void *ud, const sm_trace *tr)
{
    tdb_trace *t = ud;
    t->total++;
    if (strncasecmp(tr->sql, t->prefix, strlen(t->prefix)) == 0)
        t->count++;
}

void tdb_trace_start(tdb *t, tdb_trace *tr, const char *prefix)
{
    tr->prefix = prefix;
    tr->count = tr->total = 0;
    sm_conn_set_trace(t->conn, count_trace, tr);
}

void tdb_trace_stop(tdb *t)
{
    sm_conn_set_trace(t->conn, NULL, NULL);
}

char *tdb_repeat(tdb *t, const char *unit, size_t times)
{
    size_t n = strlen(unit);
    char *s = sm_arena_alloc(&t->arena, n * times + 1);
    assert_non_null(s);
    for (size_t i = 0; i < times; i++)
        memcpy(s + i * n, unit, n);
    s[n * times] = '\0';
    return s;
}
