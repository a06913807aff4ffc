/*
 * print_int.h: the printer's state and the helpers its files share.
 * print_core.c writes text and places comments, print_expr.c prints
 * expressions and statements, print_decl.c declarations and the file.
 */
#ifndef SMC_PRINT_INT_H
#define SMC_PRINT_INT_H

#include "print.h"

/* Lines longer than this are broken where the canonical form allows. */
#define SMC_PRINT_WIDTH 100

typedef struct smc_ptok {
    uint32_t off, end;
} smc_ptok;

typedef struct smc_printer {
    smc_ctx *ctx;
    sm_buf *out;
    int rc;                  /* a failed append: the caller reports it */
    const char *text;        /* the source, or NULL (canonical text, snapshot) */
    const smc_comment *next; /* the first comment not printed yet */
    smc_ptok *toks;          /* the source's tokens, in order (for keywords) */
    size_t ntoks;
    int indent;              /* block level: 4 spaces each */
    int cont;                /* extra levels after a `//` comment broke a line */
    size_t col;              /* column of the next byte */
    size_t hang;             /* not 0: a new line starts at this column */
    size_t keep;             /* output before this is a comment's: not trimmed */
    bool bol;                /* at the beginning of a line */
    bool fresh;              /* nothing printed yet in this block */
    uint32_t last;           /* source end of what was printed last */
} smc_printer;

/* print_core.c */
/* Starts printing into out; f: the parsed file whose comments and
 * tokens place comments (NULL: no source; literals by value).  What it
 * allocates lives in the context's arena. */
void smc_pr_init(smc_printer *pr, smc_ctx *ctx, sm_buf *out, const smc_file *f);
void smc_pr_putn(smc_printer *pr, const char *s, size_t n);
void smc_pr_put(smc_printer *pr, const char *s);
void smc_pr_space(smc_printer *pr);
void smc_pr_nl(smc_printer *pr);
/* The text of comment c, as written. */
void smc_pr_comment(smc_printer *pr, const smc_comment *c);
/* Comments before source offset off, inside a line. */
void smc_pr_at(smc_printer *pr, uint32_t off);
/* Comments before off on lines of their own; then, when an item starts
 * at off, a blank line if the source had one before it. */
void smc_pr_lead(smc_printer *pr, uint32_t off, bool item);
/* Comments that follow source offset end on its line, after the last
 * token; what was printed ends there. */
void smc_pr_trail(smc_printer *pr, uint32_t end);
/* Is there a comment before source offset end? */
bool smc_pr_comment_before(const smc_printer *pr, uint32_t end);
/* The start of the last token before off, or off. */
uint32_t smc_pr_tok_before(const smc_printer *pr, uint32_t off);
/* The token at or after off: its index, or ntoks. */
size_t smc_pr_tok_at(const smc_printer *pr, uint32_t off);
/* end, moved past a token `c` that follows it (a ',' or ';'). */
uint32_t smc_pr_past(const smc_printer *pr, uint32_t end, char c);
/* Buffer position, to try a layout and take it back. */
size_t smc_pr_mark(const smc_printer *pr);
void smc_pr_undo(smc_printer *pr, size_t mark);

/* print_expr.c */
void smc_pr_name(smc_printer *pr, smc_name n);
void smc_pr_expr(smc_printer *pr, const smc_expr *e);
void smc_pr_exprs(smc_printer *pr, const smc_expr *list);
/* A string literal holding s, by value. */
void smc_pr_expr_string(smc_printer *pr, const char *s);
void smc_pr_idents(smc_printer *pr, const smc_ident *list);
/* A statement: on one line when it fits, else one clause a line. */
void smc_pr_stmt(smc_printer *pr, const smc_stmt *s);
void smc_pr_stmt_line(smc_printer *pr, const smc_stmt *s);
uint32_t smc_span_end(smc_span s);

/* print_decl.c */
void smc_pr_attrs(smc_printer *pr, const smc_attr *a);
void smc_pr_typeref(smc_printer *pr, const smc_typeref *t);
void smc_pr_decl(smc_printer *pr, const smc_decl *d);

#endif
