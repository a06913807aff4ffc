/*
 * itest.c: helpers shared by the integration tests (itest.h).
 */
#include "itest.h"

#include <strings.h>

void itest_each(itest_schema_fn create, itest_body body)
{
    sm_dialect ds[SM_NDIALECTS];
    int n = testdb_dialects(ds);
    for (int i = 0; i < n; i++) {
        /* NULL only when skipping is allowed and the server is not set. */
        const char *url = testdb_url(ds[i]);
        if (!url)
            continue;
        itest *t = calloc(1, sizeof *t);
        assert_non_null(t);
        sm_cx_init(&t->cx);
        /* Generous: a loaded CI machine runs many test programs at once. */
        sm_cx_set_timeout_ms(&t->cx, 60000);
        t->d = ds[i];
        print_message("  on %s\n", testdb_dialect_name(ds[i]));
        int rc = sm_open(&t->cx, url, &t->conn);
        if (rc != SM_OK)
            fail_msg("cannot open the %s database: %s: %s", testdb_dialect_name(ds[i]),
                     sm_strerror(rc), sm_cx_errmsg(&t->cx));
        if (create)
            expect_ok(t, create(&t->cx, t->conn));
        body(t);
        sm_close(t->conn);
        sm_arena_free(&t->arena);
        sm_errors_free(&t->errs);
        sm_buf_free(&t->buf);
        sm_buf_free(&t->sql);
        sm_cx_free(&t->cx);
        free(t);
    }
}

const char *itest_sql(itest *t, const char *sql)
{
    if (t->d != SM_MYSQL)
        return sql;
    sm_buf_reset(&t->sql);
    bool in_string = false;
    for (const char *p = sql; *p; p++) {
        char c = *p;
        if (c == '\'')
            in_string = !in_string; /* '' inside a literal toggles twice */
        else if (c == '"' && !in_string)
            c = '`';
        assert_int_equal(sm_buf_putc(&t->sql, c), SM_OK);
    }
    assert_int_equal(sm_buf_putc(&t->sql, '\0'), SM_OK);
    return t->sql.data;
}

int itest_exec(itest *t, const char *sql, const sm_value *params, size_t n)
{
    return sm_exec(&t->cx, t->conn, itest_sql(t, sql), params, n, NULL);
}

/* Runs a query expected to return exactly one row. */
static sm_rows *one_row(itest *t, const char *sql, const sm_value *params, size_t n)
{
    sm_rows *r = NULL;
    const char *q = itest_sql(t, sql);
    int rc = sm_query(&t->cx, t->conn, q, params, n, &r);
    if (rc != SM_OK)
        fail_msg("on %s: %s: %s: %s", testdb_dialect_name(t->d), q, sm_strerror(rc),
                 sm_cx_errmsg(&t->cx));
    rc = sm_rows_next(r);
    if (rc != SM_ROW) {
        sm_rows_close(r);
        fail_msg("on %s: %s: no row (%s): %s", testdb_dialect_name(t->d), q, sm_strerror(rc),
                 sm_cx_errmsg(&t->cx));
    }
    return r;
}

/* Reads the end of a one-row result and closes it. */
static void end_rows(itest *t, sm_rows *r)
{
    int rc = sm_rows_next(r);
    sm_rows_close(r);
    if (rc != SM_DONE)
        fail_msg("on %s: more than one row (%s)", testdb_dialect_name(t->d), sm_strerror(rc));
}

int64_t itest_int(itest *t, const char *sql, const sm_value *params, size_t n)
{
    sm_rows *r = one_row(t, sql, params, n);
    assert_false(sm_rows_is_null(r, 0));
    int64_t v = sm_rows_int(r, 0);
    end_rows(t, r);
    return v;
}

const char *itest_text(itest *t, const char *sql, const sm_value *params, size_t n)
{
    sm_rows *r = one_row(t, sql, params, n);
    const char *s = sm_rows_text(r, 0);
    char *copy = s ? sm_arena_strndup(&t->arena, s, strlen(s)) : NULL;
    assert_true(!s || copy);
    end_rows(t, r);
    return copy;
}

int64_t itest_count(itest *t, const char *table)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM \"%s\"", table);
    return itest_int(t, sql, NULL, 0);
}

static void print_errors(const sm_errors *errs)
{
    for (size_t i = 0; i < errs->len; i++)
        print_message("    [%zu] path '%s' code %s: %s\n", i, errs->items[i].path,
                      errs->items[i].code, errs->items[i].msg);
}

void itest_error_is(const sm_errors *errs, size_t i, const char *path, const char *code)
{
    if (i >= errs->len) {
        print_errors(errs);
        fail_msg("no error [%zu] (want '%s' %s): %zu errors", i, path, code, errs->len);
    }
    const sm_error *e = &errs->items[i];
    if (strcmp(e->path, path) != 0 || strcmp(e->code, code) != 0) {
        print_errors(errs);
        fail_msg("error [%zu] is '%s' %s, want '%s' %s", i, e->path, e->code, path, code);
    }
    assert_non_null(e->msg);
    assert_true(e->msg[0] != '\0');
}

void itest_errors_are(const sm_errors *errs, ...)
{
    va_list ap;
    size_t i = 0;
    va_start(ap, errs);
    for (const char *path; (path = va_arg(ap, const char *)) != NULL; i++) {
        const char *code = va_arg(ap, const char *);
        itest_error_is(errs, i, path, code);
    }
    va_end(ap);
    if (errs->len != i) {
        print_errors(errs);
        fail_msg("%zu errors, want %zu", errs->len, i);
    }
}

void itest_constraint_is(itest *t, sm_constraint_kind kind, const char *name,
                         const char *columns)
{
    const sm_constraint *c = sm_cx_constraint(&t->cx);
    const char *dn = testdb_dialect_name(t->d);
    if (c->kind != kind)
        fail_msg("on %s: constraint kind %s, want %s (%s)", dn, sm_constraint_kind_name(c->kind),
                 sm_constraint_kind_name(kind), sm_cx_errmsg(&t->cx));
    if (!c->name && !c->columns)
        fail_msg("on %s: the %s violation names neither constraint nor columns (%s)", dn,
                 sm_constraint_kind_name(kind), sm_cx_errmsg(&t->cx));
    if (name && c->name && strcmp(c->name, name) != 0)
        fail_msg("on %s: constraint '%s', want '%s'", dn, c->name, name);
    if (columns && c->columns && strcmp(c->columns, columns) != 0)
        fail_msg("on %s: columns '%s', want '%s'", dn, c->columns, columns);
    if (name && !columns && !c->name)
        fail_msg("on %s: the constraint is not named (want '%s')", dn, name);
    if (columns && !name && !c->columns)
        fail_msg("on %s: the columns are not named (want '%s')", dn, columns);
}

static void count_trace(void *ud, const sm_trace *tr)
{
    itest_trace *t = ud;
    size_t n = strlen(t->prefix);
    t->total++;
    if (strncasecmp(tr->sql, t->prefix, n) == 0)
        t->count++;
}

void itest_trace_start(itest *t, itest_trace *tr, const char *prefix)
{
    tr->prefix = prefix;
    tr->count = tr->total = 0;
    sm_conn_set_trace(t->conn, count_trace, tr);
}

void itest_trace_stop(itest *t)
{
    sm_conn_set_trace(t->conn, NULL, NULL);
}

char *itest_repeat(itest *t, const char *unit, size_t times)
{
    size_t n = strlen(unit);
    char *s = sm_arena_alloc(&t->arena, n * times + 1);
    assert_non_null(s);
    for (size_t i = 0; i < times; i++)
        memcpy(s + i * n, unit, n);
    s[n * times] = '\0';
    return s;
}
