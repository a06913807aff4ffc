/*
 * test_json_write.c: sm_model_to_json, and round trips of every type
 * through sm_model_from_json.
 */
#include "jtest.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static sm_uuid uuid_of(const char *s)
{
    sm_uuid u;
    assert_int_equal(sm_uuid_parse(s, strlen(s), &u), SM_OK);
    return u;
}

/* A fully set AllTypes; the caller changes what it tests. */
static AllTypes sample(void)
{
    static const uint8_t ab[] = {'A', 'B'};
    AllTypes a = {0};
    a.b = true;
    a.i = -42;
    a.i32 = 7;
    a.i16 = -3;
    a.f = 1.5;
    a.d = 12345;
    a.t = "hi \"x\"\n";
    a.by = (sm_bytes){ab, 2};
    a.day = sm_date_from_ymd(2024, 2, 29);
    a.tm = ((13 * 3600 + 45 * 60 + 30) * INT64_C(1000000)) + 250;
    a.stamp = 0;
    a.u = uuid_of("12345678-9abc-def0-1234-56789abcdef0");
    a.j = "{\"k\": [1, 2]}";
    a.e = POWER_SPEED;
    a.c = COLOUR_WHITE;
    a.note = "not in JSON";
    return a;
}

static void assert_all_types_equal(const AllTypes *x, const AllTypes *y)
{
    assert_int_equal(x->b, y->b);
    assert_int_equal(x->i, y->i);
    assert_int_equal(x->i32, y->i32);
    assert_int_equal(x->i16, y->i16);
    assert_memory_equal(&x->f, &y->f, sizeof x->f); /* bit for bit: -0.0 too */
    assert_int_equal(x->d, y->d);
    assert_string_equal(x->t, y->t);
    assert_int_equal(x->by.len, y->by.len);
    assert_non_null(y->by.data);
    if (x->by.len)
        assert_memory_equal(x->by.data, y->by.data, x->by.len);
    assert_int_equal(x->day, y->day);
    assert_int_equal(x->tm, y->tm);
    assert_int_equal(x->stamp, y->stamp);
    assert_memory_equal(x->u.b, y->u.b, 16);
    assert_string_equal(x->j, y->j);
    assert_int_equal(x->e, y->e);
    assert_int_equal(x->c, y->c);
}

/* Encodes a, decodes the text, compares. */
static void round_trip(jt *t, const AllTypes *a)
{
    AllTypes back;
    const char *s = jt_encode(t, &all_types_model, a);
    assert_non_null(s);
    char *copy = strdup(s);
    assert_non_null(copy);
    int rc = jt_decode(t, &all_types_model, copy, &back);
    if (rc != SM_OK)
        print_message("  %s: %s [%s]\n", copy, t->errs.len ? t->errs.items[0].msg : "",
                      t->errs.len ? t->errs.items[0].code : "");
    assert_int_equal(rc, SM_OK);
    assert_all_types_equal(a, &back);
    assert_null(back.note); /* @json(skip): never read either */
    free(copy);
}

static void test_hero_exact(void **state)
{
    jt *t = *state;
    Team team = {7, "Preventers"};
    Hero h = {1, "Deadpond", "Dive Wilson", 0, false, 0, false, NULL};

    assert_string_equal(jt_encode(t, &hero_model, &h),
                        "{\"id\":1,\"name\":\"Deadpond\",\"secret_name\":\"Dive Wilson\","
                        "\"age\":null,\"team_id\":null}");
    h.age = 48;
    h.has_age = true;
    h.team_id = 7;
    h.has_team_id = true;
    h.team = &team; /* relationships are never emitted */
    assert_string_equal(jt_encode(t, &hero_model, &h),
                        "{\"id\":1,\"name\":\"Deadpond\",\"secret_name\":\"Dive Wilson\","
                        "\"age\":48,\"team_id\":7}");
}

static void test_appends_and_terminates(void **state)
{
    jt *t = *state;
    Team team = {3, "x"};
    sm_buf b = SM_BUF_INIT;

    assert_int_equal(sm_buf_puts(&b, "["), SM_OK);
    assert_int_equal(sm_model_to_json(&team_model, &team, &b), SM_OK);
    assert_int_equal(sm_buf_putc(&b, ','), SM_OK);
    assert_int_equal(sm_model_to_json(&team_model, &team, &b), SM_OK);
    assert_string_equal(b.data, "[{\"id\":3,\"name\":\"x\"},{\"id\":3,\"name\":\"x\"}");
    assert_int_equal(b.len, strlen(b.data));
    /* the buffer's spare room is used without losing the NUL */
    sm_buf_reset(&b);
    for (int i = 0; i < 100; i++) {
        assert_int_equal(sm_model_to_json(&team_model, &team, &b), SM_OK);
        assert_int_equal(b.data[b.len], '\0');
    }
    assert_int_equal(b.len, 100 * strlen("{\"id\":3,\"name\":\"x\"}"));
    sm_buf_free(&b);
    (void)t;
}

static void test_all_types_exact(void **state)
{
    jt *t = *state;
    AllTypes a = sample();

    assert_string_equal(
        jt_encode(t, &all_types_model, &a),
        "{\"b\":true,\"i\":-42,\"i32\":7,\"i16\":-3,\"f\":1.5,\"d\":\"123.45\","
        "\"t\":\"hi \\\"x\\\"\\n\",\"by\":\"QUI=\",\"day\":\"2024-02-29\","
        "\"tm\":\"13:45:30.000250\",\"when\":\"1970-01-01T00:00:00.000000Z\","
        "\"u\":\"12345678-9abc-def0-1234-56789abcdef0\",\"j\":{\"k\": [1, 2]},"
        "\"e\":\"speed\",\"c\":\"white\"}");
    round_trip(t, &a);
    a.b = false;
    a.e = POWER_FLIGHT;
    a.c = COLOUR_RED;
    round_trip(t, &a);
}

static void test_integer_limits(void **state)
{
    jt *t = *state;
    AllTypes a = sample();
    static const int64_t i64s[] = {INT64_MIN, INT64_MIN + 1, -1, 0, 1, INT64_MAX - 1, INT64_MAX};
    static const int32_t i32s[] = {INT32_MIN, -1, 0, INT32_MAX};
    static const int16_t i16s[] = {INT16_MIN, -1, 0, INT16_MAX};
    char want[64];

    for (size_t k = 0; k < sizeof i64s / sizeof *i64s; k++) {
        a.i = i64s[k];
        round_trip(t, &a);
        snprintf(want, sizeof want, "\"i\":%lld,", (long long)i64s[k]);
        assert_non_null(strstr(jt_encode(t, &all_types_model, &a), want));
    }
    for (size_t k = 0; k < sizeof i32s / sizeof *i32s; k++) {
        a.i32 = i32s[k];
        round_trip(t, &a);
    }
    for (size_t k = 0; k < sizeof i16s / sizeof *i16s; k++) {
        a.i16 = i16s[k];
        round_trip(t, &a);
    }
}

static void test_floats(void **state)
{
    jt *t = *state;
    AllTypes a = sample();
    static const struct {
        double v;
        const char *text;
    } cases[] = {
        {0.0, "0"},
        {-0.0, "-0"},
        {1.0, "1"},
        {-1.5, "-1.5"},
        {0.1, "0.1"},
        {1.0 / 3, "0.3333333333333333"},
        {2.0 / 3, "0.6666666666666666"},
        {1e308, "1e+308"},
        {DBL_MAX, "1.7976931348623157e+308"},
        {5e-324, "4.94065645841247e-324"},
        {DBL_MIN, "2.2250738585072014e-308"},
        {123456789012345678.0, "1.2345678901234568e+17"},
        {1e15, "1e+15"},
        {999999999999999.0, "999999999999999"},
        {-999999999999999.0, "-999999999999999"},
        {3.141592653589793, "3.141592653589793"},
        {1e-7, "1e-07"},
        {1e21, "1e+21"},
        {1e23, "1e+23"},
        {0.30000000000000004, "0.30000000000000004"},
    };
    char want[64];

    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        a.f = cases[k].v;
        snprintf(want, sizeof want, "\"f\":%s,", cases[k].text);
        const char *s = jt_encode(t, &all_types_model, &a);
        if (!s || !strstr(s, want)) {
            print_message("  %.17g: %s lacks %s\n", cases[k].v, s ? s : "(error)", want);
            fail();
        }
        round_trip(t, &a);
    }
    /* many doubles, bit for bit */
    uint64_t x = 0x9E3779B97F4A7C15u;
    for (int k = 0; k < 2000; k++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        double d;
        memcpy(&d, &x, sizeof d);
        if (!isfinite(d))
            continue;
        a.f = d;
        round_trip(t, &a);
    }
}

static void test_nonfinite_rejected(void **state)
{
    jt *t = *state;
    AllTypes a = sample();
    const double bad[] = {NAN, INFINITY, -INFINITY};

    for (size_t k = 0; k < 3; k++) {
        sm_buf_reset(&t->out);
        assert_int_equal(sm_buf_puts(&t->out, "kept"), SM_OK);
        a.f = bad[k];
        assert_int_equal(sm_model_to_json(&all_types_model, &a, &t->out), SM_INVALID);
        assert_int_equal(t->out.len, 4);
        assert_string_equal(t->out.data, "kept");
    }
}

static void test_text_escapes(void **state)
{
    jt *t = *state;
    AllTypes a = sample();
    char all[40];
    const char *s;

    for (int c = 1; c < 32; c++)
        all[c - 1] = (char)c;
    all[31] = '\0';
    a.t = all;
    s = jt_encode(t, &all_types_model, &a);
    assert_non_null(strstr(s, "\"t\":\"\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007"
                              "\\b\\t\\n\\u000b\\f\\r\\u000e\\u000f\\u0010\\u0011\\u0012"
                              "\\u0013\\u0014\\u0015\\u0016\\u0017\\u0018\\u0019\\u001a"
                              "\\u001b\\u001c\\u001d\\u001e\\u001f\""));
    round_trip(t, &a);

    a.t = "quote \" backslash \\ slash / del \x7f";
    s = jt_encode(t, &all_types_model, &a);
    assert_non_null(strstr(s, "\"t\":\"quote \\\" backslash \\\\ slash / del \x7f\""));
    round_trip(t, &a);

    a.t = "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xf4\x8f\xbf\xbf"; /* é € 😀 U+10FFFF */
    s = jt_encode(t, &all_types_model, &a);
    assert_non_null(strstr(s, "\"t\":\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 "
                              "\xf4\x8f\xbf\xbf\""));
    round_trip(t, &a);

    a.t = "";
    assert_non_null(strstr(jt_encode(t, &all_types_model, &a), "\"t\":\"\","));
    round_trip(t, &a);
}

static void test_text_invalid_utf8_rejected(void **state)
{
    jt *t = *state;
    AllTypes a = sample();
    const char *bad[] = {"\xff", "a\xc3", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80",
                         "\xe2\x82"};

    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        a.t = bad[k];
        sm_buf_reset(&t->out);
        assert_int_equal(sm_model_to_json(&all_types_model, &a, &t->out), SM_INVALID);
        assert_int_equal(t->out.len, 0);
    }
}

static void test_bytes(void **state)
{
    jt *t = *state;
    AllTypes a = sample();
    static const char *const enc[] = {"\"\"", "\"AA==\"", "\"AAE=\"", "\"AAEC\"", "\"AAECAw==\"",
                                      "\"AAECAwQ=\""};
    uint8_t data[600];
    char want[32];

    for (int k = 0; k < 600; k++)
        data[k] = (uint8_t)(k * 7 + k / 256);
    for (int k = 0; k < 256; k++)
        data[k] = (uint8_t)k;
    data[0] = 0;
    for (size_t n = 0; n < 6; n++) {
        uint8_t small[5] = {0, 1, 2, 3, 4};
        a.by = (sm_bytes){small, n};
        snprintf(want, sizeof want, "\"by\":%s,", enc[n]);
        assert_non_null(strstr(jt_encode(t, &all_types_model, &a), want));
        round_trip(t, &a);
    }
    for (size_t n = 250; n < 260; n++) { /* every byte value, every padding */
        a.by = (sm_bytes){data, n};
        round_trip(t, &a);
    }
    a.by = (sm_bytes){data, sizeof data}; /* longer than one output chunk */
    round_trip(t, &a);
    a.by = (sm_bytes){(const uint8_t *)"\xfb\xff\xbf", 3};
    assert_non_null(strstr(jt_encode(t, &all_types_model, &a), "\"by\":\"+/+/\","));
    round_trip(t, &a);
    /* a non-nullable empty value left zero-initialised is "" */
    a.by = (sm_bytes){NULL, 0};
    assert_non_null(strstr(jt_encode(t, &all_types_model, &a), "\"by\":\"\","));
}

static void test_decimal_limits(void **state)
{
    jt *t = *state;
    AllTypes a = sample();
    static const struct {
        sm_decimal v;
        const char *text;
    } cases[] = {
        {0, "\"0.00\""},
        {-1, "\"-0.01\""},
        {5, "\"0.05\""},
        {100, "\"1.00\""},
        {INT64_C(999999999999999999), "\"9999999999999999.99\""},
        {-INT64_C(999999999999999999), "\"-9999999999999999.99\""},
    };
    char want[48];

    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        a.d = cases[k].v;
        snprintf(want, sizeof want, "\"d\":%s,", cases[k].text);
        assert_non_null(strstr(jt_encode(t, &all_types_model, &a), want));
        round_trip(t, &a);
    }
}

static void test_dates_times_extremes(void **state)
{
    jt *t = *state;
    AllTypes a = sample();
    const sm_date days[] = {-719162, -1, 0, 1, 2932896};
    const sm_date bad_days[] = {INT32_MIN, -719163, 2932897, INT32_MAX};
    const sm_time times[] = {0, 1, INT64_C(86399999999)};
    const sm_datetime stamps[] = {INT64_C(-62135596800000000), -1, 0, 1,
                                  INT64_C(253402300799999999)};
    const sm_datetime bad_stamps[] = {INT64_MIN, INT64_C(-62135596800000001),
                                      INT64_C(253402300800000000), INT64_MAX};

    for (size_t k = 0; k < sizeof days / sizeof *days; k++) {
        a.day = days[k];
        round_trip(t, &a);
    }
    /* outside 0001-01-01..9999-12-31 nothing is written: the reader would
     * refuse it */
    sm_buf_reset(&t->out);
    assert_int_equal(sm_buf_puts(&t->out, "kept"), SM_OK);
    for (size_t k = 0; k < sizeof bad_days / sizeof *bad_days; k++) {
        a.day = bad_days[k];
        assert_int_equal(sm_model_to_json(&all_types_model, &a, &t->out), SM_INVALID);
        assert_string_equal(t->out.data, "kept");
    }
    a = sample();
    a.tm = -1;
    assert_int_equal(sm_model_to_json(&all_types_model, &a, &t->out), SM_INVALID);
    a.tm = INT64_C(86400000000);
    assert_int_equal(sm_model_to_json(&all_types_model, &a, &t->out), SM_INVALID);
    assert_string_equal(t->out.data, "kept");
    a = sample();
    for (size_t k = 0; k < sizeof bad_stamps / sizeof *bad_stamps; k++) {
        a.stamp = bad_stamps[k];
        assert_int_equal(sm_model_to_json(&all_types_model, &a, &t->out), SM_INVALID);
        assert_string_equal(t->out.data, "kept");
    }
    a = sample();
    a.day = sm_date_from_ymd(1, 1, 1);
    assert_non_null(strstr(jt_encode(t, &all_types_model, &a), "\"day\":\"0001-01-01\""));
    a.day = sm_date_from_ymd(9999, 12, 31);
    assert_non_null(strstr(jt_encode(t, &all_types_model, &a), "\"day\":\"9999-12-31\""));
    for (size_t k = 0; k < sizeof times / sizeof *times; k++) {
        a.tm = times[k];
        round_trip(t, &a);
    }
    assert_non_null(strstr(jt_encode(t, &all_types_model, &a), "\"tm\":\"23:59:59.999999\""));
    for (size_t k = 0; k < sizeof stamps / sizeof *stamps; k++) {
        a.stamp = stamps[k];
        round_trip(t, &a);
    }
    a.stamp = -1;
    assert_non_null(
        strstr(jt_encode(t, &all_types_model, &a), "\"when\":\"1969-12-31T23:59:59.999999Z\""));
}

static void test_uuids(void **state)
{
    jt *t = *state;
    AllTypes a = sample();

    memset(a.u.b, 0, 16);
    assert_non_null(strstr(jt_encode(t, &all_types_model, &a),
                           "\"u\":\"00000000-0000-0000-0000-000000000000\""));
    round_trip(t, &a);
    memset(a.u.b, 0xff, 16);
    assert_non_null(strstr(jt_encode(t, &all_types_model, &a),
                           "\"u\":\"ffffffff-ffff-ffff-ffff-ffffffffffff\""));
    round_trip(t, &a);
    a.u = uuid_of("0A1B2C3D-4E5F-6071-8293-A4B5C6D7E8F9");
    assert_non_null(strstr(jt_encode(t, &all_types_model, &a),
                           "\"u\":\"0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9\""));
    round_trip(t, &a);
}

static void test_json_field(void **state)
{
    jt *t = *state;
    AllTypes a = sample();
    const char *good[] = {"1", "-0.5e3", "\"s\"", "null", "true", "[]", "{}",
                          "[1, {\"a\": null}]", "{\"\xf0\x9f\x98\x80\": \"\\ud83d\\ude00\"}"};
    const char *bad[] = {"", " ", "{", "[1,]", "{\"a\" 1}", "01", "nul", "1 2", "'x'", "\"\\x\"",
                         /* what the reader refuses: a key twice, a BOM, a lone surrogate */
                         "{\"a\":1,\"a\":2}", "[{\"k\":{},\"\\u006b\":[]}]", "\xef\xbb\xbf[]",
                         "\"\\udc00\""};

    for (size_t k = 0; k < sizeof good / sizeof *good; k++) {
        char want[80];
        a.j = good[k];
        snprintf(want, sizeof want, "\"j\":%s,\"e\"", good[k]);
        assert_non_null(strstr(jt_encode(t, &all_types_model, &a), want));
        round_trip(t, &a);
    }
    /* written as given; read back without the whitespace around it */
    a.j = "\t[1, 2 ]\n";
    assert_non_null(strstr(jt_encode(t, &all_types_model, &a), "\"j\":\t[1, 2 ]\n,\"e\""));
    AllTypes back;
    assert_int_equal(jt_decode(t, &all_types_model, t->out.data, &back), SM_OK);
    assert_string_equal(back.j, "[1, 2 ]");
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        a.j = bad[k];
        sm_buf_reset(&t->out);
        assert_int_equal(sm_model_to_json(&all_types_model, &a, &t->out), SM_INVALID);
        assert_int_equal(t->out.len, 0);
    }
    /* Inside the document's object, a json value may nest 63 levels, so
     * that the whole reads back (64 at most). */
    sm_buf deep = SM_BUF_INIT;
    for (int levels = 63; levels <= 64; levels++) {
        sm_buf_reset(&deep);
        for (int k = 0; k < levels; k++)
            assert_int_equal(sm_buf_putc(&deep, '['), SM_OK);
        for (int k = 0; k < levels; k++)
            assert_int_equal(sm_buf_putc(&deep, ']'), SM_OK);
        a.j = deep.data;
        sm_buf_reset(&t->out);
        if (levels == 63)
            round_trip(t, &a);
        else
            assert_int_equal(sm_model_to_json(&all_types_model, &a, &t->out), SM_INVALID);
    }
    sm_buf_free(&deep);
}

static void test_enum_out_of_range(void **state)
{
    jt *t = *state;
    AllTypes a = sample();

    a.e = (Power)3;
    assert_null(jt_encode(t, &all_types_model, &a));
    a.e = (Power)-1;
    assert_null(jt_encode(t, &all_types_model, &a));
    a.e = POWER_STRENGTH;
    a.c = (Colour)9;
    assert_null(jt_encode(t, &all_types_model, &a));
    a.c = COLOUR_INDIGO;
    assert_non_null(strstr(jt_encode(t, &all_types_model, &a), "\"e\":\"strength\",\"c\":\"indigo\""));
}

static void test_nullables(void **state)
{
    jt *t = *state;
    Nullables n = {0}, back;
    static const uint8_t z[1] = {0};

    assert_string_equal(jt_encode(t, &nullables_model, &n),
                        "{\"b\":null,\"i\":null,\"i32\":null,\"i16\":null,\"f\":null,\"d\":null,"
                        "\"t\":null,\"by\":null,\"day\":null,\"tm\":null,\"stamp\":null,"
                        "\"u\":null,\"j\":null,\"e\":null}");
    assert_int_equal(jt_decode(t, &nullables_model, t->out.data, &back), SM_OK);
    assert_memory_equal(&n, &back, sizeof n);

    n = (Nullables){false, true, 0, true, 0, true, 0, true, -0.0, true, -5, true, "", {z, 0},
                    0, true, 0, true, 0, true, {{0}}, true, "null", POWER_FLIGHT, true};
    assert_string_equal(jt_encode(t, &nullables_model, &n),
                        "{\"b\":false,\"i\":0,\"i32\":0,\"i16\":0,\"f\":-0,\"d\":\"-0.005\","
                        "\"t\":\"\",\"by\":\"\",\"day\":\"1970-01-01\",\"tm\":\"00:00:00.000000\","
                        "\"stamp\":\"1970-01-01T00:00:00.000000Z\","
                        "\"u\":\"00000000-0000-0000-0000-000000000000\",\"j\":null,"
                        "\"e\":\"flight\"}");
    assert_int_equal(jt_decode(t, &nullables_model, t->out.data, &back), SM_OK);
    assert_true(back.has_b && back.has_i && back.has_i32 && back.has_i16 && back.has_f);
    assert_true(back.has_d && back.has_day && back.has_tm && back.has_stamp && back.has_u);
    assert_true(back.has_e);
    assert_true(signbit(back.f));
    assert_int_equal(back.d, -5);
    assert_string_equal(back.t, "");
    assert_non_null(back.by.data);
    assert_int_equal(back.by.len, 0);
    assert_null(back.j); /* a nullable json field: JSON null is SQL NULL */
}

static void test_partial(void **state)
{
    jt *t = *state;
    HeroUpdate u = {0}, back;

    assert_string_equal(jt_encode(t, &hero_update_model, &u), "{}");
    u.name = "New";
    u.has_name = true;
    u.has_age = true;
    u.age_null = true;
    u.age = 99; /* ignored: the null flag wins */
    u.has_avatar = true;
    u.avatar_null = false;
    u.avatar = (sm_bytes){(const uint8_t *)"hi", 2};
    assert_string_equal(jt_encode(t, &hero_update_model, &u),
                        "{\"name\":\"New\",\"age\":null,\"avatar\":\"aGk=\"}");
    assert_int_equal(jt_decode(t, &hero_update_model, t->out.data, &back), SM_OK);
    assert_true(back.has_name && back.has_age && back.age_null && back.has_avatar);
    assert_false(back.has_secret_name || back.has_power || back.avatar_null);
    assert_string_equal(back.name, "New");
    assert_memory_equal(back.avatar.data, "hi", 2);

    u.has_secret_name = true; /* set to NULL: null */
    u.secret_name = NULL;
    u.age_null = false;
    u.age = 5;
    u.has_power = true;
    u.power = POWER_SPEED;
    u.avatar_null = true;
    assert_string_equal(jt_encode(t, &hero_update_model, &u),
                        "{\"name\":\"New\",\"secret_name\":null,\"age\":5,\"power\":\"speed\","
                        "\"avatar\":null}");
}

static void test_nested(void **state)
{
    jt *t = *state;
    Member ms[3] = {{"Ann", 30, true}, {"Bob", 0, false}, {"C\"", -1, true}};
    Org o = {"Acme", {"Paris", NULL}, {NULL, NULL}, false, {ms, 3}}, back;

    assert_string_equal(jt_encode(t, &org_model, &o),
                        "{\"name\":\"Acme\",\"address\":{\"city\":\"Paris\",\"zip\":null},"
                        "\"hq\":null,\"members\":[{\"name\":\"Ann\",\"age\":30},"
                        "{\"name\":\"Bob\",\"age\":null},{\"name\":\"C\\\"\",\"age\":-1}]}");
    o.hq = (Address){"Lyon", "69000"};
    o.has_hq = true;
    o.members.len = 2;
    assert_string_equal(jt_encode(t, &org_model, &o),
                        "{\"name\":\"Acme\",\"address\":{\"city\":\"Paris\",\"zip\":null},"
                        "\"hq\":{\"city\":\"Lyon\",\"zip\":\"69000\"},"
                        "\"members\":[{\"name\":\"Ann\",\"age\":30},{\"name\":\"Bob\",\"age\":null}]}");
    assert_int_equal(jt_decode(t, &org_model, t->out.data, &back), SM_OK);
    assert_string_equal(back.address.city, "Paris");
    assert_null(back.address.zip);
    assert_true(back.has_hq);
    assert_string_equal(back.hq.zip, "69000");
    assert_int_equal(back.members.len, 2);
    assert_string_equal(back.members.items[1].name, "Bob");
    assert_false(back.members.items[1].has_age);
    assert_int_equal(back.members.items[0].age, 30);

    o.members = (Member_list){NULL, 0};
    assert_non_null(strstr(jt_encode(t, &org_model, &o), "\"members\":[]}"));
    assert_int_equal(jt_decode(t, &org_model, t->out.data, &back), SM_OK);
    assert_null(back.members.items);
    assert_int_equal(back.members.len, 0);

    o.members = (Member_list){NULL, 2}; /* items missing: refused, not dereferenced */
    assert_null(jt_encode(t, &org_model, &o));
}

/* A chain of n nodes: node k's only kid is node k+1. */
static Node *chain(int n)
{
    Node *v = calloc((size_t)n, sizeof *v);
    assert_non_null(v);
    for (int k = 0; k < n; k++) {
        v[k].name = "n";
        if (k + 1 < n)
            v[k].kids = (Node_list){&v[k + 1], 1};
    }
    return v;
}

static void test_depth_limit(void **state)
{
    jt *t = *state;
    Node *v = chain(33), back;

    /* 32 nodes: objects and arrays nest 63 deep; 33 nodes: 65 */
    assert_non_null(jt_encode(t, &node_model, &v[1]));
    char *copy = strdup(t->out.data);
    assert_non_null(copy);
    assert_int_equal(jt_decode(t, &node_model, copy, &back), SM_OK);
    free(copy);
    Node *p = &back;
    int depth = 1;
    while (p->kids.len) {
        p = &p->kids.items[0];
        depth++;
    }
    assert_int_equal(depth, 32);
    sm_buf_reset(&t->out);
    assert_int_equal(sm_buf_puts(&t->out, "x"), SM_OK);
    assert_int_equal(sm_model_to_json(&node_model, &v[0], &t->out), SM_INVALID);
    assert_string_equal(t->out.data, "x");
    free(v);
}

static void test_wide(void **state)
{
    jt *t = *state;
    Wide w, back;

    for (int k = 0; k < WIDE_N; k++)
        w.v[k] = k * 1000 - 7;
    const char *s = jt_encode(t, &wide_model, &w);
    assert_non_null(strstr(s, "{\"f0\":-7,\"f1\":993,"));
    assert_non_null(strstr(s, ",\"f69\":68993}"));
    assert_int_equal(jt_decode(t, &wide_model, t->out.data, &back), SM_OK);
    assert_memory_equal(&w, &back, sizeof w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_hero_exact, jt_setup, jt_teardown),
        cmocka_unit_test_setup_teardown(test_appends_and_terminates, jt_setup, jt_teardown),
        cmocka_unit_test_setup_teardown(test_all_types_exact, jt_setup, jt_teardown),
        cmocka_unit_test_setup_teardown(test_integer_limits, jt_setup, jt_teardown),
        cmocka_unit_test_setup_teardown(test_floats, jt_setup, jt_teardown),
        cmocka_unit_test_setup_teardown(test_nonfinite_rejected, jt_setup, jt_teardown),
        cmocka_unit_test_setup_teardown(test_text_escapes, jt_setup, jt_teardown),
        cmocka_unit_test_setup_teardown(test_text_invalid_utf8_rejected, jt_setup, jt_teardown),
        cmocka_unit_test_setup_teardown(test_bytes, jt_setup, jt_teardown),
        cmocka_unit_test_setup_teardown(test_decimal_limits, jt_setup, jt_teardown),
        cmocka_unit_test_setup_teardown(test_dates_times_extremes, jt_setup, jt_teardown),
        cmocka_unit_test_setup_teardown(test_uuids, jt_setup, jt_teardown),
        cmocka_unit_test_setup_teardown(test_json_field, jt_setup, jt_teardown),
        cmocka_unit_test_setup_teardown(test_enum_out_of_range, jt_setup, jt_teardown),
        cmocka_unit_test_setup_teardown(test_nullables, jt_setup, jt_teardown),
        cmocka_unit_test_setup_teardown(test_partial, jt_setup, jt_teardown),
        cmocka_unit_test_setup_teardown(test_nested, jt_setup, jt_teardown),
        cmocka_unit_test_setup_teardown(test_depth_limit, jt_setup, jt_teardown),
        cmocka_unit_test_setup_teardown(test_wide, jt_setup, jt_teardown),
    };
    return cmocka_run_group_tests_name("json_write", tests, NULL, NULL);
}
