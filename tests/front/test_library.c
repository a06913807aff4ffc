/*
 * test_library.c: the front end and the checker as the library that a
 * formatter, a language server or a migration differ links, without the
 * emitters (this program links only smc_check): two schemas checked side
 * by side in one process and compared, sources from memory through the
 * overlay (an editor's unsaved buffers, imports included), and running
 * out of memory reported in the context instead of ending the process,
 * at every budget from nothing to enough.
 */
#include "map.h"
#include "sema.h"

#include <setjmp.h> /* cmocka needs it */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

/* ---- Helpers ------------------------------------------------------------------ */

typedef struct schema {
    smc_ctx ctx;
    smc_file *file;
    bool ok;
} schema;

/* Loads path (from the overlay or the disk), parses and checks it. */
static void load(schema *s, const char *path)
{
    int id = smc_source_load(&s->ctx, path, NULL);
    s->file = id >= 0 ? smc_parse_file(&s->ctx, (uint32_t)id) : NULL;
    s->ok = s->file && smc_check(&s->ctx, s->file);
}

static const char *diags(smc_ctx *ctx, sm_buf *b)
{
    sm_buf_reset(b);
    smc_diag_render_text(ctx, b);
    return b->data ? b->data : "";
}

/* "Hero(id,name) Team(id,name)": the tables of a checked schema. */
static char *tables(const smc_sema *s)
{
    sm_buf b = SM_BUF_INIT;
    for (uint32_t i = 0; i < s->ntables; i++) {
        const smc_model *t = s->tables[i];
        sm_buf_printf(&b, "%s%s(", i ? " " : "", t->name);
        for (uint32_t k = 0; k < t->ncols; k++)
            sm_buf_printf(&b, "%s%s", k ? "," : "", t->cols[k]->name);
        sm_buf_putc(&b, ')');
    }
    return b.data ? b.data : strdup("");
}

/* What a migration differ would say: tables and columns added and
 * dropped from `old` to `new`, found by name. */
static char *diff(const smc_sema *old, const smc_sema *new)
{
    sm_buf b = SM_BUF_INIT;
    for (uint32_t i = 0; i < new->ntables; i++) {
        const smc_model *t = new->tables[i], *o = NULL;
        for (uint32_t k = 0; k < old->ntables && !o; k++)
            if (strcmp(old->tables[k]->name, t->name) == 0)
                o = old->tables[k];
        if (!o) {
            sm_buf_printf(&b, "+table %s\n", t->name);
            continue;
        }
        for (uint32_t k = 0; k < t->ncols; k++)
            if (!smc_find_col(o, t->cols[k]->name))
                sm_buf_printf(&b, "+%s.%s\n", t->name, t->cols[k]->name);
        for (uint32_t k = 0; k < o->ncols; k++)
            if (!smc_find_col(t, o->cols[k]->name))
                sm_buf_printf(&b, "-%s.%s\n", t->name, o->cols[k]->name);
    }
    for (uint32_t i = 0; i < old->ntables; i++) {
        bool kept = false;
        for (uint32_t k = 0; k < new->ntables; k++)
            kept |= strcmp(old->tables[i]->name, new->tables[k]->name) == 0;
        if (!kept)
            sm_buf_printf(&b, "-table %s\n", old->tables[i]->name);
    }
    return b.data ? b.data : strdup("");
}

static const char v1[] = "module shop;\n"
                         "table Hero {\n"
                         "    id: int @pk @auto;\n"
                         "    name: text;\n"
                         "    nickname: text?;\n"
                         "}\n"
                         "table Team {\n"
                         "    id: int @pk @auto;\n"
                         "    name: text;\n"
                         "}\n"
                         "query heroes() -> [Hero] { select Hero order by name }\n";

static const char v2[] = "module shop;\n"
                         "enum Power { flight, speed }\n"
                         "table Hero {\n"
                         "    id: int @pk @auto;\n"
                         "    name: text;\n"
                         "    power: Power = flight;\n"
                         "}\n"
                         "table Mission {\n"
                         "    id: int @pk @auto;\n"
                         "    hero_id: int @fk(Hero.id);\n"
                         "}\n"
                         "query heroes(p: Power) -> [Hero] { select Hero where power == :p }\n";

/* ---- Several schemas at once ----------------------------------------------------- */

static void test_two_schemas_side_by_side(void **state)
{
    (void)state;
    schema *old = calloc(1, sizeof *old), *new = calloc(1, sizeof *new);
    schema *again = calloc(1, sizeof *again);
    assert_non_null(old);
    assert_non_null(new);
    assert_non_null(again);
    smc_ctx_init(&old->ctx);
    smc_ctx_init(&new->ctx);
    smc_ctx_init(&again->ctx);
    /* Interleaved: each step of one schema between steps of the other. */
    assert_true(smc_overlay_set(&old->ctx, "shop.smdl", v1, sizeof v1 - 1));
    assert_true(smc_overlay_set(&new->ctx, "shop.smdl", v2, sizeof v2 - 1));
    int a = smc_source_load(&old->ctx, "shop.smdl", NULL);
    int b = smc_source_load(&new->ctx, "shop.smdl", NULL);
    assert_int_equal(a, 0);
    assert_int_equal(b, 0);
    old->file = smc_parse_file(&old->ctx, 0);
    new->file = smc_parse_file(&new->ctx, 0);
    assert_non_null(old->file);
    assert_non_null(new->file);
    assert_true(smc_check(&new->ctx, new->file));
    assert_true(smc_check(&old->ctx, old->file));

    char *t1 = tables(old->ctx.sema), *t2 = tables(new->ctx.sema);
    assert_string_equal(t1, "Hero(id,name,nickname) Team(id,name)");
    assert_string_equal(t2, "Hero(id,name,power) Mission(id,hero_id)");
    char *d = diff(old->ctx.sema, new->ctx.sema);
    assert_string_equal(d, "+Hero.power\n-Hero.nickname\n+table Mission\n-table Team\n");
    free(d);

    /* The same text checked in a third context gives an equal schema made
     * of its own objects. */
    assert_true(smc_overlay_set(&again->ctx, "shop.smdl", v1, sizeof v1 - 1));
    load(again, "shop.smdl");
    assert_true(again->ok);
    char *t3 = tables(again->ctx.sema);
    assert_string_equal(t3, t1);
    assert_ptr_not_equal(again->ctx.sema->tables[0], old->ctx.sema->tables[0]);
    assert_ptr_not_equal(again->ctx.sema->tables[0]->cols[0], old->ctx.sema->tables[0]->cols[0]);

    /* Freeing one leaves the others whole. */
    smc_ctx_free(&old->ctx);
    char *t2b = tables(new->ctx.sema), *t3b = tables(again->ctx.sema);
    assert_string_equal(t2b, t2);
    assert_string_equal(t3b, t1);
    assert_int_equal(new->ctx.sema->nqueries, 1);
    assert_ptr_equal(new->ctx.sema->queries[0]->row, new->ctx.sema->tables[0]);
    free(t1);
    free(t2);
    free(t3);
    free(t2b);
    free(t3b);
    smc_ctx_free(&new->ctx);
    smc_ctx_free(&again->ctx);
    free(old);
    free(new);
    free(again);
}

/* ---- Sources from memory --------------------------------------------------------- */

typedef struct norm_job {
    const char *in;
    char *out;
} norm_job;

static void normalize(smc_ctx *ctx, void *arg)
{
    norm_job *j = arg;
    j->out = smc_path_normalize(ctx, j->in);
}

static void test_path_normalize(void **state)
{
    (void)state;
    smc_ctx ctx;
    smc_ctx_init(&ctx);
    static const char *const cases[][2] = {
        {"a/./b//c", "a/b/c"},     {"a/x/../b", "a/b"},    {"/../a", "/a"},
        {"../a/../b", "../b"},     {"", "."},              {"./", "."},
        {"a/..", "."},             {"/", "/"},             {"a/b/../../..", ".."},
        {"//x///y/", "/x/y"},      {"../../a", "../../a"}, {"/a/b/../../../c", "/c"},
        {"x/../../y", "../y"},     {"..", ".."},           {"a/.b/..c", "a/.b/..c"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        norm_job j = {cases[i][0], NULL};
        assert_true(smc_guarded(&ctx, normalize, &j));
        if (strcmp(j.out, cases[i][1]) != 0)
            fail_msg("normalize('%s') = '%s', expected '%s'", cases[i][0], j.out, cases[i][1]);
    }
    smc_ctx_free(&ctx);
}

/* An editor's buffers only: the file and its imports exist nowhere on
 * disk, and are found through the same rules as files. */
static void test_overlay_imports(void **state)
{
    (void)state;
    schema *s = calloc(1, sizeof *s);
    assert_non_null(s);
    smc_ctx_init(&s->ctx);
    static const char app[] = "module app;\n"
                              "import \"types.smdl\";\n"
                              "import \"../lib/base.smdl\";\n"
                              "table Hero : Named {\n"
                              "    id: int @pk @auto;\n"
                              "    mail: email;\n"
                              "}\n";
    static const char types[] = "module types;\ntype email = text @max_len(254);\n";
    static const char base[] = "module base;\nmodel Named { name: text; }\n";
    /* Paths as an editor may spell them: normalised before comparing. */
    assert_true(smc_overlay_set(&s->ctx, "/nowhere/app/app.smdl", app, sizeof app - 1));
    assert_true(smc_overlay_set(&s->ctx, "/nowhere/app/./types.smdl", types, sizeof types - 1));
    assert_true(smc_overlay_set(&s->ctx, "/nowhere/x/../lib//base.smdl", base, sizeof base - 1));
    load(s, "/nowhere/app/app.smdl");
    sm_buf b = SM_BUF_INIT;
    if (!s->ok)
        fail_msg("%s", diags(&s->ctx, &b));
    const smc_sema *sm = s->ctx.sema;
    assert_int_equal(sm->nimports, 2);
    assert_string_equal(s->ctx.files[sm->imports[0]->source]->path, "/nowhere/app/types.smdl");
    assert_string_equal(s->ctx.files[sm->imports[1]->source]->path, "/nowhere/lib/base.smdl");
    char *t = tables(sm);
    assert_string_equal(t, "Hero(name,id,mail)");
    free(t);
    assert_int_equal(sm->tables[0]->cols[2]->max_len, 254);

    /* An import in neither the overlay nor the disk. */
    schema *m = calloc(1, sizeof *m);
    assert_non_null(m);
    smc_ctx_init(&m->ctx);
    static const char lost[] = "module lost;\nimport \"gone.smdl\";\nmodel A { x: int; }\n";
    assert_true(smc_overlay_set(&m->ctx, "/nowhere/lost.smdl", lost, sizeof lost - 1));
    load(m, "/nowhere/lost.smdl");
    assert_false(m->ok);
    assert_string_equal(diags(&m->ctx, &b),
                        "/nowhere/lost.smdl:2:8: error: cannot find imported file 'gone.smdl' [E0103]\n"
                        "import \"gone.smdl\";\n"
                        "       ^~~~~~~~~~~\n"
                        "/nowhere/lost.smdl:2:8: note: looked next to '/nowhere/lost.smdl' and in the "
                        "standard library\n");
    sm_buf_free(&b);
    smc_ctx_free(&s->ctx);
    smc_ctx_free(&m->ctx);
    free(s);
    free(m);
}

/* Unsaved changes win over the file on disk; setting a path again
 * replaces its text. */
static void test_overlay_over_disk(void **state)
{
    (void)state;
    char dir[] = "/tmp/smc-overlay-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[64];
    snprintf(path, sizeof path, "%s/disk.smdl", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("this is not smdl\n", f);
    fclose(f);

    schema *s = calloc(1, sizeof *s);
    assert_non_null(s);
    smc_ctx_init(&s->ctx);
    static const char first[] = "module disk;\nmodel A { x: int; }\n";
    static const char second[] = "module disk;\nmodel B { y: text; }\n";
    assert_true(smc_overlay_set(&s->ctx, path, first, sizeof first - 1));
    assert_true(smc_overlay_set(&s->ctx, path, second, sizeof second - 1));
    size_t n = 0;
    const char *text = smc_overlay_get(&s->ctx, path, &n);
    assert_non_null(text);
    assert_int_equal(n, sizeof second - 1);
    assert_memory_equal(text, second, n);
    assert_null(smc_overlay_get(&s->ctx, "/nowhere/else.smdl", &n));
    assert_int_equal(n, 0);
    load(s, path);
    assert_true(s->ok);
    assert_int_equal(s->ctx.sema->nmodels, 1);
    assert_string_equal(s->ctx.sema->models[0]->name, "B");
    smc_ctx_free(&s->ctx);

    /* Without an overlay the disk is read. */
    smc_ctx_init(&s->ctx);
    load(s, path);
    assert_false(s->ok);
    smc_ctx_free(&s->ctx);
    free(s);
    assert_int_equal(remove(path), 0);
    assert_int_equal(rmdir(dir), 0);
}

/* ---- Out of memory -------------------------------------------------------------------- */

static const char big[] =
    "module big;\n"
    "import \"std.smdl\";\n"
    "type name = text @min_len(1) @max_len(100) @pattern(\"^[A-Za-z ]+$\");\n"
    "enum Power { flight, strength, speed }\n"
    "model HeroBase {\n"
    "    name: name @index;\n"
    "    age: int? @ge(0) @le(200);\n"
    "    power: Power = flight;\n"
    "    team_id: int? @fk(Team.id, on_delete: set_null);\n"
    "}\n"
    "table Hero : HeroBase, Stamped {\n"
    "    id: int @pk @auto;\n"
    "    team: Team? @rel(team_id);\n"
    "    teams: [Team] @rel(through: Link);\n"
    "}\n"
    "table Team {\n"
    "    id: int @pk @auto;\n"
    "    name: text @unique;\n"
    "    heroes: [Hero] @rel(Hero.team_id);\n"
    "    check (length(name) > 0);\n"
    "}\n"
    "table Link {\n"
    "    hero_id: int @pk @fk(Hero.id);\n"
    "    team_id: int @pk @fk(Team.id);\n"
    "}\n"
    "model HeroCreate : HeroBase {}\n"
    "model HeroUpdate = partial HeroBase;\n"
    "query older(min: int, n: int) -> [Hero] { select Hero where age > :min order by name limit :n }\n"
    "query sizes() -> [TeamSize] {\n"
    "    select Team.name, count(Hero.id) as heroes from Team left join Hero group by Team.name\n"
    "}\n"
    "query of(team: text?) -> [Hero] { select Hero join Team where Team.name == :team? }\n"
    "query rename(old: text, new: text) -> exec { update Team set name = :new where name == :old }\n"
    "query add(name: text) -> exec { insert Team (name) values (:name) }\n"
    "row One { n: int; }\n"
    "query one() -> [One] sql \"SELECT \" \"1 \" \"AS n\";\n";

static const char big_std[] = "module std;\nmodel Stamped @mixin { created: datetime = now(); }\n";

/* One attempt under a budget; returns whether it ran out of memory. */
static bool attempt(size_t budget, const char *text, size_t len, size_t *used)
{
    schema *s = calloc(1, sizeof *s);
    assert_non_null(s);
    smc_ctx_init(&s->ctx);
    s->ctx.max_bytes = budget;
    bool set = smc_overlay_set(&s->ctx, "/mem/big.smdl", text, len) &&
               smc_overlay_set(&s->ctx, "/mem/std.smdl", big_std, sizeof big_std - 1);
    if (set)
        load(s, "/mem/big.smdl");
    bool oom = s->ctx.oom;
    sm_buf b = SM_BUF_INIT;
    if (oom) {
        /* Every stage failed cleanly and says why, in both renderings. */
        assert_false(s->ok);
        assert_non_null(strstr(diags(&s->ctx, &b), "error: out of memory"));
        assert_non_null(strstr(b.data, "[E0012]\n"));
        sm_buf_reset(&b);
        smc_diag_render_json(&s->ctx, &b);
        assert_non_null(strstr(b.data, "\"code\":\"E0012\""));
        /* A context that ran out stays failed: nothing more runs in it. */
        assert_int_equal(smc_source_add(&s->ctx, "more.smdl", "x", 1), -1);
        assert_null(smc_parse_file(&s->ctx, 0));
    } else if (!s->ok) {
        fail_msg("budget %zu: %s", budget, diags(&s->ctx, &b));
    }
    assert_true(!s->ctx.max_bytes || s->ctx.used_bytes <= s->ctx.max_bytes);
    *used = s->ctx.used_bytes;
    sm_buf_free(&b);
    smc_ctx_free(&s->ctx);
    free(s);
    return oom;
}

/* From no memory at all to enough, in 400 steps: every stage (the
 * overlay, loading, the parser, the checker) meets the end of its
 * budget somewhere, and each must stop with the error, free what it
 * holds outside the arena (AddressSanitizer's leak check in the
 * sanitizer build) and never crash. */
static void test_out_of_memory_everywhere(void **state)
{
    (void)state;
    size_t need;
    assert_false(attempt(0, big, sizeof big - 1, &need));
    assert_true(need > 10000);
    size_t failed = 0;
    for (size_t k = 0; k < 400; k++) {
        size_t used;
        size_t budget = 1 + need * k / 400;
        failed += attempt(budget, big, sizeof big - 1, &used);
    }
    assert_int_equal(failed, 400); /* below what the schema needs, each one fails */
    size_t used;
    assert_false(attempt(need, big, sizeof big - 1, &used));
    assert_int_equal(used, need);
}

/* A syntax error under a budget: the message is built on the heap
 * first, and must be freed when recording it runs out. */
static void test_out_of_memory_syntax_error(void **state)
{
    (void)state;
    static const char bad[] = "module bad;\ntable T { id: int @pk }\n";
    for (size_t budget = 1; budget < 20000; budget += 97) {
        smc_ctx ctx;
        smc_ctx_init(&ctx);
        ctx.max_bytes = budget;
        int id = smc_source_add(&ctx, "bad.smdl", bad, sizeof bad - 1);
        smc_file *f = id >= 0 ? smc_parse_file(&ctx, (uint32_t)id) : NULL;
        /* Either it ran out, or the file comes back with its error. */
        if (f)
            assert_true(f->parse_errors && !f->decls && ctx.nerrors == 1 && !ctx.oom);
        else
            assert_true(ctx.oom);
        smc_ctx_free(&ctx);
    }
}

/* ---- Recovery points ---------------------------------------------------------------------- */

static void overspend(smc_ctx *ctx, void *arg)
{
    (void)arg;
    for (;;)
        smc_alloc(ctx, 1000);
}

static void inner_then_more(smc_ctx *ctx, void *arg)
{
    int *steps = arg;
    (*steps)++;
    bool ok = smc_guarded(ctx, overspend, NULL);
    assert_false(ok);
    (*steps)++;
    smc_oom_unwind(ctx); /* continues to the outer guard */
    (*steps)++;          /* not reached */
}

static void never(smc_ctx *ctx, void *arg)
{
    (void)ctx;
    *(int *)arg = 1;
}

static void test_guards_nest(void **state)
{
    (void)state;
    smc_ctx ctx;
    smc_ctx_init(&ctx);
    ctx.max_bytes = 100000;
    int steps = 0;
    assert_false(smc_guarded(&ctx, inner_then_more, &steps));
    assert_int_equal(steps, 2);
    assert_true(ctx.oom);
    assert_null(ctx.recover);
    assert_true(ctx.used_bytes <= 100000);
    /* Once out of memory, a guarded call does not run at all. */
    int ran = 0;
    assert_false(smc_guarded(&ctx, never, &ran));
    assert_int_equal(ran, 0);
    smc_ctx_free(&ctx);
}

/* ---- Growing arrays --------------------------------------------------------------------------- */

typedef struct grow_job {
    uint32_t *a, *b, *c;
    size_t n;
} grow_job;

static void grow_three(smc_ctx *ctx, void *arg)
{
    grow_job *j = arg;
    /* Three lists growing in turn, as the emitters grow theirs. */
    for (; j->n < 100000; j->n++) {
        j->a = smc_grow(ctx, j->a, j->n, sizeof *j->a);
        j->b = smc_grow(ctx, j->b, j->n, sizeof *j->b);
        j->c = smc_grow(ctx, j->c, j->n, sizeof *j->c);
        j->a[j->n] = (uint32_t)j->n;
        j->b[j->n] = (uint32_t)j->n * 2;
        j->c[j->n] = (uint32_t)j->n * 3;
    }
}

/* Appending n items costs O(n) memory: each list doubles when full, so
 * the arena holds less than four times the final lists (and the table of
 * capacities), where copying on every append held n^2 / 2. */
static void test_grow_is_linear(void **state)
{
    (void)state;
    smc_ctx ctx;
    smc_ctx_init(&ctx);
    grow_job j = {NULL, NULL, NULL, 0};
    assert_true(smc_guarded(&ctx, grow_three, &j));
    for (size_t i = 0; i < j.n; i++) {
        assert_int_equal(j.a[i], i);
        assert_int_equal(j.b[i], 2 * i);
        assert_int_equal(j.c[i], 3 * i);
    }
    size_t lists = 3 * j.n * sizeof(uint32_t);
    assert_true(ctx.used_bytes < 4 * lists + 64 * 1024);
    smc_ctx_free(&ctx);
}

/* Every C keyword is found, whatever the order of the checker's list
 * (it is searched by halves), and names near one are not. */
static void test_c_keywords(void **state)
{
    (void)state;
    static const char *const words[] = {
        "auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else",
        "enum", "extern", "float", "for", "goto", "if", "inline", "int", "long", "register",
        "restrict", "return", "short", "signed", "sizeof", "static", "struct", "switch",
        "typedef", "union", "unsigned", "void", "volatile", "while", "bool", "true", "false",
        "nullptr", "alignas", "alignof", "constexpr", "static_assert", "thread_local", "typeof",
        "typeof_unqual", "and", "and_eq", "asm", "bitand", "bitor", "catch", "char8_t",
        "char16_t", "char32_t", "class", "compl", "concept", "consteval", "constinit",
        "const_cast", "co_await", "co_return", "co_yield", "decltype", "delete",
        "dynamic_cast", "explicit", "export", "friend", "mutable", "namespace", "new",
        "noexcept", "not", "not_eq", "operator", "or", "or_eq", "private", "protected",
        "public", "reinterpret_cast", "requires", "static_cast", "template", "this", "throw",
        "try", "typeid", "typename", "using", "virtual", "wchar_t", "xor", "xor_eq", "NULL",
        "offsetof", "size_t", "int64_t", "int32_t", "int16_t", "uint8_t", "uint32_t", "errno",
        "assert",
    };
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (!smc_c_keyword(words[i]))
            fail_msg("'%s' is not taken for a C keyword", words[i]);
    static const char *const others[] = {"", "a", "Auto", "null", "autos", "int8_t", "xor_eqs",
                                         "zzz", "_", "ASSERT", "T1_get", "older1"};
    for (size_t i = 0; i < sizeof others / sizeof *others; i++)
        if (smc_c_keyword(others[i]))
            fail_msg("'%s' is taken for a C keyword", others[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_two_schemas_side_by_side),
        cmocka_unit_test(test_path_normalize),
        cmocka_unit_test(test_overlay_imports),
        cmocka_unit_test(test_overlay_over_disk),
        cmocka_unit_test(test_out_of_memory_everywhere),
        cmocka_unit_test(test_out_of_memory_syntax_error),
        cmocka_unit_test(test_guards_nest),
        cmocka_unit_test(test_grow_is_linear),
        cmocka_unit_test(test_c_keywords),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
