/*
 * sqlite_api.h: the libsqlite3 functions the SQLite driver calls, reached
 * through a table that sqlite_api.c fills by dlopen and dlsym when the first
 * connection opens (client_api.h).  Included by sqlite_priv.h after
 * <sqlite3.h>: inside libsmdl each name below is a macro for its slot, so
 * the driver's sources read as plain libsqlite3 calls.  A function the
 * driver calls and this file misses (in SM_SQ_API or in the macros)
 * stays an undefined symbol, which fails the link of libsmdl.so
 * (--no-undefined); a macro without its entry in SM_SQ_API fails the
 * compile.
 */
#ifndef SMDL_SQLITE_API_H
#define SMDL_SQLITE_API_H

#include <sqlite3.h>

#define SM_SQ_API(X) \
    X(sqlite3_bind_blob64) \
    X(sqlite3_bind_double) \
    X(sqlite3_bind_int64) \
    X(sqlite3_bind_null) \
    X(sqlite3_bind_parameter_count) \
    X(sqlite3_bind_text64) \
    X(sqlite3_busy_handler) \
    X(sqlite3_changes64) \
    X(sqlite3_close_v2) \
    X(sqlite3_column_blob) \
    X(sqlite3_column_bytes) \
    X(sqlite3_column_count) \
    X(sqlite3_column_decltype) \
    X(sqlite3_column_double) \
    X(sqlite3_column_int64) \
    X(sqlite3_column_name) \
    X(sqlite3_column_text) \
    X(sqlite3_column_type) \
    X(sqlite3_db_config) \
    X(sqlite3_db_filename) \
    X(sqlite3_db_readonly) \
    X(sqlite3_errcode) \
    X(sqlite3_errmsg) \
    X(sqlite3_errstr) \
    X(sqlite3_exec) \
    X(sqlite3_extended_result_codes) \
    X(sqlite3_finalize) \
    X(sqlite3_free) \
    X(sqlite3_get_autocommit) \
    X(sqlite3_interrupt) \
    X(sqlite3_last_insert_rowid) \
    X(sqlite3_mprintf) \
    X(sqlite3_open_v2) \
    X(sqlite3_prepare_v2) \
    X(sqlite3_prepare_v3) \
    X(sqlite3_progress_handler) \
    X(sqlite3_reset) \
    X(sqlite3_step) \
    X(sqlite3_total_changes64)

#define SM_SQ_SLOT(name) __typeof__(name) *name;
typedef struct sm_sq_fns {
    SM_SQ_API(SM_SQ_SLOT)
} sm_sq_fns;
#undef SM_SQ_SLOT

/* Filled once by sm_sq_load (client_api.h), before any connection of
 * the driver exists; read-only after. */
extern sm_sq_fns sm_sq_api;

/* Only libsmdl's own sources call through the table (sqlite_api.c, which
 * fills it, excepted); a test that includes this header calls libsqlite3
 * itself. */
#if defined(SMDL_BUILDING) && !defined(SM_SQ_API_FILL)
#define sqlite3_bind_blob64 (sm_sq_api.sqlite3_bind_blob64)
#define sqlite3_bind_double (sm_sq_api.sqlite3_bind_double)
#define sqlite3_bind_int64 (sm_sq_api.sqlite3_bind_int64)
#define sqlite3_bind_null (sm_sq_api.sqlite3_bind_null)
#define sqlite3_bind_parameter_count (sm_sq_api.sqlite3_bind_parameter_count)
#define sqlite3_bind_text64 (sm_sq_api.sqlite3_bind_text64)
#define sqlite3_busy_handler (sm_sq_api.sqlite3_busy_handler)
#define sqlite3_changes64 (sm_sq_api.sqlite3_changes64)
#define sqlite3_close_v2 (sm_sq_api.sqlite3_close_v2)
#define sqlite3_column_blob (sm_sq_api.sqlite3_column_blob)
#define sqlite3_column_bytes (sm_sq_api.sqlite3_column_bytes)
#define sqlite3_column_count (sm_sq_api.sqlite3_column_count)
#define sqlite3_column_decltype (sm_sq_api.sqlite3_column_decltype)
#define sqlite3_column_double (sm_sq_api.sqlite3_column_double)
#define sqlite3_column_int64 (sm_sq_api.sqlite3_column_int64)
#define sqlite3_column_name (sm_sq_api.sqlite3_column_name)
#define sqlite3_column_text (sm_sq_api.sqlite3_column_text)
#define sqlite3_column_type (sm_sq_api.sqlite3_column_type)
#define sqlite3_db_config (sm_sq_api.sqlite3_db_config)
#define sqlite3_db_filename (sm_sq_api.sqlite3_db_filename)
#define sqlite3_db_readonly (sm_sq_api.sqlite3_db_readonly)
#define sqlite3_errcode (sm_sq_api.sqlite3_errcode)
#define sqlite3_errmsg (sm_sq_api.sqlite3_errmsg)
#define sqlite3_errstr (sm_sq_api.sqlite3_errstr)
#define sqlite3_exec (sm_sq_api.sqlite3_exec)
#define sqlite3_extended_result_codes (sm_sq_api.sqlite3_extended_result_codes)
#define sqlite3_finalize (sm_sq_api.sqlite3_finalize)
#define sqlite3_free (sm_sq_api.sqlite3_free)
#define sqlite3_get_autocommit (sm_sq_api.sqlite3_get_autocommit)
#define sqlite3_interrupt (sm_sq_api.sqlite3_interrupt)
#define sqlite3_last_insert_rowid (sm_sq_api.sqlite3_last_insert_rowid)
#define sqlite3_mprintf (sm_sq_api.sqlite3_mprintf)
#define sqlite3_open_v2 (sm_sq_api.sqlite3_open_v2)
#define sqlite3_prepare_v2 (sm_sq_api.sqlite3_prepare_v2)
#define sqlite3_prepare_v3 (sm_sq_api.sqlite3_prepare_v3)
#define sqlite3_progress_handler (sm_sq_api.sqlite3_progress_handler)
#define sqlite3_reset (sm_sq_api.sqlite3_reset)
#define sqlite3_step (sm_sq_api.sqlite3_step)
#define sqlite3_total_changes64 (sm_sq_api.sqlite3_total_changes64)
#endif

#endif
