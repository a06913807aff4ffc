/*
 * test_json_hostile.c: sm_model_from_json on broken and malicious input:
 * every class of syntax error, BOMs, invalid UTF-8, surrogates, nesting far
 * past the limit, huge strings, odd numbers, every truncation of valid
 * documents, and random mutations.  Each must give one clear error (or a
 * clean decode), never a crash, a leak or a deep C stack.
 */
#include "jtest.h"

#include "json.h" /* sm_json_check, and internal.h: sm_utf8_valid */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Decodes doc[0..n) as a Hero and expects exactly one json_syntax error
 * whose message is `msg`. */
static void expect_syntax(jt *t, const char *doc, size_t n, const char *msg)
{
    Hero h;
    memset(&h, 0x33, sizeof h);
    int rc = jt_decoden(t, &hero_model, doc, n, &h);
    if (rc != SM_INVALID || t->errs.len != 1 || strcmp(t->errs.items[0].code, "json_syntax") != 0)
        print_message("  document: %.*s\n", (int)n, doc);
    assert_int_equal(rc, SM_INVALID);
    const sm_error *e = jt_only(t, "", "json_syntax");
    if (strcmp(e->msg, msg) != 0) {
        print_message("  document: %.*s\n", (int)n, doc);
        assert_string_equal(e->msg, msg);
    }
    jt_assert_zero(&h, sizeof h);
}

static void syntax(jt *t, const char *doc, const char *msg)
{
    expect_syntax(t, doc, strlen(doc), msg);
}

static void test_syntax_errors(void **state)
{
    jt *t = *state;
    static const struct {
        const char *doc, *msg;
    } cases[] = {
        {"", "1:1: unexpected end of input: expected a value"},
        {"   \n ", "2:2: unexpected end of input: expected a value"},
        {"{", "1:2: unexpected end of input: expected a string key or '}'"},
        {"{\"name\"", "1:8: unexpected end of input: expected ':' after object key"},
        {"{\"name\":", "1:9: unexpected end of input: expected a value"},
        {"{\"name\":\"a\"", "1:12: unexpected end of input: expected ',' or '}' after an object member"},
        {"{\"name\":\"a\",", "1:13: unexpected end of input: expected a string key after ','"},
        {"{\"name\":\"a\",}", "1:13: expected a string key after ',', found '}'"},
        {"{,}", "1:2: expected a string key or '}', found ','"},
        {"{\"name\" \"a\"}", "1:9: expected ':' after object key, found '\"'"},
        {"{\"name\":\"a\" \"age\":1}", "1:13: expected ',' or '}' after an object member, found '\"'"},
        {"{\"age\":[1,]}", "1:11: expected a value, found ']'"},
        {"{\"age\":[1 2]}", "1:11: expected ',' or ']' after an array element, found '2'"},
        {"{\"age\":[1}", "1:10: expected ',' or ']' after an array element, found '}'"},
        {"{\"age\":{]}", "1:9: expected a string key or '}', found ']'"},
        {"{\"age\":tru}", "1:11: expected a value (true, false or null?), found '}'"},
        {"{\"age\":nul}", "1:11: expected a value (true, false or null?), found '}'"},
        {"{\"age\":True}", "1:8: expected a value, found 'T'"},
        {"{\"age\":01}", "1:8: leading zeros are not allowed in numbers"},
        {"{\"age\":-01}", "1:9: leading zeros are not allowed in numbers"},
        {"{\"age\":1.}", "1:10: expected a digit after '.', found '}'"},
        {"{\"age\":.5}", "1:8: expected a value, found '.'"},
        {"{\"age\":-}", "1:9: expected a digit after '-', found '}'"},
        {"{\"age\":--1}", "1:9: expected a digit after '-', found '-'"},
        {"{\"age\":+1}", "1:8: expected a value, found '+'"},
        {"{\"age\":1e}", "1:10: expected a digit in the exponent, found '}'"},
        {"{\"age\":1e+}", "1:11: expected a digit in the exponent, found '}'"},
        {"{\"age\":0x10}", "1:9: expected ',' or '}' after an object member, found 'x'"},
        {"{\"age\":1.5.5}", "1:11: expected ',' or '}' after an object member, found '.'"},
        {"{\"age\":1_000}", "1:9: expected ',' or '}' after an object member, found '_'"},
        {"{\"age\":NaN}", "1:8: expected a value, found 'N'"},
        {"{\"age\":Infinity}", "1:8: expected a value, found 'I'"},
        {"{\"age\":-Infinity}", "1:9: expected a digit after '-', found 'I'"},
        {"{\"name\":'a'}", "1:9: expected a value, found '''"},
        {"{'name':1}", "1:2: expected a string key or '}', found '''"},
        {"{name:1}", "1:2: expected a string key or '}', found 'n'"},
        {"{\"name\":\"a\\x\"}", "1:12: expected one of \" \\ / b f n r t u after '\\', found 'x'"},
        {"{\"name\":\"a\\u12G4\"}", "1:15: expected 4 hex digits after '\\u', found 'G'"},
        {"{\"name\":\"a\\u12\"}", "1:15: expected 4 hex digits after '\\u', found '\"'"},
        {"{\"name\":\"a\tb\"}", "1:11: raw control character in string (expected it escaped), found byte 0x09"},
        {"{\"name\":\"a\nb\"}", "1:11: raw control character in string (expected it escaped), found byte 0x0a"},
        {"{\"name\":\"abc", "1:13: unexpected end of input: expected '\"' to close the string"},
        {"{\"name\":\"abc\\", "1:14: unexpected end of input: expected an escape character after '\\'"},
        {"{}}", "1:3: expected the end of the document, found '}'"},
        {"{} x", "1:4: expected the end of the document, found 'x'"},
        {"{}{}", "1:3: expected the end of the document, found '{'"},
        {"{} /* comment */", "1:4: expected the end of the document, found '/'"},
        {"// c\n{}", "1:1: expected a value, found '/'"},
        {"{\"a\":1}\n,", "2:1: expected the end of the document, found ','"},
        {"\x0c{}", "1:1: expected a value, found byte 0x0c"},
        {"{\"name\":\"a\",\n  \"age\" 3\n}", "2:9: expected ':' after object key, found '3'"},
    };

    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++)
        syntax(t, cases[k].doc, cases[k].msg);
}

static void test_bom_and_nul(void **state)
{
    jt *t = *state;

    syntax(t, "\xef\xbb\xbf{}", "1:1: byte order mark is not allowed");
    syntax(t, "\xef\xbb{}", "1:1: expected a value, found byte 0xef");
    syntax(t, " \xef\xbb\xbf{}", "1:2: expected a value, found byte 0xef");
    expect_syntax(t, "{\"name\":\"a\0b\"}", 15,
                  "1:11: raw control character in string (expected it escaped), found byte 0x00");
    expect_syntax(t, "{}\0", 3, "1:3: expected the end of the document, found byte 0x00");
    expect_syntax(t, "\0{}", 3, "1:1: expected a value, found byte 0x00");
    /* a NULL document is an empty one */
    Hero h;
    sm_errors_clear(&t->errs);
    assert_int_equal(sm_model_from_json(&hero_model, NULL, 0, &h, &t->arena, &t->errs),
                     SM_INVALID);
    jt_only(t, "", "json_syntax");
}

static void test_invalid_utf8(void **state)
{
    jt *t = *state;
    static const char *const bad[] = {
        "\x80",             /* continuation alone */
        "\xbf",
        "\xc0\xaf",         /* overlong '/' */
        "\xc1\xbf",
        "\xe0\x80\xaf",     /* overlong, 3 bytes */
        "\xf0\x80\x80\xaf", /* overlong, 4 bytes */
        "\xed\xa0\x80",     /* UTF-16 surrogate D800 */
        "\xed\xbf\xbf",     /* DFFF */
        "\xf4\x90\x80\x80", /* past U+10FFFF */
        "\xf5\x80\x80\x80",
        "\xf8\x88\x80\x80\x80",
        "\xfe",
        "\xff",
        "\xc3",             /* truncated */
        "\xe2\x82",
        "\xf0\x9f\x98",
        "\xc3\x28",         /* bad continuation */
        "\xe2\x28\xa1",
        "\xf0\x28\x8c\xbc",
    };
    char doc[64], msg[96];

    /* the error is at the first byte of the bad sequence, and names it */
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        unsigned first = (unsigned char)bad[k][0];
        int n = snprintf(doc, sizeof doc, "{\"name\":\"a%sb\",\"secret_name\":\"s\"}", bad[k]);
        snprintf(msg, sizeof msg, "1:11: invalid UTF-8 in string, found byte 0x%02x", first);
        expect_syntax(t, doc, (size_t)n, msg);
        n = snprintf(doc, sizeof doc, "{\"%s\":1}", bad[k]); /* in a key */
        snprintf(msg, sizeof msg, "1:3: invalid UTF-8 in string, found byte 0x%02x", first);
        expect_syntax(t, doc, (size_t)n, msg);
        n = snprintf(doc, sizeof doc, "{\"x\":[\"%s\"]}", bad[k]); /* in a skipped value */
        snprintf(msg, sizeof msg, "1:8: invalid UTF-8 in string, found byte 0x%02x", first);
        expect_syntax(t, doc, (size_t)n, msg);
        n = snprintf(doc, sizeof doc, "{\"x\":1%s}", bad[k]); /* outside strings */
        snprintf(msg, sizeof msg,
                 "1:7: expected ',' or '}' after an object member, found byte 0x%02x", first);
        expect_syntax(t, doc, (size_t)n, msg);
    }
    /* the valid extremes pass */
    Hero h;
    assert_int_equal(jt_decode(t, &hero_model,
                               "{\"name\":\"\xc2\x80\xdf\xbf\xe0\xa0\x80\xef\xbf\xbf\xf0\x90\x80\x80"
                               "\xf4\x8f\xbf\xbf\xed\x9f\xbf\xee\x80\x80\",\"secret_name\":\"s\"}",
                               &h),
                     SM_OK);
}

static void test_surrogates_and_nul_escapes(void **state)
{
    jt *t = *state;
    Hero h;

    syntax(t, "{\"name\":\"\\ud800\"}",
           "1:10: lone high surrogate escape: expected a \\uDC00-\\uDFFF escape after it");
    syntax(t, "{\"name\":\"\\udc00\"}", "1:10: lone low surrogate escape (not valid Unicode)");
    static const char high[] = "lone high surrogate escape: expected a \\uDC00-\\uDFFF escape "
                               "after it";
    static const char low[] = "lone low surrogate escape (not valid Unicode)";
    static const struct {
        const char *doc, *at, *msg;
    } lone[] = {
        {"{\"name\":\"\\ud800\\u0041\"}", "1:10", high},
        {"{\"name\":\"\\ud800\\ud800\"}", "1:10", high},
        {"{\"name\":\"\\udbff\\ue000\"}", "1:10", high},
        {"{\"name\":\"\\udfff\\ud800\"}", "1:10", low},
        {"{\"name\":\"\\ud800x\"}", "1:10", high},
        {"{\"name\":\"\\ud800\\\\udc00\"}", "1:10", high}, /* an escaped backslash */
        {"{\"\\ud800\":1}", "1:3", high},                    /* in a key */
        {"{\"x\":{\"y\":\"\\udbff\"}}", "1:12", high},        /* in a skipped value */
        {"{\"j\":[\"\\udc00\"]}", "1:8", low},                  /* in a json value */
        {"{\"name\":\"\\uD834\\uDD1", "1:10", high},          /* truncated pair */
    };
    for (size_t k = 0; k < sizeof lone / sizeof *lone; k++) {
        char msg[128];
        snprintf(msg, sizeof msg, "%s: %s", lone[k].at, lone[k].msg);
        syntax(t, lone[k].doc, msg);
    }

    assert_int_equal(jt_decode(t, &hero_model,
                               "{\"name\":\"\\uD834\\uDD1E\",\"secret_name\":\"\\ud7ff\\ue000\"}", &h),
                     SM_OK);
    assert_string_equal(h.name, "\xf0\x9d\x84\x9e");
    assert_string_equal(h.secret_name, "\xed\x9f\xbf\xee\x80\x80");

    /* \u0000 cannot be in a text (C strings) but may be anywhere else */
    assert_int_equal(jt_decode(t, &hero_model, "{\"name\":\"a\\u0000\",\"secret_name\":\"s\"}", &h),
                     SM_INVALID);
    assert_string_equal(jt_only(t, "name", "type")->msg, "text must not contain \\u0000");
    assert_int_equal(jt_decode(t, &hero_model,
                               "{\"name\":\"a\",\"secret_name\":\"s\",\"x\\u0000\":\"\\u0000\"}", &h),
                     SM_OK);
}

/* {"name":"n","kids":[{"name":"n","kids":[ ... `tail` ... ]}]} with `nodes` nodes */
static char *node_chain(int nodes, const char *tail)
{
    sm_buf b = SM_BUF_INIT;
    for (int k = 0; k < nodes; k++)
        assert_int_equal(sm_buf_puts(&b, k + 1 < nodes ? "{\"name\":\"n\",\"kids\":[" : "{\"name\":\"n\""), SM_OK);
    assert_int_equal(sm_buf_puts(&b, tail), SM_OK);
    for (int k = 0; k < nodes; k++)
        assert_int_equal(sm_buf_puts(&b, k ? "]}" : "}"), SM_OK);
    return b.data;
}

static void test_depth_limit(void **state)
{
    jt *t = *state;
    Node n;
    char *doc;
    sm_buf want = SM_BUF_INIT;

    /* 32 nodes and an empty list: 64 containers, accepted */
    doc = node_chain(32, ",\"kids\":[]");
    assert_int_equal(jt_decode(t, &node_model, doc, &n), SM_OK);
    Node *p = &n;
    for (int k = 1; k < 32; k++) {
        assert_int_equal(p->kids.len, 1);
        p = &p->kids.items[0];
    }
    assert_int_equal(p->kids.len, 0);
    free(doc);
    /* one more object: 65, one depth error at the element that opened it */
    doc = node_chain(32, ",\"kids\":[{\"name\":\"x\"}]");
    assert_int_equal(jt_decode(t, &node_model, doc, &n), SM_INVALID);
    for (int k = 0; k < 32; k++)
        assert_int_equal(sm_buf_puts(&want, k ? ".kids[0]" : "kids[0]"), SM_OK);
    const sm_error *e = jt_only(t, want.data, "depth");
    assert_non_null(strstr(e->msg, "nesting deeper than 64 levels"));
    jt_assert_zero(&n, sizeof n);
    free(doc);
    sm_buf_free(&want);

    /* inside a json field: 1 + 63 arrays pass, 1 + 64 do not */
    AllTypes a;
    sm_buf b = SM_BUF_INIT;
    for (int arrays = 63; arrays <= 64; arrays++) {
        sm_buf_reset(&b);
        assert_int_equal(sm_buf_puts(&b, "{\"j\":"), SM_OK);
        for (int k = 0; k < arrays; k++)
            assert_int_equal(sm_buf_putc(&b, '['), SM_OK);
        for (int k = 0; k < arrays; k++)
            assert_int_equal(sm_buf_putc(&b, ']'), SM_OK);
        assert_int_equal(sm_buf_putc(&b, '}'), SM_OK);
        int rc = jt_decode(t, &all_types_model, b.data, &a);
        assert_int_equal(rc, SM_INVALID);
        if (arrays == 63)
            assert_null(jt_find(t, "", "depth")); /* only "required" errors */
        else
            jt_only(t, "j", "depth");
    }
    sm_buf_free(&b);
}

/* A document of `depth` nested containers, `pre` before and `post` after. */
static char *deep(const char *pre, const char *open, const char *close, long depth, bool closed,
                  const char *post)
{
    size_t lo = strlen(open), lc = strlen(close), lp = strlen(pre);
    size_t n = lp + (size_t)depth * (lo + (closed ? lc : 0)) + strlen(post);
    char *s = malloc(n + 1), *p = s;
    assert_non_null(s);
    memcpy(p, pre, lp);
    p += lp;
    for (long k = 0; k < depth; k++, p += lo)
        memcpy(p, open, lo);
    for (long k = 0; closed && k < depth; k++, p += lc)
        memcpy(p, close, lc);
    strcpy(p, post);
    return s;
}

static void test_deep_nesting(void **state)
{
    jt *t = *state;
    static const struct {
        const char *pre, *open, *close, *post, *path;
        bool closed;
    } cases[] = {
        {"", "[", "]", "", "", true},                                 /* root arrays */
        {"", "[", "]", "", "", false},                                /* unclosed */
        {"{\"name\":\"a\",\"j\":", "[", "]", "}", "j", true},       /* a json field */
        {"{\"x\":", "{\"x\":", "}", "}", "x", true},                  /* objects, unknown key */
        {"{\"x\":", "{\"x\":", "}", "}", "x", false},
        {"{\"name\":\"n\",\"members\":", "[", "]", "}", "members[0]", true}, /* list element */
        {"{\"t\":", "[{\"\":", "}]", "}", "t", true},                 /* a value of the wrong type */
    };

    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        char *doc = deep(cases[k].pre, cases[k].open, cases[k].close, 100000, cases[k].closed,
                         cases[k].post);
        Org o;
        AllTypes a;
        int rc = strstr(cases[k].pre, "members")
                     ? jt_decode(t, &org_model, doc, &o)
                     : jt_decode(t, &all_types_model, doc, &a);
        assert_int_equal(rc, SM_INVALID);
        jt_only(t, cases[k].path, "depth");
        free(doc);
    }
}

static void test_huge_strings(void **state)
{
    jt *t = *state;
    const size_t n = 1 << 20;
    char *text = malloc(n + 1);
    Hero h;

    assert_non_null(text);
    for (size_t k = 0; k < n;) { /* ASCII, a quote, a control character, 2-4 byte UTF-8 */
        static const char *const parts[] = {"abcdefgh", "\"", "\n", "\xc3\xa9", "\xe2\x82\xac",
                                            "\xf0\x9f\x98\x80", "\\"};
        const char *p = parts[(k * 7 / 5) % 7];
        size_t l = strlen(p);
        if (k + l > n)
            p = "x", l = 1;
        memcpy(text + k, p, l);
        k += l;
    }
    text[n] = '\0';
    Hero big = {1, text, "s", 0, false, 0, false, NULL};
    const char *doc = jt_encode(t, &hero_model, &big);
    assert_non_null(doc);
    assert_int_equal(jt_decode(t, &hero_model, doc, &h), SM_OK);
    assert_string_equal(h.name, text);
    assert_int_equal(strlen(h.name), n);

    /* a huge unknown key and a huge json value */
    sm_buf b = SM_BUF_INIT;
    assert_int_equal(sm_buf_puts(&b, "{\"name\":\"n\",\"secret_name\":\"s\",\""), SM_OK);
    for (size_t k = 0; k < n / 8; k++)
        assert_int_equal(sm_buf_puts(&b, "kkkkkkkk"), SM_OK);
    assert_int_equal(sm_buf_puts(&b, "\":[\""), SM_OK);
    for (size_t k = 0; k < n / 8; k++)
        assert_int_equal(sm_buf_puts(&b, "\\u00e9\\n"), SM_OK);
    assert_int_equal(sm_buf_puts(&b, "\"]}"), SM_OK);
    assert_int_equal(jt_decode(t, &hero_model, b.data, &h), SM_OK);
    /* a bad escape after 1 MB, and the string left open */
    char msg[128];
    b.data[b.len - 3] = '\\';
    b.data[b.len - 2] = 'q';
    assert_int_equal(jt_decode(t, &hero_model, b.data, &h), SM_INVALID);
    snprintf(msg, sizeof msg, "1:%zu: expected one of \" \\ / b f n r t u after '\\', found 'q'",
             b.len - 1);
    assert_string_equal(jt_only(t, "", "json_syntax")->msg, msg);
    b.len -= 3;
    b.data[b.len] = '\0';
    assert_int_equal(jt_decode(t, &hero_model, b.data, &h), SM_INVALID);
    snprintf(msg, sizeof msg, "1:%zu: unexpected end of input: expected '\"' to close the string",
             b.len + 1);
    assert_string_equal(jt_only(t, "", "json_syntax")->msg, msg);

    /* the same 1 MB unknown key twice: one comparison, one error */
    sm_buf_reset(&b);
    for (int twice = 0; twice < 2; twice++) {
        assert_int_equal(sm_buf_puts(&b, twice ? ",\"" : "{\"name\":\"n\",\"secret_name\":\"s\",\""),
                         SM_OK);
        for (size_t k = 0; k < n / 8; k++)
            assert_int_equal(sm_buf_puts(&b, "kkkkkkkk"), SM_OK);
        assert_int_equal(sm_buf_puts(&b, "\":1"), SM_OK);
    }
    assert_int_equal(sm_buf_putc(&b, '}'), SM_OK);
    assert_int_equal(jt_decode(t, &hero_model, b.data, &h), SM_INVALID);
    assert_int_equal(t->errs.len, 1);
    assert_int_equal(strlen(t->errs.items[0].path), n);
    assert_string_equal(t->errs.items[0].code, "duplicate_key");
    sm_buf_free(&b);
    free(text);
}

static void test_odd_numbers(void **state)
{
    jt *t = *state;
    Nullables n;

    assert_int_equal(jt_decode(t, &nullables_model, "{\"f\":1e400}", &n), SM_INVALID);
    assert_string_equal(jt_only(t, "f", "out_of_range")->msg, "number out of range of a double");
    assert_int_equal(jt_decode(t, &nullables_model, "{\"f\":-1E99999999999999999999}", &n),
                     SM_INVALID);
    assert_string_equal(jt_only(t, "f", "out_of_range")->msg, "number out of range of a double");
    assert_int_equal(jt_decode(t, &nullables_model, "{\"f\":1e-99999999999999999999}", &n),
                     SM_OK);
    assert_true(n.f == 0.0);
    assert_int_equal(jt_decode(t, &nullables_model, "{\"i\":1e400}", &n), SM_INVALID);
    assert_string_equal(jt_only(t, "i", "type")->msg,
                        "expected an integer (no fraction or exponent)");
    assert_int_equal(jt_decode(t, &nullables_model, "{\"i\":9223372036854775808}", &n),
                     SM_INVALID);
    assert_string_equal(jt_only(t, "i", "out_of_range")->msg,
                        "integer out of range of int [-9223372036854775808, 9223372036854775807]");
    assert_int_equal(jt_decode(t, &nullables_model, "{\"i\":-9223372036854775808}", &n), SM_OK);
    assert_true(n.i == INT64_MIN);
    assert_int_equal(jt_decode(t, &nullables_model, "{\"d\":1e400}", &n), SM_INVALID);
    assert_string_equal(jt_only(t, "d", "type")->msg,
                        "expected a decimal number without an exponent");
    assert_int_equal(jt_decode(t, &nullables_model, "{\"i\":-0,\"f\":-0,\"d\":-0}", &n), SM_OK);
    assert_int_equal(n.i, 0);
    assert_int_equal(n.d, 0);
    assert_true(n.f == 0.0);
    assert_int_equal(jt_decode(t, &nullables_model, "{\"f\":0.000000000000000000000000000001}",
                               &n),
                     SM_OK);
    assert_true(n.f == 1e-30);
    /* a number with thousands of digits */
    char *doc = deep("{\"f\":0.", "0", "", 5000, false, "1}");
    assert_int_equal(jt_decode(t, &nullables_model, doc, &n), SM_OK);
    assert_true(n.f == 0.0); /* underflow */
    free(doc);
    doc = deep("{\"i\":1", "0", "", 5000, false, "}");
    assert_int_equal(jt_decode(t, &nullables_model, doc, &n), SM_INVALID);
    jt_only(t, "i", "out_of_range");
    free(doc);
    static const struct {
        const char *doc, *msg;
    } bad[] = {
        {"{\"f\":01}", "1:6: leading zeros are not allowed in numbers"},
        {"{\"f\":1.}", "1:8: expected a digit after '.', found '}'"},
        {"{\"f\":.5}", "1:6: expected a value, found '.'"},
        {"{\"f\":-}", "1:7: expected a digit after '-', found '}'"},
        {"{\"f\":1e}", "1:8: expected a digit in the exponent, found '}'"},
        {"{\"f\":- 1}", "1:7: expected a digit after '-', found ' '"},
        {"{\"f\":1.e5}", "1:8: expected a digit after '.', found 'e'"},
        {"{\"f\":0e}", "1:8: expected a digit in the exponent, found '}'"},
        {"{\"f\":1e+-1}", "1:9: expected a digit in the exponent, found '-'"},
        {"{\"f\":0.1.2}", "1:9: expected ',' or '}' after an object member, found '.'"},
    };
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++)
        syntax(t, bad[k].doc, bad[k].msg);
}

/* Every proper prefix of a valid document is exactly one syntax error. */
static void truncations(jt *t, const sm_model *m, const char *doc, void *out)
{
    size_t n = strlen(doc);

    assert_int_equal(jt_decoden(t, m, doc, n, out), SM_OK);
    for (size_t k = 0; k < n; k++) {
        int rc = jt_decoden(t, m, doc, k, out);
        if (rc != SM_INVALID || t->errs.len != 1)
            print_message("  prefix %zu: %.*s\n", k, (int)k, doc);
        assert_int_equal(rc, SM_INVALID);
        jt_only(t, "", "json_syntax");
        jt_assert_zero(out, m->size);
        sm_arena_free(&t->arena);
    }
}

static void test_truncated_everywhere(void **state)
{
    jt *t = *state;
    AllTypes a;
    Org o;

    truncations(t, &all_types_model,
                "{ \"b\" : true, \"i\":-42,\"i32\":7,\"i16\":-3,\"f\":-1.5e-3,\"d\":\"123.45\","
                "\"t\":\"h\\\"i\\u00e9\\ud83d\\ude00\\n \xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\","
                "\"by\":\"QUI=\",\"day\":\"2024-02-29\",\"tm\":\"13:45:30.000250\","
                "\"when\":\"1970-01-01T00:00:00.000000Z\","
                "\"u\":\"12345678-9abc-def0-1234-56789abcdef0\",\"j\":{\"k\": [1, 2, null, false]},"
                "\"e\":\"speed\",\"c\":\"white\",\"unknown\":[{}, []]}",
                &a);
    truncations(t, &org_model,
                "{\"name\":\"Acme\",\"address\":{\"city\":\"Paris\",\"zip\":null},\"hq\":null,"
                "\"members\":[{\"name\":\"Ann\",\"age\":30},{\"name\":\"Bob\",\"age\":null}]}",
                &o);
}

/* A small deterministic generator (xorshift). */
static uint32_t rnd(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

/*
 * Random mutations of valid documents.  Whatever comes out must be a clean
 * verdict: SM_OK with a value that encodes and reads back to the same
 * text, or SM_INVALID with errors (exactly one when the document is broken)
 * and a zeroed output.
 */
static void test_mutations(void **state)
{
    jt *t = *state;
    static const char *const seeds[] = {
        "{\"name\":\"Acme\",\"address\":{\"city\":\"P\\u00e9\",\"zip\":null},\"hq\":null,"
        "\"members\":[{\"name\":\"Ann\",\"age\":30},{\"name\":\"Bob\"}]}",
        "{\"b\":true,\"i\":-42,\"i32\":7,\"i16\":-3,\"f\":1.5,\"d\":\"123.45\",\"t\":\"x\\n\","
        "\"by\":\"QUI=\",\"day\":\"2024-02-29\",\"tm\":\"13:45:30\",\"when\":\"1970-01-01T00:00:00Z\","
        "\"u\":\"12345678-9abc-def0-1234-56789abcdef0\",\"j\":{\"k\":[1,2]},\"e\":\"speed\","
        "\"c\":\"white\"}",
    };
    const sm_model *models[] = {&org_model, &all_types_model};
    static const char alphabet[] = "{}[],:\"\\0123456789-+.eEtrufalsn \t\nxu\xc3\xa9\xff";
    char buf[512];
    union {
        Org o;
        AllTypes a;
    } out;
    uint32_t s = 12345;
    sm_buf again = SM_BUF_INIT;

    for (int iter = 0; iter < 20000; iter++) {
        int which = iter & 1;
        size_t n = strlen(seeds[which]);
        memcpy(buf, seeds[which], n);
        for (int m = 1 + (int)(rnd(&s) % 3); m > 0; m--) {
            size_t at = rnd(&s) % (n + 1);
            char c = alphabet[rnd(&s) % (sizeof alphabet - 1)];
            switch (rnd(&s) % 3) {
            case 0: /* replace */
                if (at < n)
                    buf[at] = c;
                break;
            case 1: /* insert */
                if (n + 1 < sizeof buf) {
                    memmove(buf + at + 1, buf + at, n - at);
                    buf[at] = c;
                    n++;
                }
                break;
            default: /* delete */
                if (at < n) {
                    memmove(buf + at, buf + at + 1, n - at - 1);
                    n--;
                }
                break;
            }
        }
        const sm_model *m = models[which];
        int rc = jt_decoden(t, m, buf, n, &out);
        if (rc == SM_OK) {
            const char *enc = jt_encode(t, m, &out);
            assert_non_null(enc);
            sm_buf_reset(&again);
            assert_int_equal(sm_buf_puts(&again, enc), SM_OK);
            assert_int_equal(jt_decode(t, m, again.data, &out), SM_OK);
            assert_string_equal(jt_encode(t, m, &out), again.data);
        } else {
            assert_int_equal(rc, SM_INVALID);
            assert_true(t->errs.len >= 1);
            for (size_t k = 0; k < t->errs.len; k++) {
                const char *code = t->errs.items[k].code;
                if (strcmp(code, "json_syntax") == 0 || strcmp(code, "depth") == 0)
                    assert_int_equal(t->errs.len, 1);
            }
            jt_assert_zero(&out, m->size);
        }
        sm_arena_free(&t->arena);
    }
    sm_buf_free(&again);
}

/* Field errors found before a syntax error are replaced by it. */
static void test_syntax_error_replaces_field_errors(void **state)
{
    jt *t = *state;
    Org o;

    assert_int_equal(jt_decode(t, &org_model,
                               "{\"name\":1,\"address\":{\"city\":2},\"members\":[{\"name\":3},"
                               "{\"name\":\"x\",\"age\":\"y\"}, [1,2",
                               &o),
                     SM_INVALID);
    jt_only(t, "", "json_syntax");
    jt_assert_zero(&o, sizeof o);
}

/* A Hero document with n members made by fmt (one %ld, the index) after
 * its two required fields, then `tail`. */
static char *hero_with(long n, const char *fmt, const char *tail)
{
    sm_buf b = SM_BUF_INIT;
    assert_int_equal(sm_buf_puts(&b, "{\"name\":\"n\",\"secret_name\":\"s\""), SM_OK);
    for (long k = 0; k < n; k++) {
        assert_int_equal(sm_buf_putc(&b, ','), SM_OK);
        assert_int_equal(sm_buf_printf(&b, fmt, k), SM_OK);
    }
    assert_int_equal(sm_buf_puts(&b, tail), SM_OK);
    return b.data;
}

/* 300,000 distinct unknown keys (3.9 MB): accepted, in linear time (a
 * search of every earlier key would take minutes; the bound is generous). */
static void test_many_distinct_unknown_keys(void **state)
{
    jt *t = *state;
    Hero h;
    char *doc = hero_with(300000, "\"key%ld\":1", "}");
    double t0 = now_s();
    assert_int_equal(jt_decode(t, &hero_model, doc, &h), SM_OK);
    assert_true(now_s() - t0 < 10.0);
    assert_string_equal(h.name, "n");
    free(doc);
    /* in one object of a json field, the same */
    sm_buf b = SM_BUF_INIT;
    assert_int_equal(sm_buf_puts(&b, "{\"j\":{"), SM_OK);
    for (long k = 0; k < 300000; k++)
        assert_int_equal(sm_buf_printf(&b, "%s\"key%ld\":[]", k ? "," : "", k), SM_OK);
    assert_int_equal(sm_buf_puts(&b, ",\"key150000\":0}}"), SM_OK);
    AllTypes a;
    t0 = now_s();
    assert_int_equal(jt_decode(t, &all_types_model, b.data, &a), SM_INVALID);
    assert_true(now_s() - t0 < 10.0);
    assert_int_equal(t->errs.len, 15); /* the repeat, then the 14 other fields required */
    assert_string_equal(t->errs.items[0].path, "j.key150000");
    assert_string_equal(t->errs.items[0].code, "duplicate_key");
    assert_string_equal(t->errs.items[1].path, "b");
    assert_string_equal(t->errs.items[1].code, "required");
    /* a million small objects, each with its own keys, skipped */
    sm_buf_reset(&b);
    assert_int_equal(sm_buf_puts(&b, "{\"name\":\"n\",\"secret_name\":\"s\",\"x\":["), SM_OK);
    for (long k = 0; k < 1000000; k++)
        assert_int_equal(sm_buf_puts(&b, k ? ",{\"a\":{},\"b\":[]}" : "{\"a\":{},\"b\":[]}"), SM_OK);
    assert_int_equal(sm_buf_puts(&b, "]}"), SM_OK);
    t0 = now_s();
    assert_int_equal(jt_decode(t, &hero_model, b.data, &h), SM_OK);
    assert_true(now_s() - t0 < 10.0);
    sm_buf_free(&b);
}

/* Every string of one to three bytes (no quote, backslash or control
 * byte) is accepted in a JSON string exactly when it is valid UTF-8, as
 * sm_utf8_valid says (test_utf8.c checks it against a reference). */
static void test_utf8_strings_exhaustive(void **state)
{
    (void)state;
    unsigned char doc[5] = {'"'};
    size_t bad = 0;
    for (unsigned n = 1; n <= 3; n++) {
        for (uint32_t v = 0; v < (uint32_t)1 << (8 * n); v++) {
            bool plain = true;
            for (unsigned k = 0; k < n; k++) {
                unsigned char c = (unsigned char)(v >> (8 * k));
                plain = plain && c >= 0x20 && c != '"' && c != '\\';
                doc[1 + k] = c;
            }
            if (!plain)
                continue;
            doc[1 + n] = '"';
            int rc = sm_json_check((const char *)doc, n + 2, 0);
            bool want = sm_utf8_valid((const char *)doc + 1, n);
            if (rc != (want ? SM_OK : SM_INVALID))
                fail_msg("%u bytes %06x: %d", n, v, rc);
            bad += !want;
        }
    }
    assert_int_equal(bad, 9726720); /* as Python's strict UTF-8 decoder counts them */
}

/*
 * The cap: a list holds 100 errors and one last too_many_errors; decoding
 * stops there, without reading the rest of the document.
 */
static void test_errors_capped(void **state)
{
    jt *t = *state;
    Hero h;
    Org o;

    /* 1,000,000 repeats of one key (9 MB): 100 errors, then the cap */
    char *doc = hero_with(1000000, "\"age\":%ld", "}");
    double t0 = now_s();
    assert_int_equal(jt_decode(t, &hero_model, doc, &h), SM_INVALID);
    assert_true(now_s() - t0 < 10.0);
    assert_int_equal(t->errs.len, 101);
    for (size_t k = 0; k < 100; k++) {
        assert_string_equal(t->errs.items[k].path, "age");
        assert_string_equal(t->errs.items[k].code, "duplicate_key");
    }
    assert_string_equal(t->errs.items[100].path, "");
    assert_string_equal(t->errs.items[100].code, "too_many_errors");
    assert_string_equal(t->errs.items[100].msg, "more than 100 errors: the rest are not reported");
    jt_assert_zero(&h, sizeof h);
    free(doc);

    /* one error per list element, with the elements' paths */
    sm_buf b = SM_BUF_INIT;
    assert_int_equal(sm_buf_puts(&b, "{\"name\":\"n\",\"address\":{\"city\":\"c\"},\"members\":["),
                     SM_OK);
    for (long k = 0; k < 1000000; k++)
        assert_int_equal(sm_buf_puts(&b, k ? ",1" : "1"), SM_OK);
    assert_int_equal(sm_buf_puts(&b, "]}"), SM_OK);
    assert_int_equal(jt_decode(t, &org_model, b.data, &o), SM_INVALID);
    assert_int_equal(t->errs.len, 101);
    assert_string_equal(t->errs.items[0].path, "members[0]");
    assert_string_equal(t->errs.items[99].path, "members[99]");
    assert_string_equal(t->errs.items[99].code, "type");
    assert_string_equal(t->errs.items[100].code, "too_many_errors");

    /* what follows the 101st error is not read: a syntax error there is
     * not seen */
    b.len -= 2;
    assert_int_equal(sm_buf_puts(&b, ",]"), SM_OK);
    assert_int_equal(jt_decode(t, &org_model, b.data, &o), SM_INVALID);
    assert_int_equal(t->errs.len, 101);
    assert_string_equal(t->errs.items[100].code, "too_many_errors");
    /* before the cap, it is the one error */
    assert_int_equal(jt_decode(t, &org_model,
                               "{\"name\":\"n\",\"address\":{\"city\":\"c\"},\"members\":[1,1,]}", &o),
                     SM_INVALID);
    jt_only(t, "", "json_syntax");

    /* The cap is the list's: errors already there count. */
    sm_errors_clear(&t->errs);
    for (int k = 0; k < 97; k++)
        assert_int_equal(sm_errors_add(&t->errs, "earlier", "check", "e%d", k), SM_OK);
    assert_int_equal(sm_model_from_json(&org_model, b.data, b.len, &o, &t->arena, &t->errs),
                     SM_INVALID);
    assert_int_equal(t->errs.len, 101);
    assert_string_equal(t->errs.items[96].path, "earlier");
    assert_string_equal(t->errs.items[97].path, "members[0]");
    assert_string_equal(t->errs.items[99].path, "members[2]");
    assert_string_equal(t->errs.items[100].code, "too_many_errors");
    /* A full list: nothing more is added, the verdict stands. */
    assert_int_equal(sm_model_from_json(&org_model, b.data, b.len, &o, &t->arena, &t->errs),
                     SM_INVALID);
    assert_int_equal(t->errs.len, 101);
    assert_int_equal(sm_model_from_json(&hero_model, "{", 1, &h, &t->arena, &t->errs), SM_INVALID);
    assert_int_equal(t->errs.len, 101);
    assert_int_equal(sm_model_from_json(&strict_model, "{\"a\":1}", 7, &h, &t->arena, &t->errs),
                     SM_OK);
    assert_int_equal(t->errs.len, 101);
    /* No list: the verdict, at the first error. */
    assert_int_equal(sm_model_from_json(&org_model, b.data, b.len, &o, &t->arena, NULL),
                     SM_INVALID);
    jt_assert_zero(&o, sizeof o);
    sm_buf_free(&b);
}

/*
 * Out of memory: an arena that cannot allocate (its first block would be
 * larger than any memory, so every allocation fails) makes the decode
 * fail with SM_NOMEM, nothing reported, the output zeroed and every
 * temporary freed (the sanitizer build checks for leaks), whatever was
 * open at the time.
 */
static void test_arena_exhausted(void **state)
{
    jt *t = *state;
    static const char *const docs[] = {
        "{\"name\":\"a\",\"secret_name\":\"b\"}",
        "{\"id\":1,\"j\":[1,2]}",
        "{\"kids\":[{\"kids\":[{\"kids\":[]},{\"kids\":[]}]}]}", /* a list's items first */
    };
    const sm_model *models[] = {&hero_model, &all_types_model, &node_model};
    union {
        Hero h;
        AllTypes a;
        Node n;
    } out;
    sm_arena full;
    sm_arena_init(&full, SIZE_MAX);

    for (size_t k = 0; k < 3; k++) {
        sm_errors_clear(&t->errs);
        memset(&out, 0x11, sizeof out);
        assert_int_equal(sm_model_from_json(models[k], docs[k], strlen(docs[k]), &out, &full,
                                            &t->errs),
                         SM_NOMEM);
        assert_int_equal(t->errs.len, 0);
        jt_assert_zero(&out, models[k]->size);
    }
    /* a document that needs no arena memory decodes all the same */
    Strict st;
    assert_int_equal(sm_model_from_json(&strict_model, "{\"a\":5}", 7, &st, &full, &t->errs),
                     SM_OK);
    assert_int_equal(st.a, 5);
    assert_int_equal(full.blocks, 0);
    /* no arena at all is a misuse, even where none would be needed */
    memset(&st, 0x11, sizeof st);
    assert_int_equal(sm_model_from_json(&strict_model, "{\"a\":5}", 7, &st, NULL, &t->errs),
                     SM_MISUSE);
    jt_assert_zero(&st, sizeof st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_syntax_errors, jt_setup, jt_teardown),
        cmocka_unit_test_setup_teardown(test_bom_and_nul, jt_setup, jt_teardown),
        cmocka_unit_test_setup_teardown(test_invalid_utf8, jt_setup, jt_teardown),
        cmocka_unit_test_setup_teardown(test_surrogates_and_nul_escapes, jt_setup, jt_teardown),
        cmocka_unit_test_setup_teardown(test_depth_limit, jt_setup, jt_teardown),
        cmocka_unit_test_setup_teardown(test_deep_nesting, jt_setup, jt_teardown),
        cmocka_unit_test_setup_teardown(test_huge_strings, jt_setup, jt_teardown),
        cmocka_unit_test_setup_teardown(test_odd_numbers, jt_setup, jt_teardown),
        cmocka_unit_test_setup_teardown(test_truncated_everywhere, jt_setup, jt_teardown),
        cmocka_unit_test_setup_teardown(test_mutations, jt_setup, jt_teardown),
        cmocka_unit_test_setup_teardown(test_syntax_error_replaces_field_errors, jt_setup,
                                        jt_teardown),
        cmocka_unit_test_setup_teardown(test_many_distinct_unknown_keys, jt_setup, jt_teardown),
        cmocka_unit_test_setup_teardown(test_errors_capped, jt_setup, jt_teardown),
        cmocka_unit_test(test_utf8_strings_exhaustive),
        cmocka_unit_test_setup_teardown(test_arena_exhausted, jt_setup, jt_teardown),
    };
    return cmocka_run_group_tests_name("json_hostile", tests, NULL, NULL);
}
