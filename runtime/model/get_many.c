/*
 * get_many.c: `<t>_get_many` (smdl/desc.h, sm_model_get_many): the rows
 * of n keys in one statement (sm_table_sql.many_*), returned in the
 * order of the keys.  The distinct keys go in a hash set (linear in n),
 * so a key given twice is asked for once and its row returned twice; a
 * key without a row is skipped.
 */
#include "inlist.h"

#include <stdlib.h>
#include <string.h>

/* The C size of a value of a key field's type (an array of them holds
 * the keys of a single-column key). */
static size_t c_size(int type)
{
    switch (type) {
    case SM_T_BOOL: return sizeof(bool);
    case SM_T_I32: return sizeof(int32_t);
    case SM_T_I16: return sizeof(int16_t);
    case SM_T_ENUM: return sizeof(int);
    case SM_T_DATE: return sizeof(sm_date);
    case SM_T_FLOAT: return sizeof(double);
    case SM_T_TEXT:
    case SM_T_JSON: return sizeof(const char *);
    case SM_T_BYTES: return sizeof(sm_bytes);
    case SM_T_UUID: return sizeof(sm_uuid);
    case SM_T_DECIMAL: return sizeof(sm_decimal);
    default: return sizeof(int64_t); /* int, time, datetime */
    }
}

typedef struct many {
    const sm_model *m;
    const char *base;   /* the keys */
    size_t stride;      /* bytes per key */
    sm_field *kf;       /* the key fields as they sit in the keys */
    sm_keyset set;      /* first: per distinct key, the first index with it */
    size_t *of;         /* per index: its distinct key */
    size_t *found;      /* per distinct key: its row + 1, or 0 */
    sm_stage rows;
} many;

/* The key tuple of key i (from the keys) into kv; false when a text key
 * is NULL. */
static bool key_of(const many *g, size_t i, sm_kv *kv)
{
    for (uint32_t k = 0; k < g->m->nkey; k++)
        if (sm_field_ptr_null(&g->kf[k], g->base + i * g->stride) ||
            !sm_kv_of(&g->kf[k], g->base + i * g->stride, &kv[k]))
            return false;
    return true;
}

static int collect(sm_cx *cx, many *g, size_t n, sm_kv *kv)
{
    for (size_t i = 0; i < n; i++) {
        if (!key_of(g, i, kv))
            return sm_cx_fail(cx, SM_MISUSE, "get_many %s: key %zu is NULL", g->m->name, i);
        if (sm_keyset_add(&g->set, kv, i, &g->of[i]) != SM_OK)
            return sm_cx_fail(cx, SM_NOMEM, "out of memory");
    }
    return SM_OK;
}

/* Distinct keys [a, b) in one statement. */
static int query(sm_cx *cx, sm_conn *conn, many *g, size_t a, size_t b, sm_kv *kv,
                 sm_arena *arena)
{
    const sm_model *m = g->m;
    const sm_table_sql *q = m->sql;
    sm_dialect d = conn->dialect;
    size_t count = sm_inlist_bucket(b - a);
    sm_stmt *st;
    int rc = sm_inlist_stmt(cx, conn, &q->many_prefix, q->many_prefix.text[d],
                            q->many_tuple.text[d], q->many_suffix.text[d], count, &st);
    if (rc != SM_OK)
        return rc;
    sm_binding bd;
    if ((rc = sm_binding_init_for(cx, conn, &bd, count * m->nkey)) == SM_OK) {
        for (size_t k = 0; k < count && rc == SM_OK; k++) {
            size_t i = g->set.first[a + k < b ? a + k : b - 1]; /* padding repeats the last key */
            for (uint32_t c = 0; c < m->nkey && rc == SM_OK; c++)
                rc = sm_bind_field(cx, conn->drv, &g->kf[c], g->base + i * g->stride, &bd);
        }
        if (rc == SM_OK)
            rc = sm_stmt_exec(cx, st, bd.v, bd.n);
        for (; rc == SM_ROW; rc = sm_stmt_next(cx, st)) {
            void *row = sm_stage_push(&g->rows);
            int ncols, wanted;
            if (!row) {
                rc = sm_cx_fail(cx, SM_NOMEM, "out of memory reading rows");
                break;
            }
            if ((rc = sm_fetch_row(cx, m, false, st, row, arena, &ncols, &wanted)) == SM_OK &&
                ncols != wanted)
                rc = sm_cx_fail(cx, SM_ERROR, "table %s: the row has %d columns, %d expected",
                                m->table, ncols, wanted);
            if (rc != SM_OK)
                break;
            for (uint32_t c = 0; c < m->nkey; c++)
                sm_kv_of(&m->fields[m->key[c]], row, &kv[c]);
            size_t k = sm_keyset_find(&g->set, kv);
            if (k != SIZE_MAX && !g->found[k])
                g->found[k] = g->rows.n;
        }
        sm_binding_free(&bd);
    }
    int reset = sm_stmt_release(st);
    return rc == SM_DONE ? reset : rc;
}

/* The rows in the order of the keys, into out. */
static int place(sm_cx *cx, many *g, size_t n, sm_any_list *out, sm_arena *arena)
{
    size_t size = g->m->size, count = 0;
    for (size_t i = 0; i < n; i++)
        count += g->found[g->of[i]] != 0;
    if (!count)
        return SM_OK;
    char *items = sm_arena_alloc(arena, count * size);
    if (!items)
        return sm_cx_fail(cx, SM_NOMEM, "out of memory reading rows");
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        size_t r = g->found[g->of[i]];
        if (r)
            memcpy(items + j++ * size, g->rows.data + (r - 1) * size, size);
    }
    out->items = items;
    out->len = count;
    return SM_OK;
}

static int get_many(sm_cx *cx, sm_conn *conn, many *g, size_t n, bool objects, sm_any_list *out,
                    sm_arena *arena)
{
    const sm_model *m = g->m;
    if (!m->sql->many_prefix.text[conn->dialect])
        return sm_cx_fail(cx, SM_UNSUPPORTED, "get_many %s is not available on %s", m->name,
                          conn->drv->name);
    if (!objects && m->nkey != 1)
        return sm_cx_fail(cx, SM_MISUSE, "get_many %s: a key of %u fields is given as objects",
                          m->name, m->nkey);
    g->stride = objects ? m->size : c_size(m->fields[m->key[0]].type);
    g->rows.size = m->size;
    sm_keyset_init(&g->set, m->nkey);
    g->kf = calloc(m->nkey, sizeof *g->kf);
    sm_kv *kv = calloc(m->nkey, sizeof *kv);
    g->of = malloc(n * sizeof *g->of);
    if (!g->kf || !kv || !g->of) {
        free(kv);
        return sm_cx_fail(cx, SM_NOMEM, "out of memory");
    }
    for (uint32_t c = 0; c < m->nkey; c++) {
        g->kf[c] = m->fields[m->key[c]];
        g->kf[c].has = SM_NONE;
        g->kf[c].flags &= (uint16_t)~SM_F_NULLABLE;
        if (!objects)
            g->kf[c].offset = 0; /* an array of values */
    }
    int rc = collect(cx, g, n, kv);
    if (rc == SM_OK && !(g->found = calloc(g->set.count + 1, sizeof *g->found)))
        rc = sm_cx_fail(cx, SM_NOMEM, "out of memory");
    size_t most = sm_inlist_max(conn, m->nkey);
    for (size_t a = 0; a < g->set.count && rc == SM_OK; a += most)
        rc = query(cx, conn, g, a, a + most < g->set.count ? a + most : g->set.count, kv, arena);
    if (rc == SM_OK)
        rc = place(cx, g, n, out, arena);
    free(kv);
    return rc;
}

int sm_model_get_many(sm_cx *cx, sm_conn *conn, const sm_model *m, const void *keys, size_t n,
                      bool objects, void *out, sm_arena *arena)
{
    sm_any_list *list = out;
    if (list)
        memset(list, 0, sizeof *list);
    int rc = sm_call_begin(cx, conn, SM_CALL_ANY);
    if (rc != SM_OK)
        return rc;
    if (!m)
        rc = sm_null_arg(cx, "get_many", NULL, "m");
    else if (!(m->flags & SM_M_TABLE) || !m->sql)
        rc = sm_cx_fail(cx, SM_MISUSE, "get_many %s: not a table model", m->name);
    else if (!out)
        rc = sm_null_arg(cx, "get_many", m->name, "out");
    else if (!arena)
        rc = sm_null_arg(cx, "get_many", m->name, "arena");
    else if (!keys && n)
        rc = sm_null_arg(cx, "get_many", m->name, "keys");
    if (rc != SM_OK || n == 0)
        return sm_call_end(cx, conn, rc);
    many g;
    memset(&g, 0, sizeof g);
    g.m = m;
    g.base = keys;
    rc = get_many(cx, conn, &g, n, objects, list, arena);
    if (rc != SM_OK)
        memset(list, 0, sizeof *list);
    sm_keyset_free(&g.set);
    free(g.kf);
    free(g.of);
    free(g.found);
    sm_stage_free(&g.rows);
    return sm_call_end(cx, conn, rc);
}
