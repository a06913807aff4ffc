/*
 * test_threads.c: a connection belongs to one call at a time.  Threads
 * hammering one connection (which the API forbids) never crash inside the
 * client library: each call either runs or gets SM_MISUSE saying the
 * connection is busy, and the connection works afterwards.  On every
 * driver, with raw statements and with results left open for a while.
 */
#include "internal.h"
#include "tdb.h"

#include <pthread.h>
#include <sched.h>

#define THREADS 4
#define CALLS 600          /* calls each thread completes */
#define GIVE_UP_NS INT64_C(60000000000)

typedef struct worker {
    sm_conn *conn;
    pthread_barrier_t *start;
    int ok, busy, other, inserted;
    int other_rc;
    char other_msg[200];
} worker;

static bool busy_message(const sm_cx *cx)
{
    const char *m = sm_cx_errmsg(cx);
    return strstr(m, "already running a call") || strstr(m, "a result is open");
}

static void *hammer(void *arg)
{
    worker *w = arg;
    sm_cx cx;
    sm_cx_init(&cx);
    pthread_barrier_wait(w->start);
    int64_t give_up = sm_mono_ns() + GIVE_UP_NS;
    for (int i = 0; i < CALLS && sm_mono_ns() < give_up;) {
        sm_value p[1] = {sm_int(i)};
        int rc;
        if (i % 3 == 2) {
            /* A result held across several calls widens the window. */
            sm_rows *r = NULL;
            rc = sm_query(&cx, w->conn, "SELECT 1 UNION ALL SELECT 2", NULL, 0, &r);
            if (rc == SM_OK) {
                while ((rc = sm_rows_next(r)) == SM_ROW)
                    ;
                sm_rows_close(r);
                rc = rc == SM_DONE ? SM_OK : rc;
            }
        } else {
            rc = sm_exec(&cx, w->conn, "INSERT INTO hammered (v) VALUES (?)", p, 1, NULL);
            w->inserted += rc == SM_OK;
        }
        if (rc == SM_MISUSE && busy_message(&cx)) {
            w->busy++;
            sched_yield();
            continue;
        }
        i++;
        if (rc == SM_OK) {
            w->ok++;
        } else if (!w->other++) {
            w->other_rc = rc;
            snprintf(w->other_msg, sizeof w->other_msg, "%s", sm_cx_errmsg(&cx));
        }
    }
    sm_cx_free(&cx);
    return NULL;
}

static void threads_case(tdb *t)
{
    const char *url = t->url;
    sm_cx cx;
    sm_cx_init(&cx);
    sm_conn *c = tdb_connect(&cx, url);
    tdb_exec_ok(&cx, c, "CREATE TABLE hammered (v INT)");
    worker w[THREADS];
    pthread_t th[THREADS];
    pthread_barrier_t start;
    assert_int_equal(pthread_barrier_init(&start, NULL, THREADS), 0);
    memset(w, 0, sizeof w);
    for (int i = 0; i < THREADS; i++) {
        w[i].conn = c;
        w[i].start = &start;
        assert_int_equal(pthread_create(&th[i], NULL, hammer, &w[i]), 0);
    }
    int ok = 0, busy = 0, inserted = 0;
    for (int i = 0; i < THREADS; i++) {
        pthread_join(th[i], NULL);
        if (w[i].other)
            fail_msg("on %s: %d calls failed otherwise, the first %s: %s", t->name, w[i].other,
                     sm_strerror(w[i].other_rc), w[i].other_msg);
        ok += w[i].ok;
        busy += w[i].busy;
        inserted += w[i].inserted;
    }
    pthread_barrier_destroy(&start);
    printf("    %d calls ran, %d were refused\n", ok, busy);
    assert_int_equal(ok, THREADS * CALLS);
    /* Every insert that ran is there, none that was refused, and the
     * connection still works. */
    char buf[32], want[32];
    tdb_scalar(&cx, c, "SELECT count(*) FROM hammered", NULL, 0, buf, sizeof buf);
    snprintf(want, sizeof want, "%d", inserted);
    assert_string_equal(buf, want);
    sm_close(c);
    sm_cx_free(&cx);
}

static void test_threads_on_one_connection(void **state)
{
    (void)state;
    tdb_each(NULL, threads_case);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_threads_on_one_connection),
    };
    return tdb_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
