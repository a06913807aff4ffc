/*
 * format.c: textDocument/formatting through the canonical printer of
 * `smc fmt`: the same text, byte for byte, as one edit of the whole
 * document.  A document with syntax errors is not formatted (the printer
 * needs its whole tree): the request fails and says so.
 */
#include "lsp.h"

#include "print.h"

#include <string.h>

const char *lsp_format(lsp_server *sv, const lsp_json *params, sm_buf *out, int *code)
{
    const char *uri = lsp_json_str(lsp_json_get(params, "textDocument"), "uri");
    lsp_doc *d = uri ? lsp_doc_find(sv, uri) : NULL;
    *code = LSP_INVALID_PARAMS;
    if (!d)
        return uri ? "the document is not open" : "expected textDocument.uri";
    smc_ctx ctx;
    smc_ctx_init(&ctx);
    int id = smc_source_add(&ctx, d->path, d->text, d->len);
    smc_file *f = id >= 0 ? smc_parse_file(&ctx, (uint32_t)id) : NULL;
    const char *err = NULL;
    sm_buf text = SM_BUF_INIT;
    if (!f || ctx.nerrors) {
        *code = LSP_REQUEST_FAILED;
        err = ctx.oom ? "out of memory" : "the document has syntax errors: not formatted";
    } else if (!smc_print_file(&ctx, f, &text)) {
        *code = LSP_INTERNAL_ERROR;
        err = "out of memory";
    } else if (text.len == d->len && memcmp(text.data, d->text, d->len) == 0) {
        sm_buf_puts(out, "[]");
    } else {
        const smc_source *src = ctx.files[id];
        sm_buf_puts(out, "[{\"range\":");
        lsp_put_range(out, src, 0, src->len);
        sm_buf_puts(out, ",\"newText\":");
        smc_json_quote(out, text.data ? text.data : "", text.len);
        sm_buf_puts(out, "}]");
    }
    sm_buf_free(&text);
    smc_ctx_free(&ctx);
    return err;
}
