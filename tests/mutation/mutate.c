/*
 * mutate.c: the mutation test of smc.  From a fixed seed, it damages the
 * seed schemas in many small deterministic ways (mutators.c), runs
 * `smc check` on each result (runner.c) and fails if any run is killed by
 * a signal, times out, reports a sanitizer error, exits with a status
 * other than 0 or 1, or exits 1 without a `file:line:col: error:` line.
 * A few fixed inputs are added: an empty file, 1 MB of random tokens,
 * 1 MB of random bytes, a file of comments only, and each seed as is.
 *
 *   mutate [--seed N] [--count N] [--jobs N] [--timeout-ms N] [--only ID]
 *          [--keep DIR] [-I DIR]... SMC SEED.smdl...
 *
 * Case ID always gets the same input for the same seed, so a failure is
 * reproduced with --only ID (which also prints smc's output).  Failing
 * inputs are copied to the --keep directory (default mutation-failures).
 */
#include "mutate.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum { MAX_KINDS = 64, FIXED = 4 };

/* A kind of failure: the sanitizer's summary line, or the verdict. */
typedef struct kind {
    char *what;
    size_t count, first_id;
} kind;

typedef struct seed {
    const char *path;
    sm_buf text;
} seed;

typedef struct state {
    uint64_t seed;
    size_t count;        /* mutated cases */
    seed *seeds;
    size_t nseeds;
    const char *keep;
    bool verbose;        /* --only: print smc's output */
    /* tallies */
    size_t runs, failures;
    size_t by_status[256];
    size_t by_signal[65];
    size_t timeouts;
    double slowest;
    size_t slowest_id;
    kind kinds[MAX_KINDS];
    size_t nkinds;
} state;

static int read_file(const char *path, sm_buf *b)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    char chunk[65536];
    size_t n;
    int rc = 0;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        if (sm_buf_append(b, chunk, n) != SM_OK)
            rc = -1;
    if (ferror(f))
        rc = -1;
    fclose(f);
    if (rc == 0 && !b->data)
        rc = sm_buf_append(b, "", 0) == SM_OK ? 0 : -1;
    return rc;
}

static int write_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    bool ok = fwrite(data, 1, len, f) == len;
    return fclose(f) == 0 && ok ? 0 : -1;
}

/* The generator of case id: independent of the other cases. */
static rng case_rng(uint64_t seed, size_t id)
{
    rng r = {seed ^ (UINT64_C(0xD1B54A32D192ED03) * (uint64_t)(id + 1))};
    rng_next(&r);
    return r;
}

/* Builds the input of case id into b and describes it in desc. */
static int make_case(const state *st, size_t id, sm_buf *b, sm_buf *desc)
{
    rng r = case_rng(st->seed, id);
    if (id < st->count) {
        size_t si = id % st->nseeds;
        const seed *sd = &st->seeds[si];
        const seed *other = &st->seeds[rng_below(&r, st->nseeds)];
        if (sm_buf_append(b, sd->text.data, sd->text.len) != SM_OK)
            return -1;
        /* Mostly one to three mutations, now and then many. */
        size_t n = rng_below(&r, 10) == 0 ? 4 + rng_below(&r, 12) : 1 + rng_below(&r, 3);
        sm_buf_printf(desc, "%s:", sd->path);
        for (size_t k = 0; k < n; k++)
            if (mut_apply(&r, b, &other->text, desc) != 0)
                return -1;
        return 0;
    }
    size_t k = id - st->count;
    switch (k) {
    case 0:
        sm_buf_puts(desc, "empty file");
        return sm_buf_append(b, "", 0) == SM_OK ? 0 : -1;
    case 1:
        sm_buf_puts(desc, "1 MB of random tokens");
        return mut_random_tokens(&r, b, 1 << 20);
    case 2:
        sm_buf_puts(desc, "1 MB of random bytes");
        return mut_random_bytes(&r, b, 1 << 20);
    case 3:
        sm_buf_puts(desc, "comments only");
        return mut_only_comments(&r, b, 256 << 10);
    default:
        sm_buf_printf(desc, "%s unchanged", st->seeds[k - FIXED].path);
        return sm_buf_append(b, st->seeds[k - FIXED].text.data,
                             st->seeds[k - FIXED].text.len) == SM_OK ? 0 : -1;
    }
}

static void show_stderr(const char *path, size_t max_lines)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return;
    char line[512];
    size_t n = 0;
    while (fgets(line, sizeof line, f) && n < max_lines) {
        /* Keep the terminal sane: show bytes outside ASCII as '?'. */
        for (char *c = line; *c; c++)
            if ((unsigned char)*c >= 0x7f || ((unsigned char)*c < 0x20 && *c != '\n'))
                *c = '?';
        fprintf(stderr, "    | %s", line);
        if (!strchr(line, '\n'))
            fputc('\n', stderr);
        n++;
    }
    fclose(f);
}

static void keep_failure(state *st, run_job *job)
{
    if (mkdir(st->keep, 0777) != 0 && errno != EEXIST)
        return;
    sm_buf in = SM_BUF_INIT, path = SM_BUF_INIT;
    sm_buf_printf(&path, "%s/case%zu.smdl", st->keep, job->id);
    if (read_file(job->input, &in) == 0 && write_file(path.data, in.data, in.len) == 0)
        fprintf(stderr, "    input kept as %s\n", path.data);
    sm_buf_free(&in);
    sm_buf_free(&path);
}

/* What kind of failure a run is: the first "SUMMARY:" line a sanitizer
 * printed (it names the bug and the place, without addresses), else the
 * verdict and status.  Many inputs hit the same bug; kinds group them. */
static char *failure_kind(const run_job *job, const char *why)
{
    sm_buf err = SM_BUF_INIT, k = SM_BUF_INIT;
    if (read_file(job->errfile, &err) == 0) {
        const char *p = err.data;
        while (p && *p) {
            const char *nl = strchr(p, '\n');
            size_t n = nl ? (size_t)(nl - p) : strlen(p);
            if (n > 9 && memcmp(p, "SUMMARY: ", 9) == 0) {
                sm_buf_append(&k, p, n);
                break;
            }
            p = nl ? nl + 1 : NULL;
        }
    }
    sm_buf_free(&err);
    if (!k.data)
        sm_buf_printf(&k, "%s (%s %d)", why, job->res.exited ? "exit" : "signal",
                      job->res.status);
    return k.data;
}

static void done(void *ud, run_job *job)
{
    state *st = ud;
    run_result *res = &job->res;
    st->runs++;
    if (res->timed_out)
        st->timeouts++;
    else if (res->exited)
        st->by_status[res->status & 255]++;
    else if (res->status > 0 && res->status < 65)
        st->by_signal[res->status]++;
    if (res->seconds > st->slowest) {
        st->slowest = res->seconds;
        st->slowest_id = job->id;
    }
    const char *why = run_verdict(res);
    if (st->verbose) {
        fprintf(stderr, "case %zu: %s\n  exit %s %d after %.3f s; smc printed:\n", job->id,
                job->desc.data, res->exited ? "status" : "signal", res->status, res->seconds);
        show_stderr(job->errfile, 200);
    }
    if (why) {
        st->failures++;
        char *what = failure_kind(job, why);
        kind *kd = NULL;
        for (size_t k = 0; k < st->nkinds && !kd; k++)
            if (what && strcmp(st->kinds[k].what, what) == 0)
                kd = &st->kinds[k];
        if (kd) {
            kd->count++;
            free(what);
        } else if (what && st->nkinds < MAX_KINDS) {
            /* The first input of each kind is shown and kept. */
            kd = &st->kinds[st->nkinds++];
            kd->what = what;
            kd->count = 1;
            kd->first_id = job->id;
            fprintf(stderr, "FAIL case %zu: %s (%s %d, %.3f s)\n  input: %s\n", job->id, why,
                    res->exited ? "exit" : "signal", res->status, res->seconds, job->desc.data);
            show_stderr(job->errfile, 12);
            keep_failure(st, job);
        } else {
            free(what);
        }
    }
    remove(job->input);
    remove(job->errfile);
}

static int usage(void)
{
    fputs("usage: mutate [--seed N] [--count N] [--jobs N] [--timeout-ms N] [--only ID]\n"
          "              [--keep DIR] [-I DIR]... SMC SEED.smdl...\n",
          stderr);
    return 2;
}

int main(int argc, char **argv)
{
    state st;
    memset(&st, 0, sizeof st);
    st.seed = UINT64_C(0x5EED5EED);
    st.count = 1500;
    st.keep = "mutation-failures";
    int jobs = 4, timeout_ms = 5000;
    long long only = -1;
    const char **extra = calloc((size_t)argc + 1, sizeof *extra);
    size_t nextra = 0;
    if (!extra)
        return 2;
    int i = 1;
    while (i < argc && argv[i][0] == '-') {
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (!val)
            return usage();
        if (strcmp(argv[i], "--seed") == 0)
            st.seed = strtoull(val, NULL, 0);
        else if (strcmp(argv[i], "--count") == 0)
            st.count = (size_t)strtoull(val, NULL, 0);
        else if (strcmp(argv[i], "--jobs") == 0)
            jobs = atoi(val);
        else if (strcmp(argv[i], "--timeout-ms") == 0)
            timeout_ms = atoi(val);
        else if (strcmp(argv[i], "--only") == 0)
            only = strtoll(val, NULL, 0);
        else if (strcmp(argv[i], "--keep") == 0)
            st.keep = val;
        else if (strcmp(argv[i], "-I") == 0) {
            extra[nextra++] = "-I";
            extra[nextra++] = val;
        } else
            return usage();
        i += 2;
    }
    if (argc - i < 2 || jobs < 1 || timeout_ms < 1)
        return usage();
    const char *smc = argv[i++];
    st.nseeds = (size_t)(argc - i);
    st.seeds = calloc(st.nseeds, sizeof *st.seeds);
    if (!st.seeds)
        return 2;
    for (size_t k = 0; k < st.nseeds; k++) {
        st.seeds[k].path = argv[i + (int)k];
        if (read_file(st.seeds[k].path, &st.seeds[k].text) != 0) {
            fprintf(stderr, "mutate: cannot read %s: %s\n", st.seeds[k].path, strerror(errno));
            return 2;
        }
    }
    char dir[] = "/tmp/smdl-mutation.XXXXXX";
    const char *tmpdir = getenv("TMPDIR");
    sm_buf dirbuf = SM_BUF_INIT;
    sm_buf_printf(&dirbuf, "%s/smdl-mutation.XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
    char *workdir = mkdtemp(dirbuf.data ? dirbuf.data : dir);
    if (!workdir) {
        fprintf(stderr, "mutate: cannot create a temporary directory: %s\n", strerror(errno));
        return 2;
    }
    st.verbose = only >= 0;
    runner *rn = runner_new(smc, extra, nextra, jobs, timeout_ms, done, &st);
    if (!rn)
        return 2;

    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    size_t total = st.count + FIXED + st.nseeds;
    int rc = 0;
    for (size_t id = 0; id < total && rc == 0; id++) {
        if (only >= 0 && id != (size_t)only)
            continue;
        run_job *job = job_new(id, workdir);
        sm_buf input = SM_BUF_INIT;
        if (!job || make_case(&st, id, &input, &job->desc) != 0 || !job->desc.data ||
            write_file(job->input, input.data, input.len) != 0) {
            fprintf(stderr, "mutate: cannot prepare case %zu\n", id);
            job_free(job);
            rc = 2;
        } else if (runner_submit(rn, job) != 0) {
            fprintf(stderr, "mutate: cannot start %s: %s\n", smc, strerror(errno));
            rc = 2;
        }
        sm_buf_free(&input);
    }
    runner_free(rn);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    rmdir(workdir);

    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("smc mutation test: seed %#llx, %zu runs (%zu mutated, %d fixed inputs, %zu seeds), "
           "%d jobs, %.1f s\n",
           (unsigned long long)st.seed, st.runs, only >= 0 ? (size_t)(only < (long long)st.count)
                                                           : st.count,
           FIXED, st.nseeds, jobs, secs);
    for (int s = 0; s < 256; s++)
        if (st.by_status[s])
            printf("  exit %d: %zu\n", s, st.by_status[s]);
    for (int s = 1; s < 65; s++)
        if (st.by_signal[s])
            printf("  signal %d: %zu\n", s, st.by_signal[s]);
    if (st.timeouts)
        printf("  timed out: %zu\n", st.timeouts);
    printf("  slowest: case %zu, %.3f s\n", st.slowest_id, st.slowest);
    printf("failures: %zu", st.failures);
    if (st.failures)
        printf(" of %zu kinds (the first input of each is shown on stderr and kept in %s/)",
               st.nkinds, st.keep);
    printf("\n");
    for (size_t k = 0; k < st.nkinds; k++) {
        printf("  %zu x %s (first: case %zu)\n", st.kinds[k].count, st.kinds[k].what,
               st.kinds[k].first_id);
        free(st.kinds[k].what);
    }

    for (size_t k = 0; k < st.nseeds; k++)
        sm_buf_free(&st.seeds[k].text);
    free(st.seeds);
    free(extra);
    sm_buf_free(&dirbuf);
    if (rc)
        return rc;
    return st.failures ? 1 : 0;
}
