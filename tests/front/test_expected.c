/*
 * test_expected.c: smc_parse_expected, the tokens the grammar accepts at
 * a cursor (what the language server completes keywords from).  Each
 * case is a text with '|' at the cursor and the exact list expected.
 */
#include "front.h"

#include <stdio.h>
#include <string.h>

/* The expected tokens at the '|' of text, joined by spaces. */
static const char *expected_at(fx *f, const char *text, size_t cap, size_t *count)
{
    const char *bar = strchr(text, '|');
    assert_non_null(bar);
    uint32_t off = (uint32_t)(bar - text);
    sm_buf src = SM_BUF_INIT;
    sm_buf_append(&src, text, off);
    sm_buf_puts(&src, bar + 1);
    const char *out[128];
    assert_true(cap <= 128);
    size_t n = smc_parse_expected(&f->ctx, src.data, (uint32_t)src.len, off, out, cap);
    sm_buf_reset(&f->scratch);
    sm_buf_puts(&f->scratch, "");
    for (size_t i = 0; i < n && i < cap; i++)
        sm_buf_printf(&f->scratch, "%s%s", i ? " " : "", out[i]);
    sm_buf_free(&src);
    if (count)
        *count = n;
    return f->scratch.data;
}

static void test_positions(void **state)
{
    fx *f = *state;
    fx_parse_ok(f, "module m;"); /* a live context */
    static const char *const cases[][2] = {
        /* The start of the file and between declarations. */
        {"|", "module import type enum model table row query"},
        {"module m;\n|", "module import type enum model table row query"},
        {"module m;\ntable T { a: int; }\n|\nmodel U {}",
         "module import type enum model table row query"},
        /* A word being typed is left out of the prefix. */
        {"module m;\nmo|", "module import type enum model table row query"},
        {"module m;\nmo|del T {}", "module import type enum model table row query"},
        /* After a declaration's keyword: its name. */
        {"module m;\ntable |", "identifier"},
        /* A model's body, after a field name and ':', after a type. */
        {"module m;\ntable T {\n  a: int;\n  |\n}", "index unique check primary identifier }"},
        {"module m;\ntable T {\n  a|", "index unique check primary identifier }"},
        {"module m;\ntable T {\n  a |", ":"},
        {"module m;\ntable T {\n  a: |", "identifier ["},
        {"module m;\ntable T {\n  a: int |", "attribute ; ( ? ="},
        {"module m;\ntable T {\n  a: int @|", "attribute ; ( ? ="},
        {"module m;\ntable T {\n  a: int @pk |", "attribute ; ( ="},
        {"module m;\ntable T : |", "identifier"},
        /* Queries. */
        {"module m;\nquery q(|", "identifier )"},
        {"module m;\nquery q() |", "->"},
        {"module m;\nquery q() -> |", "each exec identifier ["},
        {"module m;\nquery q() -> [T] { |", "select insert update delete"},
        {"module m;\nquery q() -> [T] { select |",
         "distinct exists true false null identifier number string : ( not + -"},
        {"module m;\nquery q() -> [T] { select T |",
         "from join left where group having order limit offset for as , . ( } or and not is "
         "like between in == != < <= > >= + - * /"},
        {"module m;\nquery q() -> [T] { select T from T wh|",
         "join left where group having order limit offset for }"},
        {"module m;\nquery q() -> [T] { select T order by a |",
         "asc desc nulls limit offset for : , . ( } or and not is like between in == != < <= > "
         ">= + - * /"},
        {"module m;\nenum E { a, |", "identifier }"},
        /* After a declaration that failed: a new one may begin at the
         * start of a line outside braces, and the next one is parsed. */
        {"module m;\ntable T { a: int $ }\n|", "module import type enum model table row query"},
        {"module m;\ntable T { a int; }\ntable U {\n  |", "index unique check primary identifier }"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *got = expected_at(f, cases[i][0], 128, NULL);
        if (strcmp(got, cases[i][1]) != 0)
            fail_msg("at the '|' of:\n%s\nexpected: %s\n     got: %s", cases[i][0], cases[i][1],
                     got);
    }
}

static void test_nothing_to_offer(void **state)
{
    fx *f = *state;
    fx_parse_ok(f, "module m;");
    static const char *const cases[] = {
        "module m;\n// a comment, mo|",            /* inside a line comment */
        "module m;\n/* a comment |",               /* an unterminated block comment */
        "module m;\ntable T { a int; |",          /* a syntax error in the declaration */
        "module m;\ntable T { a: int $\n|",       /* a lexical error in it */
        "module m;\ntable T { a int;\n}\nfoo |",   /* after it, not at the start of a line */
        "module m;\nimport \"x|",                 /* inside a string */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t n = 99;
        const char *got = expected_at(f, cases[i], 128, &n);
        if (n != 0)
            fail_msg("expected nothing at the '|' of:\n%s\ngot %zu: %s", cases[i], n, got);
    }
    /* The context passed in gains no diagnostic. */
    assert_int_equal(f->ctx.nerrors, 0);
    assert_null(f->ctx.diags);
}

static void test_cap(void **state)
{
    fx *f = *state;
    fx_parse_ok(f, "module m;");
    size_t n = 0;
    /* All are counted, at most cap are written. */
    assert_string_equal(expected_at(f, "|", 3, &n), "module import type");
    assert_int_equal(n, 8);
    assert_string_equal(expected_at(f, "|", 0, &n), "");
    assert_int_equal(n, 8);
    assert_int_equal(smc_parse_expected(&f->ctx, "", 0, 0, NULL, 0), 8);
    /* An offset past the end is the end. */
    const char *out[8];
    assert_int_equal(smc_parse_expected(&f->ctx, "module", 6, 100, out, 8), 8);
    assert_string_equal(out[0], "module");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_positions),
        cmocka_unit_test(test_nothing_to_offer),
        cmocka_unit_test(test_cap),
    };
    return cmocka_run_group_tests(tests, fx_setup, fx_teardown);
}
