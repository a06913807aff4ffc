/*
 * test_q_cache.c: what generated queries cost, on every dialect.  The
 * statement cache: after one call of each query (and each variant, and
 * on MySQL each list bucket), calling them again prepares nothing, and
 * every execution is a cache hit.  The arena: a list of 100 rows takes
 * a few blocks, not one allocation per field; in a 1 MiB block it takes
 * exactly one.
 */
#include "qtest.h"

enum { ROUNDS = 200 };

/* One call of every query the cache test repeats; i varies the
 * arguments (and so the variants and list lengths). */
static void call_all(tdb *t, int i, const int64_t *ids)
{
    HeroRef_list l;
    NameAge_list na;
    Hero h;
    int64_t n, affected;
    int64_t min_age = 30 + i % 10, team = 1 + i % 2;
    Power power = (Power)(i % 4);
    QT_OK(t, age_eq(&t->cx, t->conn, 30 + i % 10, &l, &t->arena));
    QT_OK(t, count_heroes(&t->cx, t->conn, &n));
    QT_OK(t, hero_named(&t->cx, t->conn, "Rusty-Man", &h, &t->arena));
    unsigned mask = (unsigned)i % 16;
    QT_OK(t, heroes_filter(&t->cx, t->conn, mask & 1 ? "Deadpond" : NULL,
                           mask & 2 ? &min_age : NULL, mask & 4 ? &power : NULL,
                           mask & 8 ? &team : NULL, &l, &t->arena));
    QT_OK(t, heroes_sorted(&t->cx, t->conn, (heroes_sorted_sort)(i % 3), (sm_dir)(i / 3 % 2), &l,
                           &t->arena));
    /* Lengths 1..16: MySQL's buckets 1, 2, 4, 8 and 16. */
    QT_OK(t, ids_in(&t->cx, t->conn, ids, 1 + (size_t)i % 16, &l, &t->arena));
    QT_OK(t, raw_ages(&t->cx, t->conn, 30, 40 + i % 5, &na, &t->arena));
    QT_OK(t, set_power(&t->cx, t->conn, 3, power, &affected));
    sm_arena_free(&t->arena);
}

static void statement_cache(tdb *t)
{
    int64_t ids[16];
    for (int k = 0; k < 16; k++)
        ids[k] = k + 1;
    qt_seed(t);

    /* A list query prepares one statement per bucket on MySQL, one in
     * all on the others (a single array or JSON parameter). */
    sm_conn_stats s0 = sm_conn_stat(t->conn);
    for (size_t len = 1; len <= 16; len++) {
        HeroRef_list l;
        QT_OK(t, ids_not_in(&t->cx, t->conn, ids, len, &l, &t->arena));
        QT_INT(t, l.len, QT_NHEROES - (len < QT_NHEROES ? len : QT_NHEROES));
    }
    sm_conn_stats s1 = sm_conn_stat(t->conn);
    QT_INT(t, s1.prepares - s0.prepares, t->d == SM_MYSQL ? 5 : 1);
    QT_INT(t, s1.statements - s0.statements, 16);

    /* Warm up: every variant and bucket once. */
    for (int i = 0; i < 48; i++)
        call_all(t, i, ids);
    sm_conn_stats warm = sm_conn_stat(t->conn);
    for (int i = 0; i < ROUNDS; i++)
        call_all(t, i, ids);
    sm_conn_stats end = sm_conn_stat(t->conn);
    uint64_t runs = end.statements - warm.statements;
    uint64_t hits = end.cache_hits - warm.cache_hits;
    print_message("    %llu statements, %llu cache hits, %llu prepares after warm-up\n",
                  (unsigned long long)runs, (unsigned long long)hits,
                  (unsigned long long)(end.prepares - warm.prepares));
    QT_INT(t, runs, ROUNDS * 8);
    QT_INT(t, end.prepares, warm.prepares);
    QT_TRUE(t, hits * 100 >= runs * 99);
    QT_INT(t, hits, runs);
    QT_INT(t, end.evictions, warm.evictions);
}

/* The bytes a list of these heroes needs in an arena: the rows in one
 * piece and each string on its own, 16-byte aligned. */
static size_t bytes_needed(const Hero *hs, size_t n)
{
    size_t total = (n * sizeof(Hero) + 15) & ~(size_t)15;
    for (size_t i = 0; i < n; i++) {
        total += (strlen(hs[i].name) + 1 + 15) & ~(size_t)15;
        total += (strlen(hs[i].secret_name) + 1 + 15) & ~(size_t)15;
    }
    return total;
}

static void arena_blocks(tdb *t)
{
    enum { N = 100 };
    static char names[N][32], secrets[N][32];
    Hero hs[N];
    for (int i = 0; i < N; i++) {
        snprintf(names[i], sizeof names[i], "Hero %03d", i);
        snprintf(secrets[i], sizeof secrets[i], "Secret identity number %03d", i);
        Hero h = HERO_INIT;
        h.name = names[i];
        h.secret_name = secrets[i];
        h.has_age = i % 3 != 0;
        h.age = i;
        hs[i] = h;
    }
    TDB_MUST(t, hero_insert_many(&t->cx, t->conn, hs, N));

    /* One block of 1 MiB holds it all. */
    sm_arena big;
    sm_arena_init(&big, 1024 * 1024);
    Hero_list l;
    if (QT_OK(t, all_heroes(&t->cx, t->conn, &l, &big)) && QT_INT(t, l.len, N)) {
        QT_INT(t, big.blocks, 1);
        QT_STR(t, l.items[N - 1].secret_name, secrets[N - 1]);
    }
    sm_arena_free(&big);

    /* The default arena starts at 8 KiB and doubles: the blocks that sum
     * to what the list needs, plus one where the rows, copied in one
     * piece, do not fit the space left. */
    sm_arena small = SM_ARENA_INIT;
    if (QT_OK(t, all_heroes(&t->cx, t->conn, &l, &small)) && QT_INT(t, l.len, N)) {
        size_t need = bytes_needed(l.items, l.len), have = 0, blocks = 0;
        for (size_t size = 8192; have < need; size *= 2, blocks++)
            have += size;
        print_message("    %zu bytes in %zu blocks (at most %zu)\n", need, small.blocks,
                      blocks + 1);
        QT_TRUE(t, small.blocks >= 1 && small.blocks <= blocks + 1);
        QT_TRUE(t, small.blocks < 2 * N); /* not a block per string */
    }
    sm_arena_free(&small);
    /* Freed, the arena is reusable. */
    QT_OK(t, all_heroes(&t->cx, t->conn, &l, &small));
    QT_INT(t, l.len, N);
    sm_arena_free(&small);
}

static void test_statement_cache(void **state)
{
    (void)state;
    tdb_each(queries_create_all, statement_cache);
}

static void test_arena_blocks(void **state)
{
    (void)state;
    tdb_each(queries_create_all, arena_blocks);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_statement_cache),
        cmocka_unit_test(test_arena_blocks),
    };
    return tdb_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
