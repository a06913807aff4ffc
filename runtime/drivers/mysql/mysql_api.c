/*
 * mysql_api.c: loads libmariadb into sm_my_api (mysql_api.h) the first time a
 * MariaDB/MySQL connection opens.
 */
#define SM_MY_API_FILL
#include "mysql_api.h"

#include "drivers/client_api.h"
#include "drivers/client_sonames.h"

sm_my_fns sm_my_api;

static sm_client_lib lib = {
    .what = "libmariadb",
    .env = "SMDL_LIBMARIADB",
    .soname = SM_LIBMARIADB_SONAME,
    .once = PTHREAD_ONCE_INIT,
};

static void load(void)
{
    void *h = sm_client_open(&lib);
    if (!h)
        return;
#define SM_MY_FILL(name) &&sm_client_sym(&lib, h, #name, &sm_my_api.name)
    bool ok = true SM_MY_API(SM_MY_FILL); /* stops at the first name missing */
#undef SM_MY_FILL
    if (ok)
        lib.loaded = true;
    else
        sm_client_abandon(h);
}

int sm_my_load(sm_cx *cx)
{
    pthread_once(&lib.once, load);
    return sm_client_result(cx, &lib);
}
