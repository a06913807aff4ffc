/*
 * test_eager.c: eager loads in queries (sm_query_desc.loads) and the
 * keys of an emulated RETURNING, over rel_query.c, on every dialect:
 * a list with a nested load, one optional row with two loads, `-> each`
 * with a load in batches (bounded memory and a statement count that
 * grows with the batches, not the rows), stopping early, and an update
 * returning rows of a text key.
 */
#include "tdb.h"

#include "rel_data.h"
#include "rel_query.h"

#include <malloc.h>

static uint64_t statements(tdb *t)
{
    return sm_conn_stat(t->conn).statements;
}

static void list_nested(tdb *t)
{
    rel_seed(t);
    int64_t h1 = 1, h2 = 2, t2 = 2, t3 = 3;
    expect_ok(t, sm_rel_link(&t->cx, t->conn, &hero_rels[HERO_TEAMS], &h1, &t3));
    expect_ok(t, sm_rel_link(&t->cx, t->conn, &hero_rels[HERO_TEAMS], &h1, &t2));
    expect_ok(t, sm_rel_link(&t->cx, t->conn, &hero_rels[HERO_TEAMS], &h2, &t2));
    Team_list ts;
    uint64_t s0 = statements(t);
    expect_ok(t, sm_query_rows(&t->cx, t->conn, &teams_loaded_q, 0, NULL, &ts, &t->arena));
    assert_int_equal(statements(t) - s0, 3); /* the teams, their heroes, the heroes' teams */
    assert_int_equal(ts.len, 3);
    Hero_list *hs = &ts.items[0].heroes;
    assert_int_equal(hs->len, 2);
    assert_int_equal(hs->items[0].id, 1);
    assert_int_equal(hs->items[0].teams.len, 2);
    assert_int_equal(hs->items[0].teams.items[0].id, 2);
    assert_int_equal(hs->items[0].teams.items[1].id, 3);
    assert_non_null(hs->items[1].teams.items); /* hero 3: loaded, none */
    assert_int_equal(hs->items[1].teams.len, 0);
    assert_int_equal(ts.items[1].heroes.items[0].teams.len, 1);
    assert_non_null(ts.items[2].heroes.items);
    assert_int_equal(ts.items[2].heroes.len, 0);
}

/* The statements do not depend on the rows: 10 and 100 teams of 10. */
static void list_counts(tdb *t)
{
    rel_seed_teams(t, 100, 100, 10);
    Team_list ts;
    uint64_t s0 = statements(t);
    expect_ok(t, sm_query_rows(&t->cx, t->conn, &teams_loaded_q, 0, NULL, &ts, &t->arena));
    assert_int_equal(statements(t) - s0, 3);
    assert_int_equal(ts.len, 100);
    for (size_t i = 0; i < ts.len; i++) {
        assert_int_equal(ts.items[i].heroes.len, 10);
        assert_int_equal(ts.items[i].heroes.items[9].id, (int64_t)(i * 10 + 10));
    }
}

static void optional_row(tdb *t)
{
    rel_seed(t);
    hero_by_id_args a = {1};
    Hero h;
    expect_ok(t, sm_query_rows(&t->cx, t->conn, &hero_by_id_q, 0, &a, &h, &t->arena));
    assert_true(h.team_loaded);
    assert_string_equal(h.team->name, "Preventers");
    assert_int_equal(h.pupils.len, 2);
    assert_int_equal(h.pupils.items[1].id, 4);
    assert_false(h.mentor_loaded); /* not asked for */
    a.id = 5;
    expect_ok(t, sm_query_rows(&t->cx, t->conn, &hero_by_id_q, 0, &a, &h, &t->arena));
    assert_true(h.team_loaded);
    assert_null(h.team);
    assert_int_equal(h.pupils.len, 0);
    a.id = 99;
    expect_rc(t, sm_query_rows(&t->cx, t->conn, &hero_by_id_q, 0, &a, &h, &t->arena),
              SM_NOTFOUND);
}

typedef struct seen {
    int64_t rows, heroes, last, stop_at;
    size_t base, peak; /* bytes in use (mallinfo2) */
    bool bad;
} seen;

static size_t in_use(void)
{
    struct mallinfo2 mi = mallinfo2();
    return mi.uordblks + mi.hblkhd;
}

static int on_team(void *ud, const void *row)
{
    seen *s = ud;
    const Team *tm = row;
    if (tm->id != s->last + 1 || !tm->heroes.items)
        s->bad = true;
    s->last = tm->id;
    s->rows++;
    s->heroes += (int64_t)tm->heroes.len;
    for (size_t i = 0; i < tm->heroes.len; i++)
        if (tm->heroes.items[i].team_id != tm->id)
            s->bad = true;
    if (s->rows % 500 == 0) {
        size_t u = in_use();
        if (u > s->peak)
            s->peak = u;
    }
    return s->rows == s->stop_at ? 7 : 0;
}

static seen each_upto(tdb *t, int64_t upto, uint64_t *stmts)
{
    seen s = {0};
    each_team_args a = {upto};
    s.base = s.peak = in_use();
    uint64_t s0 = statements(t);
    expect_ok(t, sm_query_each(&t->cx, t->conn, &each_team_q, 0, &a, on_team, &s));
    *stmts = statements(t) - s0;
    assert_false(s.bad);
    assert_int_equal(s.rows, upto);
    return s;
}

/* 100,000 teams, the first 1,000 with 5 heroes each. */
static void each_bounded(tdb *t)
{
    rel_seed_teams(t, 100000, 1000, 5);
    uint64_t small_stmts, big_stmts;
    seen small = each_upto(t, 10000, &small_stmts);
    seen big = each_upto(t, 100000, &big_stmts);
    assert_int_equal(small.heroes, 5000);
    assert_int_equal(big.heroes, 5000);
    /* One statement for the teams, one load per batch of 256 (and the
     * transaction's own, the same for both). */
    assert_int_equal(big_stmts - small_stmts, (100000 + 255) / 256 - (10000 + 255) / 256);
    size_t grow_small = small.peak - small.base, grow_big = big.peak - big.base;
    print_message("  %s: in use while iterating: %zu bytes over 10k rows, %zu over 100k\n",
                  t->name, grow_small, grow_big);
    /* Ten times the rows, not ten times the memory: within 256 KiB.
     * (Under ASan, whose allocator glibc does not see, both read 0: the
     * bound is measured by the plain build.) */
    assert_true(grow_big <= grow_small + 256 * 1024);
    /* Stopping early: the callback's value, the connection usable. */
    seen s = {0};
    s.stop_at = 300;
    each_team_args a = {100000};
    assert_int_equal(sm_query_each(&t->cx, t->conn, &each_team_q, 0, &a, on_team, &s), 7);
    assert_int_equal(s.rows, 300);
    assert_int_equal(tdb_count(t, "teams"), 100000);
}

/* Inside a transaction of the caller's: a savepoint, which stays usable. */
static void each_in_tx(tdb *t)
{
    rel_seed_teams(t, 600, 10, 3);
    expect_ok(t, sm_begin(&t->cx, t->conn));
    uint64_t n;
    seen s = each_upto(t, 600, &n);
    assert_int_equal(s.heroes, 30);
    TDB_MUST(t, tdb_exec(t, "INSERT INTO teams (id, name) VALUES (601, 'late')", NULL, 0));
    expect_ok(t, sm_commit(&t->cx, t->conn));
    assert_int_equal(tdb_count(t, "teams"), 601);
}

/* A load that the database refuses midway through `-> each` (the rows
 * read through a cursor on PostgreSQL): the error, no row seen, and the
 * transaction or savepoint of the call undone, so that the connection
 * goes on, and the caller's transaction from a savepoint of its own (the
 * error fails the transaction around the call, DESIGN 4.4). */
static void each_load_fails(tdb *t)
{
    rel_seed_teams(t, 600, 10, 3);
    each_team_args a = {600};
    seen s = {0};
    expect_rc(t, sm_query_each(&t->cx, t->conn, &each_doomed_q, 0, &a, on_team, &s), SM_ERROR);
    assert_int_equal(s.rows, 0);
    expect_ok(t, sm_begin(&t->cx, t->conn)); /* no transaction was left open */
    expect_ok(t, sm_savepoint(&t->cx, t->conn, "before"));
    expect_rc(t, sm_query_each(&t->cx, t->conn, &each_doomed_q, 0, &a, on_team, &s), SM_ERROR);
    assert_int_equal(s.rows, 0);
    expect_ok(t, sm_rollback_to(&t->cx, t->conn, "before"));
    TDB_MUST(t, tdb_exec(t, "INSERT INTO teams (id, name) VALUES (601, 'late')", NULL, 0));
    uint64_t n;
    seen ok = each_upto(t, 601, &n);
    assert_int_equal(ok.heroes, 30);
    expect_ok(t, sm_commit(&t->cx, t->conn));
    assert_int_equal(tdb_count(t, "teams"), 601);
}

/* A load whose owner model is not the model of the rows it would run
 * over: SM_MISUSE, nothing read as the wrong model, the result empty. */
static void wrong_owner(tdb *t)
{
    rel_seed(t);
    Team_list ts = {NULL, 7};
    expect_rc(t, sm_query_rows(&t->cx, t->conn, &wrong_root_q, 0, NULL, &ts, &t->arena),
              SM_MISUSE);
    assert_null(ts.items);
    assert_int_equal(ts.len, 0);
    expect_rc(t, sm_query_rows(&t->cx, t->conn, &wrong_child_q, 0, NULL, &ts, &t->arena),
              SM_MISUSE);
    assert_null(ts.items);
}

static void returning_text_keys(tdb *t)
{
    TDB_MUST(t, tdb_exec(t, "INSERT INTO city (code, name) VALUES ('ber', 'Berlin'),"
                            " ('BER', 'Bern'), ('par', 'Paris')", NULL, 0));
    rename_cities_args a = {"ber", "par", "renamed"};
    City_list cs;
    expect_ok(t, sm_query_rows(&t->cx, t->conn, &rename_cities_q, 0, &a, &cs, &t->arena));
    assert_int_equal(cs.len, 2);
    const char *c0 = cs.items[0].code, *c1 = cs.items[1].code;
    assert_true((strcmp(c0, "ber") == 0 && strcmp(c1, "par") == 0) ||
                (strcmp(c0, "par") == 0 && strcmp(c1, "ber") == 0));
    assert_string_equal(cs.items[0].name, "renamed");
    assert_string_equal(cs.items[1].name, "renamed");
    assert_string_equal(tdb_text(t, "SELECT name FROM city WHERE code = 'BER'", NULL, 0), "Bern");
}

#define BODY(f)                                                                                    \
    static void test_##f(void **state)                                                             \
    {                                                                                              \
        (void)state;                                                                               \
        tdb_each(rel_create, f);                                                                   \
    }
BODY(list_nested)
BODY(list_counts)
BODY(optional_row)
BODY(each_bounded)
BODY(each_in_tx)
BODY(each_load_fails)
BODY(wrong_owner)
BODY(returning_text_keys)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_list_nested),  cmocka_unit_test(test_list_counts),
        cmocka_unit_test(test_optional_row), cmocka_unit_test(test_each_bounded),
        cmocka_unit_test(test_each_in_tx),   cmocka_unit_test(test_each_load_fails),
        cmocka_unit_test(test_wrong_owner),     cmocka_unit_test(test_returning_text_keys),
    };
    return tdb_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
