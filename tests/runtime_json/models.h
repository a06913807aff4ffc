/*
 * models.h: hand-written model descriptors for the JSON tests, laid out
 * exactly as smc's generated code lays them out (a struct, a static field
 * table, an init instance, an sm_model).  Shared by the test programs of
 * this directory.
 */
#ifndef SMDL_TEST_JSON_MODELS_H
#define SMDL_TEST_JSON_MODELS_H

#include <smdl/smdl.h>

typedef enum Power { POWER_FLIGHT, POWER_STRENGTH, POWER_SPEED } Power;

/* enum Colour with nine members: errors do not list them. */
typedef enum Colour {
    COLOUR_RED, COLOUR_ORANGE, COLOUR_YELLOW, COLOUR_GREEN, COLOUR_BLUE,
    COLOUR_INDIGO, COLOUR_VIOLET, COLOUR_BLACK, COLOUR_WHITE
} Colour;

typedef struct Team Team;

/* table Hero { id: int @pk @auto; name: text; secret_name: text;
 *   age: int? @ge(0); team_id: int?; team: Team? @rel(team_id); } */
typedef struct Hero {
    int64_t id;
    const char *name;
    const char *secret_name;
    int64_t age;
    bool has_age;
    int64_t team_id;
    bool has_team_id;
    Team *team;
} Hero;

/* table Team { id: int @pk @auto; name: text; } */
struct Team {
    int64_t id;
    const char *name;
};

/* model AllTypes: one non-nullable field of every type; `note` is
 * @json(skip), `stamp` is @json("when"). */
typedef struct AllTypes {
    bool b;
    int64_t i;
    int32_t i32;
    int16_t i16;
    double f;
    sm_decimal d; /* decimal(18,2) */
    const char *t;
    sm_bytes by;
    sm_date day;
    sm_time tm;
    sm_datetime stamp;
    sm_uuid u;
    const char *j;
    Power e;
    Colour c;
    const char *note;
} AllTypes;

/* model Nullables: every type nullable. */
typedef struct Nullables {
    bool b;
    bool has_b;
    int64_t i;
    bool has_i;
    int32_t i32;
    bool has_i32;
    int16_t i16;
    bool has_i16;
    double f;
    bool has_f;
    sm_decimal d;
    bool has_d;
    const char *t;
    sm_bytes by;
    sm_date day;
    bool has_day;
    sm_time tm;
    bool has_tm;
    sm_datetime stamp;
    bool has_stamp;
    sm_uuid u;
    bool has_u;
    const char *j;
    Power e;
    bool has_e;
} Nullables;

/* table Settings { id: int @pk @auto; power: Power = speed; retries: int = 3;
 *   label: text? = "none"; created: datetime = now(); token: uuid = uuid();
 *   name: text; note: text?; } */
typedef struct Settings {
    int64_t id;
    Power power;
    int64_t retries;
    const char *label;
    sm_datetime created;
    sm_uuid token;
    const char *name;
    const char *note;
} Settings;

/* model HeroUpdate = partial HeroBase { name: text; secret_name: text;
 *   age: int?; power: Power = flight; avatar: bytes?; } */
typedef struct HeroUpdate {
    const char *name;
    bool has_name;
    const char *secret_name;
    bool has_secret_name;
    int64_t age;
    bool has_age;
    bool age_null;
    Power power;
    bool has_power;
    sm_bytes avatar;
    bool has_avatar;
    bool avatar_null;
} HeroUpdate;

/* model Address { city: text; zip: text?; }
 * model Member { name: text; age: int?; }
 * model Org { name: text; address: Address; hq: Address?; members: [Member]; } */
typedef struct Address {
    const char *city;
    const char *zip;
} Address;
typedef struct Member {
    const char *name;
    int64_t age;
    bool has_age;
} Member;
typedef struct Member_list {
    struct Member *items;
    size_t len;
} Member_list;
typedef struct Org {
    const char *name;
    Address address;
    Address hq;
    bool has_hq;
    Member_list members;
} Org;

/* model Node { name: text; kids: [Node] = []; } */
typedef struct Node Node;
typedef struct Node_list {
    struct Node *items;
    size_t len;
} Node_list;
struct Node {
    const char *name;
    Node_list kids;
};

/* model Strict @json(forbid_unknown) { a: int; inner: Address?; } */
typedef struct Strict {
    int64_t a;
    Address inner;
    bool has_inner;
} Strict;

/* model Wide { f0: int; ... f69: int; }: more fields than one 64-bit word. */
#define WIDE_N 70
typedef struct Wide {
    int64_t v[WIDE_N];
} Wide;

extern const sm_enum power_enum;
extern const sm_enum colour_enum;
extern const sm_model hero_model, team_model, all_types_model, nullables_model,
    settings_model, hero_update_model, address_model, member_model, org_model,
    node_model, strict_model, wide_model;

#endif
