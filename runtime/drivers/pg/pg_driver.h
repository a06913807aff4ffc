/*
 * pg_driver.h: what the PostgreSQL driver's files share (pg.c, pg_conn.c,
 * pg_io.c, pg_rows.c, pg_session.c, pg_sql.c, pg_err.c, pg_cursor.c).  Not part of the driver contract; tests include it
 * to reach the placeholder rewriter and the error mapping directly.
 */
#ifndef SMDL_PG_DRIVER_H
#define SMDL_PG_DRIVER_H

#include "internal.h"

#include <libpq-fe.h>
#include "pg_api.h"
#include <locale.h>

/* The most parameters one statement can bind (the protocol's int16). */
#define SM_PG_MAX_PARAMS 65535

/*
 * Rewrites "?" placeholders to $1, $2, ... outside string literals
 * ('...', E'...'), quoted identifiers, comments (--, nested slash-star)
 * and dollar-quoted strings; "??" becomes a literal "?".  SQL that
 * already numbers its parameters ($1, $2) is copied unchanged.  out is
 * reset and receives the NUL-terminated result; *nparams the number of
 * parameters the statement takes (the "?" count, or the highest $n).
 * Returns SM_OK, SM_NOMEM, or SM_MISUSE with *why set to a static
 * explanation (both "?" and "$n" used, or too many parameters).
 */
int sm_pg_rewrite(const char *sql, sm_buf *out, int *nparams, const char **why);

extern const sm_sql_rules sm_pg_rules;
extern const sm_url_spec sm_pg_url;

/*
 * Turns a failed result (PGRES_FATAL_ERROR) into an SM_* code by its
 * SQLSTATE, setting the message and, for SM_CONSTRAINT, the constraint in
 * cx.  A NULL res or a connection in CONNECTION_BAD is SM_CONN with
 * libpq's connection message.  The table is at the top of pg_err.c.
 */
int sm_pg_error(sm_cx *cx, PGconn *pg, const PGresult *res);

/* The column list of a unique or foreign-key violation's detail,
 * "Key (a, b)=(1, 2) already exists." gives "a, b" copied into buf
 * (NUL-terminated, cut to size).  false when the detail has no key. */
bool sm_pg_detail_columns(const char *detail, char *buf, size_t size);

/* Copies libpq's multi-line message into buf on one line, without the
 * trailing newline and with every occurrence of secret (when non-empty)
 * replaced by "***". */
void sm_pg_clean_message(const char *msg, const char *secret, char *buf, size_t size);

/* The connection and statement of the driver; sm_conn and sm_stmt come
 * first (internal.h). */
/* How long a statement interrupted by the deadline or a cancel may take
 * to wind down, delivering the cancel request included (no cx deadline
 * applies then).  A connection that does not answer in time is marked
 * broken. */
#define PG_DRAIN_MS 3000
/* How long reset may spend reading the unread rows of a stream inside a
 * transaction, where a cancel would abort the transaction. */
#define PG_TX_DRAIN_MS 60000
/* While connecting, the connection is not yet registered in the cx, so a
 * cancel cannot wake the wait: it looks at the cx this often. */
#define PG_CONNECT_SLICE_MS 20
/* Finalized statements are deallocated on the server in batches. */
#define PG_DEAD_BATCH 16

typedef struct sm_pg_conn {
    sm_conn base;
    PGconn *pg;
    sm_wake wake;       /* cancel wakes the waiting thread through it */
    locale_t cloc;      /* "C": floats are formatted and parsed in it */
    unsigned next_id;   /* statement names s1, s2, ... */
    bool broken;        /* an interrupted statement never finished */
    bool pinging;       /* a ping runs: interrupted, it is given up, not drained */
    sm_buf sql;         /* rewritten SQL of the statement being prepared */
    sm_buf params;      /* text parameters of the execute in progress */
    unsigned *dead;     /* finalized statements still on the server */
    size_t ndead, capdead;
} sm_pg_conn;

typedef struct sm_pg_stmt {
    sm_stmt base;
    unsigned id;        /* the server-side name is "s<id>"; 0: none */
    char name[16];      /* "s<id>" */
    bool gone;          /* the server said the statement does not exist */
    bool stale;         /* failed stale in a pipeline: prepare again first */
    bool active;        /* single-row mode with rows still coming */
    bool in_tx;         /* executed inside a transaction block */
    bool readonly;      /* SELECT, VALUES, TABLE or SHOW: safe to cancel */
    PGresult *res;      /* the current result */
    int row, nrows;     /* current row in res, rows in res */
    int64_t changes, insert_id;
    /* Parameter arrays for PQsendQueryPrepared, sized at prepare. */
    const char **values;
    size_t *offs;
    int *lengths, *formats;
    /* bytea columns of the current row, decoded on first use. */
    uint8_t *blob;
    size_t blob_cap;
    size_t *blob_at;    /* per column: offset, length in blob */
    int blob_cols;
    uint64_t rowseq, blob_seq;
    /* Rows read through a cursor (sm_stmt.cursor, pg_cursor.c). */
    bool cursor_open, cursor_more;
    unsigned cursor_id;
} sm_pg_stmt;


static inline sm_pg_conn *pgc(sm_conn *conn)
{
    return (sm_pg_conn *)(void *)conn;
}

static inline sm_pg_stmt *pgs(sm_stmt *st)
{
    return (sm_pg_stmt *)(void *)st;
}

static inline bool sm_pg_is_copy(ExecStatusType s)
{
    return s == PGRES_COPY_IN || s == PGRES_COPY_OUT || s == PGRES_COPY_BOTH;
}

/* ---- pg.c: statements ---- */

/* The keys RETURNING gave for the rows of a multi-row INSERT. */
int sm_pg_batch_ids(sm_cx *cx, sm_stmt *st, int rc, int64_t step, int64_t *ids, size_t count);

/* ---- pg_cursor.c: rows through a cursor ---- */

/* Declares a cursor for st with the n parameters bound in its arrays
 * (inside a transaction) and fetches the first batch: SM_ROW, SM_DONE or
 * an error.  next moves to the next row, fetching a batch when needed;
 * close closes the cursor (without cx: left to the transaction's end). */
int sm_pg_cursor_open(sm_cx *cx, sm_pg_conn *c, sm_pg_stmt *st, size_t n);
int sm_pg_cursor_next(sm_cx *cx, sm_pg_conn *c, sm_pg_stmt *st);
int sm_pg_cursor_close(sm_cx *cx, sm_pg_conn *c, sm_pg_stmt *st);

/* ---- pg_io.c: waiting on the server ---- */

/* The next result of the command in flight within the cx deadline (*out
 * NULL after the last); on deadline or cancel the command is cancelled
 * and drained and the code is SM_INTERRUPTED. */
int sm_pg_next_result(sm_cx *cx, sm_pg_conn *c, PGresult **out);
/* Reads the command's remaining results; the first failure among them
 * becomes the code when rc is SM_OK. */
int sm_pg_complete(sm_cx *cx, sm_pg_conn *c, int rc);
/* Ends a COPY result (unsupported): SM_UNSUPPORTED unless rc failed. */
int sm_pg_copy_result(sm_cx *cx, sm_pg_conn *c, ExecStatusType s, int rc);
/* Drops the command in flight (after a cancel request when cancel is
 * set), within grace_ms; else the connection is marked broken. */
void sm_pg_abandon(sm_pg_conn *c, bool cancel, int64_t grace_ms);
/* Marks the connection broken and reports SM_CONN. */
int sm_pg_lost(sm_cx *cx, sm_pg_conn *c);
/* SM_OK, or SM_CONN when the connection is broken. */
int sm_pg_usable(sm_cx *cx, sm_pg_conn *c);
int sm_pg_script(sm_cx *cx, sm_conn *conn, const char *sql);
void sm_pg_cancel(sm_conn *conn);
/* Sends one statement with its n parameters (unnamed, not cached; the
 * lengths and formats as PQsendQueryParams takes them, NULL for text)
 * and reads it to its end; *out (when out is not NULL) gets its rows or
 * completion, to PQclear, or NULL on failure. */
int sm_pg_command(sm_cx *cx, sm_pg_conn *c, const char *sql, int n, const char *const *values,
                  const int *lengths, const int *formats, PGresult **out);
/* sm_pg_command with text parameters; with val, the first column of the
 * first row is copied there (cut to size, "" when there is none). */
int sm_pg_query(sm_cx *cx, sm_pg_conn *c, const char *sql, const char *const *params, int n,
                char *val, size_t size);

/* ---- pg_conn.c: connecting ---- */

int sm_pg_open(sm_cx *cx, const sm_url *url, sm_conn **out);
void sm_pg_close(sm_conn *conn);
/* Makes sure the session settings hold (after connecting or a reset). */
int sm_pg_session_check(sm_cx *cx, sm_pg_conn *c);

/* ---- pg_session.c: values, multi-row inserts, the session ---- */

void sm_pg_bind_decimal(sm_decimal v, int scale, sm_value *out, char *txt);
int sm_pg_get_decimal(sm_stmt *st, int col, int precision, int scale, sm_decimal *out);
int sm_pg_list_value(sm_buf *out, bool ints, const void *items, size_t n);
int sm_pg_ping(sm_cx *cx, sm_conn *conn);
int sm_pg_in_tx(sm_conn *conn);
int sm_pg_reset_session(sm_cx *cx, sm_conn *conn);
int sm_pg_lock(sm_cx *cx, sm_conn *conn, const char *name);
int sm_pg_unlock(sm_cx *cx, sm_conn *conn, const char *name);

/* ---- pg_rows.c: columns of the current row ---- */

/* Integer text to int64, saturating; other numeric text (a float column
 * read as int) is truncated, parsed in cloc (the "C" locale; 0: the
 * current one). */
int64_t sm_pg_parse_int(const char *s, locale_t cloc);
int sm_pg_ncols(sm_stmt *st);
const char *sm_pg_colname(sm_stmt *st, int col);
bool sm_pg_is_null(sm_stmt *st, int col);
int64_t sm_pg_get_int(sm_stmt *st, int col);
double sm_pg_get_real(sm_stmt *st, int col);
const char *sm_pg_get_text(sm_stmt *st, int col, size_t *len);
const void *sm_pg_get_blob(sm_stmt *st, int col, size_t *len);
int sm_pg_coltype(sm_stmt *st, int col);
int64_t sm_pg_changes(sm_stmt *st);
int64_t sm_pg_insert_id(sm_stmt *st);

#endif
