/*
 * smdl/desc.h: the descriptor layer between smc's generated code and
 * libsmdl.  Generated code describes each model once (a table of fields
 * with offsets, types, constraints, column and JSON names, and each
 * statement's SQL per dialect) and calls the generic functions below from
 * thin typed wrappers; libsmdl implements binding, fetching, validation and
 * JSON once, from the descriptors.
 *
 * Application code does not call this layer directly; it is public only
 * because generated code is compiled in the application.  Its layout is
 * versioned by SMDL_GENERATED_ABI.  Every descriptor is static const data
 * except sm_pattern, whose `compiled` slot the runtime fills on first use
 * (atomically; see validate.c).
 */
#ifndef SMDL_DESC_H
#define SMDL_DESC_H

#ifndef SMDL_SMDL_H
#error "include <smdl/smdl.h>, not <smdl/desc.h>"
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* One SQL text per dialect, indexed by sm_dialect.  NULL: not available on
 * that dialect (the call returns SM_UNSUPPORTED). */
typedef struct sm_sql {
    const char *text[SM_NDIALECTS];
} sm_sql;

/* The storage type of a field (DESIGN 3.3). */
typedef enum sm_type {
    SM_T_BOOL = 1,  /* bool */
    SM_T_INT,       /* int64_t */
    SM_T_I32,       /* int32_t */
    SM_T_I16,       /* int16_t */
    SM_T_FLOAT,     /* double, finite */
    SM_T_DECIMAL,   /* sm_decimal, field.scale / field.precision */
    SM_T_TEXT,      /* const char *, UTF-8 */
    SM_T_BYTES,     /* sm_bytes */
    SM_T_DATE,      /* sm_date */
    SM_T_TIME,      /* sm_time */
    SM_T_DATETIME,  /* sm_datetime */
    SM_T_UUID,      /* sm_uuid */
    SM_T_JSON,      /* const char *, valid JSON text */
    SM_T_ENUM,      /* a C enum (int), field.enm */
    SM_T_MODEL,     /* nested struct field.model (data models only) */
    SM_T_LIST,      /* X_list of field.model (data models only) */
    SM_T_REL_ONE,   /* X * relationship, struct only */
    SM_T_REL_MANY,  /* X_list relationship, struct only */
    SM_T_INT_LIST,  /* sm_int_list: a query argument for `in :ids` */
    SM_T_TEXT_LIST, /* sm_text_list: a query argument for `in :names` */
} sm_type;

/* List arguments of queries. */
typedef struct sm_int_list {
    const int64_t *items;
    size_t len;
} sm_int_list;
typedef struct sm_text_list {
    const char *const *items;
    size_t len;
} sm_text_list;

/* Field flags. */
enum {
    SM_F_NULLABLE = 1 << 0,   /* declared T? */
    SM_F_PK = 1 << 1,         /* part of the primary key */
    SM_F_AUTO = 1 << 2,       /* @auto: 0 means "let the database choose" */
    SM_F_DEFAULT = 1 << 3,    /* has a constant default (in the model's init) */
    SM_F_NOW = 1 << 4,        /* default now(): _insert fills a zero value */
    SM_F_GEN_UUID = 1 << 5,   /* default uuid(): _insert fills a zero value */
    SM_F_UPDATED_AT = 1 << 6, /* @updated_at: _update writes now() */
    SM_F_COLUMN = 1 << 7,     /* a column of the table */
    /* A query argument that is (part of) a LIKE pattern: a value ending in
     * a backslash that escapes nothing is refused (SM_INVALID, code
     * "pattern") before any SQL is sent, since the databases disagree on
     * it. */
    SM_F_LIKE = 1 << 8,
    /* @secret (or an argument the checker found to meet a secret
     * column): every value bound from it is flagged SM_V_SECRET, and no
     * message of the library quotes it. */
    SM_F_SECRET = 1 << 9,
};

/* Bound flags of sm_check.bounds. */
enum { SM_B_GT = 1, SM_B_GE = 2, SM_B_LT = 4, SM_B_LE = 8 };

#define SM_NONE UINT32_MAX /* "no such offset" */

/* An @pattern: POSIX ERE source, compiled on first use (REG_EXTENDED |
 * REG_NOSUB), an unanchored search over the UTF-8 bytes. */
typedef struct sm_pattern {
    const char *source;
    void *compiled; /* regex_t *, owned by the runtime; NULL until used */
} sm_pattern;

/* Validation of one field; NULL in sm_field when there is none.  Lengths
 * count characters (code points); -1 means no limit.  Bounds are compared
 * as int64 (integer and decimal fields, decimals scaled) or as double
 * (float fields). */
typedef struct sm_check {
    int32_t min_len, max_len;
    uint8_t bounds; /* SM_B_* */
    int64_t lo_i, hi_i;
    double lo_d, hi_d;
    sm_pattern *pattern;
    /* @check_fn: a wrapper around the user's function, given a pointer to
     * the (non-null) value; returns NULL when valid, else a message. */
    const char *(*check_fn)(const void *value);
} sm_check;

typedef struct sm_enum {
    const char *name;            /* "Power" */
    const char *const *members;  /* "flight", ... in declaration order */
    uint32_t count;
} sm_enum;

typedef struct sm_model sm_model;

typedef struct sm_field {
    const char *name;     /* as declared: the C member name */
    const char *column;   /* column name; NULL unless SM_F_COLUMN */
    const char *json;     /* JSON key; NULL for @json(skip) */
    uint32_t offset;      /* offsetof the value */
    uint32_t has;         /* offsetof bool has_<f>, or SM_NONE */
    uint32_t isnull;      /* partial models: offsetof bool <f>_null, or SM_NONE */
    uint16_t type;        /* sm_type */
    uint16_t flags;       /* SM_F_* */
    int16_t precision;    /* decimal(p,s) */
    int16_t scale;
    const sm_check *check;
    const sm_enum *enm;   /* SM_T_ENUM */
    const sm_model *model;/* SM_T_MODEL, SM_T_LIST, SM_T_REL_* targets */
} sm_field;

/* A foreign key, for naming the columns of a failed one (SQLite). */
typedef struct sm_fk {
    const char *name;    /* fk_<table>_<cols> */
    const char *columns; /* "team_id" or "a, b" */
} sm_fk;

/*
 * A foreign key of another table that references this one (an incoming
 * FK), for naming the FK a delete violates where the database does not
 * (SQLite).  `probe` binds the key of the row being deleted and returns a
 * row when the referencing table still refers to it:
 *   SELECT 1 FROM child WHERE col IN (SELECT ref FROM t WHERE key = ?) LIMIT 1
 */
typedef struct sm_fkref {
    const char *name;    /* fk_<child>_<cols> */
    const char *table;   /* the referencing table */
    const char *columns; /* its FK columns */
    sm_sql probe;
} sm_fkref;

/* Relationship kinds (DESIGN 3.3). */
enum {
    SM_REL_ONE = 1, /* X *: through an FK column of the owner, or (one-to-one
                     * from the other side) a unique FK column of X */
    SM_REL_MANY,    /* X_list: through an FK column of X */
    SM_REL_M2M,     /* X_list: through a link table with an FK to each */
};

/*
 * A relationship field of a table, and the statement that loads it for
 * any number of owners at once.
 *
 * `own` is the owner field whose value the load matches: the owner's FK
 * column (to-one through its own FK) or the column an FK of the other
 * side references (usually the key).  The rows read are the target's
 * columns in field order; for SM_REL_M2M the link's column to the owner
 * follows them.  `match` is the field of the target equal to own's value
 * (SM_REL_ONE, SM_REL_MANY); for SM_REL_M2M it is the link's field.
 *
 * The statement is load_prefix, then "?" once per distinct non-NULL key
 * of the owners, joined by ", " and padded to a power of two by repeating
 * the last key, then load_suffix, which orders the rows by the match and
 * then by the target's key: children come in a stable order (by key).
 * Keys bind with own's type.
 *
 * Link and unlink (SM_REL_M2M) bind the owner's value (link_own's column)
 * then the target's (link_target's column): link inserts the pair unless
 * it exists (idempotent), unlink deletes it (no row: SM_NOTFOUND).
 */
typedef struct sm_rel {
    const char *name;       /* the field name: "team" */
    uint16_t field;         /* index of the relationship field in the owner's fields */
    uint8_t kind;           /* SM_REL_* */
    const sm_model *target;
    uint16_t own;           /* owner field matched (index into the owner's fields) */
    uint16_t match;         /* target field (ONE, MANY) or link field (M2M) */
    uint32_t loaded;        /* SM_REL_ONE: offsetof bool <name>_loaded; SM_NONE otherwise */
    const sm_model *link;   /* SM_REL_M2M: the link table; NULL otherwise */
    uint16_t link_own;      /* SM_REL_M2M: link field referencing the owner */
    uint16_t link_target;   /* SM_REL_M2M: link field referencing the target */
    uint16_t target_ref;    /* SM_REL_M2M: the target field link_target references */
    sm_sql load_prefix, load_suffix;
    sm_sql link_sql, unlink_sql; /* SM_REL_M2M */
} sm_rel;

/* Model flags. */
enum {
    SM_M_TABLE = 1 << 0,          /* a table model */
    SM_M_PARTIAL = 1 << 1,        /* `= partial B`: has_<f> means "set" */
    SM_M_FORBID_UNKNOWN = 1 << 2, /* @json(forbid_unknown) */
};

/*
 * The statements of a table, each with one SQL text per dialect.  Their
 * placeholders bind, in order:
 *   insert:      every column field in field order
 *   insert_auto: the same without the @auto key (used when the key is 0);
 *                on PostgreSQL it ends in RETURNING <key>
 *   get:         the key fields (key order); selects every column, in
 *                field order
 *   update:      every non-key column in field order, then the key fields
 *   del:         the key fields
 * For insert_many the runtime builds multi-row inserts: rows_prefix
 * ("INSERT INTO t (all columns) VALUES ") or rows_auto_prefix (without the
 * @auto key), then one "(?, ...)" group per row ("?" in every dialect: the
 * PostgreSQL driver numbers them), then rows_auto_suffix after an auto
 * prefix (" RETURNING key" on PostgreSQL, "" elsewhere).
 * get_many is many_prefix ("SELECT <every column> FROM t WHERE <key> IN
 * (", the key parenthesised when it has several columns, then VALUES
 * where the dialect needs it), then many_tuple ("?" or "(?, ?)", with
 * the casts the dialect needs) once per key, joined by ", " (the runtime
 * pads the count to a power of two by repeating the last key, so that a
 * handful of statements serve every count, each prepared once), then
 * many_suffix (")").
 */
typedef struct sm_table_sql {
    sm_sql insert, insert_auto, get, update, del;
    sm_sql rows_prefix, rows_auto_prefix, rows_auto_suffix;
    sm_sql many_prefix, many_tuple, many_suffix;
} sm_table_sql;

struct sm_model {
    const char *name;         /* "Hero" */
    const char *table;        /* table name; NULL for data models */
    size_t size;              /* sizeof(Hero) */
    const void *init;         /* an instance equal to HERO_INIT (defaults) */
    const sm_field *fields;   /* struct order */
    uint32_t nfields;
    const uint16_t *key;      /* indices into fields of the primary key */
    uint32_t nkey;
    uint32_t flags;           /* SM_M_* */
    const sm_table_sql *sql;  /* tables only */
    const sm_fk *fks;
    uint32_t nfks;
    const sm_rel *rels;       /* relationship fields, in field order */
    uint32_t nrels;
    const sm_fkref *refs;     /* FKs of this module's tables that reference this one */
    uint32_t nrefs;
};

/*
 * `<t>_patch`: UPDATE t SET <the set fields> WHERE key.  The statement is
 * assembled from the fragments below, once per combination of set fields,
 * and cached: writing only the fields that changed keeps the database
 * from rewriting untouched columns and their indexes.  Placeholders are
 * "?" in every dialect (the PostgreSQL driver numbers them); they bind the
 * value of each set field in field order, then the table's key fields.
 * columns[i] is the index in table->fields of partial->fields[i].
 */
typedef struct sm_patch_desc {
    const sm_model *table;
    const sm_model *partial;
    const uint16_t *columns;
    sm_sql update;        /* "UPDATE t SET " */
    const sm_sql *assign; /* per partial field: "c = ?" */
    sm_sql noop;          /* "k = k" when no field is set (to match the row) */
    sm_sql where;         /* " WHERE k = ?" */
} sm_patch_desc;

/*
 * A migration (docs/migrations.md): the directory NNNN_name of a
 * migrations directory, read by sm_migrations_read or embedded by smc.
 * up and down hold the scripts of each dialect (statements separated by
 * ";"); checksum[d] is the FNV-1a 64 of d's up script, the value the
 * runner records in smdl_migrations and compares on every later run.
 * flags[d]: SM_MIG_*_FK_OFF when that script's first line is the marker
 * "-- smdl: foreign_keys=off" (a table rebuild): the runner turns foreign
 * key enforcement off before the migration's transaction, checks every
 * foreign key before its commit and restores the setting after.
 */
enum { SM_MIG_UP_FK_OFF = 1 << 0, SM_MIG_DOWN_FK_OFF = 1 << 1 };
typedef struct sm_migration sm_migration;
struct sm_migration {
    uint32_t version;                /* NNNN, 1 to 9999 */
    const char *name;                /* the directory's name after "NNNN_" */
    sm_sql up, down;
    uint64_t checksum[SM_NDIALECTS];
    uint8_t flags[SM_NDIALECTS];     /* SM_MIG_* */
};

/* A module: its tables in FK order and its DDL scripts per dialect. */
typedef struct sm_module {
    const char *name;
    const sm_model *const *tables;
    uint32_t ntables;
    sm_sql create_all; /* statements separated by ";\n" */
    sm_sql drop_all;
    const sm_migration *const *migrations; /* ascending versions; NULL when none */
    uint32_t nmigrations;
} sm_module;

/*
 * Queries.  The arguments of a query are a struct described by `params`;
 * the generated function fills it and picks the variant (optional
 * predicates present, sort choice).  Each variant holds, per dialect, the
 * SQL and for each of its placeholders the params field it binds:
 *   k                  field k
 *   k | SM_ARG_PRESENT list field k is not empty (a boolean)
 *   SM_ARG_KEYS        the keys a `pre` statement collected (a list)
 * A list bound to a placeholder written "\x01" in the SQL is expanded
 * there to one placeholder per element, padded to a power of two (MySQL);
 * elsewhere a list binds as one value (SQLite: a JSON array for
 * json_each; PostgreSQL: an array literal for = ANY).
 * Where a database has no RETURNING (MySQL), `pre` and `post` emulate it:
 * delete runs `pre` (the returned rows, locked) then the statement; update
 * runs `pre` (the keys, locked), the statement, then `post` over those
 * keys; insert runs the statement then `post` (the new row).
 */
enum { SM_ARG_PRESENT = 0x80, SM_ARG_KEYS = 0x7f };

typedef struct sm_qstmt {
    sm_sql sql;
    const uint8_t *args[SM_NDIALECTS];
    uint8_t nargs[SM_NDIALECTS];
} sm_qstmt;

typedef struct sm_variant {
    sm_qstmt main;
    const sm_qstmt *pre;  /* NULL when not needed */
    const sm_qstmt *post;
} sm_variant;

/* What a query returns. */
enum {
    SM_RET_LIST = 1, /* X_list */
    SM_RET_ONE,      /* exactly one row: SM_NOTFOUND / SM_MULTIPLE */
    SM_RET_OPT,      /* the first row or SM_NOTFOUND */
    SM_RET_EACH,     /* a callback per row, streamed */
    SM_RET_EXEC,     /* rows matched */
};
/* Query flags. */
enum {
    SM_Q_RAW = 1 << 0,    /* written in SQL: check the result's shape on first use */
    SM_Q_UPSERT = 1 << 1, /* one row inserted or updated counts 1 (MySQL says 2 for an update) */
    /* A scalar that holds no memory (int, float, bool ...): its function
     * takes no arena and passes NULL.  Every other query needs one. */
    SM_Q_NO_ARENA = 1 << 2,
};

/*
 * Eager loading (`-> [T with a.b, c]`): after the rows are read, each
 * load fills one relationship of the objects of its parent level (the
 * query's rows, or the rows an earlier load read), in one statement per
 * level (sm_rel).  Loads are listed parents first.
 */
#define SM_LOAD_ROOT 0xffffu
typedef struct sm_qload {
    uint16_t parent;       /* index of the load whose rows own this one, or SM_LOAD_ROOT */
    const sm_model *owner; /* the model of those rows */
    const sm_rel *rel;     /* one of owner->rels */
} sm_qload;

typedef struct sm_query_desc {
    const char *name;
    const sm_model *params;     /* the arguments struct */
    const sm_variant *variants;
    uint32_t nvariants;
    uint8_t ret;                /* SM_RET_* */
    uint8_t flags;              /* SM_Q_* */
    const sm_model *row;        /* result rows (scalars: a one-field row) */
    int32_t timeout_ms;         /* @timeout, 0: none */
    const sm_qload *loads;      /* `with`: NULL when none */
    uint32_t nloads;
} sm_query_desc;

/* ---- Generic operations called by generated wrappers ---------------------- */

/*
 * `key` points to an object of the model's type whose key fields are set;
 * the other fields are ignored.  Codes and behaviour: DESIGN 3.4.
 *
 * NULL arguments are checked here, once for every generated function: a
 * NULL cx, conn, descriptor, object, key, patch, out, arena, args (of a
 * query that has parameters) or fn is SM_MISUSE, with the message in cx
 * where there is one, before any SQL; so is a key field or a query
 * argument of type text that is NULL where its type is not optional
 * (`text?`).  *out is zeroed on every failure where out was given.
 * NULL: objs may be NULL when n is 0 (nothing is inserted); errs may be
 * NULL (the code alone); json may be NULL when len is 0 (the empty
 * document, a json_syntax error); affected and ud may be NULL; arena is
 * NULL for a query flagged SM_Q_NO_ARENA (its function takes none).
 */
SM_API int sm_model_insert(sm_cx *cx, sm_conn *conn, const sm_model *m, void *obj);
SM_API int sm_model_insert_many(sm_cx *cx, sm_conn *conn, const sm_model *m, void *objs, size_t n);
SM_API int sm_model_get(sm_cx *cx, sm_conn *conn, const sm_model *m, const void *key, void *out,
                 sm_arena *arena);
SM_API int sm_model_update(sm_cx *cx, sm_conn *conn, const sm_model *m, void *obj);
SM_API int sm_model_patch(sm_cx *cx, sm_conn *conn, const sm_patch_desc *p, const void *key,
                   const void *patch);
SM_API int sm_model_delete(sm_cx *cx, sm_conn *conn, const sm_model *m, const void *key);
SM_API int sm_model_validate(const sm_model *m, const void *obj, sm_errors *errs);
SM_API int sm_model_to_json(const sm_model *m, const void *obj, sm_buf *out);
SM_API int sm_model_from_json(const sm_model *m, const char *json, size_t len, void *out,
                       sm_arena *arena, sm_errors *errs);
SM_API int sm_module_create_all(sm_cx *cx, sm_conn *conn, const sm_module *mod);

/*
 * The JSON writer of generated X_to_json (json_write.c) for full models:
 * the same text as sm_model_to_json, written field by field in the
 * order of the descriptor with each key a literal made by smc (`lit`: the
 * '{' or ',' before it, the quoted key, ':').  The first failure is kept
 * and the rest is skipped; sm_jw_end returns it, with out as it was
 * before sm_jw_begin, or SM_OK with out NUL-terminated.  A NULL out, lit
 * (of a length above 0), m or obj is that failure, SM_MISUSE.  NULL: the
 * functions that return nothing do nothing given no w; sm_jw_end returns
 * SM_MISUSE.
 */
typedef struct sm_jw {
    sm_buf *out;
    size_t len0;
    int rc;
} sm_jw;
SM_API void sm_jw_begin(sm_jw *w, sm_buf *out);
SM_API void sm_jw_int(sm_jw *w, const char *lit, size_t n, int64_t v);
SM_API void sm_jw_text(sm_jw *w, const char *lit, size_t n, const char *s); /* NULL: null */
SM_API void sm_jw_null(sm_jw *w, const char *lit, size_t n);
/* Field i of model m in obj, as sm_model_to_json writes it. */
SM_API void sm_jw_field(sm_jw *w, const char *lit, size_t n, const sm_model *m, uint32_t i,
                        const void *obj);
/* `lit` closes the object: "}", or "{}" when it has no field. */
SM_API int sm_jw_end(sm_jw *w, const char *lit, size_t n);

/* Queries: `out` is an X_list (SM_RET_LIST) or one row (ONE, OPT).  The
 * row passed to fn lives until fn returns; a non-zero return stops the
 * iteration and is returned. */
SM_API int sm_query_rows(sm_cx *cx, sm_conn *conn, const sm_query_desc *q, unsigned variant,
                         const void *args, void *out, sm_arena *arena);
SM_API int sm_query_each(sm_cx *cx, sm_conn *conn, const sm_query_desc *q, unsigned variant,
                         const void *args, int (*fn)(void *ud, const void *row), void *ud);
SM_API int sm_query_exec(sm_cx *cx, sm_conn *conn, const sm_query_desc *q, unsigned variant,
                         const void *args, int64_t *affected);
SM_API int sm_module_drop_all(sm_cx *cx, sm_conn *conn, const sm_module *mod);
/* `<module>_migrate`: sm_migrate_up of the module's embedded migrations. */
SM_API int sm_module_migrate(sm_cx *cx, sm_conn *conn, const sm_module *mod);

/*
 * Relationships (DESIGN 3.4).  sm_rel_load fills rel (one of
 * owner->rels) in each of objs[0..n), objects of the owner model, with
 * one statement per call whatever n is (and none when no owner has a
 * key).  Loaded objects live in arena.  A to-one field points at its
 * object or is NULL when there is none, and its `_loaded` flag is set; a
 * to-many field's items are never NULL once loaded (len may be 0).  On
 * failure the fields are left as they were.  objs may be NULL when n is
 * 0.
 */
SM_API int sm_rel_load(sm_cx *cx, sm_conn *conn, const sm_model *owner, const sm_rel *rel,
                       void *objs, size_t n, sm_arena *arena);
/* The same for the items of `list`, an X_list of the owner model. */
SM_API int sm_rel_load_list(sm_cx *cx, sm_conn *conn, const sm_model *owner, const sm_rel *rel,
                            void *list, sm_arena *arena);
/* Links or unlinks the pair (SM_REL_M2M): `own` and `target` point at
 * values of the C types of rel->link's link_own and link_target fields.
 * Linking an existing pair is SM_OK; unlinking a missing one SM_NOTFOUND. */
SM_API int sm_rel_link(sm_cx *cx, sm_conn *conn, const sm_rel *rel, const void *own,
                       const void *target);
SM_API int sm_rel_unlink(sm_cx *cx, sm_conn *conn, const sm_rel *rel, const void *own,
                         const void *target);
/*
 * `<t>_get_many`: the rows with the n keys, in the order of the keys, in
 * one statement (split only beyond the databases' placeholder limits);
 * a key without a row is skipped (out->len < n), a key given twice gives
 * its row twice.  `objects`: keys is an array of n objects of the model
 * with their key fields set (composite keys); otherwise an array of n
 * values of the single key field's C type.  out is an X_list, overwritten.
 */
SM_API int sm_model_get_many(sm_cx *cx, sm_conn *conn, const sm_model *m, const void *keys,
                             size_t n, bool objects, void *out, sm_arena *arena);

#ifdef __cplusplus
}
#endif

#endif
