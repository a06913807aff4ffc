/*
 * test_my_values.c: every value kind through MariaDB/MySQL and back:
 * integer extremes, doubles, empty text versus NULL, 4-byte UTF-8, a
 * megabyte of text, every byte value in a blob, dates and times with
 * microseconds, decimals, unsigned BIGINT, and the conversions between
 * getters.
 */
#include "mytest.h"

#include <float.h>
#include <math.h>

static sm_conn *conn;
static sm_cx cx;

static int setup(void **state)
{
    (void)state;
    sm_cx_init(&cx);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    sm_close(conn);
    sm_cx_free(&cx);
    return 0;
}

/* The shared connection and schema, made by the first test. */
static void need_conn(void)
{
    if (conn)
        return;
    conn = myt_open(&cx);
    TDB_OK(&cx, sm_exec(&cx, conn,
                        "CREATE TABLE v (id INT PRIMARY KEY, i BIGINT, d DOUBLE, t LONGTEXT, "
                        "b LONGBLOB, flag BOOLEAN, day DATE, tm TIME(6), dt DATETIME(6), "
                        "dec_ DECIMAL(18,4), u BIGINT UNSIGNED, vc VARCHAR(20)) "
                        "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin",
                        NULL, 0, NULL));
}

/* Runs "SELECT <cols> FROM v WHERE id = ?" and leaves the row open. */
static sm_rows *row(const char *cols, int id)
{
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT %s FROM v WHERE id = ?", cols);
    sm_value p = sm_int(id);
    sm_rows *r = NULL;
    TDB_OK(&cx, sm_query(&cx, conn, sql, &p, 1, &r));
    TDB_RC(&cx, sm_rows_next(r), SM_ROW);
    return r;
}

static void done(sm_rows *r)
{
    TDB_RC(&cx, sm_rows_next(r), SM_DONE);
    sm_rows_close(r);
}

static void test_integers(void **state)
{
    (void)state;
    need_conn();
    const int64_t vals[] = {INT64_MIN, INT64_MIN + 1, -1, 0, 1, INT32_MAX, INT64_MAX};
    for (int k = 0; k < 7; k++) {
        sm_value p[2] = {sm_int(100 + k), sm_int(vals[k])};
        TDB_OK(&cx, sm_exec(&cx, conn, "INSERT INTO v (id, i) VALUES (?, ?)", p, 2, NULL));
        sm_rows *r = row("i", 100 + k);
        assert_int_equal(sm_rows_int(r, 0), vals[k]);
        assert_false(sm_rows_is_null(r, 0));
        /* get_text of an integer formats it; get_real converts. */
        char want[32];
        snprintf(want, sizeof want, "%lld", (long long)vals[k]);
        assert_string_equal(sm_rows_text(r, 0), want);
        assert_true(sm_rows_real(r, 0) == (double)vals[k]);
        done(r);
    }
    /* The integer parameter binds as BIGINT: no truncation through the
     * server's expression evaluation either. */
    sm_value p = sm_int(INT64_MIN);
    sm_rows *r = NULL;
    TDB_OK(&cx, sm_query(&cx, conn, "SELECT ?", &p, 1, &r));
    TDB_RC(&cx, sm_rows_next(r), SM_ROW);
    assert_int_equal(sm_rows_int(r, 0), INT64_MIN);
    done(r);
}

static void test_unsigned_bigint(void **state)
{
    (void)state;
    need_conn();
    TDB_OK(&cx, sm_exec(&cx, conn, "INSERT INTO v (id, u) VALUES (200, 18446744073709551615)", NULL,
                        0, NULL));
    sm_rows *r = row("u", 200);
    assert_string_equal(sm_rows_text(r, 0), "18446744073709551615");
    assert_int_equal(sm_rows_int(r, 0), INT64_MAX); /* clamped */
    assert_true(sm_rows_real(r, 0) == 18446744073709551615.0);
    done(r);
}

static void test_doubles(void **state)
{
    (void)state;
    need_conn();
    const double vals[] = {0.0, -0.5, 0.1, 1.0 / 3.0, 1e300, -1e-300, DBL_MAX, DBL_MIN,
                           DBL_TRUE_MIN, 123456789.125};
    for (int k = 0; k < 10; k++) {
        sm_value p[2] = {sm_int(300 + k), sm_real(vals[k])};
        TDB_OK(&cx, sm_exec(&cx, conn, "INSERT INTO v (id, d) VALUES (?, ?)", p, 2, NULL));
        sm_rows *r = row("d", 300 + k);
        assert_true(sm_rows_real(r, 0) == vals[k]);
        /* The text form round-trips to the same double. */
        assert_true(strtod(sm_rows_text(r, 0), NULL) == vals[k]);
        done(r);
    }
    sm_rows *r = row("d", 309);
    assert_int_equal(sm_rows_int(r, 0), 123456789); /* truncated toward zero */
    done(r);
}

static void test_text_empty_null_utf8(void **state)
{
    (void)state;
    need_conn();
    const char *emoji = "\xF0\x9F\x98\x80 caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x8F\xB3\xEF\xB8\x8F";
    sm_value p[3] = {sm_int(400), sm_text(""), sm_text(emoji)};
    TDB_OK(&cx, sm_exec(&cx, conn, "INSERT INTO v (id, t, vc) VALUES (?, ?, ?)", p, 3, NULL));
    sm_value q[3] = {sm_int(401), sm_text(NULL), sm_null()};
    TDB_OK(&cx, sm_exec(&cx, conn, "INSERT INTO v (id, t, vc) VALUES (?, ?, ?)", q, 3, NULL));

    sm_rows *r = row("t, vc, CHAR_LENGTH(vc), LENGTH(vc)", 400);
    assert_false(sm_rows_is_null(r, 0));
    assert_string_equal(sm_rows_text(r, 0), "");
    size_t n = 99;
    assert_non_null(sm_rows_blob(r, 0, &n));
    assert_int_equal(n, 0);
    assert_string_equal(sm_rows_text(r, 1), emoji);
    assert_int_equal(sm_rows_int(r, 2), 11);             /* characters, as the server counts */
    assert_int_equal(sm_rows_int(r, 3), strlen(emoji)); /* bytes */
    done(r);

    r = row("t, vc", 401);
    assert_true(sm_rows_is_null(r, 0));
    assert_null(sm_rows_text(r, 0));
    assert_true(sm_rows_is_null(r, 1));
    assert_int_equal(sm_rows_int(r, 1), 0);
    done(r);

    /* A NUL-free text parameter with explicit length: only n bytes go. */
    sm_value s[2] = {sm_int(402), sm_textn("abcdef", 3)};
    TDB_OK(&cx, sm_exec(&cx, conn, "INSERT INTO v (id, t) VALUES (?, ?)", s, 2, NULL));
    r = row("t", 402);
    assert_string_equal(sm_rows_text(r, 0), "abc");
    done(r);
}

static void test_megabyte_text(void **state)
{
    (void)state;
    need_conn();
    size_t n = 1 << 20;
    char *big = malloc(n + 1);
    assert_non_null(big);
    for (size_t i = 0; i < n; i++)
        big[i] = (char)('a' + (i * 7) % 26);
    big[n - 1] = 'Z';
    big[n] = 0;
    sm_value p[2] = {sm_int(500), sm_textn(big, n)};
    TDB_OK(&cx, sm_exec(&cx, conn, "INSERT INTO v (id, t) VALUES (?, ?)", p, 2, NULL));
    sm_rows *r = row("t, LENGTH(t)", 500);
    size_t len = 0;
    const char *got = sm_rows_blob(r, 0, &len);
    assert_int_equal(len, n);
    assert_memory_equal(got, big, n);
    assert_int_equal(strlen(sm_rows_text(r, 0)), n);
    assert_int_equal(sm_rows_int(r, 1), (int64_t)n);
    done(r);
    /* Short after long in the same statement: the buffer grew and stays. */
    r = row("t", 402);
    assert_string_equal(sm_rows_text(r, 0), "abc");
    done(r);
    free(big);
}

/* A value too long for its column buffer is fetched again into a larger
 * one; the other columns of that row (read after it) and of the rows
 * after it keep their values.  Some connector releases reset every
 * column's length when result buffers are bound, so the larger buffer
 * must not be bound while the row is being read. */
static void test_long_value_beside_others(void **state)
{
    (void)state;
    need_conn();
    size_t n = 5000;
    char *big = malloc(n + 1);
    assert_non_null(big);
    memset(big, 'q', n);
    big[n] = 0;
    sm_value p[5] = {sm_int(1700), sm_textn(big, n), sm_text("12.5000"), sm_text("short"),
                     sm_int(77)};
    TDB_OK(&cx, sm_exec(&cx, conn, "INSERT INTO v (id, t, dec_, vc, i) VALUES (?, ?, ?, ?, ?)", p,
                        5, NULL));
    sm_value q[5] = {sm_int(1701), sm_textn(big, 10), sm_text("-3.2500"), sm_text("next"),
                     sm_int(78)};
    TDB_OK(&cx, sm_exec(&cx, conn, "INSERT INTO v (id, t, dec_, vc, i) VALUES (?, ?, ?, ?, ?)", q,
                        5, NULL));
    sm_rows *r = NULL;
    TDB_OK(&cx, sm_query(&cx, conn,
                         "SELECT vc, t, dec_, vc, i FROM v WHERE id IN (1700, 1701) ORDER BY id",
                         NULL, 0, &r));
    TDB_RC(&cx, sm_rows_next(r), SM_ROW);
    /* Lengths as the driver reports them, not strlen. */
    size_t len[4];
    for (int c = 0; c < 4; c++)
        assert_non_null(sm_rows_blob(r, c, &len[c]));
    assert_int_equal(len[0], 5);
    assert_int_equal(len[1], n);
    assert_int_equal(len[2], 7);
    assert_int_equal(len[3], 5);
    assert_string_equal(sm_rows_text(r, 2), "12.5000");
    assert_int_equal(sm_rows_int(r, 4), 77);
    TDB_RC(&cx, sm_rows_next(r), SM_ROW);
    for (int c = 0; c < 4; c++)
        assert_non_null(sm_rows_blob(r, c, &len[c]));
    assert_int_equal(len[0], 4);
    assert_int_equal(len[1], 10);
    assert_int_equal(len[2], 7);
    assert_int_equal(len[3], 4);
    assert_string_equal(sm_rows_text(r, 2), "-3.2500");
    assert_int_equal(sm_rows_int(r, 4), 78);
    TDB_RC(&cx, sm_rows_next(r), SM_DONE);
    sm_rows_close(r);
    free(big);
}

static void test_blob_all_bytes(void **state)
{
    (void)state;
    need_conn();
    unsigned char all[512];
    for (int i = 0; i < 512; i++)
        all[i] = (unsigned char)(i < 256 ? i : 511 - i);
    sm_value p[2] = {sm_int(600), sm_blob(all, sizeof all)};
    TDB_OK(&cx, sm_exec(&cx, conn, "INSERT INTO v (id, b) VALUES (?, ?)", p, 2, NULL));
    sm_value e[2] = {sm_int(601), sm_blob(NULL, 0)};
    TDB_OK(&cx, sm_exec(&cx, conn, "INSERT INTO v (id, b) VALUES (?, ?)", e, 2, NULL));
    sm_rows *r = row("b, LENGTH(b), HEX(SUBSTRING(b, 1, 4))", 600);
    size_t len = 0;
    const void *got = sm_rows_blob(r, 0, &len);
    assert_int_equal(len, sizeof all);
    assert_memory_equal(got, all, sizeof all);
    assert_int_equal(sm_rows_int(r, 1), 512);
    assert_string_equal(sm_rows_text(r, 2), "00010203");
    done(r);
    r = row("b", 601);
    assert_false(sm_rows_is_null(r, 0));
    assert_non_null(sm_rows_blob(r, 0, &len));
    assert_int_equal(len, 0);
    done(r);
}

static void test_bool(void **state)
{
    (void)state;
    need_conn();
    sm_value p[2] = {sm_int(700), sm_bool(true)};
    TDB_OK(&cx, sm_exec(&cx, conn, "INSERT INTO v (id, flag) VALUES (?, ?)", p, 2, NULL));
    sm_value q[2] = {sm_int(701), sm_bool(false)};
    TDB_OK(&cx, sm_exec(&cx, conn, "INSERT INTO v (id, flag) VALUES (?, ?)", q, 2, NULL));
    sm_rows *r = row("flag", 700);
    assert_int_equal(sm_rows_int(r, 0), 1);
    assert_string_equal(sm_rows_text(r, 0), "1");
    done(r);
    r = row("flag", 701);
    assert_int_equal(sm_rows_int(r, 0), 0);
    assert_false(sm_rows_is_null(r, 0));
    done(r);
}

static void test_dates_and_times(void **state)
{
    (void)state;
    need_conn();
    sm_value p[4] = {sm_int(800), sm_text("2024-02-29"), sm_text("23:59:59.000001"),
                     sm_text("2024-02-29 23:59:59.123456")};
    TDB_OK(&cx,
           sm_exec(&cx, conn, "INSERT INTO v (id, day, tm, dt) VALUES (?, ?, ?, ?)", p, 4, NULL));
    sm_rows *r = row("day, tm, dt", 800);
    assert_string_equal(sm_rows_text(r, 0), "2024-02-29");
    assert_string_equal(sm_rows_text(r, 1), "23:59:59.000001");
    assert_string_equal(sm_rows_text(r, 2), "2024-02-29 23:59:59.123456");
    /* The formats are the ones the value parsers read. */
    sm_datetime dtv;
    assert_int_equal(sm_datetime_parse(sm_rows_text(r, 2), strlen(sm_rows_text(r, 2)), &dtv),
                     SM_OK);
    assert_int_equal(dtv % 1000000, 123456);
    done(r);

    /* Whole seconds still show six fraction digits; TIME beyond a day and
     * negative TIME keep their sign and hours. */
    sm_value q[4] = {sm_int(801), sm_text("1970-01-01"), sm_text("-100:00:00.5"),
                     sm_text("1970-01-01 00:00:00")};
    TDB_OK(&cx,
           sm_exec(&cx, conn, "INSERT INTO v (id, day, tm, dt) VALUES (?, ?, ?, ?)", q, 4, NULL));
    r = row("day, tm, dt, CAST(dt AS DATETIME(0))", 801);
    assert_string_equal(sm_rows_text(r, 0), "1970-01-01");
    assert_string_equal(sm_rows_text(r, 1), "-100:00:00.500000");
    assert_string_equal(sm_rows_text(r, 2), "1970-01-01 00:00:00.000000");
    assert_string_equal(sm_rows_text(r, 3), "1970-01-01 00:00:00.000000");
    done(r);

    /* The session time zone is UTC: NOW() and UTC_TIMESTAMP() agree. */
    sm_rows *z = NULL;
    TDB_OK(&cx, sm_query(&cx, conn, "SELECT TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(), NOW())", NULL, 0,
                         &z));
    TDB_RC(&cx, sm_rows_next(z), SM_ROW);
    assert_int_equal(sm_rows_int(z, 0), 0);
    done(z);

    /* Strict mode: an impossible date is an error, not a zero date. */
    sm_value bad[2] = {sm_int(802), sm_text("2023-02-30")};
    TDB_RC(&cx, sm_exec(&cx, conn, "INSERT INTO v (id, day) VALUES (?, ?)", bad, 2, NULL),
           SM_ERROR);
}

static void test_decimal_as_text(void **state)
{
    (void)state;
    need_conn();
    sm_value p[2] = {sm_int(900), sm_text("-12345678901234.5678")};
    TDB_OK(&cx, sm_exec(&cx, conn, "INSERT INTO v (id, dec_) VALUES (?, ?)", p, 2, NULL));
    sm_rows *r = row("dec_, dec_ * 2", 900);
    assert_string_equal(sm_rows_text(r, 0), "-12345678901234.5678");
    assert_int_equal(sm_rows_int(r, 0), -12345678901234);
    assert_true(fabs(sm_rows_real(r, 0) - -12345678901234.5678) < 1e-3);
    sm_decimal d;
    const char *t = sm_rows_text(r, 0);
    assert_int_equal(sm_decimal_parse(t, strlen(t), 18, 4, &d), SM_OK);
    assert_int_equal(d, INT64_C(-123456789012345678));
    done(r);
}

/* The other column types a hand-written table may have. */
static void test_other_types(void **state)
{
    (void)state;
    need_conn();
    tdb_exec_ok(&cx, conn,
                "CREATE TABLE other (bits BIT(10), y YEAR, f FLOAT, e ENUM('red', 'green'), "
                "s SET('a', 'b', 'c'), j JSON, tu TINYINT UNSIGNED, m MEDIUMINT, "
                "vb VARBINARY(8), c CHAR(3)) ENGINE=InnoDB");
    tdb_exec_ok(&cx, conn,
                "INSERT INTO other VALUES (b'1000000101', 2024, 1.5, 'green', 'a,c', "
                "'{\"k\": [1, 2]}', 255, -8388608, x'00ff', 'ab')");
    sm_rows *r = NULL;
    TDB_OK(&cx, sm_query(&cx, conn, "SELECT * FROM other", NULL, 0, &r));
    TDB_RC(&cx, sm_rows_next(r), SM_ROW);
    assert_int_equal(sm_rows_int(r, 0), 517);
    assert_true(sm_rows_real(r, 0) == 517.0);
    assert_int_equal(sm_rows_int(r, 1), 2024);
    assert_string_equal(sm_rows_text(r, 1), "2024");
    assert_true(sm_rows_real(r, 2) == 1.5);
    assert_string_equal(sm_rows_text(r, 2), "1.5");
    assert_string_equal(sm_rows_text(r, 3), "green");
    assert_string_equal(sm_rows_text(r, 4), "a,c");
    assert_non_null(strstr(sm_rows_text(r, 5), "\"k\""));
    assert_int_equal(sm_rows_int(r, 6), 255);
    assert_int_equal(sm_rows_int(r, 7), -8388608);
    size_t len = 0;
    const unsigned char *vb = sm_rows_blob(r, 8, &len);
    assert_int_equal(len, 2);
    assert_int_equal(vb[0], 0x00);
    assert_int_equal(vb[1], 0xff);
    assert_string_equal(sm_rows_text(r, 9), "ab"); /* CHAR pads, reading trims */
    TDB_RC(&cx, sm_rows_next(r), SM_DONE);
    sm_rows_close(r);
    tdb_exec_ok(&cx, conn, "DROP TABLE other");
}

/* Integers narrower than BIGINT are read in their own size and widened
 * per row: every size at both ends, signed and unsigned, then a row of
 * NULLs and a row of zeros, so that no row shows the one before. */
static void test_narrow_integers(void **state)
{
    (void)state;
    need_conn();
    tdb_exec_ok(&cx, conn,
                "CREATE TABLE narrow (k INT PRIMARY KEY, ti TINYINT, tu TINYINT UNSIGNED, "
                "si SMALLINT, su SMALLINT UNSIGNED, mi MEDIUMINT, mu MEDIUMINT UNSIGNED, "
                "i INT, iu INT UNSIGNED) ENGINE=InnoDB");
    tdb_exec_ok(&cx, conn,
                "INSERT INTO narrow VALUES "
                "(1, -128, 255, -32768, 65535, -8388608, 16777215, -2147483648, 4294967295), "
                "(2, 127, 0, 32767, 0, 8388607, 0, 2147483647, 0), "
                "(3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL), "
                "(4, 0, 0, 0, 0, 0, 0, 0, 0)");
    static const int64_t want[][8] = {
        {-128, 255, -32768, 65535, -8388608, 16777215, INT64_C(-2147483648),
         INT64_C(4294967295)},
        {127, 0, 32767, 0, 8388607, 0, 2147483647, 0},
        {0},
        {0},
    };
    sm_rows *r = NULL;
    TDB_OK(&cx, sm_query(&cx, conn, "SELECT * FROM narrow ORDER BY k", NULL, 0, &r));
    for (int row = 0; row < 4; row++) {
        TDB_RC(&cx, sm_rows_next(r), SM_ROW);
        assert_int_equal(sm_rows_int(r, 0), row + 1);
        for (int c = 0; c < 8; c++) {
            assert_int_equal(sm_rows_is_null(r, c + 1), row == 2);
            if (row == 2)
                continue;
            assert_int_equal(sm_rows_int(r, c + 1), want[row][c]);
            char text[24];
            snprintf(text, sizeof text, "%lld", (long long)want[row][c]);
            assert_string_equal(sm_rows_text(r, c + 1), text);
        }
    }
    TDB_RC(&cx, sm_rows_next(r), SM_DONE);
    sm_rows_close(r);
    tdb_exec_ok(&cx, conn, "DROP TABLE narrow");
}

/* Text holding a number reads as one; non-numbers read as 0. */
static void test_getter_conversions(void **state)
{
    (void)state;
    need_conn();
    sm_rows *r = NULL;
    TDB_OK(&cx, sm_query(&cx, conn,
                         "SELECT '42' AS a, ' 17x' AS b, 'abc' AS c, '2.5e3' AS d, NULL AS e, "
                         "1.5 AS f, CAST(2.25 AS DOUBLE) AS g",
                         NULL, 0, &r));
    TDB_RC(&cx, sm_rows_next(r), SM_ROW);
    assert_int_equal(sm_rows_ncols(r), 7);
    assert_string_equal(sm_rows_name(r, 0), "a");
    assert_string_equal(sm_rows_name(r, 6), "g");
    assert_null(sm_rows_name(r, 7));
    assert_int_equal(sm_rows_int(r, 0), 42);
    assert_int_equal(sm_rows_int(r, 1), 17);
    assert_int_equal(sm_rows_int(r, 2), 0);
    assert_int_equal(sm_rows_int(r, 3), 2500);
    assert_true(sm_rows_real(r, 3) == 2500.0);
    assert_true(sm_rows_is_null(r, 4));
    assert_null(sm_rows_text(r, 4));
    assert_string_equal(sm_rows_text(r, 5), "1.5");
    assert_string_equal(sm_rows_text(r, 6), "2.25");
    assert_true(sm_rows_real(r, 6) == 2.25);
    /* Out-of-range columns read as NULL. */
    assert_true(sm_rows_is_null(r, 7));
    assert_true(sm_rows_is_null(r, -1));
    done(r);
}

/* The declared kinds of result columns (for checking raw queries). */
static void test_column_kinds(void **state)
{
    (void)state;
    need_conn();
    sm_stmt *st = NULL;
    TDB_OK(&cx, sm_call_begin(&cx, conn, SM_CALL_ANY));
    TDB_OK(&cx,
           sm_stmt_raw(&cx, conn,
                       "SELECT i, d, t, b, flag, day, dt, dec_, u, vc, NULL FROM v LIMIT 1", &st));
    const sm_driver *drv = conn->drv;
    int want[] = {SM_VINT, SM_VREAL, SM_VTEXT, SM_VBLOB, SM_VINT, SM_VTEXT,
                  SM_VTEXT, SM_VTEXT, SM_VINT, SM_VTEXT, -1};
    assert_int_equal(drv->ncols(st), 11);
    for (int i = 0; i < 11; i++)
        assert_int_equal(drv->coltype(st, i), want[i]);
    assert_int_equal(drv->coltype(st, 11), -1);
    sm_stmt_release(st);
    sm_call_end(&cx, conn, SM_OK);
}

/* Unknown value kinds are refused before anything is sent. */
static void test_bad_parameter_kind(void **state)
{
    (void)state;
    need_conn();
    sm_value p = sm_int(1);
    p.kind = 77;
    uint64_t trips = sm_conn_stat(conn).round_trips;
    TDB_RC(&cx, sm_exec(&cx, conn, "SELECT ?", &p, 1, NULL), SM_MISUSE);
    assert_non_null(strstr(sm_cx_errmsg(&cx), "kind"));
    /* The statement was prepared, never executed. */
    assert_true(sm_conn_stat(conn).round_trips <= trips + 1);
    TDB_RC(&cx, sm_exec(&cx, conn, "SELECT ?, ?", &p, 1, NULL), SM_MISUSE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_integers),
        cmocka_unit_test(test_unsigned_bigint),
        cmocka_unit_test(test_doubles),
        cmocka_unit_test(test_text_empty_null_utf8),
        cmocka_unit_test(test_megabyte_text),
        cmocka_unit_test(test_blob_all_bytes),
        cmocka_unit_test(test_bool),
        cmocka_unit_test(test_dates_and_times),
        cmocka_unit_test(test_decimal_as_text),
        cmocka_unit_test(test_long_value_beside_others),
        cmocka_unit_test(test_other_types),
        cmocka_unit_test(test_narrow_integers),
        cmocka_unit_test(test_getter_conversions),
        cmocka_unit_test(test_column_kinds),
        cmocka_unit_test(test_bad_parameter_kind),
    };
    return tdb_exit(cmocka_run_group_tests(tests, setup, teardown));
}
