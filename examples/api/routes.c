/* Routing, parameters and the mapping of smdl's codes to HTTP statuses,
 * shared by the heroes and teams routes. */
#include "api.h"
#include "json_out.h"
#include "problems.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int api_detail(api_response *rs, unsigned status, const char *msg)
{
    rs->status = status;
    sm_buf_reset(&rs->body);
    return api_json_detail(&rs->body, msg);
}

/* One parameter error of a request without a body. */
static int param_problem(api_response *rs, const char *where, const char *name, const char *type,
                         const char *msg)
{
    rs->status = 422;
    sm_buf_reset(&rs->body);
    int rc = api_problems_open(&rs->body);
    if (rc == SM_OK)
        rc = api_problems_add(&rs->body, where, name, type, msg);
    if (rc == SM_OK)
        rc = api_problems_close(&rs->body);
    return rc;
}

/* An integer as Python's int() reads it: optional sign, digits. */
static bool parse_int(const char *s, int64_t *out)
{
    if (!s || !*s || (*s != '-' && *s != '+' && (*s < '0' || *s > '9')))
        return false;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end)
        return false;
    *out = v;
    return true;
}

static const char INT_PARSING[] = "Input should be a valid integer, unable to parse string as an integer";

bool api_read_id(const char *text, const char *name, int64_t *id, api_response *rs)
{
    if (parse_int(text, id))
        return true;
    param_problem(rs, "path", name, "int_parsing", INT_PARSING);
    return false;
}

/* One query parameter: absent takes dflt; bounds as Query(ge=, le=). */
static bool read_arg(const api_request *rq, const char *key, int64_t dflt, int64_t ge,
                     int64_t le, int64_t *out, api_response *rs)
{
    const char *text = rq->arg(rq->ud, key);
    char msg[96];
    *out = dflt;
    if (!text)
        return true;
    if (!parse_int(text, out))
        return api_problems_add(&rs->body, "query", key, "int_parsing", INT_PARSING), false;
    if (*out < ge) {
        snprintf(msg, sizeof msg, "Input should be greater than or equal to %lld", (long long)ge);
        return api_problems_add(&rs->body, "query", key, "greater_than_equal", msg), false;
    }
    if (*out > le) {
        snprintf(msg, sizeof msg, "Input should be less than or equal to %lld", (long long)le);
        return api_problems_add(&rs->body, "query", key, "less_than_equal", msg), false;
    }
    return true;
}

bool api_read_page(const api_request *rq, api_page *page, api_response *rs)
{
    sm_buf_reset(&rs->body);
    api_problems_open(&rs->body);
    /* Both read, so that a request with two bad ones hears of both. */
    bool ok = read_arg(rq, "offset", 0, 0, INT64_MAX, &page->offset, rs);
    ok = read_arg(rq, "limit", 100, 0, 100, &page->limit, rs) && ok;
    if (ok)
        sm_buf_reset(&rs->body);
    else {
        rs->status = 422;
        api_problems_close(&rs->body);
    }
    return ok;
}

int api_fail_body(const sm_errors *errs, const api_request *rq, api_response *rs)
{
    rs->status = 422;
    sm_buf_reset(&rs->body);
    int rc = api_problems_open(&rs->body);
    if (rc == SM_OK && rq->body_len == 0) /* FastAPI: the body itself is missing */
        rc = sm_buf_puts(&rs->body, "{\"loc\":[\"body\"],\"msg\":\"Field required\",\"type\":\"missing\"}");
    else if (rc == SM_OK)
        rc = api_problems_body(&rs->body, errs, rq->body, rq->body_len);
    if (rc == SM_OK)
        rc = api_problems_close(&rs->body);
    return rc;
}

int api_fail(sm_cx *cx, int rc, const char *not_found, const api_request *rq, api_response *rs)
{
    const sm_constraint *k;
    switch (rc) {
    case SM_NOTFOUND: return api_detail(rs, 404, not_found);
    case SM_INVALID: return api_fail_body(sm_cx_errors(cx), rq, rs);
    case SM_CONSTRAINT:
        k = sm_cx_constraint(cx);
        if (k->kind == SM_CK_UNIQUE)
            return api_detail(rs, 409, "A row with this value already exists");
        if (k->kind == SM_CK_FK)
            return api_detail(rs, 409, "The row refers to a row that does not exist");
        break;
    case SM_TIMEOUT:
    case SM_BUSY: return api_detail(rs, 503, "Request timed out");
    case SM_CANCELLED: return api_detail(rs, 503, "Server shutting down");
    default: break;
    }
    fprintf(stderr, "heroes-api: %s %s: %s\n", rq->method, rq->path, sm_cx_errmsg(cx));
    return api_detail(rs, 500, "Internal Server Error");
}

/* Which routes a path names: a collection (/heroes/), one of its items
 * (/heroes/{id}) or the collection without its slash, which FastAPI
 * redirects. */
typedef enum { PATH_NONE, PATH_BARE, PATH_LIST, PATH_ITEM } path_kind;

static path_kind match(const char *path, const char *base, const char **id)
{
    size_t n = strlen(base);
    if (strncmp(path, base, n) != 0)
        return PATH_NONE;
    if (path[n] == 0)
        return PATH_BARE;
    if (path[n] != '/')
        return PATH_NONE;
    *id = path + n + 1;
    if (**id == 0)
        return PATH_LIST;
    return strchr(*id, '/') ? PATH_NONE : PATH_ITEM;
}

static bool method_in(const char *method, const char *allowed)
{
    size_t n = strlen(method);
    for (const char *s = allowed; (s = strstr(s, method)) != NULL; s += n)
        if ((s == allowed || s[-1] == ' ') && (s[n] == ' ' || s[n] == 0))
            return true;
    return false;
}

int api_handle(const api_app *app, sm_cx *cx, sm_arena *arena, const api_request *rq,
               api_response *rs)
{
    static const char *const bases[] = {"/heroes", "/teams"};
    rs->location = NULL;
    if (strcmp(rq->path, "/openapi.json") == 0) {
        if (strcmp(rq->method, "GET") != 0)
            return api_detail(rs, 405, "Method Not Allowed");
        rs->status = 200;
        sm_buf_reset(&rs->body);
        return sm_buf_puts(&rs->body, app->openapi);
    }
    for (size_t b = 0; b < 2; b++) {
        const char *id = NULL;
        path_kind kind = match(rq->path, bases[b], &id);
        if (kind == PATH_NONE)
            continue;
        if (kind == PATH_BARE) { /* FastAPI's redirect_slashes */
            rs->status = 307;
            rs->location = b == 0 ? "/heroes/" : "/teams/";
            sm_buf_reset(&rs->body);
            return SM_OK;
        }
        if (!method_in(rq->method, kind == PATH_LIST ? "GET POST" : "GET PATCH DELETE"))
            return api_detail(rs, 405, "Method Not Allowed");
        sm_conn *conn;
        int rc = sm_pool_acquire(cx, app->pool, &conn);
        if (rc != SM_OK)
            return api_fail(cx, rc, "", rq, rs);
        const char *item = kind == PATH_ITEM ? id : NULL;
        rc = b == 0 ? api_heroes(cx, conn, arena, item, rq, rs)
                    : api_teams(cx, conn, arena, item, rq, rs);
        sm_pool_release(app->pool, conn);
        return rc;
    }
    return api_detail(rs, 404, "Not Found");
}
