/*
 * outfile.c: writing smc's output files (outfile.h).
 */
#include "outfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool smc_mkdirs(const char *path)
{
    size_t n = strlen(path);
    char *p = malloc(n + 1);
    if (!p)
        return false;
    memcpy(p, path, n + 1);
    bool ok = true;
    for (size_t i = 1; ok && i <= n; i++) {
        if (p[i] != '/' && p[i] != 0)
            continue;
        char c = p[i];
        p[i] = 0;
        struct stat st;
        if (stat(p, &st) != 0 && mkdir(p, 0777) != 0 && errno != EEXIST)
            ok = false;
        else if (stat(p, &st) != 0 || !S_ISDIR(st.st_mode))
            ok = (errno = ENOTDIR, false);
        p[i] = c;
    }
    if (!ok)
        fprintf(stderr, "smc: cannot create directory '%s': %s\n", path, strerror(errno));
    free(p);
    return ok;
}

bool smc_write_atomic(const char *path, const char *data, size_t len)
{
    size_t n = strlen(path);
    char *tmp = malloc(n + 32);
    if (!tmp)
        return false;
    snprintf(tmp, n + 32, "%s.tmp%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "wb");
    bool ok = f && fwrite(data ? data : "", 1, len, f) == len;
    if (f && fclose(f) != 0)
        ok = false;
    if (ok && rename(tmp, path) != 0)
        ok = false;
    if (!ok) {
        fprintf(stderr, "smc: cannot write '%s': %s\n", path, strerror(errno));
        remove(tmp);
    }
    free(tmp);
    return ok;
}
