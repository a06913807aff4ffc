/*
 * sema_sqlnames.c: the SQL names must not meet (DESIGN 2.4).  Every table
 * and every index and constraint the DDL names shares one namespace per
 * database (PostgreSQL keeps tables and indexes together, MySQL foreign
 * key names and SQLite index names are schema-wide), and the columns of a
 * table share another.  Names are compared without case: SQLite and
 * MySQL fold it for columns and indexes.  Imported tables live in the
 * same database, so they count; only the compiled file's are reported.
 */
#include "sema_int.h"

#include <ctype.h>
#include <string.h>

/* What holds an SQL name, for the messages. */
typedef struct sql_owner {
    const char *name; /* as the DDL writes it */
    const char *what; /* "the index of table 'Hero'" */
    smc_span span;
} sql_owner;

static const char *fold(smc_ctx *ctx, const char *name)
{
    size_t n = strlen(name);
    char *s = smc_alloc(ctx, n + 1);
    for (size_t i = 0; i < n; i++)
        s[i] = (char)tolower((unsigned char)name[i]);
    s[n] = 0;
    return s;
}

/* Claims name for what; reports when an earlier owner has it, and then
 * returns false. */
static bool claim(smc_checker *ck, smc_map *names, bool own, const char *name, const char *what,
                  smc_span span)
{
    sql_owner *o = smc_alloc(ck->ctx, sizeof *o);
    o->name = name;
    o->what = what;
    o->span = span;
    sql_owner *old = smc_map_put(ck->ctx, names, fold(ck->ctx, name), o);
    if (!old)
        return true;
    if (!own)
        return false;
    smc_diag *d = smc_error(ck->ctx, span, SMC_E_DUPLICATE,
                            "SQL name '%s' of %s is already taken by %s", name, what, old->what);
    if (strcmp(old->name, name) != 0)
        smc_note(ck->ctx, d, NULL, "SQL compares '%s' and '%s' without case", name, old->name);
    smc_note(ck->ctx, d, &old->span, "%s is declared here", old->what);
    return false;
}

static smc_span field_span(const smc_col *c)
{
    smc_attr *a = smc_attr_named(c->field->attrs, "column");
    return a && !a->bad ? a->span : c->field->name.span;
}

/* The columns of table m, each named once. */
static void columns(smc_checker *ck, smc_model *m)
{
    smc_map seen = {0};
    for (uint32_t i = 0; i < m->ncols; i++) {
        smc_col *c = m->cols[i];
        if (!c->column)
            continue;
        smc_col *old = smc_map_put(ck->ctx, &seen, fold(ck->ctx, c->column), c);
        if (!old || !m->own)
            continue;
        smc_span at = field_span(c), was = field_span(old);
        smc_diag *d = smc_error(ck->ctx, at, SMC_E_DUPLICATE,
                                "column name '%s' of field '%s' is already taken by field '%s' "
                                "in table '%s'",
                                c->column, c->name, old->name, m->name);
        smc_note(ck->ctx, d, &was, "field '%s' is declared here", old->name);
    }
}

/* Table m's own name and the names of its key, indexes and constraints,
 * as the DDL writes them (smc_constraint_name for the foreign keys and
 * column checks the emitters name).  The latter are made of the table's
 * name: when that is taken, they would only repeat the error. */
static void relations(smc_checker *ck, smc_map *names, smc_model *m)
{
    smc_ctx *ctx = ck->ctx;
    bool own = m->own;
    smc_attr *t = smc_attr_named(m->decl->attrs, "table");
    smc_span at = t && !t->bad ? t->span : m->decl->name.span;
    if (!claim(ck, names, own, m->table, smc_printf(ctx, "table '%s'", m->name), at))
        return;
    if (m->pk_name)
        claim(ck, names, own, m->pk_name, smc_printf(ctx, "the primary key of table '%s'", m->name),
              m->decl->name.span);
    for (uint32_t i = 0; i < m->nindexes; i++) {
        const smc_index *ix = &m->indexes[i];
        claim(ck, names, own, ix->name,
              smc_printf(ctx, "the %s of table '%s'", ix->unique ? "unique constraint" : "index",
                         m->name),
              ix->span);
    }
    for (uint32_t i = 0; i < m->nchecks; i++)
        claim(ck, names, own, m->checks[i].name,
              smc_printf(ctx, "a check of table '%s'", m->name), m->checks[i].expr->span);
    for (uint32_t i = 0; i < m->ncols; i++) {
        smc_col *c = m->cols[i];
        if (!c->column)
            continue;
        smc_col *one[1] = {c};
        if (c->fk_model)
            claim(ck, names, own, smc_constraint_name(ctx, "fk", m->table, one, 1),
                  smc_printf(ctx, "the foreign key of field '%s' of table '%s'", c->name, m->name),
                  c->field->name.span);
        if (c->type.base == SMC_B_ENUM || c->type.base == SMC_B_JSON)
            claim(ck, names, own, smc_constraint_name(ctx, "ck", m->table, one, 1),
                  smc_printf(ctx, "the check of field '%s' of table '%s'", c->name, m->name),
                  c->field->name.span);
    }
}

void smc_check_sql_names(smc_checker *ck)
{
    smc_sema *s = ck->out;
    smc_map names = {0};
    for (uint32_t i = 0; i < s->nmodels; i++) {
        smc_model *m = s->models[i];
        if (!m->is_table)
            continue;
        ck->cur = m->decl->file;
        columns(ck, m);
        relations(ck, &names, m);
    }
}
