/*
 * sema_mutual.c: what files that import each other cannot do.  Their
 * models may point at each other (relationships, lists), but each
 * module's create_all runs on its own, after the modules whose tables it
 * references, so foreign keys must not go round a cycle of files; and
 * their generated headers include each other, so neither can hold the
 * other's struct by value.
 */
#include "sema_int.h"

#include <string.h>

/* A foreign key from a table of one file to a table of another. */
typedef struct file_edge {
    uint32_t to;     /* position of the referenced table's file */
    smc_model *from; /* the referencing table */
    smc_col *fk;
} file_edge;

typedef struct file_node {
    file_edge *edges;
    uint32_t nedges;
    uint8_t state;   /* 0 unvisited, 1 on the walk's stack, 2 done */
} file_node;

typedef struct walk_frame {
    uint32_t file;
    uint32_t next;   /* the next edge to follow; the one followed is next - 1 */
} walk_frame;

static const char *file_name(smc_checker *ck, smc_file *f)
{
    return smc_printf(ck->ctx, "%s.smdl", smc_source_stem(ck->ctx, ck->ctx->files[f->source]->path));
}

/* Reports the cycle on the stack from frame `from` to the top, which the
 * top's edge to stack[from].file closes. */
static void report_cycle(smc_checker *ck, file_node *nodes, walk_frame *stack, size_t from,
                         size_t top)
{
    file_edge *first = &nodes[stack[from].file].edges[stack[from].next - 1];
    smc_file *a = first->from->decl->file, *b = ck->files[first->to];
    smc_diag *d = smc_error(ck->ctx, first->fk->field->name.span, SMC_E_IMPORT_CYCLE,
                            "'%s' of '%s' references a table of '%s', whose foreign keys lead "
                            "back to '%s': each module's create_all must run after the modules "
                            "whose tables it references",
                            first->fk->name, first->from->name, file_name(ck, b), file_name(ck, a));
    for (size_t k = from + 1; k <= top; k++) {
        file_edge *e = &nodes[stack[k].file].edges[stack[k].next - 1];
        smc_note(ck->ctx, d, &e->fk->field->name.span, "'%s' of '%s' references '%s'", e->fk->name,
                 e->from->name, e->fk->fk_model->name);
    }
    smc_note(ck->ctx, d, NULL,
             "keep the tables of a foreign key cycle in one file, or drop one of these foreign keys");
}

/* Foreign keys that go round files: one error for the first cycle. */
static void check_fk_cycles(smc_checker *ck)
{
    uint32_t n = ck->nfiles;
    smc_map pos = {0}; /* path -> position + 1 */
    for (uint32_t i = 0; i < n; i++)
        smc_map_put(ck->ctx, &pos, ck->ctx->files[ck->files[i]->source]->path,
                    (void *)(uintptr_t)(i + 1));
    file_node *nodes = smc_alloc(ck->ctx, (n + 1) * sizeof *nodes);
    smc_sema *s = ck->out;
    for (uint32_t i = 0; i < s->nmodels; i++) {
        smc_model *m = s->models[i];
        if (!m->is_table)
            continue;
        for (uint32_t k = 0; k < m->ncols; k++) {
            smc_col *c = m->cols[k];
            if (!c->fk_model || c->fk_failed || c->fk_model->decl->file == m->decl->file)
                continue;
            uintptr_t a = (uintptr_t)smc_map_get(&pos, ck->ctx->files[m->decl->file->source]->path);
            uintptr_t b =
                (uintptr_t)smc_map_get(&pos, ck->ctx->files[c->fk_model->decl->file->source]->path);
            if (!a || !b)
                continue;
            file_node *nd = &nodes[a - 1];
            nd->edges = smc_grow(ck->ctx, nd->edges, nd->nedges, sizeof *nd->edges);
            nd->edges[nd->nedges++] = (file_edge){(uint32_t)(b - 1), m, c};
        }
    }
    /* Depth first from the compiled file (last), then the others, with
     * an explicit stack. */
    walk_frame *stack = smc_alloc(ck->ctx, (n + 1) * sizeof *stack);
    for (uint32_t r = n; r-- > 0;) {
        if (nodes[r].state)
            continue;
        size_t depth = 0;
        stack[depth++] = (walk_frame){r, 0};
        nodes[r].state = 1;
        while (depth > 0) {
            walk_frame *f = &stack[depth - 1];
            file_node *nd = &nodes[f->file];
            if (f->next == nd->nedges) {
                nd->state = 2;
                depth--;
                continue;
            }
            uint32_t to = nd->edges[f->next++].to;
            if (nodes[to].state == 1) {
                size_t from = depth - 1;
                while (stack[from].file != to)
                    from--;
                report_cycle(ck, nodes, stack, from, depth - 1);
                return;
            }
            if (nodes[to].state == 0) {
                nodes[to].state = 1;
                stack[depth++] = (walk_frame){to, 0};
            }
        }
    }
}

/* Is f the compiled file or one that imports it back? */
static bool in_cycle(smc_checker *ck, const smc_file *f)
{
    return f == ck->out->main || f->mutual;
}

/* Data models of the compiled file's import cycle that hold a model of
 * another file of the cycle by value. */
static void check_by_value(smc_checker *ck)
{
    smc_sema *s = ck->out;
    for (uint32_t i = 0; i < s->nmodels; i++) {
        smc_model *m = s->models[i];
        if (m->is_table || m->implicit || !in_cycle(ck, m->decl->file))
            continue;
        for (uint32_t k = 0; k < m->ncols; k++) {
            smc_col *c = m->cols[k];
            if (c->field->owner != m->decl || c->rel || c->type.base != SMC_B_MODEL ||
                c->type.list)
                continue;
            smc_model *x = c->type.decl->model;
            smc_file *g = x->decl->file;
            if (g == m->decl->file || !in_cycle(ck, g))
                continue;
            smc_diag *d = smc_error(ck->ctx, c->field->type->span, SMC_E_IMPORT_CYCLE,
                                    "'%s' holds '%s' of '%s' by value, but '%s' and '%s' import "
                                    "each other: neither generated header can define its "
                                    "struct first",
                                    c->name, x->name, file_name(ck, g),
                                    file_name(ck, m->decl->file), file_name(ck, g));
            smc_note(ck->ctx, d, NULL, "a list ('[%s]') holds it by pointer, or declare '%s' in "
                                       "a file that does not import '%s' back",
                     x->name, x->name, file_name(ck, m->decl->file));
        }
    }
}

void smc_check_mutual(smc_checker *ck)
{
    check_fk_cycles(ck);
    check_by_value(ck);
}
