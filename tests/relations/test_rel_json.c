/*
 * test_rel_json.c: the FastAPI tutorial's response models from loaded
 * relationships, and deletes that a foreign key restricts, on every
 * dialect.  A Team loaded with its heroes converts to
 * TeamPublicWithHeroes (nested lists in the arena) and encodes to the
 * expected JSON byte for byte; a relationship that was not loaded is
 * SM_MISUSE; deleting a team that heroes still refer to is
 * SM_CONSTRAINT naming the foreign key, its table and its columns.
 */
#include "seed.h"

static void response_models_body(tdb *t)
{
    seed(t);
    Team team;
    TDB_MUST(t, team_get(&t->cx, t->conn, 1, &team, &t->arena));
    TeamPublicWithHeroes pub;
    /* heroes not loaded: the conversion cannot fill them */
    assert_int_equal(team_public_with_heroes_from_team(&team, &pub, &t->arena), SM_MISUSE);

    TDB_MUST(t, team_with_heroes(&t->cx, t->conn, 1, &team, &t->arena));
    expect_ok(t, team_public_with_heroes_from_team(&team, &pub, &t->arena));
    sm_buf_reset(&t->buf);
    expect_ok(t, team_public_with_heroes_to_json(&pub, &t->buf));
    assert_string_equal(t->buf.data,
                        "{\"name\":\"Preventers\",\"headquarters\":\"Sharp Tower\",\"id\":1,"
                        "\"heroes\":["
                        "{\"name\":\"Rusty-Man\",\"secret_name\":\"Tommy Sharp\","
                        "\"age\":48,\"team_id\":1,\"id\":2},"
                        "{\"name\":\"Spider-Boy\",\"secret_name\":\"Pedro Parqueador\","
                        "\"age\":null,\"team_id\":1,\"id\":3}]}");

    /* A team without heroes: an empty array. */
    TDB_MUST(t, team_with_heroes(&t->cx, t->conn, 3, &team, &t->arena));
    expect_ok(t, team_public_with_heroes_from_team(&team, &pub, &t->arena));
    sm_buf_reset(&t->buf);
    expect_ok(t, team_public_with_heroes_to_json(&pub, &t->buf));
    assert_string_equal(t->buf.data, "{\"name\":\"Wakaland\","
                                     "\"headquarters\":\"Wakaland Capital City\",\"id\":3,"
                                     "\"heroes\":[]}");

    /* To-one: a hero with its team, and one without. */
    Hero_list heroes;
    TDB_MUST(t, heroes_with_team(&t->cx, t->conn, &heroes, &t->arena));
    sm_buf_reset(&t->buf);
    for (size_t i = 0; i < heroes.len; i += 3) { /* Deadpond and Tarantula */
        HeroPublicWithTeam h;
        expect_ok(t, hero_public_with_team_from_hero(&heroes.items[i], &h, &t->arena));
        expect_ok(t, hero_public_with_team_to_json(&h, &t->buf));
    }
    assert_string_equal(t->buf.data,
                        "{\"name\":\"Deadpond\",\"secret_name\":\"Dive Wilson\","
                        "\"age\":null,\"team_id\":2,\"id\":1,\"team\":{\"name\":\"Z-Force\","
                        "\"headquarters\":\"Sister Margaret's Bar\",\"id\":2}}"
                        "{\"name\":\"Tarantula\",\"secret_name\":\"Natalia Roman-on\","
                        "\"age\":32,\"team_id\":null,\"id\":4,\"team\":null}");
    Hero h;
    TDB_MUST(t, hero_get(&t->cx, t->conn, 1, &h, &t->arena));
    HeroPublicWithTeam hp;
    assert_int_equal(hero_public_with_team_from_hero(&h, &hp, &t->arena), SM_MISUSE);
}

static void response_models(void **state)
{
    (void)state;
    tdb_each(rel_shapes_create_all, response_models_body);
}

static void restricted_delete_body(tdb *t)
{
    seed(t);
    /* Heroes 2 and 3 refer to the Preventers (on_delete: restrict). */
    expect_rc(t, team_delete(&t->cx, t->conn, 1), SM_CONSTRAINT);
    const sm_constraint *c = sm_cx_constraint(&t->cx);
    assert_int_equal(c->kind, SM_CK_FK);
    assert_non_null(c->name);
    assert_string_equal(c->name, "fk_hero_team_id");
    assert_non_null(c->table);
    assert_string_equal(c->table, "hero");
    assert_non_null(c->columns);
    assert_string_equal(c->columns, "team_id");
    assert_int_equal(tdb_count(t, "team"), 3); /* nothing deleted */

    /* The links cascade: deleting a hero deletes its links, and a team
     * nobody refers to goes. */
    expect_ok(t, hero_delete(&t->cx, t->conn, 4));
    expect_ok(t, team_delete(&t->cx, t->conn, 3));
    expect_ok(t, hero_delete(&t->cx, t->conn, 1));
    assert_int_equal(tdb_count(t, "hero_team_link"), 1);
}

static void restricted_delete(void **state)
{
    (void)state;
    tdb_each(rel_shapes_create_all, restricted_delete_body);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(response_models),
        cmocka_unit_test(restricted_delete),
    };
    return tdb_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
