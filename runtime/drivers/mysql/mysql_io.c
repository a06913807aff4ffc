/*
 * mysql_io.c: how the MariaDB/MySQL driver waits (DESIGN 4.1).
 *
 * Every exchange with the server goes through the connector's
 * nonblocking API: a *_start call returns the events it waits for, the
 * driver polls the socket, then calls *_cont.  The poll also watches a
 * per-connection self-pipe that the cancel entry writes from another
 * thread, and its timeout is the cx deadline, so a wait ends on time or
 * on cancel without a thread per statement.
 *
 * When the deadline passes or the cx is cancelled, the statement is
 * stopped on the server with KILL QUERY <thread id>, sent over a side
 * connection (opened on first need with the same credentials, then kept
 * until the connection closes).  The driver then keeps reading until the
 * interrupted statement has answered (an error, or a row that is thrown
 * away), so the connection stays in step and usable.  If that takes
 * longer than SM_MY_GRACE_MS, or the side connection cannot be opened and
 * the statement does not end by itself, the socket is shut down: the
 * call fails at once and the connection is closed (SM_CONN afterwards).
 * The result of an interrupted call always comes from the cx, never from
 * what the server sent.
 */
#include "mysql_priv.h"

#include <ma_pvio.h>

#include <errno.h>
#include <stddef.h>
#include <poll.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

/* While connecting, the connection is not yet registered in the cx, so a
 * cancel cannot write the self-pipe: the wait wakes this often to look. */
#define CONNECT_SLICE_MS 20

void sm_my_op_begin(sm_my_conn *c)
{
    c->intr = 0;
    c->grace_ns = 0;
    sm_wake_clear(&c->wake);
}

static int ms_until(int64_t at, int64_t now)
{
    if (at <= now)
        return 0;
    int64_t ms = (at - now + 999999) / 1000000;
    return ms > INT32_MAX ? INT32_MAX : (int)ms;
}

static int min_timeout(int a, int b)
{
    if (a < 0)
        return b;
    if (b < 0)
        return a;
    return a < b ? a : b;
}

static short poll_events(int ev)
{
    short e = 0;
    if (ev & MYSQL_WAIT_READ)
        e |= POLLIN;
    if (ev & MYSQL_WAIT_WRITE)
        e |= POLLOUT;
    if (ev & MYSQL_WAIT_EXCEPT)
        e |= POLLPRI;
    return e;
}

/* An error or hang-up counts as ready for whatever was asked: the
 * connector's next read or write then reports it. */
static int ready_events(short re, int ev)
{
    int r = 0;
    if (re & (POLLIN | POLLHUP | POLLERR))
        r |= MYSQL_WAIT_READ;
    if (re & (POLLOUT | POLLHUP | POLLERR))
        r |= MYSQL_WAIT_WRITE;
    if (re & POLLPRI)
        r |= MYSQL_WAIT_EXCEPT;
    r &= ev;
    return r ? r : (ev & (MYSQL_WAIT_READ | MYSQL_WAIT_WRITE | MYSQL_WAIT_EXCEPT));
}

/* What to hand to _cont once the socket is shut down: the call then
 * fails on its next read or write. */
static int ready_all(int ev)
{
    int r = ev & (MYSQL_WAIT_READ | MYSQL_WAIT_WRITE | MYSQL_WAIT_EXCEPT);
    return r ? r : MYSQL_WAIT_TIMEOUT;
}

/* Shuts the socket down so the operation in progress fails at once; the
 * connection is unusable from then on. */
static void give_up(MYSQL *m)
{
    int fd = (int)mysql_get_socket(m);
    if (fd >= 0)
        shutdown(fd, SHUT_RDWR);
}

/* The side connection's wait: no cancel, only a time limit, after which
 * its socket is shut down (the side call then fails). */
static int side_wait(MYSQL *m, int ev, int64_t until_ns)
{
    int fd = (int)mysql_get_socket(m);
    int64_t lib_until = 0;
    if (ev & MYSQL_WAIT_TIMEOUT)
        lib_until = sm_mono_ns() + (int64_t)mysql_get_timeout_value_ms(m) * 1000000;
    for (;;) {
        int64_t now = sm_mono_ns();
        if (now >= until_ns) {
            give_up(m);
            return ready_all(ev);
        }
        if (lib_until && now >= lib_until)
            return MYSQL_WAIT_TIMEOUT;
        int timeout = ms_until(until_ns, now);
        if (lib_until)
            timeout = min_timeout(timeout, ms_until(lib_until, now));
        struct pollfd p = {fd, poll_events(ev), 0};
        int n = poll(&p, 1, timeout);
        if (n < 0 && errno != EINTR) {
            give_up(m);
            return ready_all(ev);
        }
        if (n > 0)
            return ready_events(p.revents, ev);
    }
}

static int tls_setup(MYSQL *m, const sm_my_params *p)
{
    if (p->ssl_mode == SM_MY_SSL_DISABLED)
        return 0;
    struct {
        int opt;
        const char *v;
    } files[] = {
        {MYSQL_OPT_SSL_CA, p->ssl_ca},         {MYSQL_OPT_SSL_CAPATH, p->ssl_capath},
        {MYSQL_OPT_SSL_CERT, p->ssl_cert},     {MYSQL_OPT_SSL_KEY, p->ssl_key},
        {MYSQL_OPT_SSL_CIPHER, p->ssl_cipher}, {MYSQL_OPT_SSL_CRL, p->ssl_crl},
        {MYSQL_OPT_SSL_CRLPATH, p->ssl_crlpath}, {MARIADB_OPT_TLS_VERSION, p->tls_version},
    };
    int bad = 0;
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        if (files[i].v)
            bad |= mysql_options(m, (enum mysql_option)files[i].opt, files[i].v);
    my_bool on = 1;
    if (p->ssl_mode >= SM_MY_SSL_PREFERRED)
        bad |= mysql_options(m, MYSQL_OPT_SSL_ENFORCE, &on);
    if (p->ssl_mode >= SM_MY_SSL_VERIFY_CA)
        bad |= mysql_options(m, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &on);
    return bad;
}

int sm_my_connect(sm_my_conn *c, sm_cx *cx, MYSQL *m, bool main, int64_t until_ns)
{
    const sm_my_params *p = &c->p;
    size_t stack = SM_MY_ASYNC_STACK;
    unsigned int off = 0;
    my_bool report = 1; /* fetch says MYSQL_DATA_TRUNCATED when a value outgrew its buffer */
    unsigned long max_packet = 1UL << 30;
    int bad = mysql_options(m, MYSQL_OPT_NONBLOCK, &stack);
    bad |= mysql_options(m, MYSQL_SET_CHARSET_NAME, "utf8mb4");
    bad |= mysql_options(m, MYSQL_OPT_LOCAL_INFILE, &off);
    bad |= mysql_options(m, MYSQL_OPT_MAX_ALLOWED_PACKET, &max_packet);
    bad |= mysql_options(m, MYSQL_REPORT_DATA_TRUNCATION, &report);
    if (p->socket) {
        unsigned int proto = MYSQL_PROTOCOL_SOCKET;
        bad |= mysql_options(m, MYSQL_OPT_PROTOCOL, &proto);
    }
    bad |= tls_setup(m, p);
    if (bad) {
        if (main)
            sm_cx_fail(cx, SM_CONN, "mysql: cannot set connection options: %s", mysql_error(m));
        return SM_CONN;
    }

    unsigned long flags = CLIENT_FOUND_ROWS | (main ? CLIENT_MULTI_STATEMENTS : 0);
    MYSQL *ret = NULL;
    const char *host = p->host ? p->host : (p->socket ? "localhost" : NULL);
    int ev = mysql_real_connect_start(&ret, m, host, p->user, p->password,
                                      main ? p->db : NULL, p->port, p->socket, flags);
    while (ev) {
        int ready = main ? sm_my_wait(c, cx, ev) : side_wait(m, ev, until_ns);
        ev = mysql_real_connect_cont(&ret, m, ready);
    }
    if (!ret) {
        if (!main)
            return SM_CONN;
        if (c->intr == SM_CONN)
            return sm_cx_fail(cx, SM_CONN, "mysql: connect timed out after %d ms",
                              p->connect_timeout_ms);
        if (c->intr)
            return sm_cx_fail(cx, c->intr, "mysql: connect %s",
                              c->intr == SM_CANCELLED ? "cancelled" : "deadline passed");
        return sm_my_fail_text(c, cx, SM_CONN, "mysql: cannot connect", mysql_error(m));
    }
    if (p->ssl_mode >= SM_MY_SSL_REQUIRED && !mysql_get_ssl_cipher(m)) {
        if (main)
            sm_cx_fail(cx, SM_CONN, "mysql: ssl-mode requires TLS but the server did not use it");
        return SM_CONN;
    }
    return SM_OK;
}

void sm_my_side_close(sm_my_conn *c)
{
    if (c->side)
        mysql_close(c->side);
    c->side = NULL;
}

/* Sends KILL QUERY for the main connection's thread over the side
 * connection, reopening it once if it had gone away.  Bounded by the
 * grace period; failures are silent (the wait then gives up in time). */
static void kill_query(sm_my_conn *c)
{
    char sql[64];
    int len = snprintf(sql, sizeof sql, "KILL QUERY %lu", c->thread_id);
    for (int attempt = 0; attempt < 2; attempt++) {
        if (!c->side) {
            c->side = mysql_init(NULL);
            if (!c->side)
                return;
            if (sm_my_connect(c, NULL, c->side, false, c->grace_ns) != SM_OK) {
                sm_my_side_close(c);
                return;
            }
            c->base.stats.round_trips++;
        }
        int ret = 1;
        int ev = mysql_real_query_start(&ret, c->side, sql, (unsigned long)len);
        while (ev)
            ev = mysql_real_query_cont(&ret, c->side, side_wait(c->side, ev, c->grace_ns));
        c->base.stats.round_trips++;
        if (ret == 0)
            return;
        /* A side connection closed by the server (wait_timeout) is
         * replaced once; any other failure ends the attempt. */
        unsigned err = mysql_errno(c->side);
        sm_my_side_close(c);
        if (err != 2006 && err != 2013 && err != 2055)
            return;
    }
}

static void interrupt(sm_my_conn *c, int why)
{
    c->intr = why;
    c->grace_ns = sm_mono_ns() + (int64_t)SM_MY_GRACE_MS * 1000000;
    /* A ping is no query to kill, and waiting for it would hold the
     * caller up to the grace past its deadline for a connection its pool
     * closes anyway. */
    if (c->connecting || c->pinging) {
        give_up(c->db);
        return;
    }
    kill_query(c);
}

int sm_my_wait(sm_my_conn *c, sm_cx *cx, int ev)
{
    int fd = (int)mysql_get_socket(c->db);
    int64_t lib_until = 0;
    if (ev & MYSQL_WAIT_TIMEOUT)
        lib_until = sm_mono_ns() + (int64_t)mysql_get_timeout_value_ms(c->db) * 1000000;
    for (;;) {
        if (!c->intr) {
            int why = cx ? sm_cx_check(cx) : SM_OK;
            if (why == SM_OK && c->connecting && c->connect_until_ns &&
                sm_mono_ns() >= c->connect_until_ns)
                why = SM_CONN;
            if (why != SM_OK)
                interrupt(c, why);
        }
        /* The clock is read only when something here is timed (the cx
         * deadline is the cx's business): most waits are of a statement
         * with no deadline, one or two per round trip. */
        int64_t now = c->intr || lib_until || c->connecting ? sm_mono_ns() : 0;
        if (c->intr && (c->connecting || c->pinging || now >= c->grace_ns)) {
            give_up(c->db);
            c->dead = true;
            return ready_all(ev);
        }
        if (lib_until && now >= lib_until)
            return MYSQL_WAIT_TIMEOUT;

        int timeout = -1;
        if (c->intr) {
            timeout = ms_until(c->grace_ns, now);
        } else {
            int64_t left = cx ? sm_cx_remaining_ms(cx) : -1;
            if (left >= 0)
                timeout = left > INT32_MAX ? INT32_MAX : (int)left;
            if (c->connecting) {
                timeout = min_timeout(timeout, CONNECT_SLICE_MS);
                if (c->connect_until_ns)
                    timeout = min_timeout(timeout, ms_until(c->connect_until_ns, now));
            }
        }
        if (lib_until)
            timeout = min_timeout(timeout, ms_until(lib_until, now));

        struct pollfd fds[2] = {{fd, poll_events(ev), 0}, {c->wake.fd[0], POLLIN, 0}};
        int n = poll(fds, 2, timeout);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            give_up(c->db);
            c->dead = true;
            return ready_all(ev);
        }
        if (fds[1].revents)
            sm_wake_drain(&c->wake);
        if (fds[0].revents)
            return ready_events(fds[0].revents, ev);
    }
}

/*
 * The connector reads the socket through a read-ahead buffer of 16 KiB
 * (MARIADB_PVIO.cache, .cache_pos, .cache_size: its layout is the one
 * the connector's I/O plugins are built against, unchanged in 3.x; on
 * another major version the driver does not look, c->peek).
 * A packet is a 3-byte little-endian length and a sequence byte, then
 * the payload; one of 2^24-1 bytes continues in the next packet, and a
 * compressed connection frames packets differently, so both answer no.
 * Rows of a result read off the socket come a few hundred to a buffer:
 * reading those with the blocking call skips the nonblocking one's two
 * stack switches per row, and the rest still wait through sm_my_wait.
 */
bool sm_my_packet_buffered(const sm_my_conn *c)
{
    const MARIADB_PVIO *p = c->peek ? c->db->net.pvio : NULL;
    if (!p || !p->cache || c->db->net.compress)
        return false;
    ptrdiff_t have = p->cache + p->cache_size - p->cache_pos;
    if (have < 4)
        return false;
    const unsigned char *h = p->cache_pos;
    ptrdiff_t len = h[0] | h[1] << 8 | h[2] << 16;
    return len < 0xffffff && have - 4 >= len;
}
