/*
 * test_emit_growth.c: generating the .h and .c of a schema (what `smc -o`
 * writes, every emitter) costs time in proportion to the schema and its
 * output.  Each shape that once made an emitter quadratic or worse is
 * checked, then generated at n and at 10n; the CPU time of generation
 * alone must grow less than 60x (the old emitters took 100x to 1000x).
 * Linear work is 10x in instructions, but not in time: at 10n the
 * output no longer fits the caches and its fresh pages fault in, which
 * measured up to 40x on a busy machine.  The shapes are bench/smc_growth's
 * generation shapes, where the precise numbers are measured.
 */
#include "emit.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

typedef void (*shape_fn)(sm_buf *b, size_t n);

/* Models nesting the next by value, users first: the header reverses
 * the order (once cubic). */
static void nesting(sm_buf *b, size_t n)
{
    for (size_t i = n - 1; i > 0; i--)
        sm_buf_printf(b, "model M%zu { x: M%zu; }\n", i, i - 1);
    sm_buf_puts(b, "model M0 { a: int; }\n");
}

/* n enums, each used by one model (once quadratic: every enum looked for
 * in every column). */
static void enum_models(sm_buf *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        sm_buf_printf(b, "enum E%zu { a, b }\nmodel M%zu { e: E%zu; }\n", i, i, i);
}

/* A query binds at most 127 parameters (E0424): the shapes with many
 * parameters spread them over queries of this many. */
enum { PER_QUERY = 100 };

/* n nullable parameters, in queries that each insert PER_QUERY columns
 * (a query's comment was once rebuilt per parameter). */
static void null_params(sm_buf *b, size_t n)
{
    sm_buf_puts(b, "table T { id: int @pk @auto;");
    for (size_t i = 0; i < n; i++)
        sm_buf_printf(b, " c%zu: int?;", i);
    sm_buf_puts(b, " }\n");
    for (size_t q = 0; q < n / PER_QUERY; q++) {
        sm_buf_printf(b, "query q%zu(", q);
        for (size_t i = 0; i < PER_QUERY; i++)
            sm_buf_printf(b, "%sp%zu: int?", i ? ", " : "", i);
        sm_buf_puts(b, ") -> exec { insert T (");
        for (size_t i = 0; i < PER_QUERY; i++)
            sm_buf_printf(b, "%sc%zu", i ? ", " : "", q * PER_QUERY + i);
        sm_buf_puts(b, ") values (");
        for (size_t i = 0; i < PER_QUERY; i++)
            sm_buf_printf(b, "%s:p%zu", i ? ", " : "", i);
        sm_buf_puts(b, ") }\n");
    }
}

/* A partial of a table of n columns (each field's column was once looked
 * for among all of them, several times). */
static void partial(sm_buf *b, size_t n)
{
    sm_buf_puts(b, "table T { id: int @pk;");
    for (size_t i = 0; i < n; i++)
        sm_buf_printf(b, " c%zu: int @unique;", i);
    sm_buf_puts(b, " }\nmodel TPatch = partial T;\n");
}

/* n text parameters, each the pattern of a like, in queries of
 * PER_QUERY (a statement was once walked once per parameter). */
static void likes(sm_buf *b, size_t n)
{
    sm_buf_puts(b, "table T { id: int @pk; name: text; }\n");
    for (size_t q = 0; q < n / PER_QUERY; q++) {
        sm_buf_printf(b, "query q%zu(", q);
        for (size_t i = 0; i < PER_QUERY; i++)
            sm_buf_printf(b, "%sp%zu: text", i ? ", " : "", i);
        sm_buf_puts(b, ") -> [R] { select ");
        for (size_t i = 0; i < PER_QUERY; i++)
            sm_buf_printf(b, "%sname like :p%zu as l%zu", i ? ", " : "", i, i);
        sm_buf_puts(b, " from T }\n");
    }
}

typedef struct emit_run {
    sm_buf h, c;
} emit_run;

static void emit(smc_ctx *ctx, void *arg)
{
    emit_run *r = arg;
    smc_emit_header(ctx, &r->h);
    smc_emit_source(ctx, &r->c);
}

/* The CPU seconds of generating shape(n), which must check cleanly; the
 * least of three runs. */
static double cost(const char *name, shape_fn shape, size_t n)
{
    sm_buf b = SM_BUF_INIT;
    sm_buf_printf(&b, "module %s;\n", name);
    shape(&b, n);
    char path[64];
    snprintf(path, sizeof path, "%s.smdl", name);
    smc_ctx *ctx = calloc(1, sizeof *ctx);
    assert_non_null(ctx);
    smc_ctx_init(ctx);
    int id = smc_source_add(ctx, path, b.data, b.len);
    assert_true(id >= 0);
    smc_file *f = smc_parse_file(ctx, (uint32_t)id);
    if (!f || !smc_check(ctx, f)) {
        sm_buf out = SM_BUF_INIT;
        smc_diag_render_text(ctx, &out);
        fail_msg("%s(%zu): %s", name, n, out.data ? out.data : "no diagnostics");
    }
    double best = -1;
    for (int k = 0; k < 3; k++) {
        emit_run r = {SM_BUF_INIT, SM_BUF_INIT};
        clock_t t0 = clock();
        assert_true(smc_guarded(ctx, emit, &r));
        double s = (double)(clock() - t0) / CLOCKS_PER_SEC;
        assert_true(r.h.len > 0 && r.c.len > 0);
        sm_buf_free(&r.h);
        sm_buf_free(&r.c);
        best = best < 0 || s < best ? s : best;
    }
    smc_ctx_free(ctx);
    free(ctx);
    sm_buf_free(&b);
    return best;
}

/* cost(10n) / cost(n) below 60.  A run of n under 10 ms counts as 10 ms:
 * below that the clock's resolution is the larger part. */
static void grows(const char *name, shape_fn shape, size_t n)
{
    double small = cost(name, shape, n), large = cost(name, shape, 10 * n);
    double ratio = large / (small > 0.01 ? small : 0.01);
    print_message("%-12s n=%-6zu %8.3f s, 10n: %8.3f s, x%.1f\n", name, n, small, large, ratio);
    if (ratio > 60)
        fail_msg("%s: 10x the input took x%.1f the time to generate (at most x60)", name, ratio);
}

static void test_nesting(void **state)
{
    (void)state;
    grows("nesting", nesting, 1000);
}

static void test_enum_models(void **state)
{
    (void)state;
    grows("enum_models", enum_models, 2000);
}

static void test_null_params(void **state)
{
    (void)state;
    grows("null_params", null_params, 2000);
}

static void test_partial(void **state)
{
    (void)state;
    grows("partial", partial, 2000);
}

static void test_likes(void **state)
{
    (void)state;
    grows("likes", likes, 2000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nesting),
        cmocka_unit_test(test_enum_models),
        cmocka_unit_test(test_null_params),
        cmocka_unit_test(test_partial),
        cmocka_unit_test(test_likes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
