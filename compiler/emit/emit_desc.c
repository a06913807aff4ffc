/*
 * emit_desc.c: the descriptor tables of the generated .c file (smdl/desc.h):
 * enum names, validation data, field tables, defaults, statement SQL per
 * dialect, and the module.  Field tables and models sit in one static
 * struct `smdl` so they can point at each other (nested models) without
 * forward declarations, which C++ would not accept for static objects.
 */
#include "emit.h"

#include <stdio.h>
#include <string.h>

/* Writes an SQL text as a C literal, one source line per SQL line.  Sets
 * *long_lit for texts past C's minimum literal length (4095 bytes). */
static void sql_literal(sm_buf *b, const char *sql, const char *indent, bool *long_lit)
{
    if (!sql) {
        sm_buf_puts(b, "NULL");
        return;
    }
    if (strlen(sql) > 4000)
        *long_lit = true;
    const char *p = sql;
    bool first = true;
    do {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) + 1 : strlen(p);
        if (!first)
            sm_buf_printf(b, "\n%s", indent);
        smc_c_string(b, p, n);
        first = false;
        p += n;
    } while (*p);
}

typedef void (*sql_fn)(smc_ctx *ctx, const smc_dialect *d, const void *a, const void *x,
                       int which, sm_buf *out);

static void crud_fn(smc_ctx *ctx, const smc_dialect *d, const void *m, const void *x, int which,
                    sm_buf *out)
{
    (void)x;
    smc_sql_crud(ctx, d, m, which, out);
}

static void patch_fn(smc_ctx *ctx, const smc_dialect *d, const void *t, const void *p, int part,
                     sm_buf *out)
{
    (void)ctx;
    (void)p;
    smc_sql_patch_part(d, t, part, out);
}

static void assign_fn(smc_ctx *ctx, const smc_dialect *d, const void *t, const void *c, int which,
                      sm_buf *out)
{
    (void)ctx;
    (void)t;
    (void)which;
    smc_sql_patch_assign(d, c, out);
}

static void script_fn(smc_ctx *ctx, const smc_dialect *d, const void *a, const void *x, int drop,
                      sm_buf *out)
{
    (void)a;
    (void)x;
    if (drop)
        smc_sql_drop_all(ctx, d, out);
    else
        smc_sql_create_all(ctx, d, out);
}

/* One sm_sql: {{"sqlite", "postgres", "mysql"}}. */
static void sm_sql_init(smc_ctx *ctx, sm_buf *b, sql_fn fn, const void *a, const void *x, int which,
                        const char *indent, bool *long_lit)
{
    sm_buf_puts(b, "{{");
    for (int i = 0; i < SM_NDIALECTS; i++) {
        sm_buf text = SM_BUF_INIT;
        fn(ctx, &smc_dialects[i], a, x, which, &text);
        if (i)
            sm_buf_printf(b, ",\n%s  ", indent);
        sql_literal(b, text.len ? text.data : NULL, smc_printf(ctx, "%s  ", indent), long_lit);
        sm_buf_free(&text);
    }
    sm_buf_puts(b, "}}");
}

/* ---- Enums ---------------------------------------------------------------------------------- */

static void enum_desc(smc_ctx *ctx, sm_buf *b, const smc_decl *e)
{
    const char *sn = smc_snake(ctx, e->name.s);
    sm_buf_printf(b, "static const char *const smdl_%s_members[] = {", sn);
    for (const smc_member *m = e->members; m; m = m->next)
        sm_buf_printf(b, "\"%s\"%s", m->name.s, m->next ? ", " : "");
    sm_buf_printf(b, "};\nstatic const sm_enum smdl_%s_enum = {\"%s\", smdl_%s_members, %u};\n\n", sn,
                  e->name.s, sn, e->nmembers);
}

/* ---- Per model --------------------------------------------------------------------------- */

static bool has_check(const smc_col *c)
{
    return c->min_len >= 0 || c->max_len >= 0 || c->bounds || c->pattern || c->check_fn;
}

static const char *prefix(smc_ctx *ctx, const smc_model *m, const smc_col *c)
{
    return smc_printf(ctx, "smdl_%s_%s", m->snake, c->name);
}

static void double_lit(sm_buf *b, double v)
{
    char tmp[40];
    snprintf(tmp, sizeof tmp, "%.17g", v);
    sm_buf_puts(b, tmp);
    if (!strpbrk(tmp, ".eEn"))
        sm_buf_puts(b, ".0");
}

static void checks(smc_ctx *ctx, sm_buf *b, const smc_model *m)
{
    for (uint32_t i = 0; i < m->ncols; i++) {
        const smc_col *c = m->cols[i];
        if (!has_check(c))
            continue;
        const char *p = prefix(ctx, m, c);
        if (c->pattern) {
            sm_buf_printf(b, "static sm_pattern %s_pattern = {", p);
            smc_c_string(b, c->pattern, strlen(c->pattern));
            sm_buf_puts(b, ", NULL};\n");
        }
        if (c->check_fn) {
            const char *t = smc_c_type(ctx, c);
            sm_buf_printf(b, "static const char *%s_check_fn(const void *value)\n{\n"
                             "    return %s(*(%s%s const *)value);\n}\n",
                          p, c->check_fn, t, t[strlen(t) - 1] == '*' ? "" : "");
        }
        sm_buf_printf(b, "static const sm_check %s_check = {%d, %d, ", p, c->min_len, c->max_len);
        static const char *const bits[] = {"SM_B_GT", "SM_B_GE", "SM_B_LT", "SM_B_LE"};
        bool any = false;
        for (int k = 0; k < 4; k++)
            if (c->bounds & (1 << k)) {
                sm_buf_printf(b, "%s%s", any ? " | " : "", bits[k]);
                any = true;
            }
        if (!any)
            sm_buf_putc(b, '0');
        sm_buf_printf(b, ", INT64_C(%lld), INT64_C(%lld), ", (long long)c->lo_i, (long long)c->hi_i);
        double_lit(b, c->lo_d);
        sm_buf_puts(b, ", ");
        double_lit(b, c->hi_d);
        sm_buf_printf(b, ", %s, %s};\n", c->pattern ? smc_printf(ctx, "&%s_pattern", p) : "NULL",
                      c->check_fn ? smc_printf(ctx, "%s_check_fn", p) : "NULL");
    }
}

static void flags(sm_buf *b, const smc_model *m, const smc_col *c)
{
    const char *names[8];
    int n = 0;
    if (c->type.nullable)
        names[n++] = "SM_F_NULLABLE";
    if (!m->is_partial) {
        if (c->pk)
            names[n++] = "SM_F_PK";
        if (c->autoinc)
            names[n++] = "SM_F_AUTO";
        if (c->defkind == SMC_DEF_CONST)
            names[n++] = "SM_F_DEFAULT";
        if (c->defkind == SMC_DEF_NOW)
            names[n++] = "SM_F_NOW";
        if (c->defkind == SMC_DEF_UUID)
            names[n++] = "SM_F_GEN_UUID";
        if (c->column)
            names[n++] = "SM_F_COLUMN";
    }
    if (c->updated_at)
        names[n++] = "SM_F_UPDATED_AT";
    for (int i = 0; i < n; i++)
        sm_buf_printf(b, "%s%s", i ? " | " : "", names[i]);
    if (!n)
        sm_buf_putc(b, '0');
}

static void field_row(smc_ctx *ctx, sm_buf *b, const smc_model *m, const smc_col *c)
{
    const char *t = m->name;
    sm_buf_printf(b, "        {\"%s\", ", c->name);
    if (c->column && !m->is_partial)
        smc_c_string(b, c->column, strlen(c->column));
    else
        sm_buf_puts(b, "NULL");
    sm_buf_puts(b, ", ");
    if (c->json && !c->rel)
        smc_c_string(b, c->json, strlen(c->json));
    else
        sm_buf_puts(b, "NULL");
    sm_buf_printf(b, ", offsetof(%s, %s), ", t, c->name);
    if (smc_c_has_flag(m, c))
        sm_buf_printf(b, "offsetof(%s, has_%s), ", t, c->name);
    else
        sm_buf_puts(b, "SM_NONE, ");
    if (smc_c_null_flag(m, c))
        sm_buf_printf(b, "offsetof(%s, %s_null), ", t, c->name);
    else
        sm_buf_puts(b, "SM_NONE, ");
    sm_buf_printf(b, "%s, ", smc_c_sm_type(c));
    flags(b, m, c);
    sm_buf_printf(b, ", %u, %u, ", c->type.precision, c->type.scale);
    sm_buf_puts(b, has_check(c) ? smc_printf(ctx, "&%s_check, ", prefix(ctx, m, c)) : "NULL, ");
    if (c->type.base == SMC_B_ENUM)
        sm_buf_printf(b, "&smdl_%s_enum, ", smc_snake(ctx, c->type.decl->name.s));
    else
        sm_buf_puts(b, "NULL, ");
    if (c->type.base == SMC_B_MODEL && !c->rel)
        sm_buf_printf(b, "&smdl.%s", c->type.decl->model->snake);
    else
        sm_buf_puts(b, "NULL");
    sm_buf_puts(b, "},\n");
}

static void table_data(smc_ctx *ctx, sm_buf *b, const smc_model *m, bool *long_lit)
{
    sm_buf_printf(b, "static const uint16_t smdl_%s_key[] = {", m->snake);
    for (uint32_t i = 0; i < m->nkey; i++)
        sm_buf_printf(b, "%s%u", i ? ", " : "", m->key[i]->index);
    sm_buf_puts(b, "};\n");
    uint32_t nfk = 0;
    for (uint32_t i = 0; i < m->ncols; i++)
        nfk += m->cols[i]->fk_model != NULL && m->cols[i]->column != NULL;
    if (nfk) {
        sm_buf_printf(b, "static const sm_fk smdl_%s_fks[] = {\n", m->snake);
        for (uint32_t i = 0; i < m->ncols; i++) {
            smc_col *c = m->cols[i];
            if (!c->fk_model || !c->column)
                continue;
            smc_col *one[1] = {c};
            sm_buf_printf(b, "    {\"%s\", \"%s\"},\n",
                          smc_constraint_name(ctx, "fk", m->table, one, 1), c->column);
        }
        sm_buf_puts(b, "};\n");
    }
    static const char *const names[] = {"insert", "insert_auto", "get", "update", "del",
                                        "rows_prefix", "rows_auto_prefix", "rows_auto_suffix"};
    sm_buf_printf(b, "static const sm_table_sql smdl_%s_sql = {\n", m->snake);
    for (int w = 0; w < SMC_SQL_NSTMTS; w++) {
        sm_buf_printf(b, "    /* %s */\n    ", names[w]);
        sm_sql_init(ctx, b, crud_fn, m, NULL, w, "    ", long_lit);
        sm_buf_puts(b, ",\n");
    }
    sm_buf_puts(b, "};\n");
}

static void model_row(sm_buf *b, const smc_model *m)
{
    uint32_t nfk = 0;
    for (uint32_t i = 0; i < m->ncols; i++)
        nfk += m->cols[i]->fk_model != NULL && m->cols[i]->column != NULL;
    const char *fl = m->is_table ? (m->forbid_unknown ? "SM_M_TABLE | SM_M_FORBID_UNKNOWN" : "SM_M_TABLE")
                   : m->is_partial ? (m->forbid_unknown ? "SM_M_PARTIAL | SM_M_FORBID_UNKNOWN" : "SM_M_PARTIAL")
                   : m->forbid_unknown ? "SM_M_FORBID_UNKNOWN" : "0";
    sm_buf_printf(b, "    {\"%s\", ", m->name);
    if (m->is_table)
        sm_buf_printf(b, "\"%s\", ", m->table);
    else
        sm_buf_puts(b, "NULL, ");
    sm_buf_printf(b, "sizeof(%s), &smdl_%s_init, smdl.%s_fields, %u, ", m->name, m->snake, m->snake,
                  m->ncols);
    if (m->is_table)
        sm_buf_printf(b, "smdl_%s_key, %u, %s, &smdl_%s_sql, %s%s%s, %u},\n", m->snake, m->nkey, fl,
                      m->snake, nfk ? "smdl_" : "NULL", nfk ? m->snake : "", nfk ? "_fks" : "", nfk);
    else
        sm_buf_printf(b, "NULL, 0, %s, NULL, NULL, 0},\n", fl);
}

void smc_emit_descriptors(smc_ctx *ctx, sm_buf *b, bool *needs_pragma)
{
    smc_sema *s = ctx->sema;
    *needs_pragma = false;
    smc_decl **enums;
    uint32_t ne = smc_described_enums(ctx, &enums);
    for (uint32_t i = 0; i < ne; i++)
        enum_desc(ctx, b, enums[i]);
    smc_model **models;
    uint32_t n = smc_described_models(ctx, &models);
    for (uint32_t k = 0; k < n; k++) {
        smc_model *m = models[k];
        sm_buf_printf(b, "/* ---- %s ---- */\n\n", m->name);
        checks(ctx, b, m);
        sm_buf_printf(b, "static const %s smdl_%s_init = %s_INIT;\n", m->name, m->snake, m->upper);
        if (m->is_table)
            table_data(ctx, b, m, needs_pragma);
        sm_buf_putc(b, '\n');
    }
    sm_buf_puts(b, "/* Field tables and models, in one object so they can refer to each other. */\n"
                   "static const struct smdl_descriptors {\n");
    for (uint32_t k = 0; k < n; k++)
        sm_buf_printf(b, "    sm_field %s_fields[%u];\n    sm_model %s;\n", models[k]->snake,
                      models[k]->ncols, models[k]->snake);
    sm_buf_puts(b, "} smdl = {\n");
    for (uint32_t k = 0; k < n; k++) {
        smc_model *m = models[k];
        sm_buf_puts(b, "    {\n");
        for (uint32_t i = 0; i < m->ncols; i++)
            field_row(ctx, b, m, m->cols[i]);
        sm_buf_puts(b, "    },\n");
        model_row(b, m);
    }
    sm_buf_puts(b, "};\n\n");
    /* Patches and the module point into smdl. */
    for (uint32_t k = 0; k < n; k++) {
        smc_model *t = models[k];
        if (!t->own)
            continue;
        for (uint32_t p = 0; p < t->npartials; p++) {
            smc_model *pm = t->partials[p];
            const char *nm = smc_printf(ctx, "smdl_%s_patch_%s", t->snake, pm->snake);
            sm_buf_printf(b, "static const uint16_t %s_columns[] = {", nm);
            for (uint32_t i = 0; i < pm->ncols; i++)
                sm_buf_printf(b, "%s%u", i ? ", " : "", smc_patch_target(t, pm->cols[i])->index);
            sm_buf_printf(b, "};\nstatic const sm_sql %s_assign[] = {\n", nm);
            for (uint32_t i = 0; i < pm->ncols; i++) {
                sm_buf_puts(b, "    ");
                sm_sql_init(ctx, b, assign_fn, t, smc_patch_target(t, pm->cols[i]), 0, "    ",
                            needs_pragma);
                sm_buf_puts(b, ",\n");
            }
            sm_buf_printf(b, "};\nstatic const sm_patch_desc %s = {\n    &smdl.%s, &smdl.%s, %s_columns,\n    ",
                          nm, t->snake, pm->snake, nm);
            sm_sql_init(ctx, b, patch_fn, t, pm, SMC_PATCH_UPDATE, "    ", needs_pragma);
            sm_buf_printf(b, ",\n    %s_assign,\n    ", nm);
            sm_sql_init(ctx, b, patch_fn, t, pm, SMC_PATCH_NOOP, "    ", needs_pragma);
            sm_buf_puts(b, ",\n    ");
            sm_sql_init(ctx, b, patch_fn, t, pm, SMC_PATCH_WHERE, "    ", needs_pragma);
            sm_buf_puts(b, "};\n\n");
        }
    }
    if (s->ntables) {
        sm_buf_puts(b, "static const sm_model *const smdl_tables[] = {");
        for (uint32_t i = 0; i < s->ntables; i++)
            sm_buf_printf(b, "%s&smdl.%s", i ? ", " : "", s->tables[i]->snake);
        sm_buf_printf(b, "};\nstatic const sm_module smdl_module = {\n    \"%s\", smdl_tables, %u,\n    ",
                      s->module, s->ntables);
        sm_sql_init(ctx, b, script_fn, NULL, NULL, 0, "    ", needs_pragma);
        sm_buf_puts(b, ",\n    ");
        sm_sql_init(ctx, b, script_fn, NULL, NULL, 1, "    ", needs_pragma);
        sm_buf_puts(b, "};\n\n");
    }
}
