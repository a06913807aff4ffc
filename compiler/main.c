/*
 * main.c: the smc command line (DESIGN 6).
 *
 *   smc FILE -o DIR [-I DIR]... [--depfile FILE]     FILE's .h and .c into DIR
 *   smc check FILE [-I DIR]... [--diagnostics=json]  diagnostics only
 *   smc sql FILE --dialect NAME [-I DIR]...          DDL and statements
 *
 * Exit status: 0 success (warnings allowed), 1 errors in the input,
 * 2 usage errors or unwritable outputs.
 */
#include "emit.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef SMC_STDLIB_DIR
#define SMC_STDLIB_DIR "/usr/local/share/smdl"
#endif

enum { CMD_GENERATE, CMD_CHECK, CMD_SQL };

typedef struct options {
    int cmd;
    const char *file, *outdir, *depfile, *dialect;
    bool json;
} options;

static int usage(const char *why)
{
    if (why)
        fprintf(stderr, "smc: %s\n", why);
    fputs("usage: smc FILE -o DIR [-I DIR]... [--depfile FILE]\n"
          "       smc check FILE [-I DIR]... [--diagnostics=json]\n"
          "       smc sql FILE --dialect sqlite|postgres|mysql [-I DIR]...\n"
          "       smc --version\n",
          stderr);
    return 2;
}

static int parse_args(int argc, char **argv, options *o, smc_ctx *ctx)
{
    int i = 1;
    if (i < argc && strcmp(argv[i], "check") == 0)
        o->cmd = CMD_CHECK, i++;
    else if (i < argc && strcmp(argv[i], "sql") == 0)
        o->cmd = CMD_SQL, i++;
    ctx->incdirs = calloc((size_t)argc + 1, sizeof *ctx->incdirs);
    if (!ctx->incdirs)
        return usage("out of memory");
    for (; i < argc; i++) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "-o") == 0 && val && o->cmd == CMD_GENERATE)
            o->outdir = val, i++;
        else if (strcmp(a, "-I") == 0 && val)
            ctx->incdirs[ctx->nincdirs++] = val, i++;
        else if (strncmp(a, "-I", 2) == 0 && a[2])
            ctx->incdirs[ctx->nincdirs++] = a + 2;
        else if (strcmp(a, "--depfile") == 0 && val && o->cmd == CMD_GENERATE)
            o->depfile = val, i++;
        else if (strcmp(a, "--dialect") == 0 && val && o->cmd == CMD_SQL)
            o->dialect = val, i++;
        else if (strcmp(a, "--diagnostics=json") == 0 && o->cmd == CMD_CHECK)
            o->json = true;
        else if (strcmp(a, "--diagnostics=text") == 0 && o->cmd == CMD_CHECK)
            o->json = false;
        else if (a[0] == '-' && a[1])
            return usage(smc_printf(ctx, "unknown or misplaced option '%s'", a));
        else if (!o->file)
            o->file = a;
        else
            return usage("one input file at a time");
    }
    ctx->incdirs[ctx->nincdirs++] = SMC_STDLIB_DIR;
    if (!o->file)
        return usage("no input file");
    if (o->cmd == CMD_GENERATE && !o->outdir)
        return usage("missing -o DIR");
    if (o->cmd == CMD_SQL && (!o->dialect || !smc_dialect_named(o->dialect)))
        return usage("--dialect must be sqlite, postgres or mysql");
    return 0;
}

/* Writes path atomically: a temporary file renamed over it. */
static bool write_file(const char *path, const sm_buf *b)
{
    size_t n = strlen(path);
    char *tmp = malloc(n + 16);
    if (!tmp)
        return false;
    snprintf(tmp, n + 16, "%s.tmp%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "wb");
    bool ok = f && fwrite(b->data ? b->data : "", 1, b->len, f) == b->len;
    if (f && fclose(f) != 0)
        ok = false;
    if (ok && rename(tmp, path) != 0)
        ok = false;
    if (!ok) {
        fprintf(stderr, "smc: cannot write '%s': %s\n", path, strerror(errno));
        remove(tmp);
    }
    free(tmp);
    return ok;
}

static bool generate(smc_ctx *ctx, const options *o)
{
    smc_sema *s = ctx->sema;
    char *h = smc_printf(ctx, "%s/%s.h", o->outdir, s->file_base);
    char *c = smc_printf(ctx, "%s/%s.c", o->outdir, s->file_base);
    sm_buf hb = SM_BUF_INIT, cb = SM_BUF_INIT;
    smc_emit_header(ctx, &hb);
    smc_emit_source(ctx, &cb);
    bool ok = write_file(h, &hb) && write_file(c, &cb);
    sm_buf_free(&hb);
    sm_buf_free(&cb);
    if (ok && o->depfile) {
        /* Make syntax: the outputs depend on the input and its imports. */
        sm_buf d = SM_BUF_INIT;
        sm_buf_printf(&d, "%s %s: %s", c, h, o->file);
        for (uint32_t i = 0; i < s->nimports; i++)
            sm_buf_printf(&d, " \\\n  %s", ctx->files[s->imports[i]->source]->path);
        sm_buf_putc(&d, '\n');
        ok = write_file(o->depfile, &d);
        sm_buf_free(&d);
    }
    return ok;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--version") == 0) {
        printf("smc %s\n", SMDL_VERSION);
        return 0;
    }
    if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        usage(NULL);
        return 0;
    }
    smc_ctx ctx;
    smc_ctx_init(&ctx);
    options o = {0};
    int rc = parse_args(argc, argv, &o, &ctx);
    if (rc == 0) {
        int id = smc_source_load(&ctx, o.file, NULL);
        smc_file *f = id >= 0 ? smc_parse_file(&ctx, (uint32_t)id) : NULL;
        if (f)
            smc_check(&ctx, f);
        sm_buf out = SM_BUF_INIT;
        if (o.json)
            smc_diag_render_json(&ctx, &out);
        else
            smc_diag_render_text(&ctx, &out);
        if (out.len)
            fputs(out.data, o.json ? stdout : stderr);
        sm_buf_free(&out);
        rc = ctx.nerrors ? 1 : 0;
        if (rc == 0 && o.cmd == CMD_GENERATE && !generate(&ctx, &o))
            rc = 2;
        if (rc == 0 && o.cmd == CMD_SQL) {
            sm_buf sql = SM_BUF_INIT;
            smc_emit_sql_listing(&ctx, smc_dialect_named(o.dialect), &sql);
            fwrite(sql.data, 1, sql.len, stdout);
            sm_buf_free(&sql);
        }
    }
    free(ctx.incdirs);
    smc_ctx_free(&ctx);
    return rc;
}
