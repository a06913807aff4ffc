#include "server.h"

#include <microhttpd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* A larger body is refused (413) without being kept. */
#define MAX_BODY (1024 * 1024)
/* Client connections at most, each with its thread; libmicrohttpd
 * closes those beyond. */
#define MAX_CLIENTS 256

/* One request, from its headers to its completion. */
typedef struct request {
    sm_cx cx;
    sm_arena arena;
    sm_buf body;
    bool too_big;
    struct request *prev, *next; /* the server's list of requests under way */
} request;

struct api_server {
    api_app app;
    int timeout_ms;
    struct MHD_Daemon *daemon;
    pthread_mutex_t mu; /* guards the list, so that a stop may cancel its cx */
    pthread_cond_t idle;
    request *running;
};

/* The query arguments of the request, for api_request.arg. */
static const char *query_arg(void *ud, const char *key)
{
    return MHD_lookup_connection_value(ud, MHD_GET_ARGUMENT_KIND, key);
}

static request *begin(api_server *s)
{
    request *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    sm_cx_init(&r->cx);
    sm_cx_set_timeout_ms(&r->cx, s->timeout_ms);
    r->arena = (sm_arena)SM_ARENA_INIT;
    r->body = (sm_buf)SM_BUF_INIT;
    pthread_mutex_lock(&s->mu);
    r->next = s->running;
    if (s->running)
        s->running->prev = r;
    s->running = r;
    pthread_mutex_unlock(&s->mu);
    return r;
}

/* libmicrohttpd's notification that a request is over (answered, or its
 * connection gone). */
static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
                      enum MHD_RequestTerminationCode why)
{
    api_server *s = cls;
    request *r = *con_cls;
    (void)c;
    (void)why;
    if (!r)
        return;
    pthread_mutex_lock(&s->mu);
    if (r->prev)
        r->prev->next = r->next;
    else
        s->running = r->next;
    if (r->next)
        r->next->prev = r->prev;
    if (!s->running)
        pthread_cond_broadcast(&s->idle);
    sm_cx_free(&r->cx); /* under the lock: a stop may be cancelling it */
    pthread_mutex_unlock(&s->mu);
    sm_arena_free(&r->arena);
    sm_buf_free(&r->body);
    free(r);
    *con_cls = NULL;
}

static enum MHD_Result reply(struct MHD_Connection *c, const api_response *rs)
{
    struct MHD_Response *resp = MHD_create_response_from_buffer(
        rs->body.len, rs->body.len ? rs->body.data : (void *)"", MHD_RESPMEM_MUST_COPY);
    if (!resp)
        return MHD_NO;
    enum MHD_Result ok = MHD_YES;
    if (rs->body.len)
        ok = MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
    if (ok == MHD_YES && rs->location)
        ok = MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION, rs->location);
    if (ok == MHD_YES)
        ok = MHD_queue_response(c, rs->status, resp);
    MHD_destroy_response(resp);
    return ok;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload, size_t *upload_size, void **con_cls)
{
    api_server *s = cls;
    request *r = *con_cls;
    (void)version;
    if (!r) { /* the headers: the request begins, and its deadline runs */
        *con_cls = r = begin(s);
        return r ? MHD_YES : MHD_NO;
    }
    if (*upload_size) {
        if (r->body.len + *upload_size > MAX_BODY)
            r->too_big = true;
        else if (sm_buf_append(&r->body, upload, *upload_size) != SM_OK)
            return MHD_NO;
        *upload_size = 0;
        return MHD_YES;
    }
    api_response rs = {0, SM_BUF_INIT, NULL};
    api_request rq = {method, url, query_arg, c, r->body.data ? r->body.data : "", r->body.len};
    int rc = r->too_big ? api_detail(&rs, 413, "Request body too large")
                        : api_handle(&s->app, &r->cx, &r->arena, &rq, &rs);
    if (rc != SM_OK)
        rc = api_detail(&rs, 500, "Internal Server Error");
    enum MHD_Result ok = rc == SM_OK ? reply(c, &rs) : MHD_NO;
    sm_buf_free(&rs.body);
    return ok;
}

api_server *api_server_start(const api_app *app, unsigned port, int timeout_ms)
{
    api_server *s = calloc(1, sizeof *s);
    if (!s) {
        fprintf(stderr, "heroes-api: out of memory\n");
        return NULL;
    }
    s->app = *app;
    s->timeout_ms = timeout_ms;
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->idle, NULL);
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    s->daemon = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION | MHD_USE_ITC |
            MHD_USE_ERROR_LOG,
        (uint16_t)port, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR, &addr,
        MHD_OPTION_NOTIFY_COMPLETED, completed, s, MHD_OPTION_CONNECTION_TIMEOUT,
        (unsigned)60, MHD_OPTION_CONNECTION_LIMIT, (unsigned)MAX_CLIENTS, MHD_OPTION_END);
    if (!s->daemon) {
        fprintf(stderr, "heroes-api: cannot listen on 127.0.0.1:%u\n", port);
        pthread_cond_destroy(&s->idle);
        pthread_mutex_destroy(&s->mu);
        free(s);
        return NULL;
    }
    return s;
}

unsigned api_server_port(const api_server *s)
{
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    return info ? info->port : 0;
}

/* Waits until no request runs or until at; true when none runs. */
static bool wait_idle(api_server *s, const struct timespec *at)
{
    pthread_mutex_lock(&s->mu);
    while (s->running && pthread_cond_timedwait(&s->idle, &s->mu, at) == 0)
        ;
    bool idle = !s->running;
    pthread_mutex_unlock(&s->mu);
    return idle;
}

static struct timespec after_ms(int ms)
{
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    t.tv_sec += ms / 1000;
    t.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (t.tv_nsec >= 1000000000L) {
        t.tv_sec++;
        t.tv_nsec -= 1000000000L;
    }
    return t;
}

void api_server_stop(api_server *s, int grace_ms)
{
    MHD_socket listener = MHD_quiesce_daemon(s->daemon);
    if (listener != MHD_INVALID_SOCKET)
        close(listener);
    struct timespec at = after_ms(grace_ms);
    if (!wait_idle(s, &at)) {
        /* Past the grace: what still runs answers 503 at its next step. */
        pthread_mutex_lock(&s->mu);
        for (request *r = s->running; r; r = r->next)
            sm_cx_cancel(&r->cx);
        pthread_mutex_unlock(&s->mu);
        at = after_ms(500);
        wait_idle(s, &at);
    }
    MHD_stop_daemon(s->daemon);
    pthread_cond_destroy(&s->idle);
    pthread_mutex_destroy(&s->mu);
    free(s);
}
