/*
 * pg_conn.c: connecting to PostgreSQL.
 *
 * URLs: postgres://user:pass@host:port/db?k=v (also postgresql://), or
 * "postgres:" followed by a libpq keyword string.  The parameter keys are
 * the libpq connection keywords of PostgreSQL 15/16 below (the same list
 * checks the keyword string); password and sslpassword are secrets.
 *
 * The URL's parts (or its keyword string, parsed by libpq) become libpq
 * keywords; PQconnectStartParams and PQconnectPoll run under poll() so
 * that the cx deadline bounds connecting.  The session is set up through
 * the startup `options` (appended to the user's own): TimeZone=UTC,
 * standard_conforming_strings=on, DateStyle=ISO, bytea_output=hex,
 * extra_float_digits=3; and client_encoding=UTF8.  Server notices are
 * dropped (libpq would print them).  Messages never contain the password.
 */
#include "pg_driver.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const schemes[] = {"postgres", "postgresql", NULL};

static const char *const keys[] = {
    "host", "hostaddr", "port", "dbname", "user", "password", "passfile",
    "channel_binding", "connect_timeout", "client_encoding", "options",
    "application_name", "fallback_application_name", "keepalives",
    "keepalives_idle", "keepalives_interval", "keepalives_count",
    "tcp_user_timeout", "replication", "gssencmode", "sslmode", "requiressl",
    "sslcompression", "sslcert", "sslkey", "sslpassword", "sslcertmode",
    "sslrootcert", "sslcrl", "sslcrldir", "sslsni", "requirepeer",
    "ssl_min_protocol_version", "ssl_max_protocol_version", "krbsrvname",
    "gsslib", "gssdelegation", "service", "target_session_attrs",
    "load_balance_hosts", "require_auth", NULL,
};

static const char *const secrets[] = {"password", "sslpassword", NULL};

const sm_url_spec sm_pg_url = {
    .schemes = schemes,
    .forms = SM_URL_NET,
    .keyword_scheme = "postgres",
    .keys = keys,
    .secrets = secrets,
};

static void pg_quiet(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

static const char session_options[] =
    "-c TimeZone=UTC -c standard_conforming_strings=on -c DateStyle=ISO "
    "-c bytea_output=hex -c extra_float_digits=3";

/* ---- Connecting ------------------------------------------------------------ */

#define PG_MAX_KEYS 64

typedef struct pg_keys {
    const char *kw[PG_MAX_KEYS + 1];
    const char *val[PG_MAX_KEYS + 1];
    int n;
    const char *user_options;
    const char *password;
} pg_keys;

static int keys_add(sm_cx *cx, pg_keys *k, const char *kw, const char *val)
{
    if (!val)
        return SM_OK;
    if (strcmp(kw, "options") == 0) {
        k->user_options = val;
        return SM_OK;
    }
    if (strcmp(kw, "password") == 0)
        k->password = val;
    if (k->n == PG_MAX_KEYS - 4)
        return sm_cx_fail(cx, SM_MISUSE, "too many PostgreSQL connection parameters");
    k->kw[k->n] = kw;
    k->val[k->n] = val;
    k->n++;
    return SM_OK;
}

/* The libpq message of a keyword string that does not parse, unless it
 * could quote part of a value (a password): then a generic one. */
static int conninfo_error(sm_cx *cx, char *err)
{
    int rc;
    if (err && strncmp(err, "invalid connection option \"", 27) == 0) {
        char line[256];
        sm_pg_clean_message(err, NULL, line, sizeof line);
        rc = sm_cx_fail(cx, SM_MISUSE, "bad PostgreSQL keyword string: %s", line);
    } else {
        rc = sm_cx_fail(cx, err ? SM_MISUSE : SM_NOMEM,
                        err ? "bad PostgreSQL keyword string (syntax error)"
                            : "out of memory parsing a PostgreSQL keyword string");
    }
    PQfreemem(err);
    return rc;
}

/* Collects the connection keywords of the URL (or of its keyword
 * string, parsed into *parsed, which the caller frees). */
static int collect_keys(sm_cx *cx, const sm_url *url, pg_keys *k, PQconninfoOption **parsed,
                        char *port)
{
    int rc = SM_OK;
    /* Before the user's keywords, so that application_name wins. */
    keys_add(cx, k, "fallback_application_name", "smdl");
    if (url->conninfo) {
        char *err = NULL;
        *parsed = PQconninfoParse(url->conninfo, &err);
        if (!*parsed)
            return conninfo_error(cx, err);
        for (PQconninfoOption *o = *parsed; o->keyword && rc == SM_OK; o++)
            if (o->val && o->val[0])
                rc = keys_add(cx, k, o->keyword, o->val);
        return rc;
    }
    if (url->host && url->host[0])
        rc = keys_add(cx, k, "host", url->host);
    if (rc == SM_OK && url->port > 0) {
        snprintf(port, 16, "%d", url->port);
        rc = keys_add(cx, k, "port", port);
    }
    if (rc == SM_OK && url->user && url->user[0])
        rc = keys_add(cx, k, "user", url->user);
    if (rc == SM_OK && url->password)
        rc = keys_add(cx, k, "password", url->password);
    if (rc == SM_OK && url->db && url->db[0])
        rc = keys_add(cx, k, "dbname", url->db);
    for (size_t i = 0; i < url->nparams && rc == SM_OK; i++)
        rc = keys_add(cx, k, url->params[i].key, url->params[i].value);
    return rc;
}

/* A connection failure's message: libpq's, on one line, password hidden. */
static int connect_error(sm_cx *cx, PGconn *pg, const char *password)
{
    char line[1024];
    const char *msg = pg ? PQerrorMessage(pg) : NULL;
    if (!pg)
        return sm_cx_fail(cx, SM_NOMEM, "out of memory connecting to PostgreSQL");
    sm_pg_clean_message(msg, password, line, sizeof line);
    if (strncmp(line, "invalid connection option", 25) == 0)
        return sm_cx_fail(cx, SM_MISUSE, "PostgreSQL: %s", line);
    return sm_cx_fail(cx, SM_CONN, "cannot connect to PostgreSQL: %s",
                      line[0] ? line : "unknown error");
}

/* Drives PQconnectPoll within the cx deadline (and a connect_timeout
 * keyword, which libpq itself applies only to blocking connects). */
static int connect_poll(sm_cx *cx, PGconn *pg, const char *password, int64_t until_ns)
{
    PostgresPollingStatusType st = PGRES_POLLING_WRITING;
    for (;;) {
        if (st == PGRES_POLLING_OK)
            return SM_OK;
        if (st == PGRES_POLLING_FAILED)
            return connect_error(cx, pg, password);
        int k = sm_cx_check(cx);
        if (k != SM_OK)
            return sm_cx_fail(cx, k, "connecting to PostgreSQL %s",
                              k == SM_CANCELLED ? "was cancelled" : "timed out");
        int64_t left = sm_cx_remaining_ms(cx);
        int ms = left >= 0 && left < PG_CONNECT_SLICE_MS ? (int)left : PG_CONNECT_SLICE_MS;
        if (until_ns && sm_mono_ns() >= until_ns)
            return sm_cx_fail(cx, SM_CONN, "connecting to PostgreSQL timed out (connect_timeout)");
        struct pollfd p = {PQsocket(pg), st == PGRES_POLLING_READING ? POLLIN : POLLOUT, 0};
        if (p.fd < 0)
            return connect_error(cx, pg, password);
        int r = poll(&p, 1, ms);
        if (r < 0 && errno != EINTR)
            return sm_cx_fail(cx, SM_CONN, "cannot connect to PostgreSQL: poll failed");
        if (r > 0)
            st = PQconnectPoll(pg);
    }
}

/* Does the server report parameter name with this value (prefix)? */
static bool param_is(PGconn *pg, const char *name, const char *want)
{
    const char *v = PQparameterStatus(pg, name);
    return v && strncmp(v, want, strlen(want)) == 0;
}

/* A connection pooler may drop startup options: check what the server
 * reported (no round trip) and fall back to SET. */
int sm_pg_session_check(sm_cx *cx, sm_pg_conn *c)
{
    if (param_is(c->pg, "TimeZone", "UTC") && param_is(c->pg, "client_encoding", "UTF8") &&
        param_is(c->pg, "standard_conforming_strings", "on") &&
        param_is(c->pg, "DateStyle", "ISO,"))
        return SM_OK;
    return sm_pg_script(cx, &c->base,
                        "SET TimeZone = 'UTC'; SET client_encoding = 'UTF8'; "
                        "SET standard_conforming_strings = on; SET DateStyle = 'ISO'; "
                        "SET bytea_output = 'hex'; SET extra_float_digits = 3");
}

int sm_pg_open(sm_cx *cx, const sm_url *url, sm_conn **out)
{
    pg_keys k;
    PQconninfoOption *parsed = NULL;
    char port[16], *options = NULL;
    memset(&k, 0, sizeof k);
    *out = NULL;
    int rc = collect_keys(cx, url, &k, &parsed, port);
    if (rc == SM_OK) {
        size_t n = (k.user_options ? strlen(k.user_options) + 1 : 0) + sizeof session_options;
        options = malloc(n);
        if (!options) {
            rc = sm_cx_fail(cx, SM_NOMEM, "out of memory connecting to PostgreSQL");
        } else {
            snprintf(options, n, "%s%s%s", k.user_options ? k.user_options : "",
                     k.user_options ? " " : "", session_options);
            /* Last, so that they override the user's keywords. */
            k.kw[k.n] = "options";
            k.val[k.n++] = options;
            k.kw[k.n] = "client_encoding";
            k.val[k.n++] = "UTF8";
        }
    }
    int64_t until_ns = 0;
    for (int i = 0; rc == SM_OK && i < k.n; i++)
        if (strcmp(k.kw[i], "connect_timeout") == 0 && atoi(k.val[i]) > 0)
            until_ns = sm_mono_ns() + (int64_t)atoi(k.val[i]) * 1000000000;
    PGconn *pg = NULL;
    if (rc == SM_OK) {
        pg = PQconnectStartParams(k.kw, k.val, 0);
        if (pg)
            PQsetNoticeProcessor(pg, pg_quiet, NULL);
        if (!pg || PQstatus(pg) == CONNECTION_BAD)
            rc = connect_error(cx, pg, k.password);
        else
            rc = connect_poll(cx, pg, k.password, until_ns);
    }
    free(options);
    PQconninfoFree(parsed);
    if (rc != SM_OK) {
        PQfinish(pg);
        return rc;
    }
    sm_pg_conn *c = calloc(1, sizeof *c);
    if (!c) {
        PQfinish(pg);
        return sm_cx_fail(cx, SM_NOMEM, "out of memory connecting to PostgreSQL");
    }
    c->wake.fd[0] = c->wake.fd[1] = -1;
    c->pg = pg;
    c->cloc = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    if (!c->cloc) {
        sm_pg_close(&c->base);
        return sm_cx_fail(cx, SM_NOMEM, "out of memory connecting to PostgreSQL");
    }
    if (sm_wake_open(&c->wake) != SM_OK) {
        sm_pg_close(&c->base);
        return sm_cx_fail(cx, SM_ERROR, "cannot create the PostgreSQL cancellation pipe");
    }
    if (PQsetnonblocking(pg, 1) != 0) {
        sm_pg_close(&c->base);
        return sm_cx_fail(cx, SM_CONN, "cannot make the PostgreSQL connection nonblocking");
    }
    if ((rc = sm_pg_session_check(cx, c)) != SM_OK) {
        sm_pg_close(&c->base);
        return rc;
    }
    *out = &c->base;
    return SM_OK;
}

void sm_pg_close(sm_conn *conn)
{
    if (!conn)
        return;
    sm_pg_conn *c = pgc(conn);
    PQfinish(c->pg);
    if (c->cloc)
        freelocale(c->cloc);
    sm_wake_close(&c->wake);
    sm_buf_free(&c->sql);
    sm_buf_free(&c->params);
    free(c->dead);
    free(c);
}

