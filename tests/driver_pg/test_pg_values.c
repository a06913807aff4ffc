/*
 * test_pg_values.c: every value kind through PostgreSQL and back,
 * placeholders against a real server, bad parameters, column types,
 * affected counts and RETURNING keys.
 */
#include "pgtest.h"

#include <float.h>
#include <math.h>

/* Runs a one-row query and leaves the rows open on that row. */
static sm_rows *one_row(pgt_env *e, const char *sql, const sm_value *p, size_t n)
{
    sm_rows *r = NULL;
    TDB_OK(&e->cx, sm_query(&e->cx, e->conn, sql, p, n, &r));
    TDB_RC(&e->cx, sm_rows_next(r), SM_ROW);
    return r;
}

static void done(pgt_env *e, sm_rows *r)
{
    TDB_RC(&e->cx, sm_rows_next(r), SM_DONE);
    sm_rows_close(r);
}

static void test_ints(void **state)
{
    pgt_env *e = pgt_env_of(state);
    const int64_t vals[] = {0, 1, -1, 42, INT64_MAX, INT64_MIN, INT64_MAX - 1, INT64_MIN + 1,
                            2147483648LL, -2147483649LL};
    for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
        sm_value p = sm_int(vals[i]);
        sm_rows *r = one_row(e, "SELECT ?::bigint, (?::bigint)::text", (sm_value[]){p, p}, 2);
        assert_false(sm_rows_is_null(r, 0));
        assert_true(sm_rows_int(r, 0) == vals[i]);
        char want[32];
        snprintf(want, sizeof want, "%lld", (long long)vals[i]);
        assert_string_equal(sm_rows_text(r, 1), want);
        done(e, r);
    }
    /* smallint, integer, and an integer read as real. */
    sm_rows *r = one_row(e, "SELECT 7::smallint, -8::integer, 9::bigint, '12.9'::float8", NULL, 0);
    assert_int_equal(sm_rows_int(r, 0), 7);
    assert_int_equal(sm_rows_int(r, 1), -8);
    assert_true(sm_rows_real(r, 2) == 9.0);
    assert_int_equal(sm_rows_int(r, 3), 12);
    done(e, r);
}

static void test_bools(void **state)
{
    pgt_env *e = pgt_env_of(state);
    sm_rows *r = one_row(e, "SELECT ?::boolean, ?::boolean, ?::int IS NULL, true, false",
                         (sm_value[]){sm_bool(true), sm_bool(false), sm_null()}, 3);
    assert_int_equal(sm_rows_int(r, 0), 1);
    assert_int_equal(sm_rows_int(r, 1), 0);
    assert_int_equal(sm_rows_int(r, 2), 1);
    assert_int_equal(sm_rows_int(r, 3), 1);
    assert_int_equal(sm_rows_int(r, 4), 0);
    assert_string_equal(sm_rows_text(r, 0), "t");
    assert_true(sm_rows_real(r, 0) == 1.0);
    done(e, r);
}

static void test_doubles(void **state)
{
    pgt_env *e = pgt_env_of(state);
    const double vals[] = {0.0, -0.0, 0.1, -2.5, 1e308, -1e308, 5e-324, DBL_MAX, DBL_MIN,
                           DBL_EPSILON, 3.141592653589793, 9007199254740993.0, 1.0 / 3.0};
    for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
        sm_rows *r = one_row(e, "SELECT ?::float8", (sm_value[]){sm_real(vals[i])}, 1);
        double got = sm_rows_real(r, 0);
        if (memcmp(&got, &vals[i], sizeof got) != 0)
            fail_msg("%.17g came back as %.17g (%s)", vals[i], got, sm_rows_text(r, 0));
        done(e, r);
    }
    /* Non-finite values are refused before anything is sent. */
    const double bad[] = {NAN, INFINITY, -INFINITY};
    for (size_t i = 0; i < 3; i++) {
        sm_value p = sm_real(bad[i]);
        TDB_RC(&e->cx, sm_exec(&e->cx, e->conn, "SELECT ?::float8", &p, 1, NULL), SM_MISUSE);
        assert_non_null(strstr(sm_cx_errmsg(&e->cx), "finite"));
    }
    /* The server's own non-finite values still read back. */
    sm_rows *r =
        one_row(e, "SELECT 'NaN'::float8, 'Infinity'::float8, '-Infinity'::float8", NULL, 0);
    assert_true(isnan(sm_rows_real(r, 0)));
    assert_true(isinf(sm_rows_real(r, 1)) && sm_rows_real(r, 1) > 0);
    assert_true(isinf(sm_rows_real(r, 2)) && sm_rows_real(r, 2) < 0);
    done(e, r);
}

static void test_text(void **state)
{
    pgt_env *e = pgt_env_of(state);
    /* Empty is not NULL. */
    sm_rows *r = one_row(e, "SELECT ?::text, ?::text, length(?::text)",
                         (sm_value[]){sm_text(""), sm_null(), sm_text("")}, 3);
    assert_false(sm_rows_is_null(r, 0));
    assert_string_equal(sm_rows_text(r, 0), "");
    assert_true(sm_rows_is_null(r, 1));
    assert_null(sm_rows_text(r, 1));
    assert_int_equal(sm_rows_int(r, 2), 0);
    done(e, r);
    /* sm_text(NULL) is NULL. */
    r = one_row(e, "SELECT ?::text IS NULL", (sm_value[]){sm_text(NULL)}, 1);
    assert_int_equal(sm_rows_int(r, 0), 1);
    done(e, r);
    /* Unicode, counted in characters by the server. */
    const char *u = "h\xc3\xa9llo w\xc3\xb6rld \xe2\x9c\x93 "
                    "\xf0\x9d\x84\x9e \xe6\x97\xa5\xe6\x9c\xac";
    r = one_row(e, "SELECT ?::text, length(?::text)", (sm_value[]){sm_text(u), sm_text(u)}, 2);
    assert_string_equal(sm_rows_text(r, 0), u);
    assert_int_equal(sm_rows_int(r, 1), 18);
    done(e, r);
    /* A slice that is not NUL-terminated. */
    const char buf[6] = {'a', 'b', 'c', 'd', 'e', 'f'};
    r = one_row(e, "SELECT ?::text", (sm_value[]){sm_textn(buf, 3)}, 1);
    assert_string_equal(sm_rows_text(r, 0), "abc");
    done(e, r);
    /* A NUL inside text cannot be sent: refused, not truncated. */
    sm_value nul = sm_textn("a\0b", 3);
    TDB_RC(&e->cx, sm_exec(&e->cx, e->conn, "SELECT ?::text", &nul, 1, NULL), SM_MISUSE);
    assert_non_null(strstr(sm_cx_errmsg(&e->cx), "NUL"));
    /* Invalid UTF-8 is the server's error. */
    sm_value bad = sm_text("\xff\xfe");
    TDB_RC(&e->cx, sm_exec(&e->cx, e->conn, "SELECT ?::text", &bad, 1, NULL), SM_ERROR);
    assert_non_null(strstr(sm_cx_errmsg(&e->cx), "22021"));
}

static void test_big_text(void **state)
{
    pgt_env *e = pgt_env_of(state);
    size_t n = 1024 * 1024;
    char *big = malloc(n + 1);
    assert_non_null(big);
    for (size_t i = 0; i < n; i++)
        big[i] = (char)('a' + i % 26);
    big[n] = 0;
    tdb_exec_ok(&e->cx, e->conn, "CREATE TABLE big (t text)");
    sm_value p = sm_textn(big, n);
    int64_t affected = 0;
    TDB_OK(&e->cx, sm_exec(&e->cx, e->conn, "INSERT INTO big VALUES (?)", &p, 1, &affected));
    assert_int_equal(affected, 1);
    sm_rows *r = one_row(e, "SELECT t, length(t) FROM big", NULL, 0);
    const char *t = sm_rows_text(r, 0);
    assert_int_equal(strlen(t), n);
    assert_memory_equal(t, big, n);
    assert_int_equal(sm_rows_int(r, 1), (int64_t)n);
    done(e, r);
    free(big);
}

static void test_bytea(void **state)
{
    pgt_env *e = pgt_env_of(state);
    uint8_t all[256];
    for (int i = 0; i < 256; i++)
        all[i] = (uint8_t)i;
    sm_rows *r = one_row(e, "SELECT ?::bytea, length(?::bytea), ?::bytea, ?::bytea",
                         (sm_value[]){sm_blob(all, 256), sm_blob(all, 256), sm_blob(NULL, 0),
                                      sm_blob(all + 250, 6)},
                         4);
    size_t len = 0;
    const uint8_t *got = sm_rows_blob(r, 0, &len);
    assert_int_equal(len, 256);
    assert_memory_equal(got, all, 256);
    assert_int_equal(sm_rows_int(r, 1), 256);
    /* Empty is a non-NULL blob. */
    assert_false(sm_rows_is_null(r, 2));
    assert_non_null(sm_rows_blob(r, 2, &len));
    assert_int_equal(len, 0);
    /* Several blob columns stay valid together. */
    const uint8_t *tail = sm_rows_blob(r, 3, &len);
    assert_int_equal(len, 6);
    assert_memory_equal(tail, all + 250, 6);
    got = sm_rows_blob(r, 0, &len);
    assert_memory_equal(got, all, 256);
    /* The text form is the hex output. */
    assert_memory_equal(sm_rows_text(r, 3), "\\xfafbfcfdfeff", 14);
    done(e, r);
    r = one_row(e, "SELECT '\\x00ff10'::bytea, NULL::bytea", NULL, 0);
    got = sm_rows_blob(r, 0, &len);
    assert_int_equal(len, 3);
    assert_memory_equal(got, "\x00\xff\x10", 3);
    assert_null(sm_rows_blob(r, 1, &len));
    assert_int_equal(len, 0);
    done(e, r);
    /* A big one through a table, over several rows. */
    size_t n = 300000;
    uint8_t *b = malloc(n);
    assert_non_null(b);
    for (size_t i = 0; i < n; i++)
        b[i] = (uint8_t)(i * 7);
    tdb_exec_ok(&e->cx, e->conn, "CREATE TABLE blobs (id int, b bytea)");
    for (int i = 1; i <= 3; i++) {
        sm_value p[2] = {sm_int(i), sm_blob(b, n / (size_t)i)};
        TDB_OK(&e->cx, sm_exec(&e->cx, e->conn, "INSERT INTO blobs VALUES (?, ?)", p, 2, NULL));
    }
    TDB_OK(&e->cx, sm_query(&e->cx, e->conn, "SELECT id, b FROM blobs ORDER BY id", NULL, 0, &r));
    for (int i = 1; i <= 3; i++) {
        TDB_RC(&e->cx, sm_rows_next(r), SM_ROW);
        got = sm_rows_blob(r, 1, &len);
        assert_int_equal(len, n / (size_t)i);
        assert_memory_equal(got, b, len);
    }
    done(e, r);
    free(b);
}

static void test_placeholders_on_server(void **state)
{
    pgt_env *e = pgt_env_of(state);
    tdb_exec_ok(&e->cx, e->conn, "CREATE TABLE \"q?t\" (\"a?\" int, j jsonb)");
    sm_value p[2] = {sm_int(5), sm_text("{\"k\": 1}")};
    TDB_OK(&e->cx,
           sm_exec(&e->cx, e->conn, "INSERT INTO \"q?t\" VALUES (?, ?::jsonb) -- (?)", p, 2, NULL));
    sm_value w = sm_int(5);
    sm_rows *r = one_row(e,
                         "SELECT '?', E'\\'?', $$?$$, $t$?$t$, \"a?\" /* ? */, j ?? 'k', "
                         "j ?? 'nope' FROM \"q?t\" WHERE \"a?\" = ? -- ?\n",
                         &w, 1);
    assert_string_equal(sm_rows_text(r, 0), "?");
    assert_string_equal(sm_rows_text(r, 1), "'?");
    assert_string_equal(sm_rows_text(r, 2), "?");
    assert_string_equal(sm_rows_text(r, 3), "?");
    assert_int_equal(sm_rows_int(r, 4), 5);
    assert_int_equal(sm_rows_int(r, 5), 1);
    assert_int_equal(sm_rows_int(r, 6), 0);
    done(e, r);
    /* Numbered SQL passes unchanged. */
    r = one_row(e, "SELECT $2::int - $1::int, $1::int", (sm_value[]){sm_int(3), sm_int(10)}, 2);
    assert_int_equal(sm_rows_int(r, 0), 7);
    assert_int_equal(sm_rows_int(r, 1), 3);
    done(e, r);
    /* Mixed styles and wrong counts are misuse. */
    TDB_RC(
        &e->cx,
        sm_exec(&e->cx, e->conn, "SELECT $1::int, ?", (sm_value[]){sm_int(1), sm_int(2)}, 2, NULL),
        SM_MISUSE);
    assert_non_null(strstr(sm_cx_errmsg(&e->cx), "mixes"));
    TDB_RC(&e->cx, sm_exec(&e->cx, e->conn, "SELECT ?::int, ?::int", &w, 1, NULL), SM_MISUSE);
    TDB_RC(&e->cx, sm_exec(&e->cx, e->conn, "SELECT 1", &w, 1, NULL), SM_MISUSE);
    sm_value odd = sm_int(1);
    odd.kind = 99;
    TDB_RC(&e->cx, sm_exec(&e->cx, e->conn, "SELECT ?::int", &odd, 1, NULL), SM_MISUSE);
    /* The connection is fine after all that. */
    tdb_exec_ok(&e->cx, e->conn, "SELECT 1");
}

static void test_table_round_trip(void **state)
{
    pgt_env *e = pgt_env_of(state);
    tdb_exec_ok(
        &e->cx, e->conn,
        "CREATE TABLE rt (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, b boolean, "
        "i integer, f double precision, t text, v varchar(10), d date, ts timestamptz, "
        "u uuid, n numeric(10,2), bl bytea, j json)");
    sm_value p[] = {sm_bool(true), sm_int(-7), sm_real(2.5), sm_text("x"), sm_text("short"),
                    sm_text("2024-02-29"), sm_text("2024-02-29 12:34:56.123456"),
                    sm_text("0e5c2f62-1a3b-4c6d-8e9f-0123456789ab"), sm_text("1234.50"),
                    sm_blob("\x01\x02", 2), sm_text("[1, {\"a\": null}]")};
    sm_rows *r = NULL;
    TDB_OK(&e->cx, sm_query(&e->cx, e->conn,
                            "INSERT INTO rt (b, i, f, t, v, d, ts, u, n, bl, j) VALUES "
                            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                            p, sizeof p / sizeof p[0], &r));
    TDB_RC(&e->cx, sm_rows_next(r), SM_ROW);
    int64_t id = sm_rows_int(r, 0);
    assert_true(id > 0);
    done(e, r);
    sm_value k = sm_int(id);
    r = one_row(e, "SELECT b, i, f, t, v, d, ts, u, n, bl, j, id FROM rt WHERE id = ?", &k, 1);
    assert_int_equal(sm_rows_int(r, 0), 1);
    assert_int_equal(sm_rows_int(r, 1), -7);
    assert_true(sm_rows_real(r, 2) == 2.5);
    assert_string_equal(sm_rows_text(r, 3), "x");
    assert_string_equal(sm_rows_text(r, 4), "short");
    assert_string_equal(sm_rows_text(r, 5), "2024-02-29");
    assert_string_equal(sm_rows_text(r, 6), "2024-02-29 12:34:56.123456+00");
    assert_string_equal(sm_rows_text(r, 7), "0e5c2f62-1a3b-4c6d-8e9f-0123456789ab");
    assert_string_equal(sm_rows_text(r, 8), "1234.50");
    size_t len;
    assert_memory_equal(sm_rows_blob(r, 9, &len), "\x01\x02", 2);
    assert_string_equal(sm_rows_text(r, 10), "[1, {\"a\": null}]");
    assert_string_equal(sm_rows_name(r, 11), "id");
    assert_int_equal(sm_rows_ncols(r), 12);
    done(e, r);
}

/* The driver's own view of column types, RETURNING keys and counts. */
static void test_driver_columns(void **state)
{
    pgt_env *e = pgt_env_of(state);
    sm_cx *cx = &e->cx;
    sm_conn *conn = e->conn;
    sm_stmt *st = NULL;
    TDB_OK(cx, sm_stmt_raw(cx, conn,
                           "SELECT true, 1::int2, 2::int4, 3::int8, 1.5::float8, 'x'::text, "
                           "'\\x00'::bytea, now()::date, 1::numeric, 'x'::varchar, "
                           "'{}'::jsonb, point(1, 2)",
                           &st));
    TDB_RC(cx, sm_stmt_exec(cx, st, NULL, 0), SM_ROW);
    const int want[] = {SM_VBOOL, SM_VINT, SM_VINT, SM_VINT, SM_VREAL, SM_VTEXT,
                        SM_VBLOB, SM_VTEXT, SM_VTEXT, SM_VTEXT, SM_VTEXT, -1};
    assert_int_equal(conn->drv->ncols(st), 12);
    for (int i = 0; i < 12; i++)
        assert_int_equal(conn->drv->coltype(st, i), want[i]);
    assert_int_equal(conn->drv->coltype(st, 12), -1);
    assert_int_equal(conn->drv->coltype(st, -1), -1);
    assert_null(conn->drv->colname(st, 12));
    assert_true(conn->drv->is_null(st, 99));
    TDB_RC(cx, sm_stmt_next(cx, st), SM_DONE);
    sm_stmt_release(st);

    tdb_exec_ok(cx, conn, "CREATE TABLE ids (id bigint GENERATED BY DEFAULT AS IDENTITY, v int)");
    TDB_OK(cx, sm_stmt_raw(cx, conn, "INSERT INTO ids (v) VALUES (?), (?) RETURNING id", &st));
    TDB_RC(cx, sm_stmt_exec(cx, st, (sm_value[]){sm_int(1), sm_int(2)}, 2), SM_ROW);
    assert_int_equal(conn->drv->insert_id(st), 1);
    assert_int_equal(conn->drv->changes(st), 2);
    TDB_RC(cx, sm_stmt_next(cx, st), SM_ROW);
    assert_int_equal(conn->drv->get_int(st, 0), 2);
    TDB_RC(cx, sm_stmt_next(cx, st), SM_DONE);
    sm_stmt_release(st);
    /* Rows matched, also when nothing changes. */
    int64_t affected = -1;
    TDB_OK(cx, sm_exec(cx, conn, "UPDATE ids SET v = v", NULL, 0, &affected));
    assert_int_equal(affected, 2);
    TDB_OK(cx, sm_exec(cx, conn, "UPDATE ids SET v = 0 WHERE id > ?", (sm_value[]){sm_int(5)}, 1,
                       &affected));
    assert_int_equal(affected, 0);
    TDB_OK(cx, sm_exec(cx, conn, "DELETE FROM ids", NULL, 0, &affected));
    assert_int_equal(affected, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_ints, pgt_env_setup, pgt_env_teardown),
        cmocka_unit_test_setup_teardown(test_bools, pgt_env_setup, pgt_env_teardown),
        cmocka_unit_test_setup_teardown(test_doubles, pgt_env_setup, pgt_env_teardown),
        cmocka_unit_test_setup_teardown(test_text, pgt_env_setup, pgt_env_teardown),
        cmocka_unit_test_setup_teardown(test_big_text, pgt_env_setup, pgt_env_teardown),
        cmocka_unit_test_setup_teardown(test_bytea, pgt_env_setup, pgt_env_teardown),
        cmocka_unit_test_setup_teardown(test_placeholders_on_server, pgt_env_setup,
                                        pgt_env_teardown),
        cmocka_unit_test_setup_teardown(test_table_round_trip, pgt_env_setup, pgt_env_teardown),
        cmocka_unit_test_setup_teardown(test_driver_columns, pgt_env_setup, pgt_env_teardown),
    };
    return tdb_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
