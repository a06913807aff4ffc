/*
 * pipe.h: running a sequence of statement executions (sm_pipe, internal.h)
 * in one round trip where the driver can (sm_driver.pipeline), one by one
 * elsewhere; shared by insert_many (model.c) and get_many (get_many.c).
 */
#ifndef SMDL_PIPE_H
#define SMDL_PIPE_H

#include "internal.h"

/* Runs p's executions in order and reads their rows through p->row.
 * SM_OK, or the code of the first failure (p->failed its execution; the
 * executions after it did not run or were aborted).  A single execution,
 * or a connection with a tracer installed (each execution is traced with
 * its parameters), runs one by one.  The message of a failure has the
 * failing execution's secret parameters redacted. */
int sm_pipe_run(sm_cx *cx, sm_conn *conn, sm_pipe *p);

#endif
