/*
 * sema_query.c: queries.  Checks parameters, the statement (selects with
 * joins, grouping and subqueries; inserts, updates, deletes, upserts,
 * returning), optional predicates and dynamic sorting, and the declared
 * result, which may define a row type from a projection.  The checked
 * form (smc_qinfo) is what emit_query.c writes as SQL.
 */
#include "dialect.h"
#include "sema_int.h"

#include <string.h>

enum { MAX_VARIANTS = 64 };

typedef struct qctx {
    smc_checker *ck;
    smc_decl *decl;
    smc_query *q;
    smc_qinfo *info;
} qctx;

static smc_ctx *C(qctx *x)
{
    return x->ck->ctx;
}

static bool bad(const smc_expr *e)
{
    return e->type.base == SMC_B_ERROR;
}

/* ---- Parameters ---------------------------------------------------------------- */

static void check_params(qctx *x)
{
    smc_map seen = {0};
    uint32_t field = 0;
    for (smc_param *p = x->q->params; p; p = p->next) {
        smc_resolve_type(x->ck, p->type, SMC_TY_PARAM);
        /* sort and dir choose the SQL variant; the rest are bound. */
        bool bound = p->type->type.base != SMC_B_SORT && p->type->type.base != SMC_B_DIR;
        p->field = bound ? field++ : UINT32_MAX;
        smc_param *old = smc_map_put(C(x), &seen, p->name.s, p);
        if (old) {
            smc_diag *e = smc_error(C(x), p->name.span, SMC_E_DUPLICATE,
                                    "parameter '%s' is already declared", p->name.s);
            smc_note(C(x), e, &old->name.span, "previous declaration is here");
        }
        const smc_type *t = &p->type->type;
        if (t->base == SMC_B_JSON || t->base == SMC_B_BYTES) {
            smc_error(C(x), p->type->span, SMC_E_FIELD_TYPE,
                      "a query parameter cannot be '%s'", smc_type_name(C(x), t));
            p->type->type.base = SMC_B_ERROR;
        }
        if ((t->base == SMC_B_SORT || t->base == SMC_B_DIR) && t->nullable) {
            smc_error(C(x), p->type->span, SMC_E_FIELD_TYPE,
                      "'%s' parameters choose one of their values; they cannot be optional",
                      t->base == SMC_B_SORT ? "sort" : "dir");
            p->type->type.base = SMC_B_ERROR;
        }
    }
}

/* ---- Scopes ------------------------------------------------------------------------ */

static smc_model *table_named(qctx *x, smc_name n, const char *what)
{
    smc_decl *d = smc_lookup(x->ck, n.s);
    if (!d || d->kind != SMC_D_MODEL || !d->model) {
        smc_unknown(x->ck, n.span, SMC_E_UNKNOWN_NAME, "table", n.s, 1u << SMC_D_MODEL, false);
        return NULL;
    }
    if (!d->model->is_table) {
        smc_error(C(x), n.span, SMC_E_UNKNOWN_NAME, "'%s' is a %s, not a table; %s", n.s,
                  d->kind == SMC_D_ROW ? "row" : "model", what);
        return NULL;
    }
    return d->model;
}

static smc_scope scope_of(qctx *x, smc_scope *outer, smc_scope_entry *entries, uint32_t n)
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

static void want_bool(qctx *x, smc_expr *e, const char *where)
{
    if (!bad(e) && e->type.base != SMC_B_BOOL)
        smc_error(C(x), e->span, SMC_E_TYPE, "%s needs a condition (bool), not '%s'", where,
                  smc_type_name(C(x), &e->type));
}

/* ---- Optional markers ---------------------------------------------------------------- */

/* Finds `:p?` inside e; reports those not allowed here. */
static void forbid_optional(qctx *x, smc_expr *e, const char *where)
{
    if (!e)
        return;
    if (e->kind == SMC_EX_PARAM && e->optional) {
        smc_diag *d = smc_error(C(x), e->span, SMC_E_OPTIONAL, "':%s?' is not allowed %s",
                                e->name.s, where);
        smc_note(C(x), d, NULL, "an optional marker drops a whole top-level condition of "
                                "'where' or 'having' (joined by 'and'), or a 'set' item");
        return;
    }
    forbid_optional(x, e->a, where);
    forbid_optional(x, e->b, where);
    forbid_optional(x, e->c, where);
    for (smc_expr *a = e->args; a; a = a->next)
        forbid_optional(x, a, where);
}

/* In a where/having, `:p?` may appear inside a top-level conjunct but not
 * under an `or` or `not` of that conjunct's own (dropping it would change
 * the meaning of what remains) — it may appear anywhere within the
 * conjunct except inside a subquery. */
static void conjuncts_optional(qctx *x, smc_expr *e)
{
    if (!e)
        return;
    if (e->kind == SMC_EX_BINARY && e->op == SMC_OP_AND) {
        conjuncts_optional(x, e->a);
        conjuncts_optional(x, e->b);
        return;
    }
    /* A conjunct: optional markers are fine in it, but not in a subquery. */
    if (e->sub) {
        forbid_optional(x, e->a, "inside a subquery's operand");
        return;
    }
    if (e->kind == SMC_EX_BINARY && e->op == SMC_OP_OR) {
        forbid_optional(x, e, "under 'or'");
        return;
    }
    if (e->kind == SMC_EX_UNARY && e->op == SMC_OP_NOT) {
        forbid_optional(x, e, "under 'not'");
        return;
    }
}

/* Appends p to a parameter set unless it is there. */
static void add_once(qctx *x, smc_param ***set, uint32_t *n, smc_param *p)
{
    for (uint32_t i = 0; i < *n; i++)
        if ((*set)[i] == p)
            return;
    smc_param **grown = smc_grow(C(x), *set, *n, sizeof *grown);
    grown[(*n)++] = p;
    *set = grown;
}

static void collect_optional(qctx *x, smc_expr *e)
{
    if (!e)
        return;
    if (e->kind == SMC_EX_PARAM && e->optional && e->param)
        add_once(x, &x->info->opt, &x->info->nopt, e->param);
    collect_optional(x, e->a);
    collect_optional(x, e->b);
    collect_optional(x, e->c);
    for (smc_expr *a = e->args; a; a = a->next)
        collect_optional(x, a);
}

/* ---- Selects ------------------------------------------------------------------------- */

static smc_col *column_of(const smc_model *m, const char *name)
{
    for (uint32_t i = 0; i < m->ncols; i++)
        if (m->cols[i]->column && strcmp(m->cols[i]->name, name) == 0)
            return m->cols[i];
    return NULL;
}

/* A join without `on` follows the single FK between the new model and
 * one model already in the select. */
static bool join_fk(qctx *x, smc_qsel *s, uint32_t k)
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
    smc_diag *d = smc_error(C(x), j->ast->span, SMC_E_JOIN,
                            found ? "'%s' is linked to the query by %u foreign keys"
                                  : "no foreign key links '%s' to the models before it",
                            e->model->name, found);
    smc_note(C(x), d, NULL, "write the condition: join %s on ...", e->model->name);
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

/* In a grouped select, every column outside an aggregate must be grouped. */
static void check_grouped(qctx *x, const smc_select *s, smc_expr *e, bool in_agg)
{
    if (!e || bad(e))
        return;
    if (!in_agg && grouped_by(s, e))
        return;
    if (e->kind == SMC_EX_NAME && e->col && !in_agg) {
        smc_diag *d = smc_error(C(x), e->span, SMC_E_NOT_GROUPED,
                                "column '%s' is neither grouped nor inside an aggregate",
                                e->name.s);
        smc_note(C(x), d, NULL, "add it to 'group by' or wrap it in count, sum, avg, min or max");
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

static void check_items(qctx *x, smc_scope *sc, smc_selitem *items, smc_qcol **out, uint32_t *n)
{
    uint32_t k = 0;
    for (smc_selitem *it = items; it; it = it->next)
        k++;
    smc_qcol *cols = smc_alloc(C(x), (k + 1) * sizeof *cols);
    *n = 0;
    for (smc_selitem *it = items; it; it = it->next) {
        smc_check_expr(x->ck, sc, it->expr);
        const char *name = item_name(it);
        for (uint32_t i = 0; i < *n && name; i++)
            if (cols[i].name && strcmp(cols[i].name, name) == 0) {
                smc_diag *d = smc_error(C(x), it->span, SMC_E_DUPLICATE,
                                        "two result columns are named '%s'", name);
                smc_note(C(x), d, &cols[i].expr->span, "the first is here");
                smc_note(C(x), d, NULL, "rename one with 'as'");
            }
        cols[*n].name = name;
        cols[*n].type = it->expr->type;
        cols[*n].expr = it->expr;
        (*n)++;
    }
    *out = cols;
}

/* Is this select `select Model ...` (a model select)? */
static smc_model *model_select(qctx *x, smc_select *s)
{
    if (s->from.s || !s->items || s->items->next || s->items->alias.s)
        return NULL;
    smc_expr *e = s->items->expr;
    if (e->kind != SMC_EX_NAME || e->qual.s)
        return NULL;
    smc_decl *d = smc_lookup(x->ck, e->name.s);
    return d && d->kind == SMC_D_MODEL && d->model && d->model->is_table ? d->model : NULL;
}

static void check_order(qctx *x, smc_scope *sc, smc_qsel *qs)
{
    smc_select *s = qs->ast;
    for (smc_order *o = s->order; o; o = o->next) {
        smc_expr *e = o->expr;
        if (e->kind == SMC_EX_PARAM && !e->optional) {
            smc_param *p = x->q->params;
            while (p && strcmp(p->name.s, e->name.s) != 0)
                p = p->next;
            if (p && p->type->type.base == SMC_B_SORT) {
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
        forbid_optional(x, e, "in 'order by'");
        if (!bad(e) && (e->type.base == SMC_B_JSON || e->type.base == SMC_B_BYTES))
            smc_error(C(x), e->span, SMC_E_TYPE, "cannot order by '%s'",
                      smc_type_name(C(x), &e->type));
        if (qs->grouped)
            check_grouped(x, s, e, false);
    dir:
        if (o->dir_param.s) {
            smc_param *p = x->q->params;
            while (p && strcmp(p->name.s, o->dir_param.s) != 0)
                p = p->next;
            if (!p) {
                smc_diag *d = smc_error(C(x), o->dir_param.span, SMC_E_UNKNOWN_PARAM,
                                        "unknown parameter ':%s'", o->dir_param.s);
                const char **names = smc_alloc(C(x), (x->q->nparams + 1) * sizeof *names);
                for (smc_param *q = x->q->params; q; q = q->next)
                    names[q->index] = q->name.s;
                smc_suggest(C(x), d, o->dir_param.s, names, x->q->nparams);
            } else if (p->type->type.base != SMC_B_DIR) {
                smc_error(C(x), o->dir_param.span, SMC_E_TYPE,
                          "':%s' after an order item must be a 'dir' parameter, not '%s'",
                          p->name.s, smc_type_name(C(x), &p->type->type));
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

static void check_limit(qctx *x, smc_scope *sc, smc_expr *e, const char *what)
{
    if (!e)
        return;
    smc_check_expr(x->ck, sc, e);
    forbid_optional(x, e, smc_printf(C(x), "in '%s'", what));
    smc_expr *col = column_in(e);
    if (col)
        smc_error(C(x), col->span, SMC_E_LIMIT,
                  "'%s' cannot read column '%s'; it takes numbers and parameters", what,
                  col->name.s);
    else if (!bad(e) && !smc_type_is_int(&e->type))
        smc_error(C(x), e->span, SMC_E_LIMIT, "'%s' needs an integer, not '%s'", what,
                  smc_type_name(C(x), &e->type));
    else if (!bad(e) && e->type.nullable)
        smc_error(C(x), e->span, SMC_E_LIMIT, "'%s' cannot be null ('%s')", what,
                  smc_type_name(C(x), &e->type));
}

static smc_qsel *check_select(qctx *x, smc_scope *outer, smc_select *s, bool top)
{
    smc_qsel *qs = smc_alloc(C(x), sizeof *qs);
    qs->ast = s;
    s->sema = qs;
    uint32_t njoins = 0;
    for (smc_join *j = s->joins; j; j = j->next)
        njoins++;
    qs->entries = smc_alloc(C(x), (njoins + 1) * sizeof *qs->entries);
    qs->joins = smc_alloc(C(x), (njoins + 1) * sizeof *qs->joins);
    smc_model *sel = model_select(x, s);
    smc_model *from = sel;
    if (!sel && !s->from.s) {
        smc_expr *e = s->items->expr;
        if (e->kind == SMC_EX_NAME && !e->qual.s && !s->items->next)
            table_named(x, e->name, "select reads a table");
        else
            smc_error(C(x), s->span, SMC_E_RESULT,
                      "a projection needs 'from': select ... from Model");
        return NULL;
    }
    if (!from)
        from = table_named(x, s->from, "'from' needs a table");
    if (!from)
        return NULL;
    qs->model_select = sel != NULL;
    qs->model = from;
    qs->entries[0].model = from;
    qs->entries[0].alias = from->name;
    qs->nentries = 1;
    bool ok = true;
    for (smc_join *j = s->joins; j; j = j->next) {
        smc_model *m = table_named(x, j->model, "'join' needs a table");
        if (!m) {
            ok = false;
            continue;
        }
        for (uint32_t i = 0; i < qs->nentries; i++)
            if (qs->entries[i].model == m) {
                smc_error(C(x), j->model.span, SMC_E_JOIN,
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
            smc_scope sc = scope_of(x, outer, qs->entries, qs->nentries);
            smc_check_expr(x->ck, &sc, j->on);
            want_bool(x, j->on, "'on'");
            forbid_optional(x, j->on, "in 'on'");
        } else if (ok) {
            ok = join_fk(x, qs, k);
        }
    }
    qs->qualify = qs->nentries > 1 || outer != NULL;
    smc_scope sc = scope_of(x, outer, qs->entries, qs->nentries);
    if (s->where) {
        smc_check_expr(x->ck, &sc, s->where);
        want_bool(x, s->where, "'where'");
        if (top)
            conjuncts_optional(x, s->where);
        else
            forbid_optional(x, s->where, "inside a subquery");
    }
    for (smc_expr *g = s->group_by; g; g = g->next) {
        smc_check_expr(x->ck, &sc, g);
        forbid_optional(x, g, "in 'group by'");
    }
    sc.allow_aggregates = true;
    if (qs->model_select) {
        /* Result columns are the model's, mapped to the result type later. */
        qs->ncols = 0;
    } else {
        check_items(x, &sc, s->items, &qs->cols, &qs->ncols);
        for (smc_selitem *it = s->items; it; it = it->next)
            forbid_optional(x, it->expr, "in a select item");
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
        want_bool(x, s->having, "'having'");
        if (top)
            conjuncts_optional(x, s->having);
        else
            forbid_optional(x, s->having, "inside a subquery");
    }
    if (qs->grouped && qs->model_select) {
        smc_error(C(x), s->span, SMC_E_AGG_MIX,
                  "a model select reads whole rows; use a projection to group");
    } else if (any_agg && any_plain && !s->group_by) {
        smc_diag *d = smc_error(C(x), s->items->span, SMC_E_AGG_MIX,
                                "aggregates and plain columns are mixed without 'group by'");
        smc_note(C(x), d, NULL, "group by the plain columns, or aggregate them too");
    } else if (qs->grouped) {
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
    qctx x = {ck, NULL, sc->query, sc->query->sema};
    if (e->a)
        smc_check_expr(ck, sc, e->a);
    smc_qsel *qs = check_select(&x, sc, e->sub, false);
    if (!qs || (e->a && bad(e->a)))
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

/* ---- Writes ----------------------------------------------------------------------------- */

/* Can a value of type v be written to column c? */
static bool writable(qctx *x, smc_col *c, smc_expr *v)
{
    if (bad(v) || c->type.base == SMC_B_ERROR)
        return true;
    const smc_type *t = &c->type, *u = &v->type;
    bool same = u->base == SMC_B_NULL || t->base == u->base ||
                (smc_type_is_numeric(t) && smc_type_is_numeric(u) &&
                 !(smc_type_is_int(t) && !smc_type_is_int(u)));
    if (same && t->base == SMC_B_ENUM && u->base == SMC_B_ENUM)
        same = t->decl == u->decl;
    if (!same) {
        smc_error(C(x), v->span, SMC_E_TYPE, "column '%s' is '%s'; this is '%s'", c->name,
                  smc_type_name(C(x), t), smc_type_name(C(x), u));
        return false;
    }
    if (u->nullable && !t->nullable && !(v->kind == SMC_EX_PARAM && v->optional)) {
        smc_error(C(x), v->span, SMC_E_TYPE, "column '%s' is not nullable; this value may be null",
                  c->name);
        return false;
    }
    return true;
}

static smc_col *target_col(qctx *x, smc_model *t, smc_name n)
{
    smc_col *c = column_of(t, n.s);
    if (!c) {
        smc_diag *d = smc_error(C(x), n.span, SMC_E_UNKNOWN_COLUMN, "table '%s' has no column '%s'",
                                t->name, n.s);
        const char **names = smc_alloc(C(x), (t->ncols + 1) * sizeof *names);
        for (uint32_t i = 0; i < t->ncols; i++)
            names[i] = t->cols[i]->column ? t->cols[i]->name : NULL;
        smc_suggest(C(x), d, n.s, names, t->ncols);
    }
    return c;
}

static smc_col **check_sets(qctx *x, smc_scope *sc, smc_model *t, smc_set *sets)
{
    uint32_t n = 0;
    for (smc_set *s = sets; s; s = s->next)
        n++;
    smc_col **cols = smc_alloc(C(x), (n + 1) * sizeof *cols);
    n = 0;
    for (smc_set *s = sets; s; s = s->next) {
        smc_col *c = target_col(x, t, s->col);
        smc_check_expr(x->ck, sc, s->value);
        for (uint32_t i = 0; c && i < n; i++)
            if (cols[i] == c)
                smc_error(C(x), s->col.span, SMC_E_WRITE, "column '%s' is set twice", c->name);
        if (c && c->autoinc)
            smc_error(C(x), s->col.span, SMC_E_WRITE, "'%s' is generated by the database (@auto)",
                      c->name);
        if (c)
            writable(x, c, s->value);
        collect_optional(x, s->value);
        cols[n++] = c;
    }
    return cols;
}

static smc_qcol *check_returning(qctx *x, smc_scope *sc, smc_model *t, smc_selitem *items,
                                 uint32_t *n)
{
    /* `returning Hero`: every column. */
    if (items && !items->next && items->expr->kind == SMC_EX_NAME && !items->expr->qual.s &&
        !items->alias.s && strcmp(items->expr->name.s, t->name) == 0) {
        smc_qcol *cols = smc_alloc(C(x), (t->ncols + 1) * sizeof *cols);
        *n = 0;
        for (uint32_t i = 0; i < t->ncols; i++)
            if (t->cols[i]->column) {
                cols[*n].name = t->cols[i]->name;
                cols[*n].type = t->cols[i]->type;
                cols[*n].col = t->cols[i];
                cols[*n].src = &sc->entries[0];
                (*n)++;
            }
        return cols;
    }
    smc_qcol *cols;
    check_items(x, sc, items, &cols, n);
    for (smc_selitem *it = items; it; it = it->next) {
        forbid_optional(x, it->expr, "in 'returning'");
        if (it->expr->aggregate)
            smc_error(C(x), it->expr->span, SMC_E_AGG_MIX, "'returning' cannot aggregate");
    }
    return cols;
}

static void check_insert(qctx *x, smc_stmt *st)
{
    smc_model *t = table_named(x, st->target, "insert needs a table");
    if (!t)
        return;
    x->info->target = t;
    smc_scope_entry *ent = smc_alloc(C(x), 2 * sizeof *ent);
    ent[0].model = t;
    ent[0].alias = t->name;
    smc_scope none = scope_of(x, NULL, NULL, 0);
    uint32_t ncols = 0, nvals = 0;
    for (smc_ident *c = st->cols; c; c = c->next)
        ncols++;
    for (smc_expr *v = st->values; v; v = v->next)
        nvals++;
    x->info->insert_cols = smc_alloc(C(x), (ncols + 1) * sizeof *x->info->insert_cols);
    if (ncols != nvals)
        smc_error(C(x), st->span, SMC_E_WRITE, "%u column%s but %u value%s", ncols,
                  ncols == 1 ? "" : "s", nvals, nvals == 1 ? "" : "s");
    smc_ident *c = st->cols;
    smc_expr *v = st->values;
    for (uint32_t i = 0; c; c = c->next, i++) {
        smc_col *col = target_col(x, t, c->name);
        for (uint32_t k = 0; col && k < i; k++)
            if (x->info->insert_cols[k] == col)
                smc_error(C(x), c->name.span, SMC_E_WRITE, "column '%s' is listed twice",
                          col->name);
        x->info->insert_cols[i] = col;
        if (v) {
            smc_check_expr(x->ck, &none, v);
            forbid_optional(x, v, "in 'values'");
            if (col)
                writable(x, col, v);
            v = v->next;
        }
    }
    for (uint32_t i = 0; i < t->ncols; i++) {
        smc_col *col = t->cols[i];
        if (!col->column || !smc_col_required(col))
            continue;
        bool given = false;
        for (uint32_t k = 0; k < ncols; k++)
            given |= x->info->insert_cols[k] == col;
        if (!given)
            smc_error(C(x), st->target.span, SMC_E_WRITE,
                      "insert into '%s' does not set '%s', which has no default", t->name,
                      col->name);
    }
    if (st->conflict) {
        smc_conflict *cf = st->conflict;
        uint32_t n = 0;
        for (smc_ident *k = cf->cols; k; k = k->next)
            n++;
        smc_col **keys = smc_alloc(C(x), (n + 1) * sizeof *keys);
        n = 0;
        for (smc_ident *k = cf->cols; k; k = k->next) {
            keys[n] = target_col(x, t, k->name);
            if (!keys[n])
                return;
            n++;
        }
        x->info->conflict_cols = keys;
        x->info->nconflict = n;
        /* The conflict target must be the primary key or a unique constraint. */
        bool unique = n == t->nkey;
        for (uint32_t i = 0; unique && i < n; i++) {
            bool in = false;
            for (uint32_t k = 0; k < t->nkey; k++)
                in |= t->key[k] == keys[i];
            unique = in;
        }
        for (uint32_t u = 0; !unique && u < t->nindexes; u++) {
            const smc_index *ix = &t->indexes[u];
            if (!ix->unique || ix->ncols != n)
                continue;
            bool all = true;
            for (uint32_t i = 0; i < n && all; i++) {
                bool in = false;
                for (uint32_t k = 0; k < n; k++)
                    in |= ix->cols[k] == keys[i];
                all = in;
            }
            unique = all;
        }
        if (!unique) {
            smc_diag *d = smc_error(C(x), cf->span, SMC_E_CONFLICT,
                                    "'on conflict' needs the primary key or a unique constraint "
                                    "of '%s'", t->name);
            smc_note(C(x), d, NULL, "some databases report a conflict on any unique key; "
                                    "naming one keeps every database's behaviour the same");
        }
        smc_ident *kid = cf->cols;
        for (uint32_t i = 0; i < n; i++, kid = kid ? kid->next : NULL) {
            bool inserted = false;
            for (uint32_t k = 0; k < ncols; k++)
                inserted |= x->info->insert_cols[k] == keys[i];
            if (!inserted)
                smc_error(C(x), kid ? kid->name.span : cf->span, SMC_E_CONFLICT,
                          "conflict column '%s' must be one of the inserted columns", keys[i]->name);
        }
        if (!cf->do_nothing) {
            ent[1].model = t;
            ent[1].alias = "excluded";
            ent[1].excluded = true;
            smc_scope sc = scope_of(x, NULL, ent, 2);
            x->info->set_cols = check_sets(x, &sc, t, cf->sets);
            for (smc_set *s = cf->sets; s; s = s->next)
                forbid_optional(x, s->value, "in 'on conflict'");
        }
    }
    if (st->returning) {
        smc_scope sc = scope_of(x, NULL, ent, 1);
        x->info->returning = check_returning(x, &sc, t, st->returning, &x->info->nreturning);
    }
}

static void check_update_delete(qctx *x, smc_stmt *st)
{
    smc_model *t = table_named(x, st->target, st->kind == SMC_S_UPDATE ? "update needs a table"
                                                                      : "delete needs a table");
    if (!t)
        return;
    x->info->target = t;
    smc_scope_entry *ent = smc_alloc(C(x), sizeof *ent);
    ent[0].model = t;
    ent[0].alias = t->name;
    smc_scope sc = scope_of(x, NULL, ent, 1);
    if (st->kind == SMC_S_UPDATE)
        x->info->set_cols = check_sets(x, &sc, t, st->sets);
    if (st->where) {
        smc_check_expr(x->ck, &sc, st->where);
        want_bool(x, st->where, "'where'");
        conjuncts_optional(x, st->where);
        collect_optional(x, st->where);
    }
    if (st->returning)
        x->info->returning = check_returning(x, &sc, t, st->returning, &x->info->nreturning);
}

/* ---- Results ------------------------------------------------------------------------------- */

static bool assignable_to(const smc_type *to, const smc_type *from)
{
    if (from->base == SMC_B_ERROR || to->base == SMC_B_ERROR)
        return true;
    return smc_type_assignable(to, from);
}

/* A row type defined by this query's projection. */
static smc_model *define_row(qctx *x, smc_name name, smc_qcol *cols, uint32_t n)
{
    smc_decl *d = smc_alloc(C(x), sizeof *d);
    d->kind = SMC_D_ROW;
    d->name = name;
    d->span = name.span;
    d->file = x->decl->file;
    smc_model *m = smc_alloc(C(x), sizeof *m);
    m->decl = d;
    m->name = name.s;
    m->snake = smc_snake(C(x), name.s);
    m->upper = smc_upper(C(x), name.s);
    m->is_row = true;
    m->implicit = true;
    m->own = true;
    m->checked = true;
    d->model = m;
    m->cols = smc_alloc(C(x), (n + 1) * sizeof *m->cols);
    for (uint32_t i = 0; i < n; i++) {
        smc_col *c = smc_alloc(C(x), sizeof *c);
        smc_field *f = smc_alloc(C(x), sizeof *f);
        f->name.s = cols[i].name;
        f->name.span = cols[i].expr ? cols[i].expr->span : name.span;
        f->span = f->name.span;
        f->owner = d;
        c->name = cols[i].name;
        c->column = cols[i].name;
        c->json = cols[i].name;
        c->field = f;
        c->owner = m;
        c->index = i;
        c->type = cols[i].type;
        if (c->type.base == SMC_B_NULL) {
            c->type.base = SMC_B_TEXT;
            c->type.nullable = true;
        }
        c->min_len = c->max_len = -1;
        m->cols[m->ncols++] = c;
    }
    smc_map_put(C(x), &x->ck->own, name.s, d);
    smc_sema *s = x->ck->out;
    smc_model **grown = smc_grow(C(x), s->models, s->nmodels, sizeof *grown);
    grown[s->nmodels++] = m;
    s->models = grown;
    return m;
}

/* Matches result columns to the row type, by name and type; returns the
 * columns reordered to the row's field order. */
static smc_qcol *match_row(qctx *x, smc_model *row, smc_qcol *cols, uint32_t n, smc_span at,
                           const char *what)
{
    /* A row another query defined must come out the same here. */
    smc_code code = row->implicit ? SMC_E_ROW_SHAPE : SMC_E_RESULT;
    smc_qcol *out = smc_alloc(C(x), (row->ncols + 1) * sizeof *out);
    uint32_t k = 0;
    for (uint32_t i = 0; i < row->ncols; i++) {
        smc_col *f = row->cols[i];
        if (f->rel)
            continue;
        smc_qcol *m = NULL;
        for (uint32_t j = 0; j < n && !m; j++)
            if (strcmp(cols[j].name, f->name) == 0)
                m = &cols[j];
        if (!m) {
            smc_diag *d = smc_error(C(x), at, code, "%s does not provide '%s' of %s '%s'",
                                    what, f->name, row->is_row ? "row" : "model", row->name);
            smc_note(C(x), d, &f->field->name.span, "'%s' is declared here", f->name);
            return NULL;
        }
        if (!assignable_to(&f->type, &m->type) &&
            !(m->type.base == SMC_B_NULL && f->type.nullable)) {
            smc_diag *d = smc_error(C(x), m->expr ? m->expr->span : at, code,
                                    "'%s' is '%s' here but '%s' in %s '%s'", f->name,
                                    smc_type_name(C(x), &m->type), smc_type_name(C(x), &f->type),
                                    row->is_row ? "row" : "model", row->name);
            smc_note(C(x), d, &f->field->name.span, "'%s' is declared here", f->name);
            return NULL;
        }
        out[k] = *m;
        out[k].name = f->name;
        k++;
    }
    for (uint32_t j = 0; j < n; j++) {
        bool used = false;
        for (uint32_t i = 0; i < k; i++)
            used |= strcmp(out[i].name, cols[j].name) == 0;
        if (!used) {
            smc_error(C(x), cols[j].expr ? cols[j].expr->span : at, code,
                      "%s '%s' has no field '%s'", row->is_row ? "row" : "model", row->name,
                      cols[j].name);
            return NULL;
        }
    }
    return out;
}

static bool scalar_name(const char *name)
{
    for (size_t i = 0; smc_builtin_types[i]; i++)
        if (strcmp(smc_builtin_types[i], name) == 0)
            return strcmp(name, "sort") != 0 && strcmp(name, "dir") != 0;
    return false;
}

/* Ties the statement's result columns to the declared return type. */
static void check_result(qctx *x, smc_qcol *cols, uint32_t n, smc_model *model_sel)
{
    smc_qinfo *in = x->info;
    smc_ret *r = &x->q->ret;
    in->ret = r->kind;
    if (r->kind == SMC_R_EXEC) {
        if (cols || model_sel)
            smc_error(C(x), r->span, SMC_E_RETURN, "'-> exec' returns no rows; this statement does");
        return;
    }
    if (!cols && !model_sel && !x->q->raw) {
        smc_error(C(x), r->span, SMC_E_RETURN,
                  "this statement returns no rows; declare '-> exec' or add 'returning'");
        return;
    }
    if (r->with) {
        smc_error(C(x), r->with->name.span, SMC_E_RETURN,
                  "'with' loads relationships, which queries do not support yet");
        return;
    }
    if (scalar_name(r->type.s)) {
        if (r->kind == SMC_R_LIST || r->kind == SMC_R_EACH) {
            smc_error(C(x), r->span, SMC_E_RETURN, "a list of '%s' is not a row type; declare a row",
                      r->type.s);
            return;
        }
        if (model_sel || n != 1) {
            smc_error(C(x), r->span, SMC_E_RESULT, "'-> %s' needs exactly one result column",
                      r->type.s);
            return;
        }
        smc_typeref tr;
        memset(&tr, 0, sizeof tr);
        tr.name = r->type;
        tr.span = r->type.span;
        tr.nullable = r->kind == SMC_R_OPT;
        smc_resolve_type(x->ck, &tr, SMC_TY_PARAM);
        if (tr.type.base == SMC_B_ERROR)
            return;
        in->scalar = true;
        in->scalar_type = tr.type;
        smc_type got = cols[0].type;
        if (!assignable_to(&tr.type, &got) && !(got.base == SMC_B_NULL && tr.type.nullable)) {
            smc_diag *d = smc_error(C(x), cols[0].expr->span, SMC_E_RESULT,
                                    "the query returns '%s', not '%s'", smc_type_name(C(x), &got),
                                    smc_type_name(C(x), &tr.type));
            if (got.nullable && !tr.type.nullable)
                smc_note(C(x), d, NULL, "declare '-> %s?' for a result that may be null",
                         r->type.s);
        }
        in->ret = r->kind;
        in->returning = cols;
        in->nreturning = n;
        return;
    }
    for (uint32_t i = 0; i < n; i++)
        if (!cols[i].name) {
            smc_error(C(x), cols[i].expr->span, SMC_E_ALIAS,
                      "this select item needs a name for '%s': add 'as name'", r->type.s);
            return;
        }
    smc_decl *d = smc_lookup(x->ck, r->type.s);
    if (d && d->kind != SMC_D_MODEL && d->kind != SMC_D_ROW) {
        smc_error(C(x), r->type.span, SMC_E_RETURN, "'%s' is not a model or row type", r->type.s);
        return;
    }
    smc_model *row = d ? d->model : NULL;
    if (!row) {
        if (model_sel || x->q->raw) {
            smc_unknown(x->ck, r->type.span, SMC_E_UNKNOWN_TYPE, "type", r->type.s,
                        1u << SMC_D_MODEL | 1u << SMC_D_ROW, true);
            return;
        }
        for (uint32_t i = 0; i < n; i++)
            if (cols[i].type.base == SMC_B_ERROR)
                return;
        row = define_row(x, r->type, cols, n);
    } else if (row->is_partial || row->is_mixin) {
        smc_error(C(x), r->type.span, SMC_E_RETURN, "a query cannot return %s '%s'",
                  row->is_partial ? "partial model" : "mixin", row->name);
        return;
    }
    in->row = row;
    in->ret = r->kind;
    if (x->q->raw)
        return;
    if (model_sel) {
        /* select Hero ... -> [T]: T's fields read from Hero's columns. */
        smc_qcol *out = smc_alloc(C(x), (row->ncols + 1) * sizeof *out);
        uint32_t k = 0;
        for (uint32_t i = 0; i < row->ncols; i++) {
            smc_col *f = row->cols[i];
            if (f->rel)
                continue;
            if (f->type.base == SMC_B_ERROR)
                return; /* its type was reported */
            smc_col *c = column_of(model_sel, f->name);
            if (!c || !assignable_to(&f->type, &c->type)) {
                smc_diag *dg = smc_error(C(x), r->type.span, SMC_E_RESULT,
                                         c ? "'%s' of '%s' is '%s', but '%s' has '%s'"
                                           : "'%s' of '%s' is not a column of '%s'",
                                         f->name, row->name,
                                         c ? smc_type_name(C(x), &f->type) : model_sel->name,
                                         model_sel->name, c ? smc_type_name(C(x), &c->type) : "");
                smc_note(C(x), dg, &f->field->name.span, "'%s' is declared here", f->name);
                return;
            }
            out[k].name = f->name;
            out[k].type = c->type;
            out[k].col = c;
            out[k].src = &in->sel->entries[0];
            k++;
        }
        in->sel->cols = out;
        in->sel->ncols = k;
        return;
    }
    smc_qcol *m = match_row(x, row, cols, n, r->type.span, "the select");
    if (m && in->sel) {
        in->sel->cols = m;
    } else if (m) {
        in->returning = m;
    }
}

/* ---- Raw SQL ---------------------------------------------------------------------------------- */

/* Counts "?" placeholders outside quotes and comments ("??" is a literal). */
static int count_placeholders(const char *s)
{
    int n = 0;
    for (; *s; s++) {
        if (*s == '\'' || *s == '"' || *s == '`') {
            char q = *s;
            for (s++; *s && *s != q; s++)
                ;
            if (!*s)
                break;
        } else if (s[0] == '-' && s[1] == '-') {
            while (*s && *s != '\n')
                s++;
            if (!*s)
                break;
        } else if (s[0] == '/' && s[1] == '*') {
            const char *e = strstr(s + 2, "*/");
            if (!e)
                break;
            s = e + 1;
        } else if (s[0] == '?' && s[1] == '?') {
            s++;
        } else if (*s == '?') {
            n++;
        }
    }
    return n;
}

static void check_raw(qctx *x)
{
    bool seen[SM_NDIALECTS] = {false};
    for (smc_rawsql *r = x->q->raw; r; r = r->next) {
        if (r->dialect.s) {
            const smc_dialect *d = smc_dialect_named(r->dialect.s);
            if (!d) {
                const char *names[SM_NDIALECTS];
                for (int i = 0; i < SM_NDIALECTS; i++)
                    names[i] = smc_dialects[i].name;
                smc_diag *e = smc_error(C(x), r->dialect.span, SMC_E_RAW_SQL,
                                        "unknown database '%s'", r->dialect.s);
                smc_suggest(C(x), e, r->dialect.s, names, SM_NDIALECTS);
                continue;
            }
            if (seen[d->id])
                smc_error(C(x), r->dialect.span, SMC_E_RAW_SQL, "SQL for %s is given twice",
                          d->name);
            seen[d->id] = true;
        }
        int n = count_placeholders(r->sql);
        if ((uint32_t)n != x->q->nparams) {
            smc_diag *e = smc_error(C(x), r->span, SMC_E_RAW_SQL,
                                    "this SQL has %d placeholder%s but the query has %u parameter%s",
                                    n, n == 1 ? "" : "s", x->q->nparams, x->q->nparams == 1 ? "" : "s");
            smc_note(C(x), e, NULL, "each '?' binds the next parameter in order ('?\?' is a literal '?')");
        }
    }
    for (smc_param *p = x->q->params; p; p = p->next) {
        p->used = true;
        if (p->type->type.list || p->type->type.base == SMC_B_SORT ||
            p->type->type.base == SMC_B_DIR)
            smc_error(C(x), p->type->span, SMC_E_RAW_SQL,
                      "parameters of raw SQL are plain values, not '%s'",
                      smc_type_name(C(x), &p->type->type));
    }
    x->info->ret = x->q->ret.kind;
}

/* ---- Driver ------------------------------------------------------------------------------------ */

static void check_query(smc_checker *ck, smc_decl *d)
{
    smc_query *q = d->query;
    qctx x = {ck, d, q, smc_alloc(ck->ctx, sizeof *x.info)};
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
        check_raw(&x);
        if (q->ret.kind != SMC_R_EXEC)
            check_result(&x, NULL, 0, NULL);
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
            collect_optional(&x, st->select->where);
            collect_optional(&x, st->select->having);
            if (x.info->sel->model_select)
                model_sel = x.info->sel->model;
            cols = x.info->sel->cols;
            ncols = x.info->sel->ncols;
        }
        break;
    case SMC_S_INSERT:
        check_insert(&x, st);
        cols = x.info->returning;
        ncols = x.info->nreturning;
        break;
    default:
        check_update_delete(&x, st);
        cols = x.info->returning;
        ncols = x.info->nreturning;
        break;
    }
    if (ck->ctx->nerrors != errors)
        return;
    if (st->kind == SMC_S_SELECT && x.info->sel) {
        if (x.info->sel->ast->lock && x.info->sel->grouped)
            smc_error(ck->ctx, st->span, SMC_E_RESULT, "a grouped select cannot lock rows");
        check_result(&x, cols, ncols, model_sel);
    } else {
        check_result(&x, st->has_returning ? cols : NULL, ncols, NULL);
    }
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
