/*
 * emit_struct.c: the generated header (DESIGN 3.2): enums, typedefs, the
 * imported headers, structs in declaration order (a struct nested by
 * value comes first), _INIT macros, then prototypes with their ownership
 * rules.
 */
#include "emit.h"
#include "map.h"

#include <string.h>

/* Does an imported file emit a header of its own? */
static bool file_emits(const smc_file *f)
{
    for (const smc_decl *d = f->decls; d; d = d->next) {
        if (d->kind == SMC_D_ENUM || d->kind == SMC_D_QUERY)
            return true;
        if ((d->kind == SMC_D_MODEL || d->kind == SMC_D_ROW) && d->model &&
            smc_model_emitted(d->model))
            return true;
    }
    return false;
}

static void includes(smc_ctx *ctx, sm_buf *b)
{
    smc_sema *s = ctx->sema;
    for (const smc_decl *d = s->main->decls; d; d = d->next) {
        if (d->kind != SMC_D_IMPORT)
            continue;
        for (uint32_t i = 0; i < s->nimports; i++) {
            smc_file *f = s->imports[i];
            const char *p = ctx->files[f->source]->path;
            size_t lp = strlen(p), ln = strlen(d->name.s);
            if (lp >= ln && strcmp(p + lp - ln, d->name.s) == 0 && file_emits(f))
                smc_out_printf(b, "#include \"%s.h\"\n", smc_source_stem(ctx, ctx->files[f->source]->path));
        }
    }
}

static void doc(sm_buf *b, const char *indent, const char *text)
{
    if (text)
        smc_c_comment(b, indent, text);
}

static void enums(smc_ctx *ctx, sm_buf *b)
{
    smc_sema *s = ctx->sema;
    for (uint32_t i = 0; i < s->nenums; i++) {
        smc_decl *e = s->enums[i];
        if (e->file != s->main)
            continue;
        const char *up = smc_upper(ctx, e->name.s);
        const char *edoc = NULL;
        for (smc_attr *a = e->attrs; a; a = a->next)
            if (strcmp(a->name.s, "doc") == 0 && a->args && a->args->value->kind == SMC_EX_STRING)
                edoc = a->args->value->sval;
        doc(b, "", edoc);
        smc_out_printf(b, "typedef enum %s {\n", e->name.s);
        for (smc_member *m = e->members; m; m = m->next) {
            const char *mdoc = NULL;
            for (smc_attr *a = m->attrs; a; a = a->next)
                if (strcmp(a->name.s, "doc") == 0 && a->args && a->args->value->kind == SMC_EX_STRING)
                    mdoc = a->args->value->sval;
            doc(b, "    ", mdoc);
            smc_out_printf(b, "    %s_%s = %u,\n", up, smc_upper(ctx, m->name.s), m->index);
        }
        smc_out_printf(b, "} %s;\n\n", e->name.s);
    }
}

static void struct_def(smc_ctx *ctx, sm_buf *b, smc_model *m)
{
    doc(b, "", m->doc);
    smc_out_printf(b, "struct %s {\n", m->name);
    for (uint32_t i = 0; i < m->ncols; i++) {
        const smc_col *c = m->cols[i];
        doc(b, "    ", c->doc);
        const char *t = smc_c_type(ctx, c);
        size_t n = strlen(t);
        smc_out_printf(b, "    %s%s%s;", t, t[n - 1] == '*' ? "" : " ", c->name);
        if (c->rel == SMC_REL_ONE)
            smc_out_puts(b, " /* relationship: NULL when not loaded or none; not owned */");
        else if (c->rel)
            smc_out_puts(b, " /* relationship: items NULL until loaded; not owned */");
        smc_out_putc(b, '\n');
        if (c->rel == SMC_REL_ONE)
            smc_out_printf(b, "    bool %s_loaded; /* set by a load, even when %s is NULL */\n",
                           c->name, c->name);
        if (smc_col_has_flag(m, c))
            smc_out_printf(b, "    bool has_%s;%s\n", c->name,
                           m->is_partial ? " /* set: write this field */" : "");
        if (smc_col_null_flag(m, c))
            smc_out_printf(b, "    bool %s_null; /* set to NULL */\n", c->name);
    }
    smc_out_puts(b, "};\n\n");
}

/* The model models[k] nests by value through column i, as an index into
 * models[] (at[] maps positions in the schema to it), or UINT32_MAX. */
static uint32_t nested_at(smc_model **models, const uint32_t *at, uint32_t k, uint32_t i)
{
    const smc_col *c = models[k]->cols[i];
    if (c->rel || c->type.base != SMC_B_MODEL || c->type.list)
        return UINT32_MAX;
    return at[c->type.decl->model->pos];
}

/* Structs in declaration order, except that one nested by value must be
 * complete before its user.  The order is that of rounds, each going
 * through the models in declaration order and writing every one whose
 * nested structs are written: k follows a nested j in the same round
 * when j comes first, else one round later.  Each model's round is found
 * once by a depth-first walk (with its own stack: chains of nesting can
 * be long), then the models are sorted by round and position. */
static void structs(smc_ctx *ctx, sm_buf *b, smc_model **models, uint32_t n)
{
    smc_sema *s = ctx->sema;
    uint32_t *at = smc_alloc(ctx, (s->nmodels + 1) * sizeof *at); /* pos -> k, own only */
    for (uint32_t i = 0; i < s->nmodels; i++)
        at[i] = UINT32_MAX;
    for (uint32_t k = 0; k < n; k++)
        if (models[k]->own)
            at[models[k]->pos] = k;
    /* round[k]: its round + 1 once known, UINT32_MAX while on the stack
     * (a cycle, which the checker rejects, counts that edge as round 0). */
    uint32_t *round = smc_alloc(ctx, (n + 1) * sizeof *round);
    struct frame {
        uint32_t k, i, r; /* model, next column, round so far */
    } *stack = smc_alloc(ctx, (n + 1) * sizeof *stack);
    for (uint32_t start = 0; start < n; start++) {
        if (!models[start]->own || round[start])
            continue;
        uint32_t sp = 0;
        stack[sp++] = (struct frame){start, 0, 0};
        round[start] = UINT32_MAX;
        while (sp) {
            struct frame *f = &stack[sp - 1];
            if (f->i == models[f->k]->ncols) {
                round[f->k] = f->r + 1;
                sp--;
                continue;
            }
            uint32_t j = nested_at(models, at, f->k, f->i);
            if (j != UINT32_MAX && !round[j]) {
                round[j] = UINT32_MAX;
                stack[sp++] = (struct frame){j, 0, 0};
                continue; /* column i again once j is done */
            }
            if (j != UINT32_MAX) {
                uint32_t rj = (round[j] == UINT32_MAX ? 0 : round[j] - 1) + (j > f->k);
                f->r = rj > f->r ? rj : f->r;
            }
            f->i++;
        }
    }
    uint32_t *count = smc_alloc(ctx, (n + 2) * sizeof *count);
    for (uint32_t k = 0; k < n; k++)
        if (models[k]->own)
            count[round[k]]++; /* round r + 1 counts at r + 1: starts come out below */
    for (uint32_t r = 0; r < n; r++)
        count[r + 1] += count[r];
    uint32_t *order = smc_alloc(ctx, (n + 1) * sizeof *order);
    for (uint32_t k = 0; k < n; k++)
        if (models[k]->own)
            order[count[round[k] - 1]++] = k;
    for (uint32_t i = 0; i < count[n]; i++)
        struct_def(ctx, b, models[order[i]]);
}

static void init_macro(smc_ctx *ctx, sm_buf *b, smc_model *m)
{
    smc_out_printf(b, "#define %s_INIT {", m->upper);
    for (uint32_t i = 0; i < m->ncols; i++) {
        if (i)
            smc_out_puts(b, ", ");
        smc_c_init_value(ctx, b, m, m->cols[i]);
    }
    if (m->ncols == 0)
        smc_out_puts(b, "0");
    smc_out_puts(b, "}\n");
}

/* One prototype with its ownership comment. */
static void prototype(smc_ctx *ctx, sm_buf *b, smc_model *m, const smc_api_fn *fn)
{
    const char *T = m->name;
    switch (fn->verb) {
    case SMC_V_INSERT:
        smc_out_printf(b, "/* Validates *obj and inserts it; writes back the generated key and the\n"
                          " * now()/uuid() values it filled in.  Keeps no pointer. */\n"
                          "int %s(sm_cx *cx, sm_conn *conn, %s *obj);\n", fn->name, T);
        break;
    case SMC_V_INSERT_MANY:
        smc_out_printf(b, "/* Validates all of objs[0..n) (errors at \"[k].field\"), then inserts them\n"
                          " * in one transaction; keys are written back in order.  objs may be\n"
                          " * NULL when n is 0. */\n"
                          "int %s(sm_cx *cx, sm_conn *conn, %s *objs, size_t n);\n", fn->name, T);
        break;
    case SMC_V_GET:
        smc_out_printf(b, "/* Reads the row with this key into *out; its strings and bytes live in\n"
                          " * arena.  SM_NOTFOUND when there is none; *out is zeroed on any\n"
                          " * failure. */\n"
                          "int %s(sm_cx *cx, sm_conn *conn", fn->name);
        smc_c_key_params(ctx, b, m);
        smc_out_printf(b, ", %s *out, sm_arena *arena);\n", T);
        break;
    case SMC_V_UPDATE: {
        bool stamped = false;
        for (uint32_t i = 0; i < m->ncols; i++)
            stamped |= m->cols[i]->updated_at;
        smc_out_printf(b, "/* Validates *obj and writes all its columns to the row with its key%s.\n"
                          " * SM_NOTFOUND when the row is gone. */\n"
                          "int %s(sm_cx *cx, sm_conn *conn, %s *obj);\n",
                       stamped ? ";\n * writes back @updated_at" : "", fn->name, T);
        break;
    }
    case SMC_V_PATCH: {
        sm_buf keys = SM_BUF_INIT; /* fields of the partial that are keys here */
        for (uint32_t i = 0; i < fn->other->ncols; i++)
            if (!smc_patch_target(m, fn->other->cols[i]))
                smc_out_printf(&keys, "%s%s", keys.len ? ", " : "", fn->other->cols[i]->name);
        smc_out_printf(b, "/* Validates and writes only the fields set in *in (has_<field>) to the\n"
                          " * row with this key.  SM_NOTFOUND when there is none.%s%s%s */\n"
                          "int %s(sm_cx *cx, sm_conn *conn",
                       keys.len ? "\n * The key is never patched: " : "", keys.len ? keys.data : "",
                       keys.len ? " in *in is ignored." : "", fn->name);
        sm_buf_free(&keys);
        smc_c_key_params(ctx, b, m);
        smc_out_printf(b, ", const %s *in);\n", fn->other->name);
        break;
    }
    case SMC_V_DELETE:
        smc_out_printf(b, "/* Deletes the row with this key.  SM_NOTFOUND when there is none. */\n"
                          "int %s(sm_cx *cx, sm_conn *conn", fn->name);
        smc_c_key_params(ctx, b, m);
        smc_out_puts(b, ");\n");
        break;
    case SMC_V_VALIDATE:
        smc_out_printf(b, "/* Appends every validation error of *obj to errs: SM_OK or SM_INVALID.\n"
                          " * errs may be NULL: the code alone. */\n"
                          "int %s(const %s *obj, sm_errors *errs);\n", fn->name, T);
        break;
    case SMC_V_TO_JSON:
        smc_out_printf(b, "/* Appends *obj to out as one JSON object (out is not reset). */\n"
                          "int %s(const %s *obj, sm_buf *out);\n", fn->name, T);
        break;
    case SMC_V_FROM_JSON:
        smc_out_printf(b, "/* Decodes one JSON object into *out (strings in arena) and validates\n"
                          " * it; errors go to errs: SM_OK or SM_INVALID, *out zeroed on failure.\n"
                          " * json may be NULL when len is 0 (an empty document); errs may be NULL. */\n"
                          "int %s(const char *json, size_t len, %s *out, sm_arena *arena, sm_errors *errs);\n",
                       fn->name, T);
        break;
    case SMC_V_GET_MANY:
        smc_out_printf(b, "/* Reads the rows with the n keys into *out (overwritten; rows in arena),\n"
                          " * in the order of the keys, in one statement: a key without a row is\n"
                          " * skipped (out->len < n), a key given twice gives its row twice.%s\n"
                          " * keys may be NULL when n is 0. */\n"
                          "int %s(sm_cx *cx, sm_conn *conn, ",
                       m->nkey > 1 ? "\n * Each of keys[0..n) has its key fields set; the others are ignored." : "",
                       fn->name);
        smc_c_get_many_keys(ctx, b, m);
        smc_out_printf(b, ", size_t n, %s_list *out, sm_arena *arena);\n", T);
        break;
    case SMC_V_LOAD:
    case SMC_V_LIST_LOAD: {
        const smc_col *r = fn->rel;
        const char *got = r->rel == SMC_REL_ONE
                              ? smc_printf(ctx, "the %s, or NULL when there is none;\n * sets %s_loaded.",
                                           r->rel_target->name, r->name)
                              : "items never NULL once loaded\n * (len may be 0), ordered by key.";
        if (fn->verb == SMC_V_LOAD)
            smc_out_printf(b, "/* Loads obj->%s in one statement: %s  What it reads lives in\n"
                              " * arena, not owned by *obj.  On failure *obj is left as it was. */\n"
                              "int %s(sm_cx *cx, sm_conn *conn, %s *obj, sm_arena *arena);\n",
                           r->name, got, fn->name, T);
        else
            smc_out_printf(b, "/* Loads %s for every item of *list in one statement, whatever its\n"
                              " * length: %s  What it reads lives in arena (items with one\n"
                              " * key share it).  On failure the items are left as they were. */\n"
                              "int %s(sm_cx *cx, sm_conn *conn, %s_list *list, sm_arena *arena);\n",
                           r->name, got, fn->name, T);
        break;
    }
    case SMC_V_LINK:
    case SMC_V_UNLINK: {
        const smc_col *r = fn->rel;
        const char *a, *c;
        smc_link_params(ctx, m, r, &a, &c);
        if (fn->verb == SMC_V_LINK)
            smc_out_printf(b, "/* Links the pair in %s (relationship %s): SM_OK also when it was\n"
                              " * linked already; its other columns take their defaults. */\n",
                           r->rel_through->name, r->name);
        else
            smc_out_printf(b, "/* Unlinks the pair from %s (relationship %s): SM_NOTFOUND when it\n"
                              " * was not linked. */\n",
                           r->rel_through->name, r->name);
        smc_out_printf(b, "int %s(sm_cx *cx, sm_conn *conn, %s, %s);\n", fn->name,
                       smc_c_param(ctx, r->rel_link_own, a),
                       smc_c_param(ctx, r->rel_link_target, c));
        break;
    }
    case SMC_V_CONVERT:
        if (smc_conversion_nested(m, fn->other))
            smc_out_printf(b, "/* Copies the fields of *in that %s has (shallow: pointers are shared)\n"
                              " * and the defaults of the others, converting the loaded relationships\n"
                              " * of *in into its nested fields (lists and objects in arena).\n"
                              " * SM_MISUSE when one of them was not loaded; *out is left as it was on\n"
                              " * failure.  No validation. */\n"
                              "int %s(const %s *in, %s *out, sm_arena *arena);\n",
                           T, fn->name, fn->other->name, T);
        else
            smc_out_printf(b, "/* Copies the fields of *in that %s has (shallow: pointers are shared)\n"
                              " * and the defaults of the others.  No validation. */\n"
                              "int %s(const %s *in, %s *out);\n", T, fn->name, fn->other->name, T);
        break;
    }
}

/* The user's @check_fn functions, each declared once (the checker made
 * sure that fields sharing one agree on its type). */
static void check_fns(smc_ctx *ctx, sm_buf *b, smc_model **models, uint32_t n)
{
    smc_map seen = {0};
    for (uint32_t k = 0; k < n; k++)
        for (uint32_t i = 0; i < models[k]->ncols; i++) {
            const smc_col *c = models[k]->cols[i];
            if (!c->check_fn || !models[k]->own)
                continue;
            if (smc_map_put(ctx, &seen, c->check_fn, (void *)c))
                continue;
            if (seen.len == 1)
                smc_out_puts(b, "/* Validators you define (@check_fn): NULL when the value is valid,\n"
                                " * else a message.  Called only with non-null values. */\n");
            smc_out_printf(b, "const char *%s(%s);\n", c->check_fn, smc_c_param(ctx, c, "value"));
        }
    if (seen.len)
        smc_out_putc(b, '\n');
}

static void header(smc_ctx *ctx, void *arg)
{
    sm_buf *b = arg;
    smc_sema *s = ctx->sema;
    const char *guard = smc_c_guard(ctx, s->file_base);
    smc_c_banner(ctx, b);
    smc_out_printf(b, "#ifndef %s\n#define %s\n\n", guard, guard);
    smc_out_puts(b, "#include <smdl/smdl.h>\n\n");
    const char *why = smc_printf(ctx, "%s.h was generated by smc for libsmdl descriptor ABI %d; "
                                      "regenerate it with the smc of your libsmdl",
                                 s->file_base, SMDL_GENERATED_ABI);
    smc_out_printf(b, "#if !defined(SMDL_GENERATED_ABI) || SMDL_GENERATED_ABI != %d\n#error ",
                   SMDL_GENERATED_ABI);
    smc_c_string(b, why, strlen(why));
    smc_out_puts(b, "\n#endif\n\n");
    smc_out_puts(b, "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n");
    enums(ctx, b);
    smc_emit_query_enums(ctx, b);

    smc_model **models;
    uint32_t n = smc_described_models(ctx, &models);
    uint32_t own = 0;
    for (uint32_t k = 0; k < n; k++)
        if (models[k]->own) {
            smc_out_printf(b, "typedef struct %s %s;\n", models[k]->name, models[k]->name);
            own++;
        }
    for (uint32_t k = 0; k < n; k++)
        if (models[k]->own)
            smc_out_printf(b, "typedef struct %s_list {\n    struct %s *items;\n    size_t len;\n} %s_list;\n",
                           models[k]->name, models[k]->name, models[k]->name);
    if (own)
        smc_out_putc(b, '\n');
    /* Imported headers come after this file's enums and type names and
     * before its structs: two files that import each other (a model in
     * one, its relationships in the other) then compile whichever header
     * comes first, since relationship fields need only the names. */
    sm_buf lines = SM_BUF_INIT;
    includes(ctx, &lines);
    if (lines.len)
        smc_out_printf(b, "%s\n", lines.data);
    sm_buf_free(&lines);
    structs(ctx, b, models, n);
    for (uint32_t k = 0; k < n; k++)
        if (models[k]->own)
            init_macro(ctx, b, models[k]);
    if (own)
        smc_out_putc(b, '\n');
    check_fns(ctx, b, models, n);
    if (own || s->nqueries || s->ntables)
        smc_out_puts(b, "/* A NULL pointer argument is SM_MISUSE (with the message in cx where\n"
                        " * the function takes one) unless its comment allows NULL. */\n\n");
    for (uint32_t k = 0; k < n; k++) {
        if (!models[k]->own)
            continue;
        smc_api_fn *fns;
        uint32_t nf = smc_model_api(ctx, models[k], &fns);
        smc_out_printf(b, "/* ---- %s ---- */\n\n", models[k]->name);
        for (uint32_t i = 0; i < nf; i++) {
            prototype(ctx, b, models[k], &fns[i]);
            smc_out_putc(b, '\n');
        }
    }
    smc_emit_query_prototypes(ctx, b);
    if (s->ntables) {
        smc_out_printf(b, "/* ---- module %s ---- */\n\n", s->module);
        smc_out_printf(b, "/* Creates the module's tables, indexes and constraints where missing. */\n"
                          "int %s_create_all(sm_cx *cx, sm_conn *conn);\n"
                          "/* Drops the module's tables if they exist (their data is lost). */\n"
                          "int %s_drop_all(sm_cx *cx, sm_conn *conn);\n"
                          "/* Applies the module's pending migrations (docs/migrations.md). */\n"
                          "int %s_migrate(sm_cx *cx, sm_conn *conn);\n\n",
                       s->module, s->module, s->module);
    }
    smc_out_printf(b, "#ifdef __cplusplus\n}\n#endif\n\n#endif\n");
}

void smc_emit_header(smc_ctx *ctx, sm_buf *b)
{
    smc_out_run(ctx, header, b);
}
