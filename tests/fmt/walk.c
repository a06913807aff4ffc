/*
 * walk.c: the .smdl files of a directory tree, for the tests of the
 * printer (walk.h).
 */
#include "walk.h"

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int by_name(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

void smc_test_walk(const char *dir, void (*fn)(const char *path))
{
    size_t dl = strlen(dir);
    char *probe = malloc(dl + sizeof "/meson-private");
    if (!probe)
        abort();
    snprintf(probe, dl + sizeof "/meson-private", "%s/meson-private", dir);
    struct stat pst;
    bool build = stat(probe, &pst) == 0;
    free(probe);
    DIR *d = build ? NULL : opendir(dir);
    if (!d)
        return;
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 64;
            names = realloc(names, cap * sizeof *names);
            if (!names)
                abort();
        }
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, by_name);
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(dir) + strlen(names[i]) + 2;
        char *path = malloc(len);
        if (!path)
            abort();
        snprintf(path, len, "%s/%s", dir, names[i]);
        struct stat st;
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
            smc_test_walk(path, fn);
        else if (strlen(names[i]) > 5 && strcmp(names[i] + strlen(names[i]) - 5, ".smdl") == 0)
            fn(path);
        free(path);
        free(names[i]);
    }
    free(names);
}

