/*
 * print_core.c: the printer's output and the placement of comments.
 *
 * The printer walks the AST in source order, so a comment belongs before
 * the first thing printed that starts after it.  Between items (declarations,
 * members, clauses) a comment keeps a line of its own; a comment that
 * followed an item on its line stays at the end of that line; a comment
 * inside an item stays inline, and a `//` comment there ends the line,
 * the item continuing one level deeper.  Keywords have no node: their
 * positions come from the file's tokens, lexed again here.
 */
#include "print_int.h"

#include "lex.h"

#include <stdlib.h>
#include <string.h>

static void append(smc_printer *pr, const char *s, size_t n)
{
    pr->rc |= sm_buf_append(pr->out, s, n);
}

void smc_pr_init(smc_printer *pr, smc_ctx *ctx, sm_buf *out, const smc_file *f)
{
    memset(pr, 0, sizeof *pr);
    pr->ctx = ctx;
    pr->out = out;
    pr->bol = true;
    pr->fresh = true;
    if (!f)
        return;
    const smc_source *src = ctx->files[f->source];
    pr->text = src->text;
    pr->next = f->comments;
    /* The file parsed, so it lexes without error; ntokens bounds the count. */
    pr->toks = smc_alloc(ctx, ((size_t)f->ntokens + 1) * sizeof *pr->toks);
    smc_lexer lx;
    smc_lex_init(&lx, src->text, src->len);
    for (;;) {
        smc_token t;
        int code = smc_lex(&lx, &t);
        if (code == SMC_LEX_COMMENT)
            continue;
        if (code <= 0 || pr->ntoks >= f->ntokens)
            break;
        pr->toks[pr->ntoks].off = t.off;
        pr->toks[pr->ntoks].end = t.off + t.len;
        pr->ntoks++;
    }
}

void smc_pr_putn(smc_printer *pr, const char *s, size_t n)
{
    if (n == 0)
        return;
    if (pr->bol) {
        static const char spaces[] = "                                ";
        size_t k = pr->hang ? pr->hang : (size_t)(pr->indent + pr->cont) * 4;
        pr->col = 0;
        while (k > 0) {
            size_t m = k < sizeof spaces - 1 ? k : sizeof spaces - 1;
            append(pr, spaces, m);
            pr->col += m;
            k -= m;
        }
        pr->bol = false;
    }
    append(pr, s, n);
    const char *nl = memchr(s, '\n', n);
    if (nl) { /* a block comment of several lines */
        const char *last = s + n;
        while (last > s && last[-1] != '\n')
            last--;
        pr->col = (size_t)(s + n - last);
    } else {
        pr->col += n;
    }
}

void smc_pr_put(smc_printer *pr, const char *s)
{
    smc_pr_putn(pr, s, strlen(s));
}

/* One space, never at the start of a line nor after another. */
void smc_pr_space(smc_printer *pr)
{
    if (pr->bol || (pr->out->len > 0 && pr->out->data[pr->out->len - 1] == ' '))
        return;
    smc_pr_putn(pr, " ", 1);
}

static void newline(smc_printer *pr)
{
    /* The spaces the printer wrote go; a comment's own text stays. */
    while (pr->out->len > pr->keep && pr->out->data[pr->out->len - 1] == ' ')
        pr->out->len--;
    append(pr, "\n", 1);
    pr->bol = true;
    pr->col = 0;
}

void smc_pr_nl(smc_printer *pr)
{
    newline(pr);
    pr->cont = 0;
}

bool smc_pr_comment_before(const smc_printer *pr, uint32_t end)
{
    return pr->next && pr->next->span.off < end;
}

void smc_pr_comment(smc_printer *pr, const smc_comment *c)
{
    smc_pr_putn(pr, pr->text + c->span.off, c->span.len);
    pr->keep = pr->out->len;
}

void smc_pr_at(smc_printer *pr, uint32_t off)
{
    while (pr->next && pr->next->span.off < off) {
        const smc_comment *c = pr->next;
        pr->next = c->next;
        smc_pr_space(pr);
        smc_pr_comment(pr, c);
        if (c->block) {
            smc_pr_putn(pr, " ", 1);
        } else {
            newline(pr);
            pr->cont = 1;
        }
        pr->last = c->span.off + c->span.len;
    }
}

/* Two line breaks in the source between b and what precedes it (the
 * last thing printed or the token before b, whichever is later): a blank
 * line. */
static bool blank_between(const smc_printer *pr, uint32_t a, uint32_t b)
{
    size_t t = smc_pr_tok_at(pr, b);
    if (t > 0 && pr->toks[t - 1].end > a && pr->toks[t - 1].end <= b)
        a = pr->toks[t - 1].end;
    int n = 0;
    for (uint32_t i = a; i < b && n < 2; i++)
        n += pr->text[i] == '\n';
    return n >= 2;
}

void smc_pr_lead(smc_printer *pr, uint32_t off, bool item)
{
    if (!pr->text) {
        pr->fresh = false;
        return;
    }
    if (!pr->bol)
        smc_pr_nl(pr);
    while (pr->next && pr->next->span.off < off) {
        const smc_comment *c = pr->next;
        pr->next = c->next;
        if (!pr->fresh && blank_between(pr, pr->last, c->span.off))
            newline(pr);
        smc_pr_comment(pr, c);
        smc_pr_nl(pr);
        pr->fresh = false;
        pr->last = c->span.off + c->span.len;
    }
    if (item && !pr->fresh && blank_between(pr, pr->last, off))
        newline(pr);
    pr->fresh = false;
}

size_t smc_pr_tok_at(const smc_printer *pr, uint32_t off)
{
    size_t lo = 0, hi = pr->ntoks;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (pr->toks[mid].off < off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

uint32_t smc_pr_tok_before(const smc_printer *pr, uint32_t off)
{
    size_t i = smc_pr_tok_at(pr, off);
    return i > 0 ? pr->toks[i - 1].off : off;
}

uint32_t smc_pr_past(const smc_printer *pr, uint32_t end, char c)
{
    if (!pr->text)
        return end;
    size_t i = smc_pr_tok_at(pr, end);
    if (i < pr->ntoks && pr->toks[i].end == pr->toks[i].off + 1 && pr->text[pr->toks[i].off] == c)
        return pr->toks[i].end;
    return end;
}

void smc_pr_trail(smc_printer *pr, uint32_t end)
{
    if (!pr->text)
        return;
    size_t i = smc_pr_tok_at(pr, end);
    uint32_t next = i < pr->ntoks ? pr->toks[i].off : UINT32_MAX;
    while (pr->next && pr->next->span.off >= end && pr->next->span.off < next &&
           !memchr(pr->text + end, '\n', pr->next->span.off - end)) {
        const smc_comment *c = pr->next;
        pr->next = c->next;
        smc_pr_space(pr);
        smc_pr_comment(pr, c);
        end = c->span.off + c->span.len;
        if (!c->block)
            break;
    }
    if (end > pr->last)
        pr->last = end;
}

size_t smc_pr_mark(const smc_printer *pr)
{
    return pr->out->len;
}

void smc_pr_undo(smc_printer *pr, size_t mark)
{
    pr->out->len = mark;
    if (pr->keep > mark)
        pr->keep = mark;
    size_t i = mark;
    while (i > 0 && pr->out->data[i - 1] != '\n')
        i--;
    pr->col = mark - i;
    pr->bol = mark == 0 || pr->out->data[mark - 1] == '\n';
}
