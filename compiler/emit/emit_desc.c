/*
 * emit_desc.c: the descriptor tables of the generated .c file (smdl/desc.h):
 * enum names, validation data, field tables, defaults, statement SQL per
 * dialect, the module and the migrations it embeds.  Field tables and models sit in one static
 * struct `smdl` so they can point at each other (nested models) without
 * forward declarations, which C++ would not accept for static objects.
 */
#include "emit.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* Writes an SQL text as a C literal, one source line per SQL line.  Sets
 * *long_lit for texts past C's minimum literal length (4095 bytes). */
static void sql_literal(sm_buf *b, const char *sql, const char *indent, bool *long_lit)
{
    if (!sql) {
        smc_out_puts(b, "NULL");
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
            smc_out_printf(b, "\n%s", indent);
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

static void rel_fn(smc_ctx *ctx, const smc_dialect *d, const void *m, const void *r, int which,
                   sm_buf *out)
{
    (void)ctx;
    (void)m;
    smc_sql_rel(d, r, which, out);
}

static void probe_fn(smc_ctx *ctx, const smc_dialect *d, const void *child, const void *fk,
                     int which, sm_buf *out)
{
    (void)ctx;
    (void)which;
    smc_sql_fk_probe(d, child, fk, out);
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

/* A script of an embedded migration (sm_migration): which 0 up, 1 down. */
static void migration_fn(smc_ctx *ctx, const smc_dialect *d, const void *m, const void *x,
                         int which, sm_buf *out)
{
    (void)ctx;
    (void)x;
    const sm_migration *mig = m;
    const char *text = (which ? mig->down : mig->up).text[d->id];
    smc_out_puts(out, text ? text : "");
}

/* One sm_sql: {{"sqlite", "postgres", "mysql"}}. */
static void sm_sql_init(smc_ctx *ctx, sm_buf *b, sql_fn fn, const void *a, const void *x, int which,
                        const char *indent, bool *long_lit)
{
    smc_out_puts(b, "{{");
    for (int i = 0; i < SM_NDIALECTS; i++) {
        sm_buf text = SM_BUF_INIT;
        fn(ctx, &smc_dialects[i], a, x, which, &text);
        if (i)
            smc_out_printf(b, ",\n%s  ", indent);
        sql_literal(b, text.len ? text.data : NULL, smc_printf(ctx, "%s  ", indent), long_lit);
        sm_buf_free(&text);
    }
    smc_out_puts(b, "}}");
}

/* ---- Enums ---------------------------------------------------------------------------------- */

static void enum_desc(smc_ctx *ctx, sm_buf *b, const smc_decl *e)
{
    const char *members = smc_c_internal(ctx, SMC_N_MEMBERS, e->name.s, -1);
    smc_out_printf(b, "static const char *const %s[] = {", members);
    for (const smc_member *m = e->members; m; m = m->next) {
        smc_c_string(b, m->name.s, strlen(m->name.s));
        if (m->next)
            smc_out_puts(b, ", ");
    }
    smc_out_printf(b, "};\nstatic const sm_enum %s = {", smc_c_internal(ctx, SMC_N_ENUM, e->name.s, -1));
    smc_c_string(b, e->name.s, strlen(e->name.s));
    smc_out_printf(b, ", %s, %u};\n\n", members, e->nmembers);
}

/* ---- Per model --------------------------------------------------------------------------- */

static bool has_check(const smc_col *c)
{
    return c->min_len >= 0 || c->max_len >= 0 || c->bounds || c->pattern || c->check_fn;
}

static void double_lit(sm_buf *b, double v)
{
    char tmp[40];
    snprintf(tmp, sizeof tmp, "%.17g", v);
    smc_out_puts(b, tmp);
    if (!strpbrk(tmp, ".eEn"))
        smc_out_puts(b, ".0");
}

/* Validation data of m's fields: smdl_check_<M>_<i> for field i, with its
 * pattern and @check_fn wrapper. */
static void checks(smc_ctx *ctx, sm_buf *b, const smc_model *m)
{
    for (uint32_t i = 0; i < m->ncols; i++) {
        const smc_col *c = m->cols[i];
        if (!has_check(c))
            continue;
        const char *pattern = smc_c_internal(ctx, SMC_N_PATTERN, m->name, (int)i);
        const char *fn = smc_c_internal(ctx, SMC_N_CHECKFN, m->name, (int)i);
        if (c->pattern) {
            smc_out_printf(b, "static sm_pattern %s = {", pattern);
            smc_c_string(b, c->pattern, strlen(c->pattern));
            smc_out_puts(b, ", NULL};\n");
        }
        if (c->check_fn) {
            const char *t = smc_c_type(ctx, c);
            smc_out_printf(b, "static const char *%s(const void *value)\n{\n"
                              "    return %s(*(%s const *)value);\n}\n",
                           fn, c->check_fn, t);
        }
        smc_out_printf(b, "static const sm_check %s = {%d, %d, ",
                       smc_c_internal(ctx, SMC_N_CHECK, m->name, (int)i), c->min_len, c->max_len);
        static const char *const bits[] = {"SM_B_GT", "SM_B_GE", "SM_B_LT", "SM_B_LE"};
        bool any = false;
        for (int k = 0; k < 4; k++)
            if (c->bounds & (1 << k)) {
                smc_out_printf(b, "%s%s", any ? " | " : "", bits[k]);
                any = true;
            }
        if (!any)
            smc_out_putc(b, '0');
        smc_out_printf(b, ", INT64_C(%lld), INT64_C(%lld), ", (long long)c->lo_i, (long long)c->hi_i);
        double_lit(b, c->lo_d);
        smc_out_puts(b, ", ");
        double_lit(b, c->hi_d);
        smc_out_printf(b, ", %s, %s};\n", c->pattern ? smc_printf(ctx, "&%s", pattern) : "NULL",
                       c->check_fn ? fn : "NULL");
    }
}

static void flags(sm_buf *b, const smc_model *m, const smc_col *c)
{
    const char *names[10];
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
    if (c->secret)
        names[n++] = "SM_F_SECRET";
    for (int i = 0; i < n; i++)
        smc_out_printf(b, "%s%s", i ? " | " : "", names[i]);
    if (!n)
        smc_out_putc(b, '0');
}

static void literal_or_null(sm_buf *b, const char *s)
{
    if (s)
        smc_c_string(b, s, strlen(s));
    else
        smc_out_puts(b, "NULL");
}

/* One sm_field of model m (the struct it describes) for its column c. */
static void field_row(smc_ctx *ctx, sm_buf *b, const char *indent, const smc_model *m,
                      const smc_col *c)
{
    const char *t = m->name;
    smc_out_printf(b, "%s{", indent);
    smc_c_string(b, c->name, strlen(c->name));
    smc_out_puts(b, ", ");
    literal_or_null(b, c->column && !m->is_partial ? c->column : NULL);
    smc_out_puts(b, ", ");
    literal_or_null(b, c->json && !c->rel ? c->json : NULL);
    smc_out_printf(b, ", offsetof(%s, %s), ", t, c->name);
    if (smc_col_has_flag(m, c))
        smc_out_printf(b, "offsetof(%s, has_%s), ", t, c->name);
    else
        smc_out_puts(b, "SM_NONE, ");
    if (smc_col_null_flag(m, c))
        smc_out_printf(b, "offsetof(%s, %s_null), ", t, c->name);
    else
        smc_out_puts(b, "SM_NONE, ");
    smc_out_printf(b, "%s, ", smc_c_sm_type(c));
    flags(b, m, c);
    smc_out_printf(b, ", %u, %u, ", c->type.precision, c->type.scale);
    if (has_check(c))
        smc_out_printf(b, "&%s, ", smc_c_internal(ctx, SMC_N_CHECK, m->name, (int)c->index));
    else
        smc_out_puts(b, "NULL, ");
    if (c->type.base == SMC_B_ENUM)
        smc_out_printf(b, "&%s, ", smc_c_internal(ctx, SMC_N_ENUM, c->type.decl->name.s, -1));
    else
        smc_out_puts(b, "NULL, ");
    if (c->type.base == SMC_B_MODEL) /* nested model, or a relationship's target */
        smc_out_printf(b, "&smdl.%s", smc_c_member(ctx, SMC_N_MODEL, c->type.decl->model->name));
    else
        smc_out_puts(b, "NULL");
    smc_out_puts(b, "},\n");
}

static uint32_t fk_count(const smc_model *m)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < m->ncols; i++)
        n += m->cols[i]->fk_model != NULL && m->cols[i]->column != NULL;
    return n;
}

/* Table k of those whose FKs may reference this file's tables: this
 * file's in creation order, then the imported ones (a file that imports
 * this one back may reference its tables), or NULL past the end. */
static const smc_model *ref_table(const smc_sema *s, uint32_t *k)
{
    if (*k < s->ntables)
        return s->tables[(*k)++];
    for (uint32_t i = *k - s->ntables; i < s->nmodels; i++)
        if (s->models[i]->is_table && !s->models[i]->own) {
            *k = s->ntables + i + 1;
            return s->models[i];
        }
    return NULL;
}

/* The incoming FKs of m that can block its rows' delete (sm_model.refs):
 * FKs of this file's tables, in creation order then field order, then
 * those of imported tables.  A copy of an imported table has none: its
 * own file deletes through it.  Found for every model in one pass over
 * the tables (a scan per model was quadratic in the tables): *first is
 * the index of m's first in s->fk_in, the count is returned. */
static uint32_t ref_slice(smc_ctx *ctx, const smc_model *m, uint32_t *first)
{
    smc_sema *s = ctx->sema;
    if (!s->fk_in_first) {
        uint32_t *at = smc_alloc(ctx, (s->nmodels + 1) * sizeof *at), n = 0, k = 0;
        const smc_model *t;
        while ((t = ref_table(s, &k)) != NULL)
            for (uint32_t i = 0; i < t->ncols; i++)
                if (t->cols[i]->fk_model && smc_fk_blocks_delete(t->cols[i]))
                    at[t->cols[i]->fk_model->pos + 1]++, n++;
        for (uint32_t i = 0; i < s->nmodels; i++)
            at[i + 1] += at[i];
        smc_col **cols = smc_alloc(ctx, (n ? n : 1) * sizeof *cols);
        const smc_model **child = smc_alloc(ctx, (n ? n : 1) * sizeof *child);
        uint32_t *next = smc_alloc(ctx, (s->nmodels + 1) * sizeof *next);
        memcpy(next, at, (s->nmodels + 1) * sizeof *next);
        for (k = 0; (t = ref_table(s, &k)) != NULL;)
            for (uint32_t i = 0; i < t->ncols; i++)
                if (t->cols[i]->fk_model && smc_fk_blocks_delete(t->cols[i])) {
                    uint32_t j = next[t->cols[i]->fk_model->pos]++;
                    cols[j] = t->cols[i], child[j] = t;
                }
        s->fk_in_first = at, s->fk_in = cols, s->fk_in_child = child;
    }
    *first = s->fk_in_first[m->pos];
    return m->own ? s->fk_in_first[m->pos + 1] - *first : 0;
}

static uint32_t ref_count(smc_ctx *ctx, const smc_model *m)
{
    uint32_t first;
    return ref_slice(ctx, m, &first);
}

/* fk_<table>_<column>: the name of column c's single-column FK in table t. */
static const char *fk_name(smc_ctx *ctx, const smc_model *t, smc_col *c)
{
    smc_col *one[1] = {c};
    return smc_constraint_name(ctx, "fk", t->table, one, 1);
}

static void refs(smc_ctx *ctx, sm_buf *b, const smc_model *m, bool *long_lit)
{
    smc_sema *s = ctx->sema;
    if (!ref_count(ctx, m))
        return;
    smc_out_printf(b, "static const sm_fkref %s[] = {\n", smc_c_internal(ctx, SMC_N_REFS, m->name, -1));
    uint32_t first, n = ref_slice(ctx, m, &first);
    for (uint32_t j = first; j < first + n; j++) {
        const smc_model *child = s->fk_in_child[j];
        smc_col *c = s->fk_in[j];
        const char *name = fk_name(ctx, child, c);
        smc_out_puts(b, "    {");
        smc_c_string(b, name, strlen(name));
        smc_out_puts(b, ", ");
        smc_c_string(b, child->table, strlen(child->table));
        smc_out_puts(b, ", ");
        smc_c_string(b, c->column, strlen(c->column));
        smc_out_puts(b, ",\n     ");
        sm_sql_init(ctx, b, probe_fn, child, c, 0, "     ", long_lit);
        smc_out_puts(b, "},\n");
    }
    smc_out_puts(b, "};\n");
}

/* The sm_rel of relationship r of table m, inside the struct smdl. */
static void rel_row(smc_ctx *ctx, sm_buf *b, const smc_model *m, const smc_col *r, bool *long_lit)
{
    static const char *const kinds[] = {[SMC_REL_ONE] = "SM_REL_ONE", [SMC_REL_MANY] = "SM_REL_MANY",
                                        [SMC_REL_M2M] = "SM_REL_M2M"};
    const smc_model *t = r->rel_target;
    bool m2m = r->rel == SMC_REL_M2M;
    smc_out_puts(b, "        {");
    smc_c_string(b, r->name, strlen(r->name));
    smc_out_printf(b, ", %u, %s, &smdl.%s, %u, %u, ", smc_field_index(m, r), kinds[r->rel],
                   smc_c_member(ctx, SMC_N_MODEL, t->name), smc_field_index(m, r->rel_own),
                   m2m ? smc_field_index(r->rel_through, r->rel_match)
                       : smc_field_index(t, r->rel_match));
    if (r->rel == SMC_REL_ONE)
        smc_out_printf(b, "offsetof(%s, %s_loaded), ", m->name, r->name);
    else
        smc_out_puts(b, "SM_NONE, ");
    if (m2m)
        smc_out_printf(b, "&smdl.%s, %u, %u, %u,\n", smc_c_member(ctx, SMC_N_MODEL, r->rel_through->name),
                       smc_field_index(r->rel_through, r->rel_link_own),
                       smc_field_index(r->rel_through, r->rel_link_target),
                       smc_field_index(t, r->rel_link_target->fk_col));
    else
        smc_out_puts(b, "NULL, 0, 0, 0,\n");
    for (int w = SMC_REL_SQL_PREFIX; w <= SMC_REL_SQL_UNLINK; w++) {
        smc_out_puts(b, "         ");
        sm_sql_init(ctx, b, rel_fn, m, r, w, "         ", long_lit);
        smc_out_puts(b, w == SMC_REL_SQL_UNLINK ? "},\n" : ",\n");
    }
}

static void table_data(smc_ctx *ctx, sm_buf *b, const smc_model *m, bool *long_lit)
{
    smc_out_printf(b, "static const uint16_t %s[] = {", smc_c_internal(ctx, SMC_N_KEY, m->name, -1));
    for (uint32_t i = 0; i < m->nkey; i++)
        smc_out_printf(b, "%s%u", i ? ", " : "", m->key[i]->index);
    smc_out_puts(b, "};\n");
    if (fk_count(m)) {
        smc_out_printf(b, "static const sm_fk %s[] = {\n", smc_c_internal(ctx, SMC_N_FKS, m->name, -1));
        for (uint32_t i = 0; i < m->ncols; i++) {
            smc_col *c = m->cols[i];
            if (!c->fk_model || !c->column)
                continue;
            const char *name = fk_name(ctx, m, c);
            smc_out_puts(b, "    {");
            smc_c_string(b, name, strlen(name));
            smc_out_puts(b, ", ");
            smc_c_string(b, c->column, strlen(c->column));
            smc_out_puts(b, "},\n");
        }
        smc_out_puts(b, "};\n");
    }
    refs(ctx, b, m, long_lit);
    static const char *const names[] = {"insert", "insert_auto", "get", "update", "del",
                                        "rows_prefix", "rows_auto_prefix", "rows_auto_suffix",
                                        "many_prefix", "many_tuple", "many_suffix"};
    smc_out_printf(b, "static const sm_table_sql %s = {\n", smc_c_internal(ctx, SMC_N_SQL, m->name, -1));
    for (int w = 0; w < SMC_SQL_NSTMTS; w++) {
        smc_out_printf(b, "    /* %s */\n    ", names[w]);
        sm_sql_init(ctx, b, crud_fn, m, NULL, w, "    ", long_lit);
        smc_out_puts(b, ",\n");
    }
    smc_out_puts(b, "};\n");
}

/* The model's flags, as C. */
static const char *model_flags(const smc_model *m)
{
    if (m->is_table)
        return m->forbid_unknown ? "SM_M_TABLE | SM_M_FORBID_UNKNOWN" : "SM_M_TABLE";
    if (m->is_partial)
        return m->forbid_unknown ? "SM_M_PARTIAL | SM_M_FORBID_UNKNOWN" : "SM_M_PARTIAL";
    return m->forbid_unknown ? "SM_M_FORBID_UNKNOWN" : "0";
}

/* An sm_model describing struct m through the field table `fields`
 * (NULL when empty) of n fields. */
static void model_row(smc_ctx *ctx, sm_buf *b, const smc_model *m, const char *fields, uint32_t n)
{
    uint32_t nrels = smc_rel_count(m), nrefs = m->is_table ? ref_count(ctx, m) : 0;
    smc_out_puts(b, "{");
    smc_c_string(b, m->name, strlen(m->name));
    smc_out_puts(b, ", ");
    literal_or_null(b, m->is_table ? m->table : NULL);
    smc_out_printf(b, ", sizeof(%s), &%s, %s, %u, ", m->name,
                   smc_c_internal(ctx, SMC_N_INIT, m->name, -1), fields, n);
    uint32_t nfk = fk_count(m);
    if (m->is_table)
        smc_out_printf(b, "%s, %u, %s, &%s, %s, %u, %s, %u, %s, %u}",
                       smc_c_internal(ctx, SMC_N_KEY, m->name, -1), m->nkey, model_flags(m),
                       smc_c_internal(ctx, SMC_N_SQL, m->name, -1),
                       nfk ? smc_c_internal(ctx, SMC_N_FKS, m->name, -1) : "NULL", nfk,
                       nrels ? smc_printf(ctx, "smdl.%s", smc_c_member(ctx, SMC_N_RELS, m->name))
                             : "NULL",
                       nrels, nrefs ? smc_c_internal(ctx, SMC_N_REFS, m->name, -1) : "NULL", nrefs);
    else
        smc_out_printf(b, "NULL, 0, %s, NULL, NULL, 0, NULL, 0, NULL, 0}", model_flags(m));
}

/* ---- Patches ------------------------------------------------------------------------------ */

const char *smc_c_patch(smc_ctx *ctx, const smc_model *table, const smc_model *partial)
{
    uint32_t k = 0;
    while (k < table->npartials && table->partials[k] != partial)
        k++;
    return smc_c_internal(ctx, SMC_N_PATCH, table->name, (int)k);
}

/*
 * `<t>_patch` with partial pm.  The runtime writes every set field of the
 * model the descriptor names; when some fields of pm are not patched (a
 * key of t), that model is a view of pm: the same struct, described
 * without them, so they are neither validated nor written.
 */
static void patch_desc(smc_ctx *ctx, sm_buf *b, smc_model *t, uint32_t k, bool *long_lit)
{
    smc_model *pm = t->partials[k];
    const char *patch = smc_c_internal(ctx, SMC_N_PATCH, t->name, (int)k);
    const char *cols = smc_c_internal(ctx, SMC_N_PATCHCOLS, t->name, (int)k);
    const char *assign = smc_c_internal(ctx, SMC_N_ASSIGN, t->name, (int)k);
    uint32_t n = 0;
    for (uint32_t i = 0; i < pm->ncols; i++)
        n += smc_patch_target(t, pm->cols[i]) != NULL;
    const char *model = smc_printf(ctx, "&smdl.%s", smc_c_member(ctx, SMC_N_MODEL, pm->name));
    if (n < pm->ncols) {
        const char *fields = n ? smc_c_internal(ctx, SMC_N_VIEWFIELDS, t->name, (int)k) : "NULL";
        const char *view = smc_c_internal(ctx, SMC_N_VIEW, t->name, (int)k);
        if (n) {
            smc_out_printf(b, "static const sm_field %s[] = {\n", fields);
            for (uint32_t i = 0; i < pm->ncols; i++)
                if (smc_patch_target(t, pm->cols[i]))
                    field_row(ctx, b, "    ", pm, pm->cols[i]);
            smc_out_puts(b, "};\n");
        }
        smc_out_printf(b, "/* %s without the fields %s does not patch. */\nstatic const sm_model %s = ",
                       pm->name, t->name, view);
        model_row(ctx, b, pm, fields, n);
        smc_out_puts(b, ";\n");
        model = smc_printf(ctx, "&%s", view);
    }
    if (n) {
        smc_out_printf(b, "static const uint16_t %s[] = {", cols);
        bool first = true;
        for (uint32_t i = 0; i < pm->ncols; i++) {
            const smc_col *c = smc_patch_target(t, pm->cols[i]);
            if (c)
                smc_out_printf(b, "%s%u", first ? "" : ", ", c->index);
            first &= !c;
        }
        smc_out_printf(b, "};\nstatic const sm_sql %s[] = {\n", assign);
        for (uint32_t i = 0; i < pm->ncols; i++) {
            const smc_col *c = smc_patch_target(t, pm->cols[i]);
            if (!c)
                continue;
            smc_out_puts(b, "    ");
            sm_sql_init(ctx, b, assign_fn, t, c, 0, "    ", long_lit);
            smc_out_puts(b, ",\n");
        }
        smc_out_puts(b, "};\n");
    }
    smc_out_printf(b, "static const sm_patch_desc %s = {\n    &smdl.%s, %s, %s,\n    ", patch,
                   smc_c_member(ctx, SMC_N_MODEL, t->name), model, n ? cols : "NULL");
    sm_sql_init(ctx, b, patch_fn, t, pm, SMC_PATCH_UPDATE, "    ", long_lit);
    smc_out_printf(b, ",\n    %s,\n    ", n ? assign : "NULL");
    sm_sql_init(ctx, b, patch_fn, t, pm, SMC_PATCH_NOOP, "    ", long_lit);
    smc_out_puts(b, ",\n    ");
    sm_sql_init(ctx, b, patch_fn, t, pm, SMC_PATCH_WHERE, "    ", long_lit);
    smc_out_puts(b, "};\n\n");
}

/* The migrations smc embeds (smc -m DIR), in ascending versions, and
 * the list sm_module.migrations points to. */
static void migrations(smc_ctx *ctx, sm_buf *b, bool *needs_pragma)
{
    const sm_migration_set *set = ctx->migrations;
    if (!set || !set->len)
        return;
    smc_out_puts(b, "static const sm_migration smdl_migrations[] = {\n");
    for (size_t i = 0; i < set->len; i++) {
        const sm_migration *m = set->items[i];
        smc_out_printf(b, "    {%u, ", (unsigned)m->version);
        smc_c_string(b, m->name, strlen(m->name));
        for (int which = 0; which < 2; which++) {
            smc_out_puts(b, ",\n     ");
            sm_sql_init(ctx, b, migration_fn, m, NULL, which, "     ", needs_pragma);
        }
        smc_out_puts(b, ",\n     {");
        for (int d = 0; d < SM_NDIALECTS; d++)
            smc_out_printf(b, "%sUINT64_C(0x%016" PRIx64 ")", d ? ", " : "", m->checksum[d]);
        smc_out_puts(b, "}, {");
        for (int d = 0; d < SM_NDIALECTS; d++)
            smc_out_printf(b, "%s%u", d ? ", " : "", (unsigned)m->flags[d]);
        smc_out_puts(b, "}},\n");
    }
    smc_out_puts(b, "};\nstatic const sm_migration *const smdl_migration_list[] = {");
    for (size_t i = 0; i < set->len; i++)
        smc_out_printf(b, "%s&smdl_migrations[%zu]", i ? ", " : "", i);
    smc_out_puts(b, "};\n");
}

/* ---- The file's descriptors ---------------------------------------------------------------- */

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
        smc_out_printf(b, "/* ---- %s ---- */\n\n", m->name);
        checks(ctx, b, m);
        smc_out_printf(b, "static const %s %s = %s_INIT;\n", m->name,
                       smc_c_internal(ctx, SMC_N_INIT, m->name, -1), m->upper);
        if (m->is_table)
            table_data(ctx, b, m, needs_pragma);
        smc_out_putc(b, '\n');
    }
    if (n) {
        smc_out_puts(b, "/* Field tables and models, in one object so they can refer to each other. */\n"
                        "static const struct smdl_descriptors {\n");
        for (uint32_t k = 0; k < n; k++) {
            smc_out_printf(b, "    sm_field %s[%u];\n    sm_model %s;\n",
                           smc_c_member(ctx, SMC_N_FIELDS, models[k]->name), models[k]->ncols,
                           smc_c_member(ctx, SMC_N_MODEL, models[k]->name));
            if (smc_rel_count(models[k]))
                smc_out_printf(b, "    sm_rel %s[%u];\n", smc_c_member(ctx, SMC_N_RELS, models[k]->name),
                               smc_rel_count(models[k]));
        }
        smc_out_puts(b, "} smdl = {\n");
        for (uint32_t k = 0; k < n; k++) {
            smc_model *m = models[k];
            smc_out_puts(b, "    {\n");
            for (uint32_t i = 0; i < m->ncols; i++)
                field_row(ctx, b, "        ", m, m->cols[i]);
            smc_out_puts(b, "    },\n    ");
            model_row(ctx, b, m, smc_printf(ctx, "smdl.%s", smc_c_member(ctx, SMC_N_FIELDS, m->name)),
                      m->ncols);
            smc_out_puts(b, ",\n");
            if (!smc_rel_count(m))
                continue;
            smc_out_puts(b, "    {\n");
            for (uint32_t i = 0; i < m->ncols; i++)
                if (smc_rel_loadable(m->cols[i]))
                    rel_row(ctx, b, m, m->cols[i], needs_pragma);
            smc_out_puts(b, "    },\n");
        }
        smc_out_puts(b, "};\n\n");
    }
    /* Patches and the module point into smdl. */
    for (uint32_t k = 0; k < n; k++)
        for (uint32_t p = 0; models[k]->own && p < models[k]->npartials; p++)
            patch_desc(ctx, b, models[k], p, needs_pragma);
    if (s->ntables) {
        smc_out_puts(b, "static const sm_model *const smdl_tables[] = {");
        for (uint32_t i = 0; i < s->ntables; i++)
            smc_out_printf(b, "%s&smdl.%s", i ? ", " : "",
                           smc_c_member(ctx, SMC_N_MODEL, s->tables[i]->name));
        smc_out_puts(b, "};\n");
        migrations(ctx, b, needs_pragma);
        smc_out_puts(b, "static const sm_module smdl_module = {\n    ");
        smc_c_string(b, s->module, strlen(s->module));
        smc_out_printf(b, ", smdl_tables, %u,\n    ", s->ntables);
        sm_sql_init(ctx, b, script_fn, NULL, NULL, 0, "    ", needs_pragma);
        smc_out_puts(b, ",\n    ");
        sm_sql_init(ctx, b, script_fn, NULL, NULL, 1, "    ", needs_pragma);
        if (ctx->migrations && ctx->migrations->len)
            smc_out_printf(b, ",\n    smdl_migration_list, %zu};\n\n", ctx->migrations->len);
        else
            smc_out_puts(b, ",\n    NULL, 0};\n\n");
    }
}
