/*
 * pool_bench: what the connection pool costs, through generated code (the
 * hero schema of ../smc/hero.smdl) on any of the three databases
 * (README.md, "Connection pool").
 */
#ifndef POOL_BENCH_H
#define POOL_BENCH_H

#include "hero.h"
#include "workload.h"

#include <stdint.h>
#include <time.h>

typedef struct pb_config {
    const char *url;
    int heroes;      /* rows filled by --setup; gets and updates pick ids in 1..heroes */
    double seconds;  /* measured time of each variant or workload */
    double warmup;   /* untimed time before it */
    int threads;     /* mixed */
    bool pooled;     /* mixed: through a pool, or one sm_conn per thread */
    int max_conns;   /* mixed, pooled */
} pb_config;

static inline int64_t pb_now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

/* Dies with the call's message unless rc is SM_OK. */
void pb_check(sm_cx *cx, int rc, const char *what);

/* Drops and creates the tables: 10 teams, cfg->heroes heroes. */
void pb_setup(const pb_config *cfg);
/* Rows in table hero. */
int64_t pb_count_heroes(const char *url);

/* Uncontended acquire + release, with nothing, a generated get, a
 * transaction left open or raw SQL between them; and sm_open + sm_close. */
void pb_acquire(const pb_config *cfg);
/* The mixed workload on cfg->threads threads, pooled or not. */
void pb_mixed(const pb_config *cfg);

#endif
