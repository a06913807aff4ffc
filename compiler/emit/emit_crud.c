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

/* `<target>_from_<source>`: the target's defaults, then every field the
 * source has with an assignable type.  It has no cx: a NULL argument is
 * SM_MISUSE alone, and *out is left as it was. */
static void conversion(smc_ctx *ctx, sm_buf *b, const smc_model *t, const smc_model *src)
{
    smc_out_puts(b, "    if (!in || !out)\n        return SM_MISUSE;\n");
    smc_out_printf(b, "    *out = %s;\n", smc_c_internal(ctx, SMC_N_INIT, t->name, -1));
    for (uint32_t i = 0; i < t->ncols; i++) {
        const smc_col *c = t->cols[i];
        const smc_col *s = c->rel ? NULL : smc_find_col(src, c->name);
        if (!s || s->rel || !smc_type_assignable(&c->type, &s->type))
            continue;
        smc_out_printf(b, "    out->%s = in->%s;\n", c->name, s->name);
        if (smc_col_has_flag(t, c)) {
            if (smc_col_has_flag(src, s))
                smc_out_printf(b, "    out->has_%s = in->has_%s;\n", c->name, s->name);
            else
                smc_out_printf(b, "    out->has_%s = true;\n", c->name);
        }
    }
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
        smc_out_printf(b, "int %s(const %s *obj, sm_buf *out)\n{\n"
                          "    return sm_model_to_json(%s, obj, out);\n}\n", fn->name, T, d);
        return;
    case SMC_V_FROM_JSON:
        smc_out_printf(b, "int %s(const char *json, size_t len, %s *out, sm_arena *arena, "
                          "sm_errors *errs)\n{\n"
                          "    return sm_model_from_json(%s, json, len, out, arena, errs);\n}\n",
                       fn->name, T, d);
        return;
    case SMC_V_CONVERT:
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
                          "    return sm_module_drop_all(cx, conn, &smdl_module);\n}\n",
                       s->module, s->module);
    }
}

void smc_emit_source(smc_ctx *ctx, sm_buf *b)
{
    smc_out_run(ctx, source, b);
}
