/*
 * test_validate.c: sm_model_validate on a table model described by hand,
 * as smc generates it: each rule on its own (good value, bad value, the
 * exact error), several errors at once, path prefixes, check functions,
 * patterns that fail to compile, relationships left alone.
 */
#include "internal.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* ---- The model -------------------------------------------------------------- */

typedef enum Power { POWER_FLIGHT, POWER_STRENGTH, POWER_SPEED } Power;
static const char *const power_members[] = {"flight", "strength", "speed"};
static const sm_enum power_enum = {"Power", power_members, 3};

typedef struct Team {
    int64_t id;
    const char *name;
} Team;
typedef struct Team_list {
    Team *items;
    size_t len;
} Team_list;

/*
 * table Hero {
 *     id: int @pk @auto;
 *     name: text @min_len(2) @max_len(5);
 *     nick: text? @pattern("^[a-z]+$");
 *     tag: text? @pattern("[0-9]");
 *     age: int? @ge(0) @le(200);
 *     level: i32 @gt(0) @lt(100);
 *     rank: i16 @ge(-5) @le(5);
 *     price: decimal(6,2)? @ge(0.50) @lt(1000);
 *     score: float @gt(0.5) @le(1000);
 *     ratio: float?;
 *     power: Power;
 *     avatar: bytes? @min_len(1) @max_len(4);
 *     blob: bytes;
 *     meta: json?;
 *     doc: json;
 *     alarm: time?;
 *     born: date;
 *     created_at: datetime = now();
 *     uid: uuid = uuid();
 *     code: text @max_len(10) @check_fn(code_ok);
 *     team: Team? @rel(...);
 *     teams: [Team] @rel(...);
 * }
 */
typedef struct Hero {
    int64_t id;
    const char *name;
    const char *nick;
    const char *tag;
    int64_t age;
    bool has_age;
    int32_t level;
    int16_t rank;
    sm_decimal price;
    bool has_price;
    double score;
    double ratio;
    bool has_ratio;
    Power power;
    sm_bytes avatar;
    sm_bytes blob;
    const char *meta;
    const char *doc;
    sm_time alarm;
    bool has_alarm;
    sm_date born;
    sm_datetime created_at;
    sm_uuid uid;
    const char *code;
    Team *team;
    Team_list teams;
} Hero;

static int code_ok_calls;

static const char *code_ok(const void *value)
{
    const char *s = *(const char *const *)value;
    code_ok_calls++;
    return strcmp(s, "bad") == 0 ? "must not be \"bad\"" : NULL;
}

static sm_pattern nick_pattern = {"^[a-z]+$", NULL};
static sm_pattern tag_pattern = {"[0-9]", NULL};

#define NO_BOUNDS 0, 0, 0, 0.0, 0.0
static const sm_check name_check = {2, 5, NO_BOUNDS, NULL, NULL};
static const sm_check nick_check = {-1, -1, NO_BOUNDS, &nick_pattern, NULL};
static const sm_check tag_check = {-1, -1, NO_BOUNDS, &tag_pattern, NULL};
static const sm_check age_check = {-1, -1, SM_B_GE | SM_B_LE, 0, 200, 0.0, 0.0, NULL, NULL};
static const sm_check level_check = {-1, -1, SM_B_GT | SM_B_LT, 0, 100, 0.0, 0.0, NULL, NULL};
static const sm_check rank_check = {-1, -1, SM_B_GE | SM_B_LE, -5, 5, 0.0, 0.0, NULL, NULL};
static const sm_check price_check = {-1, -1, SM_B_GE | SM_B_LT, 50, 100000, 0.0, 0.0, NULL, NULL};
static const sm_check score_check = {-1, -1, SM_B_GT | SM_B_LE, 0, 0, 0.5, 1000.0, NULL, NULL};
static const sm_check avatar_check = {1, 4, NO_BOUNDS, NULL, NULL};
static const sm_check code_check = {-1, 10, NO_BOUNDS, NULL, code_ok};

#define COL SM_F_COLUMN
#define FLD(f, t, fl, hasf, chk)                                                             \
    {                                                                                      \
        .name = #f, .column = #f, .json = #f,                                              \
        .offset = offsetof(Hero, f), .has = hasf, .isnull = SM_NONE, .type = t,            \
        .flags = (uint16_t)(fl), .check = chk                                              \
    }
#define HAS(f) offsetof(Hero, f)

static const sm_model team_model;

static const sm_field hero_fields[] = {
    FLD(id, SM_T_INT, COL | SM_F_PK | SM_F_AUTO, SM_NONE, NULL),
    FLD(name, SM_T_TEXT, COL, SM_NONE, &name_check),
    FLD(nick, SM_T_TEXT, COL | SM_F_NULLABLE, SM_NONE, &nick_check),
    FLD(tag, SM_T_TEXT, COL | SM_F_NULLABLE, SM_NONE, &tag_check),
    FLD(age, SM_T_INT, COL | SM_F_NULLABLE, HAS(has_age), &age_check),
    FLD(level, SM_T_I32, COL, SM_NONE, &level_check),
    FLD(rank, SM_T_I16, COL, SM_NONE, &rank_check),
    {.name = "price", .column = "price", .json = "price", .offset = offsetof(Hero, price),
     .has = HAS(has_price), .isnull = SM_NONE, .type = SM_T_DECIMAL,
     .flags = COL | SM_F_NULLABLE, .precision = 6, .scale = 2, .check = &price_check},
    FLD(score, SM_T_FLOAT, COL, SM_NONE, &score_check),
    FLD(ratio, SM_T_FLOAT, COL | SM_F_NULLABLE, HAS(has_ratio), NULL),
    {.name = "power", .column = "power", .json = "power", .offset = offsetof(Hero, power),
     .has = SM_NONE, .isnull = SM_NONE, .type = SM_T_ENUM, .flags = COL, .enm = &power_enum},
    FLD(avatar, SM_T_BYTES, COL | SM_F_NULLABLE, SM_NONE, &avatar_check),
    FLD(blob, SM_T_BYTES, COL, SM_NONE, NULL),
    FLD(meta, SM_T_JSON, COL | SM_F_NULLABLE, SM_NONE, NULL),
    FLD(doc, SM_T_JSON, COL, SM_NONE, NULL),
    FLD(alarm, SM_T_TIME, COL | SM_F_NULLABLE, HAS(has_alarm), NULL),
    FLD(born, SM_T_DATE, COL, SM_NONE, NULL),
    FLD(created_at, SM_T_DATETIME, COL | SM_F_NOW, SM_NONE, NULL),
    FLD(uid, SM_T_UUID, COL | SM_F_GEN_UUID, SM_NONE, NULL),
    FLD(code, SM_T_TEXT, COL, SM_NONE, &code_check),
    {.name = "team", .offset = offsetof(Hero, team), .has = SM_NONE, .isnull = SM_NONE,
     .type = SM_T_REL_ONE, .flags = SM_F_NULLABLE, .model = &team_model},
    {.name = "teams", .offset = offsetof(Hero, teams), .has = SM_NONE, .isnull = SM_NONE,
     .type = SM_T_REL_MANY, .model = &team_model},
};

static const sm_check team_name_check = {1, -1, NO_BOUNDS, NULL, NULL};
static const sm_field team_fields[] = {
    {.name = "id", .column = "id", .json = "id", .offset = offsetof(Team, id), .has = SM_NONE,
     .isnull = SM_NONE, .type = SM_T_INT, .flags = COL | SM_F_PK | SM_F_AUTO},
    {.name = "name", .column = "name", .json = "name", .offset = offsetof(Team, name),
     .has = SM_NONE, .isnull = SM_NONE, .type = SM_T_TEXT, .flags = COL,
     .check = &team_name_check},
};
static const uint16_t team_key[] = {0};
static const sm_model team_model = {
    .name = "Team", .table = "teams", .size = sizeof(Team), .fields = team_fields,
    .nfields = 2, .key = team_key, .nkey = 1, .flags = SM_M_TABLE,
};

static const uint16_t hero_key[] = {0};
static const sm_model hero_model = {
    .name = "Hero", .table = "hero", .size = sizeof(Hero), .fields = hero_fields,
    .nfields = sizeof hero_fields / sizeof hero_fields[0], .key = hero_key, .nkey = 1,
    .flags = SM_M_TABLE,
};

/* A hero that passes every rule. */
static Hero good_hero(void)
{
    Hero h;
    memset(&h, 0, sizeof h);
    h.name = "Deadp";
    h.nick = "wade";
    h.tag = "x1";
    h.age = 30;
    h.has_age = true;
    h.level = 50;
    h.rank = 0;
    h.price = 1999;
    h.has_price = true;
    h.score = 10.0;
    h.power = POWER_SPEED;
    h.avatar.data = (const uint8_t *)"\x01\x02";
    h.avatar.len = 2;
    h.doc = "{}";
    h.code = "ok";
    return h;
}

/* ---- Helpers -------------------------------------------------------------------- */

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

/* Validates h and expects exactly one error, or none when w is NULL; the
 * verdict without an error list must agree. */
static void check_one(const Hero *h, const want *w)
{
    sm_errors e = SM_ERRORS_INIT;
    int rc = sm_model_validate(&hero_model, h, &e);
    assert_int_equal(rc, w ? SM_INVALID : SM_OK);
    expect_errors(&e, w, w ? 1 : 0);
    assert_int_equal(sm_model_validate(&hero_model, h, NULL), rc);
    sm_errors_free(&e);
}

/* ---- Tests ------------------------------------------------------------------------- */

static void test_valid_hero(void **state)
{
    (void)state;
    Hero h = good_hero();
    check_one(&h, NULL);
    /* Nullable fields left null are fine. */
    h.nick = NULL;
    h.tag = NULL;
    h.has_age = false;
    h.has_price = false;
    h.avatar.data = NULL;
    h.avatar.len = 0;
    h.meta = NULL;
    check_one(&h, NULL);
}

static void test_text_length_counts_characters(void **state)
{
    (void)state;
    Hero h = good_hero();
    h.name = "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"; /* 5 characters, 10 bytes */
    check_one(&h, NULL);
    h.name = "\xf0\x9f\x98\x80\xf0\x9f\x98\x80"; /* 2 emoji, 8 bytes */
    check_one(&h, NULL);
    h.name = "ab";
    check_one(&h, NULL);
    h.name = "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9";
    check_one(&h, &(want){"name", "too_long", "must be at most 5 characters"});
    h.name = "\xf0\x9f\x98\x80";
    check_one(&h, &(want){"name", "too_short", "must be at least 2 characters"});
    h.name = "";
    check_one(&h, &(want){"name", "too_short", "must be at least 2 characters"});
    h.name = "abcdef";
    check_one(&h, &(want){"name", "too_long", "must be at most 5 characters"});
}

static void test_text_must_be_utf8(void **state)
{
    (void)state;
    Hero h = good_hero();
    /* Invalid UTF-8 is a type error and nothing else (no length error). */
    h.name = "\xff";
    check_one(&h, &(want){"name", "type", "must be valid UTF-8"});
    h.name = "ab\xed\xa0\x80"; /* surrogate */
    check_one(&h, &(want){"name", "type", "must be valid UTF-8"});
    h.name = "ab\xc0\xaf"; /* overlong */
    check_one(&h, &(want){"name", "type", "must be valid UTF-8"});
    h = good_hero();
    h.doc = "\"\xe2\x82\""; /* truncated, in a json field */
    check_one(&h, &(want){"doc", "type", "must be valid UTF-8"});
}

static void test_required_pointer_fields(void **state)
{
    (void)state;
    Hero h = good_hero();
    h.name = NULL;
    check_one(&h, &(want){"name", "required", "is required"});
    h = good_hero();
    h.doc = NULL;
    check_one(&h, &(want){"doc", "required", "is required"});
    /* Zero id (@auto), created_at (now()) and uid (uuid()) are filled by
     * _insert: nothing to complain about. */
    h = good_hero();
    assert_int_equal(h.id, 0);
    assert_int_equal(h.created_at, 0);
    check_one(&h, NULL);
}

static void test_patterns(void **state)
{
    (void)state;
    Hero h = good_hero();
    h.nick = "ABC";
    check_one(&h, &(want){"nick", "pattern", "must match pattern '^[a-z]+$'"});
    h.nick = "abc ";
    check_one(&h, &(want){"nick", "pattern", "must match pattern '^[a-z]+$'"});
    h.nick = "abc";
    check_one(&h, NULL);
    /* Unanchored search, as in Pydantic. */
    h.tag = "abc7def";
    check_one(&h, NULL);
    h.tag = "abcdef";
    check_one(&h, &(want){"tag", "pattern", "must match pattern '[0-9]'"});
    assert_non_null(nick_pattern.compiled);
    assert_non_null(tag_pattern.compiled);
}

static void test_integer_bounds(void **state)
{
    (void)state;
    Hero h = good_hero();
    h.age = 0;
    check_one(&h, NULL);
    h.age = 200;
    check_one(&h, NULL);
    h.age = -1;
    check_one(&h, &(want){"age", "out_of_range", "must be >= 0"});
    h.age = 201;
    check_one(&h, &(want){"age", "out_of_range", "must be <= 200"});
    h.age = INT64_MIN;
    check_one(&h, &(want){"age", "out_of_range", "must be >= 0"});
    h.has_age = false; /* null: bounds do not apply */
    check_one(&h, NULL);

    h = good_hero();
    h.level = 1;
    check_one(&h, NULL);
    h.level = 99;
    check_one(&h, NULL);
    h.level = 0;
    check_one(&h, &(want){"level", "out_of_range", "must be > 0"});
    h.level = 100;
    check_one(&h, &(want){"level", "out_of_range", "must be < 100"});
    h.level = INT32_MIN;
    check_one(&h, &(want){"level", "out_of_range", "must be > 0"});

    h = good_hero();
    h.rank = -5;
    check_one(&h, NULL);
    h.rank = 5;
    check_one(&h, NULL);
    h.rank = -6;
    check_one(&h, &(want){"rank", "out_of_range", "must be >= -5"});
    h.rank = INT16_MAX;
    check_one(&h, &(want){"rank", "out_of_range", "must be <= 5"});
}

static void test_decimal_bounds_print_the_scale(void **state)
{
    (void)state;
    Hero h = good_hero();
    h.price = 50;
    check_one(&h, NULL);
    h.price = 99999;
    check_one(&h, NULL);
    h.price = 49;
    check_one(&h, &(want){"price", "out_of_range", "must be >= 0.50"});
    h.price = 100000;
    check_one(&h, &(want){"price", "out_of_range", "must be < 1000.00"});
    h.has_price = false;
    check_one(&h, NULL);
}

static void test_floats(void **state)
{
    (void)state;
    Hero h = good_hero();
    h.score = 0.5000001;
    check_one(&h, NULL);
    h.score = 1000.0;
    check_one(&h, NULL);
    h.score = 0.5;
    check_one(&h, &(want){"score", "out_of_range", "must be > 0.5"});
    h.score = 1000.25;
    check_one(&h, &(want){"score", "out_of_range", "must be <= 1000"});
    /* Not finite: one "finite" error, bounds are not evaluated. */
    h.score = NAN;
    check_one(&h, &(want){"score", "finite", "must be a finite number"});
    h.score = INFINITY;
    check_one(&h, &(want){"score", "finite", "must be a finite number"});
    h.score = -INFINITY;
    check_one(&h, &(want){"score", "finite", "must be a finite number"});
    /* Finite is checked without any declared constraint too... */
    h = good_hero();
    h.has_ratio = true;
    h.ratio = NAN;
    check_one(&h, &(want){"ratio", "finite", "must be a finite number"});
    /* ...but not on a null value. */
    h.has_ratio = false;
    check_one(&h, NULL);
}

static void test_enum_range(void **state)
{
    (void)state;
    Hero h = good_hero();
    h.power = POWER_FLIGHT;
    check_one(&h, NULL);
    h.power = (Power)3;
    check_one(&h, &(want){"power", "enum", "must be a Power member (got 3)"});
    h.power = (Power)-1;
    check_one(&h, &(want){"power", "enum", "must be a Power member (got -1)"});
}

static void test_bytes(void **state)
{
    (void)state;
    Hero h = good_hero();
    h.avatar.data = (const uint8_t *)"";
    h.avatar.len = 0; /* empty, not null */
    check_one(&h, &(want){"avatar", "too_short", "must be at least 1 byte"});
    h.avatar.data = (const uint8_t *)"\0\0\0\0\0";
    h.avatar.len = 5;
    check_one(&h, &(want){"avatar", "too_long", "must be at most 4 bytes"});
    h.avatar.len = 4;
    check_one(&h, NULL);
    /* A non-nullable bytes field left zero is the empty value. */
    h = good_hero();
    h.blob.data = NULL;
    h.blob.len = 0;
    check_one(&h, NULL);
    h.blob.len = 3;
    check_one(&h, &(want){"blob", "type", "has 3 bytes but no data"});
}

static void test_time_of_day(void **state)
{
    (void)state;
    Hero h = good_hero();
    h.has_alarm = true;
    h.alarm = 0;
    check_one(&h, NULL);
    h.alarm = INT64_C(86400000000) - 1;
    check_one(&h, NULL);
    h.alarm = INT64_C(86400000000);
    check_one(&h, &(want){"alarm", "out_of_range", "must be a time of day (0 to 24 hours)"});
    h.alarm = -1;
    check_one(&h, &(want){"alarm", "out_of_range", "must be a time of day (0 to 24 hours)"});
    h.has_alarm = false;
    check_one(&h, NULL);
}

/* Dates and datetimes: 0001-01-01 to 9999-12-31, the range the parsers
 * accept, so that whatever validates can be written and read back. */
static void test_date_range(void **state)
{
    (void)state;
    static const char date_msg[] = "must be a date from 0001-01-01 to 9999-12-31";
    static const char dt_msg[] =
        "must be a datetime from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999Z";
    const int64_t us_day = INT64_C(86400000000);
    Hero h = good_hero();
    h.born = -719162; /* 0001-01-01 */
    check_one(&h, NULL);
    h.born = 2932896; /* 9999-12-31 */
    check_one(&h, NULL);
    h.born = -719163;
    check_one(&h, &(want){"born", "out_of_range", date_msg});
    h.born = 2932897;
    check_one(&h, &(want){"born", "out_of_range", date_msg});
    h.born = INT32_MIN;
    check_one(&h, &(want){"born", "out_of_range", date_msg});
    h.born = INT32_MAX;
    check_one(&h, &(want){"born", "out_of_range", date_msg});
    h = good_hero();
    h.created_at = -719162 * us_day;
    check_one(&h, NULL);
    h.created_at = 2932897 * us_day - 1;
    check_one(&h, NULL);
    h.created_at = -719162 * us_day - 1;
    check_one(&h, &(want){"created_at", "out_of_range", dt_msg});
    h.created_at = 2932897 * us_day;
    check_one(&h, &(want){"created_at", "out_of_range", dt_msg});
    h.created_at = INT64_MIN;
    check_one(&h, &(want){"created_at", "out_of_range", dt_msg});
    h.created_at = INT64_MAX;
    check_one(&h, &(want){"created_at", "out_of_range", dt_msg});
}

static void test_check_fn(void **state)
{
    (void)state;
    Hero h = good_hero();
    code_ok_calls = 0;
    check_one(&h, NULL);
    assert_int_equal(code_ok_calls, 2);
    h.code = "bad";
    check_one(&h, &(want){"code", "check", "must not be \"bad\""});
    /* The check function runs only when the field's own checks passed. */
    code_ok_calls = 0;
    h.code = "bad-bad-bad";
    check_one(&h, &(want){"code", "too_long", "must be at most 10 characters"});
    h.code = "\xff";
    check_one(&h, &(want){"code", "type", "must be valid UTF-8"});
    h.code = NULL;
    check_one(&h, &(want){"code", "required", "is required"});
    assert_int_equal(code_ok_calls, 0);
}

/* Integers, bools and uuids obey no rule of their own: without a
 * declared check no value of theirs is an error, but a @check_fn on one
 * still runs (on a value that is not null), and in a partial model a
 * non-nullable one set to null is still refused. */
typedef struct Flags {
    int64_t any;
    bool on;
    int16_t small;
    bool has_small;
    sm_uuid id;
    int32_t count;
    bool has_count, count_null;
} Flags;

static int flag_calls;

static const char *on_ok(const void *value)
{
    flag_calls++;
    return *(const bool *)value ? NULL : "must be on";
}

static const char *small_ok(const void *value)
{
    flag_calls++;
    return *(const int16_t *)value % 2 ? "must be even" : NULL;
}

static const char *id_ok(const void *value)
{
    flag_calls++;
    return ((const sm_uuid *)value)->b[0] == 0xff ? "must not start with ff" : NULL;
}

static const sm_check on_check = {-1, -1, NO_BOUNDS, NULL, on_ok};
static const sm_check small_check = {-1, -1, NO_BOUNDS, NULL, small_ok};
static const sm_check id_check = {-1, -1, NO_BOUNDS, NULL, id_ok};
#define FLAG(f, t, fl, hasf, chk)                                                           \
    {                                                                                      \
        .name = #f, .json = #f, .offset = offsetof(Flags, f), .has = hasf,                 \
        .isnull = SM_NONE, .type = t, .flags = (uint16_t)(fl), .check = chk                \
    }
static const sm_field flag_fields[] = {
    FLAG(any, SM_T_INT, 0, SM_NONE, NULL),
    FLAG(on, SM_T_BOOL, 0, SM_NONE, &on_check),
    FLAG(small, SM_T_I16, SM_F_NULLABLE, offsetof(Flags, has_small), &small_check),
    FLAG(id, SM_T_UUID, 0, SM_NONE, &id_check),
};
static const sm_model flag_model = {.name = "Flags", .size = sizeof(Flags), .fields = flag_fields,
                                    .nfields = 4};
static const sm_field count_fields[] = {
    {.name = "count", .json = "count", .offset = offsetof(Flags, count),
     .has = offsetof(Flags, has_count), .isnull = offsetof(Flags, count_null),
     .type = SM_T_I32},
};
static const sm_model count_update = {.name = "CountUpdate", .size = sizeof(Flags),
                                      .fields = count_fields, .nfields = 1,
                                      .flags = SM_M_PARTIAL};

static void test_checks_on_plain_types(void **state)
{
    (void)state;
    Flags f;
    memset(&f, 0, sizeof f);
    f.any = INT64_MIN;
    f.on = true;
    sm_errors e = SM_ERRORS_INIT;
    flag_calls = 0;
    assert_int_equal(sm_model_validate(&flag_model, &f, &e), SM_OK);
    assert_int_equal(flag_calls, 2); /* on and id; small is null */
    f.on = false;
    f.has_small = true;
    f.small = 3;
    f.id.b[0] = 0xff;
    flag_calls = 0;
    assert_int_equal(sm_model_validate(&flag_model, &f, &e), SM_INVALID);
    assert_int_equal(flag_calls, 3);
    const want w[] = {
        {"on", "check", "must be on"},
        {"small", "check", "must be even"},
        {"id", "check", "must not start with ff"},
    };
    expect_errors(&e, w, 3);
    sm_errors_clear(&e);

    f.has_count = true;
    f.count_null = true;
    assert_int_equal(sm_model_validate(&count_update, &f, &e), SM_INVALID);
    expect_errors(&e, &(want){"count", "required", "must not be null"}, 1);
    sm_errors_clear(&e);
    f.count_null = false;
    assert_int_equal(sm_model_validate(&count_update, &f, &e), SM_OK);
    sm_errors_free(&e);
}

static void test_relationships_are_not_validated(void **state)
{
    (void)state;
    Team bad_team = {0, NULL}; /* would be a "required" error */
    Hero h = good_hero();
    h.team = &bad_team;
    h.teams.items = NULL;
    h.teams.len = 5; /* would be a "type" error */
    check_one(&h, NULL);
    sm_errors e = SM_ERRORS_INIT;
    assert_int_equal(sm_model_validate(&team_model, &bad_team, &e), SM_INVALID);
    expect_errors(&e, &(want){"name", "required", "is required"}, 1);
    sm_errors_free(&e);
}

/* Every error, in field order, in one call. */
static void test_all_errors_at_once(void **state)
{
    (void)state;
    Hero h = good_hero();
    h.name = "a";
    h.nick = "NOPE";
    h.age = 500;
    h.level = 0;
    h.rank = 9;
    h.price = 1;
    h.score = NAN;
    h.power = (Power)7;
    h.avatar.len = 10;
    h.avatar.data = (const uint8_t *)"0123456789";
    h.doc = NULL;
    h.has_alarm = true;
    h.alarm = -5;
    h.code = "bad";
    const want w[] = {
        {"name", "too_short", "must be at least 2 characters"},
        {"nick", "pattern", "must match pattern '^[a-z]+$'"},
        {"age", "out_of_range", "must be <= 200"},
        {"level", "out_of_range", "must be > 0"},
        {"rank", "out_of_range", "must be <= 5"},
        {"price", "out_of_range", "must be >= 0.50"},
        {"score", "finite", "must be a finite number"},
        {"power", "enum", "must be a Power member (got 7)"},
        {"avatar", "too_long", "must be at most 4 bytes"},
        {"doc", "required", "is required"},
        {"alarm", "out_of_range", "must be a time of day (0 to 24 hours)"},
        {"code", "check", "must not be \"bad\""},
    };
    sm_errors e = SM_ERRORS_INIT;
    /* Errors already in the list stay; new ones are appended. */
    assert_int_equal(sm_errors_add(&e, "earlier", "type", "from before"), SM_OK);
    assert_int_equal(sm_model_validate(&hero_model, &h, &e), SM_INVALID);
    assert_string_equal(e.items[0].path, "earlier");
    assert_int_equal(e.len, 1 + sizeof w / sizeof w[0]);
    sm_errors rest = {e.items + 1, e.len - 1, e.len - 1};
    expect_errors(&rest, w, sizeof w / sizeof w[0]);
    /* A valid object adds nothing and says SM_OK even with old errors. */
    Hero ok = good_hero();
    size_t before = e.len;
    assert_int_equal(sm_model_validate(&hero_model, &ok, &e), SM_OK);
    assert_int_equal(e.len, before);
    sm_errors_free(&e);
}

static void test_prefixes(void **state)
{
    (void)state;
    Hero h = good_hero();
    h.name = NULL;
    h.level = -1;
    sm_errors e = SM_ERRORS_INIT;
    assert_int_equal(sm_validate_prefixed(&hero_model, &h, &e, "[3]"), SM_INVALID);
    assert_int_equal(sm_validate_prefixed(&hero_model, &h, &e, "heroes[12]"), SM_INVALID);
    assert_int_equal(sm_validate_prefixed(&hero_model, &h, &e, ""), SM_INVALID);
    assert_int_equal(sm_validate_prefixed(&hero_model, &h, &e, NULL), SM_INVALID);
    const want w[] = {
        {"[3].name", "required", "is required"},
        {"[3].level", "out_of_range", "must be > 0"},
        {"heroes[12].name", "required", "is required"},
        {"heroes[12].level", "out_of_range", "must be > 0"},
        {"name", "required", "is required"},
        {"level", "out_of_range", "must be > 0"},
        {"name", "required", "is required"},
        {"level", "out_of_range", "must be > 0"},
    };
    expect_errors(&e, w, sizeof w / sizeof w[0]);
    sm_errors_free(&e);
}

/* A pattern that does not compile is reported where it is used, with the
 * pattern in the message, every time; nothing is cached. */
static sm_pattern broken_pattern = {"a(", NULL};
static const sm_check broken_check = {-1, -1, NO_BOUNDS, &broken_pattern, NULL};
static const sm_field broken_fields[] = {
    {.name = "name", .column = "name", .json = "name", .offset = offsetof(Team, name),
     .has = SM_NONE, .isnull = SM_NONE, .type = SM_T_TEXT, .flags = COL,
     .check = &broken_check},
};
static const sm_model broken_model = {
    .name = "Broken", .size = sizeof(Team), .fields = broken_fields, .nfields = 1,
};

static void test_pattern_that_does_not_compile(void **state)
{
    (void)state;
    Team t = {1, "abc"};
    for (int i = 0; i < 3; i++) {
        sm_errors e = SM_ERRORS_INIT;
        assert_int_equal(sm_model_validate(&broken_model, &t, &e), SM_INVALID);
        assert_int_equal(e.len, 1);
        assert_string_equal(e.items[0].path, "name");
        assert_string_equal(e.items[0].code, "pattern");
        assert_non_null(strstr(e.items[0].msg, "invalid pattern 'a('"));
        assert_null(broken_pattern.compiled);
        sm_errors_free(&e);
    }
}

/* Paths name fields by their JSON key, like the JSON decoder's errors;
 * a field without one (@json(skip)) by its declared name. */
typedef struct Renamed {
    const char *handle;
    const char *secret;
} Renamed;
static const sm_check nonempty_check = {1, -1, NO_BOUNDS, NULL, NULL};
static const sm_field renamed_fields[] = {
    {.name = "handle", .column = "handle", .json = "screenName",
     .offset = offsetof(Renamed, handle), .has = SM_NONE, .isnull = SM_NONE,
     .type = SM_T_TEXT, .flags = COL, .check = &nonempty_check},
    {.name = "secret", .column = "secret", .json = NULL, .offset = offsetof(Renamed, secret),
     .has = SM_NONE, .isnull = SM_NONE, .type = SM_T_TEXT, .flags = COL,
     .check = &nonempty_check},
};
static const sm_model renamed_model = {
    .name = "Renamed", .size = sizeof(Renamed), .fields = renamed_fields, .nfields = 2,
};

static void test_paths_use_json_keys(void **state)
{
    (void)state;
    Renamed r = {"", ""};
    sm_errors e = SM_ERRORS_INIT;
    assert_int_equal(sm_validate_prefixed(&renamed_model, &r, &e, "[0]"), SM_INVALID);
    const want w[] = {
        {"[0].screenName", "too_short", "must be at least 1 character"},
        {"[0].secret", "too_short", "must be at least 1 character"},
    };
    expect_errors(&e, w, 2);
    sm_errors_free(&e);
}

static void test_misuse(void **state)
{
    (void)state;
    Hero h = good_hero();
    sm_errors e = SM_ERRORS_INIT;
    assert_int_equal(sm_model_validate(NULL, &h, &e), SM_MISUSE);
    assert_int_equal(sm_model_validate(&hero_model, NULL, &e), SM_MISUSE);
    assert_int_equal(e.len, 0);
    sm_errors_free(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_hero),
        cmocka_unit_test(test_text_length_counts_characters),
        cmocka_unit_test(test_text_must_be_utf8),
        cmocka_unit_test(test_required_pointer_fields),
        cmocka_unit_test(test_patterns),
        cmocka_unit_test(test_integer_bounds),
        cmocka_unit_test(test_decimal_bounds_print_the_scale),
        cmocka_unit_test(test_floats),
        cmocka_unit_test(test_enum_range),
        cmocka_unit_test(test_bytes),
        cmocka_unit_test(test_time_of_day),
        cmocka_unit_test(test_date_range),
        cmocka_unit_test(test_check_fn),
        cmocka_unit_test(test_checks_on_plain_types),
        cmocka_unit_test(test_relationships_are_not_validated),
        cmocka_unit_test(test_all_errors_at_once),
        cmocka_unit_test(test_prefixes),
        cmocka_unit_test(test_pattern_that_does_not_compile),
        cmocka_unit_test(test_paths_use_json_keys),
        cmocka_unit_test(test_misuse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
