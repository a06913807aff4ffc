/* heroes-api: the HTTP API of the FastAPI chapters of the SQLModel
 * tutorial, over a pool of connections to any smdl database.
 *
 *   heroes-api [--db URL] [--port N] [--timeout-ms N] [--max-conns N]
 *
 * URL defaults to $SMDL_DATABASE_URL.  It creates its tables when they
 * are missing, prints "listening on 127.0.0.1:N" once it accepts
 * requests, and on SIGTERM or SIGINT stops accepting, lets the requests
 * under way finish and exits with status 0. */
#include "heroes.h"
#include "server.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const char api_openapi_json[]; /* openapi_json.c, made at build time */

/* Requests under way get this long to finish after SIGTERM; the rest of
 * the 5 s the stop may take goes to cancelling and closing. */
#define GRACE_MS 3500

typedef struct options {
    const char *db;
    long port, timeout_ms, max_conns;
} options;

static int usage(const char *why)
{
    fprintf(stderr,
            "heroes-api: %s\n"
            "usage: heroes-api [--db URL] [--port N] [--timeout-ms N] [--max-conns N]\n"
            "  --db URL         the database (default: $SMDL_DATABASE_URL)\n"
            "  --port N         the port on 127.0.0.1 (default 8000; 0: any free port)\n"
            "  --timeout-ms N   the deadline of a request's queries (default 3000)\n"
            "  --max-conns N    the pool's connections at most (default 8)\n",
            why);
    return 2;
}

static bool number(const char *s, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = s ? strtol(s, &end, 10) : 0;
    if (!s || !*s || *end || errno || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

static int parse(int argc, char **argv, options *o)
{
    o->db = getenv("SMDL_DATABASE_URL");
    o->port = 8000;
    o->timeout_ms = 3000;
    o->max_conns = 8;
    /* Every option takes a value: they come in pairs. */
    for (int i = 1; i < argc; i += 2) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        bool ok;
        if (strcmp(a, "--db") == 0)
            ok = (o->db = v) != NULL;
        else if (strcmp(a, "--port") == 0)
            ok = number(v, 0, 65535, &o->port);
        else if (strcmp(a, "--timeout-ms") == 0)
            ok = number(v, 1, 3600000, &o->timeout_ms);
        else if (strcmp(a, "--max-conns") == 0)
            ok = number(v, 1, 1000, &o->max_conns);
        else
            return usage("unknown option");
        if (!ok)
            return usage("an option lacks its value, or the value is out of range");
    }
    if (!o->db || !*o->db)
        return usage("no database: give --db URL or set SMDL_DATABASE_URL");
    return 0;
}

/* Opens the pool and creates the tables that are missing. */
static sm_pool *open_db(const options *o)
{
    sm_cx cx;
    sm_cx_init(&cx);
    sm_cx_set_timeout_ms(&cx, 30000);
    sm_pool_opts po = {0};
    po.max_conns = (int)o->max_conns;
    sm_pool *pool = sm_pool_open(&cx, o->db, &po);
    int rc = pool ? SM_OK : sm_cx_errcode(&cx);
    sm_conn *conn = NULL;
    if (rc == SM_OK)
        rc = sm_pool_acquire(&cx, pool, &conn);
    if (rc == SM_OK)
        rc = heroes_create_all(&cx, conn);
    if (conn)
        sm_pool_release(pool, conn);
    if (rc != SM_OK) {
        fprintf(stderr, "heroes-api: %s\n", sm_cx_errmsg(&cx));
        if (pool)
            sm_pool_close(pool);
        pool = NULL;
    }
    sm_cx_free(&cx);
    return pool;
}

int main(int argc, char **argv)
{
    options o;
    int rc = parse(argc, argv, &o);
    if (rc != 0)
        return rc;

    /* The signals that stop it go to sigwait below, never to a handler:
     * blocked here, before any thread starts, they stay blocked in all. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    sm_pool *pool = open_db(&o);
    if (!pool)
        return 1;
    api_app app = {pool, api_openapi_json};
    api_server *s = api_server_start(&app, (unsigned)o.port, (int)o.timeout_ms);
    if (!s) {
        sm_pool_close(pool);
        return 1;
    }
    printf("listening on 127.0.0.1:%u\n", api_server_port(s));
    fflush(stdout);

    int sig;
    while (sigwait(&stop, &sig) != 0)
        ;
    api_server_stop(s, GRACE_MS);
    sm_pool_close(pool);
    return 0;
}
