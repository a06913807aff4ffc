/*
 * test_restart.c: the database server restarted in the middle of a run
 * of 8 threads inserting through one pool, on PostgreSQL and MariaDB.
 *
 * Run by restart.sh, which starts servers of this test's own (the shared
 * ones serve other programs meanwhile) and puts the command that
 * restarts one of them in SMDL_TEST_RESTART ("pg" or "my" is appended).
 * SQLite is not part of it: it has no server to restart, and a
 * connection to a file cannot be cut from outside.
 *
 * Each thread inserts teams with names of its own ("thread:seq"), one
 * autocommit INSERT per acquire, each under a cx deadline: half the
 * threads through the generated insert (whose release only rolls back,
 * with no round trip when no transaction is open), half through raw SQL
 * (whose release restores the whole session).  Around the restart this
 * proves:
 *   - no acquire, and no operation, outlasts its deadline (plus a
 *     generous slack for a loaded machine);
 *   - while the server is away, the only errors are SM_CONN (the
 *     connection was cut, or the server refuses or is shutting down or
 *     starting) and SM_TIMEOUT (the deadline passed first); before the
 *     restart and after the restart command returned, there are none;
 *   - every INSERT that returned SM_OK is in the table afterwards, and
 *     the table holds nothing else but rows whose INSERT failed with the
 *     connection (the server may commit a row whose reply was lost),
 *     never one whose acquire failed (it was never sent);
 *   - the pool heals: every thread succeeds again after the restart, the
 *     dead connections left the pool (failed health checks and failed
 *     resets), and the stats balance: open == idle + in_use, nothing in
 *     use or waiting, open == created - recycled - failed_checks -
 *     reset_failures, acquires and timeouts as the threads counted.
 */
#include "tdb.h"

#include "crud_model.h"
#include "internal.h"

#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

enum {
    NTHREADS = 8,
    HEALTH_MS = 20,   /* a connection idle longer is pinged at checkout */
    OP_MS = 2000,     /* each operation's deadline */
    SLACK_MS = 3000,  /* generous: a bound against hangs, not a latency check */
    WANT_OK = 20,     /* successes per thread before and after the restart */
    MAX_SEQ = 200000, /* ids per thread */
    WAIT_MS = 30000,  /* bound on each phase */
    NCODES = 32,
};

/* Two shapes of the run: a crowded pool (4 connections for 8 threads:
 * acquires wait in line, every connection is busy when the server goes,
 * and the dead ones fail their reset at release), and a quiet one (8
 * connections, each thread pausing longer than HEALTH_MS between
 * inserts: connections are idle when the server goes, and the health
 * check at checkout finds them dead). */
typedef struct shape {
    const char *name;
    int max_conns, think_ms;
} shape;
static const shape crowded = {"crowded", 4, 1};
static const shape quiet = {"quiet", 8, 4 * HEALTH_MS};

/* Where an id stands, per thread and sequence number. */
enum { NOT_TRIED, COMMITTED, IN_DOUBT, NOT_SENT };

/* The phase of an operation: before when it ended before the restart
 * began, after when it started after the restart command returned,
 * during otherwise. */
enum { BEFORE, RESTARTING, AFTER, NPHASES };
static const char *const phase_names[NPHASES] = {"before", "during", "after"};

typedef struct shared {
    sm_pool *p;
    const shape *shape;
    atomic_int phase;
    atomic_bool stop;
} shared;

typedef struct runner {
    shared *sh;
    int th;
    pthread_t tid;
    unsigned char *state; /* MAX_SEQ entries */
    atomic_int ok[NPHASES];
    /* Written by the thread alone, read after the join. */
    int acq_errors[NPHASES][NCODES], exec_errors[NPHASES][NCODES];
    int acquires_ok, acquire_timeouts, late;
    double worst_ms;
    char first_msg[NPHASES][200];
} runner;

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000};
    nanosleep(&ts, NULL);
}

/* The row of thread th's seq-th insert. */
static void name_of(int th, int seq, char *buf, size_t size)
{
    snprintf(buf, size, "%d:%d", th, seq);
}

static int code_slot(int rc)
{
    return rc <= 0 && rc > -NCODES ? -rc : NCODES - 1;
}

static void note_error(runner *r, int (*counts)[NCODES], int ph, int rc, sm_cx *cx, const char *what)
{
    counts[ph][code_slot(rc)]++;
    if (!r->first_msg[ph][0])
        snprintf(r->first_msg[ph], sizeof r->first_msg[ph], "%s: %s: %s", what, sm_strerror(rc),
                 sm_cx_errmsg(cx));
}

static void *run(void *arg)
{
    runner *r = arg;
    sm_pool *p = r->sh->p;
    for (int seq = 0; seq < MAX_SEQ && !atomic_load(&r->sh->stop); seq++) {
        int ph = atomic_load(&r->sh->phase) == AFTER ? AFTER : RESTARTING;
        sm_cx cx;
        sm_cx_init(&cx);
        sm_cx_set_timeout_ms(&cx, OP_MS);
        int64_t t0 = sm_mono_ns();
        sm_conn *c = NULL;
        int rc = sm_pool_acquire(&cx, p, &c);
        double acq_ms = (double)tdb_ms_since(t0);
        int acq_rc = rc;
        if (rc == SM_OK) {
            r->acquires_ok++;
            char name[32];
            name_of(r->th, seq, name, sizeof name);
            if (r->th % 2) {
                Team team = {0, name};
                rc = sm_model_insert(&cx, c, &team_model, &team);
            } else {
                sm_value v = sm_text(name);
                rc = sm_exec(&cx, c, "INSERT INTO teams (name) VALUES (?)", &v, 1, NULL);
            }
            r->state[seq] = rc == SM_OK ? COMMITTED : IN_DOUBT;
            sm_close(c);
        } else {
            r->state[seq] = NOT_SENT;
            if (rc == SM_TIMEOUT)
                r->acquire_timeouts++;
        }
        if (atomic_load(&r->sh->phase) == BEFORE)
            ph = BEFORE;
        if (acq_rc != SM_OK)
            note_error(r, r->acq_errors, ph, rc, &cx, "acquire");
        else if (rc != SM_OK)
            note_error(r, r->exec_errors, ph, rc, &cx, "insert");
        double op_ms = (double)tdb_ms_since(t0);
        if (acq_ms > OP_MS + SLACK_MS || op_ms > OP_MS + SLACK_MS)
            r->late++;
        if (op_ms > r->worst_ms)
            r->worst_ms = op_ms;
        sm_cx_free(&cx);
        if (rc == SM_OK) {
            atomic_fetch_add(&r->ok[ph], 1);
            sleep_ms(r->sh->shape->think_ms);
        } else {
            sleep_ms(10); /* the server is away: no busy loop */
        }
    }
    return NULL;
}

/* Waits (bounded) until every runner had WANT_OK successes in phase ph. */
static bool await_ok(runner *r, int ph)
{
    for (int waited = 0; waited < WAIT_MS; waited += 5) {
        int i = 0;
        while (i < NTHREADS && atomic_load(&r[i].ok[ph]) >= WANT_OK)
            i++;
        if (i == NTHREADS)
            return true;
        sleep_ms(5);
    }
    return false;
}

static int create_heroes(sm_cx *cx, sm_conn *conn)
{
    return sm_module_create_all(cx, conn, &heroes_module);
}

/* Checks the rows of teams against what the runners recorded. */
static void check_rows(tdb *t, runner *r)
{
    sm_cx cx;
    sm_cx_init(&cx);
    sm_cx_set_timeout_ms(&cx, TDB_TIMEOUT_MS);
    sm_conn *conn = tdb_connect(&cx, t->url); /* t->conn died with the server */
    sm_rows *rows;
    TDB_OK(&cx, sm_query(&cx, conn, "SELECT name FROM teams", NULL, 0, &rows));
    int64_t present = 0, doubt_present = 0, strays = 0, committed = 0, missing = 0;
    unsigned char *seen = calloc((size_t)NTHREADS * MAX_SEQ, 1);
    assert_non_null(seen);
    int rc;
    while ((rc = sm_rows_next(rows)) == SM_ROW) {
        const char *name = sm_rows_text(rows, 0);
        int th, seq, end = 0;
        present++;
        if (!name || sscanf(name, "%d:%d%n", &th, &seq, &end) != 2 || name[end] || th < 0 ||
            th >= NTHREADS || seq < 0 || seq >= MAX_SEQ) {
            strays++;
            continue;
        }
        seen[(size_t)th * MAX_SEQ + (size_t)seq] = 1;
        unsigned char st = r[th].state[seq];
        if (st == IN_DOUBT)
            doubt_present++;
        else if (st != COMMITTED)
            strays++;
    }
    tdb_check_rc(t, __FILE__, __LINE__, "rows read", rc, SM_DONE);
    sm_rows_close(rows);
    for (int th = 0; th < NTHREADS; th++)
        for (int seq = 0; seq < MAX_SEQ; seq++)
            if (r[th].state[seq] == COMMITTED) {
                committed++;
                if (!seen[(size_t)th * MAX_SEQ + (size_t)seq])
                    missing++;
            }
    free(seen);
    sm_close(conn);
    sm_cx_free(&cx);
    print_message("%s: %lld rows: %lld committed, %lld in doubt and present\n", t->name,
                  (long long)present, (long long)committed, (long long)doubt_present);
    tdb_check_int(t, __FILE__, __LINE__, "committed rows lost", missing, 0);
    tdb_check_int(t, __FILE__, __LINE__, "rows never committed nor in doubt", strays, 0);
    tdb_check_int(t, __FILE__, __LINE__, "rows = committed + in doubt", present,
                  committed + doubt_present);
}

/* The errors of each phase: none before and after, only SM_CONN and
 * SM_TIMEOUT during. */
static void check_errors(tdb *t, runner *r)
{
    for (int ph = 0; ph < NPHASES; ph++) {
        for (int code = 0; code < NCODES; code++) {
            int acq = 0, ex = 0;
            for (int i = 0; i < NTHREADS; i++) {
                acq += r[i].acq_errors[ph][code];
                ex += r[i].exec_errors[ph][code];
            }
            if (acq + ex == 0)
                continue;
            print_message("%s: %s the restart: %s from %d acquires and %d inserts\n", t->name,
                          phase_names[ph], sm_strerror(-code), acq, ex);
            bool allowed = ph == RESTARTING && (-code == SM_CONN || -code == SM_TIMEOUT);
            tdb_check(t, __FILE__, __LINE__, "an expected error", allowed, "%s %s the restart",
                      sm_strerror(-code), phase_names[ph]);
        }
        for (int i = 0; i < NTHREADS; i++)
            if (r[i].first_msg[ph][0] && ph != RESTARTING)
                print_message("%s: thread %d %s: %s\n", t->name, i, phase_names[ph],
                              r[i].first_msg[ph]);
    }
    for (int i = 0; i < NTHREADS; i++)
        if (r[i].first_msg[RESTARTING][0]) {
            print_message("%s: e.g. %s\n", t->name, r[i].first_msg[RESTARTING]);
            break;
        }
}

/* Opens every connection of the pool once, under the suite's generous
 * deadline: the first connections to a server just started, several at
 * once under a sanitizer, may take longer than OP_MS, and the run is
 * about the restart, not about that. */
static void warm_pool(tdb *t, sm_pool *p, int n)
{
    sm_conn *held[NTHREADS] = {0};
    sm_cx cx;
    sm_cx_init(&cx);
    sm_cx_set_timeout_ms(&cx, TDB_TIMEOUT_MS);
    for (int i = 0; i < n; i++)
        if (sm_pool_acquire(&cx, p, &held[i]) != SM_OK)
            fail_msg("%s: warming the pool: %s", t->name, sm_cx_errmsg(&cx));
    for (int i = 0; i < n; i++)
        sm_close(held[i]);
    sm_cx_free(&cx);
}

static void restart_run(tdb *t, const shape *sp)
{
    const char *restart = getenv("SMDL_TEST_RESTART");
    if (!restart || !restart[0])
        fail_msg("SMDL_TEST_RESTART is not set: run this test through tests/pool/restart.sh");
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "%s %s", restart, t->d == SM_POSTGRES ? "pg" : "my");

    sm_pool_opts o;
    memset(&o, 0, sizeof o);
    o.max_conns = sp->max_conns;
    o.health_check_after_ms = HEALTH_MS;
    shared sh;
    memset(&sh, 0, sizeof sh);
    sh.shape = sp;
    sh.p = sm_pool_open(&t->cx, t->url, &o);
    if (!sh.p)
        fail_msg("%s: sm_pool_open: %s", t->name, sm_cx_errmsg(&t->cx));
    warm_pool(t, sh.p, sp->max_conns);
    atomic_init(&sh.phase, BEFORE);
    atomic_init(&sh.stop, false);
    runner *r = calloc(NTHREADS, sizeof *r);
    assert_non_null(r);
    for (int i = 0; i < NTHREADS; i++) {
        r[i].sh = &sh;
        r[i].th = i;
        r[i].state = calloc(MAX_SEQ, 1);
        assert_non_null(r[i].state);
        for (int ph = 0; ph < NPHASES; ph++)
            atomic_init(&r[i].ok[ph], 0);
        assert_int_equal(pthread_create(&r[i].tid, NULL, run, &r[i]), 0);
    }

    bool warm = await_ok(r, BEFORE);
    sm_pool_stats before = sm_pool_stat(sh.p);
    atomic_store(&sh.phase, RESTARTING);
    int64_t t0 = sm_mono_ns();
    int src = system(cmd);
    int64_t restart_ms = tdb_ms_since(t0);
    atomic_store(&sh.phase, AFTER);
    bool healed = warm && src == 0 && await_ok(r, AFTER);
    atomic_store(&sh.stop, true);
    for (int i = 0; i < NTHREADS; i++)
        pthread_join(r[i].tid, NULL);

    tdb_check(t, __FILE__, __LINE__, "warm before the restart", warm, "a thread had fewer than %d",
              WANT_OK);
    tdb_check_int(t, __FILE__, __LINE__, "restart command", src, 0);
    tdb_check(t, __FILE__, __LINE__, "every thread succeeds after the restart", healed,
              "a thread had fewer than %d successes within %d ms", WANT_OK, WAIT_MS);

    int late = 0, acquires = sp->max_conns /* warm_pool's */, timeouts = 0;
    double worst = 0;
    for (int i = 0; i < NTHREADS; i++) {
        late += r[i].late;
        acquires += r[i].acquires_ok;
        timeouts += r[i].acquire_timeouts;
        if (r[i].worst_ms > worst)
            worst = r[i].worst_ms;
    }
    check_errors(t, r);
    tdb_check_int(t, __FILE__, __LINE__, "operations past deadline + slack", late, 0);

    sm_pool_stats s = sm_pool_stat(sh.p);
    print_message("%s, %s pool: restart %lld ms, slowest operation %.0f ms; pool: created %llu (%llu "
                  "before), failed_checks %llu, reset_failures %llu, recycled %llu, acquires "
                  "%llu, timeouts %llu\n",
                  t->name, sp->name, (long long)restart_ms, worst, (unsigned long long)s.created,
                  (unsigned long long)before.created, (unsigned long long)s.failed_checks,
                  (unsigned long long)s.reset_failures, (unsigned long long)s.recycled,
                  (unsigned long long)s.acquires, (unsigned long long)s.timeouts);
    tdb_check(t, __FILE__, __LINE__, "open == idle + in_use", s.open == s.idle + s.in_use,
              "open %d idle %d in_use %d", s.open, s.idle, s.in_use);
    tdb_check_int(t, __FILE__, __LINE__, "in_use", s.in_use, 0);
    tdb_check_int(t, __FILE__, __LINE__, "waiters", s.waiters, 0);
    tdb_check(t, __FILE__, __LINE__, "at most max_conns", s.open <= sp->max_conns, "%d", s.open);
    /* Every close is counted. */
    int64_t counted = (int64_t)(s.created - s.recycled - s.failed_checks - s.reset_failures);
    tdb_check_int(t, __FILE__, __LINE__, "open = created - closed", s.open, counted);
    tdb_check_int(t, __FILE__, __LINE__, "acquires", (int64_t)s.acquires, acquires);
    tdb_check_int(t, __FILE__, __LINE__, "timeouts", (int64_t)s.timeouts, timeouts);
    /* Every connection open before the restart was cut: it left through a
     * failed ping or a failed reset, and new ones were opened. */
    tdb_check(t, __FILE__, __LINE__, "dead connections closed",
              s.failed_checks + s.reset_failures >= (uint64_t)before.open, "%llu + %llu < %d",
              (unsigned long long)s.failed_checks, (unsigned long long)s.reset_failures,
              before.open);
    if (sp == &quiet)
        tdb_check(t, __FILE__, __LINE__, "dead idle connections found by the health check",
                  s.failed_checks > 0, "failed_checks 0");
    tdb_check(t, __FILE__, __LINE__, "new connections", s.created > before.created,
              "created %llu, %llu before", (unsigned long long)s.created,
              (unsigned long long)before.created);

    /* A last borrower on the healed pool. */
    sm_conn *c;
    expect_ok(t, sm_pool_acquire(&t->cx, sh.p, &c));
    tdb_check_int(t, __FILE__, __LINE__, "healed", tdb_scalar_int(&t->cx, c, "SELECT 6 * 7", NULL, 0),
                  42);
    sm_close(c);
    sm_pool_close(sh.p);

    check_rows(t, r);
    for (int i = 0; i < NTHREADS; i++)
        free(r[i].state);
    free(r);
}

static void body_crowded(tdb *t)
{
    restart_run(t, &crowded);
}

static void body_quiet(tdb *t)
{
    restart_run(t, &quiet);
}

static void test_restart_crowded(void **state)
{
    (void)state;
    tdb_each_on(TDB_ON(SM_POSTGRES) | TDB_ON(SM_MYSQL), create_heroes, body_crowded);
}

static void test_restart_quiet(void **state)
{
    (void)state;
    tdb_each_on(TDB_ON(SM_POSTGRES) | TDB_ON(SM_MYSQL), create_heroes, body_quiet);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_restart_crowded),
                                       cmocka_unit_test(test_restart_quiet)};
    return tdb_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
