/*
 * keyset.c: sets of normalised key values (keyset.h), hashed with open
 * addressing: adding and finding are constant time on average, so that
 * matching n rows to n keys is linear.
 */
#include "keyset.h"

#include <stdlib.h>
#include <string.h>

bool sm_kv_of(const sm_field *f, const void *obj, sm_kv *out)
{
    const void *p = sm_field_at(obj, f->offset);
    out->i = 0;
    out->p = NULL;
    out->n = 0;
    if (sm_field_is_null(f, obj))
        return false;
    switch (f->type) {
    case SM_T_BOOL: out->i = *(const bool *)p; break;
    case SM_T_I32: out->i = *(const int32_t *)p; break;
    case SM_T_I16: out->i = *(const int16_t *)p; break;
    case SM_T_ENUM: out->i = *(const int *)p; break;
    case SM_T_DATE: out->i = *(const sm_date *)p; break;
    case SM_T_FLOAT: {
        double d = *(const double *)p;
        if (d == 0)
            d = 0; /* -0 and 0 are one value */
        memcpy(&out->i, &d, sizeof d);
        break;
    }
    case SM_T_TEXT:
    case SM_T_JSON:
        out->p = *(const char *const *)p;
        out->n = strlen(out->p);
        break;
    case SM_T_BYTES:
        out->p = ((const sm_bytes *)p)->data;
        out->n = ((const sm_bytes *)p)->len;
        break;
    case SM_T_UUID:
        out->p = p;
        out->n = sizeof(sm_uuid);
        break;
    default: /* int, decimal, time, datetime: int64_t */
        memcpy(&out->i, p, sizeof out->i);
        break;
    }
    return true;
}

static uint64_t mix(uint64_t h, uint64_t v)
{
    h ^= v + UINT64_C(0x9e3779b97f4a7c15) + (h << 6) + (h >> 2);
    return h;
}

static uint64_t hash(const sm_kv *k, uint32_t width)
{
    uint64_t h = SM_FNV64_INIT;
    for (uint32_t i = 0; i < width; i++) {
        if (k[i].p) {
            const unsigned char *b = k[i].p;
            uint64_t x = SM_FNV64_INIT;
            for (size_t j = 0; j < k[i].n; j++)
                x = (x ^ b[j]) * UINT64_C(0x100000001b3);
            h = mix(h, x ^ k[i].n);
        } else {
            h = mix(h, (uint64_t)k[i].i * UINT64_C(0xff51afd7ed558ccd));
        }
    }
    /* The slot is the low bits: a full avalanche (murmur3's finaliser)
     * gives them every bit of the key, so that keys differing only in
     * their high bits (whole doubles, multiples of 2^40) do not share
     * one run of slots and make adding quadratic. */
    h ^= h >> 33;
    h *= UINT64_C(0xff51afd7ed558ccd);
    h ^= h >> 33;
    h *= UINT64_C(0xc4ceb9fe1a85ec53);
    return h ^ (h >> 33);
}

static bool equal(const sm_kv *a, const sm_kv *b, uint32_t width)
{
    for (uint32_t i = 0; i < width; i++) {
        if (a[i].i != b[i].i || a[i].n != b[i].n || !a[i].p != !b[i].p)
            return false;
        if (a[i].p && a[i].n && memcmp(a[i].p, b[i].p, a[i].n) != 0)
            return false;
    }
    return true;
}

void sm_keyset_init(sm_keyset *s, uint32_t width)
{
    memset(s, 0, sizeof *s);
    s->width = width ? width : 1;
}

void sm_keyset_free(sm_keyset *s)
{
    free(s->keys);
    free(s->first);
    free(s->slots);
    sm_keyset_init(s, s->width);
}

/* The slot of k: where it is, or the empty slot where it would go. */
static size_t probe(const sm_keyset *s, const sm_kv *k)
{
    size_t i = (size_t)hash(k, s->width) & s->mask;
    while (s->slots[i] && !equal(&s->keys[(s->slots[i] - 1) * s->width], k, s->width))
        i = (i + 1) & s->mask;
    return i;
}

/* Doubles the table (kept at most half full) and re-inserts. */
static int grow(sm_keyset *s)
{
    size_t n = s->mask ? (s->mask + 1) * 2 : 16;
    size_t *slots = calloc(n, sizeof *slots);
    if (!slots)
        return SM_NOMEM;
    free(s->slots);
    s->slots = slots;
    s->mask = n - 1;
    for (size_t k = 0; k < s->count; k++)
        s->slots[probe(s, &s->keys[k * s->width])] = k + 1;
    return SM_OK;
}

int sm_keyset_add(sm_keyset *s, const sm_kv *k, size_t at, size_t *index)
{
    if ((s->count + 1) * 2 > s->mask + 1 && grow(s) != SM_OK)
        return SM_NOMEM;
    size_t i = probe(s, k);
    if (s->slots[i]) {
        *index = s->slots[i] - 1;
        return SM_OK;
    }
    if (s->count == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 16;
        sm_kv *keys = realloc(s->keys, cap * s->width * sizeof *keys);
        if (!keys)
            return SM_NOMEM;
        s->keys = keys;
        size_t *first = realloc(s->first, cap * sizeof *first);
        if (!first)
            return SM_NOMEM;
        s->first = first;
        s->cap = cap;
    }
    memcpy(&s->keys[s->count * s->width], k, s->width * sizeof *k);
    s->first[s->count] = at;
    s->slots[i] = ++s->count;
    *index = s->count - 1;
    return SM_OK;
}

size_t sm_keyset_find(const sm_keyset *s, const sm_kv *k)
{
    if (!s->count)
        return SIZE_MAX;
    size_t i = probe(s, k);
    return s->slots[i] ? s->slots[i] - 1 : SIZE_MAX;
}
