/*
 * emit_query.c: the C of queries: sort enums and prototypes in the
 * header; in the .c file an arguments struct with its descriptor, the
 * static table of SQL variants (emit_query_sql.c writes their SQL), the
 * query descriptor, and a typed wrapper that fills the struct, picks the
 * variant and calls libsmdl.
 */
#include "emit.h"

#include <string.h>

/* A scalar result that takes an arena: text, json and bytes (DESIGN
 * 3.6).  The others hold no memory and their functions have none. */
static bool scalar_arena(const smc_qinfo *q)
{
    return smc_type_pointer(&q->scalar_type) || q->scalar_type.base == SMC_B_BYTES;
}

static const char *query_flags(smc_ctx *ctx, const smc_qinfo *q)
{
    const smc_stmt *st = q->decl->query->stmt;
    const char *f[2];
    int n = 0;
    if (q->decl->query->raw)
        f[n++] = "SM_Q_RAW";
    else if (st && st->kind == SMC_S_INSERT && st->conflict)
        f[n++] = "SM_Q_UPSERT";
    if (q->scalar && !scalar_arena(q))
        f[n++] = "SM_Q_NO_ARENA";
    return n == 0 ? "0" : n == 1 ? f[0] : smc_printf(ctx, "%s | %s", f[0], f[1]);
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
            smc_out_printf(b, ", const char *const *%s, size_t %s_len", name, p->name.s);
        else
            smc_out_printf(b, ", const int64_t *%s, size_t %s_len", name, p->name.s);
    } else if (t->base == SMC_B_SORT) {
        smc_out_printf(b, ", %s %s", sort_type(ctx, q, p), name);
    } else if (t->base == SMC_B_DIR) {
        smc_out_printf(b, ", sm_dir %s", name);
    } else if (t->nullable && !smc_type_pointer(t)) {
        smc_type nn = *t;
        nn.nullable = false;
        smc_col *c = param_col(ctx, p);
        c->type = nn;
        smc_out_printf(b, ", const %s *%s", smc_c_type(ctx, c), name);
    } else {
        smc_out_printf(b, ", %s", smc_c_param(ctx, param_col(ctx, p), name));
    }
}

static const char *row_type(smc_ctx *ctx, const smc_qinfo *q)
{
    return q->row ? q->row->name : smc_c_internal(ctx, SMC_N_ROW, q->decl->name.s, -1);
}

/* The trailing output parameters (DESIGN 3.6). */
static void outputs(smc_ctx *ctx, sm_buf *b, const smc_qinfo *q)
{
    switch (q->ret) {
    case SMC_R_EXEC:
        smc_out_puts(b, ", int64_t *affected");
        return;
    case SMC_R_EACH:
        smc_out_printf(b, ", int (*fn)(void *ud, const %s *row), void *ud", row_type(ctx, q));
        return;
    case SMC_R_LIST:
        smc_out_printf(b, ", %s_list *out, sm_arena *arena", q->row->name);
        return;
    default:
        break;
    }
    if (q->row) {
        smc_out_printf(b, ", %s *out, sm_arena *arena", q->row->name);
        return;
    }
    smc_col c;
    memset(&c, 0, sizeof c);
    c.type = q->scalar_type;
    c.type.nullable = false;
    const char *t = smc_c_type(ctx, &c);
    smc_out_printf(b, ", %s%s*out", t, t[strlen(t) - 1] == '*' ? "" : " ");
    if (q->scalar_type.nullable && !smc_type_pointer(&q->scalar_type))
        smc_out_puts(b, ", bool *has");
    if (scalar_arena(q))
        smc_out_puts(b, ", sm_arena *arena");
}

void smc_emit_query_signature(smc_ctx *ctx, sm_buf *b, const smc_qinfo *q)
{
    smc_out_printf(b, "int %s(sm_cx *cx, sm_conn *conn", q->decl->name.s);
    for (const smc_param *p = q->decl->query->params; p; p = p->next)
        param_decl(ctx, b, q, p);
    outputs(ctx, b, q);
    smc_out_putc(b, ')');
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
            smc_out_printf(b, "/* The columns query %s may sort by. */\ntypedef enum %s {\n",
                           q->decl->name.s, t);
            uint32_t k = 0;
            for (const smc_targ *a = p->type->args; a; a = a->next)
                smc_out_printf(b, "    %s_%s = %u,\n", up, smc_upper(ctx, a->name.s), k++);
            smc_out_printf(b, "} %s;\n\n", t);
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
                            " * a non-zero return stops and is returned.  ud (may be NULL) goes to fn.";
    default: return "Runs the statement; *affected (may be NULL) gets the rows matched.";
    }
}

/* What a NULL for parameter p means in its query's function. */
enum { NULL_MISUSE, NULL_ABSENT, NULL_SQL, NULL_EMPTY_LIST };
static int null_kind(const smc_qinfo *q, const smc_param *p)
{
    const smc_type *t = &p->type->type;
    if (t->list)
        return NULL_EMPTY_LIST;
    for (uint32_t k = 0; k < q->nopt; k++)
        if (q->opt[k] == p)
            return NULL_ABSENT;
    return t->nullable ? NULL_SQL : NULL_MISUSE;
}

/* "\n * NULL a, b<what>" for the parameters of this kind, if any. */
static void null_note(sm_buf *b, const smc_qinfo *q, int kind, const char *what)
{
    bool first = true;
    for (const smc_param *p = q->decl->query->params; p; p = p->next)
        if (null_kind(q, p) == kind) {
            smc_out_puts(b, first ? "\n * NULL " : ", ");
            smc_out_puts(b, p->name.s);
            first = false;
        }
    if (!first)
        smc_out_puts(b, what);
}

/* The pointers a query's function accepts as NULL, for its comment: any
 * other NULL pointer is SM_MISUSE (docs/c-api.md, "NULL arguments"). */
static void null_notes(sm_buf *b, const smc_qinfo *q)
{
    null_note(b, q, NULL_ABSENT, ": left out.");
    null_note(b, q, NULL_SQL, ": SQL NULL.");
    null_note(b, q, NULL_EMPTY_LIST, " with length 0: the empty list.");
    if (q->scalar && q->scalar_type.nullable && !smc_type_pointer(&q->scalar_type))
        smc_out_puts(b, "\n * has may be NULL.");
}

void smc_emit_query_prototypes(smc_ctx *ctx, sm_buf *b)
{
    smc_sema *s = ctx->sema;
    if (!s->nqueries)
        return;
    smc_out_puts(b, "/* ---- queries ---- */\n\n");
    for (uint32_t i = 0; i < s->nqueries; i++) {
        const smc_qinfo *q = s->queries[i];
        smc_out_printf(b, "/* %s", ret_comment(q));
        null_notes(b, q);
        if (q->timeout_ms)
            smc_out_printf(b, "\n * Bounded by %d ms (@timeout).", q->timeout_ms);
        smc_out_puts(b, " */\n");
        smc_emit_query_signature(ctx, b, q);
        smc_out_puts(b, ";\n\n");
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
    const char *name = smc_c_internal(ctx, SMC_N_ARGLIST, qn, (int)al->n);
    smc_out_printf(b, "static const uint8_t %s[] = {", name);
    for (uint32_t i = 0; i < n; i++) {
        uint8_t a = args[i];
        if (a == SM_ARG_KEYS)
            smc_out_printf(b, "%sSM_ARG_KEYS", i ? ", " : "");
        else if (a & SM_ARG_PRESENT)
            smc_out_printf(b, "%s%u | SM_ARG_PRESENT", i ? ", " : "", a & 0x7f);
        else
            smc_out_printf(b, "%s%u", i ? ", " : "", a);
    }
    smc_out_puts(b, "};\n");
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
    smc_qsql w[SM_NDIALECTS];
    bool any = false;
    for (int d = 0; d < SM_NDIALECTS; d++) {
        smc_query_sql(ctx, q, v, part, &smc_dialects[d], &w[d]);
        any |= w[d].sql != NULL;
    }
    if (!any)
        return false;
    smc_out_puts(b, "{{{");
    for (int d = 0; d < SM_NDIALECTS; d++) {
        if (d)
            smc_out_puts(b, ",\n      ");
        if (w[d].sql) {
            if (strlen(w[d].sql) > 4000)
                *long_lit = true;
            smc_c_string(b, w[d].sql, strlen(w[d].sql));
        } else {
            smc_out_puts(b, "NULL");
        }
    }
    smc_out_puts(b, "}}, {");
    for (int d = 0; d < SM_NDIALECTS; d++)
        smc_out_printf(b, "%s%s", d ? ", " : "",
                       arglist(ctx, pre, q->decl->name.s, al, w[d].args, w[d].nargs));
    smc_out_puts(b, "}, {");
    for (int d = 0; d < SM_NDIALECTS; d++)
        smc_out_printf(b, "%s%u", d ? ", " : "", w[d].nargs);
    smc_out_puts(b, "}}");
    return true;
}

static const char *sm_type_of(const smc_type *t)
{
    smc_col c;
    memset(&c, 0, sizeof c);
    c.type = *t;
    return smc_c_sm_type(&c);
}

/* The SM_F_* flags of an argument or result field. */
static void arg_flags(sm_buf *b, bool nullable, bool like, bool secret)
{
    const char *names[3];
    int n = 0;
    if (nullable)
        names[n++] = "SM_F_NULLABLE";
    if (like)
        names[n++] = "SM_F_LIKE";
    if (secret)
        names[n++] = "SM_F_SECRET";
    for (int i = 0; i < n; i++)
        smc_out_printf(b, "%s%s", i ? " | " : "", names[i]);
    if (!n)
        smc_out_putc(b, '0');
}

static void param_fields(smc_ctx *ctx, sm_buf *b, const smc_qinfo *q, const char *qn)
{
    const char *st = smc_c_internal(ctx, SMC_N_ARGS, qn, -1);
    const char *fields = smc_c_internal(ctx, SMC_N_ARGFIELDS, qn, -1);
    smc_out_printf(b, "typedef struct %s {\n", st);
    for (const smc_param *p = q->decl->query->params; p; p = p->next) {
        const smc_type *t = &p->type->type;
        if (p->field == UINT32_MAX)
            continue;
        const char *m = smc_c_local(ctx, p->name.s);
        if (t->list) {
            smc_out_printf(b, "    %s %s;\n", t->base == SMC_B_TEXT ? "sm_text_list" : "sm_int_list", m);
            continue;
        }
        smc_col *c = param_col(ctx, p);
        const char *ct = smc_c_type(ctx, c);
        smc_out_printf(b, "    %s%s%s;\n", ct, ct[strlen(ct) - 1] == '*' ? "" : " ", m);
        if (t->nullable && !smc_type_pointer(t))
            smc_out_printf(b, "    bool smdl_has_%s;\n", p->name.s);
    }
    smc_out_printf(b, "} %s;\nstatic const sm_field %s[] = {\n", st, fields);
    const bool *likes = smc_query_like_params(ctx, q);
    for (const smc_param *p = q->decl->query->params; p; p = p->next) {
        const smc_type *t = &p->type->type;
        if (p->field == UINT32_MAX)
            continue;
        bool has = t->nullable && !smc_type_pointer(t) && !t->list;
        smc_out_puts(b, "    {");
        smc_c_string(b, p->name.s, strlen(p->name.s));
        smc_out_printf(b, ", NULL, NULL, offsetof(%s, %s), ", st, smc_c_local(ctx, p->name.s));
        if (has)
            smc_out_printf(b, "offsetof(%s, smdl_has_%s), ", st, p->name.s);
        else
            smc_out_puts(b, "SM_NONE, ");
        bool like = t->base == SMC_B_TEXT && !t->list && likes[p->index];
        bool secret = q->secret && q->secret[p->index];
        smc_out_printf(b, "SM_NONE, %s, ",
                       t->list ? (t->base == SMC_B_TEXT ? "SM_T_TEXT_LIST" : "SM_T_INT_LIST")
                               : sm_type_of(t));
        arg_flags(b, t->nullable, like, secret);
        smc_out_printf(b, ", %u, %u, NULL, ", t->precision, t->scale);
        if (t->base == SMC_B_ENUM)
            smc_out_printf(b, "&%s, NULL},\n", smc_c_internal(ctx, SMC_N_ENUM, t->decl->name.s, -1));
        else
            smc_out_puts(b, "NULL, NULL},\n");
    }
    uint32_t n = 0;
    for (const smc_param *p = q->decl->query->params; p; p = p->next)
        n += p->field != UINT32_MAX;
    smc_out_printf(b, "};\nstatic const sm_model %s = {", smc_c_internal(ctx, SMC_N_ARGMODEL, qn, -1));
    smc_c_string(b, qn, strlen(qn));
    smc_out_printf(b, ", NULL, sizeof(%s), NULL, %s, %u, NULL, 0, 0, NULL, NULL, 0, NULL, 0, NULL, 0};\n", st, fields, n);
}

static void scalar_row(smc_ctx *ctx, sm_buf *b, const smc_qinfo *q, const char *qn)
{
    const char *rt = row_type(ctx, q);
    const char *init = smc_c_internal(ctx, SMC_N_ROWINIT, qn, -1);
    const char *fields = smc_c_internal(ctx, SMC_N_ROWFIELDS, qn, -1);
    smc_col c;
    memset(&c, 0, sizeof c);
    c.name = "value";
    c.type = q->scalar_type;
    c.min_len = c.max_len = -1;
    smc_model m;
    memset(&m, 0, sizeof m);
    const char *ct = smc_c_type(ctx, &c);
    bool has = smc_col_has_flag(&m, &c);
    smc_out_printf(b, "typedef struct %s {\n    %s%svalue;\n%s} %s;\n", rt, ct,
                   ct[strlen(ct) - 1] == '*' ? "" : " ", has ? "    bool has_value;\n" : "", rt);
    smc_out_printf(b, "static const %s %s = {", rt, init);
    smc_c_init_value(ctx, b, &m, &c);
    smc_out_printf(b, "};\nstatic const sm_field %s[] = {\n"
                      "    {\"value\", \"value\", \"value\", offsetof(%s, value), ",
                   fields, rt);
    if (has)
        smc_out_printf(b, "offsetof(%s, has_value), ", rt);
    else
        smc_out_puts(b, "SM_NONE, ");
    bool secret = q->returning && q->returning[0].secret;
    smc_out_printf(b, "SM_NONE, %s, %sSM_F_COLUMN%s, %u, %u, NULL, ", smc_c_sm_type(&c),
                   c.type.nullable ? "SM_F_NULLABLE | " : "", secret ? " | SM_F_SECRET" : "",
                   c.type.precision, c.type.scale);
    if (c.type.base == SMC_B_ENUM)
        smc_out_printf(b, "&%s, NULL},\n", smc_c_internal(ctx, SMC_N_ENUM, c.type.decl->name.s, -1));
    else
        smc_out_puts(b, "NULL, NULL},\n");
    smc_out_printf(b, "};\nstatic const sm_model %s = {", smc_c_internal(ctx, SMC_N_ROWMODEL, qn, -1));
    smc_c_string(b, qn, strlen(qn));
    smc_out_printf(b, ", NULL, sizeof(%s), &%s, %s, 1, NULL, 0, 0, NULL, NULL, 0, NULL, 0, NULL, 0};\n", rt, init,
                   fields);
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
        smc_out_printf(b, "/* ---- query %s ---- */\n\n", qn);
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
            for (int part = SMC_PART_PRE; part <= SMC_PART_POST; part++) {
                sm_buf one = SM_BUF_INIT;
                if (qstmt(ctx, b, &one, q, v, part, &al, long_lit)) {
                    const char *name = smc_c_internal(
                        ctx, part == SMC_PART_PRE ? SMC_N_PRE : SMC_N_POST, qn, (int)v);
                    smc_out_printf(&parts, "static const sm_qstmt %s = %s;\n", name, one.data);
                    if (part == SMC_PART_PRE)
                        pre = smc_printf(ctx, "&%s", name);
                    else
                        post = smc_printf(ctx, "&%s", name);
                }
                sm_buf_free(&one);
            }
            smc_out_puts(&vars, "    {");
            if (!qstmt(ctx, b, &vars, q, v, SMC_PART_MAIN, &al, long_lit))
                smc_out_puts(&vars, "{{{NULL, NULL, NULL}}, {NULL, NULL, NULL}, {0, 0, 0}}");
            smc_out_printf(&vars, ", %s, %s},\n", pre, post);
        }
        if (parts.len)
            smc_out_append(b, parts.data, parts.len);
        const char *variants = smc_c_internal(ctx, SMC_N_VARIANTS, qn, -1);
        smc_out_printf(b, "static const sm_variant %s[] = {\n", variants);
        smc_out_append(b, vars.data, vars.len);
        smc_out_puts(b, "};\n");
        sm_buf_free(&parts);
        sm_buf_free(&vars);
        const char *row = q->row ? smc_printf(ctx, "&smdl.%s", smc_c_member(ctx, SMC_N_MODEL, q->row->name))
                        : q->scalar ? smc_printf(ctx, "&%s", smc_c_internal(ctx, SMC_N_ROWMODEL, qn, -1))
                                    : "NULL";
        const char *loads = "NULL";
        if (q->nloads) {
            loads = smc_c_internal(ctx, SMC_N_LOADS, qn, -1);
            smc_out_printf(b, "static const sm_qload %s[] = {\n", loads);
            for (uint32_t k = 0; k < q->nloads; k++) {
                const smc_qload *l = &q->loads[k];
                smc_out_printf(b, "    {%s, &smdl.%s, %s},\n",
                               l->parent == SMC_LOAD_ROOT ? "SM_LOAD_ROOT" : smc_printf(ctx, "%u", l->parent),
                               smc_c_member(ctx, SMC_N_MODEL, l->owner->name),
                               smc_c_rel(ctx, l->owner, l->rel));
            }
            smc_out_puts(b, "};\n");
        }
        smc_out_printf(b, "static const sm_query_desc %s = {", smc_c_internal(ctx, SMC_N_QUERY, qn, -1));
        smc_c_string(b, qn, strlen(qn));
        smc_out_printf(b, ", %s, %s, %u, %s, %s, %s, %d, %s, %u};\n\n",
                       has_args ? smc_printf(ctx, "&%s", smc_c_internal(ctx, SMC_N_ARGMODEL, qn, -1))
                                : "NULL",
                       variants, q->nvariants, ret_names[q->ret], query_flags(ctx, q), row, q->timeout_ms,
                       loads, q->nloads);
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
        smc_out_printf(b, "    %s smdl_args;\n    memset(&smdl_args, 0, sizeof smdl_args);\n",
                       smc_c_internal(ctx, SMC_N_ARGS, qn, -1));
    smc_out_puts(b, "    unsigned smdl_v = 0;\n");
    for (const smc_param *p = q->decl->query->params; p; p = p->next) {
        const smc_type *t = &p->type->type;
        const char *name = smc_c_local(ctx, p->name.s);
        if (p->field == UINT32_MAX)
            continue;
        if (t->list) {
            smc_out_printf(b, "    smdl_args.%s.items = %s;\n    smdl_args.%s.len = %s_len;\n", name,
                           name, name, p->name.s);
        } else if (t->nullable && !smc_type_pointer(t)) {
            smc_out_printf(b, "    if (%s) {\n        smdl_args.%s = *%s;\n        smdl_args.smdl_has_%s = true;\n    }\n",
                           name, name, name, p->name.s);
        } else {
            smc_out_printf(b, "    smdl_args.%s = %s;\n", name, name);
        }
        for (uint32_t k = 0; k < q->nopt; k++)
            if (q->opt[k] == p)
                smc_out_printf(b, "    if (%s)\n        smdl_v |= %uu;\n", name, 1u << k);
    }
    if (q->nchoices) {
        smc_out_printf(b, "    unsigned smdl_radix = %uu;\n    bool smdl_bad = false;\n", 1u << q->nopt);
        for (uint32_t i = 0; i < q->nchoices; i++) {
            const smc_param *p = q->choices[i];
            uint32_t k = smc_query_choices(p);
            const char *name = smc_c_local(ctx, p->name.s);
            smc_out_printf(b, "    smdl_bad |= (unsigned)%s >= %uu;\n"
                              "    smdl_v += smdl_radix * (unsigned)%s;\n",
                           name, k, name);
            if (i + 1 < q->nchoices)
                smc_out_printf(b, "    smdl_radix *= %uu;\n", k);
        }
        /* The runtime refuses the variant (SM_MISUSE) and clears the outputs. */
        smc_out_puts(b, "    if (smdl_bad)\n        smdl_v = UINT_MAX; /* a sort or dir outside its enum */\n");
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
        const char *desc = smc_c_internal(ctx, SMC_N_QUERY, qn, -1);
        const char *each = smc_c_internal(ctx, SMC_N_EACH, qn, -1);
        const char *rowfn = smc_c_internal(ctx, SMC_N_ROWFN, qn, -1);
        if (q->ret == SMC_R_EACH)
            smc_out_printf(b, "typedef struct %s {\n    int (*fn)(void *ud, const %s *row);\n"
                              "    void *ud;\n} %s;\n\n"
                              "static int %s(void *ud, const void *row)\n{\n"
                              "    const %s *e = (const %s *)ud;\n"
                              "    return e->fn(e->ud, (const %s *)row);\n}\n\n",
                           each, rt, each, rowfn, each, each, rt);
        smc_emit_query_signature(ctx, b, q);
        smc_out_puts(b, "\n{\n");
        fill_args(ctx, b, q);
        if (q->ret == SMC_R_EXEC) {
            smc_out_printf(b, "    return sm_query_exec(cx, conn, &%s, smdl_v, %s, affected);\n}\n\n",
                           desc, args);
        } else if (q->ret == SMC_R_EACH) {
            smc_out_printf(b, "    %s smdl_each = {fn, ud};\n"
                              "    return sm_query_each(cx, conn, &%s, smdl_v, %s, "
                              "fn ? %s : NULL, &smdl_each);\n}\n\n",
                           each, desc, args, rowfn);
        } else if (!q->scalar) {
            smc_out_printf(b, "    return sm_query_rows(cx, conn, &%s, smdl_v, %s, out, arena);\n}\n\n",
                           desc, args);
        } else {
            bool has = q->scalar_type.nullable && !smc_type_pointer(&q->scalar_type);
            /* A NULL out reaches the runtime as a NULL row, which it
             * refuses with a message in cx. */
            smc_out_printf(b, "    %s smdl_row;\n    int smdl_rc = sm_query_rows(cx, conn, &%s, smdl_v, "
                              "%s, out ? &smdl_row : NULL, %s);\n",
                           rt, desc, args, scalar_arena(q) ? "arena" : "NULL");
            smc_out_printf(b, "    if (smdl_rc != SM_OK)\n        smdl_row = %s;\n"
                              "    if (out)\n        *out = smdl_row.value;\n",
                           smc_c_internal(ctx, SMC_N_ROWINIT, qn, -1));
            if (has)
                smc_out_puts(b, "    if (has)\n        *has = smdl_rc == SM_OK && smdl_row.has_value;\n");
            smc_out_puts(b, "    return smdl_rc;\n}\n\n");
        }
    }
}
