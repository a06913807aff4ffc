/*
 * url.c: connection URLs (DESIGN 4.3).
 *
 *   sqlite:PATH                 a file, created if missing
 *   sqlite::memory:             a private in-memory database
 *   sqlite:file:NAME?k=v        an SQLite URI, passed to SQLite as is
 *                               (mode=ro, mode=memory&cache=shared, ...)
 *   postgres://user:pass@host:port/db?k=v&...   (also postgresql://)
 *   postgres:KEY=VALUE ...      a libpq keyword string, kept in conninfo
 *   mysql://user:pass@host:port/db?k=v&...      (also mariadb://)
 *
 * In the URL forms, user, password, host, database and parameters are
 * percent-decoded; the host may be an IPv6 literal in brackets.  The
 * userinfo ends at the last '@' before the query, so a password may hold a
 * raw '/' or '@', but a '?' must be written %3F.
 *
 * Accepted parameter keys (anything else is SM_MISUSE naming the key,
 * never the value):
 *
 *   scheme             keys
 *   -----------------  ---------------------------------------------------
 *   sqlite             none (SQLite URI parameters belong to the file: URI)
 *   postgres(ql)       the libpq connection keywords (PostgreSQL 15/16):
 *                      host hostaddr port dbname user password passfile
 *                      channel_binding connect_timeout client_encoding
 *                      options application_name fallback_application_name
 *                      keepalives keepalives_idle keepalives_interval
 *                      keepalives_count tcp_user_timeout replication
 *                      gssencmode sslmode requiressl sslcompression sslcert
 *                      sslkey sslpassword sslcertmode sslrootcert sslcrl
 *                      sslcrldir sslsni requirepeer ssl_min_protocol_version
 *                      ssl_max_protocol_version krbsrvname gsslib
 *                      gssdelegation service target_session_attrs
 *                      load_balance_hosts require_auth
 *                      (the same list checks the keyword-string form)
 *   mysql, mariadb     socket ssl-mode ssl-ca ssl-capath ssl-cert ssl-key
 *                      ssl-cipher ssl-crl ssl-crlpath tls-version
 *                      connect-timeout
 *
 * Secrets: the password (and the values of the password and sslpassword
 * parameters) never appear in a message; `redacted` is the URL with each
 * of them replaced by "***".
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

static const char *const pg_keys[] = {
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

static const char *const mysql_keys[] = {
    "socket", "ssl-mode", "ssl-ca", "ssl-capath", "ssl-cert", "ssl-key",
    "ssl-cipher", "ssl-crl", "ssl-crlpath", "tls-version", "connect-timeout", NULL,
};

static const char schemes_list[] =
    "sqlite:, postgres://, postgresql://, postgres:<keywords>, mysql:// or mariadb://";

/* A span of the input replaced by "***" in the redacted copy. */
typedef struct span {
    size_t at, len;
} span;

typedef struct parser {
    sm_cx *cx;
    const char *src;
    sm_url *out;
    span secret[8];
    size_t nsecret;
    const char *const *keys;
} parser;

static bool key_known(const char *const *keys, const char *k, size_t n)
{
    for (size_t i = 0; keys[i]; i++)
        if (strlen(keys[i]) == n && memcmp(keys[i], k, n) == 0)
            return true;
    return false;
}

static bool key_secret(const char *k, size_t n)
{
    return (n == 8 && memcmp(k, "password", 8) == 0) ||
           (n == 11 && memcmp(k, "sslpassword", 11) == 0);
}


/* Percent-decodes s[0..n) into a new string.  what names the part in the
 * message ("password", "database name"): the value itself is never shown. */
static int decode(parser *p, const char *s, size_t n, const char *what, char **out)
{
    char *d = malloc(n + 1);
    if (!d)
        return sm_cx_fail(p->cx, SM_NOMEM, "out of memory parsing a URL");
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '%') {
            d[j++] = s[i];
            continue;
        }
        int hi = i + 1 < n ? sm_hex_value((unsigned char)s[i + 1]) : -1;
        int lo = i + 2 < n ? sm_hex_value((unsigned char)s[i + 2]) : -1;
        if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
            free(d);
            return sm_cx_fail(p->cx, SM_MISUSE, "malformed percent-escape in the URL's %s", what);
        }
        d[j++] = (char)(hi * 16 + lo);
        i += 2;
    }
    d[j] = 0;
    *out = d;
    return SM_OK;
}

static int dup_n(parser *p, const char *s, size_t n, char **out)
{
    char *d = malloc(n + 1);
    if (!d)
        return sm_cx_fail(p->cx, SM_NOMEM, "out of memory parsing a URL");
    memcpy(d, s, n);
    d[n] = 0;
    *out = d;
    return SM_OK;
}

static void add_secret(parser *p, size_t at, size_t len)
{
    if (p->nsecret < sizeof p->secret / sizeof p->secret[0]) {
        p->secret[p->nsecret].at = at;
        p->secret[p->nsecret].len = len;
        p->nsecret++;
    }
}

/* Builds `redacted` from the source with every secret span replaced.
 * Spans are recorded in source order. */
static int redact(parser *p)
{
    size_t n = strlen(p->src), extra = p->nsecret * 3;
    char *r = malloc(n + extra + 1);
    if (!r)
        return sm_cx_fail(p->cx, SM_NOMEM, "out of memory parsing a URL");
    size_t j = 0, i = 0;
    for (size_t k = 0; k < p->nsecret; k++) {
        memcpy(r + j, p->src + i, p->secret[k].at - i);
        j += p->secret[k].at - i;
        memcpy(r + j, "***", 3);
        j += 3;
        i = p->secret[k].at + p->secret[k].len;
    }
    memcpy(r + j, p->src + i, n - i);
    j += n - i;
    r[j] = 0;
    p->out->redacted = r;
    return SM_OK;
}

static int add_param(parser *p, const char *k, size_t kn, const char *v, size_t vn, bool coded)
{
    sm_url *u = p->out;
    char *key = NULL, *val = NULL;
    int rc = coded ? decode(p, k, kn, "parameter names", &key) : dup_n(p, k, kn, &key);
    if (rc != SM_OK)
        return rc;
    size_t klen = strlen(key);
    if (!key_known(p->keys, key, klen)) {
        /* The key is shown (bounded); the value never is. */
        rc = sm_cx_fail(p->cx, SM_MISUSE, "unknown parameter '%.64s' in %s URL", key,
                        u->dialect == SM_POSTGRES ? "a postgres" : "a mysql");
        free(key);
        return rc;
    }
    for (size_t i = 0; i < u->nparams; i++) {
        if (strcmp(u->params[i].key, key) == 0) {
            rc = sm_cx_fail(p->cx, SM_MISUSE, "duplicate parameter '%s' in URL", key);
            free(key);
            return rc;
        }
    }
    rc = coded ? decode(p, v, vn, "parameter values", &val) : dup_n(p, v, vn, &val);
    if (rc != SM_OK) {
        free(key);
        return rc;
    }
    sm_url_param *np = realloc(u->params, (u->nparams + 1) * sizeof *np);
    if (!np) {
        free(key);
        free(val);
        return sm_cx_fail(p->cx, SM_NOMEM, "out of memory parsing a URL");
    }
    u->params = np;
    u->params[u->nparams].key = key;
    u->params[u->nparams].value = val;
    u->nparams++;
    return SM_OK;
}

/* "k=v&k=v" starting at src[at], to the end of the string. */
static int parse_query(parser *p, size_t at)
{
    const char *s = p->src;
    while (s[at]) {
        size_t end = at;
        while (s[end] && s[end] != '&')
            end++;
        if (end > at) {
            size_t eq = at;
            while (eq < end && s[eq] != '=')
                eq++;
            if (eq == at)
                return sm_cx_fail(p->cx, SM_MISUSE, "URL parameter without a name");
            if (eq == end) {
                char *key = NULL;
                int rc = decode(p, s + at, eq - at, "parameter names", &key);
                if (rc != SM_OK)
                    return rc;
                rc = sm_cx_fail(p->cx, SM_MISUSE, "URL parameter '%.64s' has no value", key);
                free(key);
                return rc;
            }
            if (key_secret(s + at, eq - at))
                add_secret(p, eq + 1, end - eq - 1);
            int rc = add_param(p, s + at, eq - at, s + eq + 1, end - eq - 1, true);
            if (rc != SM_OK)
                return rc;
        }
        at = s[end] ? end + 1 : end;
    }
    return SM_OK;
}

static int parse_port(parser *p, const char *s, size_t n)
{
    long v = 0;
    if (n == 0 || n > 5)
        return sm_cx_fail(p->cx, SM_MISUSE, "invalid port in URL (expected 1-65535)");
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return sm_cx_fail(p->cx, SM_MISUSE, "invalid port in URL (expected 1-65535)");
        v = v * 10 + (s[i] - '0');
    }
    if (v < 1 || v > 65535)
        return sm_cx_fail(p->cx, SM_MISUSE, "invalid port in URL (expected 1-65535)");
    p->out->port = (int)v;
    return SM_OK;
}

/* scheme://[user[:password]@][host][:port][/db][?params], from src[at]
 * (just after "//"). */
static int parse_network(parser *p, size_t at)
{
    const char *s = p->src;
    sm_url *u = p->out;
    size_t q = at;
    while (s[q] && s[q] != '?')
        q++;
    size_t amp = SIZE_MAX;
    for (size_t i = at; i < q; i++)
        if (s[i] == '@')
            amp = i;
    int rc;
    if (amp != SIZE_MAX) {
        size_t colon = at;
        while (colon < amp && s[colon] != ':')
            colon++;
        if (colon > at && (rc = decode(p, s + at, colon - at, "user name", &u->user)) != SM_OK)
            return rc;
        if (colon < amp) {
            add_secret(p, colon + 1, amp - colon - 1);
            if ((rc = decode(p, s + colon + 1, amp - colon - 1, "password", &u->password)) != SM_OK)
                return rc;
        }
        at = amp + 1;
    }
    size_t hend = at;
    if (s[at] == '[') {
        while (s[hend] && s[hend] != ']' && s[hend] != '/' && s[hend] != '?')
            hend++;
        if (s[hend] != ']')
            return sm_cx_fail(p->cx, SM_MISUSE, "unterminated '[' in the URL's host");
        if ((rc = dup_n(p, s + at + 1, hend - at - 1, &u->host)) != SM_OK)
            return rc;
        hend++;
    } else {
        while (s[hend] && s[hend] != ':' && s[hend] != '/' && s[hend] != '?')
            hend++;
        for (size_t i = at; i < hend; i++)
            if (s[i] == ',')
                return sm_cx_fail(p->cx, SM_MISUSE,
                                  "several hosts in one URL are not supported");
        if (hend > at && (rc = decode(p, s + at, hend - at, "host", &u->host)) != SM_OK)
            return rc;
    }
    at = hend;
    if (s[at] == ':') {
        size_t pend = at + 1;
        while (s[pend] && s[pend] != '/' && s[pend] != '?')
            pend++;
        if ((rc = parse_port(p, s + at + 1, pend - at - 1)) != SM_OK)
            return rc;
        at = pend;
    } else if (s[at] && s[at] != '/' && s[at] != '?') {
        return sm_cx_fail(p->cx, SM_MISUSE, "malformed host in URL");
    }
    if (s[at] == '/') {
        size_t dend = at + 1;
        while (s[dend] && s[dend] != '?')
            dend++;
        if (dend > at + 1 &&
            (rc = decode(p, s + at + 1, dend - at - 1, "database name", &u->db)) != SM_OK)
            return rc;
        at = dend;
    }
    if (s[at] == '?')
        return parse_query(p, at + 1);
    return SM_OK;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Checks a libpq keyword string (key = value, values bare or in single
 * quotes with backslash escapes, as PQconnectdb reads them) against the
 * keyword list and records the password values for redaction.  The
 * string itself is handed to libpq unchanged. */
static int check_conninfo(parser *p, size_t at)
{
    const char *s = p->src;
    for (;;) {
        while (is_space(s[at]))
            at++;
        if (!s[at])
            return SM_OK;
        size_t k = at;
        while (s[at] && s[at] != '=' && !is_space(s[at]))
            at++;
        size_t kn = at - k;
        while (is_space(s[at]))
            at++;
        if (s[at] != '=') {
            /* Not quoted: the text may be part of a password. */
            return sm_cx_fail(p->cx, SM_MISUSE,
                              "malformed libpq keyword string (expected key=value pairs)");
        }
        if (!key_known(pg_keys, s + k, kn))
            return sm_cx_fail(p->cx, SM_MISUSE, "unknown parameter '%.*s' in a postgres URL",
                              (int)(kn > 64 ? 64 : kn), s + k);
        at++;
        while (is_space(s[at]))
            at++;
        size_t v = at;
        if (s[at] == '\'') {
            at++;
            while (s[at] && s[at] != '\'') {
                if (s[at] == '\\' && s[at + 1])
                    at++;
                at++;
            }
            if (s[at] != '\'')
                return sm_cx_fail(p->cx, SM_MISUSE,
                                  "malformed libpq keyword string: unterminated quoted value");
            at++;
        } else {
            while (s[at] && !is_space(s[at])) {
                if (s[at] == '\\' && s[at + 1])
                    at++;
                at++;
            }
        }
        if (key_secret(s + k, kn))
            add_secret(p, v, at - v);
    }
}

static bool scheme_is(const char *s, size_t n, const char *name)
{
    if (strlen(name) != n)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != name[i])
            return false;
    }
    return true;
}

static int parse(parser *p)
{
    const char *s = p->src;
    sm_url *u = p->out;
    size_t n = 0;
    while ((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z') ||
           (s[n] >= '0' && s[n] <= '9') || s[n] == '+' || s[n] == '.' || s[n] == '-')
        n++;
    if (n == 0 || s[n] != ':')
        return sm_cx_fail(p->cx, SM_MISUSE, "URL has no scheme (expected %s)", schemes_list);
    int rc = dup_n(p, s, n, &u->scheme);
    if (rc != SM_OK)
        return rc;
    for (char *c = u->scheme; *c; c++)
        if (*c >= 'A' && *c <= 'Z')
            *c = (char)(*c - 'A' + 'a');
    size_t rest = n + 1;
    bool slashes = s[rest] == '/' && s[rest + 1] == '/';
    if (scheme_is(s, n, "sqlite")) {
        u->dialect = SM_SQLITE;
        if (!s[rest])
            return sm_cx_fail(p->cx, SM_MISUSE,
                              "sqlite URL without a path (sqlite:FILE or sqlite::memory:)");
        return dup_n(p, s + rest, strlen(s + rest), &u->path);
    }
    if (scheme_is(s, n, "postgres") || scheme_is(s, n, "postgresql")) {
        u->dialect = SM_POSTGRES;
        p->keys = pg_keys;
        if (slashes)
            return parse_network(p, rest + 2);
        if (!scheme_is(s, n, "postgres"))
            return sm_cx_fail(p->cx, SM_MISUSE, "postgresql: URLs need '//' (%s)", schemes_list);
        if ((rc = check_conninfo(p, rest)) != SM_OK)
            return rc;
        return dup_n(p, s + rest, strlen(s + rest), &u->conninfo);
    }
    if (scheme_is(s, n, "mysql") || scheme_is(s, n, "mariadb")) {
        u->dialect = SM_MYSQL;
        p->keys = mysql_keys;
        if (!slashes)
            return sm_cx_fail(p->cx, SM_MISUSE, "%s URLs need '//' (%s)", u->scheme,
                              schemes_list);
        return parse_network(p, rest + 2);
    }
    return sm_cx_fail(p->cx, SM_MISUSE, "unknown URL scheme '%.32s' (expected %s)", u->scheme,
                      schemes_list);
}

int sm_url_parse(sm_cx *cx, const char *url, sm_url *out)
{
    memset(out, 0, sizeof *out);
    if (!url)
        return sm_cx_fail(cx, SM_MISUSE, "no URL given");
    parser p;
    memset(&p, 0, sizeof p);
    p.cx = cx;
    p.src = url;
    p.out = out;
    int rc = parse(&p);
    if (rc == SM_OK)
        rc = redact(&p);
    if (rc != SM_OK)
        sm_url_free(out);
    return rc;
}

void sm_url_free(sm_url *u)
{
    if (!u)
        return;
    free(u->scheme);
    free(u->path);
    free(u->user);
    /* The password is wiped before it goes back to the allocator. */
    if (u->password) {
        volatile char *pw = u->password;
        while (*pw)
            *pw++ = 0;
        free(u->password);
    }
    free(u->host);
    free(u->db);
    free(u->conninfo);
    for (size_t i = 0; i < u->nparams; i++) {
        free(u->params[i].key);
        free(u->params[i].value);
    }
    free(u->params);
    free(u->redacted);
    memset(u, 0, sizeof *u);
}
