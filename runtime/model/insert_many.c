/*
 * insert_many.c: sm_model_insert_many (DESIGN 3.4), atomic: every row
 * validated first (errors at "[k].field"), then multi-row INSERTs of as
 * many rows as the driver's batch_rows and max_params allow, sent in one
 * round trip where the driver pipelines (sm_pipe_run), or one INSERT per
 * row where it has none; generated keys are written back only when every
 * row went in.
 */
#include "model_priv.h"
#include "pipe.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    int64_t step; /* between the keys of one INSERT (sm_driver.batch_step) */
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
    const sm_field *skip = ch->use_auto ? sm_auto_key(m) : NULL;
    sm_binding *b = &bt->b;
    b->n = 0;
    b->dt_at = SIZE_MAX;
    int rc = sm_bind_columns(cx, bt->conn->drv, m, bt->objs + ch->first * m->size, ch->count, skip, b);
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

/* The chunk that starts at row k of the n at objs: its row count, and
 * in *use_auto whether its rows leave their generated key to the
 * database.  A chunk is a run of rows alike in that, cut to what
 * chunk_rows makes of it (at most rows). */
static size_t next_chunk(const sm_model *m, const char *objs, size_t k, size_t n, size_t rows,
                         bool *use_auto)
{
    const sm_field *ak = sm_auto_key(m);
    *use_auto = ak && sm_read_key(ak, objs + k * m->size) == 0;
    size_t run = 1;
    while (k + run < n && run < rows &&
           (ak && sm_read_key(ak, objs + (k + run) * m->size) == 0) == *use_auto)
        run++;
    return chunk_rows(run, rows);
}

/* Splits the rows into chunks (next_chunk). */
static int plan_chunks(sm_cx *cx, batch *bt, size_t n, size_t rows)
{
    size_t cap = 0;
    for (size_t k = 0; k < n;) {
        bool use_auto;
        size_t run = next_chunk(bt->m, bt->objs, k, n, rows, &use_auto);
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
                            ncols - (ch->use_auto && sm_auto_key(bt->m) ? 1 : 0), ch->use_auto,
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
            rc = bt->conn->drv->batch_ids(cx, st, rc, bt->step, bt->ids + ch->first, ch->count);
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

/* Does a statement of the batch generate several keys (whose step
 * sm_driver.batch_step reads)? */
static bool needs_step(const batch *bt)
{
    for (size_t k = 0; k < bt->nchunks; k++)
        if (bt->chunks[k].use_auto && bt->chunks[k].count > 1)
            return true;
    return false;
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
    bt.step = 1;
    uint32_t ncols = sm_count_columns(m);
    int rc = plan_chunks(cx, &bt, n, rows);
    if (rc == SM_OK)
        rc = take_stmts(cx, &bt, ncols);
    if (rc == SM_OK && conn->drv->batch_step && needs_step(&bt))
        rc = conn->drv->batch_step(cx, conn, &bt.step);
    size_t nvalues = (rows < n ? rows : n) * ncols;
    if (rc == SM_OK && (rc = sm_binding_init_for(cx, conn, &bt.b, nvalues)) == SM_OK) {
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

/* How many rows one multi-row INSERT of m carries on conn, or 0 where
 * the driver or the dialect has none (a row at a time). */
static size_t rows_per_statement(const sm_conn *conn, const sm_model *m)
{
    const sm_driver *drv = conn->drv;
    if (!drv->batch_rows || !m->sql->rows_prefix.text[conn->dialect] ||
        !m->sql->rows_auto_prefix.text[conn->dialect])
        return 0;
    uint32_t ncols = sm_count_columns(m);
    size_t rows = drv->max_params / (ncols ? ncols : 1);
    if (rows > drv->batch_rows)
        rows = drv->batch_rows;
    return rows ? rows : 1;
}

/* Do the n rows go in as one statement?  One row always does; more do
 * when they make one chunk (the key step, where it is read, goes before). */
static bool one_statement(const sm_conn *conn, const sm_model *m, const char *objs, size_t n)
{
    size_t rows = rows_per_statement(conn, m);
    if (n == 1 || !rows)
        return n == 1;
    bool use_auto;
    return next_chunk(m, objs, 0, n, rows, &use_auto) == n;
}

static int insert_rows(sm_cx *cx, sm_conn *conn, const sm_model *m, char *objs, size_t n,
                       sm_marks *ms, int64_t *ids, bool *gen)
{
    sm_datetime now = 0;
    int rc = SM_OK;
    size_t rows = rows_per_statement(conn, m);
    if (!rows) {
        size_t k = 0;
        for (; k < n && rc == SM_OK; k++)
            rc = sm_insert_one(cx, conn, m, objs + k * m->size, &now, ms, &ids[k], &gen[k]);
        char where[40];
        snprintf(where, sizeof where, "row %zu", k - 1);
        return rc == SM_OK ? rc : name_rows(cx, m, where, rc);
    }
    bool fills = sm_has_defaults(m); /* once, not per row */
    for (size_t k = 0; fills && k < n && rc == SM_OK; k++)
        rc = sm_fill_defaults(cx, m, objs + k * m->size, &now, ms);
    if (rc == SM_OK)
        rc = insert_batches(cx, conn, m, objs, n, rows, ids, gen);
    return sm_constraint_hint(cx, conn, m, rc);
}

int sm_model_insert_many(sm_cx *cx, sm_conn *conn, const sm_model *m, void *objs, size_t n)
{
    int rc = sm_call_begin(cx, conn, SM_CALL_ANY);
    if (rc != SM_OK)
        return rc;
    if ((rc = sm_check_table(cx, m)) != SM_OK || n == 0)
        return sm_call_end(cx, conn, rc);
    if (!objs)
        return sm_call_end(cx, conn, sm_null_arg(cx, "insert_many", m->name, "objs"));
    char *base = objs;
    sm_errors errs = SM_ERRORS_INIT;
    for (size_t k = 0; k < n && rc == SM_OK; k++) {
        /* The "[k]" prefix is formatted only for a row that has errors. */
        size_t had = errs.len;
        rc = sm_validate_cx(cx, m, base + k * m->size, NULL, &errs);
        if (rc == SM_OK && errs.len > had) {
            char prefix[32];
            snprintf(prefix, sizeof prefix, "[%zu]", k);
            sm_errors_truncate(&errs, had);
            rc = sm_validate_cx(cx, m, base + k * m->size, prefix, &errs);
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
    sm_marks ms;
    sm_marks_init(&ms);
    /* Several statements share a transaction (a savepoint inside the
     * caller's), so that all go in or none; one statement is atomic by
     * itself, and outside a transaction it saves BEGIN and COMMIT, two
     * round trips. */
    int token = 0;
    if (conn->tx != SM_TX_NONE || !one_statement(conn, m, base, n))
        rc = sm_auto_tx_begin(cx, conn, &token);
    if (rc == SM_OK)
        rc = insert_rows(cx, conn, m, base, n, &ms, ids, gen);
    rc = sm_auto_tx_end(cx, conn, token, rc);
    if (rc == SM_OK) {
        const sm_field *ak = sm_auto_key(m);
        for (size_t k = 0; k < n; k++)
            if (gen[k])
                sm_write_key(ak, base + k * m->size, ids[k]);
    } else {
        sm_marks_restore(&ms);
    }
    sm_marks_free(&ms);
    free(ids);
    free(gen);
    return sm_call_end(cx, conn, rc);
}
