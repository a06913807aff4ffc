/*
 * bind.c: values between struct fields and the database, once for every
 * database: binding a field as an sm_value, and reading a result column
 * into a field.
 *
 * Values cross between struct fields and sm_value here:
 *   bool             SM_VBOOL
 *   int, i32, i16    SM_VINT (narrower types range-checked on fetch)
 *   float            SM_VREAL
 *   decimal(p,s)     as the driver stores it (sm_driver.bind_decimal and
 *                    get_decimal: a scaled integer or exact text)
 *   text, json       TEXT;  bytes: BLOB
 *   date             TEXT "YYYY-MM-DD"
 *   time             TEXT "HH:MM:SS.ffffff"
 *   datetime         TEXT "YYYY-MM-DD HH:MM:SS.ffffff" and the driver's
 *                    datetime_suffix (a zone, where the column type
 *                    would otherwise read it in the session's zone)
 *   uuid             TEXT, dashed lowercase
 *   enum             TEXT, the member name
 * and back: drivers return temporal and uuid columns as text, parsed
 * with values.c.  A value in a row that cannot be read (an unknown
 * enum member, a malformed date, an i16 out of range) is SM_ERROR naming
 * the table, the column and the value ("***" for a secret field).  A
 * value bound from a secret field is flagged SM_V_SECRET.
 *
 * Formatted parameter text lives on the stack (struct binding) for up to
 * BIND_STACK values and on the heap beyond; one call allocates nothing
 * else on the way to the driver.
 */
#include "row_read.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A secret field's values never appear in a message: they read "***". */
static inline bool secret(const sm_field *f)
{
    return (f->flags & SM_F_SECRET) != 0;
}

/* A model's name in messages: its table, or its name for rows. */
static const char *owner(const sm_model *m)
{
    return m->table ? m->table : m->name;
}

/* ---- Parameter storage ----------------------------------------------------- */



int sm_binding_init_heap(sm_cx *cx, sm_conn *keep, sm_binding *b, size_t cap)
{
    b->n = 0;
    b->heap = NULL;
    b->keep = keep;
    b->dt_at = SIZE_MAX;
    size_t one = sizeof(sm_value) + BIND_TXT;
    if (cap > SIZE_MAX / one)
        return sm_cx_fail(cx, SM_NOMEM, "out of memory binding %zu parameters", cap);
    b->heap_size = cap * one;
    if (keep && keep->bind_mem && keep->bind_size >= b->heap_size) {
        b->heap = keep->bind_mem; /* taken: a nested binding mallocs its own */
        b->heap_size = keep->bind_size;
        keep->bind_mem = NULL;
    } else if (!(b->heap = malloc(b->heap_size))) {
        return sm_cx_fail(cx, SM_NOMEM, "out of memory binding %zu parameters", cap);
    }
    b->v = b->heap;
    b->t = (char(*)[BIND_TXT])(void *)((sm_value *)b->heap + cap);
    b->cap = cap;
    return SM_OK;
}

/* A heap block given back to its connection replaces a smaller kept
 * one; a block past SM_BIND_KEEP is freed. */
void sm_binding_free_heap(sm_binding *b)
{
    sm_conn *c = b->keep;
    if (!c || b->heap_size > SM_BIND_KEEP || (c->bind_mem && c->bind_size >= b->heap_size)) {
        free(b->heap);
        return;
    }
    free(c->bind_mem);
    c->bind_mem = b->heap;
    c->bind_size = b->heap_size;
}

/* ---- Fields ---------------------------------------------------------------------- */


bool sm_field_is_null(const sm_field *f, const void *obj)
{
    if (f->type == SM_T_TEXT || f->type == SM_T_JSON || f->type == SM_T_BYTES)
        return sm_field_ptr_null(f, obj);
    return f->has != SM_NONE && !*(const bool *)sm_field_at(obj, f->has);
}

const char *sm_column_of(const sm_field *f)
{
    return f->column ? f->column : f->name;
}

/* The value at p (a field of type f->type, not null) as a parameter. */
static inline int bind_value(sm_cx *cx, const sm_driver *drv, const sm_field *f,
                             const void *p, sm_value *v, char *txt)
{
    size_t n;
    switch (f->type) {
    case SM_T_BOOL:
        *v = sm_bool(*(const bool *)p);
        return SM_OK;
    case SM_T_INT:
        *v = sm_int(*(const int64_t *)p);
        return SM_OK;
    case SM_T_I32:
        *v = sm_int(*(const int32_t *)p);
        return SM_OK;
    case SM_T_I16:
        *v = sm_int(*(const int16_t *)p);
        return SM_OK;
    case SM_T_FLOAT:
        *v = sm_real(*(const double *)p);
        return SM_OK;
    case SM_T_DECIMAL:
        drv->bind_decimal(*(const sm_decimal *)p, f->scale, v, txt);
        return SM_OK;
    case SM_T_TEXT:
    case SM_T_JSON: {
        const char *t = *(const char *const *)p;
        *v = sm_textn(t, t ? strlen(t) : 0); /* libc's strlen: a word at a time */
        return SM_OK;
    }
    case SM_T_BYTES:
        *v = sm_blob(((const sm_bytes *)p)->data, ((const sm_bytes *)p)->len);
        return SM_OK;
    case SM_T_DATE:
        *v = sm_textn(txt, sm_date_format(*(const sm_date *)p, txt));
        return SM_OK;
    case SM_T_TIME:
        *v = sm_textn(txt, sm_time_format(*(const sm_time *)p, txt));
        return SM_OK;
    case SM_T_DATETIME:
        n = sm_datetime_format(*(const sm_datetime *)p, SM_DT_SQL, txt);
        for (const char *z = drv->datetime_suffix; *z; z++)
            txt[n++] = *z;
        txt[n] = 0;
        *v = sm_textn(txt, n);
        return SM_OK;
    case SM_T_UUID:
        *v = sm_textn(txt, sm_uuid_format(p, txt));
        return SM_OK;
    case SM_T_ENUM: {
        int e = *(const int *)p;
        if (e < 0 || (uint32_t)e >= f->enm->count) {
            char num[16];
            snprintf(num, sizeof num, "%d", e);
            return sm_cx_fail(cx, SM_MISUSE, "field '%s': %s is not a member of enum %s",
                              f->name, secret(f) ? "***" : num, f->enm->name);
        }
        *v = sm_text(f->enm->members[e]);
        return SM_OK;
    }
    default:
        return sm_cx_fail(cx, SM_MISUSE, "field '%s' is not a column", f->name);
    }
}

int sm_bind_value(sm_cx *cx, const sm_driver *drv, const sm_field *f, const void *p, sm_value *v,
                  char *txt)
{
    int rc = bind_value(cx, drv, f, p, v, txt);
    sm_mark_secret(f, v);
    return rc;
}

/* sm_bind_field, inline in the loop of sm_bind_columns. */
static inline int bind_field(sm_cx *cx, const sm_driver *drv, const sm_field *f, const void *obj,
                             sm_binding *b)
{
    size_t i = b->n++;
    sm_value *v = &b->v[i];
    const void *p = sm_field_at(obj, f->offset);
    int rc = SM_OK;
    if ((f->flags & SM_F_NULLABLE) && sm_field_is_null(f, obj)) {
        *v = sm_null();
    } else if (f->type != SM_T_DATETIME) {
        rc = bind_value(cx, drv, f, p, v, b->t[i]);
    } else {
        sm_datetime dt;
        memcpy(&dt, p, sizeof dt);
        if (b->dt_at != SIZE_MAX && b->dt == dt) {
            *v = b->v[b->dt_at];
            v->flags = 0;
        } else {
            b->dt = dt;
            b->dt_at = i;
            rc = bind_value(cx, drv, f, p, v, b->t[i]);
        }
    }
    sm_mark_secret(f, v);
    return rc;
}

SM_HOT int sm_bind_field(sm_cx *cx, const sm_driver *drv, const sm_field *f, const void *obj,
                         sm_binding *b)
{
    return bind_field(cx, drv, f, obj, b);
}

int sm_bind_columns(sm_cx *cx, const sm_driver *drv, const sm_model *m, const void *objs,
                    size_t nobjs, const sm_field *skip, sm_binding *b)
{
    int rc = SM_OK;
    const sm_field *fields = m->fields, *end = fields + m->nfields;
    const char *obj = objs;
    for (size_t k = 0; k < nobjs && rc == SM_OK; k++, obj += m->size)
        for (const sm_field *f = fields; f < end && rc == SM_OK; f++)
            if ((f->flags & SM_F_COLUMN) && f != skip)
                rc = bind_field(cx, drv, f, obj, b);
    return rc;
}

/* A key field of any type but the integers: never NULL, since a NULL
 * text key is a missing argument (it would match no row, or every
 * database differently).  Nor is it nullable, so it binds as a value
 * straight away. */
static int bind_key_other(sm_cx *cx, const sm_driver *drv, const sm_model *m,
                          const sm_field *f, const void *key, sm_binding *b)
{
    if (sm_field_ptr_null(f, key))
        return sm_cx_fail(cx, SM_MISUSE, "%s: key '%s' is NULL", owner(m), f->name);
    size_t i = b->n++;
    return sm_bind_value(cx, drv, f, sm_field_at(key, f->offset), &b->v[i], b->t[i]);
}

SM_HOT int sm_bind_key(sm_cx *cx, const sm_driver *drv, const sm_model *m, const void *key,
                       sm_binding *b)
{
    for (uint32_t k = 0; k < m->nkey; k++) {
        const sm_field *f = &m->fields[m->key[k]];
        const void *p = sm_field_at(key, f->offset);
        sm_value *v = &b->v[b->n];
        /* The keys of nearly every table, before bind_value's switch. */
        if (SM_LIKELY(f->type == SM_T_INT))
            *v = sm_int(*(const int64_t *)p);
        else if (SM_LIKELY(f->type == SM_T_I32))
            *v = sm_int(*(const int32_t *)p);
        else {
            int rc = bind_key_other(cx, drv, m, f, key, b);
            if (rc != SM_OK)
                return rc;
            continue;
        }
        b->n++;
        sm_mark_secret(f, v);
    }
    return SM_OK;
}

/* ---- Reading a row into an object ------------------------------------------- */

static int bad_value(sm_cx *cx, const sm_model *m, const sm_field *f, const char *what,
                     const char *s, size_t n)
{
    if (secret(f))
        return sm_cx_fail(cx, SM_ERROR, "column %s.%s: cannot read *** as %s", owner(m),
                          sm_column_of(f), what);
    return sm_cx_fail(cx, SM_ERROR, "column %s.%s: cannot read '%.*s' as %s", owner(m),
                      sm_column_of(f), (int)(n > 64 ? 64 : n), s ? s : "", what);
}

/* A text or blob accessor gave NULL: SQL NULL in a non-nullable column
 * (the schema is not the model's), or no memory. */
static int no_value(sm_cx *cx, const sm_model *m, const sm_field *f, sm_stmt *st, int col)
{
    if (st->conn->drv->is_null(st, col))
        return sm_cx_fail(cx, SM_ERROR, "column %s.%s: NULL in a non-nullable field", owner(m),
                          sm_column_of(f));
    return sm_cx_fail(cx, SM_NOMEM, "out of memory reading a row");
}

/* The slow half of sm_read_field (row_read.h). */
int sm_fetch_other(sm_cx *cx, const sm_model *m, const sm_field *f, sm_stmt *st, int col, void *p,
                   sm_arena *arena)
{
    const sm_driver *drv = st->conn->drv;
    size_t n = 0;
    const char *s;
    int64_t i;
    switch (f->type) {
    case SM_T_I32:
    case SM_T_I16:
        i = drv->get_int(st, col);
        if (f->type == SM_T_I16 && i >= INT16_MIN && i <= INT16_MAX) {
            *(int16_t *)p = (int16_t)i;
            return SM_OK;
        }
        if (secret(f))
            return sm_cx_fail(cx, SM_ERROR, "column %s.%s: *** is out of range for %s", owner(m),
                              sm_column_of(f), f->type == SM_T_I32 ? "i32" : "i16");
        return sm_cx_fail(cx, SM_ERROR, "column %s.%s: %lld is out of range for %s", owner(m),
                          sm_column_of(f), (long long)i, f->type == SM_T_I32 ? "i32" : "i16");
    case SM_T_BYTES: {
        const void *b = drv->get_blob(st, col, &n);
        sm_bytes *out = p;
        if (!b)
            return no_value(cx, m, f, st, col);
        if (!arena)
            return sm_cx_fail(cx, SM_MISUSE, "no arena given for the row's values");
        if (!(out->data = sm_arena_memdup(arena, b, n)))
            return sm_cx_fail(cx, SM_NOMEM, "out of memory reading a row");
        out->len = n;
        return SM_OK;
    }
    case SM_T_DECIMAL:
        if (drv->get_decimal(st, col, f->precision, f->scale, p) == SM_OK)
            return SM_OK;
        s = drv->get_text(st, col, &n);
        return s ? bad_value(cx, m, f, "a decimal", s, n) : no_value(cx, m, f, st, col);
    default:
        break;
    }
    s = drv->get_text(st, col, &n);
    if (!s)
        return no_value(cx, m, f, st, col);
    switch (f->type) {
    case SM_T_TEXT:
    case SM_T_JSON:
        if (!arena)
            return sm_cx_fail(cx, SM_MISUSE, "no arena given for the row's values");
        if (!(*(char **)p = sm_arena_strndup(arena, s, n)))
            return sm_cx_fail(cx, SM_NOMEM, "out of memory reading a row");
        return SM_OK;
    case SM_T_DATE:
        return sm_date_parse(s, n, p) == SM_OK ? SM_OK : bad_value(cx, m, f, "a date", s, n);
    case SM_T_TIME:
        return sm_time_parse(s, n, p) == SM_OK ? SM_OK : bad_value(cx, m, f, "a time", s, n);
    case SM_T_DATETIME:
        return sm_datetime_parse(s, n, p) == SM_OK ? SM_OK
                                                   : bad_value(cx, m, f, "a datetime", s, n);
    case SM_T_UUID:
        return sm_uuid_parse(s, n, p) == SM_OK ? SM_OK : bad_value(cx, m, f, "a uuid", s, n);
    case SM_T_ENUM:
        for (uint32_t k = 0; k < f->enm->count; k++) {
            const char *name = f->enm->members[k];
            if (strlen(name) == n && memcmp(name, s, n) == 0) {
                *(int *)p = (int)k;
                return SM_OK;
            }
        }
        if (secret(f))
            return sm_cx_fail(cx, SM_ERROR, "column %s.%s: *** is not a member of enum %s",
                              owner(m), sm_column_of(f), f->enm->name);
        return sm_cx_fail(cx, SM_ERROR, "column %s.%s: '%.*s' is not a member of enum %s",
                          owner(m), sm_column_of(f), (int)(n > 64 ? 64 : n), s,
                          f->enm->name);
    default:
        return sm_cx_fail(cx, SM_MISUSE, "field '%s' is not a column", f->name);
    }
}

/* Reads a cell into field f: integers, floats and text that need no
 * conversion are stored here; everything else (and every failure) goes
 * through sm_read_field and the driver's accessors. */
static inline int fetch_cell(sm_cx *cx, const sm_model *m, const sm_field *f, sm_stmt *st,
                             int col, const sm_cell *c, void *obj, sm_arena *arena)
{
    void *p = sm_field_at(obj, f->offset);
    if (c->null) {
        if (f->flags & SM_F_NULLABLE)
            return SM_OK;
    } else {
        switch (f->type) {
        case SM_T_INT:
            if (c->kind != SM_VINT)
                break;
            *(int64_t *)p = c->i;
            goto has;
        case SM_T_I32:
            if (c->kind != SM_VINT || c->i < INT32_MIN || c->i > INT32_MAX)
                break;
            *(int32_t *)p = (int32_t)c->i;
            goto has;
        case SM_T_BOOL:
            if (c->kind != SM_VINT)
                break;
            *(bool *)p = c->i != 0;
            goto has;
        case SM_T_FLOAT:
            if (c->kind != SM_VREAL)
                break;
            *(double *)p = c->d;
            goto has;
        case SM_T_TEXT:
        case SM_T_JSON:
            if (c->kind != SM_VTEXT || !arena ||
                !(*(char **)p = sm_arena_strndup(arena, c->s, c->len)))
                break;
            goto has;
        default:
            break;
        }
    }
    return sm_read_field(cx, m, f, st->conn->drv, st, col, obj, arena);
has:
    if (f->has != SM_NONE)
        *(bool *)sm_field_at(obj, f->has) = true;
    return SM_OK;
}

int sm_fetch_col(sm_cx *cx, const sm_model *m, const sm_field *f, sm_stmt *st, int col, void *obj,
                 sm_arena *arena)
{
    return sm_read_field(cx, m, f, st->conn->drv, st, col, obj, arena);
}

/* The fields of m that a row of st fills, in column order: with values,
 * every field that is not a relationship (a query's row), else every
 * column (a table read by its own statements). */
static int plan_rows(sm_cx *cx, const sm_model *m, bool values, sm_stmt *st)
{
    const sm_field **plan = malloc((m->nfields ? m->nfields : 1) * sizeof *plan);
    if (!plan)
        return sm_cx_fail(cx, SM_NOMEM, "out of memory reading a row");
    int want = 0;
    for (uint32_t i = 0; i < m->nfields; i++) {
        const sm_field *f = &m->fields[i];
        if (values ? f->type < SM_T_REL_ONE : (f->flags & SM_F_COLUMN) != 0)
            plan[want++] = f;
    }
    free(st->plan);
    st->plan = plan;
    st->plan_model = m;
    st->plan_values = values;
    st->plan_want = want;
    return SM_OK;
}

/* The row loop of a driver without read_row: its cells, or its accessors
 * through the table.  Out of line, so that sm_fetch_row stays small for
 * the drivers that have their own. */
static int read_generic(sm_cx *cx, const sm_model *m, sm_stmt *st, int n, void *obj,
                        sm_arena *arena)
{
    const sm_field *const *plan = st->plan;
    const sm_driver *drv = st->conn->drv;
    const sm_cell *cells;
    int rc = SM_OK;
    if (drv->cells && (cells = drv->cells(st)) != NULL)
        for (int col = 0; col < n && rc == SM_OK; col++)
            rc = fetch_cell(cx, m, plan[col], st, col, &cells[col], obj, arena);
    else
        rc = sm_read_fields(cx, m, drv, st, plan, n, obj, arena);
    return rc;
}

/* Every row reader comes here: the driver's own instance of the row loop
 * (read_row), or read_generic. */
int sm_fetch_row(sm_cx *cx, const sm_model *m, bool values, sm_stmt *st, void *obj,
                 sm_arena *arena, int *ncols, int *wanted)
{
    const sm_driver *drv = st->conn->drv;
    *ncols = drv->ncols(st);
    if (SM_UNLIKELY(st->plan_model != m || st->plan_values != values)) {
        int rc = plan_rows(cx, m, values, st);
        if (rc != SM_OK) {
            *wanted = 0;
            return rc;
        }
    }
    *wanted = st->plan_want;
    int n = *ncols < st->plan_want ? *ncols : st->plan_want;
    if (SM_LIKELY(drv->read_row != NULL))
        return drv->read_row(cx, m, st, st->plan, n, obj, arena);
    return read_generic(cx, m, st, n, obj, arena);
}
