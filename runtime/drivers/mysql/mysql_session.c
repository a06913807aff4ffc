/*
 * mysql_session.c: the MariaDB/MySQL driver's values, module scripts,
 * multi-row insert keys and session entries.
 *
 * Values: decimals travel as exact text.  Lists never bind as one value:
 * generated SQL expands them into placeholders (list_value is NULL).
 *
 * Module scripts (create_all, drop_all) turn FOREIGN_KEY_CHECKS off and
 * on around their DDL.  A script that fails in between would leave the
 * session without foreign key checks, so the setting is read first and
 * put back afterwards whatever happened.
 *
 * Keys of a multi-row INSERT: the server reports the first one; InnoDB
 * gives the rows of one simple INSERT consecutive values of the
 * auto-increment sequence, which steps by auto_increment_increment
 * (Galera sets it to the cluster size), so the keys are first + k * step
 * with the step read from the session once per batch, before its first
 * INSERT: the session's own value changes only by a SET of the program's,
 * and none runs in between.
 *
 * Reset (a pool's release): ROLLBACK, RELEASE_ALL_LOCKS(), the session
 * variables a program may have changed back to the server's defaults
 * (foreign_key_checks, unique_checks, auto_increment_increment and
 * _offset, autocommit) and the connection's own settings again.
 * mysql_reset_connection would do more but also drops every prepared
 * statement, so temporary tables and user variables stay.
 *
 * The migration lock: GET_LOCK('smdl:<name>', timeout), which waits in
 * the server; at the cx deadline the wait loop kills the statement
 * (SM_TIMEOUT).  MariaDB refuses a negative (endless) timeout, so the
 * server's own is a little past the cx deadline, or a year without one.
 */
#include "mysql_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Values ------------------------------------------------------------------ */

void sm_my_bind_decimal(sm_decimal v, int scale, sm_value *out, char *txt)
{
    *out = sm_textn(txt, sm_decimal_format(v, scale, txt));
}

int sm_my_get_decimal(sm_stmt *st, int col, int precision, int scale, sm_decimal *out)
{
    size_t n = 0;
    const char *s = sm_my_get_text(st, col, &n);
    return s ? sm_decimal_parse(s, n, precision, scale, out) : SM_INVALID;
}

/* ---- Scripts ----------------------------------------------------------------- */

int sm_my_ddl_script(sm_cx *cx, sm_conn *conn, const char *sql)
{
    sm_my_conn *c = (sm_my_conn *)conn;
    if (c->dead)
        return sm_my_lost(cx);
    char fkc[8];
    sm_my_op_begin(c);
    int rc = sm_my_run(c, cx, "SELECT @@SESSION.foreign_key_checks", fkc, sizeof fkc, "script");
    if (rc != SM_OK)
        return rc;
    rc = sm_my_exec_script(cx, conn, sql);
    const char *restore = strcmp(fkc, "0") == 0 ? "SET SESSION foreign_key_checks = 0"
                                                : "SET SESSION foreign_key_checks = 1";
    if (rc == SM_OK) {
        sm_my_op_begin(c);
        return sm_my_run(c, cx, restore, NULL, 0, "script");
    }
    /* Past a cancel or the deadline too: the call's own error stays. */
    if (!c->dead)
        sm_conn_cleanup(conn, restore);
    return rc;
}

/* ---- Multi-row inserts ------------------------------------------------------------ */

int sm_my_batch_step(sm_cx *cx, sm_conn *conn, int64_t *step)
{
    sm_my_conn *c = (sm_my_conn *)conn;
    if (c->dead)
        return sm_my_lost(cx);
    char v[24];
    sm_my_op_begin(c);
    int rc = sm_my_run(c, cx, "SELECT @@SESSION.auto_increment_increment", v, sizeof v, "insert");
    if (rc != SM_OK)
        return rc;
    *step = strtoll(v, NULL, 10);
    if (*step < 1)
        *step = 1;
    return SM_OK;
}

int sm_my_batch_ids(sm_cx *cx, sm_stmt *st, int rc, int64_t step, int64_t *ids, size_t count)
{
    if (rc != SM_DONE)
        return rc == SM_ROW ? sm_cx_fail(cx, SM_ERROR, "mysql: the insert returned rows") : rc;
    int64_t first = st->conn->drv->insert_id(st);
    for (size_t k = 0; k < count; k++)
        ids[k] = first + (int64_t)k * step;
    return SM_OK;
}

/* ---- Ping and reset -------------------------------------------------------------- */

/* From the status of the last OK or EOF packet: an error packet carries
 * none, so after an error this is the state before the failed statement
 * (which is right except after a deadlock, which the transaction layer
 * treats apart). */
int sm_my_in_tx(sm_conn *conn)
{
    sm_my_conn *c = (sm_my_conn *)conn;
    unsigned int status = 0;
    if (c->dead || mariadb_get_infov(c->db, MARIADB_CONNECTION_SERVER_STATUS, &status))
        return SM_DB_TX_UNKNOWN;
    return (status & SERVER_STATUS_IN_TRANS) ? SM_DB_TX_OPEN : SM_DB_TX_NONE;
}

int sm_my_ping(sm_cx *cx, sm_conn *conn)
{
    sm_my_conn *c = (sm_my_conn *)conn;
    if (c->dead)
        return sm_my_lost(cx);
    sm_my_op_begin(c);
    int ret = 1;
    c->pinging = true; /* interrupted, the connection is given up (mysql_io.c) */
    int ev = mysql_ping_start(&ret, c->db);
    while (ev)
        ev = mysql_ping_cont(&ret, c->db, sm_my_wait(c, cx, ev));
    c->pinging = false;
    c->base.stats.round_trips++;
    if (c->intr)
        return sm_my_stopped(c, cx, "ping");
    if (ret) {
        int rc = sm_my_conn_error(c, cx, "ping");
        return rc == SM_INTERRUPTED || rc == SM_STALE ? SM_ERROR : rc;
    }
    return SM_OK;
}

int sm_my_reset_session(sm_cx *cx, sm_conn *conn)
{
    static const char reset_sql[] =
        "ROLLBACK; DO RELEASE_ALL_LOCKS(); SET SESSION foreign_key_checks = DEFAULT, "
        "unique_checks = DEFAULT, auto_increment_increment = DEFAULT, "
        "auto_increment_offset = DEFAULT, autocommit = DEFAULT";
    sm_my_conn *c = (sm_my_conn *)conn;
    if (c->dead)
        return sm_my_lost(cx);
    sm_my_op_begin(c);
    int rc = sm_my_run(c, cx, reset_sql, NULL, 0, "reset");
    if (rc == SM_OK) {
        sm_my_op_begin(c);
        rc = sm_my_run(c, cx, sm_my_session_sql(c), NULL, 0, "reset");
    }
    return rc;
}

/* ---- The migration lock ---------------------------------------------------------- */

/* The server-side name: "smdl:" and the name ([A-Za-z0-9_], so it needs no
 * quoting), at most 64 characters: a name longer than 58 keeps its first
 * 49 characters and gets 8 hex digits of a hash of the whole. */
static void lock_sql(char *buf, size_t size, const char *fn, const char *name, const char *tail)
{
    size_t n = strlen(name);
    if (n <= 58) {
        snprintf(buf, size, "SELECT %s('smdl:%s'%s)", fn, name, tail);
        return;
    }
    uint32_t h = sm_fnv1a32(name, n);
    snprintf(buf, size, "SELECT %s('smdl:%.49s_%08x'%s)", fn, name, (unsigned)h, tail);
}

int sm_my_lock(sm_cx *cx, sm_conn *conn, const char *name)
{
    sm_my_conn *c = (sm_my_conn *)conn;
    if (c->dead)
        return sm_my_lost(cx);
    char sql[160], got[8], timeout[32];
    int64_t left = sm_cx_remaining_ms(cx);
    snprintf(timeout, sizeof timeout, ", %lld", left < 0 ? 31536000LL : (long long)(left / 1000 + 2));
    lock_sql(sql, sizeof sql, "GET_LOCK", name, timeout);
    sm_my_op_begin(c);
    int rc = sm_my_run(c, cx, sql, got, sizeof got, "lock");
    if (rc == SM_OK && strcmp(got, "0") == 0)
        rc = sm_cx_fail(cx, SM_INTERRUPTED, "mysql: the lock '%s' is held by another connection",
                        name);
    else if (rc == SM_OK && strcmp(got, "1") != 0)
        rc = sm_cx_fail(cx, SM_ERROR, "mysql: GET_LOCK failed for the lock '%s'", name);
    return rc;
}

int sm_my_unlock(sm_cx *cx, sm_conn *conn, const char *name)
{
    sm_my_conn *c = (sm_my_conn *)conn;
    if (c->dead)
        return sm_my_lost(cx);
    char sql[160], got[8];
    lock_sql(sql, sizeof sql, "RELEASE_LOCK", name, "");
    sm_my_op_begin(c);
    int rc = sm_my_run(c, cx, sql, got, sizeof got, "unlock");
    if (rc == SM_OK && strcmp(got, "1") != 0)
        rc = sm_cx_fail(cx, SM_MISUSE, "the lock '%s' is not held by this connection", name);
    return rc;
}
