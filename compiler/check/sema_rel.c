/*
 * sema_rel.c: relationships (`@rel`): to-one through an FK column of the
 * table itself or, one-to-one from the other side, a unique FK of the
 * target; one-to-many through an FK of the target; many-to-many through
 * a link table that `_link_` can fill.  Runs after every table's keys and
 * FKs are known.
 */
#include "map.h"
#include "sema_int.h"

#include <string.h>

static const char *const rel_labels[] = {"through", "name", NULL};

/* FK columns of `from` that reference table `to`. */
static smc_col *only_fk(smc_model *from, smc_model *to, uint32_t *count)
{
    smc_col *found = NULL;
    *count = 0;
    for (uint32_t i = 0; i < from->ncols; i++)
        if (from->cols[i]->fk_model == to) {
            found = from->cols[i];
            (*count)++;
        }
    return found;
}

/* A link table between a and b: exactly one FK to each. */
static smc_model *link_table(smc_checker *ck, smc_model *a, smc_model *b)
{
    for (uint32_t i = 0; i < ck->out->nmodels; i++) {
        smc_model *l = ck->out->models[i];
        uint32_t na, nb;
        if (l->is_table && l != a && l != b && only_fk(l, a, &na) && only_fk(l, b, &nb) &&
            na == 1 && nb == 1)
            return l;
    }
    return NULL;
}

/* `from` has no FK to `to`, or several: say how to name one. */
static void no_single_fk(smc_checker *ck, smc_col *c, smc_model *from, smc_model *to,
                         uint32_t count, const char *name_it)
{
    smc_diag *d = smc_error(ck->ctx, c->field->name.span, SMC_E_REL, "'%s' has %s FK column to '%s'",
                            from->name, count ? "more than one" : "no", to->name);
    smc_model *link = count || !c->type.list ? NULL : link_table(ck, from, to);
    if (count)
        smc_note(ck->ctx, d, NULL, "name the one to follow: %s", name_it);
    else if (link)
        smc_note(ck->ctx, d, NULL, "'%s' links them: @rel(through: %s)", link->name, link->name);
    else if (to->nkey == 1)
        smc_note(ck->ctx, d, NULL, "add '@fk(%s.%s)' to a column of '%s'", to->name,
                 to->key[0]->name, from->name);
}

/* Can `_link_` insert a pair into the link table: does every other
 * column of it take a value without being given one? */
static bool link_fillable(smc_checker *ck, smc_col *c, smc_model *link, smc_col *own,
                          smc_col *other, smc_expr *at)
{
    for (uint32_t i = 0; i < link->ncols; i++) {
        smc_col *k = link->cols[i];
        if (k == own || k == other || !k->column || k->type.base == SMC_B_ERROR)
            continue;
        if (k->type.nullable || k->defkind != SMC_DEF_NONE || k->autoinc)
            continue;
        smc_diag *d = smc_error(ck->ctx, at->span, SMC_E_LINK_FILL,
                                "'%s' cannot link through '%s': its column '%s' has no default "
                                "and is not nullable",
                                c->name, link->name, k->name);
        smc_note(ck->ctx, d, &k->field->name.span, "'%s' is declared here", k->name);
        smc_note(ck->ctx, d, NULL,
                 "give it a default, or relate to the link rows ('%s: [%s] @rel') and insert "
                 "them through the link model",
                 smc_snake(ck->ctx, link->name), link->name);
        return false;
    }
    return true;
}

/* To-one: through an FK column of the owner, or (one-to-one from the
 * other side) through a unique FK column of the target pointing here. */
static void to_one(smc_checker *ck, smc_model *m, smc_col *c, smc_model *t, smc_expr *via)
{
    smc_col *fk;
    bool reverse = false;
    uint32_t count;
    if (via && via->qual.s && strcmp(via->qual.s, m->name) != 0) {
        if (strcmp(via->qual.s, t->name) != 0) {
            smc_error(ck->ctx, via->span, SMC_E_REL,
                      "a to-one relationship goes through a column of '%s' or of '%s'", m->name,
                      t->name);
            return;
        }
        fk = smc_find_col(t, via->name.s);
        smc_index_ref(ck, via->name.span, SMC_REF_COL, fk, 0);
        smc_index_ref(ck, via->qual.span, SMC_REF_DECL, t->decl, 0);
        if (!fk) {
            smc_unknown_field(ck, t, via->name.span, via->name.s);
            return;
        }
        reverse = true;
    } else if (via) {
        fk = smc_find_col(m, via->name.s);
        smc_index_ref(ck, via->name.span, SMC_REF_COL, fk, 0);
        smc_index_ref(ck, via->qual.span, SMC_REF_DECL, via->qual.s ? m->decl : NULL, 0);
        if (!fk) {
            smc_unknown_field(ck, m, via->name.span, via->name.s);
            return;
        }
    } else {
        fk = only_fk(m, t, &count);
        if (count == 0 && m != t && !m->fk_failed) {
            /* None here: a unique FK of the target makes it one-to-one. */
            uint32_t back;
            smc_col *b = only_fk(t, m, &back);
            if (back == 1) {
                fk = b;
                count = 1;
                reverse = true;
            } else if (back > 1 && !t->fk_failed) {
                smc_diag *d = smc_error(ck->ctx, c->field->name.span, SMC_E_REL,
                                        "'%s' has no FK column to '%s', and '%s' has more than "
                                        "one to '%s'",
                                        m->name, t->name, t->name, m->name);
                smc_note(ck->ctx, d, NULL, "name the one to follow: @rel(%s.column)", t->name);
                return;
            } else if (t->fk_failed) {
                return;
            }
        }
        if (count != 1 && !m->fk_failed) /* else a failed @fk may be the one */
            no_single_fk(ck, c, m, t, count, "@rel(column)");
        if (count != 1)
            return;
    }
    if (fk->fk_failed || fk->type.base == SMC_B_ERROR)
        return; /* its @fk or type was reported */
    smc_model *to = reverse ? m : t;
    if (fk->fk_model != to) {
        smc_error(ck->ctx, via ? via->span : c->field->name.span, SMC_E_REL,
                  "'%s' is not a foreign key to '%s'",
                  reverse ? smc_printf(ck->ctx, "%s.%s", t->name, fk->name) : fk->name, to->name);
        return;
    }
    if (reverse && !smc_col_unique(t, fk)) {
        smc_diag *d = smc_error(ck->ctx, via ? via->span : c->field->name.span, SMC_E_REL,
                                "'%s.%s' is not unique, so one '%s' can have several '%s' rows",
                                t->name, fk->name, m->name, t->name);
        smc_note(ck->ctx, d, NULL, "declare '%s: [%s]' for all of them, or make '%s' @unique "
                                   "for one-to-one",
                 c->name, t->name, fk->name);
        return;
    }
    c->rel = SMC_REL_ONE;
    c->rel_fk = fk;
    c->rel_reverse = reverse;
    c->rel_own = reverse ? fk->fk_col : fk;
    c->rel_match = reverse ? fk : fk->fk_col;
}

void smc_resolve_rel(smc_checker *ck, smc_model *m, smc_col *c)
{
    smc_attr *a = NULL;
    for (smc_attr *x = c->field->attrs; x; x = x->next)
        if (strcmp(x->name.s, "rel") == 0 && !x->bad)
            a = x;
    if (!a || c->type.base != SMC_B_MODEL)
        return;
    if (!smc_attr_labels(ck, a, rel_labels, 1))
        return;
    smc_model *t = c->type.decl->model;
    if (!t->is_table) {
        smc_error(ck->ctx, c->field->type->span, SMC_E_REL,
                  "a relationship must point to a table; '%s' is a %s", t->name, smc_model_kind(t));
        return;
    }
    c->rel_target = t;
    c->rel_name = c->name;
    smc_arg *name = smc_attr_label(a, "name"), *through = smc_attr_label(a, "through");
    if (name) {
        if (name->value->kind != SMC_EX_NAME || name->value->qual.s)
            smc_error(ck->ctx, name->value->span, SMC_E_ATTR_ARGS, "'name:' takes a plain name");
        else
            c->rel_name = name->value->name.s;
    }
    smc_expr *via = a->args && !a->args->label.s ? a->args->value : NULL;
    if (via && (via->kind != SMC_EX_NAME)) {
        smc_error(ck->ctx, via->span, SMC_E_ATTR_ARGS,
                  "'@rel' takes an FK column: field or Model.field");
        return;
    }
    uint32_t count;
    if (through) {
        if (!c->type.list) {
            smc_error(ck->ctx, c->field->type->span, SMC_E_REL,
                      "a many-to-many relationship has a list type: [%s]", t->name);
            return;
        }
        smc_expr *e = through->value;
        smc_decl *ld = e->kind == SMC_EX_NAME && !e->qual.s ? smc_lookup(ck, e->name.s) : NULL;
        if (!ld || ld->kind != SMC_D_MODEL || !ld->model->is_table) {
            if (e->kind == SMC_EX_NAME)
                smc_unknown(ck, e->span, SMC_E_REL, "link table", e->name.s, 1u << SMC_D_MODEL,
                            false);
            else
                smc_error(ck->ctx, e->span, SMC_E_ATTR_ARGS, "'through:' takes a table name");
            return;
        }
        smc_index_ref(ck, e->name.span, SMC_REF_DECL, ld, 0);
        smc_model *link = ld->model;
        smc_col *own;
        if (via) {
            /* The link's column to the owner, named: a link table with
             * two FKs to one table (a self-referencing many-to-many). */
            if (via->qual.s && strcmp(via->qual.s, link->name) != 0) {
                smc_error(ck->ctx, via->span, SMC_E_REL,
                          "a many-to-many relationship names a column of its link table '%s'",
                          link->name);
                return;
            }
            own = smc_find_col(link, via->name.s);
            smc_index_ref(ck, via->name.span, SMC_REF_COL, own, 0);
            smc_index_ref(ck, via->qual.span, SMC_REF_DECL, via->qual.s ? link->decl : NULL, 0);
            if (!own) {
                smc_unknown_field(ck, link, via->name.span, via->name.s);
                return;
            }
            if (own->fk_failed || own->type.base == SMC_B_ERROR)
                return;
            if (own->fk_model != m) {
                smc_error(ck->ctx, via->span, SMC_E_REL, "'%s.%s' is not a foreign key to '%s'",
                          link->name, own->name, m->name);
                return;
            }
            count = 1;
        } else {
            own = only_fk(link, m, &count);
        }
        uint32_t n2 = 0;
        smc_col *other = NULL;
        for (uint32_t i = 0; i < link->ncols; i++)
            if (link->cols[i]->fk_model == t && link->cols[i] != own) {
                other = link->cols[i];
                n2++;
            }
        if ((count != 1 || n2 != 1) && !link->fk_failed) {
            smc_diag *d = smc_error(ck->ctx, e->span, SMC_E_REL,
                                    "link table '%s' needs exactly one FK to '%s' and one to '%s'",
                                    link->name, m->name, t->name);
            if (m == t || count > 1)
                smc_note(ck->ctx, d, NULL, "name its column to '%s': @rel(column, through: %s)",
                         m->name, link->name);
            return;
        }
        if (count != 1 || n2 != 1)
            return;
        if (!link_fillable(ck, c, link, own, other, e))
            return;
        c->rel = SMC_REL_M2M;
        c->rel_through = link;
        c->rel_link_own = own;
        c->rel_link_target = other;
        c->rel_own = own->fk_col;
        c->rel_match = own;
        return;
    }
    if (!c->type.list) {
        to_one(ck, m, c, t, via);
        return;
    }
    /* One-to-many: an FK column of the target pointing here. */
    smc_col *fk;
    if (via) {
        if (via->qual.s && strcmp(via->qual.s, t->name) != 0) {
            smc_error(ck->ctx, via->span, SMC_E_REL,
                      "a one-to-many relationship goes through a column of '%s'", t->name);
            return;
        }
        fk = smc_find_col(t, via->name.s);
        smc_index_ref(ck, via->name.span, SMC_REF_COL, fk, 0);
        smc_index_ref(ck, via->qual.span, SMC_REF_DECL, via->qual.s ? t->decl : NULL, 0);
        if (!fk) {
            smc_unknown_field(ck, t, via->name.span, via->name.s);
            return;
        }
    } else {
        fk = only_fk(t, m, &count);
        if (count != 1 && !t->fk_failed)
            no_single_fk(ck, c, t, m, count, smc_printf(ck->ctx, "@rel(%s.column)", t->name));
        if (count != 1)
            return;
    }
    if (fk->fk_failed || fk->type.base == SMC_B_ERROR)
        return;
    if (fk->fk_model != m) {
        smc_error(ck->ctx, via ? via->span : c->field->name.span, SMC_E_REL,
                  "'%s.%s' is not a foreign key to '%s'", t->name, fk->name, m->name);
        return;
    }
    c->rel = SMC_REL_MANY;
    c->rel_fk = fk;
    c->rel_own = fk->fk_col;
    c->rel_match = fk;
}

/* Two many-to-many relationships to one target need distinct names. */
static bool explicit_name(const smc_col *c)
{
    return c->rel_name != c->name;
}

/* Earlier many-to-many relationships of a model to one target. */
typedef struct m2m_group {
    smc_col *any;       /* the first */
    smc_col *unnamed;   /* the first without an explicit name */
    smc_map named;      /* explicit name -> the first of that name */
} m2m_group;

void smc_check_rel_names(smc_checker *ck, smc_model *m)
{
    smc_map groups = {0}; /* target name -> m2m_group: linear in the fields */
    for (uint32_t i = 0; i < m->ncols; i++) {
        smc_col *a = m->cols[i];
        if (a->rel != SMC_REL_M2M)
            continue;
        m2m_group *g = smc_map_get(&groups, a->rel_target->name);
        if (!g) {
            g = smc_alloc(ck->ctx, sizeof *g);
            smc_map_put(ck->ctx, &groups, a->rel_target->name, g);
        }
        /* The first earlier one it cannot be told from: any, when a has no
         * name of its own; else the first without a name or of a's name. */
        smc_col *b = g->any;
        if (explicit_name(a)) {
            smc_col *same = smc_map_get(&g->named, a->rel_name);
            b = g->unnamed;
            if (same && (!b || same->index < b->index))
                b = same;
        }
        if (b) {
            smc_diag *d = smc_error(ck->ctx, a->field->name.span, SMC_E_REL_AMBIGUOUS,
                                    "'%s' has two many-to-many relationships to '%s'", m->name,
                                    a->rel_target->name);
            smc_note(ck->ctx, d, &b->field->name.span, "the other is here");
            smc_note(ck->ctx, d, NULL, "give each a distinct name: @rel(through: X, name: x)");
        }
        if (!g->any)
            g->any = a;
        if (!explicit_name(a) && !g->unnamed)
            g->unnamed = a;
        if (explicit_name(a))
            smc_map_put(ck->ctx, &g->named, a->rel_name, a);
    }
}
