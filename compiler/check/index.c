/*
 * index.c: the record of what each name resolved to, for editors (go to
 * definition, references, rename, hover).  The checker calls
 * smc_index_ref where it resolves a name; nothing is kept unless the
 * caller set ctx->refs, so `smc check` pays one test per name.
 */
#include "sema.h"

void smc_refs_add(smc_ctx *ctx, smc_span use, int kind, const void *target, uint32_t sub)
{
    smc_refs *r = ctx->refs;
    r->items = smc_grow(ctx, r->items, r->len, sizeof *r->items);
    r->items[r->len++] = (smc_ref){use, (uint8_t)kind, sub, target};
}

smc_span smc_ref_def(const smc_ref *r)
{
    switch (r->kind) {
    case SMC_REF_DECL:
        return ((const smc_decl *)r->target)->name.span;
    case SMC_REF_COL: {
        const smc_col *c = r->target;
        return c->field ? c->field->name.span : smc_no_span();
    }
    case SMC_REF_MEMBER: {
        const smc_member *m = ((const smc_decl *)r->target)->members;
        for (; m && m->index != r->sub; m = m->next)
            ;
        return m ? m->name.span : smc_no_span();
    }
    case SMC_REF_PARAM:
        return ((const smc_param *)r->target)->name.span;
    default:
        return smc_no_span();
    }
}
