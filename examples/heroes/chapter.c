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
