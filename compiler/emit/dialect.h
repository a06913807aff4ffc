/*
 * dialect.h: everything that differs between SQLite, PostgreSQL and
 * MySQL/MariaDB, as data.  The SQL emitters are written once against this
 * table; supporting another database means adding a row, not code.
 */
#ifndef SMC_DIALECT_H
#define SMC_DIALECT_H

#include "sema.h"

/* The pieces of a table besides its columns, as a migration adds, drops
 * or renames them. */
typedef enum smc_ddl_kind {
    SMC_DDL_PK,
    SMC_DDL_UNIQUE,
    SMC_DDL_FK,
    SMC_DDL_COLCHECK, /* the CHECK of an enum or json column */
    SMC_DDL_CHECK,    /* a table's check (expr) */
    SMC_DDL_INDEX,
    SMC_DDL_NKINDS
} smc_ddl_kind;

typedef struct smc_dialect {
    int id;                  /* sm_dialect; its name is smc_dialect_names[id] */
    char quote;              /* identifier quote */
    bool numbered_params;    /* $1, $2 ... instead of ? */
    /* Column types, indexed by smc_base.  "%p"/"%s" are a decimal's
     * precision and scale; "%n" a length. */
    const char *types[SMC_B_NULL + 1];
    const char *text_bounded;      /* text with @max_len(n) <= bounded_max, or NULL */
    int32_t bounded_max;           /* 0: no limit */
    const char *text_key;          /* text in a key (unique, primary, foreign), or NULL */
    int32_t key_max;               /* cap of n in text_key */
    const char *int_types[3];      /* int, i32, i16 with @auto: the identity column types */
    const char *auto_suffix;       /* after the type of an @auto key */
    bool decimal_scaled;           /* decimals stored as scaled integers */
    const char *true_lit, *false_lit;
    const char *now_default[3];    /* DEFAULT for now(): date, time, datetime */
    const char *uuid_default;      /* DEFAULT for uuid() */
    const char *bytes_literal;     /* "X'%s'" (hex) or "'\\x%s'" */
    bool paren_blob_default;       /* LONGTEXT/LONGBLOB defaults need (expr) */
    const char *enum_check;        /* "%c IN (%v)" */
    const char *json_check;        /* "json_valid(%c)" or NULL */
    const char *table_suffix;      /* after CREATE TABLE (...) */
    bool inline_indexes;           /* INDEX ... inside CREATE TABLE */
    int32_t index_prefix;          /* prefix length for an index on unbounded text, 0: none */
    bool deferred_fks;             /* FK cycles: ALTER TABLE ADD CONSTRAINT after creation */
    const char *add_fk_guarded;    /* that ALTER (%s) run only if FK %n is missing; %q: a
                                      dollar-quote tag the statement does not contain */
    const char *create_prologue, *create_epilogue; /* around a create_all with FK cycles */
    bool pk_named;                 /* CONSTRAINT pk_x PRIMARY KEY is kept by the database */
    const char *datetime_suffix;   /* appended to datetime literals (the UTC offset) */
    const char *returning;         /* " RETURNING %c" or NULL (no RETURNING) */
    bool key_by_returning;         /* generated keys come back through RETURNING */
    bool backslash_escapes;        /* '\\' escapes in string literals (MySQL) */
    const char *like_escape;       /* appended to every LIKE */
    const char *length_fn;         /* characters of a text */
    const char *float_cast;        /* "CAST(%e AS REAL)" */
    const char *scaled_round;      /* a float made a scaled decimal: "CAST(round(%e) AS INTEGER)" */
    /* The cast that gives a placeholder (%e) the checker's type, per base
     * type ("%e::bigint"; %s: a decimal's scale), where the binding does
     * not carry it (values sent as text), and what a list type adds
     * ("[]").  Casts name types that hold every value of the C type
     * (text, numeric): a varchar(n) or numeric(p,s) cast would truncate
     * or round silently, while the column still checks what it stores. */
    const char *param_types[SMC_B_NULL + 1];
    const char *param_list;
    /* Queries. */
    const char *in_list;           /* %c lhs, %p the list, %f "not empty", %l expanded list */
    const char *row_values;        /* before a list of row values after IN: "VALUES " or "" */
    const char *sum_int;           /* sum over integers, cast back to int: %e */
    const char *avg;               /* avg as double: %e */
    const char *offset_only;       /* OFFSET without LIMIT: %o */
    const char *lock_update, *lock_share; /* NULL: the database locks otherwise */
    bool nulls_native;             /* NULLS FIRST/LAST are understood */
    bool nulls_last_asc;           /* NULLs sort last in ASC by default (pinned to first) */
    /* After a nullable column of a plain index, so that the index holds
     * the pinned order (and, scanned backwards, the descending one). */
    const char *index_nulls_first;
    const char *excluded;          /* the proposed row's column in an upsert: %c */
    const char *upsert_update;     /* %k conflict columns */
    const char *upsert_nothing;    /* %k conflict columns, %c the first of them */
    /* After `INSERT INTO link (a, b) VALUES (?, ?)`: a pair already
     * there is left alone (%k: both columns, %c: the first). */
    const char *link_nothing;
    const char *last_insert_id;    /* the generated key, in SQL, where RETURNING is emulated */
    /* An insert of a row with no column to write (a table of only an
     * @auto key): what follows INSERT INTO t; and for several such rows,
     * what precedes their "()" groups, or NULL: one insert per row. */
    const char *insert_no_columns;
    const char *rows_no_columns;
    const char *drop_table;        /* "DROP TABLE IF EXISTS %t" */
    const char *drop_prologue, *drop_epilogue; /* around the drops, or NULL */
    /* Migrations (compiler/migrate).  Patterns: %t the table, %c a column
     * or constraint, %n its new name (identifiers), %d a definition piece,
     * %y a column type, %v a value (written as they are).  NULL: the
     * database cannot, and the table is rebuilt (`rebuild`). */
    const char *add_column;        /* %t %d */
    const char *drop_column;       /* %t %c */
    const char *rename_table;      /* %t %n */
    const char *rename_column;     /* %t %c %n */
    const char *alter_type;        /* %t %c %y: keeps the values, cast */
    const char *set_not_null, *drop_not_null;   /* %t %c */
    const char *set_default;       /* %t %c %v */
    const char *drop_default;      /* %t %c */
    const char *modify_column;     /* %t %d: type, NOT NULL and DEFAULT in one */
    /* An @auto key added or removed (where auto_suffix is not empty and
     * modify_column is NULL): %t %c; the generator then continues after
     * the largest key (%v: the table as a string, %y: the column). */
    const char *add_identity, *drop_identity, *sync_identity;
    const char *add_piece[SMC_DDL_NKINDS];    /* %t %d; index: NULL, the CREATE INDEX piece */
    const char *drop_piece[SMC_DDL_NKINDS];   /* %t %c */
    const char *rename_piece[SMC_DDL_NKINDS]; /* %t %c %n; NULL: dropped and added again */
    const char *replace_pk;        /* %t %d: a changed key in one statement (a foreign key may
                                      need the old key's index until the new one exists) */
    bool fk_auto_index;            /* an FK without an index on its column gets one of its name */
    bool fk_same_type;             /* an FK's column and target cannot change type under it:
                                      it is dropped and added around the change */
    bool fk_no_action_alike;       /* RESTRICT, NO ACTION and no clause are one behaviour (checked
                                      at once, never deferred), which the catalog reports as
                                      RESTRICT: compared alike, read back as no clause */
    bool rebuild;                  /* what ALTER cannot do rebuilds the table */
    const char *rebuild_marker;    /* the first line of a script that rebuilds or drops tables */
} smc_dialect;

extern const smc_dialect smc_dialects[SM_NDIALECTS];
const smc_dialect *smc_dialect_named(const char *name);

/* Appends a quoted identifier. */
void smc_sql_ident(sm_buf *b, const smc_dialect *d, const char *name);
/* Expands the dialect table's patterns: copies *p to b up to the next
 * "%k" with k in keys, moves *p past it and returns k for the caller to
 * write; 0 at the end.  A '%' before any other character is copied.
 *   for (char k; (k = smc_sql_pattern(b, &p, "e"));) <write what %e stands for> */
char smc_sql_pattern(sm_buf *b, const char **p, const char *keys);
/* Appends a quoted SQL string literal. */
void smc_sql_string(sm_buf *b, const smc_dialect *d, const char *s, size_t n);
/* Appends the k-th (1-based) placeholder, or with k == 0 a "?" that the
 * runtime numbers, for a value of type t (cast to it where the dialect
 * types placeholders). */
void smc_sql_param(sm_buf *b, const smc_dialect *d, unsigned k, const smc_type *t);
/* The column type of c (DDL). */
void smc_sql_type(sm_buf *b, const smc_dialect *d, const smc_col *c, bool in_key);
/* Appends the DEFAULT expression of c, or nothing. */
void smc_sql_default(sm_buf *b, const smc_dialect *d, const smc_col *c);
/* The value alone (after DEFAULT); false, writing nothing, without one. */
bool smc_sql_default_value(sm_buf *b, const smc_dialect *d, const smc_col *c);

#endif
