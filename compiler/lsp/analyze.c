/*
 * analyze.c: a document parsed and checked as `smc check` would, from the
 * texts the editor holds: every open document is an overlay, so an
 * import of an open file reads its unsaved text.  Imports are looked up
 * next to the file, in the -I directories, then in the standard library.
 * The names the checker resolves are recorded (ctx.refs) for navigation.
 */
#include "lsp.h"

#include <stdlib.h>
#include <string.h>

typedef struct analyze_job {
    lsp_server *sv;
    lsp_doc *doc;
    lsp_analysis *an;
} analyze_job;

static void setup(smc_ctx *ctx, void *arg)
{
    analyze_job *j = arg;
    lsp_server *sv = j->sv;
    ctx->incdirs = smc_alloc(ctx, (sv->nincdirs + 4) * sizeof *ctx->incdirs);
    for (size_t i = 0; i < sv->nincdirs; i++)
        ctx->incdirs[ctx->nincdirs++] = sv->incdirs[i];
    ctx->nuser_incdirs = ctx->nincdirs;
    if (sv->add_stdlib)
        sv->add_stdlib(ctx);
    for (lsp_doc *d = sv->docs; d; d = d->next)
        if (!smc_overlay_set(ctx, d->path, d->text, d->len))
            smc_out_of_memory(ctx);
    ctx->refs = &j->an->refs;
}

lsp_analysis *lsp_analyze(lsp_server *sv, lsp_doc *d)
{
    if (d->an)
        return d->an;
    lsp_analysis *an = calloc(1, sizeof *an);
    if (!an)
        return NULL;
    smc_ctx_init(&an->ctx);
    an->main = -1;
    analyze_job j = {sv, d, an};
    if (!smc_guarded(&an->ctx, setup, &j)) {
        lsp_analysis_free(an);
        return NULL;
    }
    an->main = smc_source_load(&an->ctx, d->path, NULL);
    if (an->main >= 0)
        an->file = smc_parse_file(&an->ctx, (uint32_t)an->main);
    if (an->file) {
        smc_check(&an->ctx, an->file);
        an->checked = true;
    }
    d->an = an;
    return an;
}

void lsp_analysis_free(lsp_analysis *an)
{
    if (!an)
        return;
    smc_ctx_free(&an->ctx);
    free(an);
}
