/* The relations workload by hand over libmariadb: server-side prepared
 * statements (binary protocol), prepared once (the IN statement once per
 * key count), results bound to fixed buffers and copied out. */
#include "mariadb_conn.h"
#include "rel_common.h"

#include <mysql.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The DDL smc emits for rel.smdl on MySQL/MariaDB, one statement at a time. */
static const char *const SCHEMA[] = {
    "SET FOREIGN_KEY_CHECKS = 0",
    "DROP TABLE IF EXISTS `hero`",
    "DROP TABLE IF EXISTS `team`",
    "SET FOREIGN_KEY_CHECKS = 1",
    "CREATE TABLE `team` (`id` BIGINT AUTO_INCREMENT NOT NULL,"
    " `name` VARCHAR(255) NOT NULL, `headquarters` VARCHAR(255) NOT NULL,"
    " PRIMARY KEY (`id`), CONSTRAINT `uq_team_name` UNIQUE (`name`))"
    " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin",
    "CREATE TABLE `hero` (`id` BIGINT AUTO_INCREMENT NOT NULL,"
    " `name` VARCHAR(255) NOT NULL, `secret_name` VARCHAR(255) NOT NULL,"
    " `age` INT, `team_id` BIGINT, PRIMARY KEY (`id`),"
    " CONSTRAINT `fk_hero_team_id` FOREIGN KEY (`team_id`) REFERENCES `team` (`id`),"
    " INDEX `ix_hero_name` (`name`), INDEX `ix_hero_age` (`age`),"
    " INDEX `ix_hero_team_id` (`team_id`))"
    " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin",
};

#define TEAM_COLS "t.`id`, t.`name`, t.`headquarters`"
#define HERO_COLS "h.`id`, h.`name`, h.`secret_name`, h.`age`, h.`team_id`"
#define TEXT_MAX 1024 /* VARCHAR(255) of utf8mb4 always fits */

/* Result buffers: a team's columns and a hero's. */
typedef struct row_buffers {
    MYSQL_BIND team[3], hero[5];
    long long team_id, hero_id, hero_team_id;
    int age;
    char team_name[TEXT_MAX], hq[TEXT_MAX], hero_name[TEXT_MAX], secret[TEXT_MAX];
    unsigned long team_name_len, hq_len, hero_name_len, secret_len;
    my_bool team_null, hero_null, age_null, hero_team_null;
} row_buffers;

typedef struct db {
    MYSQL *conn;
    MYSQL_STMT *teams_join, *teams, *heroes_join, *heroes;
    MYSQL_STMT *heroes_of, *teams_of; /* IN (?, ...), prepared per key count */
    size_t n_heroes_of, n_teams_of;
    row_buffers row;
    MYSQL_BIND *keys; /* parameters of the IN statements */
    long long *key_values;
    size_t keys_cap;
    int64_t *ids;
    size_t ids_cap;
} db;

static void die_conn(db *d, const char *what) { wl_die("mariadb %s: %s", what, mysql_error(d->conn)); }

static void die_stmt(MYSQL_STMT *s, const char *what)
{
    wl_die("mariadb %s: %s", what, mysql_stmt_error(s));
}

static void query(db *d, const char *sql)
{
    if (mysql_query(d->conn, sql) != 0)
        die_conn(d, sql);
}

static void bind_column(MYSQL_BIND *b, enum enum_field_types type, void *buf,
                        unsigned long size, unsigned long *len, my_bool *is_null)
{
    b->buffer_type = type;
    b->buffer = buf;
    b->buffer_length = size;
    b->length = len;
    b->is_null = is_null;
}

static void init_row(row_buffers *r)
{
    memset(r, 0, sizeof *r);
    bind_column(&r->team[0], MYSQL_TYPE_LONGLONG, &r->team_id, 0, NULL, &r->team_null);
    bind_column(&r->team[1], MYSQL_TYPE_STRING, r->team_name, TEXT_MAX, &r->team_name_len, NULL);
    bind_column(&r->team[2], MYSQL_TYPE_STRING, r->hq, TEXT_MAX, &r->hq_len, NULL);
    bind_column(&r->hero[0], MYSQL_TYPE_LONGLONG, &r->hero_id, 0, NULL, &r->hero_null);
    bind_column(&r->hero[1], MYSQL_TYPE_STRING, r->hero_name, TEXT_MAX, &r->hero_name_len, NULL);
    bind_column(&r->hero[2], MYSQL_TYPE_STRING, r->secret, TEXT_MAX, &r->secret_len, NULL);
    bind_column(&r->hero[3], MYSQL_TYPE_LONG, &r->age, 0, NULL, &r->age_null);
    bind_column(&r->hero[4], MYSQL_TYPE_LONGLONG, &r->hero_team_id, 0, NULL, &r->hero_team_null);
}

/* Prepares sql and binds its result columns: the team's and/or the
 * hero's buffers, in the order the columns come. */
static MYSQL_STMT *prepare(db *d, const char *sql, bool team_first, bool team, bool hero)
{
    MYSQL_STMT *s = mysql_stmt_init(d->conn);
    if (!s || mysql_stmt_prepare(s, sql, strlen(sql)) != 0)
        die_conn(d, sql);
    MYSQL_BIND cols[8];
    size_t n = 0;
    if (team && team_first)
        for (int k = 0; k < 3; k++)
            cols[n++] = d->row.team[k];
    if (hero)
        for (int k = 0; k < 5; k++)
            cols[n++] = d->row.hero[k];
    if (team && !team_first)
        for (int k = 0; k < 3; k++)
            cols[n++] = d->row.team[k];
    if (mysql_stmt_bind_result(s, cols) != 0)
        die_stmt(s, "bind_result");
    return s;
}

static void *my_open(const char *conn)
{
    mariadb_conn p = mariadb_parse_conn(conn);
    db *d = wl_xcalloc(1, sizeof *d);
    d->conn = mysql_init(NULL);
    if (!d->conn || !mysql_real_connect(d->conn, p.host, p.user, p.password, p.dbname, p.port,
                                        NULL, CLIENT_FOUND_ROWS))
        die_conn(d, "connect");
    init_row(&d->row);
    printf("# server_version=%s client_version=%s\n", mysql_get_server_info(d->conn),
           mysql_get_client_info());
    return d;
}

static void my_close(void *p)
{
    db *d = p;
    MYSQL_STMT *all[] = {d->teams_join, d->teams, d->heroes_join, d->heroes, d->heroes_of,
                         d->teams_of};
    for (size_t k = 0; k < sizeof all / sizeof all[0]; k++)
        if (all[k])
            mysql_stmt_close(all[k]);
    mysql_close(d->conn);
    free(d->keys);
    free(d->key_values);
    free(d->ids);
    free(d);
}

static void my_create_schema(void *p)
{
    for (size_t k = 0; k < sizeof SCHEMA / sizeof SCHEMA[0]; k++)
        query(p, SCHEMA[k]);
}

static void my_begin(void *p) { query(p, "START TRANSACTION"); }

static void my_commit(void *p)
{
    db *d = p;
    if (mysql_commit(d->conn) != 0)
        die_conn(d, "commit");
}

static void my_analyze(void *p)
{
    db *d = p;
    query(d, "ANALYZE TABLE `team`, `hero`");
    mysql_free_result(mysql_store_result(d->conn)); /* a status table */
}

/* Setup only: one statement per row, untimed. */
static void insert(db *d, const char *sql, MYSQL_BIND *params)
{
    MYSQL_STMT *s = mysql_stmt_init(d->conn);
    if (!s || mysql_stmt_prepare(s, sql, strlen(sql)) != 0)
        die_conn(d, sql);
    if (mysql_stmt_bind_param(s, params) != 0 || mysql_stmt_execute(s) != 0)
        die_stmt(s, sql);
    mysql_stmt_close(s);
}

static void bind_param(MYSQL_BIND *b, enum enum_field_types type, const void *v,
                       unsigned long *len, my_bool *is_null)
{
    b->buffer_type = type;
    b->buffer = (void *)v;
    b->buffer_length = len ? *len : 0;
    b->length = len;
    b->is_null = is_null;
}

static void my_insert_team(void *p, int64_t id, const char *name, const char *hq)
{
    MYSQL_BIND params[3];
    long long idv = id;
    unsigned long lens[] = {strlen(name), strlen(hq)};
    memset(params, 0, sizeof params);
    bind_param(&params[0], MYSQL_TYPE_LONGLONG, &idv, NULL, NULL);
    bind_param(&params[1], MYSQL_TYPE_STRING, name, &lens[0], NULL);
    bind_param(&params[2], MYSQL_TYPE_STRING, hq, &lens[1], NULL);
    insert(p, "INSERT INTO `team` (`id`, `name`, `headquarters`) VALUES (?, ?, ?)", params);
}

static void my_insert_hero(void *p, const hero *h)
{
    MYSQL_BIND params[5];
    long long id = h->id, age = h->age, team = h->team_id;
    my_bool age_null = !h->has_age, team_null = !h->has_team_id;
    unsigned long lens[] = {strlen(h->name), strlen(h->secret_name)};
    memset(params, 0, sizeof params);
    bind_param(&params[0], MYSQL_TYPE_LONGLONG, &id, NULL, NULL);
    bind_param(&params[1], MYSQL_TYPE_STRING, h->name, &lens[0], NULL);
    bind_param(&params[2], MYSQL_TYPE_STRING, h->secret_name, &lens[1], NULL);
    bind_param(&params[3], MYSQL_TYPE_LONGLONG, &age, NULL, &age_null);
    bind_param(&params[4], MYSQL_TYPE_LONGLONG, &team, NULL, &team_null);
    insert(p,
           "INSERT INTO `hero` (`id`, `name`, `secret_name`, `age`, `team_id`)"
           " VALUES (?, ?, ?, ?, ?)",
           params);
}

static void my_prepare(void *p)
{
    db *d = p;
    d->teams_join = prepare(d, "SELECT " TEAM_COLS ", " HERO_COLS " FROM `team` t"
                               " LEFT JOIN `hero` h ON h.`team_id` = t.`id`"
                               " ORDER BY t.`id`, h.`id`", true, true, true);
    d->teams = prepare(d, "SELECT " TEAM_COLS " FROM `team` t ORDER BY t.`id`", true, true,
                       false);
    d->heroes_join = prepare(d, "SELECT " HERO_COLS ", " TEAM_COLS " FROM `hero` h"
                                " LEFT JOIN `team` t ON t.`id` = h.`team_id`"
                                " ORDER BY h.`id` LIMIT ?", false, true, true);
    d->heroes = prepare(d, "SELECT " HERO_COLS " FROM `hero` h ORDER BY h.`id` LIMIT ?", false,
                        false, true);
}

/* prefix "?, ?, ..." suffix for n keys, prepared once per n. */
static MYSQL_STMT *in_statement(db *d, MYSQL_STMT **cached, size_t *cached_n, size_t n,
                                const char *prefix, const char *suffix, bool team, bool hero)
{
    if (*cached && *cached_n == n)
        return *cached;
    if (*cached)
        mysql_stmt_close(*cached);
    size_t len = strlen(prefix) + 3 * n + strlen(suffix) + 2;
    char *sql = wl_xcalloc(1, len), *w = sql;
    w += sprintf(w, "%s", prefix);
    for (size_t k = 0; k < n; k++)
        w += sprintf(w, k ? ",?" : "?");
    sprintf(w, "%s", suffix);
    *cached = prepare(d, sql, true, team, hero);
    *cached_n = n;
    free(sql);
    return *cached;
}

static void execute_keys(db *d, MYSQL_STMT *s, const int64_t *keys, size_t n)
{
    if (d->keys_cap < n) {
        d->keys = wl_xrealloc(d->keys, n * sizeof *d->keys);
        d->key_values = wl_xrealloc(d->key_values, n * sizeof *d->key_values);
        d->keys_cap = n;
    }
    memset(d->keys, 0, n * sizeof *d->keys);
    for (size_t k = 0; k < n; k++) {
        d->key_values[k] = keys[k];
        bind_param(&d->keys[k], MYSQL_TYPE_LONGLONG, &d->key_values[k], NULL, NULL);
    }
    if (mysql_stmt_bind_param(s, d->keys) != 0 || mysql_stmt_execute(s) != 0)
        die_stmt(s, "execute");
}

static void execute_limit(MYSQL_STMT *s, long n)
{
    MYSQL_BIND param;
    long long v = n;
    memset(&param, 0, sizeof param);
    bind_param(&param, MYSQL_TYPE_LONGLONG, &v, NULL, NULL);
    if (mysql_stmt_bind_param(s, &param) != 0 || mysql_stmt_execute(s) != 0)
        die_stmt(s, "execute");
}

static bool fetch(MYSQL_STMT *s)
{
    int rc = mysql_stmt_fetch(s);
    if (rc == MYSQL_NO_DATA)
        return false;
    if (rc != 0) /* MYSQL_DATA_TRUNCATED cannot happen (TEXT_MAX) */
        die_stmt(s, "fetch");
    return true;
}

static void copy_team(rel_result *r, const row_buffers *b, rel_team *t)
{
    t->id = b->team_id;
    t->name = ra_strndup(&r->arena, b->team_name, b->team_name_len);
    t->headquarters = ra_strndup(&r->arena, b->hq, b->hq_len);
}

static void copy_hero(rel_result *r, const row_buffers *b, rel_hero *h)
{
    h->id = b->hero_id;
    h->name = ra_strndup(&r->arena, b->hero_name, b->hero_name_len);
    h->secret_name = ra_strndup(&r->arena, b->secret, b->secret_len);
    h->has_age = !b->age_null;
    h->age = h->has_age ? b->age : 0;
    h->has_team_id = !b->hero_team_null;
    h->team_id = h->has_team_id ? b->hero_team_id : 0;
}

static void my_teams_join(void *p, rel_result *r)
{
    db *d = p;
    if (mysql_stmt_execute(d->teams_join) != 0)
        die_stmt(d->teams_join, "execute");
    while (fetch(d->teams_join)) {
        rel_team *t = rel_join_team(r, d->row.team_id);
        if (t)
            copy_team(r, &d->row, t);
        if (!d->row.hero_null) /* a team without heroes */
            copy_hero(r, &d->row, rel_join_hero(r));
    }
    rel_finish_teams(r);
}

static void grow_ids(db *d, size_t n)
{
    if (d->ids_cap < n)
        d->ids = wl_xrealloc(d->ids, (d->ids_cap = n) * sizeof *d->ids);
}

static void my_teams_in(void *p, rel_result *r)
{
    db *d = p;
    if (mysql_stmt_execute(d->teams) != 0)
        die_stmt(d->teams, "execute");
    while (fetch(d->teams))
        copy_team(r, &d->row, rel_add_team(r));
    if (r->nteams) {
        MYSQL_STMT *s = in_statement(d, &d->heroes_of, &d->n_heroes_of, r->nteams,
                                     "SELECT " HERO_COLS " FROM `hero` h WHERE h.`team_id` IN (",
                                     ") ORDER BY h.`team_id`, h.`id`", false, true);
        grow_ids(d, r->nteams);
        for (size_t k = 0; k < r->nteams; k++)
            d->ids[k] = r->teams[k].id;
        execute_keys(d, s, d->ids, r->nteams);
        while (fetch(s))
            copy_hero(r, &d->row, rel_add_hero(r));
    }
    rel_group_heroes(r);
}

static void my_heroes_join(void *p, long n, rel_result *r)
{
    db *d = p;
    execute_limit(d->heroes_join, n);
    while (fetch(d->heroes_join)) {
        rel_hero *h = rel_add_hero(r);
        copy_hero(r, &d->row, h);
        if (!d->row.team_null) {
            copy_team(r, &d->row, rel_add_team(r));
            h->team_ix = r->nteams - 1;
        }
    }
    rel_finish_heroes(r);
}

static void my_heroes_in(void *p, long n, rel_result *r)
{
    db *d = p;
    execute_limit(d->heroes, n);
    while (fetch(d->heroes))
        copy_hero(r, &d->row, rel_add_hero(r));
    grow_ids(d, r->nheroes);
    size_t nids = rel_distinct_team_ids(r, d->ids);
    if (nids) {
        MYSQL_STMT *s = in_statement(d, &d->teams_of, &d->n_teams_of, nids,
                                     "SELECT " TEAM_COLS " FROM `team` t WHERE t.`id` IN (",
                                     ") ORDER BY t.`id`", true, false);
        execute_keys(d, s, d->ids, nids);
        while (fetch(s))
            copy_team(r, &d->row, rel_add_team(r));
    }
    rel_link_teams(r);
}

static const rel_ops MARIADB_OPS = {
    .name = "mariadb",
    .default_conn = "host=127.0.0.1 port=3306 dbname=smcbench user=smcbench password=smcbench",
    .open = my_open,
    .close = my_close,
    .create_schema = my_create_schema,
    .begin = my_begin,
    .commit = my_commit,
    .insert_team = my_insert_team,
    .insert_hero = my_insert_hero,
    .analyze = my_analyze,
    .prepare = my_prepare,
    .teams_join = my_teams_join,
    .teams_in = my_teams_in,
    .heroes_join = my_heroes_join,
    .heroes_in = my_heroes_in,
};

int main(int argc, char **argv) { return rel_main(argc, argv, &MARIADB_OPS); }
