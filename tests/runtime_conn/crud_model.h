/*
 * crud_model.h: a hand-written descriptor set, as smc will generate it,
 * for the generic table operations:
 *
 *   enum Power { flight, strength, speed }
 *   table Team @table("teams") { id: int @pk @auto; name: text @unique @max_len(100); }
 *   table Hero {
 *       id: int @pk @auto;  name: text @index @max_len(100);  secret_name: text;
 *       age: i32? @ge(0) @le(200);  power: Power = flight;
 *       team_id: int? @fk(Team.id, on_delete: set_null);  score: decimal(10, 2) = 0;
 *       born: date?;  alarm: time?;  created_at: datetime = now();
 *       updated_at: datetime = now() @updated_at;  token: uuid = uuid();
 *       active: bool = true;  ratio: float?;  avatar: bytes?;  meta: json?;  lvl: i16;
 *       team: Team? @rel(team_id);
 *       check (lvl >= 0);
 *   }
 *   model HeroUpdate = partial Hero;   (here: name, age, team_id, avatar)
 */
#ifndef CRUD_MODEL_H
#define CRUD_MODEL_H

#include <smdl/smdl.h>

typedef enum Power { POWER_FLIGHT = 0, POWER_STRENGTH, POWER_SPEED } Power;

typedef struct Team {
    int64_t id;
    const char *name;
} Team;

typedef struct Hero {
    int64_t id;
    const char *name;
    const char *secret_name;
    int32_t age;
    bool has_age;
    Power power;
    int64_t team_id;
    bool has_team_id;
    sm_decimal score;
    sm_date born;
    bool has_born;
    sm_time alarm;
    bool has_alarm;
    sm_datetime created_at;
    sm_datetime updated_at;
    sm_uuid token;
    bool active;
    double ratio;
    bool has_ratio;
    sm_bytes avatar;
    const char *meta;
    int16_t lvl;
    Team *team;
} Hero;

typedef struct HeroUpdate {
    const char *name;
    bool has_name;
    int32_t age;
    bool has_age;
    bool age_null;
    int64_t team_id;
    bool has_team_id;
    bool team_id_null;
    sm_bytes avatar;
    bool has_avatar;
} HeroUpdate;

extern const sm_model team_model;
extern const sm_model hero_model;
extern const sm_model hero_update_model;
extern const sm_patch_desc hero_patch_desc;
extern const sm_module heroes_module;
extern const Hero hero_init;

#endif
