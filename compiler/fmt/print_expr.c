/*
 * print_expr.c: expressions and statements.  Parentheses are printed where
 * they were written (the tree records them), so the printed text parses to
 * the same tree.  Literals are copied from the source, which re-lexes to
 * the same token; without a source (canonical text, snapshot) they are
 * written by value.
 */
#include "print_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

uint32_t smc_span_end(smc_span s)
{
    return s.off + s.len;
}

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

void smc_pr_name(smc_printer *pr, smc_name n)
{
    if (!n.s)
        return;
    if (pr->text)
        smc_pr_at(pr, n.span.off);
    smc_pr_put(pr, n.s);
}

/* ---- Literals ---------------------------------------------------------------- */

/* A string by value, with the escapes of the language. */
static void string_value(smc_printer *pr, const char *s, size_t n)
{
    smc_pr_put(pr, "\"");
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
        smc_pr_put(pr, t);
    }
    smc_pr_put(pr, "\"");
}

/* The shortest text that reads back as v, always with a '.' or an
 * exponent so that it lexes as a number with a fraction. */
static void float_value(smc_printer *pr, double v)
{
    char t[48];
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(t, sizeof t, "%.*g", prec, v);
        if (strtod(t, NULL) == v)
            break;
    }
    if (!strpbrk(t, ".eEn")) /* n: nan and inf never reach here (the lexer) */
        strcat(t, ".0");
    smc_pr_put(pr, t);
}

void smc_pr_expr_string(smc_printer *pr, const char *s)
{
    string_value(pr, s, strlen(s));
}

static void literal_value(smc_printer *pr, const smc_expr *e)
{
    char t[40];
    switch (e->kind) {
    case SMC_EX_INT:
        snprintf(t, sizeof t, "%lld", (long long)e->ival);
        smc_pr_put(pr, t);
        break;
    case SMC_EX_FLOAT: float_value(pr, e->fval); break;
    case SMC_EX_DURATION:
        snprintf(t, sizeof t, "%lldms", (long long)e->ival);
        smc_pr_put(pr, t);
        break;
    case SMC_EX_STRING: string_value(pr, e->sval, e->slen); break;
    default: break;
    }
}

/* A literal as written: its '-' signs (folded into it by the parser) and
 * its token; a string's adjacent pieces each on a line of its own,
 * aligned under the first. */
static void literal_source(smc_printer *pr, const smc_expr *e)
{
    uint32_t end = smc_span_end(e->span);
    size_t hang = 0;
    bool first = true;
    for (size_t i = smc_pr_tok_at(pr, e->span.off); i < pr->ntoks && pr->toks[i].off < end; i++) {
        const char *s = pr->text + pr->toks[i].off;
        size_t n = pr->toks[i].end - pr->toks[i].off;
        if (n == 1 && (*s == '(' || *s == ')'))
            continue; /* the parentheses of e itself, printed by the caller */
        smc_pr_at(pr, pr->toks[i].off);
        if (e->kind == SMC_EX_STRING && !first && !pr->bol) {
            int cont = pr->cont;
            smc_pr_nl(pr);
            pr->cont = cont;
        }
        if (first && e->kind == SMC_EX_STRING) {
            if (pr->bol)
                hang = (size_t)(pr->indent + pr->cont) * 4;
            else
                hang = pr->col;
        }
        size_t saved = pr->hang;
        if (!first)
            pr->hang = hang;
        smc_pr_putn(pr, s, n);
        pr->hang = saved;
        if (*s != '-')
            first = false;
    }
}

static void print_select(smc_printer *pr, const smc_select *s, bool broken);

/* Does e print starting with a sign? */
static bool signed_start(const smc_printer *pr, const smc_expr *e)
{
    if (e->parens)
        return false;
    switch (e->kind) {
    case SMC_EX_UNARY: return e->op == SMC_OP_NEG || e->op == SMC_OP_PLUS;
    case SMC_EX_INT: return e->op == SMC_OP_NEG || e->ival < 0;
    case SMC_EX_FLOAT: return pr->text ? pr->text[e->span.off] == '-' : signbit(e->fval);
    default: return false;
    }
}

void smc_pr_exprs(smc_printer *pr, const smc_expr *list)
{
    for (const smc_expr *a = list; a; a = a->next) {
        smc_pr_expr(pr, a);
        if (a->next)
            smc_pr_put(pr, ", ");
    }
}

void smc_pr_idents(smc_printer *pr, const smc_ident *list)
{
    for (const smc_ident *id = list; id; id = id->next) {
        if (id->nparts == 0) {
            smc_pr_name(pr, id->name);
        } else {
            for (uint32_t k = 0; k < id->nparts; k++) {
                if (k)
                    smc_pr_put(pr, ".");
                smc_pr_name(pr, id->parts[k]);
            }
        }
        if (id->next)
            smc_pr_put(pr, ", ");
    }
}

/* Expressions are as deep as the parser allows (a bounded depth). */
void smc_pr_expr(smc_printer *pr, const smc_expr *e)
{
    if (pr->text)
        smc_pr_at(pr, e->span.off);
    if (e->parens)
        smc_pr_put(pr, "(");
    switch (e->kind) {
    case SMC_EX_INT:
    case SMC_EX_FLOAT:
    case SMC_EX_DURATION:
    case SMC_EX_STRING:
        if (pr->text)
            literal_source(pr, e);
        else
            literal_value(pr, e);
        break;
    case SMC_EX_BOOL: smc_pr_put(pr, e->ival ? "true" : "false"); break;
    case SMC_EX_NULL: smc_pr_put(pr, "null"); break;
    case SMC_EX_NAME:
        if (e->qual.s) {
            smc_pr_name(pr, e->qual);
            smc_pr_put(pr, ".");
        }
        smc_pr_name(pr, e->name);
        break;
    case SMC_EX_PARAM:
        smc_pr_put(pr, ":");
        smc_pr_name(pr, e->name);
        if (e->optional)
            smc_pr_put(pr, "?");
        break;
    case SMC_EX_CALL:
        smc_pr_name(pr, e->name);
        smc_pr_put(pr, "(");
        smc_pr_exprs(pr, e->args);
        smc_pr_put(pr, ")");
        break;
    case SMC_EX_UNARY:
        smc_pr_put(pr, op_text(e->op));
        if (e->op == SMC_OP_NOT || signed_start(pr, e->a))
            smc_pr_put(pr, " "); /* `- -x`: `--` would be one token to a reader */
        smc_pr_expr(pr, e->a);
        break;
    case SMC_EX_BINARY:
        smc_pr_expr(pr, e->a);
        smc_pr_put(pr, e->negated ? " not " : " ");
        smc_pr_put(pr, op_text(e->op));
        smc_pr_put(pr, " ");
        smc_pr_expr(pr, e->b);
        break;
    case SMC_EX_IS_NULL:
        smc_pr_expr(pr, e->a);
        smc_pr_put(pr, e->negated ? " is not null" : " is null");
        break;
    case SMC_EX_BETWEEN:
        smc_pr_expr(pr, e->a);
        smc_pr_put(pr, e->negated ? " not between " : " between ");
        smc_pr_expr(pr, e->b);
        smc_pr_put(pr, " and ");
        smc_pr_expr(pr, e->c);
        break;
    case SMC_EX_IN:
        smc_pr_expr(pr, e->a);
        smc_pr_put(pr, e->negated ? " not in " : " in ");
        if (e->sub) {
            smc_pr_put(pr, "(");
            print_select(pr, e->sub, false);
            smc_pr_put(pr, ")");
        } else {
            smc_pr_expr(pr, e->b);
        }
        break;
    case SMC_EX_EXISTS:
        smc_pr_put(pr, "exists (");
        print_select(pr, e->sub, false);
        smc_pr_put(pr, ")");
        break;
    case SMC_EX_SUBQUERY:
        smc_pr_put(pr, "(");
        print_select(pr, e->sub, false);
        smc_pr_put(pr, ")");
        break;
    default: break;
    }
    if (e->parens)
        smc_pr_put(pr, ")");
}

/* ---- Statements ---------------------------------------------------------------- */

/* Starts a clause whose keyword is at kw: a space on one line; broken, a
 * line of its own (the comments before it on lines of their own). */
static void clause(smc_printer *pr, bool broken, uint32_t kw)
{
    if (!broken || !pr->text) {
        if (broken)
            smc_pr_nl(pr);
        else
            smc_pr_space(pr);
        return;
    }
    size_t i = smc_pr_tok_at(pr, kw);
    if (i > 0)
        smc_pr_trail(pr, pr->toks[i - 1].end);
    smc_pr_nl(pr);
    while (pr->next && pr->next->span.off < kw) {
        const smc_comment *c = pr->next;
        pr->next = c->next;
        smc_pr_comment(pr, c);
        smc_pr_nl(pr);
    }
}

static uint32_t kw_before(const smc_printer *pr, uint32_t off, int n)
{
    if (!pr->text)
        return off;
    while (n-- > 0)
        off = smc_pr_tok_before(pr, off);
    return off;
}

/* A comma list of a clause: on a broken statement, an item that would
 * pass the width starts a new line under the first item. */
typedef void (*item_fn)(smc_printer *pr, const void *item);

static void list_item(smc_printer *pr, bool broken, size_t hang, bool first, item_fn fn,
                      const void *item, uint32_t end)
{
    if (!first)
        smc_pr_put(pr, ", ");
    if (!broken || first || smc_pr_comment_before(pr, end)) {
        fn(pr, item);
        return;
    }
    size_t mark = smc_pr_mark(pr);
    fn(pr, item);
    if (pr->col <= SMC_PRINT_WIDTH || memchr(pr->out->data + mark, '\n', pr->out->len - mark))
        return;
    smc_pr_undo(pr, mark);
    int cont = pr->cont;
    smc_pr_nl(pr);
    pr->cont = cont;
    pr->hang = hang;
    fn(pr, item);
    pr->hang = 0;
}

static void selitem(smc_printer *pr, const void *item)
{
    const smc_selitem *it = item;
    smc_pr_expr(pr, it->expr);
    if (it->alias.s) {
        smc_pr_put(pr, " as ");
        smc_pr_name(pr, it->alias);
    }
}

static void selitems(smc_printer *pr, const smc_selitem *it, bool broken)
{
    size_t hang = pr->col;
    for (const smc_selitem *f = it; it; it = it->next)
        list_item(pr, broken, hang, it == f, selitem, it, smc_span_end(it->span));
}

static void expr_item(smc_printer *pr, const void *item)
{
    smc_pr_expr(pr, item);
}

static void expr_list(smc_printer *pr, const smc_expr *e, bool broken)
{
    size_t hang = pr->col;
    for (const smc_expr *f = e; e; e = e->next)
        list_item(pr, broken, hang, e == f, expr_item, e, smc_span_end(e->span));
}

static void order_item(smc_printer *pr, const void *item)
{
    const smc_order *o = item;
    smc_pr_expr(pr, o->expr);
    if (o->dir_param.s) {
        smc_pr_put(pr, " :");
        smc_name n = o->dir_param; /* its span starts at the ':' */
        n.span.off = smc_span_end(n.span) - (uint32_t)strlen(n.s);
        smc_pr_name(pr, n);
    } else if (o->dir) {
        smc_pr_put(pr, o->dir == SMC_ORDER_ASC ? " asc" : " desc");
    }
    if (o->nulls)
        smc_pr_put(pr, o->nulls == SMC_NULLS_FIRST ? " nulls first" : " nulls last");
}

static void print_select(smc_printer *pr, const smc_select *s, bool broken)
{
    if (pr->text)
        smc_pr_at(pr, s->span.off);
    smc_pr_put(pr, s->distinct ? "select distinct " : "select ");
    selitems(pr, s->items, broken);
    if (s->from.s) {
        clause(pr, broken, kw_before(pr, s->from.span.off, 1));
        smc_pr_put(pr, "from ");
        smc_pr_name(pr, s->from);
    }
    for (const smc_join *j = s->joins; j; j = j->next) {
        clause(pr, broken, j->span.off);
        smc_pr_put(pr, j->left ? "left join " : "join ");
        smc_pr_name(pr, j->model);
        if (j->on) {
            smc_pr_put(pr, " on ");
            smc_pr_expr(pr, j->on);
        }
    }
    if (s->where) {
        clause(pr, broken, kw_before(pr, s->where->span.off, 1));
        smc_pr_put(pr, "where ");
        smc_pr_expr(pr, s->where);
    }
    if (s->group_by) {
        clause(pr, broken, kw_before(pr, s->group_by->span.off, 2));
        smc_pr_put(pr, "group by ");
        expr_list(pr, s->group_by, broken);
    }
    if (s->having) {
        clause(pr, broken, kw_before(pr, s->having->span.off, 1));
        smc_pr_put(pr, "having ");
        smc_pr_expr(pr, s->having);
    }
    if (s->order) {
        clause(pr, broken, kw_before(pr, s->order->span.off, 2));
        smc_pr_put(pr, "order by ");
        size_t hang = pr->col;
        for (const smc_order *o = s->order; o; o = o->next)
            list_item(pr, broken, hang, o == s->order, order_item, o, smc_span_end(o->span));
    }
    if (s->limit) {
        clause(pr, broken, kw_before(pr, s->limit->span.off, 1));
        smc_pr_put(pr, "limit ");
        smc_pr_expr(pr, s->limit);
        if (s->offset) {
            smc_pr_put(pr, " offset ");
            smc_pr_expr(pr, s->offset);
        }
    } else if (s->offset) {
        clause(pr, broken, kw_before(pr, s->offset->span.off, 1));
        smc_pr_put(pr, "offset ");
        smc_pr_expr(pr, s->offset);
    }
    if (s->lock)
        smc_pr_put(pr, s->lock == SMC_LOCK_UPDATE ? " for update" : " for share");
}

static void set_item(smc_printer *pr, const void *item)
{
    const smc_set *st = item;
    smc_pr_name(pr, st->col);
    smc_pr_put(pr, " = ");
    smc_pr_expr(pr, st->value);
}

static void sets(smc_printer *pr, const smc_set *st, bool broken)
{
    size_t hang = pr->col;
    for (const smc_set *f = st; st; st = st->next)
        list_item(pr, broken, hang, st == f, set_item, st, smc_span_end(st->span));
}

static void where_returning(smc_printer *pr, const smc_stmt *s, bool broken)
{
    if (s->where) {
        clause(pr, broken, kw_before(pr, s->where->span.off, 1));
        smc_pr_put(pr, "where ");
        smc_pr_expr(pr, s->where);
    }
    if (s->returning) {
        clause(pr, broken, kw_before(pr, s->returning->span.off, 1));
        smc_pr_put(pr, "returning ");
        selitems(pr, s->returning, broken);
    }
}

static void print_stmt(smc_printer *pr, const smc_stmt *s, bool broken)
{
    switch (s->kind) {
    case SMC_S_SELECT: print_select(pr, s->select, broken); break;
    case SMC_S_INSERT:
        if (pr->text)
            smc_pr_at(pr, s->span.off);
        smc_pr_put(pr, "insert ");
        smc_pr_name(pr, s->target);
        smc_pr_put(pr, " (");
        smc_pr_idents(pr, s->cols);
        smc_pr_put(pr, ") values (");
        expr_list(pr, s->values, broken);
        smc_pr_put(pr, ")");
        if (s->conflict) {
            clause(pr, broken, s->conflict->span.off);
            smc_pr_put(pr, "on conflict (");
            smc_pr_idents(pr, s->conflict->cols);
            if (s->conflict->do_nothing) {
                smc_pr_put(pr, ") do nothing");
            } else {
                smc_pr_put(pr, ") do update set ");
                sets(pr, s->conflict->sets, broken);
            }
        }
        where_returning(pr, s, broken);
        break;
    case SMC_S_UPDATE:
        if (pr->text)
            smc_pr_at(pr, s->span.off);
        smc_pr_put(pr, "update ");
        smc_pr_name(pr, s->target);
        smc_pr_put(pr, " set ");
        sets(pr, s->sets, broken);
        where_returning(pr, s, broken);
        break;
    case SMC_S_DELETE:
        if (pr->text)
            smc_pr_at(pr, s->span.off);
        smc_pr_put(pr, "delete ");
        smc_pr_name(pr, s->target);
        where_returning(pr, s, broken);
        break;
    default: break;
    }
}

void smc_pr_stmt_line(smc_printer *pr, const smc_stmt *s)
{
    print_stmt(pr, s, false);
}

void smc_pr_stmt(smc_printer *pr, const smc_stmt *s)
{
    if (!smc_pr_comment_before(pr, smc_span_end(s->span))) {
        size_t mark = smc_pr_mark(pr);
        print_stmt(pr, s, false);
        if (pr->col <= SMC_PRINT_WIDTH && !memchr(pr->out->data + mark, '\n', pr->out->len - mark))
            return;
        smc_pr_undo(pr, mark);
    }
    print_stmt(pr, s, true);
}

const char *smc_print_expr_text(smc_ctx *ctx, const smc_expr *e)
{
    sm_buf b = SM_BUF_INIT;
    smc_printer pr;
    smc_pr_init(&pr, ctx, &b, NULL);
    smc_pr_expr(&pr, e);
    if (pr.rc != SM_OK) {
        sm_buf_free(&b);
        smc_out_of_memory(ctx);
    }
    const char *s = smc_strndup(ctx, b.data ? b.data : "", b.len);
    sm_buf_free(&b);
    return s;
}
