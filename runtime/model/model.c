/*
 * model.c: the generic table operations of smdl/desc.h (DESIGN 3.4, 3.5):
 * insert, get, update, patch, delete, create_all, drop_all, driven by
 * the descriptors that smc generates; insert_many is in insert_many.c.
 *
 * Values cross between fields and parameters in bind.c.
 */
#include "model_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define US_PER_DAY INT64_C(86400000000)

/* ---- Restoring the caller's objects after a failure ------------------------ */

static int mark_push(sm_cx *cx, sm_marks *ms, void *p, size_t size)
{
    if (ms->n == ms->cap) {
        size_t cap = ms->cap * 2;
        sm_mark *v = malloc(cap * sizeof *v);
        if (!v)
            return sm_cx_fail(cx, SM_NOMEM, "out of memory");
        memcpy(v, ms->v, ms->n * sizeof *v);
        if (ms->v != ms->stack)
            free(ms->v);
        ms->v = v;
        ms->cap = cap;
    }
    sm_mark *k = &ms->v[ms->n++];
    k->p = p;
    k->size = size;
    memcpy(k->old, p, size);
    return SM_OK;
}

void sm_marks_restore(sm_marks *ms)
{
    while (ms->n > 0) {
        sm_mark *k = &ms->v[--ms->n];
        memcpy(k->p, k->old, k->size);
    }
}

void sm_marks_free(sm_marks *ms)
{
    if (ms->v != ms->stack)
        free(ms->v);
}

static size_t type_size(int type)
{
    switch (type) {
    case SM_T_DATE:
        return sizeof(sm_date);
    case SM_T_UUID:
        return sizeof(sm_uuid);
    default:
        return sizeof(int64_t); /* sm_time, sm_datetime */
    }
}

static bool is_zero(const sm_field *f, const void *p)
{
    static const unsigned char zero[sizeof(sm_uuid)];
    return memcmp(p, zero, type_size(f->type)) == 0;
}

/* Writes "now" into a date, time or datetime field. */
static void put_now(const sm_field *f, void *p, sm_datetime now)
{
    if (f->type == SM_T_DATE) {
        sm_date day = (sm_date)(now / US_PER_DAY - (now % US_PER_DAY < 0));
        memcpy(p, &day, sizeof day);
    } else if (f->type == SM_T_TIME) {
        sm_time t = now % US_PER_DAY;
        if (t < 0)
            t += US_PER_DAY;
        memcpy(p, &t, sizeof t);
    } else {
        memcpy(p, &now, sizeof now);
    }
}

/* DESIGN 3.5: field f of obj, when a non-nullable now()/uuid() field
 * that is zero, is filled (and the old zero remembered for a failure). */
static int fill_default(sm_cx *cx, const sm_field *f, void *obj, sm_datetime *now, sm_marks *ms)
{
    void *p = sm_field_at(obj, f->offset);
    if (!is_zero(f, p))
        return SM_OK;
    int rc = mark_push(cx, ms, p, type_size(f->type));
    if (rc != SM_OK)
        return rc;
    if (f->flags & SM_F_GEN_UUID) {
        if (sm_uuid_v4(p) != SM_OK)
            return sm_cx_fail(cx, SM_ERROR, "cannot generate a UUID for '%s'", f->name);
    } else {
        if (!*now)
            *now = sm_datetime_now();
        put_now(f, p, *now);
    }
    return SM_OK;
}

/* Is f a field that fill_default may fill? */
static inline bool has_default(const sm_field *f)
{
    return (f->flags & (SM_F_NOW | SM_F_GEN_UUID)) && f->has == SM_NONE;
}

/* sm_fill_defaults from field f on, out of line (and cold: most models
 * have no default), so that the loop finding none saves no registers and
 * calls nothing. */
static SM_COLD int fill_from(sm_cx *cx, const sm_field *f, const sm_field *end, void *obj,
                             sm_datetime *now, sm_marks *ms)
{
    int rc = SM_OK;
    for (; f < end && rc == SM_OK; f++)
        if (has_default(f))
            rc = fill_default(cx, f, obj, now, ms);
    return rc;
}

int sm_fill_defaults(sm_cx *cx, const sm_model *m, void *obj, sm_datetime *now, sm_marks *ms)
{
    for (const sm_field *f = m->fields, *end = f + m->nfields; f < end; f++)
        if (has_default(f))
            return fill_from(cx, f, end, obj, now, ms);
    return SM_OK;
}

bool sm_has_defaults(const sm_model *m)
{
    for (uint32_t i = 0; i < m->nfields; i++)
        if (has_default(&m->fields[i]))
            return true;
    return false;
}

void sm_write_key(const sm_field *f, void *obj, int64_t id)
{
    void *p = sm_field_at(obj, f->offset);
    if (f->type == SM_T_I32) {
        int32_t v = (int32_t)id;
        memcpy(p, &v, sizeof v);
    } else if (f->type == SM_T_I16) {
        int16_t v = (int16_t)id;
        memcpy(p, &v, sizeof v);
    } else {
        memcpy(p, &id, sizeof id);
    }
}

uint32_t sm_count_columns(const sm_model *m)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < m->nfields; i++)
        n += (m->fields[i].flags & SM_F_COLUMN) != 0;
    return n;
}

/* SQLite names no failed foreign key: report the table's FK columns
 * (all of them, comma-separated) and, when there is only one, its name. */
static int fk_hint(sm_cx *cx, const sm_model *m, int rc)
{
    const sm_constraint *c = sm_cx_constraint(cx);
    if (rc != SM_CONSTRAINT || c->kind != SM_CK_FK || c->columns || m->nfks == 0)
        return rc;
    char cols[512];
    size_t n = 0;
    cols[0] = 0;
    for (uint32_t i = 0; i < m->nfks; i++) {
        int w = snprintf(cols + n, sizeof cols - n, "%s%s", n ? ", " : "", m->fks[i].columns);
        if (w < 0 || (size_t)w >= sizeof cols - n)
            break;
        n += (size_t)w;
    }
    /* The driver's table and name (if any) are kept; they live in the
     * buffer that sm_cx_set_constraint rewrites, so copy them first. */
    char table[128], name[128];
    snprintf(table, sizeof table, "%s", c->table ? c->table : m->table);
    snprintf(name, sizeof name, "%s", c->name ? c->name : m->nfks == 1 ? m->fks[0].name : "");
    sm_cx_set_constraint(cx, SM_CK_FK, table, name[0] ? name : NULL, cols);
    return rc;
}

/* A database that reports a duplicate primary key by a name of its own
 * and no columns (sm_driver.primary_key_name): add the table and its key
 * columns, so that a duplicate key is told by its columns on every
 * dialect. */
static int key_hint(sm_cx *cx, const sm_conn *conn, const sm_model *m, int rc)
{
    const sm_constraint *c = sm_cx_constraint(cx);
    const char *pk = conn->drv->primary_key_name;
    if (rc != SM_CONSTRAINT || c->kind != SM_CK_UNIQUE || c->columns || !c->name || !pk ||
        strcmp(c->name, pk) != 0)
        return rc;
    char cols[512];
    size_t n = 0;
    cols[0] = 0;
    for (uint32_t k = 0; k < m->nkey; k++) {
        int w = snprintf(cols + n, sizeof cols - n, "%s%s", n ? ", " : "",
                         sm_column_of(&m->fields[m->key[k]]));
        if (w < 0 || (size_t)w >= sizeof cols - n)
            break;
        n += (size_t)w;
    }
    sm_cx_set_constraint(cx, SM_CK_UNIQUE, m->table, pk, cols);
    return rc;
}

int sm_constraint_hint(sm_cx *cx, const sm_conn *conn, const sm_model *m, int rc)
{
    if (rc != SM_CONSTRAINT) /* both hints are for violations only */
        return rc;
    return key_hint(cx, conn, m, fk_hint(cx, m, rc));
}

/* Is column one of the columns of m's foreign keys ("a" or "a, b")? */
static bool in_fk(const sm_model *m, const char *column)
{
    size_t n = strlen(column);
    for (uint32_t i = 0; i < m->nfks; i++)
        for (const char *p = m->fks[i].columns; *p;) {
            size_t w = strcspn(p, ",");
            if (w == n && memcmp(p, column, n) == 0)
                return true;
            p += w;
            while (*p == ',' || *p == ' ')
                p++;
        }
    return false;
}

/* ---- Reading a row into an object ------------------------------------------- */

static int fetch_row(sm_cx *cx, const sm_model *m, sm_stmt *st, void *obj, sm_arena *arena)
{
    int ncols, wanted;
    int rc = sm_fetch_row(cx, m, false, st, obj, arena, &ncols, &wanted);
    if (SM_UNLIKELY(rc == SM_OK && ncols != wanted))
        return sm_cx_fail(cx, SM_ERROR, "table %s: the row has %d columns, %d expected", m->table,
                          ncols, wanted);
    return rc;
}

/* ---- Running one statement ---------------------------------------------------- */

/* Executes a cached statement to its end; *changes gets the rows matched,
 * *id (if not NULL) the generated key. */
static int run(sm_cx *cx, sm_conn *conn, const sm_sql *sql, const sm_binding *b, int64_t *changes,
               int64_t *id)
{
    sm_stmt *st;
    int rc = sm_stmt_cached(cx, conn, sql, 0, sql->text[conn->dialect], &st);
    if (rc != SM_OK)
        return rc;
    rc = sm_stmt_exec(cx, st, b->v, b->n);
    if (rc == SM_ROW || rc == SM_DONE) {
        if (id)
            *id = conn->drv->insert_id(st);
        if (changes)
            *changes = rc == SM_ROW ? 1 : conn->drv->changes(st);
        rc = SM_OK;
    }
    sm_stmt_release(st);
    return rc;
}

static int not_found(sm_cx *cx, const sm_model *m)
{
    return sm_cx_fail(cx, SM_NOTFOUND, "no row in %s with that key", m->table);
}

int sm_check_table(sm_cx *cx, const sm_model *m)
{
    if (!m)
        return sm_cx_fail(cx, SM_MISUSE, "no model: the descriptor is NULL");
    if (!sm_is_table(m))
        return sm_cx_fail(cx, SM_MISUSE, "not a table model");
    return SM_OK;
}

/* The pointer argument `arg` of the call fn on m is not NULL. */
static int check_arg(sm_cx *cx, const char *fn, const sm_model *m, const void *p, const char *arg)
{
    return p ? SM_OK : sm_null_arg(cx, fn, m->name, arg);
}

/* Validation before any SQL: SM_INVALID with the errors in cx, which
 * does not fail an open transaction. */
int sm_validate_cx(sm_cx *cx, const sm_model *m, const void *obj, const char *prefix,
                   sm_errors *errs)
{
    int rc = sm_validate_prefixed(m, obj, errs, prefix); /* a NULL prefix is "" */
    if (rc == SM_NOMEM)
        return sm_cx_fail(cx, SM_NOMEM, "out of memory validating");
    return SM_OK;
}

/* One object: SM_OK, or SM_INVALID with its errors in cx. */
static int validate_one(sm_cx *cx, const sm_model *m, const void *obj)
{
    sm_errors errs = SM_ERRORS_INIT;
    int rc = sm_validate_cx(cx, m, obj, NULL, &errs);
    if (rc == SM_OK && errs.len)
        rc = sm_cx_invalid(cx, &errs);
    if (errs.items) /* a valid object allocated nothing */
        sm_errors_free(&errs);
    return rc;
}

/* ---- Insert ------------------------------------------------------------------------ */

/* One row: fill defaults, bind every column (without a zero @auto key),
 * run insert or insert_auto.  *id gets the generated key, *gen whether
 * one was generated.  The caller restores marks on failure. */
int sm_insert_one(sm_cx *cx, sm_conn *conn, const sm_model *m, void *obj, sm_datetime *now,
                  sm_marks *ms, int64_t *id, bool *gen)
{
    const sm_field *ak = sm_auto_key(m);
    bool use_auto = ak && sm_read_key(ak, obj) == 0;
    *gen = false;
    int rc = sm_fill_defaults(cx, m, obj, now, ms);
    if (rc != SM_OK)
        return rc;
    sm_binding b;
    if ((rc = sm_binding_init(cx, &b, m->nfields)) != SM_OK)
        return rc;
    rc = sm_bind_columns(cx, conn->drv, m, obj, 1, use_auto ? ak : NULL, &b);
    if (rc == SM_OK)
        rc = run(cx, conn, use_auto ? &m->sql->insert_auto : &m->sql->insert, &b, NULL,
                 use_auto ? id : NULL);
    sm_binding_free(&b);
    *gen = use_auto && rc == SM_OK;
    return sm_constraint_hint(cx, conn, m, rc);
}

int sm_model_insert(sm_cx *cx, sm_conn *conn, const sm_model *m, void *obj)
{
    int rc = sm_call_begin(cx, conn, SM_CALL_ANY);
    if (rc != SM_OK)
        return rc;
    if ((rc = sm_check_table(cx, m)) != SM_OK ||
        (rc = check_arg(cx, "insert", m, obj, "obj")) != SM_OK ||
        (rc = validate_one(cx, m, obj)) != SM_OK)
        return sm_call_end(cx, conn, rc);
    sm_marks ms;
    sm_marks_init(&ms);
    sm_datetime now = 0;
    int64_t id = 0;
    bool gen;
    rc = sm_insert_one(cx, conn, m, obj, &now, &ms, &id, &gen);
    if (rc != SM_OK)
        sm_marks_restore(&ms);
    else if (gen)
        sm_write_key(sm_auto_key(m), obj, id);
    sm_marks_free(&ms);
    return sm_call_end(cx, conn, rc);
}

/* ---- Get, update, patch, delete ---------------------------------------------- */

/* The arguments of get refused, or its call not begun: out is zeroed, as
 * after any failure. */
static SM_COLD int get_refused(sm_cx *cx, sm_conn *conn, const sm_model *m, const void *key,
                               void *out, sm_arena *arena, int rc)
{
    if (rc == SM_OK) { /* the call began: the arguments are at fault */
        if ((rc = sm_check_table(cx, m)) == SM_OK &&
            (rc = check_arg(cx, "get", m, key, "key")) == SM_OK &&
            (rc = check_arg(cx, "get", m, out, "out")) == SM_OK)
            rc = check_arg(cx, "get", m, arena, "arena");
        rc = sm_call_end(cx, conn, rc);
    }
    if (m && out)
        memset(out, 0, m->size);
    return rc;
}

SM_HOT int sm_model_get(sm_cx *cx, sm_conn *conn, const sm_model *m, const void *key,
                        void *out, sm_arena *arena)
{
    int rc = sm_call_begin(cx, conn, SM_CALL_ANY);
    if (SM_UNLIKELY(rc != SM_OK || !sm_is_table(m) || !key || !out || !arena))
        return get_refused(cx, conn, m, key, out, arena, rc);
    /* The key is bound before out is zeroed: they may be one object. */
    sm_binding b;
    sm_binding_init(cx, &b, 0);
    rc = sm_bind_key(cx, conn->drv, m, key, &b);
    memset(out, 0, m->size);
    sm_stmt *st = NULL;
    if (SM_LIKELY(rc == SM_OK))
        rc = sm_stmt_cached(cx, conn, &m->sql->get, 0, m->sql->get.text[conn->dialect], &st);
    if (SM_LIKELY(rc == SM_OK)) {
        rc = sm_stmt_exec(cx, st, b.v, b.n);
        if (SM_LIKELY(rc == SM_ROW))
            rc = fetch_row(cx, m, st, out, arena);
        else if (rc == SM_DONE)
            rc = not_found(cx, m);
        sm_stmt_release(st);
    }
    if (SM_UNLIKELY(rc != SM_OK))
        memset(out, 0, m->size);
    return sm_call_end(cx, conn, rc);
}

/* @updated_at fields get now(); the old values are kept for a failure. */
static int touch_updated(sm_cx *cx, const sm_model *m, void *obj, sm_marks *ms)
{
    sm_datetime now = 0;
    for (uint32_t i = 0; i < m->nfields; i++) {
        const sm_field *f = &m->fields[i];
        if (!(f->flags & SM_F_UPDATED_AT) || !(f->type == SM_T_DATETIME || f->type == SM_T_DATE ||
                                               f->type == SM_T_TIME))
            continue;
        void *p = sm_field_at(obj, f->offset);
        int rc = mark_push(cx, ms, p, type_size(f->type));
        if (rc != SM_OK)
            return rc;
        if (f->has != SM_NONE) {
            if ((rc = mark_push(cx, ms, sm_field_at(obj, f->has), sizeof(bool))) != SM_OK)
                return rc;
            *(bool *)sm_field_at(obj, f->has) = true;
        }
        if (!now)
            now = sm_datetime_now();
        put_now(f, p, now);
    }
    return SM_OK;
}

int sm_model_update(sm_cx *cx, sm_conn *conn, const sm_model *m, void *obj)
{
    int rc = sm_call_begin(cx, conn, SM_CALL_ANY);
    if (rc != SM_OK)
        return rc;
    if ((rc = sm_check_table(cx, m)) != SM_OK ||
        (rc = check_arg(cx, "update", m, obj, "obj")) != SM_OK ||
        (rc = validate_one(cx, m, obj)) != SM_OK)
        return sm_call_end(cx, conn, rc);
    sm_marks ms;
    sm_marks_init(&ms);
    sm_binding b;
    rc = touch_updated(cx, m, obj, &ms);
    if (rc == SM_OK && (rc = sm_binding_init(cx, &b, m->nfields + m->nkey)) == SM_OK) {
        for (uint32_t i = 0; i < m->nfields && rc == SM_OK; i++) {
            const sm_field *f = &m->fields[i];
            if ((f->flags & SM_F_COLUMN) && !(f->flags & SM_F_PK))
                rc = sm_bind_field(cx, conn->drv, f, obj, &b);
        }
        if (rc == SM_OK)
            rc = sm_bind_key(cx, conn->drv, m, obj, &b);
        int64_t changed = 0;
        if (rc == SM_OK && (rc = run(cx, conn, &m->sql->update, &b, &changed, NULL)) == SM_OK &&
            changed == 0)
            rc = not_found(cx, m);
        sm_binding_free(&b);
    }
    if (rc != SM_OK)
        sm_marks_restore(&ms);
    sm_marks_free(&ms);
    return sm_call_end(cx, conn, sm_constraint_hint(cx, conn, m, rc));
}

/* Patches with at most this many fields cache one statement per
 * combination of set fields under (descriptor, mask); wider ones go
 * through the raw-SQL LRU, which bounds how many stay prepared. */
enum { PATCH_MASK_FIELDS = 16 };

/* Assembles the UPDATE for the fields marked in set[]. */
static int patch_sql(sm_cx *cx, const sm_patch_desc *p, sm_dialect d, const bool *set, sm_buf *q)
{
    const sm_model *pm = p->partial;
    int rc = sm_buf_puts(q, p->update.text[d]);
    bool any = false;
    for (uint32_t i = 0; i < pm->nfields && rc == SM_OK; i++)
        if (set[i]) {
            if (any)
                rc = sm_buf_puts(q, ", ");
            if (rc == SM_OK)
                rc = sm_buf_puts(q, p->assign[i].text[d]);
            any = true;
        }
    if (rc == SM_OK && !any)
        rc = sm_buf_puts(q, p->noop.text[d]);
    if (rc == SM_OK)
        rc = sm_buf_puts(q, p->where.text[d]);
    return rc == SM_OK ? SM_OK : sm_cx_fail(cx, SM_NOMEM, "out of memory building a patch");
}

int sm_model_patch(sm_cx *cx, sm_conn *conn, const sm_patch_desc *p, const void *key,
                   const void *patch)
{
    int rc = sm_call_begin(cx, conn, SM_CALL_ANY);
    if (rc != SM_OK)
        return rc;
    const sm_model *t = p ? p->table : NULL, *pm = p ? p->partial : NULL;
    if ((rc = sm_check_table(cx, t)) != SM_OK || !pm)
        return sm_call_end(cx, conn, rc != SM_OK ? rc : sm_cx_fail(cx, SM_MISUSE, "no partial model"));
    if ((rc = check_arg(cx, "patch", t, key, "key")) != SM_OK ||
        (rc = check_arg(cx, "patch", t, patch, "patch")) != SM_OK)
        return sm_call_end(cx, conn, rc);
    if (!p->update.text[conn->dialect])
        return sm_call_end(cx, conn, sm_cx_fail(cx, SM_UNSUPPORTED, "no patch for %s",
                                                conn->drv->name));
    sm_errors errs = SM_ERRORS_INIT;
    if ((rc = sm_validate_cx(cx, pm, patch, NULL, &errs)) != SM_OK || errs.len) {
        rc = rc != SM_OK ? rc : sm_cx_invalid(cx, &errs);
        sm_errors_free(&errs);
        return sm_call_end(cx, conn, rc);
    }
    sm_errors_free(&errs);
    sm_binding b;
    bool stack_set[64], *set = pm->nfields <= 64 ? stack_set : malloc(pm->nfields);
    if (!set)
        return sm_call_end(cx, conn, sm_cx_fail(cx, SM_NOMEM, "out of memory"));
    if ((rc = sm_binding_init(cx, &b, (size_t)pm->nfields + t->nkey)) != SM_OK) {
        if (set != stack_set)
            free(set);
        return sm_call_end(cx, conn, rc);
    }
    unsigned mask = 0;
    sm_datetime now = 0;
    bool sets_fk = false; /* a foreign key column of t is written */
    for (uint32_t i = 0; i < pm->nfields && rc == SM_OK; i++) {
        const sm_field *f = &pm->fields[i];
        set[i] = f->has == SM_NONE || *(const bool *)sm_field_at(patch, f->has);
        if (set[i] && !sets_fk)
            sets_fk = in_fk(t, sm_column_of(&t->fields[p->columns[i]]));
        if (f->flags & SM_F_UPDATED_AT) { /* written on every patch, as by _update */
            set[i] = true;
            if (!now)
                now = sm_datetime_now();
            rc = sm_bind_value(cx, conn->drv, f, &now, &b.v[b.n], b.t[b.n]);
            b.n++;
        } else if (set[i]) {
            bool null = f->isnull != SM_NONE ? *(const bool *)sm_field_at(patch, f->isnull) : false;
            if (f->type == SM_T_TEXT || f->type == SM_T_JSON || f->type == SM_T_BYTES) {
                sm_field g = *f;
                g.has = SM_NONE;
                null = sm_field_is_null(&g, patch);
            }
            if (null)
                b.v[b.n] = sm_field_null(f);
            else
                rc = sm_bind_value(cx, conn->drv, f, sm_field_at(patch, f->offset), &b.v[b.n], b.t[b.n]);
            b.n++;
        }
        if (set[i] && i < PATCH_MASK_FIELDS)
            mask |= 1u << i;
    }
    if (rc == SM_OK)
        rc = sm_bind_key(cx, conn->drv, t, key, &b);
    sm_stmt *st = NULL;
    if (rc == SM_OK && pm->nfields <= PATCH_MASK_FIELDS)
        st = sm_stmt_lookup(conn, p, mask);
    if (rc == SM_OK && !st) {
        sm_buf q = SM_BUF_INIT;
        if ((rc = patch_sql(cx, p, conn->dialect, set, &q)) == SM_OK)
            rc = pm->nfields <= PATCH_MASK_FIELDS ? sm_stmt_cached(cx, conn, p, mask, q.data, &st)
                                                  : sm_stmt_raw(cx, conn, q.data, &st);
        sm_buf_free(&q);
    }
    if (set != stack_set)
        free(set);
    if (rc == SM_OK) {
        rc = sm_stmt_exec(cx, st, b.v, b.n);
        int64_t changed = rc == SM_DONE ? conn->drv->changes(st) : rc == SM_ROW ? 1 : 0;
        sm_stmt_release(st);
        if (rc == SM_ROW || rc == SM_DONE)
            rc = changed == 0 ? not_found(cx, t) : SM_OK;
    }
    sm_binding_free(&b);
    /* Without a foreign key column of t written, a failed foreign key is
     * one of another table's, on the key this patch changed: SQLite's
     * unnamed violation must not be blamed on t's own keys. */
    return sm_call_end(cx, conn,
                       sets_fk ? sm_constraint_hint(cx, conn, t, rc) : key_hint(cx, conn, t, rc));
}

/* Finds the incoming FK (m->refs) whose rows still refer to the key
 * just refused, by running each probe in order; its row names it.  A
 * probe that fails is passed over: the delete's own error stands. */
static const sm_fkref *probe_refs(sm_cx *cx, sm_conn *conn, const sm_model *m, const void *key)
{
    for (uint32_t i = 0; i < m->nrefs; i++) {
        const sm_fkref *r = &m->refs[i];
        sm_binding b;
        sm_stmt *st;
        sm_binding_init(cx, &b, 0);
        if (sm_bind_key(cx, conn->drv, m, key, &b) != SM_OK ||
            sm_stmt_cached(cx, conn, &r->probe, 0, r->probe.text[conn->dialect], &st) != SM_OK)
            continue;
        int rc = sm_stmt_exec(cx, st, b.v, b.n);
        sm_stmt_release(st);
        if (rc == SM_ROW)
            return r;
    }
    return NULL;
}

/* A delete that an FK refused: kind fk, the FK's name, the referencing
 * table and its FK columns on every database.  The databases that name
 * the FK give the parent's key columns (PostgreSQL's detail line) or the
 * FK's (MariaDB), so the columns come from the incoming FK of that name;
 * where the database names nothing (SQLite), the probes find it. */
static int refs_hint(sm_cx *cx, sm_conn *conn, const sm_model *m, const void *key, int rc)
{
    const sm_constraint *c = sm_cx_constraint(cx);
    if (rc != SM_CONSTRAINT || c->kind != SM_CK_FK || m->nrefs == 0)
        return rc;
    const sm_fkref *r = NULL;
    for (uint32_t i = 0; c->name && i < m->nrefs && !r; i++)
        if (strcmp(m->refs[i].name, c->name) == 0)
            r = &m->refs[i];
    if (!r && !c->name) {
        /* The probes must not replace the delete's message. */
        sm_buf msg = SM_BUF_INIT;
        if (sm_buf_puts(&msg, sm_cx_errmsg(cx)) != SM_OK)
            return rc;
        r = probe_refs(cx, conn, m, key);
        sm_cx_fail(cx, rc, "%s", msg.data);
        sm_buf_free(&msg);
    }
    if (r)
        sm_cx_set_constraint(cx, SM_CK_FK, r->table, r->name, r->columns);
    return rc;
}

int sm_model_delete(sm_cx *cx, sm_conn *conn, const sm_model *m, const void *key)
{
    int rc = sm_call_begin(cx, conn, SM_CALL_ANY);
    if (rc != SM_OK)
        return rc;
    if ((rc = sm_check_table(cx, m)) != SM_OK ||
        (rc = check_arg(cx, "delete", m, key, "key")) != SM_OK)
        return sm_call_end(cx, conn, rc);
    sm_binding b;
    sm_binding_init(cx, &b, 0);
    int64_t changed = 0;
    if ((rc = sm_bind_key(cx, conn->drv, m, key, &b)) == SM_OK &&
        (rc = run(cx, conn, &m->sql->del, &b, &changed, NULL)) == SM_OK && changed == 0)
        rc = not_found(cx, m);
    return sm_call_end(cx, conn, refs_hint(cx, conn, m, key, rc));
}

/* ---- Module scripts ----------------------------------------------------------- */

/* The module's DDL, in one transaction (or savepoint) where the database
 * runs DDL transactionally; elsewhere outside any transaction.  The
 * driver runs the script (sm_driver.ddl_script), leaving the session's
 * settings as they were even when it fails. */
static int module_script(sm_cx *cx, sm_conn *conn, const char *fn, const sm_module *mod,
                         const sm_sql *sql)
{
    int rc = sm_call_begin(cx, conn, SM_CALL_ANY);
    if (rc != SM_OK)
        return rc;
    if (!mod)
        return sm_call_end(cx, conn, sm_null_arg(cx, fn, NULL, "mod"));
    const char *text = sql->text[conn->dialect];
    if (!text)
        return sm_call_end(cx, conn, sm_cx_fail(cx, SM_UNSUPPORTED, "no DDL for %s in this module",
                                                conn->drv->name));
    if (!conn->drv->tx_ddl) {
        if ((rc = sm_conn_check_ddl(cx, conn, text)) == SM_OK)
            rc = sm_conn_ddl(cx, conn, text);
        return sm_call_end(cx, conn, rc);
    }
    int token;
    if ((rc = sm_auto_tx_begin(cx, conn, &token)) == SM_OK)
        rc = sm_conn_ddl(cx, conn, text);
    return sm_call_end(cx, conn, sm_auto_tx_end(cx, conn, token, rc));
}

int sm_module_create_all(sm_cx *cx, sm_conn *conn, const sm_module *mod)
{
    return module_script(cx, conn, "sm_module_create_all", mod, mod ? &mod->create_all : NULL);
}

int sm_module_drop_all(sm_cx *cx, sm_conn *conn, const sm_module *mod)
{
    return module_script(cx, conn, "sm_module_drop_all", mod, mod ? &mod->drop_all : NULL);
}
