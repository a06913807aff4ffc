/*
 * test_parse_errors.c: how the parser fails and how it scales.  It stops
 * at the first error with exactly one diagnostic and no tree; syntax
 * errors name what was expected, at the right place; some common
 * mistakes get a message that says what to do; and long lists (fields,
 * members, items, arguments) parse in time proportional to their length.
 */
#include "front.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static void test_stops_at_first_error(void **state)
{
    fx *f = *state;
    const char *out = fx_parse_fail(f, "module m;\n"
                                       "table T { a: int $ }\n"
                                       "table U { b int; }\n"
                                       "table V { c: int @x(; }\n");
    assert_int_equal(f->ctx.nerrors, 1);
    assert_string_equal(out, "t.smdl:2:18: error: stray '$' in the source [E0001]\n"
                             "table T { a: int $ }\n"
                             "                 ^\n");
    assert_null(f->ctx.files[0]->ast);
    out = fx_parse_fail(f, "module m;\ntable U { b int; }\ntable V { c: int @x(; }\n");
    assert_int_equal(f->ctx.nerrors, 1);
    assert_string_equal(out, "t.smdl:2:13: error: expected ':', found name 'int' [E0009]\n"
                             "table U { b int; }\n"
                             "            ^~~\n");
}

static void test_expected_tokens(void **state)
{
    fx *f = *state;
    static const char *const cases[][2] = {
        {"module m;\ntable T { a: int @pk\n  b: int; }\n",
         "t.smdl:2:21: error: expected ';' after '@pk' [E0009]\n"
         "table T { a: int @pk\n"
         "                    ^\n"},
        {"module m;\ntable T {\n  a: int;\n",
         "t.smdl:3:10: error: expected a name or '}', found end of file [E0009]\n"
         "  a: int;\n"
         "         ^\n"
         "t.smdl:2:9: note: to close this '{'\n"
         "table T {\n"
         "        ^\n"},
        {"module m;\nquery q(a: int -> exec { delete T }\n",
         "t.smdl:2:16: error: expected ')', found '->' [E0009]\n"
         "query q(a: int -> exec { delete T }\n"
         "               ^~\n"
         "t.smdl:2:8: note: to close this '('\n"
         "query q(a: int -> exec { delete T }\n"
         "       ^\n"},
        {"module m;\nquery q() -> [T] { select T where }\n",
         "t.smdl:2:35: error: expected an expression, found '}' [E0009]\n"
         "query q() -> [T] { select T where }\n"
         "                                  ^\n"},
        {"module m;\ntable T { a: int = 1 2; }\n",
         "t.smdl:2:22: error: unexpected '2' [E0009]\n"
         "table T { a: int = 1 2; }\n"
         "                     ^\n"},
        {"module m;\nmodel select { }\n",
         "t.smdl:2:7: error: expected a name, found 'select' [E0009]\n"
         "model select { }\n"
         "      ^~~~~~\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *out = fx_parse_fail(f, cases[i][0]);
        if (strcmp(out, cases[i][1]) != 0)
            fail_msg("case %zu:\n%s\ngot:\n%s\nwant:\n%s", i, cases[i][0], out, cases[i][1]);
    }
}

/* An unclosed '(' in an expression must be reported as a missing ')',
 * like the missing ')' of a parameter list or an attribute. */
static void test_missing_rparen_in_expression(void **state)
{
    fx *f = *state;
    const char *srcs[] = {
        "module m;\nquery q() -> [T] { select T where (a == 1 }\n",
        "module m;\nquery q() -> [T] { select T where (a == 1\n}\n",
        "module m;\ntable T { a: int = (1 + 2; }\n",
    };
    int unclear = 0;
    for (size_t i = 0; i < sizeof srcs / sizeof srcs[0]; i++) {
        const char *out = fx_parse_fail(f, srcs[i]);
        if (!strstr(out, "')'")) {
            print_error("no mention of ')' for an unclosed '(':\n%s---\n%s", srcs[i], out);
            unclear++;
        }
    }
    assert_int_equal(unclear, 0);
}

/* SQL compares with '='; smdl with '=='.  Writing '=' in a condition is
 * the mistake every SQL user makes, and the message must say '=='
 * instead of asking for a '}'. */
static void test_assign_in_condition(void **state)
{
    fx *f = *state;
    const char *srcs[] = {
        "module m;\nquery q() -> [T] { select T where a = 1 }\n",
        "module m;\nquery q() -> exec { delete T where a = 1 }\n",
        "module m;\ntable T { a: int; check (a = 1); }\n",
    };
    int unclear = 0;
    for (size_t i = 0; i < sizeof srcs / sizeof srcs[0]; i++) {
        const char *out = fx_parse_fail(f, srcs[i]);
        if (!strstr(out, "'=='")) {
            print_error("no mention of '==' for '=' in a condition:\n%s---\n%s", srcs[i], out);
            unclear++;
        }
    }
    assert_int_equal(unclear, 0);
}

/* Seconds of processor time to parse text. */
static double parse_seconds(fx *f, const char *text)
{
    clock_t t0 = clock();
    fx_parse_ok(f, text);
    return (double)(clock() - t0) / CLOCKS_PER_SEC;
}

/* Builds `head` + n times `item` (with %d replaced by the index) + tail. */
static void build(sm_buf *b, const char *head, const char *item, const char *sep, int n,
                  const char *tail)
{
    sm_buf_reset(b);
    sm_buf_puts(b, head);
    for (int i = 0; i < n; i++) {
        if (i)
            sm_buf_puts(b, sep);
        sm_buf_printf(b, item, i);
    }
    sm_buf_puts(b, tail);
}

/* Long lists are appended in constant time, so parsing time grows in
 * proportion to their length: doubling a list at most about doubles the
 * time (squaring it, as a walk to the tail per item does, quadruples it).
 * Times too small to measure well pass. */
static void test_long_lists_parse_in_linear_time(void **state)
{
    fx *f = *state;
    enum { N = 10000 };
    static const struct {
        const char *what, *head, *item, *sep, *tail;
    } shapes[] = {
        {"fields", "module m;\nmodel M {\n", "  f%d: int;\n", "", "}\n"},
        {"members", "module m;\nenum E {", "m%d", ",", "}\n"},
        {"select items", "module m;\nquery q() -> [R] { select ", "T.c%d", ", ", " from T }\n"},
        {"attributes", "module m;\nmodel M { a: int ", "@a%d", " ", "; }\n"},
        {"call arguments", "module m;\nmodel M { a: int = f(", "%d", ", ", "); }\n"},
        {"parameters", "module m;\nquery q(", "p%d: int", ", ", ") -> exec { delete T }\n"},
        {"declarations", "module m;\n", "model M%d { a: int; }\n", "", ""},
    };
    sm_buf b = SM_BUF_INIT;
    int slow = 0;
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
        build(&b, shapes[i].head, shapes[i].item, shapes[i].sep, N, shapes[i].tail);
        double t1 = parse_seconds(f, b.data);
        build(&b, shapes[i].head, shapes[i].item, shapes[i].sep, 2 * N, shapes[i].tail);
        double t2 = parse_seconds(f, b.data);
        if (t2 > 0.1 && t2 > 3 * t1) {
            print_error("%s: %d took %.3f s to parse, %d took %.3f s\n", shapes[i].what, N, t1,
                        2 * N, t2);
            slow++;
        }
    }
    sm_buf_free(&b);
    assert_int_equal(slow, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stops_at_first_error),
        cmocka_unit_test(test_expected_tokens),
        cmocka_unit_test(test_missing_rparen_in_expression),
        cmocka_unit_test(test_assign_in_condition),
        cmocka_unit_test(test_long_lists_parse_in_linear_time),
    };
    return cmocka_run_group_tests(tests, fx_setup, fx_teardown);
}
