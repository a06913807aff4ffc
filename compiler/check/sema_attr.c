/*
 * sema_attr.c: field attributes: validation limits and @secret (shared
 * with refined types), @fk, @pk, @auto, @unique, @index and the others of
 * DESIGN 2.3, each checked against the field's type.
 */
#include "sema_int.h"

#include <regex.h>
#include <string.h>

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
smc_attr *smc_attr_named(smc_attr *list, const char *name)
{
    for (; list; list = list->next)
        if (strcmp(list->name.s, name) == 0)
            return list;
    return NULL;
}

bool smc_attr_in(const smc_attr *list, const smc_attr *a)
{
    for (; list; list = list->next)
        if (list == a)
            return true;
    return false;
}

void smc_apply_validation(smc_checker *ck, smc_col *c, smc_attr *attrs, bool refined,
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
        } else if (strcmp(n, "secret") == 0) {
            /* Values are what traces and messages show: a relationship
             * or a nested model has none of its own. */
            if (t->base == SMC_B_MODEL) {
                wrong_type(ck, a, t, "column values");
                continue;
            }
            smc_attr_noargs(ck, a);
            c->secret = true;
        } else {
            continue; /* not a validation attribute */
        }
        if (ck->ctx->nerrors != errors)
            a->bad = true;
        if (!refined)
            a->used = true;
    }
}

/* Reports type d when its merged bounds leave no value and d adds to
 * that (else the type it refines was reported), and marks d's part of
 * the pair bad, so the fields of d stay quiet about it. */
static void check_empty(smc_checker *ck, smc_decl *d, const smc_rbounds *rb)
{
    const smc_col *c = &rb->col;
    int pair;
    if (c->min_len >= 0 && c->max_len >= 0 && c->min_len > c->max_len)
        pair = FROM_MIN_LEN;
    else if (smc_bounds_empty(c))
        pair = FROM_LOWER;
    else
        return;
    if (!smc_attr_in(d->attrs, rb->from[pair]) && !smc_attr_in(d->attrs, rb->from[pair + 1]))
        return;
    smc_diag *e;
    if (pair == FROM_MIN_LEN)
        e = smc_error(ck->ctx, d->span, SMC_E_RANGE,
                      "no value of type '%s' can satisfy @min_len(%d) and @max_len(%d)",
                      d->name.s, c->min_len, c->max_len);
    else
        e = smc_error(ck->ctx, d->span, SMC_E_RANGE, "no value of type '%s' lies within its bounds",
                      d->name.s);
    for (int k = pair; k < pair + 2; k++) {
        if (smc_attr_in(d->attrs, rb->from[k]))
            rb->from[k]->bad = true;
        else
            smc_note(ck->ctx, e, &rb->from[k]->span, "'@%s' comes from the type it refines",
                     rb->from[k]->name.s);
    }
}

/* Checks a refined type where it is declared: its attributes, then the
 * bounds they leave together with the types it refines.  Each type's
 * merged bounds are kept (d->rbounds) and built on its parent's, so a
 * chain of thousands of types is checked in linear time, without
 * recursion: the unchecked part of the chain is taken innermost first. */
void smc_check_refined(smc_checker *ck, smc_decl *d)
{
    smc_decl **pending = NULL;
    size_t n = 0;
    for (smc_decl *r = d; r && !r->rbounds; r = r->alias->refined) {
        pending = smc_grow(ck->ctx, pending, n, sizeof *pending);
        pending[n++] = r;
    }
    while (n > 0) {
        smc_decl *r = pending[--n];
        smc_rbounds *rb = smc_alloc(ck->ctx, sizeof *rb);
        const smc_decl *parent = r->alias->refined;
        if (parent && parent->rbounds) {
            *rb = *parent->rbounds;
        } else {
            rb->col.type = r->alias->type;
            rb->col.min_len = rb->col.max_len = -1;
        }
        r->rbounds = rb;
        if (rb->col.type.base == SMC_B_ERROR)
            continue;
        smc_apply_validation(ck, &rb->col, r->attrs, false, rb->from);
        check_empty(ck, r, rb);
    }
}

bool smc_bounds_empty(const smc_col *c)
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

const char *smc_fk_action_name(int action)
{
    return action > 0 && action < (int)(sizeof fk_actions / sizeof fk_actions[0]) - 1
               ? fk_actions[action] : NULL;
}

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

/* Attributes that describe a column, which a relationship or a nested
 * model field is not: such a field has no SQL type, key or name. */
static const char *const column_attrs[] = {"pk", "auto", "unique", "index", "column", NULL};

static bool not_a_column(smc_checker *ck, smc_col *c, smc_attr *a)
{
    if (c->type.base != SMC_B_MODEL)
        return false;
    bool is_rel = smc_attr_named(c->field->attrs, "rel") != NULL;
    smc_error(ck->ctx, a->name.span, SMC_E_ATTR_TYPE,
              "'@%s' applies to columns; '%s' is a %s, not a column", a->name.s, c->name,
              is_rel ? "relationship" : "nested model field");
    a->used = a->bad = true;
    return true;
}

void smc_apply_field_attrs(smc_checker *ck, smc_model *m, smc_col *c)
{
    smc_field *f = c->field;
    const smc_type *t = &c->type;
    for (smc_attr *a = f->attrs; a; a = a->next) {
        if (a->used)
            continue;
        const char *n = a->name.s;
        bool column_only = false;
        for (size_t k = 0; column_attrs[k]; k++)
            column_only |= strcmp(n, column_attrs[k]) == 0;
        if (column_only && not_a_column(ck, c, a))
            continue;
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
            smc_attr_sql_name(ck, a, &c->column);
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
    if (m->is_table && !c->autoinc && c->type.base != SMC_B_MODEL &&
        smc_attr_failed(f->attrs, "auto"))
        c->autoinc = true;
}

