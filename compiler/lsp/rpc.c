/*
 * rpc.c: the base protocol's framing: header lines ending in "\r\n"
 * (a bare "\n" is accepted), a blank line, then Content-Length bytes of
 * content.  A header block without a usable Content-Length is consumed
 * and reported, so one broken message does not end the session; a
 * message past LSP_MAX_MESSAGE is read through and dropped.
 */
#include "lsp.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { MAX_LINE = 8192 };

/* One header line, without its end of line; longer lines are cut (the
 * rest is read and dropped).  -1 at the end of the input. */
static int read_line(FILE *in, char *line, size_t *n)
{
    size_t k = 0;
    int c;
    bool any = false;
    while ((c = getc(in)) != EOF) {
        any = true;
        if (c == '\n')
            break;
        if (k < MAX_LINE - 1)
            line[k++] = (char)c;
    }
    if (!any)
        return -1;
    if (k > 0 && line[k - 1] == '\r')
        k--;
    line[k] = 0;
    *n = k;
    return c == EOF ? -1 : 0;
}

/* Drops n bytes of input; false at the end of the input. */
static bool skip(FILE *in, size_t n)
{
    char chunk[65536];
    while (n > 0) {
        size_t k = fread(chunk, 1, n < sizeof chunk ? n : sizeof chunk, in);
        if (k == 0)
            return false;
        n -= k;
    }
    return true;
}

lsp_read lsp_rpc_read(FILE *in, char **body, size_t *len, const char **why)
{
    char line[MAX_LINE];
    size_t n, length = 0;
    bool have = false, bad = false, any = false;
    for (;;) {
        if (read_line(in, line, &n) < 0)
            return LSP_READ_EOF; /* a message cut short is no message */
        if (n == 0) {
            if (!any)
                continue; /* blank lines between messages */
            break;
        }
        any = true;
        const char *colon = strchr(line, ':');
        if (!colon) {
            bad = true;
            continue;
        }
        if ((size_t)(colon - line) == 14 && strncasecmp(line, "Content-Length", 14) == 0) {
            const char *v = colon + 1;
            while (*v == ' ' || *v == '\t')
                v++;
            char *end;
            unsigned long long x = *v >= '0' && *v <= '9' ? strtoull(v, &end, 10) : 0;
            have = *v >= '0' && *v <= '9' && *end == 0 && x <= SIZE_MAX / 2;
            length = have ? (size_t)x : 0;
            bad |= !have;
        }
    }
    if (!have) {
        *why = bad ? "a header block without a valid Content-Length" : "no Content-Length";
        return LSP_READ_BAD;
    }
    if (length > LSP_MAX_MESSAGE) {
        *why = "a message larger than the server accepts";
        return skip(in, length) ? LSP_READ_BAD : LSP_READ_EOF;
    }
    char *b = malloc(length + 1);
    if (!b) {
        *why = "out of memory";
        return skip(in, length) ? LSP_READ_BAD : LSP_READ_EOF;
    }
    if (fread(b, 1, length, in) != length) {
        free(b);
        return LSP_READ_EOF;
    }
    b[length] = 0;
    *body = b;
    *len = length;
    return LSP_READ_OK;
}

bool lsp_rpc_write(FILE *out, const char *body, size_t len)
{
    return fprintf(out, "Content-Length: %zu\r\n\r\n", len) > 0 &&
           fwrite(body, 1, len, out) == len && fflush(out) == 0;
}
