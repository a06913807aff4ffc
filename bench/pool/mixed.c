/*
 * The mixed workload: T threads, each repeating the same sequence of ten
 * operations (eight gets by id, one update of age by id, one insert in a
 * transaction of its own), either each operation on a connection
 * acquired from a pool and released after it, or on one sm_conn opened
 * per thread for the whole run.  The connections (the pool's min_conns =
 * max_conns, or the threads' own) are open before the clock starts.
 *
 * The main thread lets the workers run for cfg->warmup seconds, then
 * counts the operations they complete in cfg->seconds: operations per
 * second, the process's CPU time per operation and, pooled, the mean
 * time an acquire spent waiting in line.  Every operation is checked,
 * and the rows inserted are counted against the table afterwards.
 */
#include "pool_bench.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { OP_CYCLE = 10, CACHE_LINE = 64 };

typedef struct worker {
    _Alignas(CACHE_LINE) _Atomic uint64_t ops; /* completed, read by the main thread */
    uint64_t inserted;
    int index;
    pthread_t tid;
    struct shared *sh;
} worker;

typedef struct shared {
    const pb_config *cfg;
    sm_pool *pool; /* NULL: one connection per thread */
    pthread_barrier_t ready;
    _Atomic bool stop;
} shared;

static void get_one(sm_cx *cx, sm_conn *c, int64_t id, sm_arena *arena)
{
    Hero h;
    pb_check(cx, hero_get(cx, c, (int32_t)id, &h, arena), "get");
    if (h.id != id)
        wl_die("get: asked for hero %lld, got %lld", (long long)id, (long long)h.id);
    sm_arena_reset(arena);
}

static void update_one(sm_cx *cx, sm_conn *c, int64_t id, uint64_t j)
{
    int64_t hit = 0;
    pb_check(cx, set_age(cx, c, (int32_t)id, wl_update_age((int64_t)j), &hit), "update");
    if (hit != 1)
        wl_die("update of hero %lld matched %lld rows", (long long)id, (long long)hit);
}

static void insert_one(sm_cx *cx, sm_conn *c, worker *w, uint64_t j)
{
    char name[32], secret[64];
    hero src;
    wl_hero((int64_t)(j + (uint64_t)w->index * 1000003), &src, name, sizeof name, secret,
            sizeof secret);
    Hero h = HERO_INIT;
    h.name = src.name;
    h.secret_name = src.secret_name;
    h.age = src.age;
    h.has_age = src.has_age;
    h.team_id = src.team_id;
    h.has_team_id = src.has_team_id;
    pb_check(cx, sm_begin(cx, c), "begin");
    pb_check(cx, hero_insert(cx, c, &h), "insert");
    pb_check(cx, sm_commit(cx, c), "commit");
    if (h.id <= 0)
        wl_die("insert: id %lld", (long long)h.id);
    w->inserted++;
}

static void *work(void *arg)
{
    worker *w = arg;
    shared *sh = w->sh;
    const pb_config *cfg = sh->cfg;
    sm_cx *cx = malloc(sizeof *cx);
    if (!cx)
        wl_die("out of memory");
    sm_cx_init(cx);
    sm_arena arena = SM_ARENA_INIT;
    wl_rng rng = {(uint64_t)w->index * 7919 + 1};
    sm_conn *own = NULL;
    if (!sh->pool)
        pb_check(cx, sm_open(cx, cfg->url, &own), "open");
    pthread_barrier_wait(&sh->ready);
    for (uint64_t j = 0; !atomic_load_explicit(&sh->stop, memory_order_relaxed); j++) {
        /* A generous bound against a hang, never reached in a sound run. */
        sm_cx_set_timeout_ms(cx, 60000);
        sm_conn *c = own;
        if (sh->pool)
            pb_check(cx, sm_pool_acquire(cx, sh->pool, &c), "acquire");
        int64_t id = 1 + (int64_t)(wl_rng_next(&rng) % (uint64_t)cfg->heroes);
        switch (j % OP_CYCLE) {
        case 0: insert_one(cx, c, w, j); break;
        case 1: update_one(cx, c, id, j); break;
        default: get_one(cx, c, id, &arena); break;
        }
        if (sh->pool)
            sm_pool_release(sh->pool, c);
        atomic_store_explicit(&w->ops, j + 1, memory_order_relaxed);
    }
    if (own)
        sm_close(own);
    sm_arena_free(&arena);
    sm_cx_free(cx);
    free(cx);
    return NULL;
}

static uint64_t total_ops(worker *ws, int n)
{
    uint64_t sum = 0;
    for (int i = 0; i < n; i++)
        sum += atomic_load_explicit(&ws[i].ops, memory_order_relaxed);
    return sum;
}

static double cpu_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void sleep_for(double secs)
{
    struct timespec t = {(time_t)secs, (long)((secs - (double)(time_t)secs) * 1e9)};
    while (nanosleep(&t, &t) != 0)
        ;
}

void pb_mixed(const pb_config *cfg)
{
    int n = cfg->threads;
    int64_t rows_before = pb_count_heroes(cfg->url);
    shared sh;
    memset(&sh, 0, sizeof sh);
    sh.cfg = cfg;
    atomic_init(&sh.stop, false);
    sm_cx cx;
    sm_cx_init(&cx);
    if (cfg->pooled) {
        sm_pool_opts o;
        memset(&o, 0, sizeof o);
        o.min_conns = o.max_conns = cfg->max_conns;
        if (!(sh.pool = sm_pool_open(&cx, cfg->url, &o)))
            wl_die("sm_pool_open: %s", sm_cx_errmsg(&cx));
    }
    pthread_barrier_init(&sh.ready, NULL, (unsigned)n + 1);
    worker *ws = aligned_alloc(CACHE_LINE, sizeof *ws * (size_t)n);
    if (!ws)
        wl_die("out of memory");
    memset(ws, 0, sizeof *ws * (size_t)n);
    for (int i = 0; i < n; i++) {
        atomic_init(&ws[i].ops, 0);
        ws[i].index = i;
        ws[i].sh = &sh;
        if (pthread_create(&ws[i].tid, NULL, work, &ws[i]))
            wl_die("pthread_create failed");
    }
    pthread_barrier_wait(&sh.ready);
    sleep_for(cfg->warmup);
    sm_pool_stats s0 = sm_pool_stat(sh.pool);
    uint64_t ops0 = total_ops(ws, n);
    double t0 = wl_now(), c0 = cpu_now();
    sleep_for(cfg->seconds);
    uint64_t ops1 = total_ops(ws, n);
    double t1 = wl_now(), c1 = cpu_now();
    sm_pool_stats s1 = sm_pool_stat(sh.pool);
    atomic_store(&sh.stop, true);
    uint64_t inserted = 0;
    for (int i = 0; i < n; i++) {
        pthread_join(ws[i].tid, NULL);
        inserted += ws[i].inserted;
    }
    double ops = (double)(ops1 - ops0);
    if (ops1 == ops0)
        wl_die("mixed: no operation completed in %g s", t1 - t0);
    uint64_t acquires = s1.acquires - s0.acquires;
    printf("mixed mode=%s max_conns=%d threads=%d ops_per_s=%.0f cpu_us_per_op=%.2f "
           "wait_us_per_acquire=%.2f ops=%.0f secs=%.3f\n",
           sh.pool ? "pool" : "direct", sh.pool ? cfg->max_conns : n, n, ops / (t1 - t0),
           (c1 - c0) * 1e6 / ops,
           acquires ? (double)(s1.wait_ns_total - s0.wait_ns_total) / 1e3 / (double)acquires : 0.0,
           ops, t1 - t0);
    if (sh.pool) {
        sm_pool_stats st = sm_pool_stat(sh.pool);
        if (st.created != (uint64_t)cfg->max_conns || st.reset_failures || st.in_use)
            wl_die("mixed: the pool opened %llu connections (max %d), %llu resets failed, "
                   "%d still in use",
                   (unsigned long long)st.created, cfg->max_conns,
                   (unsigned long long)st.reset_failures, st.in_use);
        sm_pool_close(sh.pool);
    }
    int64_t rows_after = pb_count_heroes(cfg->url);
    printf("# mixed inserted=%llu rows_before=%lld rows_after=%lld\n",
           (unsigned long long)inserted, (long long)rows_before, (long long)rows_after);
    if (rows_after != rows_before + (int64_t)inserted)
        wl_die("mixed: %lld rows after inserting %llu into %lld", (long long)rows_after,
               (unsigned long long)inserted, (long long)rows_before);
    pthread_barrier_destroy(&sh.ready);
    free(ws);
    sm_cx_free(&cx);
}
