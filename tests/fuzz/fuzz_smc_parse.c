/*
 * fuzz_smc_parse.c: the lexer and parser on arbitrary bytes.  The
 * parser's contract: a file comes back exactly when no error was
 * reported; diagnostics point inside the input and render as text and as
 * valid JSON.
 */
#include "fuzz_smc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    smc_ctx ctx;
    uint32_t id = fuzz_smc_start(&ctx, data, size);
    smc_file *f = smc_parse_file(&ctx, id);
    FUZZ_CHECK((f != NULL) == (ctx.nerrors == 0),
               "smc_parse_file returned %s with %d errors", f ? "a file" : "NULL", ctx.nerrors);
    fuzz_smc_check_diags(&ctx);
    smc_ctx_free(&ctx);
    return 0;
}
