/*
 * raw.c: raw SQL (DESIGN 4.3): sm_exec and sm_exec_script, and the checks
 * that keep the library's view of the transaction true (transaction
 * control goes through sm_begin & co.; DDL inside a transaction is
 * refused where it would commit it).
 */
#include "internal.h"

#include <string.h>

static bool word_is(const char *s, size_t i, size_t e, const char *kw)
{
    size_t n = strlen(kw);
    if (e - i != n)
        return false;
    for (size_t k = 0; k < n; k++) {
        char c = s[i + k];
        if ((c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c) != kw[k])
            return false;
    }
    return true;
}

/* Does the CREATE statement whose words after CREATE start at s[i] make a
 * trigger or routine (CREATE [OR REPLACE] [DEFINER = x] [TEMPORARY ...]
 * TRIGGER | PROCEDURE | FUNCTION | EVENT)?  The kinds of object without
 * a body end the search: CREATE TABLE trigger (begin INT) has none. */
static bool creates_routine(const sm_sql_rules *r, const char *s, size_t i, size_t end)
{
    static const char *const routine[] = {"TRIGGER", "PROCEDURE", "FUNCTION", "EVENT"};
    static const char *const other[] = {"TABLE",  "INDEX",  "VIEW",   "SEQUENCE", "SCHEMA",
                                        "DATABASE", "TYPE", "DOMAIN", "UNIQUE",   "EXTENSION",
                                        "MATERIALIZED", "USER", "ROLE"};
    size_t e;
    for (int words = 0; i < end && words < 8; i = e) {
        if (sm_sql_token(r, s, i, &e) != SM_TOK_WORD)
            continue;
        for (size_t k = 0; k < sizeof routine / sizeof routine[0]; k++)
            if (word_is(s, i, e, routine[k]))
                return true;
        for (size_t k = 0; k < sizeof other / sizeof other[0]; k++)
            if (word_is(s, i, e, other[k]))
                return false;
        words++;
    }
    return false;
}

/* The compound bodies (BEGIN ... END) of triggers and routines still open
 * after the statement s[i, end), given depth open before it.  Their inner
 * semicolons do not end a statement of the script: what follows one, up
 * to the END that closes the body, belongs to the CREATE around it. */
static size_t body_depth(const sm_sql_rules *r, const char *s, size_t i, size_t end,
                         size_t depth)
{
    size_t e, words = 0;
    bool routine = false;
    for (; i < end; i = e) {
        if (sm_sql_token(r, s, i, &e) != SM_TOK_WORD)
            continue;
        if (words == 0) {
            routine = word_is(s, i, e, "CREATE") && creates_routine(r, s, e, end);
            if (depth && word_is(s, i, e, "END")) {
                /* END IF, END LOOP ... close a control statement, not a body. */
                size_t n = sm_sql_skip_blank(r, s, e), ne;
                bool ctl = n < end && sm_sql_token(r, s, n, &ne) == SM_TOK_WORD &&
                           (word_is(s, n, ne, "IF") || word_is(s, n, ne, "LOOP") ||
                            word_is(s, n, ne, "WHILE") || word_is(s, n, ne, "REPEAT") ||
                            word_is(s, n, ne, "CASE") || word_is(s, n, ne, "FOR"));
                if (!ctl)
                    depth--;
            } else if (depth && word_is(s, i, e, "BEGIN")) {
                depth++;
            }
        } else if ((routine || depth) && word_is(s, i, e, "BEGIN")) {
            depth++;
        }
        words++;
    }
    return depth;
}

/* What check_raw looks at: one statement (sm_exec, sm_query: the driver
 * refuses a second), every statement of a public script, or a script of
 * the library's own (module DDL), which may control the transaction. */
enum { RAW_ONE, RAW_SCRIPT, RAW_LIBRARY };

/* The checks on raw SQL that keep the library's view of the transaction
 * true: transaction control goes through sm_begin & co., and DDL inside a
 * transaction is refused where it would commit it (MySQL). */
static int check_raw(sm_cx *cx, sm_conn *conn, const char *sql, const sm_value *params, size_t n,
                     int what)
{
    const sm_sql_rules *r = conn->drv->sql;
    conn->session_dirty = true; /* a raw statement may SET anything */
    if (!sql)
        return sm_cx_fail(cx, SM_MISUSE, "no SQL given: sql is NULL");
    if (n && !params)
        return sm_cx_fail(cx, SM_MISUSE, "params is NULL with n = %zu", n);
    bool tx_check = what != RAW_LIBRARY;
    bool ddl_check = !conn->drv->tx_ddl && conn->tx != SM_TX_NONE;
    /* Bodies are followed (bodies = 1) unless they do not close by the
     * end of the script: then every statement is checked (bodies = 0),
     * so that a miscounted body never lets a statement through. */
    for (int bodies = 1; bodies >= 0; bodies--) {
        size_t depth = 0;
        for (size_t i = 0; (tx_check || ddl_check) && sql[i];) {
            size_t end = sm_sql_stmt_end(r, sql, i);
            int kind = depth ? SM_SQL_OTHER : sm_sql_kind(r, sql, i);
            if (tx_check && kind == SM_SQL_TX)
                return sm_cx_fail(cx, SM_MISUSE,
                                  "transaction control in raw SQL: use sm_begin, sm_commit, "
                                  "sm_rollback and savepoints");
            if (ddl_check && kind == SM_SQL_DDL)
                return sm_cx_fail(cx, SM_MISUSE,
                                  "DDL inside a transaction is not supported on %s (it, and "
                                  "the other statements that commit implicitly, would "
                                  "commit the transaction)",
                                  conn->drv->name);
            if (what == RAW_ONE && !ddl_check)
                return SM_OK;
            if (bodies)
                depth = body_depth(r, sql, i, end, depth);
            i = sql[end] ? end + 1 : end;
        }
        if (depth == 0)
            break;
    }
    return SM_OK;
}

int sm_conn_check_ddl(sm_cx *cx, sm_conn *conn, const char *sql)
{
    return check_raw(cx, conn, sql, NULL, 0, RAW_LIBRARY);
}

int sm_raw_check(sm_cx *cx, sm_conn *conn, const char *sql, const sm_value *params, size_t n)
{
    return check_raw(cx, conn, sql, params, n, RAW_ONE);
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
    rc = check_raw(cx, conn, sql, params, n, RAW_ONE);
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
    rc = check_raw(cx, conn, sql, NULL, 0, RAW_SCRIPT);
    if (rc == SM_OK)
        rc = sm_conn_simple(cx, conn, sql);
    return sm_call_end(cx, conn, rc);
}
