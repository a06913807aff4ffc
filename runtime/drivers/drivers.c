/*
 * drivers.c: every driver libsmdl has.  The URL parser (core/url.c) picks
 * one by scheme; nothing else in libsmdl names a driver.
 */
#include "internal.h"

#include "client_api.h"

extern const sm_driver sm_driver_sqlite;
extern const sm_driver sm_driver_pg;
extern const sm_driver sm_driver_mysql;

const sm_driver *const sm_drivers[] = {&sm_driver_sqlite, &sm_driver_pg, &sm_driver_mysql, NULL};

/* The load of each driver's client library, in the order of sm_drivers. */
static int (*const loads[])(sm_cx *cx) = {sm_sq_load, sm_pq_load, sm_my_load};

int sm_driver_load(sm_cx *cx, const sm_driver *drv)
{
    for (size_t i = 0; sm_drivers[i]; i++)
        if (sm_drivers[i] == drv)
            return loads[i](cx);
    return SM_OK;
}
