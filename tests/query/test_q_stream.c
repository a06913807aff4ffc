/*
 * test_q_stream.c: `-> each` over 1,000,000 rows on every dialect, in
 * bounded memory: the memory the process holds while the rows stream
 * past grows by at most a few MiB over what it held before, where holding
 * them would take tens of MiB; every row comes, in order; stopping early
 * returns fn's value and leaves the connection usable.
 *
 * Memory is the heap in use now (malloc's count, or the sanitizer
 * allocator's), sampled during the stream: unlike the process's peak
 * resident size, it falls again when memory is freed, so what an earlier
 * test or an earlier dialect used cannot hide a growth.
 */
#include "qtest.h"

#include <malloc.h>

enum { ROWS = 1000000, SAMPLE_EVERY = 4096 };

/* How much the heap in use may grow during the stream: the rows of a
 * buffered result take 40 MiB or more on every dialect. */
enum { BOUND_KIB = 4 * 1024 };

#if defined(__SANITIZE_ADDRESS__)
#define SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANITIZED 1
#endif
#endif

#ifdef SANITIZED
/* The sanitizer's allocator replaces malloc's (mallinfo2 reads zeros):
 * ask it (compiler-rt's allocator_interface.h, not shipped by gcc). */
size_t __sanitizer_get_current_allocated_bytes(void);
#endif

/* Bytes of heap the process has allocated and not freed, now. */
static size_t heap_in_use(void)
{
#ifdef SANITIZED
    return __sanitizer_get_current_allocated_bytes();
#else
    struct mallinfo2 mi = mallinfo2();
    return mi.uordblks + mi.hblkhd; /* arena chunks in use + mmapped chunks */
#endif
}

typedef struct walk {
    int64_t rows;
    int64_t next_id; /* ids are 1..ROWS: one statement filled the table */
    bool in_order;
    bool labels_ok;
    int64_t sum_n;   /* the fill wrote each n in 0..ROWS-1 once, in any order */
    int64_t stop_at; /* 0: read everything */
    size_t heap_max; /* the most heap_in_use() seen, sampled */
} walk;

static int on_row(void *ud, const Event *row)
{
    walk *w = ud;
    w->in_order &= row->id == w->next_id;
    w->labels_ok &= row->label && strcmp(row->label, "event") == 0;
    w->sum_n += row->n;
    w->next_id = row->id + 1;
    if (++w->rows % SAMPLE_EVERY == 0) {
        size_t now = heap_in_use();
        if (now > w->heap_max)
            w->heap_max = now;
    }
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

    walk w = {0, 1, true, true, 0, 0, 0};
    size_t before = heap_in_use();
    w.heap_max = before;
    t0 = tdb_now_ms();
    QT_OK(t, events(&t->cx, t->conn, on_row, &w));
    double ms = tdb_now_ms() - t0;
    long growth_kib = (long)((w.heap_max - before) / 1024);
    print_message("    %lld rows streamed in %.0f ms; heap in use %zu KiB before, at most "
                  "%zu KiB during (+%ld, bound %d)\n",
                  (long long)w.rows, ms, before / 1024, w.heap_max / 1024, growth_kib, BOUND_KIB);
    QT_INT(t, w.rows, ROWS);
    QT_TRUE(t, w.in_order);
    QT_TRUE(t, w.labels_ok);
    QT_INT(t, w.sum_n, (int64_t)ROWS * (ROWS - 1) / 2);
    QT_TRUE(t, before > 0); /* the probe reads something */
    tdb_check(t, __FILE__, __LINE__, "heap growth during the stream", growth_kib <= BOUND_KIB,
              "+%ld KiB, bound %d KiB", growth_kib, BOUND_KIB);

    /* Stopping early: fn's value comes back and the connection is
     * usable (the driver disposes of the unread rows). */
    w = (walk){0, 1, true, true, 0, 10, 0};
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
