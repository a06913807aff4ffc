/*
 * test_my_connect.c: opening MariaDB/MySQL connections: URL and socket
 * forms, percent-decoded credentials, session settings, bad passwords
 * (never echoed), bad parameters, TLS modes, deadlines and cancellation
 * while connecting, and a connection lost under the driver.
 */
#include "mytest.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static void test_open_tcp_session(void **state)
{
    (void)state;
    sm_cx cx;
    sm_cx_init(&cx);
    sm_conn *conn = myt_open(&cx);
    assert_int_equal(sm_conn_dialect(conn), SM_MYSQL);
    /* connect and the session SET: two exchanges */
    assert_int_equal(sm_conn_stat(conn).round_trips, 2);
    char buf[256];
    tdb_scalar(&cx, conn, "SELECT @@session.sql_mode", NULL, 0, buf, sizeof buf);
    assert_non_null(strstr(buf, "STRICT_ALL_TABLES"));
    assert_non_null(strstr(buf, "NO_ZERO_DATE"));
    assert_non_null(strstr(buf, "NO_ZERO_IN_DATE"));
    assert_non_null(strstr(buf, "ERROR_FOR_DIVISION_BY_ZERO"));
    assert_non_null(strstr(buf, "NO_ENGINE_SUBSTITUTION"));
    tdb_scalar(&cx, conn, "SELECT @@session.time_zone", NULL, 0, buf, sizeof buf);
    assert_string_equal(buf, "+00:00");
    tdb_scalar(&cx, conn, "SELECT @@session.collation_connection", NULL, 0, buf, sizeof buf);
    assert_string_equal(buf, "utf8mb4_nopad_bin");
    tdb_scalar(&cx, conn, "SELECT @@session.character_set_client", NULL, 0, buf, sizeof buf);
    assert_string_equal(buf, "utf8mb4");
    tdb_scalar(&cx, conn, "SELECT @@session.character_set_results", NULL, 0, buf, sizeof buf);
    assert_string_equal(buf, "utf8mb4");
    /* Over TCP the server sees a client port ("host:port"). */
    tdb_scalar(&cx, conn,
               "SELECT HOST FROM information_schema.PROCESSLIST WHERE ID = CONNECTION_ID()", NULL,
               0, buf, sizeof buf);
    assert_non_null(strchr(buf, ':'));

    uint64_t before = sm_conn_stat(conn).round_trips;
    assert_int_equal(conn->drv->ping(&cx, conn), SM_OK);
    assert_int_equal(sm_conn_stat(conn).round_trips, before + 1);
    sm_close(conn);
    sm_cx_free(&cx);
}

static void test_open_socket(void **state)
{
    (void)state;
    sm_cx cx;
    sm_cx_init(&cx);
    sm_conn *conn = myt_open(&cx);
    char sock[512], params[600], buf[256];
    tdb_scalar(&cx, conn, "SELECT @@socket", NULL, 0, sock, sizeof sock);
    sm_close(conn);
    /* The servers of the test setup run on this machine. */
    assert_int_equal(access(sock, F_OK), 0);
    snprintf(params, sizeof params, "socket=%s", sock);
    char *url = myt_url_with(NULL, NULL, "localhost", params);
    TDB_OK(&cx, sm_open(&cx, url, &conn));
    tdb_scalar(&cx, conn,
               "SELECT HOST FROM information_schema.PROCESSLIST WHERE ID = CONNECTION_ID()", NULL,
               0, buf, sizeof buf);
    assert_string_equal(buf, "localhost");
    assert_int_equal(tdb_scalar_int(&cx, conn, "SELECT 40 + 2", NULL, 0), 42);
    sm_close(conn);
    free(url);

    /* A socket that does not exist is a connection failure. */
    url = myt_url_with(NULL, NULL, "localhost", "socket=/nonexistent/smdl-test.sock");
    conn = (sm_conn *)&cx; /* must be reset to NULL */
    TDB_RC(&cx, sm_open(&cx, url, &conn), SM_CONN);
    assert_null(conn);
    free(url);
    sm_cx_free(&cx);
}

static void test_bad_password(void **state)
{
    (void)state;
    sm_cx cx;
    sm_cx_init(&cx);
    const char *pw = "Wr0ng-Secret-Pw-4711";
    char *url = myt_url_with(NULL, pw, NULL, "");
    sm_conn *conn = NULL;
    TDB_RC(&cx, sm_open(&cx, url, &conn), SM_CONN);
    assert_null(conn);
    const char *msg = sm_cx_errmsg(&cx);
    assert_non_null(strstr(msg, "Access denied"));
    assert_null(strstr(msg, pw));
    assert_null(strstr(msg, "4711"));
    free(url);
    sm_cx_free(&cx);
}

/* Credentials with every character a URL gives a meaning to, percent-
 * encoded, reach the server decoded. */
static void test_percent_decoded_credentials(void **state)
{
    (void)state;
    sm_cx cx;
    sm_cx_init(&cx);
    sm_conn *admin = myt_open(&cx);
    char user[64], sql[256], db[128];
    snprintf(user, sizeof user, "smdl_pct_%ld", (long)getpid());
    tdb_scalar(&cx, admin, "SELECT DATABASE()", NULL, 0, db, sizeof db);
    /* Every host form a loopback client may match (an anonymous
     * ''@'localhost' would win over '%'). */
    static const char *const hosts[] = {"%", "localhost", "127.0.0.1"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(sql, sizeof sql, "DROP USER IF EXISTS '%s'@'%s'", user, hosts[i]);
        tdb_exec_ok(&cx, admin, sql);
        snprintf(sql, sizeof sql, "CREATE USER '%s'@'%s' IDENTIFIED BY 'p@ss w:rd/?#%%'", user,
                 hosts[i]);
        tdb_exec_ok(&cx, admin, sql);
        snprintf(sql, sizeof sql, "GRANT SELECT ON `%s`.* TO '%s'@'%s'", db, user, hosts[i]);
        tdb_exec_ok(&cx, admin, sql);
    }

    char *url = myt_url_with(user, "p%40ss%20w%3Ard%2F%3F%23%25", NULL, "");
    sm_conn *conn = NULL;
    int rc = sm_open(&cx, url, &conn);
    if (rc == SM_OK) {
        char buf[128];
        tdb_scalar(&cx, conn, "SELECT CURRENT_USER()", NULL, 0, buf, sizeof buf);
        assert_non_null(strstr(buf, user));
        /* The redacted URL never shows the password. */
        assert_null(strstr(sm_conn_url(conn), "p%40ss"));
        assert_non_null(strstr(sm_conn_url(conn), "***"));
        sm_close(conn);
    }
    free(url);
    /* The same user with a wrong password: its decoded form is not shown. */
    url = myt_url_with(user, "p%40ss%20w%3Ard%2F%3F%23X", NULL, "");
    int rc2 = sm_open(&cx, url, &conn);
    const char *msg = sm_cx_errmsg(&cx);
    bool leaked = strstr(msg, "p@ss w:rd") != NULL;
    free(url);
    sm_cx cx2;
    sm_cx_init(&cx2);
    for (size_t i = 0; i < 3; i++) {
        snprintf(sql, sizeof sql, "DROP USER '%s'@'%s'", user, hosts[i]);
        tdb_exec_ok(&cx2, admin, sql);
    }
    sm_cx_free(&cx2);
    sm_close(admin);
    if (rc != SM_OK)
        fail_msg("percent-decoded credentials: %s", sm_strerror(rc));
    assert_int_equal(rc2, SM_CONN);
    assert_false(leaked);
    sm_cx_free(&cx);
}

static void test_bad_parameters(void **state)
{
    (void)state;
    sm_cx cx;
    sm_cx_init(&cx);
    sm_conn *conn = NULL;
    const char *cases[][2] = {
        {"nonsense=secretvalue", "nonsense"},
        {"ssl-mode=sometimes", "ssl-mode"},
        {"connect-timeout=soon", "connect-timeout"},
        {"connect-timeout=0", "connect-timeout"},
        {"connect-timeout=5x", "connect-timeout"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *url = myt_url_with(NULL, NULL, NULL, cases[i][0]);
        TDB_RC(&cx, sm_open(&cx, url, &conn), SM_MISUSE);
        assert_null(conn);
        assert_non_null(strstr(sm_cx_errmsg(&cx), cases[i][1]));
        assert_null(strstr(sm_cx_errmsg(&cx), "secretvalue"));
        free(url);
    }
    /* Known keys with good values open. */
    char *url = myt_url_with(NULL, NULL, NULL, "ssl-mode=disabled&connect-timeout=5");
    TDB_OK(&cx, sm_open(&cx, url, &conn));
    assert_int_equal(tdb_scalar_int(&cx, conn, "SELECT 1", NULL, 0), 1);
    sm_close(conn);
    free(url);

    /* A database that does not exist. */
    char *base = myt_url_with(NULL, NULL, NULL, "");
    char *slash = strrchr(base, '/');
    char nodb[1024];
    snprintf(nodb, sizeof nodb, "%.*s/smdl_no_such_db_4711", (int)(slash - base), base);
    TDB_RC(&cx, sm_open(&cx, nodb, &conn), SM_CONN);
    assert_non_null(strstr(sm_cx_errmsg(&cx), "smdl_no_such_db_4711"));
    free(base);
    sm_cx_free(&cx);
}

/* TLS modes against the test server: with TLS off on the server (the
 * throwaway servers have no certificates), REQUIRED and VERIFY_* fail and
 * PREFERRED falls back; with TLS on, REQUIRED gets a cipher. */
static void test_tls_modes(void **state)
{
    (void)state;
    sm_cx cx;
    sm_cx_init(&cx);
    sm_conn *conn = myt_open(&cx);
    char have[32];
    tdb_scalar(&cx, conn, "SELECT @@have_ssl", NULL, 0, have, sizeof have);
    sm_close(conn);
    bool tls = strcmp(have, "YES") == 0;

    char *url = myt_url_with(NULL, NULL, NULL, "ssl-mode=PREFERRED");
    TDB_OK(&cx, sm_open(&cx, url, &conn));
    assert_int_equal(tdb_scalar_int(&cx, conn, "SELECT 1", NULL, 0), 1);
    sm_close(conn);
    free(url);

    url = myt_url_with(NULL, NULL, NULL, "ssl-mode=REQUIRED");
    int rc = sm_open(&cx, url, &conn);
    if (tls) {
        TDB_OK(&cx, rc);
        char cipher[128];
        tdb_scalar(&cx, conn, "SHOW SESSION STATUS LIKE 'Ssl_cipher'", NULL, 0, cipher,
                   sizeof cipher);
        sm_close(conn);
    } else {
        assert_int_equal(rc, SM_CONN);
        assert_null(conn);
        assert_non_null(strstr(sm_cx_errmsg(&cx), "TLS"));
    }
    free(url);

    url = myt_url_with(NULL, NULL, NULL, "ssl-mode=VERIFY_IDENTITY&ssl-ca=/nonexistent/ca.pem");
    TDB_RC(&cx, sm_open(&cx, url, &conn), SM_CONN);
    assert_null(conn);
    free(url);
    sm_cx_free(&cx);
}

static void test_refused(void **state)
{
    (void)state;
    sm_cx cx;
    sm_cx_init(&cx);
    sm_cx_set_timeout_ms(&cx, 5000);
    sm_conn *conn = NULL;
    char *url = myt_url_with(NULL, NULL, "127.0.0.1:1", "");
    TDB_RC(&cx, sm_open(&cx, url, &conn), SM_CONN);
    assert_null(conn);
    assert_non_null(strstr(sm_cx_errmsg(&cx), "cannot connect"));
    free(url);
    sm_cx_free(&cx);
}

/* A TCP listener that never answers: connects complete in the kernel's
 * backlog, and the server greeting never comes. */
static int silent_listener(char *hostport, size_t n)
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
    snprintf(hostport, n, "127.0.0.1:%d", ntohs(a.sin_port));
    return fd;
}

static void test_connect_deadline(void **state)
{
    (void)state;
    char hp[64];
    int lfd = silent_listener(hp, sizeof hp);
    char *url = myt_url_with(NULL, NULL, hp, "");
    sm_cx cx;
    sm_cx_init(&cx);
    sm_cx_set_timeout_ms(&cx, 150);
    sm_conn *conn = NULL;
    int64_t t0 = sm_mono_ns();
    TDB_RC(&cx, sm_open(&cx, url, &conn), SM_TIMEOUT);
    int64_t ms = tdb_ms_since(t0);
    assert_null(conn);
    /* Not before the deadline; the listener never answers, so the upper
     * bound only tells the deadline from a hang. */
    assert_true(ms >= 140 && ms < 20000);
    sm_cx_free(&cx);

    /* connect-timeout alone bounds the connect too. */
    free(url);
    url = myt_url_with(NULL, NULL, hp, "connect-timeout=1");
    sm_cx_init(&cx);
    t0 = sm_mono_ns();
    TDB_RC(&cx, sm_open(&cx, url, &conn), SM_CONN);
    ms = tdb_ms_since(t0);
    assert_true(ms >= 990 && ms < 20000);
    assert_non_null(strstr(sm_cx_errmsg(&cx), "timed out"));
    sm_cx_free(&cx);
    free(url);
    close(lfd);
}

typedef struct canceller {
    sm_cx *cx;
    int delay_ms;
    int64_t at_ns;
} canceller;

static void *cancel_later(void *arg)
{
    canceller *k = arg;
    struct timespec ts = {0, (long)k->delay_ms * 1000000L};
    nanosleep(&ts, NULL);
    k->at_ns = sm_mono_ns();
    sm_cx_cancel(k->cx);
    return NULL;
}

static void test_connect_cancel(void **state)
{
    (void)state;
    char hp[64];
    int lfd = silent_listener(hp, sizeof hp);
    char *url = myt_url_with(NULL, NULL, hp, "");
    sm_cx cx;
    sm_cx_init(&cx);
    canceller k = {&cx, 100, 0};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, cancel_later, &k), 0);
    sm_conn *conn = NULL;
    int rc = sm_open(&cx, url, &conn);
    int64_t done = sm_mono_ns();
    pthread_join(t, NULL);
    assert_int_equal(rc, SM_CANCELLED);
    assert_null(conn);
    assert_true((done - k.at_ns) / 1000000 < 20000); /* no hang: latency is for bench/ */
    sm_cx_free(&cx);
    free(url);
    close(lfd);
}

/* The server ends the connection: the call fails with SM_CONN, later
 * calls too, and ping says so; nothing hangs or raises SIGPIPE. */
static void test_lost_connection(void **state)
{
    (void)state;
    sm_cx cx;
    sm_cx_init(&cx);
    sm_conn *victim = myt_open(&cx);
    sm_conn *killer = myt_open(&cx);
    int64_t id = tdb_scalar_int(&cx, victim, "SELECT CONNECTION_ID()", NULL, 0);
    sm_value p = sm_int(id);
    TDB_OK(&cx, sm_exec(&cx, killer, "KILL CONNECTION ?", &p, 1, NULL));
    sm_cx_set_timeout_ms(&cx, 5000);
    TDB_RC(&cx, sm_exec(&cx, victim, "SELECT 1", NULL, 0, NULL), SM_CONN);
    TDB_RC(&cx, sm_exec(&cx, victim, "SELECT 2", NULL, 0, NULL), SM_CONN);
    TDB_RC(&cx, sm_exec_script(&cx, victim, "SELECT 3"), SM_CONN);
    assert_int_equal(victim->drv->ping(&cx, victim), SM_CONN);
    sm_close(victim);
    assert_int_equal(tdb_scalar_int(&cx, killer, "SELECT 5", NULL, 0), 5);
    sm_close(killer);
    sm_cx_free(&cx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_tcp_session),
        cmocka_unit_test(test_open_socket),
        cmocka_unit_test(test_bad_password),
        cmocka_unit_test(test_percent_decoded_credentials),
        cmocka_unit_test(test_bad_parameters),
        cmocka_unit_test(test_tls_modes),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_connect_deadline),
        cmocka_unit_test(test_connect_cancel),
        cmocka_unit_test(test_lost_connection),
    };
    return tdb_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
