/*
 * sema_result.c: the declared result of a query: cardinality, a model,
 * row or scalar matched against the statement's columns, row types
 * defined by a projection, and raw SQL (placeholders, per-dialect text).
 */
#include "sema_query.h"

#include <string.h>

/* ---- Results ------------------------------------------------------------------------------- */

static bool assignable_to(const smc_type *to, const smc_type *from)
{
    if (from->base == SMC_B_ERROR || to->base == SMC_B_ERROR)
        return true;
    return smc_type_assignable(to, from);
}

/* A row type defined by this query's projection. */
static smc_model *define_row(smc_qctx *x, smc_name name, smc_qcol *cols, uint32_t n)
{
    smc_decl *d = smc_alloc(x->ctx, sizeof *d);
    d->kind = SMC_D_ROW;
    d->name = name;
    d->span = name.span;
    d->file = x->decl->file;
    smc_model *m = smc_alloc(x->ctx, sizeof *m);
    m->decl = d;
    m->name = name.s;
    m->snake = smc_snake(x->ctx, name.s);
    m->upper = smc_upper(x->ctx, name.s);
    m->is_row = true;
    m->implicit = true;
    /* A query of an imported file defines its row there, not here. */
    m->own = d->file == x->ck->out->main;
    m->checked = true;
    d->model = m;
    m->cols = smc_alloc(x->ctx, (n + 1) * sizeof *m->cols);
    for (uint32_t i = 0; i < n; i++) {
        smc_col *c = smc_alloc(x->ctx, sizeof *c);
        smc_field *f = smc_alloc(x->ctx, sizeof *f);
        f->name.s = cols[i].name;
        f->name.span = cols[i].expr ? cols[i].expr->span : name.span;
        f->span = f->name.span;
        f->owner = d;
        c->name = cols[i].name;
        c->column = cols[i].name;
        c->json = cols[i].name;
        c->field = f;
        c->owner = m;
        c->index = i;
        c->type = cols[i].type;
        c->secret = cols[i].secret;
        if (c->type.base == SMC_B_NULL) {
            c->type.base = SMC_B_TEXT;
            c->type.nullable = true;
        }
        c->min_len = c->max_len = -1;
        m->cols[m->ncols++] = c;
    }
    smc_map_put(x->ctx, m->own ? &x->ck->own : &x->ck->decls, name.s, d);
    smc_sema *s = x->ck->out;
    smc_model **grown = smc_grow(x->ctx, s->models, s->nmodels, sizeof *grown);
    m->pos = s->nmodels;
    grown[s->nmodels++] = m;
    s->models = grown;
    return m;
}

/* Matches result columns to the row type, by name and type; returns the
 * columns reordered to the row's field order. */
static smc_qcol *match_row(smc_qctx *x, smc_model *row, smc_qcol *cols, uint32_t n, smc_span at,
                           const char *what)
{
    /* A row another query defined must come out the same here. */
    smc_code code = row->implicit ? SMC_E_ROW_SHAPE : SMC_E_RESULT;
    if (row->incomplete)
        return NULL; /* a base failed: its fields are not known */
    smc_qcol *out = smc_alloc(x->ctx, (row->ncols + 1) * sizeof *out);
    smc_map by_name = {0}; /* result column name -> its position + 1 */
    for (uint32_t j = 0; j < n; j++)
        smc_map_put(x->ctx, &by_name, cols[j].name, (void *)(uintptr_t)(j + 1));
    bool *used = smc_alloc(x->ctx, (n + 1) * sizeof *used);
    uint32_t k = 0;
    for (uint32_t i = 0; i < row->ncols; i++) {
        smc_col *f = row->cols[i];
        if (f->rel || (row->is_table && f->type.base == SMC_B_MODEL))
            continue;
        uintptr_t j = (uintptr_t)smc_map_get(&by_name, f->name);
        smc_qcol *m = j ? &cols[j - 1] : NULL;
        if (!m) {
            smc_diag *d = smc_error(x->ctx, at, code, "%s does not provide '%s' of %s '%s'",
                                    what, f->name, row->is_row ? "row" : "model", row->name);
            smc_note(x->ctx, d, &f->field->name.span, "'%s' is declared here", f->name);
            return NULL;
        }
        if (!assignable_to(&f->type, &m->type) &&
            !(m->type.base == SMC_B_NULL && f->type.nullable)) {
            smc_diag *d = smc_error(x->ctx, m->expr ? m->expr->span : at, code,
                                    "'%s' is '%s' here but '%s' in %s '%s'", f->name,
                                    smc_type_name(x->ctx, &m->type), smc_type_name(x->ctx, &f->type),
                                    row->is_row ? "row" : "model", row->name);
            smc_note(x->ctx, d, &f->field->name.span, "'%s' is declared here", f->name);
            return NULL;
        }
        /* A row another query defined is secret where either fills it
         * from a secret value.  A declared row or model says itself
         * which fields are: one filled from a secret value must say so,
         * or run-time messages would show what the column hides. */
        bool secret = m->secret || (m->col && m->col->secret);
        if (row->implicit && secret) {
            f->secret = true;
        } else if (secret && !f->secret) {
            smc_diag *d = smc_error(x->ctx, m->expr ? m->expr->span : at, SMC_E_RESULT,
                                    "'%s' of %s '%s' is filled from a secret value here but is "
                                    "not secret",
                                    f->name, smc_model_kind(row), row->name);
            smc_note(x->ctx, d, &f->field->name.span, "mark '%s' @secret", f->name);
        }
        used[j - 1] = true;
        out[k] = *m;
        out[k].name = f->name;
        k++;
    }
    for (uint32_t j = 0; j < n; j++) {
        /* A column whose name another one took first counts as used too. */
        uintptr_t first = (uintptr_t)smc_map_get(&by_name, cols[j].name);
        if (!used[first - 1]) {
            smc_error(x->ctx, cols[j].expr ? cols[j].expr->span : at, code,
                      "%s '%s' has no field '%s'", row->is_row ? "row" : "model", row->name,
                      cols[j].name);
            return NULL;
        }
    }
    return out;
}

static bool scalar_name(const char *name)
{
    for (size_t i = 0; smc_builtin_types[i]; i++)
        if (strcmp(smc_builtin_types[i], name) == 0)
            return strcmp(name, "sort") != 0 && strcmp(name, "dir") != 0;
    return false;
}

/* Ties the statement's result columns to the declared return type. */
void smc_q_result(smc_qctx *x, smc_qcol *cols, uint32_t n, smc_model *model_sel)
{
    smc_qinfo *in = x->info;
    smc_ret *r = &x->q->ret;
    in->ret = r->kind;
    if (r->kind == SMC_R_EXEC) {
        if (cols || model_sel)
            smc_error(x->ctx, r->span, SMC_E_RETURN, "'-> exec' returns no rows; this statement does");
        return;
    }
    if (!cols && !model_sel && !x->q->raw) {
        smc_error(x->ctx, r->span, SMC_E_RETURN,
                  "this statement returns no rows; declare '-> exec' or add 'returning'");
        return;
    }
    if (scalar_name(r->type.s)) {
        if (r->kind == SMC_R_LIST || r->kind == SMC_R_EACH) {
            smc_error(x->ctx, r->span, SMC_E_RETURN, "a list of '%s' is not a row type; declare a row",
                      r->type.s);
            return;
        }
        if (model_sel || n != 1) {
            smc_error(x->ctx, r->span, SMC_E_RESULT, "'-> %s' needs exactly one result column",
                      r->type.s);
            return;
        }
        smc_typeref tr;
        memset(&tr, 0, sizeof tr);
        tr.name = r->type;
        tr.span = r->type.span;
        tr.nullable = r->kind == SMC_R_OPT;
        smc_resolve_type(x->ck, &tr, SMC_TY_PARAM);
        if (tr.type.base == SMC_B_ERROR)
            return;
        in->scalar = true;
        in->scalar_type = tr.type;
        smc_type got = cols[0].type;
        if (!assignable_to(&tr.type, &got) && !(got.base == SMC_B_NULL && tr.type.nullable)) {
            smc_diag *d = smc_error(x->ctx, cols[0].expr->span, SMC_E_RESULT,
                                    "the query returns '%s', not '%s'", smc_type_name(x->ctx, &got),
                                    smc_type_name(x->ctx, &tr.type));
            if (got.nullable && !tr.type.nullable)
                smc_note(x->ctx, d, NULL, "declare '-> %s?' for a result that may be null",
                         r->type.s);
        }
        in->ret = r->kind;
        in->returning = cols;
        in->nreturning = n;
        return;
    }
    for (uint32_t i = 0; i < n; i++)
        if (cols[i].type.base == SMC_B_ERROR)
            return; /* reported; it cannot be matched or named */
    for (uint32_t i = 0; i < n; i++)
        if (!cols[i].name) {
            smc_error(x->ctx, cols[i].expr->span, SMC_E_ALIAS,
                      "this select item needs a name for '%s': add 'as name'", r->type.s);
            return;
        }
    smc_decl *d = smc_lookup(x->ck, r->type.s);
    if (d && d->kind != SMC_D_MODEL && d->kind != SMC_D_ROW) {
        smc_error(x->ctx, r->type.span, SMC_E_RETURN, "'%s' is not a model or row type", r->type.s);
        return;
    }
    smc_index_ref(x->ck, r->type.span, SMC_REF_DECL, d, 0);
    smc_model *row = d ? d->model : NULL;
    if (!row) {
        if (model_sel || x->q->raw) {
            smc_unknown(x->ck, r->type.span, SMC_E_UNKNOWN_TYPE, "type", r->type.s,
                        1u << SMC_D_MODEL | 1u << SMC_D_ROW, true);
            return;
        }
        for (uint32_t i = 0; i < n; i++)
            if (cols[i].type.base == SMC_B_ERROR)
                return;
        row = define_row(x, r->type, cols, n);
    } else if (row->is_partial || row->is_mixin) {
        smc_error(x->ctx, r->type.span, SMC_E_RETURN, "a query cannot return %s '%s'",
                  row->is_partial ? "partial model" : "mixin", row->name);
        return;
    }
    in->row = row;
    in->ret = r->kind;
    if (x->q->raw)
        return;
    if (model_sel) {
        /* select Hero ... -> [T]: T's fields read from Hero's columns. */
        smc_qcol *out = smc_alloc(x->ctx, (row->ncols + 1) * sizeof *out);
        uint32_t k = 0;
        for (uint32_t i = 0; i < row->ncols; i++) {
            smc_col *f = row->cols[i];
            if (f->rel || (row->is_table && f->type.base == SMC_B_MODEL))
                continue; /* a relationship, even one that failed */
            if (f->type.base == SMC_B_ERROR)
                return; /* its type was reported */
            smc_col *c = smc_q_column(model_sel, f->name);
            smc_col *any = c ? c : smc_find_col(model_sel, f->name);
            if ((any && any->type.base == SMC_B_ERROR) || (!any && model_sel->incomplete))
                return; /* reported: its type, or a base that may bring it */
            if (!c || !assignable_to(&f->type, &c->type)) {
                smc_diag *dg = smc_error(x->ctx, r->type.span, SMC_E_RESULT,
                                         c ? "'%s' of '%s' is '%s', but '%s' has '%s'"
                                           : "'%s' of '%s' is not a column of '%s'",
                                         f->name, row->name,
                                         c ? smc_type_name(x->ctx, &f->type) : model_sel->name,
                                         model_sel->name, c ? smc_type_name(x->ctx, &c->type) : "");
                smc_note(x->ctx, dg, &f->field->name.span, "'%s' is declared here", f->name);
                return;
            }
            out[k].name = f->name;
            out[k].type = c->type;
            out[k].col = c;
            out[k].src = &in->sel->entries[0];
            k++;
        }
        in->sel->cols = out;
        in->sel->ncols = k;
        return;
    }
    smc_qcol *m = match_row(x, row, cols, n, r->type.span, "the select");
    if (m && in->sel) {
        in->sel->cols = m;
    } else if (m) {
        in->returning = m;
    }
}

/* ---- Raw SQL ---------------------------------------------------------------------------------- */

/* Counts "?" placeholders outside quotes and comments ("??" is a literal). */
static int count_placeholders(const char *s)
{
    int n = 0;
    for (; *s; s++) {
        if (*s == '\'' || *s == '"' || *s == '`') {
            char q = *s;
            for (s++; *s && *s != q; s++)
                ;
            if (!*s)
                break;
        } else if (s[0] == '-' && s[1] == '-') {
            while (*s && *s != '\n')
                s++;
            if (!*s)
                break;
        } else if (s[0] == '/' && s[1] == '*') {
            const char *e = strstr(s + 2, "*/");
            if (!e)
                break;
            s = e + 1;
        } else if (s[0] == '?' && s[1] == '?') {
            s++;
        } else if (*s == '?') {
            n++;
        }
    }
    return n;
}

void smc_q_raw(smc_qctx *x)
{
    bool seen[SM_NDIALECTS] = {false};
    for (smc_rawsql *r = x->q->raw; r; r = r->next) {
        if (r->dialect.s) {
            int id = smc_dialect_id(r->dialect.s);
            if (id < 0) {
                smc_diag *e = smc_error(x->ctx, r->dialect.span, SMC_E_RAW_SQL,
                                        "unknown database '%s'", r->dialect.s);
                smc_suggest(x->ctx, e, r->dialect.s, smc_dialect_names, SM_NDIALECTS);
                continue;
            }
            if (seen[id])
                smc_error(x->ctx, r->dialect.span, SMC_E_RAW_SQL, "SQL for %s is given twice",
                          smc_dialect_names[id]);
            seen[id] = true;
        }
        int n = count_placeholders(r->sql);
        if ((uint32_t)n != x->q->nparams) {
            smc_diag *e = smc_error(x->ctx, r->span, SMC_E_RAW_SQL,
                                    "this SQL has %d placeholder%s but the query has %u parameter%s",
                                    n, n == 1 ? "" : "s", x->q->nparams, x->q->nparams == 1 ? "" : "s");
            smc_note(x->ctx, e, NULL, "each '?' binds the next parameter in order ('?\?' is a literal '?')");
        }
    }
    for (smc_param *p = x->q->params; p; p = p->next) {
        p->used = true;
        if (p->type->type.list || p->type->type.base == SMC_B_SORT ||
            p->type->type.base == SMC_B_DIR)
            smc_error(x->ctx, p->type->span, SMC_E_RAW_SQL,
                      "parameters of raw SQL are plain values, not '%s'",
                      smc_type_name(x->ctx, &p->type->type));
    }
    x->info->ret = x->q->ret.kind;
}
