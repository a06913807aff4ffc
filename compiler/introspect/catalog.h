/*
 * catalog.h: what `smc introspect` reads from a database's catalog, in a
 * form common to the three databases (sqlite.c reads SQLite's), before
 * build.c turns it into declarations for the canonical printer.  Strings
 * live in the context's arena.
 */
#ifndef SMC_CATALOG_H
#define SMC_CATALOG_H

#include "ast.h"

#include <smdl/smdl.h>

typedef struct smc_icol {
    const char *name;
    const char *sql_type;  /* as the catalog says it */
    uint8_t base;          /* smc_base; SMC_B_ERROR: unknown (a note says so) */
    uint8_t precision, scale;
    int max_len;           /* -1: none */
    bool nullable, autoinc;
    const char *deflt;     /* the DEFAULT's SQL, or NULL */
    const char **values;   /* enum values (from its CHECK), or NULL */
    uint32_t nvalues;
} smc_icol;

typedef struct smc_ilist {
    const char *name;      /* constraint or index name, or NULL */
    const char **cols;
    uint32_t ncols;
    const char *ref_table; /* foreign keys */
    const char **ref_cols;
    const char *on_delete, *on_update; /* smdl action names, or NULL */
    bool unique;           /* indexes */
} smc_ilist;

typedef struct smc_itable {
    const char *name;
    const char *id;        /* the catalog's key of the table (PostgreSQL's oid), or NULL */
    smc_icol *cols;
    uint32_t ncols;
    smc_ilist pk;          /* ncols 0: none */
    smc_ilist *fks, *indexes;
    uint32_t nfks, nindexes;
    const char **checks;   /* CHECK expressions other than enums' and json's, as SQL */
    const char **check_names;
    uint32_t nchecks;
    const char **printed_checks; /* the names of the checks build.c printed, in order */
    uint32_t nprinted_checks;
    const char *notes;     /* lines of comment for the table, or NULL */
} smc_itable;

typedef struct smc_icatalog {
    int dialect;           /* sm_dialect */
    smc_itable *tables;
    uint32_t ntables;
} smc_icatalog;

/* A connection being read (read.c). */
typedef struct smc_ireader {
    smc_ctx *ctx;
    sm_cx *cx;
    sm_conn *conn;
    const char **why; /* the database's message on failure */
} smc_ireader;

/* Runs sql; NULL (and *why set) on failure. */
sm_rows *smc_iquery(smc_ireader *r, const char *sql);
/* A column of the current row, copied into the arena, or NULL. */
const char *smc_itext(smc_ireader *r, sm_rows *rows, int col);
/* Ends reading rows: true when they ended (SM_DONE), else *why is set. */
bool smc_idone(smc_ireader *r, int rc);
/* s as an SQL string literal. */
const char *smc_ilit(smc_ctx *ctx, const char *s);

/* The shapes the server catalogs (pg.c, mysql.c) share.  The tables of
 * sql's rows: column 0 the name, column 1 (when there is one) the id;
 * false (*why set) on failure. */
bool smc_itables(smc_ireader *r, smc_icatalog *cat, const char *sql);
/* The columns of t from sql's rows: name, type as the catalog names it,
 * nullable (true: 't', '1' or 'YES'), DEFAULT, and what the catalog says
 * of a generated key, which finish (the database's) reads with the type
 * and the default. */
typedef void (*smc_icol_fn)(smc_ctx *ctx, smc_itable *t, smc_icol *c, const char *deflt,
                            const char *gen);
bool smc_icolumns(smc_ireader *r, smc_itable *t, const char *sql, smc_icol_fn finish);
/* A new list (key, index, foreign key) at the end of *items, zeroed. */
smc_ilist *smc_inew_list(smc_ctx *ctx, smc_ilist **items, uint32_t *n);

/* The smdl type of a column type `ty` (the catalog's, lower case): one of
 * known exactly, decimal(p,s) or varchar(n) after the database's spelling
 * (sscanf patterns "numeric(%u,%u%c", "character varying(%u%c"), else the
 * nearest type, which a note names (db: the database's name). */
typedef struct smc_itype_name {
    const char *sql;
    uint8_t base;
} smc_itype_name;
void smc_itype(smc_ctx *ctx, smc_itable *t, smc_icol *c, const char *ty,
               const smc_itype_name *known, size_t nknown, const char *decimal_fmt,
               const char *varchar_fmt, const char *db);

/* An enum's or a json column's CHECK as smc writes it on SQLite
 * (`"c" IN ('a', 'b')`, `"c" IS NULL OR json_valid("c")`): the column
 * then carries it (values, or the json type), and true (sqlite.c). */
bool smc_icheck_typed(smc_ctx *ctx, smc_itable *t, const char *e);
/* "cascade" for "CASCADE" ...; NULL for NO ACTION (sqlite.c). */
const char *smc_iaction(const char *sql);

/* Appends a line of note to t. */
void smc_inote(smc_ctx *ctx, smc_itable *t, const char *line);

/* Grows an arena array of elements of size sz to hold n + 1. */
void *smc_igrow(smc_ctx *ctx, void *arr, uint32_t n, size_t sz);

#endif
