/*
 * test_corners.c: tests/schemas/corners.smdl on every dialect: patches
 * through partials of tables with relationships (PostDraft, AuthorPatch:
 * neither copies the relationships nor the key), a partial whose field
 * is the table's key (CountryUpdate: country_patch never writes it), and
 * a table whose only column is its generated key (Ticket), inserted one
 * by one and in batches.
 */
#include "tdb.h"

#include "corners.h"

static void patches(tdb *t)
{
    Author ann = AUTHOR_INIT, bob = AUTHOR_INIT;
    ann.name = "Ann";
    bob.name = "Bob";
    expect_ok(t, author_insert(&t->cx, t->conn, &ann));
    expect_ok(t, author_insert(&t->cx, t->conn, &bob));
    Post p = POST_INIT;
    p.author_id = ann.id;
    p.title = "draft";
    expect_ok(t, post_insert(&t->cx, t->conn, &p));

    PostDraft d = POST_DRAFT_INIT;
    d.title = "final";
    d.has_title = true;
    d.author_id = bob.id;
    d.has_author_id = true;
    expect_ok(t, post_patch(&t->cx, t->conn, p.id, &d));
    Post got;
    expect_ok(t, post_get(&t->cx, t->conn, p.id, &got, &t->arena));
    assert_string_equal(got.title, "final");
    assert_int_equal(got.author_id, bob.id);
    assert_int_equal(got.views, 0);
    assert_null(got.author);

    AuthorPatch ap = AUTHOR_PATCH_INIT;
    ap.name = "Anne";
    ap.has_name = true;
    expect_ok(t, author_patch(&t->cx, t->conn, ann.id, &ap));
    Author a;
    expect_ok(t, author_get(&t->cx, t->conn, ann.id, &a, &t->arena));
    assert_string_equal(a.name, "Anne");
    expect_rc(t, author_patch(&t->cx, t->conn, ann.id + bob.id, &ap), SM_NOTFOUND);
}

static void test_patches(void **state)
{
    (void)state;
    tdb_each(corners_create_all, patches);
}

static void key_not_patched(tdb *t)
{
    Country nz = COUNTRY_INIT;
    nz.code = "NZ";
    nz.name = "New Zealand";
    nz.population = 5;
    expect_ok(t, country_insert(&t->cx, t->conn, &nz));

    /* code is set in the partial: it is neither written nor validated. */
    CountryUpdate u = COUNTRY_UPDATE_INIT;
    u.code = "a key far too long for its two characters";
    u.has_code = true;
    u.name = "Aotearoa";
    u.has_name = true;
    tdb_trace tr;
    tdb_trace_start(t, &tr, "UPDATE");
    expect_ok(t, country_patch(&t->cx, t->conn, "NZ", &u));
    tdb_trace_stop(t);
    assert_int_equal(tr.count, 1);
    Country got;
    expect_ok(t, country_get(&t->cx, t->conn, "NZ", &got, &t->arena));
    assert_string_equal(got.name, "Aotearoa");
    assert_int_equal(got.population, 5);
    assert_int_equal(tdb_count(t, "country"), 1);

    /* Only the key set: the row is matched, nothing changes. */
    u.has_name = false;
    expect_ok(t, country_patch(&t->cx, t->conn, "NZ", &u));
    expect_rc(t, country_patch(&t->cx, t->conn, "AU", &u), SM_NOTFOUND);
    expect_ok(t, country_get(&t->cx, t->conn, "NZ", &got, &t->arena));
    assert_string_equal(got.name, "Aotearoa");
}

static void test_key_not_patched(void **state)
{
    (void)state;
    tdb_each(corners_create_all, key_not_patched);
}

static void only_key(tdb *t)
{
    Ticket a = TICKET_INIT, b = TICKET_INIT;
    expect_ok(t, ticket_insert(&t->cx, t->conn, &a));
    expect_ok(t, ticket_insert(&t->cx, t->conn, &b));
    /* A fresh table's keys count from 1 on every database. */
    assert_int_equal(a.id, 1);
    assert_int_equal(b.id, 2);

    Ticket many[4] = {TICKET_INIT, TICKET_INIT, TICKET_INIT, TICKET_INIT};
    expect_ok(t, ticket_insert_many(&t->cx, t->conn, many, 4));
    for (int i = 0; i < 4; i++) {
        assert_int_equal(many[i].id, 3 + i);
        Ticket got;
        expect_ok(t, ticket_get(&t->cx, t->conn, many[i].id, &got, &t->arena));
        assert_int_equal(got.id, many[i].id);
    }

    /* Keys given, alone and mixed with generated ones. */
    Ticket mixed[3] = {{1000}, TICKET_INIT, {2000}};
    expect_ok(t, ticket_insert_many(&t->cx, t->conn, mixed, 3));
    assert_int_equal(mixed[0].id, 1000);
    assert_true(mixed[1].id > many[3].id);
    assert_int_equal(mixed[2].id, 2000);
    expect_ok(t, ticket_update(&t->cx, t->conn, &mixed[2]));
    expect_ok(t, ticket_delete(&t->cx, t->conn, 1000));
    expect_rc(t, ticket_delete(&t->cx, t->conn, 1000), SM_NOTFOUND);
    assert_int_equal(tdb_count(t, "ticket"), 8);
}

static void test_only_key(void **state)
{
    (void)state;
    tdb_each(corners_create_all, only_key);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_patches),
        cmocka_unit_test(test_key_not_patched),
        cmocka_unit_test(test_only_key),
    };
    return tdb_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
