/* Start-up of a program over libsmdl: open the URL given, run one
 * statement, close, exit.  The counterpart of c/trivial_*.c; built twice,
 * against libsmdl.a and against libsmdl.so. */
#include <smdl/smdl.h>

#include <stdio.h>

int main(int argc, char **argv)
{
    sm_cx cx;
    sm_cx_init(&cx);
    sm_conn *conn = NULL;
    int rc = sm_open(&cx, argc > 1 ? argv[1] : "sqlite::memory:", &conn);
    if (rc == SM_OK)
        rc = sm_exec(&cx, conn, "SELECT 1", NULL, 0, NULL);
    if (rc != SM_OK)
        fprintf(stderr, "trivial_smc: %s\n", sm_cx_errmsg(&cx));
    sm_close(conn);
    sm_cx_free(&cx);
    return rc == SM_OK ? 0 : 1;
}
