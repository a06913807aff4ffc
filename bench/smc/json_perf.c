/*
 * json_perf: the JSON codec of the generated Hero without a database.
 *
 * Part 1 prints the throughput of hero_to_json, hero_from_json (which
 * validates) and the round trip of the two, each run for about a second.
 * Part 2 decodes documents that grow tenfold (distinct unknown keys, keys
 * repeated, field errors past the cap, deep unknown values) and prints the
 * time per size, so that linear growth can be seen: each line's time
 * should be about ten times the one before, never a hundred.
 *
 * Every result is checked; a wrong one stops the program with status 1.
 */
#include "hero.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what, int rc)
{
    fprintf(stderr, "json_perf: %s: %s\n", what, sm_strerror(rc));
    exit(1);
}

static const Hero sample = {.name = "Deadpond", .secret_name = "Dive Wilson", .age = 48,
                            .has_age = true, .id = 1};
static const char hero_doc[] = "{\"name\":\"Deadpond\",\"secret_name\":\"Dive Wilson\","
                               "\"age\":48,\"team_id\":null,\"id\":1}";

typedef struct state {
    sm_buf out;
    sm_arena arena;
    sm_errors errs;
} state;

static void encode_once(state *s)
{
    sm_buf_reset(&s->out);
    int rc = hero_to_json(&sample, &s->out);
    if (rc != SM_OK)
        die("hero_to_json", rc);
}

static void decode_once(state *s)
{
    Hero h;
    int rc = hero_from_json(hero_doc, sizeof hero_doc - 1, &h, &s->arena, &s->errs);
    if (rc != SM_OK || h.age != 48)
        die("hero_from_json", rc);
}

static void round_trip_once(state *s)
{
    Hero h;
    encode_once(s);
    int rc = hero_from_json(s->out.data, s->out.len, &h, &s->arena, &s->errs);
    if (rc != SM_OK || strcmp(h.name, sample.name) != 0)
        die("round trip", rc);
}

/* Calls fn in batches until a second has passed; returns calls per second. */
static double rate(state *s, void (*fn)(state *))
{
    double start = now_s(), el;
    long calls = 0;
    do {
        for (int i = 0; i < 10000; i++)
            fn(s);
        calls += 10000;
        sm_arena_free(&s->arena);
        el = now_s() - start;
    } while (el < 1.0);
    return (double)calls / el;
}

/* ---- Growth ------------------------------------------------------------------- */

/* Documents of n units of one shape: a Hero with n extra members. */
enum { DISTINCT_KEYS, SAME_KEY, FIELD_ERRORS, DEEP_VALUES, NSHAPES };
static const char *const shape_names[NSHAPES] = {
    "distinct unknown keys", "one unknown key repeated", "a known key repeated (one duplicate_key error each)",
    "unknown values nested 60 deep"};

static void build(sm_buf *b, int shape, long n)
{
    int rc = sm_buf_puts(b, "{\"name\":\"n\",\"secret_name\":\"s\"");
    for (long k = 0; k < n && rc == SM_OK; k++) {
        switch (shape) {
        case DISTINCT_KEYS:
            rc = sm_buf_printf(b, ",\"k%ld\":%ld", k, k);
            break;
        case SAME_KEY:
            rc = sm_buf_puts(b, ",\"same\":1");
            break;
        case FIELD_ERRORS: /* each "age" after the first is a duplicate_key error */
            rc = sm_buf_puts(b, ",\"age\":1");
            break;
        default:
            rc = sm_buf_printf(b, ",\"d%ld\":", k);
            for (int d = 0; d < 60 && rc == SM_OK; d++)
                rc = sm_buf_puts(b, "[");
            for (int d = 0; d < 60 && rc == SM_OK; d++)
                rc = sm_buf_puts(b, "]");
            break;
        }
    }
    if (rc == SM_OK)
        rc = sm_buf_putc(b, '}');
    if (rc != SM_OK)
        die("building a document", rc);
}

static void growth(state *s)
{
    static const int want[NSHAPES] = {SM_OK, SM_INVALID, SM_INVALID, SM_OK};
    printf("\ndecode time by document size (linear: x10 units, about x10 time)\n");
    for (int shape = 0; shape < NSHAPES; shape++) {
        printf("  %s\n", shape_names[shape]);
        for (long n = 10000; n <= 1000000; n *= 10) {
            sm_buf doc = SM_BUF_INIT;
            Hero h;
            build(&doc, shape, n);
            sm_errors_clear(&s->errs);
            double t0 = now_s();
            int rc = hero_from_json(doc.data, doc.len, &h, &s->arena, &s->errs);
            double el = now_s() - t0;
            if (rc != want[shape])
                die(shape_names[shape], rc);
            printf("    %8ld units %10zu bytes %9.2f ms %6zu errors\n", n, doc.len, el * 1e3,
                   s->errs.len);
            sm_arena_free(&s->arena);
            sm_buf_free(&doc);
        }
    }
}

int main(void)
{
    state s = {SM_BUF_INIT, SM_ARENA_INIT, SM_ERRORS_INIT};

    double enc = rate(&s, encode_once);
    double dec = rate(&s, decode_once);
    double rt = rate(&s, round_trip_once);
    printf("hero JSON: %.2f M encodes/s, %.2f M decodes/s (with validation), "
           "%.2f M round trips/s\n",
           enc / 1e6, dec / 1e6, rt / 1e6);
    growth(&s);
    sm_buf_free(&s.out);
    sm_errors_free(&s.errs);
    sm_arena_free(&s.arena);
    return 0;
}
