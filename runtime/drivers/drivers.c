/*
 * drivers.c: every driver libsmdl has.  The URL parser (core/url.c) picks
 * one by scheme; nothing else in libsmdl names a driver.
 */
#include "internal.h"

extern const sm_driver sm_driver_sqlite;
extern const sm_driver sm_driver_pg;
extern const sm_driver sm_driver_mysql;

const sm_driver *const sm_drivers[] = {&sm_driver_sqlite, &sm_driver_pg, &sm_driver_mysql, NULL};
