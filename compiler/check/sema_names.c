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

/* A registered name of the form A_from_B: a conversion into A from B
 * would have it. */
typedef struct infix_use {
    const char *after;  /* B */
    origin *o;
    struct infix_use *next;
} infix_use;

typedef struct names {
    smc_checker *ck;
    smc_map global;
    bool own;         /* registering the file being compiled */
    smc_span reported; /* the last declaration reported: one error each */
    /* Conversions: see register_conversions. */
    smc_map snakes;   /* snake(model) -> the model, once registered */
    smc_map infixed; /* A -> infix_use list of the names A_from_B registered */
    origin **model_origin;    /* by model position, once registered */
    bool *plain;              /* by model position: snake name cannot mislead */
    /* C type names, which a parameter of the same name would hide from
     * the rest of its prototype: checked once all are registered. */
    smc_map types;            /* type name -> origin */
    struct pending_param *params, **params_end;
    smc_map check_fns;        /* @check_fn name -> the first column using it */
} names;

/* A parameter of a generated function, as written in C. */
typedef struct pending_param {
    const char *id;
    smc_span at;
    const char *what;
    struct pending_param *next;
} pending_param;

/* A declaration generates many names; its first problem is enough. */
static bool first_at(names *nm, smc_span at)
{
    if (nm->reported.file == at.file && nm->reported.off == at.off && nm->reported.len == at.len)
        return false;
    nm->reported = at;
    return true;
}

/* Checks the form of one identifier; returns false after reporting.  What
 * generates it is described as printf(what, a, b) only for a message: a
 * schema can generate millions of names. */
static bool well_formed(names *nm, const char *id, smc_span at, const char *what, const char *a,
                        const char *b)
{
    if (!nm->own)
        return true;
    if (nm->reported.file == at.file && nm->reported.off == at.off && nm->reported.len == at.len)
        return false;
    const char *why = NULL, *prefix = NULL;
    static const char *const prefixes[] = {"sm_", "SM_", "smdl_", "SMDL_"};
    if (smc_c_keyword(id))
        why = "a C or C++ keyword";
    for (size_t i = 0; i < 4 && !why; i++)
        if (strncmp(id, prefixes[i], strlen(prefixes[i])) == 0)
            why = "reserved", prefix = prefixes[i];
    if (!why && (strstr(id, "__") || id[0] == '_'))
        why = "C";
    if (!why)
        return true;
    first_at(nm, at);
    const char *w = smc_printf(nm->ck->ctx, what, a, b);
    if (prefix)
        smc_error(nm->ck->ctx, at, SMC_E_RESERVED,
                  "%s would generate '%s'; the prefix '%s' is reserved for smdl", w, id, prefix);
    else if (why[0] == 'a')
        smc_error(nm->ck->ctx, at, SMC_E_RESERVED, "%s would generate '%s', a C or C++ keyword",
                  w, id);
    else
        smc_error(nm->ck->ctx, at, SMC_E_RESERVED,
                  "%s would generate '%s', which C reserves (it contains '__')", w, id);
    return false;
}

static void collision(names *nm, const char *id, origin *o, origin *old)
{
    if (!nm->own || !first_at(nm, o->span))
        return;
    smc_diag *d = smc_error(nm->ck->ctx, o->span, SMC_E_C_COLLISION,
                            "%s would generate '%s', which %s also generates", o->what, id,
                            old->what);
    smc_note(nm->ck->ctx, d, &old->span, "%s is declared here", old->what);
}

/* A global C name; o says which declaration generates it. */
static void global(names *nm, const char *id, origin *o)
{
    if (!well_formed(nm, id, o->span, "%s%s", o->what, ""))
        return;
    smc_ctx *ctx = nm->ck->ctx;
    origin *old = smc_map_put(ctx, &nm->global, id, o);
    if (old) {
        collision(nm, id, o, old);
        return;
    }
    /* Each way of reading id as A_from_B: remembered for conversions to
     * come, and compared with those already registered. */
    size_t k = strlen(SMC_CONVERT_INFIX);
    for (const char *p = strstr(id, SMC_CONVERT_INFIX); p; p = strstr(p + 1, SMC_CONVERT_INFIX)) {
        const char *before = smc_strndup(ctx, id, (size_t)(p - id)), *after = p + k;
        infix_use *u = smc_alloc(ctx, sizeof *u);
        u->after = after;
        u->o = o;
        u->next = smc_map_get(&nm->infixed, before);
        smc_map_set(ctx, &nm->infixed, before, u);
        smc_model *t = smc_map_get(&nm->snakes, before), *s = smc_map_get(&nm->snakes, after);
        if (t && s && nm->plain[t->pos] && nm->plain[s->pos] && nm->model_origin[t->pos] &&
            smc_has_source(t, s))
            collision(nm, id, o, nm->model_origin[t->pos]);
    }
}

/* Could snake(m) be read two ways in a conversion name, or break a rule
 * of C names?  Such models' conversions are registered as strings. */
static bool plain_snake(const char *snake)
{
    size_t n = strlen(snake);
    return !strstr(snake, "from") && !strstr(snake, "__") && n && snake[n - 1] != '_' &&
           snake[0] != '_' && strncmp(snake, "sm", 2) != 0 && strncmp(snake, "SM", 2) != 0;
}

/* The conversions into t.  A name t_from_s of two plain snake names
 * reads one way only, so it equals another conversion's only if the
 * models are the same, and equals another name A_from_B only if A and B
 * are t's and s's snake names: that is checked against `infixed`
 * (earlier names) here and in global() (later ones), and the millions
 * of conversions a deep family plans are never built as strings. */
static void register_conversions(names *nm, smc_model *t, origin *o)
{
    infix_use *uses = nm->plain[t->pos] ? smc_map_get(&nm->infixed, t->snake) : NULL;
    for (uint32_t i = 0; i < t->nsources; i++) {
        smc_model *s = t->sources[i];
        if (!nm->plain[t->pos] || !nm->plain[s->pos]) {
            global(nm, smc_conversion_name(nm->ck->ctx, t, s), o);
            continue;
        }
        for (infix_use *u = uses; u; u = u->next)
            if (strcmp(u->after, s->snake) == 0) {
                collision(nm, smc_conversion_name(nm->ck->ctx, t, s), o, u->o);
                break;
            }
    }
}

static origin *new_origin(names *nm, smc_span at, const char *what)
{
    origin *o = smc_alloc(nm->ck->ctx, sizeof *o);
    o->span = at;
    o->what = what;
    return o;
}

/* Struct members: field names are unique in a model already; what can
 * collide are the flag members (has_<f>, <f>_null, <rel>_loaded) with a
 * field or with each other. */
static void members(names *nm, smc_model *m, const char *what)
{
    if (!nm->own)
        return; /* an imported header was checked when its file was compiled */
    smc_ctx *ctx = nm->ck->ctx;
    smc_map flags = {0}; /* flag member -> the field that makes it */
    for (uint32_t i = 0; i < m->ncols; i++) {
        smc_col *c = m->cols[i];
        smc_span at = c->field->name.span;
        const char *ids[3] = {c->name, NULL, NULL};
        if (smc_col_has_flag(m, c))
            ids[1] = smc_printf(ctx, "has_%s", c->name);
        if (smc_col_null_flag(m, c))
            ids[2] = smc_printf(ctx, "%s_null", c->name);
        if (c->rel == SMC_REL_ONE)
            ids[1] = smc_printf(ctx, "%s_loaded", c->name); /* a relationship has no other flag */
        /* A field's own name was checked in the model that declared or
         * copied it, if that one is emitted: copies it shares skip it. */
        bool shared = c->owner != m && c->owner->own && smc_model_emitted(c->owner);
        for (int k = shared; k < 3; k++) {
            if (!ids[k] || !well_formed(nm, ids[k], at, "field '%s' of %s", c->name, what))
                continue;
            /* The member named first wins; the later one is reported. */
            smc_col *old = smc_map_get(&flags, ids[k]);
            if (k > 0 && !old) {
                smc_col *f = smc_find_col(m, ids[k]);
                if (f && f->index < i)
                    old = f; /* an earlier field has that name */
                else
                    smc_map_put(ctx, &flags, ids[k], c);
            }
            if (old && first_at(nm, at)) {
                smc_diag *d = smc_error(ctx, at, SMC_E_C_COLLISION,
                                        "field '%s' of %s would generate member '%s', which "
                                        "field '%s' also generates",
                                        c->name, what, ids[k], old->name);
                smc_note(ctx, d, &old->field->name.span, "field '%s' is declared here", old->name);
            }
        }
    }
}

/* A C type name; o says which declaration generates it. */
static void type_name(names *nm, const char *id, origin *o)
{
    global(nm, id, o);
    smc_map_put(nm->ck->ctx, &nm->types, id, o);
}

static void param(names *nm, const char *id, smc_span at, const char *what)
{
    /* A parameter that is a C or C++ keyword is renamed in the generated
     * code (smc_c_local); other rules still apply. */
    if (!nm->own || (!smc_c_keyword(id) && !well_formed(nm, id, at, "%s%s", what, "")))
        return;
    pending_param *pp = smc_alloc(nm->ck->ctx, sizeof *pp);
    pp->id = smc_c_local(nm->ck->ctx, id);
    pp->at = at;
    pp->what = what;
    *nm->params_end = pp;
    nm->params_end = &pp->next;
    if (listed(api_params, id)) {
        smc_diag *d = smc_error(nm->ck->ctx, at, SMC_E_RESERVED,
                                "%s would be a parameter named '%s', which the generated "
                                "function already has",
                                what, id);
        smc_note(nm->ck->ctx, d, NULL, "rename it; the generated functions use cx conn out "
                                       "arena affected fn ud has in");
    }
}

/* The parameters `_get_many` and `_link_`/`_unlink_` name after fields:
 * well-formed, hiding no type, distinct from each other. */
static void relationship_params(names *nm, smc_model *m, const smc_api_fn *fns, uint32_t n,
                                const char *what)
{
    smc_ctx *ctx = nm->ck->ctx;
    for (uint32_t i = 0; i < n; i++) {
        if (fns[i].verb == SMC_V_GET_MANY && m->nkey == 1)
            param(nm, smc_get_many_param(ctx, m), m->key[0]->field->name.span,
                  smc_printf(ctx, "key field '%s' of %s (in %s)", m->key[0]->name, what,
                             fns[i].name));
        if (fns[i].verb != SMC_V_LINK)
            continue;
        const smc_col *c = fns[i].rel;
        const char *a, *b;
        smc_link_params(ctx, m, c, &a, &b);
        smc_span at = c->field->name.span;
        const char *rw = smc_printf(ctx, "relationship '%s' of %s (in %s)", c->name, what,
                                    fns[i].name);
        param(nm, a, at, rw);
        param(nm, b, at, rw);
        if (strcmp(a, b) == 0 && nm->own && first_at(nm, at)) {
            smc_diag *d = smc_error(ctx, at, SMC_E_C_COLLISION,
                                    "%s would have two parameters named '%s'", rw, a);
            if (c->rel_target == m)
                smc_note(ctx, d, NULL, "give the relationship another name: @rel(through: %s, name: x)",
                         c->rel_through->name);
            else
                smc_note(ctx, d, NULL, "rename field '%s' of '%s' or field '%s' of '%s'",
                         c->rel_link_own->fk_col->name, m->name, c->rel_link_target->fk_col->name,
                         c->rel_target->name);
        }
    }
}

static void register_model(names *nm, smc_model *m)
{
    smc_ctx *ctx = nm->ck->ctx;
    if (!smc_model_emitted(m))
        return;
    const char *what = smc_printf(ctx, "%s '%s'", m->is_table ? "table" : m->is_row ? "row" : "model",
                                  m->name);
    origin *o = new_origin(nm, m->decl->name.span, what);
    type_name(nm, m->name, o);
    type_name(nm, smc_printf(ctx, "%s_list", m->name), o);
    global(nm, smc_printf(ctx, "%s_INIT", m->upper), o);
    smc_api_fn *fns;
    uint32_t n = smc_model_api_verbs(ctx, m, &fns);
    for (uint32_t i = 0; i < n; i++)
        global(nm, fns[i].name, o);
    smc_map_put(ctx, &nm->snakes, m->snake, m);
    nm->model_origin[m->pos] = o;
    register_conversions(nm, m, o);
    members(nm, m, what);
    for (uint32_t i = 0; i < m->nkey; i++)
        param(nm, m->key[i]->name, m->key[i]->field->name.span,
              smc_printf(ctx, "key field '%s' of %s", m->key[i]->name, what));
    relationship_params(nm, m, fns, n, what);
}

static void register_enum(names *nm, smc_decl *e)
{
    smc_ctx *ctx = nm->ck->ctx;
    type_name(nm, e->name.s, new_origin(nm, e->name.span, smc_printf(ctx, "enum '%s'", e->name.s)));
    const char *up = smc_upper(ctx, e->name.s);
    for (smc_member *m = e->members; m; m = m->next)
        global(nm, smc_printf(ctx, "%s_%s", up, smc_upper(ctx, m->name.s)),
               new_origin(nm, m->name.span,
                          smc_printf(ctx, "member '%s' of enum '%s'", m->name.s, e->name.s)));
}

static void register_query(names *nm, smc_decl *d)
{
    smc_ctx *ctx = nm->ck->ctx;
    const char *what = smc_printf(ctx, "query '%s'", d->name.s);
    global(nm, d->name.s, new_origin(nm, d->name.span, what));
    for (smc_param *p = d->query->params; p; p = p->next) {
        param(nm, p->name.s, p->name.span,
              smc_printf(ctx, "parameter '%s' of query '%s'", p->name.s, d->name.s));
        if (p->type->type.base != SMC_B_SORT)
            continue;
        const char *sort = smc_printf(ctx, "%s_%s", d->name.s, p->name.s);
        type_name(nm, sort, new_origin(nm, p->name.span, what));
        const char *up = smc_upper(ctx, sort);
        for (smc_targ *a = p->type->args; a; a = a->next)
            global(nm, smc_printf(ctx, "%s_%s", up, smc_upper(ctx, a->name.s)),
                   new_origin(nm, a->span, what));
    }
    smc_map local = {0};
    for (smc_param *p = d->query->params; p; p = p->next) {
        /* As the generated code spells them: a keyword gets a '_'. */
        const char *ids[2] = {smc_c_local(ctx, p->name.s),
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

/* Where c's @check_fn is written: on the field or on a type it refines. */
static smc_span check_fn_span(smc_col *c)
{
    smc_attr *a = smc_attr_named(c->field->attrs, "check_fn");
    for (smc_decl *r = c->field->type->refined; !a && r; r = r->alias->refined)
        a = smc_attr_named(r->attrs, "check_fn");
    return a ? a->span : c->field->name.span;
}

/* The validators of m's fields: each a global C function, declared once
 * in the header with the C type of the fields it checks, so every field
 * naming it must have one type.  Copies of a field in other models have
 * its type (nullability aside): the declaring model is enough. */
static void register_check_fns(names *nm, smc_model *m)
{
    smc_ctx *ctx = nm->ck->ctx;
    for (uint32_t i = 0; i < m->ncols; i++) {
        smc_col *c = m->cols[i];
        if (!c->check_fn || c->type.base == SMC_B_ERROR || c->field->owner != m->decl)
            continue;
        smc_col *old = smc_map_get(&nm->check_fns, c->check_fn);
        if (!old) {
            smc_map_put(ctx, &nm->check_fns, c->check_fn, c);
            global(nm, c->check_fn,
                   new_origin(nm, check_fn_span(c),
                              smc_printf(ctx, "'@check_fn(%s)' of field '%s'", c->check_fn, c->name)));
            continue;
        }
        smc_type a = old->type, b = c->type;
        a.nullable = b.nullable = false; /* validators see only non-null values */
        const char *ta = smc_type_name(ctx, &a), *tb = smc_type_name(ctx, &b);
        if (strcmp(ta, tb) == 0 || !nm->own)
            continue;
        smc_span at = check_fn_span(c);
        if (!first_at(nm, at))
            continue;
        smc_diag *d = smc_error(ctx, at, SMC_E_C_COLLISION,
                                "'@check_fn(%s)' on field '%s' of type '%s': the function is "
                                "declared once, and field '%s' already makes it take '%s'",
                                c->check_fn, c->name, tb, old->name, ta);
        smc_span was = check_fn_span(old);
        smc_note(ctx, d, &was, "'@check_fn(%s)' is used here on type '%s'", c->check_fn, ta);
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
    for (smc_decl *d = f->decls; d; d = d->next)
        if ((d->kind == SMC_D_MODEL || d->kind == SMC_D_ROW) && d->model)
            register_check_fns(nm, d->model);
}

/* A parameter named like a C type hides that type from the rest of the
 * prototype (`int64_t Hero, Hero *out`): refused, whichever comes first. */
static void check_params(names *nm)
{
    for (pending_param *pp = nm->params; pp; pp = pp->next) {
        origin *t = smc_map_get(&nm->types, pp->id);
        if (!t)
            continue;
        smc_diag *d = smc_error(nm->ck->ctx, pp->at, SMC_E_C_COLLISION,
                                "%s would be a C parameter named '%s', which hides the type "
                                "'%s' that %s generates",
                                pp->what, pp->id, pp->id, t->what);
        smc_note(nm->ck->ctx, d, &t->span, "%s is declared here", t->what);
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
    nm.params_end = &nm.params;
    nm.model_origin = smc_alloc(ctx, (ck->out->nmodels + 1) * sizeof *nm.model_origin);
    nm.plain = smc_alloc(ctx, (ck->out->nmodels + 1) * sizeof *nm.plain);
    for (uint32_t i = 0; i < ck->out->nmodels; i++)
        nm.plain[i] = plain_snake(ck->out->models[i]->snake);
    for (uint32_t i = 0; i < ck->out->nimports; i++)
        register_file(&nm, ck->out->imports[i]);
    nm.own = true;
    smc_file *f = ck->out->main;
    const char *module = ck->out->module;
    smc_span at = f->module.span;
    origin *o = new_origin(&nm, at, smc_printf(ctx, "module '%s'", module));
    global(&nm, smc_printf(ctx, "%s_create_all", module), o);
    global(&nm, smc_printf(ctx, "%s_drop_all", module), o);
    global(&nm, smc_printf(ctx, "%s_migrate", module), o);
    register_file(&nm, f);
    /* Row types defined by a query's projection have no declaration of
     * their own in the file, but generate the same names a row does. */
    for (uint32_t i = 0; i < ck->out->nmodels; i++)
        if (ck->out->models[i]->implicit)
            register_model(&nm, ck->out->models[i]);
    check_params(&nm);
}
