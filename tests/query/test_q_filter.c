/*
 * test_q_filter.c: `where` on every dialect: comparisons, and/or/not
 * with SQLite's precedence, `in :list` and `not in :list` (int and text;
 * empty lists; 1, 2, 3, 5, 100 and 1000 elements, which MySQL buckets to
 * powers of two), like (case-sensitive everywhere, ESCAPE '\'), is
 * null, between, and an enum member as a literal.
 */
#include "qtest.h"

static void comparisons(tdb *t)
{
    HeroRef_list l;
    qt_seed(t);
    /* NULL ages (heroes 1 and 2) match no comparison. */
    QT_OK(t, age_eq(&t->cx, t->conn, 36, &l, &t->arena));
    QT_REFS(t, l, "6");
    QT_OK(t, age_ne(&t->cx, t->conn, 36, &l, &t->arena));
    QT_REFS(t, l, "3 4 5 7 8 9");
    QT_OK(t, age_lt(&t->cx, t->conn, 36, &l, &t->arena));
    QT_REFS(t, l, "4 5 8");
    QT_OK(t, age_le(&t->cx, t->conn, 36, &l, &t->arena));
    QT_REFS(t, l, "4 5 6 8");
    QT_OK(t, age_gt(&t->cx, t->conn, 36, &l, &t->arena));
    QT_REFS(t, l, "3 7 9");
    QT_OK(t, age_ge(&t->cx, t->conn, 36, &l, &t->arena));
    QT_REFS(t, l, "3 6 7 9");
    /* Nothing matches: {NULL, 0}. */
    QT_OK(t, age_eq(&t->cx, t->conn, 1000, &l, &t->arena));
    QT_REFS(t, l, "");
    QT_TRUE(t, l.items == NULL);
}

static void and_or_not_precedence(tdb *t)
{
    HeroRef_list l;
    qt_seed(t);
    /* (age > 35 and not power == speed) or name == 'Deadpond':
     * 3, 6, 7, 9 by the first part, 1 by the second. */
    QT_OK(t, and_or_not(&t->cx, t->conn, 35, POWER_SPEED, "Deadpond", &l, &t->arena));
    QT_REFS(t, l, "1 3 6 7 9");
    /* age > 30 and (power == speed or name == 'Dr. Weird'): 4 and 6
     * (8 is fast but 27). */
    QT_OK(t, and_or_grouped(&t->cx, t->conn, 30, POWER_SPEED, "Dr. Weird", &l, &t->arena));
    QT_REFS(t, l, "4 6");
    QT_OK(t, flyers(&t->cx, t->conn, &l, &t->arena));
    QT_REFS(t, l, "1 7");
}

/* in and not in with lists of every size, of ids and of names. */
static void int_list_sizes(tdb *t)
{
    static const size_t sizes[] = {1, 2, 3, 5, 100, 1000};
    int64_t *ids = malloc(1000 * sizeof *ids);
    assert_non_null(ids);
    qt_seed(t);
    for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
        size_t n = sizes[k];
        /* Descending and past the table: order and missing ids don't matter. */
        for (size_t i = 0; i < n; i++)
            ids[i] = (int64_t)(n - i);
        char in[64] = "", out[64] = "";
        size_t ui = 0, uo = 0;
        for (size_t id = 1; id <= QT_NHEROES; id++) {
            if (id <= n)
                ui += (size_t)snprintf(in + ui, sizeof in - ui, "%s%zu", ui ? " " : "", id);
            else
                uo += (size_t)snprintf(out + uo, sizeof out - uo, "%s%zu", uo ? " " : "", id);
        }
        HeroRef_list l;
        print_message("    %zu ids\n", n);
        QT_OK(t, ids_in(&t->cx, t->conn, ids, n, &l, &t->arena));
        QT_REFS(t, l, in);
        QT_OK(t, ids_not_in(&t->cx, t->conn, ids, n, &l, &t->arena));
        QT_REFS(t, l, out);
    }
    /* Text lists of the same sizes: the seeded names first, then names
     * nobody has. */
    char (*other)[16] = malloc(1000 * sizeof *other);
    const char **names = malloc(1000 * sizeof *names);
    assert_non_null(other);
    assert_non_null(names);
    for (size_t i = 0; i < 1000; i++) {
        snprintf(other[i], sizeof other[i], "nobody %zu", i);
        names[i] = i < QT_NHEROES ? qt_heroes[i].name : other[i];
    }
    for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
        size_t n = sizes[k];
        char in[64] = "", out[64] = "";
        size_t ui = 0, uo = 0;
        for (size_t id = 1; id <= QT_NHEROES; id++) {
            if (id <= n)
                ui += (size_t)snprintf(in + ui, sizeof in - ui, "%s%zu", ui ? " " : "", id);
            else
                uo += (size_t)snprintf(out + uo, sizeof out - uo, "%s%zu", uo ? " " : "", id);
        }
        HeroRef_list l;
        print_message("    %zu names\n", n);
        QT_OK(t, names_in(&t->cx, t->conn, names, n, &l, &t->arena));
        QT_REFS(t, l, in);
        QT_OK(t, names_not_in(&t->cx, t->conn, names, n, &l, &t->arena));
        QT_REFS(t, l, out);
    }
    free(names);
    free(other);
    /* Duplicates, and a list of 5 whose bucket (8) pads with the last one. */
    int64_t dup[] = {9, 3, 9, 3, 3};
    HeroRef_list l;
    QT_OK(t, ids_in(&t->cx, t->conn, dup, 5, &l, &t->arena));
    QT_REFS(t, l, "3 9");
    QT_OK(t, ids_not_in(&t->cx, t->conn, dup, 5, &l, &t->arena));
    QT_REFS(t, l, "1 2 4 5 6 7 8");
    free(ids);
}

static void empty_lists(tdb *t)
{
    HeroRef_list l;
    int64_t none = 0;
    const char *no_name = NULL;
    qt_seed(t);
    /* A non-NULL list of length 0 is the empty list; so is NULL with 0. */
    QT_OK(t, ids_in(&t->cx, t->conn, &none, 0, &l, &t->arena));
    QT_REFS(t, l, "");
    QT_OK(t, ids_in(&t->cx, t->conn, NULL, 0, &l, &t->arena));
    QT_REFS(t, l, "");
    QT_OK(t, ids_not_in(&t->cx, t->conn, &none, 0, &l, &t->arena));
    QT_REFS(t, l, "1 2 3 4 5 6 7 8 9");
    QT_OK(t, names_in(&t->cx, t->conn, &no_name, 0, &l, &t->arena));
    QT_REFS(t, l, "");
    QT_OK(t, names_not_in(&t->cx, t->conn, &no_name, 0, &l, &t->arena));
    QT_REFS(t, l, "1 2 3 4 5 6 7 8 9");
}

static void text_lists(tdb *t)
{
    HeroRef_list l;
    qt_seed(t);
    /* Quotes, backslashes, braces, commas and multi-byte text survive the
     * list encodings (JSON for SQLite, an array literal for PostgreSQL). */
    const char *names[] = {"Dr. Weird", qt_heroes[7].name, "x\"y", "a\\b", "{c,d}", "Mr. 100%",
                           "deadpond"};
    QT_OK(t, names_in(&t->cx, t->conn, names, 7, &l, &t->arena));
    QT_REFS(t, l, "6 8 9");
    QT_OK(t, names_not_in(&t->cx, t->conn, names, 7, &l, &t->arena));
    QT_REFS(t, l, "1 2 3 4 5 7");
    const char *one[] = {"Tarantula"};
    QT_OK(t, names_in(&t->cx, t->conn, one, 1, &l, &t->arena));
    QT_REFS(t, l, "4");
    /* A NULL element is a misuse, reported before any SQL runs. */
    const char *holes[] = {"Tarantula", NULL};
    QT_RC(t, names_in(&t->cx, t->conn, holes, 2, &l, &t->arena), SM_MISUSE);
    QT_ZERO(t, l);
    QT_TRUE(t, strstr(sm_cx_errmsg(&t->cx), "NULL") != NULL);
    /* A NULL list with a length is a misuse too. */
    QT_RC(t, ids_in(&t->cx, t->conn, NULL, 3, &l, &t->arena), SM_MISUSE);
    QT_ZERO(t, l);
    /* The connection is fine afterwards. */
    QT_OK(t, names_in(&t->cx, t->conn, one, 1, &l, &t->arena));
    QT_REFS(t, l, "4");
}

static void like(tdb *t)
{
    HeroRef_list l;
    qt_seed(t);
    QT_OK(t, name_like(&t->cx, t->conn, "D%", &l, &t->arena));
    QT_REFS(t, l, "1 6");
    /* Case-sensitive on every dialect. */
    QT_OK(t, name_like(&t->cx, t->conn, "d%", &l, &t->arena));
    QT_REFS(t, l, "");
    QT_OK(t, name_like(&t->cx, t->conn, "%man", &l, &t->arena));
    QT_REFS(t, l, "");
    QT_OK(t, name_like(&t->cx, t->conn, "%Man", &l, &t->arena));
    QT_REFS(t, l, "3");
    /* '_' is one character, also a multi-byte one. */
    QT_OK(t, name_like(&t->cx, t->conn, "Se_or %", &l, &t->arena));
    QT_REFS(t, l, "8");
    QT_OK(t, name_like(&t->cx, t->conn, "%\xc3\x91\x61nd_", &l, &t->arena));
    QT_REFS(t, l, "8");
    /* ESCAPE '\': a literal '%' and '_'. */
    QT_OK(t, name_like(&t->cx, t->conn, "%0\\%", &l, &t->arena));
    QT_REFS(t, l, "9");
    QT_OK(t, name_like(&t->cx, t->conn, "%\\%%", &l, &t->arena));
    QT_REFS(t, l, "9");
    QT_OK(t, secret_like(&t->cx, t->conn, "%\\_%", &l, &t->arena));
    QT_REFS(t, l, "9");
    QT_OK(t, secret_like(&t->cx, t->conn, "%_%", &l, &t->arena));
    QT_REFS(t, l, "1 2 3 4 5 6 7 8 9");
    QT_OK(t, name_not_like(&t->cx, t->conn, "%-%", &l, &t->arena));
    QT_REFS(t, l, "1 4 5 6 7 8 9");
    QT_OK(t, name_like_literal(&t->cx, t->conn, &l, &t->arena));
    QT_REFS(t, l, "1 6");
}

/* A pattern ending in a '\' that escapes nothing: the databases disagree
 * (SQLite matches nothing, PostgreSQL fails, MariaDB matches a '\'), so a
 * parameter with such a value is refused before any SQL is sent (a
 * literal one is a compile-time error, E0408). */
static void like_trailing_escape(tdb *t)
{
    HeroRef_list l;
    qt_seed(t);
    Hero drive = HERO_INIT;
    drive.name = "C:\\";
    drive.secret_name = "drive";
    TDB_MUST(t, hero_insert(&t->cx, t->conn, &drive));
    sm_conn_stats before = sm_conn_stat(t->conn);
    QT_RC(t, name_like(&t->cx, t->conn, "C:\\", &l, &t->arena), SM_INVALID);
    QT_INT(t, sm_conn_stat(t->conn).statements, before.statements);
    const sm_errors *errs = sm_cx_errors(&t->cx);
    if (QT_INT(t, errs->len, 1)) {
        QT_STR(t, errs->items[0].path, "pat");
        QT_STR(t, errs->items[0].code, "pattern");
    }
    QT_ZERO(t, l);
    QT_RC(t, name_not_like(&t->cx, t->conn, "%\\\\\\", &l, &t->arena), SM_INVALID);
    /* A paired one is a backslash. */
    QT_OK(t, name_like(&t->cx, t->conn, "C:\\\\", &l, &t->arena));
    QT_TRUE(t, l.len == 1 && l.items[0].id == drive.id);
    QT_OK(t, name_like(&t->cx, t->conn, "%\\\\", &l, &t->arena));
    QT_TRUE(t, l.len == 1 && l.items[0].id == drive.id);
    QT_OK(t, name_like_trailing(&t->cx, t->conn, &l, &t->arena));
    QT_TRUE(t, l.len == 1 && l.items[0].id == drive.id);
}

static void nulls_and_between(tdb *t)
{
    HeroRef_list l;
    qt_seed(t);
    QT_OK(t, age_null(&t->cx, t->conn, &l, &t->arena));
    QT_REFS(t, l, "1 2");
    QT_OK(t, age_not_null(&t->cx, t->conn, &l, &t->arena));
    QT_REFS(t, l, "3 4 5 6 7 8 9");
    /* Inclusive at both ends. */
    QT_OK(t, age_between(&t->cx, t->conn, 32, 36, &l, &t->arena));
    QT_REFS(t, l, "4 5 6");
    QT_OK(t, age_between(&t->cx, t->conn, 36, 32, &l, &t->arena));
    QT_REFS(t, l, "");
    /* NULL is neither between nor not between. */
    QT_OK(t, age_not_between(&t->cx, t->conn, 32, 36, &l, &t->arena));
    QT_REFS(t, l, "3 7 8 9");
}

static void test_comparisons(void **state)
{
    (void)state;
    tdb_each(queries_create_all, comparisons);
}

static void test_and_or_not(void **state)
{
    (void)state;
    tdb_each(queries_create_all, and_or_not_precedence);
}

static void test_int_lists(void **state)
{
    (void)state;
    tdb_each(queries_create_all, int_list_sizes);
}

static void test_empty_lists(void **state)
{
    (void)state;
    tdb_each(queries_create_all, empty_lists);
}

static void test_text_lists(void **state)
{
    (void)state;
    tdb_each(queries_create_all, text_lists);
}

static void test_like_trailing_escape(void **state)
{
    (void)state;
    tdb_each(queries_create_all, like_trailing_escape);
}

static void test_like(void **state)
{
    (void)state;
    tdb_each(queries_create_all, like);
}

static void test_nulls_between(void **state)
{
    (void)state;
    tdb_each(queries_create_all, nulls_and_between);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_comparisons),
        cmocka_unit_test(test_and_or_not),
        cmocka_unit_test(test_int_lists),
        cmocka_unit_test(test_empty_lists),
        cmocka_unit_test(test_text_lists),
        cmocka_unit_test(test_like),
        cmocka_unit_test(test_like_trailing_escape),
        cmocka_unit_test(test_nulls_between),
    };
    return tdb_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
