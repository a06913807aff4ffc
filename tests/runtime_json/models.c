/*
 * models.c: the descriptors of models.h, written the way smc emits them.
 */
#include "models.h"

#include <stddef.h>

static const char *const power_members[] = {"flight", "strength", "speed"};
const sm_enum power_enum = {"Power", power_members, 3};

static const char *const colour_members[] = {"red",    "orange", "yellow", "green", "blue",
                                             "indigo", "violet", "black",  "white"};
const sm_enum colour_enum = {"Colour", colour_members, 9};

/* ---- Hero, Team ------------------------------------------------------------ */

static const sm_check hero_age_check = {-1, -1, SM_B_GE, 0, 0, 0, 0, NULL, NULL};

static const sm_field team_fields[] = {
    {"id", "id", "id", offsetof(Team, id), SM_NONE, SM_NONE, SM_T_INT,
     SM_F_PK | SM_F_AUTO | SM_F_COLUMN, 0, 0, NULL, NULL, NULL},
    {"name", "name", "name", offsetof(Team, name), SM_NONE, SM_NONE, SM_T_TEXT, SM_F_COLUMN, 0, 0,
     NULL, NULL, NULL},
};
static const uint16_t team_key[] = {0};
static const Team team_init = {0, NULL};
const sm_model team_model = {"Team", "team", sizeof(Team), &team_init, team_fields, 2,
                             team_key, 1, SM_M_TABLE, NULL, NULL, 0, NULL, 0, NULL, 0};

static const sm_field hero_fields[] = {
    {"id", "id", "id", offsetof(Hero, id), SM_NONE, SM_NONE, SM_T_INT,
     SM_F_PK | SM_F_AUTO | SM_F_COLUMN, 0, 0, NULL, NULL, NULL},
    {"name", "name", "name", offsetof(Hero, name), SM_NONE, SM_NONE, SM_T_TEXT, SM_F_COLUMN, 0, 0,
     NULL, NULL, NULL},
    {"secret_name", "secret_name", "secret_name", offsetof(Hero, secret_name), SM_NONE, SM_NONE,
     SM_T_TEXT, SM_F_COLUMN, 0, 0, NULL, NULL, NULL},
    {"age", "age", "age", offsetof(Hero, age), offsetof(Hero, has_age), SM_NONE, SM_T_INT,
     SM_F_NULLABLE | SM_F_COLUMN, 0, 0, &hero_age_check, NULL, NULL},
    {"team_id", "team_id", "team_id", offsetof(Hero, team_id), offsetof(Hero, has_team_id),
     SM_NONE, SM_T_INT, SM_F_NULLABLE | SM_F_COLUMN, 0, 0, NULL, NULL, NULL},
    {"team", NULL, "team", offsetof(Hero, team), SM_NONE, SM_NONE, SM_T_REL_ONE, SM_F_NULLABLE, 0,
     0, NULL, NULL, &team_model},
};
static const uint16_t hero_key[] = {0};
static const Hero hero_init = {0, NULL, NULL, 0, false, 0, false, NULL};
const sm_model hero_model = {"Hero", "hero", sizeof(Hero), &hero_init, hero_fields, 6,
                             hero_key, 1, SM_M_TABLE, NULL, NULL, 0, NULL, 0, NULL, 0};

/* ---- AllTypes, Nullables ------------------------------------------------------- */

#define F(S, n, key, type, flags) \
    {#n, NULL, key, offsetof(S, n), SM_NONE, SM_NONE, type, flags, 0, 0, NULL, NULL, NULL}

static const sm_field all_types_fields[] = {
    F(AllTypes, b, "b", SM_T_BOOL, 0),
    F(AllTypes, i, "i", SM_T_INT, 0),
    F(AllTypes, i32, "i32", SM_T_I32, 0),
    F(AllTypes, i16, "i16", SM_T_I16, 0),
    F(AllTypes, f, "f", SM_T_FLOAT, 0),
    {"d", NULL, "d", offsetof(AllTypes, d), SM_NONE, SM_NONE, SM_T_DECIMAL, 0, 18, 2, NULL, NULL,
     NULL},
    F(AllTypes, t, "t", SM_T_TEXT, 0),
    F(AllTypes, by, "by", SM_T_BYTES, 0),
    F(AllTypes, day, "day", SM_T_DATE, 0),
    F(AllTypes, tm, "tm", SM_T_TIME, 0),
    F(AllTypes, stamp, "when", SM_T_DATETIME, 0),
    F(AllTypes, u, "u", SM_T_UUID, 0),
    F(AllTypes, j, "j", SM_T_JSON, 0),
    {"e", NULL, "e", offsetof(AllTypes, e), SM_NONE, SM_NONE, SM_T_ENUM, 0, 0, 0, NULL,
     &power_enum, NULL},
    {"c", NULL, "c", offsetof(AllTypes, c), SM_NONE, SM_NONE, SM_T_ENUM, 0, 0, 0, NULL,
     &colour_enum, NULL},
    F(AllTypes, note, NULL, SM_T_TEXT, SM_F_NULLABLE),
};
static const AllTypes all_types_init = {0};
const sm_model all_types_model = {"AllTypes", NULL, sizeof(AllTypes), &all_types_init,
                                  all_types_fields, 16, NULL, 0, 0, NULL, NULL, 0, NULL, 0, NULL, 0};

#define N(n, type)                                                                          \
    {#n, NULL, #n, offsetof(Nullables, n), offsetof(Nullables, has_##n), SM_NONE, type, \
     SM_F_NULLABLE, 0, 0, NULL, NULL, NULL}

static const sm_field nullables_fields[] = {
    N(b, SM_T_BOOL),
    N(i, SM_T_INT),
    N(i32, SM_T_I32),
    N(i16, SM_T_I16),
    N(f, SM_T_FLOAT),
    {"d", NULL, "d", offsetof(Nullables, d), offsetof(Nullables, has_d), SM_NONE, SM_T_DECIMAL,
     SM_F_NULLABLE, 10, 3, NULL, NULL, NULL},
    F(Nullables, t, "t", SM_T_TEXT, SM_F_NULLABLE),
    F(Nullables, by, "by", SM_T_BYTES, SM_F_NULLABLE),
    N(day, SM_T_DATE),
    N(tm, SM_T_TIME),
    N(stamp, SM_T_DATETIME),
    N(u, SM_T_UUID),
    F(Nullables, j, "j", SM_T_JSON, SM_F_NULLABLE),
    {"e", NULL, "e", offsetof(Nullables, e), offsetof(Nullables, has_e), SM_NONE, SM_T_ENUM,
     SM_F_NULLABLE, 0, 0, NULL, &power_enum, NULL},
};
static const Nullables nullables_init = {0};
const sm_model nullables_model = {"Nullables", NULL, sizeof(Nullables), &nullables_init,
                                  nullables_fields, 14, NULL, 0, 0, NULL, NULL, 0, NULL, 0, NULL, 0};

/* ---- Settings: defaults ------------------------------------------------------------ */

static const sm_field settings_fields[] = {
    F(Settings, id, "id", SM_T_INT, SM_F_PK | SM_F_AUTO | SM_F_COLUMN),
    {"power", "power", "power", offsetof(Settings, power), SM_NONE, SM_NONE, SM_T_ENUM,
     SM_F_DEFAULT | SM_F_COLUMN, 0, 0, NULL, &power_enum, NULL},
    F(Settings, retries, "retries", SM_T_INT, SM_F_DEFAULT | SM_F_COLUMN),
    F(Settings, label, "label", SM_T_TEXT, SM_F_NULLABLE | SM_F_DEFAULT | SM_F_COLUMN),
    F(Settings, created, "created", SM_T_DATETIME, SM_F_NOW | SM_F_COLUMN),
    F(Settings, token, "token", SM_T_UUID, SM_F_GEN_UUID | SM_F_COLUMN),
    F(Settings, name, "name", SM_T_TEXT, SM_F_COLUMN),
    F(Settings, note, "note", SM_T_TEXT, SM_F_NULLABLE | SM_F_COLUMN),
};
static const uint16_t settings_key[] = {0};
static const Settings settings_init = {0, POWER_SPEED, 3, "none", 0, {{0}}, NULL, NULL};
const sm_model settings_model = {"Settings", "settings", sizeof(Settings), &settings_init,
                                 settings_fields, 8, settings_key, 1, SM_M_TABLE, NULL, NULL,
                                 0, NULL, 0, NULL, 0};

/* ---- HeroUpdate: a partial ------------------------------------------------------- */

static const sm_field hero_update_fields[] = {
    {"name", NULL, "name", offsetof(HeroUpdate, name), offsetof(HeroUpdate, has_name), SM_NONE,
     SM_T_TEXT, 0, 0, 0, NULL, NULL, NULL},
    {"secret_name", NULL, "secret_name", offsetof(HeroUpdate, secret_name),
     offsetof(HeroUpdate, has_secret_name), SM_NONE, SM_T_TEXT, 0, 0, 0, NULL, NULL, NULL},
    {"age", NULL, "age", offsetof(HeroUpdate, age), offsetof(HeroUpdate, has_age),
     offsetof(HeroUpdate, age_null), SM_T_INT, SM_F_NULLABLE, 0, 0, &hero_age_check, NULL,
     NULL},
    {"power", NULL, "power", offsetof(HeroUpdate, power), offsetof(HeroUpdate, has_power),
     SM_NONE, SM_T_ENUM, SM_F_DEFAULT, 0, 0, NULL, &power_enum, NULL},
    {"avatar", NULL, "avatar", offsetof(HeroUpdate, avatar), offsetof(HeroUpdate, has_avatar),
     offsetof(HeroUpdate, avatar_null), SM_T_BYTES, SM_F_NULLABLE, 0, 0, NULL, NULL, NULL},
};
static const HeroUpdate hero_update_init = {0};
const sm_model hero_update_model = {"HeroUpdate", NULL, sizeof(HeroUpdate), &hero_update_init,
                                    hero_update_fields, 5, NULL, 0, SM_M_PARTIAL, NULL, NULL,
                                    0, NULL, 0, NULL, 0};

/* ---- Org, Address, Member: nesting ---------------------------------------------------- */

static const sm_field address_fields[] = {
    F(Address, city, "city", SM_T_TEXT, 0),
    F(Address, zip, "zip", SM_T_TEXT, SM_F_NULLABLE),
};
static const Address address_init = {NULL, NULL};
const sm_model address_model = {"Address", NULL, sizeof(Address), &address_init,
                                 address_fields, 2, NULL, 0, 0, NULL, NULL, 0, NULL, 0, NULL, 0};

static const sm_field member_fields[] = {
    F(Member, name, "name", SM_T_TEXT, 0),
    {"age", NULL, "age", offsetof(Member, age), offsetof(Member, has_age), SM_NONE, SM_T_INT,
     SM_F_NULLABLE, 0, 0, &hero_age_check, NULL, NULL},
};
static const Member member_init = {NULL, 0, false};
const sm_model member_model = {"Member", NULL, sizeof(Member), &member_init, member_fields, 2,
                               NULL, 0, 0, NULL, NULL, 0, NULL, 0, NULL, 0};

static const sm_field org_fields[] = {
    F(Org, name, "name", SM_T_TEXT, 0),
    {"address", NULL, "address", offsetof(Org, address), SM_NONE, SM_NONE, SM_T_MODEL, 0, 0, 0,
     NULL, NULL, &address_model},
    {"hq", NULL, "hq", offsetof(Org, hq), offsetof(Org, has_hq), SM_NONE, SM_T_MODEL,
     SM_F_NULLABLE, 0, 0, NULL, NULL, &address_model},
    {"members", NULL, "members", offsetof(Org, members), SM_NONE, SM_NONE, SM_T_LIST, 0, 0, 0,
     NULL, NULL, &member_model},
};
static const Org org_init = {NULL, {NULL, NULL}, {NULL, NULL}, false, {NULL, 0}};
const sm_model org_model = {"Org", NULL, sizeof(Org), &org_init, org_fields, 4, NULL, 0, 0,
                            NULL, NULL, 0, NULL, 0, NULL, 0};

/* ---- Node: recursion through a list ---------------------------------------------------- */

static const sm_field node_fields[] = {
    F(Node, name, "name", SM_T_TEXT, 0),
    {"kids", NULL, "kids", offsetof(Node, kids), SM_NONE, SM_NONE, SM_T_LIST, SM_F_DEFAULT, 0,
     0, NULL, NULL, &node_model},
};
static const Node node_init = {NULL, {NULL, 0}};
const sm_model node_model = {"Node", NULL, sizeof(Node), &node_init, node_fields, 2, NULL, 0,
                             0, NULL, NULL, 0, NULL, 0, NULL, 0};

/* ---- Strict: forbid_unknown ------------------------------------------------------------- */

static const sm_field strict_fields[] = {
    F(Strict, a, "a", SM_T_INT, 0),
    {"inner", NULL, "inner", offsetof(Strict, inner), offsetof(Strict, has_inner), SM_NONE,
     SM_T_MODEL, SM_F_NULLABLE, 0, 0, NULL, NULL, &address_model},
};
static const Strict strict_init = {0, {NULL, NULL}, false};
const sm_model strict_model = {"Strict", NULL, sizeof(Strict), &strict_init, strict_fields, 2,
                               NULL, 0, SM_M_FORBID_UNKNOWN, NULL, NULL, 0, NULL, 0, NULL, 0};

/* ---- Wide: 70 fields ---------------------------------------------------------------------- */

#define W(k)                                                                                  \
    {"f" #k, NULL, "f" #k, offsetof(Wide, v) + (k) * sizeof(int64_t), SM_NONE, SM_NONE, \
     SM_T_INT, 0, 0, 0, NULL, NULL, NULL}
#define W10(t) W(t##0), W(t##1), W(t##2), W(t##3), W(t##4), W(t##5), W(t##6), W(t##7), W(t##8), W(t##9)

static const sm_field wide_fields[WIDE_N] = {
    W(0), W(1), W(2), W(3), W(4), W(5), W(6), W(7), W(8), W(9),
    W10(1), W10(2), W10(3), W10(4), W10(5), W10(6),
};
static const Wide wide_init = {{0}};
const sm_model wide_model = {"Wide", NULL, sizeof(Wide), &wide_init, wide_fields, WIDE_N,
                             NULL, 0, 0, NULL, NULL, 0, NULL, 0, NULL, 0};
