/*
 * source.c: source files, from disk or from memory.  Files are read
 * whole, with a NUL after the last byte (the lexer's sentinel), and get a
 * table of line starts so positions are computed only when printed.  An
 * overlay of texts by path (an editor's unsaved buffers) is consulted
 * before the disk.
 */
#include "map.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* Adds a source; unwinds when out of memory. */
static int add_source(smc_ctx *ctx, const char *path, const char *text, size_t len)
{
    if (len > UINT32_MAX - 1) {
        smc_error(ctx, smc_no_span(), SMC_E_IO, "'%s' is too large", path);
        return -1;
    }
    if (ctx->nfiles == UINT32_MAX - 1) {
        smc_error(ctx, smc_no_span(), SMC_E_IO, "too many files");
        return -1;
    }
    smc_source *src = smc_alloc(ctx, sizeof *src);
    src->path = smc_strdup(ctx, path);
    src->text = smc_alloc(ctx, len + 1);
    if (len)
        memcpy(src->text, text, len);
    src->len = (uint32_t)len;
    index_lines(ctx, src);
    ctx->files = smc_grow(ctx, ctx->files, ctx->nfiles, sizeof *ctx->files);
    ctx->files[ctx->nfiles] = src;
    return (int)ctx->nfiles++;
}

typedef struct add_job {
    const char *path, *text;
    size_t len;
    const smc_span *from;
    sm_buf buf; /* a file's contents, on the heap while it is read */
    int id;
} add_job;

static void add_body(smc_ctx *ctx, void *arg)
{
    add_job *j = arg;
    j->id = add_source(ctx, j->path, j->text, j->len);
}

int smc_source_add(smc_ctx *ctx, const char *path, const char *text, size_t len)
{
    add_job j = {path, text, len, NULL, SM_BUF_INIT, -1};
    if (!smc_guarded(ctx, add_body, &j)) {
        smc_oom_unwind(ctx);
        return -1;
    }
    return j.id;
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

/* ---- Paths and the overlay ------------------------------------------------------- */

char *smc_path_normalize(smc_ctx *ctx, const char *path)
{
    size_t n = strlen(path);
    char *out = smc_alloc(ctx, n + 2);
    /* mark[k]: the length of out before component k was appended. */
    size_t *mark = smc_alloc(ctx, (n / 2 + 2) * sizeof *mark);
    size_t nparts = 0, len = 0;
    bool absolute = path[0] == '/';
    if (absolute)
        out[len++] = '/';
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && path[j] != '/')
            j++;
        const char *part = path + i;
        size_t k = j - i;
        i = j + 1;
        if (k == 0 || (k == 1 && part[0] == '.'))
            continue;
        if (k == 2 && part[0] == '.' && part[1] == '.') {
            size_t m = nparts ? mark[nparts - 1] : 0;
            const char *last = out + m + (out[m] == '/' && m > 0);
            bool last_up = nparts && strncmp(last, "..", 2) == 0 && out + len == last + 2;
            if (nparts && !last_up) { /* "dir/.." cancels out */
                len = mark[--nparts];
                continue;
            }
            if (absolute)
                continue; /* "/.." is "/" */
        }
        mark[nparts++] = len;
        if (len > 0 && out[len - 1] != '/')
            out[len++] = '/';
        memcpy(out + len, part, k);
        len += k;
    }
    if (len == 0)
        out[len++] = '.';
    out[len] = 0;
    return out;
}

typedef struct overlay_text {
    const char *text;
    size_t len;
} overlay_text;

static void overlay_set_body(smc_ctx *ctx, void *arg)
{
    add_job *j = arg;
    overlay_text *o = smc_alloc(ctx, sizeof *o);
    o->text = smc_strndup(ctx, j->text, j->len);
    o->len = j->len;
    smc_map_set(ctx, &ctx->overlay, smc_path_normalize(ctx, j->path), o);
}

bool smc_overlay_set(smc_ctx *ctx, const char *path, const char *text, size_t len)
{
    add_job j = {path, text, len, NULL, SM_BUF_INIT, -1};
    if (!smc_guarded(ctx, overlay_set_body, &j)) {
        smc_oom_unwind(ctx);
        return false;
    }
    return true;
}

/* The overlay entry of path; unwinds when out of memory. */
static const overlay_text *overlay_find(smc_ctx *ctx, const char *path)
{
    if (!ctx->overlay.len)
        return NULL;
    return smc_map_get(&ctx->overlay, smc_path_normalize(ctx, path));
}

static void overlay_get_body(smc_ctx *ctx, void *arg)
{
    add_job *j = arg;
    const overlay_text *o = overlay_find(ctx, j->path);
    j->text = o ? o->text : NULL;
    j->len = o ? o->len : 0;
}

const char *smc_overlay_get(smc_ctx *ctx, const char *path, size_t *len)
{
    add_job j = {path, NULL, 0, NULL, SM_BUF_INIT, -1};
    if (!smc_guarded(ctx, overlay_get_body, &j)) {
        smc_oom_unwind(ctx);
        j.text = NULL, j.len = 0;
    }
    *len = j.len;
    return j.text;
}

/* ---- Loading ------------------------------------------------------------------------ */

static void load_body(smc_ctx *ctx, void *arg)
{
    add_job *j = arg;
    const overlay_text *o = overlay_find(ctx, j->path);
    if (o) {
        j->id = add_source(ctx, j->path, o->text, o->len);
        return;
    }
    FILE *f = fopen(j->path, "rb");
    int err = 0;
    bool nomem = false;
    if (f) {
        char chunk[65536];
        size_t n;
        while (!nomem && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
            nomem = sm_buf_append(&j->buf, chunk, n) != SM_OK;
        if (!nomem && ferror(f))
            err = errno ? errno : EIO;
        fclose(f);
    } else {
        err = errno;
    }
    if (nomem)
        smc_out_of_memory(ctx);
    if (err) {
        if (j->from)
            smc_error(ctx, *j->from, SMC_E_IMPORT, "cannot read '%s': %s", j->path, strerror(err));
        else
            smc_error(ctx, smc_no_span(), SMC_E_IO, "cannot read '%s': %s", j->path, strerror(err));
        return;
    }
    j->id = add_source(ctx, j->path, j->buf.data ? j->buf.data : "", j->buf.len);
}

int smc_source_load(smc_ctx *ctx, const char *path, const smc_span *from)
{
    add_job j = {path, NULL, 0, from, SM_BUF_INIT, -1};
    bool ok = smc_guarded(ctx, load_body, &j);
    sm_buf_free(&j.buf);
    if (!ok) {
        smc_oom_unwind(ctx);
        return -1;
    }
    return j.id;
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
