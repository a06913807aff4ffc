/*
 * test_crud.c: the generic table operations (desc.h, DESIGN 3.4/3.5) over
 * the hand-written descriptors of crud_model.c, on every configured
 * dialect: insert with generated and explicit keys and now()/uuid()
 * fills, get of every type, update with @updated_at, patch, delete,
 * insert_many (batches, write-back, atomicity), validation before any
 * SQL, constraint details, create_all/drop_all; and on SQLite the storage
 * forms and unreadable values.
 */
#include "internal.h"
#include "tdb.h"

#include "crud_model.h"

#include <unistd.h>

static int create(sm_cx *cx, sm_conn *c)
{
    return sm_module_create_all(cx, c, &heroes_module);
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
    TDB_OK(cx, sm_model_insert(cx, c, &team_model, &t));
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
    return tdb_scalar_int(cx, c, "SELECT count(*) FROM hero", NULL, 0);
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

static void insert_get(tdb *t)
{
    sm_cx *cx = &t->cx;
    sm_conn *c = t->conn;
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
    TDB_OK(cx, sm_model_insert(cx, c, &hero_model, &h));
    sm_datetime after = sm_datetime_now();
    /* The generated key (the first of a fresh table), now() and uuid()
     * are written back. */
    assert_int_equal(team, 1);
    assert_int_equal(h.id, 1);
    assert_true(h.created_at >= before && h.created_at <= after);
    assert_int_equal(h.updated_at, h.created_at);
    assert_false(uuid_zero(&h.token));
    assert_int_equal(h.token.b[6] >> 4, 4); /* version 4 */

    Hero got;
    TDB_OK(cx, get_hero(cx, c, h.id, &got, &arena));
    assert_same(&got, &h);
    assert_null(got.team); /* relationships are not loaded */

    /* Every nullable field NULL; empty text and bytes are not NULL. */
    Hero e = hero("");
    e.secret_name = "";
    e.avatar.data = (const uint8_t *)"";
    e.avatar.len = 0;
    e.lvl = 0;
    TDB_OK(cx, sm_model_insert(cx, c, &hero_model, &e));
    Hero n = hero("Nulls");
    n.lvl = 2;
    TDB_OK(cx, sm_model_insert(cx, c, &hero_model, &n));
    assert_int_equal(e.id, 2);
    assert_int_equal(n.id, 3);
    TDB_OK(cx, get_hero(cx, c, e.id, &got, &arena));
    assert_same(&got, &e);
    assert_non_null(got.avatar.data);
    assert_string_equal(got.name, "");
    TDB_OK(cx, get_hero(cx, c, n.id, &got, &arena));
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
    assert_int_equal(sm_uuid_parse("123e4567-e89b-12d3-a456-426614174000", 36, &g.token), SM_OK);
    TDB_OK(cx, sm_model_insert(cx, c, &hero_model, &g));
    TDB_OK(cx, get_hero(cx, c, g.id, &got, &arena));
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
    TDB_OK(cx, sm_model_insert(cx, c, &hero_model, &x));
    TDB_OK(cx, get_hero(cx, c, x.id, &got, &arena));
    assert_same(&got, &x);

    /* A missing key: NOTFOUND, and *out zeroed. */
    memset(&got, 0x5a, sizeof got);
    TDB_RC(cx, get_hero(cx, c, 987654321, &got, &arena), SM_NOTFOUND);
    Hero zero;
    memset(&zero, 0, sizeof zero);
    assert_memory_equal(&got, &zero, sizeof got);
    sm_arena_free(&arena);
}

static void test_insert_get(void **state)
{
    (void)state;
    tdb_each(create, insert_get);
}

static void explicit_keys(tdb *t)
{
    sm_cx *cx = &t->cx;
    sm_conn *c = t->conn;
    sm_arena arena = SM_ARENA_INIT;
    Hero h = hero("Explicit");
    h.id = 100000;
    TDB_OK(cx, sm_model_insert(cx, c, &hero_model, &h));
    assert_int_equal(h.id, 100000);
    Hero got;
    TDB_OK(cx, get_hero(cx, c, 100000, &got, &arena));
    assert_string_equal(got.name, "Explicit");
    Hero a = hero("Auto");
    TDB_OK(cx, sm_model_insert(cx, c, &hero_model, &a));
    assert_true(a.id > 0 && a.id != 100000);

    /* A duplicate key fails and leaves the object as it was. */
    Hero dup = hero("Dup");
    dup.id = 100000;
    TDB_RC(cx, sm_model_insert(cx, c, &hero_model, &dup), SM_CONSTRAINT);
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
    tdb_each(create, explicit_keys);
}

/* ---- update, patch, delete -------------------------------------------- */

static void update(tdb *t)
{
    sm_cx *cx = &t->cx;
    sm_conn *c = t->conn;
    sm_arena arena = SM_ARENA_INIT;
    Hero h = hero("Rusty-Man");
    TDB_OK(cx, sm_model_insert(cx, c, &hero_model, &h));
    sm_datetime inserted = h.updated_at;
    usleep(2000);
    h.name = "Rusty-Man II";
    h.age = 48;
    h.has_age = true;
    h.avatar.data = (const uint8_t *)"png";
    h.avatar.len = 3;
    TDB_OK(cx, sm_model_update(cx, c, &hero_model, &h));
    assert_true(h.updated_at > inserted);
    assert_true(h.created_at < h.updated_at);
    Hero got;
    TDB_OK(cx, get_hero(cx, c, h.id, &got, &arena));
    assert_same(&got, &h);
    /* Updating to the same values still matches the row. */
    TDB_OK(cx, sm_model_update(cx, c, &hero_model, &h));

    /* A missing key: NOTFOUND, @updated_at back to what it was. */
    Hero ghost = h;
    ghost.id = 987654321;
    sm_datetime was = ghost.updated_at;
    TDB_RC(cx, sm_model_update(cx, c, &hero_model, &ghost), SM_NOTFOUND);
    assert_int_equal(ghost.updated_at, was);

    /* Invalid: nothing sent, nothing changed. */
    uint64_t statements = sm_conn_stat(c).statements;
    char longname[102];
    memset(longname, 'x', 101);
    longname[101] = 0;
    h.name = longname;
    h.age = -5;
    was = h.updated_at;
    TDB_RC(cx, sm_model_update(cx, c, &hero_model, &h), SM_INVALID);
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
    tdb_each(create, update);
}

static void patch(tdb *t)
{
    sm_cx *cx = &t->cx;
    sm_conn *c = t->conn;
    sm_arena arena = SM_ARENA_INIT;
    int64_t team = add_team(cx, c, "Z-Force");
    Hero h = hero("Tarantula");
    h.age = 32;
    h.has_age = true;
    h.team_id = team;
    h.has_team_id = true;
    h.avatar.data = (const uint8_t *)"img";
    h.avatar.len = 3;
    TDB_OK(cx, sm_model_insert(cx, c, &hero_model, &h));
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
    TDB_OK(cx, sm_model_patch(cx, c, &hero_patch_desc, &key, &u));
    Hero got;
    TDB_OK(cx, get_hero(cx, c, h.id, &got, &arena));
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
    TDB_OK(cx, sm_model_patch(cx, c, &hero_patch_desc, &key, &u));
    TDB_OK(cx, get_hero(cx, c, h.id, &got, &arena));
    assert_true(got.has_age);
    assert_int_equal(got.age, 33);
    assert_null(got.avatar.data);
    assert_false(got.has_team_id);
    assert_string_equal(got.name, "Tarantula Prime");

    /* Nothing set: the row matches, nothing changes. */
    memset(&u, 0, sizeof u);
    TDB_OK(cx, sm_model_patch(cx, c, &hero_patch_desc, &key, &u));

    /* NULL for a non-nullable field; an out-of-range value: SM_INVALID
     * before any SQL.  Unset fields are not validated. */
    uint64_t statements = sm_conn_stat(c).statements;
    memset(&u, 0, sizeof u);
    u.has_name = true;
    u.name = NULL;
    u.age = -1; /* not set: ignored */
    TDB_RC(cx, sm_model_patch(cx, c, &hero_patch_desc, &key, &u), SM_INVALID);
    assert_int_equal(sm_cx_errors(cx)->len, 1);
    assert_string_equal(sm_cx_errors(cx)->items[0].path, "name");
    assert_string_equal(sm_cx_errors(cx)->items[0].code, "required");
    memset(&u, 0, sizeof u);
    u.has_age = true;
    u.age = 201;
    TDB_RC(cx, sm_model_patch(cx, c, &hero_patch_desc, &key, &u), SM_INVALID);
    assert_string_equal(sm_cx_errors(cx)->items[0].code, "out_of_range");
    assert_int_equal(sm_conn_stat(c).statements, statements);

    /* A missing key. */
    memset(&u, 0, sizeof u);
    u.has_age = true;
    u.age = 1;
    key.id = 987654321;
    TDB_RC(cx, sm_model_patch(cx, c, &hero_patch_desc, &key, &u), SM_NOTFOUND);
    /* An FK violation names the column. */
    key.id = h.id;
    u.has_team_id = true;
    u.team_id = 999999;
    TDB_RC(cx, sm_model_patch(cx, c, &hero_patch_desc, &key, &u), SM_CONSTRAINT);
    assert_int_equal(sm_cx_constraint(cx)->kind, SM_CK_FK);
    assert_non_null(sm_cx_constraint(cx)->columns);
    assert_non_null(strstr(sm_cx_constraint(cx)->columns, "team_id"));
    sm_arena_free(&arena);
}

static void test_patch(void **state)
{
    (void)state;
    tdb_each(create, patch);
}

static void delete_rows(tdb *t)
{
    sm_cx *cx = &t->cx;
    sm_conn *c = t->conn;
    sm_arena arena = SM_ARENA_INIT;
    Hero h = hero("Gone");
    TDB_OK(cx, sm_model_insert(cx, c, &hero_model, &h));
    Hero key;
    memset(&key, 0, sizeof key);
    key.id = h.id;
    TDB_OK(cx, sm_model_delete(cx, c, &hero_model, &key));
    TDB_RC(cx, sm_model_delete(cx, c, &hero_model, &key), SM_NOTFOUND);
    assert_non_null(strstr(sm_cx_errmsg(cx), "hero"));
    Hero got;
    TDB_RC(cx, get_hero(cx, c, h.id, &got, &arena), SM_NOTFOUND);
    /* ON DELETE SET NULL through the team. */
    int64_t team = add_team(cx, c, "Doomed");
    Hero m = hero("Member");
    m.team_id = team;
    m.has_team_id = true;
    TDB_OK(cx, sm_model_insert(cx, c, &hero_model, &m));
    Team tk = {team, NULL};
    TDB_OK(cx, sm_model_delete(cx, c, &team_model, &tk));
    TDB_OK(cx, get_hero(cx, c, m.id, &got, &arena));
    assert_false(got.has_team_id);
    sm_arena_free(&arena);
}

static void test_delete(void **state)
{
    (void)state;
    tdb_each(create, delete_rows);
}

/* ---- insert_many ------------------------------------------------------- */

static void insert_many(tdb *t)
{
    sm_cx *cx = &t->cx;
    sm_conn *c = t->conn;
    sm_arena arena = SM_ARENA_INIT;
    Hero few[5];
    static const char *const names[5] = {"A", "B", "C", "D", "E"};
    for (int i = 0; i < 5; i++)
        few[i] = hero(names[i]);
    TDB_OK(cx, sm_model_insert_many(cx, c, &hero_model, few, 5));
    for (int i = 0; i < 5; i++) {
        assert_true(few[i].id > 0);
        if (i)
            assert_true(few[i].id > few[i - 1].id);
        assert_true(few[i].created_at != 0);
        assert_false(uuid_zero(&few[i].token));
        Hero got;
        TDB_OK(cx, get_hero(cx, c, few[i].id, &got, &arena));
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
    TDB_OK(cx, sm_model_insert_many(cx, c, &hero_model, many, n));
    assert_int_equal(heroes(cx, c), 5 + (int64_t)n);
    for (size_t i = 1; i < n; i++)
        assert_true(many[i].id > many[i - 1].id);
    size_t probe[] = {0, 999, 1000, 1001, 1999, 2000, 2499};
    for (size_t k = 0; k < sizeof probe / sizeof probe[0]; k++) {
        Hero got;
        TDB_OK(cx, get_hero(cx, c, many[probe[k]].id, &got, &arena));
        assert_string_equal(got.name, nm[probe[k]]);
        assert_int_equal(got.age, (int32_t)(probe[k] % 200));
    }

    /* Generated and explicit keys mixed: each run in its own statement. */
    Hero mix[4] = {hero("m0"), hero("m1"), hero("m2"), hero("m3")};
    mix[1].id = 500000;
    mix[2].id = 500001;
    TDB_OK(cx, sm_model_insert_many(cx, c, &hero_model, mix, 4));
    assert_int_equal(mix[1].id, 500000);
    assert_int_equal(mix[2].id, 500001);
    assert_true(mix[0].id > 0 && mix[3].id > 0 && mix[0].id != mix[3].id);
    for (int i = 0; i < 4; i++) {
        Hero got;
        TDB_OK(cx, get_hero(cx, c, mix[i].id, &got, &arena));
        assert_string_equal(got.name, mix[i].name);
    }
    /* Nothing to insert. */
    TDB_OK(cx, sm_model_insert_many(cx, c, &hero_model, NULL, 0));
    TDB_RC(cx, sm_model_insert_many(cx, c, &hero_model, NULL, 3), SM_MISUSE);
    free(many);
    free(nm);
    sm_arena_free(&arena);
}

static void test_insert_many(void **state)
{
    (void)state;
    tdb_each(create, insert_many);
}

static void insert_many_invalid(tdb *t)
{
    sm_cx *cx = &t->cx;
    sm_conn *c = t->conn;
    Hero hs[5] = {hero("ok0"), hero("ok1"), hero("ok2"), hero("ok3"), hero("ok4")};
    char longname[120];
    memset(longname, 'y', 119);
    longname[119] = 0;
    hs[2].name = longname;
    hs[4].age = -1;
    hs[4].has_age = true;
    hs[1].secret_name = NULL;
    uint64_t statements = sm_conn_stat(c).statements;
    TDB_RC(cx, sm_model_insert_many(cx, c, &hero_model, hs, 5), SM_INVALID);
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
    tdb_each(create, insert_many_invalid);
}

/* Batches of every size from 1 to 40 rows prepare a handful of
 * multi-row INSERT shapes (powers of two: 1, 2, 4, 8, 16, 32), not one per
 * size; the rows all go in, their keys in order.  SQLite inserts a row
 * per statement: one shape. */
static void insert_many_shapes(tdb *t)
{
    sm_cx *cx = &t->cx;
    sm_conn *c = t->conn;
    Hero hs[40];
    uint64_t before = sm_conn_stat(c).prepares;
    int64_t total = 0;
    for (size_t n = 1; n <= 40; n++) {
        for (size_t i = 0; i < n; i++)
            hs[i] = hero("shape");
        TDB_OK(cx, sm_model_insert_many(cx, c, &hero_model, hs, n));
        for (size_t i = 1; i < n; i++)
            assert_true(hs[i].id > hs[i - 1].id);
        total += (int64_t)n;
    }
    assert_int_equal(heroes(cx, c), total);
    uint64_t shapes = sm_conn_stat(c).prepares - before;
    /* Besides the INSERTs: the library's BEGIN and COMMIT on a driver
     * that prepares them, and the count above. */
    /* The INSERT shapes, and the count above. */
    if (shapes != (t->d == SM_SQLITE ? 1 : 6) + 1)
        fail_msg("%s: %llu statements prepared for 40 batch sizes", tdb_where(),
                 (unsigned long long)shapes);
}

static void test_insert_many_shapes(void **state)
{
    (void)state;
    tdb_each(create, insert_many_shapes);
}

/* A database error in the middle: nothing is inserted, the objects are
 * as before, the FK is named. */
static void insert_many_atomic(tdb *t)
{
    sm_cx *cx = &t->cx;
    sm_conn *c = t->conn;
    int64_t team = add_team(cx, c, "Real");
    Hero hs[6];
    for (int i = 0; i < 6; i++) {
        hs[i] = hero("row");
        hs[i].team_id = team;
        hs[i].has_team_id = true;
    }
    hs[3].team_id = 424242;
    TDB_RC(cx, sm_model_insert_many(cx, c, &hero_model, hs, 6), SM_CONSTRAINT);
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
    TDB_OK(cx, sm_model_insert_many(cx, c, &hero_model, hs, 6));
    assert_int_equal(heroes(cx, c), 6);

    /* Single insert: the same FK details. */
    Hero one = hero("one");
    one.team_id = 424242;
    one.has_team_id = true;
    TDB_RC(cx, sm_model_insert(cx, c, &hero_model, &one), SM_CONSTRAINT);
    assert_int_equal(sm_cx_constraint(cx)->kind, SM_CK_FK);
    assert_non_null(strstr(sm_cx_constraint(cx)->columns, "team_id"));
    assert_int_equal(one.id, 0);
}

static void test_insert_many_atomic(void **state)
{
    (void)state;
    tdb_each(create, insert_many_atomic);
}

/* Inside a caller's transaction: validation leaves it usable; a failed
 * insert_many rolls back its own savepoint and fails the transaction like
 * a failed single insert; a savepoint of the caller's recovers it. */
static void in_transaction(tdb *t)
{
    sm_cx *cx = &t->cx;
    sm_conn *c = t->conn;
    TDB_OK(cx, sm_begin(cx, c));
    Hero bad = hero(NULL);
    TDB_RC(cx, sm_model_insert(cx, c, &hero_model, &bad), SM_INVALID);
    assert_string_equal(sm_cx_errors(cx)->items[0].path, "name");
    Hero ok = hero("in-tx");
    TDB_OK(cx, sm_model_insert(cx, c, &hero_model, &ok));

    Hero hs[3] = {hero("x"), hero("y"), hero("z")};
    hs[1].team_id = 777777;
    hs[1].has_team_id = true;
    TDB_OK(cx, sm_savepoint(cx, c, "many"));
    TDB_RC(cx, sm_model_insert_many(cx, c, &hero_model, hs, 3), SM_CONSTRAINT);
    assert_true(sm_in_transaction(c));
    hs[1].has_team_id = false;
    TDB_RC(cx, sm_model_insert_many(cx, c, &hero_model, hs, 3), SM_MISUSE);
    TDB_OK(cx, sm_rollback_to(cx, c, "many"));
    TDB_OK(cx, sm_model_insert_many(cx, c, &hero_model, hs, 3));
    assert_true(sm_in_transaction(c));
    TDB_OK(cx, sm_commit(cx, c));
    assert_int_equal(heroes(cx, c), 4);

    TDB_OK(cx, sm_begin(cx, c));
    Hero dup = hero("dup");
    dup.id = ok.id;
    TDB_RC(cx, sm_model_insert(cx, c, &hero_model, &dup), SM_CONSTRAINT);
    TDB_RC(cx, sm_model_insert(cx, c, &hero_model, &hs[0]), SM_MISUSE);
    TDB_OK(cx, sm_rollback(cx, c));
}

static void test_in_transaction(void **state)
{
    (void)state;
    tdb_each(create, in_transaction);
}

static void constraints(tdb *t)
{
    sm_cx *cx = &t->cx;
    sm_conn *c = t->conn;
    Hero h = hero("Checked");
    h.lvl = -1; /* table check (lvl >= 0): the database's, not validation's */
    TDB_RC(cx, sm_model_insert(cx, c, &hero_model, &h), SM_CONSTRAINT);
    assert_int_equal(sm_cx_constraint(cx)->kind, SM_CK_CHECK);
    assert_string_equal(sm_cx_constraint(cx)->name, "ck_hero_1");
    add_team(cx, c, "Unique");
    Team tm = {0, "Unique"};
    TDB_RC(cx, sm_model_insert(cx, c, &team_model, &tm), SM_CONSTRAINT);
    tdb_constraint_is(t, SM_CK_UNIQUE, "uq_teams_name", "name");
    assert_int_equal(tm.id, 0);
}

static void test_constraints(void **state)
{
    (void)state;
    tdb_each(create, constraints);
}

/* ---- Module scripts ---------------------------------------------------- */

static void scripts(tdb *t)
{
    sm_cx *cx = &t->cx;
    sm_conn *c = t->conn;
    sm_dialect d = t->d;
    sm_arena arena = SM_ARENA_INIT;
    Hero h = hero("Kept");
    TDB_OK(cx, sm_model_insert(cx, c, &hero_model, &h));
    /* Creating twice fails (the tables exist) and changes nothing. */
    TDB_RC(cx, sm_module_create_all(cx, c, &heroes_module), SM_ERROR);
    assert_non_null(strstr(sm_cx_errmsg(cx), "already exists"));
    assert_false(sm_in_transaction(c));
    assert_int_equal(heroes(cx, c), 1);
    if (d != SM_MYSQL) {
        /* Transactional DDL: a dropped module comes back on rollback. */
        TDB_OK(cx, sm_begin(cx, c));
        TDB_OK(cx, sm_module_drop_all(cx, c, &heroes_module));
        TDB_OK(cx, sm_rollback(cx, c));
        assert_int_equal(heroes(cx, c), 1);
    } else {
        TDB_OK(cx, sm_begin(cx, c));
        TDB_RC(cx, sm_module_drop_all(cx, c, &heroes_module), SM_MISUSE);
        TDB_OK(cx, sm_rollback(cx, c));
    }
    TDB_OK(cx, sm_module_drop_all(cx, c, &heroes_module));
    Hero got;
    tdb_expect_no_table(cx, d, get_hero(cx, c, h.id, &got, &arena), "hero");
    /* Dropping on an empty database succeeds. */
    TDB_OK(cx, sm_module_drop_all(cx, c, &heroes_module));
    TDB_OK(cx, sm_module_create_all(cx, c, &heroes_module));
    assert_int_equal(heroes(cx, c), 0);
    TDB_RC(cx, sm_module_create_all(cx, c, NULL), SM_MISUSE);
    sm_arena_free(&arena);
}

static void test_scripts(void **state)
{
    (void)state;
    tdb_each(create, scripts);
}

static void misuse(tdb *t)
{
    sm_cx *cx = &t->cx;
    sm_conn *c = t->conn;
    Hero h = hero("x");
    HeroUpdate u;
    memset(&u, 0, sizeof u);
    /* A data model is no table. */
    TDB_RC(cx, sm_model_insert(cx, c, &hero_update_model, &u), SM_MISUSE);
    TDB_RC(cx, sm_model_insert(cx, NULL, &hero_model, &h), SM_MISUSE);
    sm_rows *r;
    TDB_OK(cx, sm_query(cx, c, "SELECT 1", NULL, 0, &r));
    TDB_RC(cx, sm_model_insert(cx, c, &hero_model, &h), SM_MISUSE);
    TDB_RC(cx, sm_model_insert_many(cx, c, &hero_model, &h, 1), SM_MISUSE);
    sm_arena arena = SM_ARENA_INIT;
    Hero got;
    memset(&got, 1, sizeof got);
    TDB_RC(cx, get_hero(cx, c, 1, &got, &arena), SM_MISUSE);
    assert_null(got.name);
    sm_rows_close(r);
    assert_int_equal(h.id, 0);
    assert_int_equal(h.created_at, 0);
}

static void test_misuse(void **state)
{
    (void)state;
    tdb_each(create, misuse);
}

/* ---- SQLite storage forms ------------------------------------------------ */

static void test_sqlite_storage(void **state)
{
    (void)state;
    sm_cx cx;
    sm_cx_init(&cx);
    sm_conn *c = tdb_connect(&cx, tdb_url(SM_SQLITE));
    sm_arena arena = SM_ARENA_INIT;
    TDB_OK(&cx, sm_module_create_all(&cx, c, &heroes_module));
    Hero h = hero("Stored");
    h.score = 12345;
    h.born = sm_date_from_ymd(2024, 2, 29);
    h.has_born = true;
    h.alarm = 1;
    h.has_alarm = true;
    h.created_at = 1700000000 * INT64_C(1000000) + 5;
    h.power = POWER_STRENGTH;
    assert_int_equal(sm_uuid_parse("123E4567-E89B-12D3-A456-426614174000", 36, &h.token), SM_OK);
    TDB_OK(&cx, sm_model_insert(&cx, c, &hero_model, &h));
    sm_rows *r;
    sm_value id = sm_int(h.id);
    TDB_OK(&cx, sm_query(&cx, c,
                         "SELECT score, typeof(score), born, alarm, created_at, power, token, "
                         "active FROM hero WHERE id = ?",
                         &id, 1, &r));
    TDB_RC(&cx, sm_rows_next(r), SM_ROW);
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
        TDB_OK(&cx, sm_model_insert(&cx, c, &hero_model, &more));
    }
    assert_int_equal(sm_conn_stat(c).prepares, prepares);

    /* Values another writer left that the model cannot read: SM_ERROR
     * naming the table, the column and the value; *out zeroed. */
    tdb_exec_ok(&cx, c, "PRAGMA ignore_check_constraints = ON");
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
        TDB_OK(&cx, sm_model_insert(&cx, c, &hero_model, &fresh));
        sm_value p = sm_int(fresh.id);
        TDB_OK(&cx, sm_exec(&cx, c, bad[i].sql, &p, 1, NULL));
        TDB_RC(&cx, get_hero(&cx, c, fresh.id, &got, &arena), SM_ERROR);
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
        cmocka_unit_test(test_insert_many_shapes),
        cmocka_unit_test(test_in_transaction),
        cmocka_unit_test(test_constraints),
        cmocka_unit_test(test_scripts),
        cmocka_unit_test(test_misuse),
        cmocka_unit_test(test_sqlite_storage),
    };
    return tdb_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
