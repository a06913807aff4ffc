/*
 * sema_expr.c: typing expressions of table checks and queries.  Each
 * node gets a type with computed nullability; an operand that already
 * failed has type SMC_B_ERROR and silences errors above it, so one
 * mistake gives one message.
 */
#include "sema_int.h"

#include <string.h>

/* A pattern ending in an odd run of '\\': its last escape escapes nothing. */
static bool dangling_escape(const char *s, size_t n)
{
    size_t k = 0;
    while (k < n && s[n - 1 - k] == '\\')
        k++;
    return k % 2 == 1;
}

static void set(smc_expr *e, uint8_t base, bool nullable)
{
    memset(&e->type, 0, sizeof e->type);
    e->type.base = base;
    e->type.nullable = nullable;
}

static bool bad(const smc_expr *e)
{
    return e->type.base == SMC_B_ERROR;
}

static const char *tn(smc_checker *ck, const smc_expr *e)
{
    return smc_type_name(ck->ctx, &e->type);
}

/* Can values of these types be compared with each other? */
static bool comparable(const smc_type *a, const smc_type *b)
{
    if (a->base == SMC_B_NULL || b->base == SMC_B_NULL)
        return true;
    if (smc_type_is_numeric(a) && smc_type_is_numeric(b))
        return true;
    if (a->base != b->base || a->list || b->list)
        return false;
    if (a->base == SMC_B_ENUM)
        return a->decl == b->decl;
    return a->base != SMC_B_JSON && a->base != SMC_B_MODEL && a->base != SMC_B_SORT &&
           a->base != SMC_B_DIR;
}

static bool ordered(const smc_type *t)
{
    return t->base != SMC_B_BOOL && t->base != SMC_B_BYTES && t->base != SMC_B_UUID;
}

/* The result of arithmetic on two numeric operands. */
static void arith(smc_expr *e, const smc_type *a, const smc_type *b)
{
    bool nullable = a->nullable || b->nullable;
    if (a->base == SMC_B_FLOAT || b->base == SMC_B_FLOAT || e->op == SMC_OP_DIV) {
        /* Division is float, as in Python: 7 / 2 is 3.5 on every dialect. */
        set(e, SMC_B_FLOAT, nullable);
        return;
    }
    if (a->base == SMC_B_DECIMAL || b->base == SMC_B_DECIMAL) {
        const smc_type *d = a->base == SMC_B_DECIMAL ? a : b;
        set(e, SMC_B_DECIMAL, nullable);
        e->type.precision = 18;
        e->type.scale = d->scale;
        if (a->base == SMC_B_DECIMAL && b->base == SMC_B_DECIMAL && b->scale > a->scale)
            e->type.scale = b->scale;
        if (e->op == SMC_OP_MUL && a->base == SMC_B_DECIMAL && b->base == SMC_B_DECIMAL)
            e->type.scale = (uint8_t)(a->scale + b->scale > 18 ? 18 : a->scale + b->scale);
        return;
    }
    set(e, SMC_B_INT, nullable);
}

/* ---- Names --------------------------------------------------------------------------- */


/* Did a model of this scope or an enclosing one fail to resolve, or
 * lose fields with a base that failed?  Then an unknown name may be one
 * of those: quiet. */
static bool scope_incomplete(const smc_scope *sc)
{
    for (; sc; sc = sc->outer) {
        if (sc->incomplete)
            return true;
        for (uint32_t i = 0; i < sc->nentries; i++)
            if (sc->entries[i].model->incomplete)
                return true;
    }
    return false;
}

static void name_candidates(smc_checker *ck, smc_scope *sc, smc_diag *d, const char *name)
{
    if (d->hidden)
        return;
    size_t n = 0, cap = 0;
    for (smc_scope *s = sc; s; s = s->outer)
        for (uint32_t i = 0; i < s->nentries; i++)
            cap += s->entries[i].model->ncols;
    const char **cands = smc_alloc(ck->ctx, (cap + 1) * sizeof *cands);
    for (smc_scope *s = sc; s; s = s->outer)
        for (uint32_t i = 0; i < s->nentries; i++)
            for (uint32_t k = 0; k < s->entries[i].model->ncols; k++)
                if (s->entries[i].model->cols[k]->column)
                    cands[n++] = s->entries[i].model->cols[k]->name;
    smc_suggest(ck->ctx, d, name, cands, n);
}

static void check_name(smc_checker *ck, smc_scope *sc, smc_expr *e)
{
    if (e->qual.s) {
        for (smc_scope *s = sc; s; s = s->outer)
            for (uint32_t i = 0; i < s->nentries; i++) {
                smc_scope_entry *en = &s->entries[i];
                if (strcmp(en->alias, e->qual.s) != 0)
                    continue;
                smc_col *c = smc_find_col(en->model, e->name.s);
                if (c && c->type.base == SMC_B_ERROR) { /* its type was reported */
                    set(e, SMC_B_ERROR, false);
                    return;
                }
                if (!c && en->model->incomplete) {
                    set(e, SMC_B_ERROR, false);
                    return;
                }
                if (!c || !c->column) {
                    smc_diag *d = smc_error(ck->ctx, e->name.span, SMC_E_UNKNOWN_COLUMN,
                                            "'%s' has no column '%s'", en->alias, e->name.s);
                    if (!d->hidden) { /* candidates only for a diagnostic shown */
                        uint32_t n = en->model->ncols;
                        const char **cands = smc_alloc(ck->ctx, (n + 1) * sizeof *cands);
                        for (uint32_t k = 0; k < n; k++)
                            cands[k] = en->model->cols[k]->column ? en->model->cols[k]->name : NULL;
                        smc_suggest(ck->ctx, d, e->name.s, cands, n);
                    }
                    set(e, SMC_B_ERROR, false);
                    return;
                }
                smc_index_ref(ck, e->qual.span, SMC_REF_DECL, en->model->decl, 0);
                smc_index_ref(ck, e->name.span, SMC_REF_COL, c, 0);
                e->col = c;
                e->src = en;
                e->type = c->type;
                e->type.nullable = c->type.nullable || en->nullable;
                return;
            }
        /* Power.flight: an enum member. */
        smc_decl *d = smc_lookup(ck, e->qual.s);
        if (d && d->kind == SMC_D_ENUM) {
            int k = smc_enum_member(d, e->name.s);
            if (k < 0) {
                smc_diag *dg = smc_error(ck->ctx, e->name.span, SMC_E_UNKNOWN_MEMBER,
                                         "enum '%s' has no member '%s'", d->name.s, e->name.s);
                if (!dg->hidden) {
                    const char **names = smc_alloc(ck->ctx, (d->nmembers + 1) * sizeof *names);
                    for (smc_member *m = d->members; m; m = m->next)
                        names[m->index] = m->name.s;
                    smc_suggest(ck->ctx, dg, e->name.s, names, d->nmembers);
                }
                set(e, SMC_B_ERROR, false);
                return;
            }
            set(e, SMC_B_ENUM, false);
            e->type.decl = d;
            e->ival = k;
            smc_index_ref(ck, e->qual.span, SMC_REF_DECL, d, 0);
            smc_index_ref(ck, e->name.span, SMC_REF_MEMBER, d, (uint32_t)k);
            return;
        }
        if (scope_incomplete(sc)) { /* perhaps the model that failed */
            set(e, SMC_B_ERROR, false);
            return;
        }
        smc_diag *dg = smc_error(ck->ctx, e->qual.span, SMC_E_UNKNOWN_NAME,
                                 "'%s' is not a model of this query or an enum", e->qual.s);
        size_t n = 0, cap = 0;
        for (smc_scope *s = sc; s; s = s->outer)
            cap += s->nentries;
        const char **cands = smc_alloc(ck->ctx, (cap + 1) * sizeof *cands);
        for (smc_scope *s = sc; s; s = s->outer)
            for (uint32_t i = 0; i < s->nentries; i++)
                cands[n++] = s->entries[i].alias;
        smc_suggest(ck->ctx, dg, e->qual.s, cands, n);
        set(e, SMC_B_ERROR, false);
        return;
    }
    /* Unqualified: the innermost scope that has it; two models of that
     * scope having it is ambiguous. */
    for (smc_scope *s = sc; s; s = s->outer) {
        smc_scope_entry *found = NULL;
        smc_col *fc = NULL;
        for (uint32_t i = 0; i < s->nentries; i++) {
            smc_col *c = smc_find_col(s->entries[i].model, e->name.s);
            if (c && c->type.base == SMC_B_ERROR) { /* its type was reported */
                set(e, SMC_B_ERROR, false);
                return;
            }
            if (!c || !c->column)
                continue;
            if (found) {
                smc_diag *d = smc_error(ck->ctx, e->span, SMC_E_AMBIGUOUS,
                                        "column '%s' is ambiguous: both '%s' and '%s' have it",
                                        e->name.s, found->alias, s->entries[i].alias);
                smc_note(ck->ctx, d, NULL, "write '%s.%s' or '%s.%s'", found->alias, e->name.s,
                         s->entries[i].alias, e->name.s);
                set(e, SMC_B_ERROR, false);
                return;
            }
            found = &s->entries[i];
            fc = c;
        }
        if (found) {
            smc_index_ref(ck, e->name.span, SMC_REF_COL, fc, 0);
            e->col = fc;
            e->src = found;
            e->type = fc->type;
            e->type.nullable = fc->type.nullable || found->nullable;
            return;
        }
    }
    if (!scope_incomplete(sc)) {
        smc_diag *d = smc_error(ck->ctx, e->span, SMC_E_UNKNOWN_COLUMN, "unknown column '%s'",
                                e->name.s);
        name_candidates(ck, sc, d, e->name.s);
    }
    set(e, SMC_B_ERROR, false);
}

smc_param *smc_query_param(const smc_query *q, const char *name)
{
    if (q->param_index.len) /* indexed once its parameters are checked */
        return smc_map_get(&q->param_index, name);
    smc_param *p = q->params;
    while (p && strcmp(p->name.s, name) != 0)
        p = p->next;
    return p;
}

static void check_param(smc_checker *ck, smc_scope *sc, smc_expr *e)
{
    smc_query *q = NULL;
    for (smc_scope *s = sc; s && !q; s = s->outer)
        q = s->query;
    if (!q || !sc->allow_params) {
        smc_error(ck->ctx, e->span, SMC_E_UNKNOWN_PARAM, "parameters are only allowed in queries");
        set(e, SMC_B_ERROR, false);
        return;
    }
    smc_param *p = smc_query_param(q, e->name.s);
    smc_index_ref(ck, e->name.span, SMC_REF_PARAM, p, 0);
    if (!p) {
        smc_diag *d = smc_error(ck->ctx, e->span, SMC_E_UNKNOWN_PARAM, "unknown parameter ':%s'",
                                e->name.s);
        if (!d->hidden) {
            const char **names = smc_alloc(ck->ctx, (q->nparams + 1) * sizeof *names);
            for (smc_param *x = q->params; x; x = x->next)
                names[x->index] = x->name.s;
            smc_suggest(ck->ctx, d, e->name.s, names, q->nparams);
        }
        set(e, SMC_B_ERROR, false);
        return;
    }
    p->used = true;
    e->param = p;
    e->type = p->type->type;
    /* One placeholder per use; a list two on MySQL (its emptiness and its
     * values).  A statement of the query writes each use at most once. */
    q->nbinds += p->type->type.list ? 2 : 1;
    if (e->optional && !p->type->type.nullable && p->type->type.base != SMC_B_ERROR) {
        smc_diag *d = smc_error(ck->ctx, e->span, SMC_E_OPTIONAL,
                                "':%s?' needs an optional parameter, but '%s' is '%s'", e->name.s,
                                e->name.s, smc_type_name(ck->ctx, &p->type->type));
        smc_note(ck->ctx, d, &p->span, "declare it as '%s: %s?'", p->name.s,
                 smc_type_name(ck->ctx, &p->type->type));
    }
    if (e->optional)
        e->type.nullable = false; /* the conjunct only exists when it is present */
}

/* ---- Functions --------------------------------------------------------------------------- */

enum { F_LOWER, F_UPPER, F_LENGTH, F_COALESCE, F_NOW, F_UUID, F_COUNT, F_SUM, F_AVG, F_MIN, F_MAX };
static const char *const functions[] = {"lower", "upper", "length", "coalesce", "now", "uuid",
                                        "count", "sum", "avg", "min", "max", NULL};

static void check_call(smc_checker *ck, smc_scope *sc, smc_expr *e)
{
    int f = 0;
    while (functions[f] && strcmp(functions[f], e->name.s) != 0)
        f++;
    if (!functions[f]) {
        smc_diag *d = smc_error(ck->ctx, e->name.span, SMC_E_UNKNOWN_FUNC, "unknown function '%s'",
                                e->name.s);
        smc_suggest(ck->ctx, d, e->name.s, functions, F_MAX + 1);
        set(e, SMC_B_ERROR, false);
        return;
    }
    bool agg = f >= F_COUNT;
    if (agg && !sc->allow_aggregates) {
        smc_error(ck->ctx, e->span, SMC_E_AGG_MIX, "aggregate '%s' is not allowed here", e->name.s);
        set(e, SMC_B_ERROR, false);
        return;
    }
    bool inner_allowed = sc->allow_aggregates;
    if (agg)
        sc->allow_aggregates = false; /* no aggregates inside aggregates */
    bool failed = false;
    for (smc_expr *a = e->args; a; a = a->next) {
        smc_check_expr(ck, sc, a);
        failed |= bad(a);
    }
    sc->allow_aggregates = inner_allowed;
    e->aggregate = agg;
    for (smc_expr *a = e->args; a; a = a->next)
        e->aggregate |= a->aggregate;
    uint32_t lo = f == F_NOW || f == F_UUID || f == F_COUNT ? 0 : 1;
    uint32_t hi = f == F_NOW || f == F_UUID ? 0 : f == F_COALESCE ? 64 : 1;
    if (e->nargs < lo || e->nargs > hi || (f == F_COALESCE && e->nargs < 2)) {
        smc_error(ck->ctx, e->span, SMC_E_ARITY, "'%s' takes %s", e->name.s,
                  hi == 0 ? "no arguments" : f == F_COALESCE ? "2 to 64 arguments"
                  : lo == 0 ? "zero or one argument" : "one argument");
        set(e, SMC_B_ERROR, false);
        return;
    }
    if (failed) {
        set(e, SMC_B_ERROR, false);
        return;
    }
    smc_expr *a = e->args;
    switch (f) {
    case F_LOWER:
    case F_UPPER:
    case F_LENGTH:
        if (a->type.base != SMC_B_TEXT) {
            smc_error(ck->ctx, a->span, SMC_E_TYPE, "'%s' takes text, not '%s'", e->name.s, tn(ck, a));
            set(e, SMC_B_ERROR, false);
            return;
        }
        set(e, f == F_LENGTH ? SMC_B_INT : SMC_B_TEXT, a->type.nullable);
        return;
    case F_COALESCE: {
        smc_type t = a->type;
        bool nullable = true;
        for (smc_expr *x = a; x; x = x->next) {
            if (!comparable(&t, &x->type) || x->type.base == SMC_B_JSON) {
                smc_error(ck->ctx, x->span, SMC_E_TYPE, "'coalesce' mixes '%s' and '%s'",
                          smc_type_name(ck->ctx, &t), tn(ck, x));
                set(e, SMC_B_ERROR, false);
                return;
            }
            /* Numbers widen: int, then decimal, then float. */
            if (t.base == SMC_B_DECIMAL && x->type.base == SMC_B_DECIMAL) {
                unsigned digits = t.precision - t.scale, xd = x->type.precision - x->type.scale;
                t.scale = t.scale > x->type.scale ? t.scale : x->type.scale;
                digits = (digits > xd ? digits : xd) + t.scale;
                t.precision = (uint8_t)(digits > 18 ? 18 : digits);
            } else if (t.base == SMC_B_NULL ||
                       (t.base != x->type.base && x->type.base == SMC_B_FLOAT) ||
                       (smc_type_is_int(&t) && x->type.base == SMC_B_DECIMAL)) {
                bool from_int = smc_type_is_int(&t);
                t = x->type;
                if (from_int)
                    t.precision = 18; /* room for the integer's digits */
            }
            nullable = nullable && x->type.nullable;
        }
        e->type = t;
        e->type.nullable = nullable;
        return;
    }
    case F_NOW:
        set(e, SMC_B_DATETIME, false);
        return;
    case F_UUID:
        set(e, SMC_B_UUID, false);
        return;
    case F_COUNT:
        set(e, SMC_B_INT, false);
        return;
    case F_SUM:
    case F_AVG:
        if (!smc_type_is_numeric(&a->type)) {
            smc_error(ck->ctx, a->span, SMC_E_TYPE, "'%s' takes a number, not '%s'", e->name.s,
                      tn(ck, a));
            set(e, SMC_B_ERROR, false);
            return;
        }
        /* sum(int) is int, avg is float; both are null over no rows. */
        if (f == F_AVG)
            set(e, SMC_B_FLOAT, true);
        else if (smc_type_is_int(&a->type))
            set(e, SMC_B_INT, true);
        else {
            e->type = a->type;
            e->type.nullable = true;
        }
        return;
    default: /* min, max */
        if (!ordered(&a->type) || a->type.base == SMC_B_JSON) {
            smc_error(ck->ctx, a->span, SMC_E_TYPE, "'%s' cannot order '%s'", e->name.s, tn(ck, a));
            set(e, SMC_B_ERROR, false);
            return;
        }
        e->type = a->type;
        e->type.nullable = true;
        return;
    }
}

/* ---- Operators ----------------------------------------------------------------------------- */

static void check_compare(smc_checker *ck, smc_expr *e)
{
    smc_expr *a = e->a, *b = e->b;
    if (e->op == SMC_OP_EQ || e->op == SMC_OP_NE) {
        smc_expr *n = a->kind == SMC_EX_NULL ? a : b->kind == SMC_EX_NULL ? b : NULL;
        if (n) {
            smc_diag *d = smc_error(ck->ctx, e->span, SMC_E_NULL_COMPARE,
                                    "comparison with null is never true");
            smc_note(ck->ctx, d, NULL, "write 'is %snull'", e->op == SMC_OP_NE ? "not " : "");
            set(e, SMC_B_ERROR, false);
            return;
        }
    }
    if (comparable(&a->type, &b->type) && e->op != SMC_OP_EQ && e->op != SMC_OP_NE &&
        !ordered(&a->type)) {
        static const char *const ops[] = {[SMC_OP_LT] = "<", [SMC_OP_LE] = "<=", [SMC_OP_GT] = ">",
                                          [SMC_OP_GE] = ">="};
        smc_error(ck->ctx, e->span, SMC_E_TYPE,
                  "'%s' cannot order '%s' values; only == and != apply", ops[e->op], tn(ck, a));
        set(e, SMC_B_ERROR, false);
        return;
    }
    if (!comparable(&a->type, &b->type)) {
        smc_error(ck->ctx, e->span, SMC_E_TYPE, "cannot compare '%s' with '%s'", tn(ck, a), tn(ck, b));
        set(e, SMC_B_ERROR, false);
        return;
    }
    set(e, SMC_B_BOOL, a->type.nullable || b->type.nullable);
}

static void want_bool(smc_checker *ck, smc_expr *e, smc_expr *operand, const char *op)
{
    if (!bad(operand) && operand->type.base != SMC_B_BOOL) {
        smc_error(ck->ctx, operand->span, SMC_E_TYPE, "'%s' needs a condition (bool), not '%s'", op,
                  tn(ck, operand));
        set(e, SMC_B_ERROR, false);
    }
}

static void check_binary(smc_checker *ck, smc_scope *sc, smc_expr *e)
{
    smc_check_expr(ck, sc, e->a);
    smc_check_expr(ck, sc, e->b);
    e->aggregate = e->a->aggregate || e->b->aggregate;
    if (bad(e->a) || bad(e->b)) {
        set(e, SMC_B_ERROR, false);
        return;
    }
    smc_expr *a = e->a, *b = e->b;
    switch (e->op) {
    case SMC_OP_AND:
    case SMC_OP_OR:
        set(e, SMC_B_BOOL, a->type.nullable || b->type.nullable);
        want_bool(ck, e, a, e->op == SMC_OP_AND ? "and" : "or");
        if (!bad(e))
            want_bool(ck, e, b, e->op == SMC_OP_AND ? "and" : "or");
        return;
    case SMC_OP_LIKE:
        if (a->type.base != SMC_B_TEXT || b->type.base != SMC_B_TEXT) {
            smc_expr *x = a->type.base != SMC_B_TEXT ? a : b;
            smc_error(ck->ctx, x->span, SMC_E_LIKE, "'like' works on text, not '%s'", tn(ck, x));
            set(e, SMC_B_ERROR, false);
            return;
        }
        set(e, SMC_B_BOOL, a->type.nullable || b->type.nullable);
        if (b->kind == SMC_EX_STRING && dangling_escape(b->sval, b->slen)) {
            /* The databases disagree on it (no match, an error, a literal
             * '\'); a parameter's value is refused at run time (SM_F_LIKE). */
            smc_error(ck->ctx, b->span, SMC_E_LIKE,
                      "'like' pattern ends in a '\\' that escapes nothing; write '\\\\' "
                      "to match a backslash");
            set(e, SMC_B_ERROR, false);
        }
        return;
    case SMC_OP_ADD:
    case SMC_OP_SUB:
    case SMC_OP_MUL:
    case SMC_OP_DIV:
        if (!smc_type_is_numeric(&a->type) || !smc_type_is_numeric(&b->type)) {
            static const char ops[] = "+-*/";
            smc_error(ck->ctx, e->span, SMC_E_TYPE, "'%c' needs numbers, not '%s' and '%s'",
                      ops[e->op - SMC_OP_ADD], tn(ck, a), tn(ck, b));
            set(e, SMC_B_ERROR, false);
            return;
        }
        arith(e, &a->type, &b->type);
        return;
    default:
        check_compare(ck, e);
        return;
    }
}

void smc_check_subselect(smc_checker *ck, smc_scope *sc, smc_expr *e);

void smc_check_expr(smc_checker *ck, smc_scope *sc, smc_expr *e)
{
    switch (e->kind) {
    case SMC_EX_INT:
        if (e->ival == INT64_MIN && e->op != SMC_OP_NEG) {
            smc_error(ck->ctx, e->span, SMC_E_NUMBER, "integer literal out of range");
            set(e, SMC_B_ERROR, false);
            return;
        }
        set(e, SMC_B_INT, false);
        return;
    case SMC_EX_FLOAT:
        set(e, SMC_B_FLOAT, false);
        return;
    case SMC_EX_STRING:
        set(e, SMC_B_TEXT, false);
        return;
    case SMC_EX_BOOL:
        set(e, SMC_B_BOOL, false);
        return;
    case SMC_EX_NULL:
        set(e, SMC_B_NULL, true);
        return;
    case SMC_EX_DURATION:
        smc_error(ck->ctx, e->span, SMC_E_TYPE, "a duration is only allowed in '@timeout'");
        set(e, SMC_B_ERROR, false);
        return;
    case SMC_EX_NAME:
        check_name(ck, sc, e);
        return;
    case SMC_EX_PARAM:
        check_param(ck, sc, e);
        if (!bad(e) && (e->type.list || e->type.base == SMC_B_SORT || e->type.base == SMC_B_DIR)) {
            smc_error(ck->ctx, e->span, SMC_E_TYPE, "':%s' of type '%s' can only be used %s",
                      e->name.s, tn(ck, e),
                      e->type.list ? "with 'in'" : "in 'order by'");
            set(e, SMC_B_ERROR, false);
        }
        return;
    case SMC_EX_CALL:
        check_call(ck, sc, e);
        return;
    case SMC_EX_UNARY:
        smc_check_expr(ck, sc, e->a);
        e->aggregate = e->a->aggregate;
        if (bad(e->a)) {
            set(e, SMC_B_ERROR, false);
            return;
        }
        if (e->op == SMC_OP_NOT) {
            set(e, SMC_B_BOOL, e->a->type.nullable);
            want_bool(ck, e, e->a, "not");
        } else if (!smc_type_is_numeric(&e->a->type)) {
            smc_error(ck->ctx, e->span, SMC_E_TYPE, "'%c' needs a number, not '%s'",
                      e->op == SMC_OP_NEG ? '-' : '+', tn(ck, e->a));
            set(e, SMC_B_ERROR, false);
        } else {
            e->type = e->a->type;
        }
        return;
    case SMC_EX_BINARY:
        check_binary(ck, sc, e);
        return;
    case SMC_EX_IS_NULL:
        smc_check_expr(ck, sc, e->a);
        e->aggregate = e->a->aggregate;
        set(e, bad(e->a) ? SMC_B_ERROR : SMC_B_BOOL, false);
        return;
    case SMC_EX_BETWEEN:
        smc_check_expr(ck, sc, e->a);
        smc_check_expr(ck, sc, e->b);
        smc_check_expr(ck, sc, e->c);
        e->aggregate = e->a->aggregate || e->b->aggregate || e->c->aggregate;
        if (bad(e->a) || bad(e->b) || bad(e->c)) {
            set(e, SMC_B_ERROR, false);
            return;
        }
        if (!comparable(&e->a->type, &e->b->type) || !comparable(&e->a->type, &e->c->type) ||
            !ordered(&e->a->type)) {
            smc_error(ck->ctx, e->span, SMC_E_TYPE, "'between' cannot compare '%s' with '%s' and '%s'",
                      tn(ck, e->a), tn(ck, e->b), tn(ck, e->c));
            set(e, SMC_B_ERROR, false);
            return;
        }
        set(e, SMC_B_BOOL, e->a->type.nullable || e->b->type.nullable || e->c->type.nullable);
        return;
    case SMC_EX_IN:
        smc_check_expr(ck, sc, e->a);
        if (e->b) {
            check_param(ck, sc, e->b);
            if (bad(e->a) || bad(e->b)) {
                set(e, SMC_B_ERROR, false);
                return;
            }
            smc_type elem = e->b->type;
            elem.list = false;
            elem.nullable = false;
            if (!e->b->type.list) {
                smc_error(ck->ctx, e->b->span, SMC_E_TYPE, "'in :%s' needs a list parameter, not '%s'",
                          e->b->name.s, tn(ck, e->b));
                set(e, SMC_B_ERROR, false);
                return;
            }
            if (!comparable(&e->a->type, &elem)) {
                smc_error(ck->ctx, e->span, SMC_E_TYPE, "cannot look for '%s' in '%s'", tn(ck, e->a),
                          tn(ck, e->b));
                set(e, SMC_B_ERROR, false);
                return;
            }
            set(e, SMC_B_BOOL, e->a->type.nullable);
            return;
        }
        smc_check_subselect(ck, sc, e);
        return;
    case SMC_EX_EXISTS:
    case SMC_EX_SUBQUERY:
        smc_check_subselect(ck, sc, e);
        return;
    }
}
