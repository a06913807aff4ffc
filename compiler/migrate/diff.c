/*
 * diff.c: the plan from one checked schema to another.
 *
 * Tables match by table name, else by `@was(Old)` naming the old model
 * (or its table); columns by column name, else by `@was(old)`.  What
 * reaches the database is compared as the DDL pieces of create_all
 * write it, per dialect: a column's type, NOT NULL and DEFAULT; the key,
 * unique constraints, foreign keys, checks and indexes by name and text.
 * The `from` side is rendered under the names the `to` side gives its
 * tables and columns, so that a rename changes nothing else, and a piece
 * whose name follows a renamed table or column is renamed in place.
 */
#include "map.h"
#include "migrate.h"

#include <string.h>

/* ---- Matching ------------------------------------------------------------------------- */

/* Names to positions, for matching in linear time: by name, and by the
 * old name a `@was` gives (either side's: a plan runs both ways). */
typedef struct names {
    smc_map by_name, by_alt, by_was;
    uint32_t *pos;
} names;

static void name_put(smc_ctx *ctx, smc_map *m, const char *key, uint32_t *pos)
{
    if (key)
        smc_map_put(ctx, m, key, pos);
}

/* The first of keys whose position is free, or -1. */
static int64_t name_take(const smc_map *m, const char *key, const bool *taken)
{
    const uint32_t *pos = key ? smc_map_get(m, key) : NULL;
    return pos && !taken[*pos] ? (int64_t)*pos : -1;
}

/* One pass of matching, by: 0 the name in the database, 1 the `@was` of
 * the new side, 2 the model or field name (a new `@table` or `@column`),
 * 3 the `@was` of the old side (a down plan).  Every item gets its exact
 * match before any goes by another pass, so a stale `@was` left in the
 * snapshot never takes a column or table that kept its name. */
enum { NPASSES = 4 };

static int64_t name_match(const names *ns, int pass, const char *name, const char *alt,
                          const char *was, const bool *taken)
{
    int64_t k = -1;
    if (pass == 0)
        k = name_take(&ns->by_name, name, taken);
    if (pass == 1 && was && (k = name_take(&ns->by_alt, was, taken)) < 0)
        k = name_take(&ns->by_name, was, taken);
    if (pass == 2)
        k = name_take(&ns->by_alt, alt, taken);
    if (pass == 3 && (k = name_take(&ns->by_was, alt, taken)) < 0)
        k = name_take(&ns->by_was, name, taken);
    return k;
}

/* The column pairs of a table: to's columns in order (matched or added),
 * then from's unmatched ones (dropped).  Columns match by column name,
 * else `@was` names the old field or column, else by field name. */
static void match_cols(smc_ctx *ctx, smc_mtable *t)
{
    uint32_t nf = t->from ? t->from->ncols : 0, nt = t->to ? t->to->ncols : 0;
    bool *taken = smc_alloc(ctx, (nf + 1) * sizeof *taken);
    names ns = {{0}, {0}, {0}, smc_alloc(ctx, (nf + 1) * sizeof(uint32_t))};
    for (uint32_t i = 0; i < nf; i++) {
        const smc_col *o = t->from->cols[i];
        ns.pos[i] = i;
        if (!o->column)
            continue;
        name_put(ctx, &ns.by_name, o->column, &ns.pos[i]);
        name_put(ctx, &ns.by_alt, o->name, &ns.pos[i]);
        name_put(ctx, &ns.by_was, o->was, &ns.pos[i]);
    }
    smc_col **match = smc_alloc(ctx, (nt + 1) * sizeof *match);
    for (int pass = 0; pass < NPASSES && t->from; pass++)
        for (uint32_t i = 0; i < nt; i++) {
            smc_col *c = t->to->cols[i];
            int64_t k = c->column && !match[i]
                            ? name_match(&ns, pass, c->column, c->name, c->was, taken) : -1;
            if (k >= 0) {
                taken[k] = true;
                match[i] = t->from->cols[k];
            }
        }
    t->cols = smc_alloc(ctx, (nf + nt + 1) * sizeof *t->cols);
    for (uint32_t i = 0; i < nt; i++)
        if (t->to->cols[i]->column)
            t->cols[t->ncols++] = (smc_mcol){match[i], t->to->cols[i], 0, 0, 0};
    for (uint32_t i = 0; i < nf; i++)
        if (t->from->cols[i]->column && !taken[i])
            t->cols[t->ncols++] = (smc_mcol){t->from->cols[i], NULL, 0, 0, 0};
}

/* ---- The from side under the to side's names ------------------------------------------ */

/* The names of a from table that depend on table and column names,
 * saved so that they can be put back. */
typedef struct saved {
    smc_model *m;
    const char *table, *pk_name;
    const char **ix, **ck, **col;
} saved;

typedef struct mapper {
    smc_mplan *plan;
    saved *saved;
    uint32_t nsaved;
} mapper;

static void save_names(smc_ctx *ctx, mapper *mp, smc_model *m)
{
    saved *s = &mp->saved[mp->nsaved++];
    s->m = m;
    s->table = m->table;
    s->pk_name = m->pk_name;
    s->ix = smc_alloc(ctx, (m->nindexes + 1) * sizeof *s->ix);
    s->ck = smc_alloc(ctx, (m->nchecks + 1) * sizeof *s->ck);
    s->col = smc_alloc(ctx, (m->ncols + 1) * sizeof *s->col);
    for (uint32_t i = 0; i < m->nindexes; i++)
        s->ix[i] = m->indexes[i].name;
    for (uint32_t i = 0; i < m->nchecks; i++)
        s->ck[i] = m->checks[i].name;
    for (uint32_t i = 0; i < m->ncols; i++)
        s->col[i] = m->cols[i]->column;
}

static void restore_names(mapper *mp)
{
    for (uint32_t k = 0; k < mp->nsaved; k++) {
        saved *s = &mp->saved[k];
        s->m->table = s->table;
        s->m->pk_name = s->pk_name;
        for (uint32_t i = 0; i < s->m->nindexes; i++)
            s->m->indexes[i].name = s->ix[i];
        for (uint32_t i = 0; i < s->m->nchecks; i++)
            s->m->checks[i].name = s->ck[i];
        for (uint32_t i = 0; i < s->m->ncols; i++)
            s->m->cols[i]->column = s->col[i];
    }
}

/* Gives the from side the to side's names, and names its pieces as the
 * checker would have under them (sema_table.c). */
static void map_names(smc_ctx *ctx, mapper *mp)
{
    for (uint32_t k = 0; k < mp->plan->ntables; k++) {
        smc_mtable *t = &mp->plan->tables[k];
        if (!t->from || !t->to)
            continue;
        smc_model *m = t->from;
        bool changed = strcmp(m->table, t->to->table) != 0;
        m->table = t->to->table;
        for (uint32_t i = 0; i < t->ncols; i++)
            if (t->cols[i].from && t->cols[i].to &&
                strcmp(t->cols[i].from->column, t->cols[i].to->column) != 0) {
                t->cols[i].from->column = t->cols[i].to->column;
                changed = true;
            }
        if (!changed)
            continue;
        m->pk_name = smc_limit_name(ctx, smc_printf(ctx, "pk_%s", m->table));
        for (uint32_t i = 0; i < m->nindexes; i++) {
            smc_index *ix = &m->indexes[i];
            ix->name = smc_constraint_name(ctx, ix->unique ? "uq" : "ix", m->table, ix->cols,
                                           ix->ncols);
        }
        for (uint32_t i = 0; i < m->nchecks; i++) { /* ck_<table>_<hash of its text> */
            const char *old = m->checks[i].name;
            size_t n = strlen(old);
            m->checks[i].name = smc_limit_name(
                ctx, smc_printf(ctx, "ck_%s_%s", m->table, n > 8 ? old + n - 8 : old));
        }
    }
}

/* ---- Pieces --------------------------------------------------------------------------- */

typedef struct pieces {
    smc_mpiece *items;
    uint32_t n;
} pieces;

/* A piece's text without " ON DELETE RESTRICT" and the like, on a
 * dialect where those actions are no clause (fk_no_action_alike). */
static const char *fk_def(smc_ctx *ctx, const smc_dialect *d, const char *text)
{
    static const char *const alike[] = {" ON DELETE RESTRICT", " ON DELETE NO ACTION",
                                        " ON UPDATE RESTRICT", " ON UPDATE NO ACTION"};
    if (!d->fk_no_action_alike)
        return text;
    char *s = smc_strdup(ctx, text);
    for (size_t i = 0; i < sizeof alike / sizeof alike[0]; i++) {
        size_t n = strlen(alike[i]);
        char *at = strstr(s, alike[i]);
        if (at && (at[n] == 0 || at[n] == ' '))
            memmove(at, at + n, strlen(at + n) + 1);
    }
    return s;
}

static void add_piece(smc_ctx *ctx, pieces *ps, const smc_model *m, smc_ddl_kind kind,
                      const void *obj)
{
    smc_mpiece p = {kind, obj, NULL, NULL, {NULL}, {NULL}};
    bool any = false;
    for (int d = 0; d < SM_NDIALECTS; d++) {
        sm_buf b = SM_BUF_INIT;
        bool has = smc_ddl_piece(ctx, &smc_dialects[d], m, kind, obj, &b);
        if (has) {
            const char *t = p.text[d] = smc_strndup(ctx, b.data, b.len);
            const char *def = kind == SMC_DDL_CHECK ? strstr(t, " CHECK (") : NULL;
            p.def[d] = def ? def : kind == SMC_DDL_FK ? fk_def(ctx, &smc_dialects[d], t) : t;
        }
        any |= has;
        sm_buf_free(&b);
    }
    if (!any)
        return;
    p.name = smc_ddl_piece_name(ctx, m, kind, obj);
    ps->items = smc_grow(ctx, ps->items, ps->n, sizeof *ps->items);
    ps->items[ps->n++] = p;
}

/* Every piece of table m, as create_all writes it. */
static pieces table_pieces(smc_ctx *ctx, const smc_model *m)
{
    pieces ps = {NULL, 0};
    add_piece(ctx, &ps, m, SMC_DDL_PK, NULL);
    for (uint32_t i = 0; i < m->nindexes; i++)
        add_piece(ctx, &ps, m, m->indexes[i].unique ? SMC_DDL_UNIQUE : SMC_DDL_INDEX,
                  &m->indexes[i]);
    for (uint32_t i = 0; i < m->ncols; i++)
        if (m->cols[i]->column && m->cols[i]->fk_model)
            add_piece(ctx, &ps, m, SMC_DDL_FK, m->cols[i]);
    for (uint32_t i = 0; i < m->ncols; i++)
        if (m->cols[i]->column)
            add_piece(ctx, &ps, m, SMC_DDL_COLCHECK, m->cols[i]);
    for (uint32_t i = 0; i < m->nchecks; i++)
        add_piece(ctx, &ps, m, SMC_DDL_CHECK, &m->checks[i]);
    return ps;
}

/* The from side's pieces of every table, under the to side's names; the
 * database names are those before the mapping. */
typedef struct from_job {
    mapper mp;
    pieces *out; /* per plan table */
} from_job;

static void from_pieces(smc_ctx *ctx, void *arg)
{
    from_job *j = arg;
    smc_mplan *p = j->mp.plan;
    for (uint32_t k = 0; k < p->ntables; k++)
        if (p->tables[k].from)
            save_names(ctx, &j->mp, p->tables[k].from);
    /* The names in the database, then the mapped ones. */
    pieces *orig = smc_alloc(ctx, (p->ntables + 1) * sizeof *orig);
    for (uint32_t k = 0; k < p->ntables; k++)
        if (p->tables[k].from && p->tables[k].to)
            orig[k] = table_pieces(ctx, p->tables[k].from);
    map_names(ctx, &j->mp);
    for (uint32_t k = 0; k < p->ntables; k++) {
        if (!p->tables[k].from)
            continue;
        j->out[k] = table_pieces(ctx, p->tables[k].from);
        for (uint32_t i = 0; i < j->out[k].n; i++)
            j->out[k].items[i].db_name = p->tables[k].to && i < orig[k].n
                                             ? orig[k].items[i].name : j->out[k].items[i].name;
    }
    restore_names(&j->mp);
}

/* ---- Comparing ------------------------------------------------------------------------ */

static bool same(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

const char *smc_mpiece_def(const smc_mpiece *pc, int d)
{
    return pc->def[d];
}

static void add_change(smc_ctx *ctx, smc_mtable *t, smc_mchange ch)
{
    if (!ch.drop && !ch.add && !ch.rename)
        return;
    t->changes = smc_grow(ctx, t->changes, t->nchanges, sizeof *t->changes);
    t->changes[t->nchanges++] = ch;
}

/* A piece's key in a map: its kind and its name, or its definition. */
static const char *piece_key(smc_ctx *ctx, const smc_mpiece *pc, const char *what)
{
    return smc_printf(ctx, "%d %s", (int)pc->kind, what ? what : "");
}

bool smc_mig_fk_indexed(const smc_model *m, const smc_col *c)
{
    if (m->nkey && m->key[0] == c)
        return true;
    for (uint32_t i = 0; i < m->nindexes; i++)
        if (m->indexes[i].ncols && m->indexes[i].cols[0] == c)
            return true;
    return false;
}

/* The dialects on which a column of the to side changes type (retyped:
 * by address, from compare_cols). */
static unsigned retyped_on(smc_ctx *ctx, const smc_map *retyped, const smc_col *c)
{
    const unsigned *bits = c ? smc_map_get(retyped, smc_printf(ctx, "%p", (const void *)c)) : NULL;
    return bits ? *bits : 0;
}

static void compare_pieces(smc_ctx *ctx, smc_mtable *t, const pieces *fp, const pieces *tp,
                           const smc_map *retyped)
{
    bool *used = smc_alloc(ctx, (tp->n + 1) * sizeof *used);
    names ns = {{0}, {0}, {0}, smc_alloc(ctx, (tp->n + 1) * sizeof(uint32_t))};
    for (uint32_t k = 0; k < tp->n; k++) {
        ns.pos[k] = k;
        name_put(ctx, &ns.by_name, piece_key(ctx, &tp->items[k], tp->items[k].name), &ns.pos[k]);
        if (tp->items[k].kind == SMC_DDL_CHECK)
            name_put(ctx, &ns.by_alt, piece_key(ctx, &tp->items[k], smc_mpiece_def(&tp->items[k], 0)),
                     &ns.pos[k]);
    }
    for (uint32_t i = 0; i < fp->n; i++) {
        const smc_mpiece *f = &fp->items[i], *m = NULL;
        int64_t k = name_take(&ns.by_name, piece_key(ctx, f, f->name), used);
        /* A check is named by the hash of its text, which changes with
         * the name of a column it reads: the same definition under the
         * new names is the same check, renamed. */
        if (k < 0 && f->kind == SMC_DDL_CHECK) {
            k = name_take(&ns.by_alt, piece_key(ctx, f, smc_mpiece_def(f, 0)), used);
            for (int d = 0; k >= 0 && d < SM_NDIALECTS; d++)
                if (!same(smc_mpiece_def(&tp->items[k], d), smc_mpiece_def(f, d)))
                    k = -1;
        }
        if (k >= 0) {
            used[k] = true;
            m = &tp->items[k];
        }
        smc_mchange ch = {f, m, 0, 0, 0};
        for (int d = 0; d < SM_NDIALECTS; d++) {
            const char *a = f->text[d], *b = m ? m->text[d] : NULL;
            const smc_dialect *dd = &smc_dialects[d];
            bool keep_type = f->kind == SMC_DDL_FK && dd->fk_same_type && m &&
                             ((retyped_on(ctx, retyped, m->obj) |
                               retyped_on(ctx, retyped, ((const smc_col *)m->obj)->fk_col)) &
                              (1u << d));
            /* An index a foreign key uses cannot be dropped under it: the
             * key goes first and comes back with an index of its own. */
            bool loses_index = f->kind == SMC_DDL_FK && dd->fk_auto_index && m &&
                               smc_mig_fk_indexed(t->from, f->obj) &&
                               !smc_mig_fk_indexed(t->to, m->obj);
            if (a && b && !keep_type && !loses_index &&
                same(smc_mpiece_def(f, d), smc_mpiece_def(m, d))) {
                if (strcmp(f->db_name, m->name) == 0 || (f->kind == SMC_DDL_PK && !dd->pk_named))
                    continue; /* the same, or a name the database does not keep */
                if (dd->rename_piece[f->kind]) {
                    ch.rename |= 1u << d;
                    continue;
                }
                /* a rename the database cannot do: dropped and added */
            }
            if (a)
                ch.drop |= 1u << d;
            if (b)
                ch.add |= 1u << d;
        }
        add_change(ctx, t, ch);
    }
    for (uint32_t k = 0; k < tp->n; k++) {
        if (used[k])
            continue;
        smc_mchange ch = {NULL, &tp->items[k], 0, 0, 0};
        for (int d = 0; d < SM_NDIALECTS; d++)
            if (tp->items[k].text[d])
                ch.add |= 1u << d;
        add_change(ctx, t, ch);
    }
}

static char *render_type(smc_ctx *ctx, const smc_dialect *d, const bool *unique,
                         const smc_col *c, int what)
{
    sm_buf b = SM_BUF_INIT;
    if (what == 0)
        smc_ddl_column_type(d, c, unique[c->index], &b);
    else
        smc_sql_default(&b, d, c);
    char *s = smc_strndup(ctx, b.data ? b.data : "", b.len);
    sm_buf_free(&b);
    return s;
}

typedef struct cols_job {
    smc_mtable *t;
    char **texts; /* [col][dialect][type, default] of the from side */
} cols_job;

static void from_cols(smc_ctx *ctx, void *arg)
{
    cols_job *j = arg;
    for (uint32_t i = 0; i < j->t->ncols; i++) {
        const smc_col *c = j->t->cols[i].from;
        if (!c || !j->t->cols[i].to)
            continue;
        for (int d = 0; d < SM_NDIALECTS; d++)
            for (int w = 0; w < 2; w++)
                j->texts[(i * SM_NDIALECTS + (uint32_t)d) * 2 + (uint32_t)w] =
                    render_type(ctx, &smc_dialects[d], j->t->from_unique, c, w);
    }
}

static void compare_cols(smc_ctx *from, smc_ctx *to, smc_mtable *t, bool from_db)
{
    cols_job j = {t, smc_alloc(to, ((size_t)t->ncols * SM_NDIALECTS * 2 + 1) * sizeof(char *))};
    smc_out_run(from, from_cols, &j);
    if (from->oom)
        smc_out_of_memory(to);
    for (uint32_t i = 0; i < t->ncols; i++) {
        smc_mcol *mc = &t->cols[i];
        if (!mc->from || !mc->to)
            continue;
        for (int d = 0; d < SM_NDIALECTS; d++) {
            char **ft = &j.texts[(i * SM_NDIALECTS + (uint32_t)d) * 2];
            /* the type as written, the key generator, or how a value is
             * stored (a decimal's scale where decimals are integers) */
            if (strcmp(ft[0], render_type(to, &smc_dialects[d], t->to_unique, mc->to, 0)) != 0 ||
                (mc->from->autoinc != mc->to->autoinc && *smc_dialects[d].auto_suffix) ||
                (!from_db && smc_mig_rescaled(&smc_dialects[d], &mc->from->type, &mc->to->type)))
                mc->type |= 1u << d;
            if (strcmp(ft[1], render_type(to, &smc_dialects[d], t->to_unique, mc->to, 1)) != 0)
                mc->deflt |= 1u << d;
            if (mc->from->type.nullable != mc->to->type.nullable)
                mc->null |= 1u << d;
        }
    }
}

/* Can the dialect add column c to an existing table without rebuilding
 * it: no piece comes with it, and a constant default (or none, when
 * nullable)? */
static bool simple_add(const smc_col *c)
{
    return !c->pk && !c->fk_model && c->defkind != SMC_DEF_NOW && c->defkind != SMC_DEF_UUID &&
           (c->type.nullable || c->defkind == SMC_DEF_CONST);
}

/* Which dialects rebuild table t: those that cannot alter what changes. */
static void decide_rebuild(smc_mtable *t)
{
    if (!t->from || !t->to)
        return;
    for (int d = 0; d < SM_NDIALECTS; d++) {
        const smc_dialect *dd = &smc_dialects[d];
        unsigned bit = 1u << d;
        if (!dd->rebuild)
            continue;
        bool r = false;
        for (uint32_t i = 0; i < t->ncols && !r; i++) {
            const smc_mcol *c = &t->cols[i];
            r = (c->type | c->null | c->deflt) & bit ? true
              : !c->to ? !dd->drop_column
              : !c->from ? !simple_add(c->to)
              : false;
        }
        for (uint32_t i = 0; i < t->nchanges && !r; i++) {
            const smc_mchange *ch = &t->changes[i];
            smc_ddl_kind k = ch->from ? ch->from->kind : ch->to->kind;
            if ((ch->add & bit) && !dd->add_piece[k] && k != SMC_DDL_INDEX)
                r = true;
            if ((ch->drop & bit) && !dd->drop_piece[k])
                r = true;
        }
        if (r)
            t->rebuild |= bit;
    }
}

/* ---- The plan ------------------------------------------------------------------------- */

/* The tables the schema declares, used or not, by table name. */
static smc_map declared(smc_ctx *ctx, const smc_sema *s)
{
    smc_map m = {0};
    for (uint32_t i = 0; s && i < s->nmodels; i++)
        if (s->models[i]->is_table)
            smc_map_put(ctx, &m, s->models[i]->table, s->models[i]);
    return m;
}

static smc_mplan *diff(smc_ctx *from, smc_ctx *to, bool from_db)
{
    /* Every table the database holds, imported ones included: a
     * migrations directory builds the whole database its schema sees. */
    uint32_t nf = 0, nt = 0;
    smc_model **fts = from->sema ? smc_db_tables(to, from->sema, &nf) : NULL;
    smc_model **tts = to->sema ? smc_db_tables(to, to->sema, &nt) : NULL;
    smc_mplan *p = smc_alloc(to, sizeof *p);
    p->from = from;
    p->to = to;
    p->tables = smc_alloc(to, (nt + nf + 1) * sizeof *p->tables);
    /* Tables match by table name, else `@was` names the old model or
     * table, else by model name. */
    bool *taken = smc_alloc(to, (nf + 1) * sizeof *taken);
    names ns = {{0}, {0}, {0}, smc_alloc(to, (nf + 1) * sizeof(uint32_t))};
    for (uint32_t k = 0; k < nf; k++) {
        ns.pos[k] = k;
        name_put(to, &ns.by_name, fts[k]->table, &ns.pos[k]);
        name_put(to, &ns.by_alt, fts[k]->name, &ns.pos[k]);
        name_put(to, &ns.by_was, fts[k]->was, &ns.pos[k]);
    }
    smc_model **match = smc_alloc(to, (nt + 1) * sizeof *match);
    for (int pass = 0; pass < NPASSES && nf; pass++)
        for (uint32_t i = 0; i < nt; i++) {
            const smc_model *n = tts[i];
            int64_t k = match[i] ? -1 : name_match(&ns, pass, n->table, n->name, n->was, taken);
            if (k >= 0) {
                taken[k] = true;
                match[i] = fts[k];
            }
        }
    for (uint32_t i = 0; i < nt; i++) {
        smc_model *o = match[i];
        smc_mtable *t = &p->tables[p->ntables++];
        t->from = o;
        t->to = tts[i];
        t->renamed = o && strcmp(o->table, t->to->table) != 0;
    }
    /* A database may hold the tables of imported files that the schema
     * declares without needing them: no drift. */
    smc_map unused = declared(to, from_db ? to->sema : NULL);
    for (uint32_t k = nf; k-- > 0;) /* dropped: children before parents */
        if (!taken[k] && !smc_map_get(&unused, fts[k]->table))
            p->tables[p->ntables++].from = fts[k];
    for (uint32_t k = 0; k < p->ntables; k++) {
        smc_mtable *t = &p->tables[k];
        match_cols(to, t);
        t->from_unique = t->from ? smc_ddl_unique_cols(to, t->from) : NULL;
        t->to_unique = t->to ? smc_ddl_unique_cols(to, t->to) : NULL;
    }

    from_job j = {{p, smc_alloc(to, (p->ntables + 1) * sizeof(saved)), 0},
                  smc_alloc(to, (p->ntables + 1) * sizeof(pieces))};
    if (nf)
        smc_out_run(from, from_pieces, &j);
    if (from->oom) {
        restore_names(&j.mp);
        smc_out_of_memory(to);
    }
    smc_map retyped = {0};
    for (uint32_t k = 0; k < p->ntables; k++) {
        smc_mtable *t = &p->tables[k];
        if (!t->from || !t->to)
            continue;
        compare_cols(from, to, t, from_db);
        for (uint32_t i = 0; i < t->ncols; i++)
            if (t->cols[i].type)
                smc_map_put(to, &retyped, smc_printf(to, "%p", (void *)t->cols[i].to),
                            &t->cols[i].type);
    }
    for (uint32_t k = 0; k < p->ntables; k++) {
        smc_mtable *t = &p->tables[k];
        if (!t->from || !t->to)
            continue;
        pieces tp = table_pieces(to, t->to);
        compare_pieces(to, t, &j.out[k], &tp, &retyped);
        decide_rebuild(t);
    }
    return p;
}

smc_mplan *smc_migrate_diff(smc_ctx *from, smc_ctx *to)
{
    return diff(from, to, false);
}

smc_mplan *smc_migrate_drift(smc_ctx *db, smc_ctx *to)
{
    return diff(db, to, true);
}

bool smc_migrate_empty(const smc_mplan *p)
{
    for (uint32_t k = 0; k < p->ntables; k++) {
        const smc_mtable *t = &p->tables[k];
        if (!t->from || !t->to || t->renamed || t->nchanges)
            return false;
        for (uint32_t i = 0; i < t->ncols; i++) {
            const smc_mcol *c = &t->cols[i];
            if (!c->from || !c->to || c->type || c->null || c->deflt ||
                strcmp(c->from->column, c->to->column) != 0)
                return false;
        }
    }
    return true;
}

bool smc_mig_rescaled(const smc_dialect *d, const smc_type *f, const smc_type *t)
{
    if (!d->decimal_scaled || (f->base != SMC_B_DECIMAL && t->base != SMC_B_DECIMAL) ||
        !smc_type_is_numeric(f) || !smc_type_is_numeric(t))
        return false;
    unsigned fs = f->base == SMC_B_DECIMAL ? f->scale : 0, ts = t->base == SMC_B_DECIMAL ? t->scale : 0;
    return f->base == SMC_B_FLOAT || t->base == SMC_B_FLOAT || fs != ts;
}

const char *smc_mpiece_word(smc_ddl_kind kind)
{
    static const char *const words[SMC_DDL_NKINDS] = {
        "primary key", "unique constraint", "foreign key", "check", "check", "index",
    };
    return words[kind];
}

void smc_migrate_describe(const smc_mplan *p, sm_buf *b)
{
    for (uint32_t k = 0; k < p->ntables; k++) {
        const smc_mtable *t = &p->tables[k];
        if (!t->from) {
            smc_out_printf(b, "  create table %s\n", t->to->table);
            continue;
        }
        if (!t->to) {
            smc_out_printf(b, "  drop table %s\n", t->from->table);
            continue;
        }
        const char *tn = t->to->table;
        if (t->renamed)
            smc_out_printf(b, "  rename table %s to %s\n", t->from->table, tn);
        for (uint32_t i = 0; i < t->ncols; i++) {
            const smc_mcol *c = &t->cols[i];
            if (!c->from)
                smc_out_printf(b, "  add column %s.%s\n", tn, c->to->column);
            else if (!c->to)
                smc_out_printf(b, "  drop column %s.%s\n", tn, c->from->column);
            else {
                if (strcmp(c->from->column, c->to->column) != 0)
                    smc_out_printf(b, "  rename column %s.%s to %s\n", tn, c->from->column,
                                   c->to->column);
                if (c->type)
                    smc_out_printf(b, "  change the type of %s.%s\n", tn, c->to->column);
                if (c->null)
                    smc_out_printf(b, "  make %s.%s %s\n", tn, c->to->column,
                                   c->to->type.nullable ? "nullable" : "NOT NULL");
                if (c->deflt)
                    smc_out_printf(b, "  change the default of %s.%s\n", tn, c->to->column);
            }
        }
        for (uint32_t i = 0; i < t->nchanges; i++) {
            const smc_mchange *ch = &t->changes[i];
            const smc_mpiece *pc = ch->to ? ch->to : ch->from;
            const char *w = smc_mpiece_word(pc->kind);
            bool redefined = false;
            for (int d = 0; d < SM_NDIALECTS && ch->from && ch->to; d++)
                redefined |= ch->from->text[d] && ch->to->text[d] &&
                             strcmp(smc_mpiece_def(ch->from, d), smc_mpiece_def(ch->to, d)) != 0;
            if (ch->from && ch->to && (ch->drop || ch->add) && redefined)
                smc_out_printf(b, "  change %s %s of %s\n", w, pc->name, tn);
            else if (ch->from && ch->to && (ch->drop || ch->add || ch->rename))
                smc_out_printf(b, "  rename %s %s to %s\n", w, ch->from->db_name, pc->name);
            else if (ch->to && ch->add)
                smc_out_printf(b, "  add %s %s to %s\n", w, pc->name, tn);
            else if (ch->from && ch->drop)
                smc_out_printf(b, "  drop %s %s of %s\n", w, ch->from->db_name, tn);
            else if (ch->rename)
                smc_out_printf(b, "  rename %s %s to %s\n", w, ch->from->db_name, pc->name);
        }
    }
}
