/*
 * pg_api.h: the libpq functions the PostgreSQL driver calls, reached
 * through a table that pg_api.c fills by dlopen and dlsym when the first
 * connection opens (client_api.h).  Included by pg_driver.h after
 * <libpq-fe.h>: inside libsmdl each name below is a macro for its slot, so
 * the driver's sources read as plain libpq calls.  A function the
 * driver calls and this file misses (in SM_PQ_API or in the macros)
 * stays an undefined symbol, which fails the link of libsmdl.so
 * (--no-undefined); a macro without its entry in SM_PQ_API fails the
 * compile.  The pipeline functions (PQenterPipelineMode, PQpipelineSync
 * ...) are listed for batched statements, so libpq 14 or later is needed.
 */
#ifndef SMDL_PG_API_H
#define SMDL_PG_API_H

#include <libpq-fe.h>

#define SM_PQ_API(X) \
    X(PQcancel) \
    X(PQclear) \
    X(PQcmdTuples) \
    X(PQconnectPoll) \
    X(PQconnectStartParams) \
    X(PQconninfoFree) \
    X(PQconninfoParse) \
    X(PQconsumeInput) \
    X(PQenterPipelineMode) \
    X(PQerrorMessage) \
    X(PQexitPipelineMode) \
    X(PQfinish) \
    X(PQflush) \
    X(PQfname) \
    X(PQfreeCancel) \
    X(PQfreemem) \
    X(PQftype) \
    X(PQgetCancel) \
    X(PQgetCopyData) \
    X(PQgetResult) \
    X(PQgetisnull) \
    X(PQgetlength) \
    X(PQgetvalue) \
    X(PQisBusy) \
    X(PQnfields) \
    X(PQntuples) \
    X(PQparameterStatus) \
    X(PQpipelineStatus) \
    X(PQpipelineSync) \
    X(PQputCopyEnd) \
    X(PQresStatus) \
    X(PQresultErrorField) \
    X(PQresultErrorMessage) \
    X(PQresultStatus) \
    X(PQsendPrepare) \
    X(PQsendQuery) \
    X(PQsendQueryParams) \
    X(PQsendQueryPrepared) \
    X(PQsetNoticeProcessor) \
    X(PQsetSingleRowMode) \
    X(PQsetnonblocking) \
    X(PQsocket) \
    X(PQstatus) \
    X(PQtransactionStatus)

#define SM_PQ_SLOT(name) __typeof__(name) *name;
typedef struct sm_pq_fns {
    SM_PQ_API(SM_PQ_SLOT)
} sm_pq_fns;
#undef SM_PQ_SLOT

/* Filled once by sm_pq_load (client_api.h), before any connection of
 * the driver exists; read-only after. */
extern sm_pq_fns sm_pq_api;

/* Only libsmdl's own sources call through the table (pg_api.c, which
 * fills it, excepted); a test that includes this header calls libpq
 * itself. */
#if defined(SMDL_BUILDING) && !defined(SM_PQ_API_FILL)
#define PQcancel (sm_pq_api.PQcancel)
#define PQclear (sm_pq_api.PQclear)
#define PQcmdTuples (sm_pq_api.PQcmdTuples)
#define PQconnectPoll (sm_pq_api.PQconnectPoll)
#define PQconnectStartParams (sm_pq_api.PQconnectStartParams)
#define PQconninfoFree (sm_pq_api.PQconninfoFree)
#define PQconninfoParse (sm_pq_api.PQconninfoParse)
#define PQconsumeInput (sm_pq_api.PQconsumeInput)
#define PQenterPipelineMode (sm_pq_api.PQenterPipelineMode)
#define PQerrorMessage (sm_pq_api.PQerrorMessage)
#define PQexitPipelineMode (sm_pq_api.PQexitPipelineMode)
#define PQfinish (sm_pq_api.PQfinish)
#define PQflush (sm_pq_api.PQflush)
#define PQfname (sm_pq_api.PQfname)
#define PQfreeCancel (sm_pq_api.PQfreeCancel)
#define PQfreemem (sm_pq_api.PQfreemem)
#define PQftype (sm_pq_api.PQftype)
#define PQgetCancel (sm_pq_api.PQgetCancel)
#define PQgetCopyData (sm_pq_api.PQgetCopyData)
#define PQgetResult (sm_pq_api.PQgetResult)
#define PQgetisnull (sm_pq_api.PQgetisnull)
#define PQgetlength (sm_pq_api.PQgetlength)
#define PQgetvalue (sm_pq_api.PQgetvalue)
#define PQisBusy (sm_pq_api.PQisBusy)
#define PQnfields (sm_pq_api.PQnfields)
#define PQntuples (sm_pq_api.PQntuples)
#define PQparameterStatus (sm_pq_api.PQparameterStatus)
#define PQpipelineStatus (sm_pq_api.PQpipelineStatus)
#define PQpipelineSync (sm_pq_api.PQpipelineSync)
#define PQputCopyEnd (sm_pq_api.PQputCopyEnd)
#define PQresStatus (sm_pq_api.PQresStatus)
#define PQresultErrorField (sm_pq_api.PQresultErrorField)
#define PQresultErrorMessage (sm_pq_api.PQresultErrorMessage)
#define PQresultStatus (sm_pq_api.PQresultStatus)
#define PQsendPrepare (sm_pq_api.PQsendPrepare)
#define PQsendQuery (sm_pq_api.PQsendQuery)
#define PQsendQueryParams (sm_pq_api.PQsendQueryParams)
#define PQsendQueryPrepared (sm_pq_api.PQsendQueryPrepared)
#define PQsetNoticeProcessor (sm_pq_api.PQsetNoticeProcessor)
#define PQsetSingleRowMode (sm_pq_api.PQsetSingleRowMode)
#define PQsetnonblocking (sm_pq_api.PQsetnonblocking)
#define PQsocket (sm_pq_api.PQsocket)
#define PQstatus (sm_pq_api.PQstatus)
#define PQtransactionStatus (sm_pq_api.PQtransactionStatus)
#endif

#endif
