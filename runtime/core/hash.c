/*
 * hash.c: FNV-1a, the one text hash of the runtime: statement cache keys
 * and the names of database-side locks.  The lock names derived from it
 * are seen by other processes, so its values never change.
 */
#include "internal.h"

uint64_t sm_fnv1a64(uint64_t h, const char *s)
{
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * UINT64_C(0x100000001b3);
    return h;
}

uint32_t sm_fnv1a32(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}
