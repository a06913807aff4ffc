/*
 * test_q_variant.c: queries whose SQL is chosen per call, on every
 * dialect: optional predicates `:p?` in every combination (where and
 * having), a nullable parameter used without `?` (binds NULL), and
 * dynamic sorting `sort(...)` with `dir` in every choice; an argument
 * outside its enum is SM_MISUSE.  Expected rows are computed from the
 * seeded table with the SQL semantics spelled out in C.
 */
#include "qtest.h"

#define SCRIBBLE(obj) memset(&(obj), 0xA5, sizeof(obj))

/* ---- Optional predicates ------------------------------------------------------ */

typedef struct filter {
    const char *name;
    int64_t min_age;
    Power power;
    int64_t team;
} filter;

/* Does seeded hero i pass the conjuncts `mask` keeps?  A comparison with
 * NULL is not true. */
static bool passes(const filter *f, unsigned mask, int i)
{
    const qt_hero *h = &qt_heroes[i];
    if ((mask & 1) && strcmp(h->name, f->name) != 0)
        return false;
    if ((mask & 2) && !(h->has_age && h->age >= f->min_age))
        return false;
    if ((mask & 4) && h->power != f->power)
        return false;
    if ((mask & 8) && !(h->team != 0 && h->team == f->team))
        return false;
    return true;
}

static void optional_predicates(tdb *t)
{
    static const filter filters[] = {
        {"Rusty-Man", 40, POWER_STRENGTH, 1},
        {"Deadpond", 30, POWER_FLIGHT, 2},
        {"Tarantula", 0, POWER_SPEED, 1},
        {"Nobody", 200, POWER_TELEPATHY, 3},
    };
    qt_seed(t);
    for (size_t k = 0; k < sizeof filters / sizeof *filters; k++) {
        const filter *f = &filters[k];
        for (unsigned mask = 0; mask < 16; mask++) {
            char want[64] = "", what[64];
            size_t used = 0;
            for (int i = 0; i < QT_NHEROES; i++)
                if (passes(f, mask, i))
                    used += (size_t)snprintf(want + used, sizeof want - used, "%s%d",
                                             used ? " " : "", i + 1);
            HeroRef_list l;
            snprintf(what, sizeof what, "filter %zu, mask %u", k, mask);
            int rc = heroes_filter(&t->cx, t->conn, mask & 1 ? f->name : NULL,
                                   mask & 2 ? &f->min_age : NULL, mask & 4 ? &f->power : NULL,
                                   mask & 8 ? &f->team : NULL, &l, &t->arena);
            if (tdb_check_rc(t, __FILE__, __LINE__, what, rc, SM_OK))
                qt_check_refs(t, __FILE__, __LINE__, what, l.items, l.len, want);
        }
    }
}

static void check_sizes(tdb *t, const TeamSize_list *l, const char *const *teams,
                        const int64_t *heroes, size_t n)
{
    if (!QT_INT(t, l->len, n))
        return;
    for (size_t i = 0; i < n; i++) {
        QT_STR(t, l->items[i].team, teams[i]);
        QT_INT(t, l->items[i].heroes, heroes[i]);
    }
}

static void optional_having(tdb *t)
{
    TeamSize_list l;
    int64_t one = 1;
    qt_seed(t);
    QT_OK(t, team_sizes_over(&t->cx, t->conn, NULL, NULL, &l, &t->arena));
    check_sizes(t, &l, (const char *const[]){"Empty Nest", "Preventers", "Z-Force"},
                (const int64_t[]){0, 3, 2}, 3);
    QT_OK(t, team_sizes_over(&t->cx, t->conn, &one, NULL, &l, &t->arena));
    check_sizes(t, &l, (const char *const[]){"Preventers", "Z-Force"}, (const int64_t[]){3, 2}, 2);
    QT_OK(t, team_sizes_over(&t->cx, t->conn, NULL, "Sharp Tower", &l, &t->arena));
    check_sizes(t, &l, (const char *const[]){"Empty Nest", "Z-Force"}, (const int64_t[]){0, 2}, 2);
    QT_OK(t, team_sizes_over(&t->cx, t->conn, &one, "Sharp Tower", &l, &t->arena));
    check_sizes(t, &l, (const char *const[]){"Z-Force"}, (const int64_t[]){2}, 1);
}

static void nullable_without_marker(tdb *t)
{
    HeroRef_list l;
    int64_t age = 36;
    qt_seed(t);
    QT_OK(t, heroes_with_age(&t->cx, t->conn, &age, &l, &t->arena));
    QT_REFS(t, l, "6");
    /* NULL binds SQL NULL: `age = NULL` is never true. */
    QT_OK(t, heroes_with_age(&t->cx, t->conn, NULL, &l, &t->arena));
    QT_REFS(t, l, "");
}

/* ---- Dynamic sort -------------------------------------------------------------- */

typedef struct sort_key {
    heroes_sorted_sort sort;
    sm_dir dir;
} sort_key;

/* -1, 0, 1 as seeded hero a sorts before, with or after b on the key,
 * NULL being the smallest value; ties go by id, ascending. */
static int compare(sort_key k, int a, int b)
{
    const qt_hero *x = &qt_heroes[a], *y = &qt_heroes[b];
    int c = 0;
    switch (k.sort) {
    case HEROES_SORTED_SORT_NAME:
        c = strcmp(x->name, y->name);
        break;
    case HEROES_SORTED_SORT_AGE:
        c = x->has_age != y->has_age ? (x->has_age ? 1 : -1)
                                     : (x->age > y->age) - (x->age < y->age);
        break;
    case HEROES_SORTED_SORT_RATING:
        c = x->has_rating != y->has_rating ? (x->has_rating ? 1 : -1)
                                           : (x->rating > y->rating) - (x->rating < y->rating);
        break;
    }
    c = c < 0 ? -1 : c > 0;
    if (k.dir == SM_DESC)
        c = -c;
    return c ? c : (a > b) - (a < b);
}

static void sorted_ids(sort_key k, char *out, size_t size)
{
    int order[QT_NHEROES];
    for (int i = 0; i < QT_NHEROES; i++)
        order[i] = i;
    for (int i = 1; i < QT_NHEROES; i++) /* insertion sort: nine rows */
        for (int j = i; j > 0 && compare(k, order[j - 1], order[j]) > 0; j--) {
            int tmp = order[j];
            order[j] = order[j - 1];
            order[j - 1] = tmp;
        }
    size_t used = 0;
    out[0] = 0;
    for (int i = 0; i < QT_NHEROES; i++)
        used += (size_t)snprintf(out + used, size - used, "%s%d", i ? " " : "", order[i] + 1);
}

static void dynamic_sort(tdb *t)
{
    static const char *const names[] = {"name", "age", "rating"};
    qt_seed(t);
    for (int s = 0; s < 3; s++)
        for (int d = 0; d < 2; d++) {
            sort_key k = {(heroes_sorted_sort)s, (sm_dir)d};
            char want[64], what[64];
            HeroRef_list l;
            sorted_ids(k, want, sizeof want);
            snprintf(what, sizeof what, "sort by %s %s", names[s], d ? "desc" : "asc");
            int rc = heroes_sorted(&t->cx, t->conn, k.sort, k.dir, &l, &t->arena);
            if (tdb_check_rc(t, __FILE__, __LINE__, what, rc, SM_OK))
                qt_check_refs(t, __FILE__, __LINE__, what, l.items, l.len, want);
        }

    /* Choices from two joined models; ties by Hero.id.  Heroes with a
     * team: 1 (Z-Force, no age), 2 (Preventers, no age), 3 (Preventers,
     * 48), 6 (Z-Force, 36), 7 (Preventers, 93); Z-Force has no budget. */
    static const struct {
        roster_sorted_sort sort;
        sm_dir dir;
        int heroes[5];
    } roster[] = {
        {ROSTER_SORTED_SORT_AGE, SM_ASC, {1, 2, 6, 3, 7}},
        {ROSTER_SORTED_SORT_AGE, SM_DESC, {7, 3, 6, 1, 2}},
        {ROSTER_SORTED_SORT_BUDGET, SM_ASC, {1, 6, 2, 3, 7}},
        {ROSTER_SORTED_SORT_BUDGET, SM_DESC, {2, 3, 7, 1, 6}},
    };
    for (size_t i = 0; i < 4; i++) {
        Membership_list m;
        if (!QT_OK(t, roster_sorted(&t->cx, t->conn, roster[i].sort, roster[i].dir, &m,
                                    &t->arena)) ||
            !QT_INT(t, m.len, 5))
            continue;
        for (size_t j = 0; j < 5; j++) {
            const qt_hero *h = &qt_heroes[roster[i].heroes[j] - 1];
            QT_STR(t, m.items[j].hero, h->name);
            QT_STR(t, m.items[j].team, qt_teams[h->team - 1].name);
        }
    }
}

/* Optional predicates and sort choices in one query: every combination
 * of present parameters, sort column and direction. */
static void filtered_and_sorted(tdb *t)
{
    static const int64_t min_ages[] = {33, 36};
    static const int64_t teams[] = {1, 2};
    qt_seed(t);
    for (unsigned mask = 0; mask < 4; mask++)
        for (int s = 0; s < 3; s++)
            for (int d = 0; d < 2; d++)
                for (int k = 0; k < 2; k++) {
                    sort_key key = {(heroes_sorted_sort)s, (sm_dir)d};
                    char all[64], want[64] = "", what[80];
                    const int64_t *min_age = mask & 1 ? &min_ages[k] : NULL;
                    const int64_t *team = mask & 2 ? &teams[k] : NULL;
                    sorted_ids(key, all, sizeof all);
                    /* Keep the sorted ids the present conjuncts let through. */
                    size_t used = 0;
                    for (const char *p = all; *p;) {
                        char *end;
                        long id = strtol(p, &end, 10);
                        const qt_hero *h = &qt_heroes[id - 1];
                        bool pass = (!min_age || (h->has_age && h->age >= *min_age)) &&
                                    (!team || h->team == *team);
                        if (pass)
                            used += (size_t)snprintf(want + used, sizeof want - used, "%s%ld",
                                                     used ? " " : "", id);
                        p = *end ? end + 1 : end;
                    }
                    snprintf(what, sizeof what, "mask %u, sort %d, dir %d, values %d", mask, s, d,
                             k);
                    HeroRef_list l;
                    int rc = heroes_page(&t->cx, t->conn, min_age, (heroes_page_sort)s, key.dir,
                                         team, &l, &t->arena);
                    if (tdb_check_rc(t, __FILE__, __LINE__, what, rc, SM_OK))
                        qt_check_refs(t, __FILE__, __LINE__, what, l.items, l.len, want);
                }
}

static void sort_misuse(tdb *t)
{
    HeroRef_list l;
    Membership_list m;
    qt_seed(t);
    SCRIBBLE(l);
    QT_RC(t, heroes_sorted(&t->cx, t->conn, (heroes_sorted_sort)3, SM_ASC, &l, &t->arena),
          SM_MISUSE);
    QT_TRUE(t, strstr(sm_cx_errmsg(&t->cx), "heroes_sorted") != NULL);
    QT_ZERO(t, l);
    SCRIBBLE(l);
    QT_RC(t, heroes_sorted(&t->cx, t->conn, (heroes_sorted_sort)-1, SM_DESC, &l, &t->arena),
          SM_MISUSE);
    QT_ZERO(t, l);
    SCRIBBLE(l);
    QT_RC(t, heroes_sorted(&t->cx, t->conn, HEROES_SORTED_SORT_AGE, (sm_dir)2, &l, &t->arena),
          SM_MISUSE);
    QT_ZERO(t, l);
    SCRIBBLE(m);
    QT_RC(t, roster_sorted(&t->cx, t->conn, (roster_sorted_sort)2, SM_ASC, &m, &t->arena),
          SM_MISUSE);
    QT_ZERO(t, m);
    /* Nothing was left behind: the next call works. */
    QT_OK(t, heroes_sorted(&t->cx, t->conn, HEROES_SORTED_SORT_NAME, SM_ASC, &l, &t->arena));
    QT_REFS(t, l, "5 7 1 6 9 3 8 2 4");
}

static void test_optional_predicates(void **state)
{
    (void)state;
    tdb_each(queries_create_all, optional_predicates);
}

static void test_optional_having(void **state)
{
    (void)state;
    tdb_each(queries_create_all, optional_having);
}

static void test_nullable_without_marker(void **state)
{
    (void)state;
    tdb_each(queries_create_all, nullable_without_marker);
}

static void test_dynamic_sort(void **state)
{
    (void)state;
    tdb_each(queries_create_all, dynamic_sort);
}

static void test_filtered_and_sorted(void **state)
{
    (void)state;
    tdb_each(queries_create_all, filtered_and_sorted);
}

static void test_sort_misuse(void **state)
{
    (void)state;
    tdb_each(queries_create_all, sort_misuse);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_optional_predicates),
        cmocka_unit_test(test_optional_having),
        cmocka_unit_test(test_nullable_without_marker),
        cmocka_unit_test(test_dynamic_sort),
        cmocka_unit_test(test_filtered_and_sorted),
        cmocka_unit_test(test_sort_misuse),
    };
    return tdb_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
