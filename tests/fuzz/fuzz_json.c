/*
 * fuzz_json.c: the generated JSON functions of schema/fuzzjson.smdl on
 * arbitrary bytes.  Each input is decoded as every model of the schema.
 * A decode either succeeds with no errors, or fails with SM_INVALID,
 * well-formed errors (documented codes, a syntax error alone with path
 * "") and *out zeroed.  A success must come from a document without
 * duplicate keys, and hold values in range: valid UTF-8 text, valid JSON
 * in json fields, four-digit years, times within a day, decimals within
 * their precision.  It must validate, encode to
 * valid JSON appended to the buffer, decode again, and encode to the
 * same bytes: a round-trip mismatch is a finding like a crash.
 */
#include "fuzzjson.h"

#include "fuzz.h"
#include "json.h" /* sm_json_check, and sm_utf8_valid through internal.h */

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
    void (*check)(const void *obj); /* the ranges of a decoded value */
} model_fns;

/* ---- What a decoded value may hold --------------------------------------------------- */

enum {
    DATE_MIN = -719528, /* 0000-01-01 */
    DATE_MAX = 2932896, /* 9999-12-31 */
};
#define DAY_US INT64_C(86400000000)


static void text_ok(const char *field, const char *s)
{
    FUZZ_CHECK(!s || sm_utf8_valid(s, strlen(s)), "decoded %s is not valid UTF-8", field);
}

static void json_ok(const char *field, const char *s)
{
    FUZZ_CHECK(!s || sm_json_check(s, strlen(s), 0) == SM_OK, "decoded %s is not valid JSON: %s",
               field, s);
}

static void date_ok(const char *field, sm_date d)
{
    FUZZ_CHECK(d >= DATE_MIN && d <= DATE_MAX, "decoded %s is day %ld, past a four-digit year",
               field, (long)d);
}

static void time_ok(const char *field, sm_time t)
{
    FUZZ_CHECK(t >= 0 && t < DAY_US, "decoded %s is %lld us, not within a day", field,
               (long long)t);
}

static void datetime_ok(const char *field, sm_datetime t)
{
    FUZZ_CHECK(t >= DATE_MIN * DAY_US && t < (DATE_MAX + 1) * DAY_US,
               "decoded %s is %lld us, past a four-digit year", field, (long long)t);
}

static void decimal_ok(const char *field, sm_decimal v, int precision)
{
    int64_t lim = 1;
    for (int i = 0; i < precision; i++)
        lim *= 10;
    FUZZ_CHECK(v > -lim && v < lim, "decoded %s is %lld (scaled), past precision %d", field,
               (long long)v, precision);
}

static void check_scalars(const void *obj)
{
    const Scalars *x = obj;
    decimal_ok("Scalars.d", x->d, 18);
    text_ok("Scalars.t", x->t);
    date_ok("Scalars.dt", x->dt);
    time_ok("Scalars.tm", x->tm);
    datetime_ok("Scalars.ts", x->ts);
    json_ok("Scalars.j", x->j);
    if (x->has_nd)
        decimal_ok("Scalars.nd", x->nd, 4);
    text_ok("Scalars.nt", x->nt);
    if (x->has_ndt)
        date_ok("Scalars.ndt", x->ndt);
    if (x->has_ntm)
        time_ok("Scalars.ntm", x->ntm);
    if (x->has_nts)
        datetime_ok("Scalars.nts", x->nts);
    json_ok("Scalars.nj", x->nj);
}

static void check_limits(const void *obj)
{
    const Limits *x = obj;
    text_ok("Limits.name", x->name);
    text_ok("Limits.mail", x->mail);
    decimal_ok("Limits.money", x->money, 6);
    if (x->has_born)
        date_ok("Limits.born", x->born);
    time_ok("Limits.wake", x->wake);
    if (x->has_seen)
        datetime_ok("Limits.seen", x->seen);
    json_ok("Limits.conf", x->conf);
    text_ok("Limits.nick", x->nick);
    text_ok("Limits.tag", x->tag);
    text_ok("Limits.renamed", x->renamed);
}

static void check_leaf(const void *obj)
{
    text_ok("Leaf.key", ((const Leaf *)obj)->key);
}

static void check_branch(const void *obj)
{
    const Branch *x = obj;
    check_leaf(&x->leaf);
    if (x->has_maybe)
        check_leaf(&x->maybe);
    for (size_t i = 0; i < x->leaves.len; i++)
        check_leaf(&x->leaves.items[i]);
    if (x->has_limits)
        check_limits(&x->limits);
}

static void check_tree(const void *obj)
{
    const Tree *x = obj;
    text_ok("Tree.name", x->name);
    check_branch(&x->root);
    for (size_t i = 0; i < x->branches.len; i++)
        check_branch(&x->branches.items[i]);
    for (size_t i = 0; i < x->scalars.len; i++)
        check_scalars(&x->scalars.items[i]);
}

static void check_node(const void *obj)
{
    const Node *x = obj;
    text_ok("Node.label", x->label);
    for (size_t i = 0; i < x->kids.len; i++)
        check_node(&x->kids.items[i]);
}

static void check_item(const void *obj)
{
    const Item *x = obj;
    text_ok("Item.code", x->code);
    datetime_ok("Item.made", x->made);
    if (x->has_price)
        decimal_ok("Item.price", x->price, 8);
}

/* Does the document hold an object with one key twice (compared after
 * unescaping)?  Decoding must refuse such a document, known keys or not. */
static bool duplicate_key(const char *s, size_t n)
{
    typedef struct frame {
        char **keys;
        size_t *lens, nkeys;
    } frame;
    frame stack[SM_JSON_MAX_DEPTH + 1];
    int depth = 0;
    bool dup = false;
    sm_jlex L;
    sm_jlex_init(&L, s, n);
    for (int ev = sm_jlex_next(&L); ev != SM_JEV_EOF && ev != SM_JEV_ERROR && !dup;
         ev = sm_jlex_next(&L)) {
        if ((ev == SM_JEV_OBJ || ev == SM_JEV_ARR) && depth <= SM_JSON_MAX_DEPTH) {
            stack[depth++] = (frame){NULL, NULL, 0};
        } else if (ev == SM_JEV_OBJ_END || ev == SM_JEV_ARR_END) {
            frame *f = &stack[--depth];
            for (size_t i = 0; i < f->nkeys; i++)
                free(f->keys[i]);
            free(f->keys);
            free(f->lens);
        } else if (ev == SM_JEV_KEY && depth > 0) {
            frame *f = &stack[depth - 1];
            char *k = malloc(L.end - L.start + 1);
            char **keys = realloc(f->keys, (f->nkeys + 1) * sizeof *keys);
            FUZZ_CHECK(k && keys, "out of memory");
            f->keys = keys;
            size_t *lens = realloc(f->lens, (f->nkeys + 1) * sizeof *lens);
            FUZZ_CHECK(lens, "out of memory");
            f->lens = lens;
            size_t len = L.flags & SM_JTOK_ESC ? sm_json_unescape(s + L.start, L.end - L.start, k)
                                               : L.end - L.start;
            if (!(L.flags & SM_JTOK_ESC))
                memcpy(k, s + L.start, len);
            for (size_t i = 0; i < f->nkeys; i++)
                if (f->lens[i] == len && memcmp(f->keys[i], k, len) == 0)
                    dup = true;
            f->keys[f->nkeys] = k;
            f->lens[f->nkeys++] = len;
        }
    }
    while (depth > 0) {
        frame *f = &stack[--depth];
        for (size_t i = 0; i < f->nkeys; i++)
            free(f->keys[i]);
        free(f->keys);
        free(f->lens);
    }
    return dup;
}

static void check_item_patch(const void *obj)
{
    const ItemPatch *x = obj;
    text_ok("ItemPatch.code", x->code);
    if (x->has_made)
        datetime_ok("ItemPatch.made", x->made);
    if (x->has_price && !x->price_null)
        decimal_ok("ItemPatch.price", x->price, 8);
}

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
#define ENTRY(T, s) {#T, sizeof(T), s##_from, s##_val, s##_enc, check_##s},
    MODELS(ENTRY)
#undef ENTRY
};

static const char *const codes[] = {
    "required", "type",    "too_short",     "too_long",      "out_of_range", "pattern", "enum",
    "finite",   "check",   "unknown_field", "duplicate_key", "json_syntax",  "depth",
    "too_many_errors",
};

/* The list holds at most this many errors before its last, too_many_errors
 * (docs/c-api.md, Validation and JSON errors). */
#define ERRORS_SHOWN 100

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
        if (ok && strcmp(x->code, "too_many_errors") == 0)
            ok = i == ERRORS_SHOWN && i + 1 == e->len && x->path[0] == 0;
    }
    if (ok)
        ok = e->len <= ERRORS_SHOWN + 1;
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
    m->check(x);
    if (duplicate_key(in, len)) {
        fuzz_dump("input", in, len);
        FUZZ_FAIL("%s_from_json accepted a document with a duplicate key", m->name);
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
    if (sm_json_check(enc, enc_len, 0) != SM_OK) {
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
