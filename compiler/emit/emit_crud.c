/*
 * emit_crud.c: the generated .c file: the descriptors (emit_desc.c), then
 * one thin typed wrapper per function of the header, each a call into
 * libsmdl's generic operations with the right descriptor.
 */
#include "emit.h"

#include <string.h>

/* Builds `smdl_key`, an object of the table's type holding only the key
 * (locals use the reserved prefix, so no field name can collide). */
static void key_object(sm_buf *b, const smc_model *m)
{
    smc_out_printf(b, "    %s smdl_key;\n    memset(&smdl_key, 0, sizeof smdl_key);\n", m->name);
    for (uint32_t i = 0; i < m->nkey; i++)
        smc_out_printf(b, "    smdl_key.%s = %s;\n", m->key[i]->name, m->key[i]->name);
}

/* Fills nested field c of the conversion's result (`o`, a struct) from
 * relationship r of *in: SM_MISUSE when it was not loaded, else each
 * object converted by the conversion of the elements. */
static void nested_field(smc_ctx *ctx, sm_buf *b, const smc_model *t, const char *o,
                         const smc_col *c, const smc_col *r)
{
    smc_model *et = c->type.decl->model, *es = r->rel_target;
    const char *conv = smc_conversion_name(ctx, et, es);
    const char *arena = smc_conversion_nested(et, es) ? ", arena" : "";
    if (r->rel != SMC_REL_ONE) {
        smc_out_printf(b, "    if (!in->%s.items)\n        return SM_MISUSE;\n"
                          "    %s.%s.len = in->%s.len;\n"
                          "    %s.%s.items = NULL;\n"
                          "    if (in->%s.len) {\n"
                          "        %s.%s.items = (%s *)sm_arena_alloc(arena, in->%s.len * sizeof(%s));\n"
                          "        if (!%s.%s.items)\n            return SM_NOMEM;\n"
                          "    }\n"
                          "    for (size_t smdl_i = 0; smdl_i < in->%s.len; smdl_i++) {\n"
                          "        int smdl_rc = %s(&in->%s.items[smdl_i], &%s.%s.items[smdl_i]%s);\n"
                          "        if (smdl_rc != SM_OK)\n            return smdl_rc;\n"
                          "    }\n",
                       r->name, o, c->name, r->name, o, c->name, r->name, o, c->name, et->name,
                       r->name, et->name, o, c->name, r->name, conv, r->name, o, c->name, arena);
        return;
    }
    smc_out_printf(b, "    if (!in->%s_loaded)\n        return SM_MISUSE;\n"
                      "    if (in->%s) {\n"
                      "        int smdl_rc = %s(in->%s, &%s.%s%s);\n"
                      "        if (smdl_rc != SM_OK)\n            return smdl_rc;\n",
                   r->name, r->name, conv, r->name, o, c->name, arena);
    if (smc_col_has_flag(t, c))
        smc_out_printf(b, "        %s.has_%s = true;\n", o, c->name);
    smc_out_puts(b, "    }\n");
}

/* `<target>_from_<source>`: the target's defaults, then every field the
 * source has with an assignable type, and nested fields converted from
 * the source's relationships.  It has no cx: a NULL argument is
 * SM_MISUSE alone, and *out is left as it was (a nested conversion
 * builds the result aside and copies it once complete). */
static void conversion(smc_ctx *ctx, sm_buf *b, const smc_model *t, const smc_model *src)
{
    bool nested = smc_conversion_nested(t, src);
    const char *o = "smdl_out";
    if (nested)
        smc_out_printf(b, "    if (!in || !out || !arena)\n        return SM_MISUSE;\n"
                          "    %s smdl_out = %s;\n",
                       t->name, smc_c_internal(ctx, SMC_N_INIT, t->name, -1));
    else
        smc_out_printf(b, "    if (!in || !out)\n        return SM_MISUSE;\n    *out = %s;\n",
                       smc_c_internal(ctx, SMC_N_INIT, t->name, -1));
    const char *acc = nested ? "smdl_out." : "out->";
    for (uint32_t i = 0; i < t->ncols; i++) {
        const smc_col *c = t->cols[i];
        const smc_col *s = c->rel ? NULL : smc_find_col(src, c->name);
        const smc_col *r = nested ? smc_nested_source(c, src) : NULL;
        if (r) {
            nested_field(ctx, b, t, o, c, r);
            continue;
        }
        if (!s || s->rel || !smc_type_assignable(&c->type, &s->type))
            continue;
        smc_out_printf(b, "    %s%s = in->%s;\n", acc, c->name, s->name);
        if (smc_col_has_flag(t, c)) {
            if (smc_col_has_flag(src, s))
                smc_out_printf(b, "    %shas_%s = in->has_%s;\n", acc, c->name, s->name);
            else
                smc_out_printf(b, "    %shas_%s = true;\n", acc, c->name);
        }
    }
    if (nested)
        smc_out_puts(b, "    *out = smdl_out;\n");
    smc_out_puts(b, "    return SM_OK;\n");
}

static void function(smc_ctx *ctx, sm_buf *b, smc_model *m, const smc_api_fn *fn)
{
    const char *T = m->name, *d = smc_printf(ctx, "&smdl.%s", smc_c_member(ctx, SMC_N_MODEL, m->name));
    switch (fn->verb) {
    case SMC_V_INSERT:
        smc_out_printf(b, "int %s(sm_cx *cx, sm_conn *conn, %s *obj)\n{\n"
                          "    return sm_model_insert(cx, conn, %s, obj);\n}\n", fn->name, T, d);
        return;
    case SMC_V_INSERT_MANY:
        smc_out_printf(b, "int %s(sm_cx *cx, sm_conn *conn, %s *objs, size_t n)\n{\n"
                          "    return sm_model_insert_many(cx, conn, %s, objs, n);\n}\n",
                       fn->name, T, d);
        return;
    case SMC_V_GET:
        smc_out_printf(b, "int %s(sm_cx *cx, sm_conn *conn", fn->name);
        smc_c_key_params(ctx, b, m);
        smc_out_printf(b, ", %s *out, sm_arena *arena)\n{\n", T);
        key_object(b, m);
        smc_out_printf(b, "    return sm_model_get(cx, conn, %s, &smdl_key, out, arena);\n}\n", d);
        return;
    case SMC_V_UPDATE:
        smc_out_printf(b, "int %s(sm_cx *cx, sm_conn *conn, %s *obj)\n{\n"
                          "    return sm_model_update(cx, conn, %s, obj);\n}\n", fn->name, T, d);
        return;
    case SMC_V_PATCH:
        smc_out_printf(b, "int %s(sm_cx *cx, sm_conn *conn", fn->name);
        smc_c_key_params(ctx, b, m);
        smc_out_printf(b, ", const %s *in)\n{\n", fn->other->name);
        key_object(b, m);
        smc_out_printf(b, "    return sm_model_patch(cx, conn, &%s, &smdl_key, in);\n}\n",
                       smc_c_patch(ctx, m, fn->other));
        return;
    case SMC_V_DELETE:
        smc_out_printf(b, "int %s(sm_cx *cx, sm_conn *conn", fn->name);
        smc_c_key_params(ctx, b, m);
        smc_out_puts(b, ")\n{\n");
        key_object(b, m);
        smc_out_printf(b, "    return sm_model_delete(cx, conn, %s, &smdl_key);\n}\n", d);
        return;
    case SMC_V_VALIDATE:
        smc_out_printf(b, "int %s(const %s *obj, sm_errors *errs)\n{\n"
                          "    return sm_model_validate(%s, obj, errs);\n}\n", fn->name, T, d);
        return;
    case SMC_V_TO_JSON:
        smc_emit_to_json(b, m, fn->name, d);
        return;
    case SMC_V_FROM_JSON:
        smc_out_printf(b, "int %s(const char *json, size_t len, %s *out, sm_arena *arena, "
                          "sm_errors *errs)\n{\n"
                          "    return sm_model_from_json(%s, json, len, out, arena, errs);\n}\n",
                       fn->name, T, d);
        return;
    case SMC_V_GET_MANY:
        smc_out_printf(b, "int %s(sm_cx *cx, sm_conn *conn, ", fn->name);
        smc_c_get_many_keys(ctx, b, m);
        smc_out_printf(b, ", size_t n, %s_list *out, sm_arena *arena)\n{\n"
                          "    return sm_model_get_many(cx, conn, %s, %s, n, %s, out, arena);\n}\n",
                       T, d, smc_get_many_param(ctx, m), m->nkey > 1 ? "true" : "false");
        return;
    case SMC_V_LOAD:
        smc_out_printf(b, "int %s(sm_cx *cx, sm_conn *conn, %s *obj, sm_arena *arena)\n{\n"
                          "    return sm_rel_load(cx, conn, %s, %s, obj, 1, arena);\n}\n",
                       fn->name, T, d, smc_c_rel(ctx, m, fn->rel));
        return;
    case SMC_V_LIST_LOAD:
        smc_out_printf(b, "int %s(sm_cx *cx, sm_conn *conn, %s_list *list, sm_arena *arena)\n{\n"
                          "    return sm_rel_load_list(cx, conn, %s, %s, list, arena);\n}\n",
                       fn->name, T, d, smc_c_rel(ctx, m, fn->rel));
        return;
    case SMC_V_LINK:
    case SMC_V_UNLINK: {
        const smc_col *r = fn->rel;
        const char *a, *c;
        smc_link_params(ctx, m, r, &a, &c);
        smc_out_printf(b, "int %s(sm_cx *cx, sm_conn *conn, %s, %s)\n{\n"
                          "    return %s(cx, conn, %s, &%s, &%s);\n}\n",
                       fn->name, smc_c_param(ctx, r->rel_link_own, a),
                       smc_c_param(ctx, r->rel_link_target, c),
                       fn->verb == SMC_V_LINK ? "sm_rel_link" : "sm_rel_unlink",
                       smc_c_rel(ctx, m, r), a, c);
        return;
    }
    case SMC_V_CONVERT:
        if (smc_conversion_nested(m, fn->other)) {
            smc_out_printf(b, "int %s(const %s *in, %s *out, sm_arena *arena)\n{\n", fn->name,
                           fn->other->name, T);
            conversion(ctx, b, m, fn->other);
            smc_out_puts(b, "}\n");
            return;
        }
        smc_out_printf(b, "int %s(const %s *in, %s *out)\n{\n", fn->name, fn->other->name, T);
        conversion(ctx, b, m, fn->other);
        smc_out_puts(b, "}\n");
        return;
    }
}

static void source(smc_ctx *ctx, void *arg)
{
    sm_buf *b = arg;
    smc_sema *s = ctx->sema;
    sm_buf desc = SM_BUF_INIT;
    bool long_literals;
    smc_emit_descriptors(ctx, &desc, &long_literals);
    bool long_queries = false;
    smc_emit_query_descriptors(ctx, &desc, &long_queries);
    long_literals |= long_queries;

    smc_c_banner(ctx, b);
    smc_out_printf(b, "#include \"%s.h\"\n\n#include <limits.h>\n#include <stddef.h>\n"
                      "#include <string.h>\n\n",
                   s->file_base);
    if (long_literals)
        smc_out_puts(b, "/* Some SQL texts are longer than the 4095 bytes C promises; every\n"
                        " * compiler smdl supports accepts them. */\n"
                        "#pragma GCC diagnostic ignored \"-Woverlength-strings\"\n\n");
    smc_out_append(b, desc.data, desc.len);
    sm_buf_free(&desc);

    smc_model **models;
    uint32_t n = smc_described_models(ctx, &models);
    for (uint32_t k = 0; k < n; k++) {
        if (!models[k]->own)
            continue;
        smc_out_printf(b, "/* ---- %s ---- */\n\n", models[k]->name);
        smc_api_fn *fns;
        uint32_t nf = smc_model_api(ctx, models[k], &fns);
        for (uint32_t i = 0; i < nf; i++) {
            function(ctx, b, models[k], &fns[i]);
            smc_out_putc(b, '\n');
        }
    }
    if (s->nqueries)
        smc_out_puts(b, "/* ---- queries ---- */\n\n");
    smc_emit_query_functions(ctx, b);
    if (s->ntables) {
        smc_out_printf(b, "/* ---- module %s ---- */\n\n", s->module);
        smc_out_printf(b, "int %s_create_all(sm_cx *cx, sm_conn *conn)\n{\n"
                          "    return sm_module_create_all(cx, conn, &smdl_module);\n}\n\n"
                          "int %s_drop_all(sm_cx *cx, sm_conn *conn)\n{\n"
                          "    return sm_module_drop_all(cx, conn, &smdl_module);\n}\n\n"
                          "int %s_migrate(sm_cx *cx, sm_conn *conn)\n{\n"
                          "    return sm_module_migrate(cx, conn, &smdl_module);\n}\n",
                       s->module, s->module, s->module);
    }
}

void smc_emit_source(smc_ctx *ctx, sm_buf *b)
{
    smc_out_run(ctx, source, b);
}
