/*
 * sema_db.c: the tables a database built from a schema holds, the set a
 * migration snapshot prints and the migration differ compares: the
 * schema's own tables and the imported tables they reference through
 * foreign keys, transitively (a database of the schema cannot be without
 * them).  Ordered for creation: every table after the tables it
 * references; a cycle keeps the order the walk met it in.
 */
#include "sema.h"

enum { NEW, OPEN, DONE };

typedef struct frame {
    smc_model *m;
    uint32_t next; /* the next column to follow */
} frame;

smc_model **smc_db_tables(smc_ctx *ctx, const smc_sema *s, uint32_t *n)
{
    uint8_t *state = smc_alloc(ctx, s->nmodels + 1);
    smc_model **out = smc_alloc(ctx, (s->nmodels + 1) * sizeof *out);
    frame *stack = smc_alloc(ctx, (s->nmodels + 1) * sizeof *stack);
    *n = 0;
    /* Depth-first from each own table, in the schema's creation order;
     * a table is written once every table it references is. */
    for (uint32_t r = 0; r < s->ntables; r++) {
        if (state[s->tables[r]->pos] != NEW)
            continue;
        size_t depth = 0;
        stack[depth++] = (frame){s->tables[r], 0};
        state[s->tables[r]->pos] = OPEN;
        while (depth) {
            frame *f = &stack[depth - 1];
            smc_model *next = NULL;
            while (f->next < f->m->ncols && !next) {
                const smc_col *c = f->m->cols[f->next++];
                smc_model *t = c->column ? c->fk_model : NULL;
                if (t && t->is_table && state[t->pos] == NEW)
                    next = t;
            }
            if (next) {
                state[next->pos] = OPEN;
                stack[depth++] = (frame){next, 0};
                continue;
            }
            state[f->m->pos] = DONE;
            out[(*n)++] = f->m;
            depth--;
        }
    }
    return out;
}
