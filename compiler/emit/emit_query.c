/*
 * emit_query.c: queries.  Each query becomes a static table of SQL
 * variants (one per combination of optional predicates and sort choices),
 * each written for every dialect with the list of what its placeholders
 * bind, an arguments struct with its descriptor, and a typed wrapper that
 * fills the struct, picks the variant and calls libsmdl.
 */
#include "emit.h"

#include <string.h>

/* ---- Variants ------------------------------------------------------------------ */

static const char *query_flags(const smc_qinfo *q)
{
    const smc_stmt *st = q->decl->query->stmt;
    if (q->decl->query->raw)
        return "SM_Q_RAW";
    return st && st->kind == SMC_S_INSERT && st->conflict ? "SM_Q_UPSERT" : "0";
}

/* How many values a sort or dir parameter can take. */
static uint32_t choice_count(const smc_param *p)
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
        uint32_t k = choice_count(p);
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

/* Writes the conjuncts of a where/having that this variant keeps. */
static bool conjuncts(smc_ctx *ctx, smc_sqlctx *sc, const smc_expr *e, bool first, sm_buf *b)
{
    if (e->kind == SMC_EX_BINARY && e->op == SMC_OP_AND) {
        first = conjuncts(ctx, sc, e->a, first, b);
        return conjuncts(ctx, sc, e->b, first, b);
    }
    if (!kept(sc, e))
        return first;
    if (!first)
        sm_buf_puts(b, " AND ");
    bool paren = e->kind == SMC_EX_BINARY && e->op == SMC_OP_OR;
    if (paren)
        sm_buf_putc(b, '(');
    smc_sql_expr(ctx, sc, e, b);
    if (paren)
        sm_buf_putc(b, ')');
    return false;
}

static void clause(smc_ctx *ctx, smc_sqlctx *sc, const char *kw, const smc_expr *e, sm_buf *b)
{
    if (!e)
        return;
    sm_buf mine = SM_BUF_INIT;
    smc_sqlctx save = *sc;
    if (conjuncts(ctx, sc, e, true, &mine)) {
        *sc = save; /* nothing kept: no clause */
    } else {
        sm_buf_printf(b, " %s ", kw);
        sm_buf_append(b, mine.data, mine.len);
    }
    sm_buf_free(&mine);
}

/* ---- Selects --------------------------------------------------------------------- */

static void column(smc_sqlctx *sc, const smc_scope_entry *src, const smc_col *c, sm_buf *b)
{
    if (sc->qualify && src) {
        smc_sql_ident(b, sc->d, src->model->table);
        sm_buf_putc(b, '.');
    }
    smc_sql_ident(b, sc->d, c->column);
}

/* The column a sort choice names: the first model of the select that has it. */
static void sort_choice(smc_sqlctx *sc, const smc_qsel *s, const char *name, sm_buf *b)
{
    for (uint32_t i = 0; i < s->nentries; i++)
        for (uint32_t k = 0; k < s->entries[i].model->ncols; k++) {
            const smc_col *c = s->entries[i].model->cols[k];
            if (c->column && strcmp(c->name, name) == 0) {
                column(sc, &s->entries[i], c, b);
                return;
            }
        }
}

static bool sort_nullable(const smc_qsel *s, const char *name)
{
    for (uint32_t i = 0; i < s->nentries; i++)
        for (uint32_t k = 0; k < s->entries[i].model->ncols; k++) {
            const smc_col *c = s->entries[i].model->cols[k];
            if (c->column && strcmp(c->name, name) == 0)
                return c->type.nullable || s->entries[i].nullable;
        }
    return false;
}

static void order_item(smc_ctx *ctx, smc_sqlctx *sc, const smc_qsel *s, const smc_order *o,
                       sm_buf *b)
{
    const smc_dialect *d = sc->d;
    bool desc = o->dir == SMC_ORDER_DESC;
    if (o->dir_param.s)
        for (const smc_param *p = sc->q->decl->query->params; p; p = p->next)
            if (strcmp(p->name.s, o->dir_param.s) == 0)
                desc = sc->choice[p->index] == 1;
    bool nullable;
    sm_buf key = SM_BUF_INIT;
    const smc_expr *e = o->expr;
    if (e->kind == SMC_EX_PARAM && e->type.base == SMC_B_SORT) {
        const smc_targ *a = e->param->type->args;
        for (uint32_t k = sc->choice[e->param->index]; k > 0; k--)
            a = a->next;
        sort_choice(sc, s, a->name.s, &key);
        nullable = sort_nullable(s, a->name.s);
    } else {
        smc_sql_expr(ctx, sc, e, &key);
        nullable = e->type.nullable;
    }
    /* NULLs sort as the smallest value on every dialect unless asked. */
    int nulls = o->nulls;
    bool want_first = nulls == SMC_NULLS_FIRST || (nulls == SMC_NULLS_DEFAULT && !desc);
    bool default_first = d->nulls_last_asc ? desc : !desc;
    if (nullable && want_first != default_first && !d->nulls_native)
        sm_buf_printf(b, "%s IS NULL%s, ", key.data, want_first ? " DESC" : "");
    sm_buf_append(b, key.data, key.len);
    if (desc)
        sm_buf_puts(b, " DESC");
    if (nullable && want_first != default_first && d->nulls_native)
        sm_buf_puts(b, want_first ? " NULLS FIRST" : " NULLS LAST");
    sm_buf_free(&key);
}

void smc_sql_select(smc_ctx *ctx, smc_sqlctx *sc, const smc_qsel *s, uint32_t implicit_limit,
                    sm_buf *b)
{
    const smc_dialect *d = sc->d;
    bool outer_qualify = sc->qualify;
    sc->qualify = s->qualify;
    const smc_select *a = s->ast;
    sm_buf_puts(b, a->distinct ? "SELECT DISTINCT " : "SELECT ");
    for (uint32_t i = 0; i < s->ncols; i++) {
        const smc_qcol *c = &s->cols[i];
        if (i)
            sm_buf_puts(b, ", ");
        if (c->col) {
            column(sc, c->src, c->col, b);
        } else {
            smc_sql_expr(ctx, sc, c->expr, b);
            if (!(c->expr->kind == SMC_EX_NAME && c->expr->col &&
                  strcmp(c->expr->col->name, c->name) == 0)) {
                sm_buf_puts(b, " AS ");
                smc_sql_ident(b, d, c->name ? c->name : "value");
            }
        }
    }
    sm_buf_puts(b, " FROM ");
    smc_sql_ident(b, d, s->entries[0].model->table);
    for (uint32_t k = 1; k < s->nentries; k++) {
        const smc_qjoin *j = &s->joins[k - 1];
        sm_buf_puts(b, j->ast->left ? " LEFT JOIN " : " JOIN ");
        smc_sql_ident(b, d, s->entries[k].model->table);
        sm_buf_puts(b, " ON ");
        if (j->ast->on) {
            smc_sql_expr(ctx, sc, j->ast->on, b);
        } else {
            bool q = sc->qualify;
            sc->qualify = true;
            column(sc, j->fk_entry, j->fk, b);
            sm_buf_puts(b, " = ");
            column(sc, j->pk_entry, j->fk->fk_col, b);
            sc->qualify = q;
        }
    }
    clause(ctx, sc, "WHERE", a->where, b);
    if (a->group_by) {
        sm_buf_puts(b, " GROUP BY ");
        for (const smc_expr *g = a->group_by; g; g = g->next) {
            smc_sql_expr(ctx, sc, g, b);
            if (g->next)
                sm_buf_puts(b, ", ");
        }
    }
    clause(ctx, sc, "HAVING", a->having, b);
    if (a->order) {
        sm_buf_puts(b, " ORDER BY ");
        for (const smc_order *o = a->order; o; o = o->next) {
            order_item(ctx, sc, s, o, b);
            if (o->next)
                sm_buf_puts(b, ", ");
        }
    }
    if (a->limit || implicit_limit) {
        sm_buf_puts(b, " LIMIT ");
        if (a->limit)
            smc_sql_expr(ctx, sc, a->limit, b);
        else
            sm_buf_printf(b, "%u", implicit_limit);
        if (a->offset) {
            sm_buf_puts(b, " OFFSET ");
            smc_sql_expr(ctx, sc, a->offset, b);
        }
    } else if (a->offset) {
        for (const char *p = d->offset_only; *p; p++) {
            if (p[0] == '%' && p[1] == 'o') {
                smc_sql_expr(ctx, sc, a->offset, b);
                p++;
            } else {
                sm_buf_putc(b, *p);
            }
        }
    }
    const char *lock = a->lock == SMC_LOCK_UPDATE ? d->lock_update
                     : a->lock == SMC_LOCK_SHARE ? d->lock_share : NULL;
    if (lock)
        sm_buf_puts(b, lock);
    sc->qualify = outer_qualify;
}

/* ---- Writes ------------------------------------------------------------------------- */

static void returning_items(smc_ctx *ctx, smc_sqlctx *sc, const smc_qinfo *q, sm_buf *b)
{
    for (uint32_t i = 0; i < q->nreturning; i++) {
        const smc_qcol *c = &q->returning[i];
        if (i)
            sm_buf_puts(b, ", ");
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
            sm_buf_puts(b, ", ");
        smc_sql_ident(b, sc->d, q->set_cols[i]->column);
        sm_buf_puts(b, " = ");
        smc_sql_expr_as(ctx, sc, s->value, &q->set_cols[i]->type, b);
        first = false;
    }
    if (first) { /* every set item dropped: match the rows, change nothing */
        const smc_col *k = q->target->key[0];
        smc_sql_ident(b, sc->d, k->column);
        sm_buf_puts(b, " = ");
        smc_sql_ident(b, sc->d, k->column);
    }
}

static void ident_list(sm_buf *b, const smc_dialect *d, smc_col *const *cols, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        if (i)
            sm_buf_puts(b, ", ");
        smc_sql_ident(b, d, cols[i]->column);
    }
}

static void pattern_keys(sm_buf *b, const smc_dialect *d, const char *pat, smc_col *const *cols,
                         uint32_t n)
{
    for (const char *p = pat; *p; p++) {
        if (p[0] == '%' && p[1] == 'k') {
            ident_list(b, d, cols, n);
            p++;
        } else if (p[0] == '%' && p[1] == 'c') {
            smc_sql_ident(b, d, cols[0]->column);
            p++;
        } else {
            sm_buf_putc(b, *p);
        }
    }
}

static void insert(smc_ctx *ctx, smc_sqlctx *sc, const smc_qinfo *q, const smc_stmt *st, sm_buf *b)
{
    const smc_dialect *d = sc->d;
    uint32_t n = 0;
    for (const smc_ident *c = st->cols; c; c = c->next)
        n++;
    sm_buf_puts(b, "INSERT INTO ");
    smc_sql_ident(b, d, q->target->table);
    sm_buf_puts(b, " (");
    ident_list(b, d, q->insert_cols, n);
    sm_buf_puts(b, ") VALUES (");
    uint32_t k = 0;
    for (const smc_expr *v = st->values; v; v = v->next, k++) {
        smc_sql_expr_as(ctx, sc, v, &q->insert_cols[k]->type, b);
        if (v->next)
            sm_buf_puts(b, ", ");
    }
    sm_buf_putc(b, ')');
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
    sm_buf_puts(b, "SELECT ");
    returning_items(ctx, sc, q, b);
    sm_buf_puts(b, " FROM ");
    smc_sql_ident(b, d, q->target->table);
    sm_buf_puts(b, " WHERE ");
    smc_col *const *keys = q->conflict_cols;
    uint32_t nkeys = q->nconflict;
    if (!st->conflict) {
        keys = q->target->key;
        nkeys = q->target->nkey;
    }
    for (uint32_t i = 0; i < nkeys; i++) {
        if (i)
            sm_buf_puts(b, " AND ");
        smc_sql_ident(b, d, keys[i]->column);
        sm_buf_puts(b, " = ");
        const smc_expr *v = st->values;
        uint32_t k = 0;
        for (const smc_ident *c = st->cols; c; c = c->next, v = v->next, k++)
            if (q->insert_cols[k] == keys[i])
                break;
        if (v)
            smc_sql_expr_as(ctx, sc, v, &keys[i]->type, b);
        else
            sm_buf_puts(b, d->last_insert_id);
    }
}

/* ---- One statement of one variant, for one dialect ----------------------------------- */

enum { PART_MAIN, PART_PRE, PART_POST };

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
        if (part == PART_MAIN)
            smc_sql_select(ctx, sc, q->sel, q->implicit_limit, b);
        return;
    }
    if (st->kind == SMC_S_INSERT) {
        if (part == PART_MAIN)
            insert(ctx, sc, q, st, b);
        else if (part == PART_POST && emu)
            insert_readback(ctx, sc, q, st, b);
    } else if (part == PART_PRE && emu) {
        /* The rows (delete) or keys (update), locked until the write. */
        sm_buf_puts(b, "SELECT ");
        if (st->kind == SMC_S_DELETE)
            returning_items(ctx, sc, q, b);
        else
            smc_sql_ident(b, d, q->target->key[0]->column);
        sm_buf_puts(b, " FROM ");
        smc_sql_ident(b, d, q->target->table);
        clause(ctx, sc, "WHERE", st->where, b);
        sm_buf_puts(b, d->lock_update ? d->lock_update : "");
        return;
    } else if (part == PART_POST && emu && st->kind == SMC_S_UPDATE) {
        sm_buf_puts(b, "SELECT ");
        returning_items(ctx, sc, q, b);
        sm_buf_puts(b, " FROM ");
        smc_sql_ident(b, d, q->target->table);
        sm_buf_puts(b, " WHERE ");
        smc_sql_ident(b, d, q->target->key[0]->column);
        sm_buf_puts(b, " IN (");
        smc_sql_list(sc, SM_ARG_KEYS, b);
        sm_buf_putc(b, ')');
        return;
    } else if (part == PART_MAIN && st->kind == SMC_S_UPDATE) {
        sm_buf_puts(b, "UPDATE ");
        smc_sql_ident(b, d, q->target->table);
        sm_buf_puts(b, " SET ");
        sets(ctx, sc, q, st->sets, b);
        clause(ctx, sc, "WHERE", st->where, b);
    } else if (part == PART_MAIN) {
        sm_buf_puts(b, "DELETE FROM ");
        smc_sql_ident(b, d, q->target->table);
        clause(ctx, sc, "WHERE", st->where, b);
    }
    if (part == PART_MAIN && q->nreturning && d->returning) {
        sm_buf_puts(b, " RETURNING ");
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

typedef struct written {
    char *sql;         /* NULL: none for this dialect */
    uint8_t args[255];
    uint32_t nargs;
} written;

static void write_part(smc_ctx *ctx, const smc_qinfo *q, unsigned v, int part,
                       const smc_dialect *d, written *w)
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
        if (part != PART_MAIN)
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

/* ---- C types of parameters and results -------------------------------------------- */

static const char *sort_type(smc_ctx *ctx, const smc_qinfo *q, const smc_param *p)
{
    return smc_printf(ctx, "%s_%s", q->decl->name.s, p->name.s);
}

/* A pseudo column describing a parameter, for the shared C helpers. */
static smc_col *param_col(smc_ctx *ctx, const smc_param *p)
{
    smc_col *c = smc_alloc(ctx, sizeof *c);
    c->name = p->name.s;
    c->type = p->type->type;
    c->min_len = c->max_len = -1;
    return c;
}

/* The parameter as written in the prototype. */
static void param_decl(smc_ctx *ctx, sm_buf *b, const smc_qinfo *q, const smc_param *p)
{
    const smc_type *t = &p->type->type;
    const char *name = smc_c_local(ctx, p->name.s);
    if (t->list) {
        if (t->base == SMC_B_TEXT)
            sm_buf_printf(b, ", const char *const *%s, size_t %s_len", name, p->name.s);
        else
            sm_buf_printf(b, ", const int64_t *%s, size_t %s_len", name, p->name.s);
    } else if (t->base == SMC_B_SORT) {
        sm_buf_printf(b, ", %s %s", sort_type(ctx, q, p), name);
    } else if (t->base == SMC_B_DIR) {
        sm_buf_printf(b, ", sm_dir %s", name);
    } else if (t->nullable && !smc_type_pointer(t)) {
        smc_type nn = *t;
        nn.nullable = false;
        smc_col *c = param_col(ctx, p);
        c->type = nn;
        sm_buf_printf(b, ", const %s *%s", smc_c_type(ctx, c), name);
    } else {
        sm_buf_printf(b, ", %s", smc_c_param(ctx, param_col(ctx, p), name));
    }
}

static const char *row_type(smc_ctx *ctx, const smc_qinfo *q)
{
    return q->row ? q->row->name : smc_printf(ctx, "smdl_q_%s_row", q->decl->name.s);
}

/* The trailing output parameters (DESIGN 3.6). */
static void outputs(smc_ctx *ctx, sm_buf *b, const smc_qinfo *q)
{
    switch (q->ret) {
    case SMC_R_EXEC:
        sm_buf_puts(b, ", int64_t *affected");
        return;
    case SMC_R_EACH:
        sm_buf_printf(b, ", int (*fn)(void *ud, const %s *row), void *ud", row_type(ctx, q));
        return;
    case SMC_R_LIST:
        sm_buf_printf(b, ", %s_list *out, sm_arena *arena", q->row->name);
        return;
    default:
        break;
    }
    if (q->row) {
        sm_buf_printf(b, ", %s *out, sm_arena *arena", q->row->name);
        return;
    }
    smc_col c;
    memset(&c, 0, sizeof c);
    c.type = q->scalar_type;
    c.type.nullable = false;
    const char *t = smc_c_type(ctx, &c);
    sm_buf_printf(b, ", %s%s*out", t, t[strlen(t) - 1] == '*' ? "" : " ");
    if (q->scalar_type.nullable && !smc_type_pointer(&q->scalar_type))
        sm_buf_puts(b, ", bool *has");
    if (smc_type_pointer(&q->scalar_type) || q->scalar_type.base == SMC_B_BYTES)
        sm_buf_puts(b, ", sm_arena *arena");
}

static void signature(smc_ctx *ctx, sm_buf *b, const smc_qinfo *q)
{
    sm_buf_printf(b, "int %s(sm_cx *cx, sm_conn *conn", q->decl->name.s);
    for (const smc_param *p = q->decl->query->params; p; p = p->next)
        param_decl(ctx, b, q, p);
    outputs(ctx, b, q);
    sm_buf_putc(b, ')');
}

/* ---- Header ----------------------------------------------------------------------------- */

void smc_emit_query_enums(smc_ctx *ctx, sm_buf *b)
{
    smc_sema *s = ctx->sema;
    for (uint32_t i = 0; i < s->nqueries; i++) {
        const smc_qinfo *q = s->queries[i];
        for (const smc_param *p = q->decl->query->params; p; p = p->next) {
            if (p->type->type.base != SMC_B_SORT)
                continue;
            const char *t = sort_type(ctx, q, p), *up = smc_upper(ctx, t);
            sm_buf_printf(b, "/* The columns query %s may sort by. */\ntypedef enum %s {\n",
                          q->decl->name.s, t);
            uint32_t k = 0;
            for (const smc_targ *a = p->type->args; a; a = a->next)
                sm_buf_printf(b, "    %s_%s = %u,\n", up, smc_upper(ctx, a->name.s), k++);
            sm_buf_printf(b, "} %s;\n\n", t);
        }
    }
}

static const char *ret_comment(const smc_qinfo *q)
{
    switch (q->ret) {
    case SMC_R_LIST: return "Fills *out with every row (in arena; {NULL, 0} when none).";
    case SMC_R_ONE: return "Reads exactly one row: SM_NOTFOUND or SM_MULTIPLE otherwise.";
    case SMC_R_OPT: return "Reads the first row, or SM_NOTFOUND.";
    case SMC_R_EACH: return "Calls fn for each row as it arrives; the row lives during the call and\n"
                            " * a non-zero return stops and is returned.";
    default: return "Runs the statement; *affected (may be NULL) gets the rows matched.";
    }
}

void smc_emit_query_prototypes(smc_ctx *ctx, sm_buf *b)
{
    smc_sema *s = ctx->sema;
    if (!s->nqueries)
        return;
    sm_buf_puts(b, "/* ---- queries ---- */\n\n");
    for (uint32_t i = 0; i < s->nqueries; i++) {
        const smc_qinfo *q = s->queries[i];
        sm_buf_printf(b, "/* %s%s */\n", ret_comment(q),
                      q->timeout_ms ? smc_printf(ctx, "\n * Bounded by %d ms (@timeout).", q->timeout_ms)
                                    : "");
        signature(ctx, b, q);
        sm_buf_puts(b, ";\n\n");
    }
}

/* ---- Source: descriptors ---------------------------------------------------------------- */

/* Argument lists already written for this query, reused by content. */
typedef struct arglists {
    const uint8_t **data;
    uint32_t *len;
    const char **name;
    uint32_t n;
} arglists;

static const char *arglist(smc_ctx *ctx, sm_buf *b, const char *qn, arglists *al,
                           const uint8_t *args, uint32_t n)
{
    if (!n)
        return "NULL";
    for (uint32_t i = 0; i < al->n; i++)
        if (al->len[i] == n && memcmp(al->data[i], args, n) == 0)
            return al->name[i];
    const char *name = smc_printf(ctx, "smdl_q_%s_args%u", qn, al->n);
    sm_buf_printf(b, "static const uint8_t %s[] = {", name);
    for (uint32_t i = 0; i < n; i++) {
        uint8_t a = args[i];
        if (a == SM_ARG_KEYS)
            sm_buf_printf(b, "%sSM_ARG_KEYS", i ? ", " : "");
        else if (a & SM_ARG_PRESENT)
            sm_buf_printf(b, "%s%u | SM_ARG_PRESENT", i ? ", " : "", a & 0x7f);
        else
            sm_buf_printf(b, "%s%u", i ? ", " : "", a);
    }
    sm_buf_puts(b, "};\n");
    uint8_t *copy = smc_alloc(ctx, n);
    memcpy(copy, args, n);
    al->data = smc_grow(ctx, (void *)al->data, al->n, sizeof *al->data);
    al->len = smc_grow(ctx, al->len, al->n, sizeof *al->len);
    al->name = smc_grow(ctx, (void *)al->name, al->n, sizeof *al->name);
    al->data[al->n] = copy;
    al->len[al->n] = n;
    al->name[al->n] = name;
    al->n++;
    return name;
}

/* Writes one sm_qstmt initializer for (variant, part), the argument lists
 * it needs going to `pre` (written before the object that uses them). */
static bool qstmt(smc_ctx *ctx, sm_buf *pre, sm_buf *b, const smc_qinfo *q, unsigned v, int part,
                  arglists *al, bool *long_lit)
{
    written w[SM_NDIALECTS];
    bool any = false;
    for (int d = 0; d < SM_NDIALECTS; d++) {
        write_part(ctx, q, v, part, &smc_dialects[d], &w[d]);
        any |= w[d].sql != NULL;
    }
    if (!any)
        return false;
    sm_buf_puts(b, "{{{");
    for (int d = 0; d < SM_NDIALECTS; d++) {
        if (d)
            sm_buf_puts(b, ",\n      ");
        if (w[d].sql) {
            if (strlen(w[d].sql) > 4000)
                *long_lit = true;
            smc_c_string(b, w[d].sql, strlen(w[d].sql));
        } else {
            sm_buf_puts(b, "NULL");
        }
    }
    sm_buf_puts(b, "}}, {");
    for (int d = 0; d < SM_NDIALECTS; d++)
        sm_buf_printf(b, "%s%s", d ? ", " : "",
                      arglist(ctx, pre, q->decl->name.s, al, w[d].args, w[d].nargs));
    sm_buf_puts(b, "}, {");
    for (int d = 0; d < SM_NDIALECTS; d++)
        sm_buf_printf(b, "%s%u", d ? ", " : "", w[d].nargs);
    sm_buf_puts(b, "}}");
    return true;
}

static const char *sm_type_of(const smc_type *t)
{
    smc_col c;
    memset(&c, 0, sizeof c);
    c.type = *t;
    return smc_c_sm_type(&c);
}

static void param_fields(smc_ctx *ctx, sm_buf *b, const smc_qinfo *q, const char *qn)
{
    const char *st = smc_printf(ctx, "smdl_q_%s_args", qn);
    sm_buf_printf(b, "typedef struct %s {\n", st);
    for (const smc_param *p = q->decl->query->params; p; p = p->next) {
        const smc_type *t = &p->type->type;
        if (p->field == UINT32_MAX)
            continue;
        const char *m = smc_c_local(ctx, p->name.s);
        if (t->list) {
            sm_buf_printf(b, "    %s %s;\n", t->base == SMC_B_TEXT ? "sm_text_list" : "sm_int_list", m);
            continue;
        }
        smc_col *c = param_col(ctx, p);
        const char *ct = smc_c_type(ctx, c);
        sm_buf_printf(b, "    %s%s%s;\n", ct, ct[strlen(ct) - 1] == '*' ? "" : " ", m);
        if (t->nullable && !smc_type_pointer(t))
            sm_buf_printf(b, "    bool has_%s;\n", p->name.s);
    }
    sm_buf_printf(b, "} %s;\nstatic const sm_field %s_fields[] = {\n", st, st);
    for (const smc_param *p = q->decl->query->params; p; p = p->next) {
        const smc_type *t = &p->type->type;
        if (p->field == UINT32_MAX)
            continue;
        bool has = t->nullable && !smc_type_pointer(t) && !t->list;
        sm_buf_printf(b, "    {\"%s\", NULL, NULL, offsetof(%s, %s), ", p->name.s, st,
                      smc_c_local(ctx, p->name.s));
        if (has)
            sm_buf_printf(b, "offsetof(%s, has_%s), ", st, p->name.s);
        else
            sm_buf_puts(b, "SM_NONE, ");
        sm_buf_printf(b, "SM_NONE, %s, %s, %u, %u, NULL, ",
                      t->list ? (t->base == SMC_B_TEXT ? "SM_T_TEXT_LIST" : "SM_T_INT_LIST")
                              : sm_type_of(t),
                      t->nullable ? "SM_F_NULLABLE" : "0", t->precision, t->scale);
        if (t->base == SMC_B_ENUM)
            sm_buf_printf(b, "&smdl_%s_enum, NULL},\n", smc_snake(ctx, t->decl->name.s));
        else
            sm_buf_puts(b, "NULL, NULL},\n");
    }
    uint32_t n = 0;
    for (const smc_param *p = q->decl->query->params; p; p = p->next)
        n += p->field != UINT32_MAX;
    sm_buf_printf(b, "};\nstatic const sm_model %s_model = {\"%s\", NULL, sizeof(%s), NULL, "
                     "%s_fields, %u, NULL, 0, 0, NULL, NULL, 0};\n",
                  st, qn, st, st, n);
}

static void scalar_row(smc_ctx *ctx, sm_buf *b, const smc_qinfo *q, const char *qn)
{
    const char *rt = row_type(ctx, q);
    smc_col c;
    memset(&c, 0, sizeof c);
    c.name = "value";
    c.type = q->scalar_type;
    c.min_len = c.max_len = -1;
    smc_model m;
    memset(&m, 0, sizeof m);
    const char *ct = smc_c_type(ctx, &c);
    bool has = smc_c_has_flag(&m, &c);
    sm_buf_printf(b, "typedef struct %s {\n    %s%svalue;\n%s} %s;\n", rt, ct,
                  ct[strlen(ct) - 1] == '*' ? "" : " ", has ? "    bool has_value;\n" : "", rt);
    sm_buf_printf(b, "static const %s %s_init = {", rt, rt);
    smc_c_init_value(ctx, b, &m, &c);
    sm_buf_printf(b, "};\nstatic const sm_field %s_fields[] = {\n"
                     "    {\"value\", \"value\", \"value\", offsetof(%s, value), ",
                  rt, rt);
    if (has)
        sm_buf_printf(b, "offsetof(%s, has_value), ", rt);
    else
        sm_buf_puts(b, "SM_NONE, ");
    sm_buf_printf(b, "SM_NONE, %s, %s, %u, %u, NULL, ", smc_c_sm_type(&c),
                  c.type.nullable ? "SM_F_NULLABLE | SM_F_COLUMN" : "SM_F_COLUMN",
                  c.type.precision, c.type.scale);
    if (c.type.base == SMC_B_ENUM)
        sm_buf_printf(b, "&smdl_%s_enum, NULL},\n", smc_snake(ctx, c.type.decl->name.s));
    else
        sm_buf_puts(b, "NULL, NULL},\n");
    sm_buf_printf(b, "};\nstatic const sm_model %s_model = {\"%s\", NULL, sizeof(%s), &%s_init, "
                     "%s_fields, 1, NULL, 0, 0, NULL, NULL, 0};\n",
                  rt, qn, rt, rt, rt);
}

static const char *const ret_names[] = {
    [SMC_R_LIST] = "SM_RET_LIST", [SMC_R_ONE] = "SM_RET_ONE", [SMC_R_OPT] = "SM_RET_OPT",
    [SMC_R_EACH] = "SM_RET_EACH", [SMC_R_EXEC] = "SM_RET_EXEC",
};

void smc_emit_query_descriptors(smc_ctx *ctx, sm_buf *b, bool *long_lit)
{
    smc_sema *s = ctx->sema;
    for (uint32_t i = 0; i < s->nqueries; i++) {
        const smc_qinfo *q = s->queries[i];
        const char *qn = q->decl->name.s;
        sm_buf_printf(b, "/* ---- query %s ---- */\n\n", qn);
        bool has_args = false;
        for (const smc_param *p = q->decl->query->params; p; p = p->next)
            has_args |= p->field != UINT32_MAX;
        if (has_args)
            param_fields(ctx, b, q, qn);
        if (q->scalar)
            scalar_row(ctx, b, q, qn);
        arglists al;
        memset(&al, 0, sizeof al);
        sm_buf parts = SM_BUF_INIT, vars = SM_BUF_INIT;
        for (unsigned v = 0; v < q->nvariants; v++) {
            const char *pre = "NULL", *post = "NULL";
            for (int part = PART_PRE; part <= PART_POST; part++) {
                sm_buf one = SM_BUF_INIT;
                if (qstmt(ctx, b, &one, q, v, part, &al, long_lit)) {
                    const char *name = smc_printf(ctx, "smdl_q_%s_%s%u", qn,
                                                  part == PART_PRE ? "pre" : "post", v);
                    sm_buf_printf(&parts, "static const sm_qstmt %s = %s;\n", name, one.data);
                    if (part == PART_PRE)
                        pre = smc_printf(ctx, "&%s", name);
                    else
                        post = smc_printf(ctx, "&%s", name);
                }
                sm_buf_free(&one);
            }
            sm_buf_puts(&vars, "    {");
            if (!qstmt(ctx, b, &vars, q, v, PART_MAIN, &al, long_lit))
                sm_buf_puts(&vars, "{{{NULL, NULL, NULL}}, {NULL, NULL, NULL}, {0, 0, 0}}");
            sm_buf_printf(&vars, ", %s, %s},\n", pre, post);
        }
        if (parts.len)
            sm_buf_append(b, parts.data, parts.len);
        sm_buf_printf(b, "static const sm_variant smdl_q_%s_variants[] = {\n", qn);
        sm_buf_append(b, vars.data, vars.len);
        sm_buf_puts(b, "};\n");
        sm_buf_free(&parts);
        sm_buf_free(&vars);
        const char *row = q->row ? smc_printf(ctx, "&smdl.%s", q->row->snake)
                        : q->scalar ? smc_printf(ctx, "&%s_model", row_type(ctx, q)) : "NULL";
        sm_buf_printf(b, "static const sm_query_desc smdl_q_%s = {\"%s\", %s, smdl_q_%s_variants, %u, "
                         "%s, %s, %s, %d};\n\n",
                      qn, qn, has_args ? smc_printf(ctx, "&smdl_q_%s_args_model", qn) : "NULL", qn,
                      q->nvariants, ret_names[q->ret], query_flags(q), row, q->timeout_ms);
    }
}

/* ---- Source: wrappers --------------------------------------------------------------------- */

static void fill_args(smc_ctx *ctx, sm_buf *b, const smc_qinfo *q)
{
    const char *qn = q->decl->name.s;
    bool has_args = false;
    for (const smc_param *p = q->decl->query->params; p; p = p->next)
        has_args |= p->field != UINT32_MAX;
    if (has_args)
        sm_buf_printf(b, "    smdl_q_%s_args smdl_args;\n    memset(&smdl_args, 0, sizeof smdl_args);\n", qn);
    sm_buf_puts(b, "    unsigned smdl_v = 0;\n");
    for (const smc_param *p = q->decl->query->params; p; p = p->next) {
        const smc_type *t = &p->type->type;
        const char *name = smc_c_local(ctx, p->name.s);
        if (p->field == UINT32_MAX)
            continue;
        if (t->list) {
            sm_buf_printf(b, "    smdl_args.%s.items = %s;\n    smdl_args.%s.len = %s_len;\n", name,
                          name, name, p->name.s);
        } else if (t->nullable && !smc_type_pointer(t)) {
            sm_buf_printf(b, "    if (%s) {\n        smdl_args.%s = *%s;\n        smdl_args.has_%s = true;\n    }\n",
                          name, name, name, p->name.s);
        } else {
            sm_buf_printf(b, "    smdl_args.%s = %s;\n", name, name);
        }
        for (uint32_t k = 0; k < q->nopt; k++)
            if (q->opt[k] == p)
                sm_buf_printf(b, "    if (%s)\n        smdl_v |= %uu;\n", name, 1u << k);
    }
    if (q->nchoices) {
        sm_buf_printf(b, "    unsigned smdl_radix = %uu;\n    bool smdl_bad = false;\n", 1u << q->nopt);
        for (uint32_t i = 0; i < q->nchoices; i++) {
            const smc_param *p = q->choices[i];
            uint32_t k = choice_count(p);
            const char *name = smc_c_local(ctx, p->name.s);
            sm_buf_printf(b, "    smdl_bad |= (unsigned)%s >= %uu;\n"
                             "    smdl_v += smdl_radix * (unsigned)%s;\n",
                          name, k, name);
            if (i + 1 < q->nchoices)
                sm_buf_printf(b, "    smdl_radix *= %uu;\n", k);
        }
        /* The runtime refuses the variant (SM_MISUSE) and clears the outputs. */
        sm_buf_puts(b, "    if (smdl_bad)\n        smdl_v = UINT_MAX; /* a sort or dir outside its enum */\n");
    }
}

void smc_emit_query_functions(smc_ctx *ctx, sm_buf *b)
{
    smc_sema *s = ctx->sema;
    for (uint32_t i = 0; i < s->nqueries; i++) {
        const smc_qinfo *q = s->queries[i];
        const char *qn = q->decl->name.s, *rt = row_type(ctx, q);
        bool has_args = false;
        for (const smc_param *p = q->decl->query->params; p; p = p->next)
            has_args |= p->field != UINT32_MAX;
        const char *args = has_args ? "&smdl_args" : "NULL";
        if (q->ret == SMC_R_EACH)
            sm_buf_printf(b, "typedef struct smdl_q_%s_each {\n    int (*fn)(void *ud, const %s *row);\n"
                             "    void *ud;\n} smdl_q_%s_each;\n\n"
                             "static int smdl_q_%s_row_fn(void *ud, const void *row)\n{\n"
                             "    const smdl_q_%s_each *e = (const smdl_q_%s_each *)ud;\n"
                             "    return e->fn(e->ud, (const %s *)row);\n}\n\n",
                          qn, rt, qn, qn, qn, qn, rt);
        signature(ctx, b, q);
        sm_buf_puts(b, "\n{\n");
        fill_args(ctx, b, q);
        if (q->ret == SMC_R_EXEC) {
            sm_buf_printf(b, "    return sm_query_exec(cx, conn, &smdl_q_%s, smdl_v, %s, affected);\n}\n\n",
                          qn, args);
        } else if (q->ret == SMC_R_EACH) {
            sm_buf_printf(b, "    smdl_q_%s_each smdl_each = {fn, ud};\n"
                             "    return sm_query_each(cx, conn, &smdl_q_%s, smdl_v, %s, "
                             "fn ? smdl_q_%s_row_fn : NULL, &smdl_each);\n}\n\n",
                          qn, qn, args, qn);
        } else if (!q->scalar) {
            sm_buf_printf(b, "    return sm_query_rows(cx, conn, &smdl_q_%s, smdl_v, %s, out, arena);\n}\n\n",
                          qn, args);
        } else {
            bool arena = smc_type_pointer(&q->scalar_type) || q->scalar_type.base == SMC_B_BYTES;
            bool has = q->scalar_type.nullable && !smc_type_pointer(&q->scalar_type);
            sm_buf_printf(b, "    %s smdl_row;\n    int smdl_rc = sm_query_rows(cx, conn, &smdl_q_%s, smdl_v, "
                             "%s, &smdl_row, %s);\n",
                          rt, qn, args, arena ? "arena" : "NULL");
            sm_buf_printf(b, "    if (smdl_rc != SM_OK)\n        smdl_row = %s_init;\n"
                             "    *out = smdl_row.value;\n", rt);
            if (has)
                sm_buf_puts(b, "    if (has)\n        *has = smdl_rc == SM_OK && smdl_row.has_value;\n");
            sm_buf_puts(b, "    return smdl_rc;\n}\n\n");
        }
    }
}

/* ---- smc sql ------------------------------------------------------------------------------- */

void smc_emit_query_listing(smc_ctx *ctx, const smc_dialect *d, sm_buf *b)
{
    smc_sema *s = ctx->sema;
    for (uint32_t i = 0; i < s->nqueries; i++) {
        const smc_qinfo *q = s->queries[i];
        sm_buf_printf(b, "\n-- query %s", q->decl->name.s);
        if (q->nvariants > 1)
            sm_buf_printf(b, " (%u variants)", q->nvariants);
        sm_buf_putc(b, '\n');
        for (unsigned v = 0; v < q->nvariants; v++) {
            static const char *const labels[] = {"", "-- before: ", "-- after: "};
            int order[] = {PART_PRE, PART_MAIN, PART_POST};
            for (int k = 0; k < 3; k++) {
                written w;
                write_part(ctx, q, v, order[k], d, &w);
                if (!w.sql) {
                    if (order[k] == PART_MAIN)
                        sm_buf_printf(b, "-- (no SQL for %s)\n", d->name);
                    continue;
                }
                if (q->nvariants > 1 && order[k] == PART_MAIN)
                    sm_buf_printf(b, "-- variant %u\n", v);
                sm_buf_printf(b, "%s", labels[order[k]]);
                for (const char *p = w.sql; *p; p++) /* show a list's marker readably */
                    sm_buf_puts(b, *p == '\001' ? "?..." : (char[2]){*p, 0});
                sm_buf_puts(b, ";\n");
            }
        }
    }
}
