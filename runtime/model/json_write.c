/*
 * json_write.c: sm_model_to_json, encoding a model struct as one JSON
 * object, driven by its descriptor (DESIGN 3.7).
 *
 * Nested models and lists recurse, bounded by SM_JSON_MAX_DEPTH (the
 * reader's limit, so whatever is written can be read back).  The writer
 * never emits invalid JSON, nor a value the reader would refuse: a
 * non-finite float, an enum value outside its enum, a date or datetime
 * outside 0001-01-01..9999-12-31, a time outside the day, text that is not
 * UTF-8 or a json field that is not one JSON value (or repeats a key in
 * an object) fails with SM_INVALID and leaves `out` as it was.
 *
 * Null, per field, as validate.c sees it: a text or json pointer that is
 * NULL; bytes whose data is NULL, except in a non-nullable field of a full
 * model (the zero-initialised empty value, written ""); has_<f> false in a
 * full model; <f>_null true in a partial one.
 */
#include "json.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The layout of every generated X_list. */
typedef struct any_list {
    const void *items;
    size_t len;
} any_list;

static int enc_model(sm_buf *b, const sm_model *m, const char *base, int depth);

/* Appends into the buffer's spare room when it fits; the NUL is written
 * once, by sm_model_to_json. */
static int put(sm_buf *b, const void *p, size_t n)
{
    if (b->data && b->cap - b->len > n) {
        memcpy(b->data + b->len, p, n);
        b->len += n;
        return SM_OK;
    }
    return sm_buf_append(b, p, n);
}

static int put1(sm_buf *b, char c)
{
    return put(b, &c, 1);
}

static bool get_flag(const char *base, uint32_t off)
{
    unsigned char c;
    memcpy(&c, base + off, 1);
    return c != 0;
}

/* A JSON string: '"' '\\' and control characters escaped, UTF-8 checked
 * and passed through. */
static int put_string(sm_buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *u = (const unsigned char *)s;
    size_t run = 0, i = 0;
    int r = put1(b, '"');

    while (r == SM_OK) {
        i = sm_json_scan_plain(u, i, n);
        if (i >= n)
            break;
        unsigned char c = u[i];
        if (c >= 0x80) {
            size_t k = sm_json_utf8_seq(u + i, n - i);
            if (!k)
                return SM_INVALID;
            i += k;
            continue;
        }
        char e[6] = {'\\', 0, 0, 0, 0, 0};
        size_t el = 2;
        switch (c) {
        case '"': e[1] = '"'; break;
        case '\\': e[1] = '\\'; break;
        case '\n': e[1] = 'n'; break;
        case '\t': e[1] = 't'; break;
        case '\r': e[1] = 'r'; break;
        case '\b': e[1] = 'b'; break;
        case '\f': e[1] = 'f'; break;
        default:
            e[1] = 'u';
            e[2] = '0';
            e[3] = '0';
            e[4] = hex[c >> 4];
            e[5] = hex[c & 15];
            el = 6;
            break;
        }
        r = put(b, s + run, i - run);
        if (r == SM_OK)
            r = put(b, e, el);
        run = ++i;
    }
    if (r == SM_OK)
        r = put(b, s + run, i - run);
    return r == SM_OK ? put1(b, '"') : r;
}

static int put_int(sm_buf *b, int64_t v)
{
    char tmp[24];
    size_t n = sizeof tmp;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

    do {
        tmp[--n] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        tmp[--n] = '-';
    return put(b, tmp + n, sizeof tmp - n);
}

static int put_base64(sm_buf *b, const uint8_t *d, size_t n)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char out[256];
    size_t o = 0, i = 0;
    int r = put1(b, '"');

    for (; i + 3 <= n && r == SM_OK; i += 3) {
        uint32_t w = (uint32_t)d[i] << 16 | (uint32_t)d[i + 1] << 8 | d[i + 2];
        out[o++] = tab[w >> 18];
        out[o++] = tab[(w >> 12) & 63];
        out[o++] = tab[(w >> 6) & 63];
        out[o++] = tab[w & 63];
        if (o > sizeof out - 4) {
            r = put(b, out, o);
            o = 0;
        }
    }
    if (r == SM_OK && n - i == 1) {
        out[o++] = tab[d[i] >> 2];
        out[o++] = tab[(d[i] & 3) << 4];
        out[o++] = '=';
        out[o++] = '=';
    } else if (r == SM_OK && n - i == 2) {
        out[o++] = tab[d[i] >> 2];
        out[o++] = tab[(d[i] & 3) << 4 | d[i + 1] >> 4];
        out[o++] = tab[(d[i + 1] & 15) << 2];
        out[o++] = '=';
    }
    if (r == SM_OK)
        r = put(b, out, o);
    return r == SM_OK ? put1(b, '"') : r;
}

/* A formatted value between quotes: buf[1..n] is filled by the caller. */
static int put_quoted(sm_buf *b, char *buf, size_t n)
{
    buf[0] = '"';
    buf[n + 1] = '"';
    return put(b, buf, n + 2);
}

static bool is_null(const sm_model *m, const sm_field *f, const char *base)
{
    const char *p = base + f->offset;

    if (m->flags & SM_M_PARTIAL) {
        if (f->isnull != SM_NONE && get_flag(base, f->isnull))
            return true;
    } else if (f->has != SM_NONE && !get_flag(base, f->has))
        return true;
    if (f->type == SM_T_TEXT || f->type == SM_T_JSON) {
        const char *s;
        memcpy(&s, p, sizeof s);
        return s == NULL;
    }
    if (f->type == SM_T_BYTES) {
        sm_bytes v;
        memcpy(&v, p, sizeof v);
        return v.data == NULL && ((m->flags & SM_M_PARTIAL) || (f->flags & SM_F_NULLABLE));
    }
    return false;
}

static int enc_list(sm_buf *b, const sm_model *item, const char *p, int depth)
{
    any_list l;
    int r;

    memcpy(&l, p, sizeof l);
    if (depth > SM_JSON_MAX_DEPTH || (l.len && !l.items))
        return SM_INVALID;
    r = put1(b, '[');
    for (size_t i = 0; i < l.len && r == SM_OK; i++) {
        if (i)
            r = put1(b, ',');
        if (r == SM_OK)
            r = enc_model(b, item, (const char *)l.items + i * item->size, depth + 1);
    }
    return r == SM_OK ? put1(b, ']') : r;
}

/* The value of a non-null field. */
static int enc_value(sm_buf *b, const sm_field *f, const char *p, int depth)
{
    char buf[48];

    switch (f->type) {
    case SM_T_BOOL:
        return get_flag(p, 0) ? put(b, "true", 4) : put(b, "false", 5);
    case SM_T_INT: {
        int64_t v;
        memcpy(&v, p, sizeof v);
        return put_int(b, v);
    }
    case SM_T_I32: {
        int32_t v;
        memcpy(&v, p, sizeof v);
        return put_int(b, v);
    }
    case SM_T_I16: {
        int16_t v;
        memcpy(&v, p, sizeof v);
        return put_int(b, v);
    }
    case SM_T_FLOAT: {
        double v;
        memcpy(&v, p, sizeof v);
        if (!isfinite(v))
            return SM_INVALID;
        return put(b, buf, sm_json_fmt_double(v, buf));
    }
    case SM_T_DECIMAL: {
        sm_decimal v;
        memcpy(&v, p, sizeof v);
        return put_quoted(b, buf, sm_decimal_format(v, f->scale, buf + 1));
    }
    case SM_T_TEXT: {
        const char *s;
        memcpy(&s, p, sizeof s);
        return put_string(b, s, strlen(s));
    }
    case SM_T_BYTES: {
        sm_bytes v;
        memcpy(&v, p, sizeof v);
        return put_base64(b, v.data, v.data ? v.len : 0);
    }
    /* Dates, times and datetimes outside the range the reader accepts
     * (years 0001 to 9999, a time of day) are refused: the text written
     * must read back as the same value. */
    case SM_T_DATE: {
        sm_date v, back;
        memcpy(&v, p, sizeof v);
        size_t n = sm_date_format(v, buf + 1);
        if (sm_date_parse(buf + 1, n, &back) != SM_OK)
            return SM_INVALID;
        return put_quoted(b, buf, n);
    }
    case SM_T_TIME: {
        sm_time v;
        memcpy(&v, p, sizeof v);
        if (v < 0 || v >= INT64_C(86400000000))
            return SM_INVALID;
        return put_quoted(b, buf, sm_time_format(v, buf + 1));
    }
    case SM_T_DATETIME: {
        sm_datetime v, back;
        memcpy(&v, p, sizeof v);
        size_t n = sm_datetime_format(v, SM_DT_ISO, buf + 1);
        if (sm_datetime_parse(buf + 1, n, &back) != SM_OK)
            return SM_INVALID;
        return put_quoted(b, buf, n);
    }
    case SM_T_UUID:
        return put_quoted(b, buf, sm_uuid_format((const sm_uuid *)(const void *)p, buf + 1));
    case SM_T_JSON: {
        const char *s;
        size_t n;
        memcpy(&s, p, sizeof s);
        n = strlen(s);
        int rc = sm_json_check(s, n, depth); /* inside `depth` objects */
        return rc == SM_OK ? put(b, s, n) : rc;
    }
    case SM_T_ENUM: {
        int v;
        memcpy(&v, p, sizeof v);
        if (v < 0 || (uint32_t)v >= f->enm->count)
            return SM_INVALID;
        return put_string(b, f->enm->members[v], strlen(f->enm->members[v]));
    }
    case SM_T_MODEL:
        return enc_model(b, f->model, p, depth + 1);
    case SM_T_LIST:
        return enc_list(b, f->model, p, depth + 1);
    default:
        return SM_INVALID;
    }
}

/* One object at nesting depth `depth` (the top-level object is 1). */
int sm_json_put_string(sm_buf *b, const char *s, size_t n)
{
    return put_string(b, s, n);
}

int sm_json_put_base64(sm_buf *b, const uint8_t *d, size_t n)
{
    return put_base64(b, d, n);
}

static int enc_model(sm_buf *b, const sm_model *m, const char *base, int depth)
{
    bool partial = (m->flags & SM_M_PARTIAL) != 0, first = true;
    int r;

    if (depth > SM_JSON_MAX_DEPTH)
        return SM_INVALID;
    r = put1(b, '{');
    for (uint32_t i = 0; i < m->nfields && r == SM_OK; i++) {
        const sm_field *f = &m->fields[i];
        if (!f->json || f->type >= SM_T_REL_ONE)
            continue;
        if (partial && (f->has == SM_NONE || !get_flag(base, f->has)))
            continue;
        if (!first)
            r = put1(b, ',');
        first = false;
        if (r == SM_OK)
            r = put_string(b, f->json, strlen(f->json));
        if (r == SM_OK)
            r = put1(b, ':');
        if (r != SM_OK)
            break;
        if (is_null(m, f, base))
            r = put(b, "null", 4);
        else
            r = enc_value(b, f, base + f->offset, depth);
    }
    return r == SM_OK ? put1(b, '}') : r;
}

int sm_model_to_json(const sm_model *m, const void *obj, sm_buf *out)
{
    if (!m || !obj || !out)
        return SM_MISUSE;
    size_t len0 = out->len;
    int r = enc_model(out, m, obj, 1);

    if (r != SM_OK)
        out->len = len0;
    if (out->data)
        out->data[out->len] = '\0';
    return r;
}

/* ---- The writer of generated code (smdl/desc.h) -------------------------------- */

/* Room for n more bytes and a NUL; false (rc set) when out of memory. */
static bool jw_room(sm_jw *w, size_t n)
{
    sm_buf *b = w->out;

    if (b->data && b->cap - b->len > n)
        return true;
    if (w->rc != SM_OK)
        return false;
    /* Grown as sm_buf grows (geometrically); the buffer is the caller's. */
    size_t cap = b->cap ? b->cap : 64;
    if (n > SIZE_MAX / 4 - b->len) {
        w->rc = SM_NOMEM;
        return false;
    }
    while (cap <= b->len + n)
        cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p) {
        w->rc = SM_NOMEM;
        return false;
    }
    b->data = p;
    b->cap = cap;
    return true;
}

void sm_jw_begin(sm_jw *w, sm_buf *out)
{
    if (!w)
        return;
    w->out = out;
    w->len0 = out ? out->len : 0;
    w->rc = out ? SM_OK : SM_MISUSE;
}

/* Copies n bytes, short runs without a call: two overlapping words
 * cover 8 to 16 bytes, two half-words 4 to 8, reading only s[0..n). */
static inline void copy_short(char *d, const char *s, size_t n)
{
    if (n > 16) {
        memcpy(d, s, n);
    } else if (n >= 8) {
        uint64_t a, b;
        memcpy(&a, s, 8);
        memcpy(&b, s + n - 8, 8);
        memcpy(d, &a, 8);
        memcpy(d + n - 8, &b, 8);
    } else if (n >= 4) {
        uint32_t a, b;
        memcpy(&a, s, 4);
        memcpy(&b, s + n - 4, 4);
        memcpy(d, &a, 4);
        memcpy(d + n - 4, &b, 4);
    } else if (n) { /* not a loop, which compilers turn into a call */
        d[0] = s[0];
        d[n / 2] = s[n / 2];
        d[n - 1] = s[n - 1];
    }
}

/* jw_key when the buffer must grow, or lit is NULL. */
static bool jw_key_slow(sm_jw *w, const char *lit, size_t n, size_t more)
{
    if (!lit && n) {
        w->rc = SM_MISUSE;
        return false;
    }
    if (!jw_room(w, n + more))
        return false;
    if (n)
        copy_short(w->out->data + w->out->len, lit, n);
    w->out->len += n;
    return true;
}

/* The key literal, then room for `more` bytes (checked by the caller). */
static inline bool jw_key(sm_jw *w, const char *lit, size_t n, size_t more)
{
    if (!w || w->rc != SM_OK)
        return false;
    sm_buf *b = w->out;
    if (!lit || !b->data || b->cap - b->len <= n + more)
        return jw_key_slow(w, lit, n, more);
    copy_short(b->data + b->len, lit, n);
    b->len += n;
    return true;
}

/* Two digits at a time from "00".."99". */
static const char digit_pairs[201] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
                                     "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
                                     "8081828384858687888990919293949596979899";

void sm_jw_int(sm_jw *w, const char *lit, size_t n, int64_t v)
{
    if (!jw_key(w, lit, n, 20))
        return;
    char *d = w->out->data + w->out->len;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v, p10 = 10;
    size_t len = 1;

    if (v < 0)
        *d++ = '-';
    while (len < 20 && u >= p10) { /* the digits, by comparisons only */
        len++;
        p10 = len < 20 ? p10 * 10 : p10;
    }
    char *p = d + len;
    while (u >= 100) {
        p -= 2;
        memcpy(p, digit_pairs + u % 100 * 2, 2);
        u /= 100;
    }
    if (u >= 10) {
        p -= 2;
        memcpy(p, digit_pairs + u * 2, 2);
    } else
        p[-1] = (char)('0' + u);
    w->out->len = (size_t)(d + len - w->out->data);
}

void sm_jw_null(sm_jw *w, const char *lit, size_t n)
{
    if (!jw_key(w, lit, n, 4))
        return;
    memcpy(w->out->data + w->out->len, "null", 4);
    w->out->len += 4;
}

/* Whether s[0..n) has only plain bytes (json.h), a word at a time: the
 * last word overlaps the one before rather than ending byte by byte. */
static bool all_plain(const unsigned char *s, size_t n)
{
    if (n < 8)
        return sm_json_scan_plain(s, 0, n) == n;
    size_t i = sm_json_scan_plain(s, 0, n - n % 8);
    return i == n - n % 8 && sm_json_scan_plain(s, n - 8, n) == n;
}

/* A string without anything to escape is copied in one piece; any other
 * goes through put_string. */
void sm_jw_text(sm_jw *w, const char *lit, size_t n, const char *s)
{
    if (!s) {
        sm_jw_null(w, lit, n);
        return;
    }
    size_t len = strlen(s);
    if (!jw_key(w, lit, n, len + 2))
        return;
    sm_buf *b = w->out;
    if (all_plain((const unsigned char *)s, len)) {
        char *d = b->data + b->len;
        d[0] = '"';
        copy_short(d + 1, s, len);
        d[len + 1] = '"';
        b->len += len + 2;
    } else
        w->rc = put_string(b, s, len);
}

void sm_jw_field(sm_jw *w, const char *lit, size_t n, const sm_model *m, uint32_t i,
                 const void *obj)
{
    if (w && w->rc == SM_OK && (!m || !obj || i >= m->nfields))
        w->rc = SM_MISUSE;
    if (!jw_key(w, lit, n, 0))
        return;
    const sm_field *f = &m->fields[i];
    if (is_null(m, f, obj))
        w->rc = put(w->out, "null", 4);
    else
        w->rc = enc_value(w->out, f, (const char *)obj + f->offset, 1);
}

int sm_jw_end(sm_jw *w, const char *lit, size_t n)
{
    if (!w)
        return SM_MISUSE;
    if (w->rc == SM_OK && !lit && n)
        w->rc = SM_MISUSE;
    if (w->rc == SM_OK && jw_room(w, n)) {
        copy_short(w->out->data + w->out->len, lit, n);
        w->out->len += n;
        w->out->data[w->out->len] = '\0';
        return SM_OK;
    }
    if (w->out) {
        w->out->len = w->len0;
        if (w->out->data)
            w->out->data[w->out->len] = '\0';
    }
    return w->rc;
}
