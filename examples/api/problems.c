#include "problems.h"

#include "json_out.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The one pydantic (type, msg) of an smdl error. */
typedef struct problem {
    const char *type;
    char msg[160];
} problem;

/* Members of the one enum of the schema, for pydantic's enum message:
 * smdl's message names them only when the value is a string. */
static const char POWER_MEMBERS[] = "'flight', 'strength' or 'speed'";

/* A bound out of smdl's "must be >= 0": pydantic's comparison types. */
static void from_bound(const char *msg, problem *p)
{
    static const struct {
        const char *op, *type, *words;
    } ops[] = {
        {">= ", "greater_than_equal", "greater than or equal to"},
        {"<= ", "less_than_equal", "less than or equal to"},
        {"> ", "greater_than", "greater than"},
        {"< ", "less_than", "less than"},
    };
    const char *rest = strncmp(msg, "must be ", 8) == 0 ? msg + 8 : "";
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        size_t n = strlen(ops[i].op);
        if (strncmp(rest, ops[i].op, n) == 0) {
            p->type = ops[i].type;
            snprintf(p->msg, sizeof p->msg, "Input should be %s %s", ops[i].words, rest + n);
            return;
        }
    }
    /* An integer beyond 64 bits, which pydantic would not refuse. */
    p->type = "int_parsing_size";
    snprintf(p->msg, sizeof p->msg, "Unable to parse input string as an integer, exceeded maximum size");
}

/* "must be at most 100 characters": pydantic's string length types. */
static void from_length(const char *msg, bool longest, problem *p)
{
    long n = 0;
    const char *digits = strpbrk(msg, "0123456789");
    if (digits)
        sscanf(digits, "%ld", &n);
    p->type = longest ? "string_too_long" : "string_too_short";
    snprintf(p->msg, sizeof p->msg, "String should have %s %ld character%s",
             longest ? "at most" : "at least", n, n == 1 ? "" : "s");
}

/* smdl's "expected ..." of a value of the wrong JSON type. */
static void from_type(const char *msg, problem *p)
{
    static const struct {
        const char *expected, *type, *msg;
    } kinds[] = {
        {"expected an integer (no fraction", "int_from_float",
         "Input should be a valid integer, got a number with a fractional part"},
        {"expected an integer", "int_type", "Input should be a valid integer"},
        {"expected a number", "float_type", "Input should be a valid number"},
        {"expected true or false", "bool_type", "Input should be a valid boolean"},
        {"expected a string naming an enum member", "enum", NULL},
        {"expected a string", "string_type", "Input should be a valid string"},
        {"expected an object", "model_attributes_type",
         "Input should be a valid dictionary or object to extract fields from"},
        {"expected an array", "list_type", "Input should be a valid list"},
    };
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (strncmp(msg, kinds[i].expected, strlen(kinds[i].expected)) == 0) {
            p->type = kinds[i].type;
            if (kinds[i].msg)
                snprintf(p->msg, sizeof p->msg, "%s", kinds[i].msg);
            else
                snprintf(p->msg, sizeof p->msg, "Input should be %s", POWER_MEMBERS);
            return;
        }
    p->type = "value_error";
    snprintf(p->msg, sizeof p->msg, "Value error, %s", msg);
}

/* null for a field that cannot be null: pydantic names the field's type,
 * which the schema of this API tells from the field's name. */
static void from_null(const char *path, problem *p)
{
    const char *leaf = strrchr(path, '.');
    leaf = leaf ? leaf + 1 : path;
    if (strcmp(leaf, "power") == 0) {
        p->type = "enum";
        snprintf(p->msg, sizeof p->msg, "Input should be %s", POWER_MEMBERS);
    } else {
        p->type = "string_type";
        snprintf(p->msg, sizeof p->msg, "Input should be a valid string");
    }
}

static void to_problem(const sm_error *e, problem *p)
{
    const char *code = e->code, *msg = e->msg ? e->msg : "";
    if (strcmp(code, "required") == 0 && strcmp(msg, "must not be null") == 0)
        from_null(e->path, p);
    else if (strcmp(code, "required") == 0) {
        p->type = "missing";
        snprintf(p->msg, sizeof p->msg, "Field required");
    } else if (strcmp(code, "type") == 0)
        from_type(msg, p);
    else if (strcmp(code, "too_long") == 0 || strcmp(code, "too_short") == 0)
        from_length(msg, code[4] == 'l', p);
    else if (strcmp(code, "out_of_range") == 0)
        from_bound(msg, p);
    else if (strcmp(code, "enum") == 0) {
        p->type = "enum";
        snprintf(p->msg, sizeof p->msg, "Input should be %s", POWER_MEMBERS);
    } else if (strcmp(code, "json_syntax") == 0) {
        p->type = "json_invalid";
        snprintf(p->msg, sizeof p->msg, "JSON decode error");
    } else if (strcmp(code, "unknown_field") == 0) {
        p->type = "extra_forbidden";
        snprintf(p->msg, sizeof p->msg, "Extra inputs are not permitted");
    } else if (strcmp(code, "finite") == 0) {
        p->type = "finite_number";
        snprintf(p->msg, sizeof p->msg, "Input should be a finite number");
    } else if (strcmp(code, "pattern") == 0) {
        p->type = "string_pattern_mismatch";
        snprintf(p->msg, sizeof p->msg, "String should match pattern");
    } else { /* duplicate_key, depth, check, too_many_errors: no pydantic twin */
        p->type = "value_error";
        snprintf(p->msg, sizeof p->msg, "Value error, %s", msg);
    }
}

/* The character offset of smdl's "LINE:COL: ..." in body: where Python's
 * JSON decoder reports its error, the loc FastAPI gives it. */
static size_t syntax_offset(const char *msg, const char *body, size_t len)
{
    unsigned long line = 1, col = 1;
    if (sscanf(msg, "%lu:%lu:", &line, &col) != 2)
        return 0;
    size_t at = 0;
    for (unsigned long l = 1; l < line && at < len; at++)
        if (body[at] == '\n')
            l++;
    at += col - 1;
    if (at > len)
        at = len;
    size_t chars = 0; /* UTF-8 lead bytes before at */
    for (size_t i = 0; i < at; i++)
        chars += ((unsigned char)body[i] & 0xC0) != 0x80;
    return chars;
}

/* Appends ,"a",2,"b" for the path a[2].b. */
static int path_parts(sm_buf *out, const char *path)
{
    int rc = SM_OK;
    const char *s = path;
    while (rc == SM_OK && *s) {
        if (*s == '.') {
            s++;
            continue;
        }
        if (*s == '[') {
            char *end;
            unsigned long long k = strtoull(s + 1, &end, 10);
            rc = sm_buf_printf(out, ",%llu", k);
            s = *end == ']' ? end + 1 : end;
            continue;
        }
        size_t n = strcspn(s, ".[");
        rc = sm_buf_putc(out, ',');
        if (rc == SM_OK)
            rc = api_json_str(out, s, n);
        s += n;
    }
    return rc;
}

/* True when the list in out has no entry yet. */
static bool empty_list(const sm_buf *out)
{
    return out->len > 0 && out->data[out->len - 1] == '[';
}

static int one(sm_buf *out, const sm_error *e, const char *body, size_t len)
{
    problem p;
    to_problem(e, &p);
    int rc = sm_buf_puts(out, empty_list(out) ? "{\"loc\":[\"body\"" : ",{\"loc\":[\"body\"");
    if (rc == SM_OK && strcmp(e->code, "json_syntax") == 0)
        rc = sm_buf_printf(out, ",%zu", syntax_offset(e->msg ? e->msg : "", body, len));
    else if (rc == SM_OK)
        rc = path_parts(out, e->path ? e->path : "");
    if (rc == SM_OK)
        rc = sm_buf_puts(out, "],\"msg\":");
    if (rc == SM_OK)
        rc = api_json_str(out, p.msg, strlen(p.msg));
    if (rc == SM_OK)
        rc = sm_buf_printf(out, ",\"type\":\"%s\"}", p.type);
    return rc;
}

int api_problems_body(sm_buf *out, const sm_errors *errs, const char *body, size_t len)
{
    int rc = SM_OK;
    for (size_t i = 0; rc == SM_OK && i < errs->len; i++)
        rc = one(out, &errs->items[i], body, len);
    return rc;
}

int api_problems_open(sm_buf *out)
{
    return sm_buf_puts(out, "{\"detail\":[");
}

int api_problems_add(sm_buf *out, const char *where, const char *name, const char *type,
                     const char *msg)
{
    int rc = sm_buf_printf(out, "%s{\"loc\":[\"%s\",", empty_list(out) ? "" : ",", where);
    if (rc == SM_OK)
        rc = api_json_str(out, name, strlen(name));
    if (rc == SM_OK)
        rc = sm_buf_puts(out, "],\"msg\":");
    if (rc == SM_OK)
        rc = api_json_str(out, msg, strlen(msg));
    if (rc == SM_OK)
        rc = sm_buf_printf(out, ",\"type\":\"%s\"}", type);
    return rc;
}

int api_problems_close(sm_buf *out)
{
    return sm_buf_puts(out, "]}");
}
