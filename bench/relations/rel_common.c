#include "rel_common.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { BLOCK = 64 * 1024 };

struct rel_block {
    struct rel_block *next;
    size_t used, size;
    char data[];
};

char *ra_strndup(rel_arena *a, const char *s, size_t n)
{
    struct rel_block *b = a->head;
    if (!b || b->size - b->used < n + 1) {
        size_t size = n + 1 > BLOCK ? n + 1 : BLOCK;
        b = wl_xrealloc(NULL, sizeof *b + size);
        b->next = a->head;
        b->used = 0;
        b->size = size;
        a->head = b;
    }
    char *p = b->data + b->used;
    memcpy(p, s, n);
    p[n] = '\0';
    b->used += n + 1;
    return p;
}

void ra_free(rel_arena *a)
{
    for (struct rel_block *b = a->head, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    a->head = NULL;
}

rel_team *rel_add_team(rel_result *r)
{
    if (r->nteams == r->cap_teams) {
        r->cap_teams = r->cap_teams ? 2 * r->cap_teams : 64;
        r->teams = wl_xrealloc(r->teams, r->cap_teams * sizeof *r->teams);
    }
    rel_team *t = &r->teams[r->nteams++];
    memset(t, 0, sizeof *t);
    return t;
}

rel_hero *rel_add_hero(rel_result *r)
{
    if (r->nheroes == r->cap_heroes) {
        r->cap_heroes = r->cap_heroes ? 2 * r->cap_heroes : 64;
        r->heroes = wl_xrealloc(r->heroes, r->cap_heroes * sizeof *r->heroes);
    }
    rel_hero *h = &r->heroes[r->nheroes++];
    memset(h, 0, sizeof *h);
    h->team_ix = SIZE_MAX;
    return h;
}

rel_team *rel_join_team(rel_result *r, int64_t team_id)
{
    if (r->nteams && r->teams[r->nteams - 1].id == team_id)
        return NULL;
    rel_team *t = rel_add_team(r);
    t->id = team_id;
    t->first = r->nheroes;
    return t;
}

rel_hero *rel_join_hero(rel_result *r)
{
    r->teams[r->nteams - 1].nheroes++;
    return rel_add_hero(r);
}

void rel_finish_teams(rel_result *r)
{
    for (size_t k = 0; k < r->nteams; k++)
        r->teams[k].heroes = r->heroes + r->teams[k].first;
}

void rel_group_heroes(rel_result *r)
{
    size_t h = 0;
    for (size_t k = 0; k < r->nteams; k++) {
        rel_team *t = &r->teams[k];
        while (h < r->nheroes && r->heroes[h].team_id < t->id)
            h++; /* cannot happen: every hero read belongs to a team asked for */
        t->first = h;
        while (h < r->nheroes && r->heroes[h].team_id == t->id)
            h++;
        t->nheroes = h - t->first;
    }
    rel_finish_teams(r);
}

static int cmp_int64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

size_t rel_distinct_team_ids(const rel_result *r, int64_t *ids)
{
    size_t n = 0;
    for (size_t h = 0; h < r->nheroes; h++)
        if (r->heroes[h].has_team_id)
            ids[n++] = r->heroes[h].team_id;
    qsort(ids, n, sizeof *ids, cmp_int64);
    size_t d = 0;
    for (size_t k = 0; k < n; k++)
        if (d == 0 || ids[d - 1] != ids[k])
            ids[d++] = ids[k];
    return d;
}

void rel_link_teams(rel_result *r)
{
    for (size_t h = 0; h < r->nheroes; h++) {
        rel_hero *hero = &r->heroes[h];
        hero->team = NULL;
        if (!hero->has_team_id)
            continue;
        size_t lo = 0, hi = r->nteams;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (r->teams[mid].id < hero->team_id)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo < r->nteams && r->teams[lo].id == hero->team_id)
            hero->team = &r->teams[lo];
    }
}

void rel_finish_heroes(rel_result *r)
{
    for (size_t h = 0; h < r->nheroes; h++)
        r->heroes[h].team = r->heroes[h].team_ix == SIZE_MAX ? NULL
                                                             : &r->teams[r->heroes[h].team_ix];
}

void rel_result_free(rel_result *r)
{
    free(r->teams);
    free(r->heroes);
    ra_free(&r->arena);
    memset(r, 0, sizeof *r);
}

void rel_team_data(long k, char *name, size_t name_size, char *hq, size_t hq_size)
{
    snprintf(name, name_size, "team-%ld", k);
    snprintf(hq, hq_size, "hq-%ld", k);
}

void rel_hero_data(const rel_config *c, long i, hero *h, char *name, size_t name_size,
                   char *secret, size_t secret_size)
{
    wl_hero(i, h, name, name_size, secret, secret_size);
    h->id = i + 1;
    h->has_team_id = true;
    h->team_id = i % c->teams + 1;
}

int64_t rel_hero_check(int64_t id, bool has_age, int32_t age, bool has_team_id,
                       int64_t team_id, const char *name, const char *secret_name)
{
    return id * 31 + (has_age ? age : 1000) * 7 + (has_team_id ? team_id : 0) * 3 +
           (int64_t)strlen(name) + 5 * (int64_t)strlen(secret_name);
}

int64_t rel_team_check(int64_t id, const char *name, const char *headquarters)
{
    return id * 131 + (int64_t)strlen(name) + 3 * (int64_t)strlen(headquarters);
}

/* R1's checksum: every team, then each of its heroes weighted by its
 * position in the team (a wrong order or grouping changes it). */
int64_t rel_expected_teams(const rel_config *c)
{
    int64_t sum = 0;
    long nteams = c->teams + c->empty_teams, nheroes = c->teams * c->per_team;
    for (long k = 0; k < nteams; k++) {
        char name[32], hq[32];
        rel_team_data(k, name, sizeof name, hq, sizeof hq);
        sum += rel_team_check(k + 1, name, hq);
    }
    /* Team t's heroes are i = t-1, t-1+teams, ...: position p = i / teams. */
    for (long i = 0; i < nheroes; i++) {
        char name[32], secret[64];
        hero h;
        rel_hero_data(c, i, &h, name, sizeof name, secret, sizeof secret);
        sum += (i / c->teams + 1) *
               rel_hero_check(h.id, h.has_age, h.age, true, h.team_id, name, secret);
    }
    return sum;
}

/* R2's checksum: each hero weighted by its position, plus its team. */
int64_t rel_expected_heroes(const rel_config *c)
{
    int64_t sum = 0;
    long n = c->heroes_read < c->teams * c->per_team ? c->heroes_read : c->teams * c->per_team;
    for (long i = 0; i < n; i++) {
        char name[32], secret[64], tname[32], hq[32];
        hero h;
        rel_hero_data(c, i, &h, name, sizeof name, secret, sizeof secret);
        rel_team_data(h.team_id - 1, tname, sizeof tname, hq, sizeof hq);
        sum += (i + 1) * rel_hero_check(h.id, h.has_age, h.age, true, h.team_id, name, secret) +
               rel_team_check(h.team_id, tname, hq);
    }
    return sum;
}

/* The checksums of a result, dying on a hero in the wrong team. */
static int64_t check_teams(const rel_result *r)
{
    int64_t sum = 0;
    for (size_t k = 0; k < r->nteams; k++) {
        const rel_team *t = &r->teams[k];
        sum += rel_team_check(t->id, t->name, t->headquarters);
        for (size_t p = 0; p < t->nheroes; p++) {
            const rel_hero *h = &t->heroes[p];
            if (!h->has_team_id || h->team_id != t->id)
                wl_die("R1: hero %lld listed under team %lld", (long long)h->id,
                       (long long)t->id);
            sum += (int64_t)(p + 1) * rel_hero_check(h->id, h->has_age, h->age, h->has_team_id,
                                                     h->team_id, h->name, h->secret_name);
        }
    }
    return sum;
}

static int64_t check_heroes(const rel_result *r)
{
    int64_t sum = 0;
    for (size_t p = 0; p < r->nheroes; p++) {
        const rel_hero *h = &r->heroes[p];
        sum += (int64_t)(p + 1) * rel_hero_check(h->id, h->has_age, h->age, h->has_team_id,
                                                 h->team_id, h->name, h->secret_name);
        if (h->has_team_id != (h->team != NULL) || (h->team && h->team->id != h->team_id))
            wl_die("R2: hero %lld has the wrong team", (long long)h->id);
        if (h->team)
            sum += rel_team_check(h->team->id, h->team->name, h->team->headquarters);
    }
    return sum;
}

static void usage(const char *prog, const char *default_conn)
{
    fprintf(stderr,
            "usage: %s [--conn S] [--setup] [--strategy join|in] [--teams N]\n"
            "          [--per-team N] [--empty-teams N] [--heroes N]\n"
            "          [--reps-teams N] [--reps-heroes N] [--phase r1|r2]\n"
            "  --conn  connection (default: %s)\n",
            prog, default_conn);
    exit(2);
}

static long number(const char *s, long min, const char *prog, const char *default_conn)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*end || v < min)
        usage(prog, default_conn);
    return v;
}

rel_config rel_parse_args(int argc, char **argv, const char *default_conn)
{
    rel_config c = {default_conn, REL_TEAMS, REL_PER_TEAM, 0, REL_HEROES_READ,
                    REL_REPS_TEAMS, REL_REPS_HEROES, REL_JOIN, false, true, true};
    static const struct option longopts[] = {
        {"conn", required_argument, NULL, 'c'},
        {"setup", no_argument, NULL, 's'},
        {"strategy", required_argument, NULL, 'S'},
        {"teams", required_argument, NULL, 't'},
        {"per-team", required_argument, NULL, 'p'},
        {"empty-teams", required_argument, NULL, 'e'},
        {"heroes", required_argument, NULL, 'h'},
        {"reps-teams", required_argument, NULL, 'r'},
        {"reps-heroes", required_argument, NULL, 'R'},
        {"phase", required_argument, NULL, 'P'},
        {NULL, 0, NULL, 0},
    };
    const char *p = argv[0];
    int opt;
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (opt) {
        case 'c': c.conn = optarg; break;
        case 's': c.setup = true; break;
        case 'S':
            if (strcmp(optarg, "join") == 0)
                c.strategy = REL_JOIN;
            else if (strcmp(optarg, "in") == 0)
                c.strategy = REL_IN;
            else
                usage(p, default_conn);
            break;
        case 't': c.teams = number(optarg, 1, p, default_conn); break;
        case 'p': c.per_team = number(optarg, 0, p, default_conn); break;
        case 'e': c.empty_teams = number(optarg, 0, p, default_conn); break;
        case 'h': c.heroes_read = number(optarg, 1, p, default_conn); break;
        case 'r': c.reps_teams = number(optarg, 1, p, default_conn); break;
        case 'R': c.reps_heroes = number(optarg, 1, p, default_conn); break;
        case 'P':
            c.r1 = strcmp(optarg, "r1") == 0;
            c.r2 = strcmp(optarg, "r2") == 0;
            if (!c.r1 && !c.r2)
                usage(p, default_conn);
            break;
        default: usage(p, default_conn);
        }
    }
    if (optind != argc)
        usage(p, default_conn);
    return c;
}

static void setup(const rel_ops *ops, void *db, const rel_config *c)
{
    double t0 = wl_now();
    ops->create_schema(db);
    ops->begin(db);
    for (long k = 0; k < c->teams + c->empty_teams; k++) {
        char name[32], hq[32];
        rel_team_data(k, name, sizeof name, hq, sizeof hq);
        ops->insert_team(db, k + 1, name, hq);
    }
    for (long i = 0; i < c->teams * c->per_team; i++) {
        char name[32], secret[64];
        hero h;
        rel_hero_data(c, i, &h, name, sizeof name, secret, sizeof secret);
        ops->insert_hero(db, &h);
    }
    ops->commit(db);
    ops->analyze(db);
    printf("# setup teams=%ld heroes=%ld secs=%.2f\n", c->teams + c->empty_teams,
           c->teams * c->per_team, wl_now() - t0);
}

typedef void (*teams_fn)(void *db, rel_result *r);
typedef void (*heroes_fn)(void *db, long n, rel_result *r);

/* R1: one untimed warm-up, then reps_teams reads, each checked. */
static void time_teams(teams_fn teams, void *db, const rel_config *c)
{
    int64_t want = rel_expected_teams(c);
    rel_result r = {0};
    teams(db, &r);
    rel_result_free(&r);
    double t0 = wl_now(), c0 = wl_cpu();
    for (long k = 0; k < c->reps_teams; k++) {
        teams(db, &r);
        int64_t got = check_teams(&r);
        if (got != want || r.nteams != (size_t)(c->teams + c->empty_teams))
            wl_die("R1: check %lld, want %lld (%zu teams)", (long long)got, (long long)want,
                   r.nteams);
        rel_result_free(&r);
    }
    wl_report_cpu("R1", "teams-with-heroes", (size_t)c->reps_teams, wl_now() - t0,
                  wl_cpu() - c0);
    printf("# R1 check=%lld\n", (long long)want);
}

/* R2: the same for the first heroes_read heroes with their team. */
static void time_heroes(heroes_fn heroes, void *db, const rel_config *c)
{
    int64_t want = rel_expected_heroes(c);
    rel_result r = {0};
    heroes(db, c->heroes_read, &r);
    rel_result_free(&r);
    double t0 = wl_now(), c0 = wl_cpu();
    for (long k = 0; k < c->reps_heroes; k++) {
        heroes(db, c->heroes_read, &r);
        int64_t got = check_heroes(&r);
        if (got != want)
            wl_die("R2: check %lld, want %lld", (long long)got, (long long)want);
        rel_result_free(&r);
    }
    wl_report_cpu("R2", "heroes-with-team", (size_t)c->reps_heroes, wl_now() - t0,
                  wl_cpu() - c0);
    printf("# R2 check=%lld\n", (long long)want);
}

int rel_main(int argc, char **argv, const rel_ops *ops)
{
    rel_config c = rel_parse_args(argc, argv, ops->default_conn);
    void *db = ops->open(c.conn);
    if (c.setup) {
        setup(ops, db, &c);
        ops->close(db);
        return 0;
    }
    bool join = c.strategy == REL_JOIN;
    printf("# impl=c-%s-%s teams=%ld per_team=%ld empty_teams=%ld heroes=%ld\n",
           join ? "join" : "in", ops->name, c.teams, c.per_team, c.empty_teams, c.heroes_read);
    ops->prepare(db);
    if (c.r1)
        time_teams(join ? ops->teams_join : ops->teams_in, db, &c);
    if (c.r2)
        time_heroes(join ? ops->heroes_join : ops->heroes_in, db, &c);
    ops->close(db);
    return 0;
}
