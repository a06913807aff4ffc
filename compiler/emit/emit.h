/*
 * emit.h: the emitters.  Each writes one artifact into an sm_buf from the
 * checked schema (ctx->sema):
 *   emit_struct.c     the header: enums, structs, _INIT macros, prototypes
 *   emit_desc.c       the descriptor tables of the .c file
 *   emit_crud.c       the typed wrappers of the .c file (CRUD, validation,
 *                     JSON, conversions, module functions)
 *   emit_query.c      the C of queries: enums, prototypes, descriptors, wrappers
 *   emit_query_sql.c  the SQL of queries, per variant and dialect
 *   emit_sql.c        the SQL of CRUD statements and patches, per dialect
 *   emit_rel.c        the SQL of relationships: loads, link, unlink, FK probes
 *   emit_ddl.c        DDL, one piece (column, key, index, FK, check, table) at a time
 *   emit_expr.c       SQL expressions, per dialect
 *   emit_listing.c    `smc sql`
 *   jsonschema.c      `smc jsonschema`
 * emit_c.c holds what they share about C types and values; emit_cwrite.c
 * is the one path for C literals, comments and names; emit_out.h the one
 * way to append output (a failed append unwinds as out of memory).
 */
#ifndef SMC_EMIT_H
#define SMC_EMIT_H

#include "dialect.h"
#include "emit_out.h"

/* The two generated files. */
void smc_emit_header(smc_ctx *ctx, sm_buf *out);
void smc_emit_source(smc_ctx *ctx, sm_buf *out);
/* The descriptor tables of the .c file (emit_desc.c); sets *needs_pragma
 * when an SQL text is longer than C promises to accept. */
void smc_emit_descriptors(smc_ctx *ctx, sm_buf *out, bool *needs_pragma);
/* `smc jsonschema` (jsonschema.c): the JSON Schema of every model's JSON
 * as one draft 2020-12 document, or (openapi) the map of schemas by name
 * that OpenAPI 3.1 holds in components.schemas. */
void smc_emit_jsonschema(smc_ctx *ctx, bool openapi, sm_buf *out);
/* `smc sql`: the DDL of the module and every statement, for one dialect. */
void smc_emit_sql_listing(smc_ctx *ctx, const smc_dialect *d, sm_buf *out);

/* ---- emit_cwrite.c ---------------------------------------------------------------- */

/* A C string literal holding exactly s[0..n): quotes, backslashes,
 * control and non-ASCII bytes escaped, and no '?' pair left to form a
 * trigraph. */
void smc_c_string(sm_buf *b, const char *s, size_t n);
/* Appends indent and text as a block comment, then a newline: each line
 * of text a line of the comment; no pair of characters in text can close
 * it, open another or form a trigraph, and control characters become
 * spaces. */
void smc_c_comment(sm_buf *b, const char *indent, const char *text);
/* Is id an identifier C and C++ leave to programs: [A-Za-z][A-Za-z0-9_]*
 * without "__"? */
bool smc_c_ident_ok(const char *id);
/* The kinds of names the .c file gives its static data and types. */
typedef enum smc_cname {
    SMC_N_INIT, SMC_N_KEY, SMC_N_FKS, SMC_N_SQL, SMC_N_CHECK, SMC_N_PATTERN, SMC_N_CHECKFN,
    SMC_N_FIELDS, SMC_N_MODEL, SMC_N_MEMBERS, SMC_N_ENUM, SMC_N_PATCH, SMC_N_PATCHCOLS,
    SMC_N_ASSIGN, SMC_N_VIEW, SMC_N_VIEWFIELDS, SMC_N_ARGS, SMC_N_ARGFIELDS, SMC_N_ARGMODEL,
    SMC_N_ROW, SMC_N_ROWINIT, SMC_N_ROWFIELDS, SMC_N_ROWMODEL, SMC_N_ARGLIST, SMC_N_PRE,
    SMC_N_POST, SMC_N_VARIANTS, SMC_N_QUERY, SMC_N_EACH, SMC_N_ROWFN, SMC_N_RELS,
    SMC_N_REFS, SMC_N_LOADS,
    SMC_N_COUNT
} smc_cname;
/* The internal name of a kind of thing of a declaration (owner: its C
 * name; index < 0: none): "smdl_init_Hero", "smdl_pre_heroes_page_3".
 * Distinct parts give distinct names, by construction. */
const char *smc_c_internal(smc_ctx *ctx, smc_cname kind, const char *owner, int index);
/* The same for members of the static struct `smdl`: "model_Hero". */
const char *smc_c_member(smc_ctx *ctx, smc_cname kind, const char *owner);
/* The include guard of a generated header: SMDL_<UPPER(file)>_H. */
const char *smc_c_guard(smc_ctx *ctx, const char *file_base);

/* ---- emit_c.c -------------------------------------------------------------------- */

/* The C type of a column: "int64_t", "const char *", "Team *", ... */
const char *smc_c_type(smc_ctx *ctx, const smc_col *c);
/* Appends the initializer of c's value in X_INIT (its default or zero)
 * and of its flags. */
void smc_c_init_value(smc_ctx *ctx, sm_buf *b, const smc_model *m, const smc_col *c);
/* The sm_type name of a column: "SM_T_INT". */
const char *smc_c_sm_type(const smc_col *c);
/* The C parameter declaration of a key column: "int64_t id", "const char *code". */
const char *smc_c_param(smc_ctx *ctx, const smc_col *c, const char *name);
/* Appends ", <param>" for each key column of m, in key order. */
void smc_c_key_params(smc_ctx *ctx, sm_buf *b, const smc_model *m);
/* The keys parameter of `<t>_get_many`: "const int64_t *ids",
 * "const char *const *codes", "const HeroTeamLink *keys". */
void smc_c_get_many_keys(smc_ctx *ctx, sm_buf *b, const smc_model *m);
/* The first line of every generated file. */
void smc_c_banner(smc_ctx *ctx, sm_buf *b);
/* The models of this file that get descriptors: own emitted models, the
 * rows of its queries, and the imported models they nest or reach
 * through relationships (targets, link tables), transitively. */
uint32_t smc_described_models(smc_ctx *ctx, smc_model ***out);
/* The enums this file describes: those its models and queries use (a
 * descriptor nothing refers to would be an unused static). */
uint32_t smc_described_enums(smc_ctx *ctx, smc_decl ***out);

/* ---- emit_sql.c -------------------------------------------------------------------- */

enum {
    SMC_SQL_INSERT,
    SMC_SQL_INSERT_AUTO,
    SMC_SQL_GET,
    SMC_SQL_UPDATE,
    SMC_SQL_DELETE,
    SMC_SQL_ROWS_PREFIX,
    SMC_SQL_ROWS_AUTO_PREFIX,
    SMC_SQL_ROWS_AUTO_SUFFIX,
    SMC_SQL_MANY_PREFIX,
    SMC_SQL_MANY_TUPLE,
    SMC_SQL_MANY_SUFFIX,
    SMC_SQL_NSTMTS
};
/* The SQL of a table statement (sm_table_sql); empty when it does not
 * apply (insert_auto without an @auto key). */
void smc_sql_crud(smc_ctx *ctx, const smc_dialect *d, const smc_model *m, int which, sm_buf *out);
/* The patch statement with every field of the partial set (for listings),
 * and its fragments (sm_patch_desc). */
void smc_sql_patch(smc_ctx *ctx, const smc_dialect *d, const smc_model *table,
                   const smc_model *partial, sm_buf *out);
/* A fragment of a patch: `UPDATE "t" SET `, the assignment that changes
 * nothing (`"key" = "key"`, for a SET with nothing else to write, also
 * in updates and queries), ` WHERE` on the key. */
enum { SMC_PATCH_UPDATE, SMC_PATCH_NOOP, SMC_PATCH_WHERE };
void smc_sql_patch_part(const smc_dialect *d, const smc_model *table, int part, sm_buf *out);
void smc_sql_patch_assign(const smc_dialect *d, const smc_col *target, sm_buf *out);
/* The column of `table` that partial field c patches, or NULL: keys are
 * never part of a patch, and a field the table lacks as a column writes
 * nothing. */
const smc_col *smc_patch_target(const smc_model *table, const smc_col *c);
/* The name of the sm_patch_desc of table's `_patch` with this partial
 * (emit_desc.c writes it). */
const char *smc_c_patch(smc_ctx *ctx, const smc_model *table, const smc_model *partial);

/* ---- emit_rel.c -------------------------------------------------------------------- */

/* The relationships of table m that get an sm_rel (smc_rel_loadable), and
 * the C address of rel's: "&smdl.rels_Hero[1]". */
uint32_t smc_rel_count(const smc_model *m);
const char *smc_c_rel(smc_ctx *ctx, const smc_model *m, const smc_col *rel);
/* The index in m's field table of m's field named like c. */
uint32_t smc_field_index(const smc_model *m, const smc_col *c);
/* The SQL of sm_rel: load_prefix, load_suffix, link_sql, unlink_sql
 * (empty where it does not apply). */
enum { SMC_REL_SQL_PREFIX, SMC_REL_SQL_SUFFIX, SMC_REL_SQL_LINK, SMC_REL_SQL_UNLINK };
void smc_sql_rel(const smc_dialect *d, const smc_col *rel, int which, sm_buf *out);
/* Can FK column fk block the delete of the row it references (no action
 * or restrict)?  Then the referenced table's sm_model.refs lists it. */
bool smc_fk_blocks_delete(const smc_col *fk);
/* sm_fkref.probe: a row of child that still references the row with the
 * given key of fk's table. */
void smc_sql_fk_probe(const smc_dialect *d, const smc_model *child, const smc_col *fk, sm_buf *out);

/* ---- emit_ddl.c: DDL pieces, without separators or terminators ---------------------- */

/* Which columns of m (by position) are in a unique constraint, marked in
 * one pass: MySQL sizes their text as a key's. */
bool *smc_ddl_unique_cols(smc_ctx *ctx, const smc_model *m);
/* `"c" TYPE [NOT NULL] [DEFAULT v]`; unique: c is in a unique constraint. */
void smc_ddl_column(const smc_dialect *d, const smc_col *c, bool unique, sm_buf *out);
/* `[CONSTRAINT "pk_t" ]PRIMARY KEY ("a", ...)` */
void smc_ddl_primary_key(const smc_dialect *d, const smc_model *m, sm_buf *out);
/* `CONSTRAINT "uq_t_a" UNIQUE ("a", ...)` */
void smc_ddl_unique(const smc_dialect *d, const smc_index *ix, sm_buf *out);
/* `CONSTRAINT "fk_t_a" FOREIGN KEY ("a") REFERENCES "u" ("id") [ON DELETE ...]` */
void smc_ddl_fk(smc_ctx *ctx, const smc_dialect *d, const smc_model *m, const smc_col *c,
                sm_buf *out);
/* Does the FK of c wait until every table exists (a cycle, on dialects
 * that check references at creation)?  Then it is added by smc_ddl_add_fk. */
bool smc_ddl_fk_deferred(const smc_dialect *d, const smc_model *m, const smc_col *c);
/* `ALTER TABLE "t" ADD <fk>`, guarded so that it can run again. */
void smc_ddl_add_fk(smc_ctx *ctx, const smc_dialect *d, const smc_model *m, const smc_col *c,
                    sm_buf *out);
/* The CHECK a column's type needs (enum members, valid JSON); false when
 * it needs none. */
bool smc_ddl_column_check(smc_ctx *ctx, const smc_dialect *d, const smc_model *m,
                          const smc_col *c, sm_buf *out);
/* `CONSTRAINT "ck_t_x" CHECK (expr)`: a table's `check (...)`. */
void smc_ddl_check(smc_ctx *ctx, const smc_dialect *d, const smc_tcheck *ck, sm_buf *out);
/* A plain index: `INDEX "ix" (...)` inside CREATE TABLE where the dialect
 * has inline indexes, else `CREATE INDEX IF NOT EXISTS "ix" ON "t" (...)`. */
void smc_ddl_index(const smc_dialect *d, const smc_model *m, const smc_index *ix, sm_buf *out);
/* `CREATE TABLE IF NOT EXISTS "t" (columns, keys, FKs, checks[, indexes]) suffix` */
void smc_ddl_create_table(smc_ctx *ctx, const smc_dialect *d, const smc_model *m, sm_buf *out);
/* The same under another name (a migration's rebuild of a table). */
void smc_ddl_create_table_as(smc_ctx *ctx, const smc_dialect *d, const smc_model *m,
                             const char *name, sm_buf *out);
/* The type of column c as its definition writes it, without what makes
 * an @auto key generate values (an identity, AUTO_INCREMENT). */
void smc_ddl_column_type(const smc_dialect *d, const smc_col *c, bool unique, sm_buf *out);
/* A piece of table m by kind: obj is the smc_index (unique, index), the
 * smc_col (fk, colcheck) or the smc_tcheck (check); NULL for the key.
 * smc_ddl_piece returns false, writing nothing, for a column without a
 * check of its type. */
bool smc_ddl_piece(smc_ctx *ctx, const smc_dialect *d, const smc_model *m, smc_ddl_kind kind,
                   const void *obj, sm_buf *out);
const char *smc_ddl_piece_name(smc_ctx *ctx, const smc_model *m, smc_ddl_kind kind,
                               const void *obj);
/* A statement of the dialect's migration patterns (dialect.h), its
 * %t %c %n %d %y %v taken from a. */
typedef struct smc_ddl_args {
    const char *table, *name, *new_name, *def, *type, *value;
} smc_ddl_args;
void smc_ddl_statement(const smc_dialect *d, const char *pat, const smc_ddl_args *a, sm_buf *out);
void smc_ddl_drop_table(const smc_dialect *d, const smc_model *m, sm_buf *out);
/* The module's create_all / drop_all scripts: statements ending in ";\n". */
void smc_sql_create_all(smc_ctx *ctx, const smc_dialect *d, sm_buf *out);
void smc_sql_drop_all(smc_ctx *ctx, const smc_dialect *d, sm_buf *out);

/* ---- emit_expr.c ------------------------------------------------------------------- */

/* The state of writing one statement: placeholders are numbered in the
 * order they are written, and args[] records what each binds (the field
 * of the query's arguments struct, as in sm_qstmt). */
typedef struct smc_sqlctx {
    const smc_dialect *d;
    bool qualify;          /* write columns as "table"."column" */
    unsigned nparams;      /* placeholders written so far */
    const smc_qinfo *q;    /* the query (NULL in DDL) */
    unsigned mask;         /* optional parameters present (bit k: q->opt[k]) */
    const uint32_t *choice;/* per parameter index: the sort or dir choice */
    uint8_t args[255];     /* the checker allows no more (E0424) */
} smc_sqlctx;

void smc_sql_expr(smc_ctx *ctx, smc_sqlctx *sc, const smc_expr *e, sm_buf *out);
/* e converted to a value of type `want` (decimals stored scaled meet
 * integers, floats and other scales): assignments to columns. */
void smc_sql_expr_as(smc_ctx *ctx, smc_sqlctx *sc, const smc_expr *e, const smc_type *want,
                     sm_buf *out);
/* Does a value of type t change its representation when stored as want
 * (decimals stored as scaled integers, meeting integers, floats and other
 * scales)?  smc_sql_rescale then writes the SQL that converts operand
 * (already an operand: parenthesised or atomic); computed: a float that
 * is not a literal, rounded to the scale. */
bool smc_sql_rescaled(const smc_dialect *d, const smc_type *t, const smc_type *want);
void smc_sql_rescale(sm_buf *out, const smc_dialect *d, const smc_type *t, const smc_type *want,
                     const char *operand, bool computed);
/* Records a placeholder binding args-struct field `field`, of type t, and
 * writes it. */
void smc_sql_bind(smc_sqlctx *sc, unsigned field, const smc_type *t, sm_buf *out);
/* Records a list argument written as the runtime's expansion marker. */
void smc_sql_list(smc_sqlctx *sc, unsigned field, sm_buf *out);

/* ---- emit_json.c ------------------------------------------------------------------- */

/* The definition of X_to_json `name` for model m, whose descriptor is the
 * C expression `desc`. */
void smc_emit_to_json(sm_buf *b, const smc_model *m, const char *name, const char *desc);

/* ---- emit_query.c ------------------------------------------------------------------ */

/* The C prototype of query q, without the ';' ("int heroes(sm_cx *cx,
 * ...)"): the header's, and what an editor shows for the query. */
void smc_emit_query_signature(smc_ctx *ctx, sm_buf *b, const smc_qinfo *q);

/* ---- emit_query_sql.c --------------------------------------------------------------- */

/* A select (top-level or subquery) for the variant in sc. */
void smc_sql_select(smc_ctx *ctx, smc_sqlctx *sc, const smc_qsel *s, uint32_t implicit_limit,
                    sm_buf *out);
/* How many values a sort or dir parameter can take. */
uint32_t smc_query_choices(const smc_param *p);
/* Which parameters of q are (part of) the pattern of a `like`
 * (SM_F_LIKE), by parameter index: one walk of the statement. */
bool *smc_query_like_params(smc_ctx *ctx, const smc_qinfo *q);
/* The statements of one variant: the query itself, and before and after
 * it those that emulate RETURNING where the dialect has none. */
enum { SMC_PART_MAIN, SMC_PART_PRE, SMC_PART_POST };
typedef struct smc_qsql {
    char *sql;         /* NULL: no such statement for this dialect */
    uint8_t args[255]; /* what each placeholder binds, as in sm_qstmt */
    uint32_t nargs;
} smc_qsql;
void smc_query_sql(smc_ctx *ctx, const smc_qinfo *q, unsigned variant, int part,
                   const smc_dialect *d, smc_qsql *out);

/* ---- emit_query.c ------------------------------------------------------------------ */

/* The header part of queries: sort enums, then prototypes. */
void smc_emit_query_enums(smc_ctx *ctx, sm_buf *out);
void smc_emit_query_prototypes(smc_ctx *ctx, sm_buf *out);
/* The .c part: argument structs, variants, descriptors, wrappers. */
void smc_emit_query_descriptors(smc_ctx *ctx, sm_buf *out, bool *needs_pragma);
void smc_emit_query_functions(smc_ctx *ctx, sm_buf *out);

#endif
