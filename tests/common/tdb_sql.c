/*
 * tdb_sql.c: raw SQL in tests, for the places where a test looks at the
 * database directly (tdb.h).
 */
#include "tdb.h"

#include "internal.h"

#include <time.h>

const char *tdb_sql(tdb *t, const char *sql)
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

int tdb_exec(tdb *t, const char *sql, const sm_value *params, size_t n)
{
    return sm_exec(&t->cx, t->conn, tdb_sql(t, sql), params, n, NULL);
}

void tdb_exec_ok(sm_cx *cx, sm_conn *conn, const char *sql)
{
    int rc = sm_exec(cx, conn, sql, NULL, 0, NULL);
    if (rc != SM_OK)
        fail_msg("%s: %s: %s: %s", tdb_where(), sql, sm_strerror(rc), sm_cx_errmsg(cx));
}

/* Runs a query that must return exactly one row; returns it on that row. */
static sm_rows *one_row(sm_cx *cx, sm_conn *conn, const char *sql, const sm_value *params, size_t n)
{
    sm_rows *r = NULL;
    int rc = sm_query(cx, conn, sql, params, n, &r);
    if (rc != SM_OK)
        fail_msg("%s: %s: %s: %s", tdb_where(), sql, sm_strerror(rc), sm_cx_errmsg(cx));
    rc = sm_rows_next(r);
    if (rc != SM_ROW) {
        sm_rows_close(r);
        fail_msg("%s: %s: no row (%s): %s", tdb_where(), sql, sm_strerror(rc), sm_cx_errmsg(cx));
    }
    return r;
}

/* Reads past the only row and closes the result. */
static void end_rows(sm_cx *cx, sm_rows *r, const char *sql)
{
    int rc = sm_rows_next(r);
    sm_rows_close(r);
    if (rc != SM_DONE)
        fail_msg("%s: %s: more than one row (%s): %s", tdb_where(), sql, sm_strerror(rc),
                 sm_cx_errmsg(cx));
}

int64_t tdb_scalar_int(sm_cx *cx, sm_conn *conn, const char *sql, const sm_value *params, size_t n)
{
    sm_rows *r = one_row(cx, conn, sql, params, n);
    if (sm_rows_is_null(r, 0)) {
        sm_rows_close(r);
        fail_msg("%s: %s: NULL where an integer was expected", tdb_where(), sql);
    }
    int64_t v = sm_rows_int(r, 0);
    end_rows(cx, r, sql);
    return v;
}

void tdb_scalar(sm_cx *cx, sm_conn *conn, const char *sql, const sm_value *params, size_t n,
                char *buf, size_t size)
{
    sm_rows *r = one_row(cx, conn, sql, params, n);
    const char *s = sm_rows_text(r, 0);
    snprintf(buf, size, "%s", s ? s : "(null)");
    end_rows(cx, r, sql);
}

int64_t tdb_int(tdb *t, const char *sql, const sm_value *params, size_t n)
{
    return tdb_scalar_int(&t->cx, t->conn, tdb_sql(t, sql), params, n);
}

const char *tdb_text(tdb *t, const char *sql, const sm_value *params, size_t n)
{
    const char *q = tdb_sql(t, sql);
    sm_rows *r = one_row(&t->cx, t->conn, q, params, n);
    const char *s = sm_rows_text(r, 0);
    char *copy = s ? sm_arena_strndup(&t->arena, s, strlen(s)) : NULL;
    assert_true(!s || copy);
    end_rows(&t->cx, r, q);
    return copy;
}

int64_t tdb_count(tdb *t, const char *table)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM \"%s\"", table);
    return tdb_int(t, sql, NULL, 0);
}

void tdb_expect_no_table(sm_cx *cx, sm_dialect d, int rc, const char *table)
{
    char want[160];
    switch (d) {
    case SM_SQLITE:
        snprintf(want, sizeof want, "no such table: %s", table);
        break;
    case SM_POSTGRES:
        snprintf(want, sizeof want, "relation \"%s\" does not exist", table);
        break;
    case SM_MYSQL:
        /* "Table '<database>.<table>' doesn't exist" */
        snprintf(want, sizeof want, ".%s' doesn't exist", table);
        break;
    }
    const char *msg = sm_cx_errmsg(cx);
    if (rc != SM_ERROR || sm_cx_errcode(cx) != SM_ERROR || !strstr(msg, want))
        fail_msg("%s: want SM_ERROR saying \"%s\", got %s: %s", tdb_where(), want, sm_strerror(rc),
                 msg);
    if (d == SM_MYSQL && !strstr(msg, "Table '"))
        fail_msg("%s: want \"Table '...%s\", got: %s", tdb_where(), want, msg);
}

void tdb_expect_table_gone(tdb *t, const char *table)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM \"%s\"", table);
    tdb_expect_no_table(&t->cx, t->d, tdb_exec(t, sql, NULL, 0), table);
}

double tdb_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int64_t tdb_ms_since(int64_t t0_ns)
{
    return (sm_mono_ns() - t0_ns) / 1000000;
}
