/*
 * lint.c: what a plan does to the rows already there.  Steps that lose
 * data (dropping a table or a column, a type that cannot hold every old
 * value, removing an enum value, NOT NULL without a default on a column
 * that may hold NULL) are errors [E0501] unless --allow-destructive,
 * then warnings [-Wdestructive]; steps whose success depends on the rows
 * (a new unique, check, key or foreign key on an existing table, NOT NULL
 * filled from a default, a NOT NULL column without a default added to an
 * existing table) are warnings [-Wmigration-data].  Each is reported at
 * its place: in the snapshot for what goes, in the schema otherwise.
 */
#include "migrate.h"

#include <string.h>

typedef struct lint {
    const smc_mplan *p;
    bool allow;
    int refused;
} lint;

static void destructive(lint *l, smc_ctx *ctx, smc_span at, const char *what)
{
    if (l->allow) {
        smc_warning(ctx, at, "destructive", "%s (allowed by --allow-destructive)", what);
        return;
    }
    smc_error(ctx, at, SMC_E_DESTRUCTIVE, "%s; pass --allow-destructive to accept that", what);
    l->refused++;
}

static const char *col_name(smc_ctx *ctx, const smc_model *m, const smc_col *c)
{
    return smc_printf(ctx, "%s.%s", m->table, c->column);
}

static smc_span field_span(const smc_col *c)
{
    return c->field ? c->field->span : smc_no_span();
}

/* ---- What goes: places in the from side's file ---------------------------------------- */

static void lint_drops(smc_ctx *ctx, void *arg)
{
    lint *l = arg;
    for (uint32_t k = 0; k < l->p->ntables; k++) {
        const smc_mtable *t = &l->p->tables[k];
        if (!t->from)
            continue;
        if (!t->to) {
            destructive(l, ctx, t->from->decl->name.span,
                        smc_printf(ctx, "dropping table '%s' deletes its rows", t->from->table));
            continue;
        }
        for (uint32_t i = 0; i < t->ncols; i++)
            if (!t->cols[i].to)
                destructive(l, ctx, field_span(t->cols[i].from),
                            smc_printf(ctx, "dropping column '%s' deletes its values",
                                       col_name(ctx, t->from, t->cols[i].from)));
    }
}

/* ---- What changes: places in the to side's file --------------------------------------- */

static int int_rank(uint8_t base)
{
    return base == SMC_B_I16 ? 1 : base == SMC_B_I32 ? 2 : base == SMC_B_INT ? 3 : 0;
}

/* Does every value of column f fit column t (enums aside: their members
 * are compared one by one)? */
static bool widening(const smc_col *f, const smc_col *t)
{
    const smc_type *a = &f->type, *b = &t->type;
    if (int_rank(a->base) && int_rank(b->base))
        return int_rank(b->base) >= int_rank(a->base);
    if (a->base != b->base)
        return false;
    if (a->base == SMC_B_TEXT)
        return t->max_len < 0 || (f->max_len >= 0 && t->max_len >= f->max_len);
    if (a->base == SMC_B_DECIMAL)
        return b->scale >= a->scale && b->precision - b->scale >= a->precision - a->scale;
    return true;
}

static const char *type_text(smc_ctx *ctx, const smc_col *c)
{
    smc_type t = c->type;
    t.nullable = false;
    const char *s = smc_type_name(ctx, &t);
    return c->type.base == SMC_B_TEXT && c->max_len >= 0
               ? smc_printf(ctx, "%s @max_len(%d)", s, (int)c->max_len) : s;
}

static void lint_col(lint *l, smc_ctx *ctx, const smc_mtable *t, const smc_mcol *c)
{
    const char *name = col_name(ctx, t->to, c->to);
    smc_span at = field_span(c->to);
    if (!c->from) {
        if (!c->to->type.nullable && c->to->defkind == SMC_DEF_NONE && !c->to->autoinc)
            smc_warning(ctx, at, "migration-data",
                        "adding column '%s' NOT NULL without a default fails if '%s' has rows",
                        name, t->to->table);
        return;
    }
    const smc_type *a = &c->from->type, *b = &c->to->type;
    if (a->base == SMC_B_ENUM && b->base == SMC_B_ENUM) {
        for (const smc_member *m = a->decl->members; m; m = m->next)
            if (smc_enum_member(b->decl, m->name.s) < 0)
                destructive(l, ctx, at,
                            smc_printf(ctx, "removing value '%s' of enum %s from column '%s' "
                                       "fails on the rows that hold it",
                                       m->name.s, a->decl->name.s, name));
    } else if (c->type && !widening(c->from, c->to)) {
        destructive(l, ctx, at,
                    smc_printf(ctx, "changing column '%s' from %s to %s may not keep its values",
                               name, type_text(ctx, c->from), type_text(ctx, c->to)));
    }
    if (c->null && !b->nullable) {
        if (c->to->defkind == SMC_DEF_CONST)
            smc_warning(ctx, at, "migration-data",
                        "making column '%s' NOT NULL sets its NULL values to its default", name);
        else
            destructive(l, ctx, at,
                        smc_printf(ctx, "making column '%s' NOT NULL without a default fails "
                                   "on the rows where it is NULL", name));
    }
}

static smc_span piece_span(const smc_model *m, const smc_mpiece *pc)
{
    switch (pc->kind) {
    case SMC_DDL_UNIQUE:
    case SMC_DDL_INDEX: return ((const smc_index *)pc->obj)->span;
    case SMC_DDL_FK:
    case SMC_DDL_COLCHECK: return field_span(pc->obj);
    case SMC_DDL_CHECK: return ((const smc_tcheck *)pc->obj)->expr->span;
    default: return m->decl->name.span;
    }
}


/* A piece new to an existing table, or defined otherwise than before
 * (not merely renamed), checks the rows already there. */
static void lint_piece(smc_ctx *ctx, const smc_mtable *t, const smc_mchange *ch)
{
    const smc_mpiece *pc = ch->to;
    if (!pc || !ch->add || pc->kind == SMC_DDL_INDEX || pc->kind == SMC_DDL_COLCHECK)
        return;
    bool redefined = !ch->from;
    for (int d = 0; d < SM_NDIALECTS && !redefined; d++)
        redefined = ch->from->text[d] && pc->text[d] &&
                    strcmp(smc_mpiece_def(ch->from, d), smc_mpiece_def(pc, d)) != 0;
    if (redefined)
        smc_warning(ctx, piece_span(t->to, pc), "migration-data",
                    "adding %s '%s' fails if rows of '%s' violate it", smc_mpiece_word(pc->kind),
                    pc->name, t->to->table);
}

static void lint_changes(smc_ctx *ctx, void *arg)
{
    lint *l = arg;
    for (uint32_t k = 0; k < l->p->ntables; k++) {
        const smc_mtable *t = &l->p->tables[k];
        if (!t->from || !t->to)
            continue;
        for (uint32_t i = 0; i < t->ncols; i++)
            if (t->cols[i].to)
                lint_col(l, ctx, t, &t->cols[i]);
        for (uint32_t i = 0; i < t->nchanges; i++)
            lint_piece(ctx, t, &t->changes[i]);
    }
}

int smc_migrate_lint(const smc_mplan *p, bool allow_destructive)
{
    lint l = {p, allow_destructive, 0};
    if (p->from->sema && !smc_guarded(p->from, lint_drops, &l))
        smc_out_of_memory(p->to);
    lint_changes(p->to, &l);
    return l.refused;
}
