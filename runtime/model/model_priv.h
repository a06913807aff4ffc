/*
 * model_priv.h: what the table operations (model.c) share with the batch
 * insert (insert_many.c).
 */
#ifndef SMDL_MODEL_PRIV_H
#define SMDL_MODEL_PRIV_H

#include "bind.h"

#include <string.h>

/* A field the operation wrote (a filled now()/uuid(), an @updated_at) and
 * its old bytes, so that a failed call leaves the objects as they were. */
typedef struct sm_mark {
    unsigned char *p;
    size_t size;
    unsigned char old[sizeof(sm_uuid)];
} sm_mark;

typedef struct sm_marks {
    sm_mark *v;
    size_t n, cap;
    sm_mark stack[8];
} sm_marks;

/* An empty list of marks, on the stack until it outgrows it. */
static inline void sm_marks_init(sm_marks *ms)
{
    ms->v = ms->stack;
    ms->n = 0;
    ms->cap = sizeof ms->stack / sizeof ms->stack[0];
}

/* Puts back every marked field's old bytes, newest first. */
void sm_marks_restore(sm_marks *ms);
/* Frees the list's heap storage, if any. */
void sm_marks_free(sm_marks *ms);

/* Fills obj's zero non-nullable now()/uuid() fields (DESIGN 3.5), marking each. */
int sm_fill_defaults(sm_cx *cx, const sm_model *m, void *obj, sm_datetime *now, sm_marks *ms);
/* Has m a field that sm_fill_defaults may fill? */
bool sm_has_defaults(const sm_model *m);

/* The @auto key field, if the model has one. */
static inline const sm_field *sm_auto_key(const sm_model *m)
{
    if (m->nkey != 1)
        return NULL;
    const sm_field *f = &m->fields[m->key[0]];
    return (f->flags & SM_F_AUTO) ? f : NULL;
}

/* The integer key field f of obj. */
static inline int64_t sm_read_key(const sm_field *f, const void *obj)
{
    const void *p = sm_field_at(obj, f->offset);
    switch (f->type) {
    case SM_T_I32:
        return *(const int32_t *)p;
    case SM_T_I16:
        return *(const int16_t *)p;
    default:
        return *(const int64_t *)p;
    }
}

/* Stores a generated key into the integer key field f of obj. */
void sm_write_key(const sm_field *f, void *obj, int64_t id);

/* How many of m's fields are columns. */
uint32_t sm_count_columns(const sm_model *m);

/* SM_MISUSE unless m is a table model with its SQL. */
int sm_check_table(sm_cx *cx, const sm_model *m);
/* What sm_check_table accepts, for a call's inline test of its arguments. */
static inline bool sm_is_table(const sm_model *m)
{
    return m && (m->flags & SM_M_TABLE) && m->sql;
}

/* Validates obj into errs (paths prefixed when prefix is not NULL); fails cx only on no memory. */
int sm_validate_cx(sm_cx *cx, const sm_model *m, const void *obj, const char *prefix,
                   sm_errors *errs);

/* Inserts one row by its own statement; the caller restores ms on failure (model.c). */
int sm_insert_one(sm_cx *cx, sm_conn *conn, const sm_model *m, void *obj, sm_datetime *now,
                  sm_marks *ms, int64_t *id, bool *gen);

#endif
