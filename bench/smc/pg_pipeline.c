/*
 * pg_pipeline.c: batches on PostgreSQL where the round trip dominates
 * (README.md, "PostgreSQL pipeline"): gets of a list of keys and inserts
 * of many rows, written by hand over libpq one statement per row (the
 * hero workload's W2 and W1 loops) against `hero_get_many` and
 * `hero_insert_many`.  Two more hand-written ways of getting the keys
 * show what the server makes of each shape: one pipeline of per-key
 * prepared gets, and one `= ANY($1)` statement over an array.
 *
 *   pg_pipeline [--gets N] [--rounds N] [--inserts N] [--batch N] [--runs N] [--conn] URL
 *
 * P2 inserts --inserts rows in transactions of --batch rows (default:
 * 2,500: eight multi-row statements, 1,000 + 1,000 + 256 + ... + 4): one
 * _insert_many call per batch, or BEGIN, a prepared
 * INSERT per row, COMMIT.
 * Prints "P1 <way> ops/s=..." (rows got per second) and "P2 <way>
 * ops/s=..." (rows inserted per second) with client CPU per row, and the
 * ratios to the per-row loop.  The database named by URL gets tables
 * team and hero (dropped at the start and the end).
 */
#include "hero.h"
#include "workload.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HERO_COLUMNS "id, name, secret_name, age, team_id"
enum { ROWS = 10000 };
#define USAGE                                                                                  \
    "usage: pg_pipeline [--gets N] [--rounds N] [--inserts N] [--batch N] [--runs N] [--conn] URL"

static PGresult *ok(PGconn *pg, PGresult *r)
{
    ExecStatusType s = PQresultStatus(r);
    if (s != PGRES_TUPLES_OK && s != PGRES_COMMAND_OK && s != PGRES_PIPELINE_SYNC)
        wl_die("postgres: %s", PQerrorMessage(pg));
    return r;
}

static void must(sm_cx *cx, int rc, const char *what)
{
    if (rc != SM_OK)
        wl_die("%s: %s: %s", what, sm_strerror(rc), sm_cx_errmsg(cx));
}

/* A hero row read as the hand-written W2 reads one (hero_pg.c). */
static int64_t read_row(const PGresult *r, int i)
{
    hero h;
    h.id = strtoll(PQgetvalue(r, i, 0), NULL, 10);
    h.name = wl_strndup(PQgetvalue(r, i, 1), (size_t)PQgetlength(r, i, 1));
    h.secret_name = wl_strndup(PQgetvalue(r, i, 2), (size_t)PQgetlength(r, i, 2));
    h.has_age = !PQgetisnull(r, i, 3);
    h.age = h.has_age ? (int32_t)strtol(PQgetvalue(r, i, 3), NULL, 10) : 0;
    h.has_team_id = !PQgetisnull(r, i, 4);
    h.team_id = h.has_team_id ? strtoll(PQgetvalue(r, i, 4), NULL, 10) : 0;
    int64_t c = wl_hero_check(&h);
    hero_free(&h);
    return c;
}

/* ---- P1: gets ------------------------------------------------------------------ */

static int64_t get_loop(PGconn *pg, const int64_t *ids, size_t n)
{
    int64_t sum = 0;
    for (size_t i = 0; i < n; i++) {
        char key[24];
        snprintf(key, sizeof key, "%lld", (long long)ids[i]);
        const char *v[1] = {key};
        PGresult *r = ok(pg, PQexecPrepared(pg, "get_hero", 1, v, NULL, NULL, 0));
        if (PQntuples(r) == 1)
            sum += read_row(r, 0);
        PQclear(r);
    }
    return sum;
}

static int64_t get_pipeline(PGconn *pg, const int64_t *ids, size_t n)
{
    int64_t sum = 0;
    if (!PQenterPipelineMode(pg))
        wl_die("pipeline mode: %s", PQerrorMessage(pg));
    for (size_t i = 0; i < n; i++) {
        char key[24];
        snprintf(key, sizeof key, "%lld", (long long)ids[i]);
        const char *v[1] = {key};
        if (!PQsendQueryPrepared(pg, "get_hero", 1, v, NULL, NULL, 0))
            wl_die("send: %s", PQerrorMessage(pg));
    }
    if (!PQpipelineSync(pg))
        wl_die("sync: %s", PQerrorMessage(pg));
    for (size_t i = 0; i < n; i++) {
        PGresult *r;
        while ((r = PQgetResult(pg)) != NULL) {
            ok(pg, r);
            if (PQntuples(r) == 1)
                sum += read_row(r, 0);
            PQclear(r);
        }
    }
    PQclear(ok(pg, PQgetResult(pg)));
    if (!PQexitPipelineMode(pg))
        wl_die("exit pipeline mode: %s", PQerrorMessage(pg));
    return sum;
}

/* The keys as one array parameter; rows back in key order (a key given
 * twice comes back once here: the workload's keys are summed per row
 * found, so the check is run on distinct keys only). */
static int64_t get_any(PGconn *pg, const int64_t *ids, size_t n, char *arr, size_t cap)
{
    size_t len = 0;
    arr[len++] = '{';
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(arr + len, cap - len, i ? ",%lld" : "%lld", (long long)ids[i]);
    arr[len++] = '}';
    arr[len] = 0;
    const char *v[1] = {arr};
    PGresult *r = ok(pg, PQexecPrepared(pg, "get_any", 1, v, NULL, NULL, 0));
    int64_t sum = 0;
    for (int i = 0; i < PQntuples(r); i++)
        sum += read_row(r, i);
    PQclear(r);
    return sum;
}

static int64_t get_many(sm_cx *cx, sm_conn *conn, const int32_t *ids, size_t n, sm_arena *a)
{
    Hero_list l;
    must(cx, hero_get_many(cx, conn, ids, n, &l, a), "get_many");
    int64_t sum = 0;
    for (size_t i = 0; i < l.len; i++) {
        const Hero *g = &l.items[i];
        hero h = {g->id, (char *)g->name, (char *)g->secret_name, g->has_age, g->age,
                  g->has_team_id, g->team_id};
        sum += wl_hero_check(&h);
    }
    sm_arena_free(a);
    return sum;
}

/* ---- P2: inserts ------------------------------------------------------------------ */

static void insert_loop(PGconn *pg, size_t n, int64_t base)
{
    PQclear(ok(pg, PQexec(pg, "BEGIN")));
    for (size_t i = 0; i < n; i++) {
        hero h;
        char name[64], secret[64], age[16], team[24];
        wl_hero(base + (int64_t)i, &h, name, sizeof name, secret, sizeof secret);
        snprintf(age, sizeof age, "%d", (int)h.age);
        snprintf(team, sizeof team, "%lld", (long long)h.team_id);
        const char *v[4] = {name, secret, h.has_age ? age : NULL, h.has_team_id ? team : NULL};
        PGresult *r = ok(pg, PQexecPrepared(pg, "insert_hero", 4, v, NULL, NULL, 0));
        if (PQntuples(r) != 1)
            wl_die("insert returned no id");
        PQclear(r);
    }
    PQclear(ok(pg, PQexec(pg, "COMMIT")));
}

static void insert_many(sm_cx *cx, sm_conn *conn, size_t n, int64_t base, Hero *hs,
                        char (*names)[2][64])
{
    for (size_t i = 0; i < n; i++) {
        hero h;
        wl_hero(base + (int64_t)i, &h, names[i][0], 64, names[i][1], 64);
        Hero x = HERO_INIT;
        x.name = names[i][0];
        x.secret_name = names[i][1];
        x.age = h.age;
        x.has_age = h.has_age;
        x.team_id = h.team_id;
        x.has_team_id = h.has_team_id;
        hs[i] = x;
    }
    must(cx, hero_insert_many(cx, conn, hs, n), "insert_many");
}

/* ---- Running --------------------------------------------------------------------- */

typedef struct timing {
    double secs, cpu;
} timing;

static void report(const char *phase, const char *label, size_t ops, timing t, double base)
{
    wl_report_cpu(phase, label, ops, t.secs, t.cpu);
    if (base > 0)
        printf("# %s ratio %s/loop=%.2f\n", phase, label, ((double)ops / t.secs) / base);
}

int main(int argc, char **argv)
{
    size_t gets = 1000, rounds = 20, inserts = 10000, batch = 2500;
    int runs = 1;
    const char *url = NULL;
    for (int i = 1; i < argc; i++) {
        if (i + 1 < argc && strcmp(argv[i], "--gets") == 0)
            gets = strtoul(argv[++i], NULL, 10);
        else if (i + 1 < argc && strcmp(argv[i], "--rounds") == 0)
            rounds = strtoul(argv[++i], NULL, 10);
        else if (i + 1 < argc && strcmp(argv[i], "--inserts") == 0)
            inserts = strtoul(argv[++i], NULL, 10);
        else if (i + 1 < argc && strcmp(argv[i], "--batch") == 0)
            batch = strtoul(argv[++i], NULL, 10);
        else if (i + 1 < argc && strcmp(argv[i], "--runs") == 0)
            runs = atoi(argv[++i]);
        else if (i + 1 < argc && strcmp(argv[i], "--conn") == 0 && !url)
            url = argv[++i];
        else if (argv[i][0] != '-' && !url)
            url = argv[i];
        else
            wl_die(USAGE);
    }
    if (!batch || batch > inserts)
        batch = inserts;
    if (!url || !gets || !rounds || !inserts || runs < 1)
        wl_die(USAGE);

    sm_cx cx;
    sm_cx_init(&cx);
    sm_conn *conn;
    must(&cx, sm_open(&cx, url, &conn), "open");
    PGconn *pg = PQconnectdb(url);
    if (PQstatus(pg) != CONNECTION_OK)
        wl_die("libpq: %s", PQerrorMessage(pg));
    must(&cx, hero_drop_all(&cx, conn), "drop_all");
    must(&cx, hero_create_all(&cx, conn), "create_all");
    for (int k = 0; k < WL_TEAMS; k++) {
        char name[64], hq[64];
        wl_team(k, name, sizeof name, hq, sizeof hq);
        Team t = TEAM_INIT;
        t.name = name;
        t.headquarters = hq;
        must(&cx, team_insert(&cx, conn, &t), "team_insert");
    }
    Hero *hs = wl_xcalloc(inserts > ROWS ? inserts : ROWS, sizeof *hs);
    char(*names)[2][64] = wl_xcalloc(inserts > ROWS ? inserts : ROWS, sizeof *names);
    insert_many(&cx, conn, ROWS, 0, hs, names);
    PQclear(ok(pg, PQprepare(pg, "get_hero",
                             "SELECT " HERO_COLUMNS " FROM hero WHERE id = $1", 1, NULL)));
    PQclear(ok(pg, PQprepare(pg, "get_any",
                             "SELECT " HERO_COLUMNS " FROM hero WHERE id = ANY($1::integer[])",
                             1, NULL)));
    PQclear(ok(pg, PQprepare(pg, "insert_hero",
                             "INSERT INTO hero (name, secret_name, age, team_id)"
                             " VALUES ($1, $2, $3, $4) RETURNING id", 4, NULL)));

    /* Distinct keys, so that every way returns the same rows; the
     * generated functions take them as the table's i32 keys. */
    int64_t *ids = wl_xcalloc(gets, sizeof *ids);
    int32_t *ids32 = wl_xcalloc(gets, sizeof *ids32);
    wl_rng rng = {WL_SEED_GET};
    for (size_t i = 0; i < gets; i++) {
        ids[i] = (int64_t)(wl_rng_next(&rng) % ROWS) + 1;
        for (size_t j = 0; j < i; j++)
            if (ids[j] == ids[i]) {
                i--;
                break;
            }
        if (gets > ROWS)
            wl_die("--gets is at most %d", ROWS);
    }
    for (size_t i = 0; i < gets; i++)
        ids32[i] = (int32_t)ids[i];
    size_t arrcap = gets * 21 + 3;
    char *arr = wl_xcalloc(arrcap, 1);
    sm_arena arena = SM_ARENA_INIT;
    int64_t inserted = ROWS;

    for (int run = 0; run < runs; run++) {
        printf("# run %d: %zu rounds of %zu gets, %zu inserts in batches of %zu\n", run + 1,
               rounds, gets, inserts, batch);
        enum { LOOP, PIPE, ANY, MANY, NWAYS };
        static const char *label[NWAYS] = {"get_loop", "get_pipeline_raw", "get_any_raw",
                                           "get_many"};
        timing t[NWAYS];
        int64_t sums[NWAYS];
        for (int w = 0; w < NWAYS; w++) {
            int way = (w + run) % NWAYS; /* the order rotates between runs */
            double t0 = wl_now(), c0 = wl_cpu();
            int64_t sum = 0;
            for (size_t r = 0; r < rounds; r++) {
                if (way == LOOP)
                    sum += get_loop(pg, ids, gets);
                else if (way == PIPE)
                    sum += get_pipeline(pg, ids, gets);
                else if (way == ANY)
                    sum += get_any(pg, ids, gets, arr, arrcap);
                else
                    sum += get_many(&cx, conn, ids32, gets, &arena);
            }
            t[way] = (timing){wl_now() - t0, wl_cpu() - c0};
            sums[way] = sum;
        }
        for (int w = 1; w < NWAYS; w++)
            if (sums[w] != sums[LOOP])
                wl_die("%s read other rows than %s", label[w], label[LOOP]);
        double base = (double)(rounds * gets) / t[LOOP].secs;
        for (int w = 0; w < NWAYS; w++)
            report("P1", label[w], rounds * gets, t[w], w == LOOP ? 0 : base);

        timing ti[2];
        uint64_t trips = 0;
        for (int w = 0; w < 2; w++) {
            int way = (w + run) % 2;
            double t0 = wl_now(), c0 = wl_cpu();
            for (size_t at = 0; at < inserts; at += batch) {
                size_t n = inserts - at < batch ? inserts - at : batch;
                if (way == 0)
                    insert_loop(pg, n, inserted + (int64_t)at);
                else {
                    uint64_t before = sm_conn_stat(conn).round_trips;
                    insert_many(&cx, conn, n, inserted + (int64_t)at, hs, names);
                    trips += sm_conn_stat(conn).round_trips - before;
                }
            }
            ti[way] = (timing){wl_now() - t0, wl_cpu() - c0};
            inserted += (int64_t)inserts;
        }
        double ibase = (double)inserts / ti[0].secs;
        report("P2", "insert_loop", inserts, ti[0], 0);
        report("P2", "insert_many", inserts, ti[1], ibase);
        printf("# P2 insert_many round_trips_per_batch=%.1f\n",
               (double)trips / (double)((inserts + batch - 1) / batch));
    }
    must(&cx, hero_drop_all(&cx, conn), "drop_all");
    sm_arena_free(&arena);
    free(arr);
    free(ids);
    free(ids32);
    free(hs);
    free(names);
    PQfinish(pg);
    sm_close(conn);
    sm_cx_free(&cx);
    return 0;
}
