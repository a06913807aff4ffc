/*
 * cli.c: `smc migrate new` and `smc migrate check` (DESIGN 6), and the
 * help of every `smc migrate` command.
 *
 *   smc migrate new NAME FILE [-m DIR] [--allow-destructive] [-I DIR]...
 *   smc migrate check FILE [-m DIR] [-I DIR]...
 *
 * (`smc migrate verify` is verify.c's.)
 * Both check FILE and DIR/schema.snapshot, each in its own context, and
 * diff them.  `new` writes DIR/NNNN_NAME/<dialect>.{up,down}.sql, the
 * new snapshot and DIR/sums; `check` exits 1 when the schema differs from
 * the snapshot or a migration file no longer matches its checksum.
 * Exit status as smc's: 0, 1 (input or drift), 2 (usage, unwritable
 * output), 3 (out of memory).
 */
#include "cli.h"
#include "files.h"
#include "print.h"
#include "verify.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct margs {
    bool is_new, allow;
    const char *name, *file, *dir;
} margs;

static int usage(const char *fmt, const char *arg)
{
    fputs("smc: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\nusage: smc migrate new NAME FILE [-m DIR] [--allow-destructive] [-I DIR]...\n"
          "       smc migrate check FILE [-m DIR] [-I DIR]...\n"
          "       smc migrate rehash|verify|diff|up|status|down ...\n"
          "Run 'smc help migrate' for more.\n",
          stderr);
    return 2;
}

/* ---- Loading the two schemas ---------------------------------------------------------- */

static void render(smc_ctx *ctx)
{
    sm_buf out = SM_BUF_INIT;
    smc_diag_render_text(ctx, &out);
    if (out.len)
        fputs(out.data, stderr);
    sm_buf_free(&out);
}

/* Forgets the warnings recorded so far (shown already, or not the
 * user's), so that a later rendering shows only what follows. */
static void drop_warnings(smc_ctx *ctx)
{
    smc_diag **link = &ctx->diags;
    ctx->last_diag = NULL;
    while (*link) {
        if ((*link)->sev == SMC_SEV_WARNING) {
            *link = (*link)->next;
            ctx->nwarnings--;
        } else {
            ctx->last_diag = *link;
            link = &(*link)->next;
        }
    }
}

/* Loads and checks path into ctx; false (diagnostics printed) on errors. */
static bool load(smc_ctx *ctx, const char *path)
{
    int id = smc_source_load(ctx, path, NULL);
    smc_file *f = id >= 0 ? smc_parse_file(ctx, (uint32_t)id) : NULL;
    if (f)
        smc_check(ctx, f);
    return f && ctx->nerrors == 0 && !ctx->oom && ctx->sema;
}

static const char *join(smc_ctx *ctx, const char *dir, const char *name)
{
    return smc_printf(ctx, "%s/%s", dir, name);
}

static bool exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* The snapshot into old (left empty when there is none yet).  A
 * snapshot's file name never matches its module: its own warnings are
 * not the user's (the schema's were shown), and are dropped. */
static int load_snapshot(smc_ctx *cur, smc_ctx *old, const char *dir, const smc_mig_dir *ls,
                         bool required)
{
    const char *path = smc_printf(cur, "%s/schema.snapshot", dir);
    if (!exists(path)) {
        if (ls->n || required) {
            fprintf(stderr, "smc: no snapshot '%s'%s\n", path,
                    ls->n ? ": the migrations there cannot be diffed"
                          : "; run 'smc migrate new NAME FILE' first");
            return 1;
        }
        return 0;
    }
    bool ok = load(old, path);
    drop_warnings(old);
    if (!ok) {
        render(old);
        fprintf(stderr, "smc: the snapshot '%s' does not check\n", path);
        return old->oom ? 3 : 1;
    }
    return 0;
}

/* ---- new ------------------------------------------------------------------------------ */

typedef struct job {
    const margs *a;
    smc_ctx *old, *cur, *empty;
    smc_mig_dir ls;
    smc_mplan *up, *down;
    sm_buf scripts[SM_NDIALECTS][2];
    sm_buf snapshot, sums, summary;
    const char *why; /* a refusal to say, without diagnostics */
    int refused;
} job;

static void plan_up(smc_ctx *ctx, void *arg)
{
    job *j = arg;
    j->up = smc_migrate_diff(j->old, ctx);
    if (!smc_migrate_empty(j->up) && j->a->is_new)
        j->refused = smc_migrate_lint(j->up, j->a->allow);
    smc_migrate_describe(j->up, &j->summary);
    for (int d = 0; j->a->is_new && !j->refused && d < SM_NDIALECTS; d++)
        smc_migrate_script(j->up, &smc_dialects[d], &j->scripts[d][0]);
    /* The printer's snapshot: the schema's tables, self-contained. */
    if (j->a->is_new && !smc_print_snapshot(ctx, &j->snapshot))
        j->why = "out of memory writing the snapshot";
}

/* The down plan allocates in the schema it goes to: the snapshot's
 * context, or an empty one for the first migration. */
static void plan_down(smc_ctx *ctx, void *arg)
{
    job *j = arg;
    j->down = smc_migrate_diff(j->cur, ctx);
    for (int d = 0; d < SM_NDIALECTS; d++)
        smc_migrate_script(j->down, &smc_dialects[d], &j->scripts[d][1]);
}

static int write_migration(job *j)
{
    smc_ctx *ctx = j->cur;
    const margs *a = j->a;
    if (j->ls.last >= 9999) {
        fprintf(stderr, "smc: '%s' already holds migration 9999, the last number\n", a->dir);
        return 1;
    }
    const char *id = smc_printf(ctx, "%04d_%s", j->ls.last + 1, a->name);
    const char *mdir = join(ctx, a->dir, id);
    for (uint32_t i = 0; i < j->ls.n; i++)
        if (strcmp(j->ls.names[i] + 5, a->name) == 0) {
            fprintf(stderr, "smc: a migration named '%s' exists: '%s'\n", a->name,
                    join(ctx, a->dir, j->ls.names[i]));
            return 1;
        }
    smc_mig_sums sums;
    const char *why;
    if (!smc_mig_sums_read(ctx, a->dir, &sums, &why)) {
        fprintf(stderr, "smc: %s\n", why);
        return 1;
    }
    if (!smc_mkdirs(mdir))
        return 2;
    for (int d = 0; d < SM_NDIALECTS; d++)
        for (int k = 0; k < 2; k++) {
            const char *file = smc_printf(ctx, "%s.%s.sql", smc_dialect_names[d], smc_mig_dirs[k]);
            const sm_buf *b = &j->scripts[d][k];
            char sum[17];
            smc_fnv1a64_hex(b->data ? b->data : "", b->len, sum);
            smc_mig_sums_add(ctx, &sums, join(ctx, id, file), sum);
            if (!smc_write_atomic(join(ctx, mdir, file), b->data ? b->data : "", b->len))
                return 2;
        }
    smc_mig_sums_format(ctx, &sums, &j->sums);
    if (!smc_write_atomic(join(ctx, a->dir, "sums"), j->sums.data, j->sums.len) ||
        !smc_write_atomic(join(ctx, a->dir, "schema.snapshot"), j->snapshot.data, j->snapshot.len))
        return 2;
    printf("smc: wrote %s/\n%s", mdir, j->summary.data);
    return 0;
}

/* ---- check ---------------------------------------------------------------------------- */

/* Every migration file matches its line in sums, and every one has a line. */
static int check_sums(smc_ctx *ctx, const margs *a, const smc_mig_dir *ls)
{
    smc_mig_sums sums;
    const char *why;
    if (!smc_mig_sums_read(ctx, a->dir, &sums, &why)) {
        fprintf(stderr, "smc: %s\n", why);
        return 1;
    }
    int bad = 0;
    for (uint32_t i = 0; i < sums.n; i++) {
        const char *path = join(ctx, a->dir, sums.files[i]);
        sm_buf b = SM_BUF_INIT;
        if (!smc_mig_read(path, &b)) {
            fprintf(stderr, "smc: '%s' is listed in '%s/sums' but cannot be read: %s\n", path,
                    a->dir, strerror(errno));
            bad++;
        } else {
            char sum[17];
            smc_fnv1a64_hex(b.data ? b.data : "", b.len, sum);
            if (strcmp(sum, sums.sums[i]) != 0) {
                fprintf(stderr, "smc: '%s' changed after it was written (checksum %s, '%s/sums' "
                        "says %s)\n", path, sum, a->dir, sums.sums[i]);
                bad++;
            }
        }
        sm_buf_free(&b);
    }
    for (uint32_t i = 0; i < ls->n; i++)
        for (int d = 0; d < SM_NDIALECTS; d++)
            for (int k = 0; k < 2; k++) {
                const char *file = smc_printf(ctx, "%s/%s.%s.sql", ls->names[i],
                                              smc_dialect_names[d], smc_mig_dirs[k]);
                if (!smc_mig_sums_find(&sums, file)) {
                    fprintf(stderr, "smc: '%s' has no checksum in '%s/sums'\n",
                            join(ctx, a->dir, file), a->dir);
                    bad++;
                }
            }
    return bad ? 1 : 0;
}

/* ---- Both ------------------------------------------------------------------------------ */

typedef struct body_job {
    job *j;
    int rc;
} body_job;

/* Everything after the contexts exist, under the schema's guard. */
static void body(smc_ctx *ctx, void *arg)
{
    (void)ctx;
    body_job *bj = arg;
    job *j = bj->j;
    const margs *a = j->a;
    int rc = bj->rc;
    if (rc == 0 && !load(j->cur, a->file)) {
        render(j->cur);
        rc = j->cur->oom ? 3 : 1;
    }
    if (rc == 0) {
        render(j->cur); /* its warnings */
        drop_warnings(j->cur);
        if (!smc_mig_list(j->cur, a->dir, &j->ls)) {
            fprintf(stderr, "smc: cannot read '%s': %s\n", a->dir, strerror(errno));
            rc = 1;
        } else if (!a->is_new && !j->ls.exists) {
            fprintf(stderr, "smc: no migrations directory '%s'\n", a->dir);
            rc = 1;
        }
    }
    if (rc == 0)
        rc = load_snapshot(j->cur, j->old, a->dir, &j->ls, !a->is_new);
    if (rc == 0) {
        smc_out_run(j->cur, plan_up, j);
        render(j->old);
        render(j->cur);
        rc = j->cur->oom || j->old->oom ? 3 : 0;
    }
    if (rc == 0 && a->is_new) {
        if (smc_migrate_empty(j->up)) {
            printf("smc: nothing to do: '%s' matches '%s/schema.snapshot'\n", a->file, a->dir);
        } else if (j->refused) {
            fprintf(stderr, "smc: %d step%s refused; nothing was written\n", j->refused,
                    j->refused == 1 ? "" : "s");
            rc = 1;
        } else if (j->why) {
            fprintf(stderr, "smc: %s\n", j->why);
            rc = 1;
        } else {
            smc_ctx *down = j->old->sema ? j->old : j->empty;
            smc_out_run(down, plan_down, j);
            rc = down->oom ? 3 : write_migration(j);
        }
    } else if (rc == 0) {
        if (!smc_migrate_empty(j->up)) {
            fprintf(stderr, "smc: '%s' differs from '%s/schema.snapshot'; run 'smc migrate new "
                    "NAME %s':\n%s", a->file, a->dir, a->file, j->summary.data);
            rc = 1;
        }
        int s = check_sums(j->cur, a, &j->ls);
        rc = rc ? rc : s;
        if (rc == 0)
            printf("smc: '%s' matches '%s/schema.snapshot'; %u migration%s, each file matches "
                   "its checksum\n", a->file, a->dir, j->ls.n, j->ls.n == 1 ? "" : "s");
    }
    bj->rc = rc;
}

typedef struct stdlib_fn {
    void (*add)(smc_ctx *ctx);
} stdlib_fn;

static void stdlib_job(smc_ctx *ctx, void *arg)
{
    ((stdlib_fn *)arg)->add(ctx);
}

static int run(const margs *a, void (*add_stdlib)(smc_ctx *ctx), const char **incdirs,
               size_t nincdirs)
{
    smc_ctx old, cur, empty;
    smc_ctx *ctxs[3] = {&old, &cur, &empty};
    for (int i = 0; i < 3; i++) {
        smc_ctx_init(ctxs[i]);
        ctxs[i]->incdirs = calloc(nincdirs + 8, sizeof *ctxs[i]->incdirs);
        if (ctxs[i]->incdirs) {
            memcpy(ctxs[i]->incdirs, incdirs, nincdirs * sizeof *incdirs);
            ctxs[i]->nincdirs = ctxs[i]->nuser_incdirs = nincdirs;
        }
    }
    job j = {.a = a, .old = &old, .cur = &cur, .empty = &empty};
    int rc = 0;
    stdlib_fn fn = {add_stdlib};
    for (int i = 0; i < 2 && ctxs[i]->incdirs; i++)
        if (!smc_guarded(ctxs[i], stdlib_job, &fn))
            rc = 3;
    if (!old.incdirs || !cur.incdirs || !empty.incdirs)
        rc = 3;
    body_job b = {&j, rc};
    if (!smc_guarded(&cur, body, &b))
        b.rc = 3;
    rc = b.rc;
    if (rc == 3)
        fputs("smc: out of memory\n", stderr);
    for (int d = 0; d < SM_NDIALECTS; d++)
        for (int k = 0; k < 2; k++)
            sm_buf_free(&j.scripts[d][k]);
    sm_buf_free(&j.snapshot);
    sm_buf_free(&j.sums);
    sm_buf_free(&j.summary);
    for (int i = 0; i < 3; i++) {
        free(ctxs[i]->incdirs);
        smc_ctx_free(ctxs[i]);
    }
    return rc;
}

int smc_migrate_main(int argc, char **argv, void (*add_stdlib)(smc_ctx *ctx))
{
    margs a = {0};
    if (argc < 1)
        return usage("%s", "missing command (new, check, rehash, verify, diff, up, status or "
                           "down)");
    if (strcmp(argv[0], "verify") == 0)
        return smc_migrate_verify(argc - 1, argv + 1, add_stdlib);
    if (strcmp(argv[0], "rehash") == 0)
        return smc_migrate_rehash(argc - 1, argv + 1);
    if (strcmp(argv[0], "new") == 0)
        a.is_new = true;
    else if (strcmp(argv[0], "check") != 0)
        return usage("unknown migrate command '%s' (new, check, rehash, verify, diff, up, status "
                     "or down)", argv[0]);
    const char **incdirs = calloc((size_t)argc + 1, sizeof *incdirs);
    if (!incdirs)
        return fputs("smc: out of memory\n", stderr), 3;
    size_t ninc = 0;
    int rc = -1;
    for (int i = 1; i < argc && rc < 0; i++) {
        const char *x = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(x, "-m") == 0 && val)
            a.dir = val, i++;
        else if (strcmp(x, "-I") == 0 && val)
            incdirs[ninc++] = val, i++;
        else if (strncmp(x, "-I", 2) == 0 && x[2])
            incdirs[ninc++] = x + 2;
        else if (strcmp(x, "--allow-destructive") == 0 && a.is_new)
            a.allow = true;
        else if (x[0] == '-' && x[1])
            rc = usage("unknown or misplaced option '%s'", x);
        else if (a.is_new && !a.name)
            a.name = x;
        else if (!a.file)
            a.file = x;
        else
            rc = usage("unexpected argument '%s'", x);
    }
    if (rc < 0 && a.is_new && !a.name)
        rc = usage("%s", "missing migration NAME");
    else if (rc < 0 && a.is_new && !smc_mig_name_ok(a.name))
        rc = usage("invalid migration name '%s' (1 to 64 of a-z, 0-9 and '_')", a.name);
    else if (rc < 0 && !a.file)
        rc = usage("%s", "no input file");
    char *dir = NULL;
    if (rc < 0 && !a.dir) { /* beside the schema */
        const char *slash = strrchr(a.file, '/');
        size_t n = slash ? (size_t)(slash - a.file) : 1;
        dir = malloc(n + sizeof "/migrations");
        if (!dir) {
            rc = 3;
        } else {
            if (slash)
                snprintf(dir, n + sizeof "/migrations", "%.*s/migrations", (int)n, a.file);
            else
                strcpy(dir, "migrations");
            a.dir = dir;
        }
    }
    if (rc < 0)
        rc = run(&a, add_stdlib, incdirs, ninc);
    free(dir);
    free(incdirs);
    return rc;
}
