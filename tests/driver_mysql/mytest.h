/*
 * mytest.h: helpers shared by the MariaDB/MySQL driver tests.  Each test
 * program works in one fresh database (testdb), created in the group
 * setup; tests open their own connections to it.
 */
#ifndef SMDL_MYTEST_H
#define SMDL_MYTEST_H

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
static const char *myt_url;

static int myt_setup(void **state)
{
    (void)state;
    myt_url = testdb_url(SM_MYSQL);
    return 0;
}

/* Fails the test with the cx's message unless expr is SM_OK. */
#define MYT_OK(cx, expr)                                                                         \
    do {                                                                                         \
        int myt_rc_ = (expr);                                                                    \
        if (myt_rc_ != SM_OK)                                                                    \
            fail_msg("%s: %s: %s", #expr, sm_strerror(myt_rc_), sm_cx_errmsg(cx));               \
    } while (0)

/* Fails unless expr returns want. */
#define MYT_RC(cx, want, expr)                                                                   \
    do {                                                                                         \
        int myt_rc_ = (expr);                                                                    \
        if (myt_rc_ != (want))                                                                   \
            fail_msg("%s: got %s, want %s: %s", #expr, sm_strerror(myt_rc_), sm_strerror(want),  \
                     sm_cx_errmsg(cx));                                                          \
    } while (0)

/* A new connection to the test database (skips when there is none). */
static inline sm_conn *myt_open(sm_cx *cx)
{
    if (!myt_url)
        skip();
    sm_conn *conn = NULL;
    MYT_OK(cx, sm_open(cx, myt_url, &conn));
    assert_non_null(conn);
    return conn;
}

static inline void myt_exec(sm_cx *cx, sm_conn *conn, const char *sql)
{
    MYT_OK(cx, sm_exec(cx, conn, sql, NULL, 0, NULL));
}

/* The first column of the single row of sql as text, copied to buf. */
static inline void myt_scalar(sm_cx *cx, sm_conn *conn, const char *sql, const sm_value *p,
                              size_t n, char *buf, size_t size)
{
    sm_rows *r = NULL;
    MYT_OK(cx, sm_query(cx, conn, sql, p, n, &r));
    MYT_RC(cx, SM_ROW, sm_rows_next(r));
    const char *t = sm_rows_text(r, 0);
    snprintf(buf, size, "%s", t ? t : "(null)");
    MYT_RC(cx, SM_DONE, sm_rows_next(r));
    sm_rows_close(r);
}

static inline int64_t myt_int(sm_cx *cx, sm_conn *conn, const char *sql)
{
    sm_rows *r = NULL;
    MYT_OK(cx, sm_query(cx, conn, sql, NULL, 0, &r));
    MYT_RC(cx, SM_ROW, sm_rows_next(r));
    int64_t v = sm_rows_int(r, 0);
    MYT_RC(cx, SM_DONE, sm_rows_next(r));
    sm_rows_close(r);
    return v;
}

static inline int64_t myt_elapsed_ms(int64_t since_ns)
{
    return (sm_mono_ns() - since_ns) / 1000000;
}

/* myt_url with its authority and parameters replaced: user:password@host
 * (pass NULL to keep the original part), then "?params" (or ""). */
static inline char *myt_url_with(const char *user, const char *password, const char *hostport,
                                 const char *params)
{
    sm_cx cx;
    sm_url u;
    sm_cx_init(&cx);
    if (sm_url_parse(&cx, myt_url, &u) != SM_OK)
        fail_msg("cannot parse the test URL: %s", sm_cx_errmsg(&cx));
    char port[16] = "";
    if (u.port)
        snprintf(port, sizeof port, ":%d", u.port);
    char host[300];
    snprintf(host, sizeof host, "%s%s", u.host ? u.host : "", port);
    size_t n = 1024 + strlen(params);
    char *out = malloc(n);
    assert_non_null(out);
    /* Percent-encoding is needed only for the characters the URL syntax
     * gives a meaning to; test credentials avoid them. */
    snprintf(out, n, "mysql://%s:%s@%s/%s%s%s", user ? user : u.user,
             password ? password : (u.password ? u.password : ""), hostport ? hostport : host,
             u.db ? u.db : "", *params ? "?" : "", params);
    sm_url_free(&u);
    sm_cx_free(&cx);
    return out;
}

#endif
