/*
 * test_pool_sqlite.c: what a pool does on SQLite alone (the other pool
 * tests run on every database).  A file pool runs in WAL mode: readers
 * go on while a writer holds the write lock, and a second writer waits
 * for it up to its cx deadline (SM_BUSY after the deadline, not at
 * once).  A "sqlite::memory:" pool shares one in-memory database between
 * its connections, for as long as the pool lives, and takes the same
 * locks as a file (a writer waits for a writer).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <smdl/smdl.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000};
    nanosleep(&ts, NULL);
}

static void ok(sm_cx *cx, int rc)
{
    if (rc != SM_OK)
        fail_msg("got %s: %s", sm_strerror(rc), sm_cx_errmsg(cx));
}

static int64_t scalar(sm_conn *c, const char *sql)
{
    sm_cx cx;
    sm_cx_init(&cx);
    sm_rows *r;
    ok(&cx, sm_query(&cx, c, sql, NULL, 0, &r));
    assert_int_equal(sm_rows_next(r), SM_ROW);
    int64_t v = sm_rows_int(r, 0);
    sm_rows_close(r);
    sm_cx_free(&cx);
    return v;
}

static const char *text(sm_conn *c, const char *sql, char *buf, size_t n)
{
    sm_cx cx;
    sm_cx_init(&cx);
    sm_rows *r;
    ok(&cx, sm_query(&cx, c, sql, NULL, 0, &r));
    assert_int_equal(sm_rows_next(r), SM_ROW);
    snprintf(buf, n, "%s", sm_rows_text(r, 0));
    sm_rows_close(r);
    sm_cx_free(&cx);
    return buf;
}

static sm_pool *open_pool(const char *url, int max, int lifetime_ms)
{
    sm_cx cx;
    sm_cx_init(&cx);
    sm_pool_opts o;
    memset(&o, 0, sizeof o);
    o.max_conns = max;
    o.max_lifetime_ms = lifetime_ms;
    sm_pool *p = sm_pool_open(&cx, url, &o);
    if (!p)
        fail_msg("sm_pool_open %s: %s", url, sm_cx_errmsg(&cx));
    sm_cx_free(&cx);
    return p;
}

/* ---- A second writer waits for the first ------------------------------------------ */

typedef struct writer {
    sm_pool *p;
    int deadline_ms;
    int rc;
    int64_t waited_ms;
} writer;

static void *write_one(void *ud)
{
    writer *w = ud;
    sm_cx cx;
    sm_cx_init(&cx);
    sm_cx_set_timeout_ms(&cx, w->deadline_ms);
    sm_conn *c;
    int64_t t0 = now_ms();
    w->rc = sm_pool_acquire(&cx, w->p, &c);
    if (w->rc == SM_OK) {
        w->rc = sm_exec(&cx, c, "INSERT INTO t (v) VALUES (2)", NULL, 0, NULL);
        sm_close(c);
    }
    w->waited_ms = now_ms() - t0;
    sm_cx_free(&cx);
    return NULL;
}

/* One connection holds the write lock for hold_ms while another thread
 * inserts with a deadline of deadline_ms; also checks what a reader sees
 * meanwhile (WAL: the committed state, at once; memdb: it waits). */
static writer race(sm_pool *p, int hold_ms, int deadline_ms, bool wal)
{
    sm_cx cx;
    sm_cx_init(&cx);
    sm_conn *a;
    ok(&cx, sm_pool_acquire(&cx, p, &a));
    int64_t committed = scalar(a, "SELECT count(*) FROM t");
    ok(&cx, sm_begin(&cx, a)); /* BEGIN IMMEDIATE: the write lock */
    ok(&cx, sm_exec(&cx, a, "INSERT INTO t (v) VALUES (1)", NULL, 0, NULL));
    int64_t before = committed;
    if (wal) {
        sm_conn *r;
        ok(&cx, sm_pool_acquire(&cx, p, &r));
        before = scalar(r, "SELECT count(*) FROM t");
        sm_close(r);
    }
    writer w = {p, deadline_ms, -100, 0};
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, write_one, &w), 0);
    sleep_ms(hold_ms);
    ok(&cx, sm_commit(&cx, a));
    sm_close(a);
    assert_int_equal(pthread_join(th, NULL), 0);
    sm_cx_free(&cx);
    if (wal)
        assert_int_equal(before, committed); /* the reader saw the committed state */
    return w;
}

static void check_waits(sm_pool *p, bool wal)
{
    sm_conn *c;
    sm_cx cx;
    sm_cx_init(&cx);
    ok(&cx, sm_pool_acquire(&cx, p, &c));
    ok(&cx, sm_exec(&cx, c, "CREATE TABLE t (id INTEGER PRIMARY KEY, v INT NOT NULL)", NULL, 0,
                    NULL));
    sm_close(c);
    /* The lock is given up within the deadline: the writer waits and
     * succeeds. */
    writer w = race(p, 200, 5000, wal);
    if (w.rc != SM_OK)
        fail_msg("second writer: %s", sm_strerror(w.rc));
    assert_true(w.waited_ms >= 150);
    /* It is not: SM_BUSY at the deadline, not at once. */
    w = race(p, 600, 150, wal);
    assert_int_equal(w.rc, SM_BUSY);
    assert_true(w.waited_ms >= 140);
    assert_true(w.waited_ms < 550);
    ok(&cx, sm_pool_acquire(&cx, p, &c));
    assert_int_equal(scalar(c, "SELECT count(*) FROM t"), 3);
    assert_int_equal(scalar(c, "SELECT sum(v) FROM t"), 4);
    sm_close(c);
    sm_pool_stats s = sm_pool_stat(p);
    assert_int_equal(s.open, s.idle + s.in_use);
    assert_int_equal(s.in_use, 0);
    sm_cx_free(&cx);
}

static void test_file_pool(void **state)
{
    (void)state;
    char dir[] = "/tmp/smdl-pool-sqlite-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char url[128], path[96], wal[104];
    snprintf(path, sizeof path, "%s/db.sqlite", dir);
    snprintf(url, sizeof url, "sqlite:%s", path);
    sm_pool *p = open_pool(url, 4, 0);
    sm_conn *c;
    sm_cx cx;
    sm_cx_init(&cx);
    ok(&cx, sm_pool_acquire(&cx, p, &c));
    char mode[16];
    assert_string_equal(text(c, "PRAGMA journal_mode", mode, sizeof mode), "wal");
    sm_close(c);
    sm_cx_free(&cx);
    check_waits(p, true);
    sm_pool_close(p);
    snprintf(wal, sizeof wal, "%s-wal", path);
    unlink(wal);
    snprintf(wal, sizeof wal, "%s-shm", path);
    unlink(wal);
    unlink(path);
    rmdir(dir);
}

/* ---- sqlite::memory: ----------------------------------------------------------------- */

static void test_memory_shared(void **state)
{
    (void)state;
    sm_cx cx;
    sm_cx_init(&cx);
    /* Connections recycled at every release: only the pool's keeper
     * holds the database between borrowers. */
    sm_pool *p = open_pool("sqlite::memory:", 2, 1);
    sm_conn *a, *b;
    ok(&cx, sm_pool_acquire(&cx, p, &a));
    ok(&cx, sm_pool_acquire(&cx, p, &b));
    assert_true(a != b);
    ok(&cx, sm_exec(&cx, a, "CREATE TABLE t (id INTEGER PRIMARY KEY, v INT NOT NULL)", NULL, 0,
                    NULL));
    ok(&cx, sm_exec(&cx, a, "INSERT INTO t (v) VALUES (7)", NULL, 0, NULL));
    assert_int_equal(scalar(b, "SELECT sum(v) FROM t"), 7); /* the same database */
    sleep_ms(5);
    sm_close(a);
    sm_close(b);
    sm_pool_stats s = sm_pool_stat(p);
    assert_int_equal(s.open, 0); /* both recycled */
    assert_int_equal(s.recycled, 2);
    ok(&cx, sm_pool_acquire(&cx, p, &a));
    assert_int_equal(scalar(a, "SELECT sum(v) FROM t"), 7); /* still there */
    sm_close(a);

    /* Another pool has a database of its own, and sm_open a private one. */
    sm_pool *q = open_pool("sqlite::memory:", 1, 0);
    ok(&cx, sm_pool_acquire(&cx, q, &b));
    assert_int_equal(scalar(b, "SELECT count(*) FROM sqlite_master WHERE name = 't'"), 0);
    sm_close(b);
    sm_pool_close(q);
    sm_conn *own;
    ok(&cx, sm_open(&cx, "sqlite::memory:", &own));
    assert_int_equal(scalar(own, "SELECT count(*) FROM sqlite_master WHERE name = 't'"), 0);
    sm_close(own);
    sm_pool_close(p);
    sm_cx_free(&cx);
}

static void test_memory_waits(void **state)
{
    (void)state;
    sm_pool *p = open_pool("sqlite::memory:", 4, 0);
    check_waits(p, false);
    sm_pool_close(p);
}

/* A bad URL fails the open, with the URL parser's reason. */
static void test_bad_url(void **state)
{
    (void)state;
    sm_cx cx;
    sm_cx_init(&cx);
    assert_null(sm_pool_open(&cx, "sqlite:", NULL));
    assert_int_equal(sm_cx_errcode(&cx), SM_MISUSE);
    assert_non_null(strstr(sm_cx_errmsg(&cx), "without a path"));
    sm_cx_free(&cx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_file_pool),
        cmocka_unit_test(test_memory_shared),
        cmocka_unit_test(test_memory_waits),
        cmocka_unit_test(test_bad_url),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
