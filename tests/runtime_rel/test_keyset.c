/*
 * test_keyset.c: the key sets that match rows to keys (runtime/model/
 * keyset.c): distinct values counted once, found again, normalised across
 * C types; and spread over the table whatever bits the keys differ in, so
 * that adding n keys stays linear: keys that differ only in their high
 * bits (whole numbers as doubles, integers that are multiples of 2^40)
 * must not pile up in one run of slots.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "keyset.h"

enum { N = 1 << 16 };

/* The longest run of occupied slots: about log n for a hash that spreads
 * the keys, n when they all land on one slot (then each add probes the
 * whole run: quadratic). */
static size_t longest_run(const sm_keyset *s)
{
    size_t best = 0, run = 0;
    /* Twice round, so a run that wraps past the end is counted whole. */
    for (size_t i = 0; i < 2 * (s->mask + 1); i++) {
        run = s->slots[i & s->mask] ? run + 1 : 0;
        if (run > best)
            best = run;
    }
    return best;
}

static void add_all(sm_keyset *s, const sm_kv *kv, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        size_t k;
        assert_int_equal(sm_keyset_add(s, &kv[i], i, &k), SM_OK);
        assert_int_equal(k, i);
    }
    assert_int_equal(s->count, n);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(sm_keyset_find(s, &kv[i]), i);
}

static void check_spread(int64_t (*key)(size_t))
{
    static sm_kv kv[N];
    for (size_t i = 0; i < N; i++)
        kv[i] = (sm_kv){key(i), NULL, 0};
    sm_keyset s;
    sm_keyset_init(&s, 1);
    add_all(&s, kv, N);
    size_t run = longest_run(&s);
    sm_keyset_free(&s);
    assert_true(run < 256);
}

static int64_t sequential(size_t i)
{
    return (int64_t)i + 1;
}

static int64_t high_bits(size_t i)
{
    return (int64_t)((uint64_t)i << 48);
}

static int64_t shifted_40(size_t i)
{
    return (int64_t)((uint64_t)i << 40);
}

/* The normalised form of a float key: its bits (keyset.h). */
static int64_t whole_double(size_t i)
{
    double d = (double)i;
    int64_t v;
    memcpy(&v, &d, sizeof v);
    return v;
}

static void test_spread(void **state)
{
    (void)state;
    check_spread(sequential);
    check_spread(high_bits);
    check_spread(shifted_40);
    check_spread(whole_double);
}

static void test_text_and_width(void **state)
{
    (void)state;
    static char text[N][8];
    static sm_kv kv[2 * N];
    for (size_t i = 0; i < N; i++) {
        size_t n = (size_t)snprintf(text[i], sizeof text[i], "k%zu", i);
        kv[2 * i] = (sm_kv){(int64_t)(i % 7), NULL, 0};
        kv[2 * i + 1] = (sm_kv){0, text[i], n};
    }
    sm_keyset s;
    sm_keyset_init(&s, 2);
    for (size_t i = 0; i < N; i++) {
        size_t k;
        assert_int_equal(sm_keyset_add(&s, &kv[2 * i], i, &k), SM_OK);
        assert_int_equal(k, i);
    }
    /* Equal bytes elsewhere in memory are the same key. */
    char copy[8];
    memcpy(copy, text[123], sizeof copy);
    sm_kv probe[2] = {{123 % 7, NULL, 0}, {0, copy, strlen(copy)}};
    assert_int_equal(sm_keyset_find(&s, probe), 123);
    probe[0].i = 124 % 7;
    assert_int_equal(sm_keyset_find(&s, probe), SIZE_MAX);
    assert_true(longest_run(&s) < 256);
    sm_keyset_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spread),
        cmocka_unit_test(test_text_and_width),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
