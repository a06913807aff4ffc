/*
 * sqlite_api.c: loads libsqlite3 into sm_sq_api (sqlite_api.h) the first time a
 * SQLite connection opens.
 */
#define SM_SQ_API_FILL
#include "sqlite_api.h"

#include "drivers/client_api.h"
#include "drivers/client_sonames.h"

sm_sq_fns sm_sq_api;

static sm_client_lib lib = {
    .what = "libsqlite3",
    .env = "SMDL_LIBSQLITE3",
    .soname = SM_LIBSQLITE3_SONAME,
    .once = PTHREAD_ONCE_INIT,
};

static void load(void)
{
    void *h = sm_client_open(&lib);
    if (!h)
        return;
#define SM_SQ_FILL(name) &&sm_client_sym(&lib, h, #name, &sm_sq_api.name)
    bool ok = true SM_SQ_API(SM_SQ_FILL); /* stops at the first name missing */
#undef SM_SQ_FILL
    if (ok)
        lib.loaded = true;
    else
        sm_client_abandon(h);
}

int sm_sq_load(sm_cx *cx)
{
    pthread_once(&lib.once, load);
    return sm_client_result(cx, &lib);
}
