/*
 * files.c: the migrations directory (DESIGN 6):
 *   DIR/NNNN_name/<dialect>.up.sql, <dialect>.down.sql   one migration
 *   DIR/schema.snapshot                                  what the migrations build
 *   DIR/sums                                             a checksum per migration file
 * `sums` holds one line per file, "NNNN_name/<dialect>.<up|down>.sql
 * <16 hex digits>", sorted: FNV-1a 64 of the file's bytes, which tells an
 * edited file from the one written (not a forgery from it).
 */
#include "files.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void smc_fnv1a64_hex(const void *data, size_t n, char out[17])
{
    uint64_t h = 14695981039346656037ull;
    for (size_t i = 0; i < n; i++) {
        h ^= ((const unsigned char *)data)[i];
        h *= 1099511628211ull;
    }
    snprintf(out, 17, "%016llx", (unsigned long long)h);
}

bool smc_mig_name_ok(const char *name)
{
    if (!*name || strlen(name) > 64)
        return false;
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
            return false;
    return true;
}

/* "NNNN_name": its number, or -1. */
static int entry_number(const char *e)
{
    for (int i = 0; i < 4; i++)
        if (e[i] < '0' || e[i] > '9')
            return -1;
    if (e[4] != '_' || !smc_mig_name_ok(e + 5))
        return -1;
    return (e[0] - '0') * 1000 + (e[1] - '0') * 100 + (e[2] - '0') * 10 + (e[3] - '0');
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

bool smc_mig_list(smc_ctx *ctx, const char *dir, smc_mig_dir *out)
{
    memset(out, 0, sizeof *out);
    DIR *d = opendir(dir);
    if (!d)
        return errno == ENOENT;
    for (struct dirent *e; (e = readdir(d));) {
        int n = entry_number(e->d_name);
        struct stat st;
        if (n < 0 || stat(smc_printf(ctx, "%s/%s", dir, e->d_name), &st) != 0 ||
            !S_ISDIR(st.st_mode))
            continue;
        out->names = smc_grow(ctx, out->names, out->n, sizeof *out->names);
        out->names[out->n++] = smc_strdup(ctx, e->d_name);
        if (n > out->last)
            out->last = n;
    }
    closedir(d);
    if (out->n) /* names is NULL for an empty directory */
        qsort(out->names, out->n, sizeof *out->names, cmp_str);
    out->exists = true;
    return true;
}

bool smc_mig_read(const char *path, sm_buf *out)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    char tmp[8192];
    bool ok = true;
    for (size_t n; ok && (n = fread(tmp, 1, sizeof tmp, f)) > 0;)
        ok = sm_buf_append(out, tmp, n) == SM_OK;
    ok = ok && !ferror(f);
    fclose(f);
    return ok;
}

const char *const smc_mig_dirs[2] = {"up", "down"};

/* ---- sums -------------------------------------------------------------------------------- */

bool smc_mig_sums_read(smc_ctx *ctx, const char *dir, smc_mig_sums *out, const char **why)
{
    memset(out, 0, sizeof *out);
    sm_buf b = SM_BUF_INIT;
    const char *path = smc_printf(ctx, "%s/sums", dir);
    *why = NULL;
    if (!smc_mig_read(path, &b)) {
        sm_buf_free(&b);
        if (errno == ENOENT)
            return true;
        *why = smc_printf(ctx, "cannot read '%s': %s", path, strerror(errno));
        return false;
    }
    const char *p = b.data ? b.data : "";
    for (uint32_t line = 1; *p; line++) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        const char *sp = memchr(p, ' ', len);
        if (!sp || (size_t)(p + len - sp - 1) != 16) {
            *why = smc_printf(ctx, "%s:%u: expected 'NNNN_name/file.sql <16 hex digits>'", path,
                              line);
            sm_buf_free(&b);
            return false;
        }
        out->files = smc_grow(ctx, out->files, out->n, sizeof *out->files);
        out->sums = smc_grow(ctx, out->sums, out->n, sizeof *out->sums);
        out->files[out->n] = smc_strndup(ctx, p, (size_t)(sp - p));
        out->sums[out->n++] = smc_strndup(ctx, sp + 1, 16);
        p += len + (nl ? 1 : 0);
    }
    sm_buf_free(&b);
    return true;
}

const char *smc_mig_sums_find(const smc_mig_sums *s, const char *file)
{
    for (uint32_t i = 0; i < s->n; i++)
        if (strcmp(s->files[i], file) == 0)
            return s->sums[i];
    return NULL;
}

void smc_mig_sums_add(smc_ctx *ctx, smc_mig_sums *s, const char *file, const char *sum)
{
    s->files = smc_grow(ctx, s->files, s->n, sizeof *s->files);
    s->sums = smc_grow(ctx, s->sums, s->n, sizeof *s->sums);
    s->files[s->n] = smc_strdup(ctx, file);
    s->sums[s->n++] = smc_strdup(ctx, sum);
}

void smc_mig_sums_format(smc_ctx *ctx, const smc_mig_sums *s, sm_buf *out)
{
    const char **lines = smc_alloc(ctx, (s->n + 1) * sizeof *lines);
    for (uint32_t i = 0; i < s->n; i++)
        lines[i] = smc_printf(ctx, "%s %s\n", s->files[i], s->sums[i]);
    qsort(lines, s->n, sizeof *lines, cmp_str);
    for (uint32_t i = 0; i < s->n; i++)
        smc_out_puts(out, lines[i]);
}
