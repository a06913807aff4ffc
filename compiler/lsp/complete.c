/*
 * complete.c: textDocument/completion.  What may come next is the
 * parser's to say (smc_parse_expected, at the cursor; the word being
 * typed there is what the items must start with): its keywords, and
 * where it expects a name, the declarations, the built-in types and, in
 * a query, the columns of its models; in a field's default, the members
 * of its enum.  After '@' the checker's attributes, after `Enum.` its
 * members, after `Model.` its columns, after ':' in a query its
 * parameters.
 */
#include "lsp.h"

#include <string.h>

/* CompletionItemKind values of the protocol. */
enum { CK_FIELD = 5, CK_VARIABLE = 6, CK_CLASS = 7, CK_PROPERTY = 10, CK_KEYWORD = 14,
       CK_ENUM = 13, CK_ENUM_MEMBER = 20, CK_STRUCT = 22, CK_TYPE = 25 };

typedef struct items {
    sm_buf *b;
    bool any;
    const char *prefix;
    size_t plen;
} items;

static void add(items *it, const char *label, int kind, const char *detail)
{
    if (!label || strncmp(label, it->prefix, it->plen) != 0)
        return;
    sm_buf_puts(it->b, it->any ? "," : "");
    it->any = true;
    sm_buf_puts(it->b, "{\"label\":");
    smc_json_quote(it->b, label, strlen(label));
    sm_buf_printf(it->b, ",\"kind\":%d", kind);
    if (detail) {
        sm_buf_puts(it->b, ",\"detail\":");
        smc_json_quote(it->b, detail, strlen(detail));
    }
    sm_buf_putc(it->b, '}');
}

static bool name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

static int decl_kind(const smc_decl *d)
{
    return d->kind == SMC_D_ENUM ? CK_ENUM : d->kind == SMC_D_TYPE ? CK_TYPE
         : d->kind == SMC_D_MODEL && d->is_table ? CK_CLASS : CK_STRUCT;
}

static const char *decl_detail(const smc_decl *d)
{
    return d->kind == SMC_D_ENUM ? "enum" : d->kind == SMC_D_TYPE ? "type"
         : d->kind == SMC_D_ROW ? "row" : d->is_table ? "table" : "model";
}

/* The declaration named name, in the document or its imports. */
static const smc_decl *find_decl(lsp_analysis *an, const char *name, size_t n)
{
    for (uint32_t i = 0; i < an->ctx.nfiles; i++) {
        const smc_file *f = an->ctx.files[i]->ast;
        for (const smc_decl *d = f ? f->decls : NULL; d; d = d->next)
            if (d->kind != SMC_D_IMPORT && d->name.s && strlen(d->name.s) == n &&
                memcmp(d->name.s, name, n) == 0)
                return d;
    }
    return NULL;
}

static void add_cols(items *it, const smc_model *m)
{
    for (uint32_t i = 0; m && i < m->ncols; i++)
        add(it, m->cols[i]->name, m->cols[i]->rel ? CK_PROPERTY : CK_FIELD,
            m->cols[i]->column ? "column" : "relationship");
}

/* The query declaration around off, or NULL. */
static const smc_decl *query_at(lsp_analysis *an, uint32_t off)
{
    for (const smc_decl *d = an->file ? an->file->decls : NULL; d; d = d->next)
        if (d->kind == SMC_D_QUERY && d->span.off <= off && off <= d->span.off + d->span.len)
            return d;
    return NULL;
}

/* The names the parser may take where it expects a name. */
static void add_names(items *it, lsp_analysis *an, uint32_t off)
{
    for (uint32_t i = 0; i < an->ctx.nfiles; i++) {
        const smc_file *f = an->ctx.files[i]->ast;
        for (const smc_decl *d = f ? f->decls : NULL; d; d = d->next)
            if (d->kind != SMC_D_IMPORT && d->kind != SMC_D_QUERY && d->name.s)
                add(it, d->name.s, decl_kind(d), decl_detail(d));
    }
    for (size_t i = 0; smc_builtin_types[i]; i++)
        add(it, smc_builtin_types[i], CK_TYPE, "built-in type");
    const smc_decl *q = query_at(an, off);
    const smc_qinfo *qi = q ? q->query->sema : NULL;
    if (qi && qi->sel)
        for (uint32_t i = 0; i < qi->sel->nentries; i++)
            add_cols(it, qi->sel->entries[i].model);
    else if (qi && qi->target)
        add_cols(it, qi->target);
}

/* The enum of a field's default being typed: `power: Power = |`. */
static const smc_decl *default_enum(lsp_analysis *an, const char *t, uint32_t start)
{
    uint32_t i = start;
    while (i > 0 && (t[i - 1] == ' ' || t[i - 1] == '\t'))
        i--;
    if (i == 0 || t[--i] != '=')
        return NULL;
    while (i > 0 && (t[i - 1] == ' ' || t[i - 1] == '\t'))
        i--;
    if (i > 0 && t[i - 1] == '?')
        i--;
    uint32_t end = i;
    while (i > 0 && name_char(t[i - 1]))
        i--;
    uint32_t name = i;
    while (i > 0 && (t[i - 1] == ' ' || t[i - 1] == '\t'))
        i--;
    if (name == end || i == 0 || t[i - 1] != ':')
        return NULL;
    const smc_decl *d = find_decl(an, t + name, end - name);
    return d && d->kind == SMC_D_ENUM ? d : NULL;
}

const char *lsp_completion(lsp_server *sv, const lsp_json *params, sm_buf *out, int *code)
{
    lsp_doc *d;
    uint32_t off;
    const char *err = lsp_doc_position(sv, params, &d, &off, code);
    if (err)
        return err;
    lsp_analysis *an = lsp_analyze(sv, d);
    if (an && !an->file && d->parsed) /* typing: names as they were */
        an = d->parsed;
    const char *t = d->text;
    uint32_t start = off;
    while (start > 0 && name_char(t[start - 1]))
        start--;
    char prefix[256];
    size_t plen = off - start < sizeof prefix - 1 ? off - start : sizeof prefix - 1;
    memcpy(prefix, t + start, plen);
    prefix[plen] = 0;
    items it = {out, false, prefix, plen};
    sm_buf_puts(out, "{\"isIncomplete\":false,\"items\":[");
    char before = start > 0 ? t[start - 1] : 0;
    if (before == '@') {
        for (size_t i = 0; smc_known_attr(i); i++)
            add(&it, smc_known_attr(i), CK_PROPERTY, "attribute");
    } else if (before == '.' && an) {
        uint32_t q = start - 1;
        while (q > 0 && name_char(t[q - 1]))
            q--;
        const smc_decl *x = find_decl(an, t + q, start - 1 - q);
        for (const smc_member *m = x && x->kind == SMC_D_ENUM ? x->members : NULL; m; m = m->next)
            add(&it, m->name.s, CK_ENUM_MEMBER, x->name.s);
        if (x && x->model)
            add_cols(&it, x->model);
    } else if (before == ':' && an && query_at(an, off) && start >= 2 && t[start - 2] != ':') {
        const smc_decl *q = query_at(an, off);
        for (const smc_param *p = q->query->params; p; p = p->next)
            add(&it, p->name.s, CK_VARIABLE, "parameter");
    } else {
        const char *words[256];
        smc_ctx ctx;
        smc_ctx_init(&ctx);
        size_t n = smc_parse_expected(&ctx, t, (uint32_t)d->len, off, words,
                                      sizeof words / sizeof words[0]);
        bool names = false;
        for (size_t i = 0; i < n && i < sizeof words / sizeof words[0]; i++) {
            if (strcmp(words[i], "identifier") == 0)
                names = true;
            else if (name_char(words[i][0]) && strcmp(words[i], "string") != 0 &&
                     strcmp(words[i], "number") != 0 && strcmp(words[i], "attribute") != 0)
                add(&it, words[i], CK_KEYWORD, "keyword");
        }
        const smc_decl *e = names && an ? default_enum(an, t, start) : NULL;
        for (const smc_member *m = e ? e->members : NULL; m; m = m->next)
            add(&it, m->name.s, CK_ENUM_MEMBER, e->name.s);
        if (names && an && !e)
            add_names(&it, an, off);
        smc_ctx_free(&ctx);
    }
    sm_buf_puts(out, "]}");
    return NULL;
}
