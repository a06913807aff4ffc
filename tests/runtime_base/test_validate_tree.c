/*
 * test_validate_tree.c: validation of nested models and lists (paths),
 * the cap of 100 errors, the depth limit, partial models ("set" versus "null"), and the pattern
 * cache under concurrent first use from several threads.
 */
#include "internal.h"

#include <math.h>
#include <pthread.h>
#include <regex.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define NO_BOUNDS 0, 0, 0, 0.0, 0.0

typedef struct want {
    const char *path, *code, *msg;
} want;

static void expect_errors(const sm_errors *e, const want *w, size_t n)
{
    for (size_t i = 0; i < e->len && i < n; i++) {
        if (strcmp(e->items[i].path, w[i].path) || strcmp(e->items[i].code, w[i].code) ||
            strcmp(e->items[i].msg, w[i].msg))
            fail_msg("error %zu: got {%s, %s, %s}, want {%s, %s, %s}", i, e->items[i].path,
                     e->items[i].code, e->items[i].msg, w[i].path, w[i].code, w[i].msg);
    }
    if (e->len != n) {
        for (size_t i = 0; i < e->len; i++)
            print_message("  {%s, %s, %s}\n", e->items[i].path, e->items[i].code,
                          e->items[i].msg);
        fail_msg("%zu errors, want %zu", e->len, n);
    }
}

/* ---- Nested models and lists ---------------------------------------------------- */

/*
 * model Address { city: text @min_len(1); zip: text? @pattern("^[0-9]{5}$"); }
 * model Person {
 *     name: text;
 *     home: Address;
 *     work: Address?;
 *     others: [Address] @min_len(1) @max_len(3);
 * }
 */
typedef struct Address {
    const char *city;
    const char *zip;
} Address;
typedef struct Address_list {
    Address *items;
    size_t len;
} Address_list;
typedef struct Person {
    const char *name;
    Address home;
    Address work;
    bool has_work;
    Address_list others;
} Person;

static sm_pattern zip_pattern = {"^[0-9]{5}$", NULL};
static const sm_check city_check = {1, -1, NO_BOUNDS, NULL, NULL};
static const sm_check zip_check = {-1, -1, NO_BOUNDS, &zip_pattern, NULL};
static const sm_check others_check = {1, 3, NO_BOUNDS, NULL, NULL};

static const sm_field address_fields[] = {
    {.name = "city", .json = "city", .offset = offsetof(Address, city), .has = SM_NONE,
     .isnull = SM_NONE, .type = SM_T_TEXT, .check = &city_check},
    {.name = "zip", .json = "zip", .offset = offsetof(Address, zip), .has = SM_NONE,
     .isnull = SM_NONE, .type = SM_T_TEXT, .flags = SM_F_NULLABLE, .check = &zip_check},
};
static const sm_model address_model = {
    .name = "Address", .size = sizeof(Address), .fields = address_fields, .nfields = 2,
};
static const sm_field person_fields[] = {
    {.name = "name", .json = "name", .offset = offsetof(Person, name), .has = SM_NONE,
     .isnull = SM_NONE, .type = SM_T_TEXT},
    {.name = "home", .json = "home", .offset = offsetof(Person, home), .has = SM_NONE,
     .isnull = SM_NONE, .type = SM_T_MODEL, .model = &address_model},
    {.name = "work", .json = "work", .offset = offsetof(Person, work),
     .has = offsetof(Person, has_work), .isnull = SM_NONE, .type = SM_T_MODEL,
     .flags = SM_F_NULLABLE, .model = &address_model},
    {.name = "others", .json = "others", .offset = offsetof(Person, others), .has = SM_NONE,
     .isnull = SM_NONE, .type = SM_T_LIST, .check = &others_check, .model = &address_model},
};
static const sm_model person_model = {
    .name = "Person", .size = sizeof(Person), .fields = person_fields, .nfields = 4,
};

static void test_nested_paths(void **state)
{
    (void)state;
    Address others[3] = {{"Paris", "75001"}, {"Lyon", "12"}, {"", NULL}};
    Person p = {"Ann", {"", "abcde"}, {"", "1"}, false, {others, 3}};
    sm_errors e = SM_ERRORS_INIT;
    assert_int_equal(sm_model_validate(&person_model, &p, &e), SM_INVALID);
    const want w[] = {
        {"home.city", "too_short", "must be at least 1 character"},
        {"home.zip", "pattern", "must match pattern '^[0-9]{5}$'"},
        {"others[1].zip", "pattern", "must match pattern '^[0-9]{5}$'"},
        {"others[2].city", "too_short", "must be at least 1 character"},
    };
    expect_errors(&e, w, sizeof w / sizeof w[0]);

    /* A present nullable nested model is validated. */
    sm_errors_clear(&e);
    p.has_work = true;
    assert_int_equal(sm_validate_prefixed(&person_model, &p, &e, "people[4]"), SM_INVALID);
    const want w2[] = {
        {"people[4].home.city", "too_short", "must be at least 1 character"},
        {"people[4].home.zip", "pattern", "must match pattern '^[0-9]{5}$'"},
        {"people[4].work.city", "too_short", "must be at least 1 character"},
        {"people[4].work.zip", "pattern", "must match pattern '^[0-9]{5}$'"},
        {"people[4].others[1].zip", "pattern", "must match pattern '^[0-9]{5}$'"},
        {"people[4].others[2].city", "too_short", "must be at least 1 character"},
    };
    expect_errors(&e, w2, sizeof w2 / sizeof w2[0]);

    /* Fixed, it is valid. */
    sm_errors_clear(&e);
    p.home.city = "Nice";
    p.home.zip = NULL;
    p.work.city = "Metz";
    p.work.zip = "57000";
    others[1].zip = "69001";
    others[2].city = "Lille";
    assert_int_equal(sm_model_validate(&person_model, &p, &e), SM_OK);
    assert_int_equal(e.len, 0);
    sm_errors_free(&e);
}

static void test_list_length_and_storage(void **state)
{
    (void)state;
    Address four[4] = {{"a", NULL}, {"b", NULL}, {"c", NULL}, {"d", NULL}};
    Person p = {"Ann", {"x", NULL}, {NULL, NULL}, false, {four, 4}};
    sm_errors e = SM_ERRORS_INIT;
    assert_int_equal(sm_model_validate(&person_model, &p, &e), SM_INVALID);
    expect_errors(&e, &(want){"others", "too_long", "must be at most 3 items"}, 1);
    sm_errors_clear(&e);
    p.others.len = 0;
    assert_int_equal(sm_model_validate(&person_model, &p, &e), SM_INVALID);
    expect_errors(&e, &(want){"others", "too_short", "must be at least 1 item"}, 1);
    sm_errors_clear(&e);
    p.others.items = NULL;
    p.others.len = 2;
    assert_int_equal(sm_model_validate(&person_model, &p, &e), SM_INVALID);
    expect_errors(&e, &(want){"others", "type", "has 2 items but no storage"}, 1);
    sm_errors_clear(&e);
    /* A required text inside a list element. */
    four[1].city = NULL;
    p.others.items = four;
    p.others.len = 2;
    assert_int_equal(sm_model_validate(&person_model, &p, &e), SM_INVALID);
    expect_errors(&e, &(want){"others[1].city", "required", "is required"}, 1);
    sm_errors_free(&e);
}

/* ---- The cap of 100 errors ----------------------------------------------------------- */

/* Walks stop at the cap: a million bad items give 100 errors and the
 * too_many_errors one, without visiting the rest (the check function
 * counts the items validated). */
static int city_calls;
static const char *count_city(const void *value)
{
    (void)value;
    city_calls++;
    return NULL;
}

static void test_errors_stop_at_the_cap(void **state)
{
    (void)state;
    static const sm_check counted_city = {1, -1, NO_BOUNDS, NULL, count_city};
    static const sm_field fields[] = {
        {.name = "city", .json = "city", .offset = offsetof(Address, city), .has = SM_NONE,
         .isnull = SM_NONE, .type = SM_T_TEXT, .check = &counted_city},
        {.name = "zip", .json = "zip", .offset = offsetof(Address, zip), .has = SM_NONE,
         .isnull = SM_NONE, .type = SM_T_TEXT, .flags = SM_F_NULLABLE, .check = &zip_check},
    };
    static const sm_model counted = {
        .name = "Address", .size = sizeof(Address), .fields = fields, .nfields = 2,
    };
    static const sm_field list_fields[] = {
        {.name = "others", .json = "others", .offset = 0, .has = SM_NONE, .isnull = SM_NONE,
         .type = SM_T_LIST, .model = &counted},
    };
    static const sm_model holder = {
        .name = "Holder", .size = sizeof(Address_list), .fields = list_fields, .nfields = 1,
    };
    const size_t n = 1000000;
    Address *items = calloc(n, sizeof *items);
    assert_non_null(items);
    for (size_t i = 0; i < n; i++)
        items[i] = (Address){"c", "bad"};
    Address_list l = {items, n};
    sm_errors e = SM_ERRORS_INIT;
    city_calls = 0;
    assert_int_equal(sm_model_validate(&holder, &l, &e), SM_INVALID);
    assert_int_equal(e.len, 101);
    for (size_t i = 0; i < 100; i++) {
        char path[32];
        snprintf(path, sizeof path, "others[%zu].zip", i);
        assert_string_equal(e.items[i].path, path);
        assert_string_equal(e.items[i].code, "pattern");
    }
    assert_string_equal(e.items[100].path, "");
    assert_string_equal(e.items[100].code, "too_many_errors");
    assert_int_equal(city_calls, 101); /* the 101st item was the last one looked at */

    /* A full list: the verdict only, nothing added, nothing walked past
     * the first error. */
    city_calls = 0;
    assert_int_equal(sm_model_validate(&holder, &l, &e), SM_INVALID);
    assert_int_equal(e.len, 101);
    assert_int_equal(city_calls, 1);
    /* A list with room for 3: 3 errors, then the marker. */
    sm_errors_truncate(&e, 97);
    assert_int_equal(sm_model_validate(&holder, &l, &e), SM_INVALID);
    assert_int_equal(e.len, 101);
    assert_string_equal(e.items[99].path, "others[2].zip");
    assert_string_equal(e.items[100].code, "too_many_errors");
    /* Valid, a full list changes nothing. */
    for (size_t i = 0; i < n; i++)
        items[i].zip = NULL;
    assert_int_equal(sm_model_validate(&holder, &l, &e), SM_OK);
    assert_int_equal(e.len, 101);
    sm_errors_free(&e);
    free(items);
}

/* ---- Depth ----------------------------------------------------------------------- */

/* model Node { v: int @ge(0); children: [Node]; } */
typedef struct Node Node;
typedef struct Node_list {
    Node *items;
    size_t len;
} Node_list;
struct Node {
    int64_t v;
    Node_list children;
};
static const sm_check v_check = {-1, -1, SM_B_GE, 0, 0, 0.0, 0.0, NULL, NULL};
static const sm_model node_model;
static const sm_field node_fields[] = {
    {.name = "v", .json = "v", .offset = offsetof(Node, v), .has = SM_NONE, .isnull = SM_NONE,
     .type = SM_T_INT, .check = &v_check},
    {.name = "children", .json = "children", .offset = offsetof(Node, children),
     .has = SM_NONE, .isnull = SM_NONE, .type = SM_T_LIST, .model = &node_model},
};
static const sm_model node_model = {
    .name = "Node", .size = sizeof(Node), .fields = node_fields, .nfields = 2,
};

/* A chain of n nodes, each the only child of the previous one. */
static Node *chain(size_t n, int64_t v)
{
    Node *nodes = calloc(n, sizeof *nodes);
    assert_non_null(nodes);
    for (size_t i = 0; i < n; i++) {
        nodes[i].v = v;
        if (i + 1 < n) {
            nodes[i].children.items = &nodes[i + 1];
            nodes[i].children.len = 1;
        }
    }
    return nodes;
}

static void test_depth_64_is_fine(void **state)
{
    (void)state;
    Node *nodes = chain(64, 1);
    sm_errors e = SM_ERRORS_INIT;
    assert_int_equal(sm_model_validate(&node_model, nodes, &e), SM_OK);
    nodes[63].v = -1;
    assert_int_equal(sm_model_validate(&node_model, nodes, &e), SM_INVALID);
    assert_int_equal(e.len, 1);
    assert_string_equal(e.items[0].code, "out_of_range");
    /* "children[0]." 63 times, then "v" */
    assert_int_equal(strlen(e.items[0].path), 63 * strlen("children[0].") + 1);
    sm_errors_free(&e);
    free(nodes);
}

/* 100 levels, every one invalid: the 64 reachable levels report their
 * error, then exactly one "depth" error at level 65. */
static void test_depth_limit(void **state)
{
    (void)state;
    Node *nodes = chain(100, -1);
    sm_errors e = SM_ERRORS_INIT;
    assert_int_equal(sm_model_validate(&node_model, nodes, &e), SM_INVALID);
    assert_int_equal(e.len, 65);
    sm_buf path = SM_BUF_INIT;
    for (size_t i = 0; i < 64; i++) {
        sm_buf_reset(&path);
        for (size_t k = 0; k < i; k++)
            assert_int_equal(sm_buf_puts(&path, "children[0]."), SM_OK);
        assert_int_equal(sm_buf_puts(&path, "v"), SM_OK);
        assert_string_equal(e.items[i].path, path.data);
        assert_string_equal(e.items[i].code, "out_of_range");
    }
    sm_buf_reset(&path);
    for (size_t k = 0; k < 64; k++)
        assert_int_equal(sm_buf_puts(&path, k ? ".children[0]" : "children[0]"), SM_OK);
    assert_string_equal(e.items[64].path, path.data);
    assert_string_equal(e.items[64].code, "depth");
    assert_string_equal(e.items[64].msg, "nested deeper than 64 levels");
    sm_buf_free(&path);
    sm_errors_free(&e);
    free(nodes);
}

/* Two branches that are both too deep still give one "depth" error. */
static void test_depth_error_reported_once(void **state)
{
    (void)state;
    Node *a = chain(80, 1), *b = chain(80, 1);
    Node root[1];
    Node kids[2] = {a[0], b[0]};
    root[0].v = 1;
    root[0].children.items = kids;
    root[0].children.len = 2;
    sm_errors e = SM_ERRORS_INIT;
    assert_int_equal(sm_model_validate(&node_model, root, &e), SM_INVALID);
    assert_int_equal(e.len, 1);
    assert_string_equal(e.items[0].code, "depth");
    assert_int_equal(strncmp(e.items[0].path, "children[0].", 12), 0);
    /* Without an error list the verdict is the same. */
    assert_int_equal(sm_model_validate(&node_model, root, NULL), SM_INVALID);
    sm_errors_free(&e);
    free(a);
    free(b);
}

/* ---- Partial models ---------------------------------------------------------------- */

typedef enum Power { POWER_FLIGHT, POWER_STRENGTH, POWER_SPEED } Power;
static const char *const power_members[] = {"flight", "strength", "speed"};
static const sm_enum power_enum = {"Power", power_members, 3};

/*
 * model HeroUpdate = partial Hero, where Hero has
 *   name: text @max_len(5); nick: text?; age: int? @ge(0); level: i32 @gt(0);
 *   score: float; avatar: bytes?; blob: bytes; power: Power;
 */
typedef struct HeroUpdate {
    const char *name;
    bool has_name;
    const char *nick;
    bool has_nick;
    int64_t age;
    bool has_age;
    bool age_null;
    int32_t level;
    bool has_level;
    double score;
    bool has_score;
    sm_bytes avatar;
    bool has_avatar;
    sm_bytes blob;
    bool has_blob;
    Power power;
    bool has_power;
} HeroUpdate;

static const sm_check pname_check = {-1, 5, NO_BOUNDS, NULL, NULL};
static const sm_check page_check = {-1, -1, SM_B_GE, 0, 0, 0.0, 0.0, NULL, NULL};
static const sm_check plevel_check = {-1, -1, SM_B_GT, 0, 0, 0.0, 0.0, NULL, NULL};

#define PF(f, t, fl, nullf, chk)                                                             \
    {                                                                                      \
        .name = #f, .column = #f, .json = #f, .offset = offsetof(HeroUpdate, f),           \
        .has = offsetof(HeroUpdate, has_##f), .isnull = nullf, .type = t,                  \
        .flags = (uint16_t)(SM_F_COLUMN | (fl)), .check = chk                              \
    }
static const sm_field update_fields[] = {
    PF(name, SM_T_TEXT, 0, SM_NONE, &pname_check),
    PF(nick, SM_T_TEXT, SM_F_NULLABLE, SM_NONE, NULL),
    PF(age, SM_T_INT, SM_F_NULLABLE, offsetof(HeroUpdate, age_null), &page_check),
    PF(level, SM_T_I32, 0, SM_NONE, &plevel_check),
    PF(score, SM_T_FLOAT, 0, SM_NONE, NULL),
    PF(avatar, SM_T_BYTES, SM_F_NULLABLE, SM_NONE, NULL),
    PF(blob, SM_T_BYTES, 0, SM_NONE, NULL),
    {.name = "power", .column = "power", .json = "power", .offset = offsetof(HeroUpdate, power),
     .has = offsetof(HeroUpdate, has_power), .isnull = SM_NONE, .type = SM_T_ENUM,
     .flags = SM_F_COLUMN, .enm = &power_enum},
};
static const sm_model update_model = {
    .name = "HeroUpdate", .size = sizeof(HeroUpdate), .fields = update_fields,
    .nfields = sizeof update_fields / sizeof update_fields[0], .flags = SM_M_PARTIAL,
};

/* Unset fields are not looked at, whatever they hold. */
static void test_partial_unset_fields_are_skipped(void **state)
{
    (void)state;
    HeroUpdate u;
    memset(&u, 0, sizeof u);
    u.name = "\xff not utf-8 and far too long";
    u.age = -100;
    u.level = -3;
    u.score = NAN;
    u.blob.len = 9;
    u.power = (Power)99;
    sm_errors e = SM_ERRORS_INIT;
    assert_int_equal(sm_model_validate(&update_model, &u, &e), SM_OK);
    assert_int_equal(e.len, 0);
    sm_errors_free(&e);
}

static void test_partial_set_fields_are_checked(void **state)
{
    (void)state;
    HeroUpdate u;
    memset(&u, 0, sizeof u);
    u.has_name = true;
    u.name = "toolong";
    u.has_age = true;
    u.age = -1;
    u.has_level = true;
    u.level = 0;
    u.has_score = true;
    u.score = INFINITY;
    u.has_power = true;
    u.power = (Power)3;
    sm_errors e = SM_ERRORS_INIT;
    assert_int_equal(sm_model_validate(&update_model, &u, &e), SM_INVALID);
    const want w[] = {
        {"name", "too_long", "must be at most 5 characters"},
        {"age", "out_of_range", "must be >= 0"},
        {"level", "out_of_range", "must be > 0"},
        {"score", "finite", "must be a finite number"},
        {"power", "enum", "must be a Power member (got 3)"},
    };
    expect_errors(&e, w, sizeof w / sizeof w[0]);
    sm_errors_clear(&e);
    u.name = "ok";
    u.age = 0;
    u.level = 1;
    u.score = -1e300;
    u.power = POWER_FLIGHT;
    assert_int_equal(sm_model_validate(&update_model, &u, &e), SM_OK);
    sm_errors_free(&e);
}

/* Set to null: fine for nullable fields (and no further checks), a
 * "required" error for the others. */
static void test_partial_set_to_null(void **state)
{
    (void)state;
    HeroUpdate u;
    memset(&u, 0, sizeof u);
    u.has_nick = true; /* nick = NULL */
    u.has_age = true;
    u.age_null = true;
    u.age = -5; /* ignored: the value is null */
    u.has_avatar = true; /* avatar.data = NULL */
    sm_errors e = SM_ERRORS_INIT;
    assert_int_equal(sm_model_validate(&update_model, &u, &e), SM_OK);
    assert_int_equal(e.len, 0);

    u.has_name = true; /* name = NULL on a non-nullable field */
    u.has_blob = true; /* blob.data = NULL on a non-nullable field */
    assert_int_equal(sm_model_validate(&update_model, &u, &e), SM_INVALID);
    const want w[] = {
        {"name", "required", "must not be null"},
        {"blob", "required", "must not be null"},
    };
    expect_errors(&e, w, 2);
    sm_errors_clear(&e);
    /* Set to an empty value is not null. */
    u.name = "";
    u.blob.data = (const uint8_t *)"";
    assert_int_equal(sm_model_validate(&update_model, &u, &e), SM_OK);
    sm_errors_free(&e);
}

/* ---- Pattern cache under concurrent first use ---------------------------------------- */

typedef struct Tag {
    const char *label;
} Tag;
static sm_pattern label_pattern = {"^[a-z]+[0-9]*$", NULL};
static const sm_check label_check = {-1, -1, NO_BOUNDS, &label_pattern, NULL};
static const sm_field tag_fields[] = {
    {.name = "label", .json = "label", .offset = offsetof(Tag, label), .has = SM_NONE,
     .isnull = SM_NONE, .type = SM_T_TEXT, .check = &label_check},
};
static const sm_model tag_model = {
    .name = "Tag", .size = sizeof(Tag), .fields = tag_fields, .nfields = 1,
};

enum { NTHREADS = 8, ROUNDS = 40, PER_THREAD = 100 };

typedef struct race {
    pthread_barrier_t *start;
    int wrong; /* results that were not as expected */
    void *seen; /* the compiled pattern this thread ended up using */
} race;

static void *racer(void *arg)
{
    race *r = arg;
    pthread_barrier_wait(r->start);
    static const char *const labels[] = {"abc", "abc123", "ABC", "1abc", "zz9", "a b"};
    static const bool valid[] = {true, true, false, false, true, false};
    for (int i = 0; i < PER_THREAD; i++) {
        sm_errors e = SM_ERRORS_INIT;
        Tag t = {labels[i % 6]};
        int rc = sm_model_validate(&tag_model, &t, &e);
        bool ok = valid[i % 6] ? rc == SM_OK && e.len == 0
                               : rc == SM_INVALID && e.len == 1 &&
                                     strcmp(e.items[0].code, "pattern") == 0;
        if (!ok)
            r->wrong++;
        sm_errors_free(&e);
        if (i == 0)
            r->seen = __atomic_load_n(&label_pattern.compiled, __ATOMIC_ACQUIRE);
    }
    return NULL;
}

/* Each round starts with an uncompiled pattern and lets the threads race
 * to compile it.  They must all end up with the same compiled pattern,
 * and the copies of the losers must be freed (LeakSanitizer checks). */
static void test_pattern_cache_concurrent_first_use(void **state)
{
    (void)state;
    for (int round = 0; round < ROUNDS; round++) {
        pthread_barrier_t start;
        assert_int_equal(pthread_barrier_init(&start, NULL, NTHREADS), 0);
        pthread_t th[NTHREADS];
        race rs[NTHREADS];
        for (int i = 0; i < NTHREADS; i++) {
            rs[i].start = &start;
            rs[i].wrong = 0;
            rs[i].seen = NULL;
            assert_int_equal(pthread_create(&th[i], NULL, racer, &rs[i]), 0);
        }
        for (int i = 0; i < NTHREADS; i++)
            assert_int_equal(pthread_join(th[i], NULL), 0);
        pthread_barrier_destroy(&start);
        void *compiled = label_pattern.compiled;
        assert_non_null(compiled);
        for (int i = 0; i < NTHREADS; i++) {
            assert_int_equal(rs[i].wrong, 0);
            assert_ptr_equal(rs[i].seen, compiled);
        }
        /* Forget the cached pattern so the next round races again. */
        regfree(compiled);
        free(compiled);
        label_pattern.compiled = NULL;
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nested_paths),
        cmocka_unit_test(test_list_length_and_storage),
        cmocka_unit_test(test_errors_stop_at_the_cap),
        cmocka_unit_test(test_depth_64_is_fine),
        cmocka_unit_test(test_depth_limit),
        cmocka_unit_test(test_depth_error_reported_once),
        cmocka_unit_test(test_partial_unset_fields_are_skipped),
        cmocka_unit_test(test_partial_set_fields_are_checked),
        cmocka_unit_test(test_partial_set_to_null),
        cmocka_unit_test(test_pattern_cache_concurrent_first_use),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
