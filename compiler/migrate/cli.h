/*
 * cli.h: `smc migrate new|check` (cli.c) and `rehash` (rehash.c), called by main.c with the
 * arguments after "migrate".
 */
#ifndef SMC_MIGRATE_CLI_H
#define SMC_MIGRATE_CLI_H

#include "smc.h"

#include <stdio.h>

/* add_stdlib appends the standard library directories to a context's
 * incdirs (after the -I ones), as smc's other commands find them.
 * Returns smc's exit status. */
int smc_migrate_main(int argc, char **argv, void (*add_stdlib)(smc_ctx *ctx));
/* `smc migrate rehash [-m DIR] [NNNN]` (rehash.c), the arguments after
 * "rehash". */
int smc_migrate_rehash(int argc, char **argv);

#endif
