/*
 * tdb_fresh.c: fresh databases for the harness (tdb_fresh.h).
 *
 * SQLite databases are files in one mkdtemp directory per process;
 * PostgreSQL and MySQL databases are created on the servers named by
 * SMDL_TEST_PG_URL / SMDL_TEST_MYSQL_URL (tests/servers.sh prints them)
 * as smdl_t_<pid>_<n>, through libsmdl itself.  Everything is removed at
 * exit.  A test program is single-threaded while it sets up, so the
 * bookkeeping below needs no lock.
 */
#include "tdb_fresh.h"

#include <dirent.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct created {
    sm_dialect dialect;
    char name[64]; /* database name (server dialects) */
    char *url;
} created;

static struct {
    int registered; /* 1 << dialect: cleanup registered after its first use */
    char sqlite_dir[256];
    unsigned counter;
    created *items;
    size_t len, cap;
} reg;

static const char *const env_names[SM_NDIALECTS] = {NULL, "SMDL_TEST_PG_URL",
                                                    "SMDL_TEST_MYSQL_URL"};

static const char *const dialect_names[SM_NDIALECTS] = {"sqlite", "postgres", "mysql"};

const char *tdb_fresh_var(sm_dialect d)
{
    return (unsigned)d < SM_NDIALECTS ? env_names[d] : NULL;
}

/* The admin URL with its database replaced by db.  URL forms: the path
 * after the authority is replaced (parameters kept); the "postgres:"
 * keyword form gets a trailing dbname, which overrides an earlier one. */
static char *url_with_db(const char *admin, const char *db)
{
    size_t n = strlen(admin) + strlen(db) + 16;
    char *out = malloc(n);
    if (!out)
        return NULL;
    const char *auth = strstr(admin, "://");
    if (!auth) {
        snprintf(out, n, "%s dbname=%s", admin, db);
        return out;
    }
    auth += 3;
    const char *query = strchr(auth, '?');
    const char *end = query ? query : auth + strlen(auth);
    /* The authority ends at the first '/' after the last '@' (a password
     * may hold a raw '/'). */
    const char *at = auth;
    for (const char *p = auth; p < end; p++)
        if (*p == '@')
            at = p + 1;
    const char *slash = memchr(at, '/', (size_t)(end - at));
    size_t head = (size_t)((slash ? slash : end) - admin);
    snprintf(out, n, "%.*s/%s%s", (int)head, admin, db, query ? query : "");
    return out;
}

static void remove_sqlite_dir(void)
{
    if (!reg.sqlite_dir[0])
        return;
    DIR *dir = opendir(reg.sqlite_dir);
    if (dir) {
        struct dirent *e;
        char path[512];
        while ((e = readdir(dir)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            snprintf(path, sizeof path, "%s/%s", reg.sqlite_dir, e->d_name);
            unlink(path);
        }
        closedir(dir);
    }
    rmdir(reg.sqlite_dir);
    reg.sqlite_dir[0] = 0;
}

/* Drops the server databases this process created, best effort: a
 * failure is reported on stderr and does not change the exit status. */
static void drop_databases(sm_dialect d)
{
    const char *admin = getenv(env_names[d]);
    bool any = false;
    for (size_t i = 0; i < reg.len; i++)
        any |= reg.items[i].dialect == d;
    if (!any || !admin)
        return;
    sm_cx cx;
    sm_conn *conn = NULL;
    sm_cx_init(&cx);
    sm_cx_set_timeout_ms(&cx, 30000);
    if (sm_open(&cx, admin, &conn) != SM_OK) {
        fprintf(stderr, "tdb: cannot drop test databases on %s: %s\n", dialect_names[d],
                sm_cx_errmsg(&cx));
        sm_cx_free(&cx);
        return;
    }
    for (size_t i = 0; i < reg.len; i++) {
        if (reg.items[i].dialect != d)
            continue;
        char sql[128];
        /* FORCE: a test that leaked a connection must not keep it. */
        snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s%s", reg.items[i].name,
                 d == SM_POSTGRES ? " WITH (FORCE)" : "");
        if (sm_exec(&cx, conn, sql, NULL, 0, NULL) != SM_OK)
            fprintf(stderr, "tdb: %s: %s\n", sql, sm_cx_errmsg(&cx));
    }
    sm_close(conn);
    sm_cx_free(&cx);
}

void tdb_fresh_cleanup(void)
{
    drop_databases(SM_POSTGRES);
    drop_databases(SM_MYSQL);
    remove_sqlite_dir();
    for (size_t i = 0; i < reg.len; i++)
        free(reg.items[i].url);
    free(reg.items);
    memset(&reg, 0, sizeof reg);
}

/* Registers cleanup to run at exit before the handlers registered so
 * far.  libpq initialises OpenSSL on its first connection, and OpenSSL
 * registers its own exit handler then: cleanup, which connects again,
 * must run before it, so it is registered again after each dialect's
 * first connection.  Running it twice is harmless. */
static void register_cleanup(int dialect_bit)
{
    if (reg.registered & dialect_bit)
        return;
    atexit(tdb_fresh_cleanup);
    reg.registered |= dialect_bit;
}

static created *add_item(sm_dialect d)
{
    if (reg.len == reg.cap) {
        size_t cap = reg.cap ? reg.cap * 2 : 8;
        created *p = realloc(reg.items, cap * sizeof *p);
        if (!p)
            return NULL;
        reg.items = p;
        reg.cap = cap;
    }
    created *c = &reg.items[reg.len++];
    memset(c, 0, sizeof *c);
    c->dialect = d;
    return c;
}

static tdb_fresh_rc sqlite_db(const char **url, char *why, size_t size)
{
    if (!reg.sqlite_dir[0]) {
        const char *tmp = getenv("TMPDIR");
        snprintf(reg.sqlite_dir, sizeof reg.sqlite_dir, "%s/smdl-test-XXXXXX",
                 tmp && tmp[0] ? tmp : "/tmp");
        if (!mkdtemp(reg.sqlite_dir)) {
            snprintf(why, size, "mkdtemp(%s) failed", reg.sqlite_dir);
            reg.sqlite_dir[0] = 0;
            return TDB_FRESH_BROKEN;
        }
    }
    register_cleanup(1 << SM_SQLITE);
    created *c = add_item(SM_SQLITE);
    size_t n = strlen(reg.sqlite_dir) + 32;
    if (!c || !(c->url = malloc(n))) {
        snprintf(why, size, "out of memory");
        return TDB_FRESH_BROKEN;
    }
    snprintf(c->url, n, "sqlite:%s/db%u.sqlite", reg.sqlite_dir, ++reg.counter);
    *url = c->url;
    return TDB_FRESH_OK;
}

static tdb_fresh_rc server_db(sm_dialect d, const char **url, char *why, size_t size)
{
    const char *var = env_names[d];
    const char *admin = getenv(var);
    if (!admin || !admin[0]) {
        snprintf(why, size, "%s is not set", var);
        return TDB_FRESH_UNSET;
    }
    created *c = add_item(d);
    if (!c) {
        snprintf(why, size, "out of memory");
        return TDB_FRESH_BROKEN;
    }
    snprintf(c->name, sizeof c->name, "smdl_t_%ld_%u", (long)getpid(), ++reg.counter);
    sm_cx cx;
    sm_conn *conn = NULL;
    char sql[128];
    sm_cx_init(&cx);
    sm_cx_set_timeout_ms(&cx, 30000);
    int rc = sm_open(&cx, admin, &conn);
    bool reached = rc == SM_OK;
    /* A database of this name is a leftover of a process that died with
     * the same pid (a live one has another pid): it goes first. */
    if (reached) {
        snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s", c->name);
        rc = sm_exec(&cx, conn, sql, NULL, 0, NULL);
    }
    if (rc == SM_OK) {
        snprintf(sql, sizeof sql, "CREATE DATABASE %s", c->name);
        rc = sm_exec(&cx, conn, sql, NULL, 0, NULL);
    }
    if (rc != SM_OK) {
        snprintf(why, size, "cannot %s the server of %s: %s: %s",
                 reached ? "create a database on" : "connect to", var, sm_strerror(rc),
                 sm_cx_errmsg(&cx));
        sm_close(conn);
        sm_cx_free(&cx);
        reg.len--; /* nothing to drop */
        return !reached && rc == SM_CONN ? TDB_FRESH_UNREACHABLE : TDB_FRESH_BROKEN;
    }
    sm_close(conn);
    sm_cx_free(&cx);
    register_cleanup(1 << d);
    c->url = url_with_db(admin, c->name);
    if (!c->url) {
        snprintf(why, size, "out of memory");
        return TDB_FRESH_BROKEN;
    }
    *url = c->url;
    return TDB_FRESH_OK;
}

tdb_fresh_rc tdb_fresh(sm_dialect d, const char **url, char *why, size_t size)
{
    *url = NULL;
    why[0] = 0;
    if (d == SM_SQLITE)
        return sqlite_db(url, why, size);
    if (d == SM_POSTGRES || d == SM_MYSQL)
        return server_db(d, url, why, size);
    snprintf(why, size, "unknown dialect %d", (int)d);
    return TDB_FRESH_BROKEN;
}
