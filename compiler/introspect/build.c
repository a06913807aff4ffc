/*
 * build.c: the declarations of a catalog, for the canonical printer: a
 * table per table, an enum per distinct set of enum values, every
 * constraint as create_all writes it back.  Names follow smc's own
 * (`table Hero` is table "hero", field `age` column "age"); @table and
 * @column appear only where the database's names differ.  What smdl
 * cannot express is left out and said in a comment before its table.
 */
#include "introspect.h"

#include "dialect.h"
#include "lex.h"
#include "print.h"
#include "sema.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *smc_igrow(smc_ctx *ctx, void *arr, uint32_t n, size_t sz)
{
    /* Capacity: 8, then doubled at each power of two. */
    if (arr && (n < 8 || (n & (n - 1)) != 0))
        return arr;
    size_t cap = n < 8 ? 8 : (size_t)n * 2;
    void *grown = smc_alloc(ctx, cap * sz);
    if (arr && n)
        memcpy(grown, arr, (size_t)n * sz);
    return grown;
}

void smc_inote(smc_ctx *ctx, smc_itable *t, const char *line)
{
    t->notes = t->notes ? smc_printf(ctx, "%s\n%s", t->notes, line) : smc_strdup(ctx, line);
}

typedef struct builder {
    smc_ctx *ctx;     /* where the declarations live */
    smc_ctx *scratch; /* where CHECK expressions are parsed */
    const smc_icatalog *cat;
    smc_decl *first, *last;
    const char **notes;
    uint32_t ndecls;
    smc_decl **models; /* by table */
    smc_decl **enums;  /* by table, by column */
} builder;

static smc_name name(const char *s)
{
    smc_name n = {s, {0}};
    return n;
}

static void add_decl(builder *b, smc_decl *d, const char *note)
{
    b->notes = smc_igrow(b->ctx, b->notes, b->ndecls, sizeof *b->notes);
    b->notes[b->ndecls++] = note;
    if (b->last)
        b->last->next = d;
    else
        b->first = d;
    b->last = d;
}

static bool is_keyword(const char *s)
{
    for (size_t i = 0; i < smc_nkeywords; i++)
        if (strcmp(smc_keywords[i].text, s) == 0)
            return true;
    return false;
}

/* Letters, digits and '_', not first a digit. */
static bool word_ok(const char *s)
{
    if (!isalpha((unsigned char)s[0]) && s[0] != '_')
        return false;
    for (const char *p = s; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '_')
            return false;
    return !strstr(s, "__");
}

/* Is s a name smdl accepts for a field? */
static bool ident_ok(const char *s)
{
    if (!(islower((unsigned char)s[0]) || s[0] == '_') || strstr(s, "__") || is_keyword(s))
        return false;
    for (const char *p = s; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '_')
            return false;
    return true;
}

/* A field name for a column: the column's name when smdl accepts it. */
static const char *field_name(smc_ctx *ctx, const char *col)
{
    if (ident_ok(col))
        return col;
    size_t n = strlen(col);
    char *s = smc_alloc(ctx, n + 4);
    size_t k = 0;
    if (!isalpha((unsigned char)col[0]))
        s[k++] = 'c', s[k++] = '_';
    for (size_t i = 0; i < n; i++) {
        char c = (char)tolower((unsigned char)col[i]);
        if (!isalnum((unsigned char)c))
            c = '_';
        if (c == '_' && k && s[k - 1] == '_')
            continue;
        s[k++] = c;
    }
    if (k == 0 || is_keyword(s))
        s[k++] = '_';
    return s;
}

/* Hero for "hero", HeroTeam for "hero_team". */
static const char *pascal(smc_ctx *ctx, const char *s)
{
    size_t n = strlen(s);
    char *o = smc_alloc(ctx, n + 3);
    size_t k = 0;
    bool up = true;
    if (!isalpha((unsigned char)s[0]))
        o[k++] = 'T';
    for (size_t i = 0; i < n; i++) {
        if (!isalnum((unsigned char)s[i])) {
            up = true;
            continue;
        }
        o[k++] = up ? (char)toupper((unsigned char)s[i]) : s[i];
        up = false;
    }
    if (k == 0)
        o[k++] = 'T';
    return o;
}

/* ---- Expressions ----------------------------------------------------------------------- */

static smc_expr *expr(builder *b, int kind)
{
    smc_expr *e = smc_alloc(b->ctx, sizeof *e);
    e->kind = (uint8_t)kind;
    return e;
}

static smc_expr *name_expr(builder *b, const char *qual, const char *n)
{
    smc_expr *e = expr(b, SMC_EX_NAME);
    e->qual = name(qual);
    e->name = name(n);
    return e;
}

static smc_expr *string_expr(builder *b, const char *s, size_t n)
{
    smc_expr *e = expr(b, SMC_EX_STRING);
    char *v = smc_alloc(b->ctx, n + 1);
    memcpy(v, s, n);
    e->sval = v;
    e->slen = n;
    return e;
}

/* `'it''s'` as its value, or NULL. */
static smc_expr *sql_string(builder *b, const char *s)
{
    size_t n = strlen(s);
    if (n < 2 || s[0] != '\'' || s[n - 1] != '\'')
        return NULL;
    char *v = smc_alloc(b->ctx, n);
    size_t k = 0;
    for (size_t i = 1; i + 1 < n; i++) {
        if (s[i] == '\'' && s[i + 1] != '\'')
            return NULL;
        v[k++] = s[i];
        i += s[i] == '\'';
    }
    return string_expr(b, v, k);
}

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Is the catalog's DEFAULT s the one smc writes as w?  SQLite gives it
 * without the parentheses around an expression. */
bool smc_same_default(const char *s, const char *w)
{
    size_t n = strlen(w);
    return strcmp(s, w) == 0 ||
           (n > 2 && w[0] == '(' && w[n - 1] == ')' && strlen(s) == n - 2 &&
            strncmp(s, w + 1, n - 2) == 0);
}

/* The smdl default of a column's DEFAULT SQL, or NULL (a note says why). */
static smc_expr *deflt(builder *b, smc_itable *t, const smc_icol *c)
{
    const smc_dialect *d = &smc_dialects[b->cat->dialect];
    const char *s = c->deflt;
    for (int i = 0; i < 3; i++)
        if (smc_same_default(s, d->now_default[i])) {
            smc_expr *e = expr(b, SMC_EX_CALL);
            e->name = name("now");
            return e;
        }
    if (smc_same_default(s, d->uuid_default)) {
        smc_expr *e = expr(b, SMC_EX_CALL);
        e->name = name("uuid");
        return e;
    }
    if (c->values) {
        smc_expr *v = sql_string(b, s);
        for (uint32_t i = 0; v && i < c->nvalues; i++)
            if (strcmp(v->sval, c->values[i]) == 0)
                return name_expr(b, NULL, c->values[i]);
    } else if (c->base == SMC_B_BOOL && (strcmp(s, d->true_lit) == 0 || strcmp(s, d->false_lit) == 0)) {
        smc_expr *e = expr(b, SMC_EX_BOOL);
        e->ival = strcmp(s, d->true_lit) == 0;
        return e;
    } else if (c->base == SMC_B_INT || c->base == SMC_B_I32 || c->base == SMC_B_I16) {
        char *end;
        long long v = strtoll(s, &end, 10);
        if (*s && !*end) {
            smc_expr *e = expr(b, SMC_EX_INT);
            e->ival = v;
            return e;
        }
    } else if (c->base == SMC_B_FLOAT || c->base == SMC_B_DECIMAL) {
        char *end;
        long long i = strtoll(s, &end, 10);
        if (*s && !*end && c->base == SMC_B_DECIMAL) {
            smc_expr *e = expr(b, SMC_EX_INT);
            e->ival = i;
            return e;
        }
        double v = strtod(s, &end);
        if (*s && !*end) {
            smc_expr *e = expr(b, SMC_EX_FLOAT);
            e->fval = v;
            return e;
        }
    } else if (c->base == SMC_B_BYTES && (s[0] == 'X' || s[0] == 'x') && s[1] == '\'') {
        size_t n = strlen(s);
        char *v = smc_alloc(b->ctx, n);
        size_t k = 0;
        bool ok = n >= 3 && s[n - 1] == '\'' && (n - 3) % 2 == 0;
        for (size_t i = 2; ok && i + 1 < n - 1; i += 2) {
            int hi = hexval(s[i]), lo = hexval(s[i + 1]);
            ok = hi >= 0 && lo >= 0;
            v[k++] = (char)(hi * 16 + lo);
        }
        if (ok)
            return string_expr(b, v, k);
    } else {
        smc_expr *e = sql_string(b, s);
        size_t k = strlen(d->datetime_suffix);
        if (e && c->base == SMC_B_DATETIME && k && e->slen > k &&
            strcmp(e->sval + e->slen - k, d->datetime_suffix) == 0)
            ((char *)e->sval)[e->slen -= k] = 0; /* smc adds the zone itself */
        if (e)
            return e;
    }
    smc_inote(b->ctx, t, smc_printf(b->ctx, "column %s: DEFAULT %s is not one smdl writes; left out",
                                    c->name, s));
    return NULL;
}

/* How tightly an expression binds, for the parentheses it needs. */
static int prec(const smc_expr *e)
{
    switch (e->kind) {
    case SMC_EX_BINARY:
        switch (e->op) {
        case SMC_OP_OR: return 1;
        case SMC_OP_AND: return 2;
        case SMC_OP_ADD: case SMC_OP_SUB: return 5;
        case SMC_OP_MUL: case SMC_OP_DIV: return 6;
        default: return 4; /* comparisons, like */
        }
    case SMC_EX_UNARY: return e->op == SMC_OP_NOT ? 3 : 7;
    case SMC_EX_IS_NULL: case SMC_EX_BETWEEN: case SMC_EX_IN: return 4;
    default: return 8;
    }
}

/* Drops the parentheses the database added (it wraps every operation)
 * where the operators' precedence makes them redundant, so that the check
 * reads as written and keeps the name its canonical text gives it. */
static void unparen(smc_expr *e, int outer, bool right)
{
    if (!e)
        return;
    int p = prec(e);
    if (e->parens && (p > outer || (p == outer && !right && p != 4)))
        e->parens = false;
    int inner = e->parens ? 0 : p;
    bool assoc = e->kind == SMC_EX_BINARY && (e->op == SMC_OP_AND || e->op == SMC_OP_OR);
    unparen(e->a, e->parens ? 0 : inner, false);
    unparen(e->b, e->parens ? 0 : inner, !assoc);
    unparen(e->c, e->parens ? 0 : inner, true);
    for (smc_expr *x = e->args; x; x = x->next)
        unparen(x, 0, false);
}

/* A CHECK's SQL as an smdl expression (quoted names as fields, SQL's
 * keywords in smdl's spelling), parsed; NULL when it does not parse. */
static smc_expr *check_expr(builder *b, const smc_itable *t, const char *sql)
{
    smc_ctx *sc = b->scratch;
    sm_buf x = SM_BUF_INIT;
    int rc = sm_buf_append(&x, "module m; table T { check (", 27);
    static const char *const words[] = {"AND", "OR", "NOT", "IS", "NULL", "IN", "LIKE", "BETWEEN",
                                        "TRUE", "FALSE", NULL};
    for (const char *s = sql; *s && rc == SM_OK;) {
        if (*s == '"') { /* a name, its doubled quotes undone */
            char *col = smc_alloc(sc, strlen(s));
            size_t n = 0;
            const char *e = s + 1;
            for (; *e && !(*e == '"' && e[1] != '"'); e++) {
                col[n++] = *e;
                e += *e == '"';
            }
            if (!*e)
                break;
            bool known = false;
            for (uint32_t i = 0; i < t->ncols; i++)
                known |= strcmp(t->cols[i].name, col) == 0;
            const char *f = field_name(sc, col);
            rc = known ? sm_buf_append(&x, f, strlen(f)) : sm_buf_append(&x, "\"", 1);
            s = known ? e + 1 : s + 1;
            continue;
        }
        if (*s == '\'') { /* an SQL string as an smdl one */
            const char *e = s + 1;
            rc = sm_buf_append(&x, "\"", 1);
            for (; *e && rc == SM_OK && !(*e == '\'' && e[1] != '\''); e++) {
                if (*e == '"' || *e == '\\')
                    rc = sm_buf_append(&x, "\\", 1);
                if (rc == SM_OK)
                    rc = sm_buf_append(&x, e, 1);
                e += *e == '\'';
            }
            if (!*e)
                break;
            if (rc == SM_OK)
                rc = sm_buf_append(&x, "\"", 1);
            s = e + 1;
            continue;
        }
        if (*s == '<' && s[1] == '>') {
            rc = sm_buf_append(&x, "!=", 2);
            s += 2;
            continue;
        }
        if (isalpha((unsigned char)*s)) {
            const char *e = s;
            while (isalnum((unsigned char)*e) || *e == '_')
                e++;
            size_t n = (size_t)(e - s);
            const char *w = NULL;
            for (size_t i = 0; words[i] && !w; i++)
                if (strlen(words[i]) == n && strncmp(words[i], s, n) == 0)
                    w = words[i];
            for (size_t i = 0; i < n && rc == SM_OK; i++)
                rc = sm_buf_append(&x, (char[]){w ? (char)tolower((unsigned char)s[i]) : s[i]}, 1);
            s = e;
            continue;
        }
        rc = sm_buf_append(&x, s, 1);
        s++;
    }
    if (rc == SM_OK)
        rc = sm_buf_append(&x, "); }\n", 5);
    smc_expr *e = NULL;
    if (rc == SM_OK) {
        int id = smc_source_add(sc, smc_printf(sc, "check%u.smdl", sc->nfiles), x.data,
                                (size_t)x.len);
        smc_file *f = id >= 0 ? smc_parse_file(sc, (uint32_t)id) : NULL;
        if (f && f->decls && f->decls->constraints && !f->decls->constraints->next)
            e = f->decls->constraints->check;
        unparen(e, 0, false);
    }
    sm_buf_free(&x);
    return e;
}

/* ---- Declarations ------------------------------------------------------------------------ */

static smc_attr *attr(builder *b, smc_attr *list, const char *n, smc_expr *arg0)
{
    smc_attr *a = smc_alloc(b->ctx, sizeof *a);
    a->name = name(n);
    if (arg0) {
        a->has_parens = true;
        a->args = smc_alloc(b->ctx, sizeof *a->args);
        a->args->value = arg0;
        a->nargs = 1;
    }
    smc_attr **link = &list;
    while (*link)
        link = &(*link)->next;
    *link = a;
    return list;
}

static void arg(builder *b, smc_attr *a, const char *label, smc_expr *v)
{
    smc_arg *g = smc_alloc(b->ctx, sizeof *g);
    g->label = name(label);
    g->value = v;
    smc_arg **link = &a->args;
    while (*link)
        link = &(*link)->next;
    *link = g;
    a->nargs++;
}

static smc_decl *enum_for(builder *b, const smc_icol *c)
{
    for (smc_decl *d = b->first; d; d = d->next) {
        if (d->kind != SMC_D_ENUM || d->nmembers != c->nvalues)
            continue;
        uint32_t i = 0;
        for (smc_member *m = d->members; m && strcmp(m->name.s, c->values[i]) == 0; m = m->next)
            i++;
        if (i == c->nvalues)
            return d;
    }
    smc_decl *d = smc_alloc(b->ctx, sizeof *d);
    d->kind = SMC_D_ENUM;
    const char *n = pascal(b->ctx, c->name);
    for (int k = 2;; k++) { /* a name no other declaration has */
        bool taken = false;
        for (smc_decl *o = b->first; o && !taken; o = o->next)
            taken = strcmp(o->name.s, n) == 0;
        for (uint32_t i = 0; i < b->cat->ntables && !taken; i++)
            taken = strcmp(pascal(b->ctx, b->cat->tables[i].name), n) == 0;
        if (!taken)
            break;
        n = smc_printf(b->ctx, "%s%d", pascal(b->ctx, c->name), k);
    }
    d->name = name(n);
    smc_member **link = &d->members;
    for (uint32_t i = 0; i < c->nvalues; i++) {
        smc_member *m = smc_alloc(b->ctx, sizeof *m);
        m->name = name(c->values[i]);
        m->index = i;
        *link = m;
        link = &m->next;
    }
    d->nmembers = c->nvalues;
    add_decl(b, d, NULL);
    return d;
}

static const char *type_name(uint8_t base)
{
    static const char *const n[] = {
        [SMC_B_BOOL] = "bool", [SMC_B_INT] = "int", [SMC_B_I32] = "i32", [SMC_B_I16] = "i16",
        [SMC_B_FLOAT] = "float", [SMC_B_DECIMAL] = "decimal", [SMC_B_TEXT] = "text",
        [SMC_B_BYTES] = "bytes", [SMC_B_DATE] = "date", [SMC_B_TIME] = "time",
        [SMC_B_DATETIME] = "datetime", [SMC_B_UUID] = "uuid", [SMC_B_JSON] = "json",
    };
    return base < sizeof n / sizeof n[0] && n[base] ? n[base] : "text";
}

static smc_targ *targ(builder *b, int64_t v)
{
    smc_targ *a = smc_alloc(b->ctx, sizeof *a);
    a->is_int = true;
    a->ival = v;
    return a;
}

static const smc_itable *table_named(const smc_icatalog *cat, const char *n)
{
    for (uint32_t i = 0; i < cat->ntables; i++)
        if (strcmp(cat->tables[i].name, n) == 0)
            return &cat->tables[i];
    return NULL;
}

static smc_item *item(builder *b, smc_decl *d, smc_field *f, smc_constraint *k)
{
    smc_item *it = smc_alloc(b->ctx, sizeof *it);
    it->field = f;
    it->constraint = k;
    smc_item **link = &d->items;
    while (*link)
        link = &(*link)->next;
    *link = it;
    return it;
}

static smc_ident *idents(builder *b, smc_itable *t, const char **cols, uint32_t n)
{
    smc_ident *first = NULL, **link = &first;
    for (uint32_t i = 0; i < n; i++) {
        smc_ident *id = smc_alloc(b->ctx, sizeof *id);
        id->name = name(field_name(b->ctx, cols[i]));
        (void)t;
        *link = id;
        link = &id->next;
    }
    return first;
}

static void constraint(builder *b, smc_decl *d, int kind, smc_ident *cols, smc_expr *check)
{
    smc_constraint *k = smc_alloc(b->ctx, sizeof *k);
    k->kind = (uint8_t)kind;
    k->cols = cols;
    k->check = check;
    item(b, d, NULL, k);
}

/* Names as a list: "a, b". */
static const char *name_list(smc_ctx *ctx, const char **names, uint32_t n)
{
    const char *s = "";
    for (uint32_t i = 0; i < n; i++)
        s = smc_printf(ctx, "%s%s%s", s, i ? ", " : "", names[i]);
    return s;
}

/* A foreign key smdl cannot express, as the database holds it:
 * "CONSTRAINT fk_x FOREIGN KEY (a, b) REFERENCES t (c, d) ON DELETE
 * CASCADE" (SQLite keeps no name). */
static const char *fk_sql(smc_ctx *ctx, const smc_ilist *fk)
{
    const char *s = smc_printf(ctx, "%s%s%sFOREIGN KEY (%s) REFERENCES %s (%s)",
                               fk->name ? "CONSTRAINT " : "", fk->name ? fk->name : "",
                               fk->name ? " " : "", name_list(ctx, fk->cols, fk->ncols),
                               fk->ref_table, name_list(ctx, fk->ref_cols, fk->ncols));
    const char *actions[2] = {fk->on_delete, fk->on_update};
    for (int i = 0; i < 2; i++) {
        if (!actions[i])
            continue;
        char *a = smc_strdup(ctx, actions[i]); /* set_null: SET NULL */
        for (char *p = a; *p; p++)
            *p = *p == '_' ? ' ' : (char)toupper((unsigned char)*p);
        s = smc_printf(ctx, "%s ON %s %s", s, i ? "UPDATE" : "DELETE", a);
    }
    return s;
}

/* smdl names an index or a constraint after its table and columns and
 * cannot name it otherwise: one the database names differently is read
 * under smdl's name, which a note gives (a migration written from the
 * schema read back refers to it by that name). */
static void renamed(builder *b, smc_itable *t, const smc_ilist *x, const char *prefix,
                    const char *what)
{
    if (!x->name)
        return;
    smc_col **cols = smc_alloc(b->ctx, (x->ncols + 1) * sizeof *cols);
    for (uint32_t i = 0; i < x->ncols; i++) {
        cols[i] = smc_alloc(b->ctx, sizeof *cols[i]);
        cols[i]->column = x->cols[i];
    }
    const char *mine = smc_constraint_name(b->ctx, prefix, t->name, cols, x->ncols);
    if (strcmp(mine, x->name) != 0)
        smc_inote(b->ctx, t, smc_printf(b->ctx, "%s %s on (%s) is named %s by smdl, which cannot "
                                                "name it otherwise", what, x->name,
                                        name_list(b->ctx, x->cols, x->ncols), mine));
}

static void table(builder *b, smc_itable *t)
{
    smc_ctx *ctx = b->ctx;
    smc_decl *d = smc_alloc(ctx, sizeof *d);
    d->kind = SMC_D_MODEL;
    d->is_table = true;
    const char *mn = pascal(ctx, t->name);
    d->name = name(mn);
    if (strcmp(smc_snake(ctx, mn), t->name) != 0)
        d->attrs = attr(b, d->attrs, "table", string_expr(b, t->name, strlen(t->name)));
    /* Enums first: they are declared before the table that uses them. */
    for (uint32_t i = 0; i < t->ncols; i++) {
        smc_icol *c = &t->cols[i];
        if (c->values && c->base == SMC_B_TEXT) {
            bool ok = true;
            for (uint32_t k = 0; k < c->nvalues; k++) /* members may be keywords */
                ok &= word_ok(c->values[k]);
            if (!ok) {
                smc_inote(ctx, t, smc_printf(ctx, "column %s: its values are not smdl names; "
                                                  "read as text, its CHECK left out", c->name));
                c->values = NULL;
            }
        } else {
            c->values = NULL;
        }
    }
    for (uint32_t i = 0; i < t->ncols; i++) {
        smc_icol *c = &t->cols[i];
        smc_field *f = smc_alloc(ctx, sizeof *f);
        f->name = name(field_name(ctx, c->name));
        smc_typeref *ty = smc_alloc(ctx, sizeof *ty);
        ty->nullable = c->nullable;
        if (c->values) {
            ty->name = enum_for(b, c)->name;
        } else {
            ty->name = name(type_name(c->base));
            if (c->base == SMC_B_DECIMAL) {
                ty->has_args = true;
                ty->args = targ(b, c->precision);
                ty->args->next = targ(b, c->scale);
            }
        }
        f->type = ty;
        if (t->pk.ncols == 1 && strcmp(t->pk.cols[0], c->name) == 0)
            f->attrs = attr(b, f->attrs, "pk", NULL);
        if (c->autoinc)
            f->attrs = attr(b, f->attrs, "auto", NULL);
        if (strcmp(f->name.s, c->name) != 0)
            f->attrs = attr(b, f->attrs, "column", string_expr(b, c->name, strlen(c->name)));
        if (c->max_len >= 0) {
            smc_expr *n = expr(b, SMC_EX_INT);
            n->ival = c->max_len;
            f->attrs = attr(b, f->attrs, "max_len", n);
        }
        for (uint32_t k = 0; k < t->nfks; k++) {
            const smc_ilist *fk = &t->fks[k];
            const smc_itable *to = table_named(b->cat, fk->ref_table);
            if (fk->ncols != 1 || strcmp(fk->cols[0], c->name) != 0 || !to)
                continue;
            smc_attr *a = smc_alloc(ctx, sizeof *a);
            a->name = name("fk");
            a->has_parens = true;
            arg(b, a, NULL, name_expr(b, pascal(ctx, to->name), field_name(ctx, fk->ref_cols[0])));
            if (fk->on_delete)
                arg(b, a, "on_delete", name_expr(b, NULL, fk->on_delete));
            if (fk->on_update)
                arg(b, a, "on_update", name_expr(b, NULL, fk->on_update));
            smc_attr **link = &f->attrs;
            while (*link)
                link = &(*link)->next;
            *link = a;
        }
        if (c->deflt)
            f->deflt = deflt(b, t, c);
        item(b, d, f, NULL);
    }
    for (uint32_t k = 0; k < t->nfks; k++) {
        const smc_ilist *fk = &t->fks[k];
        if (fk->ncols != 1)
            smc_inote(ctx, t, smc_printf(ctx, "%s is left out: an smdl foreign key is on one column",
                                         fk_sql(ctx, fk)));
        else if (!table_named(b->cat, fk->ref_table))
            smc_inote(ctx, t, smc_printf(ctx, "%s is left out: table %s is not in the database",
                                         fk_sql(ctx, fk), fk->ref_table));
        else
            renamed(b, t, fk, "fk", "foreign key");
    }
    if (t->pk.ncols > 1)
        constraint(b, d, SMC_C_PRIMARY_KEY, idents(b, t, t->pk.cols, t->pk.ncols), NULL);
    for (uint32_t k = 0; k < t->nindexes; k++) {
        const smc_ilist *x = &t->indexes[k];
        bool expr_col = false;
        for (uint32_t i = 0; i < x->ncols; i++)
            expr_col |= strcmp(x->cols[i], "?") == 0;
        if (expr_col) {
            smc_inote(ctx, t, smc_printf(ctx, "index %s on an expression is left out",
                                         x->name ? x->name : "(unnamed)"));
            continue;
        }
        constraint(b, d, x->unique ? SMC_C_UNIQUE : SMC_C_INDEX, idents(b, t, x->cols, x->ncols),
                   NULL);
        renamed(b, t, x, x->unique ? "uq" : "ix", x->unique ? "unique constraint" : "index");
    }
    for (uint32_t k = 0; k < t->nchecks; k++) {
        smc_expr *e = check_expr(b, t, t->checks[k]);
        if (e) {
            constraint(b, d, SMC_C_CHECK, NULL, e);
            t->printed_checks = smc_igrow(ctx, t->printed_checks, t->nprinted_checks,
                                          sizeof *t->printed_checks);
            t->printed_checks[t->nprinted_checks++] = t->check_names[k];
        } else
            smc_inote(ctx, t, smc_printf(ctx, "CONSTRAINT %s CHECK (%s) is not an smdl expression; "
                                              "left out", t->check_names[k], t->checks[k]));
    }
    add_decl(b, d, t->notes);
}

static smc_icol *col_named(const smc_itable *t, const char *n)
{
    for (uint32_t i = 0; t && i < t->ncols; i++)
        if (strcmp(t->cols[i].name, n) == 0)
            return &t->cols[i];
    return NULL;
}

/* A foreign key's column takes the type of the key it references where
 * the database stores both alike (a uuid key is TEXT on SQLite, and so
 * is the column that references it): smdl wants them the same. */
static void fk_types(const smc_icatalog *cat)
{
    for (uint32_t i = 0; i < cat->ntables; i++)
        for (uint32_t k = 0; k < cat->tables[i].nfks; k++) {
            const smc_ilist *fk = &cat->tables[i].fks[k];
            smc_icol *from = fk->ncols == 1 ? col_named(&cat->tables[i], fk->cols[0]) : NULL;
            smc_icol *to = from ? col_named(table_named(cat, fk->ref_table), fk->ref_cols[0]) : NULL;
            if (to && !to->values && !from->values && strcmp(from->sql_type, to->sql_type) == 0) {
                from->base = to->base;
                from->precision = to->precision;
                from->scale = to->scale;
            }
        }
}

/* The tables with each after those its foreign keys reference (a cycle
 * keeps the catalog's order), else in the catalog's order: the order
 * create_all creates them in, where the catalog does not keep it. */
static smc_itable **creation_order(smc_ctx *ctx, const smc_icatalog *cat)
{
    uint32_t n = cat->ntables, done = 0;
    smc_itable **order = smc_alloc(ctx, (n + 1) * sizeof *order);
    bool *placed = smc_alloc(ctx, n + 1);
    while (done < n) {
        bool progress = false;
        for (uint32_t i = 0; i < n; i++) {
            smc_itable *t = &cat->tables[i];
            bool ready = !placed[i];
            for (uint32_t k = 0; ready && k < t->nfks; k++) {
                const smc_itable *to = table_named(cat, t->fks[k].ref_table);
                ready = !to || to == t || placed[to - cat->tables];
            }
            if (ready) {
                placed[i] = true;
                order[done++] = t;
                progress = true;
                break; /* the earliest ready table first */
            }
        }
        for (uint32_t i = 0; !progress && i < n; i++)
            if (!placed[i]) {
                placed[i] = true;
                order[done++] = &cat->tables[i];
                progress = true;
            }
    }
    return order;
}

static void build(smc_ctx *ctx, void *arg)
{
    builder *b = arg;
    (void)ctx;
    fk_types(b->cat);
    smc_itable **order = creation_order(b->ctx, b->cat);
    for (uint32_t i = 0; i < b->cat->ntables; i++)
        table(b, order[i]);
}

void smc_introspect_print(smc_ctx *ctx, const smc_icatalog *cat, const char *module, sm_buf *out)
{
    smc_ctx scratch;
    smc_ctx_init(&scratch);
    builder b = {.ctx = ctx, .scratch = &scratch, .cat = cat};
    bool ok = smc_guarded(&scratch, build, &b);
    static const char *const names[] = {"SQLite", "PostgreSQL", "MariaDB/MySQL"};
    const char *head = smc_printf(ctx, "Read from a %s database by smc introspect.",
                                  names[cat->dialect]);
    if (ok)
        ok = smc_print_decls(ctx, head, module, b.first, b.notes, out);
    smc_ctx_free(&scratch);
    if (!ok)
        smc_oom_unwind(ctx);
}
