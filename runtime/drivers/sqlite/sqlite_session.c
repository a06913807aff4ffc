/*
 * sqlite_session.c: the SQLite driver's values, scripts and session
 * entries.
 *
 * Values: a decimal(p,s) is stored as an INTEGER scaled by 10^s (DESIGN
 * 3.3), and a list argument binds as one JSON array for json_each.
 *
 * Reset (a pool's release): rolls back an open transaction, drops the
 * session's temporary tables, views and triggers, applies the connection
 * settings again (a user may have turned foreign keys off) and releases
 * the migration locks.  Prepared statements stay.
 *
 * The migration lock: SQLite has no named locks, and a write transaction
 * would block the migration itself, so the lock is a file beside the
 * database, "<database>-lock-<name>", held with flock(2).  flock locks
 * belong to the open file, so two connections of one process exclude
 * each other as two processes do, and the kernel drops the lock when the
 * process ends.  The file stays (removing it would race with a waiter).
 * An in-memory database has no file and no other connection that could
 * migrate it: its lock is always granted.
 *
 * Migrations that rebuild a table (create the new one, copy, drop the
 * old, rename) run with foreign keys off, or dropping a parent would
 * cascade; the runner checks every foreign key before committing.
 */
#include "sqlite_priv.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

/* ---- Scripts --------------------------------------------------------------- */

static int run(sm_cx *cx, sq_conn *c, const char *sql)
{
    char *err = NULL;
    c->active = cx;
    int rc = sqlite3_exec(c->db, sql, NULL, NULL, &err);
    c->active = NULL;
    if (rc == SQLITE_OK)
        return SM_OK;
    rc = sm_sq_error(cx, rc, err);
    sqlite3_free(err);
    return rc;
}

/* Scripts of the library and of users.  A ROLLBACK of the library's when
 * SQLite has already rolled the transaction back itself (after an
 * interrupt, SQLITE_FULL, SQLITE_IOERR, ...) succeeds: there is nothing
 * left to undo. */
int sm_sq_exec_script(sm_cx *cx, sm_conn *conn, const char *sql)
{
    sq_conn *c = (sq_conn *)conn;
    if (strcmp(sql, "ROLLBACK") == 0 && sqlite3_get_autocommit(c->db))
        return SM_OK;
    return run(cx, c, sql);
}

/* ---- Values ------------------------------------------------------------------ */

void sm_sq_bind_decimal(sm_decimal v, int scale, sm_value *out, char *txt)
{
    (void)scale;
    (void)txt;
    *out = sm_int(v);
}

int sm_sq_get_decimal(sm_stmt *st, int col, int precision, int scale, sm_decimal *out)
{
    (void)precision;
    (void)scale;
    *out = sqlite3_column_int64(((sq_stmt *)st)->st, col);
    return SM_OK;
}

static int put_json_string(sm_buf *b, const char *s)
{
    int rc = sm_buf_putc(b, '"');
    for (; *s && rc == SM_OK; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            rc = sm_buf_printf(b, "\\%c", c);
        else if (c < 0x20)
            rc = sm_buf_printf(b, "\\u%04x", c);
        else
            rc = sm_buf_putc(b, (char)c);
    }
    return rc == SM_OK ? sm_buf_putc(b, '"') : rc;
}

/* [1,2,3] or ["a","b"] for `IN (SELECT value FROM json_each(?))`. */
int sm_sq_list_value(sm_buf *out, bool ints, const void *items, size_t n)
{
    return sm_list_text(out, '[', ']', put_json_string, ints, items, n);
}

/* ---- Ping and reset -------------------------------------------------------------- */

/* SQLite leaves autocommit mode at BEGIN and returns to it at the end of
 * the transaction, also when it rolls the transaction back by itself
 * (an interrupted write, SQLITE_FULL, an I/O error). */
int sm_sq_in_tx(sm_conn *conn)
{
    return sqlite3_get_autocommit(((sq_conn *)conn)->db) ? SM_DB_TX_NONE : SM_DB_TX_OPEN;
}

int sm_sq_ping(sm_cx *cx, sm_conn *conn)
{
    return run(cx, (sq_conn *)conn, "SELECT 1");
}

/* Drops the session's temporary tables, views and triggers (indexes go
 * with their tables). */
static int drop_temp(sm_cx *cx, sq_conn *c)
{
    static const char list[] =
        "SELECT 'DROP ' || upper(type) || ' IF EXISTS temp.\"' || replace(name, '\"', '\"\"') "
        "|| '\"' FROM temp.sqlite_master WHERE type IN ('table', 'view', 'trigger') "
        "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY type = 'table'";
    for (;;) {
        sqlite3_stmt *st = NULL;
        int rc = sqlite3_prepare_v2(c->db, list, -1, &st, NULL);
        if (rc != SQLITE_OK)
            return sm_sq_error(cx, rc, sqlite3_errmsg(c->db));
        c->active = cx;
        rc = sqlite3_step(st);
        c->active = NULL;
        char *drop = NULL;
        if (rc == SQLITE_ROW) {
            const char *t = (const char *)sqlite3_column_text(st, 0);
            drop = t ? sqlite3_mprintf("%s", t) : NULL;
        }
        int done = rc == SQLITE_DONE;
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            rc = sm_sq_error(cx, rc, sqlite3_errmsg(c->db));
        else
            rc = SM_OK;
        sqlite3_finalize(st);
        if (rc != SM_OK || done)
            return rc;
        if (!drop)
            return sm_cx_fail(cx, SM_NOMEM, "out of memory resetting the session");
        rc = run(cx, c, drop);
        sqlite3_free(drop);
        if (rc != SM_OK)
            return rc;
    }
}

int sm_sq_reset(sm_cx *cx, sm_conn *conn)
{
    sq_conn *c = (sq_conn *)conn;
    int rc = SM_OK;
    if (!sqlite3_get_autocommit(c->db))
        rc = run(cx, c, "ROLLBACK");
    if (rc == SM_OK)
        rc = drop_temp(cx, c);
    if (rc == SM_OK)
        rc = run(cx, c, sm_sq_session_sql);
    sm_sq_locks_free(c);
    return rc;
}

/* "sqlite::memory:" gives each connection a private database.  A pool's
 * connections share one through the memdb VFS: a name starting with '/'
 * is one database for every connection of the process that opens it, it
 * takes SQLite's usual locks (so the busy handler waits for a writer, as
 * on a file; no WAL: readers wait for a writer's commit too) and it
 * lives while a connection to it is open.  Shared cache
 * ("mode=memory&cache=shared") is not used: its table locks fail at
 * once, without the busy handler. */
int sm_sq_pool_url(sm_cx *cx, const sm_url *url, const char *tag, sm_buf *out)
{
    if (strcmp(url->path, ":memory:") != 0)
        return SM_OK;
    if (sm_buf_printf(out, "sqlite:file:/smdl-pool-%s?vfs=memdb", tag) != SM_OK)
        return sm_cx_fail(cx, SM_NOMEM, "out of memory opening a pool");
    return SM_OK;
}

/* ---- The migration lock ---------------------------------------------------------- */

static long find_lock(const sq_conn *c, const char *name)
{
    for (size_t i = 0; i < c->nlocks; i++)
        if (strcmp(c->locks[i].name, name) == 0)
            return (long)i;
    return -1;
}

static int keep_lock(sm_cx *cx, sq_conn *c, const char *name, int fd)
{
    if (c->nlocks == c->caplocks) {
        size_t cap = c->caplocks ? c->caplocks * 2 : 2;
        sq_lock *l = realloc(c->locks, cap * sizeof *l);
        if (!l)
            return sm_cx_fail(cx, SM_NOMEM, "out of memory taking a lock");
        c->locks = l;
        c->caplocks = cap;
    }
    char *copy = malloc(strlen(name) + 1);
    if (!copy)
        return sm_cx_fail(cx, SM_NOMEM, "out of memory taking a lock");
    strcpy(copy, name);
    c->locks[c->nlocks].name = copy;
    c->locks[c->nlocks].fd = fd;
    c->nlocks++;
    return SM_OK;
}

/* Tries the lock until it is free, the cx is cancelled or its deadline
 * passes, sleeping 1 to 5 ms between tries (as the busy handler does). */
static int wait_flock(sm_cx *cx, int fd)
{
    for (int tries = 0;; tries++) {
        if (flock(fd, LOCK_EX | LOCK_NB) == 0)
            return SM_OK;
        if (errno != EWOULDBLOCK && errno != EINTR)
            return sm_cx_fail(cx, SM_ERROR, "cannot lock the lock file: %s", strerror(errno));
        if (sm_cx_check(cx) != SM_OK)
            return sm_cx_fail(cx, SM_INTERRUPTED, "the lock is held by another connection");
        int64_t nap = tries < 4 ? 1 : tries < 10 ? 2 : 5, left = sm_cx_remaining_ms(cx);
        if (left >= 0 && nap > left)
            nap = left;
        struct timespec ts = {0, (long)(nap * 1000000)};
        nanosleep(&ts, NULL);
    }
}

int sm_sq_lock(sm_cx *cx, sm_conn *conn, const char *name)
{
    sq_conn *c = (sq_conn *)conn;
    if (find_lock(c, name) >= 0)
        return sm_cx_fail(cx, SM_MISUSE, "the lock '%s' is already held by this connection", name);
    const char *file = sqlite3_db_filename(c->db, "main");
    if (!file || !file[0])
        return keep_lock(cx, c, name, -1);
    size_t n = strlen(file) + strlen(name) + sizeof "-lock-";
    char *path = malloc(n);
    if (!path)
        return sm_cx_fail(cx, SM_NOMEM, "out of memory taking a lock");
    snprintf(path, n, "%s-lock-%s", file, name);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    int rc = fd < 0 ? sm_cx_fail(cx, SM_ERROR, "cannot open the lock file %s: %s", path,
                                 strerror(errno))
                    : SM_OK;
    free(path);
    if (rc == SM_OK && (rc = wait_flock(cx, fd)) == SM_OK &&
        (rc = keep_lock(cx, c, name, fd)) != SM_OK)
        flock(fd, LOCK_UN);
    if (rc != SM_OK && fd >= 0)
        close(fd);
    return rc;
}

static void drop_lock(sq_conn *c, size_t i)
{
    if (c->locks[i].fd >= 0) {
        flock(c->locks[i].fd, LOCK_UN);
        close(c->locks[i].fd);
    }
    free(c->locks[i].name);
    c->locks[i] = c->locks[--c->nlocks];
}

int sm_sq_unlock(sm_cx *cx, sm_conn *conn, const char *name)
{
    sq_conn *c = (sq_conn *)conn;
    long at = find_lock(c, name);
    if (at < 0)
        return sm_cx_fail(cx, SM_MISUSE, "the lock '%s' is not held by this connection", name);
    drop_lock(c, (size_t)at);
    return SM_OK;
}

void sm_sq_locks_free(sq_conn *c)
{
    while (c->nlocks)
        drop_lock(c, c->nlocks - 1);
    free(c->locks);
    c->locks = NULL;
    c->caplocks = 0;
}

/* ---- Migrations that rebuild tables ------------------------------------------------ */

/* PRAGMA foreign_keys has no effect inside a transaction: the runner
 * calls this before its BEGIN IMMEDIATE and after its COMMIT. */
int sm_sq_fk_enforce(sm_cx *cx, sm_conn *conn, bool on, bool *was)
{
    sq_conn *c = (sq_conn *)conn;
    if (was) {
        int v = 0;
        if (sqlite3_db_config(c->db, SQLITE_DBCONFIG_ENABLE_FKEY, -1, &v) != SQLITE_OK)
            return sm_sq_error(cx, sqlite3_errcode(c->db), sqlite3_errmsg(c->db));
        *was = v != 0;
    }
    return run(cx, c, on ? "PRAGMA foreign_keys = ON" : "PRAGMA foreign_keys = OFF");
}

/* PRAGMA foreign_key_check: a row is (table, rowid, parent, fkid). */
int sm_sq_fk_check(sm_cx *cx, sm_conn *conn)
{
    sq_conn *c = (sq_conn *)conn;
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(c->db, "PRAGMA foreign_key_check", -1, &st, NULL);
    if (rc != SQLITE_OK)
        return sm_sq_error(cx, rc, sqlite3_errmsg(c->db));
    c->active = cx;
    rc = sqlite3_step(st);
    c->active = NULL;
    int out = SM_OK;
    if (rc == SQLITE_ROW) {
        const char *table = (const char *)sqlite3_column_text(st, 0);
        const char *parent = (const char *)sqlite3_column_text(st, 2);
        sm_cx_set_constraint(cx, SM_CK_FK, table, NULL, NULL);
        out = sm_cx_fail(cx, SM_CONSTRAINT,
                         "foreign key check failed: a row of %s (rowid %lld) references a "
                         "missing row of %s",
                         table ? table : "?", (long long)sqlite3_column_int64(st, 1),
                         parent ? parent : "?");
    } else if (rc != SQLITE_DONE) {
        out = sm_sq_error(cx, rc, sqlite3_errmsg(c->db));
    }
    sqlite3_finalize(st);
    return out;
}
