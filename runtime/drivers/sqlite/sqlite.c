/*
 * sqlite.c: the SQLite driver (sm_driver_sqlite): connections, statements
 * and errors; values, the session entries and the migration lock are in
 * sqlite_session.c.
 *
 * Connections open with SQLITE_OPEN_NOMUTEX (one thread per connection at
 * a time, as for every sm_conn), plus SQLITE_OPEN_URI for "file:" URIs,
 * and set journal_mode=WAL (files opened read-write), synchronous=NORMAL,
 * foreign_keys=ON and case_sensitive_like=ON (DESIGN 5.2).  "sqlite::memory:"
 * is a private in-memory database for sm_open, and one database shared
 * by the connections of a pool (sm_sq_pool_url).
 *
 * Waiting and interrupting: a busy handler sleeps in steps of 1-5 ms until
 * the cx deadline (5 s without one) and gives up at once on cancel; a
 * progress handler, every 1000 VM steps, interrupts the statement when its
 * cx is cancelled or past the deadline; sm_cx_cancel from another thread
 * also calls sqlite3_interrupt through the cancel entry.  The handlers see
 * the cx of the driver call running (sq_conn.active).
 *
 * Error mapping (extended result codes):
 *
 *   SQLite code                       smdl code       constraint details
 *   --------------------------------  --------------  -----------------------------
 *   SQLITE_CONSTRAINT_UNIQUE          SM_CONSTRAINT   unique; table and columns from
 *   SQLITE_CONSTRAINT_PRIMARYKEY                      "UNIQUE constraint failed: t.a, t.b"
 *                                                     (an expression index: its name)
 *   SQLITE_CONSTRAINT_FOREIGNKEY      SM_CONSTRAINT   fk; SQLite names nothing (the
 *                                                     generic operations add the
 *                                                     table's FK columns)
 *   SQLITE_CONSTRAINT_TRIGGER with    SM_CONSTRAINT   fk: deleting or updating a parent
 *   "FOREIGN KEY constraint failed"                   under ON DELETE/UPDATE RESTRICT
 *                                                     (SQLite runs the action as a
 *                                                     RAISE(ABORT) trigger)
 *   SQLITE_CONSTRAINT_CHECK           SM_CONSTRAINT   check; name from "CHECK constraint
 *                                                     failed: name"
 *   SQLITE_CONSTRAINT_NOTNULL         SM_CONSTRAINT   not_null; table and column
 *   other SQLITE_CONSTRAINT_*         SM_ERROR        (trigger RAISE, datatype, ...)
 *   SQLITE_BUSY*, SQLITE_LOCKED*      SM_BUSY
 *   SQLITE_INTERRUPT                  SM_TIMEOUT or SM_CANCELLED, from the cx state
 *   SQLITE_NOMEM                      SM_NOMEM
 *   SQLITE_CANTOPEN*, SQLITE_NOTADB,  SM_CONN         the database cannot be used
 *   SQLITE_IOERR*
 *   SQLITE_RANGE, SQLITE_MISUSE       SM_MISUSE
 *   anything else (SQLITE_ERROR,      SM_ERROR        SQLite's message
 *   CORRUPT, FULL, READONLY, ...)
 */
#include "sqlite_priv.h"

#include "model/row_read.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Errors --------------------------------------------------------------- */

/* "t.a, t.b" -> table "t", columns "a, b" (SQLite's constraint
 * messages list qualified column names). */
static void split_columns(const char *s, char *table, size_t tn, char *cols, size_t cn)
{
    size_t ti = 0, ci = 0;
    table[0] = cols[0] = 0;
    while (*s) {
        const char *dot = NULL, *e = s;
        while (*e && !(e[0] == ',' && e[1] == ' ')) {
            if (*e == '.' && !dot)
                dot = e;
            e++;
        }
        const char *col = dot ? dot + 1 : s;
        if (dot && ti == 0 && (size_t)(dot - s) < tn) {
            memcpy(table, s, (size_t)(dot - s));
            ti = (size_t)(dot - s);
            table[ti] = 0;
        }
        size_t n = (size_t)(e - col);
        if (ci + n + 3 < cn) {
            if (ci) {
                memcpy(cols + ci, ", ", 2);
                ci += 2;
            }
            memcpy(cols + ci, col, n);
            ci += n;
            cols[ci] = 0;
        }
        s = *e ? e + 2 : e;
    }
}

static const char *after(const char *msg, const char *prefix)
{
    size_t n = strlen(prefix);
    return strncmp(msg, prefix, n) == 0 ? msg + n : NULL;
}

static int constraint(sm_cx *cx, int rc, const char *msg)
{
    char table[128], cols[512];
    const char *rest;
    switch (rc) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
        rest = after(msg, "UNIQUE constraint failed: ");
        if (rest && after(rest, "index '")) {
            rest = after(rest, "index '");
            size_t n = strcspn(rest, "'");
            snprintf(cols, sizeof cols, "%.*s", (int)n, rest);
            sm_cx_set_constraint(cx, SM_CK_UNIQUE, NULL, cols, NULL);
        } else if (rest) {
            split_columns(rest, table, sizeof table, cols, sizeof cols);
            sm_cx_set_constraint(cx, SM_CK_UNIQUE, table[0] ? table : NULL, NULL,
                                 cols[0] ? cols : NULL);
        } else {
            sm_cx_set_constraint(cx, SM_CK_UNIQUE, NULL, NULL, NULL);
        }
        break;
    case SQLITE_CONSTRAINT_TRIGGER:
        if (strcmp(msg, "FOREIGN KEY constraint failed") != 0)
            return sm_cx_fail(cx, SM_ERROR, "%s", msg);
        sm_cx_set_constraint(cx, SM_CK_FK, NULL, NULL, NULL);
        break;
    case SQLITE_CONSTRAINT_FOREIGNKEY:
        sm_cx_set_constraint(cx, SM_CK_FK, NULL, NULL, NULL);
        break;
    case SQLITE_CONSTRAINT_CHECK:
        rest = after(msg, "CHECK constraint failed: ");
        sm_cx_set_constraint(cx, SM_CK_CHECK, NULL, rest, NULL);
        break;
    case SQLITE_CONSTRAINT_NOTNULL:
        rest = after(msg, "NOT NULL constraint failed: ");
        if (rest)
            split_columns(rest, table, sizeof table, cols, sizeof cols);
        sm_cx_set_constraint(cx, SM_CK_NOT_NULL, rest && table[0] ? table : NULL, NULL,
                             rest && cols[0] ? cols : NULL);
        break;
    default:
        return sm_cx_fail(cx, SM_ERROR, "%s", msg);
    }
    sm_cx_fail(cx, SM_CONSTRAINT, "%s", msg);
    return SM_CONSTRAINT;
}

/* Maps an (extended) SQLite code and message onto an smdl code and sets
 * cx's message.  msg is SQLite's own message: it never holds a secret. */
int sm_sq_error(sm_cx *cx, int rc, const char *msg)
{
    if (!msg)
        msg = sqlite3_errstr(rc);
    switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
        return constraint(cx, rc, msg);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return sm_cx_fail(cx, SM_BUSY, "database is locked: %s", msg);
    case SQLITE_INTERRUPT:
        sm_cx_fail(cx, SM_ERROR, "%s", msg);
        return SM_INTERRUPTED;
    case SQLITE_NOMEM:
        return sm_cx_fail(cx, SM_NOMEM, "out of memory in SQLite");
    case SQLITE_CANTOPEN:
    case SQLITE_NOTADB:
    case SQLITE_IOERR:
        return sm_cx_fail(cx, SM_CONN, "%s", msg);
    case SQLITE_RANGE:
    case SQLITE_MISUSE:
        return sm_cx_fail(cx, SM_MISUSE, "%s", msg);
    default:
        return sm_cx_fail(cx, SM_ERROR, "%s", msg);
    }
}

static SM_COLD int db_error(sm_cx *cx, sq_conn *c, int rc)
{
    return sm_sq_error(cx, rc, sqlite3_errmsg(c->db));
}

/* ---- Handlers ------------------------------------------------------------- */

#define BUSY_DEFAULT_MS 5000

static int busy_handler(void *ud, int count)
{
    sq_conn *c = ud;
    sm_cx *cx = c->active;
    int64_t now = sm_mono_ns();
    if (count == 0)
        c->busy_since = now;
    if (cx && sm_cx_cancelled(cx))
        return 0;
    int64_t left = cx ? sm_cx_remaining_ms(cx) : -1;
    if (left < 0)
        left = BUSY_DEFAULT_MS - (now - c->busy_since) / 1000000;
    if (left <= 0)
        return 0;
    int64_t nap = count < 4 ? 1 : count < 10 ? 2 : 5;
    if (nap > left)
        nap = left;
    struct timespec ts = {0, (long)(nap * 1000000)};
    nanosleep(&ts, NULL);
    return 1;
}

static int progress_handler(void *ud)
{
    sq_conn *c = ud;
    return c->active && sm_cx_check(c->active) != SM_OK;
}

/* ---- Connections ------------------------------------------------------------ */

const char sm_sq_session_sql[] =
    "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA case_sensitive_like=ON";

static const char *const schemes[] = {"sqlite", NULL};

const sm_url_spec sm_sq_url = {
    .schemes = schemes,
    .forms = SM_URL_PATH,
    .path_hint = "sqlite:FILE or sqlite::memory:",
};

static void sq_close(sm_conn *conn)
{
    sq_conn *c = (sq_conn *)conn;
    sm_sq_locks_free(c);
    sqlite3_close_v2(c->db);
    free(c);
}

static int sq_open(sm_cx *cx, const sm_url *url, sm_conn **out)
{
    *out = NULL;
    const char *path = url->path;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (strncmp(path, "file:", 5) == 0)
        flags |= SQLITE_OPEN_URI;
    sq_conn *c = calloc(1, sizeof *c);
    if (!c)
        return sm_cx_fail(cx, SM_NOMEM, "out of memory opening a connection");
    int rc = sqlite3_open_v2(path, &c->db, flags, NULL);
    if (rc != SQLITE_OK) {
        if (!c->db) {
            free(c);
            return sm_cx_fail(cx, SM_NOMEM, "out of memory opening a connection");
        }
        rc = sm_cx_fail(cx, rc == SQLITE_NOMEM ? SM_NOMEM : SM_CONN,
                        "cannot open the SQLite database: %s", sqlite3_errmsg(c->db));
        sq_close(&c->base);
        return rc;
    }
    sqlite3_extended_result_codes(c->db, 1);
    sqlite3_busy_handler(c->db, busy_handler, c);
    sqlite3_progress_handler(c->db, 1000, progress_handler, c);
    c->active = cx;
    const char *file = sqlite3_db_filename(c->db, "main");
    bool wal = file && file[0] && sqlite3_db_readonly(c->db, "main") == 0;
    char *err = NULL;
    if (wal)
        rc = sqlite3_exec(c->db, "PRAGMA journal_mode=WAL", NULL, NULL, &err);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(c->db, sm_sq_session_sql, NULL, NULL, &err);
    c->active = NULL;
    if (rc != SQLITE_OK) {
        rc = sm_sq_error(cx, rc, err);
        if (rc == SM_ERROR)
            rc = sm_cx_fail(cx, SM_CONN, "cannot set up the SQLite database: %s",
                            err ? err : sqlite3_errstr(rc));
        sqlite3_free(err);
        sq_close(&c->base);
        return rc;
    }
    *out = &c->base;
    return SM_OK;
}

static void sq_cancel(sm_conn *conn)
{
    sqlite3_interrupt(((sq_conn *)conn)->db);
}

/* ---- Statements ------------------------------------------------------------- */

/* SQLite's lexical rules: '...' strings, "..." `...` and [...]
 * identifiers, -- and block comments (not nested). */
const sm_sql_rules sm_sq_rules = {
    .backquote_idents = true,
    .bracket_idents = true,
};

/* "??" is a literal "?" (DESIGN 4.3).  When the SQL has one, the real
 * placeholders are numbered ("?1", "?2", ...) so that binding stays
 * right, and each "??" becomes a "?" numbered past them: SQLite has no
 * other use for a bare "?", which thus reads as an unbound NULL.  *out
 * receives the rewritten text, *count the real placeholders.  Without
 * "??" the text is used as is (*out NULL). */
static int rewrite_placeholders(sm_cx *cx, const char *sql, char **out, int *count)
{
    *out = NULL;
    *count = 0;
    bool doubled = false;
    int real = 0;
    size_t i = 0, e;
    for (int t; (t = sm_sql_token(&sm_sq_rules, sql, i, &e)) != SM_TOK_END; i = e) {
        doubled |= t == SM_TOK_QQ;
        real += t == SM_TOK_PARAM && !(sql[e] >= '0' && sql[e] <= '9');
    }
    if (!doubled)
        return SM_OK;
    size_t n = strlen(sql);
    char *r = malloc(n * 6 + 1); /* "?" or "??" grows to at most "?99999" */
    if (!r)
        return sm_cx_fail(cx, SM_NOMEM, "out of memory preparing a statement");
    size_t j = 0;
    int k = 0;
    i = 0;
    for (int t; (t = sm_sql_token(&sm_sq_rules, sql, i, &e)) != SM_TOK_END; i = e) {
        if (t == SM_TOK_QQ) {
            j += (size_t)snprintf(r + j, 8, "?%d", real + 1);
        } else if (t == SM_TOK_PARAM && !(sql[e] >= '0' && sql[e] <= '9')) {
            j += (size_t)snprintf(r + j, 8, "?%d", ++k);
        } else {
            memcpy(r + j, sql + i, e - i);
            j += e - i;
        }
    }
    r[j] = 0;
    *out = r;
    *count = k;
    return SM_OK;
}

static int sq_prepare(sm_cx *cx, sm_conn *conn, const char *sql, sm_stmt **out)
{
    sq_conn *c = (sq_conn *)conn;
    *out = NULL;
    char *rewritten;
    int counted;
    int rc = rewrite_placeholders(cx, sql, &rewritten, &counted);
    if (rc != SM_OK)
        return rc;
    sqlite3_stmt *st = NULL;
    const char *tail = NULL;
    c->active = cx;
    rc = sqlite3_prepare_v3(c->db, rewritten ? rewritten : sql, -1, SQLITE_PREPARE_PERSISTENT,
                            &st, &tail);
    c->active = NULL;
    if (rc != SQLITE_OK) {
        free(rewritten);
        return db_error(cx, c, rc);
    }
    if (!st) {
        free(rewritten);
        return sm_cx_fail(cx, SM_MISUSE, "no SQL statement given");
    }
    if (!sm_sql_is_empty(&sm_sq_rules, tail)) {
        free(rewritten);
        sqlite3_finalize(st);
        return sm_cx_fail(cx, SM_MISUSE,
                          "several statements given where one is expected (use sm_exec_script)");
    }
    sq_stmt *s = calloc(1, sizeof *s);
    if (!s) {
        free(rewritten);
        sqlite3_finalize(st);
        return sm_cx_fail(cx, SM_NOMEM, "out of memory preparing a statement");
    }
    s->st = st;
    s->base.nparams = rewritten ? counted : sqlite3_bind_parameter_count(st);
    free(rewritten);
    *out = &s->base;
    return SM_OK;
}

static void sq_finalize(sm_stmt *st)
{
    sq_stmt *s = (sq_stmt *)st;
    sqlite3_finalize(s->st);
    free(s);
}

static int bind(sm_cx *cx, sq_conn *c, sqlite3_stmt *st, const sm_value *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int at = (int)i + 1, rc;
        switch (p[i].kind) {
        case SM_VNULL:
            rc = sqlite3_bind_null(st, at);
            break;
        case SM_VBOOL:
        case SM_VINT:
            rc = sqlite3_bind_int64(st, at, p[i].u.i);
            break;
        case SM_VREAL:
            rc = sqlite3_bind_double(st, at, p[i].u.d);
            break;
        case SM_VTEXT:
            rc = sqlite3_bind_text64(st, at, p[i].u.p, p[i].len, SQLITE_STATIC, SQLITE_UTF8);
            break;
        case SM_VBLOB:
            rc = sqlite3_bind_blob64(st, at, p[i].u.p, p[i].len, SQLITE_STATIC);
            break;
        default:
            return sm_cx_fail(cx, SM_MISUSE, "parameter %d has an unknown kind (%d)", at,
                              p[i].kind);
        }
        if (SM_UNLIKELY(rc != SQLITE_OK))
            return db_error(cx, c, rc);
    }
    return SM_OK;
}

static int step(sm_cx *cx, sq_conn *c, sq_stmt *s)
{
    c->active = cx;
    int rc = sqlite3_step(s->st);
    c->active = NULL;
    if (SM_LIKELY(rc == SQLITE_ROW))
        return SM_ROW;
    if (SM_LIKELY(rc == SQLITE_DONE)) {
        /* sqlite3_changes64 keeps the count of the last DML statement
         * when this one is DDL or a query: count only if rows changed. */
        s->changes = sqlite3_total_changes64(c->db) != s->total ? sqlite3_changes64(c->db) : 0;
        return SM_DONE;
    }
    rc = db_error(cx, c, rc);
    sqlite3_reset(s->st);
    return rc;
}

static SM_HOT int sq_execute(sm_cx *cx, sm_stmt *st, const sm_value *params, size_t n)
{
    sq_stmt *s = (sq_stmt *)st;
    sq_conn *c = (sq_conn *)st->conn;
    int rc = bind(cx, c, s->st, params, n);
    if (SM_UNLIKELY(rc != SM_OK))
        return rc;
    s->changes = 0;
    s->total = sqlite3_total_changes64(c->db);
    return step(cx, c, s);
}

static int sq_next(sm_cx *cx, sm_stmt *st)
{
    return step(cx, (sq_conn *)st->conn, (sq_stmt *)st);
}

static SM_HOT int sq_reset(sm_cx *cx, sm_stmt *st)
{
    (void)cx; /* nothing to wait for */
    sqlite3_reset(((sq_stmt *)st)->st);
    return SM_OK;
}

static SM_HOT int sq_ncols(sm_stmt *st)
{
    return sqlite3_column_count(((sq_stmt *)st)->st);
}

static const char *sq_colname(sm_stmt *st, int col)
{
    return sqlite3_column_name(((sq_stmt *)st)->st, col);
}

static bool sq_is_null(sm_stmt *st, int col)
{
    return sqlite3_column_type(((sq_stmt *)st)->st, col) == SQLITE_NULL;
}

static int64_t sq_get_int(sm_stmt *st, int col)
{
    return sqlite3_column_int64(((sq_stmt *)st)->st, col);
}

static double sq_get_real(sm_stmt *st, int col)
{
    return sqlite3_column_double(((sq_stmt *)st)->st, col);
}

static const char *sq_get_text(sm_stmt *st, int col, size_t *len)
{
    sqlite3_stmt *s = ((sq_stmt *)st)->st;
    const char *t = (const char *)sqlite3_column_text(s, col);
    *len = t ? (size_t)sqlite3_column_bytes(s, col) : 0;
    return t;
}

static const void *sq_get_blob(sm_stmt *st, int col, size_t *len)
{
    sqlite3_stmt *s = ((sq_stmt *)st)->st;
    const void *p = sqlite3_column_blob(s, col);
    *len = p ? (size_t)sqlite3_column_bytes(s, col) : 0;
    /* An empty blob is not NULL: SQLite gives a NULL pointer for both. */
    if (!p && sqlite3_column_type(s, col) != SQLITE_NULL)
        p = "";
    return p;
}

/* The row loop over this driver's own table: the accessors above become
 * direct calls of sqlite3_column_*, inlined into it. */
static int sq_read_row(sm_cx *cx, const sm_model *m, sm_stmt *st, const sm_field *const *plan,
                       int n, void *obj, sm_arena *arena)
{
    return sm_read_fields(cx, m, &sm_driver_sqlite, st, plan, n, obj, arena);
}

/* The declared type's affinity (SQLite's rules, section 3.1 of its
 * datatype documentation), or -1 for expressions. */
static int sq_coltype(sm_stmt *st, int col)
{
    const char *t = sqlite3_column_decltype(((sq_stmt *)st)->st, col);
    if (!t)
        return -1;
    char up[64];
    size_t i = 0;
    for (; t[i] && i + 1 < sizeof up; i++)
        up[i] = (char)(t[i] >= 'a' && t[i] <= 'z' ? t[i] - 'a' + 'A' : t[i]);
    up[i] = 0;
    if (strstr(up, "INT"))
        return SM_VINT;
    if (strstr(up, "CHAR") || strstr(up, "CLOB") || strstr(up, "TEXT"))
        return SM_VTEXT;
    if (strstr(up, "BLOB") || up[0] == 0)
        return SM_VBLOB;
    if (strstr(up, "REAL") || strstr(up, "FLOA") || strstr(up, "DOUB"))
        return SM_VREAL;
    return -1;
}

static int64_t sq_changes(sm_stmt *st)
{
    return ((sq_stmt *)st)->changes;
}

static int64_t sq_insert_id(sm_stmt *st)
{
    return sqlite3_last_insert_rowid(((sq_conn *)st->conn)->db);
}

const sm_driver sm_driver_sqlite = {
    .version = SM_DRIVER_VERSION,
    .name = "sqlite",
    .dialect = SM_SQLITE,
    .url = &sm_sq_url,
    .sql = &sm_sq_rules,
    .open = sq_open,
    .close = sq_close,
    .prepare = sq_prepare,
    .finalize = sq_finalize,
    .reprepare = NULL, /* sqlite3_prepare_v3 statements re-prepare themselves */
    .execute = sq_execute,
    .next = sq_next,
    .reset = sq_reset,
    .ncols = sq_ncols,
    .colname = sq_colname,
    .is_null = sq_is_null,
    .get_int = sq_get_int,
    .get_real = sq_get_real,
    .get_text = sq_get_text,
    .get_blob = sq_get_blob,
    .read_row = sq_read_row,
    .coltype = sq_coltype,
    .changes = sq_changes,
    .insert_id = sq_insert_id,
    .exec_script = sm_sq_exec_script,
    .cancel = sq_cancel,
    .bind_decimal = sm_sq_bind_decimal,
    .get_decimal = sm_sq_get_decimal,
    .datetime_suffix = "",
    .list_value = sm_sq_list_value,
    .begin_sql = "BEGIN IMMEDIATE",
    .ident_quote = '"',
    .tx_ddl = true,
    .ddl_script = sm_sq_exec_script,
    /* One prepared INSERT per row inside the call's transaction: no
     * round trips to save, and last_insert_rowid gives each key. */
    .batch_rows = 0,
    .max_params = 32766,
    .batch_ids = NULL,
    .ping = sm_sq_ping,
    .in_tx = sm_sq_in_tx,
    .reset_session = sm_sq_reset,
    .pool_url = sm_sq_pool_url,
    .lock = sm_sq_lock,
    .unlock = sm_sq_unlock,
    .fk_enforce = sm_sq_fk_enforce,
    .fk_check = sm_sq_fk_check,
};
