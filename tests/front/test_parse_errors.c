/*
 * test_parse_errors.c: how the parser fails and how it scales.  An error
 * loses the declaration it is in and no more, with one diagnostic; syntax
 * errors name what was expected, at the right place; some common
 * mistakes get a message that says what to do; and long lists (fields,
 * members, items, arguments) parse in time proportional to their length.
 */
#include "front.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* The names of the declarations kept, and of those lost ("!name"), in
 * source order of the kept ones then map order of the lost ones. */
static const char *outline(fx *f)
{
    sm_buf *b = &f->scratch;
    sm_buf_reset(b);
    sm_buf_puts(b, "");
    smc_file *file = f->file;
    if (!file)
        return "(none)";
    if (file->module.s)
        sm_buf_printf(b, "module %s;", file->module.s);
    for (smc_decl *d = file->decls; d; d = d->next)
        sm_buf_printf(b, " %s", d->name.s);
    /* Lost names, sorted, so the map's order does not matter. */
    const char *lost[16];
    size_t n = 0;
    for (size_t i = 0; i < file->broken.cap && n < 16; i++)
        if (file->broken.slots[i].key)
            lost[n++] = file->broken.slots[i].key;
    for (size_t i = 1; i < n; i++)
        for (size_t k = i; k > 0 && strcmp(lost[k - 1], lost[k]) > 0; k--) {
            const char *t = lost[k];
            lost[k] = lost[k - 1];
            lost[k - 1] = t;
        }
    for (size_t i = 0; i < n; i++)
        sm_buf_printf(b, " !%s", lost[i]);
    return smc_strdup(&f->ctx, b->data);
}

/* An error loses the declaration it is in, not the file: each broken
 * declaration reports one error, the others are kept, and the names of
 * the lost ones are recorded. */
static void test_recovery(void **state)
{
    fx *f = *state;
    static const struct {
        const char *src, *diags, *outline;
    } cases[] = {
        /* Two syntax errors in two declarations: both reported. */
        {"module m;\n"
         "table A { a: int; b int; c: text; }\n"
         "table B { x: int @pk }\n"
         "enum E { a, b }\n",
         "t.smdl:2:21: error: expected ':', found name 'int' [E0009]\n"
         "table A { a: int; b int; c: text; }\n"
         "                    ^~~\n"
         "t.smdl:3:21: error: expected ';' after '@pk' [E0009]\n"
         "table B { x: int @pk }\n"
         "                    ^\n",
         "module m; E !A !B"},
        /* More mistakes in the same declaration: one error only. */
        {"module m;\n"
         "table A {\n"
         "  a: int;\n"
         "  b: text\n"
         "  c: int = = ;\n"
         "  d: ) ) ;\n"
         "}\n"
         "table B { x: int @pk; }\n",
         "t.smdl:4:10: error: expected ';' after 'text' [E0009]\n"
         "  b: text\n"
         "         ^\n",
         "module m; B !A"},
        /* A body left open: the next declaration, in the first column,
         * is read as one; `type` and `model` as field names are not. */
        {"module m;\n"
         "table A {\n"
         "  a: int @pk;\n"
         "\n"
         "table B {\n"
         "  type: int;\n"
         "  model: text;\n"
         "}\n",
         "t.smdl:5:1: error: expected '}' before 'table' [E0009]\n"
         "table B {\n"
         "^~~~~\n"
         "t.smdl:2:9: note: to close this '{'\n"
         "table A {\n"
         "        ^\n",
         "module m; B !A"},
        /* A broken body whose fields are named like declarations. */
        {"module m;\n"
         "table A {\n"
         "  id int;\n"
         "  type: text;\n"
         "  query: int;\n"
         "}\n"
         "query q() -> [A] { select A }\n",
         "t.smdl:3:6: error: expected ':', found name 'int' [E0009]\n"
         "  id int;\n"
         "     ^~~\n",
         "module m; q !A"},
        /* The end of the file in the middle of a declaration. */
        {"module m;\n"
         "table A { id: int @pk; }\n"
         "query q() -> [A] { select A where id ==",
         "t.smdl:3:40: error: expected an expression, found end of file [E0009]\n"
         "query q() -> [A] { select A where id ==\n"
         "                                       ^\n",
         "module m; A !q"},
        /* A lexical error is one more kind: the lexer goes on after it. */
        {"module m;\n"
         "table A { s: text = \"a\\qb\"; t: int; }\n"
         "table B { $ }\n"
         "table C { id: int; }\n",
         "t.smdl:2:23: error: unknown escape '\\q' (use \\\\ \\\" \\n \\t or \\u{hex}) [E0004]\n"
         "table A { s: text = \"a\\qb\"; t: int; }\n"
         "                      ^~\n"
         "t.smdl:3:11: error: stray '$' in the source [E0001]\n"
         "table B { $ }\n"
         "          ^\n",
         "module m; C !A !B"},
        /* An unterminated string runs to the end of its line only. */
        {"module m;\n"
         "table A { s: text = \"abc; }\n"
         "table B { id: int; }\n",
         "t.smdl:2:21: error: unterminated string (missing '\"' before the end of the line) "
         "[E0002]\n"
         "table A { s: text = \"abc; }\n"
         "                    ^\n",
         "module m; B !A"},
        /* Junk between declarations is one error, up to the next one. */
        {"module m;\n"
         "} ; ) junk here\n"
         "table A { id: int; }\n"
         "table B { id: int; } }\n"
         "enum C { x }\n",
         "t.smdl:2:1: error: expected 'module', 'import', 'type', 'enum', 'model', 'table', "
         "'row' or 'query', found '}' [E0009]\n"
         "} ; ) junk here\n"
         "^\n"
         "t.smdl:4:22: error: expected 'module', 'import', 'type', 'enum', 'model', 'table', "
         "'row' or 'query', found '}' [E0009]\n"
         "table B { id: int; } }\n"
         "                     ^\n",
         "module m; A B C"},
        /* A broken module declaration still names the module. */
        {"module m\n"
         "table A { id: int; }\n",
         "t.smdl:1:9: error: expected ';' after 'm' [E0009]\n"
         "module m\n"
         "        ^\n",
         "module m; A"},
        /* Errors of the builders lose their declaration too. */
        {"module m;\n"
         "table A { d: decimal(9223372036854775808, 2); }\n"
         "table B { f: float = 1e999; }\n"
         "table C { id: int; }\n",
         "t.smdl:2:22: error: integer literal out of range [E0008]\n"
         "table A { d: decimal(9223372036854775808, 2); }\n"
         "                     ^~~~~~~~~~~~~~~~~~~\n"
         "t.smdl:3:22: error: floating-point literal out of range [E0008]\n"
         "table B { f: float = 1e999; }\n"
         "                     ^~~~~\n",
         "module m; C !A !B"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *out = fx_parse_fail(f, cases[i].src);
        if (strcmp(out, cases[i].diags) != 0)
            fail_msg("case %zu:\n%s\ngot:\n%s\nwant:\n%s", i, cases[i].src, out, cases[i].diags);
        assert_non_null(f->file);
        assert_true(f->file->parse_errors);
        const char *got = outline(f);
        if (strcmp(got, cases[i].outline) != 0)
            fail_msg("case %zu:\n%s\noutline: %s\nwant:    %s", i, cases[i].src, got,
                     cases[i].outline);
    }
    /* Without a module, nothing comes back; a missing module is not
     * reported on top of a syntax error that may have lost it. */
    const char *out = fx_parse_fail(f, "modul m;\ntable A { id: int; }\n");
    assert_null(f->file);
    assert_string_equal(out, "t.smdl:1:1: error: expected 'module', 'import', 'type', 'enum', "
                             "'model', 'table', 'row' or 'query', found name 'modul' [E0009]\n"
                             "modul m;\n"
                             "^~~~~\n");
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
    if (strstr(text, "broken"))
        fx_parse_fail(f, text);
    else
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
        /* Each one a syntax error, skipped up to the next. */
        {"broken declarations", "module m;\n",
         "model M%d { broken int; (((( type: x; }\nmodel N { a: int; }\n", "", ""},
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
        cmocka_unit_test(test_recovery),
        cmocka_unit_test(test_expected_tokens),
        cmocka_unit_test(test_missing_rparen_in_expression),
        cmocka_unit_test(test_assign_in_condition),
        cmocka_unit_test(test_long_lists_parse_in_linear_time),
    };
    return cmocka_run_group_tests(tests, fx_setup, fx_teardown);
}
