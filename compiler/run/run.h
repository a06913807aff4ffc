/*
 * run.h: migrations in smc, beside the compiler proper: embedding a
 * migrations directory in generated code (embed.c) and the commands that
 * run migrations on a database (migrate_run.c), the only part of smc that
 * opens connections.  Both read the directory with libsmdl's one reader,
 * sm_migrations_read.
 */
#ifndef SMC_RUN_H
#define SMC_RUN_H

#include "smc.h"

#include <stdio.h>

/* The migrations of `smc FILE -o DIR [-m MDIR]`: MDIR, or else
 * <FILE's directory>/migrations when that exists (*dir_out: the directory
 * read, NULL when none).  Reads them into set (arena) and sets
 * ctx->migrations.  false after printing why. */
bool smc_embed_migrations(smc_ctx *ctx, const char *file, const char *mdir, sm_arena *arena,
                          sm_migration_set *set, const char **dir_out);
/* The depfile's dependencies on the embedded migrations: the directory
 * (a migration added or removed changes it) and every file read. */
bool smc_embed_depfile(sm_buf *d, const char *dir, const sm_migration_set *set);

/* `smc migrate up|status|down ...` (argv[1] is "migrate"): the exit
 * status, or -1 when argv[2] is none of these (another migrate command). */
int smc_migrate_run(int argc, char **argv);

#endif
