/*
 * buf.c: the growing byte buffer (sm_buf) and the list of field errors
 * (sm_errors).  Both keep their contents unchanged when an operation fails
 * for lack of memory, so a caller can report SM_NOMEM and carry on.
 *
 * A list of field errors holds at most ERRORS_MAX errors: the next one
 * becomes a last error {"", "too_many_errors", ...} and any after it are
 * dropped, so that hostile input cannot make millions of them.  The
 * decoder and validation stop looking once a list ends that way.
 */
#include "internal.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BUF_MIN_CAP ((size_t)64)
#define ERRORS_MIN_CAP ((size_t)8)
#define ERRORS_MAX 100

/* Makes room for `extra` more bytes plus the terminating NUL, growing
 * geometrically.  On failure nothing changes. */
static int buf_reserve(sm_buf *b, size_t extra)
{
    if (extra > SIZE_MAX - 1 - b->len)
        return SM_NOMEM;
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return SM_OK;
    size_t cap = b->cap ? b->cap : BUF_MIN_CAP;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    char *p = realloc(b->data, cap);
    if (!p)
        return SM_NOMEM;
    if (!b->data)
        p[0] = 0;
    b->data = p;
    b->cap = cap;
    return SM_OK;
}

/* p may point into b's own data: its offset survives the realloc. */
int sm_buf_append(sm_buf *b, const void *p, size_t n)
{
    if (!b || (!p && n))
        return SM_MISUSE;
    const char *src = p;
    bool inside = b->data && src >= b->data && src < b->data + b->cap;
    size_t off = inside ? (size_t)(src - b->data) : 0;
    int rc = buf_reserve(b, n);
    if (rc != SM_OK)
        return rc;
    if (inside)
        src = b->data + off;
    if (n)
        memmove(b->data + b->len, src, n);
    b->len += n;
    b->data[b->len] = 0;
    return SM_OK;
}

int sm_buf_puts(sm_buf *b, const char *s)
{
    if (!s)
        return SM_MISUSE;
    return sm_buf_append(b, s, strlen(s));
}

int sm_buf_putc(sm_buf *b, char c)
{
    if (b && b->data && b->len + 1 < b->cap) { /* the common case: room for c and the NUL */
        b->data[b->len++] = c;
        b->data[b->len] = 0;
        return SM_OK;
    }
    return sm_buf_append(b, &c, 1);
}

/* Formats straight into the free space; when it does not fit, the NUL at
 * data[len] that vsnprintf overwrote is put back before growing, so the
 * buffer is unchanged if the growth fails. */
int sm_buf_printf(sm_buf *b, const char *fmt, ...)
{
    if (!b || !fmt)
        return SM_MISUSE;
    size_t avail = b->data ? b->cap - b->len : 0;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(avail ? b->data + b->len : NULL, avail, fmt, ap);
    va_end(ap);
    if (n >= 0 && (size_t)n < avail) {
        b->len += (size_t)n;
        return SM_OK;
    }
    if (b->data)
        b->data[b->len] = 0;
    if (n < 0)
        return SM_ERROR;
    int rc = buf_reserve(b, (size_t)n);
    if (rc != SM_OK)
        return rc;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return SM_OK;
}

void sm_buf_reset(sm_buf *b)
{
    if (!b)
        return;
    b->len = 0;
    if (b->data)
        b->data[0] = 0;
}

void sm_buf_free(sm_buf *b)
{
    if (!b)
        return;
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

/* ---- sm_errors ---------------------------------------------------------- */

static char *str_dup(const char *s)
{
    size_t n = strlen(s);
    char *p = malloc(n + 1);
    if (p)
        memcpy(p, s, n + 1);
    return p;
}

/* Makes room for one more error.  On failure nothing changes. */
static int errors_reserve(sm_errors *e)
{
    if (e->len < e->cap)
        return SM_OK;
    size_t cap = e->cap ? e->cap : ERRORS_MIN_CAP;
    if (e->cap) {
        if (cap > SIZE_MAX / 2 / sizeof(sm_error))
            return SM_NOMEM;
        cap *= 2;
    }
    sm_error *items = realloc(e->items, cap * sizeof(sm_error));
    if (!items)
        return SM_NOMEM;
    e->items = items;
    e->cap = cap;
    return SM_OK;
}

/* Appends {path, code, msg}; the list takes msg, a heap string (NULL: out
 * of memory).  On failure nothing changes and msg is freed. */
static int errors_push(sm_errors *e, const char *path, const char *code, char *msg)
{
    char *p = msg ? str_dup(path ? path : "") : NULL;
    if (!p || errors_reserve(e) != SM_OK) {
        free(p);
        free(msg);
        return SM_NOMEM;
    }
    sm_error *it = &e->items[e->len++];
    it->path = p;
    it->code = code;
    it->msg = msg;
    return SM_OK;
}

/* The message is formatted once to measure it, then into its own heap
 * copy.  A full list takes the too_many_errors error instead, then
 * nothing. */
int sm_errors_add(sm_errors *e, const char *path, const char *code, const char *fmt, ...)
{
    if (!e || !code || !fmt)
        return SM_MISUSE;
    if (e->len >= ERRORS_MAX) {
        if (e->len > ERRORS_MAX)
            return SM_OK;
        static const char more[] = "more than 100 errors: the rest are not reported";
        _Static_assert(ERRORS_MAX == 100, "the message says 100");
        return errors_push(e, "", "too_many_errors", str_dup(more));
    }
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return SM_ERROR;
    char *msg = malloc((size_t)n + 1);
    if (msg) {
        va_start(ap, fmt);
        vsnprintf(msg, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    return errors_push(e, path, code, msg);
}

void sm_errors_truncate(sm_errors *e, size_t len)
{
    if (!e)
        return;
    for (size_t i = len; i < e->len; i++) {
        free(e->items[i].path);
        free(e->items[i].msg);
    }
    if (len < e->len)
        e->len = len;
}

void sm_errors_clear(sm_errors *e)
{
    sm_errors_truncate(e, 0);
}

void sm_errors_free(sm_errors *e)
{
    if (!e)
        return;
    sm_errors_clear(e);
    free(e->items);
    e->items = NULL;
    e->cap = 0;
}

int sm_strings_push(char ***items, size_t *n, size_t *cap, const char *s)
{
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 4;
        char **grown = realloc(*items, c * sizeof *grown);
        if (!grown)
            return SM_NOMEM;
        *items = grown;
        *cap = c;
    }
    size_t len = strlen(s);
    char *copy = malloc(len + 1);
    if (!copy)
        return SM_NOMEM;
    memcpy(copy, s, len + 1);
    (*items)[(*n)++] = copy;
    return SM_OK;
}

/* Through a volatile pointer, so that the wipe of a secret about to be
 * freed is not optimised away. */
void sm_wipe(void *p, size_t n)
{
    volatile unsigned char *v = p;
    while (n--)
        *v++ = 0;
}
