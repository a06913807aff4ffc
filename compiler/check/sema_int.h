/*
 * sema_int.h: what the checker's files share.  sema.c drives: imports,
 * the symbol table, then sema_type.c (types and attributes), sema_model.c
 * (models and tables), sema_expr.c (expressions), sema_query.c (queries)
 * and sema_names.c (generated C names).
 */
#ifndef SMC_SEMA_INT_H
#define SMC_SEMA_INT_H

#include "map.h"
#include "sema.h"

typedef struct smc_checker {
    smc_ctx *ctx;
    smc_sema *out;
    smc_map decls;         /* name -> smc_decl of the imported files */
    smc_map own;           /* name -> smc_decl of the file being compiled */
    smc_file *cur;         /* the file whose declaration is being checked */
    smc_file **files;      /* main file last, imports before it */
    uint32_t nfiles;
    smc_map loaded;        /* file key -> its smc_file (or the checker, if it failed) */
} smc_checker;

/* Looks a name up as seen from ck->cur: the compiled file's own
 * declarations shadow imported ones; imported files see only imports. */
smc_decl *smc_lookup(smc_checker *ck, const char *name);
/* Makes f the current file and returns the previous one. */
static inline smc_file *smc_enter(smc_checker *ck, smc_file *f)
{
    smc_file *old = ck->cur;
    ck->cur = f;
    return old;
}
/* Records that the name at `use` denotes target (index.c); costs a test
 * when no one asked for the index. */
static inline void smc_index_ref(smc_checker *ck, smc_span use, int kind, const void *target,
                                 uint32_t sub)
{
    if (ck->ctx->refs && target)
        smc_refs_add(ck->ctx, use, kind, target, sub);
}
/* Reports an unknown name with a did-you-mean over declarations of the
 * given kinds (a bit mask of 1 << SMC_D_*) and, with builtins, type names. */
smc_diag *smc_unknown(smc_checker *ck, smc_span at, smc_code code, const char *what,
                      const char *name, unsigned kinds, bool builtins);

/* ---- sema_type.c ---------------------------------------------------------------- */

/* Where a type is written, for the rules of what is allowed there. */
enum {
    SMC_TY_FIELD_TABLE,  /* a field of a table */
    SMC_TY_FIELD_MODEL,  /* a field of a data model or row */
    SMC_TY_ALIAS,        /* the right side of `type x = ...` */
    SMC_TY_PARAM,        /* a query parameter */
};
/* Resolves tr->type (and tr->refined).  On error reports and sets
 * SMC_B_ERROR. */
void smc_resolve_type(smc_checker *ck, smc_typeref *tr, int where);

/* ---- sema_attr.c ------------------------------------------------------------------- */

enum {
    SMC_AT_FIELD = 1 << 0,
    SMC_AT_MODEL = 1 << 1,
    SMC_AT_TABLE = 1 << 2,
    SMC_AT_TYPE = 1 << 3,
    SMC_AT_ENUM = 1 << 4,
    SMC_AT_MEMBER = 1 << 5,
    SMC_AT_QUERY = 1 << 6,
    SMC_AT_MODULE = 1 << 7,
};
/* Reports unknown attributes (with did-you-mean), attributes in the wrong
 * place, and repeated ones. */
void smc_check_attrs(smc_checker *ck, smc_attr *attrs, unsigned place, const char *what);
smc_attr *smc_attr_find(smc_attr *attrs, const char *name);
/* Was an attribute `name` given and reported as wrong, or an unknown one
 * that is closest to it?  Then what it would have made stays quiet. */
bool smc_attr_failed(const smc_attr *attrs, const char *name);
/* Argument accessors: report a clear error and return false on misuse. */
bool smc_attr_noargs(smc_checker *ck, smc_attr *a);
bool smc_attr_int(smc_checker *ck, smc_attr *a, int64_t min, int64_t *out);
bool smc_attr_string(smc_checker *ck, smc_attr *a, const char **out);
bool smc_attr_sql_name(smc_checker *ck, smc_attr *a, const char **out); /* a non-empty string */
bool smc_attr_name(smc_checker *ck, smc_attr *a, const char **out); /* one bare name */
bool smc_attr_number(smc_checker *ck, smc_attr *a, smc_expr **out);  /* int or float literal */
smc_arg *smc_attr_label(smc_attr *a, const char *label);
/* Checks labelled arguments against the allowed list (NULL-terminated). */
bool smc_attr_labels(smc_checker *ck, smc_attr *a, const char *const *allowed,
                     unsigned max_positional);

/* ---- sema_model.c ------------------------------------------------------------------ */

void smc_check_models(smc_checker *ck);
const char *smc_model_kind(const smc_model *m); /* "table", "row" or "model" */
/* Reports an unknown field of m with a did-you-mean. */
void smc_unknown_field(smc_checker *ck, smc_model *m, smc_span at, const char *name);

/* ---- sema_attr.c ------------------------------------------------------------------- */

/* Checks and applies a field's attributes to its column. */
void smc_apply_field_attrs(smc_checker *ck, smc_model *m, smc_col *c);
/* Checks a refined type's attributes at its declaration. */
void smc_check_refined(smc_checker *ck, smc_decl *d);
/* Any attribute of that name, used or not (smc_attr_find skips used ones). */
smc_attr *smc_attr_named(smc_attr *list, const char *name);
bool smc_attr_in(const smc_attr *list, const smc_attr *a);
/* Where each bound came from, to point at a refined type's attribute. */
enum { FROM_MIN_LEN, FROM_MAX_LEN, FROM_LOWER, FROM_UPPER, FROM_N };
/* A refined type's validation merged with the types it refines, and the
 * attribute that set each bound (smc_check_refined fills it). */
typedef struct smc_rbounds {
    smc_col col;
    smc_attr *from[FROM_N];
} smc_rbounds;
/* Applies validation attributes (a field's, or quietly again a refined
 * type's) to c, recording in from[] which attribute set each bound. */
void smc_apply_validation(smc_checker *ck, smc_col *c, smc_attr *attrs, bool refined,
                          smc_attr **from);
/* Do c's bounds leave no value? */
bool smc_bounds_empty(const smc_col *c);
/* ---- sema_table.c ------------------------------------------------------------------- */

/* Keys, indexes and checks of a table. */
void smc_check_table(smc_checker *ck, smc_model *m);
/* @auto: only on a single int/i32 key. */
void smc_check_auto(smc_checker *ck, smc_model *m);
/* Is c, alone, t's primary key or unique? */
bool smc_col_unique(const smc_model *t, const smc_col *c);
/* Resolves c's @fk once every table's columns exist. */
void smc_resolve_fk(smc_checker *ck, smc_col *c);

/* ---- sema_contain.c --------------------------------------------------------------- */

/* Reports models that contain themselves by value. */
void smc_check_containment(smc_checker *ck);

/* ---- sema_mutual.c ---------------------------------------------------------------- */

/* Foreign key cycles across files, and models of files that import each
 * other holding one another by value. */
void smc_check_mutual(smc_checker *ck);

/* ---- sema_const.c ------------------------------------------------------------------ */

/* Converts a constant default or literal to the representation of type t;
 * reports and returns false when it does not fit. */
bool smc_const_value(smc_checker *ck, smc_expr *e, const smc_type *t, smc_const *out,
                     uint8_t *defkind);
/* A numeric literal as written (decimals are parsed from the text). */
void smc_literal_text(smc_checker *ck, const smc_expr *e, const char **out, size_t *n);

/* ---- sema_rel.c -------------------------------------------------------------------- */

void smc_resolve_rel(smc_checker *ck, smc_model *m, smc_col *c);
/* Two many-to-many relationships of m to one target need distinct names. */
void smc_check_rel_names(smc_checker *ck, smc_model *m);

/* ---- sema_expr.c --------------------------------------------------------------------- */

/* Names an expression can see: the models in scope (smc_scope_entry is
 * in sema.h, since emitters follow an expression's `src` to it). */
typedef struct smc_scope {
    smc_scope_entry *entries;
    uint32_t nentries;
    struct smc_scope *outer; /* enclosing query, for correlated subqueries */
    smc_query *query;        /* parameters, or NULL (table checks) */
    bool allow_aggregates;
    bool allow_params;
    bool incomplete;         /* a model of the select failed: unknown names are quiet */
} smc_scope;

/* The parameter of q named name, or NULL. */
smc_param *smc_query_param(const smc_query *q, const char *name);

/* Types e (sets e->type) and reports errors; SMC_B_ERROR poisons quietly. */
void smc_check_expr(smc_checker *ck, smc_scope *sc, smc_expr *e);

/* ---- sema_query.c -------------------------------------------------------------------- */

void smc_check_queries(smc_checker *ck);

/* ---- sema_names.c ------------------------------------------------------------------- */

void smc_check_c_names(smc_checker *ck);

/* ---- sema_sqlnames.c ----------------------------------------------------------------- */

/* Reports tables, columns, indexes and constraints whose SQL names meet. */
void smc_check_sql_names(smc_checker *ck);

#endif
