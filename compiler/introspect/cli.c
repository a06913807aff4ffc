/*
 * cli.c: `smc introspect` and `smc migrate diff --db` (DESIGN 6).
 *
 *   smc introspect [URL] [--module NAME]     the database as .smdl on stdout
 *   smc migrate diff [--db URL] FILE [-I DIR]...
 *
 * URL defaults to $SMDL_DATABASE_URL.  `migrate diff` reads the database
 * back as a schema and runs the migration differ from it to FILE, on the
 * database's dialect only: exit 0 when nothing differs, 1 when something
 * does (the steps and their SQL listed), as `smc migrate check` exits.
 */
#include "introspect.h"

#include "cli.h"
#include "map.h"
#include "migrate.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

static int usage(const char *what, const char *arg)
{
    fputs("smc: ", stderr);
    fprintf(stderr, what, arg);
    fputs("\nusage: smc introspect [URL] [--module NAME]\n"
          "       smc migrate diff [--db URL] FILE [-I DIR]...\n",
          stderr);
    return 2;
}

/* A module name from the URL's last path segment ("app" for
 * sqlite:///tmp/app.db), or "db". */
static const char *module_of(smc_ctx *ctx, const char *url)
{
    const char *end = strchr(url, '?');
    end = end ? end : url + strlen(url);
    const char *s = end;
    while (s > url && s[-1] != '/' && s[-1] != ':')
        s--;
    const char *dot = memchr(s, '.', (size_t)(end - s));
    end = dot ? dot : end;
    char *m = smc_alloc(ctx, (size_t)(end - s) + 1);
    size_t k = 0;
    for (; s < end; s++)
        if (isalnum((unsigned char)*s) || *s == '_')
            m[k++] = (char)tolower((unsigned char)*s);
    return k && isalpha((unsigned char)m[0]) ? m : "db";
}

/* A SQLite URL opened read-only ("sqlite:file:PATH?mode=ro"), so that
 * reading a database that does not exist creates no file; *path: the
 * file (NULL for a URL that is not a plain path: left as given). */
static const char *read_only(smc_ctx *ctx, const char *url, const char **path)
{
    *path = NULL;
    if (strncasecmp(url, "sqlite:", 7) != 0 || strncmp(url + 7, "file:", 5) == 0 ||
        strcmp(url + 7, ":memory:") == 0 || !url[7])
        return url;
    const char *p = url + 7;
    while (p[0] == '/' && p[1] == '/') /* "sqlite:///x": one slash is the path's */
        p++;
    *path = p;
    sm_buf b = SM_BUF_INIT;
    smc_out_puts(&b, p[0] == '/' ? "sqlite:file://" : "sqlite:file:");
    for (; *p; p++) { /* percent-encoded where a URI would read it otherwise */
        unsigned char c = (unsigned char)*p;
        if (isalnum(c) || strchr("/-._~", c))
            smc_out_putc(&b, (char)c);
        else
            smc_out_printf(&b, "%%%02X", c);
    }
    smc_out_puts(&b, "?mode=ro");
    const char *ro = smc_strndup(ctx, b.data, b.len);
    sm_buf_free(&b);
    return ro;
}

typedef struct ijob {
    const char *url, *module;
    sm_cx *cx;
    sm_conn *conn;
    sm_buf *out;
    const char *why;
    int dialect;
    smc_icatalog cat;
} ijob;

/* Opens the database and prints it into j->out; j->why on failure. */
static void introspect(smc_ctx *ctx, void *arg)
{
    ijob *j = arg;
    const char *path;
    const char *url = read_only(ctx, j->url, &path);
    struct stat st;
    if (path && stat(path, &st) != 0 && errno == ENOENT) {
        j->why = smc_printf(ctx, "no such database: %s", path);
        return;
    }
    if (sm_open(j->cx, url, &j->conn) != SM_OK) {
        j->why = smc_printf(ctx, "cannot open the database: %s", sm_cx_errmsg(j->cx));
        return;
    }
    smc_icatalog *cat = &j->cat;
    j->dialect = (int)sm_conn_dialect(j->conn);
    bool ok = false;
    if (j->dialect == SM_SQLITE)
        ok = smc_introspect_sqlite(ctx, j->cx, j->conn, cat, &j->why);
    else if (j->dialect == SM_POSTGRES)
        ok = smc_introspect_pg(ctx, j->cx, j->conn, cat, &j->why);
    else
        ok = smc_introspect_mysql(ctx, j->cx, j->conn, cat, &j->why);
    if (ok)
        smc_introspect_print(ctx, cat, j->module ? j->module : module_of(ctx, j->url), j->out);
    else
        j->why = smc_printf(ctx, "cannot read the database's catalog: %s", j->why);
}

/* Runs introspect() with its connection closed after; 0, 1 or 3. */
static int read_db(smc_ctx *ctx, ijob *j)
{
    sm_cx cx;
    sm_cx_init(&cx);
    j->cx = &cx;
    bool ok = smc_guarded(ctx, introspect, j);
    sm_close(j->conn);
    j->conn = NULL;
    sm_cx_free(&cx);
    if (!ok || ctx->oom) {
        fputs("smc: out of memory\n", stderr);
        return 3;
    }
    if (j->why) {
        fprintf(stderr, "smc: %s\n", j->why);
        return 1;
    }
    return 0;
}

int smc_introspect_main(int argc, char **argv)
{
    const char *url = NULL, *module = NULL;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--module") == 0 && i + 1 < argc) {
            module = argv[++i];
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return usage("unknown option '%s'", argv[i]);
        } else if (!url) {
            url = argv[i];
        } else {
            return usage("unexpected argument '%s'", argv[i]);
        }
    }
    url = url ? url : getenv("SMDL_DATABASE_URL");
    if (!url || !*url)
        return usage("%s", "no database: give URL or set SMDL_DATABASE_URL");
    smc_ctx ctx;
    smc_ctx_init(&ctx);
    sm_buf out = SM_BUF_INIT;
    ijob j = {.url = url, .module = module, .out = &out};
    int rc = read_db(&ctx, &j);
    if (rc == 0)
        fwrite(out.data ? out.data : "", 1, out.len, stdout);
    sm_buf_free(&out);
    smc_ctx_free(&ctx);
    return rc;
}

/* ---- migrate diff ----------------------------------------------------------------------- */

static void render(smc_ctx *ctx)
{
    sm_buf out = SM_BUF_INIT;
    smc_diag_render_text(ctx, &out);
    if (out.len)
        fputs(out.data, stderr);
    sm_buf_free(&out);
}

typedef struct djob {
    smc_ctx *db;
    const smc_dialect *d;
    sm_buf steps, sql;
} djob;

/* Keeps of the plan what happens on dialect d alone: the database read
 * back says nothing of the other dialects' DDL. */
static void only_dialect(smc_mplan *p, int d)
{
    unsigned bit = 1u << d;
    for (uint32_t k = 0; k < p->ntables; k++) {
        smc_mtable *t = &p->tables[k];
        for (uint32_t i = 0; i < t->ncols; i++) {
            t->cols[i].type &= bit;
            t->cols[i].null &= bit;
            t->cols[i].deflt &= bit;
        }
        uint32_t n = 0;
        for (uint32_t i = 0; i < t->nchanges; i++) {
            smc_mchange c = t->changes[i];
            c.drop &= bit;
            c.add &= bit;
            c.rename &= bit;
            if (c.drop | c.add | c.rename)
                t->changes[n++] = c;
        }
        t->nchanges = n;
        t->rebuild &= bit;
    }
}

/* The checks of the schema read back get the names the database gives
 * them.  The checker names a check after its text, which reads the
 * fields named after the columns, not the schema's fields: a check on a
 * field with @column would otherwise show as renamed. */
static void check_names(smc_ctx *ctx, void *arg)
{
    const smc_icatalog *cat = arg;
    smc_map by_name = {0};
    for (uint32_t k = 0; k < cat->ntables; k++)
        smc_map_put(ctx, &by_name, cat->tables[k].name, &cat->tables[k]);
    for (uint32_t i = 0; i < ctx->sema->nmodels; i++) {
        smc_model *m = ctx->sema->models[i];
        const smc_itable *t = m->is_table ? smc_map_get(&by_name, m->table) : NULL;
        for (uint32_t c = 0; t && c < m->nchecks && c < t->nprinted_checks; c++)
            m->checks[c].name = t->printed_checks[c];
    }
}

static void plan(smc_ctx *ctx, void *arg)
{
    djob *j = arg;
    smc_mplan *p = smc_migrate_drift(j->db, ctx);
    only_dialect(p, (int)(j->d - smc_dialects));
    smc_migrate_script(p, j->d, &j->sql);
    if (j->sql.len)
        smc_migrate_describe(p, &j->steps);
}

typedef struct stdlib_fn {
    void (*add)(smc_ctx *ctx);
} stdlib_fn;

static void stdlib_job(smc_ctx *ctx, void *arg)
{
    ((stdlib_fn *)arg)->add(ctx);
}

static bool load(smc_ctx *ctx, int id)
{
    smc_file *f = id >= 0 ? smc_parse_file(ctx, (uint32_t)id) : NULL;
    if (f)
        smc_check(ctx, f);
    return f && ctx->nerrors == 0 && !ctx->oom && ctx->sema;
}

static int diff(const char *url, const char *file, const char **incdirs, size_t ninc,
                void (*add_stdlib)(smc_ctx *ctx))
{
    smc_ctx cur, db;
    smc_ctx_init(&cur);
    smc_ctx_init(&db);
    sm_buf text = SM_BUF_INIT;
    djob j = {.db = &db, .steps = SM_BUF_INIT, .sql = SM_BUF_INIT};
    int rc = 0;
    cur.incdirs = calloc(ninc + 8, sizeof *cur.incdirs);
    if (!cur.incdirs)
        rc = 3;
    else {
        memcpy(cur.incdirs, incdirs, ninc * sizeof *incdirs);
        cur.nincdirs = cur.nuser_incdirs = ninc;
        stdlib_fn fn = {add_stdlib};
        if (!smc_guarded(&cur, stdlib_job, &fn))
            rc = 3;
    }
    if (rc == 0 && !load(&cur, smc_source_load(&cur, file, NULL)))
        rc = cur.oom ? 3 : 1;
    render(&cur);
    ijob ij = {.url = url, .module = "db", .out = &text};
    if (rc == 0)
        rc = read_db(&db, &ij);
    if (rc == 0 && !load(&db, smc_source_add(&db, "db.smdl", text.data, text.len))) {
        render(&db);
        fprintf(stderr, "smc: the database read back does not check; 'smc introspect %s' shows "
                        "it\n", url);
        rc = db.oom ? 3 : 1;
    }
    if (rc == 0 && !smc_guarded(&db, check_names, &ij.cat))
        rc = 3;
    if (rc == 0) {
        j.d = &smc_dialects[ij.dialect];
        if (!smc_guarded(&cur, plan, &j) || cur.oom || db.oom)
            rc = 3;
    }
    if (rc == 0 && j.sql.len == 0) {
        printf("smc: the database matches '%s'\n", file);
    } else if (rc == 0) {
        fprintf(stdout, "smc: the database differs from '%s':\n%s-- what 'smc migrate new' would "
                        "write for %s:\n%s", file, j.steps.data ? j.steps.data : "",
                smc_dialect_names[ij.dialect], j.sql.data);
        rc = 1;
    }
    if (rc == 3)
        fputs("smc: out of memory\n", stderr);
    sm_buf_free(&text);
    sm_buf_free(&j.steps);
    sm_buf_free(&j.sql);
    free(cur.incdirs);
    smc_ctx_free(&cur);
    smc_ctx_free(&db);
    return rc;
}

int smc_migrate_diff_main(int argc, char **argv, void (*add_stdlib)(smc_ctx *ctx))
{
    const char *url = NULL, *file = NULL;
    const char **incdirs = calloc((size_t)argc + 1, sizeof *incdirs);
    if (!incdirs)
        return fputs("smc: out of memory\n", stderr), 3;
    size_t ninc = 0;
    int rc = -1;
    for (int i = 0; i < argc && rc < 0; i++) {
        const char *x = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(x, "--db") == 0 && val)
            url = val, i++;
        else if (strcmp(x, "-I") == 0 && val)
            incdirs[ninc++] = val, i++;
        else if (strncmp(x, "-I", 2) == 0 && x[2])
            incdirs[ninc++] = x + 2;
        else if (x[0] == '-' && x[1])
            rc = usage("unknown or misplaced option '%s'", x);
        else if (!file)
            file = x;
        else
            rc = usage("unexpected argument '%s'", x);
    }
    url = url ? url : getenv("SMDL_DATABASE_URL");
    if (rc < 0 && !file)
        rc = usage("%s", "no input file");
    else if (rc < 0 && (!url || !*url))
        rc = usage("%s", "no database: give --db URL or set SMDL_DATABASE_URL");
    if (rc < 0)
        rc = diff(url, file, incdirs, ninc, add_stdlib);
    free(incdirs);
    return rc;
}
