/* map.c: see map.h.  Linear probing with the load kept under one half;
 * each slot keeps its key's hash, so a probe compares strings only when
 * the hashes agree, and an insert probes once. */
#include "map.h"

#include <string.h>

/* The first capacity: most maps are per declaration (a query's
 * parameters, a table's columns) and hold a few names, so a large first
 * table would be most of the checker's memory on schemas of many. */
#define MIN_CAP 8

/* FNV-1a over 64 bits, then mixed: the table takes the low bits, which
 * FNV alone leaves poorly spread for keys that differ in a few bytes. */
static size_t hash(const char *s)
{
    uint64_t h = 14695981039346656037u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    h ^= h >> 32;
    h *= 0xD6E8FEB86659FD93u;
    h ^= h >> 32;
    return (size_t)h;
}

/* The slot holding key, or the empty slot where it would go. */
static smc_map_slot *find(const smc_map *m, const char *key, size_t h)
{
    for (size_t i = h & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        smc_map_slot *s = &m->slots[i];
        if (!s->key || (s->hash == h && strcmp(s->key, key) == 0))
            return s;
    }
}

void *smc_map_get(const smc_map *m, const char *key)
{
    if (!m->cap)
        return NULL;
    return find(m, key, hash(key))->value;
}

static void rehash(smc_ctx *ctx, smc_map *m, size_t cap)
{
    smc_map bigger = {NULL, cap, m->len};
    bigger.slots = smc_alloc(ctx, bigger.cap * sizeof *bigger.slots);
    for (size_t i = 0; i < m->cap; i++)
        if (m->slots[i].key)
            *find(&bigger, m->slots[i].key, m->slots[i].hash) = m->slots[i];
    *m = bigger;
}

void smc_map_reserve(smc_ctx *ctx, smc_map *m, size_t n)
{
    size_t cap = m->cap ? m->cap : MIN_CAP;
    while (cap < 2 * (n + 1))
        cap *= 2;
    if (cap > m->cap)
        rehash(ctx, m, cap);
}

/* The slot of key, inserted (with a NULL value) when missing. */
static smc_map_slot *slot(smc_ctx *ctx, smc_map *m, const char *key, bool *found)
{
    if (2 * (m->len + 1) > m->cap)
        rehash(ctx, m, m->cap ? m->cap * 2 : MIN_CAP);
    size_t h = hash(key);
    smc_map_slot *s = find(m, key, h);
    *found = s->key != NULL;
    if (!*found) {
        s->key = key;
        s->hash = h;
        s->value = NULL;
        m->len++;
    }
    return s;
}

void *smc_map_put(smc_ctx *ctx, smc_map *m, const char *key, void *value)
{
    bool found;
    smc_map_slot *s = slot(ctx, m, key, &found);
    if (found)
        return s->value;
    s->value = value;
    return NULL;
}

void smc_map_set(smc_ctx *ctx, smc_map *m, const char *key, void *value)
{
    bool found;
    slot(ctx, m, key, &found)->value = value;
}
