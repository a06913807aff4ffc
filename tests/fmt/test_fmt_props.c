/*
 * test_fmt_props.c: the properties of the canonical printer, on every
 * .smdl file under a directory (the repository):
 *
 *   - the printed text parses, and printing it again gives the same text;
 *   - it holds the same comments, in the same order, with the same text;
 *   - when the file checks, the printed text checks too, and generates
 *     the same header, source and SQL listing of every dialect, byte for
 *     byte (generated code embeds no source positions, so nothing is
 *     excepted).  The printed text replaces the file in memory, under the
 *     file's own path, so imports resolve as they did.
 *
 * Files that do not parse are counted and skipped; they must lie under
 * tests/compile_fail (cases about syntax errors), or the test fails.
 *
 *   test_fmt_props ROOT STDLIB_DIR MIN_FILES
 */
#include "emit.h"
#include "print.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *stdlib_dir;
static int failures, parsed, checked, unparsable;

static void fail(const char *path, const char *what)
{
    fprintf(stderr, "FAIL %s: %s\n", path, what);
    failures++;
}

/* A context that finds the standard library. */
static void ctx_open(smc_ctx *ctx)
{
    smc_ctx_init(ctx);
    static const char *dirs[1];
    dirs[0] = stdlib_dir;
    ctx->incdirs = dirs;
    ctx->nincdirs = 1;
}

typedef struct outputs {
    sm_buf h, c, sql[SM_NDIALECTS];
} outputs;

static void emit_all(smc_ctx *ctx, void *arg)
{
    outputs *o = arg;
    smc_emit_header(ctx, &o->h);
    smc_emit_source(ctx, &o->c);
    for (int i = 0; i < SM_NDIALECTS; i++)
        smc_emit_sql_listing(ctx, smc_dialect_named(smc_dialect_names[i]), &o->sql[i]);
}

static void outputs_free(outputs *o)
{
    sm_buf_free(&o->h);
    sm_buf_free(&o->c);
    for (int i = 0; i < SM_NDIALECTS; i++)
        sm_buf_free(&o->sql[i]);
}

static bool same_buf(const sm_buf *a, const sm_buf *b)
{
    return a->len == b->len && (a->len == 0 || memcmp(a->data, b->data, a->len) == 0);
}

static bool same_comments(const smc_ctx *a, const smc_file *fa, const smc_ctx *b,
                          const smc_file *fb)
{
    const smc_comment *x = fa->comments, *y = fb->comments;
    const char *ta = a->files[fa->source]->text, *tb = b->files[fb->source]->text;
    for (; x && y; x = x->next, y = y->next)
        if (x->span.len != y->span.len || x->block != y->block ||
            memcmp(ta + x->span.off, tb + y->span.off, x->span.len) != 0)
            return false;
    return !x && !y;
}

static bool under_compile_fail(const char *path)
{
    return strstr(path, "tests/compile_fail/") != NULL;
}

static void one_file(const char *path)
{
    smc_ctx a, b;
    ctx_open(&a);
    ctx_open(&b);
    sm_buf p1 = SM_BUF_INIT, p2 = SM_BUF_INIT;
    outputs oa, ob;
    memset(&oa, 0, sizeof oa);
    memset(&ob, 0, sizeof ob);
    int id = smc_source_load(&a, path, NULL);
    smc_file *fa = id >= 0 ? smc_parse_file(&a, (uint32_t)id) : NULL;
    if (!fa) {
        unparsable++;
        if (!under_compile_fail(path))
            fail(path, "does not parse, outside tests/compile_fail");
        goto done;
    }
    parsed++;
    if (!smc_print_file(&a, fa, &p1)) {
        fail(path, "printing failed");
        goto done;
    }
    if (!smc_overlay_set(&b, path, p1.data, p1.len)) {
        fail(path, "overlay failed");
        goto done;
    }
    int idb = smc_source_load(&b, path, NULL);
    smc_file *fb = idb >= 0 ? smc_parse_file(&b, (uint32_t)idb) : NULL;
    if (!fb) {
        sm_buf d = SM_BUF_INIT;
        smc_diag_render_text(&b, &d);
        fprintf(stderr, "%s%s\n", d.data ? d.data : "", p1.data);
        sm_buf_free(&d);
        fail(path, "the printed text does not parse");
        goto done;
    }
    if (!same_comments(&a, fa, &b, fb))
        fail(path, "the printed text does not keep the comments");
    if (!smc_print_file(&b, fb, &p2) || !same_buf(&p1, &p2))
        fail(path, "printing is not idempotent");
    if (!smc_check(&a, fa) || a.nerrors)
        goto done;
    checked++;
    if (!smc_check(&b, fb) || b.nerrors) {
        fail(path, "the printed text does not check");
        goto done;
    }
    if (!smc_guarded(&a, emit_all, &oa) || !smc_guarded(&b, emit_all, &ob)) {
        fail(path, "emitting failed");
        goto done;
    }
    if (!same_buf(&oa.h, &ob.h))
        fail(path, "the printed text generates another header");
    if (!same_buf(&oa.c, &ob.c))
        fail(path, "the printed text generates another source");
    for (int i = 0; i < SM_NDIALECTS; i++)
        if (!same_buf(&oa.sql[i], &ob.sql[i]))
            fail(path, smc_dialect_names[i]);
done:
    sm_buf_free(&p1);
    sm_buf_free(&p2);
    outputs_free(&oa);
    outputs_free(&ob);
    a.incdirs = b.incdirs = NULL;
    smc_ctx_free(&a);
    smc_ctx_free(&b);
}

/* Every .smdl under dir, in a stable order; hidden directories and
 * build directories (meson-private) are skipped. */
static int by_name(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

static void walk(const char *dir)
{
    size_t dl = strlen(dir);
    char *probe = malloc(dl + sizeof "/meson-private");
    if (!probe)
        abort();
    snprintf(probe, dl + sizeof "/meson-private", "%s/meson-private", dir);
    struct stat pst;
    bool build = stat(probe, &pst) == 0;
    free(probe);
    DIR *d = build ? NULL : opendir(dir);
    if (!d)
        return;
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 64;
            names = realloc(names, cap * sizeof *names);
            if (!names)
                abort();
        }
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, by_name);
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(dir) + strlen(names[i]) + 2;
        char *path = malloc(len);
        if (!path)
            abort();
        snprintf(path, len, "%s/%s", dir, names[i]);
        struct stat st;
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
            walk(path);
        else if (strlen(names[i]) > 5 && strcmp(names[i] + strlen(names[i]) - 5, ".smdl") == 0)
            one_file(path);
        free(path);
        free(names[i]);
    }
    free(names);
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: test_fmt_props ROOT STDLIB_DIR MIN_FILES\n");
        return 2;
    }
    stdlib_dir = argv[2];
    walk(argv[1]);
    printf("%d files parsed, %d checked, %d do not parse; %d failures\n", parsed, checked,
           unparsable, failures);
    if (parsed < atoi(argv[3])) {
        fprintf(stderr, "FAIL: fewer than %s files parsed\n", argv[3]);
        return 1;
    }
    return failures ? 1 : 0;
}
