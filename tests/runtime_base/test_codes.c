/*
 * test_codes.c: the code numbers (at compile time), sm_strerror names
 * every code, and sm_constraint_kind_name every kind.
 */
#include "internal.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

static const struct {
    int code;
    const char *text;
} codes[] = {
    {SM_OK, "SM_OK: success"},
    {SM_ROW, "SM_ROW: a row is ready"},
    {SM_DONE, "SM_DONE: no more rows"},
    {SM_NOTFOUND, "SM_NOTFOUND: no row"},
    {SM_MULTIPLE, "SM_MULTIPLE: more than one row"},
    {SM_CONSTRAINT, "SM_CONSTRAINT: constraint violation"},
    {SM_INVALID, "SM_INVALID: validation failed"},
    {SM_TIMEOUT, "SM_TIMEOUT: deadline exceeded"},
    {SM_CANCELLED, "SM_CANCELLED: cancelled"},
    {SM_CONN, "SM_CONN: connection failed or lost"},
    {SM_BUSY, "SM_BUSY: database locked"},
    {SM_MIGRATION, "SM_MIGRATION: migration refused or failed"},
    {SM_MISUSE, "SM_MISUSE: API misuse"},
    {SM_NOMEM, "SM_NOMEM: out of memory"},
    {SM_ERROR, "SM_ERROR: database error"},
    {SM_RETRY, "SM_RETRY: serialization failure or deadlock, rolled back"},
    {SM_CONFLICT, "SM_CONFLICT: concurrent modification"},
    {SM_UNSUPPORTED, "SM_UNSUPPORTED: not supported by this database"},
};
#define NCODES (sizeof codes / sizeof codes[0])

static void test_every_code_has_its_string(void **state)
{
    (void)state;
    for (size_t i = 0; i < NCODES; i++)
        assert_string_equal(sm_strerror(codes[i].code), codes[i].text);
}

/* The numbers are part of the contract (DESIGN 4.2): checked when this
 * file compiles. */
_Static_assert(SM_OK == 0, "SM_OK");
_Static_assert(SM_ROW == 100, "SM_ROW");
_Static_assert(SM_DONE == 101, "SM_DONE");
_Static_assert(SM_NOTFOUND == -1, "SM_NOTFOUND");
_Static_assert(SM_MULTIPLE == -2, "SM_MULTIPLE");
_Static_assert(SM_CONSTRAINT == -3, "SM_CONSTRAINT");
_Static_assert(SM_INVALID == -4, "SM_INVALID");
_Static_assert(SM_TIMEOUT == -5, "SM_TIMEOUT");
_Static_assert(SM_CANCELLED == -6, "SM_CANCELLED");
_Static_assert(SM_CONN == -7, "SM_CONN");
_Static_assert(SM_BUSY == -8, "SM_BUSY");
_Static_assert(SM_MIGRATION == -9, "SM_MIGRATION");
_Static_assert(SM_MISUSE == -10, "SM_MISUSE");
_Static_assert(SM_NOMEM == -11, "SM_NOMEM");
_Static_assert(SM_ERROR == -12, "SM_ERROR");
_Static_assert(SM_RETRY == -13, "SM_RETRY");
_Static_assert(SM_CONFLICT == -14, "SM_CONFLICT");
_Static_assert(SM_UNSUPPORTED == -15, "SM_UNSUPPORTED");

static void test_strings_are_distinct_and_named(void **state)
{
    (void)state;
    for (size_t i = 0; i < NCODES; i++) {
        const char *s = sm_strerror(codes[i].code);
        assert_int_equal(strncmp(s, "SM_", 3), 0);
        assert_non_null(strstr(s, ": "));
        for (size_t j = i + 1; j < NCODES; j++)
            assert_string_not_equal(s, sm_strerror(codes[j].code));
    }
}

static void test_unknown_codes_get_a_generic_string(void **state)
{
    (void)state;
    int unknown[] = {1, 2, 99, 102, -16, -100, INT32_MIN, INT32_MAX};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        const char *s = sm_strerror(unknown[i]);
        assert_non_null(s);
        assert_string_equal(s, "unknown result code");
    }
}

static void test_constraint_kind_names(void **state)
{
    (void)state;
    assert_string_equal(sm_constraint_kind_name(SM_CK_NONE), "none");
    assert_string_equal(sm_constraint_kind_name(SM_CK_UNIQUE), "unique");
    assert_string_equal(sm_constraint_kind_name(SM_CK_FK), "fk");
    assert_string_equal(sm_constraint_kind_name(SM_CK_CHECK), "check");
    assert_string_equal(sm_constraint_kind_name(SM_CK_NOT_NULL), "not_null");
    assert_string_equal(sm_constraint_kind_name((sm_constraint_kind)42), "unknown");
    assert_string_equal(sm_constraint_kind_name((sm_constraint_kind)-1), "unknown");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_code_has_its_string),
        cmocka_unit_test(test_strings_are_distinct_and_named),
        cmocka_unit_test(test_unknown_codes_get_a_generic_string),
        cmocka_unit_test(test_constraint_kind_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
