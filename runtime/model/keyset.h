/*
 * keyset.h: sets of key values in linear time (keyset.c), for the
 * operations that match rows to keys they were asked for: relationship
 * loads (rel.c), get_many (get_many.c) and the keys an emulated
 * RETURNING collects (query.c).
 *
 * A key is a tuple of `width` field values.  Values are compared by
 * their normalised form, so that fields of different C types that hold
 * one SQL value (an i32 FK to an int key) compare equal: every integer,
 * boolean, enum, date, time, datetime and decimal as an int64; text,
 * json and bytes by their bytes; uuid by its 16 bytes; a float by its
 * bits (-0 as 0).
 */
#ifndef SMDL_KEYSET_H
#define SMDL_KEYSET_H

#include "bind.h"

/* One normalised value.  p points into the object it was read from (or
 * into storage of the keyset's caller): a keyset keeps no copies. */
typedef struct sm_kv {
    int64_t i;
    const void *p; /* text, json, bytes, uuid: the bytes; else NULL */
    size_t n;
} sm_kv;

/* The value of field f in obj; false when it is NULL. */
bool sm_kv_of(const sm_field *f, const void *obj, sm_kv *out);

/* Distinct keys, each with its index in order of first addition and the
 * caller's position it was first added from. */
typedef struct sm_keyset {
    uint32_t width;  /* values per key */
    sm_kv *keys;     /* count * width values */
    size_t *first;   /* per key: the `at` of its first sm_keyset_add */
    size_t count, cap;
    size_t *slots;   /* open addressing: index + 1, 0 for empty */
    size_t mask;
} sm_keyset;

void sm_keyset_init(sm_keyset *s, uint32_t width);
void sm_keyset_free(sm_keyset *s);
/* The index of key k[0..width), added when new (with `at`, the caller's
 * position of it, in first[index]): SM_OK or SM_NOMEM. */
int sm_keyset_add(sm_keyset *s, const sm_kv *k, size_t at, size_t *index);
/* The index of key k, or SIZE_MAX. */
size_t sm_keyset_find(const sm_keyset *s, const sm_kv *k);

#endif
