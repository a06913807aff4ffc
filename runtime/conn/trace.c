/*
 * trace.c: the stderr tracer that SMDL_ECHO=1 installs (sm_trace_stderr).
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Text parameters longer than this are cut in the trace. */
#define TRACE_TEXT_MAX 200

static void trace_text(sm_buf *b, const char *s, size_t n)
{
    size_t shown = n;
    if (shown > TRACE_TEXT_MAX) {
        shown = TRACE_TEXT_MAX;
        while (shown > 0 && ((unsigned char)s[shown] & 0xC0) == 0x80)
            shown--; /* do not cut a UTF-8 sequence */
    }
    sm_buf_putc(b, '\'');
    for (size_t i = 0; i < shown; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\'')
            sm_buf_puts(b, "''");
        else if (c == '\n')
            sm_buf_puts(b, "\\n");
        else if (c == '\t')
            sm_buf_puts(b, "\\t");
        else if (c == '\r')
            sm_buf_puts(b, "\\r");
        else if (c < 0x20 || c == 0x7f)
            sm_buf_printf(b, "\\x%02x", c);
        else
            sm_buf_putc(b, (char)c);
    }
    sm_buf_putc(b, '\'');
    if (shown < n)
        sm_buf_printf(b, "...(%zu bytes)", n);
}

static void trace_real(sm_buf *b, double d)
{
    char tmp[SM_REAL_BUFSZ];
    sm_buf_append(b, tmp, sm_real_format(d, tmp));
}

/* SQLAlchemy's echo, adapted: the SQL on one line, then the statement's
 * provenance and duration and the parameters as a tuple:
 *     SELECT * FROM hero WHERE name = ?
 *     [cached 0.012 ms] ('Deadpond',)
 * Values are shown as SQL literals (NULL, TRUE); long text is cut,
 * blobs are shown by size and secret values as ***.  ud is unused. */
void sm_trace_stderr(void *ud, const sm_trace *t)
{
    (void)ud;
    if (!t)
        return;
    sm_buf b = SM_BUF_INIT;
    bool space = false;
    for (const char *s = t->sql ? t->sql : ""; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c <= ' ') {
            space = b.len > 0;
            continue;
        }
        if (space)
            sm_buf_putc(&b, ' ');
        space = false;
        sm_buf_putc(&b, (char)c);
    }
    sm_buf_printf(&b, "\n[%s %.3f ms] (", t->cached ? "cached" : "prepared",
                  (double)t->duration_ns / 1e6);
    for (size_t i = 0; i < t->nparams; i++) {
        const sm_value *v = &t->params[i];
        if (i)
            sm_buf_puts(&b, ", ");
        if (v->flags & SM_V_SECRET) {
            sm_buf_puts(&b, "***");
            continue;
        }
        switch (v->kind) {
        case SM_VNULL:
            sm_buf_puts(&b, "NULL");
            break;
        case SM_VBOOL:
            sm_buf_puts(&b, v->u.i ? "TRUE" : "FALSE");
            break;
        case SM_VINT:
            sm_buf_printf(&b, "%lld", (long long)v->u.i);
            break;
        case SM_VREAL:
            trace_real(&b, v->u.d);
            break;
        case SM_VTEXT:
            trace_text(&b, v->u.p, v->len);
            break;
        case SM_VBLOB:
            sm_buf_printf(&b, "<%zu bytes>", v->len);
            break;
        default:
            sm_buf_printf(&b, "<kind %d>", v->kind);
            break;
        }
    }
    sm_buf_puts(&b, t->nparams == 1 ? ",)" : ")");
    if (t->rc < 0)
        sm_buf_printf(&b, " -> %s", sm_strerror(t->rc));
    sm_buf_putc(&b, '\n');
    if (b.data)
        fwrite(b.data, 1, b.len, stderr);
    sm_buf_free(&b);
}
