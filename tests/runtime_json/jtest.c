/*
 * jtest.c: helpers of the JSON tests.
 */
#include "jtest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int jt_setup(void **state)
{
    jt *t = calloc(1, sizeof *t);
    if (!t)
        return -1;
    sm_arena_init(&t->arena, 0);
    *state = t;
    return 0;
}

int jt_teardown(void **state)
{
    jt *t = *state;
    sm_arena_free(&t->arena);
    sm_errors_free(&t->errs);
    sm_buf_free(&t->out);
    free(t);
    return 0;
}

int jt_decoden(jt *t, const sm_model *m, const char *json, size_t n, void *out)
{
    sm_errors_clear(&t->errs);
    return sm_model_from_json(m, json, n, out, &t->arena, &t->errs);
}

int jt_decode(jt *t, const sm_model *m, const char *json, void *out)
{
    return jt_decoden(t, m, json, strlen(json), out);
}

const char *jt_encode(jt *t, const sm_model *m, const void *obj)
{
    sm_buf_reset(&t->out);
    if (sm_model_to_json(m, obj, &t->out) != SM_OK)
        return NULL;
    return t->out.data ? t->out.data : "";
}

const sm_error *jt_find(const jt *t, const char *path, const char *code)
{
    for (size_t i = 0; i < t->errs.len; i++)
        if (strcmp(t->errs.items[i].path, path) == 0 && strcmp(t->errs.items[i].code, code) == 0)
            return &t->errs.items[i];
    return NULL;
}

const sm_error *jt_only(const jt *t, const char *path, const char *code)
{
    if (t->errs.len != 1 || !jt_find(t, path, code)) {
        for (size_t i = 0; i < t->errs.len; i++)
            print_message("  error %zu: %s [%s] %s\n", i, t->errs.items[i].path,
                          t->errs.items[i].code, t->errs.items[i].msg);
        print_message("  wanted exactly one: '%s' [%s]\n", path, code);
        fail();
    }
    return &t->errs.items[0];
}

void jt_errors(const jt *t, ...)
{
    va_list ap;
    size_t n = 0;
    bool same = true;

    va_start(ap, t);
    for (const char *path; (path = va_arg(ap, const char *)) != NULL; n++) {
        const char *code = va_arg(ap, const char *);
        if (n >= t->errs.len || strcmp(t->errs.items[n].path, path) != 0 ||
            strcmp(t->errs.items[n].code, code) != 0) {
            print_message("  wanted error %zu: '%s' [%s]\n", n, path, code);
            same = false;
        }
    }
    va_end(ap);
    if (!same || n != t->errs.len) {
        for (size_t i = 0; i < t->errs.len; i++)
            print_message("  error %zu: %s [%s] %s\n", i, t->errs.items[i].path,
                          t->errs.items[i].code, t->errs.items[i].msg);
        print_message("  wanted %zu errors, got %zu\n", n, t->errs.len);
        fail();
    }
}

void jt_assert_zero(const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        if (b[i]) {
            print_message("  byte %zu of the output is 0x%02x, not zero\n", i, b[i]);
            fail();
        }
}
