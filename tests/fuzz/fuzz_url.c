/*
 * fuzz_url.c: sm_url_parse on arbitrary strings.  Besides crashes and
 * leaks it checks that secrets stay secret, with an oracle written from
 * the documented URL syntax (docs/c-api.md) rather than from url.c:
 *
 *  - Non-interference: the secrets of the input (the password of a
 *    URL's user information, the values of password and sslpassword
 *    parameters, and of those keywords in a libpq keyword string, or in
 *    a libpq URI given as one) are changed letter for letter; the result
 *    code, the error message and the redacted URL must not change.
 *  - A redacted URL parses again to the same URL with every secret
 *    "***"; libpq itself (PQconninfoParse) reads "***" for every
 *    password of a redacted keyword string.
 */
#include "fuzz.h"
#include "internal.h"

#include <libpq-fe.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- The oracle: where the secrets of a URL are ------------------------------ */

typedef struct span {
    size_t at, len;
} span;

typedef struct secrets {
    span s[64]; /* more are not altered: the oracle only errs on the side of silence */
    size_t n;
} secrets;

static void add(secrets *o, size_t at, size_t len)
{
    if (o->n < sizeof o->s / sizeof o->s[0])
        o->s[o->n++] = (span){at, len};
}

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
         : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Is s[0..n), percent-decoded, "password" or "sslpassword"? */
static bool secret_key(const char *s, size_t n, bool coded)
{
    char k[16];
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (coded && c == '%') {
            if (i + 2 >= n)
                return false;
            int hi = hexval(s[i + 1]), lo = hexval(s[i + 2]);
            if (hi < 0 || lo < 0)
                return false;
            c = (char)(hi * 16 + lo);
            i += 2;
        }
        if (j == sizeof k - 1)
            return false;
        k[j++] = c;
    }
    k[j] = 0;
    return strcmp(k, "password") == 0 || strcmp(k, "sslpassword") == 0;
}

/* scheme://[user[:password]@]host...[?k=v&...] from s[at]: the user
 * information ends at the last '@' before the first '?'. */
static void network_secrets(const char *s, size_t at, secrets *o)
{
    size_t n = strlen(s), q = at;
    while (q < n && s[q] != '?')
        q++;
    size_t amp = SIZE_MAX;
    for (size_t i = at; i < q; i++)
        if (s[i] == '@')
            amp = i;
    if (amp != SIZE_MAX) {
        size_t colon = at;
        while (colon < amp && s[colon] != ':')
            colon++;
        if (colon < amp)
            add(o, colon + 1, amp - colon - 1);
    }
    for (size_t i = q + 1; i < n;) {
        size_t end = i;
        while (end < n && s[end] != '&')
            end++;
        size_t eq = i;
        while (eq < end && s[eq] != '=')
            eq++;
        if (eq < end && secret_key(s + i, eq - i, true))
            add(o, eq + 1, end - eq - 1);
        i = end + 1;
    }
}

static bool space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* A libpq keyword string from s[at] (PQconnectdb's rules), or a libpq
 * URI when it starts like one. */
static void keyword_secrets(const char *s, size_t at, secrets *o)
{
    if (strncmp(s + at, "postgresql://", 13) == 0) {
        network_secrets(s, at + 13, o);
        return;
    }
    if (strncmp(s + at, "postgres://", 11) == 0) {
        network_secrets(s, at + 11, o);
        return;
    }
    for (;;) {
        while (space(s[at]))
            at++;
        if (!s[at])
            return;
        size_t k = at;
        while (s[at] && s[at] != '=' && !space(s[at]))
            at++;
        size_t kn = at - k;
        while (space(s[at]))
            at++;
        if (s[at] != '=')
            return;
        at++;
        while (space(s[at]))
            at++;
        size_t v = at, vn;
        if (s[at] == '\'') {
            /* The secret is what the quotes hold (docs/c-api.md: it is
             * redacted as '***'). */
            for (at++; s[at] && s[at] != '\''; at++)
                if (s[at] == '\\' && s[at + 1])
                    at++;
            v++;
            vn = at - v;
            if (s[at])
                at++;
        } else {
            for (; s[at] && !space(s[at]); at++)
                if (s[at] == '\\' && s[at + 1])
                    at++;
            vn = at - v;
        }
        if (secret_key(s + k, kn, false))
            add(o, v, vn);
    }
}

static bool scheme_is(const char *s, size_t n, const char *name)
{
    if (strlen(name) != n)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] - 'A' + 'a') : s[i];
        if (c != name[i])
            return false;
    }
    return true;
}

static void find_secrets(const char *s, secrets *o)
{
    o->n = 0;
    size_t n = 0;
    while ((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z') ||
           (s[n] >= '0' && s[n] <= '9') || s[n] == '+' || s[n] == '.' || s[n] == '-')
        n++;
    if (n == 0 || s[n] != ':')
        return;
    bool slashes = s[n + 1] == '/' && s[n + 2] == '/';
    if (scheme_is(s, n, "postgres") || scheme_is(s, n, "postgresql") ||
        scheme_is(s, n, "mysql") || scheme_is(s, n, "mariadb")) {
        if (slashes)
            network_secrets(s, n + 3, o);
        else if (scheme_is(s, n, "postgres"))
            keyword_secrets(s, n + 1, o);
    }
}

/* Another letter or digit of the same kind: hex digits stay hex digits
 * and zeros stay zeros, so every percent-escape keeps its validity. */
static char other(char c)
{
    if (c >= '1' && c <= '9')
        return (char)('1' + (c - '1' + 1) % 9);
    if (c >= 'a' && c <= 'f')
        return (char)('a' + (c - 'a' + 1) % 6);
    if (c >= 'A' && c <= 'F')
        return (char)('A' + (c - 'A' + 1) % 6);
    if (c >= 'g' && c <= 'z')
        return (char)('g' + (c - 'g' + 1) % 20);
    if (c >= 'G' && c <= 'Z')
        return (char)('G' + (c - 'G' + 1) % 20);
    return c;
}

/* ---- Parsing ------------------------------------------------------------------------ */

typedef struct result {
    int rc;
    char *msg;  /* the error message, on failure */
    sm_url url; /* on success */
} result;

static void parse(const char *s, result *r)
{
    sm_cx cx;
    sm_cx_init(&cx);
    r->rc = sm_url_parse(&cx, s, &r->url);
    r->msg = r->rc == SM_OK ? NULL : strdup(sm_cx_errmsg(&cx));
    FUZZ_CHECK(r->rc == SM_OK || r->msg, "out of memory");
    sm_cx_free(&cx);
}

static void result_free(result *r)
{
    free(r->msg);
    sm_url_free(&r->url);
}

static bool same(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

/* libpq's reading of a keyword string's passwords matches the redaction. */
static void check_libpq(const char *orig, const char *redacted)
{
    PQconninfoOption *a = PQconninfoParse(orig, NULL);
    if (!a)
        return; /* not a string this libpq accepts: nothing to compare */
    PQconninfoOption *b = PQconninfoParse(redacted, NULL);
    FUZZ_CHECK(b, "libpq reads '%s' but not its redaction", orig);
    for (PQconninfoOption *x = a; x->keyword; x++) {
        if (strcmp(x->keyword, "password") != 0 && strcmp(x->keyword, "sslpassword") != 0)
            continue;
        const char *rv = NULL;
        for (PQconninfoOption *y = b; y->keyword; y++)
            if (strcmp(y->keyword, x->keyword) == 0)
                rv = y->val;
        if (x->val && !same(rv, "***"))
            FUZZ_FAIL("libpq reads %s '%s' from the redacted keyword string", x->keyword,
                      rv ? rv : "(none)");
    }
    PQconninfoFree(a);
    PQconninfoFree(b);
}

/* A redacted URL reads back as the same URL with its secrets "***". */
static void check_redacted(const char *in, const sm_url *u)
{
    FUZZ_CHECK(u->redacted, "no redacted URL for '%s'", in);
    secrets o;
    find_secrets(u->redacted, &o);
    for (size_t i = 0; i < o.n; i++)
        if (o.s[i].len != 3 || memcmp(u->redacted + o.s[i].at, "***", 3) != 0)
            FUZZ_FAIL("the redaction '%s' of '%s' does not read with every secret '***'",
                      u->redacted, in);
    result r = {0};
    parse(u->redacted, &r);
    FUZZ_CHECK(r.rc == SM_OK, "the redaction '%s' of '%s' does not parse: %s", u->redacted, in,
               r.msg);
    const sm_url *v = &r.url;
    FUZZ_CHECK(v->dialect == u->dialect && v->port == u->port && same(v->scheme, u->scheme) &&
                   same(v->path, u->path) && same(v->user, u->user) && same(v->host, u->host) &&
                   same(v->db, u->db) && v->nparams == u->nparams,
               "the redaction '%s' of '%s' names another URL", u->redacted, in);
    FUZZ_CHECK(u->password ? same(v->password, "***") : !v->password,
               "the redaction '%s' of '%s' has the password '%s'", u->redacted, in,
               v->password ? v->password : "(none)");
    for (size_t i = 0; i < u->nparams; i++) {
        const char *k = u->params[i].key;
        FUZZ_CHECK(same(k, v->params[i].key), "the redaction of '%s' renames a parameter", in);
        bool secret = secret_key(k, strlen(k), false);
        FUZZ_CHECK(same(v->params[i].value, secret ? "***" : u->params[i].value),
                   "the redaction '%s' of '%s' has %s='%s'", u->redacted, in, k,
                   v->params[i].value);
    }
    FUZZ_CHECK(same(v->redacted, u->redacted), "redacting '%s' twice gives '%s'", u->redacted,
               v->redacted);
    if (u->conninfo)
        check_libpq(u->conninfo, v->conninfo);
    result_free(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (memchr(data, 0, size))
        return -1; /* a C string ends at its NUL */
    char *s = malloc(size + 1), *t = malloc(size + 1);
    FUZZ_CHECK(s && t, "out of memory");
    memcpy(s, data, size);
    s[size] = 0;

    result a = {0}, b = {0};
    parse(s, &a);
    if (a.rc == SM_OK)
        check_redacted(s, &a.url);
    else
        FUZZ_CHECK(a.rc == SM_MISUSE, "sm_url_parse returned %d", a.rc);

    /* The same URL with other secrets must give the same answer. */
    secrets o;
    find_secrets(s, &o);
    memcpy(t, s, size + 1);
    for (size_t i = 0; i < o.n; i++)
        for (size_t k = o.s[i].at; k < o.s[i].at + o.s[i].len; k++)
            t[k] = other(t[k]);
    if (strcmp(s, t) != 0) {
        parse(t, &b);
        FUZZ_CHECK(a.rc == b.rc, "'%s' gives %d, '%s' gives %d: the code depends on a secret",
                   s, a.rc, t, b.rc);
        FUZZ_CHECK(same(a.msg, b.msg), "the message depends on a secret: '%s' -> '%s', '%s' -> '%s'",
                   s, a.msg, t, b.msg);
        FUZZ_CHECK(same(a.url.redacted, b.url.redacted),
                   "the redaction depends on a secret: '%s' -> '%s', '%s' -> '%s'", s,
                   a.url.redacted, t, b.url.redacted);
        result_free(&b);
    }
    result_free(&a);
    free(s);
    free(t);
    return 0;
}
