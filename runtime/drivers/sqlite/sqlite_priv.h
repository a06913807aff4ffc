/*
 * sqlite_priv.h: what the files of the SQLite driver share (sqlite.c,
 * sqlite_session.c).  Nothing here leaves the driver.
 */
#ifndef SMDL_SQLITE_PRIV_H
#define SMDL_SQLITE_PRIV_H

#include "internal.h"

#include <sqlite3.h>
#include "sqlite_api.h"

/* A migration lock the session holds: a lock file beside the database,
 * held with flock (fd -1 for an in-memory database, which no other
 * connection can reach). */
typedef struct sq_lock {
    char *name;
    int fd;
} sq_lock;

typedef struct sq_conn {
    sm_conn base;
    sqlite3 *db;
    sm_cx *active;      /* cx of the driver call running, or NULL */
    int64_t busy_since; /* start of the current busy wait */
    sq_lock *locks;
    size_t nlocks, caplocks;
} sq_conn;

typedef struct sq_stmt {
    sm_stmt base;
    sqlite3_stmt *st;
    int64_t changes; /* rows changed by the last completed execution */
    int64_t total;   /* sqlite3_total_changes64 before it */
} sq_stmt;

extern const sm_driver sm_driver_sqlite;
extern const sm_sql_rules sm_sq_rules;
extern const sm_url_spec sm_sq_url;
/* The settings every connection gets (DESIGN 5.2), and gets back on reset. */
extern const char sm_sq_session_sql[];

/* Maps an (extended) SQLite code and message onto an smdl code and sets
 * cx's message. */
SM_COLD int sm_sq_error(sm_cx *cx, int rc, const char *msg);

/* ---- sqlite_session.c ---- */
int sm_sq_exec_script(sm_cx *cx, sm_conn *conn, const char *sql);
void sm_sq_bind_decimal(sm_decimal v, int scale, sm_value *out, char *txt);
int sm_sq_get_decimal(sm_stmt *st, int col, int precision, int scale, sm_decimal *out);
int sm_sq_list_value(sm_buf *out, bool ints, const void *items, size_t n);
int sm_sq_ping(sm_cx *cx, sm_conn *conn);
int sm_sq_in_tx(sm_conn *conn);
/* A pool over "sqlite::memory:" shares one in-memory database (memdb). */
int sm_sq_pool_url(sm_cx *cx, const sm_url *url, const char *tag, sm_buf *out);
int sm_sq_reset(sm_cx *cx, sm_conn *conn);
int sm_sq_lock(sm_cx *cx, sm_conn *conn, const char *name);
int sm_sq_unlock(sm_cx *cx, sm_conn *conn, const char *name);
/* Releases every lock (close). */
void sm_sq_locks_free(sq_conn *c);
int sm_sq_fk_enforce(sm_cx *cx, sm_conn *conn, bool on, bool *was);
int sm_sq_fk_check(sm_cx *cx, sm_conn *conn);

#endif
