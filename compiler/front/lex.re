/*
 * lex.re: the smdl tokenizer, turned into C by re2c at build time.
 *
 * The whole file is in memory with a NUL sentinel after it, so no refill
 * is needed; a NUL before the end is an error.  Strings and comments are
 * conditions of their own, so UTF-8 is checked there byte by byte while
 * the rest of the file must be ASCII.  Tokens are views into the text;
 * strings are decoded later (ast.c), after this file has validated them.
 */
#include "lex.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*!types:re2c */

/* Sorted by text for bsearch. */
const smc_keyword smc_keywords[] = {
    {"and", SMC_TK_AND},         {"as", SMC_TK_AS},
    {"asc", SMC_TK_ASC},         {"between", SMC_TK_BETWEEN},
    {"by", SMC_TK_BY},           {"check", SMC_TK_CHECK},
    {"conflict", SMC_TK_CONFLICT}, {"delete", SMC_TK_DELETE},
    {"desc", SMC_TK_DESC},       {"distinct", SMC_TK_DISTINCT},
    {"do", SMC_TK_DO},           {"each", SMC_TK_EACH},
    {"enum", SMC_TK_ENUM},       {"exec", SMC_TK_EXEC},
    {"exists", SMC_TK_EXISTS},   {"false", SMC_TK_FALSE},
    {"first", SMC_TK_FIRST},     {"for", SMC_TK_FOR},
    {"from", SMC_TK_FROM},       {"group", SMC_TK_GROUP},
    {"having", SMC_TK_HAVING},   {"import", SMC_TK_IMPORT},
    {"in", SMC_TK_IN},           {"index", SMC_TK_INDEX},
    {"insert", SMC_TK_INSERT},   {"is", SMC_TK_IS},
    {"join", SMC_TK_JOIN},       {"key", SMC_TK_KEY},
    {"last", SMC_TK_LAST},       {"left", SMC_TK_LEFT},
    {"like", SMC_TK_LIKE},       {"limit", SMC_TK_LIMIT},
    {"model", SMC_TK_MODEL},     {"module", SMC_TK_MODULE},
    {"not", SMC_TK_NOT},         {"nothing", SMC_TK_NOTHING},
    {"null", SMC_TK_NULL},       {"nulls", SMC_TK_NULLS},
    {"offset", SMC_TK_OFFSET},   {"on", SMC_TK_ON},
    {"or", SMC_TK_OR},           {"order", SMC_TK_ORDER},
    {"partial", SMC_TK_PARTIAL}, {"primary", SMC_TK_PRIMARY},
    {"query", SMC_TK_QUERY},     {"returning", SMC_TK_RETURNING},
    {"row", SMC_TK_ROW},         {"select", SMC_TK_SELECT},
    {"set", SMC_TK_SET},         {"share", SMC_TK_SHARE},
    {"sql", SMC_TK_SQL},         {"table", SMC_TK_TABLE},
    {"true", SMC_TK_TRUE},       {"type", SMC_TK_TYPE},
    {"unique", SMC_TK_UNIQUE},   {"update", SMC_TK_UPDATE},
    {"values", SMC_TK_VALUES},   {"where", SMC_TK_WHERE},
    {"with", SMC_TK_WITH},
};
const size_t smc_nkeywords = sizeof smc_keywords / sizeof smc_keywords[0];

/* The keyword token of s[0..n), or SMC_TK_ID. */
static int keyword(const char *s, size_t n)
{
    size_t lo = 0, hi = smc_nkeywords;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const char *k = smc_keywords[mid].text;
        int c = strncmp(s, k, n);
        if (c == 0)
            c = k[n] == 0 ? 0 : -1;
        if (c == 0)
            return smc_keywords[mid].token;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return SMC_TK_ID;
}

void smc_lex_init(smc_lexer *lx, const char *text, uint32_t len)
{
    memset(lx, 0, sizeof *lx);
    lx->text = text;
    lx->len = len;
    lx->cur = text;
    lx->cond = yycINIT;
}

void smc_lex_resume(smc_lexer *lx)
{
    lx->cond = yycINIT;
    if (lx->cur > lx->text + lx->len) /* the error was the NUL at the end */
        lx->cur = lx->text + lx->len;
}

static int fail(smc_lexer *lx, smc_code code, const char *at, size_t len, const char *msg)
{
    lx->err = code;
    lx->err_off = (uint32_t)(at - lx->text);
    lx->err_len = (uint32_t)len;
    snprintf(lx->err_msg, sizeof lx->err_msg, "%s", msg);
    return SMC_LEX_ERROR;
}

/* At a NUL: the end of the file, or a NUL byte inside it. */
static bool at_end(const smc_lexer *lx, const char *p)
{
    return (uint32_t)(p - lx->text) >= lx->len;
}

static int token(smc_lexer *lx, smc_token *tok, const char *start, int code)
{
    tok->off = (uint32_t)(start - lx->text);
    tok->len = (uint32_t)(lx->cur - start);
    return code;
}

/* Decimal digits to an unsigned value; false on overflow past 2^63. */
static bool digits(const char *s, const char *e, uint64_t *out)
{
    uint64_t v = 0;
    for (; s < e && *s >= '0' && *s <= '9'; s++) {
        unsigned d = (unsigned)(*s - '0');
        if (v > (UINT64_C(9223372036854775808) - d) / 10)
            return false;
        v = v * 10 + d;
    }
    *out = v;
    return true;
}

int smc_lex(smc_lexer *lx, smc_token *tok)
{
    const char *YYMARKER = NULL;
    const char *start;
    memset(tok, 0, sizeof *tok);
    for (;;) {
        start = lx->cur;
        if (lx->cond == yycINIT)
            lx->tok = start;
        /*!re2c
        re2c:define:YYCTYPE = "unsigned char";
        re2c:define:YYCURSOR = "lx->cur";
        re2c:define:YYMARKER = "YYMARKER";
        re2c:define:YYGETCONDITION = "lx->cond";
        re2c:define:YYGETCONDITION:naked = 1;
        re2c:define:YYSETCONDITION = "lx->cond = @@;";
        re2c:define:YYSETCONDITION:naked = 1;
        re2c:yyfill:enable = 0;
        re2c:indent:string = "    ";

        u8_2 = [\xc2-\xdf][\x80-\xbf];
        u8_3 = "\xe0"[\xa0-\xbf][\x80-\xbf] | [\xe1-\xec\xee\xef][\x80-\xbf]{2}
             | "\xed"[\x80-\x9f][\x80-\xbf];
        u8_4 = "\xf0"[\x90-\xbf][\x80-\xbf]{2} | [\xf1-\xf3][\x80-\xbf]{3}
             | "\xf4"[\x80-\x8f][\x80-\xbf]{2};
        u8 = u8_2 | u8_3 | u8_4;
        id = [A-Za-z][A-Za-z0-9_]*;
        dec = [0-9]+;
        hex = [0-9a-fA-F];

        <INIT> [ \t\r\n\f\v]+ { continue; }
        <INIT> "//" => LINE { continue; }
        <INIT> "/*" => BLOCK { continue; }
        <INIT> "\"" => STR { continue; }

        <INIT> id {
            if (memchr(start, '_', (size_t)(lx->cur - start))) {
                for (const char *q = start; q + 1 < lx->cur; q++)
                    if (q[0] == '_' && q[1] == '_')
                        return fail(lx, SMC_E_IDENT, start, (size_t)(lx->cur - start),
                                    "identifiers may not contain '__'");
            }
            return token(lx, tok, start, keyword(start, (size_t)(lx->cur - start)));
        }
        <INIT> "@" id { return token(lx, tok, start, SMC_TK_ATTR); }
        <INIT> "@" {
            return fail(lx, SMC_E_STRAY, start, 1, "expected an attribute name after '@'");
        }

        <INIT> dec ("ms" | "s" | "m" | "h") {
            uint64_t v;
            const char *u = start;
            while (*u >= '0' && *u <= '9')
                u++;
            uint64_t mult = u[0] == 'h' ? 3600000 : u[0] == 'm' && u[1] == 's' ? 1
                          : u[0] == 'm' ? 60000 : 1000;
            if (!digits(start, u, &v) || v > (uint64_t)INT64_MAX / mult)
                return fail(lx, SMC_E_NUMBER, start, (size_t)(lx->cur - start),
                            "duration out of range");
            tok->ival = (int64_t)(v * mult);
            return token(lx, tok, start, SMC_TK_DURATION);
        }
        <INIT> dec {
            uint64_t v;
            if (!digits(start, lx->cur, &v))
                return fail(lx, SMC_E_NUMBER, start, (size_t)(lx->cur - start),
                            "integer literal out of range");
            /* 2^63 arrives as INT64_MIN: only valid negated (ast.c). */
            tok->ival = v > (uint64_t)INT64_MAX ? INT64_MIN : (int64_t)v;
            return token(lx, tok, start, SMC_TK_INT);
        }
        <INIT> dec "." dec ([eE] [+-]? dec)? | dec [eE] [+-]? dec {
            return token(lx, tok, start, SMC_TK_FLOAT);
        }
        <INIT> dec [A-Za-z_.][A-Za-z0-9_.]* {
            return fail(lx, SMC_E_NUMBER, start, (size_t)(lx->cur - start),
                        "malformed number");
        }

        <INIT> "->" { return token(lx, tok, start, SMC_TK_ARROW); }
        <INIT> "==" { return token(lx, tok, start, SMC_TK_EQ); }
        <INIT> "!=" { return token(lx, tok, start, SMC_TK_NE); }
        <INIT> "<=" { return token(lx, tok, start, SMC_TK_LE); }
        <INIT> ">=" { return token(lx, tok, start, SMC_TK_GE); }
        <INIT> "<" { return token(lx, tok, start, SMC_TK_LT); }
        <INIT> ">" { return token(lx, tok, start, SMC_TK_GT); }
        <INIT> "=" { return token(lx, tok, start, SMC_TK_ASSIGN); }
        <INIT> ";" { return token(lx, tok, start, SMC_TK_SEMI); }
        <INIT> ":" { return token(lx, tok, start, SMC_TK_COLON); }
        <INIT> "," { return token(lx, tok, start, SMC_TK_COMMA); }
        <INIT> "." { return token(lx, tok, start, SMC_TK_DOT); }
        <INIT> "(" { return token(lx, tok, start, SMC_TK_LP); }
        <INIT> ")" { return token(lx, tok, start, SMC_TK_RP); }
        <INIT> "{" { return token(lx, tok, start, SMC_TK_LBRACE); }
        <INIT> "}" { return token(lx, tok, start, SMC_TK_RBRACE); }
        <INIT> "[" { return token(lx, tok, start, SMC_TK_LBRACKET); }
        <INIT> "]" { return token(lx, tok, start, SMC_TK_RBRACKET); }
        <INIT> "?" { return token(lx, tok, start, SMC_TK_QUESTION); }
        <INIT> "+" { return token(lx, tok, start, SMC_TK_PLUS); }
        <INIT> "-" { return token(lx, tok, start, SMC_TK_MINUS); }
        <INIT> "*" { return token(lx, tok, start, SMC_TK_STAR); }
        <INIT> "/" { return token(lx, tok, start, SMC_TK_SLASH); }

        <INIT> "\x00" {
            if (at_end(lx, start)) {
                lx->cur = start; /* stay at the end */
                tok->off = lx->len;
                return SMC_LEX_EOF;
            }
            return fail(lx, SMC_E_NUL, start, 1, "NUL byte in the source");
        }
        <INIT> u8 {
            return fail(lx, SMC_E_STRAY, start, (size_t)(lx->cur - start),
                        "non-ASCII character outside a string or comment");
        }
        <INIT> [\x80-\xff] {
            return fail(lx, SMC_E_UTF8, start, 1, "invalid UTF-8");
        }
        <INIT> * {
            char msg[64];
            unsigned char c = (unsigned char)*start;
            if (c >= 0x20 && c < 0x7f)
                snprintf(msg, sizeof msg, "stray '%c' in the source", c);
            else
                snprintf(msg, sizeof msg, "stray byte 0x%02x in the source", c);
            return fail(lx, SMC_E_STRAY, start, 1, msg);
        }

        <STR> "\"" => INIT { return token(lx, tok, lx->tok, SMC_TK_STRING); }
        <STR> [^"\\\n\r\x00\x80-\xff]+ { continue; }
        <STR> "\\" [\\"nt] { continue; }
        <STR> "\\u{" hex{1,6} "}" {
            unsigned long cp = strtoul(start + 3, NULL, 16);
            if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
                return fail(lx, SMC_E_ESCAPE, start, (size_t)(lx->cur - start),
                            "\\u{...} must name a Unicode scalar value other than 0");
            continue;
        }
        <STR> "\\u" {
            return fail(lx, SMC_E_ESCAPE, start, 2, "expected \\u{hex} with 1 to 6 hex digits");
        }
        <STR> "\\" [\x20-\x7e] {
            char msg[64];
            snprintf(msg, sizeof msg, "unknown escape '\\%c' (use \\\\ \\\" \\n \\t or \\u{hex})",
                     start[1]);
            return fail(lx, SMC_E_ESCAPE, start, 2, msg);
        }
        <STR> "\\" {
            return fail(lx, SMC_E_ESCAPE, start, 1, "unknown escape");
        }
        <STR> u8 { continue; }
        <STR> [\x80-\xff] {
            return fail(lx, SMC_E_UTF8, start, 1, "invalid UTF-8 in a string");
        }
        <STR> "\x00" {
            if (!at_end(lx, start))
                return fail(lx, SMC_E_NUL, start, 1, "NUL byte in a string");
            return fail(lx, SMC_E_UNTERMINATED_STRING, lx->tok, 1,
                        "unterminated string (missing '\"' before the end of the file)");
        }
        <STR> [\r\n] {
            return fail(lx, SMC_E_UNTERMINATED_STRING, lx->tok, 1,
                        "unterminated string (missing '\"' before the end of the line)");
        }

        <LINE> "\n" => INIT {
            lx->cur--; /* the newline is not part of the comment */
            lx->block = false;
            return token(lx, tok, lx->tok, SMC_LEX_COMMENT);
        }
        <LINE> [^\n\x00\x80-\xff]+ { continue; }
        <LINE> u8 { continue; }
        <LINE> [\x80-\xff] {
            return fail(lx, SMC_E_UTF8, start, 1, "invalid UTF-8 in a comment");
        }
        <LINE> "\x00" => INIT {
            if (!at_end(lx, start))
                return fail(lx, SMC_E_NUL, start, 1, "NUL byte in a comment");
            lx->cur = start;
            lx->block = false;
            return token(lx, tok, lx->tok, SMC_LEX_COMMENT);
        }

        <BLOCK> "*/" => INIT {
            lx->block = true;
            return token(lx, tok, lx->tok, SMC_LEX_COMMENT);
        }
        <BLOCK> [^*\x00\x80-\xff]+ | "*" { continue; }
        <BLOCK> u8 { continue; }
        <BLOCK> [\x80-\xff] {
            return fail(lx, SMC_E_UTF8, start, 1, "invalid UTF-8 in a comment");
        }
        <BLOCK> "\x00" {
            if (!at_end(lx, start))
                return fail(lx, SMC_E_NUL, start, 1, "NUL byte in a comment");
            return fail(lx, SMC_E_UNTERMINATED_COMMENT, lx->tok, 2,
                        "unterminated comment (missing '*/')");
        }
        */
    }
}
