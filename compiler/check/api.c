/*
 * api.c: which C functions smc generates for each model, and their names
 * (DESIGN 3.1, 3.4).  The header emitter, the source emitter and the
 * collision check all ask here, so they cannot disagree.
 */
#include "sema.h"

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

/* The models m inherits from, m included (by declaration). */
static uint32_t lineage(smc_sema *s, const smc_model *m, const smc_model **out, uint32_t cap)
{
    uint32_t n = 0;
    out[n++] = m;
    for (uint32_t k = 0; k < n && n < cap; k++)
        for (smc_ident *id = out[k]->decl->bases; id && n < cap; id = id->next)
            for (uint32_t i = 0; i < s->nmodels; i++)
                if (strcmp(s->models[i]->name, id->name.s) == 0) {
                    out[n++] = s->models[i];
                    break;
                }
    return n;
}

static bool same_family(const smc_model *a, const smc_model *b)
{
    if (a->nlineage == 1 && b->nlineage == 1)
        return false; /* neither has a base */
    for (uint32_t i = 0; i < a->nlineage; i++)
        for (uint32_t j = 0; j < b->nlineage; j++)
            if (a->lineage[i] == b->lineage[j] && (i > 0 || j > 0))
                return true;
    return false;
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

static const smc_col *find(const smc_model *m, const char *name)
{
    for (uint32_t i = 0; i < m->ncols; i++)
        if (strcmp(m->cols[i]->name, name) == 0)
            return m->cols[i];
    return NULL;
}

static bool covers(const smc_model *target, const smc_model *source)
{
    for (uint32_t i = 0; i < target->ncols; i++) {
        const smc_col *c = target->cols[i];
        if (!smc_col_required(c))
            continue;
        const smc_col *s = find(source, c->name);
        if (!s || s->rel || !smc_type_assignable(&c->type, &s->type))
            return false;
    }
    return true;
}

void smc_api_plan(smc_ctx *ctx, smc_sema *s)
{
    for (uint32_t i = 0; i < s->nmodels; i++) {
        const smc_model *line[64];
        smc_model *m = s->models[i];
        m->nlineage = lineage(s, m, line, 64);
        m->lineage = smc_alloc(ctx, m->nlineage * sizeof *m->lineage);
        memcpy(m->lineage, line, m->nlineage * sizeof *line);
    }
    /* Only models with a base, or that are a base, can have conversions. */
    bool *in_family = smc_alloc(ctx, (s->nmodels + 1) * sizeof *in_family);
    for (uint32_t i = 0; i < s->nmodels; i++)
        for (uint32_t l = 1; l < s->models[i]->nlineage; l++) {
            in_family[i] = true;
            for (uint32_t k = 0; k < s->nmodels; k++)
                if (s->models[k] == s->models[i]->lineage[l])
                    in_family[k] = true;
        }
    for (uint32_t i = 0; i < s->nmodels; i++) {
        smc_model *t = s->models[i];
        if (!t->own || !smc_model_emitted(t))
            continue;
        /* Partials whose base is this table or one of its bases. */
        if (t->is_table) {
            for (uint32_t k = 0; k < s->nmodels; k++) {
                smc_model *p = s->models[k];
                if (!p->is_partial || !p->partial_of)
                    continue;
                for (uint32_t l = 0; l < t->nlineage; l++)
                    if (p->partial_of == t->lineage[l]) {
                        smc_model **grown = smc_grow(ctx, t->partials, t->npartials, sizeof *grown);
                        grown[t->npartials++] = p;
                        t->partials = grown;
                        break;
                    }
            }
        }
        /* Conversions within a family of models sharing a base. */
        if (t->is_partial || t->is_row || !in_family[i])
            continue;
        for (uint32_t k = 0; k < s->nmodels; k++) {
            smc_model *src = s->models[k];
            if (!in_family[k])
                continue;
            if (src == t || src->is_partial || src->is_row || !smc_model_emitted(src) ||
                !same_family(t, src) || !covers(t, src))
                continue;
            smc_model **grown = smc_grow(ctx, t->sources, t->nsources, sizeof *grown);
            grown[t->nsources++] = src;
            t->sources = grown;
        }
    }
}

uint32_t smc_model_api(smc_ctx *ctx, smc_model *m, smc_api_fn **out)
{
    uint32_t cap = 9 + m->npartials + m->nsources, n = 0;
    smc_api_fn *fns = smc_alloc(ctx, cap * sizeof *fns);
#define ADD(v, nm, o) (fns[n].verb = (v), fns[n].name = (nm), fns[n].other = (o), n++)
    if (m->is_table) {
        ADD(SMC_V_INSERT, smc_printf(ctx, "%s_insert", m->snake), NULL);
        ADD(SMC_V_INSERT_MANY, smc_printf(ctx, "%s_insert_many", m->snake), NULL);
        ADD(SMC_V_GET, smc_printf(ctx, "%s_get", m->snake), NULL);
        ADD(SMC_V_UPDATE, smc_printf(ctx, "%s_update", m->snake), NULL);
        for (uint32_t i = 0; i < m->npartials; i++)
            ADD(SMC_V_PATCH,
                m->npartials == 1 ? smc_printf(ctx, "%s_patch", m->snake)
                                  : smc_printf(ctx, "%s_patch_%s", m->snake, m->partials[i]->snake),
                m->partials[i]);
        ADD(SMC_V_DELETE, smc_printf(ctx, "%s_delete", m->snake), NULL);
    }
    ADD(SMC_V_VALIDATE, smc_printf(ctx, "%s_validate", m->snake), NULL);
    ADD(SMC_V_TO_JSON, smc_printf(ctx, "%s_to_json", m->snake), NULL);
    ADD(SMC_V_FROM_JSON, smc_printf(ctx, "%s_from_json", m->snake), NULL);
    for (uint32_t i = 0; i < m->nsources; i++)
        ADD(SMC_V_CONVERT, smc_printf(ctx, "%s_from_%s", m->snake, m->sources[i]->snake),
            m->sources[i]);
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
