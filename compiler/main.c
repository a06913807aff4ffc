/* main.c: the smc command line (DESIGN 6). */
#include "sema.h"

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc < 3 || strcmp(argv[1], "check") != 0) {
        fputs("usage: smc check FILE\n", stderr);
        return 2;
    }
    smc_ctx ctx;
    smc_ctx_init(&ctx);
    int id = smc_source_load(&ctx, argv[2], NULL);
    smc_file *f = id >= 0 ? smc_parse_file(&ctx, (uint32_t)id) : NULL;
    if (f)
        smc_check(&ctx, f);
    sm_buf out = SM_BUF_INIT;
    smc_diag_render_text(&ctx, &out);
    if (out.len)
        fputs(out.data, stderr);
    sm_buf_free(&out);
    int rc = ctx.nerrors ? 1 : 0;
    smc_ctx_free(&ctx);
    return rc;
}
