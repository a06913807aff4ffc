/*
 * tx.c: transactions and savepoints (DESIGN 4.4): the state per
 * connection (none, open, failed) with the stack of open savepoints and
 * the depth at which the transaction failed, and the transaction or
 * savepoint a multi-statement generated function opens around itself.
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The library's own statement naming a savepoint (a valid name: it
 * needs no escaping), quoted as the driver quotes identifiers. */
static void savepoint_sql(char *buf, size_t n, const sm_conn *conn, const char *verb,
                          const char *name)
{
    char q = conn->drv->ident_quote;
    snprintf(buf, n, "%s %c%s%c", verb, q, name, q);
}

static bool valid_name(const char *s)
{
    return s && !(*s >= '0' && *s <= '9') && sm_name_valid(s);
}

static void clear_savepoints(sm_conn *conn, size_t keep)
{
    while (conn->nsavepoints > keep)
        free(conn->savepoints[--conn->nsavepoints]);
}

static void end_tx(sm_conn *conn)
{
    conn->tx = SM_TX_NONE;
    conn->failed_depth = 0;
    clear_savepoints(conn, 0);
}

/* The database ended the transaction by itself, or the library cannot
 * tell which savepoints it kept: only sm_rollback is left. */
static void fail_whole(sm_conn *conn)
{
    conn->tx = SM_TX_FAILED;
    conn->failed_depth = 0;
}

/* Opens a transaction.  When BEGIN fails, the database may have opened it
 * all the same (its reply lost to the deadline or a cancel): the library
 * closes what it does not know of, or tracks it as failed when that
 * fails too. */
static int open_tx(sm_cx *cx, sm_conn *conn)
{
    int rc = sm_conn_simple(cx, conn, conn->drv->begin_sql);
    if (rc == SM_OK) {
        conn->tx = SM_TX_OPEN;
    } else if (conn->drv->in_tx(conn) > SM_DB_TX_NONE &&
               sm_conn_cleanup(conn, "ROLLBACK") != SM_OK &&
               conn->drv->in_tx(conn) > SM_DB_TX_NONE) {
        fail_whole(conn);
    }
    return rc;
}

static int push_savepoint(sm_cx *cx, sm_conn *conn, const char *name)
{
    if (sm_strings_push(&conn->savepoints, &conn->nsavepoints, &conn->capsavepoints, name) !=
        SM_OK)
        return sm_cx_fail(cx, SM_NOMEM, "out of memory");
    return SM_OK;
}

/* The innermost open savepoint called name, or -1. */
static long find_savepoint(const sm_conn *conn, const char *name)
{
    for (size_t i = conn->nsavepoints; i-- > 0;)
        if (strcmp(conn->savepoints[i], name) == 0)
            return (long)i;
    return -1;
}

int sm_begin(sm_cx *cx, sm_conn *conn)
{
    int rc = sm_call_begin(cx, conn, SM_CALL_ANY);
    if (rc != SM_OK)
        return rc;
    if (conn->tx != SM_TX_NONE) {
        rc = sm_cx_fail(cx, SM_MISUSE, "a transaction is already open: use sm_savepoint to nest");
    } else {
        rc = open_tx(cx, conn);
    }
    return sm_call_end(cx, conn, rc);
}

int sm_commit(sm_cx *cx, sm_conn *conn)
{
    int rc = sm_call_begin(cx, conn, SM_CALL_ANY);
    if (rc != SM_OK)
        return rc;
    if (conn->tx == SM_TX_NONE)
        return sm_call_end(cx, conn, sm_cx_fail(cx, SM_MISUSE, "no transaction is open"));
    /* An error the library could not report (among rows dropped when a
     * stream stopped early) may have ended or aborted the transaction in
     * the database, where a COMMIT would answer with a silent rollback. */
    int db = conn->drv->in_tx(conn);
    if (db == SM_DB_TX_NONE || db == SM_DB_TX_FAILED) {
        if (db == SM_DB_TX_FAILED)
            sm_conn_cleanup(conn, "ROLLBACK");
        end_tx(conn);
        return sm_call_end(cx, conn,
                           sm_cx_fail(cx, SM_ERROR,
                                      "the transaction failed in the database after an error "
                                      "the library could not report: it was rolled back, "
                                      "nothing was committed"));
    }
    rc = sm_conn_simple(cx, conn, "COMMIT");
    if (rc != SM_OK)
        sm_conn_cleanup(conn, "ROLLBACK"); /* a failed commit leaves no transaction open */
    end_tx(conn);
    return sm_call_end(cx, conn, rc);
}

int sm_rollback(sm_cx *cx, sm_conn *conn)
{
    int rc = sm_call_begin(cx, conn, SM_CALL_ROLLBACK);
    if (rc != SM_OK)
        return rc;
    if (conn->tx == SM_TX_NONE)
        return sm_call_end(cx, conn, sm_cx_fail(cx, SM_MISUSE, "no transaction is open"));
    /* The database may have rolled back by itself (SQLite after some
     * errors), where a ROLLBACK would be an error. */
    rc = conn->drv->in_tx(conn) == SM_DB_TX_NONE ? SM_OK : sm_conn_simple(cx, conn, "ROLLBACK");
    /* Whatever happened, the database no longer holds the transaction
     * (a lost connection ends it too). */
    end_tx(conn);
    return sm_call_end(cx, conn, rc);
}

int sm_savepoint(sm_cx *cx, sm_conn *conn, const char *name)
{
    int rc = sm_call_begin(cx, conn, SM_CALL_ANY);
    if (rc != SM_OK)
        return rc;
    char sql[96];
    if (!name)
        rc = sm_null_arg(cx, "sm_savepoint", NULL, "name");
    else if (!valid_name(name))
        rc = sm_cx_fail(cx, SM_MISUSE, "invalid savepoint name (expected [A-Za-z_][A-Za-z0-9_]{0,62})");
    else if (conn->tx == SM_TX_NONE)
        rc = sm_cx_fail(cx, SM_MISUSE, "sm_savepoint needs an open transaction (sm_begin)");
    else if ((rc = push_savepoint(cx, conn, name)) == SM_OK) {
        savepoint_sql(sql, sizeof sql, conn, "SAVEPOINT", name);
        if ((rc = sm_conn_simple(cx, conn, sql)) != SM_OK)
            free(conn->savepoints[--conn->nsavepoints]);
    }
    return sm_call_end(cx, conn, rc);
}

int sm_release(sm_cx *cx, sm_conn *conn, const char *name)
{
    int rc = sm_call_begin(cx, conn, SM_CALL_ANY);
    if (rc != SM_OK)
        return rc;
    long at = valid_name(name) ? find_savepoint(conn, name) : -1;
    char sql[96];
    if (!name) {
        rc = sm_null_arg(cx, "sm_release", NULL, "name");
    } else if (at < 0) {
        rc = sm_cx_fail(cx, SM_MISUSE, "no open savepoint by that name");
    } else {
        savepoint_sql(sql, sizeof sql, conn, "RELEASE SAVEPOINT", name);
        if ((rc = sm_conn_simple(cx, conn, sql)) == SM_OK)
            clear_savepoints(conn, (size_t)at);
    }
    return sm_call_end(cx, conn, rc);
}

int sm_rollback_to(sm_cx *cx, sm_conn *conn, const char *name)
{
    int rc = sm_call_begin(cx, conn, SM_CALL_ROLLBACK);
    if (rc != SM_OK)
        return rc;
    long at = valid_name(name) ? find_savepoint(conn, name) : -1;
    char sql[96];
    if (!name) {
        rc = sm_null_arg(cx, "sm_rollback_to", NULL, "name");
    } else if (at < 0) {
        rc = sm_cx_fail(cx, SM_MISUSE, "no open savepoint by that name");
    } else if (conn->tx == SM_TX_FAILED && (size_t)at >= conn->failed_depth) {
        rc = sm_cx_fail(cx, SM_MISUSE, "the savepoint did not survive the failure");
    } else {
        savepoint_sql(sql, sizeof sql, conn, "ROLLBACK TO SAVEPOINT", name);
        if ((rc = sm_conn_simple(cx, conn, sql)) == SM_OK) {
            clear_savepoints(conn, (size_t)at + 1);
            conn->tx = SM_TX_OPEN;
            conn->failed_depth = 0;
        }
    }
    return sm_call_end(cx, conn, rc);
}

/* Tokens: 0 nothing opened, 1 a transaction, 2 + i the savepoint at
 * index i. */
int sm_auto_tx_begin(sm_cx *cx, sm_conn *conn, int *token)
{
    *token = 0;
    int rc;
    if (conn->tx == SM_TX_NONE) {
        if ((rc = open_tx(cx, conn)) == SM_OK)
            *token = 1;
        return rc;
    }
    char name[32], sql[96];
    snprintf(name, sizeof name, "sm_auto_%zu", conn->nsavepoints);
    if ((rc = push_savepoint(cx, conn, name)) != SM_OK)
        return rc;
    savepoint_sql(sql, sizeof sql, conn, "SAVEPOINT", name);
    if ((rc = sm_conn_simple(cx, conn, sql)) != SM_OK) {
        free(conn->savepoints[--conn->nsavepoints]);
        return rc;
    }
    *token = 2 + (int)(conn->nsavepoints - 1);
    return SM_OK;
}

int sm_auto_tx_end(sm_cx *cx, sm_conn *conn, int token, int rc)
{
    if (token == 0)
        return rc;
    if (token == 1) {
        if (rc == SM_OK && (rc = sm_conn_simple(cx, conn, "COMMIT")) == SM_OK) {
            end_tx(conn);
            return SM_OK;
        }
        sm_conn_cleanup(conn, "ROLLBACK");
        end_tx(conn);
        return rc;
    }
    size_t at = (size_t)(token - 2);
    if (at >= conn->nsavepoints)
        return rc;
    char sql[96];
    const char *name = conn->savepoints[at];
    if (rc == SM_OK) {
        savepoint_sql(sql, sizeof sql, conn, "RELEASE SAVEPOINT", name);
        if ((rc = sm_conn_simple(cx, conn, sql)) == SM_OK)
            clear_savepoints(conn, at);
        return rc;
    }
    /* The function's own savepoint undoes its partial work; the error
     * then fails the enclosing transaction like any other (DESIGN 4.4:
     * sm_call_end decides from the code), leaving the caller's savepoints
     * usable.  A savepoint that cannot be undone fails it whatever the
     * code. */
    savepoint_sql(sql, sizeof sql, conn, "ROLLBACK TO SAVEPOINT", name);
    bool undone = sm_conn_cleanup(conn, sql) == SM_OK;
    if (undone) {
        savepoint_sql(sql, sizeof sql, conn, "RELEASE SAVEPOINT", name);
        undone = sm_conn_cleanup(conn, sql) == SM_OK;
    }
    clear_savepoints(conn, at);
    if (!undone)
        sm_tx_fail(conn);
    return rc;
}

/* Errors that are not the database's: they leave a transaction usable. */
static bool keeps_tx(int rc)
{
    return rc == SM_NOTFOUND || rc == SM_MULTIPLE || rc == SM_INVALID || rc == SM_MISUSE ||
           rc == SM_UNSUPPORTED || rc == SM_CONFLICT;
}

void sm_tx_settle(sm_conn *conn, int rc)
{
    if (rc >= 0 || conn->tx == SM_TX_NONE)
        return;
    int db = conn->drv->in_tx(conn);
    if (rc == SM_RETRY) {
        /* SM_RETRY promises a rolled-back transaction, its locks
         * released at once; not every database does it by itself (MySQL
         * after a lock wait timeout undoes the statement only, PostgreSQL
         * keeps an aborted transaction), and a MySQL deadlock is not
         * visible in in_tx (an error packet carries no status). */
        if (db != SM_DB_TX_NONE)
            sm_conn_cleanup(conn, "ROLLBACK");
        fail_whole(conn);
    } else if (db == SM_DB_TX_NONE) /* rolled back whole: no savepoint survives */
        fail_whole(conn);
    else if (db == SM_DB_TX_FAILED || !keeps_tx(rc))
        sm_tx_fail(conn);
}

void sm_tx_fail(sm_conn *conn)
{
    if (conn->tx == SM_TX_OPEN) {
        conn->tx = SM_TX_FAILED;
        conn->failed_depth = conn->nsavepoints;
    }
}
