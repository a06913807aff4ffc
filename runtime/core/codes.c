/*
 * codes.c: names and descriptions of the result codes and of the kinds of
 * constraint violation.  All strings are static.
 */
#include "internal.h"

const char *sm_strerror(int code)
{
    switch (code) {
    case SM_OK:
        return "SM_OK: success";
    case SM_ROW:
        return "SM_ROW: a row is ready";
    case SM_DONE:
        return "SM_DONE: no more rows";
    case SM_NOTFOUND:
        return "SM_NOTFOUND: no row";
    case SM_MULTIPLE:
        return "SM_MULTIPLE: more than one row";
    case SM_CONSTRAINT:
        return "SM_CONSTRAINT: constraint violation";
    case SM_INVALID:
        return "SM_INVALID: validation failed";
    case SM_TIMEOUT:
        return "SM_TIMEOUT: deadline exceeded";
    case SM_CANCELLED:
        return "SM_CANCELLED: cancelled";
    case SM_CONN:
        return "SM_CONN: connection failed or lost";
    case SM_BUSY:
        return "SM_BUSY: database locked";
    case SM_MIGRATION:
        return "SM_MIGRATION: migration refused or failed";
    case SM_MISUSE:
        return "SM_MISUSE: API misuse";
    case SM_NOMEM:
        return "SM_NOMEM: out of memory";
    case SM_ERROR:
        return "SM_ERROR: database error";
    case SM_RETRY:
        return "SM_RETRY: serialization failure or deadlock, rolled back";
    case SM_CONFLICT:
        return "SM_CONFLICT: concurrent modification";
    case SM_UNSUPPORTED:
        return "SM_UNSUPPORTED: not supported by this database";
    default:
        return "unknown result code";
    }
}

const char *sm_constraint_kind_name(sm_constraint_kind k)
{
    switch (k) {
    case SM_CK_NONE:
        return "none";
    case SM_CK_UNIQUE:
        return "unique";
    case SM_CK_FK:
        return "fk";
    case SM_CK_CHECK:
        return "check";
    case SM_CK_NOT_NULL:
        return "not_null";
    default:
        return "unknown";
    }
}
