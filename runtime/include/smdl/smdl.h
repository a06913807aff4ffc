/*
 * smdl.h: the public API of libsmdl, the runtime under smc's generated code.
 *
 * Ownership, once for the whole library:
 *  - Functions never keep pointers they were given after returning, except
 *    where a comment says so (sm_conn_set_trace keeps fn and ud).
 *  - Results (strings, lists) live in the caller's sm_arena; sm_arena_free
 *    releases them all.  sm_buf owns data; sm_errors owns its strings.
 *  - Every *_free / sm_close function accepts NULL (or a zeroed object).
 *  - Nothing in libsmdl prints, exits or aborts.
 *
 * NULL arguments (docs/c-api.md, "NULL arguments"), once for the whole
 * library: a function returning a code returns SM_MISUSE for a NULL
 * pointer argument, with the message in cx when it takes a cx (a NULL cx
 * has nowhere to hold one: sm_cx_errmsg(NULL) says so), and an output it
 * was given is cleared as on any failure.  The exceptions are in the
 * comments below, marked "NULL:": pointers that may be NULL, and what
 * functions that return no code answer for NULL.  A pointer with a length
 * (text, bytes, a list) may be NULL when the length is 0.
 *
 * Threads: an sm_conn, an sm_cx and an sm_arena belong to one thread at a
 * time; sm_cx_cancel may be called from any thread.  Process-global state
 * is listed in docs/architecture.md ("Process-global state").
 */
#ifndef SMDL_SMDL_H
#define SMDL_SMDL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define SMDL_VERSION "0.1.0"
#define SMDL_VERSION_NUMBER 100 /* major * 10000 + minor * 100 + patch */
/* Generated code checks this and refuses other values with #error: the
 * descriptor layout (smdl/desc.h) is what it depends on. */
#define SMDL_GENERATED_ABI 6

/* Only the API below is exported from the shared library. */
#if defined(SMDL_BUILDING) && defined(__GNUC__)
#define SM_API __attribute__((visibility("default")))
#else
#define SM_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Result codes ------------------------------------------------------ */

/* Statuses are >= 0, errors are negative; the numbers are stable. */
enum {
    SM_OK = 0,
    SM_ROW = 100,         /* sm_rows_next: a row is ready */
    SM_DONE = 101,        /* sm_rows_next: no more rows */
    SM_NOTFOUND = -1,     /* no row where one was required */
    SM_MULTIPLE = -2,     /* several rows where exactly one was required */
    SM_CONSTRAINT = -3,   /* unique, foreign key, check or not-null violation */
    SM_INVALID = -4,      /* validation failed: sm_cx_errors() */
    SM_TIMEOUT = -5,      /* the cx deadline passed */
    SM_CANCELLED = -6,    /* sm_cx_cancel was called */
    SM_CONN = -7,         /* connection failed or was lost */
    SM_BUSY = -8,         /* database locked past the deadline */
    SM_MIGRATION = -9,    /* migration refused or failed */
    SM_MISUSE = -10,      /* API used wrongly (the message says how) */
    SM_NOMEM = -11,       /* out of memory */
    SM_ERROR = -12,       /* any other database error */
    SM_RETRY = -13,       /* serialization failure or deadlock; rolled back */
    SM_CONFLICT = -14,    /* optimistic concurrency conflict */
    SM_UNSUPPORTED = -15, /* not available on this database */
};

/* A static English name and description of a code: "SM_NOTFOUND: no row". */
SM_API const char *sm_strerror(int code);

/* ---- Value types of the smdl types (DESIGN 3.3) ------------------------- */

typedef int64_t sm_decimal;  /* decimal(p,s): the value times 10^s */
typedef int32_t sm_date;     /* days since 1970-01-01 (proleptic Gregorian) */
typedef int64_t sm_time;     /* microseconds since midnight, [0, 86400e6) */
typedef int64_t sm_datetime; /* microseconds since 1970-01-01T00:00:00Z */
typedef struct sm_uuid {
    uint8_t b[16];
} sm_uuid;
typedef struct sm_bytes {
    const uint8_t *data; /* NULL: SQL NULL (nullable fields) */
    size_t len;
} sm_bytes;
typedef enum sm_dir { SM_ASC = 0, SM_DESC = 1 } sm_dir;

/* Buffer sizes of the formatters below, NUL included. */
#define SM_DATE_BUFSZ 16     /* "-YYYYYY-MM-DD" at the extremes */
#define SM_TIME_BUFSZ 16     /* "HH:MM:SS.ffffff" */
#define SM_DATETIME_BUFSZ 40 /* "YYYY-MM-DDTHH:MM:SS.ffffffZ" */
#define SM_DECIMAL_BUFSZ 24  /* "-9223372036854775808" with a point */
#define SM_UUID_BUFSZ 37     /* 8-4-4-4-12 lowercase */

/* Each formatter writes a NUL-terminated string and returns its length.
 * NULL: a NULL buf gets nothing and the length is 0; sm_uuid_format of a
 * NULL u writes "". */
SM_API size_t sm_date_format(sm_date d, char *buf);
SM_API size_t sm_time_format(sm_time t, char *buf); /* fraction always 6 digits */
/* SM_DT_SQL: "YYYY-MM-DD HH:MM:SS.ffffff" (the storage form);
 * SM_DT_ISO: "YYYY-MM-DDTHH:MM:SS.ffffffZ" (JSON). */
enum { SM_DT_SQL = 0, SM_DT_ISO = 1 };
SM_API size_t sm_datetime_format(sm_datetime v, int style, char *buf);
SM_API size_t sm_decimal_format(sm_decimal v, int scale, char *buf);
SM_API size_t sm_uuid_format(const sm_uuid *u, char *buf);

/* Parsers return SM_OK or SM_INVALID and never read past s[n); *out is
 * written only on SM_OK.  NULL: s may be NULL when n is 0 (the empty
 * text: SM_INVALID); a NULL out, or a NULL s with n > 0, is SM_MISUSE.  They
 * accept exactly what the formatters write, plus: dates and datetimes
 * without a fraction or with 1-6 fraction digits, 'T' or ' ' between date
 * and time, and a trailing "Z", "+00", "+00:00" or other "+HH[:MM]" offset
 * (converted to UTC).  sm_decimal_parse rejects more than `scale` fraction
 * digits and values beyond `precision` digits. */
SM_API int sm_date_parse(const char *s, size_t n, sm_date *out);
SM_API int sm_time_parse(const char *s, size_t n, sm_time *out);
SM_API int sm_datetime_parse(const char *s, size_t n, sm_datetime *out);
SM_API int sm_decimal_parse(const char *s, size_t n, int precision, int scale, sm_decimal *out);
SM_API int sm_uuid_parse(const char *s, size_t n, sm_uuid *out);

SM_API sm_date sm_date_from_ymd(int year, int month, int day);
/* NULL: each of year, month, day may be NULL (not written). */
SM_API void sm_date_to_ymd(sm_date d, int *year, int *month, int *day);
SM_API sm_datetime sm_datetime_now(void);   /* CLOCK_REALTIME, microseconds */
SM_API int sm_uuid_v4(sm_uuid *out); /* random (getrandom); SM_OK or SM_ERROR */

/* ---- Arena ---------------------------------------------------------------- */

/* Results of generated functions live in an arena: a list of blocks,
 * freed together.  Zero-initialise it (SM_ARENA_INIT) or sm_arena_init. */
typedef struct sm_arena {
    struct sm_arena_block *head; /* current block, linked to older ones */
    size_t block_size;           /* 0: 8 KiB; later blocks double, to 1 MiB */
    size_t blocks;               /* number of blocks allocated (tests use it) */
} sm_arena;
#define SM_ARENA_INIT {NULL, 0, 0}

/* NULL: a NULL a is left alone. */
SM_API void sm_arena_init(sm_arena *a, size_t block_size);
/* 16-byte aligned, uninitialised; NULL on out of memory or n == 0.
 * NULL: every allocator returns NULL for a NULL a. */
SM_API void *sm_arena_alloc(sm_arena *a, size_t n);
SM_API void *sm_arena_zalloc(sm_arena *a, size_t n);
/* A distinct non-NULL pointer even for n == 0 (empty bytes are not SQL
 * NULL).  NULL: p may be NULL when n is 0; a NULL p with n > 0 gives NULL. */
SM_API void *sm_arena_memdup(sm_arena *a, const void *p, size_t n);
/* Copies s[0..n) and appends a NUL.  NULL: s may be NULL when n is 0
 * (gives ""); a NULL s with n > 0 gives NULL. */
SM_API char *sm_arena_strndup(sm_arena *a, const char *s, size_t n);
/* Frees every block; the arena stays usable (as if just initialised). */
SM_API void sm_arena_free(sm_arena *a);
/* Empties the arena for reuse, keeping its memory: everything allocated
 * from it is gone, and the blocks become one block as large as they were
 * together (at most 64 MiB; beyond that they are freed).  A loop that
 * reads into an arena and resets it settles after the first rounds into
 * no malloc, free or page fault per round.  NULL: a NULL a is left alone. */
SM_API void sm_arena_reset(sm_arena *a);

/* ---- Growing buffer --------------------------------------------------------- */

/* data is heap memory owned by the buffer; data[len] == 0 whenever
 * data != NULL. */
typedef struct sm_buf {
    char *data;
    size_t len, cap;
} sm_buf;
#define SM_BUF_INIT {NULL, 0, 0}

/* The appenders return SM_OK or SM_NOMEM, and SM_MISUSE for a NULL b, s
 * or fmt (b unchanged).  NULL: p may be NULL when n is 0 (nothing is
 * appended). */
SM_API int sm_buf_append(sm_buf *b, const void *p, size_t n);
SM_API int sm_buf_puts(sm_buf *b, const char *s);
SM_API int sm_buf_putc(sm_buf *b, char c);
SM_API int sm_buf_printf(sm_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
SM_API void sm_buf_reset(sm_buf *b); /* len = 0, memory kept; NULL: nothing */
SM_API void sm_buf_free(sm_buf *b);

/* ---- Field errors (validation and JSON) ------------------------------------ */

/* path: "name", "teams[2].name", "" for the whole document; code: one of
 * "required" "type" "too_short" "too_long" "out_of_range" "pattern" "enum"
 * "finite" "check" "unknown_field" "duplicate_key" "json_syntax" "depth"
 * (static strings); msg: English, for people. */
typedef struct sm_error {
    char *path;
    const char *code;
    char *msg;
} sm_error;
typedef struct sm_errors {
    sm_error *items;
    size_t len, cap;
} sm_errors;
#define SM_ERRORS_INIT {NULL, 0, 0}

/* SM_OK, SM_NOMEM, or SM_MISUSE for a NULL e, code or fmt.  NULL: path
 * may be NULL (stored as ""). */
SM_API int sm_errors_add(sm_errors *e, const char *path, const char *code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
SM_API void sm_errors_clear(sm_errors *e); /* len = 0, memory kept; NULL: nothing */
SM_API void sm_errors_free(sm_errors *e);

/* ---- Context: deadline, cancellation, errors (DESIGN 4.1) ------------------ */

#define SM_CX_SIZE 1024
/* Fixed size and opaque; never copy an initialised sm_cx. */
typedef struct sm_cx {
    union {
        unsigned char bytes[SM_CX_SIZE];
        long double ld;
        void *p;
        int64_t i;
    } opaque;
} sm_cx;

/* NULL: sm_cx_init, sm_cx_free, sm_cx_set_timeout_ms, sm_cx_set_deadline
 * and sm_cx_cancel do nothing for a NULL cx. */
SM_API void sm_cx_init(sm_cx *cx);
SM_API void sm_cx_free(sm_cx *cx);
/* Deadline = now + ms for every later call; ms <= 0 clears it. */
SM_API void sm_cx_set_timeout_ms(sm_cx *cx, int64_t ms);
/* An absolute CLOCK_MONOTONIC deadline.  NULL: a NULL mono clears it. */
SM_API void sm_cx_set_deadline(sm_cx *cx, const struct timespec *mono);
/* From any thread, until sm_cx_free begins.  Sticky: every later call on
 * cx returns SM_CANCELLED.  Interrupts the call running on cx, if any. */
SM_API void sm_cx_cancel(sm_cx *cx);
SM_API bool sm_cx_cancelled(const sm_cx *cx); /* NULL: false */
/* The last error's message ("" after success); never NULL; valid until the
 * next call that uses cx.  Never contains a password, nor a value flagged
 * SM_V_SECRET of the statement that failed (it reads ***).  The accessors
 * answer for a NULL cx as for the calls given none, which all returned
 * SM_MISUSE.  NULL: sm_cx_errmsg gives the static "no context: cx is
 * NULL", sm_cx_errcode SM_MISUSE, sm_cx_errors an empty list and
 * sm_cx_constraint kind SM_CK_NONE (all static, never NULL). */
SM_API const char *sm_cx_errmsg(const sm_cx *cx);
SM_API int sm_cx_errcode(const sm_cx *cx); /* the last call's code */
/* Field errors of the last SM_INVALID. */
SM_API const sm_errors *sm_cx_errors(const sm_cx *cx);

typedef enum sm_constraint_kind {
    SM_CK_NONE = 0,
    SM_CK_UNIQUE,
    SM_CK_FK,
    SM_CK_CHECK,
    SM_CK_NOT_NULL,
} sm_constraint_kind;
/* After SM_CONSTRAINT: what was violated.  name is the constraint's name
 * where the database reports it, columns a comma-separated list where it
 * can be told (SQLite reports no name for a foreign key: columns are then
 * every FK column of the table).  Strings live in cx. */
typedef struct sm_constraint {
    sm_constraint_kind kind;
    const char *table;   /* or NULL */
    const char *name;    /* or NULL */
    const char *columns; /* or NULL */
} sm_constraint;
SM_API const sm_constraint *sm_cx_constraint(const sm_cx *cx);
SM_API const char *sm_constraint_kind_name(sm_constraint_kind k); /* "unique" ... */

/* ---- Connections, values, raw SQL (DESIGN 4.3) ------------------------------ */

typedef enum sm_dialect { SM_SQLITE = 0, SM_POSTGRES = 1, SM_MYSQL = 2 } sm_dialect;
#define SM_NDIALECTS 3

typedef struct sm_conn sm_conn;
typedef struct sm_rows sm_rows;

/* Opens a connection.  URLs: "sqlite:path", "sqlite::memory:",
 * "sqlite:file:...?mode=ro", "postgres://user:pass@host:port/db?k=v",
 * "postgresql://...", "postgres:" + a libpq keyword string,
 * "mysql://..." or "mariadb://user:pass@host:port/db?socket=...&ssl-mode=...".
 * *out is NULL on failure; the reason is in cx.  A NULL cx, url or out is
 * SM_MISUSE. */
SM_API int sm_open(sm_cx *cx, const char *url, sm_conn **out);
SM_API void sm_close(sm_conn *conn);
/* NULL: (sm_dialect)SM_NDIALECTS, which is no dialect. */
SM_API sm_dialect sm_conn_dialect(const sm_conn *conn);
/* The URL the connection was opened with, password replaced by "***".
 * NULL: "". */
SM_API const char *sm_conn_url(const sm_conn *conn);

/* Parameters of raw SQL.  Kinds above SM_VBLOB are used by generated code
 * only (smdl/desc.h). */
enum {
    SM_VNULL = 0,
    SM_VBOOL,
    SM_VINT,
    SM_VREAL,
    SM_VTEXT,
    SM_VBLOB,
};
/* Value flags.  SM_V_SECRET: the value never appears in a trace or a
 * message (docs/c-api.md, "Secret values").  Generated code sets it for
 * every value of an @secret field or argument; raw SQL sets it with
 * sm_secret(). */
enum { SM_V_SECRET = 1 << 0 };
typedef struct sm_value {
    int kind;
    unsigned flags; /* SM_V_*; sits in what was padding: the size is unchanged */
    size_t len;     /* bytes of text/blob; elements of lists */
    union {
        int64_t i;
        double d;
        const void *p;
    } u;
} sm_value;

/* Every constructor gives flags 0. */
static inline sm_value sm_null(void)
{
    sm_value v;
    v.kind = SM_VNULL;
    v.flags = 0;
    v.len = 0;
    v.u.i = 0;
    return v;
}
static inline sm_value sm_bool(bool b)
{
    sm_value v = sm_null();
    v.kind = SM_VBOOL;
    v.u.i = b ? 1 : 0;
    return v;
}
static inline sm_value sm_int(int64_t i)
{
    sm_value v = sm_null();
    v.kind = SM_VINT;
    v.u.i = i;
    return v;
}
static inline sm_value sm_real(double d)
{
    sm_value v = sm_null();
    v.kind = SM_VREAL;
    v.u.d = d;
    return v;
}
/* s[0..n): not NUL-terminated, may not contain a NUL. */
static inline sm_value sm_textn(const char *s, size_t n)
{
    sm_value v = sm_null();
    if (s) {
        v.kind = SM_VTEXT;
        v.len = n;
        v.u.p = s;
    }
    return v;
}
static inline sm_value sm_text(const char *s)
{
    size_t n = 0;
    if (s)
        while (s[n])
            n++;
    return sm_textn(s, n);
}
static inline sm_value sm_blob(const void *p, size_t n)
{
    sm_value v = sm_null();
    v.kind = SM_VBLOB;
    v.len = n;
    v.u.p = p ? p : (const void *)"";
    return v;
}
/* v marked secret: sm_exec(cx, conn, sql, (sm_value[]){sm_text(name),
 * sm_secret(sm_text(password))}, 2, NULL). */
static inline sm_value sm_secret(sm_value v)
{
    v.flags |= SM_V_SECRET;
    return v;
}

/* The calls on a connection (sm_exec ... sm_rollback_to) return SM_MISUSE
 * for a NULL cx, conn or sql (and savepoint name), and leave the
 * connection and its transaction as they were.  NULL: params may be NULL
 * when n is 0. */

/* One statement, "?" placeholders in every dialect ("??" is a literal "?").
 * Result rows are discarded.  *affected (may be NULL) = rows matched. */
SM_API int sm_exec(sm_cx *cx, sm_conn *conn, const char *sql, const sm_value *params, size_t n,
            int64_t *affected);
/* Several statements separated by ";", no parameters. */
SM_API int sm_exec_script(sm_cx *cx, sm_conn *conn, const char *sql);
/* Starts a query; *out is NULL on failure (SM_MISUSE for a NULL out).
 * While it is open, every other call on conn returns SM_MISUSE.  cx must
 * outlive the rows. */
SM_API int sm_query(sm_cx *cx, sm_conn *conn, const char *sql, const sm_value *params, size_t n,
             sm_rows **out);
/* SM_ROW, SM_DONE or an error.  Column pointers stay valid until the next
 * sm_rows_next or sm_rows_close.  The accessors below read the current
 * row; out of range, before a row or after the end, and for a NULL r,
 * they answer as for SQL NULL: 0 columns, a NULL name, true, 0, 0.0,
 * NULL, NULL with *len 0.  NULL: sm_rows_next(NULL) is SM_MISUSE; len may
 * be NULL. */
SM_API int sm_rows_next(sm_rows *r);
SM_API int sm_rows_ncols(sm_rows *r);
SM_API const char *sm_rows_name(sm_rows *r, int col);
SM_API bool sm_rows_is_null(sm_rows *r, int col);
SM_API int64_t sm_rows_int(sm_rows *r, int col);
SM_API double sm_rows_real(sm_rows *r, int col);
SM_API const char *sm_rows_text(sm_rows *r, int col); /* NULL for SQL NULL */
SM_API const void *sm_rows_blob(sm_rows *r, int col, size_t *len);
SM_API void sm_rows_close(sm_rows *r);

/* ---- Transactions (DESIGN 4.4) ---------------------------------------------- */

/* After a database error, timeout or cancel inside a transaction, every
 * call but sm_rollback (and sm_rollback_to a surviving savepoint) returns
 * SM_MISUSE.  Names: [A-Za-z_][A-Za-z0-9_]{0,62}. */
SM_API int sm_begin(sm_cx *cx, sm_conn *conn);
SM_API int sm_commit(sm_cx *cx, sm_conn *conn);
SM_API int sm_rollback(sm_cx *cx, sm_conn *conn);
SM_API int sm_savepoint(sm_cx *cx, sm_conn *conn, const char *name);
SM_API int sm_release(sm_cx *cx, sm_conn *conn, const char *name);
SM_API int sm_rollback_to(sm_cx *cx, sm_conn *conn, const char *name);
SM_API bool sm_in_transaction(const sm_conn *conn); /* NULL: false */

/* ---- Observability ------------------------------------------------------------ */

typedef struct sm_trace {
    const char *sql;       /* as sent (placeholders, never values) */
    /* The values bound, except that each one flagged SM_V_SECRET is
     * replaced by the text "***" (kind SM_VTEXT, len 3), still flagged.
     * NULL with nparams 0 when there was no memory to make that copy. */
    const sm_value *params;
    size_t nparams;
    int64_t duration_ns;
    int rc;                /* the call's code */
    int64_t rows;          /* rows returned or matched, -1 unknown */
    bool cached;           /* the prepared statement came from the cache */
} sm_trace;
/* fn is called after every statement; it is kept until replaced (NULL
 * removes it).  SMDL_ECHO=1 in the environment installs sm_trace_stderr at
 * open.  NULL: ud may be NULL; a NULL conn is left alone. */
SM_API void sm_conn_set_trace(sm_conn *conn, void (*fn)(void *ud, const sm_trace *t), void *ud);
/* Prints t to stderr; a value flagged SM_V_SECRET prints as ***.  NULL:
 * ud is unused; a NULL t prints nothing. */
SM_API void sm_trace_stderr(void *ud, const sm_trace *t);

typedef struct sm_conn_stats {
    uint64_t statements; /* statements executed */
    uint64_t prepares;   /* statements prepared */
    uint64_t cache_hits; /* executions that reused a cached statement */
    uint64_t evictions;  /* statements evicted from the raw-SQL LRU */
    uint64_t round_trips;/* client/server exchanges (0 on SQLite) */
} sm_conn_stats;
SM_API sm_conn_stats sm_conn_stat(const sm_conn *conn); /* NULL: all 0 */

/* ---- Pool (DESIGN 4.6) ------------------------------------------------------------ */

/* Thread-safe: any thread may acquire and release.  A pooled connection
 * belongs to its borrower until released (sm_pool_release or sm_close);
 * running statements on it never touches the pool's lock.  In the
 * options 0 is the default and -1 unlimited or off:
 *   min_conns              0      opened by sm_pool_open; idle_timeout_ms
 *                                 never closes below this many
 *   max_conns              8      -1: unlimited
 *   max_lifetime_ms        1800000  (30 min) a connection older is closed
 *                                 at release or checkout and replaced
 *   idle_timeout_ms        600000 (10 min) idle longer is closed
 *   health_check_after_ms  1000   idle longer is pinged at checkout; a
 *                                 dead one is replaced within the deadline
 * reserved must be zero.  Other negative values, or min_conns above
 * max_conns, are SM_MISUSE. */
typedef struct sm_pool sm_pool;
typedef struct sm_pool_opts {
    int min_conns, max_conns;
    int max_lifetime_ms, idle_timeout_ms, health_check_after_ms;
    int reserved[8];
} sm_pool_opts;
/* A snapshot taken under the pool's lock: open == idle + in_use always
 * (connections being opened are in none of them). */
typedef struct sm_pool_stats {
    int open, idle, in_use, waiters;
    uint64_t created;        /* connections opened */
    uint64_t recycled;       /* closed for max_lifetime_ms or idle_timeout_ms */
    uint64_t failed_checks;  /* pings at checkout that failed */
    uint64_t reset_failures; /* releases whose reset failed (closed) */
    uint64_t acquires;       /* successful acquires */
    uint64_t timeouts;       /* acquires that ended with SM_TIMEOUT */
    uint64_t wait_ns_total;  /* time acquires spent queued */
} sm_pool_stats;
/* NULL on failure, the reason in cx (a NULL url or bad options:
 * SM_MISUSE; min_conns that cannot be opened: that error). */
SM_API sm_pool *sm_pool_open(sm_cx *cx, const char *url, const sm_pool_opts *opts);
/* A connection in *out (NULL on failure).  Waits in FIFO order up to the
 * cx deadline (SM_TIMEOUT); sm_cx_cancel from another thread ends the
 * wait (SM_CANCELLED); sm_pool_close ends it with SM_CONN. */
SM_API int sm_pool_acquire(sm_cx *cx, sm_pool *p, sm_conn **out);
/* Resets conn (rolls back, restores the session, closes open rows,
 * removes a trace callback set by the borrower; the statement cache
 * stays) within a budget of 5 s, or closes it, then gives it to the
 * first waiter or keeps it idle.  sm_close(conn) does the same.  NULL
 * p or conn, or a conn of another pool: nothing. */
SM_API void sm_pool_release(sm_pool *p, sm_conn *conn);
/* Closes the idle connections, fails the waiters with SM_CONN and frees
 * the pool when the last borrowed connection comes back.  NULL: nothing. */
SM_API void sm_pool_close(sm_pool *p);
SM_API sm_pool_stats sm_pool_stat(const sm_pool *p); /* NULL: all 0 */
/* Runs fn in a transaction on a connection of p, up to max_attempts
 * times: each attempt acquires, sm_begin, fn, then sm_commit when fn
 * returns SM_OK (a rollback otherwise), and releases.  Only SM_RETRY
 * (from fn or the commit) is retried, after a jittered exponential
 * backoff (2 ms doubling up to 500 ms, drawn in [bound/2, bound]) that
 * never sleeps past the cx deadline: when the backoff would, the last
 * SM_RETRY is returned.  Any other code, fn's own included, is returned
 * unchanged; sm_cx_cancel wakes the backoff (SM_CANCELLED).  NULL cx, p
 * or fn, or max_attempts < 1: SM_MISUSE. */
SM_API int sm_retry_tx(sm_cx *cx, sm_pool *p, int (*fn)(sm_cx *cx, sm_conn *conn, void *ud), void *ud,
                       int max_attempts);

/* ---- Migrations (docs/migrations.md) ---------------------------------------- */

/*
 * The migrations of one module, in ascending versions: the embedded ones
 * of a generated module (`<module>_migrate`), or a directory read by
 * sm_migrations_read.  module names the rows of smdl_migrations they are
 * tracked by (the schema's `module` name).
 */
typedef struct sm_migration sm_migration;
typedef struct sm_migration_set {
    const char *module;
    const sm_migration *const *items;
    size_t len;
    /* sm_migrations_read: every file it read (sums first when present,
     * then each migration's in ascending versions), for a build's
     * dependency list; NULL and 0 elsewhere. */
    const char *const *files;
    size_t nfiles;
    /* Called (when not NULL) after each migration a run applied, or
     * reverted (down), with how long it took: what this run did, and not
     * another process. */
    void (*progress)(void *ud, const sm_migration *m, bool down, int64_t duration_ms);
    void *progress_ud;
} sm_migration_set;

/*
 * Reads a migrations directory: NNNN_name/{sqlite,postgres,mysql}.
 * {up,down}.sql for every migration (NNNN four digits, 0001 to 9999,
 * name [a-z0-9_]+), plus optionally `sums` (lines "NNNN_name/FILE <16 hex
 * digits of FNV-1a 64>"; every migration file must then be listed with
 * its current checksum) and `schema.snapshot`, which are the only other
 * entries allowed (names starting with '.' are ignored).  A script may
 * hold no transaction control, and only the databases with a use for it
 * (SQLite) take the first line "-- smdl: foreign_keys=off".  Everything,
 * set->module excepted (NULL: the caller names the module), lives in
 * arena.  SM_MIGRATION with a message naming the file or entry at fault,
 * SM_NOMEM; set is zeroed on failure.
 */
SM_API int sm_migrations_read(sm_cx *cx, const char *dir, sm_arena *arena,
                              sm_migration_set *set);

/*
 * Applies the pending migrations of set in ascending order.  The runner
 * creates the table smdl_migrations when it is missing, holds a lock
 * between connections to the database while it works (two processes
 * migrating at once: one waits until the cx deadline, then sees the
 * other's work), runs each migration and records it in one transaction
 * where the database runs DDL transactionally, and refuses, with
 * SM_MIGRATION and a message naming the migration, before running
 * anything: a migration recorded as applied whose checksum differs from
 * its up script's, one recorded as failed (a database whose DDL commits
 * by itself stopped partway), an applied version this set lacks below
 * its last, or a pending version below an applied one.  A migration that
 * fails is SM_MIGRATION, the database's reason in the message: rolled back
 * where DDL is transactional (the database stays at the previous
 * version); elsewhere recorded as failed, and every later run refuses
 * until it is resolved by hand (docs/migrations.md).  Called outside a
 * transaction (SM_MISUSE otherwise).
 */
SM_API int sm_migrate_up(sm_cx *cx, sm_conn *conn, const sm_migration_set *set);
/* Reverts the applied migrations above version `to`, newest first, with
 * their down scripts (to 0: all of them); the same lock, transactions
 * and refusals as sm_migrate_up, and an applied migration set lacks is
 * refused.  Nothing above `to`: SM_OK, nothing done. */
SM_API int sm_migrate_down(sm_cx *cx, sm_conn *conn, const sm_migration_set *set, uint32_t to);

/* The state of one migration, as sm_migrate_status reports it. */
typedef enum sm_migration_state {
    SM_MIG_PENDING = 0, /* in the set, not applied */
    SM_MIG_APPLIED,     /* applied, and unchanged since */
    SM_MIG_CHANGED,     /* applied, but its up script changed since */
    SM_MIG_FAILED,      /* started and failed partway (recorded; needs repair) */
    SM_MIG_UNKNOWN,     /* applied, and not in the set (a newer program's) */
} sm_migration_state;
typedef struct sm_migration_status {
    uint32_t version;
    const char *name;
    sm_migration_state state;
    const char *applied_at; /* UTC "YYYY-MM-DD HH:MM:SS.ffffff"; NULL when pending */
    int64_t duration_ms;    /* -1 when pending */
    const char *error;      /* SM_MIG_FAILED: the database's reason; else NULL */
} sm_migration_status;
typedef struct sm_migration_status_list {
    sm_migration_status *items; /* ascending versions */
    size_t len;
} sm_migration_status_list;
SM_API const char *sm_migration_state_name(sm_migration_state s); /* "pending" ... */
/* Every migration of set and every one recorded for set->module, in
 * ascending versions, without changing the database (no lock; a missing
 * smdl_migrations means nothing is applied).  Strings live in arena. */
SM_API int sm_migrate_status(sm_cx *cx, sm_conn *conn, const sm_migration_set *set,
                             sm_arena *arena, sm_migration_status_list *out);

#ifdef __cplusplus
}
#endif

#include <smdl/desc.h>

#endif
