/*
 * json_value.c: decoding one JSON value into a field of a model struct
 * (DESIGN 3.7): strict types, integers in range, decimals at their scale,
 * base64, dates, times, UUIDs and enum members; json fields kept as text.
 */
#include "json_read.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Small helpers ------------------------------------------------------------ */

static bool scratch_reserve(reader *rd, size_t n)
{
    if (n <= rd->scratch_cap)
        return true;
    size_t cap = rd->scratch_cap ? rd->scratch_cap * 2 : 256;
    while (cap < n)
        cap *= 2;
    char *p = realloc(rd->scratch, cap);
    if (!p) {
        rd->nomem = true;
        return false;
    }
    rd->scratch = p;
    rd->scratch_cap = cap;
    return true;
}

/* The current string token's content, unescaped into scratch when needed. */
const char *sm_jr_str_content(reader *rd, size_t *n)
{
    const char *s = rd->L.s + rd->L.start;
    size_t len = rd->L.end - rd->L.start;

    if (!(rd->L.flags & SM_JTOK_ESC)) {
        *n = len;
        return s;
    }
    if (!scratch_reserve(rd, len))
        return NULL;
    *n = sm_json_unescape(s, len, rd->scratch);
    return rd->scratch;
}

/* A JSON integer token (the lexer checked its digits) as an int64. */
static bool parse_i64(const char *s, size_t n, int64_t *out)
{
    bool neg = s[0] == '-';
    uint64_t v = 0, lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;

    for (size_t i = neg; i < n; i++) {
        unsigned d = (unsigned)(s[i] - '0');
        if (v > (lim - d) / 10)
            return false;
        v = v * 10 + d;
    }
    *out = neg ? (v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v) : (int64_t)v;
    return true;
}

static int b64val(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

/*
 * Standard base64 with padding, strictly: length a multiple of 4, '=' only
 * as the last one or two characters, unused bits zero (so every byte string
 * has exactly one accepted encoding).
 */
static bool b64_decode(const char *s, size_t n, uint8_t *dst, size_t *outlen)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t o = 0;

    if (n % 4)
        return false;
    for (size_t i = 0; i < n; i += 4) {
        bool last = i + 4 == n;
        int a = b64val(u[i]), b = b64val(u[i + 1]), c, d;
        if (a < 0 || b < 0)
            return false;
        if (u[i + 2] == '=') {
            if (!last || u[i + 3] != '=' || (b & 0x0F))
                return false;
            dst[o++] = (uint8_t)(a << 2 | b >> 4);
            break;
        }
        if ((c = b64val(u[i + 2])) < 0)
            return false;
        if (u[i + 3] == '=') {
            if (!last || (c & 0x03))
                return false;
            dst[o++] = (uint8_t)(a << 2 | b >> 4);
            dst[o++] = (uint8_t)((b & 0x0F) << 4 | c >> 2);
            break;
        }
        if ((d = b64val(u[i + 3])) < 0)
            return false;
        dst[o++] = (uint8_t)(a << 2 | b >> 4);
        dst[o++] = (uint8_t)((b & 0x0F) << 4 | c >> 2);
        dst[o++] = (uint8_t)((c & 0x03) << 6 | d);
    }
    *outlen = o;
    return true;
}

/* -?[0-9]+(\.[0-9]+)? : a decimal that failed to parse only by its size. */
static bool plain_decimal(const char *s, size_t n)
{
    size_t i = 0, d = 0;

    if (i < n && s[i] == '-')
        i++;
    for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
        d++;
    if (!d)
        return false;
    if (i < n && s[i] == '.') {
        for (d = 0, i++; i < n && s[i] >= '0' && s[i] <= '9'; i++)
            d++;
        if (!d)
            return false;
    }
    return i == n;
}

/* ---- Values ------------------------------------------------------------------- */

void sm_jr_store_json(reader *rd, const sm_model *m, const sm_field *f, char *base,
                       size_t start, size_t end)
{
    char *p = sm_arena_strndup(rd->arena, rd->L.s + start, end - start);

    if (!p) {
        rd->nomem = true;
        return;
    }
    memcpy(base + f->offset, &p, sizeof p);
    sm_jr_set_present(m, f, base);
}

static bool decode_int(reader *rd, const sm_field *f, void *p)
{
    static const struct {
        const char *name;
        int64_t lo, hi;
    } lim[] = {
        {"int", INT64_MIN, INT64_MAX},
        {"i32", INT32_MIN, INT32_MAX},
        {"i16", INT16_MIN, INT16_MAX},
    };
    int k = f->type == SM_T_INT ? 0 : f->type == SM_T_I32 ? 1 : 2;
    int64_t v;
    char msg[96];

    if (rd->L.flags & (SM_JTOK_FRAC | SM_JTOK_EXP)) {
        sm_jr_err_here(rd, "type", "expected an integer (no fraction or exponent)");
        return false;
    }
    if (!parse_i64(rd->L.s + rd->L.start, rd->L.end - rd->L.start, &v) || v < lim[k].lo ||
        v > lim[k].hi) {
        snprintf(msg, sizeof msg, "integer out of range of %s [%lld, %lld]", lim[k].name,
                 (long long)lim[k].lo, (long long)lim[k].hi);
        sm_jr_err_here(rd, "out_of_range", msg);
        return false;
    }
    if (k == 0)
        memcpy(p, &v, sizeof v);
    else if (k == 1) {
        int32_t w = (int32_t)v;
        memcpy(p, &w, sizeof w);
    } else {
        int16_t w = (int16_t)v;
        memcpy(p, &w, sizeof w);
    }
    return true;
}

/* A decimal from a number token or a string's content. */
static bool decode_decimal(reader *rd, const sm_field *f, void *p, const char *s, size_t n)
{
    const char *dot = memchr(s, '.', n);
    size_t frac = 0;
    sm_decimal v;
    char msg[96];

    if (dot)
        for (const char *q = dot + 1; q < s + n && *q >= '0' && *q <= '9'; q++)
            frac++;
    if (frac > (size_t)(f->scale > 0 ? f->scale : 0)) {
        snprintf(msg, sizeof msg, "too many decimal places (at most %d)", (int)f->scale);
        sm_jr_err_here(rd, "type", msg);
        return false;
    }
    if (sm_decimal_parse(s, n, f->precision, f->scale, &v) != SM_OK) {
        if (plain_decimal(s, n)) {
            snprintf(msg, sizeof msg, "value out of range of decimal(%d,%d)", (int)f->precision,
                     (int)f->scale);
            sm_jr_err_here(rd, "out_of_range", msg);
        } else
            sm_jr_err_here(rd, "type", sm_jr_expected(f));
        return false;
    }
    memcpy(p, &v, sizeof v);
    return true;
}

static bool decode_enum(reader *rd, const sm_field *f, void *p, const char *s, size_t n)
{
    const sm_enum *e = f->enm;

    for (uint32_t k = 0; k < e->count; k++)
        if (strlen(e->members[k]) == n && memcmp(e->members[k], s, n) == 0) {
            int v = (int)k;
            memcpy(p, &v, sizeof v);
            return true;
        }
    sm_buf_reset(&rd->msg);
    int r = SM_OK;
    if (e->count <= 8) {
        r = sm_buf_puts(&rd->msg, "expected one of:");
        for (uint32_t k = 0; k < e->count && r == SM_OK; k++)
            r = sm_buf_printf(&rd->msg, "%s %s", k ? "," : "", e->members[k]);
    } else
        r = sm_buf_printf(&rd->msg, "expected a member of enum %s", e->name);
    if (r != SM_OK) {
        rd->nomem = true;
        return false;
    }
    sm_jr_err_here(rd, "enum", rd->msg.data);
    return false;
}

/* A scalar event for a field that is neither a model, a list nor json. */
void sm_jr_decode_scalar(reader *rd, const sm_model *m, const sm_field *f, char *base, int ev)
{
    void *p = base + f->offset;
    const char *s = NULL;
    size_t n = 0;
    bool ok = false;

    if (ev == SM_JEV_STR && f->type != SM_T_TEXT) {
        if (!(s = sm_jr_str_content(rd, &n)))
            return;
    }
    switch (f->type) {
    case SM_T_BOOL:
        if (ev != SM_JEV_TRUE && ev != SM_JEV_FALSE)
            goto type;
        set_bool(p, 0, ev == SM_JEV_TRUE);
        ok = true;
        break;
    case SM_T_INT:
    case SM_T_I32:
    case SM_T_I16:
        if (ev != SM_JEV_NUM)
            goto type;
        ok = decode_int(rd, f, p);
        break;
    case SM_T_FLOAT: {
        double d;
        if (ev != SM_JEV_NUM)
            goto type;
        if (!sm_json_parse_double(rd->L.s + rd->L.start, rd->L.end - rd->L.start, &d)) {
            rd->nomem = true;
            return;
        }
        if (isinf(d)) {
            sm_jr_err_here(rd, "out_of_range", "number out of range of a double");
            return;
        }
        memcpy(p, &d, sizeof d);
        ok = true;
        break;
    }
    case SM_T_DECIMAL:
        if (ev == SM_JEV_NUM) {
            if (rd->L.flags & SM_JTOK_EXP) {
                sm_jr_err_here(rd, "type", "expected a decimal number without an exponent");
                return;
            }
            s = rd->L.s + rd->L.start;
            n = rd->L.end - rd->L.start;
        } else if (ev != SM_JEV_STR)
            goto type;
        ok = decode_decimal(rd, f, p, s, n);
        break;
    case SM_T_TEXT: {
        size_t rn = rd->L.end - rd->L.start;
        char *t;
        if (ev != SM_JEV_STR)
            goto type;
        if (rd->L.flags & SM_JTOK_NUL) {
            sm_jr_err_here(rd, "type", "text must not contain \\u0000");
            return;
        }
        if (!(t = sm_arena_alloc(rd->arena, rn + 1))) {
            rd->nomem = true;
            return;
        }
        if (rd->L.flags & SM_JTOK_ESC)
            rn = sm_json_unescape(rd->L.s + rd->L.start, rn, t);
        else
            memcpy(t, rd->L.s + rd->L.start, rn);
        t[rn] = '\0';
        memcpy(p, &t, sizeof t);
        ok = true;
        break;
    }
    case SM_T_BYTES: {
        static const uint8_t empty[1];
        sm_bytes b = {empty, 0};
        uint8_t *d = NULL;
        if (ev != SM_JEV_STR)
            goto type;
        if (n >= 4 && !(d = sm_arena_alloc(rd->arena, n / 4 * 3))) {
            rd->nomem = true;
            return;
        }
        if (!b64_decode(s, n, d, &b.len)) {
            sm_jr_err_here(rd, "type", "invalid base64 (standard alphabet, padded)");
            return;
        }
        if (b.len)
            b.data = d;
        memcpy(p, &b, sizeof b);
        ok = true;
        break;
    }
    case SM_T_DATE: {
        sm_date v;
        if (ev != SM_JEV_STR || sm_date_parse(s, n, &v) != SM_OK)
            goto type;
        memcpy(p, &v, sizeof v);
        ok = true;
        break;
    }
    case SM_T_TIME: {
        sm_time v;
        if (ev != SM_JEV_STR || sm_time_parse(s, n, &v) != SM_OK)
            goto type;
        memcpy(p, &v, sizeof v);
        ok = true;
        break;
    }
    case SM_T_DATETIME: {
        sm_datetime v;
        if (ev != SM_JEV_STR || sm_datetime_parse(s, n, &v) != SM_OK)
            goto type;
        memcpy(p, &v, sizeof v);
        ok = true;
        break;
    }
    case SM_T_UUID: {
        sm_uuid v;
        if (ev != SM_JEV_STR || sm_uuid_parse(s, n, &v) != SM_OK)
            goto type;
        memcpy(p, &v, sizeof v);
        ok = true;
        break;
    }
    case SM_T_ENUM:
        if (ev != SM_JEV_STR)
            goto type;
        ok = decode_enum(rd, f, p, s, n);
        break;
    default:
        goto type;
    }
    if (ok)
        sm_jr_set_present(m, f, base);
    return;
type:
    sm_jr_err_here(rd, "type", sm_jr_expected(f));
}

