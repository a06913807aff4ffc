/*
 * sema_model.c: models, tables and rows.  Flattens inheritance (bases'
 * fields first, depth first, left to right), applies field attributes
 * (sema_attr.c), checks tables' keys, constraints and foreign keys
 * (sema_table.c), then relationships (sema_rel.c) once every table's
 * columns are known.  Constants and defaults are in sema_const.c.
 */
#include "sema_int.h"

#include <string.h>

const char *smc_model_kind(const smc_model *m)
{
    return m->is_table ? "table" : m->is_row ? "row" : "model";
}

static smc_model *new_model(smc_checker *ck, smc_decl *d)
{
    smc_model *m = smc_alloc(ck->ctx, sizeof *m);
    m->decl = d;
    m->name = d->name.s;
    m->snake = smc_snake(ck->ctx, d->name.s);
    m->upper = smc_upper(ck->ctx, d->name.s);
    m->is_table = d->kind == SMC_D_MODEL && d->is_table;
    m->is_row = d->kind == SMC_D_ROW;
    m->is_partial = d->partial_of.s != NULL;
    m->own = d->file == ck->out->main;
    d->model = m;
    return m;
}

/* ---- The index of columns by name ------------------------------------------------ */

/* The slot of name in m's index: the one holding it, or the empty one
 * where it would go. */
static uint32_t *index_slot(const smc_model *m, const char *name)
{
    uint32_t mask = m->col_index_cap - 1;
    for (uint32_t i = smc_fnv1a(name) & mask;; i = (i + 1) & mask) {
        uint32_t v = m->col_index[i];
        if (v == 0 || strcmp(m->cols[v - 1]->name, name) == 0)
            return &m->col_index[i];
    }
}

/* Indexes m->cols[i]; the index keeps a load under one half. */
static void index_col(smc_checker *ck, smc_model *m, uint32_t i)
{
    if (2 * (m->ncols + 1) > m->col_index_cap) {
        uint32_t cap = m->col_index_cap ? 2 * m->col_index_cap : 16;
        m->col_index = smc_alloc(ck->ctx, cap * sizeof *m->col_index);
        m->col_index_cap = cap;
        for (uint32_t k = 0; k < i; k++)
            *index_slot(m, m->cols[k]->name) = k + 1;
    }
    *index_slot(m, m->cols[i]->name) = i + 1;
}

smc_col *smc_find_col(const smc_model *m, const char *name)
{
    if (!m->col_index) { /* rows a query defines are small and not indexed */
        for (uint32_t i = 0; i < m->ncols; i++)
            if (strcmp(m->cols[i]->name, name) == 0)
                return m->cols[i];
        return NULL;
    }
    uint32_t v = *index_slot(m, name);
    return v ? m->cols[v - 1] : NULL;
}

void smc_unknown_field(smc_checker *ck, smc_model *m, smc_span at, const char *name)
{
    if (m->incomplete) /* a base failed: the field may be one it would bring */
        return;
    smc_diag *d = smc_error(ck->ctx, at, SMC_E_UNKNOWN_FIELD, "%s '%s' has no field '%s'",
                            smc_model_kind(m), m->name, name);
    if (d->hidden)
        return;
    const char **names = smc_alloc(ck->ctx, (m->ncols + 1) * sizeof *names);
    for (uint32_t i = 0; i < m->ncols; i++)
        names[i] = m->cols[i]->name;
    smc_suggest(ck->ctx, d, name, names, m->ncols);
}

/* Appends c to m's columns unless m has a field of that name already.
 * A copy of m's own (not `shared` with a base) gets m as its owner. */
static void add_col(smc_checker *ck, smc_model *m, smc_col *c, const smc_name *base, bool shared)
{
    smc_col *old = smc_find_col(m, c->name);
    if (old) {
        smc_diag *d;
        if (base)
            d = smc_error(ck->ctx, base->span, SMC_E_DUPLICATE,
                          "'%s' brings field '%s', already declared in %s '%s'", base->s, c->name,
                          smc_model_kind(m), m->name);
        else
            d = smc_error(ck->ctx, c->field->name.span, SMC_E_DUPLICATE,
                          "field '%s' is already declared in %s '%s'", c->name, smc_model_kind(m),
                          m->name);
        smc_note(ck->ctx, d, &old->field->name.span, "previous declaration is here");
        return;
    }
    m->cols = smc_grow(ck->ctx, m->cols, m->ncols, sizeof *m->cols);
    if (!shared) {
        c->owner = m;
        c->index = m->ncols;
    }
    m->cols[m->ncols++] = c;
    index_col(ck, m, m->ncols - 1);
}

/* ---- Fields --------------------------------------------------------------------------- */

static smc_col *field_col(smc_checker *ck, smc_model *m, smc_field *f)
{
    smc_col *c = smc_alloc(ck->ctx, sizeof *c);
    c->name = f->name.s;
    c->field = f;
    f->col = c;
    c->json = f->name.s;
    c->min_len = c->max_len = -1;
    smc_check_attrs(ck, f->attrs, SMC_AT_FIELD, "a field");
    smc_resolve_type(ck, f->type, m->is_table ? SMC_TY_FIELD_TABLE : SMC_TY_FIELD_MODEL);
    c->type = f->type->type;
    bool is_rel = smc_attr_find(f->attrs, "rel") != NULL;
    if (c->type.base == SMC_B_MODEL) {
        smc_decl *target = c->type.decl;
        if (m->is_table && !is_rel) {
            if (!smc_attr_failed(f->attrs, "rel")) /* else '@rel' was meant */
                smc_error(ck->ctx, f->type->span, SMC_E_FIELD_TYPE,
                          "a table field of model type needs '@rel' (a relationship); '%s' is a %s",
                          target->name.s, target->is_table ? "table" : "model");
            c->type.base = SMC_B_ERROR;
        } else if (!m->is_table && is_rel) {
            smc_attr *rel = smc_attr_find(f->attrs, "rel");
            smc_error(ck->ctx, rel->name.span, SMC_E_ATTR_PLACE,
                      "relationships are only allowed in tables");
            rel->used = rel->bad = true; /* no table inheriting it resolves it again */
        } else if (!m->is_table && (target->kind == SMC_D_ROW || target->is_table)) {
            smc_error(ck->ctx, f->type->span, SMC_E_FIELD_TYPE,
                      "a nested field must have a data model type; '%s' is a %s", target->name.s,
                      target->kind == SMC_D_ROW ? "row" : "table");
            c->type.base = SMC_B_ERROR;
        } else if (m->is_row) {
            smc_error(ck->ctx, f->type->span, SMC_E_FIELD_TYPE,
                      "row fields hold column values, not models");
            c->type.base = SMC_B_ERROR;
        }
    } else if (is_rel) {
        if (c->type.base != SMC_B_ERROR) /* else the type was reported */
            smc_error(ck->ctx, smc_attr_find(f->attrs, "rel")->name.span, SMC_E_ATTR_TYPE,
                      "'@rel' needs a field of table type (X? or [X])");
        smc_attr_find(f->attrs, "rel")->used = true;
    }
    if (c->type.base != SMC_B_MODEL && c->type.base != SMC_B_ERROR && m->is_table)
        c->column = f->name.s;
    if (m->is_row)
        c->column = f->name.s;
    /* Refined types from the innermost out, then the field's own: each
     * layer overrides what it restates. */
    uint32_t nchain = 0;
    for (smc_decl *r = f->type->refined; r; r = r->alias->refined)
        nchain++;
    smc_decl **chain = nchain ? smc_alloc(ck->ctx, nchain * sizeof *chain) : NULL;
    nchain = 0;
    for (smc_decl *r = f->type->refined; r; r = r->alias->refined)
        chain[nchain++] = r;
    smc_attr *from[FROM_N] = {0};
    while (nchain > 0)
        smc_apply_validation(ck, c, chain[--nchain]->attrs, true, from);
    smc_apply_validation(ck, c, f->attrs, false, from);
    smc_apply_field_attrs(ck, m, c);
    smc_diag *d = NULL;
    int pair = -1;
    if (c->min_len >= 0 && c->max_len >= 0 && c->min_len > c->max_len) {
        d = smc_error(ck->ctx, f->span, SMC_E_RANGE,
                      "no value of field '%s' can satisfy @min_len(%d) and @max_len(%d)", c->name,
                      c->min_len, c->max_len);
        pair = FROM_MIN_LEN;
    } else if (smc_bounds_empty(c)) {
        d = smc_error(ck->ctx, f->span, SMC_E_RANGE,
                      "no value of field '%s' lies within its bounds", c->name);
        pair = FROM_LOWER;
    }
    for (int k = pair; d && k < pair + 2; k++)
        if (from[k] && !smc_attr_in(f->attrs, from[k]))
            smc_note(ck->ctx, d, &from[k]->span, "'@%s' comes from the field's type",
                     from[k]->name.s);
    if (f->deflt && c->type.base != SMC_B_ERROR) {
        if (c->type.base == SMC_B_MODEL)
            smc_error(ck->ctx, f->deflt->span, SMC_E_DEFAULT,
                      "fields of model type cannot have defaults");
        else {
            /* A default that failed (reported) is no default: nothing built
             * on it may follow deflt_expr. */
            uint8_t kind;
            if (smc_const_value(ck, f->deflt, &c->type, &c->deflt, &kind)) {
                c->defkind = kind;
                c->deflt_expr = f->deflt;
            }
        }
    }
    return c;
}

/* Copies an inherited column for model m. */
static smc_col *copy_col(smc_checker *ck, const smc_col *src)
{
    smc_col *c = smc_alloc(ck->ctx, sizeof *c);
    *c = *src;
    return c;
}

/* ---- Inheritance ------------------------------------------------------------------------
 *
 * Bases are resolved before the models built on them, depth first,
 * without recursion (an explicit stack): a chain of thousands of bases
 * must not exhaust the C stack.  The work per base is the one the
 * recursive order gave: find it, resolve it, check its kind, take its
 * fields; so errors come out in the same order. */

/* The names m builds on: its partial's base first, then its bases. */
static uint32_t base_refs(smc_checker *ck, smc_model *m, smc_name ***out)
{
    smc_decl *d = m->decl;
    uint32_t n = m->is_partial;
    for (smc_ident *bn = d->bases; bn; bn = bn->next)
        n++;
    smc_name **refs = smc_alloc(ck->ctx, (n + 1) * sizeof *refs);
    n = 0;
    if (m->is_partial)
        refs[n++] = &d->partial_of;
    for (smc_ident *bn = d->bases; bn; bn = bn->next)
        refs[n++] = &bn->name;
    *out = refs;
    return n;
}

/* The model a base name denotes, or NULL after reporting why not. */
static smc_model *find_base(smc_checker *ck, smc_model *m, smc_name name)
{
    smc_decl *d = smc_lookup(ck, name.s);
    if (!d || (d->kind != SMC_D_MODEL && d->kind != SMC_D_ROW)) {
        if (d && d->kind != SMC_D_MODEL)
            smc_error(ck->ctx, name.span, SMC_E_BASE, "'%s' is not a model", name.s);
        else
            smc_unknown(ck, name.span, SMC_E_UNKNOWN_NAME, "model", name.s, 1u << SMC_D_MODEL,
                        false);
        return NULL;
    }
    smc_index_ref(ck, name.span, SMC_REF_DECL, d, 0);
    smc_model *b = d->model;
    if (b == m) {
        smc_error(ck->ctx, name.span, SMC_E_INHERIT_CYCLE, "'%s' inherits from itself", m->name);
        return NULL;
    }
    if (b->visiting) {
        smc_diag *e = smc_error(ck->ctx, name.span, SMC_E_INHERIT_CYCLE,
                                "'%s' inherits from itself through '%s'", m->name, name.s);
        smc_note(ck->ctx, e, &b->decl->name.span, "'%s' is declared here", b->name);
        return NULL;
    }
    return b;
}

/* Does a partial of b copy field c?  Every column, except that a partial
 * of a table leaves out its key: keys say which row a patch writes and
 * are never part of it (DESIGN 3.3).  Relationships are not columns.
 * The table's key may still be unresolved here, hence the AST. */
static bool partial_copies(const smc_model *b, const smc_col *c)
{
    if (c->rel || smc_attr_find(c->field->attrs, "rel"))
        return false;
    if (!b->is_table)
        return true;
    if (c->pk)
        return false;
    for (const smc_constraint *k = b->decl->constraints; k; k = k->next)
        for (const smc_ident *id = k->cols; k->kind == SMC_C_PRIMARY_KEY && id; id = id->next)
            if (strcmp(id->name.s, c->name) == 0)
                return false;
    return true;
}

static void add_derived(smc_checker *ck, smc_model *b, smc_model *m)
{
    b->derived = smc_grow(ck->ctx, b->derived, b->nderived, sizeof *b->derived);
    b->derived[b->nderived++] = m;
}

/* Takes what resolved base b (NULL: failed) gives m. */
static void take_base(smc_checker *ck, smc_model *m, smc_name *name, smc_model *b, bool partial)
{
    if (b && !partial && (b->is_table || b->is_row || b->is_partial)) {
        smc_error(ck->ctx, name->span, SMC_E_BASE, "'%s' is a %s; only data models can be bases",
                  name->s, b->is_partial ? "partial model" : smc_model_kind(b));
        b = NULL;
    }
    if (b && partial && b->is_row) {
        smc_error(ck->ctx, name->span, SMC_E_BASE,
                  "a partial model copies a model or table, not a row");
        b = NULL;
    }
    if (partial) {
        m->partial_of = b;
        m->incomplete |= !b;
        for (uint32_t i = 0; b && i < b->ncols; i++) {
            if (!partial_copies(b, b->cols[i]))
                continue;
            smc_col *c = copy_col(ck, b->cols[i]);
            c->partial_src = b->cols[i];
            c->column = NULL;
            c->pk = c->autoinc = c->unique = c->indexed = false;
            c->fk_model = NULL;
            add_col(ck, m, c, NULL, false);
        }
        return;
    }
    m->incomplete |= !b || b->incomplete;
    if (!b)
        return;
    m->bases = smc_grow(ck->ctx, m->bases, m->nbases, sizeof *m->bases);
    m->bases[m->nbases++] = b;
    add_derived(ck, b, m);
    /* A data model's first base sits at the start of its struct, where
     * the base's own copies can serve unchanged: sharing them keeps a
     * deep chain of models linear in its fields, not quadratic. */
    bool share = !m->is_table && m->ncols == 0;
    for (uint32_t i = 0; i < b->ncols; i++) {
        smc_col *src = b->cols[i];
        if (share && src->index == i) {
            add_col(ck, m, src, name, true);
            continue;
        }
        smc_col *c = copy_col(ck, src);
        if (m->is_table)
            c->column = c->type.base == SMC_B_MODEL ? NULL : src->column ? src->column : c->name;
        if (m->is_table && c->type.base == SMC_B_MODEL) {
            /* A data model's nested model (or its misplaced relationship,
             * reported where it is declared) cannot live in a table. */
            if (!smc_attr_named(src->field->attrs, "rel")) {
                smc_diag *d = smc_error(
                    ck->ctx, name->span, SMC_E_FIELD_TYPE,
                    "'%s' brings field '%s' of model type '%s' into table '%s'; a table field "
                    "of model type needs '@rel' (a relationship)",
                    name->s, c->name, c->type.decl->name.s, m->name);
                smc_note(ck->ctx, d, &src->field->type->span, "'%s' is declared here", c->name);
            }
            c->type.base = SMC_B_ERROR;
        }
        add_col(ck, m, c, name, false);
    }
}

/* After the bases: m's own fields and attributes. */
static void finish_model(smc_checker *ck, smc_model *m)
{
    smc_decl *d = m->decl;
    for (smc_field *f = d->fields; f; f = f->next)
        add_col(ck, m, field_col(ck, m, f), NULL, false);
    if (!m->is_table)
        for (smc_constraint *c = d->constraints; c; c = c->next)
            smc_error(ck->ctx, c->span, SMC_E_TABLE_CHECK,
                      "constraints like this are only allowed in tables");
    for (smc_attr *a = d->attrs; a; a = a->next) {
        if (a->used)
            continue;
        if (strcmp(a->name.s, "table") == 0) {
            smc_attr_sql_name(ck, a, &m->table);
        } else if (strcmp(a->name.s, "json") == 0) {
            const char *v;
            if (smc_attr_name(ck, a, &v) && strcmp(v, "forbid_unknown") != 0)
                smc_error(ck->ctx, a->args->value->span, SMC_E_ATTR_ARGS,
                          "'@json' on a model takes forbid_unknown");
            else
                m->forbid_unknown = true;
        } else if (strcmp(a->name.s, "mixin") == 0) {
            if (smc_attr_noargs(ck, a))
                m->is_mixin = true;
        } else if (strcmp(a->name.s, "doc") == 0) {
            smc_attr_string(ck, a, &m->doc);
        } else if (strcmp(a->name.s, "was") == 0) {
            smc_attr_name(ck, a, &m->was); /* the old model name: a table rename */
        }
        a->used = true;
    }
    if (m->is_table && !m->table)
        m->table = m->snake;
    if (m->ncols == 0 && m->is_partial && m->partial_of && m->partial_of->is_table &&
        !m->incomplete)
        smc_error(ck->ctx, d->name.span, SMC_E_EMPTY_MODEL,
                  "partial model '%s' has no fields: '%s' has none but its key, and a patch "
                  "never writes a key",
                  m->name, m->partial_of->name);
    else if (m->ncols == 0 && !m->is_mixin && !m->incomplete)
        smc_error(ck->ctx, d->name.span, SMC_E_EMPTY_MODEL, "%s '%s' has no fields",
                  smc_model_kind(m), m->name);
    m->visiting = false;
    m->checked = true;
}

/* One model on the stack: the base names it builds on, the next to look
 * at, and the base found last (taken once it is resolved). */
typedef struct resolve_frame {
    smc_model *m;
    smc_name **refs;
    uint32_t nrefs, next;
    smc_model *found;
    bool started, pending;
} resolve_frame;

static void resolve_model(smc_checker *ck, smc_model *root)
{
    if (root->checked)
        return;
    smc_file *was = ck->cur;
    resolve_frame *stack = NULL;
    size_t depth = 0;
    stack = smc_grow(ck->ctx, stack, depth, sizeof *stack);
    memset(&stack[depth++], 0, sizeof *stack);
    stack[0].m = root;
    while (depth > 0) {
        resolve_frame *fr = &stack[depth - 1];
        smc_model *m = fr->m;
        ck->cur = m->decl->file;
        if (!fr->started) {
            fr->started = true;
            m->visiting = true;
            if (!m->is_row)
                smc_check_attrs(ck, m->decl->attrs, m->is_table ? SMC_AT_TABLE : SMC_AT_MODEL,
                                m->is_table ? "a table" : "a model");
            fr->nrefs = base_refs(ck, m, &fr->refs);
        }
        if (fr->pending) { /* the last base found is resolved now */
            fr->pending = false;
            take_base(ck, m, fr->refs[fr->next - 1], fr->found, m->is_partial && fr->next == 1);
        }
        if (fr->next < fr->nrefs) {
            smc_model *b = find_base(ck, m, *fr->refs[fr->next++]);
            fr->found = b;
            fr->pending = true;
            if (b && !b->checked) {
                stack = smc_grow(ck->ctx, stack, depth, sizeof *stack);
                memset(&stack[depth], 0, sizeof *stack);
                stack[depth++].m = b;
            }
            continue;
        }
        finish_model(ck, m);
        depth--;
    }
    ck->cur = was;
}

/* ---- Driver ----------------------------------------------------------------------------- */

void smc_check_models(smc_checker *ck)
{
    smc_sema *s = ck->out;
    uint32_t n = 0;
    for (uint32_t i = 0; i < ck->nfiles; i++)
        for (smc_decl *d = ck->files[i]->decls; d; d = d->next)
            n += d->kind == SMC_D_MODEL || d->kind == SMC_D_ROW;
    s->models = smc_alloc(ck->ctx, (n + 1) * sizeof *s->models);
    for (uint32_t i = 0; i < ck->nfiles; i++)
        for (smc_decl *d = ck->files[i]->decls; d; d = d->next) {
            ck->cur = d->file;
            if (d->kind == SMC_D_TYPE)
                smc_check_refined(ck, d);
            if ((d->kind == SMC_D_MODEL || d->kind == SMC_D_ROW) && !d->model &&
                smc_lookup(ck, d->name.s) == d) {
                s->models[s->nmodels] = new_model(ck, d);
                s->models[s->nmodels]->pos = s->nmodels;
                s->nmodels++;
            }
        }
    for (uint32_t i = 0; i < s->nmodels; i++)
        resolve_model(ck, s->models[i]);
    smc_check_containment(ck);
    for (uint32_t i = 0; i < s->nmodels; i++) {
        smc_model *m = s->models[i];
        ck->cur = m->decl->file;
        if (m->is_table)
            smc_check_table(ck, m);
        else
            smc_check_auto(ck, m);
    }
    /* FKs and relationships need every table's key and columns.  An FK
     * is resolved where its field is declared; inheritors copy it. */
    for (uint32_t i = 0; i < s->nmodels; i++) {
        smc_model *m = s->models[i];
        ck->cur = m->decl->file;
        for (smc_field *f = m->decl->fields; f && !m->is_partial; f = f->next)
            if (f->col && f->col->owner == m && m->cols[f->col->index] == f->col)
                smc_resolve_fk(ck, f->col); /* not a field rejected as a duplicate */
    }
    for (uint32_t i = 0; i < s->nmodels; i++) {
        smc_model *m = s->models[i];
        for (uint32_t j = 0; j < m->ncols; j++) {
            smc_col *c = m->cols[j], *src = c->field->col;
            if (!m->is_partial && src && src != c) {
                c->fk_model = src->fk_model;
                c->fk_col = src->fk_col;
                c->fk_failed = src->fk_failed;
            }
            m->fk_failed |= c->fk_failed;
        }
    }
    for (uint32_t i = 0; i < s->nmodels; i++) {
        smc_model *m = s->models[i];
        if (!m->is_table)
            continue;
        ck->cur = m->decl->file;
        for (uint32_t j = 0; j < m->ncols; j++)
            if (m->cols[j]->field->owner == m->decl || m->cols[j]->type.base == SMC_B_MODEL)
                smc_resolve_rel(ck, m, m->cols[j]);
        smc_check_rel_names(ck, m);
    }
}
