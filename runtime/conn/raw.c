/*
 * raw.c: raw SQL (DESIGN 4.3): sm_exec and sm_exec_script, and the checks
 * that keep the library's view of the transaction true (transaction
 * control goes through sm_begin & co.; DDL inside a transaction is
 * refused where it would commit it).
 */
#include "internal.h"

#include <string.h>

/* ---- Looking at raw SQL ----------------------------------------------------- */

/* Skips blanks and comments. */
static const char *skip_blank(const char *s, sm_dialect d)
{
    for (;;) {
        while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\f' || *s == '\v')
            s++;
        if ((s[0] == '-' && s[1] == '-') || (s[0] == '#' && d == SM_MYSQL)) {
            while (*s && *s != '\n')
                s++;
        } else if (s[0] == '/' && s[1] == '*') {
            const char *e = strstr(s + 2, "*/");
            s = e ? e + 2 : s + strlen(s);
        } else {
            return s;
        }
    }
}

/* Copies the word at s, upper-cased, into w (at most n-1 letters). */
static const char *word(const char *s, char *w, size_t n)
{
    size_t i = 0;
    while ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_') {
        if (i + 1 < n)
            w[i++] = (char)(*s >= 'a' ? *s - 'a' + 'A' : *s);
        s++;
    }
    w[i] = 0;
    return s;
}

enum { STMT_OTHER, STMT_DDL, STMT_TX };

static int stmt_kind(const char *s, sm_dialect d)
{
    char w[16], w2[16];
    s = word(skip_blank(s, d), w, sizeof w);
    word(skip_blank(s, d), w2, sizeof w2);
    if (!strcmp(w, "CREATE") || !strcmp(w, "DROP"))
        return strcmp(w2, "TEMPORARY") && strcmp(w2, "TEMP") ? STMT_DDL : STMT_OTHER;
    if (!strcmp(w, "ALTER") || !strcmp(w, "RENAME") || !strcmp(w, "TRUNCATE"))
        return STMT_DDL;
    if (!strcmp(w, "BEGIN") || !strcmp(w, "COMMIT") || !strcmp(w, "ROLLBACK") ||
        !strcmp(w, "SAVEPOINT") || !strcmp(w, "RELEASE") || !strcmp(w, "END") ||
        !strcmp(w, "ABORT") || (!strcmp(w, "START") && !strcmp(w2, "TRANSACTION")))
        return STMT_TX;
    return STMT_OTHER;
}

/* The end of the statement at s: its ';' or the final NUL.  Quotes,
 * quoted identifiers, comments and (PostgreSQL) dollar quotes are
 * skipped; MySQL strings take backslash escapes. */
static const char *stmt_end(const char *s, sm_dialect d)
{
    while (*s && *s != ';') {
        const char *b = skip_blank(s, d);
        if (b != s) {
            s = b;
            continue;
        }
        char q = *s;
        if (q == '\'' || q == '"' || q == '`') {
            for (s++; *s; s++) {
                if (*s == '\\' && d == SM_MYSQL && s[1]) {
                    s++;
                } else if (*s == q) {
                    if (s[1] != q)
                        break;
                    s++;
                }
            }
            if (*s)
                s++;
            continue;
        }
        if (q == '$' && d == SM_POSTGRES) {
            const char *t = s + 1;
            while ((*t >= 'a' && *t <= 'z') || (*t >= 'A' && *t <= 'Z') || *t == '_' ||
                   (t > s + 1 && *t >= '0' && *t <= '9'))
                t++;
            if (*t == '$') {
                size_t n = (size_t)(t - s + 1);
                const char *e = t + 1;
                while (*e && strncmp(e, s, n) != 0)
                    e++;
                s = *e ? e + n : e;
                continue;
            }
        }
        s++;
    }
    return s;
}

/* The checks on raw SQL that keep conn.c's view of the transaction true:
 * transaction control goes through sm_begin & co., and DDL inside a
 * transaction is refused where it would commit it (MySQL). */
static int check_raw(sm_cx *cx, sm_conn *conn, const char *sql, const sm_value *params, size_t n,
                     bool script)
{
    if (!sql)
        return sm_cx_fail(cx, SM_MISUSE, "no SQL given");
    if (n && !params)
        return sm_cx_fail(cx, SM_MISUSE, "%zu parameters announced, none given", n);
    if (!script && stmt_kind(sql, conn->dialect) == STMT_TX)
        return sm_cx_fail(cx, SM_MISUSE,
                          "transaction control in raw SQL: use sm_begin, sm_commit, sm_rollback "
                          "and savepoints");
    if (conn->drv->tx_ddl || conn->tx == SM_TX_NONE)
        return SM_OK;
    for (const char *s = sql; *s;) {
        if (stmt_kind(s, conn->dialect) == STMT_DDL)
            return sm_cx_fail(cx, SM_MISUSE,
                              "DDL inside a transaction is not supported on %s (it would "
                              "commit the transaction)",
                              conn->drv->name);
        s = stmt_end(s, conn->dialect);
        if (*s)
            s++;
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
