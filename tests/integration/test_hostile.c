/*
 * test_hostile.c: tests/schemas/hostile.smdl, whose names and text are
 * chosen to break generated C (its golden test compiles it with gcc,
 * clang and as C++), run on every dialect: the table, column and
 * constraint names with quotes, backslashes and '?' pairs reach each
 * database intact, the defaults in HERO_INIT and in the DDL are the same
 * bytes, JSON keys and queries whose internal names used to meet work.
 *
 * Expected strings are written with "\?" escapes: this file is compiled
 * with trigraphs on too.
 */
#include "tdb.h"

#include "hostile.h"

static const char *const name_default = "tri\?\?/graph \?\?= \"quoted\" back\\slash";
static const char *const motto_default =
    "caf\303\251 \360\237\230\200 \?\?( \?\?) \?\?< \?\?> \?\?! \?\?' \?\?- \t tab";
static const char *const note_default = "ctl \001\177 and \?\?\? end\?\?";
static const char *const blob_default = "\?\?=\\\"";
static const char *const data_default = "{\"k\": \"\?\?/\"}";

/* Every column of got equals the defaults (and the given name_x). */
static void is_default(const Hero *got, const char *name_x)
{
    assert_string_equal(got->name, name_default);
    assert_string_equal(got->motto, motto_default);
    assert_non_null(got->note);
    assert_string_equal(got->note, note_default);
    assert_int_equal(got->blob.len, strlen(blob_default));
    assert_memory_equal(got->blob.data, blob_default, got->blob.len);
    assert_int_equal(got->kind, POWER_KIND_SLOW);
    assert_int_equal(got->side, POWER_KIND_RIGHT);
    assert_string_equal(got->data, data_default);
    assert_string_equal(got->name_x, name_x);
}

/* The table's name as the dialect quotes it. */
static const char *table(tdb *t)
{
    return t->d == SM_MYSQL ? "`he\"ro's \\ ta\?\?/ble?`" : "\"he\"\"ro's \\ ta\?\?/ble?\"";
}

static void defaults(tdb *t)
{
    /* HERO_INIT holds the defaults as C literals... */
    Hero h = HERO_INIT;
    h.name_x = "ab";
    expect_ok(t, hero_insert(&t->cx, t->conn, &h));
    Hero got;
    expect_ok(t, hero_get(&t->cx, t->conn, h.id, &got, &t->arena));
    is_default(&got, "ab");

    /* ...and the DDL as SQL literals: a row written without them. */
    char sql[200];
    snprintf(sql, sizeof sql, "INSERT INTO %s (%s) VALUES (?, ?)", table(t),
             t->d == SM_MYSQL ? "`id`, `name_x`" : "\"id\", \"name_x\"");
    sm_value v[2] = {sm_int(1000), sm_text("cd")};
    expect_ok(t, sm_exec(&t->cx, t->conn, sql, v, 2, NULL));
    expect_ok(t, hero_get(&t->cx, t->conn, 1000, &got, &t->arena));
    is_default(&got, "cd");

    /* The table and the column with the hostile names hold two rows. */
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s WHERE %s = ?", table(t),
             t->d == SM_MYSQL ? "`na\"me\?\?=`" : "\"na\"\"me\?\?=\"");
    sm_value nv[1] = {sm_text(name_default)};
    sm_rows *r;
    expect_ok(t, sm_query(&t->cx, t->conn, sql, nv, 1, &r));
    assert_int_equal(sm_rows_next(r), SM_ROW);
    assert_int_equal(sm_rows_int(r, 0), 2);
    sm_rows_close(r);
}

static void test_defaults(void **state)
{
    (void)state;
    tdb_each(hostile_create_all, defaults);
}

static void constraints(tdb *t)
{
    Hero a = HERO_INIT, b = HERO_INIT;
    a.name_x = b.name_x = "x";
    expect_ok(t, hero_insert(&t->cx, t->conn, &a));
    /* unique (name, name_x), named after the table and the columns.
     * SQLite names the columns only; PostgreSQL's column list keeps its
     * own quoting of "na""me??=", so the name is what is compared there. */
    expect_rc(t, hero_insert(&t->cx, t->conn, &b), SM_CONSTRAINT);
    tdb_constraint_is(t, SM_CK_UNIQUE, "uq_he\"ro's \\ ta\?\?/ble\?_na\"me\?\?=_name_x",
                      t->d == SM_SQLITE ? "na\"me\?\?=, name_x" : NULL);
    /* check (... name != "??/"): the literal reached the database. */
    b.name = "\?\?/";
    expect_rc(t, hero_insert(&t->cx, t->conn, &b), SM_CONSTRAINT);
    tdb_constraint_is(t, SM_CK_CHECK, "ck_he\"ro's \\ ta\?\?/ble?_2d623245", NULL);
    b.name = "\?\?/ ";
    expect_ok(t, hero_insert(&t->cx, t->conn, &b));
    /* @pattern with '?' pairs and backslashes. */
    b.name = "other";
    b.name_x = "a\?\?";
    expect_ok(t, hero_validate(&b, &t->errs));
    b.name_x = "a-b";
    expect_rc(t, hero_validate(&b, &t->errs), SM_INVALID);
    tdb_errors_are(&t->errs, "name_x", "pattern", NULL);
}

static void test_constraints(void **state)
{
    (void)state;
    tdb_each(hostile_create_all, constraints);
}

static void json(tdb *t)
{
    Hero h = HERO_INIT;
    h.name_x = "j";
    expect_ok(t, hero_to_json(&h, &t->buf));
    /* The @json key and the values, escaped as JSON. */
    assert_non_null(strstr(t->buf.data, "\"na\\\"me\?\?=\":\"tri\?\?/graph \?\?= "
                                         "\\\"quoted\\\" back\\\\slash\""));
    Hero back;
    expect_ok(t, hero_from_json(t->buf.data, t->buf.len, &back, &t->arena, &t->errs));
    is_default(&back, "j");
}

static void test_json(void **state)
{
    (void)state;
    tdb_each(hostile_create_all, json);
}

static void queries(tdb *t)
{
    Hero h[3] = {HERO_INIT, HERO_INIT, HERO_INIT};
    h[0].name = "tri\?\?/ one";
    h[1].name = "tri\?\?/ two";
    h[2].name = "three";
    for (int i = 0; i < 3; i++)
        h[i].name_x = "q";
    expect_ok(t, hero_insert_many(&t->cx, t->conn, h, 3));

    HeroRef_list refs;
    expect_ok(t, like_quote(&t->cx, t->conn, &refs, &t->arena));
    assert_int_equal(refs.len, 2);
    assert_string_equal(refs.items[0].name, "tri\?\?/ one");
    assert_string_equal(refs.items[1].name, "tri\?\?/ two");

    /* x? absent, present; has_x a parameter of its own. */
    int64_t x = h[1].id;
    expect_ok(t, pick(&t->cx, t->conn, NULL, h[1].id, &refs, &t->arena));
    assert_int_equal(refs.len, 2);
    expect_ok(t, pick(&t->cx, t->conn, &x, h[0].id, &refs, &t->arena));
    assert_int_equal(refs.len, 1);
    assert_int_equal(refs.items[0].id, h[1].id);
    expect_ok(t, pick(&t->cx, t->conn, &x, h[2].id, &refs, &t->arena));
    assert_int_equal(refs.len, 0);
    /* A query whose name ends in '_'. */
    expect_ok(t, pick_(&t->cx, t->conn, h[1].id, &refs, &t->arena));
    assert_int_equal(refs.len, 1);
    assert_int_equal(refs.items[0].id, h[1].id);

    /* purge (with its emulated RETURNING) and purge_pre0. */
    expect_ok(t, purge(&t->cx, t->conn, "three", &refs, &t->arena));
    assert_int_equal(refs.len, 1);
    assert_int_equal(refs.items[0].id, h[2].id);
    int64_t n;
    expect_ok(t, purge_pre0(&t->cx, t->conn, &n));
    assert_int_equal(n, 2);
}

static void test_queries(void **state)
{
    (void)state;
    tdb_each(hostile_create_all, queries);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_constraints),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_queries),
    };
    return tdb_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
