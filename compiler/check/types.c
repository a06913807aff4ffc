/*
 * types.c: questions about checked types.
 */
#include "map.h"
#include "sema.h"

#include <string.h>

static const char *const base_names[] = {
    [SMC_B_ERROR] = "<error>", [SMC_B_BOOL] = "bool",     [SMC_B_INT] = "int",
    [SMC_B_I32] = "i32",       [SMC_B_I16] = "i16",       [SMC_B_FLOAT] = "float",
    [SMC_B_DECIMAL] = "decimal", [SMC_B_TEXT] = "text",   [SMC_B_BYTES] = "bytes",
    [SMC_B_DATE] = "date",     [SMC_B_TIME] = "time",     [SMC_B_DATETIME] = "datetime",
    [SMC_B_UUID] = "uuid",     [SMC_B_JSON] = "json",     [SMC_B_ENUM] = "enum",
    [SMC_B_MODEL] = "model",   [SMC_B_SORT] = "sort",     [SMC_B_DIR] = "dir",
    [SMC_B_NULL] = "null",
};

const char *smc_type_name(smc_ctx *ctx, const smc_type *t)
{
    const char *base = base_names[t->base];
    if ((t->base == SMC_B_ENUM || t->base == SMC_B_MODEL) && t->decl)
        base = t->decl->name.s;
    else if (t->base == SMC_B_DECIMAL)
        base = smc_printf(ctx, "decimal(%u,%u)", t->precision, t->scale);
    if (t->list)
        return smc_printf(ctx, "[%s]", base);
    return t->nullable && t->base != SMC_B_NULL ? smc_printf(ctx, "%s?", base) : base;
}

bool smc_type_is_int(const smc_type *t)
{
    return !t->list && (t->base == SMC_B_INT || t->base == SMC_B_I32 || t->base == SMC_B_I16);
}

bool smc_type_is_numeric(const smc_type *t)
{
    return smc_type_is_int(t) || (!t->list && (t->base == SMC_B_FLOAT || t->base == SMC_B_DECIMAL));
}

bool smc_type_is_text(const smc_type *t)
{
    return !t->list && t->base == SMC_B_TEXT;
}

bool smc_type_pointer(const smc_type *t)
{
    return !t->list && (t->base == SMC_B_TEXT || t->base == SMC_B_JSON);
}

int smc_enum_member(const smc_decl *e, const char *name)
{
    if (e->member_index.len) { /* indexed once the enum is checked */
        const smc_member *m = smc_map_get(&e->member_index, name);
        return m ? (int)m->index : -1;
    }
    for (const smc_member *m = e->members; m; m = m->next)
        if (strcmp(m->name.s, name) == 0)
            return (int)m->index;
    return -1;
}
