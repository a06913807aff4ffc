/*
 * names.c: how smdl names become C and SQL names (DESIGN 3.1, 5.1).
 */
#include "sema.h"

#include <ctype.h>
#include <string.h>

/* snake(X): '_' before an uppercase letter that follows a lowercase letter
 * or digit, or that precedes a lowercase letter after an uppercase one;
 * then lowercase.  HeroTeamLink -> hero_team_link, HTTPLog -> http_log. */
const char *smc_snake(smc_ctx *ctx, const char *name)
{
    size_t n = strlen(name);
    char *out = smc_alloc(ctx, 2 * n + 1), *o = out;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)name[i];
        if (isupper(c) && i > 0) {
            unsigned char prev = (unsigned char)name[i - 1];
            unsigned char next = (unsigned char)name[i + 1];
            if (islower(prev) || isdigit(prev) || (isupper(prev) && islower(next)))
                *o++ = '_';
        }
        *o++ = (char)tolower(c);
    }
    *o = 0;
    return out;
}

const char *smc_upper(smc_ctx *ctx, const char *name)
{
    char *s = (char *)smc_snake(ctx, name);
    for (char *p = s; *p; p++)
        *p = (char)toupper((unsigned char)*p);
    return s;
}

uint32_t smc_fnv1a(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 16777619u;
    }
    return h;
}

const char *smc_limit_name(smc_ctx *ctx, const char *name)
{
    if (strlen(name) <= 63)
        return name;
    return smc_printf(ctx, "%.54s_%08x", name, smc_fnv1a(name));
}

const char *smc_constraint_name(smc_ctx *ctx, const char *prefix, const char *table,
                                smc_col *const *cols, uint32_t ncols)
{
    /* Measured first, written once: linear in the number of columns. */
    size_t n = strlen(prefix) + 1 + strlen(table);
    for (uint32_t i = 0; i < ncols; i++)
        n += 1 + strlen(cols[i]->column ? cols[i]->column : cols[i]->name);
    char *name = smc_alloc(ctx, n + 1), *o = name;
    const char *parts[2] = {prefix, table};
    for (uint32_t i = 0; i < 2 + ncols; i++) {
        const char *c = i < 2 ? parts[i] : cols[i - 2]->column ? cols[i - 2]->column
                                                                : cols[i - 2]->name;
        size_t k = strlen(c);
        if (i > 0)
            *o++ = '_';
        memcpy(o, c, k);
        o += k;
    }
    *o = 0;
    return smc_limit_name(ctx, name);
}

/* C11, C23 and C++ keywords, and names of the standard headers that
 * generated code includes. */
static const char *const c_keywords[] = {
    /* C11 and C23 */
    "auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else",
    "enum", "extern", "float", "for", "goto", "if", "inline", "int", "long", "register",
    "restrict", "return", "short", "signed", "sizeof", "static", "struct", "switch", "typedef",
    "union", "unsigned", "void", "volatile", "while", "bool", "true", "false", "nullptr",
    "alignas", "alignof", "constexpr", "static_assert", "thread_local", "typeof",
    "typeof_unqual",
    /* C++ (the header is included from C++) */
    "and", "and_eq", "asm", "bitand", "bitor", "catch", "char8_t", "char16_t", "char32_t",
    "class", "compl", "concept", "consteval", "constinit", "const_cast", "co_await",
    "co_return", "co_yield", "decltype", "delete", "dynamic_cast", "explicit", "export",
    "friend", "mutable", "namespace", "new", "noexcept", "not", "not_eq", "operator", "or",
    "or_eq", "private", "protected", "public", "reinterpret_cast", "requires", "static_cast",
    "template", "this", "throw", "try", "typeid", "typename", "using", "virtual", "wchar_t",
    "xor", "xor_eq",
    /* Macros and names of the standard headers the generated code includes */
    "NULL", "offsetof", "size_t", "int64_t", "int32_t", "int16_t", "uint8_t", "uint32_t",
    "errno", "assert", NULL,
};


bool smc_c_keyword(const char *id)
{
    for (size_t i = 0; c_keywords[i]; i++) /* a short list: scanning is fine */
        if (id[0] == c_keywords[i][0] && strcmp(id, c_keywords[i]) == 0)
            return true;
    return false;
}

const char *smc_c_local(smc_ctx *ctx, const char *name)
{
    return smc_c_keyword(name) ? smc_printf(ctx, "%s_", name) : name;
}
