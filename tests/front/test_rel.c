/*
 * test_rel.c: what the checker resolves for relationships, as the
 * emitters read it: each shape's kind, FK and the columns a load matches
 * (smc_col.rel_*), the child loads of `with` (smc_qinfo.loads), and
 * files that import each other (smc_file.mutual, smc_decl.imported and
 * .mutual, names seen across the cycle).  Sources come from the overlay.
 */
#include "sema.h"

#include <setjmp.h> /* cmocka needs it */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

typedef struct schema {
    smc_ctx ctx;
    smc_file *file;
    bool ok;
    sm_buf out;
} schema;

/* Checks path, which the overlay (or the disk) holds; fails the test
 * with the diagnostics when it does not check. */
static schema *load(schema *s, const char *path)
{
    int id = smc_source_load(&s->ctx, path, NULL);
    s->file = id >= 0 ? smc_parse_file(&s->ctx, (uint32_t)id) : NULL;
    s->ok = s->file && smc_check(&s->ctx, s->file);
    if (!s->ok) {
        sm_buf b = SM_BUF_INIT;
        smc_diag_render_text(&s->ctx, &b);
        fail_msg("%s", b.data ? b.data : "(no diagnostics)");
    }
    return s;
}

static schema *new_schema(void)
{
    schema *s = calloc(1, sizeof *s);
    assert_non_null(s);
    smc_ctx_init(&s->ctx);
    return s;
}

static void free_schema(schema *s)
{
    sm_buf_free(&s->out);
    smc_ctx_free(&s->ctx);
    free(s);
}

static smc_model *model(schema *s, const char *name)
{
    for (uint32_t i = 0; i < s->ctx.sema->nmodels; i++)
        if (strcmp(s->ctx.sema->models[i]->name, name) == 0)
            return s->ctx.sema->models[i];
    fail_msg("no model %s", name);
    return NULL;
}

static const char *col_name(const smc_col *c)
{
    static char buf[4][128]; /* a few per line of output */
    static int k;
    if (!c)
        return "-";
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s.%s", c->owner->name, c->name);
    return buf[k];
}

/* "ONE rev Team<-Hero.captain_of own=Team.id match=Hero.captain_of". */
static const char *rel(schema *s, const char *m, const char *field)
{
    smc_col *c = smc_find_col(model(s, m), field);
    assert_non_null(c);
    static const char *const kinds[] = {"NONE", "ONE", "MANY", "M2M"};
    sm_buf_reset(&s->out);
    sm_buf_printf(&s->out, "%s%s %s fk=%s own=%s match=%s", kinds[c->rel],
                  c->rel_reverse ? " rev" : "", c->rel_target ? c->rel_target->name : "-",
                  col_name(c->rel_fk), col_name(c->rel_own), col_name(c->rel_match));
    if (c->rel == SMC_REL_M2M)
        sm_buf_printf(&s->out, " through=%s link_own=%s link_target=%s", c->rel_through->name,
                      col_name(c->rel_link_own), col_name(c->rel_link_target));
    return s->out.data;
}

static const char shapes[] =
    "module shapes;\n"
    "table Team {\n"
    "    id: int @pk @auto;\n"
    "    heroes: [Hero] @rel(Hero.team_id);\n"
    "    mentees: [Hero] @rel(Hero.mentor_team_id);\n"
    "    captain: Hero? @rel(Hero.captain_of);\n"
    "    members: [Hero] @rel(through: HeroTeamLink);\n"
    "}\n"
    "table Hero {\n"
    "    id: int @pk @auto;\n"
    "    team_id: int? @fk(Team.id);\n"
    "    mentor_team_id: int? @fk(Team.id);\n"
    "    captain_of: int? @fk(Team.id) @unique;\n"
    "    team: Team? @rel(team_id);\n"
    "    mentor_team: Team? @rel(mentor_team_id);\n"
    "    led: Team? @rel(captain_of);\n"
    "    badge: Badge? @rel;\n"
    "    teams: [Team] @rel(through: HeroTeamLink);\n"
    "    team_links: [HeroTeamLink] @rel;\n"
    "}\n"
    "table Badge {\n"
    "    code: text @pk;\n"
    "    hero_id: int @fk(Hero.id);\n"
    "    unique (hero_id);\n"
    "    hero: Hero @rel;\n"
    "}\n"
    "table HeroTeamLink {\n"
    "    id: int @pk @auto;\n"
    "    hero_id: int @fk(Hero.id);\n"
    "    team_id: int @fk(Team.id);\n"
    "    is_training: bool = false;\n"
    "    note: text?;\n"
    "    hero: Hero @rel;\n"
    "    team: Team @rel;\n"
    "}\n"
    "table Node {\n"
    "    id: int @pk;\n"
    "    parent_id: int? @fk(Node.id);\n"
    "    parent: Node? @rel(parent_id);\n"
    "    children: [Node] @rel(Node.parent_id);\n"
    "    up: Node? @rel;\n"
    "    down: [Node] @rel;\n"
    "    friends: [Node] @rel(a_id, through: Friend, name: friends);\n"
    "    friend_of: [Node] @rel(Friend.b_id, through: Friend, name: friend_of);\n"
    "}\n"
    "table Friend {\n"
    "    a_id: int @pk @fk(Node.id);\n"
    "    b_id: int @pk @fk(Node.id);\n"
    "}\n"
    "query teams() -> [Team with heroes.teams, heroes.team_links.team, captain.badge, heroes.teams.mentees] { select Team }\n"
    "query tree() -> each Node with children.children, parent.parent, friends.friends { select Node }\n"
    "query one() -> Hero? with team, badge { select Hero }\n";

static void test_shapes(void **state)
{
    (void)state;
    schema *s = new_schema();
    assert_true(smc_overlay_set(&s->ctx, "/nowhere/shapes.smdl", shapes, sizeof shapes - 1));
    load(s, "/nowhere/shapes.smdl");
    /* To-one through the owner's FK: look up the FK's value among the
     * referenced column. */
    assert_string_equal(rel(s, "Hero", "team"),
                        "ONE Team fk=Hero.team_id own=Hero.team_id match=Team.id");
    /* Two relationships between one pair, told apart by their FK. */
    assert_string_equal(rel(s, "Hero", "mentor_team"),
                        "ONE Team fk=Hero.mentor_team_id own=Hero.mentor_team_id match=Team.id");
    assert_string_equal(rel(s, "Team", "heroes"),
                        "MANY Hero fk=Hero.team_id own=Team.id match=Hero.team_id");
    assert_string_equal(rel(s, "Team", "mentees"),
                        "MANY Hero fk=Hero.mentor_team_id own=Team.id match=Hero.mentor_team_id");
    /* One-to-one from both sides: the side with the unique FK, and the
     * other side named (Team.captain) or found alone (Hero.badge). */
    assert_string_equal(rel(s, "Hero", "led"),
                        "ONE Team fk=Hero.captain_of own=Hero.captain_of match=Team.id");
    assert_string_equal(rel(s, "Team", "captain"),
                        "ONE rev Hero fk=Hero.captain_of own=Team.id match=Hero.captain_of");
    assert_string_equal(rel(s, "Hero", "badge"),
                        "ONE rev Badge fk=Badge.hero_id own=Hero.id match=Badge.hero_id");
    assert_string_equal(rel(s, "Badge", "hero"),
                        "ONE Hero fk=Badge.hero_id own=Badge.hero_id match=Hero.id");
    /* Many-to-many through a link table with a key and extra columns
     * that _link_ leaves to their defaults. */
    assert_string_equal(rel(s, "Hero", "teams"),
                        "M2M Team fk=- own=Hero.id match=HeroTeamLink.hero_id through=HeroTeamLink "
                        "link_own=HeroTeamLink.hero_id link_target=HeroTeamLink.team_id");
    assert_string_equal(rel(s, "Team", "members"),
                        "M2M Hero fk=- own=Team.id match=HeroTeamLink.team_id through=HeroTeamLink "
                        "link_own=HeroTeamLink.team_id link_target=HeroTeamLink.hero_id");
    assert_string_equal(rel(s, "Hero", "team_links"),
                        "MANY HeroTeamLink fk=HeroTeamLink.hero_id own=Hero.id "
                        "match=HeroTeamLink.hero_id");
    /* Self-references, named and found alone. */
    assert_string_equal(rel(s, "Node", "parent"),
                        "ONE Node fk=Node.parent_id own=Node.parent_id match=Node.id");
    assert_string_equal(rel(s, "Node", "up"),
                        "ONE Node fk=Node.parent_id own=Node.parent_id match=Node.id");
    assert_string_equal(rel(s, "Node", "children"),
                        "MANY Node fk=Node.parent_id own=Node.id match=Node.parent_id");
    assert_string_equal(rel(s, "Node", "down"),
                        "MANY Node fk=Node.parent_id own=Node.id match=Node.parent_id");
    /* A self-referencing many-to-many names its column to the owner. */
    assert_string_equal(rel(s, "Node", "friends"),
                        "M2M Node fk=- own=Node.id match=Friend.a_id through=Friend "
                        "link_own=Friend.a_id link_target=Friend.b_id");
    assert_string_equal(rel(s, "Node", "friend_of"),
                        "M2M Node fk=- own=Node.id match=Friend.b_id through=Friend "
                        "link_own=Friend.b_id link_target=Friend.a_id");
    free_schema(s);
}

/* "0:root Team.heroes 1:0 Hero.teams ...": each load's parent and
 * relationship. */
static const char *loads(schema *s, uint32_t q)
{
    smc_qinfo *in = s->ctx.sema->queries[q];
    sm_buf_reset(&s->out);
    for (uint32_t i = 0; i < in->nloads; i++) {
        smc_qload *l = &in->loads[i];
        assert_ptr_equal(l->owner, l->parent == SMC_LOAD_ROOT ? in->row
                                                              : in->loads[l->parent].rel->rel_target);
        assert_ptr_equal(l->rel->owner, l->owner);
        if (l->parent == SMC_LOAD_ROOT)
            sm_buf_printf(&s->out, "%s%u:root %s", i ? " " : "", i, col_name(l->rel));
        else
            sm_buf_printf(&s->out, "%s%u:%u %s", i ? " " : "", i, l->parent, col_name(l->rel));
    }
    return s->out.data ? s->out.data : "";
}

static void test_with_loads(void **state)
{
    (void)state;
    schema *s = new_schema();
    assert_true(smc_overlay_set(&s->ctx, "/nowhere/shapes.smdl", shapes, sizeof shapes - 1));
    load(s, "/nowhere/shapes.smdl");
    assert_int_equal(s->ctx.sema->nqueries, 3);
    /* Shared prefixes are loaded once; parents come first. */
    assert_string_equal(loads(s, 0), "0:root Team.heroes 1:0 Hero.teams 2:0 Hero.team_links "
                                     "3:2 HeroTeamLink.team 4:root Team.captain 5:4 Hero.badge "
                                     "6:1 Team.mentees");
    /* Self-references go on in one direction: grandchildren,
     * grandparents, friends of friends. */
    assert_string_equal(loads(s, 1), "0:root Node.children 1:0 Node.children 2:root Node.parent "
                                     "3:2 Node.parent 4:root Node.friends 5:4 Node.friends");
    assert_string_equal(loads(s, 2), "0:root Hero.team 1:root Hero.badge");
    assert_int_equal(s->ctx.sema->queries[2]->ret, SMC_R_OPT);
    free_schema(s);
}

static const char heroes[] = "module heroes;\n"
                             "import \"teams.smdl\";\n"
                             "import \"powers.smdl\";\n"
                             "table Hero {\n"
                             "    id: int @pk @auto;\n"
                             "    power: Power = flight;\n"
                             "    team_id: int? @fk(Team.id);\n"
                             "    team: Team? @rel(team_id);\n"
                             "}\n"
                             "model HeroCard { name: text; stats: [TeamCard]; }\n"
                             "query all_heroes() -> [Hero with team.captain] { select Hero }\n";
static const char teams[] = "module teams;\n"
                            "import \"heroes.smdl\";\n"
                            "table Team {\n"
                            "    id: int @pk @auto;\n"
                            "    heroes: [Hero] @rel(Hero.team_id);\n"
                            "    captain_id: int? @fk(Captain.id);\n"
                            "    captain: Captain? @rel;\n"
                            "}\n"
                            "table Captain { id: int @pk; }\n"
                            "model TeamCard { name: text; heroes: [HeroCard]; }\n"
                            "query all_teams() -> [Team with heroes] { select Team }\n";
static const char powers[] = "module powers;\nenum Power { flight, strength }\n";

static smc_decl *import_of(smc_file *f, const char *path)
{
    for (smc_decl *d = f->decls; d; d = d->next)
        if (d->kind == SMC_D_IMPORT && strcmp(d->name.s, path) == 0)
            return d;
    fail_msg("no import %s", path);
    return NULL;
}

static void test_mutual_imports(void **state)
{
    (void)state;
    const char *names[2] = {"/nowhere/app/heroes.smdl", "/nowhere/app/teams.smdl"};
    for (int k = 0; k < 2; k++) {
        schema *s = new_schema();
        assert_true(smc_overlay_set(&s->ctx, "/nowhere/app/heroes.smdl", heroes, sizeof heroes - 1));
        assert_true(smc_overlay_set(&s->ctx, "/nowhere/app/teams.smdl", teams, sizeof teams - 1));
        assert_true(smc_overlay_set(&s->ctx, "/nowhere/app/powers.smdl", powers, sizeof powers - 1));
        load(s, names[k]);
        const smc_sema *sm = s->ctx.sema;
        smc_model *hero = model(s, "Hero"), *team = model(s, "Team");
        /* Each file checked once; only its own tables are created. */
        assert_int_equal(sm->ntables, k == 0 ? 1 : 2);
        assert_ptr_equal(sm->tables[sm->ntables - 1], k == 0 ? hero : team);
        assert_true(k == 0 ? hero->own && !team->own : team->own && !hero->own);
        /* Names resolve across the cycle, both ways. */
        assert_ptr_equal(smc_find_col(team, "heroes")->rel_fk, smc_find_col(hero, "team_id"));
        assert_ptr_equal(smc_find_col(hero, "team")->rel_target, team);
        assert_ptr_equal(sm->queries[0]->row, k == 0 ? hero : team);
        assert_string_equal(loads(s, 0), k == 0 ? "0:root Hero.team 1:0 Team.captain"
                                                : "0:root Team.heroes");
        if (k == 0) {
            /* The compiled file is not among its imports. */
            assert_int_equal(sm->nimports, 2);
            smc_decl *t = import_of(sm->main, "teams.smdl"), *p = import_of(sm->main, "powers.smdl");
            assert_non_null(t->imported);
            assert_true(t->mutual && t->imported->mutual);
            assert_non_null(p->imported);
            assert_false(p->mutual || p->imported->mutual);
            /* The other file's import names the compiled file back. */
            assert_ptr_equal(import_of(t->imported, "heroes.smdl")->imported, sm->main);
        } else {
            /* heroes.smdl's import of powers.smdl comes along. */
            assert_int_equal(sm->nimports, 2);
            smc_decl *h = import_of(sm->main, "heroes.smdl");
            assert_true(h->mutual);
        }
        free_schema(s);
    }
}

/* a -> b -> c -> a: every file of the cycle sees the compiled one. */
static void test_three_file_cycle(void **state)
{
    (void)state;
    schema *s = new_schema();
    static const char a[] = "module a;\nimport \"b.smdl\";\n"
                            "table A { id: int @pk; cs: [C] @rel(C.a_id); }\n";
    static const char b[] = "module b;\nimport \"c.smdl\";\ntable B { id: int @pk; }\n";
    static const char c[] = "module c;\nimport \"a.smdl\";\n"
                            "table C { id: int @pk; a_id: int @fk(A.id); a: A @rel; }\n";
    assert_true(smc_overlay_set(&s->ctx, "/nowhere/a.smdl", a, sizeof a - 1));
    assert_true(smc_overlay_set(&s->ctx, "/nowhere/b.smdl", b, sizeof b - 1));
    assert_true(smc_overlay_set(&s->ctx, "/nowhere/c.smdl", c, sizeof c - 1));
    load(s, "/nowhere/a.smdl");
    const smc_sema *sm = s->ctx.sema;
    assert_int_equal(sm->nimports, 2);
    for (uint32_t i = 0; i < sm->nimports; i++)
        assert_true(sm->imports[i]->mutual);
    assert_true(import_of(sm->main, "b.smdl")->mutual);
    assert_string_equal(rel(s, "A", "cs"), "MANY C fk=C.a_id own=A.id match=C.a_id");
    assert_string_equal(rel(s, "C", "a"), "ONE A fk=C.a_id own=C.a_id match=A.id");
    free_schema(s);
}

/* A row type that a query of an imported file defines belongs to that
 * file: the importer's header would otherwise define its struct again. */
static void test_imported_row(void **state)
{
    (void)state;
    schema *s = new_schema();
    static const char lib[] = "module lib;\ntable Hero { id: int @pk; name: text; }\n"
                              "query names() -> [NameRow] { select name from Hero }\n";
    static const char app[] = "module app;\nimport \"lib.smdl\";\n"
                              "query more_names() -> [NameRow] { select name from Hero }\n";
    assert_true(smc_overlay_set(&s->ctx, "/nowhere/lib.smdl", lib, sizeof lib - 1));
    assert_true(smc_overlay_set(&s->ctx, "/nowhere/app.smdl", app, sizeof app - 1));
    load(s, "/nowhere/app.smdl");
    smc_model *row = model(s, "NameRow");
    assert_false(row->own);
    assert_ptr_equal(s->ctx.sema->queries[0]->row, row);
    free_schema(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shapes),
        cmocka_unit_test(test_with_loads),
        cmocka_unit_test(test_mutual_imports),
        cmocka_unit_test(test_three_file_cycle),
        cmocka_unit_test(test_imported_row),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
