/*
 * pg_sql.c: "?" placeholders to PostgreSQL's $n.
 *
 * Raw SQL uses "?" in every dialect (DESIGN 4.3).  PostgreSQL numbers its
 * parameters, and "?" is also an operator there (jsonb ? 'key'), so the
 * rewrite follows PostgreSQL's lexical rules closely enough to leave
 * literals, identifiers, comments and dollar quotes alone, and "??"
 * spells the operator.  An unterminated literal or comment is copied as
 * is: the server reports the syntax error.
 */
#include "pg_driver.h"

#include <string.h>

/* Characters that continue an identifier (or a keyword) in PostgreSQL;
 * bytes >= 0x80 are letters there. */
static bool ident_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '$' || c >= 0x80;
}

/* Characters that may start a dollar-quote tag. */
static bool tag_start(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}

/* The end (index after the closing quote) of a '...' literal starting at
 * s[i] == '\''.  Backslash escapes only in E'...' strings, since the
 * session runs with standard_conforming_strings=on. */
static size_t skip_string(const char *s, size_t i, bool escapes)
{
    for (i++; s[i]; i++) {
        if (escapes && s[i] == '\\' && s[i + 1]) {
            i++;
        } else if (s[i] == '\'') {
            if (s[i + 1] != '\'')
                return i + 1;
            i++;
        }
    }
    return i;
}

static size_t skip_quoted_ident(const char *s, size_t i)
{
    for (i++; s[i]; i++) {
        if (s[i] == '"') {
            if (s[i + 1] != '"')
                return i + 1;
            i++;
        }
    }
    return i;
}

/* Block comments nest in PostgreSQL. */
static size_t skip_block_comment(const char *s, size_t i)
{
    int depth = 0;
    while (s[i]) {
        if (s[i] == '/' && s[i + 1] == '*') {
            depth++;
            i += 2;
        } else if (s[i] == '*' && s[i + 1] == '/') {
            i += 2;
            if (--depth == 0)
                return i;
        } else {
            i++;
        }
    }
    return i;
}

/* At s[i] == '$' not inside an identifier: the end of a dollar-quoted
 * string ($tag$...$tag$), or i when this '$' opens none. */
static size_t skip_dollar_quote(const char *s, size_t i)
{
    size_t j = i + 1;
    if (s[j] != '$') {
        if (!tag_start((unsigned char)s[j]))
            return i;
        while (ident_char((unsigned char)s[j]) && s[j] != '$')
            j++;
        if (s[j] != '$')
            return i;
    }
    size_t taglen = j - i + 1; /* "$tag$" */
    for (size_t k = j + 1; s[k]; k++) {
        if (s[k] == '$' && strncmp(s + k, s + i, taglen) == 0)
            return k + taglen;
    }
    return strlen(s);
}

static int put_param(sm_buf *out, int n)
{
    char tmp[8];
    int len = 0;
    char digits[8];
    do {
        digits[len++] = (char)('0' + n % 10);
        n /= 10;
    } while (n);
    tmp[0] = '$';
    for (int k = 0; k < len; k++)
        tmp[1 + k] = digits[len - 1 - k];
    return sm_buf_append(out, tmp, (size_t)len + 1);
}

int sm_pg_rewrite(const char *sql, sm_buf *out, int *nparams, const char **why)
{
    size_t i = 0, copied = 0;
    int questions = 0;
    long highest = 0;
    *nparams = 0;
    *why = NULL;
    sm_buf_reset(out);
    while (sql[i]) {
        unsigned char c = (unsigned char)sql[i];
        unsigned char prev = i ? (unsigned char)sql[i - 1] : 0;
        if (c == '\'') {
            bool e = (prev == 'E' || prev == 'e') &&
                     (i < 2 || !ident_char((unsigned char)sql[i - 2]));
            i = skip_string(sql, i, e);
        } else if (c == '"') {
            i = skip_quoted_ident(sql, i);
        } else if (c == '-' && sql[i + 1] == '-') {
            while (sql[i] && sql[i] != '\n')
                i++;
        } else if (c == '/' && sql[i + 1] == '*') {
            i = skip_block_comment(sql, i);
        } else if (c == '$' && !ident_char(prev)) {
            if (sql[i + 1] >= '0' && sql[i + 1] <= '9') {
                long n = 0;
                for (i++; sql[i] >= '0' && sql[i] <= '9'; i++)
                    if (n <= SM_PG_MAX_PARAMS)
                        n = n * 10 + (sql[i] - '0');
                if (n > highest)
                    highest = n;
            } else {
                size_t end = skip_dollar_quote(sql, i);
                i = end == i ? i + 1 : end;
            }
        } else if (c == '?') {
            if (sm_buf_append(out, sql + copied, i - copied) != SM_OK)
                return SM_NOMEM;
            if (sql[i + 1] == '?') {
                if (sm_buf_putc(out, '?') != SM_OK)
                    return SM_NOMEM;
                i += 2;
            } else {
                if (questions == SM_PG_MAX_PARAMS) {
                    *why = "more than 65535 parameters";
                    return SM_MISUSE;
                }
                if (put_param(out, ++questions) != SM_OK)
                    return SM_NOMEM;
                i++;
            }
            copied = i;
        } else {
            i++;
        }
    }
    if (questions && highest) {
        *why = "mixes '?' and '$n' placeholders";
        return SM_MISUSE;
    }
    if (highest > SM_PG_MAX_PARAMS) {
        *why = "more than 65535 parameters";
        return SM_MISUSE;
    }
    if (sm_buf_append(out, sql + copied, i - copied) != SM_OK)
        return SM_NOMEM;
    /* An empty statement still needs a NUL-terminated buffer. */
    if (!out->data && sm_buf_append(out, "", 0) != SM_OK)
        return SM_NOMEM;
    *nparams = questions ? questions : (int)highest;
    return SM_OK;
}
