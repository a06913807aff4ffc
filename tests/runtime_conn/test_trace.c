/*
 * test_trace.c: trace callbacks (SQL, parameters, duration, provenance,
 * code, rows), the stderr tracer's format, SMDL_ECHO=1 in a child
 * process (the variable is read once per process), and a secret double
 * kept out of the database's message.
 */
#include "internal.h"
#include "tdb.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_EVENTS 16

typedef struct event {
    char sql[256];
    size_t nparams;
    sm_value p0;
    char p0text[64];
    int64_t duration_ns;
    int rc;
    int64_t rows;
    bool cached;
} event;

typedef struct recorder {
    event ev[MAX_EVENTS];
    int n;
} recorder;

static void record(void *ud, const sm_trace *t)
{
    recorder *r = ud;
    if (r->n == MAX_EVENTS)
        return;
    event *e = &r->ev[r->n++];
    snprintf(e->sql, sizeof e->sql, "%s", t->sql);
    e->nparams = t->nparams;
    if (t->nparams) {
        e->p0 = t->params[0];
        if (e->p0.kind == SM_VTEXT)
            snprintf(e->p0text, sizeof e->p0text, "%.*s", (int)e->p0.len, (const char *)e->p0.u.p);
    }
    e->duration_ns = t->duration_ns;
    e->rc = t->rc;
    e->rows = t->rows;
    e->cached = t->cached;
}

static void test_callback(void **state)
{
    (void)state;
    sm_cx cx;
    sm_cx_init(&cx);
    sm_conn *c = tdb_connect(&cx, tdb_url(SM_SQLITE));
    recorder rec = {0};
    sm_conn_set_trace(c, record, &rec);
    tdb_exec_ok(&cx, c, "CREATE TABLE t (x INTEGER PRIMARY KEY, y TEXT)");
    sm_value p[2] = {sm_int(5), sm_text("five")};
    for (int i = 0; i < 2; i++)
        TDB_OK(&cx, sm_exec(&cx, c, "INSERT OR REPLACE INTO t VALUES (?, ?)", p, 2, NULL));
    TDB_RC(&cx, sm_exec(&cx, c, "INSERT INTO t VALUES (?, ?)", p, 2, NULL), SM_CONSTRAINT);
    TDB_OK(&cx, sm_begin(&cx, c));
    TDB_OK(&cx, sm_rollback(&cx, c));
    sm_rows *r;
    TDB_OK(&cx, sm_query(&cx, c, "SELECT y FROM t WHERE x = ?", p, 1, &r));
    sm_rows_close(r);
    assert_int_equal(rec.n, 7);
    event *e = rec.ev;
    assert_string_equal(e[0].sql, "CREATE TABLE t (x INTEGER PRIMARY KEY, y TEXT)");
    assert_int_equal(e[0].nparams, 0);
    assert_false(e[0].cached);
    assert_int_equal(e[0].rc, SM_DONE);
    assert_string_equal(e[1].sql, "INSERT OR REPLACE INTO t VALUES (?, ?)");
    assert_int_equal(e[1].nparams, 2);
    assert_int_equal(e[1].p0.kind, SM_VINT);
    assert_int_equal(e[1].p0.u.i, 5);
    assert_false(e[1].cached);
    assert_int_equal(e[1].rows, 1);
    assert_true(e[1].duration_ns > 0);
    assert_true(e[2].cached);
    assert_int_equal(e[3].rc, SM_CONSTRAINT);
    assert_string_equal(e[4].sql, "BEGIN IMMEDIATE");
    assert_string_equal(e[5].sql, "ROLLBACK");
    assert_string_equal(e[6].sql, "SELECT y FROM t WHERE x = ?");
    assert_int_equal(e[6].rc, SM_ROW);
    assert_int_equal(e[6].rows, -1);
    /* Removing the callback. */
    sm_conn_set_trace(c, NULL, NULL);
    tdb_exec_ok(&cx, c, "SELECT 1");
    assert_int_equal(rec.n, 7);
    sm_close(c);
    sm_cx_free(&cx);
}

/* A callback that calls back into the connection is refused, not
 * deadlocked or corrupting the statement that is running. */
static sm_cx *reentry_cx;
static int reentry_rc;
static void reenter(void *ud, const sm_trace *t)
{
    (void)t;
    reentry_rc = sm_exec(reentry_cx, ud, "SELECT 2", NULL, 0, NULL);
}

static void test_reentry(void **state)
{
    (void)state;
    sm_cx cx, cx2;
    sm_cx_init(&cx);
    sm_cx_init(&cx2);
    sm_conn *c = tdb_connect(&cx, tdb_url(SM_SQLITE));
    reentry_cx = &cx2;
    sm_conn_set_trace(c, reenter, c);
    assert_int_equal(tdb_scalar_int(&cx, c, "SELECT 1", NULL, 0), 1);
    assert_int_equal(reentry_rc, SM_MISUSE);
    sm_close(c);
    sm_cx_free(&cx);
    sm_cx_free(&cx2);
}

/* Runs fn with stderr captured into buf. */
static void capture_stderr(void (*fn)(void *), void *arg, char *buf, size_t cap)
{
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    fflush(stderr);
    int saved = dup(2);
    dup2(fds[1], 2);
    close(fds[1]);
    fn(arg);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    size_t n = 0;
    ssize_t k;
    while (n + 1 < cap && (k = read(fds[0], buf + n, cap - 1 - n)) > 0)
        n += (size_t)k;
    buf[n] = 0;
    close(fds[0]);
}

static void emit(void *arg)
{
    sm_trace_stderr(NULL, arg);
}

static void test_stderr_format(void **state)
{
    (void)state;
    char out[4096];
    sm_value p[3] = {sm_text("Deadpond"), sm_text("Dive Wilson"), sm_null()};
    sm_trace t = {"INSERT INTO hero (name, secret_name, age)\n   VALUES (?, ?, ?)", p, 3,
                  120000, SM_DONE, 1, false};
    capture_stderr(emit, &t, out, sizeof out);
    assert_string_equal(out, "INSERT INTO hero (name, secret_name, age) VALUES (?, ?, ?)\n"
                             "[prepared 0.120 ms] ('Deadpond', 'Dive Wilson', NULL)\n");

    sm_value one = sm_text("it's");
    sm_trace t1 = {"SELECT * FROM hero WHERE name = ?", &one, 1, 12345, SM_ROW, -1, true};
    capture_stderr(emit, &t1, out, sizeof out);
    assert_string_equal(out, "SELECT * FROM hero WHERE name = ?\n[cached 0.012 ms] ('it''s',)\n");

    sm_value kinds[7] = {sm_bool(true), sm_bool(false), sm_int(INT64_MIN), sm_real(0.1),
                         sm_blob("\0\1\2", 3), sm_text("a\nb\tc\x01"), sm_real(1e300)};
    sm_trace t2 = {"SELECT 1", kinds, 7, 0, SM_CONSTRAINT, -1, false};
    capture_stderr(emit, &t2, out, sizeof out);
    assert_string_equal(out, "SELECT 1\n[prepared 0.000 ms] (TRUE, FALSE, -9223372036854775808, "
                             "0.1, <3 bytes>, 'a\\nb\\tc\\x01', 1e+300) -> SM_CONSTRAINT: "
                             "constraint violation\n");

    /* Long text is cut (never inside a UTF-8 sequence) with its size. */
    char longtext[301];
    memset(longtext, 'x', 300);
    memcpy(longtext + 199, "\xc3\xa9", 2);
    longtext[300] = 0;
    sm_value lv = sm_text(longtext);
    sm_trace t3 = {"SELECT ?", &lv, 1, 0, SM_ROW, -1, true};
    capture_stderr(emit, &t3, out, sizeof out);
    char want[512];
    snprintf(want, sizeof want, "SELECT ?\n[cached 0.000 ms] ('%.199s'...(300 bytes),)\n",
             longtext);
    assert_string_equal(out, want);

    sm_trace t4 = {"  BEGIN  ", NULL, 0, 0, SM_OK, -1, false};
    capture_stderr(emit, &t4, out, sizeof out);
    assert_string_equal(out, "BEGIN\n[prepared 0.000 ms] ()\n");
}

/* The child of test_echo: opens a database with SMDL_ECHO=1 set by the
 * parent and runs two statements, the second one twice. */
static int echo_child(const char *url)
{
    sm_cx cx;
    sm_conn *c;
    sm_cx_init(&cx);
    if (sm_open(&cx, url, &c) != SM_OK)
        return 2;
    sm_value p[3] = {sm_text("Deadpond"), sm_text("Dive Wilson"), sm_null()};
    int rc = sm_exec(&cx, c, "CREATE TABLE hero (name TEXT, secret_name TEXT, age INTEGER)", NULL,
                     0, NULL);
    for (int i = 0; i < 2 && rc == SM_OK; i++)
        rc = sm_exec(&cx, c, "INSERT INTO hero (name, secret_name, age) VALUES (?, ?, ?)", p, 3,
                     NULL);
    sm_close(c);
    sm_cx_free(&cx);
    return rc == SM_OK ? 0 : 3;
}

static void run_child(const char *echo, char *out, size_t cap)
{
    const char *url = tdb_url(SM_SQLITE);
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(fds[1], 2);
        close(fds[0]);
        close(fds[1]);
        if (echo)
            setenv("SMDL_ECHO", echo, 1);
        else
            unsetenv("SMDL_ECHO");
        execl("/proc/self/exe", "test_conn_trace", "--echo-child", url, (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    size_t n = 0;
    ssize_t k;
    while (n + 1 < cap && (k = read(fds[0], out + n, cap - 1 - n)) > 0)
        n += (size_t)k;
    out[n] = 0;
    close(fds[0]);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

static void test_echo(void **state)
{
    (void)state;
    char out[4096];
    run_child("1", out, sizeof out);
    /* Four lines per statement pair; durations vary. */
    char *line[6];
    int nl = 0;
    for (char *s = out, *e; nl < 6 && (e = strchr(s, '\n')); s = e + 1) {
        *e = 0;
        line[nl++] = s;
    }
    assert_int_equal(nl, 6);
    assert_string_equal(line[0], "CREATE TABLE hero (name TEXT, secret_name TEXT, age INTEGER)");
    assert_string_equal(line[2], "INSERT INTO hero (name, secret_name, age) VALUES (?, ?, ?)");
    assert_string_equal(line[4], line[2]);
    double ms;
    char tail[128];
    assert_int_equal(sscanf(line[1], "[prepared %lf ms] %127[^\n]", &ms, tail), 2);
    assert_string_equal(tail, "()");
    assert_int_equal(sscanf(line[3], "[prepared %lf ms] %127[^\n]", &ms, tail), 2);
    assert_string_equal(tail, "('Deadpond', 'Dive Wilson', NULL)");
    assert_int_equal(sscanf(line[5], "[cached %lf ms] %127[^\n]", &ms, tail), 2);
    assert_string_equal(tail, "('Deadpond', 'Dive Wilson', NULL)");
    assert_true(ms >= 0 && ms < 10000);

    /* Without the variable, or with another value: silence. */
    run_child(NULL, out, sizeof out);
    assert_string_equal(out, "");
    run_child("0", out, sizeof out);
    assert_string_equal(out, "");
}

/* A secret double is sent in the form the redaction looks for: on
 * PostgreSQL the message quotes the text bound (once "0.10000000000000001"
 * there, while the redaction looked for "0.1"); elsewhere the statement
 * fails too, on the missing table. */
static void secret_real(tdb *t)
{
    const char *sql = t->d == SM_POSTGRES ? "SELECT CAST(? AS integer)"
                                          : "SELECT CAST(? AS integer) FROM no_such_table";
    const double values[] = {0.1, 1.0 / 3, 2.5e-7, 123456.789};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        sm_value v = sm_secret(sm_real(values[i]));
        expect_rc(t, sm_exec(&t->cx, t->conn, sql, &v, 1, NULL), SM_ERROR);
        const char *msg = sm_cx_errmsg(&t->cx);
        char full[40], digits[40];
        snprintf(full, sizeof full, "%.17g", values[i]);
        snprintf(digits, sizeof digits, "%.6g", values[i]);
        if (strstr(msg, full) || strstr(msg, digits))
            fail_msg("%s: the secret %s is in \"%s\"", tdb_where(), full, msg);
        if (t->d == SM_POSTGRES)
            assert_non_null(strstr(msg, "\"***\""));
    }
}

static void test_secret_real(void **state)
{
    (void)state;
    tdb_each(NULL, secret_real);
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--echo-child") == 0)
        return echo_child(argv[2]);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_callback),
        cmocka_unit_test(test_reentry),
        cmocka_unit_test(test_stderr_format),
        cmocka_unit_test(test_echo),
        cmocka_unit_test(test_secret_real),
    };
    return tdb_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
