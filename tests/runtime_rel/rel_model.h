/*
 * rel_model.h: hand-written descriptors, as smc generates them, for the
 * relationship operations (sm_rel_*, sm_model_get_many, restricted
 * deletes, eager loads):
 *
 *   table Team @table("teams") { id: int @pk; name: text;
 *       heroes: [Hero] @rel(Hero.team_id); members: [Hero] @rel(link: HeroTeamLink);
 *       (doomed: heroes again through a statement the database refuses) }
 *   table Hero { id: int @pk; name: text;
 *       team_id: int? @fk(Team.id); mentor_id: int? @fk(Hero.id);
 *       team: Team? @rel(team_id); mentor: Hero? @rel(mentor_id);
 *       pupils: [Hero] @rel(Hero.mentor_id); teams: [Team] @rel(link: HeroTeamLink);
 *       badge: Badge? @rel(Badge.hero_id); links: [HeroTeamLink] @rel(HeroTeamLink.hero_id);
 *       ghost: Team? (a relationship whose statement is broken: errors midway) }
 *   table HeroTeamLink { hero_id: int @pk @fk(Hero.id); team_id: int @pk @fk(Team.id);
 *       is_training: bool = false; hero: Hero? @rel(hero_id); team: Team? @rel(team_id); }
 *   table Badge { id: int @pk; label: text; hero_id: int @unique @fk(Hero.id);
 *       hero: Hero? @rel(hero_id); }
 *   table City { code: text @pk; name: text; people: [Person] @rel(Person.city_code); }
 *   table Person { id: int @pk; name: text; city_code: text? @fk(City.code);
 *       city: City? @rel(city_code); }
 *
 * Every FK restricts deletes (the default action).
 */
#ifndef REL_MODEL_H
#define REL_MODEL_H

#include <smdl/smdl.h>

typedef struct Team Team;
typedef struct Hero Hero;
typedef struct HeroTeamLink HeroTeamLink;
typedef struct Badge Badge;
typedef struct City City;
typedef struct Person Person;

typedef struct Team_list { Team *items; size_t len; } Team_list;
typedef struct Hero_list { Hero *items; size_t len; } Hero_list;
typedef struct HeroTeamLink_list { HeroTeamLink *items; size_t len; } HeroTeamLink_list;
typedef struct Person_list { Person *items; size_t len; } Person_list;
typedef struct City_list { City *items; size_t len; } City_list;

struct Team {
    int64_t id;
    const char *name;
    Hero_list heroes;
    Hero_list members;
};

struct Hero {
    int64_t id;
    const char *name;
    int64_t team_id;
    bool has_team_id;
    int64_t mentor_id;
    bool has_mentor_id;
    Team *team;
    bool team_loaded;
    Hero *mentor;
    bool mentor_loaded;
    Hero_list pupils;
    Team_list teams;
    Badge *badge;
    bool badge_loaded;
    HeroTeamLink_list links;
    Team *ghost;
    bool ghost_loaded;
};

struct HeroTeamLink {
    int64_t hero_id;
    int64_t team_id;
    bool is_training;
    Hero *hero;
    bool hero_loaded;
    Team *team;
    bool team_loaded;
};

struct Badge {
    int64_t id;
    const char *label;
    int64_t hero_id;
    Hero *hero;
    bool hero_loaded;
};

struct City {
    const char *code;
    const char *name;
    Person_list people;
};

struct Person {
    int64_t id;
    const char *name;
    const char *city_code;
    City *city;
    bool city_loaded;
};

extern const sm_rel team_rels[], hero_rels[], link_rels[];
extern const sm_model team_model, hero_model, link_model, badge_model, city_model, person_model;

/* Indices into each model's rels. */
enum { TEAM_HEROES, TEAM_MEMBERS, TEAM_DOOMED };
enum { HERO_TEAM, HERO_MENTOR, HERO_PUPILS, HERO_TEAMS, HERO_BADGE, HERO_LINKS, HERO_GHOST };
enum { LINK_HERO, LINK_TEAM };

/* The tables, on the connection's dialect. */
int rel_create(sm_cx *cx, sm_conn *conn);

#endif
