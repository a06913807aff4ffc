#include "json_out.h"

#include <string.h>

int api_json_str(sm_buf *out, const char *s, size_t n)
{
    int rc = sm_buf_putc(out, '"');
    size_t run = 0; /* bytes before i not yet written */
    for (size_t i = 0; rc == SM_OK && i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        rc = sm_buf_append(out, s + run, i - run);
        run = i + 1;
        if (rc != SM_OK)
            break;
        if (c == '"' || c == '\\')
            rc = sm_buf_printf(out, "\\%c", c);
        else if (c == '\n')
            rc = sm_buf_puts(out, "\\n");
        else
            rc = sm_buf_printf(out, "\\u%04x", c);
    }
    if (rc == SM_OK)
        rc = sm_buf_append(out, s + run, n - run);
    if (rc == SM_OK)
        rc = sm_buf_putc(out, '"');
    return rc;
}

int api_json_detail(sm_buf *out, const char *msg)
{
    int rc = sm_buf_puts(out, "{\"detail\":");
    if (rc == SM_OK)
        rc = api_json_str(out, msg, strlen(msg));
    if (rc == SM_OK)
        rc = sm_buf_putc(out, '}');
    return rc;
}
