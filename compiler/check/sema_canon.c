/*
 * sema_canon.c: the canonical text of an expression, which names an
 * unnamed table check (DESIGN 5.1): the same condition written with other
 * spacing, comments or number spellings gives the same text, so the same
 * constraint name.  Tokens are separated by one space, keywords are
 * lowercase, parentheses stay where they were written, numbers are
 * written by value and strings with the escapes of the language.
 */
#include "sema_int.h"

#include <stdio.h>
#include <string.h>

static const char *op_text(int op)
{
    static const char *const ops[] = {
        [SMC_OP_OR] = "or",  [SMC_OP_AND] = "and", [SMC_OP_NOT] = "not", [SMC_OP_EQ] = "==",
        [SMC_OP_NE] = "!=",  [SMC_OP_LT] = "<",    [SMC_OP_LE] = "<=",   [SMC_OP_GT] = ">",
        [SMC_OP_GE] = ">=",  [SMC_OP_LIKE] = "like", [SMC_OP_ADD] = "+", [SMC_OP_SUB] = "-",
        [SMC_OP_MUL] = "*",  [SMC_OP_DIV] = "/",   [SMC_OP_NEG] = "-",   [SMC_OP_PLUS] = "+",
    };
    return op > 0 && op < (int)(sizeof ops / sizeof ops[0]) && ops[op] ? ops[op] : "?";
}

/* The text being written; a failed append is remembered (rc), never a
 * silently shorter name. */
typedef struct out {
    sm_buf b;
    int rc;
} out;

static void put(out *o, const char *s)
{
    o->rc |= sm_buf_puts(&o->b, s);
}

static void putc_(out *o, char c)
{
    o->rc |= sm_buf_putc(&o->b, c);
}

static void put_int(out *o, long long v, const char *suffix)
{
    char t[32];
    snprintf(t, sizeof t, "%lld%s", v, suffix);
    put(o, t);
}

static void string_lit(out *b, const char *s, size_t n)
{
    putc_(b, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        char t[16];
        if (c == '"' || c == '\\')
            snprintf(t, sizeof t, "\\%c", c);
        else if (c == '\n')
            snprintf(t, sizeof t, "\\n");
        else if (c == '\t')
            snprintf(t, sizeof t, "\\t");
        else if (c < 0x20 || c == 0x7f)
            snprintf(t, sizeof t, "\\u{%x}", c);
        else
            snprintf(t, sizeof t, "%c", (char)c);
        put(b, t);
    }
    putc_(b, '"');
}

/* Expressions are as deep as the parser allows (a bounded depth). */
static void canon(out *b, const smc_expr *e)
{
    if (e->parens)
        putc_(b, '(');
    switch (e->kind) {
    case SMC_EX_INT: put_int(b, (long long)e->ival, ""); break;
    case SMC_EX_FLOAT: {
        char t[40];
        snprintf(t, sizeof t, "%.17g", e->fval);
        put(b, t);
        break;
    }
    case SMC_EX_STRING: string_lit(b, e->sval, e->slen); break;
    case SMC_EX_BOOL: put(b, e->ival ? "true" : "false"); break;
    case SMC_EX_NULL: put(b, "null"); break;
    case SMC_EX_DURATION: put_int(b, (long long)e->ival, "ms"); break;
    case SMC_EX_NAME:
        if (e->qual.s) {
            put(b, e->qual.s);
            putc_(b, '.');
        }
        put(b, e->name.s);
        break;
    case SMC_EX_PARAM:
        putc_(b, ':');
        put(b, e->name.s);
        put(b, e->optional ? "?" : "");
        break;
    case SMC_EX_CALL:
        put(b, e->name.s);
        putc_(b, '(');
        for (const smc_expr *a = e->args; a; a = a->next) {
            canon(b, a);
            if (a->next)
                put(b, ", ");
        }
        putc_(b, ')');
        break;
    case SMC_EX_UNARY:
        put(b, op_text(e->op));
        if (e->op == SMC_OP_NOT)
            putc_(b, ' ');
        canon(b, e->a);
        break;
    case SMC_EX_BINARY:
        canon(b, e->a);
        put(b, e->negated ? " not " : " ");
        put(b, op_text(e->op));
        putc_(b, ' ');
        canon(b, e->b);
        break;
    case SMC_EX_IS_NULL:
        canon(b, e->a);
        put(b, e->negated ? " is not null" : " is null");
        break;
    case SMC_EX_BETWEEN:
        canon(b, e->a);
        put(b, e->negated ? " not between " : " between ");
        canon(b, e->b);
        put(b, " and ");
        canon(b, e->c);
        break;
    default:
        /* in, exists and subqueries: not allowed in a table check, which
         * is the only user; reported there. */
        put_int(b, e->kind, "?");
        break;
    }
    if (e->parens)
        putc_(b, ')');
}

const char *smc_canonical_expr(smc_checker *ck, const smc_expr *e)
{
    out o = {SM_BUF_INIT, SM_OK};
    canon(&o, e);
    if (o.rc != SM_OK) {
        sm_buf_free(&o.b);
        smc_out_of_memory(ck->ctx);
    }
    const char *s = smc_strndup(ck->ctx, o.b.data ? o.b.data : "", o.b.len);
    sm_buf_free(&o.b);
    return s;
}
