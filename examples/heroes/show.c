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

void print_hero(const char *label, const Hero *h)
{
    printf("%s: id=%lld name='%s' secret_name='%s' age=", label, (long long)h->id, h->name,
           h->secret_name);
    if (h->has_age)
        printf("%lld", (long long)h->age);
    else
        printf("None");
    printf(" team_id=");
    if (h->has_team_id)
        printf("%lld\n", (long long)h->team_id);
    else
        printf("None\n");
}

void print_team(const char *label, const Team *t)
{
    printf("%s: id=%lld name='%s' headquarters='%s'\n", label, (long long)t->id, t->name,
           t->headquarters);
}
