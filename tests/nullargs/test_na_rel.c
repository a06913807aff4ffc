/*
 * test_na_rel.c: the relationship operations of smdl/desc.h
 * (sm_rel_load, sm_rel_load_list, sm_rel_link, sm_rel_unlink,
 * sm_model_get_many) with each pointer argument NULL in turn, on every
 * dialect, over the hand-written descriptors of tests/runtime_rel.
 */
#include "natest.h"

#include "rel_model.h"

static const sm_rel *team_rel(void)
{
    return &hero_model.rels[HERO_TEAM];
}

static void rel_load_body(na *t)
{
    const sm_rel *r = team_rel();
    Hero h = {.id = 1, .team_id = 1, .has_team_id = true};
    NA_RC(sm_rel_load(NULL, t->conn, &hero_model, r, &h, 1, &t->arena), SM_MISUSE);
    NA_MISUSE(t, sm_rel_load(&t->cx, NULL, &hero_model, r, &h, 1, &t->arena));
    NA_MISUSE(t, sm_rel_load(&t->cx, t->conn, NULL, r, &h, 1, &t->arena));
    NA_MISUSE(t, sm_rel_load(&t->cx, t->conn, &hero_model, NULL, &h, 1, &t->arena));
    NA_MISUSE(t, sm_rel_load(&t->cx, t->conn, &hero_model, r, NULL, 1, &t->arena));
    NA_MISUSE(t, sm_rel_load(&t->cx, t->conn, &hero_model, r, &h, 1, NULL));
    assert_false(h.team_loaded);
    /* objs may be NULL when n is 0: nothing to load. */
    NA_EXPECT(t, sm_rel_load(&t->cx, t->conn, &hero_model, r, NULL, 0, &t->arena), SM_OK);
}

static void case_sm_rel_load(void **state)
{
    (void)state;
    na_each(rel_load_body);
}

static void rel_load_list_body(na *t)
{
    const sm_rel *r = team_rel();
    Hero h = {.id = 1, .team_id = 1, .has_team_id = true};
    Hero_list list = {&h, 1}, bad = {NULL, 2};
    NA_RC(sm_rel_load_list(NULL, t->conn, &hero_model, r, &list, &t->arena), SM_MISUSE);
    NA_MISUSE(t, sm_rel_load_list(&t->cx, NULL, &hero_model, r, &list, &t->arena));
    NA_MISUSE(t, sm_rel_load_list(&t->cx, t->conn, NULL, r, &list, &t->arena));
    NA_MISUSE(t, sm_rel_load_list(&t->cx, t->conn, &hero_model, NULL, &list, &t->arena));
    NA_MISUSE(t, sm_rel_load_list(&t->cx, t->conn, &hero_model, r, NULL, &t->arena));
    NA_MISUSE(t, sm_rel_load_list(&t->cx, t->conn, &hero_model, r, &list, NULL));
    NA_MISUSE(t, sm_rel_load_list(&t->cx, t->conn, &hero_model, r, &bad, &t->arena));
    assert_false(h.team_loaded);
}

static void case_sm_rel_load_list(void **state)
{
    (void)state;
    na_each(rel_load_list_body);
}

static void pair_body(na *t, int (*fn)(sm_cx *, sm_conn *, const sm_rel *, const void *,
                                       const void *))
{
    const sm_rel *r = &hero_model.rels[HERO_TEAMS];
    int64_t a = 1, b = 1;
    NA_RC(fn(NULL, t->conn, r, &a, &b), SM_MISUSE);
    NA_MISUSE(t, fn(&t->cx, NULL, r, &a, &b));
    NA_MISUSE(t, fn(&t->cx, t->conn, NULL, &a, &b));
    NA_MISUSE(t, fn(&t->cx, t->conn, r, NULL, &b));
    NA_MISUSE(t, fn(&t->cx, t->conn, r, &a, NULL));
}

static void link_body(na *t)
{
    pair_body(t, sm_rel_link);
}

static void unlink_body(na *t)
{
    pair_body(t, sm_rel_unlink);
}

static void case_sm_rel_link(void **state)
{
    (void)state;
    na_each(link_body);
}

static void case_sm_rel_unlink(void **state)
{
    (void)state;
    na_each(unlink_body);
}

static void get_many_body(na *t)
{
    static const int64_t ids[] = {1, 2};
    static const char *const codes[] = {"x", NULL};
    Hero_list out = {(Hero *)1, 9};
    NA_RC(sm_model_get_many(NULL, t->conn, &hero_model, ids, 2, false, &out, &t->arena),
          SM_MISUSE);
    assert_null(out.items); /* out is zeroed on every failure */
    NA_MISUSE(t, sm_model_get_many(&t->cx, NULL, &hero_model, ids, 2, false, &out, &t->arena));
    NA_MISUSE(t, sm_model_get_many(&t->cx, t->conn, NULL, ids, 2, false, &out, &t->arena));
    NA_MISUSE(t, sm_model_get_many(&t->cx, t->conn, &hero_model, NULL, 2, false, &out,
                                   &t->arena));
    NA_MISUSE(t, sm_model_get_many(&t->cx, t->conn, &hero_model, ids, 2, false, NULL,
                                   &t->arena));
    NA_MISUSE(t, sm_model_get_many(&t->cx, t->conn, &hero_model, ids, 2, false, &out, NULL));
    /* A NULL text key among the keys. */
    City_list cities;
    NA_MISUSE(t, sm_model_get_many(&t->cx, t->conn, &city_model, codes, 2, false, &cities,
                                   &t->arena));
    /* keys may be NULL when n is 0: an empty list. */
    NA_EXPECT(t, sm_model_get_many(&t->cx, t->conn, &hero_model, NULL, 0, false, &out,
                                   &t->arena), SM_OK);
    assert_int_equal(out.len, 0);
}

static void case_sm_model_get_many(void **state)
{
    (void)state;
    na_each(get_many_body);
}

int main(void)
{
    na_set_schema(rel_create);
    const struct CMUnitTest tests[] = {
        NA_CASE(sm_rel_load),
        NA_CASE(sm_rel_load_list),
        NA_CASE(sm_rel_link),
        NA_CASE(sm_rel_unlink),
        NA_CASE(sm_model_get_many),
    };
    return NA_RUN("rel", tests);
}
