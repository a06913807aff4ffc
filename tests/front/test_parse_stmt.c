/*
 * test_parse_stmt.c: queries.  Parameters, every return form, attributes,
 * every statement form (select with all its clauses, insert with on
 * conflict and returning, update, delete), dynamic sort and direction,
 * locks, raw SQL per dialect, keywords as column names, and the spans
 * of statement nodes.
 */
#include "front.h"

#include <stdio.h>
#include <string.h>

static smc_decl *query(smc_file *file, const char *name)
{
    for (smc_decl *d = file->decls; d; d = d->next)
        if (d->kind == SMC_D_QUERY && strcmp(d->name.s, name) == 0)
            return d;
    fail_msg("no query '%s'", name);
    return NULL;
}

/* Parses one query `q` with the given text after `query q`. */
static smc_decl *one_query(fx *f, const char *rest)
{
    sm_buf b = SM_BUF_INIT;
    sm_buf_printf(&b, "module m;\nquery q%s\n", rest);
    smc_file *file = fx_parse_ok(f, b.data);
    sm_buf_free(&b);
    return query(file, "q");
}

static void test_parameters(void **state)
{
    fx *f = *state;
    smc_decl *d = one_query(f, "(name: text?, ids: [int], sort: sort(name, age), dir: dir, "
                               "n: int) -> [Hero] { select Hero order by :sort :dir limit :n }");
    smc_query *q = d->query;
    assert_int_equal(q->nparams, 5);
    const char *names[] = {"name", "ids", "sort", "dir", "n"};
    uint32_t i = 0;
    for (smc_param *p = q->params; p; p = p->next, i++) {
        assert_string_equal(p->name.s, names[i]);
        assert_int_equal(p->index, i);
    }
    smc_param *p = q->params;
    assert_true(p->type->nullable);
    assert_true(p->next->type->list);
    assert_string_equal(p->next->type->name.s, "int");
    assert_string_equal(p->next->next->type->name.s, "sort");
    assert_string_equal(p->next->next->type->args->next->name.s, "age");
    assert_string_equal(fx_text(f, p->next->next->span), "sort: sort(name, age)");
    /* No parameters at all. */
    d = one_query(f, "() -> exec { delete Hero }");
    assert_int_equal(d->query->nparams, 0);
    assert_null(d->query->params);
    fx_parse_fail(f, "module m;\nquery q(a: int,) -> exec { delete T }\n");
    fx_parse_fail(f, "module m;\nquery q(a) -> exec { delete T }\n");
    fx_parse_fail(f, "module m;\nquery q -> exec { delete T }\n");
}

static void test_return_forms(void **state)
{
    fx *f = *state;
    static const struct {
        const char *ret;
        int kind;
        const char *type, *with;
    } cases[] = {
        {"[Hero]", SMC_R_LIST, "Hero", ""},
        {"Hero", SMC_R_ONE, "Hero", ""},
        {"Hero?", SMC_R_OPT, "Hero", ""},
        {"each Hero", SMC_R_EACH, "Hero", ""},
        {"exec", SMC_R_EXEC, NULL, ""},
        {"int", SMC_R_ONE, "int", ""},
        {"[Hero with team]", SMC_R_LIST, "Hero", "team"},
        {"[Hero with team, teams.heroes]", SMC_R_LIST, "Hero", "team teams.heroes"},
        {"Hero? with team.members.team", SMC_R_OPT, "Hero", "team.members.team"},
        {"Hero with team", SMC_R_ONE, "Hero", "team"},
        {"each Hero with team", SMC_R_EACH, "Hero", "team"},
    };
    char buf[160];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf(buf, sizeof buf, "() -> %s { select Hero }", cases[i].ret);
        smc_ret *r = &one_query(f, buf)->query->ret;
        assert_int_equal(r->kind, cases[i].kind);
        if (cases[i].type)
            assert_string_equal(r->type.s, cases[i].type);
        else
            assert_null(r->type.s);
        assert_string_equal(fx_idents(f, r->with), cases[i].with);
        assert_string_equal(fx_text(f, r->span), cases[i].ret);
    }
    smc_ret *r = &one_query(f, "() -> [Hero with team, teams.heroes] { select Hero }")->query->ret;
    assert_string_equal(fx_text(f, r->with->next->name.span), "teams.heroes");
    fx_parse_fail(f, "module m;\nquery q() -> [Hero?] { select Hero }\n");
    fx_parse_fail(f, "module m;\nquery q() -> each [Hero] { select Hero }\n");
    fx_parse_fail(f, "module m;\nquery q() -> exec? { delete Hero }\n");
    fx_parse_fail(f, "module m;\nquery q() -> Hero with { select Hero }\n");
    fx_parse_fail(f, "module m;\nquery q() { select Hero }\n");
}

static void test_model_select(void **state)
{
    fx *f = *state;
    smc_decl *d = one_query(f, "(min_age: int, n: int) -> [Hero] @timeout(2m) {\n"
                               "    select Hero where age > :min_age order by name asc limit :n\n"
                               "}");
    assert_string_equal(d->attrs->name.s, "timeout");
    assert_int_equal(d->attrs->args->value->ival, 120000);
    smc_stmt *st = d->query->stmt;
    assert_null(d->query->raw);
    assert_int_equal(st->kind, SMC_S_SELECT);
    smc_select *s = st->select;
    assert_false(s->distinct);
    assert_string_equal(fx_sexp(f, s->items->expr), "Hero");
    assert_null(s->items->next);
    assert_null(s->items->alias.s);
    assert_null(s->from.s);
    assert_null(s->joins);
    assert_string_equal(fx_sexp(f, s->where), "(> age :min_age)");
    assert_null(s->group_by);
    assert_null(s->having);
    assert_string_equal(fx_sexp(f, s->order->expr), "name");
    assert_int_equal(s->order->dir, SMC_ORDER_ASC);
    assert_int_equal(s->order->nulls, SMC_NULLS_DEFAULT);
    assert_null(s->order->next);
    assert_string_equal(fx_sexp(f, s->limit), ":n");
    assert_null(s->offset);
    assert_int_equal(s->lock, SMC_LOCK_NONE);
    assert_string_equal(fx_text(f, s->span),
                        "select Hero where age > :min_age order by name asc limit :n");
    assert_string_equal(fx_text(f, st->span), fx_text(f, s->span));
    /* Joins without and with `on`, plain and left. */
    s = one_query(f, "(team: text) -> [Hero] { select Hero join Team left join Power on "
                     "Power.id == Hero.power_id where Team.name == :team }")
            ->query->stmt->select;
    smc_join *j = s->joins;
    assert_false(j->left);
    assert_string_equal(j->model.s, "Team");
    assert_null(j->on);
    assert_string_equal(fx_text(f, j->span), "join Team");
    j = j->next;
    assert_true(j->left);
    assert_string_equal(j->model.s, "Power");
    assert_string_equal(fx_sexp(f, j->on), "(== Power.id Hero.power_id)");
    assert_string_equal(fx_text(f, j->span), "left join Power on Power.id == Hero.power_id");
    assert_null(j->next);
}

static void test_projection_select(void **state)
{
    fx *f = *state;
    smc_select *s =
        one_query(f, "() -> [TeamSize] {\n"
                     "  select distinct Team.name, count(Hero.id) as heroes, 1 + 2 as three\n"
                     "  from Team left join Hero\n"
                     "  where Team.id > 0\n"
                     "  group by Team.name, Team.id\n"
                     "  having count(Hero.id) > 1\n"
                     "  order by heroes desc nulls last, Team.name nulls first, Team.id desc\n"
                     "  limit 10 offset 20\n"
                     "}")
            ->query->stmt->select;
    assert_true(s->distinct);
    smc_selitem *it = s->items;
    assert_string_equal(fx_sexp(f, it->expr), "Team.name");
    assert_null(it->alias.s);
    assert_string_equal(fx_text(f, it->span), "Team.name");
    it = it->next;
    assert_string_equal(fx_sexp(f, it->expr), "count(Hero.id)");
    assert_string_equal(it->alias.s, "heroes");
    assert_string_equal(fx_text(f, it->span), "count(Hero.id) as heroes");
    it = it->next;
    assert_string_equal(fx_sexp(f, it->expr), "(+ 1 2)");
    assert_string_equal(it->alias.s, "three");
    assert_null(it->next);
    assert_string_equal(s->from.s, "Team");
    assert_true(s->joins->left);
    assert_string_equal(fx_sexp(f, s->group_by), "Team.name");
    assert_string_equal(fx_sexp(f, s->group_by->next), "Team.id");
    assert_null(s->group_by->next->next);
    assert_string_equal(fx_sexp(f, s->having), "(> count(Hero.id) 1)");
    smc_order *o = s->order;
    assert_int_equal(o->dir, SMC_ORDER_DESC);
    assert_int_equal(o->nulls, SMC_NULLS_LAST);
    assert_string_equal(fx_text(f, o->span), "heroes desc nulls last");
    o = o->next;
    assert_int_equal(o->dir, SMC_ORDER_DEFAULT);
    assert_int_equal(o->nulls, SMC_NULLS_FIRST);
    assert_string_equal(fx_text(f, o->span), "Team.name nulls first");
    o = o->next;
    assert_int_equal(o->dir, SMC_ORDER_DESC);
    assert_int_equal(o->nulls, SMC_NULLS_DEFAULT);
    assert_string_equal(fx_text(f, o->span), "Team.id desc");
    assert_null(o->next);
    assert_string_equal(fx_sexp(f, s->limit), "10");
    assert_string_equal(fx_sexp(f, s->offset), "20");
    assert_string_equal(fx_text(f, s->span),
                        "select distinct Team.name, count(Hero.id) as heroes, 1 + 2 as three\n"
                        "  from Team left join Hero\n"
                        "  where Team.id > 0\n"
                        "  group by Team.name, Team.id\n"
                        "  having count(Hero.id) > 1\n"
                        "  order by heroes desc nulls last, Team.name nulls first, Team.id desc\n"
                        "  limit 10 offset 20");
    /* count() with no arguments, from without where. */
    s = one_query(f, "() -> int { select count() from Hero }")->query->stmt->select;
    assert_string_equal(fx_sexp(f, s->items->expr), "count()");
    assert_string_equal(s->from.s, "Hero");
}

static void test_dynamic_order_limit_offset_lock(void **state)
{
    fx *f = *state;
    smc_select *s = one_query(f, "(sort: sort(name, age), dir: dir) -> [Hero] {\n"
                                 "  select Hero order by :sort :dir nulls first, id\n}")
                        ->query->stmt->select;
    smc_order *o = s->order;
    assert_string_equal(fx_sexp(f, o->expr), ":sort");
    assert_int_equal(o->dir, SMC_ORDER_DEFAULT);
    assert_string_equal(o->dir_param.s, "dir");
    assert_string_equal(fx_text(f, o->dir_param.span), ":dir");
    assert_int_equal(o->nulls, SMC_NULLS_FIRST);
    assert_string_equal(fx_text(f, o->span), ":sort :dir nulls first");
    o = o->next;
    assert_string_equal(fx_sexp(f, o->expr), "id");
    assert_null(o->dir_param.s);
    assert_string_equal(fx_text(f, o->span), "id");

    s = one_query(f, "(o: int) -> [Hero] { select Hero offset :o }")->query->stmt->select;
    assert_null(s->limit);
    assert_string_equal(fx_sexp(f, s->offset), ":o");
    s = one_query(f, "(n: int) -> [Hero] { select Hero limit :n * 2 offset :n + 1 }")
            ->query->stmt->select;
    assert_string_equal(fx_sexp(f, s->limit), "(* :n 2)");
    assert_string_equal(fx_sexp(f, s->offset), "(+ :n 1)");

    s = one_query(f, "(id: int) -> Hero { select Hero where id == :id for update }")
            ->query->stmt->select;
    assert_int_equal(s->lock, SMC_LOCK_UPDATE);
    assert_string_equal(fx_text(f, s->span), "select Hero where id == :id for update");
    s = one_query(f, "() -> [Hero] { select Hero order by id limit 5 for share }")
            ->query->stmt->select;
    assert_int_equal(s->lock, SMC_LOCK_SHARE);
    assert_string_equal(fx_text(f, s->span), "select Hero order by id limit 5 for share");
    /* Clauses come in their fixed order only. */
    fx_parse_fail(f, "module m;\nquery q() -> [T] { select T limit 1 where a }\n");
    fx_parse_fail(f, "module m;\nquery q() -> [T] { select T order by a where b }\n");
    fx_parse_fail(f, "module m;\nquery q() -> [T] { select T for update limit 1 }\n");
    fx_parse_fail(f, "module m;\nquery q() -> [T] { select T offset 1 limit 2 }\n");
    fx_parse_fail(f, "module m;\nquery q() -> [T] { select T order by a nulls }\n");
    fx_parse_fail(f, "module m;\nquery q() -> [T] { select T order by a asc desc }\n");
    fx_parse_fail(f, "module m;\nquery q() -> [T] { select T for }\n");
    fx_parse_fail(f, "module m;\nquery q() -> [T] { select }\n");
    fx_parse_fail(f, "module m;\nquery q() -> [T] { select T, }\n");
}

static void test_insert(void **state)
{
    fx *f = *state;
    smc_stmt *st = one_query(f, "(name: text, age: int) -> Hero {\n"
                                "  insert Hero (name, age) values (:name, :age + 1)\n"
                                "  on conflict (name) do update set age = :age, name = :name\n"
                                "  returning id, name as n\n}")
                       ->query->stmt;
    assert_int_equal(st->kind, SMC_S_INSERT);
    assert_string_equal(st->target.s, "Hero");
    assert_string_equal(fx_idents(f, st->cols), "name age");
    assert_string_equal(fx_sexp(f, st->values), ":name");
    assert_string_equal(fx_sexp(f, st->values->next), "(+ :age 1)");
    assert_null(st->values->next->next);
    smc_conflict *c = st->conflict;
    assert_non_null(c);
    assert_string_equal(fx_idents(f, c->cols), "name");
    assert_false(c->do_nothing);
    assert_string_equal(c->sets->col.s, "age");
    assert_string_equal(fx_sexp(f, c->sets->value), ":age");
    assert_string_equal(fx_text(f, c->sets->span), "age = :age");
    assert_string_equal(c->sets->next->col.s, "name");
    assert_string_equal(fx_text(f, c->span),
                        "on conflict (name) do update set age = :age, name = :name");
    assert_true(st->has_returning);
    assert_string_equal(fx_sexp(f, st->returning->expr), "id");
    assert_string_equal(st->returning->next->alias.s, "n");
    assert_string_equal(fx_text(f, st->span),
                        "insert Hero (name, age) values (:name, :age + 1)\n"
                        "  on conflict (name) do update set age = :age, name = :name\n"
                        "  returning id, name as n");

    st = one_query(f, "(a: int) -> exec { insert L (a, b) values (:a, 2) on conflict (a, b) do "
                      "nothing }")
             ->query->stmt;
    assert_true(st->conflict->do_nothing);
    assert_null(st->conflict->sets);
    assert_string_equal(fx_idents(f, st->conflict->cols), "a b");
    assert_string_equal(fx_text(f, st->conflict->span), "on conflict (a, b) do nothing");
    assert_false(st->has_returning);
    assert_null(st->returning);
    assert_string_equal(fx_text(f, st->span),
                        "insert L (a, b) values (:a, 2) on conflict (a, b) do nothing");

    st = one_query(f, "(a: int) -> exec { insert L (a) values (:a) }")->query->stmt;
    assert_null(st->conflict);
    assert_string_equal(fx_text(f, st->span), "insert L (a) values (:a)");
    fx_parse_fail(f, "module m;\nquery q() -> exec { insert L values (1) }\n");
    fx_parse_fail(f, "module m;\nquery q() -> exec { insert L () values () }\n");
    fx_parse_fail(f, "module m;\nquery q() -> exec { insert L (a) values (1) on conflict do "
                     "nothing }\n");
    fx_parse_fail(f, "module m;\nquery q() -> exec { insert L (a) values (1) on conflict (a) "
                     "do update }\n");
}

static void test_update_and_delete(void **state)
{
    fx *f = *state;
    smc_stmt *st = one_query(f, "(team: int) -> exec {\n"
                                "  update Hero set age = age + 1, name = lower(name)\n"
                                "  where team_id == :team returning id\n}")
                       ->query->stmt;
    assert_int_equal(st->kind, SMC_S_UPDATE);
    assert_string_equal(st->target.s, "Hero");
    assert_string_equal(fx_text(f, st->target.span), "Hero");
    smc_set *s = st->sets;
    assert_string_equal(s->col.s, "age");
    assert_string_equal(fx_sexp(f, s->value), "(+ age 1)");
    assert_string_equal(fx_text(f, s->span), "age = age + 1");
    s = s->next;
    assert_string_equal(fx_sexp(f, s->value), "lower(name)");
    assert_null(s->next);
    assert_string_equal(fx_sexp(f, st->where), "(== team_id :team)");
    assert_string_equal(fx_sexp(f, st->returning->expr), "id");
    assert_string_equal(fx_text(f, st->span), "update Hero set age = age + 1, name = lower(name)\n"
                                              "  where team_id == :team returning id");
    st = one_query(f, "(v: int?) -> exec { update Hero set age = :v? }")->query->stmt;
    assert_null(st->where);
    assert_true(st->sets->value->optional);
    assert_string_equal(fx_text(f, st->span), "update Hero set age = :v?");

    st = one_query(f, "(max_age: int) -> exec { delete Hero where age < :max_age }")->query->stmt;
    assert_int_equal(st->kind, SMC_S_DELETE);
    assert_string_equal(st->target.s, "Hero");
    assert_string_equal(fx_sexp(f, st->where), "(< age :max_age)");
    assert_false(st->has_returning);
    assert_string_equal(fx_text(f, st->span), "delete Hero where age < :max_age");
    st = one_query(f, "() -> exec { delete Hero }")->query->stmt;
    assert_null(st->where);
    assert_string_equal(fx_text(f, st->span), "delete Hero");
    st = one_query(f, "() -> [Hero] { delete Hero returning id, name }")->query->stmt;
    assert_true(st->has_returning);
    assert_string_equal(fx_text(f, st->span), "delete Hero returning id, name");
    fx_parse_fail(f, "module m;\nquery q() -> exec { update Hero where a == 1 }\n");
    fx_parse_fail(f, "module m;\nquery q() -> exec { update Hero set a == 1 }\n");
    fx_parse_fail(f, "module m;\nquery q() -> exec { delete from Hero }\n");
    fx_parse_fail(f, "module m;\nquery q() -> exec { delete Hero returning }\n");
    fx_parse_fail(f, "module m;\nquery q() -> exec { delete Hero; }\n");
    fx_parse_fail(f, "module m;\nquery q() -> exec { delete A delete B }\n");
    fx_parse_fail(f, "module m;\nquery q() -> exec { }\n");
}

static void test_raw_sql(void **state)
{
    fx *f = *state;
    smc_decl *d = one_query(f, "(n: int) -> [TopTeam] sql \"SELECT name, 0 AS heroes \"\n"
                               "    \"FROM teams LIMIT ?\";");
    smc_query *q = d->query;
    assert_null(q->stmt);
    smc_rawsql *r = q->raw;
    assert_null(r->dialect.s);
    assert_string_equal(r->sql, "SELECT name, 0 AS heroes FROM teams LIMIT ?");
    assert_string_equal(fx_text(f, r->span), "\"SELECT name, 0 AS heroes \"\n"
                                             "    \"FROM teams LIMIT ?\"");
    assert_null(r->next);

    d = one_query(f, "() -> exec @timeout(5s)\n"
                     "  sql sqlite \"DELETE FROM t WHERE ts < datetime('now')\"\n"
                     "      postgres \"DELETE FROM t WHERE ts < now()\"\n"
                     "      mysql \"DELETE FROM t \" \"WHERE ts < NOW()\";");
    assert_string_equal(d->attrs->name.s, "timeout");
    r = d->query->raw;
    assert_string_equal(r->dialect.s, "sqlite");
    assert_string_equal(r->sql, "DELETE FROM t WHERE ts < datetime('now')");
    assert_string_equal(fx_text(f, r->span), "sqlite \"DELETE FROM t WHERE ts < datetime('now')\"");
    r = r->next;
    assert_string_equal(r->dialect.s, "postgres");
    r = r->next;
    assert_string_equal(r->dialect.s, "mysql");
    assert_string_equal(r->sql, "DELETE FROM t WHERE ts < NOW()");
    assert_null(r->next);
    /* Escapes are decoded in raw SQL too. */
    d = one_query(f, "() -> exec sql \"SELECT '\\u{e9}'\\n\";");
    assert_string_equal(d->query->raw->sql, "SELECT '\xc3\xa9'\n");
    fx_parse_fail(f, "module m;\nquery q() -> exec sql;\n");
    fx_parse_fail(f, "module m;\nquery q() -> exec sql \"x\"\n");
    fx_parse_fail(f, "module m;\nquery q() -> exec sql sqlite;\n");
    fx_parse_fail(f, "module m;\nquery q() -> exec sql \"a\" sqlite \"b\";\n");
    fx_parse_fail(f, "module m;\nquery q() -> exec sql sqlite \"a\" \"b\" mysql;\n");
}

/* Keywords that start clauses still name columns inside them. */
static void test_keywords_as_columns(void **state)
{
    fx *f = *state;
    smc_file *file = fx_parse_ok(
        f, "module m;\n"
           "query a() -> [T] { select T where index > 1 and order == \"a\" and key == 2 "
           "order by order desc, key }\n"
           "query b() -> exec { update T set order = 1, key = index + 1 where check == 3 }\n"
           "query c() -> [R] { select T.order, T.key as limit from T where T.offset == 1 "
           "group by T.order order by limit }\n"
           "query d() -> exec { insert T (order, key, index) values (1, 2, 3) "
           "on conflict (key) do update set order = 2 returning index }\n"
           "query e(order: int, key: text) -> exec { delete T where order == :order "
           "and key == :key }\n"
           "query f() -> [T] { select T where first == 1 and last == 2 and left == 3 "
           "and nulls == 4 }\n");
    smc_select *s = fx_stmt(file, "a")->select;
    assert_string_equal(fx_sexp(f, s->where),
                        "(and (and (> index 1) (== order \"a\")) (== key 2))");
    assert_string_equal(fx_sexp(f, s->order->expr), "order");
    assert_int_equal(s->order->dir, SMC_ORDER_DESC);
    assert_string_equal(fx_sexp(f, s->order->next->expr), "key");
    smc_stmt *st = fx_stmt(file, "b");
    assert_string_equal(st->sets->col.s, "order");
    assert_string_equal(fx_sexp(f, st->sets->next->value), "(+ index 1)");
    assert_string_equal(fx_sexp(f, st->where), "(== check 3)");
    s = fx_stmt(file, "c")->select;
    assert_string_equal(fx_sexp(f, s->items->expr), "T.order");
    assert_string_equal(s->items->next->alias.s, "limit");
    assert_string_equal(fx_sexp(f, s->where), "(== T.offset 1)");
    assert_string_equal(fx_sexp(f, s->order->expr), "limit");
    assert_null(s->limit);
    st = fx_stmt(file, "d");
    assert_string_equal(fx_idents(f, st->cols), "order key index");
    assert_string_equal(fx_sexp(f, st->returning->expr), "index");
    st = fx_stmt(file, "e");
    assert_string_equal(fx_sexp(f, st->where), "(and (== order :order) (== key :key))");
    assert_string_equal(query(file, "e")->query->params->name.s, "order");
    s = fx_stmt(file, "f")->select;
    assert_string_equal(fx_sexp(f, s->where),
                        "(and (and (and (== first 1) (== last 2)) (== left 3)) (== nulls 4))");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parameters),
        cmocka_unit_test(test_return_forms),
        cmocka_unit_test(test_model_select),
        cmocka_unit_test(test_projection_select),
        cmocka_unit_test(test_dynamic_order_limit_offset_lock),
        cmocka_unit_test(test_insert),
        cmocka_unit_test(test_update_and_delete),
        cmocka_unit_test(test_raw_sql),
        cmocka_unit_test(test_keywords_as_columns),
    };
    return cmocka_run_group_tests(tests, fx_setup, fx_teardown);
}
