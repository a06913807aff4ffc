/*
 * rel.h: relationship loading inside a call (rel.c), for the public
 * sm_rel_load* and for the eager loads of queries (query.c).
 */
#ifndef SMDL_REL_H
#define SMDL_REL_H

#include "inlist.h"

/* Checks that rel is one of owner's relationships: SM_OK or SM_MISUSE
 * with a message naming fn. */
int sm_rel_check(sm_cx *cx, const char *fn, const sm_model *owner, const sm_rel *rel);
/* Fills rel in objs[0..n) (sm_rel_load without the call bracket and the
 * argument checks).  *rows and *nrows (when rows is not NULL) get the
 * target objects read, each once, in arena: the owners of a nested
 * load. */
int sm_rel_fill(sm_cx *cx, sm_conn *conn, const sm_model *owner, const sm_rel *rel, void *objs,
                size_t n, sm_arena *arena, void **rows, size_t *nrows);

#endif
