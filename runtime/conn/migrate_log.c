/*
 * migrate_log.c: the table smdl_migrations, where the runner records
 * what it applied (docs/migrations.md, "The tracking table"), and
 * sm_migrate_status, which reads it.  The SQL is the same on every
 * database: plain types, "?" placeholders, no quoting needed.
 */
#include "migrate.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const char table_sql[] =
    "CREATE TABLE IF NOT EXISTS smdl_migrations ("
    "module VARCHAR(255) NOT NULL, "
    "version BIGINT NOT NULL, "
    "name VARCHAR(255) NOT NULL, "
    "checksum VARCHAR(16) NOT NULL, "
    "applied_at VARCHAR(32) NOT NULL, "
    "duration_ms BIGINT NOT NULL, "
    "state VARCHAR(16) NOT NULL, "
    "reason TEXT, "
    "PRIMARY KEY (module, version))";

int sm_mig_create_table(sm_cx *cx, sm_conn *conn)
{
    return sm_exec(cx, conn, table_sql, NULL, 0, NULL);
}

void sm_mig_sum_text(uint64_t sum, char out[17])
{
    snprintf(out, 17, "%016" PRIx64, sum);
}

static char *copy_col(sm_arena *a, sm_rows *r, int col, bool *ok)
{
    const char *s = sm_rows_text(r, col);
    if (!s)
        return NULL;
    char *c = sm_arena_strndup(a, s, strlen(s));
    if (!c)
        *ok = false;
    return c;
}

int sm_mig_read_log(sm_cx *cx, sm_conn *conn, const char *module, bool missing_ok,
                    sm_arena *arena, sm_mig_row **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    sm_rows *r = NULL;
    sm_value p = sm_text(module);
    int rc = sm_query(cx, conn,
                      "SELECT version, name, checksum, state, applied_at, duration_ms, reason "
                      "FROM smdl_migrations WHERE module = ? ORDER BY version",
                      &p, 1, &r);
    if (rc != SM_OK) {
        /* No table yet: nothing was ever applied.  A lost connection or
         * a stopped cx is not that. */
        if (missing_ok && rc == SM_ERROR) {
            sm_cx_clear(cx);
            return SM_OK;
        }
        return rc;
    }
    size_t cap = 0;
    bool ok = true;
    while (ok && (rc = sm_rows_next(r)) == SM_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            sm_mig_row *grown = sm_arena_alloc(arena, cap * sizeof *grown);
            if (!grown) {
                ok = false;
                break;
            }
            if (*n)
                memcpy(grown, *out, *n * sizeof *grown);
            *out = grown;
        }
        sm_mig_row *row = &(*out)[(*n)++];
        row->version = sm_rows_int(r, 0);
        row->name = copy_col(arena, r, 1, &ok);
        row->checksum = copy_col(arena, r, 2, &ok);
        row->state = copy_col(arena, r, 3, &ok);
        row->applied_at = copy_col(arena, r, 4, &ok);
        row->duration_ms = sm_rows_int(r, 5);
        row->reason = copy_col(arena, r, 6, &ok);
        if (!row->name || !row->checksum || !row->state)
            ok = false;
    }
    sm_rows_close(r);
    if (!ok)
        return sm_cx_fail(cx, SM_NOMEM, "out of memory reading smdl_migrations");
    return rc == SM_DONE ? SM_OK : rc;
}

int sm_mig_insert(sm_cx *cx, sm_conn *conn, const char *module, const sm_migration *m,
                  const char *state, int64_t duration_ms, const char *reason)
{
    char sum[17], at[SM_DATETIME_BUFSZ];
    sm_mig_sum_text(m->checksum[conn->dialect], sum);
    sm_datetime_format(sm_datetime_now(), SM_DT_SQL, at);
    sm_value p[] = {sm_text(module), sm_int(m->version), sm_text(m->name), sm_text(sum),
                    sm_text(at), sm_int(duration_ms), sm_text(state), sm_text(reason)};
    return sm_exec(cx, conn,
                   "INSERT INTO smdl_migrations (module, version, name, checksum, applied_at, "
                   "duration_ms, state, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                   p, 8, NULL);
}

int sm_mig_update(sm_cx *cx, sm_conn *conn, const char *module, uint32_t version,
                  const char *state, int64_t duration_ms, const char *reason)
{
    char at[SM_DATETIME_BUFSZ];
    sm_datetime_format(sm_datetime_now(), SM_DT_SQL, at);
    sm_value p[] = {sm_text(state), sm_text(at), sm_int(duration_ms), sm_text(reason),
                    sm_text(module), sm_int(version)};
    return sm_exec(cx, conn,
                   "UPDATE smdl_migrations SET state = ?, applied_at = ?, duration_ms = ?, "
                   "reason = ? WHERE module = ? AND version = ?",
                   p, 6, NULL);
}

int sm_mig_delete(sm_cx *cx, sm_conn *conn, const char *module, uint32_t version)
{
    sm_value p[] = {sm_text(module), sm_int(version)};
    return sm_exec(cx, conn, "DELETE FROM smdl_migrations WHERE module = ? AND version = ?", p,
                   2, NULL);
}

int sm_mig_recorded(sm_cx *cx, sm_conn *conn, const char *module, uint32_t version, bool *yes)
{
    sm_value p[] = {sm_text(module), sm_int(version)};
    sm_rows *r = NULL;
    int rc = sm_query(cx, conn,
                      "SELECT 1 FROM smdl_migrations WHERE module = ? AND version = ?", p, 2, &r);
    if (rc != SM_OK)
        return rc;
    rc = sm_rows_next(r);
    *yes = rc == SM_ROW;
    sm_rows_close(r);
    return rc == SM_ROW || rc == SM_DONE ? SM_OK : rc;
}

/* ---- sm_migrate_status --------------------------------------------------------------- */

const char *sm_migration_state_name(sm_migration_state s)
{
    switch (s) {
    case SM_MIG_PENDING:
        return "pending";
    case SM_MIG_APPLIED:
        return "applied";
    case SM_MIG_CHANGED:
        return "changed";
    case SM_MIG_FAILED:
        return "failed";
    case SM_MIG_UNKNOWN:
        return "unknown";
    }
    return "?";
}

/* The state of a recorded row against m (NULL: not in the set). */
static sm_migration_state row_state(const sm_conn *conn, const sm_mig_row *row,
                                    const sm_migration *m)
{
    if (strcmp(row->state, SM_MIG_STATE_APPLIED) != 0)
        return SM_MIG_FAILED;
    if (!m)
        return SM_MIG_UNKNOWN;
    char sum[17];
    sm_mig_sum_text(m->checksum[conn->dialect], sum);
    return strcmp(sum, row->checksum) == 0 && strcmp(m->name, row->name) == 0 ? SM_MIG_APPLIED
                                                                                : SM_MIG_CHANGED;
}

int sm_migrate_status(sm_cx *cx, sm_conn *conn, const sm_migration_set *set, sm_arena *arena,
                      sm_migration_status_list *out)
{
    if (out)
        memset(out, 0, sizeof *out);
    int rc = sm_mig_check_args(cx, conn, set, "sm_migrate_status");
    if (rc == SM_OK && (!arena || !out))
        rc = sm_null_arg(cx, "sm_migrate_status", NULL, !arena ? "arena" : "out");
    if (rc != SM_OK)
        return rc;
    sm_mig_row *rows;
    size_t nrows;
    if ((rc = sm_mig_read_log(cx, conn, set->module, true, arena, &rows, &nrows)) != SM_OK)
        return rc;
    size_t cap = set->len + nrows;
    sm_migration_status *items = cap ? sm_arena_zalloc(arena, cap * sizeof *items) : NULL;
    if (cap && !items)
        return sm_cx_fail(cx, SM_NOMEM, "out of memory in sm_migrate_status");
    size_t i = 0, j = 0, n = 0;
    /* Both lists ascend: merge them. */
    while (i < set->len || j < nrows) {
        const sm_migration *m = i < set->len ? set->items[i] : NULL;
        const sm_mig_row *row = j < nrows ? &rows[j] : NULL;
        sm_migration_status *st = &items[n++];
        if (row && (!m || row->version <= m->version)) {
            bool same = m && row->version == m->version;
            st->version = (uint32_t)row->version;
            st->name = same ? m->name : row->name;
            st->state = row_state(conn, row, same ? m : NULL);
            st->applied_at = row->applied_at;
            st->duration_ms = row->duration_ms;
            st->error = st->state == SM_MIG_FAILED ? row->reason : NULL;
            j++;
            i += same;
        } else {
            st->version = m->version;
            st->name = m->name;
            st->state = SM_MIG_PENDING;
            st->duration_ms = -1;
            i++;
        }
    }
    out->items = items;
    out->len = n;
    return SM_OK;
}
