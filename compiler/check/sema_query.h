/*
 * sema_query.h: what the query checker's files share (sema_query.c:
 * parameters, scopes, selects and the driver; sema_write.c: insert,
 * update, delete; sema_result.c: results and raw SQL; sema_with.c: `with`).
 */
#ifndef SMC_SEMA_QUERY_H
#define SMC_SEMA_QUERY_H

#include "sema_int.h"

/* One query being checked. */
typedef struct smc_qctx {
    smc_checker *ck;
    smc_ctx *ctx;   /* ck->ctx */
    smc_decl *decl;
    smc_query *q;
    smc_qinfo *info;
    bool failed;    /* something failed quietly (built on a reported mistake) */
} smc_qctx;

/* Already reported: no follow-on errors. */
static inline bool smc_q_bad(const smc_expr *e)
{
    return e->type.base == SMC_B_ERROR;
}

/* sema_query.c */
/* The table n names, or NULL after an error ending in `what`. */
smc_model *smc_q_table(smc_qctx *x, smc_name n, const char *what);
smc_scope smc_q_scope(smc_qctx *x, smc_scope *outer, smc_scope_entry *entries, uint32_t n);
/* Reports e unless it is a condition (bool). */
void smc_q_want_bool(smc_qctx *x, smc_expr *e, const char *where);
/* Optional markers (:p?) are an error anywhere in e. */
void smc_q_forbid_optional(smc_qctx *x, smc_expr *e, const char *where);
/* In where/having: markers only in top-level conjuncts, not under or/not. */
void smc_q_conjuncts_optional(smc_qctx *x, smc_expr *e);
/* Records e's optional parameters as variant bits. */
void smc_q_collect_optional(smc_qctx *x, smc_expr *e);
smc_col *smc_q_column(const smc_model *m, const char *name);
/* Checks select or returning items into result columns. */
void smc_q_items(smc_qctx *x, smc_scope *sc, smc_selitem *items, smc_qcol **out, uint32_t *n);

/* sema_write.c */
void smc_q_insert(smc_qctx *x, smc_stmt *st);
void smc_q_update_delete(smc_qctx *x, smc_stmt *st);

/* sema_secret.c */
/* Marks the secret parameters (x->info->secret) and result columns
 * (smc_qcol.secret) of the checked query. */
void smc_q_secrets(smc_qctx *x);

/* sema_result.c */
/* Ties the statement's result columns to the declared return type. */
void smc_q_result(smc_qctx *x, smc_qcol *cols, uint32_t n, smc_model *model_sel);
void smc_q_raw(smc_qctx *x);

/* sema_with.c */
/* Checks the result's `with` paths into the lowered query's loads. */
void smc_q_with(smc_qctx *x);

#endif
