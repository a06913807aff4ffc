/*
 * The hero workload through smc's generated code on libsmdl, on any of the
 * three databases (--conn takes an smdl URL).  Prints the same report lines
 * as the hand-written programs in ../c, for the same data, sizes and seeds,
 * and the same checksums (workload.c).
 *
 * Phases: W1 insert, W2 get, W3 query, W4 update (through a generated
 * update query; W4p as a patch of one field), W5 JSON round trip (W5L
 * loads the rows first), W1b insert_many.  Rows are materialised into
 * generated structs whose strings live in an arena, freed after every
 * operation, as an application would.  Each phase also reports the
 * client's CPU time per operation.
 */
#include "hero.h"
#include "workload.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct config {
    const char *url;
    long inserts, gets, queries, updates;
    bool fk;
} config;

static void check(sm_cx *cx, int rc, const char *what)
{
    if (rc != SM_OK)
        wl_die("%s: %s: %s", what, sm_strerror(rc), sm_cx_errmsg(cx));
}

static long positive(const char *s)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*end || v <= 0)
        wl_die("not a positive number: %s", s);
    return v;
}

static config parse_args(int argc, char **argv)
{
    config c = {"sqlite:/tmp/smc_bench/hero_smc.sqlite", WL_INSERTS, WL_GETS, WL_QUERIES,
                WL_UPDATES, false};
    static const struct option opts[] = {
        {"conn", required_argument, NULL, 'c'},    {"inserts", required_argument, NULL, 'i'},
        {"gets", required_argument, NULL, 'g'},    {"queries", required_argument, NULL, 'q'},
        {"updates", required_argument, NULL, 'u'}, {"no-jansson", no_argument, NULL, 'J'},
        {"foreign-keys", no_argument, NULL, 'f'},  {NULL, 0, NULL, 0},
    };
    int o;
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (o) {
        case 'c': c.url = optarg; break;
        case 'i': c.inserts = positive(optarg); break;
        case 'g': c.gets = positive(optarg); break;
        case 'u': c.updates = positive(optarg); break;
        case 'f': c.fk = true; break;
        case 'q': c.queries = positive(optarg); break;
        case 'J': break; /* there is no jansson phase here */
        default: wl_die("usage: %s [--conn URL] [--inserts N] [--gets N] [--updates N]", argv[0]);
        }
    }
    /* Plain paths, as the hand-written SQLite program takes, are SQLite files. */
    if (!strchr(c.url, ':')) {
        char *u = wl_xcalloc(1, strlen(c.url) + 8);
        sprintf(u, "sqlite:%s", c.url);
        c.url = u;
    }
    return c;
}

static void setup(sm_cx *cx, sm_conn *conn)
{
    check(cx, hero_drop_all(cx, conn), "drop_all");
    check(cx, hero_create_all(cx, conn), "create_all");
    check(cx, sm_begin(cx, conn), "begin");
    for (int k = 0; k < WL_TEAMS; k++) {
        char name[32], hq[32];
        wl_team(k, name, sizeof name, hq, sizeof hq);
        Team t = TEAM_INIT;
        t.name = name;
        t.headquarters = hq;
        check(cx, team_insert(cx, conn, &t), "insert team");
    }
    check(cx, sm_commit(cx, conn), "commit");
}

/* The workload's row as a generated Hero (strings borrowed). */
static Hero from_workload(const hero *w)
{
    Hero h = HERO_INIT;
    h.name = w->name;
    h.secret_name = w->secret_name;
    h.age = w->age;
    h.has_age = w->has_age;
    h.team_id = w->team_id;
    h.has_team_id = w->has_team_id;
    return h;
}

static void phase_insert(sm_cx *cx, sm_conn *conn, const wl_sync *sync, long n)
{
    char name[32], secret[64];
    int64_t idsum = 0;
    wl_clock clock = wl_clock_for(sync, "W1");
    for (long b = 0, step = wl_block_ops(&clock, n); b < n; b += step) {
        wl_block_start(&clock);
        for (long i = b; i < n && i < b + step; i++) {
            if (i % WL_INSERT_BATCH == 0)
                check(cx, sm_begin(cx, conn), "begin");
            hero w;
            wl_hero(i, &w, name, sizeof name, secret, sizeof secret);
            Hero h = from_workload(&w);
            check(cx, hero_insert(cx, conn, &h), "insert");
            idsum += h.id;
            if ((i + 1) % WL_INSERT_BATCH == 0 || i + 1 == n)
                check(cx, sm_commit(cx, conn), "commit");
        }
        wl_block_stop(&clock);
    }
    wl_report_clock(&clock, "insert", (size_t)n);
    printf("# W1 check rows=%ld idsum=%lld\n", n, (long long)idsum);
    if (idsum != (int64_t)n * (n + 1) / 2)
        wl_die("W1: ids are not 1..%ld", n);
}

/* wl_hero_check over a generated Hero. */
static int64_t hero_check(const Hero *h)
{
    return h->id * 31 + (h->has_age ? h->age : 1000) * 7 + (h->has_team_id ? h->team_id : 0) * 3 +
           (int64_t)strlen(h->name) + (int64_t)strlen(h->secret_name);
}

static void phase_get(sm_cx *cx, sm_conn *conn, const wl_sync *sync, long n, long max_id)
{
    int64_t *ids = wl_random_ids(WL_SEED_GET, (size_t)n, max_id);
    int64_t sum = 0;
    sm_arena arena = SM_ARENA_INIT;
    wl_clock clock = wl_clock_for(sync, "W2");
    for (long b = 0, step = wl_block_ops(&clock, n); b < n; b += step) {
        wl_block_start(&clock);
        for (long k = b; k < n && k < b + step; k++) {
            Hero h;
            check(cx, hero_get(cx, conn, (int32_t)ids[k], &h, &arena), "get");
            if (h.id != ids[k])
                wl_die("W2: asked for hero %lld, got %lld", (long long)ids[k],
                       (long long)h.id);
            sum += hero_check(&h);
            sm_arena_reset(&arena); /* as a loop should: the memory is kept */
        }
        wl_block_stop(&clock);
    }
    wl_report_clock(&clock, "get", (size_t)n);
    sm_arena_free(&arena);
    printf("# W2 check=%lld\n", (long long)sum);
    free(ids);
}

static void phase_query(sm_cx *cx, sm_conn *conn, const wl_sync *sync, long n)
{
    int64_t sum = 0;
    size_t total = 0;
    sm_arena arena = SM_ARENA_INIT;
    wl_clock clock = wl_clock_for(sync, "W3");
    for (long b = 0, step = wl_block_ops(&clock, n); b < n; b += step) {
        wl_block_start(&clock);
        for (long q = b; q < n && q < b + step; q++) {
            Hero_list rows;
            check(cx, heroes_older(cx, conn, WL_QUERY_MIN_AGE, WL_QUERY_LIMIT, &rows, &arena),
                  "query");
            total += rows.len;
            for (size_t r = 0; r < rows.len; r++)
                sum += hero_check(&rows.items[r]);
            sm_arena_reset(&arena);
        }
        wl_block_stop(&clock);
    }
    wl_report_clock(&clock, "query", (size_t)n);
    sm_arena_free(&arena);
    printf("# W3 check=%lld rows=%zu\n", (long long)sum, total);
}

/* W4: set_age is the same UPDATE the hand-written program runs; with
 * `patch`, W4p does it through hero_patch instead. */
static void phase_update(sm_cx *cx, sm_conn *conn, const wl_sync *sync, long n, long max_id,
                         bool patch)
{
    int64_t *ids = wl_random_ids(WL_SEED_UPDATE, (size_t)n, max_id);
    /* W4p has no hand-written twin: in lockstep it runs alone, as a whole. */
    wl_clock clock = wl_clock_for(sync, patch ? "solo W4p" : "W4");
    for (long b = 0, step = wl_block_ops(&clock, n); b < n; b += step) {
        wl_block_start(&clock);
        for (long j = b; j < n && j < b + step; j++) {
            if (j % WL_UPDATE_BATCH == 0)
                check(cx, sm_begin(cx, conn), "begin");
            if (patch) {
                HeroUpdate u = HERO_UPDATE_INIT;
                u.age = wl_update_age(j);
                u.has_age = true;
                /* SM_NOTFOUND if no row */
                check(cx, hero_patch(cx, conn, (int32_t)ids[j], &u), "patch");
            } else {
                int64_t hit = 0;
                check(cx, set_age(cx, conn, (int32_t)ids[j], wl_update_age(j), &hit), "update");
                if (hit != 1)
                    wl_die("W4: update of hero %lld matched %lld rows", (long long)ids[j],
                           (long long)hit);
            }
            if ((j + 1) % WL_UPDATE_BATCH == 0 || j + 1 == n)
                check(cx, sm_commit(cx, conn), "commit");
        }
        wl_block_stop(&clock);
    }
    wl_report_cpu(patch ? "W4p" : "W4", patch ? "update-patch" : "update", (size_t)n, clock.secs,
                  clock.cpu);
    free(ids);
}

static bool same_hero(const Hero *a, const Hero *b)
{
    return a->id == b->id && strcmp(a->name, b->name) == 0 &&
           strcmp(a->secret_name, b->secret_name) == 0 && a->has_age == b->has_age &&
           (!a->has_age || a->age == b->age) && a->has_team_id == b->has_team_id &&
           (!a->has_team_id || a->team_id == b->team_id);
}

/* W5L loads every hero; W5 serialises each to its own JSON object and
 * parses them all back, as the hand-written codec does. */
static void phase_load_and_json(sm_cx *cx, sm_conn *conn, const wl_sync *sync)
{
    sm_arena arena = SM_ARENA_INIT, parsed_arena = SM_ARENA_INIT;
    Hero_list all;
    wl_clock clock = wl_clock_for(sync, "W5L");
    wl_block_start(&clock);
    check(cx, all_heroes(cx, conn, &all, &arena), "load all");
    wl_block_stop(&clock);
    wl_report_clock(&clock, "load-all", all.len);
    int64_t sum = 0;
    for (size_t i = 0; i < all.len; i++)
        sum += hero_check(&all.items[i]);
    printf("# W5 check=%lld rows=%zu\n", (long long)sum, all.len);

    sm_buf json = SM_BUF_INIT;
    size_t *offs = wl_xcalloc(all.len + 1, sizeof *offs);
    Hero *parsed = wl_xcalloc(all.len ? all.len : 1, sizeof *parsed);
    sm_errors errs = SM_ERRORS_INIT;
    wl_sync_wait(sync, "W5");
    double t0 = wl_now();
    for (size_t i = 0; i < all.len; i++) {
        offs[i] = json.len;
        if (hero_to_json(&all.items[i], &json) != SM_OK)
            wl_die("W5: cannot serialise hero %zu", i);
    }
    offs[all.len] = json.len;
    double t_write = wl_now() - t0;
    t0 = wl_now();
    for (size_t i = 0; i < all.len; i++)
        if (hero_from_json(json.data + offs[i], offs[i + 1] - offs[i], &parsed[i], &parsed_arena,
                           &errs) != SM_OK)
            wl_die("W5: cannot parse document %zu", i);
    double t_parse = wl_now() - t0;
    wl_report("W5", "json", all.len, t_write + t_parse);
    wl_report("W5s", "json-serialise", all.len, t_write);
    wl_report("W5p", "json-parse", all.len, t_parse);
    if (all.len)
        printf("# W5 json bytes=%zu first=%.*s\n", json.len, (int)(offs[1] - offs[0]), json.data);
    for (size_t i = 0; i < all.len; i++)
        if (!same_hero(&all.items[i], &parsed[i]))
            wl_die("W5: JSON round trip differs at hero %zu", i);
    sm_errors_free(&errs);
    sm_buf_free(&json);
    free(offs);
    free(parsed);
    sm_arena_free(&parsed_arena);
    sm_arena_free(&arena);
}

/* W1b: the same rows through insert_many, 1000 at a time (multi-row
 * INSERTs on PostgreSQL and MySQL), on a fresh schema. */
static void phase_insert_many(sm_cx *cx, sm_conn *conn, const wl_sync *sync, long n)
{
    enum { NAME = 32, SECRET = 64 };
    static char names[WL_INSERT_BATCH][NAME], secrets[WL_INSERT_BATCH][SECRET];
    static Hero batch[WL_INSERT_BATCH];
    int64_t idsum = 0;
    setup(cx, conn);
    wl_clock clock = wl_clock_for(sync, "W1b");
    for (long b = 0, step = wl_block_ops(&clock, n); b < n; b += step) {
        wl_block_start(&clock);
        for (long first = b; first < n && first < b + step; first += WL_INSERT_BATCH) {
            size_t count = (size_t)(n - first < WL_INSERT_BATCH ? n - first : WL_INSERT_BATCH);
            for (size_t k = 0; k < count; k++) {
                hero w;
                wl_hero(first + (long)k, &w, names[k], NAME, secrets[k], SECRET);
                batch[k] = from_workload(&w);
            }
            check(cx, hero_insert_many(cx, conn, batch, count), "insert_many");
            for (size_t k = 0; k < count; k++)
                idsum += batch[k].id;
        }
        wl_block_stop(&clock);
    }
    wl_report_clock(&clock, "insert-multirow", (size_t)n);
    printf("# W1b check rows=%ld idsum=%lld\n", n, (long long)idsum);
    if (idsum != (int64_t)n * (n + 1) / 2)
        wl_die("W1b: ids are not 1..%ld", n);
}

int main(int argc, char **argv)
{
    config cfg = parse_args(argc, argv);
    wl_sync sync = wl_sync_from_env();
    wl_sync_wait(&sync, "open");
    sm_cx cx;
    sm_cx_init(&cx);
    sm_conn *conn;
    check(&cx, sm_open(&cx, cfg.url, &conn), "open");
    const char *dialect = sm_conn_dialect(conn) == SM_SQLITE     ? "sqlite"
                          : sm_conn_dialect(conn) == SM_POSTGRES ? "pg"
                                                                 : "mariadb";
    printf("# impl=smc-%s inserts=%ld gets=%ld queries=%ld updates=%ld\n", dialect, cfg.inserts,
           cfg.gets, cfg.queries, cfg.updates);
    if (sm_conn_dialect(conn) == SM_SQLITE && !cfg.fk) {
        /* The hand-written program leaves SQLite's foreign keys off (the
         * default); libsmdl turns them on.  Match it unless asked not to. */
        check(&cx, sm_exec(&cx, conn, "PRAGMA foreign_keys = OFF", NULL, 0, NULL), "pragma");
    }
    setup(&cx, conn);
    phase_insert(&cx, conn, &sync, cfg.inserts);
    const char *analyze = sm_conn_dialect(conn) == SM_SQLITE     ? "ANALYZE"
                          : sm_conn_dialect(conn) == SM_POSTGRES ? "ANALYZE team, hero"
                                                                 : "ANALYZE TABLE team, hero";
    check(&cx, sm_exec_script(&cx, conn, analyze), "analyze");
    phase_get(&cx, conn, &sync, cfg.gets, cfg.inserts);
    phase_query(&cx, conn, &sync, cfg.queries);
    phase_update(&cx, conn, &sync, cfg.updates, cfg.inserts, false);
    phase_load_and_json(&cx, conn, &sync);
    phase_update(&cx, conn, &sync, cfg.updates, cfg.inserts, true);
    phase_insert_many(&cx, conn, &sync, cfg.inserts);
    sm_close(conn);
    sm_cx_free(&cx);
    return 0;
}
