/*
 * smc.h: what every stage of the compiler shares: the context (sources,
 * arena, diagnostics) and source positions.
 *
 * Pipeline: source.c loads files; lex.re tokenises; parse.c drives the
 * lemon grammar (grammar/smdl.y), whose actions call the builders of
 * ast.c; sema*.c check and annotate the AST; emit_*.c write the outputs
 * through the dialect table of dialect.c.  All AST memory lives in
 * ctx->arena and is freed at once.
 */
#ifndef SMC_SMC_H
#define SMC_SMC_H

#include <smdl/smdl.h>

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define SMC_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define SMC_PRINTF(f, a)
#endif

/* A source range: byte offset and length within one loaded file. */
typedef struct smc_span {
    uint32_t file; /* index into ctx->files; SMC_NO_FILE for none */
    uint32_t off;
    uint32_t len;
} smc_span;
#define SMC_NO_FILE UINT32_MAX
static inline smc_span smc_no_span(void)
{
    smc_span s = {SMC_NO_FILE, 0, 0};
    return s;
}

/* A loaded file: the whole text with a NUL after it, and the offsets at
 * which its lines start (computed once, for printing positions). */
typedef struct smc_source {
    char *path;       /* as given or as resolved for imports */
    char *text;
    uint32_t len;
    uint32_t *lines;  /* line start offsets */
    uint32_t nlines;
    struct smc_file *ast; /* parsed file, once parsed */
} smc_source;

typedef enum smc_severity { SMC_SEV_ERROR, SMC_SEV_WARNING, SMC_SEV_NOTE } smc_severity;

typedef struct smc_diag_note {
    smc_span span;
    bool has_span;
    char *msg;
    struct smc_diag_note *next;
} smc_diag_note;

typedef struct smc_diag {
    smc_severity sev;
    const char *code; /* "E0102" or "-Wmodule-name" */
    smc_span span;
    char *msg;
    smc_diag_note *notes, *last_note;
    struct smc_diag *next;
} smc_diag;

/* Diagnostic codes: permanent, documented in docs/diagnostics.md.
 * X(enum name, code, one-line description). */
#include "diag_codes.h"
typedef enum smc_code {
#define X(name, code, desc) name,
    SMC_DIAG_CODES(X)
#undef X
    SMC_NCODES
} smc_code;
const char *smc_code_str(smc_code c);
const char *smc_code_desc(smc_code c);

typedef struct smc_ctx {
    sm_arena arena;
    smc_source **files;
    uint32_t nfiles, capfiles;
    smc_diag *diags, *last_diag;
    int nerrors, nwarnings;
    int max_errors;            /* stop recording after this many (0: 100) */
    const char **incdirs;      /* -I directories, then the stdlib */
    size_t nincdirs;
    size_t nuser_incdirs;      /* how many of them came from -I */
    struct smc_sema *sema;     /* the checker's tables, after checking */
} smc_ctx;

void smc_ctx_init(smc_ctx *ctx);
void smc_ctx_free(smc_ctx *ctx);

/* Arena helpers that never return NULL: out of memory ends the process
 * with a message (the compiler, unlike the runtime, may exit). */
void *smc_alloc(smc_ctx *ctx, size_t n);   /* zeroed */
char *smc_strndup(smc_ctx *ctx, const char *s, size_t n);
char *smc_strdup(smc_ctx *ctx, const char *s);
char *smc_printf(smc_ctx *ctx, const char *fmt, ...) SMC_PRINTF(2, 3);
char *smc_vprintf(smc_ctx *ctx, const char *fmt, va_list ap);
/* A copy of items[0..n) with room for one more, for growing arrays in
 * the arena (the old copy stays until the arena is freed). */
void *smc_grow(smc_ctx *ctx, void *items, size_t n, size_t size);

/* ---- Sources (source.c) -------------------------------------------------- */

/* Loads a file; returns its index or -1 (after reporting why, with `from`
 * as the position of the import that asked for it when has_from). */
int smc_source_load(smc_ctx *ctx, const char *path, const smc_span *from);
/* "dir/heroes.smdl" -> "heroes": names the generated .h and .c. */
const char *smc_source_stem(smc_ctx *ctx, const char *path);
/* Adds a file from memory (tests, stdin). */
int smc_source_add(smc_ctx *ctx, const char *path, const char *text, size_t len);
/* 1-based line and column (bytes) of a byte offset. */
void smc_source_pos(const smc_source *src, uint32_t off, uint32_t *line, uint32_t *col);

/* ---- Diagnostics (diag.c) ------------------------------------------------ */

smc_diag *smc_error(smc_ctx *ctx, smc_span at, smc_code code, const char *fmt, ...)
    SMC_PRINTF(4, 5);
/* Warnings are named (-Wname), not numbered. */
smc_diag *smc_warning(smc_ctx *ctx, smc_span at, const char *wname, const char *fmt, ...)
    SMC_PRINTF(4, 5);
/* Attaches a note to d, at a position or (with NULL at) without one. */
void smc_note(smc_ctx *ctx, smc_diag *d, const smc_span *at, const char *fmt, ...)
    SMC_PRINTF(4, 5);
/* "did you mean 'x'?" note when one of cands is close to name. */
void smc_suggest(smc_ctx *ctx, smc_diag *d, const char *name, const char *const *cands,
                 size_t n);
/* The closest candidate within an edit distance of max(1, len/3), or NULL. */
const char *smc_closest(const char *name, const char *const *cands, size_t n);

/* GNU format with source line and caret, or the JSON array of DESIGN 6. */
void smc_diag_render_text(smc_ctx *ctx, sm_buf *out);
void smc_diag_render_json(smc_ctx *ctx, sm_buf *out);

#endif
