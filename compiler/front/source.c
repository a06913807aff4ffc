/*
 * source.c: the compiler context and its source files.  Files are read
 * whole, with a NUL after the last byte (the lexer's sentinel), and get a
 * table of line starts so positions are computed only when printed.
 */
#include "smc.h"

#include <errno.h>
#include <stdarg.h>
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
    free(ctx->files);
    sm_arena_free(&ctx->arena);
    memset(ctx, 0, sizeof *ctx);
}

/* The compiler is a short-lived process: running out of memory ends it. */
static void *check(void *p)
{
    if (!p) {
        fputs("smc: out of memory\n", stderr);
        exit(3);
    }
    return p;
}

void *smc_alloc(smc_ctx *ctx, size_t n)
{
    return check(sm_arena_zalloc(&ctx->arena, n ? n : 1));
}

char *smc_strndup(smc_ctx *ctx, const char *s, size_t n)
{
    return check(sm_arena_strndup(&ctx->arena, s, n));
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

void *smc_grow(smc_ctx *ctx, void *items, size_t n, size_t size)
{
    void *more = smc_alloc(ctx, (n + 1) * size);
    if (n)
        memcpy(more, items, n * size);
    return more;
}

static void index_lines(smc_ctx *ctx, smc_source *src)
{
    uint32_t n = 1;
    for (uint32_t i = 0; i < src->len; i++)
        if (src->text[i] == '\n')
            n++;
    src->lines = smc_alloc(ctx, n * sizeof *src->lines);
    src->nlines = n;
    uint32_t k = 0;
    src->lines[k++] = 0;
    for (uint32_t i = 0; i < src->len; i++)
        if (src->text[i] == '\n')
            src->lines[k++] = i + 1;
}

int smc_source_add(smc_ctx *ctx, const char *path, const char *text, size_t len)
{
    if (len > UINT32_MAX - 1) {
        smc_error(ctx, smc_no_span(), SMC_E_IO, "'%s' is too large", path);
        return -1;
    }
    if (ctx->nfiles == ctx->capfiles) {
        uint32_t cap = ctx->capfiles ? ctx->capfiles * 2 : 8;
        ctx->files = check(realloc(ctx->files, cap * sizeof *ctx->files));
        ctx->capfiles = cap;
    }
    smc_source *src = smc_alloc(ctx, sizeof *src);
    src->path = smc_strdup(ctx, path);
    src->text = smc_alloc(ctx, len + 1);
    memcpy(src->text, text, len);
    src->len = (uint32_t)len;
    index_lines(ctx, src);
    ctx->files[ctx->nfiles] = src;
    return (int)ctx->nfiles++;
}

const char *smc_source_stem(smc_ctx *ctx, const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    size_t n = strlen(base);
    if (n > 5 && strcmp(base + n - 5, ".smdl") == 0)
        n -= 5;
    return smc_strndup(ctx, base, n);
}

int smc_source_load(smc_ctx *ctx, const char *path, const smc_span *from)
{
    FILE *f = fopen(path, "rb");
    sm_buf b = SM_BUF_INIT;
    int err = 0;
    if (f) {
        char chunk[65536];
        size_t n;
        while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
            if (sm_buf_append(&b, chunk, n) != SM_OK) {
                err = ENOMEM;
                break;
            }
        if (ferror(f))
            err = errno ? errno : EIO;
        fclose(f);
    } else {
        err = errno;
    }
    if (err) {
        sm_buf_free(&b);
        if (from)
            smc_error(ctx, *from, SMC_E_IMPORT, "cannot read '%s': %s", path, strerror(err));
        else
            smc_error(ctx, smc_no_span(), SMC_E_IO, "cannot read '%s': %s", path, strerror(err));
        return -1;
    }
    int id = smc_source_add(ctx, path, b.data ? b.data : "", b.len);
    sm_buf_free(&b);
    return id;
}

void smc_source_pos(const smc_source *src, uint32_t off, uint32_t *line, uint32_t *col)
{
    uint32_t lo = 0, hi = src->nlines;
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (src->lines[mid] <= off)
            lo = mid;
        else
            hi = mid;
    }
    *line = lo + 1;
    *col = off - src->lines[lo] + 1;
}
