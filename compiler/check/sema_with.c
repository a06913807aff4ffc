/*
 * sema_with.c: `with` in a query's result (`-> [Team with heroes.teams]`).
 * Each path element names a relationship of the model the path has
 * reached; the paths become the lowered query's child loads
 * (smc_qinfo.loads), one per distinct prefix, parents first.
 */
#include "map.h"
#include "sema_query.h"

#include <string.h>

/* sm_qload.parent is 16 bits and 0xffff is the query's rows. */
enum { MAX_LOADS = 0xfffe };

static smc_name part(const smc_ident *p, uint32_t i)
{
    return p->nparts ? p->parts[i] : p->name;
}

static uint32_t nparts(const smc_ident *p)
{
    return p->nparts ? p->nparts : 1;
}

/* Does the owner of r hold the FK (a to-one through its own column)? */
static bool forward(const smc_col *r)
{
    return r->rel == SMC_REL_ONE && !r->rel_reverse;
}

/* Does b, a relationship of a's target, go back through the FK (or the
 * link table) that a came through?  It would read a's owners again. */
static bool reverses(const smc_col *a, const smc_col *b)
{
    if (a->rel == SMC_REL_M2M || b->rel == SMC_REL_M2M)
        return a->rel == b->rel && a->rel_through == b->rel_through &&
               a->rel_link_own == b->rel_link_target && a->rel_link_target == b->rel_link_own;
    return a->rel_fk == b->rel_fk && forward(a) != forward(b);
}

/* Reports `name`, which m has but which is no relationship. */
static void not_rel(smc_qctx *x, smc_model *m, smc_col *c, smc_name at, bool last)
{
    const char *what = c->column ? "a column" : "a field";
    if (last)
        smc_error(x->ctx, at.span, SMC_E_WITH,
                  "'with' loads relationships; '%s' is %s of '%s', read with the row", at.s, what,
                  m->name);
    else
        smc_error(x->ctx, at.span, SMC_E_WITH,
                  "a 'with' path goes through relationships; '%s' is %s of '%s', so the path "
                  "cannot go on from it",
                  at.s, what, m->name);
}

static void unknown_rel(smc_qctx *x, smc_model *m, smc_name at)
{
    if (m->incomplete)
        return; /* a base failed: it may have brought the name */
    smc_diag *d = smc_error(x->ctx, at.span, SMC_E_UNKNOWN_FIELD,
                            "table '%s' has no relationship '%s'", m->name, at.s);
    if (d->hidden)
        return;
    const char **names = smc_alloc(x->ctx, (m->ncols + 1) * sizeof *names);
    size_t n = 0;
    for (uint32_t i = 0; i < m->ncols; i++)
        if (m->cols[i]->rel)
            names[n++] = m->cols[i]->name;
    smc_suggest(x->ctx, d, at.s, names, n);
}

/* Does the result column that fills the row's field `own` read that very
 * column of the row's table?  A load matches rows by it: a value read from
 * another table or computed would load another row's relationships. */
static bool reads_own(const smc_qinfo *in, const smc_col *own)
{
    const smc_qsel *sel = in->sel;
    for (uint32_t i = 0; sel && i < sel->ncols; i++) {
        const smc_qcol *c = &sel->cols[i];
        if (!c->name || strcmp(c->name, own->name) != 0)
            continue;
        if (c->col)
            return c->src && c->src->model == in->row && c->col == own;
        const smc_expr *e = c->expr;
        return e && e->kind == SMC_EX_NAME && e->src && e->src->model == in->row && e->col == own;
    }
    return false;
}

/* Why `with` cannot apply to this query's result, or NULL when it can. */
static const char *refused(smc_qctx *x)
{
    smc_qinfo *in = x->info;
    if (in->scalar)
        return smc_printf(x->ctx, "'with' loads relationships of table rows; '%s' is a scalar type",
                          x->q->ret.type.s);
    if (x->q->raw)
        return "'with' loads relationships of the rows a select reads, not of raw SQL's";
    if (x->q->stmt->kind != SMC_S_SELECT)
        return "'with' loads relationships of the rows a select reads; load those of written "
               "rows with the table's _load_ functions";
    if (in->row && !in->row->is_table)
        return smc_printf(x->ctx, "'with' loads relationships of table rows; '%s' is a %s",
                          in->row->name, smc_model_kind(in->row));
    return NULL;
}

void smc_q_with(smc_qctx *x)
{
    smc_ident *paths = x->q->ret.with;
    smc_qinfo *in = x->info;
    const char *why = refused(x);
    if (why) {
        smc_error(x->ctx, paths->name.span, SMC_E_WITH, "%s", why);
        return;
    }
    if (!in->row)
        return;
    /* (parent load + 1, relationship name) -> its load + 1: a prefix that
     * several paths share is loaded once. */
    smc_map loads = {0};
    smc_ident **ends = NULL; /* per load: the path that ended there, or NULL */
    for (smc_ident *p = paths; p; p = p->next) {
        smc_model *m = in->row;
        uint32_t parent = SMC_LOAD_ROOT;
        smc_col *prev = NULL;
        uint32_t n = nparts(p);
        for (uint32_t i = 0; i < n; i++) {
            smc_name at = part(p, i);
            smc_col *c = smc_find_col(m, at.s);
            smc_index_ref(x->ck, at.span, SMC_REF_COL, c, 0);
            if (!c) {
                unknown_rel(x, m, at);
                break;
            }
            if (!c->rel) {
                /* A relationship that failed is quiet. */
                if (c->type.base != SMC_B_MODEL && c->type.base != SMC_B_ERROR)
                    not_rel(x, m, c, at, i + 1 == n);
                break;
            }
            if (prev && reverses(prev, c)) {
                smc_name back = part(p, i - 1);
                smc_error(x->ctx, at.span, SMC_E_WITH,
                          "'%s' goes back through the relationship '%s' came through: it would "
                          "load again the '%s' rows it came from",
                          at.s, back.s, c->rel_target->name);
                break;
            }
            if (!prev && c->rel_own && !reads_own(in, c->rel_own)) {
                smc_error(x->ctx, at.span, SMC_E_WITH,
                          "'%s' is loaded by the rows' '%s', which this select does not read "
                          "from column '%s' of '%s': it would load the relationships of other rows",
                          at.s, c->rel_own->name, c->rel_own->name, m->name);
                break;
            }
            const char *key =
                smc_printf(x->ctx, "%u.%s", parent == SMC_LOAD_ROOT ? 0 : parent + 1, at.s);
            uintptr_t k = (uintptr_t)smc_map_get(&loads, key);
            if (!k) {
                if (in->nloads >= MAX_LOADS) {
                    smc_error(x->ctx, at.span, SMC_E_WITH,
                              "this 'with' loads more than %d relationships", MAX_LOADS);
                    return;
                }
                smc_qload *grown = smc_grow(x->ctx, in->loads, in->nloads, sizeof *grown);
                grown[in->nloads] = (smc_qload){parent, m, c, at.span};
                in->loads = grown;
                ends = smc_grow(x->ctx, ends, in->nloads, sizeof *ends);
                ends[in->nloads] = NULL;
                k = ++in->nloads;
                smc_map_put(x->ctx, &loads, key, (void *)k);
            }
            parent = (uint32_t)(k - 1);
            prev = c;
            m = c->rel_target;
            if (i + 1 < n)
                continue;
            if (ends[parent]) {
                smc_diag *d = smc_error(x->ctx, p->name.span, SMC_E_WITH,
                                        "'%s' is loaded twice by this 'with'", p->name.s);
                smc_note(x->ctx, d, &ends[parent]->name.span, "it is first named here");
            } else {
                ends[parent] = p;
            }
        }
    }
}
