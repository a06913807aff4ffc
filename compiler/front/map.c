/* map.c: see map.h. */
#include "map.h"

#include <string.h>

static size_t hash(const char *s)
{
    size_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

void *smc_map_get(const smc_map *m, const char *key)
{
    if (!m->cap)
        return NULL;
    for (size_t i = hash(key) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        if (!m->slots[i].key)
            return NULL;
        if (strcmp(m->slots[i].key, key) == 0)
            return m->slots[i].value;
    }
}

static void insert(smc_map *m, const char *key, void *value)
{
    size_t i = hash(key) & (m->cap - 1);
    while (m->slots[i].key)
        i = (i + 1) & (m->cap - 1);
    m->slots[i].key = key;
    m->slots[i].value = value;
    m->len++;
}

void *smc_map_put(smc_ctx *ctx, smc_map *m, const char *key, void *value)
{
    void *old = smc_map_get(m, key);
    if (old)
        return old;
    if (2 * (m->len + 1) > m->cap) { /* keep the load under one half */
        smc_map grown = {NULL, m->cap ? m->cap * 2 : 64, 0};
        grown.slots = smc_alloc(ctx, grown.cap * sizeof *grown.slots);
        for (size_t i = 0; i < m->cap; i++)
            if (m->slots[i].key)
                insert(&grown, m->slots[i].key, m->slots[i].value);
        *m = grown;
    }
    insert(m, key, value);
    return NULL;
}

void smc_map_set(smc_ctx *ctx, smc_map *m, const char *key, void *value)
{
    if (!smc_map_put(ctx, m, key, value))
        return;
    for (size_t i = hash(key) & (m->cap - 1);; i = (i + 1) & (m->cap - 1))
        if (strcmp(m->slots[i].key, key) == 0) {
            m->slots[i].value = value;
            return;
        }
}
