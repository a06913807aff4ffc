/*
 * mysql_api.h: the libmariadb functions the MariaDB/MySQL driver calls, reached
 * through a table that mysql_api.c fills by dlopen and dlsym when the first
 * connection opens (client_api.h).  Included by mysql_priv.h after
 * <mysql.h>: inside libsmdl each name below is a macro for its slot, so
 * the driver's sources read as plain libmariadb calls.  A function the
 * driver calls and this file misses (in SM_MY_API or in the macros)
 * stays an undefined symbol, which fails the link of libsmdl.so
 * (--no-undefined); a macro without its entry in SM_MY_API fails the
 * compile.
 */
#ifndef SMDL_MYSQL_API_H
#define SMDL_MYSQL_API_H

#include <mysql.h>

#define SM_MY_API(X) \
    X(mariadb_get_infov) \
    X(mysql_close) \
    X(mysql_errno) \
    X(mysql_error) \
    X(mysql_fetch_fields) \
    X(mysql_fetch_lengths) \
    X(mysql_fetch_row) \
    X(mysql_field_count) \
    X(mysql_free_result) \
    X(mysql_get_client_version) \
    X(mysql_get_server_info) \
    X(mysql_get_socket) \
    X(mysql_get_ssl_cipher) \
    X(mysql_get_timeout_value_ms) \
    X(mysql_init) \
    X(mysql_more_results) \
    X(mysql_next_result_cont) \
    X(mysql_next_result_start) \
    X(mysql_num_fields) \
    X(mysql_options) \
    X(mysql_ping_cont) \
    X(mysql_ping_start) \
    X(mysql_real_connect_cont) \
    X(mysql_real_connect_start) \
    X(mysql_real_query_cont) \
    X(mysql_real_query_start) \
    X(mysql_server_init) \
    X(mysql_sqlstate) \
    X(mysql_stmt_affected_rows) \
    X(mysql_stmt_attr_set) \
    X(mysql_stmt_bind_param) \
    X(mysql_stmt_bind_result) \
    X(mysql_stmt_close) \
    X(mysql_stmt_errno) \
    X(mysql_stmt_error) \
    X(mysql_stmt_execute_cont) \
    X(mysql_stmt_execute_start) \
    X(mysql_stmt_fetch) \
    X(mysql_stmt_fetch_column) \
    X(mysql_stmt_fetch_cont) \
    X(mysql_stmt_fetch_start) \
    X(mysql_stmt_field_count) \
    X(mysql_stmt_free_result) \
    X(mysql_stmt_free_result_cont) \
    X(mysql_stmt_free_result_start) \
    X(mysql_stmt_init) \
    X(mysql_stmt_insert_id) \
    X(mysql_stmt_more_results) \
    X(mysql_stmt_next_result_cont) \
    X(mysql_stmt_next_result_start) \
    X(mysql_stmt_param_count) \
    X(mysql_stmt_prepare_cont) \
    X(mysql_stmt_prepare_start) \
    X(mysql_stmt_result_metadata) \
    X(mysql_stmt_sqlstate) \
    X(mysql_stmt_store_result_cont) \
    X(mysql_stmt_store_result_start) \
    X(mysql_store_result_cont) \
    X(mysql_store_result_start) \
    X(mysql_thread_id)

#define SM_MY_SLOT(name) __typeof__(name) *name;
typedef struct sm_my_fns {
    SM_MY_API(SM_MY_SLOT)
} sm_my_fns;
#undef SM_MY_SLOT

/* Filled once by sm_my_load (client_api.h), before any connection of
 * the driver exists; read-only after. */
extern sm_my_fns sm_my_api;

/* Only libsmdl's own sources call through the table (mysql_api.c, which
 * fills it, excepted); a test that includes this header calls libmariadb
 * itself. */
#if defined(SMDL_BUILDING) && !defined(SM_MY_API_FILL)
#define mariadb_get_infov (sm_my_api.mariadb_get_infov)
#define mysql_close (sm_my_api.mysql_close)
#define mysql_errno (sm_my_api.mysql_errno)
#define mysql_error (sm_my_api.mysql_error)
#define mysql_fetch_fields (sm_my_api.mysql_fetch_fields)
#define mysql_fetch_lengths (sm_my_api.mysql_fetch_lengths)
#define mysql_fetch_row (sm_my_api.mysql_fetch_row)
#define mysql_field_count (sm_my_api.mysql_field_count)
#define mysql_free_result (sm_my_api.mysql_free_result)
#define mysql_get_client_version (sm_my_api.mysql_get_client_version)
#define mysql_get_server_info (sm_my_api.mysql_get_server_info)
#define mysql_get_socket (sm_my_api.mysql_get_socket)
#define mysql_get_ssl_cipher (sm_my_api.mysql_get_ssl_cipher)
#define mysql_get_timeout_value_ms (sm_my_api.mysql_get_timeout_value_ms)
#define mysql_init (sm_my_api.mysql_init)
#define mysql_more_results (sm_my_api.mysql_more_results)
#define mysql_next_result_cont (sm_my_api.mysql_next_result_cont)
#define mysql_next_result_start (sm_my_api.mysql_next_result_start)
#define mysql_num_fields (sm_my_api.mysql_num_fields)
#define mysql_options (sm_my_api.mysql_options)
#define mysql_ping_cont (sm_my_api.mysql_ping_cont)
#define mysql_ping_start (sm_my_api.mysql_ping_start)
#define mysql_real_connect_cont (sm_my_api.mysql_real_connect_cont)
#define mysql_real_connect_start (sm_my_api.mysql_real_connect_start)
#define mysql_real_query_cont (sm_my_api.mysql_real_query_cont)
#define mysql_real_query_start (sm_my_api.mysql_real_query_start)
#define mysql_server_init (sm_my_api.mysql_server_init)
#define mysql_sqlstate (sm_my_api.mysql_sqlstate)
#define mysql_stmt_affected_rows (sm_my_api.mysql_stmt_affected_rows)
#define mysql_stmt_attr_set (sm_my_api.mysql_stmt_attr_set)
#define mysql_stmt_bind_param (sm_my_api.mysql_stmt_bind_param)
#define mysql_stmt_bind_result (sm_my_api.mysql_stmt_bind_result)
#define mysql_stmt_close (sm_my_api.mysql_stmt_close)
#define mysql_stmt_errno (sm_my_api.mysql_stmt_errno)
#define mysql_stmt_error (sm_my_api.mysql_stmt_error)
#define mysql_stmt_execute_cont (sm_my_api.mysql_stmt_execute_cont)
#define mysql_stmt_execute_start (sm_my_api.mysql_stmt_execute_start)
#define mysql_stmt_fetch (sm_my_api.mysql_stmt_fetch)
#define mysql_stmt_fetch_column (sm_my_api.mysql_stmt_fetch_column)
#define mysql_stmt_fetch_cont (sm_my_api.mysql_stmt_fetch_cont)
#define mysql_stmt_fetch_start (sm_my_api.mysql_stmt_fetch_start)
#define mysql_stmt_field_count (sm_my_api.mysql_stmt_field_count)
#define mysql_stmt_free_result (sm_my_api.mysql_stmt_free_result)
#define mysql_stmt_free_result_cont (sm_my_api.mysql_stmt_free_result_cont)
#define mysql_stmt_free_result_start (sm_my_api.mysql_stmt_free_result_start)
#define mysql_stmt_init (sm_my_api.mysql_stmt_init)
#define mysql_stmt_insert_id (sm_my_api.mysql_stmt_insert_id)
#define mysql_stmt_more_results (sm_my_api.mysql_stmt_more_results)
#define mysql_stmt_next_result_cont (sm_my_api.mysql_stmt_next_result_cont)
#define mysql_stmt_next_result_start (sm_my_api.mysql_stmt_next_result_start)
#define mysql_stmt_param_count (sm_my_api.mysql_stmt_param_count)
#define mysql_stmt_prepare_cont (sm_my_api.mysql_stmt_prepare_cont)
#define mysql_stmt_prepare_start (sm_my_api.mysql_stmt_prepare_start)
#define mysql_stmt_result_metadata (sm_my_api.mysql_stmt_result_metadata)
#define mysql_stmt_sqlstate (sm_my_api.mysql_stmt_sqlstate)
#define mysql_stmt_store_result_cont (sm_my_api.mysql_stmt_store_result_cont)
#define mysql_stmt_store_result_start (sm_my_api.mysql_stmt_store_result_start)
#define mysql_store_result_cont (sm_my_api.mysql_store_result_cont)
#define mysql_store_result_start (sm_my_api.mysql_store_result_start)
#define mysql_thread_id (sm_my_api.mysql_thread_id)
#endif

#endif
