/*
 * mysql_priv.h: what the files of the MariaDB/MySQL driver share
 * (mysql.c, mysql_io.c, mysql_result.c, mysql_error.c, mysql_session.c).  Nothing
 * here leaves the driver: the rest of libsmdl sees only sm_driver_mysql.
 */
#ifndef SMDL_MYSQL_PRIV_H
#define SMDL_MYSQL_PRIV_H

#include "internal.h"

#include <mysql.h>
#include "mysql_api.h"

/* After a deadline or cancel, how long the driver waits for the killed
 * statement to finish (KILL QUERY on the side connection included)
 * before it gives the connection up: the call still returns promptly,
 * and the connection is closed rather than left out of step. */
#define SM_MY_GRACE_MS 1000

/* Stack of the connector's nonblocking context.  Its default (60 KiB) is
 * tight for a TLS handshake under sanitizers. */
#define SM_MY_ASYNC_STACK (256 * 1024)

/* What the side connection needs to log in like the main one.  The
 * password is kept for KILL QUERY and wiped at close. */
typedef struct sm_my_params {
    char *host, *user, *password, *db, *socket;
    unsigned port;
    int ssl_mode; /* SM_MY_SSL_* */
    char *ssl_ca, *ssl_capath, *ssl_cert, *ssl_key, *ssl_cipher, *ssl_crl, *ssl_crlpath;
    char *tls_version;
    int connect_timeout_ms; /* 0: none beyond the cx deadline */
} sm_my_params;

enum {
    SM_MY_SSL_DEFAULT = 0, /* not given: TLS only if another ssl-* key asks */
    SM_MY_SSL_DISABLED,
    SM_MY_SSL_PREFERRED,
    SM_MY_SSL_REQUIRED,
    SM_MY_SSL_VERIFY_CA,
    SM_MY_SSL_VERIFY_IDENTITY,
};

typedef struct sm_my_conn {
    sm_conn base;
    MYSQL *db;
    MYSQL *side;      /* for KILL QUERY: opened on first need, kept */
    sm_wake wake;     /* cancel wakes the waiting thread through it */
    unsigned long thread_id;
    bool dead;        /* lost or given up: every call returns SM_CONN */
    bool mariadb;     /* the server is MariaDB (else MySQL) */
    bool collation_0900; /* the session uses utf8mb4_0900_bin (MySQL 8) */
    bool peek;        /* the connector is libmariadb 3.x, whose buffer state is known */
    /* The operation in progress.  intr is 0, or why it is being stopped
     * (SM_TIMEOUT, SM_CANCELLED, or SM_CONN for connect-timeout); grace_ns
     * is when the driver stops waiting for the stopped statement. */
    int intr;
    int64_t grace_ns;
    bool connecting;  /* no server thread to kill yet: give up instead */
    bool pinging;     /* nothing to kill in a ping: give up instead */
    int64_t connect_until_ns; /* connect-timeout, or 0 */
    /* The statement whose rows are being read off the socket because the
     * driver chose to (sm_my_stmt.lazy), or NULL: whatever else needs the
     * connection stores the rest of that result first (sm_my_park). */
    struct sm_my_stmt *open;
    /* A cursor was opened on the connection: the connector then mixes up
     * the state of a cursor and of a result read off the socket (a handle
     * once used with a cursor cannot read that way), so no result is
     * streamed unasked from then on. */
    bool cursors;
    sm_my_params p;
} sm_my_conn;

/* One result column: its bound buffer and what get_text formats into. */
typedef struct sm_my_col {
    int kind;                /* SM_MY_K_* */
    int type;                /* enum_field_types */
    bool is_unsigned;
    bool binary_cs;          /* the binary character set (sm_my_result_changed) */
    MYSQL_TIME t;            /* K_TIME */
    char *buf;               /* K_TEXT/K_BLOB: data, NUL-terminated when read */
    size_t cap;
    my_bool err;
    char fmt[48];            /* get_text of a number or a time */
    unsigned long fmt_row;   /* the row fmt was written for (sm_my_stmt.row), 0: none */
} sm_my_col;

enum { SM_MY_K_INT = 1, SM_MY_K_REAL, SM_MY_K_TIME, SM_MY_K_TEXT, SM_MY_K_BLOB };

typedef struct sm_my_stmt {
    sm_stmt base;
    MYSQL_STMT *h;
    /* Parameters. */
    unsigned nparams;
    MYSQL_BIND *pbind;
    union {
        int64_t i;
        double d;
        signed char b;
    } *pval;
    unsigned long *plen;
    /* Result: metadata, bindings and buffers of every column. */
    unsigned ncols;
    MYSQL_RES *meta;
    MYSQL_FIELD *fields;
    MYSQL_BIND *rbind;
    sm_my_col *cols;
    sm_cell *cell;           /* per column: the bound value (i, d, len, null) */
    unsigned *varcols;       /* the text and blob columns, which each row must finish */
    unsigned nvarcols;
    unsigned long row;       /* rows fetched, numbering them for fmt_row */
    bool active;   /* a result is open (rows may be pending) */
    bool streamed; /* ... and was not stored: rows come off the socket */
    bool lazy;     /* ... though nobody asked for a stream (sm_my_conn.open) */
    bool selects;  /* the statement is a SELECT or WITH: one result, streamed unasked */
    bool park_failed; /* storing the rest for another command failed: the next fetch says so */
    unsigned park_errno;     /* ... with this error (0: a stopped call dropped it) */
    char park_msg[160];
    bool on_row;   /* a row is current */
    bool rebind;   /* later results of a CALL replaced the bound metadata */
    bool cursor;   /* the handle is set to open a read-only cursor (sm_stmt.cursor) */
    bool rebind_pending; /* a column buffer grew: bind before the next fetch */
    int64_t changes, insert_id;
} sm_my_stmt;

/* ---- mysql.c ------------------------------------------------------------- */

extern const sm_sql_rules sm_my_rules;
extern const sm_url_spec sm_my_url;
/* The session settings of DESIGN 5.3 for this server (open and reset). */
const char *sm_my_session_sql(const sm_my_conn *c);

/* Runs one statement (or several, separated by ";") with the text
 * protocol and discards every result but, with val, the first column of
 * the first row of the first result, copied there (cut to size; "" when
 * there is none).  Returns 0, or the first error's errno (left on the
 * handle; messages are the caller's business). */
unsigned sm_my_query(sm_my_conn *c, sm_cx *cx, const char *sql, size_t len, char *val,
                     size_t size);
/* sm_my_query as a driver call: SM_OK or the error in cx (the interrupt
 * state is the caller's: it starts the operation). */
int sm_my_run(sm_my_conn *c, sm_cx *cx, const char *sql, char *val, size_t size,
              const char *where);
int sm_my_exec_script(sm_cx *cx, sm_conn *conn, const char *sql);
/* The message and code of an operation stopped by the cx (c->intr). */
int sm_my_stopped(sm_my_conn *c, sm_cx *cx, const char *where);
/* SM_CONN: the connection was given up earlier. */
int sm_my_lost(sm_cx *cx);
/* Before a command on c that is not a fetch of `except`: stores the rest
 * of the result c->open is streaming, so that its rows are read from
 * memory from then on.  A failure of that result itself is kept for its
 * next fetch.  Returns false when the operation in progress was stopped
 * (c->intr) or the connection lost on the way; the caller then fails
 * as its own I/O would have. */
bool sm_my_park_open(sm_my_conn *c, sm_cx *cx);
/* Inline: every fetch of a streamed result asks, and nearly always
 * nothing else is open. */
static inline bool sm_my_park(sm_my_conn *c, sm_cx *cx, const struct sm_my_stmt *except)
{
    return !c->open || c->open == except || sm_my_park_open(c, cx);
}

/* ---- mysql_io.c ---------------------------------------------------------- */

/* Starts an operation: clears the interrupt state and drains stale wake
 * bytes (a cancel aimed at an earlier call). */
void sm_my_op_begin(sm_my_conn *c);

/*
 * Waits for the events `ev` (MYSQL_WAIT_*) a nonblocking call asked for
 * and returns the ready ones for its _cont.  Honours cx (may be NULL):
 * on deadline or cancel it sends KILL QUERY on the side connection and
 * keeps waiting, up to SM_MY_GRACE_MS, for the statement to end; past
 * that it shuts the socket down so the call fails at once.  c->intr then
 * tells the caller why.  Never blocks without a bound when cx has a
 * deadline.
 */
int sm_my_wait(sm_my_conn *c, sm_cx *cx, int ev);

/* Configures a fresh handle from c->p (options, TLS) and connects it
 * with the nonblocking API.  The main connection waits with sm_my_wait
 * and sets the message in cx on failure; the side connection (main
 * false) waits only until until_ns and sets nothing. */
int sm_my_connect(sm_my_conn *c, sm_cx *cx, MYSQL *m, bool main, int64_t until_ns);

/* Closes the side connection, if open. */
void sm_my_side_close(sm_my_conn *c);

/* Whether the connector already holds the whole next packet, so that the
 * blocking call reading it does no I/O and cannot outlive a deadline. */
bool sm_my_packet_buffered(const sm_my_conn *c);

/* ---- mysql_error.c -------------------------------------------------------- */

/*
 * Maps a server or client error to an SM_* code, sets the message and,
 * for constraint violations, the constraint in cx.  `where` prefixes the
 * message ("prepare", "execute").  Marks the connection dead on a lost
 * connection.  Returns SM_STALE for a stale prepared statement and
 * SM_INTERRUPTED for a killed one (callers outside execute/next turn
 * those into public codes).
 */
int sm_my_error(sm_my_conn *c, sm_cx *cx, unsigned err, const char *sqlstate, const char *msg,
                const char *where);
/* Sets "prefix: msg" as the message of code, with the password (when
 * it is 8 bytes or longer) replaced by "***"; returns code. */
int sm_my_fail_text(sm_my_conn *c, sm_cx *cx, int code, const char *prefix, const char *msg);
/* The same for the error now on the connection or statement handle. */
int sm_my_conn_error(sm_my_conn *c, sm_cx *cx, const char *where);
int sm_my_stmt_error(sm_my_conn *c, sm_cx *cx, MYSQL_STMT *h, const char *where);

/* ---- mysql_result.c ------------------------------------------------------- */

/* (Re)binds result buffers from the statement's current metadata. */
int sm_my_bind_result(sm_cx *cx, sm_my_stmt *s);
void sm_my_free_result_binds(sm_my_stmt *s);
/* After execute: does the result differ from the bound shape (column
 * count, a type, signedness or binary-ness)? */
bool sm_my_result_changed(sm_my_stmt *s);
/* After a fetch that reported truncation: refetches the truncated
 * columns into larger buffers.  SM_OK, SM_NOMEM or SM_ERROR. */
int sm_my_fix_row(sm_cx *cx, sm_my_stmt *s);
/* Binds the buffers that sm_my_fix_row grew; before the next fetch. */
int sm_my_rebind(sm_cx *cx, sm_my_stmt *s);

int sm_my_ncols(sm_stmt *st);
const char *sm_my_colname(sm_stmt *st, int col);
bool sm_my_is_null(sm_stmt *st, int col);
int64_t sm_my_get_int(sm_stmt *st, int col);
double sm_my_get_real(sm_stmt *st, int col);
const char *sm_my_get_text(sm_stmt *st, int col, size_t *len);
const void *sm_my_get_blob(sm_stmt *st, int col, size_t *len);
const sm_cell *sm_my_cells(sm_stmt *st);
int sm_my_coltype(sm_stmt *st, int col);

/* ---- mysql_session.c ------------------------------------------------------ */

void sm_my_bind_decimal(sm_decimal v, int scale, sm_value *out, char *txt);
int sm_my_get_decimal(sm_stmt *st, int col, int precision, int scale, sm_decimal *out);
int sm_my_ddl_script(sm_cx *cx, sm_conn *conn, const char *sql);
int sm_my_batch_step(sm_cx *cx, sm_conn *conn, int64_t *step);
int sm_my_batch_ids(sm_cx *cx, sm_stmt *st, int rc, int64_t step, int64_t *ids, size_t count);
int sm_my_ping(sm_cx *cx, sm_conn *conn);
int sm_my_in_tx(sm_conn *conn);
int sm_my_reset_session(sm_cx *cx, sm_conn *conn);
int sm_my_lock(sm_cx *cx, sm_conn *conn, const char *name);
int sm_my_unlock(sm_cx *cx, sm_conn *conn, const char *name);

#endif
