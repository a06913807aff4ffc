/*
 * mutators.c: deterministic damage to schemas.  Token boundaries come
 * from a forgiving scanner of its own (the input may already be broken,
 * and the point is to feed smc what its lexer would not produce);
 * keywords come from the lexer's own table.  Every mutation is a splice
 * of the buffer: remove a range, insert bytes.
 */
#include "mutate.h"

#include "lex.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct range {
    size_t off, len;
} range;

typedef struct ranges {
    range *v;
    size_t n, cap;
} ranges;

static int ranges_push(ranges *rs, size_t off, size_t len)
{
    if (rs->n == rs->cap) {
        size_t cap = rs->cap ? rs->cap * 2 : 256;
        range *v = realloc(rs->v, cap * sizeof *v);
        if (!v)
            return -1;
        rs->v = v;
        rs->cap = cap;
    }
    rs->v[rs->n].off = off;
    rs->v[rs->n].len = len;
    rs->n++;
    return 0;
}

static bool word_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '@';
}

/* Splits s into rough tokens: words, strings (to the closing quote or
 * the end of the line), comments, two-character operators, single bytes. */
static int scan_tokens(const char *s, size_t n, ranges *out)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        size_t start = i;
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            i++;
            continue;
        }
        if (c == '"') {
            for (i++; i < n && s[i] != '"' && s[i] != '\n'; i++)
                if (s[i] == '\\' && i + 1 < n)
                    i++;
            if (i < n && s[i] == '"')
                i++;
        } else if (c == '/' && i + 1 < n && s[i + 1] == '/') {
            while (i < n && s[i] != '\n')
                i++;
        } else if (c == '/' && i + 1 < n && s[i + 1] == '*') {
            const char *e = NULL;
            for (size_t k = i + 2; k + 1 < n; k++)
                if (s[k] == '*' && s[k + 1] == '/') {
                    e = s + k + 2;
                    break;
                }
            i = e ? (size_t)(e - s) : n;
        } else if (word_char(c)) {
            while (i < n && word_char((unsigned char)s[i]))
                i++;
        } else if (i + 1 < n && strchr("-=!<>", c) && strchr(">=", s[i + 1])) {
            i += 2;
        } else {
            i++;
        }
        if (ranges_push(out, start, i - start) != 0)
            return -1;
    }
    return 0;
}

static int scan_lines(const char *s, size_t n, ranges *out)
{
    size_t start = 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] == '\n') {
            if (ranges_push(out, start, i + 1 - start) != 0)
                return -1;
            start = i + 1;
        }
    if (start < n)
        return ranges_push(out, start, n - start);
    return 0;
}

/* Replaces b[at, at + del) with ins[0, inslen). */
static int splice(sm_buf *b, size_t at, size_t del, const char *ins, size_t inslen)
{
    if (at > b->len)
        at = b->len;
    if (del > b->len - at)
        del = b->len - at;
    sm_buf nb = SM_BUF_INIT;
    int rc = SM_OK;
    if (at)
        rc = sm_buf_append(&nb, b->data, at);
    if (rc == SM_OK && inslen)
        rc = sm_buf_append(&nb, ins, inslen);
    if (rc == SM_OK && b->len - at - del)
        rc = sm_buf_append(&nb, b->data + at + del, b->len - at - del);
    if (rc == SM_OK && !nb.data)
        rc = sm_buf_append(&nb, "", 0);
    if (rc != SM_OK) {
        sm_buf_free(&nb);
        return -1;
    }
    sm_buf_free(b);
    *b = nb;
    return 0;
}

static const char *const punct[] = {
    "{", "}", "(", ")", "[", "]", ";", ":", ",", ".", "?", "@", "->", "==", "=", "<", ">",
    "<=", ">=", "!=", "*", "/", "-", "+", ":p", ":p?", "@pk", "@fk(", "@rel(", "\"", "/*",
    "*/", "//", "\\", "$", "#", "!", "'", "`", "_", "__", "\n", "\t", "\r",
};

static const char *const numbers[] = {
    "0", "-0", "1", "-1", "007", "9223372036854775807", "9223372036854775808",
    "-9223372036854775808", "-9223372036854775809", "18446744073709551616",
    "99999999999999999999999999", "1.5", "1e999", "-1e999", "1e-999", "1.", "1e", "1.5e+",
    "0x1F", "12abc", "250ms", "5s", "2m", "1h", "9223372036854775807ms",
    "9999999999999999999h", "5sec", ".5", "1.2.3",
};

static const char *const strings[] = {
    "\"\"", "\"x\"", "\"\\u{1F600}\"", "\"\\u{D800}\"", "\"\\u{110000}\"", "\"\\u{0}\"",
    "\"\\q\"", "\"\\u0041\"", "\"\\u{}\"", "\"\\u{1234567}\"", "\"a\" \"b\"", "\"unterminated",
    "\"\\\"", "\"caf\xc3\xa9\"", "\"\xff\"", "\"\xed\xa0\x80\"", "\"%_\\\\\"",
};

static const char *const names[] = {
    "a", "x", "id", "Hero", "Team", "int", "i16", "i32", "text", "bool", "float", "bytes",
    "date", "time", "datetime", "uuid", "json", "decimal", "sort", "dir", "now", "count",
    "lower", "coalesce", "a__b", "_x", "sm_x", "SM_X", "smdl_x", "new", "class", "int64_t",
    "cx", "conn", "out", "arena", "affected", "fn", "ud", "struct", "cascade", "set_null",
    "HeroTeamLink", "hero_team_link", "HTTPLog", "Z9", "@doc", "@pk", "@auto", "@was",
};

/* Bytes smc must reject cleanly: NUL, controls, invalid UTF-8. */
static const char *const bad_bytes[] = {
    "\x00", "\x01", "\x1b", "\x7f", "\x80", "\xbf", "\xc0\xaf", "\xc3", "\xc3\x28",
    "\xe2\x82", "\xed\xa0\x80", "\xef\xbb\xbf", "\xf0\x9f\x98", "\xf4\x90\x80\x80", "\xff",
    "\xfe\xff", "\xc3\xa9", "\xf0\x9f\x98\x80",
};
static const size_t bad_len[] = {1, 1, 1, 1, 1, 1, 2, 1, 2, 2, 3, 3, 3, 4, 1, 2, 2, 4};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *pick(rng *r, const char *const *list, size_t n)
{
    return list[rng_below(r, n)];
}

/* A boundary: the start of a random token, or the end. */
static size_t boundary(rng *r, const sm_buf *b, const ranges *toks)
{
    if (toks->n == 0)
        return rng_below(r, b->len + 1);
    size_t k = rng_below(r, toks->n + 1);
    return k == toks->n ? b->len : toks->v[k].off;
}

/* Inserts text at a boundary, with spaces around it half the time. */
static int insert_at(rng *r, sm_buf *b, const ranges *toks, const char *text, size_t len)
{
    size_t at = boundary(r, b, toks);
    if (rng_below(r, 2)) {
        sm_buf t = SM_BUF_INIT;
        sm_buf_putc(&t, ' ');
        sm_buf_append(&t, text, len);
        sm_buf_putc(&t, ' ');
        int rc = t.data ? splice(b, at, 0, t.data, t.len) : -1;
        sm_buf_free(&t);
        return rc;
    }
    return splice(b, at, 0, text, len);
}

/* Repeats unit n times, for deep nesting and long lines. */
static int repeated(sm_buf *out, const char *unit, size_t n)
{
    size_t ul = strlen(unit);
    for (size_t i = 0; i < n; i++)
        if (sm_buf_append(out, unit, ul) != SM_OK)
            return -1;
    return 0;
}

enum {
    M_TOK_DELETE, M_TOK_DUP, M_TOK_SWAP, M_TOK_KEYWORD, M_TOK_NAME, M_INS_KEYWORD, M_INS_PUNCT,
    M_INS_BYTES, M_FLIP_BYTE, M_TRUNCATE, M_LINE_DELETE, M_LINE_DUP, M_LINE_SWAP, M_DEEP,
    M_LONG_LINE, M_NUMBER, M_STRING, M_CROSSOVER, M_CRLF, M_COUNT
};

int mut_apply(rng *r, sm_buf *b, const sm_buf *other, sm_buf *desc)
{
    ranges toks = {0}, lines = {0};
    int rc = -1;
    if (scan_tokens(b->data ? b->data : "", b->len, &toks) != 0 ||
        scan_lines(b->data ? b->data : "", b->len, &lines) != 0)
        goto out;
    int kind = (int)rng_below(r, M_COUNT);
    /* Token and line mutations need something to work on. */
    if (toks.n == 0 && kind <= M_TOK_NAME)
        kind = M_INS_KEYWORD;
    if (lines.n < 2 && kind >= M_LINE_DELETE && kind <= M_LINE_SWAP)
        kind = M_INS_PUNCT;
    size_t ti = rng_below(r, toks.n);
    range t = toks.n ? toks.v[ti] : (range){0, 0};
    range l = lines.n ? lines.v[rng_below(r, lines.n)] : (range){0, 0};
    switch (kind) {
    case M_TOK_DELETE:
        sm_buf_printf(desc, " del-token@%zu", t.off);
        rc = splice(b, t.off, t.len, NULL, 0);
        break;
    case M_TOK_DUP: {
        sm_buf_printf(desc, " dup-token@%zu", t.off);
        char *copy = malloc(t.len + 1);
        if (!copy)
            break;
        memcpy(copy, b->data + t.off, t.len);
        copy[t.len] = ' ';
        rc = splice(b, t.off, 0, copy, t.len + 1);
        free(copy);
        break;
    }
    case M_TOK_SWAP: {
        /* Mostly with the next token, sometimes with any. */
        size_t ui = rng_below(r, 3) ? ti + 1 : rng_below(r, toks.n);
        range u = toks.v[ui < toks.n ? ui : ti];
        range a = t.off < u.off ? t : u, c = t.off < u.off ? u : t;
        if (a.off == c.off || a.off + a.len > c.off) {
            rc = 0;
            break;
        }
        sm_buf_printf(desc, " swap@%zu,%zu", a.off, c.off);
        sm_buf nb = SM_BUF_INIT;
        sm_buf_append(&nb, b->data, a.off);
        sm_buf_append(&nb, b->data + c.off, c.len);
        sm_buf_append(&nb, b->data + a.off + a.len, c.off - a.off - a.len);
        sm_buf_append(&nb, b->data + a.off, a.len);
        sm_buf_append(&nb, b->data + c.off + c.len, b->len - c.off - c.len);
        if (nb.data && nb.len == b->len) {
            sm_buf_free(b);
            *b = nb;
            rc = 0;
        } else {
            sm_buf_free(&nb);
        }
        break;
    }
    case M_TOK_KEYWORD: {
        const char *k = smc_keywords[rng_below(r, smc_nkeywords)].text;
        sm_buf_printf(desc, " token@%zu=%s", t.off, k);
        rc = splice(b, t.off, t.len, k, strlen(k));
        break;
    }
    case M_TOK_NAME: {
        /* Another word of the file half the time, else one of the pool. */
        range w = toks.v[rng_below(r, toks.n)];
        const char *s;
        size_t n;
        if (rng_below(r, 2) && word_char((unsigned char)b->data[w.off])) {
            s = b->data + w.off;
            n = w.len;
        } else {
            s = pick(r, names, COUNT(names));
            n = strlen(s);
        }
        char *copy = malloc(n + 1);
        if (!copy)
            break;
        memcpy(copy, s, n);
        copy[n] = 0;
        sm_buf_printf(desc, " token@%zu=%.20s", t.off, copy);
        rc = splice(b, t.off, t.len, copy, n);
        free(copy);
        break;
    }
    case M_INS_KEYWORD: {
        const char *k = smc_keywords[rng_below(r, smc_nkeywords)].text;
        sm_buf_printf(desc, " ins-keyword=%s", k);
        rc = insert_at(r, b, &toks, k, strlen(k));
        break;
    }
    case M_INS_PUNCT: {
        const char *p = pick(r, punct, COUNT(punct));
        sm_buf_printf(desc, " ins-punct");
        rc = insert_at(r, b, &toks, p, strlen(p));
        break;
    }
    case M_INS_BYTES: {
        size_t k = rng_below(r, COUNT(bad_bytes));
        size_t at = rng_below(r, b->len + 1);
        sm_buf_printf(desc, " ins-bytes#%zu@%zu", k, at);
        rc = splice(b, at, 0, bad_bytes[k], bad_len[k]);
        break;
    }
    case M_FLIP_BYTE: {
        if (b->len == 0) {
            rc = 0;
            break;
        }
        size_t at = rng_below(r, b->len);
        char c = (char)rng_below(r, 256);
        sm_buf_printf(desc, " byte@%zu=0x%02x", at, (unsigned char)c);
        rc = splice(b, at, 1, &c, 1);
        break;
    }
    case M_TRUNCATE: {
        size_t at = rng_below(r, b->len + 1);
        sm_buf_printf(desc, " truncate@%zu", at);
        rc = splice(b, at, b->len - at, NULL, 0);
        break;
    }
    case M_LINE_DELETE:
        sm_buf_printf(desc, " del-line@%zu", l.off);
        rc = splice(b, l.off, l.len, NULL, 0);
        break;
    case M_LINE_DUP: {
        sm_buf_printf(desc, " dup-line@%zu", l.off);
        char *copy = malloc(l.len + 1);
        if (!copy)
            break;
        memcpy(copy, b->data + l.off, l.len);
        rc = splice(b, l.off, 0, copy, l.len);
        free(copy);
        break;
    }
    case M_LINE_SWAP: {
        range m = lines.v[rng_below(r, lines.n)];
        range a = l.off < m.off ? l : m, c = l.off < m.off ? m : l;
        if (a.off == c.off) {
            rc = 0;
            break;
        }
        sm_buf_printf(desc, " swap-lines@%zu,%zu", a.off, c.off);
        sm_buf nb = SM_BUF_INIT;
        sm_buf_append(&nb, b->data, a.off);
        sm_buf_append(&nb, b->data + c.off, c.len);
        if (c.len && b->data[c.off + c.len - 1] != '\n')
            sm_buf_putc(&nb, '\n');
        sm_buf_append(&nb, b->data + a.off + a.len, c.off - a.off - a.len);
        sm_buf_append(&nb, b->data + a.off, a.len);
        sm_buf_append(&nb, b->data + c.off + c.len, b->len - c.off - c.len);
        if (nb.data) {
            sm_buf_free(b);
            *b = nb;
            rc = 0;
        }
        break;
    }
    case M_DEEP: {
        static const char *const openers[][2] = {
            {"(", ")"}, {"not ", ""}, {"-", ""}, {"lower(", ")"}, {"[", "]"}, {"{", "}"},
            {"@a(", ")"}, {"(select T.a from T where ", ")"}, {"a + ", ""}, {"exists (", ")"},
        };
        size_t k = rng_below(r, COUNT(openers));
        size_t n = 50 + rng_below(r, 3000);
        bool close = rng_below(r, 2);
        sm_buf_printf(desc, " deep#%zu*%zu%s", k, n, close ? "+close" : "");
        sm_buf t = SM_BUF_INIT;
        if (repeated(&t, openers[k][0], n) != 0 || sm_buf_putc(&t, 'x') != SM_OK ||
            (close && repeated(&t, openers[k][1], n) != 0)) {
            sm_buf_free(&t);
            break;
        }
        rc = insert_at(r, b, &toks, t.data, t.len);
        sm_buf_free(&t);
        break;
    }
    case M_LONG_LINE: {
        static const char *const units[] = {"a", "a + ", "\"aaaaaaaa\" ", "9", "/* c */ ",
                                            "@x ", "x: int; ", "\xc3\xa9", " ", ", a"};
        size_t k = rng_below(r, COUNT(units));
        /* Long, but not so long that a compiler with a quadratic step
         * takes seconds (that is a unit test of its own). */
        size_t n = 1000 + rng_below(r, 15000);
        sm_buf_printf(desc, " long#%zu*%zu", k, n);
        sm_buf t = SM_BUF_INIT;
        if (k == 2 || k == 3 || k == 4)
            sm_buf_puts(&t, rng_below(r, 2) ? "\"" : "");
        if (repeated(&t, units[k], n) != 0 || !t.data) {
            sm_buf_free(&t);
            break;
        }
        rc = insert_at(r, b, &toks, t.data, t.len);
        sm_buf_free(&t);
        break;
    }
    case M_NUMBER: {
        const char *s = pick(r, numbers, COUNT(numbers));
        sm_buf_printf(desc, " number=%s", s);
        rc = rng_below(r, 2) && toks.n ? splice(b, t.off, t.len, s, strlen(s))
                                       : insert_at(r, b, &toks, s, strlen(s));
        break;
    }
    case M_STRING: {
        const char *s = pick(r, strings, COUNT(strings));
        sm_buf_printf(desc, " string");
        rc = rng_below(r, 2) && toks.n ? splice(b, t.off, t.len, s, strlen(s))
                                       : insert_at(r, b, &toks, s, strlen(s));
        break;
    }
    case M_CROSSOVER: {
        if (!other || other->len == 0) {
            rc = 0;
            break;
        }
        size_t from = rng_below(r, other->len);
        size_t len = rng_below(r, other->len - from + 1);
        if (len > 4096)
            len = 4096;
        size_t at = boundary(r, b, &toks);
        sm_buf_printf(desc, " crossover@%zu+%zu", at, len);
        rc = splice(b, at, rng_below(r, 2) ? rng_below(r, 200) : 0, other->data + from, len);
        break;
    }
    case M_CRLF: {
        sm_buf nb = SM_BUF_INIT;
        bool all = rng_below(r, 2);
        sm_buf_printf(desc, all ? " crlf" : " cr");
        for (size_t i = 0; i < b->len; i++) {
            if (b->data[i] == '\n' && (all || rng_below(r, 8) == 0))
                sm_buf_putc(&nb, '\r');
            sm_buf_putc(&nb, b->data[i]);
        }
        if (!nb.data)
            sm_buf_append(&nb, "", 0);
        if (nb.data) {
            sm_buf_free(b);
            *b = nb;
            rc = 0;
        }
        break;
    }
    }
out:
    free(toks.v);
    free(lines.v);
    return rc;
}

/* ---- Fixed inputs ---------------------------------------------------------------- */

int mut_random_tokens(rng *r, sm_buf *b, size_t size)
{
    while (b->len < size) {
        const char *s;
        switch (rng_below(r, 6)) {
        case 0:
        case 1: s = smc_keywords[rng_below(r, smc_nkeywords)].text; break;
        case 2: s = pick(r, names, COUNT(names)); break;
        case 3: s = pick(r, numbers, COUNT(numbers)); break;
        case 4: s = pick(r, strings, COUNT(strings)); break;
        default: s = pick(r, punct, COUNT(punct)); break;
        }
        if (sm_buf_puts(b, s) != SM_OK || sm_buf_putc(b, rng_below(r, 16) ? ' ' : '\n') != SM_OK)
            return -1;
    }
    return 0;
}

int mut_random_bytes(rng *r, sm_buf *b, size_t size)
{
    while (b->len < size) {
        uint64_t v = rng_next(r);
        if (sm_buf_append(b, &v, sizeof v) != SM_OK)
            return -1;
    }
    return 0;
}

int mut_only_comments(rng *r, sm_buf *b, size_t size)
{
    while (b->len < size) {
        int rc;
        switch (rng_below(r, 4)) {
        case 0: rc = sm_buf_puts(b, "// a line comment: module x; table T {}\n"); break;
        case 1: rc = sm_buf_puts(b, "/* a block\n   comment with \"quotes\" and * stars **/\n"); break;
        case 2: rc = sm_buf_puts(b, "// caf\xc3\xa9 \xf0\x9f\x98\x80 /* not nested\n"); break;
        default: rc = sm_buf_puts(b, "/**/ /***/ /* // */ //\n"); break;
        }
        if (rc != SM_OK)
            return -1;
    }
    return 0;
}
