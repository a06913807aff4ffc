/*
 * verify.h: `smc migrate verify` (verify.c), called by cli.c with the
 * arguments after "verify".
 */
#ifndef SMC_MIGRATE_VERIFY_H
#define SMC_MIGRATE_VERIFY_H

#include "smc.h"

/* add_stdlib as for smc_migrate_main.  Returns smc's exit status: 0
 * when the two releases can run side by side against one database, 1
 * when they cannot (or an input does not check), 2 on usage errors, 3
 * when memory ran out. */
int smc_migrate_verify(int argc, char **argv, void (*add_stdlib)(smc_ctx *ctx));

#endif
