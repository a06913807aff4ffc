/*
 * map.h: a string-keyed hash map in the arena (open addressing), for
 * symbol tables, indexes of names and the generated-name collision check.
 * The type is in smc.h, so a context can hold maps.
 */
#ifndef SMC_MAP_H
#define SMC_MAP_H

#include "smc.h"

void *smc_map_get(const smc_map *m, const char *key);
/* Inserts key (not copied) unless present; returns the value already
 * there, or NULL after inserting. */
void *smc_map_put(smc_ctx *ctx, smc_map *m, const char *key, void *value);
/* Makes room for n keys, so filling the map rehashes nothing. */
void smc_map_reserve(smc_ctx *ctx, smc_map *m, size_t n);
/* Inserts or replaces. */
void smc_map_set(smc_ctx *ctx, smc_map *m, const char *key, void *value);

#endif
