/*
 * emit_sql.c: DDL (DESIGN 5.1, 5.3) and the statements behind the
 * generated CRUD functions, written once for every dialect through the
 * dialect table.
 */
#include "emit.h"

#include <string.h>

static bool is_key(const smc_model *m, const smc_col *c)
{
    for (uint32_t i = 0; i < m->nkey; i++)
        if (m->key[i] == c)
            return true;
    return false;
}

static const smc_col *auto_key(const smc_model *m)
{
    return m->nkey == 1 && m->key[0]->autoinc ? m->key[0] : NULL;
}

/* "c1", "c2", ... of every column (skipping one). */
static void column_list(sm_buf *b, const smc_dialect *d, const smc_model *m, const smc_col *skip)
{
    bool first = true;
    for (uint32_t i = 0; i < m->ncols; i++) {
        const smc_col *c = m->cols[i];
        if (!c->column || c == skip)
            continue;
        if (!first)
            sm_buf_puts(b, ", ");
        smc_sql_ident(b, d, c->column);
        first = false;
    }
}

static unsigned count_columns(const smc_model *m, const smc_col *skip)
{
    unsigned n = 0;
    for (uint32_t i = 0; i < m->ncols; i++)
        n += m->cols[i]->column && m->cols[i] != skip;
    return n;
}

static void where_key(sm_buf *b, const smc_dialect *d, const smc_model *m, unsigned *k)
{
    sm_buf_puts(b, " WHERE ");
    for (uint32_t i = 0; i < m->nkey; i++) {
        if (i)
            sm_buf_puts(b, " AND ");
        smc_sql_ident(b, d, m->key[i]->column);
        sm_buf_puts(b, " = ");
        smc_sql_param(b, d, ++*k);
    }
}

static void insert(sm_buf *b, const smc_dialect *d, const smc_model *m, const smc_col *skip,
                   bool values)
{
    sm_buf_puts(b, "INSERT INTO ");
    smc_sql_ident(b, d, m->table);
    sm_buf_puts(b, " (");
    column_list(b, d, m, skip);
    sm_buf_puts(b, ") VALUES ");
    if (!values)
        return;
    sm_buf_putc(b, '(');
    unsigned n = count_columns(m, skip);
    for (unsigned k = 1; k <= n; k++) {
        if (k > 1)
            sm_buf_puts(b, ", ");
        smc_sql_param(b, d, k);
    }
    sm_buf_putc(b, ')');
}

static void returning_key(sm_buf *b, const smc_dialect *d, const smc_col *key)
{
    if (!d->key_by_returning)
        return;
    sm_buf_puts(b, " RETURNING ");
    smc_sql_ident(b, d, key->column);
}

void smc_sql_crud(smc_ctx *ctx, const smc_dialect *d, const smc_model *m, int which, sm_buf *b)
{
    (void)ctx;
    const smc_col *ak = auto_key(m);
    unsigned k = 0;
    switch (which) {
    case SMC_SQL_INSERT:
        insert(b, d, m, NULL, true);
        return;
    case SMC_SQL_INSERT_AUTO:
        if (ak) {
            insert(b, d, m, ak, true);
            returning_key(b, d, ak);
        }
        return;
    case SMC_SQL_GET:
        sm_buf_puts(b, "SELECT ");
        column_list(b, d, m, NULL);
        sm_buf_puts(b, " FROM ");
        smc_sql_ident(b, d, m->table);
        where_key(b, d, m, &k);
        return;
    case SMC_SQL_UPDATE: {
        sm_buf_puts(b, "UPDATE ");
        smc_sql_ident(b, d, m->table);
        sm_buf_puts(b, " SET ");
        bool first = true;
        for (uint32_t i = 0; i < m->ncols; i++) {
            const smc_col *c = m->cols[i];
            if (!c->column || is_key(m, c))
                continue;
            if (!first)
                sm_buf_puts(b, ", ");
            smc_sql_ident(b, d, c->column);
            sm_buf_puts(b, " = ");
            smc_sql_param(b, d, ++k);
            first = false;
        }
        if (first) { /* only key columns: match the row, change nothing */
            smc_sql_ident(b, d, m->key[0]->column);
            sm_buf_puts(b, " = ");
            smc_sql_ident(b, d, m->key[0]->column);
        }
        where_key(b, d, m, &k);
        return;
    }
    case SMC_SQL_DELETE:
        sm_buf_puts(b, "DELETE FROM ");
        smc_sql_ident(b, d, m->table);
        where_key(b, d, m, &k);
        return;
    case SMC_SQL_ROWS_PREFIX:
        insert(b, d, m, NULL, false);
        return;
    case SMC_SQL_ROWS_AUTO_PREFIX:
        if (ak)
            insert(b, d, m, ak, false);
        return;
    case SMC_SQL_ROWS_AUTO_SUFFIX:
        if (ak)
            returning_key(b, d, ak);
        return;
    }
}

const smc_col *smc_patch_target(const smc_model *table, const smc_col *c)
{
    for (uint32_t i = 0; i < table->ncols; i++)
        if (table->cols[i]->column && strcmp(table->cols[i]->name, c->name) == 0)
            return table->cols[i];
    return NULL;
}

/* Patch fragments use "?" in every dialect: the runtime joins them per
 * set of fields, and the PostgreSQL driver numbers the placeholders. */
void smc_sql_patch_part(const smc_dialect *d, const smc_model *table, int part, sm_buf *b)
{
    switch (part) {
    case SMC_PATCH_UPDATE:
        sm_buf_puts(b, "UPDATE ");
        smc_sql_ident(b, d, table->table);
        sm_buf_puts(b, " SET ");
        return;
    case SMC_PATCH_NOOP:
        smc_sql_ident(b, d, table->key[0]->column);
        sm_buf_puts(b, " = ");
        smc_sql_ident(b, d, table->key[0]->column);
        return;
    case SMC_PATCH_WHERE:
        sm_buf_puts(b, " WHERE ");
        for (uint32_t i = 0; i < table->nkey; i++) {
            if (i)
                sm_buf_puts(b, " AND ");
            smc_sql_ident(b, d, table->key[i]->column);
            sm_buf_puts(b, " = ?");
        }
        return;
    }
}

void smc_sql_patch_assign(const smc_dialect *d, const smc_col *target, sm_buf *b)
{
    smc_sql_ident(b, d, target->column);
    sm_buf_puts(b, " = ?");
}

void smc_sql_patch(smc_ctx *ctx, const smc_dialect *d, const smc_model *table,
                   const smc_model *partial, sm_buf *b)
{
    (void)ctx;
    unsigned k = 0;
    smc_sql_patch_part(d, table, SMC_PATCH_UPDATE, b);
    bool first = true;
    for (uint32_t i = 0; i < partial->ncols; i++) {
        const smc_col *t = smc_patch_target(table, partial->cols[i]);
        if (!t)
            continue;
        if (!first)
            sm_buf_puts(b, ", ");
        smc_sql_ident(b, d, t->column);
        sm_buf_puts(b, " = ");
        smc_sql_param(b, d, ++k);
        first = false;
    }
    where_key(b, d, table, &k);
}

/* ---- DDL ------------------------------------------------------------------------------ */

static const char *const fk_action_sql[] = {"", "CASCADE", "SET NULL", "RESTRICT", "NO ACTION",
                                            "SET DEFAULT"};

/* Is c part of a primary, unique or foreign key (MySQL sizes such text)? */
static bool in_key(const smc_model *m, const smc_col *c)
{
    if (c->pk || c->fk_model || c->referenced)
        return true;
    for (uint32_t i = 0; i < m->nindexes; i++)
        for (uint32_t k = 0; k < m->indexes[i].ncols; k++)
            if (m->indexes[i].unique && m->indexes[i].cols[k] == c)
                return true;
    return false;
}

static void constraint(sm_buf *b, const smc_dialect *d, const char *name)
{
    sm_buf_puts(b, ",\n    CONSTRAINT ");
    smc_sql_ident(b, d, name);
    sm_buf_putc(b, ' ');
}

static void fk_clause(smc_ctx *ctx, sm_buf *b, const smc_dialect *d, const smc_model *m,
                      const smc_col *c)
{
    smc_col *cols[1] = {(smc_col *)c};
    const char *name = smc_constraint_name(ctx, "fk", m->table, cols, 1);
    sm_buf_puts(b, "CONSTRAINT ");
    smc_sql_ident(b, d, name);
    sm_buf_puts(b, " FOREIGN KEY (");
    smc_sql_ident(b, d, c->column);
    sm_buf_puts(b, ") REFERENCES ");
    smc_sql_ident(b, d, c->fk_model->table);
    sm_buf_puts(b, " (");
    smc_sql_ident(b, d, c->fk_col->column);
    sm_buf_putc(b, ')');
    if (c->on_delete)
        sm_buf_printf(b, " ON DELETE %s", fk_action_sql[c->on_delete]);
    if (c->on_update)
        sm_buf_printf(b, " ON UPDATE %s", fk_action_sql[c->on_update]);
}

/* Does this FK wait until every table exists (a cycle, on dialects that
 * check references at creation)? */
static bool deferred(const smc_dialect *d, const smc_model *m, const smc_col *c)
{
    return d->deferred_fks && c->fk_model->own && c->fk_model != m &&
           c->fk_model->fk_rank > m->fk_rank;
}

/* Expands a %c (column) / %v (values) pattern. */
static void check_pattern(sm_buf *b, const smc_dialect *d, const char *pat, const smc_col *c)
{
    for (const char *p = pat; *p; p++) {
        if (p[0] == '%' && p[1] == 'c') {
            smc_sql_ident(b, d, c->column);
            p++;
        } else if (p[0] == '%' && p[1] == 'v') {
            for (const smc_member *m = c->type.decl->members; m; m = m->next) {
                smc_sql_string(b, d, m->name.s, strlen(m->name.s));
                if (m->next)
                    sm_buf_puts(b, ", ");
            }
            p++;
        } else {
            sm_buf_putc(b, *p);
        }
    }
}

static void index_columns(sm_buf *b, const smc_dialect *d, const smc_index *ix, bool prefix)
{
    sm_buf_putc(b, '(');
    for (uint32_t k = 0; k < ix->ncols; k++) {
        const smc_col *c = ix->cols[k];
        if (k)
            sm_buf_puts(b, ", ");
        smc_sql_ident(b, d, c->column);
        bool unbounded = c->type.base == SMC_B_TEXT &&
                         !(c->max_len >= 0 && c->max_len <= d->bounded_max);
        if (prefix && d->index_prefix && (unbounded || c->type.base == SMC_B_BYTES ||
                                          c->type.base == SMC_B_JSON))
            sm_buf_printf(b, "(%d)", d->index_prefix);
    }
    sm_buf_putc(b, ')');
}

static void create_table(smc_ctx *ctx, const smc_dialect *d, const smc_model *m, sm_buf *b)
{
    sm_buf_puts(b, "CREATE TABLE IF NOT EXISTS ");
    smc_sql_ident(b, d, m->table);
    sm_buf_puts(b, " (");
    bool first = true;
    for (uint32_t i = 0; i < m->ncols; i++) {
        const smc_col *c = m->cols[i];
        if (!c->column)
            continue;
        sm_buf_puts(b, first ? "\n    " : ",\n    ");
        first = false;
        smc_sql_ident(b, d, c->column);
        sm_buf_putc(b, ' ');
        smc_sql_type(b, d, c, in_key(m, c));
        if (!c->type.nullable)
            sm_buf_puts(b, " NOT NULL");
        smc_sql_default(b, d, c);
    }
    if (d->pk_named)
        constraint(b, d, m->pk_name);
    else
        sm_buf_puts(b, ",\n    ");
    sm_buf_puts(b, "PRIMARY KEY (");
    for (uint32_t i = 0; i < m->nkey; i++) {
        if (i)
            sm_buf_puts(b, ", ");
        smc_sql_ident(b, d, m->key[i]->column);
    }
    sm_buf_putc(b, ')');
    for (uint32_t i = 0; i < m->nindexes; i++)
        if (m->indexes[i].unique) {
            constraint(b, d, m->indexes[i].name);
            sm_buf_puts(b, "UNIQUE ");
            index_columns(b, d, &m->indexes[i], false);
        }
    for (uint32_t i = 0; i < m->ncols; i++) {
        const smc_col *c = m->cols[i];
        if (c->column && c->fk_model && !deferred(d, m, c)) {
            sm_buf_puts(b, ",\n    ");
            fk_clause(ctx, b, d, m, c);
        }
    }
    for (uint32_t i = 0; i < m->ncols; i++) {
        const smc_col *c = m->cols[i];
        const char *pat = !c->column ? NULL
                        : c->type.base == SMC_B_ENUM ? d->enum_check
                        : c->type.base == SMC_B_JSON ? d->json_check : NULL;
        if (!pat)
            continue;
        smc_col *one[1] = {(smc_col *)c};
        constraint(b, d, smc_constraint_name(ctx, "ck", m->table, one, 1));
        sm_buf_puts(b, "CHECK (");
        if (c->type.nullable) { /* a check function may not pass NULL through */
            smc_sql_ident(b, d, c->column);
            sm_buf_puts(b, " IS NULL OR ");
        }
        check_pattern(b, d, pat, c);
        sm_buf_putc(b, ')');
    }
    for (uint32_t i = 0; i < m->nchecks; i++) {
        constraint(b, d, m->checks[i].name);
        sm_buf_puts(b, "CHECK (");
        smc_sqlctx sc;
        memset(&sc, 0, sizeof sc);
        sc.d = d;
        smc_sql_expr(ctx, &sc, m->checks[i].expr, b);
        sm_buf_putc(b, ')');
    }
    if (d->inline_indexes)
        for (uint32_t i = 0; i < m->nindexes; i++)
            if (!m->indexes[i].unique) {
                sm_buf_puts(b, ",\n    INDEX ");
                smc_sql_ident(b, d, m->indexes[i].name);
                sm_buf_putc(b, ' ');
                index_columns(b, d, &m->indexes[i], true);
            }
    sm_buf_printf(b, "\n)%s;\n", d->table_suffix);
    if (!d->inline_indexes)
        for (uint32_t i = 0; i < m->nindexes; i++)
            if (!m->indexes[i].unique) {
                sm_buf_puts(b, "CREATE INDEX IF NOT EXISTS ");
                smc_sql_ident(b, d, m->indexes[i].name);
                sm_buf_puts(b, " ON ");
                smc_sql_ident(b, d, m->table);
                sm_buf_putc(b, ' ');
                index_columns(b, d, &m->indexes[i], true);
                sm_buf_puts(b, ";\n");
            }
}

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
        sm_buf_printf(b, "%s;\n", d->create_prologue);
    for (uint32_t i = 0; i < s->ntables; i++)
        create_table(ctx, d, s->tables[i], b);
    for (uint32_t i = 0; i < s->ntables; i++) {
        const smc_model *m = s->tables[i];
        for (uint32_t k = 0; k < m->ncols; k++) {
            const smc_col *c = m->cols[k];
            if (!c->column || !c->fk_model || !deferred(d, m, c))
                continue;
            /* Added once all tables exist, guarded so create_all can run
             * again. */
            smc_col *one[1] = {(smc_col *)c};
            sm_buf alter = SM_BUF_INIT;
            sm_buf_puts(&alter, "ALTER TABLE ");
            smc_sql_ident(&alter, d, m->table);
            sm_buf_puts(&alter, " ADD ");
            fk_clause(ctx, &alter, d, m, c);
            const char *name = smc_constraint_name(ctx, "fk", m->table, one, 1);
            for (const char *p = d->add_fk_guarded; *p; p++) {
                if (p[0] == '%' && p[1] == 'n') {
                    smc_sql_string(b, d, name, strlen(name));
                    p++;
                } else if (p[0] == '%' && p[1] == 's') {
                    sm_buf_puts(b, alter.data);
                    p++;
                } else {
                    sm_buf_putc(b, *p);
                }
            }
            sm_buf_puts(b, ";\n");
            sm_buf_free(&alter);
        }
    }
    if (cycles && d->create_epilogue)
        sm_buf_printf(b, "%s;\n", d->create_epilogue);
}

void smc_sql_drop_all(smc_ctx *ctx, const smc_dialect *d, sm_buf *b)
{
    smc_sema *s = ctx->sema;
    if (d->drop_prologue)
        sm_buf_printf(b, "%s;\n", d->drop_prologue);
    for (uint32_t i = s->ntables; i-- > 0;) {
        for (const char *p = d->drop_table; *p; p++) {
            if (p[0] == '%' && p[1] == 't') {
                smc_sql_ident(b, d, s->tables[i]->table);
                p++;
            } else {
                sm_buf_putc(b, *p);
            }
        }
        sm_buf_puts(b, ";\n");
    }
    if (d->drop_epilogue)
        sm_buf_printf(b, "%s;\n", d->drop_epilogue);
}

/* ---- smc sql -------------------------------------------------------------------------- */

void smc_emit_sql_listing(smc_ctx *ctx, const smc_dialect *d, sm_buf *b)
{
    smc_sema *s = ctx->sema;
    sm_buf_printf(b, "-- Generated by smc from %s.smdl for %s. DO NOT EDIT.\n\n", s->file_base,
                  d->name);
    sm_buf_printf(b, "-- %s_create_all\n", s->module);
    smc_sql_create_all(ctx, d, b);
    sm_buf_printf(b, "\n-- %s_drop_all\n", s->module);
    smc_sql_drop_all(ctx, d, b);
    static const char *const verbs[] = {"insert", "insert (generated key)", "get", "update",
                                        "delete"};
    for (uint32_t i = 0; i < s->ntables; i++) {
        const smc_model *m = s->tables[i];
        sm_buf_putc(b, '\n');
        for (int w = SMC_SQL_INSERT; w <= SMC_SQL_DELETE; w++) {
            sm_buf stmt = SM_BUF_INIT;
            smc_sql_crud(ctx, d, m, w, &stmt);
            if (stmt.len)
                sm_buf_printf(b, "-- %s %s\n%s;\n", m->snake, verbs[w], stmt.data);
            sm_buf_free(&stmt);
        }
        for (uint32_t p = 0; p < m->npartials; p++) {
            sm_buf stmt = SM_BUF_INIT;
            smc_sql_patch(ctx, d, m, m->partials[p], &stmt);
            sm_buf_printf(b, "-- %s patch (%s), with every field set\n%s;\n", m->snake,
                          m->partials[p]->name, stmt.data);
            sm_buf_free(&stmt);
        }
    }
    smc_emit_query_listing(ctx, d, b);
}
