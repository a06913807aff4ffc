#include "show.h"

#include <stdio.h>
#include <stdlib.h>

sm_conn *open_db(sm_cx *cx, int argc, char **argv)
{
    const char *url = argc > 1 ? argv[1] : "sqlite:database.db";
    /* Line by line, so the printed rows interleave with the echoed SQL. */
    setvbuf(stdout, NULL, _IOLBF, 0);
    sm_conn *conn;
    int rc = sm_open(cx, url, &conn);
    if (rc != SM_OK)
        fail(cx, "open", rc);
    return conn;
}

void fail(sm_cx *cx, const char *what, int rc)
{
    fprintf(stderr, "%s failed: %s: %s\n", what, sm_strerror(rc), sm_cx_errmsg(cx));
    exit(1);
}

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
    printf("id=%lld name='%s' secret_name='%s'", (long long)h->id, h->name, h->secret_name);
    put_optional("age", h->has_age, h->age);
    put_optional("team_id", h->has_team_id, h->team_id);
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

void print_heroes(const char *label, const Hero_list *heroes)
{
    if (heroes->len == 0) {
        printf("%s: []\n", label);
        return;
    }
    printf("%s: [\n", label);
    for (size_t i = 0; i < heroes->len; i++) {
        printf("    ");
        put_hero(&heroes->items[i]);
        printf("\n");
    }
    printf("]\n");
}

void print_hero_team(const char *label, const Hero *h, const Team *t)
{
    printf("%s: ", label);
    put_hero(h);
    printf(" Team: ");
    put_team(t);
    printf("\n");
}
