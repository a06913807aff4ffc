/*
 * runner.c: runs smc on inputs in child processes, a few at a time, each
 * with a deadline.  A child's stderr goes to a file that is read when it
 * ends; stdout and stdin are /dev/null.  The runner polls for ended
 * children rather than handling SIGCHLD, which keeps it free of signal
 * handlers and global state.
 */
#include "mutate.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ; /* POSIX: the environment the children inherit */

typedef struct slot {
    pid_t pid;          /* 0: free */
    run_job *job;
    double start;
    bool killed;
} slot;

struct runner {
    const char *smc;
    const char *const *extra;
    size_t nextra;
    int timeout_ms;
    slot *slots;
    int nslots;
    run_done_fn done;
    void *ud;
};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

run_job *job_new(size_t id, const char *dir)
{
    run_job *j = calloc(1, sizeof *j);
    if (!j)
        return NULL;
    j->id = id;
    size_t n = strlen(dir) + 48;
    j->input = malloc(n);
    j->errfile = malloc(n);
    if (!j->input || !j->errfile) {
        job_free(j);
        return NULL;
    }
    snprintf(j->input, n, "%s/case%zu.smdl", dir, id);
    snprintf(j->errfile, n, "%s/case%zu.err", dir, id);
    return j;
}

void job_free(run_job *job)
{
    if (!job)
        return;
    free(job->input);
    free(job->errfile);
    sm_buf_free(&job->desc);
    free(job);
}

runner *runner_new(const char *smc, const char *const *extra_args, size_t nextra, int jobs,
                   int timeout_ms, run_done_fn done, void *ud)
{
    runner *rn = calloc(1, sizeof *rn);
    if (!rn)
        return NULL;
    rn->slots = calloc((size_t)jobs, sizeof *rn->slots);
    if (!rn->slots) {
        free(rn);
        return NULL;
    }
    rn->smc = smc;
    rn->extra = extra_args;
    rn->nextra = nextra;
    rn->nslots = jobs;
    rn->timeout_ms = timeout_ms;
    rn->done = done;
    rn->ud = ud;
    return rn;
}

/* Does text hold a line "PATH:LINE:COL: error: " for this path? */
static bool has_error_line(const char *text, size_t len, const char *path)
{
    size_t pl = strlen(path);
    const char *end = text + len;
    for (const char *line = text; line < end;) {
        const char *nl = memchr(line, '\n', (size_t)(end - line));
        const char *le = nl ? nl : end;
        const char *p = line + pl;
        if ((size_t)(le - line) > pl && memcmp(line, path, pl) == 0 && *p == ':') {
            int fields = 0;
            for (p++; fields < 2; p++) {
                const char *d = p;
                while (p < le && *p >= '0' && *p <= '9')
                    p++;
                if (p == d || p >= le || *p != ':')
                    break;
                fields++;
            }
            if (fields == 2 && (size_t)(le - p) >= 8 && memcmp(p, " error: ", 8) == 0)
                return true;
        }
        line = le + 1;
    }
    return false;
}

static bool contains(const char *text, size_t len, const char *needle)
{
    size_t nl = strlen(needle);
    for (size_t i = 0; i + nl <= len; i++)
        if (memcmp(text + i, needle, nl) == 0)
            return true;
    return false;
}

/* Reads the captured stderr of a finished job and fills in the verdict. */
static void judge(run_job *job)
{
    sm_buf err = SM_BUF_INIT;
    FILE *f = fopen(job->errfile, "rb");
    if (f) {
        char chunk[8192];
        size_t n;
        while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
            sm_buf_append(&err, chunk, n);
        fclose(f);
    }
    const char *t = err.data ? err.data : "";
    job->res.error_line = has_error_line(t, err.len, job->input);
    job->res.sanitizer = contains(t, err.len, "Sanitizer") ||
                         contains(t, err.len, "runtime error:");
    sm_buf_free(&err);
}

const char *run_verdict(const run_result *res)
{
    if (res->timed_out)
        return "timed out";
    if (!res->exited)
        return "killed by a signal";
    if (res->sanitizer)
        return "sanitizer report";
    if (res->status != 0 && res->status != 1)
        return "unexpected exit status";
    if (res->status == 1 && !res->error_line)
        return "exit 1 without a 'file:line:col: error:' line";
    if (res->status == 0 && res->error_line)
        return "exit 0 with an error line";
    return NULL;
}

static void finish(runner *rn, slot *s, int wstatus)
{
    run_job *job = s->job;
    job->res.seconds = now() - s->start;
    job->res.timed_out = s->killed;
    if (WIFEXITED(wstatus)) {
        job->res.exited = true;
        job->res.status = WEXITSTATUS(wstatus);
    } else {
        job->res.exited = false;
        job->res.status = WIFSIGNALED(wstatus) ? WTERMSIG(wstatus) : -1;
    }
    judge(job);
    s->pid = 0;
    s->job = NULL;
    rn->done(rn->ud, job);
    job_free(job);
}

/* Reaps ended children and kills the ones past their deadline.  Returns
 * at once, or with until_free when a slot is free, or with until_empty
 * when no child is left. */
static void poll_slots(runner *rn, bool until_free, bool until_empty)
{
    for (;;) {
        int busy = 0;
        double t = now();
        for (int i = 0; i < rn->nslots; i++) {
            slot *s = &rn->slots[i];
            if (!s->pid)
                continue;
            int wstatus;
            pid_t got = waitpid(s->pid, &wstatus, WNOHANG);
            if (got == s->pid) {
                finish(rn, s, wstatus);
                continue;
            }
            if (got < 0 && errno != EINTR) { /* cannot happen: reported as a timeout */
                s->killed = true;
                finish(rn, s, 0);
                continue;
            }
            if (!s->killed && (t - s->start) * 1000 > rn->timeout_ms) {
                kill(s->pid, SIGKILL);
                s->killed = true;
            }
            busy++;
        }
        if ((until_free && busy < rn->nslots) || (until_empty && busy == 0) ||
            (!until_free && !until_empty))
            return;
        struct timespec ts = {0, 500000}; /* 0.5 ms */
        nanosleep(&ts, NULL);
    }
}

int runner_submit(runner *rn, run_job *job)
{
    poll_slots(rn, true, false);
    slot *s = NULL;
    for (int i = 0; i < rn->nslots && !s; i++)
        if (!rn->slots[i].pid)
            s = &rn->slots[i];
    /* argv: smc check INPUT EXTRA... */
    const char **argv = calloc(rn->nextra + 4, sizeof *argv);
    if (!argv) {
        job_free(job);
        return -1;
    }
    argv[0] = rn->smc;
    argv[1] = "check";
    argv[2] = job->input;
    for (size_t i = 0; i < rn->nextra; i++)
        argv[3 + i] = rn->extra[i];
    /* posix_spawn rather than fork: it does the fork and exec without
     * copying the parent's page tables, which under AddressSanitizer (a
     * huge shadow mapping) made each fork cost more than the run. */
    posix_spawn_file_actions_t fa;
    pid_t pid = -1;
    int rc = posix_spawn_file_actions_init(&fa);
    if (rc == 0) {
        rc = posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
        if (rc == 0)
            rc = posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
        if (rc == 0)
            rc = posix_spawn_file_actions_addopen(&fa, 2, job->errfile,
                                                  O_WRONLY | O_CREAT | O_TRUNC, 0600);
        s->start = now();
        s->killed = false;
        if (rc == 0)
            rc = posix_spawn(&pid, rn->smc, &fa, NULL, (char *const *)argv, environ);
        posix_spawn_file_actions_destroy(&fa);
    }
    free(argv);
    if (rc != 0) {
        errno = rc;
        job_free(job);
        return -1;
    }
    s->pid = pid;
    s->job = job;
    return 0;
}

void runner_drain(runner *rn)
{
    poll_slots(rn, false, true);
}

void runner_free(runner *rn)
{
    if (!rn)
        return;
    runner_drain(rn);
    free(rn->slots);
    free(rn);
}
