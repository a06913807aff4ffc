/*
 * diag.c: recording and printing diagnostics.  Positions stay byte
 * offsets until printing.  Text output is GNU style with the source line
 * and a caret as wide as the span; JSON output is for editors.
 */
#include "smc.h"

#include "internal.h" /* sm_utf8_valid */

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const struct {
    const char *code, *desc;
} codes[] = {
#define X(name, code, desc) {code, desc},
    SMC_DIAG_CODES(X)
#undef X
};

const char *smc_code_str(smc_code c) { return codes[c].code; }
const char *smc_code_desc(smc_code c) { return codes[c].desc; }

enum { MAX_ERRORS_DEFAULT = 100 };

static smc_diag *record(smc_ctx *ctx, smc_severity sev, smc_span at, const char *code,
                        const char *fmt, va_list ap)
{
    int limit = ctx->max_errors ? ctx->max_errors : MAX_ERRORS_DEFAULT;
    if (sev == SMC_SEV_ERROR)
        ctx->nerrors++;
    else
        ctx->nwarnings++;
    smc_diag *d = smc_alloc(ctx, sizeof *d);
    d->sev = sev;
    d->code = code;
    d->span = at;
    d->msg = smc_vprintf(ctx, fmt, ap);
    /* Past the limit the diagnostic is built (callers attach notes) but
     * not listed; the count still tells the exit status. */
    if (ctx->nerrors + ctx->nwarnings - ctx->nquiet <= limit) {
        if (ctx->last_diag)
            ctx->last_diag->next = d;
        else
            ctx->diags = d;
        ctx->last_diag = d;
    } else {
        d->hidden = true;
    }
    return d;
}

smc_diag *smc_error(smc_ctx *ctx, smc_span at, smc_code code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    smc_diag *d = record(ctx, SMC_SEV_ERROR, at, codes[code].code, fmt, ap);
    va_end(ap);
    return d;
}

smc_diag *smc_error_quiet(smc_ctx *ctx, smc_span at, smc_code code)
{
    ctx->nerrors++;
    ctx->nquiet++;
    smc_diag *d = smc_alloc(ctx, sizeof *d);
    d->sev = SMC_SEV_ERROR;
    d->code = codes[code].code;
    d->span = at;
    d->msg = "";
    d->hidden = true; /* notes and suggestions are not even built */
    return d;
}

smc_diag *smc_warning(smc_ctx *ctx, smc_span at, const char *wname, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    smc_diag *d = record(ctx, SMC_SEV_WARNING, at, smc_printf(ctx, "-W%s", wname), fmt, ap);
    va_end(ap);
    return d;
}

void smc_note(smc_ctx *ctx, smc_diag *d, const smc_span *at, const char *fmt, ...)
{
    if (d->hidden) /* never shown: spend nothing on it */
        return;
    smc_diag_note *n = smc_alloc(ctx, sizeof *n);
    va_list ap;
    va_start(ap, fmt);
    n->msg = smc_vprintf(ctx, fmt, ap);
    va_end(ap);
    if (at) {
        n->span = *at;
        n->has_span = true;
    } else {
        n->span = d->span;
    }
    if (d->last_note)
        d->last_note->next = n;
    else
        d->notes = n;
    d->last_note = n;
}

static char fold(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Edit distance with a cut-off, case-insensitive on ASCII letters; an
 * adjacent transposition ("nmae") counts as one edit. */
static size_t distance(const char *a, const char *b, size_t cutoff)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return cutoff + 1;
    size_t rows[3][65], *prev2 = rows[0], *prev = rows[1], *cur = rows[2];
    for (size_t j = 0; j <= lb; j++)
        prev[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t best = cur[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            char ca = fold(a[i - 1]), cb = fold(b[j - 1]);
            size_t v = prev[j - 1] + (ca != cb);
            if (prev[j] + 1 < v)
                v = prev[j] + 1;
            if (cur[j - 1] + 1 < v)
                v = cur[j - 1] + 1;
            if (i > 1 && j > 1 && ca == fold(b[j - 2]) && fold(a[i - 2]) == cb &&
                prev2[j - 2] + 1 < v)
                v = prev2[j - 2] + 1;
            cur[j] = v;
            if (v < best)
                best = v;
        }
        if (best > cutoff)
            return cutoff + 1;
        size_t *t = prev2;
        prev2 = prev;
        prev = cur;
        cur = t;
    }
    return prev[lb];
}

/* "team" for "team_id", "int" for "integer": a name that begins the
 * other, if long enough to mean something. */
static bool is_prefix(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), n = la < lb ? la : lb;
    if (n < 3)
        return false;
    for (size_t i = 0; i < n; i++)
        if (fold(a[i]) != fold(b[i]))
            return false;
    return true;
}

const char *smc_closest(const char *name, const char *const *cands, size_t n)
{
    size_t len = strlen(name);
    size_t cutoff = len / 3 > 1 ? len / 3 : 1;
    const char *best = NULL;
    size_t best_d = cutoff + 1;
    for (size_t i = 0; i < n; i++) {
        if (!cands[i])
            continue;
        /* Lengths further apart than the cut-off bound the distance: only
         * the prefix rule can still match, so scopes of thousands of names
         * cost a length each. */
        size_t clen = strlen(cands[i]), gap = clen > len ? clen - len : len - clen;
        size_t d = gap > cutoff ? cutoff + 1 : distance(name, cands[i], cutoff);
        if (d == 0 && strcmp(cands[i], name) == 0)
            continue;
        if (d > cutoff && is_prefix(name, cands[i]))
            d = cutoff; /* weaker than any real near-miss */
        if (d < best_d) {
            best_d = d;
            best = cands[i];
        }
    }
    return best;
}

void smc_suggest(smc_ctx *ctx, smc_diag *d, const char *name, const char *const *cands, size_t n)
{
    if (d->hidden)
        return;
    const char *best = smc_closest(name, cands, n);
    if (best)
        smc_note(ctx, d, NULL, "did you mean '%s'?", best);
}

/* Running out of memory is not recorded as a diagnostic (there is no
 * memory left to record it); the renderers add it. */
static const char *oom_message(const smc_ctx *ctx)
{
    return ctx->max_bytes ? "out of memory (over the budget of the compiler context); stopped"
                          : "out of memory; stopped";
}

/* ---- Text rendering ---------------------------------------------------------- */

/* Length of a valid UTF-8 sequence at s (bounded by e), or 0: no
 * overlong forms, surrogates or code points past U+10FFFF. */
static size_t utf8_seq(const unsigned char *s, const unsigned char *e)
{
    size_t n = s[0] < 0x80 ? 1 : s[0] >= 0xC2 && s[0] <= 0xDF ? 2
             : s[0] >= 0xE0 && s[0] <= 0xEF ? 3 : s[0] >= 0xF0 && s[0] <= 0xF4 ? 4 : 0;
    if (n == 0 || (size_t)(e - s) < n)
        return 0;
    return sm_utf8_valid((const char *)s, n) ? n : 0;
}

/* Colours of a terminal, as gcc's: the position bold, the severity in
 * bold red, magenta or cyan, the caret line in bold green; plain text
 * is the same with empty strings. */
typedef struct style {
    const char *pos, *error, *warning, *note, *caret, *off;
} style;
static const style plain = {"", "", "", "", "", ""};
static const style ansi = {"\033[1m", "\033[1;31m", "\033[1;35m", "\033[1;36m", "\033[1;32m",
                           "\033[0m"};

/* The displayed line: at most ~160 bytes around the column, with control
 * characters and broken UTF-8 shown as '?', and the caret under the span. */
static void render_excerpt(sm_buf *out, const smc_source *src, smc_span sp, const style *st)
{
    uint32_t line, col;
    smc_source_pos(src, sp.off, &line, &col);
    const unsigned char *text = (const unsigned char *)src->text;
    uint32_t ls = src->lines[line - 1], le = ls;
    while (le < src->len && text[le] != '\n')
        le++;
    if (le > ls && text[le - 1] == '\r')
        le--;
    uint32_t off = sp.off < le ? sp.off : le;
    uint32_t ws = ls, we = le;
    if (off - ls > 100)
        ws = off - 60;
    if (we - ws > 160)
        we = ws + 160 > off + 1 ? ws + 160 : off + 1;
    while (ws > ls && ws < le && (text[ws] & 0xC0) == 0x80)
        ws++;
    const char *ell = ws > ls ? "..." : "";
    sm_buf_puts(out, ell);
    sm_buf caret = SM_BUF_INIT;
    sm_buf_puts(&caret, ws > ls ? "   " : "");
    uint32_t end = sp.off + (sp.len ? sp.len : 1);
    bool marked = false;
    for (uint32_t i = ws; i < we;) {
        size_t n = utf8_seq(text + i, text + we);
        bool in = i >= sp.off && i < end;
        if (n == 0 || (n == 1 && (text[i] < 0x20 || text[i] == 0x7f) && text[i] != '\t')) {
            sm_buf_putc(out, '?');
            n = 1;
        } else {
            sm_buf_append(out, text + i, n);
        }
        if (in) {
            if (!marked)
                sm_buf_puts(&caret, st->caret);
            sm_buf_putc(&caret, marked ? '~' : '^');
            marked = true;
        } else if (i < sp.off) {
            sm_buf_putc(&caret, text[i] == '\t' ? '\t' : ' ');
        }
        i += (uint32_t)n;
    }
    if (!marked) { /* at the end of the line or file */
        sm_buf_puts(&caret, st->caret);
        sm_buf_putc(&caret, '^');
    }
    sm_buf_printf(out, "\n%s%s\n", caret.data, st->off);
    sm_buf_free(&caret);
}

static void render_pos(sm_buf *out, smc_ctx *ctx, smc_span sp, const style *st)
{
    if (sp.file == SMC_NO_FILE || sp.file >= ctx->nfiles) {
        sm_buf_printf(out, "%ssmc:%s ", st->pos, st->off);
        return;
    }
    uint32_t line, col;
    smc_source_pos(ctx->files[sp.file], sp.off, &line, &col);
    sm_buf_printf(out, "%s%s:%u:%u:%s ", st->pos, ctx->files[sp.file]->path, line, col, st->off);
}

static const char *sev_name(smc_severity s)
{
    return s == SMC_SEV_ERROR ? "error" : s == SMC_SEV_WARNING ? "warning" : "note";
}

static const char *sev_style(const style *st, smc_severity s)
{
    return s == SMC_SEV_ERROR ? st->error : s == SMC_SEV_WARNING ? st->warning : st->note;
}

void smc_diag_render_text(smc_ctx *ctx, sm_buf *out)
{
    smc_diag_render_text_color(ctx, out, false);
}

void smc_diag_render_text_color(smc_ctx *ctx, sm_buf *out, bool color)
{
    const style *st = color ? &ansi : &plain;
    for (smc_diag *d = ctx->diags; d; d = d->next) {
        render_pos(out, ctx, d->span, st);
        sm_buf_printf(out, "%s%s:%s %s [%s]\n", sev_style(st, d->sev), sev_name(d->sev), st->off,
                      d->msg, d->code);
        if (d->span.file != SMC_NO_FILE && d->span.file < ctx->nfiles)
            render_excerpt(out, ctx->files[d->span.file], d->span, st);
        for (smc_diag_note *n = d->notes; n; n = n->next) {
            render_pos(out, ctx, n->span, st);
            sm_buf_printf(out, "%snote:%s %s\n", st->note, st->off, n->msg);
            if (n->has_span && n->span.file != SMC_NO_FILE && n->span.file < ctx->nfiles)
                render_excerpt(out, ctx->files[n->span.file], n->span, st);
        }
    }
    int shown = 0;
    for (smc_diag *d = ctx->diags; d; d = d->next)
        shown++;
    int total = ctx->nerrors + ctx->nwarnings - ctx->nquiet;
    if (shown < total)
        sm_buf_printf(out, "smc: %d more diagnostics not shown\n", total - shown);
    if (ctx->oom)
        sm_buf_printf(out, "%ssmc:%s %serror:%s %s [%s]\n", st->pos, st->off, st->error, st->off,
                      oom_message(ctx), smc_code_str(SMC_E_OOM));
}

/* ---- JSON rendering ------------------------------------------------------------ */

void smc_json_quote(sm_buf *b, const char *s, size_t n)
{
    sm_buf_putc(b, '"');
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        sm_buf_append(b, s + run, i - run);
        run = i + 1;
        if (c == '"' || c == '\\')
            sm_buf_printf(b, "\\%c", c);
        else if (c == '\n')
            sm_buf_puts(b, "\\n");
        else if (c == '\t')
            sm_buf_puts(b, "\\t");
        else if (c == '\r')
            sm_buf_puts(b, "\\r");
        else
            sm_buf_printf(b, "\\u%04x", c);
    }
    sm_buf_append(b, s + run, n - run);
    sm_buf_putc(b, '"');
}

static void json_str(sm_buf *out, const char *s)
{
    smc_json_quote(out, s, strlen(s));
}

static void json_pos(sm_buf *out, smc_ctx *ctx, smc_span sp)
{
    if (sp.file == SMC_NO_FILE || sp.file >= ctx->nfiles) {
        sm_buf_puts(out, "\"file\":null,\"line\":0,\"col\":0,\"end_line\":0,\"end_col\":0");
        return;
    }
    const smc_source *src = ctx->files[sp.file];
    uint32_t line, col, eline, ecol;
    smc_source_pos(src, sp.off, &line, &col);
    smc_source_pos(src, sp.off + sp.len, &eline, &ecol);
    sm_buf_puts(out, "\"file\":");
    json_str(out, src->path);
    sm_buf_printf(out, ",\"line\":%u,\"col\":%u,\"end_line\":%u,\"end_col\":%u", line, col, eline,
                  ecol);
}

void smc_diag_render_json(smc_ctx *ctx, sm_buf *out)
{
    sm_buf_putc(out, '[');
    for (smc_diag *d = ctx->diags; d; d = d->next) {
        sm_buf_putc(out, '{');
        json_pos(out, ctx, d->span);
        sm_buf_printf(out, ",\"severity\":\"%s\",\"code\":", sev_name(d->sev));
        json_str(out, d->code);
        sm_buf_puts(out, ",\"message\":");
        json_str(out, d->msg);
        sm_buf_puts(out, ",\"notes\":[");
        for (smc_diag_note *n = d->notes; n; n = n->next) {
            sm_buf_putc(out, '{');
            json_pos(out, ctx, n->span);
            sm_buf_puts(out, ",\"message\":");
            json_str(out, n->msg);
            sm_buf_putc(out, '}');
            if (n->next)
                sm_buf_putc(out, ',');
        }
        sm_buf_puts(out, "]}");
        if (d->next || ctx->oom)
            sm_buf_putc(out, ',');
    }
    if (ctx->oom) {
        sm_buf_putc(out, '{');
        json_pos(out, ctx, smc_no_span());
        sm_buf_printf(out, ",\"severity\":\"error\",\"code\":\"%s\",\"message\":",
                      smc_code_str(SMC_E_OOM));
        json_str(out, oom_message(ctx));
        sm_buf_puts(out, ",\"notes\":[]}");
    }
    sm_buf_puts(out, "]\n");
}
