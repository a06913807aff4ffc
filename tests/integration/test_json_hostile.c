/*
 * test_json_hostile.c: hostile JSON through the generated _from_json, on
 * every dialect (what decodes is then stored and read back): syntax
 * errors (one error, code json_syntax, path ""), wrong types without
 * coercion, numbers out of range, unknown fields, duplicate keys (known
 * or not, at any depth), dates outside 0001..9999, the cap of 100
 * errors, bad nesting, deep nesting (64 levels at most, then one "depth" error), and
 * every truncation and many corruptions of a valid document.  On failure
 * *out is zeroed and the errors name exact paths and codes.
 */
#include "tdb.h"

#include "alltypes.h"
#include "heroes.h"

static int create_both(sm_cx *cx, sm_conn *conn)
{
    int rc = heroes_create_all(cx, conn);
    return rc == SM_OK ? alltypes_create_all(cx, conn) : rc;
}

static bool all_zero(const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        if (b[i])
            return false;
    return true;
}

/* Decodes a Hero from s[0..n), expecting SM_INVALID; *out must be zeroed. */
static const sm_errors *hero_bad(tdb *t, const char *s, size_t n)
{
    Hero h;
    memset(&h, 0x5a, sizeof h);
    sm_errors_clear(&t->errs);
    int rc = hero_from_json(s, n, &h, &t->arena, &t->errs);
    if (rc != SM_INVALID)
        fail_msg("'%.*s': %s, want SM_INVALID", (int)n, s, sm_strerror(rc));
    assert_true(all_zero(&h, sizeof h));
    return &t->errs;
}

/* ---- Syntax ---------------------------------------------------------------------------- */

static void syntax(tdb *t)
{
    static const struct {
        const char *s;
        size_t n; /* 0: strlen */
    } cases[] = {
        {"", 0},
        {" \n\t ", 0},
        {"{", 0},
        {"{\"name\"", 0},
        {"{\"name\":", 0},
        {"{\"name\":}", 0},
        {"{\"name\":\"x\",}", 0},
        {"{,\"name\":\"x\"}", 0},
        {"{\"name\" \"x\"}", 0},
        {"{\"name\":\"x\"", 0},
        {"{\"name\":\"x\"} x", 0},
        {"{\"name\":\"x\"}{}", 0},
        {"{'name':'x'}", 0},
        {"{name:\"x\"}", 0},
        {"{\"name\":\"x\\q\"}", 0},
        {"{\"name\":\"\\u12\"}", 0},
        {"{\"name\":\"tab\there\"}", 0},
        {"{\"name\":\"line\nbreak\"}", 0},
        {"{\"age\":01}", 0},
        {"{\"age\":1.}", 0},
        {"{\"age\":.5}", 0},
        {"{\"age\":+1}", 0},
        {"{\"age\":-}", 0},
        {"{\"age\":1e}", 0},
        {"{\"age\":NaN}", 0},
        {"{\"age\":Infinity}", 0},
        {"{\"age\":nul}", 0},
        {"{\"age\":True}", 0},
        {"{\"team_id\":[1,2,]}", 0},
        {"{\"team_id\":[1 2]}", 0},
        {"{\"team_id\":{\"a\"}}", 0},
        {"{\"name\":\"x\"]", 0},
        {"[}", 0},
        /* A byte-order mark, invalid UTF-8, an overlong form, a lone or
         * reversed surrogate, a NUL byte in the document. */
        {"\xef\xbb\xbf{\"name\":\"x\"}", 0},
        {"{\"name\":\"\xff\"}", 0},
        {"{\"name\":\"\xc0\xaf\"}", 0},
        {"{\"name\":\"\xed\xa0\x80\"}", 0},
        {"{\"name\":\"\\ud800\"}", 0},
        {"{\"name\":\"\\udc00\\ud800\"}", 0},
        {"{\"name\":\"x\"}\0", 14},
        {"{\"na\0me\":\"x\"}", 13},
        {"{\"name\":\"x\xf0\x9f\x98\"}", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *s = cases[i].s;
        size_t n = cases[i].n ? cases[i].n : strlen(s);
        const sm_errors *e = hero_bad(t, s, n);
        if (e->len != 1 || strcmp(e->items[0].code, "json_syntax") != 0)
            fail_msg("case %zu '%.*s': %zu errors, first %s", i, (int)n, s, e->len,
                     e->len ? e->items[0].code : "-");
        tdb_error_is(e, 0, "", "json_syntax");
    }
    /* The message says where: line and column. */
    const char *two_lines = "{\"name\": \"x\",\n  \"age\": 01}";
    const sm_errors *e = hero_bad(t, two_lines, strlen(two_lines));
    tdb_errors_are(e, "", "json_syntax", NULL);
    assert_non_null(strstr(e->items[0].msg, "2:"));

    /* A syntax error anywhere replaces every field error before it. */
    const char *late = "{\"name\":5,\"age\":\"x\",\"power\":\"nope\",}";
    e = hero_bad(t, late, strlen(late));
    tdb_errors_are(e, "", "json_syntax", NULL);

    /* Valid escapes do decode: the result is stored and read back. */
    const char *ok = "{\"name\":\"\\u00e9\\ud83d\\ude00\\\"\\\\\\/\\b\\f\\n\\r\\t\","
                     "\"secret_name\":\"s\"}";
    Hero h;
    assert_int_equal(hero_from_json(ok, strlen(ok), &h, &t->arena, &t->errs), SM_OK);
    assert_string_equal(h.name, "\xc3\xa9\xf0\x9f\x98\x80\"\\/\b\f\n\r\t");
    expect_ok(t, hero_insert(&t->cx, t->conn, &h));
    Hero got;
    expect_ok(t, hero_get(&t->cx, t->conn, h.id, &got, &t->arena));
    assert_string_equal(got.name, h.name);
}

static void test_syntax(void **state)
{
    (void)state;
    tdb_each(create_both, syntax);
}

/* ---- Wrong types, ranges, unknown and duplicate keys ------------------------------------ */

static void wrong_types(tdb *t)
{
    static const struct {
        const char *doc, *path, *code;
    } cases[] = {
        {"{\"name\":5,\"secret_name\":\"s\"}", "name", "type"},
        {"{\"name\":[\"x\"],\"secret_name\":\"s\"}", "name", "type"},
        {"{\"name\":{\"a\":1},\"secret_name\":\"s\"}", "name", "type"},
        {"{\"name\":true,\"secret_name\":\"s\"}", "name", "type"},
        {"{\"name\":null,\"secret_name\":\"s\"}", "name", "required"},
        {"{\"name\":\"n\",\"secret_name\":\"s\",\"age\":\"48\"}", "age", "type"},
        {"{\"name\":\"n\",\"secret_name\":\"s\",\"age\":48.5}", "age", "type"},
        {"{\"name\":\"n\",\"secret_name\":\"s\",\"age\":4.8e1}", "age", "type"},
        {"{\"name\":\"n\",\"secret_name\":\"s\",\"age\":48.0}", "age", "type"},
        {"{\"name\":\"n\",\"secret_name\":\"s\",\"age\":true}", "age", "type"},
        {"{\"name\":\"n\",\"secret_name\":\"s\",\"age\":[48]}", "age", "type"},
        {"{\"name\":\"n\",\"secret_name\":\"s\",\"team_id\":9223372036854775808}", "team_id",
         "out_of_range"},
        {"{\"name\":\"n\",\"secret_name\":\"s\",\"team_id\":-9223372036854775809}", "team_id",
         "out_of_range"},
        {"{\"name\":\"n\",\"secret_name\":\"s\",\"power\":\"telepathy\"}", "power", "enum"},
        {"{\"name\":\"n\",\"secret_name\":\"s\",\"power\":\"Flight\"}", "power", "enum"},
        {"{\"name\":\"n\",\"secret_name\":\"s\",\"power\":1}", "power", "type"},
        {"{\"name\":\"n\",\"secret_name\":\"s\",\"power\":null}", "power", "required"},
        {"{\"name\":\"n\",\"secret_name\":\"s\",\"id\":\"1\"}", "id", "type"},
        {"{\"name\":\"a\\u0000b\",\"secret_name\":\"s\"}", "name", "type"},
        {"{\"name\":\"n\",\"secret_name\":\"s\",\"name\":\"m\"}", "name", "duplicate_key"},
        {"{\"name\":\"n\",\"secret_name\":\"s\",\"age\":1,\"age\":null}", "age", "duplicate_key"},
        {"{\"name\":\"n\",\"x\":1,\"secret_name\":\"s\",\"x\":[]}", "x", "duplicate_key"},
        {"{\"name\":\"n\",\"secret_name\":\"s\",\"x\":{\"y\":[{\"z\":1,\"z\":2}]}}", "x.y[0].z",
         "duplicate_key"},
        {"{\"secret_name\":\"s\"}", "name", "required"},
        /* Decoded, then validated: the schema's attributes. */
        {"{\"name\":\"n\",\"secret_name\":\"s\",\"age\":201}", "age", "out_of_range"},
        {"{\"name\":\"n\",\"secret_name\":\"s\",\"age\":-1}", "age", "out_of_range"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const sm_errors *e = hero_bad(t, cases[i].doc, strlen(cases[i].doc));
        if (e->len != 1)
            fail_msg("case %zu '%s': %zu errors", i, cases[i].doc, e->len);
        tdb_error_is(e, 0, cases[i].path, cases[i].code);
    }

    /* Every field error of one document, in document order. */
    const char *many = "{\"name\":1,\"secret_name\":null,\"age\":\"x\",\"power\":\"up\","
                       "\"team_id\":1.5,\"id\":true}";
    tdb_errors_are(hero_bad(t, many, strlen(many)), "name", "type", "secret_name", "required",
                   "age", "type", "power", "enum", "team_id", "type", "id", "type", NULL);

    /* Not an object at the top. */
    static const char *const tops[] = {"[]", "5", "\"x\"", "null", "true", "[{\"name\":\"x\"}]"};
    for (size_t i = 0; i < sizeof tops / sizeof tops[0]; i++)
        tdb_errors_are(hero_bad(t, tops[i], strlen(tops[i])), "", "type", NULL);

    /* No forbid_unknown on Hero: unknown keys and relationship names are
     * skipped, whatever they hold; the rest is stored. */
    const char *extra = "{\"name\":\"Deadpond\",\"team\":{\"name\":\"x\"},\"teams\":[1,[2]],"
                        "\"secret_name\":\"Dive Wilson\",\"x\":{\"y\":[{\"z\":null}]},\"age\":48,"
                        "\"power\":\"speed\",\"team_id\":null}";
    Hero h;
    assert_int_equal(hero_from_json(extra, strlen(extra), &h, &t->arena, &t->errs), SM_OK);
    assert_null(h.team);
    assert_null(h.teams.items);
    expect_ok(t, hero_insert(&t->cx, t->conn, &h));
    Hero got;
    expect_ok(t, hero_get(&t->cx, t->conn, h.id, &got, &t->arena));
    assert_string_equal(got.secret_name, "Dive Wilson");
    assert_int_equal(got.age, 48);
    assert_int_equal(got.power, POWER_SPEED);
    assert_false(got.has_team_id);
}

static void test_wrong_types(void **state)
{
    (void)state;
    tdb_each(create_both, wrong_types);
}

/* Everything: every type's own ways to be wrong.  A valid document is
 * built from these members, one of them replaced (or one added). */
static const char *const everything_members[][2] = {
    {"b", "true"},
    {"i", "1"},
    {"i32v", "1"},
    {"i16v", "1"},
    {"f", "1.5"},
    {"d", "\"1\""},
    {"t", "\"x\""},
    {"by", "\"\""},
    {"dt", "\"2024-01-02\""},
    {"tm", "\"03:04:05\""},
    {"ts", "\"2024-01-02T03:04:05Z\""},
    {"u", "\"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11\""},
    {"j", "{}"},
    {"c", "\"red\""},
};

/* Decodes the document with key's value set to value (NULL: nothing
 * changed) and extra members appended. */
static int everything_doc(tdb *t, const char *key, const char *value, const char *extra,
                          Everything *out)
{
    sm_buf_reset(&t->buf);
    bool replaced = false;
    assert_int_equal(sm_buf_putc(&t->buf, '{'), SM_OK);
    for (size_t i = 0; i < sizeof everything_members / sizeof everything_members[0]; i++) {
        const char *k = everything_members[i][0], *v = everything_members[i][1];
        if (key && strcmp(k, key) == 0) {
            v = value;
            replaced = true;
        }
        assert_int_equal(sm_buf_printf(&t->buf, "%s\"%s\":%s", i ? "," : "", k, v), SM_OK);
    }
    if (key && !replaced)
        assert_int_equal(sm_buf_printf(&t->buf, ",\"%s\":%s", key, value), SM_OK);
    if (extra)
        assert_int_equal(sm_buf_printf(&t->buf, ",%s", extra), SM_OK);
    assert_int_equal(sm_buf_putc(&t->buf, '}'), SM_OK);
    sm_errors_clear(&t->errs);
    memset(out, 0x5a, sizeof *out);
    return everything_from_json(t->buf.data, t->buf.len, out, &t->arena, &t->errs);
}

static void everything_types(tdb *t)
{
    static const struct {
        const char *key, *value, *code;
    } bad[] = {
        {"i16v", "32768", "out_of_range"},
        {"i16v", "-32769", "out_of_range"},
        {"i32v", "2147483648", "out_of_range"},
        {"ni32", "-2147483649", "out_of_range"},
        {"i", "1e3", "type"},
        {"f", "1e400", "out_of_range"},
        {"f", "-1e400", "out_of_range"},
        {"f", "\"1.5\"", "type"},
        {"nf", "true", "type"},
        {"d", "\"1.23456\"", "type"}, /* more places than the scale */
        {"d", "\"100000000000000\"", "out_of_range"},
        {"d", "1e2", "type"},
        {"d", "\"abc\"", "type"},
        {"nd", "\"1.001\"", "type"},
        {"by", "\"!!!!\"", "type"},
        {"by", "\"AQI\"", "type"},
        {"by", "[1,2]", "type"},
        {"dt", "\"2024-02-30\"", "type"},
        {"dt", "\"2024-1-2\"", "type"},
        {"dt", "20240102", "type"},
        {"tm", "\"24:00:00\"", "type"},
        {"tm", "\"12:60:00\"", "type"},
        {"ts", "\"2024-01-02T25:00:00Z\"", "type"},
        {"ts", "\"yesterday\"", "type"},
        {"u", "\"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1\"", "type"},
        {"u", "\"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11x\"", "type"},
        {"c", "\"RED\"", "enum"},
        {"nc", "\"\"", "enum"},
        {"b", "1", "type"},
        {"b", "\"true\"", "type"},
        {"t", "null", "required"},
        {"by", "null", "required"},
        {"u", "null", "required"},
    };
    Everything e;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = everything_doc(t, bad[i].key, bad[i].value, NULL, &e);
        if (rc != SM_INVALID || t->errs.len != 1)
            fail_msg("case %zu %s: %s, %zu errors", i, t->buf.data, sm_strerror(rc), t->errs.len);
        tdb_error_is(&t->errs, 0, bad[i].key, bad[i].code);
        assert_true(all_zero(&e, sizeof e));
    }
    /* A required member left out. */
    sm_errors_clear(&t->errs);
    assert_int_equal(everything_from_json("{\"id\":5}", 8, &e, &t->arena, &t->errs), SM_INVALID);
    tdb_errors_are(&t->errs, "b", "required", "i", "required", "i32v", "required", "i16v",
                   "required", "f", "required", "d", "required", "t", "required", "by", "required",
                   "dt", "required", "tm", "required", "ts", "required", "u", "required", "j",
                   "required", "c", "required", NULL);
    sm_errors_clear(&t->errs);

    /* Accepted: integers for floats, numbers and strings for decimals,
     * offsets and 'T' or ' ' in datetimes, a json field of any JSON. */
    expect_ok(t, everything_doc(t, NULL, NULL,
                                "\"nf\":3,\"nd\":12.5,\"nts\":\"2024-01-02 05:04:05+02:00\","
                                "\"nj\":[1,{\"a\":null}]",
                                &e));
    assert_true(e.nf == 3.0);
    assert_int_equal(e.nd, 1250);
    assert_int_equal(e.nts, e.ts);
    assert_string_equal(e.nj, "[1,{\"a\":null}]");
    assert_int_equal(e.d, 10000);
    assert_int_equal(e.by.len, 0);
    expect_ok(t, everything_insert(&t->cx, t->conn, &e));
    Everything got;
    expect_ok(t, everything_get(&t->cx, t->conn, e.id, &got, &t->arena));
    assert_true(got.nf == 3.0);
    assert_int_equal(got.nd, 1250);
    assert_int_equal(got.nts, e.ts);
    assert_string_equal(got.nj, "[1,{\"a\":null}]");
}

static void test_everything_types(void **state)
{
    (void)state;
    tdb_each(alltypes_create_all, everything_types);
}

/* ---- Nesting ------------------------------------------------------------------------------ */

/* '[' or '{"a":' repeated n times around a value, as the value of key. */
static char *nested_doc(tdb *t, const char *head, const char *key, size_t n, bool objects)
{
    sm_buf_reset(&t->buf);
    assert_int_equal(sm_buf_puts(&t->buf, head), SM_OK);
    assert_int_equal(sm_buf_printf(&t->buf, "\"%s\":", key), SM_OK);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(sm_buf_puts(&t->buf, objects ? "{\"a\":" : "["), SM_OK);
    assert_int_equal(sm_buf_puts(&t->buf, "1"), SM_OK);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(sm_buf_putc(&t->buf, objects ? '}' : ']'), SM_OK);
    assert_int_equal(sm_buf_putc(&t->buf, '}'), SM_OK);
    return t->buf.data;
}

static void nesting(tdb *t)
{
    const char *head = "{\"name\":\"n\",\"home\":{\"street\":\"s\",\"city\":\"c\"},\"others\":[],";
    Customer c;
    /* The top object is level 1: a json value may open 63 more. */
    const char *doc = nested_doc(t, head, "tags", 63, false);
    assert_int_equal(customer_from_json(doc, strlen(doc), &c, &t->arena, &t->errs), SM_OK);
    assert_int_equal(strlen(c.tags), 63 * 2 + 1);
    doc = nested_doc(t, head, "tags", 64, false);
    memset(&c, 0x5a, sizeof c);
    assert_int_equal(customer_from_json(doc, strlen(doc), &c, &t->arena, &t->errs), SM_INVALID);
    tdb_errors_are(&t->errs, "tags", "depth", NULL);
    assert_true(all_zero(&c, sizeof c));
    sm_errors_clear(&t->errs);
    doc = nested_doc(t, head, "tags", 64, true);
    assert_int_equal(customer_from_json(doc, strlen(doc), &c, &t->arena, &t->errs), SM_INVALID);
    tdb_errors_are(&t->errs, "tags", "depth", NULL);
    sm_errors_clear(&t->errs);

    /* In an unknown key, skipped or not, the limit holds. */
    doc = nested_doc(t, "{\"name\":\"n\",\"secret_name\":\"s\",", "skipped", 64, false);
    Hero h;
    assert_int_equal(hero_from_json(doc, strlen(doc), &h, &t->arena, &t->errs), SM_INVALID);
    assert_int_equal(t->errs.len, 1);
    assert_string_equal(t->errs.items[0].code, "depth");
    sm_errors_clear(&t->errs);

    /* A million levels: one error, no recursion on the C stack. */
    enum { DEEP = 1000000 };
    char *deep = malloc(2 * DEEP + 1);
    assert_non_null(deep);
    memset(deep, '[', DEEP);
    memset(deep + DEEP, ']', DEEP);
    deep[2 * DEEP] = '\0';
    deep[0] = '{';
    memcpy(deep + 1, "\"a\":", 4);
    assert_int_equal(hero_from_json(deep, 2 * DEEP, &h, &t->arena, &t->errs), SM_INVALID);
    assert_int_equal(t->errs.len, 1);
    sm_errors_clear(&t->errs);
    free(deep);

    /* Models and lists: wrong shapes at each level, with their paths. */
    const char *shapes =
        "{\"name\":\"n\",\"home\":5,\"work\":[],\"others\":[{},5,{\"street\":1,\"city\":\"c\"},"
        "null,{\"street\":\"s\",\"city\":\"c\",\"city\":\"d\"}],\"tags\":{\"a\":1}}";
    memset(&c, 0x5a, sizeof c);
    assert_int_equal(customer_from_json(shapes, strlen(shapes), &c, &t->arena, &t->errs),
                     SM_INVALID);
    tdb_errors_are(&t->errs, "home", "type", "work", "type", "others[0].street", "required",
                   "others[0].city", "required", "others[1]", "type", "others[2].street", "type",
                   "others[3]", "type", "others[4].city", "duplicate_key", NULL);
    assert_true(all_zero(&c, sizeof c));
    sm_errors_clear(&t->errs);
    const char *list_not_array = "{\"name\":\"n\",\"home\":{\"street\":\"s\",\"city\":\"c\"},"
                                 "\"others\":{\"street\":\"s\"}}";
    assert_int_equal(customer_from_json(list_not_array, strlen(list_not_array), &c, &t->arena,
                                        &t->errs),
                     SM_INVALID);
    tdb_errors_are(&t->errs, "others", "type", NULL);
}

static void test_nesting(void **state)
{
    (void)state;
    tdb_each(NULL, nesting);
}

/* ---- Dates outside 0001-01-01..9999-12-31 ---------------------------------------------------- */

#define US_PER_DAY INT64_C(86400000000)

/* The range is the same in JSON, in validation and when reading a row: a
 * date the runtime accepts is one every database stores and gives back. */
static void date_range(tdb *t)
{
    static const struct {
        const char *member, *path;
    } bad[] = {
        {"\"born\":\"10000-01-01\"", "born"},
        {"\"born\":\"0000-12-31\"", "born"},
        {"\"born\":\"-0001-01-01\"", "born"},
        {"\"seen\":\"10000-01-01T00:00:00Z\"", "seen"},
        {"\"seen\":\"0001-01-01T00:00:00+00:01\"", "seen"},
        {"\"seen\":\"9999-12-31T23:59:59.999999-00:01\"", "seen"},
    };
    char doc[256];
    Account a;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(doc, sizeof doc, "{\"email\":\"a@example.com\",\"handle_code\":\"AA11\",%s}",
                 bad[i].member);
        sm_errors_clear(&t->errs);
        assert_int_equal(account_from_json(doc, strlen(doc), &a, &t->arena, &t->errs), SM_INVALID);
        tdb_errors_are(&t->errs, bad[i].path, "type", NULL);
    }
    sm_errors_clear(&t->errs);

    /* The edges decode, are stored and come back as they were. */
    const char *edges = "{\"email\":\"e@example.com\",\"handle_code\":\"EE55\","
                        "\"born\":\"0001-01-01\",\"seen\":\"9999-12-31T23:59:59.999999Z\"}";
    assert_int_equal(account_from_json(edges, strlen(edges), &a, &t->arena, &t->errs), SM_OK);
    assert_int_equal(a.born, sm_date_from_ymd(1, 1, 1));
    assert_int_equal(a.seen, (int64_t)sm_date_from_ymd(10000, 1, 1) * US_PER_DAY - 1);
    expect_ok(t, account_insert(&t->cx, t->conn, &a));
    Account got;
    expect_ok(t, account_get(&t->cx, t->conn, a.id, &got, &t->arena));
    assert_int_equal(got.born, a.born);
    assert_int_equal(got.seen, a.seen);
    got.born = sm_date_from_ymd(9999, 12, 31);
    got.seen = (int64_t)sm_date_from_ymd(1, 1, 1) * US_PER_DAY;
    expect_ok(t, account_update(&t->cx, t->conn, &got));
    expect_ok(t, account_get(&t->cx, t->conn, a.id, &got, &t->arena));
    assert_int_equal(got.born, sm_date_from_ymd(9999, 12, 31));
    assert_int_equal(got.seen, (int64_t)sm_date_from_ymd(1, 1, 1) * US_PER_DAY);

    /* A value set in C outside the range is refused before any SQL. */
    Account out = got;
    out.born = sm_date_from_ymd(10000, 1, 1);
    expect_rc(t, account_update(&t->cx, t->conn, &out), SM_INVALID);
    tdb_errors_are(sm_cx_errors(&t->cx), "born", "out_of_range", NULL);
    out = got;
    out.seen = (int64_t)sm_date_from_ymd(1, 1, 1) * US_PER_DAY - 1;
    expect_rc(t, account_update(&t->cx, t->conn, &out), SM_INVALID);
    tdb_errors_are(sm_cx_errors(&t->cx), "seen", "out_of_range", NULL);
    sm_buf_reset(&t->buf);
    assert_int_equal(account_to_json(&out, &t->buf), SM_INVALID);

    /* A date past 9999 written by SQL: MariaDB does not store it; SQLite
     * and PostgreSQL do, and reading it back is an error, not a value. */
    int rc = tdb_exec(t, "UPDATE \"accounts\" SET \"born\" = '10000-01-01'", NULL, 0);
    if (t->d == SM_MYSQL) {
        expect_rc(t, rc, SM_ERROR);
        assert_non_null(strstr(sm_cx_errmsg(&t->cx), "Incorrect date value: '10000-01-01'"));
        return;
    }
    expect_ok(t, rc);
    expect_rc(t, account_get(&t->cx, t->conn, a.id, &got, &t->arena), SM_ERROR);
    assert_string_equal(sm_cx_errmsg(&t->cx),
                        "column accounts.born: cannot read '10000-01-01' as a date");
}

static void test_date_range(void **state)
{
    (void)state;
    tdb_each(alltypes_create_all, date_range);
}

/* ---- The cap of 100 errors ------------------------------------------------------------------- */

/* The same on every database: it all happens before any SQL. */
static void capped(tdb *t)
{
    /* 200,000 repeats of an unknown key */
    sm_buf_reset(&t->buf);
    assert_int_equal(sm_buf_puts(&t->buf, "{\"name\":\"n\",\"secret_name\":\"s\""), SM_OK);
    for (int k = 0; k < 200000; k++)
        assert_int_equal(sm_buf_puts(&t->buf, ",\"x\":0"), SM_OK);
    assert_int_equal(sm_buf_putc(&t->buf, '}'), SM_OK);
    const sm_errors *e = hero_bad(t, t->buf.data, t->buf.len);
    assert_int_equal(e->len, 101);
    tdb_error_is(e, 0, "x", "duplicate_key");
    tdb_error_is(e, 99, "x", "duplicate_key");
    tdb_error_is(e, 100, "", "too_many_errors");

    /* _insert_many of 1,000 rows, each invalid: 100 errors and the cap in
     * the cx, nothing stored */
    enum { N = 1000 };
    Hero *hs = calloc(N, sizeof *hs);
    assert_non_null(hs);
    for (int k = 0; k < N; k++) {
        hs[k] = (Hero)HERO_INIT;
        hs[k].name = "n";
        hs[k].secret_name = "s";
        hs[k].age = -1;
        hs[k].has_age = true;
    }
    expect_rc(t, hero_insert_many(&t->cx, t->conn, hs, N), SM_INVALID);
    const sm_errors *ce = sm_cx_errors(&t->cx);
    assert_int_equal(ce->len, 101);
    tdb_error_is(ce, 0, "[0].age", "out_of_range");
    tdb_error_is(ce, 99, "[99].age", "out_of_range");
    tdb_error_is(ce, 100, "", "too_many_errors");
    assert_int_equal(tdb_count(t, "hero"), 0);
    free(hs);
}

static void test_capped(void **state)
{
    (void)state;
    tdb_each(heroes_create_all, capped);
}

/* ---- Truncation and corruption ------------------------------------------------------------- */

static void damaged(tdb *t)
{
    const char *doc =
        "{\"name\":\"Ann \\u00e9\xf0\x9f\x98\x80\",\"home\":{\"street\":\"1 Main St\",\"city\":\"Springfield\","
        "\"zip\":\"12345\"},\"work\":null,\"others\":[{\"street\":\"2\",\"city\":\"O\",\"zip\":null},"
        "{\"street\":\"3\",\"city\":\"N\"}],\"tags\":{\"vip\":[1,-2.5e3,true,false,null,\"x\"]}}";
    size_t n = strlen(doc);
    Customer c;
    assert_int_equal(customer_from_json(doc, n, &c, &t->arena, &t->errs), SM_OK);
    /* Every proper prefix is one syntax error. */
    for (size_t k = 0; k < n; k++) {
        sm_errors_clear(&t->errs);
        memset(&c, 0x5a, sizeof c);
        int rc = customer_from_json(doc, k, &c, &t->arena, &t->errs);
        if (rc != SM_INVALID || t->errs.len != 1 ||
            strcmp(t->errs.items[0].code, "json_syntax") != 0)
            fail_msg("prefix of %zu bytes: %s, %zu errors", k, sm_strerror(rc), t->errs.len);
        assert_true(all_zero(&c, sizeof c));
    }
    sm_arena_free(&t->arena);
    /* Each byte replaced by a few others: decoded or refused, never more. */
    static const char subst[] = {'"', '{', '}', '[', ']', ',', ':', '\\', '0', 'a', '\0', '\x80'};
    char *copy = malloc(n);
    assert_non_null(copy);
    size_t ok = 0, refused = 0;
    for (size_t k = 0; k < n; k++) {
        for (size_t j = 0; j < sizeof subst; j++) {
            memcpy(copy, doc, n);
            copy[k] = subst[j];
            sm_errors_clear(&t->errs);
            int rc = customer_from_json(copy, n, &c, &t->arena, &t->errs);
            if (rc == SM_OK) {
                assert_int_equal(t->errs.len, 0);
                ok++;
            } else {
                assert_int_equal(rc, SM_INVALID);
                assert_true(t->errs.len >= 1);
                refused++;
            }
        }
        sm_arena_free(&t->arena);
    }
    free(copy);
    assert_true(ok > 0 && refused > 0);
    sm_errors_clear(&t->errs);
}

static void test_damaged(void **state)
{
    (void)state;
    tdb_each(NULL, damaged);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_syntax),
        cmocka_unit_test(test_wrong_types),
        cmocka_unit_test(test_everything_types),
        cmocka_unit_test(test_nesting),
        cmocka_unit_test(test_date_range),
        cmocka_unit_test(test_capped),
        cmocka_unit_test(test_damaged),
    };
    return tdb_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
