#include "show.h"

#include <stdio.h>
#include <stdlib.h>

/* An int? column: its value, or None when it is NULL. */
static void put_optional(const char *name, bool has, int64_t value)
{
    if (has)
        printf(" %s=%lld", name, (long long)value);
    else
        printf(" %s=None", name);
}

/* The fields of a hero, after a label and before the end of the line. */
static void put_hero(const Hero *h)
{
    if (h == NULL) {
        printf("None");
        return;
    }
    /* An @auto key is 0 until the insert: SQLModel's id=None. */
    if (h->id == 0)
        printf("id=None");
    else
        printf("id=%lld", (long long)h->id);
    printf(" name='%s' secret_name='%s'", h->name, h->secret_name);
    put_optional("age", h->has_age, h->age);
#ifndef HERO_WITHOUT_TEAM_ID
    put_optional("team_id", h->has_team_id, h->team_id);
#endif
}

static void put_team(const Team *t)
{
    if (t == NULL)
        printf("None");
    else
        printf("id=%lld name='%s' headquarters='%s'", (long long)t->id, t->name, t->headquarters);
}

void print_hero(const char *label, const Hero *h)
{
    printf("%s: ", label);
    put_hero(h);
    printf("\n");
}

void print_team(const char *label, const Team *t)
{
    printf("%s: ", label);
    put_team(t);
    printf("\n");
}

/* "label: [" a row a line "]", or "label: []". */
#define PRINT_LIST(label, list, put)                                                       \
    do {                                                                                   \
        if ((list)->len == 0) {                                                            \
            printf("%s: []\n", label);                                                     \
            break;                                                                         \
        }                                                                                  \
        printf("%s: [\n", label);                                                          \
        for (size_t i_ = 0; i_ < (list)->len; i_++) {                                      \
            printf("    ");                                                                \
            put(&(list)->items[i_]);                                                       \
            printf("\n");                                                                  \
        }                                                                                  \
        printf("]\n");                                                                     \
    } while (0)

void print_heroes(const char *label, const Hero_list *heroes)
{
    PRINT_LIST(label, heroes, put_hero);
}

void print_teams(const char *label, const Team_list *teams)
{
    PRINT_LIST(label, teams, put_team);
}

#ifdef HERO_TEAM_LINK_INIT
static void put_link(const HeroTeamLink *l)
{
    printf("team_id=%lld hero_id=%lld is_training=%s", (long long)l->team_id,
           (long long)l->hero_id, l->is_training ? "True" : "False");
}

void print_links(const char *label, const HeroTeamLink_list *links)
{
    PRINT_LIST(label, links, put_link);
}

void print_hero_training(const char *label, const Hero *h, bool is_training)
{
    printf("%s: ", label);
    put_hero(h);
    printf(" is training: %s\n", is_training ? "True" : "False");
}

void print_team_training(const char *label, const Team *t, bool is_training)
{
    printf("%s: ", label);
    put_team(t);
    printf(" is training: %s\n", is_training ? "True" : "False");
}
#endif

void print_hero_team(const char *label, const Hero *h, const Team *t)
{
    printf("%s: ", label);
    put_hero(h);
    printf(" Team: ");
    put_team(t);
    printf("\n");
}
