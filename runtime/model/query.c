/*
 * query.c: running the queries smc generates (smdl/desc.h, sm_query_desc).
 *
 * A call picks the variant's statement for the connection's database,
 * binds the arguments struct through the variant's argument list, runs
 * it and reads the rows into the result type.  Lists bind as one value
 * (the driver's list_value: a JSON array for json_each, an array literal
 * for = ANY) or, where the SQL marks them with SM_SQL_LIST_MARK, expand
 * to one placeholder per element, padded to a power of two so that a
 * handful of statements serve every length.  Where the database has no
 * RETURNING, the variant's `pre` and `post` statements emulate it inside
 * a transaction (or savepoint).
 */
#include "rel.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_EXPANDED = 65535, MAX_LISTS_IN_KEY = 6 };
/* How execute reads rows: buffered, streamed, or streamed through a
 * cursor while other statements run (sm_stmt.cursor). */
enum { STREAM_NO, STREAM_YES, STREAM_CURSOR };
/* `-> each` with eager loads reads and loads this many rows at a time. */
enum { EACH_BATCH = 256 };

/* Keys collected by an emulated update's `pre` statement, of any type:
 * each is kept as the value the database returned (an integer, a real,
 * text or bytes, copied into `store`) and bound back as such. */
typedef struct keys {
    sm_value *v;
    size_t n, cap;
    sm_arena store;
} keys;

/* Everything one statement needs while it is bound. */
typedef struct qbind {
    sm_binding b;
    sm_buf *texts; /* list literals (SQLite, PostgreSQL) */
    size_t ntexts;
} qbind;

static const sm_field *arg_field(const sm_query_desc *q, unsigned k)
{
    return q->params && k < q->params->nfields ? &q->params->fields[k] : NULL;
}

static bool is_list(const sm_field *f)
{
    return f->type == SM_T_INT_LIST || f->type == SM_T_TEXT_LIST;
}

static size_t list_len(const sm_field *f, const void *args)
{
    const void *p = sm_field_at(args, f->offset);
    return f->type == SM_T_INT_LIST ? ((const sm_int_list *)p)->len
                                    : ((const sm_text_list *)p)->len;
}

static size_t bucket(size_t n)
{
    size_t b = 1;
    while (b < n)
        b <<= 1;
    return b;
}

/* ---- Statement text and cache ------------------------------------------------ */

/* Steps past the next placeholder ("?" or a list marker) of generated
 * SQL, by the driver's lexical rules; *mark tells which. */
static const char *next_slot(const sm_sql_rules *r, const char *p, bool *mark)
{
    size_t i = 0, e;
    *mark = false;
    for (int t; (t = sm_sql_token(r, p, i, &e)) != SM_TOK_END; i = e) {
        if (t == SM_TOK_PARAM || t == SM_TOK_MARK) {
            *mark = t == SM_TOK_MARK;
            return p + e;
        }
    }
    return p + i;
}

/* The number of placeholders the SQL will have once lists are expanded,
 * and a key describing the expansion (log2 of each bucket, 5 bits each);
 * *raw when the key cannot describe it and the raw-SQL LRU must. */
static size_t expansion(const sm_sql_rules *r, const sm_query_desc *q, const char *sql,
                        const uint8_t *args, size_t n, const void *argobj, const keys *ks,
                        unsigned *key, bool *raw)
{
    size_t total = 0, lists = 0;
    const char *p = sql;
    *key = 0;
    *raw = false;
    for (size_t i = 0; i < n; i++) {
        bool mark;
        p = next_slot(r, p, &mark);
        if (!mark) {
            total++;
            continue;
        }
        size_t len = args[i] == SM_ARG_KEYS ? ks->n : list_len(arg_field(q, args[i]), argobj);
        size_t bk = bucket(len ? len : 1);
        unsigned lg = 0;
        while ((size_t)1 << lg < bk)
            lg++;
        if (lists < MAX_LISTS_IN_KEY)
            *key |= lg << (5 * lists);
        else
            *raw = true;
        lists++;
        total += bk;
    }
    return total;
}

/* The SQL with each list marker replaced by its bucket of placeholders. */
static int expand(sm_cx *cx, const sm_sql_rules *r, const sm_query_desc *q, const char *sql,
                  const uint8_t *args, size_t n, const void *argobj, const keys *ks, sm_buf *out)
{
    int rc = SM_OK;
    const char *p = sql;
    for (size_t i = 0; *p && rc == SM_OK; i++) {
        bool mark;
        const char *next = next_slot(r, p, &mark);
        if (!mark) {
            rc = sm_buf_append(out, p, (size_t)(next - p));
        } else {
            rc = sm_buf_append(out, p, (size_t)(next - 1 - p));
            size_t len = i >= n ? 0 : args[i] == SM_ARG_KEYS ? ks->n
                                                             : list_len(arg_field(q, args[i]), argobj);
            size_t bk = bucket(len ? len : 1);
            for (size_t k = 0; k < bk && rc == SM_OK; k++)
                rc = sm_buf_puts(out, k ? ", ?" : "?");
        }
        p = next;
    }
    return rc == SM_OK ? SM_OK : sm_cx_fail(cx, SM_NOMEM, "out of memory expanding a list");
}

/* ---- Binding -------------------------------------------------------------------- */

/* A whole list as one value, in the driver's form. */
static int list_literal(sm_cx *cx, const sm_driver *drv, const sm_field *f, const void *argobj,
                        sm_buf *b)
{
    if (!drv->list_value)
        return sm_cx_fail(cx, SM_UNSUPPORTED, "argument '%s': a list cannot bind as one value on %s",
                          f->name, drv->name);
    const void *p = sm_field_at(argobj, f->offset);
    bool ints = f->type == SM_T_INT_LIST;
    const void *items = ints ? (const void *)((const sm_int_list *)p)->items
                             : (const void *)((const sm_text_list *)p)->items;
    if (drv->list_value(b, ints, items, list_len(f, argobj)) != SM_OK)
        return sm_cx_fail(cx, SM_NOMEM, "out of memory binding a list");
    return SM_OK;
}

/* A list argument is usable: items present when it has a length, and no
 * NULL text element (every dialect refuses one the same way, whether the
 * list binds as one literal or expands to a placeholder per element). */
static int check_list(sm_cx *cx, const sm_field *f, const void *argobj)
{
    const void *p = sm_field_at(argobj, f->offset);
    const void *items = f->type == SM_T_INT_LIST ? (const void *)((const sm_int_list *)p)->items
                                                 : (const void *)((const sm_text_list *)p)->items;
    size_t n = list_len(f, argobj);
    if (!items && n)
        return sm_cx_fail(cx, SM_MISUSE, "argument '%s': NULL list of length %zu", f->name, n);
    for (size_t i = 0; f->type == SM_T_TEXT_LIST && i < n; i++)
        if (!((const sm_text_list *)p)->items[i])
            return sm_cx_fail(cx, SM_MISUSE, "argument '%s': element %zu is NULL", f->name, i);
    return SM_OK;
}

/* One element of an expanded list (padding repeats the last element;
 * an empty list binds NULL, which the SQL's "not empty" flag guards). */
static sm_value list_item(const sm_field *f, const void *argobj, const keys *ks, size_t i)
{
    if (!f) {
        size_t n = ks->n;
        return n ? ks->v[i < n ? i : n - 1] : sm_null();
    }
    const void *p = sm_field_at(argobj, f->offset);
    size_t n = list_len(f, argobj);
    if (!n)
        return sm_null(); /* nothing to hide: the list is empty */
    size_t k = i < n ? i : n - 1;
    sm_value v = f->type == SM_T_INT_LIST ? sm_int(((const sm_int_list *)p)->items[k])
                                          : sm_text(((const sm_text_list *)p)->items[k]);
    sm_mark_secret(f, &v);
    return v;
}

static void qbind_free(qbind *qb)
{
    for (size_t i = 0; i < qb->ntexts; i++)
        sm_buf_free(&qb->texts[i]);
    free(qb->texts);
    sm_binding_free(&qb->b);
}

/* Does the statement's SQL mark lists to expand?  Only a list argument
 * (or the keys of a load) is ever marked: the SQL is scanned only then,
 * not on every call. */
static bool has_marks(const sm_query_desc *q, const sm_qstmt *s, sm_dialect d)
{
    for (size_t i = 0; i < s->nargs[d]; i++) {
        unsigned a = s->args[d][i];
        const sm_field *f = a == SM_ARG_KEYS ? NULL : arg_field(q, a & ~(unsigned)SM_ARG_PRESENT);
        if (a == SM_ARG_KEYS || (f && is_list(f)))
            return s->sql.text[d] && strchr(s->sql.text[d], SM_SQL_LIST_MARK) != NULL;
    }
    return false;
}

/* One argument that is not a plain value: a list (expanded to
 * placeholders of its own, or bound as one literal), a list's "not
 * empty" flag, or the keys of a load. */
static int bind_arg_other(sm_cx *cx, const sm_driver *drv, const sm_query_desc *q,
                          const sm_field *f, unsigned a, bool mark, const void *argobj,
                          const keys *ks, size_t n, qbind *qb)
{
    int rc;
    if (a != SM_ARG_KEYS && !f)
        return sm_cx_fail(cx, SM_MISUSE, "query %s: no argument %u", q->name, a);
    if (f && is_list(f) && (rc = check_list(cx, f, argobj)) != SM_OK)
        return rc;
    if (a != SM_ARG_KEYS && (a & SM_ARG_PRESENT)) {
        qb->b.v[qb->b.n++] = sm_bool(list_len(f, argobj) > 0);
    } else if (mark) {
        size_t len = f ? list_len(f, argobj) : ks->n;
        size_t bk = bucket(len ? len : 1);
        for (size_t k = 0; k < bk; k++)
            qb->b.v[qb->b.n++] = list_item(f, argobj, ks, k);
    } else if (f && is_list(f)) {
        /* Only a list bound as one literal needs a buffer: allocated
         * then, not on every call. */
        if (!qb->texts && !(qb->texts = calloc(n, sizeof *qb->texts)))
            return sm_cx_fail(cx, SM_NOMEM, "out of memory binding arguments");
        sm_buf *t = &qb->texts[qb->ntexts++];
        if ((rc = list_literal(cx, drv, f, argobj, t)) != SM_OK)
            return rc;
        sm_value *v = &qb->b.v[qb->b.n++];
        *v = sm_textn(t->data, t->len);
        sm_mark_secret(f, v);
    } else {
        return sm_bind_field(cx, drv, f, argobj, &qb->b);
    }
    return SM_OK;
}

/* Binds one statement's arguments; `marked` says whether its lists are
 * placeholders of their own (has_marks). */
static int bind_args(sm_cx *cx, sm_conn *conn, const sm_query_desc *q, const sm_qstmt *s,
                     const void *argobj, const keys *ks, size_t total, bool marked, qbind *qb)
{
    sm_dialect d = conn->dialect;
    const sm_driver *drv = conn->drv;
    const uint8_t *args = s->args[d];
    size_t n = s->nargs[d];
    const char *sql = s->sql.text[d];
    /* Not memset: the binding holds about 5 KiB of stack slots, which
     * sm_binding_init leaves to be written as they are used. */
    qb->texts = NULL;
    qb->ntexts = 0;
    int rc = sm_binding_init(cx, &qb->b, total);
    const char *p = marked ? sql : NULL; /* scan only SQL with lists */
    for (size_t i = 0; i < n && rc == SM_OK; i++) {
        bool mark = false;
        if (SM_UNLIKELY(p != NULL))
            p = next_slot(drv->sql, p, &mark);
        unsigned a = args[i];
        const sm_field *f = a == SM_ARG_KEYS ? NULL : arg_field(q, a & ~(unsigned)SM_ARG_PRESENT);
        if (SM_LIKELY(f && !(a & SM_ARG_PRESENT) && !mark && !is_list(f)))
            rc = sm_bind_field(cx, drv, f, argobj, &qb->b);
        else
            rc = bind_arg_other(cx, drv, q, f, a, mark, argobj, ks, n, qb);
    }
    return rc;
}

/* Prepares (or finds) the statement for these arguments. */
static int statement(sm_cx *cx, sm_conn *conn, const sm_query_desc *q, const sm_qstmt *s,
                     const void *argobj, const keys *ks, bool marked, size_t *total,
                     sm_stmt **st)
{
    sm_dialect d = conn->dialect;
    const char *sql = s->sql.text[d];
    if (SM_UNLIKELY(!sql))
        return sm_cx_fail(cx, SM_UNSUPPORTED, "query %s is not available on %s", q->name,
                          conn->drv->name);
    if (SM_LIKELY(!marked)) {
        *total = s->nargs[d];
        return sm_stmt_cached(cx, conn, s, 0, sql, st);
    }
    unsigned key;
    bool raw;
    *total = expansion(conn->drv->sql, q, sql, s->args[d], s->nargs[d], argobj, ks, &key, &raw);
    if (*total > MAX_EXPANDED)
        return sm_cx_fail(cx, SM_MISUSE, "query %s: lists too long for one statement", q->name);
    if (!raw && (*st = sm_stmt_lookup(conn, s, key)) != NULL)
        return SM_OK;
    sm_buf text = SM_BUF_INIT;
    int rc = expand(cx, conn->drv->sql, q, sql, s->args[d], s->nargs[d], argobj, ks, &text);
    if (rc == SM_OK)
        rc = raw ? sm_stmt_raw(cx, conn, text.data, st) : sm_stmt_cached(cx, conn, s, key, text.data, st);
    sm_buf_free(&text);
    return rc;
}

/* Binds and executes: SM_ROW, SM_DONE or an error; *st is released by the
 * caller (sm_stmt_release) when it is set. */
static int execute(sm_cx *cx, sm_conn *conn, const sm_query_desc *q, const sm_qstmt *s,
                   const void *argobj, const keys *ks, int stream, sm_stmt **st)
{
    size_t total = 0;
    *st = NULL;
    bool marked = has_marks(q, s, conn->dialect);
    int rc = statement(cx, conn, q, s, argobj, ks, marked, &total, st);
    if (SM_UNLIKELY(rc != SM_OK))
        return rc;
    qbind qb;
    rc = bind_args(cx, conn, q, s, argobj, ks, total, marked, &qb);
    if (SM_LIKELY(rc == SM_OK)) {
        (*st)->stream = stream != 0;
        (*st)->cursor = stream == STREAM_CURSOR;
        rc = sm_stmt_exec(cx, *st, qb.b.v, qb.b.n);
    }
    qbind_free(&qb);
    return rc;
}

/* ---- Rows ------------------------------------------------------------------------- */

static bool is_value(const sm_field *f)
{
    return f->type != SM_T_REL_ONE && f->type != SM_T_REL_MANY;
}

/* Raw SQL returns as many columns as its row has value fields; the
 * drivers know the count before the first row, so an empty result is
 * checked too. */
static int check_count(sm_cx *cx, const sm_query_desc *q, sm_stmt *st)
{
    const sm_model *m = q->row;
    int ncols = st->conn->drv->ncols(st);
    uint32_t want = 0;
    for (uint32_t i = 0; i < m->nfields; i++)
        want += is_value(&m->fields[i]);
    if ((uint32_t)ncols != want)
        return sm_cx_fail(cx, SM_ERROR, "query %s: the SQL returns %d columns but %s has %u fields",
                          q->name, ncols, m->name, want);
    return SM_OK;
}

/* Raw SQL is checked against its declared row once per prepared statement:
 * the column count, and each column's kind where the driver can tell. */
static int check_shape_first(sm_cx *cx, const sm_query_desc *q, sm_stmt *st)
{
    const sm_model *m = q->row;
    const sm_driver *drv = st->conn->drv;
    int rc = check_count(cx, q, st), col = 0;
    if (rc != SM_OK)
        return rc;
    for (uint32_t i = 0; i < m->nfields; i++) {
        const sm_field *f = &m->fields[i];
        if (!is_value(f))
            continue;
        int kind = drv->coltype(st, col++);
        bool ok;
        switch (f->type) {
        case SM_T_BOOL:
        case SM_T_INT:
        case SM_T_I32:
        case SM_T_I16: ok = kind == SM_VINT || kind == SM_VBOOL; break;
        case SM_T_FLOAT: ok = kind == SM_VREAL || kind == SM_VINT; break;
        case SM_T_BYTES: ok = kind == SM_VBLOB; break;
        case SM_T_DECIMAL: ok = kind != SM_VBLOB; break;
        default: ok = kind == SM_VTEXT; break;
        }
        if (kind >= 0 && !ok)
            return sm_cx_fail(cx, SM_ERROR, "query %s: column %d (%s) does not fit field %s.%s",
                              q->name, col, drv->colname(st, col - 1), m->name, f->name);
    }
    st->checked = true;
    return SM_OK;
}

/* A raw query's columns fit its row type: checked at its first row. */
static inline int check_shape(sm_cx *cx, const sm_query_desc *q, sm_stmt *st)
{
    if (SM_LIKELY(!(q->flags & SM_Q_RAW) || st->checked))
        return SM_OK;
    return check_shape_first(cx, q, st);
}

/* Reads the current row into obj: the result columns fill the row's
 * value fields in order. */
static int fetch(sm_cx *cx, const sm_query_desc *q, sm_stmt *st, void *obj, sm_arena *arena)
{
    const sm_model *m = q->row;
    memset(obj, 0, m->size);
    int ncols, wanted, rc = check_shape(cx, q, st);
    if (SM_LIKELY(rc == SM_OK))
        rc = sm_fetch_row(cx, m, true, st, obj, arena, &ncols, &wanted);
    if (SM_UNLIKELY(rc == SM_OK && ncols != wanted))
        rc = sm_cx_fail(cx, SM_ERROR, "query %s: the row has %d columns but %s has %d fields",
                        q->name, ncols, m->name, wanted);
    if (SM_UNLIKELY(rc != SM_OK))
        memset(obj, 0, m->size);
    return rc;
}

/* The rows of a statement executed up to its first step (rc): a list
 * collected through conn->scratch and copied into the arena in one
 * allocation, or exactly one / at most one row. */
static int collect(sm_cx *cx, const sm_query_desc *q, sm_stmt *st, int rc, void *out,
                   sm_arena *arena)
{
    const sm_model *m = q->row;
    sm_buf *stage = &st->conn->scratch;
    if (rc == SM_DONE && (q->flags & SM_Q_RAW) && (rc = check_count(cx, q, st)) == SM_OK)
        rc = SM_DONE;
    if (q->ret == SM_RET_LIST) {
        sm_buf_reset(stage);
        size_t n = 0;
        for (; rc == SM_ROW; rc = sm_stmt_next(cx, st), n++) {
            if (SM_UNLIKELY(stage->len + m->size + 1 > stage->cap)) { /* grow geometrically */
                size_t want = (stage->len + m->size) * 2 + 64;
                char *p = realloc(stage->data, want);
                if (!p)
                    return sm_cx_fail(cx, SM_NOMEM, "out of memory reading rows");
                stage->data = p;
                stage->cap = want;
            }
            if (SM_UNLIKELY((rc = fetch(cx, q, st, stage->data + stage->len, arena)) != SM_OK))
                return rc;
            stage->len += m->size;
        }
        if (rc != SM_DONE)
            return rc;
        sm_any_list *list = out;
        if (n) {
            if (!(list->items = sm_arena_take(arena, stage, n * m->size)))
                return sm_cx_fail(cx, SM_NOMEM, "out of memory reading rows");
            list->len = n;
        }
        sm_buf_reset(stage);
        return SM_OK;
    }
    if (rc == SM_DONE)
        return sm_cx_fail(cx, SM_NOTFOUND, "query %s found no row", q->name);
    if (rc != SM_ROW)
        return rc;
    if ((rc = fetch(cx, q, st, out, arena)) != SM_OK)
        return rc;
    if (q->ret == SM_RET_OPT)
        return SM_OK;
    rc = sm_stmt_next(cx, st);
    if (rc == SM_DONE)
        return SM_OK;
    memset(out, 0, m->size);
    return rc == SM_ROW ? sm_cx_fail(cx, SM_MULTIPLE, "query %s found more than one row", q->name)
                        : rc;
}

/* ---- Calls ---------------------------------------------------------------------------- */

/* @timeout narrows the cx deadline for the call; `saved` restores it. */
typedef struct saved_deadline {
    bool has;
    struct timespec at;
} saved_deadline;

static void push_timeout(sm_cx *cx, const sm_query_desc *q, saved_deadline *s)
{
    sm_cx_impl *c = sm_cx_impl_of(cx);
    s->has = c->has_deadline;
    s->at = c->deadline;
    if (q->timeout_ms <= 0)
        return;
    int64_t ns = sm_mono_ns() + (int64_t)q->timeout_ms * 1000000;
    struct timespec t = {(time_t)(ns / 1000000000), (long)(ns % 1000000000)};
    if (!c->has_deadline || t.tv_sec < c->deadline.tv_sec ||
        (t.tv_sec == c->deadline.tv_sec && t.tv_nsec < c->deadline.tv_nsec)) {
        c->deadline = t;
        c->has_deadline = true;
    }
}

static void pop_timeout(sm_cx *cx, const saved_deadline *s)
{
    sm_cx_impl *c = sm_cx_impl_of(cx);
    c->has_deadline = s->has;
    c->deadline = s->at;
}

/* The arguments refused before any SQL, in one pass over them:
 *  - a NULL text (or bytes) argument not declared optional (`text?`):
 *    SM_MISUSE, like any NULL argument the signature does not allow;
 *  - a LIKE pattern argument (SM_F_LIKE) ending in a backslash that
 *    escapes nothing: SQLite would match no row, PostgreSQL fail and
 *    MariaDB match a backslash.  SM_INVALID with one field error per such
 *    argument. */
static int check_args(sm_cx *cx, const sm_query_desc *q, const void *args)
{
    sm_errors errs = SM_ERRORS_INIT;
    for (uint32_t i = 0; args && q->params && i < q->params->nfields; i++) {
        const sm_field *f = &q->params->fields[i];
        if (SM_UNLIKELY(!(f->flags & SM_F_NULLABLE) && sm_field_ptr_null(f, args))) {
            sm_errors_free(&errs);
            return sm_cx_fail(cx, SM_MISUSE, "query %s: argument '%s' is NULL (declare it %s? "
                              "to allow NULL)", q->name, f->name,
                              f->type == SM_T_BYTES ? "bytes" : "text");
        }
        const char *s = SM_UNLIKELY(f->flags & SM_F_LIKE) && f->type == SM_T_TEXT
                            ? *(const char *const *)sm_field_at(args, f->offset)
                            : NULL;
        size_t n = s ? strlen(s) : 0, k = 0;
        while (k < n && s[n - 1 - k] == '\\')
            k++;
        if (k % 2 && sm_errors_add(&errs, f->name, "pattern",
                                   "a LIKE pattern must not end in a '\\' that escapes nothing "
                                   "(write '\\\\' for a backslash)") != SM_OK) {
            sm_errors_free(&errs);
            return sm_cx_fail(cx, SM_NOMEM, "out of memory");
        }
    }
    if (SM_LIKELY(!errs.len))
        return SM_OK;
    return sm_cx_invalid(cx, &errs);
}

static int begin(sm_cx *cx, sm_conn *conn, const sm_query_desc *q, unsigned variant, int want,
                 const void *args, saved_deadline *saved)
{
    *saved = (saved_deadline){0}; /* set on every path, which gcc cannot follow */
    int rc = sm_call_begin(cx, conn, SM_CALL_ANY);
    if (SM_UNLIKELY(rc != SM_OK))
        return rc;
    if (SM_UNLIKELY(!q || variant >= q->nvariants))
        return sm_call_end(cx, conn, sm_cx_fail(cx, SM_MISUSE, "query %s: no variant %u (a sort or "
                                                "dir argument outside its enum?)",
                                                q ? q->name : "?", variant));
    bool rows = q->ret == SM_RET_LIST || q->ret == SM_RET_ONE || q->ret == SM_RET_OPT;
    if (SM_UNLIKELY((want == SM_RET_LIST && !rows) || (want != SM_RET_LIST && q->ret != want) ||
                    (q->ret != SM_RET_EXEC && !q->row)))
        return sm_call_end(cx, conn, sm_cx_fail(cx, SM_MISUSE, "query %s: wrong kind of call",
                                                q->name));
    if (SM_UNLIKELY(q->params && !args))
        return sm_call_end(cx, conn, sm_null_arg(cx, "query", q->name, "args"));
    if (SM_UNLIKELY((rc = check_args(cx, q, args)) != SM_OK))
        return sm_call_end(cx, conn, rc);
    push_timeout(cx, q, saved);
    return SM_OK;
}

static int end(sm_cx *cx, sm_conn *conn, const saved_deadline *saved, int rc)
{
    rc = sm_call_end(cx, conn, rc);
    pop_timeout(cx, saved);
    return rc;
}

/* Runs s to its end, ignoring rows; *changes gets the rows matched. */
static int run_exec(sm_cx *cx, sm_conn *conn, const sm_query_desc *q, const sm_qstmt *s,
                    const void *args, const keys *ks, int64_t *changes)
{
    sm_stmt *st;
    int rc = execute(cx, conn, q, s, args, ks, STREAM_NO, &st);
    while (SM_UNLIKELY(rc == SM_ROW))
        rc = sm_stmt_next(cx, st);
    if (SM_LIKELY(rc == SM_DONE)) {
        int64_t n = conn->drv->changes(st);
        if ((q->flags & SM_Q_UPSERT) && n > 1)
            n = 1; /* a database may count an updated row twice */
        if (changes)
            *changes = n;
        rc = SM_OK;
    }
    if (st)
        sm_stmt_release(st);
    return rc;
}

/* Column 0 of the current row as a value that binds back to the same
 * key: by the kind the driver reports (text when it cannot tell). */
static int key_value(sm_stmt *st, sm_arena *store, sm_value *v)
{
    const sm_driver *drv = st->conn->drv;
    size_t n = 0;
    const void *p;
    switch (drv->coltype(st, 0)) {
    case SM_VINT:
    case SM_VBOOL:
        *v = sm_int(drv->get_int(st, 0));
        return SM_OK;
    case SM_VREAL:
        *v = sm_real(drv->get_real(st, 0));
        return SM_OK;
    case SM_VBLOB:
        p = drv->get_blob(st, 0, &n);
        if (!p || !(p = sm_arena_memdup(store, p, n)))
            return SM_NOMEM;
        *v = sm_blob(p, n);
        return SM_OK;
    default:
        p = drv->get_text(st, 0, &n);
        if (!p || !(p = sm_arena_strndup(store, p, n)))
            return SM_NOMEM;
        *v = sm_textn(p, n);
        return SM_OK;
    }
}

/* An emulated update's `pre`: the keys of the rows it will change. */
static int run_keys(sm_cx *cx, sm_conn *conn, const sm_query_desc *q, const sm_qstmt *s,
                    const void *args, keys *ks)
{
    sm_stmt *st;
    int rc = execute(cx, conn, q, s, args, NULL, STREAM_NO, &st);
    for (; rc == SM_ROW; rc = sm_stmt_next(cx, st)) {
        if (ks->n == ks->cap) {
            size_t cap = ks->cap ? 2 * ks->cap : 16;
            sm_value *v = realloc(ks->v, cap * sizeof *v);
            if (!v) {
                rc = sm_cx_fail(cx, SM_NOMEM, "out of memory");
                break;
            }
            ks->v = v;
            ks->cap = cap;
        }
        if (conn->drv->is_null(st, 0))
            continue; /* a key is never NULL */
        if (key_value(st, &ks->store, &ks->v[ks->n]) != SM_OK) {
            rc = sm_cx_fail(cx, SM_NOMEM, "out of memory");
            break;
        }
        ks->n++;
    }
    if (st)
        sm_stmt_release(st);
    return rc == SM_DONE ? SM_OK : rc;
}

static int run_rows(sm_cx *cx, sm_conn *conn, const sm_query_desc *q, const sm_qstmt *s,
                    const void *args, const keys *ks, void *out, sm_arena *arena)
{
    sm_stmt *st;
    int rc = execute(cx, conn, q, s, args, ks, STREAM_NO, &st);
    if (rc == SM_ROW || rc == SM_DONE)
        rc = collect(cx, q, st, rc, out, arena);
    if (st)
        sm_stmt_release(st);
    return rc;
}

/* RETURNING where the database has none: pre (rows, or keys when there
 * is a post), the statement, then post, in one transaction. */
static int emulated(sm_cx *cx, sm_conn *conn, const sm_query_desc *q, const sm_variant *v,
                    const void *args, void *out, sm_arena *arena)
{
    sm_dialect d = conn->dialect;
    const sm_qstmt *pre = v->pre && v->pre->sql.text[d] ? v->pre : NULL;
    const sm_qstmt *post = v->post && v->post->sql.text[d] ? v->post : NULL;
    keys ks = {NULL, 0, 0, SM_ARENA_INIT};
    int token, rc = sm_auto_tx_begin(cx, conn, &token);
    if (rc == SM_OK && pre && post)
        rc = run_keys(cx, conn, q, pre, args, &ks);
    else if (rc == SM_OK && pre)
        rc = run_rows(cx, conn, q, pre, args, NULL, out, arena);
    int64_t changed = 0;
    if (rc == SM_OK)
        rc = run_exec(cx, conn, q, &v->main, args, NULL, &changed);
    if (rc == SM_OK && post && !pre && changed == 0) /* an upsert that did nothing */
        rc = q->ret == SM_RET_LIST ? SM_OK
                                   : sm_cx_fail(cx, SM_NOTFOUND, "query %s changed no row", q->name);
    else if (rc == SM_OK && post && (!pre || ks.n))
        rc = run_rows(cx, conn, q, post, args, &ks, out, arena);
    else if (rc == SM_OK && post && q->ret != SM_RET_LIST)
        rc = sm_cx_fail(cx, SM_NOTFOUND, "query %s changed no row", q->name);
    free(ks.v);
    sm_arena_free(&ks.store);
    return sm_auto_tx_end(cx, conn, token, rc);
}

/* ---- Eager loads (`with`) ------------------------------------------------------ */

/* Runs the query's loads over rows[0..n) of q->row: each load over the
 * objects of its parent level (the rows, or what an earlier load read),
 * one statement per load whatever n is. */
static int run_loads(sm_cx *cx, sm_conn *conn, const sm_query_desc *q, void *rows, size_t n,
                     sm_arena *arena)
{
    void **level = calloc(q->nloads, sizeof *level);
    size_t *count = calloc(q->nloads, sizeof *count);
    int rc = level && count ? SM_OK : sm_cx_fail(cx, SM_NOMEM, "out of memory");
    for (uint32_t i = 0; i < q->nloads && rc == SM_OK; i++) {
        const sm_qload *ld = &q->loads[i];
        bool root = ld->parent == SM_LOAD_ROOT;
        if (!root && ld->parent >= i)
            rc = sm_cx_fail(cx, SM_MISUSE, "query %s: load %u comes before its parent", q->name,
                            i);
        /* The owners are the query's rows or the parent's targets: read
         * as another model, they would be read past their end. */
        else if (ld->owner != (root ? q->row : q->loads[ld->parent].rel->target))
            rc = sm_cx_fail(cx, SM_MISUSE, "query %s: load %u is not of the rows it follows",
                            q->name, i);
        else if ((rc = sm_rel_check(cx, "query", ld->owner, ld->rel)) == SM_OK)
            rc = sm_rel_fill(cx, conn, ld->owner, ld->rel, root ? rows : level[ld->parent],
                             root ? n : count[ld->parent], arena, &level[i], &count[i]);
    }
    free(level);
    free(count);
    return rc;
}

static void zero_result(const sm_query_desc *q, void *out)
{
    if (!out || !q || !q->row)
        return;
    if (q->ret == SM_RET_LIST)
        memset(out, 0, sizeof(sm_any_list));
    else
        memset(out, 0, q->row->size);
}

SM_HOT int sm_query_rows(sm_cx *cx, sm_conn *conn, const sm_query_desc *q, unsigned variant,
                         const void *args, void *out, sm_arena *arena)
{
    saved_deadline saved;
    zero_result(q, out);
    int rc = begin(cx, conn, q, variant, SM_RET_LIST, args, &saved);
    if (rc != SM_OK)
        return rc;
    const sm_variant *v = &q->variants[variant];
    sm_dialect d = conn->dialect;
    if (!out)
        rc = sm_null_arg(cx, "query", q->name, "out");
    else if (!arena && !(q->flags & SM_Q_NO_ARENA))
        rc = sm_null_arg(cx, "query", q->name, "arena");
    else if ((v->pre && v->pre->sql.text[d]) || (v->post && v->post->sql.text[d]))
        rc = emulated(cx, conn, q, v, args, out, arena);
    else
        rc = run_rows(cx, conn, q, &v->main, args, NULL, out, arena);
    if (rc == SM_OK && q->nloads) {
        sm_any_list *list = out;
        if (q->ret == SM_RET_LIST)
            rc = run_loads(cx, conn, q, list->items, list->len, arena);
        else
            rc = run_loads(cx, conn, q, out, 1, arena);
    }
    if (rc != SM_OK)
        zero_result(q, out);
    return end(cx, conn, &saved, rc);
}

SM_HOT int sm_query_exec(sm_cx *cx, sm_conn *conn, const sm_query_desc *q, unsigned variant,
                         const void *args, int64_t *affected)
{
    saved_deadline saved;
    if (affected)
        *affected = 0;
    int rc = begin(cx, conn, q, variant, SM_RET_EXEC, args, &saved);
    if (rc != SM_OK)
        return rc;
    int64_t n = 0;
    rc = run_exec(cx, conn, q, &q->variants[variant].main, args, NULL, &n);
    if (rc == SM_OK && affected)
        *affected = n;
    return end(cx, conn, &saved, rc);
}

/* `-> each` with loads: rows are read EACH_BATCH at a time while the
 * statement stays open (a cursor where the database needs one, inside a
 * transaction or savepoint of the call's own, which also gives every
 * batch one snapshot), each batch's loads run over its rows, fn sees
 * them, and the batch's memory is freed: memory is bounded by a batch
 * and the statements by one per load per batch.  *stop gets fn's
 * non-zero return. */
static int each_loaded(sm_cx *cx, sm_conn *conn, const sm_query_desc *q, unsigned variant,
                       const void *args, int (*fn)(void *ud, const void *row), void *ud,
                       int *stop)
{
    size_t size = q->row->size, n = 0;
    char *rows = malloc(EACH_BATCH * size);
    if (!rows)
        return sm_cx_fail(cx, SM_NOMEM, "out of memory");
    sm_arena arena = SM_ARENA_INIT;
    sm_stmt *st = NULL;
    int token, rc = sm_auto_tx_begin(cx, conn, &token);
    if (rc == SM_OK) {
        rc = execute(cx, conn, q, &q->variants[variant].main, args, NULL, STREAM_CURSOR, &st);
        if (rc == SM_DONE && (q->flags & SM_Q_RAW) && (rc = check_count(cx, q, st)) == SM_OK)
            rc = SM_DONE;
    }
    while ((rc == SM_ROW || rc == SM_DONE) && !*stop) {
        bool last = rc == SM_DONE;
        if (rc == SM_ROW) {
            if ((rc = fetch(cx, q, st, rows + n++ * size, &arena)) != SM_OK)
                break;
            if (n < EACH_BATCH) {
                rc = sm_stmt_next(cx, st);
                continue;
            }
        }
        if (n && (rc = run_loads(cx, conn, q, rows, n, &arena)) != SM_OK)
            break;
        for (size_t i = 0; i < n && !*stop; i++)
            *stop = fn(ud, rows + i * size);
        n = 0;
        sm_arena_free(&arena);
        if (last || *stop)
            break;
        rc = sm_stmt_next(cx, st);
    }
    if (rc == SM_ROW || rc == SM_DONE) /* the end, or fn stopped the rows */
        rc = SM_OK;
    if (st) {
        int reset = sm_stmt_release(st);
        if (reset != SM_OK && rc == SM_OK) {
            *stop = 0;
            rc = reset;
        }
    }
    rc = sm_auto_tx_end(cx, conn, token, rc);
    sm_arena_free(&arena);
    free(rows);
    return rc;
}

SM_HOT int sm_query_each(sm_cx *cx, sm_conn *conn, const sm_query_desc *q, unsigned variant,
                         const void *args, int (*fn)(void *ud, const void *row), void *ud)
{
    saved_deadline saved;
    int rc = begin(cx, conn, q, variant, SM_RET_EACH, args, &saved);
    if (rc != SM_OK)
        return rc;
    if (!fn)
        return end(cx, conn, &saved, sm_null_arg(cx, "query", q->name, "fn"));
    if (q->nloads) {
        int stop = 0;
        rc = each_loaded(cx, conn, q, variant, args, fn, ud, &stop);
        if (stop && rc == SM_OK) {
            rc = end(cx, conn, &saved, SM_OK);
            return rc == SM_OK ? stop : rc;
        }
        return end(cx, conn, &saved, rc);
    }
    /* Constant memory: one row and one arena, reused for every row. */
    void *row = malloc(q->row->size);
    if (!row)
        return end(cx, conn, &saved, sm_cx_fail(cx, SM_NOMEM, "out of memory"));
    sm_arena arena = SM_ARENA_INIT;
    sm_stmt *st;
    int stop = 0;
    rc = execute(cx, conn, q, &q->variants[variant].main, args, NULL, STREAM_YES, &st);
    if (rc == SM_DONE && (q->flags & SM_Q_RAW) && (rc = check_count(cx, q, st)) == SM_OK)
        rc = SM_DONE;
    while (rc == SM_ROW) {
        if ((rc = fetch(cx, q, st, row, &arena)) != SM_OK)
            break;
        stop = fn(ud, row);
        /* A row's strings live until fn returns.  They pile up in the
         * arena's first block; the row that needs a second block frees
         * the arena after it, so memory stays within about two blocks
         * without a malloc and free per row. */
        if (arena.blocks > 1)
            sm_arena_free(&arena);
        if (stop)
            break;
        rc = sm_stmt_next(cx, st);
    }
    /* Stopped early, the rest of the stream is dropped within the
     * deadline; when the statement had to be cancelled for it, that is
     * the call's outcome (and fails a transaction around it). */
    int reset = sm_stmt_release(st);
    if (reset != SM_OK && (stop || rc == SM_DONE)) {
        stop = 0;
        rc = reset;
    }
    sm_arena_free(&arena);
    free(row);
    if (stop) {
        /* The callback's value is the caller's, not one of the library's
         * codes: the call succeeded (no failed transaction, no timeout
         * made of it) and the value comes back unchanged. */
        rc = end(cx, conn, &saved, SM_OK);
        return rc == SM_OK ? stop : rc;
    }
    return end(cx, conn, &saved, rc == SM_DONE ? SM_OK : rc);
}
