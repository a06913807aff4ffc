/*
 * test_diag.c: recording and rendering diagnostics.  Whole rendered
 * texts are asserted: position, severity, message, code, the source
 * line and a caret as wide as the span; notes; the excerpt of long
 * lines, tabs, CRLF, control bytes and bad UTF-8; the JSON form; the
 * error limit; colours; quiet errors; did-you-mean; the code table.
 */
#include "front.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct dx {
    smc_ctx ctx;
    sm_buf out;
} dx;

static int dx_setup(void **state)
{
    dx *d = calloc(1, sizeof *d);
    if (!d)
        return -1;
    smc_ctx_init(&d->ctx);
    *state = d;
    return 0;
}

static int dx_teardown(void **state)
{
    dx *d = *state;
    smc_ctx_free(&d->ctx);
    sm_buf_free(&d->out);
    free(d);
    return 0;
}

static uint32_t add(dx *d, const char *path, const char *text, size_t len)
{
    int id = smc_source_add(&d->ctx, path, text, len);
    assert_true(id >= 0);
    return (uint32_t)id;
}

static smc_span span(uint32_t file, uint32_t off, uint32_t len)
{
    smc_span s = {file, off, len};
    return s;
}

static const char *render(dx *d)
{
    sm_buf_reset(&d->out);
    smc_diag_render_text(&d->ctx, &d->out);
    return d->out.data ? d->out.data : "";
}

static const char *render_json(dx *d)
{
    sm_buf_reset(&d->out);
    smc_diag_render_json(&d->ctx, &d->out);
    return d->out.data;
}

static void test_error_with_notes(void **state)
{
    dx *d = *state;
    static const char text[] = "module m;\ntable T {\n  name: strng;\n}\n";
    uint32_t f = add(d, "h.smdl", text, sizeof text - 1);
    smc_diag *e = smc_error(&d->ctx, span(f, 28, 5), SMC_E_UNKNOWN_TYPE, "unknown type '%s'",
                            "strng");
    smc_span at = span(f, 10, 5);
    smc_note(&d->ctx, e, &at, "in this %s", "table");
    smc_note(&d->ctx, e, NULL, "did you mean '%s'?", "text");
    assert_int_equal(d->ctx.nerrors, 1);
    assert_string_equal(render(d), "h.smdl:3:9: error: unknown type 'strng' [E0201]\n"
                                   "  name: strng;\n"
                                   "        ^~~~~\n"
                                   "h.smdl:2:1: note: in this table\n"
                                   "table T {\n"
                                   "^~~~~\n"
                                   "h.smdl:3:9: note: did you mean 'text'?\n");
    assert_string_equal(render_json(d),
                        "[{\"file\":\"h.smdl\",\"line\":3,\"col\":9,\"end_line\":3,\"end_col\":14,"
                        "\"severity\":\"error\",\"code\":\"E0201\",\"message\":\"unknown type "
                        "'strng'\",\"notes\":[{\"file\":\"h.smdl\",\"line\":2,\"col\":1,"
                        "\"end_line\":2,\"end_col\":6,\"message\":\"in this table\"},"
                        "{\"file\":\"h.smdl\",\"line\":3,\"col\":9,\"end_line\":3,\"end_col\":14,"
                        "\"message\":\"did you mean 'text'?\"}]}]\n");
}

static void test_warnings_and_spanless(void **state)
{
    dx *d = *state;
    static const char text[] = "module other;\n";
    uint32_t f = add(d, "dir/heroes.smdl", text, sizeof text - 1);
    smc_warning(&d->ctx, span(f, 7, 5), "module-name", "module '%s' differs from the file name",
                "other");
    smc_error(&d->ctx, smc_no_span(), SMC_E_IO, "cannot read '%s'", "x.smdl");
    assert_int_equal(d->ctx.nerrors, 1);
    assert_int_equal(d->ctx.nwarnings, 1);
    assert_string_equal(render(d), "dir/heroes.smdl:1:8: warning: module 'other' differs from the "
                                   "file name [-Wmodule-name]\n"
                                   "module other;\n"
                                   "       ^~~~~\n"
                                   "smc: error: cannot read 'x.smdl' [E0010]\n");
    assert_string_equal(render_json(d),
                        "[{\"file\":\"dir/heroes.smdl\",\"line\":1,\"col\":8,\"end_line\":1,"
                        "\"end_col\":13,\"severity\":\"warning\",\"code\":\"-Wmodule-name\","
                        "\"message\":\"module 'other' differs from the file name\",\"notes\":[]},"
                        "{\"file\":null,\"line\":0,\"col\":0,\"end_line\":0,\"end_col\":0,"
                        "\"severity\":\"error\",\"code\":\"E0010\",\"message\":\"cannot read "
                        "'x.smdl'\",\"notes\":[]}]\n");
}

/* Empty spans, spans at the end of a line or of the file, spans over
 * several lines (marked to the end of the first). */
static void test_caret_placement(void **state)
{
    dx *d = *state;
    static const char text[] = "ab\ncd\n";
    uint32_t f = add(d, "c.smdl", text, sizeof text - 1);
    smc_error(&d->ctx, span(f, 1, 0), SMC_E_SYNTAX, "empty");
    smc_error(&d->ctx, span(f, 2, 0), SMC_E_SYNTAX, "end of line");
    smc_error(&d->ctx, span(f, 1, 4), SMC_E_SYNTAX, "two lines");
    smc_error(&d->ctx, span(f, 6, 0), SMC_E_SYNTAX, "end of file");
    assert_string_equal(render(d), "c.smdl:1:2: error: empty [E0009]\n"
                                   "ab\n"
                                   " ^\n"
                                   "c.smdl:1:3: error: end of line [E0009]\n"
                                   "ab\n"
                                   "  ^\n"
                                   "c.smdl:1:2: error: two lines [E0009]\n"
                                   "ab\n"
                                   " ^\n"
                                   "c.smdl:3:1: error: end of file [E0009]\n"
                                   "\n"
                                   "^\n");
}

/* Tabs are copied into the caret line so the caret lines up; a CR
 * before the newline is not shown; control bytes show as '?'. */
static void test_tabs_crlf_control(void **state)
{
    dx *d = *state;
    static const char text[] = "\tid:\tint $\r\nx\x01y\x7fz w\r\n";
    uint32_t f = add(d, "t.smdl", text, sizeof text - 1);
    smc_error(&d->ctx, span(f, 9, 1), SMC_E_STRAY, "stray '$' in the source");
    smc_error(&d->ctx, span(f, 18, 1), SMC_E_STRAY, "w");
    assert_string_equal(render(d), "t.smdl:1:10: error: stray '$' in the source [E0001]\n"
                                   "\tid:\tint $\n"
                                   "\t   \t    ^\n"
                                   "t.smdl:2:7: error: w [E0001]\n"
                                   "x?y?z w\n"
                                   "      ^\n");
}

/* One caret mark per character, not per byte. */
static void test_utf8_excerpt(void **state)
{
    dx *d = *state;
    static const char text[] = "a = \"caf\xc3\xa9 \xf0\x9f\x98\x80\" $\n";
    uint32_t f = add(d, "u.smdl", text, sizeof text - 1);
    smc_error(&d->ctx, span(f, 4, 12), SMC_E_SYNTAX, "string");
    smc_error(&d->ctx, span(f, 17, 1), SMC_E_STRAY, "dollar");
    assert_string_equal(render(d), "u.smdl:1:5: error: string [E0009]\n"
                                   "a = \"caf\xc3\xa9 \xf0\x9f\x98\x80\" $\n"
                                   "    ^~~~~~~~\n"
                                   "u.smdl:1:18: error: dollar [E0001]\n"
                                   "a = \"caf\xc3\xa9 \xf0\x9f\x98\x80\" $\n"
                                   "             ^\n");
}

/* The second line of a rendering, non-ASCII bytes as \xNN (for messages). */
static const char *escaped(char *buf, size_t size, const char *out)
{
    const char *s = strchr(out, '\n');
    size_t n = 0;
    for (s = s ? s + 1 : out; *s && *s != '\n' && n + 5 < size; s++) {
        unsigned char c = (unsigned char)*s;
        if (c >= 0x20 && c < 0x7f)
            buf[n++] = (char)c;
        else
            n += (size_t)snprintf(buf + n, size - n, "\\x%02x", c);
    }
    buf[n] = 0;
    return buf;
}

/* Diagnostics are UTF-8 text: every byte of the source that is not part
 * of a valid UTF-8 sequence is shown as '?', including the sequences
 * that only look valid by their lead byte (overlong forms, UTF-16
 * surrogates, code points past U+10FFFF), which the lexer rejects. */
static void test_invalid_utf8_excerpt(void **state)
{
    dx *d = *state;
    static const struct {
        const char *text, *shown;
    } cases[] = {
        {"s = \"\xff\";", "s = \"?\";"},
        {"s = \"\xc3\x28\";", "s = \"?(\";"},
        {"s = \"\xc0\xaf\";", "s = \"??\";"},
        {"s = \"\xe0\x80\xaf\";", "s = \"???\";"},
        {"s = \"\xed\xa0\x80\";", "s = \"???\";"},
        {"s = \"\xf0\x80\x80\x80\";", "s = \"????\";"},
        {"s = \"\xf4\x90\x80\x80\";", "s = \"????\";"},
    };
    int failed = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        smc_ctx_free(&d->ctx);
        smc_ctx_init(&d->ctx);
        uint32_t f = add(d, "b.smdl", cases[i].text, strlen(cases[i].text));
        smc_error(&d->ctx, span(f, 5, 1), SMC_E_UTF8, "invalid UTF-8 in a string");
        char want[128];
        snprintf(want, sizeof want, "b.smdl:1:6: error: invalid UTF-8 in a string [E0006]\n"
                                    "%s\n"
                                    "     ^\n",
                 cases[i].shown);
        const char *got = render(d);
        if (strcmp(got, want) != 0) {
            char buf[256];
            print_error("case %zu: the excerpt is\n  %s\nwant\n  %s\n", i,
                        escaped(buf, sizeof buf, got), cases[i].shown);
            failed++;
        }
    }
    assert_int_equal(failed, 0);
}

/* A long line is shown as a window around the column. */
static void test_long_lines(void **state)
{
    dx *d = *state;
    sm_buf text = SM_BUF_INIT;
    for (int i = 0; i < 40; i++)
        sm_buf_puts(&text, "a: int; ");
    sm_buf_puts(&text, "$ b: int;\n");
    uint32_t f = add(d, "w.smdl", text.data, text.len);
    smc_error(&d->ctx, span(f, 320, 1), SMC_E_STRAY, "stray '$' in the source");
    const char *out = render(d);
    assert_non_null(strstr(out, "w.smdl:1:321: error: stray '$' in the source [E0001]\n..."));
    /* The caret sits under the '$' of the shown window. */
    const char *line = strchr(out, '\n') + 1;
    const char *caret = strchr(line, '\n') + 1;
    const char *mark = strchr(caret, '^');
    assert_non_null(mark);
    assert_int_equal(line[mark - caret], '$');
    assert_true(strlen(line) < 200);
    sm_buf_free(&text);
}

static void test_error_limit(void **state)
{
    dx *d = *state;
    static const char text[] = "x\n";
    uint32_t f = add(d, "l.smdl", text, sizeof text - 1);
    d->ctx.max_errors = 3;
    for (int i = 0; i < 5; i++)
        smc_error(&d->ctx, span(f, 0, 1), SMC_E_SYNTAX, "error %d", i);
    assert_int_equal(d->ctx.nerrors, 5);
    const char *out = render(d);
    assert_non_null(strstr(out, "error 2"));
    assert_null(strstr(out, "error 3"));
    assert_non_null(strstr(out, "smc: 2 more diagnostics not shown\n"));
}

/* With colour: the position bold, the severity coloured (error red,
 * warning magenta, note cyan), the caret line green, each reset after;
 * no colour is the plain text, byte for byte. */
static void test_colors(void **state)
{
    dx *d = *state;
    static const char text[] = "module m;\ntable T {\n  name: strng;\n}\n";
    uint32_t f = add(d, "h.smdl", text, sizeof text - 1);
    smc_diag *e = smc_error(&d->ctx, span(f, 28, 5), SMC_E_UNKNOWN_TYPE, "unknown type 'strng'");
    smc_note(&d->ctx, e, NULL, "did you mean 'text'?");
    smc_warning(&d->ctx, span(f, 7, 1), "module-name", "a warning");
    smc_error(&d->ctx, smc_no_span(), SMC_E_IO, "cannot read 'x.smdl'");
    sm_buf_reset(&d->out);
    smc_diag_render_text_color(&d->ctx, &d->out, true);
    assert_string_equal(d->out.data,
                        "\033[1mh.smdl:3:9:\033[0m \033[1;31merror:\033[0m unknown type 'strng' "
                        "[E0201]\n"
                        "  name: strng;\n"
                        "        \033[1;32m^~~~~\033[0m\n"
                        "\033[1mh.smdl:3:9:\033[0m \033[1;36mnote:\033[0m did you mean 'text'?\n"
                        "\033[1mh.smdl:1:8:\033[0m \033[1;35mwarning:\033[0m a warning "
                        "[-Wmodule-name]\n"
                        "module m;\n"
                        "       \033[1;32m^\033[0m\n"
                        "\033[1msmc:\033[0m \033[1;31merror:\033[0m cannot read 'x.smdl' [E0010]\n");
    sm_buf_reset(&d->out);
    smc_diag_render_text_color(&d->ctx, &d->out, false);
    assert_string_equal(d->out.data, render(d));
    assert_null(strchr(render(d), '\033'));
}

/* A quiet error counts, for the exit status and for what stops after
 * an error, but is neither listed nor rendered nor counted as unshown. */
static void test_quiet_error(void **state)
{
    dx *d = *state;
    static const char text[] = "x\n";
    uint32_t f = add(d, "q.smdl", text, sizeof text - 1);
    smc_diag *q = smc_error_quiet(&d->ctx, span(f, 0, 1), SMC_E_UNKNOWN_TYPE);
    smc_note(&d->ctx, q, NULL, "never built");
    assert_null(q->notes);
    assert_int_equal(d->ctx.nerrors, 1);
    assert_null(d->ctx.diags);
    assert_string_equal(render(d), "");
    assert_string_equal(render_json(d), "[]\n");
    smc_error(&d->ctx, span(f, 0, 1), SMC_E_SYNTAX, "shown");
    assert_int_equal(d->ctx.nerrors, 2);
    assert_string_equal(render(d), "q.smdl:1:1: error: shown [E0009]\n"
                                   "x\n"
                                   "^\n");
}

static void test_closest(void **state)
{
    (void)state;
    const char *types[] = {"bool", "int", "i32", "i16", "float", "text", "bytes", "date", "time",
                           "datetime", "uuid", "json"};
    size_t n = sizeof types / sizeof types[0];
    assert_string_equal(smc_closest("strng", (const char *const[]){"string", "text"}, 2),
                        "string");
    assert_string_equal(smc_closest("txt", types, n), "text");
    assert_string_equal(smc_closest("Text", types, n), "text");
    assert_string_equal(smc_closest("datetme", types, n), "datetime");
    assert_string_equal(smc_closest("i33", types, n), "i32");
    assert_null(smc_closest("zzzzzz", types, n));
    assert_null(smc_closest("int", types, n)); /* the name itself is no suggestion */
    assert_null(smc_closest("x", (const char *const[]){NULL, "yy"}, 2));
}

static void test_code_table(void **state)
{
    (void)state;
    for (int i = 0; i < SMC_NCODES; i++) {
        const char *c = smc_code_str((smc_code)i);
        assert_int_equal(strlen(c), 5);
        assert_int_equal(c[0], 'E');
        for (int k = 1; k < 5; k++)
            assert_true(c[k] >= '0' && c[k] <= '9');
        assert_true(strlen(smc_code_desc((smc_code)i)) > 5);
        for (int j = 0; j < i; j++)
            assert_string_not_equal(smc_code_str((smc_code)j), c);
    }
    assert_string_equal(smc_code_str(SMC_E_STRAY), "E0001");
    assert_string_equal(smc_code_str(SMC_E_SYNTAX), "E0009");
    assert_string_equal(smc_code_str(SMC_E_TOO_DEEP), "E0011");
    assert_string_equal(smc_code_str(SMC_E_NO_MODULE), "E0101");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_error_with_notes, dx_setup, dx_teardown),
        cmocka_unit_test_setup_teardown(test_warnings_and_spanless, dx_setup, dx_teardown),
        cmocka_unit_test_setup_teardown(test_caret_placement, dx_setup, dx_teardown),
        cmocka_unit_test_setup_teardown(test_tabs_crlf_control, dx_setup, dx_teardown),
        cmocka_unit_test_setup_teardown(test_utf8_excerpt, dx_setup, dx_teardown),
        cmocka_unit_test_setup_teardown(test_invalid_utf8_excerpt, dx_setup, dx_teardown),
        cmocka_unit_test_setup_teardown(test_long_lines, dx_setup, dx_teardown),
        cmocka_unit_test_setup_teardown(test_error_limit, dx_setup, dx_teardown),
        cmocka_unit_test_setup_teardown(test_colors, dx_setup, dx_teardown),
        cmocka_unit_test_setup_teardown(test_quiet_error, dx_setup, dx_teardown),
        cmocka_unit_test(test_closest),
        cmocka_unit_test(test_code_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
