/*
 * redact.c: keeping values flagged SM_V_SECRET out of traces and
 * messages (docs/c-api.md, "Secret values").
 *
 * Traces get a copy of the parameters in which each secret value is the
 * text "***"; the copy is made only when a tracer is installed and some
 * value is secret.  Messages are cleaned once, where a statement failed
 * (sm_stmt_exec): whatever the database or the driver wrote, every
 * occurrence of a secret value's text in the message and in the
 * constraint details becomes "***".  Layers above that quote values of
 * their own (the row reader, validation, JSON) leave secret ones out at
 * the source.
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The flags sit in the padding after kind on LP64 targets: adding them
 * did not change the size or the offsets of the other members. */
#if SIZE_MAX > UINT32_MAX
struct sm_value_unflagged {
    int kind;
    size_t len;
    union {
        int64_t i;
        double d;
        const void *p;
    } u;
};
_Static_assert(sizeof(sm_value) == sizeof(struct sm_value_unflagged),
               "sm_value.flags must fit in the padding after kind");
#endif

/* A cut value is recognised by its first bytes: a database that shortens
 * a long value in a message ("'abc...'") quotes at least this many, and
 * a run this long of the secret's own bytes is the secret. */
#define CUT_MIN 16

bool sm_values_secret(const sm_value *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (v[i].flags & SM_V_SECRET)
            return true;
    return false;
}

static const sm_value stars = {SM_VTEXT, SM_V_SECRET, 3, {.p = "***"}};

const sm_value *sm_trace_values(const sm_value *v, size_t n, sm_value *buf, size_t nbuf,
                                sm_value **heap)
{
    *heap = NULL;
    if (!sm_values_secret(v, n))
        return v;
    sm_value *out = buf;
    if (n > nbuf && !(out = *heap = malloc(n * sizeof *out)))
        return NULL;
    for (size_t i = 0; i < n; i++)
        out[i] = (v[i].flags & SM_V_SECRET) ? stars : v[i];
    return out;
}

/* ---- Messages ---------------------------------------------------------------- */

/* A byte of a word: an occurrence of a value inside a longer word is not
 * that value ("1" in "1062", "pw" in "pwd"). */
static bool word(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
           c >= 0x80;
}

/* The text a database would show for v, in tmp when it is formatted;
 * false when there is none to look for (NULL, booleans, empty text). */
static bool rendition(const sm_value *v, char *tmp, size_t size, const char **s, size_t *n)
{
    switch (v->kind) {
    case SM_VINT:
        *n = (size_t)snprintf(tmp, size, "%lld", (long long)v->u.i);
        *s = tmp;
        return true;
    case SM_VREAL: /* as the drivers bind it as text */
        *n = size >= SM_REAL_BUFSZ ? sm_real_format(v->u.d, tmp) : 0;
        *s = tmp;
        return *n > 0;
    case SM_VTEXT:
    case SM_VBLOB:
        *s = v->u.p;
        *n = v->len;
        return v->len > 0 && v->u.p;
    default:
        return false;
    }
}

/* src with every occurrence of needle[0..n) that stands as a whole word,
 * and every run of at least CUT_MIN of its first bytes, replaced by
 * "***", into out: 1, or 0 when nothing was replaced, -1 out of memory.
 * Linear in the length of src: a comparison longer than CUT_MIN bytes
 * always consumes what it compared. */
static int redact_one(const char *src, size_t len, const char *needle, size_t n, sm_buf *out)
{
    int rc = SM_OK;
    bool hit = false;
    bool word_start = word((unsigned char)needle[0]), word_end = word((unsigned char)needle[n - 1]);
    size_t i = 0, copied = 0;
    while (i < len) {
        const char *p = memchr(src + i, needle[0], len - i);
        if (!p)
            break;
        i = (size_t)(p - src);
        size_t m = 0;
        if (!(word_start && i > 0 && word((unsigned char)src[i - 1])))
            while (m < n && i + m < len && src[i + m] == needle[m])
                m++;
        bool whole = m == n && !(word_end && i + n < len && word((unsigned char)src[i + n]));
        if (whole || m >= CUT_MIN) {
            if (rc == SM_OK)
                rc = sm_buf_append(out, src + copied, i - copied);
            if (rc == SM_OK)
                rc = sm_buf_puts(out, "***");
            i += m;
            copied = i;
            hit = true;
        } else {
            i++;
        }
    }
    if (hit && rc == SM_OK)
        rc = sm_buf_append(out, src + copied, len - copied);
    return rc != SM_OK ? -1 : hit;
}

/* s with every secret value of v redacted, into *b: 1, or 0 when
 * nothing changed (b empty), -1 out of memory (b empty). */
static int redact_text(const char *s, const sm_value *v, size_t nv, sm_buf *b)
{
    sm_buf tmp = SM_BUF_INIT;
    const char *cur = s;
    size_t len = strlen(s);
    int changed = 0;
    *b = (sm_buf)SM_BUF_INIT;
    for (size_t i = 0; i < nv && len; i++) {
        const char *needle;
        size_t n;
        char num[40];
        if (!(v[i].flags & SM_V_SECRET) || !rendition(&v[i], num, sizeof num, &needle, &n))
            continue;
        sm_buf_reset(&tmp);
        int hit = redact_one(cur, len, needle, n, &tmp);
        if (hit == 0)
            continue;
        if (hit < 0) {
            sm_buf_free(b);
            changed = -1;
            break;
        }
        sm_buf swap = *b;
        *b = tmp;
        tmp = swap;
        cur = b->data;
        len = b->len;
        changed = 1;
    }
    sm_buf_free(&tmp);
    return changed;
}

void sm_cx_redact(sm_cx *cx, const sm_value *v, size_t n)
{
    if (!sm_values_secret(v, n))
        return;
    sm_cx_impl *c = sm_cx_impl_of(cx);
    sm_buf b;
    int rc = c->msg.data ? redact_text(c->msg.data, v, n, &b) : 0;
    if (rc > 0) {
        sm_buf_free(&c->msg);
        c->msg = b;
    } else if (rc < 0) {
        /* No memory for the cleaned copy: say nothing rather than the
         * value (the buffer held it, so "***" fits in place). */
        memcpy(c->msg.data, "***", 4);
        c->msg.len = 3;
    }
    if (c->cons.kind == SM_CK_NONE)
        return;
    const char *src[3] = {c->cons.table, c->cons.name, c->cons.columns};
    const char *now[3];
    sm_buf out[3];
    bool changed = false;
    for (int i = 0; i < 3; i++) {
        rc = src[i] ? redact_text(src[i], v, n, &out[i]) : (out[i] = (sm_buf)SM_BUF_INIT, 0);
        now[i] = rc > 0 ? out[i].data : rc < 0 ? NULL : src[i];
        changed |= rc != 0;
    }
    if (changed) {
        /* The strings kept point into cons_strs, which
         * sm_cx_set_constraint rewrites: hand it a new buffer. */
        sm_buf keep = c->cons_strs;
        c->cons_strs = (sm_buf)SM_BUF_INIT;
        sm_cx_set_constraint(cx, c->cons.kind, now[0], now[1], now[2]);
        sm_buf_free(&keep);
    }
    for (int i = 0; i < 3; i++)
        sm_buf_free(&out[i]);
}
