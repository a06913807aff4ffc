/*
 * embed.c: the migrations smc embeds in a generated module (DESIGN 6:
 * `-m` defaults to <schema dir>/migrations when it exists; its absence is
 * fine).  The directory is read by libsmdl's sm_migrations_read, the
 * same reader the runner uses, so what is embedded is exactly what
 * `smc migrate up` would apply.
 */
#include "run.h"

#include "sema.h"

#include <string.h>
#include <sys/stat.h>

bool smc_embed_migrations(smc_ctx *ctx, const char *file, const char *mdir, sm_arena *arena,
                          sm_migration_set *set, const char **dir_out)
{
    *dir_out = NULL;
    const char *dir = mdir;
    if (!dir) {
        const char *slash = strrchr(file, '/');
        dir = slash ? smc_printf(ctx, "%.*s/migrations", (int)(slash - file), file)
                    : "migrations";
        struct stat st;
        if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
            return true;
    }
    sm_cx cx;
    sm_cx_init(&cx);
    int rc = sm_migrations_read(&cx, dir, arena, set);
    if (rc != SM_OK)
        fprintf(stderr, "smc: %s\n", sm_cx_errmsg(&cx));
    sm_cx_free(&cx);
    if (rc != SM_OK)
        return false;
    set->module = ctx->sema->module;
    if (set->len && !ctx->sema->ntables) {
        fprintf(stderr, "smc: %s holds migrations, but module %s declares no table\n", dir,
                ctx->sema->module);
        return false;
    }
    ctx->migrations = set;
    *dir_out = dir;
    return true;
}

bool smc_embed_depfile(sm_buf *d, const char *dir, const sm_migration_set *set)
{
    if (!dir)
        return true;
    bool ok = sm_buf_printf(d, " \\\n  %s", dir) == SM_OK;
    for (size_t i = 0; ok && i < set->nfiles; i++)
        ok = sm_buf_printf(d, " \\\n  %s", set->files[i]) == SM_OK;
    return ok;
}
