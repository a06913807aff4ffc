/*
 * test_q_expr.c: select-list expressions and result order on every
 * dialect: arithmetic on int, float and decimal (`/` is float division),
 * lower/upper/length/coalesce, several order keys, NULLs first/last and
 * the pinned default (NULL sorts as the smallest value), limit, offset,
 * offset without limit, distinct.
 */
#include "qtest.h"

static void int_arithmetic(tdb *t)
{
    IntMath m;
    qt_seed(t);
    /* Hero 5 is 35. */
    if (QT_OK(t, int_math(&t->cx, t->conn, 5, 5, &m, &t->arena))) {
        QT_INT(t, m.id, 5);
        QT_TRUE(t, m.has_next && m.has_minus && m.has_twice && m.has_neg && m.has_half &&
                       m.has_grouped);
        QT_INT(t, m.next, 36);
        QT_INT(t, m.minus, 30);
        QT_INT(t, m.twice, 70);
        QT_INT(t, m.neg, -35);
        QT_REAL(t, m.half, 17.5);
        QT_REAL(t, m.seven_halves, 3.5);
        QT_INT(t, m.grouped, 111);
        /* Signs in a row stay apart ("--" starts an SQL comment). */
        QT_INT(t, m.unneg, 35);
        QT_INT(t, m.two, 2);
    }
    /* Hero 1 has no age: every expression over it is NULL. */
    if (QT_OK(t, int_math(&t->cx, t->conn, 1, 5, &m, &t->arena))) {
        QT_INT(t, m.id, 1);
        QT_TRUE(t, !m.has_next && !m.has_minus && !m.has_twice && !m.has_neg && !m.has_half &&
                       !m.has_grouped);
        QT_REAL(t, m.seven_halves, 3.5);
    }
    /* `-> T?` without a row. */
    QT_RC(t, int_math(&t->cx, t->conn, 99, 5, &m, &t->arena), SM_NOTFOUND);
    QT_ZERO(t, m);
}

static void float_arithmetic(tdb *t)
{
    FloatMath m;
    qt_seed(t);
    /* Hero 6: rating 2.5, age 36. */
    if (QT_OK(t, float_math(&t->cx, t->conn, 6, &m, &t->arena))) {
        QT_TRUE(t, m.has_twice && m.has_mixed && m.has_quarter && m.has_less);
        QT_REAL(t, m.twice, 5.0);
        QT_REAL(t, m.mixed, 38.5);
        QT_REAL(t, m.quarter, 0.625);
        QT_REAL(t, m.less, 2.0);
    }
    /* Hero 1: rating 4.5, no age. */
    if (QT_OK(t, float_math(&t->cx, t->conn, 1, &m, &t->arena))) {
        QT_TRUE(t, m.has_twice && !m.has_mixed && m.has_quarter && m.has_less);
        QT_REAL(t, m.twice, 9.0);
        QT_REAL(t, m.quarter, 1.125);
        QT_REAL(t, m.less, 4.0);
    }
    /* Hero 2: no rating. */
    if (QT_OK(t, float_math(&t->cx, t->conn, 2, &m, &t->arena)))
        QT_TRUE(t, !m.has_twice && !m.has_mixed && !m.has_quarter && !m.has_less);
}

static void decimal_arithmetic(tdb *t)
{
    DecimalMath m;
    qt_seed(t);
    /* Hero 3: salary 2500.50, age 48, rating 3.0. */
    if (QT_OK(t, decimal_math(&t->cx, t->conn, 3, &m, &t->arena))) {
        QT_TRUE(t, m.has_raised && m.has_cut && m.has_doubled && m.has_by_age && m.has_quarter &&
                       m.has_mixed);
        QT_INT(t, m.raised, 250150);    /* salary + 1 = 2501.50 */
        QT_REAL(t, m.cut, 2500.25);     /* salary - 0.25 (a float literal: float) */
        QT_INT(t, m.doubled, 500100);   /* salary * 2 = 5001.00 */
        QT_INT(t, m.by_age, 12002400);  /* salary * age = 120024.00 */
        QT_REAL(t, m.quarter, 625.125); /* salary / 4 */
        QT_REAL(t, m.mixed, 2503.5);    /* salary + rating */
        QT_INT(t, m.salary_or, 250050);
    }
    /* Hero 5: salary 1200.25, age 35, no rating. */
    if (QT_OK(t, decimal_math(&t->cx, t->conn, 5, &m, &t->arena))) {
        QT_TRUE(t, m.has_raised && m.has_cut && m.has_doubled && m.has_by_age && m.has_quarter &&
                       !m.has_mixed);
        QT_INT(t, m.raised, 120125);
        QT_REAL(t, m.cut, 1200.0);
        QT_INT(t, m.doubled, 240050);
        QT_INT(t, m.by_age, 4200875);
        QT_REAL(t, m.quarter, 300.0625);
        QT_INT(t, m.salary_or, 120025);
    }
    /* Hero 2: no salary; coalesce(salary, 1) is 1.00. */
    if (QT_OK(t, decimal_math(&t->cx, t->conn, 2, &m, &t->arena))) {
        QT_TRUE(t, !m.has_raised && !m.has_cut && !m.has_doubled && !m.has_by_age &&
                       !m.has_quarter && !m.has_mixed);
        QT_INT(t, m.salary_or, 100);
    }
}

static void decimal_conversions(tdb *t)
{
    int64_t n = 0, affected = 0;
    SalarySquared sq;
    SalaryOf s;
    qt_seed(t);
    /* Salaries: 1000.00, 2500.50, 1200.25, 800.00, 3000.00, 999.99, three NULL. */
    if (QT_OK(t, salary_above(&t->cx, t->conn, 1000, &n)))
        QT_INT(t, n, 3);
    if (QT_OK(t, salary_between(&t->cx, t->conn, &n)))
        QT_INT(t, n, 3);
    if (QT_OK(t, salary_fine(&t->cx, t->conn, &n)))
        QT_INT(t, n, 3);
    if (QT_OK(t, salary_signed(&t->cx, t->conn, &n)))
        QT_INT(t, n, 6);
    /* 2500.50 > 900, 800 > 750, 3000 > 1500; 1000 < 1350, 999.99 < 1050. */
    if (QT_OK(t, salary_vs_rating(&t->cx, t->conn, &n)))
        QT_INT(t, n, 3);
    /* 1200.25² = 1440600.0625 */
    if (QT_OK(t, salary_squared(&t->cx, t->conn, 5, &sq, &t->arena)) && QT_TRUE(t, sq.has_sq))
        QT_INT(t, sq.sq, 14406000625);
    if (QT_OK(t, salary_set(&t->cx, t->conn, 5, 1234, &affected)) && QT_INT(t, affected, 1) &&
        QT_OK(t, salary_of(&t->cx, t->conn, "Black Lion", &s, &t->arena)) && QT_TRUE(t, s.has_salary))
        QT_INT(t, s.salary, 123400);
    if (QT_OK(t, salary_bump(&t->cx, t->conn, 5, &affected)) &&
        QT_OK(t, salary_of(&t->cx, t->conn, "Black Lion", &s, &t->arena)) && QT_TRUE(t, s.has_salary))
        QT_INT(t, s.salary, 124400);
    if (QT_OK(t, add_paid(&t->cx, t->conn, "Paid", &affected)) &&
        QT_OK(t, salary_of(&t->cx, t->conn, "Paid", &s, &t->arena)) && QT_TRUE(t, s.has_salary))
        QT_INT(t, s.salary, 700);
}

static void functions(tdb *t)
{
    TextFuncs f;
    qt_seed(t);
    if (QT_OK(t, text_funcs(&t->cx, t->conn, 3, &f, &t->arena))) {
        QT_STR(t, f.lo, "rusty-man");
        QT_STR(t, f.up, "RUSTY-MAN");
        QT_INT(t, f.name_len, 9);
        QT_INT(t, f.secret_len, 11);
        QT_INT(t, f.age_or, 48);
        QT_TRUE(t, f.has_rating_or_age);
        QT_REAL(t, f.rating_or_age, 3.0);
        QT_REAL(t, f.r, 3.0);
    }
    /* length counts characters: 11 in 14 bytes, 5 in 15 bytes.  (lower
     * and upper of non-ASCII letters differ between databases: SQLite
     * folds ASCII only.) */
    if (QT_OK(t, text_funcs(&t->cx, t->conn, 8, &f, &t->arena))) {
        QT_INT(t, f.name_len, 11);
        QT_INT(t, f.secret_len, 5);
        QT_INT(t, f.age_or, 27);
    }
    /* coalesce: the first non-NULL argument, NULL when all are. */
    if (QT_OK(t, text_funcs(&t->cx, t->conn, 5, &f, &t->arena))) {
        QT_INT(t, f.age_or, 35);
        QT_TRUE(t, f.has_rating_or_age);
        QT_REAL(t, f.rating_or_age, 35.0);
        QT_REAL(t, f.r, 0.0);
    }
    if (QT_OK(t, text_funcs(&t->cx, t->conn, 2, &f, &t->arena))) {
        QT_STR(t, f.lo, "spider-boy");
        QT_STR(t, f.up, "SPIDER-BOY");
        QT_INT(t, f.age_or, -1);
        QT_TRUE(t, !f.has_rating_or_age);
        QT_REAL(t, f.r, 0.0);
    }
}

static void ordering(tdb *t)
{
    HeroRef_list l;
    qt_seed(t);
    /* Ages: 1 and 2 NULL, 3:48 4:32 5:35 6:36 7:93 8:27 9:41. */
    QT_OK(t, by_power_age(&t->cx, t->conn, &l, &t->arena));
    QT_REFS(t, l, "7 1 4 8 2 3 5 9 6");
    /* The pinned default: NULL is the smallest value. */
    QT_OK(t, by_age_default(&t->cx, t->conn, &l, &t->arena));
    QT_REFS(t, l, "1 2 8 4 5 6 9 3 7");
    QT_OK(t, by_age_desc_default(&t->cx, t->conn, &l, &t->arena));
    QT_REFS(t, l, "7 3 9 6 5 4 8 1 2");
    QT_OK(t, by_age_nulls_last(&t->cx, t->conn, &l, &t->arena));
    QT_REFS(t, l, "8 4 5 6 9 3 7 1 2");
    QT_OK(t, by_age_desc_nulls_first(&t->cx, t->conn, &l, &t->arena));
    QT_REFS(t, l, "1 2 7 3 9 6 5 4 8");
    QT_OK(t, by_age_asc_nulls_first(&t->cx, t->conn, &l, &t->arena));
    QT_REFS(t, l, "2 1 8 4 5 6 9 3 7");
    QT_OK(t, by_age_desc_nulls_last(&t->cx, t->conn, &l, &t->arena));
    QT_REFS(t, l, "7 3 9 6 5 4 8 1 2");
}

static void limits(tdb *t)
{
    HeroRef_list l;
    qt_seed(t);
    QT_OK(t, page(&t->cx, t->conn, 3, 2, &l, &t->arena));
    QT_REFS(t, l, "3 4 5");
    QT_OK(t, page(&t->cx, t->conn, 10, 7, &l, &t->arena));
    QT_REFS(t, l, "8 9");
    QT_OK(t, page(&t->cx, t->conn, 0, 0, &l, &t->arena));
    QT_REFS(t, l, "");
    QT_OK(t, page(&t->cx, t->conn, 5, 9, &l, &t->arena));
    QT_REFS(t, l, "");
    QT_OK(t, first_n(&t->cx, t->conn, 2, &l, &t->arena));
    QT_REFS(t, l, "1 2");
    QT_OK(t, first_n(&t->cx, t->conn, 100, &l, &t->arena));
    QT_REFS(t, l, "1 2 3 4 5 6 7 8 9");
    /* offset without limit. */
    QT_OK(t, skip_only(&t->cx, t->conn, 7, &l, &t->arena));
    QT_REFS(t, l, "8 9");
    QT_OK(t, skip_only(&t->cx, t->conn, 0, &l, &t->arena));
    QT_REFS(t, l, "1 2 3 4 5 6 7 8 9");
    QT_OK(t, skip_only(&t->cx, t->conn, 100, &l, &t->arena));
    QT_REFS(t, l, "");
}

static void distinct(tdb *t)
{
    PowerRow_list p;
    TeamIdRow_list k;
    qt_seed(t);
    if (QT_OK(t, distinct_powers(&t->cx, t->conn, &p, &t->arena)) && QT_INT(t, p.len, 4)) {
        QT_INT(t, p.items[0].power, POWER_FLIGHT);
        QT_INT(t, p.items[1].power, POWER_SPEED);
        QT_INT(t, p.items[2].power, POWER_STRENGTH);
        QT_INT(t, p.items[3].power, POWER_TELEPATHY);
    }
    /* NULL is one value, and sorts first. */
    if (QT_OK(t, distinct_teams(&t->cx, t->conn, &k, &t->arena)) && QT_INT(t, k.len, 3)) {
        QT_TRUE(t, !k.items[0].has_team_id && k.items[0].team_id == 0);
        QT_TRUE(t, k.items[1].has_team_id && k.items[1].team_id == 1);
        QT_TRUE(t, k.items[2].has_team_id && k.items[2].team_id == 2);
    }
}

static void test_int_arithmetic(void **state)
{
    (void)state;
    tdb_each(queries_create_all, int_arithmetic);
}

static void test_float_arithmetic(void **state)
{
    (void)state;
    tdb_each(queries_create_all, float_arithmetic);
}

static void test_decimal_arithmetic(void **state)
{
    (void)state;
    tdb_each(queries_create_all, decimal_arithmetic);
}

static void test_decimal_conversions(void **state)
{
    (void)state;
    tdb_each(queries_create_all, decimal_conversions);
}

static void test_functions(void **state)
{
    (void)state;
    tdb_each(queries_create_all, functions);
}

static void test_ordering(void **state)
{
    (void)state;
    tdb_each(queries_create_all, ordering);
}

static void test_limits(void **state)
{
    (void)state;
    tdb_each(queries_create_all, limits);
}

static void test_distinct(void **state)
{
    (void)state;
    tdb_each(queries_create_all, distinct);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_int_arithmetic),
        cmocka_unit_test(test_float_arithmetic),
        cmocka_unit_test(test_decimal_arithmetic),
        cmocka_unit_test(test_decimal_conversions),
        cmocka_unit_test(test_functions),
        cmocka_unit_test(test_ordering),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_distinct),
    };
    return tdb_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
