/*
 * mysql.c: the MariaDB/MySQL driver (DESIGN 4.1-4.5, 5.2, 5.3) over
 * MariaDB Connector/C 3.3: connections, SQL text and statements.
 *
 * URL: mysql://user:password@host:port/db?key=value&... (or mariadb://).
 * Keys this driver accepts (sm_my_url: url.c refuses any other):
 *
 *   socket=PATH          connect through this unix socket (host defaults
 *                        to localhost)
 *   ssl-mode=MODE        DISABLED: no TLS, other ssl-* keys ignored;
 *                        PREFERRED: TLS when the server offers it;
 *                        REQUIRED: TLS or fail (checked once connected);
 *                        VERIFY_CA, VERIFY_IDENTITY: TLS with the server
 *                        certificate verified against ssl-ca/ssl-capath;
 *                        Connector/C 3.3 checks the host name as well in
 *                        both.  Case-insensitive.  Without ssl-mode, TLS
 *                        is used when ssl-ca, ssl-cert, ... ask for it (the
 *                        connector's rule), else not.
 *   ssl-ca ssl-capath ssl-cert ssl-key ssl-cipher ssl-crl ssl-crlpath
 *   tls-version          passed to the connector as they are
 *   connect-timeout=S    whole seconds (1-86400) the connect may take, in
 *                        addition to the cx deadline (the earlier wins)
 *
 * Every connection uses CLIENT_FOUND_ROWS (affected counts are rows
 * matched; an upsert whose `do nothing` skipped its row marks itself with
 * LAST_INSERT_ID(~0) and counts 0) and CLIENT_MULTI_STATEMENTS (for exec_script; prepared
 * statements stay single), and sets, in one round trip:
 *   SET NAMES utf8mb4 COLLATE utf8mb4_nopad_bin, sql_mode = 'STRICT_ALL_TABLES,
 *   NO_ZERO_DATE,NO_ZERO_IN_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION',
 *   time_zone = '+00:00'
 * and on MariaDB the optimizer_switch below.  MySQL 8 has no
 * utf8mb4_nopad_bin: there (and when the server answers 1273, unknown
 * collation) the driver uses utf8mb4_0900_bin, MySQL's NO PAD binary
 * collation.  LOAD DATA LOCAL is disabled.  Host name resolution happens
 * inside the connector and is not bounded by the deadline (use an
 * address for strict bounds).
 *
 * Statements are server-side prepared statements with bound parameter and
 * result buffers (mysql_result.c).  The rows of a SELECT (or WITH) are
 * read off the socket one at a time as the caller asks for them, so the
 * client converts rows while the server still sends them and no copy of
 * the whole result is made; should anything else need the connection
 * before the result is read to its end (another statement, a nested
 * load, a transaction command), the rest is first stored in memory with
 * mysql_stmt_store_result (sm_my_park) and read from there.  Other
 * results (a CALL's, which come with more) are stored whole right after
 * execute.  A statement marked `stream` (sm_stmt.stream) reads its rows
 * off the socket in constant memory and is never stored; one marked `cursor`
 * reads them through a read-only server-side cursor, 256 rows per
 * fetch, leaving the connection free for other statements in between.  Raw SQL "??" outside
 * literals and comments becomes "?".  Waits, deadlines and cancellation:
 * mysql_io.c.  Errors: mysql_error.c.  Values, multi-row insert keys and
 * the session entries: mysql_session.c.
 *
 * Process-global state: mysql_library_init runs once per process through
 * pthread_once (the connector needs it before threads use it); nothing
 * calls mysql_library_end.
 */
#include "mysql_priv.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static pthread_once_t lib_once = PTHREAD_ONCE_INIT;
static int lib_rc; /* written once, inside lib_once */

static void lib_init(void)
{
    lib_rc = mysql_library_init(0, NULL, NULL);
}

/* MariaDB: its partial-match strategies for `x NOT IN (subquery)` keep
 * the first execution's answer for a NULL x when the statement is
 * prepared and run again (10.11), so they are switched off. */
static const char session_sql[] =
    "SET NAMES utf8mb4 COLLATE utf8mb4_nopad_bin, sql_mode = 'STRICT_ALL_TABLES,"
    "NO_ZERO_DATE,NO_ZERO_IN_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION',"
    " time_zone = '+00:00',"
    " optimizer_switch = 'partial_match_rowid_merge=off,partial_match_table_scan=off'";
static const char session_sql_mysql8[] =
    "SET NAMES utf8mb4 COLLATE utf8mb4_0900_bin, sql_mode = 'STRICT_ALL_TABLES,"
    "NO_ZERO_DATE,NO_ZERO_IN_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION',"
    " time_zone = '+00:00'";

#define UNKNOWN_COLLATION 1273 /* ER_UNKNOWN_COLLATION */

/* ---- URL parameters --------------------------------------------------------- */

static const char *const schemes[] = {"mysql", "mariadb", NULL};

static const char *const keys[] = {
    "socket", "ssl-mode", "ssl-ca", "ssl-capath", "ssl-cert", "ssl-key",
    "ssl-cipher", "ssl-crl", "ssl-crlpath", "tls-version", "connect-timeout", NULL,
};

const sm_url_spec sm_my_url = {
    .schemes = schemes,
    .forms = SM_URL_NET,
    .keys = keys,
};

static const struct {
    const char *key;
    size_t off;
} path_keys[] = {
    {"socket", offsetof(sm_my_params, socket)},
    {"ssl-ca", offsetof(sm_my_params, ssl_ca)},
    {"ssl-capath", offsetof(sm_my_params, ssl_capath)},
    {"ssl-cert", offsetof(sm_my_params, ssl_cert)},
    {"ssl-key", offsetof(sm_my_params, ssl_key)},
    {"ssl-cipher", offsetof(sm_my_params, ssl_cipher)},
    {"ssl-crl", offsetof(sm_my_params, ssl_crl)},
    {"ssl-crlpath", offsetof(sm_my_params, ssl_crlpath)},
    {"tls-version", offsetof(sm_my_params, tls_version)},
};

static const char *const ssl_modes[] = {
    NULL, "DISABLED", "PREFERRED", "REQUIRED", "VERIFY_CA", "VERIFY_IDENTITY",
};

static void params_free(sm_my_params *p)
{
    if (p->password)
        sm_wipe(p->password, strlen(p->password));
    char **all[] = {&p->host, &p->user, &p->password, &p->db, &p->socket, &p->ssl_ca,
                    &p->ssl_capath, &p->ssl_cert, &p->ssl_key, &p->ssl_cipher, &p->ssl_crl,
                    &p->ssl_crlpath, &p->tls_version};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        free(*all[i]);
        *all[i] = NULL;
    }
}

/* A copy of s, or NULL for NULL; *nomem is set when the copy failed. */
static char *dup_or_null(const char *s, bool *nomem)
{
    if (!s)
        return NULL;
    char *d = strdup(s);
    if (!d)
        *nomem = true;
    return d;
}

static int params_from_url(sm_cx *cx, const sm_url *u, sm_my_params *p)
{
    bool nomem = false;
    p->host = u->host && *u->host ? dup_or_null(u->host, &nomem) : NULL;
    p->user = dup_or_null(u->user, &nomem);
    p->password = dup_or_null(u->password, &nomem);
    p->db = u->db && *u->db ? dup_or_null(u->db, &nomem) : NULL;
    p->port = u->port > 0 ? (unsigned)u->port : 0;
    for (size_t i = 0; i < u->nparams; i++) {
        const char *k = u->params[i].key, *v = u->params[i].value;
        size_t j;
        for (j = 0; j < sizeof path_keys / sizeof path_keys[0]; j++)
            if (strcmp(k, path_keys[j].key) == 0)
                break;
        if (j < sizeof path_keys / sizeof path_keys[0]) {
            char **slot = (char **)(void *)((char *)p + path_keys[j].off);
            free(*slot);
            *slot = dup_or_null(v, &nomem);
        } else if (strcmp(k, "ssl-mode") == 0) {
            p->ssl_mode = SM_MY_SSL_DEFAULT;
            for (int m = SM_MY_SSL_DISABLED; m <= SM_MY_SSL_VERIFY_IDENTITY; m++)
                if (strcasecmp(v, ssl_modes[m]) == 0)
                    p->ssl_mode = m;
            if (p->ssl_mode == SM_MY_SSL_DEFAULT)
                return sm_cx_fail(cx, SM_MISUSE,
                                  "mysql: ssl-mode must be DISABLED, PREFERRED, REQUIRED, "
                                  "VERIFY_CA or VERIFY_IDENTITY");
        } else if (strcmp(k, "connect-timeout") == 0) {
            char *end;
            long s = strtol(v, &end, 10);
            if (end == v || *end || s < 1 || s > 86400)
                return sm_cx_fail(cx, SM_MISUSE,
                                  "mysql: connect-timeout must be whole seconds, 1 to 86400");
            p->connect_timeout_ms = (int)s * 1000;
        }
    }
    if (nomem)
        return sm_cx_fail(cx, SM_NOMEM, "mysql: out of memory opening a connection");
    return SM_OK;
}

/* ---- Connections -------------------------------------------------------------- */

static void conn_free(sm_my_conn *c)
{
    sm_my_side_close(c);
    if (c->db)
        mysql_close(c->db);
    sm_wake_close(&c->wake);
    params_free(&c->p);
    free(c);
}

/* Copies the first column of the first row of res into val. */
static void first_value(MYSQL_RES *res, char *val, size_t size)
{
    MYSQL_ROW row = mysql_fetch_row(res);
    unsigned long *len = row ? mysql_fetch_lengths(res) : NULL;
    if (row && len && row[0] && mysql_num_fields(res) > 0) {
        size_t n = len[0] < size - 1 ? len[0] : size - 1;
        memcpy(val, row[0], n);
        val[n] = 0;
    }
}

unsigned sm_my_query(sm_my_conn *c, sm_cx *cx, const char *sql, size_t len, char *val,
                     size_t size)
{
    int ret = 1;
    if (val && size)
        val[0] = 0;
    if (!sm_my_park(c, cx, NULL))
        return mysql_errno(c->db) ? mysql_errno(c->db) : 2013;
    int ev = mysql_real_query_start(&ret, c->db, sql, (unsigned long)len);
    while (ev)
        ev = mysql_real_query_cont(&ret, c->db, sm_my_wait(c, cx, ev));
    c->base.stats.round_trips++;
    for (bool first = true;; first = false) {
        if (ret != 0)
            return mysql_errno(c->db) ? mysql_errno(c->db) : 2013;
        if (mysql_field_count(c->db) > 0) {
            MYSQL_RES *res = NULL;
            ev = mysql_store_result_start(&res, c->db);
            while (ev)
                ev = mysql_store_result_cont(&res, c->db, sm_my_wait(c, cx, ev));
            if (!res)
                return mysql_errno(c->db) ? mysql_errno(c->db) : 2008;
            if (first && val && size)
                first_value(res, val, size);
            mysql_free_result(res);
        }
        if (!mysql_more_results(c->db))
            return 0;
        ev = mysql_next_result_start(&ret, c->db);
        while (ev)
            ev = mysql_next_result_cont(&ret, c->db, sm_my_wait(c, cx, ev));
        if (ret == -1)
            return 0;
    }
}

/* The message and code of an operation stopped by the cx. */
int sm_my_stopped(sm_my_conn *c, sm_cx *cx, const char *where)
{
    return sm_cx_fail(cx, c->intr, "mysql %s: %s", where,
                      c->intr == SM_CANCELLED ? "cancelled" : "deadline passed");
}

int sm_my_lost(sm_cx *cx)
{
    return sm_cx_fail(cx, SM_CONN, "mysql: the connection was closed after an earlier failure");
}

const char *sm_my_session_sql(const sm_my_conn *c)
{
    return c->collation_0900 ? session_sql_mysql8 : session_sql;
}

int sm_my_run(sm_my_conn *c, sm_cx *cx, const char *sql, char *val, size_t size,
              const char *where)
{
    unsigned err = sm_my_query(c, cx, sql, strlen(sql), val, size);
    if (c->intr)
        return sm_my_stopped(c, cx, where);
    if (err) {
        int rc = sm_my_conn_error(c, cx, where);
        return rc == SM_INTERRUPTED || rc == SM_STALE ? SM_ERROR : rc;
    }
    return SM_OK;
}

static int session_setup(sm_my_conn *c, sm_cx *cx)
{
    c->collation_0900 = !c->mariadb;
    unsigned err = sm_my_query(c, cx, sm_my_session_sql(c), strlen(sm_my_session_sql(c)), NULL, 0);
    if (err == UNKNOWN_COLLATION && !c->intr && !c->collation_0900) {
        c->collation_0900 = true;
        err = sm_my_query(c, cx, session_sql_mysql8, sizeof session_sql_mysql8 - 1, NULL, 0);
    }
    if (c->intr)
        return sm_my_stopped(c, cx, "session setup");
    if (err) {
        int rc = sm_my_conn_error(c, cx, "session setup");
        return rc == SM_INTERRUPTED || rc == SM_STALE ? SM_ERROR : rc;
    }
    return SM_OK;
}

static int my_open(sm_cx *cx, const sm_url *u, sm_conn **out)
{
    *out = NULL;
    if (pthread_once(&lib_once, lib_init) != 0 || lib_rc != 0)
        return sm_cx_fail(cx, SM_ERROR, "mysql: the client library failed to initialise");
    sm_my_conn *c = calloc(1, sizeof *c);
    if (!c)
        return sm_cx_fail(cx, SM_NOMEM, "mysql: out of memory opening a connection");
    c->wake.fd[0] = c->wake.fd[1] = -1;
    int rc = params_from_url(cx, u, &c->p);
    if (rc != SM_OK) {
        conn_free(c);
        return rc;
    }
    if (sm_wake_open(&c->wake) != SM_OK) {
        conn_free(c);
        return sm_cx_fail(cx, SM_ERROR, "mysql: cannot create the cancellation pipe");
    }
    c->db = mysql_init(NULL);
    if (!c->db) {
        conn_free(c);
        return sm_cx_fail(cx, SM_NOMEM, "mysql: out of memory opening a connection");
    }
    sm_my_op_begin(c);
    c->connecting = true;
    if (c->p.connect_timeout_ms)
        c->connect_until_ns = sm_mono_ns() + (int64_t)c->p.connect_timeout_ms * 1000000;
    rc = sm_my_connect(c, cx, c->db, true, 0);
    c->connecting = false;
    c->connect_until_ns = 0;
    if (rc != SM_OK) {
        conn_free(c);
        return rc;
    }
    c->base.stats.round_trips++;
    c->thread_id = mysql_thread_id(c->db);
    c->mariadb = strstr(mysql_get_server_info(c->db), "MariaDB") != NULL;
    c->peek = mysql_get_client_version() / 10000 == 3; /* sm_my_packet_buffered */
    sm_my_op_begin(c);
    rc = session_setup(c, cx);
    if (rc != SM_OK) {
        conn_free(c);
        return rc;
    }
    *out = &c->base;
    return SM_OK;
}

static void my_close(sm_conn *conn)
{
    if (conn)
        conn_free((sm_my_conn *)conn);
}

/* Called from another thread while a call is registered on conn. */
static void my_cancel(sm_conn *conn)
{
    sm_wake_signal(&((sm_my_conn *)conn)->wake);
}

/* ---- SQL text ------------------------------------------------------------------- */

/* What commits implicitly besides DDL (MySQL's "Statements That Cause an
 * Implicit Commit"): locking, account management, table maintenance,
 * replication control.  Setting autocommit is transaction control on
 * every database (sql_scan.c). */
static const char *const implicit_commit[] = {
    "LOCK", "UNLOCK", "GRANT", "REVOKE", "SET PASSWORD",
    "ANALYZE", "CHECK", "OPTIMIZE", "REPAIR", "FLUSH", "RESET", "CACHE INDEX",
    "LOAD INDEX", "INSTALL", "UNINSTALL", "CHANGE", "START REPLICA", "START SLAVE",
    "STOP REPLICA", "STOP SLAVE", NULL,
};

/* MySQL's lexical rules: '...' and "..." strings with backslash escapes,
 * `...` identifiers, -- only before a blank or control character, # to
 * the end of the line, block comments (not nested). */
const sm_sql_rules sm_my_rules = {
    .backslash_escapes = true,
    .backquote_idents = true,
    .hash_comments = true,
    .dash_comment_space = true,
    .implicit_commit = implicit_commit,
};

/* sql with "??" outside quotes and comments turned into "?", in a new
 * string; NULL when there is nothing to turn (or out of memory, with
 * *nomem set). */
static char *unescape_qmarks(const char *sql, bool *nomem)
{
    *nomem = false;
    if (!strstr(sql, "??"))
        return NULL;
    char *out = malloc(strlen(sql) + 1), *o = out;
    if (!out) {
        *nomem = true;
        return NULL;
    }
    size_t i = 0, e;
    for (int t; (t = sm_sql_token(&sm_my_rules, sql, i, &e)) != SM_TOK_END; i = e) {
        size_t n = t == SM_TOK_QQ ? 1 : e - i;
        memcpy(o, sql + i, n);
        o += n;
    }
    *o = '\0';
    return out;
}

int sm_my_exec_script(sm_cx *cx, sm_conn *conn, const char *sql)
{
    sm_my_conn *c = (sm_my_conn *)conn;
    if (c->dead)
        return sm_my_lost(cx);
    /* The server would answer "Query was empty". */
    if (sm_sql_is_empty(&sm_my_rules, sql))
        return SM_OK;
    sm_my_op_begin(c);
    return sm_my_run(c, cx, sql, NULL, 0, "script");
}

/* ---- Statements ------------------------------------------------------------------- */

static void params_release(sm_my_stmt *s)
{
    free(s->pbind);
    free(s->pval);
    free(s->plen);
    s->pbind = NULL;
    s->pval = NULL;
    s->plen = NULL;
    s->nparams = 0;
}

static void handle_close(sm_my_stmt *s)
{
    sm_my_conn *c = (sm_my_conn *)s->base.conn;
    if (c->open == s)
        c->open = NULL;
    sm_my_free_result_binds(s);
    params_release(s);
    if (s->h)
        mysql_stmt_close(s->h);
    s->h = NULL;
    s->active = s->streamed = s->lazy = s->on_row = s->cursor = s->park_failed = false;
}

/* Whether sql is a SELECT or WITH (after blanks and opening parentheses;
 * a statement that starts with a comment is simply stored whole). */
static bool is_select(const char *sql)
{
    while (*sql == ' ' || *sql == '\t' || *sql == '\n' || *sql == '\r' || *sql == '(')
        sql++;
    size_t n = strncasecmp(sql, "SELECT", 6) == 0 ? 6 : strncasecmp(sql, "WITH", 4) == 0 ? 4 : 0;
    char next = n ? sql[n] : 'x';
    return n && !(next == '_' || (next >= '0' && next <= '9') || (next >= 'a' && next <= 'z') ||
                  (next >= 'A' && next <= 'Z'));
}

/* Prepares sql into a new handle on s, with its parameter and result
 * bindings. */
static int prepare_handle(sm_my_conn *c, sm_cx *cx, sm_my_stmt *s, const char *sql)
{
    bool nomem;
    char *text = unescape_qmarks(sql, &nomem);
    if (nomem)
        return sm_cx_fail(cx, SM_NOMEM, "mysql: out of memory preparing a statement");
    const char *q = text ? text : sql;
    s->h = mysql_stmt_init(c->db);
    if (!s->h) {
        free(text);
        return sm_cx_fail(cx, SM_NOMEM, "mysql: out of memory preparing a statement");
    }
    sm_my_op_begin(c);
    if (!sm_my_park(c, cx, NULL)) {
        free(text);
        handle_close(s);
        return c->intr ? sm_my_stopped(c, cx, "prepare") : sm_my_lost(cx);
    }
    s->selects = is_select(q);
    int ret = 1;
    int ev = mysql_stmt_prepare_start(&ret, s->h, q, (unsigned long)strlen(q));
    while (ev)
        ev = mysql_stmt_prepare_cont(&ret, s->h, sm_my_wait(c, cx, ev));
    c->base.stats.round_trips++;
    free(text);
    int rc = SM_OK;
    if (c->intr) {
        rc = sm_my_stopped(c, cx, "prepare");
    } else if (ret) {
        rc = sm_my_stmt_error(c, cx, s->h, "prepare");
        if (rc == SM_INTERRUPTED || rc == SM_STALE)
            rc = SM_ERROR;
    }
    if (rc != SM_OK) {
        handle_close(s);
        return rc;
    }
    unsigned n = (unsigned)mysql_stmt_param_count(s->h);
    if (n) {
        s->pbind = calloc(n, sizeof *s->pbind);
        s->pval = calloc(n, sizeof *s->pval);
        s->plen = calloc(n, sizeof *s->plen);
        if (!s->pbind || !s->pval || !s->plen) {
            handle_close(s);
            return sm_cx_fail(cx, SM_NOMEM, "mysql: out of memory preparing a statement");
        }
    }
    s->nparams = n;
    s->base.nparams = (int)n;
    rc = sm_my_bind_result(cx, s);
    if (rc != SM_OK)
        handle_close(s);
    return rc;
}

static int my_prepare(sm_cx *cx, sm_conn *conn, const char *sql, sm_stmt **out)
{
    sm_my_conn *c = (sm_my_conn *)conn;
    *out = NULL;
    if (c->dead)
        return sm_my_lost(cx);
    sm_my_stmt *s = calloc(1, sizeof *s);
    if (!s)
        return sm_cx_fail(cx, SM_NOMEM, "mysql: out of memory preparing a statement");
    s->base.conn = conn;
    int rc = prepare_handle(c, cx, s, sql);
    if (rc != SM_OK) {
        free(s);
        return rc;
    }
    *out = &s->base;
    return SM_OK;
}

static int my_reprepare(sm_cx *cx, sm_stmt *st)
{
    sm_my_stmt *s = (sm_my_stmt *)st;
    sm_my_conn *c = (sm_my_conn *)st->conn;
    if (c->open != s) /* closing a handle is a command too */
        sm_my_park(c, cx, NULL);
    handle_close(s);
    if (c->dead)
        return sm_my_lost(cx);
    return prepare_handle(c, cx, s, st->sql);
}

/* Frees the current result, reading what is left of it off the socket. */
static void free_streamed(sm_my_conn *c, sm_cx *cx, sm_my_stmt *s)
{
    my_bool r = 0;
    int ev = mysql_stmt_free_result_start(&r, s->h);
    while (ev)
        ev = mysql_stmt_free_result_cont(&r, s->h, sm_my_wait(c, cx, ev));
    if (r && mysql_stmt_errno(s->h) >= 2000 && mysql_stmt_errno(s->h) != 2014)
        c->dead = true; /* the rest of the result was lost with the connection */
}

/* A CALL answers with several results (one per SELECT in the procedure,
 * then a status).  The statement's result is the first; the others are
 * read and dropped so that the connection can take the next command. */
static void drop_more_results(sm_my_conn *c, sm_cx *cx, sm_my_stmt *s)
{
    while (!c->dead && mysql_stmt_more_results(s->h)) {
        int ret = 1;
        int ev = mysql_stmt_next_result_start(&ret, s->h);
        while (ev)
            ev = mysql_stmt_next_result_cont(&ret, s->h, sm_my_wait(c, cx, ev));
        /* The connector forgets the result binding when the metadata
         * of a later result arrives: bind again at the next execute. */
        s->rebind = true;
        if (ret != 0)
            return;
        if (mysql_stmt_field_count(s->h) > 0)
            free_streamed(c, cx, s);
    }
}

/* Ends the open result: a stored one is freed here; a streamed one is read
 * to its end, bounded by cx (the interrupt state of the operation in
 * progress is kept, so a stopped statement is drained within its grace
 * period). */
static void discard(sm_my_stmt *s, sm_cx *cx)
{
    if (!s->active)
        return;
    sm_my_conn *c = (sm_my_conn *)s->base.conn;
    if (c->open == s)
        c->open = NULL;
    if (s->streamed)
        free_streamed(c, cx, s);
    else
        mysql_stmt_free_result(s->h);
    drop_more_results(c, cx, s);
    s->active = s->streamed = s->lazy = s->on_row = s->park_failed = false;
}

bool sm_my_park_open(sm_my_conn *c, sm_cx *cx)
{
    sm_my_stmt *o = c->open;
    c->open = NULL;
    o->lazy = false;
    int ret = 1;
    int ev = mysql_stmt_store_result_start(&ret, o->h);
    while (ev)
        ev = mysql_stmt_store_result_cont(&ret, o->h, sm_my_wait(c, cx, ev));
    if (ret == 0 && !c->intr) {
        o->streamed = false;
        return true;
    }
    /* The rest is lost to o (dropped within the grace period when the
     * operation in progress was stopped); o's next fetch says so. */
    o->park_errno = c->intr ? 0 : mysql_stmt_errno(o->h);
    snprintf(o->park_msg, sizeof o->park_msg, "%s",
             c->intr ? "the rest of the result was dropped when a later call was stopped"
                     : mysql_stmt_error(o->h));
    free_streamed(c, cx, o);
    drop_more_results(c, cx, o);
    o->streamed = false;
    o->park_failed = true;
    return !c->intr && !c->dead;
}

static void my_finalize(sm_stmt *st)
{
    if (!st)
        return;
    sm_my_stmt *s = (sm_my_stmt *)st;
    sm_my_conn *c = (sm_my_conn *)st->conn;
    if ((s->active && s->streamed) || (c->open && c->open != s))
        sm_my_op_begin(c);
    discard(s, c->base.cx);
    sm_my_park(c, c->base.cx, NULL); /* closing the handle is a command too */
    handle_close(s);
    free(s);
}

static int my_reset(sm_cx *cx, sm_stmt *st)
{
    sm_my_stmt *s = (sm_my_stmt *)st;
    sm_my_conn *c = (sm_my_conn *)st->conn;
    if (!(s->active && s->streamed)) {
        discard(s, cx);
        return SM_OK;
    }
    /* The rest of a stream is read within cx (past its deadline the
     * statement is killed and what is left dropped). */
    sm_my_op_begin(c);
    discard(s, cx);
    return c->intr ? SM_INTERRUPTED : SM_OK;
}

static int bind_params(sm_cx *cx, sm_my_stmt *s, const sm_value *params, size_t n)
{
    if (n != s->nparams)
        return sm_cx_fail(cx, SM_MISUSE, "mysql: the statement has %u parameters, %zu given",
                          s->nparams, n);
    if (n == 0)
        return SM_OK;
    memset(s->pbind, 0, n * sizeof *s->pbind);
    for (size_t i = 0; i < n; i++) {
        const sm_value *v = &params[i];
        MYSQL_BIND *b = &s->pbind[i];
        switch (v->kind) {
        case SM_VNULL:
            b->buffer_type = MYSQL_TYPE_NULL;
            break;
        case SM_VBOOL:
            s->pval[i].b = v->u.i != 0;
            b->buffer_type = MYSQL_TYPE_TINY;
            b->buffer = &s->pval[i].b;
            break;
        case SM_VINT:
            s->pval[i].i = v->u.i;
            b->buffer_type = MYSQL_TYPE_LONGLONG;
            b->buffer = &s->pval[i].i;
            break;
        case SM_VREAL:
            s->pval[i].d = v->u.d;
            b->buffer_type = MYSQL_TYPE_DOUBLE;
            b->buffer = &s->pval[i].d;
            break;
        case SM_VTEXT:
        case SM_VBLOB:
            s->plen[i] = (unsigned long)v->len;
            b->buffer_type = v->kind == SM_VTEXT ? MYSQL_TYPE_STRING : MYSQL_TYPE_BLOB;
            b->buffer = (void *)(uintptr_t)v->u.p;
            b->buffer_length = (unsigned long)v->len;
            b->length = &s->plen[i];
            break;
        default:
            return sm_cx_fail(cx, SM_MISUSE, "mysql: parameter %zu has unknown kind %d", i + 1,
                              v->kind);
        }
    }
    if (mysql_stmt_bind_param(s->h, s->pbind))
        return sm_my_stmt_error((sm_my_conn *)s->base.conn, cx, s->h, "bind");
    return SM_OK;
}

/* The next row of the open result: SM_ROW, SM_DONE or an error. */
static int fetch(sm_my_conn *c, sm_cx *cx, sm_my_stmt *s)
{
    int ret = 1, rc = SM_OK;
    if (s->park_failed) {
        rc = s->park_errno ? sm_my_error(c, cx, s->park_errno, "HY000", s->park_msg, "fetch")
                           : sm_cx_fail(cx, SM_ERROR, "mysql fetch: %s", s->park_msg);
        discard(s, cx);
        return rc == SM_INTERRUPTED || rc == SM_STALE ? SM_ERROR : rc;
    }
    if (s->rebind_pending && (rc = sm_my_rebind(cx, s)) != SM_OK) {
        discard(s, cx);
        return rc;
    }
    if (s->streamed && !s->cursor && sm_my_packet_buffered(c)) {
        ret = mysql_stmt_fetch(s->h); /* no I/O: the row is in the connector's buffer */
    } else if (s->streamed) {
        int ev = mysql_stmt_fetch_start(&ret, s->h);
        while (ev)
            ev = mysql_stmt_fetch_cont(&ret, s->h, sm_my_wait(c, cx, ev));
        if (c->intr) {
            discard(s, cx);
            sm_my_stopped(c, cx, "fetch");
            return SM_INTERRUPTED;
        }
    } else {
        ret = mysql_stmt_fetch(s->h);
    }
    if (ret == 0 || ret == MYSQL_DATA_TRUNCATED) {
        s->on_row = true;
        s->row++;
        /* The connector says when a value did not fit its buffer
         * (MYSQL_REPORT_DATA_TRUNCATION is set at connect). */
        if (ret == MYSQL_DATA_TRUNCATED && (rc = sm_my_fix_row(cx, s)) != SM_OK) {
            discard(s, cx);
            return rc;
        }
        return SM_ROW;
    }
    s->on_row = false;
    /* An error packet in the middle of a streamed result is recorded on
     * the connection, not the statement (libmariadb). */
    if (ret == MYSQL_NO_DATA)
        rc = SM_DONE;
    else if (mysql_stmt_errno(s->h) == 0 && mysql_errno(c->db) != 0)
        rc = sm_my_conn_error(c, cx, "fetch");
    else
        rc = sm_my_stmt_error(c, cx, s->h, "fetch");
    discard(s, cx);
    return rc;
}

/* A statement marked sm_stmt.cursor opens a read-only server-side cursor
 * and fetches MY_CURSOR_BATCH rows per round trip (COM_STMT_FETCH), so
 * that other statements can run on the connection between fetches; the
 * handle is switched back for an execution without it. */
enum { MY_CURSOR_BATCH = 256 };
static int cursor_mode(sm_my_conn *c, sm_cx *cx, sm_my_stmt *s)
{
    if (s->cursor == s->base.cursor)
        return SM_OK;
    unsigned long type = s->base.cursor ? CURSOR_TYPE_READ_ONLY : CURSOR_TYPE_NO_CURSOR;
    unsigned long rows = MY_CURSOR_BATCH;
    if (mysql_stmt_attr_set(s->h, STMT_ATTR_CURSOR_TYPE, &type) ||
        (s->base.cursor && mysql_stmt_attr_set(s->h, STMT_ATTR_PREFETCH_ROWS, &rows)))
        return sm_my_stmt_error(c, cx, s->h, "cursor");
    s->cursor = s->base.cursor;
    c->cursors |= s->cursor;
    return SM_OK;
}

static int my_execute(sm_cx *cx, sm_stmt *st, const sm_value *params, size_t n)
{
    sm_my_stmt *s = (sm_my_stmt *)st;
    sm_my_conn *c = (sm_my_conn *)st->conn;
    if (c->dead)
        return sm_my_lost(cx);
    if ((s->active && s->streamed) || (c->open && c->open != s))
        sm_my_op_begin(c);
    discard(s, cx);
    if (!sm_my_park(c, cx, s))
        return c->intr ? sm_my_stopped(c, cx, "execute") : sm_my_lost(cx);
    s->changes = s->insert_id = 0;
    int rc = bind_params(cx, s, params, n);
    if (rc != SM_OK)
        return rc;
    if ((rc = cursor_mode(c, cx, s)) != SM_OK)
        return rc;
    sm_my_op_begin(c);
    int ret = 1;
    int ev = mysql_stmt_execute_start(&ret, s->h);
    while (ev)
        ev = mysql_stmt_execute_cont(&ret, s->h, sm_my_wait(c, cx, ev));
    c->base.stats.round_trips++;
    bool result = ret == 0 && mysql_stmt_field_count(s->h) > 0;
    if (c->intr) {
        /* Whatever the killed statement answered is thrown away. */
        if (result) {
            s->active = s->streamed = true;
            discard(s, cx);
        }
        sm_my_stopped(c, cx, "execute");
        return SM_INTERRUPTED;
    }
    if (ret)
        return sm_my_stmt_error(c, cx, s->h, "execute");
    if (!result) {
        s->changes = (int64_t)mysql_stmt_affected_rows(s->h);
        s->insert_id = (int64_t)mysql_stmt_insert_id(s->h);
        if (mysql_stmt_insert_id(s->h) == ~(my_ulonglong)0) /* an upsert's `do nothing` skipped */
            s->changes = s->insert_id = 0;
        drop_more_results(c, cx, s);
        return c->intr ? SM_INTERRUPTED : SM_DONE;
    }
    if (s->rebind || sm_my_result_changed(s)) {
        /* The server re-prepared the statement after DDL and the result
         * has another shape (with another column count the connector
         * reports 2057 instead, and the statement is prepared again). */
        s->active = s->streamed = true;
        rc = sm_my_bind_result(cx, s);
        if (rc != SM_OK) {
            discard(s, cx);
            return rc;
        }
    }
    s->active = true;
    /* A cursor's rows are fetched as they are read; a SELECT's are read
     * off the socket unless something else needs the connection first. */
    s->lazy = s->selects && !st->stream && !st->cursor && !c->cursors;
    s->streamed = st->stream || st->cursor || s->lazy;
    if (s->lazy)
        c->open = s;
    if (!s->streamed) {
        ev = mysql_stmt_store_result_start(&ret, s->h);
        while (ev)
            ev = mysql_stmt_store_result_cont(&ret, s->h, sm_my_wait(c, cx, ev));
        if (c->intr || ret) {
            s->streamed = true; /* whatever is left is still on the socket */
            rc = c->intr ? SM_INTERRUPTED : sm_my_stmt_error(c, cx, s->h, "execute");
            discard(s, cx);
            if (c->intr)
                sm_my_stopped(c, cx, "execute");
            return rc;
        }
    }
    return fetch(c, cx, s);
}

static int my_next(sm_cx *cx, sm_stmt *st)
{
    sm_my_stmt *s = (sm_my_stmt *)st;
    sm_my_conn *c = (sm_my_conn *)st->conn;
    if (!s->active)
        return SM_DONE;
    if (s->streamed) {
        sm_my_op_begin(c);
        /* A cursor's next batch is a command on the connection. */
        if (!sm_my_park(c, cx, s)) {
            int rc = c->intr ? sm_my_stopped(c, cx, "fetch") : sm_my_lost(cx);
            discard(s, cx);
            return c->intr ? SM_INTERRUPTED : rc;
        }
    }
    return fetch(c, cx, s);
}

static int64_t my_changes(sm_stmt *st)
{
    return ((sm_my_stmt *)st)->changes;
}

static int64_t my_insert_id(sm_stmt *st)
{
    return ((sm_my_stmt *)st)->insert_id;
}

const sm_driver sm_driver_mysql = {
    .version = SM_DRIVER_VERSION,
    .name = "mysql",
    .dialect = SM_MYSQL,
    .url = &sm_my_url,
    .sql = &sm_my_rules,
    .open = my_open,
    .close = my_close,
    .prepare = my_prepare,
    .finalize = my_finalize,
    .reprepare = my_reprepare,
    .execute = my_execute,
    .next = my_next,
    .reset = my_reset,
    .ncols = sm_my_ncols,
    .colname = sm_my_colname,
    .is_null = sm_my_is_null,
    .get_int = sm_my_get_int,
    .get_real = sm_my_get_real,
    .get_text = sm_my_get_text,
    .get_blob = sm_my_get_blob,
    .cells = sm_my_cells,
    .coltype = sm_my_coltype,
    .changes = my_changes,
    .insert_id = my_insert_id,
    .exec_script = sm_my_exec_script,
    .cancel = my_cancel,
    .bind_decimal = sm_my_bind_decimal,
    .get_decimal = sm_my_get_decimal,
    .datetime_suffix = "",
    .list_value = NULL, /* generated SQL expands lists (SM_SQL_LIST_MARK) */
    .begin_sql = "START TRANSACTION",
    .ident_quote = '`',
    .tx_ddl = false, /* DDL commits the transaction implicitly */
    .ddl_script = sm_my_ddl_script,
    .batch_rows = 1000,
    .max_params = 65535,
    .batch_ids = sm_my_batch_ids,
    .batch_step = sm_my_batch_step,
    .ping = sm_my_ping,
    .in_tx = sm_my_in_tx,
    .primary_key_name = "PRIMARY",
    .reset_session = sm_my_reset_session,
    .lock = sm_my_lock,
    .unlock = sm_my_unlock,
};
