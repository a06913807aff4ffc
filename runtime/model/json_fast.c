/*
 * json_fast.c: the first try of sm_model_from_json, for the common
 * document: one flat object of a full model whose members are all
 * integer, bool or text fields, each key known and given once, written
 * without escapes.  It is read in one pass straight into the struct,
 * without the lexer's events, frames or key set.
 *
 * It accepts only documents that the reader (json_read.c) would decode
 * without any error into the same struct, and gives up at the first
 * thing that is not that (an escape, an unknown or repeated key, a
 * fraction, a value out of range, a missing required field, anything
 * that is not plainly valid): the reader then reads the document from
 * the start and reports what it finds.  Giving up costs at most one
 * extra pass and the arena copies of the texts read so far, both bounded
 * by the document's size.
 */
#include "json_read.h"

#include <string.h>

static size_t skip_ws(const unsigned char *s, size_t i, size_t n)
{
    while (i < n && (s[i] == ' ' || s[i] == '\n' || s[i] == '\r' || s[i] == '\t'))
        i++;
    return i;
}

/* The string whose '"' is at s[i], when it has no escape, no control
 * byte and valid UTF-8: true with *end at its closing '"'. */
static inline bool plain_string(const unsigned char *s, size_t i, size_t n, size_t *end)
{
    for (i++;;) {
        i = sm_json_scan_plain(s, i, n);
        if (i >= n)
            return false;
        if (s[i] == '"') {
            *end = i;
            return true;
        }
        if (s[i] < 0x80) /* '\\' or a control byte */
            return false;
        size_t k = sm_json_utf8_seq(s + i, n - i);
        if (!k)
            return false;
        i += k;
    }
}

/* An integer by the JSON grammar at s[*i], of at most 18 digits (no
 * overflow), within [lo, hi] and followed by neither a digit, a fraction
 * nor an exponent. */
static inline bool plain_int(const unsigned char *s, size_t *ip, size_t n, int64_t lo, int64_t hi,
                      int64_t *out)
{
    size_t i = *ip, first;
    bool neg = i < n && s[i] == '-';
    int64_t v = 0;

    i += neg;
    first = i;
    if (i >= n || s[i] < '0' || s[i] > '9')
        return false;
    if (s[i] == '0')
        i++;
    else
        while (i < n && s[i] >= '0' && s[i] <= '9' && i - first < 18)
            v = v * 10 + (s[i++] - '0');
    if (i < n && ((s[i] >= '0' && s[i] <= '9') || s[i] == '.' || s[i] == 'e' || s[i] == 'E'))
        return false;
    v = neg ? -v : v;
    if (v < lo || v > hi)
        return false;
    *out = v;
    *ip = i;
    return true;
}

/* The value at s[*ip] into field f; false to give up. */
static bool plain_value(const sm_model *m, const sm_field *f, char *base, const unsigned char *s,
                        size_t *ip, size_t n, sm_arena *arena)
{
    size_t i = *ip, e;
    int64_t v;
    char *p = base + f->offset;

    if (s[i] == 'n') {
        if (!(f->type == SM_T_TEXT || f->type == SM_T_BOOL || f->type == SM_T_INT ||
              f->type == SM_T_I32 || f->type == SM_T_I16) ||
            n - i < 4 || memcmp(s + i, "null", 4) != 0 || !sm_jr_set_null(m, f, base))
            return false;
        *ip = i + 4;
        return true;
    }
    switch (f->type) {
    case SM_T_TEXT: {
        if (s[i] != '"' || !plain_string(s, i, n, &e))
            return false;
        char *t = sm_arena_alloc(arena, e - i);
        if (!t)
            return false; /* the reader reports it */
        memcpy(t, s + i + 1, e - i - 1);
        t[e - i - 1] = '\0';
        memcpy(p, &t, sizeof t);
        i = e + 1;
        break;
    }
    case SM_T_INT:
        if (!plain_int(s, &i, n, INT64_MIN, INT64_MAX, &v))
            return false;
        memcpy(p, &v, sizeof v);
        break;
    case SM_T_I32: {
        if (!plain_int(s, &i, n, INT32_MIN, INT32_MAX, &v))
            return false;
        int32_t w = (int32_t)v;
        memcpy(p, &w, sizeof w);
        break;
    }
    case SM_T_I16: {
        if (!plain_int(s, &i, n, INT16_MIN, INT16_MAX, &v))
            return false;
        int16_t w = (int16_t)v;
        memcpy(p, &w, sizeof w);
        break;
    }
    case SM_T_BOOL:
        if (n - i >= 4 && memcmp(s + i, "true", 4) == 0) {
            set_bool(p, 0, true);
            i += 4;
        } else if (n - i >= 5 && memcmp(s + i, "false", 5) == 0) {
            set_bool(p, 0, false);
            i += 5;
        } else
            return false;
        break;
    default:
        return false;
    }
    sm_jr_set_present(m, f, base);
    *ip = i;
    return true;
}

/* sm_jr_lookup, with the field expected next tried here first. */
static inline uint32_t key_lookup(const sm_model *m, uint32_t *hint, const char *k, size_t n)
{
    uint32_t h = *hint;

    if (h < m->nfields) {
        const char *name = m->fields[h].json;
        if (name && m->fields[h].type < SM_T_REL_ONE && strncmp(name, k, n) == 0 &&
            name[n] == '\0') { /* k has no NUL: strncmp stops at name's end */
            *hint = h + 1;
            return h;
        }
    }
    return sm_jr_lookup(m, hint, k, n);
}

bool sm_jr_fast(const sm_model *m, const char *json, size_t len, void *out, sm_arena *arena)
{
    const unsigned char *s = (const unsigned char *)json;
    char *base = out;
    uint64_t seen = 0;
    uint32_t hint = 0;
    size_t i = skip_ws(s, 0, len), e;

    if ((m->flags & SM_M_PARTIAL) || m->nfields > 64 || i >= len || s[i] != '{')
        return false;
    if (m->init)
        memcpy(base, m->init, m->size);
    else
        memset(base, 0, m->size);
    i = skip_ws(s, i + 1, len);
    if (i < len && s[i] == '}')
        i++;
    else
        for (;;) {
            if (i >= len || s[i] != '"' || !plain_string(s, i, len, &e))
                return false;
            uint32_t k = key_lookup(m, &hint, json + i + 1, e - i - 1);
            if (k == NO_FIELD || ((seen >> k) & 1))
                return false;
            seen |= (uint64_t)1 << k;
            i = skip_ws(s, e + 1, len);
            if (i >= len || s[i] != ':')
                return false;
            i = skip_ws(s, i + 1, len);
            if (i >= len || !plain_value(m, &m->fields[k], base, s, &i, len, arena))
                return false;
            i = skip_ws(s, i, len);
            if (i < len && s[i] == ',') {
                i = skip_ws(s, i + 1, len);
                continue;
            }
            if (i < len && s[i] == '}') {
                i++;
                break;
            }
            return false;
        }
    if (skip_ws(s, i, len) != len)
        return false;
    /* Absent fields, as the reader's close_model has them. */
    for (uint32_t k = 0; k < m->nfields; k++) {
        const sm_field *f = &m->fields[k];
        if (((seen >> k) & 1) || !f->json || f->type >= SM_T_REL_ONE || (f->flags & SM_F_DEFAULT))
            continue;
        if (f->flags & SM_F_NULLABLE)
            sm_jr_set_null(m, f, base);
        else if (!(f->flags & (SM_F_AUTO | SM_F_NOW | SM_F_GEN_UUID)))
            return false; /* "required" */
    }
    return true;
}
