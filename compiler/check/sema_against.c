/*
 * sema_against.c: the queries of one schema checked against the tables
 * of another (smc migrate verify: the old code's queries against the
 * new tables, and the other way round).  Nothing here checks a query:
 * the two parsed files are joined into the one file the checker
 * compiles, and smc_check does the rest, so a query is checked against
 * other tables exactly as it is against its own.
 */
#include "sema_int.h"

#include <string.h>

typedef struct against_job {
    smc_file *schema, *queries, *joined;
} against_job;

static void append(smc_decl ***link, smc_decl *d, smc_file *f)
{
    d->file = f;
    **link = d;
    *link = &d->next;
}

/* Does the queries file bring d?  Its queries and its row types (a row
 * is a query's result, code not tables: the queries' own wins over the
 * schema's of that name), and the declarations the queries may name that
 * are not tables (data models, types, enums) when the schema does not
 * declare the name: those shape the schema's tables, whose stay. */
static bool brought(const smc_map *names, const smc_decl *d)
{
    if (d->kind == SMC_D_QUERY)
        return true;
    if (d->kind == SMC_D_IMPORT || (d->kind == SMC_D_MODEL && d->is_table))
        return false;
    const smc_decl *had = smc_map_get(names, d->name.s);
    return !had || (d->kind == SMC_D_ROW && had->kind == SMC_D_ROW);
}

/* Is d a row of the schema that the queries file replaces? */
static bool replaced(const smc_map *rows, const smc_decl *d)
{
    return d->kind == SMC_D_ROW && smc_map_get(rows, d->name.s);
}

static void join_files(smc_ctx *ctx, void *arg)
{
    against_job *j = arg;
    smc_file *f = smc_alloc(ctx, sizeof *f);
    *f = *j->schema; /* its source: imports resolve beside the schema */
    f->decls = NULL;
    smc_map names = {0}, rows = {0};
    for (smc_decl *d = j->schema->decls; d; d = d->next)
        if (d->kind != SMC_D_IMPORT && d->kind != SMC_D_QUERY)
            smc_map_put(ctx, &names, d->name.s, d);
    for (smc_decl *d = j->queries->decls; d; d = d->next)
        if (d->kind == SMC_D_ROW && brought(&names, d))
            smc_map_put(ctx, &rows, d->name.s, d);
    /* Lists are relinked: collect first, the `next` links change. */
    uint32_t n = 0;
    smc_decl **keep = NULL;
    for (smc_decl *d = j->schema->decls; d; d = d->next)
        if (d->kind != SMC_D_QUERY && !replaced(&rows, d)) {
            keep = smc_grow(ctx, keep, n, sizeof *keep);
            keep[n++] = d;
        }
    for (smc_decl *d = j->queries->decls; d; d = d->next)
        if (brought(&names, d)) {
            keep = smc_grow(ctx, keep, n, sizeof *keep);
            keep[n++] = d;
        }
    smc_decl **link = &f->decls;
    for (uint32_t i = 0; i < n; i++)
        append(&link, keep[i], f);
    *link = NULL;
    j->joined = f;
}

bool smc_check_against(smc_ctx *ctx, smc_file *schema, smc_file *queries)
{
    against_job j = {schema, queries, NULL};
    if (!smc_guarded(ctx, join_files, &j)) {
        smc_oom_unwind(ctx);
        return false;
    }
    return smc_check(ctx, j.joined);
}
