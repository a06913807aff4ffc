/*
 * test_utf8.c: sm_utf8_valid against tables of known sequences and, for
 * every sequence of up to three bytes (and a large sample of four-byte
 * ones), against an independent decoder that computes the code point;
 * sm_utf8_count.  Inputs are exact-size heap copies, so a read past the
 * end is caught by AddressSanitizer.
 */
#include "internal.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static bool valid_exact(const char *s, size_t n)
{
    char *p = malloc(n ? n : 1);
    assert_non_null(p);
    memcpy(p, s, n);
    bool ok = sm_utf8_valid(p, n);
    free(p);
    return ok;
}

/* The reference: decode the sequence length from the lead byte, collect
 * the code point, and check it against the shortest form and the
 * Unicode scalar value range. */
static bool reference_valid(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        size_t len;
        uint32_t cp;
        if (c < 0x80) {
            i++;
            continue;
        } else if ((c & 0xe0) == 0xc0) {
            len = 2;
            cp = c & 0x1f;
        } else if ((c & 0xf0) == 0xe0) {
            len = 3;
            cp = c & 0x0f;
        } else if ((c & 0xf8) == 0xf0) {
            len = 4;
            cp = c & 0x07;
        } else {
            return false;
        }
        if (i + len > n)
            return false;
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xc0) != 0x80)
                return false;
            cp = cp << 6 | (s[i + k] & 0x3f);
        }
        static const uint32_t min_cp[5] = {0, 0, 0x80, 0x800, 0x10000};
        if (cp < min_cp[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        i += len;
    }
    return true;
}

typedef struct seq {
    const char *bytes;
    size_t len;
    const char *what;
} seq;

#define SEQ(s, what) {s, sizeof(s) - 1, what}

static const seq good[] = {
    SEQ("", "empty"),
    SEQ("hello", "ASCII"),
    SEQ("\x7f", "DEL"),
    SEQ("a\0b", "U+0000 inside"),
    SEQ("\xc2\x80", "U+0080, first 2-byte"),
    SEQ("\xc3\xa9", "e acute"),
    SEQ("\xdf\xbf", "U+07FF, last 2-byte"),
    SEQ("\xe0\xa0\x80", "U+0800, first 3-byte"),
    SEQ("\xe2\x82\xac", "euro sign"),
    SEQ("\xed\x9f\xbf", "U+D7FF, before the surrogates"),
    SEQ("\xee\x80\x80", "U+E000, after the surrogates"),
    SEQ("\xef\xbb\xbf", "U+FEFF"),
    SEQ("\xef\xbf\xbf", "U+FFFF"),
    SEQ("\xf0\x90\x80\x80", "U+10000, first 4-byte"),
    SEQ("\xf0\x9f\x98\x80", "emoji"),
    SEQ("\xf0\x9d\x84\x9e", "G clef"),
    SEQ("\xf3\xbf\xbf\xbf", "U+FFFFF"),
    SEQ("\xf4\x8f\xbf\xbf", "U+10FFFF, the last code point"),
    SEQ("abcdefgh\xc3\xa9", "2-byte after a word of ASCII"),
    SEQ("abcdefghijklmnop\xf0\x9f\x98\x80xyz", "4-byte between ASCII words"),
};

static const seq bad[] = {
    SEQ("\x80", "lone continuation"),
    SEQ("\xbf", "lone continuation BF"),
    SEQ("\xc0\x80", "overlong NUL"),
    SEQ("\xc1\xbf", "overlong 2-byte"),
    SEQ("\xe0\x80\x80", "overlong 3-byte NUL"),
    SEQ("\xe0\x9f\xbf", "overlong U+07FF"),
    SEQ("\xf0\x80\x80\x80", "overlong 4-byte NUL"),
    SEQ("\xf0\x8f\xbf\xbf", "overlong U+FFFF"),
    SEQ("\xed\xa0\x80", "surrogate U+D800"),
    SEQ("\xed\xaf\xbf", "surrogate U+DBFF"),
    SEQ("\xed\xb0\x80", "surrogate U+DC00"),
    SEQ("\xed\xbf\xbf", "surrogate U+DFFF"),
    SEQ("\xed\xa0\xbd\xed\xb8\x80", "CESU-8 surrogate pair"),
    SEQ("\xf4\x90\x80\x80", "U+110000"),
    SEQ("\xf5\x80\x80\x80", "F5 lead"),
    SEQ("\xf7\xbf\xbf\xbf", "U+1FFFFF"),
    SEQ("\xf8\x88\x80\x80\x80", "5-byte form"),
    SEQ("\xfc\x84\x80\x80\x80\x80", "6-byte form"),
    SEQ("\xfe", "FE"),
    SEQ("\xff", "FF"),
    SEQ("\xc3", "truncated 2-byte"),
    SEQ("\xe2\x82", "truncated 3-byte"),
    SEQ("\xe2", "truncated 3-byte, lead only"),
    SEQ("\xf0\x9f\x98", "truncated 4-byte"),
    SEQ("\xf0\x9f", "truncated 4-byte, 2 bytes"),
    SEQ("\xf0", "truncated 4-byte, lead only"),
    SEQ("\xc3\x28", "bad continuation"),
    SEQ("\xe2\x28\xa1", "bad second byte of 3"),
    SEQ("\xe2\x82\x28", "bad third byte of 3"),
    SEQ("\xf0\x28\x8c\xbc", "bad second byte of 4"),
    SEQ("\xf0\x90\x28\xbc", "bad third byte of 4"),
    SEQ("\xf0\x90\x8c\x28", "bad fourth byte of 4"),
    SEQ("\xc3\xa9\xa9", "extra continuation"),
    SEQ("abcdefgh\x80", "continuation after a word of ASCII"),
    SEQ("abcdefg\xc3", "truncated at the end of a word"),
    SEQ("abcdefghijklmno\xe2\x82", "truncated after ASCII words"),
};

static void test_tables(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        if (!valid_exact(good[i].bytes, good[i].len))
            fail_msg("rejected %s", good[i].what);
        assert_true(reference_valid((const unsigned char *)good[i].bytes, good[i].len));
    }
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (valid_exact(bad[i].bytes, bad[i].len))
            fail_msg("accepted %s", bad[i].what);
        assert_false(reference_valid((const unsigned char *)bad[i].bytes, bad[i].len));
    }
}

/* Each table entry again at every offset from 0 to 17 after ASCII, and
 * followed by 0 to 9 bytes of ASCII, so the word-at-a-time path and the
 * check of the last 8 bytes meet it everywhere. */
static void test_tables_at_every_offset(void **state)
{
    (void)state;
    char buf[64];
    for (size_t pre = 0; pre <= 17; pre++) {
        for (size_t post = 0; post <= 9; post++) {
            for (int pass = 0; pass < 2; pass++) {
                const seq *t = pass ? bad : good;
                size_t nt = pass ? sizeof bad / sizeof bad[0] : sizeof good / sizeof good[0];
                for (size_t i = 0; i < nt; i++) {
                    memset(buf, 'a', pre);
                    memcpy(buf + pre, t[i].bytes, t[i].len);
                    memset(buf + pre + t[i].len, 'z', post);
                    size_t n = pre + t[i].len + post;
                    bool want = reference_valid((const unsigned char *)buf, n);
                    if (valid_exact(buf, n) != want)
                        fail_msg("%s at offset %zu (+%zu)", t[i].what, pre, post);
                }
            }
        }
    }
}

/* All 1-, 2- and 3-byte inputs. */
static void test_exhaustive_up_to_three_bytes(void **state)
{
    (void)state;
    unsigned char *p = malloc(3);
    assert_non_null(p);
    for (unsigned a = 0; a < 256; a++) {
        p[0] = (unsigned char)a;
        if (sm_utf8_valid((const char *)p, 1) != reference_valid(p, 1))
            fail_msg("%02x", a);
        for (unsigned b = 0; b < 256; b++) {
            p[1] = (unsigned char)b;
            if (sm_utf8_valid((const char *)p, 2) != reference_valid(p, 2))
                fail_msg("%02x %02x", a, b);
            for (unsigned c = 0; c < 256; c++) {
                p[2] = (unsigned char)c;
                if (sm_utf8_valid((const char *)p, 3) != reference_valid(p, 3))
                    fail_msg("%02x %02x %02x", a, b, c);
            }
        }
    }
    free(p);
}

/* Four-byte inputs: every lead byte from F0 to FF with every second byte,
 * and third and fourth bytes from the interesting boundaries. */
static void test_four_byte_sample(void **state)
{
    (void)state;
    static const unsigned char tail[] = {0x00, 0x41, 0x7f, 0x80, 0x81, 0x8f, 0x90,
                                         0x9f, 0xa0, 0xbf, 0xc0, 0xc3, 0xf0, 0xff};
    unsigned char *p = malloc(4);
    assert_non_null(p);
    for (unsigned a = 0xc0; a < 256; a++) {
        for (unsigned b = 0; b < 256; b++) {
            for (size_t c = 0; c < sizeof tail; c++) {
                for (size_t d = 0; d < sizeof tail; d++) {
                    p[0] = (unsigned char)a;
                    p[1] = (unsigned char)b;
                    p[2] = tail[c];
                    p[3] = tail[d];
                    if (sm_utf8_valid((const char *)p, 4) != reference_valid(p, 4))
                        fail_msg("%02x %02x %02x %02x", a, b, tail[c], tail[d]);
                }
            }
        }
    }
    free(p);
}

static void test_count(void **state)
{
    (void)state;
    assert_int_equal(sm_utf8_count("", 0), 0);
    assert_int_equal(sm_utf8_count("abc", 3), 3);
    const char *mixed = "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80z"; /* a e-acute euro emoji z */
    assert_int_equal(sm_utf8_count(mixed, strlen(mixed)), 5);
    assert_int_equal(sm_utf8_count("a\0b", 3), 3);
    assert_int_equal(sm_utf8_count(mixed, 3), 2); /* "a" and "e acute" */
    char big[1000];
    for (int i = 0; i < 500; i++)
        memcpy(big + 2 * i, "\xc3\xa9", 2);
    assert_int_equal(sm_utf8_count(big, sizeof big), 500);
    assert_true(sm_utf8_valid(big, sizeof big));
    assert_false(sm_utf8_valid(big, sizeof big - 1));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tables),
        cmocka_unit_test(test_tables_at_every_offset),
        cmocka_unit_test(test_exhaustive_up_to_three_bytes),
        cmocka_unit_test(test_four_byte_sample),
        cmocka_unit_test(test_count),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
