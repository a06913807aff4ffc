/*
 * ast.h: the syntax tree of a .smdl file, and the annotations the checker
 * adds to it.  Every node carries its source span.  Lists are singly
 * linked through `next`, in source order.  Names are NUL-terminated copies
 * in the arena.  The parser fills the syntax part; sema*.c fills the parts
 * marked "sema".
 */
#ifndef SMC_AST_H
#define SMC_AST_H

#include "smc.h"

typedef struct smc_decl smc_decl;
typedef struct smc_expr smc_expr;
typedef struct smc_select smc_select;

typedef struct smc_name {
    const char *s; /* NULL when absent */
    smc_span span;
} smc_name;

/* A list of names: `(a, b)`, bases, `with` paths. */
typedef struct smc_ident {
    smc_name name;
    /* A `with` path of several elements: each name with its own span
     * (nparts == 0: the path is the single element `name`). */
    smc_name *parts;
    uint32_t nparts;
    struct smc_ident *next;
} smc_ident;

/* ---- Types --------------------------------------------------------------- */

/* Base kinds of checked types. */
typedef enum smc_base {
    SMC_B_ERROR = 0, /* already reported: suppresses follow-on errors */
    SMC_B_BOOL,
    SMC_B_INT,
    SMC_B_I32,
    SMC_B_I16,
    SMC_B_FLOAT,
    SMC_B_DECIMAL,
    SMC_B_TEXT,
    SMC_B_BYTES,
    SMC_B_DATE,
    SMC_B_TIME,
    SMC_B_DATETIME,
    SMC_B_UUID,
    SMC_B_JSON,
    SMC_B_ENUM,  /* decl: the enum */
    SMC_B_MODEL, /* decl: a model, table or row */
    SMC_B_SORT,  /* query parameters only; decl: the query */
    SMC_B_DIR,
    SMC_B_NULL,  /* the type of `null` */
} smc_base;

typedef struct smc_type {
    uint8_t base;      /* smc_base */
    bool nullable;     /* T? */
    bool list;         /* [T] */
    uint8_t precision; /* decimal(p, s) */
    uint8_t scale;
    smc_decl *decl;    /* enum, model or refined type's target */
} smc_type;

/* An argument of a type: `decimal(10, 2)`, `sort(name, age)`. */
typedef struct smc_targ {
    bool is_int;
    int64_t ival;
    smc_name name;
    smc_span span;
    struct smc_targ *next;
} smc_targ;

/* A type as written. */
typedef struct smc_typeref {
    smc_name name;     /* "int", "Hero", "decimal", "sort", "dir", an alias */
    smc_targ *args;    /* decimal and sort arguments */
    bool has_args;
    bool list;         /* [name] */
    bool nullable;     /* name? */
    smc_span span;
    smc_type type;     /* sema */
    smc_decl *refined; /* sema: the `type` declaration it names, if any */
} smc_typeref;

/* ---- Attributes ------------------------------------------------------------ */

typedef struct smc_arg {
    smc_name label; /* `on_delete:` in @fk(..., on_delete: cascade); s NULL if none */
    smc_expr *value;
    smc_span span;
    struct smc_arg *next;
} smc_arg;

typedef struct smc_attr {
    smc_name name;   /* without the '@' */
    smc_arg *args;
    uint32_t nargs;
    bool has_parens;
    smc_span span;   /* '@' to ')' */
    bool used;       /* sema: recognised and consumed */
    bool bad;        /* sema: reported as wrong; ignored from then on */
    const char *meant; /* sema: for an unknown attribute, the known one it is
                        * closest to, or "" for none (what builds on the
                        * attribute it may have meant stays quiet) */
    struct smc_attr *next;
} smc_attr;

/* ---- Expressions -------------------------------------------------------------- */

typedef enum smc_ekind {
    SMC_EX_INT,      /* ival */
    SMC_EX_FLOAT,    /* fval */
    SMC_EX_STRING,   /* sval, slen */
    SMC_EX_BOOL,     /* ival 0/1 */
    SMC_EX_NULL,
    SMC_EX_DURATION, /* ival: milliseconds */
    SMC_EX_NAME,     /* qual.name or name */
    SMC_EX_PARAM,    /* :name, :name? (optional) */
    SMC_EX_CALL,     /* name(args); `count()` has no args */
    SMC_EX_UNARY,    /* op a */
    SMC_EX_BINARY,   /* a op b */
    SMC_EX_IS_NULL,  /* a is [not] null */
    SMC_EX_BETWEEN,  /* a [not] between b and c */
    SMC_EX_IN,       /* a [not] in :param (b) or in (select) (sub) */
    SMC_EX_EXISTS,   /* exists (select) */
    SMC_EX_SUBQUERY, /* (select ...) as a scalar */
} smc_ekind;

typedef enum smc_op {
    SMC_OP_NONE = 0,
    SMC_OP_OR,
    SMC_OP_AND,
    SMC_OP_NOT,
    SMC_OP_EQ,
    SMC_OP_NE,
    SMC_OP_LT,
    SMC_OP_LE,
    SMC_OP_GT,
    SMC_OP_GE,
    SMC_OP_LIKE,
    SMC_OP_ADD,
    SMC_OP_SUB,
    SMC_OP_MUL,
    SMC_OP_DIV,
    SMC_OP_NEG,
    SMC_OP_PLUS,
} smc_op;

struct smc_expr {
    uint8_t kind;     /* smc_ekind */
    uint8_t op;       /* smc_op for UNARY and BINARY */
    bool negated;     /* not like, not in, not between, is not null */
    bool optional;    /* :p? */
    bool parens;      /* written in parentheses (fmt keeps them) */
    uint16_t depth;   /* height of the tree below, bounded by the parser */
    smc_span span;
    int64_t ival;
    double fval;
    const char *sval; /* decoded string, NUL-terminated */
    size_t slen;
    smc_name qual;    /* NAME: the qualifier (Team in Team.name) */
    smc_name name;    /* NAME, PARAM, CALL */
    smc_expr *a, *b, *c;
    smc_expr *args;   /* CALL arguments */
    uint32_t nargs;
    smc_select *sub;  /* IN, EXISTS, SUBQUERY */
    smc_expr *next;   /* in lists */
    /* sema */
    smc_type type;
    bool aggregate;        /* contains an aggregate call */
    struct smc_col *col;   /* NAME: the column it names */
    struct smc_scope_entry *src; /* NAME: which FROM/JOIN entry */
    struct smc_param *param;    /* PARAM */
};

/* ---- Declarations ------------------------------------------------------------- */

typedef enum smc_dkind {
    SMC_D_IMPORT,
    SMC_D_TYPE,
    SMC_D_ENUM,
    SMC_D_MODEL, /* model, table, partial */
    SMC_D_ROW,
    SMC_D_QUERY,
} smc_dkind;

typedef struct smc_member {  /* enum member */
    smc_name name;
    smc_attr *attrs;
    uint32_t index;
    struct smc_member *next;
} smc_member;

typedef struct smc_field {
    smc_name name;
    smc_typeref *type;
    smc_attr *attrs;
    smc_expr *deflt;   /* `= expr` or NULL */
    smc_span span;
    smc_decl *owner;   /* the model that declares it */
    struct smc_col *col; /* sema: its column in that model */
    struct smc_field *next;
} smc_field;

typedef enum smc_ckind { SMC_C_INDEX, SMC_C_UNIQUE, SMC_C_CHECK, SMC_C_PRIMARY_KEY } smc_ckind;

/* index (...), unique (...), check (expr), primary key (...) in a model body. */
typedef struct smc_constraint {
    uint8_t kind;   /* smc_ckind */
    smc_ident *cols;
    smc_expr *check;
    smc_attr *attrs;
    smc_span span;
    struct smc_constraint *next;
} smc_constraint;

/* Body items in source order, so the formatter can reproduce them. */
typedef struct smc_item {
    smc_field *field;        /* one of the two */
    smc_constraint *constraint;
    struct smc_item *next;
} smc_item;

/* ---- Statements ------------------------------------------------------------------ */

typedef struct smc_selitem {
    smc_expr *expr;
    smc_name alias;
    smc_span span;
    struct smc_selitem *next;
} smc_selitem;

typedef struct smc_join {
    bool left;
    smc_name model;
    smc_expr *on;
    smc_span span;
    struct smc_join *next;
} smc_join;

typedef enum smc_odir { SMC_ORDER_DEFAULT = 0, SMC_ORDER_ASC, SMC_ORDER_DESC } smc_odir;
typedef enum smc_nulls { SMC_NULLS_DEFAULT = 0, SMC_NULLS_FIRST, SMC_NULLS_LAST } smc_nulls;

typedef struct smc_order {
    smc_expr *expr;
    uint8_t dir;         /* smc_odir */
    smc_name dir_param;  /* `:dir` instead of asc/desc */
    uint8_t nulls;       /* smc_nulls */
    smc_span span;
    struct smc_order *next;
} smc_order;

typedef enum smc_lock { SMC_LOCK_NONE = 0, SMC_LOCK_UPDATE, SMC_LOCK_SHARE } smc_lock;

struct smc_select {
    bool distinct;
    smc_selitem *items;
    smc_name from;
    smc_join *joins;
    smc_expr *where;
    smc_expr *group_by;  /* list through next */
    smc_expr *having;
    smc_order *order;
    smc_expr *limit, *offset;
    uint8_t lock;        /* smc_lock */
    smc_span span;
    struct smc_qsel *sema; /* sema: the checked form */
};

typedef struct smc_set {
    smc_name col;
    smc_expr *value;
    smc_span span;
    struct smc_set *next;
} smc_set;

typedef struct smc_conflict {
    smc_ident *cols;
    bool do_nothing;
    smc_set *sets;
    smc_span span;
} smc_conflict;

typedef enum smc_skind { SMC_S_SELECT, SMC_S_INSERT, SMC_S_UPDATE, SMC_S_DELETE } smc_skind;

typedef struct smc_stmt {
    uint8_t kind;          /* smc_skind */
    smc_span span;
    smc_select *select;    /* SELECT */
    smc_name target;       /* INSERT, UPDATE, DELETE: the model */
    smc_ident *cols;       /* INSERT columns */
    smc_expr *values;      /* INSERT values, list */
    smc_conflict *conflict;/* INSERT ... on conflict */
    smc_set *sets;         /* UPDATE */
    smc_expr *where;       /* UPDATE, DELETE */
    smc_selitem *returning;/* list, or NULL */
    bool has_returning;
} smc_stmt;

typedef struct smc_param {
    smc_name name;
    smc_typeref *type;
    smc_span span;
    uint32_t index;
    bool used;             /* sema */
    bool collected;        /* sema: listed in its query's optional or choice parameters */
    uint32_t field;        /* sema: its field in the arguments struct, or UINT32_MAX */
    struct smc_param *next;
} smc_param;

typedef enum smc_rkind {
    SMC_R_LIST,   /* [T] */
    SMC_R_ONE,    /* T */
    SMC_R_OPT,    /* T? */
    SMC_R_EACH,   /* each T */
    SMC_R_EXEC,   /* exec */
} smc_rkind;

typedef struct smc_ret {
    uint8_t kind;    /* smc_rkind */
    smc_name type;   /* T */
    smc_ident *with; /* with a, b.c: paths joined by '.' in name */
    smc_span span;
} smc_ret;

/* Raw SQL: one text for every dialect, or one per named dialect. */
typedef struct smc_rawsql {
    smc_name dialect;  /* s NULL: all dialects */
    const char *sql;
    smc_span span;
    struct smc_rawsql *next;
} smc_rawsql;

typedef struct smc_query {
    struct smc_qinfo *sema; /* sema: the checked query */
    smc_param *params;
    uint32_t nparams;
    smc_map param_index;    /* sema: name -> the first parameter of that name */
    uint32_t nbinds;        /* sema: placeholders its parameters' uses can write */
    smc_ret ret;
    smc_stmt *stmt;     /* or */
    smc_rawsql *raw;
} smc_query;

struct smc_decl {
    uint8_t kind;          /* smc_dkind */
    smc_name name;         /* IMPORT: the path string in name.s */
    /* IMPORT, sema: the file it names (NULL when it could not be loaded),
     * and whether that file imports this one back, directly or through
     * other files (their generated headers then include each other). */
    struct smc_file *imported;
    bool mutual;
    smc_attr *attrs;
    smc_span span;         /* whole declaration */
    struct smc_file *file;
    /* TYPE */
    smc_typeref *alias;
    /* ENUM */
    smc_member *members;
    uint32_t nmembers;
    /* MODEL, ROW */
    bool is_table;
    smc_ident *bases;
    smc_name partial_of;   /* `= partial B` */
    smc_item *items;       /* body in source order */
    smc_field *fields;     /* the fields among items */
    smc_constraint *constraints;
    smc_span body_span;    /* '{' to '}' */
    /* QUERY */
    smc_query *query;
    /* sema */
    smc_map member_index;    /* ENUM: name -> the first member of that name */
    uint8_t state;           /* TYPE: 0 unresolved, 1 resolving, 2 resolved */
    struct smc_rbounds *rbounds; /* TYPE, sema: validation merged along its chain */
    struct smc_model *model; /* MODEL, ROW */
    struct smc_decl *next;
};

/* A comment, kept for the formatter. */
typedef struct smc_comment {
    smc_span span;
    bool block;
    struct smc_comment *next;
} smc_comment;

typedef struct smc_file {
    uint32_t source;       /* index into ctx->files */
    smc_name module;
    smc_attr *module_attrs;
    smc_span module_span;
    smc_decl *decls;       /* everything, in order, imports included */
    smc_comment *comments;
    uint32_t ntokens;
    /* Errors were reported while parsing: decls holds the declarations
     * that parsed, and `broken` the names of those that did not (name ->
     * its smc_name), so that the checker stays quiet about references to
     * them. */
    bool parse_errors;
    smc_map broken;
    /* sema: the file imports the compiled file back, directly or through
     * other files; it sees the compiled file's declarations. */
    bool mutual;
} smc_file;

/* ---- Builders called from grammar actions (ast.c) -------------------------------- */

/* A list being built and its last node (ast.c). */
typedef struct smc_tail {
    void *head, *tail;
} smc_tail;

/* The parser's state, passed to every action as %extra_context. */
typedef struct smc_parse {
    smc_ctx *ctx;
    smc_file *file;
    const char *text;    /* the source text */
    smc_decl *last_decl;
    uint32_t ndecls;     /* declarations begun: counted by smc_ast_decl */
    bool failed;         /* an error was reported: the declaration is lost */
    smc_span last_tok;   /* the last token shifted, for messages */
    smc_tail *tails;     /* open addressing by head: every list's tail, so */
    size_t ntails, captails; /* appending to one is O(1) however lists nest */
    /* The text being joined from adjacent pieces (a string from adjacent
     * literals, a `with` path from names): it grows in place with room
     * to spare, so n pieces cost O(total length), not O(n^2). */
    const void *join_owner; /* the node whose text is join_buf */
    char *join_buf;
    size_t join_cap;
} smc_parse;

/* A token as the lexer hands it to the parser: a view into the source. */
typedef struct smc_token {
    uint32_t off, len;
    int64_t ival;       /* INT (2^63 arrives as INT64_MIN), DURATION (ms) */
} smc_token;

/* Small values passed between grammar rules. */
typedef struct smc_dirspec {
    int value;          /* smc_odir, smc_nulls or smc_lock */
    smc_span span;
    smc_name param;     /* `:dir` */
} smc_dirspec;
typedef struct smc_limit {
    smc_expr *limit, *offset;
} smc_limit;

smc_name smc_ast_name(smc_parse *p, smc_token t);
smc_span smc_ast_span(smc_parse *p, smc_token t);
smc_span smc_span_join(smc_span a, smc_span b);

/* Declarations.  smc_ast_decl appends d (NULL: none, for the module)
 * and counts the boundary; smc_ast_module records the module and
 * returns NULL. */
void smc_ast_decl(smc_parse *p, smc_decl *d);
smc_decl *smc_ast_module(smc_parse *p, smc_span kw, smc_name name, smc_attr *attrs, smc_span end);
smc_decl *smc_ast_import(smc_parse *p, smc_span kw, smc_expr *path, smc_span end);
smc_decl *smc_ast_type(smc_parse *p, smc_span kw, smc_name name, smc_typeref *t, smc_attr *attrs,
                       smc_span end);
smc_decl *smc_ast_enum(smc_parse *p, smc_span kw, smc_name name, smc_attr *attrs,
                       smc_member *members, smc_span end);
smc_member *smc_ast_member(smc_parse *p, smc_name name, smc_attr *attrs);
smc_member *smc_ast_members_add(smc_parse *p, smc_member *list, smc_member *m);
smc_decl *smc_ast_model(smc_parse *p, smc_span kw, bool is_table, smc_name name, smc_ident *bases,
                        smc_attr *attrs, smc_item *items, smc_span lbrace, smc_span rbrace);
smc_decl *smc_ast_partial(smc_parse *p, smc_span kw, smc_name name, smc_ident *bases,
                          smc_attr *attrs, smc_name base, smc_span end);
smc_decl *smc_ast_row(smc_parse *p, smc_span kw, smc_name name, smc_item *items, smc_span lbrace,
                      smc_span rbrace);
smc_item *smc_ast_items_add(smc_parse *p, smc_item *list, smc_item *it);
smc_item *smc_ast_field(smc_parse *p, smc_name name, smc_typeref *t, smc_attr *attrs,
                        smc_expr *deflt, smc_span end);
smc_item *smc_ast_constraint(smc_parse *p, smc_span kw, int kind, smc_ident *cols, smc_expr *check,
                             smc_span end);
smc_ident *smc_ast_ident(smc_parse *p, smc_name name);
smc_ident *smc_ast_idents_add(smc_parse *p, smc_ident *list, smc_ident *id);
/* Extends the last path of a `with` list by ".name". */
smc_ident *smc_ast_path_add(smc_parse *p, smc_ident *path, smc_name name);

/* Types and attributes. */
smc_typeref *smc_ast_typeref(smc_parse *p, smc_name name, smc_targ *args, bool has_args,
                             bool nullable, smc_span end);
smc_typeref *smc_ast_typeref_list(smc_parse *p, smc_span lbracket, smc_name name, smc_span end);
smc_targ *smc_ast_targ_int(smc_parse *p, smc_token t);
smc_targ *smc_ast_targ_name(smc_parse *p, smc_name name);
smc_targ *smc_ast_targs_add(smc_parse *p, smc_targ *list, smc_targ *a);
smc_attr *smc_ast_attr(smc_parse *p, smc_token at, smc_arg *args, bool has_parens, smc_span end);
smc_attr *smc_ast_attrs_add(smc_parse *p, smc_attr *list, smc_attr *a);
smc_arg *smc_ast_arg(smc_parse *p, smc_name label, smc_expr *value);
smc_arg *smc_ast_args_add(smc_parse *p, smc_arg *list, smc_arg *a);

/* Expressions. */
smc_expr *smc_ast_int(smc_parse *p, smc_token t);
smc_expr *smc_ast_float(smc_parse *p, smc_token t);
smc_expr *smc_ast_duration(smc_parse *p, smc_token t);
smc_expr *smc_ast_string(smc_parse *p, smc_token t);
smc_expr *smc_ast_string_cat(smc_parse *p, smc_expr *s, smc_token t);
smc_expr *smc_ast_literal(smc_parse *p, smc_span at, int kind, int64_t v);
smc_expr *smc_ast_column(smc_parse *p, smc_name qual, smc_name name);
smc_expr *smc_ast_param(smc_parse *p, smc_span colon, smc_name name, bool optional, smc_span end);
smc_expr *smc_ast_call(smc_parse *p, smc_name name, smc_expr *args, smc_span end);
smc_expr *smc_ast_unary(smc_parse *p, smc_span at, int op, smc_expr *a);
smc_expr *smc_ast_binary(smc_parse *p, int op, smc_expr *a, smc_expr *b);
smc_expr *smc_ast_like(smc_parse *p, smc_expr *a, int negated, smc_expr *b);
smc_expr *smc_ast_is_null(smc_parse *p, smc_expr *a, bool negated, smc_span end);
smc_expr *smc_ast_between(smc_parse *p, smc_expr *a, int negated, smc_expr *lo, smc_expr *hi);
smc_expr *smc_ast_in_param(smc_parse *p, smc_expr *a, int negated, smc_expr *param);
smc_expr *smc_ast_in_select(smc_parse *p, smc_expr *a, int negated, smc_select *s, smc_span end);
smc_expr *smc_ast_exists(smc_parse *p, smc_span kw, smc_select *s, smc_span end);
smc_expr *smc_ast_subquery(smc_parse *p, smc_span lparen, smc_select *s, smc_span end);
smc_expr *smc_ast_parens(smc_parse *p, smc_span lparen, smc_expr *e, smc_span rparen);
smc_expr *smc_ast_exprs_add(smc_parse *p, smc_expr *list, smc_expr *e);

/* Queries and statements. */
smc_decl *smc_ast_query(smc_parse *p, smc_span kw, smc_name name, smc_param *params, smc_ret ret,
                        smc_attr *attrs, smc_stmt *stmt, smc_rawsql *raw, smc_span end);
smc_param *smc_ast_param_decl(smc_parse *p, smc_name name, smc_typeref *t);
smc_param *smc_ast_params_add(smc_parse *p, smc_param *list, smc_param *q);
smc_ret smc_ast_ret(smc_parse *p, smc_span start, int kind, smc_name type, smc_ident *with,
                    smc_span end);
smc_rawsql *smc_ast_rawsql(smc_parse *p, smc_name dialect, smc_expr *str);
smc_rawsql *smc_ast_rawsqls_add(smc_parse *p, smc_rawsql *list, smc_rawsql *r);
smc_select *smc_ast_select(smc_parse *p, smc_span kw, int distinct, smc_selitem *items,
                           smc_name from, smc_join *joins, smc_expr *where, smc_expr *group_by,
                           smc_expr *having, smc_order *order, smc_limit limit, smc_dirspec lock);
smc_selitem *smc_ast_selitem(smc_parse *p, smc_expr *e, smc_name alias);
smc_selitem *smc_ast_selitems_add(smc_parse *p, smc_selitem *list, smc_selitem *it);
smc_join *smc_ast_join(smc_parse *p, smc_span kw, bool left, smc_name model, smc_expr *on);
smc_join *smc_ast_joins_add(smc_parse *p, smc_join *list, smc_join *j);
smc_dirspec smc_ast_dir(smc_parse *p, int value, const smc_token *kw);
smc_dirspec smc_ast_dir_param(smc_parse *p, smc_span colon, smc_name param);
smc_order *smc_ast_order(smc_parse *p, smc_expr *e, smc_dirspec dir, smc_dirspec nulls);
smc_order *smc_ast_orders_add(smc_parse *p, smc_order *list, smc_order *o);
smc_stmt *smc_ast_stmt_select(smc_parse *p, smc_select *s);
smc_stmt *smc_ast_stmt_insert(smc_parse *p, smc_span kw, smc_name target, smc_ident *cols,
                              smc_expr *values, smc_span values_end, smc_conflict *c,
                              smc_selitem *returning);
smc_stmt *smc_ast_stmt_update(smc_parse *p, smc_span kw, smc_name target, smc_set *sets,
                              smc_expr *where, smc_selitem *returning);
smc_stmt *smc_ast_stmt_delete(smc_parse *p, smc_span kw, smc_name target, smc_expr *where,
                              smc_selitem *returning);
smc_set *smc_ast_set(smc_parse *p, smc_name col, smc_expr *value);
smc_set *smc_ast_sets_add(smc_parse *p, smc_set *list, smc_set *s);
smc_conflict *smc_ast_conflict(smc_parse *p, smc_span kw, smc_ident *cols, bool nothing,
                               smc_set *sets, smc_span end);

/* ---- Parsing (parse.c) ----------------------------------------------------------- */

/* Parses ctx->files[source] into its AST (ctx->files[source]->ast).  An
 * error loses the declaration it is in, not the file: parsing resumes at
 * the next declaration, and the file comes back with parse_errors set,
 * holding what parsed.  NULL when the file has no module declaration
 * (reported unless another error was) or on running out of memory. */
smc_file *smc_parse_file(smc_ctx *ctx, uint32_t source);

/* The terminals the grammar accepts at byte `offset` of text[0..len),
 * for completion: the prefix before the cursor is parsed (a word or
 * attribute being typed at the cursor is left out of it) and every
 * token that may come next is named, in token order: a keyword by its
 * text ("model", "where"), punctuation as written ("{", "->"), and
 * "identifier", "string", "number" or "attribute" for those kinds.  A
 * keyword accepted there only as a name counts as "identifier".  Writes
 * at most cap spellings (static strings) to out and returns how many
 * there are; 0 when the prefix has an error, or the cursor is in a
 * comment.  ctx is left untouched but for its memory budget, which the
 * scratch parse observes. */
size_t smc_parse_expected(smc_ctx *ctx, const char *text, uint32_t len, uint32_t offset,
                          const char **out, size_t cap);

#endif
