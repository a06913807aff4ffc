/*
 * test_url.c: connection URL parsing (DESIGN 4.3): every form,
 * percent-decoding, parameter tables, redaction, and errors that never
 * show a password or a parameter value.
 */
#include "internal.h"
#include "tdb.h"

typedef struct fixture {
    sm_cx cx;
    sm_url u;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    sm_cx_init(&f->cx);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    sm_url_free(&f->u);
    sm_cx_free(&f->cx);
    free(f);
    return 0;
}

static sm_url *parse_ok(fixture *f, const char *url)
{
    sm_url_free(&f->u);
    TDB_OK(&f->cx, sm_url_parse(&f->cx, url, &f->u));
    return &f->u;
}

/* Parsing fails with SM_MISUSE; the message must contain want and none
 * of the forbidden strings. */
static void parse_bad(fixture *f, const char *url, const char *want, const char *const *never)
{
    sm_url_free(&f->u);
    int rc = sm_url_parse(&f->cx, url, &f->u);
    if (rc != SM_MISUSE)
        fail_msg("'%s': got %d, want SM_MISUSE", url, rc);
    const char *msg = sm_cx_errmsg(&f->cx);
    if (!strstr(msg, want))
        fail_msg("'%s': message '%s' lacks '%s'", url, msg, want);
    for (size_t i = 0; never && never[i]; i++)
        if (strstr(msg, never[i]))
            fail_msg("'%s': message '%s' shows '%s'", url, msg, never[i]);
    /* A failed parse leaves nothing behind. */
    assert_null(f->u.scheme);
    assert_null(f->u.redacted);
    assert_int_equal(f->u.nparams, 0);
}

static const char *param(const sm_url *u, const char *key)
{
    for (size_t i = 0; i < u->nparams; i++)
        if (strcmp(u->params[i].key, key) == 0)
            return u->params[i].value;
    return NULL;
}

static void test_sqlite_forms(void **state)
{
    fixture *f = *state;
    sm_url *u = parse_ok(f, "sqlite::memory:");
    assert_int_equal(u->dialect, SM_SQLITE);
    assert_string_equal(u->path, ":memory:");
    assert_string_equal(u->redacted, "sqlite::memory:");

    u = parse_ok(f, "sqlite:/var/lib/app/data.db");
    assert_string_equal(u->path, "/var/lib/app/data.db");
    assert_string_equal(u->scheme, "sqlite");

    u = parse_ok(f, "sqlite:relative/dir/x.sqlite");
    assert_string_equal(u->path, "relative/dir/x.sqlite");

    /* A file: URI goes to SQLite untouched, its parameters included. */
    u = parse_ok(f, "sqlite:file:data.db?mode=ro&cache=shared");
    assert_string_equal(u->path, "file:data.db?mode=ro&cache=shared");
    assert_int_equal(u->nparams, 0);

    /* Scheme names are case-insensitive; the path is not touched. */
    u = parse_ok(f, "SQLite:My%20File.db");
    assert_int_equal(u->dialect, SM_SQLITE);
    assert_string_equal(u->path, "My%20File.db");

    parse_bad(f, "sqlite:", "without a path", NULL);
}

static void test_postgres_url(void **state)
{
    fixture *f = *state;
    sm_url *u = parse_ok(f, "postgres://alice:s3cret@db.example.com:6543/app?sslmode=require"
                            "&application_name=web%20api&connect_timeout=5");
    assert_int_equal(u->dialect, SM_POSTGRES);
    assert_string_equal(u->user, "alice");
    assert_string_equal(u->password, "s3cret");
    assert_string_equal(u->host, "db.example.com");
    assert_int_equal(u->port, 6543);
    assert_string_equal(u->db, "app");
    assert_null(u->conninfo);
    assert_int_equal(u->nparams, 3);
    assert_string_equal(param(u, "sslmode"), "require");
    assert_string_equal(param(u, "application_name"), "web api");
    assert_string_equal(param(u, "connect_timeout"), "5");
    assert_string_equal(u->redacted, "postgres://alice:***@db.example.com:6543/app?sslmode=require"
                                     "&application_name=web%20api&connect_timeout=5");

    u = parse_ok(f, "postgresql://localhost/mydb");
    assert_int_equal(u->dialect, SM_POSTGRES);
    assert_string_equal(u->scheme, "postgresql");
    assert_null(u->user);
    assert_null(u->password);
    assert_string_equal(u->host, "localhost");
    assert_int_equal(u->port, 0);
    assert_string_equal(u->db, "mydb");

    /* Everything optional: libpq's defaults apply. */
    u = parse_ok(f, "postgres://");
    assert_null(u->host);
    assert_null(u->db);
    assert_string_equal(u->redacted, "postgres://");

    /* IPv6 literal, user without password, empty password. */
    u = parse_ok(f, "postgres://bob@[::1]:5432/db");
    assert_string_equal(u->host, "::1");
    assert_int_equal(u->port, 5432);
    assert_string_equal(u->user, "bob");
    assert_null(u->password);
    u = parse_ok(f, "postgres://bob:@h/db");
    assert_string_equal(u->password, "");
    assert_string_equal(u->redacted, "postgres://bob:***@h/db");

    /* A socket directory as a percent-encoded host, or as a parameter. */
    u = parse_ok(f, "postgres://%2Fvar%2Frun%2Fpostgresql/db");
    assert_string_equal(u->host, "/var/run/postgresql");
    u = parse_ok(f, "postgres:///db?host=/tmp/pg");
    assert_null(u->host);
    assert_string_equal(param(u, "host"), "/tmp/pg");
}

static void test_percent_decoding(void **state)
{
    fixture *f = *state;
    /* '@', ':', '/', '?' and '%' in user and password. */
    sm_url *u = parse_ok(f, "postgres://us%40er%3Ax:p%40ss%2Fw%3Fo%25rd@host/d%C3%A9j%C3%A0");
    assert_string_equal(u->user, "us@er:x");
    assert_string_equal(u->password, "p@ss/w?o%rd");
    assert_string_equal(u->db, "d\xc3\xa9j\xc3\xa0");
    assert_string_equal(u->redacted, "postgres://us%40er%3Ax:***@host/d%C3%A9j%C3%A0");

    /* The userinfo ends at the last '@': a raw '@' or '/' in a password. */
    u = parse_ok(f, "mysql://root:pa@ss/word@127.0.0.1:3306/app");
    assert_string_equal(u->password, "pa@ss/word");
    assert_string_equal(u->host, "127.0.0.1");
    assert_string_equal(u->redacted, "mysql://root:***@127.0.0.1:3306/app");

    /* Upper- and lower-case hex. */
    u = parse_ok(f, "mysql://a%2fb%2Fc@h/");
    assert_string_equal(u->user, "a/b/c");
    assert_null(u->db);

    const char *never[] = {"zz", "bad%", NULL};
    parse_bad(f, "postgres://u:bad%zz@h/db", "password", never);
    parse_bad(f, "postgres://u:bad%4@h/db", "password", never);
    parse_bad(f, "postgres://u:bad%@h/db", "password", never);
    /* A decoded NUL would cut the string short: refused. */
    parse_bad(f, "postgres://u%00x@h/db", "user name", NULL);
    parse_bad(f, "postgres://h/d%zzb", "database name", NULL);
    const char *never2[] = {"v%zz", NULL};
    parse_bad(f, "postgres://h/db?sslmode=v%zz", "parameter values", never2);
}

static void test_postgres_keywords(void **state)
{
    fixture *f = *state;
    sm_url *u = parse_ok(f, "postgres:host=localhost port=5432 dbname=app user=alice "
                            "password='it\\'s \\\\ x' sslmode = require");
    assert_int_equal(u->dialect, SM_POSTGRES);
    /* The string goes to libpq unchanged; nothing is split out of it. */
    assert_string_equal(u->conninfo, "host=localhost port=5432 dbname=app user=alice "
                                     "password='it\\'s \\\\ x' sslmode = require");
    assert_null(u->host);
    assert_null(u->password);
    assert_string_equal(u->redacted, "postgres:host=localhost port=5432 dbname=app user=alice "
                                     "password='***' sslmode = require");
    u = parse_ok(f, "postgres:host=h password='s3 cr\\'et' dbname=x sslpassword=k3y");
    assert_string_equal(u->redacted, "postgres:host=h password='***' dbname=x sslpassword=***");
    /* A quoted value ends at its quote: what follows is the next key, in
     * the redacted string too. */
    u = parse_ok(f, "postgres:password='x'host=h");
    assert_string_equal(u->redacted, "postgres:password='***'host=h");
    u = parse_ok(f, "postgres:");
    assert_string_equal(u->conninfo, "");

    const char *never[] = {"s3cr3t", NULL};
    parse_bad(f, "postgres:host=h bogus=1", "unknown parameter 'bogus'", NULL);
    parse_bad(f, "postgres:host=h password='s3cr3t", "unterminated", never);
    parse_bad(f, "postgres:host=h password s3cr3t", "malformed", never);
    /* Keyword strings are only for postgres: (postgresql: needs //). */
    parse_bad(f, "postgresql:host=h", "need '//'", NULL);
}

static void test_mysql_url(void **state)
{
    fixture *f = *state;
    sm_url *u = parse_ok(f, "mysql://app:pw@db:3307/shop?socket=/run/mysqld/mysqld.sock"
                            "&ssl-mode=REQUIRED&ssl-ca=/etc/ca.pem&connect-timeout=3");
    assert_int_equal(u->dialect, SM_MYSQL);
    assert_string_equal(u->user, "app");
    assert_string_equal(u->password, "pw");
    assert_string_equal(u->host, "db");
    assert_int_equal(u->port, 3307);
    assert_string_equal(u->db, "shop");
    assert_string_equal(param(u, "socket"), "/run/mysqld/mysqld.sock");
    assert_string_equal(param(u, "ssl-mode"), "REQUIRED");
    assert_string_equal(param(u, "ssl-ca"), "/etc/ca.pem");
    assert_string_equal(param(u, "connect-timeout"), "3");

    u = parse_ok(f, "mariadb://localhost/x");
    assert_int_equal(u->dialect, SM_MYSQL);
    assert_string_equal(u->scheme, "mariadb");

    parse_bad(f, "mysql:localhost", "need '//'", NULL);
    /* libpq's key is not a MySQL key, and the other way round. */
    parse_bad(f, "mysql://h/db?sslmode=require", "unknown parameter 'sslmode'", NULL);
    parse_bad(f, "postgres://h/db?ssl-mode=REQUIRED", "unknown parameter 'ssl-mode'", NULL);
}

static void test_unknown_params_hide_values(void **state)
{
    fixture *f = *state;
    const char *never[] = {"hunter2", "topsecret", NULL};
    parse_bad(f, "postgres://u:hunter2@h/db?passwd=topsecret", "unknown parameter 'passwd'", never);
    parse_bad(f, "mysql://u:hunter2@h/db?pwd=topsecret", "unknown parameter 'pwd'", never);
    parse_bad(f, "postgres://u:hunter2@h/db?sslmode=require&sslmode=disable", "duplicate", never);
    parse_bad(f, "postgres://u:hunter2@h/db?sslmode", "has no value", never);
    parse_bad(f, "postgres://u:hunter2@h/db?=topsecret", "without a name", never);
    /* Percent-encoded keys are decoded before the check. */
    sm_url *u = parse_ok(f, "postgres://h/db?ssl%6Dode=require");
    assert_string_equal(param(u, "sslmode"), "require");
    /* The password parameter is accepted and redacted. */
    u = parse_ok(f, "postgres://u@h/db?password=hunter2&sslpassword=topsecret");
    assert_string_equal(u->redacted, "postgres://u@h/db?password=***&sslpassword=***");
    assert_string_equal(param(u, "password"), "hunter2");
}

/* The decoded key decides what is secret: the parser and the redaction
 * read the same key. */
static void test_encoded_secret_keys(void **state)
{
    fixture *f = *state;
    sm_url *u = parse_ok(f, "postgres://u@h/db?pass%77ord=SECRET&sslpass%77ord=K3Y&sslmode=require");
    assert_string_equal(param(u, "password"), "SECRET");
    assert_string_equal(param(u, "sslpassword"), "K3Y");
    assert_string_equal(u->redacted,
                        "postgres://u@h/db?pass%77ord=***&sslpass%77ord=***&sslmode=require");
    u = parse_ok(f, "postgres://u@h/db?%70%61%73%73%77%6f%72%64=SECRET");
    assert_string_equal(u->redacted, "postgres://u@h/db?%70%61%73%73%77%6f%72%64=***");
    /* An error after a secret key does not show its value either. */
    const char *never[] = {"SECRET", NULL};
    parse_bad(f, "postgres://u@h/db?pass%77ord=SECRET&bogus=1", "unknown parameter 'bogus'", never);
}

/* Every password of a keyword string is redacted, however many. */
static void test_many_secrets(void **state)
{
    fixture *f = *state;
    char url[1024] = "postgres:host=h";
    for (int i = 0; i < 12; i++) {
        char one[40];
        snprintf(one, sizeof one, " password=pw%02d sslpassword='k %02d'", i, i);
        strcat(url, one);
    }
    sm_url *u = parse_ok(f, url);
    for (int i = 0; i < 12; i++) {
        char pw[8], k[8];
        snprintf(pw, sizeof pw, "pw%02d", i);
        snprintf(k, sizeof k, "k %02d", i);
        if (strstr(u->redacted, pw) || strstr(u->redacted, k))
            fail_msg("'%s' shows a secret", u->redacted);
    }
    assert_non_null(strstr(u->redacted, "password=*** sslpassword='***'"));
}

/* A URL given after the keyword scheme is a malformed keyword string: the
 * would-be key holds the password and is never shown. */
static void test_keyword_string_hides_urls(void **state)
{
    fixture *f = *state;
    const char *never[] = {"pw", "u:", NULL};
    parse_bad(f, "postgres:postgresql://u:pw@h/db?host=x", "malformed", never);
    parse_bad(f, "postgres:user:pw=x", "malformed", never);
    parse_bad(f, "postgres://u@h/db?u:pw", "without a value", never);
    const char *never2[] = {"hunter2", NULL};
    parse_bad(f, "postgres:host=h hunter2@x=1", "malformed", never2);
}

static void test_bad_urls(void **state)
{
    fixture *f = *state;
    const char *never[] = {"hunter2", NULL};
    parse_bad(f, "ftp://u:hunter2@h/db", "unknown URL scheme 'ftp'", never);
    parse_bad(f, "ftp://u:hunter2@h/db", "sqlite:, postgres://, postgresql://", never);
    parse_bad(f, "no-scheme-here", "no scheme", NULL);
    parse_bad(f, "", "no scheme", NULL);
    parse_bad(f, ":memory:", "no scheme", NULL);
    parse_bad(f, "postgres://u:hunter2@h:0/db", "invalid port", never);
    parse_bad(f, "postgres://u:hunter2@h:65536/db", "invalid port", never);
    parse_bad(f, "postgres://u:hunter2@h:54x/db", "invalid port", never);
    parse_bad(f, "postgres://u:hunter2@h:/db", "invalid port", never);
    parse_bad(f, "postgres://u:hunter2@[::1/db", "unterminated", never);
    parse_bad(f, "postgres://u:hunter2@[::1]x/db", "malformed host", never);
    parse_bad(f, "postgres://u:hunter2@h1,h2/db", "several hosts", never);
    assert_int_equal(sm_url_parse(&f->cx, NULL, &f->u), SM_MISUSE);
    /* A good port at the limit. */
    sm_url *u = parse_ok(f, "postgres://h:65535");
    assert_int_equal(u->port, 65535);
}

/* sm_open reports URL errors with the same rules, sets *out to NULL, and
 * keeps the redacted URL for sm_conn_url. */
static void test_open_url_errors(void **state)
{
    fixture *f = *state;
    sm_conn *c = (sm_conn *)(uintptr_t)1;
    assert_int_equal(sm_open(&f->cx, "oracle://u:hunter2@h/db", &c), SM_MISUSE);
    assert_null(c);
    assert_null(strstr(sm_cx_errmsg(&f->cx), "hunter2"));
    assert_int_equal(sm_open(&f->cx, "postgres://u:hunter2@h/db?x=topsecret", &c), SM_MISUSE);
    assert_null(strstr(sm_cx_errmsg(&f->cx), "topsecret"));
    assert_null(strstr(sm_cx_errmsg(&f->cx), "hunter2"));
    assert_int_equal(sm_cx_errcode(&f->cx), SM_MISUSE);

    TDB_OK(&f->cx, sm_open(&f->cx, "sqlite::memory:", &c));
    assert_string_equal(sm_conn_url(c), "sqlite::memory:");
    assert_int_equal(sm_conn_dialect(c), SM_SQLITE);
    assert_string_equal(sm_cx_errmsg(&f->cx), "");
    sm_close(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_sqlite_forms, setup, teardown),
        cmocka_unit_test_setup_teardown(test_postgres_url, setup, teardown),
        cmocka_unit_test_setup_teardown(test_percent_decoding, setup, teardown),
        cmocka_unit_test_setup_teardown(test_postgres_keywords, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mysql_url, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_params_hide_values, setup, teardown),
        cmocka_unit_test_setup_teardown(test_encoded_secret_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(test_many_secrets, setup, teardown),
        cmocka_unit_test_setup_teardown(test_keyword_string_hides_urls, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_urls, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_url_errors, setup, teardown),
    };
    return tdb_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
