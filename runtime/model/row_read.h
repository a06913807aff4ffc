/*
 * row_read.h: reading the current row of a statement into a model's
 * fields, the loop every row reader shares.  bind.c runs it with the
 * driver table it is handed (a call through a pointer per field); a
 * driver's read_row runs it with its own constant table, so that the
 * compiler turns each accessor into a direct, inlined call of the client
 * library.  The loop is written once; the drivers that care pay no call
 * per field for it.
 */
#ifndef SMDL_ROW_READ_H
#define SMDL_ROW_READ_H

#include "bind.h"

/* The values sm_read_field does not read inline (decimals, dates, times,
 * uuids, enums, blobs) and every failure, which it reports (bind.c).  Out
 * of line so that the common fields stay a few instructions each. */
SM_COLD int sm_fetch_other(sm_cx *cx, const sm_model *m, const sm_field *f, sm_stmt *st,
                           int col, void *p, sm_arena *arena);

/* Reads column col into field f of obj, which the caller zeroed.  Only
 * nullable fields ask whether the value is NULL: a non-nullable column
 * is NOT NULL in the DDL, and a NULL that a drifted schema lets through
 * is still caught for text-shaped values (the accessors return NULL). */
static SM_ALWAYS_INLINE int sm_read_field(sm_cx *cx, const sm_model *m, const sm_field *f,
                                          const sm_driver *drv, sm_stmt *st, int col, void *obj,
                                          sm_arena *arena)
{
    void *p = sm_field_at(obj, f->offset);
    if ((f->flags & SM_F_NULLABLE) && drv->is_null(st, col))
        return SM_OK; /* the object was zeroed: NULL pointer, has_ false */
    if (f->has != SM_NONE)
        *(bool *)sm_field_at(obj, f->has) = true;
    size_t n;
    const char *s;
    int64_t i;
    switch (f->type) {
    case SM_T_BOOL:
        *(bool *)p = drv->get_int(st, col) != 0;
        return SM_OK;
    case SM_T_INT:
        *(int64_t *)p = drv->get_int(st, col);
        return SM_OK;
    case SM_T_I32:
        i = drv->get_int(st, col);
        if (SM_UNLIKELY(i < INT32_MIN || i > INT32_MAX))
            break;
        *(int32_t *)p = (int32_t)i;
        return SM_OK;
    case SM_T_FLOAT:
        *(double *)p = drv->get_real(st, col);
        return SM_OK;
    case SM_T_TEXT:
    case SM_T_JSON:
        s = drv->get_text(st, col, &n);
        if (SM_UNLIKELY(!s || !arena || !(*(char **)p = sm_arena_strndup(arena, s, n))))
            break;
        return SM_OK;
    default:
        break;
    }
    return sm_fetch_other(cx, m, f, st, col, p, arena);
}

/* Reads columns 0..n-1 of the current row into the fields plan[0..n-1]
 * of obj (zeroed by the caller); strings go to arena.  Stops at the first
 * failure, which it reports. */
static SM_ALWAYS_INLINE int sm_read_fields(sm_cx *cx, const sm_model *m, const sm_driver *drv,
                                           sm_stmt *st, const sm_field *const *plan, int n,
                                           void *obj, sm_arena *arena)
{
    for (int col = 0; col < n; col++) {
        int rc = sm_read_field(cx, m, plan[col], drv, st, col, obj, arena);
        if (SM_UNLIKELY(rc != SM_OK))
            return rc;
    }
    return SM_OK;
}

#endif
