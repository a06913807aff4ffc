/*
 * conn.c: connections and everything that is the same on every database
 * (DESIGN 4.1, 4.3, 4.4): opening by URL, the call bracket that checks
 * cancellation, deadline and misuse and registers the running call in
 * its cx, raw SQL and result rows, transactions and savepoints with the
 * failed-transaction rule, and tracing.  Drivers only talk to their
 * database.
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- SMDL_ECHO: documented process-global state, read once ------------ */

static pthread_once_t echo_once = PTHREAD_ONCE_INIT;
static bool echo_on;

static void echo_init(void)
{
    const char *e = getenv("SMDL_ECHO");
    echo_on = e && strcmp(e, "1") == 0;
}

/* ---- The call bracket --------------------------------------------------- */

static void reg(sm_cx *cx, sm_conn *conn)
{
    sm_cx_impl *c = sm_cx_impl_of(cx);
    pthread_mutex_lock(&c->mu);
    c->live = conn;
    pthread_mutex_unlock(&c->mu);
    conn->cx = cx;
}

static void unreg(sm_cx *cx, sm_conn *conn)
{
    sm_cx_impl *c = sm_cx_impl_of(cx);
    pthread_mutex_lock(&c->mu);
    c->live = NULL;
    pthread_mutex_unlock(&c->mu);
    conn->cx = NULL;
}

static int fail_cx_state(sm_cx *cx, int rc)
{
    return rc == SM_CANCELLED ? sm_cx_fail(cx, SM_CANCELLED, "cancelled")
                              : sm_cx_fail(cx, SM_TIMEOUT, "deadline exceeded");
}

/* A timeout or cancel inside a transaction fails it, like a database
 * error (DESIGN 4.4). */
static void fail_tx(sm_conn *conn)
{
    if (conn->tx == SM_TX_OPEN) {
        conn->tx = SM_TX_FAILED;
        conn->failed_depth = conn->nsavepoints;
    }
}

/* The checks shared by sm_call_begin and sm_rows_next (which must work
 * while its own result is open). */
static int enter(sm_cx *cx, sm_conn *conn, int kind, bool rows_ok)
{
    sm_cx_clear(cx);
    if (!conn)
        return sm_cx_fail(cx, SM_MISUSE, "no connection");
    int rc = sm_cx_check(cx);
    if (rc != SM_OK) {
        if (!conn->cx)
            fail_tx(conn);
        return fail_cx_state(cx, rc);
    }
    if (conn->cx)
        return sm_cx_fail(cx, SM_MISUSE,
                          "the connection is already running a call (called from a trace "
                          "callback or another thread?)");
    if (!rows_ok && conn->open_rows)
        return sm_cx_fail(cx, SM_MISUSE,
                          "a result is open on this connection: finish it with sm_rows_close first");
    if (conn->tx == SM_TX_FAILED && kind != SM_CALL_ROLLBACK)
        return sm_cx_fail(cx, SM_MISUSE,
                          "the transaction failed: only sm_rollback (or sm_rollback_to a "
                          "savepoint that survives) is allowed");
    reg(cx, conn);
    /* A cancel between the check above and the registration did not
     * reach the driver: look again now that it would. */
    if ((rc = sm_cx_check(cx)) != SM_OK) {
        unreg(cx, conn);
        fail_tx(conn);
        return fail_cx_state(cx, rc);
    }
    return SM_OK;
}

int sm_call_begin(sm_cx *cx, sm_conn *conn, int kind)
{
    return enter(cx, conn, kind, false);
}

/* Errors that are not the database's: they leave a transaction usable. */
static bool keeps_tx(int rc)
{
    return rc == SM_NOTFOUND || rc == SM_MULTIPLE || rc == SM_INVALID || rc == SM_MISUSE ||
           rc == SM_UNSUPPORTED || rc == SM_CONFLICT;
}

/* The result comes from the cx state, not from the database: an
 * interrupted statement (or a generic failure while cancelled or past
 * the deadline) is SM_CANCELLED or SM_TIMEOUT. */
static int settle(sm_cx *cx, int rc)
{
    bool cancelled = sm_cx_cancelled(cx);
    if (rc == SM_INTERRUPTED || ((rc == SM_ERROR || rc == SM_BUSY) && cancelled) ||
        (rc == SM_ERROR && sm_cx_expired(cx))) {
        if (cancelled)
            return sm_cx_fail(cx, SM_CANCELLED, "cancelled");
        if (sm_cx_expired(cx))
            return sm_cx_fail(cx, SM_TIMEOUT, "deadline exceeded");
        return sm_cx_fail(cx, SM_ERROR, "the statement was interrupted");
    }
    if (rc == SM_STALE)
        return sm_cx_fail(cx, SM_ERROR, "the statement's plan is stale after a schema change");
    return rc;
}

int sm_call_end(sm_cx *cx, sm_conn *conn, int rc)
{
    unreg(cx, conn);
    rc = settle(cx, rc);
    if (rc < 0 && !keeps_tx(rc) && !conn->tx_keep)
        fail_tx(conn);
    conn->tx_keep = false;
    sm_cx_impl_of(cx)->code = rc;
    return rc;
}

/* ---- Opening and closing ------------------------------------------------- */

static const sm_driver *driver_for(sm_dialect d)
{
    switch (d) {
    case SM_SQLITE:
        return &sm_driver_sqlite;
    case SM_POSTGRES:
        return &sm_driver_pg;
    case SM_MYSQL:
        return &sm_driver_mysql;
    }
    return NULL;
}

int sm_open(sm_cx *cx, const char *url, sm_conn **out)
{
    *out = NULL;
    sm_cx_clear(cx);
    int rc = sm_cx_check(cx);
    if (rc != SM_OK)
        return fail_cx_state(cx, rc);
    pthread_once(&echo_once, echo_init);
    sm_url u;
    if ((rc = sm_url_parse(cx, url, &u)) != SM_OK)
        return rc;
    const sm_driver *drv = driver_for(u.dialect);
    sm_conn *conn = NULL;
    rc = drv->open(cx, &u, &conn);
    if (rc != SM_OK) {
        sm_url_free(&u);
        return settle(cx, rc);
    }
    conn->drv = drv;
    conn->dialect = drv->dialect;
    conn->url = u.redacted; /* taken over */
    u.redacted = NULL;
    conn->raw_capacity = 256;
    if (echo_on)
        conn->trace = sm_trace_stderr;
    sm_url_free(&u);
    *out = conn;
    return SM_OK;
}

static void rows_free(sm_rows *r);

void sm_close(sm_conn *conn)
{
    if (!conn)
        return;
    if (conn->open_rows)
        rows_free(conn->open_rows);
    for (size_t i = 0; i < conn->nsavepoints; i++)
        free(conn->savepoints[i]);
    free(conn->savepoints);
    sm_stmt_cache_free(conn);
    sm_buf_free(&conn->scratch);
    free(conn->url);
    /* Closing rolls back an open transaction on every database. */
    conn->drv->close(conn);
}

sm_dialect sm_conn_dialect(const sm_conn *conn)
{
    return conn->dialect;
}

const char *sm_conn_url(const sm_conn *conn)
{
    return conn->url;
}

bool sm_in_transaction(const sm_conn *conn)
{
    return conn->tx != SM_TX_NONE;
}

sm_conn_stats sm_conn_stat(const sm_conn *conn)
{
    return conn->stats;
}

void sm_conn_set_trace(sm_conn *conn, void (*fn)(void *ud, const sm_trace *t), void *ud)
{
    conn->trace = fn;
    conn->trace_ud = ud;
}

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

/* ---- Raw SQL ----------------------------------------------------------------- */

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

int sm_conn_simple(sm_cx *cx, sm_conn *conn, const char *sql)
{
    int64_t t0 = conn->trace ? sm_mono_ns() : 0;
    int rc = conn->drv->exec_script(cx, conn, sql);
    conn->stats.statements++;
    if (conn->trace) {
        sm_trace t;
        memset(&t, 0, sizeof t);
        t.sql = sql;
        t.duration_ns = sm_mono_ns() - t0;
        t.rc = rc;
        if (rc == SM_INTERRUPTED)
            t.rc = sm_cx_cancelled(cx) ? SM_CANCELLED : sm_cx_expired(cx) ? SM_TIMEOUT : SM_ERROR;
        t.rows = -1;
        conn->trace(conn->trace_ud, &t);
    }
    return rc;
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

/* ---- Rows ------------------------------------------------------------------------ */

enum { ROWS_PENDING, ROWS_ON, ROWS_END };

struct sm_rows {
    sm_conn *conn;
    sm_cx *cx;
    sm_stmt *st;  /* NULL once the end is reached */
    int state;
    int rc;       /* at ROWS_END: SM_DONE or the error */
};

static void rows_free(sm_rows *r)
{
    if (r->st)
        sm_stmt_release(r->st);
    if (r->conn->open_rows == r)
        r->conn->open_rows = NULL;
    free(r);
}

int sm_query(sm_cx *cx, sm_conn *conn, const char *sql, const sm_value *params, size_t n,
             sm_rows **out)
{
    *out = NULL;
    int rc = sm_call_begin(cx, conn, SM_CALL_ANY);
    if (rc != SM_OK)
        return rc;
    sm_stmt *st = NULL;
    sm_rows *r = NULL;
    rc = check_raw(cx, conn, sql, params, n, false);
    if (rc == SM_OK && !(r = calloc(1, sizeof *r)))
        rc = sm_cx_fail(cx, SM_NOMEM, "out of memory starting a query");
    if (rc == SM_OK)
        rc = sm_stmt_raw(cx, conn, sql, &st);
    if (rc == SM_OK)
        rc = sm_stmt_exec(cx, st, params, n);
    if (rc == SM_ROW || rc == SM_DONE) {
        r->conn = conn;
        r->cx = cx;
        r->st = st;
        r->state = rc == SM_ROW ? ROWS_PENDING : ROWS_END;
        r->rc = SM_DONE;
        if (rc == SM_DONE) {
            sm_stmt_release(st);
            r->st = NULL;
        }
        conn->open_rows = r;
        *out = r;
        rc = SM_OK;
    } else {
        if (st)
            sm_stmt_release(st);
        free(r);
    }
    return sm_call_end(cx, conn, rc);
}

int sm_rows_next(sm_rows *r)
{
    if (!r)
        return SM_MISUSE;
    if (r->state == ROWS_END)
        return r->rc;
    int rc = enter(r->cx, r->conn, SM_CALL_ANY, true);
    if (rc == SM_OK) {
        if (r->state == ROWS_PENDING) {
            r->state = ROWS_ON;
            rc = SM_ROW;
        } else {
            rc = sm_stmt_next(r->cx, r->st);
        }
        rc = sm_call_end(r->cx, r->conn, rc);
    }
    if (rc != SM_ROW) {
        /* Done or failed: the statement goes back now, the result stays
         * open (and the connection refuses other calls) until closed. */
        r->state = ROWS_END;
        r->rc = rc;
        sm_stmt_release(r->st);
        r->st = NULL;
    }
    return rc;
}

static bool has_col(sm_rows *r, int col)
{
    return r && r->state == ROWS_ON && col >= 0 && col < r->conn->drv->ncols(r->st);
}

int sm_rows_ncols(sm_rows *r)
{
    return r && r->st ? r->conn->drv->ncols(r->st) : 0;
}

const char *sm_rows_name(sm_rows *r, int col)
{
    if (!r || !r->st || col < 0 || col >= r->conn->drv->ncols(r->st))
        return NULL;
    return r->conn->drv->colname(r->st, col);
}

bool sm_rows_is_null(sm_rows *r, int col)
{
    return has_col(r, col) ? r->conn->drv->is_null(r->st, col) : true;
}

int64_t sm_rows_int(sm_rows *r, int col)
{
    return has_col(r, col) ? r->conn->drv->get_int(r->st, col) : 0;
}

double sm_rows_real(sm_rows *r, int col)
{
    return has_col(r, col) ? r->conn->drv->get_real(r->st, col) : 0.0;
}

const char *sm_rows_text(sm_rows *r, int col)
{
    size_t len;
    return has_col(r, col) ? r->conn->drv->get_text(r->st, col, &len) : NULL;
}

const void *sm_rows_blob(sm_rows *r, int col, size_t *len)
{
    size_t n = 0;
    const void *p = has_col(r, col) ? r->conn->drv->get_blob(r->st, col, &n) : NULL;
    if (len)
        *len = n;
    return p;
}

void sm_rows_close(sm_rows *r)
{
    if (r)
        rows_free(r);
}

/* ---- Transactions --------------------------------------------------------------------- */

static const char *const begin_sql[SM_NDIALECTS] = {"BEGIN IMMEDIATE", "BEGIN",
                                                    "START TRANSACTION"};

/* The library's own statement naming a savepoint, quoted for the
 * dialect. */
static void savepoint_sql(char *buf, size_t n, sm_dialect d, const char *verb, const char *name)
{
    char q = d == SM_MYSQL ? '`' : '"';
    snprintf(buf, n, "%s %c%s%c", verb, q, name, q);
}

static bool valid_name(const char *s)
{
    if (!s || !((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_'))
        return false;
    size_t n = 1;
    for (s++; *s; s++, n++) {
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_' ||
              (*s >= '0' && *s <= '9')))
            return false;
    }
    return n <= 63;
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

/* Cleanup that must run even when the call's cx is cancelled or past its
 * deadline (rolling back what the library opened): a cx of its own with
 * a bounded budget of 5 seconds, and the call's error message kept. */
static int cleanup(sm_conn *conn, const char *sql)
{
    sm_cx tmp;
    sm_cx_init(&tmp);
    sm_cx_set_timeout_ms(&tmp, 5000);
    int rc = conn->drv->exec_script(&tmp, conn, sql);
    sm_cx_free(&tmp);
    return rc;
}

static int push_savepoint(sm_cx *cx, sm_conn *conn, const char *name)
{
    if (conn->nsavepoints == conn->capsavepoints) {
        size_t cap = conn->capsavepoints ? conn->capsavepoints * 2 : 4;
        char **sp = realloc(conn->savepoints, cap * sizeof *sp);
        if (!sp)
            return sm_cx_fail(cx, SM_NOMEM, "out of memory");
        conn->savepoints = sp;
        conn->capsavepoints = cap;
    }
    size_t n = strlen(name);
    char *copy = malloc(n + 1);
    if (!copy)
        return sm_cx_fail(cx, SM_NOMEM, "out of memory");
    memcpy(copy, name, n + 1);
    conn->savepoints[conn->nsavepoints++] = copy;
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
    } else if ((rc = sm_conn_simple(cx, conn, begin_sql[conn->dialect])) == SM_OK) {
        conn->tx = SM_TX_OPEN;
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
    rc = sm_conn_simple(cx, conn, "COMMIT");
    if (rc != SM_OK)
        cleanup(conn, "ROLLBACK"); /* a failed commit leaves no transaction open */
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
    rc = sm_conn_simple(cx, conn, "ROLLBACK");
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
    if (!valid_name(name))
        rc = sm_cx_fail(cx, SM_MISUSE, "invalid savepoint name (expected [A-Za-z_][A-Za-z0-9_]{0,62})");
    else if (conn->tx == SM_TX_NONE)
        rc = sm_cx_fail(cx, SM_MISUSE, "sm_savepoint needs an open transaction (sm_begin)");
    else if ((rc = push_savepoint(cx, conn, name)) == SM_OK) {
        savepoint_sql(sql, sizeof sql, conn->dialect, "SAVEPOINT", name);
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
    if (at < 0) {
        rc = sm_cx_fail(cx, SM_MISUSE, "no open savepoint by that name");
    } else {
        savepoint_sql(sql, sizeof sql, conn->dialect, "RELEASE SAVEPOINT", name);
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
    if (at < 0) {
        rc = sm_cx_fail(cx, SM_MISUSE, "no open savepoint by that name");
    } else if (conn->tx == SM_TX_FAILED && (size_t)at >= conn->failed_depth) {
        rc = sm_cx_fail(cx, SM_MISUSE, "the savepoint did not survive the failure");
    } else {
        savepoint_sql(sql, sizeof sql, conn->dialect, "ROLLBACK TO SAVEPOINT", name);
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
        if ((rc = sm_conn_simple(cx, conn, begin_sql[conn->dialect])) == SM_OK) {
            conn->tx = SM_TX_OPEN;
            *token = 1;
        }
        return rc;
    }
    char name[32], sql[96];
    snprintf(name, sizeof name, "sm_auto_%zu", conn->nsavepoints);
    if ((rc = push_savepoint(cx, conn, name)) != SM_OK)
        return rc;
    savepoint_sql(sql, sizeof sql, conn->dialect, "SAVEPOINT", name);
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
        cleanup(conn, "ROLLBACK");
        end_tx(conn);
        return rc;
    }
    size_t at = (size_t)(token - 2);
    if (at >= conn->nsavepoints)
        return rc;
    char sql[96];
    const char *name = conn->savepoints[at];
    if (rc == SM_OK) {
        savepoint_sql(sql, sizeof sql, conn->dialect, "RELEASE SAVEPOINT", name);
        if ((rc = sm_conn_simple(cx, conn, sql)) == SM_OK)
            clear_savepoints(conn, at);
        return rc;
    }
    /* The function's own savepoint contains its failure: roll it back and
     * the enclosing transaction stays usable. */
    savepoint_sql(sql, sizeof sql, conn->dialect, "ROLLBACK TO SAVEPOINT", name);
    if (cleanup(conn, sql) == SM_OK) {
        savepoint_sql(sql, sizeof sql, conn->dialect, "RELEASE SAVEPOINT", name);
        if (cleanup(conn, sql) == SM_OK) {
            clear_savepoints(conn, at);
            conn->tx_keep = true;
        }
    }
    return rc;
}

/* ---- The stderr tracer (SMDL_ECHO=1) ----------------------------------------------------- */

/* Text parameters longer than this are cut in the trace. */
#define TRACE_TEXT_MAX 200

static void trace_text(sm_buf *b, const char *s, size_t n)
{
    size_t shown = n;
    if (shown > TRACE_TEXT_MAX) {
        shown = TRACE_TEXT_MAX;
        while (shown > 0 && ((unsigned char)s[shown] & 0xC0) == 0x80)
            shown--; /* do not cut a UTF-8 sequence */
    }
    sm_buf_putc(b, '\'');
    for (size_t i = 0; i < shown; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\'')
            sm_buf_puts(b, "''");
        else if (c == '\n')
            sm_buf_puts(b, "\\n");
        else if (c == '\t')
            sm_buf_puts(b, "\\t");
        else if (c == '\r')
            sm_buf_puts(b, "\\r");
        else if (c < 0x20 || c == 0x7f)
            sm_buf_printf(b, "\\x%02x", c);
        else
            sm_buf_putc(b, (char)c);
    }
    sm_buf_putc(b, '\'');
    if (shown < n)
        sm_buf_printf(b, "...(%zu bytes)", n);
}

static void trace_real(sm_buf *b, double d)
{
    char tmp[40];
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*g", prec, d);
        if (strtod(tmp, NULL) == d)
            break;
    }
    sm_buf_puts(b, tmp);
}

/* SQLAlchemy's echo, adapted: the SQL on one line, then the statement's
 * provenance and duration and the parameters as a tuple:
 *     SELECT * FROM hero WHERE name = ?
 *     [cached 0.012 ms] ('Deadpond',)
 * Values are shown as SQL literals (NULL, TRUE); long text is cut and
 * blobs are shown by size.  ud is unused. */
void sm_trace_stderr(void *ud, const sm_trace *t)
{
    (void)ud;
    sm_buf b = SM_BUF_INIT;
    bool space = false;
    for (const char *s = t->sql ? t->sql : ""; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c <= ' ') {
            space = b.len > 0;
            continue;
        }
        if (space)
            sm_buf_putc(&b, ' ');
        space = false;
        sm_buf_putc(&b, (char)c);
    }
    sm_buf_printf(&b, "\n[%s %.3f ms] (", t->cached ? "cached" : "prepared",
                  (double)t->duration_ns / 1e6);
    for (size_t i = 0; i < t->nparams; i++) {
        const sm_value *v = &t->params[i];
        if (i)
            sm_buf_puts(&b, ", ");
        switch (v->kind) {
        case SM_VNULL:
            sm_buf_puts(&b, "NULL");
            break;
        case SM_VBOOL:
            sm_buf_puts(&b, v->u.i ? "TRUE" : "FALSE");
            break;
        case SM_VINT:
            sm_buf_printf(&b, "%lld", (long long)v->u.i);
            break;
        case SM_VREAL:
            trace_real(&b, v->u.d);
            break;
        case SM_VTEXT:
            trace_text(&b, v->u.p, v->len);
            break;
        case SM_VBLOB:
            sm_buf_printf(&b, "<%zu bytes>", v->len);
            break;
        default:
            sm_buf_printf(&b, "<kind %d>", v->kind);
            break;
        }
    }
    sm_buf_puts(&b, t->nparams == 1 ? ",)" : ")");
    if (t->rc < 0)
        sm_buf_printf(&b, " -> %s", sm_strerror(t->rc));
    sm_buf_putc(&b, '\n');
    if (b.data)
        fwrite(b.data, 1, b.len, stderr);
    sm_buf_free(&b);
}
