/*
 * migrate_dir.c: the one reader of a migrations directory (docs/
 * migrations.md), shared by smc (which embeds what it reads into
 * generated code) and the runner behind `smc migrate up|down|status`.
 *
 *   DIR/NNNN_name/<db>.up.sql, <db>.down.sql   for each driver's name
 *   DIR/sums                                   optional: "NNNN_name/<file> <16 hex>"
 *   DIR/schema.snapshot                        the schema the last migration reached
 *
 * Every other entry is an error (names starting with '.' are skipped),
 * so that a misnamed migration is never silently left out.  Checksums
 * are FNV-1a 64 of a file's bytes: they detect edits, not attacks.
 */
#include "internal.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define FK_OFF_MARKER "-- smdl: foreign_keys=off"
/* Longer names would not fit smdl_migrations.name. */
enum { MAX_NAME = 200, MAX_FILE = 64 << 20 };

typedef struct reader {
    sm_cx *cx;
    sm_arena *arena;
    const char *dir;
    const char **files;
    size_t nfiles, capfiles;
} reader;

static int nomem(reader *r)
{
    return sm_cx_fail(r->cx, SM_NOMEM, "out of memory reading the migrations in %s", r->dir);
}

static char *path_of(reader *r, const char *a, const char *b)
{
    size_t n = strlen(r->dir) + strlen(a) + (b ? strlen(b) + 1 : 0) + 2;
    char *p = sm_arena_alloc(r->arena, n);
    if (p)
        snprintf(p, n, "%s/%s%s%s", r->dir, a, b ? "/" : "", b ? b : "");
    return p;
}

static int note_file(reader *r, const char *path)
{
    if (r->nfiles == r->capfiles) {
        size_t cap = r->capfiles ? r->capfiles * 2 : 16;
        const char **f = sm_arena_alloc(r->arena, cap * sizeof *f);
        if (!f)
            return nomem(r);
        if (r->nfiles)
            memcpy(f, r->files, r->nfiles * sizeof *f);
        r->files = f;
        r->capfiles = cap;
    }
    r->files[r->nfiles++] = path;
    return SM_OK;
}

/* The whole file at path, NUL-terminated, into *out (arena). */
static int slurp(reader *r, const char *path, char **out, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return sm_cx_fail(r->cx, SM_MIGRATION, "cannot read %s: %s", path, strerror(errno));
    sm_buf b = SM_BUF_INIT;
    char chunk[8192];
    size_t n;
    int rc = SM_OK;
    while (rc == SM_OK && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        if (b.len + n > MAX_FILE)
            rc = sm_cx_fail(r->cx, SM_MIGRATION, "%s: larger than %d MiB", path, MAX_FILE >> 20);
        else if (sm_buf_append(&b, chunk, n) != SM_OK)
            rc = nomem(r);
    if (rc == SM_OK && ferror(f))
        rc = sm_cx_fail(r->cx, SM_MIGRATION, "cannot read %s: %s", path, strerror(errno));
    fclose(f);
    if (rc == SM_OK && b.len && memchr(b.data, 0, b.len))
        rc = sm_cx_fail(r->cx, SM_MIGRATION, "%s: contains a NUL byte", path);
    if (rc == SM_OK && !(*out = sm_arena_strndup(r->arena, b.data, b.len)))
        rc = nomem(r);
    *len = b.len;
    sm_buf_free(&b);
    return rc;
}

/* "NNNN_name": the version, or 0 when s is no migration's name. */
static uint32_t parse_name(const char *s)
{
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        v = v * 10 + (uint32_t)(s[i] - '0');
    }
    if (s[4] != '_' || !s[5] || strlen(s + 5) > MAX_NAME)
        return 0;
    for (const char *p = s + 5; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
            return 0;
    return v;
}

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The driver whose name a dialect's files carry (the first listed of
 * that dialect); every dialect has one. */
static const sm_driver *driver_of(sm_dialect d)
{
    const sm_driver *by[SM_NDIALECTS] = {NULL};
    for (size_t i = 0; sm_drivers[i]; i++)
        if (!by[sm_drivers[i]->dialect])
            by[sm_drivers[i]->dialect] = sm_drivers[i];
    return by[d];
}

static bool has_marker(const char *text)
{
    size_t n = strlen(FK_OFF_MARKER);
    if (strncmp(text, FK_OFF_MARKER, n) != 0)
        return false;
    text += n;
    while (*text == ' ' || *text == '\t' || *text == '\r')
        text++;
    return *text == '\n' || *text == 0;
}

/* "<db>.up.sql" or "<db>.down.sql" of dialect d. */
static void script_file(int d, bool up, char file[64])
{
    snprintf(file, 64, "%s.%s.sql", driver_of((sm_dialect)d)->name, up ? "up" : "down");
}

/* One script of migration m: its text, checksum (up) and marker. */
static int read_script(reader *r, sm_migration *m, const char *entry, int d, bool up)
{
    const sm_driver *drv = driver_of((sm_dialect)d);
    char file[64];
    script_file(d, up, file);
    char *path = path_of(r, entry, file), *text;
    size_t len;
    if (!path)
        return nomem(r);
    struct stat st;
    if (stat(path, &st) != 0)
        return sm_cx_fail(r->cx, SM_MIGRATION, "migration %s has no %s: %s is missing", entry,
                          file, path);
    int rc = slurp(r, path, &text, &len);
    if (rc != SM_OK)
        return rc;
    /* The runner owns the transaction around a migration. */
    for (size_t i = 0; text[i];) {
        i = sm_sql_skip_blank(drv->sql, text, i);
        if (text[i] && sm_sql_kind(drv->sql, text, i) == SM_SQL_TX)
            return sm_cx_fail(r->cx, SM_MIGRATION,
                              "%s: transaction control (BEGIN, COMMIT, ROLLBACK, SAVEPOINT ...) "
                              "is the runner's: each migration runs in one transaction where "
                              "the database allows it",
                              path);
        i = sm_sql_stmt_end(drv->sql, text, i);
        if (text[i] == ';')
            i++;
    }
    if (has_marker(text)) {
        if (!drv->fk_enforce)
            return sm_cx_fail(r->cx, SM_MIGRATION,
                              "%s: the marker '" FK_OFF_MARKER "' means nothing to %s", path,
                              drv->name);
        m->flags[d] |= up ? SM_MIG_UP_FK_OFF : SM_MIG_DOWN_FK_OFF;
    }
    if (up) {
        m->up.text[d] = text;
        m->checksum[d] = sm_fnv1a64(SM_FNV64_INIT, text);
    } else {
        m->down.text[d] = text;
    }
    return SM_OK;
}

/* The files a migration directory holds: each driver's up and down
 * scripts, nothing else. */
static int check_entries(reader *r, const char *entry, const char *path)
{
    DIR *dh = opendir(path);
    if (!dh)
        return sm_cx_fail(r->cx, SM_MIGRATION, "cannot read %s: %s", path, strerror(errno));
    int rc = SM_OK;
    struct dirent *e;
    while (rc == SM_OK && (e = readdir(dh)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        bool known = false;
        for (int d = 0; d < SM_NDIALECTS && !known; d++)
            for (int up = 0; up < 2 && !known; up++) {
                char file[64];
                script_file(d, up != 0, file);
                known = strcmp(e->d_name, file) == 0;
            }
        if (!known)
            rc = sm_cx_fail(r->cx, SM_MIGRATION,
                            "%s/%s: unexpected file in migration %s (expected only "
                            "<database>.up.sql and <database>.down.sql)",
                            path, e->d_name, entry);
    }
    closedir(dh);
    return rc;
}

static int read_migration(reader *r, const char *entry, uint32_t version, sm_migration *m)
{
    memset(m, 0, sizeof *m);
    m->version = version;
    if (!(m->name = sm_arena_strndup(r->arena, entry + 5, strlen(entry + 5))))
        return nomem(r);
    char *path = path_of(r, entry, NULL);
    if (!path)
        return nomem(r);
    int rc = check_entries(r, entry, path);
    for (int d = 0; d < SM_NDIALECTS && rc == SM_OK; d++)
        if ((rc = read_script(r, m, entry, d, true)) == SM_OK)
            rc = read_script(r, m, entry, d, false);
    return rc;
}

static int by_version(const void *a, const void *b)
{
    const sm_migration *x = *(const sm_migration *const *)a, *y = *(const sm_migration *const *)b;
    return x->version < y->version ? -1 : x->version > y->version;
}

/* ---- sums ------------------------------------------------------------------------ */

/* The checksum of file "NNNN_name/<db>.<up|down>.sql" of the set, or
 * false when the set has no such file: the migration found by its
 * version (items ascend), then its name.  Down scripts are hashed here:
 * only up checksums are kept. */
static bool file_sum(sm_migration *const *items, size_t n, const char *file, size_t len,
                     uint64_t *sum, size_t *slot)
{
    const char *slash = memchr(file, '/', len);
    char entry[MAX_NAME + 8];
    if (!slash || (size_t)(slash - file) >= sizeof entry)
        return false;
    memcpy(entry, file, (size_t)(slash - file));
    entry[slash - file] = 0;
    uint32_t v = parse_name(entry);
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (items[mid]->version < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (!v || lo == n || items[lo]->version != v || strcmp(items[lo]->name, entry + 5) != 0)
        return false;
    const sm_migration *m = items[lo];
    size_t rest = len - (size_t)(slash + 1 - file);
    for (int d = 0; d < SM_NDIALECTS; d++)
        for (int up = 0; up < 2; up++) {
            char name[64];
            script_file(d, up != 0, name);
            if (strlen(name) == rest && memcmp(name, slash + 1, rest) == 0) {
                *sum = up ? m->checksum[d] : sm_fnv1a64(SM_FNV64_INIT, m->down.text[d]);
                *slot = (lo * SM_NDIALECTS + (size_t)d) * 2 + (size_t)up;
                return true;
            }
        }
    return false;
}

/* Every line of sums names a file of the set with its current checksum,
 * and every file of the set has a line. */
static int check_sums(reader *r, sm_migration *const *items, size_t n)
{
    char *path = path_of(r, "sums", NULL), *text;
    size_t len;
    if (!path)
        return nomem(r);
    struct stat st;
    if (stat(path, &st) != 0)
        return SM_OK;
    int rc = slurp(r, path, &text, &len);
    if (rc != SM_OK || (rc = note_file(r, path)) != SM_OK)
        return rc;
    size_t listed = 0, lineno = 0, slot = 0;
    bool *seen = n ? sm_arena_zalloc(r->arena, n * SM_NDIALECTS * 2 * sizeof *seen) : NULL;
    if (n && !seen)
        return nomem(r);
    for (char *line = text; *line; lineno++) {
        char *end = strchr(line, '\n');
        size_t ll = end ? (size_t)(end - line) : strlen(line);
        char *sp = memchr(line, ' ', ll);
        uint64_t want = 0, got = 0;
        bool ok = sp && ll - (size_t)(sp - line) == 17;
        for (size_t i = 1; ok && i <= 16; i++) {
            int h = sm_hex_value((unsigned char)sp[i]);
            ok = h >= 0 && !(sp[i] >= 'A' && sp[i] <= 'F');
            want = want << 4 | (uint64_t)(h < 0 ? 0 : h);
        }
        if (!ok)
            return sm_cx_fail(r->cx, SM_MIGRATION,
                              "%s:%zu: expected 'NNNN_name/<file>.sql <16 lowercase hex digits>'",
                              path, lineno + 1);
        if (!file_sum(items, n, line, (size_t)(sp - line), &got, &slot))
            return sm_cx_fail(r->cx, SM_MIGRATION, "%s:%zu: %.*s is not a migration file here",
                              path, lineno + 1, (int)(sp - line), line);
        if (seen[slot])
            return sm_cx_fail(r->cx, SM_MIGRATION, "%s:%zu: %.*s is listed twice", path,
                              lineno + 1, (int)(sp - line), line);
        seen[slot] = true;
        if (got != want)
            return sm_cx_fail(r->cx, SM_MIGRATION,
                              "%s/%.*s changed after it was written (sums has %016" PRIx64
                              ", the file has %016" PRIx64 "); a written migration stays as it "
                              "is: put the change in a new migration",
                              r->dir, (int)(sp - line), line, want, got);
        listed++;
        line = end ? end + 1 : line + ll;
    }
    if (listed != n * SM_NDIALECTS * 2)
        return sm_cx_fail(r->cx, SM_MIGRATION,
                          "%s lists %zu files, the migrations have %zu: every migration file "
                          "needs its line (once)",
                          path, listed, n * SM_NDIALECTS * 2);
    return SM_OK;
}

/* ---- The directory ------------------------------------------------------------------ */

static int read_all(reader *r, sm_migration_set *set)
{
    DIR *dh = opendir(r->dir);
    if (!dh)
        return sm_cx_fail(r->cx, SM_MIGRATION, "cannot read the migrations directory %s: %s",
                          r->dir, strerror(errno));
    sm_migration **items = NULL;
    size_t n = 0, cap = 0;
    int rc = SM_OK;
    struct dirent *e;
    while (rc == SM_OK && (e = readdir(dh)) != NULL) {
        const char *nm = e->d_name;
        if (nm[0] == '.' || strcmp(nm, "sums") == 0 || strcmp(nm, "schema.snapshot") == 0)
            continue;
        uint32_t v = parse_name(nm);
        char *path = path_of(r, nm, NULL);
        if (!path) {
            rc = nomem(r);
        } else if (!v || !is_dir(path)) {
            rc = sm_cx_fail(r->cx, SM_MIGRATION,
                            "%s: not a migration (expected directories NNNN_name: 4 digits from "
                            "0001, '_', then [a-z0-9_], and the files sums and schema.snapshot)",
                            path);
        } else if (n == cap) {
            cap = cap ? cap * 2 : 16;
            sm_migration **grown = sm_arena_alloc(r->arena, cap * sizeof *grown);
            if (!grown)
                rc = nomem(r);
            else if (n)
                memcpy(grown, items, n * sizeof *grown);
            items = grown;
        }
        if (rc == SM_OK) {
            sm_migration *m = sm_arena_alloc(r->arena, sizeof *m);
            rc = m ? read_migration(r, nm, v, m) : nomem(r);
            if (rc == SM_OK)
                items[n++] = m;
        }
    }
    closedir(dh);
    if (rc != SM_OK)
        return rc;
    if (n)
        qsort(items, n, sizeof *items, by_version);
    for (size_t i = 1; i < n; i++)
        if (items[i]->version == items[i - 1]->version)
            return sm_cx_fail(r->cx, SM_MIGRATION,
                              "%s: two migrations have version %04u: %04u_%s and %04u_%s", r->dir,
                              (unsigned)items[i]->version, (unsigned)items[i]->version,
                              items[i - 1]->name, (unsigned)items[i]->version, items[i]->name);
    if ((rc = check_sums(r, items, n)) != SM_OK)
        return rc;
    /* Then every script, in the order of the migrations. */
    for (size_t i = 0; i < n && rc == SM_OK; i++) {
        char entry[MAX_NAME + 8], file[64];
        snprintf(entry, sizeof entry, "%04u_%s", (unsigned)items[i]->version, items[i]->name);
        for (int d = 0; d < SM_NDIALECTS && rc == SM_OK; d++)
            for (int up = 1; up >= 0 && rc == SM_OK; up--) {
                script_file(d, up != 0, file);
                char *path = path_of(r, entry, file);
                rc = path ? note_file(r, path) : nomem(r);
            }
    }
    if (rc != SM_OK)
        return rc;
    set->items = (const sm_migration *const *)items;
    set->len = n;
    set->files = r->files;
    set->nfiles = r->nfiles;
    return SM_OK;
}

int sm_migrations_read(sm_cx *cx, const char *dir, sm_arena *arena, sm_migration_set *set)
{
    if (set)
        memset(set, 0, sizeof *set);
    if (!cx)
        return SM_MISUSE;
    sm_cx_clear(cx);
    if (!dir || !arena || !set)
        return sm_null_arg(cx, "sm_migrations_read", NULL,
                           !dir ? "dir" : !arena ? "arena" : "set");
    reader r = {cx, arena, dir, NULL, 0, 0};
    int rc = read_all(&r, set);
    if (rc != SM_OK)
        memset(set, 0, sizeof *set);
    return rc;
}
