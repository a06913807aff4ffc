/*
 * emit_cwrite.c: the one path by which text from a schema reaches
 * generated C.  Whatever a schema holds (quotes, backslashes, "??/",
 * control characters, non-ASCII bytes, "*" "/" pairs), a literal keeps
 * its exact bytes, a comment stays one comment, and the file compiles
 * with -std=c11 (trigraphs on) and as C++ without a warning.
 */
#include "emit.h"

#include <assert.h>
#include <string.h>

void smc_c_string(sm_buf *b, const char *s, size_t n)
{
    smc_out_putc(b, '"');
    size_t run = 0; /* start of the current run of plain bytes */
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        /* Every '?' next to another is escaped, so no "??x" trigraph can
         * form, not even across an escape ("\??/" is "\" then "??/"). */
        bool question = c == '?' && ((i + 1 < n && s[i + 1] == '?') || (i > 0 && s[i - 1] == '?'));
        bool plain = c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && !question;
        if (plain)
            continue;
        smc_out_append(b, s + run, i - run);
        run = i + 1;
        switch (c) {
        case '"': smc_out_puts(b, "\\\""); break;
        case '\\': smc_out_puts(b, "\\\\"); break;
        case '\n': smc_out_puts(b, "\\n"); break;
        case '\t': smc_out_puts(b, "\\t"); break;
        case '\r': smc_out_puts(b, "\\r"); break;
        case '?': smc_out_puts(b, "\\?"); break;
        /* Always three digits: a digit after the escape cannot extend it. */
        default: smc_out_printf(b, "\\%03o", c);
        }
    }
    smc_out_append(b, s + run, n - run);
    smc_out_putc(b, '"');
}

void smc_c_comment(sm_buf *b, const char *indent, const char *text)
{
    smc_out_printf(b, "%s/* ", indent);
    for (const char *p = text; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '\n') {
            smc_out_printf(b, "\n%s * ", indent);
        } else if ((c == '*' && p[1] == '/') || (c == '/' && p[1] == '*') ||
                   (c == '?' && p[1] == '?')) {
            /* would end the comment, open a nested one (-Wcomment), or
             * start a trigraph: keep both characters, apart */
            smc_out_putc(b, (char)c);
            smc_out_putc(b, ' ');
        } else if (c == '\\' && (p[1] == '\n' || p[1] == 0)) {
            smc_out_puts(b, "\\ "); /* no line splice */
        } else {
            smc_out_putc(b, c < 0x20 || c == 0x7f ? ' ' : (char)c);
        }
    }
    smc_out_puts(b, " */\n");
}

bool smc_c_ident_ok(const char *id)
{
    if (!((id[0] >= 'a' && id[0] <= 'z') || (id[0] >= 'A' && id[0] <= 'Z')))
        return false;
    for (const char *p = id; *p; p++) {
        bool ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
                  *p == '_';
        if (!ok || (p[0] == '_' && p[1] == '_'))
            return false;
    }
    return true;
}

/* Words of internal names: lowercase letters only, so that no word
 * followed by '_' is a prefix of another. */
static const char *const kind_words[SMC_N_COUNT] = {
    [SMC_N_INIT] = "init",         [SMC_N_KEY] = "key",
    [SMC_N_FKS] = "fks",           [SMC_N_SQL] = "sql",
    [SMC_N_CHECK] = "check",       [SMC_N_PATTERN] = "pattern",
    [SMC_N_CHECKFN] = "checkfn",   [SMC_N_FIELDS] = "fields",
    [SMC_N_MODEL] = "model",       [SMC_N_MEMBERS] = "members",
    [SMC_N_ENUM] = "enum",         [SMC_N_PATCH] = "patch",
    [SMC_N_PATCHCOLS] = "patchcols", [SMC_N_ASSIGN] = "assign",
    [SMC_N_VIEW] = "view",         [SMC_N_VIEWFIELDS] = "viewfields",
    [SMC_N_ARGS] = "args",         [SMC_N_ARGFIELDS] = "argfields",
    [SMC_N_ARGMODEL] = "argmodel", [SMC_N_ROW] = "row",
    [SMC_N_ROWINIT] = "rowinit",   [SMC_N_ROWFIELDS] = "rowfields",
    [SMC_N_ROWMODEL] = "rowmodel", [SMC_N_ARGLIST] = "arglist",
    [SMC_N_PRE] = "pre",           [SMC_N_POST] = "post",
    [SMC_N_VARIANTS] = "variants", [SMC_N_QUERY] = "query",
    [SMC_N_EACH] = "each",         [SMC_N_ROWFN] = "rowfn",
    [SMC_N_RELS] = "rels",         [SMC_N_REFS] = "refs",
    [SMC_N_LOADS] = "loads",
};

/*
 * "smdl_" KIND [INDEX] "_" OWNER.  KIND is one word of lowercase letters,
 * INDEX digits, OWNER a declared C name (model, enum, query or @check_fn
 * function: the checker keeps these distinct from each other).  Reading
 * such a name back gives its three parts unambiguously (the kind's
 * letters, then its digits, up to the first '_' after "smdl_"; the owner
 * after it), so two different parts never give one name; an owner ending
 * in '_' never meets another '_'; and user names never start with
 * "smdl_" (sema_names.c).
 */
const char *smc_c_internal(smc_ctx *ctx, smc_cname kind, const char *owner, int index)
{
    const char *id = index < 0 ? smc_printf(ctx, "smdl_%s_%s", kind_words[kind], owner)
                               : smc_printf(ctx, "smdl_%s%d_%s", kind_words[kind], index, owner);
    assert(smc_c_ident_ok(id));
    return id;
}

/* A member of the struct `smdl`: KIND "_" OWNER, by the same argument. */
const char *smc_c_member(smc_ctx *ctx, smc_cname kind, const char *owner)
{
    const char *id = smc_printf(ctx, "%s_%s", kind_words[kind], owner);
    assert(smc_c_ident_ok(id));
    return id;
}

const char *smc_c_guard(smc_ctx *ctx, const char *file_base)
{
    /* SMDL_<UPPER(name)>_H, any character that cannot be in an identifier
     * (a '-' or '.' in the file name) and any run of them one '_'. */
    const char *up = smc_upper(ctx, file_base);
    sm_buf b = SM_BUF_INIT;
    smc_out_puts(&b, "SMDL_");
    for (const char *p = up; *p; p++) {
        bool alnum = (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9');
        if (alnum || b.data[b.len - 1] != '_')
            smc_out_putc(&b, alnum ? *p : '_');
    }
    smc_out_puts(&b, b.data[b.len - 1] == '_' ? "H" : "_H");
    const char *id = smc_strdup(ctx, b.data);
    sm_buf_free(&b);
    assert(smc_c_ident_ok(id));
    return id;
}
