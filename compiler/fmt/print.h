/*
 * print.h: the canonical printer of smdl (docs/language.md, "Canonical
 * form and smc fmt").  One printer serves `smc fmt` (a parsed file, its
 * comments kept in place), the canonical text of an expression (which
 * names an unnamed table check, DESIGN 5.1) and the schema snapshot of
 * migrations (a checked schema, flattened).  Everything it allocates
 * lives in the context's arena or in the caller's buffer.
 */
#ifndef SMC_PRINT_H
#define SMC_PRINT_H

#include "ast.h"

/* Appends the canonical text of the parsed file f (comments included) to
 * out.  False when out of memory (ctx->oom is then set). */
bool smc_print_file(smc_ctx *ctx, const smc_file *f, sm_buf *out);

/* The canonical text of e on one line: no comments, literals written by
 * value.  Unwinds as out of memory on failure (call it guarded). */
const char *smc_print_expr_text(smc_ctx *ctx, const smc_expr *e);

/* Appends the snapshot of the checked schema ctx->sema (print_snap.c):
 * the file's tables self-contained.  False when out of memory. */
bool smc_print_snapshot(smc_ctx *ctx, sm_buf *out);

/* Appends a file built in memory rather than parsed (smc introspect):
 * the lines of comment `head`, `module module;`, then each declaration
 * of the list decls, after the lines of comment notes[i] gives the i-th
 * (NULL: none).  Literals are written by value.  False when out of
 * memory. */
bool smc_print_decls(smc_ctx *ctx, const char *head, const char *module, const smc_decl *decls,
                     const char *const *notes, sm_buf *out);

#endif
