/* The routes of the heroes API, apart from HTTP: a request in, a status
 * and a JSON body out.  server.c carries them over libmicrohttpd. */
#ifndef API_API_H
#define API_API_H

#include <smdl/smdl.h>

#include <stddef.h>
#include <stdint.h>

typedef struct api_app {
    sm_pool *pool;
    const char *openapi; /* the OpenAPI document, NUL-terminated */
} api_app;

typedef struct api_request {
    const char *method; /* "GET", "POST", ... */
    const char *path;   /* without the query string */
    /* The value of a query argument, or NULL when absent. */
    const char *(*arg)(void *ud, const char *key);
    void *ud;
    const char *body; /* the request body, body_len bytes */
    size_t body_len;
} api_request;

typedef struct api_response {
    unsigned status;
    sm_buf body;            /* JSON */
    const char *location;   /* a redirect's target, or NULL */
} api_response;

/* Handles one request, every query bounded by cx's deadline; arena
 * holds what it reads.  SM_OK, or SM_NOMEM when the response could not
 * be written. */
int api_handle(const api_app *app, sm_cx *cx, sm_arena *arena, const api_request *rq,
               api_response *rs);

/* ---- Shared by the routes (routes.c) ---- */

/* The parameters of a list: offset >= 0, 0 <= limit <= 100 (default 100). */
typedef struct api_page {
    int64_t offset, limit;
} api_page;

/* Reads offset and limit; on a bad one writes the 422 and returns false. */
bool api_read_page(const api_request *rq, api_page *page, api_response *rs);
/* Reads the id of /heroes/{id}; on a bad one writes the 422 (its loc
 * ["path", name]) and returns false. */
bool api_read_id(const char *text, const char *name, int64_t *id, api_response *rs);
/* Writes the response of a failed call on cx (rc < 0): 404 with
 * not_found for SM_NOTFOUND, 422 for SM_INVALID, 409, 503 or 500. */
int api_fail(sm_cx *cx, int rc, const char *not_found, const api_request *rq, api_response *rs);
/* Writes the 422 of a body that did not decode. */
int api_fail_body(const sm_errors *errs, const api_request *rq, api_response *rs);
/* Writes {"detail":"MSG"} with status. */
int api_detail(api_response *rs, unsigned status, const char *msg);

/* The routes of heroes.c and teams.c; id_text is NULL for the
 * collection (/heroes/), else the text after the slash. */
int api_heroes(sm_cx *cx, sm_conn *conn, sm_arena *arena, const char *id_text,
               const api_request *rq, api_response *rs);
int api_teams(sm_cx *cx, sm_conn *conn, sm_arena *arena, const char *id_text,
              const api_request *rq, api_response *rs);

#endif
