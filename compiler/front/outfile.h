/*
 * outfile.h: the files smc writes (outfile.c): generated code, migration
 * files, sums and snapshots.  Each function says why it failed on
 * stderr ("smc: cannot ...").
 */
#ifndef SMC_OUTFILE_H
#define SMC_OUTFILE_H

#include <stdbool.h>
#include <stddef.h>

/* mkdir -p: every missing directory of path. */
bool smc_mkdirs(const char *path);
/* Writes path atomically: a temporary file beside it, renamed over it, so
 * that a reader sees the old file or the new one, never a part. */
bool smc_write_atomic(const char *path, const char *data, size_t len);

#endif
