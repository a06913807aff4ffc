/*
 * tconn.h: helpers shared by the runtime_conn tests.
 */
#ifndef TCONN_H
#define TCONN_H

#include "internal.h"
#include "testdb.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* Fails with cx's message when rc is not the expected code. */
#define expect_rc(cx, rc, want)                                                               \
    do {                                                                                      \
        int got_ = (rc), want_ = (want);                                                      \
        if (got_ != want_)                                                                    \
            fail_msg("%s:%d: got %d, want %d: %s", __FILE__, __LINE__, got_, want_,           \
                     sm_cx_errmsg(cx));                                                       \
    } while (0)

#define expect_ok(cx, rc) expect_rc(cx, rc, SM_OK)

/* Runs one statement without parameters and fails the test on error. */
#define exec_ok(cx, conn, sql) expect_ok(cx, sm_exec(cx, conn, sql, NULL, 0, NULL))

/* A fresh SQLite database file for this test process. */
static inline sm_conn *open_sqlite(sm_cx *cx)
{
    return testdb_open(cx, SM_SQLITE);
}

/* One integer from a query without parameters. */
static inline int64_t query_int(sm_cx *cx, sm_conn *conn, const char *sql)
{
    sm_rows *r;
    expect_ok(cx, sm_query(cx, conn, sql, NULL, 0, &r));
    expect_rc(cx, sm_rows_next(r), SM_ROW);
    int64_t v = sm_rows_int(r, 0);
    sm_rows_close(r);
    return v;
}

#endif
