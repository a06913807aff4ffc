/*
 * everything.c: sample Everything rows at the limits of every type, and
 * their exact comparison (everything.h).
 */
#include "everything.h"

#include <float.h>

#define US_PER_DAY INT64_C(86400000000)

static sm_datetime at(int y, int mo, int d, int64_t us_of_day)
{
    return (sm_datetime)sm_date_from_ymd(y, mo, d) * US_PER_DAY + us_of_day;
}

static sm_uuid uuid_of(const char *s)
{
    sm_uuid u;
    assert_int_equal(sm_uuid_parse(s, strlen(s), &u), SM_OK);
    return u;
}

/* Text that tempts every layer: quotes of all three dialects, escapes,
 * placeholders, comment starts, 2-, 3- and 4-byte UTF-8. */
static const char hostile_text[] =
    "it's \"quoted\" `back` \\ \\\\ \\' ? ?? $1 :p -- /* */ ; \t\n\r "
    "caf\xc3\xa9 \xe4\xb8\xad\xe6\x96\x87 \xf0\x9f\x98\x80\xf0\x9f\x8e\x89 end";

static sm_bytes all_bytes(tdb *t)
{
    uint8_t *b = sm_arena_alloc(&t->arena, 256);
    assert_non_null(b);
    for (int i = 0; i < 256; i++)
        b[i] = (uint8_t)(255 - i);
    return (sm_bytes){b, 256};
}

/* The largest value of each type. */
static Everything sample_max(tdb *t)
{
    Everything e = EVERYTHING_INIT;
    e.b = true;
    e.i = INT64_MAX;
    e.i32v = INT32_MAX;
    e.i16v = INT16_MAX;
    e.f = DBL_MAX;
    e.d = INT64_C(999999999999999999); /* decimal(18,4): 99999999999999.9999 */
    e.t = hostile_text;
    e.by = all_bytes(t);
    e.dt = sm_date_from_ymd(9999, 12, 31);
    e.tm = US_PER_DAY - 1;
    e.ts = at(9999, 12, 31, US_PER_DAY - 1);
    e.u = uuid_of("ffffffff-ffff-ffff-ffff-ffffffffffff");
    e.j = "{\"k\": [1, 2.5, \"s\\u00e9\", null, true], \"nested\": {\"a\": {}}, \"e\": \"\xf0\x9f\x98\x80\"}";
    e.c = COLOR_BLUE;
    /* Nullable, set to the other extreme: a value, not NULL. */
    e.nb = false;
    e.has_nb = true;
    e.ni = INT64_MIN;
    e.has_ni = true;
    e.ni32 = INT32_MIN;
    e.has_ni32 = true;
    e.ni16 = INT16_MIN;
    e.has_ni16 = true;
    e.nf = -DBL_MAX;
    e.has_nf = true;
    e.nd = INT64_C(9999999999); /* decimal(10,2): 99999999.99 */
    e.has_nd = true;
    e.nt = ""; /* empty, not NULL */
    e.nby = (sm_bytes){(const uint8_t *)"", 0}; /* empty, not NULL */
    e.ndt = sm_date_from_ymd(1, 1, 1);
    e.has_ndt = true;
    e.ntm = 0;
    e.has_ntm = true;
    e.nts = at(1, 1, 1, 0);
    e.has_nts = true;
    assert_int_equal(sm_uuid_v4(&e.nu), SM_OK);
    e.has_nu = true;
    e.nj = "[]";
    e.nc = COLOR_RED;
    e.has_nc = true;
    return e;
}

/* The smallest value of each type. */
static Everything sample_min(tdb *t)
{
    (void)t;
    Everything e = EVERYTHING_INIT;
    e.b = false;
    e.i = INT64_MIN;
    e.i32v = INT32_MIN;
    e.i16v = INT16_MIN;
    e.f = 5e-324; /* the smallest subnormal */
    e.d = -INT64_C(999999999999999999);
    e.t = "";
    e.by = (sm_bytes){NULL, 0}; /* empty */
    e.dt = sm_date_from_ymd(1, 1, 1);
    e.tm = 0;
    e.ts = at(1, 1, 1, 0);
    memset(&e.u, 0, sizeof e.u);
    e.j = "null";
    e.c = COLOR_RED;
    e.nb = true;
    e.has_nb = true;
    e.ni = INT64_MAX;
    e.has_ni = true;
    e.ni32 = INT32_MAX;
    e.has_ni32 = true;
    e.ni16 = INT16_MAX;
    e.has_ni16 = true;
    e.nf = 1e308;
    e.has_nf = true;
    e.nd = -INT64_C(9999999999);
    e.has_nd = true;
    e.nt = "NULL"; /* the word, not the value */
    e.nby = (sm_bytes){(const uint8_t *)"\0", 1};
    e.ndt = sm_date_from_ymd(9999, 12, 31);
    e.has_ndt = true;
    e.ntm = US_PER_DAY - 1;
    e.has_ntm = true;
    e.nts = at(9999, 12, 31, US_PER_DAY - 1);
    e.has_nts = true;
    e.nu = uuid_of("ffffffff-ffff-ffff-ffff-ffffffffffff");
    e.has_nu = true;
    e.nj = "\"string\"";
    e.nc = COLOR_BLUE;
    e.has_nc = true;
    return e;
}

/* Around zero and the epoch; a 1 MB text. */
static Everything sample_zero(tdb *t)
{
    Everything e = EVERYTHING_INIT;
    e.b = true;
    e.i = -1;
    e.i32v = 0;
    e.i16v = -1;
    e.f = -0.0;
    e.d = 1; /* 0.0001 */
    /* 13 bytes a unit, 80660 units: 1 MB and a bit, of every width. */
    e.t = tdb_repeat(t, "a'\"\\\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 80660);
    uint8_t *b = sm_arena_alloc(&t->arena, 1000);
    assert_non_null(b);
    for (int i = 0; i < 1000; i++)
        b[i] = (uint8_t)(i * 7 + 3);
    e.by = (sm_bytes){b, 1000};
    e.dt = -1; /* 1969-12-31 */
    e.tm = INT64_C(45296789012); /* 12:34:56.789012 */
    e.ts = -1;                   /* 1969-12-31 23:59:59.999999 */
    assert_int_equal(sm_uuid_v4(&e.u), SM_OK);
    e.j = "{\"a\":1,\"b\":[true,false,null],\"c\":\"\\\"x\\\"\"}";
    e.c = COLOR_GREEN;
    e.nb = false;
    e.has_nb = true;
    e.ni = 0;
    e.has_ni = true;
    e.ni32 = 0;
    e.has_ni32 = true;
    e.ni16 = 0;
    e.has_ni16 = true;
    e.nf = 0.1;
    e.has_nf = true;
    e.nd = -1; /* -0.01 */
    e.has_nd = true;
    e.nt = "\xf0\x9f\x98\x80";
    e.nby = (sm_bytes){(const uint8_t *)"\xff\x00\xfe", 3};
    e.ndt = 0; /* 1970-01-01 */
    e.has_ndt = true;
    e.ntm = 1;
    e.has_ntm = true;
    e.nts = 0;
    e.has_nts = true;
    e.nu = uuid_of("00000000-0000-0000-0000-000000000001");
    e.has_nu = true;
    e.nj = "0";
    e.nc = COLOR_GREEN;
    e.has_nc = true;
    return e;
}

/* Every nullable field NULL. */
static Everything sample_nulls(tdb *t)
{
    (void)t;
    Everything e = EVERYTHING_INIT;
    e.i = 48;
    e.f = 0.1 + 0.2;
    e.t = "Rusty-Man";
    e.by = (sm_bytes){(const uint8_t *)"x", 1};
    e.dt = sm_date_from_ymd(2000, 2, 29);
    e.tm = INT64_C(43200000001);
    e.ts = at(2000, 2, 29, INT64_C(43200000001));
    e.u = uuid_of("123e4567-e89b-42d3-a456-426614174000");
    e.j = "{}";
    return e;
}

/* Ordinary values, as an application writes them. */
static Everything sample_plain(tdb *t)
{
    (void)t;
    Everything e = EVERYTHING_INIT;
    e.b = true;
    e.i = 1234567890123;
    e.i32v = -123456789;
    e.i16v = 12345;
    e.f = 3.141592653589793;
    e.d = 12345678; /* 1234.5678 */
    e.t = "Dive Wilson";
    e.by = (sm_bytes){(const uint8_t *)"\x01\x02\x03", 3};
    e.dt = sm_date_from_ymd(2024, 1, 2);
    e.tm = INT64_C(11045000006); /* 03:04:05.000006 */
    e.ts = at(2024, 1, 2, INT64_C(11045000006));
    e.u = uuid_of("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
    e.j = "{\"theme\": \"dark\"}";
    e.c = COLOR_BLUE;
    e.nb = true;
    e.has_nb = true;
    e.ni = -48;
    e.has_ni = true;
    e.nf = 2.5e-10;
    e.has_nf = true;
    e.nd = 1025; /* 10.25 */
    e.has_nd = true;
    e.nt = "Deadpond";
    e.ndt = sm_date_from_ymd(1999, 12, 31);
    e.has_ndt = true;
    e.nc = COLOR_RED;
    e.has_nc = true;
    return e;
}

void everything_samples(tdb *t, Everything out[EVERYTHING_SAMPLES])
{
    out[0] = sample_max(t);
    out[1] = sample_min(t);
    out[2] = sample_zero(t);
    out[3] = sample_nulls(t);
    out[4] = sample_plain(t);
}

static void text_eq(const char *what, const char *got, const char *want)
{
    if (!want) {
        if (got)
            fail_msg("%s: got '%.40s', want NULL", what, got);
        return;
    }
    if (!got)
        fail_msg("%s: got NULL, want '%.40s'", what, want);
    if (strcmp(got, want) != 0) {
        size_t i = 0;
        while (got[i] && got[i] == want[i])
            i++;
        fail_msg("%s differs at byte %zu of %zu/%zu", what, i, strlen(got), strlen(want));
    }
}

static void bytes_eq(const char *what, sm_bytes got, sm_bytes want, bool nullable)
{
    if (nullable && (got.data == NULL) != (want.data == NULL))
        fail_msg("%s: %s, want %s", what, got.data ? "bytes" : "NULL",
                 want.data ? "bytes" : "NULL");
    if (got.len != want.len)
        fail_msg("%s: %zu bytes, want %zu", what, got.len, want.len);
    if (want.len && memcmp(got.data, want.data, want.len) != 0)
        fail_msg("%s: the bytes differ", what);
}

static void double_eq(tdb *t, const char *what, double got, double want)
{
    bool same = memcmp(&got, &want, sizeof got) == 0;
    if (!same && t->d != SM_POSTGRES && want == 0.0 && got == 0.0)
        same = true; /* the sign of a zero (see everything.h) */
    if (!same)
        fail_msg("%s: got %.17g, want %.17g", what, got, want);
}

#define SAME(field) assert_int_equal(got->field, want->field)
#define SAME_NULLABLE(field)                                                                  \
    do {                                                                                      \
        assert_int_equal(got->has_##field, want->has_##field);                                \
        if (want->has_##field)                                                                \
            assert_int_equal(got->field, want->field);                                        \
    } while (0)

void assert_everything(tdb *t, const Everything *got, const Everything *want)
{
    SAME(id);
    SAME(b);
    SAME(i);
    SAME(i32v);
    SAME(i16v);
    double_eq(t, "f", got->f, want->f);
    SAME(d);
    text_eq("t", got->t, want->t);
    bytes_eq("by", got->by, want->by, false);
    SAME(dt);
    SAME(tm);
    SAME(ts);
    assert_memory_equal(&got->u, &want->u, sizeof got->u);
    text_eq("j", got->j, want->j);
    SAME(c);
    SAME_NULLABLE(nb);
    SAME_NULLABLE(ni);
    SAME_NULLABLE(ni32);
    SAME_NULLABLE(ni16);
    assert_int_equal(got->has_nf, want->has_nf);
    if (want->has_nf)
        double_eq(t, "nf", got->nf, want->nf);
    SAME_NULLABLE(nd);
    text_eq("nt", got->nt, want->nt);
    bytes_eq("nby", got->nby, want->nby, true);
    SAME_NULLABLE(ndt);
    SAME_NULLABLE(ntm);
    SAME_NULLABLE(nts);
    assert_int_equal(got->has_nu, want->has_nu);
    if (want->has_nu)
        assert_memory_equal(&got->nu, &want->nu, sizeof got->nu);
    text_eq("nj", got->nj, want->nj);
    SAME_NULLABLE(nc);
}
