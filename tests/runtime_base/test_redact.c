/*
 * test_redact.c: the rules of redact.c on their own, without a database:
 * which occurrences of a secret value a message loses (whole words, cut
 * values, numbers as printed), what stays, the constraint details, the
 * copy a tracer gets, and the stderr tracer's output.
 */
#include "internal.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

/* The message msg after a failed statement with parameters v. */
static const char *redacted(sm_cx *cx, const char *msg, const sm_value *v, size_t n)
{
    sm_cx_fail(cx, SM_ERROR, "%s", msg);
    sm_cx_redact(cx, v, n);
    return sm_cx_errmsg(cx);
}

static void test_text(void **state)
{
    (void)state;
    sm_cx cx;
    sm_cx_init(&cx);
    sm_value s = sm_secret(sm_text("hunter2"));
    /* Every occurrence, quoted in any way. */
    assert_string_equal(redacted(&cx, "bad value \"hunter2\" and 'hunter2' (hunter2)", &s, 1),
                        "bad value \"***\" and '***' (***)");
    /* Inside a longer word it is not the value. */
    assert_string_equal(redacted(&cx, "hunter2x xhunter2 hunter2_1 hunter2", &s, 1),
                        "hunter2x xhunter2 hunter2_1 ***");
    /* The same value unflagged stays. */
    sm_value plain = sm_text("hunter2");
    assert_string_equal(redacted(&cx, "value 'hunter2'", &plain, 1), "value 'hunter2'");
    /* A value that starts or ends with punctuation matches at any edge. */
    sm_value p = sm_secret(sm_text("-pw!"));
    assert_string_equal(redacted(&cx, "x-pw!y", &p, 1), "x***y");
    /* Several secrets, and values with nothing to look for. */
    sm_value many[5] = {sm_secret(sm_text("alpha")), sm_text("beta"), sm_secret(sm_null()),
                        sm_secret(sm_bool(true)), sm_secret(sm_textn("", 0))};
    assert_string_equal(redacted(&cx, "alpha beta true 1 alpha", many, 5), "*** beta true 1 ***");
    sm_cx_free(&cx);
}

/* A database that cuts a long value shows its first bytes; 16 of them
 * are enough to tell, fewer are not. */
static void test_cut(void **state)
{
    (void)state;
    sm_cx cx;
    sm_cx_init(&cx);
    sm_value s = sm_secret(sm_text("0123456789abcdefghijklmnopqrstuvwxyz"));
    assert_string_equal(redacted(&cx, "Incorrect value: '0123456789abcdefghij...' for column", &s, 1),
                        "Incorrect value: '***...' for column");
    assert_string_equal(redacted(&cx, "near '0123456789abcdef'", &s, 1), "near '***'");
    assert_string_equal(redacted(&cx, "near '0123456789abcde'", &s, 1), "near '0123456789abcde'");
    sm_cx_free(&cx);
}

static void test_numbers(void **state)
{
    (void)state;
    sm_cx cx;
    sm_cx_init(&cx);
    sm_value i = sm_secret(sm_int(1366));
    assert_string_equal(redacted(&cx, "value 1366 (error 13660, code 1366)", &i, 1),
                        "value *** (error 13660, code ***)");
    sm_value one = sm_secret(sm_int(1));
    assert_string_equal(redacted(&cx, "error 1366 at row 1", &one, 1), "error 1366 at row ***");
    sm_value neg = sm_secret(sm_int(-42));
    assert_string_equal(redacted(&cx, "value \"-42\" is out of range", &neg, 1),
                        "value \"***\" is out of range");
    sm_value d = sm_secret(sm_real(0.1));
    assert_string_equal(redacted(&cx, "bad 0.1 here", &d, 1), "bad *** here");
    sm_value b = sm_secret(sm_blob("\x01raw", 4));
    assert_string_equal(redacted(&cx, "blob [\x01raw]", &b, 1), "blob [***]");
    sm_cx_free(&cx);
}

/* The one text form of a double: the shortest that reads back exactly,
 * '.' as the radix. */
static void test_real_format(void **state)
{
    (void)state;
    static const struct {
        double d;
        const char *want;
    } cases[] = {
        {0.1, "0.1"},
        {1.0 / 3, "0.3333333333333333"},
        {0.1 + 0.2, "0.30000000000000004"},
        {-2.5, "-2.5"},
        {100, "100"},
        {1e20, "1e+20"},
        {2.5e-7, "2.5e-07"},
        {5e-324, "4.94065645841247e-324"},
        {-1.7976931348623157e308, "-1.7976931348623157e+308"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[SM_REAL_BUFSZ];
        size_t n = sm_real_format(cases[i].d, buf);
        assert_string_equal(buf, cases[i].want);
        assert_int_equal(n, strlen(cases[i].want));
        assert_true(strtod(buf, NULL) == cases[i].d);
    }
}

static void test_constraint(void **state)
{
    (void)state;
    sm_cx cx;
    sm_cx_init(&cx);
    sm_value s = sm_secret(sm_text("tok42"));
    sm_cx_set_constraint(&cx, SM_CK_UNIQUE, "keys", "uq_keys_tok42", "token");
    sm_cx_fail(&cx, SM_CONSTRAINT, "duplicate key (token)=(tok42)");
    sm_cx_redact(&cx, &s, 1);
    const sm_constraint *c = sm_cx_constraint(&cx);
    assert_int_equal(c->kind, SM_CK_UNIQUE);
    assert_string_equal(c->table, "keys");
    assert_string_equal(c->name, "uq_keys_tok42"); /* a word of its own: the name stays */
    assert_string_equal(c->columns, "token");
    assert_string_equal(sm_cx_errmsg(&cx), "duplicate key (token)=(***)");
    sm_value t = sm_secret(sm_text("keys"));
    sm_cx_redact(&cx, &t, 1);
    assert_string_equal(c->table, "***");
    assert_string_equal(c->name, "uq_keys_tok42");
    sm_cx_free(&cx);
}

/* The tracer's copy: the value itself when nothing is secret, else a
 * copy on the stack or, past its size, on the heap. */
static void test_trace_values(void **state)
{
    (void)state;
    sm_value v[40], buf[4], *heap;
    for (int i = 0; i < 40; i++)
        v[i] = sm_int(i);
    assert_ptr_equal(sm_trace_values(v, 40, buf, 4, &heap), v);
    assert_null(heap);
    v[1] = sm_secret(sm_text("s"));
    const sm_value *out = sm_trace_values(v, 3, buf, 4, &heap);
    assert_ptr_equal(out, buf);
    assert_null(heap);
    assert_int_equal(out[0].kind, SM_VINT);
    assert_int_equal(out[0].flags, 0);
    assert_int_equal(out[1].kind, SM_VTEXT);
    assert_int_equal(out[1].flags, SM_V_SECRET);
    assert_int_equal(out[1].len, 3);
    assert_memory_equal(out[1].u.p, "***", 3);
    v[39] = sm_secret(sm_int(39));
    out = sm_trace_values(v, 40, buf, 4, &heap);
    assert_ptr_equal(out, heap);
    assert_int_equal(out[38].u.i, 38);
    assert_memory_equal(out[39].u.p, "***", 3);
    assert_int_equal(v[39].kind, SM_VINT); /* the caller's values are left alone */
    free(heap);
}

/* sm_trace_stderr prints a flagged value as ***, even one a program's own
 * tracer hands it unmasked. */
static void test_stderr(void **state)
{
    (void)state;
    sm_value p[3] = {sm_text("Deadpond"), sm_secret(sm_text("Dive Wilson")),
                     sm_secret(sm_int(48))};
    sm_trace t = {"INSERT INTO hero VALUES (?, ?, ?)", p, 3, 4000, SM_OK, 1, true};
    FILE *f = tmpfile();
    assert_non_null(f);
    fflush(stderr);
    int saved = dup(2);
    assert_true(saved >= 0);
    assert_int_equal(dup2(fileno(f), 2), 2);
    sm_trace_stderr(NULL, &t);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    char out[256] = {0};
    rewind(f);
    size_t n = fread(out, 1, sizeof out - 1, f);
    fclose(f);
    out[n] = 0;
    assert_string_equal(out, "INSERT INTO hero VALUES (?, ?, ?)\n"
                             "[cached 0.004 ms] ('Deadpond', ***, ***)\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text),         cmocka_unit_test(test_cut),
        cmocka_unit_test(test_numbers),      cmocka_unit_test(test_constraint),
        cmocka_unit_test(test_real_format),
        cmocka_unit_test(test_trace_values), cmocka_unit_test(test_stderr),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
