/* show.h: printing rows the way SQLModel prints objects, for any of the
 * chapters' schemas: SCHEMA names its generated header (heroes.h when
 * not defined).  Their Hero and Team have the tutorial's columns; a Hero
 * has a team_id unless HERO_WITHOUT_TEAM_ID is defined (many_to_many.smdl,
 * whose HeroTeamLink rows print_links shows). */
#ifndef HEROES_SHOW_H
#define HEROES_SHOW_H

#include "chapter.h"

#ifndef SCHEMA
#define SCHEMA "heroes.h"
#endif
#include SCHEMA

/* "label: id=1 name='Deadpond' ..." on one line; a NULL hero prints None,
 * as Python prints a missing object. */
void print_hero(const char *label, const Hero *h);
void print_team(const char *label, const Team *t);
/* A list the way print(heroes) shows one: in brackets, a row a line. */
void print_heroes(const char *label, const Hero_list *heroes);
void print_teams(const char *label, const Team_list *teams);
/* A hero and its team on one line, as the tutorial prints the pairs of
 * select(Hero, Team); a NULL team prints None. */
void print_hero_team(const char *label, const Hero *h, const Team *t);
#ifdef HERO_TEAM_LINK_INIT
/* Link rows: "team_id=1 hero_id=2 is_training=True". */
void print_links(const char *label, const HeroTeamLink_list *links);
/* "label: <hero or team> is training: True", as the tutorial prints a
 * link's hero or team with the link's own column. */
void print_hero_training(const char *label, const Hero *h, bool is_training);
void print_team_training(const char *label, const Team *t, bool is_training);
#endif

#endif
