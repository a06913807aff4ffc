/*
 * test_json_read.c: what sm_model_from_json accepts and how: presence,
 * nulls, defaults, partials, nesting and paths, unknown and duplicate
 * keys, and the strict typing of every field type.
 */
#include "jtest.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A complete AllTypes document with one member replaced: `key` gets the
 * JSON text `value` (NULL: the member is left out). */
static char *all_types_doc(const char *key, const char *value)
{
    static const char *const keys[] = {"b", "i", "i32", "i16", "f", "d", "t", "by",
                                       "day", "tm", "when", "u", "j", "e", "c"};
    static const char *const vals[] = {
        "true", "1", "2", "3", "4.5", "\"6.70\"", "\"text\"", "\"AQID\"", "\"2024-01-31\"",
        "\"12:00:00\"", "\"2024-01-31T12:00:00Z\"", "\"00112233-4455-6677-8899-aabbccddeeff\"",
        "[1]", "\"flight\"", "\"red\""};
    sm_buf b = SM_BUF_INIT;
    bool first = true;

    assert_int_equal(sm_buf_putc(&b, '{'), SM_OK);
    for (size_t k = 0; k < sizeof keys / sizeof *keys; k++) {
        const char *v = strcmp(keys[k], key) == 0 ? value : vals[k];
        if (!v)
            continue;
        assert_int_equal(sm_buf_printf(&b, "%s\"%s\":%s", first ? "" : ",", keys[k], v), SM_OK);
        first = false;
    }
    assert_int_equal(sm_buf_putc(&b, '}'), SM_OK);
    return b.data;
}

/* Decodes AllTypes with key = value and expects one error [code] at key;
 * returns its message. */
static const char *expect_field_error(jt *t, const char *key, const char *value,
                                      const char *code)
{
    AllTypes a;
    char *doc = all_types_doc(key, value);
    int rc = jt_decode(t, &all_types_model, doc, &a);
    if (rc != SM_INVALID)
        print_message("  %s accepted for %s\n", value, key);
    assert_int_equal(rc, SM_INVALID);
    const sm_error *e = jt_only(t, key, code);
    jt_assert_zero(&a, sizeof a);
    free(doc);
    return e->msg;
}

/* Decodes AllTypes with key = value and expects success. */
static void expect_ok(jt *t, const char *key, const char *value, AllTypes *out)
{
    char *doc = all_types_doc(key, value);
    int rc = jt_decode(t, &all_types_model, doc, out);
    if (rc != SM_OK)
        print_message("  %s = %s refused: %s [%s]\n", key, value,
                      t->errs.len ? t->errs.items[0].msg : "", t->errs.len ? t->errs.items[0].code : "");
    assert_int_equal(rc, SM_OK);
    free(doc);
}

static void test_hero(void **state)
{
    jt *t = *state;
    Hero h;

    assert_int_equal(jt_decode(t, &hero_model,
                               "{\"id\": 3, \"name\": \"Rusty-Man\", \"secret_name\": "
                               "\"Tommy Sharp\", \"age\": 48, \"team_id\": null}",
                               &h),
                     SM_OK);
    assert_int_equal(t->errs.len, 0);
    assert_int_equal(h.id, 3);
    assert_string_equal(h.name, "Rusty-Man");
    assert_string_equal(h.secret_name, "Tommy Sharp");
    assert_true(h.has_age);
    assert_int_equal(h.age, 48);
    assert_false(h.has_team_id);
    assert_null(h.team);

    /* keys in any order; the @auto key may be left out */
    assert_int_equal(jt_decode(t, &hero_model,
                               "{\"team_id\":2,\"secret_name\":\"S\",\"name\":\"N\"}", &h),
                     SM_OK);
    assert_int_equal(h.id, 0);
    assert_false(h.has_age);
    assert_true(h.has_team_id);
    assert_int_equal(h.team_id, 2);
}

static void test_required_and_absent(void **state)
{
    jt *t = *state;
    Hero h;

    assert_int_equal(jt_decode(t, &hero_model, "{}", &h), SM_INVALID);
    jt_errors(t, "name", "required", "secret_name", "required", NULL);
    assert_string_equal(t->errs.items[0].msg, "field required");
    jt_assert_zero(&h, sizeof h);

    assert_int_equal(jt_decode(t, &hero_model, "{\"name\":\"a\",\"secret_name\":null}", &h),
                     SM_INVALID);
    const sm_error *e = jt_only(t, "secret_name", "required");
    assert_string_equal(e->msg, "must not be null");
}

static void test_defaults(void **state)
{
    jt *t = *state;
    Settings s;

    assert_int_equal(jt_decode(t, &settings_model, "{\"name\":\"x\"}", &s), SM_OK);
    assert_int_equal(s.id, 0);
    assert_int_equal(s.power, POWER_SPEED);
    assert_int_equal(s.retries, 3);
    assert_string_equal(s.label, "none"); /* nullable with a default: the default */
    assert_int_equal(s.created, 0);       /* now(): filled at insert */
    for (int k = 0; k < 16; k++)
        assert_int_equal(s.token.b[k], 0); /* uuid(): filled at insert */
    assert_null(s.note);

    assert_int_equal(jt_decode(t, &settings_model,
                               "{\"name\":\"x\",\"label\":null,\"power\":\"flight\","
                               "\"retries\":0,\"note\":\"n\",\"created\":\"2020-01-01 00:00:01\","
                               "\"token\":\"00000000-0000-0000-0000-000000000001\",\"id\":9}",
                               &s),
                     SM_OK);
    assert_null(s.label);
    assert_int_equal(s.power, POWER_FLIGHT);
    assert_int_equal(s.retries, 0);
    assert_string_equal(s.note, "n");
    assert_int_equal(s.created, INT64_C(1577836801000000));
    assert_int_equal(s.token.b[15], 1);
    assert_int_equal(s.id, 9);

    assert_int_equal(jt_decode(t, &settings_model, "{\"name\":\"x\",\"retries\":null}", &s),
                     SM_INVALID);
    jt_only(t, "retries", "required");
}

static void test_nullables_absent_and_null(void **state)
{
    jt *t = *state;
    Nullables n;

    memset(&n, 0x5a, sizeof n);
    assert_int_equal(jt_decode(t, &nullables_model, "{}", &n), SM_OK);
    assert_false(n.has_b || n.has_i || n.has_i32 || n.has_i16 || n.has_f || n.has_d);
    assert_false(n.has_day || n.has_tm || n.has_stamp || n.has_u || n.has_e);
    assert_null(n.t);
    assert_null(n.by.data);
    assert_null(n.j);

    assert_int_equal(jt_decode(t, &nullables_model,
                               "{\"b\":null,\"i\":null,\"i32\":null,\"i16\":null,\"f\":null,"
                               "\"d\":null,\"t\":null,\"by\":null,\"day\":null,\"tm\":null,"
                               "\"stamp\":null,\"u\":null,\"j\":null,\"e\":null}",
                               &n),
                     SM_OK);
    assert_false(n.has_b || n.has_i || n.has_i32 || n.has_i16 || n.has_f || n.has_d);
    assert_false(n.has_day || n.has_tm || n.has_stamp || n.has_u || n.has_e);
    assert_null(n.t);
    assert_null(n.by.data);
    assert_null(n.j);

    assert_int_equal(jt_decode(t, &nullables_model,
                               "{\"b\":false,\"d\":1.5,\"by\":\"\",\"j\":\"null\",\"e\":\"speed\"}",
                               &n),
                     SM_OK);
    assert_true(n.has_b && n.has_d && n.has_e);
    assert_false(n.b);
    assert_int_equal(n.d, 1500);
    assert_non_null(n.by.data); /* empty, not null */
    assert_int_equal(n.by.len, 0);
    assert_string_equal(n.j, "\"null\"");
    assert_int_equal(n.e, POWER_SPEED);
}

static void test_partial(void **state)
{
    jt *t = *state;
    HeroUpdate u;

    assert_int_equal(jt_decode(t, &hero_update_model, "{}", &u), SM_OK);
    assert_false(u.has_name || u.has_secret_name || u.has_age || u.has_power || u.has_avatar);

    assert_int_equal(jt_decode(t, &hero_update_model,
                               "{\"age\":null,\"name\":\"N\",\"avatar\":null}", &u),
                     SM_OK);
    assert_true(u.has_name && u.has_age && u.age_null && u.has_avatar && u.avatar_null);
    assert_null(u.avatar.data);
    assert_false(u.has_secret_name || u.has_power);
    assert_string_equal(u.name, "N");

    assert_int_equal(jt_decode(t, &hero_update_model,
                               "{\"age\":7,\"power\":\"strength\",\"avatar\":\"AA==\"}", &u),
                     SM_OK);
    assert_true(u.has_age && u.has_power && u.has_avatar);
    assert_false(u.age_null || u.avatar_null);
    assert_int_equal(u.age, 7);
    assert_int_equal(u.power, POWER_STRENGTH);
    assert_int_equal(u.avatar.len, 1);

    /* null on a non-nullable field of a partial */
    assert_int_equal(jt_decode(t, &hero_update_model, "{\"name\":null,\"power\":null}", &u),
                     SM_INVALID);
    jt_errors(t, "name", "required", "power", "required", NULL);
    jt_assert_zero(&u, sizeof u);

    /* set fields are validated after decoding */
    assert_int_equal(jt_decode(t, &hero_update_model, "{\"age\":-1}", &u), SM_INVALID);
    jt_only(t, "age", "out_of_range");
}

static void test_nested_and_paths(void **state)
{
    jt *t = *state;
    Org o;

    assert_int_equal(jt_decode(t, &org_model,
                               "{\"name\":\"A\",\"address\":{\"city\":\"P\"},\"members\":"
                               "[{\"name\":\"x\"},{\"name\":\"y\",\"age\":3},{\"name\":\"z\"}]}",
                               &o),
                     SM_OK);
    assert_string_equal(o.address.city, "P");
    assert_null(o.address.zip);
    assert_false(o.has_hq);
    assert_int_equal(o.members.len, 3);
    assert_string_equal(o.members.items[2].name, "z");
    assert_true(o.members.items[1].has_age);
    assert_int_equal(o.members.items[1].age, 3);

    /* every error, each with its path */
    assert_int_equal(jt_decode(t, &org_model,
                               "{\"name\":1,\"address\":{\"zip\":\"1\"},\"hq\":{\"city\":[]},"
                               "\"members\":[{\"name\":\"x\",\"age\":\"3\"},7,{},"
                               "{\"name\":\"ok\",\"age\":-4}]}",
                               &o),
                     SM_INVALID);
    /* in document order; an element of a list that could not be read
     * (members[1]) leaves the list shorter than the document, so the
     * validation (age -4) does not run, its paths would be wrong */
    jt_errors(t, "name", "type", "address.city", "required", "hq.city", "type",
              "members[0].age", "type", "members[1]", "type", "members[2].name", "required",
              NULL);
    jt_assert_zero(&o, sizeof o);
    /* elements read with errors inside: the validation runs, nothing under
     * a value that was not read is repeated */
    assert_int_equal(jt_decode(t, &org_model,
                               "{\"name\":1,\"address\":{\"zip\":\"1\"},"
                               "\"members\":[{\"name\":\"x\",\"age\":\"3\"},{},"
                               "{\"name\":\"ok\",\"age\":-4}]}",
                               &o),
                     SM_INVALID);
    jt_errors(t, "name", "type", "address.city", "required", "members[0].age", "type",
              "members[1].name", "required", "members[2].age", "out_of_range", NULL);
    jt_assert_zero(&o, sizeof o);

    /* a well-formed document: validation reports with nested paths */
    assert_int_equal(jt_decode(t, &org_model,
                               "{\"name\":\"n\",\"address\":{\"city\":\"c\"},"
                               "\"members\":[{\"name\":\"a\"},{\"name\":\"b\",\"age\":-4}]}",
                               &o),
                     SM_INVALID);
    jt_only(t, "members[1].age", "out_of_range");

    /* wrong shapes */
    assert_int_equal(jt_decode(t, &org_model,
                               "{\"name\":\"n\",\"address\":[],\"members\":{}}", &o),
                     SM_INVALID);
    jt_errors(t, "address", "type", "members", "type", NULL);
    assert_string_equal(t->errs.items[0].msg, "expected an object");
    assert_string_equal(t->errs.items[1].msg, "expected an array");
    assert_int_equal(jt_decode(t, &org_model,
                               "{\"name\":\"n\",\"address\":null,\"members\":null}", &o),
                     SM_INVALID);
    jt_errors(t, "address", "required", "members", "required", NULL);
    assert_string_equal(t->errs.items[0].msg, "must not be null");
    assert_int_equal(jt_decode(t, &org_model, "{\"name\":\"n\"}", &o), SM_INVALID);
    jt_errors(t, "address", "required", "members", "required", NULL);
    assert_string_equal(t->errs.items[0].msg, "field required");

    /* nullable nested model: null, and a list of 0 items */
    assert_int_equal(jt_decode(t, &org_model,
                               "{\"name\":\"n\",\"address\":{\"city\":\"c\",\"zip\":null},"
                               "\"hq\":null,\"members\":[]}",
                               &o),
                     SM_OK);
    assert_false(o.has_hq);
    assert_null(o.members.items);
    assert_int_equal(o.members.len, 0);
}

static void test_long_list(void **state)
{
    jt *t = *state;
    sm_buf b = SM_BUF_INIT;
    Org o;

    assert_int_equal(sm_buf_puts(&b, "{\"name\":\"n\",\"address\":{\"city\":\"c\"},\"members\":["),
                     SM_OK);
    for (int k = 0; k < 5000; k++)
        assert_int_equal(sm_buf_printf(&b, "%s{\"name\":\"m%d\",\"age\":%d}", k ? "," : "", k, k),
                         SM_OK);
    assert_int_equal(sm_buf_puts(&b, "]}"), SM_OK);
    assert_int_equal(jt_decode(t, &org_model, b.data, &o), SM_OK);
    assert_int_equal(o.members.len, 5000);
    assert_string_equal(o.members.items[4321].name, "m4321");
    assert_int_equal(o.members.items[4999].age, 4999);
    sm_buf_free(&b);
}

static void test_unknown_keys(void **state)
{
    jt *t = *state;
    Hero h;
    Strict s;

    assert_int_equal(jt_decode(t, &hero_model,
                               "{\"x\":{\"deep\":[1,{\"y\":null}]},\"name\":\"n\",\"zz\":[],"
                               "\"secret_name\":\"s\",\"team\":{\"id\":1,\"name\":\"t\"},\"q\":\"\"}",
                               &h),
                     SM_OK);
    assert_string_equal(h.name, "n");
    assert_null(h.team); /* a relationship's key is not a field of the JSON object */

    assert_int_equal(jt_decode(t, &strict_model,
                               "{\"a\":1,\"b\":2,\"inner\":{\"city\":\"c\",\"extra\":1},\"c\":{}}",
                               &s),
                     SM_INVALID);
    jt_errors(t, "b", "unknown_field", "c", "unknown_field", NULL);
    assert_string_equal(t->errs.items[0].msg, "unknown field");
    assert_int_equal(jt_decode(t, &strict_model, "{\"a\":1,\"inner\":{\"city\":\"c\",\"x\":0}}", &s),
                     SM_OK);
    assert_true(s.has_inner);
    assert_string_equal(s.inner.city, "c");
}

static void test_skip_field_not_read(void **state)
{
    jt *t = *state;
    AllTypes a;
    sm_buf b = SM_BUF_INIT;
    char *doc = all_types_doc("", NULL);

    assert_int_equal(sm_buf_append(&b, doc, strlen(doc) - 1), SM_OK);
    assert_int_equal(sm_buf_puts(&b, ",\"note\":\"x\"}"), SM_OK);
    assert_int_equal(jt_decode(t, &all_types_model, b.data, &a), SM_OK);
    assert_null(a.note);
    /* the declared C name of an aliased field is not its key */
    sm_buf_reset(&b);
    assert_int_equal(sm_buf_append(&b, doc, strlen(doc) - 1), SM_OK);
    assert_int_equal(sm_buf_puts(&b, ",\"stamp\":\"2000-01-01T00:00:00Z\"}"), SM_OK);
    assert_int_equal(jt_decode(t, &all_types_model, b.data, &a), SM_OK);
    assert_int_equal(a.stamp, INT64_C(1706702400000000));
    sm_buf_free(&b);
    free(doc);
}

static void test_duplicate_keys(void **state)
{
    jt *t = *state;
    Hero h;
    Org o;

    assert_int_equal(jt_decode(t, &hero_model,
                               "{\"name\":\"a\",\"secret_name\":\"s\",\"name\":\"b\"}", &h),
                     SM_INVALID);
    jt_only(t, "name", "duplicate_key");
    /* an escaped spelling of the same key is the same key */
    assert_int_equal(jt_decode(t, &hero_model,
                               "{\"name\":\"a\",\"secret_name\":\"s\",\"n\\u0061me\":\"b\"}", &h),
                     SM_INVALID);
    jt_only(t, "name", "duplicate_key");
    assert_int_equal(jt_decode(t, &org_model,
                               "{\"name\":\"n\",\"address\":{\"city\":\"c\",\"city\":\"d\"},"
                               "\"members\":[{\"name\":\"a\"},{\"age\":1,\"name\":\"b\",\"age\":2}]}",
                               &o),
                     SM_INVALID);
    jt_errors(t, "address.city", "duplicate_key", "members[1].age", "duplicate_key", NULL);
    assert_string_equal(t->errs.items[0].msg, "key appears more than once");
}

/* Unknown keys are skipped, but not twice: a key given twice is an error
 * in every object of the document, decoded, skipped or kept as json. */
static void test_duplicate_unknown_keys(void **state)
{
    jt *t = *state;
    Hero h;
    Org o;
    Strict s;
    AllTypes a;

    assert_int_equal(jt_decode(t, &hero_model,
                               "{\"name\":\"a\",\"secret_name\":\"s\",\"x\":1,\"x\":2}", &h),
                     SM_INVALID);
    assert_string_equal(jt_only(t, "x", "duplicate_key")->msg, "key appears more than once");
    jt_assert_zero(&h, sizeof h);
    /* spelled differently, the same key; three times, two errors */
    assert_int_equal(jt_decode(t, &hero_model,
                               "{\"x\":1,\"name\":\"a\",\"\\u0078\":[],\"secret_name\":\"s\","
                               "\"x\":{}}",
                               &h),
                     SM_INVALID);
    jt_errors(t, "x", "duplicate_key", "x", "duplicate_key", NULL);
    /* with forbid_unknown: unknown once, then a duplicate */
    assert_int_equal(jt_decode(t, &strict_model, "{\"a\":1,\"b\":1,\"b\":2}", &s), SM_INVALID);
    jt_errors(t, "b", "unknown_field", "b", "duplicate_key", NULL);
    /* in a nested model, and inside skipped values, with their paths */
    assert_int_equal(jt_decode(t, &org_model,
                               "{\"name\":\"n\",\"address\":{\"city\":\"c\",\"q\":1,\"q\":2},"
                               "\"members\":[],\"x\":{\"y\":[1,{\"z\":1,\"\\u007a\":2}],\"w\":3},"
                               "\"v\":[[{\"k\":{\"a\\nb\":1,\"a\\u000ab\":[]}}]]}",
                               &o),
                     SM_INVALID);
    jt_errors(t, "address.q", "duplicate_key", "x.y[1].z", "duplicate_key",
              "v[0][0].k.a\nb", "duplicate_key", NULL);
    /* a non-object top level is skipped too */
    assert_int_equal(jt_decode(t, &hero_model, "[0,{\"a\":1,\"a\":2}]", &h), SM_INVALID);
    jt_errors(t, "", "type", "[1].a", "duplicate_key", NULL);
    /* in a json field: its text must be one JSON value by the same rules */
    char *doc = all_types_doc("j", "{\"k\":1,\"m\":[{\"k\":2},{\"k\":3,\"k\":4}]}");
    assert_int_equal(jt_decode(t, &all_types_model, doc, &a), SM_INVALID);
    jt_errors(t, "j.m[1].k", "duplicate_key", NULL);
    free(doc);
    /* the same key in sibling objects, at other depths, after an object
     * closed: not a repeat */
    assert_int_equal(jt_decode(t, &hero_model,
                               "{\"name\":\"a\",\"x\":{\"x\":{\"x\":1,\"name\":2}},\"y\":[{\"x\":1},"
                               "{\"x\":2}],\"secret_name\":\"s\",\"z\":{\"y\":1}}",
                               &h),
                     SM_OK);
    doc = all_types_doc("j", "{\"k\":{\"k\":{\"k\":1}},\"m\":[{\"k\":2},{\"k\":3}],\"K\":0}");
    assert_int_equal(jt_decode(t, &all_types_model, doc, &a), SM_OK);
    assert_string_equal(a.j, "{\"k\":{\"k\":{\"k\":1}},\"m\":[{\"k\":2},{\"k\":3}],\"K\":0}");
    free(doc);
}

/* Objects with many keys: keys are found again past the first few, in
 * nested objects opened and closed in between, whatever their order. */
static void test_duplicate_keys_in_large_objects(void **state)
{
    jt *t = *state;
    sm_buf b = SM_BUF_INIT;
    Hero h;

    assert_int_equal(sm_buf_puts(&b, "{\"name\":\"n\",\"secret_name\":\"s\""), SM_OK);
    for (int k = 0; k < 1000; k++) {
        /* each value an object whose keys are the outer ones' names */
        assert_int_equal(sm_buf_printf(&b, ",\"k%d\":{", k), SM_OK);
        for (int j = 0; j < 20; j++)
            assert_int_equal(sm_buf_printf(&b, "%s\"k%d\":%d", j ? "," : "", (k + j) % 1000, j),
                             SM_OK);
        assert_int_equal(sm_buf_putc(&b, '}'), SM_OK);
    }
    assert_int_equal(sm_buf_puts(&b, ",\"k999\":0,\"k0\":0,\"k\\u0035\":0,\"k1000\":0,\"k7\":{\"a\":1,"
                                     "\"k7\":2,\"a\":3}}"),
                     SM_OK);
    assert_int_equal(jt_decode(t, &hero_model, b.data, &h), SM_INVALID);
    jt_errors(t, "k999", "duplicate_key", "k0", "duplicate_key", "k5", "duplicate_key", "k7",
              "duplicate_key", "k7.a", "duplicate_key", NULL);
    sm_buf_free(&b);
}

/* A repeat arriving just as an object outgrows the linear search (its
 * 8th, 9th, ... unknown key) leaves every key findable: later repeats are
 * found and later new keys are not (it once linked keys twice and the
 * next lookup looped forever). */
static void test_duplicate_at_the_switch_to_hashing(void **state)
{
    jt *t = *state;
    static const int before[] = {7, 8, 9, 16};
    for (size_t c = 0; c < sizeof before / sizeof before[0]; c++) {
        sm_buf b = SM_BUF_INIT;
        Hero h;
        assert_int_equal(sm_buf_puts(&b, "{\"name\":\"n\",\"secret_name\":\"s\""), SM_OK);
        for (int k = 0; k < before[c]; k++)
            assert_int_equal(sm_buf_printf(&b, ",\"u%d\":1", k), SM_OK);
        assert_int_equal(sm_buf_puts(&b, ",\"u0\":1,\"u0\":1"), SM_OK);
        for (int k = 0; k < 40; k++)
            assert_int_equal(sm_buf_printf(&b, ",\"x%d\":1", k), SM_OK);
        assert_int_equal(sm_buf_puts(&b, ",\"x3\":1,\"u1\":1}"), SM_OK);
        assert_int_equal(jt_decode(t, &hero_model, b.data, &h), SM_INVALID);
        jt_errors(t, "u0", "duplicate_key", "u0", "duplicate_key", "x3", "duplicate_key", "u1",
                  "duplicate_key", NULL);
        sm_errors_clear(&t->errs);
        sm_buf_free(&b);
    }
}

static void test_escaped_keys(void **state)
{
    jt *t = *state;
    Hero h;
    Strict s;

    assert_int_equal(jt_decode(t, &hero_model,
                               "{\"\\u006eame\":\"a\",\"secret\\u005fname\":\"s\"}", &h),
                     SM_OK);
    assert_string_equal(h.name, "a");
    assert_string_equal(h.secret_name, "s");
    assert_int_equal(jt_decode(t, &strict_model, "{\"a\":1,\"\\u00e9\\n\":1}", &s), SM_INVALID);
    jt_only(t, "\xc3\xa9\n", "unknown_field");
    /* a key with an escaped NUL matches nothing */
    assert_int_equal(jt_decode(t, &strict_model, "{\"a\\u0000\":1,\"a\":2}", &s), SM_INVALID);
    jt_only(t, "a", "unknown_field"); /* the path stops at the NUL */
}

static void test_wide(void **state)
{
    jt *t = *state;
    sm_buf b = SM_BUF_INIT;
    Wide w;

    assert_int_equal(sm_buf_putc(&b, '{'), SM_OK);
    for (int k = WIDE_N - 1; k >= 0; k--) /* reverse order: no hint helps */
        assert_int_equal(sm_buf_printf(&b, "\"f%d\":%d%s", k, k, k ? "," : ""), SM_OK);
    assert_int_equal(sm_buf_putc(&b, '}'), SM_OK);
    assert_int_equal(jt_decode(t, &wide_model, b.data, &w), SM_OK);
    for (int k = 0; k < WIDE_N; k++)
        assert_int_equal(w.v[k], k);

    sm_buf_reset(&b);
    assert_int_equal(sm_buf_putc(&b, '{'), SM_OK);
    for (int k = 0; k < WIDE_N; k++)
        if (k != 65)
            assert_int_equal(sm_buf_printf(&b, "\"f%d\":1,", k), SM_OK);
    assert_int_equal(sm_buf_puts(&b, "\"f69\":2,\"f3\":3}"), SM_OK);
    assert_int_equal(jt_decode(t, &wide_model, b.data, &w), SM_INVALID);
    jt_errors(t, "f69", "duplicate_key", "f3", "duplicate_key", "f65", "required", NULL);
    sm_buf_free(&b);
}

static void test_root_not_object(void **state)
{
    jt *t = *state;
    const char *docs[] = {"[]", "[{\"name\":1}]", "1", "\"x\"", "null", "true", " [ [ ] ] "};
    Hero h;

    for (size_t k = 0; k < sizeof docs / sizeof *docs; k++) {
        assert_int_equal(jt_decode(t, &hero_model, docs[k], &h), SM_INVALID);
        const sm_error *e = jt_only(t, "", "type");
        assert_string_equal(e->msg, "expected an object");
        jt_assert_zero(&h, sizeof h);
    }
}

static void test_errors_appended_and_out_zeroed(void **state)
{
    jt *t = *state;
    Hero h;

    assert_int_equal(sm_errors_add(&t->errs, "earlier", "check", "kept"), SM_OK);
    memset(&h, 0x77, sizeof h);
    assert_int_equal(sm_model_from_json(&hero_model, "{\"name\":2}", 10, &h, &t->arena,
                                        &t->errs),
                     SM_INVALID);
    jt_errors(t, "earlier", "check", "name", "type", "secret_name", "required", NULL);
    jt_assert_zero(&h, sizeof h);
    /* errs may be NULL: only the verdict */
    assert_int_equal(sm_model_from_json(&hero_model, "{\"name\":2}", 10, &h, &t->arena, NULL),
                     SM_INVALID);
    assert_int_equal(sm_model_from_json(&hero_model, "{", 1, &h, &t->arena, NULL), SM_INVALID);
    const char *ok = "{\"name\":\"a\",\"secret_name\":\"b\"}";
    assert_int_equal(sm_model_from_json(&hero_model, ok, strlen(ok), &h, &t->arena, NULL), SM_OK);
}

static void test_validation_after_decode(void **state)
{
    jt *t = *state;
    Hero h;

    assert_int_equal(jt_decode(t, &hero_model,
                               "{\"name\":\"a\",\"secret_name\":\"b\",\"age\":-1}", &h),
                     SM_INVALID);
    jt_only(t, "age", "out_of_range");
    jt_assert_zero(&h, sizeof h);

    /* A field that did not decode does not hide the constraints of those
     * that did: every error in one answer. */
    assert_int_equal(jt_decode(t, &hero_model, "{\"name\":2,\"age\":-1}", &h), SM_INVALID);
    jt_errors(t, "name", "type", "secret_name", "required", "age", "out_of_range", NULL);
    jt_assert_zero(&h, sizeof h);
    /* without a list, only the verdict, as before */
    assert_int_equal(sm_model_from_json(&hero_model, "{\"name\":2,\"age\":-1}", 20, &h,
                                        &t->arena, NULL),
                     SM_INVALID);
    /* and a partial: only the fields sent are checked */
    HeroUpdate u;
    assert_int_equal(jt_decode(t, &hero_update_model, "{\"name\":null,\"age\":-1}", &u),
                     SM_INVALID);
    jt_errors(t, "name", "required", "age", "out_of_range", NULL);
}

static void test_booleans_and_integers(void **state)
{
    jt *t = *state;
    AllTypes a;
    static const char *const not_bool[] = {"1", "0", "\"true\"", "[]", "{}", "\"\""};
    static const char *const not_int[] = {"\"1\"", "true", "1.0", "1e2", "1E0", "-0.0", "[1]",
                                          "{}", "0.5"};

    expect_ok(t, "b", "false", &a);
    assert_false(a.b);
    for (size_t k = 0; k < sizeof not_bool / sizeof *not_bool; k++)
        expect_field_error(t, "b", not_bool[k], "type");
    for (size_t k = 0; k < sizeof not_int / sizeof *not_int; k++) {
        expect_field_error(t, "i", not_int[k], "type");
        expect_field_error(t, "i32", not_int[k], "type");
        expect_field_error(t, "i16", not_int[k], "type");
    }
    expect_ok(t, "i", "-9223372036854775808", &a);
    assert_true(a.i == INT64_MIN);
    expect_ok(t, "i", "9223372036854775807", &a);
    assert_true(a.i == INT64_MAX);
    expect_ok(t, "i", "-0", &a);
    assert_int_equal(a.i, 0);
    expect_field_error(t, "i", "9223372036854775808", "out_of_range");
    expect_field_error(t, "i", "-9223372036854775809", "out_of_range");
    expect_field_error(t, "i", "123456789012345678901234567890", "out_of_range");
    expect_ok(t, "i32", "-2147483648", &a);
    assert_int_equal(a.i32, INT32_MIN);
    expect_ok(t, "i32", "2147483647", &a);
    assert_int_equal(a.i32, INT32_MAX);
    expect_field_error(t, "i32", "2147483648", "out_of_range");
    expect_field_error(t, "i32", "-2147483649", "out_of_range");
    expect_ok(t, "i16", "-32768", &a);
    assert_int_equal(a.i16, INT16_MIN);
    expect_ok(t, "i16", "32767", &a);
    assert_int_equal(a.i16, INT16_MAX);
    expect_field_error(t, "i16", "32768", "out_of_range");
    expect_field_error(t, "i16", "-32769", "out_of_range");
    expect_field_error(t, "i16", "99999999999999999999", "out_of_range");
    char *doc = all_types_doc("i16", "40000");
    AllTypes b;
    assert_int_equal(jt_decode(t, &all_types_model, doc, &b), SM_INVALID);
    assert_string_equal(t->errs.items[0].msg, "integer out of range of i16 [-32768, 32767]");
    free(doc);
}

static void test_floats(void **state)
{
    jt *t = *state;
    AllTypes a;
    static const char *const not_float[] = {"\"1.5\"", "true", "[]", "\"NaN\"", "{}"};

    expect_ok(t, "f", "7", &a); /* integers are numbers */
    assert_true(a.f == 7.0);
    expect_ok(t, "f", "-0", &a);
    assert_true(a.f == 0.0 && signbit(a.f));
    expect_ok(t, "f", "1E+2", &a);
    assert_true(a.f == 100.0);
    expect_ok(t, "f", "123456789012345678901234567890", &a);
    assert_true(a.f == 123456789012345678901234567890.0);
    expect_ok(t, "f", "1e-400", &a); /* underflows to zero, as strtod does */
    assert_true(a.f == 0.0);
    expect_ok(t, "f", "2.2250738585072011e-308", &a);
    assert_true(a.f == 2.2250738585072011e-308);
    expect_ok(t, "f", "0.1e1", &a);
    assert_true(a.f == 1.0);
    expect_field_error(t, "f", "1e400", "out_of_range");
    expect_field_error(t, "f", "-1e400", "out_of_range");
    for (size_t k = 0; k < sizeof not_float / sizeof *not_float; k++)
        expect_field_error(t, "f", not_float[k], "type");
}

static void test_decimals(void **state)
{
    jt *t = *state;
    AllTypes a;

    expect_ok(t, "d", "123.45", &a);
    assert_int_equal(a.d, 12345);
    expect_ok(t, "d", "\"-0.01\"", &a);
    assert_int_equal(a.d, -1);
    expect_ok(t, "d", "12", &a);
    assert_int_equal(a.d, 1200);
    expect_ok(t, "d", "\"9999999999999999.99\"", &a);
    assert_int_equal(a.d, INT64_C(999999999999999999));
    expect_ok(t, "d", "-9999999999999999.99", &a);
    assert_int_equal(a.d, -INT64_C(999999999999999999));
    expect_ok(t, "d", "\"1\\u002e5\"", &a); /* escapes are undone first */
    assert_int_equal(a.d, 150);
    expect_field_error(t, "d", "\"10000000000000000.00\"", "out_of_range");
    expect_field_error(t, "d", "10000000000000000", "out_of_range");
    expect_field_error(t, "d", "\"1.234\"", "type"); /* too many places */
    expect_field_error(t, "d", "1.234", "type");
    expect_field_error(t, "d", "1e2", "type");
    expect_field_error(t, "d", "\"1e2\"", "type");
    expect_field_error(t, "d", "\"abc\"", "type");
    expect_field_error(t, "d", "\" 1\"", "type");
    expect_field_error(t, "d", "\"\"", "type");
    expect_field_error(t, "d", "true", "type");
    expect_field_error(t, "d", "[1]", "type");
}

static void test_text(void **state)
{
    jt *t = *state;
    AllTypes a;

    expect_ok(t, "t", "\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u0041 \\u00e9 \\u20ac \\ud83d\\ude00\"",
              &a);
    assert_string_equal(a.t, "\" \\ / \b \f \n \r \t A \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
    expect_ok(t, "t", "\"\\uDBFF\\uDFFF\"", &a);
    assert_string_equal(a.t, "\xf4\x8f\xbf\xbf");
    expect_ok(t, "t", "\"\"", &a);
    assert_string_equal(a.t, "");
    expect_ok(t, "t", "\"\x7f raw \xe2\x82\xac\"", &a);
    assert_string_equal(a.t, "\x7f raw \xe2\x82\xac");
    expect_field_error(t, "t", "\"a\\u0000b\"", "type");
    expect_field_error(t, "t", "1", "type");
    expect_field_error(t, "t", "null", "required");
    expect_field_error(t, "t", "[\"a\"]", "type");
}

static void test_bytes(void **state)
{
    jt *t = *state;
    AllTypes a;
    static const char *const bad[] = {"\"A\"",      "\"AA\"",    "\"AAA\"",    "\"AA=\"",
                                      "\"A===\"",   "\"====\"",  "\"AA==AA==\"", "\"AB==\"",
                                      "\"AAB=\"",   "\"AA*A\"",  "\"AA A\"",   "\"AAAA\\n\"",
                                      "\"AA-_\"",   "\"=AAA\"",  "\"AA=A\"",   "1"};

    expect_ok(t, "by", "\"\"", &a);
    assert_non_null(a.by.data);
    assert_int_equal(a.by.len, 0);
    expect_ok(t, "by", "\"+/8=\"", &a);
    assert_int_equal(a.by.len, 2);
    assert_memory_equal(a.by.data, "\xfb\xff", 2);
    expect_ok(t, "by", "\"AA\\u003d\\u003d\"", &a); /* escaped '=' */
    assert_int_equal(a.by.len, 1);
    expect_ok(t, "by", "\"QUJD\\/A==\"", &a);
    assert_int_equal(a.by.len, 4);
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++)
        expect_field_error(t, "by", bad[k], "type");
}

static void test_dates_times_uuids(void **state)
{
    jt *t = *state;
    AllTypes a;
    static const char *const bad_day[] = {
        "\"2023-02-29\"",  "\"2024-13-01\"",  "\"24-01-01\"",     "\"2024-1-1\"",
        "\"2024-01-01T00:00:00\"", "20240101", "\"\"", "\"0000-12-31\"", "\"10000-01-01\"",
        "\"-0001-01-01\"", "\"-4713-11-24\"", "\"+2024-01-01\"", "\"02024-01-01\""};
    static const char *const bad_tm[] = {"\"24:00:00\"", "\"12:60:00\"", "\"12:00\"",
                                         "\"12:00:00.1234567\"", "\"12:00:00Z\"", "43200"};
    static const char *const bad_when[] = {
        "\"2024-01-01\"", "\"2024-01-01T25:00:00Z\"", "\"2024-01-01T00:00:00+24:00\"",
        "\"yesterday\"", "0", "\"10000-01-01T00:00:00Z\"", "\"-0001-06-01T00:00:00Z\"",
        "\"0001-01-01T00:00:00+00:01\"", "\"9999-12-31T23:59:59.999999-00:01\""};
    static const char *const bad_u[] = {"\"00112233445566778899aabbccddeeff\"",
                                        "\"00112233-4455-6677-8899-aabbccddeefg\"",
                                        "\"{00112233-4455-6677-8899-aabbccddeeff}\"",
                                        "\"00112233-4455-6677-8899-aabbccddeef\"", "1"};

    expect_ok(t, "day", "\"0001-01-01\"", &a);
    assert_int_equal(a.day, -719162);
    expect_ok(t, "day", "\"9999-12-31\"", &a);
    assert_int_equal(a.day, 2932896);
    expect_ok(t, "day", "\"2024-02-29\"", &a);
    assert_int_equal(a.day, sm_date_from_ymd(2024, 2, 29));
    expect_ok(t, "tm", "\"23:59:59.999999\"", &a);
    assert_int_equal(a.tm, INT64_C(86399999999));
    expect_ok(t, "tm", "\"00:00:01.5\"", &a);
    assert_int_equal(a.tm, 1500000);
    expect_ok(t, "when", "\"2024-01-31T12:00:00+02:00\"", &a);
    assert_int_equal(a.stamp, INT64_C(1706695200000000));
    expect_ok(t, "when", "\"2024-01-31 12:00:00.000001\"", &a);
    assert_int_equal(a.stamp, INT64_C(1706702400000001));
    expect_ok(t, "when", "\"0001-01-01T00:00:00Z\"", &a);
    assert_int_equal(a.stamp, INT64_C(-62135596800000000));
    expect_ok(t, "when", "\"9999-12-31T23:59:59.999999Z\"", &a);
    assert_int_equal(a.stamp, INT64_C(253402300799999999));
    expect_ok(t, "u", "\"00112233-4455-6677-8899-AABBCCDDEEFF\"", &a);
    assert_int_equal(a.u.b[15], 0xff);
    for (size_t k = 0; k < sizeof bad_day / sizeof *bad_day; k++)
        assert_string_equal(expect_field_error(t, "day", bad_day[k], "type"),
                            "expected a date string YYYY-MM-DD from 0001-01-01 to 9999-12-31");
    for (size_t k = 0; k < sizeof bad_tm / sizeof *bad_tm; k++)
        expect_field_error(t, "tm", bad_tm[k], "type");
    for (size_t k = 0; k < sizeof bad_when / sizeof *bad_when; k++)
        assert_string_equal(expect_field_error(t, "when", bad_when[k], "type"),
                            "expected an ISO 8601 datetime string from 0001-01-01T00:00:00Z "
                            "to 9999-12-31T23:59:59.999999Z");
    for (size_t k = 0; k < sizeof bad_u / sizeof *bad_u; k++)
        expect_field_error(t, "u", bad_u[k], "type");
}

static void test_enums(void **state)
{
    jt *t = *state;
    AllTypes a;

    expect_ok(t, "e", "\"strength\"", &a);
    assert_int_equal(a.e, POWER_STRENGTH);
    expect_ok(t, "e", "\"sp\\u0065ed\"", &a);
    assert_int_equal(a.e, POWER_SPEED);
    expect_ok(t, "c", "\"white\"", &a);
    assert_int_equal(a.c, COLOUR_WHITE);

    char *doc = all_types_doc("e", "\"Flight\"");
    assert_int_equal(jt_decode(t, &all_types_model, doc, &a), SM_INVALID);
    free(doc);
    assert_string_equal(jt_only(t, "e", "enum")->msg, "expected one of: flight, strength, speed");
    doc = all_types_doc("c", "\"pink\"");
    assert_int_equal(jt_decode(t, &all_types_model, doc, &a), SM_INVALID);
    free(doc);
    assert_string_equal(jt_only(t, "c", "enum")->msg, "expected a member of enum Colour");
    expect_field_error(t, "e", "\"\"", "enum");
    expect_field_error(t, "e", "\"flight \"", "enum");
    expect_field_error(t, "e", "0", "type");
    expect_field_error(t, "e", "[\"flight\"]", "type");
}

static void test_json_values(void **state)
{
    jt *t = *state;
    AllTypes a;
    static const char *const vals[] = {"0",    "-1.5e-3", "\"s\\n\"", "true", "false",
                                       "null", "[]",      "{}",       "[1, [2, {\"a\": {}}]]",
                                       "{ \"k\" : \"\\u0000\" , \"K\" : 1 }"};

    for (size_t k = 0; k < sizeof vals / sizeof *vals; k++) {
        expect_ok(t, "j", vals[k], &a); /* the source text exactly */
        assert_string_equal(a.j, vals[k]);
    }
    char *doc = all_types_doc("j", NULL);
    assert_int_equal(jt_decode(t, &all_types_model, doc, &a), SM_INVALID);
    jt_only(t, "j", "required");
    free(doc);
}

/* Every field type given a value of every wrong JSON kind. */
static void test_wrong_types_everywhere(void **state)
{
    jt *t = *state;
    static const struct {
        const char *key;
        const char *bad[6];
    } cases[] = {
        {"b", {"0", "\"x\"", "[]", "{}", NULL}},
        {"i", {"true", "\"1\"", "[]", "{}", "1.5", NULL}},
        {"i32", {"true", "\"1\"", "[]", "{}", "1e1", NULL}},
        {"i16", {"false", "\"1\"", "[0]", "{\"a\":1}", "0.0", NULL}},
        {"f", {"true", "\"1\"", "[]", "{}", NULL}},
        {"d", {"true", "[]", "{}", "\"x\"", NULL}},
        {"t", {"true", "0", "[]", "{}", NULL}},
        {"by", {"true", "0", "[]", "{}", "\"***\"", NULL}},
        {"day", {"true", "0", "[]", "{}", "\"x\"", NULL}},
        {"tm", {"true", "0", "[]", "{}", "\"x\"", NULL}},
        {"when", {"true", "0", "[]", "{}", "\"x\"", NULL}},
        {"u", {"true", "0", "[]", "{}", "\"x\"", NULL}},
        {"e", {"true", "0", "[]", "{}", NULL}},
    };

    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++)
        for (size_t v = 0; v < 6 && cases[k].bad[v]; v++)
            expect_field_error(t, cases[k].key, cases[k].bad[v], "type");
    /* several at once: all reported, in document order */
    AllTypes a;
    assert_int_equal(jt_decode(t, &all_types_model,
                               "{\"b\":1,\"i\":\"1\",\"i32\":[],\"i16\":{},\"f\":true,\"d\":[],"
                               "\"t\":0,\"by\":0,\"day\":0,\"tm\":0,\"when\":0,\"u\":0,\"j\":0,"
                               "\"e\":0,\"c\":0}",
                               &a),
                     SM_INVALID);
    jt_errors(t, "b", "type", "i", "type", "i32", "type", "i16", "type", "f", "type", "d", "type",
              "t", "type", "by", "type", "day", "type", "tm", "type", "when", "type", "u", "type",
              "e", "type", "c", "type", NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_hero, jt_setup, jt_teardown),
        cmocka_unit_test_setup_teardown(test_required_and_absent, jt_setup, jt_teardown),
        cmocka_unit_test_setup_teardown(test_defaults, jt_setup, jt_teardown),
        cmocka_unit_test_setup_teardown(test_nullables_absent_and_null, jt_setup, jt_teardown),
        cmocka_unit_test_setup_teardown(test_partial, jt_setup, jt_teardown),
        cmocka_unit_test_setup_teardown(test_nested_and_paths, jt_setup, jt_teardown),
        cmocka_unit_test_setup_teardown(test_long_list, jt_setup, jt_teardown),
        cmocka_unit_test_setup_teardown(test_unknown_keys, jt_setup, jt_teardown),
        cmocka_unit_test_setup_teardown(test_skip_field_not_read, jt_setup, jt_teardown),
        cmocka_unit_test_setup_teardown(test_duplicate_keys, jt_setup, jt_teardown),
        cmocka_unit_test_setup_teardown(test_duplicate_unknown_keys, jt_setup, jt_teardown),
        cmocka_unit_test_setup_teardown(test_duplicate_keys_in_large_objects, jt_setup,
                                        jt_teardown),
        cmocka_unit_test_setup_teardown(test_duplicate_at_the_switch_to_hashing, jt_setup,
                                        jt_teardown),
        cmocka_unit_test_setup_teardown(test_escaped_keys, jt_setup, jt_teardown),
        cmocka_unit_test_setup_teardown(test_wide, jt_setup, jt_teardown),
        cmocka_unit_test_setup_teardown(test_root_not_object, jt_setup, jt_teardown),
        cmocka_unit_test_setup_teardown(test_errors_appended_and_out_zeroed, jt_setup,
                                        jt_teardown),
        cmocka_unit_test_setup_teardown(test_validation_after_decode, jt_setup, jt_teardown),
        cmocka_unit_test_setup_teardown(test_booleans_and_integers, jt_setup, jt_teardown),
        cmocka_unit_test_setup_teardown(test_floats, jt_setup, jt_teardown),
        cmocka_unit_test_setup_teardown(test_decimals, jt_setup, jt_teardown),
        cmocka_unit_test_setup_teardown(test_text, jt_setup, jt_teardown),
        cmocka_unit_test_setup_teardown(test_bytes, jt_setup, jt_teardown),
        cmocka_unit_test_setup_teardown(test_dates_times_uuids, jt_setup, jt_teardown),
        cmocka_unit_test_setup_teardown(test_enums, jt_setup, jt_teardown),
        cmocka_unit_test_setup_teardown(test_json_values, jt_setup, jt_teardown),
        cmocka_unit_test_setup_teardown(test_wrong_types_everywhere, jt_setup, jt_teardown),
    };
    return cmocka_run_group_tests_name("json_read", tests, NULL, NULL);
}
