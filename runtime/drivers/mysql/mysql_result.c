/*
 * mysql_result.c: result rows of the MariaDB/MySQL driver.
 *
 * Rows arrive in the binary protocol and land in buffers bound per
 * column, by the column's type, so numbers are never parsed from text:
 *
 *   integers (TINY..LONGLONG, YEAR)   int64 (unsigned columns as uint64)
 *   FLOAT, DOUBLE                     double
 *   DATE, TIME, DATETIME, TIMESTAMP   MYSQL_TIME; get_text writes "YYYY-MM-DD",
 *                                     "HH:MM:SS.ffffff" (sign and hours past 24
 *                                     as the server has them),
 *                                     "YYYY-MM-DD HH:MM:SS.ffffff"
 *   DECIMAL and everything else       bytes, in a buffer that grows: a value
 *                                     longer than the buffer comes back
 *                                     truncated and is fetched again whole
 *                                     with mysql_stmt_fetch_column; the
 *                                     grown buffer is bound before the
 *                                     next fetch, never while the row is
 *                                     read (a bind resets the lengths in
 *                                     some connector releases)
 *
 * Conversions between the getters follow SQLite's habits: get_int of text
 * parses a leading number (0 if there is none), get_text of a number
 * formats it into a per-column buffer, get_real of an integer converts.
 * Pointers stay valid until the next fetch.
 */
#include "mysql_priv.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BINARY_CHARSET 63 /* charsetnr of binary strings and BLOBs */
#define INITIAL_BUF 1024  /* largest first buffer of a text column */

void sm_my_free_result_binds(sm_my_stmt *s)
{
    if (s->cols)
        for (unsigned i = 0; i < s->ncols; i++)
            free(s->cols[i].buf);
    free(s->cols);
    free(s->cell);
    free(s->varcols);
    free(s->rbind);
    if (s->meta)
        mysql_free_result(s->meta);
    s->cols = NULL;
    s->cell = NULL;
    s->varcols = NULL;
    s->nvarcols = 0;
    s->rbind = NULL;
    s->meta = NULL;
    s->fields = NULL;
    s->ncols = 0;
}

static bool is_binary(const MYSQL_FIELD *f)
{
    if (f->charsetnr != BINARY_CHARSET)
        return false;
    switch (f->type) {
    case MYSQL_TYPE_TINY_BLOB:
    case MYSQL_TYPE_MEDIUM_BLOB:
    case MYSQL_TYPE_LONG_BLOB:
    case MYSQL_TYPE_BLOB:
    case MYSQL_TYPE_STRING:
    case MYSQL_TYPE_VAR_STRING:
    case MYSQL_TYPE_VARCHAR:
    case MYSQL_TYPE_GEOMETRY:
        return true;
    default:
        return false;
    }
}

/* The connector writes a column's NULL flag and length into its cell. */
_Static_assert(sizeof(my_bool) == sizeof(char), "my_bool is a char");

/* Chooses the column's kind and points its binding at its storage: the
 * cell for numbers, NULL flags and lengths, the column for the rest. */
static int bind_column(sm_my_col *col, sm_cell *cell, MYSQL_BIND *b, const MYSQL_FIELD *f)
{
    col->type = (int)f->type;
    col->is_unsigned = (f->flags & UNSIGNED_FLAG) != 0;
    col->binary_cs = f->charsetnr == BINARY_CHARSET;
    b->is_null = (my_bool *)&cell->null;
    b->error = &col->err;
    b->length = &cell->len;
    switch (f->type) {
    case MYSQL_TYPE_TINY:
    case MYSQL_TYPE_SHORT:
    case MYSQL_TYPE_INT24:
    case MYSQL_TYPE_LONG:
    case MYSQL_TYPE_LONGLONG:
    case MYSQL_TYPE_YEAR:
        col->kind = SM_MY_K_INT;
        /* An unsigned BIGINT may not fit an int64: read by the accessor. */
        cell->kind = col->is_unsigned && f->type == MYSQL_TYPE_LONGLONG ? 0 : SM_VINT;
        b->buffer_type = MYSQL_TYPE_LONGLONG;
        b->buffer = &cell->i;
        b->is_unsigned = col->is_unsigned;
        return SM_OK;
    case MYSQL_TYPE_FLOAT:
    case MYSQL_TYPE_DOUBLE:
        col->kind = SM_MY_K_REAL;
        cell->kind = SM_VREAL;
        b->buffer_type = MYSQL_TYPE_DOUBLE;
        b->buffer = &cell->d;
        return SM_OK;
    case MYSQL_TYPE_DATE:
    case MYSQL_TYPE_NEWDATE:
    case MYSQL_TYPE_TIME:
    case MYSQL_TYPE_DATETIME:
    case MYSQL_TYPE_TIMESTAMP:
        col->kind = SM_MY_K_TIME;
        b->buffer_type = f->type == MYSQL_TYPE_NEWDATE ? MYSQL_TYPE_DATE : f->type;
        b->buffer = &col->t;
        b->buffer_length = sizeof col->t;
        return SM_OK;
    default:
        break;
    }
    col->kind = is_binary(f) || f->type == MYSQL_TYPE_BIT ? SM_MY_K_BLOB : SM_MY_K_TEXT;
    size_t cap = f->length < INITIAL_BUF ? f->length + 1 : INITIAL_BUF + 1;
    if (cap < 16)
        cap = 16;
    col->buf = malloc(cap);
    if (!col->buf)
        return SM_NOMEM;
    col->cap = cap;
    cell->s = col->buf;
    cell->kind = col->kind == SM_MY_K_TEXT ? SM_VTEXT : 0;
    b->buffer_type = col->kind == SM_MY_K_BLOB ? MYSQL_TYPE_BLOB : MYSQL_TYPE_STRING;
    b->buffer = col->buf;
    b->buffer_length = (unsigned long)(cap - 1);
    return SM_OK;
}

int sm_my_bind_result(sm_cx *cx, sm_my_stmt *s)
{
    sm_my_conn *c = (sm_my_conn *)s->base.conn;
    sm_my_free_result_binds(s);
    s->rebind = false;
    s->rebind_pending = false;
    unsigned n = mysql_stmt_field_count(s->h);
    if (n == 0)
        return SM_OK;
    s->meta = mysql_stmt_result_metadata(s->h);
    if (!s->meta) {
        if (mysql_stmt_errno(s->h))
            return sm_my_stmt_error(c, cx, s->h, "result metadata");
        return sm_cx_fail(cx, SM_NOMEM, "mysql: out of memory reading result metadata");
    }
    s->fields = mysql_fetch_fields(s->meta);
    s->rbind = calloc(n, sizeof *s->rbind);
    s->cols = calloc(n, sizeof *s->cols);
    s->cell = calloc(n, sizeof *s->cell);
    s->varcols = calloc(n, sizeof *s->varcols);
    if (!s->rbind || !s->cols || !s->cell || !s->varcols) {
        sm_my_free_result_binds(s);
        return sm_cx_fail(cx, SM_NOMEM, "mysql: out of memory binding %u result columns", n);
    }
    s->ncols = n;
    for (unsigned i = 0; i < n; i++) {
        if (bind_column(&s->cols[i], &s->cell[i], &s->rbind[i], &s->fields[i]) != SM_OK) {
            sm_my_free_result_binds(s);
            return sm_cx_fail(cx, SM_NOMEM, "mysql: out of memory binding %u result columns", n);
        }
        if (s->cols[i].kind == SM_MY_K_TEXT || s->cols[i].kind == SM_MY_K_BLOB)
            s->varcols[s->nvarcols++] = i;
    }
    if (mysql_stmt_bind_result(s->h, s->rbind))
        return sm_my_stmt_error(c, cx, s->h, "bind result");
    return SM_OK;
}

/* The server re-prepares a statement on its own after DDL and sends the
 * new metadata with the execute answer; the connector updates the
 * statement's field array in place (h->fields, public in
 * mariadb_stmt.h).  Comparing it with the bound shape costs a few
 * compares per column, where fetching the metadata anew would copy it. */
bool sm_my_result_changed(sm_my_stmt *s)
{
    unsigned n = mysql_stmt_field_count(s->h);
    if (n != s->ncols)
        return true;
    const MYSQL_FIELD *now = s->h->fields;
    if (n && !now)
        return true;
    for (unsigned i = 0; i < n; i++) {
        const sm_my_col *c = &s->cols[i];
        if ((int)now[i].type != c->type ||
            ((now[i].flags & UNSIGNED_FLAG) != 0) != c->is_unsigned ||
            (now[i].charsetnr == BINARY_CHARSET) != c->binary_cs)
            return true;
    }
    return false;
}

/* Grows a truncated column to its whole length and fetches it again. */
static int refetch(sm_cx *cx, sm_my_stmt *s, unsigned i)
{
    sm_my_col *col = &s->cols[i];
    size_t need = (size_t)s->cell[i].len + 1;
    size_t cap = col->cap * 2 > need ? col->cap * 2 : need;
    char *buf = realloc(col->buf, cap);
    if (!buf)
        return sm_cx_fail(cx, SM_NOMEM, "mysql: out of memory for a %lu-byte value",
                          s->cell[i].len);
    col->buf = buf;
    col->cap = cap;
    s->cell[i].s = buf;
    s->rbind[i].buffer = buf;
    s->rbind[i].buffer_length = (unsigned long)(cap - 1);
    if (mysql_stmt_fetch_column(s->h, &s->rbind[i], i, 0))
        return sm_my_stmt_error((sm_my_conn *)s->base.conn, cx, s->h, "fetch column");
    return SM_OK;
}

int sm_my_fix_row(sm_cx *cx, sm_my_stmt *s)
{
    for (unsigned k = 0; k < s->nvarcols; k++) {
        unsigned i = s->varcols[k];
        if (s->cell[i].null || (size_t)s->cell[i].len + 1 <= s->cols[i].cap)
            continue;
        int rc = refetch(cx, s, i);
        if (rc != SM_OK)
            return rc;
        /* The larger buffer serves the following rows too, once bound.
         * Not now: binding resets the lengths of the current row in some
         * connector releases, and the row is read after this returns. */
        s->rebind_pending = true;
    }
    return SM_OK;
}

int sm_my_rebind(sm_cx *cx, sm_my_stmt *s)
{
    if (!s->rebind_pending)
        return SM_OK;
    s->rebind_pending = false;
    if (mysql_stmt_bind_result(s->h, s->rbind))
        return sm_my_stmt_error((sm_my_conn *)s->base.conn, cx, s->h, "bind result");
    return SM_OK;
}

/* A text or blob column's value, NUL-terminated: a value that fits
 * leaves room for the terminator (a longer one was fetched again into a
 * buffer of its length + 1), so it is written when the value is read
 * rather than for every column of every row. */
static const char *var_text(sm_my_col *c, const sm_cell *v)
{
    c->buf[v->len] = '\0';
    return c->buf;
}

/* Column col of the current row and its cell (*v), or NULL. */
static sm_my_col *column(sm_stmt *st, int col, const sm_cell **v)
{
    sm_my_stmt *s = (sm_my_stmt *)st;
    if (col < 0 || (unsigned)col >= s->ncols || !s->on_row)
        return NULL;
    *v = &s->cell[col];
    return &s->cols[col];
}

const sm_cell *sm_my_cells(sm_stmt *st)
{
    sm_my_stmt *s = (sm_my_stmt *)st;
    return s->on_row ? s->cell : NULL;
}

int sm_my_ncols(sm_stmt *st)
{
    return (int)((sm_my_stmt *)st)->ncols;
}

const char *sm_my_colname(sm_stmt *st, int col)
{
    sm_my_stmt *s = (sm_my_stmt *)st;
    if (col < 0 || (unsigned)col >= s->ncols)
        return NULL;
    return s->fields[col].name;
}

bool sm_my_is_null(sm_stmt *st, int col)
{
    const sm_cell *v;
    return !column(st, col, &v) || v->null;
}

/* A leading integer, or the integer part of a leading decimal or float
 * ("12.50" gives 12, "1e3" 1000); 0 when the text is not a number. */
static int64_t parse_int(const char *s)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (end != s && (*end == '.' || *end == 'e' || *end == 'E'))
        return sm_clamp_double(strtod(s, NULL));
    if (errno == ERANGE)
        return v < 0 ? INT64_MIN : INT64_MAX;
    return (int64_t)v;
}

/* BIT(n) arrives as big-endian bytes. */
static int64_t bits_value(const sm_my_col *c, const sm_cell *v)
{
    uint64_t n = 0;
    for (unsigned long i = 0; i < v->len && i < 8; i++)
        n = n << 8 | (unsigned char)c->buf[i];
    return (int64_t)n;
}

int64_t sm_my_get_int(sm_stmt *st, int col)
{
    const sm_cell *v;
    sm_my_col *c = column(st, col, &v);
    if (!c || v->null)
        return 0;
    switch (c->kind) {
    case SM_MY_K_INT:
        if (c->is_unsigned && (uint64_t)v->i > (uint64_t)INT64_MAX)
            return INT64_MAX;
        return v->i;
    case SM_MY_K_REAL:
        return sm_clamp_double(v->d);
    case SM_MY_K_TEXT:
        return parse_int(var_text(c, v));
    case SM_MY_K_BLOB:
        return c->type == MYSQL_TYPE_BIT ? bits_value(c, v) : 0;
    default:
        return 0;
    }
}

double sm_my_get_real(sm_stmt *st, int col)
{
    const sm_cell *v;
    sm_my_col *c = column(st, col, &v);
    if (!c || v->null)
        return 0.0;
    switch (c->kind) {
    case SM_MY_K_INT:
        return c->is_unsigned ? (double)(uint64_t)v->i : (double)v->i;
    case SM_MY_K_REAL:
        return v->d;
    case SM_MY_K_TEXT:
        return strtod(var_text(c, v), NULL);
    case SM_MY_K_BLOB:
        return c->type == MYSQL_TYPE_BIT ? (double)bits_value(c, v) : 0.0;
    default:
        return 0.0;
    }
}

static size_t format_time(const sm_my_col *c, char *out, size_t n)
{
    const MYSQL_TIME *t = &c->t;
    int len;
    switch (c->type) {
    case MYSQL_TYPE_DATE:
    case MYSQL_TYPE_NEWDATE:
        len = snprintf(out, n, "%04u-%02u-%02u", t->year, t->month, t->day);
        break;
    case MYSQL_TYPE_TIME:
        len = snprintf(out, n, "%s%02u:%02u:%02u.%06lu", t->neg ? "-" : "", t->day * 24 + t->hour,
                       t->minute, t->second, t->second_part);
        break;
    default:
        len = snprintf(out, n, "%04u-%02u-%02u %02u:%02u:%02u.%06lu", t->year, t->month, t->day,
                       t->hour, t->minute, t->second, t->second_part);
        break;
    }
    return len < 0 ? 0 : (size_t)len < n ? (size_t)len : n - 1;
}

const char *sm_my_get_text(sm_stmt *st, int col, size_t *len)
{
    const sm_cell *v;
    sm_my_col *c = column(st, col, &v);
    if (!c || v->null) {
        if (len)
            *len = 0;
        return NULL;
    }
    if (c->kind == SM_MY_K_TEXT || c->kind == SM_MY_K_BLOB) {
        if (len)
            *len = v->len;
        return var_text(c, v);
    }
    unsigned long row = ((sm_my_stmt *)st)->row;
    if (c->fmt_row != row) {
        int n = 0;
        if (c->kind == SM_MY_K_INT && c->is_unsigned)
            n = snprintf(c->fmt, sizeof c->fmt, "%llu", (unsigned long long)(uint64_t)v->i);
        else if (c->kind == SM_MY_K_INT)
            n = snprintf(c->fmt, sizeof c->fmt, "%lld", (long long)v->i);
        else if (c->kind == SM_MY_K_REAL)
            n = snprintf(c->fmt, sizeof c->fmt, "%.17g", v->d);
        else
            n = (int)format_time(c, c->fmt, sizeof c->fmt);
        c->fmt[n < 0 ? 0 : n] = '\0';
        c->fmt_row = row;
    }
    if (len)
        *len = strlen(c->fmt);
    return c->fmt;
}

const void *sm_my_get_blob(sm_stmt *st, int col, size_t *len)
{
    return sm_my_get_text(st, col, len);
}

int sm_my_coltype(sm_stmt *st, int col)
{
    sm_my_stmt *s = (sm_my_stmt *)st;
    if (col < 0 || (unsigned)col >= s->ncols)
        return -1;
    const MYSQL_FIELD *f = &s->fields[col];
    switch (f->type) {
    case MYSQL_TYPE_NULL:
        return -1;
    case MYSQL_TYPE_BIT:
        return SM_VINT;
    default:
        break;
    }
    switch (s->cols[col].kind) {
    case SM_MY_K_INT:
        return SM_VINT;
    case SM_MY_K_REAL:
        return SM_VREAL;
    case SM_MY_K_BLOB:
        return SM_VBLOB;
    default:
        return SM_VTEXT;
    }
}
