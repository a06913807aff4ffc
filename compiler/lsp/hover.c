/*
 * hover.c: textDocument/hover.  A field: its declaration (type and
 * attributes), checked type and column; a model: its table and C type;
 * an enum member, a parameter, an import; a query: the C function smc
 * generates for it, printed by the emitter that writes the header.
 */
#include "lsp.h"

#include "emit.h"

#include <string.h>

/* The text of sp up to end, blanks at its ends (and an opening brace)
 * dropped. */
static void put_code(sm_buf *b, smc_ctx *ctx, smc_span sp, uint32_t end)
{
    const smc_source *src = ctx->files[sp.file];
    uint32_t s = sp.off, e = end;
    if (e > src->len)
        e = src->len;
    while (s < e && (src->text[s] == ' ' || src->text[s] == '\n' || src->text[s] == '\t'))
        s++;
    while (e > s && (src->text[e - 1] == ' ' || src->text[e - 1] == '\n' ||
                     src->text[e - 1] == '\t' || src->text[e - 1] == '\r' ||
                     src->text[e - 1] == '{'))
        e--;
    sm_buf_append(b, src->text + s, e - s);
}

typedef struct sig_job {
    const smc_qinfo *q;
    sm_buf *b;
} sig_job;

static void signature(smc_ctx *ctx, void *arg)
{
    sig_job *j = arg;
    smc_emit_query_signature(ctx, j->b, j->q);
}

/* Did the checker resolve everything the prototype names?  A query that
 * failed has no C function to show. */
static bool signature_known(const smc_qinfo *q)
{
    if (q->ret != SMC_R_EXEC && !q->row && !(q->scalar && q->scalar_type.base != SMC_B_ERROR))
        return false;
    for (const smc_param *p = q->decl->query->params; p; p = p->next)
        if (!p->type || p->type->type.base == SMC_B_ERROR)
            return false;
    return true;
}

static void hover_decl(sm_buf *b, smc_ctx *ctx, const smc_decl *d)
{
    sm_buf_puts(b, "```smdl\n");
    if ((d->kind == SMC_D_MODEL || d->kind == SMC_D_ROW) && d->body_span.len)
        put_code(b, ctx, d->span, d->body_span.off);
    else if (d->kind == SMC_D_QUERY)
        put_code(b, ctx, d->span,
                 d->query->stmt ? d->query->stmt->span.off
                                : d->query->raw ? d->query->raw->span.off : d->span.off + d->span.len);
    else
        put_code(b, ctx, d->span, d->span.off + d->span.len);
    sm_buf_puts(b, "\n```");
    const smc_model *m = d->model;
    if (m && m->is_table)
        sm_buf_printf(b, "\n\ntable `%s` · C type `%s`", m->table, m->name);
    else if (m && m->is_mixin)
        sm_buf_puts(b, "\n\nmixin: its fields are copied into the models built on it");
    else if (m)
        sm_buf_printf(b, "\n\n%s · C type `%s`", smc_model_emitted(m) ? d->kind == SMC_D_ROW
                                                                          ? "row" : "model"
                                                                    : "model",
                      m->name);
    if (d->kind == SMC_D_QUERY && d->query->sema && signature_known(d->query->sema)) {
        sm_buf sig = SM_BUF_INIT;
        sig_job j = {d->query->sema, &sig};
        if (smc_guarded(ctx, signature, &j) && sig.data)
            sm_buf_printf(b, "\n\n```c\n%s;\n```", sig.data);
        else if (ctx->oom)
            smc_oom_unwind(ctx);
        sm_buf_free(&sig);
    }
}

static void hover_col(sm_buf *b, smc_ctx *ctx, const smc_col *c)
{
    if (c->field) {
        sm_buf_puts(b, "```smdl\n");
        put_code(b, ctx, c->field->span, c->field->span.off + c->field->span.len);
        sm_buf_puts(b, "\n```\n\n");
    }
    sm_buf_printf(b, "type `%s`", smc_type_name(ctx, &c->type));
    if (c->column)
        sm_buf_printf(b, " · column `%s`", c->column);
    if (c->rel && c->rel_target)
        sm_buf_printf(b, " · relationship to `%s`", c->rel_target->name);
    if (c->owner && c->owner->is_table)
        sm_buf_printf(b, " · table `%s`", c->owner->table);
    if (c->doc)
        sm_buf_printf(b, "\n\n%s", c->doc);
}

typedef struct hover_job {
    const lsp_target *t;
    sm_buf *b;
} hover_job;

static void hover_body(smc_ctx *ctx, void *arg)
{
    hover_job *j = arg;
    const lsp_target *t = j->t;
    sm_buf *b = j->b;
    switch (t->kind) {
    case -1: {
        const smc_decl *d = t->target;
        if (d->imported)
            sm_buf_printf(b, "imports `%s` (module `%s`)", ctx->files[d->imported->source]->path,
                          d->imported->module.s);
        break;
    }
    case SMC_REF_DECL:
        hover_decl(b, ctx, t->target);
        break;
    case SMC_REF_COL:
        if (t->target)
            hover_col(b, ctx, t->target);
        break;
    case SMC_REF_MEMBER: {
        const smc_decl *e = t->target;
        sm_buf_printf(b, "```smdl\n%s.", e->name.s);
        const smc_member *m = e->members;
        for (; m && m->index != t->sub; m = m->next)
            ;
        sm_buf_printf(b, "%s\n```\n\nmember %u of enum `%s`", m ? m->name.s : "?", t->sub,
                      e->name.s);
        break;
    }
    case SMC_REF_PARAM: {
        const smc_param *p = t->target;
        sm_buf_puts(b, "```smdl\n:");
        put_code(b, ctx, p->span, p->span.off + p->span.len);
        sm_buf_puts(b, "\n```\n\nquery parameter");
        if (p->type)
            sm_buf_printf(b, " · type `%s`", smc_type_name(ctx, &p->type->type));
        break;
    }
    default:
        break;
    }
}

const char *lsp_hover(lsp_server *sv, const lsp_json *params, sm_buf *out, int *code)
{
    lsp_doc *d;
    uint32_t off;
    const char *err = lsp_doc_position(sv, params, &d, &off, code);
    if (err)
        return err;
    lsp_analysis *an = lsp_analyze(sv, d);
    lsp_target t;
    if (!an || !lsp_target_at(an, off, &t)) {
        sm_buf_puts(out, "null");
        return NULL;
    }
    sm_buf text = SM_BUF_INIT;
    hover_job j = {&t, &text};
    if (!smc_guarded(&an->ctx, hover_body, &j) || !text.len) {
        sm_buf_free(&text);
        sm_buf_puts(out, "null");
        return NULL;
    }
    sm_buf_puts(out, "{\"contents\":{\"kind\":\"markdown\",\"value\":");
    smc_json_quote(out, text.data, text.len);
    sm_buf_puts(out, "},\"range\":");
    lsp_put_range(out, an->ctx.files[t.use.file], t.use.off, t.use.len);
    sm_buf_putc(out, '}');
    sm_buf_free(&text);
    return NULL;
}
