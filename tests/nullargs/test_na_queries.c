/*
 * test_na_queries.c: the query operations of smdl/desc.h and the shapes
 * of generated query functions (DESIGN 3.6) from tests/schemas/
 * queries.smdl, with each pointer argument NULL in turn, on every
 * dialect: list, one and optional rows, scalars (with `has`, text in an
 * arena), exec, each; text, list, optional and sort parameters; writes
 * that return rows (emulated with extra statements on MySQL); raw SQL;
 * a text primary key.  check_cases.sh checks that every kind of
 * parameter and every set of outputs the generated header has is covered
 * by a case here.
 *
 * The generated source is included, not linked: its descriptors are
 * static (DESIGN 3.1), and the sm_query_* calls below need them.
 */
#include "natest.h"

#include "queries.c"

/* How many rows a table has (a refused write must have written none). */
static int64_t count(na *t, const char *table)
{
    char sql[64];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
    sm_rows *r = NULL;
    NA_EXPECT(t, sm_query(&t->cx, t->conn, sql, NULL, 0, &r), SM_OK);
    assert_int_equal(sm_rows_next(r), SM_ROW);
    int64_t n = sm_rows_int(r, 0);
    sm_rows_close(r);
    return n;
}

static void no_rows(na *t)
{
    static const char *const tables[] = {"hero", "teams", "tally", "event"};
    for (size_t i = 0; i < 4; i++)
        if (count(t, tables[i]) != 0)
            fail_msg("on %s: a refused call wrote a row into %s", tdb_name(t->d),
                     tables[i]);
}

static bool zeroed(const void *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (((const unsigned char *)p)[i])
            return false;
    return true;
}

static int rows_seen;

static int count_row(void *ud, const void *row)
{
    (void)ud;
    (void)row;
    rows_seen++;
    return 0;
}

/* ---- Generic operations (smdl/desc.h) ------------------------------------------------ */

static void query_rows_body(na *t)
{
    const sm_query_desc *q = &smdl_query_hero_named;
    smdl_args_hero_named args = {"Deadpond"};
    Hero out;
    memset(&out, 0xa5, sizeof out);
    NA_RC(sm_query_rows(NULL, t->conn, q, 0, &args, &out, &t->arena), SM_MISUSE);
    assert_true(zeroed(&out, sizeof out)); /* *out is zeroed on every failure */
    NA_MISUSE(t, sm_query_rows(&t->cx, NULL, q, 0, &args, &out, &t->arena));
    NA_MISUSE(t, sm_query_rows(&t->cx, t->conn, NULL, 0, &args, &out, &t->arena));
    NA_MISUSE(t, sm_query_rows(&t->cx, t->conn, q, 0, NULL, &out, &t->arena));
    NA_MISUSE(t, sm_query_rows(&t->cx, t->conn, q, 0, &args, NULL, &t->arena));
    memset(&out, 0xa5, sizeof out);
    NA_MISUSE(t, sm_query_rows(&t->cx, t->conn, q, 0, &args, &out, NULL));
    assert_true(zeroed(&out, sizeof out));
    /* A list needs its arena too. */
    HeroRef_list list = {NULL, 0};
    NA_MISUSE(t, sm_query_rows(&t->cx, t->conn, &smdl_query_flyers, 0, NULL, &list, NULL));
    /* A scalar without strings takes no arena (its function has none). */
    smdl_row_count_heroes n;
    NA_EXPECT(t, sm_query_rows(&t->cx, t->conn, &smdl_query_count_heroes, 0, NULL, &n, NULL),
              SM_OK);
    assert_int_equal(n.value, 0);
}

static void case_sm_query_rows(void **state)
{
    (void)state;
    na_each(query_rows_body);
}

static void query_exec_body(na *t)
{
    const sm_query_desc *q = &smdl_query_add_team;
    smdl_args_add_team args = {"Preventers", "Sharp Tower"};
    int64_t affected = 5;
    NA_RC(sm_query_exec(NULL, t->conn, q, 0, &args, &affected), SM_MISUSE);
    assert_int_equal(affected, 0);
    NA_MISUSE(t, sm_query_exec(&t->cx, NULL, q, 0, &args, &affected));
    NA_MISUSE(t, sm_query_exec(&t->cx, t->conn, NULL, 0, &args, &affected));
    NA_MISUSE(t, sm_query_exec(&t->cx, t->conn, q, 0, NULL, &affected));
    no_rows(t);
    /* affected may be NULL. */
    NA_EXPECT(t, sm_query_exec(&t->cx, t->conn, &smdl_query_delete_all_tallies, 0, NULL, NULL),
              SM_OK);
}

static void case_sm_query_exec(void **state)
{
    (void)state;
    na_each(query_exec_body);
}

static void query_each_body(na *t)
{
    const sm_query_desc *q = &smdl_query_event_ns;
    smdl_args_event_ns args = {0};
    NA_RC(sm_query_each(NULL, t->conn, q, 0, &args, count_row, NULL), SM_MISUSE);
    NA_MISUSE(t, sm_query_each(&t->cx, NULL, q, 0, &args, count_row, NULL));
    NA_MISUSE(t, sm_query_each(&t->cx, t->conn, NULL, 0, &args, count_row, NULL));
    NA_MISUSE(t, sm_query_each(&t->cx, t->conn, q, 0, NULL, count_row, NULL));
    NA_MISUSE(t, sm_query_each(&t->cx, t->conn, q, 0, &args, NULL, NULL));
    /* ud may be NULL: it is only handed to fn. */
    rows_seen = 0;
    NA_EXPECT(t, sm_query_each(&t->cx, t->conn, q, 0, &args, count_row, NULL), SM_OK);
    assert_int_equal(rows_seen, 0);
}

static void case_sm_query_each(void **state)
{
    (void)state;
    na_each(query_each_body);
}

/* ---- Generated query functions, one per shape -------------------------------------- */

/* -> [T]: (cx, conn, T_list *out, sm_arena *arena). */
static void all_heroes_body(na *t)
{
    Hero_list out = {(Hero *)&out, 7};
    NA_RC(all_heroes(NULL, t->conn, &out, &t->arena), SM_MISUSE);
    assert_null(out.items); /* {NULL, 0} on every failure */
    assert_int_equal(out.len, 0);
    NA_MISUSE(t, all_heroes(&t->cx, NULL, &out, &t->arena));
    NA_MISUSE(t, all_heroes(&t->cx, t->conn, NULL, &t->arena));
    NA_MISUSE(t, all_heroes(&t->cx, t->conn, &out, NULL));
}

static void case_all_heroes(void **state)
{
    (void)state;
    na_each(all_heroes_body);
}

/* -> T with a text parameter: the text is required (NULL is refused:
 * the parameter is not declared text?). */
static void hero_named_body(na *t)
{
    Hero out;
    NA_RC(hero_named(NULL, t->conn, "Deadpond", &out, &t->arena), SM_MISUSE);
    NA_MISUSE(t, hero_named(&t->cx, NULL, "Deadpond", &out, &t->arena));
    NA_MISUSE(t, hero_named(&t->cx, t->conn, NULL, &out, &t->arena));
    NA_MISUSE(t, hero_named(&t->cx, t->conn, "Deadpond", NULL, &t->arena));
    NA_MISUSE(t, hero_named(&t->cx, t->conn, "Deadpond", &out, NULL));
    /* And with every argument given: the table is empty. */
    NA_EXPECT(t, hero_named(&t->cx, t->conn, "Deadpond", &out, &t->arena), SM_NOTFOUND);
}

static void case_hero_named(void **state)
{
    (void)state;
    na_each(hero_named_body);
}

/* -> T?: (cx, conn, int, T *out, sm_arena *arena). */
static void first_of_team_body(na *t)
{
    Hero out;
    NA_RC(first_of_team(NULL, t->conn, 1, &out, &t->arena), SM_MISUSE);
    NA_MISUSE(t, first_of_team(&t->cx, NULL, 1, &out, &t->arena));
    NA_MISUSE(t, first_of_team(&t->cx, t->conn, 1, NULL, &t->arena));
    NA_MISUSE(t, first_of_team(&t->cx, t->conn, 1, &out, NULL));
}

static void case_first_of_team(void **state)
{
    (void)state;
    na_each(first_of_team_body);
}

/* A LIKE pattern parameter. */
static void name_like_body(na *t)
{
    HeroRef_list out;
    NA_MISUSE(t, name_like(&t->cx, t->conn, NULL, &out, &t->arena));
    NA_EXPECT(t, name_like(&t->cx, t->conn, "D%", &out, &t->arena), SM_OK);
}

static void case_name_like(void **state)
{
    (void)state;
    na_each(name_like_body);
}

/* [int] and [text] parameters: NULL with a length is refused, NULL with
 * length 0 is the empty list; a NULL element of a [text] is refused. */
static void ids_in_body(na *t)
{
    HeroRef_list out;
    NA_MISUSE(t, ids_in(&t->cx, t->conn, NULL, 2, &out, &t->arena));
    NA_EXPECT(t, ids_in(&t->cx, t->conn, NULL, 0, &out, &t->arena), SM_OK);
    assert_int_equal(out.len, 0);
    NA_EXPECT(t, ids_not_in(&t->cx, t->conn, NULL, 0, &out, &t->arena), SM_OK);
    NA_MISUSE(t, ids_in(&t->cx, t->conn, NULL, 2, NULL, &t->arena));
}

static void case_ids_in(void **state)
{
    (void)state;
    na_each(ids_in_body);
}

static void names_in_body(na *t)
{
    HeroRef_list out;
    const char *names[2] = {"Deadpond", NULL};
    NA_MISUSE(t, names_in(&t->cx, t->conn, NULL, 2, &out, &t->arena));
    NA_MISUSE(t, names_in(&t->cx, t->conn, names, 2, &out, &t->arena));
    NA_EXPECT(t, names_in(&t->cx, t->conn, NULL, 0, &out, &t->arena), SM_OK);
    NA_EXPECT(t, names_in(&t->cx, t->conn, names, 1, &out, &t->arena), SM_OK);
}

static void case_names_in(void **state)
{
    (void)state;
    na_each(names_in_body);
}

/* Optional predicates (text?, int?, Power?): NULL is absent. */
static void heroes_filter_body(na *t)
{
    HeroRef_list out;
    int64_t age = 30;
    NA_EXPECT(t, heroes_filter(&t->cx, t->conn, NULL, NULL, NULL, NULL, &out, &t->arena), SM_OK);
    NA_EXPECT(t, heroes_filter(&t->cx, t->conn, "x", &age, NULL, NULL, &out, &t->arena), SM_OK);
    NA_MISUSE(t, heroes_filter(&t->cx, t->conn, NULL, NULL, NULL, NULL, NULL, &t->arena));
    NA_MISUSE(t, heroes_filter(&t->cx, t->conn, NULL, NULL, NULL, NULL, &out, NULL));
}

static void case_heroes_filter(void **state)
{
    (void)state;
    na_each(heroes_filter_body);
}

/* An optional text (text?) and int? together. */
static void team_sizes_over_body(na *t)
{
    TeamSize_list out;
    NA_EXPECT(t, team_sizes_over(&t->cx, t->conn, NULL, NULL, &out, &t->arena), SM_OK);
    NA_MISUSE(t, team_sizes_over(&t->cx, t->conn, NULL, NULL, NULL, &t->arena));
}

static void case_team_sizes_over(void **state)
{
    (void)state;
    na_each(team_sizes_over_body);
}

/* An int? used without `?`: NULL binds SQL NULL. */
static void heroes_with_age_body(na *t)
{
    HeroRef_list out;
    NA_EXPECT(t, heroes_with_age(&t->cx, t->conn, NULL, &out, &t->arena), SM_OK);
    assert_int_equal(out.len, 0);
}

static void case_heroes_with_age(void **state)
{
    (void)state;
    na_each(heroes_with_age_body);
}

/* Sort and direction choices with optional predicates. */
static void heroes_page_body(na *t)
{
    HeroRef_list out;
    NA_RC(heroes_page(NULL, t->conn, NULL, HEROES_PAGE_SORT_AGE, SM_DESC, NULL, &out, &t->arena),
          SM_MISUSE);
    NA_MISUSE(t, heroes_page(&t->cx, NULL, NULL, HEROES_PAGE_SORT_AGE, SM_DESC, NULL, &out,
                             &t->arena));
    NA_MISUSE(t, heroes_page(&t->cx, t->conn, NULL, HEROES_PAGE_SORT_AGE, SM_DESC, NULL, NULL,
                             &t->arena));
    NA_MISUSE(t, heroes_page(&t->cx, t->conn, NULL, HEROES_PAGE_SORT_AGE, SM_DESC, NULL, &out,
                             NULL));
    NA_EXPECT(t, heroes_page(&t->cx, t->conn, NULL, HEROES_PAGE_SORT_AGE, SM_DESC, NULL, &out,
                             &t->arena),
              SM_OK);
}

static void case_heroes_page(void **state)
{
    (void)state;
    na_each(heroes_page_body);
}

/* -> int, float, bool: (..., X *out) and no arena. */
static void count_heroes_body(na *t)
{
    int64_t n = 7;
    NA_RC(count_heroes(NULL, t->conn, &n), SM_MISUSE);
    assert_int_equal(n, 0); /* zeroed on failure */
    NA_MISUSE(t, count_heroes(&t->cx, NULL, &n));
    NA_MISUSE(t, count_heroes(&t->cx, t->conn, NULL));
    NA_EXPECT(t, count_heroes(&t->cx, t->conn, &n), SM_OK);
}

static void case_count_heroes(void **state)
{
    (void)state;
    na_each(count_heroes_body);
}

static void mean_rating_body(na *t)
{
    double v = 7;
    NA_RC(mean_rating(NULL, t->conn, &v), SM_MISUSE);
    assert_true(v == 0.0);
    NA_MISUSE(t, mean_rating(&t->cx, NULL, &v));
    NA_MISUSE(t, mean_rating(&t->cx, t->conn, NULL));
    NA_EXPECT(t, mean_rating(&t->cx, t->conn, &v), SM_OK);
}

static void case_mean_rating(void **state)
{
    (void)state;
    na_each(mean_rating_body);
}

static void many_older_body(na *t)
{
    bool v = true;
    NA_RC(many_older(NULL, t->conn, 1, 1, &v), SM_MISUSE);
    assert_false(v);
    NA_MISUSE(t, many_older(&t->cx, NULL, 1, 1, &v));
    NA_MISUSE(t, many_older(&t->cx, t->conn, 1, 1, NULL));
    NA_EXPECT(t, many_older(&t->cx, t->conn, 1, 1, &v), SM_OK);
}

static void case_many_older(void **state)
{
    (void)state;
    na_each(many_older_body);
}

/* -> int?: (..., int64_t *out, bool *has); has may be NULL. */
static void oldest_in_body(na *t)
{
    int64_t v = 7;
    bool has = true;
    NA_RC(oldest_in(NULL, t->conn, 1, &v, &has), SM_MISUSE);
    assert_int_equal(v, 0);
    assert_false(has);
    NA_MISUSE(t, oldest_in(&t->cx, NULL, 1, &v, &has));
    NA_MISUSE(t, oldest_in(&t->cx, t->conn, 1, NULL, &has));
    NA_EXPECT(t, oldest_in(&t->cx, t->conn, 1, &v, NULL), SM_OK); /* max over no row: NULL */
    NA_EXPECT(t, oldest_in(&t->cx, t->conn, 1, &v, &has), SM_OK);
    assert_false(has);
}

static void case_oldest_in(void **state)
{
    (void)state;
    na_each(oldest_in_body);
}

/* -> text: (..., const char **out, sm_arena *arena). */
static void secret_of_body(na *t)
{
    const char *s = "x";
    NA_RC(secret_of(NULL, t->conn, 1, &s, &t->arena), SM_MISUSE);
    assert_null(s);
    NA_MISUSE(t, secret_of(&t->cx, NULL, 1, &s, &t->arena));
    NA_MISUSE(t, secret_of(&t->cx, t->conn, 1, NULL, &t->arena));
    s = "x";
    NA_MISUSE(t, secret_of(&t->cx, t->conn, 1, &s, NULL));
    assert_null(s);
}

static void case_secret_of(void **state)
{
    (void)state;
    na_each(secret_of_body);
}

/* -> exec: affected may be NULL. */
static void salary_set_body(na *t)
{
    int64_t n = 7;
    NA_RC(salary_set(NULL, t->conn, 1, 1, &n), SM_MISUSE);
    assert_int_equal(n, 0);
    NA_MISUSE(t, salary_set(&t->cx, NULL, 1, 1, &n));
    NA_EXPECT(t, salary_set(&t->cx, t->conn, 1, 1, NULL), SM_OK);
}

static void case_salary_set(void **state)
{
    (void)state;
    na_each(salary_set_body);
}

/* Optional assignments (text?, int?, float?): NULL leaves the column as
 * it is. */
static void patch_hero_body(na *t)
{
    int64_t n = 7;
    NA_RC(patch_hero(NULL, t->conn, 1, NULL, NULL, NULL, &n), SM_MISUSE);
    NA_MISUSE(t, patch_hero(&t->cx, NULL, 1, NULL, NULL, NULL, &n));
    NA_EXPECT(t, patch_hero(&t->cx, t->conn, 1, NULL, NULL, NULL, &n), SM_OK);
    assert_int_equal(n, 0); /* no hero 1 */
}

static void case_patch_hero(void **state)
{
    (void)state;
    na_each(patch_hero_body);
}

/* A write with required text parameters: NULL is refused before any SQL
 * (not left to the database's NOT NULL). */
static void add_team_body(na *t)
{
    NA_MISUSE(t, add_team(&t->cx, t->conn, NULL, "Sharp Tower", NULL));
    NA_MISUSE(t, add_team(&t->cx, t->conn, "Preventers", NULL, NULL));
    no_rows(t);
}

static void case_add_team(void **state)
{
    (void)state;
    na_each(add_team_body);
}

/* A text? used without `?`: NULL binds SQL NULL. */
static void bump_exec_body(na *t)
{
    NA_MISUSE(t, bump_exec(&t->cx, t->conn, NULL, 1, NULL, NULL));
    NA_EXPECT(t, bump_exec(&t->cx, t->conn, "x", 1, NULL, NULL), SM_OK);
    NA_EXPECT(t, delete_all_tallies(&t->cx, t->conn, NULL), SM_OK);
}

static void case_bump_exec(void **state)
{
    (void)state;
    na_each(bump_exec_body);
}

/* -> each T: fn is required, ud may be NULL. */
static void events_body(na *t)
{
    NA_RC(events(NULL, t->conn, NULL, NULL), SM_MISUSE);
    NA_MISUSE(t, events(&t->cx, NULL, NULL, NULL));
    NA_MISUSE(t, events(&t->cx, t->conn, NULL, NULL));
}

static void case_events(void **state)
{
    (void)state;
    na_each(events_body);
}

static int count_event_n(void *ud, const EventN *row)
{
    (void)ud;
    (void)row;
    rows_seen++;
    return 0;
}

static void event_ns_body(na *t)
{
    NA_RC(event_ns(NULL, t->conn, 0, count_event_n, NULL), SM_MISUSE);
    NA_MISUSE(t, event_ns(&t->cx, NULL, 0, count_event_n, NULL));
    NA_MISUSE(t, event_ns(&t->cx, t->conn, 0, NULL, NULL));
    rows_seen = 0;
    NA_EXPECT(t, event_ns(&t->cx, t->conn, 0, count_event_n, NULL), SM_OK);
    assert_int_equal(rows_seen, 0);
}

static void case_event_ns(void **state)
{
    (void)state;
    na_each(event_ns_body);
}

/* Writes that return rows (MySQL emulates RETURNING with more
 * statements): a NULL output refuses the call before anything is
 * written. */
static void add_hero_body(na *t)
{
    Hero out;
    NA_MISUSE(t, add_hero(&t->cx, t->conn, "Deadpond", "Dive", NULL, NULL, NULL, &t->arena));
    NA_MISUSE(t, add_hero(&t->cx, t->conn, "Deadpond", "Dive", NULL, NULL, &out, NULL));
    NA_MISUSE(t, add_hero(&t->cx, t->conn, NULL, "Dive", NULL, NULL, &out, &t->arena));
    no_rows(t);
}

static void case_add_hero(void **state)
{
    (void)state;
    na_each(add_hero_body);
}

static void rename_hero_body(na *t)
{
    HeroRef out;
    NA_MISUSE(t, rename_hero(&t->cx, t->conn, 1, "x", NULL, &t->arena));
    NA_MISUSE(t, rename_hero(&t->cx, t->conn, 1, NULL, &out, &t->arena));
}

static void case_rename_hero(void **state)
{
    (void)state;
    na_each(rename_hero_body);
}

static void delete_older_body(na *t)
{
    HeroRef_list out;
    NA_MISUSE(t, delete_older(&t->cx, t->conn, 1, NULL, &t->arena));
    NA_MISUSE(t, delete_older(&t->cx, t->conn, 1, &out, NULL));
}

static void case_delete_older(void **state)
{
    (void)state;
    na_each(delete_older_body);
}

static void bump_body(na *t)
{
    Tally out;
    NA_MISUSE(t, bump(&t->cx, t->conn, "x", 1, NULL, &t->arena));
    NA_MISUSE(t, bump(&t->cx, t->conn, "x", 1, &out, NULL));
    NA_MISUSE(t, bump(&t->cx, t->conn, NULL, 1, &out, &t->arena));
    no_rows(t);
}

static void case_bump(void **state)
{
    (void)state;
    na_each(bump_body);
}

/* Raw SQL. */
static void raw_ages_body(na *t)
{
    NameAge_list out;
    NA_MISUSE(t, raw_ages(&t->cx, t->conn, 0, 9, NULL, &t->arena));
    NA_MISUSE(t, raw_ages(&t->cx, t->conn, 0, 9, &out, NULL));
    NA_EXPECT(t, raw_ages(&t->cx, t->conn, 0, 9, &out, &t->arena), SM_OK);
}

static void case_raw_ages(void **state)
{
    (void)state;
    na_each(raw_ages_body);
}

/* ---- A text primary key: key parameters are never NULL ------------------------------- */

static void tally_get_body(na *t)
{
    Tally out;
    NA_MISUSE(t, tally_get(&t->cx, t->conn, NULL, &out, &t->arena));
    NA_EXPECT(t, tally_get(&t->cx, t->conn, "x", &out, &t->arena), SM_NOTFOUND);
}

static void case_tally_get(void **state)
{
    (void)state;
    na_each(tally_get_body);
}

static void tally_delete_body(na *t)
{
    NA_MISUSE(t, tally_delete(&t->cx, t->conn, NULL));
    NA_EXPECT(t, tally_delete(&t->cx, t->conn, "x"), SM_NOTFOUND);
}

static void case_tally_delete(void **state)
{
    (void)state;
    na_each(tally_delete_body);
}

int main(void)
{
    na_set_schema(queries_create_all);
    const struct CMUnitTest tests[] = {
        NA_CASE(sm_query_rows),
        NA_CASE(sm_query_exec),
        NA_CASE(sm_query_each),
        NA_CASE(all_heroes),
        NA_CASE(hero_named),
        NA_CASE(first_of_team),
        NA_CASE(name_like),
        NA_CASE(ids_in),
        NA_CASE(names_in),
        NA_CASE(heroes_filter),
        NA_CASE(team_sizes_over),
        NA_CASE(heroes_with_age),
        NA_CASE(heroes_page),
        NA_CASE(count_heroes),
        NA_CASE(mean_rating),
        NA_CASE(many_older),
        NA_CASE(oldest_in),
        NA_CASE(secret_of),
        NA_CASE(salary_set),
        NA_CASE(patch_hero),
        NA_CASE(add_team),
        NA_CASE(bump_exec),
        NA_CASE(events),
        NA_CASE(event_ns),
        NA_CASE(add_hero),
        NA_CASE(rename_hero),
        NA_CASE(delete_older),
        NA_CASE(bump),
        NA_CASE(raw_ages),
        NA_CASE(tally_get),
        NA_CASE(tally_delete),
    };
    return NA_RUN("nullargs_queries", tests);
}
