/*
 * test_q_card.c: what each kind of result does on every dialect: -> [T],
 * -> T (SM_NOTFOUND / SM_MULTIPLE with *out zeroed), -> T?, scalars
 * (-> int, float, text, bool, and int? whose NULL is *has == false),
 * -> exec (rows matched: an update that changes nothing still counts)
 * and -> each (every row in order, a non-zero return stops and is
 * returned, other calls on the connection are refused meanwhile).
 */
#include "qtest.h"

/* Fills obj with garbage, so that zeroing on failure shows. */
#define SCRIBBLE(obj) memset(&(obj), 0xA5, sizeof(obj))

static void one_row(tdb *t)
{
    Hero h;
    qt_seed(t);
    Hero want = qt_hero_row(3);
    SCRIBBLE(h);
    QT_OK(t, hero_named(&t->cx, t->conn, "Rusty-Man", &h, &t->arena));
    QT_HERO(t, &h, &want);
    SCRIBBLE(h);
    QT_RC(t, hero_named(&t->cx, t->conn, "Nobody", &h, &t->arena), SM_NOTFOUND);
    QT_ZERO(t, h);
    /* Team 1 has three heroes, team 2 two: more than one. */
    SCRIBBLE(h);
    QT_RC(t, hero_of_team(&t->cx, t->conn, 1, &h, &t->arena), SM_MULTIPLE);
    QT_ZERO(t, h);
    SCRIBBLE(h);
    QT_RC(t, hero_of_team(&t->cx, t->conn, 2, &h, &t->arena), SM_MULTIPLE);
    QT_ZERO(t, h);
    SCRIBBLE(h);
    QT_RC(t, hero_of_team(&t->cx, t->conn, 3, &h, &t->arena), SM_NOTFOUND);
    QT_ZERO(t, h);
    /* The messages say which query and why. */
    QT_RC(t, hero_of_team(&t->cx, t->conn, 1, &h, &t->arena), SM_MULTIPLE);
    QT_TRUE(t, strstr(sm_cx_errmsg(&t->cx), "hero_of_team") != NULL);
    /* SM_NOTFOUND and SM_MULTIPLE are not database errors: a transaction
     * goes on. */
    QT_OK(t, sm_begin(&t->cx, t->conn));
    QT_RC(t, hero_of_team(&t->cx, t->conn, 1, &h, &t->arena), SM_MULTIPLE);
    QT_RC(t, hero_named(&t->cx, t->conn, "Nobody", &h, &t->arena), SM_NOTFOUND);
    QT_OK(t, hero_named(&t->cx, t->conn, "Rusty-Man", &h, &t->arena));
    QT_OK(t, sm_commit(&t->cx, t->conn));
}

static void optional_row(tdb *t)
{
    Hero h;
    qt_seed(t);
    /* The first row in the query's order. */
    Hero want = qt_hero_row(2);
    SCRIBBLE(h);
    QT_OK(t, first_of_team(&t->cx, t->conn, 1, &h, &t->arena));
    QT_HERO(t, &h, &want);
    want = qt_hero_row(4);
    QT_OK(t, hero_find(&t->cx, t->conn, "Tarantula", &h, &t->arena));
    QT_HERO(t, &h, &want);
    SCRIBBLE(h);
    QT_RC(t, first_of_team(&t->cx, t->conn, 3, &h, &t->arena), SM_NOTFOUND);
    QT_ZERO(t, h);
    SCRIBBLE(h);
    QT_RC(t, hero_find(&t->cx, t->conn, "tarantula", &h, &t->arena), SM_NOTFOUND);
    QT_ZERO(t, h);
}

static void scalars(tdb *t)
{
    int64_t n = -1;
    double f = -1;
    bool b, has;
    const char *s;
    /* An empty table: count 0, coalesce's fallback. */
    QT_OK(t, count_heroes(&t->cx, t->conn, &n));
    QT_INT(t, n, 0);
    QT_OK(t, mean_rating(&t->cx, t->conn, &f));
    QT_REAL(t, f, 0.0);
    qt_seed(t);
    QT_OK(t, count_heroes(&t->cx, t->conn, &n));
    QT_INT(t, n, 9);
    QT_OK(t, count_older(&t->cx, t->conn, 40, &n));
    QT_INT(t, n, 3);
    QT_OK(t, count_older(&t->cx, t->conn, 1000, &n));
    QT_INT(t, n, 0);
    /* (4.5 + 3.0 + 4.0 + 2.5 + 5.0 + 3.5) / 6 */
    QT_OK(t, mean_rating(&t->cx, t->conn, &f));
    QT_REAL(t, f, 3.75);
    s = "garbage";
    QT_OK(t, secret_of(&t->cx, t->conn, 8, &s, &t->arena));
    QT_STR(t, s, qt_heroes[7].secret);
    s = "garbage";
    QT_RC(t, secret_of(&t->cx, t->conn, 99, &s, &t->arena), SM_NOTFOUND);
    QT_STR(t, s, NULL);
    /* Six heroes are over 30. */
    b = false;
    QT_OK(t, many_older(&t->cx, t->conn, 30, 5, &b));
    QT_TRUE(t, b);
    QT_OK(t, many_older(&t->cx, t->conn, 30, 6, &b));
    QT_TRUE(t, !b);

    /* int?: NULL is *has == false with SM_OK; no row is SM_NOTFOUND. */
    n = -1;
    has = false;
    QT_OK(t, oldest_in(&t->cx, t->conn, 1, &n, &has));
    QT_TRUE(t, has);
    QT_INT(t, n, 93);
    n = -1;
    has = true;
    QT_OK(t, oldest_in(&t->cx, t->conn, 3, &n, &has));
    QT_TRUE(t, !has);
    QT_INT(t, n, 0);
    n = -1;
    has = true;
    QT_OK(t, age_of(&t->cx, t->conn, 1, &n, &has));
    QT_TRUE(t, !has);
    QT_INT(t, n, 0);
    QT_OK(t, age_of(&t->cx, t->conn, 8, &n, &has));
    QT_TRUE(t, has);
    QT_INT(t, n, 27);
    n = -1;
    has = true;
    QT_RC(t, age_of(&t->cx, t->conn, 99, &n, &has), SM_NOTFOUND);
    QT_TRUE(t, !has);
    QT_INT(t, n, 0);
    /* has may be NULL. */
    QT_OK(t, age_of(&t->cx, t->conn, 8, &n, NULL));
    QT_INT(t, n, 27);
}

static void exec_counts(tdb *t)
{
    int64_t affected = -1;
    bool has;
    int64_t age;
    qt_seed(t);
    QT_OK(t, set_power(&t->cx, t->conn, 1, POWER_SPEED, &affected));
    QT_INT(t, affected, 3);
    /* Nothing changes the second time; the rows still match. */
    affected = -1;
    QT_OK(t, set_power(&t->cx, t->conn, 1, POWER_SPEED, &affected));
    QT_INT(t, affected, 3);
    affected = -1;
    QT_OK(t, set_power(&t->cx, t->conn, 3, POWER_SPEED, &affected));
    QT_INT(t, affected, 0);
    QT_OK(t, set_power(&t->cx, t->conn, 2, POWER_FLIGHT, NULL));
    /* NULL + 1 is NULL: hero 1 matches, its age stays NULL. */
    QT_OK(t, birthday(&t->cx, t->conn, 2, &affected));
    QT_INT(t, affected, 2);
    QT_OK(t, age_of(&t->cx, t->conn, 6, &age, &has));
    QT_INT(t, age, 37);
    QT_OK(t, age_of(&t->cx, t->conn, 1, &age, &has));
    QT_TRUE(t, !has);
    HeroRef_list l;
    Power speed = POWER_SPEED;
    QT_OK(t, heroes_filter(&t->cx, t->conn, NULL, NULL, &speed, NULL, &l, &t->arena));
    QT_REFS(t, l, "2 3 4 7 8");
    /* A failed statement reports no count. */
    affected = -1;
    QT_RC(t, add_team(&t->cx, t->conn, "Preventers", "Elsewhere", &affected), SM_CONSTRAINT);
    QT_INT(t, affected, 0);
}

/* ---- -> each ------------------------------------------------------------------ */

typedef struct collect {
    tdb *t;
    int64_t ids[64];
    int64_t ns[64];
    size_t n;
    size_t stop_after; /* 0: never */
    int stop_with;
    int inner_rc;      /* what another call on the connection returned */
} collect;

static int on_event(void *ud, const EventN *row)
{
    collect *c = ud;
    if (c->n < 64) {
        c->ids[c->n] = row->id;
        c->ns[c->n] = row->n;
    }
    c->n++;
    if (c->n == 1) {
        int64_t count;
        c->inner_rc = count_heroes(&c->t->cx, c->t->conn, &count);
    }
    return c->stop_after && c->n == c->stop_after ? c->stop_with : 0;
}

static int count_full(void *ud, const Event *row)
{
    collect *c = ud;
    if (c->n < 64) {
        c->ids[c->n] = row->id;
        c->ns[c->n] = row->label && strcmp(row->label, "event") == 0 ? row->n : -1;
    }
    c->n++;
    return 0;
}

static void each_rows(tdb *t)
{
    for (int64_t d = 0; d < 10; d++)
        TDB_MUST(t, digit_insert(&t->cx, t->conn, &(Digit){d}));
    int64_t affected;
    TDB_MUST(t, raw_fill_events(&t->cx, t->conn, 1000, &affected));
    QT_INT(t, affected, 1000);

    /* Every row, in order; whole model rows. */
    collect c = {.t = t};
    QT_OK(t, events(&t->cx, t->conn, count_full, &c));
    QT_INT(t, c.n, 1000);
    bool ordered = true;
    for (size_t i = 0; i < 64; i++)
        ordered &= c.ids[i] == (int64_t)i + 1 && c.ns[i] >= 0;
    QT_TRUE(t, ordered);

    /* Stop after 4 rows: the value comes back; the other call made
     * during the iteration was refused. */
    memset(&c, 0, sizeof c);
    c.t = t;
    c.stop_after = 4;
    c.stop_with = 42;
    QT_RC(t, event_ns(&t->cx, t->conn, 990, on_event, &c), 42);
    QT_INT(t, c.n, 4);
    QT_RC(t, c.inner_rc, SM_MISUSE);
    for (size_t i = 0; i < 4 && i < c.n; i++)
        QT_INT(t, c.ns[i], 990 + (int64_t)i);
    /* The connection is usable at once, the unread rows gone. */
    int64_t count = -1;
    QT_OK(t, count_heroes(&t->cx, t->conn, &count));
    QT_INT(t, count, 0);
    memset(&c, 0, sizeof c);
    c.t = t;
    QT_OK(t, event_ns(&t->cx, t->conn, 995, on_event, &c));
    QT_INT(t, c.n, 5);
    QT_RC(t, c.inner_rc, SM_MISUSE);
    /* No rows: fn never runs. */
    memset(&c, 0, sizeof c);
    QT_OK(t, event_ns(&t->cx, t->conn, 5000, on_event, &c));
    QT_INT(t, c.n, 0);
}

/* No callback is a misuse, reported like every other. */
static void each_without_callback(tdb *t)
{
    QT_RC(t, event_ns(&t->cx, t->conn, 0, NULL, NULL), SM_MISUSE);
    QT_RC(t, events(&t->cx, t->conn, NULL, NULL), SM_MISUSE);
    int64_t count = -1;
    QT_OK(t, count_heroes(&t->cx, t->conn, &count));
    QT_INT(t, count, 0);
}

static void test_one_row(void **state)
{
    (void)state;
    tdb_each(queries_create_all, one_row);
}

static void test_optional_row(void **state)
{
    (void)state;
    tdb_each(queries_create_all, optional_row);
}

static void test_scalars(void **state)
{
    (void)state;
    tdb_each(queries_create_all, scalars);
}

static void test_exec_counts(void **state)
{
    (void)state;
    tdb_each(queries_create_all, exec_counts);
}

static void test_each(void **state)
{
    (void)state;
    tdb_each(queries_create_all, each_rows);
}

/* On an empty table: with a row to call it on, a NULL fn would crash
 * where the generated wrapper's trampoline calls it. */
static void test_each_without_callback(void **state)
{
    (void)state;
    tdb_each(queries_create_all, each_without_callback);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_row),
        cmocka_unit_test(test_optional_row),
        cmocka_unit_test(test_scalars),
        cmocka_unit_test(test_exec_counts),
        cmocka_unit_test(test_each),
        cmocka_unit_test(test_each_without_callback),
    };
    return tdb_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
