/*
 * fuzz_smc.c: the compiler driven on one in-memory schema, and the
 * checks of its diagnostics and outputs (fuzz_smc.h).
 */
#include "fuzz_smc.h"

#include "json.h" /* sm_json_check */

#include <stdio.h>
#include <string.h>

#ifndef FUZZ_STDLIB_DIR
#error "FUZZ_STDLIB_DIR: the standard library of the source tree"
#endif

uint32_t fuzz_smc_start(smc_ctx *ctx, const uint8_t *data, size_t size)
{
    static const char *dirs[] = {FUZZ_STDLIB_DIR};
    smc_ctx_init(ctx);
    ctx->incdirs = dirs;
    ctx->nincdirs = 1;
    ctx->nuser_incdirs = 0;
    int id = smc_source_add(ctx, "/nonexistent/fuzz/input.smdl", (const char *)data, size);
    FUZZ_CHECK(id == 0, "smc_source_add returned %d for %zu bytes", id, size);
    return (uint32_t)id;
}

bool fuzz_smc_imports_safe(const smc_file *f)
{
    for (const smc_decl *d = f->decls; d; d = d->next)
        if (d->kind == SMC_D_IMPORT && d->name.s &&
            (d->name.s[0] == '/' || strstr(d->name.s, "..")))
            return false;
    return true;
}

static void check_span(const smc_ctx *ctx, smc_span s, const char *what, const char *msg)
{
    if (s.file == SMC_NO_FILE)
        return;
    FUZZ_CHECK(s.file < ctx->nfiles, "%s '%s': span in file %u of %u", what, msg, s.file,
               ctx->nfiles);
    const smc_source *src = ctx->files[s.file];
    FUZZ_CHECK(s.off <= src->len && s.len <= src->len - s.off,
               "%s '%s': span %u+%u outside '%s' (%u bytes)", what, msg, s.off, s.len,
               src->path, src->len);
}

void fuzz_smc_check_diags(smc_ctx *ctx)
{
    for (const smc_diag *d = ctx->diags; d; d = d->next) {
        FUZZ_CHECK(d->msg && d->code, "a diagnostic without message or code");
        check_span(ctx, d->span, "diagnostic", d->msg);
        for (const smc_diag_note *n = d->notes; n; n = n->next) {
            FUZZ_CHECK(n->msg, "a note without message");
            if (n->has_span)
                check_span(ctx, n->span, "note", n->msg);
        }
    }
    sm_buf text = SM_BUF_INIT, json = SM_BUF_INIT;
    smc_diag_render_text(ctx, &text);
    smc_diag_render_json(ctx, &json);
    if (sm_json_check(json.data ? json.data : "", json.len, 0) != SM_OK) {
        fuzz_dump("diagnostics as JSON", json.data, json.len);
        FUZZ_FAIL("smc_diag_render_json wrote invalid JSON");
    }
    sm_buf_free(&text);
    sm_buf_free(&json);
}

/* ---- Generated C -------------------------------------------------------------- */

static bool is_trigraph(const char *s, size_t i, size_t n)
{
    return i + 2 < n && s[i] == '?' && s[i + 1] == '?' && strchr("=/'()!<>-", s[i + 2]) &&
           s[i + 2] != 0;
}

static _Noreturn void c_fail(const char *what, const sm_buf *b, size_t at, const char *why)
{
    size_t ls = at, le = at;
    while (ls > 0 && b->data[ls - 1] != '\n')
        ls--;
    while (le < b->len && b->data[le] != '\n')
        le++;
    size_t line = 1;
    for (size_t i = 0; i < ls; i++)
        line += b->data[i] == '\n';
    fuzz_dump(what, b->data, b->len);
    fuzz_dump("the line", b->data + ls, le - ls);
    FUZZ_FAIL("generated %s, line %zu, column %zu: %s", what, line, at - ls + 1, why);
}

/* A literal opened by q at s[i]; returns the index of its closing quote. */
static size_t c_literal(const char *what, const sm_buf *b, size_t i, char q)
{
    const char *s = b->data;
    size_t n = b->len;
    for (i++; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == (unsigned char)q)
            return i;
        if (c == '\n')
            c_fail(what, b, i, "a literal runs past the end of its line");
        if (c < 0x20 || c == 0x7f)
            c_fail(what, b, i, "a raw control byte inside a literal");
        if (is_trigraph(s, i, n))
            c_fail(what, b, i, "a trigraph inside a literal");
        if (c == '\\') {
            if (i + 1 >= n || !strchr("\\\"'?abfnrtv01234567xuU", s[i + 1]) || s[i + 1] == 0)
                c_fail(what, b, i, "an invalid escape sequence");
            /* Trigraphs are replaced before escapes are read: a question mark
             * after a backslash may still start one. */
            if (is_trigraph(s, i + 1, n))
                c_fail(what, b, i + 1, "a trigraph inside a literal");
            i++;
        }
    }
    c_fail(what, b, n ? n - 1 : 0, "a literal is not closed");
}

void fuzz_check_c(const char *what, const sm_buf *b)
{
    const char *s = b->data ? b->data : "";
    size_t n = b->len;
    FUZZ_CHECK(strlen(s) == n, "generated %s holds a NUL byte", what);
    char stack[256];
    size_t depth = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '/' && i + 1 < n && s[i + 1] == '*') {
            size_t j = i + 2;
            while (j + 1 < n && !(s[j] == '*' && s[j + 1] == '/')) {
                if (s[j] == '/' && s[j + 1] == '*')
                    c_fail(what, b, j, "'/*' inside a comment");
                if (is_trigraph(s, j, n) && s[j + 2] == '/' && j + 3 < n && s[j + 3] == '\n')
                    c_fail(what, b, j, "'?\?/' ends a line inside a comment");
                j++;
            }
            if (j + 1 >= n)
                c_fail(what, b, i, "a comment is not closed");
            i = j + 1;
            continue;
        }
        if (c == '/' && i + 1 < n && s[i + 1] == '/') {
            size_t j = i;
            while (j < n && s[j] != '\n')
                j++;
            if (j > i && (s[j - 1] == '\\' || (j - i >= 3 && is_trigraph(s, j - 3, n))))
                c_fail(what, b, j - 1, "a // comment continued on the next line");
            i = j;
            continue;
        }
        if (c == '"' || c == '\'') {
            i = c_literal(what, b, i, (char)c);
            continue;
        }
        if (c == '*' && i + 1 < n && s[i + 1] == '/')
            c_fail(what, b, i, "'*/' outside a comment");
        if ((c < 0x20 && c != '\n') || c >= 0x7f)
            c_fail(what, b, i, "a control or non-ASCII byte outside comments and literals");
        if (is_trigraph(s, i, n))
            c_fail(what, b, i, "a trigraph");
        if (c == '(' || c == '[' || c == '{') {
            if (depth == sizeof stack)
                c_fail(what, b, i, "brackets nested more than 256 deep");
            stack[depth++] = (char)c;
        } else if (c == ')' || c == ']' || c == '}') {
            char open = c == ')' ? '(' : c == ']' ? '[' : '{';
            if (depth == 0 || stack[depth - 1] != open)
                c_fail(what, b, i, "an unbalanced closing bracket");
            depth--;
        }
    }
    if (depth)
        c_fail(what, b, n ? n - 1 : 0, "brackets left open at the end");
}

/* ---- Generated SQL ------------------------------------------------------------ */

/* Scans s[i..n) as SQL until the end, or (in_dollar) until "$$"; returns
 * where it stopped.  Fails on an unclosed quote or unbalanced bracket. */
static size_t sql_scan(const smc_dialect *d, const sm_buf *b, const char *what, size_t i,
                       bool in_dollar)
{
    const char *s = b->data;
    size_t n = b->len;
    int parens = 0;
    for (; i < n; i++) {
        char c = s[i];
        if (c == '$' && i + 1 < n && s[i + 1] == '$') {
            if (in_dollar) {
                if (parens)
                    c_fail(what, b, i, "unbalanced parentheses inside $$ ... $$");
                return i + 1;
            }
            size_t end = sql_scan(d, b, what, i + 2, true);
            if (end >= n)
                c_fail(what, b, i, "a $$ quote is not closed");
            i = end;
            continue;
        }
        /* smc writes comments only as whole lines of a listing: anywhere
         * else "--" or a block comment would cut the statement short. */
        if (c == '-' && i + 1 < n && s[i + 1] == '-') {
            if (i > 0 && s[i - 1] != '\n')
                c_fail(what, b, i, "'--' inside a statement starts a comment");
            while (i < n && s[i] != '\n')
                i++;
            continue;
        }
        if (c == '/' && i + 1 < n && s[i + 1] == '*')
            c_fail(what, b, i, "'/*' inside a statement starts a comment");
        if (c == '\'' || c == '"' || c == d->quote) {
            size_t j = i + 1;
            for (; j < n; j++) {
                if (in_dollar && s[j] == '$' && j + 1 < n && s[j + 1] == '$')
                    c_fail(what, b, j, "'$$' inside a quoted string ends the $$ quote");
                if (c == '\'' && d->backslash_escapes && s[j] == '\\') {
                    j++;
                    continue;
                }
                if (s[j] == c) {
                    if (j + 1 < n && s[j + 1] == c) {
                        j++;
                        continue;
                    }
                    break;
                }
            }
            if (j >= n)
                c_fail(what, b, i, "a quote is not closed");
            i = j;
            continue;
        }
        if (c == '(')
            parens++;
        if (c == ')' && --parens < 0)
            c_fail(what, b, i, "an unbalanced ')'");
        if (c == ';' && parens)
            c_fail(what, b, i, "a statement ends inside parentheses");
    }
    if (in_dollar)
        return n;
    if (parens)
        c_fail(what, b, n ? n - 1 : 0, "parentheses left open at the end");
    return n;
}

void fuzz_check_sql(const smc_dialect *d, const sm_buf *b)
{
    const char *s = b->data ? b->data : "";
    FUZZ_CHECK(strlen(s) == b->len, "the %s SQL listing holds a NUL byte",
               smc_dialect_names[d->id]);
    char what[64];
    snprintf(what, sizeof what, "%s SQL listing", smc_dialect_names[d->id]);
    sql_scan(d, b, what, 0, false);
}
