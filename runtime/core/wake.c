/*
 * wake.c: a self-pipe that wakes a thread waiting in poll(2) on the
 * database's socket.  sm_cx_cancel (another thread) signals it through
 * the driver's cancel entry; the waiting thread polls its read end next
 * to the socket and so notices a cancel at once instead of after a time
 * slice.  Writing a byte is async-signal-safe and never blocks (a full
 * pipe already holds a wake-up).
 */
#include "internal.h"

#include <fcntl.h>
#include <unistd.h>

int sm_wake_open(sm_wake *w)
{
    w->fd[0] = w->fd[1] = -1;
    __atomic_store_n(&w->woken, 0, __ATOMIC_RELAXED);
    if (pipe(w->fd) != 0) {
        w->fd[0] = w->fd[1] = -1;
        return SM_ERROR;
    }
    for (int i = 0; i < 2; i++) {
        int fl = fcntl(w->fd[i], F_GETFL);
        if (fl < 0 || fcntl(w->fd[i], F_SETFL, fl | O_NONBLOCK) != 0 ||
            fcntl(w->fd[i], F_SETFD, FD_CLOEXEC) != 0) {
            sm_wake_close(w);
            return SM_ERROR;
        }
    }
    return SM_OK;
}

void sm_wake_close(sm_wake *w)
{
    for (int i = 0; i < 2; i++) {
        if (w->fd[i] >= 0)
            close(w->fd[i]);
        w->fd[i] = -1;
    }
}

void sm_wake_signal(sm_wake *w)
{
    char b = 1;
    __atomic_store_n(&w->woken, 1, __ATOMIC_SEQ_CST);
    ssize_t n = write(w->fd[1], &b, 1);
    (void)n;
}

void sm_wake_drain(sm_wake *w)
{
    char b[64];
    while (read(w->fd[0], b, sizeof b) > 0)
        ;
}

void sm_wake_clear(sm_wake *w)
{
    /* Only after a signal: a read per operation would cost a system call,
     * and a locked exchange per operation tens of cycles.  A signal that
     * lands after the load is one sent after the clear: poll sees it. */
    if (__atomic_load_n(&w->woken, __ATOMIC_RELAXED) &&
        __atomic_exchange_n(&w->woken, 0, __ATOMIC_SEQ_CST))
        sm_wake_drain(w);
}
