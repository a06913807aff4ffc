/*
 * emit_expr.c: checked expressions as SQL, for every dialect through the
 * dialect table.  Parentheses follow precedence, so the SQL reads like
 * the source.
 */
#include "emit.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

/* Binding strength, higher binds tighter (SQLite's order). */
/* Writes a unary sign; returns where its operand starts. */
static size_t sign(sm_buf *b, int op)
{
    smc_out_putc(b, op == SMC_OP_NEG ? '-' : '+');
    return b->len;
}

/* An operand written after a sign that itself starts with a sign (- -1,
 * - +x) is set apart by a space: "--" would start an SQL comment. */
static void apart(sm_buf *b, size_t at)
{
    if (at < b->len && (b->data[at] == '-' || b->data[at] == '+')) {
        smc_out_putc(b, ' ');
        memmove(b->data + at + 1, b->data + at, b->len - 1 - at);
        b->data[at] = ' ';
    }
}

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
        smc_out_putc(b, '(');
    smc_sql_expr(ctx, sc, e, b);
    if (paren)
        smc_out_putc(b, ')');
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

/* A numeric literal as written. */
static void number(smc_ctx *ctx, const smc_expr *e, sm_buf *b)
{
    const smc_source *src = ctx->files[e->span.file];
    if (e->kind == SMC_EX_INT)
        smc_out_printf(b, "%lld", (long long)e->ival);
    else
        smc_out_append(b, src->text + e->span.off, e->span.len);
}

/*
 * Decimals on dialects that store them scaled (an integer holding value
 * × 10^scale): the SQL value of every decimal expression carries the
 * scale of its checked type, and `as` converts an operand to what its
 * context needs.  Into a decimal: literals are scaled exactly, integers
 * and smaller scales multiplied up, larger scales divided down.  Into a
 * float: a decimal is divided back.  Elsewhere nothing changes.
 */
static void power10(sm_buf *b, unsigned k, bool real)
{
    smc_out_putc(b, '1');
    for (unsigned i = 0; i < k; i++)
        smc_out_putc(b, '0');
    if (real)
        smc_out_puts(b, ".0");
}

/* A number as written, with any sign in front. */
static bool literal(const smc_expr *e)
{
    while (e->kind == SMC_EX_UNARY && e->op != SMC_OP_NOT)
        e = e->a;
    return e->kind == SMC_EX_INT || e->kind == SMC_EX_FLOAT;
}

bool smc_sql_rescaled(const smc_dialect *d, const smc_type *t, const smc_type *want)
{
    return d->decimal_scaled && (want->base == SMC_B_DECIMAL || want->base == SMC_B_FLOAT) &&
           !(want->base == SMC_B_FLOAT && t->base != SMC_B_DECIMAL) &&
           !(want->base == SMC_B_DECIMAL && !smc_type_is_numeric(t)) &&
           !(t->base == SMC_B_DECIMAL && want->base == SMC_B_DECIMAL && t->scale == want->scale);
}

void smc_sql_rescale(sm_buf *b, const smc_dialect *d, const smc_type *t, const smc_type *want,
                     const char *operand, bool computed)
{
    if (want->base == SMC_B_FLOAT) {
        smc_out_printf(b, "(%s / ", operand);
        power10(b, t->scale, true);
        smc_out_putc(b, ')');
        return;
    }
    /* A float becomes a decimal rounded to its scale, as the other
     * databases store it. */
    bool down = t->base == SMC_B_DECIMAL && t->scale > want->scale;
    unsigned k = t->base == SMC_B_DECIMAL ? (down ? t->scale - want->scale : want->scale - t->scale)
                                          : want->scale;
    sm_buf scaled = SM_BUF_INIT;
    smc_out_printf(&scaled, "(%s%s", operand, down ? " / " : " * ");
    power10(&scaled, k, false);
    smc_out_putc(&scaled, ')');
    const char *pat = t->base == SMC_B_FLOAT && computed && d->scaled_round ? d->scaled_round
                                                                          : "%e";
    while (smc_sql_pattern(b, &pat, "e"))
        smc_out_append(b, scaled.data, scaled.len);
    sm_buf_free(&scaled);
}

/* e as an operand of higher precedence than any operator, in a buffer
 * of its own. */
static char *operand(smc_ctx *ctx, smc_sqlctx *sc, const smc_expr *e)
{
    sm_buf b = SM_BUF_INIT;
    sub(ctx, sc, e, 8, &b);
    char *s = smc_strndup(ctx, b.data ? b.data : "", b.len);
    sm_buf_free(&b);
    return s;
}

static void as(smc_ctx *ctx, smc_sqlctx *sc, const smc_expr *e, const smc_type *want, int min,
               sm_buf *b)
{
    const smc_type *t = &e->type;
    if (!smc_sql_rescaled(sc->d, t, want)) {
        sub(ctx, sc, e, min, b);
        return;
    }
    if (want->base == SMC_B_FLOAT) {
        smc_sql_rescale(b, sc->d, t, want, operand(ctx, sc, e), true);
        return;
    }
    if (literal(e) && e->kind == SMC_EX_UNARY) {
        size_t at = sign(b, e->op);
        as(ctx, sc, e->a, want, 8, b);
        apart(b, at);
        return;
    }
    if (literal(e)) {
        const smc_source *src = ctx->files[e->span.file];
        sm_decimal v;
        if (sm_decimal_parse(src->text + e->span.off, e->span.len, 18, want->scale, &v) ==
            SM_OK) {
            smc_out_printf(b, "%lld", (long long)v);
            return;
        }
    }
    /* More digits than the scale holds, or not a literal: scale in SQL.
     * A literal with extra digits becomes a float, which still compares
     * exactly with the scaled integers. */
    smc_sql_rescale(b, sc->d, t, want, operand(ctx, sc, e), !literal(e));
}

/* The type both sides of a comparison are brought to, or NULL. */
static const smc_type *common(const smc_sqlctx *sc, const smc_expr *a, const smc_expr *b,
                              smc_type *tmp)
{
    const smc_type *x = &a->type, *y = &b->type;
    if (!sc->d->decimal_scaled || (x->base != SMC_B_DECIMAL && y->base != SMC_B_DECIMAL))
        return NULL;
    if ((x->base == SMC_B_FLOAT && !literal(a)) || (y->base == SMC_B_FLOAT && !literal(b))) {
        memset(tmp, 0, sizeof *tmp);
        tmp->base = SMC_B_FLOAT;
        return tmp;
    }
    *tmp = x->base == SMC_B_DECIMAL ? *x : *y;
    if (x->base == SMC_B_DECIMAL && y->base == SMC_B_DECIMAL && y->scale > x->scale)
        tmp->scale = y->scale;
    return tmp;
}

void smc_sql_expr_as(smc_ctx *ctx, smc_sqlctx *sc, const smc_expr *e, const smc_type *want,
                     sm_buf *b)
{
    as(ctx, sc, e, want, 0, b);
}

void smc_sql_bind(smc_sqlctx *sc, unsigned field, const smc_type *t, sm_buf *b)
{
    assert(sc->nparams < sizeof sc->args && field <= UINT8_MAX); /* E0424 */
    sc->args[sc->nparams] = (uint8_t)field;
    smc_sql_param(b, sc->d, ++sc->nparams, t);
}

void smc_sql_list(smc_sqlctx *sc, unsigned field, sm_buf *b)
{
    assert(sc->nparams < sizeof sc->args && field <= UINT8_MAX); /* E0424 */
    sc->args[sc->nparams++] = (uint8_t)field;
    smc_out_putc(b, '\001'); /* expanded by the runtime, one placeholder per element */
}

/* Expands a dialect pattern around one operand (%e). */
static void wrap(smc_ctx *ctx, smc_sqlctx *sc, const char *pat, const smc_expr *e, sm_buf *b)
{
    while (smc_sql_pattern(b, &pat, "e"))
        smc_sql_expr(ctx, sc, e, b);
}

/* a [NOT] IN :list, through the dialect's list form. */
static void in_list(smc_ctx *ctx, smc_sqlctx *sc, const smc_expr *e, sm_buf *b)
{
    if (e->negated)
        smc_out_puts(b, "NOT (");
    unsigned field = e->b->param->field;
    static const smc_type flag = {.base = SMC_B_BOOL};
    const char *p = sc->d->in_list;
    for (char x; (x = smc_sql_pattern(b, &p, "cpfl"));) {
        switch (x) {
        case 'c': smc_sql_expr(ctx, sc, e->a, b); break;
        case 'p': smc_sql_bind(sc, field, &e->b->param->type->type, b); break;
        case 'f': smc_sql_bind(sc, field | SM_ARG_PRESENT, &flag, b); break;
        default: smc_sql_list(sc, field, b); break;
        }
    }
    if (e->negated)
        smc_out_putc(b, ')');
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
            smc_out_putc(b, '(');
        wrap(ctx, sc, sc->d->avg, e->args, b);
        if (scaled) { /* the average of scaled values, scaled back */
            smc_out_puts(b, " / 1");
            for (unsigned k = 0; k < e->args->type.scale; k++)
                smc_out_putc(b, '0');
            smc_out_puts(b, ".0)");
        }
        return;
    }
    if (strcmp(f, "now") == 0) {
        smc_out_puts(b, sc->d->now_default[2]);
        return;
    }
    if (strcmp(f, "uuid") == 0) {
        smc_out_puts(b, sc->d->uuid_default);
        return;
    }
    if (strcmp(f, "length") == 0)
        f = sc->d->length_fn;
    else if (strcmp(f, "count") == 0 && e->nargs == 0) {
        smc_out_puts(b, "count(*)");
        return;
    }
    bool widen = strcmp(f, "coalesce") == 0; /* each argument as the result */
    smc_out_printf(b, "%s(", f);
    for (const smc_expr *a = e->args; a; a = a->next) {
        if (widen)
            as(ctx, sc, a, &e->type, 0, b);
        else
            smc_sql_expr(ctx, sc, a, b);
        if (a->next)
            smc_out_puts(b, ", ");
    }
    smc_out_putc(b, ')');
}

/* a * b of decimals stored scaled: each operand keeps its own scale (an
 * integer is not scaled), and the product's scale, the sum of theirs, is
 * divided down where the checked type caps it. */
static void mul_scaled(smc_ctx *ctx, smc_sqlctx *sc, const smc_expr *e, sm_buf *b)
{
    unsigned have = (e->a->type.base == SMC_B_DECIMAL ? e->a->type.scale : 0) +
                    (e->b->type.base == SMC_B_DECIMAL ? e->b->type.scale : 0);
    bool cap = have > e->type.scale;
    if (cap)
        smc_out_putc(b, '(');
    sub(ctx, sc, e->a, prec(e), b);
    smc_out_puts(b, " * ");
    sub(ctx, sc, e->b, prec(e) + 1, b);
    if (cap) {
        smc_out_puts(b, ") / ");
        power10(b, have - e->type.scale, false);
    }
}

void smc_sql_expr(smc_ctx *ctx, smc_sqlctx *sc, const smc_expr *e, sm_buf *b)
{
    const smc_dialect *d = sc->d;
    switch (e->kind) {
    case SMC_EX_INT:
    case SMC_EX_FLOAT:
        number(ctx, e, b);
        return;
    case SMC_EX_STRING:
        smc_sql_string(b, d, e->sval, e->slen);
        return;
    case SMC_EX_BOOL:
        smc_out_puts(b, e->ival ? d->true_lit : d->false_lit);
        return;
    case SMC_EX_NULL:
        smc_out_puts(b, "NULL");
        return;
    case SMC_EX_NAME:
        if (e->col && e->src && e->src->excluded) {
            sm_buf col = SM_BUF_INIT;
            smc_sql_ident(&col, d, e->col->column);
            for (const char *p = d->excluded; smc_sql_pattern(b, &p, "c");)
                smc_out_append(b, col.data, col.len);
            sm_buf_free(&col);
        } else if (e->col) {
            if (sc->qualify && e->src) {
                smc_sql_ident(b, d, e->src->model->table);
                smc_out_putc(b, '.');
            }
            smc_sql_ident(b, d, e->col->column);
        } else { /* an enum member */
            smc_sql_string(b, d, e->name.s, strlen(e->name.s));
        }
        return;
    case SMC_EX_PARAM:
        smc_sql_bind(sc, e->param->field, &e->param->type->type, b);
        return;
    case SMC_EX_CALL:
        call(ctx, sc, e, b);
        return;
    case SMC_EX_UNARY:
        if (e->op == SMC_OP_NOT) {
            smc_out_puts(b, "NOT ");
            sub(ctx, sc, e->a, prec(e), b);
        } else {
            size_t at = sign(b, e->op);
            sub(ctx, sc, e->a, prec(e) + 1, b);
            apart(b, at);
        }
        return;
    case SMC_EX_BINARY: {
        int p = prec(e);
        if (e->op == SMC_OP_LIKE) {
            sub(ctx, sc, e->a, p + 1, b);
            smc_out_puts(b, e->negated ? " NOT LIKE " : " LIKE ");
            sub(ctx, sc, e->b, p + 1, b);
            smc_out_puts(b, d->like_escape);
            return;
        }
        if (e->op == SMC_OP_DIV) {
            /* Division is float division in smdl on every dialect. */
            for (const char *q = d->float_cast; smc_sql_pattern(b, &q, "e");)
                as(ctx, sc, e->a, &e->type, 0, b);
            smc_out_puts(b, " / ");
            as(ctx, sc, e->b, &e->type, p + 1, b);
            return;
        }
        smc_type tmp;
        const smc_type *want = e->op >= SMC_OP_EQ && e->op <= SMC_OP_GE ? common(sc, e->a, e->b, &tmp)
                             : &e->type;
        if (e->op == SMC_OP_MUL && e->type.base == SMC_B_DECIMAL && d->decimal_scaled) {
            mul_scaled(ctx, sc, e, b);
            return;
        }
        if (!want) {
            sub(ctx, sc, e->a, p, b);
            smc_out_printf(b, " %s ", op_text(e->op));
            sub(ctx, sc, e->b, p + 1, b);
            return;
        }
        as(ctx, sc, e->a, want, p, b);
        smc_out_printf(b, " %s ", op_text(e->op));
        as(ctx, sc, e->b, want, p + 1, b);
        return;
    }
    case SMC_EX_IS_NULL:
        sub(ctx, sc, e->a, prec(e) + 1, b);
        smc_out_puts(b, e->negated ? " IS NOT NULL" : " IS NULL");
        return;
    case SMC_EX_BETWEEN: {
        smc_type t1, t2;
        const smc_type *lo = common(sc, e->a, e->b, &t1), *hi = common(sc, e->a, e->c, &t2);
        /* One type for all three: the float or the larger scale. */
        const smc_type *want = lo && hi ? (lo->base == SMC_B_FLOAT || hi->scale < lo->scale ? lo : hi)
                                        : lo ? lo : hi;
        if (want)
            as(ctx, sc, e->a, want, prec(e) + 1, b);
        else
            sub(ctx, sc, e->a, prec(e) + 1, b);
        smc_out_puts(b, e->negated ? " NOT BETWEEN " : " BETWEEN ");
        if (want)
            as(ctx, sc, e->b, want, prec(e) + 1, b);
        else
            sub(ctx, sc, e->b, prec(e) + 1, b);
        smc_out_puts(b, " AND ");
        if (want)
            as(ctx, sc, e->c, want, prec(e) + 1, b);
        else
            sub(ctx, sc, e->c, prec(e) + 1, b);
        return;
    }
    case SMC_EX_IN:
        if (e->b) {
            in_list(ctx, sc, e, b);
            return;
        }
        sub(ctx, sc, e->a, prec(e) + 1, b);
        smc_out_puts(b, e->negated ? " NOT IN (" : " IN (");
        smc_sql_select(ctx, sc, e->sub->sema, 0, b);
        smc_out_putc(b, ')');
        return;
    case SMC_EX_EXISTS:
        smc_out_puts(b, "EXISTS (");
        smc_sql_select(ctx, sc, e->sub->sema, 0, b);
        smc_out_putc(b, ')');
        return;
    case SMC_EX_SUBQUERY:
        smc_out_putc(b, '(');
        smc_sql_select(ctx, sc, e->sub->sema, 0, b);
        smc_out_putc(b, ')');
        return;
    }
}
