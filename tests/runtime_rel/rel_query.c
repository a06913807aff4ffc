/*
 * rel_query.c: the query descriptors of rel_query.h.
 */
#include "rel_query.h"

#include <stddef.h>

#define S3(x) {{x, x, x}}

/* ---- teams_loaded: -> [Team with heroes.teams] ---------------------------------- */

static const sm_qload teams_loaded_loads[] = {
    {SM_LOAD_ROOT, &team_model, &team_rels[TEAM_HEROES]},
    {0, &hero_model, &hero_rels[HERO_TEAMS]},
};
static const sm_variant teams_loaded_v[] = {
    {{S3("SELECT id, name FROM teams ORDER BY id"), {NULL, NULL, NULL}, {0, 0, 0}}, NULL, NULL},
};
const sm_query_desc teams_loaded_q = {
    "teams_loaded", NULL, teams_loaded_v, 1, SM_RET_LIST, 0, &team_model, 0,
    teams_loaded_loads, 2,
};

/* ---- hero_by_id: -> Hero? with team, pupils --------------------------------------- */

static const sm_field hero_by_id_fields[] = {
    {"id", NULL, NULL, offsetof(hero_by_id_args, id), SM_NONE, SM_NONE, SM_T_INT, 0, 0, 0, NULL,
     NULL, NULL},
};
static const sm_model hero_by_id_params = {
    "hero_by_id", NULL, sizeof(hero_by_id_args), NULL, hero_by_id_fields, 1, NULL, 0, 0, NULL,
    NULL, 0, NULL, 0, NULL, 0,
};
static const uint8_t arg0[] = {0};
static const sm_qload hero_by_id_loads[] = {
    {SM_LOAD_ROOT, &hero_model, &hero_rels[HERO_TEAM]},
    {SM_LOAD_ROOT, &hero_model, &hero_rels[HERO_PUPILS]},
};
static const sm_variant hero_by_id_v[] = {
    {{S3("SELECT id, name, team_id, mentor_id FROM hero WHERE id = ?"), {arg0, arg0, arg0},
      {1, 1, 1}},
     NULL, NULL},
};
const sm_query_desc hero_by_id_q = {
    "hero_by_id", &hero_by_id_params, hero_by_id_v, 1, SM_RET_OPT, 0, &hero_model, 0,
    hero_by_id_loads, 2,
};

/* ---- each_team: -> each Team with heroes ------------------------------------------- */

static const sm_field each_team_fields[] = {
    {"upto", NULL, NULL, offsetof(each_team_args, upto), SM_NONE, SM_NONE, SM_T_INT, 0, 0, 0,
     NULL, NULL, NULL},
};
static const sm_model each_team_params = {
    "each_team", NULL, sizeof(each_team_args), NULL, each_team_fields, 1, NULL, 0, 0, NULL, NULL,
    0, NULL, 0, NULL, 0,
};
static const sm_qload each_team_loads[] = {
    {SM_LOAD_ROOT, &team_model, &team_rels[TEAM_HEROES]},
};
static const sm_variant each_team_v[] = {
    {{S3("SELECT id, name FROM teams WHERE id <= ? ORDER BY id"), {arg0, arg0, arg0}, {1, 1, 1}},
     NULL, NULL},
};
const sm_query_desc each_team_q = {
    "each_team", &each_team_params, each_team_v, 1, SM_RET_EACH, 0, &team_model, 0,
    each_team_loads, 1,
};

/* ---- each_doomed: each_team whose load fails on the server ------------------------ */

static const sm_qload each_doomed_loads[] = {
    {SM_LOAD_ROOT, &team_model, &team_rels[TEAM_DOOMED]},
};
const sm_query_desc each_doomed_q = {
    "each_doomed", &each_team_params, each_team_v, 1, SM_RET_EACH, 0, &team_model, 0,
    each_doomed_loads, 1,
};

/* ---- Loads whose owners are not the rows they run over ----------------------------- */

/* Hero's team over the teams' rows, then heroes over what a to-one load
 * of Team reads: descriptors smc never emits, refused before any row is
 * read as the wrong model. */
static const sm_qload wrong_root_loads[] = {
    {SM_LOAD_ROOT, &hero_model, &hero_rels[HERO_TEAM]},
};
const sm_query_desc wrong_root_q = {
    "wrong_root", NULL, teams_loaded_v, 1, SM_RET_LIST, 0, &team_model, 0, wrong_root_loads, 1,
};
static const sm_qload wrong_child_loads[] = {
    {SM_LOAD_ROOT, &team_model, &team_rels[TEAM_HEROES]},
    {0, &team_model, &team_rels[TEAM_HEROES]},
};
const sm_query_desc wrong_child_q = {
    "wrong_child", NULL, teams_loaded_v, 1, SM_RET_LIST, 0, &team_model, 0, wrong_child_loads, 2,
};

/* ---- rename_cities: an update returning rows of a text key ------------------------ */

static const sm_field rename_fields[] = {
    {"a", NULL, NULL, offsetof(rename_cities_args, a), SM_NONE, SM_NONE, SM_T_TEXT, 0, 0, 0, NULL,
     NULL, NULL},
    {"b", NULL, NULL, offsetof(rename_cities_args, b), SM_NONE, SM_NONE, SM_T_TEXT, 0, 0, 0, NULL,
     NULL, NULL},
    {"name", NULL, NULL, offsetof(rename_cities_args, name), SM_NONE, SM_NONE, SM_T_TEXT, 0, 0, 0,
     NULL, NULL, NULL},
};
static const sm_model rename_params = {
    "rename_cities", NULL, sizeof(rename_cities_args), NULL, rename_fields, 3, NULL, 0, 0, NULL,
    NULL, 0, NULL, 0, NULL, 0,
};
static const uint8_t args_ab[] = {0, 1};
static const uint8_t args_main[] = {2, 0, 1};
static const uint8_t args_keys[] = {SM_ARG_KEYS};
static const sm_qstmt rename_pre = {
    {{NULL, NULL, "SELECT code FROM city WHERE code = ? OR code = ? FOR UPDATE"}},
    {NULL, NULL, args_ab}, {0, 0, 2}};
static const sm_qstmt rename_post = {
    {{NULL, NULL, "SELECT code, name FROM city WHERE code IN (\001) ORDER BY code"}},
    {NULL, NULL, args_keys}, {0, 0, 1}};
static const sm_variant rename_v[] = {
    {{{{"UPDATE city SET name = ? WHERE code = ? OR code = ? RETURNING code, name",
        "UPDATE city SET name = ? WHERE code = ? OR code = ? RETURNING code, name",
        "UPDATE city SET name = ? WHERE code = ? OR code = ?"}},
      {args_main, args_main, args_main}, {3, 3, 3}},
     &rename_pre, &rename_post},
};
const sm_query_desc rename_cities_q = {
    "rename_cities", &rename_params, rename_v, 1, SM_RET_LIST, 0, &city_model, 0, NULL, 0,
};
