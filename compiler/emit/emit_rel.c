/*
 * emit_rel.c: the SQL behind relationships (sm_rel, sm_fkref), written
 * once for every dialect through the dialect table: the load of a
 * relationship for many owners at once, link and unlink of a
 * many-to-many pair, and the probe that names the FK a delete violates.
 * Placeholders are "?" in every dialect (the PostgreSQL driver numbers
 * them), with the casts a dialect needs where it cannot infer a type.
 */
#include "emit.h"

#include <string.h>

uint32_t smc_rel_count(const smc_model *m)
{
    uint32_t n = 0;
    for (uint32_t i = 0; m->is_table && i < m->ncols; i++)
        n += smc_rel_loadable(m->cols[i]);
    return n;
}

const char *smc_c_rel(smc_ctx *ctx, const smc_model *m, const smc_col *rel)
{
    uint32_t k = 0;
    for (uint32_t i = 0; i < m->ncols && m->cols[i] != rel; i++)
        k += smc_rel_loadable(m->cols[i]);
    return smc_printf(ctx, "&smdl.%s[%u]", smc_c_member(ctx, SMC_N_RELS, m->name), k);
}

uint32_t smc_field_index(const smc_model *m, const smc_col *c)
{
    const smc_col *f = smc_find_col(m, c->name);
    return f ? f->index : 0;
}

/* `alias."column"`, or `"column"` without an alias. */
static void qcol(sm_buf *b, const smc_dialect *d, const char *alias, const smc_col *c)
{
    if (alias)
        smc_out_printf(b, "%s.", alias);
    smc_sql_ident(b, d, c->column);
}

/* Every column of m, in field order. */
static void columns(sm_buf *b, const smc_dialect *d, const char *alias, const smc_model *m)
{
    bool first = true;
    for (uint32_t i = 0; i < m->ncols; i++) {
        if (!m->cols[i]->column)
            continue;
        if (!first)
            smc_out_puts(b, ", ");
        qcol(b, d, alias, m->cols[i]);
        first = false;
    }
}

/* ", key" for each key column of m other than `skip`: children come in a
 * stable order. */
static void key_order(sm_buf *b, const smc_dialect *d, const char *alias, const smc_model *m,
                      const smc_col *skip)
{
    for (uint32_t i = 0; i < m->nkey; i++)
        if (!skip || strcmp(m->key[i]->name, skip->name) != 0) {
            smc_out_puts(b, ", ");
            qcol(b, d, alias, m->key[i]);
        }
}

/* Is the pair (a, b) unique in link table l: its primary key, or a unique
 * constraint over exactly those two columns? */
static bool pair_unique(const smc_model *l, const smc_col *a, const smc_col *b)
{
    if (l->nkey == 2 && ((l->key[0] == a && l->key[1] == b) || (l->key[0] == b && l->key[1] == a)))
        return true;
    for (uint32_t i = 0; i < l->nindexes; i++) {
        const smc_index *ix = &l->indexes[i];
        if (ix->unique && ix->ncols == 2 &&
            ((ix->cols[0] == a && ix->cols[1] == b) || (ix->cols[0] == b && ix->cols[1] == a)))
            return true;
    }
    return false;
}

static void link_sql(const smc_dialect *d, const smc_col *r, sm_buf *b)
{
    const smc_model *l = r->rel_through;
    const smc_col *a = r->rel_link_own, *c = r->rel_link_target;
    smc_out_puts(b, "INSERT INTO ");
    smc_sql_ident(b, d, l->table);
    smc_out_puts(b, " (");
    smc_sql_ident(b, d, a->column);
    smc_out_puts(b, ", ");
    smc_sql_ident(b, d, c->column);
    if (pair_unique(l, a, c)) {
        smc_out_puts(b, ") VALUES (");
        smc_sql_param(b, d, 0, &a->type);
        smc_out_puts(b, ", ");
        smc_sql_param(b, d, 0, &c->type);
        smc_out_putc(b, ')');
        const char *p = d->link_nothing;
        for (char k; (k = smc_sql_pattern(b, &p, "kc"));) {
            if (k == 'c') {
                smc_sql_ident(b, d, a->column);
                continue;
            }
            smc_sql_ident(b, d, a->column);
            smc_out_puts(b, ", ");
            smc_sql_ident(b, d, c->column);
        }
        return;
    }
    /* No constraint to conflict with: insert unless the pair exists. */
    smc_out_puts(b, ") SELECT ");
    qcol(b, d, "x", a);
    smc_out_puts(b, ", ");
    qcol(b, d, "x", c);
    smc_out_puts(b, " FROM (SELECT ");
    smc_sql_param(b, d, 0, &a->type);
    smc_out_puts(b, " AS ");
    smc_sql_ident(b, d, a->column);
    smc_out_puts(b, ", ");
    smc_sql_param(b, d, 0, &c->type);
    smc_out_puts(b, " AS ");
    smc_sql_ident(b, d, c->column);
    smc_out_puts(b, ") x WHERE NOT EXISTS (SELECT 1 FROM ");
    smc_sql_ident(b, d, l->table);
    smc_out_puts(b, " l WHERE ");
    qcol(b, d, "l", a);
    smc_out_puts(b, " = ");
    qcol(b, d, "x", a);
    smc_out_puts(b, " AND ");
    qcol(b, d, "l", c);
    smc_out_puts(b, " = ");
    qcol(b, d, "x", c);
    smc_out_putc(b, ')');
}

void smc_sql_rel(const smc_dialect *d, const smc_col *r, int which, sm_buf *b)
{
    const smc_model *t = r->rel_target;
    bool m2m = r->rel == SMC_REL_M2M;
    switch (which) {
    case SMC_REL_SQL_PREFIX:
        smc_out_puts(b, "SELECT ");
        if (!m2m) {
            columns(b, d, NULL, t);
            smc_out_puts(b, " FROM ");
            smc_sql_ident(b, d, t->table);
            smc_out_puts(b, " WHERE ");
            qcol(b, d, NULL, r->rel_match);
            smc_out_puts(b, " IN (");
            return;
        }
        /* The target's columns, then the link's column to the owner. */
        columns(b, d, "t", t);
        smc_out_puts(b, ", ");
        qcol(b, d, "l", r->rel_link_own);
        smc_out_puts(b, " FROM ");
        smc_sql_ident(b, d, r->rel_through->table);
        smc_out_puts(b, " l JOIN ");
        smc_sql_ident(b, d, t->table);
        smc_out_puts(b, " t ON ");
        qcol(b, d, "t", r->rel_link_target->fk_col);
        smc_out_puts(b, " = ");
        qcol(b, d, "l", r->rel_link_target);
        smc_out_puts(b, " WHERE ");
        qcol(b, d, "l", r->rel_link_own);
        smc_out_puts(b, " IN (");
        return;
    case SMC_REL_SQL_SUFFIX:
        smc_out_puts(b, ") ORDER BY ");
        if (m2m) {
            qcol(b, d, "l", r->rel_link_own);
            key_order(b, d, "t", t, NULL);
        } else {
            qcol(b, d, NULL, r->rel_match);
            key_order(b, d, NULL, t, r->rel_match);
        }
        return;
    case SMC_REL_SQL_LINK:
        if (m2m)
            link_sql(d, r, b);
        return;
    case SMC_REL_SQL_UNLINK:
        if (!m2m)
            return;
        smc_out_puts(b, "DELETE FROM ");
        smc_sql_ident(b, d, r->rel_through->table);
        smc_out_puts(b, " WHERE ");
        smc_sql_ident(b, d, r->rel_link_own->column);
        smc_out_puts(b, " = ");
        smc_sql_param(b, d, 0, &r->rel_link_own->type);
        smc_out_puts(b, " AND ");
        smc_sql_ident(b, d, r->rel_link_target->column);
        smc_out_puts(b, " = ");
        smc_sql_param(b, d, 0, &r->rel_link_target->type);
        return;
    }
}

bool smc_fk_blocks_delete(const smc_col *fk)
{
    return fk->column && fk->fk_model && fk->fk_col &&
           (fk->on_delete == SMC_FK_DEFAULT || fk->on_delete == SMC_FK_RESTRICT ||
            fk->on_delete == SMC_FK_NO_ACTION);
}

void smc_sql_fk_probe(const smc_dialect *d, const smc_model *child, const smc_col *fk,
                      sm_buf *b)
{
    const smc_model *p = fk->fk_model;
    smc_out_puts(b, "SELECT 1 FROM ");
    smc_sql_ident(b, d, child->table);
    smc_out_puts(b, " WHERE ");
    smc_sql_ident(b, d, fk->column);
    smc_out_puts(b, " IN (SELECT ");
    smc_sql_ident(b, d, fk->fk_col->column);
    smc_out_puts(b, " FROM ");
    smc_sql_ident(b, d, p->table);
    smc_out_puts(b, " WHERE ");
    for (uint32_t i = 0; i < p->nkey; i++) {
        if (i)
            smc_out_puts(b, " AND ");
        smc_sql_ident(b, d, p->key[i]->column);
        smc_out_puts(b, " = ");
        smc_sql_param(b, d, 0, &p->key[i]->type);
    }
    smc_out_puts(b, ") LIMIT 1");
}
