/*
 * Uncontended acquire + release: one thread, a pool of the default size.
 *
 * "none" runs acquire and release back to back, the loop timed as a
 * whole.  The other variants time each acquire and each release alone
 * (the clock's own cost, measured first, taken off every interval), with
 * a call between them: nothing ("none-timed", which checks the
 * correction against "none"), a generated get by id ("get": the release
 * then has nothing to reset), a get in a transaction left open ("tx": the
 * release rolls it back) and raw SQL ("raw": the release restores the
 * whole session).  "open" is sm_open + sm_close, what a program without
 * a pool pays per unit of work.  "none-idle64" is "none" on a pool that
 * keeps 64 connections idle.
 */
#include "pool_bench.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { IDLE_MANY = 64 };

typedef enum { MID_NONE, MID_GET, MID_TX, MID_RAW } middle;

typedef struct acq_state {
    sm_cx cx;
    sm_pool *pool;
    sm_arena arena;
    wl_rng rng;
    const char *url;
    int heroes;
    double clock_ns; /* what one interval between two clock reads adds */
} acq_state;

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* The median of v[0..n) (reordered). */
static double median(int64_t *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_i64);
    return n % 2 ? (double)v[n / 2] : ((double)v[n / 2 - 1] + (double)v[n / 2]) / 2;
}

static double mean(const int64_t *v, size_t n)
{
    int64_t sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += v[i];
    return (double)sum / (double)n;
}

/* Up to MAX_SAMPLES per-call times, each a few tens of ns apart. */
enum { MAX_SAMPLES = 1 << 21 };
typedef struct samples {
    int64_t *v;
    size_t n;
} samples;

static void sample(samples *s, int64_t ns)
{
    if (!s->v)
        s->v = wl_xcalloc(MAX_SAMPLES, sizeof *s->v);
    if (s->n < MAX_SAMPLES)
        s->v[s->n++] = ns;
}

/* The cost of reading the clock, as one interval sees it (the median of
 * back-to-back reads). */
static double clock_cost(void)
{
    enum { N = 1 << 18 };
    static int64_t v[N];
    for (int i = 0; i < N; i++) {
        int64_t t0 = pb_now_ns();
        v[i] = pb_now_ns() - t0;
    }
    return median(v, N);
}

static void get_one(acq_state *s, sm_conn *c)
{
    int64_t id = 1 + (int64_t)(wl_rng_next(&s->rng) % (uint64_t)s->heroes);
    Hero h;
    pb_check(&s->cx, hero_get(&s->cx, c, (int32_t)id, &h, &s->arena), "get");
    if (h.id != id)
        wl_die("get: asked for hero %lld, got %lld", (long long)id, (long long)h.id);
    sm_arena_reset(&s->arena);
}

static void call_between(acq_state *s, sm_conn *c, middle m)
{
    switch (m) {
    case MID_NONE: break;
    case MID_GET: get_one(s, c); break;
    case MID_TX:
        pb_check(&s->cx, sm_begin(&s->cx, c), "begin");
        get_one(s, c);
        break; /* left open: the release rolls it back */
    case MID_RAW: pb_check(&s->cx, sm_exec(&s->cx, c, "SELECT 1", NULL, 0, NULL), "raw"); break;
    }
}

/* Blocks of BLOCK pairs, each timed as a whole: the median of the
 * blocks' means, which a preemption in one block does not move, and the
 * mean of all. */
static void pairs_untimed(acq_state *s, sm_pool *pool, const char *name, double secs, bool report)
{
    enum { BLOCK = 1024 };
    samples blocks = {NULL, 0};
    long n = 0;
    int64_t start = pb_now_ns(), end = start + (int64_t)(secs * 1e9), t0 = start, t1;
    do {
        for (int k = 0; k < BLOCK; k++) {
            sm_conn *c;
            pb_check(&s->cx, sm_pool_acquire(&s->cx, pool, &c), "acquire");
            sm_pool_release(pool, c);
        }
        n += BLOCK;
        t1 = pb_now_ns();
        sample(&blocks, t1 - t0);
        t0 = t1;
    } while (t1 < end);
    if (report)
        printf("acquire variant=%s n=%ld pair_ns=%.1f mean_pair_ns=%.1f\n", name, n,
               median(blocks.v, blocks.n) / BLOCK, (double)(t1 - start) / (double)n);
    free(blocks.v);
}

/* Each acquire, call between and release timed alone, less the clock's
 * cost: medians (what a call typically costs) and means (what a loop
 * pays, preemptions included). */
static void pairs_timed(acq_state *s, middle m, const char *name, double secs, bool report)
{
    samples acq = {NULL, 0}, mid = {NULL, 0}, rel = {NULL, 0};
    int64_t end = pb_now_ns() + (int64_t)(secs * 1e9);
    do {
        for (int k = 0; k < 16; k++) {
            sm_conn *c;
            int64_t t0 = pb_now_ns();
            pb_check(&s->cx, sm_pool_acquire(&s->cx, s->pool, &c), "acquire");
            int64_t t1 = pb_now_ns();
            call_between(s, c, m);
            int64_t t2 = pb_now_ns();
            sm_pool_release(s->pool, c);
            int64_t t3 = pb_now_ns();
            sample(&acq, t1 - t0);
            sample(&mid, t2 - t1);
            sample(&rel, t3 - t2);
        }
    } while (pb_now_ns() < end && acq.n < MAX_SAMPLES);
    if (report) {
        double k = s->clock_ns;
        double ma = mean(acq.v, acq.n) - k, mr = mean(rel.v, rel.n) - k;
        double a = median(acq.v, acq.n) - k, r = median(rel.v, rel.n) - k;
        printf("acquire variant=%s n=%zu acquire_ns=%.1f release_ns=%.1f pair_ns=%.1f "
               "between_ns=%.1f mean_acquire_ns=%.1f mean_release_ns=%.1f mean_pair_ns=%.1f\n",
               name, acq.n, a, r, a + r, median(mid.v, mid.n) - k, ma, mr, ma + mr);
    }
    free(acq.v);
    free(mid.v);
    free(rel.v);
}

static void open_close(acq_state *s, double secs, bool report)
{
    long n = 0;
    int64_t t0 = pb_now_ns(), end = t0 + (int64_t)(secs * 1e9), t1;
    do {
        sm_conn *c;
        pb_check(&s->cx, sm_open(&s->cx, s->url, &c), "open");
        sm_close(c);
        n++;
    } while ((t1 = pb_now_ns()) < end);
    if (report)
        printf("acquire variant=open n=%ld open_close_ns=%.1f\n", n, (double)(t1 - t0) / (double)n);
}

void pb_acquire(const pb_config *cfg)
{
    static acq_state s; /* the cx is large */
    memset(&s, 0, sizeof s);
    sm_cx_init(&s.cx);
    s.arena = (sm_arena)SM_ARENA_INIT;
    s.rng.state = 42;
    s.url = cfg->url;
    s.heroes = cfg->heroes;
    sm_pool_opts o;
    memset(&o, 0, sizeof o);
    o.min_conns = 1;
    if (!(s.pool = sm_pool_open(&s.cx, cfg->url, &o)))
        wl_die("sm_pool_open: %s", sm_cx_errmsg(&s.cx));
    s.clock_ns = clock_cost();
    printf("# acquire clock_ns=%.1f seconds=%g\n", s.clock_ns, cfg->seconds);
    static const struct {
        middle m;
        const char *name;
    } timed[] = {{MID_NONE, "none-timed"}, {MID_GET, "get"}, {MID_TX, "tx"}, {MID_RAW, "raw"}};
    /* A first pass warms caches and the statement cache, then the measured one. */
    for (int pass = 0; pass < 2; pass++) {
        double secs = pass ? cfg->seconds : cfg->warmup / 5;
        pairs_untimed(&s, s.pool, "none", secs, pass);
        for (size_t i = 0; i < sizeof timed / sizeof timed[0]; i++)
            pairs_timed(&s, timed[i].m, timed[i].name, secs, pass);
        open_close(&s, secs, pass);
    }
    /* The same with many idle connections: an acquire looks at each of
     * them for one to retire (idle_timeout_ms, max_lifetime_ms). */
    o.min_conns = o.max_conns = IDLE_MANY;
    sm_pool *many = sm_pool_open(&s.cx, cfg->url, &o);
    if (!many)
        wl_die("sm_pool_open (%d connections): %s", IDLE_MANY, sm_cx_errmsg(&s.cx));
    pairs_untimed(&s, many, "none-idle64", cfg->warmup / 5, false);
    pairs_untimed(&s, many, "none-idle64", cfg->seconds, true);
    sm_pool_close(many);
    sm_pool_stats st = sm_pool_stat(s.pool);
    printf("# acquire pool created=%llu acquires=%llu reset_failures=%llu\n",
           (unsigned long long)st.created, (unsigned long long)st.acquires,
           (unsigned long long)st.reset_failures);
    if (st.created != 1 || st.reset_failures)
        wl_die("acquire: the pool opened %llu connections, %llu resets failed",
               (unsigned long long)st.created, (unsigned long long)st.reset_failures);
    sm_pool_close(s.pool);
    sm_arena_free(&s.arena);
    sm_cx_free(&s.cx);
}
