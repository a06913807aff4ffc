/*
 * test_q_plan.c: generated queries use their indexes, on every dialect.
 * The order of NULLs is pinned (first ascending, last descending, DESIGN
 * 5.2); PostgreSQL sorts them the other way by default, so its query says
 * NULLS FIRST, and only an index built NULLS FIRST serves that order
 * (backwards for the descending one) instead of a sort of every row.
 * Typed placeholders ($1::text against a varchar column) keep an
 * equality on an indexed column an index scan.
 *
 * Each body fills 100,000 readings, has the database gather statistics,
 * runs the generated function (checking its rows), captures the SQL it
 * sent through the trace hook, and asserts on the plan the database gives
 * for that SQL: PostgreSQL an Index Scan and no Sort, SQLite no "USE TEMP
 * B-TREE FOR ORDER BY", MariaDB the index and no "Using filesort".
 */
#include "qtest.h"

enum { ROWS = 100000 };

/* The SQL of the last statement traced. */
typedef struct captured {
    char sql[2048];
} captured;

static void capture(void *ud, const sm_trace *tr)
{
    captured *c = ud;
    snprintf(c->sql, sizeof c->sql, "%s", tr->sql);
}

static void fill(tdb *t)
{
    int64_t affected = 0;
    for (int64_t d = 0; d < 10; d++)
        TDB_MUST(t, digit_insert(&t->cx, t->conn, &(Digit){d}));
    TDB_MUST(t, raw_fill_readings(&t->cx, t->conn, ROWS, &affected));
    QT_INT(t, affected, ROWS);
    const char *analyze = t->d == SM_MYSQL ? "ANALYZE TABLE reading"
                        : t->d == SM_POSTGRES ? "ANALYZE reading" : "ANALYZE";
    if (t->d == SM_MYSQL) { /* ANALYZE TABLE returns a row */
        sm_rows *r;
        TDB_MUST(t, sm_query(&t->cx, t->conn, analyze, NULL, 0, &r));
        while (sm_rows_next(r) == SM_ROW)
            ;
        sm_rows_close(r);
    } else {
        TDB_MUST(t, sm_exec(&t->cx, t->conn, analyze, NULL, 0, NULL));
    }
}

/* The plan of sql (its one placeholder, if any, replaced by literal) as
 * one text: each row's columns as name=value joined by " | ", one row a
 * line. */
static const char *plan(tdb *t, const char *sql, const char *literal, sm_buf *out)
{
    sm_buf q = SM_BUF_INIT;
    QT_TRUE(t, sm_buf_puts(&q, t->d == SM_SQLITE ? "EXPLAIN QUERY PLAN " : "EXPLAIN ") == SM_OK);
    for (const char *p = sql; *p; p++) {
        if (literal && (*p == '?' || (*p == '$' && p[1] == '1'))) {
            QT_TRUE(t, sm_buf_puts(&q, literal) == SM_OK);
            p += *p == '$';
        } else {
            QT_TRUE(t, sm_buf_putc(&q, *p) == SM_OK);
        }
    }
    sm_rows *r = NULL;
    sm_buf_reset(out);
    if (QT_OK(t, sm_query(&t->cx, t->conn, q.data, NULL, 0, &r))) {
        while (sm_rows_next(r) == SM_ROW) {
            for (int i = 0; i < sm_rows_ncols(r); i++) {
                const char *v = sm_rows_is_null(r, i) ? "NULL" : sm_rows_text(r, i);
                QT_TRUE(t, sm_buf_printf(out, "%s%s=%s", i ? " | " : "", sm_rows_name(r, i), v) ==
                               SM_OK);
            }
            QT_TRUE(t, sm_buf_putc(out, '\n') == SM_OK);
        }
        sm_rows_close(r);
    }
    sm_buf_free(&q);
    return out->data ? out->data : "";
}

/* The plan uses index ix and sorts nothing. */
static void uses_index(tdb *t, const char *what, const char *plan_text, const char *ix)
{
    bool used, sorted;
    if (t->d == SM_POSTGRES) {
        used = strstr(plan_text, "Index Scan") && strstr(plan_text, ix);
        sorted = strstr(plan_text, "Sort") != NULL;
    } else if (t->d == SM_SQLITE) {
        used = strstr(plan_text, ix) != NULL;
        sorted = strstr(plan_text, "USE TEMP B-TREE FOR ORDER BY") != NULL;
    } else { /* the index chosen, not only a possible one */
        char key[64];
        snprintf(key, sizeof key, "key=%s |", ix);
        used = strstr(plan_text, key) != NULL;
        sorted = strstr(plan_text, "Using filesort") != NULL;
    }
    if (tdb_check(t, __FILE__, __LINE__, what, used && !sorted, "plan:\n%s", plan_text))
        print_message("    %s, on %s:\n%s", what, t->name, plan_text);
}

static void ordered(tdb *t)
{
    captured c;
    sm_buf out = SM_BUF_INIT;
    Reading_list rs;
    fill(t);
    sm_conn_set_trace(t->conn, capture, &c);

    /* Ascending: the NULLs (every tenth row) first, then 1, 2, 3, ... */
    if (QT_OK(t, lowest_readings(&t->cx, t->conn, &rs, &t->arena)) && QT_INT(t, rs.len, 10))
        for (size_t i = 0; i < rs.len; i++)
            QT_TRUE(t, !rs.items[i].has_value);
    uses_index(t, "order by value limit 10", plan(t, c.sql, NULL, &out), "ix_reading_value");

    /* Descending: the largest values first, NULLs last. */
    if (QT_OK(t, highest_readings(&t->cx, t->conn, &rs, &t->arena)) && QT_INT(t, rs.len, 10)) {
        QT_TRUE(t, rs.items[0].has_value && rs.items[9].has_value);
        QT_INT(t, rs.items[0].value, ROWS - 1);
        QT_INT(t, rs.items[9].value, ROWS - 11); /* 99990 is a NULL row */
    }
    uses_index(t, "order by value desc limit 10", plan(t, c.sql, NULL, &out), "ix_reading_value");

    /* An equality with a text parameter on a bounded text column. */
    if (QT_OK(t, reading_coded(&t->cx, t->conn, "r4321", &rs, &t->arena)) && QT_INT(t, rs.len, 1))
        QT_INT(t, rs.items[0].value, 4321);
    uses_index(t, "where code == :code", plan(t, c.sql, "'r4321'", &out), "ix_reading_code");

    sm_conn_set_trace(t->conn, NULL, NULL);
    sm_buf_free(&out);
}

static void test_ordered(void **state)
{
    (void)state;
    tdb_each(queries_create_all, ordered);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ordered),
    };
    return tdb_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
