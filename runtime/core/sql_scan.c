/*
 * sql_scan.c: the one scanner of SQL text in libsmdl.  It splits text into
 * tokens by one set of rules for literals, quoted identifiers, comments,
 * dollar quotes and placeholders; the few things a database changes are
 * the fields of sm_sql_rules, which each driver supplies (sm_driver.sql).
 * Everything that looks at SQL text uses it: statement splitting and
 * classification (conn/raw.c), placeholder rewriting (each driver's
 * prepare), counting and expanding list placeholders (model/query.c).
 *
 * The scanner never fails: an unterminated literal or comment runs to the
 * end of the text, which the database then reports as a syntax error.
 */
#include "internal.h"

#include <string.h>

static bool is_blank(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Characters that continue a word (keyword, identifier or number); bytes
 * of multibyte UTF-8 characters are letters. */
static bool word_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '$' || c >= 0x80;
}

static bool word_start(unsigned char c)
{
    return word_char(c) && c != '$';
}

/* Characters that may start a dollar-quote tag. */
static bool tag_start(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}

/* The end of a quoted span opened by s[i] == open and closed by close; a
 * doubled close stands for itself, and with `escapes` a backslash escapes
 * the next byte. */
static size_t quoted_end(const char *s, size_t i, char close, bool escapes)
{
    for (i++; s[i]; i++) {
        if (escapes && s[i] == '\\' && s[i + 1]) {
            i++;
        } else if (s[i] == close) {
            if (s[i + 1] != close || close == ']')
                return i + 1;
            i++;
        }
    }
    return i;
}

static size_t block_comment_end(const sm_sql_rules *r, const char *s, size_t i)
{
    int depth = 0;
    while (s[i]) {
        if (s[i] == '/' && s[i + 1] == '*') {
            if (depth && !r->nested_comments) {
                i += 2;
                continue;
            }
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

/* The end of the comment at s[i], or i when none starts there. */
static size_t comment_end(const sm_sql_rules *r, const char *s, size_t i)
{
    bool line = (s[i] == '#' && r->hash_comments) ||
                (s[i] == '-' && s[i + 1] == '-' &&
                 (!r->dash_comment_space || s[i + 2] == 0 || (unsigned char)s[i + 2] <= ' '));
    if (line) {
        while (s[i] && s[i] != '\n')
            i++;
        return i;
    }
    if (s[i] == '/' && s[i + 1] == '*')
        return block_comment_end(r, s, i);
    return i;
}

/* At s[i] == '$': the end of a dollar-quoted string ($tag$...$tag$, or
 * the end of the text when it is not closed), or i when this '$' opens
 * none. */
static size_t dollar_end(const char *s, size_t i)
{
    size_t j = i + 1;
    if (s[j] != '$') {
        if (!tag_start((unsigned char)s[j]))
            return i;
        while (word_char((unsigned char)s[j]) && s[j] != '$')
            j++;
        if (s[j] != '$')
            return i;
    }
    size_t taglen = j - i + 1; /* "$tag$" */
    for (size_t k = j + 1; s[k]; k++)
        if (s[k] == '$' && strncmp(s + k, s + i, taglen) == 0)
            return k + taglen;
    return i + strlen(s + i);
}

int sm_sql_token(const sm_sql_rules *r, const char *s, size_t i, size_t *end)
{
    unsigned char c = (unsigned char)s[i];
    size_t e;
    if (!c) {
        *end = i;
        return SM_TOK_END;
    }
    if (is_blank(c) || comment_end(r, s, i) != i) {
        for (;;) {
            while (is_blank((unsigned char)s[i]))
                i++;
            if ((e = comment_end(r, s, i)) == i)
                break;
            i = e;
        }
        *end = i;
        return SM_TOK_BLANK;
    }
    switch (c) {
    case '\'':
        *end = quoted_end(s, i, '\'', r->backslash_escapes);
        return SM_TOK_QUOTED;
    case '"':
        *end = quoted_end(s, i, '"', r->backslash_escapes);
        return SM_TOK_QUOTED;
    case '`':
        if (!r->backquote_idents)
            break;
        *end = quoted_end(s, i, '`', false);
        return SM_TOK_QUOTED;
    case '[':
        if (!r->bracket_idents)
            break;
        *end = quoted_end(s, i, ']', false);
        return SM_TOK_QUOTED;
    case '?':
        *end = i + (s[i + 1] == '?' ? 2 : 1);
        return *end == i + 2 ? SM_TOK_QQ : SM_TOK_PARAM;
    case SM_SQL_LIST_MARK:
        *end = i + 1;
        return SM_TOK_MARK;
    case ';':
        *end = i + 1;
        return SM_TOK_SEMI;
    case '$':
        if (!r->dollar_quotes)
            break;
        if (s[i + 1] >= '0' && s[i + 1] <= '9') {
            for (e = i + 1; s[e] >= '0' && s[e] <= '9'; e++)
                ;
            *end = e;
            return SM_TOK_NUMPARAM;
        }
        if ((e = dollar_end(s, i)) != i) {
            *end = e;
            return SM_TOK_QUOTED;
        }
        break;
    default:
        if (!word_start(c))
            break;
        /* E'...': a string with backslash escapes (PostgreSQL). */
        if (r->e_strings && (c == 'E' || c == 'e') && s[i + 1] == '\'') {
            *end = quoted_end(s, i + 1, '\'', true);
            return SM_TOK_QUOTED;
        }
        for (e = i + 1; word_char((unsigned char)s[e]); e++)
            ;
        *end = e;
        return SM_TOK_WORD;
    }
    *end = i + 1;
    return SM_TOK_OTHER;
}

size_t sm_sql_skip_blank(const sm_sql_rules *r, const char *s, size_t i)
{
    size_t e;
    if (sm_sql_token(r, s, i, &e) == SM_TOK_BLANK)
        return e;
    return i;
}

size_t sm_sql_stmt_end(const sm_sql_rules *r, const char *s, size_t i)
{
    size_t e;
    for (;;) {
        int t = sm_sql_token(r, s, i, &e);
        if (t == SM_TOK_END || t == SM_TOK_SEMI)
            return i;
        i = e;
    }
}

bool sm_sql_is_empty(const sm_sql_rules *r, const char *s)
{
    size_t i = 0, e;
    for (;;) {
        int t = sm_sql_token(r, s, i, &e);
        if (t == SM_TOK_END)
            return true;
        if (t != SM_TOK_BLANK && t != SM_TOK_SEMI)
            return false;
        i = e;
    }
}

/* Is the word s[i..e) kw (upper case), in any case? */
static bool word_is(const char *s, size_t i, size_t e, const char *kw)
{
    size_t n = strlen(kw);
    if (e - i != n)
        return false;
    for (size_t k = 0; k < n; k++) {
        char c = s[i + k];
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        if (c != kw[k])
            return false;
    }
    return true;
}

/* The next word of the statement from s[*i] on (blanks skipped), as the
 * span [*w, *i); false at anything else. */
static bool next_word(const sm_sql_rules *r, const char *s, size_t *i, size_t *w)
{
    size_t e;
    *i = sm_sql_skip_blank(r, s, *i);
    if (sm_sql_token(r, s, *i, &e) != SM_TOK_WORD)
        return false;
    *w = *i;
    *i = e;
    return true;
}

/* Does the statement of first words w1 (and w2 when two) start with the
 * phrase p ("WORD" or "WORD WORD")? */
static bool starts_with_phrase(const char *s, size_t w1, size_t e1, bool two, size_t w2, size_t e2,
                               const char *p)
{
    const char *sp = strchr(p, ' ');
    if (!sp)
        return word_is(s, w1, e1, p);
    char first[32];
    size_t n = (size_t)(sp - p);
    if (n >= sizeof first || !two)
        return false;
    memcpy(first, p, n);
    first[n] = '\0';
    return word_is(s, w1, e1, first) && word_is(s, w2, e2, sp + 1);
}

/* After SET at s[i]: does it set autocommit (SET [SESSION | LOCAL]
 * autocommit, SET @@[session. | local.]autocommit)?  Turning autocommit
 * off or on is transaction control on every database that has it. */
static bool sets_autocommit(const sm_sql_rules *r, const char *s, size_t i)
{
    size_t w, j = i;
    if (next_word(r, s, &j, &w) && (word_is(s, w, j, "SESSION") || word_is(s, w, j, "LOCAL")))
        i = j;
    i = sm_sql_skip_blank(r, s, i);
    if (s[i] == '@' && s[i + 1] == '@') {
        i += 2;
        j = i;
        if (next_word(r, s, &j, &w) && s[j] == '.' &&
            (word_is(s, w, j, "SESSION") || word_is(s, w, j, "LOCAL")))
            i = j + 1;
    }
    return next_word(r, s, &i, &w) && word_is(s, w, i, "AUTOCOMMIT");
}

int sm_sql_kind(const sm_sql_rules *r, const char *s, size_t i)
{
    size_t w = 0, w2 = 0, e;
    /* A parenthesised query: "(SELECT ...) UNION ...". */
    for (;;) {
        i = sm_sql_skip_blank(r, s, i);
        if (sm_sql_token(r, s, i, &e) != SM_TOK_OTHER || s[i] != '(')
            break;
        i = e;
    }
    if (!next_word(r, s, &i, &w))
        return SM_SQL_OTHER;
    size_t we = i;
    bool two = next_word(r, s, &i, &w2);
    if (word_is(s, w, we, "CREATE") || word_is(s, w, we, "DROP"))
        return two && (word_is(s, w2, i, "TEMPORARY") || word_is(s, w2, i, "TEMP"))
                   ? SM_SQL_OTHER
                   : SM_SQL_DDL;
    if (word_is(s, w, we, "ALTER") || word_is(s, w, we, "RENAME") ||
        word_is(s, w, we, "TRUNCATE"))
        return SM_SQL_DDL;
    if (word_is(s, w, we, "SET") && sets_autocommit(r, s, we))
        return SM_SQL_TX;
    for (const char *const *p = r->implicit_commit; p && *p; p++)
        if (starts_with_phrase(s, w, we, two, w2, i, *p))
            return SM_SQL_DDL;
    if (word_is(s, w, we, "BEGIN") || word_is(s, w, we, "COMMIT") ||
        word_is(s, w, we, "ROLLBACK") || word_is(s, w, we, "SAVEPOINT") ||
        word_is(s, w, we, "RELEASE") || word_is(s, w, we, "END") || word_is(s, w, we, "ABORT") ||
        (word_is(s, w, we, "START") && two && word_is(s, w2, i, "TRANSACTION")))
        return SM_SQL_TX;
    if (word_is(s, w, we, "SELECT") || word_is(s, w, we, "VALUES") ||
        word_is(s, w, we, "TABLE") || word_is(s, w, we, "SHOW"))
        return SM_SQL_READ;
    return SM_SQL_OTHER;
}
