/*
 * test_rel.c: relationship loads, links and get_many (desc.h: sm_rel_*,
 * sm_model_get_many) and restricted deletes, over the hand-written
 * descriptors of rel_model.c, on every dialect: each shape (to-one,
 * one-to-many, many-to-many with the link's extra column, self-reference,
 * one-to-one from the side without the FK, text keys), NULL FKs, owners
 * sharing keys, empty owner lists, loaded-empty against not loaded,
 * children in key order, statement counts that do not grow with the
 * owners, and failures that leave the fields as they were.
 */
#include "tdb.h"
#include "internal.h"

#include "rel_data.h"

static const sm_rel *rel(const sm_model *m, int k)
{
    return &m->rels[k];
}

static uint64_t statements(tdb *t)
{
    return sm_conn_stat(t->conn).statements;
}

static void get_heroes(tdb *t, Hero_list *out)
{
    static const int64_t ids[] = {1, 2, 3, 4, 5, 6};
    TDB_MUST(t, sm_model_get_many(&t->cx, t->conn, &hero_model, ids, 6, false, out, &t->arena));
    assert_int_equal(out->len, 6);
}

static void to_one(tdb *t)
{
    rel_seed(t);
    Hero_list hs;
    get_heroes(t, &hs);
    assert_null(hs.items[0].team);
    assert_false(hs.items[0].team_loaded);
    expect_ok(t, sm_rel_load_list(&t->cx, t->conn, &hero_model, rel(&hero_model, HERO_TEAM), &hs,
                                  &t->arena));
    for (size_t i = 0; i < hs.len; i++)
        assert_true(hs.items[i].team_loaded);
    assert_string_equal(hs.items[0].team->name, "Preventers");
    assert_string_equal(hs.items[1].team->name, "Z-Force");
    /* Owners with one FK value share one object. */
    assert_ptr_equal(hs.items[0].team, hs.items[2].team);
    assert_ptr_equal(hs.items[1].team, hs.items[5].team);
    assert_null(hs.items[3].team); /* NULL FK: loaded, no object */
    assert_null(hs.items[4].team);
    /* The loaded objects' own relationships are not loaded. */
    assert_null(hs.items[0].team->heroes.items);
    /* One object at a time. */
    Hero h = hs.items[1];
    h.team = NULL;
    h.team_loaded = false;
    expect_ok(t, sm_rel_load(&t->cx, t->conn, &hero_model, rel(&hero_model, HERO_TEAM), &h, 1,
                             &t->arena));
    assert_true(h.team_loaded);
    assert_int_equal(h.team->id, 2);
}

static void one_to_many(tdb *t)
{
    rel_seed(t);
    static const int64_t ids[] = {3, 1, 2};
    Team_list ts;
    TDB_MUST(t, sm_model_get_many(&t->cx, t->conn, &team_model, ids, 3, false, &ts, &t->arena));
    assert_int_equal(ts.len, 3);
    assert_null(ts.items[0].heroes.items); /* not loaded */
    expect_ok(t, sm_rel_load_list(&t->cx, t->conn, &team_model, rel(&team_model, TEAM_HEROES),
                                  &ts, &t->arena));
    /* Team 3: loaded and empty, not NULL. */
    assert_non_null(ts.items[0].heroes.items);
    assert_int_equal(ts.items[0].heroes.len, 0);
    /* Team 1: its heroes in key order, whatever the insertion order. */
    assert_int_equal(ts.items[1].heroes.len, 2);
    assert_int_equal(ts.items[1].heroes.items[0].id, 1);
    assert_int_equal(ts.items[1].heroes.items[1].id, 3);
    assert_int_equal(ts.items[2].heroes.len, 2);
    assert_int_equal(ts.items[2].heroes.items[0].id, 2);
    assert_int_equal(ts.items[2].heroes.items[1].id, 6);
    assert_string_equal(ts.items[2].heroes.items[1].name, "Dr. Weird");
    /* The same team twice shares its slice. */
    Team two[2] = {ts.items[1], ts.items[1]};
    two[0].heroes.items = two[1].heroes.items = NULL;
    expect_ok(t, sm_rel_load(&t->cx, t->conn, &team_model, rel(&team_model, TEAM_HEROES), two, 2,
                             &t->arena));
    assert_ptr_equal(two[0].heroes.items, two[1].heroes.items);
    assert_int_equal(two[0].heroes.len, 2);
}

static void many_to_many(tdb *t)
{
    rel_seed(t);
    const sm_rel *teams = rel(&hero_model, HERO_TEAMS), *members = rel(&team_model, TEAM_MEMBERS);
    int64_t h1 = 1, h2 = 2, h4 = 4, t1 = 1, t2 = 2, t3 = 3;
    expect_ok(t, sm_rel_link(&t->cx, t->conn, teams, &h1, &t2));
    expect_ok(t, sm_rel_link(&t->cx, t->conn, teams, &h1, &t1));
    expect_ok(t, sm_rel_link(&t->cx, t->conn, teams, &h1, &t1)); /* idempotent */
    expect_ok(t, sm_rel_link(&t->cx, t->conn, teams, &h2, &t1));
    expect_ok(t, sm_rel_link(&t->cx, t->conn, members, &t3, &h4)); /* from the other side */
    assert_int_equal(tdb_count(t, "hero_team_link"), 4);
    /* A pair whose target does not exist: the FK refuses it. */
    int64_t none = 99;
    expect_rc(t, sm_rel_link(&t->cx, t->conn, teams, &h1, &none), SM_CONSTRAINT);
    assert_int_equal(sm_cx_constraint(&t->cx)->kind, SM_CK_FK);
    /* The link's extra column, written through SQL as the link model's
     * own update would. */
    TDB_MUST(t, tdb_exec(t, "UPDATE hero_team_link SET is_training = true WHERE hero_id = 1"
                            " AND team_id = 2", NULL, 0));

    Hero_list hs;
    get_heroes(t, &hs);
    expect_ok(t, sm_rel_load_list(&t->cx, t->conn, &hero_model, teams, &hs, &t->arena));
    assert_int_equal(hs.items[0].teams.len, 2);
    assert_int_equal(hs.items[0].teams.items[0].id, 1); /* by key */
    assert_int_equal(hs.items[0].teams.items[1].id, 2);
    assert_string_equal(hs.items[0].teams.items[1].name, "Z-Force");
    assert_int_equal(hs.items[1].teams.len, 1);
    assert_int_equal(hs.items[3].teams.len, 1);
    assert_int_equal(hs.items[3].teams.items[0].id, 3);
    assert_non_null(hs.items[4].teams.items);
    assert_int_equal(hs.items[4].teams.len, 0);

    Team_list ts;
    static const int64_t tids[] = {1, 2, 3};
    TDB_MUST(t, sm_model_get_many(&t->cx, t->conn, &team_model, tids, 3, false, &ts, &t->arena));
    expect_ok(t, sm_rel_load_list(&t->cx, t->conn, &team_model, members, &ts, &t->arena));
    assert_int_equal(ts.items[0].members.len, 2);
    assert_int_equal(ts.items[0].members.items[0].id, 1);
    assert_int_equal(ts.items[0].members.items[1].id, 2);
    assert_int_equal(ts.items[1].members.len, 1);
    assert_string_equal(ts.items[2].members.items[0].name, "Tarantula");

    /* The link model with its extra field, and its own relationships. */
    expect_ok(t, sm_rel_load_list(&t->cx, t->conn, &hero_model, rel(&hero_model, HERO_LINKS), &hs,
                                  &t->arena));
    HeroTeamLink_list *ls = &hs.items[0].links;
    assert_int_equal(ls->len, 2);
    assert_false(ls->items[0].is_training);
    assert_true(ls->items[1].is_training);
    expect_ok(t, sm_rel_load_list(&t->cx, t->conn, &link_model, rel(&link_model, LINK_TEAM), ls,
                                  &t->arena));
    assert_string_equal(ls->items[1].team->name, "Z-Force");

    /* Unlink: the pair goes; a missing pair is SM_NOTFOUND. */
    expect_ok(t, sm_rel_unlink(&t->cx, t->conn, teams, &h1, &t2));
    expect_rc(t, sm_rel_unlink(&t->cx, t->conn, teams, &h1, &t2), SM_NOTFOUND);
    expect_ok(t, sm_rel_unlink(&t->cx, t->conn, members, &t3, &h4));
    assert_int_equal(tdb_count(t, "hero_team_link"), 2);
}

static void self_reference(tdb *t)
{
    rel_seed(t);
    Hero_list hs;
    get_heroes(t, &hs);
    expect_ok(t, sm_rel_load_list(&t->cx, t->conn, &hero_model, rel(&hero_model, HERO_MENTOR), &hs,
                                  &t->arena));
    expect_ok(t, sm_rel_load_list(&t->cx, t->conn, &hero_model, rel(&hero_model, HERO_PUPILS),
                                  &hs, &t->arena));
    assert_null(hs.items[0].mentor);
    assert_true(hs.items[0].mentor_loaded);
    assert_int_equal(hs.items[1].mentor->id, 1);
    assert_int_equal(hs.items[4].mentor->id, 4);
    assert_int_equal(hs.items[0].pupils.len, 2);
    assert_int_equal(hs.items[0].pupils.items[0].id, 2);
    assert_int_equal(hs.items[0].pupils.items[1].id, 4);
    assert_int_equal(hs.items[3].pupils.len, 1);
    assert_int_equal(hs.items[3].pupils.items[0].id, 5);
    assert_int_equal(hs.items[5].pupils.len, 0);
    assert_non_null(hs.items[5].pupils.items);
}

static void one_to_one(tdb *t)
{
    rel_seed(t);
    Hero_list hs;
    get_heroes(t, &hs);
    /* From the side without the FK. */
    expect_ok(t, sm_rel_load_list(&t->cx, t->conn, &hero_model, rel(&hero_model, HERO_BADGE), &hs,
                                  &t->arena));
    assert_null(hs.items[0].badge);
    assert_true(hs.items[0].badge_loaded);
    assert_non_null(hs.items[1].badge);
    assert_string_equal(hs.items[1].badge->label, "gold");
    /* And back. */
    Badge *b = hs.items[1].badge;
    expect_ok(t, sm_rel_load(&t->cx, t->conn, &badge_model, rel(&badge_model, 0), b, 1,
                             &t->arena));
    assert_string_equal(b->hero->name, "Spider-Boy");
}

static void text_keys(tdb *t)
{
    TDB_MUST(t, tdb_exec(t, "INSERT INTO city (code, name) VALUES ('ber', 'Berlin'),"
                            " ('BER', 'Bern'), ('par', 'Paris')", NULL, 0));
    TDB_MUST(t, tdb_exec(t, "INSERT INTO person (id, name, city_code) VALUES (1, 'a', 'ber'),"
                            " (2, 'b', 'BER'), (3, 'c', NULL), (4, 'd', 'ber')", NULL, 0));
    static const char *const codes[] = {"par", "ber", "nowhere", "BER", "ber"};
    City_list cs;
    expect_ok(t, sm_model_get_many(&t->cx, t->conn, &city_model, codes, 5, false, &cs, &t->arena));
    assert_int_equal(cs.len, 4);
    assert_string_equal(cs.items[0].name, "Paris");
    assert_string_equal(cs.items[1].name, "Berlin");
    assert_string_equal(cs.items[2].name, "Bern");
    assert_string_equal(cs.items[3].name, "Berlin");
    expect_ok(t, sm_rel_load_list(&t->cx, t->conn, &city_model, rel(&city_model, 0), &cs,
                                  &t->arena));
    assert_int_equal(cs.items[0].people.len, 0);
    assert_int_equal(cs.items[1].people.len, 2);
    assert_int_equal(cs.items[1].people.items[1].id, 4);
    assert_int_equal(cs.items[2].people.len, 1);
    assert_int_equal(cs.items[2].people.items[0].id, 2);
    Person ps[4] = {{1, "a", "ber", NULL, false}, {2, "b", "BER", NULL, false},
                    {3, "c", NULL, NULL, false}, {5, "e", "gone", NULL, false}};
    expect_ok(t, sm_rel_load(&t->cx, t->conn, &person_model, rel(&person_model, 0), ps, 4,
                             &t->arena));
    assert_string_equal(ps[0].city->name, "Berlin");
    assert_string_equal(ps[1].city->name, "Bern");
    assert_null(ps[2].city);
    assert_true(ps[2].city_loaded);
    assert_null(ps[3].city); /* a value without a row */
    assert_true(ps[3].city_loaded);
    /* A restricted delete with a text key. */
    City key = {"ber", NULL, {NULL, 0}};
    expect_rc(t, sm_model_delete(&t->cx, t->conn, &city_model, &key), SM_CONSTRAINT);
    const sm_constraint *c = sm_cx_constraint(&t->cx);
    assert_int_equal(c->kind, SM_CK_FK);
    assert_string_equal(c->name, "fk_person_city_code");
    assert_string_equal(c->table, "person");
    assert_string_equal(c->columns, "city_code");
}

static void empty_owners(tdb *t)
{
    rel_seed(t);
    uint64_t before = statements(t);
    Hero_list none = {NULL, 0};
    expect_ok(t, sm_rel_load_list(&t->cx, t->conn, &hero_model, rel(&hero_model, HERO_TEAM),
                                  &none, &t->arena));
    expect_ok(t, sm_rel_load(&t->cx, t->conn, &hero_model, rel(&hero_model, HERO_TEAMS), NULL, 0,
                             &t->arena));
    Hero_list got = {(Hero *)1, 7};
    expect_ok(t, sm_model_get_many(&t->cx, t->conn, &hero_model, NULL, 0, false, &got,
                                   &t->arena));
    assert_null(got.items);
    assert_int_equal(got.len, 0);
    /* Owners whose FKs are all NULL: loaded, without a statement. */
    Hero hs[2] = {{.id = 4}, {.id = 5}};
    expect_ok(t, sm_rel_load(&t->cx, t->conn, &hero_model, rel(&hero_model, HERO_TEAM), hs, 2,
                             &t->arena));
    assert_true(hs[0].team_loaded && hs[1].team_loaded);
    assert_null(hs[0].team);
    assert_int_equal(statements(t), before);
}

/* 1,000 heroes over 100 teams, and 10 heroes: the same statements. */
static void counts(tdb *t)
{
    sm_buf *b = &t->buf;
    sm_buf_reset(b);
    sm_buf_puts(b, "INSERT INTO teams (id, name) VALUES ");
    for (int i = 1; i <= 100; i++)
        sm_buf_printf(b, "%s(%d, 'team %d')", i > 1 ? ", " : "", i, i);
    TDB_MUST(t, tdb_exec(t, b->data, NULL, 0));
    sm_buf_reset(b);
    sm_buf_puts(b, "INSERT INTO hero (id, name, team_id) VALUES ");
    for (int i = 1; i <= 1000; i++)
        sm_buf_printf(b, "%s(%d, 'hero %d', %d)", i > 1 ? ", " : "", i, i, i % 100 + 1);
    TDB_MUST(t, tdb_exec(t, b->data, NULL, 0));
    sm_buf_reset(b);
    sm_buf_puts(b, "INSERT INTO hero_team_link (hero_id, team_id) VALUES ");
    for (int i = 1; i <= 1000; i++)
        sm_buf_printf(b, "%s(%d, %d), (%d, %d)", i > 1 ? ", " : "", i, i % 100 + 1, i,
                      (i + 7) % 100 + 1);
    TDB_MUST(t, tdb_exec(t, b->data, NULL, 0));

    int64_t *ids = sm_arena_alloc(&t->arena, 1000 * sizeof *ids);
    for (int i = 0; i < 1000; i++)
        ids[i] = i + 1;
    for (size_t n = 10; n <= 1000; n *= 100) {
        Hero_list hs;
        uint64_t s0 = statements(t);
        TDB_MUST(t, sm_model_get_many(&t->cx, t->conn, &hero_model, ids, n, false, &hs,
                                      &t->arena));
        assert_int_equal(hs.len, n);
        expect_ok(t, sm_rel_load_list(&t->cx, t->conn, &hero_model, rel(&hero_model, HERO_TEAM),
                                      &hs, &t->arena));
        expect_ok(t, sm_rel_load_list(&t->cx, t->conn, &hero_model, rel(&hero_model, HERO_TEAMS),
                                      &hs, &t->arena));
        assert_int_equal(statements(t) - s0, 3);
        for (size_t i = 0; i < n; i++) {
            assert_int_equal(hs.items[i].team->id, (int64_t)(i + 1) % 100 + 1);
            assert_int_equal(hs.items[i].teams.len, 2);
        }
    }
    /* 100 teams with their heroes, and each hero's teams. */
    Team_list ts;
    uint64_t s0 = statements(t);
    TDB_MUST(t, sm_model_get_many(&t->cx, t->conn, &team_model, ids, 100, false, &ts, &t->arena));
    expect_ok(t, sm_rel_load_list(&t->cx, t->conn, &team_model, rel(&team_model, TEAM_HEROES),
                                  &ts, &t->arena));
    size_t total = 0;
    for (size_t i = 0; i < ts.len; i++) {
        assert_int_equal(ts.items[i].heroes.len, 10);
        expect_ok(t, sm_rel_load_list(&t->cx, t->conn, &hero_model, rel(&hero_model, HERO_TEAMS),
                                      &ts.items[i].heroes, &t->arena));
        total += ts.items[i].heroes.len;
    }
    assert_int_equal(total, 1000);
    assert_int_equal(statements(t) - s0, 2 + 100);
}

/* 100,000 owners with distinct values: linear work, and several
 * statements only past the placeholder limit (16,384 keys a statement
 * on SQLite, 32,768 elsewhere). */
static void many_owners(tdb *t)
{
    rel_seed_teams(t, 100, 0, 0);
    enum { N = 100000 };
    Hero *hs = calloc(N, sizeof *hs);
    assert_non_null(hs);
    for (int i = 0; i < N; i++) {
        hs[i].id = i + 1;
        hs[i].team_id = N - i; /* teams 1..100 are the last owners */
        hs[i].has_team_id = true;
    }
    uint64_t s0 = statements(t);
    int64_t t0 = sm_mono_ns();
    expect_ok(t, sm_rel_load(&t->cx, t->conn, &hero_model, rel(&hero_model, HERO_TEAM), hs, N,
                             &t->arena));
    uint64_t per = t->d == SM_SQLITE ? 16384 : 32768;
    assert_int_equal(statements(t) - s0, (N + per - 1) / per);
    print_message("  %s: 100,000 owners loaded in %lld ms\n", t->name,
                  (long long)(tdb_ms_since(t0)));
    for (int i = 0; i < N; i++) {
        assert_true(hs[i].team_loaded);
        if (hs[i].team_id <= 100)
            assert_int_equal(hs[i].team->id, hs[i].team_id);
        else
            assert_null(hs[i].team);
    }
    free(hs);
}

static void get_many(tdb *t)
{
    rel_seed(t);
    static const int64_t ids[] = {5, 99, 1, 5, 3};
    Hero_list hs;
    expect_ok(t, sm_model_get_many(&t->cx, t->conn, &hero_model, ids, 5, false, &hs, &t->arena));
    assert_int_equal(hs.len, 4); /* 99 is missing */
    assert_int_equal(hs.items[0].id, 5);
    assert_int_equal(hs.items[1].id, 1);
    assert_int_equal(hs.items[2].id, 5);
    assert_int_equal(hs.items[3].id, 3);
    assert_string_equal(hs.items[3].name, "Rusty-Man");
    assert_false(hs.items[1].has_team_id == false);
    assert_false(hs.items[0].has_team_id);
    /* Composite keys. */
    TDB_MUST(t, tdb_exec(t, "INSERT INTO hero_team_link (hero_id, team_id, is_training) VALUES"
                            " (1, 1, false), (1, 2, true), (2, 1, false)", NULL, 0));
    HeroTeamLink keys[4] = {{.hero_id = 1, .team_id = 2}, {.hero_id = 2, .team_id = 2},
                            {.hero_id = 2, .team_id = 1}, {.hero_id = 1, .team_id = 2}};
    HeroTeamLink_list ls;
    expect_ok(t, sm_model_get_many(&t->cx, t->conn, &link_model, keys, 4, true, &ls, &t->arena));
    assert_int_equal(ls.len, 3);
    assert_true(ls.items[0].is_training);
    assert_int_equal(ls.items[1].hero_id, 2);
    assert_false(ls.items[1].is_training);
    assert_int_equal(ls.items[2].team_id, 2);
    /* A composite key as values is refused; so is a NULL text key. */
    expect_rc(t, sm_model_get_many(&t->cx, t->conn, &link_model, ids, 1, false, &ls, &t->arena),
              SM_MISUSE);
    static const char *const codes[] = {"a", NULL};
    City_list cs = {(City *)1, 3};
    expect_rc(t, sm_model_get_many(&t->cx, t->conn, &city_model, codes, 2, false, &cs, &t->arena),
              SM_MISUSE);
    assert_null(cs.items);
    /* Many keys: more than one bucket, and the order kept. */
    int64_t many[300];
    for (int i = 0; i < 300; i++)
        many[i] = 6 - i % 7; /* 6 .. 0, 0 missing */
    expect_ok(t, sm_model_get_many(&t->cx, t->conn, &hero_model, many, 300, false, &hs,
                                   &t->arena));
    size_t j = 0;
    for (int i = 0; i < 300; i++)
        if (many[i])
            assert_int_equal(hs.items[j++].id, many[i]);
    assert_int_equal(hs.len, j);
}

static void errors_keep_fields(tdb *t)
{
    rel_seed(t);
    Hero_list hs;
    get_heroes(t, &hs);
    Team sentinel = {42, "sentinel", {NULL, 0}, {NULL, 0}};
    for (size_t i = 0; i < hs.len; i++)
        hs.items[i].ghost = &sentinel;
    /* The statement reads rows of the wrong shape: it fails after a row. */
    expect_rc(t, sm_rel_load_list(&t->cx, t->conn, &hero_model, rel(&hero_model, HERO_GHOST), &hs,
                                  &t->arena),
              SM_ERROR);
    for (size_t i = 0; i < hs.len; i++) {
        assert_ptr_equal(hs.items[i].ghost, &sentinel);
        assert_false(hs.items[i].ghost_loaded);
    }
    /* A relationship of another model, and a link of a to-many one. */
    expect_rc(t, sm_rel_load_list(&t->cx, t->conn, &hero_model, rel(&team_model, TEAM_HEROES),
                                  &hs, &t->arena),
              SM_MISUSE);
    int64_t a = 1, b = 1;
    expect_rc(t, sm_rel_link(&t->cx, t->conn, rel(&hero_model, HERO_PUPILS), &a, &b), SM_MISUSE);
    /* Cancelled before the statement: nothing written either. */
    sm_cx cx;
    sm_cx_init(&cx);
    sm_cx_cancel(&cx);
    hs.items[0].pupils.items = NULL;
    TDB_RC(&cx, sm_rel_load_list(&cx, t->conn, &hero_model, rel(&hero_model, HERO_PUPILS), &hs,
                                 &t->arena),
           SM_CANCELLED);
    assert_null(hs.items[0].pupils.items);
    sm_cx_free(&cx);
}

/* A restricted delete names the referencing FK, its table and columns. */
static void restricted_delete(tdb *t)
{
    rel_seed(t);
    int64_t h1 = 1, t1 = 3;
    expect_ok(t, sm_rel_link(&t->cx, t->conn, rel(&hero_model, HERO_TEAMS), &h1, &t1));
    static const struct {
        const sm_model *m;
        int64_t id;
        const char *name, *table, *columns;
    } cases[] = {
        {&team_model, 1, "fk_hero_team_id", "hero", "team_id"},
        {&team_model, 3, "fk_hero_team_link_team_id", "hero_team_link", "team_id"},
        {&hero_model, 4, "fk_hero_mentor_id", "hero", "mentor_id"},
        {&hero_model, 2, "fk_badge_hero_id", "badge", "hero_id"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        Hero key = {.id = cases[i].id}; /* the key field comes first in both */
        expect_rc(t, sm_model_delete(&t->cx, t->conn, cases[i].m, &key), SM_CONSTRAINT);
        const sm_constraint *c = sm_cx_constraint(&t->cx);
        assert_int_equal(c->kind, SM_CK_FK);
        tdb_check_str(t, __FILE__, __LINE__, "name", c->name, cases[i].name);
        tdb_check_str(t, __FILE__, __LINE__, "table", c->table, cases[i].table);
        tdb_check_str(t, __FILE__, __LINE__, "columns", c->columns, cases[i].columns);
        assert_true(sm_cx_errmsg(&t->cx)[0] != 0); /* the database's message stays */
    }
    /* Without referencing rows the delete goes through. */
    Hero key = {.id = 6};
    expect_ok(t, sm_model_delete(&t->cx, t->conn, &hero_model, &key));
}

#define BODY(f)                                                                                    \
    static void test_##f(void **state)                                                             \
    {                                                                                              \
        (void)state;                                                                               \
        tdb_each(rel_create, f);                                                                   \
    }
BODY(to_one)
BODY(one_to_many)
BODY(many_to_many)
BODY(self_reference)
BODY(one_to_one)
BODY(text_keys)
BODY(empty_owners)
BODY(counts)
BODY(get_many)
BODY(many_owners)
BODY(errors_keep_fields)
BODY(restricted_delete)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_to_one),          cmocka_unit_test(test_one_to_many),
        cmocka_unit_test(test_many_to_many),    cmocka_unit_test(test_self_reference),
        cmocka_unit_test(test_one_to_one),      cmocka_unit_test(test_text_keys),
        cmocka_unit_test(test_empty_owners),    cmocka_unit_test(test_counts),
        cmocka_unit_test(test_get_many),        cmocka_unit_test(test_many_owners),
        cmocka_unit_test(test_errors_keep_fields),
        cmocka_unit_test(test_restricted_delete),
    };
    return tdb_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
