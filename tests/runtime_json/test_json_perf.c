/*
 * test_json_perf.c: throughput of the hero round trip (encode, then decode
 * and validate), printed for people; nothing is timed as an assertion, but
 * every round trip is checked.
 */
#include "jtest.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Runs `fn` in rounds of `batch` until a second has passed; returns calls/s. */
static double rate(jt *t, int (*fn)(jt *t, const Hero *h, long i), const Hero *h, long batch)
{
    double start = now_s(), el;
    long calls = 0;

    do {
        for (long i = 0; i < batch; i++)
            assert_int_equal(fn(t, h, i), SM_OK);
        calls += batch;
        sm_arena_free(&t->arena);
        el = now_s() - start;
    } while (el < 1.0);
    return (double)calls / el;
}

static int encode_only(jt *t, const Hero *h, long i)
{
    (void)i;
    sm_buf_reset(&t->out);
    return sm_model_to_json(&hero_model, h, &t->out);
}

static const char hero_doc[] = "{\"id\":1,\"name\":\"Deadpond\",\"secret_name\":\"Dive Wilson\","
                               "\"age\":48,\"team_id\":null}";

static int decode_only(jt *t, const Hero *h, long i)
{
    Hero back;
    (void)h;
    (void)i;
    return sm_model_from_json(&hero_model, hero_doc, sizeof hero_doc - 1, &back, &t->arena,
                              &t->errs);
}

static int round_trip(jt *t, const Hero *h, long i)
{
    Hero back;
    int rc;

    (void)i;
    sm_buf_reset(&t->out);
    if ((rc = sm_model_to_json(&hero_model, h, &t->out)) != SM_OK)
        return rc;
    rc = sm_model_from_json(&hero_model, t->out.data, t->out.len, &back, &t->arena, &t->errs);
    if (rc == SM_OK && (back.age != h->age || strcmp(back.name, h->name) != 0))
        return SM_ERROR;
    return rc;
}

static void test_hero_throughput(void **state)
{
    jt *t = *state;
    Hero h = {1, "Deadpond", "Dive Wilson", 48, true, 0, false, NULL};

    double enc = rate(t, encode_only, &h, 10000);
    double dec = rate(t, decode_only, &h, 10000);
    double rt = rate(t, round_trip, &h, 10000);
    print_message("hero JSON: %.2f M encodes/s, %.2f M decodes/s (with validation), "
                  "%.2f M round trips/s\n",
                  enc / 1e6, dec / 1e6, rt / 1e6);
    assert_int_equal(t->errs.len, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_hero_throughput, jt_setup, jt_teardown),
    };
    return cmocka_run_group_tests_name("json_perf", tests, NULL, NULL);
}
