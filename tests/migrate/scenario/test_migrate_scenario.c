/*
 * test_migrate_scenario.c: eleven evolutions of one schema (v01.smdl to
 * v12.smdl beside this file), made by `smc migrate new` with gen.sh (the
 * hand edits that move data included), then on every database: `smc
 * migrate up` one migration at a time with rows inserted and checked
 * after each, `smc migrate down` one at a time to nothing with the rows
 * checked at each version, and `up` again to the end.
 *
 *   0001 init                 author, post, enum Status
 *   0002 views                column with a default
 *   0003 rename_title         post.title renamed headline (@was)
 *   0004 rename_author        table author renamed writer (@was)
 *   0005 post_author_fk       foreign key, on delete cascade
 *   0006 profile              split, 1: new table, writer.bio copied in
 *   0007 drop_writer_bio      split, 2: writer.bio dropped (destructive)
 *   0008 status_archived      enum value added
 *   0009 drop_status_hidden   enum value removed (destructive)
 *   0010 post_headline_index  index
 *   0011 views_bigint         i32 to int
 *   0012 drop_post_body       column dropped (destructive)
 *
 * SMC is the smc to run, SCENARIO_DIR this directory.
 */
#include "tdb.h"

#include <sys/wait.h>
#include <unistd.h>

static const char *const names[] = {
    NULL,
    "0001_init",
    "0002_views",
    "0003_rename_title",
    "0004_rename_author",
    "0005_post_author_fk",
    "0006_profile",
    "0007_drop_writer_bio",
    "0008_status_archived",
    "0009_drop_status_hidden",
    "0010_post_headline_index",
    "0011_views_bigint",
    "0012_drop_post_body",
};
enum { LAST = 12 };

static char work[256]; /* gen.sh's output: at/NN is the directory after step NN */

static const char *env(const char *name)
{
    const char *s = getenv(name);
    assert_non_null(s);
    return s;
}

/* Runs `smc migrate ARGS... --db URL --module scen` and returns its exit
 * status; stdout and stderr, merged, in out. */
static int smc(const char *url, char *out, size_t size, const char *const *args)
{
    int p[2];
    assert_int_equal(pipe(p), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(p[1], 1);
        dup2(p[1], 2);
        close(p[0]);
        close(p[1]);
        const char *argv[16] = {env("SMC"), "migrate"};
        int n = 2;
        for (int i = 0; args[i] && n < 11; i++)
            argv[n++] = args[i];
        argv[n++] = "--db";
        argv[n++] = url;
        argv[n++] = "--module";
        argv[n++] = "scen";
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    close(p[1]);
    size_t len = 0;
    ssize_t got;
    while (len + 1 < size && (got = read(p[0], out + len, size - 1 - len)) > 0)
        len += (size_t)got;
    out[len] = 0;
    close(p[0]);
    int st = 0;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static const char *at(int step)
{
    static char dir[300];
    snprintf(dir, sizeof dir, "%s/at/%02d", work, step);
    return dir;
}

/* Soft checks of one statement: it runs; its one value is want. */
#define EXEC(t, sql)                                                                               \
    tdb_check_rc((t), __FILE__, __LINE__, (sql), tdb_exec((t), (sql), NULL, 0), SM_OK)
#define INT(t, sql, want)                                                                          \
    tdb_check_int((t), __FILE__, __LINE__, (sql), tdb_int((t), (sql), NULL, 0), (want))
#define STR(t, sql, want)                                                                          \
    tdb_check_str((t), __FILE__, __LINE__, (sql), tdb_text((t), (sql), NULL, 0), (want))

/* ---- Up, one step at a time --------------------------------------------------------- */

/* Checks what step k's migration kept and changed, then writes the rows
 * the next steps check. */
static void after_up(tdb *t, int k)
{
    switch (k) {
    case 1:
        EXEC(t, "INSERT INTO author (id, name, bio) VALUES (1, 'Ann', 'poet'), (2, 'Bob', NULL)");
        EXEC(t, "INSERT INTO post (id, author_id, title, body, status) VALUES "
                "(1, 1, 'Hello', 'b1', 'published')");
        EXEC(t, "INSERT INTO post (id, author_id, title) VALUES (2, 2, 'Draft')");
        INT(t, "SELECT count(*) FROM author", 2);
        STR(t, "SELECT status FROM post WHERE id = 2", "draft");
        break;
    case 2: /* the new column takes its default on the rows there */
        INT(t, "SELECT count(*) FROM post WHERE views = 0", 2);
        EXEC(t, "INSERT INTO post (id, author_id, title, body, status, views) VALUES "
                "(3, 1, 'Third', 'b3', 'published', 5)");
        INT(t, "SELECT views FROM post WHERE id = 3", 5);
        break;
    case 3: /* renamed, the values stay */
        STR(t, "SELECT headline FROM post WHERE id = 1", "Hello");
        STR(t, "SELECT headline FROM post WHERE id = 3", "Third");
        EXEC(t, "INSERT INTO post (id, author_id, headline) VALUES (4, 2, 'Fourth')");
        INT(t, "SELECT count(*) FROM post", 4);
        break;
    case 4:
        tdb_expect_table_gone(t, "author");
        INT(t, "SELECT count(*) FROM writer", 2);
        STR(t, "SELECT bio FROM writer WHERE id = 1", "poet");
        EXEC(t, "INSERT INTO writer (id, name, bio) VALUES (3, 'Cy', 'painter'), (4, 'Dee', NULL)");
        EXEC(t, "INSERT INTO post (id, author_id, headline) VALUES (5, 4, 'Gone')");
        break;
    case 5: /* the foreign key holds and cascades */
        tdb_check_int(t, __FILE__, __LINE__, "post of a missing writer",
                      tdb_exec(t, "INSERT INTO post (id, author_id, headline) VALUES (9, 99, 'x')",
                               NULL, 0),
                      SM_CONSTRAINT);
        EXEC(t, "DELETE FROM writer WHERE id = 4");
        INT(t, "SELECT count(*) FROM post", 4);
        INT(t, "SELECT count(*) FROM writer", 3);
        break;
    case 6: /* the split: the bios copied by the migration's added SQL */
        INT(t, "SELECT count(*) FROM profile", 2);
        STR(t, "SELECT bio FROM profile WHERE writer_id = 1", "poet");
        STR(t, "SELECT bio FROM profile WHERE writer_id = 3", "painter");
        break;
    case 7:
        INT(t, "SELECT count(*) FROM writer", 3);
        INT(t, "SELECT count(*) FROM profile", 2);
        EXEC(t, "INSERT INTO writer (id, name) VALUES (5, 'Eve')");
        EXEC(t, "INSERT INTO profile (writer_id, bio) VALUES (5, 'sculptor')");
        break;
    case 8:
        EXEC(t, "UPDATE post SET status = 'archived' WHERE id = 3");
        STR(t, "SELECT status FROM post WHERE id = 3", "archived");
        break;
    case 9: /* no row held the removed value; the others stay */
        STR(t, "SELECT status FROM post WHERE id = 3", "archived");
        INT(t, "SELECT count(*) FROM post WHERE status = 'draft'", 2);
        tdb_check_int(t, __FILE__, __LINE__, "removed value",
                      tdb_exec(t, "UPDATE post SET status = 'hidden' WHERE id = 1", NULL, 0),
                      SM_CONSTRAINT);
        break;
    case 10:
        STR(t, "SELECT headline FROM post WHERE headline = 'Fourth'", "Fourth");
        EXEC(t, "INSERT INTO post (id, author_id, headline, views) VALUES (6, 5, 'Sixth', 7)");
        break;
    case 11: /* the wider type keeps the values and holds more */
        INT(t, "SELECT views FROM post WHERE id = 3", 5);
        INT(t, "SELECT count(*) FROM post WHERE views = 0", 3);
        EXEC(t, "UPDATE post SET views = 5000000000 WHERE id = 6");
        INT(t, "SELECT views FROM post WHERE id = 6", 5000000000);
        break;
    case 12:
        INT(t, "SELECT count(*) FROM post", 5);
        INT(t, "SELECT views FROM post WHERE id = 6", 5000000000);
        STR(t, "SELECT headline FROM post WHERE id = 1", "Hello");
        break;
    }
}

/* ---- Down, one step at a time ------------------------------------------------------- */

/* Checks the rows at version k, reached by reverting k + 1. */
static void after_down(tdb *t, int k)
{
    switch (k) {
    case 11: /* the dropped column is back, empty */
        INT(t, "SELECT count(*) FROM post WHERE body IS NULL", 5);
        INT(t, "SELECT views FROM post WHERE id = 6", 5000000000);
        /* i32 cannot hold it: the narrowing down would fail on
         * PostgreSQL and MySQL, so the value goes first */
        EXEC(t, "UPDATE post SET views = 7 WHERE id = 6");
        break;
    case 10:
        INT(t, "SELECT views FROM post WHERE id = 6", 7);
        INT(t, "SELECT views FROM post WHERE id = 3", 5);
        break;
    case 9:
        STR(t, "SELECT headline FROM post WHERE headline = 'Sixth'", "Sixth");
        break;
    case 8:
        STR(t, "SELECT status FROM post WHERE id = 3", "archived");
        break;
    case 7: /* the migration's added SQL mapped the value going away */
        STR(t, "SELECT status FROM post WHERE id = 3", "published");
        INT(t, "SELECT count(*) FROM post", 5);
        break;
    case 6: /* the split undone: the bios copied back */
        STR(t, "SELECT bio FROM writer WHERE id = 1", "poet");
        STR(t, "SELECT bio FROM writer WHERE id = 3", "painter");
        STR(t, "SELECT bio FROM writer WHERE id = 5", "sculptor");
        INT(t, "SELECT count(*) FROM writer WHERE bio IS NULL", 1);
        break;
    case 5:
        tdb_expect_table_gone(t, "profile");
        STR(t, "SELECT bio FROM writer WHERE id = 5", "sculptor");
        break;
    case 4: /* no foreign key any more */
        EXEC(t, "INSERT INTO post (id, author_id, headline) VALUES (9, 99, 'x')");
        EXEC(t, "DELETE FROM post WHERE id = 9");
        INT(t, "SELECT count(*) FROM post", 5);
        break;
    case 3:
        tdb_expect_table_gone(t, "writer");
        INT(t, "SELECT count(*) FROM author", 4);
        STR(t, "SELECT name FROM author WHERE id = 5", "Eve");
        break;
    case 2:
        STR(t, "SELECT title FROM post WHERE id = 1", "Hello");
        STR(t, "SELECT title FROM post WHERE id = 6", "Sixth");
        break;
    case 1:
        INT(t, "SELECT count(*) FROM post", 5);
        STR(t, "SELECT coalesce(body, '-') FROM post WHERE id = 1", "-");
        break;
    case 0:
        tdb_expect_table_gone(t, "post");
        tdb_expect_table_gone(t, "author");
        break;
    }
}

static void scenario(tdb *t)
{
    char out[4096], want[256];
    for (int k = 1; k <= LAST; k++) {
        int rc = smc(t->url, out, sizeof out, (const char *const[]){"up", "-m", at(k), NULL});
        snprintf(want, sizeof want, "applied %s\nmodule scen: at %s\n", names[k], names[k]);
        tdb_check_str(t, __FILE__, __LINE__, "up", out, want);
        if (!tdb_check_int(t, __FILE__, __LINE__, "up exit status", rc, 0))
            return;
        after_up(t, k);
    }
    for (int k = LAST - 1; k >= 0; k--) {
        char to[8];
        snprintf(to, sizeof to, "%d", k);
        int rc = smc(t->url, out, sizeof out,
                     (const char *const[]){"down", "--to", to, "-m", at(LAST), NULL});
        if (k > 0)
            snprintf(want, sizeof want, "reverted %s\nmodule scen: at %s\n", names[k + 1],
                     names[k]);
        else
            snprintf(want, sizeof want, "reverted %s\nmodule scen: nothing applied\n", names[1]);
        tdb_check_str(t, __FILE__, __LINE__, "down", out, want);
        if (!tdb_check_int(t, __FILE__, __LINE__, "down exit status", rc, 0))
            return;
        after_down(t, k);
    }
    /* and up again, all at once, from nothing */
    int rc = smc(t->url, out, sizeof out, (const char *const[]){"up", "-m", at(LAST), NULL});
    tdb_check_int(t, __FILE__, __LINE__, "up again exit status", rc, 0);
    snprintf(want, sizeof want, "applied %s\n", names[LAST]);
    tdb_check(t, __FILE__, __LINE__, "up again", strstr(out, want) != NULL, "%s", out);
    INT(t, "SELECT count(*) FROM post", 0);
    INT(t, "SELECT count(*) FROM profile", 0);
    EXEC(t, "INSERT INTO writer (id, name) VALUES (1, 'Ann')");
    EXEC(t, "INSERT INTO post (id, author_id, headline, views) VALUES (1, 1, 'Again', 5000000000)");
    EXEC(t, "DELETE FROM writer WHERE id = 1");
    INT(t, "SELECT count(*) FROM post", 0);
}

/* Removes gen.sh's output, also when a check ends the test early. */
static void remove_work(void)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", work);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", work);
}

static void test_scenario(void **state)
{
    (void)state;
    const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    snprintf(work, sizeof work, "%s/smdl-scenario.XXXXXX", tmp);
    assert_non_null(mkdtemp(work));
    atexit(remove_work);
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "sh '%s/gen.sh' '%s' '%s' '%s'", env("SCENARIO_DIR"),
             env("SMC"), env("SCENARIO_DIR"), work);
    assert_int_equal(system(cmd), 0);
    tdb_each(NULL, scenario);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_scenario)};
    return tdb_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
