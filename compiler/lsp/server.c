/*
 * server.c: `smc lsp`: the life cycle (initialize, shutdown, exit), the
 * documents' notifications and the dispatch of requests.  Every request
 * gets one response; a request before `initialize` is refused, an unknown
 * one answered MethodNotFound; unknown notifications are ignored.  Input
 * that is not a message is answered with an error (id null) and the
 * session goes on; the end of the input ends it.
 */
#include "lsp.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef const char *(*request_fn)(lsp_server *sv, const lsp_json *params, sm_buf *out, int *code);

static const struct {
    const char *method;
    request_fn fn;
} requests[] = {
    {"textDocument/hover", lsp_hover},
    {"textDocument/definition", lsp_definition},
    {"textDocument/references", lsp_references},
    {"textDocument/rename", lsp_rename},
    {"textDocument/prepareRename", lsp_prepare_rename},
    {"textDocument/completion", lsp_completion},
    {"textDocument/documentSymbol", lsp_symbols},
    {"textDocument/formatting", lsp_format},
};

static const char capabilities[] =
    "{\"capabilities\":{\"positionEncoding\":\"utf-16\","
    "\"textDocumentSync\":{\"openClose\":true,\"change\":2,\"save\":{\"includeText\":false}},"
    "\"hoverProvider\":true,\"definitionProvider\":true,\"referencesProvider\":true,"
    "\"renameProvider\":{\"prepareProvider\":true},\"documentSymbolProvider\":true,"
    "\"documentFormattingProvider\":true,"
    "\"completionProvider\":{\"triggerCharacters\":[\"@\",\".\",\":\"]}},"
    "\"serverInfo\":{\"name\":\"smc\",\"version\":\"" SMDL_VERSION "\"}}";

static void send(lsp_server *sv, const sm_buf *b)
{
    if (sv->exited)
        return;
    if (!b->data || !lsp_rpc_write(sv->out, b->data, b->len)) {
        fprintf(stderr, "smc lsp: cannot write to the client; stopping\n");
        sv->exited = true;
    }
}

void lsp_notify(lsp_server *sv, const char *method, const char *params, size_t len)
{
    sm_buf b = SM_BUF_INIT;
    sm_buf_puts(&b, "{\"jsonrpc\":\"2.0\",\"method\":");
    smc_json_quote(&b, method, strlen(method));
    sm_buf_puts(&b, ",\"params\":");
    sm_buf_append(&b, params ? params : "null", params ? len : 4);
    sm_buf_putc(&b, '}');
    send(sv, &b);
    sm_buf_free(&b);
}

static void respond(lsp_server *sv, const lsp_json *id, const char *result, size_t len)
{
    sm_buf b = SM_BUF_INIT;
    sm_buf_puts(&b, "{\"jsonrpc\":\"2.0\",\"id\":");
    lsp_json_write(&b, id);
    sm_buf_puts(&b, ",\"result\":");
    sm_buf_append(&b, result, len);
    sm_buf_putc(&b, '}');
    send(sv, &b);
    sm_buf_free(&b);
}

static void respond_error(lsp_server *sv, const lsp_json *id, int code, const char *msg)
{
    sm_buf b = SM_BUF_INIT;
    sm_buf_puts(&b, "{\"jsonrpc\":\"2.0\",\"id\":");
    lsp_json_write(&b, id);
    sm_buf_printf(&b, ",\"error\":{\"code\":%d,\"message\":", code);
    smc_json_quote(&b, msg, strlen(msg));
    sm_buf_puts(&b, "}}");
    send(sv, &b);
    sm_buf_free(&b);
}

/* dir made absolute (from the working directory), in a: the open
 * documents are keyed by absolute paths, and an import found through a
 * relative directory must meet them. */
static const char *absolute(sm_arena *a, const char *dir, size_t n)
{
    char cwd[4096];
    if (dir[0] == '/' || !getcwd(cwd, sizeof cwd))
        return sm_arena_strndup(a, dir, n);
    size_t c = strlen(cwd);
    char *s = sm_arena_alloc(a, c + n + 2);
    if (s) {
        memcpy(s, cwd, c);
        s[c] = '/';
        memcpy(s + c + 1, dir, n);
        s[c + 1 + n] = 0;
    }
    return s;
}

/* initializationOptions.includeDirs: more -I directories. */
static void initialize(lsp_server *sv, const lsp_json *params)
{
    const lsp_json *opts = lsp_json_get(params, "initializationOptions");
    const lsp_json *dirs = lsp_json_get(opts, "includeDirs");
    size_t n = 0;
    for (const lsp_json *k = dirs && dirs->kind == LJ_ARR ? dirs->kids : NULL; k; k = k->next)
        n++;
    const char **v = sm_arena_alloc(&sv->init_arena, (sv->nincdirs + n + 1) * sizeof *v);
    if (!v)
        return;
    memcpy(v, sv->incdirs, sv->nincdirs * sizeof *v);
    sv->incdirs = v;
    for (const lsp_json *k = n ? dirs->kids : NULL; k; k = k->next)
        if (k->kind == LJ_STR && k->len) {
            const char *s = absolute(&sv->init_arena, k->s, k->len);
            if (s)
                v[sv->nincdirs++] = s;
        }
    sv->initialized = true;
}

/* Does d's last analysis read the file at path (it imports it)? */
static bool reads(const lsp_doc *d, const char *path)
{
    if (!d->an)
        return false;
    for (uint32_t i = 0; i < d->an->ctx.nfiles; i++)
        if ((int)i != d->an->main && strcmp(d->an->ctx.files[i]->path, path) == 0)
            return true;
    return false;
}

/* After the text of path changed (d: its document, NULL once closed):
 * d's diagnostics, and those of the open documents that import it. */
static void republish(lsp_server *sv, lsp_doc *d, const char *path)
{
    size_t n = 0;
    for (lsp_doc *o = sv->docs; o; o = o->next)
        n += o != d && reads(o, path);
    lsp_doc **again = n ? calloc(n, sizeof *again) : NULL;
    size_t k = 0;
    for (lsp_doc *o = sv->docs; o && again; o = o->next)
        if (o != d && reads(o, path))
            again[k++] = o;
    lsp_docs_stale(sv);
    if (d)
        lsp_publish_diagnostics(sv, d);
    for (size_t i = 0; i < k; i++)
        lsp_publish_diagnostics(sv, again[i]);
    free(again);
}

static void notification(lsp_server *sv, const char *method, const lsp_json *params)
{
    const lsp_json *td = lsp_json_get(params, "textDocument");
    const char *uri = lsp_json_str(td, "uri");
    if (strcmp(method, "textDocument/didOpen") == 0) {
        const lsp_json *text = lsp_json_get(td, "text");
        if (!uri || !text || text->kind != LJ_STR) {
            fprintf(stderr, "smc lsp: didOpen without textDocument.uri and text\n");
            return;
        }
        lsp_doc *d = lsp_doc_open(sv, uri, text->s, text->len, lsp_json_int(td, "version", 0));
        if (d)
            republish(sv, d, d->path);
        else
            fprintf(stderr, "smc lsp: out of memory opening %s\n", uri);
    } else if (strcmp(method, "textDocument/didChange") == 0) {
        lsp_doc *d = uri ? lsp_doc_find(sv, uri) : NULL;
        const lsp_json *changes = lsp_json_get(params, "contentChanges");
        if (!d || !changes || changes->kind != LJ_ARR) {
            fprintf(stderr, "smc lsp: didChange of a document not open, or without changes\n");
            return;
        }
        for (const lsp_json *c = changes->kids; c; c = c->next)
            if (!lsp_doc_change(d, c))
                fprintf(stderr, "smc lsp: a change to %s could not be applied\n", uri);
        d->version = lsp_json_int(td, "version", d->version);
        republish(sv, d, d->path);
    } else if (strcmp(method, "textDocument/didClose") == 0) {
        lsp_doc *d = uri ? lsp_doc_find(sv, uri) : NULL;
        if (!d)
            return;
        char *path = d->path;
        d->path = NULL;
        lsp_doc_close(sv, d);
        republish(sv, NULL, path);
        free(path);
        sm_buf b = SM_BUF_INIT;
        sm_buf_puts(&b, "{\"uri\":");
        smc_json_quote(&b, uri, strlen(uri));
        sm_buf_puts(&b, ",\"diagnostics\":[]}");
        lsp_notify(sv, "textDocument/publishDiagnostics", b.data, b.len);
        sm_buf_free(&b);
    }
    /* didSave: the diagnostics already come from the buffer.  Others
     * ($/cancelRequest, $/setTrace, ...) need nothing. */
}

static void request(lsp_server *sv, const lsp_json *id, const char *method, const lsp_json *params)
{
    if (strcmp(method, "initialize") == 0) {
        if (sv->initialized) {
            respond_error(sv, id, LSP_INVALID_REQUEST, "initialize was already received");
            return;
        }
        initialize(sv, params);
        respond(sv, id, capabilities, sizeof capabilities - 1);
        return;
    }
    if (!sv->initialized) {
        respond_error(sv, id, LSP_NOT_INITIALIZED, "the server is not initialized");
        return;
    }
    if (sv->shutdown) {
        respond_error(sv, id, LSP_INVALID_REQUEST, "the server is shutting down");
        return;
    }
    if (strcmp(method, "shutdown") == 0) {
        sv->shutdown = true;
        respond(sv, id, "null", 4);
        return;
    }
    for (size_t i = 0; i < sizeof requests / sizeof requests[0]; i++)
        if (strcmp(method, requests[i].method) == 0) {
            sm_buf out = SM_BUF_INIT;
            int code = LSP_INTERNAL_ERROR;
            const char *err = requests[i].fn(sv, params, &out, &code);
            if (err)
                respond_error(sv, id, code, err);
            else if (!out.data)
                respond_error(sv, id, LSP_INTERNAL_ERROR, "out of memory");
            else
                respond(sv, id, out.data, out.len);
            sm_buf_free(&out);
            return;
        }
    sm_buf msg = SM_BUF_INIT;
    sm_buf_printf(&msg, "unknown method '%s'", method);
    respond_error(sv, id, LSP_METHOD_NOT_FOUND, msg.data ? msg.data : "unknown method");
    sm_buf_free(&msg);
}

/* One message; returns false after `exit`. */
static bool handle(lsp_server *sv, sm_arena *a, const char *body, size_t len, int *status)
{
    char err[160];
    lsp_json *m = lsp_json_parse(a, body, len, err, sizeof err);
    if (!m) {
        fprintf(stderr, "smc lsp: invalid JSON: %s\n", err);
        respond_error(sv, NULL, LSP_PARSE_ERROR, "invalid JSON");
        return true;
    }
    const lsp_json *id = lsp_json_get(m, "id");
    const lsp_json *method = lsp_json_get(m, "method");
    if (id && id->kind != LJ_NUM && id->kind != LJ_STR)
        id = NULL;
    if (m->kind != LJ_OBJ || !method || method->kind != LJ_STR) {
        if (m->kind == LJ_OBJ && !method && (lsp_json_get(m, "result") || lsp_json_get(m, "error")))
            return true; /* a response to a request of ours: none are sent */
        respond_error(sv, id, LSP_INVALID_REQUEST, "not a request or notification");
        return true;
    }
    const lsp_json *params = lsp_json_get(m, "params");
    if (strcmp(method->s, "exit") == 0) {
        *status = sv->shutdown ? 0 : 1;
        return false;
    }
    if (id)
        request(sv, id, method->s, params);
    else if (sv->initialized)
        notification(sv, method->s, params);
    return true;
}

int smc_lsp_main(int argc, char **argv, void (*add_stdlib)(smc_ctx *ctx))
{
    lsp_server sv;
    memset(&sv, 0, sizeof sv);
    sm_arena_init(&sv.init_arena, 4096);
    sv.out = stdout;
    sv.add_stdlib = add_stdlib;
    const char **args = calloc((size_t)argc + 1, sizeof *args);
    sv.incdirs = args;
    if (!args) {
        fputs("smc lsp: out of memory\n", stderr);
        return 3;
    }
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        const char *dir = strcmp(a, "-I") == 0 && i + 1 < argc ? argv[++i]
                        : strncmp(a, "-I", 2) == 0 && a[2] ? a + 2 : NULL;
        if (dir) {
            args[sv.nincdirs] = absolute(&sv.init_arena, dir, strlen(dir));
            if (!args[sv.nincdirs]) {
                fputs("smc lsp: out of memory\n", stderr);
                sm_arena_free(&sv.init_arena);
                free(args);
                return 3;
            }
            sv.nincdirs++;
        } else if (strcmp(a, "--stdio") == 0) {
            /* what language clients pass: stdio is the only transport */
        } else {
            fprintf(stderr, "smc: unknown or misplaced option '%s'\nusage: smc lsp [-I DIR]...\n",
                    a);
            sm_arena_free(&sv.init_arena);
            free(args);
            return 2;
        }
    }
    signal(SIGPIPE, SIG_IGN); /* a client gone is seen as a failed write */
    sm_arena msg;
    sm_arena_init(&msg, 64 * 1024);
    int status = 1; /* the input ended without `exit` */
    while (!sv.exited) {
        char *body = NULL;
        size_t len = 0;
        const char *why = NULL;
        lsp_read r = lsp_rpc_read(stdin, &body, &len, &why);
        if (r == LSP_READ_EOF)
            break;
        if (r == LSP_READ_BAD) {
            fprintf(stderr, "smc lsp: %s\n", why);
            respond_error(&sv, NULL, LSP_PARSE_ERROR, why);
            continue;
        }
        bool go_on = handle(&sv, &msg, body, len, &status);
        free(body);
        sm_arena_reset(&msg);
        if (!go_on)
            break;
    }
    if (sv.exited && status == 1 && sv.shutdown)
        status = 0;
    lsp_doc_free_all(&sv);
    sm_arena_free(&msg);
    sm_arena_free(&sv.init_arena);
    free(args);
    return status;
}
