/*
 * test_crud.c: the generic table operations (desc.h, DESIGN 3.4/3.5) over
 * the hand-written descriptors of crud_model.c, on every configured
 * dialect: insert with generated and explicit keys and now()/uuid()
 * fills, get of every type, update with @updated_at, patch, delete,
 * insert_many (batches, write-back, atomicity), validation before any
 * SQL, constraint details, create_all/drop_all; and on SQLite the storage
 * forms and unreadable values.
 */
#include "tconn.h"

#include "crud_model.h"

#include <unistd.h>

typedef void (*body_fn)(sm_cx *cx, sm_conn *c, sm_dialect d);

static void each_dialect(body_fn body)
{
    sm_dialect ds[SM_NDIALECTS];
    int n = testdb_dialects(ds);
    for (int i = 0; i < n; i++) {
        sm_cx cx;
        sm_cx_init(&cx);
        sm_cx_set_timeout_ms(&cx, 60000);
        sm_conn *c = testdb_open(&cx, ds[i]);
        if (!c) {
            sm_cx_free(&cx);
            continue;
        }
        print_message("  on %s\n", testdb_dialect_name(ds[i]));
        expect_ok(&cx, sm_module_create_all(&cx, c, &heroes_module));
        body(&cx, c, ds[i]);
        sm_close(c);
        sm_cx_free(&cx);
    }
}

static Hero hero(const char *name)
{
    Hero h = hero_init;
    h.name = name;
    h.secret_name = "secret";
    h.lvl = 1;
    return h;
}

static int64_t add_team(sm_cx *cx, sm_conn *c, const char *name)
{
    Team t = {0, name};
    expect_ok(cx, sm_model_insert(cx, c, &team_model, &t));
    assert_true(t.id > 0);
    return t.id;
}

static int get_hero(sm_cx *cx, sm_conn *c, int64_t id, Hero *out, sm_arena *arena)
{
    Hero key;
    memset(&key, 0, sizeof key);
    key.id = id;
    return sm_model_get(cx, c, &hero_model, &key, out, arena);
}

static int64_t heroes(sm_cx *cx, sm_conn *c)
{
    return query_int(cx, c, "SELECT count(*) FROM hero");
}

static bool uuid_zero(const sm_uuid *u)
{
    static const sm_uuid zero;
    return memcmp(u, &zero, sizeof zero) == 0;
}

static void assert_text(const char *got, const char *want)
{
    if (!want)
        assert_null(got);
    else
        assert_string_equal(got, want);
}

static void assert_same(const Hero *a, const Hero *b)
{
    assert_int_equal(a->id, b->id);
    assert_string_equal(a->name, b->name);
    assert_string_equal(a->secret_name, b->secret_name);
    assert_int_equal(a->has_age, b->has_age);
    if (a->has_age)
        assert_int_equal(a->age, b->age);
    assert_int_equal(a->power, b->power);
    assert_int_equal(a->has_team_id, b->has_team_id);
    if (a->has_team_id)
        assert_int_equal(a->team_id, b->team_id);
    assert_int_equal(a->score, b->score);
    assert_int_equal(a->has_born, b->has_born);
    if (a->has_born)
        assert_int_equal(a->born, b->born);
    assert_int_equal(a->has_alarm, b->has_alarm);
    if (a->has_alarm)
        assert_int_equal(a->alarm, b->alarm);
    assert_int_equal(a->created_at, b->created_at);
    assert_int_equal(a->updated_at, b->updated_at);
    assert_memory_equal(&a->token, &b->token, sizeof a->token);
    assert_int_equal(a->active, b->active);
    assert_int_equal(a->has_ratio, b->has_ratio);
    if (a->has_ratio)
        assert_true(a->ratio == b->ratio);
    assert_int_equal(a->avatar.data == NULL, b->avatar.data == NULL);
    assert_int_equal(a->avatar.len, b->avatar.len);
    if (a->avatar.len)
        assert_memory_equal(a->avatar.data, b->avatar.data, a->avatar.len);
    assert_text(a->meta, b->meta);
    assert_int_equal(a->lvl, b->lvl);
}

/* ---- insert and get ------------------------------------------------------- */

static void insert_get(sm_cx *cx, sm_conn *c, sm_dialect d)
{
    (void)d;
    sm_arena arena = SM_ARENA_INIT;
    int64_t team = add_team(cx, c, "Preventers");
    static const uint8_t avatar[] = {0, 1, 2, 0xff, 0};
    Hero h = hero("Deadpond");
    h.secret_name = "Dive Wilson \xf0\x9f\x90\x9f";
    h.age = 30;
    h.has_age = true;
    h.power = POWER_SPEED;
    h.team_id = team;
    h.has_team_id = true;
    h.score = -12345; /* -123.45 */
    h.born = sm_date_from_ymd(1990, 5, 17);
    h.has_born = true;
    h.alarm = ((7 * 60 + 30) * 60 + 15) * INT64_C(1000000) + 123456;
    h.has_alarm = true;
    h.active = false;
    h.ratio = 0.25;
    h.has_ratio = true;
    h.avatar.data = avatar;
    h.avatar.len = sizeof avatar;
    h.meta = "{\"a\": [1, 2.5, \"x\"]}";
    h.lvl = 32767;
    sm_datetime before = sm_datetime_now();
    expect_ok(cx, sm_model_insert(cx, c, &hero_model, &h));
    sm_datetime after = sm_datetime_now();
    /* The generated key, now() and uuid() are written back. */
    assert_true(h.id > 0);
    assert_true(h.created_at >= before && h.created_at <= after);
    assert_int_equal(h.updated_at, h.created_at);
    assert_false(uuid_zero(&h.token));
    assert_int_equal(h.token.b[6] >> 4, 4); /* version 4 */

    Hero got;
    expect_ok(cx, get_hero(cx, c, h.id, &got, &arena));
    assert_same(&got, &h);
    assert_null(got.team); /* relationships are not loaded */

    /* Every nullable field NULL; empty text and bytes are not NULL. */
    Hero e = hero("");
    e.secret_name = "";
    e.avatar.data = (const uint8_t *)"";
    e.avatar.len = 0;
    e.lvl = 0;
    expect_ok(cx, sm_model_insert(cx, c, &hero_model, &e));
    Hero n = hero("Nulls");
    n.lvl = 2;
    expect_ok(cx, sm_model_insert(cx, c, &hero_model, &n));
    assert_true(n.id != e.id && n.id != h.id);
    expect_ok(cx, get_hero(cx, c, e.id, &got, &arena));
    assert_same(&got, &e);
    assert_non_null(got.avatar.data);
    assert_string_equal(got.name, "");
    expect_ok(cx, get_hero(cx, c, n.id, &got, &arena));
    assert_same(&got, &n);
    assert_false(got.has_age);
    assert_false(got.has_team_id);
    assert_null(got.avatar.data);
    assert_null(got.meta);
    assert_true(got.active);
    assert_int_equal(got.power, POWER_FLIGHT);

    /* Non-zero now()/uuid() values are inserted as given. */
    Hero g = hero("Given");
    g.created_at = 86400 * INT64_C(1000000) + 1;
    g.updated_at = -1; /* 1969-12-31 23:59:59.999999 */
    sm_uuid_parse("123e4567-e89b-12d3-a456-426614174000", 36, &g.token);
    expect_ok(cx, sm_model_insert(cx, c, &hero_model, &g));
    expect_ok(cx, get_hero(cx, c, g.id, &got, &arena));
    assert_same(&got, &g);

    /* Extremes of the narrow types and of decimal(10,2). */
    Hero x = hero("Extreme");
    x.age = 200;
    x.has_age = true;
    x.score = 9999999999; /* 99999999.99 */
    x.lvl = 32767;
    x.born = sm_date_from_ymd(1, 1, 1);
    x.has_born = true;
    x.alarm = 86400 * INT64_C(1000000) - 1;
    x.has_alarm = true;
    expect_ok(cx, sm_model_insert(cx, c, &hero_model, &x));
    expect_ok(cx, get_hero(cx, c, x.id, &got, &arena));
    assert_same(&got, &x);

    /* A missing key: NOTFOUND, and *out zeroed. */
    memset(&got, 0x5a, sizeof got);
    expect_rc(cx, get_hero(cx, c, 987654321, &got, &arena), SM_NOTFOUND);
    Hero zero;
    memset(&zero, 0, sizeof zero);
    assert_memory_equal(&got, &zero, sizeof got);
    sm_arena_free(&arena);
}

static void test_insert_get(void **state)
{
    (void)state;
    each_dialect(insert_get);
}

static void explicit_keys(sm_cx *cx, sm_conn *c, sm_dialect d)
{
    (void)d;
    sm_arena arena = SM_ARENA_INIT;
    Hero h = hero("Explicit");
    h.id = 100000;
    expect_ok(cx, sm_model_insert(cx, c, &hero_model, &h));
    assert_int_equal(h.id, 100000);
    Hero got;
    expect_ok(cx, get_hero(cx, c, 100000, &got, &arena));
    assert_string_equal(got.name, "Explicit");
    Hero a = hero("Auto");
    expect_ok(cx, sm_model_insert(cx, c, &hero_model, &a));
    assert_true(a.id > 0 && a.id != 100000);

    /* A duplicate key fails and leaves the object as it was. */
    Hero dup = hero("Dup");
    dup.id = 100000;
    expect_rc(cx, sm_model_insert(cx, c, &hero_model, &dup), SM_CONSTRAINT);
    assert_int_equal(sm_cx_constraint(cx)->kind, SM_CK_UNIQUE);
    assert_int_equal(dup.id, 100000);
    assert_int_equal(dup.created_at, 0);
    assert_int_equal(dup.updated_at, 0);
    assert_true(uuid_zero(&dup.token));
    assert_int_equal(heroes(cx, c), 2);
    sm_arena_free(&arena);
}

static void test_explicit_keys(void **state)
{
    (void)state;
    each_dialect(explicit_keys);
}

/* ---- update, patch, delete -------------------------------------------- */

static void update(sm_cx *cx, sm_conn *c, sm_dialect d)
{
    (void)d;
    sm_arena arena = SM_ARENA_INIT;
    Hero h = hero("Rusty-Man");
    expect_ok(cx, sm_model_insert(cx, c, &hero_model, &h));
    sm_datetime inserted = h.updated_at;
    usleep(2000);
    h.name = "Rusty-Man II";
    h.age = 48;
    h.has_age = true;
    h.avatar.data = (const uint8_t *)"png";
    h.avatar.len = 3;
    expect_ok(cx, sm_model_update(cx, c, &hero_model, &h));
    assert_true(h.updated_at > inserted);
    assert_true(h.created_at < h.updated_at);
    Hero got;
    expect_ok(cx, get_hero(cx, c, h.id, &got, &arena));
    assert_same(&got, &h);
    /* Updating to the same values still matches the row. */
    expect_ok(cx, sm_model_update(cx, c, &hero_model, &h));

    /* A missing key: NOTFOUND, @updated_at back to what it was. */
    Hero ghost = h;
    ghost.id = 987654321;
    sm_datetime was = ghost.updated_at;
    expect_rc(cx, sm_model_update(cx, c, &hero_model, &ghost), SM_NOTFOUND);
    assert_int_equal(ghost.updated_at, was);

    /* Invalid: nothing sent, nothing changed. */
    uint64_t statements = sm_conn_stat(c).statements;
    char longname[102];
    memset(longname, 'x', 101);
    longname[101] = 0;
    h.name = longname;
    h.age = -5;
    was = h.updated_at;
    expect_rc(cx, sm_model_update(cx, c, &hero_model, &h), SM_INVALID);
    assert_int_equal(sm_conn_stat(c).statements, statements);
    assert_int_equal(h.updated_at, was);
    const sm_errors *errs = sm_cx_errors(cx);
    assert_int_equal(errs->len, 2);
    assert_string_equal(errs->items[0].path, "name");
    assert_string_equal(errs->items[0].code, "too_long");
    assert_string_equal(errs->items[1].path, "age");
    assert_string_equal(errs->items[1].code, "out_of_range");
    sm_arena_free(&arena);
}

static void test_update(void **state)
{
    (void)state;
    each_dialect(update);
}

static void patch(sm_cx *cx, sm_conn *c, sm_dialect d)
{
    (void)d;
    sm_arena arena = SM_ARENA_INIT;
    int64_t team = add_team(cx, c, "Z-Force");
    Hero h = hero("Tarantula");
    h.age = 32;
    h.has_age = true;
    h.team_id = team;
    h.has_team_id = true;
    h.avatar.data = (const uint8_t *)"img";
    h.avatar.len = 3;
    expect_ok(cx, sm_model_insert(cx, c, &hero_model, &h));
    Hero key;
    memset(&key, 0, sizeof key);
    key.id = h.id;

    /* Set the name, set age to NULL, leave team and avatar alone. */
    HeroUpdate u;
    memset(&u, 0, sizeof u);
    u.name = "Tarantula Prime";
    u.has_name = true;
    u.has_age = true;
    u.age_null = true;
    expect_ok(cx, sm_model_patch(cx, c, &hero_patch_desc, &key, &u));
    Hero got;
    expect_ok(cx, get_hero(cx, c, h.id, &got, &arena));
    assert_string_equal(got.name, "Tarantula Prime");
    assert_false(got.has_age);
    assert_true(got.has_team_id);
    assert_int_equal(got.team_id, team);
    assert_int_equal(got.avatar.len, 3);
    assert_string_equal(got.secret_name, "secret");

    /* Set a value to a nullable field, bytes to NULL. */
    memset(&u, 0, sizeof u);
    u.has_age = true;
    u.age = 33;
    u.has_avatar = true;
    u.has_team_id = true;
    u.team_id_null = true;
    expect_ok(cx, sm_model_patch(cx, c, &hero_patch_desc, &key, &u));
    expect_ok(cx, get_hero(cx, c, h.id, &got, &arena));
    assert_true(got.has_age);
    assert_int_equal(got.age, 33);
    assert_null(got.avatar.data);
    assert_false(got.has_team_id);
    assert_string_equal(got.name, "Tarantula Prime");

    /* Nothing set: the row matches, nothing changes. */
    memset(&u, 0, sizeof u);
    expect_ok(cx, sm_model_patch(cx, c, &hero_patch_desc, &key, &u));

    /* NULL for a non-nullable field; an out-of-range value: SM_INVALID
     * before any SQL.  Unset fields are not validated. */
    uint64_t statements = sm_conn_stat(c).statements;
    memset(&u, 0, sizeof u);
    u.has_name = true;
    u.name = NULL;
    u.age = -1; /* not set: ignored */
    expect_rc(cx, sm_model_patch(cx, c, &hero_patch_desc, &key, &u), SM_INVALID);
    assert_int_equal(sm_cx_errors(cx)->len, 1);
    assert_string_equal(sm_cx_errors(cx)->items[0].path, "name");
    assert_string_equal(sm_cx_errors(cx)->items[0].code, "required");
    memset(&u, 0, sizeof u);
    u.has_age = true;
    u.age = 201;
    expect_rc(cx, sm_model_patch(cx, c, &hero_patch_desc, &key, &u), SM_INVALID);
    assert_string_equal(sm_cx_errors(cx)->items[0].code, "out_of_range");
    assert_int_equal(sm_conn_stat(c).statements, statements);

    /* A missing key. */
    memset(&u, 0, sizeof u);
    u.has_age = true;
    u.age = 1;
    key.id = 987654321;
    expect_rc(cx, sm_model_patch(cx, c, &hero_patch_desc, &key, &u), SM_NOTFOUND);
    /* An FK violation names the column. */
    key.id = h.id;
    u.has_team_id = true;
    u.team_id = 999999;
    expect_rc(cx, sm_model_patch(cx, c, &hero_patch_desc, &key, &u), SM_CONSTRAINT);
    assert_int_equal(sm_cx_constraint(cx)->kind, SM_CK_FK);
    assert_non_null(sm_cx_constraint(cx)->columns);
    assert_non_null(strstr(sm_cx_constraint(cx)->columns, "team_id"));
    sm_arena_free(&arena);
}

static void test_patch(void **state)
{
    (void)state;
    each_dialect(patch);
}

static void delete_rows(sm_cx *cx, sm_conn *c, sm_dialect d)
{
    (void)d;
    sm_arena arena = SM_ARENA_INIT;
    Hero h = hero("Gone");
    expect_ok(cx, sm_model_insert(cx, c, &hero_model, &h));
    Hero key;
    memset(&key, 0, sizeof key);
    key.id = h.id;
    expect_ok(cx, sm_model_delete(cx, c, &hero_model, &key));
    expect_rc(cx, sm_model_delete(cx, c, &hero_model, &key), SM_NOTFOUND);
    assert_non_null(strstr(sm_cx_errmsg(cx), "hero"));
    Hero got;
    expect_rc(cx, get_hero(cx, c, h.id, &got, &arena), SM_NOTFOUND);
    /* ON DELETE SET NULL through the team. */
    int64_t team = add_team(cx, c, "Doomed");
    Hero m = hero("Member");
    m.team_id = team;
    m.has_team_id = true;
    expect_ok(cx, sm_model_insert(cx, c, &hero_model, &m));
    Team tk = {team, NULL};
    expect_ok(cx, sm_model_delete(cx, c, &team_model, &tk));
    expect_ok(cx, get_hero(cx, c, m.id, &got, &arena));
    assert_false(got.has_team_id);
    sm_arena_free(&arena);
}

static void test_delete(void **state)
{
    (void)state;
    each_dialect(delete_rows);
}

/* ---- insert_many ------------------------------------------------------- */

static void insert_many(sm_cx *cx, sm_conn *c, sm_dialect d)
{
    (void)d;
    sm_arena arena = SM_ARENA_INIT;
    Hero few[5];
    static const char *const names[5] = {"A", "B", "C", "D", "E"};
    for (int i = 0; i < 5; i++)
        few[i] = hero(names[i]);
    expect_ok(cx, sm_model_insert_many(cx, c, &hero_model, few, 5));
    for (int i = 0; i < 5; i++) {
        assert_true(few[i].id > 0);
        if (i)
            assert_true(few[i].id > few[i - 1].id);
        assert_true(few[i].created_at != 0);
        assert_false(uuid_zero(&few[i].token));
        Hero got;
        expect_ok(cx, get_hero(cx, c, few[i].id, &got, &arena));
        assert_same(&got, &few[i]);
    }
    assert_false(sm_in_transaction(c));

    /* Across batch boundaries (1000 rows per statement). */
    size_t n = 2500;
    Hero *many = calloc(n, sizeof *many);
    char (*nm)[16] = calloc(n, 16);
    assert_non_null(many);
    assert_non_null(nm);
    for (size_t i = 0; i < n; i++) {
        snprintf(nm[i], 16, "hero-%zu", i);
        many[i] = hero(nm[i]);
        many[i].age = (int32_t)(i % 200);
        many[i].has_age = true;
    }
    expect_ok(cx, sm_model_insert_many(cx, c, &hero_model, many, n));
    assert_int_equal(heroes(cx, c), 5 + (int64_t)n);
    for (size_t i = 1; i < n; i++)
        assert_true(many[i].id > many[i - 1].id);
    size_t probe[] = {0, 999, 1000, 1001, 1999, 2000, 2499};
    for (size_t k = 0; k < sizeof probe / sizeof probe[0]; k++) {
        Hero got;
        expect_ok(cx, get_hero(cx, c, many[probe[k]].id, &got, &arena));
        assert_string_equal(got.name, nm[probe[k]]);
        assert_int_equal(got.age, (int32_t)(probe[k] % 200));
    }

    /* Generated and explicit keys mixed: each run in its own statement. */
    Hero mix[4] = {hero("m0"), hero("m1"), hero("m2"), hero("m3")};
    mix[1].id = 500000;
    mix[2].id = 500001;
    expect_ok(cx, sm_model_insert_many(cx, c, &hero_model, mix, 4));
    assert_int_equal(mix[1].id, 500000);
    assert_int_equal(mix[2].id, 500001);
    assert_true(mix[0].id > 0 && mix[3].id > 0 && mix[0].id != mix[3].id);
    for (int i = 0; i < 4; i++) {
        Hero got;
        expect_ok(cx, get_hero(cx, c, mix[i].id, &got, &arena));
        assert_string_equal(got.name, mix[i].name);
    }
    /* Nothing to insert. */
    expect_ok(cx, sm_model_insert_many(cx, c, &hero_model, NULL, 0));
    expect_rc(cx, sm_model_insert_many(cx, c, &hero_model, NULL, 3), SM_MISUSE);
    free(many);
    free(nm);
    sm_arena_free(&arena);
}

static void test_insert_many(void **state)
{
    (void)state;
    each_dialect(insert_many);
}

static void insert_many_invalid(sm_cx *cx, sm_conn *c, sm_dialect d)
{
    (void)d;
    Hero hs[5] = {hero("ok0"), hero("ok1"), hero("ok2"), hero("ok3"), hero("ok4")};
    char longname[120];
    memset(longname, 'y', 119);
    longname[119] = 0;
    hs[2].name = longname;
    hs[4].age = -1;
    hs[4].has_age = true;
    hs[1].secret_name = NULL;
    uint64_t statements = sm_conn_stat(c).statements;
    expect_rc(cx, sm_model_insert_many(cx, c, &hero_model, hs, 5), SM_INVALID);
    /* No SQL at all, not even a BEGIN. */
    assert_int_equal(sm_conn_stat(c).statements, statements);
    const sm_errors *e = sm_cx_errors(cx);
    assert_int_equal(e->len, 3);
    assert_string_equal(e->items[0].path, "[1].secret_name");
    assert_string_equal(e->items[0].code, "required");
    assert_string_equal(e->items[1].path, "[2].name");
    assert_string_equal(e->items[1].code, "too_long");
    assert_string_equal(e->items[2].path, "[4].age");
    assert_non_null(strstr(sm_cx_errmsg(cx), "[1].secret_name"));
    for (int i = 0; i < 5; i++) {
        assert_int_equal(hs[i].id, 0);
        assert_int_equal(hs[i].created_at, 0);
    }
    assert_int_equal(heroes(cx, c), 0);
}

static void test_insert_many_invalid(void **state)
{
    (void)state;
    each_dialect(insert_many_invalid);
}

/* A database error in the middle: nothing is inserted, the objects are
 * as before, the FK is named. */
static void insert_many_atomic(sm_cx *cx, sm_conn *c, sm_dialect d)
{
    (void)d;
    int64_t team = add_team(cx, c, "Real");
    Hero hs[6];
    for (int i = 0; i < 6; i++) {
        hs[i] = hero("row");
        hs[i].team_id = team;
        hs[i].has_team_id = true;
    }
    hs[3].team_id = 424242;
    expect_rc(cx, sm_model_insert_many(cx, c, &hero_model, hs, 6), SM_CONSTRAINT);
    const sm_constraint *k = sm_cx_constraint(cx);
    assert_int_equal(k->kind, SM_CK_FK);
    assert_non_null(k->columns);
    assert_non_null(strstr(k->columns, "team_id"));
    assert_string_equal(k->name, "fk_hero_team_id");
    assert_false(sm_in_transaction(c));
    assert_int_equal(heroes(cx, c), 0);
    for (int i = 0; i < 6; i++) {
        assert_int_equal(hs[i].id, 0);
        assert_int_equal(hs[i].created_at, 0);
        assert_int_equal(hs[i].updated_at, 0);
        assert_true(uuid_zero(&hs[i].token));
    }
    /* Fixed, it goes in. */
    hs[3].team_id = team;
    expect_ok(cx, sm_model_insert_many(cx, c, &hero_model, hs, 6));
    assert_int_equal(heroes(cx, c), 6);

    /* Single insert: the same FK details. */
    Hero one = hero("one");
    one.team_id = 424242;
    one.has_team_id = true;
    expect_rc(cx, sm_model_insert(cx, c, &hero_model, &one), SM_CONSTRAINT);
    assert_int_equal(sm_cx_constraint(cx)->kind, SM_CK_FK);
    assert_non_null(strstr(sm_cx_constraint(cx)->columns, "team_id"));
    assert_int_equal(one.id, 0);
}

static void test_insert_many_atomic(void **state)
{
    (void)state;
    each_dialect(insert_many_atomic);
}

/* Inside a caller's transaction: validation leaves it usable; a failed
 * insert_many rolls back its own savepoint and leaves it usable too; a
 * failed single insert fails it. */
static void in_transaction(sm_cx *cx, sm_conn *c, sm_dialect d)
{
    (void)d;
    expect_ok(cx, sm_begin(cx, c));
    Hero bad = hero(NULL);
    expect_rc(cx, sm_model_insert(cx, c, &hero_model, &bad), SM_INVALID);
    assert_string_equal(sm_cx_errors(cx)->items[0].path, "name");
    Hero ok = hero("in-tx");
    expect_ok(cx, sm_model_insert(cx, c, &hero_model, &ok));

    Hero hs[3] = {hero("x"), hero("y"), hero("z")};
    hs[1].team_id = 777777;
    hs[1].has_team_id = true;
    expect_rc(cx, sm_model_insert_many(cx, c, &hero_model, hs, 3), SM_CONSTRAINT);
    assert_true(sm_in_transaction(c));
    hs[1].has_team_id = false;
    expect_ok(cx, sm_model_insert_many(cx, c, &hero_model, hs, 3));
    assert_true(sm_in_transaction(c));
    expect_ok(cx, sm_commit(cx, c));
    assert_int_equal(heroes(cx, c), 4);

    expect_ok(cx, sm_begin(cx, c));
    Hero dup = hero("dup");
    dup.id = ok.id;
    expect_rc(cx, sm_model_insert(cx, c, &hero_model, &dup), SM_CONSTRAINT);
    expect_rc(cx, sm_model_insert(cx, c, &hero_model, &hs[0]), SM_MISUSE);
    expect_ok(cx, sm_rollback(cx, c));
}

static void test_in_transaction(void **state)
{
    (void)state;
    each_dialect(in_transaction);
}

static void constraints(sm_cx *cx, sm_conn *c, sm_dialect d)
{
    (void)d;
    Hero h = hero("Checked");
    h.lvl = -1; /* table check (lvl >= 0): the database's, not validation's */
    expect_rc(cx, sm_model_insert(cx, c, &hero_model, &h), SM_CONSTRAINT);
    assert_int_equal(sm_cx_constraint(cx)->kind, SM_CK_CHECK);
    assert_string_equal(sm_cx_constraint(cx)->name, "ck_hero_1");
    add_team(cx, c, "Unique");
    Team t = {0, "Unique"};
    expect_rc(cx, sm_model_insert(cx, c, &team_model, &t), SM_CONSTRAINT);
    const sm_constraint *k = sm_cx_constraint(cx);
    assert_int_equal(k->kind, SM_CK_UNIQUE);
    /* SQLite names the columns, the servers the constraint. */
    assert_true((k->name && strcmp(k->name, "uq_teams_name") == 0) ||
                (k->columns && strcmp(k->columns, "name") == 0));
    assert_int_equal(t.id, 0);
}

static void test_constraints(void **state)
{
    (void)state;
    each_dialect(constraints);
}

/* ---- Module scripts ---------------------------------------------------- */

static void scripts(sm_cx *cx, sm_conn *c, sm_dialect d)
{
    sm_arena arena = SM_ARENA_INIT;
    Hero h = hero("Kept");
    expect_ok(cx, sm_model_insert(cx, c, &hero_model, &h));
    /* Creating twice fails (the tables exist) and changes nothing. */
    int rc = sm_module_create_all(cx, c, &heroes_module);
    assert_true(rc == SM_ERROR);
    assert_false(sm_in_transaction(c));
    assert_int_equal(heroes(cx, c), 1);
    if (d != SM_MYSQL) {
        /* Transactional DDL: a dropped module comes back on rollback. */
        expect_ok(cx, sm_begin(cx, c));
        expect_ok(cx, sm_module_drop_all(cx, c, &heroes_module));
        expect_ok(cx, sm_rollback(cx, c));
        assert_int_equal(heroes(cx, c), 1);
    } else {
        expect_ok(cx, sm_begin(cx, c));
        expect_rc(cx, sm_module_drop_all(cx, c, &heroes_module), SM_MISUSE);
        expect_ok(cx, sm_rollback(cx, c));
    }
    expect_ok(cx, sm_module_drop_all(cx, c, &heroes_module));
    Hero got;
    assert_int_not_equal(get_hero(cx, c, h.id, &got, &arena), SM_OK);
    /* Dropping on an empty database succeeds. */
    expect_ok(cx, sm_module_drop_all(cx, c, &heroes_module));
    expect_ok(cx, sm_module_create_all(cx, c, &heroes_module));
    assert_int_equal(heroes(cx, c), 0);
    expect_rc(cx, sm_module_create_all(cx, c, NULL), SM_MISUSE);
    sm_arena_free(&arena);
}

static void test_scripts(void **state)
{
    (void)state;
    each_dialect(scripts);
}

static void misuse(sm_cx *cx, sm_conn *c, sm_dialect d)
{
    (void)d;
    Hero h = hero("x");
    HeroUpdate u;
    memset(&u, 0, sizeof u);
    /* A data model is no table. */
    expect_rc(cx, sm_model_insert(cx, c, &hero_update_model, &u), SM_MISUSE);
    expect_rc(cx, sm_model_insert(cx, NULL, &hero_model, &h), SM_MISUSE);
    sm_rows *r;
    expect_ok(cx, sm_query(cx, c, "SELECT 1", NULL, 0, &r));
    expect_rc(cx, sm_model_insert(cx, c, &hero_model, &h), SM_MISUSE);
    expect_rc(cx, sm_model_insert_many(cx, c, &hero_model, &h, 1), SM_MISUSE);
    sm_arena arena = SM_ARENA_INIT;
    Hero got;
    memset(&got, 1, sizeof got);
    expect_rc(cx, get_hero(cx, c, 1, &got, &arena), SM_MISUSE);
    assert_null(got.name);
    sm_rows_close(r);
    assert_int_equal(h.id, 0);
    assert_int_equal(h.created_at, 0);
}

static void test_misuse(void **state)
{
    (void)state;
    each_dialect(misuse);
}

/* ---- SQLite storage forms ------------------------------------------------ */

static void test_sqlite_storage(void **state)
{
    (void)state;
    sm_cx cx;
    sm_cx_init(&cx);
    sm_conn *c = open_sqlite(&cx);
    sm_arena arena = SM_ARENA_INIT;
    expect_ok(&cx, sm_module_create_all(&cx, c, &heroes_module));
    Hero h = hero("Stored");
    h.score = 12345;
    h.born = sm_date_from_ymd(2024, 2, 29);
    h.has_born = true;
    h.alarm = 1;
    h.has_alarm = true;
    h.created_at = 1700000000 * INT64_C(1000000) + 5;
    h.power = POWER_STRENGTH;
    sm_uuid_parse("123E4567-E89B-12D3-A456-426614174000", 36, &h.token);
    expect_ok(&cx, sm_model_insert(&cx, c, &hero_model, &h));
    sm_rows *r;
    sm_value id = sm_int(h.id);
    expect_ok(&cx, sm_query(&cx, c,
                            "SELECT score, typeof(score), born, alarm, created_at, power, token, "
                            "active FROM hero WHERE id = ?",
                            &id, 1, &r));
    expect_rc(&cx, sm_rows_next(r), SM_ROW);
    assert_int_equal(sm_rows_int(r, 0), 12345);
    assert_string_equal(sm_rows_text(r, 1), "integer");
    assert_string_equal(sm_rows_text(r, 2), "2024-02-29");
    assert_string_equal(sm_rows_text(r, 3), "00:00:00.000001");
    assert_string_equal(sm_rows_text(r, 4), "2023-11-14 22:13:20.000005");
    assert_string_equal(sm_rows_text(r, 5), "strength");
    assert_string_equal(sm_rows_text(r, 6), "123e4567-e89b-12d3-a456-426614174000");
    assert_int_equal(sm_rows_int(r, 7), 1);
    sm_rows_close(r);

    /* One prepared statement per descriptor, reused. */
    uint64_t prepares = sm_conn_stat(c).prepares;
    for (int i = 0; i < 10; i++) {
        Hero more = hero("more");
        expect_ok(&cx, sm_model_insert(&cx, c, &hero_model, &more));
    }
    assert_int_equal(sm_conn_stat(c).prepares, prepares);

    /* Values another writer left that the model cannot read: SM_ERROR
     * naming the table, the column and the value; *out zeroed. */
    exec_ok(&cx, c, "PRAGMA ignore_check_constraints = ON");
    Hero got;
    struct {
        const char *sql, *msg;
    } bad[] = {
        {"UPDATE hero SET power = 'teleport' WHERE id = ?", "hero.power: 'teleport'"},
        {"UPDATE hero SET lvl = 40000 WHERE id = ?", "hero.lvl: 40000 is out of range for i16"},
        {"UPDATE hero SET born = 'yesterday' WHERE id = ?", "hero.born: cannot read 'yesterday'"},
        {"UPDATE hero SET token = 'not-a-uuid' WHERE id = ?", "hero.token: cannot read"},
        {"UPDATE hero SET created_at = '2024-13-01 00:00:00' WHERE id = ?", "hero.created_at"},
        {"UPDATE hero SET alarm = '25:00:00' WHERE id = ?", "hero.alarm"},
        {"UPDATE hero SET age = 3000000000 WHERE id = ?", "out of range for i32"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        Hero fresh = hero("victim");
        expect_ok(&cx, sm_model_insert(&cx, c, &hero_model, &fresh));
        sm_value p = sm_int(fresh.id);
        expect_ok(&cx, sm_exec(&cx, c, bad[i].sql, &p, 1, NULL));
        expect_rc(&cx, get_hero(&cx, c, fresh.id, &got, &arena), SM_ERROR);
        if (!strstr(sm_cx_errmsg(&cx), bad[i].msg))
            fail_msg("'%s' lacks '%s'", sm_cx_errmsg(&cx), bad[i].msg);
        assert_null(got.name);
        assert_int_equal(got.id, 0);
    }
    sm_close(c);
    sm_arena_free(&arena);
    sm_cx_free(&cx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_insert_get),
        cmocka_unit_test(test_explicit_keys),
        cmocka_unit_test(test_update),
        cmocka_unit_test(test_patch),
        cmocka_unit_test(test_delete),
        cmocka_unit_test(test_insert_many),
        cmocka_unit_test(test_insert_many_invalid),
        cmocka_unit_test(test_insert_many_atomic),
        cmocka_unit_test(test_in_transaction),
        cmocka_unit_test(test_constraints),
        cmocka_unit_test(test_scripts),
        cmocka_unit_test(test_misuse),
        cmocka_unit_test(test_sqlite_storage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
