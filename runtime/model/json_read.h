/*
 * json_read.h: the state of the JSON reader, shared by json_read.c (the
 * event loop, frames, keys and errors) and json_value.c (decoding one
 * scalar value into a field).
 */
#ifndef SMDL_JSON_READ_H
#define SMDL_JSON_READ_H

#include "json.h"

enum { FR_MODEL, FR_LIST };
#define NO_FIELD UINT32_MAX

/* One open object (FR_MODEL) or list array (FR_LIST). */
typedef struct rframe {
    int kind;
    const sm_model *m; /* the object's model, or the list's item model */
    /* FR_MODEL */
    char *base;        /* the struct being filled */
    uint32_t hint;     /* the field to try first for the next key */
    uint32_t cur;      /* the current member's field, or NO_FIELD */
    bool skip;         /* the current member's value is not decoded */
    const char *key;   /* the current member's key as read (for paths) */
    size_t keylen;
    uint64_t seen;     /* fields present, models of up to 64 fields */
    size_t bits;       /* else: their first word in reader.bits */
    /* FR_LIST */
    void *list;        /* the X_list being filled */
    char *items;       /* the items so far (heap), copied to the arena at ']' */
    size_t len, cap;   /* items stored, allocated */
    size_t idx;        /* index of the current element, for paths */
} rframe;

/* Where the skipping is, per lexer depth: the current key of an object,
 * the index of the current element of an array. */
typedef struct rseg {
    size_t start, end; /* the raw key, [start, end) of the document */
    unsigned flags;    /* its SM_JTOK_ESC */
    size_t idx;
} rseg;

typedef struct reader {
    sm_jlex L;
    sm_arena *arena;
    sm_errors *errs;   /* the caller's list, or a private one */
    size_t base;       /* its length when the call began */
    bool verdict_only; /* no list given: stop at the first error */
    bool stopped;      /* no more errors can be recorded: stop reading */
    size_t nerrs;      /* field errors found */
    sm_jkeys keys;     /* keys of the open objects that have no field bit */
    rseg seg[SM_JSON_MAX_DEPTH + 1];
    sm_buf path;       /* the path of the error being added */
    sm_buf msg;        /* its message, when formatted */
    char *scratch;     /* unescaped keys and strings that are parsed, not kept */
    size_t scratch_cap;
    uint64_t *bits;    /* seen-bits of models with more than 64 fields */
    size_t nbits, capbits;
    int top;           /* the top frame, -1 when none */
    int skip_depth;    /* skipping a container: until the lexer's depth drops below */
    const sm_model *cap_m; /* a json field whose container value is captured */
    const sm_field *cap_f;
    char *cap_base;
    size_t cap_start;
    bool nomem;
    rframe fr[SM_JSON_MAX_DEPTH];
} reader;

/* The layout of every generated X_list. */
typedef struct any_list {
    void *items;
    size_t len;
} any_list;

static inline void set_bool(char *base, uint32_t off, bool v)
{
    memcpy(base + off, &v, sizeof v);
}

/* json_read.c */
/* An error about the value being decoded in the top frame. */
void sm_jr_err_here(reader *rd, const char *code, const char *msg);
/* What a value of f's type looks like, for a "type" error. */
const char *sm_jr_expected(const sm_field *f);
/* Marks a member as given with a value. */
void sm_jr_set_present(const sm_model *m, const sm_field *f, char *base);

/* Stores null in f; false when it cannot hold it. */
bool sm_jr_set_null(const sm_model *m, const sm_field *f, char *base);
/* The field whose JSON key is k[0..n), or NO_FIELD; *hint is the field to
 * try first, moved past the one found (keys usually come in order). */
uint32_t sm_jr_lookup(const sm_model *m, uint32_t *hint, const char *k, size_t n);

/* json_fast.c */
/* Decodes json into out when it is a plain flat object that the reader
 * would take without an error (out is then filled, texts in arena, not
 * yet validated); false when the reader must read it. */
bool sm_jr_fast(const sm_model *m, const char *json, size_t len, void *out, sm_arena *arena);

/* json_value.c */
/* The current string token's content, unescaped into scratch when needed
 * (NULL out of memory). */
const char *sm_jr_str_content(reader *rd, size_t *n);
/* Stores document bytes [start, end) as the text of json field f. */
void sm_jr_store_json(reader *rd, const sm_model *m, const sm_field *f, char *base,
                      size_t start, size_t end);
/* Decodes the scalar event ev into field f of the struct at base. */
void sm_jr_decode_scalar(reader *rd, const sm_model *m, const sm_field *f, char *base, int ev);

#endif
