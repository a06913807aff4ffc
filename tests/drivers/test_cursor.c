/*
 * test_cursor.c: statements read through a cursor (sm_stmt.cursor) on
 * every driver: other statements run on the connection between the
 * rows, a statement stopped early lets the connection go on, and the
 * same prepared statement then reads without a cursor.
 */
#include "internal.h"
#include "tdb.h"

static const char key; /* the cache key of the statement under test */

static int64_t count_rows(tdb *t)
{
    sm_stmt *o;
    TDB_OK(&t->cx, sm_stmt_raw(&t->cx, t->conn, "SELECT count(*) FROM n", &o));
    TDB_RC(&t->cx, sm_stmt_exec(&t->cx, o, NULL, 0), SM_ROW);
    int64_t v = t->conn->drv->get_int(o, 0);
    TDB_OK(&t->cx, sm_stmt_release(o));
    return v;
}

/* Reads the rows x > 0 in order (stopping after `stop` when not 0),
 * running another statement every 100 rows when through a cursor. */
static int64_t read_rows(tdb *t, bool cursor, int64_t stop)
{
    sm_stmt *st;
    TDB_OK(&t->cx, sm_stmt_cached(&t->cx, t->conn, &key, 0,
                                  "SELECT x FROM n WHERE x > ? ORDER BY x", &st));
    st->stream = st->cursor = cursor;
    sm_value p = sm_int(0);
    int rc = sm_stmt_exec(&t->cx, st, &p, 1);
    int64_t n = 0;
    for (; rc == SM_ROW; rc = sm_stmt_next(&t->cx, st)) {
        assert_int_equal(t->conn->drv->get_int(st, 0), n + 1);
        n++;
        if (cursor && n % 100 == 0)
            assert_int_equal(count_rows(t), 1000);
        if (n == stop)
            break;
    }
    if (rc != SM_ROW)
        TDB_RC(&t->cx, rc, SM_DONE);
    TDB_OK(&t->cx, sm_stmt_release(st));
    return n;
}

static void interleaved(tdb *t)
{
    TDB_MUST(t, tdb_exec(t, "CREATE TABLE n (x bigint PRIMARY KEY)", NULL, 0));
    sm_buf *b = &t->buf;
    sm_buf_reset(b);
    sm_buf_puts(b, "INSERT INTO n (x) VALUES ");
    for (int i = 1; i <= 1000; i++)
        sm_buf_printf(b, "%s(%d)", i > 1 ? ", " : "", i);
    TDB_MUST(t, tdb_exec(t, b->data, NULL, 0));
    expect_ok(t, sm_begin(&t->cx, t->conn));
    TDB_OK(&t->cx, sm_call_begin(&t->cx, t->conn, SM_CALL_ANY));
    assert_int_equal(read_rows(t, true, 0), 1000);
    assert_int_equal(read_rows(t, true, 10), 10); /* stopped early */
    assert_int_equal(count_rows(t), 1000);
    assert_int_equal(read_rows(t, false, 0), 1000); /* the same statement, no cursor */
    assert_int_equal(read_rows(t, true, 300), 300);
    TDB_OK(&t->cx, sm_call_end(&t->cx, t->conn, SM_OK));
    expect_ok(t, sm_commit(&t->cx, t->conn));
}

static void test_interleaved(void **state)
{
    (void)state;
    tdb_each(NULL, interleaved);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_interleaved)};
    return tdb_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
