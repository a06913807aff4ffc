/*
 * pgtest.h: helpers shared by the PostgreSQL driver tests.  Each test
 * program works in one fresh database (testdb), opened in the group
 * setup; tests open their own connections to it.
 */
#ifndef SMDL_PGTEST_H
#define SMDL_PGTEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "internal.h"
#include "testdb.h"

/* The URL of this program's database; NULL when skipping. */
static const char *pgt_url;

/* Group setup: creates the database, unless SMDL_TEST_DIALECTS leaves
 * PostgreSQL out (then every test skips). */
static int pgt_setup(void **state)
{
    (void)state;
    sm_dialect ds[SM_NDIALECTS];
    bool wanted = false;
    int n = testdb_dialects(ds);
    for (int i = 0; i < n; i++)
        wanted |= ds[i] == SM_POSTGRES;
    if (wanted)
        pgt_url = testdb_url(SM_POSTGRES);
    else
        printf("skipping postgres: not in SMDL_TEST_DIALECTS\n");
    return 0;
}

/* Fails the test with the cx's message unless expr is SM_OK. */
#define PGT_OK(cx, expr)                                                                         \
    do {                                                                                         \
        int pgt_rc_ = (expr);                                                                    \
        if (pgt_rc_ != SM_OK)                                                                    \
            fail_msg("%s: %s: %s", #expr, sm_strerror(pgt_rc_), sm_cx_errmsg(cx));               \
    } while (0)

/* Fails unless expr returns want. */
#define PGT_RC(cx, want, expr)                                                                   \
    do {                                                                                         \
        int pgt_rc_ = (expr);                                                                    \
        if (pgt_rc_ != (want))                                                                   \
            fail_msg("%s: got %s, want %s: %s", #expr, sm_strerror(pgt_rc_), sm_strerror(want),  \
                     sm_cx_errmsg(cx));                                                          \
    } while (0)

/* A new connection to the test database (skips when there is none). */
static inline sm_conn *pgt_open(sm_cx *cx)
{
    if (!pgt_url)
        skip();
    sm_conn *conn = NULL;
    PGT_OK(cx, sm_open(cx, pgt_url, &conn));
    assert_non_null(conn);
    return conn;
}

static inline void pgt_exec(sm_cx *cx, sm_conn *conn, const char *sql)
{
    PGT_OK(cx, sm_exec(cx, conn, sql, NULL, 0, NULL));
}

/* The first column of the single row of sql as text, copied to buf. */
static inline void pgt_scalar(sm_cx *cx, sm_conn *conn, const char *sql, const sm_value *p,
                              size_t n, char *buf, size_t size)
{
    sm_rows *r = NULL;
    PGT_OK(cx, sm_query(cx, conn, sql, p, n, &r));
    PGT_RC(cx, SM_ROW, sm_rows_next(r));
    const char *t = sm_rows_text(r, 0);
    snprintf(buf, size, "%s", t ? t : "(null)");
    PGT_RC(cx, SM_DONE, sm_rows_next(r));
    sm_rows_close(r);
}

/* A connection per test, for cmocka_unit_test_setup_teardown. */
typedef struct pgt_env {
    sm_cx cx;
    sm_conn *conn;
} pgt_env;

static inline int pgt_env_setup(void **state)
{
    *state = NULL;
    if (!pgt_url)
        return 0; /* the test skips (pgt_env) */
    pgt_env *e = calloc(1, sizeof *e);
    assert_non_null(e);
    sm_cx_init(&e->cx);
    *state = e;
    e->conn = pgt_open(&e->cx);
    return 0;
}

static inline int pgt_env_teardown(void **state)
{
    pgt_env *e = *state;
    if (e) {
        sm_close(e->conn);
        sm_cx_free(&e->cx);
        free(e);
    }
    return 0;
}

/* The test's environment; skips the test when there is no database. */
static inline pgt_env *pgt_env_of(void **state)
{
    if (!*state)
        skip();
    return *state;
}

static inline int64_t pgt_elapsed_ms(int64_t since_ns)
{
    return (sm_mono_ns() - since_ns) / 1000000;
}

#endif
