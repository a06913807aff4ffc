/*
 * api.c: which C functions smc generates for each model, and their names
 * (DESIGN 3.1, 3.4).  The header emitter, the source emitter and the
 * collision check all ask here, so they cannot disagree.
 */
#include "map.h"
#include "sema.h"

#include <stdlib.h>

#include <string.h>

bool smc_model_emitted(const smc_model *m)
{
    return !m->is_mixin;
}

bool smc_col_required(const smc_col *c)
{
    return !c->rel && c->type.base != SMC_B_ERROR && !c->type.nullable && !c->defkind &&
           !c->autoinc;
}

bool smc_type_assignable(const smc_type *to, const smc_type *from)
{
    if (from->nullable && !to->nullable)
        return false;
    if (to->list != from->list)
        return false;
    if (smc_type_is_int(to) && smc_type_is_int(from)) {
        int w[] = {[SMC_B_I16] = 16, [SMC_B_I32] = 32, [SMC_B_INT] = 64};
        return w[from->base] <= w[to->base];
    }
    if (to->base != from->base)
        return false;
    if (to->base == SMC_B_DECIMAL)
        return to->precision == from->precision && to->scale == from->scale;
    if (to->base == SMC_B_ENUM || to->base == SMC_B_MODEL)
        return to->decl == from->decl;
    return true;
}

/* ---- Planning partials and conversions ----------------------------------------------
 *
 * Linear in what it plans: a model's candidates are found through the
 * inheritance graph (bases and derived models) and an index of where
 * each field name is declared, never by pairing every model with every
 * other one. */

/* Sets of models by position, cleared by taking a new stamp. */
typedef struct plan {
    smc_ctx *ctx;
    smc_sema *s;
    uint32_t stamp, up_stamp;
    uint32_t *seen;       /* == stamp: collected in `list` */
    uint32_t *below;      /* == stamp: t or a model derived from it */
    uint32_t *lineage;    /* == stamp: t or one of its bases, transitively */
    uint32_t *up;         /* == up_stamp: visited by meets_lineage */
    smc_model **list, **queue, **lin;
    uint32_t nlist, nlin;
    smc_map declared;     /* field name -> decl_list of the models declaring it */
} plan;

typedef struct decl_list {
    smc_model *m;
    struct decl_list *next;
} decl_list;

/* Adds m and the models derived from it, transitively, to p->list
 * (each once per stamp); marks them in `mark` too when given. */
static void collect_below(plan *p, smc_model *m, uint32_t *mark)
{
    if (p->seen[m->pos] == p->stamp)
        return;
    size_t head = 0, tail = 0;
    p->seen[m->pos] = p->stamp;
    p->list[p->nlist++] = m;
    p->queue[tail++] = m;
    while (head < tail) {
        smc_model *u = p->queue[head++];
        if (mark)
            mark[u->pos] = p->stamp;
        for (uint32_t i = 0; i < u->nderived; i++) {
            smc_model *d = u->derived[i];
            if (p->seen[d->pos] != p->stamp) {
                p->seen[d->pos] = p->stamp;
                p->list[p->nlist++] = d;
                p->queue[tail++] = d;
            }
        }
    }
}

/* Marks t and its bases, transitively, in p->lineage and lists them in p->lin. */
static void mark_lineage(plan *p, smc_model *t)
{
    p->nlin = 0;
    p->lineage[t->pos] = p->stamp;
    p->lin[p->nlin++] = t;
    for (uint32_t k = 0; k < p->nlin; k++) {
        smc_model *u = p->lin[k];
        for (uint32_t i = 0; i < u->nbases; i++)
            if (p->lineage[u->bases[i]->pos] != p->stamp) {
                p->lineage[u->bases[i]->pos] = p->stamp;
                p->lin[p->nlin++] = u->bases[i];
            }
    }
}

/* Does m, or one of its bases, lie in t's lineage? */
static bool meets_lineage(plan *p, smc_model *m)
{
    size_t head = 0, tail = 0;
    p->up_stamp++;
    p->up[m->pos] = p->up_stamp;
    p->queue[tail++] = m;
    while (head < tail) {
        smc_model *u = p->queue[head++];
        if (p->lineage[u->pos] == p->stamp)
            return true;
        for (uint32_t i = 0; i < u->nbases; i++)
            if (p->up[u->bases[i]->pos] != p->up_stamp) {
                p->up[u->bases[i]->pos] = p->up_stamp;
                p->queue[tail++] = u->bases[i];
            }
    }
    return false;
}

static int by_pos(const void *a, const void *b)
{
    uint32_t x = (*(smc_model *const *)a)->pos, y = (*(smc_model *const *)b)->pos;
    return x < y ? -1 : x > y;
}

/* Can data field c (a model or a list of them) take the converted value
 * of relationship r: a list from a to-many one, an optional model from a
 * to-one one (whose object may be missing)?  Whether the element models
 * convert is decided once every conversion is planned (prune_nested). */
static bool nested_shape(const smc_col *c, const smc_col *r)
{
    if (c->rel || c->type.base != SMC_B_MODEL || !r->rel || !r->rel_target)
        return false;
    if (c->type.list)
        return r->type.list;
    return !r->type.list && c->type.nullable;
}

bool smc_has_source(const smc_model *t, const smc_model *s)
{
    for (uint32_t i = 0; i < t->nsources; i++)
        if (t->sources[i] == s)
            return true;
    return false;
}

smc_col *smc_nested_source(const smc_col *c, const smc_model *s)
{
    if (c->rel || c->type.base != SMC_B_MODEL)
        return NULL;
    smc_col *r = smc_find_col(s, c->name);
    if (!r || !nested_shape(c, r) || !smc_has_source(c->type.decl->model, r->rel_target))
        return NULL;
    return r;
}

bool smc_conversion_nested(const smc_model *t, const smc_model *s)
{
    if (!s->is_table)
        return false; /* only tables have relationships */
    for (uint32_t i = 0; i < t->ncols; i++)
        if (smc_nested_source(t->cols[i], s))
            return true;
    return false;
}

/* Does source have every field target requires, with assignable types
 * (or, for a nested model field, a relationship of the same name)? */
static bool covers(const smc_model *target, smc_model *source)
{
    for (uint32_t i = 0; i < target->ncols; i++) {
        const smc_col *c = target->cols[i];
        if (!smc_col_required(c))
            continue;
        const smc_col *s = smc_find_col(source, c->name);
        if (!s || (s->rel ? !nested_shape(c, s) : !smc_type_assignable(&c->type, &s->type)))
            return false;
    }
    return true;
}

/* A conversion that fills a required field from a relationship needs the
 * conversion of the elements.  Planning assumed they all exist; drop
 * those whose elements do not convert, until none is dropped (models
 * that nest each other convert when each one's elements do). */
static void prune_nested(smc_ctx *ctx, smc_sema *s)
{
    smc_model **nesting = smc_alloc(ctx, (s->nmodels + 1) * sizeof *nesting);
    uint32_t n = 0;
    for (uint32_t i = 0; i < s->nmodels; i++) {
        smc_model *t = s->models[i];
        bool any = false;
        for (uint32_t k = 0; k < t->ncols && !any && t->nsources; k++)
            any = smc_col_required(t->cols[k]) && t->cols[k]->type.base == SMC_B_MODEL;
        if (any)
            nesting[n++] = t;
    }
    for (bool changed = true; changed;) {
        changed = false;
        for (uint32_t i = 0; i < n; i++) {
            smc_model *t = nesting[i];
            uint32_t kept = 0;
            for (uint32_t j = 0; j < t->nsources; j++) {
                smc_model *src = t->sources[j];
                bool ok = true;
                for (uint32_t k = 0; k < t->ncols && ok; k++) {
                    const smc_col *c = t->cols[k], *r;
                    if (smc_col_required(c) && (r = smc_find_col(src, c->name)) && r->rel)
                        ok = smc_nested_source(c, src) != NULL;
                }
                if (ok)
                    t->sources[kept++] = src;
            }
            changed |= kept != t->nsources;
            t->nsources = kept;
        }
    }
}

/* The conversions into t: sources of its family that cover it. */
static void plan_sources(plan *p, smc_model *t)
{
    p->stamp++;
    p->nlist = 0;
    mark_lineage(p, t);
    collect_below(p, t, p->below);
    /* A source needs t's last required field (its own fields come last):
     * the models declaring that name and theirs; without one, the family. */
    const smc_col *need = NULL;
    for (uint32_t i = t->ncols; i-- > 0 && !need;)
        if (smc_col_required(t->cols[i]))
            need = t->cols[i];
    if (need) {
        for (decl_list *d = smc_map_get(&p->declared, need->name); d; d = d->next)
            collect_below(p, d->m, NULL);
    } else {
        for (uint32_t i = 0; i < p->nlin; i++)
            collect_below(p, p->lin[i], NULL);
    }
    qsort(p->list, p->nlist, sizeof *p->list, by_pos);
    for (uint32_t k = 0; k < p->nlist; k++) {
        smc_model *src = p->list[k];
        if (src == t || src->is_partial || src->is_row || !smc_model_emitted(src))
            continue;
        /* Family: one is the other's base, or they share one. */
        bool below = p->below[src->pos] == p->stamp;
        if (!below && !meets_lineage(p, src))
            continue;
        if (!below && !covers(t, src)) /* a model derived from t has all of t */
            continue;
        t->sources = smc_grow(p->ctx, t->sources, t->nsources, sizeof *t->sources);
        t->sources[t->nsources++] = src;
    }
}

void smc_api_plan(smc_ctx *ctx, smc_sema *s)
{
    plan p;
    memset(&p, 0, sizeof p);
    p.ctx = ctx;
    p.s = s;
    size_t n = s->nmodels + 1;
    p.seen = smc_alloc(ctx, n * sizeof *p.seen);
    p.below = smc_alloc(ctx, n * sizeof *p.below);
    p.lineage = smc_alloc(ctx, n * sizeof *p.lineage);
    p.up = smc_alloc(ctx, n * sizeof *p.up);
    p.list = smc_alloc(ctx, n * sizeof *p.list);
    p.queue = smc_alloc(ctx, n * sizeof *p.queue);
    p.lin = smc_alloc(ctx, n * sizeof *p.lin);
    /* Partials: each goes to its base if a table, and to the tables
     * built on that base, in declaration order. */
    for (uint32_t i = 0; i < s->nmodels; i++) {
        smc_model *pm = s->models[i];
        if (!pm->is_partial || !pm->partial_of)
            continue;
        p.stamp++;
        p.nlist = 0;
        collect_below(&p, pm->partial_of, NULL);
        for (uint32_t k = 0; k < p.nlist; k++) {
            smc_model *t = p.list[k];
            if (!t->is_table || !t->own || !smc_model_emitted(t))
                continue;
            t->partials = smc_grow(ctx, t->partials, t->npartials, sizeof *t->partials);
            t->partials[t->npartials++] = pm;
        }
    }
    /* Where each field name is declared, among models with a family. */
    for (uint32_t i = 0; i < s->nmodels; i++) {
        smc_model *m = s->models[i];
        if (!m->nbases && !m->nderived)
            continue;
        for (smc_field *f = m->decl->fields; f; f = f->next) {
            decl_list *d = smc_alloc(ctx, sizeof *d);
            d->m = m;
            d->next = smc_map_get(&p.declared, f->name.s);
            smc_map_set(ctx, &p.declared, f->name.s, d);
        }
    }
    /* Conversions, within a family of models sharing a base. */
    for (uint32_t i = 0; i < s->nmodels; i++) {
        smc_model *t = s->models[i];
        if (t->own && smc_model_emitted(t) && !t->is_partial && !t->is_row &&
            (t->nbases || t->nderived))
            plan_sources(&p, t);
    }
    prune_nested(ctx, s);
}

/* a + b + c in the arena: a schema can plan millions of these names. */
static const char *cat3(smc_ctx *ctx, const char *a, const char *b, const char *c)
{
    size_t la = strlen(a), lb = strlen(b), lc = strlen(c);
    char *s = smc_alloc(ctx, la + lb + lc + 1);
    memcpy(s, a, la);
    memcpy(s + la, b, lb);
    memcpy(s + la + lb, c, lc + 1);
    return s;
}

const char *smc_conversion_name(smc_ctx *ctx, const smc_model *t, const smc_model *s)
{
    return cat3(ctx, t->snake, SMC_CONVERT_INFIX, s->snake);
}

uint32_t smc_model_api(smc_ctx *ctx, smc_model *m, smc_api_fn **out)
{
    smc_api_fn *verbs;
    uint32_t n = smc_model_api_verbs(ctx, m, &verbs);
    smc_api_fn *fns = smc_alloc(ctx, (n + m->nsources + 1) * sizeof *fns);
    memcpy(fns, verbs, n * sizeof *fns);
    for (uint32_t i = 0; i < m->nsources; i++, n++) {
        fns[n].verb = SMC_V_CONVERT;
        fns[n].name = smc_conversion_name(ctx, m, m->sources[i]);
        fns[n].other = m->sources[i];
    }
    *out = fns;
    return n;
}

/* The name a many-to-many relationship's link functions take after
 * `_link_`: the target's snake name, or the relationship's name when the
 * model has several many-to-many relationships to that target. */
static const char *link_suffix(const smc_model *m, const smc_col *rel)
{
    for (uint32_t i = 0; i < m->ncols; i++) {
        const smc_col *c = m->cols[i];
        if (c != rel && c->rel == SMC_REL_M2M && c->rel_target == rel->rel_target)
            return rel->rel_name;
    }
    return rel->rel_target->snake;
}

const char *smc_get_many_param(smc_ctx *ctx, const smc_model *m)
{
    if (m->nkey != 1)
        return "keys";
    return smc_c_local(ctx, cat3(ctx, m->key[0]->name, "s", ""));
}

void smc_link_params(smc_ctx *ctx, const smc_model *m, const smc_col *rel, const char **own,
                     const char **target)
{
    const smc_col *a = rel->rel_link_own->fk_col, *b = rel->rel_link_target->fk_col;
    *own = smc_c_local(ctx, smc_printf(ctx, "%s_%s", m->snake, a->name));
    const char *prefix = rel->rel_target == m ? rel->rel_name : rel->rel_target->snake;
    *target = smc_c_local(ctx, smc_printf(ctx, "%s_%s", prefix, b->name));
}

bool smc_rel_loadable(const smc_col *c)
{
    return c->rel && c->rel_target && c->rel_own && c->rel_match;
}

uint32_t smc_model_api_verbs(smc_ctx *ctx, smc_model *m, smc_api_fn **out)
{
    uint32_t cap = 10 + m->npartials, n = 0;
    for (uint32_t i = 0; m->is_table && i < m->ncols; i++)
        cap += smc_rel_loadable(m->cols[i]) ? 4 : 0;
    smc_api_fn *fns = smc_alloc(ctx, cap * sizeof *fns);
#define ADD(v, nm, o) (fns[n].verb = (v), fns[n].name = (nm), fns[n].other = (o), fns[n].rel = NULL, n++)
    if (m->is_table) {
        ADD(SMC_V_INSERT, cat3(ctx, m->snake, "_insert", ""), NULL);
        ADD(SMC_V_INSERT_MANY, cat3(ctx, m->snake, "_insert_many", ""), NULL);
        ADD(SMC_V_GET, cat3(ctx, m->snake, "_get", ""), NULL);
        if (m->nkey)
            ADD(SMC_V_GET_MANY, cat3(ctx, m->snake, "_get_many", ""), NULL);
        ADD(SMC_V_UPDATE, cat3(ctx, m->snake, "_update", ""), NULL);
        for (uint32_t i = 0; i < m->npartials; i++)
            ADD(SMC_V_PATCH,
                m->npartials == 1 ? cat3(ctx, m->snake, "_patch", "")
                                  : cat3(ctx, m->snake, "_patch_", m->partials[i]->snake),
                m->partials[i]);
        ADD(SMC_V_DELETE, cat3(ctx, m->snake, "_delete", ""), NULL);
    }
    ADD(SMC_V_VALIDATE, cat3(ctx, m->snake, "_validate", ""), NULL);
    ADD(SMC_V_TO_JSON, cat3(ctx, m->snake, "_to_json", ""), NULL);
    ADD(SMC_V_FROM_JSON, cat3(ctx, m->snake, "_from_json", ""), NULL);
    for (uint32_t i = 0; m->is_table && i < m->ncols; i++) {
        smc_col *c = m->cols[i];
        if (!smc_rel_loadable(c))
            continue;
        ADD(SMC_V_LOAD, cat3(ctx, m->snake, "_load_", c->name), NULL);
        fns[n - 1].rel = c;
        ADD(SMC_V_LIST_LOAD, cat3(ctx, m->snake, "_list_load_", c->name), NULL);
        fns[n - 1].rel = c;
        if (c->rel != SMC_REL_M2M)
            continue;
        const char *x = link_suffix(m, c);
        ADD(SMC_V_LINK, cat3(ctx, m->snake, "_link_", x), NULL);
        fns[n - 1].rel = c;
        ADD(SMC_V_UNLINK, cat3(ctx, m->snake, "_unlink_", x), NULL);
        fns[n - 1].rel = c;
    }
#undef ADD
    *out = fns;
    return n;
}

bool smc_col_has_flag(const smc_model *m, const smc_col *c)
{
    if (c->rel || c->type.list)
        return false;
    if (m->is_partial)
        return true;
    return c->type.nullable && !smc_type_pointer(&c->type) && c->type.base != SMC_B_BYTES;
}

bool smc_col_null_flag(const smc_model *m, const smc_col *c)
{
    return m->is_partial && c->type.nullable && !smc_type_pointer(&c->type) &&
           c->type.base != SMC_B_BYTES;
}
