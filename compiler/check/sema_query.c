/*
 * sema_query.c: queries.  Checks parameters, the statement (selects with
 * joins, grouping and subqueries here; writes in sema_write.c),
 * optional predicates and dynamic sorting, and the declared result
 * (sema_result.c), which may define a row type from a projection.  The
 * checked form (smc_qinfo) is what emit_query.c writes as SQL.
 */
#include "sema_query.h"

#include <string.h>

enum { MAX_VARIANTS = 64 };

/* ---- Parameters ---------------------------------------------------------------- */

static void check_params(smc_qctx *x)
{
    smc_map *seen = &x->q->param_index;
    uint32_t field = 0;
    for (smc_param *p = x->q->params; p; p = p->next) {
        smc_resolve_type(x->ck, p->type, SMC_TY_PARAM);
        /* sort and dir choose the SQL variant; the rest are bound. */
        bool bound = p->type->type.base != SMC_B_SORT && p->type->type.base != SMC_B_DIR;
        p->field = bound ? field++ : UINT32_MAX;
        smc_param *old = smc_map_put(x->ctx, seen, p->name.s, p);
        if (old) {
            smc_diag *e = smc_error(x->ctx, p->name.span, SMC_E_DUPLICATE,
                                    "parameter '%s' is already declared", p->name.s);
            smc_note(x->ctx, e, &old->name.span, "previous declaration is here");
        }
        const smc_type *t = &p->type->type;
        if (t->base == SMC_B_JSON || t->base == SMC_B_BYTES) {
            smc_error(x->ctx, p->type->span, SMC_E_FIELD_TYPE,
                      "a query parameter cannot be '%s'", smc_type_name(x->ctx, t));
            p->type->type.base = SMC_B_ERROR;
        }
        if ((t->base == SMC_B_SORT || t->base == SMC_B_DIR) && t->nullable) {
            smc_error(x->ctx, p->type->span, SMC_E_FIELD_TYPE,
                      "'%s' parameters choose one of their values; they cannot be optional",
                      t->base == SMC_B_SORT ? "sort" : "dir");
            p->type->type.base = SMC_B_ERROR;
        }
    }
}

/* ---- Scopes ------------------------------------------------------------------------ */

smc_model *smc_q_table(smc_qctx *x, smc_name n, const char *what)
{
    smc_decl *d = smc_lookup(x->ck, n.s);
    if (!d || d->kind != SMC_D_MODEL || !d->model) {
        smc_unknown(x->ck, n.span, SMC_E_UNKNOWN_NAME, "table", n.s, 1u << SMC_D_MODEL, false);
        return NULL;
    }
    smc_index_ref(x->ck, n.span, SMC_REF_DECL, d, 0);
    if (!d->model->is_table) {
        smc_error(x->ctx, n.span, SMC_E_UNKNOWN_NAME, "'%s' is a %s, not a table; %s", n.s,
                  d->kind == SMC_D_ROW ? "row" : "model", what);
        return NULL;
    }
    return d->model;
}

smc_scope smc_q_scope(smc_qctx *x, smc_scope *outer, smc_scope_entry *entries, uint32_t n)
{
    smc_scope sc;
    memset(&sc, 0, sizeof sc);
    sc.entries = entries;
    sc.nentries = n;
    sc.outer = outer;
    sc.query = x->q;
    sc.allow_params = true;
    return sc;
}

void smc_q_want_bool(smc_qctx *x, smc_expr *e, const char *where)
{
    if (!smc_q_bad(e) && e->type.base != SMC_B_BOOL)
        smc_error(x->ctx, e->span, SMC_E_TYPE, "%s needs a condition (bool), not '%s'", where,
                  smc_type_name(x->ctx, &e->type));
}

/* ---- Optional markers ---------------------------------------------------------------- */

/* Finds `:p?` inside e; reports those not allowed here. */
void smc_q_forbid_optional(smc_qctx *x, smc_expr *e, const char *where)
{
    if (!e)
        return;
    if (e->kind == SMC_EX_PARAM && e->optional) {
        smc_diag *d = smc_error(x->ctx, e->span, SMC_E_OPTIONAL, "':%s?' is not allowed %s",
                                e->name.s, where);
        smc_note(x->ctx, d, NULL, "an optional marker drops a whole top-level condition of "
                                "'where' or 'having' (joined by 'and'), or a 'set' item");
        return;
    }
    smc_q_forbid_optional(x, e->a, where);
    smc_q_forbid_optional(x, e->b, where);
    smc_q_forbid_optional(x, e->c, where);
    for (smc_expr *a = e->args; a; a = a->next)
        smc_q_forbid_optional(x, a, where);
}

/* In a where/having, `:p?` may appear inside a top-level conjunct but not
 * under an `or` or `not` of that conjunct's own (dropping it would change
 * the meaning of what remains) — it may appear anywhere within the
 * conjunct except inside a subquery. */
void smc_q_conjuncts_optional(smc_qctx *x, smc_expr *e)
{
    if (!e)
        return;
    if (e->kind == SMC_EX_BINARY && e->op == SMC_OP_AND) {
        smc_q_conjuncts_optional(x, e->a);
        smc_q_conjuncts_optional(x, e->b);
        return;
    }
    /* A conjunct: optional markers are fine in it, but not in a subquery. */
    if (e->sub) {
        smc_q_forbid_optional(x, e->a, "inside a subquery's operand");
        return;
    }
    if (e->kind == SMC_EX_BINARY && e->op == SMC_OP_OR) {
        smc_q_forbid_optional(x, e, "under 'or'");
        return;
    }
    if (e->kind == SMC_EX_UNARY && e->op == SMC_OP_NOT) {
        smc_q_forbid_optional(x, e, "under 'not'");
        return;
    }
}

/* Appends p to a parameter set unless it is there (a parameter is in
 * one set at most: optional ones are not sort or dir). */
static void add_once(smc_qctx *x, smc_param ***set, uint32_t *n, smc_param *p)
{
    if (p->collected)
        return;
    p->collected = true;
    smc_param **grown = smc_grow(x->ctx, *set, *n, sizeof *grown);
    grown[(*n)++] = p;
    *set = grown;
}

void smc_q_collect_optional(smc_qctx *x, smc_expr *e)
{
    if (!e)
        return;
    if (e->kind == SMC_EX_PARAM && e->optional && e->param)
        add_once(x, &x->info->opt, &x->info->nopt, e->param);
    smc_q_collect_optional(x, e->a);
    smc_q_collect_optional(x, e->b);
    smc_q_collect_optional(x, e->c);
    for (smc_expr *a = e->args; a; a = a->next)
        smc_q_collect_optional(x, a);
}

/* ---- Selects ------------------------------------------------------------------------- */

smc_col *smc_q_column(const smc_model *m, const char *name)
{
    smc_col *c = smc_find_col(m, name);
    return c && c->column ? c : NULL;
}

/* A join without `on` follows the single FK between the new model and
 * one model already in the select. */
static bool join_fk(smc_qctx *x, smc_qsel *s, uint32_t k)
{
    smc_scope_entry *e = &s->entries[k];
    smc_qjoin *j = &s->joins[k - 1];
    uint32_t found = 0;
    for (uint32_t i = 0; i < k; i++) {
        smc_scope_entry *p = &s->entries[i];
        for (uint32_t c = 0; c < e->model->ncols; c++)
            if (e->model->cols[c]->column && e->model->cols[c]->fk_model == p->model) {
                j->fk_entry = e, j->fk = e->model->cols[c], j->pk_entry = p;
                found++;
            }
        if (p->model == e->model)
            continue;
        for (uint32_t c = 0; c < p->model->ncols; c++)
            if (p->model->cols[c]->column && p->model->cols[c]->fk_model == e->model) {
                j->fk_entry = p, j->fk = p->model->cols[c], j->pk_entry = e;
                found++;
            }
    }
    if (found == 1)
        return true;
    /* A failed @fk, or a failed base that would bring one, may be the
     * link: quiet. */
    bool failed = e->model->fk_failed || e->model->incomplete;
    for (uint32_t i = 0; i < k; i++)
        failed |= s->entries[i].model->fk_failed || s->entries[i].model->incomplete;
    if (failed)
        return false;
    smc_diag *d = smc_error(x->ctx, j->ast->span, SMC_E_JOIN,
                            found ? "'%s' is linked to the query by %u foreign keys"
                                  : "no foreign key links '%s' to the models before it",
                            e->model->name, found);
    smc_note(x->ctx, d, NULL, "write the condition: join %s on ...", e->model->name);
    return false;
}

/* Structural equality of expressions, for matching `group by` items. */
static bool same_expr(const smc_expr *a, const smc_expr *b)
{
    if (!a || !b)
        return a == b;
    if (a->kind != b->kind || a->op != b->op || a->negated != b->negated)
        return false;
    switch (a->kind) {
    case SMC_EX_NAME:
        return a->col == b->col && a->src == b->src && a->col;
    case SMC_EX_INT:
    case SMC_EX_BOOL:
        return a->ival == b->ival;
    case SMC_EX_FLOAT:
        return a->fval == b->fval;
    case SMC_EX_STRING:
        return a->slen == b->slen && memcmp(a->sval, b->sval, a->slen) == 0;
    case SMC_EX_PARAM:
        return a->param == b->param;
    case SMC_EX_CALL:
        if (strcmp(a->name.s, b->name.s) != 0 || a->nargs != b->nargs)
            return false;
        for (const smc_expr *p = a->args, *q = b->args; p; p = p->next, q = q->next)
            if (!same_expr(p, q))
                return false;
        return true;
    default:
        return same_expr(a->a, b->a) && same_expr(a->b, b->b) && same_expr(a->c, b->c);
    }
}

static bool grouped_by(const smc_select *s, const smc_expr *e)
{
    for (const smc_expr *g = s->group_by; g; g = g->next)
        if (same_expr(g, e))
            return true;
    return false;
}

/* A 'group by' item that failed leaves what is grouped unknown: the
 * grouping rules say nothing more about that select. */
static bool group_failed(const smc_select *s)
{
    for (const smc_expr *g = s->group_by; g; g = g->next)
        if (smc_q_bad(g))
            return true;
    return false;
}

/* In a grouped select, every column outside an aggregate must be grouped. */
static void check_grouped(smc_qctx *x, const smc_select *s, smc_expr *e, bool in_agg)
{
    if (!e || smc_q_bad(e))
        return;
    if (!in_agg && grouped_by(s, e))
        return;
    if (e->kind == SMC_EX_NAME && e->col && !in_agg) {
        smc_diag *d = smc_error(x->ctx, e->span, SMC_E_NOT_GROUPED,
                                "column '%s' is neither grouped nor inside an aggregate",
                                e->name.s);
        smc_note(x->ctx, d, NULL, "add it to 'group by' or wrap it in count, sum, avg, min or max");
        return;
    }
    if (e->kind == SMC_EX_SUBQUERY || e->kind == SMC_EX_EXISTS)
        return;
    bool agg = in_agg || (e->kind == SMC_EX_CALL && e->aggregate &&
                          (strcmp(e->name.s, "count") == 0 || strcmp(e->name.s, "sum") == 0 ||
                           strcmp(e->name.s, "avg") == 0 || strcmp(e->name.s, "min") == 0 ||
                           strcmp(e->name.s, "max") == 0));
    check_grouped(x, s, e->a, agg);
    check_grouped(x, s, e->b, agg);
    check_grouped(x, s, e->c, agg);
    for (smc_expr *a = e->args; a; a = a->next)
        check_grouped(x, s, a, agg);
}

/* A result column's name: its alias, or the column it reads.  Other
 * items stay unnamed, which only a scalar result allows (check_result). */
static const char *item_name(smc_selitem *it)
{
    if (it->alias.s)
        return it->alias.s;
    if (it->expr->kind == SMC_EX_NAME && it->expr->col)
        return it->expr->name.s;
    return NULL;
}

void smc_q_items(smc_qctx *x, smc_scope *sc, smc_selitem *items, smc_qcol **out, uint32_t *n)
{
    uint32_t k = 0;
    for (smc_selitem *it = items; it; it = it->next)
        k++;
    smc_qcol *cols = smc_alloc(x->ctx, (k + 1) * sizeof *cols);
    smc_map named = {0}; /* name -> its first column + 1 */
    *n = 0;
    for (smc_selitem *it = items; it; it = it->next) {
        smc_check_expr(x->ck, sc, it->expr);
        const char *name = item_name(it);
        void *first = name ? smc_map_put(x->ctx, &named, name, (void *)(uintptr_t)(*n + 1)) : NULL;
        if (first) {
            smc_diag *d = smc_error(x->ctx, it->span, SMC_E_DUPLICATE,
                                    "two result columns are named '%s'", name);
            smc_note(x->ctx, d, &cols[(uintptr_t)first - 1].expr->span, "the first is here");
            smc_note(x->ctx, d, NULL, "rename one with 'as'");
        }
        cols[*n].name = name;
        cols[*n].type = it->expr->type;
        cols[*n].expr = it->expr;
        (*n)++;
    }
    *out = cols;
}

/* Is this select `select Model ...` (a model select)? */
static smc_model *model_select(smc_qctx *x, smc_select *s)
{
    if (s->from.s || !s->items || s->items->next || s->items->alias.s)
        return NULL;
    smc_expr *e = s->items->expr;
    if (e->kind != SMC_EX_NAME || e->qual.s)
        return NULL;
    smc_decl *d = smc_lookup(x->ck, e->name.s);
    return d && d->kind == SMC_D_MODEL && d->model && d->model->is_table ? d->model : NULL;
}

static void check_order(smc_qctx *x, smc_scope *sc, smc_qsel *qs)
{
    smc_select *s = qs->ast;
    for (smc_order *o = s->order; o; o = o->next) {
        smc_expr *e = o->expr;
        if (e->kind == SMC_EX_PARAM && !e->optional) {
            smc_param *p = smc_query_param(x->q, e->name.s);
            if (p && p->type->type.base == SMC_B_SORT) {
                smc_index_ref(x->ck, e->name.span, SMC_REF_PARAM, p, 0);
                p->used = true;
                e->param = p;
                e->type = p->type->type;
                add_once(x, &x->info->choices, &x->info->nchoices, p);
                /* Every choice must be a column of this select. */
                for (smc_targ *a = p->type->args; a; a = a->next) {
                    smc_expr probe;
                    memset(&probe, 0, sizeof probe);
                    probe.kind = SMC_EX_NAME;
                    probe.name = a->name;
                    probe.span = a->span;
                    smc_check_expr(x->ck, sc, &probe);
                }
                goto dir;
            }
        }
        smc_check_expr(x->ck, sc, e);
        smc_q_forbid_optional(x, e, "in 'order by'");
        if (!smc_q_bad(e) && (e->type.base == SMC_B_JSON || e->type.base == SMC_B_BYTES))
            smc_error(x->ctx, e->span, SMC_E_TYPE, "cannot order by '%s'",
                      smc_type_name(x->ctx, &e->type));
        if (qs->grouped && !group_failed(s))
            check_grouped(x, s, e, false);
    dir:
        if (o->dir_param.s) {
            smc_param *p = smc_query_param(x->q, o->dir_param.s);
            smc_index_ref(x->ck, o->dir_param.span, SMC_REF_PARAM, p, 0);
            if (!p) {
                smc_diag *d = smc_error(x->ctx, o->dir_param.span, SMC_E_UNKNOWN_PARAM,
                                        "unknown parameter ':%s'", o->dir_param.s);
                if (!d->hidden) {
                    const char **names = smc_alloc(x->ctx, (x->q->nparams + 1) * sizeof *names);
                    for (smc_param *q = x->q->params; q; q = q->next)
                        names[q->index] = q->name.s;
                    smc_suggest(x->ctx, d, o->dir_param.s, names, x->q->nparams);
                }
            } else if (p->type->type.base != SMC_B_DIR) {
                smc_error(x->ctx, o->dir_param.span, SMC_E_TYPE,
                          "':%s' after an order item must be a 'dir' parameter, not '%s'",
                          p->name.s, smc_type_name(x->ctx, &p->type->type));
            } else {
                p->used = true;
                add_once(x, &x->info->choices, &x->info->nchoices, p);
            }
        }
    }
}

/* The first column a (sub)expression names, outside subqueries. */
static smc_expr *column_in(smc_expr *e)
{
    if (!e)
        return NULL;
    if (e->kind == SMC_EX_NAME && e->col)
        return e;
    smc_expr *c = column_in(e->a);
    c = c ? c : column_in(e->b);
    c = c ? c : column_in(e->c);
    for (smc_expr *a = e->args; a && !c; a = a->next)
        c = column_in(a);
    return c;
}

static void check_limit(smc_qctx *x, smc_scope *sc, smc_expr *e, const char *what)
{
    if (!e)
        return;
    smc_check_expr(x->ck, sc, e);
    smc_q_forbid_optional(x, e, smc_printf(x->ctx, "in '%s'", what));
    smc_expr *col = column_in(e);
    if (col)
        smc_error(x->ctx, col->span, SMC_E_LIMIT,
                  "'%s' cannot read column '%s'; it takes numbers and parameters", what,
                  col->name.s);
    else if (!smc_q_bad(e) && !smc_type_is_int(&e->type))
        smc_error(x->ctx, e->span, SMC_E_LIMIT, "'%s' needs an integer, not '%s'", what,
                  smc_type_name(x->ctx, &e->type));
    else if (!smc_q_bad(e) && e->type.nullable)
        smc_error(x->ctx, e->span, SMC_E_LIMIT, "'%s' cannot be null ('%s')", what,
                  smc_type_name(x->ctx, &e->type));
}

static smc_qsel *check_select(smc_qctx *x, smc_scope *outer, smc_select *s, bool top)
{
    smc_qsel *qs = smc_alloc(x->ctx, sizeof *qs);
    qs->ast = s;
    s->sema = qs;
    uint32_t njoins = 0;
    for (smc_join *j = s->joins; j; j = j->next)
        njoins++;
    qs->entries = smc_alloc(x->ctx, (njoins + 1) * sizeof *qs->entries);
    qs->joins = smc_alloc(x->ctx, (njoins + 1) * sizeof *qs->joins);
    smc_model *sel = model_select(x, s);
    if (sel)
        smc_index_ref(x->ck, s->items->expr->name.span, SMC_REF_DECL, sel->decl, 0);
    smc_model *from = sel;
    if (!sel && !s->from.s) {
        smc_expr *e = s->items->expr;
        if (e->kind == SMC_EX_NAME && !e->qual.s && !s->items->next)
            smc_q_table(x, e->name, "select reads a table");
        else
            smc_error(x->ctx, s->span, SMC_E_RESULT,
                      "a projection needs 'from': select ... from Model");
        return NULL;
    }
    if (!from)
        from = smc_q_table(x, s->from, "'from' needs a table");
    if (!from)
        return NULL;
    qs->model_select = sel != NULL;
    qs->model = from;
    qs->entries[0].model = from;
    qs->entries[0].alias = from->name;
    qs->nentries = 1;
    bool ok = true;
    smc_map in_select = {0}; /* model name -> true, for selects of many joins */
    smc_map_put(x->ctx, &in_select, from->name, from);
    for (smc_join *j = s->joins; j; j = j->next) {
        smc_model *m = smc_q_table(x, j->model, "'join' needs a table");
        if (!m) {
            ok = false;
            continue;
        }
        if (smc_map_put(x->ctx, &in_select, m->name, m)) {
            smc_error(x->ctx, j->model.span, SMC_E_JOIN,
                      "'%s' is already in this select; a model can be joined once", m->name);
            ok = false;
        }
        uint32_t k = qs->nentries++;
        qs->entries[k].model = m;
        qs->entries[k].alias = m->name;
        qs->entries[k].nullable = j->left;
        qs->joins[k - 1].ast = j;
        qs->joins[k - 1].entry = &qs->entries[k];
        if (j->on) {
            smc_scope sc = smc_q_scope(x, outer, qs->entries, qs->nentries);
            smc_check_expr(x->ck, &sc, j->on);
            smc_q_want_bool(x, j->on, "'on'");
            smc_q_forbid_optional(x, j->on, "in 'on'");
        } else if (ok) {
            ok = join_fk(x, qs, k);
        }
    }
    qs->qualify = qs->nentries > 1 || outer != NULL;
    smc_scope sc = smc_q_scope(x, outer, qs->entries, qs->nentries);
    sc.incomplete = !ok;
    if (s->where) {
        smc_check_expr(x->ck, &sc, s->where);
        smc_q_want_bool(x, s->where, "'where'");
        if (top)
            smc_q_conjuncts_optional(x, s->where);
        else
            smc_q_forbid_optional(x, s->where, "inside a subquery");
    }
    for (smc_expr *g = s->group_by; g; g = g->next) {
        smc_check_expr(x->ck, &sc, g);
        smc_q_forbid_optional(x, g, "in 'group by'");
    }
    sc.allow_aggregates = true;
    if (qs->model_select) {
        /* Result columns are the model's, mapped to the result type later. */
        qs->ncols = 0;
    } else {
        smc_q_items(x, &sc, s->items, &qs->cols, &qs->ncols);
        for (smc_selitem *it = s->items; it; it = it->next)
            smc_q_forbid_optional(x, it->expr, "in a select item");
    }
    bool any_agg = false, any_plain = false;
    for (smc_selitem *it = s->items; it && !qs->model_select; it = it->next) {
        if (it->expr->aggregate)
            any_agg = true;
        else if (it->expr->kind != SMC_EX_INT && it->expr->kind != SMC_EX_STRING)
            any_plain = true;
    }
    qs->grouped = s->group_by || any_agg || s->having;
    if (s->having) {
        smc_check_expr(x->ck, &sc, s->having);
        smc_q_want_bool(x, s->having, "'having'");
        if (top)
            smc_q_conjuncts_optional(x, s->having);
        else
            smc_q_forbid_optional(x, s->having, "inside a subquery");
    }
    if (qs->grouped && qs->model_select) {
        smc_error(x->ctx, s->span, SMC_E_AGG_MIX,
                  "a model select reads whole rows; use a projection to group");
    } else if (any_agg && any_plain && !s->group_by) {
        smc_diag *d = smc_error(x->ctx, s->items->span, SMC_E_AGG_MIX,
                                "aggregates and plain columns are mixed without 'group by'");
        smc_note(x->ctx, d, NULL, "group by the plain columns, or aggregate them too");
    } else if (qs->grouped && !group_failed(s)) {
        for (smc_selitem *it = s->items; it; it = it->next)
            check_grouped(x, s, it->expr, false);
        check_grouped(x, s, s->having, false);
    }
    sc.allow_aggregates = qs->grouped;
    check_order(x, &sc, qs);
    sc.allow_aggregates = false;
    check_limit(x, &sc, s->limit, "limit");
    check_limit(x, &sc, s->offset, "offset");
    return ok ? qs : NULL;
}

void smc_check_subselect(smc_checker *ck, smc_scope *sc, smc_expr *e)
{
    memset(&e->type, 0, sizeof e->type);
    if (!sc->query) {
        smc_error(ck->ctx, e->span, SMC_E_SUBQUERY, "subqueries are only allowed in queries");
        return;
    }
    smc_qctx x = {ck, ck->ctx, NULL, sc->query, sc->query->sema, false};
    smc_qsel *qs = check_select(&x, sc, e->sub, false);
    if (!qs || (e->a && smc_q_bad(e->a)))
        return;
    if (e->kind == SMC_EX_EXISTS) {
        e->type.base = SMC_B_BOOL;
        return;
    }
    if (qs->model_select || qs->ncols != 1) {
        smc_error(ck->ctx, e->sub->span, SMC_E_SUBQUERY,
                  "this subquery must select exactly one column");
        return;
    }
    smc_type t = qs->cols[0].type;
    if (t.base == SMC_B_ERROR)
        return;
    if (e->kind == SMC_EX_SUBQUERY) {
        e->type = t;
        e->type.nullable = true; /* no row gives null */
        return;
    }
    /* a in (select b ...) */
    bool ok = t.base == e->a->type.base || (smc_type_is_numeric(&t) && smc_type_is_numeric(&e->a->type));
    if (!ok || t.base == SMC_B_JSON || (t.base == SMC_B_ENUM && t.decl != e->a->type.decl)) {
        smc_error(ck->ctx, e->span, SMC_E_TYPE, "cannot look for '%s' among '%s'",
                  smc_type_name(ck->ctx, &e->a->type), smc_type_name(ck->ctx, &t));
        return;
    }
    e->type.base = SMC_B_BOOL;
    e->type.nullable = e->a->type.nullable || t.nullable;
}

/* ---- Driver ------------------------------------------------------------------------------------ */

/* The runtime's statements (sm_qstmt) say what each placeholder binds in
 * one byte: a field below SM_ARG_KEYS (0x7f), with SM_ARG_PRESENT (0x80)
 * as a flag, and at most 255 placeholders a statement.  A raw statement
 * binds every parameter once; another writes a placeholder per use of a
 * parameter (nbinds), in every variant at most. */
enum { MAX_FIELDS = 127, MAX_PLACEHOLDERS = 255 };

static void check_binds(smc_checker *ck, smc_decl *d)
{
    smc_query *q = d->query;
    uint32_t fields = 0;
    smc_param *over = NULL;
    for (smc_param *p = q->params; p; p = p->next)
        if (p->field != UINT32_MAX && ++fields == MAX_FIELDS + 1)
            over = p;
    if (over) {
        smc_diag *e = smc_error(ck->ctx, over->name.span, SMC_E_TOO_MANY_BINDS,
                                "query '%s' has %u bound parameters; at most %d are allowed",
                                d->name.s, fields, MAX_FIELDS);
        smc_note(ck->ctx, e, NULL, "pass many values as one list parameter ([int] or [text])");
        return;
    }
    uint32_t binds = q->raw ? fields : q->nbinds;
    if (binds > MAX_PLACEHOLDERS) {
        smc_diag *e = smc_error(ck->ctx, d->name.span, SMC_E_TOO_MANY_BINDS,
                                "query '%s' can bind %u values in one statement; at most %d fit",
                                d->name.s, binds, MAX_PLACEHOLDERS);
        smc_note(ck->ctx, e, NULL, "each use of a parameter is a placeholder (a list's two on "
                                   "some databases); use each fewer times");
    }
}

/* Appends the top-level conjuncts of e to the lowered query's list. */
static void add_conjuncts(smc_qctx *x, smc_expr *e)
{
    while (e->kind == SMC_EX_BINARY && e->op == SMC_OP_AND) {
        add_conjuncts(x, e->a); /* `a and b and c` nests to the left: the loop takes the right */
        e = e->b;
    }
    smc_qinfo *in = x->info;
    smc_expr **grown = smc_grow(x->ctx, in->conds, in->nconds, sizeof *grown);
    grown[in->nconds++] = e;
    in->conds = grown;
}

/* The lowered form of a checked statement (smc_qinfo.conds, flags). */
static void lower(smc_qctx *x, smc_stmt *st)
{
    smc_expr *where = st->kind == SMC_S_SELECT ? st->select->where : st->where;
    if (where)
        add_conjuncts(x, where);
    if (st->kind == SMC_S_SELECT)
        x->info->flags |= st->select->lock ? SMC_QF_LOCK : SMC_QF_READONLY;
}

static void check_query(smc_checker *ck, smc_decl *d)
{
    smc_query *q = d->query;
    smc_qctx x = {ck, ck->ctx, d, q, smc_alloc(ck->ctx, sizeof *x.info), false};
    x.info->decl = d;
    q->sema = x.info;
    int errors = ck->ctx->nerrors;
    smc_check_attrs(ck, d->attrs, SMC_AT_QUERY, "a query");
    for (smc_attr *a = d->attrs; a; a = a->next) {
        if (a->used || strcmp(a->name.s, "timeout") != 0)
            continue;
        smc_expr *e = a->nargs == 1 && !a->args->label.s ? a->args->value : NULL;
        if (!e || e->kind != SMC_EX_DURATION || e->ival <= 0 || e->ival > INT32_MAX)
            smc_error(ck->ctx, a->span, SMC_E_ATTR_ARGS,
                      "'@timeout' takes a positive duration such as 250ms, 5s or 2m");
        else
            x.info->timeout_ms = (int32_t)e->ival;
        a->used = true;
    }
    check_params(&x);
    if (ck->ctx->nerrors != errors)
        return;
    if (q->raw) {
        smc_q_raw(&x);
        smc_q_secrets(&x);
        if (q->ret.kind != SMC_R_EXEC)
            smc_q_result(&x, NULL, 0, NULL);
        if (q->ret.with && ck->ctx->nerrors == errors)
            smc_q_with(&x);
        x.info->nvariants = 1;
        return;
    }
    smc_stmt *st = q->stmt;
    smc_qcol *cols = NULL;
    uint32_t ncols = 0;
    smc_model *model_sel = NULL;
    switch (st->kind) {
    case SMC_S_SELECT:
        x.info->sel = check_select(&x, NULL, st->select, true);
        if (x.info->sel) {
            smc_q_collect_optional(&x, st->select->where);
            smc_q_collect_optional(&x, st->select->having);
            if (x.info->sel->model_select)
                model_sel = x.info->sel->model;
            cols = x.info->sel->cols;
            ncols = x.info->sel->ncols;
        }
        break;
    case SMC_S_INSERT:
        smc_q_insert(&x, st);
        cols = x.info->returning;
        ncols = x.info->nreturning;
        break;
    default:
        smc_q_update_delete(&x, st);
        cols = x.info->returning;
        ncols = x.info->nreturning;
        break;
    }
    /* A select that failed quietly (it builds on a reported mistake) has
     * no result to check either. */
    if (ck->ctx->nerrors != errors || x.failed || (st->kind == SMC_S_SELECT && !x.info->sel))
        return;
    smc_q_secrets(&x);
    if (st->kind == SMC_S_SELECT) {
        if (x.info->sel->ast->lock && x.info->sel->grouped)
            smc_error(ck->ctx, st->span, SMC_E_RESULT, "a grouped select cannot lock rows");
        smc_q_result(&x, cols, ncols, model_sel);
    } else {
        smc_q_result(&x, st->has_returning ? cols : NULL, ncols, NULL);
    }
    lower(&x, st);
    if (q->ret.with && ck->ctx->nerrors == errors)
        smc_q_with(&x);
    /* -> T and -> T? read at most two rows / one row. */
    if (st->kind == SMC_S_SELECT && !st->select->limit)
        x.info->implicit_limit = x.info->ret == SMC_R_ONE ? 2 : x.info->ret == SMC_R_OPT ? 1 : 0;
    /* Variants: each optional parameter doubles them, each sort parameter
     * multiplies them by its choices, each dir parameter doubles them. */
    uint64_t v = (uint64_t)1 << (x.info->nopt < 32 ? x.info->nopt : 32);
    for (uint32_t i = 0; i < x.info->nchoices; i++) {
        smc_param *p = x.info->choices[i];
        uint32_t k = 0;
        for (smc_targ *a = p->type->args; a; a = a->next)
            k++;
        v *= p->type->type.base == SMC_B_SORT ? k : 2;
    }
    if (v > MAX_VARIANTS) {
        smc_diag *e = smc_error(ck->ctx, d->name.span, SMC_E_VARIANTS,
                                "query '%s' has %llu variants of its SQL; at most %d are allowed",
                                d->name.s, (unsigned long long)v, MAX_VARIANTS);
        smc_note(ck->ctx, e, NULL, "each ':p?' doubles them, each sort(...) multiplies them by its "
                                   "choices and each dir doubles them");
    }
    x.info->nvariants = (uint32_t)v;
    check_binds(ck, d);
    for (smc_param *p = q->params; p; p = p->next)
        if (!p->used) {
            smc_diag *e = smc_error(ck->ctx, p->name.span, SMC_E_UNUSED_PARAM,
                                    "parameter '%s' is never used", p->name.s);
            smc_note(ck->ctx, e, NULL, "use it as ':%s', or remove it", p->name.s);
        }
}

void smc_check_queries(smc_checker *ck)
{
    smc_sema *s = ck->out;
    for (uint32_t i = 0; i < ck->nfiles; i++)
        for (smc_decl *d = ck->files[i]->decls; d; d = d->next) {
            if (d->kind != SMC_D_QUERY)
                continue;
            ck->cur = d->file;
            check_query(ck, d);
            if (d->file == s->main && d->query->sema) {
                smc_qinfo **grown = smc_grow(ck->ctx, s->queries, s->nqueries, sizeof *grown);
                grown[s->nqueries++] = d->query->sema;
                s->queries = grown;
            }
        }
}
