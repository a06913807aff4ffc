/*
 * json_perf: libsmdl's JSON codec through the generated Hero, without a
 * database.
 *
 * Part 1 runs it against the hand-written codec of ../c/hero_json.c on
 * the same rows of the hero workload (wl_hero, ids 1..n).  Both encode
 * every row into one buffer, one object after another, then decode every
 * object back, as phase W5 of the workload does.  The four runs (smdl
 * encode, C encode, smdl decode with validation, C decode) alternate, in a
 * different order each round, after one warm-up round; each round prints
 * its ops/s, then the lines that begin with "JSON " give the median of the
 * rounds and the ratio smdl/C of the medians.
 *
 * Part 2 decodes documents that grow tenfold (distinct unknown keys, keys
 * repeated, field errors past the cap, deep unknown values) and prints the
 * time per size, so that linear growth can be seen: each line's time
 * should be about ten times the one before, never a hundred.
 *
 * Every result is checked: each decoder must give back the rows encoded,
 * each encoder the same bytes every round, each hostile document its
 * verdict; a difference stops the program with status 1.
 *
 *   json_perf [rows [rounds]]      defaults 100000 and 7
 *
 * The loops of part 1 are separate functions (enc_smdl, enc_c, dec_smdl,
 * dec_c) so that a profiler can count each alone, e.g. valgrind
 * --tool=callgrind --toggle-collect=enc_smdl.
 */
#include "hero.h"
#include "hero_json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { NAME = 32, SECRET = 64, MAX_ROUNDS = 99 };

typedef struct rows {
    size_t n;
    hero *c;          /* the rows for the hand-written codec */
    Hero *s;          /* the same rows for the generated one */
    char (*names)[NAME];
    char (*secrets)[SECRET];
} rows;

typedef struct docs {
    size_t *offs;     /* n + 1 offsets of the objects in the buffer */
    sm_buf smdl;
    json_buf c;
} docs;

static void fail(const char *what, size_t i)
{
    fprintf(stderr, "json_perf: %s (row %zu)\n", what, i);
    exit(1);
}

static void die(const char *what, int rc)
{
    fprintf(stderr, "json_perf: %s: %s\n", what, sm_strerror(rc));
    exit(1);
}

static void make_rows(rows *r, size_t n)
{
    r->n = n;
    r->c = calloc(n, sizeof *r->c);
    r->s = calloc(n, sizeof *r->s);
    r->names = calloc(n, sizeof *r->names);
    r->secrets = calloc(n, sizeof *r->secrets);
    if (!r->c || !r->s || !r->names || !r->secrets)
        fail("out of memory", 0);
    for (size_t i = 0; i < n; i++) {
        hero *h = &r->c[i];
        wl_hero((int64_t)i, h, r->names[i], NAME, r->secrets[i], SECRET);
        h->id = (int64_t)i + 1;
        Hero s = HERO_INIT;
        s.name = h->name;
        s.secret_name = h->secret_name;
        s.age = h->age;
        s.has_age = h->has_age;
        s.team_id = h->team_id;
        s.has_team_id = h->has_team_id;
        s.id = h->id;
        r->s[i] = s;
    }
}

static bool same(const Hero *a, const hero *b)
{
    return a->id == b->id && strcmp(a->name, b->name) == 0 &&
           strcmp(a->secret_name, b->secret_name) == 0 && a->has_age == b->has_age &&
           (!a->has_age || a->age == b->age) && a->has_team_id == b->has_team_id &&
           (!a->has_team_id || a->team_id == b->team_id);
}

/* ---- The four timed loops ------------------------------------------------------ */

__attribute__((noinline)) void enc_smdl(const rows *r, docs *d);
__attribute__((noinline)) void enc_c(const rows *r, docs *d);
__attribute__((noinline)) void dec_smdl(const rows *r, const docs *d, Hero *out, sm_arena *a,
                                        sm_errors *errs);
__attribute__((noinline)) void dec_c(const rows *r, const docs *d, hero *out);

void enc_smdl(const rows *r, docs *d)
{
    sm_buf_reset(&d->smdl);
    for (size_t i = 0; i < r->n; i++) {
        d->offs[i] = d->smdl.len;
        if (hero_to_json(&r->s[i], &d->smdl) != SM_OK)
            fail("hero_to_json failed", i);
    }
    d->offs[r->n] = d->smdl.len;
}

void enc_c(const rows *r, docs *d)
{
    d->c.len = 0;
    for (size_t i = 0; i < r->n; i++) {
        d->offs[i] = d->c.len;
        hero_json_write(&d->c, &r->c[i]);
    }
    d->offs[r->n] = d->c.len;
}

void dec_smdl(const rows *r, const docs *d, Hero *out, sm_arena *a, sm_errors *errs)
{
    for (size_t i = 0; i < r->n; i++)
        if (hero_from_json(d->smdl.data + d->offs[i], d->offs[i + 1] - d->offs[i], &out[i], a,
                           errs) != SM_OK)
            fail("hero_from_json failed", i);
}

void dec_c(const rows *r, const docs *d, hero *out)
{
    for (size_t i = 0; i < r->n; i++)
        if (!hero_json_parse(d->c.data + d->offs[i], d->offs[i + 1] - d->offs[i], &out[i]))
            fail("hero_json_parse failed", i);
}

/* ---- Rounds --------------------------------------------------------------------- */

enum { ENC_SMDL, ENC_C, DEC_SMDL, DEC_C, NRUNS };

typedef struct bench {
    rows r;
    docs ds, dc;        /* the offsets of each codec's documents */
    Hero *s_out;
    hero *c_out;
    sm_arena arena;
    sm_errors errs;
    sm_buf first_smdl;  /* round 0's output, which every round must repeat */
    json_buf first_c;
} bench;

/* Runs one of the four and returns its ops/s; checks what it produced. */
static double run_one(bench *b, int which)
{
    size_t n = b->r.n;
    double t0 = wl_now(), el;

    switch (which) {
    case ENC_SMDL:
        enc_smdl(&b->r, &b->ds);
        el = wl_now() - t0;
        if (b->first_smdl.len != b->ds.smdl.len ||
            memcmp(b->first_smdl.data, b->ds.smdl.data, b->ds.smdl.len) != 0)
            fail("smdl encoded differently from the first round", 0);
        break;
    case ENC_C:
        enc_c(&b->r, &b->dc);
        el = wl_now() - t0;
        if (b->first_c.len != b->dc.c.len || memcmp(b->first_c.data, b->dc.c.data, b->dc.c.len))
            fail("C encoded differently from the first round", 0);
        break;
    case DEC_SMDL:
        dec_smdl(&b->r, &b->ds, b->s_out, &b->arena, &b->errs);
        el = wl_now() - t0;
        for (size_t i = 0; i < n; i++)
            if (!same(&b->s_out[i], &b->r.c[i]))
                fail("smdl decoded a different row", i);
        sm_arena_free(&b->arena);
        break;
    default:
        dec_c(&b->r, &b->dc, b->c_out);
        el = wl_now() - t0;
        for (size_t i = 0; i < n; i++) {
            if (!hero_equal(&b->c_out[i], &b->r.c[i]))
                fail("C decoded a different row", i);
            hero_free(&b->c_out[i]);
        }
        break;
    }
    return (double)n / el;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(const double *v, int n)
{
    double s[MAX_ROUNDS];
    memcpy(s, v, (size_t)n * sizeof *v);
    qsort(s, (size_t)n, sizeof *s, cmp_double);
    return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
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

static void growth(sm_arena *arena, sm_errors *errs)
{
    static const int want[NSHAPES] = {SM_OK, SM_INVALID, SM_INVALID, SM_OK};
    printf("\ndecode time by document size (linear: x10 units, about x10 time)\n");
    for (int shape = 0; shape < NSHAPES; shape++) {
        printf("  %s\n", shape_names[shape]);
        for (long n = 10000; n <= 1000000; n *= 10) {
            sm_buf doc = SM_BUF_INIT;
            Hero h;
            build(&doc, shape, n);
            sm_errors_clear(errs);
            double t0 = wl_now();
            int rc = hero_from_json(doc.data, doc.len, &h, arena, errs);
            double el = wl_now() - t0;
            if (rc != want[shape])
                die(shape_names[shape], rc);
            printf("    %8ld units %10zu bytes %9.2f ms %6zu errors\n", n, doc.len, el * 1e3,
                   errs->len);
            sm_arena_free(arena);
            sm_buf_free(&doc);
        }
    }
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 100000;
    int rounds = argc > 2 ? atoi(argv[2]) : 7;
    bench b = {0};
    double rate[NRUNS][MAX_ROUNDS];

    if (n < 1 || rounds < 1 || rounds > MAX_ROUNDS) {
        fprintf(stderr, "usage: json_perf [rows [rounds (1-%d)]]\n", MAX_ROUNDS);
        return 2;
    }
    make_rows(&b.r, (size_t)n);
    b.ds.offs = calloc((size_t)n + 1, sizeof *b.ds.offs);
    b.dc.offs = calloc((size_t)n + 1, sizeof *b.dc.offs);
    b.s_out = calloc((size_t)n, sizeof *b.s_out);
    b.c_out = calloc((size_t)n, sizeof *b.c_out);
    if (!b.ds.offs || !b.dc.offs || !b.s_out || !b.c_out)
        fail("out of memory", 0);
    b.arena = (sm_arena)SM_ARENA_INIT;
    b.errs = (sm_errors)SM_ERRORS_INIT;
    b.ds.smdl = (sm_buf)SM_BUF_INIT;
    b.first_smdl = (sm_buf)SM_BUF_INIT;

    /* The warm-up round, whose output every later round must repeat. */
    enc_smdl(&b.r, &b.ds);
    enc_c(&b.r, &b.dc);
    if (sm_buf_append(&b.first_smdl, b.ds.smdl.data, b.ds.smdl.len) != SM_OK)
        fail("out of memory", 0);
    b.first_c.data = malloc(b.dc.c.len ? b.dc.c.len : 1);
    if (!b.first_c.data)
        fail("out of memory", 0);
    memcpy(b.first_c.data, b.dc.c.data, b.dc.c.len);
    b.first_c.len = b.first_c.cap = b.dc.c.len;
    run_one(&b, DEC_SMDL);
    run_one(&b, DEC_C);

    printf("JSON codec against c/hero_json.c, %ld heroes, %d rounds (ops/s)\n", n, rounds);
    printf("  first smdl object: %.*s\n", (int)(b.ds.offs[1] - b.ds.offs[0]), b.ds.smdl.data);
    printf("  first C object:    %.*s\n", (int)(b.dc.offs[1] - b.dc.offs[0]), b.dc.c.data);
    for (int k = 0; k < rounds; k++) {
        /* Even rounds run smdl first, odd rounds the hand-written codec. */
        static const int order[2][NRUNS] = {{ENC_SMDL, ENC_C, DEC_SMDL, DEC_C},
                                            {ENC_C, ENC_SMDL, DEC_C, DEC_SMDL}};
        for (int j = 0; j < NRUNS; j++) {
            int w = order[k % 2][j];
            rate[w][k] = run_one(&b, w);
        }
        printf("  round %d: enc smdl %.0f C %.0f, dec smdl %.0f C %.0f\n", k + 1, rate[ENC_SMDL][k],
               rate[ENC_C][k], rate[DEC_SMDL][k], rate[DEC_C][k]);
    }
    double med[NRUNS];
    for (int w = 0; w < NRUNS; w++)
        med[w] = median(rate[w], rounds);
    printf("JSON encode smdl %.0f ops/s, C %.0f ops/s, smdl/C %.2f\n", med[ENC_SMDL], med[ENC_C],
           med[ENC_SMDL] / med[ENC_C]);
    printf("JSON decode smdl %.0f ops/s, C %.0f ops/s, smdl/C %.2f (smdl validates)\n",
           med[DEC_SMDL], med[DEC_C], med[DEC_SMDL] / med[DEC_C]);
    fflush(stdout);
    growth(&b.arena, &b.errs);

    sm_buf_free(&b.ds.smdl);
    sm_buf_free(&b.first_smdl);
    json_buf_free(&b.dc.c);
    json_buf_free(&b.first_c);
    sm_errors_free(&b.errs);
    free(b.ds.offs);
    free(b.dc.offs);
    free(b.s_out);
    free(b.c_out);
    free(b.r.c);
    free(b.r.s);
    free(b.r.names);
    free(b.r.secrets);
    return 0;
}
