/*
 * test_client_load.c: libsmdl loads a database's client library when the
 * first connection of that database opens, not at start-up
 * (runtime/drivers/client_api.h).  Built three ways (meson.build): over
 * libsmdl.so and over libsmdl.a, linking no client library, and over
 * libsmdl.a with all three linked as before (the program loads them at
 * start, libsmdl uses those, none twice).  Which libraries the process
 * holds is read from the dynamic linker (dl_iterate_phdr).
 *
 *   test_client_load [lazy|linked|bad]
 *
 * lazy: nothing loaded at start; each open adds its own library only.
 * linked: all three loaded at start, once each, and still once after.
 * bad: SMDL_LIBSQLITE3, SMDL_LIBPQ and SMDL_LIBMARIADB name a missing
 * file: each open fails with SM_UNSUPPORTED naming the library, the file
 * and the variable, the same on a second try, and nothing is loaded.
 *
 * Runs on SQLite (in memory) and on the servers of SMDL_TEST_PG_URL and
 * SMDL_TEST_MYSQL_URL; without one it fails (exit 77, skipped, with
 * SMDL_TEST_ALLOW_SKIP=1).
 */
#include <smdl/smdl.h>

#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef TEST_LINKED
#include <libpq-fe.h>
#include <mysql.h>
#include <sqlite3.h>
#endif

enum { SQ, PQ, MY, NLIB };
static const char *const prefixes[NLIB] = {"libsqlite3.so", "libpq.so", "libmariadb.so"};
static const char *const vars[NLIB] = {"SMDL_LIBSQLITE3", "SMDL_LIBPQ", "SMDL_LIBMARIADB"};
static const char *const whats[NLIB] = {"libsqlite3", "libpq", "libmariadb"};
static const char *urls[NLIB];
static int failures;

#define CHECK(cond, ...)                                                           \
    do {                                                                           \
        if (!(cond)) {                                                             \
            fprintf(stderr, "%s:%d: FAIL: ", __FILE__, __LINE__);                  \
            fprintf(stderr, __VA_ARGS__);                                          \
            fputc('\n', stderr);                                                   \
            failures++;                                                            \
        }                                                                          \
    } while (0)

static int count_loaded(struct dl_phdr_info *info, size_t size, void *data)
{
    (void)size;
    int *counts = data;
    const char *slash = strrchr(info->dlpi_name, '/');
    const char *base = slash ? slash + 1 : info->dlpi_name;
    for (int i = 0; i < NLIB; i++)
        if (strncmp(base, prefixes[i], strlen(prefixes[i])) == 0)
            counts[i]++;
    return 0;
}

/* How many objects of each client library the process holds now. */
static void loaded(int counts[NLIB])
{
    memset(counts, 0, NLIB * sizeof counts[0]);
    dl_iterate_phdr(count_loaded, counts);
}

/* Checks the process holds exactly want[i] copies of library i. */
static void expect_loaded(const char *when, const int want[NLIB])
{
    int got[NLIB];
    loaded(got);
    for (int i = 0; i < NLIB; i++)
        CHECK(got[i] == want[i], "%s: %d object(s) %s*, expected %d", when, got[i], prefixes[i],
              want[i]);
}

/* Opens lib's URL and runs one statement: the code of the first failing
 * call, with cx holding its message. */
static int open_and_query(sm_cx *cx, int lib)
{
    sm_conn *conn = NULL;
    int rc = sm_open(cx, urls[lib], &conn);
    if (rc == SM_OK)
        rc = sm_exec(cx, conn, "SELECT 1", NULL, 0, NULL);
    sm_close(conn);
    return rc;
}

static void lazy(void)
{
    int want[NLIB] = {0, 0, 0};
    expect_loaded("at start", want);
    for (int i = 0; i < NLIB; i++) {
        sm_cx cx;
        sm_cx_init(&cx);
        int rc = open_and_query(&cx, i);
        CHECK(rc == SM_OK, "%s: %s", urls[i], sm_cx_errmsg(&cx));
        sm_cx_free(&cx);
        want[i] = 1;
        char when[64];
        snprintf(when, sizeof when, "after opening %s", whats[i]);
        expect_loaded(when, want);
    }
}

static void linked(void)
{
#ifdef TEST_LINKED
    /* Calls into each library, so the link keeps all three (--as-needed). */
    CHECK(sqlite3_libversion_number() > 0 && PQlibVersion() > 0 &&
              mysql_get_client_version() > 0,
          "a client library has no version");
#endif
    const int want[NLIB] = {1, 1, 1};
    expect_loaded("at start", want);
    for (int i = 0; i < NLIB; i++) {
        sm_cx cx;
        sm_cx_init(&cx);
        int rc = open_and_query(&cx, i);
        CHECK(rc == SM_OK, "%s: %s", urls[i], sm_cx_errmsg(&cx));
        sm_cx_free(&cx);
    }
    expect_loaded("after opening all three", want);
}

static void bad(void)
{
    static const char missing[] = "/nonexistent/libsmdl-test-client.so";
    for (int i = 0; i < NLIB; i++)
        setenv(vars[i], missing, 1);
    for (int i = 0; i < NLIB; i++) {
        /* Twice: the outcome of the first load stands for the process. */
        for (int k = 0; k < 2; k++) {
            sm_cx cx;
            sm_cx_init(&cx);
            int rc = open_and_query(&cx, i);
            const char *msg = sm_cx_errmsg(&cx);
            char want[256];
            snprintf(want, sizeof want, "cannot load %s (%s, named by %s): %s", whats[i],
                     missing, vars[i], missing);
            CHECK(rc == SM_UNSUPPORTED, "%s try %d: %s, not SM_UNSUPPORTED (%s)", whats[i], k + 1,
                  sm_strerror(rc), msg);
            CHECK(strncmp(msg, want, strlen(want)) == 0, "%s try %d: message '%s' does not start '%s'",
                  whats[i], k + 1, msg, want);
            sm_cx_free(&cx);
        }
    }
    const int none[NLIB] = {0, 0, 0};
    expect_loaded("after the failed opens", none);
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "lazy";
    urls[SQ] = "sqlite::memory:";
    urls[PQ] = getenv("SMDL_TEST_PG_URL");
    urls[MY] = getenv("SMDL_TEST_MYSQL_URL");
    for (int i = PQ; i < NLIB; i++) {
        if (urls[i] && *urls[i])
            continue;
        const char *skip = getenv("SMDL_TEST_ALLOW_SKIP");
        fprintf(stderr, "test_client_load: %s is not set: start the servers with "
                        "'tests/servers.sh start DIR' and 'eval \"$(tests/servers.sh env DIR)\"'\n",
                i == PQ ? "SMDL_TEST_PG_URL" : "SMDL_TEST_MYSQL_URL");
        return skip && strcmp(skip, "1") == 0 ? 77 : 1;
    }
    if (strcmp(mode, "lazy") == 0)
        lazy();
    else if (strcmp(mode, "linked") == 0)
        linked();
    else if (strcmp(mode, "bad") == 0)
        bad();
    else {
        fprintf(stderr, "test_client_load: unknown mode '%s' (lazy, linked or bad)\n", mode);
        return 2;
    }
    if (failures)
        fprintf(stderr, "test_client_load %s: %d failure(s)\n", mode, failures);
    else
        printf("ok: test_client_load %s\n", mode);
    return failures ? 1 : 0;
}
