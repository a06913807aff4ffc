/*
 * test_arena.c: the block allocator: alignment, block growth, oversized
 * requests, reuse after sm_arena_free, overflow and allocation failure,
 * and staged lists taken over.
 */
#include "internal.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static bool aligned16(const void *p)
{
    return ((uintptr_t)p & 15u) == 0;
}

static void test_zero_initialised_arena_works(void **state)
{
    (void)state;
    sm_arena a = SM_ARENA_INIT;
    char *p = sm_arena_alloc(&a, 10);
    assert_non_null(p);
    memset(p, 'x', 10);
    assert_int_equal(a.blocks, 1);
    sm_arena_free(&a);
    assert_null(a.head);
    assert_int_equal(a.blocks, 0);
}

static void test_alignment_of_every_size(void **state)
{
    (void)state;
    size_t block_sizes[] = {0, 100, 4097, 65536};
    for (size_t k = 0; k < sizeof block_sizes / sizeof block_sizes[0]; k++) {
        sm_arena a;
        sm_arena_init(&a, block_sizes[k]);
        for (size_t n = 1; n <= 300; n++) {
            unsigned char *p = sm_arena_alloc(&a, n);
            assert_non_null(p);
            assert_true(aligned16(p));
            memset(p, 0xab, n); /* the whole request is usable */
        }
        void *z = sm_arena_zalloc(&a, 33);
        assert_non_null(z); /* NULL would pass as aligned */
        assert_true(aligned16(z));
        void *d = sm_arena_memdup(&a, "abc", 3);
        assert_non_null(d);
        assert_true(aligned16(d));
        char *s = sm_arena_strndup(&a, "hello", 5);
        assert_non_null(s);
        assert_true(aligned16(s));
        sm_arena_free(&a);
    }
}

static void test_allocations_do_not_overlap(void **state)
{
    (void)state;
    sm_arena a = SM_ARENA_INIT;
    enum { N = 2000 };
    unsigned char *ptrs[N];
    size_t sizes[N];
    for (size_t i = 0; i < N; i++) {
        sizes[i] = 1 + (i * 37) % 700;
        ptrs[i] = sm_arena_alloc(&a, sizes[i]);
        assert_non_null(ptrs[i]);
        memset(ptrs[i], (int)(i & 0xff), sizes[i]);
    }
    for (size_t i = 0; i < N; i++)
        for (size_t j = 0; j < sizes[i]; j++)
            assert_int_equal(ptrs[i][j], (unsigned char)(i & 0xff));
    sm_arena_free(&a);
}

/* Blocks are 8, 16, 32, ... KiB up to 1 MiB, then stay at 1 MiB: count how
 * many 1 KiB requests each block takes. */
static void test_blocks_double_up_to_one_mib(void **state)
{
    (void)state;
    sm_arena a = SM_ARENA_INIT;
    size_t expect_kib[] = {8, 16, 32, 64, 128, 256, 512, 1024, 1024, 1024};
    size_t nblocks = sizeof expect_kib / sizeof expect_kib[0];
    assert_non_null(sm_arena_alloc(&a, 1024));
    size_t in_block = 1;
    size_t seen = 1;
    while (seen <= nblocks) {
        assert_non_null(sm_arena_alloc(&a, 1024));
        if (a.blocks != seen) {
            assert_int_equal(a.blocks, seen + 1);
            assert_int_equal(in_block, expect_kib[seen - 1]);
            seen++;
            in_block = 1;
        } else {
            in_block++;
        }
    }
    sm_arena_free(&a);
}

static void test_custom_block_size(void **state)
{
    (void)state;
    sm_arena a;
    sm_arena_init(&a, 256);
    for (int i = 0; i < 16; i++)
        assert_non_null(sm_arena_alloc(&a, 16));
    assert_int_equal(a.blocks, 1);
    assert_non_null(sm_arena_alloc(&a, 16));
    assert_int_equal(a.blocks, 2); /* the second block holds 512 bytes */
    for (int i = 0; i < 31; i++)
        assert_non_null(sm_arena_alloc(&a, 16));
    assert_int_equal(a.blocks, 2);
    sm_arena_free(&a);
    assert_int_equal(a.block_size, 256);

    /* A block size above 1 MiB is honoured and does not grow. */
    sm_arena_init(&a, (size_t)2 << 20);
    assert_non_null(sm_arena_alloc(&a, (size_t)2 << 20));
    assert_int_equal(a.blocks, 1);
    assert_non_null(sm_arena_alloc(&a, (size_t)2 << 20));
    assert_int_equal(a.blocks, 2);
    sm_arena_free(&a);
}

/* The situation the arena exists for: a list of 100 rows, each with a few
 * strings, costs a handful of blocks, not one malloc per field. */
static void test_hundred_rows_few_blocks(void **state)
{
    (void)state;
    typedef struct row {
        int64_t id;
        const char *name, *secret;
        int64_t age;
    } row;
    sm_arena a = SM_ARENA_INIT;
    row *rows = sm_arena_alloc(&a, 100 * sizeof(row));
    assert_non_null(rows);
    for (int i = 0; i < 100; i++) {
        char name[32];
        int n = snprintf(name, sizeof name, "Hero number %d", i);
        rows[i].id = i;
        rows[i].name = sm_arena_strndup(&a, name, (size_t)n);
        rows[i].secret = sm_arena_strndup(&a, "Secret identity", 15);
        rows[i].age = i;
        assert_non_null(rows[i].name);
        assert_non_null(rows[i].secret);
    }
    /* 3200 bytes of rows and 200 strings of 16 bytes each fit in the
     * first 8 KiB block: one malloc for 300 allocations. */
    assert_int_equal(a.blocks, 1);
    assert_string_equal(rows[99].name, "Hero number 99");
    sm_arena_free(&a);

    /* Ten times as many rows: the 31 KiB row array is larger than a block
     * and gets its own; the 2000 strings (31 KiB) then fill a 16 KiB and a
     * 32 KiB block. */
    rows = sm_arena_alloc(&a, 1000 * sizeof(row));
    assert_non_null(rows);
    for (int i = 0; i < 1000; i++) {
        rows[i].name = sm_arena_strndup(&a, "Hero number xx", 14);
        rows[i].secret = sm_arena_strndup(&a, "Secret identity", 15);
        assert_non_null(rows[i].name);
        assert_non_null(rows[i].secret);
    }
    assert_int_equal(a.blocks, 3);
    sm_arena_free(&a);
}

/* A request larger than the next block gets a block of its own, and the
 * current block keeps serving small requests. */
static void test_big_allocation_keeps_current_block(void **state)
{
    (void)state;
    sm_arena a = SM_ARENA_INIT;
    char *p1 = sm_arena_alloc(&a, 16);
    assert_int_equal(a.blocks, 1);
    char *big = sm_arena_alloc(&a, 100000);
    assert_non_null(big);
    assert_true(aligned16(big));
    memset(big, 1, 100000);
    assert_int_equal(a.blocks, 2);
    char *p2 = sm_arena_alloc(&a, 16);
    assert_ptr_equal(p2, p1 + 16);
    assert_int_equal(a.blocks, 2);

    /* First allocation of an empty arena being big. */
    sm_arena b = SM_ARENA_INIT;
    char *q = sm_arena_alloc(&b, (size_t)3 << 20);
    assert_non_null(q);
    memset(q, 2, (size_t)3 << 20);
    assert_int_equal(b.blocks, 1);
    assert_non_null(sm_arena_alloc(&b, 8));
    assert_int_equal(b.blocks, 2);
    sm_arena_free(&b);
    sm_arena_free(&a);
}

static void test_reuse_after_free(void **state)
{
    (void)state;
    sm_arena a;
    sm_arena_init(&a, 1024);
    for (int round = 0; round < 5; round++) {
        for (int i = 0; i < 500; i++) {
            char *s = sm_arena_strndup(&a, "abcdefghij", 10);
            assert_non_null(s);
            assert_string_equal(s, "abcdefghij");
        }
        assert_true(a.blocks > 1);
        sm_arena_free(&a);
        assert_null(a.head);
        assert_int_equal(a.blocks, 0);
        assert_int_equal(a.block_size, 1024);
    }
    sm_arena_free(&a); /* freeing an empty arena is fine */
    sm_arena_free(NULL);
}

static void test_zalloc_memdup_strndup(void **state)
{
    (void)state;
    sm_arena a = SM_ARENA_INIT;
    /* Dirty the block first so zalloc has something to clear. */
    memset(sm_arena_alloc(&a, 256), 0xff, 256);
    sm_arena_free(&a);
    unsigned char *z = sm_arena_zalloc(&a, 200);
    assert_non_null(z);
    for (int i = 0; i < 200; i++)
        assert_int_equal(z[i], 0);

    const unsigned char bytes[5] = {0, 1, 2, 0, 255};
    unsigned char *d = sm_arena_memdup(&a, bytes, 5);
    assert_memory_equal(d, bytes, 5);

    /* An empty copy is a valid, non-NULL pointer (not SQL NULL). */
    void *e1 = sm_arena_memdup(&a, bytes, 0);
    void *e2 = sm_arena_memdup(&a, NULL, 0);
    assert_non_null(e1);
    assert_non_null(e2);
    assert_ptr_not_equal(e1, e2);
    assert_null(sm_arena_memdup(&a, NULL, 3));

    char *s = sm_arena_strndup(&a, "hello world", 5);
    assert_string_equal(s, "hello");
    char *empty = sm_arena_strndup(&a, "", 0);
    assert_non_null(empty);
    assert_string_equal(empty, "");
    char *with_nul = sm_arena_strndup(&a, "a\0b", 3);
    assert_memory_equal(with_nul, "a\0b\0", 4);
    assert_null(sm_arena_strndup(&a, NULL, 2));
    sm_arena_free(&a);
}

static void test_bad_sizes(void **state)
{
    (void)state;
    sm_arena a = SM_ARENA_INIT;
    assert_null(sm_arena_alloc(&a, 0));
    assert_null(sm_arena_zalloc(&a, 0));
    assert_null(sm_arena_alloc(NULL, 16));
    /* Size arithmetic must not wrap around to a small allocation. */
    assert_null(sm_arena_alloc(&a, SIZE_MAX));
    assert_null(sm_arena_alloc(&a, SIZE_MAX - 15));
    assert_null(sm_arena_alloc(&a, SIZE_MAX - 100));
    assert_null(sm_arena_zalloc(&a, SIZE_MAX));
    assert_null(sm_arena_strndup(&a, "x", SIZE_MAX));
    assert_int_equal(a.blocks, 0);
    assert_null(a.head);
    /* Too large for malloc: NULL, and the arena is untouched. */
    char *p = sm_arena_alloc(&a, 8);
    assert_non_null(p);
    assert_null(sm_arena_alloc(&a, (size_t)1 << 62));
    assert_int_equal(a.blocks, 1);
    assert_ptr_equal(sm_arena_alloc(&a, 8), p + 16);
    sm_arena_free(&a);
}

/* Reset keeps the memory: after a round that needed several blocks, one
 * block holds them all and the next round of the same size allocates
 * nothing new; strings from before are gone, the arena works on. */
static void test_reset_keeps_one_block(void **state)
{
    (void)state;
    sm_arena a = SM_ARENA_INIT;
    sm_arena_reset(&a); /* empty: nothing to do */
    assert_null(a.head);
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < 1000; i++)
            assert_non_null(sm_arena_alloc(&a, 100 + (size_t)i));
        if (round == 0)
            assert_true(a.blocks > 1);
        else
            assert_int_equal(a.blocks, 1); /* the round fit in the kept block */
        sm_arena_reset(&a);
        assert_int_equal(a.blocks, 1);
    }
    /* One block: reset empties it in place. */
    struct sm_arena_block *kept = a.head;
    char *s = sm_arena_strndup(&a, "abc", 3);
    assert_non_null(s);
    sm_arena_reset(&a);
    assert_ptr_equal(a.head, kept);
    assert_ptr_equal(sm_arena_strndup(&a, "xyz", 3), s); /* the same bytes again */
    sm_arena_free(&a);
    assert_null(a.head);
    assert_int_equal(a.blocks, 0);
}

/* A staged list: copied when small, taken over without a copy when
 * large, and freed with the arena (ASan reports a leak otherwise). */
static void test_take_staged_list(void **state)
{
    (void)state;
    sm_arena a = SM_ARENA_INIT;
    sm_buf buf = SM_BUF_INIT;
    assert_int_equal(sm_buf_append(&buf, "small", 5), SM_OK);
    char *small = sm_arena_take(&a, &buf, 5);
    assert_non_null(small);
    assert_ptr_not_equal(small, buf.data); /* copied: the buffer keeps its memory */
    assert_memory_equal(small, "small", 5);
    assert_int_equal(buf.len, 5);

    char *before = sm_arena_alloc(&a, 16);
    size_t big = 200 * 1024;
    sm_buf_reset(&buf);
    for (size_t i = 0; i < big; i++)
        assert_int_equal(sm_buf_append(&buf, &"0123456789"[i % 10], 1), SM_OK);
    char *rows = sm_arena_take(&a, &buf, big - 1000); /* the tail is not taken */
    assert_non_null(rows);
    assert_null(buf.data); /* taken: the buffer starts again empty */
    assert_int_equal(buf.len, 0);
    assert_int_equal(buf.cap, 0);
    for (size_t i = 0; i < big - 1000; i += 997)
        assert_int_equal(rows[i], '0' + (int)(i % 10));
    /* The current block stays in use after the take. */
    char *after = sm_arena_alloc(&a, 16);
    assert_ptr_equal(after, before + 16);
    assert_int_equal(sm_buf_append(&buf, "again", 5), SM_OK);

    /* Reset drops the taken memory and keeps one block for reuse. */
    sm_arena_reset(&a);
    assert_int_equal(a.blocks, 1);
    assert_non_null(sm_arena_alloc(&a, 100));
    sm_arena_free(&a);

    /* Taken into an empty arena: the taken block is the only one. */
    sm_buf_reset(&buf);
    for (size_t i = 0; i < big; i++)
        assert_int_equal(sm_buf_append(&buf, "x", 1), SM_OK);
    rows = sm_arena_take(&a, &buf, big);
    assert_non_null(rows);
    assert_int_equal(rows[big - 1], 'x');
    assert_non_null(sm_arena_alloc(&a, 100)); /* a new block in front of it */
    sm_arena_reset(&a);
    sm_arena_reset(&a);
    assert_non_null(sm_arena_alloc(&a, 100));
    sm_arena_free(&a);
    assert_null(a.head);
    free(buf.data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_zero_initialised_arena_works),
        cmocka_unit_test(test_alignment_of_every_size),
        cmocka_unit_test(test_allocations_do_not_overlap),
        cmocka_unit_test(test_blocks_double_up_to_one_mib),
        cmocka_unit_test(test_custom_block_size),
        cmocka_unit_test(test_hundred_rows_few_blocks),
        cmocka_unit_test(test_big_allocation_keeps_current_block),
        cmocka_unit_test(test_reuse_after_free),
        cmocka_unit_test(test_zalloc_memdup_strndup),
        cmocka_unit_test(test_bad_sizes),
        cmocka_unit_test(test_reset_keeps_one_block),
        cmocka_unit_test(test_take_staged_list),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
