/*
 * front.h: helpers shared by the tests of the compiler front end.  A
 * fixture owns one compiler context; each parse starts from a fresh one,
 * so pointers from an earlier parse of the same fixture become invalid.
 * Printers turn AST nodes into short strings (expressions as
 * S-expressions) so a test can state a whole tree in one assertion.
 */
#ifndef FRONT_H
#define FRONT_H

#include "lex.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

typedef struct fx {
    smc_ctx ctx;
    bool live;      /* ctx was initialised */
    sm_buf diags;   /* rendered diagnostics of the last parse */
    sm_buf scratch; /* printers write here, then copy into the arena */
    smc_file *file; /* what the last parse returned, even with errors */
} fx;

/* cmocka group fixtures: *state is an fx. */
int fx_setup(void **state);
int fx_teardown(void **state);

/* Parses text (length strlen) as "t.smdl"; NULL on error (f->file
 * then holds what parsed, if anything).  Diagnostics are rendered into
 * f->diags either way. */
smc_file *fx_parse(fx *f, const char *text);
/* Same, with an explicit length (text may hold NUL bytes). */
smc_file *fx_parse_n(fx *f, const char *text, size_t len);
/* Asserts that text parses, printing the diagnostics if it does not. */
smc_file *fx_parse_ok(fx *f, const char *text);
/* Asserts that text fails to parse; returns the rendered diagnostics. */
const char *fx_parse_fail(fx *f, const char *text);

/* The source text a span covers (an arena copy). */
const char *fx_text(fx *f, smc_span s);
/* The i-th declaration (0-based) of file, asserting it exists. */
smc_decl *fx_decl(smc_file *file, int i);
/* The i-th field of a model or row declaration. */
smc_field *fx_field(smc_decl *d, int i);
/* The attribute named name in a list (NULL if absent). */
smc_attr *fx_attr(smc_attr *list, const char *name);

/* Parses `module m; query q() -> [T] { select T where <cond> }` and
 * returns the where expression. */
smc_expr *fx_where(fx *f, const char *cond);
/* The first statement of the query named q in file. */
smc_stmt *fx_stmt(smc_file *file, const char *query);

/* Printers (results live in the fixture's arena). */
const char *fx_sexp(fx *f, const smc_expr *e);
const char *fx_idents(fx *f, const smc_ident *list); /* "a b.c d" */

/* Runs the lexer over text[0..len) (a heap copy of exactly len + 1
 * bytes, so an over-read shows under AddressSanitizer) and stores up to
 * max token codes and tokens; comments are kept as SMC_LEX_COMMENT.
 * Returns the count, the last being SMC_LEX_EOF or SMC_LEX_ERROR; *lx
 * keeps the lexer's final state (its text pointer is dangling). */
size_t fx_lex(const char *text, size_t len, int *codes, smc_token *toks, size_t max,
              smc_lexer *lx);

#endif
