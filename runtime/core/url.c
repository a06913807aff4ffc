/*
 * url.c: connection URLs (DESIGN 4.3), parsed the same way for every
 * driver.  The scheme picks the driver (sm_drivers[]); the driver's
 * sm_url_spec says which forms its URLs take and which parameter keys it
 * accepts (and which of them hold secrets).  The forms are:
 *
 *   SM_URL_PATH      scheme:PATH, everything after the colon, untouched
 *   SM_URL_NET       scheme://user:pass@host:port/db?k=v&...
 *   keyword string   scheme:KEY=VALUE ... (only the spec's keyword
 *                    scheme), kept whole in conninfo
 *
 * In the network form, user, password, host, database and parameters are
 * percent-decoded; the host may be an IPv6 literal in brackets.  The
 * userinfo ends at the last '@' before the query, so a password may hold a
 * raw '/' or '@', but a '?' must be written %3F.  A parameter key is
 * decoded before it is looked up, so an encoded key ("pass%77ord") is the
 * key it spells, secret or not.  Keyword strings follow libpq's syntax:
 * key = value pairs, values bare or in single quotes, with backslash
 * escapes.
 *
 * An unknown key is SM_MISUSE naming the key (when it looks like one),
 * never the value.  Secrets: the password and the values of the spec's
 * secret keys never appear in a message; `redacted` is the URL with each
 * of them replaced by "***".
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A span of the input replaced by "***" in the redacted copy. */
typedef struct span {
    size_t at, len;
} span;

typedef struct parser {
    sm_cx *cx;
    const char *src;
    sm_url *out;
    const sm_url_spec *spec;
    span *secret; /* in source order */
    size_t nsecret, capsecret;
} parser;

static bool in_list(const char *const *list, const char *k, size_t n)
{
    for (size_t i = 0; list && list[i]; i++)
        if (strlen(list[i]) == n && memcmp(list[i], k, n) == 0)
            return true;
    return false;
}

/* A key is shown in a message only when it looks like one: a short run
 * of letters, digits, '_' and '-' (anything else may be a mistyped
 * secret). */
static bool showable(const char *k, size_t n)
{
    if (n == 0 || n > 64)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = k[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-'))
            return false;
    }
    return true;
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

/* Records a secret span; every one is kept, however many there are. */
static int add_secret(parser *p, size_t at, size_t len)
{
    if (p->nsecret == p->capsecret) {
        size_t cap = p->capsecret ? p->capsecret * 2 : 4;
        span *s = realloc(p->secret, cap * sizeof *s);
        if (!s)
            return sm_cx_fail(p->cx, SM_NOMEM, "out of memory parsing a URL");
        p->secret = s;
        p->capsecret = cap;
    }
    p->secret[p->nsecret].at = at;
    p->secret[p->nsecret].len = len;
    p->nsecret++;
    return SM_OK;
}

/* Builds `redacted` from the source with every secret span replaced. */
static int redact(parser *p)
{
    size_t n = strlen(p->src);
    if (p->nsecret > (SIZE_MAX - n - 1) / 3)
        return sm_cx_fail(p->cx, SM_NOMEM, "out of memory parsing a URL");
    char *r = malloc(n + p->nsecret * 3 + 1);
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

static int unknown_key(parser *p, const char *k, size_t n)
{
    if (showable(k, n))
        return sm_cx_fail(p->cx, SM_MISUSE, "unknown parameter '%.*s' in a %s URL", (int)n, k,
                          p->out->drv->name);
    return sm_cx_fail(p->cx, SM_MISUSE, "malformed parameter name in a %s URL",
                      p->out->drv->name);
}

/* One k=v of the query string (src[k..k+kn) = src[v..v+vn)). */
static int add_param(parser *p, size_t k, size_t kn, size_t v, size_t vn)
{
    sm_url *u = p->out;
    char *key = NULL, *val = NULL;
    int rc = decode(p, p->src + k, kn, "parameter names", &key);
    if (rc != SM_OK)
        return rc;
    size_t klen = strlen(key);
    /* The decoded key decides: "pass%77ord" is the password. */
    if (in_list(p->spec->secrets, key, klen) && (rc = add_secret(p, v, vn)) != SM_OK) {
        free(key);
        return rc;
    }
    if (!in_list(p->spec->keys, key, klen)) {
        rc = unknown_key(p, key, klen);
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
    if ((rc = decode(p, p->src + v, vn, "parameter values", &val)) != SM_OK) {
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
                /* The whole of it may be a secret typed without its key:
                 * shown only when it looks like a key. */
                if (showable(s + at, eq - at))
                    return sm_cx_fail(p->cx, SM_MISUSE, "URL parameter '%.*s' has no value",
                                      (int)(eq - at), s + at);
                return sm_cx_fail(p->cx, SM_MISUSE, "URL parameter without a value");
            }
            int rc = add_param(p, at, eq - at, eq + 1, end - eq - 1);
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
            if ((rc = add_secret(p, colon + 1, amp - colon - 1)) != SM_OK ||
                (rc = decode(p, s + colon + 1, amp - colon - 1, "password", &u->password)) != SM_OK)
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

/* Checks a keyword string (key = value, values bare or in single quotes
 * with backslash escapes) against the spec's keys and records the values
 * of secret keys for redaction.  The string itself goes to the driver
 * unchanged.  A "key" that is not a plain word (a URL given after the
 * keyword scheme, "postgres:postgresql://u:pw@h/db?host=x") may hold a
 * password and is never shown. */
static int check_keywords(parser *p, size_t at)
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
        if (s[at] != '=' || !showable(s + k, kn))
            return sm_cx_fail(p->cx, SM_MISUSE, "malformed %s keyword string (expected key=value "
                                                "pairs)",
                              p->out->drv->name);
        if (!in_list(p->spec->keys, s + k, kn))
            return unknown_key(p, s + k, kn);
        at++;
        while (is_space(s[at]))
            at++;
        size_t v = at, vn;
        if (s[at] == '\'') {
            at++;
            while (s[at] && s[at] != '\'') {
                if (s[at] == '\\' && s[at + 1])
                    at++;
                at++;
            }
            if (s[at] != '\'')
                return sm_cx_fail(p->cx, SM_MISUSE, "malformed %s keyword string: unterminated "
                                                    "quoted value",
                                  p->out->drv->name);
            at++;
            /* Inside the quotes: '***' keeps what follows a value of its
             * own (password='x'host=h has a host). */
            v++;
            vn = at - v - 1;
        } else {
            while (s[at] && !is_space(s[at])) {
                if (s[at] == '\\' && s[at + 1])
                    at++;
                at++;
            }
            vn = at - v;
        }
        int rc;
        if (in_list(p->spec->secrets, s + k, kn) && (rc = add_secret(p, v, vn)) != SM_OK)
            return rc;
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

/* "sqlite:, postgres://, postgresql://, postgres:<keywords>, mysql:// or
 * mariadb://", from the drivers' specs. */
static void schemes_list(char *buf, size_t size)
{
    const char *item[32];
    char tmp[32][48];
    size_t n = 0;
    for (size_t d = 0; sm_drivers[d]; d++) {
        const sm_url_spec *sp = sm_drivers[d]->url;
        for (size_t i = 0; sp->schemes[i] && n < 32; i++) {
            const char *sch = sp->schemes[i];
            if (sp->forms & SM_URL_PATH) {
                snprintf(tmp[n], sizeof tmp[n], "%s:", sch);
                item[n] = tmp[n];
                n++;
            }
            if ((sp->forms & SM_URL_NET) && n < 32) {
                snprintf(tmp[n], sizeof tmp[n], "%s://", sch);
                item[n] = tmp[n];
                n++;
            }
        }
        if (sp->keyword_scheme && n < 32) {
            snprintf(tmp[n], sizeof tmp[n], "%s:<keywords>", sp->keyword_scheme);
            item[n] = tmp[n];
            n++;
        }
    }
    size_t len = 0;
    buf[0] = 0;
    for (size_t i = 0; i < n && len < size; i++) {
        const char *sep = i == 0 ? "" : i + 1 == n ? " or " : ", ";
        int w = snprintf(buf + len, size - len, "%s%s", sep, item[i]);
        if (w < 0)
            break;
        len += (size_t)w;
    }
}

static int no_scheme(parser *p, const char *fmt, const char *scheme)
{
    char list[512];
    schemes_list(list, sizeof list);
    if (scheme)
        return sm_cx_fail(p->cx, SM_MISUSE, fmt, scheme, list);
    return sm_cx_fail(p->cx, SM_MISUSE, "URL has no scheme (expected %s)", list);
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
        return no_scheme(p, NULL, NULL);
    int rc = dup_n(p, s, n, &u->scheme);
    if (rc != SM_OK)
        return rc;
    for (char *c = u->scheme; *c; c++)
        if (*c >= 'A' && *c <= 'Z')
            *c = (char)(*c - 'A' + 'a');
    for (size_t d = 0; sm_drivers[d] && !u->drv; d++)
        for (size_t i = 0; sm_drivers[d]->url->schemes[i]; i++)
            if (scheme_is(s, n, sm_drivers[d]->url->schemes[i]))
                u->drv = sm_drivers[d];
    if (!u->drv)
        return no_scheme(p, "unknown URL scheme '%.32s' (expected %s)", u->scheme);
    u->dialect = u->drv->dialect;
    p->spec = u->drv->url;
    size_t rest = n + 1;
    if (p->spec->forms & SM_URL_PATH) {
        if (!s[rest])
            return sm_cx_fail(p->cx, SM_MISUSE, "%s URL without a path (%s)", u->scheme,
                              p->spec->path_hint ? p->spec->path_hint : "scheme:PATH");
        return dup_n(p, s + rest, strlen(s + rest), &u->path);
    }
    if (s[rest] == '/' && s[rest + 1] == '/')
        return parse_network(p, rest + 2);
    if (!p->spec->keyword_scheme || strcmp(u->scheme, p->spec->keyword_scheme) != 0)
        return no_scheme(p, "%s: URLs need '//' (expected %s)", u->scheme);
    if ((rc = check_keywords(p, rest)) != SM_OK)
        return rc;
    return dup_n(p, s + rest, strlen(s + rest), &u->conninfo);
}

int sm_url_parse(sm_cx *cx, const char *url, sm_url *out)
{
    memset(out, 0, sizeof *out);
    if (!url)
        return sm_cx_fail(cx, SM_MISUSE, "no URL given: url is NULL");
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
    free(p.secret);
    return rc;
}

/* Wipes s before it goes back to the allocator. */
static void wipe_free(char *s)
{
    if (!s)
        return;
    sm_wipe(s, strlen(s));
    free(s);
}

void sm_url_free(sm_url *u)
{
    if (!u)
        return;
    free(u->scheme);
    free(u->path);
    free(u->user);
    wipe_free(u->password);
    free(u->host);
    free(u->db);
    wipe_free(u->conninfo);
    for (size_t i = 0; i < u->nparams; i++) {
        free(u->params[i].key);
        wipe_free(u->params[i].value);
    }
    free(u->params);
    free(u->redacted);
    memset(u, 0, sizeof *u);
}
