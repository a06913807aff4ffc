/*
 * bind.h: converting between descriptor-described fields and the values
 * drivers bind and return (bind.c), shared by the table operations
 * (model.c) and queries (query.c).
 */
#ifndef SMDL_BIND_H
#define SMDL_BIND_H

#include "internal.h"

#define BIND_STACK 64
#define BIND_TXT 48 /* the longest formatted value: a datetime with "+00" */

/* The parameters of one statement: values, and text storage for those
 * that are formatted (dates, decimals ...), on the stack when they fit. */
typedef struct sm_binding {
    sm_value *v;
    char (*t)[BIND_TXT];
    size_t n, cap;
    void *heap;
    /* The last datetime formatted and the value holding its text: rows
     * written at once share one now() (created_at, updated_at, a batch),
     * formatted only once. */
    sm_datetime dt;
    size_t dt_at;
    sm_conn *keep; /* takes heap back between calls (sm_binding_init_for) */
    size_t heap_size;
    sm_value sv[BIND_STACK];
    char st[BIND_STACK][BIND_TXT];
} sm_binding;

/* Room for cap values: on the stack, or (past BIND_STACK) on the heap;
 * sm_binding_init_for takes the heap block from conn's kept one, and
 * sm_binding_free gives it back, for callers that bind batches. */
int sm_binding_init_heap(sm_cx *cx, sm_conn *keep, sm_binding *b, size_t cap);
static inline int sm_binding_init(sm_cx *cx, sm_binding *b, size_t cap)
{
    if (cap > BIND_STACK)
        return sm_binding_init_heap(cx, NULL, b, cap);
    b->n = 0;
    b->heap = NULL;
    b->keep = NULL;
    b->dt_at = SIZE_MAX;
    b->v = b->sv;
    b->t = b->st;
    b->cap = BIND_STACK;
    return SM_OK;
}
static inline int sm_binding_init_for(sm_cx *cx, sm_conn *conn, sm_binding *b, size_t cap)
{
    return cap > BIND_STACK ? sm_binding_init_heap(cx, conn, b, cap) : sm_binding_init(cx, b, cap);
}
void sm_binding_free_heap(sm_binding *b);
/* Frees what init allocated: nothing, for a binding on the stack. */
static inline void sm_binding_free(sm_binding *b)
{
    if (b->heap)
        sm_binding_free_heap(b);
}

/* The layout every generated X_list shares. */
typedef struct sm_any_list {
    void *items;
    size_t len;
} sm_any_list;

static inline void *sm_field_at(const void *obj, uint32_t off)
{
    return (char *)(uintptr_t)obj + off;
}

/* Is the field null in obj (NULL pointer, NULL bytes, has_ false)? */
bool sm_field_is_null(const sm_field *f, const void *obj);
/* A text, json or bytes field whose pointer is NULL: the check of a key
 * or a required argument, inline because it runs on every call. */
static inline bool sm_field_ptr_null(const sm_field *f, const void *obj)
{
    const void *p = sm_field_at(obj, f->offset);
    switch (f->type) {
    case SM_T_TEXT:
    case SM_T_JSON:
        return *(const char *const *)p == NULL;
    case SM_T_BYTES:
        return ((const sm_bytes *)p)->data == NULL;
    default:
        return false;
    }
}
const char *sm_column_of(const sm_field *f);
/* Flags v, bound from field f, SM_V_SECRET when f is secret. */
static inline void sm_mark_secret(const sm_field *f, sm_value *v)
{
    if (f->flags & SM_F_SECRET)
        v->flags |= SM_V_SECRET;
}
/* SQL NULL bound from field f, flagged like any of its values (a trace
 * does not even tell whether a secret is set). */
static inline sm_value sm_field_null(const sm_field *f)
{
    sm_value v = sm_null();
    sm_mark_secret(f, &v);
    return v;
}
/* Binds the value at p (of field f's type, not null) into *v, formatting
 * into txt[BIND_TXT] where needed; flagged SM_V_SECRET when f is secret. */
int sm_bind_value(sm_cx *cx, const sm_driver *drv, const sm_field *f, const void *p, sm_value *v,
                  char *txt);
/* Appends field f of obj (NULL when null) to b. */
int sm_bind_field(sm_cx *cx, const sm_driver *drv, const sm_field *f, const void *obj, sm_binding *b);
/* Appends every column of m, in field order, except skip (NULL: none),
 * of each of the nobjs objects at objs: the rows of an INSERT. */
int sm_bind_columns(sm_cx *cx, const sm_driver *drv, const sm_model *m, const void *objs,
                    size_t nobjs, const sm_field *skip, sm_binding *b);
/* Appends the key fields of m in obj; SM_MISUSE when one is NULL (text). */
int sm_bind_key(sm_cx *cx, const sm_driver *drv, const sm_model *m, const void *key, sm_binding *b);
/* Reads the current row into obj, which the caller zeroed; strings go to
 * arena.  Result column k fills the k-th field that takes one: fields
 * flagged SM_F_COLUMN, or with `values` every field that is not a
 * relationship.  *ncols gets the row's column count and *wanted the
 * number of fields that take one; only as many as both have are read,
 * so the caller reports a row of another shape in its own words. */
int sm_fetch_row(sm_cx *cx, const sm_model *m, bool values, sm_stmt *st, void *obj,
                 sm_arena *arena, int *ncols, int *wanted);
/* Reads result column col into field f of obj (zeroed by the caller). */
int sm_fetch_col(sm_cx *cx, const sm_model *m, const sm_field *f, sm_stmt *st, int col, void *obj,
                 sm_arena *arena);
/* The details a database leaves out of a constraint violation (rc) by a
 * row of m: SQLite's unnamed FK, MySQL's columnless primary key
 * (model.c).  Returns rc. */
int sm_constraint_hint(sm_cx *cx, const sm_conn *conn, const sm_model *m, int rc);

#endif
