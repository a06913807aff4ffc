/*
 * sema_model.c: models, tables and rows.  Flattens inheritance (bases'
 * fields first, depth first, left to right), applies field attributes,
 * resolves keys, constraints and foreign keys, then relationships
 * (sema_rel.c) once every table's columns are known.  Constants and
 * defaults are in sema_const.c.
 */
#include "sema_int.h"

#include <regex.h>
#include <stdlib.h>
#include <string.h>

const char *smc_model_kind(const smc_model *m)
{
    return m->is_table ? "table" : m->is_row ? "row" : "model";
}

static smc_model *new_model(smc_checker *ck, smc_decl *d)
{
    smc_model *m = smc_alloc(ck->ctx, sizeof *m);
    m->decl = d;
    m->name = d->name.s;
    m->snake = smc_snake(ck->ctx, d->name.s);
    m->upper = smc_upper(ck->ctx, d->name.s);
    m->is_table = d->kind == SMC_D_MODEL && d->is_table;
    m->is_row = d->kind == SMC_D_ROW;
    m->is_partial = d->partial_of.s != NULL;
    m->own = d->file == ck->out->main;
    d->model = m;
    return m;
}

/* ---- The index of columns by name ------------------------------------------------ */

static uint32_t name_hash(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* The slot of name in m's index: the one holding it, or the empty one
 * where it would go. */
static uint32_t *index_slot(const smc_model *m, const char *name)
{
    uint32_t mask = m->col_index_cap - 1;
    for (uint32_t i = name_hash(name) & mask;; i = (i + 1) & mask) {
        uint32_t v = m->col_index[i];
        if (v == 0 || strcmp(m->cols[v - 1]->name, name) == 0)
            return &m->col_index[i];
    }
}

/* Indexes m->cols[i]; the index keeps a load under one half. */
static void index_col(smc_checker *ck, smc_model *m, uint32_t i)
{
    if (2 * (m->ncols + 1) > m->col_index_cap) {
        uint32_t cap = m->col_index_cap ? 2 * m->col_index_cap : 16;
        m->col_index = smc_alloc(ck->ctx, cap * sizeof *m->col_index);
        m->col_index_cap = cap;
        for (uint32_t k = 0; k < i; k++)
            *index_slot(m, m->cols[k]->name) = k + 1;
    }
    *index_slot(m, m->cols[i]->name) = i + 1;
}

smc_col *smc_find_col(const smc_model *m, const char *name)
{
    if (!m->col_index) { /* rows a query defines are small and not indexed */
        for (uint32_t i = 0; i < m->ncols; i++)
            if (strcmp(m->cols[i]->name, name) == 0)
                return m->cols[i];
        return NULL;
    }
    uint32_t v = *index_slot(m, name);
    return v ? m->cols[v - 1] : NULL;
}

void smc_unknown_field(smc_checker *ck, smc_model *m, smc_span at, const char *name)
{
    if (m->incomplete) /* a base failed: the field may be one it would bring */
        return;
    smc_diag *d = smc_error(ck->ctx, at, SMC_E_UNKNOWN_FIELD, "%s '%s' has no field '%s'",
                            smc_model_kind(m), m->name, name);
    if (d->hidden)
        return;
    const char **names = smc_alloc(ck->ctx, (m->ncols + 1) * sizeof *names);
    for (uint32_t i = 0; i < m->ncols; i++)
        names[i] = m->cols[i]->name;
    smc_suggest(ck->ctx, d, name, names, m->ncols);
}

/* Appends c to m's columns unless m has a field of that name already.
 * A copy of m's own (not `shared` with a base) gets m as its owner. */
static void add_col(smc_checker *ck, smc_model *m, smc_col *c, const smc_name *base, bool shared)
{
    smc_col *old = smc_find_col(m, c->name);
    if (old) {
        smc_diag *d;
        if (base)
            d = smc_error(ck->ctx, base->span, SMC_E_DUPLICATE,
                          "'%s' brings field '%s', already declared in %s '%s'", base->s, c->name,
                          smc_model_kind(m), m->name);
        else
            d = smc_error(ck->ctx, c->field->name.span, SMC_E_DUPLICATE,
                          "field '%s' is already declared in %s '%s'", c->name, smc_model_kind(m),
                          m->name);
        smc_note(ck->ctx, d, &old->field->name.span, "previous declaration is here");
        return;
    }
    m->cols = smc_grow(ck->ctx, m->cols, m->ncols, sizeof *m->cols);
    if (!shared) {
        c->owner = m;
        c->index = m->ncols;
    }
    m->cols[m->ncols++] = c;
    index_col(ck, m, m->ncols - 1);
}

/* ---- Field attributes ------------------------------------------------------------------- */

static bool type_is(const smc_type *t, const char *what)
{
    if (strcmp(what, "text") == 0)
        return t->base == SMC_B_TEXT;
    if (strcmp(what, "len") == 0)
        return t->base == SMC_B_TEXT || t->base == SMC_B_BYTES;
    if (strcmp(what, "number") == 0)
        return smc_type_is_numeric(t);
    return false;
}

/* An attribute on the wrong type; quiet when the type itself failed. */
static void wrong_type(smc_checker *ck, smc_attr *a, const smc_type *t, const char *need)
{
    if (t->base != SMC_B_ERROR)
        smc_error(ck->ctx, a->name.span, SMC_E_ATTR_TYPE, "'@%s' applies to %s, not to '%s'",
                  a->name.s, need, smc_type_name(ck->ctx, t));
    a->used = a->bad = true;
}

/* A bound given as a literal, in the representation of the column. */
static bool bound_value(smc_checker *ck, smc_attr *a, smc_col *c, int64_t *i, double *d)
{
    smc_expr *e;
    if (!smc_attr_number(ck, a, &e))
        return false;
    const smc_type *t = &c->type;
    if (t->base == SMC_B_FLOAT) {
        *d = e->kind == SMC_EX_INT ? (double)e->ival : e->fval;
        return true;
    }
    if (t->base == SMC_B_DECIMAL) {
        const char *text;
        size_t n;
        smc_literal_text(ck, e, &text, &n);
        if (sm_decimal_parse(text, n, 18, t->scale, i) != SM_OK) {
            smc_error(ck->ctx, e->span, SMC_E_ATTR_ARGS, "'@%s' bound %.*s has more than %u decimals",
                      a->name.s, (int)n, text, t->scale);
            return false;
        }
        return true;
    }
    if (e->kind != SMC_EX_INT) {
        smc_error(ck->ctx, e->span, SMC_E_ATTR_ARGS, "'@%s' on an integer field takes an integer",
                  a->name.s);
        return false;
    }
    *i = e->ival;
    return true;
}

/* Validation attributes: shared by fields and refined types.  A refined
 * type's attributes were checked at its declaration (check_refined) and
 * are applied again, quietly, to every field of that type. */
/* Any attribute of that name, used or not (smc_attr_find skips used ones). */
static smc_attr *attr_named(smc_attr *list, const char *name)
{
    for (; list; list = list->next)
        if (strcmp(list->name.s, name) == 0)
            return list;
    return NULL;
}

static bool attr_in(const smc_attr *list, const smc_attr *a)
{
    for (; list; list = list->next)
        if (list == a)
            return true;
    return false;
}

/* Where each bound came from, to point at a refined type's attribute. */
enum { FROM_MIN_LEN, FROM_MAX_LEN, FROM_LOWER, FROM_UPPER, FROM_N };

static void apply_validation(smc_checker *ck, smc_col *c, smc_attr *attrs, bool refined,
                             smc_attr **from)
{
    const smc_type *t = &c->type;
    for (smc_attr *a = attrs; a; a = a->next) {
        if (a->bad || (a->used && !refined))
            continue;
        int errors = ck->ctx->nerrors;
        const char *n = a->name.s;
        int64_t v;
        if (strcmp(n, "max_len") == 0 || strcmp(n, "min_len") == 0) {
            if (!type_is(t, "len")) {
                wrong_type(ck, a, t, "text and bytes");
                continue;
            }
            if (smc_attr_int(ck, a, strcmp(n, "max_len") == 0 ? 1 : 0, &v)) {
                if (n[1] == 'a')
                    c->max_len = (int32_t)v;
                else
                    c->min_len = (int32_t)v;
                from[n[1] == 'a' ? FROM_MAX_LEN : FROM_MIN_LEN] = a;
            }
        } else if (strcmp(n, "gt") == 0 || strcmp(n, "ge") == 0 || strcmp(n, "lt") == 0 ||
                   strcmp(n, "le") == 0) {
            if (!type_is(t, "number")) {
                wrong_type(ck, a, t, "numbers");
                continue;
            }
            int64_t i = 0;
            double d = 0;
            if (!bound_value(ck, a, c, &i, &d))
                continue;
            bool lower = n[0] == 'g';
            uint8_t bit = n[0] == 'g' ? (n[1] == 't' ? SM_B_GT : SM_B_GE)
                                      : (n[1] == 't' ? SM_B_LT : SM_B_LE);
            c->bounds &= (uint8_t)~(lower ? (SM_B_GT | SM_B_GE) : (SM_B_LT | SM_B_LE));
            c->bounds |= bit;
            from[lower ? FROM_LOWER : FROM_UPPER] = a;
            if (lower) {
                c->lo_i = i;
                c->lo_d = d;
            } else {
                c->hi_i = i;
                c->hi_d = d;
            }
        } else if (strcmp(n, "pattern") == 0) {
            const char *re;
            if (!type_is(t, "text")) {
                wrong_type(ck, a, t, "text");
                continue;
            }
            if (!smc_attr_string(ck, a, &re))
                continue;
            if (refined) { /* compiled once, where the type is declared */
                c->pattern = re;
                continue;
            }
            regex_t rx;
            int rc = regcomp(&rx, re, REG_EXTENDED | REG_NOSUB);
            if (rc != 0) {
                char why[128];
                regerror(rc, &rx, why, sizeof why);
                smc_error(ck->ctx, a->args->value->span, SMC_E_PATTERN,
                          "invalid regular expression: %s", why);
                continue;
            }
            regfree(&rx);
            c->pattern = re;
        } else if (strcmp(n, "check_fn") == 0) {
            const char *fn;
            if (smc_attr_name(ck, a, &fn))
                c->check_fn = fn;
        } else if (strcmp(n, "doc") == 0) {
            smc_attr_string(ck, a, &c->doc);
        } else {
            continue; /* not a validation attribute */
        }
        if (ck->ctx->nerrors != errors)
            a->bad = true;
        if (!refined)
            a->used = true;
    }
}

static void check_refined(smc_checker *ck, smc_decl *d)
{
    smc_col c;
    memset(&c, 0, sizeof c);
    c.type = d->alias->type;
    c.min_len = c.max_len = -1;
    if (c.type.base == SMC_B_ERROR)
        return;
    smc_attr *from[FROM_N] = {0};
    apply_validation(ck, &c, d->attrs, false, from);
    if (c.min_len >= 0 && c.max_len >= 0 && c.min_len > c.max_len)
        smc_error(ck->ctx, d->span, SMC_E_RANGE,
                  "no value of type '%s' can satisfy @min_len(%d) and @max_len(%d)", d->name.s,
                  c.min_len, c.max_len);
}

static bool bounds_empty(const smc_col *c)
{
    bool lo = c->bounds & (SM_B_GT | SM_B_GE), hi = c->bounds & (SM_B_LT | SM_B_LE);
    if (!lo || !hi)
        return false;
    bool strict = (c->bounds & (SM_B_GT | SM_B_LT)) != 0;
    if (c->type.base == SMC_B_FLOAT)
        return c->lo_d > c->hi_d || (c->lo_d == c->hi_d && strict);
    int64_t lo_v = c->lo_i, hi_v = c->hi_i;
    /* Integers: (a, b) holds an integer only if b - a >= 2. */
    if ((c->bounds & SM_B_GT) && lo_v < INT64_MAX)
        lo_v++;
    else if (c->bounds & SM_B_GT)
        return true;
    if ((c->bounds & SM_B_LT) && hi_v > INT64_MIN)
        hi_v--;
    else if (c->bounds & SM_B_LT)
        return true;
    return lo_v > hi_v;
}

static const char *const fk_labels[] = {"on_delete", "on_update", NULL};
static const char *const fk_actions[] = {"", "cascade", "set_null", "restrict", "no_action",
                                         "set_default", NULL};

static uint8_t fk_action(smc_checker *ck, smc_arg *g)
{
    if (!g)
        return SMC_FK_DEFAULT;
    smc_expr *e = g->value;
    if (e->kind == SMC_EX_NAME && !e->qual.s)
        for (uint8_t k = 1; fk_actions[k]; k++)
            if (strcmp(fk_actions[k], e->name.s) == 0)
                return k;
    smc_diag *d = smc_error(ck->ctx, e->span, SMC_E_ATTR_ARGS,
                            "'%s' must be one of cascade, set_null, restrict, no_action, set_default",
                            g->label.s);
    if (e->kind == SMC_EX_NAME)
        smc_suggest(ck->ctx, d, e->name.s, fk_actions + 1, 5);
    return SMC_FK_DEFAULT;
}

/* @fk(Model.field, on_delete: ..., on_update: ...): the target is
 * resolved later (targets may be declared after use). */
static void parse_fk(smc_checker *ck, smc_col *c, smc_attr *a)
{
    if (!smc_attr_labels(ck, a, fk_labels, 1))
        return;
    smc_expr *target = a->args && !a->args->label.s ? a->args->value : NULL;
    if (!target || target->kind != SMC_EX_NAME || !target->qual.s) {
        smc_error(ck->ctx, target ? target->span : a->span, SMC_E_ATTR_ARGS,
                  "'@fk' takes the referenced column as Model.field");
        a->bad = true;
        return;
    }
    c->on_delete = fk_action(ck, smc_attr_label(a, "on_delete"));
    c->on_update = fk_action(ck, smc_attr_label(a, "on_update"));
}

static void apply_field_attrs(smc_checker *ck, smc_model *m, smc_col *c)
{
    smc_field *f = c->field;
    const smc_type *t = &c->type;
    for (smc_attr *a = f->attrs; a; a = a->next) {
        if (a->used)
            continue;
        const char *n = a->name.s;
        /* Flags take their meaning even when given arguments by mistake:
         * the argument error is enough, without a missing-key cascade. */
        if (strcmp(n, "pk") == 0) {
            smc_attr_noargs(ck, a);
            c->pk = true;
        } else if (strcmp(n, "auto") == 0) {
            smc_attr_noargs(ck, a);
            c->autoinc = true;
        } else if (strcmp(n, "unique") == 0) {
            smc_attr_noargs(ck, a);
            c->unique = true;
        } else if (strcmp(n, "index") == 0) {
            smc_attr_noargs(ck, a);
            c->indexed = true;
        } else if (strcmp(n, "updated_at") == 0) {
            if (t->base != SMC_B_DATETIME) {
                wrong_type(ck, a, t, "datetime");
                continue;
            }
            if (smc_attr_noargs(ck, a))
                c->updated_at = true;
        } else if (strcmp(n, "fk") == 0) {
            parse_fk(ck, c, a);
            continue; /* resolved by resolve_fk */
        } else if (strcmp(n, "rel") == 0) {
            continue; /* resolved by resolve_rel */
        } else if (strcmp(n, "column") == 0) {
            smc_attr_string(ck, a, &c->column);
        } else if (strcmp(n, "json") == 0) {
            smc_expr *e = a->nargs == 1 && !a->args->label.s ? a->args->value : NULL;
            if (e && e->kind == SMC_EX_NAME && !e->qual.s && strcmp(e->name.s, "skip") == 0)
                c->json = NULL;
            else if (e && e->kind == SMC_EX_STRING && e->slen > 0)
                c->json = e->sval;
            else
                smc_error(ck->ctx, a->span, SMC_E_ATTR_ARGS,
                          "'@json' on a field takes a key name (\"name\") or skip");
        } else if (strcmp(n, "was") == 0) {
            smc_expr *e = a->nargs == 1 && !a->args->label.s ? a->args->value : NULL;
            if (e && e->kind == SMC_EX_NAME && !e->qual.s)
                c->was = e->name.s;
            else if (e && e->kind == SMC_EX_STRING)
                c->was = e->sval;
            else
                smc_error(ck->ctx, a->span, SMC_E_ATTR_ARGS, "'@was' takes the old field name");
        } else {
            continue;
        }
        a->used = true;
    }
    /* A misspelt '@auto' still means the database fills the column: no
     * "insert does not set it" after the one error. */
    if (m->is_table && !c->autoinc && smc_attr_failed(f->attrs, "auto"))
        c->autoinc = true;
}

/* ---- Fields --------------------------------------------------------------------------- */

static smc_col *field_col(smc_checker *ck, smc_model *m, smc_field *f)
{
    smc_col *c = smc_alloc(ck->ctx, sizeof *c);
    c->name = f->name.s;
    c->field = f;
    f->col = c;
    c->json = f->name.s;
    c->min_len = c->max_len = -1;
    smc_check_attrs(ck, f->attrs, SMC_AT_FIELD, "a field");
    smc_resolve_type(ck, f->type, m->is_table ? SMC_TY_FIELD_TABLE : SMC_TY_FIELD_MODEL);
    c->type = f->type->type;
    bool is_rel = smc_attr_find(f->attrs, "rel") != NULL;
    if (c->type.base == SMC_B_MODEL) {
        smc_decl *target = c->type.decl;
        if (m->is_table && !is_rel) {
            if (!smc_attr_failed(f->attrs, "rel")) /* else '@rel' was meant */
                smc_error(ck->ctx, f->type->span, SMC_E_FIELD_TYPE,
                          "a table field of model type needs '@rel' (a relationship); '%s' is a %s",
                          target->name.s, target->is_table ? "table" : "model");
            c->type.base = SMC_B_ERROR;
        } else if (!m->is_table && is_rel) {
            smc_error(ck->ctx, smc_attr_find(f->attrs, "rel")->name.span, SMC_E_ATTR_PLACE,
                      "relationships are only allowed in tables");
        } else if (!m->is_table && (target->kind == SMC_D_ROW || target->is_table)) {
            smc_error(ck->ctx, f->type->span, SMC_E_FIELD_TYPE,
                      "a nested field must have a data model type; '%s' is a %s", target->name.s,
                      target->kind == SMC_D_ROW ? "row" : "table");
            c->type.base = SMC_B_ERROR;
        } else if (m->is_row) {
            smc_error(ck->ctx, f->type->span, SMC_E_FIELD_TYPE,
                      "row fields hold column values, not models");
            c->type.base = SMC_B_ERROR;
        }
    } else if (is_rel) {
        if (c->type.base != SMC_B_ERROR) /* else the type was reported */
            smc_error(ck->ctx, smc_attr_find(f->attrs, "rel")->name.span, SMC_E_ATTR_TYPE,
                      "'@rel' needs a field of table type (X? or [X])");
        smc_attr_find(f->attrs, "rel")->used = true;
    }
    if (c->type.base != SMC_B_MODEL && c->type.base != SMC_B_ERROR && m->is_table)
        c->column = f->name.s;
    if (m->is_row)
        c->column = f->name.s;
    /* Refined types from the innermost out, then the field's own: each
     * layer overrides what it restates. */
    uint32_t nchain = 0;
    for (smc_decl *r = f->type->refined; r; r = r->alias->refined)
        nchain++;
    smc_decl **chain = nchain ? smc_alloc(ck->ctx, nchain * sizeof *chain) : NULL;
    nchain = 0;
    for (smc_decl *r = f->type->refined; r; r = r->alias->refined)
        chain[nchain++] = r;
    smc_attr *from[FROM_N] = {0};
    while (nchain > 0)
        apply_validation(ck, c, chain[--nchain]->attrs, true, from);
    apply_validation(ck, c, f->attrs, false, from);
    apply_field_attrs(ck, m, c);
    smc_diag *d = NULL;
    int pair = -1;
    if (c->min_len >= 0 && c->max_len >= 0 && c->min_len > c->max_len) {
        d = smc_error(ck->ctx, f->span, SMC_E_RANGE,
                      "no value of field '%s' can satisfy @min_len(%d) and @max_len(%d)", c->name,
                      c->min_len, c->max_len);
        pair = FROM_MIN_LEN;
    } else if (bounds_empty(c)) {
        d = smc_error(ck->ctx, f->span, SMC_E_RANGE,
                      "no value of field '%s' lies within its bounds", c->name);
        pair = FROM_LOWER;
    }
    for (int k = pair; d && k < pair + 2; k++)
        if (from[k] && !attr_in(f->attrs, from[k]))
            smc_note(ck->ctx, d, &from[k]->span, "'@%s' comes from the field's type",
                     from[k]->name.s);
    if (f->deflt && c->type.base != SMC_B_ERROR) {
        if (c->type.base == SMC_B_MODEL)
            smc_error(ck->ctx, f->deflt->span, SMC_E_DEFAULT,
                      "fields of model type cannot have defaults");
        else if (smc_const_value(ck, f->deflt, &c->type, &c->deflt, &c->defkind))
            c->deflt_expr = f->deflt;
    }
    return c;
}

/* Copies an inherited column for model m. */
static smc_col *copy_col(smc_checker *ck, const smc_col *src)
{
    smc_col *c = smc_alloc(ck->ctx, sizeof *c);
    *c = *src;
    return c;
}

/* ---- Inheritance ------------------------------------------------------------------------
 *
 * Bases are resolved before the models built on them, depth first,
 * without recursion (an explicit stack): a chain of thousands of bases
 * must not exhaust the C stack.  The work per base is the one the
 * recursive order gave: find it, resolve it, check its kind, take its
 * fields; so errors come out in the same order. */

/* The names m builds on: its partial's base first, then its bases. */
static uint32_t base_refs(smc_checker *ck, smc_model *m, smc_name ***out)
{
    smc_decl *d = m->decl;
    uint32_t n = m->is_partial;
    for (smc_ident *bn = d->bases; bn; bn = bn->next)
        n++;
    smc_name **refs = smc_alloc(ck->ctx, (n + 1) * sizeof *refs);
    n = 0;
    if (m->is_partial)
        refs[n++] = &d->partial_of;
    for (smc_ident *bn = d->bases; bn; bn = bn->next)
        refs[n++] = &bn->name;
    *out = refs;
    return n;
}

/* The model a base name denotes, or NULL after reporting why not. */
static smc_model *find_base(smc_checker *ck, smc_model *m, smc_name name)
{
    smc_decl *d = smc_lookup(ck, name.s);
    if (!d || (d->kind != SMC_D_MODEL && d->kind != SMC_D_ROW)) {
        if (d && d->kind != SMC_D_MODEL)
            smc_error(ck->ctx, name.span, SMC_E_BASE, "'%s' is not a model", name.s);
        else
            smc_unknown(ck, name.span, SMC_E_UNKNOWN_NAME, "model", name.s, 1u << SMC_D_MODEL,
                        false);
        return NULL;
    }
    smc_model *b = d->model;
    if (b == m) {
        smc_error(ck->ctx, name.span, SMC_E_INHERIT_CYCLE, "'%s' inherits from itself", m->name);
        return NULL;
    }
    if (b->visiting) {
        smc_diag *e = smc_error(ck->ctx, name.span, SMC_E_INHERIT_CYCLE,
                                "'%s' inherits from itself through '%s'", m->name, name.s);
        smc_note(ck->ctx, e, &b->decl->name.span, "'%s' is declared here", b->name);
        return NULL;
    }
    return b;
}

/* Does a partial of b copy field c?  Every column, except that a partial
 * of a table leaves out its key: keys say which row a patch writes and
 * are never part of it (DESIGN 3.3).  Relationships are not columns.
 * The table's key may still be unresolved here, hence the AST. */
static bool partial_copies(const smc_model *b, const smc_col *c)
{
    if (c->rel || smc_attr_find(c->field->attrs, "rel"))
        return false;
    if (!b->is_table)
        return true;
    if (c->pk)
        return false;
    for (const smc_constraint *k = b->decl->constraints; k; k = k->next)
        for (const smc_ident *id = k->cols; k->kind == SMC_C_PRIMARY_KEY && id; id = id->next)
            if (strcmp(id->name.s, c->name) == 0)
                return false;
    return true;
}

static void add_derived(smc_checker *ck, smc_model *b, smc_model *m)
{
    b->derived = smc_grow(ck->ctx, b->derived, b->nderived, sizeof *b->derived);
    b->derived[b->nderived++] = m;
}

/* Takes what resolved base b (NULL: failed) gives m. */
static void take_base(smc_checker *ck, smc_model *m, smc_name *name, smc_model *b, bool partial)
{
    if (b && !partial && (b->is_table || b->is_row || b->is_partial)) {
        smc_error(ck->ctx, name->span, SMC_E_BASE, "'%s' is a %s; only data models can be bases",
                  name->s, b->is_partial ? "partial model" : smc_model_kind(b));
        b = NULL;
    }
    if (b && partial && b->is_row) {
        smc_error(ck->ctx, name->span, SMC_E_BASE,
                  "a partial model copies a model or table, not a row");
        b = NULL;
    }
    if (partial) {
        m->partial_of = b;
        m->incomplete |= !b;
        for (uint32_t i = 0; b && i < b->ncols; i++) {
            if (!partial_copies(b, b->cols[i]))
                continue;
            smc_col *c = copy_col(ck, b->cols[i]);
            c->partial_src = b->cols[i];
            c->column = NULL;
            c->pk = c->autoinc = c->unique = c->indexed = false;
            c->fk_model = NULL;
            add_col(ck, m, c, NULL, false);
        }
        return;
    }
    m->incomplete |= !b || b->incomplete;
    if (!b)
        return;
    m->bases = smc_grow(ck->ctx, m->bases, m->nbases, sizeof *m->bases);
    m->bases[m->nbases++] = b;
    add_derived(ck, b, m);
    /* A data model's first base sits at the start of its struct, where
     * the base's own copies can serve unchanged: sharing them keeps a
     * deep chain of models linear in its fields, not quadratic. */
    bool share = !m->is_table && m->ncols == 0;
    for (uint32_t i = 0; i < b->ncols; i++) {
        smc_col *src = b->cols[i];
        if (share && src->index == i) {
            add_col(ck, m, src, name, true);
            continue;
        }
        smc_col *c = copy_col(ck, src);
        if (m->is_table && c->type.base != SMC_B_MODEL)
            c->column = src->column ? src->column : c->name;
        add_col(ck, m, c, name, false);
    }
}

/* After the bases: m's own fields and attributes. */
static void finish_model(smc_checker *ck, smc_model *m)
{
    smc_decl *d = m->decl;
    for (smc_field *f = d->fields; f; f = f->next)
        add_col(ck, m, field_col(ck, m, f), NULL, false);
    if (!m->is_table)
        for (smc_constraint *c = d->constraints; c; c = c->next)
            smc_error(ck->ctx, c->span, SMC_E_TABLE_CHECK,
                      "constraints like this are only allowed in tables");
    for (smc_attr *a = d->attrs; a; a = a->next) {
        if (a->used)
            continue;
        if (strcmp(a->name.s, "table") == 0) {
            smc_attr_string(ck, a, &m->table);
        } else if (strcmp(a->name.s, "json") == 0) {
            const char *v;
            if (smc_attr_name(ck, a, &v) && strcmp(v, "forbid_unknown") != 0)
                smc_error(ck->ctx, a->args->value->span, SMC_E_ATTR_ARGS,
                          "'@json' on a model takes forbid_unknown");
            else
                m->forbid_unknown = true;
        } else if (strcmp(a->name.s, "mixin") == 0) {
            if (smc_attr_noargs(ck, a))
                m->is_mixin = true;
        } else if (strcmp(a->name.s, "doc") == 0) {
            smc_attr_string(ck, a, &m->doc);
        }
        a->used = true;
    }
    if (m->is_table && !m->table)
        m->table = m->snake;
    if (m->ncols == 0 && m->is_partial && m->partial_of && m->partial_of->is_table &&
        !m->incomplete)
        smc_error(ck->ctx, d->name.span, SMC_E_EMPTY_MODEL,
                  "partial model '%s' has no fields: '%s' has none but its key, and a patch "
                  "never writes a key",
                  m->name, m->partial_of->name);
    else if (m->ncols == 0 && !m->is_mixin && !m->incomplete)
        smc_error(ck->ctx, d->name.span, SMC_E_EMPTY_MODEL, "%s '%s' has no fields",
                  smc_model_kind(m), m->name);
    m->visiting = false;
    m->checked = true;
}

/* One model on the stack: the base names it builds on, the next to look
 * at, and the base found last (taken once it is resolved). */
typedef struct resolve_frame {
    smc_model *m;
    smc_name **refs;
    uint32_t nrefs, next;
    smc_model *found;
    bool started, pending;
} resolve_frame;

static void resolve_model(smc_checker *ck, smc_model *root)
{
    if (root->checked)
        return;
    smc_file *was = ck->cur;
    resolve_frame *stack = NULL;
    size_t depth = 0;
    stack = smc_grow(ck->ctx, stack, depth, sizeof *stack);
    memset(&stack[depth++], 0, sizeof *stack);
    stack[0].m = root;
    while (depth > 0) {
        resolve_frame *fr = &stack[depth - 1];
        smc_model *m = fr->m;
        ck->cur = m->decl->file;
        if (!fr->started) {
            fr->started = true;
            m->visiting = true;
            if (!m->is_row)
                smc_check_attrs(ck, m->decl->attrs, m->is_table ? SMC_AT_TABLE : SMC_AT_MODEL,
                                m->is_table ? "a table" : "a model");
            fr->nrefs = base_refs(ck, m, &fr->refs);
        }
        if (fr->pending) { /* the last base found is resolved now */
            fr->pending = false;
            take_base(ck, m, fr->refs[fr->next - 1], fr->found, m->is_partial && fr->next == 1);
        }
        if (fr->next < fr->nrefs) {
            smc_model *b = find_base(ck, m, *fr->refs[fr->next++]);
            fr->found = b;
            fr->pending = true;
            if (b && !b->checked) {
                stack = smc_grow(ck->ctx, stack, depth, sizeof *stack);
                memset(&stack[depth], 0, sizeof *stack);
                stack[depth++].m = b;
            }
            continue;
        }
        finish_model(ck, m);
        depth--;
    }
    ck->cur = was;
}

/* ---- Tables: keys, constraints, foreign keys ---------------------------------------------- */

static smc_col **cols_of(smc_checker *ck, smc_model *m, smc_ident *names, uint32_t *n)
{
    uint32_t k = 0;
    for (smc_ident *id = names; id; id = id->next)
        k++;
    smc_col **cols = smc_alloc(ck->ctx, (k + 1) * sizeof *cols);
    smc_map seen = {0}; /* a list of thousands is not checked pairwise */
    *n = 0;
    for (smc_ident *id = names; id; id = id->next) {
        smc_col *c = smc_find_col(m, id->name.s);
        if (!c) {
            smc_unknown_field(ck, m, id->name.span, id->name.s);
            *n = 0;
            return NULL;
        }
        if (!c->column) {
            if (c->type.base != SMC_B_ERROR) /* else its type was reported */
                smc_error(ck->ctx, id->name.span, SMC_E_UNKNOWN_FIELD,
                          "'%s' is a relationship, not a column", id->name.s);
            *n = 0;
            return NULL;
        }
        if (smc_map_put(ck->ctx, &seen, c->name, c)) {
            smc_error(ck->ctx, id->name.span, SMC_E_DUPLICATE, "column '%s' is listed twice",
                      id->name.s);
            *n = 0;
            return NULL;
        }
        cols[(*n)++] = c;
    }
    return cols;
}

static void add_index(smc_checker *ck, smc_model *m, bool unique, smc_col **cols, uint32_t n,
                      smc_span span, smc_map *names)
{
    m->indexes = smc_grow(ck->ctx, m->indexes, m->nindexes, sizeof *m->indexes);
    smc_index *ix = &m->indexes[m->nindexes];
    memset(ix, 0, sizeof *ix);
    ix->unique = unique;
    ix->cols = cols;
    ix->ncols = n;
    ix->span = span;
    ix->name = smc_constraint_name(ck->ctx, unique ? "uq" : "ix", m->table, cols, n);
    /* names: index name -> its position + 1 (names are the columns). */
    void *other = smc_map_put(ck->ctx, names, ix->name, (void *)(uintptr_t)(m->nindexes + 1));
    if (other) {
        smc_diag *d = smc_error(ck->ctx, span, SMC_E_DUPLICATE,
                                "this %s duplicates another on the same columns",
                                unique ? "unique constraint" : "index");
        smc_note(ck->ctx, d, &m->indexes[(uintptr_t)other - 1].span, "the other is here");
        return;
    }
    m->nindexes++;
}

static void check_key(smc_checker *ck, smc_model *m)
{
    smc_constraint *pk = NULL;
    for (smc_constraint *c = m->decl->constraints; c; c = c->next)
        if (c->kind == SMC_C_PRIMARY_KEY) {
            if (pk) {
                smc_diag *d = smc_error(ck->ctx, c->span, SMC_E_PK_TWICE,
                                        "table '%s' has two primary keys", m->name);
                smc_note(ck->ctx, d, &pk->span, "the first is here");
            }
            pk = c;
        }
    uint32_t npk = 0;
    bool pk_failed = false; /* a misspelt '@pk': the key is not what was meant */
    for (uint32_t i = 0; i < m->ncols; i++) {
        npk += m->cols[i]->pk;
        pk_failed |= smc_attr_failed(m->cols[i]->field->attrs, "pk");
    }
    m->key_failed = pk_failed;
    if (pk && npk) {
        smc_col *first = NULL;
        for (uint32_t i = 0; i < m->ncols && !first; i++)
            if (m->cols[i]->pk)
                first = m->cols[i];
        smc_diag *d = smc_error(ck->ctx, pk->span, SMC_E_PK_TWICE,
                                "'primary key (...)' and '@pk' on fields cannot be combined");
        smc_note(ck->ctx, d, &first->field->name.span, "'@pk' is given here");
        m->key_failed = true;
        return;
    }
    if (pk) {
        m->key = cols_of(ck, m, pk->cols, &m->nkey);
        for (uint32_t i = 0; m->key && i < m->nkey; i++)
            m->key[i]->pk = true;
        if (!m->key) { /* reported: what needs the key stays quiet */
            m->key_failed = true;
            return;
        }
    } else if (npk) {
        m->key = smc_alloc(ck->ctx, npk * sizeof *m->key);
        for (uint32_t i = 0; i < m->ncols; i++)
            if (m->cols[i]->pk)
                m->key[m->nkey++] = m->cols[i];
    } else {
        /* No cascade after an empty table, a failed base or a misplaced
         * or misspelt '@pk'. */
        m->key_failed = true;
        if (m->ncols == 0 || m->incomplete || pk_failed || attr_named(m->decl->attrs, "pk"))
            return;
        smc_diag *d = smc_error(ck->ctx, m->decl->name.span, SMC_E_NO_PK,
                                "table '%s' has no primary key", m->name);
        smc_note(ck->ctx, d, NULL, "mark a field '@pk' or add 'primary key (...)'");
        return;
    }
    m->pk_name = smc_limit_name(ck->ctx, smc_printf(ck->ctx, "pk_%s", m->table));
    for (uint32_t i = 0; i < m->nkey; i++) {
        smc_col *c = m->key[i];
        if (c->type.nullable)
            smc_error(ck->ctx, c->field->type->span, SMC_E_NULLABLE_KEY,
                      "primary key column '%s' cannot be nullable", c->name);
    }
}

static void check_auto(smc_checker *ck, smc_model *m)
{
    for (uint32_t i = 0; i < m->ncols; i++) {
        smc_col *c = m->cols[i];
        if (!c->autoinc)
            continue;
        smc_attr *a = attr_named(c->field->attrs, "auto");
        if (!m->is_table || !a || a->bad)
            continue; /* a base model: checked in the tables that use it */
        if (m->key_failed || c->type.base == SMC_B_ERROR)
            continue; /* the key or the type was reported */
        /* A base's field is reported once, naming the first table. */
        const char *in = c->field->owner != m->decl ? smc_printf(ck->ctx, " in table '%s'", m->name)
                                                   : "";
        if (!c->pk || m->nkey != 1)
            smc_error(ck->ctx, a->name.span, SMC_E_AUTO,
                      "'@auto' needs a single-column primary key; '%s' is %s%s", c->name,
                      c->pk ? "part of a composite key" : "not the primary key", in);
        else if (c->type.base != SMC_B_INT && c->type.base != SMC_B_I32)
            smc_error(ck->ctx, a->name.span, SMC_E_AUTO, "'@auto' needs an int or i32 key, not '%s'",
                      smc_type_name(ck->ctx, &c->type));
        else if (c->defkind)
            smc_error(ck->ctx, c->deflt_expr->span, SMC_E_AUTO,
                      "an '@auto' key cannot also have a default");
        else
            continue;
        a->bad = true;
    }
}

static bool key_like(smc_model *t, smc_col *c)
{
    if (t->nkey == 1 && t->key[0] == c)
        return true;
    if (c->unique)
        return true;
    for (uint32_t i = 0; i < t->nindexes; i++)
        if (t->indexes[i].unique && t->indexes[i].ncols == 1 && t->indexes[i].cols[0] == c)
            return true;
    return false;
}

static bool fk_compatible(const smc_type *a, const smc_type *b)
{
    if (smc_type_is_int(a) && smc_type_is_int(b))
        return true;
    if (a->base != b->base)
        return false;
    if (a->base == SMC_B_DECIMAL)
        return a->precision == b->precision && a->scale == b->scale;
    if (a->base == SMC_B_ENUM)
        return a->decl == b->decl;
    return true;
}

/* Resolves c's @fk.  A failure, reported here or already (a bad
 * attribute, a column or target that failed), marks the column, so
 * relationships and joins built on it stay quiet. */
static void resolve_fk(smc_checker *ck, smc_col *c)
{
    smc_attr *a = NULL, *bad = NULL;
    for (smc_attr *x = c->field->attrs; x; x = x->next)
        if (strcmp(x->name.s, "fk") == 0)
            *(x->bad ? &bad : &a) = x;
    if (!a || !a->args || a->args->label.s || a->args->value->kind != SMC_EX_NAME ||
        !a->args->value->qual.s) {
        c->fk_failed = a || bad || smc_attr_failed(c->field->attrs, "fk");
        return;
    }
    c->fk_failed = true; /* until it resolves */
    smc_expr *e = a->args->value;
    smc_decl *d = smc_lookup(ck, e->qual.s);
    if (!d || d->kind != SMC_D_MODEL || !d->model) {
        smc_unknown(ck, e->qual.span, SMC_E_FK, "table", e->qual.s, 1u << SMC_D_MODEL, false);
        return;
    }
    smc_model *t = d->model;
    if (!t->is_table) {
        smc_error(ck->ctx, e->qual.span, SMC_E_FK, "'@fk' must reference a table; '%s' is a %s",
                  t->name, smc_model_kind(t));
        return;
    }
    smc_col *tc = smc_find_col(t, e->name.s);
    if (tc && tc->type.base == SMC_B_ERROR)
        return; /* its type was reported */
    if (!tc || !tc->column) {
        if (tc)
            smc_error(ck->ctx, e->name.span, SMC_E_FK, "'%s.%s' is a relationship, not a column",
                      t->name, e->name.s);
        else
            smc_unknown_field(ck, t, e->name.span, e->name.s);
        return;
    }
    if (c->type.base == SMC_B_ERROR || t->incomplete || t->key_failed)
        return; /* the column's type, or the target's base or key, was reported */
    if (!key_like(t, tc)) {
        smc_diag *dg = smc_error(ck->ctx, e->span, SMC_E_FK,
                                 "'%s.%s' is neither the primary key nor unique", t->name, tc->name);
        smc_note(ck->ctx, dg, &tc->field->name.span, "'%s' is declared here", tc->name);
        return;
    }
    if (!fk_compatible(&c->type, &tc->type)) {
        smc_diag *dg = smc_error(ck->ctx, e->span, SMC_E_FK, "'%s' is '%s' but '%s.%s' is '%s'",
                                 c->name, smc_type_name(ck->ctx, &c->type), t->name, tc->name,
                                 smc_type_name(ck->ctx, &tc->type));
        smc_note(ck->ctx, dg, &tc->field->name.span, "'%s' is declared here", tc->name);
        return;
    }
    c->fk_failed = false;
    c->fk_model = t;
    c->fk_col = tc;
    tc->referenced = true;
    smc_arg *od = smc_attr_label(a, "on_delete"), *ou = smc_attr_label(a, "on_update");
    smc_arg *g[2] = {od, ou};
    uint8_t act[2] = {c->on_delete, c->on_update};
    for (int k = 0; k < 2; k++) {
        if (act[k] == SMC_FK_SET_NULL && !c->type.nullable)
            smc_error(ck->ctx, g[k]->value->span, SMC_E_FK_ACTION,
                      "'set_null' needs a nullable column; '%s' is '%s'", c->name,
                      smc_type_name(ck->ctx, &c->type));
        if (act[k] == SMC_FK_SET_DEFAULT && !c->defkind && !c->type.nullable)
            smc_error(ck->ctx, g[k]->value->span, SMC_E_FK_ACTION,
                      "'set_default' needs a default on '%s'", c->name);
    }
}

static void check_table(smc_checker *ck, smc_model *m)
{
    check_key(ck, m);
    check_auto(ck, m);
    smc_map names = {0};
    /* Declaration order: field attributes first, then body constraints. */
    for (uint32_t i = 0; i < m->ncols; i++) {
        smc_col *c = m->cols[i];
        if (!c->column)
            continue;
        if (c->unique && !(m->nkey == 1 && m->key[0] == c)) {
            smc_col **one = smc_alloc(ck->ctx, sizeof *one);
            one[0] = c;
            add_index(ck, m, true, one, 1, c->field->name.span, &names);
        }
        if (c->indexed) {
            smc_col **one = smc_alloc(ck->ctx, sizeof *one);
            one[0] = c;
            add_index(ck, m, false, one, 1, c->field->name.span, &names);
        }
    }
    uint32_t nchecks = 0;
    for (smc_constraint *k = m->decl->constraints; k; k = k->next)
        nchecks += k->kind == SMC_C_CHECK;
    m->checks = smc_alloc(ck->ctx, (nchecks + 1) * sizeof *m->checks);
    for (smc_constraint *k = m->decl->constraints; k; k = k->next) {
        if (k->kind == SMC_C_INDEX || k->kind == SMC_C_UNIQUE) {
            uint32_t n;
            smc_col **cols = cols_of(ck, m, k->cols, &n);
            if (cols)
                add_index(ck, m, k->kind == SMC_C_UNIQUE, cols, n, k->span, &names);
        } else if (k->kind == SMC_C_CHECK) {
            /* Column names in the check point at this entry: it lives on. */
            smc_scope_entry *self = smc_alloc(ck->ctx, sizeof *self);
            self->model = m;
            self->alias = m->name;
            smc_scope sc;
            memset(&sc, 0, sizeof sc);
            sc.entries = self;
            sc.nentries = 1;
            smc_check_expr(ck, &sc, k->check);
            if (k->check->type.base != SMC_B_ERROR && k->check->type.base != SMC_B_BOOL)
                smc_error(ck->ctx, k->check->span, SMC_E_TABLE_CHECK,
                          "a check must be a condition (bool), not '%s'",
                          smc_type_name(ck->ctx, &k->check->type));
            smc_tcheck *tc = &m->checks[m->nchecks++];
            tc->expr = k->check;
            tc->name = smc_limit_name(ck->ctx, smc_printf(ck->ctx, "ck_%s_%u", m->table, m->nchecks));
        }
    }
}

/* ---- Driver ----------------------------------------------------------------------------- */

void smc_check_models(smc_checker *ck)
{
    smc_sema *s = ck->out;
    uint32_t n = 0;
    for (uint32_t i = 0; i < ck->nfiles; i++)
        for (smc_decl *d = ck->files[i]->decls; d; d = d->next)
            n += d->kind == SMC_D_MODEL || d->kind == SMC_D_ROW;
    s->models = smc_alloc(ck->ctx, (n + 1) * sizeof *s->models);
    for (uint32_t i = 0; i < ck->nfiles; i++)
        for (smc_decl *d = ck->files[i]->decls; d; d = d->next) {
            ck->cur = d->file;
            if (d->kind == SMC_D_TYPE)
                check_refined(ck, d);
            if ((d->kind == SMC_D_MODEL || d->kind == SMC_D_ROW) && !d->model &&
                smc_lookup(ck, d->name.s) == d) {
                s->models[s->nmodels] = new_model(ck, d);
                s->models[s->nmodels]->pos = s->nmodels;
                s->nmodels++;
            }
        }
    for (uint32_t i = 0; i < s->nmodels; i++)
        resolve_model(ck, s->models[i]);
    smc_check_containment(ck);
    for (uint32_t i = 0; i < s->nmodels; i++) {
        smc_model *m = s->models[i];
        ck->cur = m->decl->file;
        if (m->is_table)
            check_table(ck, m);
        else
            check_auto(ck, m);
    }
    /* FKs and relationships need every table's key and columns.  An FK
     * is resolved where its field is declared; inheritors copy it. */
    for (uint32_t i = 0; i < s->nmodels; i++) {
        smc_model *m = s->models[i];
        ck->cur = m->decl->file;
        for (smc_field *f = m->decl->fields; f && !m->is_partial; f = f->next)
            if (f->col && f->col->owner == m && m->cols[f->col->index] == f->col)
                resolve_fk(ck, f->col); /* not a field rejected as a duplicate */
    }
    for (uint32_t i = 0; i < s->nmodels; i++) {
        smc_model *m = s->models[i];
        for (uint32_t j = 0; j < m->ncols; j++) {
            smc_col *c = m->cols[j], *src = c->field->col;
            if (!m->is_partial && src && src != c) {
                c->fk_model = src->fk_model;
                c->fk_col = src->fk_col;
                c->fk_failed = src->fk_failed;
            }
            m->fk_failed |= c->fk_failed;
        }
    }
    for (uint32_t i = 0; i < s->nmodels; i++) {
        smc_model *m = s->models[i];
        if (!m->is_table)
            continue;
        ck->cur = m->decl->file;
        for (uint32_t j = 0; j < m->ncols; j++)
            if (m->cols[j]->field->owner == m->decl || m->cols[j]->type.base == SMC_B_MODEL)
                smc_resolve_rel(ck, m, m->cols[j]);
        smc_check_rel_names(ck, m);
    }
}
