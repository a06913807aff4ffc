/*
 * test_pg_conn.c: connecting to PostgreSQL through every URL form, bad
 * credentials and parameters, the session settings, notices, deadlines
 * and cancellation while connecting, a lost connection, ping and round
 * trips.
 */
#include "pgtest.h"

#include <libpq-fe.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* The parts of the test database's URL. */
static sm_url parts(sm_cx *cx)
{
    sm_url u;
    TDB_OK(cx, sm_url_parse(cx, pgt_url(), &u));
    assert_int_equal(u.dialect, SM_POSTGRES);
    assert_non_null(u.host);
    assert_non_null(u.user);
    assert_non_null(u.password);
    assert_non_null(u.db);
    return u;
}

static void test_url_forms(void **state)
{
    (void)state;
    sm_cx cx;
    sm_cx_init(&cx);
    sm_url u = parts(&cx);
    char url[512], buf[128];
    const char *forms[] = {
        "postgres://%s:%s@%s:%d/%s",
        "postgresql://%s:%s@%s:%d/%s",
        "postgres:user=%s password=%s host=%s port=%d dbname=%s",
        "postgres:user='%s' password='%s' host=%s port=%d dbname='%s' connect_timeout=10",
    };
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        snprintf(url, sizeof url, forms[i], u.user, u.password, u.host, u.port, u.db);
        sm_conn *conn = NULL;
        TDB_OK(&cx, sm_open(&cx, url, &conn));
        assert_int_equal(sm_conn_dialect(conn), SM_POSTGRES);
        tdb_scalar(&cx, conn, "SELECT current_database()", NULL, 0, buf, sizeof buf);
        assert_string_equal(buf, u.db);
        sm_close(conn);
    }
    /* The redacted URL never shows the password. */
    sm_conn *conn = pgt_open(&cx);
    assert_null(strstr(sm_conn_url(conn), ":smdl@"));
    assert_non_null(strstr(sm_conn_url(conn), "***"));
    sm_close(conn);
    sm_url_free(&u);
    sm_cx_free(&cx);
}

/* The password as a percent-encoded parameter key, and in a keyword
 * string given many times: sm_conn_url shows none of them. */
static void test_url_hides_encoded_password(void **state)
{
    (void)state;
    sm_cx cx;
    sm_cx_init(&cx);
    sm_url u = parts(&cx);
    char url[1024], want[1024];
    snprintf(url, sizeof url, "postgres://%s@%s:%d/%s?pass%%77ord=%s&application_name=t", u.user,
             u.host, u.port, u.db, u.password);
    snprintf(want, sizeof want, "postgres://%s@%s:%d/%s?pass%%77ord=***&application_name=t",
             u.user, u.host, u.port, u.db);
    sm_conn *conn = NULL;
    TDB_OK(&cx, sm_open(&cx, url, &conn));
    assert_string_equal(sm_conn_url(conn), want);
    sm_close(conn);
    /* libpq takes the last of several; each is hidden. */
    size_t n = (size_t)snprintf(url, sizeof url, "postgres:host=%s port=%d dbname=%s user=%s",
                                u.host, u.port, u.db, u.user);
    for (int i = 0; i < 10; i++)
        n += (size_t)snprintf(url + n, sizeof url - n, " password=%s", u.password);
    TDB_OK(&cx, sm_open(&cx, url, &conn));
    const char *shown = sm_conn_url(conn);
    const char *p = shown;
    int stars = 0;
    while ((p = strstr(p, "password=***")) != NULL) {
        stars++;
        p++;
    }
    assert_int_equal(stars, 10);
    assert_null(strstr(shown, "password=smdl"));
    sm_close(conn);
    sm_url_free(&u);
    sm_cx_free(&cx);
}

static void test_params_pass_through(void **state)
{
    (void)state;
    sm_cx cx;
    sm_cx_init(&cx);
    sm_url u = parts(&cx);
    char url[512], buf[128];
    snprintf(url, sizeof url,
             "postgres://%s:%s@%s:%d/%s?application_name=pgtest&options=-c%%20search_path%%3Dx_y"
             "&sslmode=disable",
             u.user, u.password, u.host, u.port, u.db);
    sm_conn *conn = NULL;
    TDB_OK(&cx, sm_open(&cx, url, &conn));
    tdb_scalar(&cx, conn, "SHOW application_name", NULL, 0, buf, sizeof buf);
    assert_string_equal(buf, "pgtest");
    /* The user's options are kept, the session's are added. */
    tdb_scalar(&cx, conn, "SHOW search_path", NULL, 0, buf, sizeof buf);
    assert_string_equal(buf, "x_y");
    tdb_scalar(&cx, conn, "SHOW TimeZone", NULL, 0, buf, sizeof buf);
    assert_string_equal(buf, "UTC");
    sm_close(conn);
    /* The same through a keyword string, trying to override the zone. */
    snprintf(url, sizeof url,
             "postgres:user=%s password=%s host=%s port=%d dbname=%s "
             "options='-c search_path=k_w -c TimeZone=Europe/Paris' client_encoding=LATIN1",
             u.user, u.password, u.host, u.port, u.db);
    TDB_OK(&cx, sm_open(&cx, url, &conn));
    tdb_scalar(&cx, conn, "SHOW search_path", NULL, 0, buf, sizeof buf);
    assert_string_equal(buf, "k_w");
    tdb_scalar(&cx, conn, "SHOW TimeZone", NULL, 0, buf, sizeof buf);
    assert_string_equal(buf, "UTC");
    tdb_scalar(&cx, conn, "SHOW client_encoding", NULL, 0, buf, sizeof buf);
    assert_string_equal(buf, "UTF8");
    sm_close(conn);
    sm_url_free(&u);
    sm_cx_free(&cx);
}

static void test_session_settings(void **state)
{
    (void)state;
    sm_cx cx;
    sm_cx_init(&cx);
    sm_conn *conn = pgt_open(&cx);
    char buf[128];
    tdb_scalar(&cx, conn, "SHOW TimeZone", NULL, 0, buf, sizeof buf);
    assert_string_equal(buf, "UTC");
    tdb_scalar(&cx, conn, "SHOW client_encoding", NULL, 0, buf, sizeof buf);
    assert_string_equal(buf, "UTF8");
    tdb_scalar(&cx, conn, "SHOW standard_conforming_strings", NULL, 0, buf, sizeof buf);
    assert_string_equal(buf, "on");
    tdb_scalar(&cx, conn, "SHOW bytea_output", NULL, 0, buf, sizeof buf);
    assert_string_equal(buf, "hex");
    tdb_scalar(&cx, conn, "SELECT '2024-01-02 03:04:05.5+02'::timestamptz::text", NULL, 0, buf,
               sizeof buf);
    assert_string_equal(buf, "2024-01-02 01:04:05.5+00");
    tdb_scalar(&cx, conn, "SELECT 'a\\b'", NULL, 0, buf, sizeof buf);
    assert_string_equal(buf, "a\\b");
    sm_close(conn);
    sm_cx_free(&cx);
}

static void test_bad_password(void **state)
{
    (void)state;
    sm_cx cx;
    sm_cx_init(&cx);
    sm_url u = parts(&cx);
    char url[512];
    const char *secret = "Wr0ng-Pa55word";
    snprintf(url, sizeof url, "postgres://%s:%s@%s:%d/%s", u.user, secret, u.host, u.port, u.db);
    sm_conn *conn = (sm_conn *)&cx; /* must be reset to NULL */
    TDB_RC(&cx, sm_open(&cx, url, &conn), SM_CONN);
    assert_null(conn);
    const char *msg = sm_cx_errmsg(&cx);
    assert_non_null(strstr(msg, "password authentication failed"));
    assert_null(strstr(msg, secret));
    assert_int_equal(sm_cx_errcode(&cx), SM_CONN);
    /* The keyword form, password quoted. */
    snprintf(url, sizeof url, "postgres:host=%s port=%d user=%s dbname=%s password='%s'", u.host,
             u.port, u.user, u.db, secret);
    TDB_RC(&cx, sm_open(&cx, url, &conn), SM_CONN);
    assert_null(strstr(sm_cx_errmsg(&cx), secret));
    /* A database that does not exist. */
    snprintf(url, sizeof url, "postgres://%s:%s@%s:%d/no_such_db_x", u.user, u.password, u.host,
             u.port);
    TDB_RC(&cx, sm_open(&cx, url, &conn), SM_CONN);
    assert_non_null(strstr(sm_cx_errmsg(&cx), "no_such_db_x"));
    sm_url_free(&u);
    sm_cx_free(&cx);
}

static void test_bad_params(void **state)
{
    (void)state;
    sm_cx cx;
    sm_cx_init(&cx);
    sm_url u = parts(&cx);
    char url[512];
    sm_conn *conn = NULL;
    snprintf(url, sizeof url, "postgres://%s:%s@%s:%d/%s?bogus_key=hidden_value", u.user,
             u.password, u.host, u.port, u.db);
    TDB_RC(&cx, sm_open(&cx, url, &conn), SM_MISUSE);
    assert_non_null(strstr(sm_cx_errmsg(&cx), "bogus_key"));
    assert_null(strstr(sm_cx_errmsg(&cx), "hidden_value"));
    snprintf(url, sizeof url, "postgres:host=%s bogus_key=hidden_value password=%s", u.host,
             u.password);
    TDB_RC(&cx, sm_open(&cx, url, &conn), SM_MISUSE);
    assert_non_null(strstr(sm_cx_errmsg(&cx), "bogus_key"));
    assert_null(strstr(sm_cx_errmsg(&cx), "hidden_value"));
    /* A keyword string that does not parse: no part of it is echoed. */
    TDB_RC(&cx, sm_open(&cx, "postgres:host=x password 'un terminated", &conn), SM_MISUSE);
    assert_null(strstr(sm_cx_errmsg(&cx), "terminated"));
    /* Known to libpq 16 and later only: an older one refuses it. */
    snprintf(url, sizeof url, "postgres://%s:%s@%s:%d/%s?load_balance_hosts=disable", u.user,
             u.password, u.host, u.port, u.db);
    int rc = sm_open(&cx, url, &conn);
    print_message("    libpq %d: load_balance_hosts gives %s\n", PQlibVersion(), sm_strerror(rc));
    TDB_RC(&cx, rc, PQlibVersion() >= 160000 ? SM_OK : SM_MISUSE);
    sm_close(conn);
    conn = NULL;
    /* Bad values are libpq's to judge: a connection failure. */
    snprintf(url, sizeof url, "postgres://%s:%s@%s:%d/%s?sslmode=bogus", u.user, u.password, u.host,
             u.port, u.db);
    TDB_RC(&cx, sm_open(&cx, url, &conn), SM_CONN);
    assert_non_null(strstr(sm_cx_errmsg(&cx), "invalid sslmode value"));
    assert_null(conn);
    sm_url_free(&u);
    sm_cx_free(&cx);
}

/* A listener that accepts TCP connections (the kernel does) but never
 * answers: connecting hangs in the startup exchange. */
static int silent_listener(int *port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(fd, 8), 0);
    socklen_t len = sizeof a;
    assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    *port = ntohs(a.sin_port);
    return fd;
}

static void test_connect_deadline(void **state)
{
    (void)state;
    sm_cx cx;
    sm_cx_init(&cx);
    int port, fd = silent_listener(&port);
    char url[256];
    snprintf(url, sizeof url, "postgres://smdl:smdl@127.0.0.1:%d/db?sslmode=disable", port);
    sm_conn *conn = NULL;
    sm_cx_set_timeout_ms(&cx, 150);
    int64_t t0 = sm_mono_ns();
    TDB_RC(&cx, sm_open(&cx, url, &conn), SM_TIMEOUT);
    int64_t ms = tdb_ms_since(t0);
    assert_true(ms >= 140 && ms < 5000); /* the deadline, and no hang */
    assert_null(conn);
    /* connect_timeout bounds it too, without a cx deadline. */
    sm_cx_set_timeout_ms(&cx, 0);
    snprintf(url, sizeof url,
             "postgres://smdl:smdl@127.0.0.1:%d/db?sslmode=disable&connect_timeout=1", port);
    t0 = sm_mono_ns();
    TDB_RC(&cx, sm_open(&cx, url, &conn), SM_CONN);
    ms = tdb_ms_since(t0);
    assert_true(ms >= 900 && ms < 20000); /* the listener never answers: no hang */
    assert_non_null(strstr(sm_cx_errmsg(&cx), "timed out"));
    close(fd);
    sm_cx_free(&cx);
}

typedef struct canceller {
    sm_cx *cx;
    int delay_ms;
    int64_t at_ns;
} canceller;

static void *cancel_later(void *arg)
{
    canceller *c = arg;
    struct timespec ts = {0, (long)c->delay_ms * 1000000};
    nanosleep(&ts, NULL);
    c->at_ns = sm_mono_ns();
    sm_cx_cancel(c->cx);
    return NULL;
}

static void test_connect_cancel(void **state)
{
    (void)state;
    sm_cx cx;
    sm_cx_init(&cx);
    int port, fd = silent_listener(&port);
    char url[256];
    snprintf(url, sizeof url, "postgres://smdl:smdl@127.0.0.1:%d/db?sslmode=disable", port);
    canceller c = {&cx, 100, 0};
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, cancel_later, &c), 0);
    sm_conn *conn = NULL;
    TDB_RC(&cx, sm_open(&cx, url, &conn), SM_CANCELLED);
    int64_t late = tdb_ms_since(c.at_ns);
    pthread_join(th, NULL);
    assert_true(late < 5000); /* no hang: latency is measured in bench/ */
    assert_null(conn);
    close(fd);
    sm_cx_free(&cx);
}

/* Runs sql with fd 2 sent to a file; returns what was written there. */
static size_t stderr_bytes_during(sm_cx *cx, sm_conn *conn, const char *sql)
{
    char path[] = "/tmp/smdl-pgtest-XXXXXX";
    int tmp = mkstemp(path);
    assert_true(tmp >= 0);
    unlink(path);
    fflush(stderr);
    int saved = dup(2);
    dup2(tmp, 2);
    int rc = sm_exec(cx, conn, sql, NULL, 0, NULL);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    off_t n = lseek(tmp, 0, SEEK_END);
    close(tmp);
    TDB_OK(cx, rc);
    return (size_t)n;
}

static void test_notices_are_quiet(void **state)
{
    (void)state;
    sm_cx cx;
    sm_cx_init(&cx);
    sm_conn *conn = pgt_open(&cx);
    assert_int_equal(stderr_bytes_during(&cx, conn,
                                         "DO $$ BEGIN RAISE NOTICE 'a notice ?'; "
                                         "RAISE WARNING 'a warning'; END $$"),
                     0);
    assert_int_equal(stderr_bytes_during(&cx, conn, "DROP TABLE IF EXISTS no_such_table_x"), 0);
    sm_close(conn);
    sm_cx_free(&cx);
}

static void test_connection_lost(void **state)
{
    (void)state;
    sm_cx cx;
    sm_cx_init(&cx);
    sm_conn *victim = pgt_open(&cx);
    sm_conn *killer = pgt_open(&cx);
    char pid[32];
    tdb_scalar(&cx, victim, "SELECT pg_backend_pid()::text", NULL, 0, pid, sizeof pid);
    assert_int_equal(victim->drv->ping(&cx, victim), SM_OK);
    sm_value p = sm_int(atoll(pid));
    char buf[16];
    tdb_scalar(&cx, killer, "SELECT pg_terminate_backend(?::int)::text", &p, 1, buf, sizeof buf);
    assert_string_equal(buf, "true");
    /* The backend is gone: the next call sees it, and every later one. */
    TDB_RC(&cx, sm_exec(&cx, victim, "SELECT 1", NULL, 0, NULL), SM_CONN);
    assert_non_null(
        strstr(sm_cx_errmsg(&cx), "terminating connection due to administrator command"));
    TDB_RC(&cx, sm_exec(&cx, victim, "SELECT 2", NULL, 0, NULL), SM_CONN);
    assert_int_equal(victim->drv->ping(&cx, victim), SM_CONN);
    sm_close(victim);
    /* The other connection is unaffected. */
    tdb_exec_ok(&cx, killer, "SELECT 1");
    sm_close(killer);
    sm_cx_free(&cx);
}

static void test_round_trips(void **state)
{
    (void)state;
    sm_cx cx;
    sm_cx_init(&cx);
    sm_conn *conn = pgt_open(&cx);
    sm_conn_stats a = sm_conn_stat(conn);
    /* Connecting set the session up without an extra exchange. */
    assert_int_equal(a.round_trips, 0);
    tdb_exec_ok(&cx, conn, "SELECT 42");
    sm_conn_stats b = sm_conn_stat(conn);
    /* Prepare, then execute. */
    assert_int_equal(b.round_trips - a.round_trips, 2);
    tdb_exec_ok(&cx, conn, "SELECT 42");
    sm_conn_stats c = sm_conn_stat(conn);
    /* Cached: execute only. */
    assert_int_equal(c.round_trips - b.round_trips, 1);
    assert_int_equal(conn->drv->ping(&cx, conn), SM_OK);
    assert_int_equal(sm_conn_stat(conn).round_trips - c.round_trips, 1);
    TDB_OK(&cx, sm_exec_script(&cx, conn, "SELECT 1; SELECT 2"));
    assert_int_equal(sm_conn_stat(conn).round_trips - c.round_trips, 2);
    sm_close(conn);
    sm_cx_free(&cx);
}

static void test_script(void **state)
{
    (void)state;
    sm_cx cx;
    sm_cx_init(&cx);
    sm_conn *conn = pgt_open(&cx);
    TDB_OK(&cx, sm_exec_script(&cx, conn,
                               "CREATE TABLE sc (a int); INSERT INTO sc VALUES (1), (2);\n"
                               "INSERT INTO sc SELECT a + 10 FROM sc"));
    char buf[32];
    tdb_scalar(&cx, conn, "SELECT sum(a)::text FROM sc", NULL, 0, buf, sizeof buf);
    assert_string_equal(buf, "26");
    /* A failing statement stops the script; the whole string is one
     * implicit transaction, so nothing of it stays. */
    TDB_RC(&cx,
           sm_exec_script(&cx, conn,
                          "INSERT INTO sc VALUES (100); SELECT 1/0; "
                          "INSERT INTO sc VALUES (200)"),
           SM_ERROR);
    assert_non_null(strstr(sm_cx_errmsg(&cx), "22012"));
    tdb_scalar(&cx, conn, "SELECT count(*)::text FROM sc", NULL, 0, buf, sizeof buf);
    assert_string_equal(buf, "4");
    /* COPY is refused without losing the connection. */
    TDB_RC(&cx, sm_exec_script(&cx, conn, "COPY sc TO STDOUT"), SM_UNSUPPORTED);
    TDB_RC(&cx, sm_exec(&cx, conn, "COPY sc FROM STDIN", NULL, 0, NULL), SM_UNSUPPORTED);
    TDB_RC(&cx, sm_exec(&cx, conn, "COPY sc TO STDOUT", NULL, 0, NULL), SM_UNSUPPORTED);
    tdb_scalar(&cx, conn, "SELECT count(*)::text FROM sc", NULL, 0, buf, sizeof buf);
    assert_string_equal(buf, "4");
    sm_close(conn);
    sm_cx_free(&cx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_url_forms),
        cmocka_unit_test(test_url_hides_encoded_password),
        cmocka_unit_test(test_params_pass_through),
        cmocka_unit_test(test_session_settings),
        cmocka_unit_test(test_bad_password),
        cmocka_unit_test(test_bad_params),
        cmocka_unit_test(test_connect_deadline),
        cmocka_unit_test(test_connect_cancel),
        cmocka_unit_test(test_notices_are_quiet),
        cmocka_unit_test(test_connection_lost),
        cmocka_unit_test(test_round_trips),
        cmocka_unit_test(test_script),
    };
    return tdb_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
