/*
 * client_api.c: the dlopen and dlsym the drivers' tables share
 * (client_api.h).
 */
#include "client_api.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The file to load: $env when set and non-empty, else the SONAME. */
static const char *client_file(const sm_client_lib *lib, bool *from_env)
{
    const char *file = getenv(lib->env);
    *from_env = file && *file;
    return *from_env ? file : lib->soname;
}

/* "libpq (libpq.so.5)" or "libpq (/opt/lib/libpq.so, named by SMDL_LIBPQ)". */
static int client_name(const sm_client_lib *lib, char *buf, size_t size)
{
    bool from_env;
    const char *file = client_file(lib, &from_env);
    return snprintf(buf, size, "%s (%s%s%s)", lib->what, file,
                    from_env ? ", named by " : "", from_env ? lib->env : "");
}

void *sm_client_open(sm_client_lib *lib)
{
    bool from_env;
    /* RTLD_LOCAL: the client library's names stay out of the global
     * scope.  A library the program linked itself is found by its
     * SONAME and used as it is, not loaded twice. */
    void *h = dlopen(client_file(lib, &from_env), RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *why = dlerror();
        char name[256];
        client_name(lib, name, sizeof name);
        snprintf(lib->error, sizeof lib->error, "cannot load %s: %s%s%s%s", name,
                 why ? why : "unknown error", from_env ? "" : " (", from_env ? "" : lib->env,
                 from_env ? "" : " may name the file to load)");
    }
    return h;
}

bool sm_client_sym(sm_client_lib *lib, void *handle, const char *name, void *slot)
{
    dlerror();
    void *p = dlsym(handle, name);
    if (!p) {
        char lname[256];
        client_name(lib, lname, sizeof lname);
        snprintf(lib->error, sizeof lib->error, "%s has no function %s, which the driver needs",
                 lname, name);
        return false;
    }
    /* POSIX guarantees a data pointer from dlsym converts to a function
     * pointer; ISO C has no cast for it, so the bytes are copied. */
    memcpy(slot, &p, sizeof p);
    return true;
}

void sm_client_abandon(void *handle)
{
    if (handle)
        dlclose(handle);
}

int sm_client_result(sm_cx *cx, const sm_client_lib *lib)
{
    if (lib->loaded)
        return SM_OK;
    return sm_cx_fail(cx, SM_UNSUPPORTED, "%s", lib->error);
}
