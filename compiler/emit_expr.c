/*
 * emit_expr.c: checked expressions as SQL, for every dialect through the
 * dialect table.  Parentheses follow precedence, so the SQL reads like
 * the source.
 */
#include "emit.h"

#include <stdio.h>
#include <string.h>

/* Binding strength, higher binds tighter (SQLite's order). */
static int prec(const smc_expr *e)
{
    switch (e->kind) {
    case SMC_EX_BINARY:
        switch (e->op) {
        case SMC_OP_OR: return 1;
        case SMC_OP_AND: return 2;
        case SMC_OP_EQ: case SMC_OP_NE: case SMC_OP_LIKE: return 4;
        case SMC_OP_LT: case SMC_OP_LE: case SMC_OP_GT: case SMC_OP_GE: return 5;
        case SMC_OP_ADD: case SMC_OP_SUB: return 6;
        default: return 7;
        }
    case SMC_EX_UNARY: return e->op == SMC_OP_NOT ? 3 : 8;
    case SMC_EX_IS_NULL: case SMC_EX_BETWEEN: case SMC_EX_IN: return 4;
    default: return 9;
    }
}

static void sub(smc_ctx *ctx, smc_sqlctx *sc, const smc_expr *e, int min, sm_buf *b)
{
    bool paren = prec(e) < min;
    if (paren)
        sm_buf_putc(b, '(');
    smc_sql_expr(ctx, sc, e, b);
    if (paren)
        sm_buf_putc(b, ')');
}

static const char *op_text(int op)
{
    switch (op) {
    case SMC_OP_OR: return "OR";
    case SMC_OP_AND: return "AND";
    case SMC_OP_EQ: return "=";
    case SMC_OP_NE: return "<>";
    case SMC_OP_LT: return "<";
    case SMC_OP_LE: return "<=";
    case SMC_OP_GT: return ">";
    case SMC_OP_GE: return ">=";
    case SMC_OP_ADD: return "+";
    case SMC_OP_SUB: return "-";
    case SMC_OP_MUL: return "*";
    case SMC_OP_DIV: return "/";
    default: return "?";
    }
}

/* A numeric literal next to a decimal, on dialects that store decimals
 * scaled, is written scaled too. */
static void number(smc_ctx *ctx, smc_sqlctx *sc, const smc_expr *e, const smc_type *peer,
                   sm_buf *b)
{
    const smc_source *src = ctx->files[e->span.file];
    const char *text = src->text + e->span.off;
    size_t n = e->span.len;
    if (peer && peer->base == SMC_B_DECIMAL && sc->d->decimal_scaled) {
        sm_decimal v;
        if (sm_decimal_parse(text, n, 18, peer->scale, &v) == SM_OK) {
            sm_buf_printf(b, "%lld", (long long)v);
            return;
        }
    }
    if (e->kind == SMC_EX_INT)
        sm_buf_printf(b, "%lld", (long long)e->ival);
    else
        sm_buf_append(b, text, n);
}

static void operand(smc_ctx *ctx, smc_sqlctx *sc, const smc_expr *e, const smc_expr *peer,
                    int min, sm_buf *b)
{
    if ((e->kind == SMC_EX_INT || e->kind == SMC_EX_FLOAT) && peer)
        number(ctx, sc, e, &peer->type, b);
    else
        sub(ctx, sc, e, min, b);
}

void smc_sql_bind(smc_sqlctx *sc, unsigned field, sm_buf *b)
{
    if (sc->nparams >= sizeof sc->args) {
        sc->too_many = true;
        return;
    }
    sc->args[sc->nparams] = (uint8_t)field;
    smc_sql_param(b, sc->d, ++sc->nparams);
}

void smc_sql_list(smc_sqlctx *sc, unsigned field, sm_buf *b)
{
    if (sc->nparams >= sizeof sc->args) {
        sc->too_many = true;
        return;
    }
    sc->args[sc->nparams++] = (uint8_t)field;
    sm_buf_putc(b, '\001'); /* expanded by the runtime, one placeholder per element */
}

/* Expands a dialect pattern around one operand (%e). */
static void wrap(smc_ctx *ctx, smc_sqlctx *sc, const char *pat, const smc_expr *e, sm_buf *b)
{
    for (const char *p = pat; *p; p++) {
        if (p[0] == '%' && p[1] == 'e') {
            smc_sql_expr(ctx, sc, e, b);
            p++;
        } else {
            sm_buf_putc(b, *p);
        }
    }
}

/* a [NOT] IN :list, through the dialect's list form. */
static void in_list(smc_ctx *ctx, smc_sqlctx *sc, const smc_expr *e, sm_buf *b)
{
    if (e->negated)
        sm_buf_puts(b, "NOT (");
    unsigned field = e->b->param->field;
    for (const char *p = sc->d->in_list; *p; p++) {
        if (p[0] != '%' || !p[1]) {
            sm_buf_putc(b, *p);
            continue;
        }
        switch (*++p) {
        case 'c': smc_sql_expr(ctx, sc, e->a, b); break;
        case 'p': smc_sql_bind(sc, field, b); break;
        case 'f': smc_sql_bind(sc, field | SM_ARG_PRESENT, b); break;
        case 'l': smc_sql_list(sc, field, b); break;
        default: sm_buf_putc(b, *p); break;
        }
    }
    if (e->negated)
        sm_buf_putc(b, ')');
}

static void call(smc_ctx *ctx, smc_sqlctx *sc, const smc_expr *e, sm_buf *b)
{
    const char *f = e->name.s;
    if (strcmp(f, "sum") == 0 && smc_type_is_int(&e->args->type)) {
        wrap(ctx, sc, sc->d->sum_int, e->args, b);
        return;
    }
    if (strcmp(f, "avg") == 0) {
        bool scaled = e->args->type.base == SMC_B_DECIMAL && sc->d->decimal_scaled;
        if (scaled)
            sm_buf_putc(b, '(');
        wrap(ctx, sc, sc->d->avg, e->args, b);
        if (scaled) { /* the average of scaled values, scaled back */
            sm_buf_puts(b, " / 1");
            for (unsigned k = 0; k < e->args->type.scale; k++)
                sm_buf_putc(b, '0');
            sm_buf_puts(b, ".0)");
        }
        return;
    }
    if (strcmp(f, "now") == 0) {
        sm_buf_puts(b, sc->d->now_default[2]);
        return;
    }
    if (strcmp(f, "uuid") == 0) {
        sm_buf_puts(b, sc->d->uuid_default);
        return;
    }
    if (strcmp(f, "length") == 0)
        f = sc->d->length_fn;
    else if (strcmp(f, "count") == 0 && e->nargs == 0) {
        sm_buf_puts(b, "count(*)");
        return;
    }
    sm_buf_printf(b, "%s(", f);
    for (const smc_expr *a = e->args; a; a = a->next) {
        smc_sql_expr(ctx, sc, a, b);
        if (a->next)
            sm_buf_puts(b, ", ");
    }
    sm_buf_putc(b, ')');
}

void smc_sql_expr(smc_ctx *ctx, smc_sqlctx *sc, const smc_expr *e, sm_buf *b)
{
    const smc_dialect *d = sc->d;
    switch (e->kind) {
    case SMC_EX_INT:
    case SMC_EX_FLOAT:
        number(ctx, sc, e, NULL, b);
        return;
    case SMC_EX_STRING:
        smc_sql_string(b, d, e->sval, e->slen);
        return;
    case SMC_EX_BOOL:
        sm_buf_puts(b, e->ival ? d->true_lit : d->false_lit);
        return;
    case SMC_EX_NULL:
        sm_buf_puts(b, "NULL");
        return;
    case SMC_EX_NAME:
        if (e->col && e->src && e->src->excluded) {
            sm_buf col = SM_BUF_INIT;
            smc_sql_ident(&col, d, e->col->column);
            for (const char *p = d->excluded; *p; p++) {
                if (p[0] == '%' && p[1] == 'c') {
                    sm_buf_append(b, col.data, col.len);
                    p++;
                } else {
                    sm_buf_putc(b, *p);
                }
            }
            sm_buf_free(&col);
        } else if (e->col) {
            if (sc->qualify && e->src) {
                smc_sql_ident(b, d, e->src->model->table);
                sm_buf_putc(b, '.');
            }
            smc_sql_ident(b, d, e->col->column);
        } else { /* an enum member */
            smc_sql_string(b, d, e->name.s, strlen(e->name.s));
        }
        return;
    case SMC_EX_PARAM:
        smc_sql_bind(sc, e->param->field, b);
        return;
    case SMC_EX_CALL:
        call(ctx, sc, e, b);
        return;
    case SMC_EX_UNARY:
        sm_buf_puts(b, e->op == SMC_OP_NOT ? "NOT " : e->op == SMC_OP_NEG ? "-" : "+");
        sub(ctx, sc, e->a, prec(e) + (e->op == SMC_OP_NOT ? 0 : 1), b);
        return;
    case SMC_EX_BINARY: {
        int p = prec(e);
        if (e->op == SMC_OP_LIKE) {
            sub(ctx, sc, e->a, p + 1, b);
            sm_buf_puts(b, e->negated ? " NOT LIKE " : " LIKE ");
            sub(ctx, sc, e->b, p + 1, b);
            sm_buf_puts(b, d->like_escape);
            return;
        }
        if (e->op == SMC_OP_DIV) {
            /* Division is float division in smdl on every dialect. */
            for (const char *q = d->float_cast; *q; q++) {
                if (q[0] == '%' && q[1] == 'e') {
                    smc_sql_expr(ctx, sc, e->a, b);
                    q++;
                } else {
                    sm_buf_putc(b, *q);
                }
            }
            sm_buf_puts(b, " / ");
            sub(ctx, sc, e->b, p + 1, b);
            return;
        }
        operand(ctx, sc, e->a, e->b, p, b);
        sm_buf_printf(b, " %s ", op_text(e->op));
        operand(ctx, sc, e->b, e->a, p + 1, b);
        return;
    }
    case SMC_EX_IS_NULL:
        sub(ctx, sc, e->a, prec(e) + 1, b);
        sm_buf_puts(b, e->negated ? " IS NOT NULL" : " IS NULL");
        return;
    case SMC_EX_BETWEEN:
        sub(ctx, sc, e->a, prec(e) + 1, b);
        sm_buf_puts(b, e->negated ? " NOT BETWEEN " : " BETWEEN ");
        operand(ctx, sc, e->b, e->a, prec(e) + 1, b);
        sm_buf_puts(b, " AND ");
        operand(ctx, sc, e->c, e->a, prec(e) + 1, b);
        return;
    case SMC_EX_IN:
        if (e->b) {
            in_list(ctx, sc, e, b);
            return;
        }
        sub(ctx, sc, e->a, prec(e) + 1, b);
        sm_buf_puts(b, e->negated ? " NOT IN (" : " IN (");
        smc_sql_select(ctx, sc, e->sub->sema, 0, b);
        sm_buf_putc(b, ')');
        return;
    case SMC_EX_EXISTS:
        sm_buf_puts(b, "EXISTS (");
        smc_sql_select(ctx, sc, e->sub->sema, 0, b);
        sm_buf_putc(b, ')');
        return;
    case SMC_EX_SUBQUERY:
        sm_buf_putc(b, '(');
        smc_sql_select(ctx, sc, e->sub->sema, 0, b);
        sm_buf_putc(b, ')');
        return;
    }
}
