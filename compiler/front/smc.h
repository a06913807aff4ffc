/*
 * smc.h: what every stage of the compiler shares: the context (sources,
 * arena, diagnostics) and source positions.
 *
 * Pipeline: source.c loads files; lex.re tokenises; parse.c drives the
 * lemon grammar (grammar/smdl.y), whose actions call the builders of
 * ast.c; sema*.c check and annotate the AST; emit_*.c write the outputs
 * through the dialect table of dialect.c.  All AST memory lives in
 * ctx->arena and is freed at once.
 *
 * front/ and check/ are a library (smc_check) that links without the
 * emitters: a context per schema, any number of them at once; sources
 * from disk or from memory (smc_overlay_set); running out of memory, or
 * over a budget, fails the call and sets ctx->oom instead of ending the
 * process.
 */
#ifndef SMC_SMC_H
#define SMC_SMC_H

#include <smdl/smdl.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define SMC_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define SMC_NONNULL __attribute__((returns_nonnull))
#else
#define SMC_PRINTF(f, a)
#define SMC_NONNULL
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
    bool hidden;      /* past max_errors: counted, not listed; notes are dropped */
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

/* A string-keyed hash map in the arena (map.h has its functions). */
typedef struct smc_map_slot {
    const char *key;  /* NULL: empty */
    void *value;
    size_t hash;      /* of key, so probes compare strings only on a match */
} smc_map_slot;
typedef struct smc_map {
    smc_map_slot *slots;
    size_t cap, len;
} smc_map;

/* The capacities of the arrays smc_grow returned, by address. */
typedef struct smc_grow_slot {
    const void *items;
    size_t cap;
} smc_grow_slot;
typedef struct smc_grow_table {
    smc_grow_slot *slots;
    size_t cap, len;
} smc_grow_table;

/* A recovery point for running out of memory (smc_guarded). */
typedef struct smc_recover {
    jmp_buf jb;
    struct smc_recover *outer;
} smc_recover;

/* One schema being compiled: its sources, every AST node and checked
 * structure (in the arena), its diagnostics and its checked result.  A
 * context is independent of every other: any number may live in one
 * process (a differ checks the old and the new schema side by side), and
 * the library has no global mutable state.  One thread uses a context at
 * a time. */
typedef struct smc_ctx {
    sm_arena arena;
    size_t max_bytes;          /* arena budget, 0: none; set before use */
    size_t used_bytes;         /* what the arena has handed out */
    bool oom;                  /* an allocation failed: the pipeline stopped */
    smc_recover *recover;      /* innermost smc_guarded call, or NULL */
    smc_grow_table grown;      /* smc_grow's arrays and their capacities */
    smc_map overlay;           /* normalised path -> smc_overlay_text */
    smc_source **files;
    uint32_t nfiles;
    smc_diag *diags, *last_diag;
    int nerrors, nwarnings;
    int nquiet;                /* errors among nerrors never shown (smc_error_quiet) */
    int max_errors;            /* stop recording after this many (0: 100) */
    const char **incdirs;      /* -I directories, then the stdlib */
    size_t nincdirs;
    size_t nuser_incdirs;      /* how many of them came from -I */
    struct smc_sema *sema;     /* the checker's tables, after checking */
    /* When set before checking, every name the checker resolves is
     * recorded there (check/index.c): what editors navigate.  NULL (the
     * default): nothing is recorded. */
    struct smc_refs *refs;
    /* The migrations the emitters embed in the module (smc -m), or NULL. */
    const sm_migration_set *migrations;
} smc_ctx;

void smc_ctx_init(smc_ctx *ctx);
void smc_ctx_free(smc_ctx *ctx);

/* ---- Memory (alloc.c) ----------------------------------------------------- */

/* Arena helpers.  They never return NULL: when the arena fails or the
 * budget (max_bytes) is spent, they set ctx->oom and unwind to the
 * innermost smc_guarded call, which returns false.  Every function of
 * this library that allocates runs its work under such a guard, so a
 * caller only sees a failed result and ctx->oom; code outside the
 * library that allocates in the context (the emitters) runs under
 * smc_guarded too.  Without a guard, running out of memory aborts: that
 * is a caller's bug, not an input problem. */
void *smc_alloc(smc_ctx *ctx, size_t n) SMC_NONNULL; /* zeroed */
char *smc_strndup(smc_ctx *ctx, const char *s, size_t n) SMC_NONNULL;
char *smc_strdup(smc_ctx *ctx, const char *s) SMC_NONNULL;
char *smc_printf(smc_ctx *ctx, const char *fmt, ...) SMC_PRINTF(2, 3) SMC_NONNULL;
char *smc_vprintf(smc_ctx *ctx, const char *fmt, va_list ap) SMC_NONNULL;
/* items[0..n) with room for one more, for growing arrays in the arena.
 * An array that smc_grow returned is extended in place while it has
 * room, and its capacity doubles when it has none, so appending n items
 * costs O(n): do not keep two lists growing from one array. */
void *smc_grow(smc_ctx *ctx, void *items, size_t n, size_t size) SMC_NONNULL;

/* Runs fn(ctx, arg).  Returns true when it returned, false when it ran
 * out of memory (ctx->oom is then set; what fn allocated in the arena
 * stays until smc_ctx_free, and fn must hold no other resource it cannot
 * find again).  Calls nest. */
bool smc_guarded(smc_ctx *ctx, void (*fn)(smc_ctx *ctx, void *arg), void *arg);
/* After a failed smc_guarded call has released its own resources:
 * continues unwinding to the enclosing guard, if there is one. */
void smc_oom_unwind(smc_ctx *ctx);
/* Reports running out of memory from outside the arena (a failed
 * malloc): sets ctx->oom and unwinds like a failed smc_alloc. */
_Noreturn void smc_out_of_memory(smc_ctx *ctx);

/* ---- Sources (source.c) -------------------------------------------------- */

/* Loads a file: its overlay text if it has one, else the file on disk.
 * Returns its index, or -1 after reporting why (at `from`, the import
 * that asked for it, when not NULL) or running out of memory. */
int smc_source_load(smc_ctx *ctx, const char *path, const smc_span *from);
/* "dir/heroes.smdl" -> "heroes": names the generated .h and .c. */
const char *smc_source_stem(smc_ctx *ctx, const char *path);
/* Adds a file from memory (tests, stdin); its index or -1. */
int smc_source_add(smc_ctx *ctx, const char *path, const char *text, size_t len);
/* Gives path the text an editor holds for it (unsaved changes, or a
 * file that exists only in memory): smc_source_load and the resolution
 * of imports consult these texts before the disk.  Paths are compared
 * after lexical normalisation ("a/./b//c" is "a/b/c", "a/x/../b" is
 * "a/b"), not through the file system.  The text is copied; setting a
 * path again replaces it for later loads.  False when out of memory. */
bool smc_overlay_set(smc_ctx *ctx, const char *path, const char *text, size_t len);
/* The overlay text of path, or NULL (with *len set) when it has none. */
const char *smc_overlay_get(smc_ctx *ctx, const char *path, size_t *len);
/* path without "." components, repeated slashes or "dir/.." pairs (an
 * arena copy); "" becomes ".". */
char *smc_path_normalize(smc_ctx *ctx, const char *path);
/* 1-based line and column (bytes) of a byte offset. */
void smc_source_pos(const smc_source *src, uint32_t off, uint32_t *line, uint32_t *col);

/* ---- Diagnostics (diag.c) ------------------------------------------------ */

smc_diag *smc_error(smc_ctx *ctx, smc_span at, smc_code code, const char *fmt, ...)
    SMC_PRINTF(4, 5);
/* An error that only follows from one already reported (a reference to
 * a declaration that failed to parse): counted in nerrors, so that what
 * depends on the failed part stops as after any error, but never listed
 * or rendered. */
smc_diag *smc_error_quiet(smc_ctx *ctx, smc_span at, smc_code code);
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

/* GNU format with source line and caret, or the JSON array of DESIGN 6.
 * After running out of memory both end with an error E0012 that says
 * so (rendering needs no arena memory). */
void smc_diag_render_text(smc_ctx *ctx, sm_buf *out);
/* The same text, coloured with ANSI escapes when color is true (as gcc
 * does on a terminal: the caller decides, see compiler/main.c). */
void smc_diag_render_text_color(smc_ctx *ctx, sm_buf *out, bool color);
void smc_diag_render_json(smc_ctx *ctx, sm_buf *out);
/* s[0..n) as a JSON string, its bytes kept as they are (paths and messages
 * need not be UTF-8): the quoting of smc's JSON outputs, diagnostics and
 * the language server's messages. */
void smc_json_quote(sm_buf *b, const char *s, size_t n);

#endif
