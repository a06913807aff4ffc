/*
 * mutate.h: the pieces of the mutation test of smc.  mutators.c damages
 * schemas in deterministic, seeded ways; runner.c runs smc on each result
 * in a child process with a timeout and judges how it ended; mutate.c
 * ties them together and prints the summary.
 */
#ifndef MUTATE_H
#define MUTATE_H

#include <smdl/smdl.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* splitmix64: small, fast, and the same sequence everywhere. */
typedef struct rng {
    uint64_t s;
} rng;

static inline uint64_t rng_next(rng *r)
{
    uint64_t z = (r->s += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

/* A value in [0, n), 0 when n is 0. */
static inline size_t rng_below(rng *r, size_t n)
{
    return n ? (size_t)(rng_next(r) % n) : 0;
}

/* ---- Mutations (mutators.c) ------------------------------------------------ */

/* Applies one randomly chosen mutation to b.  other is another seed, for
 * crossover.  Appends a short description of what was done to desc. */
int mut_apply(rng *r, sm_buf *b, const sm_buf *other, sm_buf *desc);

/* Inputs that are not mutations of a seed. */
int mut_random_tokens(rng *r, sm_buf *b, size_t size);
int mut_random_bytes(rng *r, sm_buf *b, size_t size);
int mut_only_comments(rng *r, sm_buf *b, size_t size);

/* ---- Running smc (runner.c) ------------------------------------------------- */

/* How a run ended. */
typedef struct run_result {
    bool exited;        /* else killed by a signal */
    int status;         /* exit status, or the signal number */
    bool timed_out;     /* killed by the runner after the timeout */
    bool error_line;    /* stderr has "PATH:LINE:COL: error: " */
    bool sanitizer;     /* stderr has a sanitizer report */
    double seconds;
} run_result;

/* The verdict on a result: NULL when acceptable, else why not. */
const char *run_verdict(const run_result *res);

typedef struct runner runner;

typedef struct run_job {
    size_t id;             /* case number */
    char *input;           /* path of the input file (owned) */
    char *errfile;         /* path of the captured stderr (owned) */
    sm_buf desc;           /* what the input is */
    run_result res;
} run_job;

/* Callback for each finished job; the job is freed after it returns. */
typedef void (*run_done_fn)(void *ud, run_job *job);

runner *runner_new(const char *smc, const char *const *extra_args, size_t nextra, int jobs,
                   int timeout_ms, run_done_fn done, void *ud);
/* Starts smc on job->input (takes ownership of job); waits first while
 * all slots are busy.  Returns 0, or -1 when the process cannot start. */
int runner_submit(runner *rn, run_job *job);
/* Waits for every started job. */
void runner_drain(runner *rn);
void runner_free(runner *rn);

run_job *job_new(size_t id, const char *dir);
void job_free(run_job *job);

#endif
