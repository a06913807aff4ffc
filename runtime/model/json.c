/*
 * json.c: the JSON lexer and the string and number helpers shared by the
 * reader and the writer (json.h).
 *
 * The lexer is a pull parser driven by a small state machine and a fixed
 * stack of SM_JSON_MAX_DEPTH container kinds, so hostile nesting costs
 * neither C stack nor heap.  It validates everything the contract calls a
 * syntax error while scanning (UTF-8, escapes, surrogate pairs, numbers),
 * so consumers may use token text without checking it again.
 */
#include "json.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Lexer states: what the next token may be. */
enum {
    ST_VALUE,      /* a value: at the top, after ':', after ',' in an array */
    ST_FIRST_ITEM, /* after '[': a value or ']' */
    ST_FIRST_KEY,  /* after '{': a key or '}' */
    ST_KEY,        /* after ',' in an object: a key */
    ST_NEXT,       /* after a member or element: ',' or the closer */
    ST_END,        /* after the top-level value: the end of input */
    ST_DONE,       /* EOF or an error was returned */
};

void sm_jlex_init(sm_jlex *L, const char *s, size_t n)
{
    L->s = s ? s : "";
    L->n = s ? n : 0;
    L->pos = 0;
    L->vstart = L->start = L->end = 0;
    L->flags = 0;
    L->depth = 0;
    L->state = ST_VALUE;
    L->err = SM_JERR_NONE;
    L->err_pos = 0;
    L->err_msg = NULL;
    L->err_found = false;
}

static int fail(sm_jlex *L, size_t at, const char *msg, bool found)
{
    L->err = SM_JERR_SYNTAX;
    L->err_pos = at;
    L->err_msg = msg;
    L->err_found = found;
    L->state = ST_DONE;
    return SM_JEV_ERROR;
}

const unsigned char sm_json_plain[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

size_t sm_json_utf8_seq(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    unsigned lo = 0x80, hi = 0xBF;
    size_t len;

    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        len = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0)
            lo = 0xA0; /* no overlongs */
        else if (c == 0xED)
            hi = 0x9F; /* no surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F; /* nothing past U+10FFFF */
    } else
        return 0;
    if (n < len || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++)
        if (s[i] < 0x80 || s[i] > 0xBF)
            return 0;
    return len;
}


/* Four hex digits at s[0..4), or -1. */
static long hex4(const unsigned char *s)
{
    long v = 0;
    for (int i = 0; i < 4; i++) {
        int h = sm_hex_value(s[i]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

/*
 * Scans the string whose '"' is at q.  Checks escapes (a high surrogate
 * must be followed by a low one; a low one alone is an error), raw control
 * characters and UTF-8, and records whether unescaping is needed.
 */
static bool lex_string(sm_jlex *L, size_t q)
{
    const unsigned char *s = (const unsigned char *)L->s;
    size_t n = L->n, i = q + 1;
    unsigned flags = 0;

    for (;;) {
        i = sm_json_scan_plain(s, i, n);
        if (i >= n) {
            fail(L, i, "expected '\"' to close the string", false);
            return false;
        }
        unsigned char c = s[i];
        if (c == '"')
            break;
        if (c == '\\') {
            flags |= SM_JTOK_ESC;
            if (i + 1 >= n) {
                fail(L, i + 1, "expected an escape character after '\\'", false);
                return false;
            }
            switch (s[i + 1]) {
            case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
                i += 2;
                continue;
            case 'u':
                break;
            default:
                fail(L, i + 1, "expected one of \" \\ / b f n r t u after '\\'", true);
                return false;
            }
            long cp = i + 6 <= n ? hex4(s + i + 2) : -1;
            if (cp < 0) {
                size_t k = i + 2;
                while (k < n && k < i + 6 && sm_hex_value(s[k]) >= 0)
                    k++;
                fail(L, k, "expected 4 hex digits after '\\u'", k < n);
                return false;
            }
            if (cp >= 0xDC00 && cp <= 0xDFFF) {
                fail(L, i, "lone low surrogate escape (not valid Unicode)", false);
                return false;
            }
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                long lo = -1;
                if (i + 12 <= n && s[i + 6] == '\\' && s[i + 7] == 'u')
                    lo = hex4(s + i + 8);
                if (lo < 0xDC00 || lo > 0xDFFF) {
                    fail(L, i, "lone high surrogate escape: expected a \\uDC00-\\uDFFF escape "
                               "after it",
                         false);
                    return false;
                }
                i += 12;
                continue;
            }
            if (cp == 0)
                flags |= SM_JTOK_NUL;
            i += 6;
            continue;
        }
        if (c < 0x20) {
            fail(L, i, "raw control character in string (expected it escaped)", true);
            return false;
        }
        size_t k = sm_json_utf8_seq(s + i, n - i);
        if (k == 0) {
            fail(L, i, "invalid UTF-8 in string", true);
            return false;
        }
        i += k;
    }
    L->start = q + 1;
    L->end = i;
    L->flags = flags;
    L->pos = i + 1;
    return true;
}

static bool is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/* Scans a number at i by the JSON grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static bool lex_number(sm_jlex *L, size_t i)
{
    const unsigned char *s = (const unsigned char *)L->s;
    size_t n = L->n, b = i;
    unsigned flags = 0;

    if (s[i] == '-')
        i++;
    if (i >= n || !is_digit(s[i])) {
        fail(L, i, "expected a digit after '-'", i < n);
        return false;
    }
    if (s[i] == '0') {
        i++;
        if (i < n && is_digit(s[i])) {
            fail(L, i - 1, "leading zeros are not allowed in numbers", false);
            return false;
        }
    } else
        while (i < n && is_digit(s[i]))
            i++;
    if (i < n && s[i] == '.') {
        flags |= SM_JTOK_FRAC;
        i++;
        if (i >= n || !is_digit(s[i])) {
            fail(L, i, "expected a digit after '.'", i < n);
            return false;
        }
        while (i < n && is_digit(s[i]))
            i++;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        flags |= SM_JTOK_EXP;
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            i++;
        if (i >= n || !is_digit(s[i])) {
            fail(L, i, "expected a digit in the exponent", i < n);
            return false;
        }
        while (i < n && is_digit(s[i]))
            i++;
    }
    L->start = b;
    L->end = i;
    L->flags = flags;
    L->pos = i;
    return true;
}

static int after_value(sm_jlex *L, int ev)
{
    L->state = L->depth ? ST_NEXT : ST_END;
    return ev;
}

static int open_container(sm_jlex *L, size_t i, bool obj)
{
    if (L->depth == SM_JSON_MAX_DEPTH) {
        L->err = SM_JERR_DEPTH;
        L->err_pos = i;
        L->err_msg = "nesting deeper than 64 levels";
        L->err_found = false;
        L->state = ST_DONE;
        return SM_JEV_ERROR;
    }
    L->in_obj[L->depth++] = obj;
    L->vstart = L->start = i;
    L->end = L->pos = i + 1;
    L->state = obj ? ST_FIRST_KEY : ST_FIRST_ITEM;
    return obj ? SM_JEV_OBJ : SM_JEV_ARR;
}

static int close_container(sm_jlex *L, size_t i)
{
    bool obj = L->in_obj[--L->depth];
    L->start = i;
    L->end = L->pos = i + 1;
    return after_value(L, obj ? SM_JEV_OBJ_END : SM_JEV_ARR_END);
}

static int lex_literal(sm_jlex *L, size_t i, const char *word, size_t len, int ev)
{
    if (L->n - i < len || memcmp(L->s + i, word, len) != 0) {
        size_t k = 0;
        while (k < len && i + k < L->n && L->s[i + k] == word[k])
            k++;
        return fail(L, i + k, "expected a value (true, false or null?)", i + k < L->n);
    }
    L->vstart = L->start = i;
    L->end = L->pos = i + len;
    L->flags = 0;
    return after_value(L, ev);
}

static int lex_value(sm_jlex *L, size_t i)
{
    const unsigned char *s = (const unsigned char *)L->s;

    if (i >= L->n)
        return fail(L, i, "expected a value", false);
    switch (s[i]) {
    case '{':
        return open_container(L, i, true);
    case '[':
        return open_container(L, i, false);
    case '"':
        L->vstart = i;
        if (!lex_string(L, i))
            return SM_JEV_ERROR;
        return after_value(L, SM_JEV_STR);
    case 't':
        return lex_literal(L, i, "true", 4, SM_JEV_TRUE);
    case 'f':
        return lex_literal(L, i, "false", 5, SM_JEV_FALSE);
    case 'n':
        return lex_literal(L, i, "null", 4, SM_JEV_NULL);
    default:
        if (s[i] == '-' || is_digit(s[i])) {
            L->vstart = i;
            if (!lex_number(L, i))
                return SM_JEV_ERROR;
            return after_value(L, SM_JEV_NUM);
        }
        if (i == 0 && L->n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
            return fail(L, 0, "byte order mark is not allowed", false);
        return fail(L, i, "expected a value", true);
    }
}

static int lex_key(sm_jlex *L, size_t i)
{
    const unsigned char *s = (const unsigned char *)L->s;
    size_t n = L->n;

    L->vstart = i;
    if (!lex_string(L, i))
        return SM_JEV_ERROR;
    i = L->pos;
    while (i < n && (s[i] == ' ' || s[i] == '\n' || s[i] == '\r' || s[i] == '\t'))
        i++;
    if (i >= n || s[i] != ':')
        return fail(L, i, "expected ':' after object key", i < n);
    L->pos = i + 1;
    L->state = ST_VALUE;
    return SM_JEV_KEY;
}

int sm_jlex_next(sm_jlex *L)
{
    const unsigned char *s = (const unsigned char *)L->s;
    size_t n = L->n, i;

    for (;;) {
        i = L->pos;
        while (i < n && (s[i] == ' ' || s[i] == '\n' || s[i] == '\r' || s[i] == '\t'))
            i++;
        L->pos = i;
        switch (L->state) {
        case ST_VALUE:
            return lex_value(L, i);
        case ST_FIRST_ITEM:
            if (i < n && s[i] == ']')
                return close_container(L, i);
            return lex_value(L, i);
        case ST_FIRST_KEY:
            if (i < n && s[i] == '}')
                return close_container(L, i);
            if (i < n && s[i] == '"')
                return lex_key(L, i);
            return fail(L, i, "expected a string key or '}'", i < n);
        case ST_KEY:
            if (i < n && s[i] == '"')
                return lex_key(L, i);
            return fail(L, i, "expected a string key after ','", i < n);
        case ST_NEXT: {
            bool obj = L->in_obj[L->depth - 1];
            if (i < n && s[i] == ',') {
                L->pos = i + 1;
                L->state = obj ? ST_KEY : ST_VALUE;
                continue;
            }
            if (i < n && s[i] == (obj ? '}' : ']'))
                return close_container(L, i);
            return fail(L, i,
                        obj ? "expected ',' or '}' after an object member"
                            : "expected ',' or ']' after an array element",
                        i < n);
        }
        case ST_END:
            if (i == n) {
                L->state = ST_DONE;
                return SM_JEV_EOF;
            }
            return fail(L, i, "expected the end of the document", true);
        default:
            return L->err ? SM_JEV_ERROR : SM_JEV_EOF;
        }
    }
}

const char *sm_jlex_describe(const sm_jlex *L, char *buf, size_t size)
{
    size_t line = 1, bol = 0, at = L->err_pos;
    const char *msg = L->err_msg ? L->err_msg : "invalid JSON";

    if (at > L->n)
        at = L->n;
    for (size_t i = 0; i < at; i++)
        if (L->s[i] == '\n') {
            line++;
            bol = i + 1;
        }
    if (at >= L->n && L->err == SM_JERR_SYNTAX)
        snprintf(buf, size, "%zu:%zu: unexpected end of input: %s", line, at - bol + 1, msg);
    else if (L->err_found) {
        unsigned char c = (unsigned char)L->s[at];
        if (c >= 0x20 && c < 0x7F)
            snprintf(buf, size, "%zu:%zu: %s, found '%c'", line, at - bol + 1, msg, c);
        else
            snprintf(buf, size, "%zu:%zu: %s, found byte 0x%02x", line, at - bol + 1, msg, c);
    } else
        snprintf(buf, size, "%zu:%zu: %s", line, at - bol + 1, msg);
    return buf;
}

/* ---- Keys of the open objects --------------------------------------------- */

static inline uint64_t rotl(uint64_t x, int b)
{
    return (x << b) | (x >> (64 - b));
}

#define SIPROUND(v0, v1, v2, v3)                                                    \
    do {                                                                          \
        v0 += v1, v1 = rotl(v1, 13), v1 ^= v0, v0 = rotl(v0, 32);                 \
        v2 += v3, v3 = rotl(v3, 16), v3 ^= v2;                                    \
        v0 += v3, v3 = rotl(v3, 21), v3 ^= v0;                                    \
        v2 += v1, v1 = rotl(v1, 17), v1 ^= v2, v2 = rotl(v2, 32);                 \
    } while (0)

/* SipHash-2-4 of p[0..n) under the key (k0, k1), from the paper's
 * description (Aumasson and Bernstein, 2012); words little-endian. */
static uint64_t siphash(uint64_t k0, uint64_t k1, const unsigned char *p, size_t n)
{
    uint64_t v0 = k0 ^ UINT64_C(0x736f6d6570736575), v1 = k1 ^ UINT64_C(0x646f72616e646f6d);
    uint64_t v2 = k0 ^ UINT64_C(0x6c7967656e657261), v3 = k1 ^ UINT64_C(0x7465646279746573);
    uint64_t m, last = (uint64_t)n << 56;
    size_t i = 0;

    for (; n - i >= 8; i += 8) {
        m = 0;
        for (int b = 7; b >= 0; b--)
            m = m << 8 | p[i + (size_t)b];
        v3 ^= m;
        SIPROUND(v0, v1, v2, v3);
        SIPROUND(v0, v1, v2, v3);
        v0 ^= m;
    }
    for (int b = 0; i + (size_t)b < n; b++)
        last |= (uint64_t)p[i + (size_t)b] << (8 * b);
    v3 ^= last;
    SIPROUND(v0, v1, v2, v3);
    SIPROUND(v0, v1, v2, v3);
    v0 ^= last;
    v2 ^= 0xff;
    for (int r = 0; r < 4; r++)
        SIPROUND(v0, v1, v2, v3);
    return v0 ^ v1 ^ v2 ^ v3;
}

/* The marks are written when an object opens, before any read: they are
 * left uninitialised, which keeps a decode without unknown keys as cheap
 * as it was. */
void sm_jkeys_init(sm_jkeys *k)
{
    k->keys = NULL;
    k->nkeys = k->capkeys = 0;
    k->bytes = NULL;
    k->nbytes = k->capbytes = 0;
    k->buckets = NULL;
    k->nbuckets = k->nhashed = 0;
    k->k0 = k->k1 = 0;
    k->seeded = false;
}

void sm_jkeys_free(sm_jkeys *k)
{
    free(k->keys);
    free(k->bytes);
    free(k->buckets);
    sm_jkeys_init(k);
}

void sm_jkeys_open(sm_jkeys *k, int depth)
{
    k->mark[depth] = k->nkeys;
    k->markbytes[depth] = k->nbytes;
}

/* Keys are dropped last in, first out, and each was put at the head of
 * its bucket after every key still below it: it is the head again. */
void sm_jkeys_close(sm_jkeys *k, int depth)
{
    while (k->nkeys > k->mark[depth]) {
        const sm_jkey *e = &k->keys[--k->nkeys];
        if (e->hashed) {
            k->buckets[e->hash & (k->nbuckets - 1)] = e->next;
            k->nhashed--;
        }
    }
    k->nbytes = k->markbytes[depth];
}

static const char *key_text(const sm_jkeys *k, const sm_jlex *L, const sm_jkey *e)
{
    return e->own ? k->bytes + e->off : L->s + e->off;
}

static bool grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return true;
    size_t c = *cap ? *cap : 16;
    while (c < need)
        c *= 2;
    void *q = c <= SIZE_MAX / size ? realloc(*p, c * size) : NULL;
    if (!q)
        return false;
    *p = q;
    *cap = c;
    return true;
}

static void link_key(sm_jkeys *k, size_t i)
{
    sm_jkey *e = &k->keys[i];
    size_t *head = &k->buckets[e->hash & (k->nbuckets - 1)];
    e->next = *head;
    *head = i;
    e->hashed = true;
    k->nhashed++;
}

/* Hashes key i into the table, doubling it (and relinking every hashed
 * key in order, which keeps the last-in-first-out order of each bucket)
 * past a load of 3/4. */
static bool hash_key(sm_jkeys *k, const sm_jlex *L, size_t i)
{
    if (!k->seeded) {
        sm_uuid u;
        if (sm_uuid_v4(&u) == SM_OK) {
            memcpy(&k->k0, u.b, 8);
            memcpy(&k->k1, u.b + 8, 8);
        } else { /* no randomness: still unpredictable enough to a sender */
            k->k0 = (uint64_t)sm_mono_ns();
            k->k1 = (uint64_t)(uintptr_t)k ^ UINT64_C(0x9e3779b97f4a7c15);
        }
        k->seeded = true;
    }
    sm_jkey *e = &k->keys[i];
    e->hash = siphash(k->k0, k->k1, (const unsigned char *)key_text(k, L, e), e->len);
    if ((k->nhashed + 1) * 4 > k->nbuckets * 3) {
        size_t n = k->nbuckets ? k->nbuckets * 2 : 64;
        size_t *b = n <= SIZE_MAX / sizeof *b ? malloc(n * sizeof *b) : NULL;
        if (!b)
            return false;
        free(k->buckets);
        k->buckets = b;
        k->nbuckets = n;
        for (size_t j = 0; j < n; j++)
            b[j] = SIZE_MAX;
        k->nhashed = 0;
        for (size_t j = 0; j < i; j++)
            if (k->keys[j].hashed)
                link_key(k, j);
    }
    link_key(k, i);
    return true;
}

static bool same_key(const sm_jkeys *k, const sm_jlex *L, const sm_jkey *a, const sm_jkey *b)
{
    return a->len == b->len && memcmp(key_text(k, L, a), key_text(k, L, b), a->len) == 0;
}

int sm_jkeys_add(sm_jkeys *k, const sm_jlex *L)
{
    size_t len = L->end - L->start, first = k->mark[L->depth];
    sm_jkey e = {L->start, len, SIZE_MAX, 0, false, false};

    if (!grow((void **)&k->keys, &k->capkeys, k->nkeys + 1, sizeof *k->keys))
        return -1;
    if (L->flags & SM_JTOK_ESC) {
        if (!grow((void **)&k->bytes, &k->capbytes, k->nbytes + len, 1))
            return -1;
        e.off = k->nbytes;
        e.len = sm_json_unescape(L->s + L->start, len, k->bytes + k->nbytes);
        e.own = true;
    }
    size_t i = k->nkeys, count = i - first;
    k->keys[i] = e;
    if (count < SM_JKEYS_SMALL) {
        for (size_t j = first; j < i; j++)
            if (same_key(k, L, &k->keys[j], &k->keys[i]))
                return 1;
    } else {
        /* The object outgrew the linear search: its keys so far are hashed
         * once (a repeat at the switch leaves them hashed for the next
         * key), then each new one, and looked up among this object's. */
        for (size_t j = count == SM_JKEYS_SMALL ? first : i; j <= i; j++)
            if (!k->keys[j].hashed && !hash_key(k, L, j))
                return -1;
        const sm_jkey *n = &k->keys[i];
        for (size_t j = n->next; j != SIZE_MAX && j >= first; j = k->keys[j].next)
            if (k->keys[j].hash == n->hash && same_key(k, L, &k->keys[j], n)) {
                k->buckets[n->hash & (k->nbuckets - 1)] = n->next; /* unlink it again */
                k->nhashed--;
                return 1;
            }
    }
    k->nkeys++;
    if (e.own)
        k->nbytes += e.len;
    return 0;
}

int sm_json_check(const char *s, size_t n, int outer)
{
    sm_jlex L;
    sm_jkeys k;
    int ev, rc = SM_OK;

    sm_jlex_init(&L, s, n);
    sm_jkeys_init(&k);
    do {
        ev = sm_jlex_next(&L);
        if ((ev == SM_JEV_OBJ || ev == SM_JEV_ARR) && L.depth + outer > SM_JSON_MAX_DEPTH)
            rc = SM_INVALID;
        else if (ev == SM_JEV_OBJ)
            sm_jkeys_open(&k, L.depth);
        else if (ev == SM_JEV_OBJ_END)
            sm_jkeys_close(&k, L.depth + 1);
        else if (ev == SM_JEV_KEY) {
            int d = sm_jkeys_add(&k, &L);
            rc = d < 0 ? SM_NOMEM : d ? SM_INVALID : SM_OK;
        } else if (ev == SM_JEV_ERROR)
            rc = SM_INVALID;
    } while (rc == SM_OK && ev != SM_JEV_EOF);
    sm_jkeys_free(&k);
    return rc;
}

static size_t put_utf8(char *d, unsigned long cp)
{
    if (cp < 0x80) {
        d[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        d[0] = (char)(0xC0 | (cp >> 6));
        d[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        d[0] = (char)(0xE0 | (cp >> 12));
        d[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        d[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    d[0] = (char)(0xF0 | (cp >> 18));
    d[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    d[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    d[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

size_t sm_json_unescape(const char *s, size_t n, char *dst)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, o = 0;

    while (i < n) {
        const char *bs = memchr(s + i, '\\', n - i);
        size_t run = bs ? (size_t)(bs - (s + i)) : n - i;
        memmove(dst + o, s + i, run);
        o += run;
        i += run;
        if (i >= n)
            break;
        char e = s[i + 1];
        i += 2;
        switch (e) {
        case 'b': dst[o++] = '\b'; break;
        case 'f': dst[o++] = '\f'; break;
        case 'n': dst[o++] = '\n'; break;
        case 'r': dst[o++] = '\r'; break;
        case 't': dst[o++] = '\t'; break;
        case 'u': {
            unsigned long cp = (unsigned long)hex4(u + i);
            i += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF) { /* the lexer checked the pair */
                unsigned long lo = (unsigned long)hex4(u + i + 2);
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                i += 6;
            }
            o += put_utf8(dst + o, cp);
            break;
        }
        default: /* '"' '\\' '/' */
            dst[o++] = e;
            break;
        }
    }
    return o;
}

/*
 * The C library's number conversions follow LC_NUMERIC, which an
 * application may set to a locale with a decimal comma.  These brackets
 * switch the calling thread (only) to the C locale; without one (out of
 * memory) the conversions still run, in the thread's locale.
 */
static locale_t c_locale_enter(locale_t *old)
{
    locale_t c = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    if (c)
        *old = uselocale(c);
    return c;
}

static void c_locale_leave(locale_t c, locale_t old)
{
    if (c) {
        uselocale(old);
        freelocale(c);
    }
}

/* Exact powers of ten representable as doubles. */
static const double pow10_exact[] = {
    1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

/*
 * Clinger's fast path: a mantissa of at most 15 digits (exact in a double)
 * scaled by an exact power of ten up to 1e22 is correctly rounded by one
 * multiplication or division.  Covers nearly every number seen in
 * practice without the locale bracket and strtod.
 */
static bool parse_double_fast(const char *s, size_t n, double *out)
{
    size_t i = 0;
    bool neg = false;
    uint64_t m = 0;
    int digits = 0, exp10 = 0;

    if (s[i] == '-') {
        neg = true;
        i++;
    }
    for (; i < n && is_digit((unsigned char)s[i]); i++) {
        if (m || s[i] != '0')
            digits++;
        m = m * 10 + (uint64_t)(s[i] - '0');
        if (digits > 15)
            return false;
    }
    if (i < n && s[i] == '.') {
        for (i++; i < n && is_digit((unsigned char)s[i]); i++) {
            if (m || s[i] != '0')
                digits++;
            m = m * 10 + (uint64_t)(s[i] - '0');
            exp10--;
            if (digits > 15)
                return false;
        }
    }
    if (i < n) { /* exponent */
        bool eneg = false;
        int e = 0;
        i++;
        if (s[i] == '+' || s[i] == '-')
            eneg = s[i++] == '-';
        for (; i < n; i++) {
            e = e * 10 + (s[i] - '0');
            if (e > 400)
                return false;
        }
        exp10 += eneg ? -e : e;
    }
    if (exp10 < -22 || exp10 > 22)
        return false;
    double v = (double)m;
    v = exp10 < 0 ? v / pow10_exact[-exp10] : v * pow10_exact[exp10];
    *out = neg ? -v : v;
    return true;
}

bool sm_json_parse_double(const char *s, size_t n, double *out)
{
    char small[128], *p = small;
    locale_t c, old = (locale_t)0;

    if (parse_double_fast(s, n, out))
        return true;
    if (n >= sizeof small) {
        p = malloc(n + 1);
        if (!p)
            return false;
    }
    memcpy(p, s, n);
    p[n] = '\0';
    c = c_locale_enter(&old);
    *out = strtod(p, NULL); /* overflow gives +-HUGE_VAL, underflow 0 or subnormal */
    c_locale_leave(c, old);
    if (p != small)
        free(p);
    return true;
}

/* Integral doubles below 1e15 print exactly like %.15g would. */
static size_t fmt_integral(double v, char *buf)
{
    char tmp[24];
    size_t n = 0, o = 0;
    uint64_t u;

    if (signbit(v)) {
        buf[o++] = '-';
        v = -v;
    }
    u = (uint64_t)v;
    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    while (n)
        buf[o++] = tmp[--n];
    buf[o] = '\0';
    return o;
}

size_t sm_json_fmt_double(double v, char *buf)
{
    _Static_assert(SM_REAL_BUFSZ <= 32, "sm_json_fmt_double's buffer holds 32 bytes");
    if (v > -1e15 && v < 1e15 && v == (double)(int64_t)v)
        return fmt_integral(v, buf);
    return sm_real_format(v, buf);
}
