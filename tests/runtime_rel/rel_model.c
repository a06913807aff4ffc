/*
 * rel_model.c: the descriptors of rel_model.h, written as smc emits them
 * (static data, SQL per dialect: SQLite, PostgreSQL, MySQL; "?" in
 * every dialect, which the PostgreSQL driver numbers).
 */
#include "rel_model.h"

#include <stddef.h>

#define S3(x) {{x, x, x}}
#define COL(T, f, type, flags)                                                                     \
    {#f, #f, #f, offsetof(T, f), SM_NONE, SM_NONE, type, (flags) | SM_F_COLUMN, 0, 0, NULL, NULL,   \
     NULL}
#define OPT(T, f, type)                                                                            \
    {#f, #f, #f, offsetof(T, f), offsetof(T, has_##f), SM_NONE, type,                              \
     SM_F_NULLABLE | SM_F_COLUMN, 0, 0, NULL, NULL, NULL}
#define REL(T, f, type, target)                                                                    \
    {#f, NULL, NULL, offsetof(T, f), SM_NONE, SM_NONE, type, SM_F_NULLABLE, 0, 0, NULL, NULL,      \
     &target}

#define HERO_COLS "id, name, team_id, mentor_id"

/* ---- Team ------------------------------------------------------------------ */

static const sm_field team_fields[] = {
    COL(Team, id, SM_T_INT, SM_F_PK),
    COL(Team, name, SM_T_TEXT, 0),
    REL(Team, heroes, SM_T_REL_MANY, hero_model),
    REL(Team, members, SM_T_REL_MANY, hero_model),
};
static const uint16_t team_key[] = {0};
static const Team team_init = {0, NULL, {NULL, 0}, {NULL, 0}};
static const sm_table_sql team_sql = {
    .del = S3("DELETE FROM teams WHERE id = ?"),
    .many_prefix = S3("SELECT id, name FROM teams WHERE id IN ("),
    .many_tuple = S3("?"),
    .many_suffix = S3(")"),
};
const sm_rel team_rels[] = {
    {"heroes", 2, SM_REL_MANY, &hero_model, 0, 2, SM_NONE, NULL, 0, 0, 0,
     S3("SELECT " HERO_COLS " FROM hero WHERE team_id IN ("), S3(") ORDER BY team_id, id"),
     S3(NULL), S3(NULL)},
    {"members", 3, SM_REL_M2M, &hero_model, 0, 1, SM_NONE, &link_model, 1, 0, 0,
     S3("SELECT h.id, h.name, h.team_id, h.mentor_id, l.team_id FROM hero_team_link l "
        "JOIN hero h ON h.id = l.hero_id WHERE l.team_id IN ("),
     S3(") ORDER BY l.team_id, h.id"),
     {{"INSERT INTO hero_team_link (team_id, hero_id) VALUES (?, ?) "
       "ON CONFLICT (hero_id, team_id) DO NOTHING",
       "INSERT INTO hero_team_link (team_id, hero_id) VALUES (?, ?) "
       "ON CONFLICT (hero_id, team_id) DO NOTHING",
       "INSERT INTO hero_team_link (team_id, hero_id) VALUES (?, ?) "
       "ON DUPLICATE KEY UPDATE team_id = team_id"}},
     S3("DELETE FROM hero_team_link WHERE team_id = ? AND hero_id = ?")},
    /* heroes again, through a statement the database refuses as it runs
     * (an integer overflow on every dialect): a load that fails on the
     * server. */
    {"doomed", 2, SM_REL_MANY, &hero_model, 0, 2, SM_NONE, NULL, 0, 0, 0,
     S3("SELECT " HERO_COLS " FROM hero WHERE abs(-9223372036854775807 - 1) > 0 AND team_id IN ("),
     S3(") ORDER BY team_id, id"), S3(NULL), S3(NULL)},
};
static const sm_fkref team_refs[] = {
    {"fk_hero_team_id", "hero", "team_id",
     S3("SELECT 1 FROM hero WHERE team_id IN (SELECT id FROM teams WHERE id = ?) LIMIT 1")},
    {"fk_hero_team_link_team_id", "hero_team_link", "team_id",
     S3("SELECT 1 FROM hero_team_link WHERE team_id IN (SELECT id FROM teams WHERE id = ?) "
        "LIMIT 1")},
};
const sm_model team_model = {
    "Team", "teams", sizeof(Team), &team_init, team_fields, 4, team_key, 1, SM_M_TABLE,
    &team_sql, NULL, 0, team_rels, 3, team_refs, 2,
};

/* ---- Hero ------------------------------------------------------------------ */

static const sm_field hero_fields[] = {
    COL(Hero, id, SM_T_INT, SM_F_PK),
    COL(Hero, name, SM_T_TEXT, 0),
    OPT(Hero, team_id, SM_T_INT),
    OPT(Hero, mentor_id, SM_T_INT),
    REL(Hero, team, SM_T_REL_ONE, team_model),
    REL(Hero, mentor, SM_T_REL_ONE, hero_model),
    REL(Hero, pupils, SM_T_REL_MANY, hero_model),
    REL(Hero, teams, SM_T_REL_MANY, team_model),
    REL(Hero, badge, SM_T_REL_ONE, badge_model),
    REL(Hero, links, SM_T_REL_MANY, link_model),
    REL(Hero, ghost, SM_T_REL_ONE, team_model),
};
static const uint16_t hero_key[] = {0};
static const Hero hero_init = {0};
static const sm_table_sql hero_sql = {
    .del = S3("DELETE FROM hero WHERE id = ?"),
    .many_prefix = S3("SELECT " HERO_COLS " FROM hero WHERE id IN ("),
    .many_tuple = S3("?"),
    .many_suffix = S3(")"),
};
const sm_rel hero_rels[] = {
    {"team", 4, SM_REL_ONE, &team_model, 2, 0, offsetof(Hero, team_loaded), NULL, 0, 0, 0,
     S3("SELECT id, name FROM teams WHERE id IN ("), S3(") ORDER BY id"), S3(NULL), S3(NULL)},
    {"mentor", 5, SM_REL_ONE, &hero_model, 3, 0, offsetof(Hero, mentor_loaded), NULL, 0, 0, 0,
     S3("SELECT " HERO_COLS " FROM hero WHERE id IN ("), S3(") ORDER BY id"), S3(NULL),
     S3(NULL)},
    {"pupils", 6, SM_REL_MANY, &hero_model, 0, 3, SM_NONE, NULL, 0, 0, 0,
     S3("SELECT " HERO_COLS " FROM hero WHERE mentor_id IN ("), S3(") ORDER BY mentor_id, id"),
     S3(NULL), S3(NULL)},
    {"teams", 7, SM_REL_M2M, &team_model, 0, 0, SM_NONE, &link_model, 0, 1, 0,
     S3("SELECT t.id, t.name, l.hero_id FROM hero_team_link l JOIN teams t ON t.id = l.team_id "
        "WHERE l.hero_id IN ("),
     S3(") ORDER BY l.hero_id, t.id"),
     {{"INSERT INTO hero_team_link (hero_id, team_id) VALUES (?, ?) "
       "ON CONFLICT (hero_id, team_id) DO NOTHING",
       "INSERT INTO hero_team_link (hero_id, team_id) VALUES (?, ?) "
       "ON CONFLICT (hero_id, team_id) DO NOTHING",
       "INSERT INTO hero_team_link (hero_id, team_id) VALUES (?, ?) "
       "ON DUPLICATE KEY UPDATE hero_id = hero_id"}},
     S3("DELETE FROM hero_team_link WHERE hero_id = ? AND team_id = ?")},
    {"badge", 8, SM_REL_ONE, &badge_model, 0, 2, offsetof(Hero, badge_loaded), NULL, 0, 0, 0,
     S3("SELECT id, label, hero_id FROM badge WHERE hero_id IN ("), S3(") ORDER BY hero_id, id"),
     S3(NULL), S3(NULL)},
    {"links", 9, SM_REL_MANY, &link_model, 0, 0, SM_NONE, NULL, 0, 0, 0,
     S3("SELECT hero_id, team_id, is_training FROM hero_team_link WHERE hero_id IN ("),
     S3(") ORDER BY hero_id, team_id"), S3(NULL), S3(NULL)},
    /* Reads one column where Team has two: fails after the first row. */
    {"ghost", 10, SM_REL_ONE, &team_model, 2, 0, offsetof(Hero, ghost_loaded), NULL, 0, 0, 0,
     S3("SELECT id FROM teams WHERE id IN ("), S3(") ORDER BY id"), S3(NULL), S3(NULL)},
};
static const sm_fkref hero_refs[] = {
    {"fk_hero_mentor_id", "hero", "mentor_id",
     S3("SELECT 1 FROM hero WHERE mentor_id IN (SELECT id FROM hero WHERE id = ?) LIMIT 1")},
    {"fk_hero_team_link_hero_id", "hero_team_link", "hero_id",
     S3("SELECT 1 FROM hero_team_link WHERE hero_id IN (SELECT id FROM hero WHERE id = ?) "
        "LIMIT 1")},
    {"fk_badge_hero_id", "badge", "hero_id",
     S3("SELECT 1 FROM badge WHERE hero_id IN (SELECT id FROM hero WHERE id = ?) LIMIT 1")},
};
const sm_model hero_model = {
    "Hero", "hero", sizeof(Hero), &hero_init, hero_fields, 11, hero_key, 1, SM_M_TABLE,
    &hero_sql, NULL, 0, hero_rels, 7, hero_refs, 3,
};

/* ---- HeroTeamLink ------------------------------------------------------------ */

static const sm_field link_fields[] = {
    COL(HeroTeamLink, hero_id, SM_T_INT, SM_F_PK),
    COL(HeroTeamLink, team_id, SM_T_INT, SM_F_PK),
    COL(HeroTeamLink, is_training, SM_T_BOOL, SM_F_DEFAULT),
    REL(HeroTeamLink, hero, SM_T_REL_ONE, hero_model),
    REL(HeroTeamLink, team, SM_T_REL_ONE, team_model),
};
static const uint16_t link_key[] = {0, 1};
static const HeroTeamLink link_init = {0};
static const sm_table_sql link_sql = {
    .many_prefix = {{
        "SELECT hero_id, team_id, is_training FROM hero_team_link "
        "WHERE (hero_id, team_id) IN (VALUES ",
        "SELECT hero_id, team_id, is_training FROM hero_team_link WHERE (hero_id, team_id) IN (",
        "SELECT hero_id, team_id, is_training FROM hero_team_link WHERE (hero_id, team_id) IN ("}},
    .many_tuple = S3("(?, ?)"),
    .many_suffix = S3(")"),
};
const sm_rel link_rels[] = {
    {"hero", 3, SM_REL_ONE, &hero_model, 0, 0, offsetof(HeroTeamLink, hero_loaded), NULL, 0, 0,
     0, S3("SELECT " HERO_COLS " FROM hero WHERE id IN ("), S3(") ORDER BY id"), S3(NULL),
     S3(NULL)},
    {"team", 4, SM_REL_ONE, &team_model, 1, 0, offsetof(HeroTeamLink, team_loaded), NULL, 0, 0,
     0, S3("SELECT id, name FROM teams WHERE id IN ("), S3(") ORDER BY id"), S3(NULL), S3(NULL)},
};
const sm_model link_model = {
    "HeroTeamLink", "hero_team_link", sizeof(HeroTeamLink), &link_init, link_fields, 5, link_key,
    2, SM_M_TABLE, &link_sql, NULL, 0, link_rels, 2, NULL, 0,
};

/* ---- Badge --------------------------------------------------------------------- */

static const sm_field badge_fields[] = {
    COL(Badge, id, SM_T_INT, SM_F_PK),
    COL(Badge, label, SM_T_TEXT, 0),
    COL(Badge, hero_id, SM_T_INT, 0),
    REL(Badge, hero, SM_T_REL_ONE, hero_model),
};
static const uint16_t badge_key[] = {0};
static const Badge badge_init = {0};
static const sm_table_sql badge_sql = {.del = S3("DELETE FROM badge WHERE id = ?")};
static const sm_rel badge_rels[] = {
    {"hero", 3, SM_REL_ONE, &hero_model, 2, 0, offsetof(Badge, hero_loaded), NULL, 0, 0, 0,
     S3("SELECT " HERO_COLS " FROM hero WHERE id IN ("), S3(") ORDER BY id"), S3(NULL),
     S3(NULL)},
};
const sm_model badge_model = {
    "Badge", "badge", sizeof(Badge), &badge_init, badge_fields, 4, badge_key, 1, SM_M_TABLE,
    &badge_sql, NULL, 0, badge_rels, 1, NULL, 0,
};

/* ---- City and Person: text keys --------------------------------------------------- */

static const sm_field city_fields[] = {
    COL(City, code, SM_T_TEXT, SM_F_PK),
    COL(City, name, SM_T_TEXT, 0),
    REL(City, people, SM_T_REL_MANY, person_model),
};
static const uint16_t city_key[] = {0};
static const City city_init = {0};
static const sm_table_sql city_sql = {
    .del = S3("DELETE FROM city WHERE code = ?"),
    .many_prefix = S3("SELECT code, name FROM city WHERE code IN ("),
    .many_tuple = S3("?"),
    .many_suffix = S3(")"),
};
static const sm_rel city_rels[] = {
    {"people", 2, SM_REL_MANY, &person_model, 0, 2, SM_NONE, NULL, 0, 0, 0,
     S3("SELECT id, name, city_code FROM person WHERE city_code IN ("),
     S3(") ORDER BY city_code, id"), S3(NULL), S3(NULL)},
};
static const sm_fkref city_refs[] = {
    {"fk_person_city_code", "person", "city_code",
     S3("SELECT 1 FROM person WHERE city_code IN (SELECT code FROM city WHERE code = ?) LIMIT 1")},
};
const sm_model city_model = {
    "City", "city", sizeof(City), &city_init, city_fields, 3, city_key, 1, SM_M_TABLE, &city_sql,
    NULL, 0, city_rels, 1, city_refs, 1,
};

static const sm_field person_fields[] = {
    COL(Person, id, SM_T_INT, SM_F_PK),
    COL(Person, name, SM_T_TEXT, 0),
    {"city_code", "city_code", "city_code", offsetof(Person, city_code), SM_NONE, SM_NONE,
     SM_T_TEXT, SM_F_NULLABLE | SM_F_COLUMN, 0, 0, NULL, NULL, NULL},
    REL(Person, city, SM_T_REL_ONE, city_model),
};
static const uint16_t person_key[] = {0};
static const Person person_init = {0};
static const sm_table_sql person_sql = {.del = S3("DELETE FROM person WHERE id = ?")};
static const sm_rel person_rels[] = {
    {"city", 3, SM_REL_ONE, &city_model, 2, 0, offsetof(Person, city_loaded), NULL, 0, 0, 0,
     S3("SELECT code, name FROM city WHERE code IN ("), S3(") ORDER BY code"), S3(NULL),
     S3(NULL)},
};
const sm_model person_model = {
    "Person", "person", sizeof(Person), &person_init, person_fields, 4, person_key, 1,
    SM_M_TABLE, &person_sql, NULL, 0, person_rels, 1, NULL, 0,
};

/* ---- DDL ------------------------------------------------------------------------------ */

static const char ddl[] =
    "CREATE TABLE teams (id bigint PRIMARY KEY, name varchar(64) NOT NULL);\n"
    "CREATE TABLE hero (id bigint PRIMARY KEY, name varchar(64) NOT NULL, team_id bigint,"
    " mentor_id bigint,"
    " CONSTRAINT fk_hero_team_id FOREIGN KEY (team_id) REFERENCES teams (id),"
    " CONSTRAINT fk_hero_mentor_id FOREIGN KEY (mentor_id) REFERENCES hero (id));\n"
    "CREATE TABLE hero_team_link (hero_id bigint NOT NULL, team_id bigint NOT NULL,"
    " is_training boolean NOT NULL DEFAULT false, PRIMARY KEY (hero_id, team_id),"
    " CONSTRAINT fk_hero_team_link_hero_id FOREIGN KEY (hero_id) REFERENCES hero (id),"
    " CONSTRAINT fk_hero_team_link_team_id FOREIGN KEY (team_id) REFERENCES teams (id));\n"
    "CREATE TABLE badge (id bigint PRIMARY KEY, label varchar(64) NOT NULL,"
    " hero_id bigint NOT NULL UNIQUE,"
    " CONSTRAINT fk_badge_hero_id FOREIGN KEY (hero_id) REFERENCES hero (id));\n"
    "CREATE TABLE city (code varchar(16) PRIMARY KEY, name varchar(64) NOT NULL);\n"
    "CREATE TABLE person (id bigint PRIMARY KEY, name varchar(64) NOT NULL,"
    " city_code varchar(16),"
    " CONSTRAINT fk_person_city_code FOREIGN KEY (city_code) REFERENCES city (code));\n";

int rel_create(sm_cx *cx, sm_conn *conn)
{
    return sm_exec_script(cx, conn, ddl);
}
