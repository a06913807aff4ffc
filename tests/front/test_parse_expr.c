/*
 * test_parse_expr.c: expressions.  Operator precedence exactly as in
 * SQLite (or < and < not < is/like/between/in/== != < comparisons < + -
 * < * / < unary), associativity, the negated forms, literals and their
 * values, parameters, calls, subqueries, the spans of expression nodes,
 * and the bound on nesting.
 */
#include "front.h"

#include <stdio.h>
#include <string.h>

static void assert_parses_as(fx *f, const char *cond, const char *sexp)
{
    const char *got = fx_sexp(f, fx_where(f, cond));
    if (strcmp(got, sexp) != 0)
        fail_msg("'%s'\n  parsed as %s\n  expected  %s", cond, got, sexp);
}

static void test_precedence_levels(void **state)
{
    fx *f = *state;
    static const char *const cases[][2] = {
        /* or < and */
        {"a or b and c", "(or a (and b c))"},
        {"a and b or c", "(or (and a b) c)"},
        /* and < not */
        {"not a and b", "(and (not a) b)"},
        {"a and not b", "(and a (not b))"},
        {"not a or not b", "(or (not a) (not b))"},
        /* not < is/like/between/in/== != */
        {"not a == b", "(not (== a b))"},
        {"not a is null", "(not (is-null a))"},
        {"not a like \"x\"", "(not (like a \"x\"))"},
        {"not a in :ids", "(not (in a :ids))"},
        {"not a between 1 and 2", "(not (between a 1 2))"},
        /* == != < comparisons */
        {"a == b < c", "(== a (< b c))"},
        {"a < b == c", "(== (< a b) c)"},
        {"a != b >= c", "(!= a (>= b c))"},
        {"a like b <= c", "(like a (<= b c))"},
        {"a is null == b", "(== (is-null a) b)"},
        /* comparisons < + - */
        {"a < b + c", "(< a (+ b c))"},
        {"a - b > c", "(> (- a b) c)"},
        {"a + b < c * d", "(< (+ a b) (* c d))"},
        /* + - < * / */
        {"a + b * c", "(+ a (* b c))"},
        {"a * b + c", "(+ (* a b) c)"},
        {"a - b / c", "(- a (/ b c))"},
        /* * / < unary */
        {"-a * b", "(* (neg a) b)"},
        {"a * -b", "(* a (neg b))"},
        {"+a - b", "(- (pos a) b)"},
        {"-a is null", "(is-null (neg a))"},
        /* everything at once */
        {"a or b and not c == d + e * -f",
         "(or a (and b (not (== c (+ d (* e (neg f)))))))"},
        {"-f * e + d == c and not b or a",
         "(or (and (== (+ (* (neg f) e) d) c) (not b)) a)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_parses_as(f, cases[i][0], cases[i][1]);
}

static void test_associativity(void **state)
{
    fx *f = *state;
    static const char *const cases[][2] = {
        {"a - b - c", "(- (- a b) c)"},
        {"a / b / c", "(/ (/ a b) c)"},
        {"a - b + c", "(+ (- a b) c)"},
        {"a * b / c", "(/ (* a b) c)"},
        {"a < b < c", "(< (< a b) c)"},
        {"a == b == c", "(== (== a b) c)"},
        {"a or b or c", "(or (or a b) c)"},
        {"a and b and c", "(and (and a b) c)"},
        /* is/like/between/in/== != share one level, left to right */
        {"a == b like c", "(like (== a b) c)"},
        {"a like b == c", "(== (like a b) c)"},
        {"a == b is null", "(is-null (== a b))"},
        {"a in :x == b", "(== (in a :x) b)"},
        {"not not a", "(not (not a))"},
        {"- - a", "(neg (neg a))"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_parses_as(f, cases[i][0], cases[i][1]);
}

static void test_negated_forms(void **state)
{
    fx *f = *state;
    static const char *const cases[][2] = {
        {"name not like \"a%\"", "(not-like name \"a%\")"},
        {"name like \"a%\"", "(like name \"a%\")"},
        {"id not in :ids", "(not-in id :ids)"},
        {"id in :ids", "(in id :ids)"},
        {"age not between 1 and 9", "(not-between age 1 9)"},
        {"age between 1 + 1 and 9 * 2", "(between age (+ 1 1) (* 9 2))"},
        {"age between 1 and 9 and b", "(and (between age 1 9) b)"},
        {"a is not null", "(is-not-null a)"},
        {"a is null or b is not null", "(or (is-null a) (is-not-null b))"},
        {"a + 1 is not null", "(is-not-null (+ a 1))"},
        {"not a is not null", "(not (is-not-null a))"},
        {"a not like b and c not in :d", "(and (not-like a b) (not-in c :d))"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_parses_as(f, cases[i][0], cases[i][1]);
    smc_expr *e = fx_where(f, "name not like \"a%\"");
    assert_int_equal(e->kind, SMC_EX_BINARY);
    assert_int_equal(e->op, SMC_OP_LIKE);
    assert_true(e->negated);
    e = fx_where(f, "age between 1 and 9");
    assert_int_equal(e->kind, SMC_EX_BETWEEN);
    assert_false(e->negated);
    /* Only `is null` and `is not null` exist. */
    fx_parse_fail(f, "module m;\nquery q() -> [T] { select T where a is 1 }\n");
    fx_parse_fail(f, "module m;\nquery q() -> [T] { select T where a is not b }\n");
    fx_parse_fail(f, "module m;\nquery q() -> [T] { select T where a not == b }\n");
    fx_parse_fail(f, "module m;\nquery q() -> [T] { select T where a in (1, 2) }\n");
    fx_parse_fail(f, "module m;\nquery q() -> [T] { select T where a between 1 }\n");
}

static void test_operands(void **state)
{
    fx *f = *state;
    static const char *const cases[][2] = {
        {"a == 42", "(== a 42)"},
        {"a == 1.5", "(== a 1.5)"},
        {"a == 2.5e3", "(== a 2500)"},
        {"a == \"s\"", "(== a \"s\")"},
        {"a == true or b == false", "(or (== a true) (== b false))"},
        {"a is null", "(is-null a)"},
        {"a == 250ms", "(== a 250ms)"},
        {"Team.name == :team", "(== Team.name :team)"},
        {"name == :name? and age >= :min_age?", "(and (== name :name?) (>= age :min_age?))"},
        {"lower(name) == upper(:n)", "(== lower(name) upper(:n))"},
        {"count() > 0", "(> count() 0)"},
        {"coalesce(a, b, 1) == 1", "(== coalesce(a, b, 1) 1)"},
        {"-count() < 0", "(< (neg count()) 0)"},
        {"power == Power.flight", "(== power Power.flight)"},
        {"a == -5", "(== a -5)"},
        {"a == - 5", "(== a -5)"},
        {"a == - -5", "(== a (neg -5))"},
        {"a == -(5)", "(== a (neg 5))"},
        {"a == -1.5", "(== a -1.5)"},
        {"a == -9223372036854775808", "(== a -9223372036854775808)"},
        {"a == 9223372036854775807", "(== a 9223372036854775807)"},
        {"a == \"x\" \"y\"", "(== a \"xy\")"},
        {"(a or b) and c", "(and (or a b) c)"},
        {"a * (b + c)", "(* a (+ b c))"},
        {"((a))", "a"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_parses_as(f, cases[i][0], cases[i][1]);

    smc_expr *e = fx_where(f, "(a or b) and c");
    assert_true(e->a->parens);
    assert_false(e->parens);
    e = fx_where(f, "x == :p?");
    assert_int_equal(e->b->kind, SMC_EX_PARAM);
    assert_true(e->b->optional);
    assert_string_equal(e->b->name.s, "p");
    e = fx_where(f, "coalesce(a, b, 1) == 1");
    assert_int_equal(e->a->nargs, 3);
    e = fx_where(f, "count() > 0");
    assert_int_equal(e->a->nargs, 0);
    assert_null(e->a->args);
    e = fx_where(f, "Team.name == 1");
    assert_string_equal(e->a->qual.s, "Team");
    assert_string_equal(e->a->name.s, "name");
    /* 2^63 without a minus is left to the checker, marked as such. */
    e = fx_where(f, "a == 9223372036854775808");
    assert_int_equal(e->b->kind, SMC_EX_INT);
    assert_true(e->b->ival == INT64_MIN);
    assert_int_not_equal(e->b->op, SMC_OP_NEG);
    e = fx_where(f, "a == -(9223372036854775808)");
    assert_int_equal(e->b->kind, SMC_EX_UNARY);
    assert_int_not_equal(e->b->a->op, SMC_OP_NEG);
    e = fx_where(f, "a == -9223372036854775808");
    assert_int_equal(e->b->op, SMC_OP_NEG);
}

static void test_string_values(void **state)
{
    fx *f = *state;
    static const struct {
        const char *src, *value;
        size_t len;
    } cases[] = {
        {"\"\"", "", 0},
        {"\"plain\"", "plain", 5},
        {"\"a\\\\b\"", "a\\b", 3},
        {"\"say \\\"hi\\\"\"", "say \"hi\"", 8},
        {"\"l1\\nl2\\tx\"", "l1\nl2\tx", 7},
        {"\"\\u{41}\\u{0042}\\u{000043}\"", "ABC", 3},
        {"\"\\u{7F}\"", "\x7f", 1},
        {"\"\\u{80}\"", "\xc2\x80", 2},
        {"\"\\u{e9}\"", "\xc3\xa9", 2},
        {"\"\\u{7FF}\"", "\xdf\xbf", 2},
        {"\"\\u{800}\"", "\xe0\xa0\x80", 3},
        {"\"\\u{20AC}\"", "\xe2\x82\xac", 3},
        {"\"\\u{D7FF}\\u{E000}\"", "\xed\x9f\xbf\xee\x80\x80", 6},
        {"\"\\u{FFFF}\"", "\xef\xbf\xbf", 3},
        {"\"\\u{10000}\"", "\xf0\x90\x80\x80", 4},
        {"\"\\u{1F600}\"", "\xf0\x9f\x98\x80", 4},
        {"\"\\u{1f600}\"", "\xf0\x9f\x98\x80", 4},
        {"\"\\u{10FFFF}\"", "\xf4\x8f\xbf\xbf", 4},
        {"\"caf\xc3\xa9\"", "caf\xc3\xa9", 5},
        /* Adjacent strings concatenate, across lines and comments. */
        {"\"a\" \"b\"", "ab", 2},
        {"\"a\\n\" \"\\u{1F600}\" \"z\"", "a\n\xf0\x9f\x98\x80z", 7},
        {"\"x\" /* c */ \"y\"\n  // d\n  \"z\"", "xyz", 3},
        {"\"\" \"\" \"\"", "", 0},
    };
    char src[256];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf(src, sizeof src, "module m;\nmodel M { s: text = %s; }\n", cases[i].src);
        smc_file *file = fx_parse_ok(f, src);
        smc_expr *e = fx_field(fx_decl(file, 0), 0)->deflt;
        assert_int_equal(e->kind, SMC_EX_STRING);
        assert_int_equal(e->slen, cases[i].len);
        assert_memory_equal(e->sval, cases[i].value, cases[i].len);
        assert_int_equal(e->sval[e->slen], 0);
        assert_string_equal(fx_text(f, e->span), cases[i].src);
    }
}

static void test_numeric_values(void **state)
{
    fx *f = *state;
    smc_file *file = fx_parse_ok(f, "module m;\nmodel M {\n"
                                    "  a: int = 9223372036854775807;\n"
                                    "  b: int = -9223372036854775807;\n"
                                    "  c: float = 0.1;\n"
                                    "  d: float = 1e-3;\n"
                                    "  e: float = 1.7976931348623157e308;\n"
                                    "  g: int = 0;\n"
                                    "}\n");
    smc_field *fl = fx_field(fx_decl(file, 0), 0);
    assert_true(fl->deflt->ival == INT64_MAX);
    fl = fl->next;
    assert_true(fl->deflt->ival == -INT64_MAX);
    fl = fl->next;
    assert_true(fl->deflt->fval == 0.1);
    fl = fl->next;
    assert_true(fl->deflt->fval == 1e-3);
    fl = fl->next;
    assert_true(fl->deflt->fval == 1.7976931348623157e308);
    fl = fl->next;
    assert_true(fl->deflt->ival == 0);
    /* Past the largest double is an error at the literal. */
    const char *out = fx_parse_fail(f, "module m;\nmodel M { e: float = 1.8e308; }\n");
    assert_string_equal(out, "t.smdl:2:22: error: floating-point literal out of range [E0008]\n"
                             "model M { e: float = 1.8e308; }\n"
                             "                     ^~~~~~~\n");
    out = fx_parse_fail(f, "module m;\nmodel M { e: float = -1e400; }\n");
    assert_non_null(strstr(out, "floating-point literal out of range"));
    /* 2^63 as a type argument is out of range even with nothing to negate. */
    out = fx_parse_fail(f, "module m;\nmodel M { d: decimal(9223372036854775808, 2); }\n");
    assert_non_null(strstr(out, "2:22: error: integer literal out of range [E0008]"));
}

static void test_subqueries(void **state)
{
    fx *f = *state;
    static const char *const cases[][2] = {
        {"id in (select Hero.team_id from Hero)", "(in id (select from Hero))"},
        {"id not in (select Hero.team_id from Hero where age > 3)",
         "(not-in id (select from Hero))"},
        {"exists (select Hero.id from Hero where Hero.team_id == id)",
         "(exists (select from Hero))"},
        {"not exists (select Hero.id from Hero)", "(not (exists (select from Hero)))"},
        {"age > (select avg(age) from Hero)", "(> age (select from Hero))"},
        {"(select count() from Hero) == 0 and a", "(and (== (select from Hero) 0) a)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_parses_as(f, cases[i][0], cases[i][1]);
    smc_expr *e = fx_where(f, "exists (select Hero.id from Hero where Hero.team_id == id)");
    assert_int_equal(e->kind, SMC_EX_EXISTS);
    assert_string_equal(fx_sexp(f, e->sub->where), "(== Hero.team_id id)");
    assert_string_equal(fx_sexp(f, e->sub->items->expr), "Hero.id");
    assert_string_equal(fx_text(f, e->span),
                        "exists (select Hero.id from Hero where Hero.team_id == id)");
    assert_string_equal(fx_text(f, e->sub->span),
                        "select Hero.id from Hero where Hero.team_id == id");
    e = fx_where(f, "id in (select Hero.team_id from Hero)");
    assert_null(e->b);
    assert_non_null(e->sub);
    assert_string_equal(fx_text(f, e->span), "id in (select Hero.team_id from Hero)");
    e = fx_where(f, "age > (select avg(age) from Hero)");
    assert_int_equal(e->b->kind, SMC_EX_SUBQUERY);
    assert_string_equal(fx_text(f, e->b->span), "(select avg(age) from Hero)");
    /* Subqueries nest. */
    e = fx_where(f, "id in (select T.id from T where T.x in (select U.x from U where exists "
                    "(select V.y from V)))");
    assert_string_equal(fx_sexp(f, e->sub->where), "(in T.x (select from U))");
    assert_string_equal(fx_sexp(f, e->sub->where->sub->where), "(exists (select from V))");
}

static void test_expression_spans(void **state)
{
    fx *f = *state;
    static const char *const exprs[] = {
        "a + b * c",
        "(a + b) * c",
        "not a",
        "-a",
        "a is not null",
        "a between 1 and :hi",
        "a not in :ids",
        ":p?",
        "lower(name)",
        "count()",
        "Team.name",
        "\"a\" \"b\"",
        "a not like \"x\"",
        "(((a)))",
    };
    for (size_t i = 0; i < sizeof exprs / sizeof exprs[0]; i++) {
        smc_expr *e = fx_where(f, exprs[i]);
        assert_string_equal(fx_text(f, e->span), exprs[i]);
    }
    smc_expr *e = fx_where(f, "a + b * c");
    assert_string_equal(fx_text(f, e->b->span), "b * c");
    assert_string_equal(fx_text(f, e->a->span), "a");
    e = fx_where(f, "(a + b) * c");
    assert_string_equal(fx_text(f, e->a->span), "(a + b)");
    assert_string_equal(fx_text(f, e->a->a->span), "a");
    e = fx_where(f, "lower(name) == :p");
    assert_string_equal(fx_text(f, e->a->name.span), "lower");
    assert_string_equal(fx_text(f, e->a->args->span), "name");
    assert_string_equal(fx_text(f, e->b->name.span), "p");
}

/* The tree height is bounded so later passes may recurse. */
static void test_nesting_bounds(void **state)
{
    fx *f = *state;
    sm_buf b = SM_BUF_INIT;
    /* 199 operators make a tree of height 200: the limit. */
    sm_buf_puts(&b, "a");
    for (int i = 0; i < 199; i++)
        sm_buf_puts(&b, " + a");
    smc_expr *e = fx_where(f, b.data);
    assert_int_equal(e->depth, 200);
    sm_buf_puts(&b, " + a");
    sm_buf src = SM_BUF_INIT;
    sm_buf_printf(&src, "module m;\nquery q() -> [T] { select T where %s }\n", b.data);
    const char *out = fx_parse_fail(f, src.data);
    assert_non_null(strstr(out, "t.smdl:2:35: error: expression nested too deeply (more than 200 "
                                "levels) [E0011]\n"));
    assert_int_equal(f->ctx.nerrors, 1);
    /* Right-deep nesting through unary operators and calls. */
    sm_buf_reset(&src);
    sm_buf_puts(&src, "module m;\nmodel M { a: int = ");
    for (int i = 0; i < 250; i++)
        sm_buf_puts(&src, "-(");
    sm_buf_puts(&src, "1");
    for (int i = 0; i < 250; i++)
        sm_buf_puts(&src, ")");
    sm_buf_puts(&src, "; }\n");
    out = fx_parse_fail(f, src.data);
    assert_non_null(strstr(out, "[E0011]"));
    /* Parentheses alone do not add height, but the parser stack is
     * bounded: a few hundred are fine, thousands are an error. */
    sm_buf_reset(&src);
    sm_buf_puts(&src, "module m;\nmodel M { a: int = ");
    for (int i = 0; i < 300; i++)
        sm_buf_putc(&src, '(');
    sm_buf_putc(&src, '1');
    for (int i = 0; i < 300; i++)
        sm_buf_putc(&src, ')');
    sm_buf_puts(&src, "; }\n");
    fx_parse_ok(f, src.data);
    sm_buf_reset(&src);
    sm_buf_puts(&src, "module m;\nmodel M { a: int = ");
    for (int i = 0; i < 5000; i++)
        sm_buf_putc(&src, '(');
    sm_buf_puts(&src, "1; }\n");
    out = fx_parse_fail(f, src.data);
    assert_non_null(strstr(out, "error: nesting too deep [E0011]"));
    assert_int_equal(f->ctx.nerrors, 1);
    sm_buf_free(&src);
    sm_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_precedence_levels),
        cmocka_unit_test(test_associativity),
        cmocka_unit_test(test_negated_forms),
        cmocka_unit_test(test_operands),
        cmocka_unit_test(test_string_values),
        cmocka_unit_test(test_numeric_values),
        cmocka_unit_test(test_subqueries),
        cmocka_unit_test(test_expression_spans),
        cmocka_unit_test(test_nesting_bounds),
    };
    return cmocka_run_group_tests(tests, fx_setup, fx_teardown);
}
