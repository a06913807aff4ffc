/*
 * pgtest.h: helpers shared by the PostgreSQL driver tests.  Each test
 * program works in one fresh database (tdb_shared_url, tests/common/tdb.h)
 * and tests open their own connections to it.
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
#include "tdb.h"

/* This program's database (tdb_shared_url: the test is skipped or fails
 * when there is no server). */
static inline const char *pgt_url(void)
{
    return tdb_shared_url(SM_POSTGRES);
}

/* A new connection to the test database. */
static inline sm_conn *pgt_open(sm_cx *cx)
{
    return tdb_connect(cx, pgt_url());
}

/* A connection per test, for cmocka_unit_test_setup_teardown. */
typedef struct pgt_env {
    sm_cx cx;
    sm_conn *conn;
} pgt_env;

static inline int pgt_env_setup(void **state)
{
    pgt_env *e = calloc(1, sizeof *e);
    if (!e)
        return -1;
    sm_cx_init(&e->cx);
    *state = e;
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

/* The test's environment, its connection opened here, inside the test,
 * where the skip rules may skip it. */
static inline pgt_env *pgt_env_of(void **state)
{
    pgt_env *e = *state;
    if (!e->conn)
        e->conn = pgt_open(&e->cx);
    return e;
}

#endif
