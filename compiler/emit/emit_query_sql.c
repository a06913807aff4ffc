/*
 * emit_query_sql.c: the SQL of queries.  A query has one statement per
 * variant (a combination of optional predicates and sort choices), each
 * written for every dialect through the dialect table, with the list of
 * what its placeholders bind; where a database has no RETURNING, `pre`
 * and `post` statements emulate it.
 */
#include "emit.h"
#include "map.h"

#include <string.h>

/* ---- Variants ------------------------------------------------------------------ */

uint32_t smc_query_choices(const smc_param *p)
{
    uint32_t k = 0;
    if (p->type->type.base != SMC_B_SORT)
        return 2;
    for (smc_targ *a = p->type->args; a; a = a->next)
        k++;
    return k;
}

/* Splits variant v into the optional-parameter mask and a choice per
 * sort/dir parameter (indexed by parameter index). */
static void decode(const smc_qinfo *q, unsigned v, unsigned *mask, uint32_t *choice)
{
    *mask = v & ((1u << q->nopt) - 1);
    v >>= q->nopt;
    for (uint32_t i = 0; i < q->nchoices; i++) {
        const smc_param *p = q->choices[i];
        uint32_t k = smc_query_choices(p);
        choice[p->index] = v % k;
        v /= k;
    }
}

static bool present(const smc_sqlctx *sc, const smc_param *p)
{
    for (uint32_t i = 0; i < sc->q->nopt; i++)
        if (sc->q->opt[i] == p)
            return (sc->mask >> i) & 1;
    return true;
}

/* Are all optional parameters of e present in this variant? */
static bool kept(const smc_sqlctx *sc, const smc_expr *e)
{
    if (!e)
        return true;
    if (e->kind == SMC_EX_PARAM && e->optional && e->param && !present(sc, e->param))
        return false;
    if (!kept(sc, e->a) || !kept(sc, e->b) || !kept(sc, e->c))
        return false;
    for (const smc_expr *a = e->args; a; a = a->next)
        if (!kept(sc, a))
            return false;
    return true;
}

/* Writes one conjunct of a where/having if this variant keeps it. */
static bool conjunct(smc_ctx *ctx, smc_sqlctx *sc, const smc_expr *e, bool first, sm_buf *b)
{
    if (!kept(sc, e))
        return first;
    if (!first)
        smc_out_puts(b, " AND ");
    bool paren = e->kind == SMC_EX_BINARY && e->op == SMC_OP_OR;
    if (paren)
        smc_out_putc(b, '(');
    smc_sql_expr(ctx, sc, e, b);
    if (paren)
        smc_out_putc(b, ')');
    return false;
}

/* Writes the conjuncts of a where/having that this variant keeps. */
static bool conjuncts(smc_ctx *ctx, smc_sqlctx *sc, const smc_expr *e, bool first, sm_buf *b)
{
    if (e->kind == SMC_EX_BINARY && e->op == SMC_OP_AND) {
        first = conjuncts(ctx, sc, e->a, first, b);
        return conjuncts(ctx, sc, e->b, first, b);
    }
    return conjunct(ctx, sc, e, first, b);
}

/* " kw " and what `write` wrote, or nothing when it wrote nothing (every
 * conjunct dropped in this variant). */
static void clause_of(smc_ctx *ctx, smc_sqlctx *sc, const char *kw, sm_buf *b,
                      bool (*write)(smc_ctx *, smc_sqlctx *, const void *, sm_buf *),
                      const void *what)
{
    sm_buf mine = SM_BUF_INIT;
    smc_sqlctx save = *sc;
    if (write(ctx, sc, what, &mine)) {
        *sc = save; /* nothing kept: no clause */
    } else {
        smc_out_printf(b, " %s ", kw);
        smc_out_append(b, mine.data, mine.len);
    }
    sm_buf_free(&mine);
}

static bool write_expr(smc_ctx *ctx, smc_sqlctx *sc, const void *e, sm_buf *b)
{
    return conjuncts(ctx, sc, e, true, b);
}

/* The lowered query's conditions (smc_qinfo.conds). */
static bool write_conds(smc_ctx *ctx, smc_sqlctx *sc, const void *q, sm_buf *b)
{
    const smc_qinfo *in = q;
    bool first = true;
    for (uint32_t i = 0; i < in->nconds; i++)
        first = conjunct(ctx, sc, in->conds[i], first, b);
    return first;
}

static void clause(smc_ctx *ctx, smc_sqlctx *sc, const char *kw, const smc_expr *e, sm_buf *b)
{
    if (e)
        clause_of(ctx, sc, kw, b, write_expr, e);
}

/* The WHERE of the query's own statement, from its lowered form. */
static void where_clause(smc_ctx *ctx, smc_sqlctx *sc, sm_buf *b)
{
    if (sc->q->nconds)
        clause_of(ctx, sc, "WHERE", b, write_conds, sc->q);
}

/* ---- LIKE patterns -------------------------------------------------------------- */

static void mark_select(const smc_select *s, bool *like);

/* Marks in like[] (by parameter index) every parameter in e that is
 * within the pattern of a like (`pattern`: e is one).  A subquery's own
 * likes are its business. */
static void mark(const smc_expr *e, bool *like, bool pattern)
{
    for (; e; e = e->b) { /* the right operand in the loop: long chains of `or` stay flat */
        if (e->kind == SMC_EX_PARAM) {
            like[e->param->index] |= pattern;
            return;
        }
        mark(e->a, like, pattern);
        mark(e->c, like, pattern);
        for (const smc_expr *a = e->args; a; a = a->next)
            mark(a, like, pattern);
        if (e->sub)
            mark_select(e->sub, like);
        if (e->kind == SMC_EX_BINARY && e->op == SMC_OP_LIKE)
            pattern = true;
    }
}

static void mark_list(const smc_expr *list, bool *like)
{
    for (const smc_expr *e = list; e; e = e->next)
        mark(e, like, false);
}

static void mark_sets(const smc_set *s, bool *like)
{
    for (; s; s = s->next)
        mark(s->value, like, false);
}

static void mark_items(const smc_selitem *it, bool *like)
{
    for (; it; it = it->next)
        mark(it->expr, like, false);
}

static void mark_select(const smc_select *s, bool *like)
{
    mark_items(s->items, like);
    mark(s->where, like, false);
    mark_list(s->group_by, like);
    mark(s->having, like, false);
    mark(s->limit, like, false);
    mark(s->offset, like, false);
    for (const smc_join *j = s->joins; j; j = j->next)
        mark(j->on, like, false);
    for (const smc_order *o = s->order; o; o = o->next)
        mark(o->expr, like, false);
}

bool *smc_query_like_params(smc_ctx *ctx, const smc_qinfo *q)
{
    uint32_t n = 0;
    for (const smc_param *p = q->decl->query->params; p; p = p->next)
        n = p->index + 1 > n ? p->index + 1 : n;
    bool *like = smc_alloc(ctx, (n + 1) * sizeof *like);
    const smc_stmt *st = q->decl->query->stmt;
    if (!st)
        return like;
    if (st->select) {
        mark_select(st->select, like);
        return like;
    }
    mark_list(st->values, like);
    mark_sets(st->sets, like);
    if (st->conflict)
        mark_sets(st->conflict->sets, like);
    mark(st->where, like, false);
    mark_items(st->returning, like);
    return like;
}

/* ---- Selects --------------------------------------------------------------------- */

static void column(smc_sqlctx *sc, const smc_scope_entry *src, const smc_col *c, sm_buf *b)
{
    if (sc->qualify && src) {
        smc_sql_ident(b, sc->d, src->model->table);
        smc_out_putc(b, '.');
    }
    smc_sql_ident(b, sc->d, c->column);
}

/* The column a sort choice names, in the first model of the select that
 * has it; *nullable: whether it can hold NULL there. */
static void sort_choice(smc_sqlctx *sc, const smc_qsel *s, const char *name, sm_buf *b,
                        bool *nullable)
{
    *nullable = false;
    for (uint32_t i = 0; i < s->nentries; i++) {
        const smc_col *c = smc_find_col(s->entries[i].model, name);
        if (c && c->column) {
            column(sc, &s->entries[i], c, b);
            *nullable = c->type.nullable || s->entries[i].nullable;
            return;
        }
    }
}

static void order_item(smc_ctx *ctx, smc_sqlctx *sc, const smc_qsel *s, const smc_order *o,
                       sm_buf *b)
{
    const smc_dialect *d = sc->d;
    bool desc = o->dir == SMC_ORDER_DESC;
    if (o->dir_param.s) { /* checked: the query has parameters, indexed by name */
        const smc_param *p = smc_map_get(&sc->q->decl->query->param_index, o->dir_param.s);
        desc = sc->choice[p->index] == 1;
    }
    bool nullable;
    sm_buf key = SM_BUF_INIT;
    const smc_expr *e = o->expr;
    if (e->kind == SMC_EX_PARAM && e->type.base == SMC_B_SORT) {
        const smc_targ *a = e->param->type->args;
        for (uint32_t k = sc->choice[e->param->index]; k > 0; k--)
            a = a->next;
        sort_choice(sc, s, a->name.s, &key, &nullable);
    } else {
        smc_sql_expr(ctx, sc, e, &key);
        nullable = e->type.nullable;
    }
    /* NULLs sort as the smallest value on every dialect unless asked. */
    int nulls = o->nulls;
    bool want_first = nulls == SMC_NULLS_FIRST || (nulls == SMC_NULLS_DEFAULT && !desc);
    bool default_first = d->nulls_last_asc ? desc : !desc;
    if (nullable && want_first != default_first && !d->nulls_native)
        smc_out_printf(b, "%s IS NULL%s, ", key.data, want_first ? " DESC" : "");
    smc_out_append(b, key.data, key.len);
    if (desc)
        smc_out_puts(b, " DESC");
    if (nullable && want_first != default_first && d->nulls_native)
        smc_out_puts(b, want_first ? " NULLS FIRST" : " NULLS LAST");
    sm_buf_free(&key);
}

void smc_sql_select(smc_ctx *ctx, smc_sqlctx *sc, const smc_qsel *s, uint32_t implicit_limit,
                    sm_buf *b)
{
    const smc_dialect *d = sc->d;
    bool outer_qualify = sc->qualify;
    sc->qualify = s->qualify;
    const smc_select *a = s->ast;
    smc_out_puts(b, a->distinct ? "SELECT DISTINCT " : "SELECT ");
    for (uint32_t i = 0; i < s->ncols; i++) {
        const smc_qcol *c = &s->cols[i];
        if (i)
            smc_out_puts(b, ", ");
        if (c->col) {
            column(sc, c->src, c->col, b);
        } else {
            smc_sql_expr(ctx, sc, c->expr, b);
            if (!(c->expr->kind == SMC_EX_NAME && c->expr->col &&
                  strcmp(c->expr->col->name, c->name) == 0)) {
                smc_out_puts(b, " AS ");
                smc_sql_ident(b, d, c->name ? c->name : "value");
            }
        }
    }
    smc_out_puts(b, " FROM ");
    smc_sql_ident(b, d, s->entries[0].model->table);
    for (uint32_t k = 1; k < s->nentries; k++) {
        const smc_qjoin *j = &s->joins[k - 1];
        smc_out_puts(b, j->ast->left ? " LEFT JOIN " : " JOIN ");
        smc_sql_ident(b, d, s->entries[k].model->table);
        smc_out_puts(b, " ON ");
        if (j->ast->on) {
            smc_sql_expr(ctx, sc, j->ast->on, b);
        } else {
            bool q = sc->qualify;
            sc->qualify = true;
            column(sc, j->fk_entry, j->fk, b);
            smc_out_puts(b, " = ");
            column(sc, j->pk_entry, j->fk->fk_col, b);
            sc->qualify = q;
        }
    }
    if (sc->q && s == sc->q->sel)
        where_clause(ctx, sc, b); /* the query's own select: its lowered form */
    else
        clause(ctx, sc, "WHERE", a->where, b);
    if (a->group_by) {
        smc_out_puts(b, " GROUP BY ");
        for (const smc_expr *g = a->group_by; g; g = g->next) {
            smc_sql_expr(ctx, sc, g, b);
            if (g->next)
                smc_out_puts(b, ", ");
        }
    }
    clause(ctx, sc, "HAVING", a->having, b);
    if (a->order) {
        smc_out_puts(b, " ORDER BY ");
        for (const smc_order *o = a->order; o; o = o->next) {
            order_item(ctx, sc, s, o, b);
            if (o->next)
                smc_out_puts(b, ", ");
        }
    }
    if (a->limit || implicit_limit) {
        smc_out_puts(b, " LIMIT ");
        if (a->limit)
            smc_sql_expr(ctx, sc, a->limit, b);
        else
            smc_out_printf(b, "%u", implicit_limit);
        if (a->offset) {
            smc_out_puts(b, " OFFSET ");
            smc_sql_expr(ctx, sc, a->offset, b);
        }
    } else if (a->offset) {
        for (const char *p = d->offset_only; smc_sql_pattern(b, &p, "o");)
            smc_sql_expr(ctx, sc, a->offset, b);
    }
    const char *lock = a->lock == SMC_LOCK_UPDATE ? d->lock_update
                     : a->lock == SMC_LOCK_SHARE ? d->lock_share : NULL;
    if (lock)
        smc_out_puts(b, lock);
    sc->qualify = outer_qualify;
}

/* ---- Writes ------------------------------------------------------------------------- */

static void returning_items(smc_ctx *ctx, smc_sqlctx *sc, const smc_qinfo *q, sm_buf *b)
{
    for (uint32_t i = 0; i < q->nreturning; i++) {
        const smc_qcol *c = &q->returning[i];
        if (i)
            smc_out_puts(b, ", ");
        if (c->col)
            smc_sql_ident(b, sc->d, c->col->column);
        else
            smc_sql_expr(ctx, sc, c->expr, b);
    }
}

static void sets(smc_ctx *ctx, smc_sqlctx *sc, const smc_qinfo *q, const smc_set *s, sm_buf *b)
{
    bool first = true;
    for (uint32_t i = 0; s; s = s->next, i++) {
        if (!kept(sc, s->value))
            continue;
        if (!first)
            smc_out_puts(b, ", ");
        smc_sql_ident(b, sc->d, q->set_cols[i]->column);
        smc_out_puts(b, " = ");
        smc_sql_expr_as(ctx, sc, s->value, &q->set_cols[i]->type, b);
        first = false;
    }
    if (first) /* every set item dropped: match the rows, change nothing */
        smc_sql_patch_part(sc->d, q->target, SMC_PATCH_NOOP, b);
}

static void ident_list(sm_buf *b, const smc_dialect *d, smc_col *const *cols, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        if (i)
            smc_out_puts(b, ", ");
        smc_sql_ident(b, d, cols[i]->column);
    }
}

static void pattern_keys(sm_buf *b, const smc_dialect *d, const char *pat, smc_col *const *cols,
                         uint32_t n)
{
    for (char x; (x = smc_sql_pattern(b, &pat, "kc"));) {
        if (x == 'k')
            ident_list(b, d, cols, n);
        else
            smc_sql_ident(b, d, cols[0]->column);
    }
}

static void insert(smc_ctx *ctx, smc_sqlctx *sc, const smc_qinfo *q, const smc_stmt *st, sm_buf *b)
{
    const smc_dialect *d = sc->d;
    uint32_t n = 0;
    for (const smc_ident *c = st->cols; c; c = c->next)
        n++;
    smc_out_puts(b, "INSERT INTO ");
    smc_sql_ident(b, d, q->target->table);
    smc_out_puts(b, " (");
    ident_list(b, d, q->insert_cols, n);
    smc_out_puts(b, ") VALUES (");
    uint32_t k = 0;
    for (const smc_expr *v = st->values; v; v = v->next, k++) {
        smc_sql_expr_as(ctx, sc, v, &q->insert_cols[k]->type, b);
        if (v->next)
            smc_out_puts(b, ", ");
    }
    smc_out_putc(b, ')');
    if (st->conflict) {
        if (st->conflict->do_nothing) {
            pattern_keys(b, d, d->upsert_nothing, q->conflict_cols, q->nconflict);
        } else {
            /* The target's columns qualified: PostgreSQL finds a bare
             * name ambiguous beside `excluded`. */
            bool qualify = sc->qualify;
            sc->qualify = true;
            pattern_keys(b, d, d->upsert_update, q->conflict_cols, q->nconflict);
            sets(ctx, sc, q, st->conflict->sets, b);
            sc->qualify = qualify;
        }
    }
}

/* MySQL has no RETURNING: the new row is read back by its key. */
static void insert_readback(smc_ctx *ctx, smc_sqlctx *sc, const smc_qinfo *q, const smc_stmt *st,
                            sm_buf *b)
{
    const smc_dialect *d = sc->d;
    smc_out_puts(b, "SELECT ");
    returning_items(ctx, sc, q, b);
    smc_out_puts(b, " FROM ");
    smc_sql_ident(b, d, q->target->table);
    smc_out_puts(b, " WHERE ");
    smc_col *const *keys = q->conflict_cols;
    uint32_t nkeys = q->nconflict;
    if (!st->conflict) {
        keys = q->target->key;
        nkeys = q->target->nkey;
    }
    for (uint32_t i = 0; i < nkeys; i++) {
        if (i)
            smc_out_puts(b, " AND ");
        smc_sql_ident(b, d, keys[i]->column);
        smc_out_puts(b, " = ");
        const smc_expr *v = st->values;
        uint32_t k = 0;
        for (const smc_ident *c = st->cols; c; c = c->next, v = v->next, k++)
            if (q->insert_cols[k] == keys[i])
                break;
        if (v)
            smc_sql_expr_as(ctx, sc, v, &keys[i]->type, b);
        else
            smc_out_puts(b, d->last_insert_id);
    }
}

/* ---- One statement of one variant, for one dialect ----------------------------------- */

static bool emulated(const smc_dialect *d, const smc_qinfo *q)
{
    return !d->returning && q->nreturning && q->target;
}

static void statement(smc_ctx *ctx, smc_sqlctx *sc, const smc_qinfo *q, int part, sm_buf *b)
{
    const smc_dialect *d = sc->d;
    const smc_stmt *st = q->decl->query->stmt;
    bool emu = emulated(d, q);
    if (q->sel) {
        if (part == SMC_PART_MAIN)
            smc_sql_select(ctx, sc, q->sel, q->implicit_limit, b);
        return;
    }
    if (st->kind == SMC_S_INSERT) {
        if (part == SMC_PART_MAIN)
            insert(ctx, sc, q, st, b);
        else if (part == SMC_PART_POST && emu)
            insert_readback(ctx, sc, q, st, b);
    } else if (part == SMC_PART_PRE && emu) {
        /* The rows (delete) or keys (update), locked until the write. */
        smc_out_puts(b, "SELECT ");
        if (st->kind == SMC_S_DELETE)
            returning_items(ctx, sc, q, b);
        else
            smc_sql_ident(b, d, q->target->key[0]->column);
        smc_out_puts(b, " FROM ");
        smc_sql_ident(b, d, q->target->table);
        where_clause(ctx, sc, b);
        smc_out_puts(b, d->lock_update ? d->lock_update : "");
        return;
    } else if (part == SMC_PART_POST && emu && st->kind == SMC_S_UPDATE) {
        smc_out_puts(b, "SELECT ");
        returning_items(ctx, sc, q, b);
        smc_out_puts(b, " FROM ");
        smc_sql_ident(b, d, q->target->table);
        smc_out_puts(b, " WHERE ");
        smc_sql_ident(b, d, q->target->key[0]->column);
        smc_out_puts(b, " IN (");
        smc_sql_list(sc, SM_ARG_KEYS, b);
        smc_out_putc(b, ')');
        return;
    } else if (part == SMC_PART_MAIN && st->kind == SMC_S_UPDATE) {
        smc_out_puts(b, "UPDATE ");
        smc_sql_ident(b, d, q->target->table);
        smc_out_puts(b, " SET ");
        sets(ctx, sc, q, st->sets, b);
        where_clause(ctx, sc, b);
    } else if (part == SMC_PART_MAIN) {
        smc_out_puts(b, "DELETE FROM ");
        smc_sql_ident(b, d, q->target->table);
        where_clause(ctx, sc, b);
    }
    if (part == SMC_PART_MAIN && q->nreturning && d->returning) {
        smc_out_puts(b, " RETURNING ");
        returning_items(ctx, sc, q, b);
    }
}

/* Raw SQL: the text for this dialect, or the one for every dialect. */
static const char *raw_text(const smc_qinfo *q, const smc_dialect *d)
{
    const char *all = NULL;
    for (const smc_rawsql *r = q->decl->query->raw; r; r = r->next) {
        if (!r->dialect.s)
            all = r->sql;
        else if (smc_dialect_named(r->dialect.s) == d)
            return r->sql;
    }
    return all;
}

void smc_query_sql(smc_ctx *ctx, const smc_qinfo *q, unsigned v, int part, const smc_dialect *d,
                   smc_qsql *w)
{
    uint32_t *choice = smc_alloc(ctx, (q->decl->query->nparams + 1) * sizeof *choice);
    smc_sqlctx sc;
    memset(&sc, 0, sizeof sc);
    sc.d = d;
    sc.q = q;
    sc.choice = choice;
    decode(q, v, &sc.mask, choice);
    w->sql = NULL;
    w->nargs = 0;
    if (q->decl->query->raw) {
        if (part != SMC_PART_MAIN)
            return;
        const char *text = raw_text(q, d);
        if (text)
            w->sql = smc_strdup(ctx, text);
        for (const smc_param *p = q->decl->query->params; p; p = p->next)
            w->args[w->nargs++] = (uint8_t)p->field;
        return;
    }
    sm_buf b = SM_BUF_INIT;
    statement(ctx, &sc, q, part, &b);
    if (b.len) {
        w->sql = smc_strdup(ctx, b.data);
        memcpy(w->args, sc.args, sc.nparams);
        w->nargs = sc.nparams;
    }
    sm_buf_free(&b);
}

