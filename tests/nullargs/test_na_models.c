/*
 * test_na_models.c: the generic table and model operations of
 * smdl/desc.h and every function smc generates for tests/schemas/
 * heroes.smdl (each verb of DESIGN 3.1 that exists, on tables with one
 * and two key fields, data models, a partial and conversions), with each
 * pointer argument NULL in turn, on every dialect.
 *
 * The generated source is included, not linked: its descriptors are
 * static (DESIGN 3.1), and the sm_model_* calls below need them.
 */
#include "natest.h"

#include "heroes.c"

/* Valid objects: a NULL elsewhere must be what the call refuses. */
static Hero a_hero(void)
{
    Hero h = HERO_INIT;
    h.name = "Deadpond";
    h.secret_name = "Dive Wilson";
    return h;
}

static Team a_team(void)
{
    Team m = TEAM_INIT;
    m.name = "Preventers";
    m.headquarters = "Sharp Tower";
    return m;
}

static HeroTeamLink a_link(void)
{
    HeroTeamLink l = HERO_TEAM_LINK_INIT;
    l.hero_id = 1;
    l.team_id = 1;
    return l;
}

static HeroBase a_hero_base(void)
{
    HeroBase h = HERO_BASE_INIT;
    h.name = "Deadpond";
    h.secret_name = "Dive Wilson";
    return h;
}

static HeroCreate a_hero_create(void)
{
    HeroCreate h = HERO_CREATE_INIT;
    h.name = "Deadpond";
    h.secret_name = "Dive Wilson";
    return h;
}

static HeroPublic a_hero_public(void)
{
    HeroPublic h = HERO_PUBLIC_INIT;
    h.name = "Deadpond";
    h.secret_name = "Dive Wilson";
    h.id = 1;
    return h;
}

static HeroUpdate a_hero_update(void)
{
    HeroUpdate u = HERO_UPDATE_INIT;
    u.name = "Deadpool";
    u.has_name = true;
    return u;
}

/* A valid JSON object of each model, and an invalid one. */
#define HERO_JSON "{\"name\": \"Deadpond\", \"secret_name\": \"Dive Wilson\", \"id\": 1}"
#define BAD_JSON "{\"name\": 5}"

/* No row may have been written by a refused call. */
static void no_rows(na *t)
{
    static const char *const tables[] = {"hero", "teams", "hero_team_link"};
    for (size_t i = 0; i < 3; i++) {
        char sql[64];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", tables[i]);
        sm_rows *r = NULL;
        NA_EXPECT(t, sm_query(&t->cx, t->conn, sql, NULL, 0, &r), SM_OK);
        assert_int_equal(sm_rows_next(r), SM_ROW);
        if (sm_rows_int(r, 0) != 0)
            fail_msg("on %s: a refused call wrote a row into %s", tdb_name(t->d),
                     tables[i]);
        sm_rows_close(r);
    }
}

/* All bytes of *p are zero. */
static bool zeroed(const void *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (((const unsigned char *)p)[i])
            return false;
    return true;
}

/* ---- Generic operations (smdl/desc.h) ---------------------------------------------- */

static void model_insert_body(na *t)
{
    const sm_model *m = &smdl.model_Hero;
    Hero h = a_hero();
    NA_RC(sm_model_insert(NULL, t->conn, m, &h), SM_MISUSE);
    NA_MISUSE(t, sm_model_insert(&t->cx, NULL, m, &h));
    NA_MISUSE(t, sm_model_insert(&t->cx, t->conn, NULL, &h));
    NA_MISUSE(t, sm_model_insert(&t->cx, t->conn, m, NULL));
    no_rows(t);
}

static void case_sm_model_insert(void **state)
{
    (void)state;
    na_each(model_insert_body);
}

static void model_insert_many_body(na *t)
{
    const sm_model *m = &smdl.model_Hero;
    Hero hs[2] = {a_hero(), a_hero()};
    NA_RC(sm_model_insert_many(NULL, t->conn, m, hs, 2), SM_MISUSE);
    NA_MISUSE(t, sm_model_insert_many(&t->cx, NULL, m, hs, 2));
    NA_MISUSE(t, sm_model_insert_many(&t->cx, t->conn, NULL, hs, 2));
    NA_MISUSE(t, sm_model_insert_many(&t->cx, t->conn, m, NULL, 2));
    /* No rows at all: NULL is the empty array. */
    NA_EXPECT(t, sm_model_insert_many(&t->cx, t->conn, m, NULL, 0), SM_OK);
    no_rows(t);
}

static void case_sm_model_insert_many(void **state)
{
    (void)state;
    na_each(model_insert_many_body);
}

static void model_get_body(na *t)
{
    const sm_model *m = &smdl.model_Hero;
    Hero key = a_hero(), out;
    key.id = 1;
    memset(&out, 0xa5, sizeof out);
    NA_RC(sm_model_get(NULL, t->conn, m, &key, &out, &t->arena), SM_MISUSE);
    assert_true(zeroed(&out, sizeof out)); /* *out is zeroed on every failure */
    NA_MISUSE(t, sm_model_get(&t->cx, NULL, m, &key, &out, &t->arena));
    NA_MISUSE(t, sm_model_get(&t->cx, t->conn, NULL, &key, &out, &t->arena));
    NA_MISUSE(t, sm_model_get(&t->cx, t->conn, m, NULL, &out, &t->arena));
    memset(&out, 0xa5, sizeof out);
    NA_MISUSE(t, sm_model_get(&t->cx, t->conn, m, &key, NULL, &t->arena));
    NA_MISUSE(t, sm_model_get(&t->cx, t->conn, m, &key, &out, NULL));
    assert_true(zeroed(&out, sizeof out));
}

static void case_sm_model_get(void **state)
{
    (void)state;
    na_each(model_get_body);
}

static void model_update_body(na *t)
{
    const sm_model *m = &smdl.model_Hero;
    Hero h = a_hero();
    h.id = 1;
    NA_RC(sm_model_update(NULL, t->conn, m, &h), SM_MISUSE);
    NA_MISUSE(t, sm_model_update(&t->cx, NULL, m, &h));
    NA_MISUSE(t, sm_model_update(&t->cx, t->conn, NULL, &h));
    NA_MISUSE(t, sm_model_update(&t->cx, t->conn, m, NULL));
}

static void case_sm_model_update(void **state)
{
    (void)state;
    na_each(model_update_body);
}

static void model_patch_body(na *t)
{
    const sm_patch_desc *p = &smdl_patch0_Hero;
    Hero key = a_hero();
    HeroUpdate u = a_hero_update();
    key.id = 1;
    NA_RC(sm_model_patch(NULL, t->conn, p, &key, &u), SM_MISUSE);
    NA_MISUSE(t, sm_model_patch(&t->cx, NULL, p, &key, &u));
    NA_MISUSE(t, sm_model_patch(&t->cx, t->conn, NULL, &key, &u));
    NA_MISUSE(t, sm_model_patch(&t->cx, t->conn, p, NULL, &u));
    NA_MISUSE(t, sm_model_patch(&t->cx, t->conn, p, &key, NULL));
}

static void case_sm_model_patch(void **state)
{
    (void)state;
    na_each(model_patch_body);
}

static void model_delete_body(na *t)
{
    const sm_model *m = &smdl.model_Hero;
    Hero key = a_hero();
    key.id = 1;
    NA_RC(sm_model_delete(NULL, t->conn, m, &key), SM_MISUSE);
    NA_MISUSE(t, sm_model_delete(&t->cx, NULL, m, &key));
    NA_MISUSE(t, sm_model_delete(&t->cx, t->conn, NULL, &key));
    NA_MISUSE(t, sm_model_delete(&t->cx, t->conn, m, NULL));
}

static void case_sm_model_delete(void **state)
{
    (void)state;
    na_each(model_delete_body);
}

static void case_sm_model_validate(void **state)
{
    (void)state;
    const sm_model *m = &smdl.model_Hero;
    Hero h = a_hero(), bad = HERO_INIT;
    sm_errors e = SM_ERRORS_INIT;
    NA_RC(sm_model_validate(NULL, &h, &e), SM_MISUSE);
    NA_RC(sm_model_validate(m, NULL, &e), SM_MISUSE);
    assert_int_equal(e.len, 0);
    /* errs may be NULL: the code alone says whether the object is valid. */
    NA_RC(sm_model_validate(m, &h, NULL), SM_OK);
    NA_RC(sm_model_validate(m, &bad, NULL), SM_INVALID);
    sm_errors_free(&e);
}

static void case_sm_model_to_json(void **state)
{
    (void)state;
    const sm_model *m = &smdl.model_Hero;
    Hero h = a_hero();
    sm_buf b = SM_BUF_INIT;
    NA_RC(sm_model_to_json(NULL, &h, &b), SM_MISUSE);
    NA_RC(sm_model_to_json(m, NULL, &b), SM_MISUSE);
    assert_int_equal(b.len, 0);
    NA_RC(sm_model_to_json(m, &h, NULL), SM_MISUSE);
    sm_buf_free(&b);
}

static void case_sm_model_from_json(void **state)
{
    (void)state;
    const sm_model *m = &smdl.model_Hero;
    static const char doc[] = HERO_JSON, bad[] = BAD_JSON;
    Hero out;
    sm_arena a = SM_ARENA_INIT;
    sm_errors e = SM_ERRORS_INIT;
    memset(&out, 0xa5, sizeof out);
    NA_RC(sm_model_from_json(NULL, doc, sizeof doc - 1, &out, &a, &e), SM_MISUSE);
    NA_RC(sm_model_from_json(m, NULL, 5, &out, &a, &e), SM_MISUSE);
    assert_true(zeroed(&out, sizeof out));
    NA_RC(sm_model_from_json(m, doc, sizeof doc - 1, NULL, &a, &e), SM_MISUSE);
    NA_RC(sm_model_from_json(m, doc, sizeof doc - 1, &out, NULL, &e), SM_MISUSE);
    assert_int_equal(e.len, 0);
    /* NULL text of length 0 is the empty document: a syntax error. */
    NA_RC(sm_model_from_json(m, NULL, 0, &out, &a, &e), SM_INVALID);
    assert_int_equal(e.len, 1);
    assert_string_equal(e.items[0].path, "");
    assert_string_equal(e.items[0].code, "json_syntax");
    /* errs may be NULL: the code alone. */
    NA_RC(sm_model_from_json(m, doc, sizeof doc - 1, &out, &a, NULL), SM_OK);
    NA_RC(sm_model_from_json(m, bad, sizeof bad - 1, &out, &a, NULL), SM_INVALID);
    sm_errors_free(&e);
    sm_arena_free(&a);
}

/* The writer of generated _to_json: a failure is kept until sm_jw_end,
 * which leaves the buffer as it was. */
static void case_sm_jw_begin(void **state)
{
    (void)state;
    sm_jw w;
    sm_jw_begin(NULL, NULL); /* nothing to do */
    sm_jw_begin(&w, NULL);
    sm_jw_int(&w, "{\"id\":", 6, 1);
    NA_RC(sm_jw_end(&w, "}", 1), SM_MISUSE);
}

static void jw_fails(void (*write)(sm_jw *w))
{
    sm_buf b = SM_BUF_INIT;
    sm_jw w;
    assert_int_equal(sm_buf_puts(&b, "x"), SM_OK);
    sm_jw_begin(&w, &b);
    sm_jw_int(&w, "{\"id\":", 6, 1);
    write(&w);
    sm_jw_text(&w, ",\"t\":", 5, "t");
    NA_RC(sm_jw_end(&w, "}", 1), SM_MISUSE);
    assert_int_equal(b.len, 1);
    assert_string_equal(b.data, "x");
    sm_buf_free(&b);
}

static void jw_int_null_lit(sm_jw *w) { sm_jw_int(w, NULL, 3, 1); }
static void jw_null_null_lit(sm_jw *w) { sm_jw_null(w, NULL, 3); }
static void jw_text_null_lit(sm_jw *w) { sm_jw_text(w, NULL, 3, "t"); }
static void jw_field_null_lit(sm_jw *w) { sm_jw_field(w, NULL, 3, &smdl.model_Hero, 0, &w); }
static void jw_field_null_model(sm_jw *w) { sm_jw_field(w, ",\"a\":", 5, NULL, 0, &w); }
static void jw_field_null_obj(sm_jw *w) { sm_jw_field(w, ",\"a\":", 5, &smdl.model_Hero, 0, NULL); }

static void case_sm_jw_int(void **state)
{
    (void)state;
    sm_jw_int(NULL, "{\"id\":", 6, 1); /* nothing to do */
    jw_fails(jw_int_null_lit);
}

static void case_sm_jw_null(void **state)
{
    (void)state;
    sm_jw_null(NULL, "{\"id\":", 6);
    jw_fails(jw_null_null_lit);
}

static void case_sm_jw_text(void **state)
{
    (void)state;
    sm_buf b = SM_BUF_INIT;
    sm_jw w;
    sm_jw_text(NULL, "{\"t\":", 5, "t");
    jw_fails(jw_text_null_lit);
    /* A NULL text is null. */
    sm_jw_begin(&w, &b);
    sm_jw_text(&w, "{\"t\":", 5, NULL);
    NA_RC(sm_jw_end(&w, "}", 1), SM_OK);
    assert_string_equal(b.data, "{\"t\":null}");
    sm_buf_free(&b);
}

static void case_sm_jw_field(void **state)
{
    (void)state;
    Hero h = a_hero();
    sm_jw_field(NULL, "{\"id\":", 6, &smdl.model_Hero, 0, &h);
    jw_fails(jw_field_null_lit);
    jw_fails(jw_field_null_model);
    jw_fails(jw_field_null_obj);
}

static void case_sm_jw_end(void **state)
{
    (void)state;
    sm_buf b = SM_BUF_INIT;
    sm_jw w;
    NA_RC(sm_jw_end(NULL, "}", 1), SM_MISUSE);
    sm_jw_begin(&w, &b);
    sm_jw_int(&w, "{\"id\":", 6, 1);
    NA_RC(sm_jw_end(&w, NULL, 1), SM_MISUSE);
    assert_int_equal(b.len, 0);
    sm_buf_free(&b);
}

static void module_body(na *t)
{
    /* The module exists already: with any argument NULL nothing runs. */
    NA_RC(sm_module_create_all(NULL, t->conn, &smdl_module), SM_MISUSE);
    NA_MISUSE(t, sm_module_create_all(&t->cx, NULL, &smdl_module));
    NA_MISUSE(t, sm_module_create_all(&t->cx, t->conn, NULL));
    NA_RC(sm_module_drop_all(NULL, t->conn, &smdl_module), SM_MISUSE);
    NA_MISUSE(t, sm_module_drop_all(&t->cx, NULL, &smdl_module));
    NA_MISUSE(t, sm_module_drop_all(&t->cx, t->conn, NULL));
    NA_RC(sm_module_migrate(NULL, t->conn, &smdl_module), SM_MISUSE);
    NA_MISUSE(t, sm_module_migrate(&t->cx, NULL, &smdl_module));
    NA_MISUSE(t, sm_module_migrate(&t->cx, t->conn, NULL));
    no_rows(t); /* the tables are still there */
}

static void case_sm_module_create_all(void **state)
{
    (void)state;
    na_each(module_body);
}

static void case_sm_module_drop_all(void **state)
{
    (void)state;
    na_each(module_body);
}

static void case_sm_module_migrate(void **state)
{
    (void)state;
    na_each(module_body);
}

/* ---- Generated functions ------------------------------------------------------------ */

/* _insert and _update: (cx, conn, T *obj). */
#define NA_OBJ_CASE(fn, T, make)                                                                 \
    static void fn##_body(na *t)                                                              \
    {                                                                                         \
        T obj = make();                                                      \
        NA_RC(fn(NULL, t->conn, &obj), SM_MISUSE);                                            \
        NA_MISUSE(t, fn(&t->cx, NULL, &obj));                                                 \
        NA_MISUSE(t, fn(&t->cx, t->conn, NULL));                                              \
        no_rows(t);                                                                           \
    }                                                                                         \
    static void case_##fn(void **state)                                                       \
    {                                                                                         \
        (void)state;                                                                          \
        na_each(fn##_body);                                                                   \
    }

/* _insert_many: (cx, conn, T *objs, size_t n). */
#define NA_MANY_CASE(fn, T, make)                                                                \
    static void fn##_body(na *t)                                                              \
    {                                                                                         \
        T objs[2] = {make(), make()};                                        \
        NA_RC(fn(NULL, t->conn, objs, 2), SM_MISUSE);                                         \
        NA_MISUSE(t, fn(&t->cx, NULL, objs, 2));                                              \
        NA_MISUSE(t, fn(&t->cx, t->conn, NULL, 2));                                           \
        NA_EXPECT(t, fn(&t->cx, t->conn, NULL, 0), SM_OK);                                    \
        no_rows(t);                                                                           \
    }                                                                                         \
    static void case_##fn(void **state)                                                       \
    {                                                                                         \
        (void)state;                                                                          \
        na_each(fn##_body);                                                                   \
    }

/* _get: (cx, conn, keys..., T *out, sm_arena *arena); *out is zeroed on
 * any failure. */
#define NA_GET_CASE(fn, T, ...)                                                               \
    static void fn##_body(na *t)                                                              \
    {                                                                                         \
        T out;                                                                                \
        memset(&out, 0xa5, sizeof out);                                                       \
        NA_RC(fn(NULL, t->conn, __VA_ARGS__, &out, &t->arena), SM_MISUSE);                    \
        assert_true(zeroed(&out, sizeof out));                                                \
        NA_MISUSE(t, fn(&t->cx, NULL, __VA_ARGS__, &out, &t->arena));                         \
        NA_MISUSE(t, fn(&t->cx, t->conn, __VA_ARGS__, NULL, &t->arena));                      \
        memset(&out, 0xa5, sizeof out);                                                       \
        NA_MISUSE(t, fn(&t->cx, t->conn, __VA_ARGS__, &out, NULL));                           \
        assert_true(zeroed(&out, sizeof out));                                                \
    }                                                                                         \
    static void case_##fn(void **state)                                                       \
    {                                                                                         \
        (void)state;                                                                          \
        na_each(fn##_body);                                                                   \
    }

/* _delete: (cx, conn, keys...). */
#define NA_DELETE_CASE(fn, ...)                                                               \
    static void fn##_body(na *t)                                                              \
    {                                                                                         \
        NA_RC(fn(NULL, t->conn, __VA_ARGS__), SM_MISUSE);                                     \
        NA_MISUSE(t, fn(&t->cx, NULL, __VA_ARGS__));                                          \
    }                                                                                         \
    static void case_##fn(void **state)                                                       \
    {                                                                                         \
        (void)state;                                                                          \
        na_each(fn##_body);                                                                   \
    }

/* _validate: (const T *obj, sm_errors *errs); errs may be NULL. */
#define NA_VALIDATE_CASE(fn, T, make)                                                            \
    static void case_##fn(void **state)                                                       \
    {                                                                                         \
        (void)state;                                                                          \
        T obj = make();                                                      \
        sm_errors e = SM_ERRORS_INIT;                                                         \
        NA_RC(fn(NULL, &e), SM_MISUSE);                                                       \
        assert_int_equal(e.len, 0);                                                           \
        NA_RC(fn(&obj, NULL), SM_OK);                                                         \
        sm_errors_free(&e);                                                                   \
    }

/* _to_json: (const T *obj, sm_buf *out). */
#define NA_TO_JSON_CASE(fn, T, make)                                                             \
    static void case_##fn(void **state)                                                       \
    {                                                                                         \
        (void)state;                                                                          \
        T obj = make();                                                      \
        sm_buf b = SM_BUF_INIT;                                                               \
        NA_RC(fn(NULL, &b), SM_MISUSE);                                                       \
        assert_int_equal(b.len, 0);                                                           \
        NA_RC(fn(&obj, NULL), SM_MISUSE);                                                     \
        sm_buf_free(&b);                                                                      \
    }

/* _from_json: (json, len, T *out, sm_arena *arena, sm_errors *errs);
 * NULL json of length 0 is the empty document, errs may be NULL. */
#define NA_FROM_JSON_CASE(fn, T, doc)                                                         \
    static void case_##fn(void **state)                                                       \
    {                                                                                         \
        (void)state;                                                                          \
        static const char text[] = doc;                                                       \
        T out;                                                                                \
        sm_arena a = SM_ARENA_INIT;                                                           \
        sm_errors e = SM_ERRORS_INIT;                                                         \
        memset(&out, 0xa5, sizeof out);                                                       \
        NA_RC(fn(NULL, 3, &out, &a, &e), SM_MISUSE);                                          \
        assert_true(zeroed(&out, sizeof out));                                                \
        NA_RC(fn(text, sizeof text - 1, NULL, &a, &e), SM_MISUSE);                            \
        NA_RC(fn(text, sizeof text - 1, &out, NULL, &e), SM_MISUSE);                          \
        assert_int_equal(e.len, 0);                                                           \
        NA_RC(fn(NULL, 0, &out, &a, &e), SM_INVALID);                                         \
        assert_int_equal(e.len, 1);                                                           \
        assert_string_equal(e.items[0].code, "json_syntax");                                  \
        NA_RC(fn(text, sizeof text - 1, &out, &a, NULL), SM_OK);                              \
        NA_RC(fn(BAD_JSON, sizeof BAD_JSON - 1, &out, &a, NULL), SM_INVALID);                 \
        sm_errors_free(&e);                                                                   \
        sm_arena_free(&a);                                                                    \
    }

/* `<target>_from_<source>`: (const S *in, T *out); *out is untouched
 * when refused. */
#define NA_CONVERT_CASE(fn, S, make, T)                                                          \
    static void case_##fn(void **state)                                                       \
    {                                                                                         \
        (void)state;                                                                          \
        S in = make();                                                       \
        T out;                                                                                \
        memset(&out, 0xa5, sizeof out);                                                       \
        NA_RC(fn(NULL, &out), SM_MISUSE);                                                     \
        assert_int_equal(((unsigned char *)&out)[0], 0xa5);                                   \
        NA_RC(fn(&in, NULL), SM_MISUSE);                                                      \
        NA_RC(fn(&in, &out), SM_OK);                                                          \
    }

/* _get_many: (cx, conn, keys, n, T_list *out, sm_arena *arena); *out is
 * zeroed on any failure, and keys may be NULL when n is 0. */
#define NA_GET_MANY_CASE(fn, T, K, ...)                                                      \
    static void fn##_body(na *t)                                                              \
    {                                                                                         \
        K keys[] = {__VA_ARGS__};                                                             \
        T##_list out;                                                                         \
        memset(&out, 0xa5, sizeof out);                                                       \
        NA_RC(fn(NULL, t->conn, keys, 1, &out, &t->arena), SM_MISUSE);                        \
        assert_true(zeroed(&out, sizeof out));                                                \
        NA_MISUSE(t, fn(&t->cx, NULL, keys, 1, &out, &t->arena));                             \
        NA_MISUSE(t, fn(&t->cx, t->conn, NULL, 1, &out, &t->arena));                          \
        NA_MISUSE(t, fn(&t->cx, t->conn, keys, 1, NULL, &t->arena));                          \
        NA_MISUSE(t, fn(&t->cx, t->conn, keys, 1, &out, NULL));                               \
        NA_EXPECT(t, fn(&t->cx, t->conn, NULL, 0, &out, &t->arena), SM_OK);                   \
        assert_int_equal(out.len, 0);                                                         \
    }                                                                                         \
    static void case_##fn(void **state)                                                       \
    {                                                                                         \
        (void)state;                                                                          \
        na_each(fn##_body);                                                                   \
    }

/* _load_<rel>: (cx, conn, T *obj, sm_arena *arena); *obj is untouched
 * when refused. */
#define NA_LOAD_CASE(fn, T, make)                                                             \
    static void fn##_body(na *t)                                                              \
    {                                                                                         \
        T obj = make(), before = obj;                                                         \
        NA_RC(fn(NULL, t->conn, &obj, &t->arena), SM_MISUSE);                                 \
        NA_MISUSE(t, fn(&t->cx, NULL, &obj, &t->arena));                                      \
        NA_MISUSE(t, fn(&t->cx, t->conn, NULL, &t->arena));                                   \
        NA_MISUSE(t, fn(&t->cx, t->conn, &obj, NULL));                                        \
        assert_memory_equal(&obj, &before, sizeof obj);                                       \
    }                                                                                         \
    static void case_##fn(void **state)                                                       \
    {                                                                                         \
        (void)state;                                                                          \
        na_each(fn##_body);                                                                   \
    }

/* _list_load_<rel>: (cx, conn, T_list *list, sm_arena *arena); an empty
 * list loads nothing. */
#define NA_LIST_LOAD_CASE(fn, T)                                                              \
    static void fn##_body(na *t)                                                              \
    {                                                                                         \
        T##_list list = {NULL, 0};                                                            \
        NA_RC(fn(NULL, t->conn, &list, &t->arena), SM_MISUSE);                                \
        NA_MISUSE(t, fn(&t->cx, NULL, &list, &t->arena));                                     \
        NA_MISUSE(t, fn(&t->cx, t->conn, NULL, &t->arena));                                   \
        NA_MISUSE(t, fn(&t->cx, t->conn, &list, NULL));                                       \
        NA_EXPECT(t, fn(&t->cx, t->conn, &list, &t->arena), SM_OK);                           \
    }                                                                                         \
    static void case_##fn(void **state)                                                       \
    {                                                                                         \
        (void)state;                                                                          \
        na_each(fn##_body);                                                                   \
    }

/* _link_<target>, _unlink_<target>: (cx, conn, own key, target key). */
#define NA_LINK_CASE(fn, ...)                                                                 \
    static void fn##_body(na *t)                                                              \
    {                                                                                         \
        NA_RC(fn(NULL, t->conn, __VA_ARGS__), SM_MISUSE);                                     \
        NA_MISUSE(t, fn(&t->cx, NULL, __VA_ARGS__));                                          \
    }                                                                                         \
    static void case_##fn(void **state)                                                       \
    {                                                                                         \
        (void)state;                                                                          \
        na_each(fn##_body);                                                                   \
    }

/* hero_patch: (cx, conn, id, const HeroUpdate *in). */
static void hero_patch_body(na *t)
{
    HeroUpdate u = a_hero_update();
    NA_RC(hero_patch(NULL, t->conn, 1, &u), SM_MISUSE);
    NA_MISUSE(t, hero_patch(&t->cx, NULL, 1, &u));
    NA_MISUSE(t, hero_patch(&t->cx, t->conn, 1, NULL));
}

static void case_hero_patch(void **state)
{
    (void)state;
    na_each(hero_patch_body);
}

/* <module>_create_all and _drop_all: (cx, conn). */
static void heroes_module_body(na *t)
{
    NA_RC(heroes_create_all(NULL, t->conn), SM_MISUSE);
    NA_MISUSE(t, heroes_create_all(&t->cx, NULL));
    NA_RC(heroes_drop_all(NULL, t->conn), SM_MISUSE);
    NA_MISUSE(t, heroes_drop_all(&t->cx, NULL));
    NA_RC(heroes_migrate(NULL, t->conn), SM_MISUSE);
    NA_MISUSE(t, heroes_migrate(&t->cx, NULL));
    no_rows(t); /* the tables are still there */
}

static void case_heroes_create_all(void **state)
{
    (void)state;
    na_each(heroes_module_body);
}

static void case_heroes_drop_all(void **state)
{
    (void)state;
    na_each(heroes_module_body);
}

static void case_heroes_migrate(void **state)
{
    (void)state;
    na_each(heroes_module_body);
}

/* HeroBase */
NA_VALIDATE_CASE(hero_base_validate, HeroBase, a_hero_base)
NA_TO_JSON_CASE(hero_base_to_json, HeroBase, a_hero_base)
NA_FROM_JSON_CASE(hero_base_from_json, HeroBase, HERO_JSON)
NA_CONVERT_CASE(hero_base_from_hero, Hero, a_hero, HeroBase)
NA_CONVERT_CASE(hero_base_from_hero_create, HeroCreate, a_hero_create, HeroBase)
NA_CONVERT_CASE(hero_base_from_hero_public, HeroPublic, a_hero_public, HeroBase)
/* Hero */
NA_OBJ_CASE(hero_insert, Hero, a_hero)
NA_MANY_CASE(hero_insert_many, Hero, a_hero)
NA_GET_CASE(hero_get, Hero, 1)
NA_GET_MANY_CASE(hero_get_many, Hero, int64_t, 1)
NA_LOAD_CASE(hero_load_team, Hero, a_hero)
NA_LIST_LOAD_CASE(hero_list_load_team, Hero)
NA_LOAD_CASE(hero_load_teams, Hero, a_hero)
NA_LIST_LOAD_CASE(hero_list_load_teams, Hero)
NA_LINK_CASE(hero_link_team, 1, 1)
NA_LINK_CASE(hero_unlink_team, 1, 1)
NA_OBJ_CASE(hero_update, Hero, a_hero)
NA_DELETE_CASE(hero_delete, 1)
NA_VALIDATE_CASE(hero_validate, Hero, a_hero)
NA_TO_JSON_CASE(hero_to_json, Hero, a_hero)
NA_FROM_JSON_CASE(hero_from_json, Hero, HERO_JSON)
NA_CONVERT_CASE(hero_from_hero_base, HeroBase, a_hero_base, Hero)
NA_CONVERT_CASE(hero_from_hero_create, HeroCreate, a_hero_create, Hero)
NA_CONVERT_CASE(hero_from_hero_public, HeroPublic, a_hero_public, Hero)
/* Team */
NA_OBJ_CASE(team_insert, Team, a_team)
NA_MANY_CASE(team_insert_many, Team, a_team)
NA_GET_CASE(team_get, Team, 1)
NA_GET_MANY_CASE(team_get_many, Team, int64_t, 1)
NA_LOAD_CASE(team_load_heroes, Team, a_team)
NA_LIST_LOAD_CASE(team_list_load_heroes, Team)
NA_OBJ_CASE(team_update, Team, a_team)
NA_DELETE_CASE(team_delete, 1)
NA_VALIDATE_CASE(team_validate, Team, a_team)
NA_TO_JSON_CASE(team_to_json, Team, a_team)
NA_FROM_JSON_CASE(team_from_json, Team,
                  "{\"id\": 1, \"name\": \"Preventers\", \"headquarters\": \"Sharp Tower\"}")
/* HeroTeamLink: a key of two fields */
NA_OBJ_CASE(hero_team_link_insert, HeroTeamLink, a_link)
NA_MANY_CASE(hero_team_link_insert_many, HeroTeamLink, a_link)
NA_GET_CASE(hero_team_link_get, HeroTeamLink, 1, 1)
NA_GET_MANY_CASE(hero_team_link_get_many, HeroTeamLink, HeroTeamLink, HERO_TEAM_LINK_INIT)
NA_OBJ_CASE(hero_team_link_update, HeroTeamLink, a_link)
NA_DELETE_CASE(hero_team_link_delete, 1, 1)
NA_VALIDATE_CASE(hero_team_link_validate, HeroTeamLink, a_link)
NA_TO_JSON_CASE(hero_team_link_to_json, HeroTeamLink, a_link)
NA_FROM_JSON_CASE(hero_team_link_from_json, HeroTeamLink, "{\"hero_id\": 1, \"team_id\": 1}")
/* HeroCreate */
NA_VALIDATE_CASE(hero_create_validate, HeroCreate, a_hero_create)
NA_TO_JSON_CASE(hero_create_to_json, HeroCreate, a_hero_create)
NA_FROM_JSON_CASE(hero_create_from_json, HeroCreate, HERO_JSON)
NA_CONVERT_CASE(hero_create_from_hero_base, HeroBase, a_hero_base, HeroCreate)
NA_CONVERT_CASE(hero_create_from_hero, Hero, a_hero, HeroCreate)
NA_CONVERT_CASE(hero_create_from_hero_public, HeroPublic, a_hero_public, HeroCreate)
/* HeroPublic */
NA_VALIDATE_CASE(hero_public_validate, HeroPublic, a_hero_public)
NA_TO_JSON_CASE(hero_public_to_json, HeroPublic, a_hero_public)
NA_FROM_JSON_CASE(hero_public_from_json, HeroPublic, HERO_JSON)
NA_CONVERT_CASE(hero_public_from_hero, Hero, a_hero, HeroPublic)
/* HeroUpdate (partial) */
NA_VALIDATE_CASE(hero_update_validate, HeroUpdate, a_hero_update)
NA_TO_JSON_CASE(hero_update_to_json, HeroUpdate, a_hero_update)
NA_FROM_JSON_CASE(hero_update_from_json, HeroUpdate, "{\"name\": \"Deadpool\"}")

int main(void)
{
    na_set_schema(heroes_create_all);
    const struct CMUnitTest tests[] = {
        NA_CASE(sm_model_insert),
        NA_CASE(sm_model_insert_many),
        NA_CASE(sm_model_get),
        NA_CASE(sm_model_update),
        NA_CASE(sm_model_patch),
        NA_CASE(sm_model_delete),
        NA_CASE(sm_model_validate),
        NA_CASE(sm_model_to_json),
        NA_CASE(sm_model_from_json),
        NA_CASE(sm_jw_begin),
        NA_CASE(sm_jw_int),
        NA_CASE(sm_jw_null),
        NA_CASE(sm_jw_text),
        NA_CASE(sm_jw_field),
        NA_CASE(sm_jw_end),
        NA_CASE(sm_module_create_all),
        NA_CASE(sm_module_drop_all),
        NA_CASE(sm_module_migrate),
        NA_CASE(hero_base_validate),
        NA_CASE(hero_base_to_json),
        NA_CASE(hero_base_from_json),
        NA_CASE(hero_base_from_hero),
        NA_CASE(hero_base_from_hero_create),
        NA_CASE(hero_base_from_hero_public),
        NA_CASE(hero_insert),
        NA_CASE(hero_insert_many),
        NA_CASE(hero_get),
        NA_CASE(hero_get_many),
        NA_CASE(hero_load_team),
        NA_CASE(hero_list_load_team),
        NA_CASE(hero_load_teams),
        NA_CASE(hero_list_load_teams),
        NA_CASE(hero_link_team),
        NA_CASE(hero_unlink_team),
        NA_CASE(hero_update),
        NA_CASE(hero_patch),
        NA_CASE(hero_delete),
        NA_CASE(hero_validate),
        NA_CASE(hero_to_json),
        NA_CASE(hero_from_json),
        NA_CASE(hero_from_hero_base),
        NA_CASE(hero_from_hero_create),
        NA_CASE(hero_from_hero_public),
        NA_CASE(team_insert),
        NA_CASE(team_insert_many),
        NA_CASE(team_get),
        NA_CASE(team_get_many),
        NA_CASE(team_load_heroes),
        NA_CASE(team_list_load_heroes),
        NA_CASE(team_update),
        NA_CASE(team_delete),
        NA_CASE(team_validate),
        NA_CASE(team_to_json),
        NA_CASE(team_from_json),
        NA_CASE(hero_team_link_insert),
        NA_CASE(hero_team_link_insert_many),
        NA_CASE(hero_team_link_get),
        NA_CASE(hero_team_link_get_many),
        NA_CASE(hero_team_link_update),
        NA_CASE(hero_team_link_delete),
        NA_CASE(hero_team_link_validate),
        NA_CASE(hero_team_link_to_json),
        NA_CASE(hero_team_link_from_json),
        NA_CASE(hero_create_validate),
        NA_CASE(hero_create_to_json),
        NA_CASE(hero_create_from_json),
        NA_CASE(hero_create_from_hero_base),
        NA_CASE(hero_create_from_hero),
        NA_CASE(hero_create_from_hero_public),
        NA_CASE(hero_public_validate),
        NA_CASE(hero_public_to_json),
        NA_CASE(hero_public_from_json),
        NA_CASE(hero_public_from_hero),
        NA_CASE(hero_update_validate),
        NA_CASE(hero_update_to_json),
        NA_CASE(hero_update_from_json),
        NA_CASE(heroes_create_all),
        NA_CASE(heroes_drop_all),
        NA_CASE(heroes_migrate),
    };
    return NA_RUN("nullargs_models", tests);
}
