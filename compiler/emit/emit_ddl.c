/*
 * emit_ddl.c: DDL (DESIGN 5.1, 5.3), one piece at a time: a column, the
 * primary key, a unique constraint, a foreign key, a check, an index, a
 * table, a drop.  create_all assembles them; a migration calls the piece
 * it needs.  Pieces carry no separators or terminators: the caller joins
 * them.
 */
#include "emit.h"

#include <string.h>

static const char *const fk_action_sql[] = {"", "CASCADE", "SET NULL", "RESTRICT", "NO ACTION",
                                            "SET DEFAULT"};

/* Is c part of a primary, unique or foreign key (MySQL sizes such text)?
 * `unique`: whether it is in a unique constraint. */
static bool in_key(const smc_col *c, bool unique)
{
    return unique || c->pk || c->fk_model || c->referenced;
}

bool *smc_ddl_unique_cols(smc_ctx *ctx, const smc_model *m)
{
    bool *unique = smc_alloc(ctx, (m->ncols + 1) * sizeof *unique);
    for (uint32_t i = 0; i < m->nindexes; i++)
        for (uint32_t k = 0; k < m->indexes[i].ncols && m->indexes[i].unique; k++) {
            const smc_col *c = m->indexes[i].cols[k];
            if (c->index < m->ncols && m->cols[c->index] == c)
                unique[c->index] = true;
        }
    return unique;
}

static void constraint_name(sm_buf *b, const smc_dialect *d, const char *name)
{
    smc_out_puts(b, "CONSTRAINT ");
    smc_sql_ident(b, d, name);
    smc_out_putc(b, ' ');
}

/* Expands a %c (column) / %v (values) pattern. */
static void check_pattern(sm_buf *b, const smc_dialect *d, const char *pat, const smc_col *c)
{
    for (char x; (x = smc_sql_pattern(b, &pat, "cv"));) {
        if (x == 'c') {
            smc_sql_ident(b, d, c->column);
            continue;
        }
        for (const smc_member *m = c->type.decl->members; m; m = m->next) {
            smc_sql_string(b, d, m->name.s, strlen(m->name.s));
            if (m->next)
                smc_out_puts(b, ", ");
        }
    }
}

/* The column list of an index.  A plain one (`plain`) sizes unbounded
 * text where the dialect needs it (MySQL), and orders a nullable column
 * as queries do, NULLs first (PostgreSQL), so that it serves `order by`. */
static void index_columns(sm_buf *b, const smc_dialect *d, const smc_index *ix, bool plain)
{
    smc_out_putc(b, '(');
    for (uint32_t k = 0; k < ix->ncols; k++) {
        const smc_col *c = ix->cols[k];
        if (k)
            smc_out_puts(b, ", ");
        smc_sql_ident(b, d, c->column);
        bool unbounded = c->type.base == SMC_B_TEXT &&
                         !(c->max_len >= 0 && c->max_len <= d->bounded_max);
        if (plain && d->index_prefix && (unbounded || c->type.base == SMC_B_BYTES ||
                                         c->type.base == SMC_B_JSON))
            smc_out_printf(b, "(%d)", d->index_prefix);
        if (plain && c->type.nullable && d->index_nulls_first)
            smc_out_puts(b, d->index_nulls_first);
    }
    smc_out_putc(b, ')');
}

/* ---- Pieces ---------------------------------------------------------------------------- */

static void column(const smc_dialect *d, const smc_col *c, bool unique, sm_buf *b)
{
    smc_sql_ident(b, d, c->column);
    smc_out_putc(b, ' ');
    smc_sql_type(b, d, c, in_key(c, unique));
    if (!c->type.nullable)
        smc_out_puts(b, " NOT NULL");
    smc_sql_default(b, d, c);
}

void smc_ddl_column(const smc_dialect *d, const smc_col *c, bool unique, sm_buf *b)
{
    column(d, c, unique, b);
}

void smc_ddl_column_type(const smc_dialect *d, const smc_col *c, bool unique, sm_buf *b)
{
    if (c->autoinc) { /* the type alone, without what makes it generate keys */
        smc_col plain = *c;
        plain.autoinc = false;
        smc_sql_type(b, d, &plain, in_key(c, unique));
        return;
    }
    smc_sql_type(b, d, c, in_key(c, unique));
}

void smc_ddl_primary_key(const smc_dialect *d, const smc_model *m, sm_buf *b)
{
    if (d->pk_named)
        constraint_name(b, d, m->pk_name);
    smc_out_puts(b, "PRIMARY KEY (");
    for (uint32_t i = 0; i < m->nkey; i++) {
        if (i)
            smc_out_puts(b, ", ");
        smc_sql_ident(b, d, m->key[i]->column);
    }
    smc_out_putc(b, ')');
}

void smc_ddl_unique(const smc_dialect *d, const smc_index *ix, sm_buf *b)
{
    constraint_name(b, d, ix->name);
    smc_out_puts(b, "UNIQUE ");
    index_columns(b, d, ix, false);
}

void smc_ddl_fk(smc_ctx *ctx, const smc_dialect *d, const smc_model *m, const smc_col *c,
                sm_buf *b)
{
    smc_col *cols[1] = {(smc_col *)c};
    constraint_name(b, d, smc_constraint_name(ctx, "fk", m->table, cols, 1));
    smc_out_puts(b, "FOREIGN KEY (");
    smc_sql_ident(b, d, c->column);
    smc_out_puts(b, ") REFERENCES ");
    smc_sql_ident(b, d, c->fk_model->table);
    smc_out_puts(b, " (");
    smc_sql_ident(b, d, c->fk_col->column);
    smc_out_putc(b, ')');
    if (c->on_delete)
        smc_out_printf(b, " ON DELETE %s", fk_action_sql[c->on_delete]);
    if (c->on_update)
        smc_out_printf(b, " ON UPDATE %s", fk_action_sql[c->on_update]);
}

bool smc_ddl_column_check(smc_ctx *ctx, const smc_dialect *d, const smc_model *m,
                          const smc_col *c, sm_buf *b)
{
    const char *pat = !c->column ? NULL
                    : c->type.base == SMC_B_ENUM ? d->enum_check
                    : c->type.base == SMC_B_JSON ? d->json_check : NULL;
    if (!pat)
        return false;
    smc_col *one[1] = {(smc_col *)c};
    constraint_name(b, d, smc_constraint_name(ctx, "ck", m->table, one, 1));
    smc_out_puts(b, "CHECK (");
    if (c->type.nullable) { /* a check function may not pass NULL through */
        smc_sql_ident(b, d, c->column);
        smc_out_puts(b, " IS NULL OR ");
    }
    check_pattern(b, d, pat, c);
    smc_out_putc(b, ')');
    return true;
}

void smc_ddl_check(smc_ctx *ctx, const smc_dialect *d, const smc_tcheck *ck, sm_buf *b)
{
    constraint_name(b, d, ck->name);
    smc_out_puts(b, "CHECK (");
    smc_sqlctx sc;
    memset(&sc, 0, sizeof sc);
    sc.d = d;
    smc_sql_expr(ctx, &sc, ck->expr, b);
    smc_out_putc(b, ')');
}

void smc_ddl_index(const smc_dialect *d, const smc_model *m, const smc_index *ix, sm_buf *b)
{
    if (d->inline_indexes) {
        smc_out_puts(b, "INDEX ");
        smc_sql_ident(b, d, ix->name);
        smc_out_putc(b, ' ');
        index_columns(b, d, ix, true);
        return;
    }
    smc_out_puts(b, "CREATE INDEX IF NOT EXISTS ");
    smc_sql_ident(b, d, ix->name);
    smc_out_puts(b, " ON ");
    smc_sql_ident(b, d, m->table);
    smc_out_putc(b, ' ');
    index_columns(b, d, ix, true);
}

bool smc_ddl_fk_deferred(const smc_dialect *d, const smc_model *m, const smc_col *c)
{
    return d->deferred_fks && c->fk_model->own && c->fk_model != m &&
           c->fk_model->fk_rank > m->fk_rank;
}

void smc_ddl_create_table(smc_ctx *ctx, const smc_dialect *d, const smc_model *m, sm_buf *b)
{
    smc_ddl_create_table_as(ctx, d, m, m->table, b);
}

void smc_ddl_create_table_as(smc_ctx *ctx, const smc_dialect *d, const smc_model *m,
                             const char *name, sm_buf *b)
{
    smc_out_puts(b, "CREATE TABLE IF NOT EXISTS ");
    smc_sql_ident(b, d, name);
    smc_out_puts(b, " (");
    bool *unique = smc_ddl_unique_cols(ctx, m);
    bool first = true;
    for (uint32_t i = 0; i < m->ncols; i++) {
        const smc_col *c = m->cols[i];
        if (!c->column)
            continue;
        smc_out_puts(b, first ? "\n    " : ",\n    ");
        first = false;
        column(d, c, unique[i], b);
    }
    smc_out_puts(b, ",\n    ");
    smc_ddl_primary_key(d, m, b);
    for (uint32_t i = 0; i < m->nindexes; i++)
        if (m->indexes[i].unique) {
            smc_out_puts(b, ",\n    ");
            smc_ddl_unique(d, &m->indexes[i], b);
        }
    for (uint32_t i = 0; i < m->ncols; i++) {
        const smc_col *c = m->cols[i];
        if (c->column && c->fk_model && !smc_ddl_fk_deferred(d, m, c)) {
            smc_out_puts(b, ",\n    ");
            smc_ddl_fk(ctx, d, m, c, b);
        }
    }
    for (uint32_t i = 0; i < m->ncols; i++) {
        sm_buf piece = SM_BUF_INIT;
        if (smc_ddl_column_check(ctx, d, m, m->cols[i], &piece))
            smc_out_printf(b, ",\n    %s", piece.data);
        sm_buf_free(&piece);
    }
    for (uint32_t i = 0; i < m->nchecks; i++) {
        smc_out_puts(b, ",\n    ");
        smc_ddl_check(ctx, d, &m->checks[i], b);
    }
    if (d->inline_indexes)
        for (uint32_t i = 0; i < m->nindexes; i++)
            if (!m->indexes[i].unique) {
                smc_out_puts(b, ",\n    ");
                smc_ddl_index(d, m, &m->indexes[i], b);
            }
    smc_out_printf(b, "\n)%s", d->table_suffix);
}

void smc_ddl_add_fk(smc_ctx *ctx, const smc_dialect *d, const smc_model *m, const smc_col *c,
                    sm_buf *b)
{
    smc_col *one[1] = {(smc_col *)c};
    sm_buf alter = SM_BUF_INIT;
    smc_out_puts(&alter, "ALTER TABLE ");
    smc_sql_ident(&alter, d, m->table);
    smc_out_puts(&alter, " ADD ");
    smc_ddl_fk(ctx, d, m, c, &alter);
    const char *name = smc_constraint_name(ctx, "fk", m->table, one, 1);
    /* $smdl$, else $smdl1$, ...: a tag that no name in the body holds
     * (a table named "a$$b" would end a plain $$ block). */
    const char *tag = "$smdl$";
    for (int k = 1; strstr(alter.data, tag) || strstr(name, tag); k++)
        tag = smc_printf(ctx, "$smdl%d$", k);
    const char *p = d->add_fk_guarded;
    for (char x; (x = smc_sql_pattern(b, &p, "qns"));) {
        if (x == 'q')
            smc_out_puts(b, tag);
        else if (x == 'n')
            smc_sql_string(b, d, name, strlen(name));
        else
            smc_out_append(b, alter.data, alter.len);
    }
    sm_buf_free(&alter);
}

void smc_ddl_drop_table(const smc_dialect *d, const smc_model *m, sm_buf *b)
{
    for (const char *p = d->drop_table; smc_sql_pattern(b, &p, "t");)
        smc_sql_ident(b, d, m->table);
}

const char *smc_ddl_piece_name(smc_ctx *ctx, const smc_model *m, smc_ddl_kind kind,
                               const void *obj)
{
    smc_col *one[1] = {(smc_col *)obj};
    switch (kind) {
    case SMC_DDL_PK: return m->pk_name;
    case SMC_DDL_UNIQUE:
    case SMC_DDL_INDEX: return ((const smc_index *)obj)->name;
    case SMC_DDL_FK: return smc_constraint_name(ctx, "fk", m->table, one, 1);
    case SMC_DDL_COLCHECK: return smc_constraint_name(ctx, "ck", m->table, one, 1);
    case SMC_DDL_CHECK: return ((const smc_tcheck *)obj)->name;
    default: return "";
    }
}

bool smc_ddl_piece(smc_ctx *ctx, const smc_dialect *d, const smc_model *m, smc_ddl_kind kind,
                   const void *obj, sm_buf *b)
{
    switch (kind) {
    case SMC_DDL_PK: smc_ddl_primary_key(d, m, b); return true;
    case SMC_DDL_UNIQUE: smc_ddl_unique(d, obj, b); return true;
    case SMC_DDL_FK: smc_ddl_fk(ctx, d, m, obj, b); return true;
    case SMC_DDL_COLCHECK: return smc_ddl_column_check(ctx, d, m, obj, b);
    case SMC_DDL_CHECK: smc_ddl_check(ctx, d, obj, b); return true;
    case SMC_DDL_INDEX: smc_ddl_index(d, m, obj, b); return true;
    default: return false;
    }
}

void smc_ddl_statement(const smc_dialect *d, const char *pat, const smc_ddl_args *a, sm_buf *b)
{
    for (char x; (x = smc_sql_pattern(b, &pat, "tcndyv"));) {
        switch (x) {
        case 't': smc_sql_ident(b, d, a->table); break;
        case 'c': smc_sql_ident(b, d, a->name); break;
        case 'n': smc_sql_ident(b, d, a->new_name); break;
        case 'd': smc_out_puts(b, a->def); break;
        case 'y': smc_out_puts(b, a->type); break;
        default: smc_out_puts(b, a->value); break;
        }
    }
}

/* ---- The module's scripts ------------------------------------------------------------- */

void smc_sql_create_all(smc_ctx *ctx, const smc_dialect *d, sm_buf *b)
{
    smc_sema *s = ctx->sema;
    bool cycles = false;
    for (uint32_t i = 0; i < s->ntables; i++)
        for (uint32_t k = 0; k < s->tables[i]->ncols; k++)
            cycles |= s->tables[i]->cols[k]->fk_model &&
                      s->tables[i]->cols[k]->fk_model->own &&
                      s->tables[i]->cols[k]->fk_model->fk_rank > s->tables[i]->fk_rank;
    if (cycles && d->create_prologue)
        smc_out_printf(b, "%s;\n", d->create_prologue);
    for (uint32_t i = 0; i < s->ntables; i++) {
        const smc_model *m = s->tables[i];
        smc_ddl_create_table(ctx, d, m, b);
        smc_out_puts(b, ";\n");
        if (!d->inline_indexes)
            for (uint32_t k = 0; k < m->nindexes; k++)
                if (!m->indexes[k].unique) {
                    smc_ddl_index(d, m, &m->indexes[k], b);
                    smc_out_puts(b, ";\n");
                }
    }
    /* FKs of a cycle, added once all tables exist, guarded so create_all
     * can run again. */
    for (uint32_t i = 0; i < s->ntables; i++) {
        const smc_model *m = s->tables[i];
        for (uint32_t k = 0; k < m->ncols; k++) {
            const smc_col *c = m->cols[k];
            if (c->column && c->fk_model && smc_ddl_fk_deferred(d, m, c)) {
                smc_ddl_add_fk(ctx, d, m, c, b);
                smc_out_puts(b, ";\n");
            }
        }
    }
    if (cycles && d->create_epilogue)
        smc_out_printf(b, "%s;\n", d->create_epilogue);
}

void smc_sql_drop_all(smc_ctx *ctx, const smc_dialect *d, sm_buf *b)
{
    smc_sema *s = ctx->sema;
    if (d->drop_prologue)
        smc_out_printf(b, "%s;\n", d->drop_prologue);
    for (uint32_t i = s->ntables; i-- > 0;) {
        smc_ddl_drop_table(d, s->tables[i], b);
        smc_out_puts(b, ";\n");
    }
    if (d->drop_epilogue)
        smc_out_printf(b, "%s;\n", d->drop_epilogue);
}
