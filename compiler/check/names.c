/*
 * names.c: how smdl names become C and SQL names (DESIGN 3.1, 5.1).
 */
#include "sema.h"

#include <ctype.h>
#include <stdlib.h>
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

/* C11, C23 and C++ keywords (the header is included from C++), and the
 * macros and names of the standard headers the generated code includes.
 * In strcmp order: smc_c_keyword looks a name up by halves, as it is
 * asked of every name a schema generates. */
static const char *const c_keywords[] = {
    "NULL", "alignas", "alignof", "and", "and_eq", "asm", "assert", "auto", "bitand", "bitor",
    "bool", "break", "case", "catch", "char", "char16_t", "char32_t", "char8_t", "class",
    "co_await", "co_return", "co_yield", "compl", "concept", "const", "const_cast", "consteval",
    "constexpr", "constinit", "continue", "decltype", "default", "delete", "do", "double",
    "dynamic_cast", "else", "enum", "errno", "explicit", "export", "extern", "false", "float",
    "for", "friend", "goto", "if", "inline", "int", "int16_t", "int32_t", "int64_t", "long",
    "mutable", "namespace", "new", "noexcept", "not", "not_eq", "nullptr", "offsetof", "operator",
    "or", "or_eq", "private", "protected", "public", "register", "reinterpret_cast", "requires",
    "restrict", "return", "short", "signed", "size_t", "sizeof", "static", "static_assert",
    "static_cast", "struct", "switch", "template", "this", "thread_local", "throw", "true", "try",
    "typedef", "typeid", "typename", "typeof", "typeof_unqual", "uint32_t", "uint8_t", "union",
    "unsigned", "using", "virtual", "void", "volatile", "wchar_t", "while", "xor", "xor_eq",
};

static int compare(const void *key, const void *elem)
{
    return strcmp(key, *(const char *const *)elem);
}

bool smc_c_keyword(const char *id)
{
    return bsearch(id, c_keywords, sizeof c_keywords / sizeof *c_keywords, sizeof *c_keywords,
                   compare) != NULL;
}

const char *smc_c_local(smc_ctx *ctx, const char *name)
{
    return smc_c_keyword(name) ? smc_printf(ctx, "%s_", name) : name;
}
