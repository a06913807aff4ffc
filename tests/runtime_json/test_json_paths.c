/*
 * test_json_paths.c: JSON through generated code (paths.smdl), where the
 * codec takes its short ways: X_to_json writes keys as literals and
 * integers, text and null directly (sm_jw_*), and X_from_json reads a
 * plain flat object in one pass (json_fast.c) and hands anything else to
 * the full reader.  Each case checks the exact text, value or error at
 * the edges of those paths.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "paths.h"

#include <stdio.h>
#include <string.h>

typedef struct st {
    sm_buf out;
    sm_arena arena;
    sm_errors errs;
} st;

static int setup(void **state)
{
    static st s;
    s = (st){SM_BUF_INIT, SM_ARENA_INIT, SM_ERRORS_INIT};
    *state = &s;
    return 0;
}

static int teardown(void **state)
{
    st *s = *state;
    sm_buf_free(&s->out);
    sm_arena_free(&s->arena);
    sm_errors_free(&s->errs);
    return 0;
}

static Row sample_row(void)
{
    Row r = ROW_INIT;
    r.id = 7;
    r.t = "a\"b\\c\n\x01\xc3\xa9";
    r.nt = NULL;
    r.i = INT64_MIN;
    r.s16 = -32768;
    r.ok = true;
    r.f = 1.5;
    r.k = KIND_FANCY;
    r.odd = "x";
    r.hidden = "never written";
    return r;
}

static const char sample_json[] =
    "{\"id\":7,\"t\":\"a\\\"b\\\\c\\n\\u0001\xc3\xa9\",\"nt\":null,\"i\":-9223372036854775808,"
    "\"n32\":null,\"s16\":-32768,\"ok\":true,\"f\":1.5,\"k\":\"fancy\",\"q\\\"\\\\\xc3\xa9/\":\"x\"}";

/* ---- Encoding ------------------------------------------------------------------ */

static void encode_every_path(void **state)
{
    st *s = *state;
    Row r = sample_row();

    assert_int_equal(row_to_json(&r, &s->out), SM_OK);
    assert_string_equal(s->out.data, sample_json);
    assert_int_equal(s->out.len, strlen(sample_json));

    sm_buf_reset(&s->out);
    r.nt = "";
    r.i = INT64_MAX;
    r.n32 = -1;
    r.has_n32 = true;
    r.t = "";
    assert_int_equal(row_to_json(&r, &s->out), SM_OK);
    assert_string_equal(s->out.data,
                        "{\"id\":7,\"t\":\"\",\"nt\":\"\",\"i\":9223372036854775807,\"n32\":-1,"
                        "\"s16\":-32768,\"ok\":true,\"f\":1.5,\"k\":\"fancy\","
                        "\"q\\\"\\\\\xc3\xa9/\":\"x\"}");
}

/* Objects follow what the buffer held; a failure leaves it as it was,
 * even after fields were written. */
static void encode_appends_or_leaves(void **state)
{
    st *s = *state;
    Row r = sample_row();

    assert_int_equal(sm_buf_puts(&s->out, "[1,"), SM_OK);
    assert_int_equal(row_to_json(&r, &s->out), SM_OK);
    assert_int_equal(strncmp(s->out.data, "[1,{\"id\":7,", 11), 0);
    size_t len = s->out.len;

    r.k = (Kind)5; /* the ninth field: eight were written before it */
    assert_int_equal(row_to_json(&r, &s->out), SM_INVALID);
    assert_int_equal(s->out.len, len);
    assert_int_equal(s->out.data[len], '\0');

    r = sample_row();
    r.odd = "bad \xc3(";  /* invalid UTF-8 in the last field */
    assert_int_equal(row_to_json(&r, &s->out), SM_INVALID);
    assert_int_equal(s->out.len, len);
    assert_int_equal(s->out.data[len], '\0');
    r.odd = "also bad \xff";  /* in a text with nothing to escape before it */
    assert_int_equal(row_to_json(&r, &s->out), SM_INVALID);
    assert_int_equal(s->out.len, len);

    assert_int_equal(row_to_json(NULL, &s->out), SM_MISUSE);
    assert_int_equal(row_to_json(&r, NULL), SM_MISUSE);
    assert_int_equal(s->out.len, len);
}

static void encode_nested_partial_and_empty(void **state)
{
    st *s = *state;
    Inner items[2] = {{1}, {-2}};
    Outer o = OUTER_INIT;
    o.inner.n = 5;
    o.items.items = items;
    o.items.len = 2;
    o.name = "o";
    assert_int_equal(outer_to_json(&o, &s->out), SM_OK);
    assert_string_equal(s->out.data, "{\"inner\":{\"n\":5},\"items\":[{\"n\":1},{\"n\":-2}],\"name\":\"o\"}");

    sm_buf_reset(&s->out);
    RowPatch p = ROW_PATCH_INIT;
    p.has_n32 = true;
    p.n32_null = true;
    p.has_t = true;
    p.t = "t";
    assert_int_equal(row_patch_to_json(&p, &s->out), SM_OK);
    assert_string_equal(s->out.data, "{\"t\":\"t\",\"n32\":null}");

    sm_buf_reset(&s->out);
    Quiet q = {3, true};
    assert_int_equal(quiet_to_json(&q, &s->out), SM_OK);
    assert_string_equal(s->out.data, "{}");
}

/* Texts of every length around the writer's copy sizes, many objects in
 * one buffer grown from nothing: each reads back the same. */
static void encode_lengths_round_trip(void **state)
{
    st *s = *state;
    enum { N = 600 };
    static char names[N][48];
    static size_t offs[N + 1];

    for (int k = 0; k < N; k++) {
        size_t len = (size_t)k % 41;
        for (size_t j = 0; j < len; j++)
            names[k][j] = (char)('a' + (j + (size_t)k) % 26);
        if (k % 7 == 3 && len)
            names[k][len / 2] = '"'; /* something to escape */
        names[k][len] = '\0';
        Flat f = FLAT_INIT;
        f.name = "n";
        f.note = names[k];
        f.big = (int64_t)k * 1000003 - 300000000;
        f.small = (int16_t)(k - 300);
        f.age = k;
        f.has_age = k % 3 != 0;
        offs[k] = s->out.len;
        assert_int_equal(flat_to_json(&f, &s->out), SM_OK);
    }
    offs[N] = s->out.len;
    for (int k = 0; k < N; k++) {
        Flat f;
        assert_int_equal(flat_from_json(s->out.data + offs[k], offs[k + 1] - offs[k], &f, &s->arena,
                                        &s->errs),
                         SM_OK);
        assert_string_equal(f.note, names[k]);
        assert_int_equal(f.big, (int64_t)k * 1000003 - 300000000);
        assert_int_equal(f.small, k - 300);
        assert_int_equal(f.has_age, k % 3 != 0);
        assert_int_equal(f.age, k % 3 != 0 ? k : 0);
    }
    assert_int_equal(s->errs.len, 0);
}

/* ---- Decoding ------------------------------------------------------------------ */

/* Decodes doc into *f with a fresh error list; returns the code. */
static int dec(st *s, const char *doc, Flat *f)
{
    sm_errors_clear(&s->errs);
    return flat_from_json(doc, strlen(doc), f, &s->arena, &s->errs);
}

/* Asserts that doc fails with exactly one error (path, code) and a
 * zeroed result. */
static void dec_fails(st *s, const char *doc, const char *path, const char *code)
{
    Flat f, zero;
    memset(&zero, 0, sizeof zero);
    if (dec(s, doc, &f) != SM_INVALID || s->errs.len != 1 ||
        strcmp(s->errs.items[0].path, path) != 0 || strcmp(s->errs.items[0].code, code) != 0) {
        print_error("%s: expected one error %s/%s, got %zu:", doc, path, code, s->errs.len);
        for (size_t i = 0; i < s->errs.len; i++)
            print_error(" %s/%s", s->errs.items[i].path, s->errs.items[i].code);
        fail();
    }
    assert_memory_equal(&f, &zero, sizeof f);
}

static void decode_plain(void **state)
{
    st *s = *state;
    Flat f;

    assert_int_equal(dec(s, " \t\r\n{ \"id\" : 3 , \"name\":\"h\xc3\xa9llo\",\"note\":null,\"age\":-2147483648,"
                            "\"small\":32767,\"flag\":false,\"big\":-0 }\n ",
                         &f),
                     SM_OK);
    assert_int_equal(s->errs.len, 0);
    assert_int_equal(f.id, 3);
    assert_string_equal(f.name, "h\xc3\xa9llo");
    assert_null(f.note);
    assert_true(f.has_age);
    assert_int_equal(f.age, INT32_MIN);
    assert_int_equal(f.small, 32767);
    assert_false(f.flag);
    assert_int_equal(f.big, 0);

    /* Any order; absent: id (auto) stays 0, note and age null. */
    assert_int_equal(dec(s, "{\"flag\":true,\"big\":123456789012345678,\"small\":-32768,\"name\":\"\"}", &f),
                     SM_OK);
    assert_int_equal(f.id, 0);
    assert_string_equal(f.name, "");
    assert_null(f.note);
    assert_false(f.has_age);
    assert_true(f.flag);
    assert_int_equal(f.big, 123456789012345678);
    assert_int_equal(f.small, -32768);
}

/* What the one-pass reader leaves to the full one is still decoded. */
static void decode_handed_over(void **state)
{
    st *s = *state;
    Flat f;

    assert_int_equal(dec(s, "{\"name\":\"a\\\"\\u00e9\",\"small\":1,\"flag\":true,\"big\":1}", &f), SM_OK);
    assert_string_equal(f.name, "a\"\xc3\xa9");
    assert_int_equal(dec(s, "{\"na\\u006de\":\"k\",\"small\":1,\"flag\":true,\"big\":1}", &f), SM_OK);
    assert_string_equal(f.name, "k");
    assert_int_equal(dec(s, "{\"name\":\"k\",\"extra\":[1,{\"a\":2}],\"small\":1,\"flag\":true,\"big\":1}", &f),
                     SM_OK);
    assert_int_equal(dec(s, "{\"name\":\"k\",\"small\":1,\"flag\":true,\"big\":9223372036854775807}", &f),
                     SM_OK);
    assert_int_equal(f.big, INT64_MAX);
    assert_int_equal(dec(s, "{\"name\":\"k\",\"small\":1,\"flag\":true,\"big\":-9223372036854775808}", &f),
                     SM_OK);
    assert_int_equal(f.big, INT64_MIN);
    assert_int_equal(s->errs.len, 0);
}

static void decode_errors_at_the_edges(void **state)
{
    st *s = *state;
#define REST ",\"small\":1,\"flag\":true,\"big\":1}"
    dec_fails(s, "{\"name\":\"k\",\"name\":\"k\"" REST, "name", "duplicate_key");
    dec_fails(s, "{\"name\":\"k\",\"age\":2147483648" REST, "age", "out_of_range");
    dec_fails(s, "{\"name\":\"k\",\"small\":-32769,\"flag\":true,\"big\":1}", "small", "out_of_range");
    dec_fails(s, "{\"name\":\"k\",\"small\":1,\"flag\":true,\"big\":9223372036854775808}", "big",
              "out_of_range");
    dec_fails(s, "{\"name\":\"k\",\"age\":1.0" REST, "age", "type");
    dec_fails(s, "{\"name\":\"k\",\"age\":1e2" REST, "age", "type");
    dec_fails(s, "{\"name\":\"k\",\"age\":\"1\"" REST, "age", "type");
    dec_fails(s, "{\"name\":1" REST, "name", "type");
    dec_fails(s, "{\"name\":\"a\\u0000b\"" REST, "name", "type");
    dec_fails(s, "{\"name\":null" REST, "name", "required");
    dec_fails(s, "{\"name\":\"k\",\"small\":1,\"flag\":1,\"big\":1}", "flag", "type");
    dec_fails(s, "{\"name\":\"k\",\"small\":1,\"flag\":true}", "big", "required");
    dec_fails(s, "{\"name\":\"toolong\"" REST, "name", "too_long");
    dec_fails(s, "{\"name\":\"k\",\"age\":01" REST, "", "json_syntax");
    dec_fails(s, "{\"name\":\"k\",\"age\":-" REST, "", "json_syntax");
    dec_fails(s, "{\"name\":\"k\",\"small\":1,\"flag\":truex,\"big\":1}", "", "json_syntax");
    dec_fails(s, "{\"name\":\"k\"" REST "x", "", "json_syntax");
    dec_fails(s, "{\"name\":\"k\"" REST "{}", "", "json_syntax");
    dec_fails(s, "\xef\xbb\xbf{\"name\":\"k\"" REST, "", "json_syntax");
    dec_fails(s, "{\"name\":\"k\xc3\"" REST, "", "json_syntax");
    dec_fails(s, "{\"name\":\"\xed\xa0\x80\"" REST, "", "json_syntax");
    dec_fails(s, "{\"name\":\"a\tb\"" REST, "", "json_syntax");
    dec_fails(s, "{\"name\":\"k\",}", "", "json_syntax");
    dec_fails(s, "{\"name\":\"k\"" REST "}", "", "json_syntax");
    dec_fails(s, "[]", "", "type");
#undef REST
}

/* Without a list, the verdict; with one, the errors already in it stay. */
static void decode_verdict_and_list(void **state)
{
    st *s = *state;
    const char *ok = "{\"name\":\"k\",\"small\":1,\"flag\":true,\"big\":1}";
    const char *longname = "{\"name\":\"toolong\",\"small\":1,\"flag\":true,\"big\":1}";
    Flat f;

    assert_int_equal(flat_from_json(ok, strlen(ok), &f, &s->arena, NULL), SM_OK);
    assert_int_equal(flat_from_json(longname, strlen(longname), &f, &s->arena, NULL), SM_INVALID);
    sm_errors_clear(&s->errs);
    assert_int_equal(sm_errors_add(&s->errs, "before", "x", "%s", "kept"), SM_OK);
    assert_int_equal(flat_from_json(ok, strlen(ok), &f, &s->arena, &s->errs), SM_OK);
    assert_int_equal(s->errs.len, 1);
    assert_int_equal(flat_from_json(longname, strlen(longname), &f, &s->arena, &s->errs), SM_INVALID);
    assert_int_equal(s->errs.len, 2);
    assert_string_equal(s->errs.items[0].path, "before");
    assert_string_equal(s->errs.items[1].path, "name");
    assert_int_equal(flat_from_json(NULL, 0, &f, &s->arena, NULL), SM_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(encode_every_path, setup, teardown),
        cmocka_unit_test_setup_teardown(encode_appends_or_leaves, setup, teardown),
        cmocka_unit_test_setup_teardown(encode_nested_partial_and_empty, setup, teardown),
        cmocka_unit_test_setup_teardown(encode_lengths_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(decode_plain, setup, teardown),
        cmocka_unit_test_setup_teardown(decode_handed_over, setup, teardown),
        cmocka_unit_test_setup_teardown(decode_errors_at_the_edges, setup, teardown),
        cmocka_unit_test_setup_teardown(decode_verdict_and_list, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
