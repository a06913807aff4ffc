/*
 * test_types.c: every type of alltypes' Everything round-trips exactly
 * through the generated insert, insert_many, update and get, on every
 * dialect: integer limits, doubles (DBL_MAX, the smallest subnormal, 0.1,
 * -0.0), decimals at their precision, text with quotes, backslashes,
 * emoji and 1 MB, all 256 byte values, empty text and bytes as opposed to
 * NULL, dates and datetimes at years 1 and 9999, times and datetimes with
 * microseconds, uuids, json text, every enum member, every nullable field
 * NULL.  Raw reads check that the database holds real values of its own
 * types, not just something the runtime can read back.
 *
 * The common range of dates and datetimes is 0001-01-01 to 9999-12-31
 * (23:59:59.999999): SQLite stores text, PostgreSQL goes from 4713 BC to
 * 5874897 AD (dates) and 294276 AD (timestamps) but has no year 0, and
 * MariaDB's DATE and DATETIME end at 9999 (it documents 1000 as the
 * start and stores 0001 fine).  Outside it, a value is either stored and
 * read back exactly or refused with an error: never silently changed.
 *
 * A float -0.0 reads back as 0.0 on SQLite and MariaDB: SQLite stores a
 * REAL with an integral value as an integer, whatever the column's
 * affinity, and MariaDB's DOUBLE stores -0 as 0; the sign of zero is
 * lost.  PostgreSQL keeps it.
 */
#include "everything.h"

static Everything get_everything(tdb *t, int64_t id)
{
    Everything e;
    expect_ok(t, everything_get(&t->cx, t->conn, id, &e, &t->arena));
    return e;
}

static void round_trip(tdb *t)
{
    Everything s[EVERYTHING_SAMPLES];
    everything_samples(t, s);
    for (int i = 0; i < EVERYTHING_SAMPLES; i++) {
        print_message("    sample %d\n", i);
        expect_ok(t, everything_insert(&t->cx, t->conn, &s[i]));
        assert_true(s[i].id > 0);
        Everything got = get_everything(t, s[i].id);
        assert_everything(t, &got, &s[i]);
    }

    /* Each row takes the next one's values through update. */
    for (int i = 0; i < EVERYTHING_SAMPLES; i++) {
        Everything u = s[(i + 1) % EVERYTHING_SAMPLES];
        u.id = s[i].id;
        expect_ok(t, everything_update(&t->cx, t->conn, &u));
        Everything got = get_everything(t, u.id);
        assert_everything(t, &got, &u);
    }
}

static void test_round_trip(void **state)
{
    (void)state;
    tdb_each(alltypes_create_all, round_trip);
}

static void round_trip_many(tdb *t)
{
    Everything s[EVERYTHING_SAMPLES];
    everything_samples(t, s);
    expect_ok(t, everything_insert_many(&t->cx, t->conn, s, EVERYTHING_SAMPLES));
    for (int i = 0; i < EVERYTHING_SAMPLES; i++) {
        assert_true(s[i].id > 0);
        Everything got = get_everything(t, s[i].id);
        assert_everything(t, &got, &s[i]);
    }
}

static void test_round_trip_many(void **state)
{
    (void)state;
    tdb_each(alltypes_create_all, round_trip_many);
}

/* ---- What the database holds ------------------------------------------------------- */

static int64_t count_where(tdb *t, const char *cond, const sm_value *p, size_t n)
{
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM \"everything\" WHERE %s", cond);
    return tdb_int(t, sql, p, n);
}

static void stored_forms(tdb *t)
{
    Everything s[EVERYTHING_SAMPLES];
    everything_samples(t, s);
    expect_ok(t, everything_insert_many(&t->cx, t->conn, s, EVERYTHING_SAMPLES));
    assert_int_equal(tdb_count(t, "everything"), EVERYTHING_SAMPLES);

    /* Integers are integers, compared by the database. */
    sm_value v = sm_int(INT64_MIN);
    assert_int_equal(count_where(t, "\"i\" = ?", &v, 1), 1);
    assert_int_equal(count_where(t, "\"ni\" = ?", &v, 1), 1);
    v = sm_int(INT16_MAX);
    assert_int_equal(count_where(t, "\"i16v\" = ?", &v, 1), 1);
    assert_int_equal(count_where(t, "\"i16v\" < 0", NULL, 0), 2);
    /* Dates, times, datetimes and uuids compare with their text form. */
    v = sm_text("9999-12-31");
    assert_int_equal(count_where(t, "\"dt\" = ?", &v, 1), 1);
    assert_int_equal(count_where(t, "\"ndt\" = ?", &v, 1), 1);
    v = sm_text("0001-01-01");
    assert_int_equal(count_where(t, "\"dt\" = ?", &v, 1), 1);
    v = sm_text("2000-02-29");
    assert_int_equal(count_where(t, "\"dt\" = ?", &v, 1), 1);
    v = sm_text("2024-01-02 03:04:05.000006");
    assert_int_equal(count_where(t, "\"ts\" = ?", &v, 1), 1);
    v = sm_text("12:34:56.789012");
    assert_int_equal(count_where(t, "\"tm\" = ?", &v, 1), 1);
    v = sm_text("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
    assert_int_equal(count_where(t, "\"u\" = ?", &v, 1), 1);
    /* Datetimes are ordered in time, across the epoch and the years. */
    assert_int_equal(count_where(t, "\"ts\" < \"nts\"", NULL, 0), 2);
    /* Enums are their member names. */
    assert_int_equal(count_where(t, "\"c\" = 'blue'", NULL, 0), 2);
    assert_int_equal(count_where(t, "\"nc\" = 'green'", NULL, 0), 1);
    /* A decimal is a number of the database: SQLite keeps it scaled. */
    if (t->d == SM_SQLITE)
        assert_int_equal(count_where(t, "\"d\" = 999999999999999999", NULL, 0), 1);
    else
        assert_int_equal(count_where(t, "\"d\" = 99999999999999.9999", NULL, 0), 1);
    assert_int_equal(count_where(t, "\"nd\" < 0", NULL, 0), 2);
    /* Empty is not NULL. */
    assert_int_equal(count_where(t, "\"nt\" = ''", NULL, 0), 1);
    assert_int_equal(count_where(t, "\"nt\" IS NULL", NULL, 0), 1);
    assert_int_equal(count_where(t, "\"nby\" IS NULL", NULL, 0), 2);
    assert_int_equal(count_where(t, "\"nb\" IS NULL", NULL, 0), 1);
    assert_int_equal(count_where(t, "\"nb\" IS NOT NULL AND NOT \"nb\"", NULL, 0), 2);
    /* Bytes are bytes: all 256 values, and the 1 MB text in full. */
    v = sm_int(s[0].id);
    assert_int_equal(
        tdb_int(t,
                t->d == SM_POSTGRES
                    ? "SELECT octet_length(\"by\") FROM \"everything\" WHERE \"id\" = ?"
                    : "SELECT length(\"by\") FROM \"everything\" WHERE \"id\" = ?",
                &v, 1),
        256);
    v = sm_int(s[2].id);
    assert_int_equal(tdb_int(t,
                             t->d == SM_MYSQL
                                 ? "SELECT char_length(\"t\") FROM \"everything\" WHERE \"id\" = ?"
                                 : "SELECT length(\"t\") FROM \"everything\" WHERE \"id\" = ?",
                             &v, 1),
                     80660 * 7);
    /* json text is kept as written. */
    v = sm_int(s[4].id);
    assert_string_equal(tdb_text(t, "SELECT \"j\" FROM \"everything\" WHERE \"id\" = ?", &v, 1),
                        "{\"theme\": \"dark\"}");
}

static void test_stored_forms(void **state)
{
    (void)state;
    tdb_each(alltypes_create_all, stored_forms);
}

/* ---- Outside the common range -------------------------------------------------------- */

/* Inserts e, whose field `field` holds a date outside 0001-9999: it is
 * refused before any SQL with one out_of_range error at that field, on
 * every database, and nothing is stored. */
static void refused_out_of_range(tdb *t, Everything *e, const char *field)
{
    int64_t before = tdb_count(t, "everything");
    assert_int_equal(everything_insert(&t->cx, t->conn, e), SM_INVALID);
    const sm_errors *errs = sm_cx_errors(&t->cx);
    assert_int_equal(errs->len, 1);
    assert_string_equal(errs->items[0].path, field);
    assert_string_equal(errs->items[0].code, "out_of_range");
    assert_int_equal(e->id, 0);
    assert_int_equal(tdb_count(t, "everything"), before);
}

static void outside_range(tdb *t)
{
    static const struct {
        int32_t y, m, d;
        bool datetime;
    } cases[] = {
        {10000, 1, 1, false}, {10000, 1, 1, true}, {0, 12, 31, false},
        {0, 12, 31, true},    {-44, 3, 15, false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        Everything e = EVERYTHING_INIT;
        e.t = "x";
        e.j = "1";
        sm_date day = sm_date_from_ymd(cases[i].y, cases[i].m, cases[i].d);
        if (cases[i].datetime)
            e.ts = (sm_datetime)day * INT64_C(86400000000);
        else
            e.dt = day;
        refused_out_of_range(t, &e, cases[i].datetime ? "ts" : "dt");
    }
    /* The edges themselves are stored and read back exactly. */
    Everything e = EVERYTHING_INIT;
    e.t = "x";
    e.j = "1";
    e.dt = sm_date_from_ymd(9999, 12, 31);
    e.ts = (sm_datetime)sm_date_from_ymd(1, 1, 1) * INT64_C(86400000000);
    assert_int_equal(everything_insert(&t->cx, t->conn, &e), SM_OK);
    Everything got;
    assert_int_equal(everything_get(&t->cx, t->conn, e.id, &got, &t->arena), SM_OK);
    assert_everything(t, &got, &e);
}

static void test_outside_range(void **state)
{
    (void)state;
    tdb_each(alltypes_create_all, outside_range);
}

/* ---- Values the model cannot hold -------------------------------------------------------- */

/* The server refused value for column, of the SQL type type, as out of
 * range (22003): PostgreSQL names the value and type, MariaDB the
 * column. */
static void expect_out_of_range(tdb *t, int rc, const char *column, const char *value,
                                const char *type)
{
    char want[128];
    if (t->d == SM_POSTGRES)
        snprintf(want, sizeof want, "value \"%s\" is out of range for type %s [22003]", value,
                 type);
    else
        snprintf(want, sizeof want, "Out of range value for column '%s' at row 1 (error 1264",
                 column);
    expect_rc(t, rc, SM_ERROR);
    if (!strstr(sm_cx_errmsg(&t->cx), want))
        fail_msg("on %s: want '%s', got: %s", t->name, want, sm_cx_errmsg(&t->cx));
}

/* A row written by someone else with a value the struct cannot hold: the
 * database refuses it, or _get reports it; it is never truncated. */
static void unreadable(tdb *t)
{
    const char *ins = "INSERT INTO \"everything\" (\"id\", \"b\", \"i\", \"i32v\", \"i16v\", \"f\", "
                      "\"d\", \"t\", \"by\", \"dt\", \"tm\", \"ts\", \"u\", \"j\", \"c\") VALUES "
                      "(?, ?, 1, ?, ?, 1.5, 0, 'x', ?, '2024-01-02', '03:04:05', "
                      "'2024-01-02 03:04:05', '00000000-0000-0000-0000-000000000000', '1', 'red')";
    sm_value p[5] = {sm_int(1), sm_bool(true), sm_int(1), sm_int(40000), sm_blob("", 0)};
    int rc = tdb_exec(t, ins, p, 5);
    Everything e;
    if (t->d == SM_SQLITE) {
        /* SQLite's INTEGER takes it; the generated _get refuses it. */
        expect_ok(t, rc);
        expect_rc(t, everything_get(&t->cx, t->conn, 1, &e, &t->arena), SM_ERROR);
        assert_non_null(strstr(sm_cx_errmsg(&t->cx), "i16v"));
        static const Everything zero;
        assert_memory_equal(&e, &zero, sizeof e);
    } else {
        expect_out_of_range(t, rc, "i16v", "40000", "smallint");
    }
    p[0] = sm_int(2);
    p[2] = sm_int(INT64_C(3000000000));
    p[3] = sm_int(1);
    rc = tdb_exec(t, ins, p, 5);
    if (t->d == SM_SQLITE) {
        expect_ok(t, rc);
        expect_rc(t, everything_get(&t->cx, t->conn, 2, &e, &t->arena), SM_ERROR);
        assert_non_null(strstr(sm_cx_errmsg(&t->cx), "i32v"));
    } else {
        expect_out_of_range(t, rc, "i32v", "3000000000", "integer");
    }
    /* A row that fits the model reads back through the generated code. */
    p[0] = sm_int(3);
    p[2] = sm_int(7);
    expect_ok(t, tdb_exec(t, ins, p, 5));
    e = (Everything)EVERYTHING_INIT;
    expect_ok(t, everything_get(&t->cx, t->conn, 3, &e, &t->arena));
    assert_true(e.b);
    assert_int_equal(e.i32v, 7);
    assert_int_equal(e.i16v, 1);
    assert_int_equal(e.tm, INT64_C(11045000000));
    assert_int_equal(e.dt, sm_date_from_ymd(2024, 1, 2));
    assert_int_equal(e.by.len, 0);
}

static void test_unreadable(void **state)
{
    (void)state;
    tdb_each(alltypes_create_all, unreadable);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_round_trip_many),
        cmocka_unit_test(test_stored_forms),
        cmocka_unit_test(test_outside_range),
        cmocka_unit_test(test_unreadable),
    };
    return tdb_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
