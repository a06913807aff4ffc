/*
 * tdb_each.c: the dialects a test runs on, the skip rules, the run of a
 * body per dialect, and the program's exit status (tdb.h).
 */
#include "tdb.h"

#include "tdb_fresh.h"

#include <unistd.h>

static const char *const names[SM_NDIALECTS] = {"sqlite", "postgres", "mysql"};

static struct {
    bool parsed;
    unsigned wanted;                /* TDB_ON mask from SMDL_TEST_DIALECTS */
    bool skipped[SM_NDIALECTS];     /* left out at least once */
    char why[SM_NDIALECTS][512];    /* the first reason, for the summary */
    bool unavailable[SM_NDIALECTS]; /* known to be skipped: do not ask again */
    bool exit_checked;              /* main returned through tdb_exit */
    const char *shared[SM_NDIALECTS];
    tdb *current;
} h;

const char *tdb_name(sm_dialect d)
{
    return (unsigned)d < SM_NDIALECTS ? names[d] : "unknown";
}

const char *tdb_where(void)
{
    static char buf[32];
    if (!h.current)
        return "";
    snprintf(buf, sizeof buf, " on %s", h.current->name);
    return buf;
}

/* ---- Which dialects ----------------------------------------------------------- */

static bool word_is(const char *w, size_t n, const char *name)
{
    return strlen(name) == n && strncmp(w, name, n) == 0;
}

static unsigned wanted(void)
{
    if (h.parsed)
        return h.wanted;
    h.parsed = true;
    const char *list = getenv("SMDL_TEST_DIALECTS");
    if (!list || !list[0])
        return h.wanted = TDB_ALL;
    for (const char *p = list; *p;) {
        p += strspn(p, " ,\t");
        size_t n = strcspn(p, " ,\t");
        if (n == 0)
            break;
        if (word_is(p, n, "sqlite")) {
            h.wanted |= TDB_ON(SM_SQLITE);
        } else if (word_is(p, n, "postgres") || word_is(p, n, "postgresql") ||
                   word_is(p, n, "pg")) {
            h.wanted |= TDB_ON(SM_POSTGRES);
        } else if (word_is(p, n, "mysql") || word_is(p, n, "mariadb")) {
            h.wanted |= TDB_ON(SM_MYSQL);
        } else {
            /* A typo must not quietly run nothing. */
            fprintf(stderr,
                    "tdb: unknown dialect '%.*s' in SMDL_TEST_DIALECTS "
                    "(use sqlite, postgres, mysql)\n",
                    (int)n, p);
            exit(1);
        }
        p += n;
    }
    return h.wanted;
}

/* ---- Skips ------------------------------------------------------------------- */

/* Runs at exit when a dialect was skipped: a main that forgot tdb_exit
 * would report the skip as a pass. */
static void check_exit_used(void)
{
    if (h.exit_checked)
        return;
    fprintf(stderr, "tdb: a dialect was skipped but main did not return tdb_exit(): "
                    "failing rather than passing\n");
    tdb_fresh_cleanup();
    _exit(1);
}

static void note_skip(sm_dialect d, const char *why)
{
    print_message("SKIP %s: %s\n", names[d], why);
    if (!h.skipped[0] && !h.skipped[1] && !h.skipped[2])
        atexit(check_exit_used);
    if (!h.skipped[d] && why != h.why[d])
        snprintf(h.why[d], sizeof h.why[d], "%s", why);
    h.skipped[d] = true;
}

static bool skip_allowed(void)
{
    const char *v = getenv("SMDL_TEST_ALLOW_SKIP");
    return v && strcmp(v, "1") == 0;
}

/* A fresh database of d, or NULL (after note_skip) when the skip rules
 * leave d out; fails the test when a server is missing and skipping is
 * not allowed. */
static const char *fresh_or_skip(sm_dialect d)
{
    if (!(wanted() & TDB_ON(d))) {
        note_skip(d, "not in SMDL_TEST_DIALECTS");
        return NULL;
    }
    if (h.unavailable[d]) {
        note_skip(d, h.why[d]);
        return NULL;
    }
    const char *url;
    char why[512];
    tdb_fresh_rc rc = tdb_fresh(d, &url, why, sizeof why);
    if (rc == TDB_FRESH_OK)
        return url;
    if (rc != TDB_FRESH_BROKEN && skip_allowed()) {
        h.unavailable[d] = true;
        note_skip(d, why);
        return NULL;
    }
    if (rc == TDB_FRESH_BROKEN)
        fail_msg("tdb: no %s database: %s", names[d], why);
    fail_msg("tdb: no %s database: %s.  Start the servers with 'tests/servers.sh start DIR' "
             "and 'eval \"$(tests/servers.sh env DIR)\"', narrow SMDL_TEST_DIALECTS, or set "
             "SMDL_TEST_ALLOW_SKIP=1 to skip it (local runs only)",
             names[d], why);
    return NULL;
}

const char *tdb_url(sm_dialect d)
{
    const char *url = fresh_or_skip(d);
    if (!url)
        skip();
    return url;
}

const char *tdb_try_shared_url(sm_dialect d)
{
    if ((unsigned)d >= SM_NDIALECTS)
        fail_msg("tdb: unknown dialect %d", (int)d);
    if (!h.shared[d])
        h.shared[d] = fresh_or_skip(d);
    return h.shared[d];
}

const char *tdb_shared_url(sm_dialect d)
{
    const char *url = tdb_try_shared_url(d);
    if (!url)
        skip();
    return url;
}

bool tdb_skipped(sm_dialect d)
{
    return (unsigned)d < SM_NDIALECTS && h.skipped[d];
}

int tdb_exit(int failed_tests)
{
    h.exit_checked = true;
    if (failed_tests)
        return 1; /* never 77 or 99, which meson reads as skip and error */
    bool any = false;
    for (int d = 0; d < SM_NDIALECTS; d++) {
        if (!h.skipped[d])
            continue;
        print_message("tdb: skipped on %s: %s\n", names[d], h.why[d]);
        any = true;
    }
    return any ? 77 : 0;
}

/* ---- Runs ---------------------------------------------------------------------- */

sm_conn *tdb_connect(sm_cx *cx, const char *url)
{
    sm_conn *conn = NULL;
    int rc = sm_open(cx, url, &conn);
    if (rc != SM_OK || !conn)
        fail_msg("tdb: cannot open %s: %s: %s", url, sm_strerror(rc), sm_cx_errmsg(cx));
    return conn;
}

static int run_one(sm_dialect d, const char *url, tdb_schema_fn create, tdb_body_fn body)
{
    tdb *t = calloc(1, sizeof *t);
    assert_non_null(t);
    t->d = d;
    t->name = names[d];
    t->url = url;
    sm_cx_init(&t->cx);
    sm_cx_set_timeout_ms(&t->cx, TDB_TIMEOUT_MS);
    print_message("  on %s\n", t->name);
    h.current = t;
    t->conn = tdb_connect(&t->cx, url);
    if (create) {
        int rc = create(&t->cx, t->conn);
        if (rc != SM_OK)
            fail_msg("on %s: creating the schema: %s: %s", t->name, sm_strerror(rc),
                     sm_cx_errmsg(&t->cx));
    }
    if (setjmp(t->stop) == 0)
        body(t);
    else
        print_error("    (the rest of the test was not run on %s)\n", t->name);
    h.current = NULL;
    int failures = t->failures;
    sm_close(t->conn);
    sm_arena_free(&t->arena);
    sm_errors_free(&t->errs);
    sm_buf_free(&t->buf);
    sm_buf_free(&t->sql);
    sm_cx_free(&t->cx);
    free(t);
    return failures;
}

void tdb_each_on(unsigned dialects, tdb_schema_fn create, tdb_body_fn body)
{
    int failures = 0, ran = 0;
    bool skipped = false;
    h.current = NULL; /* a run a failed assertion left */
    for (int i = 0; i < SM_NDIALECTS; i++) {
        sm_dialect d = (sm_dialect)i;
        if (!(dialects & TDB_ON(d)))
            continue;
        const char *url = fresh_or_skip(d);
        if (!url) {
            skipped = true;
            continue;
        }
        failures += run_one(d, url, create, body);
        ran++;
    }
    if (failures)
        fail_msg("%d failed check%s (above)", failures, failures == 1 ? "" : "s");
    if (skipped)
        skip(); /* after running on the others: shown as SKIPPED, exit 77 */
    if (ran == 0)
        fail_msg("tdb: no dialect to run on (mask %#x)", dialects);
}

void tdb_each(tdb_schema_fn create, tdb_body_fn body)
{
    tdb_each_on(TDB_ALL, create, body);
}
