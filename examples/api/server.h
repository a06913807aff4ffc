/* The HTTP side of the heroes API: libmicrohttpd, a thread per client
 * connection, each request with its own sm_cx (the deadline of all its
 * queries) and arena; and the graceful stop. */
#ifndef API_SERVER_H
#define API_SERVER_H

#include "api.h"

typedef struct api_server api_server;

/* Starts listening on 127.0.0.1:port (0: a free port); NULL on failure,
 * the reason on stderr.  Each request's queries end by timeout_ms after
 * its headers came. */
api_server *api_server_start(const api_app *app, unsigned port, int timeout_ms);
/* The port it listens on. */
unsigned api_server_port(const api_server *s);
/* Stops accepting, lets the requests under way finish for grace_ms,
 * cancels those still running, then closes every connection and frees
 * the server. */
void api_server_stop(api_server *s, int grace_ms);

#endif
