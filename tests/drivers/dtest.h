/*
 * dtest.h: helpers of the driver-contract tests, which run every case on
 * a fresh database of every dialect testdb_dialects returns.
 */
#ifndef DTEST_H
#define DTEST_H

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
#define DT_RC(cx, rc, want)                                                                   \
    do {                                                                                      \
        int got_ = (rc), want_ = (want);                                                      \
        if (got_ != want_)                                                                    \
            fail_msg("%s:%d: on %s: got %s, want %s: %s", __FILE__, __LINE__,                 \
                     testdb_dialect_name(dt_dialect), sm_strerror(got_), sm_strerror(want_), \
                     sm_cx_errmsg(cx));                                                       \
    } while (0)
#define DT_OK(cx, rc) DT_RC(cx, rc, SM_OK)

/* The dialect the current case runs on (for messages). */
extern sm_dialect dt_dialect;

/* Runs fn once per dialect with a fresh database's URL. */
void dt_each(void (*fn)(const char *url));

/* Opens url, failing the test on error. */
sm_conn *dt_open(sm_cx *cx, const char *url);
void dt_exec(sm_cx *cx, sm_conn *conn, const char *sql);
/* The first column of the first row as text ("" for NULL or no row). */
void dt_scalar(sm_cx *cx, sm_conn *conn, const char *sql, char *buf, size_t size);
int64_t dt_ms_since(int64_t t0_ns);

#endif
