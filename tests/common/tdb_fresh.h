/*
 * tdb_fresh.h: creating fresh databases for the harness (tdb_each.c).
 */
#ifndef SMDL_TDB_FRESH_H
#define SMDL_TDB_FRESH_H

#include <smdl/smdl.h>

#include <stddef.h>

typedef enum tdb_fresh_rc {
    TDB_FRESH_OK = 0,
    TDB_FRESH_UNSET,       /* the server's variable is not set */
    TDB_FRESH_UNREACHABLE, /* the server does not answer (SM_CONN) */
    TDB_FRESH_BROKEN,      /* anything else: never skipped */
} tdb_fresh_rc;

/* Creates a fresh, empty database of d, removed at exit, and sets *url
 * to its URL (owned by the registry).  On failure why holds the reason. */
tdb_fresh_rc tdb_fresh(sm_dialect d, const char **url, char *why, size_t size);

/* The environment variable naming d's server, or NULL (SQLite). */
const char *tdb_fresh_var(sm_dialect d);

/* Removes every database created so far (also run at exit). */
void tdb_fresh_cleanup(void);

#endif
