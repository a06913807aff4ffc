/*
 * diag.c: textDocument/publishDiagnostics from the checker's diagnostics.
 * Ranges are exact (UTF-16 positions); a note with a position becomes
 * related information, one without is added to the message.  A
 * diagnostic in an imported file is shown on the import that brings it
 * in, with its own position in the message.
 */
#include "lsp.h"

#include <string.h>

#define ZERO_RANGE "{\"start\":{\"line\":0,\"character\":0},\"end\":{\"line\":0,\"character\":0}}"

/* The import of the document's file that leads to file `file` (the
 * first import when the chain is indirect), or NULL. */
static const smc_decl *import_of(lsp_analysis *an, uint32_t file)
{
    if (!an->file)
        return NULL;
    const smc_decl *first = NULL;
    for (const smc_decl *d = an->file->decls; d; d = d->next) {
        if (d->kind != SMC_D_IMPORT)
            continue;
        if (d->imported && d->imported->source == file)
            return d;
        if (!first)
            first = d;
    }
    return first;
}

static void put_diag(sm_buf *b, lsp_analysis *an, const smc_diag *dg)
{
    smc_ctx *ctx = &an->ctx;
    const smc_source *main = ctx->files[an->main];
    smc_span at = dg->span;
    sm_buf msg = SM_BUF_INIT;
    if (at.file != (uint32_t)an->main && at.file != SMC_NO_FILE && at.file < ctx->nfiles) {
        const smc_source *src = ctx->files[at.file];
        uint32_t line, col;
        smc_source_pos(src, at.off, &line, &col);
        sm_buf_printf(&msg, "%s:%u:%u: ", src->path, line, col);
        const smc_decl *imp = import_of(an, at.file);
        at = imp ? imp->name.span : smc_no_span();
    }
    sm_buf_puts(&msg, dg->msg);
    for (const smc_diag_note *n = dg->notes; n; n = n->next)
        if (!n->has_span)
            sm_buf_printf(&msg, "\nnote: %s", n->msg);
    sm_buf_puts(b, "{\"range\":");
    if (at.file == (uint32_t)an->main)
        lsp_put_range(b, main, at.off, at.len);
    else
        lsp_put_range(b, main, 0, 0);
    sm_buf_printf(b, ",\"severity\":%d,\"code\":", dg->sev == SMC_SEV_ERROR ? 1 : 2);
    smc_json_quote(b, dg->code, strlen(dg->code));
    sm_buf_puts(b, ",\"source\":\"smc\",\"message\":");
    smc_json_quote(b, msg.data ? msg.data : "", msg.len);
    sm_buf_free(&msg);
    bool any = false;
    for (const smc_diag_note *n = dg->notes; n; n = n->next) {
        if (!n->has_span || n->span.file == SMC_NO_FILE || n->span.file >= ctx->nfiles)
            continue;
        sm_buf_puts(b, any ? "," : ",\"relatedInformation\":[");
        any = true;
        sm_buf_puts(b, "{\"location\":");
        lsp_put_location(b, ctx, n->span);
        sm_buf_puts(b, ",\"message\":");
        smc_json_quote(b, n->msg, strlen(n->msg));
        sm_buf_putc(b, '}');
    }
    if (any)
        sm_buf_putc(b, ']');
    sm_buf_putc(b, '}');
}

void lsp_publish_diagnostics(lsp_server *sv, lsp_doc *d)
{
    lsp_analysis *an = lsp_analyze(sv, d);
    sm_buf b = SM_BUF_INIT;
    sm_buf_puts(&b, "{\"uri\":");
    smc_json_quote(&b, d->uri, strlen(d->uri));
    sm_buf_printf(&b, ",\"version\":%lld,\"diagnostics\":[", (long long)d->version);
    bool first = true;
    if (!an || an->ctx.oom) {
        sm_buf_printf(&b, "{\"range\":%s,\"severity\":1,\"code\":\"%s\",\"source\":\"smc\","
                          "\"message\":\"out of memory; stopped\"}", ZERO_RANGE,
                      smc_code_str(SMC_E_OOM));
        first = false;
    }
    /* A buffer not saved yet has no file name for its module to match. */
    bool unnamed = strncmp(d->uri, "file:", 5) != 0;
    if (an && an->main >= 0) {
        for (const smc_diag *dg = an->ctx.diags; dg; dg = dg->next) {
            if (unnamed && strcmp(dg->code, "-Wmodule-name") == 0)
                continue;
            if (!first)
                sm_buf_putc(&b, ',');
            first = false;
            put_diag(&b, an, dg);
        }
    } else if (an && an->ctx.diags && first) { /* the file itself could not be loaded */
        sm_buf_printf(&b, "{\"range\":%s,\"severity\":1,\"source\":\"smc\",\"message\":",
                      ZERO_RANGE);
        smc_json_quote(&b, an->ctx.diags->msg, strlen(an->ctx.diags->msg));
        sm_buf_putc(&b, '}');
    }
    sm_buf_puts(&b, "]}");
    lsp_notify(sv, "textDocument/publishDiagnostics", b.data, b.len);
    sm_buf_free(&b);
}
