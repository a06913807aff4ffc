/*
 * emit_sql.c: the statements behind the generated CRUD functions and the
 * fragments patches are assembled from, written once for every dialect
 * through the dialect table.
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
            smc_out_puts(b, ", ");
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
    smc_out_puts(b, " WHERE ");
    for (uint32_t i = 0; i < m->nkey; i++) {
        if (i)
            smc_out_puts(b, " AND ");
        smc_sql_ident(b, d, m->key[i]->column);
        smc_out_puts(b, " = ");
        smc_sql_param(b, d, ++*k, &m->key[i]->type);
    }
}

/* INSERT INTO t (columns) VALUES [(placeholders)]; a row with no column
 * to write as the dialect has it (nothing where it has no multi-row form). */
static void insert(sm_buf *b, const smc_dialect *d, const smc_model *m, const smc_col *skip,
                   bool values)
{
    if (count_columns(m, skip) == 0) {
        if (!values && !d->rows_no_columns)
            return;
        smc_out_puts(b, "INSERT INTO ");
        smc_sql_ident(b, d, m->table);
        smc_out_puts(b, values ? d->insert_no_columns : d->rows_no_columns);
        return;
    }
    smc_out_puts(b, "INSERT INTO ");
    smc_sql_ident(b, d, m->table);
    smc_out_puts(b, " (");
    column_list(b, d, m, skip);
    smc_out_puts(b, ") VALUES ");
    if (!values)
        return;
    smc_out_putc(b, '(');
    unsigned k = 0;
    for (uint32_t i = 0; i < m->ncols; i++) {
        const smc_col *c = m->cols[i];
        if (!c->column || c == skip)
            continue;
        if (k)
            smc_out_puts(b, ", ");
        smc_sql_param(b, d, ++k, &c->type);
    }
    smc_out_putc(b, ')');
}

static void returning_key(sm_buf *b, const smc_dialect *d, const smc_col *key)
{
    if (!d->key_by_returning)
        return;
    smc_out_puts(b, " RETURNING ");
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
        smc_out_puts(b, "SELECT ");
        column_list(b, d, m, NULL);
        smc_out_puts(b, " FROM ");
        smc_sql_ident(b, d, m->table);
        where_key(b, d, m, &k);
        return;
    case SMC_SQL_UPDATE: {
        smc_out_puts(b, "UPDATE ");
        smc_sql_ident(b, d, m->table);
        smc_out_puts(b, " SET ");
        bool first = true;
        for (uint32_t i = 0; i < m->ncols; i++) {
            const smc_col *c = m->cols[i];
            if (!c->column || is_key(m, c))
                continue;
            if (!first)
                smc_out_puts(b, ", ");
            smc_sql_ident(b, d, c->column);
            smc_out_puts(b, " = ");
            smc_sql_param(b, d, ++k, &c->type);
            first = false;
        }
        if (first) /* only key columns: match the row, change nothing */
            smc_sql_patch_part(d, m, SMC_PATCH_NOOP, b);
        where_key(b, d, m, &k);
        return;
    }
    case SMC_SQL_DELETE:
        smc_out_puts(b, "DELETE FROM ");
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
    case SMC_SQL_ROWS_AUTO_SUFFIX: /* only after a prefix */
        if (ak && (count_columns(m, ak) || d->rows_no_columns))
            returning_key(b, d, ak);
        return;
    case SMC_SQL_MANY_PREFIX: /* get_many: the tuples follow, "?" in every dialect */
        smc_out_puts(b, "SELECT ");
        column_list(b, d, m, NULL);
        smc_out_puts(b, " FROM ");
        smc_sql_ident(b, d, m->table);
        smc_out_puts(b, m->nkey > 1 ? " WHERE (" : " WHERE ");
        for (uint32_t i = 0; i < m->nkey; i++) {
            if (i)
                smc_out_puts(b, ", ");
            smc_sql_ident(b, d, m->key[i]->column);
        }
        smc_out_puts(b, m->nkey > 1 ? ") IN (" : " IN (");
        if (m->nkey > 1)
            smc_out_puts(b, d->row_values);
        return;
    case SMC_SQL_MANY_TUPLE:
        if (m->nkey > 1)
            smc_out_putc(b, '(');
        for (uint32_t i = 0; i < m->nkey; i++) {
            if (i)
                smc_out_puts(b, ", ");
            smc_sql_param(b, d, 0, &m->key[i]->type);
        }
        if (m->nkey > 1)
            smc_out_putc(b, ')');
        return;
    case SMC_SQL_MANY_SUFFIX:
        smc_out_putc(b, ')');
        return;
    }
}

const smc_col *smc_patch_target(const smc_model *table, const smc_col *c)
{
    const smc_col *t = smc_find_col(table, c->name);
    if (!t || !t->column)
        return NULL;
    return is_key(table, t) ? NULL : t; /* a key says which row; it never changes */
}

/* Patch fragments use "?" in every dialect: the runtime joins them per
 * set of fields, and the PostgreSQL driver numbers the placeholders. */
void smc_sql_patch_part(const smc_dialect *d, const smc_model *table, int part, sm_buf *b)
{
    switch (part) {
    case SMC_PATCH_UPDATE:
        smc_out_puts(b, "UPDATE ");
        smc_sql_ident(b, d, table->table);
        smc_out_puts(b, " SET ");
        return;
    case SMC_PATCH_NOOP:
        smc_sql_ident(b, d, table->key[0]->column);
        smc_out_puts(b, " = ");
        smc_sql_ident(b, d, table->key[0]->column);
        return;
    case SMC_PATCH_WHERE:
        smc_out_puts(b, " WHERE ");
        for (uint32_t i = 0; i < table->nkey; i++) {
            if (i)
                smc_out_puts(b, " AND ");
            smc_sql_ident(b, d, table->key[i]->column);
            smc_out_puts(b, " = ");
            smc_sql_param(b, d, 0, &table->key[i]->type);
        }
        return;
    }
}

void smc_sql_patch_assign(const smc_dialect *d, const smc_col *target, sm_buf *b)
{
    smc_sql_ident(b, d, target->column);
    smc_out_puts(b, " = ");
    smc_sql_param(b, d, 0, &target->type);
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
            smc_out_puts(b, ", ");
        smc_sql_ident(b, d, t->column);
        smc_out_puts(b, " = ");
        smc_sql_param(b, d, ++k, &t->type);
        first = false;
    }
    if (first)
        smc_sql_patch_part(d, table, SMC_PATCH_NOOP, b);
    where_key(b, d, table, &k);
}
