/*
 * fuzz_smc_parse.c: the lexer and parser on arbitrary bytes.  The
 * parser's contract: a file comes back marked parse_errors exactly when
 * errors were reported (or none comes back, after an error); diagnostics
 * point inside the input and render as text and as valid JSON.  The canonical printer's (smc fmt): what parses prints as
 * a text that parses, holds the same comments and prints the same again.
 */
#include "fuzz_smc.h"
#include "print.h"

#include <string.h>

static void check_printer(smc_ctx *ctx, const smc_file *f)
{
    sm_buf p1 = SM_BUF_INIT, p2 = SM_BUF_INIT;
    if (!smc_print_file(ctx, f, &p1)) {
        sm_buf_free(&p1);
        return; /* out of memory: nothing to compare */
    }
    smc_ctx again;
    uint32_t id = fuzz_smc_start(&again, (const uint8_t *)(p1.data ? p1.data : ""), p1.len);
    smc_file *g = smc_parse_file(&again, id);
    FUZZ_CHECK(g != NULL, "the printed text does not parse:\n%.*s", (int)p1.len, p1.data);
    const smc_comment *x = f->comments, *y = g->comments;
    const char *tx = ctx->files[f->source]->text, *ty = again.files[g->source]->text;
    for (; x && y; x = x->next, y = y->next)
        FUZZ_CHECK(x->span.len == y->span.len &&
                       memcmp(tx + x->span.off, ty + y->span.off, x->span.len) == 0,
                   "a comment changed in printing");
    FUZZ_CHECK(!x && !y, "printing lost or added a comment");
    if (smc_print_file(&again, g, &p2))
        FUZZ_CHECK(p1.len == p2.len && memcmp(p1.data, p2.data, p1.len) == 0,
                   "printing is not idempotent:\n%.*s\n----\n%.*s", (int)p1.len, p1.data,
                   (int)p2.len, p2.data);
    sm_buf_free(&p1);
    sm_buf_free(&p2);
    smc_ctx_free(&again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    smc_ctx ctx;
    uint32_t id = fuzz_smc_start(&ctx, data, size);
    smc_file *f = smc_parse_file(&ctx, id);
    FUZZ_CHECK(f ? f->parse_errors == (ctx.nerrors > 0) : ctx.nerrors > 0 || ctx.oom,
               "smc_parse_file returned %s with %d errors", f ? "a file" : "NULL", ctx.nerrors);
    fuzz_smc_check_diags(&ctx);
    if (f && !f->parse_errors)
        check_printer(&ctx, f);
    smc_ctx_free(&ctx);
    return 0;
}
