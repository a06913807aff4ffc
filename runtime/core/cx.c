/*
 * cx.c: the call context (DESIGN 4.1): deadline, sticky cancellation, the
 * last call's code and message, field errors and constraint details.
 *
 * One thread uses a cx at a time; only sm_cx_cancel comes from other
 * threads.  The cancelled flag is an atomic int; the registration of the
 * running call (impl->live) is an atomic pointer that a cancel reads
 * only while it holds `cancelling` up (call.c explains the protocol), so
 * that it reaches the connection only while that call still runs on it;
 * the pool's waits (impl->waiter) are guarded by impl->mu.
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(sizeof(sm_cx_impl) <= SM_CX_SIZE, "sm_cx_impl must fit in sm_cx");

int64_t sm_mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void sm_cx_init(sm_cx *cx)
{
    if (!cx)
        return;
    sm_cx_impl *c = sm_cx_impl_of(cx);
    memset(cx, 0, sizeof *cx);
    pthread_mutex_init(&c->mu, NULL);
    c->init = true;
}

void sm_cx_free(sm_cx *cx)
{
    if (!cx)
        return;
    sm_cx_impl *c = sm_cx_impl_of(cx);
    if (!c->init)
        return;
    pthread_mutex_destroy(&c->mu);
    sm_buf_free(&c->msg);
    sm_buf_free(&c->cons_strs);
    sm_errors_free(&c->errors);
    memset(cx, 0, sizeof *cx);
}

void sm_cx_set_timeout_ms(sm_cx *cx, int64_t ms)
{
    if (!cx)
        return;
    sm_cx_impl *c = sm_cx_impl_of(cx);
    if (ms <= 0) {
        c->has_deadline = false;
        return;
    }
    /* Clamp so the nanosecond arithmetic below cannot overflow: a
     * deadline a century away is no deadline in practice. */
    if (ms > INT64_C(3153600000000))
        ms = INT64_C(3153600000000);
    int64_t at = sm_mono_ns() + ms * 1000000;
    c->deadline.tv_sec = (time_t)(at / 1000000000);
    c->deadline.tv_nsec = (long)(at % 1000000000);
    c->has_deadline = true;
}

void sm_cx_set_deadline(sm_cx *cx, const struct timespec *mono)
{
    if (!cx)
        return;
    sm_cx_impl *c = sm_cx_impl_of(cx);
    if (!mono) {
        c->has_deadline = false;
        return;
    }
    c->deadline = *mono;
    c->has_deadline = true;
}

/* Sets the flag first so that the running call sees it at its next check
 * even if the driver's interrupt lands between two statements; then
 * interrupts the registered connection.  `cancelling` is raised before
 * live is read, and the call's unregistration waits for it to drop
 * (call.c): a cancel never reaches a connection that has moved on to
 * another cx or call. */
void sm_cx_cancel(sm_cx *cx)
{
    if (!cx)
        return;
    sm_cx_impl *c = sm_cx_impl_of(cx);
    __atomic_store_n(&c->cancelled, 1, __ATOMIC_SEQ_CST);
    pthread_mutex_lock(&c->mu);
    __atomic_add_fetch(&c->cancelling, 1, __ATOMIC_SEQ_CST);
    sm_conn *live = __atomic_load_n(&c->live, __ATOMIC_SEQ_CST);
    if (live && live->drv->cancel)
        live->drv->cancel(live);
    __atomic_sub_fetch(&c->cancelling, 1, __ATOMIC_SEQ_CST);
    if (c->waiter)
        c->waiter->wake(c->waiter);
    pthread_mutex_unlock(&c->mu);
}

/* The same mutex as the registration of a running call: a cancel wakes a
 * wait only while it is registered. */
void sm_cx_wait_begin(sm_cx *cx, sm_cx_waiter *w)
{
    sm_cx_impl *c = sm_cx_impl_of(cx);
    pthread_mutex_lock(&c->mu);
    c->waiter = w;
    pthread_mutex_unlock(&c->mu);
}

void sm_cx_wait_end(sm_cx *cx)
{
    sm_cx_impl *c = sm_cx_impl_of(cx);
    pthread_mutex_lock(&c->mu);
    c->waiter = NULL;
    pthread_mutex_unlock(&c->mu);
}

/* The flag itself, for the checks of a running call (cx is never NULL
 * there).  Sequentially consistent, as the registration's store before
 * it (call.c): a plain load on x86 and ARMv8 all the same. */
static bool cancelled(const sm_cx *cx)
{
    return __atomic_load_n(&sm_cx_impl_of(cx)->cancelled, __ATOMIC_SEQ_CST) != 0;
}

bool sm_cx_cancelled(const sm_cx *cx)
{
    return cx && cancelled(cx);
}

/* What the accessors say of a NULL cx: every call given no cx returned
 * SM_MISUSE and had nowhere to put a message. */
static const char no_cx_msg[] = "no context: cx is NULL";
static const sm_errors no_errors = SM_ERRORS_INIT;
static const sm_constraint no_constraint = {SM_CK_NONE, NULL, NULL, NULL};

const char *sm_cx_errmsg(const sm_cx *cx)
{
    if (!cx)
        return no_cx_msg;
    const sm_cx_impl *c = sm_cx_impl_of(cx);
    if (c->msg.data && c->msg.len)
        return c->msg.data;
    /* The message could not be stored (out of memory): the code's
     * description is better than nothing. */
    return c->code < 0 ? sm_strerror(c->code) : "";
}

int sm_cx_errcode(const sm_cx *cx)
{
    return cx ? sm_cx_impl_of(cx)->code : SM_MISUSE;
}

const sm_errors *sm_cx_errors(const sm_cx *cx)
{
    return cx ? &sm_cx_impl_of(cx)->errors : &no_errors;
}

const sm_constraint *sm_cx_constraint(const sm_cx *cx)
{
    return cx ? &sm_cx_impl_of(cx)->cons : &no_constraint;
}

int sm_null_arg(sm_cx *cx, const char *fn, const char *name, const char *arg)
{
    return name ? sm_cx_fail(cx, SM_MISUSE, "%s %s: %s is NULL", fn, name, arg)
                : sm_cx_fail(cx, SM_MISUSE, "%s: %s is NULL", fn, arg);
}

/* Formats before touching the stored message, so that an argument may
 * be the current message itself. */
int sm_cx_failv(sm_cx *cx, int code, const char *fmt, va_list ap)
{
    sm_cx_impl *c = sm_cx_impl_of(cx);
    /* sm_buf_printf is variadic only: format into a stack buffer, or the
     * heap for long messages. */
    char small[256];
    va_list aq;
    va_copy(aq, ap);
    int n = vsnprintf(small, sizeof small, fmt, aq);
    va_end(aq);
    char *big = NULL;
    if (n >= 0 && (size_t)n >= sizeof small && (big = malloc((size_t)n + 1)) != NULL)
        vsnprintf(big, (size_t)n + 1, fmt, ap);
    c->code = code;
    sm_buf_reset(&c->msg);
    if (n >= 0 && (size_t)n < sizeof small)
        sm_buf_append(&c->msg, small, (size_t)n);
    else if (big)
        sm_buf_append(&c->msg, big, (size_t)n);
    free(big);
    return code;
}

int sm_cx_fail(sm_cx *cx, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sm_cx_failv(cx, code, fmt, ap);
    va_end(ap);
    return code;
}

/* The strings are copied into one buffer; the pointers are set only after
 * every append, since an append may move the buffer. */
int sm_cx_set_constraint(sm_cx *cx, sm_constraint_kind kind, const char *table,
                         const char *name, const char *columns)
{
    sm_cx_impl *c = sm_cx_impl_of(cx);
    const char *src[3] = {table, name, columns};
    size_t off[3];
    sm_buf_reset(&c->cons_strs);
    memset(&c->cons, 0, sizeof c->cons);
    c->cons.kind = kind;
    for (int i = 0; i < 3; i++) {
        off[i] = SIZE_MAX;
        if (!src[i])
            continue;
        size_t at = c->cons_strs.len;
        if (sm_buf_append(&c->cons_strs, src[i], strlen(src[i]) + 1) != SM_OK)
            return SM_CONSTRAINT; /* kind is kept; the names are lost */
        off[i] = at;
    }
    const char **dst[3] = {&c->cons.table, &c->cons.name, &c->cons.columns};
    for (int i = 0; i < 3; i++)
        *dst[i] = off[i] == SIZE_MAX ? NULL : c->cons_strs.data + off[i];
    return SM_CONSTRAINT;
}

void sm_cx_clear_slow(sm_cx *cx)
{
    sm_cx_impl *c = sm_cx_impl_of(cx);
    c->code = SM_OK;
    if (c->msg.len)
        sm_buf_reset(&c->msg);
    if (c->errors.len)
        sm_errors_clear(&c->errors);
    if (c->cons.kind != SM_CK_NONE) {
        memset(&c->cons, 0, sizeof c->cons);
        sm_buf_reset(&c->cons_strs);
    }
}

/* Takes ownership of errs' items (errs is left empty and reusable) and
 * writes a one-line summary as the message. */
int sm_cx_invalid(sm_cx *cx, sm_errors *errs)
{
    sm_cx_impl *c = sm_cx_impl_of(cx);
    sm_errors_free(&c->errors);
    c->errors = *errs;
    memset(errs, 0, sizeof *errs);
    /* The message names the first error only: "SM_INVALID" already says
     * that validation failed (sm_strerror), and printing both is the
     * usual "%s: %s" of a caller. */
    if (c->errors.len == 0)
        return sm_cx_fail(cx, SM_INVALID, "no field errors recorded");
    const sm_error *e = &c->errors.items[0];
    if (c->errors.len == 1)
        return sm_cx_fail(cx, SM_INVALID, "%s%s%s", e->path, e->path[0] ? ": " : "", e->msg);
    return sm_cx_fail(cx, SM_INVALID, "%s%s%s (and %zu more)", e->path,
                      e->path[0] ? ": " : "", e->msg, c->errors.len - 1);
}

static int64_t deadline_ns(const sm_cx_impl *c)
{
    return (int64_t)c->deadline.tv_sec * 1000000000 + c->deadline.tv_nsec;
}

bool sm_cx_expired(const sm_cx *cx)
{
    const sm_cx_impl *c = sm_cx_impl_of(cx);
    return c->has_deadline && sm_mono_ns() >= deadline_ns(c);
}

int64_t sm_cx_remaining_ms(const sm_cx *cx)
{
    const sm_cx_impl *c = sm_cx_impl_of(cx);
    if (!c->has_deadline)
        return -1;
    int64_t left = deadline_ns(c) - sm_mono_ns();
    if (left <= 0)
        return 0;
    return (left + 999999) / 1000000;
}
