/*
 * test_parse_decl.c: the parser on declarations.  Each test parses a
 * snippet and asserts the shape of the tree the builders made: kinds,
 * names, types, attributes with labelled arguments, bodies in source
 * order, partial models, enums, keywords used as names, comments, and
 * the span of every node that has one.
 */
#include "front.h"

#include <stdio.h>
#include <string.h>

static void test_module_and_imports(void **state)
{
    fx *f = *state;
    smc_file *file = fx_parse_ok(f, "// leading comment\n"
                                    "/* and a block */\n"
                                    "module heroes @doc(\"the heroes\");\n"
                                    "import \"std/types.smdl\";\n"
                                    "import \"a\" \"/b.smdl\";\n");
    assert_string_equal(file->module.s, "heroes");
    assert_string_equal(fx_text(f, file->module.span), "heroes");
    assert_string_equal(fx_text(f, file->module_span), "module heroes @doc(\"the heroes\");");
    assert_non_null(file->module_attrs);
    assert_string_equal(file->module_attrs->name.s, "doc");
    assert_int_equal(file->source, 0);
    assert_ptr_equal(f->ctx.files[0]->ast, file);
    /* The module is not a declaration; imports are, in order. */
    smc_decl *d = fx_decl(file, 0);
    assert_int_equal(d->kind, SMC_D_IMPORT);
    assert_string_equal(d->name.s, "std/types.smdl");
    assert_string_equal(fx_text(f, d->name.span), "\"std/types.smdl\"");
    assert_string_equal(fx_text(f, d->span), "import \"std/types.smdl\";");
    assert_ptr_equal(d->file, file);
    d = d->next;
    assert_int_equal(d->kind, SMC_D_IMPORT);
    assert_string_equal(d->name.s, "a/b.smdl");
    assert_string_equal(fx_text(f, d->name.span), "\"a\" \"/b.smdl\"");
    assert_null(d->next);
    /* Comments are kept, with their spans and kinds. */
    smc_comment *c = file->comments;
    assert_non_null(c);
    assert_string_equal(fx_text(f, c->span), "// leading comment");
    assert_false(c->block);
    c = c->next;
    assert_non_null(c);
    assert_string_equal(fx_text(f, c->span), "/* and a block */");
    assert_true(c->block);
    assert_null(c->next);
    assert_true(file->ntokens > 10);
}

static void test_comments_everywhere(void **state)
{
    fx *f = *state;
    smc_file *file = fx_parse_ok(f, "module /* a */ m; // b\n"
                                    "table T { // c\n"
                                    "  id /* d */ : int @pk; /* e\n"
                                    "  still e */\n"
                                    "} // f");
    const char *want[] = {"/* a */", "// b", "// c", "/* d */", "/* e\n  still e */", "// f"};
    size_t n = 0;
    for (smc_comment *c = file->comments; c; c = c->next, n++) {
        assert_true(n < 6);
        assert_string_equal(fx_text(f, c->span), want[n]);
        assert_int_equal(c->block, want[n][1] == '*');
    }
    assert_int_equal(n, 6);
    assert_string_equal(fx_text(f, fx_field(fx_decl(file, 0), 0)->span),
                        "id /* d */ : int @pk;");
}

static void test_type_declaration(void **state)
{
    fx *f = *state;
    smc_file *file = fx_parse_ok(
        f, "module m;\ntype email = text @max_len(254) @pattern(\"^[^@ ]+@[^@ ]+$\");\n"
           "type money = decimal(12, 2)?;\n");
    smc_decl *d = fx_decl(file, 0);
    assert_int_equal(d->kind, SMC_D_TYPE);
    assert_string_equal(d->name.s, "email");
    assert_string_equal(d->alias->name.s, "text");
    assert_false(d->alias->nullable);
    assert_false(d->alias->list);
    assert_string_equal(fx_text(f, d->alias->span), "text");
    smc_attr *a = d->attrs;
    assert_string_equal(a->name.s, "max_len");
    assert_int_equal(a->nargs, 1);
    assert_int_equal(a->args->value->kind, SMC_EX_INT);
    assert_int_equal(a->args->value->ival, 254);
    a = a->next;
    assert_string_equal(a->name.s, "pattern");
    assert_string_equal(a->args->value->sval, "^[^@ ]+@[^@ ]+$");
    assert_null(a->next);
    assert_string_equal(fx_text(f, d->span),
                        "type email = text @max_len(254) @pattern(\"^[^@ ]+@[^@ ]+$\");");
    d = d->next;
    assert_string_equal(d->alias->name.s, "decimal");
    assert_true(d->alias->has_args);
    assert_true(d->alias->nullable);
    assert_string_equal(fx_text(f, d->alias->span), "decimal(12, 2)?");
    assert_true(d->alias->args->is_int);
    assert_int_equal(d->alias->args->ival, 12);
    assert_int_equal(d->alias->args->next->ival, 2);
    assert_string_equal(fx_text(f, d->alias->args->next->span), "2");
    assert_null(d->attrs);
}

static void test_enums(void **state)
{
    fx *f = *state;
    smc_file *file = fx_parse_ok(f, "module m;\n"
                                    "enum Power { flight, strength, speed }\n"
                                    "enum Trailing @doc(\"x\") { a @doc(\"first\"), b, }\n"
                                    "enum One { only }\n"
                                    "enum Words { asc, desc, left, order, key, table }\n");
    smc_decl *d = fx_decl(file, 0);
    assert_int_equal(d->kind, SMC_D_ENUM);
    assert_string_equal(d->name.s, "Power");
    assert_int_equal(d->nmembers, 3);
    const char *names[] = {"flight", "strength", "speed"};
    uint32_t i = 0;
    for (smc_member *m = d->members; m; m = m->next, i++) {
        assert_string_equal(m->name.s, names[i]);
        assert_int_equal(m->index, i);
        assert_null(m->attrs);
    }
    assert_string_equal(fx_text(f, d->span), "enum Power { flight, strength, speed }");
    assert_string_equal(fx_text(f, d->members->next->name.span), "strength");
    /* A trailing comma is allowed; attributes on the enum and members. */
    d = d->next;
    assert_int_equal(d->nmembers, 2);
    assert_string_equal(d->attrs->name.s, "doc");
    assert_string_equal(d->members->attrs->args->value->sval, "first");
    assert_null(d->members->next->attrs);
    assert_string_equal(fx_text(f, d->span), "enum Trailing @doc(\"x\") { a @doc(\"first\"), b, }");
    d = d->next;
    assert_int_equal(d->nmembers, 1);
    d = d->next;
    assert_int_equal(d->nmembers, 6);
    assert_string_equal(d->members->next->next->next->name.s, "order");
    /* Empty enums, a lone comma and two commas are syntax errors. */
    fx_parse_fail(f, "module m;\nenum E {}\n");
    fx_parse_fail(f, "module m;\nenum E { , }\n");
    fx_parse_fail(f, "module m;\nenum E { a,, b }\n");
    fx_parse_fail(f, "module m;\nenum E { a b }\n");
}

static void test_models_and_tables(void **state)
{
    fx *f = *state;
    smc_file *file = fx_parse_ok(f, "module m;\n"
                                    "model HeroBase {\n"
                                    "    name: text @index @max_len(100);\n"
                                    "    age: int? @index @ge(0) @le(200);\n"
                                    "}\n"
                                    "table Hero : HeroBase, Stamped @table(\"heroes\") {\n"
                                    "    id: int @pk @auto;\n"
                                    "    index (name, age);\n"
                                    "    team: Team? @rel(team_id);\n"
                                    "    unique (name);\n"
                                    "    check (age > 0 and age < 300);\n"
                                    "    primary key (id, name);\n"
                                    "    teams: [Team] @rel(through: HeroTeamLink);\n"
                                    "}\n"
                                    "model Empty {}\n"
                                    "row TopTeam { name: text; heroes: int; }\n");
    smc_decl *d = fx_decl(file, 0);
    assert_int_equal(d->kind, SMC_D_MODEL);
    assert_false(d->is_table);
    assert_null(d->bases);
    assert_string_equal(fx_text(f, d->body_span), "{\n    name: text @index @max_len(100);\n"
                                                  "    age: int? @index @ge(0) @le(200);\n}");
    smc_field *fl = fx_field(d, 1);
    assert_string_equal(fl->name.s, "age");
    assert_true(fl->type->nullable);
    assert_string_equal(fx_text(f, fl->type->span), "int?");
    assert_ptr_equal(fl->owner, d);
    assert_null(fl->deflt);
    assert_non_null(fx_attr(fl->attrs, "ge"));
    assert_int_equal(fx_attr(fl->attrs, "le")->args->value->ival, 200);

    d = d->next;
    assert_true(d->is_table);
    assert_string_equal(d->name.s, "Hero");
    assert_string_equal(fx_idents(f, d->bases), "HeroBase Stamped");
    assert_string_equal(fx_text(f, d->bases->next->name.span), "Stamped");
    assert_string_equal(d->attrs->name.s, "table");
    assert_null(d->partial_of.s);
    /* Items keep the source order; fields and constraints are also
     * listed apart, each in order. */
    const char *order = "FCFCCCF";
    size_t k = 0;
    for (smc_item *it = d->items; it; it = it->next, k++) {
        assert_true(k < strlen(order));
        assert_true((it->field != NULL) == (order[k] == 'F'));
        assert_true((it->constraint != NULL) == (order[k] == 'C'));
    }
    assert_int_equal(k, strlen(order));
    assert_string_equal(fx_field(d, 0)->name.s, "id");
    assert_string_equal(fx_field(d, 1)->name.s, "team");
    assert_string_equal(fx_field(d, 2)->name.s, "teams");
    assert_null(fx_field(d, 2)->next);
    smc_constraint *c = d->constraints;
    assert_int_equal(c->kind, SMC_C_INDEX);
    assert_string_equal(fx_idents(f, c->cols), "name age");
    assert_string_equal(fx_text(f, c->span), "index (name, age);");
    c = c->next;
    assert_int_equal(c->kind, SMC_C_UNIQUE);
    assert_string_equal(fx_idents(f, c->cols), "name");
    c = c->next;
    assert_int_equal(c->kind, SMC_C_CHECK);
    assert_null(c->cols);
    assert_string_equal(fx_sexp(f, c->check), "(and (> age 0) (< age 300))");
    assert_string_equal(fx_text(f, c->span), "check (age > 0 and age < 300);");
    c = c->next;
    assert_int_equal(c->kind, SMC_C_PRIMARY_KEY);
    assert_string_equal(fx_idents(f, c->cols), "id name");
    assert_string_equal(fx_text(f, c->span), "primary key (id, name);");
    assert_null(c->next);
    /* Relationship types. */
    fl = fx_field(d, 2);
    assert_true(fl->type->list);
    assert_string_equal(fl->type->name.s, "Team");
    assert_string_equal(fx_text(f, fl->type->span), "[Team]");
    smc_arg *g = fl->attrs->args;
    assert_string_equal(g->label.s, "through");
    assert_string_equal(fx_text(f, g->span), "through: HeroTeamLink");
    assert_string_equal(fx_sexp(f, g->value), "HeroTeamLink");

    d = d->next;
    assert_string_equal(d->name.s, "Empty");
    assert_null(d->items);
    assert_null(d->fields);
    assert_string_equal(fx_text(f, d->span), "model Empty {}");
    d = d->next;
    assert_int_equal(d->kind, SMC_D_ROW);
    assert_string_equal(fx_field(d, 1)->name.s, "heroes");
    assert_string_equal(fx_text(f, d->span), "row TopTeam { name: text; heroes: int; }");
    assert_null(d->next);
}

static void test_partial_models(void **state)
{
    fx *f = *state;
    smc_file *file = fx_parse_ok(f, "module m;\n"
                                    "model HeroUpdate = partial HeroBase;\n"
                                    "model Strict @json(forbid_unknown) = partial HeroBase;\n");
    smc_decl *d = fx_decl(file, 0);
    assert_int_equal(d->kind, SMC_D_MODEL);
    assert_false(d->is_table);
    assert_string_equal(d->partial_of.s, "HeroBase");
    assert_string_equal(fx_text(f, d->partial_of.span), "HeroBase");
    assert_null(d->items);
    assert_null(d->bases);
    assert_string_equal(fx_text(f, d->span), "model HeroUpdate = partial HeroBase;");
    d = d->next;
    assert_string_equal(d->attrs->name.s, "json");
    assert_string_equal(fx_sexp(f, d->attrs->args->value), "forbid_unknown");
    /* Bases make no sense on a copy: reported at the first base. */
    const char *out = fx_parse_fail(f, "module m;\nmodel P : A, B = partial C;\n");
    assert_string_equal(out, "t.smdl:2:11: error: a partial model copies 'C' and has no bases "
                             "of its own [E0314]\n"
                             "model P : A, B = partial C;\n"
                             "          ^\n");
    /* Only models can be partial, and a partial has no body. */
    fx_parse_fail(f, "module m;\ntable P = partial C;\n");
    fx_parse_fail(f, "module m;\nrow P = partial C;\n");
    fx_parse_fail(f, "module m;\nmodel P = partial C { a: int; }\n");
    fx_parse_fail(f, "module m;\nmodel P = partial;\n");
}

static void test_fields_types_and_defaults(void **state)
{
    fx *f = *state;
    smc_file *file = fx_parse_ok(f, "module m;\n"
                                    "model M {\n"
                                    "  power: Power = flight;\n"
                                    "  created_at: datetime = now();\n"
                                    "  price: decimal(10,2)? = -1.25;\n"
                                    "  big: int = -9223372036854775808;\n"
                                    "  on: bool = false;\n"
                                    "  label: text = \"a\" \"b\";\n"
                                    "  nothing: json? = null;\n"
                                    "  tags: [text];\n"
                                    "  order_by: sort(name, age);\n"
                                    "  way: dir?;\n"
                                    "}\n");
    smc_decl *d = fx_decl(file, 0);
    smc_field *fl = fx_field(d, 0);
    assert_string_equal(fx_text(f, fl->span), "power: Power = flight;");
    assert_string_equal(fx_sexp(f, fl->deflt), "flight");
    fl = fl->next;
    assert_string_equal(fx_sexp(f, fl->deflt), "now()");
    assert_int_equal(fl->deflt->nargs, 0);
    assert_string_equal(fx_text(f, fl->deflt->span), "now()");
    fl = fl->next;
    assert_string_equal(fx_text(f, fl->type->span), "decimal(10,2)?");
    assert_true(fl->type->nullable);
    assert_int_equal(fl->deflt->kind, SMC_EX_FLOAT);
    assert_true(fl->deflt->fval == -1.25);
    assert_string_equal(fx_text(f, fl->deflt->span), "-1.25");
    fl = fl->next;
    assert_int_equal(fl->deflt->kind, SMC_EX_INT);
    assert_true(fl->deflt->ival == INT64_MIN);
    assert_int_equal(fl->deflt->op, SMC_OP_NEG);
    assert_string_equal(fx_text(f, fl->deflt->span), "-9223372036854775808");
    fl = fl->next;
    assert_string_equal(fl->name.s, "on");
    assert_string_equal(fx_sexp(f, fl->deflt), "false");
    fl = fl->next;
    assert_string_equal(fx_sexp(f, fl->deflt), "\"ab\"");
    assert_string_equal(fx_text(f, fl->deflt->span), "\"a\" \"b\"");
    fl = fl->next;
    assert_string_equal(fl->name.s, "nothing");
    assert_string_equal(fx_sexp(f, fl->deflt), "null");
    fl = fl->next;
    assert_true(fl->type->list);
    assert_string_equal(fl->type->name.s, "text");
    fl = fl->next;
    assert_string_equal(fl->type->name.s, "sort");
    assert_true(fl->type->has_args);
    assert_false(fl->type->args->is_int);
    assert_string_equal(fl->type->args->name.s, "name");
    assert_string_equal(fl->type->args->next->name.s, "age");
    fl = fl->next;
    assert_string_equal(fl->type->name.s, "dir");
    assert_true(fl->type->nullable);
    assert_false(fl->type->has_args);
    /* Lists are of a plain name only, and take no '?'. */
    fx_parse_fail(f, "module m;\nmodel M { a: [int?]; }\n");
    fx_parse_fail(f, "module m;\nmodel M { a: [int]?; }\n");
    fx_parse_fail(f, "module m;\nmodel M { a: [[int]]; }\n");
    fx_parse_fail(f, "module m;\nmodel M { a: int?? ; }\n");
    fx_parse_fail(f, "module m;\nmodel M { a: decimal(); }\n");
    fx_parse_fail(f, "module m;\nmodel M { a: int = ; }\n");
    fx_parse_fail(f, "module m;\nmodel M { a int; }\n");
}

static void test_attributes_and_labelled_args(void **state)
{
    fx *f = *state;
    smc_file *file = fx_parse_ok(
        f, "module m;\n"
           "table T {\n"
           "  team_id: int? @fk(Team.id, on_delete: set_null, on_update: cascade) @doc();\n"
           "  x: int @pk @check_fn(my_check) @json(\"X\") @gt(-1) @lt(1.5 * 2);\n"
           "}\n");
    smc_field *fl = fx_field(fx_decl(file, 0), 0);
    smc_attr *a = fl->attrs;
    assert_string_equal(a->name.s, "fk");
    assert_string_equal(fx_text(f, a->name.span), "@fk");
    assert_string_equal(fx_text(f, a->span),
                        "@fk(Team.id, on_delete: set_null, on_update: cascade)");
    assert_true(a->has_parens);
    assert_int_equal(a->nargs, 3);
    smc_arg *g = a->args;
    assert_null(g->label.s);
    assert_string_equal(fx_sexp(f, g->value), "Team.id");
    assert_string_equal(fx_text(f, g->span), "Team.id");
    g = g->next;
    assert_string_equal(g->label.s, "on_delete");
    assert_string_equal(fx_text(f, g->label.span), "on_delete");
    assert_string_equal(fx_sexp(f, g->value), "set_null");
    assert_string_equal(fx_text(f, g->span), "on_delete: set_null");
    g = g->next;
    assert_string_equal(g->label.s, "on_update");
    assert_null(g->next);
    a = a->next;
    assert_string_equal(a->name.s, "doc");
    assert_true(a->has_parens);
    assert_int_equal(a->nargs, 0);
    assert_null(a->args);
    assert_string_equal(fx_text(f, a->span), "@doc()");
    assert_null(a->next);

    a = fl->next->attrs;
    assert_string_equal(a->name.s, "pk");
    assert_false(a->has_parens);
    assert_string_equal(fx_text(f, a->span), "@pk");
    a = a->next;
    assert_string_equal(fx_sexp(f, a->args->value), "my_check");
    a = a->next;
    assert_string_equal(fx_sexp(f, a->args->value), "\"X\"");
    a = a->next;
    assert_string_equal(fx_sexp(f, a->args->value), "-1");
    a = a->next;
    assert_string_equal(fx_sexp(f, a->args->value), "(* 1.5 2)");
    assert_string_equal(fx_text(f, fl->next->span),
                        "x: int @pk @check_fn(my_check) @json(\"X\") @gt(-1) @lt(1.5 * 2);");
    /* Attributes are parsed the same everywhere, unknown ones included. */
    file = fx_parse_ok(f, "module m @a @b(1);\n"
                          "enum E @c { x @d(k: 1) }\n"
                          "table T @e(x, y: 2, 3) { id: int @whatever(\"z\"); }\n"
                          "query q() -> exec @timeout(250ms) @f { delete T }\n");
    assert_string_equal(fx_decl(file, 2)->attrs->name.s, "timeout");
    assert_string_equal(fx_sexp(f, fx_decl(file, 2)->attrs->args->value), "250ms");
    assert_int_equal(fx_decl(file, 1)->attrs->nargs, 3);
    /* A label is a name followed by ':'; a trailing comma is not allowed. */
    fx_parse_fail(f, "module m;\ntable T { a: int @x(1,); }\n");
    fx_parse_fail(f, "module m;\ntable T { a: int @x(: 1); }\n");
    fx_parse_fail(f, "module m;\ntable T { a: int @x(1: 2); }\n");
    fx_parse_fail(f, "module m;\ntable T { a: int @x(a: ); }\n");
}

/* Every keyword but the few reserved ones is a valid name: of fields,
 * models, enums, members, parameters and columns. */
static void test_keywords_as_names(void **state)
{
    fx *f = *state;
    smc_file *file = fx_parse_ok(f, "module m;\n"
                                    "table T {\n"
                                    "  index: int; order: text; key: int;\n"
                                    "  check: int; primary: int; unique: text;\n"
                                    "  table: int; model: int; type: int; enum: int;\n"
                                    "  from: int; where: int; limit: int; offset: int;\n"
                                    "  on: int; do: int; nothing: int; sql: text;\n"
                                    "  and: int; or: int; is: int; like: int; in: int;\n"
                                    "  index (index, order);\n"
                                    "  unique (key);\n"
                                    "  primary key (primary, key);\n"
                                    "  check (check > 0);\n"
                                    "}\n"
                                    "model order { key: int; }\n"
                                    "table select_ok { id: int; }\n");
    smc_decl *d = fx_decl(file, 0);
    const char *names[] = {"index", "order", "key", "check", "primary", "unique", "table",
                           "model", "type", "enum", "from", "where", "limit", "offset", "on",
                           "do", "nothing", "sql", "and", "or", "is", "like", "in"};
    smc_field *fl = d->fields;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++, fl = fl->next) {
        assert_non_null(fl);
        assert_string_equal(fl->name.s, names[i]);
    }
    assert_null(fl);
    smc_constraint *c = d->constraints;
    assert_string_equal(fx_idents(f, c->cols), "index order");
    assert_string_equal(fx_idents(f, c->next->cols), "key");
    assert_string_equal(fx_idents(f, c->next->next->cols), "primary key");
    assert_string_equal(fx_sexp(f, c->next->next->next->check), "(> check 0)");
    assert_string_equal(fx_decl(file, 1)->name.s, "order");

    /* The reserved words are not names. */
    const char *reserved[] = {"true", "false", "null", "not", "exists", "select", "distinct",
                              "each", "exec"};
    for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++) {
        char src[128];
        snprintf(src, sizeof src, "module m;\ntable T { %s: int; }\n", reserved[i]);
        const char *out = fx_parse_fail(f, src);
        assert_non_null(strstr(out, "[E0009]"));
    }
}

static void test_declaration_spans(void **state)
{
    fx *f = *state;
    smc_file *file = fx_parse_ok(f, "module m;\n"
                                    "table Team @table(\"teams\") {\n"
                                    "  id: int @pk @auto;\n"
                                    "  name: text\n"
                                    "     @unique   @max_len(100) ;\n"
                                    "}\n"
                                    "query q(a: int, b: [text]) -> [Team with heroes] @timeout(5s) {\n"
                                    "  select Team where id == :a\n"
                                    "}\n"
                                    "query r() -> exec sql \"DELETE FROM teams\";\n");
    smc_decl *d = fx_decl(file, 0);
    assert_string_equal(fx_text(f, d->span), "table Team @table(\"teams\") {\n"
                                             "  id: int @pk @auto;\n"
                                             "  name: text\n"
                                             "     @unique   @max_len(100) ;\n"
                                             "}");
    assert_string_equal(fx_text(f, d->name.span), "Team");
    assert_string_equal(fx_text(f, d->attrs->span), "@table(\"teams\")");
    smc_field *fl = fx_field(d, 1);
    assert_string_equal(fx_text(f, fl->span), "name: text\n     @unique   @max_len(100) ;");
    assert_string_equal(fx_text(f, fl->name.span), "name");
    assert_string_equal(fx_text(f, fl->type->span), "text");
    assert_string_equal(fx_text(f, fl->type->name.span), "text");
    assert_string_equal(fx_text(f, fl->attrs->next->span), "@max_len(100)");
    assert_string_equal(fx_text(f, fl->attrs->next->args->span), "100");
    d = d->next;
    assert_string_equal(fx_text(f, d->span),
                        "query q(a: int, b: [text]) -> [Team with heroes] @timeout(5s) {\n"
                        "  select Team where id == :a\n}");
    smc_param *p = d->query->params;
    assert_string_equal(fx_text(f, p->span), "a: int");
    assert_string_equal(fx_text(f, p->next->span), "b: [text]");
    assert_string_equal(fx_text(f, d->query->ret.span), "[Team with heroes]");
    d = d->next;
    assert_string_equal(fx_text(f, d->span), "query r() -> exec sql \"DELETE FROM teams\";");
    assert_string_equal(fx_text(f, d->query->ret.span), "exec");
    assert_string_equal(fx_text(f, d->query->raw->span), "\"DELETE FROM teams\"");
}

/* The example of the language reference, whole. */
static void test_reference_example(void **state)
{
    fx *f = *state;
    static const char src[] =
        "// heroes.smdl\n"
        "module heroes;\n"
        "import \"std/types.smdl\";\n"
        "type email = text @max_len(254) @pattern(\"^[^@ ]+@[^@ ]+$\");\n"
        "enum Power { flight, strength, speed }\n"
        "model HeroBase {\n"
        "    name: text @index @max_len(100);\n"
        "    secret_name: text;\n"
        "    age: int? @index @ge(0) @le(200);\n"
        "    power: Power = flight;\n"
        "    team_id: int? @fk(Team.id, on_delete: set_null);\n"
        "}\n"
        "table Hero : HeroBase {\n"
        "    id: int @pk @auto;\n"
        "    team: Team? @rel(team_id);\n"
        "    teams: [Team] @rel(through: HeroTeamLink);\n"
        "}\n"
        "table Team @table(\"teams\") {\n"
        "    id: int @pk @auto;\n"
        "    name: text @unique @max_len(100);\n"
        "    headquarters: text;\n"
        "    created_at: datetime = now();\n"
        "    heroes: [Hero] @rel(Hero.team_id);\n"
        "    index (name, headquarters);\n"
        "}\n"
        "table HeroTeamLink {\n"
        "    hero_id: int @pk @fk(Hero.id, on_delete: cascade);\n"
        "    team_id: int @pk @fk(Team.id, on_delete: cascade);\n"
        "    is_training: bool = false;\n"
        "}\n"
        "model HeroCreate : HeroBase {}\n"
        "model HeroPublic : HeroBase { id: int; }\n"
        "model HeroUpdate = partial HeroBase;\n"
        "query heroes_older_than(min_age: int, n: int) -> [Hero] {\n"
        "    select Hero where age > :min_age order by name asc limit :n\n"
        "}\n"
        "query hero_by_name(name: text) -> Hero? { select Hero where name == :name }\n"
        "query hero_named(name: text) -> Hero { select Hero where name == :name }\n"
        "query heroes_filtered(name: text?, min_age: int?) -> [Hero] {\n"
        "    select Hero where name == :name? and age >= :min_age?\n"
        "}\n"
        "query heroes_sorted(sort: sort(name, age), dir: dir) -> [Hero] {\n"
        "    select Hero order by :sort :dir, id\n"
        "}\n"
        "query team_sizes() -> [TeamSize] {\n"
        "    select Team.name, count(Hero.id) as heroes from Team left join Hero group by "
        "Team.name\n"
        "}\n"
        "query heroes_of(team: text) -> [Hero] { select Hero join Team where Team.name == :team }\n"
        "query heroes_with_team(min_age: int) -> [Hero with team] { select Hero where age > "
        ":min_age }\n"
        "query heroes_in(ids: [int]) -> [Hero] { select Hero where id in :ids }\n"
        "query count_heroes() -> int { select count() from Hero }\n"
        "query birthday(team: int) -> exec { update Hero set age = age + 1 where team_id == "
        ":team }\n"
        "query purge(max_age: int) -> exec { delete Hero where age < :max_age }\n"
        "query rename_team(old: text, new: text) -> exec @timeout(250ms) {\n"
        "    update Team set name = :new where name == :old\n"
        "}\n"
        "row TopTeam { name: text; heroes: int; }\n"
        "query top_teams(n: int) -> [TopTeam] sql \"SELECT name, 0 AS heroes FROM teams LIMIT ?\";\n";
    smc_file *file = fx_parse_ok(f, src);
    int counts[6] = {0};
    for (smc_decl *d = file->decls; d; d = d->next) {
        assert_true(d->kind <= SMC_D_QUERY);
        counts[d->kind]++;
    }
    assert_int_equal(counts[SMC_D_IMPORT], 1);
    assert_int_equal(counts[SMC_D_TYPE], 1);
    assert_int_equal(counts[SMC_D_ENUM], 1);
    assert_int_equal(counts[SMC_D_MODEL], 7);
    assert_int_equal(counts[SMC_D_ROW], 1);
    assert_int_equal(counts[SMC_D_QUERY], 14);
    assert_string_equal(file->comments ? fx_text(f, file->comments->span) : "",
                        "// heroes.smdl");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_module_and_imports),
        cmocka_unit_test(test_comments_everywhere),
        cmocka_unit_test(test_type_declaration),
        cmocka_unit_test(test_enums),
        cmocka_unit_test(test_models_and_tables),
        cmocka_unit_test(test_partial_models),
        cmocka_unit_test(test_fields_types_and_defaults),
        cmocka_unit_test(test_attributes_and_labelled_args),
        cmocka_unit_test(test_keywords_as_names),
        cmocka_unit_test(test_declaration_spans),
        cmocka_unit_test(test_reference_example),
    };
    return cmocka_run_group_tests(tests, fx_setup, fx_teardown);
}
