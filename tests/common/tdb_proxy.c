/*
 * tdb_proxy.c: the proxy of tdb_proxy.h: one thread polling the listening
 * socket and both ends of every connection, so that holding and
 * swallowing are flags it reads on each turn.
 */
#include "tdb_proxy.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

enum { MAX_PAIRS = 32 };

typedef struct pair {
    int client, server; /* server is -1 for a swallowed connection */
    bool held;
} pair;

struct tdb_proxy {
    int listen_fd;
    struct sockaddr_in target;
    char url[512];
    pthread_t thread;
    pthread_mutex_t mu;
    bool stop, swallow;
    int accepted;
    pair pairs[MAX_PAIRS];
    int npairs;
};

static void close_pair(tdb_proxy *p, int i)
{
    close(p->pairs[i].client);
    if (p->pairs[i].server >= 0)
        close(p->pairs[i].server);
    p->pairs[i] = p->pairs[--p->npairs];
}

/* Copies what is readable on from to to; false at EOF or an error. */
static bool pass(int from, int to)
{
    char buf[16384];
    ssize_t n = read(from, buf, sizeof buf);
    if (n <= 0)
        return false;
    for (ssize_t off = 0; to >= 0 && off < n;) {
        ssize_t w = write(to, buf + off, (size_t)(n - off));
        if (w <= 0)
            return false;
        off += w;
    }
    return true;
}

static void accept_one(tdb_proxy *p, bool swallow)
{
    int c = accept(p->listen_fd, NULL, NULL);
    if (c < 0)
        return;
    p->accepted++;
    int s = -1;
    if (!swallow) {
        s = socket(AF_INET, SOCK_STREAM, 0);
        if (s < 0 || connect(s, (struct sockaddr *)&p->target, sizeof p->target) != 0) {
            if (s >= 0)
                close(s);
            close(c);
            return;
        }
    }
    if (p->npairs == MAX_PAIRS) {
        close(c);
        if (s >= 0)
            close(s);
        return;
    }
    p->pairs[p->npairs++] = (pair){c, s, false};
}

static void *run(void *arg)
{
    tdb_proxy *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->mu);
        bool stop = p->stop;
        pthread_mutex_unlock(&p->mu);
        if (stop)
            break;
        struct pollfd fds[1 + 2 * MAX_PAIRS];
        int n = 0;
        fds[n++] = (struct pollfd){.fd = p->listen_fd, .events = POLLIN};
        pthread_mutex_lock(&p->mu);
        for (int i = 0; i < p->npairs; i++) {
            fds[n++] = (struct pollfd){.fd = p->pairs[i].client, .events = POLLIN};
            bool held = p->pairs[i].held || p->pairs[i].server < 0;
            fds[n++] = (struct pollfd){.fd = held ? -1 : p->pairs[i].server, .events = POLLIN};
        }
        pthread_mutex_unlock(&p->mu);
        if (poll(fds, (nfds_t)n, 20) < 0 && errno != EINTR)
            break;
        pthread_mutex_lock(&p->mu);
        int np = p->npairs;
        for (int i = np - 1; i >= 0; i--) {
            short cr = fds[1 + 2 * i].revents, sr = fds[2 + 2 * i].revents;
            bool ok = true;
            if (cr & (POLLIN | POLLHUP | POLLERR))
                ok = pass(p->pairs[i].client, p->pairs[i].server);
            if (ok && (sr & (POLLIN | POLLHUP | POLLERR)))
                ok = pass(p->pairs[i].server, p->pairs[i].client);
            if (!ok)
                close_pair(p, i);
        }
        /* The flag as it is now, not at the top of the turn: a
         * connection made after tdb_proxy_swallow returns is swallowed. */
        if (fds[0].revents & POLLIN)
            accept_one(p, p->swallow);
        pthread_mutex_unlock(&p->mu);
    }
    return NULL;
}

/* The host:port span of url: after "@" (or "//") up to the next "/". */
static bool host_port(const char *url, const char **start, const char **end)
{
    const char *s = strstr(url, "//");
    if (!s)
        return false;
    s += 2;
    const char *slash = strchr(s, '/');
    if (!slash)
        slash = s + strlen(s);
    const char *at = memchr(s, '@', (size_t)(slash - s));
    *start = at ? at + 1 : s;
    *end = slash;
    return true;
}

tdb_proxy *tdb_proxy_start(const char *url)
{
    const char *hs = NULL, *he = NULL;
    if (!host_port(url, &hs, &he))
        fail_msg("proxy: no host in %s", url);
    char host[128];
    const char *colon = memchr(hs, ':', (size_t)(he - hs));
    if (!colon || (size_t)(colon - hs) >= sizeof host)
        fail_msg("proxy: the URL needs host:port");
    memcpy(host, hs, (size_t)(colon - hs));
    host[colon - hs] = '\0';
    if (strcmp(host, "localhost") == 0)
        strcpy(host, "127.0.0.1");
    tdb_proxy *p = calloc(1, sizeof *p);
    assert_non_null(p);
    p->target.sin_family = AF_INET;
    p->target.sin_port = htons((uint16_t)atoi(colon + 1));
    if (inet_pton(AF_INET, host, &p->target.sin_addr) != 1)
        fail_msg("proxy: host %s is not an IPv4 address", host);
    p->listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in me = {.sin_family = AF_INET};
    me.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof me;
    if (p->listen_fd < 0 || bind(p->listen_fd, (struct sockaddr *)&me, sizeof me) != 0 ||
        listen(p->listen_fd, 16) != 0 ||
        getsockname(p->listen_fd, (struct sockaddr *)&me, &len) != 0)
        fail_msg("proxy: cannot listen: %s", strerror(errno));
    snprintf(p->url, sizeof p->url, "%.*s127.0.0.1:%u%s", (int)(hs - url), url,
             (unsigned)ntohs(me.sin_port), he);
    pthread_mutex_init(&p->mu, NULL);
    if (pthread_create(&p->thread, NULL, run, p) != 0)
        fail_msg("proxy: no thread");
    return p;
}

const char *tdb_proxy_url(const tdb_proxy *p)
{
    return p->url;
}

void tdb_proxy_hold(tdb_proxy *p, bool on)
{
    pthread_mutex_lock(&p->mu);
    for (int i = 0; i < p->npairs; i++)
        p->pairs[i].held = on;
    pthread_mutex_unlock(&p->mu);
}

void tdb_proxy_swallow(tdb_proxy *p, bool on)
{
    pthread_mutex_lock(&p->mu);
    p->swallow = on;
    pthread_mutex_unlock(&p->mu);
}

int tdb_proxy_accepted(tdb_proxy *p)
{
    pthread_mutex_lock(&p->mu);
    int n = p->accepted;
    pthread_mutex_unlock(&p->mu);
    return n;
}

void tdb_proxy_stop(tdb_proxy *p)
{
    pthread_mutex_lock(&p->mu);
    p->stop = true;
    pthread_mutex_unlock(&p->mu);
    pthread_join(p->thread, NULL);
    while (p->npairs > 0)
        close_pair(p, p->npairs - 1);
    close(p->listen_fd);
    pthread_mutex_destroy(&p->mu);
    free(p);
}
