/*
 * pipe.c: sm_pipe_run (pipe.h).
 */
#include "pipe.h"

#include <stdint.h>

/* One execution through sm_stmt_exec (traced, stale plans re-prepared)
 * with its rows read to the end. */
static int run_one(sm_cx *cx, sm_pipe *p, size_t k)
{
    sm_stmt *st;
    const sm_value *params;
    size_t n;
    int rc = p->job(cx, p->ud, k, &st, &params, &n);
    if (rc != SM_OK)
        return rc;
    for (rc = sm_stmt_exec(cx, st, params, n); rc == SM_ROW; rc = sm_stmt_next(cx, st))
        if ((rc = p->row(cx, p->ud, k, st)) != SM_OK)
            break;
    int reset = st->conn->drv->reset(cx, st);
    return rc == SM_DONE ? reset : rc;
}

int sm_pipe_run(sm_cx *cx, sm_conn *conn, sm_pipe *p)
{
    int rc = SM_OK;
    p->failed = SIZE_MAX;
    if (!conn->drv->pipeline || p->njobs < 2 || conn->trace) {
        for (size_t k = 0; k < p->njobs && rc == SM_OK; k++)
            if ((rc = run_one(cx, p, k)) != SM_OK)
                p->failed = k;
        return rc;
    }
    if (sm_cx_check(cx) != SM_OK)
        return SM_INTERRUPTED;
    rc = conn->drv->pipeline(cx, conn, p);
    conn->stats.statements += p->failed == SIZE_MAX ? p->njobs : p->failed + 1;
    if (rc < 0 && p->failed != SIZE_MAX) {
        /* The failing execution's parameters again, for the redaction of
         * its secrets from the database's message. */
        sm_stmt *st;
        const sm_value *params;
        size_t n;
        if (p->job(cx, p->ud, p->failed, &st, &params, &n) == SM_OK)
            sm_cx_redact(cx, params, n);
    }
    return rc;
}
