/*
 * test_snapshot.c: the migration snapshot (fmt/print_snap.c) of every
 * .smdl file under a directory that checks:
 *
 *   - it parses and checks on its own (no imports), and is in canonical
 *     form (printing it again changes nothing);
 *   - the snapshot of the snapshot is the snapshot (without the comments
 *     that mark inlined tables, which are its own);
 *   - for every dialect, each of the file's tables has the same DDL
 *     (CREATE TABLE, its indexes, DROP TABLE) in both; and when no
 *     imported table was inlined, create_all and drop_all of the
 *     snapshot are those of the file, byte for byte.
 *
 *   test_snapshot ROOT STDLIB_DIR MIN_FILES
 */
#include "emit.h"
#include "print.h"
#include "walk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *stdlib_dir;
static int failures, checked;

static void fail(const char *path, const char *what)
{
    fprintf(stderr, "FAIL %s: %s\n", path, what);
    failures++;
}

static void ctx_open(smc_ctx *ctx)
{
    smc_ctx_init(ctx);
    static const char *dirs[1];
    dirs[0] = stdlib_dir;
    ctx->incdirs = dirs;
    ctx->nincdirs = 1;
}

static void ctx_close(smc_ctx *ctx)
{
    ctx->incdirs = NULL;
    smc_ctx_free(ctx);
}

static bool same_buf(const sm_buf *a, const sm_buf *b)
{
    return a->len == b->len && (a->len == 0 || memcmp(a->data, b->data, a->len) == 0);
}

/* The DDL of one table, by its model name, for one dialect. */
typedef struct ddl_job {
    const smc_dialect *d;
    const smc_model *m;
    sm_buf *out;
} ddl_job;

static void table_ddl(smc_ctx *ctx, void *arg)
{
    ddl_job *j = arg;
    smc_ddl_create_table(ctx, j->d, j->m, j->out);
    smc_out_puts(j->out, ";\n");
    for (uint32_t i = 0; i < j->m->nindexes; i++)
        if (!j->m->indexes[i].unique) {
            smc_ddl_index(j->d, j->m, &j->m->indexes[i], j->out);
            smc_out_puts(j->out, ";\n");
        }
    smc_ddl_drop_table(j->d, j->m, j->out);
    smc_out_puts(j->out, ";\n");
}

static bool ddl_of(smc_ctx *ctx, const smc_dialect *d, const smc_model *m, sm_buf *out)
{
    ddl_job j = {d, m, out};
    smc_out_run(ctx, table_ddl, &j);
    return !ctx->oom;
}

/* create_all and drop_all from `smc sql`: from "-- M_create_all" to the
 * first statement list after "-- M_drop_all". */
static void ddl_part(smc_ctx *ctx, const smc_dialect *d, sm_buf *out)
{
    sm_buf all = SM_BUF_INIT;
    smc_emit_sql_listing(ctx, d, &all);
    const char *text = all.data ? all.data : "";
    const char *start = strstr(text, "_create_all\n");
    const char *drop = start ? strstr(start, "_drop_all\n") : NULL;
    const char *end = drop ? strstr(drop, "\n\n") : NULL;
    if (start && end)
        sm_buf_append(out, start, (size_t)(end - start));
    sm_buf_free(&all);
}

static const smc_model *table_named(const smc_sema *s, const char *name)
{
    for (uint32_t i = 0; i < s->nmodels; i++)
        if (s->models[i]->is_table && strcmp(s->models[i]->name, name) == 0)
            return s->models[i];
    return NULL;
}

static void one_file(const char *path)
{
    smc_ctx a, b, c;
    ctx_open(&a);
    ctx_open(&b);
    ctx_open(&c);
    sm_buf snap = SM_BUF_INIT, again = SM_BUF_INIT, canon = SM_BUF_INIT;
    char *spath = NULL;
    int id = smc_source_load(&a, path, NULL);
    smc_file *fa = id >= 0 ? smc_parse_file(&a, (uint32_t)id) : NULL;
    if (!fa || !smc_check(&a, fa) || a.nerrors)
        goto done;
    checked++;
    if (!smc_print_snapshot(&a, &snap)) {
        fail(path, "no snapshot");
        goto done;
    }
    /* Beside the file, so that nothing else could be found: it imports
     * nothing. */
    size_t n = strlen(path) + sizeof ".snapshot";
    spath = malloc(n);
    snprintf(spath, n, "%s.snapshot", path);
    smc_overlay_set(&b, spath, snap.data, snap.len);
    int idb = smc_source_load(&b, spath, NULL);
    smc_file *fb = idb >= 0 ? smc_parse_file(&b, (uint32_t)idb) : NULL;
    if (!fb || !smc_check(&b, fb) || b.nerrors) {
        sm_buf d = SM_BUF_INIT;
        smc_diag_render_text(&b, &d);
        fprintf(stderr, "%s%s", snap.data, d.data ? d.data : "");
        sm_buf_free(&d);
        fail(path, "the snapshot does not check");
        goto done;
    }
    if (b.sema->nimports != 0)
        fail(path, "the snapshot imports");
    if (!smc_print_file(&b, fb, &canon) || !same_buf(&snap, &canon))
        fail(path, "the snapshot is not in canonical form");
    /* Its inlined tables are its own: the same without their marks. */
    sm_buf own = SM_BUF_INIT;
    for (const char *l = snap.data; l && *l;) {
        const char *e = strchr(l, '\n');
        size_t len = e ? (size_t)(e - l) + 1 : strlen(l);
        if (strncmp(l, "// imported from ", 17) != 0)
            sm_buf_append(&own, l, len);
        l += len;
    }
    if (!smc_print_snapshot(&b, &again) || !same_buf(&own, &again)) {
        fprintf(stderr, "%s---\n%s", own.data, again.data ? again.data : "");
        fail(path, "the snapshot of the snapshot differs");
    }
    sm_buf_free(&own);
    for (int k = 0; k < SM_NDIALECTS; k++) {
        const smc_dialect *d = smc_dialect_named(smc_dialect_names[k]);
        for (uint32_t i = 0; i < a.sema->ntables; i++) {
            const smc_model *ma = a.sema->tables[i];
            const smc_model *mb = table_named(b.sema, ma->name);
            sm_buf x = SM_BUF_INIT, y = SM_BUF_INIT;
            if (!mb)
                fail(path, "a table is missing from the snapshot");
            else if (!ddl_of(&a, d, ma, &x) || !ddl_of(&b, d, mb, &y) || !same_buf(&x, &y)) {
                fprintf(stderr, "%s:\n%s---\n%s", smc_dialect_names[k], x.data ? x.data : "",
                        y.data ? y.data : "");
                fail(path, "a table's DDL differs in the snapshot");
            }
            sm_buf_free(&x);
            sm_buf_free(&y);
        }
        if (b.sema->ntables == a.sema->ntables) { /* nothing inlined */
            sm_buf x = SM_BUF_INIT, y = SM_BUF_INIT;
            ddl_part(&a, d, &x);
            ddl_part(&b, d, &y);
            if (!same_buf(&x, &y)) {
                fprintf(stderr, "%s:\n%s---\n%s", smc_dialect_names[k], x.data ? x.data : "",
                        y.data ? y.data : "");
                fail(path, "create_all or drop_all differs in the snapshot");
            }
            sm_buf_free(&x);
            sm_buf_free(&y);
        }
    }
done:
    free(spath);
    sm_buf_free(&snap);
    sm_buf_free(&again);
    sm_buf_free(&canon);
    ctx_close(&a);
    ctx_close(&b);
    ctx_close(&c);
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: test_snapshot ROOT STDLIB_DIR MIN_FILES\n");
        return 2;
    }
    stdlib_dir = argv[2];
    smc_test_walk(argv[1], one_file);
    printf("%d schemas checked; %d failures\n", checked, failures);
    if (checked < atoi(argv[3])) {
        fprintf(stderr, "FAIL: fewer than %s schemas checked\n", argv[3]);
        return 1;
    }
    return failures ? 1 : 0;
}
