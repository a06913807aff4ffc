/*
 * dtest.c: helpers of the driver-contract tests (dtest.h).
 */
#include "dtest.h"

sm_dialect dt_dialect;

void dt_each(void (*fn)(const char *url))
{
    sm_dialect ds[SM_NDIALECTS];
    int n = testdb_dialects(ds);
    assert_true(n > 0);
    for (int i = 0; i < n; i++) {
        dt_dialect = ds[i];
        printf("  on %s\n", testdb_dialect_name(ds[i]));
        const char *url = testdb_url(ds[i]);
        if (!url)
            fail_msg("no %s database", testdb_dialect_name(ds[i]));
        fn(url);
    }
}

sm_conn *dt_open(sm_cx *cx, const char *url)
{
    sm_conn *conn = NULL;
    DT_OK(cx, sm_open(cx, url, &conn));
    return conn;
}

void dt_exec(sm_cx *cx, sm_conn *conn, const char *sql)
{
    int rc = sm_exec(cx, conn, sql, NULL, 0, NULL);
    if (rc != SM_OK)
        fail_msg("on %s: %s: %s: %s", testdb_dialect_name(dt_dialect), sql, sm_strerror(rc),
                 sm_cx_errmsg(cx));
}

void dt_scalar(sm_cx *cx, sm_conn *conn, const char *sql, char *buf, size_t size)
{
    sm_rows *r = NULL;
    int rc = sm_query(cx, conn, sql, NULL, 0, &r);
    if (rc != SM_OK)
        fail_msg("on %s: %s: %s: %s", testdb_dialect_name(dt_dialect), sql, sm_strerror(rc),
                 sm_cx_errmsg(cx));
    buf[0] = 0;
    rc = sm_rows_next(r);
    if (rc == SM_ROW) {
        const char *t = sm_rows_text(r, 0);
        snprintf(buf, size, "%s", t ? t : "");
        rc = sm_rows_next(r);
    }
    sm_rows_close(r);
    if (rc != SM_DONE)
        fail_msg("on %s: %s: %s: %s", testdb_dialect_name(dt_dialect), sql, sm_strerror(rc),
                 sm_cx_errmsg(cx));
}

int64_t dt_ms_since(int64_t t0_ns)
{
    return (sm_mono_ns() - t0_ns) / 1000000;
}
