/*
 * test_values.c: sm_decimal and sm_uuid formatting and parsing, and
 * sm_uuid_v4.  Parsers get exact-size heap copies (no terminator), so a
 * read past s[n) is caught by AddressSanitizer.
 */
#include "internal.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static char *exact(const char *s)
{
    size_t n = strlen(s);
    char *p = malloc(n ? n : 1);
    assert_non_null(p);
    memcpy(p, s, n);
    return p;
}

static int parse_dec(const char *s, int precision, int scale, sm_decimal *out)
{
    char *p = exact(s);
    int rc = sm_decimal_parse(p, strlen(s), precision, scale, out);
    free(p);
    return rc;
}

static int parse_uuid(const char *s, sm_uuid *out)
{
    char *p = exact(s);
    int rc = sm_uuid_parse(p, strlen(s), out);
    free(p);
    return rc;
}

/* ---- Decimals ---------------------------------------------------------------- */

static void test_decimal_format(void **state)
{
    (void)state;
    static const struct {
        sm_decimal v;
        int scale;
        const char *text;
    } cases[] = {
        {12345, 2, "123.45"},
        {-5, 2, "-0.05"},
        {5, 2, "0.05"},
        {0, 2, "0.00"},
        {0, 0, "0"},
        {-1, 0, "-1"},
        {100, 2, "1.00"},
        {-100, 2, "-1.00"},
        {7, 1, "0.7"},
        {123456, 0, "123456"},
        {1, 18, "0.000000000000000001"},
        {INT64_MAX, 0, "9223372036854775807"},
        {INT64_MIN, 0, "-9223372036854775808"},
        {INT64_MAX, 2, "92233720368547758.07"},
        {INT64_MIN, 2, "-92233720368547758.08"},
        {INT64_MAX, 18, "9.223372036854775807"},
        {INT64_MIN, 18, "-9.223372036854775808"},
        {INT64_MIN, 4, "-922337203685477.5808"},
        /* scales outside [0, 18] are clamped */
        {12345, -3, "12345"},
        {12345, 40, "0.000000000000012345"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[SM_DECIMAL_BUFSZ];
        size_t n = sm_decimal_format(cases[i].v, cases[i].scale, buf);
        assert_string_equal(buf, cases[i].text);
        assert_int_equal(n, strlen(cases[i].text));
        assert_true(n < SM_DECIMAL_BUFSZ);
    }
}

static void test_decimal_parse_good(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        int precision, scale;
        sm_decimal v;
    } cases[] = {
        {"123.45", 5, 2, 12345},
        {"123.4", 5, 2, 12340},
        {"123", 5, 2, 12300},
        {"-0.05", 5, 2, -5},
        {"0", 5, 2, 0},
        {"-0", 5, 2, 0},
        {"-0.00", 5, 2, 0},
        {"999.99", 5, 2, 99999},
        {"-999.99", 5, 2, -99999},
        {"00012.5", 3, 1, 125},
        {"0.5", 1, 1, 5},
        {"42", 2, 0, 42},
        {"999999999999999999", 18, 0, INT64_C(999999999999999999)},
        {"-999999999999999999", 18, 0, -INT64_C(999999999999999999)},
        {"0.999999999999999999", 18, 18, INT64_C(999999999999999999)},
        {"9223372036854775807", 0, 0, INT64_MAX},
        {"-9223372036854775808", 0, 0, INT64_MIN},
        {"922337203685477.5807", 0, 4, INT64_MAX},
        {"-922337203685477.5808", 0, 4, INT64_MIN},
        {"9.223372036854775807", 0, 18, INT64_MAX},
        {"-9.223372036854775808", 0, 18, INT64_MIN},
        {"-9.223372036854775808", 19, 18, INT64_MIN},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sm_decimal v = 1;
        if (parse_dec(cases[i].s, cases[i].precision, cases[i].scale, &v) != SM_OK)
            fail_msg("rejected \"%s\" (%d,%d)", cases[i].s, cases[i].precision, cases[i].scale);
        assert_int_equal(v, cases[i].v);
    }
}

static void test_decimal_parse_bad(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        int precision, scale;
    } cases[] = {
        /* too many fraction digits */
        {"1.234", 5, 2},
        {"1.5", 5, 0},
        {"0.0000000000000000001", 0, 18},
        /* beyond the precision */
        {"1234.5", 5, 2},
        {"1000.00", 5, 2},
        {"-1000", 5, 2},
        {"10", 1, 0},
        {"1", 1, 1},
        {"1000000000000000000", 18, 0},
        {"9223372036854775807", 18, 0},
        /* beyond int64 */
        {"9223372036854775808", 0, 0},
        {"-9223372036854775809", 0, 0},
        {"922337203685477.5808", 0, 4},
        {"-922337203685477.5809", 0, 4},
        {"922337203685478", 0, 4},
        {"99999999999999999999999999", 0, 0},
        {"10", 0, 18},
        /* syntax */
        {"", 5, 2},
        {"-", 5, 2},
        {".", 5, 2},
        {"1.", 5, 2},
        {".5", 5, 2},
        {"-.5", 5, 2},
        {"+1", 5, 2},
        {"1e5", 5, 2},
        {"1E2", 5, 2},
        {" 1", 5, 2},
        {"1 ", 5, 2},
        {"1,5", 5, 2},
        {"0x10", 5, 2},
        {"1.2.3", 5, 2},
        {"--1", 5, 2},
        {"1-", 5, 2},
        {"NaN", 5, 2},
        {"inf", 5, 2},
        {"1.5x", 5, 2},
        /* bad scales */
        {"1", 5, -1},
        {"1", 5, 19},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sm_decimal v = 31;
        if (parse_dec(cases[i].s, cases[i].precision, cases[i].scale, &v) != SM_INVALID)
            fail_msg("accepted \"%s\" (%d,%d)", cases[i].s, cases[i].precision, cases[i].scale);
        assert_int_equal(v, 31);
    }
    sm_decimal v;
    assert_int_equal(sm_decimal_parse("1\0", 2, 5, 0, &v), SM_INVALID);
    assert_int_equal(sm_decimal_parse(NULL, 0, 5, 0, &v), SM_INVALID);
    assert_int_equal(sm_decimal_parse("1", 1, 5, 0, NULL), SM_MISUSE);
    /* stops at n */
    assert_int_equal(sm_decimal_parse("12.345", 5, 5, 2, &v), SM_OK);
    assert_int_equal(v, 1234);
}

static uint64_t next_rand(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* Every scale, random magnitudes: format then parse gives the value back,
 * and the formatted text has exactly `scale` fraction digits. */
static void test_decimal_round_trips(void **state)
{
    (void)state;
    uint64_t seed = 88172645463325252u;
    char buf[SM_DECIMAL_BUFSZ];
    for (int scale = 0; scale <= 18; scale++) {
        for (int i = 0; i < 20000; i++) {
            uint64_t r = next_rand(&seed);
            sm_decimal v = (sm_decimal)(r >> (r % 64));
            if (i & 1)
                v = (sm_decimal)((uint64_t)0 - (uint64_t)v);
            if (i == 0)
                v = INT64_MIN;
            if (i == 2)
                v = INT64_MAX;
            size_t n = sm_decimal_format(v, scale, buf);
            const char *dot = strchr(buf, '.');
            if (scale == 0)
                assert_null(dot);
            else
                assert_int_equal((size_t)(buf + n - dot - 1), (size_t)scale);
            sm_decimal back;
            if (sm_decimal_parse(buf, n, 0, scale, &back) != SM_OK || back != v)
                fail_msg("round trip of %s at scale %d", buf, scale);
        }
    }
}

/* ---- UUIDs -------------------------------------------------------------------- */

static const sm_uuid sample = {{0x12, 0x3e, 0x45, 0x67, 0xe8, 0x9b, 0x12, 0xd3, 0xa4, 0x56, 0x42,
                                0x66, 0x14, 0x17, 0x40, 0x00}};

static void test_uuid_format_and_parse(void **state)
{
    (void)state;
    char buf[SM_UUID_BUFSZ];
    assert_int_equal(sm_uuid_format(&sample, buf), 36);
    assert_string_equal(buf, "123e4567-e89b-12d3-a456-426614174000");
    sm_uuid u;
    assert_int_equal(parse_uuid("123e4567-e89b-12d3-a456-426614174000", &u), SM_OK);
    assert_memory_equal(u.b, sample.b, 16);
    assert_int_equal(parse_uuid("123E4567-E89B-12D3-A456-426614174000", &u), SM_OK);
    assert_memory_equal(u.b, sample.b, 16);
    assert_int_equal(parse_uuid("123e4567-E89b-12D3-a456-426614174000", &u), SM_OK);
    assert_memory_equal(u.b, sample.b, 16);

    sm_uuid zero = {{0}}, ones;
    memset(ones.b, 0xff, 16);
    sm_uuid_format(&zero, buf);
    assert_string_equal(buf, "00000000-0000-0000-0000-000000000000");
    sm_uuid_format(&ones, buf);
    assert_string_equal(buf, "ffffffff-ffff-ffff-ffff-ffffffffffff");
    assert_int_equal(parse_uuid("FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF", &u), SM_OK);
    assert_memory_equal(u.b, ones.b, 16);
    /* Each byte value in each position round trips. */
    for (int pos = 0; pos < 16; pos++) {
        for (int v = 0; v < 256; v++) {
            sm_uuid x = zero;
            x.b[pos] = (uint8_t)v;
            sm_uuid_format(&x, buf);
            assert_int_equal(sm_uuid_parse(buf, 36, &u), SM_OK);
            assert_memory_equal(u.b, x.b, 16);
        }
    }
}

static void test_uuid_bad(void **state)
{
    (void)state;
    const char *bad[] = {
        "",
        "123e4567-e89b-12d3-a456-42661417400",
        "123e4567-e89b-12d3-a456-4266141740000",
        "123e4567e89b12d3a456426614174000",
        "{123e4567-e89b-12d3-a456-426614174000}",
        "urn:uuid:123e4567-e89b-12d3-a456-426614174000",
        "123e4567-e89b-12d3-a456_426614174000",
        "123e456-7e89b-12d3-a456-426614174000",
        "123e4567-e89b1-2d3-a456-426614174000",
        "123e4567-e89b-12d3-a4564-26614174000",
        "123g4567-e89b-12d3-a456-426614174000",
        "123e4567-e89b-12d3-a456-42661417400z",
        " 23e4567-e89b-12d3-a456-426614174000",
        "123e4567-e89b-12d3-a456-426614174000 ",
        "123e4567--89b-12d3-a456-426614174000",
        "+23e4567-e89b-12d3-a456-426614174000",
        "123e4567-e89b-12d3-a456-42661417400\xc3",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        sm_uuid u;
        memset(u.b, 0x5a, 16);
        if (parse_uuid(bad[i], &u) != SM_INVALID)
            fail_msg("accepted \"%s\"", bad[i]);
        for (int k = 0; k < 16; k++)
            assert_int_equal(u.b[k], 0x5a);
    }
    sm_uuid u;
    assert_int_equal(sm_uuid_parse(NULL, 36, &u), SM_MISUSE);
    assert_int_equal(sm_uuid_parse("123e4567-e89b-12d3-a456-426614174000", 36, NULL),
                     SM_MISUSE);
}

static void test_uuid_v4(void **state)
{
    (void)state;
    sm_uuid seen[64];
    char buf[SM_UUID_BUFSZ];
    for (int i = 0; i < 64; i++) {
        assert_int_equal(sm_uuid_v4(&seen[i]), SM_OK);
        assert_int_equal(seen[i].b[6] >> 4, 4);      /* version */
        assert_int_equal(seen[i].b[8] & 0xc0, 0x80); /* RFC 4122 variant */
        sm_uuid_format(&seen[i], buf);
        assert_int_equal(buf[14], '4');
        assert_non_null(strchr("89ab", buf[19]));
        for (int j = 0; j < i; j++)
            assert_memory_not_equal(seen[i].b, seen[j].b, 16);
    }
    assert_int_equal(sm_uuid_v4(NULL), SM_MISUSE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decimal_format),
        cmocka_unit_test(test_decimal_parse_good),
        cmocka_unit_test(test_decimal_parse_bad),
        cmocka_unit_test(test_decimal_round_trips),
        cmocka_unit_test(test_uuid_format_and_parse),
        cmocka_unit_test(test_uuid_bad),
        cmocka_unit_test(test_uuid_v4),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
