/*
 * pg_session.c: the PostgreSQL driver's values and session entries.
 *
 * Values: decimals travel as exact text ("123.45", numeric); a list
 * argument binds as one array literal ({1,2} or {"a","b"}) for = ANY($n).
 *
 * Reset (a pool's release): ROLLBACK when a transaction is open, then
 * what DISCARD ALL does except deallocating prepared statements (the
 * statement cache stays valid): CLOSE ALL, SET SESSION AUTHORIZATION
 * DEFAULT, RESET ALL, UNLISTEN *, pg_advisory_unlock_all(), DISCARD TEMP,
 * DISCARD SEQUENCES; RESET ALL returns the settings to the ones the
 * connection started with, which are checked again.
 *
 * The migration lock: a session-level advisory lock, pg_advisory_lock on
 * a 64-bit key hashed from "smdl:" and the name.  It waits in the server;
 * at the cx deadline the wait loop cancels the statement (SM_TIMEOUT).
 */
#include "pg_driver.h"

#include <stdio.h>
#include <string.h>

/* ---- Values ------------------------------------------------------------------ */

void sm_pg_bind_decimal(sm_decimal v, int scale, sm_value *out, char *txt)
{
    *out = sm_textn(txt, sm_decimal_format(v, scale, txt));
}

int sm_pg_get_decimal(sm_stmt *st, int col, int precision, int scale, sm_decimal *out)
{
    size_t n = 0;
    const char *s = sm_pg_get_text(st, col, &n);
    return s ? sm_decimal_parse(s, n, precision, scale, out) : SM_INVALID;
}

static int put_array_string(sm_buf *b, const char *s)
{
    int rc = sm_buf_putc(b, '"');
    for (; *s && rc == SM_OK; s++)
        rc = (*s == '"' || *s == '\\') ? sm_buf_printf(b, "\\%c", *s) : sm_buf_putc(b, *s);
    return rc == SM_OK ? sm_buf_putc(b, '"') : rc;
}

int sm_pg_list_value(sm_buf *out, bool ints, const void *items, size_t n)
{
    return sm_list_text(out, '{', '}', put_array_string, ints, items, n);
}

/* ---- Ping and reset -------------------------------------------------------------- */

int sm_pg_in_tx(sm_conn *conn)
{
    sm_pg_conn *c = pgc(conn);
    if (c->broken)
        return SM_DB_TX_UNKNOWN;
    switch (PQtransactionStatus(c->pg)) {
    case PQTRANS_IDLE:
        return SM_DB_TX_NONE;
    case PQTRANS_INTRANS:
        return SM_DB_TX_OPEN;
    case PQTRANS_INERROR:
        return SM_DB_TX_FAILED;
    default: /* a command in progress, or the connection is bad */
        return SM_DB_TX_UNKNOWN;
    }
}

/* An empty query: the cheapest full round trip the protocol has.  One
 * that does not answer within the deadline leaves the connection broken
 * (sm_pg_next_result). */
int sm_pg_ping(sm_cx *cx, sm_conn *conn)
{
    sm_pg_conn *c = pgc(conn);
    int rc = sm_pg_usable(cx, c);
    if (rc != SM_OK)
        return rc;
    if (!PQsendQuery(c->pg, ""))
        return sm_pg_lost(cx, c);
    c->base.stats.round_trips++;
    c->pinging = true;
    rc = sm_pg_complete(cx, c, SM_OK);
    c->pinging = false;
    return rc;
}

int sm_pg_reset_session(sm_cx *cx, sm_conn *conn)
{
    sm_pg_conn *c = pgc(conn);
    int rc = sm_pg_usable(cx, c);
    if (rc == SM_OK && PQtransactionStatus(c->pg) != PQTRANS_IDLE)
        rc = sm_pg_script(cx, conn, "ROLLBACK");
    if (rc == SM_OK)
        rc = sm_pg_script(cx, conn,
                          "CLOSE ALL; SET SESSION AUTHORIZATION DEFAULT; RESET ALL; UNLISTEN *; "
                          "SELECT pg_advisory_unlock_all(); DISCARD TEMP; DISCARD SEQUENCES");
    if (rc == SM_OK)
        rc = sm_pg_session_check(cx, c);
    return rc;
}

/* ---- The migration lock ---------------------------------------------------------- */

/* The advisory lock key of a name: FNV-1a of "smdl:" and the name. */
static void lock_key(const char *name, char *buf, size_t size)
{
    uint64_t h = sm_fnv1a64(sm_fnv1a64(SM_FNV64_INIT, "smdl:"), name);
    snprintf(buf, size, "%lld", (long long)(int64_t)h);
}

int sm_pg_lock(sm_cx *cx, sm_conn *conn, const char *name)
{
    char key[24];
    lock_key(name, key, sizeof key);
    const char *params[1] = {key};
    return sm_pg_query(cx, pgc(conn), "SELECT pg_advisory_lock($1::bigint)", params, 1, NULL, 0);
}

int sm_pg_unlock(sm_cx *cx, sm_conn *conn, const char *name)
{
    char key[24], held[8];
    lock_key(name, key, sizeof key);
    const char *params[1] = {key};
    int rc = sm_pg_query(cx, pgc(conn), "SELECT pg_advisory_unlock($1::bigint)", params, 1, held,
                         sizeof held);
    if (rc == SM_OK && strcmp(held, "t") != 0)
        rc = sm_cx_fail(cx, SM_MISUSE, "the lock '%s' is not held by this connection", name);
    return rc;
}
