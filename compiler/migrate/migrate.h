/*
 * migrate.h: the migration differ (DESIGN 6).  Two checked schemas, each
 * in its own context (the snapshot of what the database holds, and the
 * schema), are matched table by table and column by column (`@was`
 * turns a drop and an add into a rename) into a plan; the plan is written
 * as up and down SQL per database from the DDL pieces of create_all
 * (emit_ddl.c) and the migration patterns of the dialect table; the lint
 * refuses what loses data.
 *
 *   diff.c     matching and the plan
 *   script.c   the SQL of a plan for one dialect
 *   lint.c     destructive and data-dependent steps, as diagnostics
 *   files.c    the migrations directory: numbering, sums, the snapshot
 *   cli.c      `smc migrate new` and `smc migrate check`
 */
#ifndef SMC_MIGRATE_H
#define SMC_MIGRATE_H

#include "emit.h"

/* A piece of a table besides its columns (a key, constraint or index),
 * as the comparison sees it.  A piece of the `from` side is rendered
 * under the names the `to` side gives its tables and columns (`name`,
 * `text`), and keeps the name it has in the database (`db_name`). */
typedef struct smc_mpiece {
    smc_ddl_kind kind;
    const void *obj;               /* smc_index, smc_col, smc_tcheck, or NULL (the key) */
    const char *name;              /* compared */
    const char *db_name;           /* from side: its name before the migration */
    const char *text[SM_NDIALECTS];/* NULL: the piece does not exist on that dialect */
    const char *def[SM_NDIALECTS]; /* what smc_mpiece_def returns */
} smc_mpiece;

/* What a piece defines on dialect d, its name aside (a check is named
 * after its text, so the same check on renamed columns has another
 * name), in the form that compares (a foreign key without the actions
 * the dialect does not tell from none: fk_no_action_alike), or NULL. */
const char *smc_mpiece_def(const smc_mpiece *pc, int d);

/* Does a value change its stored form between a column of type f and
 * one of type t on d: decimals stored as scaled integers, meeting another
 * scale, an integer or a float?  The table is then rebuilt and the value
 * converted, rounded as the other databases round. */
bool smc_mig_rescaled(const smc_dialect *d, const smc_type *f, const smc_type *t);

/* Does m have an index (key, unique or plain) starting with c, which a
 * foreign key on c uses (where the database makes one for a key without:
 * fk_auto_index)? */
bool smc_mig_fk_indexed(const smc_model *m, const smc_col *c);

/* "primary key", "unique constraint", "foreign key", "check", "index". */
const char *smc_mpiece_word(smc_ddl_kind kind);

/* A piece that changes: dialect masks (bit d) of what happens to it. */
typedef struct smc_mchange {
    const smc_mpiece *from, *to;   /* either may be NULL */
    unsigned drop, add, rename;
} smc_mchange;

/* A column of a table present on both sides, or on one. */
typedef struct smc_mcol {
    smc_col *from, *to;
    unsigned type, null, deflt;    /* dialects where the type, NOT NULL or DEFAULT differ */
} smc_mcol;

typedef struct smc_mtable {
    smc_model *from, *to;          /* NULL from: created; NULL to: dropped */
    smc_mcol *cols;
    uint32_t ncols;
    smc_mchange *changes;
    uint32_t nchanges;
    bool *from_unique, *to_unique; /* by column position: in a unique constraint */
    unsigned rebuild;              /* dialects on which the table is rebuilt */
    bool renamed;                  /* from->table != to->table */
} smc_mtable;

/* The way from one schema to another.  Tables in the `to` schema's
 * creation order, then the dropped ones. */
typedef struct smc_mplan {
    smc_ctx *from, *to;            /* from may hold the empty schema (sema NULL) */
    smc_mtable *tables;
    uint32_t ntables;
} smc_mplan;

/* Diffs two checked schemas (from->sema may be NULL: the empty schema).
 * Allocates in to's arena; runs under to's guard.  The plan reads both
 * contexts, which must outlive it. */
smc_mplan *smc_migrate_diff(smc_ctx *from, smc_ctx *to);
/* The same, from a schema read back from a database (drift): what the
 * database does not keep is not compared (a decimal's scale where it
 * stores decimals as integers), and a table of the database that the
 * schema declares without using it (an imported file's table that none of
 * its tables references) is not dropped. */
smc_mplan *smc_migrate_drift(smc_ctx *db, smc_ctx *to);
/* Does the plan change anything on any database? */
bool smc_migrate_empty(const smc_mplan *p);
/* A line per change, "  add column \"hero\".\"age\"\n", for messages. */
void smc_migrate_describe(const smc_mplan *p, sm_buf *out);

/* The SQL of the plan for one dialect: statements ending in ";\n", the
 * dialect's rebuild marker as the first line when the script rebuilds
 * or drops a table. */
void smc_migrate_script(const smc_mplan *p, const smc_dialect *d, sm_buf *out);

/* Reports the steps of the plan that lose data as errors [E0501] (unless
 * allow_destructive) and those that depend on the data as warnings
 * [-Wmigration-data], in the context whose file holds the place (the
 * snapshot for what is dropped, the schema otherwise).  Returns how many
 * steps were refused. */
int smc_migrate_lint(const smc_mplan *p, bool allow_destructive);

/* ---- files.c ------------------------------------------------------------------------- */

/* FNV-1a, 64 bits, as 16 lowercase hex digits (the checksums of `sums`:
 * they detect edits, not attacks). */
void smc_fnv1a64_hex(const void *data, size_t n, char out[17]);

#endif
