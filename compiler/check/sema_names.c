/*
 * sema_names.c: the generated C must compile.  Every identifier smc will
 * emit is collected here and checked against the others, C and C++
 * keywords, the reserved prefixes and the parameter names of the
 * generated API.  Imported files' names are registered first: their
 * headers are included, so an own name may collide with them too.
 */
#include "sema_int.h"

#include <string.h>

/* Parameter names of the generated functions. */
static const char *const api_params[] = {"cx", "conn", "out", "arena", "affected", "fn", "ud",
                                         "has", "in", NULL};

static bool listed(const char *const *list, const char *s)
{
    for (size_t i = 0; list[i]; i++)
        if (strcmp(list[i], s) == 0)
            return true;
    return false;
}

typedef struct origin {
    smc_span span;
    const char *what; /* "table 'Hero'" */
} origin;

typedef struct names {
    smc_checker *ck;
    smc_map global;
    bool own;         /* registering the file being compiled */
    smc_span reported; /* the last declaration reported: one error each */
} names;

/* A declaration generates many names; its first problem is enough. */
static bool first_at(names *nm, smc_span at)
{
    if (nm->reported.file == at.file && nm->reported.off == at.off && nm->reported.len == at.len)
        return false;
    nm->reported = at;
    return true;
}

/* Checks the form of one identifier; returns false after reporting. */
static bool well_formed(names *nm, const char *id, smc_span at, const char *what)
{
    if (!nm->own)
        return true;
    if (nm->reported.file == at.file && nm->reported.off == at.off && nm->reported.len == at.len)
        return false;
    if (smc_c_keyword(id)) {
        first_at(nm, at);
        smc_error(nm->ck->ctx, at, SMC_E_RESERVED,
                  "%s would generate '%s', a C or C++ keyword", what, id);
        return false;
    }
    static const char *const prefixes[] = {"sm_", "SM_", "smdl_", "SMDL_"};
    for (size_t i = 0; i < 4; i++)
        if (strncmp(id, prefixes[i], strlen(prefixes[i])) == 0) {
            first_at(nm, at);
            smc_error(nm->ck->ctx, at, SMC_E_RESERVED,
                      "%s would generate '%s'; the prefix '%s' is reserved for smdl", what, id,
                      prefixes[i]);
            return false;
        }
    if (strstr(id, "__") || id[0] == '_') {
        first_at(nm, at);
        smc_error(nm->ck->ctx, at, SMC_E_RESERVED,
                  "%s would generate '%s', which C reserves (it contains '__')", what, id);
        return false;
    }
    return true;
}

static void global(names *nm, const char *id, smc_span at, const char *what)
{
    if (!well_formed(nm, id, at, what))
        return;
    origin *o = smc_alloc(nm->ck->ctx, sizeof *o);
    o->span = at;
    o->what = what;
    origin *old = smc_map_put(nm->ck->ctx, &nm->global, id, o);
    if (old && nm->own && first_at(nm, at)) {
        smc_diag *d = smc_error(nm->ck->ctx, at, SMC_E_C_COLLISION,
                                "%s would generate '%s', which %s also generates", what, id,
                                old->what);
        smc_note(nm->ck->ctx, d, &old->span, "%s is declared here", old->what);
    }
}

/* Struct members: field names and their flags, within one struct. */
static void members(names *nm, smc_model *m, const char *what)
{
    smc_map local = {0};
    for (uint32_t i = 0; i < m->ncols; i++) {
        smc_col *c = m->cols[i];
        smc_span at = c->field->name.span;
        const char *ids[3] = {c->name, NULL, NULL};
        if (smc_col_has_flag(m, c))
            ids[1] = smc_printf(nm->ck->ctx, "has_%s", c->name);
        if (smc_col_null_flag(m, c))
            ids[2] = smc_printf(nm->ck->ctx, "%s_null", c->name);
        for (int k = 0; k < 3; k++) {
            if (!ids[k] || !well_formed(nm, ids[k], at, smc_printf(nm->ck->ctx, "field '%s' of %s",
                                                                   c->name, what)))
                continue;
            smc_col *old = smc_map_put(nm->ck->ctx, &local, ids[k], c);
            if (old && nm->own && first_at(nm, at)) {
                smc_diag *d = smc_error(nm->ck->ctx, at, SMC_E_C_COLLISION,
                                        "field '%s' of %s would generate member '%s', which "
                                        "field '%s' also generates",
                                        c->name, what, ids[k], old->name);
                smc_note(nm->ck->ctx, d, &old->field->name.span, "field '%s' is declared here",
                         old->name);
            }
        }
    }
}

static void param(names *nm, const char *id, smc_span at, const char *what)
{
    /* A parameter that is a C or C++ keyword is renamed in the generated
     * code (smc_c_local); other rules still apply. */
    if (!nm->own || (!smc_c_keyword(id) && !well_formed(nm, id, at, what)))
        return;
    if (listed(api_params, id)) {
        smc_diag *d = smc_error(nm->ck->ctx, at, SMC_E_RESERVED,
                                "%s would be a parameter named '%s', which the generated "
                                "function already has",
                                what, id);
        smc_note(nm->ck->ctx, d, NULL, "rename it; the generated functions use cx conn out "
                                       "arena affected fn ud has in");
    }
}

static void register_model(names *nm, smc_model *m)
{
    smc_ctx *ctx = nm->ck->ctx;
    if (!smc_model_emitted(m))
        return;
    smc_span at = m->decl->name.span;
    const char *what = smc_printf(ctx, "%s '%s'", m->is_table ? "table" : m->is_row ? "row" : "model",
                                  m->name);
    global(nm, m->name, at, what);
    global(nm, smc_printf(ctx, "%s_list", m->name), at, what);
    global(nm, smc_printf(ctx, "%s_INIT", m->upper), at, what);
    smc_api_fn *fns;
    uint32_t n = smc_model_api(ctx, m, &fns);
    for (uint32_t i = 0; i < n; i++)
        global(nm, fns[i].name, at, what);
    members(nm, m, what);
    for (uint32_t i = 0; i < m->nkey; i++)
        param(nm, m->key[i]->name, m->key[i]->field->name.span,
              smc_printf(ctx, "key field '%s' of %s", m->key[i]->name, what));
}

static void register_enum(names *nm, smc_decl *e)
{
    smc_ctx *ctx = nm->ck->ctx;
    const char *what = smc_printf(ctx, "enum '%s'", e->name.s);
    global(nm, e->name.s, e->name.span, what);
    const char *up = smc_upper(ctx, e->name.s);
    for (smc_member *m = e->members; m; m = m->next)
        global(nm, smc_printf(ctx, "%s_%s", up, smc_upper(ctx, m->name.s)), m->name.span,
               smc_printf(ctx, "member '%s' of enum '%s'", m->name.s, e->name.s));
}

static void register_query(names *nm, smc_decl *d)
{
    smc_ctx *ctx = nm->ck->ctx;
    const char *what = smc_printf(ctx, "query '%s'", d->name.s);
    global(nm, d->name.s, d->name.span, what);
    for (smc_param *p = d->query->params; p; p = p->next) {
        param(nm, p->name.s, p->name.span,
              smc_printf(ctx, "parameter '%s' of query '%s'", p->name.s, d->name.s));
        if (p->type->type.base != SMC_B_SORT)
            continue;
        const char *sort = smc_printf(ctx, "%s_%s", d->name.s, p->name.s);
        global(nm, sort, p->name.span, what);
        const char *up = smc_upper(ctx, sort);
        for (smc_targ *a = p->type->args; a; a = a->next)
            global(nm, smc_printf(ctx, "%s_%s", up, smc_upper(ctx, a->name.s)), a->span, what);
    }
    smc_map local = {0};
    for (smc_param *p = d->query->params; p; p = p->next) {
        const char *ids[2] = {p->name.s,
                              p->type->type.list ? smc_printf(ctx, "%s_len", p->name.s) : NULL};
        for (int k = 0; k < 2; k++) {
            smc_param *old = ids[k] ? smc_map_put(ctx, &local, ids[k], p) : NULL;
            if (old && nm->own) {
                smc_diag *e = smc_error(ctx, p->name.span, SMC_E_C_COLLISION,
                                        "parameter '%s' of query '%s' would generate '%s', "
                                        "which parameter '%s' also generates",
                                        p->name.s, d->name.s, ids[k], old->name.s);
                smc_note(ctx, e, &old->name.span, "'%s' is declared here", old->name.s);
            }
        }
    }
}

static void register_file(names *nm, smc_file *f)
{
    for (smc_decl *d = f->decls; d; d = d->next) {
        if (d->kind == SMC_D_ENUM)
            register_enum(nm, d);
        else if ((d->kind == SMC_D_MODEL || d->kind == SMC_D_ROW) && d->model)
            register_model(nm, d->model);
        else if (d->kind == SMC_D_QUERY)
            register_query(nm, d);
    }
}

void smc_check_c_names(smc_checker *ck)
{
    smc_ctx *ctx = ck->ctx;
    smc_api_plan(ctx, ck->out);
    names nm;
    memset(&nm, 0, sizeof nm);
    nm.ck = ck;
    nm.reported = smc_no_span();
    for (uint32_t i = 0; i < ck->out->nimports; i++)
        register_file(&nm, ck->out->imports[i]);
    nm.own = true;
    smc_file *f = ck->out->main;
    const char *module = ck->out->module;
    smc_span at = f->module.span;
    const char *what = smc_printf(ctx, "module '%s'", module);
    global(&nm, smc_printf(ctx, "%s_create_all", module), at, what);
    global(&nm, smc_printf(ctx, "%s_drop_all", module), at, what);
    global(&nm, smc_printf(ctx, "%s_migrate", module), at, what);
    register_file(&nm, f);
}
