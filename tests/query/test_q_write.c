/*
 * test_q_write.c: writing queries on every dialect: insert, update with
 * optional set items, delete, upserts (`on conflict ... do update` with
 * excluded, and `do nothing`), `returning` on each (emulated on MySQL:
 * the rows must be the same as elsewhere), affected counts.
 */
#include "qtest.h"

#define SCRIBBLE(obj) memset(&(obj), 0xA5, sizeof(obj))

/* The hero as the database has it now. */
static bool load(tdb *t, int64_t id, Hero *h)
{
    return QT_OK(t, hero_get(&t->cx, t->conn, id, h, &t->arena));
}

static void inserts(tdb *t)
{
    int64_t affected = -1;
    qt_seed(t);
    QT_OK(t, add_team(&t->cx, t->conn, "Avengers", "Tower", &affected));
    QT_INT(t, affected, 1);

    /* returning Hero: every column, defaults included, as the database
     * stored them. */
    Hero h, stored;
    int64_t age = 20, team = 3;
    SCRIBBLE(h);
    if (QT_OK(t, add_hero(&t->cx, t->conn, "Kid Flash", "Wally West", &age, &team, &h,
                          &t->arena))) {
        Hero want = HERO_INIT;
        want.id = QT_NHEROES + 1;
        want.name = "Kid Flash";
        want.secret_name = "Wally West";
        want.has_age = true;
        want.age = 20;
        want.has_team_id = true;
        want.team_id = 3;
        QT_HERO(t, &h, &want);
        if (load(t, h.id, &stored))
            QT_HERO(t, &stored, &want);
    }
    /* NULL arguments are NULL columns. */
    if (QT_OK(t, add_hero(&t->cx, t->conn, "Nobody", "N. N.", NULL, NULL, &h, &t->arena))) {
        Hero want = HERO_INIT;
        want.id = QT_NHEROES + 2;
        want.name = "Nobody";
        want.secret_name = "N. N.";
        QT_HERO(t, &h, &want);
    }
    /* A failed insert returns nothing. */
    team = 99;
    SCRIBBLE(h);
    QT_RC(t, add_hero(&t->cx, t->conn, "Ghost", "G", NULL, &team, &h, &t->arena), SM_CONSTRAINT);
    QT_ZERO(t, h);
    /* An enum literal among the values; returning two columns. */
    HeroRef r;
    if (QT_OK(t, add_hero_ref(&t->cx, t->conn, "Psylocke", "Betsy", &r, &t->arena))) {
        /* Past the two before (the failed insert used up an id on some
         * databases, not on SQLite). */
        QT_TRUE(t, r.id > QT_NHEROES + 2);
        QT_STR(t, r.name, "Psylocke");
        if (load(t, r.id, &stored))
            QT_INT(t, stored.power, POWER_TELEPATHY);
    }
}

static void updates(tdb *t)
{
    int64_t affected;
    Hero h;
    qt_seed(t);
    /* Every combination of the optional set items on hero 4; with none
     * the row still matches. */
    for (unsigned mask = 0; mask < 8; mask++) {
        char name[32];
        int64_t age = 100 + mask;
        double rating = mask + 0.25;
        snprintf(name, sizeof name, "Tarantula %u", mask);
        Hero before;
        if (!load(t, 4, &before))
            continue;
        affected = -1;
        QT_OK(t, patch_hero(&t->cx, t->conn, 4, mask & 1 ? name : NULL, mask & 2 ? &age : NULL,
                            mask & 4 ? &rating : NULL, &affected));
        QT_INT(t, affected, 1);
        Hero want = before;
        if (mask & 1)
            want.name = name;
        if (mask & 2)
            want.age = age, want.has_age = true;
        if (mask & 4)
            want.rating = rating, want.has_rating = true;
        if (load(t, 4, &h))
            QT_HERO(t, &h, &want);
    }
    affected = -1;
    QT_OK(t, patch_hero(&t->cx, t->conn, 99, "x", NULL, NULL, &affected));
    QT_INT(t, affected, 0);
    QT_OK(t, patch_hero(&t->cx, t->conn, 99, NULL, NULL, NULL, &affected));
    QT_INT(t, affected, 0);

    /* A nullable parameter without `?` writes NULL. */
    int64_t age = 50;
    QT_OK(t, set_age(&t->cx, t->conn, 5, &age, &affected));
    QT_INT(t, affected, 1);
    if (load(t, 5, &h))
        QT_TRUE(t, h.has_age && h.age == 50);
    QT_OK(t, set_age(&t->cx, t->conn, 5, NULL, &affected));
    QT_INT(t, affected, 1);
    if (load(t, 5, &h))
        QT_TRUE(t, !h.has_age);
}

static void update_returning(tdb *t)
{
    HeroRef r;
    HeroAge_list l;
    qt_seed(t);
    if (QT_OK(t, rename_hero(&t->cx, t->conn, 3, "Rusty-Woman", &r, &t->arena))) {
        QT_INT(t, r.id, 3);
        QT_STR(t, r.name, "Rusty-Woman");
    }
    SCRIBBLE(r);
    QT_RC(t, rename_hero(&t->cx, t->conn, 99, "Nobody", &r, &t->arena), SM_NOTFOUND);
    QT_ZERO(t, r);

    /* Several rows: their order is the database's, so sort by id. */
    if (QT_OK(t, age_team(&t->cx, t->conn, 1, &l, &t->arena)) && QT_INT(t, l.len, 3)) {
        for (size_t i = 1; i < l.len; i++)
            for (size_t j = i; j > 0 && l.items[j - 1].id > l.items[j].id; j--) {
                HeroAge tmp = l.items[j];
                l.items[j] = l.items[j - 1];
                l.items[j - 1] = tmp;
            }
        static const struct {
            int64_t id;
            const char *name;
            bool has_age;
            int64_t age;
        } want[] = {{2, "Spider-Boy", false, 0}, {3, "Rusty-Woman", true, 58},
                    {7, "Captain North America", true, 103}};
        for (size_t i = 0; i < 3; i++) {
            QT_INT(t, l.items[i].id, want[i].id);
            QT_STR(t, l.items[i].name, want[i].name);
            QT_INT(t, l.items[i].has_age, want[i].has_age);
            QT_INT(t, l.items[i].age, want[i].age);
        }
    }
    /* No row matched: an empty list, not an error. */
    SCRIBBLE(l);
    QT_OK(t, age_team(&t->cx, t->conn, 3, &l, &t->arena));
    QT_TRUE(t, l.items == NULL && l.len == 0);
}

static void deletes(tdb *t)
{
    HeroRef_list l;
    int64_t affected, n;
    Hero h;
    qt_seed(t);
    /* returning the deleted rows (ages 48, 93, 41). */
    if (QT_OK(t, delete_older(&t->cx, t->conn, 40, &l, &t->arena))) {
        for (size_t i = 1; i < l.len; i++)
            for (size_t j = i; j > 0 && l.items[j - 1].id > l.items[j].id; j--) {
                HeroRef tmp = l.items[j];
                l.items[j] = l.items[j - 1];
                l.items[j - 1] = tmp;
            }
        QT_REFS(t, l, "3 7 9");
    }
    QT_OK(t, count_heroes(&t->cx, t->conn, &n));
    QT_INT(t, n, 6);
    QT_OK(t, delete_older(&t->cx, t->conn, 40, &l, &t->arena));
    QT_REFS(t, l, "");
    /* Deleting Z-Force sets its heroes' team_id to NULL. */
    QT_OK(t, delete_team(&t->cx, t->conn, 2, &affected));
    QT_INT(t, affected, 1);
    if (load(t, 1, &h))
        QT_TRUE(t, !h.has_team_id);
    if (load(t, 6, &h))
        QT_TRUE(t, !h.has_team_id);
    QT_OK(t, delete_team(&t->cx, t->conn, 2, &affected));
    QT_INT(t, affected, 0);
}

static bool tally_is(tdb *t, const Tally *got, const char *name, int64_t hits, const char *note)
{
    bool ok = QT_STR(t, got->name, name);
    ok &= QT_INT(t, got->hits, hits);
    ok &= QT_STR(t, got->note, note);
    return ok;
}

static void upserts(tdb *t)
{
    Tally tl;
    int64_t affected;
    /* do update with excluded, returning the row as it is after. */
    if (QT_OK(t, bump(&t->cx, t->conn, "a", 1, &tl, &t->arena)))
        tally_is(t, &tl, "a", 1, NULL);
    if (QT_OK(t, bump(&t->cx, t->conn, "a", 5, &tl, &t->arena)))
        tally_is(t, &tl, "a", 6, NULL);
    if (QT_OK(t, tally_get(&t->cx, t->conn, "a", &tl, &t->arena)))
        tally_is(t, &tl, "a", 6, NULL);

    /* One row inserted, then one row updated: 1 each time. */
    affected = -1;
    QT_OK(t, bump_exec(&t->cx, t->conn, "b", 3, "x", &affected));
    QT_INT(t, affected, 1);
    affected = -1;
    QT_OK(t, bump_exec(&t->cx, t->conn, "b", 4, NULL, &affected));
    QT_INT(t, affected, 1);
    if (QT_OK(t, tally_get(&t->cx, t->conn, "b", &tl, &t->arena)))
        tally_is(t, &tl, "b", 4, NULL);
    /* Updated to the values it has: it still counts. */
    affected = -1;
    QT_OK(t, bump_exec(&t->cx, t->conn, "b", 4, NULL, &affected));
    QT_INT(t, affected, 1);

    /* do nothing: the second insert changes nothing and counts nothing. */
    QT_OK(t, tally_once(&t->cx, t->conn, "c", 1, &affected));
    QT_INT(t, affected, 1);
    QT_OK(t, tally_once(&t->cx, t->conn, "c", 9, &affected));
    QT_INT(t, affected, 0);
    if (QT_OK(t, tally_get(&t->cx, t->conn, "c", &tl, &t->arena)))
        tally_is(t, &tl, "c", 1, NULL);

    /* do nothing ... returning: the new row, then no row at all. */
    if (QT_OK(t, tally_once_returning(&t->cx, t->conn, "d", 2, &tl, &t->arena)))
        tally_is(t, &tl, "d", 2, NULL);
    SCRIBBLE(tl);
    QT_RC(t, tally_once_returning(&t->cx, t->conn, "d", 7, &tl, &t->arena), SM_NOTFOUND);
    QT_ZERO(t, tl);
    if (QT_OK(t, tally_get(&t->cx, t->conn, "d", &tl, &t->arena)))
        tally_is(t, &tl, "d", 2, NULL);

    QT_OK(t, delete_all_tallies(&t->cx, t->conn, &affected));
    QT_INT(t, affected, 4);
    QT_OK(t, delete_all_tallies(&t->cx, t->conn, &affected));
    QT_INT(t, affected, 0);
}

/* RETURNING's emulation runs in its own transaction, or a savepoint
 * inside the caller's: a rollback takes the write back. */
static void returning_in_transaction(tdb *t)
{
    HeroRef r;
    Hero h;
    qt_seed(t);
    QT_OK(t, sm_begin(&t->cx, t->conn));
    if (QT_OK(t, rename_hero(&t->cx, t->conn, 4, "Tarantella", &r, &t->arena)))
        QT_STR(t, r.name, "Tarantella");
    QT_OK(t, sm_rollback(&t->cx, t->conn));
    if (load(t, 4, &h))
        QT_STR(t, h.name, "Tarantula");
    QT_TRUE(t, !sm_in_transaction(t->conn));
}

static void test_inserts(void **state)
{
    (void)state;
    tdb_each(queries_create_all, inserts);
}

static void test_updates(void **state)
{
    (void)state;
    tdb_each(queries_create_all, updates);
}

static void test_update_returning(void **state)
{
    (void)state;
    tdb_each(queries_create_all, update_returning);
}

static void test_deletes(void **state)
{
    (void)state;
    tdb_each(queries_create_all, deletes);
}

static void test_upserts(void **state)
{
    (void)state;
    tdb_each(queries_create_all, upserts);
}

static void test_returning_in_transaction(void **state)
{
    (void)state;
    tdb_each(queries_create_all, returning_in_transaction);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_inserts),
        cmocka_unit_test(test_updates),
        cmocka_unit_test(test_update_returning),
        cmocka_unit_test(test_deletes),
        cmocka_unit_test(test_upserts),
        cmocka_unit_test(test_returning_in_transaction),
    };
    return tdb_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
