/*
 * sema.h: the checked schema.  The checker (sema*.c) resolves names,
 * flattens inheritance, applies attributes and checks every rule of the
 * language; the emitters read only these structures (and the AST nodes
 * they point to for expressions and positions).
 */
#ifndef SMC_SEMA_H
#define SMC_SEMA_H

#include "ast.h"

typedef struct smc_model smc_model;
typedef struct smc_col smc_col;

typedef enum smc_fkaction {
    SMC_FK_DEFAULT = 0, /* not given: the database default (no action) */
    SMC_FK_CASCADE,
    SMC_FK_SET_NULL,
    SMC_FK_RESTRICT,
    SMC_FK_NO_ACTION,
    SMC_FK_SET_DEFAULT,
} smc_fkaction;

typedef enum smc_defkind {
    SMC_DEF_NONE = 0,
    SMC_DEF_CONST, /* a literal or enum member: col->deflt */
    SMC_DEF_NOW,   /* now() */
    SMC_DEF_UUID,  /* uuid() */
} smc_defkind;

typedef enum smc_relkind {
    SMC_REL_NONE = 0,
    SMC_REL_ONE,  /* X?: through an FK column of the owner (rel_fk) */
    SMC_REL_MANY, /* [X]: through an FK column of X pointing here (rel_fk) */
    SMC_REL_M2M,  /* [X]: through a link table with FKs to both */
} smc_relkind;

/* The value of a constant default, already converted to the field's
 * representation (decimals scaled, dates as days, enum members indexed). */
typedef struct smc_const {
    bool is_null;
    int64_t i;        /* bool, integers, decimal (scaled), date, time, datetime, enum */
    double d;         /* float */
    const char *s;    /* text, json, bytes (raw bytes), uuid (canonical text) */
    size_t slen;
    uint8_t uuid[16];
} smc_const;

struct smc_col {
    const char *name;      /* the field name: C member, smdl name */
    const char *column;    /* column name (@column or name); NULL if not a column */
    const char *json;      /* JSON key (@json or name); NULL for @json(skip) */
    smc_field *field;      /* the declaring field */
    smc_model *owner;      /* the model that made this copy: a data model shares
                            * its first base's copies, which sit at the same
                            * positions in its struct */
    uint32_t index;        /* position in owner->cols (and in every model sharing it) */
    smc_type type;         /* checked type; type.nullable as declared */
    bool pk, autoinc, unique, indexed, updated_at;
    /* Validation, merged from the field and its refined type. */
    int32_t min_len, max_len;          /* -1: none */
    uint8_t bounds;                    /* SM_B_* bits as in smdl/desc.h */
    int64_t lo_i, hi_i;                /* bounds of integer and decimal (scaled) fields */
    double lo_d, hi_d;                 /* bounds of float fields */
    const char *pattern;               /* @pattern, ERE source */
    const char *check_fn;              /* @check_fn C function name */
    /* Default. */
    uint8_t defkind;                   /* smc_defkind */
    smc_const deflt;
    smc_expr *deflt_expr;
    /* Foreign key (@fk). */
    smc_model *fk_model;
    smc_col *fk_col;
    uint8_t on_delete, on_update;      /* smc_fkaction */
    bool referenced;                   /* the target of some @fk */
    bool fk_failed;                    /* its @fk was reported: what builds on it stays quiet */
    /* Relationship (@rel): not a column. */
    uint8_t rel;                       /* smc_relkind */
    smc_model *rel_target;
    smc_col *rel_fk;                   /* ONE: own FK column (rel_reverse: the target's); MANY: target's FK column */
    smc_model *rel_through;            /* M2M: the link table */
    smc_col *rel_link_own, *rel_link_target; /* M2M: link columns to owner and target */
    const char *rel_name;              /* @rel(..., name: x), or the field name */
    /* What a load matches (sm_rel.own, .match): the owner's column whose
     * value is looked up (ONE: rel_fk; ONE from the other side and MANY:
     * the column rel_fk references; M2M: the column rel_link_own
     * references) and the column of the rows read that must equal it
     * (ONE: the column rel_fk references; ONE from the other side and
     * MANY: rel_fk, a column of the target; M2M: rel_link_own). */
    smc_col *rel_own, *rel_match;
    bool rel_reverse;                  /* ONE through a unique FK of the target (one-to-one) */
    const char *was;                   /* @was(old) */
    const char *doc;                   /* @doc("...") */
    /* @secret, on the field or its refined type; in a row type defined by
     * a projection, a column that some query fills from a secret value.
     * Its values never appear in traces or messages (SM_F_SECRET). */
    bool secret;
    /* Partial models: the column of the base this field copies. */
    smc_col *partial_src;
};

typedef struct smc_index {
    bool unique;
    bool primary;
    const char *name;      /* ix_/uq_<table>_<cols>, cut to 63 bytes */
    smc_col **cols;
    uint32_t ncols;
    smc_span span;
} smc_index;

typedef struct smc_tcheck {
    const char *name;      /* ck_<table>_<FNV-1a of its canonical text, 8 hex digits> */
    smc_expr *expr;
} smc_tcheck;

struct smc_model {
    smc_decl *decl;
    const char *name;      /* "Hero" */
    const char *snake;     /* "hero" */
    const char *upper;     /* "HERO" */
    const char *table;     /* table name (@table or snake); NULL unless a table */
    bool is_table, is_row, is_partial, is_mixin;
    bool implicit;         /* a row type defined by a query's projection */
    bool own;              /* declared in the file being compiled */
    bool checked;          /* sema: resolution done (cycle detection) */
    bool visiting;
    bool incomplete;       /* a base failed, so fields may be missing: quiet about them */
    bool key_failed;       /* its primary key was reported: what needs the key stays quiet */
    bool fk_failed;        /* some column's @fk was reported */
    uint32_t pos;          /* position in smc_sema.models */
    smc_model *partial_of;
    smc_model **bases;     /* the bases that resolved, in declaration order */
    uint32_t nbases;
    smc_model **derived;   /* the models that name this one as a base */
    uint32_t nderived;
    smc_col **cols;        /* struct order: bases' fields first */
    uint32_t ncols;
    uint32_t *col_index;   /* sema: open-addressing index of cols by name (i + 1; 0 empty) */
    uint32_t col_index_cap;
    smc_col **key;         /* primary key columns, in key order */
    uint32_t nkey;
    const char *pk_name;   /* pk_<table> */
    smc_index *indexes;    /* unique constraints and indexes, in declaration order */
    uint32_t nindexes;
    smc_tcheck *checks;
    uint32_t nchecks;
    bool forbid_unknown;   /* @json(forbid_unknown) */
    smc_model **partials;  /* tables: the partial models `_patch` takes */
    uint32_t npartials;
    smc_model **sources;   /* `<this>_from_<source>` conversions */
    uint32_t nsources;
    uint32_t fk_rank;      /* position in the module's creation order */
    bool fk_deferred;      /* some FK must be added after creation (cycle) */
    const char *doc;
    const char *was;       /* @was(OldModel): the model this table was, for migrations */
};

/* A model in the scope of an expression: FROM, JOIN or the table of a
 * check.  A column name in an expression points at its entry (`src`). */
typedef struct smc_scope_entry {
    smc_model *model;
    const char *alias;      /* how it is named in the query (the model name) */
    bool nullable;          /* right side of a left join */
    bool excluded;          /* `excluded` in an upsert: the row proposed */
} smc_scope_entry;

/* ---- Checked queries (sema_query.c) ----------------------------------------------- */

/* A result column of a select or `returning`. */
typedef struct smc_qcol {
    const char *name;      /* the row field it fills */
    smc_type type;         /* with computed nullability */
    smc_expr *expr;        /* projections and returning items */
    smc_col *col;          /* model selects: the column read */
    smc_scope_entry *src;  /* model selects: the model it is read from */
    bool secret;           /* its values come from a secret column (sema_secret.c) */
} smc_qcol;

/* A join: its scope entry and, without `on`, the foreign key it follows. */
typedef struct smc_qjoin {
    smc_join *ast;
    smc_scope_entry *entry;
    smc_scope_entry *fk_entry; /* the entry whose column is the FK */
    smc_col *fk;               /* FK column of fk_entry's model */
    smc_scope_entry *pk_entry; /* the entry it references */
} smc_qjoin;

typedef struct smc_qsel {
    smc_select *ast;
    smc_scope_entry *entries;  /* FROM first, then each JOIN */
    uint32_t nentries;
    smc_qjoin *joins;          /* nentries - 1 */
    bool model_select;         /* `select Hero ...` */
    smc_model *model;          /* the model selected */
    smc_qcol *cols;
    uint32_t ncols;
    bool grouped;              /* group by or aggregates */
    bool qualify;              /* column names need their table */
} smc_qsel;

/* A relationship that a query's `with` loads: one child load of the
 * lowered query, run in one statement for all the rows of its parent. */
typedef struct smc_qload {
    uint32_t parent;           /* index in loads of the parent, or SMC_LOAD_ROOT: the query's rows */
    smc_model *owner;          /* the model of the parent's rows */
    smc_col *rel;              /* the relationship field of owner it fills */
    smc_span span;             /* the path element, for messages */
} smc_qload;
#define SMC_LOAD_ROOT UINT32_MAX

/* Flags of the lowered query. */
enum {
    SMC_QF_READONLY = 1 << 0,  /* writes nothing: a select without a lock */
    SMC_QF_LOCK = 1 << 1,      /* a select that locks the rows it reads */
};

typedef struct smc_qinfo {
    smc_decl *decl;
    uint8_t ret;               /* smc_rkind */
    smc_model *row;            /* result rows; NULL for exec and scalars */
    bool scalar;               /* -> int, -> text?, ... */
    smc_type scalar_type;
    smc_param **opt;           /* optional parameters (`:p?`), bit k of the variant */
    uint32_t nopt;
    smc_param **choices;       /* sort and dir parameters, in order */
    uint32_t nchoices;
    uint32_t nvariants;
    uint32_t implicit_limit;   /* -> T adds LIMIT 2, -> T? LIMIT 1 (0: none) */
    int32_t timeout_ms;
    smc_qsel *sel;             /* the select (SELECT statements) */
    smc_model *target;         /* INSERT, UPDATE, DELETE: the table written */
    smc_qcol *returning;
    uint32_t nreturning;
    smc_col **insert_cols;     /* INSERT: the columns, in the written order */
    smc_col **set_cols;        /* UPDATE and upsert sets: the columns */
    smc_col **conflict_cols;
    uint32_t nconflict;
    /* Per parameter (by index): compared with, written to or matched
     * against a secret column, or of a secret refined type
     * (sema_secret.c); NULL when none is. */
    bool *secret;
    /* The lowered query, what the emitters print: the `where` of the
     * statement as a list of conjuncts joined by AND (the user's top-level
     * conjuncts in order, then any the compiler adds; a conjunct with an
     * absent `:p?` is dropped in that variant), the child loads of `with`
     * (parents first) and the flags. */
    smc_expr **conds;
    uint32_t nconds;
    smc_qload *loads;
    uint32_t nloads;
    uint32_t flags;            /* SMC_QF_* */
} smc_qinfo;

/* Everything the emitters need about the compilation. */
typedef struct smc_sema {
    smc_file *main;        /* the file being compiled */
    const char *module;    /* its module name */
    const char *file_base; /* file name without directory and ".smdl" */
    smc_model **models;    /* every model, table and row (own and imported) */
    uint32_t nmodels;
    smc_model **tables;    /* own tables in creation (FK) order */
    uint32_t ntables;
    smc_decl **enums;      /* every enum (own and imported) */
    uint32_t nenums;
    smc_qinfo **queries;   /* the own queries, in order */
    uint32_t nqueries;
    smc_file **imports;    /* directly and indirectly imported files */
    uint32_t nimports;
    /* emit_desc.c, built on first use: the FK columns that can block each
     * model's deletes, by smc_model.pos (fk_in_first[pos] to
     * fk_in_first[pos + 1] in fk_in), in the order sm_model.refs lists them. */
    uint32_t *fk_in_first;
    smc_col **fk_in;
    const smc_model **fk_in_child;
} smc_sema;

/* Loads the imports of the parsed file, checks everything and fills
 * ctx->sema (once per context: the checker annotates the AST).  A file
 * with parse_errors is checked for what parsed.  Returns false when
 * errors were reported, the file had parse errors, or memory ran out
 * (ctx->oom). */
bool smc_check(smc_ctx *ctx, smc_file *file);
/* Checks the queries of `queries` against the tables of `schema`, two
 * files parsed (not checked) in ctx (sema_against.c).  The checked file
 * holds schema's declarations but its queries, then the queries of
 * `queries`, its rows (in place of schema's rows of the same names: a
 * row is a query's result, not a table) and those of its other
 * declarations that are not tables (data models, types, enums) and that
 * schema does not declare; schema's imports are loaded, not those of
 * `queries`.  The declarations taken
 * keep their spans in `queries`, so the errors of its queries point into
 * its file.  Both files' declaration lists are relinked: neither can be
 * checked again.  Returns like smc_check. */
bool smc_check_against(smc_ctx *ctx, smc_file *schema, smc_file *queries);

/* The generated C API (api.c): one place that names every generated
 * function, so the emitters and the collision check agree. */
typedef enum smc_verb {
    SMC_V_INSERT,
    SMC_V_INSERT_MANY,
    SMC_V_GET,
    SMC_V_GET_MANY,
    SMC_V_UPDATE,
    SMC_V_PATCH,
    SMC_V_DELETE,
    SMC_V_VALIDATE,
    SMC_V_TO_JSON,
    SMC_V_FROM_JSON,
    SMC_V_LOAD,            /* <t>_load_<rel>: one object */
    SMC_V_LIST_LOAD,       /* <t>_list_load_<rel>: a T_list */
    SMC_V_LINK,            /* <t>_link_<target>: many-to-many only */
    SMC_V_UNLINK,
    SMC_V_CONVERT,
} smc_verb;

typedef struct smc_api_fn {
    smc_verb verb;
    const char *name;      /* "hero_insert", "hero_patch_hero_update", "hero_from_hero_create" */
    smc_model *other;      /* PATCH: the partial; CONVERT: the source */
    smc_col *rel;          /* LOAD, LIST_LOAD, LINK, UNLINK: the relationship field */
} smc_api_fn;

/* The functions generated for m, in header order (DESIGN 3.1). */
uint32_t smc_model_api(smc_ctx *ctx, smc_model *m, smc_api_fn **out);
/* The same without the conversions, which come last: a family of models
 * can have millions, and the collision check names them from their
 * models (smc_conversion_name) without building every string. */
uint32_t smc_model_api_verbs(smc_ctx *ctx, smc_model *m, smc_api_fn **out);
#define SMC_CONVERT_INFIX "_from_"
/* snake(t) SMC_CONVERT_INFIX snake(s): the conversion into t from s. */
const char *smc_conversion_name(smc_ctx *ctx, const smc_model *t, const smc_model *s);
/* The parameter names of `<t>_get_many`'s keys ("ids": the single key
 * field's name and 's'; "keys": objects, for a composite key), and of
 * `_link_`/`_unlink_` for many-to-many relationship rel of m (DESIGN 3.4:
 * <snake(owner)>_<field>, then <snake(target)>_<field>, or
 * <rel_name>_<field> when the target is the owner), as C spells them. */
const char *smc_get_many_param(smc_ctx *ctx, const smc_model *m);
void smc_link_params(smc_ctx *ctx, const smc_model *m, const smc_col *rel, const char **own,
                     const char **target);
/* Is c a relationship the checker resolved, which gets functions and an
 * sm_rel descriptor? */
bool smc_rel_loadable(const smc_col *c);
/* Nested conversions (DESIGN 3.4): the relationship field of source s
 * that fills field c of target t (a data model, or a list of them, whose
 * model converts from the relationship's target), or NULL. */
smc_col *smc_nested_source(const smc_col *c, const smc_model *s);
/* Does the conversion into t from s fill some field from a relationship
 * (so that it takes an arena and needs the relationships loaded)? */
bool smc_conversion_nested(const smc_model *t, const smc_model *s);
/* Is s among t's conversion sources? */
bool smc_has_source(const smc_model *t, const smc_model *s);
/* m's field named name (a column, a relationship or a nested model), or
 * NULL; constant time for the models the checker resolved. */
smc_col *smc_find_col(const smc_model *m, const char *name);
/* Does smc emit a struct and functions for m?  (Mixins emit nothing.) */
bool smc_model_emitted(const smc_model *m);
/* Does the struct carry `bool has_<name>` for c (nullable non-pointer
 * types, and every field of a partial model), or `bool <name>_null` (a
 * partial's nullable non-pointer field)? */
bool smc_col_has_flag(const smc_model *m, const smc_col *c);
bool smc_col_null_flag(const smc_model *m, const smc_col *c);
/* Fields that a value must provide: non-nullable, no default, not @auto. */
bool smc_col_required(const smc_col *c);
/* Can a value of type `from` be stored in a field of type `to` by plain
 * C assignment (same type, or a narrower integer, or non-null into
 * nullable)? */
bool smc_type_assignable(const smc_type *to, const smc_type *from);
/* Computes partials and conversion sources of every own model. */
void smc_api_plan(smc_ctx *ctx, smc_sema *s);

/* Names (names.c). */
const char *smc_snake(smc_ctx *ctx, const char *name);
const char *smc_upper(smc_ctx *ctx, const char *name);
/* Constraint names of DESIGN 5.1: cut to 63 bytes with an FNV-1a suffix. */
/* The tables a database of the schema holds: its own tables and the
 * imported tables they reference through foreign keys, transitively,
 * each after those it references (sema_db.c).  What a migration snapshot
 * holds and the differ compares; *n receives the count. */
smc_model **smc_db_tables(smc_ctx *ctx, const smc_sema *s, uint32_t *n);

const char *smc_constraint_name(smc_ctx *ctx, const char *prefix, const char *table,
                                smc_col *const *cols, uint32_t ncols);
const char *smc_limit_name(smc_ctx *ctx, const char *name);
/* FNV-1a, 32 bits. */
uint32_t smc_fnv1a(const char *s);
/* The i-th attribute the checker knows (without '@'), NULL past the last:
 * the list editors and completion offer. */
const char *smc_known_attr(size_t i);
/* The built-in type names, NULL-terminated. */
extern const char *const smc_builtin_types[];

/* Is id a C or C++ keyword (or a name the generated code's headers use)? */
bool smc_c_keyword(const char *id);
/* A parameter or local name for generated C: keywords get a '_' suffix. */
const char *smc_c_local(smc_ctx *ctx, const char *name);

/* What the names of a checked file resolved to (index.c), for editors:
 * set ctx->refs to a zeroed smc_refs (in the arena) before smc_check.
 * A use is the span of the name as written; what it denotes is a
 * declaration (smc_decl, SMC_REF_DECL), a column or relationship
 * (smc_col, whose field declares it), an enum member (the enum's
 * smc_decl, `sub` the member's index) or a query parameter (smc_param). */
typedef enum smc_ref_kind { SMC_REF_DECL, SMC_REF_COL, SMC_REF_MEMBER, SMC_REF_PARAM } smc_ref_kind;
typedef struct smc_ref {
    smc_span use;
    uint8_t kind;      /* smc_ref_kind */
    uint32_t sub;
    const void *target;
} smc_ref;
typedef struct smc_refs {
    smc_ref *items;    /* in the order the checker resolved them */
    size_t len;
} smc_refs;
/* Records one use (the checker calls it through smc_index_ref). */
void smc_refs_add(smc_ctx *ctx, smc_span use, int kind, const void *target, uint32_t sub);
/* The span of the name that declares what r denotes (no file if none). */
smc_span smc_ref_def(const smc_ref *r);

/* Databases by name (dialect.c): "sqlite", "postgres", "mysql", indexed
 * by sm_dialect; smc_dialect_id also takes "postgresql" and "mariadb"
 * and returns -1 for any other name. */
extern const char *const smc_dialect_names[SM_NDIALECTS];
int smc_dialect_id(const char *name);

/* Types (types.c). */
const char *smc_type_name(smc_ctx *ctx, const smc_type *t); /* "int?", "Power", "decimal(10,2)" */
/* The smdl name of a foreign key action ("cascade"), NULL for the default. */
const char *smc_fk_action_name(int action);
bool smc_type_is_int(const smc_type *t);     /* int, i32, i16 */
bool smc_type_is_numeric(const smc_type *t); /* ints, float, decimal */
bool smc_type_is_text(const smc_type *t);
bool smc_type_pointer(const smc_type *t);    /* C type is a pointer: text, json */
/* The enum member index of name in enum decl e, or -1. */
int smc_enum_member(const smc_decl *e, const char *name);

#endif
