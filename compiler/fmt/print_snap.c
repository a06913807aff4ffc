/*
 * print_snap.c: the schema snapshot of migrations (DESIGN 6): the checked
 * schema's tables as the database sees them, printed as a schema that the
 * same front end reads back.  It is flattened and self-contained: bases
 * and mixins are expanded into each table's columns, refined types into
 * their base type, every constraint written as a table constraint;
 * imported tables that the file's tables reference (transitively) are
 * inlined, marked by a comment; enums the columns use are copied.  What
 * does not reach the database is left out: data models, rows, queries,
 * relationships, validation in C (@min_len, @pattern, ...), JSON names,
 * @doc, @secret, @updated_at and @was (a rename belongs to one migration,
 * not to the state after it).
 */
#include "print_int.h"

#include "sema.h"

#include <stdio.h>
#include <string.h>

static void column(smc_printer *pr, const smc_model *m, const smc_col *c)
{
    smc_pr_put(pr, c->name);
    smc_pr_put(pr, ": ");
    if (c->type.base == SMC_B_DECIMAL) {
        char t[48];
        snprintf(t, sizeof t, "decimal(%u, %u)%s", c->type.precision, c->type.scale,
                 c->type.nullable ? "?" : "");
        smc_pr_put(pr, t);
    } else {
        smc_pr_put(pr, smc_type_name(pr->ctx, &c->type));
    }
    if (m->nkey == 1 && m->key[0] == c)
        smc_pr_put(pr, " @pk");
    if (c->autoinc)
        smc_pr_put(pr, " @auto");
    if (strcmp(c->column, c->name) != 0) {
        smc_pr_put(pr, " @column(");
        smc_pr_expr_string(pr, c->column);
        smc_pr_put(pr, ")");
    }
    if (c->max_len >= 0) {
        char t[32];
        snprintf(t, sizeof t, " @max_len(%d)", (int)c->max_len);
        smc_pr_put(pr, t);
    }
    if (c->fk_model && c->fk_col) {
        smc_pr_put(pr, " @fk(");
        smc_pr_put(pr, c->fk_model->name);
        smc_pr_put(pr, ".");
        smc_pr_put(pr, c->fk_col->name);
        const char *del = smc_fk_action_name(c->on_delete), *upd = smc_fk_action_name(c->on_update);
        if (del) {
            smc_pr_put(pr, ", on_delete: ");
            smc_pr_put(pr, del);
        }
        if (upd) {
            smc_pr_put(pr, ", on_update: ");
            smc_pr_put(pr, upd);
        }
        smc_pr_put(pr, ")");
    }
    if (c->deflt_expr) {
        smc_pr_put(pr, " = ");
        smc_pr_expr(pr, c->deflt_expr);
    }
    smc_pr_put(pr, ";");
    smc_pr_nl(pr);
}

static void col_list(smc_printer *pr, smc_col *const *cols, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        if (i)
            smc_pr_put(pr, ", ");
        smc_pr_put(pr, cols[i]->name);
    }
}

static void table(smc_printer *pr, const smc_model *m)
{
    if (!m->own) {
        const char *path = pr->ctx->files[m->decl->file->source]->path;
        const char *base = strrchr(path, '/');
        smc_pr_put(pr, "// imported from ");
        smc_pr_expr_string(pr, base ? base + 1 : path);
        smc_pr_nl(pr);
    }
    smc_pr_put(pr, "table ");
    smc_pr_put(pr, m->name);
    if (strcmp(m->table, m->snake) != 0) {
        smc_pr_put(pr, " @table(");
        smc_pr_expr_string(pr, m->table);
        smc_pr_put(pr, ")");
    }
    smc_pr_put(pr, " {");
    smc_pr_nl(pr);
    pr->indent++;
    for (uint32_t i = 0; i < m->ncols; i++)
        if (m->cols[i]->column)
            column(pr, m, m->cols[i]);
    if (m->nkey > 1) {
        smc_pr_put(pr, "primary key (");
        col_list(pr, m->key, m->nkey);
        smc_pr_put(pr, ");");
        smc_pr_nl(pr);
    }
    for (uint32_t i = 0; i < m->nindexes; i++) {
        smc_pr_put(pr, m->indexes[i].unique ? "unique (" : "index (");
        col_list(pr, m->indexes[i].cols, m->indexes[i].ncols);
        smc_pr_put(pr, ");");
        smc_pr_nl(pr);
    }
    for (uint32_t i = 0; i < m->nchecks; i++) {
        smc_pr_put(pr, "check (");
        smc_pr_expr(pr, m->checks[i].expr);
        smc_pr_put(pr, ");");
        smc_pr_nl(pr);
    }
    pr->indent--;
    smc_pr_put(pr, "}");
    smc_pr_nl(pr);
}

static void snapshot(smc_ctx *ctx, void *arg)
{
    smc_printer *pr = arg;
    smc_sema *s = ctx->sema;
    bool *needed = smc_alloc(ctx, (s->nmodels + 1) * sizeof *needed);
    bool *enums = smc_alloc(ctx, (s->nenums + 1) * sizeof *enums);
    uint32_t n;
    smc_model **db = smc_db_tables(ctx, s, &n);
    for (uint32_t i = 0; i < n; i++)
        needed[db[i]->pos] = true;
    smc_pr_put(pr, "// Schema snapshot of module ");
    smc_pr_put(pr, s->module);
    smc_pr_put(pr, ": its tables as the database sees them. Written by smc.");
    smc_pr_nl(pr);
    smc_pr_put(pr, "module ");
    smc_pr_put(pr, s->module);
    smc_pr_put(pr, ";");
    smc_pr_nl(pr);
    /* The enums the columns use, in declaration order. */
    for (uint32_t i = 0; i < s->nmodels; i++) {
        const smc_model *m = s->models[i];
        for (uint32_t k = 0; needed[i] && k < m->ncols; k++)
            for (uint32_t e = 0; e < s->nenums; e++)
                enums[e] |= m->cols[k]->column && m->cols[k]->type.base == SMC_B_ENUM &&
                            m->cols[k]->type.decl == s->enums[e];
    }
    for (uint32_t e = 0; e < s->nenums; e++) {
        if (!enums[e])
            continue;
        smc_pr_nl(pr);
        smc_pr_decl(pr, s->enums[e]);
        smc_pr_nl(pr);
    }
    /* Tables in declaration order (imported ones first), so that reading
     * the snapshot back orders their creation as the schema does. */
    for (uint32_t i = 0; i < s->nmodels; i++)
        if (needed[i]) {
            smc_pr_nl(pr);
            table(pr, s->models[i]);
        }
}

bool smc_print_snapshot(smc_ctx *ctx, sm_buf *out)
{
    if (!ctx->sema)
        return false;
    smc_printer pr;
    smc_pr_init(&pr, ctx, out, NULL);
    bool ok = smc_guarded(ctx, snapshot, &pr);
    if (!ok || pr.rc != SM_OK) {
        ctx->oom = true;
        return false;
    }
    return true;
}
