/*
 * migrate.c: the migration runner (docs/migrations.md).
 *
 * A run takes the named lock "smdl_migrations" (sm_conn_lock: an
 * advisory lock, GET_LOCK, or a lock file, per driver), creates the
 * tracking table when missing, reads what the module has applied and
 * refuses to start when that disagrees with the migrations given
 * (plan_check), then runs each migration:
 *
 *  - where DDL is transactional (sm_driver.tx_ddl): BEGIN, read the row
 *    of this version again (another runner, or one without a lock, may
 *    have applied it meanwhile), the script, the row, COMMIT; a failure
 *    rolls everything back and the database stays at the previous
 *    version.  A script marked foreign_keys=off runs with foreign keys
 *    off, switched before BEGIN (the switch does nothing inside a
 *    transaction), checked before COMMIT and restored after.
 *  - elsewhere DDL commits by itself: the row is written first as
 *    failed, the script runs, and the row becomes applied; a failure
 *    leaves the statements before it applied and the row failed, with
 *    the database's reason, and every later run refuses until someone
 *    repairs the database and the row (a crash in between leaves the
 *    same trace).
 */
#include "migrate.h"

#include <stdio.h>
#include <string.h>

#define MIG_LOCK "smdl_migrations"

int sm_mig_check_args(sm_cx *cx, sm_conn *conn, const sm_migration_set *set, const char *fn)
{
    if (!cx)
        return SM_MISUSE;
    if (!conn || !set)
        return sm_null_arg(cx, fn, NULL, !conn ? "conn" : "set");
    if (!set->module || !set->module[0])
        return sm_cx_fail(cx, SM_MISUSE, "%s: the set names no module", fn);
    if (set->len && !set->items)
        return sm_null_arg(cx, fn, NULL, "set->items");
    for (size_t i = 0; i < set->len; i++) {
        const sm_migration *m = set->items[i];
        if (!m || !m->name || m->version < 1 || m->version > 9999 ||
            (i && m->version <= set->items[i - 1]->version))
            return sm_cx_fail(cx, SM_MISUSE,
                              "%s: migration %zu of the set is not valid (versions ascend from "
                              "1 to 9999, each with a name)",
                              fn, i);
    }
    return SM_OK;
}

static const sm_migration *find(const sm_migration_set *set, int64_t version)
{
    size_t lo = 0, hi = set->len;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (set->items[mid]->version < version)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < set->len && set->items[lo]->version == version ? set->items[lo] : NULL;
}

/* ---- The library's calls on the connection ------------------------------------------ */

static int run_script(sm_cx *cx, sm_conn *conn, const char *sql)
{
    int rc = sm_call_begin(cx, conn, SM_CALL_ANY);
    if (rc != SM_OK)
        return rc;
    /* NULL: an empty file, embedded. */
    if (sql && !sm_sql_is_empty(conn->drv->sql, sql) &&
             (rc = sm_conn_check_ddl(cx, conn, sql)) == SM_OK)
        rc = sm_conn_ddl(cx, conn, sql);
    return sm_call_end(cx, conn, rc);
}

static int fk_enforce(sm_cx *cx, sm_conn *conn, bool on, bool *was)
{
    int rc = sm_call_begin(cx, conn, SM_CALL_ANY);
    if (rc != SM_OK)
        return rc;
    if (!conn->drv->fk_enforce)
        rc = sm_cx_fail(cx, SM_UNSUPPORTED, "%s has no foreign_keys=off for migrations",
                        conn->drv->name);
    else
        rc = conn->drv->fk_enforce(cx, conn, on, was);
    conn->session_dirty = true; /* a pool's release restores the session */
    return sm_call_end(cx, conn, rc);
}

static int fk_check(sm_cx *cx, sm_conn *conn)
{
    int rc = sm_call_begin(cx, conn, SM_CALL_ANY);
    if (rc != SM_OK)
        return rc;
    return sm_call_end(cx, conn, conn->drv->fk_check ? conn->drv->fk_check(cx, conn) : SM_OK);
}

/* Cleanup that must run after a failure, whatever the state of cx. */
static void undo(sm_conn *conn, int (*fn)(sm_cx *cx, sm_conn *conn))
{
    sm_cx tmp;
    sm_cleanup_cx_init(&tmp);
    fn(&tmp, conn);
    sm_cx_free(&tmp);
}

static int restore_fk(sm_cx *cx, sm_conn *conn)
{
    return fk_enforce(cx, conn, true, NULL);
}

/* ---- A run ------------------------------------------------------------------------- */

typedef struct run {
    sm_cx *cx;
    sm_conn *conn;
    const sm_migration_set *set;
    const char *fn;
    sm_arena arena;   /* the rows read */
    sm_mig_row *rows;
    size_t nrows;
    int64_t current;  /* the highest version applied */
    sm_buf why;       /* the database's reason of a failure */
} run;

static void keep_reason(run *r)
{
    sm_buf_reset(&r->why);
    sm_buf_puts(&r->why, sm_cx_errmsg(r->cx));
}

static void dirname_of(const sm_migration *m, char *out, size_t n)
{
    snprintf(out, n, "%04u_%s", (unsigned)m->version, m->name);
}

/* Refusals before anything runs; down: reverting to version `to`. */
static int plan_check(run *r, bool down, uint32_t to)
{
    const sm_migration_set *set = r->set;
    uint32_t last_known = set->len ? set->items[set->len - 1]->version : 0;
    const char *db = r->conn->drv->name;
    r->current = 0;
    for (size_t i = 0; i < r->nrows; i++) {
        const sm_mig_row *row = &r->rows[i];
        const sm_migration *m = find(set, row->version);
        r->current = row->version;
        if (strcmp(row->state, SM_MIG_STATE_APPLIED) != 0)
            return sm_cx_fail(r->cx, SM_MIGRATION,
                              "migration %04d_%s failed partway on %s and is recorded as failed "
                              "in smdl_migrations (%s); repair the database by hand and then the "
                              "row, as docs/migrations.md describes (\"Recovering from a failed "
                              "migration\"), before migrating again",
                              (int)row->version, row->name, db, row->reason ? row->reason : "");
        if (!m) {
            if (row->version < last_known || (down && row->version > to))
                return sm_cx_fail(r->cx, SM_MIGRATION,
                                  "migration %04d_%s is applied but is not among the "
                                  "migrations given%s",
                                  (int)row->version, row->name,
                                  down ? ": it cannot be reverted from here" : "");
            continue;
        }
        char sum[17], dn[256];
        sm_mig_sum_text(m->checksum[r->conn->dialect], sum);
        dirname_of(m, dn, sizeof dn);
        if (strcmp(m->name, row->name) != 0)
            return sm_cx_fail(r->cx, SM_MIGRATION,
                              "version %04d was applied as %04d_%s, but the migration with that "
                              "version is now %s",
                              (int)row->version, (int)row->version, row->name, dn);
        if (strcmp(sum, row->checksum) != 0)
            return sm_cx_fail(r->cx, SM_MIGRATION,
                              "migration %s was applied with checksum %s, but its %s.up.sql now "
                              "has %s: an applied migration must not change; put the change in "
                              "a new migration",
                              dn, row->checksum, db, sum);
    }
    if (down)
        return SM_OK;
    /* Pending migrations apply in order: none below an applied one. */
    for (size_t i = 0, j = 0; i < set->len; i++) {
        while (j < r->nrows && r->rows[j].version < set->items[i]->version)
            j++;
        bool applied = j < r->nrows && r->rows[j].version == set->items[i]->version;
        if (!applied && set->items[i]->version < r->current) {
            char dn[256];
            dirname_of(set->items[i], dn, sizeof dn);
            return sm_cx_fail(r->cx, SM_MIGRATION,
                              "migration %s is pending, but version %04d, a later one, is "
                              "already applied: migrations apply in order",
                              dn, (int)r->current);
        }
    }
    return SM_OK;
}

/* The failure of migration m (reverting when down), reported with the
 * database's reason kept in r->why. */
static int failed(run *r, const sm_migration *m, bool down, int rc)
{
    char dn[256];
    dirname_of(m, dn, sizeof dn);
    const char *db = r->conn->drv->name, *why = r->why.data ? r->why.data : "";
    int code = rc == SM_TIMEOUT || rc == SM_CANCELLED ? rc : SM_MIGRATION;
    if (r->conn->drv->tx_ddl)
        return sm_cx_fail(r->cx, code,
                          "%s migration %s failed on %s and was rolled back (the database stays "
                          "at version %04d): %s",
                          down ? "reverting" : "applying", dn, db, (int)r->current, why);
    return sm_cx_fail(r->cx, code,
                      "%s migration %s failed on %s, where each DDL statement commits by "
                      "itself: the statements before the failing one stay applied. It is "
                      "recorded as failed in smdl_migrations, and migrations are refused until "
                      "it is repaired by hand (docs/migrations.md, \"Recovering from a failed "
                      "migration\"): %s",
                      down ? "reverting" : "applying", dn, db, why);
}

static void progress(run *r, const sm_migration *m, bool down, int64_t t0)
{
    if (r->set->progress)
        r->set->progress(r->set->progress_ud, m, down, (sm_mono_ns() - t0) / 1000000);
}

/* One migration where DDL is transactional. */
static int step_tx(run *r, const sm_migration *m, bool down)
{
    sm_cx *cx = r->cx;
    sm_conn *conn = r->conn;
    const char *module = r->set->module;
    int d = conn->dialect;
    bool fk_off = m->flags[d] & (down ? SM_MIG_DOWN_FK_OFF : SM_MIG_UP_FK_OFF), was = false;
    int64_t t0 = sm_mono_ns();
    int rc = fk_off ? fk_enforce(cx, conn, false, &was) : SM_OK;
    bool began = false, recorded = false;
    if (rc == SM_OK && (rc = sm_begin(cx, conn)) == SM_OK)
        began = true;
    if (rc == SM_OK)
        rc = sm_mig_recorded(cx, conn, module, m->version, &recorded);
    if (rc == SM_OK && recorded == down) {
        rc = run_script(cx, conn, down ? m->down.text[d] : m->up.text[d]);
        if (rc == SM_OK && fk_off)
            rc = fk_check(cx, conn);
        if (rc == SM_OK)
            rc = down ? sm_mig_delete(cx, conn, module, m->version)
                      : sm_mig_insert(cx, conn, module, m, SM_MIG_STATE_APPLIED,
                                      (sm_mono_ns() - t0) / 1000000, NULL);
        if (rc == SM_OK && (rc = sm_commit(cx, conn)) == SM_OK)
            progress(r, m, down, t0);
        began = rc != SM_OK && sm_in_transaction(conn);
    } else if (rc == SM_OK) {
        /* Done by someone else meanwhile. */
        rc = sm_rollback(cx, conn);
        began = false;
    }
    if (rc != SM_OK)
        keep_reason(r);
    if (began)
        undo(conn, sm_rollback);
    if (fk_off && was)
        undo(conn, restore_fk);
    if (rc != SM_OK)
        return failed(r, m, down, rc);
    r->current = down ? 0 : m->version;
    return SM_OK;
}

/* One migration where DDL commits by itself: the row says "failed"
 * until the script has run to its end. */
static int step_autocommit(run *r, const sm_migration *m, bool down)
{
    sm_cx *cx = r->cx;
    sm_conn *conn = r->conn;
    const char *module = r->set->module;
    int d = conn->dialect;
    int64_t t0 = sm_mono_ns();
    const char *started = down ? "reverting; did not finish" : "applying; did not finish";
    int rc = down ? sm_mig_update(cx, conn, module, m->version, SM_MIG_STATE_FAILED, 0, started)
                  : sm_mig_insert(cx, conn, module, m, SM_MIG_STATE_FAILED, 0, started);
    if (rc != SM_OK)
        return rc; /* nothing ran */
    rc = run_script(cx, conn, down ? m->down.text[d] : m->up.text[d]);
    if (rc == SM_OK)
        rc = down ? sm_mig_delete(cx, conn, module, m->version)
                  : sm_mig_update(cx, conn, module, m->version, SM_MIG_STATE_APPLIED,
                                  (sm_mono_ns() - t0) / 1000000, NULL);
    if (rc == SM_OK) {
        r->current = down ? 0 : m->version;
        progress(r, m, down, t0);
        return SM_OK;
    }
    keep_reason(r);
    sm_cx tmp;
    sm_cleanup_cx_init(&tmp);
    sm_mig_update(&tmp, conn, module, m->version, SM_MIG_STATE_FAILED,
                  (sm_mono_ns() - t0) / 1000000, r->why.data ? r->why.data : "");
    sm_cx_free(&tmp);
    return failed(r, m, down, rc);
}

static int work(run *r, bool down, uint32_t to)
{
    int rc = sm_mig_create_table(r->cx, r->conn);
    if (rc == SM_OK)
        rc = sm_mig_read_log(r->cx, r->conn, r->set->module, false, &r->arena, &r->rows,
                             &r->nrows);
    if (rc == SM_OK)
        rc = plan_check(r, down, to);
    int (*step)(run *, const sm_migration *, bool) =
        r->conn->drv->tx_ddl ? step_tx : step_autocommit;
    if (!down) {
        for (size_t i = 0, j = 0; rc == SM_OK && i < r->set->len; i++) {
            const sm_migration *m = r->set->items[i];
            while (j < r->nrows && r->rows[j].version < m->version)
                j++;
            if (j == r->nrows || r->rows[j].version != m->version)
                rc = step(r, m, false);
        }
        return rc;
    }
    for (size_t k = r->nrows; rc == SM_OK && k-- > 0;) {
        if (r->rows[k].version <= to)
            break;
        /* The version below is where a failure leaves the database. */
        r->current = k ? r->rows[k - 1].version : 0;
        rc = step(r, find(r->set, r->rows[k].version), true);
        if (rc == SM_OK)
            r->current = k ? r->rows[k - 1].version : 0;
    }
    return rc;
}

static int migrate(sm_cx *cx, sm_conn *conn, const sm_migration_set *set, bool down, uint32_t to,
                   const char *fn)
{
    int rc = sm_mig_check_args(cx, conn, set, fn);
    if (rc != SM_OK)
        return rc;
    if (sm_in_transaction(conn))
        return sm_cx_fail(cx, SM_MISUSE,
                          "%s: a transaction is open; migrations run outside transactions (each "
                          "in its own where the database allows it)",
                          fn);
    if ((rc = sm_conn_lock(cx, conn, MIG_LOCK)) != SM_OK)
        return rc;
    run r = {cx, conn, set, fn, SM_ARENA_INIT, NULL, 0, 0, SM_BUF_INIT};
    rc = work(&r, down, to);
    sm_cx tmp;
    sm_cleanup_cx_init(&tmp);
    sm_conn_unlock(&tmp, conn, MIG_LOCK);
    sm_cx_free(&tmp);
    sm_arena_free(&r.arena);
    sm_buf_free(&r.why);
    return rc;
}

int sm_migrate_up(sm_cx *cx, sm_conn *conn, const sm_migration_set *set)
{
    return migrate(cx, conn, set, false, 0, "sm_migrate_up");
}

int sm_migrate_down(sm_cx *cx, sm_conn *conn, const sm_migration_set *set, uint32_t to)
{
    return migrate(cx, conn, set, true, to, "sm_migrate_down");
}

int sm_module_migrate(sm_cx *cx, sm_conn *conn, const sm_module *mod)
{
    if (!mod)
        return cx ? sm_null_arg(cx, "sm_module_migrate", NULL, "mod") : SM_MISUSE;
    sm_migration_set set = {mod->name, mod->migrations, mod->nmigrations, NULL, 0, NULL, NULL};
    return migrate(cx, conn, &set, false, 0, "sm_module_migrate");
}
