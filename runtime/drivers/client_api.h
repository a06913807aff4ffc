/*
 * client_api.h: loading a database's client library on first use.
 *
 * libsmdl does not link libsqlite3, libpq or libmariadb: a program that
 * uses one database would otherwise load all three, with OpenSSL, GSSAPI
 * and LDAP behind them, at start-up.  Each driver reaches its library
 * through a table of function pointers (<driver>_api.h) filled by dlopen
 * and dlsym the first time a connection of that driver is opened.  This
 * file is the part the three drivers share.
 */
#ifndef SMDL_CLIENT_API_H
#define SMDL_CLIENT_API_H

#include "internal.h"

#include <pthread.h>

/* One client library.  what, env and soname are set by the driver;
 * the rest is written once, under once. */
typedef struct sm_client_lib {
    const char *what;   /* for messages: "libpq" */
    const char *env;    /* names another file to load: "SMDL_LIBPQ" */
    const char *soname; /* loaded by default: "libpq.so.5" */
    pthread_once_t once;
    bool loaded;
    char error[512]; /* why loading failed */
} sm_client_lib;

/*
 * Opens lib's file: $env when set and non-empty, else soname (the same
 * library when the program already linked it).  NULL with lib->error set
 * on failure.
 */
void *sm_client_open(sm_client_lib *lib);

/* Stores the address of name in *slot (a function pointer of the
 * table).  false with lib->error set when handle lacks it. */
bool sm_client_sym(sm_client_lib *lib, void *handle, const char *name, void *slot);

/* Ends a failed load: closes handle (may be NULL) after a failed
 * sm_client_sym. */
void sm_client_abandon(void *handle);

/* SM_OK once lib is loaded, else SM_UNSUPPORTED with lib->error as cx's
 * message. */
int sm_client_result(sm_cx *cx, const sm_client_lib *lib);

/* Each driver's load, run by sm_open before the driver's open (once per
 * process; later calls return the first one's outcome). */
int sm_sq_load(sm_cx *cx);
int sm_pq_load(sm_cx *cx);
int sm_my_load(sm_cx *cx);

#endif
