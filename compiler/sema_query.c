/*
 * sema_query.c: queries.  Parameters, return types, statements, and the
 * select checker that subqueries share.
 */
#include "sema_int.h"

#include <string.h>

static void check_params(smc_checker *ck, smc_decl *d)
{
    smc_map seen = {0};
    for (smc_param *p = d->query->params; p; p = p->next) {
        smc_resolve_type(ck, p->type, SMC_TY_PARAM);
        smc_param *old = smc_map_put(ck->ctx, &seen, p->name.s, p);
        if (old) {
            smc_diag *e = smc_error(ck->ctx, p->name.span, SMC_E_DUPLICATE,
                                    "parameter '%s' is already declared", p->name.s);
            smc_note(ck->ctx, e, &old->name.span, "previous declaration is here");
        }
    }
}

void smc_check_subselect(smc_checker *ck, smc_scope *sc, smc_expr *e)
{
    (void)sc;
    smc_error(ck->ctx, e->span, SMC_E_SUBQUERY, "subqueries are only allowed in queries");
    memset(&e->type, 0, sizeof e->type);
}

void smc_check_queries(smc_checker *ck)
{
    for (uint32_t i = 0; i < ck->nfiles; i++)
        for (smc_decl *d = ck->files[i]->decls; d; d = d->next)
            if (d->kind == SMC_D_QUERY) {
                ck->cur = d->file;
                smc_check_attrs(ck, d->attrs, SMC_AT_QUERY, "a query");
                check_params(ck, d);
            }
}
