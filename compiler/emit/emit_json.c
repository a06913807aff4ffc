/*
 * emit_json.c: the body of a full model's X_to_json, written field by
 * field through libsmdl's sm_jw_* writer with each key a literal made
 * here ('{' or ',', the key quoted as JSON, ':'), so that nothing about
 * the keys is worked out again per call.  Integers and text are written
 * directly; other types, through the descriptor (sm_jw_field).  A
 * partial model's fields depend on its has_ flags: it keeps
 * sm_model_to_json.
 */
#include "emit.h"
#include "json.h"

#include <string.h>

/* The literal before field c's value: `first` '{' else ','. */
static void key_literal(sm_buf *b, const smc_col *c, bool first)
{
    sm_buf k = SM_BUF_INIT;
    smc_out_check(sm_buf_putc(&k, first ? '{' : ','));
    smc_out_check(sm_json_put_string(&k, c->json, strlen(c->json)));
    smc_out_check(sm_buf_putc(&k, ':'));
    smc_c_string(b, k.data, k.len);
    smc_out_printf(b, ", %zu", k.len);
    sm_buf_free(&k);
}

void smc_emit_to_json(sm_buf *b, const smc_model *m, const char *name,
                      const char *desc)
{
    smc_out_printf(b, "int %s(const %s *obj, sm_buf *out)\n{\n", name, m->name);
    if (m->is_partial) {
        smc_out_printf(b, "    return sm_model_to_json(%s, obj, out);\n}\n", desc);
        return;
    }
    smc_out_puts(b, "    sm_jw smdl_w;\n"
                    "    if (!obj || !out)\n        return SM_MISUSE;\n"
                    "    sm_jw_begin(&smdl_w, out);\n");
    bool first = true;
    for (uint32_t i = 0; i < m->ncols; i++) {
        const smc_col *c = m->cols[i];
        if (!c->json || c->rel)
            continue;
        bool has = smc_col_has_flag(m, c);
        int base = c->type.list ? -1 : (int)c->type.base;
        bool direct = base == SMC_B_INT || base == SMC_B_I32 || base == SMC_B_I16 ||
                      base == SMC_B_TEXT;
        if (!direct) {
            smc_out_puts(b, "    sm_jw_field(&smdl_w, ");
            key_literal(b, c, first);
            smc_out_printf(b, ", %s, %u, obj);\n", desc, i);
        } else {
            const char *indent = "    ";
            if (has) {
                smc_out_printf(b, "    if (!obj->has_%s)\n        sm_jw_null(&smdl_w, ", c->name);
                key_literal(b, c, first);
                smc_out_puts(b, ");\n    else\n");
                indent = "        ";
            }
            smc_out_printf(b, "%ssm_jw_%s(&smdl_w, ", indent, base == SMC_B_TEXT ? "text" : "int");
            key_literal(b, c, first);
            smc_out_printf(b, ", obj->%s);\n", c->name);
        }
        first = false;
    }
    smc_out_printf(b, "    return sm_jw_end(&smdl_w, \"%s\", %d);\n}\n", first ? "{}" : "}", first ? 2 : 1);
}
