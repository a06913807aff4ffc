/*
 * ast.c: the builders the grammar actions call.  They allocate nodes in
 * the arena, copy names, decode strings, and report the few errors that
 * are best seen at parse time (a misplaced module, 2^63 without a minus).
 */
#include "ast.h"

#include <stdlib.h>
#include <string.h>

static void *node(smc_parse *p, size_t n)
{
    return smc_alloc(p->ctx, n);
}

smc_span smc_ast_span(smc_parse *p, smc_token t)
{
    smc_span s = {p->file->source, t.off, t.len};
    return s;
}

smc_name smc_ast_name(smc_parse *p, smc_token t)
{
    smc_name n;
    n.s = smc_strndup(p->ctx, p->text + t.off, t.len);
    n.span = smc_ast_span(p, t);
    return n;
}

smc_span smc_span_join(smc_span a, smc_span b)
{
    if (a.len == 0 && a.off == 0)
        return b;
    uint32_t end = b.off + b.len > a.off + a.len ? b.off + b.len : a.off + a.len;
    uint32_t start = a.off < b.off ? a.off : b.off;
    smc_span s = {a.file, start, end - start};
    return s;
}

/* ---- Lists ----------------------------------------------------------------- */

/* Lists are built by appending; the parser keeps the tail of every list
 * by its head, so a long list costs O(1) per item even when other lists
 * are built between its items (call arguments holding calls). */
static smc_tail *tail_slot(const smc_parse *p, const void *head)
{
    uintptr_t x = (uintptr_t)head >> 4;
    x ^= x >> 17;
    x *= (uintptr_t)0x9E3779B97F4A7C15u;
    for (size_t i = (size_t)(x ^ (x >> 29)) & (p->captails - 1);; i = (i + 1) & (p->captails - 1))
        if (!p->tails[i].head || p->tails[i].head == head)
            return &p->tails[i];
}

static void set_tail(smc_parse *p, void *head, void *tail)
{
    if (2 * (p->ntails + 1) > p->captails) {
        smc_tail *old = p->tails;
        size_t n = p->captails;
        p->captails = n ? 2 * n : 64;
        p->tails = smc_alloc(p->ctx, p->captails * sizeof *p->tails);
        for (size_t i = 0; i < n; i++)
            if (old[i].head)
                *tail_slot(p, old[i].head) = old[i];
    }
    smc_tail *t = tail_slot(p, head);
    if (!t->head)
        p->ntails++;
    t->head = head;
    t->tail = tail;
}

static void *get_tail(const smc_parse *p, const void *head)
{
    if (!p->captails)
        return NULL;
    smc_tail *t = tail_slot(p, head);
    return t->head ? t->tail : NULL;
}

#define APPEND(T, list, item)                                                        \
    do {                                                                             \
        if (!(list)) {                                                               \
            set_tail(p, (item), (item));                                             \
            return (item);                                                           \
        }                                                                            \
        T *tail_ = get_tail(p, (list));                                              \
        if (!tail_)                                                                  \
            tail_ = (list);                                                          \
        while (tail_->next)                                                          \
            tail_ = tail_->next;                                                     \
        tail_->next = (item);                                                        \
        set_tail(p, (list), (item));                                                 \
        return (list);                                                               \
    } while (0)

smc_member *smc_ast_members_add(smc_parse *p, smc_member *list, smc_member *m) { APPEND(smc_member, list, m); }
smc_item *smc_ast_items_add(smc_parse *p, smc_item *list, smc_item *it) { APPEND(smc_item, list, it); }
smc_ident *smc_ast_idents_add(smc_parse *p, smc_ident *list, smc_ident *id) { APPEND(smc_ident, list, id); }
smc_targ *smc_ast_targs_add(smc_parse *p, smc_targ *list, smc_targ *a) { APPEND(smc_targ, list, a); }
smc_attr *smc_ast_attrs_add(smc_parse *p, smc_attr *list, smc_attr *a) { APPEND(smc_attr, list, a); }
smc_arg *smc_ast_args_add(smc_parse *p, smc_arg *list, smc_arg *a) { APPEND(smc_arg, list, a); }
smc_expr *smc_ast_exprs_add(smc_parse *p, smc_expr *list, smc_expr *e) { APPEND(smc_expr, list, e); }
smc_param *smc_ast_params_add(smc_parse *p, smc_param *list, smc_param *q) { APPEND(smc_param, list, q); }
smc_rawsql *smc_ast_rawsqls_add(smc_parse *p, smc_rawsql *list, smc_rawsql *r) { APPEND(smc_rawsql, list, r); }
smc_selitem *smc_ast_selitems_add(smc_parse *p, smc_selitem *list, smc_selitem *it) { APPEND(smc_selitem, list, it); }
smc_join *smc_ast_joins_add(smc_parse *p, smc_join *list, smc_join *j) { APPEND(smc_join, list, j); }
smc_order *smc_ast_orders_add(smc_parse *p, smc_order *list, smc_order *o) { APPEND(smc_order, list, o); }
smc_set *smc_ast_sets_add(smc_parse *p, smc_set *list, smc_set *s) { APPEND(smc_set, list, s); }

smc_ident *smc_ast_ident(smc_parse *p, smc_name name)
{
    smc_ident *id = node(p, sizeof *id);
    id->name = name;
    return id;
}

/* Room for `more` bytes (and a NUL) after the first `len` of owner's
 * text, which is `text` unless owner is the text being joined. */
static char *join_room(smc_parse *p, const void *owner, const char *text, size_t len, size_t more)
{
    if (p->join_owner == owner && p->join_buf == text && len + more < p->join_cap)
        return p->join_buf;
    size_t cap = 2 * (len + more) + 16;
    char *buf = smc_alloc(p->ctx, cap);
    memcpy(buf, text, len);
    p->join_owner = owner;
    p->join_buf = buf;
    p->join_cap = cap;
    return buf;
}

smc_ident *smc_ast_path_add(smc_parse *p, smc_ident *path, smc_name name)
{
    if (path->nparts == 0) {
        path->parts = smc_grow(p->ctx, NULL, 0, sizeof *path->parts);
        path->parts[path->nparts++] = path->name;
    }
    path->parts = smc_grow(p->ctx, path->parts, path->nparts, sizeof *path->parts);
    path->parts[path->nparts++] = name;
    size_t len = strlen(path->name.s), n = strlen(name.s);
    char *s = join_room(p, path, path->name.s, len, n + 1);
    s[len] = '.';
    memcpy(s + len + 1, name.s, n + 1);
    path->name.s = s;
    path->name.span = smc_span_join(path->name.span, name.span);
    return path;
}

/* ---- Declarations -------------------------------------------------------------- */

static smc_decl *decl(smc_parse *p, int kind, smc_span kw, smc_name name, smc_attr *attrs,
                      smc_span end)
{
    smc_decl *d = node(p, sizeof *d);
    d->kind = (uint8_t)kind;
    d->name = name;
    d->attrs = attrs;
    d->span = smc_span_join(kw, end);
    d->file = p->file;
    return d;
}

void smc_ast_decl(smc_parse *p, smc_decl *d)
{
    p->ndecls++;
    if (!d)
        return;
    if (p->last_decl)
        p->last_decl->next = d;
    else
        p->file->decls = d;
    p->last_decl = d;
}

smc_decl *smc_ast_module(smc_parse *p, smc_span kw, smc_name name, smc_attr *attrs, smc_span end)
{
    smc_file *f = p->file;
    smc_span whole = smc_span_join(kw, end);
    if (f->module.s) {
        smc_diag *d = smc_error(p->ctx, whole, SMC_E_MODULE_POS, "a file has one 'module' declaration");
        smc_note(p->ctx, d, &f->module_span, "the module is declared here");
    } else if (f->decls) {
        smc_diag *d = smc_error(p->ctx, whole, SMC_E_MODULE_POS,
                                "'module' must be the first declaration");
        smc_note(p->ctx, d, &f->decls->span, "first declaration is here");
        f->module = name; /* avoid a second, missing-module error */
        f->module_span = whole;
    } else {
        f->module = name;
        f->module_attrs = attrs;
        f->module_span = whole;
    }
    return NULL;
}

smc_decl *smc_ast_import(smc_parse *p, smc_span kw, smc_expr *path, smc_span end)
{
    smc_name n = {path->sval, path->span};
    return decl(p, SMC_D_IMPORT, kw, n, NULL, end);
}

smc_decl *smc_ast_type(smc_parse *p, smc_span kw, smc_name name, smc_typeref *t, smc_attr *attrs,
                       smc_span end)
{
    smc_decl *d = decl(p, SMC_D_TYPE, kw, name, attrs, end);
    d->alias = t;
    return d;
}

smc_decl *smc_ast_enum(smc_parse *p, smc_span kw, smc_name name, smc_attr *attrs,
                       smc_member *members, smc_span end)
{
    smc_decl *d = decl(p, SMC_D_ENUM, kw, name, attrs, end);
    d->members = members;
    uint32_t i = 0;
    for (smc_member *m = members; m; m = m->next)
        m->index = i++;
    d->nmembers = i;
    return d;
}

smc_member *smc_ast_member(smc_parse *p, smc_name name, smc_attr *attrs)
{
    smc_member *m = node(p, sizeof *m);
    m->name = name;
    m->attrs = attrs;
    return m;
}

/* Splits a body into its fields and constraints, keeping the item order. */
static void body(smc_decl *d, smc_item *items)
{
    smc_field **ftail = &d->fields;
    smc_constraint **ctail = &d->constraints;
    d->items = items;
    for (smc_item *it = items; it; it = it->next) {
        if (it->field) {
            it->field->owner = d;
            *ftail = it->field;
            ftail = &it->field->next;
        } else {
            *ctail = it->constraint;
            ctail = &it->constraint->next;
        }
    }
}

smc_decl *smc_ast_model(smc_parse *p, smc_span kw, bool is_table, smc_name name, smc_ident *bases,
                        smc_attr *attrs, smc_item *items, smc_span lbrace, smc_span rbrace)
{
    smc_decl *d = decl(p, SMC_D_MODEL, kw, name, attrs, rbrace);
    d->is_table = is_table;
    d->bases = bases;
    d->body_span = smc_span_join(lbrace, rbrace);
    body(d, items);
    return d;
}

smc_decl *smc_ast_partial(smc_parse *p, smc_span kw, smc_name name, smc_ident *bases,
                          smc_attr *attrs, smc_name base, smc_span end)
{
    smc_decl *d = decl(p, SMC_D_MODEL, kw, name, attrs, end);
    if (bases) { /* the declaration is lost, as after a syntax error */
        smc_error(p->ctx, bases->name.span, SMC_E_BASE,
                  "a partial model copies '%s' and has no bases of its own", base.s);
        p->failed = true;
    }
    d->partial_of = base;
    return d;
}

smc_decl *smc_ast_row(smc_parse *p, smc_span kw, smc_name name, smc_item *items, smc_span lbrace,
                      smc_span rbrace)
{
    smc_decl *d = decl(p, SMC_D_ROW, kw, name, NULL, rbrace);
    d->body_span = smc_span_join(lbrace, rbrace);
    body(d, items);
    return d;
}

smc_item *smc_ast_field(smc_parse *p, smc_name name, smc_typeref *t, smc_attr *attrs,
                        smc_expr *deflt, smc_span end)
{
    smc_field *f = node(p, sizeof *f);
    f->name = name;
    f->type = t;
    f->attrs = attrs;
    f->deflt = deflt;
    f->span = smc_span_join(name.span, end);
    smc_item *it = node(p, sizeof *it);
    it->field = f;
    return it;
}

smc_item *smc_ast_constraint(smc_parse *p, smc_span kw, int kind, smc_ident *cols, smc_expr *check,
                             smc_span end)
{
    smc_constraint *c = node(p, sizeof *c);
    c->kind = (uint8_t)kind;
    c->cols = cols;
    c->check = check;
    c->span = smc_span_join(kw, end);
    smc_item *it = node(p, sizeof *it);
    it->constraint = c;
    return it;
}

/* ---- Types and attributes ---------------------------------------------------------- */

smc_typeref *smc_ast_typeref(smc_parse *p, smc_name name, smc_targ *args, bool has_args,
                             bool nullable, smc_span end)
{
    smc_typeref *t = node(p, sizeof *t);
    t->name = name;
    t->args = args;
    t->has_args = has_args;
    t->nullable = nullable;
    t->span = smc_span_join(name.span, end);
    return t;
}

smc_typeref *smc_ast_typeref_list(smc_parse *p, smc_span lbracket, smc_name name, smc_span end)
{
    smc_typeref *t = node(p, sizeof *t);
    t->name = name;
    t->list = true;
    t->span = smc_span_join(lbracket, end);
    return t;
}

smc_targ *smc_ast_targ_int(smc_parse *p, smc_token t)
{
    smc_targ *a = node(p, sizeof *a);
    a->is_int = true;
    a->ival = t.ival;
    a->span = smc_ast_span(p, t);
    if (t.ival == INT64_MIN) { /* the declaration is lost, as after a syntax error */
        smc_error(p->ctx, a->span, SMC_E_NUMBER, "integer literal out of range");
        p->failed = true;
    }
    return a;
}

smc_targ *smc_ast_targ_name(smc_parse *p, smc_name name)
{
    smc_targ *a = node(p, sizeof *a);
    a->name = name;
    a->span = name.span;
    return a;
}

smc_attr *smc_ast_attr(smc_parse *p, smc_token at, smc_arg *args, bool has_parens, smc_span end)
{
    smc_attr *a = node(p, sizeof *a);
    at.off++; /* drop the '@' */
    at.len--;
    a->name = smc_ast_name(p, at);
    a->name.span.off--; /* but point at it */
    a->name.span.len++;
    a->args = args;
    a->has_parens = has_parens;
    for (smc_arg *g = args; g; g = g->next)
        a->nargs++;
    a->span = smc_span_join(a->name.span, end);
    return a;
}

smc_arg *smc_ast_arg(smc_parse *p, smc_name label, smc_expr *value)
{
    smc_arg *g = node(p, sizeof *g);
    g->label = label;
    g->value = value;
    g->span = label.s ? smc_span_join(label.span, value->span) : value->span;
    return g;
}

/* ---- Expressions ------------------------------------------------------------------------ */

static smc_expr *expr(smc_parse *p, int kind, smc_span span)
{
    smc_expr *e = node(p, sizeof *e);
    e->kind = (uint8_t)kind;
    e->span = span;
    e->depth = 1;
    return e;
}

/* Later passes walk expressions recursively, so their height is bounded
 * here: left-deep chains (`a + b + c ...`) do not grow the parser stack. */
enum { MAX_EXPR_DEPTH = 200 };

static smc_expr *bounded(smc_parse *p, smc_expr *e)
{
    smc_expr *kids[] = {e->a, e->b, e->c};
    unsigned d = 0;
    for (size_t i = 0; i < 3; i++)
        if (kids[i] && kids[i]->depth > d)
            d = kids[i]->depth;
    for (smc_expr *a = e->args; a; a = a->next)
        if (a->depth > d)
            d = a->depth;
    e->depth = (uint16_t)(d + 1);
    if (e->depth > MAX_EXPR_DEPTH && !p->failed) {
        smc_error(p->ctx, e->span, SMC_E_TOO_DEEP, "expression nested too deeply (more than %d levels)",
                  MAX_EXPR_DEPTH);
        p->failed = true;
    }
    return e;
}

smc_expr *smc_ast_int(smc_parse *p, smc_token t)
{
    smc_expr *e = expr(p, SMC_EX_INT, smc_ast_span(p, t));
    e->ival = t.ival; /* INT64_MIN here means 2^63: checked in smc_ast_unary / sema */
    return e;
}

smc_expr *smc_ast_float(smc_parse *p, smc_token t)
{
    smc_expr *e = expr(p, SMC_EX_FLOAT, smc_ast_span(p, t));
    char *text = smc_strndup(p->ctx, p->text + t.off, t.len);
    e->fval = strtod(text, NULL);
    if (e->fval > 1.7976931348623157e308) { /* the declaration is lost */
        smc_error(p->ctx, e->span, SMC_E_NUMBER, "floating-point literal out of range");
        p->failed = true;
    }
    return e;
}

smc_expr *smc_ast_duration(smc_parse *p, smc_token t)
{
    smc_expr *e = expr(p, SMC_EX_DURATION, smc_ast_span(p, t));
    e->ival = t.ival;
    return e;
}

/* Appends the UTF-8 encoding of cp. */
static size_t utf8_put(char *out, unsigned long cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Decodes a string token the lexer has validated (quotes included) into
 * out, which has room for its length; returns the bytes written. */
static size_t decode(smc_parse *p, char *out, smc_token t)
{
    const char *s = p->text + t.off + 1, *end = p->text + t.off + t.len - 1;
    size_t n = 0;
    while (s < end) {
        if (*s != '\\') {
            out[n++] = *s++;
            continue;
        }
        switch (s[1]) {
        case 'n': out[n++] = '\n'; s += 2; break;
        case 't': out[n++] = '\t'; s += 2; break;
        case 'u': {
            unsigned long cp = strtoul(s + 3, (char **)&s, 16);
            s++; /* '}' */
            n += utf8_put(out + n, cp);
            break;
        }
        default: out[n++] = s[1]; s += 2; break; /* \\ and \" */
        }
    }
    out[n] = 0;
    return n;
}

smc_expr *smc_ast_string(smc_parse *p, smc_token t)
{
    smc_expr *e = expr(p, SMC_EX_STRING, smc_ast_span(p, t));
    char *out = smc_alloc(p->ctx, t.len);
    e->slen = decode(p, out, t);
    e->sval = out;
    return e;
}

/* Adjacent literals: decoded onto the end of the text joined so far. */
smc_expr *smc_ast_string_cat(smc_parse *p, smc_expr *s, smc_token t)
{
    char *out = join_room(p, s, s->sval, s->slen, t.len);
    s->slen += decode(p, out + s->slen, t);
    s->sval = out;
    s->span = smc_span_join(s->span, smc_ast_span(p, t));
    return s;
}

smc_expr *smc_ast_literal(smc_parse *p, smc_span at, int kind, int64_t v)
{
    smc_expr *e = expr(p, kind, at);
    e->ival = v;
    return e;
}

smc_expr *smc_ast_column(smc_parse *p, smc_name qual, smc_name name)
{
    smc_expr *e = expr(p, SMC_EX_NAME, qual.s ? smc_span_join(qual.span, name.span) : name.span);
    e->qual = qual;
    e->name = name;
    return e;
}

smc_expr *smc_ast_param(smc_parse *p, smc_span colon, smc_name name, bool optional, smc_span end)
{
    smc_expr *e = expr(p, SMC_EX_PARAM, smc_span_join(colon, end));
    e->name = name;
    e->optional = optional;
    return e;
}

smc_expr *smc_ast_call(smc_parse *p, smc_name name, smc_expr *args, smc_span end)
{
    smc_expr *e = expr(p, SMC_EX_CALL, smc_span_join(name.span, end));
    e->name = name;
    e->args = args;
    for (smc_expr *a = args; a; a = a->next)
        e->nargs++;
    return bounded(p, e);
}

smc_expr *smc_ast_unary(smc_parse *p, smc_span at, int op, smc_expr *a)
{
    /* Fold -literal so that INT64_MIN and negative defaults stay literals. */
    if (op == SMC_OP_NEG && !a->parens && a->kind == SMC_EX_INT && a->op != SMC_OP_NEG) {
        /* 2^63 arrived as INT64_MIN, which is now its true value; op
         * marks the literal as negated so sema accepts it. */
        if (a->ival != INT64_MIN)
            a->ival = -a->ival;
        a->span = smc_span_join(at, a->span);
        a->op = SMC_OP_NEG;
        return a;
    }
    if (op == SMC_OP_NEG && !a->parens && a->kind == SMC_EX_FLOAT) {
        a->fval = -a->fval;
        a->span = smc_span_join(at, a->span);
        return a;
    }
    smc_expr *e = expr(p, SMC_EX_UNARY, smc_span_join(at, a->span));
    e->op = (uint8_t)op;
    e->a = a;
    return bounded(p, e);
}

smc_expr *smc_ast_binary(smc_parse *p, int op, smc_expr *a, smc_expr *b)
{
    smc_expr *e = expr(p, SMC_EX_BINARY, smc_span_join(a->span, b->span));
    e->op = (uint8_t)op;
    e->a = a;
    e->b = b;
    return bounded(p, e);
}

smc_expr *smc_ast_like(smc_parse *p, smc_expr *a, int negated, smc_expr *b)
{
    smc_expr *e = smc_ast_binary(p, SMC_OP_LIKE, a, b);
    e->negated = negated != 0;
    return e;
}

smc_expr *smc_ast_is_null(smc_parse *p, smc_expr *a, bool negated, smc_span end)
{
    smc_expr *e = expr(p, SMC_EX_IS_NULL, smc_span_join(a->span, end));
    e->a = a;
    e->negated = negated;
    return bounded(p, e);
}

smc_expr *smc_ast_between(smc_parse *p, smc_expr *a, int negated, smc_expr *lo, smc_expr *hi)
{
    smc_expr *e = expr(p, SMC_EX_BETWEEN, smc_span_join(a->span, hi->span));
    e->a = a;
    e->b = lo;
    e->c = hi;
    e->negated = negated != 0;
    return bounded(p, e);
}

smc_expr *smc_ast_in_param(smc_parse *p, smc_expr *a, int negated, smc_expr *param)
{
    smc_expr *e = expr(p, SMC_EX_IN, smc_span_join(a->span, param->span));
    e->a = a;
    e->b = param;
    e->negated = negated != 0;
    return bounded(p, e);
}

smc_expr *smc_ast_in_select(smc_parse *p, smc_expr *a, int negated, smc_select *s, smc_span end)
{
    smc_expr *e = expr(p, SMC_EX_IN, smc_span_join(a->span, end));
    e->a = a;
    e->sub = s;
    e->negated = negated != 0;
    return bounded(p, e);
}

smc_expr *smc_ast_exists(smc_parse *p, smc_span kw, smc_select *s, smc_span end)
{
    smc_expr *e = expr(p, SMC_EX_EXISTS, smc_span_join(kw, end));
    e->sub = s;
    return e;
}

smc_expr *smc_ast_subquery(smc_parse *p, smc_span lparen, smc_select *s, smc_span end)
{
    smc_expr *e = expr(p, SMC_EX_SUBQUERY, smc_span_join(lparen, end));
    e->sub = s;
    return e;
}

smc_expr *smc_ast_parens(smc_parse *p, smc_span lparen, smc_expr *e, smc_span rparen)
{
    (void)p;
    e->parens = true;
    e->span = smc_span_join(lparen, rparen);
    return e;
}

/* ---- Queries and statements ---------------------------------------------------------------- */

smc_decl *smc_ast_query(smc_parse *p, smc_span kw, smc_name name, smc_param *params, smc_ret ret,
                        smc_attr *attrs, smc_stmt *stmt, smc_rawsql *raw, smc_span end)
{
    smc_decl *d = decl(p, SMC_D_QUERY, kw, name, attrs, end);
    smc_query *q = node(p, sizeof *q);
    q->params = params;
    for (smc_param *x = params; x; x = x->next)
        x->index = q->nparams++;
    q->ret = ret;
    q->stmt = stmt;
    q->raw = raw;
    d->query = q;
    return d;
}

smc_param *smc_ast_param_decl(smc_parse *p, smc_name name, smc_typeref *t)
{
    smc_param *q = node(p, sizeof *q);
    q->name = name;
    q->type = t;
    q->span = smc_span_join(name.span, t->span);
    return q;
}

smc_ret smc_ast_ret(smc_parse *p, smc_span start, int kind, smc_name type, smc_ident *with,
                    smc_span end)
{
    smc_ret r;
    (void)p;
    r.kind = (uint8_t)kind;
    r.type = type;
    r.with = with;
    smc_span last = end;
    for (smc_ident *w = with; w; w = w->next)
        last = smc_span_join(last, w->name.span);
    r.span = smc_span_join(start, last);
    return r;
}

smc_rawsql *smc_ast_rawsql(smc_parse *p, smc_name dialect, smc_expr *str)
{
    smc_rawsql *r = node(p, sizeof *r);
    r->dialect = dialect;
    r->sql = str->sval;
    r->span = dialect.s ? smc_span_join(dialect.span, str->span) : str->span;
    return r;
}

smc_select *smc_ast_select(smc_parse *p, smc_span kw, int distinct, smc_selitem *items,
                           smc_name from, smc_join *joins, smc_expr *where, smc_expr *group_by,
                           smc_expr *having, smc_order *order, smc_limit limit, smc_dirspec lock)
{
    smc_select *s = node(p, sizeof *s);
    s->distinct = distinct != 0;
    s->items = items;
    s->from = from;
    s->joins = joins;
    s->where = where;
    s->group_by = group_by;
    s->having = having;
    s->order = order;
    s->limit = limit.limit;
    s->offset = limit.offset;
    s->lock = (uint8_t)lock.value;
    smc_span end = kw;
    for (smc_selitem *it = items; it; it = it->next)
        end = smc_span_join(end, it->span);
    if (from.s)
        end = smc_span_join(end, from.span);
    for (smc_join *j = joins; j; j = j->next)
        end = smc_span_join(end, j->span);
    smc_expr *tails[] = {where, having, limit.limit, limit.offset};
    for (size_t k = 0; k < sizeof tails / sizeof tails[0]; k++)
        if (tails[k])
            end = smc_span_join(end, tails[k]->span);
    for (smc_expr *g = group_by; g; g = g->next)
        end = smc_span_join(end, g->span);
    for (smc_order *o = order; o; o = o->next)
        end = smc_span_join(end, o->span);
    if (lock.value)
        end = smc_span_join(end, lock.span);
    s->span = end;
    return s;
}

smc_selitem *smc_ast_selitem(smc_parse *p, smc_expr *e, smc_name alias)
{
    smc_selitem *it = node(p, sizeof *it);
    it->expr = e;
    it->alias = alias;
    it->span = alias.s ? smc_span_join(e->span, alias.span) : e->span;
    return it;
}

smc_join *smc_ast_join(smc_parse *p, smc_span kw, bool left, smc_name model, smc_expr *on)
{
    smc_join *j = node(p, sizeof *j);
    j->left = left;
    j->model = model;
    j->on = on;
    j->span = smc_span_join(kw, on ? on->span : model.span);
    return j;
}

smc_dirspec smc_ast_dir(smc_parse *p, int value, const smc_token *kw)
{
    smc_dirspec d;
    memset(&d, 0, sizeof d);
    d.value = value;
    if (kw)
        d.span = smc_ast_span(p, *kw);
    return d;
}

smc_dirspec smc_ast_dir_param(smc_parse *p, smc_span colon, smc_name param)
{
    smc_dirspec d;
    (void)p;
    memset(&d, 0, sizeof d);
    d.param = param;
    d.span = d.param.span = smc_span_join(colon, param.span); /* carets cover ':n' */
    return d;
}

smc_order *smc_ast_order(smc_parse *p, smc_expr *e, smc_dirspec dir, smc_dirspec nulls)
{
    smc_order *o = node(p, sizeof *o);
    o->expr = e;
    o->dir = (uint8_t)dir.value;
    o->dir_param = dir.param;
    o->nulls = (uint8_t)nulls.value;
    smc_span end = e->span;
    if (dir.span.len)
        end = smc_span_join(end, dir.span);
    if (nulls.span.len)
        end = smc_span_join(end, nulls.span);
    o->span = end;
    return o;
}

static smc_stmt *stmt(smc_parse *p, int kind, smc_span span)
{
    smc_stmt *s = node(p, sizeof *s);
    s->kind = (uint8_t)kind;
    s->span = span;
    return s;
}

static smc_span returning_end(smc_span end, smc_selitem *returning)
{
    for (smc_selitem *it = returning; it; it = it->next)
        end = smc_span_join(end, it->span);
    return end;
}

smc_stmt *smc_ast_stmt_select(smc_parse *p, smc_select *s)
{
    smc_stmt *st = stmt(p, SMC_S_SELECT, s->span);
    st->select = s;
    return st;
}

smc_stmt *smc_ast_stmt_insert(smc_parse *p, smc_span kw, smc_name target, smc_ident *cols,
                              smc_expr *values, smc_span values_end, smc_conflict *c,
                              smc_selitem *returning)
{
    smc_span end = values_end;
    if (c)
        end = smc_span_join(end, c->span);
    smc_stmt *st = stmt(p, SMC_S_INSERT, smc_span_join(kw, returning_end(end, returning)));
    st->target = target;
    st->cols = cols;
    st->values = values;
    st->conflict = c;
    st->returning = returning;
    st->has_returning = returning != NULL;
    return st;
}

smc_stmt *smc_ast_stmt_update(smc_parse *p, smc_span kw, smc_name target, smc_set *sets,
                              smc_expr *where, smc_selitem *returning)
{
    smc_span end = target.span;
    for (smc_set *s = sets; s; s = s->next)
        end = smc_span_join(end, s->span);
    if (where)
        end = smc_span_join(end, where->span);
    smc_stmt *st = stmt(p, SMC_S_UPDATE, smc_span_join(kw, returning_end(end, returning)));
    st->target = target;
    st->sets = sets;
    st->where = where;
    st->returning = returning;
    st->has_returning = returning != NULL;
    return st;
}

smc_stmt *smc_ast_stmt_delete(smc_parse *p, smc_span kw, smc_name target, smc_expr *where,
                              smc_selitem *returning)
{
    smc_span end = where ? smc_span_join(target.span, where->span) : target.span;
    smc_stmt *st = stmt(p, SMC_S_DELETE, smc_span_join(kw, returning_end(end, returning)));
    st->target = target;
    st->where = where;
    st->returning = returning;
    st->has_returning = returning != NULL;
    return st;
}

smc_set *smc_ast_set(smc_parse *p, smc_name col, smc_expr *value)
{
    smc_set *s = node(p, sizeof *s);
    s->col = col;
    s->value = value;
    s->span = smc_span_join(col.span, value->span);
    return s;
}

smc_conflict *smc_ast_conflict(smc_parse *p, smc_span kw, smc_ident *cols, bool nothing,
                               smc_set *sets, smc_span end)
{
    smc_conflict *c = node(p, sizeof *c);
    c->cols = cols;
    c->do_nothing = nothing;
    c->sets = sets;
    smc_span last = end;
    for (smc_set *s = sets; s; s = s->next)
        last = smc_span_join(last, s->span);
    c->span = smc_span_join(kw, last);
    return c;
}
