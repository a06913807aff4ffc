/*
 * rehash.c: `smc migrate rehash [-m DIR] [NNNN]` (docs/migrations.md,
 * "Editing a migration").  A migration file edited by hand no longer
 * matches its line in DIR/sums, and `smc migrate check` says so; rehash
 * writes the checksums of the migration named (NNNN or NNNN_name), or of
 * every migration of DIR, from the files as they are now.  Offline it
 * cannot know what a database has applied: the user runs it before the
 * migration reached any database (the runner refuses one whose applied
 * bytes changed, whatever `sums` says).
 */
#include "cli.h"
#include "files.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REHASH_USAGE "usage: smc migrate rehash [-m DIR] [NNNN | NNNN_name]\n"

static int usage(const char *fmt, const char *arg)
{
    fputs("smc: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\n" REHASH_USAGE "Run 'smc help migrate' for more.\n", stderr);
    return 2;
}

/* Does entry "NNNN_name" answer to `want` (its number, with or without
 * leading zeros, or the whole entry)? */
static bool named(const char *entry, const char *want)
{
    if (strcmp(entry, want) == 0)
        return true;
    size_t n = strspn(want, "0123456789");
    return n > 0 && n <= 4 && !want[n] && atoi(want) == atoi(entry);
}

typedef struct rjob {
    const char *dir, *which;
    int rc;
} rjob;

static void rehash(smc_ctx *ctx, void *arg)
{
    rjob *j = arg;
    smc_mig_dir ls;
    smc_mig_sums old, sums = {0};
    const char *why;
    if (!smc_mig_list(ctx, j->dir, &ls) || !ls.exists) {
        fprintf(stderr, "smc: %s '%s'%s%s\n", ls.exists ? "cannot read" : "no migrations directory",
                j->dir, ls.exists ? ": " : "", ls.exists ? strerror(errno) : "");
        j->rc = 1;
        return;
    }
    if (!smc_mig_sums_read(ctx, j->dir, &old, &why)) {
        fprintf(stderr, "smc: %s\n", why);
        j->rc = 1;
        return;
    }
    bool found = !j->which;
    for (uint32_t i = 0; i < ls.n; i++)
        found |= j->which && named(ls.names[i], j->which);
    if (!found) {
        fprintf(stderr, "smc: no migration '%s' in '%s'\n", j->which, j->dir);
        j->rc = 1;
        return;
    }
    /* The lines of the migrations left alone stay as they are; those of
     * a migration no longer in DIR go (rehashing all). */
    for (uint32_t i = 0; j->which && i < old.n; i++) {
        const char *slash = strchr(old.files[i], '/');
        char *entry = smc_strndup(ctx, old.files[i], slash ? (size_t)(slash - old.files[i]) : 0);
        if (!named(entry, j->which))
            smc_mig_sums_add(ctx, &sums, old.files[i], old.sums[i]);
    }
    uint32_t changed = 0;
    for (uint32_t i = 0; i < ls.n; i++) {
        if (j->which && !named(ls.names[i], j->which))
            continue;
        for (int d = 0; d < SM_NDIALECTS; d++)
            for (int k = 0; k < 2; k++) {
                const char *file = smc_printf(ctx, "%s/%s.%s.sql", ls.names[i],
                                              smc_dialect_names[d], smc_mig_dirs[k]);
                const char *path = smc_printf(ctx, "%s/%s", j->dir, file);
                sm_buf b = SM_BUF_INIT;
                if (!smc_mig_read(path, &b)) {
                    fprintf(stderr, "smc: cannot read '%s': %s; '%s/sums' is unchanged\n", path,
                            strerror(errno), j->dir);
                    sm_buf_free(&b);
                    j->rc = 1;
                    return;
                }
                char sum[17];
                smc_fnv1a64_hex(b.data ? b.data : "", b.len, sum);
                sm_buf_free(&b);
                const char *was = smc_mig_sums_find(&old, file);
                if (!was || strcmp(was, sum) != 0) {
                    printf("smc: %s: %s (was %s)\n", file, sum, was ? was : "none");
                    changed++;
                }
                smc_mig_sums_add(ctx, &sums, file, sum);
            }
    }
    for (uint32_t i = 0; !j->which && i < old.n; i++)
        if (!smc_mig_sums_find(&sums, old.files[i])) {
            printf("smc: %s: no such migration file, its line removed\n", old.files[i]);
            changed++;
        }
    sm_buf out = SM_BUF_INIT;
    smc_mig_sums_format(ctx, &sums, &out);
    /* Written unless byte for byte the same. */
    sm_buf cur = SM_BUF_INIT;
    const char *path = smc_printf(ctx, "%s/sums", j->dir);
    bool same = smc_mig_read(path, &cur) && cur.len == out.len &&
                (out.len == 0 || memcmp(cur.data, out.data, out.len) == 0);
    sm_buf_free(&cur);
    if (!same && !smc_write_atomic(path, out.data ? out.data : "", out.len))
        j->rc = 2;
    else if (same)
        printf("smc: '%s/sums' unchanged\n", j->dir);
    else
        printf("smc: wrote '%s/sums' (%u checksum%s changed)\n", j->dir, changed,
               changed == 1 ? "" : "s");
    sm_buf_free(&out);
}

int smc_migrate_rehash(int argc, char **argv)
{
    rjob j = {"migrations", NULL, 0};
    for (int i = 0; i < argc; i++) {
        const char *x = argv[i];
        if (strcmp(x, "-m") == 0 && i + 1 < argc)
            j.dir = argv[++i];
        else if (x[0] == '-' && x[1])
            return usage("unknown or misplaced option '%s'", x);
        else if (j.which)
            return usage("unexpected argument '%s'", x);
        else
            j.which = x;
    }
    smc_ctx ctx;
    smc_ctx_init(&ctx);
    if (!smc_guarded(&ctx, rehash, &j) || ctx.oom) {
        fputs("smc: out of memory\n", stderr);
        j.rc = 3;
    }
    smc_ctx_free(&ctx);
    return j.rc;
}
