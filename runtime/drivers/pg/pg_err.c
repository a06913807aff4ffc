/*
 * pg_err.c: PostgreSQL errors to smdl codes, by SQLSTATE.
 *
 *   SQLSTATE                      code            details in cx
 *   ----------------------------  --------------  -------------------------------
 *   23505 unique_violation        SM_CONSTRAINT   unique: name, table, columns
 *   23P01 exclusion_violation     SM_CONSTRAINT   unique: name, table
 *   23503 foreign_key_violation   SM_CONSTRAINT   fk: name, table, columns
 *   23001 restrict_violation      SM_CONSTRAINT   fk: name, table
 *   23514 check_violation         SM_CONSTRAINT   check: name, table
 *   23502 not_null_violation      SM_CONSTRAINT   not_null: table, column
 *   40001 serialization_failure   SM_RETRY
 *   40P01 deadlock_detected       SM_RETRY
 *   57014 query_canceled          SM_INTERRUPTED  the call reports SM_CANCELLED or
 *                                                 SM_TIMEOUT from the cx, else
 *                                                 SM_ERROR
 *   0A000 "cached plan must not   SM_STALE        prepared again, once
 *         change result type"
 *   26000 invalid_sql_statement_  SM_STALE        (the prepared statement is gone)
 *         name
 *   08xxx connection_exception    SM_CONN
 *   57P01-57P05 (shutdown, crash, SM_CONN
 *         idle session timeout)
 *   53200 out_of_memory           SM_NOMEM
 *   other 53xxx (disk full,       SM_ERROR
 *         too many connections)
 *   anything else                 SM_ERROR
 *   (connection lost: no result   SM_CONN
 *   or CONNECTION_BAD)
 *
 * Constraint names come from PG_DIAG_CONSTRAINT_NAME, the table from
 * PG_DIAG_TABLE_NAME, the not-null column from PG_DIAG_COLUMN_NAME, and
 * the columns of unique and foreign-key violations from the detail line
 * "Key (a, b)=(...)", without the values.  The message is the server's
 * primary message followed by the SQLSTATE in brackets; PostgreSQL never
 * puts a password in one.
 */
#include "pg_driver.h"

#include <string.h>

static bool state_is(const char *st, const char *want)
{
    return st && strcmp(st, want) == 0;
}

static bool state_class(const char *st, const char *cls)
{
    return st && strncmp(st, cls, 2) == 0;
}

bool sm_pg_detail_columns(const char *detail, char *buf, size_t size)
{
    static const char key[] = "Key (";
    if (!detail || size == 0)
        return false;
    const char *p = strstr(detail, key);
    if (!p)
        return false;
    p += sizeof key - 1;
    /* The columns end at ")=(", where the values begin; an expression
     * index may put parentheses inside the list. */
    const char *end = strstr(p, ")=(");
    if (!end || end == p)
        return false;
    size_t n = (size_t)(end - p);
    if (n >= size)
        n = size - 1;
    memcpy(buf, p, n);
    buf[n] = 0;
    return true;
}

void sm_pg_clean_message(const char *msg, const char *secret, char *buf, size_t size)
{
    size_t j = 0, slen = secret ? strlen(secret) : 0;
    bool space = false;
    if (size == 0)
        return;
    for (size_t i = 0; msg && msg[i] && j + 1 < size;) {
        if (slen && strncmp(msg + i, secret, slen) == 0) {
            if (space && j + 2 < size)
                buf[j++] = ' ';
            for (const char *r = "***"; *r && j + 1 < size; r++)
                buf[j++] = *r;
            i += slen;
            space = false;
            continue;
        }
        char c = msg[i++];
        if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
            space = j > 0;
            continue;
        }
        if (space) {
            if (j + 2 >= size)
                break;
            buf[j++] = ' ';
        }
        space = false;
        buf[j++] = c;
    }
    buf[j] = 0;
}

static int constraint(sm_cx *cx, const PGresult *res, sm_constraint_kind kind, bool key_columns)
{
    const char *name = PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME);
    const char *table = PQresultErrorField(res, PG_DIAG_TABLE_NAME);
    const char *cols = NULL;
    char buf[512];
    if (kind == SM_CK_NOT_NULL) {
        cols = PQresultErrorField(res, PG_DIAG_COLUMN_NAME);
    } else if (key_columns &&
               sm_pg_detail_columns(PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL), buf,
                                    sizeof buf)) {
        cols = buf;
    }
    return sm_cx_set_constraint(cx, kind, table, name, cols);
}

/* The code of a failed result; constraint details are recorded in cx. */
static int classify(sm_cx *cx, const PGresult *res, const char *st)
{
    const char *msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
    if (state_is(st, "23505") || state_is(st, "23P01"))
        return constraint(cx, res, SM_CK_UNIQUE, true);
    if (state_is(st, "23503") || state_is(st, "23001"))
        return constraint(cx, res, SM_CK_FK, true);
    if (state_is(st, "23514"))
        return constraint(cx, res, SM_CK_CHECK, false);
    if (state_is(st, "23502"))
        return constraint(cx, res, SM_CK_NOT_NULL, false);
    if (state_is(st, "40001") || state_is(st, "40P01"))
        return SM_RETRY;
    if (state_is(st, "57014"))
        return SM_INTERRUPTED;
    if (state_is(st, "26000") ||
        (state_is(st, "0A000") && msg && strstr(msg, "cached plan must not change result type")))
        return SM_STALE;
    if (state_class(st, "08") || state_is(st, "57P01") || state_is(st, "57P02") ||
        state_is(st, "57P03") || state_is(st, "57P04") || state_is(st, "57P05"))
        return SM_CONN;
    if (state_is(st, "53200"))
        return SM_NOMEM;
    return SM_ERROR;
}

int sm_pg_error(sm_cx *cx, PGconn *pg, const PGresult *res)
{
    char line[1024];
    if (!res || PQstatus(pg) == CONNECTION_BAD) {
        sm_pg_clean_message(PQerrorMessage(pg), NULL, line, sizeof line);
        return sm_cx_fail(cx, SM_CONN, "PostgreSQL connection lost: %s",
                          line[0] ? line : "no response from the server");
    }
    const char *st = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    const char *primary = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
    if (!primary) {
        sm_pg_clean_message(PQresultErrorMessage(res), NULL, line, sizeof line);
        primary = line;
    }
    int rc = classify(cx, res, st);
    if (rc == SM_CONSTRAINT) {
        /* sm_cx_fail keeps the constraint recorded by classify. */
        return sm_cx_fail(cx, rc, "%s [%s]", primary, st);
    }
    return sm_cx_fail(cx, rc, "%s [%s]", primary[0] ? primary : "PostgreSQL error",
                      st ? st : "no SQLSTATE");
}
