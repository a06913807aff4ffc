/*
 * pg_sql.c: "?" placeholders to PostgreSQL's $n.
 *
 * Raw SQL uses "?" in every dialect (DESIGN 4.3).  PostgreSQL numbers its
 * parameters, and "?" is also an operator there (jsonb ? 'key'), so the
 * rewrite follows PostgreSQL's lexical rules closely enough to leave
 * literals, identifiers, comments and dollar quotes alone, and "??"
 * spells the operator.  The text is split by the runtime's one SQL
 * scanner (sql_scan.c) under PostgreSQL's rules; an unterminated literal
 * or comment is copied as is: the server reports the syntax error.
 */
#include "pg_driver.h"

#include <string.h>

/* PostgreSQL's lexical rules: E'...' strings take backslash escapes (the
 * session runs with standard_conforming_strings=on, so '...' do not),
 * block comments nest, $tag$...$tag$ quotes and $n parameters. */
const sm_sql_rules sm_pg_rules = {
    .e_strings = true,
    .nested_comments = true,
    .dollar_quotes = true,
};

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
    size_t i = 0, e, copied = 0;
    int questions = 0, t;
    long highest = 0;
    *nparams = 0;
    *why = NULL;
    sm_buf_reset(out);
    for (; (t = sm_sql_token(&sm_pg_rules, sql, i, &e)) != SM_TOK_END; i = e) {
        if (t == SM_TOK_NUMPARAM) {
            long n = 0;
            for (size_t k = i + 1; k < e; k++)
                if (n <= SM_PG_MAX_PARAMS)
                    n = n * 10 + (sql[k] - '0');
            if (n > highest)
                highest = n;
            continue;
        }
        if (t != SM_TOK_PARAM && t != SM_TOK_QQ)
            continue;
        if (sm_buf_append(out, sql + copied, i - copied) != SM_OK)
            return SM_NOMEM;
        if (t == SM_TOK_QQ) {
            if (sm_buf_putc(out, '?') != SM_OK)
                return SM_NOMEM;
        } else {
            if (questions == SM_PG_MAX_PARAMS) {
                *why = "more than 65535 parameters";
                return SM_MISUSE;
            }
            if (put_param(out, ++questions) != SM_OK)
                return SM_NOMEM;
        }
        copied = e;
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
