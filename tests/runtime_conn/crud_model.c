/*
 * crud_model.c: the descriptors of crud_model.h, written as smc emits
 * them (static data, SQL per dialect: SQLite, PostgreSQL, MySQL).
 */
#include "crud_model.h"

#include <stddef.h>

static const char *const power_members[] = {"flight", "strength", "speed"};
static const sm_enum power_enum = {"Power", power_members, 3};

/* ---- Team ---------------------------------------------------------------- */

static const sm_check team_name_check = {-1, 100, 0, 0, 0, 0, 0, NULL, NULL};

static const sm_field team_fields[] = {
    {"id", "id", "id", offsetof(Team, id), SM_NONE, SM_NONE, SM_T_INT,
     SM_F_PK | SM_F_AUTO | SM_F_COLUMN, 0, 0, NULL, NULL, NULL},
    {"name", "name", "name", offsetof(Team, name), SM_NONE, SM_NONE, SM_T_TEXT, SM_F_COLUMN, 0,
     0, &team_name_check, NULL, NULL},
};
static const uint16_t team_key[] = {0};
static const Team team_init = {0, NULL};

static const sm_table_sql team_sql = {
    .insert = {{
        "INSERT INTO teams (id, name) VALUES (?, ?)",
        "INSERT INTO teams (id, name) VALUES ($1, $2)",
        "INSERT INTO teams (id, name) VALUES (?, ?)"}},
    .insert_auto = {{
        "INSERT INTO teams (name) VALUES (?)",
        "INSERT INTO teams (name) VALUES ($1) RETURNING id",
        "INSERT INTO teams (name) VALUES (?)"}},
    .get = {{
        "SELECT id, name FROM teams WHERE id = ?",
        "SELECT id, name FROM teams WHERE id = $1",
        "SELECT id, name FROM teams WHERE id = ?"}},
    .update = {{
        "UPDATE teams SET name = ? WHERE id = ?",
        "UPDATE teams SET name = $1 WHERE id = $2",
        "UPDATE teams SET name = ? WHERE id = ?"}},
    .del = {{
        "DELETE FROM teams WHERE id = ?",
        "DELETE FROM teams WHERE id = $1",
        "DELETE FROM teams WHERE id = ?"}},
    .rows_prefix = {{
        "INSERT INTO teams (id, name) VALUES ",
        "INSERT INTO teams (id, name) VALUES ",
        "INSERT INTO teams (id, name) VALUES "}},
    .rows_auto_prefix = {{
        "INSERT INTO teams (name) VALUES ",
        "INSERT INTO teams (name) VALUES ",
        "INSERT INTO teams (name) VALUES "}},
    .rows_auto_suffix = {{
        "",
        " RETURNING id",
        ""}},
};

const sm_model team_model = {
    "Team", "teams", sizeof(Team), &team_init, team_fields, 2, team_key, 1, SM_M_TABLE,
    &team_sql, NULL, 0, NULL, 0, NULL, 0,
};

/* ---- Hero ---------------------------------------------------------------- */

static const sm_check hero_name_check = {-1, 100, 0, 0, 0, 0, 0, NULL, NULL};
static const sm_check hero_age_check = {-1, -1, SM_B_GE | SM_B_LE, 0, 200, 0, 0, NULL, NULL};

#define COL SM_F_COLUMN
static const sm_field hero_fields[] = {
    {"id", "id", "id", offsetof(Hero, id), SM_NONE, SM_NONE, SM_T_INT,
     SM_F_PK | SM_F_AUTO | COL, 0, 0, NULL, NULL, NULL},
    {"name", "name", "name", offsetof(Hero, name), SM_NONE, SM_NONE, SM_T_TEXT, COL, 0, 0,
     &hero_name_check, NULL, NULL},
    {"secret_name", "secret_name", "secret_name", offsetof(Hero, secret_name), SM_NONE, SM_NONE,
     SM_T_TEXT, COL, 0, 0, NULL, NULL, NULL},
    {"age", "age", "age", offsetof(Hero, age), offsetof(Hero, has_age), SM_NONE, SM_T_I32,
     SM_F_NULLABLE | COL, 0, 0, &hero_age_check, NULL, NULL},
    {"power", "power", "power", offsetof(Hero, power), SM_NONE, SM_NONE, SM_T_ENUM,
     SM_F_DEFAULT | COL, 0, 0, NULL, &power_enum, NULL},
    {"team_id", "team_id", "team_id", offsetof(Hero, team_id), offsetof(Hero, has_team_id),
     SM_NONE, SM_T_INT, SM_F_NULLABLE | COL, 0, 0, NULL, NULL, NULL},
    {"score", "score", "score", offsetof(Hero, score), SM_NONE, SM_NONE, SM_T_DECIMAL,
     SM_F_DEFAULT | COL, 10, 2, NULL, NULL, NULL},
    {"born", "born", "born", offsetof(Hero, born), offsetof(Hero, has_born), SM_NONE, SM_T_DATE,
     SM_F_NULLABLE | COL, 0, 0, NULL, NULL, NULL},
    {"alarm", "alarm", "alarm", offsetof(Hero, alarm), offsetof(Hero, has_alarm), SM_NONE,
     SM_T_TIME, SM_F_NULLABLE | COL, 0, 0, NULL, NULL, NULL},
    {"created_at", "created_at", "created_at", offsetof(Hero, created_at), SM_NONE, SM_NONE,
     SM_T_DATETIME, SM_F_NOW | COL, 0, 0, NULL, NULL, NULL},
    {"updated_at", "updated_at", "updated_at", offsetof(Hero, updated_at), SM_NONE, SM_NONE,
     SM_T_DATETIME, SM_F_NOW | SM_F_UPDATED_AT | COL, 0, 0, NULL, NULL, NULL},
    {"token", "token", "token", offsetof(Hero, token), SM_NONE, SM_NONE, SM_T_UUID,
     SM_F_GEN_UUID | COL, 0, 0, NULL, NULL, NULL},
    {"active", "active", "active", offsetof(Hero, active), SM_NONE, SM_NONE, SM_T_BOOL,
     SM_F_DEFAULT | COL, 0, 0, NULL, NULL, NULL},
    {"ratio", "ratio", "ratio", offsetof(Hero, ratio), offsetof(Hero, has_ratio), SM_NONE,
     SM_T_FLOAT, SM_F_NULLABLE | COL, 0, 0, NULL, NULL, NULL},
    {"avatar", "avatar", "avatar", offsetof(Hero, avatar), SM_NONE, SM_NONE, SM_T_BYTES,
     SM_F_NULLABLE | COL, 0, 0, NULL, NULL, NULL},
    {"meta", "meta", "meta", offsetof(Hero, meta), SM_NONE, SM_NONE, SM_T_JSON,
     SM_F_NULLABLE | COL, 0, 0, NULL, NULL, NULL},
    {"lvl", "lvl", "lvl", offsetof(Hero, lvl), SM_NONE, SM_NONE, SM_T_I16, COL, 0, 0, NULL,
     NULL, NULL},
    {"team", NULL, NULL, offsetof(Hero, team), SM_NONE, SM_NONE, SM_T_REL_ONE, SM_F_NULLABLE, 0,
     0, NULL, NULL, &team_model},
};
#undef COL
static const uint16_t hero_key[] = {0};
static const sm_fk hero_fks[] = {{"fk_hero_team_id", "team_id"}};

const Hero hero_init = {
    .power = POWER_FLIGHT,
    .score = 0,
    .active = true,
};

static const sm_table_sql hero_sql = {
    .insert = {{
        "INSERT INTO hero (id, name, secret_name, age, power, team_id, score, born, "
        "alarm, created_at, updated_at, token, active, ratio, avatar, meta, "
        "lvl) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        "INSERT INTO hero (id, name, secret_name, age, power, team_id, score, born, "
        "alarm, created_at, updated_at, token, active, ratio, avatar, meta, "
        "lvl) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, "
        "$15, $16, $17)",
        "INSERT INTO hero (id, name, secret_name, age, power, team_id, score, born, "
        "alarm, created_at, updated_at, token, active, ratio, avatar, meta, "
        "lvl) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"}},
    .insert_auto = {{
        "INSERT INTO hero (name, secret_name, age, power, team_id, score, born, alarm, "
        "created_at, updated_at, token, active, ratio, avatar, meta, lvl) VALUES (?, "
        "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        "INSERT INTO hero (name, secret_name, age, power, team_id, score, born, alarm, "
        "created_at, updated_at, token, active, ratio, avatar, meta, lvl) VALUES ($1, "
        "$2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, "
        "$16) RETURNING id",
        "INSERT INTO hero (name, secret_name, age, power, team_id, score, born, alarm, "
        "created_at, updated_at, token, active, ratio, avatar, meta, lvl) VALUES (?, "
        "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"}},
    .get = {{
        "SELECT id, name, secret_name, age, power, team_id, score, born, alarm, "
        "created_at, updated_at, token, active, ratio, avatar, meta, "
        "lvl FROM hero WHERE id = ?",
        "SELECT id, name, secret_name, age, power, team_id, score, born, alarm, "
        "created_at, updated_at, token, active, ratio, avatar, meta, "
        "lvl FROM hero WHERE id = $1",
        "SELECT id, name, secret_name, age, power, team_id, score, born, alarm, "
        "created_at, updated_at, token, active, ratio, avatar, meta, "
        "lvl FROM hero WHERE id = ?"}},
    .update = {{
        "UPDATE hero SET name = ?, secret_name = ?, age = ?, power = ?, team_id = ?, "
        "score = ?, born = ?, alarm = ?, created_at = ?, updated_at = ?, token = ?, "
        "active = ?, ratio = ?, avatar = ?, meta = ?, lvl = ? WHERE id = ?",
        "UPDATE hero SET name = $1, secret_name = $2, age = $3, power = $4, "
        "team_id = $5, score = $6, born = $7, alarm = $8, created_at = $9, "
        "updated_at = $10, token = $11, active = $12, ratio = $13, avatar = $14, "
        "meta = $15, lvl = $16 WHERE id = $17",
        "UPDATE hero SET name = ?, secret_name = ?, age = ?, power = ?, team_id = ?, "
        "score = ?, born = ?, alarm = ?, created_at = ?, updated_at = ?, token = ?, "
        "active = ?, ratio = ?, avatar = ?, meta = ?, lvl = ? WHERE id = ?"}},
    .del = {{
        "DELETE FROM hero WHERE id = ?",
        "DELETE FROM hero WHERE id = $1",
        "DELETE FROM hero WHERE id = ?"}},
    .rows_prefix = {{
        "INSERT INTO hero (id, name, secret_name, age, power, team_id, score, born, "
        "alarm, created_at, updated_at, token, active, ratio, avatar, meta, "
        "lvl) VALUES ",
        "INSERT INTO hero (id, name, secret_name, age, power, team_id, score, born, "
        "alarm, created_at, updated_at, token, active, ratio, avatar, meta, "
        "lvl) VALUES ",
        "INSERT INTO hero (id, name, secret_name, age, power, team_id, score, born, "
        "alarm, created_at, updated_at, token, active, ratio, avatar, meta, "
        "lvl) VALUES "}},
    .rows_auto_prefix = {{
        "INSERT INTO hero (name, secret_name, age, power, team_id, score, born, alarm, "
        "created_at, updated_at, token, active, ratio, avatar, meta, lvl) VALUES ",
        "INSERT INTO hero (name, secret_name, age, power, team_id, score, born, alarm, "
        "created_at, updated_at, token, active, ratio, avatar, meta, lvl) VALUES ",
        "INSERT INTO hero (name, secret_name, age, power, team_id, score, born, alarm, "
        "created_at, updated_at, token, active, ratio, avatar, meta, lvl) VALUES "}},
    .rows_auto_suffix = {{
        "",
        " RETURNING id",
        ""}},
};

const sm_model hero_model = {
    "Hero", "hero", sizeof(Hero), &hero_init, hero_fields, 18, hero_key, 1, SM_M_TABLE,
    &hero_sql, hero_fks, 1, NULL, 0, NULL, 0,
};

/* ---- HeroUpdate = partial Hero ------------------------------------------- */

static const sm_field hero_update_fields[] = {
    {"name", NULL, "name", offsetof(HeroUpdate, name), offsetof(HeroUpdate, has_name), SM_NONE,
     SM_T_TEXT, 0, 0, 0, &hero_name_check, NULL, NULL},
    {"age", NULL, "age", offsetof(HeroUpdate, age), offsetof(HeroUpdate, has_age),
     offsetof(HeroUpdate, age_null), SM_T_I32, SM_F_NULLABLE, 0, 0, &hero_age_check, NULL, NULL},
    {"team_id", NULL, "team_id", offsetof(HeroUpdate, team_id), offsetof(HeroUpdate, has_team_id),
     offsetof(HeroUpdate, team_id_null), SM_T_INT, SM_F_NULLABLE, 0, 0, NULL, NULL, NULL},
    {"avatar", NULL, "avatar", offsetof(HeroUpdate, avatar), offsetof(HeroUpdate, has_avatar),
     SM_NONE, SM_T_BYTES, SM_F_NULLABLE, 0, 0, NULL, NULL, NULL},
};
static const HeroUpdate hero_update_init = {0};

const sm_model hero_update_model = {
    "HeroUpdate", NULL, sizeof(HeroUpdate), &hero_update_init, hero_update_fields, 4, NULL, 0,
    SM_M_PARTIAL, NULL, NULL, 0, NULL, 0, NULL, 0,
};

static const uint16_t hero_patch_columns[] = {1, 3, 5, 14};

/* The statement is assembled per set of fields from these fragments. */
static const sm_sql hero_patch_assign[] = {
    {{"name = ?", "name = ?", "name = ?"}},
    {{"age = ?", "age = ?", "age = ?"}},
    {{"team_id = ?", "team_id = ?", "team_id = ?"}},
    {{"avatar = ?", "avatar = ?", "avatar = ?"}},
};

const sm_patch_desc hero_patch_desc = {
    &hero_model, &hero_update_model, hero_patch_columns,
    {{"UPDATE hero SET ", "UPDATE hero SET ", "UPDATE hero SET "}},
    hero_patch_assign,
    {{"id = id", "id = id", "id = id"}},
    {{" WHERE id = ?", " WHERE id = ?", " WHERE id = ?"}},
};

/* ---- Module -------------------------------------------------------------- */

static const sm_model *const heroes_tables[] = {&team_model, &hero_model};

const sm_module heroes_module = {
    "heroes",
    heroes_tables,
    2,
    {{
        /* SQLite */
        "CREATE TABLE teams (\n"
        "  id INTEGER NOT NULL CONSTRAINT pk_teams PRIMARY KEY,\n"
        "  name TEXT NOT NULL,\n"
        "  CONSTRAINT uq_teams_name UNIQUE (name)\n"
        ");\n"
        "CREATE TABLE hero (\n"
        "  id INTEGER NOT NULL CONSTRAINT pk_hero PRIMARY KEY,\n"
        "  name TEXT NOT NULL,\n"
        "  secret_name TEXT NOT NULL,\n"
        "  age INTEGER,\n"
        "  power TEXT NOT NULL DEFAULT 'flight',\n"
        "  team_id INTEGER,\n"
        "  score INTEGER NOT NULL DEFAULT 0,\n"
        "  born TEXT,\n"
        "  alarm TEXT,\n"
        "  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),\n"
        "  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')),\n"
        "  token TEXT NOT NULL,\n"
        "  active INTEGER NOT NULL DEFAULT 1,\n"
        "  ratio REAL,\n"
        "  avatar BLOB,\n"
        "  meta TEXT CONSTRAINT ck_hero_meta CHECK (meta IS NULL OR json_valid(meta)),\n"
        "  lvl INTEGER NOT NULL,\n"
        "  CONSTRAINT ck_hero_power CHECK (power IN ('flight', 'strength', 'speed')),\n"
        "  CONSTRAINT ck_hero_1 CHECK (lvl >= 0),\n"
        "  CONSTRAINT fk_hero_team_id FOREIGN KEY (team_id) REFERENCES teams (id)"
        " ON DELETE SET NULL\n"
        ");\n"
        "CREATE INDEX ix_hero_name ON hero (name)",
        /* PostgreSQL */
        "CREATE TABLE teams (\n"
        "  id bigint GENERATED BY DEFAULT AS IDENTITY NOT NULL,\n"
        "  name varchar(100) NOT NULL,\n"
        "  CONSTRAINT pk_teams PRIMARY KEY (id),\n"
        "  CONSTRAINT uq_teams_name UNIQUE (name)\n"
        ");\n"
        "CREATE TABLE hero (\n"
        "  id bigint GENERATED BY DEFAULT AS IDENTITY NOT NULL,\n"
        "  name varchar(100) NOT NULL,\n"
        "  secret_name text NOT NULL,\n"
        "  age integer,\n"
        "  power varchar(8) NOT NULL DEFAULT 'flight',\n"
        "  team_id bigint,\n"
        "  score numeric(10,2) NOT NULL DEFAULT 0,\n"
        "  born date,\n"
        "  alarm time,\n"
        "  created_at timestamptz NOT NULL DEFAULT now(),\n"
        "  updated_at timestamptz NOT NULL DEFAULT now(),\n"
        "  token uuid NOT NULL,\n"
        "  active boolean NOT NULL DEFAULT true,\n"
        "  ratio double precision,\n"
        "  avatar bytea,\n"
        "  meta json,\n"
        "  lvl smallint NOT NULL,\n"
        "  CONSTRAINT pk_hero PRIMARY KEY (id),\n"
        "  CONSTRAINT ck_hero_power CHECK (power IN ('flight', 'strength', 'speed')),\n"
        "  CONSTRAINT ck_hero_1 CHECK (lvl >= 0),\n"
        "  CONSTRAINT fk_hero_team_id FOREIGN KEY (team_id) REFERENCES teams (id)"
        " ON DELETE SET NULL\n"
        ");\n"
        "CREATE INDEX ix_hero_name ON hero (name)",
        /* MySQL */
        "CREATE TABLE teams (\n"
        "  id BIGINT NOT NULL AUTO_INCREMENT,\n"
        "  name VARCHAR(100) NOT NULL,\n"
        "  CONSTRAINT pk_teams PRIMARY KEY (id),\n"
        "  CONSTRAINT uq_teams_name UNIQUE (name)\n"
        ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;\n"
        "CREATE TABLE hero (\n"
        "  id BIGINT NOT NULL AUTO_INCREMENT,\n"
        "  name VARCHAR(100) NOT NULL,\n"
        "  secret_name LONGTEXT NOT NULL,\n"
        "  age INT,\n"
        "  power VARCHAR(8) NOT NULL DEFAULT 'flight',\n"
        "  team_id BIGINT,\n"
        "  score DECIMAL(10,2) NOT NULL DEFAULT 0,\n"
        "  born DATE,\n"
        "  alarm TIME(6),\n"
        "  created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),\n"
        "  updated_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),\n"
        "  token CHAR(36) NOT NULL,\n"
        "  active BOOLEAN NOT NULL DEFAULT TRUE,\n"
        "  ratio DOUBLE,\n"
        "  avatar LONGBLOB,\n"
        "  meta LONGTEXT,\n"
        "  lvl SMALLINT NOT NULL,\n"
        "  CONSTRAINT pk_hero PRIMARY KEY (id),\n"
        "  CONSTRAINT ck_hero_meta CHECK (meta IS NULL OR JSON_VALID(meta)),\n"
        "  CONSTRAINT ck_hero_power CHECK (power IN ('flight', 'strength', 'speed')),\n"
        "  CONSTRAINT ck_hero_1 CHECK (lvl >= 0),\n"
        "  CONSTRAINT fk_hero_team_id FOREIGN KEY (team_id) REFERENCES teams (id)"
        " ON DELETE SET NULL\n"
        ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;\n"
        "CREATE INDEX ix_hero_name ON hero (name)",
    }},
    {{
        "DROP TABLE IF EXISTS hero;\nDROP TABLE IF EXISTS teams",
        "DROP TABLE IF EXISTS hero;\nDROP TABLE IF EXISTS teams",
        "DROP TABLE IF EXISTS hero;\nDROP TABLE IF EXISTS teams",
    }},
    NULL, 0,
};
