/*
 * test_dates.c: sm_date, sm_time and sm_datetime: the calendar against an
 * independent day-by-day count, formatting, parsing of every accepted form
 * and of bad input, the accepted range (0001-01-01 to 9999-12-31, UTC for
 * datetimes) at both edges, and the int32/int64 extremes, which format
 * but do not parse.
 *
 * Parsers are always given an exact-size heap copy without a terminator,
 * so a read past s[n) is caught by AddressSanitizer.
 */
#include "internal.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define US_DAY INT64_C(86400000000)
#define US_HOUR INT64_C(3600000000)
#define US_MIN INT64_C(60000000)

static char *exact(const char *s)
{
    size_t n = strlen(s);
    char *p = malloc(n ? n : 1);
    assert_non_null(p);
    memcpy(p, s, n);
    return p;
}

static int parse_date(const char *s, sm_date *out)
{
    char *p = exact(s);
    int rc = sm_date_parse(p, strlen(s), out);
    free(p);
    return rc;
}

static int parse_time(const char *s, sm_time *out)
{
    char *p = exact(s);
    int rc = sm_time_parse(p, strlen(s), out);
    free(p);
    return rc;
}

static int parse_dt(const char *s, sm_datetime *out)
{
    char *p = exact(s);
    int rc = sm_datetime_parse(p, strlen(s), out);
    free(p);
    return rc;
}

static bool leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m)
{
    static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : dim[m - 1];
}

/* ---- Dates ------------------------------------------------------------------ */

static void test_known_dates(void **state)
{
    (void)state;
    /* Outside 0001..9999 the formatter still writes the date (with year
     * 0000, a sign or a fifth digit) and the parser refuses it. */
    static const struct {
        int y, m, d;
        sm_date days;
        const char *text;
        bool parses;
    } known[] = {
        {1970, 1, 1, 0, "1970-01-01", true},
        {1970, 1, 2, 1, "1970-01-02", true},
        {1969, 12, 31, -1, "1969-12-31", true},
        {2000, 3, 1, 11017, "2000-03-01", true},
        {2024, 2, 29, 19782, "2024-02-29", true},
        {2038, 1, 19, 24855, "2038-01-19", true},
        {1, 1, 1, -719162, "0001-01-01", true},
        {1, 1, 2, -719161, "0001-01-02", true},
        {0, 12, 31, -719163, "0000-12-31", false},
        {0, 1, 1, -719528, "0000-01-01", false},
        {0, 2, 29, -719469, "0000-02-29", false},
        {-1, 12, 31, -719529, "-0001-12-31", false},
        {9999, 12, 30, 2932895, "9999-12-30", true},
        {9999, 12, 31, 2932896, "9999-12-31", true},
        {10000, 1, 1, 2932897, "10000-01-01", false},
        {-10000, 1, 1, -4371953, "-10000-01-01", false},
    };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        assert_int_equal(sm_date_from_ymd(known[i].y, known[i].m, known[i].d), known[i].days);
        int y, m, d;
        sm_date_to_ymd(known[i].days, &y, &m, &d);
        assert_int_equal(y, known[i].y);
        assert_int_equal(m, known[i].m);
        assert_int_equal(d, known[i].d);
        char buf[SM_DATE_BUFSZ];
        assert_int_equal(sm_date_format(known[i].days, buf), strlen(known[i].text));
        assert_string_equal(buf, known[i].text);
        sm_date parsed = 12345;
        if (known[i].parses) {
            assert_int_equal(parse_date(known[i].text, &parsed), SM_OK);
            assert_int_equal(parsed, known[i].days);
        } else {
            if (parse_date(known[i].text, &parsed) != SM_INVALID)
                fail_msg("accepted \"%s\"", known[i].text);
            assert_int_equal(parsed, 12345);
        }
    }
}

/* Every day from -4000-01-01 to 12000-12-31, walked with an independent
 * calendar: to_ymd, from_ymd and format agree, and the text parses back
 * exactly for the years 1 to 9999. */
static void test_every_day_from_minus_4000_to_12000(void **state)
{
    (void)state;
    sm_date d = sm_date_from_ymd(-4000, 1, 1);
    int y = -4000, m = 1, dd = 1;
    char buf[SM_DATE_BUFSZ];
    for (;;) {
        int gy, gm, gd;
        sm_date_to_ymd(d, &gy, &gm, &gd);
        if (gy != y || gm != m || gd != dd)
            fail_msg("day %d: got %d-%d-%d, want %d-%d-%d", d, gy, gm, gd, y, m, dd);
        if (sm_date_from_ymd(y, m, dd) != d)
            fail_msg("from_ymd(%d-%d-%d) != %d", y, m, dd, d);
        size_t n = sm_date_format(d, buf);
        sm_date back = 0;
        int rc = sm_date_parse(buf, n, &back);
        if (y >= 1 && y <= 9999 ? rc != SM_OK || back != d : rc != SM_INVALID)
            fail_msg("parse of %s gave %d", buf, rc);
        if (y == 12000 && m == 12 && dd == 31)
            break;
        d++;
        if (++dd > month_days(y, m)) {
            dd = 1;
            if (++m > 12) {
                m = 1;
                y++;
            }
        }
    }
    assert_int_equal(d, sm_date_from_ymd(12000, 12, 31));
}

static void test_date_extremes(void **state)
{
    (void)state;
    char buf[SM_DATE_BUFSZ];
    sm_date ends[] = {INT32_MIN, INT32_MIN + 1, INT32_MAX - 1, INT32_MAX};
    for (size_t i = 0; i < 4; i++) {
        size_t n = sm_date_format(ends[i], buf);
        assert_true(n < SM_DATE_BUFSZ);
        assert_int_equal(strlen(buf), n);
        sm_date back;
        assert_int_equal(parse_date(buf, &back), SM_INVALID);
        int y, m, d;
        sm_date_to_ymd(ends[i], &y, &m, &d);
        assert_int_equal(sm_date_from_ymd(y, m, d), ends[i]);
    }
    sm_date_format(INT32_MAX, buf);
    assert_string_equal(buf, "5881580-07-11");
    sm_date_format(INT32_MIN, buf);
    assert_string_equal(buf, "-5877641-06-23");
    sm_date out;
    assert_int_equal(parse_date("5881580-07-12", &out), SM_INVALID);
    assert_int_equal(parse_date("-5877641-06-22", &out), SM_INVALID);
    assert_int_equal(parse_date("9999999-12-31", &out), SM_INVALID);
    /* from_ymd saturates instead of overflowing. */
    assert_int_equal(sm_date_from_ymd(5881580, 7, 12), INT32_MAX);
    assert_int_equal(sm_date_from_ymd(INT32_MAX, 12, 31), INT32_MAX);
    assert_int_equal(sm_date_from_ymd(INT32_MIN, 1, 1), INT32_MIN);
    assert_int_equal(sm_date_from_ymd(2000, INT32_MAX, INT32_MAX), INT32_MAX);
    assert_int_equal(sm_date_from_ymd(2000, INT32_MIN, INT32_MIN), INT32_MIN);
}

static void test_leap_years(void **state)
{
    (void)state;
    sm_date d;
    const char *valid[] = {"2000-02-29", "2024-02-29", "1600-02-29", "0004-02-29",
                           "0400-02-29", "2400-02-29", "9996-02-29"};
    const char *invalid[] = {"1900-02-29", "2023-02-29", "2100-02-29", "0001-02-29",
                             "0100-02-29", "2024-02-30", "2000-02-30", "9999-02-29"};
    for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++)
        assert_int_equal(parse_date(valid[i], &d), SM_OK);
    for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++)
        assert_int_equal(parse_date(invalid[i], &d), SM_INVALID);
    /* 2024-02-28 + 1 is the 29th, 2023-02-28 + 1 is March 1st. */
    int y, m, dd;
    sm_date_to_ymd(sm_date_from_ymd(2024, 2, 28) + 1, &y, &m, &dd);
    assert_true(m == 2 && dd == 29);
    sm_date_to_ymd(sm_date_from_ymd(2023, 2, 28) + 1, &y, &m, &dd);
    assert_true(m == 3 && dd == 1);
}

static void test_bad_dates(void **state)
{
    (void)state;
    const char *bad[] = {
        "", "2024", "2024-01", "2024-01-", "2024-1-01", "2024-01-1", "24-01-01",
        "202-01-01", "2023-02-29", "2024-13-01", "2024-00-10", "2024-01-00", "2024-01-32",
        "2024-04-31", "2024-06-31", "2024/01/01", "2024-01-01 ", " 2024-01-01",
        "2024-01-01x", "2024-01-01T00:00:00", "+2024-01-01", "02024-01-01",
        "-0000-01-01", "-00001-01-01", "--2024-01-01", "2024-0a-01", "2024-01-0a",
        "20x4-01-01", "12345678-01-01", "2024--01-01", "2024-01--1", "-", "-2024",
        "2024-01-01\n", ("\xef\xbb\xbf" "2024-01-01"),
        /* outside 0001-01-01..9999-12-31, or not four year digits */
        "0000-01-01", "0000-12-31", "10000-01-01", "99999-12-31", "-2024-01-01",
        "-0001-12-31", "-10000-01-01", "+10000-01-01", "010000-01-01",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        sm_date d = 777;
        if (parse_date(bad[i], &d) != SM_INVALID)
            fail_msg("accepted \"%s\"", bad[i]);
        assert_int_equal(d, 777); /* untouched */
    }
    /* A NUL inside the given length is junk, not an end. */
    sm_date d;
    assert_int_equal(sm_date_parse("2024-01-01\0", 11, &d), SM_INVALID);
    assert_int_equal(sm_date_parse(NULL, 0, &d), SM_INVALID);
    assert_int_equal(sm_date_parse("2024-01-01", 10, NULL), SM_MISUSE);
}

/* The parser stops at n even when what follows would make it valid. */
static void test_date_prefixes_are_rejected(void **state)
{
    (void)state;
    const char *full = "2024-12-25";
    for (size_t n = 0; n < strlen(full); n++) {
        char *p = malloc(n ? n : 1);
        memcpy(p, full, n);
        sm_date d;
        assert_int_equal(sm_date_parse(p, n, &d), SM_INVALID);
        free(p);
    }
    sm_date d;
    assert_int_equal(sm_date_parse(full, strlen(full), &d), SM_OK);
    assert_int_equal(sm_date_parse("2024-12-251", 10, &d), SM_OK);
    assert_int_equal(d, sm_date_from_ymd(2024, 12, 25));
}

static void test_from_ymd_normalises(void **state)
{
    (void)state;
    assert_int_equal(sm_date_from_ymd(2024, 13, 1), 20089);  /* 2025-01-01 */
    assert_int_equal(sm_date_from_ymd(2024, 0, 1), 19692);   /* 2023-12-01 */
    assert_int_equal(sm_date_from_ymd(2024, -11, 1), 19358); /* 2023-01-01 */
    assert_int_equal(sm_date_from_ymd(2024, -12, 1), 19327); /* 2022-12-01 */
    assert_int_equal(sm_date_from_ymd(2024, 25, 1), 20454);  /* 2026-01-01 */
    assert_int_equal(sm_date_from_ymd(2024, 1, 32), 19754);  /* 2024-02-01 */
    assert_int_equal(sm_date_from_ymd(2024, 3, 0), 19782);   /* 2024-02-29 */
    assert_int_equal(sm_date_from_ymd(2024, 1, -30), 19692); /* 2023-12-01 */
    assert_int_equal(sm_date_from_ymd(1970, 1, 366), 365);
    int y = 1, m = 1, d = 1;
    sm_date_to_ymd(0, NULL, &m, NULL);
    assert_int_equal(m, 1);
    sm_date_to_ymd(0, &y, NULL, &d);
    assert_int_equal(y, 1970);
}

/* ---- Times --------------------------------------------------------------------- */

static void test_time_format(void **state)
{
    (void)state;
    char buf[SM_TIME_BUFSZ];
    assert_int_equal(sm_time_format(0, buf), 15);
    assert_string_equal(buf, "00:00:00.000000");
    sm_time_format(US_DAY - 1, buf);
    assert_string_equal(buf, "23:59:59.999999");
    sm_time_format(12 * US_HOUR + 34 * US_MIN + 56 * INT64_C(1000000) + 7, buf);
    assert_string_equal(buf, "12:34:56.000007");
    /* Out of range values wrap around the day, without overflow. */
    sm_time_format(-1, buf);
    assert_string_equal(buf, "23:59:59.999999");
    sm_time_format(US_DAY + 1, buf);
    assert_string_equal(buf, "00:00:00.000001");
    assert_int_equal(sm_time_format(INT64_MIN, buf), 15);
    assert_int_equal(sm_time_format(INT64_MAX, buf), 15);
}

static void test_time_parse(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        sm_time us;
    } ok[] = {
        {"00:00:00", 0},
        {"23:59:59.999999", US_DAY - 1},
        {"12:34:56", (12 * 3600 + 34 * 60 + 56) * INT64_C(1000000)},
        {"12:34:56.1", (12 * 3600 + 34 * 60 + 56) * INT64_C(1000000) + 100000},
        {"12:34:56.12", (12 * 3600 + 34 * 60 + 56) * INT64_C(1000000) + 120000},
        {"12:34:56.123", (12 * 3600 + 34 * 60 + 56) * INT64_C(1000000) + 123000},
        {"12:34:56.1234", (12 * 3600 + 34 * 60 + 56) * INT64_C(1000000) + 123400},
        {"12:34:56.12345", (12 * 3600 + 34 * 60 + 56) * INT64_C(1000000) + 123450},
        {"12:34:56.123456", (12 * 3600 + 34 * 60 + 56) * INT64_C(1000000) + 123456},
        {"00:00:00.000001", 1},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        sm_time t;
        assert_int_equal(parse_time(ok[i].s, &t), SM_OK);
        assert_int_equal(t, ok[i].us);
    }
    const char *bad[] = {
        "", "12", "12:34", "12:34:5", "1:23:45", "12:3:45", "24:00:00", "12:60:00",
        "12:00:60", "12:00:00.", "12:00:00.1234567", "12:00:00Z", "12:00:00+00",
        "12:00:00 ", " 12:00:00", "12-00-00", "12:00:00.12a", "-1:00:00", "ab:cd:ef",
        "12:00:00.-1", "99:99:99",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        sm_time t = 5;
        if (parse_time(bad[i], &t) != SM_INVALID)
            fail_msg("accepted \"%s\"", bad[i]);
        assert_int_equal(t, 5);
    }
    /* Every second of the day round trips. */
    char buf[SM_TIME_BUFSZ];
    for (sm_time t = 0; t < US_DAY; t += INT64_C(1000000) + 1) {
        size_t n = sm_time_format(t, buf);
        sm_time back;
        assert_int_equal(sm_time_parse(buf, n, &back), SM_OK);
        assert_int_equal(back, t);
    }
}

/* ---- Datetimes -------------------------------------------------------------------- */

static sm_datetime dt(int y, int mo, int d, int h, int mi, int s, int us)
{
    return (int64_t)sm_date_from_ymd(y, mo, d) * US_DAY + h * US_HOUR + mi * US_MIN +
           s * INT64_C(1000000) + us;
}

static void test_datetime_format(void **state)
{
    (void)state;
    char buf[SM_DATETIME_BUFSZ];
    assert_int_equal(sm_datetime_format(0, SM_DT_SQL, buf), 26);
    assert_string_equal(buf, "1970-01-01 00:00:00.000000");
    assert_int_equal(sm_datetime_format(0, SM_DT_ISO, buf), 27);
    assert_string_equal(buf, "1970-01-01T00:00:00.000000Z");
    sm_datetime v = dt(2024, 1, 2, 3, 4, 5, 123456);
    sm_datetime_format(v, SM_DT_SQL, buf);
    assert_string_equal(buf, "2024-01-02 03:04:05.123456");
    sm_datetime_format(v, SM_DT_ISO, buf);
    assert_string_equal(buf, "2024-01-02T03:04:05.123456Z");
    sm_datetime_format(-1, SM_DT_SQL, buf);
    assert_string_equal(buf, "1969-12-31 23:59:59.999999");
    sm_datetime_format(-US_DAY, SM_DT_SQL, buf);
    assert_string_equal(buf, "1969-12-31 00:00:00.000000");
    sm_datetime_format(INT64_MAX, SM_DT_ISO, buf);
    assert_string_equal(buf, "294247-01-10T04:00:54.775807Z");
    sm_datetime_format(INT64_MIN, SM_DT_ISO, buf);
    assert_string_equal(buf, "-290308-12-21T19:59:05.224192Z");
    assert_true(strlen(buf) < SM_DATETIME_BUFSZ);
}

static void test_datetime_parse_forms(void **state)
{
    (void)state;
    sm_datetime base = dt(2024, 1, 2, 3, 4, 5, 0);
    static const struct {
        const char *s;
        int64_t delta; /* from 2024-01-02 03:04:05 UTC */
    } ok[] = {
        {"2024-01-02 03:04:05", 0},
        {"2024-01-02T03:04:05", 0},
        {"2024-01-02 03:04:05Z", 0},
        {"2024-01-02T03:04:05Z", 0},
        {"2024-01-02 03:04:05.1", 100000},
        {"2024-01-02 03:04:05.12", 120000},
        {"2024-01-02 03:04:05.123", 123000},
        {"2024-01-02 03:04:05.1234", 123400},
        {"2024-01-02 03:04:05.12345", 123450},
        {"2024-01-02 03:04:05.123456", 123456},
        {"2024-01-02T03:04:05.123456Z", 123456},
        /* PostgreSQL timestamptz output */
        {"2024-01-02 03:04:05.123456+00", 123456},
        {"2024-01-02 03:04:05+00", 0},
        {"2024-01-02 03:04:05+00:00", 0},
        {"2024-01-02 03:04:05-00:00", 0},
        {"2024-01-02 03:04:05-00", 0},
        /* offsets: local time minus offset is UTC */
        {"2024-01-02 05:04:05+02", 0},
        {"2024-01-02 08:34:05+05:30", 0},
        {"2024-01-02T08:34:05.5+05:30", 500000},
        {"2024-01-01 19:04:05-08:00", 0},
        {"2024-01-01 19:04:05-08", 0},
        {"2024-01-01 23:49:05-03:15", 0},
        {"2024-01-03 02:04:05+23:00", 0},
        {"2024-01-01 03:05:05-23:59", 0},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        sm_datetime v;
        if (parse_dt(ok[i].s, &v) != SM_OK)
            fail_msg("rejected \"%s\"", ok[i].s);
        if (v != base + ok[i].delta)
            fail_msg("\"%s\": got %lld", ok[i].s, (long long)v);
    }
}

static void test_datetime_bad(void **state)
{
    (void)state;
    const char *bad[] = {
        "", "2024-01-02", "2024-01-02 ", "2024-01-02T", "2024-01-02 03:04",
        "2024-01-02t03:04:05", "2024-01-02_03:04:05", "2024-01-0203:04:05",
        "2024-01-02  03:04:05", "2024-01-02 03:04:05z", "2024-01-02 03:04:05 Z",
        "2024-01-02 03:04:05Z ", "2024-01-02 03:04:05ZZ", "2024-01-02 03:04:05+",
        "2024-01-02 03:04:05+5", "2024-01-02 03:04:05+05:", "2024-01-02 03:04:05+05:3",
        "2024-01-02 03:04:05+0530", "2024-01-02 03:04:05+24:00", "2024-01-02 03:04:05+05:60",
        "2024-01-02 03:04:05+05:30:00", "2024-01-02 03:04:05.1234567",
        "2024-01-02 03:04:05.", "2024-02-30 03:04:05", "2024-01-02 24:00:00",
        "2024-01-02 03:04:05Z+00", "2024-01-02 03:04:05+00Z", "2024-1-02 03:04:05",
        "2024-01-02 3:04:05", "2024-01-02 03:04:05 UTC", "2024-01-02 03:04:05+ab",
        "9999999-01-01 00:00:00",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        sm_datetime v = 99;
        if (parse_dt(bad[i], &v) != SM_INVALID)
            fail_msg("accepted \"%s\"", bad[i]);
        assert_int_equal(v, 99);
    }
    const char *full = "2024-01-02T03:04:05.123456+05:30";
    for (size_t n = 0; n < strlen(full); n++) {
        char *p = malloc(n ? n : 1);
        memcpy(p, full, n);
        sm_datetime v;
        int rc = sm_datetime_parse(p, n, &v);
        /* Only the complete forms are valid prefixes. */
        bool complete = n == 19 || (n >= 21 && n <= 26) || n == 29;
        assert_int_equal(rc, complete ? SM_OK : SM_INVALID);
        free(p);
    }
}

/* The first and last microseconds accepted, in UTC. */
#define DT_MIN (INT64_C(-719162) * US_DAY)
#define DT_MAX (INT64_C(2932897) * US_DAY - 1)

/* The range edges, reached directly and through offsets, and one
 * microsecond beyond them; the int64 ends format but do not parse. */
static void test_datetime_range(void **state)
{
    (void)state;
    char buf[SM_DATETIME_BUFSZ + 8];
    sm_datetime v;
    assert_int_equal(DT_MIN, dt(1, 1, 1, 0, 0, 0, 0));
    assert_int_equal(DT_MAX, dt(9999, 12, 31, 23, 59, 59, 999999));
    static const struct {
        sm_datetime v;
        const char *sql, *iso;
        bool parses;
    } edges[] = {
        {DT_MIN, "0001-01-01 00:00:00.000000", "0001-01-01T00:00:00.000000Z", true},
        {DT_MIN - 1, "0000-12-31 23:59:59.999999", "0000-12-31T23:59:59.999999Z", false},
        {DT_MAX, "9999-12-31 23:59:59.999999", "9999-12-31T23:59:59.999999Z", true},
        {DT_MAX + 1, "10000-01-01 00:00:00.000000", "10000-01-01T00:00:00.000000Z", false},
        {INT64_MAX, "294247-01-10 04:00:54.775807", "294247-01-10T04:00:54.775807Z", false},
        {INT64_MIN, "-290308-12-21 19:59:05.224192", "-290308-12-21T19:59:05.224192Z", false},
    };
    for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++) {
        assert_int_equal(sm_datetime_format(edges[i].v, SM_DT_SQL, buf), strlen(edges[i].sql));
        assert_string_equal(buf, edges[i].sql);
        assert_int_equal(sm_datetime_format(edges[i].v, SM_DT_ISO, buf), strlen(edges[i].iso));
        assert_string_equal(buf, edges[i].iso);
        v = 7;
        assert_int_equal(parse_dt(edges[i].sql, &v), edges[i].parses ? SM_OK : SM_INVALID);
        assert_int_equal(v, edges[i].parses ? edges[i].v : 7);
        v = 7;
        assert_int_equal(parse_dt(edges[i].iso, &v), edges[i].parses ? SM_OK : SM_INVALID);
        assert_int_equal(v, edges[i].parses ? edges[i].v : 7);
    }
    /* The range holds for the instant in UTC, whatever the offset. */
    assert_int_equal(parse_dt("0001-01-01T01:00:00+01:00", &v), SM_OK);
    assert_int_equal(v, DT_MIN);
    assert_int_equal(parse_dt("0001-01-01T00:59:59.999999+01:00", &v), SM_INVALID);
    assert_int_equal(parse_dt("0001-01-01T00:00:00+00:01", &v), SM_INVALID);
    assert_int_equal(parse_dt("0000-12-31T23:00:00-01:00", &v), SM_INVALID); /* year 0000 */
    assert_int_equal(parse_dt("9999-12-31T22:59:59.999999-01:00", &v), SM_OK);
    assert_int_equal(v, DT_MAX);
    assert_int_equal(parse_dt("9999-12-31T23:00:00-01:00", &v), SM_INVALID);
    assert_int_equal(parse_dt("9999-12-31T23:59:59.999999-00:01", &v), SM_INVALID);
    assert_int_equal(parse_dt("9999-12-31T23:59:59.999999+23:59", &v), SM_OK);
    /* Years with a sign or more than four digits. */
    static const char *const bad[] = {
        "10000-01-01T00:00:00Z", "-0001-01-01T00:00:00Z", "-2024-01-01 00:00:00",
        "294247-01-10T04:00:54.775807Z", "-290308-12-21T19:59:05.224192Z",
        "+2024-01-01T00:00:00Z", "02024-01-01T00:00:00Z", "0000-06-15T00:00:00Z",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        v = 99;
        if (parse_dt(bad[i], &v) != SM_INVALID)
            fail_msg("accepted \"%s\"", bad[i]);
        assert_int_equal(v, 99);
    }
}

/* A local generator, so the test needs no shared state. */
static uint64_t next_rand(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* Random values across the int64 range: those inside the accepted range
 * round trip, the others format to text the parser refuses. */
static void test_datetime_random_round_trips(void **state)
{
    (void)state;
    uint64_t seed = UINT64_C(0x9e3779b97f4a7c15);
    char buf[SM_DATETIME_BUFSZ];
    int inside = 0;
    for (int i = 0; i < 200000; i++) {
        sm_datetime v = (sm_datetime)next_rand(&seed);
        if (i % 2)
            v /= 1000; /* plenty of values near the present and past the ends */
        if (i % 4 == 1)
            v /= 1000;
        bool ok = v >= DT_MIN && v <= DT_MAX;
        inside += ok;
        for (int style = SM_DT_SQL; style <= SM_DT_ISO; style++) {
            size_t n = sm_datetime_format(v, style, buf);
            sm_datetime back = 0;
            int rc = sm_datetime_parse(buf, n, &back);
            if (ok ? rc != SM_OK || back != v : rc != SM_INVALID)
                fail_msg("parse of %lld via %s gave %d", (long long)v, buf, rc);
        }
    }
    assert_true(inside > 40000 && inside < 160000); /* both kinds were tried */
}

static void test_datetime_now(void **state)
{
    (void)state;
    sm_datetime a = sm_datetime_now();
    sm_datetime b = sm_datetime_now();
    assert_true(a > dt(2024, 1, 1, 0, 0, 0, 0));
    assert_true(a < dt(2200, 1, 1, 0, 0, 0, 0));
    int64_t diff = b - a;
    assert_true(diff >= -1000000 && diff < 10000000);
    time_t now = time(NULL);
    int64_t skew = a / INT64_C(1000000) - (int64_t)now;
    assert_true(skew >= -5 && skew <= 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_dates),
        cmocka_unit_test(test_every_day_from_minus_4000_to_12000),
        cmocka_unit_test(test_date_extremes),
        cmocka_unit_test(test_leap_years),
        cmocka_unit_test(test_bad_dates),
        cmocka_unit_test(test_date_prefixes_are_rejected),
        cmocka_unit_test(test_from_ymd_normalises),
        cmocka_unit_test(test_time_format),
        cmocka_unit_test(test_time_parse),
        cmocka_unit_test(test_datetime_format),
        cmocka_unit_test(test_datetime_parse_forms),
        cmocka_unit_test(test_datetime_bad),
        cmocka_unit_test(test_datetime_range),
        cmocka_unit_test(test_datetime_random_round_trips),
        cmocka_unit_test(test_datetime_now),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
