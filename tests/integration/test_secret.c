/*
 * test_secret.c: @secret on every dialect.  A trace callback sees "***"
 * for every value of a secret field or of a parameter the checker found
 * secret (insert, update, patch, get by a secret key, queries, lists, raw
 * SQL with sm_secret), while other values show; the SMDL_ECHO tracer of
 * a child process prints *** and never the value; messages never quote
 * a secret value: the databases' own (a unique violation, a value of
 * the wrong type), the row reader's, validation's and JSON's.
 */
#include "secret.h"
#include "tdb.h"

#include <sys/wait.h>
#include <unistd.h>

/* Every secret value the bodies use: none may show anywhere. */
static const char *const secrets[] = {
    "hunter2-pass", "second-pass", "third-pass", "fourth-pass", "4242", "tok-secret-0001",
    "raw-secret-note", "member", "dup-secret-pass", "not-a-number-7731", "echo-secret-pass",
    "9090", NULL,
};

/* ---- Recording traces ------------------------------------------------------------ */

#define MAX_EVENTS 64

typedef struct event {
    char sql[160];
    char params[256]; /* rendered as sm_trace_stderr does */
} event;

typedef struct recorder {
    event ev[MAX_EVENTS];
    int n;
    int bad_secret; /* a flagged value that was not the text "***" */
} recorder;

static void render(const sm_value *v, char *out, size_t size, recorder *r)
{
    if (v->flags & SM_V_SECRET) {
        if (v->kind != SM_VTEXT || v->len != 3 || memcmp(v->u.p, "***", 3) != 0)
            r->bad_secret++;
        snprintf(out, size, "***");
        return;
    }
    switch (v->kind) {
    case SM_VNULL:
        snprintf(out, size, "NULL");
        break;
    case SM_VBOOL:
        snprintf(out, size, v->u.i ? "TRUE" : "FALSE");
        break;
    case SM_VINT:
        snprintf(out, size, "%lld", (long long)v->u.i);
        break;
    case SM_VTEXT:
        snprintf(out, size, "'%.*s'", (int)v->len, (const char *)v->u.p);
        break;
    default:
        snprintf(out, size, "<kind %d>", v->kind);
        break;
    }
}

static void record(void *ud, const sm_trace *t)
{
    recorder *r = ud;
    if (r->n == MAX_EVENTS)
        return;
    event *e = &r->ev[r->n++];
    snprintf(e->sql, sizeof e->sql, "%s", t->sql);
    size_t at = 0;
    e->params[0] = 0;
    for (size_t i = 0; i < t->nparams && at < sizeof e->params; i++) {
        char one[128];
        render(&t->params[i], one, sizeof one, r);
        at += (size_t)snprintf(e->params + at, sizeof e->params - at, "%s%s", i ? ", " : "", one);
    }
}

/* The parameters of the last statement traced whose SQL starts with
 * prefix (the library's BEGIN and COMMIT may come after it). */
static const char *last(tdb *t, recorder *r, const char *prefix)
{
    for (int i = r->n - 1; i >= 0; i--)
        if (strncmp(r->ev[i].sql, prefix, strlen(prefix)) == 0)
            return r->ev[i].params;
    fail_msg("on %s: no %s... statement traced", t->name, prefix);
    return NULL;
}

/* No secret of the list in s. */
static bool clean(const char *s)
{
    for (int i = 0; secrets[i]; i++)
        if (strstr(s, secrets[i]))
            return false;
    return true;
}

#define CHECK_STR(t, got, want) tdb_check_str((t), __FILE__, __LINE__, #got, (got), (want))
#define CHECK_CLEAN(t, s)                                                                          \
    tdb_check((t), __FILE__, __LINE__, "no secret in " #s, clean(s), "%s", (s))

/* ---- Traces ----------------------------------------------------------------------------- */

static void trace_body(tdb *t)
{
    recorder r = {0};
    char want[128];
    sm_conn_set_trace(t->conn, record, &r);

    Account a = ACCOUNT_INIT;
    a.name = "alice";
    a.password = "hunter2-pass";
    a.has_pin = true;
    a.pin = 4242;
    a.role = ROLE_MEMBER;
    a.note = "hello";
    TDB_MUST(t, account_insert(&t->cx, t->conn, &a));
    CHECK_STR(t, last(t, &r, "INSERT"), "'alice', ***, ***, ***, 'hello'");

    a.password = "second-pass";
    TDB_MUST(t, account_update(&t->cx, t->conn, &a));
    snprintf(want, sizeof want, "'alice', ***, ***, ***, 'hello', %lld", (long long)a.id);
    CHECK_STR(t, last(t, &r, "UPDATE"), want);

    /* A patch that sets a secret field, and one that sets it to NULL. */
    AccountUpdate u = {0};
    u.has_password = true;
    u.password = "third-pass";
    u.has_note = true;
    u.note = "patched";
    TDB_MUST(t, account_patch(&t->cx, t->conn, a.id, &u));
    snprintf(want, sizeof want, "***, 'patched', %lld", (long long)a.id);
    CHECK_STR(t, last(t, &r, "UPDATE"), want);
    AccountUpdate none = {0};
    none.has_pin = true;
    none.pin_null = true;
    TDB_MUST(t, account_patch(&t->cx, t->conn, a.id, &none));
    snprintf(want, sizeof want, "***, %lld", (long long)a.id);
    CHECK_STR(t, last(t, &r, "UPDATE"), want);

    /* A secret key: insert, then get by it. */
    ApiKey k = API_KEY_INIT;
    k.token = "tok-secret-0001";
    k.account_id = a.id;
    k.label = "ci";
    TDB_MUST(t, api_key_insert(&t->cx, t->conn, &k));
    snprintf(want, sizeof want, "***, %lld, 'ci'", (long long)a.id);
    CHECK_STR(t, last(t, &r, "INSERT"), want);
    ApiKey got = API_KEY_INIT;
    TDB_MUST(t, api_key_get(&t->cx, t->conn, "tok-secret-0001", &got, &t->arena));
    CHECK_STR(t, last(t, &r, "SELECT"), "***");
    CHECK_STR(t, got.token, "tok-secret-0001"); /* the program gets its values */
    ApiKey_list kl = {0};
    TDB_MUST(t, keys_by_token(&t->cx, t->conn, "tok-secret-0001", &kl, &t->arena));
    CHECK_STR(t, last(t, &r, "SELECT"), "***");
    tdb_check_int(t, __FILE__, __LINE__, "keys found", (int64_t)kl.len, 1);

    /* Several rows: one statement on the servers, one per row on SQLite. */
    Account two[2] = {ACCOUNT_INIT, ACCOUNT_INIT};
    two[0].name = "bea";
    two[0].password = "hunter2-pass-b";
    two[1].name = "cid";
    two[1].password = "hunter2-pass-c";
    two[1].note = "cc";
    TDB_MUST(t, account_insert_many(&t->cx, t->conn, two, 2));
    CHECK_STR(t, last(t, &r, "INSERT"),
              t->d == SM_SQLITE ? "'cid', ***, ***, ***, 'cc'"
                                : "'bea', ***, ***, ***, NULL, 'cid', ***, ***, ***, 'cc'");

    /* Parameters the checker found secret; :name is not. */
    Account me = ACCOUNT_INIT;
    TDB_MUST(t, login(&t->cx, t->conn, "alice", "third-pass", &me, &t->arena));
    CHECK_STR(t, last(t, &r, "SELECT"), "'alice', ***");
    CHECK_STR(t, me.password, "third-pass");
    Account_list l = {0};
    TDB_MUST(t, with_pin(&t->cx, t->conn, 4242, &l, &t->arena));
    CHECK_STR(t, last(t, &r, "SELECT"), "***");
    int64_t pins[2] = {4242, 1};
    TDB_MUST(t, with_pins(&t->cx, t->conn, pins, 2, &l, &t->arena));
    /* MySQL expands the list, after a flag saying it is not empty. */
    CHECK_STR(t, last(t, &r, "SELECT"), t->d == SM_MYSQL ? "TRUE, ***, ***" : "***");
    TDB_MUST(t, with_role(&t->cx, t->conn, ROLE_MEMBER, &l, &t->arena));
    CHECK_STR(t, last(t, &r, "SELECT"), "***");
    int64_t n = 0;
    TDB_MUST(t, set_password(&t->cx, t->conn, "alice", "fourth-pass", &n));
    CHECK_STR(t, last(t, &r, "UPDATE"), "***, 'alice'");
    const char *pw = NULL;
    TDB_MUST(t, password_of(&t->cx, t->conn, "alice", &pw, &t->arena));
    CHECK_STR(t, last(t, &r, "SELECT"), "'alice'");
    CHECK_STR(t, pw, "fourth-pass");

    /* Raw SQL marks a value with sm_secret. */
    sm_value p[2] = {sm_secret(sm_text("raw-secret-note")), sm_int(a.id)};
    TDB_MUST(t, tdb_exec(t, "UPDATE \"account\" SET \"note\" = ? WHERE \"id\" = ?", p, 2));
    snprintf(want, sizeof want, "***, %lld", (long long)a.id);
    CHECK_STR(t, last(t, &r, "UPDATE"), want);

    sm_conn_set_trace(t->conn, NULL, NULL);
    tdb_check_int(t, __FILE__, __LINE__, "flagged values that were not \"***\"", r.bad_secret, 0);
    for (int i = 0; i < r.n; i++) {
        CHECK_CLEAN(t, r.ev[i].params);
        CHECK_CLEAN(t, r.ev[i].sql);
    }
}

static void test_traces(void **state)
{
    (void)state;
    tdb_each(secret_create_all, trace_body);
}

/* ---- SMDL_ECHO in a child process --------------------------------------------------- */

/* The child: SMDL_ECHO=1 is set, so every statement goes to stderr. */
static int echo_child(const char *url)
{
    sm_cx cx;
    sm_conn *c;
    sm_arena arena = SM_ARENA_INIT;
    sm_cx_init(&cx);
    if (sm_open(&cx, url, &c) != SM_OK)
        return 2;
    Account a = ACCOUNT_INIT;
    a.name = "echo-user";
    a.password = "echo-secret-pass";
    a.has_pin = true;
    a.pin = 9090;
    a.role = ROLE_MEMBER;
    Account me = ACCOUNT_INIT;
    int rc = account_insert(&cx, c, &a);
    if (rc == SM_OK)
        rc = login(&cx, c, "echo-user", "echo-secret-pass", &me, &arena);
    sm_close(c);
    sm_arena_free(&arena);
    sm_cx_free(&cx);
    return rc == SM_OK ? 0 : 3;
}

static void echo_body(tdb *t)
{
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(fds[1], 2);
        close(fds[0]);
        close(fds[1]);
        setenv("SMDL_ECHO", "1", 1);
        execl("/proc/self/exe", "test_integration_secret", "--echo-child", t->url, (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    char out[8192];
    size_t n = 0;
    ssize_t k;
    while (n + 1 < sizeof out && (k = read(fds[0], out + n, sizeof out - 1 - n)) > 0)
        n += (size_t)k;
    out[n] = 0;
    close(fds[0]);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    tdb_check(t, __FILE__, __LINE__, "the child ran", WIFEXITED(status) && WEXITSTATUS(status) == 0,
              "status %d, stderr: %s", status, out);
    /* The insert's parameters, then the login's. */
    tdb_check(t, __FILE__, __LINE__, "insert echoed", strstr(out, "('echo-user', ***, ***, ***, NULL)") != NULL,
              "%s", out);
    tdb_check(t, __FILE__, __LINE__, "login echoed", strstr(out, "('echo-user', ***)") != NULL, "%s",
              out);
    CHECK_CLEAN(t, out);
}

static void test_echo(void **state)
{
    (void)state;
    tdb_each(secret_create_all, echo_body);
}

/* ---- Messages --------------------------------------------------------------------------- */

static Account account(const char *name, const char *password)
{
    Account a = ACCOUNT_INIT;
    a.name = name;
    a.password = password;
    a.role = ROLE_MEMBER;
    return a;
}

/* The message and the constraint details of the last call hold no
 * secret. */
static void check_clean_cx(tdb *t, int line)
{
    const char *msg = sm_cx_errmsg(&t->cx);
    tdb_check(t, __FILE__, line, "no secret in the message", clean(msg), "%s", msg);
    const sm_constraint *c = sm_cx_constraint(&t->cx);
    const char *parts[3] = {c->table, c->name, c->columns};
    for (int i = 0; i < 3; i++)
        if (parts[i])
            tdb_check(t, __FILE__, line, "no secret in the constraint", clean(parts[i]), "%s",
                      parts[i]);
}

/* A unique violation on a secret column and on a secret key. */
static void unique_body(tdb *t)
{
    Account a = account("ann", "dup-secret-pass"), b = account("bob", "dup-secret-pass");
    TDB_MUST(t, account_insert(&t->cx, t->conn, &a));
    recorder r = {0};
    sm_conn_set_trace(t->conn, record, &r);
    expect_rc(t, account_insert(&t->cx, t->conn, &b), SM_CONSTRAINT);
    sm_conn_set_trace(t->conn, NULL, NULL);
    tdb_constraint_is(t, SM_CK_UNIQUE, "uq_account_password", "password");
    check_clean_cx(t, __LINE__);
    /* The failed statement is traced like any other. */
    CHECK_STR(t, last(t, &r, "INSERT"), "'bob', ***, ***, ***, NULL");

    ApiKey k = API_KEY_INIT;
    k.token = "tok-secret-0001";
    k.account_id = a.id;
    k.label = "one";
    TDB_MUST(t, api_key_insert(&t->cx, t->conn, &k));
    k.label = "two";
    expect_rc(t, api_key_insert(&t->cx, t->conn, &k), SM_CONSTRAINT);
    tdb_constraint_is(t, SM_CK_UNIQUE, NULL, "token"); /* MySQL names every key PRIMARY */
    check_clean_cx(t, __LINE__);
}

static void test_unique(void **state)
{
    (void)state;
    tdb_each(secret_create_all, unique_body);
}

/* A statement the database refuses with a message quoting the value it
 * was given: PostgreSQL's and MySQL's integer input, SQLite's JSON path.
 * First with the value in clear, to show the database quotes it, then
 * flagged secret. */
static void type_error_body(tdb *t)
{
    const char *sql = t->d == SM_SQLITE ? "SELECT json_extract('{}', ?)"
                                        : "UPDATE \"account\" SET \"pin\" = ?";
    const char *clear = "not-a-number-1234", *secret = "not-a-number-7731";
    Account a = account("typed", "x");
    TDB_MUST(t, account_insert(&t->cx, t->conn, &a)); /* MySQL checks the rows it writes */
    sm_value p = sm_text(clear);
    expect_rc(t, tdb_exec(t, sql, &p, 1), SM_ERROR);
    tdb_check(t, __FILE__, __LINE__, "the database quotes the value",
              strstr(sm_cx_errmsg(&t->cx), clear) != NULL, "%s", sm_cx_errmsg(&t->cx));
    p = sm_secret(sm_text(secret));
    expect_rc(t, tdb_exec(t, sql, &p, 1), SM_ERROR);
    check_clean_cx(t, __LINE__);
    /* The rest of the message stays. */
    const char *want = t->d == SM_SQLITE   ? "'***'"
                       : t->d == SM_POSTGRES ? "invalid input syntax for type bigint: \"***\""
                                             : "Incorrect integer value: '***'";
    tdb_check(t, __FILE__, __LINE__, "redacted message", strstr(sm_cx_errmsg(&t->cx), want) != NULL,
              "%s (want %s)", sm_cx_errmsg(&t->cx), want);
}

static void test_type_error(void **state)
{
    (void)state;
    tdb_each(secret_create_all, type_error_body);
}

/* Values read back that are not of the field's type. */
static void read_body(tdb *t)
{
    Code_list c = {0};
    PlainCode_list pc = {0};
    Day_list d = {0};
    expect_rc(t, bad_plain_code(&t->cx, t->conn, &pc, &t->arena), SM_ERROR);
    CHECK_STR(t, sm_cx_errmsg(&t->cx), "column PlainCode.code: 99999 is out of range for i16");
    expect_rc(t, bad_code(&t->cx, t->conn, &c, &t->arena), SM_ERROR);
    CHECK_STR(t, sm_cx_errmsg(&t->cx), "column Code.code: *** is out of range for i16");
    expect_rc(t, bad_day(&t->cx, t->conn, &d, &t->arena), SM_ERROR);
    CHECK_STR(t, sm_cx_errmsg(&t->cx), "column Day.day: cannot read *** as a date");
}

static void test_read(void **state)
{
    (void)state;
    tdb_each(secret_create_all, read_body);
}

/* An enum argument out of range is refused before any SQL, without its
 * value. */
static void enum_arg_body(tdb *t)
{
    Account_list l = {0};
    expect_rc(t, with_role(&t->cx, t->conn, (Role)7, &l, &t->arena), SM_MISUSE);
    CHECK_STR(t, sm_cx_errmsg(&t->cx), "field 'r': *** is not a member of enum Role");
}

static void test_enum_arg(void **state)
{
    (void)state;
    tdb_each(secret_create_all, enum_arg_body);
}

/* ---- Validation and JSON (no database) ----------------------------------------------- */

static void test_validation(void **state)
{
    (void)state;
    Account a = account("val", "x");
    a.role = (Role)7;
    sm_errors errs = SM_ERRORS_INIT;
    assert_int_equal(account_validate(&a, &errs), SM_INVALID);
    tdb_errors_are(&errs, "role", "enum", NULL);
    assert_string_equal(errs.items[0].msg, "must be a Role member");
    sm_errors_free(&errs);
}

static void test_json(void **state)
{
    (void)state;
    sm_arena arena = SM_ARENA_INIT;
    sm_errors errs = SM_ERRORS_INIT;
    Account a;
    /* A bad escape in a plain field: the message shows the byte. */
    static const char plain[] = "{\"name\": \"a\\qb\"}";
    assert_int_equal(account_from_json(plain, strlen(plain), &a, &arena, &errs), SM_INVALID);
    tdb_errors_are(&errs, "", "json_syntax", NULL);
    assert_string_equal(errs.items[0].msg,
                        "1:13: expected one of \" \\ / b f n r t u after '\\', found 'q'");
    sm_errors_clear(&errs);
    /* The same in a secret field: not. */
    static const char secret[] = "{\"password\": \"a\\qb\"}";
    assert_int_equal(account_from_json(secret, strlen(secret), &a, &arena, &errs), SM_INVALID);
    tdb_errors_are(&errs, "", "json_syntax", NULL);
    assert_string_equal(errs.items[0].msg, "1:17: expected one of \" \\ / b f n r t u after '\\'");
    sm_errors_free(&errs);

    /* _to_json is about serialization, not traces: the value is written. */
    Account b = account("json", "hunter2-pass");
    sm_buf out = SM_BUF_INIT;
    assert_int_equal(account_to_json(&b, &out), SM_OK);
    assert_non_null(strstr(out.data, "\"password\":\"hunter2-pass\""));
    sm_buf_free(&out);
    sm_arena_free(&arena);
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--echo-child") == 0)
        return echo_child(argv[2]);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_traces),     cmocka_unit_test(test_echo),
        cmocka_unit_test(test_unique),     cmocka_unit_test(test_type_error),
        cmocka_unit_test(test_read),       cmocka_unit_test(test_enum_arg),
        cmocka_unit_test(test_validation), cmocka_unit_test(test_json),
    };
    return tdb_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
