/*
 * The relations workload (../README.md, "Relationships"), shared by the
 * hand-written programs: the data, the result shapes, the grouping and
 * stitching every strategy needs, the checks and the timing loop.  A
 * backend supplies the database work for each strategy.
 */
#ifndef SMC_BENCH_REL_COMMON_H
#define SMC_BENCH_REL_COMMON_H

#include "workload.h"

#include <stddef.h>
#include <stdint.h>

/* Default sizes: R1 reads REL_TEAMS teams with REL_PER_TEAM heroes each;
 * R2 reads the first REL_HEROES_READ heroes with their team. */
enum {
    REL_TEAMS = 1000,
    REL_PER_TEAM = 10,
    REL_HEROES_READ = 1000,
    REL_REPS_TEAMS = 300,
    REL_REPS_HEROES = 2000,
};

/* A bump allocator for the strings of one result, freed as a whole, as
 * an application's arena would be. */
typedef struct rel_arena {
    struct rel_block *head;
} rel_arena;
char *ra_strndup(rel_arena *a, const char *s, size_t n);
void ra_free(rel_arena *a);

struct rel_team;

typedef struct rel_hero {
    int64_t id;
    char *name, *secret_name;
    bool has_age;
    int32_t age;
    bool has_team_id;
    int64_t team_id;
    struct rel_team *team; /* R2: the hero's team, NULL without one */
    size_t team_ix;        /* while building: index into the teams, or SIZE_MAX */
} rel_hero;

typedef struct rel_team {
    int64_t id;
    char *name, *headquarters;
    rel_hero *heroes; /* R1: a slice of the result's heroes, by id */
    size_t nheroes;
    size_t first; /* while building: index of the first hero */
} rel_team;

/* One result: one array per level (teams, heroes), strings in the arena. */
typedef struct rel_result {
    rel_team *teams;
    size_t nteams, cap_teams;
    rel_hero *heroes;
    size_t nheroes, cap_heroes;
    rel_arena arena;
} rel_result;

/* Appends a zeroed team or hero (arrays grow by doubling). */
rel_team *rel_add_team(rel_result *r);
rel_hero *rel_add_hero(rel_result *r);
/* JOIN, R1: the row's team opens a new team unless it is the last one;
 * returns the team to fill, or NULL when the row continues the last team. */
rel_team *rel_join_team(rel_result *r, int64_t team_id);
/* Appends a hero to the last team (R1, JOIN). */
rel_hero *rel_join_hero(rel_result *r);
/* R1, JOIN: turns hero indexes into slices. */
void rel_finish_teams(rel_result *r);
/* R1, IN: teams sorted by id, heroes sorted by (team_id, id): each team
 * gets the slice of heroes with its id (possibly empty). */
void rel_group_heroes(rel_result *r);
/* R2, IN: the distinct non-NULL team ids of the heroes, ascending, into
 * ids (capacity nheroes); returns their count. */
size_t rel_distinct_team_ids(const rel_result *r, int64_t *ids);
/* R2, IN: teams sorted by id: each hero points at its team (or NULL). */
void rel_link_teams(rel_result *r);
/* R2, JOIN: hero->team from team_ix. */
void rel_finish_heroes(rel_result *r);
void rel_result_free(rel_result *r);

typedef enum rel_strategy { REL_JOIN, REL_IN } rel_strategy;

/* The sizes of one run; the read programs must be given the same as the
 * setup that filled the database. */
typedef struct rel_config {
    const char *conn;
    long teams, per_team, empty_teams, heroes_read, reps_teams, reps_heroes;
    rel_strategy strategy;
    bool setup;
    bool r1, r2; /* the phases to run (--phase r1|r2; both by default) */
} rel_config;

/* The data: team k (0-based, id k+1) is wl_team's; hero i (0 <= i <
 * teams * per_team, id i+1) is wl_hero's but in team i % teams + 1, so a
 * team's heroes are not adjacent by id.  The empty_teams teams after
 * those (ids teams+1...) have no heroes. */
void rel_team_data(long k, char *name, size_t name_size, char *hq, size_t hq_size);
void rel_hero_data(const rel_config *c, long i, hero *h, char *name, size_t name_size,
                   char *secret, size_t secret_size);

/* Checksums that depend on every value and on the order (rel_smc.c
 * computes the same over the generated structs). */
int64_t rel_hero_check(int64_t id, bool has_age, int32_t age, bool has_team_id,
                       int64_t team_id, const char *name, const char *secret_name);
int64_t rel_team_check(int64_t id, const char *name, const char *headquarters);
/* What R1 and R2 must read, computed from the data alone. */
int64_t rel_expected_teams(const rel_config *c);
int64_t rel_expected_heroes(const rel_config *c);

typedef struct rel_ops {
    const char *name, *default_conn;
    void *(*open)(const char *conn);
    void (*close)(void *db);
    /* Drops and creates the tables (the DDL smc emits for rel.smdl). */
    void (*create_schema)(void *db);
    void (*begin)(void *db);
    void (*commit)(void *db);
    void (*insert_team)(void *db, int64_t id, const char *name, const char *hq);
    void (*insert_hero)(void *db, const hero *h); /* h->id set */
    void (*analyze)(void *db);
    /* Prepares the read statements (once, before timing). */
    void (*prepare)(void *db);
    /* R1 and R2 by each strategy, into r (zeroed by the caller). */
    void (*teams_join)(void *db, rel_result *r);
    void (*teams_in)(void *db, rel_result *r);
    void (*heroes_join)(void *db, long n, rel_result *r);
    void (*heroes_in)(void *db, long n, rel_result *r);
} rel_ops;

/* Parses the options, then either fills the database (--setup) or times
 * R1 and R2 by the chosen strategy and prints the report lines. */
int rel_main(int argc, char **argv, const rel_ops *ops);

/* Shared option parsing (also used by rel_smc.c, which has no strategy). */
rel_config rel_parse_args(int argc, char **argv, const char *default_conn);

#endif
