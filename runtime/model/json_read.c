/*
 * json_read.c: sm_model_from_json, strict decoding of a JSON document into
 * a model struct, driven by the model's descriptor (DESIGN 3.7).
 *
 * One pass over the lexer's events (json.c).  Every object bound to a
 * model and every array bound to a list field gets a frame on a fixed
 * stack no deeper than the lexer's, so nothing recurses on the C stack;
 * values that are not decoded (unknown keys, values of the wrong type, a
 * json field's value) are skipped or captured by following the lexer's
 * depth, and the path to where the skipping is (keys and indexes) is kept
 * per depth, for errors found inside.
 *
 * Every object's keys are checked for repeats: known fields with a bit per
 * field, all other keys (unknown ones, and every key inside a skipped or
 * captured value) in a sm_jkeys set, in linear time.
 *
 * No message quotes a value of the document, except the one byte a
 * syntax error points at, which is left out inside a secret field.
 *
 * Field errors go straight to the caller's list; a syntax or depth error
 * anywhere takes back those of this call and is the one error reported,
 * as the contract requires.  Decoding stops at the first error when there
 * is no list, and when the list is full (100 errors, then too_many_errors,
 * buf.c): the rest of the document is not read.  Scalar values are
 * decoded by json_value.c.
 */
#include "json_read.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Errors ---------------------------------------------------------------- */

/*
 * Builds the path of frames [0, upto) -- each frame contributes the
 * member or element being decoded in it -- then ".leaf" when leaf is set.
 */
static const char *path_at(reader *rd, int upto, const char *leaf)
{
    sm_buf *b = &rd->path;
    int r = SM_OK;

    sm_buf_reset(b);
    for (int i = 0; i < upto && r == SM_OK; i++) {
        const rframe *f = &rd->fr[i];
        if (f->kind == FR_LIST) {
            r = sm_buf_printf(b, "[%zu]", f->idx);
            continue;
        }
        if (b->len)
            r = sm_buf_putc(b, '.');
        if (r == SM_OK && f->cur != NO_FIELD)
            r = sm_buf_puts(b, f->m->fields[f->cur].json);
        else if (r == SM_OK)
            r = sm_buf_append(b, f->key, f->keylen);
    }
    if (leaf && r == SM_OK) {
        if (b->len)
            r = sm_buf_putc(b, '.');
        if (r == SM_OK)
            r = sm_buf_puts(b, leaf);
    }
    if (r != SM_OK) {
        rd->nomem = true;
        return NULL;
    }
    return b->data ? b->data : "";
}

/* The list ends with the error that says it is full (buf.c). */
static bool errors_full(const sm_errors *e)
{
    return e->len && strcmp(e->items[e->len - 1].code, "too_many_errors") == 0;
}

static void add_error(reader *rd, const char *path, const char *code, const char *msg)
{
    if (!path || rd->nomem)
        return;
    if (sm_errors_add(rd->errs, path, code, "%s", msg) != SM_OK) {
        rd->nomem = true;
        return;
    }
    rd->nerrs++;
    if (rd->verdict_only || errors_full(rd->errs))
        rd->stopped = true;
}

/* The path of the key just read in the object at lexer depth d inside a
 * skipped value: the member being skipped, then the member or element
 * each container of the skipped value is at, the key last. */
static const char *skip_path(reader *rd, int d)
{
    sm_buf *b = &rd->path;
    int r = path_at(rd, rd->top + 1, NULL) ? SM_OK : SM_NOMEM;

    for (int k = rd->skip_depth; k <= d && r == SM_OK; k++) {
        const rseg *sg = &rd->seg[k];
        if (!rd->L.in_obj[k - 1]) {
            r = sm_buf_printf(b, "[%zu]", sg->idx);
            continue;
        }
        size_t n = sg->end - sg->start, at;
        if (b->len && (r = sm_buf_putc(b, '.')) != SM_OK)
            break;
        at = b->len;
        if ((r = sm_buf_append(b, rd->L.s + sg->start, n)) == SM_OK && (sg->flags & SM_JTOK_ESC)) {
            b->len = at + sm_json_unescape(b->data + at, n, b->data + at); /* in place */
            b->data[b->len] = '\0';
        }
    }
    if (r != SM_OK) {
        rd->nomem = true;
        return NULL;
    }
    return b->data;
}

/* An error about the value being decoded in the top frame. */
void sm_jr_err_here(reader *rd, const char *code, const char *msg)
{
    add_error(rd, path_at(rd, rd->top + 1, NULL), code, msg);
}

const char *sm_jr_expected(const sm_field *f)
{
    switch (f->type) {
    case SM_T_BOOL: return "expected true or false";
    case SM_T_INT:
    case SM_T_I32:
    case SM_T_I16: return "expected an integer";
    case SM_T_FLOAT: return "expected a number";
    case SM_T_DECIMAL: return "expected a decimal number (a string or a number)";
    case SM_T_TEXT: return "expected a string";
    case SM_T_BYTES: return "expected a base64 string";
    case SM_T_DATE: return "expected a date string YYYY-MM-DD from 0001-01-01 to 9999-12-31";
    case SM_T_TIME: return "expected a time string (HH:MM:SS[.ffffff])";
    case SM_T_DATETIME:
        return "expected an ISO 8601 datetime string from 0001-01-01T00:00:00Z to "
               "9999-12-31T23:59:59.999999Z";
    case SM_T_UUID: return "expected a UUID string";
    case SM_T_ENUM: return "expected a string naming an enum member";
    case SM_T_MODEL: return "expected an object";
    case SM_T_LIST: return "expected an array";
    default: return "unexpected value";
    }
}

/* ---- Null, presence, absence ------------------------------------------------- */

/* Marks a member as given with a value: has = true ("set" in partials, "not
 * null" elsewhere), and not null in partials. */
void sm_jr_set_present(const sm_model *m, const sm_field *f, char *base)
{
    if (f->has != SM_NONE)
        set_bool(base, f->has, true);
    if ((m->flags & SM_M_PARTIAL) && f->isnull != SM_NONE)
        set_bool(base, f->isnull, false);
}

/* Stores null; false when the field cannot hold it.  In a partial the
 * <f>_null flag says it, and pointer-shaped values are cleared as well. */
bool sm_jr_set_null(const sm_model *m, const sm_field *f, char *base)
{
    bool done = false;

    if (!(f->flags & SM_F_NULLABLE))
        return false;
    if (m->flags & SM_M_PARTIAL) {
        if (f->has != SM_NONE)
            set_bool(base, f->has, true);
        if (f->isnull != SM_NONE) {
            set_bool(base, f->isnull, true);
            done = true;
        }
    } else if (f->has != SM_NONE) {
        set_bool(base, f->has, false);
        return true;
    }
    if (f->type == SM_T_TEXT || f->type == SM_T_JSON) {
        const char *null = NULL;
        memcpy(base + f->offset, &null, sizeof null);
        return true;
    }
    if (f->type == SM_T_BYTES) {
        sm_bytes null = {NULL, 0};
        memcpy(base + f->offset, &null, sizeof null);
        return true;
    }
    return done;
}

static bool seen_test(const reader *rd, const rframe *fr, uint32_t i)
{
    uint64_t w = fr->m->nfields <= 64 ? fr->seen : rd->bits[fr->bits + i / 64];
    return (w >> (i % 64)) & 1;
}

static bool seen_test_set(reader *rd, rframe *fr, uint32_t i)
{
    uint64_t *w = fr->m->nfields <= 64 ? &fr->seen : &rd->bits[fr->bits + i / 64];
    uint64_t bit = (uint64_t)1 << (i % 64);
    bool was = (*w & bit) != 0;

    *w |= bit;
    return was;
}

/* ---- Frames --------------------------------------------------------------- */

static void push_model(reader *rd, const sm_model *m, char *base)
{
    rframe *fr = &rd->fr[++rd->top];

    fr->kind = FR_MODEL;
    fr->m = m;
    fr->base = base;
    fr->hint = 0;
    fr->cur = NO_FIELD;
    fr->skip = true;
    fr->key = "";
    fr->keylen = 0;
    fr->seen = 0;
    fr->bits = 0;
    if (m->nfields > 64) {
        size_t words = (m->nfields + 63) / 64;
        if (rd->nbits + words > rd->capbits) {
            size_t cap = (rd->nbits + words) * 2;
            uint64_t *p = realloc(rd->bits, cap * sizeof *p);
            if (!p) {
                rd->nomem = true;
                return;
            }
            rd->bits = p;
            rd->capbits = cap;
        }
        fr->bits = rd->nbits;
        memset(rd->bits + rd->nbits, 0, words * sizeof *rd->bits);
        rd->nbits += words;
    }
    if (m->init)
        memcpy(base, m->init, m->size);
    else
        memset(base, 0, m->size);
}

static void push_list(reader *rd, const sm_model *item, void *list)
{
    rframe *fr = &rd->fr[++rd->top];

    fr->kind = FR_LIST;
    fr->m = item;
    fr->list = list;
    fr->items = NULL;
    fr->len = fr->cap = fr->idx = 0;
}

/* '}' of a model object: absent fields take their default, null, or are
 * "required"; then the parent list, if any, counts the item. */
static void close_model(reader *rd)
{
    rframe *fr = &rd->fr[rd->top];
    const sm_model *m = fr->m;

    if (!(m->flags & SM_M_PARTIAL)) {
        for (uint32_t i = 0; i < m->nfields; i++) {
            const sm_field *f = &m->fields[i];
            if (seen_test(rd, fr, i) || !f->json || f->type >= SM_T_REL_ONE ||
                (f->flags & SM_F_DEFAULT))
                continue;
            if (f->flags & SM_F_NULLABLE) {
                sm_jr_set_null(m, f, fr->base);
                continue;
            }
            if (f->flags & (SM_F_AUTO | SM_F_NOW | SM_F_GEN_UUID))
                continue;
            add_error(rd, path_at(rd, rd->top, f->json), "required", "field required");
        }
    }
    if (m->nfields > 64)
        rd->nbits = fr->bits;
    rd->top--;
    if (rd->top >= 0 && rd->fr[rd->top].kind == FR_LIST) {
        rd->fr[rd->top].len++;
        rd->fr[rd->top].idx++;
    }
}

static void close_list(reader *rd)
{
    rframe *fr = &rd->fr[rd->top];
    any_list l = {NULL, 0};

    if (fr->len) {
        l.items = sm_arena_memdup(rd->arena, fr->items, fr->len * fr->m->size);
        if (!l.items)
            rd->nomem = true;
        l.len = fr->len;
    }
    memcpy(fr->list, &l, sizeof l);
    free(fr->items);
    fr->items = NULL;
    rd->top--;
}

/* An element of a list: objects become items, anything else is an error. */
static void list_item(reader *rd, rframe *fr, int ev)
{
    size_t size = fr->m->size;

    if (ev != SM_JEV_OBJ) {
        sm_jr_err_here(rd, "type", "expected an object");
        if (ev == SM_JEV_ARR)
            rd->skip_depth = rd->L.depth; /* idx moves on when the skip ends */
        else
            fr->idx++;
        return;
    }
    if (fr->len == fr->cap) {
        size_t cap = fr->cap ? fr->cap * 2 : 4;
        char *p = cap <= SIZE_MAX / size ? realloc(fr->items, cap * size) : NULL;
        if (!p) {
            rd->nomem = true;
            return;
        }
        fr->items = p;
        fr->cap = cap;
    }
    push_model(rd, fr->m, fr->items + fr->len * size);
}

/* The value of the current member of a model object. */
static void member_value(reader *rd, rframe *fr, int ev)
{
    const sm_field *f;
    bool container = ev == SM_JEV_OBJ || ev == SM_JEV_ARR;

    if (fr->skip) {
        if (container)
            rd->skip_depth = rd->L.depth;
        return;
    }
    f = &fr->m->fields[fr->cur];
    if (f->type == SM_T_JSON) {
        if (ev == SM_JEV_NULL && sm_jr_set_null(fr->m, f, fr->base))
            return;
        if (!container) { /* a scalar, or null in a non-nullable field: "null" */
            sm_jr_store_json(rd, fr->m, f, fr->base, rd->L.vstart, rd->L.pos);
            return;
        }
        rd->cap_m = fr->m;
        rd->cap_f = f;
        rd->cap_base = fr->base;
        rd->cap_start = rd->L.vstart;
        rd->skip_depth = rd->L.depth;
        return;
    }
    if (ev == SM_JEV_NULL) {
        if (!sm_jr_set_null(fr->m, f, fr->base))
            sm_jr_err_here(rd, "required", "must not be null");
        return;
    }
    if (ev == SM_JEV_OBJ && f->type == SM_T_MODEL) {
        sm_jr_set_present(fr->m, f, fr->base);
        push_model(rd, f->model, fr->base + f->offset);
        return;
    }
    if (ev == SM_JEV_ARR && f->type == SM_T_LIST) {
        sm_jr_set_present(fr->m, f, fr->base);
        push_list(rd, f->model, fr->base + f->offset);
        return;
    }
    if (container || f->type == SM_T_MODEL || f->type == SM_T_LIST) {
        sm_jr_err_here(rd, "type", sm_jr_expected(f));
        if (container)
            rd->skip_depth = rd->L.depth;
        return;
    }
    sm_jr_decode_scalar(rd, fr->m, f, fr->base, ev);
}

static bool key_is(const char *name, const char *k, size_t n)
{
    for (size_t j = 0; j < n; j++)
        if (name[j] != k[j] || name[j] == '\0')
            return false;
    return name[n] == '\0';
}

static bool key_matches(const sm_field *f, const char *k, size_t n)
{
    return f->json && f->type < SM_T_REL_ONE && key_is(f->json, k, n);
}

/* Keys usually come in field order: try the field after the last match
 * first, then scan. */
uint32_t sm_jr_lookup(const sm_model *m, uint32_t *hint, const char *k, size_t n)
{
    uint32_t h = *hint;

    if (h < m->nfields && key_matches(&m->fields[h], k, n)) {
        *hint = h + 1;
        return h;
    }
    for (uint32_t i = 0; i < m->nfields; i++)
        if (key_matches(&m->fields[i], k, n)) {
            *hint = i + 1;
            return i;
        }
    return NO_FIELD;
}

/* A key of a model object: a field (seen once, by its bit) or an unknown
 * key (seen once, by the key set; an error with forbid_unknown). */
static void member_key(reader *rd, rframe *fr)
{
    size_t n;
    const char *k = sm_jr_str_content(rd, &n);

    if (!k)
        return;
    fr->key = k;
    fr->keylen = n;
    fr->cur = sm_jr_lookup(fr->m, &fr->hint, k, n);
    fr->skip = true;
    if (fr->cur == NO_FIELD) {
        int dup = sm_jkeys_add(&rd->keys, &rd->L);
        if (dup < 0)
            rd->nomem = true;
        else if (dup)
            sm_jr_err_here(rd, "duplicate_key", "key appears more than once");
        else if (fr->m->flags & SM_M_FORBID_UNKNOWN)
            sm_jr_err_here(rd, "unknown_field", "unknown field");
    } else if (seen_test_set(rd, fr, fr->cur))
        sm_jr_err_here(rd, "duplicate_key", "key appears more than once");
    else
        fr->skip = false;
}

/* An event inside a skipped or captured value: keys are checked for
 * repeats, and the path to the current place is kept. */
static void skip_event(reader *rd, int ev)
{
    int d = rd->L.depth;
    rseg *sg = &rd->seg[d];

    switch (ev) {
    case SM_JEV_KEY: {
        int dup = sm_jkeys_add(&rd->keys, &rd->L);
        *sg = (rseg){rd->L.start, rd->L.end, rd->L.flags, 0};
        if (dup < 0)
            rd->nomem = true;
        else if (dup)
            add_error(rd, skip_path(rd, d), "duplicate_key", "key appears more than once");
        return;
    }
    case SM_JEV_OBJ:
    case SM_JEV_ARR:
        return;
    case SM_JEV_OBJ_END:
    case SM_JEV_ARR_END:
        if (d < rd->skip_depth) { /* the skipped value ended */
            rd->skip_depth = 0;
            if (rd->cap_f) {
                sm_jr_store_json(rd, rd->cap_m, rd->cap_f, rd->cap_base, rd->cap_start, rd->L.pos);
                rd->cap_f = NULL;
            } else if (rd->top >= 0 && rd->fr[rd->top].kind == FR_LIST)
                rd->fr[rd->top].idx++; /* a skipped list element */
            return;
        }
        break;
    default:
        break;
    }
    /* A value ended at depth d: in an array, the next one has the next index. */
    if (!rd->L.in_obj[d - 1])
        sg->idx++;
}

/* ---- The driver --------------------------------------------------------- */

/* How run ended. */
enum { RUN_END, RUN_SYNTAX, RUN_NOMEM, RUN_STOPPED };

/* Runs the events to the end of the document (RUN_END; field errors may
 * have been added), a syntax or depth error (RUN_SYNTAX, see rd->L.err),
 * out of memory, or until no more errors can be recorded. */
static int run(reader *rd, const sm_model *m, void *out)
{
    for (;;) {
        int ev = sm_jlex_next(&rd->L);
        if (ev == SM_JEV_ERROR)
            return RUN_SYNTAX;
        if (ev == SM_JEV_EOF)
            return RUN_END;
        if (ev == SM_JEV_OBJ || ev == SM_JEV_ARR)
            rd->seg[rd->L.depth].idx = 0;
        if (ev == SM_JEV_OBJ)
            sm_jkeys_open(&rd->keys, rd->L.depth);
        else if (ev == SM_JEV_OBJ_END)
            sm_jkeys_close(&rd->keys, rd->L.depth + 1);
        if (rd->skip_depth)
            skip_event(rd, ev);
        else if (rd->top < 0) { /* the top-level value */
            if (ev == SM_JEV_OBJ)
                push_model(rd, m, out);
            else {
                sm_jr_err_here(rd, "type", "expected an object");
                if (ev == SM_JEV_ARR)
                    rd->skip_depth = rd->L.depth;
            }
        } else {
            rframe *fr = &rd->fr[rd->top];
            if (fr->kind == FR_LIST) {
                if (ev == SM_JEV_ARR_END)
                    close_list(rd);
                else
                    list_item(rd, fr, ev);
            } else if (ev == SM_JEV_KEY)
                member_key(rd, fr);
            else if (ev == SM_JEV_OBJ_END)
                close_model(rd);
            else
                member_value(rd, fr, ev);
        }
        if (rd->nomem)
            return RUN_NOMEM;
        if (rd->stopped)
            return RUN_STOPPED;
    }
}

/* Was the member being read (the lexer stopped in or after its value) a
 * secret field? */
static bool in_secret(const reader *rd)
{
    if (rd->cap_f)
        return (rd->cap_f->flags & SM_F_SECRET) != 0;
    if (rd->top < 0 || rd->fr[rd->top].kind != FR_MODEL)
        return false;
    const rframe *fr = &rd->fr[rd->top];
    return fr->cur != NO_FIELD && (fr->m->fields[fr->cur].flags & SM_F_SECRET);
}

/* True when path is at or under the path of an error the decoding
 * reported (errs[from..]): the value there was not read, so what the
 * validation says of it would repeat that error. */
static bool under_decode_error(const sm_errors *errs, size_t from, size_t to, const char *path)
{
    for (size_t i = from; i < to; i++) {
        const char *d = errs->items[i].path;
        size_t n = strlen(d);
        if (strncmp(path, d, n) == 0 && (path[n] == 0 || path[n] == '.' || path[n] == '[' || n == 0))
            return true;
    }
    return false;
}

/* After field errors in a document read to its end: the constraints of
 * the values that were read are checked too, so that one answer lists
 * every error (as Pydantic does).  Not when the document is not an
 * object (nothing was read into out), nor when an element of a list
 * could not be read: the list then holds fewer items than the document,
 * and the validation's paths would name the wrong ones.  SM_INVALID or
 * SM_NOMEM. */
static int validate_rest(reader *rd, const sm_model *m, const void *out)
{
    sm_errors more = SM_ERRORS_INIT;
    size_t end = rd->errs->len;
    int rc = SM_INVALID;
    for (size_t i = rd->base; i < end; i++) {
        const char *d = rd->errs->items[i].path;
        size_t n = strlen(d);
        if (n == 0 || d[n - 1] == ']')
            return SM_INVALID;
    }
    if (sm_validate_prefixed(m, out, &more, "") == SM_NOMEM)
        rc = SM_NOMEM;
    for (size_t i = 0; rc == SM_INVALID && i < more.len && !errors_full(rd->errs); i++) {
        const sm_error *e = &more.items[i];
        if (strcmp(e->code, "too_many_errors") == 0 ||
            under_decode_error(rd->errs, rd->base, end, e->path))
            continue;
        if (sm_errors_add(rd->errs, e->path, e->code, "%s", e->msg) != SM_OK)
            rc = SM_NOMEM;
    }
    sm_errors_free(&more);
    return rc;
}

/* Validates a decode without errors (errs NULL: the verdict alone); on
 * failure out is zeroed, and out of memory leaves errs at its length
 * `base`. */
static int validated(const sm_model *m, void *out, sm_errors *errs, size_t base)
{
    int v = sm_validate_prefixed(m, out, errs, "");
    int rc = v == SM_NOMEM ? SM_NOMEM : v != SM_OK ? SM_INVALID : SM_OK;

    if (rc == SM_NOMEM && errs)
        sm_errors_truncate(errs, base);
    if (rc != SM_OK)
        memset(out, 0, m->size);
    return rc;
}

/* Reports how run ended, validates a clean decode, frees the reader; on
 * failure *out is zeroed and, unless the errors stand (field errors, or
 * the one syntax error), the list is as it was. */
static int finish(reader *rd, const sm_model *m, void *out, int how)
{
    int rc = SM_OK;

    if (how == RUN_SYNTAX) { /* the one error reported */
        char msg[256];
        bool depth = rd->L.err == SM_JERR_DEPTH;
        if (in_secret(rd))
            rd->L.err_found = false; /* the byte found would be the secret's */
        const char *path = depth ? path_at(rd, rd->top + 1, NULL) : "";
        sm_errors_truncate(rd->errs, rd->base);
        sm_jlex_describe(&rd->L, msg, sizeof msg);
        rc = SM_INVALID;
        if (!path || sm_errors_add(rd->errs, path, depth ? "depth" : "json_syntax", "%s", msg))
            rc = SM_NOMEM;
    } else if (how == RUN_NOMEM)
        rc = SM_NOMEM;
    else if (how == RUN_STOPPED || (rd->nerrs && rd->verdict_only))
        rc = SM_INVALID;
    else if (rd->nerrs)
        rc = validate_rest(rd, m, out);
    else
        rc = validated(m, out, rd->verdict_only ? NULL : rd->errs, rd->base);
    if (rc == SM_NOMEM)
        sm_errors_truncate(rd->errs, rd->base);
    for (int i = 0; i <= rd->top; i++)
        if (rd->fr[i].kind == FR_LIST)
            free(rd->fr[i].items);
    free(rd->scratch);
    free(rd->bits);
    sm_jkeys_free(&rd->keys);
    sm_buf_free(&rd->path);
    sm_buf_free(&rd->msg);
    if (rc != SM_OK)
        memset(out, 0, m->size);
    return rc;
}

int sm_model_from_json(const sm_model *m, const char *json, size_t len, void *out,
                       sm_arena *arena, sm_errors *errs)
{
    reader rd;
    sm_errors sink = SM_ERRORS_INIT;
    int rc;

    /* NULL text of length 0 is the empty document (a syntax error). */
    if (!m || !out || !arena || (!json && len)) {
        if (m && out)
            memset(out, 0, m->size);
        return SM_MISUSE;
    }
    if (sm_jr_fast(m, json, len, out, arena))
        return validated(m, out, errs, errs ? errs->len : 0);
    sm_jlex_init(&rd.L, json, len);
    rd.arena = arena;
    rd.errs = errs ? errs : &sink;
    rd.base = rd.errs->len;
    rd.verdict_only = !errs;
    rd.stopped = false;
    rd.nerrs = 0;
    sm_jkeys_init(&rd.keys);
    rd.path = (sm_buf)SM_BUF_INIT;
    rd.msg = (sm_buf)SM_BUF_INIT;
    rd.scratch = NULL;
    rd.scratch_cap = 0;
    rd.bits = NULL;
    rd.nbits = rd.capbits = 0;
    rd.top = -1;
    rd.skip_depth = 0;
    rd.cap_m = NULL;
    rd.cap_f = NULL;
    rd.cap_base = NULL;
    rd.cap_start = 0;
    rd.nomem = false;
    rc = finish(&rd, m, out, run(&rd, m, out));
    sm_errors_free(&sink);
    return rc;
}
