/*
 * rel.c: relationships (DESIGN 3.4): loading a relationship field for
 * any number of owners in one statement (smdl/desc.h, sm_rel), linking
 * and unlinking many-to-many pairs.
 *
 * A load collects the distinct non-NULL values of the owners' `own`
 * field in a hash set (linear in the owners), reads every target row
 * whose match is one of them in one statement per sm_inlist_max keys,
 * puts the rows in one arena array grouped by key (a counting sort that
 * keeps the database's order, by key, within each group) and only then
 * writes the owners' fields: a failure leaves every field as it was.
 * Owners with equal values share one object (to-one) or one slice
 * (to-many).
 */
#include "rel.h"

#include <stdlib.h>
#include <string.h>

int sm_rel_check(sm_cx *cx, const char *fn, const sm_model *owner, const sm_rel *rel)
{
    if (!owner)
        return sm_null_arg(cx, fn, NULL, "owner");
    if (!rel)
        return sm_null_arg(cx, fn, owner->name, "rel");
    uintptr_t at = (uintptr_t)rel, first = (uintptr_t)owner->rels;
    if (!owner->rels || at < first || at >= first + owner->nrels * sizeof *rel ||
        (at - first) % sizeof *rel || !rel->target ||
        rel->own >= owner->nfields || rel->field >= owner->nfields)
        return sm_cx_fail(cx, SM_MISUSE, "%s %s: rel is not a relationship of %s", fn,
                          owner->name, owner->name);
    const sm_model *mm = rel->kind == SM_REL_M2M ? rel->link : rel->target;
    if (!mm || rel->match >= mm->nfields)
        return sm_cx_fail(cx, SM_MISUSE, "%s %s.%s: a relationship without its match field", fn,
                          owner->name, rel->name);
    return SM_OK;
}

/* A many-to-many relationship with its link's two fields. */
static bool is_m2m(const sm_rel *rel)
{
    return rel->kind == SM_REL_M2M && rel->link && rel->link_own < rel->link->nfields &&
           rel->link_target < rel->link->nfields;
}

/* What one load works with. */
typedef struct load {
    const sm_model *owner, *tm;
    const sm_rel *rel;
    const sm_field *own, *match;
    sm_keyset keys;    /* distinct owner values; first: the first owner with each */
    size_t *of;        /* per owner: its key, or SIZE_MAX (NULL) */
    sm_stage rows;     /* target rows as read */
    size_t *row_key;   /* per row: its key */
    size_t cap_rk;
    sm_arena tmp;      /* the link's owner column of many-to-many rows */
    void *link_obj;    /* a scratch link object to read it into */
} load;

static void load_free(load *l)
{
    sm_keyset_free(&l->keys);
    free(l->of);
    sm_stage_free(&l->rows);
    free(l->row_key);
    sm_arena_free(&l->tmp);
    free(l->link_obj);
}

/* The distinct values of own over the owners. */
static int collect_keys(sm_cx *cx, load *l, char *objs, size_t n)
{
    if (n && !(l->of = malloc(n * sizeof *l->of)))
        return sm_cx_fail(cx, SM_NOMEM, "out of memory loading %s", l->rel->name);
    for (size_t i = 0; i < n; i++) {
        sm_kv kv;
        l->of[i] = SIZE_MAX;
        if (sm_kv_of(l->own, objs + i * l->owner->size, &kv) &&
            sm_keyset_add(&l->keys, &kv, i, &l->of[i]) != SM_OK)
            return sm_cx_fail(cx, SM_NOMEM, "out of memory loading %s", l->rel->name);
    }
    return SM_OK;
}

/* Reads the current row: the target's columns, then (many-to-many) the
 * link's owner column; records the row's key. */
static int read_row(sm_cx *cx, load *l, sm_stmt *st, sm_arena *arena)
{
    void *row = sm_stage_push(&l->rows);
    if (!row)
        return sm_cx_fail(cx, SM_NOMEM, "out of memory loading %s", l->rel->name);
    if (l->cap_rk < l->rows.cap) {
        size_t *rk = realloc(l->row_key, l->rows.cap * sizeof *rk);
        if (!rk)
            return sm_cx_fail(cx, SM_NOMEM, "out of memory loading %s", l->rel->name);
        l->row_key = rk;
        l->cap_rk = l->rows.cap;
    }
    int ncols, wanted;
    int rc = sm_fetch_row(cx, l->tm, false, st, row, arena, &ncols, &wanted);
    bool m2m = l->rel->kind == SM_REL_M2M;
    if (rc == SM_OK && ncols != wanted + m2m)
        rc = sm_cx_fail(cx, SM_ERROR, "loading %s.%s: the row has %d columns, %d expected",
                        l->owner->name, l->rel->name, ncols, wanted + m2m);
    if (rc != SM_OK)
        return rc;
    const void *keyobj = row;
    if (m2m) {
        memset(l->link_obj, 0, l->rel->link->size);
        if ((rc = sm_fetch_col(cx, l->rel->link, l->match, st, ncols - 1, l->link_obj,
                               &l->tmp)) != SM_OK)
            return rc;
        keyobj = l->link_obj;
    }
    sm_kv kv;
    size_t k = sm_kv_of(l->match, keyobj, &kv) ? sm_keyset_find(&l->keys, &kv) : SIZE_MAX;
    if (k == SIZE_MAX)
        l->rows.n--; /* not asked for (a collation that equates other bytes) */
    else
        l->row_key[l->rows.n - 1] = k;
    return SM_OK;
}

/* Keys [a, b) in one statement. */
static int query_keys(sm_cx *cx, sm_conn *conn, load *l, char *objs, size_t a, size_t b,
                      sm_arena *arena)
{
    sm_dialect d = conn->dialect;
    const sm_rel *rel = l->rel;
    size_t count = sm_inlist_bucket(b - a);
    sm_stmt *st;
    int rc = sm_inlist_stmt(cx, conn, &rel->load_prefix, rel->load_prefix.text[d], "?",
                            rel->load_suffix.text[d], count, &st);
    if (rc != SM_OK)
        return rc;
    sm_binding bd;
    if ((rc = sm_binding_init_for(cx, conn, &bd, count)) == SM_OK) {
        for (size_t k = 0; k < count && rc == SM_OK; k++) {
            size_t key = a + k < b ? a + k : b - 1; /* padding repeats the last key */
            const void *obj = objs + l->keys.first[key] * l->owner->size;
            rc = sm_bind_value(cx, conn->drv, l->own, sm_field_at(obj, l->own->offset),
                               &bd.v[bd.n], bd.t[bd.n]);
            bd.n++;
        }
        if (rc == SM_OK)
            rc = sm_stmt_exec(cx, st, bd.v, bd.n);
        for (; rc == SM_ROW; rc = sm_stmt_next(cx, st))
            if ((rc = read_row(cx, l, st, arena)) != SM_OK)
                break;
        sm_binding_free(&bd);
    }
    int reset = sm_stmt_release(st);
    return rc == SM_DONE ? reset : rc;
}

/* Writes the owners' fields from the rows grouped by key. */
static int stitch(sm_cx *cx, load *l, char *objs, size_t n, sm_arena *arena, void **rows_out,
                  size_t *nrows_out)
{
    size_t nk = l->keys.count, size = l->tm->size, nr = l->rows.n;
    size_t *start = calloc(nk + 1, sizeof *start);
    char *rows = nr ? sm_arena_alloc(arena, nr * size) : sm_arena_memdup(arena, NULL, 0);
    if (!start || !rows) {
        free(start);
        return sm_cx_fail(cx, SM_NOMEM, "out of memory loading %s", l->rel->name);
    }
    for (size_t r = 0; r < nr; r++)
        start[l->row_key[r] + 1]++;
    for (size_t k = 0; k < nk; k++)
        start[k + 1] += start[k];
    /* Place the rows (stable), then start[k] is the start of group k. */
    for (size_t r = 0; r < nr; r++)
        memcpy(rows + start[l->row_key[r]]++ * size, l->rows.data + r * size, size);
    for (size_t k = nk; k > 0; k--)
        start[k] = start[k - 1];
    start[0] = 0;
    const sm_rel *rel = l->rel;
    const sm_field *rf = &l->owner->fields[rel->field];
    for (size_t i = 0; i < n; i++) {
        char *obj = objs + i * l->owner->size;
        size_t k = l->of[i], len = k == SIZE_MAX ? 0 : start[k + 1] - start[k];
        char *at = len ? rows + start[k] * size : NULL;
        if (rel->kind == SM_REL_ONE) {
            memcpy(sm_field_at(obj, rf->offset), &at, sizeof at);
            if (rel->loaded != SM_NONE)
                *(bool *)sm_field_at(obj, rel->loaded) = true;
        } else {
            sm_any_list *list = sm_field_at(obj, rf->offset);
            list->items = at ? at : rows; /* loaded and empty: not NULL */
            list->len = len;
        }
    }
    free(start);
    if (rows_out) {
        *rows_out = rows;
        *nrows_out = nr;
    }
    return SM_OK;
}

int sm_rel_fill(sm_cx *cx, sm_conn *conn, const sm_model *owner, const sm_rel *rel, void *objs,
                size_t n, sm_arena *arena, void **rows, size_t *nrows)
{
    sm_dialect d = conn->dialect;
    if (rows) {
        *rows = NULL;
        *nrows = 0;
    }
    if (!rel->load_prefix.text[d] || !rel->load_suffix.text[d])
        return sm_cx_fail(cx, SM_UNSUPPORTED, "%s.%s cannot be loaded on %s", owner->name,
                          rel->name, conn->drv->name);
    load l;
    memset(&l, 0, sizeof l);
    l.owner = owner;
    l.tm = rel->target;
    l.rel = rel;
    l.own = &owner->fields[rel->own];
    l.match = rel->kind == SM_REL_M2M ? &rel->link->fields[rel->match] : &rel->target->fields[rel->match];
    l.rows.size = rel->target->size;
    sm_keyset_init(&l.keys, 1);
    int rc = SM_OK;
    if (rel->kind == SM_REL_M2M && !(l.link_obj = malloc(rel->link->size)))
        rc = sm_cx_fail(cx, SM_NOMEM, "out of memory loading %s", rel->name);
    if (rc == SM_OK)
        rc = collect_keys(cx, &l, objs, n);
    size_t most = sm_inlist_max(conn, 1);
    for (size_t a = 0; a < l.keys.count && rc == SM_OK; a += most)
        rc = query_keys(cx, conn, &l, objs, a, a + most < l.keys.count ? a + most : l.keys.count,
                        arena);
    if (rc == SM_OK)
        rc = stitch(cx, &l, objs, n, arena, rows, nrows);
    load_free(&l);
    return rc;
}

static int load_args(sm_cx *cx, const char *fn, const sm_model *owner, const sm_rel *rel,
                     const void *objs, size_t n, sm_arena *arena)
{
    int rc = sm_rel_check(cx, fn, owner, rel);
    if (rc == SM_OK && !objs && n)
        rc = sm_null_arg(cx, fn, owner->name, "objs");
    if (rc == SM_OK && !arena)
        rc = sm_null_arg(cx, fn, owner->name, "arena");
    return rc;
}

int sm_rel_load(sm_cx *cx, sm_conn *conn, const sm_model *owner, const sm_rel *rel, void *objs,
                size_t n, sm_arena *arena)
{
    int rc = sm_call_begin(cx, conn, SM_CALL_ANY);
    if (rc != SM_OK)
        return rc;
    if ((rc = load_args(cx, "sm_rel_load", owner, rel, objs, n, arena)) == SM_OK)
        rc = sm_rel_fill(cx, conn, owner, rel, objs, n, arena, NULL, NULL);
    return sm_call_end(cx, conn, rc);
}

int sm_rel_load_list(sm_cx *cx, sm_conn *conn, const sm_model *owner, const sm_rel *rel,
                     void *list, sm_arena *arena)
{
    int rc = sm_call_begin(cx, conn, SM_CALL_ANY);
    if (rc != SM_OK)
        return rc;
    sm_any_list *l = list;
    if ((rc = sm_rel_check(cx, "sm_rel_load_list", owner, rel)) == SM_OK && !list)
        rc = sm_null_arg(cx, "sm_rel_load_list", owner->name, "list");
    if (rc == SM_OK && (rc = load_args(cx, "sm_rel_load_list", owner, rel, l->items, l->len,
                                       arena)) == SM_OK)
        rc = sm_rel_fill(cx, conn, owner, rel, l->items, l->len, arena, NULL, NULL);
    return sm_call_end(cx, conn, rc);
}

/* ---- Link and unlink ----------------------------------------------------------- */

/* Binds a value the caller gives for field f of the link (p points at a
 * value of f's C type). */
static int bind_pair_value(sm_cx *cx, sm_conn *conn, const char *fn, const sm_rel *rel,
                           const sm_field *f, const void *p, sm_binding *b)
{
    bool null = false;
    if (f->type == SM_T_TEXT || f->type == SM_T_JSON)
        null = *(const char *const *)p == NULL;
    else if (f->type == SM_T_BYTES)
        null = ((const sm_bytes *)p)->data == NULL;
    if (null)
        return sm_cx_fail(cx, SM_MISUSE, "%s %s: %s is NULL", fn, rel->name, f->name);
    int rc = sm_bind_value(cx, conn->drv, f, p, &b->v[b->n], b->t[b->n]);
    b->n++;
    return rc;
}

static int pair(sm_cx *cx, sm_conn *conn, const char *fn, const sm_rel *rel, const void *own,
                const void *target, bool unlink)
{
    int rc = sm_call_begin(cx, conn, SM_CALL_ANY);
    if (rc != SM_OK)
        return rc;
    if (!rel)
        rc = sm_null_arg(cx, fn, NULL, "rel");
    else if (!own)
        rc = sm_null_arg(cx, fn, rel->name, "own");
    else if (!target)
        rc = sm_null_arg(cx, fn, rel->name, "target");
    else if (!is_m2m(rel))
        rc = sm_cx_fail(cx, SM_MISUSE, "%s %s: not a many-to-many relationship", fn, rel->name);
    if (rc != SM_OK)
        return sm_call_end(cx, conn, rc);
    const sm_sql *sql = unlink ? &rel->unlink_sql : &rel->link_sql;
    const sm_model *lm = rel->link;
    sm_binding b;
    sm_binding_init(cx, &b, 2);
    sm_stmt *st = NULL;
    if ((rc = bind_pair_value(cx, conn, fn, rel, &lm->fields[rel->link_own], own, &b)) == SM_OK &&
        (rc = bind_pair_value(cx, conn, fn, rel, &lm->fields[rel->link_target], target, &b)) ==
            SM_OK &&
        (rc = sm_stmt_cached(cx, conn, sql, 0, sql->text[conn->dialect], &st)) == SM_OK) {
        rc = sm_stmt_exec(cx, st, b.v, b.n);
        while (rc == SM_ROW)
            rc = sm_stmt_next(cx, st);
        int64_t changed = rc == SM_DONE ? conn->drv->changes(st) : 0;
        int reset = sm_stmt_release(st);
        if (rc == SM_DONE)
            rc = reset;
        if (rc == SM_OK && unlink && changed == 0)
            rc = sm_cx_fail(cx, SM_NOTFOUND, "%s %s: no such pair in %s", fn, rel->name,
                            lm->table ? lm->table : lm->name);
    }
    return sm_call_end(cx, conn, sm_constraint_hint(cx, conn, lm, rc));
}

int sm_rel_link(sm_cx *cx, sm_conn *conn, const sm_rel *rel, const void *own, const void *target)
{
    return pair(cx, conn, "sm_rel_link", rel, own, target, false);
}

int sm_rel_unlink(sm_cx *cx, sm_conn *conn, const sm_rel *rel, const void *own,
                  const void *target)
{
    return pair(cx, conn, "sm_rel_unlink", rel, own, target, true);
}
