/* The 422 body of FastAPI, {"detail": [{"loc": [...], "msg": "...",
 * "type": "..."}, ...]}, from smdl's validation errors (sm_errors: path,
 * code, msg) and from the API's own checks of query and path parameters.
 * Pydantic v2's type names and messages; README.md has the table. */
#ifndef API_PROBLEMS_H
#define API_PROBLEMS_H

#include <smdl/smdl.h>

#include <stddef.h>

/* The list is written between api_problems_open and api_problems_close,
 * the errors of parameters first, as FastAPI orders them. */
int api_problems_open(sm_buf *out);
/* The errors of decoding and validating the request body (body, len),
 * every one, each at loc ["body", path parts...]. */
int api_problems_body(sm_buf *out, const sm_errors *errs, const char *body, size_t len);
/* One error at loc [where, name] (where "query" or "path"), of a
 * pydantic type with its message. */
int api_problems_add(sm_buf *out, const char *where, const char *name, const char *type,
                     const char *msg);
int api_problems_close(sm_buf *out);

#endif
