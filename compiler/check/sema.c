/*
 * sema.c: the checker's driver.  Loads imports (depth first, each file
 * once), builds the symbol table shared by all files, runs the passes
 * and orders the module's tables for creation.
 */
#include "sema_int.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

static const char *decl_kind_name(const smc_decl *d)
{
    switch (d->kind) {
    case SMC_D_TYPE: return "type";
    case SMC_D_ENUM: return "enum";
    case SMC_D_MODEL: return d->is_table ? "table" : "model";
    case SMC_D_ROW: return "row";
    case SMC_D_QUERY: return "query";
    default: return "declaration";
    }
}

smc_decl *smc_lookup(smc_checker *ck, const char *name)
{
    smc_decl *d = ck->cur == ck->out->main || (ck->cur && ck->cur->mutual)
                      ? smc_map_get(&ck->own, name)
                      : NULL;
    return d ? d : smc_map_get(&ck->decls, name);
}

smc_diag *smc_unknown(smc_checker *ck, smc_span at, smc_code code, const char *what,
                      const char *name, unsigned kinds, bool builtins)
{
    for (uint32_t i = 0; i < ck->nfiles; i++)
        if (smc_map_get(&ck->files[i]->broken, name)) /* its syntax error was reported */
            return smc_error_quiet(ck->ctx, at, code);
    smc_diag *d = smc_error(ck->ctx, at, code, "unknown %s '%s'", what, name);
    if (d->hidden) /* past the limit: no did-you-mean over the whole scope */
        return d;
    size_t n = 0, cap = ck->decls.len + ck->own.len + 32;
    const char **cands = smc_alloc(ck->ctx, cap * sizeof *cands);
    smc_map *maps[2] = {&ck->own, &ck->decls};
    for (int k = ck->cur == ck->out->main || (ck->cur && ck->cur->mutual) ? 0 : 1; k < 2; k++)
        for (size_t i = 0; i < maps[k]->cap; i++) {
            smc_decl *dd = maps[k]->slots[i].value;
            if (dd && (kinds & (1u << dd->kind)))
                cands[n++] = dd->name.s;
        }
    if (builtins)
        for (size_t i = 0; smc_builtin_types[i] && n < cap; i++)
            cands[n++] = smc_builtin_types[i];
    smc_suggest(ck->ctx, d, name, cands, n);
    return d;
}

/* ---- Imports ------------------------------------------------------------------- */

static bool is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* An editor's text for path, or a regular file on disk. */
static bool exists(smc_checker *ck, const char *path)
{
    size_t n;
    return smc_overlay_get(ck->ctx, path, &n) || is_file(path);
}

/* What identifies a file, to load it once and to see cycles: the
 * normalised path of an overlay text, else the file's real path. */
static const char *file_key(smc_checker *ck, const char *path)
{
    size_t n;
    if (smc_overlay_get(ck->ctx, path, &n))
        return smc_path_normalize(ck->ctx, path);
    char real[PATH_MAX];
    if (realpath(path, real))
        return smc_strdup(ck->ctx, real);
    return smc_path_normalize(ck->ctx, path);
}

/* The directory part of path ("." when it has none). */
static const char *dir_of(smc_ctx *ctx, const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return ".";
    return slash == path ? "/" : smc_strndup(ctx, path, (size_t)(slash - path));
}

/* Finds an imported path: next to the importing file, then in each -I
 * directory (the last of which is the standard library). */
static char *resolve_import(smc_checker *ck, const char *from_path, const char *path)
{
    if (path[0] == '/')
        return exists(ck, path) ? smc_strdup(ck->ctx, path) : NULL;
    char *candidate = smc_printf(ck->ctx, "%s/%s", dir_of(ck->ctx, from_path), path);
    if (exists(ck, candidate))
        return candidate;
    for (size_t i = 0; i < ck->ctx->nincdirs; i++) {
        candidate = smc_printf(ck->ctx, "%s/%s", ck->ctx->incdirs[i], path);
        if (exists(ck, candidate))
            return candidate;
    }
    return NULL;
}

static void add_file(smc_checker *ck, smc_file *f)
{
    ck->files = smc_grow(ck->ctx, ck->files, ck->nfiles, sizeof *ck->files);
    ck->files[ck->nfiles++] = f;
}

/* Loads f's imports depth first, each file once.  Files may import each
 * other (a model in one file, its relationships in another): an import
 * of a file already loaded, or being loaded, is not loaded again. */
enum { MAX_IMPORT_DEPTH = 64 };

static void load_imports(smc_checker *ck, smc_file *f, const char *fkey, int depth)
{
    smc_source *src = ck->ctx->files[f->source];
    for (smc_decl *d = f->decls; d; d = d->next) {
        if (d->kind != SMC_D_IMPORT)
            continue;
        char *path = resolve_import(ck, src->path, d->name.s);
        if (!path) {
            smc_diag *e = smc_error(ck->ctx, d->name.span, SMC_E_IMPORT,
                                    "cannot find imported file '%s'", d->name.s);
            size_t n = ck->ctx->nuser_incdirs;
            if (n == 0)
                smc_note(ck->ctx, e, NULL, "looked next to '%s' and in the standard library",
                         src->path);
            else
                smc_note(ck->ctx, e, NULL,
                         "looked next to '%s', in %zu -I director%s and in the standard library",
                         src->path, n, n == 1 ? "y" : "ies");
            continue;
        }
        const char *key = file_key(ck, path);
        if (strcmp(key, fkey) == 0) {
            smc_error(ck->ctx, d->name.span, SMC_E_IMPORT_CYCLE,
                      "'%s' is this file: a file cannot import itself", d->name.s);
            continue;
        }
        void *had = smc_map_get(&ck->loaded, key);
        if (had) {
            d->imported = had == (void *)ck ? NULL : had;
            continue;
        }
        if (depth >= MAX_IMPORT_DEPTH) {
            smc_error(ck->ctx, d->name.span, SMC_E_IMPORT,
                      "importing '%s' nests imports more than %d files deep", d->name.s,
                      MAX_IMPORT_DEPTH);
            continue;
        }
        int id = smc_source_load(ck->ctx, path, &d->name.span);
        if (id < 0)
            continue;
        ck->ctx->files[id]->path = (char *)key;
        smc_file *g = smc_parse_file(ck->ctx, (uint32_t)id);
        smc_map_put(ck->ctx, &ck->loaded, key, g ? (void *)g : (void *)ck);
        if (!g)
            continue;
        d->imported = g;
        load_imports(ck, g, key, depth + 1);
        add_file(ck, g);
    }
}

/* Marks the files that import the compiled one back (smc_file.mutual)
 * and the imports that close such a cycle (smc_decl.mutual): a walk over
 * the imports backwards from the compiled file. */
static void mark_mutual(smc_checker *ck)
{
    smc_file *main = ck->out->main;
    uint32_t n = ck->nfiles; /* the compiled file is last */
    smc_map pos = {0};       /* path -> position + 1 */
    for (uint32_t i = 0; i < n; i++)
        smc_map_put(ck->ctx, &pos, ck->ctx->files[ck->files[i]->source]->path,
                    (void *)(uintptr_t)(i + 1));
    /* importers[j]: the positions of the files that import file j. */
    uint32_t **importers = smc_alloc(ck->ctx, (n + 1) * sizeof *importers);
    uint32_t *nimporters = smc_alloc(ck->ctx, (n + 1) * sizeof *nimporters);
    for (uint32_t i = 0; i < n; i++)
        for (smc_decl *d = ck->files[i]->decls; d; d = d->next) {
            if (d->kind != SMC_D_IMPORT || !d->imported)
                continue;
            uintptr_t j = (uintptr_t)smc_map_get(&pos, ck->ctx->files[d->imported->source]->path);
            if (!j)
                continue;
            importers[j - 1] = smc_grow(ck->ctx, importers[j - 1], nimporters[j - 1],
                                        sizeof **importers);
            importers[j - 1][nimporters[j - 1]++] = i;
        }
    uint32_t *queue = smc_alloc(ck->ctx, (n + 1) * sizeof *queue);
    uint32_t head = 0, tail = 0;
    queue[tail++] = n - 1;
    while (head < tail) {
        uint32_t j = queue[head++];
        for (uint32_t k = 0; k < nimporters[j]; k++) {
            smc_file *f = ck->files[importers[j][k]];
            if (f == main || f->mutual)
                continue;
            f->mutual = true;
            queue[tail++] = importers[j][k];
        }
    }
    for (smc_decl *d = main->decls; d; d = d->next)
        if (d->kind == SMC_D_IMPORT && d->imported)
            d->mutual = d->imported->mutual;
}

/* ---- Declarations ------------------------------------------------------------------ */

static void declare(smc_checker *ck, smc_decl *d)
{
    if (d->kind == SMC_D_IMPORT)
        return;
    for (size_t i = 0; smc_builtin_types[i]; i++)
        if (strcmp(smc_builtin_types[i], d->name.s) == 0) {
            smc_error(ck->ctx, d->name.span, SMC_E_DUPLICATE,
                      "'%s' is a built-in type and cannot be redeclared", d->name.s);
            return;
        }
    smc_map *scope = d->file == ck->out->main ? &ck->own : &ck->decls;
    smc_decl *old = smc_map_put(ck->ctx, scope, d->name.s, d);
    if (!old && scope == &ck->own) {
        /* A file that imports this one back sees both declarations. */
        old = smc_map_get(&ck->decls, d->name.s);
        if (old && !old->file->mutual)
            old = NULL;
    }
    if (old) {
        smc_diag *e = smc_error(ck->ctx, d->name.span, SMC_E_DUPLICATE, "%s '%s' is already declared",
                                decl_kind_name(d), d->name.s);
        smc_note(ck->ctx, e, &old->name.span, "previous declaration of '%s' is here", d->name.s);
    }
}

static void check_enums(smc_checker *ck)
{
    for (uint32_t i = 0; i < ck->nfiles; i++)
        for (smc_decl *d = ck->files[i]->decls; d; d = d->next) {
            if (d->kind != SMC_D_ENUM)
                continue;
            ck->cur = d->file;
            smc_check_attrs(ck, d->attrs, SMC_AT_ENUM, "an enum");
            for (smc_member *m = d->members; m; m = m->next) {
                smc_check_attrs(ck, m->attrs, SMC_AT_MEMBER, "an enum member");
                smc_member *old = smc_map_put(ck->ctx, &d->member_index, m->name.s, m);
                if (old) {
                    smc_diag *e = smc_error(ck->ctx, m->name.span, SMC_E_DUPLICATE,
                                            "enum member '%s' is already declared", m->name.s);
                    smc_note(ck->ctx, e, &old->name.span, "previous declaration is here");
                }
            }
        }
}

static void check_aliases(smc_checker *ck)
{
    for (uint32_t i = 0; i < ck->nfiles; i++)
        for (smc_decl *d = ck->files[i]->decls; d; d = d->next)
            if (d->kind == SMC_D_TYPE) {
                ck->cur = d->file;
                smc_check_attrs(ck, d->attrs, SMC_AT_TYPE, "a type");
                if (d->state == 0) {
                    d->state = 1;
                    smc_resolve_type(ck, d->alias, SMC_TY_ALIAS);
                    d->state = 2;
                }
                if (d->alias->nullable)
                    smc_error(ck->ctx, d->alias->span, SMC_E_FIELD_TYPE,
                              "a refined type cannot be nullable; write '%s?' where it is used",
                              d->name.s);
            }
}

/* ---- Creation order -------------------------------------------------------------------- */

/* Orders the module's tables so each comes after the tables its FKs
 * reference (depth first, with an explicit stack: an FK chain of
 * thousands of tables must not exhaust the C stack); an FK that closes a
 * cycle is marked deferred: the DDL adds it after all tables exist. */
typedef struct visit_frame {
    smc_model *m;
    uint32_t next; /* the next column to follow */
} visit_frame;

static void visit_table(smc_checker *ck, smc_model *root, smc_model **order, uint32_t *n)
{
    if (root->checked)
        return;
    visit_frame *stack = NULL;
    size_t depth = 0;
    stack = smc_grow(ck->ctx, stack, depth, sizeof *stack);
    stack[depth++] = (visit_frame){root, 0};
    root->visiting = true;
    while (depth > 0) {
        visit_frame *f = &stack[depth - 1];
        smc_model *m = f->m;
        bool pushed = false;
        while (f->next < m->ncols && !pushed) {
            smc_model *t = m->cols[f->next++]->fk_model;
            if (!t || t == m || !t->own || !t->is_table || t->checked)
                continue;
            if (t->visiting) {
                m->fk_deferred = true;
                continue;
            }
            t->visiting = true;
            stack = smc_grow(ck->ctx, stack, depth, sizeof *stack);
            stack[depth++] = (visit_frame){t, 0};
            pushed = true;
        }
        if (pushed)
            continue;
        m->visiting = false;
        m->checked = true;
        m->fk_rank = *n;
        order[(*n)++] = m;
        depth--;
    }
}

static void order_tables(smc_checker *ck)
{
    smc_sema *s = ck->out;
    smc_model **order = smc_alloc(ck->ctx, (s->nmodels + 1) * sizeof *order);
    uint32_t n = 0;
    for (uint32_t i = 0; i < s->nmodels; i++)
        s->models[i]->checked = false;
    for (uint32_t i = 0; i < s->nmodels; i++) {
        smc_model *m = s->models[i];
        if (m->own && m->is_table)
            visit_table(ck, m, order, &n);
    }
    s->tables = order;
    s->ntables = n;
}

typedef struct check_job {
    smc_file *file;
    bool ok;
} check_job;

static void check_body(smc_ctx *ctx, void *arg)
{
    smc_file *file = ((check_job *)arg)->file;
    int errors = ctx->nerrors;
    smc_checker ck;
    memset(&ck, 0, sizeof ck);
    ck.ctx = ctx;
    /* The scopes start at 64 slots, as they always have: smc_unknown's
     * did-you-mean takes the first of equally near names in slot order. */
    smc_map_reserve(ctx, &ck.own, 31);
    smc_map_reserve(ctx, &ck.decls, 31);
    ck.out = smc_alloc(ctx, sizeof *ck.out);
    ctx->sema = ck.out;
    ck.out->main = file;
    ck.out->module = file->module.s;
    ck.out->file_base = smc_source_stem(ctx, ctx->files[file->source]->path);

    const char *key = file_key(&ck, ctx->files[file->source]->path);
    smc_map_put(ctx, &ck.loaded, key, file);
    load_imports(&ck, file, key, 0);
    ck.out->imports = smc_alloc(ctx, (ck.nfiles + 1) * sizeof *ck.out->imports);
    if (ck.nfiles)
        memcpy(ck.out->imports, ck.files, ck.nfiles * sizeof *ck.files);
    ck.out->nimports = ck.nfiles;
    add_file(&ck, file);
    mark_mutual(&ck);

    if (strcmp(file->module.s, ck.out->file_base) != 0) {
        smc_diag *w = smc_warning(ctx, file->module.span, "module-name",
                                  "module '%s' is declared in a file named '%s.smdl'",
                                  file->module.s, ck.out->file_base);
        smc_note(ctx, w, NULL, "name the file after its module, or the module after its file");
    }
    smc_check_attrs(&ck, file->module_attrs, SMC_AT_MODULE, "a module");

    for (uint32_t i = 0; i < ck.nfiles; i++)
        for (smc_decl *d = ck.files[i]->decls; d; d = d->next)
            declare(&ck, d);
    for (uint32_t i = 0; i < ck.nfiles; i++)
        for (smc_decl *d = ck.files[i]->decls; d; d = d->next)
            if (d->kind == SMC_D_ENUM) {
                smc_decl **enums = smc_grow(ctx, ck.out->enums, ck.out->nenums, sizeof *enums);
                enums[ck.out->nenums++] = d;
                ck.out->enums = enums;
            }
    check_enums(&ck);
    check_aliases(&ck);
    smc_check_models(&ck);
    smc_check_mutual(&ck);
    if (ctx->nerrors == errors)
        order_tables(&ck);
    smc_check_queries(&ck);
    if (ctx->nerrors == errors)
        smc_check_c_names(&ck);
    /* Tables named alike in C (HTTPLog, HttpLog) are named alike in SQL
     * too: one error for one cause. */
    if (ctx->nerrors == errors)
        smc_check_sql_names(&ck);
    ((check_job *)arg)->ok = ctx->nerrors == errors && !file->parse_errors;
}

bool smc_check(smc_ctx *ctx, smc_file *file)
{
    check_job j = {file, false};
    if (!smc_guarded(ctx, check_body, &j)) {
        smc_oom_unwind(ctx);
        return false;
    }
    return j.ok;
}
