/*
 * inlist.h: statements over a list of keys, shared by relationship loads
 * (rel.c) and get_many (get_many.c): "prefix tuple, tuple, ... suffix"
 * with the tuple count padded to a power of two, so that a handful of
 * statements serve every count, each prepared once and cached; and rows
 * staged while they are read.
 */
#ifndef SMDL_INLIST_H
#define SMDL_INLIST_H

#include "keyset.h"

/* The number of tuples a statement for n keys carries: the next power of
 * two (1 for 0). */
size_t sm_inlist_bucket(size_t n);
/* The most tuples of `per` placeholders one statement may carry on conn:
 * the largest power of two within the driver's placeholder limit
 * (sm_driver.max_params: 32766 on SQLite, 65535 on PostgreSQL and
 * MySQL).  More keys than that take several statements. */
size_t sm_inlist_max(const sm_conn *conn, size_t per);
/* The statement for `count` (a power of two) tuples, cached under
 * (key, count); text built only on a miss. */
int sm_inlist_stmt(sm_cx *cx, sm_conn *conn, const void *key, const char *prefix,
                   const char *tuple, const char *suffix, size_t count, sm_stmt **st);

/* Rows read one after another into one growing block of `size`-byte
 * objects (zeroed before each is read). */
typedef struct sm_stage {
    char *data;
    size_t size, n, cap;
} sm_stage;
/* A new zeroed slot at the end (n grows), or NULL without memory. */
void *sm_stage_push(sm_stage *s);
void sm_stage_free(sm_stage *s);

#endif
