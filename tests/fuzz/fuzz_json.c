/*
 * fuzz_json.c: the generated JSON functions of schema/fuzzjson.smdl on
 * arbitrary bytes.  Each input is decoded as every model of the schema.
 * A decode either succeeds with no errors, or fails with SM_INVALID,
 * well-formed errors (documented codes, a syntax error alone with path
 * "") and *out zeroed.  A success must validate, encode to valid JSON appended to the
 * buffer, decode again, and encode to the same bytes: a round-trip
 * mismatch is a finding like a crash.
 */
#include "fuzzjson.h"

#include "fuzz.h"
#include "json.h" /* sm_json_valid */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The @check_fn of Limits.tag. */
const char *fuzz_check_tag(const char *value)
{
    return strstr(value, "bad") ? "must not contain 'bad'" : NULL;
}

typedef struct model_fns {
    const char *name;
    size_t size;
    int (*from_json)(const char *json, size_t len, void *out, sm_arena *arena, sm_errors *errs);
    int (*validate)(const void *obj, sm_errors *errs);
    int (*to_json)(const void *obj, sm_buf *out);
} model_fns;

/* Typed wrappers, so that every call goes through its real prototype. */
#define MODELS(X)                                                                          \
    X(Scalars, scalars) X(Limits, limits) X(Leaf, leaf) X(Branch, branch) X(Tree, tree)    \
    X(Node, node) X(Item, item) X(ItemPatch, item_patch)

#define WRAP(T, s)                                                                         \
    static int s##_from(const char *json, size_t len, void *out, sm_arena *a, sm_errors *e) \
    {                                                                                      \
        return s##_from_json(json, len, (T *)out, a, e);                                   \
    }                                                                                      \
    static int s##_val(const void *obj, sm_errors *e) { return s##_validate((const T *)obj, e); } \
    static int s##_enc(const void *obj, sm_buf *out) { return s##_to_json((const T *)obj, out); }
MODELS(WRAP)
#undef WRAP

static const model_fns models[] = {
#define ENTRY(T, s) {#T, sizeof(T), s##_from, s##_val, s##_enc},
    MODELS(ENTRY)
#undef ENTRY
};

static const char *const codes[] = {
    "required", "type",    "too_short",     "too_long",      "out_of_range", "pattern", "enum",
    "finite",   "check",   "unknown_field", "duplicate_key", "json_syntax",  "depth",
};

static bool known_code(const char *code)
{
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
        if (code == codes[i] || strcmp(code, codes[i]) == 0)
            return true;
    return false;
}

static void dump_errors(const sm_errors *e)
{
    for (size_t i = 0; i < e->len; i++)
        fprintf(stderr, "  error %zu: path '%s' code '%s': %s\n", i,
                e->items[i].path ? e->items[i].path : "(null)",
                e->items[i].code ? e->items[i].code : "(null)",
                e->items[i].msg ? e->items[i].msg : "(null)");
}

static void check_errors(const model_fns *m, int rc, const sm_errors *e, const char *in,
                         size_t len)
{
    bool ok = rc == SM_OK ? e->len == 0 : rc == SM_INVALID && e->len > 0;
    bool syntax = false;
    for (size_t i = 0; ok && i < e->len; i++) {
        const sm_error *x = &e->items[i];
        ok = x->path && x->code && x->msg && known_code(x->code);
        if (ok && strcmp(x->code, "json_syntax") == 0) {
            syntax = true;
            ok = x->path[0] == 0;
        }
    }
    if (ok && syntax)
        ok = e->len == 1;
    if (!ok) {
        fuzz_dump("input", in, len);
        dump_errors(e);
        FUZZ_FAIL("%s_from_json returned %d with %zu malformed errors", m->name, rc, e->len);
    }
}

static void round_trip(const model_fns *m, const char *in, size_t len)
{
    void *x = malloc(m->size), *y = malloc(m->size);
    FUZZ_CHECK(x && y, "out of memory");
    sm_arena arena;
    sm_arena_init(&arena, 0);
    sm_errors errs = SM_ERRORS_INIT;
    sm_buf b1 = SM_BUF_INIT, b2 = SM_BUF_INIT;

    memset(x, 0x5a, m->size);
    int rc = m->from_json(in, len, x, &arena, &errs);
    check_errors(m, rc, &errs, in, len);
    if (rc != SM_OK) {
        for (size_t i = 0; i < m->size; i++)
            if (((const unsigned char *)x)[i]) {
                fuzz_dump("input", in, len);
                FUZZ_FAIL("%s_from_json failed but left byte %zu of *out set", m->name, i);
            }
        goto done;
    }
    rc = m->validate(x, &errs);
    if (rc != SM_OK) {
        fuzz_dump("input", in, len);
        dump_errors(&errs);
        FUZZ_FAIL("%s_from_json accepted what %s_validate rejects", m->name, m->name);
    }
    /* _to_json appends: what was in the buffer stays. */
    sm_buf_putc(&b1, '[');
    sm_buf_putc(&b2, '[');
    rc = m->to_json(x, &b1);
    FUZZ_CHECK(rc == SM_OK, "%s_to_json returned %d", m->name, rc);
    FUZZ_CHECK(b1.data[0] == '[' && b1.data[b1.len] == 0,
               "%s_to_json overwrote the buffer or left it unterminated", m->name);
    const char *enc = b1.data + 1;
    size_t enc_len = b1.len - 1;
    if (!sm_json_valid(enc, enc_len)) {
        fuzz_dump("input", in, len);
        fuzz_dump("encoding", enc, enc_len);
        FUZZ_FAIL("%s_to_json wrote invalid JSON", m->name);
    }
    rc = m->from_json(enc, enc_len, y, &arena, &errs);
    if (rc != SM_OK) {
        fuzz_dump("input", in, len);
        fuzz_dump("encoding", enc, enc_len);
        dump_errors(&errs);
        FUZZ_FAIL("%s_from_json rejects what %s_to_json wrote", m->name, m->name);
    }
    rc = m->to_json(y, &b2);
    FUZZ_CHECK(rc == SM_OK, "%s_to_json returned %d on the decoded copy", m->name, rc);
    if (b2.len != b1.len || memcmp(b1.data, b2.data, b1.len) != 0) {
        fuzz_dump("input", in, len);
        fuzz_dump("encoding", enc, enc_len);
        fuzz_dump("encoding after a round trip", b2.data + 1, b2.len - 1);
        FUZZ_FAIL("%s: decode(encode(x)) encodes differently from x", m->name);
    }
done:
    sm_buf_free(&b1);
    sm_buf_free(&b2);
    sm_errors_free(&errs);
    sm_arena_free(&arena);
    free(x);
    free(y);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    for (size_t i = 0; i < sizeof models / sizeof models[0]; i++)
        round_trip(&models[i], (const char *)data, size);
    return 0;
}
