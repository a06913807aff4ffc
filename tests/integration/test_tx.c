/*
 * test_tx.c: transactions around generated functions, on every dialect.
 * A database error inside sm_begin.. fails the transaction (every call but
 * a rollback is SM_MISUSE) and after sm_rollback no partial row remains;
 * _insert_many is atomic, whether a row is invalid (nothing reaches the
 * database) or the database refuses the third one; inside a transaction
 * it runs in a savepoint, and a refused or cancelled batch fails the
 * transaction like any database error; savepoints roll back the rows of generated functions; DDL of
 * create_all inside a transaction follows the database (rolled back on
 * SQLite and PostgreSQL, refused on MySQL).
 */
#include "tdb.h"

#include "heroes.h"

static Team team(const char *name, const char *hq)
{
    Team t = TEAM_INIT;
    t.name = name;
    t.headquarters = hq;
    return t;
}

static Hero hero(const char *name, const char *secret)
{
    Hero h = HERO_INIT;
    h.name = name;
    h.secret_name = secret;
    return h;
}

/* ---- A failed transaction ---------------------------------------------------------------- */

static void failed_tx(tdb *t)
{
    Team kept = team("Preventers", "Sharp Tower");
    expect_ok(t, team_insert(&t->cx, t->conn, &kept));

    expect_ok(t, sm_begin(&t->cx, t->conn));
    Team z = team("Z-Force", "Sister Margaret's Bar");
    expect_ok(t, team_insert(&t->cx, t->conn, &z));
    Hero d = hero("Deadpond", "Dive Wilson");
    d.team_id = z.id;
    d.has_team_id = true;
    expect_ok(t, hero_insert(&t->cx, t->conn, &d));
    HeroUpdate u = HERO_UPDATE_INIT;
    u.age = 30;
    u.has_age = true;
    expect_ok(t, hero_patch(&t->cx, t->conn, d.id, &u));

    /* A database error: the transaction is failed. */
    Hero bad = hero("Spider-Boy", "Pedro Parqueador");
    bad.team_id = z.id + 1000;
    bad.has_team_id = true;
    expect_rc(t, hero_insert(&t->cx, t->conn, &bad), SM_CONSTRAINT);
    assert_int_equal(sm_cx_constraint(&t->cx)->kind, SM_CK_FK);
    assert_true(sm_in_transaction(t->conn));

    /* Every call but a rollback is refused, generated or not. */
    Hero ok = hero("Rusty-Man", "Tommy Sharp");
    expect_rc(t, hero_insert(&t->cx, t->conn, &ok), SM_MISUSE);
    assert_int_equal(ok.id, 0);
    Hero got;
    memset(&got, 0x5a, sizeof got);
    expect_rc(t, hero_get(&t->cx, t->conn, d.id, &got, &t->arena), SM_MISUSE);
    static const Hero zero;
    assert_memory_equal(&got, &zero, sizeof got);
    expect_rc(t, hero_update(&t->cx, t->conn, &d), SM_MISUSE);
    expect_rc(t, hero_patch(&t->cx, t->conn, d.id, &u), SM_MISUSE);
    expect_rc(t, hero_delete(&t->cx, t->conn, d.id), SM_MISUSE);
    Hero many[2] = {hero("a", "b"), hero("c", "d")};
    expect_rc(t, hero_insert_many(&t->cx, t->conn, many, 2), SM_MISUSE);
    expect_rc(t, team_delete(&t->cx, t->conn, kept.id), SM_MISUSE);
    expect_rc(t, tdb_exec(t, "SELECT 1", NULL, 0), SM_MISUSE);
    expect_rc(t, sm_savepoint(&t->cx, t->conn, "late"), SM_MISUSE);
    expect_rc(t, sm_commit(&t->cx, t->conn), SM_MISUSE);
    /* Even an invalid object: the failed transaction is reported first. */
    Hero invalid = hero(NULL, "x");
    expect_rc(t, hero_insert(&t->cx, t->conn, &invalid), SM_MISUSE);

    expect_ok(t, sm_rollback(&t->cx, t->conn));
    assert_false(sm_in_transaction(t->conn));
    /* Nothing of the transaction remains; what came before does. */
    assert_int_equal(tdb_count(t, "hero"), 0);
    assert_int_equal(tdb_count(t, "teams"), 1);
    expect_rc(t, team_get(&t->cx, t->conn, z.id, &z, &t->arena), SM_NOTFOUND);
    Team k;
    expect_ok(t, team_get(&t->cx, t->conn, kept.id, &k, &t->arena));
    assert_string_equal(k.name, "Preventers");

    /* The connection works normally afterwards. */
    expect_ok(t, hero_insert(&t->cx, t->conn, &ok));
    assert_int_equal(tdb_count(t, "hero"), 1);
}

static void test_failed_tx(void **state)
{
    (void)state;
    tdb_each(heroes_create_all, failed_tx);
}

/* A unique violation fails it the same way; a commit after it is refused
 * and leaves nothing open. */
static void failed_tx_unique(tdb *t)
{
    expect_ok(t, sm_begin(&t->cx, t->conn));
    Team a = team("Preventers", "Sharp Tower");
    Team b = team("Preventers", "Sharp Tower");
    expect_ok(t, team_insert(&t->cx, t->conn, &a));
    expect_rc(t, team_insert(&t->cx, t->conn, &b), SM_CONSTRAINT);
    assert_int_equal(b.id, 0);
    expect_rc(t, sm_commit(&t->cx, t->conn), SM_MISUSE);
    expect_ok(t, sm_rollback(&t->cx, t->conn));
    assert_int_equal(tdb_count(t, "teams"), 0);
    /* A NOTFOUND inside a transaction is no database error. */
    expect_ok(t, sm_begin(&t->cx, t->conn));
    expect_ok(t, team_insert(&t->cx, t->conn, &a));
    expect_rc(t, team_delete(&t->cx, t->conn, a.id + 1), SM_NOTFOUND);
    Team g;
    expect_rc(t, team_get(&t->cx, t->conn, a.id + 1, &g, &t->arena), SM_NOTFOUND);
    expect_ok(t, sm_commit(&t->cx, t->conn));
    assert_int_equal(tdb_count(t, "teams"), 1);
}

static void test_failed_tx_unique(void **state)
{
    (void)state;
    tdb_each(heroes_create_all, failed_tx_unique);
}

/* ---- insert_many is atomic ------------------------------------------------------------------- */

static void many_atomic(tdb *t)
{
    Team seed = team("Preventers", "Sharp Tower");
    expect_ok(t, team_insert(&t->cx, t->conn, &seed));

    /* One invalid object: nothing is inserted, nothing is sent. */
    Team bad[4] = {team("A", "a"), team("B", "b"), team(NULL, "c"), team("D", "d")};
    tdb_trace tr;
    tdb_trace_start(t, &tr, "");
    expect_rc(t, team_insert_many(&t->cx, t->conn, bad, 4), SM_INVALID);
    tdb_trace_stop(t);
    assert_int_equal(tr.total, 0);
    tdb_errors_are(sm_cx_errors(&t->cx), "[2].name", "required", NULL);
    assert_int_equal(tdb_count(t, "teams"), 1);

    /* The third row violates the unique name: nothing is inserted, no key
     * or now() is written back. */
    Team dup[4] = {team("A", "a"), team("B", "b"), team("Preventers", "c"), team("D", "d")};
    expect_rc(t, team_insert_many(&t->cx, t->conn, dup, 4), SM_CONSTRAINT);
    tdb_constraint_is(t, SM_CK_UNIQUE, "uq_teams_name", "name");
    assert_int_equal(tdb_count(t, "teams"), 1);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(dup[i].id, 0);
        assert_int_equal(dup[i].created_at, 0);
    }
    /* Duplicates within the batch itself. */
    Team twice[3] = {team("X", "x"), team("Y", "y"), team("X", "z")};
    expect_rc(t, team_insert_many(&t->cx, t->conn, twice, 3), SM_CONSTRAINT);
    assert_int_equal(tdb_count(t, "teams"), 1);
    assert_int_equal(twice[0].id, 0);

    /* An FK violation in the third hero of a batch. */
    Hero hs[4] = {hero("a", "a"), hero("b", "b"), hero("c", "c"), hero("d", "d")};
    hs[2].team_id = seed.id + 99;
    hs[2].has_team_id = true;
    expect_rc(t, hero_insert_many(&t->cx, t->conn, hs, 4), SM_CONSTRAINT);
    tdb_constraint_is(t, SM_CK_FK, "fk_hero_team_id", "team_id");
    assert_int_equal(tdb_count(t, "hero"), 0);
    for (int i = 0; i < 4; i++)
        assert_int_equal(hs[i].id, 0);

    /* The same batches, fixed, go in whole. */
    dup[2].name = "C";
    expect_ok(t, team_insert_many(&t->cx, t->conn, dup, 4));
    assert_int_equal(tdb_count(t, "teams"), 5);
    hs[2].team_id = seed.id;
    expect_ok(t, hero_insert_many(&t->cx, t->conn, hs, 4));
    assert_int_equal(tdb_count(t, "hero"), 4);
    assert_false(sm_in_transaction(t->conn));
}

static void test_many_atomic(void **state)
{
    (void)state;
    tdb_each(heroes_create_all, many_atomic);
}

/* Inside an open transaction a batch runs in a savepoint: when the
 * database refuses it, its rows go and, as after any database error, the
 * transaction is failed (the same as a single insert): a savepoint opened
 * before the batch survives and recovers it. */
static void many_in_tx(tdb *t)
{
    expect_ok(t, sm_begin(&t->cx, t->conn));
    Team a = team("Preventers", "Sharp Tower");
    expect_ok(t, team_insert(&t->cx, t->conn, &a));
    expect_ok(t, sm_savepoint(&t->cx, t->conn, "before"));
    Team dup[3] = {team("B", "b"), team("C", "c"), team("Preventers", "p")};
    expect_rc(t, team_insert_many(&t->cx, t->conn, dup, 3), SM_CONSTRAINT);
    assert_true(sm_in_transaction(t->conn));
    Team d = team("D", "d");
    expect_rc(t, team_insert(&t->cx, t->conn, &d), SM_MISUSE);
    expect_rc(t, team_insert_many(&t->cx, t->conn, dup, 2), SM_MISUSE);
    expect_ok(t, sm_rollback_to(&t->cx, t->conn, "before"));
    expect_ok(t, team_insert(&t->cx, t->conn, &d));
    Team ok[2] = {team("E", "e"), team("F", "f")};
    expect_ok(t, team_insert_many(&t->cx, t->conn, ok, 2));
    expect_ok(t, sm_commit(&t->cx, t->conn));
    assert_int_equal(tdb_count(t, "teams"), 4);
    Team g;
    expect_ok(t, team_get(&t->cx, t->conn, ok[1].id, &g, &t->arena));
    assert_string_equal(g.name, "F");
    sm_value b = sm_text("B");
    assert_int_equal(tdb_int(t, "SELECT count(*) FROM \"teams\" WHERE \"name\" = ?", &b, 1), 0);

    /* Without a savepoint of the caller's, only sm_rollback is left. */
    expect_ok(t, sm_begin(&t->cx, t->conn));
    expect_rc(t, team_insert_many(&t->cx, t->conn, dup, 3), SM_CONSTRAINT);
    expect_rc(t, sm_commit(&t->cx, t->conn), SM_MISUSE);
    expect_ok(t, sm_rollback(&t->cx, t->conn));
    assert_int_equal(tdb_count(t, "teams"), 4);

    /* And rolled back with the transaction. */
    expect_ok(t, sm_begin(&t->cx, t->conn));
    Team more[2] = {team("G", "g"), team("H", "h")};
    expect_ok(t, team_insert_many(&t->cx, t->conn, more, 2));
    expect_ok(t, sm_rollback(&t->cx, t->conn));
    assert_int_equal(tdb_count(t, "teams"), 4);
}

static void test_many_in_tx(void **state)
{
    (void)state;
    tdb_each(heroes_create_all, many_in_tx);
}

/* A cancel that lands inside a batch's own savepoint (after its SAVEPOINT
 * statement) fails the caller's transaction too. */
typedef struct {
    sm_cx *cx;
    int statements;
} cancel_at;

static void cancel_after_first(void *ud, const sm_trace *tr)
{
    cancel_at *c = ud;
    (void)tr;
    if (++c->statements == 1)
        sm_cx_cancel(c->cx);
}

static void many_cancelled(tdb *t)
{
    expect_ok(t, sm_begin(&t->cx, t->conn));
    Team a = team("A", "a");
    expect_ok(t, team_insert(&t->cx, t->conn, &a));
    sm_cx cx;
    sm_cx_init(&cx);
    cancel_at c = {&cx, 0};
    sm_conn_set_trace(t->conn, cancel_after_first, &c);
    Team two[2] = {team("B", "b"), team("C", "c")};
    TDB_RC(&cx, team_insert_many(&cx, t->conn, two, 2), SM_CANCELLED);
    sm_conn_set_trace(t->conn, NULL, NULL);
    sm_cx_free(&cx);
    assert_true(c.statements >= 1);
    Team d = team("D", "d");
    expect_rc(t, team_insert(&t->cx, t->conn, &d), SM_MISUSE);
    expect_ok(t, sm_rollback(&t->cx, t->conn));
    assert_int_equal(tdb_count(t, "teams"), 0);
}

static void test_many_cancelled(void **state)
{
    (void)state;
    tdb_each(heroes_create_all, many_cancelled);
}

/* ---- Savepoints ------------------------------------------------------------------------------ */

static void savepoints(tdb *t)
{
    expect_ok(t, sm_begin(&t->cx, t->conn));
    Hero a = hero("Deadpond", "Dive Wilson");
    expect_ok(t, hero_insert(&t->cx, t->conn, &a));

    /* Rolled back to: the rows and the change after it go. */
    expect_ok(t, sm_savepoint(&t->cx, t->conn, "sp1"));
    Hero b = hero("Spider-Boy", "Pedro Parqueador");
    expect_ok(t, hero_insert(&t->cx, t->conn, &b));
    HeroUpdate u = HERO_UPDATE_INIT;
    u.name = "Deadpool";
    u.has_name = true;
    expect_ok(t, hero_patch(&t->cx, t->conn, a.id, &u));
    expect_ok(t, sm_rollback_to(&t->cx, t->conn, "sp1"));
    Hero got;
    expect_rc(t, hero_get(&t->cx, t->conn, b.id, &got, &t->arena), SM_NOTFOUND);
    expect_ok(t, hero_get(&t->cx, t->conn, a.id, &got, &t->arena));
    assert_string_equal(got.name, "Deadpond");

    /* A database error after a savepoint: rolling back to it recovers the
     * transaction. */
    Hero c = hero("Rusty-Man", "Tommy Sharp");
    expect_ok(t, hero_insert(&t->cx, t->conn, &c));
    expect_ok(t, sm_savepoint(&t->cx, t->conn, "sp2"));
    Hero dup = hero("Dup", "x");
    dup.id = c.id;
    expect_rc(t, hero_insert(&t->cx, t->conn, &dup), SM_CONSTRAINT);
    expect_rc(t, hero_get(&t->cx, t->conn, c.id, &got, &t->arena), SM_MISUSE);
    expect_ok(t, sm_rollback_to(&t->cx, t->conn, "sp2"));
    expect_ok(t, hero_get(&t->cx, t->conn, c.id, &got, &t->arena));
    assert_string_equal(got.name, "Rusty-Man");

    /* Nested savepoints, one released, the outer rolled back. */
    expect_ok(t, sm_savepoint(&t->cx, t->conn, "outer"));
    Hero e = hero("Tarantula", "Natalia Roman-on");
    expect_ok(t, hero_insert(&t->cx, t->conn, &e));
    expect_ok(t, sm_savepoint(&t->cx, t->conn, "inner"));
    Hero f = hero("Black Lion", "Trevor Challa");
    expect_ok(t, hero_insert(&t->cx, t->conn, &f));
    expect_ok(t, sm_release(&t->cx, t->conn, "inner"));
    expect_ok(t, sm_rollback_to(&t->cx, t->conn, "outer"));
    expect_ok(t, sm_release(&t->cx, t->conn, "outer"));

    /* A batch inside a savepoint: its own savepoint nests. */
    expect_ok(t, sm_savepoint(&t->cx, t->conn, "batch"));
    Hero hs[2] = {hero("Dr. Weird", "Steve Weird"), hero("Captain North America", "Esteban")};
    expect_ok(t, hero_insert_many(&t->cx, t->conn, hs, 2));
    expect_ok(t, sm_release(&t->cx, t->conn, "batch"));

    expect_ok(t, sm_commit(&t->cx, t->conn));
    /* Deadpond, Rusty-Man and the batch. */
    assert_int_equal(tdb_count(t, "hero"), 4);
    /* (SQLite reuses the rolled-back keys: look them up by name.) */
    sm_value names[2] = {sm_text("Tarantula"), sm_text("Black Lion")};
    assert_int_equal(tdb_int(t, "SELECT count(*) FROM \"hero\" WHERE \"name\" IN (?, ?)", names, 2),
                     0);
    expect_ok(t, hero_get(&t->cx, t->conn, hs[1].id, &got, &t->arena));
    assert_string_equal(got.secret_name, "Esteban");

    /* Misuse: sm_begin inside a transaction, unknown and bad names. */
    expect_ok(t, sm_begin(&t->cx, t->conn));
    expect_rc(t, sm_begin(&t->cx, t->conn), SM_MISUSE);
    expect_rc(t, sm_rollback_to(&t->cx, t->conn, "never_made"), SM_MISUSE);
    expect_rc(t, sm_savepoint(&t->cx, t->conn, "bad name"), SM_MISUSE);
    expect_rc(t, sm_savepoint(&t->cx, t->conn, "x; DROP TABLE hero"), SM_MISUSE);
    expect_ok(t, sm_rollback(&t->cx, t->conn));
    assert_int_equal(tdb_count(t, "hero"), 4);
}

static void test_savepoints(void **state)
{
    (void)state;
    tdb_each(heroes_create_all, savepoints);
}

/* ---- DDL in a transaction ------------------------------------------------------------------------ */

static void ddl_in_tx(tdb *t)
{
    expect_ok(t, sm_begin(&t->cx, t->conn));
    int rc = heroes_create_all(&t->cx, t->conn);
    if (t->d == SM_MYSQL) {
        /* DDL would commit implicitly: refused, the transaction intact. */
        expect_rc(t, rc, SM_MISUSE);
        assert_true(sm_in_transaction(t->conn));
        expect_rc(t, heroes_drop_all(&t->cx, t->conn), SM_MISUSE);
        expect_ok(t, sm_rollback(&t->cx, t->conn));
        tdb_expect_table_gone(t, "hero");
        return;
    }
    /* Transactional DDL: created and rolled back with the transaction. */
    expect_ok(t, rc);
    Hero h = hero("Deadpond", "Dive Wilson");
    expect_ok(t, hero_insert(&t->cx, t->conn, &h));
    expect_ok(t, sm_rollback(&t->cx, t->conn));
    tdb_expect_table_gone(t, "hero");
    /* Committed, it stays; drop_all in a transaction rolls back too. */
    expect_ok(t, sm_begin(&t->cx, t->conn));
    expect_ok(t, heroes_create_all(&t->cx, t->conn));
    expect_ok(t, hero_insert(&t->cx, t->conn, &h));
    expect_ok(t, sm_commit(&t->cx, t->conn));
    expect_ok(t, sm_begin(&t->cx, t->conn));
    expect_ok(t, heroes_drop_all(&t->cx, t->conn));
    expect_ok(t, sm_rollback(&t->cx, t->conn));
    assert_int_equal(tdb_count(t, "hero"), 1);
}

static void test_ddl_in_tx(void **state)
{
    (void)state;
    tdb_each(NULL, ddl_in_tx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_failed_tx),
        cmocka_unit_test(test_failed_tx_unique),
        cmocka_unit_test(test_many_atomic),
        cmocka_unit_test(test_many_in_tx),
        cmocka_unit_test(test_many_cancelled),
        cmocka_unit_test(test_savepoints),
        cmocka_unit_test(test_ddl_in_tx),
    };
    return tdb_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
