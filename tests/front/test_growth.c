/*
 * test_growth.c: checking a schema costs memory in proportion to the
 * schema (and to what it generates), measured without a clock: the bytes
 * the context's arena handed out (smc_ctx.used_bytes) while loading,
 * parsing and checking each shape that was once quadratic, at n and at
 * 4n.  Linear work gives 4x; the old copying of lists on each append,
 * of the whole string on each adjacent literal, or of every candidate
 * for each did-you-mean gave 16x.  The shapes are bench/smc_growth's, at
 * sizes that take milliseconds.
 */
#include "map.h"
#include "sema.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

typedef void (*shape_fn)(sm_buf *b, size_t n);

static void queries(sm_buf *b, size_t n)
{
    sm_buf_puts(b, "table T { id: int @pk @auto; name: text; age: int?; }\n");
    for (size_t i = 0; i < n; i++)
        sm_buf_printf(b, "query q%zu(a: int) -> [T] { select T where age > :a order by name }\n", i);
}

static void enums(sm_buf *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        sm_buf_printf(b, "enum E%zu { a, b, c }\n", i);
}

static void strings(sm_buf *b, size_t n)
{
    sm_buf_puts(b, "table T { id: int @pk; s: text =");
    for (size_t i = 0; i < n; i++)
        sm_buf_puts(b, " \"abcdefgh\"");
    sm_buf_puts(b, "; }\n");
}

static void fields(sm_buf *b, size_t n)
{
    sm_buf_puts(b, "table T { id: int @pk;");
    for (size_t i = 0; i < n; i++)
        sm_buf_printf(b, " f%zu: int @index;", i);
    sm_buf_puts(b, " }\n");
}

static void params(sm_buf *b, size_t n)
{
    sm_buf_puts(b, "table T { id: int @pk @auto;");
    for (size_t i = 0; i < n; i++)
        sm_buf_printf(b, " c%zu: int;", i);
    sm_buf_puts(b, " }\nquery q(");
    for (size_t i = 0; i < n; i++)
        sm_buf_printf(b, "%sp%zu: int", i ? ", " : "", i);
    sm_buf_puts(b, ") -> exec { insert T (");
    for (size_t i = 0; i < n; i++)
        sm_buf_printf(b, "%sc%zu", i ? ", " : "", i);
    sm_buf_puts(b, ") values (");
    for (size_t i = 0; i < n; i++)
        sm_buf_printf(b, "%s:p%zu", i ? ", " : "", i);
    sm_buf_puts(b, ") }\n");
}

static void items(sm_buf *b, size_t n)
{
    sm_buf_puts(b, "table T { id: int @pk; }\nquery q() -> [R] { select ");
    for (size_t i = 0; i < n; i++)
        sm_buf_printf(b, "%sid + %zu as c%zu", i ? ", " : "", i, i);
    sm_buf_puts(b, " from T }\n");
}

static void nested_calls(sm_buf *b, size_t n)
{
    sm_buf_puts(b, "table T { id: int @pk; }\nquery q() -> int { select coalesce(");
    for (size_t i = 0; i < n; i++)
        sm_buf_printf(b, "%scoalesce(id, %zu)", i ? ", " : "", i);
    sm_buf_puts(b, ") as n from T }\n");
}

static void tables(sm_buf *b, size_t n)
{
    sm_buf_puts(b, "table T0 { id: int @pk @auto; }\n");
    for (size_t i = 1; i < n; i++)
        sm_buf_printf(b, "table T%zu { id: int @pk @auto; up: int? @fk(T%zu.id); }\n", i, i - 1);
}

static void errors(sm_buf *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        sm_buf_printf(b, "model M%zu { a: Nope%zu; }\n", i, i);
}

/* The realistic schema of bench/smc_growth's scale runs (gen.py app):
 * tables of several columns, each with an FK to the one before, an index
 * and two queries. */
static void app(sm_buf *b, size_t n)
{
    sm_buf_puts(b, "table T0 { id: int @pk @auto; name: text @max_len(255); }\n");
    for (size_t i = 1; i < n; i++)
        sm_buf_printf(b,
                      "table T%zu { id: int @pk @auto; name: text @index @max_len(255); "
                      "note: text?; age: i32?; score: float = 0; created: datetime?; "
                      "up: int? @fk(T%zu.id); }\n",
                      i, i - 1);
    for (size_t i = 1; i < n; i++)
        sm_buf_printf(b,
                      "query older%zu(min_age: i32, n: int) -> [T%zu] "
                      "{ select T%zu where age > :min_age order by name limit :n }\n"
                      "query set_age%zu(id: int, age: i32) -> exec "
                      "{ update T%zu set age = :age where id == :id }\n",
                      i, i, i, i, i);
}

/* A table of n columns and n queries, each naming an unknown column of
 * it: did-you-mean candidates only for the 100 errors shown. */
static void unknown_columns(sm_buf *b, size_t n)
{
    sm_buf_puts(b, "table T { id: int @pk;");
    for (size_t i = 0; i < n; i++)
        sm_buf_printf(b, " c%zu: int;", i);
    sm_buf_puts(b, " }\n");
    for (size_t i = 0; i < n; i++)
        sm_buf_printf(b, "query q%zu() -> [T] { select T where T.x%zu == 1 }\n", i, i);
}

/* n models that each hold themselves: n errors (100 shown). */
static void cycles(sm_buf *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        sm_buf_printf(b, "model M%zu { x: int; me: M%zu?; }\n", i, i);
}

/* A chain of data models: Mk has k + 1 fields, and the schema plans
 * conversions between every two of them (n^2 / 2): quadratic in n, and
 * linear in what it generates. */
static void chain(sm_buf *b, size_t n)
{
    sm_buf_puts(b, "model M0 { f0: int; }\n");
    for (size_t i = 1; i < n; i++)
        sm_buf_printf(b, "model M%zu : M%zu { f%zu: int; }\n", i, i - 1, i);
}

/* A self-referencing table and a query whose `with` has a path of n
 * elements and n - 1 more that share its prefixes, each turning aside
 * at its end: 2n - 1 loads. */
static void with_paths(sm_buf *b, size_t n)
{
    sm_buf_puts(b, "table N { id: int @pk; p: int? @fk(N.id); q: int? @fk(N.id);\n"
                   "    down: [N] @rel(N.p); side: [N] @rel(N.q); }\n"
                   "query q() -> [N with ");
    for (size_t i = 0; i < n; i++)
        sm_buf_puts(b, i ? ".down" : "down");
    for (size_t i = 1; i < n; i++) {
        sm_buf_puts(b, ", ");
        for (size_t k = 0; k < i; k++)
            sm_buf_puts(b, k ? ".down" : "down");
        sm_buf_puts(b, ".side");
    }
    sm_buf_puts(b, "] { select N }\n");
}

/* The arena bytes of checking shape(n); the schema must check as
 * expected (errors only for the shape made of them). */
static size_t cost(const char *name, shape_fn shape, size_t n, bool expect_ok)
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
    bool ok = f && smc_check(ctx, f);
    if (ok != expect_ok) {
        sm_buf out = SM_BUF_INIT;
        smc_diag_render_text(ctx, &out);
        fail_msg("%s(%zu): %s", name, n, out.data ? out.data : "no diagnostics");
    }
    size_t used = ctx->used_bytes;
    smc_ctx_free(ctx);
    free(ctx);
    sm_buf_free(&b);
    return used;
}

/* cost(4n) / cost(n) within `limit` (4 is exactly linear). */
static void grows(const char *name, shape_fn shape, size_t n, double limit, bool expect_ok)
{
    size_t small = cost(name, shape, n, expect_ok), large = cost(name, shape, 4 * n, expect_ok);
    double ratio = (double)large / (double)small;
    print_message("%-12s n=%-6zu %10zu bytes, 4n: %10zu bytes, x%.2f\n", name, n, small, large,
                  ratio);
    if (ratio > limit)
        fail_msg("%s: 4x the input took x%.2f the memory (at most x%.1f)", name, ratio, limit);
}

static void test_linear_shapes(void **state)
{
    (void)state;
    grows("queries", queries, 1000, 4.5, true);
    grows("enums", enums, 1000, 4.5, true);
    grows("strings", strings, 2000, 4.5, true);
    grows("fields", fields, 1000, 4.5, true);
    grows("params", params, 1000, 4.5, false); /* a query binds 127 at most (E0424) */
    grows("items", items, 1000, 4.5, true);
    grows("nested", nested_calls, 1000, 4.5, false); /* coalesce takes 64 at most */
    grows("tables", tables, 1000, 4.5, true);
    grows("errors", errors, 1000, 4.5, false);
    grows("cycles", cycles, 1000, 4.5, false);
    grows("columns", unknown_columns, 1000, 4.5, false);
    grows("app", app, 500, 4.5, true);
}

/* A map of a few names takes a few slots: each query and table has maps
 * of its own (parameters, columns), and 64 slots each were once 60% of
 * the memory of checking a schema of many small tables. */
static void test_small_maps(void **state)
{
    (void)state;
    smc_ctx ctx;
    smc_ctx_init(&ctx);
    smc_map m = {0};
    static const char *const keys[] = {"id", "name", "age"};
    for (size_t i = 0; i < 3; i++)
        assert_null(smc_map_put(&ctx, &m, keys[i], (void *)keys[i]));
    assert_true(m.cap <= 8);
    for (size_t i = 0; i < 3; i++)
        assert_ptr_equal(smc_map_get(&m, keys[i]), keys[i]);
    assert_null(smc_map_get(&m, "note"));
    /* Still found after growing past the first capacity. */
    char names[100][8];
    for (size_t i = 0; i < 100; i++) {
        snprintf(names[i], sizeof names[i], "c%zu", i);
        assert_null(smc_map_put(&ctx, &m, names[i], names[i]));
    }
    assert_int_equal(m.len, 103);
    for (size_t i = 0; i < 100; i++)
        assert_ptr_equal(smc_map_get(&m, names[i]), names[i]);
    for (size_t i = 0; i < 3; i++)
        assert_ptr_equal(smc_map_get(&m, keys[i]), keys[i]);
    smc_ctx_free(&ctx);
}

/* The paths' text is quadratic in n (path k has k elements): 4n costs
 * 16x, never more (each element is looked up once, its prefix not
 * copied). */
static void test_with_paths(void **state)
{
    (void)state;
    grows("with", with_paths, 100, 17.0, true);
}

/* The chain's output is quadratic: 4n costs 16x, never the 64x of
 * work cubic in n (the old checks of every conversion's fields). */
static void test_chain_quadratic_output(void **state)
{
    (void)state;
    grows("chain", chain, 100, 17.0, true);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_linear_shapes),
        cmocka_unit_test(test_small_maps),
        cmocka_unit_test(test_with_paths),
        cmocka_unit_test(test_chain_quadratic_output),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
