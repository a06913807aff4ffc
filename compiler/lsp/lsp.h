/*
 * lsp.h: `smc lsp`, the Language Server Protocol over stdio, on the
 * front end (front/ + check/ + fmt/).  One file per job:
 *   rpc.c       JSON-RPC framing (Content-Length headers) on stdin/stdout
 *   json.c      a strict JSON reader into a tree (libsmdl's lexer), and
 *               the writing of JSON strings
 *   docs.c      open documents, URIs, positions (UTF-16 code units)
 *   analyze.c   a document parsed and checked from the unsaved texts
 *   index.c     the names at a position and what they denote
 *   diag.c      textDocument/publishDiagnostics
 *   hover.c nav.c complete.c symbols.c format.c   the requests
 *   server.c    the dispatch, the life cycle
 * Nothing is written to disk; errors go to stderr, never to stdout.
 */
#ifndef SMC_LSP_H
#define SMC_LSP_H

#include "sema.h"

#include <stdio.h>

/* ---- json.c ------------------------------------------------------------------- */

typedef enum lsp_jkind { LJ_NULL, LJ_BOOL, LJ_NUM, LJ_STR, LJ_ARR, LJ_OBJ } lsp_jkind;

/* A JSON value; strings unescaped (with a NUL after them), numbers as
 * written.  Members of objects and elements of arrays are listed through
 * `next`; everything lives in the arena given to lsp_json_parse. */
typedef struct lsp_json {
    uint8_t kind;          /* lsp_jkind */
    bool b;
    const char *s;         /* LJ_STR: the text; LJ_NUM: the number as written */
    size_t len;
    const char *key;       /* in an object: the member's name */
    struct lsp_json *kids; /* LJ_ARR, LJ_OBJ */
    struct lsp_json *next;
} lsp_json;

/* The value s[0..n) holds, or NULL with a message in err. */
lsp_json *lsp_json_parse(sm_arena *a, const char *s, size_t n, char *err, size_t errsize);
/* The member key of object o (NULL when o is not an object or lacks it). */
const lsp_json *lsp_json_get(const lsp_json *o, const char *key);
/* The string at o.key, or NULL. */
const char *lsp_json_str(const lsp_json *o, const char *key);
/* The integer at o.key, or def when it is missing or not an integer. */
int64_t lsp_json_int(const lsp_json *o, const char *key, int64_t def);
/* Appends s[0..n) as a JSON string. */
/* Appends v as JSON (to echo a request's id). */
void lsp_json_write(sm_buf *b, const lsp_json *v);

/* ---- rpc.c ---------------------------------------------------------------------- */

enum { LSP_MAX_MESSAGE = 64 << 20 }; /* bytes of one message's content */

typedef enum lsp_read {
    LSP_READ_OK,     /* *body holds a message (heap, NUL-terminated) */
    LSP_READ_EOF,    /* the client closed its side */
    LSP_READ_BAD,    /* a header block that is no message; *why says why */
} lsp_read;

lsp_read lsp_rpc_read(FILE *in, char **body, size_t *len, const char **why);
/* Writes one message; false when the client is gone. */
bool lsp_rpc_write(FILE *out, const char *body, size_t len);

/* ---- docs.c ---------------------------------------------------------------------- */

typedef struct lsp_analysis lsp_analysis;

typedef struct lsp_doc {
    char *uri, *path;      /* the path is the URI's, decoded (file: URIs) */
    char *text;
    size_t len;
    int64_t version;
    lsp_analysis *an;      /* the last analysis, NULL when stale */
    /* The last analysis whose text parsed, kept while the text does not
     * (in the middle of typing): completion's names come from it. */
    lsp_analysis *parsed;
    struct lsp_doc *next;
} lsp_doc;

typedef struct lsp_server {
    FILE *out;
    lsp_doc *docs;
    const char **incdirs;  /* -I directories (arguments, then initializationOptions) */
    size_t nincdirs;
    void (*add_stdlib)(smc_ctx *ctx);
    bool initialized, shutdown, exited;
    sm_arena init_arena;   /* the include directories' text */
} lsp_server;

/* Opening and closing leave the analyses as they are: the caller knows
 * which documents read the one that changed (lsp_docs_stale). */
lsp_doc *lsp_doc_find(lsp_server *sv, const char *uri);
lsp_doc *lsp_doc_open(lsp_server *sv, const char *uri, const char *text, size_t len,
                      int64_t version);
void lsp_doc_close(lsp_server *sv, lsp_doc *d);
/* Applies one contentChanges element (a range replaced, or the whole
 * text); false when its range lies outside the text. */
bool lsp_doc_change(lsp_doc *d, const lsp_json *change);
void lsp_doc_free_all(lsp_server *sv);
/* Every document's analysis is dropped (an edit may change what others import). */
void lsp_docs_stale(lsp_server *sv);

/* "file:///a/b%20c" -> "/a/b c" (malloc), NULL for other schemes. */
char *lsp_uri_to_path(const char *uri);
/* Appends the file: URI of an absolute or relative path, as a JSON string. */
void lsp_put_path_uri(sm_buf *b, const char *path);

/* LSP positions: line and UTF-16 code unit within it. */
typedef struct lsp_pos {
    uint32_t line, character;
} lsp_pos;
lsp_pos lsp_pos_of(const smc_source *src, uint32_t off);
/* The byte offset of a position in text (clamped to its line's end). */
uint32_t lsp_off_of(const char *text, size_t len, lsp_pos p);
/* Appends {"start":..,"end":..} for span sp of src. */
void lsp_put_range(sm_buf *b, const smc_source *src, uint32_t off, uint32_t len);
/* Appends {"uri":..,"range":..} of sp (a span of ctx). */
void lsp_put_location(sm_buf *b, smc_ctx *ctx, smc_span sp);
/* Reads a {"line","character"} object (false when absent or bad). */
bool lsp_read_pos(const lsp_json *pos, lsp_pos *out);

/* ---- analyze.c ------------------------------------------------------------------- */

struct lsp_analysis {
    smc_ctx ctx;
    smc_refs refs;
    int main;              /* the document's index in ctx.files, or -1 */
    smc_file *file;        /* its AST, NULL when it did not parse */
    bool checked;          /* smc_check ran */
};

/* The document's analysis, made from the open texts when stale; NULL
 * only when memory ran out. */
lsp_analysis *lsp_analyze(lsp_server *sv, lsp_doc *d);
void lsp_analysis_free(lsp_analysis *an);

/* ---- index.c ----------------------------------------------------------------------- */

/* A name of the document at a byte offset, and what it denotes. */
typedef struct lsp_target {
    smc_span use;          /* the name under the cursor */
    smc_span def;          /* the name that declares it (no file: unknown) */
    int kind;              /* smc_ref_kind, or -1: an import's path */
    const void *target;    /* as in smc_ref; an import: its smc_decl */
    uint32_t sub;
} lsp_target;

bool lsp_target_at(lsp_analysis *an, uint32_t off, lsp_target *out);
/* Calls fn for every use and the declaration of what t denotes, each
 * span once. */
void lsp_each_occurrence(lsp_analysis *an, const lsp_target *t,
                         void (*fn)(void *arg, smc_span sp), void *arg);

/* ---- the features -------------------------------------------------------------------- */

/* Each appends the "result" value of its request to out, or returns an
 * error message (and code in *code) for an error response. */
void lsp_publish_diagnostics(lsp_server *sv, lsp_doc *d);
const char *lsp_hover(lsp_server *sv, const lsp_json *params, sm_buf *out, int *code);
const char *lsp_definition(lsp_server *sv, const lsp_json *params, sm_buf *out, int *code);
const char *lsp_references(lsp_server *sv, const lsp_json *params, sm_buf *out, int *code);
const char *lsp_rename(lsp_server *sv, const lsp_json *params, sm_buf *out, int *code);
const char *lsp_prepare_rename(lsp_server *sv, const lsp_json *params, sm_buf *out, int *code);
const char *lsp_completion(lsp_server *sv, const lsp_json *params, sm_buf *out, int *code);
const char *lsp_symbols(lsp_server *sv, const lsp_json *params, sm_buf *out, int *code);
const char *lsp_format(lsp_server *sv, const lsp_json *params, sm_buf *out, int *code);

/* The document and byte offset a TextDocumentPositionParams names, or
 * an error message. */
const char *lsp_doc_position(lsp_server *sv, const lsp_json *params, lsp_doc **d, uint32_t *off,
                             int *code);

/* JSON-RPC error codes. */
enum {
    LSP_PARSE_ERROR = -32700,
    LSP_INVALID_REQUEST = -32600,
    LSP_METHOD_NOT_FOUND = -32601,
    LSP_INVALID_PARAMS = -32602,
    LSP_INTERNAL_ERROR = -32603,
    LSP_NOT_INITIALIZED = -32002,
    LSP_REQUEST_FAILED = -32803,
};

/* ---- server.c --------------------------------------------------------------------- */

/* `smc lsp [-I DIR]...`: serves stdin/stdout until `exit` or the end of
 * the input; the exit status.  (main.c answers -h from its table.) */
int smc_lsp_main(int argc, char **argv, void (*add_stdlib)(smc_ctx *ctx));
/* Sends a notification (params: JSON text). */
void lsp_notify(lsp_server *sv, const char *method, const char *params, size_t len);

#endif
