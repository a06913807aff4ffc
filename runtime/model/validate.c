/*
 * validate.c: generic validation of a model instance from its descriptor.
 *
 * One pass over m->fields applies the field's declared constraints
 * (sm_check) and the rules every value obeys whatever was declared:
 * floats finite, text valid UTF-8, enums in range, dates in 0001..9999,
 * non-nullable text and json present.  No message quotes a value of a
 * secret field (a @check_fn's message is its author's).  Every error is
 * appended; nothing stops at the first, but the walk stops when the list
 * is full (buf.c: 100 errors, then too_many_errors), or at the first
 * error when there is no list to fill.
 *
 * The path of an error ("teams[2].name") is only built when an error is
 * reported: while walking, the path is a chain of segments on the C stack,
 * so a valid object costs no allocation at all.  Paths use the JSON keys
 * (sm_field.json), as the JSON decoder does, so the errors of one
 * _from_json call name a field one way; a field without a JSON key
 * (@json(skip)) is named as declared.
 *
 * Patterns are compiled on first use and cached in the descriptor's
 * sm_pattern.compiled with a compare-and-swap: threads that race on the
 * first use each compile, one wins, the others free their copy.  The cache
 * lives as long as the process (the descriptors are static data).
 */
#include "internal.h"

#include <inttypes.h>
#include <math.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VALIDATE_MAX_DEPTH 64

/* One step of an error path: a field name, or an index when name is NULL. */
typedef struct vseg {
    const struct vseg *up;
    const char *name;
    size_t index;
} vseg;

typedef struct vctx {
    sm_errors *errs;    /* NULL: only the verdict is wanted */
    const char *prefix; /* path of the top object */
    size_t found;       /* errors found by this call */
    int rc;             /* SM_OK, or SM_NOMEM once an allocation failed */
    bool depth_reported;
    sm_buf path;        /* scratch for rendering a path */
} vctx;

/* The list layout generated for every model: X_list { X *items; size_t len; }. */
typedef struct any_list {
    const void *items;
    size_t len;
} any_list;

/* The list ends with the error that says it is full (buf.c). */
static bool errors_full(const sm_errors *e)
{
    return e->len && strcmp(e->items[e->len - 1].code, "too_many_errors") == 0;
}

/* Walking stops once the answer is known: one error found and no room to
 * record more, or memory ran out. */
static bool done(const vctx *c)
{
    return c->rc != SM_OK || (c->found && (!c->errs || errors_full(c->errs)));
}

static int render_path(sm_buf *b, const vseg *s)
{
    if (!s)
        return SM_OK;
    int rc = render_path(b, s->up);
    if (rc != SM_OK)
        return rc;
    if (!s->name)
        return sm_buf_printf(b, "[%zu]", s->index);
    if (b->len && (rc = sm_buf_putc(b, '.')) != SM_OK)
        return rc;
    return sm_buf_puts(b, s->name);
}

/* Appends one error at path `at`.  The message is formatted here (not by
 * sm_errors_add) because it arrives as a va_list. */
static void report(vctx *c, const vseg *at, const char *code, const char *fmt, ...)
    SM_PRINTF(4, 5);
static void report(vctx *c, const vseg *at, const char *code, const char *fmt, ...)
{
    c->found++;
    if (!c->errs || c->rc != SM_OK)
        return;
    sm_buf_reset(&c->path);
    int rc = sm_buf_puts(&c->path, c->prefix);
    if (rc == SM_OK)
        rc = render_path(&c->path, at);
    char small[160];
    char *msg = small;
    if (rc == SM_OK) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(small, sizeof small, fmt, ap);
        va_end(ap);
        if (n < 0) {
            rc = SM_ERROR;
        } else if ((size_t)n >= sizeof small) {
            msg = malloc((size_t)n + 1);
            if (!msg) {
                rc = SM_NOMEM;
            } else {
                va_start(ap, fmt);
                vsnprintf(msg, (size_t)n + 1, fmt, ap);
                va_end(ap);
            }
        }
    }
    if (rc == SM_OK)
        rc = sm_errors_add(c->errs, c->path.data, code, "%s", msg);
    if (msg != small)
        free(msg);
    if (rc != SM_OK)
        c->rc = SM_NOMEM;
}

/* ---- Reading fields --------------------------------------------------------- */

static const void *at(const void *obj, uint32_t off)
{
    return (const char *)obj + off;
}

static bool read_bool(const void *obj, uint32_t off)
{
    bool b;
    memcpy(&b, at(obj, off), sizeof b);
    return b;
}

static const void *read_ptr(const void *obj, uint32_t off)
{
    const void *p;
    memcpy(&p, at(obj, off), sizeof p);
    return p;
}

static int64_t read_int(const sm_field *f, const void *obj)
{
    switch (f->type) {
    case SM_T_I32: {
        int32_t v;
        memcpy(&v, at(obj, f->offset), sizeof v);
        return v;
    }
    case SM_T_I16: {
        int16_t v;
        memcpy(&v, at(obj, f->offset), sizeof v);
        return v;
    }
    default: {
        int64_t v;
        memcpy(&v, at(obj, f->offset), sizeof v);
        return v;
    }
    }
}

static bool is_pointer_type(int type)
{
    return type == SM_T_TEXT || type == SM_T_JSON;
}

/* Is the field's value null?  Pointer types: NULL.  Bytes: data NULL,
 * except in a non-nullable field of a full model, where {NULL, 0} is the
 * zero-initialised empty value.  Others: in a partial model the <f>_null
 * flag, in a full model a false has_<f>. */
static bool value_is_null(const sm_field *f, const void *obj, bool partial)
{
    if (is_pointer_type(f->type))
        return read_ptr(obj, f->offset) == NULL;
    if (f->type == SM_T_BYTES) {
        sm_bytes b;
        memcpy(&b, at(obj, f->offset), sizeof b);
        return b.data == NULL && (partial || (f->flags & SM_F_NULLABLE));
    }
    if (partial)
        return f->isnull != SM_NONE && read_bool(obj, f->isnull);
    return (f->flags & SM_F_NULLABLE) && f->has != SM_NONE && !read_bool(obj, f->has);
}

/* ---- Patterns ------------------------------------------------------------------ */

/* The compiled form of p, compiling it on first use.  SM_ERROR with the
 * reason in why[] when the expression does not compile. */
static int pattern_get(sm_pattern *p, const regex_t **out, char *why, size_t whysz)
{
    void *cur = __atomic_load_n(&p->compiled, __ATOMIC_ACQUIRE);
    if (cur) {
        *out = cur;
        return SM_OK;
    }
    regex_t *re = malloc(sizeof *re);
    if (!re)
        return SM_NOMEM;
    int e = regcomp(re, p->source, REG_EXTENDED | REG_NOSUB);
    if (e != 0) {
        regerror(e, re, why, whysz);
        free(re);
        return e == REG_ESPACE ? SM_NOMEM : SM_ERROR;
    }
    void *expected = NULL;
    if (__atomic_compare_exchange_n(&p->compiled, &expected, (void *)re, false, __ATOMIC_ACQ_REL,
                                    __ATOMIC_ACQUIRE)) {
        *out = re;
    } else {
        regfree(re);
        free(re);
        *out = expected;
    }
    return SM_OK;
}

static void check_pattern(vctx *c, const vseg *s, sm_pattern *p, const char *text)
{
    const regex_t *re;
    char why[128];
    int rc = pattern_get(p, &re, why, sizeof why);
    if (rc == SM_NOMEM) {
        c->rc = SM_NOMEM;
        return;
    }
    if (rc != SM_OK) {
        report(c, s, "pattern", "invalid pattern '%s': %s", p->source, why);
        return;
    }
    int e = regexec(re, text, 0, NULL, 0);
    if (e == REG_NOMATCH)
        report(c, s, "pattern", "must match pattern '%s'", p->source);
    else if (e == REG_ESPACE)
        c->rc = SM_NOMEM;
    else if (e != 0)
        report(c, s, "pattern", "cannot match pattern '%s'", p->source);
}

/* ---- Constraints ---------------------------------------------------------------- */

/* `unit` is "character", "byte" or "item". */
static void check_len(vctx *c, const vseg *s, const sm_check *k, size_t len, const char *unit)
{
    if (k->min_len >= 0 && len < (size_t)k->min_len)
        report(c, s, "too_short", "must be at least %" PRId32 " %s%s", k->min_len, unit,
               k->min_len == 1 ? "" : "s");
    if (k->max_len >= 0 && len > (size_t)k->max_len)
        report(c, s, "too_long", "must be at most %" PRId32 " %s%s", k->max_len, unit,
               k->max_len == 1 ? "" : "s");
}

/* A bound printed as the user wrote it: decimals with their scale. */
static void format_int_bound(const sm_field *f, int64_t v, char *buf)
{
    if (f->type == SM_T_DECIMAL)
        sm_decimal_format(v, f->scale, buf);
    else
        snprintf(buf, SM_DECIMAL_BUFSZ, "%" PRId64, v);
}

/* Does the scaled value v have at most f->precision digits, as the
 * column's decimal(p,s) holds (PostgreSQL and MySQL refuse more, SQLite
 * would store them)?  An int64_t has at most 19. */
static bool decimal_fits(const sm_field *f, int64_t v)
{
    if (f->precision <= 0 || f->precision >= 19)
        return true;
    int64_t limit = 1;
    for (int i = 0; i < f->precision; i++)
        limit *= 10;
    return v < limit && v > -limit;
}

static void check_int_bounds(vctx *c, const vseg *s, const sm_field *f, int64_t v)
{
    const sm_check *k = f->check;
    char b[SM_DECIMAL_BUFSZ];
    if ((k->bounds & SM_B_GT) && !(v > k->lo_i)) {
        format_int_bound(f, k->lo_i, b);
        report(c, s, "out_of_range", "must be > %s", b);
    }
    if ((k->bounds & SM_B_GE) && !(v >= k->lo_i)) {
        format_int_bound(f, k->lo_i, b);
        report(c, s, "out_of_range", "must be >= %s", b);
    }
    if ((k->bounds & SM_B_LT) && !(v < k->hi_i)) {
        format_int_bound(f, k->hi_i, b);
        report(c, s, "out_of_range", "must be < %s", b);
    }
    if ((k->bounds & SM_B_LE) && !(v <= k->hi_i)) {
        format_int_bound(f, k->hi_i, b);
        report(c, s, "out_of_range", "must be <= %s", b);
    }
}


static void check_float_bounds(vctx *c, const vseg *s, const sm_check *k, double v)
{
    char b[SM_REAL_BUFSZ];
    if ((k->bounds & SM_B_GT) && !(v > k->lo_d)) {
        sm_real_format(k->lo_d, b);
        report(c, s, "out_of_range", "must be > %s", b);
    }
    if ((k->bounds & SM_B_GE) && !(v >= k->lo_d)) {
        sm_real_format(k->lo_d, b);
        report(c, s, "out_of_range", "must be >= %s", b);
    }
    if ((k->bounds & SM_B_LT) && !(v < k->hi_d)) {
        sm_real_format(k->hi_d, b);
        report(c, s, "out_of_range", "must be < %s", b);
    }
    if ((k->bounds & SM_B_LE) && !(v <= k->hi_d)) {
        sm_real_format(k->hi_d, b);
        report(c, s, "out_of_range", "must be <= %s", b);
    }
}

/* A date of the years 0001 to 9999, the range the parsers accept
 * (values.c): whatever validates can be stored, written and read back. */
static bool date_in_range(sm_date d)
{
    int y;
    sm_date_to_ymd(d, &y, NULL, NULL);
    return y >= 1 && y <= 9999;
}

/* The same for the UTC day of a datetime (floor division: -1 us is the
 * day before the epoch). */
static bool datetime_in_range(sm_datetime v)
{
    const int64_t day = INT64_C(86400000000);
    int64_t d = v / day - (v % day < 0);
    return date_in_range((sm_date)d);
}

/* ---- The walk --------------------------------------------------------------------- */

static void validate_obj(vctx *c, const sm_model *m, const void *obj, const vseg *up, int depth);

static void validate_list(vctx *c, const sm_field *f, const void *obj, const vseg *s, int depth)
{
    any_list l;
    memcpy(&l, at(obj, f->offset), sizeof l);
    if (f->check)
        check_len(c, s, f->check, l.len, "item");
    if (!f->model || l.len == 0)
        return;
    if (!l.items) {
        report(c, s, "type", "has %zu items but no storage", l.len);
        return;
    }
    for (size_t i = 0; i < l.len && !done(c); i++) {
        vseg is = {s, NULL, i};
        validate_obj(c, f->model, (const char *)l.items + i * f->model->size, &is, depth + 1);
    }
}

/* The checks of one non-null value.  check_fn runs only when the built-in
 * checks of the field passed, so it may rely on them. */
static void validate_value(vctx *c, const sm_field *f, const void *obj, const vseg *s, int depth)
{
    const sm_check *k = f->check;
    size_t before = c->found;
    switch (f->type) {
    case SM_T_TEXT:
    case SM_T_JSON: {
        const char *t = read_ptr(obj, f->offset);
        size_t n = strlen(t);
        if (!sm_utf8_valid(t, n)) {
            report(c, s, "type", "must be valid UTF-8");
            return;
        }
        /* n bytes hold n/4 to n characters: count only when that range
         * does not settle the bounds. */
        if (k && ((k->max_len >= 0 && n > (size_t)k->max_len) ||
                  (k->min_len >= 0 && (size_t)k->min_len > n / 4)))
            check_len(c, s, k, sm_utf8_count(t, n), "character");
        if (k && k->pattern && k->pattern->source)
            check_pattern(c, s, k->pattern, t);
        break;
    }
    case SM_T_BYTES: {
        sm_bytes b;
        memcpy(&b, at(obj, f->offset), sizeof b);
        if (!b.data && b.len) {
            report(c, s, "type", "has %zu bytes but no data", b.len);
            return;
        }
        if (k)
            check_len(c, s, k, b.len, "byte");
        break;
    }
    case SM_T_DECIMAL:
        if (!decimal_fits(f, read_int(f, obj))) {
            report(c, s, "out_of_range", "must have at most %d digits, %d of them decimals",
                   f->precision, f->scale);
            return;
        }
        if (k && k->bounds)
            check_int_bounds(c, s, f, read_int(f, obj));
        break;
    case SM_T_INT:
    case SM_T_I32:
    case SM_T_I16:
        if (k && k->bounds)
            check_int_bounds(c, s, f, read_int(f, obj));
        break;
    case SM_T_FLOAT: {
        double d;
        memcpy(&d, at(obj, f->offset), sizeof d);
        if (!isfinite(d)) {
            report(c, s, "finite", "must be a finite number");
            return;
        }
        if (k && k->bounds)
            check_float_bounds(c, s, k, d);
        break;
    }
    case SM_T_TIME: {
        sm_time t;
        memcpy(&t, at(obj, f->offset), sizeof t);
        if (t < 0 || t >= INT64_C(86400000000))
            report(c, s, "out_of_range", "must be a time of day (0 to 24 hours)");
        break;
    }
    case SM_T_DATE: {
        sm_date d;
        memcpy(&d, at(obj, f->offset), sizeof d);
        if (!date_in_range(d))
            report(c, s, "out_of_range", "must be a date from 0001-01-01 to 9999-12-31");
        break;
    }
    case SM_T_DATETIME: {
        sm_datetime v;
        memcpy(&v, at(obj, f->offset), sizeof v);
        if (!datetime_in_range(v))
            report(c, s, "out_of_range",
                   "must be a datetime from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999Z");
        break;
    }
    case SM_T_ENUM: {
        int v;
        memcpy(&v, at(obj, f->offset), sizeof v);
        if (f->enm && (v < 0 || (uint32_t)v >= f->enm->count) && (f->flags & SM_F_SECRET))
            report(c, s, "enum", "must be a %s member", f->enm->name);
        else if (f->enm && (v < 0 || (uint32_t)v >= f->enm->count))
            report(c, s, "enum", "must be a %s member (got %d)", f->enm->name, v);
        break;
    }
    case SM_T_MODEL:
        if (f->model)
            validate_obj(c, f->model, at(obj, f->offset), s, depth + 1);
        break;
    case SM_T_LIST:
        validate_list(c, f, obj, s, depth);
        break;
    default:
        break;
    }
    if (k && k->check_fn && c->found == before && !done(c)) {
        const char *msg = k->check_fn(at(obj, f->offset));
        if (msg)
            report(c, s, "check", "%s", msg);
    }
}

static void validate_field(vctx *c, const sm_field *f, const void *obj, bool partial,
                           const vseg *s, int depth)
{
    if (partial && f->has != SM_NONE && !read_bool(obj, f->has))
        return; /* not set: nothing to check */
    if (value_is_null(f, obj, partial)) {
        if (f->flags & SM_F_NULLABLE)
            return;
        if (partial)
            report(c, s, "required", "must not be null");
        else if (!(f->flags & (SM_F_AUTO | SM_F_NOW | SM_F_GEN_UUID)))
            report(c, s, "required", "is required");
        return;
    }
    validate_value(c, f, obj, s, depth);
}

/* The types whose values obey no rule of their own: without a declared
 * check (bounds, @check_fn) such a field cannot fail. */
#define QUIET_TYPES                                                                          \
    ((1u << SM_T_BOOL) | (1u << SM_T_INT) | (1u << SM_T_I32) | (1u << SM_T_I16) |             \
     (1u << SM_T_UUID) | (1u << SM_T_INT_LIST) | (1u << SM_T_TEXT_LIST))

/* Can no value of f report an error?  Then the walk passes it over
 * without reading it: most integer columns of a table.  In a partial
 * model a non-nullable field with a _null flag can still be "null". */
static inline bool quiet(const sm_field *f, bool partial)
{
    return !f->check && f->type < 32 && (QUIET_TYPES >> f->type & 1u) &&
           (!partial || f->isnull == SM_NONE || (f->flags & SM_F_NULLABLE));
}

/* depth counts model levels: the top object is level 1. */
static void validate_obj(vctx *c, const sm_model *m, const void *obj, const vseg *up, int depth)
{
    if (depth > VALIDATE_MAX_DEPTH) {
        if (!c->depth_reported) {
            c->depth_reported = true;
            report(c, up, "depth", "nested deeper than %d levels", VALIDATE_MAX_DEPTH);
        }
        return;
    }
    bool partial = (m->flags & SM_M_PARTIAL) != 0;
    for (uint32_t i = 0; i < m->nfields; i++) {
        const sm_field *f = &m->fields[i];
        if (f->type == SM_T_REL_ONE || f->type == SM_T_REL_MANY || quiet(f, partial))
            continue;
        if (done(c))
            break;
        vseg s = {up, f->json ? f->json : f->name, 0};
        validate_field(c, f, obj, partial, &s, depth);
    }
}

/* errs may be NULL: the result then only says whether obj is valid.
 * SM_NOMEM when an error could not be recorded (errors recorded before
 * stay in errs). */
int sm_validate_prefixed(const sm_model *m, const void *obj, sm_errors *errs, const char *prefix)
{
    if (!m || !obj)
        return SM_MISUSE;
    if (errs && errors_full(errs))
        errs = NULL; /* nothing more can be recorded: the verdict only */
    vctx c = {errs, prefix ? prefix : "", 0, SM_OK, false, SM_BUF_INIT};
    validate_obj(&c, m, obj, NULL, 1);
    if (c.path.data) /* a path was rendered: an error was reported */
        sm_buf_free(&c.path);
    if (c.rc != SM_OK)
        return c.rc;
    return c.found ? SM_INVALID : SM_OK;
}

int sm_model_validate(const sm_model *m, const void *obj, sm_errors *errs)
{
    return sm_validate_prefixed(m, obj, errs, "");
}
