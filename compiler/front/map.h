/*
 * map.h: a string-keyed hash map in the arena (open addressing), for
 * symbol tables and the generated-name collision check.
 */
#ifndef SMC_MAP_H
#define SMC_MAP_H

#include "smc.h"

typedef struct smc_map_slot {
    const char *key;
    void *value;
} smc_map_slot;

typedef struct smc_map {
    smc_map_slot *slots;
    size_t cap, len;
} smc_map;

void *smc_map_get(const smc_map *m, const char *key);
/* Inserts key (not copied) unless present; returns the value already
 * there, or NULL after inserting. */
void *smc_map_put(smc_ctx *ctx, smc_map *m, const char *key, void *value);

#endif
