/*
 * sema_contain.c: a model may not contain itself by value (DESIGN 2.4).
 * A nested model field, nullable or not, is a struct member of the
 * nested type, so a cycle of such fields describes an infinite struct;
 * only a list ([T], a pointer and a length) breaks it.  Inheritance is
 * already flattened: a field a model inherits counts as its own.
 *
 * The models and their nested fields form a graph; each strongly
 * connected component with a cycle is one mistake and gets one error,
 * which shows a shortest cycle through its first model.  Models that
 * merely contain such a component are not reported again.  Tarjan's
 * algorithm runs with an explicit stack, so a deep schema cannot
 * exhaust the C stack.
 */
#include "sema_int.h"

#include <stdio.h>
#include <string.h>

/* The model c holds by value, or NULL. */
static smc_model *held(const smc_model *m, const smc_col *c)
{
    if (m->is_table || c->type.base != SMC_B_MODEL || c->type.list || c->rel || !c->type.decl ||
        !c->type.decl->model)
        return NULL;
    if (smc_attr_find(c->field->attrs, "rel") || c->field->type->type.base == SMC_B_ERROR)
        return NULL; /* a misplaced relationship, already reported */
    return c->type.decl->model;
}

typedef struct node {
    uint32_t index, low; /* Tarjan's numbers; index 0: not visited */
    uint32_t comp;       /* component + 1, once assigned */
    bool on_stack;
    smc_model *from;     /* breadth-first search: the model before this one */
    smc_col *via;        /* and the field that holds this one */
    uint32_t seen;       /* the search that reached it, + 1 */
} node;

typedef struct frame {
    uint32_t v, next; /* model position, next column to follow */
} frame;

/* One error for the component holding s: a shortest cycle through s,
 * found breadth first within the component (queue: room for every model). */
static void report(smc_checker *ck, node *nodes, smc_model **queue, smc_model *s, uint32_t search)
{
    uint32_t comp = nodes[s->pos].comp;
    size_t head = 0, tail = 0;
    smc_model *last = NULL;
    smc_col *closing = NULL;
    queue[tail++] = s;
    nodes[s->pos].seen = search;
    while (head < tail && !closing) {
        smc_model *u = queue[head++];
        for (uint32_t i = 0; i < u->ncols && !closing; i++) {
            smc_model *w = held(u, u->cols[i]);
            if (!w || nodes[w->pos].comp != comp)
                continue;
            if (w == s) {
                last = u;
                closing = u->cols[i];
            } else if (nodes[w->pos].seen != search) {
                nodes[w->pos].seen = search;
                nodes[w->pos].from = u;
                nodes[w->pos].via = u->cols[i];
                queue[tail++] = w;
            }
        }
    }
    if (!closing)
        return; /* cannot happen: the component has a cycle through s */
    /* The cycle's fields in order from s, and the model holding each (a
     * shared copy's owner is the base that made it, not the holder). */
    uint32_t n = 1;
    for (smc_model *u = last; u != s; u = nodes[u->pos].from)
        n++;
    smc_col **path = smc_alloc(ck->ctx, n * sizeof *path);
    smc_model **holder = smc_alloc(ck->ctx, n * sizeof *holder);
    path[n - 1] = closing;
    holder[n - 1] = last;
    for (uint32_t k = n - 1; k > 0; k--) {
        path[k - 1] = nodes[holder[k]->pos].via;
        holder[k - 1] = nodes[holder[k]->pos].from;
    }
    smc_diag *d;
    smc_span at = path[0]->field->type->span;
    if (n == 1) {
        d = smc_error(ck->ctx, at, SMC_E_CONTAINS,
                      "model '%s' contains itself by value: its struct would be infinite",
                      s->name);
    } else {
        /* "'B'", "'B' and 'C'", "'B', 'C' and 'D'" */
        size_t len = 1;
        for (uint32_t i = 1; i < n; i++)
            len += strlen(holder[i]->name) + 7;
        char *names = smc_alloc(ck->ctx, len), *o = names;
        for (uint32_t i = 1; i < n; i++)
            o += sprintf(o, "%s'%s'", i == 1 ? "" : i + 1 == n ? " and " : ", ", holder[i]->name);
        d = smc_error(ck->ctx, at, SMC_E_CONTAINS,
                      "model '%s' contains itself by value through %s: its struct would be "
                      "infinite",
                      s->name, names);
    }
    for (uint32_t k = 0; k < n; k++) {
        smc_col *c = path[k];
        smc_model *h = holder[k];
        const char *inh = c->field->owner != h->decl
                              ? smc_printf(ck->ctx, " (inherited from '%s')", c->field->owner->name.s)
                              : "";
        if (k == 0) {
            if (*inh)
                smc_note(ck->ctx, d, NULL, "'%s' inherits field '%s' from '%s'", h->name, c->name,
                         c->field->owner->name.s);
            continue;
        }
        smc_note(ck->ctx, d, &c->field->type->span, "'%s' holds '%s' in field '%s'%s", h->name,
                 c->type.decl->name.s, c->name, inh);
    }
    smc_note(ck->ctx, d, NULL,
             "a nested model is stored by value, nullable or not; only a list ('[%s]') breaks "
             "the cycle",
             path[n - 1]->type.decl->name.s);
}

void smc_check_containment(smc_checker *ck)
{
    smc_sema *s = ck->out;
    uint32_t n = s->nmodels;
    node *nodes = smc_alloc(ck->ctx, (n + 1) * sizeof *nodes);
    uint32_t *stack = smc_alloc(ck->ctx, (n + 1) * sizeof *stack); /* Tarjan's */
    frame *frames = smc_alloc(ck->ctx, (n + 1) * sizeof *frames);  /* the search's */
    smc_model **queue = smc_alloc(ck->ctx, (n + 1) * sizeof *queue);
    uint32_t counter = 0, sp = 0, ncomp = 0, searches = 0;
    for (uint32_t root = 0; root < n; root++) {
        if (nodes[root].index)
            continue;
        uint32_t fp = 0;
        frames[fp++] = (frame){root, 0};
        nodes[root].index = nodes[root].low = ++counter;
        stack[sp++] = root;
        nodes[root].on_stack = true;
        while (fp > 0) {
            frame *f = &frames[fp - 1];
            smc_model *m = s->models[f->v];
            bool descended = false;
            while (f->next < m->ncols) {
                smc_model *w = held(m, m->cols[f->next++]);
                if (!w)
                    continue;
                node *nw = &nodes[w->pos];
                if (!nw->index) {
                    nw->index = nw->low = ++counter;
                    stack[sp++] = w->pos;
                    nw->on_stack = true;
                    frames[fp++] = (frame){w->pos, 0};
                    descended = true;
                    break;
                }
                if (nw->on_stack && nw->index < nodes[f->v].low)
                    nodes[f->v].low = nw->index;
            }
            if (descended)
                continue;
            uint32_t v = f->v;
            if (nodes[v].low == nodes[v].index) {
                /* v roots a component: pop it; a cycle is a component of
                 * two or more, or one model that holds itself. */
                uint32_t size = 0, first = UINT32_MAX;
                ncomp++;
                for (;;) {
                    uint32_t w = stack[--sp];
                    nodes[w].on_stack = false;
                    nodes[w].comp = ncomp;
                    size++;
                    if (w < first)
                        first = w;
                    if (w == v)
                        break;
                }
                bool cyclic = size > 1;
                for (uint32_t i = 0; !cyclic && i < m->ncols; i++)
                    cyclic = held(m, m->cols[i]) == m;
                if (cyclic)
                    report(ck, nodes, queue, s->models[first], ++searches);
            }
            fp--;
            if (fp > 0 && nodes[v].low < nodes[frames[fp - 1].v].low)
                nodes[frames[fp - 1].v].low = nodes[v].low;
        }
    }
}
