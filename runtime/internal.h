/*
 * internal.h: what libsmdl's files share and do not export.  The driver
 * contract (sm_driver) is here: each driver embeds sm_conn and sm_stmt as
 * the first member of its own connection and statement structs, and
 * conn/ does everything that is the same for all databases (the call
 * bracket, transactions, the statement cache, tracing, statistics, the
 * session).  Only runtime/drivers/ names a database.
 */
#ifndef SMDL_INTERNAL_H
#define SMDL_INTERNAL_H

#include <smdl/smdl.h>

#include <pthread.h>
#include <stdarg.h>

#if defined(__GNUC__)
#define SM_PRINTF(f, a) __attribute__((format(printf, f, a)))
/* A function only failures and rare types reach: kept out of hot loops. */
#define SM_COLD __attribute__((cold, noinline))
/* A loop instantiated with one driver's accessors (model/row_read.h):
 * inlined even where it is large, so that the accessors fold. */
#define SM_ALWAYS_INLINE __attribute__((always_inline)) inline
/* The branch a successful call takes: the other side is laid out of the
 * way, so the hot path stays in few instruction cache lines. */
#define SM_LIKELY(x) __builtin_expect(!!(x), 1)
#define SM_UNLIKELY(x) __builtin_expect(!!(x), 0)
/* A function every call runs once (begin, bind, execute, end): gcc puts
 * these side by side (.text.hot), so that a call's own code takes few
 * instruction cache lines instead of scattering among the rest of the
 * library.  The row loop's functions are left where they are: grouped
 * too, they fell into the cache sets of SQLite's own row loop and
 * evicted it on every row (bench/README.md, "SQLite client CPU"). */
#define SM_HOT __attribute__((hot))
#else
#define SM_PRINTF(f, a)
#define SM_COLD
#define SM_ALWAYS_INLINE inline
#define SM_HOT
#define SM_LIKELY(x) (x)
#define SM_UNLIKELY(x) (x)
#endif

/* ---- Context internals (cx.c) ------------------------------------------ */

/* Something a cancel must wake that is not a running call on a
 * connection (a pool acquire waiting its turn): wake runs under the cx's
 * mutex, from the cancelling thread. */
typedef struct sm_cx_waiter {
    void (*wake)(struct sm_cx_waiter *w);
} sm_cx_waiter;

typedef struct sm_cx_impl {
    pthread_mutex_t mu;     /* guards waiter, and cancels against each other */
    int cancelled;          /* atomic (__atomic builtins) */
    int cancelling;         /* atomic: sm_cx_cancel calls reading live */
    bool has_deadline;
    struct timespec deadline; /* CLOCK_MONOTONIC */
    int code;               /* the last call's code */
    sm_buf msg;             /* the last error message */
    sm_errors errors;       /* field errors of the last SM_INVALID */
    sm_constraint cons;     /* the last constraint violation */
    sm_buf cons_strs;       /* storage of cons' strings */
    sm_conn *live;          /* atomic: the connection running a call on cx, or NULL */
    sm_cx_waiter *waiter;   /* a wait of the call on cx, or NULL */
    bool init;              /* sm_cx_init ran (sm_cx_free accepts a zeroed cx) */
} sm_cx_impl;

static inline sm_cx_impl *sm_cx_impl_of(const sm_cx *cx)
{
    return (sm_cx_impl *)(void *)cx->opaque.bytes;
}

/* Records an error: sets the code and message, returns code.  Cold, like
 * every failure path: gcc moves the code that leads to it out of the hot
 * path, so a call's successful run touches fewer instruction cache lines. */
SM_COLD int sm_cx_fail(sm_cx *cx, int code, const char *fmt, ...) SM_PRINTF(3, 4);
SM_COLD int sm_cx_failv(sm_cx *cx, int code, const char *fmt, va_list ap);
/* Records a constraint violation (strings are copied; any may be NULL) and
 * returns SM_CONSTRAINT; the message is set separately by sm_cx_fail. */
int sm_cx_set_constraint(sm_cx *cx, sm_constraint_kind kind, const char *table,
                         const char *name, const char *columns);
/* SM_MISUSE for a NULL argument, with the message "fn name: arg is NULL"
 * ("fn: arg is NULL" when name is NULL), e.g. "query hero_named: out is
 * NULL".  Every check of a NULL argument that has a cx reports here. */
int sm_null_arg(sm_cx *cx, const char *fn, const char *name, const char *arg);
/* Clears code, message, field errors and constraint (start of a call):
 * inline, since most calls follow a call that succeeded. */
void sm_cx_clear_slow(sm_cx *cx);
static inline void sm_cx_clear(sm_cx *cx)
{
    sm_cx_impl *c = sm_cx_impl_of(cx);
    c->code = SM_OK;
    if (c->msg.len || c->errors.len || c->cons.kind != SM_CK_NONE)
        sm_cx_clear_slow(cx);
}
/* Moves field errors into cx and returns SM_INVALID. */
int sm_cx_invalid(sm_cx *cx, sm_errors *errs);
/* Deadline helpers.  sm_cx_expired: a deadline is set and has passed.
 * sm_cx_remaining_ms: milliseconds left, -1 without a deadline, 0 when
 * passed (rounded up, so 0 only when expired). */
bool sm_cx_expired(const sm_cx *cx);
int64_t sm_cx_remaining_ms(const sm_cx *cx);
/* SM_CANCELLED when cancelled, SM_TIMEOUT when expired, else SM_OK.
 * Inline: every call checks two or three times.  The load is
 * sequentially consistent for the call's registration (call.c). */
static inline int sm_cx_check(const sm_cx *cx)
{
    const sm_cx_impl *c = sm_cx_impl_of(cx);
    if (__atomic_load_n(&c->cancelled, __ATOMIC_SEQ_CST))
        return SM_CANCELLED;
    return c->has_deadline && sm_cx_expired(cx) ? SM_TIMEOUT : SM_OK;
}
/* Registers w as what sm_cx_cancel wakes, until sm_cx_wait_end.  Called
 * without any lock that w->wake takes (it runs under the cx's mutex). */
void sm_cx_wait_begin(sm_cx *cx, sm_cx_waiter *w);
void sm_cx_wait_end(sm_cx *cx);
int64_t sm_mono_ns(void);

/* ---- Doubles as text (real.c) -------------------------------------------- */

/* Writes the shortest of %.15g, %.16g, %.17g that reads back as d, with
 * '.' as the radix in every locale, into buf (SM_REAL_BUFSZ bytes,
 * NUL-terminated); returns its length.  The one form the runtime writes
 * a double in: bound as text, traced, redacted, in JSON and messages. */
enum { SM_REAL_BUFSZ = 32 };
size_t sm_real_format(double d, char *buf);

/* ---- FNV-1a (hash.c) ------------------------------------------------------ */

/* The 64-bit hash of s continued from h (SM_FNV64_INIT to start), and the
 * 32-bit hash of s[0..n). */
#define SM_FNV64_INIT UINT64_C(0xcbf29ce484222325)
uint64_t sm_fnv1a64(uint64_t h, const char *s);
uint32_t sm_fnv1a32(const char *s, size_t n);

/* ---- Secret values (redact.c) -------------------------------------------- */

/* Overwrites n bytes at p with zeros in a way the compiler keeps (a
 * secret about to go back to the allocator; buf.c). */
void sm_wipe(void *p, size_t n);

/* Is any of v[0..n) flagged SM_V_SECRET? */
bool sm_values_secret(const sm_value *v, size_t n);
/* The parameters a trace shows: v itself when none is secret, else a copy
 * (in buf when n <= nbuf, else in *heap, which the caller frees) with each
 * secret value replaced by the text "***", still flagged; NULL when
 * there is no memory for the copy. */
const sm_value *sm_trace_values(const sm_value *v, size_t n, sm_value *buf, size_t nbuf,
                                sm_value **heap);
/* After a statement with parameters v failed: every occurrence of a
 * secret value's text (a text or blob as is, a number as the database
 * prints it) in cx's message and constraint details becomes "***".  An
 * occurrence counts when it is not part of a longer word, and so does a
 * run of at least 16 of the value's first bytes (a value the database
 * cut).  NULL and boolean values have no text to look for. */
void sm_cx_redact(sm_cx *cx, const sm_value *v, size_t n);

/* ---- Small containers (arena.c, buf.c, values.c) ------------------------- */

/* The first n bytes staged in buf, moved into a: a large staging buffer
 * becomes one of a's blocks without a copy (buf is then empty, and
 * grows again on its next use); a small one is copied.  The memory has
 * malloc's alignment.  NULL when out of memory. */
void *sm_arena_take(sm_arena *a, sm_buf *buf, size_t n);

/* Appends a malloc'd copy of s to the string array items[0..*n) (capacity
 * *cap, doubled as needed): SM_OK or SM_NOMEM (items unchanged). */
int sm_strings_push(char ***items, size_t *n, size_t *cap, const char *s);
/* A list argument as one literal: open, the items separated by ',', close;
 * int64_t items in decimal, strings through put_string (the database's
 * quoting).  A driver's sm_driver.list_value is this with its syntax. */
int sm_list_text(sm_buf *out, char open, char close, int (*put_string)(sm_buf *, const char *),
                 bool ints, const void *items, size_t n);

/* ---- UTF-8 and validation (values.c, validate.c) ------------------------ */

bool sm_utf8_valid(const char *s, size_t n);  /* no surrogates, no overlongs */
size_t sm_utf8_count(const char *s, size_t n); /* code points of valid UTF-8 */
int sm_hex_value(int c);                       /* one hex digit, or -1 */
int64_t sm_clamp_double(double d);             /* integer part, saturated; NaN gives 0 */
void sm_errors_truncate(sm_errors *e, size_t len); /* drops the errors from len on */
/* sm_model_validate with every error path prefixed ("teams[2]" gives
 * "teams[2].name"); prefix "" at the top.  Recurses into nested models and
 * lists (depth at most 64, then a "depth" error). */
int sm_validate_prefixed(const sm_model *m, const void *obj, sm_errors *errs,
                         const char *prefix);

/* ---- SQL text (sql_scan.c) ---------------------------------------------- */

/* The lexical rules a database changes; everything else is common.  Each
 * driver supplies its own (sm_driver.sql). */
typedef struct sm_sql_rules {
    bool backslash_escapes;  /* '...' and "..." take backslash escapes */
    bool e_strings;          /* E'...' takes backslash escapes */
    bool backquote_idents;   /* `...` quotes an identifier */
    bool bracket_idents;     /* [...] quotes an identifier */
    bool hash_comments;      /* # comments to the end of the line */
    bool dash_comment_space; /* -- is a comment only before a blank or control character */
    bool nested_comments;    /* block comments nest */
    bool dollar_quotes;      /* $tag$...$tag$ strings and $n parameters */
    /* Statements other than DDL that commit an open transaction, by their
     * first word or two ("LOCK", "SET AUTOCOMMIT"; upper case), NULL-
     * terminated; NULL for none.  sm_sql_kind counts them as DDL. */
    const char *const *implicit_commit;
} sm_sql_rules;

/* Where generated SQL expands a list argument into one placeholder per
 * element (desc.h, sm_qstmt). */
#define SM_SQL_LIST_MARK '\001'

enum {
    SM_TOK_END,      /* the terminating NUL */
    SM_TOK_BLANK,    /* white space and comments */
    SM_TOK_QUOTED,   /* a string, quoted identifier or dollar-quoted string */
    SM_TOK_WORD,     /* a keyword, identifier or number */
    SM_TOK_PARAM,    /* ? */
    SM_TOK_QQ,       /* ??, a literal ? (DESIGN 4.3) */
    SM_TOK_NUMPARAM, /* $n (with dollar_quotes) */
    SM_TOK_MARK,     /* SM_SQL_LIST_MARK */
    SM_TOK_SEMI,     /* ; */
    SM_TOK_OTHER,    /* any other single byte */
};
/* The kind of the token at s[i]; *end gets the index just past it. */
int sm_sql_token(const sm_sql_rules *r, const char *s, size_t i, size_t *end);
/* The index after the blanks and comments at s[i] (i when none). */
size_t sm_sql_skip_blank(const sm_sql_rules *r, const char *s, size_t i);
/* The index of the ';' that ends the statement at s[i], or of the NUL. */
size_t sm_sql_stmt_end(const sm_sql_rules *r, const char *s, size_t i);
/* Nothing but blanks, comments and semicolons. */
bool sm_sql_is_empty(const sm_sql_rules *r, const char *s);
/* What the statement at s[i] is, from its first words: DDL (CREATE, DROP
 * but not of temporary objects, ALTER, RENAME, TRUNCATE, and what the
 * rules list in implicit_commit), transaction
 * control (BEGIN, COMMIT, ROLLBACK, SAVEPOINT, RELEASE, END, ABORT, START
 * TRANSACTION), a read (SELECT, VALUES, TABLE, SHOW, also parenthesised)
 * or anything else. */
enum { SM_SQL_OTHER, SM_SQL_DDL, SM_SQL_TX, SM_SQL_READ };
int sm_sql_kind(const sm_sql_rules *r, const char *s, size_t i);

/* ---- Waking a waiting driver (wake.c) ------------------------------------- */

/* A self-pipe: a driver polls fd[0] beside its socket; its cancel entry
 * signals it from another thread. */
typedef struct sm_wake {
    int fd[2];
    int woken; /* atomic: a byte may be in the pipe */
} sm_wake;

int sm_wake_open(sm_wake *w);    /* SM_OK or SM_ERROR */
void sm_wake_close(sm_wake *w);
void sm_wake_signal(sm_wake *w); /* any thread, async-signal-safe */
void sm_wake_drain(sm_wake *w);  /* after poll saw fd[0] readable */
/* Before an operation: drops a wake-up aimed at an earlier call. */
void sm_wake_clear(sm_wake *w);

/* ---- URLs (url.c) --------------------------------------------------------- */

typedef struct sm_driver sm_driver;

/* The forms a driver's URLs take (url.c describes them). */
enum { SM_URL_PATH = 1, SM_URL_NET = 2 };

/* What a driver tells the URL parser; the keys and their meaning belong
 * to the driver, the syntax to url.c. */
typedef struct sm_url_spec {
    const char *const *schemes;  /* lower case, NULL-terminated */
    unsigned forms;              /* SM_URL_PATH or SM_URL_NET */
    const char *keyword_scheme;  /* also takes "scheme:key=value ..." (or NULL) */
    const char *const *keys;     /* accepted parameter keys, NULL-terminated */
    const char *const *secrets;  /* keys whose values are redacted, NULL-terminated */
    const char *path_hint;       /* SM_URL_PATH: the forms, for a message */
} sm_url_spec;

typedef struct sm_url_param {
    char *key, *value; /* percent-decoded */
} sm_url_param;

/* A parsed URL.  SM_URL_PATH: path is everything after "scheme:".
 * SM_URL_NET: user, password, host, port (0 if absent), db, params.
 * Keyword string: conninfo holds the string. */
typedef struct sm_url {
    const sm_driver *drv;
    sm_dialect dialect;
    char *scheme;
    char *path;
    char *user, *password, *host, *db;
    int port;
    char *conninfo;
    sm_url_param *params;
    size_t nparams;
    char *redacted; /* the URL with the password and secret values replaced by "***" */
} sm_url;

int sm_url_parse(sm_cx *cx, const char *url, sm_url *out);
void sm_url_free(sm_url *u);

/* Every driver, NULL-terminated (drivers/drivers.c): the URL parser picks
 * one by scheme. */
extern const sm_driver *const sm_drivers[];
/* Loads drv's client library on first use (drivers/client_api.h): SM_OK,
 * or SM_UNSUPPORTED with the reason in cx. */
int sm_driver_load(sm_cx *cx, const sm_driver *drv);

/* ---- Driver contract --------------------------------------------------------- */

/* 2: URL specs, SQL rules, values, the library's statements, multi-row
 * inserts and the session entries (reset, ping, locks).  3: in_tx,
 * primary_key_name; reset takes the cx that bounds it and returns a code.
 * 4: statements read through a cursor (sm_stmt.cursor).  5: pool_url.
 * 6: fk_enforce and fk_check for migrations that rebuild tables.  7: cells.
 * 8: batch_ids_apart.  9: read_row.  10: batch_step instead of batch_ids_apart. */
#define SM_DRIVER_VERSION 10

/*
 * Internal codes a driver may return from execute/next (never seen by
 * users; the call bracket turns them into public codes):
 *   SM_INTERRUPTED  the statement was stopped because of the cx (the
 *                   driver interrupted it on deadline or cancel, or the
 *                   server reported it cancelled, or a KILLed statement
 *                   whose row must be discarded).  sm_call_end reports
 *                   SM_CANCELLED or SM_TIMEOUT from the cx state, SM_ERROR
 *                   if neither holds.  The message need not be set.
 *   SM_STALE        a cached plan is stale after DDL and no row was
 *                   returned.  sm_stmt_exec calls drv->reprepare once and
 *                   executes again; a second SM_STALE becomes SM_ERROR.
 */
enum { SM_INTERRUPTED = -1000, SM_STALE = -1001 };

typedef struct sm_stmt sm_stmt;

/* A result column of the current row as the driver holds it, read by the
 * row loop without a call per field (sm_driver.cells): kind SM_VINT
 * reads i, SM_VREAL d, SM_VTEXT s and len (not NUL-terminated); a cell
 * of kind 0 (blobs, times, unsigned values past INT64_MAX) is read
 * through the accessors.  null is the connector's flag, bound in place
 * (hence a char: MariaDB's my_bool). */
typedef struct sm_cell {
    union {
        int64_t i;
        double d;
    };
    const char *s;
    unsigned long len;
    char null;
    unsigned char kind;
} sm_cell;

/* Executions sent together (sm_driver.pipeline, model/pipe.h): job gives
 * execution k's statement (held by the caller) and parameters, valid
 * until its next call; row is called for each row of execution k, in
 * order, and stops the reading with anything but SM_OK. */
typedef struct sm_pipe {
    size_t njobs;
    int (*job)(sm_cx *cx, void *ud, size_t k, sm_stmt **st, const sm_value **params, size_t *n);
    int (*row)(sm_cx *cx, void *ud, size_t k, sm_stmt *st);
    void *ud;
    size_t failed; /* set by the run: the execution that failed, or SIZE_MAX */
} sm_pipe;

/* Transaction states of a connection. */
enum { SM_TX_NONE = 0, SM_TX_OPEN, SM_TX_FAILED };

/* A prepared statement; drivers embed it first in their own struct. */
struct sm_stmt {
    sm_conn *conn;
    char *sql;            /* owned copy, for traces and re-prepare */
    const void *key;      /* generated: the static descriptor; raw: NULL */
    unsigned variant;
    uint64_t hash;        /* raw: hash of the text */
    sm_stmt *lru_prev, *lru_next; /* raw-SQL LRU, most recent first */
    sm_stmt *chain;       /* hash bucket chain */
    bool busy;            /* held by an open result */
    bool checked;         /* raw `sql` query: result shape checked */
    bool cached;          /* owned by the cache; else finalized at release */
    bool reused;          /* the last lookup found it in the cache */
    /* Set by the caller before sm_stmt_exec when it will read the rows one
     * at a time and may read many (`-> each`): the driver then streams
     * instead of buffering the whole result.  sm_stmt_release clears it. */
    bool stream;
    /* Set with stream when other statements will run on the connection
     * while this one's rows are read (`-> each` with eager loads), inside
     * a transaction the caller opened: the driver reads the rows through
     * a cursor where its protocol would otherwise hold the connection
     * until the last row (PostgreSQL: DECLARE and FETCH; MySQL: a
     * read-only server-side cursor).  sm_stmt_release clears it. */
    bool cursor;
    int nparams;          /* placeholders, as the driver counted them */
    /* Copies of the secret parameters of the execution whose rows are
     * being read, so that an error on a later row is redacted too (the
     * caller's values may be gone by then); freed at release. */
    sm_value *secrets;
    size_t nsecrets;
    /* The fields sm_fetch_row fills from this statement's columns, in
     * column order: worked out at its first row for (plan_model,
     * plan_values), so that every later row skips the model's other
     * fields without looking at them (bind.c); freed with the statement. */
    const sm_model *plan_model;
    bool plan_values;
    int plan_want;
    const sm_field **plan;
};

/* The most bytes the per-connection scratch buffer keeps between calls:
 * a bigger one (a large result was staged in it) is freed. */
#define SM_SCRATCH_KEEP (64 * 1024)
/* The most bytes of a binding's heap block a connection keeps between
 * calls (sm_conn.bind_mem): batches of several thousand values. */
#define SM_BIND_KEEP (4 * 1024 * 1024)

/* Per-connection state shared by all drivers; embedded first. */
struct sm_conn {
    const sm_driver *drv;
    sm_dialect dialect;
    char *url;               /* redacted */
    /* The cx of the call running, or NULL.  Taken with a compare-and-swap
     * (sm_call_begin), so that of two threads entering at once exactly
     * one runs and the other gets SM_MISUSE. */
    sm_cx *cx;
    int tx;                  /* SM_TX_* */
    char **savepoints;       /* open savepoints, innermost last */
    size_t nsavepoints, capsavepoints;
    size_t failed_depth;     /* tx failed after this many savepoints were open */
    sm_rows *open_rows;      /* an open sm_rows or each-iteration */
    sm_conn *outer_live;     /* the cx's registered call before this one's
                                (a call nested in an -> each callback) */
    sm_stmt **buckets;       /* statement cache, chained by hash */
    size_t nbuckets, nstmts;
    sm_stmt *lru_head, *lru_tail; /* raw statements, most recent first */
    size_t nraw, raw_capacity;    /* raw LRU size and limit (256) */
    void (*trace)(void *ud, const sm_trace *t);
    void *trace_ud;
    sm_conn_stats stats;
    /* Staging of one call (rows of a list, SQL text being built); at most
     * SM_SCRATCH_KEEP bytes stay between calls (sm_conn_scratch_done). */
    sm_buf scratch;
    /* The heap block of a binding past its stack (a batch binds thousands
     * of values), kept for the next one: at most SM_BIND_KEEP bytes,
     * freed with the connection (model/bind.c). */
    void *bind_mem;
    size_t bind_size;
    char **locks;            /* named locks held (sm_conn_lock) */
    size_t nlocks, caplocks;
    uint64_t takes;          /* times the connection was taken (sm_conn_take) */
    bool session_dirty;      /* SQL that may change the session ran: raw SQL
                                (sm_exec, sm_query, scripts) or DDL; a reset
                                restores the whole session (sm_conn_reset) */
    struct sm_pool *pool;    /* owner pool, or NULL (pool.c) */
    uint64_t pool_takes;     /* pool.c: takes when it was last handed out */
    int64_t pool_born_ns;    /* pool.c: when it was opened (max_lifetime_ms) */
    int64_t pool_idle_ns;    /* pool.c: when it was last released */
    sm_conn *pool_next;      /* pool.c: the idle list */
    void (*pool_trace)(void *ud, const sm_trace *t); /* the tracer at open */
};

/*
 * The driver contract.  Each driver is one sm_driver; everything that
 * differs between databases in the runtime is here, so that the rest of
 * libsmdl (core/, conn/, model/) never names a database.
 *
 * Every function returns an SM_* code and, on error, has set the message
 * (and constraint) in cx with sm_cx_fail.  The message never contains a
 * password.  The call bracket has already checked cancellation, the
 * deadline and misuse, and registered the call in cx, before any of these
 * run.
 */
struct sm_driver {
    int version;          /* SM_DRIVER_VERSION */
    const char *name;     /* for messages: "sqlite", "postgres", "mysql" */
    sm_dialect dialect;   /* indexes the per-dialect SQL of the descriptors */
    const sm_url_spec *url;   /* the URLs it opens (url.c) */
    const sm_sql_rules *sql;  /* the lexical rules of its SQL (sql_scan.c) */

    /* ---- Connections and statements ---- */
    /* Connects and applies the session settings of DESIGN 5.2/5.3.  The
     * driver allocates its struct (sm_conn first, zeroed); open.c fills
     * the common part afterwards. */
    int (*open)(sm_cx *cx, const sm_url *url, sm_conn **out);
    void (*close)(sm_conn *conn);
    /* Prepares one statement with "?" placeholders ("??" is a literal
     * "?"; generated PostgreSQL SQL already uses $n).  The driver
     * allocates its struct, sm_stmt first, zeroed; the cache fills the
     * common part. */
    int (*prepare)(sm_cx *cx, sm_conn *conn, const char *sql, sm_stmt **out);
    void (*finalize)(sm_stmt *st);
    /* Prepares st->sql again in place after execute returned SM_STALE
     * (the object and its sm_stmt part stay; nparams may be updated).
     * NULL for a driver that never returns SM_STALE. */
    int (*reprepare)(sm_cx *cx, sm_stmt *st);
    /* Binds params and runs the statement up to its first row: SM_ROW,
     * SM_DONE or an error.  Honours the cx deadline and cancellation. */
    int (*execute)(sm_cx *cx, sm_stmt *st, const sm_value *params, size_t n);
    /* The next row: SM_ROW, SM_DONE or an error.  After an error the
     * statement and the connection are ready for the next execute. */
    int (*next)(sm_cx *cx, sm_stmt *st);
    /* Discards remaining rows and makes the statement reusable, within
     * cx's deadline and cancellation (cx is the call holding the
     * connection; NULL only while the connection closes: then within the
     * driver's own grace period).  SM_OK, or SM_INTERRUPTED when the
     * statement had to be cancelled because cx stopped it (inside a
     * transaction the caller fails the transaction). */
    int (*reset)(sm_cx *cx, sm_stmt *st);
    /* Columns of the current row (valid after SM_ROW). */
    int (*ncols)(sm_stmt *st);
    const char *(*colname)(sm_stmt *st, int col);
    bool (*is_null)(sm_stmt *st, int col);
    int64_t (*get_int)(sm_stmt *st, int col);  /* bools as 0/1 */
    double (*get_real)(sm_stmt *st, int col);
    const char *(*get_text)(sm_stmt *st, int col, size_t *len);
    const void *(*get_blob)(sm_stmt *st, int col, size_t *len);
    /* The current row's columns as cells, or NULL (no row, or a driver
     * whose values need a call to read).  Optional: NULL reads every
     * column through the accessors above. */
    const sm_cell *(*cells)(sm_stmt *st);
    /* Reads columns 0..n-1 of the current row into the fields plan[0..n-1]
     * of obj (zeroed; strings to arena), as sm_read_fields does
     * (model/row_read.h): a driver defines it as that loop over its own
     * table, whose accessors then inline.  Optional: NULL uses cells or
     * the accessors through this table. */
    int (*read_row)(sm_cx *cx, const sm_model *m, sm_stmt *st, const sm_field *const *plan,
                    int n, void *obj, sm_arena *arena);
    /* The declared kind of a result column as an SM_V* value kind (for
     * checking raw queries), or -1 when the driver cannot tell. */
    int (*coltype)(sm_stmt *st, int col);
    /* Rows matched by the last execute; the generated key of the last
     * insert (a RETURNING column where the insert returns it). */
    int64_t (*changes)(sm_stmt *st);
    int64_t (*insert_id)(sm_stmt *st);
    /* Several statements without parameters. */
    int (*exec_script)(sm_cx *cx, sm_conn *conn, const char *sql);
    /* Called from another thread by sm_cx_cancel while a call on conn is
     * registered in that cx: interrupt it promptly.  Thread-safe, and
     * quick: the cx's mutex is held. */
    void (*cancel)(sm_conn *conn);

    /* ---- Values ---- */
    /* decimal(p,s): binds v (the value times 10^scale) as the database
     * stores it, formatting into txt (SM_DECIMAL_BUFSZ bytes) if needed. */
    void (*bind_decimal)(sm_decimal v, int scale, sm_value *out, char *txt);
    /* Reads column col (not NULL) as decimal(precision, scale): SM_OK, or
     * SM_INVALID when the value is not such a decimal. */
    int (*get_decimal)(sm_stmt *st, int col, int precision, int scale, sm_decimal *out);
    /* Appended to a datetime's "YYYY-MM-DD HH:MM:SS.ffffff" when bound
     * (a zone, so that the database reads it as UTC), at most 7 bytes. */
    const char *datetime_suffix;
    /* A whole list argument as one value, written into out, for SQL that
     * takes a list in one placeholder; items are int64_t (ints) or
     * non-NULL strings.  NULL where generated SQL always expands lists
     * into one placeholder per element. */
    int (*list_value)(sm_buf *out, bool ints, const void *items, size_t n);

    /* The name the database gives every primary key when it reports a
     * duplicate one without naming its columns ("PRIMARY" on MySQL): the
     * model layer then names the model's key columns.  NULL: the driver
     * always reports the columns. */
    const char *primary_key_name;

    /* ---- The library's own statements ---- */
    const char *begin_sql;  /* opens a transaction (sm_begin) */
    char ident_quote;       /* quotes the savepoint names the library writes */
    /* DDL may run inside a transaction.  false (it commits implicitly):
     * DDL inside a transaction is refused with SM_MISUSE, and a module's
     * DDL runs outside any. */
    bool tx_ddl;
    /* Runs a DDL script of the library's (create_all, drop_all, a
     * migration), leaving the session's settings as it found them even
     * when the script fails partway. */
    int (*ddl_script)(sm_cx *cx, sm_conn *conn, const char *sql);

    /* ---- Multi-row inserts (insert_many) ---- */
    /* The most rows one INSERT carries; 0: a statement per row. */
    unsigned batch_rows;
    /* The most placeholders one statement may have. */
    unsigned max_params;
    /* The generated keys, in row order, of the multi-row INSERT just
     * executed (rc: SM_ROW or SM_DONE) into ids[0..count); reads the rest
     * of its result.  step: what batch_step read (1 without it). */
    int (*batch_ids)(sm_cx *cx, sm_stmt *st, int rc, int64_t step, int64_t *ids,
                     size_t count);
    /* The step between the keys one multi-row INSERT generates, read
     * once per batch before its first INSERT (MySQL: the session's
     * auto_increment_increment), or NULL where the keys come back with
     * the rows.  Read before, a batch of one statement stays one
     * statement: nothing that can fail follows the INSERT. */
    int (*batch_step)(sm_cx *cx, sm_conn *conn, int64_t *step);

    /* ---- The session (a pool, a migration runner) ---- */
    /* SM_OK when the connection answers (a pool's health check).  One
     * that does not answer by the deadline (or a cancel) is given up at
     * once, not wound down like a statement: later calls get SM_CONN. */
    int (*ping)(sm_cx *cx, sm_conn *conn);
    /* Back to the session sm_open made, for a pool to hand the connection
     * to someone else: rolls back a transaction, restores the session's
     * settings, drops its temporary state and releases its named locks,
     * and keeps the prepared statements. */
    int (*reset_session)(sm_cx *cx, sm_conn *conn);
    /* A named lock between connections to the same database (a migration
     * runner takes one), held by the session until unlock or close,
     * independent of transactions.  Waits until the cx deadline, then
     * SM_INTERRUPTED (reported as SM_TIMEOUT); name is [A-Za-z0-9_]{1,63}.
     * unlock of a lock the session holds. */
    int (*lock)(sm_cx *cx, sm_conn *conn, const char *name);
    int (*unlock)(sm_cx *cx, sm_conn *conn, const char *name);
    /* The URL a pool opens its connections with, when the URL as given
     * would give each connection a database of its own (SQLite's
     * "sqlite::memory:"): one database shared by the pool's connections,
     * named after tag (unique to the pool while it lives), and existing
     * while one of them is open (the pool keeps one for its whole life).
     * Leaves out empty for a URL every connection shares anyway.  NULL:
     * never. */
    int (*pool_url)(sm_cx *cx, const sm_url *url, const char *tag, sm_buf *out);
    /* Whether the database holds a transaction on conn, as the client
     * library last heard it (no I/O): SM_DB_TX_*.  The library resyncs
     * its own state from it where the two can drift (tx.c). */
    int (*in_tx)(sm_conn *conn);

    /* ---- Migrations ---- */
    /* A migration marked "-- smdl: foreign_keys=off" (a table rebuild
     * that drops and recreates a table others reference): fk_enforce
     * turns the session's enforcement of foreign keys off or on, outside
     * any transaction, and sets *was (may be NULL) to whether it was on;
     * fk_check, inside the migration's transaction before its commit,
     * fails with SM_CONSTRAINT naming the first row that violates a
     * foreign key.  NULL where a migration needs no such switch: a
     * migration of that dialect carrying the marker is refused when it is
     * read. */
    int (*fk_enforce)(sm_cx *cx, sm_conn *conn, bool on, bool *was);
    int (*fk_check)(sm_cx *cx, sm_conn *conn);

    /* Runs p's executions in order in one round trip (PostgreSQL's
     * pipeline mode), within cx; the first failure aborts the rest and
     * is the code (p->failed tells which); the connection is back to
     * normal afterwards.  NULL: they run one by one (model/pipe.c). */
    int (*pipeline)(sm_cx *cx, sm_conn *conn, sm_pipe *p);
};

/* in_tx: none; open; open but failed (only a rollback is accepted);
 * cannot tell (the connection is lost, or a statement still runs). */
enum { SM_DB_TX_UNKNOWN = -1, SM_DB_TX_NONE = 0, SM_DB_TX_OPEN, SM_DB_TX_FAILED };

/* ---- Calls (conn/) ------------------------------------------------------- */

/*
 * Every public call on a connection is bracketed by these (call.c).
 * sm_call_begin clears cx's error state, takes the connection atomically
 * and returns SM_CANCELLED, SM_TIMEOUT (both also fail an open
 * transaction), SM_MISUSE (another call running on conn, which is then
 * not touched; rows open; transaction failed and the call is not a
 * rollback) or SM_OK after registering (conn, cx).  sm_call_end
 * unregisters, ends the call's use of the scratch buffer, lets the
 * connection go, turns SM_INTERRUPTED (and SM_ERROR/SM_BUSY
 * while cancelled, SM_ERROR past the deadline) into SM_CANCELLED/
 * SM_TIMEOUT from the cx state, marks an open transaction failed after an
 * error other than SM_INVALID, SM_NOTFOUND, SM_MULTIPLE, SM_MISUSE,
 * SM_UNSUPPORTED and SM_CONFLICT (not database errors), stores the code
 * in cx and returns it.
 */
enum { SM_CALL_ANY = 0, SM_CALL_ROLLBACK = 1 };
int sm_call_begin(sm_cx *cx, sm_conn *conn, int kind);
int sm_call_end(sm_cx *cx, sm_conn *conn, int rc);
/* sm_call_begin for sm_rows_next, which runs while its own rows are
 * open. */
int sm_call_begin_rows(sm_cx *cx, sm_conn *conn);
/* The connection taken for cx by compare-and-swap (false: another call
 * holds it) and given back: the bracket's first and last steps, for rows
 * that end outside a call of their own. */
bool sm_conn_take(sm_cx *cx, sm_conn *conn);
void sm_conn_leave(sm_conn *conn);
/* The public code of rc as sm_call_end reports it (SM_INTERRUPTED and
 * friends become SM_CANCELLED / SM_TIMEOUT from the cx state), for calls
 * that open no bracket (sm_open). */
int sm_call_settle(sm_cx *cx, int rc);
/* The same code without touching cx: what a trace, which runs before
 * sm_call_end, shows. */
int sm_call_code(const sm_cx *cx, int rc);
/* Sets the message of SM_CANCELLED or SM_TIMEOUT (rc) and returns rc. */
SM_COLD int sm_call_fail_cx(sm_cx *cx, int rc);

/* Statement cache.  Generated statements are keyed by (key, variant);
 * raw SQL by its text in the LRU.  A statement returned here is marked
 * busy until sm_stmt_release. */
static inline uint64_t sm_stmt_hash(const void *key, unsigned variant)
{
    uint64_t h = (uint64_t)(uintptr_t)key * UINT64_C(0x9E3779B97F4A7C15);
    h ^= (uint64_t)variant * UINT64_C(0xC2B2AE3D27D4EB4F);
    return h ^ (h >> 31);
}
/* st, found in the cache, is taken by the caller. */
static inline sm_stmt *sm_stmt_hit(sm_conn *conn, sm_stmt *st)
{
    st->busy = true;
    st->reused = true;
    conn->stats.cache_hits++;
    return st;
}
/* sm_stmt_cached when the statement is not in the cache, or busy. */
int sm_stmt_cached_miss(sm_cx *cx, sm_conn *conn, const void *key, unsigned variant,
                        const char *sql, sm_stmt **out);
/* Inline: every call after a statement's first finds it here. */
static inline int sm_stmt_cached(sm_cx *cx, sm_conn *conn, const void *key, unsigned variant,
                                 const char *sql, sm_stmt **out)
{
    uint64_t h = sm_stmt_hash(key, variant);
    if (SM_LIKELY(conn->nbuckets != 0))
        for (sm_stmt *st = conn->buckets[(size_t)h & (conn->nbuckets - 1)]; st; st = st->chain)
            if (SM_LIKELY(st->key == key && st->variant == variant && st->hash == h)) {
                if (SM_UNLIKELY(st->busy))
                    break;
                *out = sm_stmt_hit(conn, st);
                return SM_OK;
            }
    return sm_stmt_cached_miss(cx, conn, key, variant, sql, out);
}
int sm_stmt_raw(sm_cx *cx, sm_conn *conn, const char *sql, sm_stmt **out);
/* The cached generated statement (key, variant) if it exists and is not
 * busy (then marked busy, as by sm_stmt_cached), else NULL: lets a caller
 * build the SQL text only on a miss. */
sm_stmt *sm_stmt_lookup(sm_conn *conn, const void *key, unsigned variant);
/* Finalizes every cached statement (sm_close). */
void sm_stmt_cache_free(sm_conn *conn);
/* Executes with tracing and statistics: SM_ROW, SM_DONE or an error
 * (SM_INTERRUPTED without executing when cx is already cancelled or past
 * its deadline).  On a stale-plan error (PostgreSQL 0A000/26000, MySQL
 * 1615) before any row, re-prepares once and retries. */
int sm_stmt_exec(sm_cx *cx, sm_stmt *st, const sm_value *params, size_t n);
int sm_stmt_next(sm_cx *cx, sm_stmt *st);
/* After the reset of sm_stmt_release: wipes the kept secrets and
 * destroys a statement the cache does not hold. */
void sm_stmt_drop(sm_stmt *st);
/* Resets (within the cx of the call holding the connection) and unmarks
 * busy: SM_OK or the driver's reset code. */
static inline int sm_stmt_release(sm_stmt *st)
{
    if (!st)
        return SM_OK;
    /* Within the call holding the connection (a cleanup cx of the
     * library's own for rows closed outside any call). */
    int rc = st->conn->drv->reset(__atomic_load_n(&st->conn->cx, __ATOMIC_ACQUIRE), st);
    st->busy = st->stream = st->cursor = st->reused = false;
    if (SM_UNLIKELY(st->secrets || !st->cached))
        sm_stmt_drop(st);
    return rc;
}

/* SM_MISUSE when sql holds DDL, a transaction is open and the driver
 * cannot run DDL inside one (sm_driver.tx_ddl false). */
int sm_conn_check_ddl(sm_cx *cx, sm_conn *conn, const char *sql);
/* The checks on one raw statement (sm_exec, sm_query): SQL given,
 * parameters present, no transaction control, DDL allowed here. */
int sm_raw_check(sm_cx *cx, sm_conn *conn, const char *sql, const sm_value *params, size_t n);
/* sm_close or sm_conn_reset with rows open: the rows let go of the
 * connection (taken for the purpose) and answer SM_MISUSE until
 * sm_rows_close frees them.  false, rows untouched, when a call holds the
 * connection. */
bool sm_rows_detach(sm_rows *r);
/* Runs a short statement of the library's own (BEGIN, SAVEPOINT x, ...). */
int sm_conn_simple(sm_cx *cx, sm_conn *conn, const char *sql);
/* The budget of cleanup that must run even after a cancel or past the
 * deadline (rollbacks, rows ended outside their calls, closing), and a cx
 * of the library's own with it (free it with sm_cx_free). */
#define SM_CLEANUP_MS 5000
void sm_cleanup_cx_init(sm_cx *tmp);
/* Runs a DDL script of the library's (sm_driver.ddl_script), traced. */
int sm_conn_ddl(sm_cx *cx, sm_conn *conn, const char *sql);
/* Runs a statement that must run even when the call's cx is cancelled or
 * past its deadline (rolling back what the library opened), under a cx of
 * its own with a budget of 5 seconds; the call's message is kept. */
int sm_conn_cleanup(sm_conn *conn, const char *sql);
/* Closes conn whatever owns it (sm_close on a pooled connection
 * releases it instead). */
void sm_conn_destroy(sm_conn *conn);
/* ---- The session (session.c) ----------------------------------------------- */

/* [A-Za-z0-9_]{1,63}: lock names (and savepoint names, which also may
 * not start with a digit). */
bool sm_name_valid(const char *s);
/* Ends a call's use of conn->scratch: empty, and freed when it grew past
 * SM_SCRATCH_KEEP (sm_call_end); inline for the call that left it empty. */
void sm_conn_scratch_free(sm_conn *conn);
static inline void sm_conn_scratch_done(sm_conn *conn)
{
    if (conn->scratch.cap > SM_SCRATCH_KEEP)
        sm_conn_scratch_free(conn);
    else if (conn->scratch.len)
        sm_buf_reset(&conn->scratch);
}
/* For a pool: SM_OK when the connection answers. */
int sm_conn_ping(sm_cx *cx, sm_conn *conn);
/* For a pool, before handing the connection to someone else: detaches
 * open rows, rolls back, restores the session (sm_driver.reset_session)
 * when something may have changed it (session_dirty, locks held),
 * forgets savepoints and locks; the statement cache stays.  An error
 * means the connection should be closed. */
int sm_conn_reset(sm_cx *cx, sm_conn *conn);
/* Whether sm_conn_reset has anything to do: rows or a transaction open
 * (in the library's view or the database's), savepoints, locks, or a
 * session raw SQL may have changed.  No I/O. */
bool sm_conn_needs_reset(sm_conn *conn);
/* For a migration runner: a named lock between connections to one
 * database, taken outside transactions, held until sm_conn_unlock, a
 * reset or sm_close.  Waits until the cx deadline (SM_TIMEOUT). */
int sm_conn_lock(sm_cx *cx, sm_conn *conn, const char *name);
int sm_conn_unlock(sm_cx *cx, sm_conn *conn, const char *name);

/* Opens a transaction, or a savepoint when one is open, around a
 * multi-statement generated function; sm_auto_tx_end commits/releases
 * (rc == SM_OK) or rolls back (its savepoint only: the caller's
 * transaction then fails by the code, as after any call).  *token keeps
 * what was opened. */
int sm_auto_tx_begin(sm_cx *cx, sm_conn *conn, int *token);
int sm_auto_tx_end(sm_cx *cx, sm_conn *conn, int token, int rc);
/* Marks an open transaction failed at the current savepoint depth (those
 * open survive for sm_rollback_to). */
void sm_tx_fail(sm_conn *conn);
/* The transaction's state after a call that returned rc (sm_call_end):
 * failed after a database error, a timeout or a cancel, and resynced
 * with the database's (drv->in_tx) when the error ended or aborted the
 * transaction there. */
void sm_tx_settle(sm_conn *conn, int rc);

#endif
