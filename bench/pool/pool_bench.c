/*
 * pool_bench: the command line and the setup.
 *
 *   pool_bench --conn URL --setup [--heroes N]
 *   pool_bench --conn URL --phase acquire [--seconds S]
 *   pool_bench --conn URL --phase mixed --threads T --mode pool|direct
 *              [--max-conns M] [--seconds S] [--warmup S]
 *
 * Every result is checked; a wrong one ends the program with status 1.
 */
#include "pool_bench.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void pb_check(sm_cx *cx, int rc, const char *what)
{
    if (rc != SM_OK)
        wl_die("%s: %s: %s", what, sm_strerror(rc), sm_cx_errmsg(cx));
}

static double number(const char *s, double min)
{
    char *end;
    double v = strtod(s, &end);
    if (*end || !(v >= min))
        wl_die("not a number >= %g: %s", min, s);
    return v;
}

void pb_setup(const pb_config *cfg)
{
    sm_cx cx;
    sm_cx_init(&cx);
    sm_conn *conn;
    pb_check(&cx, sm_open(&cx, cfg->url, &conn), "open");
    pb_check(&cx, hero_drop_all(&cx, conn), "drop_all");
    pb_check(&cx, hero_create_all(&cx, conn), "create_all");
    pb_check(&cx, sm_begin(&cx, conn), "begin");
    for (int k = 0; k < WL_TEAMS; k++) {
        char name[32], hq[32];
        wl_team(k, name, sizeof name, hq, sizeof hq);
        Team t = TEAM_INIT;
        t.name = name;
        t.headquarters = hq;
        pb_check(&cx, team_insert(&cx, conn, &t), "insert team");
    }
    enum { CHUNK = 1000, NAME = 32, SECRET = 64 };
    static char names[CHUNK][NAME], secrets[CHUNK][SECRET];
    static Hero batch[CHUNK];
    for (int first = 0; first < cfg->heroes; first += CHUNK) {
        int count = cfg->heroes - first < CHUNK ? cfg->heroes - first : CHUNK;
        for (int k = 0; k < count; k++) {
            hero w;
            wl_hero(first + k, &w, names[k], NAME, secrets[k], SECRET);
            Hero h = HERO_INIT;
            h.name = w.name;
            h.secret_name = w.secret_name;
            h.age = w.age;
            h.has_age = w.has_age;
            h.team_id = w.team_id;
            h.has_team_id = w.has_team_id;
            batch[k] = h;
        }
        pb_check(&cx, hero_insert_many(&cx, conn, batch, (size_t)count), "insert_many");
    }
    pb_check(&cx, sm_commit(&cx, conn), "commit");
    const char *analyze = sm_conn_dialect(conn) == SM_SQLITE     ? "ANALYZE"
                          : sm_conn_dialect(conn) == SM_POSTGRES ? "ANALYZE team, hero"
                                                                 : "ANALYZE TABLE team, hero";
    pb_check(&cx, sm_exec_script(&cx, conn, analyze), "analyze");
    sm_close(conn);
    sm_cx_free(&cx);
    printf("# setup heroes=%d\n", cfg->heroes);
}

int64_t pb_count_heroes(const char *url)
{
    sm_cx cx;
    sm_cx_init(&cx);
    sm_conn *conn;
    sm_rows *r;
    pb_check(&cx, sm_open(&cx, url, &conn), "open");
    pb_check(&cx, sm_query(&cx, conn, "SELECT count(*) FROM hero", NULL, 0, &r), "count");
    if (sm_rows_next(r) != SM_ROW)
        wl_die("count: no row: %s", sm_cx_errmsg(&cx));
    int64_t n = sm_rows_int(r, 0);
    sm_rows_close(r);
    sm_close(conn);
    sm_cx_free(&cx);
    return n;
}

int main(int argc, char **argv)
{
    pb_config cfg = {NULL, 10000, 0.5, 0.2, 1, true, 8};
    const char *phase = NULL;
    bool setup = false;
    static const struct option opts[] = {
        {"conn", required_argument, NULL, 'c'},    {"setup", no_argument, NULL, 's'},
        {"heroes", required_argument, NULL, 'n'},  {"phase", required_argument, NULL, 'p'},
        {"seconds", required_argument, NULL, 'S'}, {"warmup", required_argument, NULL, 'w'},
        {"threads", required_argument, NULL, 't'}, {"mode", required_argument, NULL, 'm'},
        {"max-conns", required_argument, NULL, 'M'}, {NULL, 0, NULL, 0},
    };
    int o;
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (o) {
        case 'c': cfg.url = optarg; break;
        case 's': setup = true; break;
        case 'n': cfg.heroes = (int)number(optarg, 1); break;
        case 'p': phase = optarg; break;
        case 'S': cfg.seconds = number(optarg, 0.01); break;
        case 'w': cfg.warmup = number(optarg, 0); break;
        case 't': cfg.threads = (int)number(optarg, 1); break;
        case 'M': cfg.max_conns = (int)number(optarg, 1); break;
        case 'm':
            if (strcmp(optarg, "pool") && strcmp(optarg, "direct"))
                wl_die("--mode is pool or direct, not %s", optarg);
            cfg.pooled = strcmp(optarg, "pool") == 0;
            break;
        default:
            wl_die("usage: %s --conn URL (--setup | --phase acquire|mixed) [options]", argv[0]);
        }
    }
    if (!cfg.url || (!setup && !phase))
        wl_die("usage: %s --conn URL (--setup | --phase acquire|mixed) [options]", argv[0]);
    if (setup)
        pb_setup(&cfg);
    if (!phase)
        return 0;
    if (strcmp(phase, "acquire") == 0)
        pb_acquire(&cfg);
    else if (strcmp(phase, "mixed") == 0)
        pb_mixed(&cfg);
    else
        wl_die("--phase is acquire or mixed, not %s", phase);
    return 0;
}
