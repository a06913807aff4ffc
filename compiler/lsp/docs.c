/*
 * docs.c: the documents the client has open (their unsaved texts), file
 * URIs, and positions.  The protocol counts a line's characters in UTF-16
 * code units; the compiler counts bytes of UTF-8.  Bytes that are not
 * valid UTF-8 count one unit each, as editors show them.
 */
#include "lsp.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *dup_n(const char *s, size_t n)
{
    char *r = malloc(n + 1);
    if (r) {
        memcpy(r, s, n);
        r[n] = 0;
    }
    return r;
}

lsp_doc *lsp_doc_find(lsp_server *sv, const char *uri)
{
    for (lsp_doc *d = sv->docs; d; d = d->next)
        if (strcmp(d->uri, uri) == 0)
            return d;
    return NULL;
}

static void doc_free(lsp_doc *d)
{
    lsp_analysis_free(d->an);
    lsp_analysis_free(d->parsed);
    free(d->uri);
    free(d->path);
    free(d->text);
    free(d);
}

lsp_doc *lsp_doc_open(lsp_server *sv, const char *uri, const char *text, size_t len,
                      int64_t version)
{
    lsp_doc *old = lsp_doc_find(sv, uri);
    if (old)
        lsp_doc_close(sv, old);
    lsp_doc *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->uri = dup_n(uri, strlen(uri));
    d->path = lsp_uri_to_path(uri);
    if (!d->path && d->uri) /* an untitled buffer: named by its URI */
        d->path = dup_n(uri, strlen(uri));
    d->text = dup_n(text, len);
    d->len = len;
    d->version = version;
    if (!d->uri || !d->path || !d->text) {
        doc_free(d);
        return NULL;
    }
    d->next = sv->docs;
    sv->docs = d;
    return d;
}

void lsp_doc_close(lsp_server *sv, lsp_doc *d)
{
    for (lsp_doc **p = &sv->docs; *p; p = &(*p)->next)
        if (*p == d) {
            *p = d->next;
            break;
        }
    doc_free(d);
}

void lsp_doc_free_all(lsp_server *sv)
{
    while (sv->docs) {
        lsp_doc *d = sv->docs;
        sv->docs = d->next;
        doc_free(d);
    }
}

void lsp_docs_stale(lsp_server *sv)
{
    for (lsp_doc *d = sv->docs; d; d = d->next) {
        if (d->an && d->an->file) {
            lsp_analysis_free(d->parsed);
            d->parsed = d->an;
        } else {
            lsp_analysis_free(d->an);
        }
        d->an = NULL;
    }
}

bool lsp_read_pos(const lsp_json *pos, lsp_pos *out)
{
    int64_t line = lsp_json_int(pos, "line", -1), ch = lsp_json_int(pos, "character", -1);
    if (line < 0 || ch < 0 || line > UINT32_MAX || ch > UINT32_MAX)
        return false;
    out->line = (uint32_t)line;
    out->character = (uint32_t)ch;
    return true;
}

bool lsp_doc_change(lsp_doc *d, const lsp_json *change)
{
    const lsp_json *text = lsp_json_get(change, "text");
    if (!text || text->kind != LJ_STR)
        return false;
    const lsp_json *range = lsp_json_get(change, "range");
    size_t from = 0, to = d->len;
    if (range) {
        lsp_pos a, b;
        if (!lsp_read_pos(lsp_json_get(range, "start"), &a) ||
            !lsp_read_pos(lsp_json_get(range, "end"), &b))
            return false;
        from = lsp_off_of(d->text, d->len, a);
        to = lsp_off_of(d->text, d->len, b);
        if (to < from)
            return false;
    }
    size_t n = d->len - (to - from) + text->len;
    char *t = malloc(n + 1);
    if (!t)
        return false;
    memcpy(t, d->text, from);
    memcpy(t + from, text->s, text->len);
    memcpy(t + from + text->len, d->text + to, d->len - to);
    t[n] = 0;
    free(d->text);
    d->text = t;
    d->len = n;
    return true;
}

/* ---- URIs -------------------------------------------------------------------------- */

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
         : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

char *lsp_uri_to_path(const char *uri)
{
    if (strncmp(uri, "file://", 7) != 0)
        return NULL;
    const char *p = uri + 7;
    if (*p != '/') { /* file://host/path: only the local host */
        if (strncmp(p, "localhost/", 10) != 0)
            return NULL;
        p += 9;
    }
    size_t n = strlen(p);
    char *out = malloc(n + 1), *o = out;
    if (!out)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        int h, l;
        if (p[i] == '%' && i + 2 < n + 1 && (h = hexval(p[i + 1])) >= 0 &&
            (l = hexval(p[i + 2])) >= 0 && (h || l)) {
            *o++ = (char)(h * 16 + l);
            i += 2;
        } else {
            *o++ = p[i];
        }
    }
    *o = 0;
    return out;
}

void lsp_put_path_uri(sm_buf *b, const char *path)
{
    if (strncmp(path, "file:", 5) == 0 || strncmp(path, "untitled:", 9) == 0) {
        smc_json_quote(b, path, strlen(path)); /* a document named by its URI */
        return;
    }
    sm_buf u = SM_BUF_INIT, abs = SM_BUF_INIT;
    sm_buf_puts(&u, "file://");
    if (path[0] != '/') { /* a relative -I directory: from the working directory */
        char cwd[4096];
        if (getcwd(cwd, sizeof cwd))
            sm_buf_printf(&abs, "%s/%s", cwd, path[0] == '.' && path[1] == '/' ? path + 2 : path);
        if (abs.data)
            path = abs.data;
    }
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        unsigned c = *p;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            strchr("/-._~", (int)c))
            sm_buf_putc(&u, (char)c);
        else
            sm_buf_printf(&u, "%%%02X", c);
    }
    smc_json_quote(b, u.data ? u.data : "", u.len);
    sm_buf_free(&u);
    sm_buf_free(&abs);
}

/* ---- Positions -------------------------------------------------------------------- */

/* Length of the UTF-8 sequence at s (at most n bytes) and its UTF-16
 * units; an invalid byte is one byte, one unit. */
static size_t utf8_step(const unsigned char *s, size_t n, uint32_t *units)
{
    size_t k = s[0] < 0x80 ? 1 : s[0] >= 0xC2 && s[0] <= 0xDF ? 2
             : s[0] >= 0xE0 && s[0] <= 0xEF ? 3 : s[0] >= 0xF0 && s[0] <= 0xF4 ? 4 : 1;
    if (k > n)
        k = 1;
    for (size_t i = 1; i < k; i++)
        if ((s[i] & 0xC0) != 0x80)
            k = 1;
    *units = k == 4 ? 2 : 1;
    return k;
}

lsp_pos lsp_pos_of(const smc_source *src, uint32_t off)
{
    if (off > src->len)
        off = src->len;
    uint32_t line, col;
    smc_source_pos(src, off, &line, &col);
    lsp_pos p = {line - 1, 0};
    const unsigned char *t = (const unsigned char *)src->text;
    for (uint32_t i = src->lines[line - 1]; i < off;) {
        uint32_t u;
        i += (uint32_t)utf8_step(t + i, off - i, &u);
        p.character += u;
    }
    return p;
}

uint32_t lsp_off_of(const char *text, size_t len, lsp_pos p)
{
    size_t i = 0;
    for (uint32_t l = 0; l < p.line; l++) {
        const char *nl = memchr(text + i, '\n', len - i);
        if (!nl)
            return (uint32_t)len;
        i = (size_t)(nl - text) + 1;
    }
    const unsigned char *t = (const unsigned char *)text;
    uint32_t units = 0;
    while (i < len && t[i] != '\n' && units < p.character) {
        if (t[i] == '\r' && i + 1 < len && t[i + 1] == '\n')
            break;
        uint32_t u;
        i += utf8_step(t + i, len - i, &u);
        units += u;
    }
    return (uint32_t)i;
}

void lsp_put_range(sm_buf *b, const smc_source *src, uint32_t off, uint32_t len)
{
    lsp_pos s = lsp_pos_of(src, off), e = lsp_pos_of(src, off + len);
    sm_buf_printf(b, "{\"start\":{\"line\":%u,\"character\":%u},\"end\":{\"line\":%u,\"character\":%u}}",
                  s.line, s.character, e.line, e.character);
}

void lsp_put_location(sm_buf *b, smc_ctx *ctx, smc_span sp)
{
    const smc_source *src = ctx->files[sp.file];
    sm_buf_puts(b, "{\"uri\":");
    lsp_put_path_uri(b, src->path);
    sm_buf_puts(b, ",\"range\":");
    lsp_put_range(b, src, sp.off, sp.len);
    sm_buf_putc(b, '}');
}
