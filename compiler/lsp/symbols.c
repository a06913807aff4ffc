/*
 * symbols.c: textDocument/documentSymbol, hierarchical: models, tables
 * and rows with their fields, enums with their members, queries with
 * their parameters, types.  From the syntax tree alone, so a file whose
 * checking fails still lists its declarations.
 */
#include "lsp.h"

#include <string.h>

/* SymbolKind values of the protocol. */
enum { SK_MODULE = 2, SK_CLASS = 5, SK_FIELD = 8, SK_ENUM = 10, SK_FUNCTION = 12,
       SK_VARIABLE = 13, SK_STRUCT = 23, SK_ENUM_MEMBER = 22, SK_TYPE_PARAMETER = 26 };

typedef struct symw {
    sm_buf *b;
    const smc_source *src;
} symw;

/* Opens a symbol; the caller adds children and closes it with "]}". */
static void open_sym(symw *w, const smc_name *name, int kind, const char *detail, size_t dlen,
                     smc_span whole)
{
    sm_buf_puts(w->b, "{\"name\":");
    smc_json_quote(w->b, name->s, strlen(name->s));
    if (detail) {
        sm_buf_puts(w->b, ",\"detail\":");
        smc_json_quote(w->b, detail, dlen);
    }
    sm_buf_printf(w->b, ",\"kind\":%d,\"range\":", kind);
    if (whole.off > name->span.off || whole.off + whole.len < name->span.off + name->span.len)
        whole = name->span;
    lsp_put_range(w->b, w->src, whole.off, whole.len);
    sm_buf_puts(w->b, ",\"selectionRange\":");
    lsp_put_range(w->b, w->src, name->span.off, name->span.len);
    sm_buf_puts(w->b, ",\"children\":[");
}

static void text_of(const symw *w, smc_span sp, const char **s, size_t *n)
{
    *s = w->src->text + sp.off;
    *n = sp.len;
}

static void put_decl(symw *w, const smc_decl *d)
{
    const char *detail = NULL;
    size_t dn = 0;
    int kind = SK_STRUCT;
    switch (d->kind) {
    case SMC_D_TYPE:
        kind = SK_TYPE_PARAMETER;
        text_of(w, d->alias->span, &detail, &dn);
        break;
    case SMC_D_ENUM: kind = SK_ENUM; detail = "enum"; break;
    case SMC_D_MODEL:
        kind = d->is_table ? SK_CLASS : SK_STRUCT;
        detail = d->is_table ? "table" : d->partial_of.s ? "partial model" : "model";
        break;
    case SMC_D_ROW: detail = "row"; break;
    case SMC_D_QUERY: kind = SK_FUNCTION; detail = "query"; break;
    default: return; /* imports */
    }
    if (detail && !dn)
        dn = strlen(detail);
    open_sym(w, &d->name, kind, detail, dn, d->span);
    bool first = true;
    for (const smc_field *f = d->fields; f; f = f->next) {
        const char *t = NULL;
        size_t tn = 0;
        if (f->type)
            text_of(w, f->type->span, &t, &tn);
        sm_buf_puts(w->b, first ? "" : ",");
        first = false;
        open_sym(w, &f->name, SK_FIELD, t, tn, f->span);
        sm_buf_puts(w->b, "]}");
    }
    for (const smc_member *m = d->members; m; m = m->next) {
        sm_buf_puts(w->b, first ? "" : ",");
        first = false;
        open_sym(w, &m->name, SK_ENUM_MEMBER, NULL, 0, m->name.span);
        sm_buf_puts(w->b, "]}");
    }
    if (d->kind == SMC_D_QUERY)
        for (const smc_param *p = d->query->params; p; p = p->next) {
            const char *t = NULL;
            size_t tn = 0;
            if (p->type)
                text_of(w, p->type->span, &t, &tn);
            sm_buf_puts(w->b, first ? "" : ",");
            first = false;
            open_sym(w, &p->name, SK_VARIABLE, t, tn, p->span);
            sm_buf_puts(w->b, "]}");
        }
    sm_buf_puts(w->b, "]}");
}

const char *lsp_symbols(lsp_server *sv, const lsp_json *params, sm_buf *out, int *code)
{
    const char *uri = lsp_json_str(lsp_json_get(params, "textDocument"), "uri");
    lsp_doc *d = uri ? lsp_doc_find(sv, uri) : NULL;
    *code = LSP_INVALID_PARAMS;
    if (!d)
        return uri ? "the document is not open" : "expected textDocument.uri";
    lsp_analysis *an = lsp_analyze(sv, d);
    sm_buf_putc(out, '[');
    if (an && an->file) {
        symw w = {out, an->ctx.files[an->main]};
        bool first = true;
        if (an->file->module.s) {
            open_sym(&w, &an->file->module, SK_MODULE, "module", 6, an->file->module_span);
            sm_buf_puts(out, "]}");
            first = false;
        }
        for (const smc_decl *x = an->file->decls; x; x = x->next) {
            if (x->kind == SMC_D_IMPORT || !x->name.s)
                continue;
            if (!first)
                sm_buf_putc(out, ',');
            first = false;
            put_decl(&w, x);
        }
    }
    sm_buf_putc(out, ']');
    return NULL;
}
