/*
 * test_pg_sql.c: the PostgreSQL driver's pure helpers, without a server:
 * "?" to $n rewriting, the key columns of a violation's detail, and
 * message cleaning with password redaction.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "pg_driver.h"

/* Rewrites sql and checks the text and parameter count. */
static void expect_rewrite(const char *sql, const char *want, int want_n)
{
    sm_buf out = SM_BUF_INIT;
    int n = -1;
    const char *why = "unset";
    int rc = sm_pg_rewrite(sql, &out, &n, &why);
    if (rc != SM_OK)
        fail_msg("rewrite(%s) failed: %s", sql, why ? why : "?");
    assert_null(why);
    assert_string_equal(out.data, want);
    assert_int_equal(n, want_n);
    sm_buf_free(&out);
}

static void expect_misuse(const char *sql, const char *why_part)
{
    sm_buf out = SM_BUF_INIT;
    int n = -1;
    const char *why = NULL;
    assert_int_equal(sm_pg_rewrite(sql, &out, &n, &why), SM_MISUSE);
    assert_non_null(why);
    assert_non_null(strstr(why, why_part));
    assert_int_equal(n, 0);
    sm_buf_free(&out);
}

static void test_plain(void **state)
{
    (void)state;
    expect_rewrite("SELECT 1", "SELECT 1", 0);
    expect_rewrite("", "", 0);
    expect_rewrite("?", "$1", 1);
    expect_rewrite("SELECT ?, ?, ?", "SELECT $1, $2, $3", 3);
    expect_rewrite("INSERT INTO t (a, b) VALUES (?,?)", "INSERT INTO t (a, b) VALUES ($1,$2)", 2);
    expect_rewrite("a=?AND b=?", "a=$1AND b=$2", 2);
}

static void test_literals(void **state)
{
    (void)state;
    expect_rewrite("SELECT '?', ?", "SELECT '?', $1", 1);
    expect_rewrite("SELECT 'it''s ?', ?", "SELECT 'it''s ?', $1", 1);
    /* standard_conforming_strings: a backslash does not escape the quote. */
    expect_rewrite("SELECT 'a\\', ?", "SELECT 'a\\', $1", 1);
    /* E'' strings: it does. */
    expect_rewrite("SELECT E'a\\'?', ?", "SELECT E'a\\'?', $1", 1);
    expect_rewrite("SELECT e'\\\\', ?", "SELECT e'\\\\', $1", 1);
    /* "name'..'" is no E-string: the E must start a token. */
    expect_rewrite("SELECT xe'a\\', ?", "SELECT xe'a\\', $1", 1);
    expect_rewrite("SELECT U&'?', B'01', X'0f', ?", "SELECT U&'?', B'01', X'0f', $1", 1);
}

static void test_identifiers_and_comments(void **state)
{
    (void)state;
    expect_rewrite("SELECT \"a?\" FROM \"t\"\"?\" WHERE x = ?",
                   "SELECT \"a?\" FROM \"t\"\"?\" WHERE x = $1", 1);
    expect_rewrite("SELECT ? -- what?\n, ?", "SELECT $1 -- what?\n, $2", 2);
    expect_rewrite("SELECT ? -- no newline ?", "SELECT $1 -- no newline ?", 1);
    expect_rewrite("SELECT /* ? /* nested ? */ still ? */ ?",
                   "SELECT /* ? /* nested ? */ still ? */ $1", 1);
    expect_rewrite("SELECT 1 - -?", "SELECT 1 - -$1", 1);
    expect_rewrite("SELECT 4/?", "SELECT 4/$1", 1);
}

static void test_dollar_quotes(void **state)
{
    (void)state;
    expect_rewrite("SELECT $$?$$, ?", "SELECT $$?$$, $1", 1);
    expect_rewrite("SELECT $fn$ it's ? $x$ $fn$, ?", "SELECT $fn$ it's ? $x$ $fn$, $1", 1);
    /* '$' inside an identifier opens nothing. */
    expect_rewrite("SELECT a$b, ?", "SELECT a$b, $1", 1);
    /* Unterminated: copied as is, the server reports it. */
    expect_rewrite("SELECT $q$ ? ", "SELECT $q$ ? ", 0);
    expect_rewrite("SELECT 'open ?", "SELECT 'open ?", 0);
}

static void test_question_operator(void **state)
{
    (void)state;
    expect_rewrite("SELECT j ?? 'k' FROM t WHERE id = ?", "SELECT j ? 'k' FROM t WHERE id = $1", 1);
    expect_rewrite("SELECT j ??| ?", "SELECT j ?| $1", 1);
    expect_rewrite("SELECT ???", "SELECT ?$1", 1);
}

static void test_numbered(void **state)
{
    (void)state;
    expect_rewrite("SELECT $1, $2, $1", "SELECT $1, $2, $1", 2);
    expect_rewrite("SELECT $3", "SELECT $3", 3);
    expect_rewrite("SELECT '$9', $1", "SELECT '$9', $1", 1);
    expect_rewrite("SELECT ? , '$2'", "SELECT $1 , '$2'", 1);
    expect_misuse("SELECT $1, ?", "mixes");
    expect_misuse("SELECT $70000", "65535");
}

static void test_many_params(void **state)
{
    (void)state;
    sm_buf sql = SM_BUF_INIT, out = SM_BUF_INIT;
    for (int i = 0; i < 65535; i++)
        assert_int_equal(sm_buf_puts(&sql, i ? ",?" : "?"), SM_OK);
    int n = 0;
    const char *why = NULL;
    assert_int_equal(sm_pg_rewrite(sql.data, &out, &n, &why), SM_OK);
    assert_int_equal(n, 65535);
    assert_non_null(strstr(out.data, ",$65535"));
    assert_int_equal(sm_buf_puts(&sql, ",?"), SM_OK);
    assert_int_equal(sm_pg_rewrite(sql.data, &out, &n, &why), SM_MISUSE);
    assert_non_null(strstr(why, "65535"));
    sm_buf_free(&sql);
    sm_buf_free(&out);
}

static void test_detail_columns(void **state)
{
    (void)state;
    char buf[64];
    assert_true(sm_pg_detail_columns("Key (a, b)=(1, 2) already exists.", buf, sizeof buf));
    assert_string_equal(buf, "a, b");
    assert_true(sm_pg_detail_columns("Key (team_id)=(7) is not present in table \"teams\".", buf,
                                     sizeof buf));
    assert_string_equal(buf, "team_id");
    assert_true(sm_pg_detail_columns("Key (lower(name))=(x)=(y) already exists.", buf, sizeof buf));
    assert_string_equal(buf, "lower(name)");
    /* Cut to the buffer. */
    assert_true(sm_pg_detail_columns("Key (abcdef)=(1)", buf, 4));
    assert_string_equal(buf, "abc");
    assert_false(sm_pg_detail_columns(NULL, buf, sizeof buf));
    assert_false(sm_pg_detail_columns("Failing row contains (1).", buf, sizeof buf));
    assert_false(sm_pg_detail_columns("Key ()=(1)", buf, sizeof buf));
    assert_false(sm_pg_detail_columns("Key (a", buf, sizeof buf));
}

static void test_clean_message(void **state)
{
    (void)state;
    char buf[128];
    sm_pg_clean_message("connection to server failed: FATAL:  password authentication failed "
                        "for user \"bob\"\n",
                        "s3cret", buf, sizeof buf);
    assert_string_equal(buf, "connection to server failed: FATAL: password authentication "
                             "failed for user \"bob\"");
    sm_pg_clean_message("oops s3cret and s3cret\nagain", "s3cret", buf, sizeof buf);
    assert_string_equal(buf, "oops *** and *** again");
    sm_pg_clean_message("no secret", "", buf, sizeof buf);
    assert_string_equal(buf, "no secret");
    sm_pg_clean_message(NULL, NULL, buf, sizeof buf);
    assert_string_equal(buf, "");
    sm_pg_clean_message("abcdefghij", NULL, buf, 5);
    assert_string_equal(buf, "abcd");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain),
        cmocka_unit_test(test_literals),
        cmocka_unit_test(test_identifiers_and_comments),
        cmocka_unit_test(test_dollar_quotes),
        cmocka_unit_test(test_question_operator),
        cmocka_unit_test(test_numbered),
        cmocka_unit_test(test_many_params),
        cmocka_unit_test(test_detail_columns),
        cmocka_unit_test(test_clean_message),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
