/*
 * mytest.h: helpers shared by the MariaDB/MySQL driver tests.  Each test
 * program works in one fresh database (tdb_shared_url, tests/common/tdb.h)
 * and tests open their own connections to it.
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
#include "tdb.h"

/* This program's database (tdb_shared_url: the test is skipped or fails
 * when there is no server). */
static inline const char *myt_url(void)
{
    return tdb_shared_url(SM_MYSQL);
}

/* A new connection to the test database. */
static inline sm_conn *myt_open(sm_cx *cx)
{
    return tdb_connect(cx, myt_url());
}

/* myt_url with its authority and parameters replaced: user:password@host
 * (pass NULL to keep the original part), then "?params" (or ""). */
static inline char *myt_url_with(const char *user, const char *password, const char *hostport,
                                 const char *params)
{
    sm_cx cx;
    sm_url u;
    sm_cx_init(&cx);
    if (sm_url_parse(&cx, myt_url(), &u) != SM_OK)
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
