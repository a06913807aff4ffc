/*
 * sema_type.c: resolving written types, and the attribute table with its
 * argument accessors.  Attributes are parsed uniformly everywhere; here
 * each is checked against where it may appear, so new attributes need a
 * table row, not grammar changes.
 */
#include "sema_int.h"

#include <string.h>

/* ---- Built-in types ------------------------------------------------------------------ */

static const struct {
    const char *name;
    uint8_t base;
} builtins[] = {
    {"bool", SMC_B_BOOL}, {"int", SMC_B_INT},       {"i32", SMC_B_I32},
    {"i16", SMC_B_I16},   {"float", SMC_B_FLOAT},   {"decimal", SMC_B_DECIMAL},
    {"text", SMC_B_TEXT}, {"bytes", SMC_B_BYTES},   {"date", SMC_B_DATE},
    {"time", SMC_B_TIME}, {"datetime", SMC_B_DATETIME}, {"uuid", SMC_B_UUID},
    {"json", SMC_B_JSON}, {"sort", SMC_B_SORT},     {"dir", SMC_B_DIR},
};
enum { NBUILTINS = sizeof builtins / sizeof builtins[0] };

const char *const smc_builtin_types[] = {
    "bool", "int", "i32", "i16", "float", "decimal", "text", "bytes", "date",
    "time", "datetime", "uuid", "json", "sort", "dir", NULL,
};

static void poison(smc_typeref *tr)
{
    tr->type.base = SMC_B_ERROR;
    tr->type.decl = NULL;
}

static void resolve_args(smc_checker *ck, smc_typeref *tr, int where)
{
    smc_type *t = &tr->type;
    if (t->base == SMC_B_DECIMAL) {
        smc_targ *p = tr->args, *s = p ? p->next : NULL;
        if (!tr->has_args || !p || !s || s->next || !p->is_int || !s->is_int) {
            smc_error(ck->ctx, tr->span, SMC_E_DECIMAL,
                      "decimal needs a precision and a scale: decimal(p, s)");
            poison(tr);
            return;
        }
        if (p->ival < 1 || p->ival > 18 || s->ival < 0 || s->ival > p->ival) {
            smc_error(ck->ctx, tr->span, SMC_E_DECIMAL,
                      "decimal(%lld, %lld): precision must be 1 to 18 and scale 0 to the precision",
                      (long long)p->ival, (long long)s->ival);
            poison(tr);
            return;
        }
        t->precision = (uint8_t)p->ival;
        t->scale = (uint8_t)s->ival;
        return;
    }
    if (t->base == SMC_B_SORT) {
        if (where != SMC_TY_PARAM) {
            smc_error(ck->ctx, tr->span, SMC_E_FIELD_TYPE,
                      "'sort(...)' is only allowed as the type of a query parameter");
            poison(tr);
            return;
        }
        for (smc_targ *a = tr->args; a; a = a->next)
            if (a->is_int) {
                smc_error(ck->ctx, a->span, SMC_E_FIELD_TYPE,
                          "sort(...) lists column names, not numbers");
                poison(tr);
                return;
            }
        if (!tr->has_args || !tr->args) {
            smc_error(ck->ctx, tr->span, SMC_E_FIELD_TYPE,
                      "sort needs the columns it may sort by: sort(name, age)");
            poison(tr);
        }
        return;
    }
    if (tr->has_args) {
        smc_error(ck->ctx, tr->span, SMC_E_FIELD_TYPE, "type '%s' takes no arguments",
                  tr->name.s);
        poison(tr);
    }
}

/* Resolves type d and the unresolved types it is written in terms of,
 * innermost first, so a chain of thousands of aliases does not recurse:
 * each is then resolved against one already resolved (or against one
 * still being resolved: a cycle, which smc_resolve_type reports). */
static void resolve_alias_chain(smc_checker *ck, smc_decl *d)
{
    smc_file *was = ck->cur;
    smc_decl **chain = NULL;
    size_t n = 0;
    for (smc_decl *cur = d; cur && cur->kind == SMC_D_TYPE && cur->state == 0;) {
        cur->state = 1;
        chain = smc_grow(ck->ctx, chain, n, sizeof *chain);
        chain[n++] = cur;
        smc_enter(ck, cur->file);
        const smc_typeref *a = cur->alias;
        cur = a->list || a->has_args ? NULL : smc_lookup(ck, a->name.s);
    }
    while (n > 0) {
        smc_decl *cur = chain[--n];
        smc_enter(ck, cur->file);
        smc_resolve_type(ck, cur->alias, SMC_TY_ALIAS);
        cur->state = 2;
    }
    smc_enter(ck, was);
}

void smc_resolve_type(smc_checker *ck, smc_typeref *tr, int where)
{
    smc_type *t = &tr->type;
    memset(t, 0, sizeof *t);
    t->nullable = tr->nullable;
    t->list = tr->list;
    for (size_t i = 0; i < NBUILTINS; i++)
        if (strcmp(builtins[i].name, tr->name.s) == 0) {
            t->base = builtins[i].base;
            if (tr->list && where != SMC_TY_PARAM) {
                smc_error(ck->ctx, tr->span, SMC_E_FIELD_TYPE,
                          "lists of '%s' are only allowed as query parameters", tr->name.s);
                poison(tr);
                return;
            }
            if (tr->list && t->base != SMC_B_INT && t->base != SMC_B_TEXT &&
                t->base != SMC_B_I32 && t->base != SMC_B_I16) {
                smc_error(ck->ctx, tr->span, SMC_E_FIELD_TYPE,
                          "list parameters hold int or text values, not '%s'", tr->name.s);
                poison(tr);
                return;
            }
            if (t->base == SMC_B_DIR && where != SMC_TY_PARAM) {
                smc_error(ck->ctx, tr->span, SMC_E_FIELD_TYPE,
                          "'dir' is only allowed as the type of a query parameter");
                poison(tr);
                return;
            }
            resolve_args(ck, tr, where);
            return;
        }
    smc_decl *d = smc_lookup(ck, tr->name.s);
    if (!d || d->kind == SMC_D_QUERY) {
        smc_unknown(ck, tr->name.span, SMC_E_UNKNOWN_TYPE, "type", tr->name.s,
                    1u << SMC_D_TYPE | 1u << SMC_D_ENUM | 1u << SMC_D_MODEL | 1u << SMC_D_ROW, true);
        poison(tr);
        return;
    }
    smc_index_ref(ck, tr->name.span, SMC_REF_DECL, d, 0);
    if (tr->has_args) {
        smc_error(ck->ctx, tr->span, SMC_E_FIELD_TYPE, "type '%s' takes no arguments", tr->name.s);
        poison(tr);
        return;
    }
    if (d->kind == SMC_D_TYPE) {
        if (tr->list) {
            smc_error(ck->ctx, tr->span, SMC_E_FIELD_TYPE, "a list of refined type '%s' is not allowed",
                      tr->name.s);
            poison(tr);
            return;
        }
        /* Aliases resolve on first use, so their order does not matter. */
        if (d->state == 1) {
            smc_error(ck->ctx, tr->name.span, SMC_E_FIELD_TYPE,
                      "type '%s' is defined in terms of itself", tr->name.s);
            poison(tr);
            return;
        }
        if (d->state == 0)
            resolve_alias_chain(ck, d);
        *t = d->alias->type;
        t->nullable = tr->nullable;
        tr->refined = d;
        return;
    }
    if (d->kind == SMC_D_ENUM) {
        t->base = SMC_B_ENUM;
        t->decl = d;
        if (tr->list) {
            smc_error(ck->ctx, tr->span, SMC_E_FIELD_TYPE,
                      "lists of enum values are not supported; use a link table");
            poison(tr);
        }
        return;
    }
    /* A model, table or row. */
    t->base = SMC_B_MODEL;
    t->decl = d;
    if (where == SMC_TY_ALIAS || where == SMC_TY_PARAM) {
        smc_error(ck->ctx, tr->span, SMC_E_FIELD_TYPE, "'%s' is a %s, not a value type here",
                  d->name.s, d->kind == SMC_D_ROW ? "row" : d->is_table ? "table" : "model");
        poison(tr);
    }
}

/* ---- Attributes -------------------------------------------------------------------------- */

static const struct {
    const char *name;
    unsigned places;
} attr_table[] = {
    {"pk", SMC_AT_FIELD},
    {"auto", SMC_AT_FIELD},
    {"unique", SMC_AT_FIELD},
    {"index", SMC_AT_FIELD},
    {"fk", SMC_AT_FIELD},
    {"rel", SMC_AT_FIELD},
    {"column", SMC_AT_FIELD},
    {"json", SMC_AT_FIELD | SMC_AT_MODEL | SMC_AT_TABLE},
    {"max_len", SMC_AT_FIELD | SMC_AT_TYPE},
    {"min_len", SMC_AT_FIELD | SMC_AT_TYPE},
    {"gt", SMC_AT_FIELD | SMC_AT_TYPE},
    {"ge", SMC_AT_FIELD | SMC_AT_TYPE},
    {"lt", SMC_AT_FIELD | SMC_AT_TYPE},
    {"le", SMC_AT_FIELD | SMC_AT_TYPE},
    {"pattern", SMC_AT_FIELD | SMC_AT_TYPE},
    {"check_fn", SMC_AT_FIELD | SMC_AT_TYPE},
    {"was", SMC_AT_FIELD | SMC_AT_TABLE},
    {"updated_at", SMC_AT_FIELD},
    {"secret", SMC_AT_FIELD | SMC_AT_TYPE},
    {"table", SMC_AT_TABLE},
    {"mixin", SMC_AT_MODEL},
    {"timeout", SMC_AT_QUERY},
    {"doc", SMC_AT_FIELD | SMC_AT_MODEL | SMC_AT_TABLE | SMC_AT_TYPE | SMC_AT_ENUM |
                SMC_AT_MEMBER | SMC_AT_QUERY | SMC_AT_MODULE},
};
enum { NATTRS = sizeof attr_table / sizeof attr_table[0] };

const char *smc_known_attr(size_t i)
{
    return i < NATTRS ? attr_table[i].name : NULL;
}

void smc_check_attrs(smc_checker *ck, smc_attr *attrs, unsigned place, const char *what)
{
    smc_map given = {0}; /* name -> first attribute: lists of thousands stay linear */
    for (smc_attr *a = attrs; a; a = a->next) {
        size_t i = 0;
        while (i < NATTRS && strcmp(attr_table[i].name, a->name.s) != 0)
            i++;
        if (i == NATTRS) {
            smc_diag *d = smc_error(ck->ctx, a->name.span, SMC_E_UNKNOWN_ATTR,
                                    "unknown attribute '@%s'", a->name.s);
            const char *names[NATTRS];
            for (size_t k = 0; k < NATTRS; k++)
                names[k] = attr_table[k].name;
            const char *best = smc_closest(a->name.s, names, NATTRS);
            if (best)
                smc_note(ck->ctx, d, NULL, "did you mean '@%s'?", best);
            a->meant = best ? best : ""; /* "": it could have meant any */
            a->used = a->bad = true;
            continue;
        }
        if (!(attr_table[i].places & place)) {
            smc_error(ck->ctx, a->name.span, SMC_E_ATTR_PLACE, "'@%s' is not allowed on %s",
                      a->name.s, what);
            a->used = a->bad = true;
            continue;
        }
        smc_attr *b = attrs->next ? smc_map_put(ck->ctx, &given, a->name.s, a) : NULL;
        if (b) {
            smc_diag *d = smc_error(ck->ctx, a->name.span, SMC_E_ATTR_ARGS,
                                    "'@%s' is given twice", a->name.s);
            smc_note(ck->ctx, d, &b->name.span, "first given here");
            a->used = a->bad = true;
        }
    }
}

bool smc_attr_failed(const smc_attr *attrs, const char *name)
{
    for (const smc_attr *a = attrs; a; a = a->next)
        if (a->bad && (strcmp(a->name.s, name) == 0 ||
                       (a->meant && (!a->meant[0] || strcmp(a->meant, name) == 0))))
            return true;
    return false;
}

smc_attr *smc_attr_find(smc_attr *attrs, const char *name)
{
    for (smc_attr *a = attrs; a; a = a->next)
        if (!a->used && strcmp(a->name.s, name) == 0)
            return a;
    return NULL;
}

static bool want_args(smc_checker *ck, smc_attr *a, uint32_t n, const char *shape)
{
    if (a->nargs == n && (n == 0 || !a->args->label.s))
        return true;
    smc_error(ck->ctx, a->span, SMC_E_ATTR_ARGS, "'@%s' takes %s", a->name.s, shape);
    return false;
}

bool smc_attr_noargs(smc_checker *ck, smc_attr *a)
{
    if (a->nargs == 0)
        return true;
    smc_error(ck->ctx, a->span, SMC_E_ATTR_ARGS, "'@%s' takes no arguments", a->name.s);
    return false;
}

bool smc_attr_int(smc_checker *ck, smc_attr *a, int64_t min, int64_t *out)
{
    if (!want_args(ck, a, 1, "one integer"))
        return false;
    smc_expr *e = a->args->value;
    if (e->kind != SMC_EX_INT || (e->ival == INT64_MIN && e->op != SMC_OP_NEG)) {
        smc_error(ck->ctx, e->span, SMC_E_ATTR_ARGS, "'@%s' takes an integer", a->name.s);
        return false;
    }
    if (e->ival < min || e->ival > INT32_MAX) {
        smc_error(ck->ctx, e->span, SMC_E_ATTR_ARGS, "'@%s' must be between %lld and %d", a->name.s,
                  (long long)min, INT32_MAX);
        return false;
    }
    *out = e->ival;
    return true;
}

bool smc_attr_string(smc_checker *ck, smc_attr *a, const char **out)
{
    if (!want_args(ck, a, 1, "one string"))
        return false;
    smc_expr *e = a->args->value;
    if (e->kind != SMC_EX_STRING) {
        smc_error(ck->ctx, e->span, SMC_E_ATTR_ARGS, "'@%s' takes a string", a->name.s);
        return false;
    }
    *out = e->sval;
    return true;
}

bool smc_attr_sql_name(smc_checker *ck, smc_attr *a, const char **out)
{
    const char *name;
    if (!smc_attr_string(ck, a, &name))
        return false;
    if (!name[0]) {
        smc_error(ck->ctx, a->args->value->span, SMC_E_ATTR_ARGS,
                  "'@%s' takes a name; an SQL identifier cannot be empty", a->name.s);
        return false;
    }
    *out = name;
    return true;
}

bool smc_attr_name(smc_checker *ck, smc_attr *a, const char **out)
{
    if (!want_args(ck, a, 1, "one name"))
        return false;
    smc_expr *e = a->args->value;
    if (e->kind != SMC_EX_NAME || e->qual.s) {
        smc_error(ck->ctx, e->span, SMC_E_ATTR_ARGS, "'@%s' takes a plain name", a->name.s);
        return false;
    }
    *out = e->name.s;
    return true;
}

bool smc_attr_number(smc_checker *ck, smc_attr *a, smc_expr **out)
{
    if (!want_args(ck, a, 1, "one number"))
        return false;
    smc_expr *e = a->args->value;
    if (e->kind != SMC_EX_INT && e->kind != SMC_EX_FLOAT) {
        smc_error(ck->ctx, e->span, SMC_E_ATTR_ARGS, "'@%s' takes a number", a->name.s);
        return false;
    }
    if (e->kind == SMC_EX_INT && e->ival == INT64_MIN && e->op != SMC_OP_NEG) {
        smc_error(ck->ctx, e->span, SMC_E_NUMBER, "integer literal out of range");
        return false;
    }
    *out = e;
    return true;
}

smc_arg *smc_attr_label(smc_attr *a, const char *label)
{
    for (smc_arg *g = a->args; g; g = g->next)
        if (g->label.s && strcmp(g->label.s, label) == 0)
            return g;
    return NULL;
}

bool smc_attr_labels(smc_checker *ck, smc_attr *a, const char *const *allowed,
                     unsigned max_positional)
{
    unsigned positional = 0;
    bool ok = true;
    smc_map given = {0};
    for (smc_arg *g = a->args; g; g = g->next) {
        if (!g->label.s) {
            if (++positional > max_positional) {
                smc_error(ck->ctx, g->span, SMC_E_ATTR_ARGS,
                          "too many arguments for '@%s'", a->name.s);
                ok = false;
            }
            continue;
        }
        size_t n = 0;
        while (allowed[n] && strcmp(allowed[n], g->label.s) != 0)
            n++;
        if (!allowed[n]) {
            smc_diag *d = smc_error(ck->ctx, g->label.span, SMC_E_ATTR_ARGS,
                                    "'@%s' has no argument '%s'", a->name.s, g->label.s);
            size_t k = 0;
            while (allowed[k])
                k++;
            smc_suggest(ck->ctx, d, g->label.s, allowed, k);
            ok = false;
        }
        if (smc_map_put(ck->ctx, &given, g->label.s, g)) {
            smc_error(ck->ctx, g->label.span, SMC_E_ATTR_ARGS, "argument '%s' is given twice",
                      g->label.s);
            ok = false;
        }
    }
    return ok;
}
