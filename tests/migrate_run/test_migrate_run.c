/*
 * test_migrate_run.c: the migration runner on every database, through the
 * command line (`smc migrate up|status|down`, run as real processes) and
 * through the generated shop_migrate, on the migration directories
 * committed beside this file:
 *   shop/migrations  0001_create_items, 0002_add_price (adds a column and a
 *                    row), 0003_create_tags (an FK to items); embedded in
 *                    shop.smdl's generated code
 *   failing          the first two, then 0003_broken, whose second
 *                    statement names a missing table
 *   fkoff            a parent with a cascading child, then a SQLite table
 *                    rebuild of the parent marked foreign_keys=off
 *   fkbreak          the same tables, then a migration that loses the
 *                    parent row the child references
 *   bad/name, bad/missing  a misnamed entry; a migration without a file
 * SMC is the smc to run, MIGRATE_DIR this directory.
 */
#include "tdb.h"

#include "shop.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <regex.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int sm_conn_lock(sm_cx *cx, sm_conn *conn, const char *name);
int sm_conn_unlock(sm_cx *cx, sm_conn *conn, const char *name);

static const char *smc_path(void)
{
    const char *s = getenv("SMC");
    assert_non_null(s);
    return s;
}

static const char *fixture(const char *rel)
{
    static char buf[8][1024];
    static int k;
    const char *root = getenv("MIGRATE_DIR");
    assert_non_null(root);
    char *b = buf[k++ % 8];
    snprintf(b, sizeof buf[0], "%s/%s", root, rel);
    return b;
}

/* ---- Running smc ----------------------------------------------------------------- */

typedef struct proc {
    pid_t pid;
    int fd; /* stdout and stderr, merged */
} proc;

/* Starts smc with args (NULL-terminated), SMDL_DATABASE_URL set to env
 * (unset when NULL). */
static proc start(const char *env, const char *const *args)
{
    int p[2];
    assert_int_equal(pipe(p), 0);
    proc pr = {fork(), p[0]};
    assert_true(pr.pid >= 0);
    if (pr.pid == 0) {
        dup2(p[1], 1);
        dup2(p[1], 2);
        close(p[0]);
        close(p[1]);
        if (env)
            setenv("SMDL_DATABASE_URL", env, 1);
        else
            unsetenv("SMDL_DATABASE_URL");
        const char *argv[32] = {smc_path()};
        for (int i = 0; args[i] && i < 30; i++)
            argv[i + 1] = args[i];
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    close(p[1]);
    return pr;
}

/* Waits for pr; its output (timestamps replaced by <time>) into out. */
static int finish(proc pr, char *out, size_t n)
{
    size_t len = 0;
    ssize_t got;
    while ((got = read(pr.fd, out + len, n - 1 - len)) > 0)
        len += (size_t)got;
    out[len] = 0;
    close(pr.fd);
    int st = 0;
    assert_int_equal(waitpid(pr.pid, &st, 0), pr.pid);
    regex_t re;
    assert_int_equal(regcomp(&re, "[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}",
                             REG_EXTENDED),
                     0);
    regmatch_t m;
    char *at = out;
    while (regexec(&re, at, 1, &m, 0) == 0) {
        memmove(at + m.rm_so + 6, at + m.rm_eo, strlen(at + m.rm_eo) + 1);
        memcpy(at + m.rm_so, "<time>", 6);
        at += m.rm_so + 6;
    }
    regfree(&re);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static char out[16384];

#define SMC(env, ...) finish(start((env), (const char *const[]){__VA_ARGS__, NULL}), out, sizeof out)

/* smc migrate SUB --db URL -m DIR [extra] and its exact output. */
#define EXPECT_SMC(t, want_rc, want_out, ...)                                                      \
    do {                                                                                           \
        int rc_ = SMC(NULL, "migrate", __VA_ARGS__);                                               \
        tdb_check_str((t), __FILE__, __LINE__, "output", out, (want_out));                         \
        tdb_check_int((t), __FILE__, __LINE__, "exit status", rc_, (want_rc));                     \
    } while (0)

/* The applied rows of module shop: count, and distinct versions. */
static void expect_rows(tdb *t, const char *module, int64_t applied, int64_t total)
{
    sm_value p = sm_text(module);
    tdb_check_int(t, __FILE__, __LINE__, "applied rows",
                  tdb_int(t, "SELECT count(DISTINCT version) FROM smdl_migrations WHERE module = ? "
                             "AND state = 'applied'",
                          &p, 1),
                  applied);
    tdb_check_int(t, __FILE__, __LINE__, "rows",
                  tdb_int(t, "SELECT count(*) FROM smdl_migrations WHERE module = ?", &p, 1),
                  total);
}

/* ---- Apply, status, down, up again -------------------------------------------------- */

static void cycle(tdb *t)
{
    const char *dir = fixture("shop/migrations");
    EXPECT_SMC(t, 0,
               "module shop: nothing applied, 3 pending\n"
               "0001_create_items  pending\n"
               "0002_add_price     pending\n"
               "0003_create_tags   pending\n",
               "status", "--db", t->url, "-m", dir);
    EXPECT_SMC(t, 0,
               "applied 0001_create_items\n"
               "applied 0002_add_price\n"
               "applied 0003_create_tags\n"
               "module shop: at 0003_create_tags\n",
               "up", "--db", t->url, "-m", dir);
    EXPECT_SMC(t, 0,
               "module shop: at 0003_create_tags, 0 pending\n"
               "0001_create_items  applied <time>\n"
               "0002_add_price     applied <time>\n"
               "0003_create_tags   applied <time>\n",
               "status", "--db", t->url, "-m", dir);
    /* Idempotent. */
    EXPECT_SMC(t, 0, "module shop: at 0003_create_tags, nothing to do\n", "up", "--db", t->url,
               "-m", dir);
    expect_rows(t, "shop", 3, 3);
    tdb_check_int(t, __FILE__, __LINE__, "seeded", tdb_count(t, "items"), 1);
    EXPECT_SMC(t, 0,
               "reverted 0003_create_tags\n"
               "reverted 0002_add_price\n"
               "module shop: at 0001_create_items\n",
               "down", "--to", "1", "--db", t->url, "-m", dir);
    expect_rows(t, "shop", 1, 1);
    tdb_expect_table_gone(t, "tags");
    tdb_check_int(t, __FILE__, __LINE__, "seed removed", tdb_count(t, "items"), 0);
    EXPECT_SMC(t, 0,
               "module shop: at 0001_create_items, 2 pending\n"
               "0001_create_items  applied <time>\n"
               "0002_add_price     pending\n"
               "0003_create_tags   pending\n",
               "status", "--db", t->url, "-m", dir);
    EXPECT_SMC(t, 0, "module shop: at 0001_create_items, nothing to do\n", "down", "--to", "1",
               "--db", t->url, "-m", dir);
    /* The URL from the environment. */
    int rc = SMC(t->url, "migrate", "up", "-m", dir);
    tdb_check_str(t, __FILE__, __LINE__, "up again", out,
                  "applied 0002_add_price\n"
                  "applied 0003_create_tags\n"
                  "module shop: at 0003_create_tags\n");
    tdb_check_int(t, __FILE__, __LINE__, "exit", rc, 0);
    expect_rows(t, "shop", 3, 3);
    tdb_check_int(t, __FILE__, __LINE__, "seeded again", tdb_count(t, "items"), 1);
    EXPECT_SMC(t, 0,
               "reverted 0003_create_tags\n"
               "reverted 0002_add_price\n"
               "reverted 0001_create_items\n"
               "module shop: nothing applied\n",
               "down", "--to", "0", "--db", t->url, "-m", dir);
    tdb_expect_table_gone(t, "items");
    expect_rows(t, "shop", 0, 0);
}

static void test_cycle(void **state)
{
    (void)state;
    tdb_each(NULL, cycle);
}

/* ---- An applied migration that changed --------------------------------------------- */

static uint64_t fnv64(const char *s)
{
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * UINT64_C(0x100000001b3);
    return h;
}

static void copy_tree(const char *from, const char *to)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "cp -R '%s' '%s'", from, to);
    assert_int_equal(system(cmd), 0);
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char text[65536];
    size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = 0;
    fclose(f);
    return text;
}

static void changed(tdb *t)
{
    char tmp[] = "/tmp/smdl_migrate_XXXXXX", dir[256], file[512], want[2048];
    assert_non_null(mkdtemp(tmp));
    snprintf(dir, sizeof dir, "%s/m", tmp);
    copy_tree(fixture("shop/migrations"), dir);
    EXPECT_SMC(t, 0,
               "applied 0001_create_items\napplied 0002_add_price\napplied 0003_create_tags\n"
               "module shop: at 0003_create_tags\n",
               "up", "--db", t->url, "-m", dir);
    snprintf(file, sizeof file, "%s/0002_add_price/%s.up.sql", dir, t->name);
    char before[17], after[17];
    snprintf(before, sizeof before, "%016" PRIx64, fnv64(slurp(file)));
    FILE *f = fopen(file, "a");
    assert_non_null(f);
    fputs("-- edited after it was applied\n", f);
    fclose(f);
    snprintf(after, sizeof after, "%016" PRIx64, fnv64(slurp(file)));
    /* sums catches the edit first, naming the file. */
    snprintf(want, sizeof want,
             "smc: %s/0002_add_price/%s.up.sql changed after it was written (sums has %s, the "
             "file has %s); a written migration stays as it is: put the change in a new "
             "migration\n",
             dir, t->name, before, after);
    EXPECT_SMC(t, 1, want, "up", "--db", t->url, "-m", dir);
    /* Without sums, the runner refuses it by the checksum it recorded. */
    snprintf(file, sizeof file, "%s/sums", dir);
    assert_int_equal(remove(file), 0);
    snprintf(want, sizeof want,
             "smc: migration 0002_add_price was applied with checksum %s, but its %s.up.sql now "
             "has %s: an applied migration must not change; put the change in a new migration\n",
             before, t->name, after);
    EXPECT_SMC(t, 1, want, "up", "--db", t->url, "-m", dir);
    EXPECT_SMC(t, 1, want, "down", "--to", "0", "--db", t->url, "-m", dir);
    EXPECT_SMC(t, 0,
               "module shop: at 0003_create_tags, 0 pending\n"
               "0001_create_items  applied <time>\n"
               "0002_add_price     changed <time> (its up script changed after it was applied)\n"
               "0003_create_tags   applied <time>\n",
               "status", "--db", t->url, "-m", dir);
    expect_rows(t, "shop", 3, 3);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    assert_int_equal(system(cmd), 0);
}

static void test_changed(void **state)
{
    (void)state;
    tdb_each(NULL, changed);
}

/* ---- Two processes at once ----------------------------------------------------------- */

static void two_at_once(tdb *t)
{
    const char *dir = fixture("shop/migrations");
    /* Hold the runner's lock so that both processes start and wait. */
    expect_ok(t, sm_conn_lock(&t->cx, t->conn, "smdl_migrations"));
    const char *args[] = {"migrate", "up", "--db", t->url, "-m", dir, NULL};
    proc a = start(NULL, args), b = start(NULL, args);
    usleep(500 * 1000);
    int st;
    tdb_check_int(t, __FILE__, __LINE__, "a waits", waitpid(a.pid, &st, WNOHANG), 0);
    tdb_check_int(t, __FILE__, __LINE__, "b waits", waitpid(b.pid, &st, WNOHANG), 0);
    /* A third process gives up at its --timeout (a generous bound
     * against a hang, not a latency check). */
    char gave_up[256];
    snprintf(gave_up, sizeof gave_up, "smc: gave up after --timeout 1s: %s; another runner may "
             "hold the migration lock\n",
             t->d == SM_MYSQL ? "mysql lock: deadline passed" : "deadline exceeded");
    time_t began = time(NULL);
    EXPECT_SMC(t, 1, gave_up, "up", "--db", t->url, "-m", dir, "--timeout", "1");
    EXPECT_SMC(t, 1, gave_up, "down", "--to", "0", "--db", t->url, "-m", dir, "--timeout=1");
    tdb_check(t, __FILE__, __LINE__, "bounded", time(NULL) - began < 60, "%lld s",
              (long long)(time(NULL) - began));
    /* A program waits until its deadline. */
    sm_cx cx;
    sm_cx_init(&cx);
    sm_conn *other = tdb_connect(&cx, t->url);
    sm_arena arena = SM_ARENA_INIT;
    sm_migration_set set;
    TDB_OK(&cx, sm_migrations_read(&cx, dir, &arena, &set));
    set.module = "shop";
    sm_cx_set_timeout_ms(&cx, 300);
    TDB_RC(&cx, sm_migrate_up(&cx, other, &set), SM_TIMEOUT);
    sm_close(other);
    sm_arena_free(&arena);
    sm_cx_free(&cx);
    expect_ok(t, sm_conn_unlock(&t->cx, t->conn, "smdl_migrations"));
    char outa[4096], outb[4096];
    int ra = finish(a, outa, sizeof outa), rb = finish(b, outb, sizeof outb);
    tdb_check_int(t, __FILE__, __LINE__, "a's exit", ra, 0);
    tdb_check_int(t, __FILE__, __LINE__, "b's exit", rb, 0);
    const char *did = "applied 0001_create_items\napplied 0002_add_price\n"
                      "applied 0003_create_tags\nmodule shop: at 0003_create_tags\n";
    const char *idle = "module shop: at 0003_create_tags, nothing to do\n";
    bool a_first = strcmp(outa, did) == 0;
    tdb_check_str(t, __FILE__, __LINE__, "the first", a_first ? outa : outb, did);
    tdb_check_str(t, __FILE__, __LINE__, "the second", a_first ? outb : outa, idle);
    expect_rows(t, "shop", 3, 3);
    tdb_check_int(t, __FILE__, __LINE__, "seeded once", tdb_count(t, "items"), 1);

    /* Back to nothing, then a free race: whoever takes the lock first
     * applies everything, the other has nothing left. */
    EXPECT_SMC(t, 0,
               "reverted 0003_create_tags\nreverted 0002_add_price\nreverted 0001_create_items\n"
               "module shop: nothing applied\n",
               "down", "--to", "0", "--db", t->url, "-m", dir);
    a = start(NULL, args);
    b = start(NULL, args);
    ra = finish(a, outa, sizeof outa);
    rb = finish(b, outb, sizeof outb);
    tdb_check_int(t, __FILE__, __LINE__, "a's exit", ra, 0);
    tdb_check_int(t, __FILE__, __LINE__, "b's exit", rb, 0);
    a_first = strcmp(outa, did) == 0;
    tdb_check_str(t, __FILE__, __LINE__, "the first", a_first ? outa : outb, did);
    tdb_check_str(t, __FILE__, __LINE__, "the second", a_first ? outb : outa, idle);
    expect_rows(t, "shop", 3, 3);
    tdb_check_int(t, __FILE__, __LINE__, "seeded once more", tdb_count(t, "items"), 1);
}

static void test_two_at_once(void **state)
{
    (void)state;
    tdb_each(NULL, two_at_once);
}

/* ---- A migration that fails ------------------------------------------------------------ */

static void failing(tdb *t)
{
    const char *dir = fixture("failing");
    int rc = SMC(NULL, "migrate", "up", "--db", t->url, "-m", dir);
    tdb_check_int(t, __FILE__, __LINE__, "exit", rc, 1);
    const char *applied = "applied 0001_create_items\napplied 0002_add_price\n";
    tdb_check(t, __FILE__, __LINE__, "applied first", strncmp(out, applied, strlen(applied)) == 0,
              "%s", out);
    const char *err = out + strlen(applied);
    char want[1024];
    if (t->d != SM_MYSQL) {
        snprintf(want, sizeof want,
                 "smc: applying migration 0003_broken failed on %s and was rolled back (the "
                 "database stays at version 0002): ",
                 t->name);
        tdb_check(t, __FILE__, __LINE__, "message", strncmp(err, want, strlen(want)) == 0, "%s",
                  err);
        /* The database's own words. */
        tdb_check(t, __FILE__, __LINE__, "reason",
                  strstr(err, t->d == SM_SQLITE ? "no such table: missing_table"
                                                : "relation \"missing_table\" does not exist") != NULL,
                  "%s", err);
        tdb_expect_table_gone(t, "extra");
        expect_rows(t, "shop", 2, 2);
        EXPECT_SMC(t, 0,
                   "module shop: at 0002_add_price, 1 pending\n"
                   "0001_create_items  applied <time>\n"
                   "0002_add_price     applied <time>\n"
                   "0003_broken        pending\n",
                   "status", "--db", t->url, "-m", dir);
        return;
    }
    const char *reason = "mysql script: Table '";
    snprintf(want, sizeof want,
             "smc: applying migration 0003_broken failed on mysql, where each DDL statement "
             "commits by itself: the statements before the failing one stay applied. It is "
             "recorded as failed in smdl_migrations, and migrations are refused until it is "
             "repaired by hand (docs/migrations.md, \"Recovering from a failed migration\"): %s",
             reason);
    tdb_check(t, __FILE__, __LINE__, "message", strncmp(err, want, strlen(want)) == 0, "%s", err);
    tdb_check(t, __FILE__, __LINE__, "reason", strstr(err, ".missing_table' doesn't exist") != NULL,
              "%s", err);
    /* The first statement stayed; the row says failed, with the reason. */
    tdb_check_int(t, __FILE__, __LINE__, "extra exists", tdb_count(t, "extra"), 0);
    expect_rows(t, "shop", 2, 3);
    rc = SMC(NULL, "migrate", "status", "--db", t->url, "-m", dir);
    tdb_check(t, __FILE__, __LINE__, "status",
              strncmp(out,
                      "module shop: at 0002_add_price, 1 failed, 0 pending\n"
                      "0001_create_items  applied <time>\n"
                      "0002_add_price     applied <time>\n"
                      "0003_broken        failed <time>: mysql script: Table '",
                      strlen("module shop: at 0002_add_price, 1 failed, 0 pending\n"
                             "0001_create_items  applied <time>\n"
                             "0002_add_price     applied <time>\n"
                             "0003_broken        failed <time>: mysql script: Table '")) == 0,
              "%s", out);
    /* Refused until resolved, in either direction, even with another 0003. */
    const char *refusal = "smc: migration 0003_broken failed partway on mysql and is recorded as "
                          "failed in smdl_migrations (mysql script: Table '";
    rc = SMC(NULL, "migrate", "up", "--db", t->url, "-m", fixture("shop/migrations"));
    tdb_check_int(t, __FILE__, __LINE__, "refused", rc, 1);
    tdb_check(t, __FILE__, __LINE__, "refusal", strncmp(out, refusal, strlen(refusal)) == 0, "%s",
              out);
    rc = SMC(NULL, "migrate", "down", "--to", "0", "--db", t->url, "-m", dir);
    tdb_check_int(t, __FILE__, __LINE__, "down refused", rc, 1);
    tdb_check(t, __FILE__, __LINE__, "down refusal", strncmp(out, refusal, strlen(refusal)) == 0,
              "%s", out);
    /* The recovery docs/migrations.md describes: undo what ran, delete
     * the row, migrate with the fixed migration. */
    expect_ok(t, tdb_exec(t, "DROP TABLE extra", NULL, 0));
    expect_ok(t, tdb_exec(t, "DELETE FROM smdl_migrations WHERE module = 'shop' AND state = "
                             "'failed'",
                          NULL, 0));
    EXPECT_SMC(t, 0, "applied 0003_create_tags\nmodule shop: at 0003_create_tags\n", "up", "--db",
               t->url, "-m", fixture("shop/migrations"));
    expect_rows(t, "shop", 3, 3);
}

static void test_failing(void **state)
{
    (void)state;
    tdb_each(NULL, failing);
}

/* ---- foreign_keys=off --------------------------------------------------------------- */

static sm_migration_set read_set(tdb *t, const char *rel)
{
    sm_migration_set set;
    expect_ok(t, sm_migrations_read(&t->cx, fixture(rel), &t->arena, &set));
    set.module = "fk";
    return set;
}

static void fk_enforced(tdb *t)
{
    if (t->d == SM_SQLITE)
        tdb_check_int(t, __FILE__, __LINE__, "foreign_keys back on",
                      tdb_int(t, "PRAGMA foreign_keys", NULL, 0), 1);
}

static void fk_off(tdb *t)
{
    sm_migration_set set = read_set(t, "fkoff");
    tdb_check_int(t, __FILE__, __LINE__, "marker", set.items[1]->flags[SM_SQLITE],
                  SM_MIG_UP_FK_OFF | SM_MIG_DOWN_FK_OFF);
    tdb_check_int(t, __FILE__, __LINE__, "no marker", set.items[0]->flags[SM_SQLITE], 0);
    expect_ok(t, sm_migrate_up(&t->cx, t->conn, &set));
    /* Rebuilding the parent kept the child (a cascade would have emptied it). */
    tdb_check_int(t, __FILE__, __LINE__, "child kept", tdb_count(t, "child"), 1);
    tdb_check_str(t, __FILE__, __LINE__, "name", tdb_text(t, "SELECT name FROM parent", NULL, 0),
                  "a");
    fk_enforced(t);
    expect_ok(t, sm_migrate_down(&t->cx, t->conn, &set, 1));
    tdb_check_int(t, __FILE__, __LINE__, "child kept down", tdb_count(t, "child"), 1);
    fk_enforced(t);
    expect_ok(t, sm_migrate_down(&t->cx, t->conn, &set, 0));
    tdb_expect_table_gone(t, "parent");

    /* A rebuild that loses a referenced row fails the foreign key check. */
    set = read_set(t, "fkbreak");
    expect_rc(t, sm_migrate_up(&t->cx, t->conn, &set), SM_MIGRATION);
    char msg[2048];
    snprintf(msg, sizeof msg, "%s", sm_cx_errmsg(&t->cx));
    tdb_check(t, __FILE__, __LINE__, "names the migration",
              strstr(msg, "migration 0002_lose_parent failed") != NULL, "%s", msg);
    const char *why = t->d == SM_SQLITE     ? "foreign key check failed: a row of child (rowid 1) "
                                              "references a missing row of parent"
                      : t->d == SM_POSTGRES ? "cannot truncate a table referenced in a foreign key"
                                            : "a foreign key constraint fails";
    tdb_check(t, __FILE__, __LINE__, "reason", strstr(msg, why) != NULL, "%s", msg);
    fk_enforced(t);
    tdb_check_int(t, __FILE__, __LINE__, "parent kept", tdb_count(t, "parent"), 1);
    expect_rows(t, "fk", 1, t->d == SM_MYSQL ? 2 : 1);
}

static void test_fk_off(void **state)
{
    (void)state;
    tdb_each(NULL, fk_off);
}

/* ---- Generated code ---------------------------------------------------------------- */

static void generated(tdb *t)
{
    /* Not inside a transaction: the runner's own would nest. */
    expect_ok(t, sm_begin(&t->cx, t->conn));
    expect_rc(t, shop_migrate(&t->cx, t->conn), SM_MISUSE);
    tdb_check_str(t, __FILE__, __LINE__, "message", sm_cx_errmsg(&t->cx),
                  "sm_module_migrate: a transaction is open; migrations run outside "
                  "transactions (each in its own where the database allows it)");
    expect_ok(t, sm_rollback(&t->cx, t->conn));
    expect_ok(t, shop_migrate(&t->cx, t->conn));
    expect_rows(t, "shop", 3, 3);
    Item it = ITEM_INIT;
    it.name = "lamp";
    it.price = 12;
    expect_ok(t, item_insert(&t->cx, t->conn, &it));
    Tag tag = TAG_INIT;
    tag.item_id = it.id;
    tag.label = "light";
    expect_ok(t, tag_insert(&t->cx, t->conn, &tag));
    Item got;
    expect_ok(t, item_get(&t->cx, t->conn, it.id, &got, &t->arena));
    tdb_check_str(t, __FILE__, __LINE__, "name", got.name, "lamp");
    tdb_check_int(t, __FILE__, __LINE__, "price", got.price, 12);
    /* Again: nothing to do; and the CLI agrees with what it recorded. */
    expect_ok(t, shop_migrate(&t->cx, t->conn));
    EXPECT_SMC(t, 0, "module shop: at 0003_create_tags, nothing to do\n", "up", "--db", t->url,
               "-m", fixture("shop/migrations"));
    expect_rows(t, "shop", 3, 3);
}

static void test_generated(void **state)
{
    (void)state;
    tdb_each(NULL, generated);
}

/* ---- Bad input ----------------------------------------------------------------------- */

static void expect_out(int rc, int want_rc, const char *want)
{
    if (strcmp(out, want) != 0 || rc != want_rc)
        fail_msg("exit %d (want %d), output:\n%s\nwant:\n%s", rc, want_rc, out, want);
}

static void expect_prefix(int rc, int want_rc, const char *want)
{
    if (strncmp(out, want, strlen(want)) != 0 || rc != want_rc)
        fail_msg("exit %d (want %d), output:\n%s\nwant a start of:\n%s", rc, want_rc, out, want);
}

static void test_bad_input(void **state)
{
    (void)state;
    char want[2048], tmp[] = "/tmp/smdl_migrate_XXXXXX";
    const char *shop = fixture("shop/migrations"), *db = "sqlite::memory:";
    int rc = SMC(NULL, "migrate", "up", "--db", db, "-m", "/nonexistent/migrations");
    expect_out(rc, 1, "smc: cannot read the migrations directory /nonexistent/migrations: No such "
                      "file or directory\n");
    rc = SMC(NULL, "migrate", "status", "--db", db, "-m", fixture("bad/name"));
    snprintf(want, sizeof want,
             "smc: %s/2_oops: not a migration (expected directories NNNN_name: 4 digits from "
             "0001, '_', then [a-z0-9_], and the files sums and schema.snapshot)\n",
             fixture("bad/name"));
    expect_out(rc, 1, want);
    rc = SMC(NULL, "migrate", "up", "--db", db, "-m", fixture("bad/missing"));
    snprintf(want, sizeof want,
             "smc: migration 0001_create_items has no mysql.down.sql: "
             "%s/0001_create_items/mysql.down.sql is missing\n",
             fixture("bad/missing"));
    expect_out(rc, 1, want);
    /* The same reader at generation. */
    assert_non_null(mkdtemp(tmp));
    rc = SMC(NULL, fixture("shop/shop.smdl"), "-o", tmp, "-m", fixture("bad/missing"));
    expect_out(rc, 1, want);
    /* Unreachable databases. */
    rc = SMC(NULL, "migrate", "up", "--db", "postgres://nobody@127.0.0.1:1/x", "-m", shop);
    expect_prefix(rc, 1, "smc: cannot connect to PostgreSQL: connection to server at \"127.0.0.1\", "
                         "port 1 failed: Connection refused");
    rc = SMC(NULL, "migrate", "status", "--db", "mysql://nobody@127.0.0.1:1/x", "-m", shop);
    expect_prefix(rc, 1, "smc: ");
    assert_non_null(strstr(out, "127.0.0.1"));
    rc = SMC(NULL, "migrate", "up", "--db", "sqlite:/nonexistent/dir/x.db", "-m", shop);
    expect_prefix(rc, 1, "smc: ");
    assert_non_null(strstr(out, "unable to open database file"));
    rc = SMC(NULL, "migrate", "up", "--db", "nosuch://x", "-m", shop);
    expect_prefix(rc, 1, "smc: ");
    /* Usage. */
    const char *down_usage = "usage: smc migrate down --to N [--db URL] [-m DIR] [--module NAME] "
                             "[--timeout SECONDS]\n"
                             "--db defaults to $SMDL_DATABASE_URL; run 'smc help' for the list of "
                             "commands.\n";
    const char *bad_to[] = {"x", "-1", "10000", "", "1.5"};
    for (size_t i = 0; i < sizeof bad_to / sizeof *bad_to; i++) {
        rc = SMC(NULL, "migrate", "down", "--to", bad_to[i], "--db", db, "-m", shop);
        snprintf(want, sizeof want, "smc: invalid --to '%s' (a version from 0 to 9999)\n%s",
                 bad_to[i], down_usage);
        expect_out(rc, 2, want);
    }
    rc = SMC(NULL, "migrate", "down", "--db", db, "-m", shop);
    snprintf(want, sizeof want,
             "smc: missing --to N (the version to go back to; 0 reverts all)\n%s", down_usage);
    expect_out(rc, 2, want);
    rc = SMC(NULL, "migrate", "up", "-m", shop);
    expect_out(rc, 2, "smc: no database: give --db URL or set SMDL_DATABASE_URL\n"
                      "usage: smc migrate up [--db URL] [-m DIR] [--module NAME] [--timeout SECONDS]\n"
                      "--db defaults to $SMDL_DATABASE_URL; run 'smc help' for the list of "
                      "commands.\n");
    rc = SMC(NULL, "migrate", "status", "--db", db, "--to", "1", "-m", shop);
    expect_prefix(rc, 2, "smc: unknown or misplaced option '--to'\n");
    const char *bad_timeout[] = {"0", "x", "1.5", "86401", "", "-1"};
    for (size_t i = 0; i < sizeof bad_timeout / sizeof *bad_timeout; i++) {
        rc = SMC(NULL, "migrate", "down", "--to", "0", "--timeout", bad_timeout[i], "--db", db,
                 "-m", shop);
        snprintf(want, sizeof want, "smc: invalid --timeout '%s' (whole seconds, 1 to 86400)\n%s",
                 bad_timeout[i], down_usage);
        expect_out(rc, 2, want);
    }
    rc = SMC(NULL, "migrate", "status", "--db", db, "--timeout", "1", "-m", shop);
    expect_prefix(rc, 2, "smc: unknown or misplaced option '--timeout'\n");
    /* No snapshot to name the module: --module does. */
    char dir[512];
    snprintf(dir, sizeof dir, "%s/m", tmp);
    copy_tree(fixture("bad/missing"), dir);
    snprintf(want, sizeof want, "%s/schema.snapshot", dir);
    assert_int_equal(remove(want), 0);
    snprintf(want, sizeof want, "%s/0001_create_items/mysql.down.sql", dir);
    FILE *f = fopen(want, "w");
    assert_non_null(f);
    fputs("DROP TABLE items;\n", f);
    fclose(f);
    rc = SMC(NULL, "migrate", "status", "--db", db, "-m", dir);
    snprintf(want, sizeof want,
             "smc: cannot tell the module from %s/schema.snapshot (it names the module the "
             "migrations belong to); give --module NAME\n",
             dir);
    const char *said = strstr(out, "smc: cannot tell");
    if (!said || strcmp(said, strstr(want, "smc: cannot tell")) != 0 || rc != 1)
        fail_msg("exit %d, output:\n%s\nwant it to end in:\n%s", rc, out, want);
    rc = SMC(NULL, "migrate", "status", "--db", db, "-m", dir, "--module", "other");
    expect_out(rc, 0, "module other: nothing applied, 1 pending\n0001_create_items  pending\n");
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    assert_int_equal(system(cmd), 0);
}

/* A copy of shop/migrations in a new temporary directory: tmp/m. */
static void shop_copy(char *tmp, char *dir, size_t n)
{
    assert_non_null(mkdtemp(tmp));
    snprintf(dir, n, "%s/m", tmp);
    copy_tree(fixture("shop/migrations"), dir);
}

static void put_file(const char *dir, const char *rel, const char *mode, const char *text)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    FILE *f = fopen(path, mode);
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* sm_migrations_read of dir fails with exactly the message want (%s: dir). */
static void expect_read_error(const char *dir, const char *want_fmt)
{
    sm_cx cx;
    sm_cx_init(&cx);
    sm_arena a = SM_ARENA_INIT;
    sm_migration_set set;
    char want[2048];
    snprintf(want, sizeof want, want_fmt, dir, dir);
    assert_int_equal(sm_migrations_read(&cx, dir, &a, &set), SM_MIGRATION);
    assert_string_equal(sm_cx_errmsg(&cx), want);
    assert_null(set.items);
    sm_arena_free(&a);
    sm_cx_free(&cx);
}

static void rm_tree(const char *tmp)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    assert_int_equal(system(cmd), 0);
}

/* What the reader refuses in a directory and in sums, each named. */
static void test_reader(void **state)
{
    (void)state;
    char tmp[] = "/tmp/smdl_migrate_XXXXXX", dir[600];
    shop_copy(tmp, dir, sizeof dir);
    sm_cx cx;
    sm_cx_init(&cx);
    sm_arena a = SM_ARENA_INIT;
    sm_migration_set set;
    assert_int_equal(sm_migrations_read(&cx, dir, &a, &set), SM_OK);
    assert_int_equal(set.len, 3);
    assert_int_equal(set.items[2]->version, 3);
    assert_string_equal(set.items[2]->name, "create_tags");
    assert_null(set.module);
    assert_int_equal(set.nfiles, 1 + 3 * 6);
    sm_arena_free(&a);
    sm_cx_free(&cx);
    /* sums: a line twice (another missing), a malformed line, an unknown
     * file, a missing line. */
    char sums[4096], first[256];
    const char *sums_file = slurp(fixture("shop/migrations/sums"));
    assert_true(strlen(sums_file) < sizeof sums);
    memcpy(sums, sums_file, strlen(sums_file) + 1);
    char *second = strchr(sums, '\n');
    assert_non_null(second);
    second++;
    assert_true((size_t)(second - sums) < sizeof first);
    memcpy(first, sums, (size_t)(second - sums));
    first[second - sums] = 0;
    char *rest = strchr(second, '\n');
    assert_non_null(rest);
    rest++;
    char text[8192];
    snprintf(text, sizeof text, "%s%s%s", first, first, rest);
    put_file(dir, "sums", "w", text);
    expect_read_error(dir, "%s/sums:2: 0001_create_items/sqlite.up.sql is listed twice");
    snprintf(text, sizeof text, "%s0001_create_items/sqlite.down.sql 12\n%s", first, rest);
    put_file(dir, "sums", "w", text);
    expect_read_error(dir, "%s/sums:2: expected 'NNNN_name/<file>.sql <16 lowercase hex digits>'");
    snprintf(text, sizeof text, "%s0001_create_items/sqlite.side.sql 0123456789abcdef\n%s", first,
             rest);
    put_file(dir, "sums", "w", text);
    expect_read_error(dir, "%s/sums:2: 0001_create_items/sqlite.side.sql is not a migration file "
                           "here");
    snprintf(text, sizeof text, "%s%s", first, rest);
    put_file(dir, "sums", "w", text);
    expect_read_error(dir, "%s/sums lists 17 files, the migrations have 18: every migration file "
                           "needs its line (once)");
    /* Without sums: an unexpected file, a second version 0002, a marker
     * where it means nothing. */
    char path[700];
    snprintf(path, sizeof path, "%s/sums", dir);
    assert_int_equal(remove(path), 0);
    put_file(dir, "0002_add_price/notes.txt", "w", "why\n");
    expect_read_error(dir, "%s/0002_add_price/notes.txt: unexpected file in migration "
                           "0002_add_price (expected only <database>.up.sql and "
                           "<database>.down.sql)");
    snprintf(path, sizeof path, "%s/0002_add_price/notes.txt", dir);
    assert_int_equal(remove(path), 0);
    put_file(dir, "0002_add_price/postgres.up.sql", "w",
             "-- smdl: foreign_keys=off\nSELECT 1;\n");
    expect_read_error(dir, "%s/0002_add_price/postgres.up.sql: the marker '-- smdl: "
                           "foreign_keys=off' means nothing to postgres");
    put_file(dir, "0002_add_price/postgres.up.sql", "w", "SELECT 1;\n-- done\n COMMIT;\n");
    expect_read_error(dir, "%s/0002_add_price/postgres.up.sql: transaction control (BEGIN, "
                           "COMMIT, ROLLBACK, SAVEPOINT ...) is the runner's: each migration "
                           "runs in one transaction where the database allows it");
    put_file(dir, "0002_add_price/postgres.up.sql", "w", "SELECT 1;\n");
    char cmd[1600];
    snprintf(cmd, sizeof cmd, "cp -R '%s/0002_add_price' '%s/0002_again'", dir, dir);
    assert_int_equal(system(cmd), 0);
    expect_read_error(dir, "%s: two migrations have version 0002: 0002_add_price and 0002_again");
    rm_tree(tmp);
}

/* The depfile names the migrations directory and every file read. */
static void test_depfile(void **state)
{
    (void)state;
    char tmp[] = "/tmp/smdl_migrate_XXXXXX", dep[600], want[8192];
    assert_non_null(mkdtemp(tmp));
    snprintf(dep, sizeof dep, "%s/shop.d", tmp);
    int rc = SMC(NULL, fixture("shop/shop.smdl"), "-o", tmp, "--depfile", dep);
    expect_out(rc, 0, "");
    const char *m = fixture("shop/migrations");
    size_t len = (size_t)snprintf(want, sizeof want, "%s/shop.c %s/shop.h: %s \\\n  %s \\\n  %s/sums",
                                  tmp, tmp, fixture("shop/shop.smdl"), m, m);
    const char *names[] = {"0001_create_items", "0002_add_price", "0003_create_tags"};
    const char *files[] = {"sqlite.up.sql",   "sqlite.down.sql", "postgres.up.sql",
                           "postgres.down.sql", "mysql.up.sql",  "mysql.down.sql"};
    for (int i = 0; i < 3; i++)
        for (int k = 0; k < 6; k++)
            len += (size_t)snprintf(want + len, sizeof want - len, " \\\n  %s/%s/%s", m, names[i],
                                    files[k]);
    snprintf(want + len, sizeof want - len, "\n");
    assert_string_equal(slurp(dep), want);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_input),   cmocka_unit_test(test_reader),
        cmocka_unit_test(test_depfile),
        cmocka_unit_test(test_cycle),       cmocka_unit_test(test_changed),
        cmocka_unit_test(test_two_at_once), cmocka_unit_test(test_failing),
        cmocka_unit_test(test_fk_off),      cmocka_unit_test(test_generated),
    };
    return tdb_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
