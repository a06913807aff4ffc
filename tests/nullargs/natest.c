/*
 * natest.c: the harness of the NULL-argument tests (natest.h).
 */
#include "natest.h"

void *volatile na_null = NULL;

static na *dbs[SM_NDIALECTS];
static na_schema_fn schema;

void na_set_schema(na_schema_fn create)
{
    schema = create;
}

/* The dialect's connection, opened (and its schema created) on first
 * use. */
static na *db(sm_dialect d)
{
    if (dbs[d])
        return dbs[d];
    na *t = calloc(1, sizeof *t);
    assert_non_null(t);
    sm_cx_init(&t->cx);
    /* Generous: a loaded machine runs many test programs at once. */
    sm_cx_set_timeout_ms(&t->cx, 120000);
    t->d = d;
    t->url = tdb_try_shared_url(d);
    if (!t->url) { /* left out by the skip rules */
        sm_cx_free(&t->cx);
        free(t);
        return NULL;
    }
    int rc = sm_open(&t->cx, t->url, &t->conn);
    if (rc != SM_OK)
        fail_msg("cannot open the %s database: %s: %s", tdb_name(d), sm_strerror(rc),
                 sm_cx_errmsg(&t->cx));
    if (schema && (rc = schema(&t->cx, t->conn)) != SM_OK)
        fail_msg("on %s: creating the schema: %s: %s", tdb_name(d), sm_strerror(rc),
                 sm_cx_errmsg(&t->cx));
    dbs[d] = t;
    return t;
}

void na_each(void (*body)(na *t))
{
    bool skipped = false;
    for (int d = 0; d < SM_NDIALECTS; d++) {
        na *t = db((sm_dialect)d);
        if (!t) {
            skipped = true;
            continue;
        }
        print_message("  on %s\n", tdb_name(t->d));
        body(t);
        na_alive(t);
        if (sm_in_transaction(t->conn))
            fail_msg("on %s: a transaction was left open", tdb_name(t->d));
        sm_arena_free(&t->arena);
    }
    if (skipped)
        skip(); /* after running on the others: SKIPPED, and tdb_exit gives 77 */
}

void na_alive(na *t)
{
    sm_rows *r = NULL;
    int rc = sm_query(&t->cx, t->conn, "SELECT 1", NULL, 0, &r);
    if (rc != SM_OK)
        fail_msg("on %s: the connection is not usable after the call: %s: %s",
                 tdb_name(t->d), sm_strerror(rc), sm_cx_errmsg(&t->cx));
    assert_int_equal(sm_rows_next(r), SM_ROW);
    assert_int_equal(sm_rows_int(r, 0), 1);
    assert_int_equal(sm_rows_next(r), SM_DONE);
    sm_rows_close(r);
}

void na_misuse_at(na *t, int rc, const char *what, const char *file, int line)
{
    if (rc != SM_MISUSE)
        fail_msg("%s:%d: on %s: %s returned %s, want SM_MISUSE (%s)", file, line,
                 tdb_name(t->d), what, sm_strerror(rc), sm_cx_errmsg(&t->cx));
    if (sm_cx_errcode(&t->cx) != SM_MISUSE)
        fail_msg("%s:%d: on %s: %s: the cx records %s, want SM_MISUSE", file, line,
                 tdb_name(t->d), what, sm_strerror(sm_cx_errcode(&t->cx)));
    const char *msg = sm_cx_errmsg(&t->cx);
    /* A message of its own, not the code's generic description. */
    if (!msg[0] || strcmp(msg, sm_strerror(SM_MISUSE)) == 0)
        fail_msg("%s:%d: on %s: %s: no message in cx", file, line, tdb_name(t->d),
                 what);
    na_alive(t);
}

void na_rc_at(int rc, int want, const char *what, const char *file, int line)
{
    if (rc != want)
        fail_msg("%s:%d: %s returned %s, want %s", file, line, what, sm_strerror(rc),
                 sm_strerror(want));
}

void na_expect_at(na *t, int rc, int want, const char *what, const char *file, int line)
{
    if (rc != want)
        fail_msg("%s:%d: on %s: %s returned %s, want %s: %s", file, line,
                 tdb_name(t->d), what, sm_strerror(rc), sm_strerror(want),
                 sm_cx_errmsg(&t->cx));
}

static int close_all(void **state)
{
    (void)state;
    for (int d = 0; d < SM_NDIALECTS; d++) {
        na *t = dbs[d];
        if (!t)
            continue;
        sm_close(t->conn);
        sm_arena_free(&t->arena);
        sm_cx_free(&t->cx);
        free(t);
        dbs[d] = NULL;
    }
    return 0;
}

int na_run(const char *group, const struct CMUnitTest *tests, size_t n)
{
    /* NA_ONLY=case_sm_open runs one case (finding which ones crash). */
    const char *only = getenv("NA_ONLY");
    if (only && only[0])
        cmocka_set_test_filter(only);
    return tdb_exit(_cmocka_run_group_tests(group, tests, n, NULL, close_all));
}
