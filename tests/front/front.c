/*
 * front.c: the fixture, parse helpers and AST printers of front.h.
 */
#include "front.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int fx_setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    *state = f;
    return 0;
}

int fx_teardown(void **state)
{
    fx *f = *state;
    if (f->live)
        smc_ctx_free(&f->ctx);
    sm_buf_free(&f->diags);
    sm_buf_free(&f->scratch);
    free(f);
    return 0;
}

smc_file *fx_parse_n(fx *f, const char *text, size_t len)
{
    if (f->live)
        smc_ctx_free(&f->ctx);
    smc_ctx_init(&f->ctx);
    f->live = true;
    sm_buf_reset(&f->diags);
    int id = smc_source_add(&f->ctx, "t.smdl", text, len);
    assert_int_equal(id, 0);
    smc_file *file = smc_parse_file(&f->ctx, (uint32_t)id);
    smc_diag_render_text(&f->ctx, &f->diags);
    if (!f->diags.data)
        sm_buf_puts(&f->diags, "");
    /* The parser's contract: a file is returned, marked parse_errors
     * exactly when errors were reported, or NULL after an error. */
    if (file)
        assert_int_equal(file->parse_errors, f->ctx.nerrors > 0);
    else
        assert_true(f->ctx.nerrors > 0);
    f->file = file;
    return file && !file->parse_errors ? file : NULL;
}

smc_file *fx_parse(fx *f, const char *text)
{
    return fx_parse_n(f, text, strlen(text));
}

smc_file *fx_parse_ok(fx *f, const char *text)
{
    smc_file *file = fx_parse(f, text);
    if (!file)
        fail_msg("unexpected diagnostics for:\n%s\n---\n%s", text, f->diags.data);
    return file;
}

const char *fx_parse_fail(fx *f, const char *text)
{
    smc_file *file = fx_parse(f, text);
    if (file)
        fail_msg("expected an error for:\n%s", text);
    return f->diags.data;
}

const char *fx_text(fx *f, smc_span s)
{
    assert_true(s.file < f->ctx.nfiles);
    const smc_source *src = f->ctx.files[s.file];
    assert_true(s.off <= src->len && s.len <= src->len - s.off);
    return smc_strndup(&f->ctx, src->text + s.off, s.len);
}

smc_decl *fx_decl(smc_file *file, int i)
{
    assert_non_null(file);
    smc_decl *d = file->decls;
    for (int k = 0; k < i && d; k++)
        d = d->next;
    assert_non_null(d);
    return d;
}

smc_field *fx_field(smc_decl *d, int i)
{
    smc_field *fl = d->fields;
    for (int k = 0; k < i && fl; k++)
        fl = fl->next;
    assert_non_null(fl);
    return fl;
}

smc_attr *fx_attr(smc_attr *list, const char *name)
{
    for (smc_attr *a = list; a; a = a->next)
        if (strcmp(a->name.s, name) == 0)
            return a;
    return NULL;
}

smc_expr *fx_where(fx *f, const char *cond)
{
    sm_buf src = SM_BUF_INIT;
    sm_buf_printf(&src, "module m;\nquery q() -> [T] { select T where %s }\n", cond);
    smc_file *file = fx_parse(f, src.data);
    if (!file)
        fail_msg("unexpected diagnostics for:\n%s\n---\n%s", src.data, f->diags.data);
    sm_buf_free(&src);
    smc_stmt *st = fx_stmt(file, "q");
    assert_int_equal(st->kind, SMC_S_SELECT);
    assert_non_null(st->select->where);
    return st->select->where;
}

smc_stmt *fx_stmt(smc_file *file, const char *query)
{
    for (smc_decl *d = file->decls; d; d = d->next)
        if (d->kind == SMC_D_QUERY && strcmp(d->name.s, query) == 0) {
            assert_non_null(d->query->stmt);
            return d->query->stmt;
        }
    fail_msg("no query '%s'", query);
    return NULL;
}

/* ---- Printers ------------------------------------------------------------- */

static const char *op_name(int op, bool negated)
{
    switch (op) {
    case SMC_OP_OR: return "or";
    case SMC_OP_AND: return "and";
    case SMC_OP_NOT: return "not";
    case SMC_OP_EQ: return "==";
    case SMC_OP_NE: return "!=";
    case SMC_OP_LT: return "<";
    case SMC_OP_LE: return "<=";
    case SMC_OP_GT: return ">";
    case SMC_OP_GE: return ">=";
    case SMC_OP_LIKE: return negated ? "not-like" : "like";
    case SMC_OP_ADD: return "+";
    case SMC_OP_SUB: return "-";
    case SMC_OP_MUL: return "*";
    case SMC_OP_DIV: return "/";
    case SMC_OP_NEG: return "neg";
    case SMC_OP_PLUS: return "pos";
    default: return "?op";
    }
}

static void put_str(sm_buf *b, const char *s, size_t n)
{
    sm_buf_putc(b, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\')
            sm_buf_printf(b, "\\%c", c);
        else if (c < 0x20 || c >= 0x7f)
            sm_buf_printf(b, "\\x%02x", c);
        else
            sm_buf_putc(b, (char)c);
    }
    sm_buf_putc(b, '"');
}

/* Selects print as their shape only; tests look inside them directly. */
static void put_select(sm_buf *b, const smc_select *s)
{
    sm_buf_puts(b, "(select");
    if (s->from.s)
        sm_buf_printf(b, " from %s", s->from.s);
    else if (s->items && s->items->expr->kind == SMC_EX_NAME)
        sm_buf_printf(b, " %s", s->items->expr->name.s);
    sm_buf_putc(b, ')');
}

static void put_expr(sm_buf *b, const smc_expr *e)
{
    switch (e->kind) {
    case SMC_EX_INT:
        sm_buf_printf(b, "%lld", (long long)e->ival);
        break;
    case SMC_EX_FLOAT:
        sm_buf_printf(b, "%.17g", e->fval);
        break;
    case SMC_EX_STRING:
        put_str(b, e->sval, e->slen);
        break;
    case SMC_EX_BOOL:
        sm_buf_puts(b, e->ival ? "true" : "false");
        break;
    case SMC_EX_NULL:
        sm_buf_puts(b, "null");
        break;
    case SMC_EX_DURATION:
        sm_buf_printf(b, "%lldms", (long long)e->ival);
        break;
    case SMC_EX_NAME:
        if (e->qual.s)
            sm_buf_printf(b, "%s.", e->qual.s);
        sm_buf_puts(b, e->name.s);
        break;
    case SMC_EX_PARAM:
        sm_buf_printf(b, ":%s%s", e->name.s, e->optional ? "?" : "");
        break;
    case SMC_EX_CALL: /* f(a, b) */
        sm_buf_printf(b, "%s(", e->name.s);
        for (const smc_expr *a = e->args; a; a = a->next) {
            put_expr(b, a);
            if (a->next)
                sm_buf_puts(b, ", ");
        }
        sm_buf_putc(b, ')');
        break;
    case SMC_EX_UNARY:
        sm_buf_printf(b, "(%s ", op_name(e->op, false));
        put_expr(b, e->a);
        sm_buf_putc(b, ')');
        break;
    case SMC_EX_BINARY:
        sm_buf_printf(b, "(%s ", op_name(e->op, e->negated));
        put_expr(b, e->a);
        sm_buf_putc(b, ' ');
        put_expr(b, e->b);
        sm_buf_putc(b, ')');
        break;
    case SMC_EX_IS_NULL:
        sm_buf_puts(b, e->negated ? "(is-not-null " : "(is-null ");
        put_expr(b, e->a);
        sm_buf_putc(b, ')');
        break;
    case SMC_EX_BETWEEN:
        sm_buf_puts(b, e->negated ? "(not-between " : "(between ");
        put_expr(b, e->a);
        sm_buf_putc(b, ' ');
        put_expr(b, e->b);
        sm_buf_putc(b, ' ');
        put_expr(b, e->c);
        sm_buf_putc(b, ')');
        break;
    case SMC_EX_IN:
        sm_buf_puts(b, e->negated ? "(not-in " : "(in ");
        put_expr(b, e->a);
        sm_buf_putc(b, ' ');
        if (e->sub)
            put_select(b, e->sub);
        else
            put_expr(b, e->b);
        sm_buf_putc(b, ')');
        break;
    case SMC_EX_EXISTS:
        sm_buf_puts(b, "(exists ");
        put_select(b, e->sub);
        sm_buf_putc(b, ')');
        break;
    case SMC_EX_SUBQUERY:
        put_select(b, e->sub);
        break;
    default:
        sm_buf_puts(b, "?expr");
        break;
    }
}

static const char *keep(fx *f)
{
    const char *s = smc_strndup(&f->ctx, f->scratch.data ? f->scratch.data : "",
                                f->scratch.len);
    sm_buf_reset(&f->scratch);
    return s;
}

const char *fx_sexp(fx *f, const smc_expr *e)
{
    assert_non_null(e);
    put_expr(&f->scratch, e);
    return keep(f);
}

const char *fx_idents(fx *f, const smc_ident *list)
{
    for (const smc_ident *i = list; i; i = i->next)
        sm_buf_printf(&f->scratch, "%s%s", i == list ? "" : " ", i->name.s);
    return keep(f);
}

size_t fx_lex(const char *text, size_t len, int *codes, smc_token *toks, size_t max,
              smc_lexer *lx)
{
    char *copy = malloc(len + 1);
    assert_non_null(copy);
    memcpy(copy, text, len);
    copy[len] = 0;
    smc_lex_init(lx, copy, (uint32_t)len);
    size_t n = 0;
    for (;;) {
        smc_token tok;
        int code = smc_lex(lx, &tok);
        assert_true(n < max);
        codes[n] = code;
        toks[n] = tok;
        n++;
        if (code == SMC_LEX_EOF || code == SMC_LEX_ERROR)
            break;
    }
    free(copy);
    return n;
}
