/*
 * files.h: the migrations directory (files.c).  Paths and lists live in
 * the context's arena.
 */
#ifndef SMC_MIGRATE_FILES_H
#define SMC_MIGRATE_FILES_H

#include "migrate.h"
#include "outfile.h"

/* "up", "down": the file names' middle part, <dialect>.<dir>.sql. */
extern const char *const smc_mig_dirs[2];

/* Is name a migration name: [a-z0-9_], 1 to 64 bytes? */
bool smc_mig_name_ok(const char *name);

/* The migrations of dir ("NNNN_name" directories), sorted, and the
 * highest number.  A missing dir is an empty list (exists false); false
 * when it cannot be read (errno). */
typedef struct smc_mig_dir {
    char **names;
    uint32_t n;
    int last;
    bool exists;
} smc_mig_dir;
bool smc_mig_list(smc_ctx *ctx, const char *dir, smc_mig_dir *out);

/* A whole file (writing: outfile.h). */
bool smc_mig_read(const char *path, sm_buf *out);

/* DIR/sums: file (relative to DIR) -> 16 hex digits.  A missing file is
 * empty; false with *why for one that cannot be read or parsed. */
typedef struct smc_mig_sums {
    char **files, **sums;
    uint32_t n;
} smc_mig_sums;
bool smc_mig_sums_read(smc_ctx *ctx, const char *dir, smc_mig_sums *out, const char **why);
const char *smc_mig_sums_find(const smc_mig_sums *s, const char *file);
void smc_mig_sums_add(smc_ctx *ctx, smc_mig_sums *s, const char *file, const char *sum);
/* The lines of `sums`, sorted. */
void smc_mig_sums_format(smc_ctx *ctx, const smc_mig_sums *s, sm_buf *out);

#endif
