/* A program built outside smdl's own tree: it inserts notes into a fresh
 * database, reads them back by key and by query, and checks that a value
 * the standard library's `email` type refuses is refused.  Prints one
 * line and exits 0 when every result is exactly what it wrote.
 *
 *   app URL      (run.sh passes sqlite:<new file>)
 */
#include "app.h"

#include <stdio.h>
#include <string.h>

static int failed(const char *what, int rc, sm_cx *cx)
{
    fprintf(stderr, "app: %s: %s: %s\n", what, sm_strerror(rc), sm_cx_errmsg(cx));
    return 1;
}

static int run(sm_cx *cx, sm_conn *conn, sm_arena *arena)
{
    int rc = app_create_all(cx, conn);
    if (rc != SM_OK)
        return failed("create_all", rc, cx);

    Note first = NOTE_INIT;
    first.author = "ada@example.org";
    first.title = "Analytical engine";
    first.stars = 5;
    Note second = NOTE_INIT;
    second.author = "ada@example.org";
    second.title = "Notes on the notes";
    if ((rc = note_insert(cx, conn, &first)) != SM_OK || (rc = note_insert(cx, conn, &second)) != SM_OK)
        return failed("insert", rc, cx);
    if (first.id != 1 || second.id != 2) {
        fprintf(stderr, "app: insert gave ids %lld and %lld, not 1 and 2\n", (long long)first.id,
                (long long)second.id);
        return 1;
    }

    Note got;
    if ((rc = note_get(cx, conn, first.id, &got, arena)) != SM_OK)
        return failed("get", rc, cx);
    if (got.id != 1 || strcmp(got.author, "ada@example.org") != 0 ||
        strcmp(got.title, "Analytical engine") != 0 || got.stars != 5) {
        fprintf(stderr, "app: get read back id %lld, author '%s', title '%s', stars %lld\n",
                (long long)got.id, got.author, got.title, (long long)got.stars);
        return 1;
    }

    Note_list mine;
    if ((rc = notes_by(cx, conn, "ada@example.org", &mine, arena)) != SM_OK)
        return failed("notes_by", rc, cx);
    if (mine.len != 2 || mine.items[0].id != 1 || mine.items[1].id != 2 ||
        strcmp(mine.items[1].title, "Notes on the notes") != 0 || mine.items[1].stars != 0) {
        fprintf(stderr, "app: notes_by returned %zu notes, not notes 1 and 2 as inserted\n", mine.len);
        return 1;
    }

    Note bad = NOTE_INIT;
    bad.author = "not an address";
    bad.title = "Refused";
    rc = note_insert(cx, conn, &bad);
    const sm_errors *errs = sm_cx_errors(cx);
    if (rc != SM_INVALID || errs->len != 1 || strcmp(errs->items[0].path, "author") != 0 ||
        strcmp(errs->items[0].code, "pattern") != 0) {
        fprintf(stderr, "app: inserting author 'not an address' returned %s (%s), not one pattern error on author\n",
                sm_strerror(rc), sm_cx_errmsg(cx));
        return 1;
    }

    printf("app: inserted notes 1 and 2, read both back, refused an invalid author\n");
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: app URL\n");
        return 2;
    }
    sm_cx cx;
    sm_cx_init(&cx);
    sm_cx_set_timeout_ms(&cx, 60000); /* a bound against hangs only */
    sm_conn *conn = NULL;
    int rc = sm_open(&cx, argv[1], &conn);
    int status;
    if (rc != SM_OK) {
        status = failed(argv[1], rc, &cx);
    } else {
        sm_arena arena = SM_ARENA_INIT;
        status = run(&cx, conn, &arena);
        sm_arena_free(&arena);
    }
    sm_close(conn);
    sm_cx_free(&cx);
    return status;
}
