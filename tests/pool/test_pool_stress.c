/*
 * test_pool_stress.c: 16 threads share an 8-connection pool on every
 * database, each running a fixed cycle of generated inserts, gets,
 * updates, queries and transactions with savepoints (some rolled back on
 * purpose), one acquire per operation with a deadline of its own.  No
 * operation may fail; at the end every owner's row count and sum of hits
 * equal what the cycle implies, and the pool's stats balance.
 *
 * SMDL_TEST_POOL_STRESS_OPS sets the operations per thread (default
 * 10000; the ThreadSanitizer run of `make check` uses fewer).
 */
#include "tdb.h"

#include "stress.h"

#include <pthread.h>

enum {
    NTHREADS = 16,
    POOL_CONNS = 8,
    DEFAULT_OPS = 10000,
    OP_TIMEOUT_MS = 60000, /* a bound against hangs, per operation */
    CYCLE = 10,            /* operations: see run_op */
};

/* What a thread's committed rows are, as it wrote them. */
typedef struct model {
    int64_t *ids;
    int64_t *hits;
    int64_t n, cap;
    int64_t hits_total;
} model;

typedef struct worker {
    sm_pool *p;
    int owner;
    int ops;
    model m;
    uint64_t rng;
    int acquires;
    int errors;
    int unbalanced;
    char first_error[256];
    pthread_t th;
} worker;

static int stress_ops(void)
{
    const char *v = getenv("SMDL_TEST_POOL_STRESS_OPS");
    if (!v || !*v)
        return DEFAULT_OPS;
    char *end;
    long n = strtol(v, &end, 10);
    if (*end || n < CYCLE || n > 1000000)
        fail_msg("SMDL_TEST_POOL_STRESS_OPS=%s: want a number from %d to 1000000", v, CYCLE);
    return (int)n;
}

static uint64_t next_rand(worker *w)
{
    w->rng ^= w->rng << 13;
    w->rng ^= w->rng >> 7;
    w->rng ^= w->rng << 17;
    return w->rng;
}

/* Returns false (out of memory) after recording it. */
static bool model_add(worker *w, int64_t id, int64_t hits)
{
    model *m = &w->m;
    if (m->n == m->cap) {
        int64_t cap = m->cap ? m->cap * 2 : 256;
        int64_t *ids = realloc(m->ids, (size_t)cap * sizeof *ids);
        if (ids)
            m->ids = ids;
        int64_t *h = realloc(m->hits, (size_t)cap * sizeof *h);
        if (h)
            m->hits = h;
        if (!ids || !h)
            return false;
        m->cap = cap;
    }
    m->ids[m->n] = id;
    m->hits[m->n++] = hits;
    m->hits_total += hits;
    return true;
}

static void note_error(worker *w, int op, const char *what, int rc, sm_cx *cx)
{
    if (w->errors++ == 0)
        snprintf(w->first_error, sizeof w->first_error, "thread %d op %d %s: %s: %s", w->owner,
                 op, what, sm_strerror(rc), sm_cx_errmsg(cx));
}

#define TRY(what, call)                                                                            \
    do {                                                                                           \
        int rc_ = (call);                                                                          \
        if (rc_ != SM_OK) {                                                                        \
            note_error(w, op, what, rc_, cx);                                                      \
            return;                                                                                \
        }                                                                                          \
    } while (0)
#define CHECK(what, cond)                                                                          \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            note_error(w, op, what, SM_OK, cx);                                                    \
            return;                                                                                \
        }                                                                                          \
    } while (0)

static int64_t pick(worker *w)
{
    return (int64_t)(next_rand(w) % (uint64_t)w->m.n);
}

/*
 * The transaction of a cycle: A is inserted; under savepoint s1, B is
 * inserted and A updated, then s1 is rolled back to and released; under
 * s2, A is bumped, C inserted and s2 released; under s3, C is bumped and
 * s3 rolled back to.  Committed: A with 1 hit, C with 0 (SQLite may give
 * C the key B had).  Every fifth
 * transaction is rolled back whole instead.
 */
static void run_tx(worker *w, sm_cx *cx, sm_conn *c, int op, sm_arena *arena)
{
    bool keep = (op / CYCLE) % 5 != 4;
    Item a = ITEM_INIT, b = ITEM_INIT, d = ITEM_INIT;
    a.owner = b.owner = d.owner = w->owner;
    a.seq = op;
    b.seq = op + 1;
    d.seq = op + 2;
    int64_t n = 0;
    TRY("begin", sm_begin(cx, c));
    TRY("tx insert A", item_insert(cx, c, &a));
    TRY("savepoint s1", sm_savepoint(cx, c, "s1"));
    TRY("tx insert B", item_insert(cx, c, &b));
    a.hits = 5;
    TRY("tx update A", item_update(cx, c, &a));
    TRY("rollback_to s1", sm_rollback_to(cx, c, "s1"));
    Item got = ITEM_INIT;
    CHECK("tx B is gone", item_get(cx, c, b.id, &got, arena) == SM_NOTFOUND);
    TRY("release s1", sm_release(cx, c, "s1"));
    TRY("savepoint s2", sm_savepoint(cx, c, "s2"));
    TRY("tx bump A", bump(cx, c, a.id, &n));
    CHECK("tx bump A matched 1", n == 1);
    TRY("tx insert C", item_insert(cx, c, &d));
    TRY("release s2", sm_release(cx, c, "s2"));
    TRY("savepoint s3", sm_savepoint(cx, c, "s3"));
    TRY("tx bump C", bump(cx, c, d.id, &n));
    TRY("rollback_to s3", sm_rollback_to(cx, c, "s3"));
    TRY("tx get A", item_get(cx, c, a.id, &got, arena));
    CHECK("tx A has 1 hit", got.hits == 1);
    if (!keep) {
        TRY("rollback", sm_rollback(cx, c));
        return;
    }
    TRY("commit", sm_commit(cx, c));
    if (!model_add(w, a.id, 1) || !model_add(w, d.id, 0))
        CHECK("memory", false);
}

/* One operation of the cycle, on a connection of its own. */
static void run_op(worker *w, sm_cx *cx, sm_conn *c, int op, sm_arena *arena)
{
    Item it = ITEM_INIT;
    int64_t n = 0;
    /* After a failed first insert the others have no row to pick. */
    CHECK("a row to use", op % CYCLE == 0 || op % CYCLE == 8 || w->m.n > 0);
    switch (op % CYCLE) {
    case 0: /* insert */
        it.owner = w->owner;
        it.seq = op;
        TRY("insert", item_insert(cx, c, &it));
        CHECK("insert key", it.id > 0);
        CHECK("memory", model_add(w, it.id, 0));
        return;
    case 1: /* get */
    case 2: {
        int64_t k = pick(w);
        TRY("get", item_get(cx, c, w->m.ids[k], &it, arena));
        CHECK("get: owner and hits", it.owner == w->owner && it.hits == w->m.hits[k]);
        return;
    }
    case 3: /* update of the whole row */
    case 4: {
        int64_t k = pick(w);
        TRY("get for update", item_get(cx, c, w->m.ids[k], &it, arena));
        it.hits++;
        TRY("update", item_update(cx, c, &it));
        w->m.hits[k]++;
        w->m.hits_total++;
        return;
    }
    case 5: { /* update by a query */
        int64_t k = pick(w);
        TRY("bump", bump(cx, c, w->m.ids[k], &n));
        CHECK("bump matched 1", n == 1);
        w->m.hits[k]++;
        w->m.hits_total++;
        return;
    }
    case 6: /* query */
    case 7: {
        OwnerTotals t = OWNER_TOTALS_INIT;
        TRY("owner_totals", owner_totals(cx, c, w->owner, &t, arena));
        CHECK("owner_totals: rows and hits",
              t.n == w->m.n && t.has_hits && t.hits == w->m.hits_total);
        return;
    }
    case 8: /* transaction with savepoints */
        run_tx(w, cx, c, op, arena);
        return;
    default: { /* several rows at once */
        int64_t keys[3] = {w->m.ids[pick(w)], w->m.ids[pick(w)], w->m.ids[0]};
        Item_list list = {NULL, 0};
        TRY("get_many", item_get_many(cx, c, keys, 3, &list, arena));
        CHECK("get_many: 3 rows", list.len == 3 && list.items[2].id == keys[2] &&
                                      list.items[2].hits == w->m.hits[0]);
        return;
    }
    }
}

static void *work(void *arg)
{
    worker *w = arg;
    sm_cx cx;
    sm_cx_init(&cx);
    for (int op = 0; op < w->ops; op++) {
        sm_cx_set_timeout_ms(&cx, OP_TIMEOUT_MS);
        sm_conn *c;
        int rc = sm_pool_acquire(&cx, w->p, &c);
        if (rc != SM_OK) {
            note_error(w, op, "acquire", rc, &cx);
            continue;
        }
        w->acquires++;
        sm_pool_stats s = sm_pool_stat(w->p);
        if (s.open != s.idle + s.in_use || s.open > POOL_CONNS || s.in_use < 1)
            w->unbalanced++;
        sm_arena arena = SM_ARENA_INIT;
        run_op(w, &cx, c, op, &arena);
        sm_arena_free(&arena);
        sm_pool_release(w->p, c);
    }
    sm_cx_free(&cx);
    return NULL;
}

/* What ops operations of the cycle leave: rows and hits per owner. */
static void expected(int ops, int64_t *rows, int64_t *hits)
{
    *rows = *hits = 0;
    for (int op = 0; op < ops; op++) {
        switch (op % CYCLE) {
        case 0:
            ++*rows;
            break;
        case 3:
        case 4:
        case 5:
            ++*hits;
            break;
        case 8:
            if ((op / CYCLE) % 5 != 4) {
                *rows += 2;
                ++*hits;
            }
            break;
        default:
            break;
        }
    }
}

static void body_stress(tdb *t)
{
    int ops = stress_ops();
    sm_pool_opts o;
    memset(&o, 0, sizeof o);
    o.max_conns = POOL_CONNS;
    sm_pool *p = sm_pool_open(&t->cx, t->url, &o);
    if (!p)
        fail_msg("%s: sm_pool_open: %s", t->name, sm_cx_errmsg(&t->cx));
    worker *w = calloc(NTHREADS, sizeof *w);
    assert_non_null(w);
    double t0 = tdb_now_ms();
    for (int i = 0; i < NTHREADS; i++) {
        w[i].p = p;
        w[i].owner = i + 1;
        w[i].ops = ops;
        w[i].rng = 0x9e3779b97f4a7c15u * (uint64_t)(i + 1);
        assert_int_equal(pthread_create(&w[i].th, NULL, work, &w[i]), 0);
    }
    int64_t acquires = 0;
    for (int i = 0; i < NTHREADS; i++) {
        pthread_join(w[i].th, NULL);
        acquires += w[i].acquires;
    }
    double ms = tdb_now_ms() - t0;
    fprintf(stderr, "%s: %d threads x %d operations on %d connections: %.0f ms, %.0f operations/s\n",
            t->name, NTHREADS, ops, POOL_CONNS, ms, NTHREADS * (double)ops / (ms / 1000));

    /* The run's deadline bounded the threads' start; the checks get one
     * of their own (a loaded machine may take most of it for the run). */
    sm_cx_set_timeout_ms(&t->cx, TDB_TIMEOUT_MS);
    int64_t rows, hits;
    expected(ops, &rows, &hits);
    for (int i = 0; i < NTHREADS; i++) {
        if (w[i].errors)
            fprintf(stderr, "%s: %d errors, the first: %s\n", t->name, w[i].errors, w[i].first_error);
        tdb_check_int(t, __FILE__, __LINE__, "errors", w[i].errors, 0);
        tdb_check_int(t, __FILE__, __LINE__, "unbalanced stats", w[i].unbalanced, 0);
        tdb_check_int(t, __FILE__, __LINE__, "model rows", w[i].m.n, rows);
        tdb_check_int(t, __FILE__, __LINE__, "model hits", w[i].m.hits_total, hits);
        OwnerTotals ot = OWNER_TOTALS_INIT;
        expect_ok(t, owner_totals(&t->cx, t->conn, w[i].owner, &ot, &t->arena));
        tdb_check_int(t, __FILE__, __LINE__, "owner rows", ot.n, rows);
        tdb_check_int(t, __FILE__, __LINE__, "owner hits", ot.hits, hits);
        free(w[i].m.ids);
        free(w[i].m.hits);
    }
    free(w);
    OwnerTotals all = OWNER_TOTALS_INIT;
    expect_ok(t, all_totals(&t->cx, t->conn, &all, &t->arena));
    tdb_check_int(t, __FILE__, __LINE__, "all rows", all.n, NTHREADS * rows);
    tdb_check_int(t, __FILE__, __LINE__, "all hits", all.hits, NTHREADS * hits);

    sm_pool_stats s = sm_pool_stat(p);
    tdb_check(t, __FILE__, __LINE__, "open == idle + in_use", s.open == s.idle + s.in_use,
              "open %d idle %d in_use %d", s.open, s.idle, s.in_use);
    tdb_check_int(t, __FILE__, __LINE__, "in_use", s.in_use, 0);
    tdb_check_int(t, __FILE__, __LINE__, "waiters", s.waiters, 0);
    tdb_check_int(t, __FILE__, __LINE__, "acquires", (int64_t)s.acquires, acquires);
    tdb_check_int(t, __FILE__, __LINE__, "acquires made", acquires, (int64_t)NTHREADS * ops);
    tdb_check_int(t, __FILE__, __LINE__, "timeouts", (int64_t)s.timeouts, 0);
    tdb_check_int(t, __FILE__, __LINE__, "reset failures", (int64_t)s.reset_failures, 0);
    tdb_check_int(t, __FILE__, __LINE__, "failed checks", (int64_t)s.failed_checks, 0);
    tdb_check(t, __FILE__, __LINE__, "at most max", s.created <= POOL_CONNS, "%llu",
              (unsigned long long)s.created);
    sm_pool_close(p);
}

static void test_stress(void **state)
{
    (void)state;
    tdb_each(stress_create_all, body_stress);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stress),
    };
    return tdb_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
