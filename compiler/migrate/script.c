/*
 * script.c: the SQL of a plan for one dialect.  Every definition comes
 * from the pieces of create_all (emit_ddl.c); the statements around them
 * from the dialect's migration patterns.  Order:
 *   1. drop the pieces that go or change (foreign keys first),
 *   2. drop tables (children first),
 *   3. rename tables (also those rebuilt next: the database then points
 *      the foreign keys of other tables at the new name),
 *   4. per table: rename, add, alter and drop columns, or rebuild it,
 *   5. create tables,
 *   6. add and rename pieces (foreign keys last).
 */
#include "migrate.h"

#include <string.h>

typedef struct script {
    smc_ctx *ctx;
    const smc_mplan *p;
    const smc_dialect *d;
    unsigned bit;
    sm_buf *b;
} script;

static void stmt(script *s, const char *pat, smc_ddl_args a)
{
    smc_ddl_statement(s->d, pat, &a, s->b);
    smc_out_puts(s->b, ";\n");
}

static bool rebuilt(const script *s, const smc_mtable *t)
{
    return (t->rebuild & s->bit) != 0;
}

static smc_ddl_kind kind_of(const smc_mchange *ch)
{
    return ch->from ? ch->from->kind : ch->to->kind;
}

static void drop_piece(script *s, const smc_mtable *t, const smc_mpiece *pc)
{
    smc_ddl_args a = {.table = t->from->table, .name = pc->db_name};
    stmt(s, s->d->drop_piece[pc->kind], a);
    /* The index the database made for a foreign key goes with it. */
    if (pc->kind == SMC_DDL_FK && s->d->fk_auto_index && !smc_mig_fk_indexed(t->from, pc->obj))
        stmt(s, s->d->drop_piece[SMC_DDL_INDEX], a);
}

static void add_piece(script *s, const smc_mtable *t, const smc_mpiece *pc)
{
    const char *pat = s->d->add_piece[pc->kind];
    if (!pat) { /* an index of its own statement */
        smc_out_printf(s->b, "%s;\n", pc->text[s->d->id]);
        return;
    }
    smc_ddl_args a = {.table = t->to->table, .def = pc->text[s->d->id]};
    stmt(s, pat, a);
}

/* ---- Columns -------------------------------------------------------------------------- */

static char *piece(script *s, void (*fn)(const smc_dialect *, const smc_col *, bool, sm_buf *),
                   const bool *unique, const smc_col *c)
{
    sm_buf b = SM_BUF_INIT;
    fn(s->d, c, unique[c->index], &b);
    char *r = smc_strndup(s->ctx, b.data ? b.data : "", b.len);
    sm_buf_free(&b);
    return r;
}

static char *default_value(script *s, const smc_col *c)
{
    sm_buf b = SM_BUF_INIT;
    smc_sql_default_value(&b, s->d, c);
    char *r = smc_strndup(s->ctx, b.data ? b.data : "", b.len);
    sm_buf_free(&b);
    return r;
}

/* Before NOT NULL: rows that hold NULL take the column's constant
 * default (the lint warns about it). */
static void fill_nulls(script *s, const smc_mtable *t, const smc_mcol *c)
{
    if (c->to->type.nullable || !c->from->type.nullable || c->to->defkind != SMC_DEF_CONST)
        return;
    smc_ddl_args a = {.table = t->to->table, .name = c->to->column, .value = default_value(s, c->to)};
    stmt(s, "UPDATE %t SET %c = %v WHERE %c IS NULL", a);
}

static void alter_column(script *s, const smc_mtable *t, const smc_mcol *c)
{
    unsigned what = (c->type | c->null | c->deflt) & s->bit;
    if (!what)
        return;
    const smc_dialect *d = s->d;
    smc_ddl_args a = {.table = t->to->table, .name = c->to->column};
    if (c->null & s->bit)
        fill_nulls(s, t, c);
    if (d->modify_column) {
        a.def = piece(s, smc_ddl_column, t->to_unique, c->to);
        stmt(s, d->modify_column, a);
        return;
    }
    bool retype = (c->type & s->bit) != 0, redefault = retype || (c->deflt & s->bit);
    if (redefault && c->from->defkind != SMC_DEF_NONE)
        stmt(s, d->drop_default, a);
    char *from_type = piece(s, smc_ddl_column_type, t->from_unique, c->from);
    char *to_type = piece(s, smc_ddl_column_type, t->to_unique, c->to);
    if (retype && strcmp(from_type, to_type) != 0) {
        a.type = to_type;
        stmt(s, d->alter_type, a);
    }
    if (retype && c->from->autoinc && !c->to->autoinc)
        stmt(s, d->drop_identity, a);
    if (retype && !c->from->autoinc && c->to->autoinc) {
        stmt(s, d->add_identity, a);
        sm_buf q = SM_BUF_INIT, col = SM_BUF_INIT;
        smc_sql_ident(&q, d, t->to->table);
        smc_sql_string(&col, d, q.data, q.len);
        a.value = smc_strndup(s->ctx, col.data, col.len);
        sm_buf_free(&col);
        smc_sql_string(&col, d, c->to->column, strlen(c->to->column));
        a.type = smc_strndup(s->ctx, col.data, col.len);
        sm_buf_free(&col);
        sm_buf_free(&q);
        stmt(s, d->sync_identity, a);
    }
    if (redefault && c->to->defkind != SMC_DEF_NONE) {
        a.value = default_value(s, c->to);
        stmt(s, d->set_default, a);
    }
    if (c->null & s->bit)
        stmt(s, c->to->type.nullable ? d->drop_not_null : d->set_not_null, a);
}

/* The value of column f copied into column t in a rebuild: a decimal
 * stored as a scaled integer takes its new scale (12.34 as 1234 becomes
 * 12340 at scale 3), rounded half away from zero where digits go, as the
 * other databases convert it. */
static void copy_value(script *s, const smc_col *f, const smc_col *t)
{
    const smc_dialect *d = s->d;
    sm_buf col = SM_BUF_INIT, mid = SM_BUF_INIT;
    smc_sql_ident(&col, d, f->column);
    if (!smc_mig_rescaled(d, &f->type, &t->type)) {
        smc_out_append(s->b, col.data, col.len);
        sm_buf_free(&col);
        return;
    }
    smc_type from = f->type, to = t->type, real = {0};
    real.base = SMC_B_FLOAT;
    if (from.base != SMC_B_DECIMAL && from.base != SMC_B_FLOAT) /* an integer: scale 0 */
        from.base = SMC_B_DECIMAL, from.scale = 0;
    if (to.base != SMC_B_DECIMAL && to.base != SMC_B_FLOAT)
        to.base = SMC_B_DECIMAL, to.scale = 0;
    if (from.base == SMC_B_DECIMAL && to.base == SMC_B_DECIMAL && to.scale < from.scale) {
        smc_sql_rescale(&mid, d, &from, &real, col.data, true); /* through a float, rounded */
        smc_sql_rescale(s->b, d, &real, &to, mid.data, true);
    } else {
        smc_sql_rescale(s->b, d, &from, to.base == SMC_B_FLOAT ? &real : &to, col.data, true);
    }
    sm_buf_free(&mid);
    sm_buf_free(&col);
}

/* The table rebuild: a new table under a temporary name, the rows
 * copied, the old table dropped, the new one renamed, its indexes made. */
static void rebuild(script *s, const smc_mtable *t)
{
    const smc_dialect *d = s->d;
    const char *tmp = smc_printf(s->ctx, "smdl_new_%s", t->to->table);
    smc_ddl_create_table_as(s->ctx, d, t->to, tmp, s->b);
    smc_out_puts(s->b, ";\nINSERT INTO ");
    smc_sql_ident(s->b, d, tmp);
    smc_out_puts(s->b, " (");
    bool first = true;
    for (uint32_t i = 0; i < t->ncols; i++)
        if (t->cols[i].from && t->cols[i].to) {
            smc_out_puts(s->b, first ? "" : ", ");
            smc_sql_ident(s->b, d, t->cols[i].to->column);
            first = false;
        }
    smc_out_puts(s->b, ") SELECT ");
    first = true;
    for (uint32_t i = 0; i < t->ncols; i++) {
        const smc_mcol *c = &t->cols[i];
        if (!c->from || !c->to)
            continue;
        smc_out_puts(s->b, first ? "" : ", ");
        first = false;
        bool fill = !c->to->type.nullable && c->from->type.nullable &&
                    c->to->defkind == SMC_DEF_CONST;
        if (fill)
            smc_out_puts(s->b, "coalesce(");
        copy_value(s, c->from, c->to);
        if (fill)
            smc_out_printf(s->b, ", %s)", default_value(s, c->to));
    }
    smc_out_puts(s->b, " FROM ");
    smc_sql_ident(s->b, d, t->to->table); /* renamed already */
    smc_out_puts(s->b, ";\n");
    smc_ddl_args a = {.table = t->to->table};
    stmt(s, d->drop_table, a);
    a = (smc_ddl_args){.table = tmp, .new_name = t->to->table};
    stmt(s, d->rename_table, a);
    for (uint32_t i = 0; i < t->to->nindexes; i++)
        if (!t->to->indexes[i].unique) {
            smc_ddl_index(d, t->to, &t->to->indexes[i], s->b);
            smc_out_puts(s->b, ";\n");
        }
}

static void columns(script *s, const smc_mtable *t)
{
    const smc_dialect *d = s->d;
    for (uint32_t i = 0; i < t->ncols; i++) {
        const smc_mcol *c = &t->cols[i];
        if (c->from && c->to && strcmp(c->from->column, c->to->column) != 0) {
            smc_ddl_args a = {.table = t->to->table, .name = c->from->column,
                              .new_name = c->to->column};
            stmt(s, d->rename_column, a);
        }
    }
    for (uint32_t i = 0; i < t->ncols; i++)
        if (!t->cols[i].from) {
            smc_ddl_args a = {.table = t->to->table,
                              .def = piece(s, smc_ddl_column, t->to_unique, t->cols[i].to)};
            stmt(s, d->add_column, a);
        }
    for (uint32_t i = 0; i < t->ncols; i++)
        if (t->cols[i].from && t->cols[i].to)
            alter_column(s, t, &t->cols[i]);
    for (uint32_t i = 0; i < t->ncols; i++)
        if (!t->cols[i].to) {
            smc_ddl_args a = {.table = t->to->table, .name = t->cols[i].from->column};
            stmt(s, d->drop_column, a);
        }
}

/* ---- Tables --------------------------------------------------------------------------- */

static void create_table(script *s, const smc_model *m)
{
    smc_ddl_create_table(s->ctx, s->d, m, s->b);
    smc_out_puts(s->b, ";\n");
    if (!s->d->inline_indexes)
        for (uint32_t k = 0; k < m->nindexes; k++)
            if (!m->indexes[k].unique) {
                smc_ddl_index(s->d, m, &m->indexes[k], s->b);
                smc_out_puts(s->b, ";\n");
            }
}

/* Does a created table reference one created after it (a cycle)? */
static bool created_cycle(const script *s)
{
    for (uint32_t k = 0; k < s->p->ntables; k++) {
        const smc_model *m = s->p->tables[k].from ? NULL : s->p->tables[k].to;
        for (uint32_t i = 0; m && i < m->ncols; i++)
            if (m->cols[i]->fk_model && m->cols[i]->fk_model->fk_rank > m->fk_rank)
                return true;
    }
    return false;
}

/* Pieces of phase 1 (drop) or 6 (add, rename), foreign keys first when
 * dropping and last when adding. */
static void pieces_phase(script *s, bool adding)
{
    for (int pass = 0; pass < 2; pass++) {
        bool fks = (pass == 0) != adding;
        for (uint32_t k = 0; k < s->p->ntables; k++) {
            const smc_mtable *t = &s->p->tables[k];
            if (!t->from || !t->to || rebuilt(s, t))
                continue;
            for (uint32_t i = 0; i < t->nchanges; i++) {
                const smc_mchange *ch = &t->changes[i];
                if ((kind_of(ch) == SMC_DDL_FK) != fks)
                    continue;
                bool replace = kind_of(ch) == SMC_DDL_PK && s->d->replace_pk &&
                               (ch->drop & s->bit) && (ch->add & s->bit);
                if (replace && adding) {
                    smc_ddl_args a = {.table = t->to->table, .def = ch->to->text[s->d->id]};
                    stmt(s, s->d->replace_pk, a);
                    continue;
                }
                if (!adding && (ch->drop & s->bit) && !replace)
                    drop_piece(s, t, ch->from);
                if (adding && (ch->add & s->bit))
                    add_piece(s, t, ch->to);
                if (adding && (ch->rename & s->bit)) {
                    smc_ddl_args a = {.table = t->to->table, .name = ch->from->db_name,
                                      .new_name = ch->to->name};
                    stmt(s, s->d->rename_piece[kind_of(ch)], a);
                }
            }
        }
    }
}

static bool needs_marker(const script *s)
{
    for (uint32_t k = 0; k < s->p->ntables; k++)
        if (rebuilt(s, &s->p->tables[k]) || !s->p->tables[k].to)
            return true;
    return false;
}

typedef struct script_job {
    script s;
} script_job;

static void write_script(smc_ctx *ctx, void *arg)
{
    script *s = &((script_job *)arg)->s;
    s->ctx = ctx;
    const smc_mplan *p = s->p;
    if (s->d->rebuild_marker && needs_marker(s))
        smc_out_printf(s->b, "%s\n", s->d->rebuild_marker);
    pieces_phase(s, false);
    for (uint32_t k = 0; k < p->ntables; k++)
        if (!p->tables[k].to) {
            smc_ddl_drop_table(s->d, p->tables[k].from, s->b);
            smc_out_puts(s->b, ";\n");
        }
    for (uint32_t k = 0; k < p->ntables; k++) {
        const smc_mtable *t = &p->tables[k];
        if (t->from && t->to && t->renamed) {
            smc_ddl_args a = {.table = t->from->table, .new_name = t->to->table};
            stmt(s, s->d->rename_table, a);
        }
    }
    for (uint32_t k = 0; k < p->ntables; k++) {
        const smc_mtable *t = &p->tables[k];
        if (t->from && t->to)
            (rebuilt(s, t) ? rebuild : columns)(s, t);
    }
    bool cycle = created_cycle(s);
    if (cycle && s->d->create_prologue)
        smc_out_printf(s->b, "%s;\n", s->d->create_prologue);
    for (uint32_t k = 0; k < p->ntables; k++)
        if (!p->tables[k].from)
            create_table(s, p->tables[k].to);
    pieces_phase(s, true);
    for (uint32_t k = 0; k < p->ntables; k++) {
        const smc_model *m = p->tables[k].from ? NULL : p->tables[k].to;
        for (uint32_t i = 0; m && i < m->ncols; i++)
            if (m->cols[i]->column && m->cols[i]->fk_model &&
                smc_ddl_fk_deferred(s->d, m, m->cols[i])) {
                smc_ddl_add_fk(ctx, s->d, m, m->cols[i], s->b);
                smc_out_puts(s->b, ";\n");
            }
    }
    if (cycle && s->d->create_epilogue)
        smc_out_printf(s->b, "%s;\n", s->d->create_epilogue);
}

void smc_migrate_script(const smc_mplan *p, const smc_dialect *d, sm_buf *out)
{
    script_job j = {{NULL, p, d, 1u << d->id, out}};
    write_script(p->to, &j);
}
