/*
 * qtest.c: the seeded world and the checks of the query tests (qtest.h).
 */
#include "qtest.h"

#include <inttypes.h>

const qt_team qt_teams[QT_NTEAMS] = {
    {"Preventers", "Sharp Tower", true, 100000000},
    {"Z-Force", "Sister Margaret's Bar", false, 0},
    /* No hero belongs to it: aggregates over an empty group. */
    {"Empty Nest", "under_score", true, 5000},
};

const qt_hero qt_heroes[QT_NHEROES] = {
    {"Deadpond", "Dive Wilson", false, 0, POWER_FLIGHT, true, 4.5, true, 100000, 2},
    {"Spider-Boy", "Pedro Parqueador", false, 0, POWER_SPEED, false, 0, false, 0, 1},
    {"Rusty-Man", "Tommy Sharp", true, 48, POWER_STRENGTH, true, 3.0, true, 250050, 1},
    {"Tarantula", "Natalia Roman-on", true, 32, POWER_SPEED, true, 4.0, false, 0, 0},
    {"Black Lion", "Trevor Challa", true, 35, POWER_STRENGTH, false, 0, true, 120025, 0},
    {"Dr. Weird", "Steve Weird", true, 36, POWER_TELEPATHY, true, 2.5, true, 80000, 2},
    {"Captain North America", "Esteban Rogelios", true, 93, POWER_FLIGHT, true, 5.0, true,
     300000, 1},
    /* 11 characters in 14 bytes; 5 characters in 15 bytes. */
    {"Se\xc3\xb1or \xc3\x91\x61nd\xc3\xba", "\xe6\x9d\xb1\xe4\xba\xac\xe3\x82\xbf\xe3\x83\xaf"
                                           "\xe3\x83\xbc",
     true, 27, POWER_SPEED, true, 3.5, true, 99999, 0},
    /* A '%' and a '_' for LIKE's escape; the secret name is a team's HQ. */
    {"Mr. 100%", "under_score", true, 41, POWER_TELEPATHY, false, 0, false, 0, 0},
};

void qt_seed(tdb *t)
{
    for (int i = 0; i < QT_NTEAMS; i++) {
        Team tm = TEAM_INIT;
        tm.name = qt_teams[i].name;
        tm.headquarters = qt_teams[i].hq;
        tm.has_budget = qt_teams[i].has_budget;
        tm.budget = qt_teams[i].budget;
        TDB_MUST(t, team_insert(&t->cx, t->conn, &tm));
        if (!QT_INT(t, tm.id, i + 1))
            longjmp(t->stop, 1);
    }
    for (int i = 0; i < QT_NHEROES; i++) {
        Hero h = qt_hero_row(0);
        const qt_hero *s = &qt_heroes[i];
        h.name = s->name;
        h.secret_name = s->secret;
        h.has_age = s->has_age;
        h.age = s->age;
        h.power = s->power;
        h.has_rating = s->has_rating;
        h.rating = s->rating;
        h.has_salary = s->has_salary;
        h.salary = s->salary;
        h.has_team_id = s->team != 0;
        h.team_id = s->team;
        TDB_MUST(t, hero_insert(&t->cx, t->conn, &h));
        if (!QT_INT(t, h.id, i + 1))
            longjmp(t->stop, 1);
    }
}

Hero qt_hero_row(int64_t id)
{
    Hero h = HERO_INIT;
    if (id < 1 || id > QT_NHEROES)
        return h;
    const qt_hero *s = &qt_heroes[id - 1];
    h.id = id;
    h.name = s->name;
    h.secret_name = s->secret;
    h.has_age = s->has_age;
    h.age = s->has_age ? s->age : 0;
    h.power = s->power;
    h.has_rating = s->has_rating;
    h.rating = s->has_rating ? s->rating : 0;
    h.has_salary = s->has_salary;
    h.salary = s->has_salary ? s->salary : 0;
    h.has_team_id = s->team != 0;
    h.team_id = s->team;
    return h;
}

/* ---- Checks ---------------------------------------------------------------- */

/* Parses "1 5 9" into ids; returns the count (at most cap). */
static size_t parse_ids(const char *want, int64_t *ids, size_t cap)
{
    size_t n = 0;
    for (const char *p = want; *p && n < cap;) {
        char *end;
        long long v = strtoll(p, &end, 10);
        if (end == p)
            break;
        ids[n++] = v;
        p = end;
    }
    return n;
}

/* "1 5 9" of what came back, for messages. */
static void format_ids(char *buf, size_t size, const int64_t *ids, size_t n)
{
    size_t used = 0;
    buf[0] = 0;
    for (size_t i = 0; i < n && used < size; i++)
        used += (size_t)snprintf(buf + used, size - used, "%s%" PRId64, i ? " " : "", ids[i]);
}

enum { MAX_IDS = 64 };

static bool check_ids(tdb *t, const char *file, int line, const char *what, const int64_t *got,
                      size_t n, const char *want)
{
    int64_t ids[MAX_IDS];
    size_t m = parse_ids(want, ids, MAX_IDS);
    bool same = n == m;
    for (size_t i = 0; same && i < n; i++)
        same = got[i] == ids[i];
    char shown[512];
    format_ids(shown, sizeof shown, got, n < MAX_IDS ? n : MAX_IDS);
    return tdb_check(t, file, line, what, same, "ids [%s], want [%s]", shown, want);
}

bool qt_check_refs(tdb *t, const char *file, int line, const char *what, const HeroRef *refs,
                   size_t n, const char *want)
{
    int64_t got[MAX_IDS] = {0};
    size_t k = n < MAX_IDS ? n : MAX_IDS;
    if (!tdb_check(t, file, line, what, n == 0 || refs, "%zu rows but no items", n))
        return false;
    for (size_t i = 0; i < k; i++)
        got[i] = refs[i].id;
    if (!check_ids(t, file, line, what, got, n, want))
        return false;
    bool ok = true;
    for (size_t i = 0; i < k; i++) {
        Hero h = qt_hero_row(refs[i].id);
        ok &= tdb_check_str(t, file, line, what, refs[i].name, h.name);
    }
    return ok;
}

bool qt_check_hero(tdb *t, const char *file, int line, const char *what, const Hero *got,
                   const Hero *want)
{
    bool ok = tdb_check_int(t, file, line, what, got->id, want->id);
    ok &= tdb_check_str(t, file, line, what, got->name, want->name);
    ok &= tdb_check_str(t, file, line, what, got->secret_name, want->secret_name);
    ok &= tdb_check(t, file, line, what, got->has_age == want->has_age && got->age == want->age,
                    "hero %" PRId64 " age %s%" PRId64 ", want %s%" PRId64, want->id,
                    got->has_age ? "" : "NULL/", got->age, want->has_age ? "" : "NULL/", want->age);
    ok &= tdb_check(t, file, line, what, got->power == want->power,
                    "hero %" PRId64 " power %d, want %d", want->id, (int)got->power,
                    (int)want->power);
    ok &= tdb_check(
        t, file, line, what, got->has_rating == want->has_rating && got->rating == want->rating,
        "hero %" PRId64 " rating %s%g, want %s%g", want->id, got->has_rating ? "" : "NULL/",
        got->rating, want->has_rating ? "" : "NULL/", want->rating);
    ok &= tdb_check(
        t, file, line, what, got->has_salary == want->has_salary && got->salary == want->salary,
        "hero %" PRId64 " salary %s%" PRId64 ", want %s%" PRId64, want->id,
        got->has_salary ? "" : "NULL/", got->salary, want->has_salary ? "" : "NULL/", want->salary);
    ok &= tdb_check(t, file, line, what,
                    got->has_team_id == want->has_team_id && got->team_id == want->team_id,
                    "hero %" PRId64 " team %s%" PRId64 ", want %s%" PRId64, want->id,
                    got->has_team_id ? "" : "NULL/", got->team_id, want->has_team_id ? "" : "NULL/",
                    want->team_id);
    ok &= tdb_check(t, file, line, what, got->team == NULL, "a relationship was filled");
    return ok;
}

bool qt_check_heroes(tdb *t, const char *file, int line, const char *what, const Hero *heroes,
                     size_t n, const char *want)
{
    int64_t got[MAX_IDS] = {0};
    size_t k = n < MAX_IDS ? n : MAX_IDS;
    if (!tdb_check(t, file, line, what, n == 0 || heroes, "%zu rows but no items", n))
        return false;
    for (size_t i = 0; i < k; i++)
        got[i] = heroes[i].id;
    if (!check_ids(t, file, line, what, got, n, want))
        return false;
    bool ok = true;
    for (size_t i = 0; i < k; i++) {
        Hero h = qt_hero_row(heroes[i].id);
        ok &= qt_check_hero(t, file, line, what, &heroes[i], &h);
    }
    return ok;
}
