/*
 * emit_out.h: how the emitters append to their output.  An append that
 * fails (memory ran out) must not leave a file silently shorter: every
 * append goes through these, and a failure ends the run as running out
 * of arena memory does (smc_out_of_memory: ctx->oom is set and the
 * enclosing smc_guarded returns false, so nothing is written).  The
 * entry points of the emitters (smc_emit_header, smc_emit_source,
 * smc_emit_sql_listing) run their work through smc_out_run, which names
 * the context a failed append unwinds.
 */
#ifndef SMC_EMIT_OUT_H
#define SMC_EMIT_OUT_H

#include "smc.h"

/* Unwinds as out of memory unless rc is SM_OK. */
void smc_out_check(int rc);

static inline void smc_out_puts(sm_buf *b, const char *s)
{
    smc_out_check(sm_buf_puts(b, s));
}

static inline void smc_out_putc(sm_buf *b, char c)
{
    smc_out_check(sm_buf_putc(b, c));
}

static inline void smc_out_append(sm_buf *b, const void *p, size_t n)
{
    smc_out_check(sm_buf_append(b, p, n));
}

/* A macro, so that the compiler checks the format against its arguments. */
#define smc_out_printf(b, ...) smc_out_check(sm_buf_printf((b), __VA_ARGS__))

/* Runs fn(ctx, arg) with failed appends unwinding ctx; when memory runs
 * out, continues unwinding to the caller's smc_guarded (if any, else it
 * returns with ctx->oom set). */
void smc_out_run(smc_ctx *ctx, void (*fn)(smc_ctx *ctx, void *arg), void *arg);

#endif
