/*
 * sema_table.c: what only tables have: keys (@pk or primary key (...)),
 * @auto, unique and plain indexes, table checks, and foreign keys, which
 * are resolved once every table's columns exist.
 */
#include "sema_int.h"
#include "print.h"

#include <string.h>

/* ---- Tables: keys, constraints, foreign keys ---------------------------------------------- */

static smc_col **cols_of(smc_checker *ck, smc_model *m, smc_ident *names, uint32_t *n)
{
    uint32_t k = 0;
    for (smc_ident *id = names; id; id = id->next)
        k++;
    smc_col **cols = smc_alloc(ck->ctx, (k + 1) * sizeof *cols);
    smc_map seen = {0}; /* a list of thousands is not checked pairwise */
    *n = 0;
    for (smc_ident *id = names; id; id = id->next) {
        smc_col *c = smc_find_col(m, id->name.s);
        smc_index_ref(ck, id->name.span, SMC_REF_COL, c, 0);
        if (!c) {
            smc_unknown_field(ck, m, id->name.span, id->name.s);
            *n = 0;
            return NULL;
        }
        if (!c->column) {
            if (c->type.base != SMC_B_ERROR) /* else its type was reported */
                smc_error(ck->ctx, id->name.span, SMC_E_UNKNOWN_FIELD,
                          "'%s' is a relationship, not a column", id->name.s);
            *n = 0;
            return NULL;
        }
        if (smc_map_put(ck->ctx, &seen, c->name, c)) {
            smc_error(ck->ctx, id->name.span, SMC_E_DUPLICATE, "column '%s' is listed twice",
                      id->name.s);
            *n = 0;
            return NULL;
        }
        cols[(*n)++] = c;
    }
    return cols;
}

static void add_index(smc_checker *ck, smc_model *m, bool unique, smc_col **cols, uint32_t n,
                      smc_span span, smc_map *names)
{
    m->indexes = smc_grow(ck->ctx, m->indexes, m->nindexes, sizeof *m->indexes);
    smc_index *ix = &m->indexes[m->nindexes];
    memset(ix, 0, sizeof *ix);
    ix->unique = unique;
    ix->cols = cols;
    ix->ncols = n;
    ix->span = span;
    ix->name = smc_constraint_name(ck->ctx, unique ? "uq" : "ix", m->table, cols, n);
    /* names: index name -> its position + 1 (names are the columns). */
    void *other = smc_map_put(ck->ctx, names, ix->name, (void *)(uintptr_t)(m->nindexes + 1));
    if (other) {
        smc_diag *d = smc_error(ck->ctx, span, SMC_E_DUPLICATE,
                                "this %s duplicates another on the same columns",
                                unique ? "unique constraint" : "index");
        smc_note(ck->ctx, d, &m->indexes[(uintptr_t)other - 1].span, "the other is here");
        return;
    }
    m->nindexes++;
}

static void check_key(smc_checker *ck, smc_model *m)
{
    smc_constraint *pk = NULL;
    for (smc_constraint *c = m->decl->constraints; c; c = c->next)
        if (c->kind == SMC_C_PRIMARY_KEY) {
            if (pk) {
                smc_diag *d = smc_error(ck->ctx, c->span, SMC_E_PK_TWICE,
                                        "table '%s' has two primary keys", m->name);
                smc_note(ck->ctx, d, &pk->span, "the first is here");
            }
            pk = c;
        }
    uint32_t npk = 0;
    bool pk_failed = false; /* a misspelt '@pk': the key is not what was meant */
    for (uint32_t i = 0; i < m->ncols; i++) {
        npk += m->cols[i]->pk;
        pk_failed |= smc_attr_failed(m->cols[i]->field->attrs, "pk");
    }
    m->key_failed = pk_failed;
    if (pk && npk) {
        smc_col *first = NULL;
        for (uint32_t i = 0; i < m->ncols && !first; i++)
            if (m->cols[i]->pk)
                first = m->cols[i];
        smc_diag *d = smc_error(ck->ctx, pk->span, SMC_E_PK_TWICE,
                                "'primary key (...)' and '@pk' on fields cannot be combined");
        smc_note(ck->ctx, d, &first->field->name.span, "'@pk' is given here");
        m->key_failed = true;
        return;
    }
    if (pk) {
        m->key = cols_of(ck, m, pk->cols, &m->nkey);
        for (uint32_t i = 0; m->key && i < m->nkey; i++)
            m->key[i]->pk = true;
        if (!m->key) { /* reported: what needs the key stays quiet */
            m->key_failed = true;
            return;
        }
    } else if (npk) {
        m->key = smc_alloc(ck->ctx, npk * sizeof *m->key);
        for (uint32_t i = 0; i < m->ncols; i++)
            if (m->cols[i]->pk)
                m->key[m->nkey++] = m->cols[i];
    } else {
        /* No cascade after an empty table, a failed base or a misplaced
         * or misspelt '@pk'. */
        m->key_failed = true;
        if (m->ncols == 0 || m->incomplete || pk_failed || smc_attr_named(m->decl->attrs, "pk"))
            return;
        smc_diag *d = smc_error(ck->ctx, m->decl->name.span, SMC_E_NO_PK,
                                "table '%s' has no primary key", m->name);
        smc_note(ck->ctx, d, NULL, "mark a field '@pk' or add 'primary key (...)'");
        return;
    }
    m->pk_name = smc_limit_name(ck->ctx, smc_printf(ck->ctx, "pk_%s", m->table));
    for (uint32_t i = 0; i < m->nkey; i++) {
        smc_col *c = m->key[i];
        if (c->type.nullable)
            smc_error(ck->ctx, c->field->type->span, SMC_E_NULLABLE_KEY,
                      "primary key column '%s' cannot be nullable", c->name);
    }
}

void smc_check_auto(smc_checker *ck, smc_model *m)
{
    for (uint32_t i = 0; i < m->ncols; i++) {
        smc_col *c = m->cols[i];
        if (!c->autoinc)
            continue;
        smc_attr *a = smc_attr_named(c->field->attrs, "auto");
        if (!m->is_table || !a || a->bad)
            continue; /* a base model: checked in the tables that use it */
        if (m->key_failed || c->type.base == SMC_B_ERROR)
            continue; /* the key or the type was reported */
        /* A base's field is reported once, naming the first table. */
        const char *in = c->field->owner != m->decl ? smc_printf(ck->ctx, " in table '%s'", m->name)
                                                   : "";
        if (!c->pk || m->nkey != 1)
            smc_error(ck->ctx, a->name.span, SMC_E_AUTO,
                      "'@auto' needs a single-column primary key; '%s' is %s%s", c->name,
                      c->pk ? "part of a composite key" : "not the primary key", in);
        else if (c->type.base != SMC_B_INT && c->type.base != SMC_B_I32)
            smc_error(ck->ctx, a->name.span, SMC_E_AUTO, "'@auto' needs an int or i32 key, not '%s'",
                      smc_type_name(ck->ctx, &c->type));
        else if (c->defkind)
            smc_error(ck->ctx, c->deflt_expr->span, SMC_E_AUTO,
                      "an '@auto' key cannot also have a default");
        else
            continue;
        a->bad = true;
    }
}

bool smc_col_unique(const smc_model *t, const smc_col *c)
{
    if (t->nkey == 1 && t->key[0] == c)
        return true;
    if (c->unique)
        return true;
    for (uint32_t i = 0; i < t->nindexes; i++)
        if (t->indexes[i].unique && t->indexes[i].ncols == 1 && t->indexes[i].cols[0] == c)
            return true;
    return false;
}

static bool fk_compatible(const smc_type *a, const smc_type *b)
{
    if (smc_type_is_int(a) && smc_type_is_int(b))
        return true;
    if (a->base != b->base)
        return false;
    if (a->base == SMC_B_DECIMAL)
        return a->precision == b->precision && a->scale == b->scale;
    if (a->base == SMC_B_ENUM)
        return a->decl == b->decl;
    return true;
}

/* Resolves c's @fk.  A failure, reported here or already (a bad
 * attribute, a column or target that failed), marks the column, so
 * relationships and joins built on it stay quiet. */
void smc_resolve_fk(smc_checker *ck, smc_col *c)
{
    smc_attr *a = NULL, *bad = NULL;
    for (smc_attr *x = c->field->attrs; x; x = x->next)
        if (strcmp(x->name.s, "fk") == 0)
            *(x->bad ? &bad : &a) = x;
    if (!a || !a->args || a->args->label.s || a->args->value->kind != SMC_EX_NAME ||
        !a->args->value->qual.s) {
        c->fk_failed = a || bad || smc_attr_failed(c->field->attrs, "fk");
        return;
    }
    c->fk_failed = true; /* until it resolves */
    smc_expr *e = a->args->value;
    smc_decl *d = smc_lookup(ck, e->qual.s);
    if (!d || d->kind != SMC_D_MODEL || !d->model) {
        smc_unknown(ck, e->qual.span, SMC_E_FK, "table", e->qual.s, 1u << SMC_D_MODEL, false);
        return;
    }
    smc_index_ref(ck, e->qual.span, SMC_REF_DECL, d, 0);
    smc_model *t = d->model;
    if (!t->is_table) {
        smc_error(ck->ctx, e->qual.span, SMC_E_FK, "'@fk' must reference a table; '%s' is a %s",
                  t->name, smc_model_kind(t));
        return;
    }
    smc_col *tc = smc_find_col(t, e->name.s);
    smc_index_ref(ck, e->name.span, SMC_REF_COL, tc, 0);
    if (tc && tc->type.base == SMC_B_ERROR)
        return; /* its type was reported */
    if (!tc || !tc->column) {
        if (tc)
            smc_error(ck->ctx, e->name.span, SMC_E_FK, "'%s.%s' is a relationship, not a column",
                      t->name, e->name.s);
        else
            smc_unknown_field(ck, t, e->name.span, e->name.s);
        return;
    }
    if (c->type.base == SMC_B_ERROR || t->incomplete || t->key_failed)
        return; /* the column's type, or the target's base or key, was reported */
    if (!smc_col_unique(t, tc)) {
        smc_diag *dg = smc_error(ck->ctx, e->span, SMC_E_FK,
                                 "'%s.%s' is neither the primary key nor unique", t->name, tc->name);
        smc_note(ck->ctx, dg, &tc->field->name.span, "'%s' is declared here", tc->name);
        return;
    }
    if (!fk_compatible(&c->type, &tc->type)) {
        smc_diag *dg = smc_error(ck->ctx, e->span, SMC_E_FK, "'%s' is '%s' but '%s.%s' is '%s'",
                                 c->name, smc_type_name(ck->ctx, &c->type), t->name, tc->name,
                                 smc_type_name(ck->ctx, &tc->type));
        smc_note(ck->ctx, dg, &tc->field->name.span, "'%s' is declared here", tc->name);
        return;
    }
    c->fk_failed = false;
    c->fk_model = t;
    c->fk_col = tc;
    tc->referenced = true;
    smc_arg *od = smc_attr_label(a, "on_delete"), *ou = smc_attr_label(a, "on_update");
    smc_arg *g[2] = {od, ou};
    uint8_t act[2] = {c->on_delete, c->on_update};
    for (int k = 0; k < 2; k++) {
        if (act[k] == SMC_FK_SET_NULL && !c->type.nullable)
            smc_error(ck->ctx, g[k]->value->span, SMC_E_FK_ACTION,
                      "'set_null' needs a nullable column; '%s' is '%s'", c->name,
                      smc_type_name(ck->ctx, &c->type));
        if (act[k] == SMC_FK_SET_DEFAULT && !c->defkind && !c->type.nullable)
            smc_error(ck->ctx, g[k]->value->span, SMC_E_FK_ACTION,
                      "'set_default' needs a default on '%s'", c->name);
    }
}

void smc_check_table(smc_checker *ck, smc_model *m)
{
    check_key(ck, m);
    smc_check_auto(ck, m);
    smc_map names = {0};
    /* Declaration order: field attributes first, then body constraints. */
    for (uint32_t i = 0; i < m->ncols; i++) {
        smc_col *c = m->cols[i];
        if (!c->column)
            continue;
        if (c->unique && !(m->nkey == 1 && m->key[0] == c)) {
            smc_col **one = smc_alloc(ck->ctx, sizeof *one);
            one[0] = c;
            add_index(ck, m, true, one, 1, c->field->name.span, &names);
        }
        if (c->indexed) {
            smc_col **one = smc_alloc(ck->ctx, sizeof *one);
            one[0] = c;
            add_index(ck, m, false, one, 1, c->field->name.span, &names);
        }
    }
    uint32_t nchecks = 0;
    for (smc_constraint *k = m->decl->constraints; k; k = k->next)
        nchecks += k->kind == SMC_C_CHECK;
    m->checks = smc_alloc(ck->ctx, (nchecks + 1) * sizeof *m->checks);
    for (smc_constraint *k = m->decl->constraints; k; k = k->next) {
        if (k->kind == SMC_C_INDEX || k->kind == SMC_C_UNIQUE) {
            uint32_t n;
            smc_col **cols = cols_of(ck, m, k->cols, &n);
            if (cols)
                add_index(ck, m, k->kind == SMC_C_UNIQUE, cols, n, k->span, &names);
        } else if (k->kind == SMC_C_CHECK) {
            /* Column names in the check point at this entry: it lives on. */
            smc_scope_entry *self = smc_alloc(ck->ctx, sizeof *self);
            self->model = m;
            self->alias = m->name;
            smc_scope sc;
            memset(&sc, 0, sizeof sc);
            sc.entries = self;
            sc.nentries = 1;
            smc_check_expr(ck, &sc, k->check);
            if (k->check->type.base != SMC_B_ERROR && k->check->type.base != SMC_B_BOOL)
                smc_error(ck->ctx, k->check->span, SMC_E_TABLE_CHECK,
                          "a check must be a condition (bool), not '%s'",
                          smc_type_name(ck->ctx, &k->check->type));
            smc_tcheck *tc = &m->checks[m->nchecks++];
            tc->expr = k->check;
            /* Named by its canonical text (the printer's, with literals
             * by value), not its position: adding a check renames no
             * other (DESIGN 5.1). */
            tc->name = smc_limit_name(
                ck->ctx, smc_printf(ck->ctx, "ck_%s_%08x", m->table,
                                    smc_fnv1a(smc_print_expr_text(ck->ctx, k->check))));
        }
    }
}

