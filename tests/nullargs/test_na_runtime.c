/*
 * test_na_runtime.c: every function of smdl/smdl.h with each pointer
 * argument NULL in turn (docs/c-api.md, "NULL arguments").  Functions on a
 * connection run on every dialect; the others once.
 */
#include "natest.h"

/* ---- Codes and values -------------------------------------------------------- */

/* No pointer arguments: listed so that every function has a case. */
static void case_sm_strerror(void **state)
{
    (void)state;
    assert_string_equal(sm_strerror(SM_MISUSE), "SM_MISUSE: API misuse");
}

static void case_sm_constraint_kind_name(void **state)
{
    (void)state;
    assert_string_equal(sm_constraint_kind_name(SM_CK_FK), "fk");
}

static void case_sm_date_from_ymd(void **state)
{
    (void)state;
    assert_int_equal(sm_date_from_ymd(1970, 1, 2), 1);
}

static void case_sm_datetime_now(void **state)
{
    (void)state;
    assert_true(sm_datetime_now() > 0);
}

/* Formatters: a NULL buffer gets nothing and the length is 0. */
static void case_sm_date_format(void **state)
{
    (void)state;
    assert_int_equal(sm_date_format(0, NULL), 0);
}

static void case_sm_time_format(void **state)
{
    (void)state;
    assert_int_equal(sm_time_format(0, NULL), 0);
}

static void case_sm_datetime_format(void **state)
{
    (void)state;
    assert_int_equal(sm_datetime_format(0, SM_DT_ISO, NULL), 0);
    assert_int_equal(sm_datetime_format(0, SM_DT_SQL, NULL), 0);
}

static void case_sm_decimal_format(void **state)
{
    (void)state;
    assert_int_equal(sm_decimal_format(12345, 2, NULL), 0);
}

static void case_sm_uuid_format(void **state)
{
    (void)state;
    char buf[SM_UUID_BUFSZ] = "x";
    sm_uuid u = {{0}};
    assert_int_equal(sm_uuid_format(NULL, buf), 0);
    assert_string_equal(buf, ""); /* a NULL uuid writes the empty string */
    assert_int_equal(sm_uuid_format(&u, NULL), 0);
}

/* Parsers: NULL text of length 0 is the empty text (not a value); NULL
 * text of a positive length, or a NULL out, is SM_MISUSE.  *out is left
 * alone whenever the result is not SM_OK. */
static void case_sm_date_parse(void **state)
{
    (void)state;
    sm_date d = 7;
    NA_RC(sm_date_parse(NULL, 0, &d), SM_INVALID);
    NA_RC(sm_date_parse(NULL, 10, &d), SM_MISUSE);
    assert_int_equal(d, 7);
    NA_RC(sm_date_parse("1970-01-02", 10, NULL), SM_MISUSE);
}

static void case_sm_time_parse(void **state)
{
    (void)state;
    sm_time v = 7;
    NA_RC(sm_time_parse(NULL, 0, &v), SM_INVALID);
    NA_RC(sm_time_parse(NULL, 8, &v), SM_MISUSE);
    assert_int_equal(v, 7);
    NA_RC(sm_time_parse("12:00:00", 8, NULL), SM_MISUSE);
}

static void case_sm_datetime_parse(void **state)
{
    (void)state;
    sm_datetime v = 7;
    NA_RC(sm_datetime_parse(NULL, 0, &v), SM_INVALID);
    NA_RC(sm_datetime_parse(NULL, 19, &v), SM_MISUSE);
    assert_int_equal(v, 7);
    NA_RC(sm_datetime_parse("1970-01-01 00:00:00", 19, NULL), SM_MISUSE);
}

static void case_sm_decimal_parse(void **state)
{
    (void)state;
    sm_decimal v = 7;
    NA_RC(sm_decimal_parse(NULL, 0, 10, 2, &v), SM_INVALID);
    NA_RC(sm_decimal_parse(NULL, 4, 10, 2, &v), SM_MISUSE);
    assert_int_equal(v, 7);
    NA_RC(sm_decimal_parse("1.25", 4, 10, 2, NULL), SM_MISUSE);
}

static void case_sm_uuid_parse(void **state)
{
    (void)state;
    static const char text[] = "123e4567-e89b-42d3-a456-426614174000";
    sm_uuid u = {{7}};
    NA_RC(sm_uuid_parse(NULL, 0, &u), SM_INVALID);
    NA_RC(sm_uuid_parse(NULL, 36, &u), SM_MISUSE);
    assert_int_equal(u.b[0], 7);
    NA_RC(sm_uuid_parse(text, 36, NULL), SM_MISUSE);
}

static void case_sm_date_to_ymd(void **state)
{
    (void)state;
    int y = 0, m = 0, d = 0;
    /* Each output may be NULL: the others are still written. */
    sm_date_to_ymd(1, NULL, &m, &d);
    sm_date_to_ymd(1, &y, NULL, &d);
    sm_date_to_ymd(1, &y, &m, NULL);
    assert_int_equal(y, 1970);
    assert_int_equal(m, 1);
    assert_int_equal(d, 2);
    sm_date_to_ymd(1, NULL, NULL, NULL);
}

static void case_sm_uuid_v4(void **state)
{
    (void)state;
    NA_RC(sm_uuid_v4(NULL), SM_MISUSE);
}

/* ---- Arena ---------------------------------------------------------------------- */

static void case_sm_arena_init(void **state)
{
    (void)state;
    sm_arena_init(NULL, 0); /* nothing to do */
}

static void case_sm_arena_alloc(void **state)
{
    (void)state;
    assert_null(sm_arena_alloc(NULL, 16));
}

static void case_sm_arena_zalloc(void **state)
{
    (void)state;
    assert_null(sm_arena_zalloc(NULL, 16));
}

static void case_sm_arena_memdup(void **state)
{
    (void)state;
    sm_arena a = SM_ARENA_INIT;
    assert_null(sm_arena_memdup(NULL, "ab", 2));
    assert_non_null(sm_arena_memdup(&a, NULL, 0)); /* empty bytes, not NULL */
    assert_null(sm_arena_memdup(&a, NULL, 2));
    sm_arena_free(&a);
}

static void case_sm_arena_strndup(void **state)
{
    (void)state;
    sm_arena a = SM_ARENA_INIT;
    assert_null(sm_arena_strndup(NULL, "ab", 2));
    assert_string_equal(sm_arena_strndup(&a, NULL, 0), "");
    assert_null(sm_arena_strndup(&a, NULL, 2));
    sm_arena_free(&a);
}

static void case_sm_arena_free(void **state)
{
    (void)state;
    sm_arena_free(NULL);
}

static void case_sm_arena_reset(void **state)
{
    (void)state;
    sm_arena_reset(NULL); /* no crash, nothing to do */
}

/* ---- Buffer ------------------------------------------------------------------------ */

static void case_sm_buf_append(void **state)
{
    (void)state;
    sm_buf b = SM_BUF_INIT;
    NA_RC(sm_buf_append(NULL, "ab", 2), SM_MISUSE);
    NA_RC(sm_buf_append(&b, NULL, 2), SM_MISUSE);
    NA_RC(sm_buf_append(&b, NULL, 0), SM_OK); /* appends nothing */
    assert_int_equal(b.len, 0);
    sm_buf_free(&b);
}

static void case_sm_buf_puts(void **state)
{
    (void)state;
    sm_buf b = SM_BUF_INIT;
    NA_RC(sm_buf_puts(NULL, "ab"), SM_MISUSE);
    NA_RC(sm_buf_puts(&b, NULL), SM_MISUSE);
    assert_int_equal(b.len, 0);
    sm_buf_free(&b);
}

static void case_sm_buf_putc(void **state)
{
    (void)state;
    NA_RC(sm_buf_putc(NULL, 'a'), SM_MISUSE);
}

static void case_sm_buf_printf(void **state)
{
    (void)state;
    sm_buf b = SM_BUF_INIT;
    NA_RC(sm_buf_printf(NULL, "%d", 1), SM_MISUSE);
    NA_RC(sm_buf_printf(&b, NA_NULL(const char *), 0), SM_MISUSE);
    assert_int_equal(b.len, 0);
    sm_buf_free(&b);
}

static void case_sm_buf_reset(void **state)
{
    (void)state;
    sm_buf_reset(NULL);
}

static void case_sm_buf_free(void **state)
{
    (void)state;
    sm_buf_free(NULL);
}

/* ---- Field errors --------------------------------------------------------------------- */

static void case_sm_errors_add(void **state)
{
    (void)state;
    sm_errors e = SM_ERRORS_INIT;
    NA_RC(sm_errors_add(NULL, "a", "type", "x"), SM_MISUSE);
    NA_RC(sm_errors_add(&e, "a", NULL, "x"), SM_MISUSE);
    NA_RC(sm_errors_add(&e, "a", "type", NA_NULL(const char *), 0), SM_MISUSE);
    assert_int_equal(e.len, 0);
    NA_RC(sm_errors_add(&e, NULL, "type", "x"), SM_OK); /* a NULL path is "" */
    assert_int_equal(e.len, 1);
    assert_string_equal(e.items[0].path, "");
    sm_errors_free(&e);
}

static void case_sm_errors_clear(void **state)
{
    (void)state;
    sm_errors_clear(NULL);
}

static void case_sm_errors_free(void **state)
{
    (void)state;
    sm_errors_free(NULL);
}

/* ---- Context --------------------------------------------------------------------------- */

static void case_sm_cx_init(void **state)
{
    (void)state;
    sm_cx_init(NULL);
}

static void case_sm_cx_free(void **state)
{
    (void)state;
    sm_cx_free(NULL);
}

static void case_sm_cx_set_timeout_ms(void **state)
{
    (void)state;
    sm_cx_set_timeout_ms(NULL, 10);
}

static void case_sm_cx_set_deadline(void **state)
{
    (void)state;
    struct timespec ts = {0, 0};
    sm_cx cx;
    sm_cx_init(&cx);
    sm_cx_set_deadline(NULL, &ts);
    sm_cx_set_deadline(&cx, &ts);
    sm_cx_set_deadline(&cx, NULL); /* clears the deadline */
    sm_conn *c = NULL;
    int rc = sm_open(&cx, "sqlite::memory:", &c);
    assert_int_equal(rc, SM_OK); /* no deadline: the past one is gone */
    sm_close(c);
    sm_cx_free(&cx);
}

static void case_sm_cx_cancel(void **state)
{
    (void)state;
    sm_cx_cancel(NULL);
}

static void case_sm_cx_cancelled(void **state)
{
    (void)state;
    assert_false(sm_cx_cancelled(NULL));
}

/* A call given no cx has nowhere to put its message: the accessors of a
 * NULL cx answer as for such a call. */
static void case_sm_cx_errmsg(void **state)
{
    (void)state;
    const char *m = sm_cx_errmsg(NULL);
    assert_non_null(m);
    assert_string_equal(m, "no context: cx is NULL");
}

static void case_sm_cx_errcode(void **state)
{
    (void)state;
    assert_int_equal(sm_cx_errcode(NULL), SM_MISUSE);
}

static void case_sm_cx_errors(void **state)
{
    (void)state;
    const sm_errors *e = sm_cx_errors(NULL);
    assert_non_null(e);
    assert_int_equal(e->len, 0);
}

static void case_sm_cx_constraint(void **state)
{
    (void)state;
    const sm_constraint *c = sm_cx_constraint(NULL);
    assert_non_null(c);
    assert_int_equal(c->kind, SM_CK_NONE);
    assert_null(c->table);
    assert_null(c->name);
    assert_null(c->columns);
}

/* ---- Connections ------------------------------------------------------------------------ */

static void open_body(na *t)
{
    sm_conn *c = (sm_conn *)&c; /* not NULL: the call must clear it */
    NA_RC(sm_open(NULL, t->url, &c), SM_MISUSE);
    assert_null(c);
    c = (sm_conn *)&c;
    NA_MISUSE(t, sm_open(&t->cx, NULL, &c));
    assert_null(c);
    NA_MISUSE(t, sm_open(&t->cx, t->url, NULL));
}

static void case_sm_open(void **state)
{
    (void)state;
    na_each(open_body);
}

static void case_sm_close(void **state)
{
    (void)state;
    sm_close(NULL);
}

static void case_sm_conn_dialect(void **state)
{
    (void)state;
    assert_int_equal(sm_conn_dialect(NULL), SM_NDIALECTS);
}

static void case_sm_conn_url(void **state)
{
    (void)state;
    assert_string_equal(sm_conn_url(NULL), "");
}

static void case_sm_in_transaction(void **state)
{
    (void)state;
    assert_false(sm_in_transaction(NULL));
}

static void case_sm_conn_stat(void **state)
{
    (void)state;
    sm_conn_stats s = sm_conn_stat(NULL);
    assert_int_equal(s.statements, 0);
    assert_int_equal(s.prepares, 0);
    assert_int_equal(s.cache_hits, 0);
    assert_int_equal(s.evictions, 0);
    assert_int_equal(s.round_trips, 0);
}

/* ---- Pool ------------------------------------------------------------------------------- */

static void pool_body(na *t)
{
    sm_cx *cx = NA_NULL(sm_cx *);
    assert_null(sm_pool_open(cx, t->url, NULL));
    assert_null(sm_pool_open(&t->cx, NULL, NULL));
    assert_int_equal(sm_cx_errcode(&t->cx), SM_MISUSE);
    assert_non_null(strstr(sm_cx_errmsg(&t->cx), "url is NULL"));
    sm_pool *p = sm_pool_open(&t->cx, t->url, NULL); /* NULL opts: the defaults */
    assert_non_null(p);
    sm_conn *c = (sm_conn *)&c; /* not NULL: the call must clear it */
    NA_RC(sm_pool_acquire(cx, p, &c), SM_MISUSE);
    assert_null(c);
    c = (sm_conn *)&c;
    NA_MISUSE(t, sm_pool_acquire(&t->cx, NA_NULL(sm_pool *), &c));
    assert_null(c);
    NA_MISUSE(t, sm_pool_acquire(&t->cx, p, NULL));
    NA_EXPECT(t, sm_pool_acquire(&t->cx, p, &c), SM_OK);
    sm_pool_release(NA_NULL(sm_pool *), c); /* nothing: c stays borrowed */
    sm_pool_release(p, NULL);
    assert_int_equal(sm_pool_stat(p).in_use, 1);
    sm_pool_release(p, c);
    assert_int_equal(sm_pool_stat(p).idle, 1);
    sm_pool_close(p);
}

static void case_sm_pool_open(void **state)
{
    (void)state;
    na_each(pool_body);
}

static void case_sm_pool_acquire(void **state)
{
    (void)state;
    na_each(pool_body);
}

static void case_sm_pool_release(void **state)
{
    (void)state;
    sm_pool_release(NULL, NULL);
}

static void case_sm_pool_close(void **state)
{
    (void)state;
    sm_pool_close(NULL);
}

static void case_sm_pool_stat(void **state)
{
    (void)state;
    sm_pool_stats s = sm_pool_stat(NULL);
    assert_int_equal(s.open + s.idle + s.in_use + s.waiters, 0);
    assert_int_equal(s.created + s.recycled + s.failed_checks + s.reset_failures, 0);
    assert_int_equal(s.acquires + s.timeouts + s.wait_ns_total, 0);
}

static int retry_calls;

static int retry_fn(sm_cx *cx, sm_conn *conn, void *ud)
{
    (void)cx;
    (void)conn;
    (void)ud;
    retry_calls++;
    return SM_OK;
}

static void retry_body(na *t)
{
    sm_pool *p = sm_pool_open(&t->cx, t->url, NULL);
    assert_non_null(p);
    retry_calls = 0;
    NA_RC(sm_retry_tx(NA_NULL(sm_cx *), p, retry_fn, NULL, 1), SM_MISUSE);
    assert_int_equal(sm_retry_tx(&t->cx, NA_NULL(sm_pool *), retry_fn, NULL, 1), SM_MISUSE);
    assert_string_equal(sm_cx_errmsg(&t->cx), "sm_retry_tx: p is NULL");
    NA_MISUSE(t, sm_retry_tx(&t->cx, NA_NULL(sm_pool *), retry_fn, NULL, 1));
    assert_int_equal(sm_retry_tx(&t->cx, p, NULL, NULL, 1), SM_MISUSE);
    assert_string_equal(sm_cx_errmsg(&t->cx), "sm_retry_tx: fn is NULL");
    NA_MISUSE(t, sm_retry_tx(&t->cx, p, NULL, NULL, 1));
    assert_int_equal(retry_calls, 0);
    NA_EXPECT(t, sm_retry_tx(&t->cx, p, retry_fn, NULL, 1), SM_OK); /* NULL ud is fn's business */
    assert_int_equal(retry_calls, 1);
    assert_int_equal(sm_pool_stat(p).in_use, 0);
    sm_pool_close(p);
}

static void case_sm_retry_tx(void **state)
{
    (void)state;
    na_each(retry_body);
}

static int traced;

static void count_trace(void *ud, const sm_trace *tr)
{
    (void)ud;
    (void)tr;
    traced++;
}

static void set_trace_body(na *t)
{
    sm_conn_set_trace(NULL, count_trace, NULL); /* nothing to do */
    sm_conn_set_trace(t->conn, count_trace, NULL); /* ud may be NULL */
    traced = 0;
    na_alive(t);
    assert_int_equal(traced, 1);
    sm_conn_set_trace(t->conn, NULL, NULL); /* removes it */
    na_alive(t);
    assert_int_equal(traced, 1);
}

static void case_sm_conn_set_trace(void **state)
{
    (void)state;
    na_each(set_trace_body);
}

static void case_sm_trace_stderr(void **state)
{
    (void)state;
    sm_trace tr;
    memset(&tr, 0, sizeof tr);
    tr.sql = NULL; /* printed as empty */
    tr.rows = -1;
    sm_trace_stderr(NULL, NULL); /* prints nothing */
    sm_trace_stderr(NULL, &tr);  /* ud is unused: NULL is fine */
}

/* ---- Raw SQL and rows ---------------------------------------------------------------------- */

/* ---- Migrations ---------------------------------------------------------------------- */

static void case_sm_migrations_read(void **state)
{
    (void)state;
    sm_cx cx;
    sm_cx_init(&cx);
    sm_arena a = SM_ARENA_INIT;
    sm_migration_set set;
    memset(&set, 0xff, sizeof set);
    NA_RC(sm_migrations_read(NULL, ".", &a, &set), SM_MISUSE);
    assert_null(set.items);
    assert_int_equal(set.len, 0);
    NA_RC(sm_migrations_read(&cx, NULL, &a, &set), SM_MISUSE);
    assert_string_equal(sm_cx_errmsg(&cx), "sm_migrations_read: dir is NULL");
    NA_RC(sm_migrations_read(&cx, ".", NULL, &set), SM_MISUSE);
    assert_string_equal(sm_cx_errmsg(&cx), "sm_migrations_read: arena is NULL");
    NA_RC(sm_migrations_read(&cx, ".", &a, NULL), SM_MISUSE);
    assert_string_equal(sm_cx_errmsg(&cx), "sm_migrations_read: set is NULL");
    assert_null(a.head);
    sm_cx_free(&cx);
}

static const sm_migration_set empty_set = {"na", NULL, 0, NULL, 0, NULL, NULL};

/* With any argument NULL nothing runs: no lock, no smdl_migrations. */
static void migrate_body(na *t)
{
    sm_migration_set unnamed = empty_set;
    unnamed.module = NULL;
    NA_RC(sm_migrate_up(NULL, t->conn, &empty_set), SM_MISUSE);
    NA_MISUSE(t, sm_migrate_up(&t->cx, NULL, &empty_set));
    NA_MISUSE(t, sm_migrate_up(&t->cx, t->conn, NULL));
    NA_MISUSE(t, sm_migrate_up(&t->cx, t->conn, &unnamed));
    NA_RC(sm_migrate_down(NULL, t->conn, &empty_set, 0), SM_MISUSE);
    NA_MISUSE(t, sm_migrate_down(&t->cx, NULL, &empty_set, 0));
    NA_MISUSE(t, sm_migrate_down(&t->cx, t->conn, NULL, 0));
    sm_migration_status_list l;
    memset(&l, 0xff, sizeof l);
    NA_RC(sm_migrate_status(NULL, t->conn, &empty_set, &t->arena, &l), SM_MISUSE);
    assert_null(l.items);
    NA_MISUSE(t, sm_migrate_status(&t->cx, NULL, &empty_set, &t->arena, &l));
    NA_MISUSE(t, sm_migrate_status(&t->cx, t->conn, NULL, &t->arena, &l));
    NA_MISUSE(t, sm_migrate_status(&t->cx, t->conn, &empty_set, NULL, &l));
    NA_MISUSE(t, sm_migrate_status(&t->cx, t->conn, &empty_set, &t->arena, NULL));
}

static void case_sm_migrate_up(void **state)
{
    (void)state;
    na_each(migrate_body);
}

static void case_sm_migrate_down(void **state)
{
    (void)state;
    na_each(migrate_body);
}

static void case_sm_migrate_status(void **state)
{
    (void)state;
    na_each(migrate_body);
}

/* No pointer to check: a value out of range has a name too. */
static void case_sm_migration_state_name(void **state)
{
    (void)state;
    assert_string_equal(sm_migration_state_name(SM_MIG_PENDING), "pending");
    assert_string_equal(sm_migration_state_name((sm_migration_state)99), "?");
}

static void exec_body(na *t)
{
    sm_value p = sm_int(1);
    int64_t affected = 5;
    NA_RC(sm_exec(NULL, t->conn, "SELECT 1", NULL, 0, &affected), SM_MISUSE);
    assert_int_equal(affected, 0);
    NA_MISUSE(t, sm_exec(&t->cx, NULL, "SELECT 1", NULL, 0, NULL));
    NA_MISUSE(t, sm_exec(&t->cx, t->conn, NULL, NULL, 0, NULL));
    NA_MISUSE(t, sm_exec(&t->cx, t->conn, "SELECT ?", NULL, 1, NULL));
    /* No parameters, and affected may be NULL. */
    NA_EXPECT(t, sm_exec(&t->cx, t->conn, "SELECT 1", NULL, 0, NULL), SM_OK);
    NA_EXPECT(t, sm_exec(&t->cx, t->conn, "SELECT ?", &p, 1, NULL), SM_OK);
}

static void case_sm_exec(void **state)
{
    (void)state;
    na_each(exec_body);
}

static void exec_script_body(na *t)
{
    NA_RC(sm_exec_script(NULL, t->conn, "SELECT 1"), SM_MISUSE);
    NA_MISUSE(t, sm_exec_script(&t->cx, NULL, "SELECT 1"));
    NA_MISUSE(t, sm_exec_script(&t->cx, t->conn, NULL));
}

static void case_sm_exec_script(void **state)
{
    (void)state;
    na_each(exec_script_body);
}

static void query_body(na *t)
{
    sm_rows *r = (sm_rows *)&r; /* not NULL: the call must clear it */
    NA_RC(sm_query(NULL, t->conn, "SELECT 1", NULL, 0, &r), SM_MISUSE);
    assert_null(r);
    r = (sm_rows *)&r;
    NA_MISUSE(t, sm_query(&t->cx, NULL, "SELECT 1", NULL, 0, &r));
    assert_null(r);
    NA_MISUSE(t, sm_query(&t->cx, t->conn, NULL, NULL, 0, &r));
    NA_MISUSE(t, sm_query(&t->cx, t->conn, "SELECT ?", NULL, 1, &r));
    NA_MISUSE(t, sm_query(&t->cx, t->conn, "SELECT 1", NULL, 0, NULL));
}

static void case_sm_query(void **state)
{
    (void)state;
    na_each(query_body);
}

static void case_sm_rows_next(void **state)
{
    (void)state;
    NA_RC(sm_rows_next(NULL), SM_MISUSE);
}

static void case_sm_rows_ncols(void **state)
{
    (void)state;
    assert_int_equal(sm_rows_ncols(NULL), 0);
}

static void case_sm_rows_name(void **state)
{
    (void)state;
    assert_null(sm_rows_name(NULL, 0));
}

static void case_sm_rows_is_null(void **state)
{
    (void)state;
    assert_true(sm_rows_is_null(NULL, 0));
}

static void case_sm_rows_int(void **state)
{
    (void)state;
    assert_int_equal(sm_rows_int(NULL, 0), 0);
}

static void case_sm_rows_real(void **state)
{
    (void)state;
    assert_true(sm_rows_real(NULL, 0) == 0.0);
}

static void case_sm_rows_text(void **state)
{
    (void)state;
    assert_null(sm_rows_text(NULL, 0));
}

static void rows_blob_body(na *t)
{
    size_t len = 9;
    assert_null(sm_rows_blob(NULL, 0, &len));
    assert_int_equal(len, 0);
    assert_null(sm_rows_blob(NULL, 0, NULL));
    /* len may be NULL on a real row too. */
    sm_rows *r = NULL;
    sm_value v = sm_blob("ab", 2);
    NA_EXPECT(t, sm_query(&t->cx, t->conn, "SELECT ?", &v, 1, &r), SM_OK);
    assert_int_equal(sm_rows_next(r), SM_ROW);
    assert_non_null(sm_rows_blob(r, 0, NULL));
    sm_rows_close(r);
}

static void case_sm_rows_blob(void **state)
{
    (void)state;
    na_each(rows_blob_body);
}

static void case_sm_rows_close(void **state)
{
    (void)state;
    sm_rows_close(NULL);
}

/* ---- Transactions ----------------------------------------------------------------------------- */

/* fn(cx, conn) with cx NULL, then conn NULL; a transaction is open
 * around the calls when `in_tx`. */
static void tx_pair(na *t, int (*fn)(sm_cx *, sm_conn *), bool in_tx)
{
    if (in_tx)
        NA_EXPECT(t, sm_begin(&t->cx, t->conn), SM_OK);
    NA_RC(fn(NULL, t->conn), SM_MISUSE);
    NA_MISUSE(t, fn(&t->cx, NULL));
    if (in_tx) {
        assert_true(sm_in_transaction(t->conn)); /* misuse does not end it */
        NA_EXPECT(t, sm_rollback(&t->cx, t->conn), SM_OK);
    }
}

static void begin_body(na *t)
{
    tx_pair(t, sm_begin, false);
}

static void commit_body(na *t)
{
    tx_pair(t, sm_commit, true);
}

static void rollback_body(na *t)
{
    tx_pair(t, sm_rollback, true);
}

static void case_sm_begin(void **state)
{
    (void)state;
    na_each(begin_body);
}

static void case_sm_commit(void **state)
{
    (void)state;
    na_each(commit_body);
}

static void case_sm_rollback(void **state)
{
    (void)state;
    na_each(rollback_body);
}

/* fn(cx, conn, name) with each argument NULL, inside a transaction with
 * the savepoint "sp" open. */
static void savepoint_args(na *t, int (*fn)(sm_cx *, sm_conn *, const char *))
{
    NA_EXPECT(t, sm_begin(&t->cx, t->conn), SM_OK);
    NA_EXPECT(t, sm_savepoint(&t->cx, t->conn, "sp"), SM_OK);
    NA_RC(fn(NULL, t->conn, "sp"), SM_MISUSE);
    NA_MISUSE(t, fn(&t->cx, NULL, "sp"));
    NA_MISUSE(t, fn(&t->cx, t->conn, NULL));
    NA_EXPECT(t, sm_rollback_to(&t->cx, t->conn, "sp"), SM_OK); /* "sp" is still there */
    NA_EXPECT(t, sm_rollback(&t->cx, t->conn), SM_OK);
}

static void savepoint_body(na *t)
{
    savepoint_args(t, sm_savepoint);
}

static void release_body(na *t)
{
    savepoint_args(t, sm_release);
}

static void rollback_to_body(na *t)
{
    savepoint_args(t, sm_rollback_to);
}

static void case_sm_savepoint(void **state)
{
    (void)state;
    na_each(savepoint_body);
}

static void case_sm_release(void **state)
{
    (void)state;
    na_each(release_body);
}

static void case_sm_rollback_to(void **state)
{
    (void)state;
    na_each(rollback_to_body);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        NA_CASE(sm_strerror),
        NA_CASE(sm_constraint_kind_name),
        NA_CASE(sm_date_from_ymd),
        NA_CASE(sm_datetime_now),
        NA_CASE(sm_date_format),
        NA_CASE(sm_time_format),
        NA_CASE(sm_datetime_format),
        NA_CASE(sm_decimal_format),
        NA_CASE(sm_uuid_format),
        NA_CASE(sm_date_parse),
        NA_CASE(sm_time_parse),
        NA_CASE(sm_datetime_parse),
        NA_CASE(sm_decimal_parse),
        NA_CASE(sm_uuid_parse),
        NA_CASE(sm_date_to_ymd),
        NA_CASE(sm_uuid_v4),
        NA_CASE(sm_arena_init),
        NA_CASE(sm_arena_alloc),
        NA_CASE(sm_arena_zalloc),
        NA_CASE(sm_arena_memdup),
        NA_CASE(sm_arena_strndup),
        NA_CASE(sm_arena_free),
        NA_CASE(sm_arena_reset),
        NA_CASE(sm_buf_append),
        NA_CASE(sm_buf_puts),
        NA_CASE(sm_buf_putc),
        NA_CASE(sm_buf_printf),
        NA_CASE(sm_buf_reset),
        NA_CASE(sm_buf_free),
        NA_CASE(sm_errors_add),
        NA_CASE(sm_errors_clear),
        NA_CASE(sm_errors_free),
        NA_CASE(sm_cx_init),
        NA_CASE(sm_cx_free),
        NA_CASE(sm_cx_set_timeout_ms),
        NA_CASE(sm_cx_set_deadline),
        NA_CASE(sm_cx_cancel),
        NA_CASE(sm_cx_cancelled),
        NA_CASE(sm_cx_errmsg),
        NA_CASE(sm_cx_errcode),
        NA_CASE(sm_cx_errors),
        NA_CASE(sm_cx_constraint),
        NA_CASE(sm_open),
        NA_CASE(sm_close),
        NA_CASE(sm_conn_dialect),
        NA_CASE(sm_conn_url),
        NA_CASE(sm_in_transaction),
        NA_CASE(sm_conn_stat),
        NA_CASE(sm_conn_set_trace),
        NA_CASE(sm_trace_stderr),
        NA_CASE(sm_exec),
        NA_CASE(sm_exec_script),
        NA_CASE(sm_query),
        NA_CASE(sm_rows_next),
        NA_CASE(sm_rows_ncols),
        NA_CASE(sm_rows_name),
        NA_CASE(sm_rows_is_null),
        NA_CASE(sm_rows_int),
        NA_CASE(sm_rows_real),
        NA_CASE(sm_rows_text),
        NA_CASE(sm_rows_blob),
        NA_CASE(sm_rows_close),
        NA_CASE(sm_begin),
        NA_CASE(sm_commit),
        NA_CASE(sm_rollback),
        NA_CASE(sm_savepoint),
        NA_CASE(sm_release),
        NA_CASE(sm_rollback_to),
        NA_CASE(sm_pool_open),
        NA_CASE(sm_pool_acquire),
        NA_CASE(sm_pool_release),
        NA_CASE(sm_pool_close),
        NA_CASE(sm_pool_stat),
        NA_CASE(sm_retry_tx),
        NA_CASE(sm_migrations_read),
        NA_CASE(sm_migrate_up),
        NA_CASE(sm_migrate_down),
        NA_CASE(sm_migrate_status),
        NA_CASE(sm_migration_state_name),
    };
    return NA_RUN("nullargs_runtime", tests);
}
