/*
 * model.c: the generic table operations of smdl/desc.h (DESIGN 3.4, 3.5):
 * insert, insert_many, get, update, patch, delete, create_all, drop_all,
 * driven by the descriptors that smc generates.
 *
 * Values cross between fields and parameters in bind.c.
 */
#include "bind.h"
#include "pipe.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define US_PER_DAY INT64_C(86400000000)

/* ---- Restoring the caller's objects after a failure ------------------------ */

/* A field the operation wrote (a filled now()/uuid(), an @updated_at) and
 * its old bytes, so that a failed call leaves the objects as they were. */
typedef struct mark {
    unsigned char *p;
    size_t size;
    unsigned char old[sizeof(sm_uuid)];
} mark;

typedef struct marks {
    mark *v;
    size_t n, cap;
    mark stack[8];
} marks;

static void marks_init(marks *ms)
{
    ms->v = ms->stack;
    ms->n = 0;
    ms->cap = sizeof ms->stack / sizeof ms->stack[0];
}

static int mark_push(sm_cx *cx, marks *ms, void *p, size_t size)
{
    if (ms->n == ms->cap) {
        size_t cap = ms->cap * 2;
        mark *v = malloc(cap * sizeof *v);
        if (!v)
            return sm_cx_fail(cx, SM_NOMEM, "out of memory");
        memcpy(v, ms->v, ms->n * sizeof *v);
        if (ms->v != ms->stack)
            free(ms->v);
        ms->v = v;
        ms->cap = cap;
    }
    mark *k = &ms->v[ms->n++];
    k->p = p;
    k->size = size;
    memcpy(k->old, p, size);
    return SM_OK;
}

static void marks_restore(marks *ms)
{
    while (ms->n > 0) {
        mark *k = &ms->v[--ms->n];
        memcpy(k->p, k->old, k->size);
    }
}

static void marks_free(marks *ms)
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

/* DESIGN 3.5: a non-nullable now()/uuid() field that is zero is filled
 * (and the old zero remembered for a failure). */
static int fill_defaults(sm_cx *cx, const sm_model *m, void *obj, sm_datetime *now, marks *ms)
{
    for (uint32_t i = 0; i < m->nfields; i++) {
        const sm_field *f = &m->fields[i];
        if (!(f->flags & (SM_F_NOW | SM_F_GEN_UUID)) || f->has != SM_NONE)
            continue;
        void *p = sm_field_at(obj, f->offset);
        if (!is_zero(f, p))
            continue;
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
    }
    return SM_OK;
}

/* The @auto key field, if the model has one. */
static const sm_field *auto_key(const sm_model *m)
{
    if (m->nkey != 1)
        return NULL;
    const sm_field *f = &m->fields[m->key[0]];
    return (f->flags & SM_F_AUTO) ? f : NULL;
}

static int64_t read_key(const sm_field *f, const void *obj)
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

static void write_key(const sm_field *f, void *obj, int64_t id)
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

static uint32_t count_columns(const sm_model *m)
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
    if (rc == SM_OK && ncols != wanted)
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

static int check_table(sm_cx *cx, const sm_model *m)
{
    if (!m)
        return sm_cx_fail(cx, SM_MISUSE, "no model: the descriptor is NULL");
    if (!(m->flags & SM_M_TABLE) || !m->sql)
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
static int validate(sm_cx *cx, const sm_model *m, const void *obj, const char *prefix,
                    sm_errors *errs)
{
    int rc = prefix ? sm_validate_prefixed(m, obj, errs, prefix) : sm_model_validate(m, obj, errs);
    if (rc == SM_NOMEM)
        return sm_cx_fail(cx, SM_NOMEM, "out of memory validating");
    return SM_OK;
}

/* One object: SM_OK, or SM_INVALID with its errors in cx. */
static int validate_one(sm_cx *cx, const sm_model *m, const void *obj)
{
    sm_errors errs = SM_ERRORS_INIT;
    int rc = validate(cx, m, obj, NULL, &errs);
    if (rc == SM_OK && errs.len)
        rc = sm_cx_invalid(cx, &errs);
    sm_errors_free(&errs);
    return rc;
}

/* ---- Insert ------------------------------------------------------------------------ */

/* One row: fill defaults, bind every column (without a zero @auto key),
 * run insert or insert_auto.  *id gets the generated key, *gen whether
 * one was generated.  The caller restores marks on failure. */
static int insert_one(sm_cx *cx, sm_conn *conn, const sm_model *m, void *obj, sm_datetime *now,
                      marks *ms, int64_t *id, bool *gen)
{
    const sm_field *ak = auto_key(m);
    bool use_auto = ak && read_key(ak, obj) == 0;
    *gen = false;
    int rc = fill_defaults(cx, m, obj, now, ms);
    if (rc != SM_OK)
        return rc;
    sm_binding b;
    if ((rc = sm_binding_init(cx, &b, m->nfields)) != SM_OK)
        return rc;
    for (uint32_t i = 0; i < m->nfields && rc == SM_OK; i++) {
        const sm_field *f = &m->fields[i];
        if ((f->flags & SM_F_COLUMN) && !(use_auto && f == ak))
            rc = sm_bind_field(cx, conn->drv, f, obj, &b);
    }
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
    if ((rc = check_table(cx, m)) != SM_OK ||
        (rc = check_arg(cx, "insert", m, obj, "obj")) != SM_OK ||
        (rc = validate_one(cx, m, obj)) != SM_OK)
        return sm_call_end(cx, conn, rc);
    marks ms;
    marks_init(&ms);
    sm_datetime now = 0;
    int64_t id = 0;
    bool gen;
    rc = insert_one(cx, conn, m, obj, &now, &ms, &id, &gen);
    if (rc != SM_OK)
        marks_restore(&ms);
    else if (gen)
        write_key(auto_key(m), obj, id);
    marks_free(&ms);
    return sm_call_end(cx, conn, rc);
}

/* How many of the run rows (at most max) one multi-row INSERT carries:
 * max itself, else the largest power of two not above run.  A table then
 * has about log2(max) + 1 statement shapes in the cache (11 for 1000
 * rows) instead of one per batch size; a run of r rows takes at most
 * popcount(r) statements. */
static size_t chunk_rows(size_t run, size_t max)
{
    if (run >= max)
        return max;
    size_t p = 1;
    while (p <= run / 2)
        p *= 2;
    return p;
}

/* One multi-row INSERT of a batch: rows first..first+count-1, all with
 * or all without a generated key. */
typedef struct chunk {
    size_t first, count;
    bool use_auto;
    sm_stmt *st;  /* held for the whole batch; shared by chunks of one shape */
    size_t keys;  /* generated keys read so far */
} chunk;

typedef struct batch {
    sm_conn *conn;
    const sm_model *m;
    char *objs;
    chunk *chunks;
    size_t nchunks;
    sm_binding b;
    int64_t *ids;
} batch;

/* The statement for count rows of per placeholders, cached per (prefix,
 * row count); its text is built only on a miss. */
static int batch_stmt(sm_cx *cx, sm_conn *conn, const sm_model *m, size_t count, size_t per,
                      bool use_auto, sm_stmt **st)
{
    const sm_sql *prefix = use_auto ? &m->sql->rows_auto_prefix : &m->sql->rows_prefix;
    sm_dialect d = conn->dialect;
    if ((*st = sm_stmt_lookup(conn, prefix, (unsigned)count)) != NULL)
        return SM_OK;
    sm_buf *q = &conn->scratch;
    sm_buf_reset(q);
    int rc = sm_buf_puts(q, prefix->text[d]);
    for (size_t r = 0; r < count && rc == SM_OK; r++) {
        rc = sm_buf_puts(q, r ? ", (" : "(");
        for (size_t c = 0; c < per && rc == SM_OK; c++)
            rc = sm_buf_puts(q, c ? ", ?" : "?");
        if (rc == SM_OK)
            rc = sm_buf_putc(q, ')');
    }
    if (rc == SM_OK && use_auto && m->sql->rows_auto_suffix.text[d])
        rc = sm_buf_puts(q, m->sql->rows_auto_suffix.text[d]);
    if (rc != SM_OK)
        return sm_cx_fail(cx, SM_NOMEM, "out of memory building a multi-row insert");
    return sm_stmt_cached(cx, conn, prefix, (unsigned)count, q->data, st);
}

/* sm_pipe job: chunk k's rows bound. */
static int batch_job(sm_cx *cx, void *ud, size_t k, sm_stmt **st, const sm_value **params,
                     size_t *n)
{
    batch *bt = ud;
    const sm_model *m = bt->m;
    const chunk *ch = &bt->chunks[k];
    const sm_field *ak = auto_key(m);
    sm_binding *b = &bt->b;
    int rc = SM_OK;
    b->n = 0;
    b->dt_at = SIZE_MAX;
    for (size_t r = ch->first; r < ch->first + ch->count && rc == SM_OK; r++) {
        void *obj = bt->objs + r * m->size;
        for (uint32_t i = 0; i < m->nfields && rc == SM_OK; i++) {
            const sm_field *f = &m->fields[i];
            if ((f->flags & SM_F_COLUMN) && !(ch->use_auto && f == ak))
                rc = sm_bind_field(cx, bt->conn->drv, f, obj, b);
        }
    }
    *st = ch->st;
    *params = b->v;
    *n = b->n;
    return rc;
}

/* sm_pipe row: the generated keys come back in row order
 * (sm_driver.batch_ids reads them the same way). */
static int batch_row(sm_cx *cx, void *ud, size_t k, sm_stmt *st)
{
    batch *bt = ud;
    chunk *ch = &bt->chunks[k];
    if (!ch->use_auto)
        return SM_OK;
    if (ch->keys == ch->count)
        return sm_cx_fail(cx, SM_ERROR, "the insert returned more keys than rows");
    bt->ids[ch->first + ch->keys++] = bt->conn->drv->get_int(st, 0);
    return SM_OK;
}

/* Splits the rows into chunks: runs of rows with and without a
 * generated key, each cut into statements of at most rows rows
 * (chunk_rows). */
static int plan_chunks(sm_cx *cx, batch *bt, size_t n, size_t rows)
{
    const sm_field *ak = auto_key(bt->m);
    size_t cap = 0;
    for (size_t k = 0; k < n;) {
        bool use_auto = ak && read_key(ak, bt->objs + k * bt->m->size) == 0;
        size_t run = 1;
        while (k + run < n && run < rows &&
               (ak && read_key(ak, bt->objs + (k + run) * bt->m->size) == 0) == use_auto)
            run++;
        run = chunk_rows(run, rows);
        if (bt->nchunks == cap) {
            cap = cap ? cap * 2 : 8;
            chunk *v = realloc(bt->chunks, cap * sizeof *v);
            if (!v)
                return sm_cx_fail(cx, SM_NOMEM, "out of memory");
            bt->chunks = v;
        }
        bt->chunks[bt->nchunks++] = (chunk){k, run, use_auto, NULL, 0};
        k += run;
    }
    return SM_OK;
}

/* The statement of each chunk, one per shape (at most about 2 log2(rows)
 * shapes), taken before the batch runs. */
static int take_stmts(sm_cx *cx, batch *bt, uint32_t ncols)
{
    int rc = SM_OK;
    for (size_t k = 0; k < bt->nchunks && rc == SM_OK; k++) {
        chunk *ch = &bt->chunks[k];
        for (size_t j = 0; j < k && !ch->st; j++)
            if (bt->chunks[j].count == ch->count && bt->chunks[j].use_auto == ch->use_auto)
                ch->st = bt->chunks[j].st;
        if (!ch->st)
            rc = batch_stmt(cx, bt->conn, bt->m, ch->count,
                            ncols - (ch->use_auto && auto_key(bt->m) ? 1 : 0), ch->use_auto,
                            &ch->st);
    }
    return rc;
}

/* Which rows a failed statement of insert_many carried ("row 7" or
 * "rows 1000 to 1999 (statement 2 of 3)", in where), before the
 * database's reason. */
static int name_rows(sm_cx *cx, const sm_model *m, const char *where, int rc)
{
    if (rc >= 0 || rc == SM_INTERRUPTED || rc == SM_NOMEM || rc == SM_CONN)
        return rc;
    sm_buf msg = SM_BUF_INIT;
    if (sm_buf_puts(&msg, sm_cx_errmsg(cx)) == SM_OK)
        sm_cx_fail(cx, rc, "insert_many %s: %s: %s", m->name, where, msg.data);
    sm_buf_free(&msg);
    return rc;
}

static int name_chunk(sm_cx *cx, const batch *bt, size_t k, int rc)
{
    if (k >= bt->nchunks)
        return rc;
    const chunk *ch = &bt->chunks[k];
    char where[96];
    snprintf(where, sizeof where, "rows %zu to %zu (statement %zu of %zu)", ch->first,
             ch->first + ch->count - 1, k + 1, bt->nchunks);
    return name_rows(cx, bt->m, where, rc);
}

/* Without pipelines: a statement at a time, the keys read as the driver
 * reads them (sm_driver.batch_ids: MySQL has no RETURNING). */
static int batches_one_by_one(sm_cx *cx, batch *bt, sm_pipe *p)
{
    int rc = SM_OK;
    for (size_t k = 0; k < bt->nchunks && rc == SM_OK; k++) {
        chunk *ch = &bt->chunks[k];
        sm_stmt *st;
        const sm_value *params;
        size_t n;
        if ((rc = batch_job(cx, bt, k, &st, &params, &n)) == SM_OK)
            rc = sm_stmt_exec(cx, st, params, n);
        if (ch->use_auto && (rc == SM_ROW || rc == SM_DONE)) {
            rc = bt->conn->drv->batch_ids(cx, st, rc, bt->ids + ch->first, ch->count);
            ch->keys = ch->count;
        }
        while (rc == SM_ROW)
            rc = sm_stmt_next(cx, st);
        int reset = bt->conn->drv->reset(cx, st);
        rc = rc == SM_DONE || rc == SM_OK ? reset : rc;
        if (rc != SM_OK)
            p->failed = k;
    }
    return rc;
}

/* The rows in multi-row INSERTs, all sent at once where the driver
 * pipelines (sm_pipe_run): one round trip for the batch instead of one
 * per statement. */
static int insert_batches(sm_cx *cx, sm_conn *conn, const sm_model *m, char *objs, size_t n,
                          size_t rows, int64_t *ids, bool *gen)
{
    batch bt;
    memset(&bt, 0, sizeof bt);
    bt.conn = conn;
    bt.m = m;
    bt.objs = objs;
    bt.ids = ids;
    uint32_t ncols = count_columns(m);
    int rc = plan_chunks(cx, &bt, n, rows);
    if (rc == SM_OK)
        rc = take_stmts(cx, &bt, ncols);
    if (rc == SM_OK && (rc = sm_binding_init(cx, &bt.b, (rows < n ? rows : n) * ncols)) == SM_OK) {
        sm_pipe p = {bt.nchunks, batch_job, batch_row, &bt, SIZE_MAX};
        rc = conn->drv->pipeline ? sm_pipe_run(cx, conn, &p) : batches_one_by_one(cx, &bt, &p);
        rc = name_chunk(cx, &bt, p.failed, rc);
        for (size_t k = 0; k < bt.nchunks && rc == SM_OK; k++) {
            const chunk *ch = &bt.chunks[k];
            if (ch->use_auto && ch->keys != ch->count)
                rc = sm_cx_fail(cx, SM_ERROR, "the insert returned %zu keys for %zu rows",
                                ch->keys, ch->count);
            for (size_t r = ch->first; r < ch->first + ch->count; r++)
                gen[r] = ch->use_auto;
        }
        sm_binding_free(&bt.b);
    }
    /* Each statement once, however many chunks shared it. */
    for (size_t k = 0; k < bt.nchunks && bt.chunks[k].st; k++) {
        bool first = true;
        for (size_t j = 0; j < k && first; j++)
            first = bt.chunks[j].st != bt.chunks[k].st;
        if (first)
            sm_stmt_release(bt.chunks[k].st);
    }
    free(bt.chunks);
    return rc;
}

static int insert_rows(sm_cx *cx, sm_conn *conn, const sm_model *m, char *objs, size_t n,
                       marks *ms, int64_t *ids, bool *gen)
{
    sm_datetime now = 0;
    const sm_driver *drv = conn->drv;
    int rc = SM_OK;
    if (!drv->batch_rows || !m->sql->rows_prefix.text[conn->dialect] ||
        !m->sql->rows_auto_prefix.text[conn->dialect]) {
        size_t k = 0;
        for (; k < n && rc == SM_OK; k++)
            rc = insert_one(cx, conn, m, objs + k * m->size, &now, ms, &ids[k], &gen[k]);
        char where[40];
        snprintf(where, sizeof where, "row %zu", k - 1);
        return rc == SM_OK ? rc : name_rows(cx, m, where, rc);
    }
    for (size_t k = 0; k < n && rc == SM_OK; k++)
        rc = fill_defaults(cx, m, objs + k * m->size, &now, ms);
    uint32_t ncols = count_columns(m);
    size_t rows = drv->max_params / (ncols ? ncols : 1);
    if (rows > drv->batch_rows)
        rows = drv->batch_rows;
    if (rows == 0)
        rows = 1;
    if (rc == SM_OK)
        rc = insert_batches(cx, conn, m, objs, n, rows, ids, gen);
    return sm_constraint_hint(cx, conn, m, rc);
}

int sm_model_insert_many(sm_cx *cx, sm_conn *conn, const sm_model *m, void *objs, size_t n)
{
    int rc = sm_call_begin(cx, conn, SM_CALL_ANY);
    if (rc != SM_OK)
        return rc;
    if ((rc = check_table(cx, m)) != SM_OK || n == 0)
        return sm_call_end(cx, conn, rc);
    if (!objs)
        return sm_call_end(cx, conn, sm_null_arg(cx, "insert_many", m->name, "objs"));
    char *base = objs;
    sm_errors errs = SM_ERRORS_INIT;
    for (size_t k = 0; k < n && rc == SM_OK; k++) {
        /* The "[k]" prefix is formatted only for a row that has errors. */
        size_t had = errs.len;
        rc = validate(cx, m, base + k * m->size, NULL, &errs);
        if (rc == SM_OK && errs.len > had) {
            char prefix[32];
            snprintf(prefix, sizeof prefix, "[%zu]", k);
            sm_errors_truncate(&errs, had);
            rc = validate(cx, m, base + k * m->size, prefix, &errs);
        }
        /* Validating many rows takes a while: a cancel or the deadline
         * stops it too. */
        if (rc == SM_OK && k % 256 == 255 && sm_cx_check(cx) != SM_OK)
            rc = SM_INTERRUPTED;
    }
    if (rc != SM_OK || errs.len) {
        rc = rc != SM_OK ? rc : sm_cx_invalid(cx, &errs);
        sm_errors_free(&errs);
        return sm_call_end(cx, conn, rc);
    }
    sm_errors_free(&errs);
    int64_t *ids = calloc(n, sizeof *ids);
    bool *gen = calloc(n, sizeof *gen);
    if (!ids || !gen) {
        free(ids);
        free(gen);
        return sm_call_end(cx, conn, sm_cx_fail(cx, SM_NOMEM, "out of memory"));
    }
    marks ms;
    marks_init(&ms);
    int token;
    rc = sm_auto_tx_begin(cx, conn, &token);
    if (rc == SM_OK)
        rc = insert_rows(cx, conn, m, base, n, &ms, ids, gen);
    rc = sm_auto_tx_end(cx, conn, token, rc);
    if (rc == SM_OK) {
        const sm_field *ak = auto_key(m);
        for (size_t k = 0; k < n; k++)
            if (gen[k])
                write_key(ak, base + k * m->size, ids[k]);
    } else {
        marks_restore(&ms);
    }
    marks_free(&ms);
    free(ids);
    free(gen);
    return sm_call_end(cx, conn, rc);
}

/* ---- Get, update, patch, delete ---------------------------------------------- */

int sm_model_get(sm_cx *cx, sm_conn *conn, const sm_model *m, const void *key, void *out,
                 sm_arena *arena)
{
    int rc = sm_call_begin(cx, conn, SM_CALL_ANY);
    if (rc == SM_OK) {
        if ((rc = check_table(cx, m)) == SM_OK &&
            (rc = check_arg(cx, "get", m, key, "key")) == SM_OK &&
            (rc = check_arg(cx, "get", m, out, "out")) == SM_OK)
            rc = check_arg(cx, "get", m, arena, "arena");
        if (rc != SM_OK)
            rc = sm_call_end(cx, conn, rc);
    }
    if (rc != SM_OK) {
        if (m && out)
            memset(out, 0, m->size);
        return rc;
    }
    /* The key is bound before out is zeroed: they may be one object. */
    sm_binding b;
    sm_binding_init(cx, &b, 0);
    rc = sm_bind_key(cx, conn->drv, m, key, &b);
    memset(out, 0, m->size);
    sm_stmt *st = NULL;
    if (rc == SM_OK)
        rc = sm_stmt_cached(cx, conn, &m->sql->get, 0, m->sql->get.text[conn->dialect], &st);
    if (rc == SM_OK) {
        rc = sm_stmt_exec(cx, st, b.v, b.n);
        if (rc == SM_ROW)
            rc = fetch_row(cx, m, st, out, arena);
        else if (rc == SM_DONE)
            rc = not_found(cx, m);
        sm_stmt_release(st);
    }
    if (rc != SM_OK)
        memset(out, 0, m->size);
    return sm_call_end(cx, conn, rc);
}

/* @updated_at fields get now(); the old values are kept for a failure. */
static int touch_updated(sm_cx *cx, const sm_model *m, void *obj, marks *ms)
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
    if ((rc = check_table(cx, m)) != SM_OK ||
        (rc = check_arg(cx, "update", m, obj, "obj")) != SM_OK ||
        (rc = validate_one(cx, m, obj)) != SM_OK)
        return sm_call_end(cx, conn, rc);
    marks ms;
    marks_init(&ms);
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
        marks_restore(&ms);
    marks_free(&ms);
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
    if ((rc = check_table(cx, t)) != SM_OK || !pm)
        return sm_call_end(cx, conn, rc != SM_OK ? rc : sm_cx_fail(cx, SM_MISUSE, "no partial model"));
    if ((rc = check_arg(cx, "patch", t, key, "key")) != SM_OK ||
        (rc = check_arg(cx, "patch", t, patch, "patch")) != SM_OK)
        return sm_call_end(cx, conn, rc);
    if (!p->update.text[conn->dialect])
        return sm_call_end(cx, conn, sm_cx_fail(cx, SM_UNSUPPORTED, "no patch for %s",
                                                conn->drv->name));
    sm_errors errs = SM_ERRORS_INIT;
    if ((rc = validate(cx, pm, patch, NULL, &errs)) != SM_OK || errs.len) {
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
    if ((rc = check_table(cx, m)) != SM_OK ||
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
