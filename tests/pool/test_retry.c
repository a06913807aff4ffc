/*
 * test_retry.c: sm_retry_tx on every database.  A real SM_RETRY from
 * the server is retried to success, counting attempts and checking the
 * committed rows: on PostgreSQL a SERIALIZABLE transaction whose row
 * another connection updated (40001), on MariaDB/MySQL a deadlock with
 * a heavier transaction of another thread (1213, InnoDB rolls back the
 * lighter one).  Everywhere: SM_RETRY from fn is retried and the rolled
 * back attempt leaves no row, fn's own error comes back unchanged after
 * one attempt, attempts stop at max_attempts, a backoff that would pass
 * the deadline returns the last SM_RETRY, a cancel during a backoff ends
 * the retry with SM_CANCELLED, and bad arguments are misuse.
 */
#include "tdb.h"

#include "internal.h"

#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

typedef struct run {
    tdb *t;
    int attempts;
    int first_rc; /* the code of the first attempt's conflicting statement */
    int want;     /* what fn returns (scripted tests) */
    int fail_until; /* scripted: attempts below this return want */
    bool short_deadline; /* scripted: fn leaves 1 ms on the cx */
    int base;            /* scripted: the row inserted is base + attempt */
} run;

static int64_t count_rows(tdb *t)
{
    return tdb_scalar_int(&t->cx, t->conn, "SELECT COUNT(*) FROM rt", NULL, 0);
}

static int64_t v_of(tdb *t, int id)
{
    sm_value k = sm_int(id);
    return tdb_scalar_int(&t->cx, t->conn, "SELECT v FROM rt WHERE id = ?", &k, 1);
}

static void make_table(tdb *t)
{
    tdb_exec_ok(&t->cx, t->conn, "CREATE TABLE rt (id INT PRIMARY KEY, v INT NOT NULL)");
}

/* ---- Scripted: fn decides the code --------------------------------------------- */

static int scripted(sm_cx *cx, sm_conn *conn, void *ud)
{
    run *r = ud;
    r->attempts++;
    sm_value v[2] = {sm_int(r->base + r->attempts), sm_int(r->attempts * 10)};
    int rc = sm_exec(cx, conn, "INSERT INTO rt (id, v) VALUES (?, ?)", v, 2, NULL);
    if (rc != SM_OK)
        return rc;
    if (r->short_deadline)
        sm_cx_set_timeout_ms(cx, 1);
    return r->attempts < r->fail_until ? r->want : SM_OK;
}

static sm_pool *open_pool(tdb *t)
{
    sm_pool *p = sm_pool_open(&t->cx, t->url, NULL);
    if (!p)
        fail_msg("%s: sm_pool_open: %s", t->name, sm_cx_errmsg(&t->cx));
    return p;
}

static void body_scripted(tdb *t)
{
    make_table(t);
    sm_pool *p = open_pool(t);
    /* Two SM_RETRY, then success: only the third attempt's row stays. */
    run r = {.t = t, .want = SM_RETRY, .fail_until = 3};
    expect_ok(t, sm_retry_tx(&t->cx, p, scripted, &r, 5));
    tdb_check_int(t, __FILE__, __LINE__, "attempts", r.attempts, 3);
    tdb_check_int(t, __FILE__, __LINE__, "rows", count_rows(t), 1);
    tdb_check_int(t, __FILE__, __LINE__, "row of attempt 3", v_of(t, 3), 30);
    tdb_exec_ok(&t->cx, t->conn, "DELETE FROM rt");

    /* fn's own error: one attempt, the code unchanged, rolled back. */
    r = (run){.t = t, .want = SM_CONFLICT, .fail_until = 3};
    expect_rc(t, sm_retry_tx(&t->cx, p, scripted, &r, 5), SM_CONFLICT);
    tdb_check_int(t, __FILE__, __LINE__, "one attempt", r.attempts, 1);
    tdb_check_rc(t, __FILE__, __LINE__, "cx agrees", sm_cx_errcode(&t->cx), SM_CONFLICT);
    tdb_check(t, __FILE__, __LINE__, "message", strstr(sm_cx_errmsg(&t->cx), "fn returned") != NULL,
              "%s", sm_cx_errmsg(&t->cx));
    tdb_check_int(t, __FILE__, __LINE__, "rolled back", count_rows(t), 0);

    /* Always SM_RETRY: max_attempts attempts, then SM_RETRY. */
    r = (run){.t = t, .want = SM_RETRY, .fail_until = 100};
    expect_rc(t, sm_retry_tx(&t->cx, p, scripted, &r, 4), SM_RETRY);
    tdb_check_int(t, __FILE__, __LINE__, "max attempts", r.attempts, 4);
    tdb_check_int(t, __FILE__, __LINE__, "none kept", count_rows(t), 0);

    /* A backoff (at least 1 ms) that would pass the deadline: no sleep,
     * the last SM_RETRY.  fn sets the 1 ms deadline itself, so that the
     * first attempt is not what runs out of time. */
    sm_cx cx;
    sm_cx_init(&cx);
    r = (run){.t = t, .want = SM_RETRY, .fail_until = 100, .short_deadline = true};
    TDB_RC(&cx, sm_retry_tx(&cx, p, scripted, &r, 10), SM_RETRY);
    tdb_check_int(t, __FILE__, __LINE__, "deadline attempts", r.attempts, 1);
    tdb_check_int(t, __FILE__, __LINE__, "deadline rows", count_rows(t), 0);

    /* Misuse. */
    TDB_RC(&cx, sm_retry_tx(&cx, p, scripted, &r, 0), SM_MISUSE);
    tdb_check(t, __FILE__, __LINE__, "message", strstr(sm_cx_errmsg(&cx), "max_attempts is 0") != NULL,
              "%s", sm_cx_errmsg(&cx));
    sm_cx_free(&cx);
    sm_pool_stats s = sm_pool_stat(p);
    tdb_check_int(t, __FILE__, __LINE__, "all back", s.in_use, 0);
    sm_pool_close(p);
}

/* ---- A cancel wakes the backoff ------------------------------------------------- */

typedef struct canceller {
    sm_cx *cx;
    atomic_int *attempts;
    int at; /* attempts when the cancel came */
} canceller;

static int always_retry(sm_cx *cx, sm_conn *conn, void *ud)
{
    (void)conn;
    atomic_fetch_add((atomic_int *)ud, 1);
    return sm_cx_fail(cx, SM_RETRY, "scripted conflict");
}

/* Waits until the retry sleeps in a backoff (its waiter registered in
 * the cx) after the ninth attempt, where it lasts 250 to 500 ms, then
 * cancels. */
static void *cancel_in_backoff(void *arg)
{
    canceller *k = arg;
    sm_cx_impl *ci = sm_cx_impl_of(k->cx);
    for (int i = 0; i < 60000; i++) {
        pthread_mutex_lock(&ci->mu);
        bool napping = ci->waiter != NULL;
        pthread_mutex_unlock(&ci->mu);
        if (napping && atomic_load(k->attempts) >= 9) {
            k->at = atomic_load(k->attempts);
            sm_cx_cancel(k->cx);
            return NULL;
        }
        struct timespec ts = {0, 1000000};
        nanosleep(&ts, NULL);
    }
    return NULL;
}

static void body_cancel(tdb *t)
{
    sm_pool *p = open_pool(t);
    sm_cx cx;
    sm_cx_init(&cx);
    sm_cx_set_timeout_ms(&cx, 60000);
    atomic_int attempts = 0;
    canceller k = {.cx = &cx, .attempts = &attempts, .at = -1};
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, cancel_in_backoff, &k), 0);
    int rc = sm_retry_tx(&cx, p, always_retry, &attempts, 1000);
    pthread_join(th, NULL);
    TDB_RC(&cx, rc, SM_CANCELLED);
    tdb_check(t, __FILE__, __LINE__, "cancelled in a backoff", k.at >= 9, "%d", k.at);
    tdb_check_int(t, __FILE__, __LINE__, "no attempt after the cancel", atomic_load(&attempts), k.at);
    sm_cx_free(&cx);
    tdb_check_int(t, __FILE__, __LINE__, "all back", sm_pool_stat(p).in_use, 0);
    sm_pool_close(p);
}

static void test_cancel(void **state)
{
    (void)state;
    tdb_each(NULL, body_cancel);
}

static void test_scripted(void **state)
{
    (void)state;
    tdb_each(NULL, body_scripted);
}

/* ---- PostgreSQL: a serialization failure ----------------------------------------- */

/* The first attempt reads row 1 under SERIALIZABLE, another connection
 * updates and commits it, and the attempt's own update fails with 40001.
 * The second attempt sees the committed value. */
static int pg_serial(sm_cx *cx, sm_conn *conn, void *ud)
{
    run *r = ud;
    r->attempts++;
    int rc = sm_exec(cx, conn, "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE", NULL, 0, NULL);
    if (rc == SM_OK)
        rc = sm_exec(cx, conn, "SELECT v FROM rt WHERE id = 1", NULL, 0, NULL);
    if (rc != SM_OK)
        return rc;
    if (r->attempts == 1) {
        sm_cx o;
        sm_cx_init(&o);
        rc = sm_exec(&o, r->t->conn, "UPDATE rt SET v = v + 100 WHERE id = 1", NULL, 0, NULL);
        sm_cx_free(&o);
        if (rc != SM_OK)
            return SM_ERROR; /* not SM_RETRY: the test sees it */
    }
    rc = sm_exec(cx, conn, "UPDATE rt SET v = v + 1 WHERE id = 1", NULL, 0, NULL);
    if (r->attempts == 1)
        r->first_rc = rc;
    return rc;
}

/* ---- MariaDB/MySQL: a deadlock ---------------------------------------------------------- */

typedef struct heavy {
    const char *url;
    pthread_mutex_t mu;
    pthread_cond_t cond;
    bool holds_row2;
    int rc;
} heavy;

/* Locks row 2 after inserting 20 rows (so that InnoDB rolls back the
 * lighter transaction of the deadlock), then waits for row 1. */
static void *heavy_tx(void *arg)
{
    heavy *h = arg;
    sm_cx cx;
    sm_cx_init(&cx);
    sm_cx_set_timeout_ms(&cx, 60000);
    sm_conn *c = tdb_connect(&cx, h->url);
    int rc = c ? sm_begin(&cx, c) : SM_CONN;
    for (int i = 100; rc == SM_OK && i < 120; i++) {
        sm_value v[2] = {sm_int(i), sm_int(0)};
        rc = sm_exec(&cx, c, "INSERT INTO rt (id, v) VALUES (?, ?)", v, 2, NULL);
    }
    if (rc == SM_OK)
        rc = sm_exec(&cx, c, "UPDATE rt SET v = v + 10 WHERE id = 2", NULL, 0, NULL);
    pthread_mutex_lock(&h->mu);
    h->holds_row2 = true;
    pthread_cond_signal(&h->cond);
    pthread_mutex_unlock(&h->mu);
    if (rc == SM_OK)
        rc = sm_exec(&cx, c, "UPDATE rt SET v = v + 10 WHERE id = 1", NULL, 0, NULL);
    if (rc == SM_OK)
        rc = sm_commit(&cx, c);
    h->rc = rc;
    sm_close(c);
    sm_cx_free(&cx);
    return NULL;
}

typedef struct my_run {
    run r;
    heavy h;
    pthread_t th;
    bool started;
} my_run;

static int my_deadlock(sm_cx *cx, sm_conn *conn, void *ud)
{
    my_run *m = ud;
    m->r.attempts++;
    int rc = sm_exec(cx, conn, "UPDATE rt SET v = v + 1 WHERE id = 1", NULL, 0, NULL);
    if (rc != SM_OK || m->r.attempts > 1)
        return rc == SM_OK ? sm_exec(cx, conn, "UPDATE rt SET v = v + 1 WHERE id = 2", NULL, 0, NULL)
                           : rc;
    if (pthread_create(&m->th, NULL, heavy_tx, &m->h) != 0)
        return SM_ERROR;
    m->started = true;
    pthread_mutex_lock(&m->h.mu);
    while (!m->h.holds_row2)
        pthread_cond_wait(&m->h.cond, &m->h.mu);
    pthread_mutex_unlock(&m->h.mu);
    rc = sm_exec(cx, conn, "UPDATE rt SET v = v + 1 WHERE id = 2", NULL, 0, NULL);
    m->r.first_rc = rc;
    return rc;
}

static void body_conflict(tdb *t)
{
    make_table(t);
    tdb_exec_ok(&t->cx, t->conn, "INSERT INTO rt (id, v) VALUES (1, 0), (2, 0)");
    sm_pool *p = open_pool(t);
    if (t->d == SM_POSTGRES) {
        run r = {.t = t};
        expect_ok(t, sm_retry_tx(&t->cx, p, pg_serial, &r, 5));
        tdb_check_rc(t, __FILE__, __LINE__, "first attempt", r.first_rc, SM_RETRY);
        tdb_check_int(t, __FILE__, __LINE__, "attempts", r.attempts, 2);
        tdb_check_int(t, __FILE__, __LINE__, "row 1", v_of(t, 1), 101);
        tdb_check_int(t, __FILE__, __LINE__, "rows", count_rows(t), 2);
    } else if (t->d == SM_MYSQL) {
        my_run m = {.r = {.t = t}, .h = {.url = t->url}};
        pthread_mutex_init(&m.h.mu, NULL);
        pthread_cond_init(&m.h.cond, NULL);
        int rc = sm_retry_tx(&t->cx, p, my_deadlock, &m, 5);
        if (m.started)
            pthread_join(m.th, NULL);
        pthread_cond_destroy(&m.h.cond);
        pthread_mutex_destroy(&m.h.mu);
        expect_ok(t, rc);
        tdb_check_rc(t, __FILE__, __LINE__, "first attempt", m.r.first_rc, SM_RETRY);
        tdb_check_rc(t, __FILE__, __LINE__, "heavy transaction", m.h.rc, SM_OK);
        tdb_check_int(t, __FILE__, __LINE__, "attempts", m.r.attempts, 2);
        tdb_check_int(t, __FILE__, __LINE__, "row 1", v_of(t, 1), 11);
        tdb_check_int(t, __FILE__, __LINE__, "row 2", v_of(t, 2), 11);
        tdb_check_int(t, __FILE__, __LINE__, "rows", count_rows(t), 22);
    } else {
        /* SQLite serializes writers and reports lock waits past the
         * deadline as SM_BUSY, never SM_RETRY: the retry is fn's. */
        run r = {.t = t, .want = SM_RETRY, .fail_until = 2, .base = 10};
        expect_ok(t, sm_retry_tx(&t->cx, p, scripted, &r, 5));
        tdb_check_int(t, __FILE__, __LINE__, "attempts", r.attempts, 2);
        tdb_check_int(t, __FILE__, __LINE__, "rows", count_rows(t), 3);
        tdb_check_int(t, __FILE__, __LINE__, "row of attempt 2", v_of(t, 12), 20);
    }
    tdb_check_int(t, __FILE__, __LINE__, "all back", sm_pool_stat(p).in_use, 0);
    sm_pool_close(p);
}

static void test_conflict(void **state)
{
    (void)state;
    tdb_each(NULL, body_conflict);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scripted),
        cmocka_unit_test(test_conflict),
        cmocka_unit_test(test_cancel),
    };
    return tdb_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
