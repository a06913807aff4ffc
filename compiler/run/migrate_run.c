/*
 * migrate_run.c: `smc migrate up|status|down` (docs/migrations.md,
 * "Running migrations"), the only commands of smc that open a database.
 *
 *   smc migrate up     [--db URL] [-m DIR] [--module NAME] [--timeout SECONDS]
 *   smc migrate status [--db URL] [-m DIR] [--module NAME]
 *   smc migrate down --to N [--db URL] [-m DIR] [--module NAME] [--timeout SECONDS]
 *
 * --db defaults to $SMDL_DATABASE_URL, -m to ./migrations, and the module
 * (the key of the rows in smdl_migrations) to the `module` of
 * DIR/schema.snapshot, read with the compiler's front end.  --timeout is
 * the cx deadline of the whole run, the wait for another runner's lock
 * included (none: wait as long as it takes).  Exit status: 0 done, 1
 * refused, failed or timed out (the reason on stderr), 2 usage.
 */
#include "run.h"

#include "ast.h"
#include "help.h"

#include <stdlib.h>
#include <string.h>

typedef struct run_opts {
    const char *sub, *db, *dir, *module, *to_text, *timeout_text;
    uint32_t to;
    int64_t timeout_ms; /* 0: none */
} run_opts;

static int usage(const run_opts *o, const char *fmt, const char *arg)
{
    fputs("smc: ", stderr);
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
    char page[32];
    snprintf(page, sizeof page, "migrate %s", o->sub);
    fprintf(stderr, "usage: %s\n", smc_help_find(page)->usage);
    fputs("--db defaults to $SMDL_DATABASE_URL; run 'smc help' for the list of commands.\n",
          stderr);
    return 2;
}

/* 0 to 9999, digits only. */
static bool parse_version(const char *s, uint32_t *out)
{
    uint32_t v = 0;
    size_t n = 0;
    for (; s[n]; n++) {
        if (s[n] < '0' || s[n] > '9' || n >= 4)
            return false;
        v = v * 10 + (uint32_t)(s[n] - '0');
    }
    *out = v;
    return n > 0;
}

/* 1 to 86400 whole seconds, as milliseconds. */
static bool parse_seconds(const char *s, int64_t *ms)
{
    int64_t v = 0;
    size_t n = 0;
    for (; s[n]; n++) {
        if (s[n] < '0' || s[n] > '9' || n >= 5)
            return false;
        v = v * 10 + (s[n] - '0');
    }
    *ms = v * 1000;
    return n > 0 && v >= 1 && v <= 86400;
}

static int parse(int argc, char **argv, run_opts *o)
{
    for (int i = 3; i < argc; i++) {
        const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--db") == 0 && val)
            o->db = val, i++;
        else if (strncmp(a, "--db=", 5) == 0)
            o->db = a + 5;
        else if (strcmp(a, "-m") == 0 && val)
            o->dir = val, i++;
        else if (strcmp(a, "--module") == 0 && val)
            o->module = val, i++;
        else if (strcmp(a, "--to") == 0 && val && strcmp(o->sub, "down") == 0)
            o->to_text = val, i++;
        else if (strncmp(a, "--to=", 5) == 0 && strcmp(o->sub, "down") == 0)
            o->to_text = a + 5;
        else if (strcmp(a, "--timeout") == 0 && val && strcmp(o->sub, "status") != 0)
            o->timeout_text = val, i++;
        else if (strncmp(a, "--timeout=", 10) == 0 && strcmp(o->sub, "status") != 0)
            o->timeout_text = a + 10;
        else if (a[0] == '-')
            return usage(o, "unknown or misplaced option '%s'", a);
        else
            return usage(o, "unexpected argument '%s'", a);
    }
    if (!o->db || !o->db[0])
        o->db = getenv("SMDL_DATABASE_URL");
    if (!o->db || !o->db[0])
        return usage(o, "%s", "no database: give --db URL or set SMDL_DATABASE_URL");
    if (strcmp(o->sub, "down") == 0 && !o->to_text)
        return usage(o, "%s", "missing --to N (the version to go back to; 0 reverts all)");
    if (o->to_text && !parse_version(o->to_text, &o->to))
        return usage(o, "invalid --to '%s' (a version from 0 to 9999)", o->to_text);
    if (o->timeout_text && !parse_seconds(o->timeout_text, &o->timeout_ms))
        return usage(o, "invalid --timeout '%s' (whole seconds, 1 to 86400)", o->timeout_text);
    if (!o->dir)
        o->dir = "migrations";
    return -1;
}

/* The `module` of DIR/schema.snapshot, or NULL after saying why. */
typedef struct module_job {
    const char *path, *module;
} module_job;

static void module_body(smc_ctx *ctx, void *arg)
{
    module_job *j = arg;
    int id = smc_source_load(ctx, j->path, NULL);
    smc_file *f = id >= 0 ? smc_parse_file(ctx, (uint32_t)id) : NULL;
    if (f && f->module.s && !ctx->nerrors)
        j->module = strdup(f->module.s);
}

static char *snapshot_module(const char *dir)
{
    smc_ctx ctx;
    smc_ctx_init(&ctx);
    size_t n = strlen(dir) + sizeof "/schema.snapshot";
    char *path = malloc(n);
    module_job j = {path, NULL};
    if (path) {
        snprintf(path, n, "%s/schema.snapshot", dir);
        smc_guarded(&ctx, module_body, &j);
        if (!j.module) {
            sm_buf out = SM_BUF_INIT;
            smc_diag_render_text(&ctx, &out);
            if (out.len)
                fputs(out.data, stderr);
            sm_buf_free(&out);
            fprintf(stderr,
                    "smc: cannot tell the module from %s (it names the module the migrations "
                    "belong to); give --module NAME\n",
                    path);
        }
    }
    free(path);
    smc_ctx_free(&ctx);
    return (char *)j.module;
}

static void print_status(const sm_migration_status_list *l, const char *module)
{
    int width = 0;
    const sm_migration_status *at = NULL;
    size_t pending = 0, failed = 0;
    for (size_t i = 0; i < l->len; i++) {
        int w = 5 + (int)strlen(l->items[i].name);
        width = w > width ? w : width;
        if (l->items[i].state == SM_MIG_PENDING)
            pending++;
        else if (l->items[i].state == SM_MIG_FAILED)
            failed++;
        else
            at = &l->items[i];
    }
    if (at)
        printf("module %s: at %04u_%s", module, (unsigned)at->version, at->name);
    else
        printf("module %s: nothing applied", module);
    if (failed)
        printf(", %zu failed", failed);
    printf(", %zu pending\n", pending);
    for (size_t i = 0; i < l->len; i++) {
        const sm_migration_status *s = &l->items[i];
        char label[256];
        snprintf(label, sizeof label, "%04u_%s", (unsigned)s->version, s->name);
        printf("%-*s  %s", width, label, sm_migration_state_name(s->state));
        if (s->applied_at)
            printf(" %.19s", s->applied_at);
        if (s->state == SM_MIG_FAILED)
            printf(": %s", s->error ? s->error : "");
        else if (s->state == SM_MIG_CHANGED)
            printf(" (its up script changed after it was applied)");
        else if (s->state == SM_MIG_UNKNOWN)
            printf(" (not in this directory)");
        putchar('\n');
    }
}

/* Where the database is after a run: the last migration applied. */
static void print_position(const sm_migration_status_list *l, const char *module, bool idle)
{
    const sm_migration_status *at = NULL;
    for (size_t i = 0; i < l->len; i++)
        if (l->items[i].state != SM_MIG_PENDING && l->items[i].state != SM_MIG_FAILED)
            at = &l->items[i];
    printf("module %s: ", module);
    if (at)
        printf("at %04u_%s", (unsigned)at->version, at->name);
    else
        printf("nothing applied");
    printf("%s\n", idle ? ", nothing to do" : "");
}

/* Each migration this run applied or reverted, as it happens. */
static void progress(void *ud, const sm_migration *m, bool down, int64_t ms)
{
    (void)ms;
    *(size_t *)ud += 1;
    printf("%s %04u_%s\n", down ? "reverted" : "applied", (unsigned)m->version, m->name);
    fflush(stdout);
}

static int run(const run_opts *o, const sm_migration_set *given)
{
    sm_cx cx;
    sm_cx_init(&cx);
    sm_arena arena = SM_ARENA_INIT;
    sm_conn *conn = NULL;
    sm_migration_set set = *given;
    size_t done = 0;
    set.progress = progress;
    set.progress_ud = &done;
    sm_migration_status_list l = {NULL, 0};
    if (o->timeout_ms)
        sm_cx_set_timeout_ms(&cx, o->timeout_ms);
    int rc = sm_open(&cx, o->db, &conn);
    if (rc == SM_OK && strcmp(o->sub, "status") != 0)
        rc = strcmp(o->sub, "up") == 0 ? sm_migrate_up(&cx, conn, &set)
                                       : sm_migrate_down(&cx, conn, &set, o->to);
    if (rc == SM_OK)
        rc = sm_migrate_status(&cx, conn, &set, &arena, &l);
    if (rc == SM_OK && strcmp(o->sub, "status") == 0)
        print_status(&l, set.module);
    else if (rc == SM_OK)
        print_position(&l, set.module, done == 0);
    if (rc == SM_TIMEOUT) {
        fflush(stdout);
        fprintf(stderr, "smc: gave up after --timeout %ss: %s; another runner may hold the "
                        "migration lock\n", o->timeout_text, sm_cx_errmsg(&cx));
    } else if (rc != SM_OK) {
        fflush(stdout);
        fprintf(stderr, "smc: %s\n", sm_cx_errmsg(&cx));
    }
    sm_close(conn);
    sm_arena_free(&arena);
    sm_cx_free(&cx);
    return rc == SM_OK ? 0 : 1;
}

int smc_migrate_run(int argc, char **argv)
{
    if (argc < 3 || strcmp(argv[1], "migrate") != 0 ||
        (strcmp(argv[2], "up") != 0 && strcmp(argv[2], "status") != 0 &&
         strcmp(argv[2], "down") != 0))
        return -1;
    run_opts o = {0};
    o.sub = argv[2];
    int rc = parse(argc, argv, &o);
    if (rc >= 0)
        return rc;
    /* The directory first: a missing one is named as such. */
    sm_cx cx;
    sm_cx_init(&cx);
    sm_arena arena = SM_ARENA_INIT;
    sm_migration_set set;
    char *found = NULL;
    if (sm_migrations_read(&cx, o.dir, &arena, &set) != SM_OK) {
        fprintf(stderr, "smc: %s\n", sm_cx_errmsg(&cx));
        rc = 1;
    } else if ((set.module = o.module ? o.module : (found = snapshot_module(o.dir))) == NULL) {
        rc = 1;
    } else {
        rc = run(&o, &set);
    }
    free(found);
    sm_arena_free(&arena);
    sm_cx_free(&cx);
    return rc;
}
