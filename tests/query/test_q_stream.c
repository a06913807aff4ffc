/*
 * test_q_stream.c: `-> each` over 1,000,000 rows on every dialect, in
 * bounded memory: the peak resident size (getrusage) may grow by at most
 * a few MiB while the rows stream past, where holding them would take
 * tens of MiB; every row comes, in order; stopping early returns fn's
 * value and leaves the connection usable.
 */
#include "qtest.h"

#include <sys/resource.h>

enum { ROWS = 1000000 };

/* How much the peak resident size may grow: a buffered result of a
 * million rows is 40 MiB or more on every dialect.  AddressSanitizer
 * keeps freed memory in quarantine (256 MiB by default) before reusing
 * it, and a streaming driver frees something per row (libpq a PGresult),
 * so under it the peak measures the quarantine: the bound is checked in
 * the plain build, and the sanitized one reports the number. */
enum { BOUND_KIB = 8 * 1024 };
#if defined(__SANITIZE_ADDRESS__)
#define SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANITIZED 1
#endif
#endif
#ifdef SANITIZED
static const bool check_rss = false;
#else
static const bool check_rss = true;
#endif

static long peak_kib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss; /* KiB on Linux */
}

typedef struct walk {
    int64_t rows;
    int64_t next_id; /* ids are 1..ROWS: one statement filled the table */
    bool in_order;
    bool labels_ok;
    int64_t sum_n;   /* the fill wrote each n in 0..ROWS-1 once, in any order */
    int64_t stop_at; /* 0: read everything */
} walk;

static int on_row(void *ud, const Event *row)
{
    walk *w = ud;
    w->in_order &= row->id == w->next_id;
    w->labels_ok &= row->label && strcmp(row->label, "event") == 0;
    w->sum_n += row->n;
    w->next_id = row->id + 1;
    w->rows++;
    return w->stop_at && w->rows == w->stop_at ? 1 : 0;
}

static void million(tdb *t)
{
    for (int64_t d = 0; d < 10; d++)
        TDB_MUST(t, digit_insert(&t->cx, t->conn, &(Digit){d}));
    int64_t affected = 0;
    double t0 = tdb_now_ms();
    TDB_MUST(t, raw_fill_events(&t->cx, t->conn, ROWS, &affected));
    QT_INT(t, affected, ROWS);
    print_message("    %lld rows inserted in %.0f ms\n", (long long)affected, tdb_now_ms() - t0);

    walk w = {0, 1, true, true, 0, 0};
    long before = peak_kib();
    t0 = tdb_now_ms();
    QT_OK(t, events(&t->cx, t->conn, on_row, &w));
    double ms = tdb_now_ms() - t0;
    long after = peak_kib();
    print_message("    %lld rows streamed in %.0f ms; peak RSS %ld -> %ld KiB (+%ld, bound %d)\n",
                  (long long)w.rows, ms, before, after, after - before, BOUND_KIB);
    QT_INT(t, w.rows, ROWS);
    QT_TRUE(t, w.in_order);
    QT_TRUE(t, w.labels_ok);
    QT_INT(t, w.sum_n, (int64_t)ROWS * (ROWS - 1) / 2);
    if (check_rss)
        tdb_check(t, __FILE__, __LINE__, "peak RSS growth", after - before <= BOUND_KIB,
                  "+%ld KiB, bound %d KiB", after - before, BOUND_KIB);
    else
        print_message("    (AddressSanitizer: the bound is checked in the plain build)\n");

    /* Stopping early: fn's value comes back and the connection is
     * usable (the driver disposes of the unread rows). */
    w = (walk){0, 1, true, true, 0, 10};
    t0 = tdb_now_ms();
    QT_RC(t, events(&t->cx, t->conn, on_row, &w), 1);
    ms = tdb_now_ms() - t0;
    print_message("    stopped after %lld rows in %.1f ms\n", (long long)w.rows, ms);
    QT_INT(t, w.rows, 10);
    int64_t n = -1;
    QT_OK(t, count_heroes(&t->cx, t->conn, &n));
    QT_INT(t, n, 0);
}

static void test_million(void **state)
{
    (void)state;
    tdb_each(queries_create_all, million);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_million),
    };
    return tdb_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
