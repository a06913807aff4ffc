/*
 * print_decl.c: declarations and the file.  A model's members go one to a
 * line; an enum and a query stay on one line when they fit and hold no
 * comment; the blank lines of the source between items are kept, at most
 * one in a row.
 */
#include "print_int.h"

#include <stdio.h>
#include <string.h>

/* A string given by its source span (an import's path) or by value. */
static void string_at(smc_printer *pr, smc_span span, const char *s)
{
    smc_expr e;
    memset(&e, 0, sizeof e);
    e.kind = SMC_EX_STRING;
    e.span = span;
    e.sval = s;
    e.slen = s ? strlen(s) : 0;
    smc_pr_expr(pr, &e);
}

static void attr(smc_printer *pr, const smc_attr *a);

/* Attributes in the order written; one that would pass the width starts
 * a new line, one level deeper. */
void smc_pr_attrs(smc_printer *pr, const smc_attr *a)
{
    for (; a; a = a->next) {
        size_t mark = smc_pr_mark(pr);
        bool quiet = !smc_pr_comment_before(pr, smc_span_end(a->span));
        smc_pr_put(pr, " ");
        attr(pr, a);
        if (!quiet || pr->col <= SMC_PRINT_WIDTH ||
            memchr(pr->out->data + mark, '\n', pr->out->len - mark))
            continue;
        smc_pr_undo(pr, mark);
        int cont = pr->cont;
        smc_pr_nl(pr);
        pr->cont = cont ? cont : 1;
        attr(pr, a);
    }
}

static void attr(smc_printer *pr, const smc_attr *a)
{
    if (pr->text)
        smc_pr_at(pr, a->span.off - 1); /* the span starts after '@' */
    smc_pr_put(pr, "@");
    smc_pr_put(pr, a->name.s);
    if (!a->has_parens)
        return;
    smc_pr_put(pr, "(");
    for (const smc_arg *g = a->args; g; g = g->next) {
        if (g->label.s) {
            smc_pr_name(pr, g->label);
            smc_pr_put(pr, ": ");
        }
        smc_pr_expr(pr, g->value);
        if (g->next)
            smc_pr_put(pr, ", ");
    }
    smc_pr_put(pr, ")");
}

void smc_pr_typeref(smc_printer *pr, const smc_typeref *t)
{
    if (pr->text)
        smc_pr_at(pr, t->span.off);
    if (t->list) {
        smc_pr_put(pr, "[");
        smc_pr_name(pr, t->name);
        smc_pr_put(pr, "]");
        return;
    }
    smc_pr_name(pr, t->name);
    if (t->has_args) {
        smc_pr_put(pr, "(");
        for (const smc_targ *a = t->args; a; a = a->next) {
            if (a->is_int && pr->text) {
                smc_pr_at(pr, a->span.off);
                smc_pr_putn(pr, pr->text + a->span.off, a->span.len);
            } else if (a->is_int) {
                char n[24];
                snprintf(n, sizeof n, "%lld", (long long)a->ival);
                smc_pr_put(pr, n);
            } else {
                smc_pr_name(pr, a->name);
            }
            if (a->next)
                smc_pr_put(pr, ", ");
        }
        smc_pr_put(pr, ")");
    }
    if (t->nullable)
        smc_pr_put(pr, "?");
}

/* ---- Model bodies ----------------------------------------------------------------- */

static void field(smc_printer *pr, const smc_field *f)
{
    smc_pr_name(pr, f->name);
    smc_pr_put(pr, ": ");
    smc_pr_typeref(pr, f->type);
    smc_pr_attrs(pr, f->attrs);
    if (f->deflt) {
        smc_pr_put(pr, " = ");
        smc_pr_expr(pr, f->deflt);
    }
    smc_pr_put(pr, ";");
}

static void constraint(smc_printer *pr, const smc_constraint *c)
{
    static const char *const kw[] = {
        [SMC_C_INDEX] = "index (", [SMC_C_UNIQUE] = "unique (",
        [SMC_C_CHECK] = "check (", [SMC_C_PRIMARY_KEY] = "primary key (",
    };
    smc_pr_put(pr, kw[c->kind]);
    if (c->kind == SMC_C_CHECK)
        smc_pr_expr(pr, c->check);
    else
        smc_pr_idents(pr, c->cols);
    smc_pr_put(pr, ");");
}

/* Opens a block after its '{' at source offset lbrace_end. */
static void open_block(smc_printer *pr, uint32_t lbrace_end)
{
    smc_pr_put(pr, " {");
    smc_pr_trail(pr, lbrace_end);
    smc_pr_nl(pr);
    pr->indent++;
    pr->fresh = true;
}

/* Closes a block whose '}' is at source offset rbrace. */
static void close_block(smc_printer *pr, uint32_t rbrace)
{
    if (pr->text)
        smc_pr_lead(pr, rbrace, false);
    pr->indent--;
    pr->fresh = false;
    smc_pr_put(pr, "}");
}

static void body(smc_printer *pr, const smc_decl *d)
{
    uint32_t lb = d->body_span.off, rb = smc_span_end(d->body_span) - 1;
    if (!d->items && !smc_pr_comment_before(pr, rb)) {
        smc_pr_put(pr, " {}");
        return;
    }
    open_block(pr, lb + 1);
    for (const smc_item *it = d->items; it; it = it->next) {
        smc_span sp = it->field ? it->field->span : it->constraint->span;
        smc_pr_lead(pr, sp.off, true);
        if (it->field)
            field(pr, it->field);
        else
            constraint(pr, it->constraint);
        smc_pr_trail(pr, smc_span_end(sp));
        smc_pr_nl(pr);
    }
    close_block(pr, rb);
}

static void bases(smc_printer *pr, const smc_ident *b)
{
    if (!b)
        return;
    smc_pr_put(pr, " : ");
    smc_pr_idents(pr, b);
}

/* ---- Enums ---------------------------------------------------------------------------- */

static uint32_t member_end(const smc_member *m)
{
    uint32_t end = smc_span_end(m->name.span);
    for (const smc_attr *a = m->attrs; a; a = a->next)
        end = smc_span_end(a->span);
    return end;
}

static void member(smc_printer *pr, const smc_member *m)
{
    smc_pr_name(pr, m->name);
    smc_pr_attrs(pr, m->attrs);
}

static void enum_decl(smc_printer *pr, const smc_decl *d)
{
    uint32_t end = smc_span_end(d->span);
    if (!smc_pr_comment_before(pr, end)) {
        size_t mark = smc_pr_mark(pr);
        smc_pr_put(pr, " { ");
        for (const smc_member *m = d->members; m; m = m->next) {
            member(pr, m);
            smc_pr_put(pr, m->next ? ", " : " }");
        }
        if (pr->col <= SMC_PRINT_WIDTH && !memchr(pr->out->data + mark, '\n', pr->out->len - mark))
            return;
        smc_pr_undo(pr, mark);
    }
    uint32_t lb = pr->text ? smc_pr_tok_before(pr, d->members->name.span.off) : 0;
    open_block(pr, lb + 1);
    for (const smc_member *m = d->members; m; m = m->next) {
        smc_pr_lead(pr, m->name.span.off, true);
        member(pr, m);
        smc_pr_put(pr, ",");
        smc_pr_trail(pr, smc_pr_past(pr, member_end(m), ','));
        smc_pr_nl(pr);
    }
    close_block(pr, end - 1);
}

/* ---- Queries ---------------------------------------------------------------------------- */

static void ret(smc_printer *pr, const smc_ret *r)
{
    if (pr->text)
        smc_pr_at(pr, r->span.off);
    switch (r->kind) {
    case SMC_R_LIST: smc_pr_put(pr, "["); break;
    case SMC_R_EACH: smc_pr_put(pr, "each "); break;
    case SMC_R_EXEC: smc_pr_put(pr, "exec"); return;
    default: break;
    }
    smc_pr_name(pr, r->type);
    if (r->kind == SMC_R_OPT)
        smc_pr_put(pr, "?");
    if (r->with) {
        smc_pr_put(pr, " with ");
        smc_pr_idents(pr, r->with);
    }
    if (r->kind == SMC_R_LIST)
        smc_pr_put(pr, "]");
}

static void query_head(smc_printer *pr, const smc_decl *d)
{
    const smc_query *q = d->query;
    smc_pr_put(pr, "query ");
    smc_pr_name(pr, d->name);
    smc_pr_put(pr, "(");
    for (const smc_param *p = q->params; p; p = p->next) {
        smc_pr_name(pr, p->name);
        smc_pr_put(pr, ": ");
        smc_pr_typeref(pr, p->type);
        if (p->next)
            smc_pr_put(pr, ", ");
    }
    smc_pr_put(pr, ") -> ");
    ret(pr, &q->ret);
    smc_pr_attrs(pr, d->attrs);
}

static void raw_sql(smc_printer *pr, const smc_query *q)
{
    smc_pr_put(pr, "sql ");
    size_t hang = pr->col;
    for (const smc_rawsql *r = q->raw; r; r = r->next) {
        if (r != q->raw) {
            int cont = pr->cont;
            smc_pr_nl(pr);
            pr->cont = cont;
            pr->hang = hang;
        }
        if (r->dialect.s) {
            smc_pr_name(pr, r->dialect);
            smc_pr_put(pr, " ");
        }
        pr->hang = 0;
        smc_span at = r->span;
        if (r->dialect.s && pr->text) { /* the string after the dialect's name */
            size_t i = smc_pr_tok_at(pr, smc_span_end(r->dialect.span));
            at.off = i < pr->ntoks ? pr->toks[i].off : at.off;
            at.len = smc_span_end(r->span) - at.off;
        }
        string_at(pr, at, r->sql);
    }
    smc_pr_put(pr, ";");
}

static void query_decl(smc_printer *pr, const smc_decl *d)
{
    const smc_query *q = d->query;
    uint32_t end = smc_span_end(d->span);
    size_t mark = smc_pr_mark(pr);
    bool quiet = !smc_pr_comment_before(pr, end);
    query_head(pr, d);
    if (quiet) { /* all on one line when it fits */
        size_t body = smc_pr_mark(pr);
        if (q->stmt) {
            smc_pr_put(pr, " { ");
            smc_pr_stmt_line(pr, q->stmt);
            smc_pr_put(pr, " }");
        } else {
            smc_pr_put(pr, " ");
            raw_sql(pr, q);
        }
        if (pr->col <= SMC_PRINT_WIDTH && !memchr(pr->out->data + mark, '\n', pr->out->len - mark))
            return;
        smc_pr_undo(pr, body);
    }
    if (q->raw) {
        pr->indent++;
        smc_pr_nl(pr);
        if (pr->text)
            smc_pr_lead(pr, smc_pr_tok_before(pr, q->raw->span.off), false);
        raw_sql(pr, q);
        pr->indent--;
        return;
    }
    uint32_t lb = pr->text ? smc_pr_tok_before(pr, q->stmt->span.off) : 0;
    open_block(pr, lb + 1);
    smc_pr_lead(pr, q->stmt->span.off, false);
    smc_pr_stmt(pr, q->stmt);
    smc_pr_trail(pr, smc_span_end(q->stmt->span));
    smc_pr_nl(pr);
    close_block(pr, end - 1);
}

/* ---- Declarations ------------------------------------------------------------------------ */

void smc_pr_decl(smc_printer *pr, const smc_decl *d)
{
    switch (d->kind) {
    case SMC_D_IMPORT:
        smc_pr_put(pr, "import ");
        string_at(pr, d->name.span, d->name.s);
        smc_pr_put(pr, ";");
        break;
    case SMC_D_TYPE:
        smc_pr_put(pr, "type ");
        smc_pr_name(pr, d->name);
        smc_pr_put(pr, " = ");
        smc_pr_typeref(pr, d->alias);
        smc_pr_attrs(pr, d->attrs);
        smc_pr_put(pr, ";");
        break;
    case SMC_D_ENUM:
        smc_pr_put(pr, "enum ");
        smc_pr_name(pr, d->name);
        smc_pr_attrs(pr, d->attrs);
        enum_decl(pr, d);
        break;
    case SMC_D_MODEL:
        smc_pr_put(pr, d->is_table ? "table " : "model ");
        smc_pr_name(pr, d->name);
        bases(pr, d->bases);
        smc_pr_attrs(pr, d->attrs);
        if (d->partial_of.s) {
            smc_pr_put(pr, " = partial ");
            smc_pr_name(pr, d->partial_of);
            smc_pr_put(pr, ";");
        } else {
            body(pr, d);
        }
        break;
    case SMC_D_ROW:
        smc_pr_put(pr, "row ");
        smc_pr_name(pr, d->name);
        body(pr, d);
        break;
    case SMC_D_QUERY: query_decl(pr, d); break;
    default: break;
    }
}

static void print_body(smc_ctx *ctx, void *arg)
{
    void **a = arg;
    const smc_file *f = a[0];
    smc_printer *pr = a[1];
    smc_pr_init(pr, ctx, a[2], f);
    smc_pr_lead(pr, f->module_span.off, true);
    smc_pr_put(pr, "module ");
    smc_pr_name(pr, f->module);
    smc_pr_attrs(pr, f->module_attrs);
    smc_pr_put(pr, ";");
    smc_pr_trail(pr, smc_span_end(f->module_span));
    smc_pr_nl(pr);
    for (const smc_decl *d = f->decls; d; d = d->next) {
        smc_pr_lead(pr, d->span.off, true);
        smc_pr_decl(pr, d);
        smc_pr_trail(pr, smc_span_end(d->span));
        smc_pr_nl(pr);
    }
    smc_pr_lead(pr, ctx->files[f->source]->len + 1, false);
}

bool smc_print_file(smc_ctx *ctx, const smc_file *f, sm_buf *out)
{
    smc_printer pr;
    memset(&pr, 0, sizeof pr);
    void *arg[3] = {(void *)f, &pr, out};
    bool ok = smc_guarded(ctx, print_body, arg);
    if (!ok || pr.rc != SM_OK) {
        ctx->oom = true;
        return false;
    }
    return true;
}

/* ---- A file built in memory ------------------------------------------------------------- */

typedef struct built {
    const char *head, *module;
    const smc_decl *decls;
    const char *const *notes;
    smc_printer *pr;
} built;

/* Each line of text as a `//` comment. */
static void comment_lines(smc_printer *pr, const char *text)
{
    while (text && *text) {
        const char *nl = strchr(text, '\n');
        size_t n = nl ? (size_t)(nl - text) : strlen(text);
        smc_pr_put(pr, "// ");
        smc_pr_putn(pr, text, n);
        smc_pr_nl(pr);
        text += n + (nl != NULL);
    }
}

static void print_built(smc_ctx *ctx, void *arg)
{
    built *b = arg;
    smc_printer *pr = b->pr;
    comment_lines(pr, b->head);
    smc_pr_put(pr, "module ");
    smc_pr_put(pr, b->module);
    smc_pr_put(pr, ";");
    smc_pr_nl(pr);
    (void)ctx;
    size_t i = 0;
    for (const smc_decl *d = b->decls; d; d = d->next, i++) {
        smc_pr_nl(pr);
        comment_lines(pr, b->notes ? b->notes[i] : NULL);
        smc_pr_decl(pr, d);
        smc_pr_nl(pr);
    }
}

bool smc_print_decls(smc_ctx *ctx, const char *head, const char *module, const smc_decl *decls,
                     const char *const *notes, sm_buf *out)
{
    smc_printer pr;
    smc_pr_init(&pr, ctx, out, NULL);
    built b = {head, module, decls, notes, &pr};
    bool ok = smc_guarded(ctx, print_built, &b);
    if (!ok || pr.rc != SM_OK) {
        ctx->oom = true;
        return false;
    }
    return true;
}
