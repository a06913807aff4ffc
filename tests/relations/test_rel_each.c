/*
 * test_rel_each.c: `-> each Team with heroes` over 100,000 teams, on
 * every dialect: every team comes once, in order, with its heroes
 * loaded; the memory in use while rows stream stays bounded (the peak
 * over 100,000 teams is within a small bound of the peak over 10,000),
 * and the number of statements grows with the batches, not the rows.
 */
#include "seed.h"

#include <malloc.h>
#if defined(__SANITIZE_ADDRESS__)
#define REL_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define REL_ASAN 1
#endif
#endif
#ifdef REL_ASAN
/* The sanitizer's allocator counts what glibc's mallinfo2 no longer sees
 * (its header is not installed everywhere; the function always is). */
size_t __sanitizer_get_current_allocated_bytes(void);
#endif

/* Bytes the process has allocated and not freed. */
static size_t in_use(void)
{
#ifdef REL_ASAN
    return __sanitizer_get_current_allocated_bytes();
#else
    return mallinfo2().uordblks;
#endif
}

typedef struct walk {
    int64_t next_id; /* the id the next team must have */
    size_t teams, heroes, peak;
    bool wrong;
} walk;

static int visit(void *ud, const Team *team)
{
    walk *w = ud;
    /* Team k (from 1) has k % 3 heroes: ids in order, each with team_id k. */
    size_t want = (size_t)(team->id % 3);
    if (team->id != w->next_id || !team->heroes.items || team->heroes.len != want)
        w->wrong = true;
    for (size_t i = 0; i < team->heroes.len; i++)
        if (team->heroes.items[i].team_id != team->id ||
            (i && team->heroes.items[i].id <= team->heroes.items[i - 1].id))
            w->wrong = true;
    w->next_id++;
    w->teams++;
    w->heroes += team->heroes.len;
    size_t now = in_use();
    if (now > w->peak)
        w->peak = now;
    return 0;
}

/* Adds teams up to `upto` (ids from the current count + 1), with their heroes. */
static void grow(tdb *t, int64_t from, int64_t upto)
{
    enum { CHUNK = 2000 };
    Team *ts = calloc(CHUNK, sizeof *ts);
    Hero *hs = calloc(2 * CHUNK, sizeof *hs);
    assert_non_null(ts);
    assert_non_null(hs);
    for (int64_t base = from; base <= upto; base += CHUNK) {
        size_t nt = 0, nh = 0;
        for (int64_t id = base; id <= upto && id < base + CHUNK; id++) {
            ts[nt] = (Team)TEAM_INIT;
            ts[nt].id = id;
            ts[nt].name = "team";
            ts[nt].headquarters = "a headquarters with a longer name than most";
            nt++;
        }
        TDB_MUST(t, team_insert_many(&t->cx, t->conn, ts, nt));
        for (size_t i = 0; i < nt; i++)
            for (int64_t k = 0; k < ts[i].id % 3; k++) {
                hs[nh] = (Hero)HERO_INIT;
                hs[nh].name = "hero";
                hs[nh].secret_name = "secret";
                hs[nh].team_id = ts[i].id;
                hs[nh].has_team_id = true;
                nh++;
            }
        if (nh)
            TDB_MUST(t, hero_insert_many(&t->cx, t->conn, hs, nh));
    }
    free(ts);
    free(hs);
}

static walk run(tdb *t, uint64_t *statements)
{
    walk w = {1, 0, 0, 0, false};
    size_t base = in_use();
    sm_conn_stats before = sm_conn_stat(t->conn);
    expect_ok(t, each_team_with_heroes(&t->cx, t->conn, visit, &w));
    *statements = statements_since(t, before);
    w.peak = w.peak > base ? w.peak - base : 0;
    return w;
}

static void bounded_body(tdb *t)
{
    grow(t, 1, 10000);
    uint64_t s10, s100;
    walk small = run(t, &s10);
    assert_false(small.wrong);
    assert_int_equal(small.teams, 10000);
    assert_int_equal(small.heroes, 10000); /* team k has k % 3 heroes */
    grow(t, 10001, 100000);
    walk large = run(t, &s100);
    assert_false(large.wrong);
    assert_int_equal(large.teams, 100000);
    assert_int_equal(large.heroes, 100000);
    /* Bounded: ten times the rows, about the same memory at the peak
     * (a list of 100,000 teams and 100,000 heroes would need tens of MB). */
    fprintf(stderr, "%s: peak in use over 10k teams %zu bytes, over 100k %zu bytes; "
                    "statements %llu and %llu\n",
            t->name, small.peak, large.peak, (unsigned long long)s10, (unsigned long long)s100);
    assert_true(large.peak < 4u * 1024 * 1024);
    assert_true(large.peak < 2 * small.peak + 512u * 1024);
    /* Batched: far fewer statements than rows. */
    assert_true(s100 < 100000 / 50);
}

static void bounded(void **state)
{
    (void)state;
    tdb_each(rel_shapes_create_all, bounded_body);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(bounded)};
    return tdb_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
