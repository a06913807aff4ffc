/*
 * test_sql_scan.c: the runtime's one SQL scanner (core/sql_scan.c), with
 * the lexical rules of every driver: tokens of literals, quoted
 * identifiers, comments, dollar quotes and placeholders; statement ends;
 * statement kinds; and empty scripts.  No server is needed.
 */
#include "internal.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

static const sm_sql_rules *rules(sm_dialect d)
{
    for (size_t i = 0; sm_drivers[i]; i++)
        if (sm_drivers[i]->dialect == d)
            return sm_drivers[i]->sql;
    fail_msg("no driver for dialect %d", (int)d);
    return NULL;
}

/* The tokens of sql under r, written as "KIND:text|KIND:text|...". */
static void tokens(const sm_sql_rules *r, const char *sql, char *out, size_t size)
{
    static const char *const names[] = {"END", "BLANK", "Q", "W", "P", "QQ", "N", "MARK", "SEMI", "O"};
    size_t i = 0, e = 0, len = 0;
    out[0] = 0;
    for (int t; (t = sm_sql_token(r, sql, i, &e)) != SM_TOK_END; i = e) {
        assert_true(e > i); /* every token makes progress */
        int w = snprintf(out + len, size - len, "%s%s:%.*s", len ? "|" : "", names[t],
                         (int)(e - i), sql + i);
        assert_true(w > 0 && (size_t)w < size - len);
        len += (size_t)w;
    }
    assert_int_equal(i, strlen(sql)); /* the tokens cover the text ("" has none) */
}

static void expect_tokens(sm_dialect d, const char *sql, const char *want)
{
    char got[1024];
    tokens(rules(d), sql, got, sizeof got);
    if (strcmp(got, want) != 0)
        fail_msg("dialect %d, '%s':\n got  %s\n want %s", (int)d, sql, got, want);
}

/* What every dialect shares: words, placeholders, ';', blanks, comments
 * and '...' strings with doubled quotes. */
static void test_common(void **state)
{
    (void)state;
    for (int d = 0; d < SM_NDIALECTS; d++) {
        expect_tokens((sm_dialect)d, "SELECT a, ? FROM t;",
                      "W:SELECT|BLANK: |W:a|O:,|BLANK: |P:?|BLANK: |W:FROM|BLANK: |W:t|SEMI:;");
        expect_tokens((sm_dialect)d, "x = ?? AND y=?",
                      "W:x|BLANK: |O:=|BLANK: |QQ:??|BLANK: |W:AND|BLANK: |W:y|O:=|P:?");
        expect_tokens((sm_dialect)d, "'it''s ?' ?", "Q:'it''s ?'|BLANK: |P:?");
        expect_tokens((sm_dialect)d, "a -- c ?\n/* ? */ b", "W:a|BLANK: -- c ?\n/* ? */ |W:b");
        expect_tokens((sm_dialect)d, "\x01, ?", "MARK:\x01|O:,|BLANK: |P:?");
        /* Unterminated: to the end, never past it. */
        expect_tokens((sm_dialect)d, "'open ?", "Q:'open ?");
        expect_tokens((sm_dialect)d, "/* open ?", "BLANK:/* open ?");
        expect_tokens((sm_dialect)d, "", "");
        /* UTF-8 letters are letters. */
        expect_tokens((sm_dialect)d, "d\xc3\xa9j\xc3\xa0?", "W:d\xc3\xa9j\xc3\xa0|P:?");
    }
}

static void test_sqlite(void **state)
{
    (void)state;
    expect_tokens(SM_SQLITE, "\"a?\"\"b\" `c?` [d?]", "Q:\"a?\"\"b\"|BLANK: |Q:`c?`|BLANK: |Q:[d?]");
    /* No backslash escapes, no # comments, no dollar quotes. */
    expect_tokens(SM_SQLITE, "'a\\' ?", "Q:'a\\'|BLANK: |P:?");
    expect_tokens(SM_SQLITE, "# ?", "O:#|BLANK: |P:?");
    expect_tokens(SM_SQLITE, "$1 $a$", "O:$|W:1|BLANK: |O:$|W:a$");
    /* Block comments do not nest. */
    expect_tokens(SM_SQLITE, "/* /* */ ? */", "BLANK:/* /* */ |P:?|BLANK: |O:*|O:/");
    expect_tokens(SM_SQLITE, "a--b\n?", "W:a|BLANK:--b\n|P:?");
}

static void test_postgres(void **state)
{
    (void)state;
    /* E'' takes escapes; '' does not (standard_conforming_strings). */
    expect_tokens(SM_POSTGRES, "E'a\\' ?' ?", "Q:E'a\\' ?'|BLANK: |P:?");
    expect_tokens(SM_POSTGRES, "e'\\\\' ?", "Q:e'\\\\'|BLANK: |P:?");
    expect_tokens(SM_POSTGRES, "'a\\' ?", "Q:'a\\'|BLANK: |P:?");
    expect_tokens(SM_POSTGRES, "DATE'x'", "W:DATE|Q:'x'");
    /* Quoted identifiers; backquotes and brackets are operators here. */
    expect_tokens(SM_POSTGRES, "\"a?\"\"b\" ?", "Q:\"a?\"\"b\"|BLANK: |P:?");
    expect_tokens(SM_POSTGRES, "`a`", "O:`|W:a|O:`");
    /* Nested comments. */
    expect_tokens(SM_POSTGRES, "/* /* ? */ ? */ ?", "BLANK:/* /* ? */ ? */ |P:?");
    /* Dollar quotes and $n parameters; '$' inside a word is part of it. */
    expect_tokens(SM_POSTGRES, "$$a ? $$ ?", "Q:$$a ? $$|BLANK: |P:?");
    expect_tokens(SM_POSTGRES, "$fn$ $$ ? $fn$", "Q:$fn$ $$ ? $fn$");
    expect_tokens(SM_POSTGRES, "$1, $12", "N:$1|O:,|BLANK: |N:$12");
    expect_tokens(SM_POSTGRES, "a$1 x$y$", "W:a$1|BLANK: |W:x$y$");
    expect_tokens(SM_POSTGRES, "$ ?", "O:$|BLANK: |P:?");
    expect_tokens(SM_POSTGRES, "$tag$ open", "Q:$tag$ open");
    expect_tokens(SM_POSTGRES, "# ?", "O:#|BLANK: |P:?");
}

static void test_mysql(void **state)
{
    (void)state;
    /* Backslash escapes in both string quotes; `` identifiers. */
    expect_tokens(SM_MYSQL, "'a\\' ?' ?", "Q:'a\\' ?'|BLANK: |P:?");
    expect_tokens(SM_MYSQL, "\"a\\\" ?\" ?", "Q:\"a\\\" ?\"|BLANK: |P:?");
    expect_tokens(SM_MYSQL, "`a``?` ?", "Q:`a``?`|BLANK: |P:?");
    /* # comments; -- only before a blank. */
    expect_tokens(SM_MYSQL, "# ?\n?", "BLANK:# ?\n|P:?");
    expect_tokens(SM_MYSQL, "5--3 ?", "W:5|O:-|O:-|W:3|BLANK: |P:?");
    expect_tokens(SM_MYSQL, "5-- 3\n?", "W:5|BLANK:-- 3\n|P:?");
    expect_tokens(SM_MYSQL, "--", "BLANK:--");
    expect_tokens(SM_MYSQL, "[a]", "O:[|W:a|O:]");
    expect_tokens(SM_MYSQL, "$1", "O:$|W:1");
}

static void test_statements(void **state)
{
    (void)state;
    const sm_sql_rules *pg = rules(SM_POSTGRES), *my = rules(SM_MYSQL), *sq = rules(SM_SQLITE);
    const char *s = "CREATE FUNCTION f() AS $$ BEGIN; END; $$; SELECT ';'; DROP TABLE x";
    size_t a = sm_sql_stmt_end(pg, s, 0);
    assert_int_equal(s[a], ';');
    assert_string_equal(s + a, "; SELECT ';'; DROP TABLE x");
    size_t b = sm_sql_stmt_end(pg, s, a + 1);
    assert_string_equal(s + b, "; DROP TABLE x");
    size_t c = sm_sql_stmt_end(pg, s, b + 1);
    assert_int_equal(s[c], 0);
    /* MySQL: a ';' in a backslash-escaped string or after # is text. */
    const char *m = "SELECT 'a\\';' # ;\n; x";
    assert_string_equal(m + sm_sql_stmt_end(my, m, 0), "; x");
    assert_string_equal(m + sm_sql_stmt_end(sq, m, 0), ";' # ;\n; x");

    assert_true(sm_sql_is_empty(my, " ; -- x\n/* y */ ;# z"));
    assert_false(sm_sql_is_empty(sq, " ; # z"));
    assert_true(sm_sql_is_empty(pg, ""));
    assert_false(sm_sql_is_empty(pg, "/**/ x"));
}

static void expect_kind(const char *sql, int want)
{
    for (int d = 0; d < SM_NDIALECTS; d++) {
        int got = sm_sql_kind(rules((sm_dialect)d), sql, 0);
        if (got != want)
            fail_msg("dialect %d, '%s': kind %d, want %d", d, sql, got, want);
    }
}

static void test_kinds(void **state)
{
    (void)state;
    expect_kind("create table t (x int)", SM_SQL_DDL);
    expect_kind("  /* c */ -- d\n DROP INDEX i", SM_SQL_DDL);
    expect_kind("CREATE TEMPORARY TABLE t (x int)", SM_SQL_OTHER);
    expect_kind("create temp table t (x int)", SM_SQL_OTHER);
    expect_kind("Alter table t add y int", SM_SQL_DDL);
    expect_kind("RENAME TABLE a TO b", SM_SQL_DDL);
    expect_kind("truncate t", SM_SQL_DDL);
    expect_kind("BEGIN", SM_SQL_TX);
    expect_kind("commit", SM_SQL_TX);
    expect_kind("rollback to savepoint a", SM_SQL_TX);
    expect_kind("SAVEPOINT a", SM_SQL_TX);
    expect_kind("release savepoint a", SM_SQL_TX);
    expect_kind("END", SM_SQL_TX);
    expect_kind("start transaction", SM_SQL_TX);
    expect_kind("START", SM_SQL_OTHER);
    /* Setting autocommit is transaction control, in every spelling. */
    expect_kind("SET autocommit = 0", SM_SQL_TX);
    expect_kind("set  Session autocommit=1", SM_SQL_TX);
    expect_kind("SET LOCAL autocommit = 0", SM_SQL_TX);
    expect_kind("SET @@autocommit = 0", SM_SQL_TX);
    expect_kind("set @@session.autocommit = 0", SM_SQL_TX);
    expect_kind("SET @@LOCAL.AUTOCOMMIT = 0", SM_SQL_TX);
    expect_kind("SET autocommit_x = 0", SM_SQL_OTHER);
    expect_kind("SET @autocommit = 0", SM_SQL_OTHER);
    expect_kind("SET @@global.autocommit = 0", SM_SQL_OTHER);
    expect_kind("SET session time_zone = '+00:00'", SM_SQL_OTHER);
    expect_kind("SET", SM_SQL_OTHER);
    expect_kind("select 1", SM_SQL_READ);
    expect_kind("((SELECT 1)) UNION (SELECT 2)", SM_SQL_READ);
    expect_kind("VALUES (1)", SM_SQL_READ);
    expect_kind("table t", SM_SQL_READ);
    expect_kind("SHOW x", SM_SQL_READ);
    expect_kind("WITH a AS (DELETE FROM t RETURNING *) SELECT * FROM a", SM_SQL_OTHER);
    expect_kind("UPDATE t SET x = 1", SM_SQL_OTHER);
    expect_kind("createx table", SM_SQL_OTHER);
    expect_kind("'create' table", SM_SQL_OTHER);
    expect_kind("", SM_SQL_OTHER);
    expect_kind(";", SM_SQL_OTHER);
    /* The kind of a later statement of a script. */
    const char *s = "SELECT 1; DROP TABLE t";
    for (int d = 0; d < SM_NDIALECTS; d++) {
        const sm_sql_rules *r = rules((sm_dialect)d);
        size_t at = sm_sql_stmt_end(r, s, 0) + 1;
        assert_int_equal(sm_sql_kind(r, s, at), SM_SQL_DDL);
    }
    /* Per dialect comments hide or show the keyword. */
    assert_int_equal(sm_sql_kind(rules(SM_MYSQL), "# x\nDROP TABLE t", 0), SM_SQL_DDL);
    assert_int_equal(sm_sql_kind(rules(SM_POSTGRES), "/* /* */ DROP */ SELECT 1", 0), SM_SQL_READ);
}

/* Every driver has rules, and they differ where the databases do. */
static void test_drivers_have_rules(void **state)
{
    (void)state;
    int n = 0;
    for (size_t i = 0; sm_drivers[i]; i++, n++) {
        assert_non_null(sm_drivers[i]->sql);
        assert_int_equal(sm_drivers[i]->version, SM_DRIVER_VERSION);
    }
    assert_int_equal(n, SM_NDIALECTS);
    assert_true(rules(SM_MYSQL)->backslash_escapes);
    assert_false(rules(SM_POSTGRES)->backslash_escapes);
    assert_true(rules(SM_POSTGRES)->dollar_quotes);
    assert_true(rules(SM_SQLITE)->bracket_idents);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_common),
        cmocka_unit_test(test_sqlite),
        cmocka_unit_test(test_postgres),
        cmocka_unit_test(test_mysql),
        cmocka_unit_test(test_statements),
        cmocka_unit_test(test_kinds),
        cmocka_unit_test(test_drivers_have_rules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
