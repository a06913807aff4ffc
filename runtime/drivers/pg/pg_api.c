/*
 * pg_api.c: loads libpq into sm_pq_api (pg_api.h) the first time a
 * PostgreSQL connection opens.
 */
#define SM_PQ_API_FILL
#include "pg_api.h"

#include "drivers/client_api.h"
#include "drivers/client_sonames.h"

sm_pq_fns sm_pq_api;

static sm_client_lib lib = {
    .what = "libpq",
    .env = "SMDL_LIBPQ",
    .soname = SM_LIBPQ_SONAME,
    .once = PTHREAD_ONCE_INIT,
};

static void load(void)
{
    void *h = sm_client_open(&lib);
    if (!h)
        return;
#define SM_PQ_FILL(name) &&sm_client_sym(&lib, h, #name, &sm_pq_api.name)
    bool ok = true SM_PQ_API(SM_PQ_FILL); /* stops at the first name missing */
#undef SM_PQ_FILL
    if (ok)
        lib.loaded = true;
    else
        sm_client_abandon(h);
}

int sm_pq_load(sm_cx *cx)
{
    pthread_once(&lib.once, load);
    return sm_client_result(cx, &lib);
}
