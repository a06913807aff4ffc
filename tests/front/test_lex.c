/*
 * test_lex.c: the tokenizer.  Every token kind and keyword, identifiers
 * against keywords, attributes, durations, integers at and past the
 * 64-bit limit, floats, strings and every escape, comments, positions,
 * the NUL sentinel, and each lexical error with its code and extent.
 */
#include "front.h"

#include <stdio.h>
#include <string.h>

enum { MAXTOK = 64 };

typedef struct lexed {
    int codes[MAXTOK];
    smc_token toks[MAXTOK];
    size_t n;
    smc_lexer lx;
} lexed;

static lexed *lex_n(lexed *r, const char *text, size_t len)
{
    memset(r, 0, sizeof *r);
    r->n = fx_lex(text, len, r->codes, r->toks, MAXTOK, &r->lx);
    return r;
}

static lexed *lex(lexed *r, const char *text)
{
    return lex_n(r, text, strlen(text));
}

/* text is exactly one token of kind code (then the end). */
static void assert_one(const char *text, int code)
{
    lexed res, *r = lex(&res, text);
    if (r->n != 2 || r->codes[0] != code || r->codes[1] != SMC_LEX_EOF)
        fail_msg("'%s': got %zu tokens, first %d (want %d)", text, r->n, r->codes[0], code);
    assert_int_equal(r->toks[0].off, 0);
    assert_int_equal(r->toks[0].len, strlen(text));
    assert_int_equal(r->toks[1].off, strlen(text));
}

/* text fails with this code, at [off, off + len), with this message. */
static void assert_lex_error(const char *text, size_t tlen, smc_code code, uint32_t off,
                             uint32_t len, const char *msg)
{
    lexed res, *r = lex_n(&res, text, tlen);
    if (r->codes[r->n - 1] != SMC_LEX_ERROR)
        fail_msg("'%s': no error", text);
    assert_int_equal(r->lx.err, code);
    assert_int_equal(r->lx.err_off, off);
    assert_int_equal(r->lx.err_len, len);
    if (msg)
        assert_string_equal(r->lx.err_msg, msg);
}
#define LEX_ERROR(text, code, off, len, msg) \
    assert_lex_error(text, sizeof(text) - 1, code, off, len, msg)

/* ---- Token kinds --------------------------------------------------------------- */

static const struct {
    const char *text;
    int code;
} kinds[] = {
    {"->", SMC_TK_ARROW}, {"==", SMC_TK_EQ},     {"!=", SMC_TK_NE},
    {"<=", SMC_TK_LE},    {">=", SMC_TK_GE},     {"<", SMC_TK_LT},
    {">", SMC_TK_GT},     {"=", SMC_TK_ASSIGN},  {";", SMC_TK_SEMI},
    {":", SMC_TK_COLON},  {",", SMC_TK_COMMA},   {".", SMC_TK_DOT},
    {"(", SMC_TK_LP},     {")", SMC_TK_RP},      {"{", SMC_TK_LBRACE},
    {"}", SMC_TK_RBRACE}, {"[", SMC_TK_LBRACKET}, {"]", SMC_TK_RBRACKET},
    {"?", SMC_TK_QUESTION}, {"+", SMC_TK_PLUS},  {"-", SMC_TK_MINUS},
    {"*", SMC_TK_STAR},   {"/", SMC_TK_SLASH},   {"name", SMC_TK_ID},
    {"42", SMC_TK_INT},   {"1.5", SMC_TK_FLOAT}, {"\"s\"", SMC_TK_STRING},
    {"5s", SMC_TK_DURATION}, {"@pk", SMC_TK_ATTR},
};

static void test_every_token_kind(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        assert_one(kinds[i].text, kinds[i].code);
    /* Every code the grammar declares (UMINUS is a precedence marker,
     * never a token) comes out of the lexer for some text above or in
     * the keyword table, so a new token cannot go untested. */
    for (int t = 1; t < SMC_TK_UMINUS; t++) {
        bool seen = false;
        for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
            seen |= kinds[i].code == t;
        for (size_t i = 0; i < smc_nkeywords; i++)
            seen |= smc_keywords[i].token == t;
        if (!seen)
            fail_msg("token code %d is produced by no test text", t);
    }
}

static void test_keywords_round_trip(void **state)
{
    (void)state;
    assert_true(smc_nkeywords > 50);
    for (size_t i = 0; i < smc_nkeywords; i++) {
        const smc_keyword *k = &smc_keywords[i];
        assert_one(k->text, k->token);
        assert_string_equal(smc_token_desc(k->token), k->text);
        /* Sorted and unique, as the binary search needs, and lowercase. */
        if (i > 0)
            assert_true(strcmp(smc_keywords[i - 1].text, k->text) < 0);
        for (size_t j = 0; j < i; j++)
            assert_int_not_equal(smc_keywords[j].token, k->token);
        for (const char *c = k->text; *c; c++)
            assert_true(*c >= 'a' && *c <= 'z');
    }
}

/* The keyword code of s by a linear search, or SMC_TK_ID. */
static int keyword_code(const char *s)
{
    for (size_t i = 0; i < smc_nkeywords; i++)
        if (strcmp(smc_keywords[i].text, s) == 0)
            return smc_keywords[i].token;
    return SMC_TK_ID;
}

/* Keywords are case-sensitive whole words; anything else is a name. */
static void test_identifiers_versus_keywords(void **state)
{
    (void)state;
    char buf[64];
    for (size_t i = 0; i < smc_nkeywords; i++) {
        const char *k = smc_keywords[i].text;
        snprintf(buf, sizeof buf, "%c%s", k[0] - 'a' + 'A', k + 1); /* Select */
        assert_one(buf, SMC_TK_ID);
        snprintf(buf, sizeof buf, "%sx", k); /* selectx */
        assert_one(buf, SMC_TK_ID);
        snprintf(buf, sizeof buf, "%s_", k); /* select_ */
        assert_one(buf, SMC_TK_ID);
        snprintf(buf, sizeof buf, "%s1", k); /* select1 */
        assert_one(buf, SMC_TK_ID);
        snprintf(buf, sizeof buf, "%.*s", (int)strlen(k) - 1, k); /* selec, as (asc) */
        if (buf[0])
            assert_one(buf, keyword_code(buf));
    }
    const char *names[] = {"a", "Z", "a1", "snake_case", "x_", "A_b_C_9", "int", "text",
                           "datetime", "uuid", "json", "bool", "decimal", "sort", "dir", "now",
                           "count", "SELECT", "Table"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        assert_one(names[i], SMC_TK_ID);
    /* A keyword ends where a name character does not follow. */
    lexed res, *r = lex(&res, "table(x)");
    assert_int_equal(r->codes[0], SMC_TK_TABLE);
    assert_int_equal(r->codes[1], SMC_TK_LP);
}

static void test_double_underscore(void **state)
{
    (void)state;
    LEX_ERROR("a__b", SMC_E_IDENT, 0, 4, "identifiers may not contain '__'");
    LEX_ERROR("x Hero__Team y", SMC_E_IDENT, 2, 10, NULL);
    LEX_ERROR("abc___", SMC_E_IDENT, 0, 6, NULL);
    LEX_ERROR("a_b__", SMC_E_IDENT, 0, 5, NULL);
    /* A leading underscore is not a name start at all. */
    LEX_ERROR("_a", SMC_E_STRAY, 0, 1, "stray '_' in the source");
}

static void test_attributes(void **state)
{
    (void)state;
    assert_one("@pk", SMC_TK_ATTR);
    assert_one("@max_len", SMC_TK_ATTR);
    assert_one("@json", SMC_TK_ATTR);
    /* Keywords after '@' are attribute names, not keywords. */
    assert_one("@index", SMC_TK_ATTR);
    assert_one("@unique", SMC_TK_ATTR);
    lexed res, *r = lex(&res, "@fk(Team.id, on_delete: cascade)");
    int want[] = {SMC_TK_ATTR, SMC_TK_LP, SMC_TK_ID, SMC_TK_DOT, SMC_TK_ID, SMC_TK_COMMA,
                  SMC_TK_ID, SMC_TK_COLON, SMC_TK_ID, SMC_TK_RP, SMC_LEX_EOF};
    assert_int_equal(r->n, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < r->n; i++)
        assert_int_equal(r->codes[i], want[i]);
    assert_int_equal(r->toks[0].len, 3);
    LEX_ERROR("@", SMC_E_STRAY, 0, 1, "expected an attribute name after '@'");
    LEX_ERROR("x @ pk", SMC_E_STRAY, 2, 1, NULL);
    LEX_ERROR("@1", SMC_E_STRAY, 0, 1, NULL);
    LEX_ERROR("@@pk", SMC_E_STRAY, 0, 1, NULL);
}

/* ---- Numbers ------------------------------------------------------------------------ */

static void assert_duration(const char *text, int64_t ms)
{
    lexed res, *r = lex(&res, text);
    assert_int_equal(r->codes[0], SMC_TK_DURATION);
    assert_int_equal(r->toks[0].len, strlen(text));
    assert_true(r->toks[0].ival == ms);
}

static void test_durations(void **state)
{
    (void)state;
    assert_duration("250ms", 250);
    assert_duration("5s", 5000);
    assert_duration("2m", 120000);
    assert_duration("1h", 3600000);
    assert_duration("0ms", 0);
    assert_duration("0h", 0);
    assert_duration("90s", 90000);
    assert_duration("007s", 7000);
    assert_duration("9223372036854775807ms", INT64_MAX);
    assert_duration("9223372036854775s", INT64_C(9223372036854775000));
    assert_duration("2562047788015h", INT64_C(2562047788015) * 3600000);
    LEX_ERROR("9223372036854775808ms", SMC_E_NUMBER, 0, 21, "duration out of range");
    LEX_ERROR("9223372036854776s", SMC_E_NUMBER, 0, 17, "duration out of range");
    LEX_ERROR("2562047788016h", SMC_E_NUMBER, 0, 14, NULL);
    LEX_ERROR("99999999999999999999999ms", SMC_E_NUMBER, 0, 25, NULL);
    /* Other units, capitals and suffixes are malformed numbers. */
    LEX_ERROR("5sec", SMC_E_NUMBER, 0, 4, "malformed number");
    LEX_ERROR("5min", SMC_E_NUMBER, 0, 4, NULL);
    LEX_ERROR("5S", SMC_E_NUMBER, 0, 2, NULL);
    LEX_ERROR("5us", SMC_E_NUMBER, 0, 3, NULL);
    LEX_ERROR("5d", SMC_E_NUMBER, 0, 2, NULL);
    LEX_ERROR("1.5s", SMC_E_NUMBER, 0, 4, NULL);
    /* A space makes an integer and a name. */
    lexed res, *r = lex(&res, "5 s");
    assert_int_equal(r->codes[0], SMC_TK_INT);
    assert_int_equal(r->codes[1], SMC_TK_ID);
}

static void assert_int_tok(const char *text, int64_t v)
{
    lexed res, *r = lex(&res, text);
    assert_int_equal(r->codes[0], SMC_TK_INT);
    assert_int_equal(r->toks[0].len, strlen(text));
    assert_true(r->toks[0].ival == v);
}

static void test_integers(void **state)
{
    (void)state;
    assert_int_tok("0", 0);
    assert_int_tok("7", 7);
    assert_int_tok("00042", 42);
    assert_int_tok("4294967296", INT64_C(4294967296));
    assert_int_tok("9223372036854775807", INT64_MAX);
    /* 2^63 is only valid negated; the lexer hands it on as INT64_MIN. */
    assert_int_tok("9223372036854775808", INT64_MIN);
    LEX_ERROR("9223372036854775809", SMC_E_NUMBER, 0, 19, "integer literal out of range");
    LEX_ERROR("18446744073709551615", SMC_E_NUMBER, 0, 20, NULL);
    LEX_ERROR("18446744073709551616", SMC_E_NUMBER, 0, 20, NULL);
    LEX_ERROR("x = 100000000000000000000;", SMC_E_NUMBER, 4, 21, NULL);
    LEX_ERROR("12abc", SMC_E_NUMBER, 0, 5, "malformed number");
    LEX_ERROR("0x1F", SMC_E_NUMBER, 0, 4, NULL);
    LEX_ERROR("1_000", SMC_E_NUMBER, 0, 5, NULL);
    /* The sign is a separate token. */
    lexed res, *r = lex(&res, "-9223372036854775808");
    assert_int_equal(r->codes[0], SMC_TK_MINUS);
    assert_int_equal(r->codes[1], SMC_TK_INT);
    assert_true(r->toks[1].ival == INT64_MIN);
}

static void test_floats(void **state)
{
    (void)state;
    const char *ok[] = {"1.5", "0.25", "10.0", "1e3", "1E3", "1e+3", "1e-3", "1.5e-3",
                        "2.5E+10", "0.0", "123456789.987654321", "1e999"};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        assert_one(ok[i], SMC_TK_FLOAT);
    LEX_ERROR("1.", SMC_E_NUMBER, 0, 2, "malformed number");
    LEX_ERROR("1.2.3", SMC_E_NUMBER, 0, 5, NULL);
    LEX_ERROR("1e", SMC_E_NUMBER, 0, 2, NULL);
    LEX_ERROR("1.5x", SMC_E_NUMBER, 0, 4, NULL);
    /* No leading dot: '.' then an integer. */
    lexed res, *r = lex(&res, ".5");
    assert_int_equal(r->codes[0], SMC_TK_DOT);
    assert_int_equal(r->codes[1], SMC_TK_INT);
    /* An exponent sign without digits leaves the sign behind. */
    LEX_ERROR("1.5e+", SMC_E_NUMBER, 0, 4, NULL);
}

/* ---- Strings ----------------------------------------------------------------------- */

static void test_string_tokens(void **state)
{
    (void)state;
    const char *ok[] = {"\"\"", "\"abc\"", "\"a b\\tc\"", "\"\\\\\"", "\"\\\"\"",
                        "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"", "\"\\u{1F600}\"",
                        "\"\\u{41}\\u{0041}\\u{000041}\"", "\"// not a comment\"",
                        "\"/* nor this */\"", "\"it's\""};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        assert_one(ok[i], SMC_TK_STRING);
    /* Adjacent strings are separate tokens; the parser joins them. */
    lexed res, *r = lex(&res, "\"a\" \"b\"");
    assert_int_equal(r->n, 3);
    assert_int_equal(r->codes[0], SMC_TK_STRING);
    assert_int_equal(r->codes[1], SMC_TK_STRING);
    assert_int_equal(r->toks[1].off, 4);
}

static void test_string_errors(void **state)
{
    (void)state;
    LEX_ERROR("x \"abc", SMC_E_UNTERMINATED_STRING, 2, 1,
              "unterminated string (missing '\"' before the end of the file)");
    LEX_ERROR("\"abc\nd\"", SMC_E_UNTERMINATED_STRING, 0, 1,
              "unterminated string (missing '\"' before the end of the line)");
    LEX_ERROR("\"abc\r\n\"", SMC_E_UNTERMINATED_STRING, 0, 1, NULL);
    LEX_ERROR("\"a\\qb\"", SMC_E_ESCAPE, 2, 2,
              "unknown escape '\\q' (use \\\\ \\\" \\n \\t or \\u{hex})");
    LEX_ERROR("\"\\r\"", SMC_E_ESCAPE, 1, 2, NULL);
    LEX_ERROR("\"\\x41\"", SMC_E_ESCAPE, 1, 2, NULL);
    LEX_ERROR("\"\\'\"", SMC_E_ESCAPE, 1, 2, NULL);
    LEX_ERROR("\"\\u{D800}\"", SMC_E_ESCAPE, 1, 8,
              "\\u{...} must name a Unicode scalar value other than 0");
    LEX_ERROR("\"\\u{DFFF}\"", SMC_E_ESCAPE, 1, 8, NULL);
    LEX_ERROR("\"\\u{110000}\"", SMC_E_ESCAPE, 1, 10, NULL);
    LEX_ERROR("\"\\u{FFFFFF}\"", SMC_E_ESCAPE, 1, 10, NULL);
    LEX_ERROR("\"\\u{0}\"", SMC_E_ESCAPE, 1, 5, NULL);
    LEX_ERROR("\"\\u{000000}\"", SMC_E_ESCAPE, 1, 10, NULL);
    LEX_ERROR("\"\\u{}\"", SMC_E_ESCAPE, 1, 2, "expected \\u{hex} with 1 to 6 hex digits");
    LEX_ERROR("\"\\u{1234567}\"", SMC_E_ESCAPE, 1, 2, NULL);
    LEX_ERROR("\"\\u0041\"", SMC_E_ESCAPE, 1, 2, NULL);
    LEX_ERROR("\"\\u{12\"", SMC_E_ESCAPE, 1, 2, NULL);
    LEX_ERROR("\"\\u{g}\"", SMC_E_ESCAPE, 1, 2, NULL);
    LEX_ERROR("\"\\\xc3\xa9\"", SMC_E_ESCAPE, 1, 1, "unknown escape");
    LEX_ERROR("\"abc\\", SMC_E_ESCAPE, 4, 1, NULL);
    LEX_ERROR("\"a\\\nb\"", SMC_E_ESCAPE, 2, 1, NULL);
    /* Invalid UTF-8 inside a string, at the first bad byte. */
    LEX_ERROR("\"ab\xff\"", SMC_E_UTF8, 3, 1, "invalid UTF-8 in a string");
    LEX_ERROR("\"\xc3\x28\"", SMC_E_UTF8, 1, 1, NULL);
    LEX_ERROR("\"\xc0\xaf\"", SMC_E_UTF8, 1, 1, NULL);          /* overlong '/' */
    LEX_ERROR("\"\xe0\x80\xaf\"", SMC_E_UTF8, 1, 1, NULL);      /* overlong */
    LEX_ERROR("\"\xed\xa0\x80\"", SMC_E_UTF8, 1, 1, NULL);      /* surrogate */
    LEX_ERROR("\"\xf4\x90\x80\x80\"", SMC_E_UTF8, 1, 1, NULL);  /* past U+10FFFF */
    LEX_ERROR("\"\xf0\x9f\x98\"", SMC_E_UTF8, 1, 1, NULL);      /* truncated */
    LEX_ERROR("\"\x80\"", SMC_E_UTF8, 1, 1, NULL);              /* lone continuation */
}

/* ---- Comments and whitespace ----------------------------------------------------------- */

static void test_comments(void **state)
{
    (void)state;
    lexed res, *r = lex(&res, "a // one\nb /* two\nlines */ c //");
    int want[] = {SMC_TK_ID, SMC_LEX_COMMENT, SMC_TK_ID, SMC_LEX_COMMENT, SMC_TK_ID,
                  SMC_LEX_COMMENT, SMC_LEX_EOF};
    assert_int_equal(r->n, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < r->n; i++)
        assert_int_equal(r->codes[i], want[i]);
    /* The line comment stops before its newline; block comments include
     * both delimiters; a comment may end the file. */
    assert_int_equal(r->toks[1].off, 2);
    assert_int_equal(r->toks[1].len, 6);
    assert_int_equal(r->toks[3].off, 11);
    assert_int_equal(r->toks[3].len, 15);
    assert_int_equal(r->toks[5].off, 29);
    assert_int_equal(r->toks[5].len, 2);
    assert_int_equal(r->toks[6].off, 31);

    /* Corner cases of the delimiters. */
    const char *one[] = {"/**/", "/***/", "/* * / ** */", "/* /* */", "// /* x",
                         "/* // */", "/*\n*\n*/", "// caf\xc3\xa9", "/* \xf0\x9f\x98\x80 */",
                         "//"};
    for (size_t i = 0; i < sizeof one / sizeof one[0]; i++) {
        r = lex(&res, one[i]);
        assert_int_equal(r->n, 2);
        assert_int_equal(r->codes[0], SMC_LEX_COMMENT);
        assert_int_equal(r->toks[0].len, strlen(one[i]));
    }
    r = lex(&res, "/* a */ x */");
    assert_int_equal(r->codes[0], SMC_LEX_COMMENT);
    assert_int_equal(r->codes[1], SMC_TK_ID);
    assert_int_equal(r->codes[2], SMC_TK_STAR);
    assert_int_equal(r->codes[3], SMC_TK_SLASH);
    /* The block flag tells the two kinds apart. */
    r = lex(&res, "/* b */");
    assert_true(r->lx.block);
    r = lex(&res, "// l");
    assert_false(r->lx.block);

    LEX_ERROR("a /* open", SMC_E_UNTERMINATED_COMMENT, 2, 2,
              "unterminated comment (missing '*/')");
    LEX_ERROR("/*/", SMC_E_UNTERMINATED_COMMENT, 0, 2, NULL);
    LEX_ERROR("/* *", SMC_E_UNTERMINATED_COMMENT, 0, 2, NULL);
    LEX_ERROR("// bad \xc3\x28", SMC_E_UTF8, 7, 1, "invalid UTF-8 in a comment");
    LEX_ERROR("/* \xff */", SMC_E_UTF8, 3, 1, "invalid UTF-8 in a comment");
    LEX_ERROR("/* \xe2\x82 */", SMC_E_UTF8, 3, 1, NULL);
}

static void test_whitespace(void **state)
{
    (void)state;
    lexed res, *r = lex(&res, " \t\r\n\f\va\n\n\tb  ");
    assert_int_equal(r->n, 3);
    assert_int_equal(r->toks[0].off, 6);
    assert_int_equal(r->toks[1].off, 10);
    assert_int_equal(r->toks[2].off, 13);
    r = lex(&res, "");
    assert_int_equal(r->n, 1);
    assert_int_equal(r->codes[0], SMC_LEX_EOF);
    assert_int_equal(r->toks[0].off, 0);
}

/* Operators are taken greedily; ':' and '?' are always separate. */
static void test_operator_sequences(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int codes[6];
    } seqs[] = {
        {"a->b", {SMC_TK_ID, SMC_TK_ARROW, SMC_TK_ID}},
        {"<=>", {SMC_TK_LE, SMC_TK_GT}},
        {"===", {SMC_TK_EQ, SMC_TK_ASSIGN}},
        {"a-b", {SMC_TK_ID, SMC_TK_MINUS, SMC_TK_ID}},
        {"1-2", {SMC_TK_INT, SMC_TK_MINUS, SMC_TK_INT}},
        {"--1", {SMC_TK_MINUS, SMC_TK_MINUS, SMC_TK_INT}},
        {":p?", {SMC_TK_COLON, SMC_TK_ID, SMC_TK_QUESTION}},
        {"int?", {SMC_TK_ID, SMC_TK_QUESTION}},
        {"?:", {SMC_TK_QUESTION, SMC_TK_COLON}},
        {"a.b.c", {SMC_TK_ID, SMC_TK_DOT, SMC_TK_ID, SMC_TK_DOT, SMC_TK_ID}},
        {"x/y", {SMC_TK_ID, SMC_TK_SLASH, SMC_TK_ID}},
        {"[T]", {SMC_TK_LBRACKET, SMC_TK_ID, SMC_TK_RBRACKET}},
        {"a>=-1", {SMC_TK_ID, SMC_TK_GE, SMC_TK_MINUS, SMC_TK_INT}},
    };
    for (size_t i = 0; i < sizeof seqs / sizeof seqs[0]; i++) {
        lexed res, *r = lex(&res, seqs[i].text);
        size_t k = 0;
        while (k < 6 && seqs[i].codes[k])
            k++;
        if (r->n != k + 1)
            fail_msg("'%s': %zu tokens, want %zu", seqs[i].text, r->n - 1, k);
        for (size_t j = 0; j < k; j++)
            assert_int_equal(r->codes[j], seqs[i].codes[j]);
    }
}

/* ---- Bad bytes ----------------------------------------------------------------------- */

static void test_stray_bytes(void **state)
{
    (void)state;
    const char *ascii = "$#~!&|%^`'\\";
    for (const char *c = ascii; *c; c++) {
        char text[4] = {'x', ' ', *c, 0};
        char msg[64];
        snprintf(msg, sizeof msg, "stray '%c' in the source", *c);
        assert_lex_error(text, 3, SMC_E_STRAY, 2, 1, msg);
    }
    LEX_ERROR("\x01", SMC_E_STRAY, 0, 1, "stray byte 0x01 in the source");
    LEX_ERROR("\x7f", SMC_E_STRAY, 0, 1, "stray byte 0x7f in the source");
    LEX_ERROR("\x1b[0m", SMC_E_STRAY, 0, 1, "stray byte 0x1b in the source");
    /* A valid non-ASCII character is reported whole; an invalid byte alone. */
    LEX_ERROR("caf\xc3\xa9", SMC_E_STRAY, 3, 2,
              "non-ASCII character outside a string or comment");
    LEX_ERROR("x \xe2\x82\xac", SMC_E_STRAY, 2, 3, NULL);
    LEX_ERROR("\xf0\x9f\x98\x80", SMC_E_STRAY, 0, 4, NULL);
    LEX_ERROR("\xef\xbb\xbfmodule", SMC_E_STRAY, 0, 3, NULL); /* a BOM */
    LEX_ERROR("a \xff", SMC_E_UTF8, 2, 1, "invalid UTF-8");
    LEX_ERROR("\x80", SMC_E_UTF8, 0, 1, NULL);
    LEX_ERROR("\xc3(", SMC_E_UTF8, 0, 1, NULL);
    LEX_ERROR("\xed\xa0\x80", SMC_E_UTF8, 0, 1, NULL);
}

/* The text ends at its length; a NUL before that is an error wherever
 * it is, and the sentinel after it is never read past. */
static void test_nul_sentinel(void **state)
{
    (void)state;
    LEX_ERROR("a\0b", SMC_E_NUL, 1, 1, "NUL byte in the source");
    LEX_ERROR("a\0", SMC_E_NUL, 1, 1, NULL);
    LEX_ERROR("\0", SMC_E_NUL, 0, 1, NULL);
    LEX_ERROR("\"a\0b\"", SMC_E_NUL, 2, 1, "NUL byte in a string");
    LEX_ERROR("// a\0b\n", SMC_E_NUL, 4, 1, "NUL byte in a comment");
    LEX_ERROR("/* a\0b */", SMC_E_NUL, 4, 1, "NUL byte in a comment");
    /* The sentinel itself ends strings and comments as the end of file. */
    LEX_ERROR("\"ab", SMC_E_UNTERMINATED_STRING, 0, 1, NULL);
    LEX_ERROR("/* ab", SMC_E_UNTERMINATED_COMMENT, 0, 2, NULL);
    /* After the end, the lexer keeps answering EOF at the end. */
    char text[] = "x";
    smc_lexer lx;
    smc_token tok;
    smc_lex_init(&lx, text, 1);
    assert_int_equal(smc_lex(&lx, &tok), SMC_TK_ID);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(smc_lex(&lx, &tok), SMC_LEX_EOF);
        assert_int_equal(tok.off, 1);
        assert_int_equal(tok.len, 0);
    }
}

/* ---- Positions ------------------------------------------------------------------------- */

static void test_positions(void **state)
{
    (void)state;
    static const char text[] = "module m;\r\n"
                               "\n"
                               "  table T { caf: text = \"\xc3\xa9\"; }\n"
                               "\tx";
    smc_ctx ctx;
    smc_ctx_init(&ctx);
    int id = smc_source_add(&ctx, "p.smdl", text, sizeof text - 1);
    assert_int_equal(id, 0);
    const smc_source *src = ctx.files[0];
    assert_int_equal(src->nlines, 4);
    assert_string_equal(src->path, "p.smdl");
    assert_int_equal(src->text[src->len], 0);
    static const struct {
        const char *tok;
        uint32_t line, col;
    } want[] = {
        {"module", 1, 1}, {"m", 1, 8},     {";", 1, 9},    {"table", 3, 3},
        {"T", 3, 9},      {"{", 3, 11},    {"caf", 3, 13}, {":", 3, 16},
        {"text", 3, 18},  {"=", 3, 23},    {"\"\xc3\xa9\"", 3, 25},
        {";", 3, 29},     {"}", 3, 31},    {"x", 4, 2},
    };
    smc_lexer lx;
    smc_lex_init(&lx, src->text, src->len);
    size_t k = 0;
    for (;;) {
        smc_token tok;
        int code = smc_lex(&lx, &tok);
        assert_true(code > 0 || code == SMC_LEX_EOF);
        if (code == SMC_LEX_EOF) {
            uint32_t line, col;
            smc_source_pos(src, tok.off, &line, &col);
            assert_int_equal(line, 4);
            assert_int_equal(col, 3);
            break;
        }
        /* Every token, in order. */
        assert_true(k < sizeof want / sizeof want[0]);
        if (tok.len != strlen(want[k].tok) || memcmp(src->text + tok.off, want[k].tok, tok.len))
            fail_msg("token %zu is '%.*s', want '%s'", k, (int)tok.len, src->text + tok.off,
                     want[k].tok);
        uint32_t line, col;
        smc_source_pos(src, tok.off, &line, &col);
        if (line != want[k].line || col != want[k].col)
            fail_msg("'%s' at %u:%u, want %u:%u", want[k].tok, line, col, want[k].line,
                     want[k].col);
        k++;
    }
    assert_int_equal(k, sizeof want / sizeof want[0]);
    /* The '\r' of a CRLF counts on its line; offsets past a newline
     * start the next line. */
    uint32_t line, col;
    smc_source_pos(src, 9, &line, &col);
    assert_int_equal(line, 1);
    assert_int_equal(col, 10);
    smc_source_pos(src, 11, &line, &col);
    assert_int_equal(line, 2);
    assert_int_equal(col, 1);
    smc_ctx_free(&ctx);
}

static void test_positions_empty_and_trailing_newline(void **state)
{
    (void)state;
    smc_ctx ctx;
    smc_ctx_init(&ctx);
    smc_source_add(&ctx, "e.smdl", "", 0);
    smc_source_add(&ctx, "n.smdl", "a\n", 2);
    uint32_t line, col;
    smc_source_pos(ctx.files[0], 0, &line, &col);
    assert_int_equal(line, 1);
    assert_int_equal(col, 1);
    assert_int_equal(ctx.files[1]->nlines, 2);
    smc_source_pos(ctx.files[1], 2, &line, &col);
    assert_int_equal(line, 2);
    assert_int_equal(col, 1);
    smc_ctx_free(&ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_token_kind),
        cmocka_unit_test(test_keywords_round_trip),
        cmocka_unit_test(test_identifiers_versus_keywords),
        cmocka_unit_test(test_double_underscore),
        cmocka_unit_test(test_attributes),
        cmocka_unit_test(test_durations),
        cmocka_unit_test(test_integers),
        cmocka_unit_test(test_floats),
        cmocka_unit_test(test_string_tokens),
        cmocka_unit_test(test_string_errors),
        cmocka_unit_test(test_comments),
        cmocka_unit_test(test_whitespace),
        cmocka_unit_test(test_operator_sequences),
        cmocka_unit_test(test_stray_bytes),
        cmocka_unit_test(test_nul_sentinel),
        cmocka_unit_test(test_positions),
        cmocka_unit_test(test_positions_empty_and_trailing_newline),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
