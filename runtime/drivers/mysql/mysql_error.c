/*
 * mysql_error.c: MariaDB/MySQL errors as smdl codes (DESIGN 4.2).  This
 * table is the one docs/c-api.md shows.
 *
 *   errno             what                               code            sm_cx_constraint
 *   ----------------  ---------------------------------  --------------  ----------------------
 *   1062, 1586        duplicate entry for a key          SM_CONSTRAINT   unique: name (the key)
 *   1022, 1169        duplicate key (older forms)        SM_CONSTRAINT   unique: table
 *   1451, 1217        parent row is referenced           SM_CONSTRAINT   fk: table, name, columns
 *   1452, 1216        no referenced (parent) row         SM_CONSTRAINT   fk: table, name, columns
 *   4025              CHECK failed (MariaDB)             SM_CONSTRAINT   check: table, name
 *   3819              CHECK violated (MySQL)             SM_CONSTRAINT   check: name
 *   1048, 1364, 1263  NULL into a NOT NULL column        SM_CONSTRAINT   not_null: columns
 *   1213              deadlock; InnoDB rolled back       SM_RETRY
 *   1205              lock wait timeout                  SM_RETRY (see below)
 *   1317              statement killed                   internal: the call reports SM_TIMEOUT or
 *                                                        SM_CANCELLED from the cx, else SM_ERROR
 *   1615, 2057        prepared statement is stale        internal: prepared again once
 *   2006, 2013, 2055  connection lost                    SM_CONN (the connection is closed)
 *   1927, 1053, 4031  killed, shutdown, idle timeout     SM_CONN
 *   2008              client out of memory               SM_NOMEM
 *   anything else     (1064 syntax, 1146 no table, ...)  SM_ERROR with the server's message
 *
 * 1205: InnoDB undoes only the waiting statement (unless the server runs
 * with innodb_rollback_on_timeout), yet SM_RETRY promises a rolled-back
 * transaction: the transaction layer rolls back after any SM_RETRY
 * (conn/tx.c, under its cleanup cx), so that both lock errors leave the
 * same state.  Mapping an error never does I/O.
 *
 * The duplicated value of a 1062 is never copied anywhere: the message
 * names the key only.  Names come from the server's message; the parsers
 * return NULL for a part they cannot find (messages are cut at 192 bytes).
 */
#include "mysql_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The last occurrence of needle in hay, or NULL. */
static const char *find_last(const char *hay, const char *needle)
{
    const char *last = NULL;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        last = p;
    return last;
}

/* A copy of the text between the first `prefix` and the last `suffix`
 * after it (suffix "" means the end of msg), or NULL. */
static char *between(const char *msg, const char *prefix, const char *suffix)
{
    const char *a = strstr(msg, prefix);
    if (!a)
        return NULL;
    a += strlen(prefix);
    const char *b = *suffix ? find_last(a, suffix) : a + strlen(a);
    if (!b || b < a)
        return NULL;
    char *s = malloc((size_t)(b - a) + 1);
    if (s) {
        memcpy(s, a, (size_t)(b - a));
        s[b - a] = '\0';
    }
    return s;
}

/* Reads a backquoted identifier at *pp (doubled backquotes stand for one)
 * and appends it to out; advances *pp past it.  false if there is none or
 * it is cut off. */
static bool read_ident(const char **pp, sm_buf *out)
{
    const char *p = *pp;
    if (*p != '`')
        return false;
    for (p++; *p; p++) {
        if (*p == '`') {
            if (p[1] != '`') {
                *pp = p + 1;
                return true;
            }
            p++;
        }
        if (sm_buf_putc(out, *p) != SM_OK)
            return false;
    }
    return false;
}

static char *take(sm_buf *b)
{
    char *s = b->data;
    if (!s)
        s = calloc(1, 1);
    b->data = NULL;
    b->len = b->cap = 0;
    return s;
}

/* The name after "CONSTRAINT " in msg into *name; *pp is left after it.
 * False (and b freed) when there is none. */
static bool constraint_name(const char *msg, const char **pp, sm_buf *b, char **name)
{
    const char *p = strstr(msg, "CONSTRAINT `");
    if (!p)
        return false;
    p += strlen("CONSTRAINT ");
    if (!read_ident(&p, b)) {
        sm_buf_free(b);
        return false;
    }
    *name = take(b);
    *pp = p;
    return true;
}

/* Parses the "(`db`.`table`, CONSTRAINT `name` FOREIGN KEY (`a`, `b`)
 * REFERENCES ..." part of 1451/1452. */
static void parse_fk(const char *msg, char **table, char **name, char **columns)
{
    sm_buf b = SM_BUF_INIT;
    const char *p = strstr(msg, "(`");
    if (p) {
        p++;
        if (read_ident(&p, &b) && *p == '.') {
            sm_buf_reset(&b);
            p++;
            if (read_ident(&p, &b))
                *table = take(&b);
        }
        sm_buf_free(&b);
    }
    if (!constraint_name(msg, &p, &b, name))
        return;
    if (strncmp(p, " FOREIGN KEY (", 14) != 0)
        return;
    p += 14;
    for (;;) {
        if (!read_ident(&p, &b)) {
            sm_buf_free(&b);
            return;
        }
        if (*p == ')')
            break;
        if (strncmp(p, ", ", 2) != 0 || sm_buf_puts(&b, ", ") != SM_OK) {
            sm_buf_free(&b);
            return;
        }
        p += 2;
    }
    *columns = take(&b);
}

/* Parses "CONSTRAINT `name` failed for `db`.`table`" (4025). */
static void parse_check(const char *msg, char **table, char **name)
{
    sm_buf b = SM_BUF_INIT;
    const char *p;
    if (!constraint_name(msg, &p, &b, name))
        return;
    if (strncmp(p, " failed for ", 12) != 0)
        return;
    p += 12;
    if (read_ident(&p, &b) && *p == '.') {
        sm_buf_reset(&b);
        p++;
        if (read_ident(&p, &b))
            *table = take(&b);
    }
    sm_buf_free(&b);
}

/* Copies msg into out with every occurrence of the password replaced by
 * "***", in case the connector or an authentication plugin ever echoes
 * it.  Passwords under 8 bytes are left alone: they match ordinary words
 * ("smdl" in "smdl_test"), and starring those would mangle the message
 * and show the password by elimination. */
static void redact(const sm_my_conn *c, const char *msg, sm_buf *out)
{
    const char *pw = c ? c->p.password : NULL;
    size_t n = pw ? strlen(pw) : 0;
    if (n < 8) {
        sm_buf_puts(out, msg);
        return;
    }
    for (const char *p = msg;;) {
        const char *hit = strstr(p, pw);
        if (!hit) {
            sm_buf_puts(out, p);
            return;
        }
        sm_buf_append(out, p, (size_t)(hit - p));
        sm_buf_puts(out, "***");
        p = hit + n;
    }
}

int sm_my_fail_text(sm_my_conn *c, sm_cx *cx, int code, const char *prefix, const char *msg)
{
    sm_buf b = SM_BUF_INIT;
    redact(c, msg ? msg : "", &b);
    sm_cx_fail(cx, code, "%s: %s", prefix, b.data ? b.data : "");
    sm_buf_free(&b);
    return code;
}

static int fail_server(sm_my_conn *c, sm_cx *cx, int code, unsigned err, const char *sqlstate,
                       const char *msg, const char *where)
{
    sm_buf b = SM_BUF_INIT;
    redact(c, msg ? msg : "", &b);
    sm_cx_fail(cx, code, "mysql %s: %s (error %u, SQLSTATE %s)", where, b.data ? b.data : "", err,
               sqlstate && *sqlstate ? sqlstate : "HY000");
    sm_buf_free(&b);
    return code;
}

static int constraint(sm_my_conn *c, sm_cx *cx, unsigned err, const char *sqlstate,
                      const char *msg, const char *where)
{
    char *table = NULL, *name = NULL, *columns = NULL;
    const char *key;
    sm_constraint_kind kind;
    switch (err) {
    case 1062:
    case 1586:
        kind = SM_CK_UNIQUE;
        /* "Duplicate entry '<value>' for key '<name>'": the value may hold
         * anything, so the key is what follows the last "for key '".
         * MySQL 8 writes "<table>.<key>". */
        key = find_last(msg, "for key '");
        name = key ? between(key, "for key '", "'") : NULL;
        if (name && !c->mariadb && strchr(name, '.')) {
            char *dot = strchr(name, '.');
            *dot = '\0';
            table = name;
            name = strdup(dot + 1);
        }
        sm_cx_fail(cx, SM_CONSTRAINT,
                   "mysql %s: unique constraint '%s' violated (duplicate key, error %u)", where,
                   name ? name : "?", err);
        break;
    case 1022:
    case 1169:
        kind = SM_CK_UNIQUE;
        table = between(msg, "table '", "'");
        fail_server(c, cx, SM_CONSTRAINT, err, sqlstate, msg, where);
        break;
    case 1451:
    case 1452:
    case 1216:
    case 1217:
        kind = SM_CK_FK;
        parse_fk(msg, &table, &name, &columns);
        fail_server(c, cx, SM_CONSTRAINT, err, sqlstate, msg, where);
        break;
    case 4025:
        kind = SM_CK_CHECK;
        parse_check(msg, &table, &name);
        fail_server(c, cx, SM_CONSTRAINT, err, sqlstate, msg, where);
        break;
    case 3819:
        kind = SM_CK_CHECK;
        name = between(msg, "constraint '", "' is violated");
        fail_server(c, cx, SM_CONSTRAINT, err, sqlstate, msg, where);
        break;
    case 1048:
        kind = SM_CK_NOT_NULL;
        columns = between(msg, "Column '", "' cannot be null");
        fail_server(c, cx, SM_CONSTRAINT, err, sqlstate, msg, where);
        break;
    case 1364:
        kind = SM_CK_NOT_NULL;
        columns = between(msg, "Field '", "' doesn't have");
        fail_server(c, cx, SM_CONSTRAINT, err, sqlstate, msg, where);
        break;
    default: /* 1263 */
        kind = SM_CK_NOT_NULL;
        columns = between(msg, "NOT NULL column '", "' at row");
        fail_server(c, cx, SM_CONSTRAINT, err, sqlstate, msg, where);
        break;
    }
    sm_cx_set_constraint(cx, kind, table, name, columns);
    free(table);
    free(name);
    free(columns);
    return SM_CONSTRAINT;
}

int sm_my_error(sm_my_conn *c, sm_cx *cx, unsigned err, const char *sqlstate, const char *msg,
                const char *where)
{
    if (!msg)
        msg = "";
    switch (err) {
    case 1062: case 1586: case 1022: case 1169:
    case 1451: case 1452: case 1216: case 1217:
    case 4025: case 3819:
    case 1048: case 1364: case 1263:
        return constraint(c, cx, err, sqlstate, msg, where);
    case 1213: case 1205:
        return fail_server(c, cx, SM_RETRY, err, sqlstate, msg, where);
    case 1317:
        fail_server(c, cx, SM_ERROR, err, sqlstate, msg, where);
        return SM_INTERRUPTED;
    case 1615:
    case 2057:
        fail_server(c, cx, SM_ERROR, err, sqlstate, msg, where);
        return SM_STALE;
    case 2006: case 2013: case 2055:
    case 1927: case 1053: case 4031:
        c->dead = true;
        return fail_server(c, cx, SM_CONN, err, sqlstate, msg, where);
    case 2008:
        return fail_server(c, cx, SM_NOMEM, err, sqlstate, msg, where);
    default:
        return fail_server(c, cx, SM_ERROR, err, sqlstate, msg, where);
    }
}

int sm_my_conn_error(sm_my_conn *c, sm_cx *cx, const char *where)
{
    return sm_my_error(c, cx, mysql_errno(c->db), mysql_sqlstate(c->db), mysql_error(c->db),
                       where);
}

int sm_my_stmt_error(sm_my_conn *c, sm_cx *cx, MYSQL_STMT *h, const char *where)
{
    return sm_my_error(c, cx, mysql_stmt_errno(h), mysql_stmt_sqlstate(h), mysql_stmt_error(h),
                       where);
}
