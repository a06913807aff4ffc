/*
 * pg.c: the PostgreSQL driver (sm_driver_pg) over libpq: statements,
 * parameters and results.
 *
 * Statements are prepared once under generated names (s1, s2, ...) with
 * "?" rewritten to $n (pg_sql.c) and executed with PQsendQueryPrepared:
 * parameters in text format except bytea (binary), results in text
 * format (pg_rows.c).  Every exchange waits within the cx deadline and
 * is cancelled when it passes (pg_io.c); connecting is in pg_conn.c, the
 * SQLSTATE table in pg_err.c.
 *
 * A result is read whole by default: one PGresult, no per-row cost.  A
 * statement marked st->cursor is read through a cursor (pg_cursor.c).  A
 * caller that sets st->stream (an `-> each` loop over possibly millions
 * of rows) gets single-row mode, which keeps memory bounded at the price
 * of one PGresult per row.  Measured on loopback against PostgreSQL 15
 * (two text columns): single-row mode took about 10% longer for results
 * of 1 to 10 rows and 20% longer for 100,000 rows, and was on par around
 * 100 to 1,000 rows, where it overlaps reading with the server's work;
 * so it is used only when asked for.
 *
 * The hot path allocates nothing beyond libpq's own: parameter arrays are
 * sized at prepare, text parameters are copied into a per-connection
 * buffer that only grows, decoded bytea into a per-statement one.
 */
#include "pg_driver.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Statements ------------------------------------------------------------ */

/* Deallocates finalized statements on the server, in one batch, outside
 * transactions only: a failure must not abort the caller's transaction. */
static void flush_dead(sm_cx *cx, sm_pg_conn *c)
{
    if (c->ndead < PG_DEAD_BATCH || PQtransactionStatus(c->pg) != PQTRANS_IDLE)
        return;
    char sql[PG_DEAD_BATCH * 24 + 1];
    size_t len = 0;
    for (size_t i = 0; i < PG_DEAD_BATCH; i++)
        len += (size_t)snprintf(sql + len, sizeof sql - len, "DEALLOCATE s%u;", c->dead[i]);
    memmove(c->dead, c->dead + PG_DEAD_BATCH, (c->ndead - PG_DEAD_BATCH) * sizeof *c->dead);
    c->ndead -= PG_DEAD_BATCH;
    if (!PQsendQuery(c->pg, sql))
        return;
    c->base.stats.round_trips++;
    /* The outcome does not matter (a statement the server lost already
     * is gone), and it is not the caller's error. */
    if (sm_pg_complete(cx, c, SM_OK) != SM_OK)
        sm_cx_clear(cx);
}

/* Remembers a statement to deallocate.  Without memory it stays on the
 * server until the connection closes: harmless. */
static void bury(sm_pg_conn *c, unsigned id, bool gone)
{
    if (!id || gone || c->broken)
        return;
    if (c->ndead == c->capdead) {
        size_t cap = c->capdead ? c->capdead * 2 : PG_DEAD_BATCH;
        unsigned *d = realloc(c->dead, cap * sizeof *d);
        if (!d)
            return;
        c->dead = d;
        c->capdead = cap;
    }
    c->dead[c->ndead++] = id;
}

/* Sends Parse for st under a fresh name and waits for the answer. */
static int prepare_on_server(sm_cx *cx, sm_pg_conn *c, sm_pg_stmt *st)
{
    unsigned id = ++c->next_id;
    char name[sizeof st->name];
    snprintf(name, sizeof name, "s%u", id);
    if (!PQsendPrepare(c->pg, name, c->sql.data, 0, NULL))
        return sm_pg_lost(cx, c);
    c->base.stats.round_trips++;
    PGresult *r;
    int rc = sm_pg_next_result(cx, c, &r);
    if (rc != SM_OK)
        return rc;
    if (!r)
        return sm_pg_lost(cx, c);
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        rc = sm_pg_error(cx, c->pg, r);
    PQclear(r);
    rc = sm_pg_complete(cx, c, rc);
    if (rc == SM_OK) {
        st->id = id;
        st->gone = false;
        memcpy(st->name, name, sizeof name);
    }
    return rc;
}

static int rewrite(sm_cx *cx, sm_pg_conn *c, const char *sql, int *nparams)
{
    const char *why;
    int rc = sm_pg_rewrite(sql, &c->sql, nparams, &why);
    if (rc == SM_NOMEM)
        return sm_cx_fail(cx, rc, "out of memory preparing a PostgreSQL statement");
    if (rc != SM_OK)
        return sm_cx_fail(cx, rc, "bad placeholders: the statement %s", why);
    return SM_OK;
}

/* Does sql start with a keyword that only reads?  Only such a statement
 * may be cancelled when its caller stops reading early: cancelling an
 * UPDATE ... RETURNING would undo it. */
static bool reads_only(const char *sql)
{
    return sm_sql_kind(&sm_pg_rules, sql, 0) == SM_SQL_READ;
}

static void stmt_free(sm_pg_stmt *st)
{
    PQclear(st->res);
    free(st->blob);
    free(st->blob_at);
    free(st->values);
    free(st);
}

static int pg_prepare(sm_cx *cx, sm_conn *conn, const char *sql, sm_stmt **out)
{
    sm_pg_conn *c = pgc(conn);
    int nparams, rc;
    *out = NULL;
    if ((rc = sm_pg_usable(cx, c)) != SM_OK || (rc = rewrite(cx, c, sql, &nparams)) != SM_OK)
        return rc;
    flush_dead(cx, c);
    sm_pg_stmt *st = calloc(1, sizeof *st);
    size_t n = (size_t)nparams;
    /* One block: pointers and offsets first, then the int arrays. */
    void *arrays = n ? calloc(n, sizeof(char *) + sizeof(size_t) + 2 * sizeof(int)) : NULL;
    if (!st || (n && !arrays)) {
        free(st);
        free(arrays);
        return sm_cx_fail(cx, SM_NOMEM, "out of memory preparing a PostgreSQL statement");
    }
    st->values = arrays;
    st->offs = n ? (size_t *)(void *)(st->values + n) : NULL;
    st->lengths = n ? (int *)(void *)(st->offs + n) : NULL;
    st->formats = n ? st->lengths + n : NULL;
    st->base.conn = conn;
    st->base.nparams = nparams;
    st->readonly = reads_only(sql);
    if ((rc = prepare_on_server(cx, c, st)) != SM_OK) {
        stmt_free(st);
        return rc;
    }
    *out = &st->base;
    return SM_OK;
}

static int pg_reset(sm_cx *cx, sm_stmt *sst);

static void pg_finalize(sm_stmt *sst)
{
    if (!sst)
        return;
    sm_pg_stmt *st = pgs(sst);
    pg_reset(NULL, sst);
    bury(pgc(sst->conn), st->id, st->gone);
    stmt_free(st);
}

static int pg_reprepare(sm_cx *cx, sm_stmt *sst)
{
    sm_pg_stmt *st = pgs(sst);
    sm_pg_conn *c = pgc(sst->conn);
    int nparams, rc;
    pg_reset(cx, sst);
    if ((rc = sm_pg_usable(cx, c)) != SM_OK || (rc = rewrite(cx, c, sst->sql, &nparams)) != SM_OK)
        return rc;
    if (nparams != sst->nparams)
        return sm_cx_fail(cx, SM_ERROR, "statement changed while re-preparing it");
    /* The old name goes only once the new one exists: a statement whose
     * re-preparation failed still holds it (and buries it once, when the
     * cache drops the statement). */
    unsigned old = st->id;
    bool gone = st->gone;
    if ((rc = prepare_on_server(cx, c, st)) == SM_OK) {
        bury(c, old, gone);
        st->stale = false;
    }
    return rc;
}

/* Decimal text of v into buf (at least 21 bytes), no locale involved. */
static size_t put_int(char *buf, int64_t v)
{
    char tmp[24];
    size_t n = 0;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    size_t len = 0;
    if (v < 0)
        buf[len++] = '-';
    while (n)
        buf[len++] = tmp[--n];
    buf[len] = 0;
    return len;
}

/* Formats the parameters into the statement's arrays.  Text goes into
 * c->params (it must be NUL-terminated for libpq and the caller's need
 * not be); bytea is sent in binary, straight from the caller's memory. */
static int bind_params(sm_cx *cx, sm_pg_conn *c, sm_pg_stmt *st, const sm_value *p, size_t n)
{
    if (n != (size_t)st->base.nparams)
        return sm_cx_fail(cx, SM_MISUSE, "the statement takes %d parameter%s, %zu given",
                          st->base.nparams, st->base.nparams == 1 ? "" : "s", n);
    sm_buf_reset(&c->params);
    for (size_t i = 0; i < n; i++) {
        char num[40];
        size_t len;
        st->values[i] = NULL;
        st->offs[i] = SIZE_MAX;
        st->lengths[i] = 0;
        st->formats[i] = 0;
        switch (p[i].kind) {
        case SM_VNULL:
            continue;
        case SM_VBOOL:
            st->values[i] = p[i].u.i ? "t" : "f";
            continue;
        case SM_VINT:
            len = put_int(num, p[i].u.i);
            break;
        case SM_VREAL: {
            if (!isfinite(p[i].u.d))
                return sm_cx_fail(cx, SM_MISUSE, "parameter %zu is not a finite number", i + 1);
            /* The form the redaction of a secret looks for. */
            len = sm_real_format(p[i].u.d, num);
            break;
        }
        case SM_VTEXT:
            if (p[i].len > INT_MAX)
                return sm_cx_fail(cx, SM_MISUSE, "parameter %zu is longer than 2 GiB", i + 1);
            if (p[i].len && memchr(p[i].u.p, 0, p[i].len))
                return sm_cx_fail(cx, SM_MISUSE, "text parameter %zu contains a NUL byte", i + 1);
            st->offs[i] = c->params.len;
            if (sm_buf_append(&c->params, p[i].u.p, p[i].len) != SM_OK ||
                sm_buf_putc(&c->params, 0) != SM_OK)
                return sm_cx_fail(cx, SM_NOMEM, "out of memory binding parameter %zu", i + 1);
            continue;
        case SM_VBLOB:
            if (p[i].len > INT_MAX)
                return sm_cx_fail(cx, SM_MISUSE, "parameter %zu is longer than 2 GiB", i + 1);
            st->values[i] = p[i].u.p;
            st->lengths[i] = (int)p[i].len;
            st->formats[i] = 1;
            continue;
        default:
            return sm_cx_fail(cx, SM_MISUSE, "parameter %zu has an unknown kind %d", i + 1,
                              p[i].kind);
        }
        st->offs[i] = c->params.len;
        if (sm_buf_append(&c->params, num, len + 1) != SM_OK)
            return sm_cx_fail(cx, SM_NOMEM, "out of memory binding parameter %zu", i + 1);
    }
    /* Appending may have moved the buffer: point into it only now. */
    for (size_t i = 0; i < n; i++)
        if (st->offs[i] != SIZE_MAX)
            st->values[i] = c->params.data + st->offs[i];
    return SM_OK;
}

/* Takes a result with rows (or a command's completion) as the current
 * one: SM_ROW when it has a row. */
static int take_result(sm_pg_stmt *st, PGresult *r)
{
    PQclear(st->res);
    st->res = r;
    st->row = 0;
    st->nrows = PQntuples(r);
    st->rowseq++;
    if (PQresultStatus(r) != PGRES_SINGLE_TUPLE)
        st->changes = -1; /* in PQcmdTuples(r), read by sm_pg_changes */
    return st->nrows > 0 ? SM_ROW : SM_DONE;
}

/* Handles one result of the statement's execution: a row (single-row
 * mode), all rows, the completion, or an error. */
static int on_result(sm_cx *cx, sm_pg_conn *c, sm_pg_stmt *st, PGresult *r)
{
    ExecStatusType s = PQresultStatus(r);
    if (s == PGRES_SINGLE_TUPLE)
        return take_result(st, r);
    st->active = false;
    if (s == PGRES_TUPLES_OK || s == PGRES_COMMAND_OK || s == PGRES_EMPTY_QUERY) {
        int rc = take_result(st, r);
        int k = sm_pg_complete(cx, c, SM_OK);
        return k != SM_OK ? k : rc;
    }
    int rc = SM_OK;
    if (sm_pg_is_copy(s)) {
        PQclear(r);
        rc = sm_pg_copy_result(cx, c, s, SM_OK);
        return c->broken ? rc : sm_pg_complete(cx, c, rc);
    }
    rc = sm_pg_error(cx, c->pg, r);
    const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
    if (state && strcmp(state, "26000") == 0)
        st->gone = true; /* no prepared statement of that name */
    PQclear(r);
    return sm_pg_complete(cx, c, rc);
}

static int pg_execute(sm_cx *cx, sm_stmt *sst, const sm_value *params, size_t n)
{
    sm_pg_stmt *st = pgs(sst);
    sm_pg_conn *c = pgc(sst->conn);
    int rc;
    if ((rc = pg_reset(cx, sst)) != SM_OK)
        return rc;
    if ((rc = sm_pg_usable(cx, c)) != SM_OK || (rc = bind_params(cx, c, st, params, n)) != SM_OK)
        return rc;
    if (sm_cx_check(cx) != SM_OK)
        return sm_cx_fail(cx, SM_INTERRUPTED, "PostgreSQL statement interrupted");
    st->changes = 0;
    st->insert_id = 0;
    st->in_tx = PQtransactionStatus(c->pg) != PQTRANS_IDLE;
    if (sst->cursor)
        return sm_pg_cursor_open(cx, c, st, n);
    if (!PQsendQueryPrepared(c->pg, st->name, (int)n, st->values, st->lengths, st->formats, 0))
        return sm_pg_lost(cx, c);
    c->base.stats.round_trips++;
    st->active = true;
    if (sst->stream && !PQsetSingleRowMode(c->pg)) {
        sm_pg_abandon(c, true, PG_DRAIN_MS);
        st->active = false;
        return sm_cx_fail(cx, SM_ERROR, "PostgreSQL refused single-row mode");
    }
    PGresult *r;
    if ((rc = sm_pg_next_result(cx, c, &r)) != SM_OK) {
        st->active = false;
        return rc;
    }
    if (!r) {
        st->active = false;
        return sm_pg_lost(cx, c);
    }
    rc = on_result(cx, c, st, r);
    /* Only a write returns a generated key (RETURNING). */
    if (rc == SM_ROW && !st->readonly && PQnfields(st->res) > 0 && !PQgetisnull(st->res, 0, 0))
        st->insert_id = sm_pg_parse_int(PQgetvalue(st->res, 0, 0), c->cloc);
    return rc;
}

static int pg_next(sm_cx *cx, sm_stmt *sst)
{
    sm_pg_stmt *st = pgs(sst);
    sm_pg_conn *c = pgc(sst->conn);
    if (st->cursor_open)
        return sm_pg_cursor_next(cx, c, st);
    if (st->res && st->row + 1 < st->nrows) {
        st->row++;
        st->rowseq++;
        return SM_ROW;
    }
    if (!st->active)
        return SM_DONE;
    PGresult *r;
    int rc = sm_pg_next_result(cx, c, &r);
    if (rc != SM_OK) {
        st->active = false;
        return rc;
    }
    if (!r) {
        st->active = false;
        return sm_pg_lost(cx, c);
    }
    return on_result(cx, c, st, r);
}

/* Reads and drops the rest of a stream within cx's deadline and
 * cancellation; when they stop it first, the statement is cancelled
 * (sm_pg_next_result): SM_INTERRUPTED.  An error among the rest is the
 * outcome (it aborted a transaction around the statement). */
static int drain_within(sm_cx *cx, sm_pg_conn *c)
{
    return sm_pg_complete(cx, c, SM_OK);
}

/* Unread rows of a stream are dropped.  A read-only query outside a
 * transaction is cancelled (a million rows need not cross the wire);
 * otherwise a cancel would abort the transaction or undo the statement,
 * so the rows are read instead, within the deadline of cx (or up to
 * PG_TX_DRAIN_MS without one): when the deadline or a cancel wins, the
 * statement is cancelled and SM_INTERRUPTED tells the caller, which
 * fails the transaction. */
static int pg_reset(sm_cx *cx, sm_stmt *sst)
{
    sm_pg_stmt *st = pgs(sst);
    sm_pg_conn *c = pgc(sst->conn);
    int rc = SM_OK;
    if (st->active) {
        st->active = false;
        if (st->readonly && !st->in_tx)
            sm_pg_abandon(c, true, PG_DRAIN_MS);
        else if (cx && (sm_cx_remaining_ms(cx) >= 0 || sm_cx_cancelled(cx)))
            rc = drain_within(cx, c);
        else
            sm_pg_abandon(c, false, PG_TX_DRAIN_MS);
    }
    if (st->cursor_open) {
        int k = sm_pg_cursor_close(cx, c, st);
        rc = rc != SM_OK ? rc : k;
    }
    PQclear(st->res);
    st->res = NULL;
    st->row = st->nrows = 0;
    if (st->changes < 0)
        st->changes = 0;
    return rc;
}

int sm_pg_batch_ids(sm_cx *cx, sm_stmt *sst, int rc, int64_t step, int64_t *ids, size_t count)
{
    (void)step; /* RETURNING: the keys themselves */
    size_t k = 0;
    for (; rc == SM_ROW && k < count; k++) {
        ids[k] = sm_pg_get_int(sst, 0);
        rc = pg_next(cx, sst);
    }
    if (rc == SM_DONE && k != count)
        return sm_cx_fail(cx, SM_ERROR, "the insert returned %zu keys for %zu rows", k, count);
    return rc == SM_ROW ? sm_cx_fail(cx, SM_ERROR, "the insert returned more keys than rows")
                        : rc;
}

/* ---- Pipelines ------------------------------------------------------------- */

/*
 * The executions of a pipeline go out in segments, each one round trip:
 * enter pipeline mode, send Bind/Execute per execution, one Sync, read
 * the results in order, leave pipeline mode.  There is one segment unless
 * a statement must be prepared again first (it failed stale in an earlier
 * pipeline), which is done between segments.  After the first failure
 * the server skips the rest up to the Sync (PGRES_PIPELINE_ABORTED);
 * when the deadline or a cancel interrupts the wait, the statement
 * running is cancelled and everything up to the Sync drained (pg_io.c),
 * which also leaves pipeline mode.
 */

/* Reads the results of executions [from, to) (statements in sts) and
 * the Sync, and leaves pipeline mode.  rc: the code so far (a failure
 * stops calling p->row but the results are still read). */
static int read_segment(sm_cx *cx, sm_pg_conn *c, sm_pipe *p, sm_stmt **sts, size_t from,
                        size_t to, int rc)
{
    PGresult *r;
    int k2;
    for (size_t k = from; k < to; k++) {
        sm_pg_stmt *st = pgs(sts[k - from]);
        for (;;) {
            if ((k2 = sm_pg_next_result(cx, c, &r)) != SM_OK)
                return rc != SM_OK ? rc : k2; /* interrupted: drained, out of pipeline mode */
            if (!r)
                break;
            ExecStatusType s = PQresultStatus(r);
            if ((s == PGRES_TUPLES_OK || s == PGRES_COMMAND_OK) && rc == SM_OK) {
                int more = take_result(st, r);
                for (; more == SM_ROW && rc == SM_OK; more = pg_next(cx, &st->base))
                    if ((rc = p->row(cx, p->ud, k, &st->base)) != SM_OK)
                        p->failed = k;
                continue;
            }
            if (s == PGRES_FATAL_ERROR && rc == SM_OK) {
                rc = sm_pg_error(cx, c->pg, r);
                const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
                if (rc == SM_STALE) {
                    /* The schema changed under the batch: the others of
                     * its statements are prepared again too (harmless
                     * if they were fine), not found stale one per call. */
                    for (size_t j = 0; j < to - from; j++)
                        pgs(sts[j])->stale = true;
                    st->gone = state && strcmp(state, "26000") == 0;
                    rc = sm_cx_fail(cx, SM_ERROR, "the statement's plan is stale after a "
                                                  "schema change (it is prepared again on its "
                                                  "next use)");
                }
                p->failed = k;
            } else if (s != PGRES_PIPELINE_ABORTED && s != PGRES_FATAL_ERROR && rc == SM_OK) {
                rc = sm_cx_fail(cx, SM_ERROR, "unexpected result in a pipeline: %s",
                                PQresStatus(s));
                p->failed = k;
            }
            PQclear(r);
        }
    }
    /* The Sync. */
    if ((k2 = sm_pg_next_result(cx, c, &r)) != SM_OK)
        return rc != SM_OK ? rc : k2;
    ExecStatusType s = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    PQclear(r);
    if (s != PGRES_PIPELINE_SYNC || !PQexitPipelineMode(c->pg)) {
        sm_pg_abandon(c, false, PG_DRAIN_MS);
        if (c->broken)
            return sm_pg_lost(cx, c);
    }
    return rc;
}

static int pg_pipeline(sm_cx *cx, sm_conn *conn, sm_pipe *p)
{
    sm_pg_conn *c = pgc(conn);
    int rc = sm_pg_usable(cx, c);
    if (rc != SM_OK)
        return rc;
    sm_stmt **sts = malloc(p->njobs * sizeof *sts);
    if (!sts)
        return sm_cx_fail(cx, SM_NOMEM, "out of memory starting a pipeline");
    bool in_tx = PQtransactionStatus(c->pg) != PQTRANS_IDLE;
    for (size_t k = 0; k < p->njobs && rc == SM_OK;) {
        size_t from = k;
        if (!PQenterPipelineMode(c->pg)) {
            rc = sm_cx_fail(cx, SM_ERROR, "PostgreSQL refused pipeline mode");
            break;
        }
        for (; k < p->njobs && rc == SM_OK; k++) {
            sm_stmt *sst;
            const sm_value *params;
            size_t n;
            if ((rc = p->job(cx, p->ud, k, &sst, &params, &n)) != SM_OK)
                break;
            sm_pg_stmt *st = pgs(sst);
            if (st->stale && k > from)
                break; /* prepared again in a segment of its own */
            if (st->stale) {
                PQexitPipelineMode(c->pg); /* nothing sent yet */
                if ((rc = pg_reprepare(cx, sst)) != SM_OK)
                    break;
                if (!PQenterPipelineMode(c->pg)) {
                    rc = sm_cx_fail(cx, SM_ERROR, "PostgreSQL refused pipeline mode");
                    break;
                }
            }
            if ((rc = pg_reset(cx, sst)) != SM_OK || (rc = bind_params(cx, c, st, params, n)) != SM_OK)
                break;
            st->changes = 0;
            st->insert_id = 0;
            st->in_tx = in_tx;
            if (!PQsendQueryPrepared(c->pg, st->name, (int)n, st->values, st->lengths, st->formats,
                                     0)) {
                rc = sm_pg_lost(cx, c);
                break;
            }
            sts[k - from] = sst;
        }
        if (rc != SM_OK)
            p->failed = k;
        if (PQpipelineStatus(c->pg) == PQ_PIPELINE_OFF)
            break; /* a re-preparation failed with nothing in flight */
        if (c->broken || !PQpipelineSync(c->pg)) {
            rc = sm_pg_lost(cx, c);
            break;
        }
        c->base.stats.round_trips++;
        rc = read_segment(cx, c, p, sts, from, k, rc);
    }
    free(sts);
    return rc;
}

const sm_driver sm_driver_pg = {
    .version = SM_DRIVER_VERSION,
    .name = "postgres",
    .dialect = SM_POSTGRES,
    .url = &sm_pg_url,
    .sql = &sm_pg_rules,
    .open = sm_pg_open,
    .close = sm_pg_close,
    .prepare = pg_prepare,
    .finalize = pg_finalize,
    .reprepare = pg_reprepare,
    .execute = pg_execute,
    .next = pg_next,
    .reset = pg_reset,
    .ncols = sm_pg_ncols,
    .colname = sm_pg_colname,
    .is_null = sm_pg_is_null,
    .get_int = sm_pg_get_int,
    .get_real = sm_pg_get_real,
    .get_text = sm_pg_get_text,
    .get_blob = sm_pg_get_blob,
    .coltype = sm_pg_coltype,
    .changes = sm_pg_changes,
    .insert_id = sm_pg_insert_id,
    .exec_script = sm_pg_script,
    .cancel = sm_pg_cancel,
    .bind_decimal = sm_pg_bind_decimal,
    .get_decimal = sm_pg_get_decimal,
    .datetime_suffix = "+00", /* timestamptz never depends on the session's zone */
    .list_value = sm_pg_list_value,
    .begin_sql = "BEGIN",
    .ident_quote = '"',
    .tx_ddl = true,
    .ddl_script = sm_pg_script,
    .batch_rows = 1000,
    .max_params = SM_PG_MAX_PARAMS,
    .batch_ids = sm_pg_batch_ids,
    .ping = sm_pg_ping,
    .in_tx = sm_pg_in_tx,
    .reset_session = sm_pg_reset_session,
    .lock = sm_pg_lock,
    .unlock = sm_pg_unlock,
    .pipeline = pg_pipeline,
};
