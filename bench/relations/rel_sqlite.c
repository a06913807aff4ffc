/* The relations workload by hand over the sqlite3 C API: statements
 * prepared once (the IN statement once per key count) and reused. */
#include "rel_common.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The DDL smc emits for rel.smdl on SQLite. */
static const char SCHEMA[] =
    "DROP TABLE IF EXISTS \"hero\";"
    "DROP TABLE IF EXISTS \"team\";"
    "CREATE TABLE \"team\" (\"id\" INTEGER NOT NULL, \"name\" TEXT NOT NULL,"
    " \"headquarters\" TEXT NOT NULL, CONSTRAINT \"pk_team\" PRIMARY KEY (\"id\"),"
    " CONSTRAINT \"uq_team_name\" UNIQUE (\"name\"));"
    "CREATE TABLE \"hero\" (\"id\" INTEGER NOT NULL, \"name\" TEXT NOT NULL,"
    " \"secret_name\" TEXT NOT NULL, \"age\" INTEGER, \"team_id\" INTEGER,"
    " CONSTRAINT \"pk_hero\" PRIMARY KEY (\"id\"),"
    " CONSTRAINT \"fk_hero_team_id\" FOREIGN KEY (\"team_id\") REFERENCES \"team\" (\"id\"));"
    "CREATE INDEX \"ix_hero_name\" ON \"hero\" (\"name\");"
    "CREATE INDEX \"ix_hero_age\" ON \"hero\" (\"age\");"
    "CREATE INDEX \"ix_hero_team_id\" ON \"hero\" (\"team_id\");";

#define TEAM_COLS "t.\"id\", t.\"name\", t.\"headquarters\""
#define HERO_COLS "h.\"id\", h.\"name\", h.\"secret_name\", h.\"age\", h.\"team_id\""

typedef struct db {
    sqlite3 *conn;
    sqlite3_stmt *teams_join, *teams, *heroes_join, *heroes;
    sqlite3_stmt *heroes_of; /* IN (?, ...) with n_heroes_of keys */
    sqlite3_stmt *teams_of;  /* IN (?, ...) with n_teams_of keys */
    size_t n_heroes_of, n_teams_of;
    int64_t *ids; /* R2's distinct team ids */
    size_t ids_cap;
} db;

static void check(db *d, int rc, int want, const char *what)
{
    if (rc != want)
        wl_die("sqlite %s: %s", what, sqlite3_errmsg(d->conn));
}

static sqlite3_stmt *prepare(db *d, const char *sql)
{
    sqlite3_stmt *s;
    check(d, sqlite3_prepare_v3(d->conn, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL),
          SQLITE_OK, sql);
    return s;
}

static void exec(db *d, const char *sql)
{
    check(d, sqlite3_exec(d->conn, sql, NULL, NULL, NULL), SQLITE_OK, sql);
}

static void *sq_open(const char *path)
{
    db *d = wl_xcalloc(1, sizeof *d);
    /* NOMUTEX: one thread per connection, as libsmdl opens it. */
    if (sqlite3_open_v2(path, &d->conn,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK)
        wl_die("cannot open %s: %s", path, sqlite3_errmsg(d->conn));
    exec(d, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;");
    printf("# sqlite_version=%s\n", sqlite3_libversion());
    return d;
}

static void sq_close(void *p)
{
    db *d = p;
    sqlite3_stmt *all[] = {d->teams_join, d->teams, d->heroes_join, d->heroes, d->heroes_of,
                           d->teams_of};
    for (size_t k = 0; k < sizeof all / sizeof all[0]; k++)
        sqlite3_finalize(all[k]);
    sqlite3_close(d->conn);
    free(d->ids);
    free(d);
}

static void sq_create_schema(void *p) { exec(p, SCHEMA); }
static void sq_begin(void *p) { exec(p, "BEGIN"); }
static void sq_commit(void *p) { exec(p, "COMMIT"); }
static void sq_analyze(void *p) { exec(p, "ANALYZE"); }

static void sq_insert_team(void *p, int64_t id, const char *name, const char *hq)
{
    db *d = p;
    sqlite3_stmt *s = prepare(d, "INSERT INTO \"team\" (\"id\", \"name\", \"headquarters\")"
                                 " VALUES (?, ?, ?)");
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, hq, -1, SQLITE_STATIC);
    check(d, sqlite3_step(s), SQLITE_DONE, "insert team");
    sqlite3_finalize(s);
}

static void sq_insert_hero(void *p, const hero *h)
{
    db *d = p;
    sqlite3_stmt *s = prepare(d, "INSERT INTO \"hero\" (\"id\", \"name\", \"secret_name\","
                                 " \"age\", \"team_id\") VALUES (?, ?, ?, ?, ?)");
    sqlite3_bind_int64(s, 1, h->id);
    sqlite3_bind_text(s, 2, h->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, h->secret_name, -1, SQLITE_STATIC);
    if (h->has_age)
        sqlite3_bind_int(s, 4, h->age);
    if (h->has_team_id)
        sqlite3_bind_int64(s, 5, h->team_id);
    check(d, sqlite3_step(s), SQLITE_DONE, "insert hero");
    sqlite3_finalize(s);
}

static void sq_prepare(void *p)
{
    db *d = p;
    d->teams_join = prepare(d, "SELECT " TEAM_COLS ", " HERO_COLS " FROM \"team\" t"
                               " LEFT JOIN \"hero\" h ON h.\"team_id\" = t.\"id\""
                               " ORDER BY t.\"id\", h.\"id\"");
    d->teams = prepare(d, "SELECT " TEAM_COLS " FROM \"team\" t ORDER BY t.\"id\"");
    d->heroes_join = prepare(d, "SELECT " HERO_COLS ", " TEAM_COLS " FROM \"hero\" h"
                                " LEFT JOIN \"team\" t ON t.\"id\" = h.\"team_id\""
                                " ORDER BY h.\"id\" LIMIT ?");
    d->heroes = prepare(d, "SELECT " HERO_COLS " FROM \"hero\" h ORDER BY h.\"id\" LIMIT ?");
}

/* prefix "(?, ?, ...)" suffix for n keys, prepared once per n. */
static sqlite3_stmt *in_statement(db *d, sqlite3_stmt **cached, size_t *cached_n, size_t n,
                                  const char *prefix, const char *suffix)
{
    if (*cached && *cached_n == n)
        return *cached;
    sqlite3_finalize(*cached);
    size_t len = strlen(prefix) + 3 * n + strlen(suffix) + 2;
    char *sql = wl_xcalloc(1, len), *w = sql;
    w += sprintf(w, "%s", prefix);
    for (size_t k = 0; k < n; k++)
        w += sprintf(w, k ? ",?" : "?");
    sprintf(w, "%s", suffix);
    *cached = prepare(d, sql);
    *cached_n = n;
    free(sql);
    return *cached;
}

static char *text(rel_result *r, sqlite3_stmt *s, int col)
{
    return ra_strndup(&r->arena, (const char *)sqlite3_column_text(s, col),
                      (size_t)sqlite3_column_bytes(s, col));
}

static void read_team(rel_result *r, sqlite3_stmt *s, int col, rel_team *t)
{
    t->id = sqlite3_column_int64(s, col);
    t->name = text(r, s, col + 1);
    t->headquarters = text(r, s, col + 2);
}

static void read_hero(rel_result *r, sqlite3_stmt *s, int col, rel_hero *h)
{
    h->id = sqlite3_column_int64(s, col);
    h->name = text(r, s, col + 1);
    h->secret_name = text(r, s, col + 2);
    h->has_age = sqlite3_column_type(s, col + 3) != SQLITE_NULL;
    h->age = h->has_age ? sqlite3_column_int(s, col + 3) : 0;
    h->has_team_id = sqlite3_column_type(s, col + 4) != SQLITE_NULL;
    h->team_id = h->has_team_id ? sqlite3_column_int64(s, col + 4) : 0;
}

static void done(db *d, sqlite3_stmt *s, int rc)
{
    check(d, rc, SQLITE_DONE, sqlite3_sql(s));
    sqlite3_reset(s);
}

static void sq_teams_join(void *p, rel_result *r)
{
    db *d = p;
    sqlite3_stmt *s = d->teams_join;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        rel_team *t = rel_join_team(r, sqlite3_column_int64(s, 0));
        if (t)
            read_team(r, s, 0, t);
        if (sqlite3_column_type(s, 3) != SQLITE_NULL) /* a team without heroes */
            read_hero(r, s, 3, rel_join_hero(r));
    }
    done(d, s, rc);
    rel_finish_teams(r);
}

static void sq_teams_in(void *p, rel_result *r)
{
    db *d = p;
    sqlite3_stmt *s = d->teams;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        read_team(r, s, 0, rel_add_team(r));
    done(d, s, rc);
    if (r->nteams) {
        s = in_statement(d, &d->heroes_of, &d->n_heroes_of, r->nteams,
                         "SELECT " HERO_COLS " FROM \"hero\" h WHERE h.\"team_id\" IN (",
                         ") ORDER BY h.\"team_id\", h.\"id\"");
        for (size_t k = 0; k < r->nteams; k++)
            sqlite3_bind_int64(s, (int)k + 1, r->teams[k].id);
        while ((rc = sqlite3_step(s)) == SQLITE_ROW)
            read_hero(r, s, 0, rel_add_hero(r));
        done(d, s, rc);
    }
    rel_group_heroes(r);
}

static void sq_heroes_join(void *p, long n, rel_result *r)
{
    db *d = p;
    sqlite3_stmt *s = d->heroes_join;
    sqlite3_bind_int64(s, 1, n);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        rel_hero *h = rel_add_hero(r);
        read_hero(r, s, 0, h);
        if (sqlite3_column_type(s, 5) != SQLITE_NULL) {
            read_team(r, s, 5, rel_add_team(r));
            h->team_ix = r->nteams - 1;
        }
    }
    done(d, s, rc);
    rel_finish_heroes(r);
}

static void sq_heroes_in(void *p, long n, rel_result *r)
{
    db *d = p;
    sqlite3_stmt *s = d->heroes;
    sqlite3_bind_int64(s, 1, n);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        read_hero(r, s, 0, rel_add_hero(r));
    done(d, s, rc);
    if (d->ids_cap < r->nheroes)
        d->ids = wl_xrealloc(d->ids, (d->ids_cap = r->nheroes) * sizeof *d->ids);
    size_t nids = rel_distinct_team_ids(r, d->ids);
    if (nids) {
        s = in_statement(d, &d->teams_of, &d->n_teams_of, nids,
                         "SELECT " TEAM_COLS " FROM \"team\" t WHERE t.\"id\" IN (",
                         ") ORDER BY t.\"id\"");
        for (size_t k = 0; k < nids; k++)
            sqlite3_bind_int64(s, (int)k + 1, d->ids[k]);
        while ((rc = sqlite3_step(s)) == SQLITE_ROW)
            read_team(r, s, 0, rel_add_team(r));
        done(d, s, rc);
    }
    rel_link_teams(r);
}

static const rel_ops SQLITE_OPS = {
    .name = "sqlite",
    .default_conn = "/tmp/smc_bench/rel.sqlite",
    .open = sq_open,
    .close = sq_close,
    .create_schema = sq_create_schema,
    .begin = sq_begin,
    .commit = sq_commit,
    .insert_team = sq_insert_team,
    .insert_hero = sq_insert_hero,
    .analyze = sq_analyze,
    .prepare = sq_prepare,
    .teams_join = sq_teams_join,
    .teams_in = sq_teams_in,
    .heroes_join = sq_heroes_join,
    .heroes_in = sq_heroes_in,
};

int main(int argc, char **argv) { return rel_main(argc, argv, &SQLITE_OPS); }
