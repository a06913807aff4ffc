/*
 * verify.c: `smc migrate verify --against OLD FILE` (docs/migrations.md,
 * "Checking a release").  During a rolling deploy the old and the new
 * code run at once against one database: the old code against the new
 * tables once the migration has run, the new code against the old tables
 * when it starts before the migration.  Both are checked:
 *
 *   - what the generated code of every table does (its functions read
 *     and write every column), from the plan of the differ (diff.c):
 *     tables and columns dropped or renamed, types the code's C type
 *     cannot hold, NOT NULL columns without a default that its inserts
 *     do not write; errors [E0502] for the old code, [E0503] for the new;
 *     what depends on the rows written (a narrower type, NULL, a new
 *     constraint) is a warning [-Wrelease-data];
 *   - each side's queries, checked by the checker against the other
 *     side's tables (smc_check_against), their errors reported with the
 *     checker's codes at the query.
 *
 * Every message points into the file whose code breaks; notes point at
 * the other side.  Each side reports into its own context (old and new
 * schema, and one per query check); the report is theirs in turn.
 */
#include "verify.h"
#include "map.h"
#include "migrate.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { ORDER_BOTH, ORDER_MIGRATE_FIRST, ORDER_CODE_FIRST };

typedef struct vargs {
    const char *old, *file;
    bool json;
    int order;
} vargs;

#define VERIFY_USAGE                                                                        \
    "usage: smc migrate verify --against OLD FILE [--order=both|migrate-first|code-first]\n" \
    "                          [--diagnostics=text|json] [-I DIR]...\n"

static int usage(const char *fmt, const char *arg)
{
    fputs("smc: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\n" VERIFY_USAGE "Run 'smc help migrate' for more.\n", stderr);
    return 2;
}

/* ---- Diagnostics across contexts ----------------------------------------------------- */

/* s, a span of src, as a span of dst: the same file (by path) loaded in
 * dst, added to it when it is not. */
static smc_span xspan(smc_ctx *dst, smc_ctx *src, smc_span s)
{
    if (s.file == SMC_NO_FILE)
        return s;
    const smc_source *f = src->files[s.file];
    for (uint32_t i = 0; i < dst->nfiles; i++)
        if (strcmp(dst->files[i]->path, f->path) == 0) {
            s.file = i;
            return s;
        }
    int id = smc_source_add(dst, f->path, f->text, f->len);
    if (id < 0)
        smc_out_of_memory(dst);
    s.file = (uint32_t)id;
    return s;
}

/* Keeps the errors of ctx in file `file` (every file: SMC_NO_FILE).
 * Errors past ctx's limit were counted, not listed: they stay counted
 * (a checked schema has none of its own, so they are the other file's). */
static void keep_errors(smc_ctx *ctx, uint32_t file)
{
    int listed = 0, kept = 0;
    smc_diag **link = &ctx->diags;
    ctx->last_diag = NULL;
    while (*link) {
        smc_diag *d = *link;
        listed += d->sev == SMC_SEV_ERROR;
        if (d->sev != SMC_SEV_ERROR || (file != SMC_NO_FILE && d->span.file != file)) {
            *link = d->next;
            continue;
        }
        kept++;
        ctx->last_diag = d;
        link = &d->next;
    }
    ctx->nerrors = kept + (ctx->nerrors - listed);
    ctx->nwarnings = 0;
}

/* The contexts of the two sides list every finding (max_errors) so that
 * they can be ordered; this many of each are shown, as smc check does.
 * Those of the query checks keep the checker's limit, past which it
 * spends nothing on a diagnostic (no did-you-mean over every name). */
enum { SHOWN = 100 };

/* Lists the first SHOWN diagnostics of ctx; the counts keep the rest,
 * which the rendering reports as not shown. */
static void limit_diags(smc_ctx *ctx)
{
    int n = 0;
    for (smc_diag *d = ctx->diags; d; d = d->next)
        if (++n == SHOWN) {
            d->next = NULL;
            ctx->last_diag = d;
            break;
        }
}

/* Orders ctx's diagnostics by place (file, then offset), the order of
 * reporting kept among equals: a table's findings come out in the order
 * of its fields, whatever the order of the plan. */
typedef struct placed {
    smc_diag *d;
    size_t seq;
} placed;

static int by_place(const void *a, const void *b)
{
    const placed *x = a, *y = b;
    if (x->d->span.file != y->d->span.file)
        return x->d->span.file < y->d->span.file ? -1 : 1;
    if (x->d->span.off != y->d->span.off)
        return x->d->span.off < y->d->span.off ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static bool sort_diags(smc_ctx *ctx)
{
    size_t n = 0;
    for (smc_diag *d = ctx->diags; d; d = d->next)
        n++;
    if (n < 2)
        return true;
    placed *v = malloc(n * sizeof *v);
    if (!v)
        return false;
    n = 0;
    for (smc_diag *d = ctx->diags; d; d = d->next, n++)
        v[n] = (placed){d, n};
    qsort(v, n, sizeof *v, by_place);
    for (size_t i = 0; i + 1 < n; i++)
        v[i].d->next = v[i + 1].d;
    v[n - 1].d->next = NULL;
    ctx->diags = v[0].d;
    ctx->last_diag = v[n - 1].d;
    free(v);
    return true;
}

/* ---- One side of the deploy ------------------------------------------------------------ */

/* The code of one release against the tables of the other: the old code
 * on the new tables (old_code), or the new code on the old ones. */
typedef struct side {
    const smc_mplan *p;
    smc_ctx *ctx;   /* the code's schema: its file holds the places */
    smc_ctx *db;    /* the other schema: the tables */
    bool old_code;
    smc_code code;
    const char *who;    /* "old", "new" */
    const char *other;  /* "new", "old" */
} side;

static smc_model *code_table(const side *s, const smc_mtable *t)
{
    return s->old_code ? t->from : t->to;
}

static smc_model *db_table(const side *s, const smc_mtable *t)
{
    return s->old_code ? t->to : t->from;
}

static smc_col *code_col(const side *s, const smc_mcol *c)
{
    return s->old_code ? c->from : c->to;
}

static smc_col *db_col(const side *s, const smc_mcol *c)
{
    return s->old_code ? c->to : c->from;
}

static smc_span field_span(const smc_col *c)
{
    return c->field ? c->field->span : smc_no_span();
}

static void note_db(const side *s, smc_diag *d, smc_span at, const char *what)
{
    smc_span x = xspan(s->ctx, s->db, at);
    smc_note(s->ctx, d, &x, "%s in the %s schema", what, s->other);
}

static int int_rank(uint8_t base)
{
    return base == SMC_B_I16 ? 1 : base == SMC_B_I32 ? 2 : base == SMC_B_INT ? 3 : 0;
}

/* Can the C type of column `code` hold every value of column `db`
 * (enums aside: their members are compared one by one)?  Text holds any
 * length: @max_len is validation, not the C type. */
static bool holds(const smc_col *code, const smc_col *db)
{
    const smc_type *a = &code->type, *b = &db->type;
    if (int_rank(a->base) && int_rank(b->base))
        return int_rank(a->base) >= int_rank(b->base);
    if (a->base != b->base)
        return false;
    if (a->base == SMC_B_DECIMAL)
        return a->scale >= b->scale && a->precision - a->scale >= b->precision - b->scale;
    return true;
}

static const char *type_text(smc_ctx *ctx, const smc_col *c)
{
    smc_type t = c->type;
    t.nullable = false;
    return smc_type_name(ctx, &t);
}

static const char *qname(smc_ctx *ctx, const smc_model *m, const smc_col *c)
{
    return smc_printf(ctx, "%s.%s", m->table, c->column);
}

/* Enum values: those the code cannot read, those the database refuses. */
static void check_enum(const side *s, const smc_model *m, const smc_col *cc, const smc_col *dc)
{
    smc_ctx *ctx = s->ctx;
    smc_span at = field_span(cc);
    const smc_decl *ce = cc->type.decl, *de = dc->type.decl;
    for (const smc_member *v = de->members; v; v = v->next)
        if (smc_enum_member(ce, v->name.s) < 0)
            smc_error(ctx, at, s->code,
                      "column '%s' may hold '%s' in the %s schema, a value the %s code's enum "
                      "%s cannot read", qname(ctx, m, cc), v->name.s, s->other, s->who,
                      ce->name.s);
    for (const smc_member *v = ce->members; v; v = v->next)
        if (smc_enum_member(de, v->name.s) < 0)
            smc_warning(ctx, at, "release-data",
                        "column '%s' does not accept '%s' in the %s schema, a value the %s "
                        "code may write", qname(ctx, m, cc), v->name.s, s->other, s->who);
}

static void check_col(const side *s, const smc_mtable *t, const smc_mcol *c)
{
    smc_ctx *ctx = s->ctx;
    smc_model *cm = code_table(s, t);
    smc_col *cc = code_col(s, c), *dc = db_col(s, c);
    if (!cc) { /* a column the code does not know: its inserts leave it out */
        if (smc_col_required(dc)) {
            smc_diag *d = smc_error(ctx, cm->decl->name.span, s->code,
                                    "table '%s' has column '%s' NOT NULL without a default in "
                                    "the %s schema, which the %s code's inserts do not write",
                                    cm->table, dc->column, s->other, s->who);
            note_db(s, d, field_span(dc), smc_printf(ctx, "'%s' is declared here", dc->column));
        }
        return;
    }
    const char *name = qname(ctx, cm, cc);
    smc_span at = field_span(cc);
    if (!dc) {
        smc_error(ctx, at, s->code, "column '%s' %s, but the %s code reads and writes it", name,
                  s->old_code ? "is dropped by the new schema" : "does not exist yet in the old schema",
                  s->who);
        return;
    }
    if (strcmp(cc->column, dc->column) != 0) {
        smc_diag *d = smc_error(ctx, at, s->code,
                                "column '%s' is %s '%s' %s schema, but the %s code names it '%s'",
                                name, s->old_code ? "renamed" : "still named", dc->column,
                                s->old_code ? "by the new" : "in the old", s->who, cc->column);
        note_db(s, d, field_span(dc), smc_printf(ctx, "'%s' is declared here", dc->column));
        return; /* its SQL fails before any value is read */
    }
    if (cc->type.base == SMC_B_ENUM && dc->type.base == SMC_B_ENUM) {
        check_enum(s, cm, cc, dc);
    } else if (!holds(cc, dc)) {
        smc_diag *d = smc_error(ctx, at, s->code,
                                "column '%s' is %s in the %s schema, which the %s code's %s "
                                "cannot hold", name, type_text(ctx, dc), s->other, s->who,
                                type_text(ctx, cc));
        note_db(s, d, field_span(dc), smc_printf(ctx, "'%s' is declared here", dc->column));
    } else if (!holds(dc, cc)) {
        smc_warning(ctx, at, "release-data",
                    "column '%s' is %s in the %s schema, narrower than the %s code's %s: its "
                    "writes may not fit", name, type_text(ctx, dc), s->other, s->who,
                    type_text(ctx, cc));
    }
    if (dc->type.nullable && !cc->type.nullable)
        smc_warning(ctx, at, "release-data",
                    "column '%s' is nullable in the %s schema, but the %s code reads it as "
                    "never NULL", name, s->other, s->who);
    else if (!dc->type.nullable && cc->type.nullable)
        smc_warning(ctx, at, "release-data",
                    "column '%s' is NOT NULL in the %s schema, but the %s code may write NULL "
                    "into it", name, s->other, s->who);
}

static const char *const piece_words[SMC_DDL_NKINDS] = {
    "primary key", "unique constraint", "foreign key", "check", "check", "index",
};

/* A key or constraint the code does not know (an index changes no
 * result; an enum's check is compared value by value). */
static void check_piece(const side *s, const smc_mtable *t, const smc_mchange *ch)
{
    const smc_mpiece *dp = s->old_code ? ch->to : ch->from;
    const smc_mpiece *cp = s->old_code ? ch->from : ch->to;
    unsigned mask = s->old_code ? ch->add : ch->drop;
    if (!dp || !mask || dp->kind == SMC_DDL_INDEX || dp->kind == SMC_DDL_COLCHECK)
        return;
    bool known = cp != NULL;
    for (int d = 0; d < SM_NDIALECTS && known; d++)
        known = !cp->text[d] || !dp->text[d] ||
                strcmp(smc_mpiece_def(cp, d), smc_mpiece_def(dp, d)) == 0;
    if (known)
        return;
    smc_model *cm = code_table(s, t);
    smc_warning(s->ctx, cm->decl->name.span, "release-data",
                "table '%s' has %s '%s' in the %s schema, which the %s code does not know: its "
                "writes may violate it", cm->table, piece_words[dp->kind],
                s->old_code ? dp->name : dp->db_name, s->other, s->who);
}

/* The tables the db schema imports, by table name.  The plan holds each
 * schema's own tables: a table moved into (or out of) an imported file
 * is still there.  Its functions are the other module's (verified with
 * that file); the queries that use it are checked all the same. */
static smc_map imported_tables(smc_ctx *ctx, const smc_ctx *db)
{
    smc_map m = {0};
    const smc_sema *sema = db->sema;
    for (uint32_t i = 0; i < sema->nmodels; i++)
        if (sema->models[i]->is_table && !sema->models[i]->own)
            smc_map_put(ctx, &m, sema->models[i]->table, sema->models[i]);
    return m;
}

static void check_side(smc_ctx *ctx, void *arg)
{
    (void)ctx;
    const side *s = arg;
    smc_map imported = imported_tables(s->ctx, s->db);
    for (uint32_t k = 0; k < s->p->ntables; k++) {
        const smc_mtable *t = &s->p->tables[k];
        smc_model *cm = code_table(s, t), *dm = db_table(s, t);
        if (!cm || (!dm && smc_map_get(&imported, cm->table)))
            continue; /* a table the code does not use, or another module's */
        if (!dm) {
            smc_error(s->ctx, cm->decl->name.span, s->code,
                      "table '%s' %s, but the %s code reads and writes it", cm->table,
                      s->old_code ? "is dropped by the new schema"
                                  : "does not exist yet in the old schema", s->who);
            continue;
        }
        if (t->renamed) {
            smc_diag *d = smc_error(s->ctx, cm->decl->name.span, s->code,
                                    "table '%s' is %s '%s' %s schema, but the %s code names it "
                                    "'%s'", cm->table, s->old_code ? "renamed" : "still named",
                                    dm->table, s->old_code ? "by the new" : "in the old", s->who,
                                    cm->table);
            note_db(s, d, dm->decl->name.span, smc_printf(s->ctx, "'%s' is declared here",
                                                          dm->name));
        }
        for (uint32_t i = 0; i < t->ncols; i++)
            check_col(s, t, &t->cols[i]);
        for (uint32_t i = 0; i < t->nchanges; i++)
            check_piece(s, t, &t->changes[i]);
    }
}

/* ---- The queries of one side against the other's tables --------------------------------- */

typedef struct qside {
    const side *s;
    smc_ctx *q;       /* the check: the db schema's tables, the code's queries */
    uint32_t qfile;   /* the code's file in q */
} qside;

static const char *decl_word(const smc_decl *d)
{
    switch (d->kind) {
    case SMC_D_QUERY: return "query";
    case SMC_D_ROW: return "row";
    case SMC_D_ENUM: return "enum";
    case SMC_D_TYPE: return "type";
    default: return "model";
    }
}

/* The renamed table or column of the code side that the name at `at`
 * (an unknown name in the check) may be. */
static void note_rename(const qside *qs, smc_diag *d)
{
    const side *s = qs->s;
    const smc_source *src = qs->q->files[d->span.file];
    const char *name = smc_strndup(qs->q, src->text + d->span.off, d->span.len);
    for (uint32_t k = 0; k < s->p->ntables; k++) {
        const smc_mtable *t = &s->p->tables[k];
        smc_model *cm = code_table(s, t), *dm = db_table(s, t);
        if (!cm || !dm)
            continue;
        if (t->renamed && strcmp(cm->name, name) == 0) {
            smc_span at = xspan(qs->q, s->db, dm->decl->name.span);
            smc_note(qs->q, d, &at, "the %s schema names table '%s' '%s'", s->other, cm->table,
                     dm->table);
            return;
        }
        for (uint32_t i = 0; i < t->ncols; i++) {
            smc_col *cc = code_col(s, &t->cols[i]), *dc = db_col(s, &t->cols[i]);
            if (cc && dc && strcmp(cc->name, name) == 0 && strcmp(cc->column, dc->column) != 0) {
                smc_span at = xspan(qs->q, s->db, field_span(dc));
                smc_note(qs->q, d, &at, "the %s schema names column '%s' '%s'", s->other,
                         qname(qs->q, cm, cc), dc->column);
                return;
            }
        }
    }
}

static void reword(smc_ctx *ctx, void *arg)
{
    (void)ctx;
    const qside *qs = arg;
    const smc_sema *sema = qs->q->sema;
    for (smc_diag *d = qs->q->diags; d; d = d->next) {
        const smc_decl *in = NULL;
        for (const smc_decl *x = sema ? sema->main->decls : NULL; x && !in; x = x->next)
            if (x->span.file == d->span.file && d->span.off >= x->span.off &&
                d->span.off < x->span.off + x->span.len)
                in = x;
        d->msg = in ? smc_printf(qs->q, "%s %s '%s' against the %s schema: %s", qs->s->who,
                                 decl_word(in), in->name.s, qs->s->other, d->msg)
                    : smc_printf(qs->q, "%s code against the %s schema: %s", qs->s->who,
                                 qs->s->other, d->msg);
        if (d->span.len)
            note_rename(qs, d);
    }
}

/* Checks the queries of `code_path` against the tables of `db_path` in q. */
static int check_queries(qside *qs, const char *db_path, const char *code_path)
{
    smc_ctx *q = qs->q;
    int di = smc_source_load(q, db_path, NULL);
    smc_file *df = di >= 0 ? smc_parse_file(q, (uint32_t)di) : NULL;
    int ci = smc_source_load(q, code_path, NULL);
    smc_file *cf = ci >= 0 ? smc_parse_file(q, (uint32_t)ci) : NULL;
    if (!df || !cf) { /* both parsed before, unless a file changed since */
        keep_errors(q, SMC_NO_FILE);
        return q->oom ? 3 : 0;
    }
    smc_check_against(q, df, cf);
    if (q->oom)
        return 3;
    qs->qfile = (uint32_t)ci;
    keep_errors(q, qs->qfile);
    if (!smc_guarded(q, reword, qs))
        return 3;
    return 0;
}

/* ---- The command ------------------------------------------------------------------------ */

typedef struct stdlib_fn {
    void (*add)(smc_ctx *ctx);
} stdlib_fn;

static void stdlib_job(smc_ctx *ctx, void *arg)
{
    ((stdlib_fn *)arg)->add(ctx);
}

typedef struct verify {
    const vargs *a;
    smc_ctx *old, *cur, *oq, *nq;
    smc_mplan *plan;
} verify;

static void render(verify *v, smc_ctx *ctx, sm_buf *json)
{
    sm_buf out = SM_BUF_INIT;
    if (v->a->json) {
        smc_diag_render_json(ctx, &out);
        /* "[...]\n": the elements, joined into one array */
        if (out.len > 3) {
            if (json->len)
                sm_buf_putc(json, ',');
            sm_buf_append(json, out.data + 1, out.len - 3);
        }
    } else {
        smc_diag_render_text(ctx, &out);
        if (out.len)
            fputs(out.data, stderr);
    }
    sm_buf_free(&out);
}

/* Loads and checks path into ctx; 0, or 1 (3) after printing why. */
static int load(verify *v, smc_ctx *ctx, const char *path, const char *what)
{
    int id = smc_source_load(ctx, path, NULL);
    smc_file *f = id >= 0 ? smc_parse_file(ctx, (uint32_t)id) : NULL;
    if (f)
        smc_check(ctx, f);
    if (f && ctx->nerrors == 0 && !ctx->oom && ctx->sema)
        return 0;
    sm_buf json = SM_BUF_INIT;
    render(v, ctx, &json);
    if (v->a->json)
        printf("[%s]\n", json.data ? json.data : "");
    sm_buf_free(&json);
    fprintf(stderr, "smc: %s '%s' does not check\n", what, path);
    return ctx->oom ? 3 : 1;
}

static void plan_job(smc_ctx *ctx, void *arg)
{
    verify *v = arg;
    v->plan = smc_migrate_diff(v->old, ctx);
}

static int run_side(side *s)
{
    s->ctx->max_errors = INT_MAX;
    if (!smc_guarded(s->ctx, check_side, s) || !sort_diags(s->ctx))
        return 3;
    limit_diags(s->ctx);
    return 0;
}

static int body(verify *v)
{
    const vargs *a = v->a;
    int rc = load(v, v->old, a->old, "the old schema");
    if (rc == 0)
        rc = load(v, v->cur, a->file, "the schema");
    if (rc)
        return rc;
    keep_errors(v->old, SMC_NO_FILE); /* their warnings are smc check's to report */
    keep_errors(v->cur, SMC_NO_FILE);
    smc_out_run(v->cur, plan_job, v);
    if (v->cur->oom || v->old->oom)
        return 3;
    side olds = {v->plan, v->old, v->cur, true, SMC_E_RELEASE_OLD, "old", "new"};
    side news = {v->plan, v->cur, v->old, false, SMC_E_RELEASE_NEW, "new", "old"};
    qside oq = {&olds, v->oq, 0}, nq = {&news, v->nq, 0};
    if (a->order != ORDER_CODE_FIRST && ((rc = run_side(&olds)) || (rc = check_queries(&oq, a->file, a->old))))
        return rc;
    if (a->order != ORDER_MIGRATE_FIRST && ((rc = run_side(&news)) || (rc = check_queries(&nq, a->old, a->file))))
        return rc;
    smc_ctx *order[4] = {v->old, v->oq, v->cur, v->nq};
    sm_buf json = SM_BUF_INIT;
    int errors = 0, warnings = 0;
    for (int i = 0; i < 4; i++) {
        errors += order[i]->nerrors;
        warnings += order[i]->nwarnings;
        render(v, order[i], &json);
    }
    if (a->json)
        printf("[%s]\n", json.data ? json.data : "");
    sm_buf_free(&json);
    if (errors) {
        fprintf(stderr, "smc: '%s' and '%s' cannot run side by side against one database: "
                "%d error%s\n", a->old, a->file, errors, errors == 1 ? "" : "s");
        return 1;
    }
    if (!a->json)
        printf("smc: '%s' and '%s' can run side by side against one database%s\n", a->old,
               a->file, warnings ? " (see the warnings)" : "");
    return 0;
}

int smc_migrate_verify(int argc, char **argv, void (*add_stdlib)(smc_ctx *ctx))
{
    vargs a = {0};
    const char **incdirs = calloc((size_t)argc + 1, sizeof *incdirs);
    if (!incdirs)
        return fputs("smc: out of memory\n", stderr), 3;
    size_t ninc = 0;
    int rc = -1;
    for (int i = 0; i < argc && rc < 0; i++) {
        const char *x = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(x, "--against") == 0 && val)
            a.old = val, i++;
        else if (strncmp(x, "--against=", 10) == 0 && x[10])
            a.old = x + 10;
        else if (strcmp(x, "-I") == 0 && val)
            incdirs[ninc++] = val, i++;
        else if (strncmp(x, "-I", 2) == 0 && x[2])
            incdirs[ninc++] = x + 2;
        else if (strcmp(x, "--diagnostics=json") == 0)
            a.json = true;
        else if (strcmp(x, "--diagnostics=text") == 0)
            a.json = false;
        else if (strcmp(x, "--order=both") == 0)
            a.order = ORDER_BOTH;
        else if (strcmp(x, "--order=migrate-first") == 0)
            a.order = ORDER_MIGRATE_FIRST;
        else if (strcmp(x, "--order=code-first") == 0)
            a.order = ORDER_CODE_FIRST;
        else if (x[0] == '-' && x[1])
            rc = usage("unknown or misplaced option '%s'", x);
        else if (!a.file)
            a.file = x;
        else
            rc = usage("unexpected argument '%s'", x);
    }
    if (rc < 0 && !a.old)
        rc = usage("%s", "missing '--against OLD': the schema of the release running now");
    else if (rc < 0 && !a.file)
        rc = usage("%s", "no input file");
    if (rc >= 0) {
        free(incdirs);
        return rc;
    }
    smc_ctx ctxs[4];
    verify v = {&a, &ctxs[0], &ctxs[1], &ctxs[2], &ctxs[3], NULL};
    rc = 0;
    for (int i = 0; i < 4; i++) {
        smc_ctx_init(&ctxs[i]);
        ctxs[i].incdirs = calloc(ninc + 8, sizeof *ctxs[i].incdirs);
        if (!ctxs[i].incdirs) {
            rc = 3;
            continue;
        }
        memcpy(ctxs[i].incdirs, incdirs, ninc * sizeof *incdirs);
        ctxs[i].nincdirs = ctxs[i].nuser_incdirs = ninc;
        stdlib_fn fn = {add_stdlib};
        if (!smc_guarded(&ctxs[i], stdlib_job, &fn))
            rc = 3;
    }
    if (rc == 0)
        rc = body(&v);
    if (rc == 3)
        fputs("smc: out of memory\n", stderr);
    for (int i = 0; i < 4; i++) {
        free(ctxs[i].incdirs);
        smc_ctx_free(&ctxs[i]);
    }
    free(incdirs);
    return rc;
}
