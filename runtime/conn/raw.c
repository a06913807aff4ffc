/*
 * raw.c: raw SQL (DESIGN 4.3): sm_exec and sm_exec_script, and the checks
 * that keep the library's view of the transaction true (transaction
 * control goes through sm_begin & co.; DDL inside a transaction is
 * refused where it would commit it).
 */
#include "internal.h"

/* The checks on raw SQL that keep the library's view of the transaction true:
 * transaction control goes through sm_begin & co., and DDL inside a
 * transaction is refused where it would commit it (MySQL). */
static int check_raw(sm_cx *cx, sm_conn *conn, const char *sql, const sm_value *params, size_t n,
                     bool script)
{
    const sm_sql_rules *r = conn->drv->sql;
    if (!sql)
        return sm_cx_fail(cx, SM_MISUSE, "no SQL given: sql is NULL");
    if (n && !params)
        return sm_cx_fail(cx, SM_MISUSE, "params is NULL with n = %zu", n);
    if (!script && sm_sql_kind(r, sql, 0) == SM_SQL_TX)
        return sm_cx_fail(cx, SM_MISUSE,
                          "transaction control in raw SQL: use sm_begin, sm_commit, sm_rollback "
                          "and savepoints");
    if (conn->drv->tx_ddl || conn->tx == SM_TX_NONE)
        return SM_OK;
    for (size_t i = 0; sql[i];) {
        if (sm_sql_kind(r, sql, i) == SM_SQL_DDL)
            return sm_cx_fail(cx, SM_MISUSE,
                              "DDL inside a transaction is not supported on %s (it would "
                              "commit the transaction)",
                              conn->drv->name);
        i = sm_sql_stmt_end(r, sql, i);
        if (sql[i])
            i++;
    }
    return SM_OK;
}

int sm_conn_check_ddl(sm_cx *cx, sm_conn *conn, const char *sql)
{
    return check_raw(cx, conn, sql, NULL, 0, true);
}

int sm_raw_check(sm_cx *cx, sm_conn *conn, const char *sql, const sm_value *params, size_t n)
{
    return check_raw(cx, conn, sql, params, n, false);
}

int sm_exec(sm_cx *cx, sm_conn *conn, const char *sql, const sm_value *params, size_t n,
            int64_t *affected)
{
    if (affected)
        *affected = 0;
    int rc = sm_call_begin(cx, conn, SM_CALL_ANY);
    if (rc != SM_OK)
        return rc;
    sm_stmt *st = NULL;
    rc = check_raw(cx, conn, sql, params, n, false);
    if (rc == SM_OK)
        rc = sm_stmt_raw(cx, conn, sql, &st);
    if (rc == SM_OK) {
        rc = sm_stmt_exec(cx, st, params, n);
        while (rc == SM_ROW)
            rc = sm_stmt_next(cx, st);
        if (rc == SM_DONE) {
            if (affected)
                *affected = conn->drv->changes(st);
            rc = SM_OK;
        }
    }
    if (st)
        sm_stmt_release(st);
    return sm_call_end(cx, conn, rc);
}

int sm_exec_script(sm_cx *cx, sm_conn *conn, const char *sql)
{
    int rc = sm_call_begin(cx, conn, SM_CALL_ANY);
    if (rc != SM_OK)
        return rc;
    rc = check_raw(cx, conn, sql, NULL, 0, true);
    if (rc == SM_OK)
        rc = sm_conn_simple(cx, conn, sql);
    return sm_call_end(cx, conn, rc);
}
