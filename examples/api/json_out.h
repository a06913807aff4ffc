/* Small JSON writers the API needs beyond the generated _to_json: strings,
 * and the {"detail": ...} bodies of its error responses. */
#ifndef API_JSON_OUT_H
#define API_JSON_OUT_H

#include <smdl/smdl.h>

#include <stddef.h>

/* Appends s (n bytes of UTF-8) as a JSON string. */
int api_json_str(sm_buf *out, const char *s, size_t n);

/* Appends {"detail":"MSG"}: FastAPI's body for an HTTPException. */
int api_json_detail(sm_buf *out, const char *msg);

#endif
