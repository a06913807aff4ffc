/*
 * fmt_cmd.h: the `smc fmt` command (main.c parses its arguments).
 */
#ifndef SMC_FMT_CMD_H
#define SMC_FMT_CMD_H

#include "ast.h"

typedef enum smc_fmt_mode { SMC_FMT_PRINT, SMC_FMT_WRITE, SMC_FMT_CHECK } smc_fmt_mode;

/* Prints, rewrites or checks the parsed file f, read from path.  Returns
 * the exit status: 0, 1 when --check finds it not canonical, 2 when it
 * cannot be written, 3 out of memory. */
int smc_fmt_run(smc_ctx *ctx, const smc_file *f, const char *path, smc_fmt_mode mode);

#endif
