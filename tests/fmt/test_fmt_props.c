/*
 * test_fmt_props.c: the properties of the canonical printer, on every
 * .smdl file under a directory (the repository):
 *
 *   - the printed text parses, and printing it again gives the same text;
 *   - it holds the same comments, in the same order, with the same text;
 *   - the same holds with a comment between every two tokens, block
 *     comments or line comments;
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
#include "lex.h"
#include "walk.h"
#include "print.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* Checks the printer on `text` standing for the file at path (NULL: the
 * file itself); when it checks, the printed text must generate what it
 * does.  *parsed_out receives whether the text parsed. */
static void properties(const char *path, const char *text, size_t len, const char *variant,
                       bool *parsed_out)
{
    smc_ctx a, b;
    ctx_open(&a);
    ctx_open(&b);
    sm_buf p1 = SM_BUF_INIT, p2 = SM_BUF_INIT;
    outputs oa, ob;
    memset(&oa, 0, sizeof oa);
    memset(&ob, 0, sizeof ob);
    char what[256];
    *parsed_out = false;
    if (text && !smc_overlay_set(&a, path, text, len)) {
        fail(path, "overlay failed");
        goto done;
    }
    int id = smc_source_load(&a, path, NULL);
    smc_file *fa = id >= 0 ? smc_parse_file(&a, (uint32_t)id) : NULL;
    if (!fa) {
        if (text) { /* comments between tokens never stop a parse */
            snprintf(what, sizeof what, "%s: does not parse", variant);
            fail(path, what);
        }
        goto done;
    }
    *parsed_out = true;
    if (!smc_print_file(&a, fa, &p1)) {
        snprintf(what, sizeof what, "%s: printing failed", variant);
        fail(path, what);
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
        snprintf(what, sizeof what, "%s: the printed text does not parse", variant);
        fail(path, what);
        goto done;
    }
    if (!same_comments(&a, fa, &b, fb)) {
        snprintf(what, sizeof what, "%s: the printed text does not keep the comments", variant);
        fail(path, what);
    }
    if (!smc_print_file(&b, fb, &p2) || !same_buf(&p1, &p2)) {
        fprintf(stderr, "--- first\n%s--- second\n%s", p1.data, p2.data ? p2.data : "");
        snprintf(what, sizeof what, "%s: printing is not idempotent", variant);
        fail(path, what);
    }
    if (!smc_check(&a, fa) || a.nerrors)
        goto done;
    if (!smc_guarded(&a, emit_all, &oa)) {
        fail(path, "emitting failed");
        goto done;
    }
    if (!text)
        checked++;
    const outputs *ref = &oa;
    if (!smc_check(&b, fb) || b.nerrors) {
        snprintf(what, sizeof what, "%s: the printed text does not check", variant);
        fail(path, what);
        goto done;
    }
    if (!smc_guarded(&b, emit_all, &ob)) {
        fail(path, "emitting failed");
        goto done;
    }
    bool same = same_buf(&ref->h, &ob.h) && same_buf(&ref->c, &ob.c);
    for (int i = 0; i < SM_NDIALECTS; i++)
        same = same && same_buf(&ref->sql[i], &ob.sql[i]);
    if (!same) {
        snprintf(what, sizeof what, "%s: the printed text generates other C or SQL", variant);
        fail(path, what);
    }
done:
    sm_buf_free(&p1);
    sm_buf_free(&p2);
    outputs_free(&oa);
    outputs_free(&ob);
    a.incdirs = b.incdirs = NULL;
    smc_ctx_free(&a);
    smc_ctx_free(&b);
}

/* The file with a comment between every two tokens: a block comment
 * (c1 between slash-stars), or a line comment (//c1 and a newline). */
static char *stuffed(const char *text, size_t len, bool line, size_t *outlen)
{
    sm_buf b = SM_BUF_INIT;
    smc_lexer lx;
    smc_lex_init(&lx, text, (uint32_t)len);
    uint32_t at = 0;
    int k = 0;
    for (;;) {
        smc_token t;
        int code = smc_lex(&lx, &t);
        if (code == SMC_LEX_ERROR)
            break;
        uint32_t end = code == SMC_LEX_EOF ? (uint32_t)len : t.off + t.len;
        sm_buf_append(&b, text + at, end - at);
        at = end;
        if (code == SMC_LEX_EOF)
            break;
        /* Not after a '-': smc writes a negative literal's source text
         * into SQL, comments and line breaks within it included, so the
         * layout inside it would change the SQL. */
        if (code != SMC_LEX_COMMENT && code != SMC_TK_MINUS)
            sm_buf_printf(&b, line ? " //c%d\n" : " /*c%d*/ ", ++k);
    }
    *outlen = b.len;
    return b.data ? b.data : strdup("");
}

static void one_file(const char *path)
{
    bool ok;
    properties(path, NULL, 0, "as written", &ok);
    if (!ok) {
        unparsable++;
        if (!under_compile_fail(path))
            fail(path, "does not parse, outside tests/compile_fail");
        return;
    }
    parsed++;
    /* The same with comments everywhere. */
    smc_ctx c;
    ctx_open(&c);
    int id = smc_source_load(&c, path, NULL);
    for (int line = 0; id >= 0 && line < 2; line++) {
        size_t n;
        char *t = stuffed(c.files[id]->text, c.files[id]->len, line, &n);
        /* Compared with what the commented text itself generates: the
         * SQL of a literal is its source text, and a comment between a
         * '-' and its number is part of it. */
        properties(path, t, n, line ? "line comments everywhere" : "block comments everywhere",
                   &ok);
        free(t);
    }
    c.incdirs = NULL;
    smc_ctx_free(&c);
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: test_fmt_props ROOT STDLIB_DIR MIN_FILES\n");
        return 2;
    }
    stdlib_dir = argv[2];
    smc_test_walk(argv[1], one_file);
    printf("%d files parsed, %d checked, %d do not parse; %d failures\n", parsed, checked,
           unparsable, failures);
    if (parsed < atoi(argv[3])) {
        fprintf(stderr, "FAIL: fewer than %s files parsed\n", argv[3]);
        return 1;
    }
    return failures ? 1 : 0;
}
