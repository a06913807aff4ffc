/*
 * test_json.c: the generated _to_json and _from_json, on every dialect,
 * on rows read back from the database: every type round-trips exactly
 * (rows of Everything at the limits of each type), the text is the same
 * whatever the dialect, @json("name") renames, @json(skip) hides,
 * @json(forbid_unknown) refuses unknown keys, absent keys take their
 * defaults or NULL, nested models and lists (Customer, Address) round
 * trip, and a partial (HeroUpdate-like AccountPatch) encodes only what is
 * set and decodes straight into a _patch.
 */
#include "everything.h"

#include <math.h>

/* Appends obj's JSON to a fresh t->buf and returns it. */
#define TO_JSON(t, fn, obj)                                                                   \
    (sm_buf_reset(&(t)->buf), assert_int_equal(fn(obj, &(t)->buf), SM_OK), (t)->buf.data)

/* ---- Everything: every type ------------------------------------------------------------ */

static void every_type(tdb *t)
{
    Everything s[EVERYTHING_SAMPLES];
    everything_samples(t, s);
    expect_ok(t, everything_insert_many(&t->cx, t->conn, s, EVERYTHING_SAMPLES));
    sm_buf first = SM_BUF_INIT;
    for (int i = 0; i < EVERYTHING_SAMPLES; i++) {
        print_message("    sample %d\n", i);
        Everything db;
        expect_ok(t, everything_get(&t->cx, t->conn, s[i].id, &db, &t->arena));
        sm_buf_reset(&first);
        assert_int_equal(everything_to_json(&db, &first), SM_OK);
        assert_int_equal(first.data[first.len], '\0');
        assert_int_equal(strlen(first.data), first.len);

        Everything back;
        int rc = everything_from_json(first.data, first.len, &back, &t->arena, &t->errs);
        if (rc != SM_OK)
            fail_msg("sample %d: %s: %s", i, sm_strerror(rc),
                     t->errs.len ? t->errs.items[0].msg : "");
        assert_everything(t, &back, &s[i]);
        assert_everything(t, &back, &db);
        /* Encoding again gives the same text. */
        const char *again = TO_JSON(t, everything_to_json, &back);
        assert_string_equal(again, first.data);
    }
    sm_buf_free(&first);
}

static void test_every_type(void **state)
{
    (void)state;
    tdb_each(alltypes_create_all, every_type);
}

/* The exact text: compact, field order, decimals as strings, bytes in
 * base64, ISO 8601 UTC datetimes, json embedded as written, null for
 * NULL.  The same on every dialect. */
static void exact_text(tdb *t)
{
    Everything s[EVERYTHING_SAMPLES];
    everything_samples(t, s);
    Everything plain = s[4];
    plain.id = 7;
    expect_ok(t, everything_insert(&t->cx, t->conn, &plain));
    Everything db;
    expect_ok(t, everything_get(&t->cx, t->conn, 7, &db, &t->arena));
    assert_string_equal(
        TO_JSON(t, everything_to_json, &db),
        "{\"id\":7,\"b\":true,\"i\":1234567890123,\"i32v\":-123456789,\"i16v\":12345,"
        "\"f\":3.141592653589793,\"d\":\"1234.5678\",\"t\":\"Dive Wilson\",\"by\":\"AQID\","
        "\"dt\":\"2024-01-02\",\"tm\":\"03:04:05.000006\",\"ts\":\"2024-01-02T03:04:05.000006Z\","
        "\"u\":\"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11\",\"j\":{\"theme\": \"dark\"},\"c\":\"blue\","
        "\"nb\":true,\"ni\":-48,\"ni32\":null,\"ni16\":null,\"nf\":2.5e-10,\"nd\":\"10.25\","
        "\"nt\":\"Deadpond\",\"nby\":null,\"ndt\":\"1999-12-31\",\"ntm\":null,\"nts\":null,"
        "\"nu\":null,\"nj\":null,\"nc\":\"red\"}");

    /* Escapes in text; the extremes of the other types. */
    Everything max = s[0];
    max.id = 8;
    max.t = "q\"b\\s/\x01\t\n\xf0\x9f\x98\x80";
    max.by = (sm_bytes){(const uint8_t *)"\xff\xfe\xfd\x00", 4};
    memset(&max.nu, 0x11, sizeof max.nu);
    expect_ok(t, everything_insert(&t->cx, t->conn, &max));
    expect_ok(t, everything_get(&t->cx, t->conn, 8, &db, &t->arena));
    const char *js = TO_JSON(t, everything_to_json, &db);
    assert_non_null(strstr(js, "\"i\":9223372036854775807,\"i32v\":2147483647,\"i16v\":32767,"));
    assert_non_null(strstr(js, "\"d\":\"99999999999999.9999\""));
    assert_non_null(strstr(js, "\"t\":\"q\\\"b\\\\s/\\u0001\\t\\n\xf0\x9f\x98\x80\""));
    assert_non_null(strstr(js, "\"by\":\"//79AA==\""));
    assert_non_null(strstr(js, "\"dt\":\"9999-12-31\",\"tm\":\"23:59:59.999999\","
                               "\"ts\":\"9999-12-31T23:59:59.999999Z\""));
    assert_non_null(strstr(js, "\"u\":\"ffffffff-ffff-ffff-ffff-ffffffffffff\""));
    assert_non_null(strstr(js, "\"ni\":-9223372036854775808,\"ni32\":-2147483648,"
                               "\"ni16\":-32768"));
    assert_non_null(strstr(js, "\"nd\":\"99999999.99\",\"nt\":\"\",\"nby\":\"\","
                               "\"ndt\":\"0001-01-01\",\"ntm\":\"00:00:00.000000\","
                               "\"nts\":\"0001-01-01T00:00:00.000000Z\","
                               "\"nu\":\"11111111-1111-1111-1111-111111111111\",\"nj\":[],"
                               "\"nc\":\"red\"}"));

    /* What JSON cannot hold is refused, and the buffer left as it was. */
    Everything odd = db;
    odd.f = NAN;
    size_t before = t->buf.len;
    assert_int_equal(everything_to_json(&odd, &t->buf), SM_INVALID);
    odd = db;
    odd.c = (Color)3;
    assert_int_equal(everything_to_json(&odd, &t->buf), SM_INVALID);
    odd = db;
    odd.t = "\xff";
    assert_int_equal(everything_to_json(&odd, &t->buf), SM_INVALID);
    odd = db;
    odd.j = "{not json";
    assert_int_equal(everything_to_json(&odd, &t->buf), SM_INVALID);
    assert_int_equal(t->buf.len, before);
    assert_int_equal(t->buf.data[before], '\0');

    /* _to_json appends: two objects side by side, the first untouched. */
    sm_buf_reset(&t->buf);
    assert_int_equal(everything_to_json(&db, &t->buf), SM_OK);
    size_t one = t->buf.len;
    assert_int_equal(everything_to_json(&db, &t->buf), SM_OK);
    assert_int_equal(t->buf.len, 2 * one);
    assert_memory_equal(t->buf.data, t->buf.data + one, one);
}

static void test_exact_text(void **state)
{
    (void)state;
    tdb_each(alltypes_create_all, exact_text);
}

/* ---- Account: @json names, skip, forbid_unknown, defaults --------------------------------- */

static void account_json(tdb *t)
{
    Account a = ACCOUNT_INIT;
    a.email = "a@example.com";
    a.handle = "AA11";
    a.secret = "hunter2";
    const char *id = "0b7e5a52-4d6e-4f3c-9a8b-1c2d3e4f5a6b";
    assert_int_equal(sm_uuid_parse(id, strlen(id), &a.id), SM_OK);
    a.created_at = INT64_C(1704164645000006);
    a.updated_at = a.created_at;
    expect_ok(t, account_insert(&t->cx, t->conn, &a));
    Account db;
    expect_ok(t, account_get(&t->cx, t->conn, a.id, &db, &t->arena));
    assert_string_equal(db.secret, "hunter2");
    /* handle goes by "handle_code"; secret is never written. */
    const char *js = TO_JSON(t, account_to_json, &db);
    assert_string_equal(
        js, "{\"created_at\":\"2024-01-02T03:04:05.000006Z\","
            "\"updated_at\":\"2024-01-02T03:04:05.000006Z\","
            "\"id\":\"0b7e5a52-4d6e-4f3c-9a8b-1c2d3e4f5a6b\",\"email\":\"a@example.com\","
            "\"handle_code\":\"AA11\",\"nickname\":null,\"score\":0,\"ratio\":0.5,"
            "\"balance\":\"10.25\",\"level\":1,\"color\":\"green\",\"active\":true,"
            "\"born\":\"2000-01-01\",\"wake\":\"07:30:00.000000\","
            "\"seen\":\"2024-01-02T03:04:05.000006Z\",\"avatar\":\"8J+YgA==\","
            "\"settings\":{\"theme\": \"dark\"},\"nick\":\"anon\",\"plan_id\":null}");

    /* Decoding it back: secret takes its default, the rest is the row. */
    Account back;
    assert_int_equal(account_from_json(js, strlen(js), &back, &t->arena, &t->errs), SM_OK);
    assert_string_equal(back.secret, "");
    assert_string_equal(back.handle, "AA11");
    assert_memory_equal(&back.id, &a.id, sizeof a.id);
    assert_int_equal(back.created_at, a.created_at);
    assert_int_equal(back.avatar.len, 4);
    assert_memory_equal(back.avatar.data, "\xf0\x9f\x98\x80", 4);

    /* forbid_unknown: the skipped field, the C name, anything else. */
    const char *bad = "{\"email\":\"b@example.com\",\"handle\":\"BB22\",\"secret\":\"x\","
                      "\"extra\":{\"deep\":[1,2,{\"x\":null}]},\"score\":5}";
    assert_int_equal(account_from_json(bad, strlen(bad), &back, &t->arena, &t->errs), SM_INVALID);
    tdb_errors_are(&t->errs, "handle", "unknown_field", "secret", "unknown_field", "extra",
                   "unknown_field", "handle_code", "required", NULL);
    static const Account zero;
    assert_memory_equal(&back, &zero, sizeof back);
    sm_errors_clear(&t->errs);

    /* Absent keys: defaults, NULL, or "required". */
    const char *min = "{\"email\":\"c@example.com\",\"handle_code\":\"CC33\"}";
    assert_int_equal(account_from_json(min, strlen(min), &back, &t->arena, &t->errs), SM_OK);
    Account want = ACCOUNT_INIT;
    assert_int_equal(back.score, want.score);
    assert_true(back.ratio == want.ratio);
    assert_int_equal(back.balance, want.balance);
    assert_int_equal(back.level, want.level);
    assert_int_equal(back.color, want.color);
    assert_int_equal(back.active, want.active);
    assert_true(back.has_born);
    assert_int_equal(back.born, want.born);
    assert_int_equal(back.wake, want.wake);
    assert_int_equal(back.seen, want.seen);
    assert_string_equal(back.settings, want.settings);
    assert_string_equal(back.nick, "anon");
    assert_null(back.nickname);
    assert_false(back.has_plan_id);
    /* uuid() and now() fields stay zero: _insert fills them. */
    static const sm_uuid zu;
    assert_memory_equal(&back.id, &zu, sizeof zu);
    assert_int_equal(back.created_at, 0);
    expect_ok(t, account_insert(&t->cx, t->conn, &back));
    assert_memory_not_equal(&back.id, &zu, sizeof zu);
    Account stored;
    expect_ok(t, account_get(&t->cx, t->conn, back.id, &stored, &t->arena));
    assert_string_equal(stored.email, "c@example.com");
    assert_int_equal(stored.balance, 1025);

    assert_int_equal(account_from_json("{}", 2, &back, &t->arena, &t->errs), SM_INVALID);
    tdb_errors_are(&t->errs, "email", "required", "handle_code", "required", NULL);
    sm_errors_clear(&t->errs);

    /* Explicit nulls: fine where nullable, "required" where not. */
    const char *nulls = "{\"email\":\"d@example.com\",\"handle_code\":\"DD44\",\"nickname\":null,"
                        "\"born\":null,\"avatar\":null,\"plan_id\":null,\"score\":null,"
                        "\"settings\":null}";
    assert_int_equal(account_from_json(nulls, strlen(nulls), &back, &t->arena, &t->errs),
                     SM_INVALID);
    tdb_errors_are(&t->errs, "score", "required", NULL);
    sm_errors_clear(&t->errs);
    /* A json field takes JSON null as the JSON text "null". */
    nulls = "{\"email\":\"d@example.com\",\"handle_code\":\"DD44\",\"born\":null,\"avatar\":null,"
            "\"settings\":null}";
    assert_int_equal(account_from_json(nulls, strlen(nulls), &back, &t->arena, &t->errs), SM_OK);
    assert_false(back.has_born);
    assert_null(back.avatar.data);
    assert_string_equal(back.settings, "null");
    expect_ok(t, account_insert(&t->cx, t->conn, &back));
    expect_ok(t, account_get(&t->cx, t->conn, back.id, &stored, &t->arena));
    assert_false(stored.has_born);
    assert_null(stored.avatar.data);
    assert_string_equal(stored.settings, "null");
}

static void test_account_json(void **state)
{
    (void)state;
    tdb_each(alltypes_create_all, account_json);
}

/* ---- Customer: nested models and lists ------------------------------------------------------- */

static void nested(tdb *t)
{
    const char *doc =
        "{\"name\":\"Ann\",\"home\":{\"street\":\"1 Main St\",\"city\":\"Springfield\","
        "\"zip\":\"12345\"},\"work\":null,\"others\":[{\"street\":\"2 Side St\","
        "\"city\":\"Ogdenville\",\"zip\":null},{\"street\":\"3 Far Rd\",\"city\":\"North Haverbrook\","
        "\"zip\":\"54321\"}],\"tags\":{\"vip\": [1, 2.5, \"x\"], \"n\": null}}";
    Customer c;
    assert_int_equal(customer_from_json(doc, strlen(doc), &c, &t->arena, &t->errs), SM_OK);
    assert_string_equal(c.name, "Ann");
    assert_string_equal(c.home.city, "Springfield");
    assert_false(c.has_work);
    assert_int_equal(c.others.len, 2);
    assert_string_equal(c.others.items[1].city, "North Haverbrook");
    assert_null(c.others.items[0].zip);
    assert_string_equal(c.tags, "{\"vip\": [1, 2.5, \"x\"], \"n\": null}");
    /* Encoding gives the document back, byte for byte. */
    assert_string_equal(TO_JSON(t, customer_to_json, &c), doc);

    /* Absent: a nullable model is NULL, a list is required. */
    const char *min = "{\"name\":\"Bob\",\"home\":{\"street\":\"s\",\"city\":\"c\"},\"others\":[]}";
    assert_int_equal(customer_from_json(min, strlen(min), &c, &t->arena, &t->errs), SM_OK);
    assert_false(c.has_work);
    assert_int_equal(c.others.len, 0);
    assert_null(c.tags);
    assert_null(c.home.zip);
    assert_string_equal(TO_JSON(t, customer_to_json, &c),
                        "{\"name\":\"Bob\",\"home\":{\"street\":\"s\",\"city\":\"c\",\"zip\":null},"
                        "\"work\":null,\"others\":[],\"tags\":null}");
    const char *no_list = "{\"name\":\"Bob\",\"home\":{\"street\":\"s\",\"city\":\"c\"}}";
    assert_int_equal(customer_from_json(no_list, strlen(no_list), &c, &t->arena, &t->errs),
                     SM_INVALID);
    tdb_errors_are(&t->errs, "others", "required", NULL);
    sm_errors_clear(&t->errs);

    /* Validation after decoding reaches into nested objects and lists. */
    const char *bad = "{\"name\":\"Cy\",\"home\":{\"street\":\"s\",\"city\":\"\"},"
                      "\"work\":{\"street\":\"w\",\"city\":\"x\",\"zip\":\"1234\"},"
                      "\"others\":[{\"street\":\"a\",\"city\":\"b\"},{\"street\":\"a\","
                      "\"city\":\"b\",\"zip\":\"abcde\"}]}";
    assert_int_equal(customer_from_json(bad, strlen(bad), &c, &t->arena, &t->errs), SM_INVALID);
    tdb_errors_are(&t->errs, "home.city", "too_short", "work.zip", "pattern", "others[1].zip",
                   "pattern", NULL);
    sm_errors_clear(&t->errs);

    /* A built struct encodes and decodes to the same values. */
    Address others[3] = {{"x", "y", NULL}, {"\xf0\x9f\x98\x80", "z", "00000"}, {"", "w", NULL}};
    Customer built = CUSTOMER_INIT;
    built.name = "Dee";
    built.home = (Address){"h", "i", "99999"};
    built.work = (Address){"j", "k", NULL};
    built.has_work = true;
    built.others = (Address_list){others, 3};
    built.tags = "[]";
    const char *js = TO_JSON(t, customer_to_json, &built);
    Customer dec;
    assert_int_equal(customer_from_json(js, strlen(js), &dec, &t->arena, &t->errs), SM_OK);
    assert_true(dec.has_work);
    assert_string_equal(dec.work.city, "k");
    assert_int_equal(dec.others.len, 3);
    for (int i = 0; i < 3; i++) {
        assert_string_equal(dec.others.items[i].street, others[i].street);
        assert_string_equal(dec.others.items[i].city, others[i].city);
        if (others[i].zip)
            assert_string_equal(dec.others.items[i].zip, others[i].zip);
        else
            assert_null(dec.others.items[i].zip);
    }
    assert_string_equal(dec.tags, "[]");
}

static void test_nested(void **state)
{
    (void)state;
    tdb_each(NULL, nested);
}

/* ---- Partials: only what is set ------------------------------------------------------------------ */

static void partial(tdb *t)
{
    Account a = ACCOUNT_INIT;
    a.email = "a@example.com";
    a.handle = "AA11";
    a.nickname = "Andy";
    expect_ok(t, account_insert(&t->cx, t->conn, &a));

    AccountPatch p = ACCOUNT_PATCH_INIT;
    assert_string_equal(TO_JSON(t, account_patch_to_json, &p), "{}");
    p.has_score = true;
    p.score = 42;
    p.has_born = true;
    p.born_null = true;
    p.has_nickname = true;
    p.nickname = NULL;
    assert_string_equal(TO_JSON(t, account_patch_to_json, &p),
                        "{\"nickname\":null,\"score\":42,\"born\":null}");

    /* A request body decoded into the partial goes straight to _patch. */
    const char *body = "{\"score\":43,\"nickname\":null,\"seen\":null,\"color\":\"blue\"}";
    AccountPatch in;
    assert_int_equal(account_patch_from_json(body, strlen(body), &in, &t->arena, &t->errs), SM_OK);
    assert_true(in.has_score && in.has_nickname && in.has_seen && in.seen_null && in.has_color);
    assert_false(in.has_email || in.has_born || in.has_balance);
    expect_ok(t, account_patch(&t->cx, t->conn, a.id, &in));
    Account got;
    expect_ok(t, account_get(&t->cx, t->conn, a.id, &got, &t->arena));
    assert_int_equal(got.score, 43);
    assert_null(got.nickname);
    assert_false(got.has_seen);
    assert_int_equal(got.color, COLOR_BLUE);
    assert_true(got.has_born);
    assert_string_equal(got.email, "a@example.com");

    /* null for a non-nullable field of the partial: refused. */
    body = "{\"email\":null,\"score\":1000}";
    assert_int_equal(account_patch_from_json(body, strlen(body), &in, &t->arena, &t->errs),
                     SM_INVALID);
    tdb_error_is(&t->errs, 0, "email", "required");
}

static void test_partial(void **state)
{
    (void)state;
    tdb_each(alltypes_create_all, partial);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_type),
        cmocka_unit_test(test_exact_text),
        cmocka_unit_test(test_account_json),
        cmocka_unit_test(test_nested),
        cmocka_unit_test(test_partial),
    };
    return tdb_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
