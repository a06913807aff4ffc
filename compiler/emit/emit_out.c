/*
 * emit_out.c: the context a failed append unwinds (emit_out.h).  The
 * appenders take no context, as the emitters' many small writers take
 * none; smc_out_run names it for the thread while an entry point runs,
 * and puts the previous one back however the run ends, so contexts used
 * one after the other or on other threads never see each other's.
 */
#include "emit_out.h"

#include <stdio.h>
#include <stdlib.h>

static _Thread_local smc_ctx *emitting;

void smc_out_check(int rc)
{
    if (rc == SM_OK)
        return;
    if (emitting)
        smc_out_of_memory(emitting);
    /* An emitter called outside smc_out_run is a bug of the caller. */
    fputs("smc: out of memory outside an emitter's run\n", stderr);
    abort();
}

void smc_out_run(smc_ctx *ctx, void (*fn)(smc_ctx *ctx, void *arg), void *arg)
{
    smc_ctx *outer = emitting;
    emitting = ctx;
    bool ok = smc_guarded(ctx, fn, arg);
    emitting = outer;
    if (!ok)
        smc_oom_unwind(ctx);
}
