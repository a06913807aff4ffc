/*
 * test_q_raw.c: queries written in SQL, on every dialect: one text for
 * all, one per dialect, parameters bound in order, rows read into a
 * declared row; SQL whose columns do not fit the row (too few, too many,
 * the wrong kind) fails on its first execution with SM_ERROR and a
 * message that says so, and keeps failing; values converted into the
 * row's field types, or refused; a raw exec counts rows.
 */
#include "qtest.h"

#define SCRIBBLE(obj) memset(&(obj), 0xA5, sizeof(obj))

static void in_order(tdb *t)
{
    NameAge_list l;
    qt_seed(t);
    /* age >= ? AND age < ?: 32, 35 and 36. */
    if (QT_OK(t, raw_ages(&t->cx, t->conn, 30, 40, &l, &t->arena)) && QT_INT(t, l.len, 3)) {
        static const int who[] = {4, 5, 6};
        for (size_t i = 0; i < 3; i++) {
            const qt_hero *h = &qt_heroes[who[i] - 1];
            QT_STR(t, l.items[i].name, h->name);
            QT_TRUE(t, l.items[i].has_age);
            QT_INT(t, l.items[i].age, h->age);
        }
    }
    /* Swapped, the range is empty: the first ? is the first parameter. */
    QT_OK(t, raw_ages(&t->cx, t->conn, 40, 30, &l, &t->arena));
    QT_INT(t, l.len, 0);
    QT_TRUE(t, l.items == NULL);
}

static void per_dialect(tdb *t)
{
    Tagged_list l;
    qt_seed(t);
    if (QT_OK(t, raw_tagged(&t->cx, t->conn, 5, &l, &t->arena)) && QT_INT(t, l.len, 1)) {
        QT_STR(t, l.items[0].tag, t->name);
        QT_INT(t, l.items[0].n, QT_NHEROES + 5);
    }
}

static int count_row(void *ud, const NameAge *row)
{
    (void)row;
    ++*(int *)ud;
    return 0;
}

static void wrong_shape(tdb *t)
{
    int calls = 0;
    NameAge_list l;
    qt_seed(t);
    for (int round = 0; round < 2; round++) {
        SCRIBBLE(l);
        QT_RC(t, raw_too_few(&t->cx, t->conn, &l, &t->arena), SM_ERROR);
        QT_ZERO(t, l);
        QT_TRUE(t, strstr(sm_cx_errmsg(&t->cx), "raw_too_few") != NULL);
        QT_TRUE(t, strstr(sm_cx_errmsg(&t->cx), "1 column") != NULL);
        SCRIBBLE(l);
        QT_RC(t, raw_too_many(&t->cx, t->conn, &l, &t->arena), SM_ERROR);
        QT_ZERO(t, l);
        QT_TRUE(t, strstr(sm_cx_errmsg(&t->cx), "3 column") != NULL);
        /* age (an integer) where the row wants text. */
        SCRIBBLE(l);
        QT_RC(t, raw_wrong_kind(&t->cx, t->conn, &l, &t->arena), SM_ERROR);
        QT_ZERO(t, l);
        QT_TRUE(t, strstr(sm_cx_errmsg(&t->cx), "does not fit") != NULL);
        QT_TRUE(t, strstr(sm_cx_errmsg(&t->cx), "NameAge.name") != NULL);
    }
    /* The column count is known before any row: an empty result is
     * refused too. */
    NameAge one;
    SCRIBBLE(l);
    QT_RC(t, raw_too_few_none(&t->cx, t->conn, &l, &t->arena), SM_ERROR);
    QT_ZERO(t, l);
    QT_TRUE(t, strstr(sm_cx_errmsg(&t->cx), "1 column") != NULL);
    QT_RC(t, raw_too_many_none(&t->cx, t->conn, &one, &t->arena), SM_ERROR);
    QT_TRUE(t, strstr(sm_cx_errmsg(&t->cx), "3 column") != NULL);
    QT_RC(t, raw_too_few_each(&t->cx, t->conn, count_row, &calls), SM_ERROR);
    QT_INT(t, calls, 0);
    /* The connection works afterwards. */
    QT_OK(t, raw_ages(&t->cx, t->conn, 30, 40, &l, &t->arena));
    QT_INT(t, l.len, 3);
}

/* A column read into a field of another type: integers into a float,
 * an i32 that does not fit, the largest integer (on MySQL an unsigned
 * BIGINT past INT64_MAX, which reads as INT64_MAX), and NULL where the
 * row wants text. */
static void conversions(tdb *t)
{
    qt_seed(t);
    AsFloat_list f;
    if (QT_OK(t, raw_ids_as_float(&t->cx, t->conn, &f, &t->arena)) &&
        QT_INT(t, f.len, QT_NHEROES))
        for (size_t i = 0; i < f.len; i++)
            QT_REAL(t, f.items[i].v, (double)(i + 1));
    Narrow_list n;
    if (QT_OK(t, raw_narrow(&t->cx, t->conn, 2, &n, &t->arena)) && QT_INT(t, n.len, 2)) {
        QT_INT(t, n.items[0].v, 1000000000);
        QT_INT(t, n.items[1].v, 2000000000);
    }
    SCRIBBLE(n);
    QT_RC(t, raw_narrow(&t->cx, t->conn, 3, &n, &t->arena), SM_ERROR);
    QT_ZERO(t, n);
    QT_STR(t, sm_cx_errmsg(&t->cx), "column Narrow.v: 3000000000 is out of range for i32");
    SlowRow_list big;
    if (QT_OK(t, raw_largest(&t->cx, t->conn, &big, &t->arena)) && QT_INT(t, big.len, 1))
        QT_INT(t, big.items[0].v, INT64_MAX);
    Label_list l;
    SCRIBBLE(l);
    QT_RC(t, raw_null_text(&t->cx, t->conn, &l, &t->arena), SM_ERROR);
    QT_ZERO(t, l);
    QT_STR(t, sm_cx_errmsg(&t->cx), "column Label.s: NULL in a non-nullable field");
}

static void raw_exec(tdb *t)
{
    int64_t affected = -1, n;
    for (int64_t d = 0; d < 10; d++)
        TDB_MUST(t, digit_insert(&t->cx, t->conn, &(Digit){d}));
    QT_OK(t, raw_fill_events(&t->cx, t->conn, 1234, &affected));
    QT_INT(t, affected, 1234);
    QT_OK(t, raw_fill_events(&t->cx, t->conn, 0, &affected));
    QT_INT(t, affected, 0);
    Event e;
    QT_OK(t, event_get(&t->cx, t->conn, 1234, &e, &t->arena));
    QT_STR(t, e.label, "event");
    QT_OK(t, count_heroes(&t->cx, t->conn, &n));
    QT_INT(t, n, 0);
}

static void test_in_order(void **state)
{
    (void)state;
    tdb_each(queries_create_all, in_order);
}

static void test_per_dialect(void **state)
{
    (void)state;
    tdb_each(queries_create_all, per_dialect);
}

static void test_wrong_shape(void **state)
{
    (void)state;
    tdb_each(queries_create_all, wrong_shape);
}

static void test_conversions(void **state)
{
    (void)state;
    tdb_each(queries_create_all, conversions);
}

static void test_raw_exec(void **state)
{
    (void)state;
    tdb_each(queries_create_all, raw_exec);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_in_order),
        cmocka_unit_test(test_conversions),
        cmocka_unit_test(test_per_dialect),
        cmocka_unit_test(test_wrong_shape),
        cmocka_unit_test(test_raw_exec),
    };
    return tdb_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
