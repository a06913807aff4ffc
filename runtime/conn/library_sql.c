/*
 * library_sql.c: the library's own statements (BEGIN, SAVEPOINT x,
 * ROLLBACK, a module's DDL): run as scripts, traced and counted like
 * every other statement, and the cleanup that must run even after a
 * cancel or past the deadline.
 */
#include "internal.h"

#include <string.h>

/* Runs sql through one of the driver's script entries, traced and
 * counted like every other statement. */
static int traced(sm_cx *cx, sm_conn *conn, const char *sql,
                  int (*run)(sm_cx *cx, sm_conn *conn, const char *sql))
{
    int64_t t0 = conn->trace ? sm_mono_ns() : 0;
    int rc = run(cx, conn, sql);
    conn->stats.statements++;
    if (conn->trace) {
        sm_trace t;
        memset(&t, 0, sizeof t);
        t.sql = sql;
        t.duration_ns = sm_mono_ns() - t0;
        t.rc = sm_call_code(cx, rc);
        t.rows = -1;
        conn->trace(conn->trace_ud, &t);
    }
    return rc;
}

int sm_conn_simple(sm_cx *cx, sm_conn *conn, const char *sql)
{
    return traced(cx, conn, sql, conn->drv->exec_script);
}

int sm_conn_ddl(sm_cx *cx, sm_conn *conn, const char *sql)
{
    conn->session_dirty = true; /* module scripts may change settings (MySQL) */
    return traced(cx, conn, sql, conn->drv->ddl_script);
}

void sm_cleanup_cx_init(sm_cx *tmp)
{
    sm_cx_init(tmp);
    sm_cx_set_timeout_ms(tmp, SM_CLEANUP_MS);
}

/* Cleanup that must run even when the call's cx is cancelled or past its
 * deadline (rolling back what the library opened): a cx of its own with
 * the cleanup budget, and the call's error message kept.  Traced like
 * the rest. */
int sm_conn_cleanup(sm_conn *conn, const char *sql)
{
    sm_cx tmp;
    sm_cleanup_cx_init(&tmp);
    int rc = traced(&tmp, conn, sql, conn->drv->exec_script);
    sm_cx_free(&tmp);
    return rc;
}
