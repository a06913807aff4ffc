/*
 * jsonschema.c: `smc jsonschema`: a JSON Schema (draft 2020-12) of each
 * model's JSON, as the generated `_to_json` writes it and `_from_json`
 * reads it (docs/c-api.md, Validation and JSON): keys under their @json
 * names, relationships of tables and @json(skip) fields left out, the
 * validation attributes as keywords, and `required` holding exactly the
 * keys whose absence `_from_json` reports.  One document holds every
 * model the file emits, with the enums and imported models they refer to,
 * under "$defs"; `--openapi` prints that map alone, its references into
 * "#/components/schemas/", for an OpenAPI 3.1 document.
 */
#include "emit.h"
#include "json.h"

#include <string.h>

typedef struct js {
    smc_ctx *ctx;
    sm_buf *b;
    const char *refs;     /* "#/$defs/" or "#/components/schemas/" */
    uint8_t *want_model;  /* by smc_model.pos: in the document */
    smc_decl **enums;     /* enums referred to, in first-use order */
    uint32_t nenums, cap_enums;
} js;

static void str(js *j, const char *s)
{
    smc_out_check(sm_json_put_string(j->b, s, strlen(s)));
}

static void indent(js *j, int depth)
{
    smc_out_putc(j->b, '\n');
    for (int i = 0; i < depth; i++)
        smc_out_puts(j->b, "  ");
}

/* `"key": ` at depth, after a comma unless *first. */
static void key(js *j, int depth, bool *first, const char *k)
{
    if (!*first)
        smc_out_putc(j->b, ',');
    *first = false;
    indent(j, depth);
    str(j, k);
    smc_out_puts(j->b, ": ");
}

static const char *doc_of(smc_attr *attrs)
{
    for (smc_attr *a = attrs; a; a = a->next)
        if (strcmp(a->name.s, "doc") == 0 && a->args && a->args->value->kind == SMC_EX_STRING)
            return a->args->value->sval;
    return NULL;
}

static void want_enum(js *j, smc_decl *e)
{
    for (uint32_t i = 0; i < j->nenums; i++)
        if (j->enums[i] == e)
            return;
    if (j->nenums == j->cap_enums) {
        uint32_t cap = j->cap_enums ? 2 * j->cap_enums : 8;
        smc_decl **n = smc_alloc(j->ctx, cap * sizeof *n);
        if (j->nenums)
            memcpy(n, j->enums, j->nenums * sizeof *n);
        j->enums = n, j->cap_enums = cap;
    }
    j->enums[j->nenums++] = e;
}

static bool in_json(const smc_col *c)
{
    return c->json && c->rel == SMC_REL_NONE;
}

/* Marks m and every model its JSON nests, transitively. */
static void want(js *j, smc_model *m)
{
    if (!m || j->want_model[m->pos])
        return;
    j->want_model[m->pos] = 1;
    for (uint32_t i = 0; i < m->ncols; i++) {
        const smc_col *c = m->cols[i];
        if (!in_json(c))
            continue;
        if (c->type.base == SMC_B_MODEL)
            want(j, c->type.decl ? c->type.decl->model : NULL);
        else if (c->type.base == SMC_B_ENUM && c->type.decl)
            want_enum(j, c->type.decl);
    }
}

static void number_i(js *j, int depth, bool *first, const char *k, int64_t v)
{
    key(j, depth, first, k);
    smc_out_printf(j->b, "%lld", (long long)v);
}

/* A scaled decimal as a JSON number. */
static void number_dec(js *j, int depth, bool *first, const char *k, int64_t v, int scale)
{
    char buf[SM_DECIMAL_BUFSZ];
    sm_decimal_format(v, scale, buf);
    key(j, depth, first, k);
    smc_out_puts(j->b, buf);
}

static void number_d(js *j, int depth, bool *first, const char *k, double v)
{
    char buf[32];
    sm_json_fmt_double(v, buf);
    key(j, depth, first, k);
    smc_out_puts(j->b, buf);
}

/* minimum/maximum (exclusive or not) from @gt @ge @lt @le. */
static void bounds(js *j, int depth, bool *first, const smc_col *c)
{
    static const struct {
        uint8_t bit;
        const char *kw;
        bool low;
    } kinds[] = {
        {SM_B_GT, "exclusiveMinimum", true},
        {SM_B_GE, "minimum", true},
        {SM_B_LT, "exclusiveMaximum", false},
        {SM_B_LE, "maximum", false},
    };
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        if (!(c->bounds & kinds[i].bit))
            continue;
        if (c->type.base == SMC_B_FLOAT)
            number_d(j, depth, first, kinds[i].kw, kinds[i].low ? c->lo_d : c->hi_d);
        else if (c->type.base == SMC_B_DECIMAL)
            number_dec(j, depth, first, kinds[i].kw, kinds[i].low ? c->lo_i : c->hi_i,
                       c->type.scale);
        else
            number_i(j, depth, first, kinds[i].kw, kinds[i].low ? c->lo_i : c->hi_i);
    }
}

/* The integer range of a C type narrower than int64_t, unless a bound
 * on that side is given. */
static void int_range(js *j, int depth, bool *first, const smc_col *c)
{
    int64_t lo = c->type.base == SMC_B_I16 ? INT16_MIN : INT32_MIN;
    int64_t hi = c->type.base == SMC_B_I16 ? INT16_MAX : INT32_MAX;
    if (!(c->bounds & (SM_B_GT | SM_B_GE)))
        number_i(j, depth, first, "minimum", lo);
    if (!(c->bounds & (SM_B_LT | SM_B_LE)))
        number_i(j, depth, first, "maximum", hi);
}

static void type_kw(js *j, int depth, bool *first, const char *t)
{
    key(j, depth, first, "type");
    str(j, t);
}

static void ref(js *j, int depth, bool *first, const char *name)
{
    key(j, depth, first, "$ref");
    str(j, smc_printf(j->ctx, "%s%s", j->refs, name));
}

/* A POSIX ERE (@pattern) as the ECMA-262 regular expression JSON Schema
 * uses.  Outside brackets the two agree on what smc accepts; inside, the
 * character classes ([:space:]) become ranges or escapes, a backslash is a
 * literal one (escaped for ECMA), and a leading ']' is a literal one. */
static const char *ecma_pattern(smc_ctx *ctx, const char *ere)
{
    static const struct {
        const char *posix, *ecma;
    } classes[] = {
        {"[:alnum:]", "0-9A-Za-z"}, {"[:alpha:]", "A-Za-z"},   {"[:blank:]", " \\t"},
        {"[:cntrl:]", "\\x00-\\x1f\\x7f"}, {"[:digit:]", "0-9"}, {"[:graph:]", "!-~"},
        {"[:lower:]", "a-z"},       {"[:print:]", " -~"},      {"[:punct:]", "!-/:-@\\[-`{-~"},
        {"[:space:]", "\\s"},       {"[:upper:]", "A-Z"},      {"[:xdigit:]", "0-9A-Fa-f"},
    };
    /* No replacement is longer than twice what it replaces. */
    char *out = smc_alloc(ctx, 2 * strlen(ere) + 1), *o = out;
    for (const char *p = ere; *p;) {
        if (*p == '\\' && p[1]) { /* an escape outside brackets: the same in both */
            *o++ = *p++;
            *o++ = *p++;
            continue;
        }
        if (*p != '[') {
            *o++ = *p++;
            continue;
        }
        *o++ = *p++;
        if (*p == '^')
            *o++ = *p++;
        if (*p == ']') {
            *o++ = '\\';
            *o++ = *p++;
        }
        while (*p && *p != ']') {
            size_t k = 0, n = sizeof classes / sizeof classes[0];
            while (k < n && strncmp(p, classes[k].posix, strlen(classes[k].posix)) != 0)
                k++;
            if (k < n) {
                o = stpcpy(o, classes[k].ecma);
                p += strlen(classes[k].posix);
            } else {
                if (*p == '\\' || *p == '[')
                    *o++ = '\\';
                *o++ = *p++;
            }
        }
        if (*p)
            *o++ = *p++;
    }
    *o = 0;
    return out;
}

/* The keywords of one value of c's base type (no nullability, no list). */
static void value_schema(js *j, int depth, bool *first, const smc_col *c)
{
    const smc_type *t = &c->type;
    switch (t->base) {
    case SMC_B_BOOL:
        type_kw(j, depth, first, "boolean");
        break;
    case SMC_B_INT:
    case SMC_B_I32:
    case SMC_B_I16:
        type_kw(j, depth, first, "integer");
        bounds(j, depth, first, c);
        if (t->base != SMC_B_INT)
            int_range(j, depth, first, c);
        break;
    case SMC_B_FLOAT:
        type_kw(j, depth, first, "number");
        bounds(j, depth, first, c);
        break;
    case SMC_B_DECIMAL: {
        /* Written as a string; read as a string or a number without
         * exponent, at most `scale` decimals and precision digits. */
        unsigned whole = t->precision - t->scale;
        key(j, depth, first, "type");
        smc_out_puts(j->b, "[\"string\", \"number\"]");
        key(j, depth, first, "pattern");
        str(j, t->scale ? smc_printf(j->ctx, "^-?[0-9]{1,%u}(\\.[0-9]{1,%u})?$", whole ? whole : 1,
                                     t->scale)
                        : smc_printf(j->ctx, "^-?[0-9]{1,%u}$", whole));
        bounds(j, depth, first, c);
        break;
    }
    case SMC_B_TEXT:
        type_kw(j, depth, first, "string");
        if (c->min_len >= 0)
            number_i(j, depth, first, "minLength", c->min_len);
        if (c->max_len >= 0)
            number_i(j, depth, first, "maxLength", c->max_len);
        if (c->pattern) {
            key(j, depth, first, "pattern");
            str(j, ecma_pattern(j->ctx, c->pattern));
        }
        break;
    case SMC_B_BYTES:
        type_kw(j, depth, first, "string");
        key(j, depth, first, "contentEncoding");
        str(j, "base64");
        break;
    case SMC_B_TIME: /* RFC 3339's "time" format needs an offset, which no time has */
        type_kw(j, depth, first, "string");
        key(j, depth, first, "pattern");
        str(j, "^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,6})?$");
        break;
    case SMC_B_DATE:
    case SMC_B_DATETIME:
    case SMC_B_UUID:
        type_kw(j, depth, first, "string");
        key(j, depth, first, "format");
        str(j, t->base == SMC_B_DATE ? "date" : t->base == SMC_B_DATETIME ? "date-time" : "uuid");
        break;
    case SMC_B_ENUM:
        ref(j, depth, first, t->decl->name.s);
        break;
    case SMC_B_MODEL:
        ref(j, depth, first, t->decl->name.s);
        break;
    default: /* json: any JSON value */
        break;
    }
}

/* The member name of enum e at index i. */
static const char *member(const smc_decl *e, int64_t i)
{
    for (const smc_member *m = e->members; m; m = m->next)
        if (m->index == i)
            return m->name.s;
    return "";
}

/* c's constant default as the JSON value `_to_json` would write. */
static void default_value(js *j, const smc_col *c)
{
    const smc_const *v = &c->deflt;
    char buf[64];
    if (v->is_null) {
        smc_out_puts(j->b, "null");
        return;
    }
    switch (c->type.base) {
    case SMC_B_BOOL:
        smc_out_puts(j->b, v->i ? "true" : "false");
        break;
    case SMC_B_INT:
    case SMC_B_I32:
    case SMC_B_I16:
        smc_out_printf(j->b, "%lld", (long long)v->i);
        break;
    case SMC_B_FLOAT:
        sm_json_fmt_double(v->d, buf);
        smc_out_puts(j->b, buf);
        break;
    case SMC_B_DECIMAL:
        sm_decimal_format(v->i, c->type.scale, buf);
        str(j, buf);
        break;
    case SMC_B_TEXT:
        smc_out_check(sm_json_put_string(j->b, v->s, v->slen));
        break;
    case SMC_B_BYTES:
        smc_out_check(sm_json_put_base64(j->b, (const uint8_t *)v->s, v->slen));
        break;
    case SMC_B_DATE:
        sm_date_format((sm_date)v->i, buf);
        str(j, buf);
        break;
    case SMC_B_TIME:
        sm_time_format((sm_time)v->i, buf);
        str(j, buf);
        break;
    case SMC_B_DATETIME:
        sm_datetime_format(v->i, SM_DT_ISO, buf);
        str(j, buf);
        break;
    case SMC_B_UUID:
        str(j, v->s);
        break;
    case SMC_B_ENUM:
        str(j, member(c->type.decl, v->i));
        break;
    default: /* json: its text, which the checker found valid */
        smc_out_append(j->b, v->s, v->slen);
        break;
    }
}

/* One property: its value schema, null allowed when nullable, an array
 * for a list; its description and default. */
static void property(js *j, int depth, const smc_col *c)
{
    bool first = true;
    smc_out_putc(j->b, '{');
    if (c->doc) {
        key(j, depth + 1, &first, "description");
        str(j, c->doc);
    }
    if (c->type.list) {
        type_kw(j, depth + 1, &first, "array");
        key(j, depth + 1, &first, "items");
        bool f2 = true;
        smc_out_putc(j->b, '{');
        value_schema(j, depth + 2, &f2, c);
        indent(j, depth + 1);
        smc_out_putc(j->b, '}');
    } else if (c->type.nullable) {
        key(j, depth + 1, &first, "anyOf");
        smc_out_putc(j->b, '[');
        indent(j, depth + 2);
        bool f2 = true;
        smc_out_putc(j->b, '{');
        value_schema(j, depth + 3, &f2, c);
        if (f2) /* json?: any value already admits null */
            smc_out_putc(j->b, '}');
        else {
            indent(j, depth + 2);
            smc_out_putc(j->b, '}');
        }
        smc_out_puts(j->b, ",");
        indent(j, depth + 2);
        smc_out_puts(j->b, "{\"type\": \"null\"}");
        indent(j, depth + 1);
        smc_out_putc(j->b, ']');
    } else {
        value_schema(j, depth + 1, &first, c);
    }
    if (c->defkind == SMC_DEF_CONST) {
        key(j, depth + 1, &first, "default");
        default_value(j, c);
    }
    if (first)
        smc_out_putc(j->b, '}');
    else {
        indent(j, depth);
        smc_out_putc(j->b, '}');
    }
}

/* Does `_from_json` report c's absence? */
static bool required(const smc_model *m, const smc_col *c)
{
    return !m->is_partial && !c->type.nullable && c->defkind == SMC_DEF_NONE &&
           !c->autoinc;
}

static void model_schema(js *j, int depth, const smc_model *m)
{
    bool first = true;
    smc_out_putc(j->b, '{');
    key(j, depth + 1, &first, "title");
    str(j, m->name);
    if (m->doc) {
        key(j, depth + 1, &first, "description");
        str(j, m->doc);
    }
    type_kw(j, depth + 1, &first, "object");
    key(j, depth + 1, &first, "properties");
    smc_out_putc(j->b, '{');
    bool pfirst = true, any_required = false;
    for (uint32_t i = 0; i < m->ncols; i++) {
        const smc_col *c = m->cols[i];
        if (!in_json(c))
            continue;
        key(j, depth + 2, &pfirst, c->json);
        property(j, depth + 2, c);
        any_required |= required(m, c);
    }
    if (!pfirst)
        indent(j, depth + 1);
    smc_out_putc(j->b, '}');
    if (any_required) {
        key(j, depth + 1, &first, "required");
        smc_out_putc(j->b, '[');
        bool rfirst = true;
        for (uint32_t i = 0; i < m->ncols; i++) {
            const smc_col *c = m->cols[i];
            if (!in_json(c) || !required(m, c))
                continue;
            smc_out_puts(j->b, rfirst ? "" : ", ");
            rfirst = false;
            str(j, c->json);
        }
        smc_out_putc(j->b, ']');
    }
    if (m->forbid_unknown) {
        key(j, depth + 1, &first, "additionalProperties");
        smc_out_puts(j->b, "false");
    }
    indent(j, depth);
    smc_out_putc(j->b, '}');
}

static void enum_schema(js *j, int depth, smc_decl *e)
{
    bool first = true;
    smc_out_putc(j->b, '{');
    key(j, depth + 1, &first, "title");
    str(j, e->name.s);
    const char *d = doc_of(e->attrs);
    if (d) {
        key(j, depth + 1, &first, "description");
        str(j, d);
    }
    type_kw(j, depth + 1, &first, "string");
    key(j, depth + 1, &first, "enum");
    smc_out_putc(j->b, '[');
    for (smc_member *m = e->members; m; m = m->next) {
        str(j, m->name.s);
        if (m->next)
            smc_out_puts(j->b, ", ");
    }
    smc_out_putc(j->b, ']');
    indent(j, depth);
    smc_out_putc(j->b, '}');
}

typedef struct job {
    bool openapi;
    sm_buf *out;
} job;

static void run(smc_ctx *ctx, void *arg)
{
    job *jb = arg;
    smc_sema *s = ctx->sema;
    js j = {ctx, jb->out, jb->openapi ? "#/components/schemas/" : "#/$defs/", NULL, NULL, 0, 0};
    j.want_model = smc_alloc(ctx, s->nmodels + 1);
    memset(j.want_model, 0, s->nmodels + 1);
    for (uint32_t i = 0; i < s->nenums; i++)
        if (s->enums[i]->file == s->main)
            want_enum(&j, s->enums[i]);
    for (uint32_t i = 0; i < s->nmodels; i++)
        if (s->models[i]->own && smc_model_emitted(s->models[i]))
            want(&j, s->models[i]);

    int depth = jb->openapi ? 0 : 1;
    bool first = true;
    if (!jb->openapi) {
        smc_out_putc(j.b, '{');
        key(&j, 1, &first, "$schema");
        str(&j, "https://json-schema.org/draft/2020-12/schema");
        key(&j, 1, &first, "title");
        str(&j, s->module);
        key(&j, 1, &first, "$defs");
        first = true;
    }
    smc_out_putc(j.b, '{');
    /* Models in the order of the file (imported ones where they come),
     * then the enums. */
    for (uint32_t i = 0; i < s->nmodels; i++) {
        if (!j.want_model[s->models[i]->pos])
            continue;
        key(&j, depth + 1, &first, s->models[i]->name);
        model_schema(&j, depth + 1, s->models[i]);
    }
    for (uint32_t i = 0; i < j.nenums; i++) {
        key(&j, depth + 1, &first, j.enums[i]->name.s);
        enum_schema(&j, depth + 1, j.enums[i]);
    }
    if (!first)
        indent(&j, depth);
    smc_out_putc(j.b, '}');
    if (!jb->openapi) {
        indent(&j, 0);
        smc_out_putc(j.b, '}');
    }
    smc_out_putc(j.b, '\n');
}

void smc_emit_jsonschema(smc_ctx *ctx, bool openapi, sm_buf *out)
{
    job jb = {openapi, out};
    smc_out_run(ctx, run, &jb);
}
