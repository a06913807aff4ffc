/*
 * jtest.h: helpers of the JSON tests (cmocka): decoding a NUL-terminated
 * document, finding errors by path and code, encoding to a string.
 */
#ifndef SMDL_TEST_JTEST_H
#define SMDL_TEST_JTEST_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "models.h"

/* Per-test state: an arena, an error list and an output buffer. */
typedef struct jt {
    sm_arena arena;
    sm_errors errs;
    sm_buf out;
} jt;

int jt_setup(void **state);
int jt_teardown(void **state);

/* sm_model_from_json over a NUL-terminated document; clears errs first. */
int jt_decode(jt *t, const sm_model *m, const char *json, void *out);
/* The same over json[0..n). */
int jt_decoden(jt *t, const sm_model *m, const char *json, size_t n, void *out);
/* sm_model_to_json into a reset buffer; returns the text (or NULL on error). */
const char *jt_encode(jt *t, const sm_model *m, const void *obj);

/* The first error with this path and code, or NULL. */
const sm_error *jt_find(const jt *t, const char *path, const char *code);
/* Asserts exactly one error, with this path and code; returns it. */
const sm_error *jt_only(const jt *t, const char *path, const char *code);
/* Asserts that the errors are exactly these (path, code) pairs, in order;
 * the list ends with NULL. */
void jt_errors(const jt *t, ...);
/* Asserts that n bytes at p are all zero. */
void jt_assert_zero(const void *p, size_t n);

#endif
