/*
 * alloc.c: the context's memory.  Everything lives in one arena, freed
 * at once.  Running out of memory (the arena fails, or the budget
 * max_bytes is spent) is recorded in the context and unwinds to the
 * innermost smc_guarded call with longjmp: the arena owns every
 * allocation, so unwinding leaks nothing, and the many call sites stay
 * free of checks for a failure they cannot handle better.
 */
#include "smc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void smc_ctx_init(smc_ctx *ctx)
{
    memset(ctx, 0, sizeof *ctx);
    sm_arena_init(&ctx->arena, 64 * 1024);
}

void smc_ctx_free(smc_ctx *ctx)
{
    sm_arena_free(&ctx->arena);
    memset(ctx, 0, sizeof *ctx);
}

/* ---- Recovery --------------------------------------------------------------- */

_Noreturn void smc_out_of_memory(smc_ctx *ctx)
{
    ctx->oom = true;
    if (ctx->recover)
        longjmp(ctx->recover->jb, 1);
    /* Allocating in a context outside any guard is a bug of the caller. */
    fputs("smc: out of memory outside smc_guarded\n", stderr);
    abort();
}

bool smc_guarded(smc_ctx *ctx, void (*fn)(smc_ctx *ctx, void *arg), void *arg)
{
    smc_recover here;
    here.outer = ctx->recover;
    ctx->recover = &here;
    if (setjmp(here.jb) != 0) {
        ctx->recover = here.outer;
        return false;
    }
    if (!ctx->oom)
        fn(ctx, arg);
    ctx->recover = here.outer;
    return !ctx->oom;
}

void smc_oom_unwind(smc_ctx *ctx)
{
    if (ctx->oom && ctx->recover)
        longjmp(ctx->recover->jb, 1);
}

/* ---- Allocation ---------------------------------------------------------------- */

/* Counts n bytes against the budget; false when it is spent. */
static bool budget(smc_ctx *ctx, size_t n)
{
    if (ctx->oom)
        return false;
    if (n > SIZE_MAX - ctx->used_bytes)
        return false;
    if (ctx->max_bytes && ctx->used_bytes + n > ctx->max_bytes)
        return false;
    ctx->used_bytes += n;
    return true;
}

static void *check(smc_ctx *ctx, void *p)
{
    if (!p)
        smc_out_of_memory(ctx);
    return p;
}

void *smc_alloc(smc_ctx *ctx, size_t n)
{
    n = n ? n : 1;
    if (!budget(ctx, n))
        smc_out_of_memory(ctx);
    return check(ctx, sm_arena_zalloc(&ctx->arena, n));
}

char *smc_strndup(smc_ctx *ctx, const char *s, size_t n)
{
    if (n == SIZE_MAX || !budget(ctx, n + 1))
        smc_out_of_memory(ctx);
    return check(ctx, sm_arena_strndup(&ctx->arena, s, n));
}

char *smc_strdup(smc_ctx *ctx, const char *s)
{
    return smc_strndup(ctx, s, strlen(s));
}

char *smc_vprintf(smc_ctx *ctx, const char *fmt, va_list ap)
{
    char tmp[256];
    if (!fmt) /* also tells gcc's format checks that it is not null */
        fmt = "";
    va_list aq;
    va_copy(aq, ap);
    int n = vsnprintf(tmp, sizeof tmp, fmt, aq);
    va_end(aq);
    if (n < 0)
        n = 0;
    char *s = smc_alloc(ctx, (size_t)n + 1);
    if ((size_t)n < sizeof tmp)
        memcpy(s, tmp, (size_t)n + 1);
    else
        vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

char *smc_printf(smc_ctx *ctx, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = smc_vprintf(ctx, fmt, ap);
    va_end(ap);
    return s;
}

/* ---- Growing arrays ------------------------------------------------------------ */

static size_t ptr_hash(const void *p)
{
    uintptr_t x = (uintptr_t)p >> 4; /* arena blocks are 16-byte aligned */
    x ^= x >> 17;
    x *= (uintptr_t)0x9E3779B97F4A7C15u;
    return (size_t)(x ^ (x >> 29));
}

static smc_grow_slot *grow_slot(smc_grow_table *t, const void *items)
{
    for (size_t i = ptr_hash(items) & (t->cap - 1);; i = (i + 1) & (t->cap - 1))
        if (!t->slots[i].items || t->slots[i].items == items)
            return &t->slots[i];
}

/* Records the capacity of an array smc_grow hands out. */
static void remember(smc_ctx *ctx, const void *items, size_t cap)
{
    smc_grow_table *t = &ctx->grown;
    if (2 * (t->len + 1) > t->cap) { /* keep the load under one half */
        smc_grow_table bigger = {NULL, t->cap ? 2 * t->cap : 64, 0};
        bigger.slots = smc_alloc(ctx, bigger.cap * sizeof *bigger.slots);
        for (size_t i = 0; i < t->cap; i++)
            if (t->slots[i].items) {
                *grow_slot(&bigger, t->slots[i].items) = t->slots[i];
                bigger.len++;
            }
        *t = bigger;
    }
    smc_grow_slot *s = grow_slot(t, items);
    if (!s->items)
        t->len++;
    s->items = items;
    s->cap = cap;
}

void *smc_grow(smc_ctx *ctx, void *items, size_t n, size_t size)
{
    if (items && ctx->grown.cap) {
        smc_grow_slot *s = grow_slot(&ctx->grown, items);
        if (s->items && n < s->cap)
            return items; /* room left: extend in place */
    }
    size_t cap = n < 4 ? 4 : 2 * n;
    if (size && cap > SIZE_MAX / size)
        smc_out_of_memory(ctx);
    void *more = smc_alloc(ctx, cap * size);
    if (n)
        memcpy(more, items, n * size);
    remember(ctx, more, cap);
    return more;
}
