/*
 * The relations workload through smc's generated code on libsmdl, on any
 * of the three databases (--conn takes an smdl URL), over a database that
 * a hand-written program filled (`rel_sqlite --setup`, ...) with the same
 * sizes.  Prints the same report lines and checksums as the hand-written
 * programs: R1 reads every team with its heroes, R2 the first n heroes
 * with their team; each result lives in an arena freed after every
 * operation, as an application would.
 *
 * Built two ways (meson.build): by default the queries load the
 * relationships themselves (`-> [Team with heroes]`, rel.smdl); with
 * REL_SMC_EXPLICIT_LOADS the same queries without `with`, followed by the
 * explicit list loads (team_list_load_heroes, hero_list_load_team).
 */
#ifdef REL_SMC_EXPLICIT_LOADS
#include "rel_explicit.h"
#define IMPL "smc-explicit"
#else
#include "rel.h"
#define IMPL "smc"
#endif
#include "rel_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void check(sm_cx *cx, int rc, const char *what)
{
    if (rc != SM_OK)
        wl_die("%s: %s: %s", what, sm_strerror(rc), sm_cx_errmsg(cx));
}

static int read_teams(sm_cx *cx, sm_conn *conn, Team_list *out, sm_arena *arena)
{
    int rc = all_teams(cx, conn, out, arena);
#ifdef REL_SMC_EXPLICIT_LOADS
    if (rc == SM_OK)
        rc = team_list_load_heroes(cx, conn, out, arena);
#endif
    return rc;
}

static int read_heroes(sm_cx *cx, sm_conn *conn, long n, Hero_list *out, sm_arena *arena)
{
    int rc = first_heroes(cx, conn, n, out, arena);
#ifdef REL_SMC_EXPLICIT_LOADS
    if (rc == SM_OK)
        rc = hero_list_load_team(cx, conn, out, arena);
#endif
    return rc;
}

static int64_t hero_check(const Hero *h)
{
    return rel_hero_check(h->id, h->has_age, h->age, h->has_team_id, h->team_id, h->name,
                          h->secret_name);
}

/* rel_common.c's checks over the generated structs; a relationship left
 * unloaded is an error. */
static int64_t check_teams(const Team_list *teams)
{
    int64_t sum = 0;
    for (size_t k = 0; k < teams->len; k++) {
        const Team *t = &teams->items[k];
        if (!t->heroes.items)
            wl_die("R1: team %lld: heroes not loaded", (long long)t->id);
        sum += rel_team_check(t->id, t->name, t->headquarters);
        for (size_t p = 0; p < t->heroes.len; p++) {
            const Hero *h = &t->heroes.items[p];
            if (!h->has_team_id || h->team_id != t->id)
                wl_die("R1: hero %lld listed under team %lld", (long long)h->id,
                       (long long)t->id);
            sum += (int64_t)(p + 1) * hero_check(h);
        }
    }
    return sum;
}

static int64_t check_heroes(const Hero_list *heroes)
{
    int64_t sum = 0;
    for (size_t p = 0; p < heroes->len; p++) {
        const Hero *h = &heroes->items[p];
        if (!h->team_loaded)
            wl_die("R2: hero %lld: team not loaded", (long long)h->id);
        if (h->has_team_id != (h->team != NULL) || (h->team && h->team->id != h->team_id))
            wl_die("R2: hero %lld has the wrong team", (long long)h->id);
        sum += (int64_t)(p + 1) * hero_check(h);
        if (h->team)
            sum += rel_team_check(h->team->id, h->team->name, h->team->headquarters);
    }
    return sum;
}

/* R1 and R2 as rel_common.c times them: a warm-up, then checked reads. */
static void time_teams(sm_cx *cx, sm_conn *conn, const rel_config *c, sm_arena *arena)
{
    int64_t want = rel_expected_teams(c);
    Team_list teams;
    check(cx, read_teams(cx, conn, &teams, arena), "all_teams");
    sm_arena_free(arena);
    double t0 = wl_now(), c0 = wl_cpu();
    for (long k = 0; k < c->reps_teams; k++) {
        check(cx, read_teams(cx, conn, &teams, arena), "all_teams");
        int64_t got = check_teams(&teams);
        if (got != want || teams.len != (size_t)(c->teams + c->empty_teams))
            wl_die("R1: check %lld, want %lld (%zu teams)", (long long)got, (long long)want,
                   teams.len);
        sm_arena_reset(arena); /* the next read reuses the memory */
    }
    sm_arena_free(arena);
    wl_report_cpu("R1", "teams-with-heroes", (size_t)c->reps_teams, wl_now() - t0,
                  wl_cpu() - c0);
    printf("# R1 check=%lld\n", (long long)want);
}

static void time_heroes(sm_cx *cx, sm_conn *conn, const rel_config *c, sm_arena *arena)
{
    int64_t want = rel_expected_heroes(c);
    Hero_list heroes;
    check(cx, read_heroes(cx, conn, c->heroes_read, &heroes, arena), "first_heroes");
    sm_arena_free(arena);
    double t0 = wl_now(), c0 = wl_cpu();
    for (long k = 0; k < c->reps_heroes; k++) {
        check(cx, read_heroes(cx, conn, c->heroes_read, &heroes, arena), "first_heroes");
        int64_t got = check_heroes(&heroes);
        if (got != want)
            wl_die("R2: check %lld, want %lld", (long long)got, (long long)want);
        sm_arena_reset(arena);
    }
    sm_arena_free(arena);
    wl_report_cpu("R2", "heroes-with-team", (size_t)c->reps_heroes, wl_now() - t0,
                  wl_cpu() - c0);
    printf("# R2 check=%lld\n", (long long)want);
}

int main(int argc, char **argv)
{
    rel_config c = rel_parse_args(argc, argv, "sqlite:/tmp/smc_bench/rel.sqlite");
    if (c.setup)
        wl_die("fill the database with a hand-written program (rel_sqlite --setup, ...)");
    sm_cx cx;
    sm_cx_init(&cx);
    sm_conn *conn;
    check(&cx, sm_open(&cx, c.conn, &conn), "open");
    const char *dialect = sm_conn_dialect(conn) == SM_SQLITE     ? "sqlite"
                          : sm_conn_dialect(conn) == SM_POSTGRES ? "pg"
                                                                 : "mariadb";
    printf("# impl=" IMPL "-%s teams=%ld per_team=%ld empty_teams=%ld heroes=%ld\n", dialect,
           c.teams, c.per_team, c.empty_teams, c.heroes_read);
    sm_arena arena = SM_ARENA_INIT;
    if (c.r1)
        time_teams(&cx, conn, &c, &arena);
    if (c.r2)
        time_heroes(&cx, conn, &c, &arena);
    sm_close(conn);
    sm_cx_free(&cx);
    return 0;
}
