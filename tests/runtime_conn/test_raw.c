/*
 * test_raw.c: raw SQL on SQLite files: every value kind through
 * parameters and rows, placeholders and "??", parameter counts, the
 * one-statement rule, open-rows misuse, affected counts, scripts and the
 * statement cache (hits, LRU evictions, busy statements).
 */
#include "internal.h"
#include "tdb.h"

#include <float.h>
#include <math.h>

typedef struct fixture {
    sm_cx cx;
    sm_conn *conn;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    sm_cx_init(&f->cx);
    f->conn = tdb_connect(&f->cx, tdb_url(SM_SQLITE));
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    sm_close(f->conn);
    sm_cx_free(&f->cx);
    free(f);
    return 0;
}

static void test_value_kinds(void **state)
{
    fixture *f = *state;
    sm_cx *cx = &f->cx;
    tdb_exec_ok(cx, f->conn,
                "CREATE TABLE v (k INTEGER PRIMARY KEY, i INTEGER, r REAL, t TEXT, b BLOB)");
    uint8_t all[256];
    for (int i = 0; i < 256; i++)
        all[i] = (uint8_t)i;
    size_t big_n = 1 << 20;
    char *big = malloc(big_n + 1);
    assert_non_null(big);
    for (size_t i = 0; i < big_n; i++)
        big[i] = (char)('a' + i % 26);
    big[big_n] = 0;
    struct {
        sm_value i, r, t, b;
    } rows[] = {
        {sm_null(), sm_null(), sm_null(), sm_null()},
        {sm_int(INT64_MIN), sm_real(1e308), sm_text(""), sm_blob("", 0)},
        {sm_int(INT64_MAX), sm_real(5e-324), sm_text("h\xc3\xa9llo \xf0\x9f\xa6\xb8"),
         sm_blob(all, 256)},
        {sm_bool(true), sm_real(-0.0), sm_textn(big, big_n), sm_blob("a\0b\0", 4)},
        {sm_bool(false), sm_real(-1.5), sm_textn("abcdef", 3), sm_blob(NULL, 0)},
        {sm_int(-1), sm_real(DBL_MAX), sm_text(NULL), sm_null()},
    };
    size_t n = sizeof rows / sizeof rows[0];
    for (size_t k = 0; k < n; k++) {
        sm_value p[5] = {sm_int((int64_t)k), rows[k].i, rows[k].r, rows[k].t, rows[k].b};
        int64_t affected = -1;
        TDB_OK(cx, sm_exec(cx, f->conn, "INSERT INTO v VALUES (?, ?, ?, ?, ?)", p, 5, &affected));
        assert_int_equal(affected, 1);
    }
    sm_rows *r;
    TDB_OK(cx, sm_query(cx, f->conn, "SELECT k, i, r, t, b FROM v ORDER BY k", NULL, 0, &r));
    assert_int_equal(sm_rows_ncols(r), 5);
    assert_string_equal(sm_rows_name(r, 0), "k");
    assert_string_equal(sm_rows_name(r, 4), "b");
    assert_null(sm_rows_name(r, 5));
    assert_null(sm_rows_name(r, -1));
    size_t len;
    /* Row 0: all NULL. */
    TDB_RC(cx, sm_rows_next(r), SM_ROW);
    for (int c = 1; c < 5; c++)
        assert_true(sm_rows_is_null(r, c));
    assert_null(sm_rows_text(r, 3));
    assert_null(sm_rows_blob(r, 4, &len));
    assert_int_equal(len, 0);
    /* Row 1: INT64_MIN, 1e308, empty text, empty blob (not NULL). */
    TDB_RC(cx, sm_rows_next(r), SM_ROW);
    assert_true(sm_rows_int(r, 1) == INT64_MIN);
    assert_true(sm_rows_real(r, 2) == 1e308);
    assert_false(sm_rows_is_null(r, 3));
    assert_string_equal(sm_rows_text(r, 3), "");
    assert_false(sm_rows_is_null(r, 4));
    assert_non_null(sm_rows_blob(r, 4, &len));
    assert_int_equal(len, 0);
    /* Row 2: INT64_MAX, the smallest subnormal, UTF-8, every byte. */
    TDB_RC(cx, sm_rows_next(r), SM_ROW);
    assert_true(sm_rows_int(r, 1) == INT64_MAX);
    assert_true(sm_rows_real(r, 2) == 5e-324);
    assert_string_equal(sm_rows_text(r, 3), "h\xc3\xa9llo \xf0\x9f\xa6\xb8");
    const uint8_t *b = sm_rows_blob(r, 4, &len);
    assert_int_equal(len, 256);
    assert_memory_equal(b, all, 256);
    /* Row 3: true, -0.0, 1 MB of text, a blob with NULs. */
    TDB_RC(cx, sm_rows_next(r), SM_ROW);
    assert_int_equal(sm_rows_int(r, 1), 1);
    assert_true(sm_rows_real(r, 2) == 0.0 && signbit(sm_rows_real(r, 2)) == 0);
    const char *t = sm_rows_text(r, 3);
    assert_int_equal(strlen(t), big_n);
    assert_memory_equal(t, big, big_n);
    b = sm_rows_blob(r, 4, &len);
    assert_int_equal(len, 4);
    assert_memory_equal(b, "a\0b\0", 4);
    /* Row 4: false, a negative real, text cut to its length; sm_blob(NULL, 0) is empty. */
    TDB_RC(cx, sm_rows_next(r), SM_ROW);
    assert_int_equal(sm_rows_int(r, 1), 0);
    assert_true(sm_rows_real(r, 2) == -1.5);
    assert_string_equal(sm_rows_text(r, 3), "abc");
    assert_false(sm_rows_is_null(r, 4));
    /* Row 5: sm_text(NULL) is NULL. */
    TDB_RC(cx, sm_rows_next(r), SM_ROW);
    assert_int_equal(sm_rows_int(r, 1), -1);
    assert_true(sm_rows_real(r, 2) == DBL_MAX);
    assert_true(sm_rows_is_null(r, 3));
    /* Out-of-range columns read as NULL. */
    assert_true(sm_rows_is_null(r, 9));
    assert_int_equal(sm_rows_int(r, 9), 0);
    assert_null(sm_rows_text(r, -1));
    TDB_RC(cx, sm_rows_next(r), SM_DONE);
    /* After the end: SM_DONE again, and no current row. */
    TDB_RC(cx, sm_rows_next(r), SM_DONE);
    assert_int_equal(sm_rows_int(r, 0), 0);
    assert_null(sm_rows_text(r, 3));
    sm_rows_close(r);
    free(big);
}

static void test_placeholders(void **state)
{
    fixture *f = *state;
    sm_cx *cx = &f->cx;
    sm_rows *r;
    /* "?" inside literals, quoted identifiers and comments is not a
     * placeholder. */
    sm_value p[2] = {sm_int(7), sm_text("x")};
    TDB_OK(cx, sm_query(cx, f->conn, "SELECT '?', ? AS \"a?\" /* ? */, ? -- ?\n", p, 2, &r));
    TDB_RC(cx, sm_rows_next(r), SM_ROW);
    assert_string_equal(sm_rows_text(r, 0), "?");
    assert_int_equal(sm_rows_int(r, 1), 7);
    assert_string_equal(sm_rows_name(r, 1), "a?");
    assert_string_equal(sm_rows_text(r, 2), "x");
    sm_rows_close(r);

    /* "??" inside a literal stays; outside, it is a single "?" in the SQL
     * text, and the real placeholders around it still bind in order. */
    TDB_OK(cx, sm_query(cx, f->conn, "SELECT 'a??b', ?, ?? IS NULL, ?", p, 2, &r));
    TDB_RC(cx, sm_rows_next(r), SM_ROW);
    assert_string_equal(sm_rows_text(r, 0), "a??b");
    assert_int_equal(sm_rows_int(r, 1), 7);
    assert_int_equal(sm_rows_int(r, 2), 1);
    assert_string_equal(sm_rows_text(r, 3), "x");
    sm_rows_close(r);
}

static void test_param_count(void **state)
{
    fixture *f = *state;
    sm_cx *cx = &f->cx;
    sm_value p[3] = {sm_int(1), sm_int(2), sm_int(3)};
    sm_rows *r = (sm_rows *)(uintptr_t)1;
    TDB_RC(cx, sm_exec(cx, f->conn, "SELECT ?, ?", p, 1, NULL), SM_MISUSE);
    assert_non_null(strstr(sm_cx_errmsg(cx), "2 placeholders, 1 parameter given"));
    TDB_RC(cx, sm_exec(cx, f->conn, "SELECT ?, ?", p, 3, NULL), SM_MISUSE);
    assert_non_null(strstr(sm_cx_errmsg(cx), "3 parameters"));
    TDB_RC(cx, sm_exec(cx, f->conn, "SELECT 1", p, 1, NULL), SM_MISUSE);
    TDB_RC(cx, sm_query(cx, f->conn, "SELECT ?", NULL, 0, &r), SM_MISUSE);
    assert_null(r);
    TDB_RC(cx, sm_exec(cx, f->conn, "SELECT ?", NULL, 1, NULL), SM_MISUSE);
    TDB_OK(cx, sm_exec(cx, f->conn, "SELECT ?, ?", p, 2, NULL));
    /* A misuse is not a database error: the connection is fine. */
    assert_int_equal(tdb_scalar_int(cx, f->conn, "SELECT 41 + 1", NULL, 0), 42);
}

static void test_one_statement(void **state)
{
    fixture *f = *state;
    sm_cx *cx = &f->cx;
    TDB_RC(cx, sm_exec(cx, f->conn, "SELECT 1; SELECT 2", NULL, 0, NULL), SM_MISUSE);
    assert_non_null(strstr(sm_cx_errmsg(cx), "sm_exec_script"));
    TDB_OK(cx, sm_exec(cx, f->conn, "SELECT 1;  -- done\n ; /* x */", NULL, 0, NULL));
    TDB_RC(cx, sm_exec(cx, f->conn, "", NULL, 0, NULL), SM_MISUSE);
    TDB_RC(cx, sm_exec(cx, f->conn, "  -- nothing", NULL, 0, NULL), SM_MISUSE);
    TDB_RC(cx, sm_exec(cx, f->conn, NULL, NULL, 0, NULL), SM_MISUSE);
    TDB_RC(cx, sm_exec(cx, f->conn, "SELEC 1", NULL, 0, NULL), SM_ERROR);
    assert_non_null(strstr(sm_cx_errmsg(cx), "syntax error"));
    TDB_RC(cx, sm_exec(cx, f->conn, "SELECT * FROM missing", NULL, 0, NULL), SM_ERROR);
    assert_non_null(strstr(sm_cx_errmsg(cx), "no such table: missing"));
    /* Transaction control goes through sm_begin & co. */
    TDB_RC(cx, sm_exec(cx, f->conn, "BEGIN", NULL, 0, NULL), SM_MISUSE);
    TDB_RC(cx, sm_exec(cx, f->conn, " /* c */ commit", NULL, 0, NULL), SM_MISUSE);
    TDB_RC(cx, sm_exec(cx, f->conn, "Savepoint x", NULL, 0, NULL), SM_MISUSE);
    assert_false(sm_in_transaction(f->conn));
    /* A word merely starting like one is fine. */
    tdb_exec_ok(cx, f->conn, "CREATE TABLE beginning (x INTEGER)");
    assert_int_equal(tdb_scalar_int(cx, f->conn, "SELECT count(*) FROM beginning", NULL, 0), 0);
}

static void test_rows_open_misuse(void **state)
{
    fixture *f = *state;
    sm_cx *cx = &f->cx, cx2;
    sm_cx_init(&cx2);
    tdb_exec_ok(cx, f->conn, "CREATE TABLE t (x INTEGER)");
    tdb_exec_ok(cx, f->conn, "INSERT INTO t VALUES (1), (2), (3)");
    sm_rows *r, *r2 = (sm_rows *)(uintptr_t)1;
    TDB_OK(cx, sm_query(cx, f->conn, "SELECT x FROM t ORDER BY x", NULL, 0, &r));
    TDB_RC(cx, sm_rows_next(r), SM_ROW);
    /* Every other call on the connection is refused, whatever the cx. */
    TDB_RC(&cx2, sm_exec(&cx2, f->conn, "SELECT 1", NULL, 0, NULL), SM_MISUSE);
    assert_non_null(strstr(sm_cx_errmsg(&cx2), "sm_rows_close"));
    TDB_RC(&cx2, sm_query(&cx2, f->conn, "SELECT 1", NULL, 0, &r2), SM_MISUSE);
    assert_null(r2);
    TDB_RC(&cx2, sm_exec_script(&cx2, f->conn, "SELECT 1"), SM_MISUSE);
    TDB_RC(&cx2, sm_begin(&cx2, f->conn), SM_MISUSE);
    TDB_RC(&cx2, sm_commit(&cx2, f->conn), SM_MISUSE);
    TDB_RC(&cx2, sm_rollback(&cx2, f->conn), SM_MISUSE);
    /* The open result goes on undisturbed. */
    TDB_RC(cx, sm_rows_next(r), SM_ROW);
    assert_int_equal(sm_rows_int(r, 0), 2);
    sm_rows_close(r);
    TDB_OK(&cx2, sm_exec(&cx2, f->conn, "SELECT 1", NULL, 0, NULL));
    /* An empty result is open too until closed. */
    TDB_OK(cx, sm_query(cx, f->conn, "SELECT x FROM t WHERE x > 9", NULL, 0, &r));
    TDB_RC(&cx2, sm_exec(&cx2, f->conn, "SELECT 1", NULL, 0, NULL), SM_MISUSE);
    TDB_RC(cx, sm_rows_next(r), SM_DONE);
    sm_rows_close(r);
    sm_rows_close(NULL);
    assert_int_equal(sm_rows_next(NULL), SM_MISUSE);
    /* A result that has said SM_DONE no longer holds the connection,
     * although it lives until closed (and keeps saying SM_DONE). */
    TDB_OK(cx, sm_query(cx, f->conn, "SELECT x FROM t WHERE x = 1", NULL, 0, &r));
    TDB_RC(cx, sm_rows_next(r), SM_ROW);
    TDB_RC(cx, sm_rows_next(r), SM_DONE);
    TDB_OK(&cx2, sm_exec(&cx2, f->conn, "SELECT 1", NULL, 0, NULL));
    TDB_RC(cx, sm_rows_next(r), SM_DONE);
    sm_rows_close(r);
    sm_cx_free(&cx2);
}

static void test_affected(void **state)
{
    fixture *f = *state;
    sm_cx *cx = &f->cx;
    int64_t n = -1;
    TDB_OK(cx, sm_exec(cx, f->conn, "CREATE TABLE t (x INTEGER, y TEXT)", NULL, 0, &n));
    assert_int_equal(n, 0);
    TDB_OK(cx,
           sm_exec(cx, f->conn, "INSERT INTO t VALUES (1, 'a'), (2, 'a'), (3, 'b')", NULL, 0, &n));
    assert_int_equal(n, 3);
    /* Rows matched, also when nothing changes. */
    TDB_OK(cx, sm_exec(cx, f->conn, "UPDATE t SET y = y WHERE y = 'a'", NULL, 0, &n));
    assert_int_equal(n, 2);
    TDB_OK(cx, sm_exec(cx, f->conn, "UPDATE t SET y = 'z' WHERE x > 100", NULL, 0, &n));
    assert_int_equal(n, 0);
    /* A query or DDL after DML reports 0, not the DML's count. */
    TDB_OK(cx, sm_exec(cx, f->conn, "SELECT * FROM t", NULL, 0, &n));
    assert_int_equal(n, 0);
    TDB_OK(cx, sm_exec(cx, f->conn, "DELETE FROM t", NULL, 0, &n));
    assert_int_equal(n, 3);
    TDB_OK(cx, sm_exec(cx, f->conn, "CREATE INDEX ix ON t (x)", NULL, 0, &n));
    assert_int_equal(n, 0);
    /* On error, *affected is 0. */
    n = 7;
    tdb_expect_no_table(cx, SM_SQLITE,
                        sm_exec(cx, f->conn, "INSERT INTO nope VALUES (1)", NULL, 0, &n), "nope");
    assert_int_equal(n, 0);
}

static void test_scripts(void **state)
{
    fixture *f = *state;
    sm_cx *cx = &f->cx;
    TDB_OK(cx, sm_exec_script(cx, f->conn,
                              "CREATE TABLE a (x INTEGER);\n"
                              "INSERT INTO a VALUES (1);\n"
                              "-- a comment; with a semicolon\n"
                              "INSERT INTO a VALUES (';');\n"));
    assert_int_equal(tdb_scalar_int(cx, f->conn, "SELECT count(*) FROM a", NULL, 0), 2);
    /* An error stops the script there. */
    TDB_RC(cx,
           sm_exec_script(cx, f->conn, "INSERT INTO a VALUES (3); BOGUS; INSERT INTO a VALUES (4)"),
           SM_ERROR);
    assert_int_equal(tdb_scalar_int(cx, f->conn, "SELECT count(*) FROM a", NULL, 0), 3);
    TDB_RC(cx, sm_exec_script(cx, f->conn, NULL), SM_MISUSE);
    TDB_OK(cx, sm_exec_script(cx, f->conn, ""));
}

static void test_many_rows(void **state)
{
    fixture *f = *state;
    sm_cx *cx = &f->cx;
    sm_rows *r;
    sm_value p = sm_int(10000);
    TDB_OK(cx, sm_query(cx, f->conn,
                        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c "
                        "WHERE x < ?) SELECT x, 'row ' || x FROM c",
                        &p, 1, &r));
    int64_t sum = 0, count = 0;
    int rc;
    while ((rc = sm_rows_next(r)) == SM_ROW) {
        sum += sm_rows_int(r, 0);
        count++;
        char want[32];
        snprintf(want, sizeof want, "row %lld", (long long)count);
        assert_string_equal(sm_rows_text(r, 1), want);
    }
    TDB_RC(cx, rc, SM_DONE);
    assert_int_equal(count, 10000);
    assert_int_equal(sum, 10000 * 10001 / 2);
    assert_int_equal(sm_cx_errcode(cx), SM_DONE);
    sm_rows_close(r);
}

static void test_cache_stats(void **state)
{
    fixture *f = *state;
    sm_cx *cx = &f->cx;
    sm_conn_stats s0 = sm_conn_stat(f->conn);
    assert_int_equal(s0.statements, 0);
    assert_int_equal(s0.round_trips, 0);
    for (int i = 0; i < 5; i++)
        TDB_OK(cx, sm_exec(cx, f->conn, "SELECT 1", NULL, 0, NULL));
    sm_conn_stats s = sm_conn_stat(f->conn);
    assert_int_equal(s.statements, 5);
    assert_int_equal(s.prepares, 1);
    assert_int_equal(s.cache_hits, 4);
    assert_int_equal(s.evictions, 0);
    /* The text is the key: a different spelling is another statement. */
    TDB_OK(cx, sm_exec(cx, f->conn, "SELECT  1", NULL, 0, NULL));
    s = sm_conn_stat(f->conn);
    assert_int_equal(s.prepares, 2);

    /* 300 more distinct statements: the LRU keeps 256. */
    char sql[64];
    for (int i = 0; i < 300; i++) {
        snprintf(sql, sizeof sql, "SELECT %d AS n", i);
        TDB_OK(cx, sm_exec(cx, f->conn, sql, NULL, 0, NULL));
    }
    s = sm_conn_stat(f->conn);
    assert_int_equal(s.prepares, 302);
    /* 302 raw statements in all: the 46 least recently used went
     * ("SELECT 1", "SELECT  1", "SELECT 0 AS n" ... "SELECT 43 AS n"). */
    assert_int_equal(s.evictions, 302 - 256);
    assert_int_equal(f->conn->nraw, 256);
    TDB_OK(cx, sm_exec(cx, f->conn, "SELECT 299 AS n", NULL, 0, NULL));
    assert_int_equal(sm_conn_stat(f->conn).prepares, 302);
    TDB_OK(cx, sm_exec(cx, f->conn, "SELECT 0 AS n", NULL, 0, NULL));
    assert_int_equal(sm_conn_stat(f->conn).prepares, 303);
    assert_int_equal(sm_conn_stat(f->conn).evictions, 302 - 256 + 1); /* "SELECT 44 AS n" */
    /* A use refreshes: "SELECT 45 AS n", now the oldest, is used and
     * survives the next eviction; "SELECT 46 AS n" goes instead. */
    TDB_OK(cx, sm_exec(cx, f->conn, "SELECT 45 AS n", NULL, 0, NULL));
    uint64_t p = sm_conn_stat(f->conn).prepares;
    TDB_OK(cx, sm_exec(cx, f->conn, "SELECT 'new'", NULL, 0, NULL));
    TDB_OK(cx, sm_exec(cx, f->conn, "SELECT 45 AS n", NULL, 0, NULL));
    assert_int_equal(sm_conn_stat(f->conn).prepares, p + 1);
    TDB_OK(cx, sm_exec(cx, f->conn, "SELECT 46 AS n", NULL, 0, NULL));
    assert_int_equal(sm_conn_stat(f->conn).prepares, p + 2);
    assert_int_equal(f->conn->nraw, 256);
}

/* A statement held by an open result is never handed out again: a second
 * one is prepared outside the cache. */
static void test_busy_statements(void **state)
{
    fixture *f = *state;
    sm_cx *cx = &f->cx;
    sm_stmt *a, *b, *c;
    TDB_OK(cx, sm_stmt_raw(cx, f->conn, "SELECT 1", &a));
    TDB_OK(cx, sm_stmt_raw(cx, f->conn, "SELECT 1", &b));
    assert_ptr_not_equal(a, b);
    assert_true(a->cached);
    assert_false(b->cached);
    assert_int_equal(f->conn->nraw, 1);
    TDB_RC(cx, sm_stmt_exec(cx, a, NULL, 0), SM_ROW);
    TDB_RC(cx, sm_stmt_exec(cx, b, NULL, 0), SM_ROW);
    sm_stmt_release(b);
    sm_stmt_release(a);
    TDB_OK(cx, sm_stmt_raw(cx, f->conn, "SELECT 1", &c));
    assert_ptr_equal(a, c);
    sm_stmt_release(c);

    /* Generated statements: keyed by descriptor address and variant. */
    static const int key1 = 1, key2 = 2;
    TDB_OK(cx, sm_stmt_cached(cx, f->conn, &key1, 0, "SELECT 10", &a));
    TDB_OK(cx, sm_stmt_cached(cx, f->conn, &key1, 1, "SELECT 11", &b));
    TDB_OK(cx, sm_stmt_cached(cx, f->conn, &key1, 0, "SELECT 10", &c));
    assert_ptr_not_equal(a, c);
    assert_false(c->cached);
    sm_stmt_release(c);
    sm_stmt_release(b);
    sm_stmt_release(a);
    TDB_OK(cx, sm_stmt_cached(cx, f->conn, &key1, 1, NULL, &b));
    TDB_RC(cx, sm_stmt_exec(cx, b, NULL, 0), SM_ROW);
    assert_int_equal(f->conn->drv->get_int(b, 0), 11);
    sm_stmt_release(b);
    assert_null(sm_stmt_lookup(f->conn, &key2, 0));
    assert_non_null(a = sm_stmt_lookup(f->conn, &key1, 0));
    assert_null(sm_stmt_lookup(f->conn, &key1, 0));
    sm_stmt_release(a);
    /* No SQL for a statement not cached yet: the dialect lacks it. */
    TDB_RC(cx, sm_stmt_cached(cx, f->conn, &key2, 0, NULL, &a), SM_UNSUPPORTED);
    assert_null(a);
    /* Many generated statements: the table grows, all stay. */
    static const char keys[200];
    for (int i = 0; i < 200; i++) {
        TDB_OK(cx, sm_stmt_cached(cx, f->conn, &keys[i], 3, "SELECT 3", &a));
        sm_stmt_release(a);
    }
    for (int i = 0; i < 200; i++) {
        assert_non_null(a = sm_stmt_lookup(f->conn, &keys[i], 3));
        sm_stmt_release(a);
    }
    assert_int_equal(sm_conn_stat(f->conn).evictions, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_value_kinds, setup, teardown),
        cmocka_unit_test_setup_teardown(test_placeholders, setup, teardown),
        cmocka_unit_test_setup_teardown(test_param_count, setup, teardown),
        cmocka_unit_test_setup_teardown(test_one_statement, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rows_open_misuse, setup, teardown),
        cmocka_unit_test_setup_teardown(test_affected, setup, teardown),
        cmocka_unit_test_setup_teardown(test_scripts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_many_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cache_stats, setup, teardown),
        cmocka_unit_test_setup_teardown(test_busy_statements, setup, teardown),
    };
    return tdb_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
