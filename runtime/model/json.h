/*
 * json.h: what the JSON reader (json_read.c) and writer (json_write.c)
 * share, implemented in json.c: a pull lexer that checks the whole JSON
 * grammar (RFC 8259) without recursion, and the string helpers both sides
 * need.  Private to libsmdl.
 *
 * The lexer is strict beyond the RFC where smdl's contract says so: a
 * byte order mark, invalid UTF-8 (overlongs, surrogates, code points past
 * U+10FFFF) and lone surrogate escapes are syntax errors, and nesting is
 * limited to SM_JSON_MAX_DEPTH containers.
 */
#ifndef SMDL_JSON_H
#define SMDL_JSON_H

#include "internal.h"

#include <string.h>

/* Containers (objects and arrays) open at once, the top-level one
 * included.  Deeper nesting is a "depth" error, never a crash. */
#define SM_JSON_MAX_DEPTH 64

/* Events of sm_jlex_next. */
enum {
    SM_JEV_ERROR = 0, /* syntax or depth error: see err, err_pos, err_msg */
    SM_JEV_EOF,       /* the one top-level value ended, only whitespace after */
    SM_JEV_OBJ,       /* '{' */
    SM_JEV_OBJ_END,   /* '}' */
    SM_JEV_ARR,       /* '[' */
    SM_JEV_ARR_END,   /* ']' */
    SM_JEV_KEY,       /* an object key, its ':' consumed; start/end/flags as STR */
    SM_JEV_STR,       /* a string value */
    SM_JEV_NUM,       /* a number */
    SM_JEV_TRUE,
    SM_JEV_FALSE,
    SM_JEV_NULL,
};

/* Token flags. */
enum {
    SM_JTOK_ESC = 1,  /* the string has escapes: unescape before use */
    SM_JTOK_NUL = 2,  /* the string has a \u0000 escape */
    SM_JTOK_FRAC = 4, /* the number has a fraction part */
    SM_JTOK_EXP = 8,  /* the number has an exponent */
};

/* Error kinds. */
enum { SM_JERR_NONE = 0, SM_JERR_SYNTAX, SM_JERR_DEPTH };

typedef struct sm_jlex {
    const char *s;
    size_t n;
    size_t pos;       /* next byte to read */
    size_t vstart;    /* where the last value or key began (its '"', '{', ...) */
    size_t start;     /* the last token's text: string content without the */
    size_t end;       /*   quotes, number or literal text; [start, end) */
    unsigned flags;   /* SM_JTOK_* of the last token */
    int depth;        /* containers open */
    int state;        /* what may come next (json.c) */
    int err;          /* SM_JERR_* */
    size_t err_pos;   /* byte offset of the error */
    const char *err_msg;  /* static: "expected ':' after object key" */
    bool err_found;   /* append the offending byte to the message */
    unsigned char in_obj[SM_JSON_MAX_DEPTH]; /* per open container: object? */
} sm_jlex;

void sm_jlex_init(sm_jlex *L, const char *s, size_t n);
/* The next event; after SM_JEV_EOF or SM_JEV_ERROR it repeats that event. */
int sm_jlex_next(sm_jlex *L);
/* "3:17: expected ':' after object key, found 'x'" (1-based line and byte
 * column) into buf; returns buf. */
const char *sm_jlex_describe(const sm_jlex *L, char *buf, size_t size);

/*
 * The keys of the objects open in a document, to find a key given twice
 * in one object in linear time whatever the input: objects of up to
 * SM_JKEYS_SMALL keys are searched in turn, larger ones through a hash
 * table whose hash function (SipHash-2-4) has a random key, drawn once
 * per sm_jkeys when the first large object appears, so that no document
 * can be built to make the keys collide.
 *
 * Keys are kept unescaped ("a" and "\u0061" are one key): a key without
 * escapes as an offset into the document, which must outlive the set, an
 * escaped one copied.  Each object's keys are forgotten when it closes.
 */
#define SM_JKEYS_SMALL 8

typedef struct sm_jkey {
    size_t off, len;  /* the unescaped key: at s + off, or bytes + off when own */
    size_t next;      /* the next key in its hash bucket, or SIZE_MAX */
    uint64_t hash;
    bool own;
    bool hashed;      /* in a bucket */
} sm_jkey;

typedef struct sm_jkeys {
    sm_jkey *keys;    /* the keys of the open objects, outermost first */
    size_t nkeys, capkeys;
    char *bytes;      /* unescaped copies of escaped keys */
    size_t nbytes, capbytes;
    size_t *buckets;  /* index of the first key of each bucket, or SIZE_MAX */
    size_t nbuckets, nhashed;
    uint64_t k0, k1;  /* the hash key */
    bool seeded;
    size_t mark[SM_JSON_MAX_DEPTH + 1];      /* per depth: nkeys when the */
    size_t markbytes[SM_JSON_MAX_DEPTH + 1]; /*   object there opened, nbytes */
} sm_jkeys;

void sm_jkeys_init(sm_jkeys *k);
void sm_jkeys_free(sm_jkeys *k);
/* An object opened at lexer depth `depth` (1 for the top-level one). */
void sm_jkeys_open(sm_jkeys *k, int depth);
/* The object at `depth` closed (or was abandoned): its keys are dropped. */
void sm_jkeys_close(sm_jkeys *k, int depth);
/* Adds the key token L just returned (SM_JEV_KEY) to the object at
 * L->depth: 0 when new, 1 when that object already has it (it is not
 * added again), -1 when out of memory. */
int sm_jkeys_add(sm_jkeys *k, const sm_jlex *L);

/* Checks that s[0..n) is exactly one JSON value (whitespace around it
 * allowed) under the lexer's rules, with no key twice in an object and,
 * inside `outer` containers, no deeper than SM_JSON_MAX_DEPTH in all:
 * SM_OK, SM_INVALID or SM_NOMEM. */
int sm_json_check(const char *s, size_t n, int outer);

/* Unescapes string content the lexer accepted into dst (room for n bytes
 * suffices: unescaping never grows a string, and dst may be s itself);
 * returns the length written.  Adds no NUL. */
size_t sm_json_unescape(const char *s, size_t n, char *dst);

/* 1 for the bytes a JSON string holds as they are: 0x20-0x7F except '"'
 * and '\\'.  Control bytes (NUL included), quotes, backslashes and
 * non-ASCII bytes are 0. */
extern const unsigned char sm_json_plain[256];

/* The index of the first byte of s[i..n) that is not plain, or n.  Eight
 * bytes at a time: a word has a byte to stop at when one is below 0x20,
 * equal to '"' or '\\', or has its high bit set (exact tests, see "Bit
 * Twiddling Hacks": determine if a word has a byte less than n).  A borrow
 * only moves up from a byte that is flagged, so on a little-endian machine
 * the lowest flag is the first byte to stop at. */
static inline size_t sm_json_scan_plain(const unsigned char *s, size_t i, size_t n)
{
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;

    while (n - i >= 8) {
        uint64_t x, q, b, t;
        memcpy(&x, s + i, 8);
        q = x ^ (ones * '"');
        b = x ^ (ones * '\\');
        t = (((x - ones * 0x20) & ~x) | ((q - ones) & ~q) | ((b - ones) & ~b) | x) & highs;
        if (t) {
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
            return i + (size_t)__builtin_ctzll(t) / 8;
#else
            break;
#endif
        }
        i += 8;
    }
    while (i < n && sm_json_plain[s[i]])
        i++;
    return i;
}

/* The length (1-4) of the valid UTF-8 sequence at s[0..n), or 0 when it is
 * invalid (overlong, surrogate, past U+10FFFF, truncated). */
size_t sm_json_utf8_seq(const unsigned char *s, size_t n);

/* Number <-> text without the process locale (LC_NUMERIC may use ','):
 * sm_json_fmt_double writes v as sm_real_format does (internal.h; an
 * integral value faster) (NUL-terminated, at most 32 bytes with the NUL) and
 * returns its length; sm_json_parse_double reads a JSON number token
 * (already checked by the lexer) and returns false only on out of memory. */
size_t sm_json_fmt_double(double v, char *buf);
bool sm_json_parse_double(const char *s, size_t n, double *out);

/* The writer's own quoting (json_write.c), for the other writers of JSON
 * (smc's diagnostics, schemas and language server): s[0..n) as a JSON
 * string, and d[0..n) as a base64 JSON string.  SM_INVALID for invalid
 * UTF-8 (b unchanged up to the bytes already appended), SM_NOMEM. */
int sm_json_put_string(sm_buf *b, const char *s, size_t n);
int sm_json_put_base64(sm_buf *b, const uint8_t *d, size_t n);

#endif
