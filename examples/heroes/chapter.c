#include "chapter.h"

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

void print_constraint(sm_cx *cx, const char *label, int rc)
{
    if (rc != SM_CONSTRAINT)
        fail(cx, label, rc == SM_OK ? SM_ERROR : rc);
    const sm_constraint *c = sm_cx_constraint(cx);
    printf("%s: %s: %s on table %s (%s)\n", label, sm_strerror(rc), c->name ? c->name : "?",
           c->table ? c->table : "?", c->columns ? c->columns : "?");
}
