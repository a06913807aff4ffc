/*
 * test_batch.c: batches on every dialect, as PostgreSQL sends them in
 * one pipeline: _insert_many over several multi-row statements (keys in
 * order, one round trip for the batch on PostgreSQL, a failing row in
 * the middle rolls back everything and is named, the connection stays
 * usable, an interrupt in the middle of the batch), and _get_many over
 * many keys, duplicates, missing keys and the empty list.
 */
#include "internal.h"
#include "tdb.h"

#include "heroes.h"

#include <pthread.h>
#include <time.h>

enum { N = 2500 };

typedef struct heroes {
    Hero *hs;
    char (*names)[24];
} heroes;

/* N heroes "hero 0" ... of team team_id, ages i % 200. */
static heroes make_heroes(int64_t team_id)
{
    heroes h;
    h.hs = calloc(N, sizeof *h.hs);
    h.names = calloc(N, sizeof *h.names);
    assert_non_null(h.hs);
    assert_non_null(h.names);
    for (int i = 0; i < N; i++) {
        snprintf(h.names[i], sizeof h.names[i], "hero %d", i);
        Hero x = HERO_INIT;
        x.name = h.names[i];
        x.secret_name = "secret";
        x.age = i % 200;
        x.has_age = true;
        x.team_id = team_id;
        x.has_team_id = true;
        h.hs[i] = x;
    }
    return h;
}

static void free_heroes(heroes *h)
{
    free(h->hs);
    free(h->names);
}

static int64_t make_team(tdb *t)
{
    Team team = TEAM_INIT;
    team.name = "Preventers";
    team.headquarters = "Sharp Tower";
    expect_ok(t, team_insert(&t->cx, t->conn, &team));
    return team.id;
}

/* ---- insert_many ----------------------------------------------------------------- */

/* 2,500 rows are 8 statements on PostgreSQL and MariaDB (1,000, 1,000,
 * then 256, 128, 64, 32, 16, 4); on PostgreSQL the batch is BEGIN, one
 * pipeline and COMMIT once every statement shape is prepared. */
static void insert_many_round_trips(tdb *t)
{
    int64_t team = make_team(t);
    heroes h = make_heroes(team);
    expect_ok(t, hero_insert_many(&t->cx, t->conn, h.hs, N));
    /* The values of a multi-row statement live in a heap block that the
     * connection keeps for the next batch (SQLite binds a row at a time,
     * on the stack). */
    void *kept = t->conn->bind_mem;
    if (t->d == SM_SQLITE)
        assert_null(kept);
    else
        assert_non_null(kept);
    for (int i = 0; i < N; i++)
        h.hs[i].id = 0;
    sm_conn_stats before = sm_conn_stat(t->conn);
    expect_ok(t, hero_insert_many(&t->cx, t->conn, h.hs, N));
    sm_conn_stats after = sm_conn_stat(t->conn);
    assert_ptr_equal(t->conn->bind_mem, kept);
    for (int i = 1; i < N; i++)
        assert_true(h.hs[i].id == h.hs[i - 1].id + 1);
    assert_int_equal(h.hs[0].id, N + 1);
    assert_int_equal(tdb_count(t, "hero"), 2 * N);
    assert_int_equal(after.prepares, before.prepares);
    if (t->d == SM_POSTGRES) {
        assert_int_equal(after.round_trips - before.round_trips, 3);
        assert_int_equal(after.statements - before.statements, 10); /* with BEGIN, COMMIT */
    }
    Hero g;
    expect_ok(t, hero_get(&t->cx, t->conn, h.hs[N - 1].id, &g, &t->arena));
    assert_string_equal(g.name, "hero 2499");

    /* 1,000 rows are one statement there, atomic by itself: outside a
     * transaction it goes without BEGIN and COMMIT.  MariaDB reads the
     * key step first (a round trip, not a statement of the program's);
     * SQLite inserts a row at a time, in a transaction. */
    for (int i = 0; i < 1000; i++)
        h.hs[i].id = 0;
    before = sm_conn_stat(t->conn);
    expect_ok(t, hero_insert_many(&t->cx, t->conn, h.hs, 1000));
    after = sm_conn_stat(t->conn);
    assert_int_equal(after.statements - before.statements, t->d == SM_SQLITE ? 1002 : 1);
    if (t->d != SM_SQLITE)
        assert_int_equal(after.round_trips - before.round_trips, t->d == SM_POSTGRES ? 1 : 2);
    assert_int_equal(h.hs[999].id, h.hs[0].id + 999);
    assert_int_equal(tdb_count(t, "hero"), 2 * N + 1000);
    free_heroes(&h);
}

static void test_insert_many_round_trips(void **state)
{
    (void)state;
    tdb_each(heroes_create_all, insert_many_round_trips);
}

/* A row in the second statement breaks a foreign key: nothing is
 * inserted, the objects are as they were, the message names the rows and
 * gives the database's reason, and the connection goes on working (on
 * PostgreSQL: out of pipeline mode). */
static void insert_many_fails_in_middle(tdb *t)
{
    int64_t team = make_team(t);
    heroes h = make_heroes(team);
    h.hs[1500].team_id = team + 1000;
    expect_rc(t, hero_insert_many(&t->cx, t->conn, h.hs, N), SM_CONSTRAINT);
    const char *msg = sm_cx_errmsg(&t->cx);
    const char *want = t->d == SM_SQLITE
                           ? "insert_many Hero: row 1500: "
                           : "insert_many Hero: rows 1000 to 1999 (statement 2 of 8): ";
    if (strncmp(msg, want, strlen(want)) != 0)
        fail_msg("%s: message \"%s\" does not start with \"%s\"", t->name, msg, want);
    assert_int_equal(sm_cx_constraint(&t->cx)->kind, SM_CK_FK);
    assert_int_equal(tdb_count(t, "hero"), 0);
    for (int i = 0; i < N; i++)
        assert_int_equal(h.hs[i].id, 0);

    /* The same inside the caller's transaction: it fails, and rolls back. */
    expect_ok(t, sm_begin(&t->cx, t->conn));
    expect_rc(t, hero_insert_many(&t->cx, t->conn, h.hs, N), SM_CONSTRAINT);
    expect_rc(t, hero_insert_many(&t->cx, t->conn, h.hs, 1), SM_MISUSE);
    expect_ok(t, sm_rollback(&t->cx, t->conn));

    h.hs[1500].team_id = team;
    expect_ok(t, hero_insert_many(&t->cx, t->conn, h.hs, N));
    assert_int_equal(tdb_count(t, "hero"), N);
    for (int i = 1; i < N; i++)
        assert_true(h.hs[i].id > h.hs[i - 1].id);
    Hero g;
    expect_ok(t, hero_get(&t->cx, t->conn, h.hs[1500].id, &g, &t->arena));
    assert_string_equal(g.name, "hero 1500");
    free_heroes(&h);
}

static void test_insert_many_fails_in_middle(void **state)
{
    (void)state;
    tdb_each(heroes_create_all, insert_many_fails_in_middle);
}

/* ---- An interrupt in the middle of a batch ------------------------------------------ */

typedef struct canceller {
    sm_cx *cx;
    int ms;
} canceller;

static void *cancel_later(void *arg)
{
    canceller *c = arg;
    struct timespec ts = {c->ms / 1000, (long)(c->ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
    sm_cx_cancel(c->cx);
    return NULL;
}

/* A second connection holds a lock that blocks the batch's inserts:
 * PostgreSQL LOCK TABLE, MariaDB LOCK TABLES, SQLite a write
 * transaction. */
static void hold_lock(tdb *t, sm_conn *other)
{
    if (t->d == SM_POSTGRES) {
        expect_ok(t, sm_begin(&t->cx, other));
        expect_ok(t, sm_exec(&t->cx, other, "LOCK TABLE hero IN EXCLUSIVE MODE", NULL, 0, NULL));
    } else if (t->d == SM_MYSQL) {
        expect_ok(t, sm_exec(&t->cx, other, "LOCK TABLES hero WRITE", NULL, 0, NULL));
    } else {
        expect_ok(t, sm_begin(&t->cx, other));
    }
}

static void drop_lock(tdb *t, sm_conn *other)
{
    if (t->d == SM_MYSQL)
        expect_ok(t, sm_exec(&t->cx, other, "UNLOCK TABLES", NULL, 0, NULL));
    else
        expect_ok(t, sm_rollback(&t->cx, other));
}

/* Cancelled, then past its deadline, while the batch waits on the lock
 * (its statements are prepared already, so on PostgreSQL the wait is
 * inside the pipeline): nothing is inserted and the connection works. */
static void insert_many_interrupted(tdb *t)
{
    int64_t team = make_team(t);
    heroes h = make_heroes(team);
    expect_ok(t, hero_insert_many(&t->cx, t->conn, h.hs, N));
    expect_ok(t, tdb_exec(t, "DELETE FROM \"hero\"", NULL, 0));
    for (int i = 0; i < N; i++)
        h.hs[i].id = 0;
    sm_conn *other = tdb_connect(&t->cx, t->url);
    hold_lock(t, other);

    sm_cx cx;
    sm_cx_init(&cx);
    canceller c = {&cx, 300};
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, cancel_later, &c), 0);
    TDB_RC(&cx, hero_insert_many(&cx, t->conn, h.hs, N), SM_CANCELLED);
    pthread_join(th, NULL);
    sm_cx_free(&cx);

    sm_cx_init(&cx);
    sm_cx_set_timeout_ms(&cx, 300);
    /* SQLite's busy handler gives up at the deadline: SM_BUSY. */
    TDB_RC(&cx, hero_insert_many(&cx, t->conn, h.hs, N), t->d == SM_SQLITE ? SM_BUSY : SM_TIMEOUT);
    sm_cx_free(&cx);
    for (int i = 0; i < N; i++)
        assert_int_equal(h.hs[i].id, 0);

    drop_lock(t, other);
    sm_close(other);
    assert_int_equal(tdb_count(t, "hero"), 0);
    expect_ok(t, hero_insert_many(&t->cx, t->conn, h.hs, N));
    assert_int_equal(tdb_count(t, "hero"), N);
    free_heroes(&h);
}

static void test_insert_many_interrupted(void **state)
{
    (void)state;
    tdb_each(heroes_create_all, insert_many_interrupted);
}

/* The batch's statements go stale when the key's type changes (PostgreSQL
 * reports "cached plan must not change result type" for RETURNING id;
 * the other databases have no such plans): the call that meets it fails
 * and inserts nothing, the next one prepares every statement again and
 * succeeds. */
static void insert_many_stale(tdb *t)
{
    int64_t team = make_team(t);
    heroes h = make_heroes(team);
    expect_ok(t, hero_insert_many(&t->cx, t->conn, h.hs, N));
    expect_ok(t, tdb_exec(t, "DELETE FROM \"hero\"", NULL, 0));
    sm_conn *other = tdb_connect(&t->cx, t->url);
    expect_ok(t, sm_exec(&t->cx, other, "ALTER TABLE hero ALTER COLUMN id TYPE integer", NULL, 0,
                         NULL));
    sm_close(other);
    for (int i = 0; i < N; i++)
        h.hs[i].id = 0;
    expect_rc(t, hero_insert_many(&t->cx, t->conn, h.hs, N), SM_ERROR);
    const char *want = "insert_many Hero: rows 0 to 999 (statement 1 of 8): the statement's plan "
                       "is stale after a schema change (it is prepared again on its next use)";
    assert_string_equal(sm_cx_errmsg(&t->cx), want);
    assert_int_equal(tdb_count(t, "hero"), 0);
    expect_ok(t, hero_insert_many(&t->cx, t->conn, h.hs, N));
    assert_int_equal(tdb_count(t, "hero"), N);
    for (int i = 1; i < N; i++)
        assert_true(h.hs[i].id == h.hs[i - 1].id + 1);
    /* And once more, in one pipeline again. */
    for (int i = 0; i < N; i++)
        h.hs[i].id = 0;
    sm_conn_stats before = sm_conn_stat(t->conn);
    expect_ok(t, hero_insert_many(&t->cx, t->conn, h.hs, N));
    assert_int_equal(sm_conn_stat(t->conn).round_trips - before.round_trips, 3);
    assert_int_equal(tdb_count(t, "hero"), 2 * N);
    free_heroes(&h);
}

static void test_insert_many_stale(void **state)
{
    (void)state;
    tdb_each_on(TDB_ON(SM_POSTGRES), heroes_create_all, insert_many_stale);
}

/* ---- get_many ------------------------------------------------------------------------- */

/* 3,000 keys: every second one missing, some twice; the rows come in
 * the order of the keys, a duplicate twice, a missing key skipped. */
static void get_many_keys(tdb *t)
{
    int64_t team = make_team(t);
    heroes h = make_heroes(team);
    expect_ok(t, hero_insert_many(&t->cx, t->conn, h.hs, N));
    enum { K = 3000 };
    int64_t *keys = calloc(K, sizeof *keys);
    int *want = calloc(K, sizeof *want);
    assert_non_null(keys);
    assert_non_null(want);
    size_t nwant = 0;
    for (int i = 0; i < K; i++) {
        int row = (i * 7919) % (2 * N); /* half of them past the last row */
        if (i % 10 == 9)
            row = (((i - 1) * 7919) % (2 * N)); /* the key before it again */
        keys[i] = row < N ? h.hs[row].id : h.hs[N - 1].id + 1 + row;
        if (row < N)
            want[nwant++] = row;
    }
    Hero_list got;
    expect_ok(t, hero_get_many(&t->cx, t->conn, keys, K, &got, &t->arena));
    assert_int_equal(got.len, nwant);
    for (size_t i = 0; i < nwant; i++) {
        assert_int_equal(got.items[i].id, h.hs[want[i]].id);
        assert_string_equal(got.items[i].name, h.names[want[i]]);
        assert_int_equal(got.items[i].age, want[i] % 200);
    }

    /* The empty list, and keys none of which exist. */
    got.len = 99;
    expect_ok(t, hero_get_many(&t->cx, t->conn, keys, 0, &got, &t->arena));
    assert_int_equal(got.len, 0);
    assert_null(got.items);
    int64_t none[3] = {-1, -2, -1};
    expect_ok(t, hero_get_many(&t->cx, t->conn, none, 3, &got, &t->arena));
    assert_int_equal(got.len, 0);

    /* One key many times. */
    int64_t same[5];
    for (int i = 0; i < 5; i++)
        same[i] = h.hs[7].id;
    expect_ok(t, hero_get_many(&t->cx, t->conn, same, 5, &got, &t->arena));
    assert_int_equal(got.len, 5);
    for (int i = 0; i < 5; i++)
        assert_string_equal(got.items[i].name, "hero 7");
    free(keys);
    free(want);
    free_heroes(&h);
}

static void test_get_many_keys(void **state)
{
    (void)state;
    tdb_each(heroes_create_all, get_many_keys);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_insert_many_round_trips),
        cmocka_unit_test(test_insert_many_fails_in_middle),
        cmocka_unit_test(test_insert_many_interrupted),
        cmocka_unit_test(test_insert_many_stale),
        cmocka_unit_test(test_get_many_keys),
    };
    return tdb_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
