/*
 * migrate.h: what the runner's files share (migrate.c runs migrations,
 * migrate_log.c keeps smdl_migrations).
 */
#ifndef SMDL_MIGRATE_H
#define SMDL_MIGRATE_H

#include "internal.h"

/* smdl_migrations.state: applied, or started and not finished (a
 * database whose DDL commits by itself failed partway, or the process
 * died). */
#define SM_MIG_STATE_APPLIED "applied"
#define SM_MIG_STATE_FAILED "failed"

/* A row of smdl_migrations (strings in the caller's arena). */
typedef struct sm_mig_row {
    int64_t version;
    const char *name, *checksum, *state, *applied_at, *reason;
    int64_t duration_ms;
} sm_mig_row;

/* SM_MISUSE unless cx, conn and set are given and set's versions ascend
 * from 1 to 9999 with a name each. */
int sm_mig_check_args(sm_cx *cx, sm_conn *conn, const sm_migration_set *set, const char *fn);
/* "%016x" of a checksum. */
void sm_mig_sum_text(uint64_t sum, char out[17]);

int sm_mig_create_table(sm_cx *cx, sm_conn *conn);
/* The rows of module in ascending versions; missing_ok: a table that
 * cannot be read is taken as empty (it does not exist yet). */
int sm_mig_read_log(sm_cx *cx, sm_conn *conn, const char *module, bool missing_ok,
                    sm_arena *arena, sm_mig_row **out, size_t *n);
/* Is (module, version) recorded? */
int sm_mig_recorded(sm_cx *cx, sm_conn *conn, const char *module, uint32_t version, bool *yes);
/* Records m (the checksum of conn's dialect), stamped now. */
int sm_mig_insert(sm_cx *cx, sm_conn *conn, const char *module, const sm_migration *m,
                  const char *state, int64_t duration_ms, const char *reason);
int sm_mig_update(sm_cx *cx, sm_conn *conn, const char *module, uint32_t version,
                  const char *state, int64_t duration_ms, const char *reason);
int sm_mig_delete(sm_cx *cx, sm_conn *conn, const char *module, uint32_t version);

#endif
