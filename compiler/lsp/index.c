/*
 * index.c: what the name at a position denotes.  Uses come from the
 * checker's record (ctx.refs); declarations (models, fields, enum
 * members, queries, parameters) from the document's syntax tree.  An
 * occurrence is known by the span of the name that declares it, so the
 * uses of a field inherited by several models are one set.
 */
#include "lsp.h"

#include <stdlib.h>
#include <string.h>

static bool contains(smc_span sp, uint32_t file, uint32_t off)
{
    return sp.file == file && off >= sp.off && off <= sp.off + sp.len;
}

/* Keeps t when its name is the narrowest found so far around off. */
static void consider(lsp_target *best, bool *found, const lsp_target *t, uint32_t file,
                     uint32_t off)
{
    if (!contains(t->use, file, off))
        return;
    if (*found && best->use.len <= t->use.len)
        return;
    *best = *t;
    *found = true;
}

static void decl_names(const smc_decl *d, lsp_target *best, bool *found, uint32_t file,
                       uint32_t off)
{
    lsp_target t = {d->name.span, d->name.span, SMC_REF_DECL, d, 0};
    if (d->kind == SMC_D_IMPORT) {
        t.kind = -1;
        t.def = d->imported ? (smc_span){d->imported->source, 0, 0} : smc_no_span();
    }
    consider(best, found, &t, file, off);
    for (const smc_field *f = d->fields; f; f = f->next) {
        lsp_target ft = {f->name.span, f->name.span, SMC_REF_COL, f->col, 0};
        consider(best, found, &ft, file, off);
    }
    for (const smc_member *m = d->members; m; m = m->next) {
        lsp_target mt = {m->name.span, m->name.span, SMC_REF_MEMBER, d, m->index};
        consider(best, found, &mt, file, off);
    }
    if (d->kind == SMC_D_QUERY)
        for (const smc_param *p = d->query->params; p; p = p->next) {
            lsp_target pt = {p->name.span, p->name.span, SMC_REF_PARAM, p, 0};
            consider(best, found, &pt, file, off);
        }
}

bool lsp_target_at(lsp_analysis *an, uint32_t off, lsp_target *out)
{
    if (!an || !an->file)
        return false;
    uint32_t file = (uint32_t)an->main;
    bool found = false;
    for (size_t i = 0; i < an->refs.len; i++) {
        const smc_ref *r = &an->refs.items[i];
        if (!contains(r->use, file, off))
            continue;
        lsp_target t = {r->use, smc_ref_def(r), r->kind, r->target, r->sub};
        consider(out, &found, &t, file, off);
    }
    for (const smc_decl *d = an->file->decls; d; d = d->next)
        if (d->span.off <= off && off <= d->span.off + d->span.len)
            decl_names(d, out, &found, file, off);
    return found;
}

static bool same(smc_span a, smc_span b)
{
    return a.file == b.file && a.off == b.off && a.len == b.len;
}

static int by_place(const void *x, const void *y)
{
    const smc_span *a = x, *b = y;
    if (a->file != b->file)
        return a->file < b->file ? -1 : 1;
    return a->off < b->off ? -1 : a->off > b->off;
}

void lsp_each_occurrence(lsp_analysis *an, const lsp_target *t,
                         void (*fn)(void *arg, smc_span sp), void *arg)
{
    if (t->def.file == SMC_NO_FILE || t->kind < 0)
        return;
    size_t n = 0, cap = 16;
    smc_span *v = malloc(cap * sizeof *v);
    if (!v)
        return;
    v[n++] = t->def;
    for (size_t i = 0; i < an->refs.len; i++) {
        const smc_ref *r = &an->refs.items[i];
        if (!same(smc_ref_def(r), t->def))
            continue;
        if (n == cap) {
            smc_span *w = realloc(v, 2 * cap * sizeof *v);
            if (!w)
                break;
            v = w;
            cap *= 2;
        }
        v[n++] = r->use;
    }
    qsort(v, n, sizeof *v, by_place);
    for (size_t i = 0; i < n; i++)
        if (i == 0 || !same(v[i], v[i - 1]))
            fn(arg, v[i]);
    free(v);
}
