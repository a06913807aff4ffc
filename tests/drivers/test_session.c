/*
 * test_session.c: the session entries of every driver, through the
 * library's own functions (session.c): ping, reset (what a pool does on
 * release) and the named lock a migration runner takes, which a second
 * connection to the same database cannot take until it is released, and
 * waits for until its cx deadline.
 */
#include "internal.h"
#include "tdb.h"

#include <pthread.h>
#include <time.h>

#define LOCK "smdl_migrate"

static void ping_case(tdb *t)
{
    const char *url = t->url;
    sm_cx cx;
    sm_cx_init(&cx);
    sm_conn *c = tdb_connect(&cx, url);
    TDB_OK(&cx, sm_conn_ping(&cx, c));
    /* Misuse comes first, as for every call. */
    sm_rows *r;
    TDB_OK(&cx, sm_query(&cx, c, "SELECT 1 UNION ALL SELECT 2", NULL, 0, &r));
    TDB_RC(&cx, sm_conn_ping(&cx, c), SM_MISUSE);
    sm_rows_close(r);
    TDB_OK(&cx, sm_conn_ping(&cx, c));
    sm_close(c);
    sm_cx_free(&cx);
}

static void test_ping(void **state)
{
    (void)state;
    tdb_each(NULL, ping_case);
}

/* ---- Locks ------------------------------------------------------------------- */

static void lock_case(tdb *t)
{
    const char *url = t->url;
    sm_cx cx, wait;
    sm_cx_init(&cx);
    sm_cx_init(&wait);
    sm_conn *a = tdb_connect(&cx, url), *b = tdb_connect(&cx, url);
    TDB_OK(&cx, sm_conn_lock(&cx, a, LOCK));
    /* The second connection waits until its deadline, then SM_TIMEOUT. */
    sm_cx_set_timeout_ms(&wait, 300);
    int64_t t0 = sm_mono_ns();
    TDB_RC(&wait, sm_conn_lock(&wait, b, LOCK), SM_TIMEOUT);
    int64_t took = tdb_ms_since(t0);
    if (took < 250 || took > 10000)
        fail_msg("on %s: the lock wait took %lld ms (deadline 300 ms)", t->name, (long long)took);
    /* The failed wait left b usable and holding nothing. */
    char buf[16];
    tdb_scalar(&cx, b, "SELECT 'ok'", NULL, 0, buf, sizeof buf);
    assert_string_equal(buf, "ok");
    TDB_RC(&cx, sm_conn_unlock(&cx, b, LOCK), SM_MISUSE);
    /* Another name is another lock, also among long names that differ
     * only at their end (63 characters is the longest). */
    TDB_OK(&cx, sm_conn_lock(&cx, b, "other_lock"));
    TDB_OK(&cx, sm_conn_unlock(&cx, b, "other_lock"));
    char long1[64], long2[64], too_long[65];
    memset(long1, 'n', 63);
    memset(long2, 'n', 63);
    memset(too_long, 'n', 64);
    long1[63] = long2[63] = too_long[64] = 0;
    long2[62] = 'm';
    TDB_OK(&cx, sm_conn_lock(&cx, a, long1));
    sm_cx_set_timeout_ms(&wait, 5000);
    TDB_OK(&wait, sm_conn_lock(&wait, b, long2));
    TDB_RC(&cx, sm_conn_lock(&cx, b, too_long), SM_MISUSE);
    TDB_OK(&cx, sm_conn_unlock(&cx, a, long1));
    TDB_OK(&cx, sm_conn_unlock(&cx, b, long2));
    /* Misuse: twice, a bad name, inside a transaction, not held. */
    TDB_RC(&cx, sm_conn_lock(&cx, a, LOCK), SM_MISUSE);
    TDB_RC(&cx, sm_conn_lock(&cx, a, "no-dashes"), SM_MISUSE);
    TDB_RC(&cx, sm_conn_lock(&cx, a, ""), SM_MISUSE);
    TDB_OK(&cx, sm_begin(&cx, b));
    TDB_RC(&cx, sm_conn_lock(&cx, b, "in_tx"), SM_MISUSE);
    TDB_OK(&cx, sm_rollback(&cx, b));
    /* Released, the lock goes to the other connection at once. */
    TDB_OK(&cx, sm_conn_unlock(&cx, a, LOCK));
    TDB_RC(&cx, sm_conn_unlock(&cx, a, LOCK), SM_MISUSE);
    sm_cx_set_timeout_ms(&wait, 5000);
    TDB_OK(&wait, sm_conn_lock(&wait, b, LOCK));
    /* Closing the connection releases it too. */
    sm_close(b);
    TDB_OK(&wait, sm_conn_lock(&wait, a, LOCK));
    TDB_OK(&cx, sm_conn_unlock(&cx, a, LOCK));
    sm_close(a);
    sm_cx_free(&cx);
    sm_cx_free(&wait);
}

static void test_lock(void **state)
{
    (void)state;
    tdb_each(NULL, lock_case);
}

typedef struct canceller {
    sm_cx *cx;
    int delay_ms;
} canceller;

static void *cancel_later(void *arg)
{
    canceller *c = arg;
    struct timespec ts = {c->delay_ms / 1000, (long)(c->delay_ms % 1000) * 1000000};
    nanosleep(&ts, NULL);
    sm_cx_cancel(c->cx);
    return NULL;
}

/* A cancel from another thread ends the wait (without a deadline). */
static void lock_cancel_case(tdb *t)
{
    const char *url = t->url;
    sm_cx cx, run;
    sm_cx_init(&cx);
    sm_cx_init(&run);
    sm_conn *a = tdb_connect(&cx, url), *b = tdb_connect(&cx, url);
    TDB_OK(&cx, sm_conn_lock(&cx, a, LOCK));
    canceller c = {&run, 100};
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, cancel_later, &c), 0);
    int64_t t0 = sm_mono_ns();
    TDB_RC(&run, sm_conn_lock(&run, b, LOCK), SM_CANCELLED);
    pthread_join(th, NULL);
    assert_true(tdb_ms_since(t0) < 10000);
    TDB_OK(&cx, sm_conn_unlock(&cx, a, LOCK));
    sm_cx_set_timeout_ms(&cx, 5000);
    TDB_OK(&cx, sm_conn_lock(&cx, b, LOCK));
    sm_close(a);
    sm_close(b);
    sm_cx_free(&cx);
    sm_cx_free(&run);
}

static void test_lock_cancel(void **state)
{
    (void)state;
    tdb_each(NULL, lock_cancel_case);
}

/* ---- Reset --------------------------------------------------------------------- */

/* Per dialect: a setting to change, how to read it back, its value after
 * sm_open, and the other value. */
typedef struct setting {
    const char *set, *get, *open_value;
} setting;

static setting setting_of(sm_dialect d)
{
    switch (d) {
    case SM_SQLITE:
        return (setting){"PRAGMA foreign_keys = OFF", "PRAGMA foreign_keys", "1"};
    case SM_POSTGRES:
        return (setting){"SET TimeZone = 'Europe/Paris'", "SHOW TimeZone", "UTC"};
    case SM_MYSQL:
        return (setting){"SET SESSION time_zone = '+05:00'", "SELECT @@SESSION.time_zone",
                         "+00:00"};
    }
    return (setting){NULL, NULL, NULL};
}

static void reset_case(tdb *t)
{
    const char *url = t->url;
    sm_cx cx;
    sm_cx_init(&cx);
    sm_conn *c = tdb_connect(&cx, url), *other = tdb_connect(&cx, url);
    setting s = setting_of(t->d);
    char buf[64];
    tdb_exec_ok(&cx, c, "CREATE TABLE r (x INT)");
    /* A cached statement, to see that it survives. */
    tdb_exec_ok(&cx, c, "INSERT INTO r VALUES (1)");
    uint64_t prepares = sm_conn_stat(c).prepares;

    /* What a careless user leaves behind: a changed setting, a lock, an
     * open transaction with a write, an unfinished result. */
    tdb_exec_ok(&cx, c, s.set);
    tdb_scalar(&cx, c, s.get, NULL, 0, buf, sizeof buf);
    assert_string_not_equal(buf, s.open_value);
    TDB_OK(&cx, sm_conn_lock(&cx, c, LOCK));
    TDB_OK(&cx, sm_begin(&cx, c));
    tdb_exec_ok(&cx, c, "INSERT INTO r VALUES (2)");
    sm_rows *rows;
    TDB_OK(&cx, sm_query(&cx, c, "SELECT x FROM r", NULL, 0, &rows));

    TDB_OK(&cx, sm_conn_reset(&cx, c));
    assert_false(sm_in_transaction(c));
    /* The rows were let go of: they answer SM_MISUSE until closed. */
    assert_int_equal(sm_rows_next(rows), SM_MISUSE);
    sm_rows_close(rows);
    tdb_scalar(&cx, c, s.get, NULL, 0, buf, sizeof buf);
    assert_string_equal(buf, s.open_value);
    tdb_scalar(&cx, c, "SELECT count(*) FROM r", NULL, 0, buf, sizeof buf);
    assert_string_equal(buf, "1");
    /* The lock is free for another connection. */
    sm_cx_set_timeout_ms(&cx, 5000);
    TDB_OK(&cx, sm_conn_lock(&cx, other, LOCK));
    TDB_OK(&cx, sm_conn_unlock(&cx, other, LOCK));
    sm_cx_set_timeout_ms(&cx, 0);
    TDB_RC(&cx, sm_conn_unlock(&cx, c, LOCK), SM_MISUSE);
    /* The statement cache stayed: the insert is not prepared again. */
    uint64_t before = sm_conn_stat(c).prepares;
    tdb_exec_ok(&cx, c, "INSERT INTO r VALUES (1)");
    assert_int_equal(sm_conn_stat(c).prepares, before);
    assert_true(before >= prepares);

    /* A failed transaction is reset too. */
    TDB_OK(&cx, sm_begin(&cx, c));
    tdb_expect_no_table(&cx, t->d,
                        sm_exec(&cx, c, "INSERT INTO no_such_table VALUES (1)", NULL, 0, NULL),
                        "no_such_table");
    TDB_RC(&cx, sm_exec(&cx, c, "SELECT 1", NULL, 0, NULL), SM_MISUSE);
    TDB_OK(&cx, sm_conn_reset(&cx, c));
    tdb_scalar(&cx, c, "SELECT count(*) FROM r", NULL, 0, buf, sizeof buf);
    assert_string_equal(buf, "2");
    sm_close(c);
    sm_close(other);
    sm_cx_free(&cx);
}

static void test_reset(void **state)
{
    (void)state;
    tdb_each(NULL, reset_case);
}

/* Temporary tables: dropped where the database can without dropping the
 * prepared statements (SQLite, PostgreSQL); MySQL keeps them. */
static void reset_temp_case(tdb *t)
{
    const char *url = t->url;
    sm_cx cx;
    sm_cx_init(&cx);
    sm_conn *c = tdb_connect(&cx, url);
    tdb_exec_ok(&cx, c, "CREATE TEMPORARY TABLE tmp_r (x INT)");
    tdb_exec_ok(&cx, c, "INSERT INTO tmp_r VALUES (1)");
    TDB_OK(&cx, sm_conn_reset(&cx, c));
    int rc = sm_exec(&cx, c, "INSERT INTO tmp_r VALUES (2)", NULL, 0, NULL);
    if (t->d == SM_MYSQL)
        TDB_OK(&cx, rc);
    else
        tdb_expect_no_table(&cx, t->d, rc, "tmp_r");
    sm_close(c);
    sm_cx_free(&cx);
}

static void test_reset_temp(void **state)
{
    (void)state;
    tdb_each(NULL, reset_temp_case);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ping),
        cmocka_unit_test(test_lock),
        cmocka_unit_test(test_lock_cancel),
        cmocka_unit_test(test_reset),
        cmocka_unit_test(test_reset_temp),
    };
    return tdb_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
