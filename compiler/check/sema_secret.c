/*
 * sema_secret.c: which values of a query are secret.  A column declared
 * @secret (or of a refined type that is) keeps its values out of traces
 * and messages at run time; a query parameter that meets such a value is
 * just as secret, since it is usually the same value (the password a
 * login compares).  So a parameter is secret when it is
 *   - compared with a secret value (== != < <= > >=, like, between,
 *     in :list, in (select ...), coalesce with it), or
 *   - written to a secret column (insert values, update and upsert sets),
 *   - or declared with a refined type that is @secret.
 * A secret value is a secret column, or an expression computed from one
 * (lower(password), pin + 1, a scalar subquery selecting one); a
 * condition, a count or a length is not.  Result columns computed from a
 * secret value are secret too, which row types defined by a projection
 * and scalar results inherit.
 *
 * One walk over the checked statement; expressions are at most a few
 * hundred levels deep (the parser bounds them).
 */
#include "sema_query.h"

#include <string.h>

typedef struct walker {
    bool *secret; /* per parameter index */
    bool any;
} walker;

/* Marks every parameter in e secret (not those of its subqueries, which
 * are compared there). */
static void mark(walker *w, const smc_expr *e)
{
    if (!e)
        return;
    if (e->kind == SMC_EX_PARAM && e->param) {
        w->secret[e->param->index] = true;
        w->any = true;
    }
    mark(w, e->a);
    mark(w, e->b);
    mark(w, e->c);
    for (const smc_expr *a = e->args; a; a = a->next)
        mark(w, a);
}

static bool walk(walker *w, const smc_expr *e);

/* Walks every expression of a select and records which result columns
 * are secret; returns whether the first one is (a subquery has one). */
static bool walk_select(walker *w, const smc_select *s)
{
    const smc_qsel *qs = s->sema;
    for (const smc_join *j = s->joins; j; j = j->next)
        walk(w, j->on);
    walk(w, s->where);
    for (const smc_expr *g = s->group_by; g; g = g->next)
        walk(w, g);
    walk(w, s->having);
    bool first = false;
    uint32_t i = 0;
    for (const smc_selitem *it = s->items; it; it = it->next, i++) {
        bool t = walk(w, it->expr);
        if (qs && !qs->model_select && i < qs->ncols)
            qs->cols[i].secret = t;
        if (i == 0)
            first = t;
    }
    for (const smc_order *o = s->order; o; o = o->next)
        walk(w, o->expr);
    walk(w, s->limit);
    walk(w, s->offset);
    return qs && !qs->model_select && first;
}

/* Walks e, marking the parameters that meet a secret value; returns
 * whether e's own value is secret. */
static bool walk(walker *w, const smc_expr *e)
{
    if (!e)
        return false;
    bool ta, tb, tc, any = false;
    switch (e->kind) {
    case SMC_EX_NAME:
        return e->col && e->col->secret;
    case SMC_EX_PARAM:
        return e->param && w->secret[e->param->index];
    case SMC_EX_CALL: {
        for (const smc_expr *a = e->args; a; a = a->next)
            any |= walk(w, a);
        if (any && strcmp(e->name.s, "coalesce") == 0)
            for (const smc_expr *a = e->args; a; a = a->next)
                mark(w, a);
        /* A count or a length says how many, not what. */
        return any && strcmp(e->name.s, "count") != 0 && strcmp(e->name.s, "length") != 0;
    }
    case SMC_EX_UNARY:
        ta = walk(w, e->a);
        return e->op != SMC_OP_NOT && ta;
    case SMC_EX_BINARY:
        ta = walk(w, e->a);
        tb = walk(w, e->b);
        switch (e->op) {
        case SMC_OP_ADD:
        case SMC_OP_SUB:
        case SMC_OP_MUL:
        case SMC_OP_DIV:
            return ta || tb;
        case SMC_OP_AND:
        case SMC_OP_OR:
            return false;
        default: /* comparisons and like */
            if (ta || tb) {
                mark(w, e->a);
                mark(w, e->b);
            }
            return false;
        }
    case SMC_EX_IS_NULL:
        walk(w, e->a);
        return false;
    case SMC_EX_BETWEEN:
        ta = walk(w, e->a);
        tb = walk(w, e->b);
        tc = walk(w, e->c);
        if (ta || tb || tc) {
            mark(w, e->a);
            mark(w, e->b);
            mark(w, e->c);
        }
        return false;
    case SMC_EX_IN:
        ta = walk(w, e->a);
        if (e->b) {
            if (ta)
                mark(w, e->b);
            return false;
        }
        tb = e->sub && walk_select(w, e->sub);
        if (ta || tb) {
            mark(w, e->a);
            if (e->sub && e->sub->items)
                mark(w, e->sub->items->expr);
        }
        return false;
    case SMC_EX_EXISTS:
        if (e->sub)
            walk_select(w, e->sub);
        return false;
    case SMC_EX_SUBQUERY:
        return e->sub && walk_select(w, e->sub);
    default: /* literals */
        return false;
    }
}

/* A value written to column c (insert values, sets). */
static void written(walker *w, const smc_col *c, const smc_expr *v)
{
    walk(w, v);
    if (c && c->secret)
        mark(w, v);
}

static void walk_sets(walker *w, const smc_set *sets, smc_col *const *cols)
{
    uint32_t i = 0;
    for (const smc_set *s = sets; s; s = s->next, i++)
        written(w, cols ? cols[i] : NULL, s->value);
}

/* Is the refined type tr is written with (or one it builds on) @secret? */
static bool refined_secret(const smc_typeref *tr)
{
    for (const smc_decl *r = tr->refined; r; r = r->alias->refined)
        if (smc_attr_named(r->attrs, "secret"))
            return true;
    return false;
}

void smc_q_secrets(smc_qctx *x)
{
    smc_query *q = x->q;
    walker w = {smc_alloc(x->ctx, (q->nparams + 1) * sizeof(bool)), false};
    for (smc_param *p = q->params; p; p = p->next)
        if (refined_secret(p->type))
            w.secret[p->index] = w.any = true;
    const smc_stmt *st = q->stmt;
    smc_qinfo *in = x->info;
    if (st && st->kind == SMC_S_SELECT) {
        walk_select(&w, st->select);
    } else if (st) {
        uint32_t i = 0;
        for (const smc_expr *v = st->values; v; v = v->next, i++)
            written(&w, in->insert_cols ? in->insert_cols[i] : NULL, v);
        if (st->conflict)
            walk_sets(&w, st->conflict->sets, in->set_cols);
        else
            walk_sets(&w, st->sets, in->set_cols);
        walk(&w, st->where);
        for (uint32_t k = 0; k < in->nreturning; k++) {
            smc_qcol *c = &in->returning[k];
            c->secret = c->col ? c->col->secret : walk(&w, c->expr);
        }
    }
    in->secret = w.any ? w.secret : NULL;
}
