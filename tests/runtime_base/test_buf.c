/*
 * test_buf.c: sm_buf (growth, the NUL invariant, printf, self-append,
 * failure leaves it unchanged) and sm_errors (copies, clear, free, the cap
 * of 100 errors).
 */
#include "internal.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <wchar.h>

#include <cmocka.h>

static void assert_terminated(const sm_buf *b)
{
    assert_non_null(b->data);
    assert_true(b->len < b->cap);
    assert_int_equal(b->data[b->len], 0);
}

static void test_empty_buffer(void **state)
{
    (void)state;
    sm_buf b = SM_BUF_INIT;
    sm_buf_reset(&b);
    assert_null(b.data);
    sm_buf_free(&b);
    sm_buf_free(NULL);
    sm_buf_reset(NULL);
    /* Appending nothing still yields a valid empty string. */
    assert_int_equal(sm_buf_append(&b, "", 0), SM_OK);
    assert_terminated(&b);
    assert_int_equal(b.len, 0);
    assert_string_equal(b.data, "");
    sm_buf_free(&b);
    assert_int_equal(sm_buf_puts(&b, ""), SM_OK);
    assert_string_equal(b.data, "");
    sm_buf_free(&b);
    assert_int_equal(sm_buf_printf(&b, "%s", ""), SM_OK);
    assert_string_equal(b.data, "");
    sm_buf_free(&b);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.cap, 0);
}

static void test_growth_keeps_nul_and_is_geometric(void **state)
{
    (void)state;
    sm_buf b = SM_BUF_INIT;
    size_t grows = 0, cap = 0;
    for (size_t i = 0; i < 200000; i++) {
        assert_int_equal(sm_buf_putc(&b, (char)('a' + i % 26)), SM_OK);
        assert_int_equal(b.len, i + 1);
        assert_terminated(&b);
        if (b.cap != cap) {
            grows++;
            cap = b.cap;
        }
    }
    assert_true(grows <= 20);
    for (size_t i = 0; i < b.len; i++)
        assert_int_equal(b.data[i], (char)('a' + i % 26));
    sm_buf_free(&b);
}

static void test_append_puts_putc(void **state)
{
    (void)state;
    sm_buf b = SM_BUF_INIT;
    assert_int_equal(sm_buf_puts(&b, "hello"), SM_OK);
    assert_int_equal(sm_buf_putc(&b, ' '), SM_OK);
    assert_int_equal(sm_buf_append(&b, "world!!!", 5), SM_OK);
    assert_string_equal(b.data, "hello world");
    assert_int_equal(b.len, 11);
    /* Embedded NUL bytes are data, the terminator still follows. */
    assert_int_equal(sm_buf_append(&b, "\0x", 2), SM_OK);
    assert_int_equal(b.len, 13);
    assert_memory_equal(b.data, "hello world\0x\0", 14);
    assert_int_equal(sm_buf_putc(&b, '\0'), SM_OK);
    assert_int_equal(b.len, 14);
    assert_terminated(&b);
    sm_buf_free(&b);
}

static void test_reset_keeps_memory(void **state)
{
    (void)state;
    sm_buf b = SM_BUF_INIT;
    assert_int_equal(sm_buf_puts(&b, "some text that is long enough"), SM_OK);
    char *data = b.data;
    size_t cap = b.cap;
    sm_buf_reset(&b);
    assert_int_equal(b.len, 0);
    assert_ptr_equal(b.data, data);
    assert_int_equal(b.cap, cap);
    assert_string_equal(b.data, "");
    assert_int_equal(sm_buf_puts(&b, "again"), SM_OK);
    assert_string_equal(b.data, "again");
    sm_buf_free(&b);
}

static void test_printf(void **state)
{
    (void)state;
    sm_buf b = SM_BUF_INIT;
    assert_int_equal(sm_buf_printf(&b, "%d-%s-%.2f", 42, "x", 1.5), SM_OK);
    assert_string_equal(b.data, "42-x-1.50");
    assert_int_equal(b.len, 9);
    /* Longer than the free space: grows and formats again. */
    char big[5000];
    memset(big, 'q', sizeof big - 1);
    big[sizeof big - 1] = 0;
    assert_int_equal(sm_buf_printf(&b, "[%s]", big), SM_OK);
    assert_int_equal(b.len, 9 + 2 + 4999);
    assert_int_equal(b.data[9], '[');
    assert_int_equal(b.data[b.len - 1], ']');
    assert_terminated(&b);
    assert_memory_equal(b.data, "42-x-1.50[qqq", 13);
    /* Exactly filling the free space, for every possible length. */
    for (int n = 0; n < 200; n++) {
        sm_buf c = SM_BUF_INIT;
        assert_int_equal(sm_buf_puts(&c, "abc"), SM_OK);
        assert_int_equal(sm_buf_printf(&c, "%*s", n, ""), SM_OK);
        assert_int_equal(c.len, 3 + (size_t)n);
        assert_terminated(&c);
        assert_memory_equal(c.data, "abc", 3);
        for (int i = 0; i < n; i++)
            assert_int_equal(c.data[3 + i], ' ');
        sm_buf_free(&c);
    }
    sm_buf_free(&b);
}

/* An encoding error (a euro sign has no form in the C locale) makes
 * vsnprintf fail after writing part of its output: the buffer must come
 * back unchanged, terminator included. */
static void test_printf_failure_leaves_buffer_unchanged(void **state)
{
    (void)state;
    static const wchar_t euro[] = {0x20ac, 0};
    sm_buf b = SM_BUF_INIT;
    assert_int_equal(sm_buf_puts(&b, "keep"), SM_OK);
    assert_int_equal(sm_buf_printf(&b, "abc%ls", euro), SM_ERROR);
    assert_int_equal(b.len, 4);
    assert_terminated(&b);
    assert_string_equal(b.data, "keep");
    /* The same when the output would not have fit either. */
    char big[300];
    memset(big, 'w', sizeof big - 1);
    big[sizeof big - 1] = 0;
    assert_int_equal(sm_buf_printf(&b, "%s%ls", big, euro), SM_ERROR);
    assert_int_equal(b.len, 4);
    assert_terminated(&b);
    assert_string_equal(b.data, "keep");
    sm_buf_free(&b);
    assert_int_equal(sm_buf_printf(&b, "%ls", euro), SM_ERROR);
    assert_null(b.data);
    assert_int_equal(sm_buf_printf(&b, NULL), SM_MISUSE);
}

/* Appending a slice of the buffer to itself survives the realloc. */
static void test_self_append(void **state)
{
    (void)state;
    sm_buf b = SM_BUF_INIT;
    assert_int_equal(sm_buf_puts(&b, "abcdefgh"), SM_OK);
    for (int i = 0; i < 12; i++)
        assert_int_equal(sm_buf_append(&b, b.data, b.len), SM_OK);
    assert_int_equal(b.len, (size_t)8 << 12);
    for (size_t i = 0; i < b.len; i++)
        assert_int_equal(b.data[i], "abcdefgh"[i % 8]);
    assert_terminated(&b);
    assert_int_equal(sm_buf_append(&b, b.data + 2, 3), SM_OK);
    assert_memory_equal(b.data + b.len - 3, "cde", 3);
    sm_buf_free(&b);
}

static void test_failure_leaves_buffer_unchanged(void **state)
{
    (void)state;
    sm_buf b = SM_BUF_INIT;
    assert_int_equal(sm_buf_puts(&b, "keep me"), SM_OK);
    char *data = b.data;
    size_t cap = b.cap;
    /* Sizes whose arithmetic would overflow. */
    assert_int_equal(sm_buf_append(&b, "x", SIZE_MAX), SM_NOMEM);
    assert_int_equal(sm_buf_append(&b, "x", SIZE_MAX - 7), SM_NOMEM);
    /* A size malloc cannot satisfy. */
    assert_int_equal(sm_buf_append(&b, "x", SIZE_MAX / 4), SM_NOMEM);
    assert_ptr_equal(b.data, data);
    assert_int_equal(b.cap, cap);
    assert_int_equal(b.len, 7);
    assert_string_equal(b.data, "keep me");
    /* Misuse. */
    assert_int_equal(sm_buf_append(&b, NULL, 3), SM_MISUSE);
    assert_int_equal(sm_buf_puts(&b, NULL), SM_MISUSE);
    assert_int_equal(sm_buf_append(NULL, "x", 1), SM_MISUSE);
    assert_int_equal(sm_buf_append(&b, NULL, 0), SM_OK);
    assert_string_equal(b.data, "keep me");
    sm_buf_free(&b);
}

/* ---- sm_errors ------------------------------------------------------------ */

static void test_errors_add_copies(void **state)
{
    (void)state;
    sm_errors e = SM_ERRORS_INIT;
    char path[16] = "teams[2].name";
    static const char code[] = "too_long";
    assert_int_equal(sm_errors_add(&e, path, code, "must be at most %d characters", 100), SM_OK);
    memset(path, 'x', sizeof path - 1); /* the error keeps its own copy */
    assert_int_equal(e.len, 1);
    assert_string_equal(e.items[0].path, "teams[2].name");
    assert_ptr_equal(e.items[0].code, code);
    assert_string_equal(e.items[0].msg, "must be at most 100 characters");
    assert_int_equal(sm_errors_add(&e, NULL, "json_syntax", "%s", "unexpected end"), SM_OK);
    assert_string_equal(e.items[1].path, "");
    assert_string_equal(e.items[1].msg, "unexpected end");
    /* A message with a percent sign passed through "%s" stays intact. */
    assert_int_equal(sm_errors_add(&e, "x", "check", "%s", "100% wrong %d"), SM_OK);
    assert_string_equal(e.items[2].msg, "100% wrong %d");
    /* A long message. */
    char longmsg[3000];
    memset(longmsg, 'm', sizeof longmsg - 1);
    longmsg[sizeof longmsg - 1] = 0;
    assert_int_equal(sm_errors_add(&e, "y", "check", "%s", longmsg), SM_OK);
    assert_string_equal(e.items[3].msg, longmsg);
    assert_int_equal(sm_errors_add(&e, "y", NULL, "x"), SM_MISUSE);
    assert_int_equal(sm_errors_add(NULL, "y", "check", "x"), SM_MISUSE);
    assert_int_equal(e.len, 4);
    sm_errors_free(&e);
}

static void test_errors_grow_clear_free(void **state)
{
    (void)state;
    sm_errors e = SM_ERRORS_INIT;
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < 100; i++)
            assert_int_equal(sm_errors_add(&e, "a", "required", "error %d", i), SM_OK);
        assert_int_equal(e.len, 100);
        assert_string_equal(e.items[99].msg, "error 99");
        assert_string_equal(e.items[0].msg, "error 0");
        sm_error *items = e.items;
        sm_errors_clear(&e);
        assert_int_equal(e.len, 0);
        assert_ptr_equal(e.items, items); /* memory kept */
    }
    sm_errors_free(&e);
    assert_null(e.items);
    assert_int_equal(e.len, 0);
    assert_int_equal(e.cap, 0);
    sm_errors_free(&e);
    sm_errors_free(NULL);
    sm_errors_clear(NULL);
}

/* A list holds 100 errors; the 101st becomes one last too_many_errors
 * error, and every later one is dropped: 101 entries at most. */
static void test_errors_cap(void **state)
{
    (void)state;
    sm_errors e = SM_ERRORS_INIT;
    for (int i = 0; i < 100; i++)
        assert_int_equal(sm_errors_add(&e, "p", "type", "error %d", i), SM_OK);
    assert_int_equal(e.len, 100);
    for (int i = 100; i < 1000000; i++)
        assert_int_equal(sm_errors_add(&e, "p", "type", "error %d", i), SM_OK);
    assert_int_equal(e.len, 101);
    assert_true(e.cap <= 128); /* no memory for what was dropped */
    assert_string_equal(e.items[99].msg, "error 99");
    assert_string_equal(e.items[100].path, "");
    assert_string_equal(e.items[100].code, "too_many_errors");
    assert_string_equal(e.items[100].msg, "more than 100 errors: the rest are not reported");
    /* Dropping errors makes room again (sm_errors_truncate, clear). */
    sm_errors_truncate(&e, 99);
    assert_int_equal(sm_errors_add(&e, "q", "type", "x"), SM_OK);
    assert_int_equal(e.len, 100);
    assert_string_equal(e.items[99].path, "q");
    assert_int_equal(sm_errors_add(&e, "r", "type", "x"), SM_OK);
    assert_int_equal(e.len, 101);
    assert_string_equal(e.items[100].code, "too_many_errors");
    sm_errors_clear(&e);
    assert_int_equal(sm_errors_add(&e, "s", "type", "x"), SM_OK);
    assert_int_equal(e.len, 1);
    assert_string_equal(e.items[0].code, "type");
    /* Misuse is still misuse on a full list. */
    for (int i = 0; i < 200; i++)
        assert_int_equal(sm_errors_add(&e, "p", "type", "x"), SM_OK);
    assert_int_equal(sm_errors_add(&e, "p", NULL, "x"), SM_MISUSE);
    assert_int_equal(e.len, 101);
    sm_errors_free(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_buffer),
        cmocka_unit_test(test_growth_keeps_nul_and_is_geometric),
        cmocka_unit_test(test_append_puts_putc),
        cmocka_unit_test(test_reset_keeps_memory),
        cmocka_unit_test(test_printf),
        cmocka_unit_test(test_printf_failure_leaves_buffer_unchanged),
        cmocka_unit_test(test_self_append),
        cmocka_unit_test(test_failure_leaves_buffer_unchanged),
        cmocka_unit_test(test_errors_add_copies),
        cmocka_unit_test(test_errors_grow_clear_free),
        cmocka_unit_test(test_errors_cap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
