/*
 * nav.c: go to definition, find references, rename (and prepareRename),
 * from the index of the document's analysis.
 */
#include "lsp.h"

#include <string.h>

const char *lsp_doc_position(lsp_server *sv, const lsp_json *params, lsp_doc **d, uint32_t *off,
                             int *code)
{
    const char *uri = lsp_json_str(lsp_json_get(params, "textDocument"), "uri");
    lsp_pos p;
    *code = LSP_INVALID_PARAMS;
    if (!uri || !lsp_read_pos(lsp_json_get(params, "position"), &p))
        return "expected textDocument.uri and position";
    *d = lsp_doc_find(sv, uri);
    if (!*d)
        return "the document is not open";
    *off = lsp_off_of((*d)->text, (*d)->len, p);
    return NULL;
}

/* The target at the request's position, or an error message. */
static const char *target_of(lsp_server *sv, const lsp_json *params, lsp_analysis **an,
                             lsp_target *t, bool *found, int *code)
{
    lsp_doc *d;
    uint32_t off;
    const char *err = lsp_doc_position(sv, params, &d, &off, code);
    if (err)
        return err;
    *an = lsp_analyze(sv, d);
    if (!*an) {
        *code = LSP_INTERNAL_ERROR;
        return "out of memory";
    }
    *found = lsp_target_at(*an, off, t);
    return NULL;
}

const char *lsp_definition(lsp_server *sv, const lsp_json *params, sm_buf *out, int *code)
{
    lsp_analysis *an;
    lsp_target t;
    bool found;
    const char *err = target_of(sv, params, &an, &t, &found, code);
    if (err)
        return err;
    if (!found || t.def.file == SMC_NO_FILE || t.def.file >= an->ctx.nfiles) {
        sm_buf_puts(out, "null");
        return NULL;
    }
    lsp_put_location(out, &an->ctx, t.def);
    return NULL;
}

typedef struct collect {
    sm_buf *out;
    smc_ctx *ctx;
    bool any, with_decl;
    smc_span def;
    const char *new_name;
    uint32_t file;       /* rename: the file whose edits are open, or SMC_NO_FILE */
} collect;

static void put_ref(void *arg, smc_span sp)
{
    collect *c = arg;
    if (!c->with_decl && sp.file == c->def.file && sp.off == c->def.off)
        return;
    if (c->any)
        sm_buf_putc(c->out, ',');
    c->any = true;
    lsp_put_location(c->out, c->ctx, sp);
}

const char *lsp_references(lsp_server *sv, const lsp_json *params, sm_buf *out, int *code)
{
    lsp_analysis *an;
    lsp_target t;
    bool found;
    const char *err = target_of(sv, params, &an, &t, &found, code);
    if (err)
        return err;
    const lsp_json *ctxj = lsp_json_get(params, "context");
    const lsp_json *incl = lsp_json_get(ctxj, "includeDeclaration");
    collect c = {out, &an->ctx, false, !incl || incl->kind != LJ_BOOL || incl->b, t.def, NULL,
                 SMC_NO_FILE};
    sm_buf_putc(out, '[');
    if (found)
        lsp_each_occurrence(an, &t, put_ref, &c);
    sm_buf_putc(out, ']');
    return NULL;
}

static bool valid_name(const char *s)
{
    if (!s || !((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_'))
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '_'))
            return false;
    return true;
}

/* One TextEdit; the edits of a file are grouped under its URI. */
static void put_edit(void *arg, smc_span sp)
{
    collect *c = arg;
    if (sp.file != c->file) {
        if (c->file != SMC_NO_FILE)
            sm_buf_puts(c->out, "],");
        lsp_put_path_uri(c->out, c->ctx->files[sp.file]->path);
        sm_buf_puts(c->out, ":[");
        c->file = sp.file;
        c->any = false;
    }
    if (c->any)
        sm_buf_putc(c->out, ',');
    c->any = true;
    sm_buf_puts(c->out, "{\"range\":");
    lsp_put_range(c->out, c->ctx->files[sp.file], sp.off, sp.len);
    sm_buf_puts(c->out, ",\"newText\":");
    smc_json_quote(c->out, c->new_name, strlen(c->new_name));
    sm_buf_putc(c->out, '}');
}

static bool renameable(const lsp_analysis *an, const lsp_target *t)
{
    return t->kind >= 0 && t->def.file == (uint32_t)an->main;
}

const char *lsp_rename(lsp_server *sv, const lsp_json *params, sm_buf *out, int *code)
{
    lsp_analysis *an;
    lsp_target t;
    bool found;
    const char *err = target_of(sv, params, &an, &t, &found, code);
    if (err)
        return err;
    const char *name = lsp_json_str(params, "newName");
    if (!valid_name(name)) {
        *code = LSP_INVALID_PARAMS;
        return "the new name must be a name: a letter or '_', then letters, digits or '_'";
    }
    if (!found || !renameable(an, &t)) {
        *code = LSP_REQUEST_FAILED;
        return "nothing to rename here: put the cursor on a name declared in this file";
    }
    collect c = {out, &an->ctx, false, true, t.def, name, SMC_NO_FILE};
    sm_buf_puts(out, "{\"changes\":{");
    lsp_each_occurrence(an, &t, put_edit, &c);
    sm_buf_puts(out, c.file != SMC_NO_FILE ? "]}}" : "}}");
    return NULL;
}

const char *lsp_prepare_rename(lsp_server *sv, const lsp_json *params, sm_buf *out, int *code)
{
    lsp_analysis *an;
    lsp_target t;
    bool found;
    const char *err = target_of(sv, params, &an, &t, &found, code);
    if (err)
        return err;
    if (!found || !renameable(an, &t)) {
        sm_buf_puts(out, "null");
        return NULL;
    }
    const smc_source *src = an->ctx.files[t.use.file];
    sm_buf_puts(out, "{\"range\":");
    lsp_put_range(out, src, t.use.off, t.use.len);
    sm_buf_puts(out, ",\"placeholder\":");
    smc_json_quote(out, src->text + t.use.off, t.use.len);
    sm_buf_putc(out, '}');
    return NULL;
}
