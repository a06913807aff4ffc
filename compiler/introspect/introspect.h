/*
 * introspect.h: `smc introspect` and `smc migrate diff --db` (DESIGN 6).
 * An existing database's catalog, read through libsmdl's raw SQL API, is
 * turned into declarations that the canonical printer writes as .smdl.
 *
 *   catalog.h    the tables as read, common to the databases
 *   read.c       running the catalog queries
 *   sqlite.c     SQLite's catalog (sqlite_master and its pragmas)
 *   pg.c         PostgreSQL's (pg_catalog)
 *   mysql.c      MariaDB's and MySQL's (information_schema)
 *   build.c      the declarations of a catalog
 *   cli.c        the two commands
 */
#ifndef SMC_INTROSPECT_H
#define SMC_INTROSPECT_H

#include "catalog.h"

#include <smdl/smdl.h>
#include <stdio.h>

/* Reads the catalog of conn into cat.  False with a message in *why (the
 * database's) on failure.  Runs under ctx's guard. */
bool smc_introspect_sqlite(smc_ctx *ctx, sm_cx *cx, sm_conn *conn, smc_icatalog *cat,
                           const char **why);

bool smc_introspect_pg(smc_ctx *ctx, sm_cx *cx, sm_conn *conn, smc_icatalog *cat,
                       const char **why);

bool smc_introspect_mysql(smc_ctx *ctx, sm_cx *cx, sm_conn *conn, smc_icatalog *cat,
                          const char **why);

/* Is the catalog's DEFAULT s the one smc writes as w (SQLite gives it
 * without the parentheses around an expression)? */
bool smc_same_default(const char *s, const char *w);

/* Appends the .smdl text of cat (module `module`) to out.  Runs under
 * ctx's guard. */
void smc_introspect_print(smc_ctx *ctx, const smc_icatalog *cat, const char *module, sm_buf *out);

/* `smc introspect [URL]` and `smc migrate diff --db URL FILE`. */
int smc_introspect_main(int argc, char **argv);
int smc_migrate_diff_main(int argc, char **argv, void (*add_stdlib)(smc_ctx *ctx));

#endif
