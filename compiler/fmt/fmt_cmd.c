/*
 * fmt_cmd.c: `smc fmt FILE [-w | --check]` (DESIGN 6).  The text comes from
 * the printer (print_*.c); this file decides where it goes.  -w replaces the
 * file atomically: the text is written to a temporary file beside it,
 * given the file's mode, and renamed over it, so a reader sees the old
 * file or the new one, never a part.  An unchanged file is not touched.
 */
#include "fmt_cmd.h"

#include "print.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int fail(const char *path, const char *what)
{
    fprintf(stderr, "smc: cannot write '%s': %s\n", path, what);
    return 2;
}

static int rewrite(const char *path, const sm_buf *b)
{
    /* A symbolic link keeps pointing at the rewritten file. */
    char *real = realpath(path, NULL);
    if (!real)
        return fail(path, strerror(errno));
    struct stat st;
    int rc = 0;
    if (stat(real, &st) != 0) {
        rc = fail(path, strerror(errno));
    } else if (!(st.st_mode & (S_IWUSR | S_IWGRP | S_IWOTH)) || access(real, W_OK) != 0) {
        /* Renaming over a file is allowed by its directory, not by the
         * file: a read-only file is refused here, as an editor would. */
        rc = fail(path, "the file is read-only");
    } else {
        size_t n = strlen(real);
        char *tmp = malloc(n + 16);
        if (!tmp) {
            rc = fail(path, strerror(ENOMEM));
        } else {
            snprintf(tmp, n + 16, "%s.fmt-XXXXXX", real);
            int fd = mkstemp(tmp);
            if (fd < 0) {
                rc = fail(path, strerror(errno));
            } else {
                FILE *f = fdopen(fd, "wb");
                bool ok = f && fchmod(fd, st.st_mode & 07777) == 0 &&
                          fwrite(b->data ? b->data : "", 1, b->len, f) == b->len;
                int err = errno;
                if (f ? fclose(f) != 0 : close(fd) != 0)
                    ok = (err = errno, false);
                if (ok && rename(tmp, real) != 0)
                    ok = (err = errno, false);
                if (!ok) {
                    remove(tmp);
                    rc = fail(path, strerror(err));
                }
            }
            free(tmp);
        }
    }
    free(real);
    return rc;
}

int smc_fmt_run(smc_ctx *ctx, const smc_file *f, const char *path, smc_fmt_mode mode)
{
    sm_buf out = SM_BUF_INIT;
    if (!smc_print_file(ctx, f, &out)) {
        sm_buf_free(&out);
        return 3;
    }
    const smc_source *src = ctx->files[f->source];
    bool same = out.len == src->len && memcmp(out.data, src->text, out.len) == 0;
    int rc = 0;
    if (mode == SMC_FMT_CHECK)
        rc = same ? 0 : 1;
    else if (mode == SMC_FMT_WRITE)
        rc = same ? 0 : rewrite(path, &out);
    else if (out.len && fwrite(out.data, 1, out.len, stdout) != out.len)
        rc = 2;
    sm_buf_free(&out);
    return rc;
}
