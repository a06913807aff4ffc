/*
 * test_q_param.c: parameters of int, float and decimal type in
 * arithmetic, with columns, literals and each other, on every dialect,
 * with exact results.  PostgreSQL receives parameters as text and, unless
 * the SQL types each placeholder, guesses the type from the context: an
 * integer beside an integer column even for 0.5 (22P02), no type at all
 * for `:i + :f`.
 */
#include "qtest.h"

static void mixed(tdb *t)
{
    ParamMath m;
    qt_seed(t);
    /* Hero 3: age 48, rating 3.0, salary 2500.50; i 3, f 0.5, d 1.25. */
    if (QT_OK(t, param_math(&t->cx, t->conn, 3, 3, 0.5, 125, &m, &t->arena))) {
        QT_TRUE(t, m.has_age_i && m.has_age_f && m.has_salary_d && m.has_salary_f &&
                       m.has_salary_i && m.has_rating_d);
        QT_INT(t, m.age_i, 51);
        QT_REAL(t, m.age_f, 24.0);
        QT_INT(t, m.salary_d, 250175);  /* 2501.75 */
        QT_REAL(t, m.salary_f, 1250.25);
        QT_INT(t, m.salary_i, 750150);  /* 7501.50 */
        QT_REAL(t, m.i_f, 3.5);
        QT_INT(t, m.i_d, 375);          /* 3.75 */
        QT_REAL(t, m.d_lit, 1.0);
        QT_INT(t, m.d_int, 225);        /* 2.25 */
        QT_REAL(t, m.f_lit, 1.0);
        QT_INT(t, m.i_lit, 2);
        QT_REAL(t, m.rating_d, 3.75);
        QT_REAL(t, m.d_div, 1.25 / 3);
    }
    /* Hero 2: no age, rating or salary; parameters alone still compute. */
    if (QT_OK(t, param_math(&t->cx, t->conn, 2, -7, -0.25, -1, &m, &t->arena))) {
        QT_TRUE(t, !m.has_age_i && !m.has_age_f && !m.has_salary_d && !m.has_salary_f &&
                       !m.has_salary_i && !m.has_rating_d);
        QT_REAL(t, m.i_f, -7.25);
        QT_INT(t, m.i_d, 7);            /* -7 * -0.01 = 0.07 */
        QT_REAL(t, m.d_lit, -0.26);
        QT_INT(t, m.d_int, 99);         /* 0.99 */
        QT_REAL(t, m.f_lit, -0.5);
        QT_INT(t, m.i_lit, -8);
        QT_REAL(t, m.d_div, -0.01 / -7);
    }
}

static void filters(tdb *t)
{
    int64_t n = -1;
    qt_seed(t);
    /* age > 40.5 and salary < 3000.01: Rusty-Man (48, 2500.50) and
     * Captain North America (93, 3000.00); Mr. 100% (41) has no salary. */
    QT_OK(t, param_filter(&t->cx, t->conn, 40.5, 300001, &n));
    QT_INT(t, n, 2);
    QT_OK(t, param_filter(&t->cx, t->conn, 47.999, 250050, &n));
    QT_INT(t, n, 0);
    QT_OK(t, param_filter(&t->cx, t->conn, 47.999, 250051, &n));
    QT_INT(t, n, 1);
}

static void discounts(tdb *t)
{
    int64_t affected = 0;
    SalaryOf s;
    qt_seed(t);
    /* update Hero set salary = salary * (1 - :pct): 2500.50 * 0.9. */
    QT_OK(t, discount(&t->cx, t->conn, 3, 0.1, &affected));
    QT_INT(t, affected, 1);
    if (QT_OK(t, salary_of(&t->cx, t->conn, "Rusty-Man", &s, &t->arena)))
        QT_INT(t, s.salary, 225045);
    /* 1200.25 * 0.5 = 600.125, rounded half away from zero to the column's
     * scale on every database. */
    QT_OK(t, discount(&t->cx, t->conn, 5, 0.5, &affected));
    if (QT_OK(t, salary_of(&t->cx, t->conn, "Black Lion", &s, &t->arena)))
        QT_INT(t, s.salary, 60013);
    /* A raise: 1 - (-0.25). */
    QT_OK(t, discount(&t->cx, t->conn, 6, -0.25, &affected));
    if (QT_OK(t, salary_of(&t->cx, t->conn, "Dr. Weird", &s, &t->arena)))
        QT_INT(t, s.salary, 100000);
    /* No salary stays none. */
    QT_OK(t, discount(&t->cx, t->conn, 2, 0.5, &affected));
    QT_INT(t, affected, 1);
    if (QT_OK(t, salary_of(&t->cx, t->conn, "Spider-Boy", &s, &t->arena)))
        QT_TRUE(t, !s.has_salary);
}

static void test_mixed(void **state)
{
    (void)state;
    tdb_each(queries_create_all, mixed);
}

static void test_filters(void **state)
{
    (void)state;
    tdb_each(queries_create_all, filters);
}

static void test_discounts(void **state)
{
    (void)state;
    tdb_each(queries_create_all, discounts);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mixed),
        cmocka_unit_test(test_filters),
        cmocka_unit_test(test_discounts),
    };
    return tdb_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
