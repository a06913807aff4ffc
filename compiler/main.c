/*
 * main.c: the smc command line (DESIGN 6).
 *
 *   smc FILE -o DIR [-I DIR]... [-m DIR] [--depfile FILE]  FILE's .h and .c into DIR
 *   smc check FILE [-I DIR]... [--diagnostics=json]  diagnostics only
 *   smc sql FILE --dialect NAME [-I DIR]...          DDL and statements
 *   smc jsonschema FILE [-I DIR]... [--openapi]      JSON Schema (emit/jsonschema.c)
 *   smc fmt FILE [-w | --check]                      the canonical text (fmt/fmt_cmd.c)
 *   smc debug-snapshot FILE [-I DIR]...              the migration snapshot (hidden)
 *   smc debug-words                                  the language's words (hidden)
 *   smc migrate new|check|verify ...                 migrations (migrate/cli.c)
 *   smc migrate up|status|down ...                  run migrations (run/migrate_run.c)
 *   smc migrate diff --db URL FILE; smc introspect URL   a live database (introspect/cli.c)
 *   smc help [COMMAND [SUBCOMMAND]]; -h/--help after any command (help.c); --version
 *
 * Exit status: 0 success (warnings allowed), 1 errors in the input,
 * 2 usage errors or unwritable outputs, 3 out of memory.
 *
 * Imports are looked up in the importing file's directory, then in each
 * -I directory, then in the standard library: `../share/smdl` next to the
 * smc executable (installed, wherever the prefix was moved), `../stdlib`
 * next to it (an uninstalled smc in a build tree, which holds a copy of
 * stdlib/), then the configured data directory.
 */
#include "cli.h"
#include "emit.h"
#include "fmt_cmd.h"
#include "help.h"
#include "introspect.h"
#include "lex.h"
#include "lsp.h"
#include "outfile.h"
#include "print.h"
#include "run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef SMC_STDLIB_DIR
#define SMC_STDLIB_DIR "/usr/local/share/smdl"
#endif

enum { CMD_GENERATE, CMD_CHECK, CMD_SQL, CMD_JSONSCHEMA, CMD_FMT, CMD_SNAPSHOT, CMD_WORDS, CMD_MIGRATE,
       CMD_INTROSPECT, CMD_LSP, CMD_HELP };

typedef struct command {
    const char *name; /* NULL: the default command (generate) */
    int id;
    const char *usage, *summary; /* DIALECTS in usage: the dialect names */
    bool hidden;                 /* a debugging aid, not listed by `smc help` */
} command;

static const command commands[] = {
    {NULL, CMD_GENERATE, "smc FILE -o DIR [-I DIR]... [-m DIR] [--depfile FILE]",
     "generate FILE's .h and .c into DIR (created when missing), with the migrations of -m", false},
    {"check", CMD_CHECK, "smc check FILE [-I DIR]... [--diagnostics=text|json]",
     "check FILE and print its diagnostics; exit 1 on errors", false},
    {"sql", CMD_SQL, "smc sql FILE --dialect DIALECTS [-I DIR]...",
     "print the DDL and every query's SQL for one database", false},
    {"jsonschema", CMD_JSONSCHEMA, "smc jsonschema FILE [-I DIR]... [--openapi]",
     "print the JSON Schema (2020-12) of every model's JSON; --openapi: the components.schemas map",
     false},
    {"fmt", CMD_FMT, "smc fmt FILE [-w | --check]",
     "print FILE in canonical form; -w rewrites it, --check exits 1 if it differs", false},
    {"debug-snapshot", CMD_SNAPSHOT, "smc debug-snapshot FILE [-I DIR]...",
     "print the migration snapshot of FILE's checked schema", true},
    {"debug-words", CMD_WORDS, "smc debug-words",
     "print the keywords, attributes and built-in types, one 'kind word' per line", true},
    {"migrate", CMD_MIGRATE, "smc migrate new NAME FILE | check FILE [-m DIR]",
     "write or check the migrations; verify a release (smc help migrate)", false},
    {"introspect", CMD_INTROSPECT, "smc introspect [URL] [--module NAME]",
     "print an existing database as an smdl schema (URL: $SMDL_DATABASE_URL)", false},
    {"lsp", CMD_LSP, "smc lsp [-I DIR]...",
     "serve the Language Server Protocol on stdin and stdout (docs/lsp.md)", false},
    {"help", CMD_HELP, "smc help [COMMAND [SUBCOMMAND]]", "describe smc or one command", false},
};
enum { NCOMMANDS = sizeof commands / sizeof commands[0] };

typedef struct options {
    const command *cmd;
    const char *file, *outdir, *depfile, *dialect, *migrations;
    bool json, write, check, openapi;
} options;

static const command *command_named(const char *name)
{
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (commands[i].name && strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

/* The dialect names joined: "a|b|c" (sep "|", last "|") or "a, b or c". */
static void dialect_names(char *out, size_t n, const char *sep, const char *last)
{
    size_t len = 0;
    out[0] = 0;
    for (int i = 0; i < SM_NDIALECTS && len < n; i++)
        len += (size_t)snprintf(out + len, n - len, "%s%s", i == 0 ? ""
                                : i == SM_NDIALECTS - 1 ? last : sep, smc_dialect_names[i]);
}

/* c's usage line, its dialect list filled in. */
static const char *usage_of(const command *c, char *out, size_t n)
{
    const char *at = strstr(c->usage, "DIALECTS");
    if (!at)
        return c->usage;
    char names[128];
    dialect_names(names, sizeof names, "|", "|");
    snprintf(out, n, "%.*s%s%s", (int)(at - c->usage), c->usage, names, at + strlen("DIALECTS"));
    return out;
}

/* A command's name as help pages know it. */
static const char *name_of(const command *c)
{
    return c->name ? c->name : "generate";
}

/* Without only: every command, and the list that scripts/manpage.sh reads. */
static void print_help(FILE *f, const command *only)
{
    char line[256];
    if (only) {
        smc_help_print(f, name_of(only), usage_of(only, line, sizeof line), only->summary);
        return;
    }
    fputs("smc: the smdl compiler\n\n", f);
    for (size_t i = 0; i < NCOMMANDS; i++) {
        const smc_help_page *p = smc_help_find(name_of(&commands[i]));
        if (commands[i].hidden)
            continue;
        if (p && p->usage && !*p->usage) /* its subcommands instead */
            smc_help_list_subcommands(f, p->name);
        else
            smc_help_overview_line(f, usage_of(&commands[i], line, sizeof line),
                                   commands[i].summary);
    }
    fputs("  smc --version\n\ncommands:", f);
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (!commands[i].hidden)
            fprintf(f, " %s", name_of(&commands[i]));
    fputs("\nRun 'smc help COMMAND' for a command's options and an example.\n"
          "Exit status: 0 done (warnings allowed), 1 errors in the input or a failed\n"
          "check, 2 a usage error or an output that cannot be written, 3 out of memory.\n",
          f);
}

static int usage_error(const options *o, const char *fmt, const char *arg)
{
    fputs("smc: ", stderr);
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
    char line[256];
    if (o->cmd)
        fprintf(stderr, "usage: %s\n", usage_of(o->cmd, line, sizeof line));
    fputs("Run 'smc help' for the list of commands.\n", stderr);
    return 2;
}

/* A first argument that names no file and looks like a word is meant as
 * a command: "smc fmt x.smdl" names 'fmt' instead of guessing. */
static bool looks_like_command(const char *a)
{
    struct stat st;
    if (stat(a, &st) == 0 || strchr(a, '/') || strchr(a, '.'))
        return false;
    for (const char *p = a; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || *p == '-' || *p == '_'))
            return false;
    return *a != 0;
}

/* A standard library directory next to the executable, <exe dir>/rel,
 * or NULL. */
static const char *exe_stdlib(smc_ctx *ctx, const char *rel)
{
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0 || (size_t)n >= sizeof exe - 1)
        return NULL;
    exe[n] = 0;
    char *slash = strrchr(exe, '/');
    if (!slash)
        return NULL;
    *slash = 0;
    const char *dir = smc_printf(ctx, "%s/%s", exe, rel);
    struct stat st;
    return stat(dir, &st) == 0 && S_ISDIR(st.st_mode) ? dir : NULL;
}

/* The standard library directories, after the -I ones. */
static void add_stdlib(smc_ctx *ctx)
{
    static const char *const rel[] = {"../share/smdl", "../stdlib"};
    for (size_t k = 0; k < 2; k++) {
        const char *dir = exe_stdlib(ctx, rel[k]);
        if (dir)
            ctx->incdirs[ctx->nincdirs++] = dir;
    }
    ctx->incdirs[ctx->nincdirs++] = SMC_STDLIB_DIR;
}

static int parse_args(int argc, char **argv, options *o, smc_ctx *ctx)
{
    int i = 1;
    o->cmd = &commands[0];
    if (i < argc && argv[i][0] != '-') {
        const command *c = command_named(argv[i]);
        if (c)
            o->cmd = c, i++;
        else if (looks_like_command(argv[i]))
            return o->cmd = NULL, usage_error(o, "unknown command '%s'", argv[i]);
    }
    ctx->incdirs = calloc((size_t)argc + 3, sizeof *ctx->incdirs);
    if (!ctx->incdirs)
        return usage_error(o, "%s", "out of memory");
    int cmd = o->cmd->id;
    for (; i < argc; i++) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "-o") == 0 && val && cmd == CMD_GENERATE)
            o->outdir = val, i++;
        else if (strcmp(a, "-I") == 0 && val && cmd != CMD_HELP && cmd != CMD_FMT)
            ctx->incdirs[ctx->nincdirs++] = val, i++;
        else if (strncmp(a, "-I", 2) == 0 && a[2] && cmd != CMD_HELP && cmd != CMD_FMT)
            ctx->incdirs[ctx->nincdirs++] = a + 2;
        else if (strcmp(a, "-m") == 0 && val && cmd == CMD_GENERATE)
            o->migrations = val, i++;
        else if (strcmp(a, "--depfile") == 0 && val && cmd == CMD_GENERATE)
            o->depfile = val, i++;
        else if (strcmp(a, "--dialect") == 0 && val && cmd == CMD_SQL)
            o->dialect = val, i++;
        else if (strncmp(a, "--dialect=", 10) == 0 && cmd == CMD_SQL)
            o->dialect = a + 10;
        else if (strcmp(a, "--openapi") == 0 && cmd == CMD_JSONSCHEMA)
            o->openapi = true;
        else if (strcmp(a, "-w") == 0 && cmd == CMD_FMT && !o->check)
            o->write = true;
        else if (strcmp(a, "--check") == 0 && cmd == CMD_FMT && !o->write)
            o->check = true;
        else if (cmd == CMD_FMT && (strcmp(a, "-w") == 0 || strcmp(a, "--check") == 0))
            return usage_error(o, "%s", "-w and --check exclude each other");
        else if (strcmp(a, "--diagnostics=json") == 0 && cmd == CMD_CHECK)
            o->json = true;
        else if (strcmp(a, "--diagnostics=text") == 0 && cmd == CMD_CHECK)
            o->json = false;
        else if (a[0] == '-' && a[1])
            return usage_error(o, "unknown or misplaced option '%s'", a);
        else if (!o->file)
            o->file = a;
        else
            return usage_error(o, "unexpected argument '%s' (one input file at a time)", a);
    }
    ctx->nuser_incdirs = ctx->nincdirs;
    add_stdlib(ctx);
    if (!o->file)
        return usage_error(o, "%s", "no input file");
    if (cmd == CMD_GENERATE && !o->outdir)
        return usage_error(o, "%s", "missing -o DIR");
    char names[128];
    if (cmd == CMD_SQL && !o->dialect) {
        dialect_names(names, sizeof names, "|", "|");
        return usage_error(o, "missing --dialect %s", names);
    }
    if (cmd == CMD_SQL && !smc_dialect_named(o->dialect)) {
        dialect_names(names, sizeof names, ", ", " or ");
        return usage_error(o, "%s",
                           smc_printf(ctx, "unknown dialect '%s' (%s)", o->dialect, names));
    }
    return 0;
}

/* parse_args finds the standard library with the context's arena. */
typedef struct args_job {
    int argc;
    char **argv;
    options *o;
    int rc;
} args_job;

static void args_body(smc_ctx *ctx, void *arg)
{
    args_job *j = arg;
    j->rc = parse_args(j->argc, j->argv, j->o, ctx);
}

/* The emitters allocate in the context: they run under a guard, so
 * running out of memory there ends in status 3, as anywhere else. */
typedef struct emit_job {
    const options *o;
    const char *hpath, *cpath;
    sm_buf h, c;
} emit_job;

static void emit_files(smc_ctx *ctx, void *arg)
{
    emit_job *j = arg;
    j->hpath = smc_printf(ctx, "%s/%s.h", j->o->outdir, ctx->sema->file_base);
    j->cpath = smc_printf(ctx, "%s/%s.c", j->o->outdir, ctx->sema->file_base);
    smc_emit_header(ctx, &j->h);
    smc_emit_source(ctx, &j->c);
}

static void emit_sql(smc_ctx *ctx, void *arg)
{
    emit_job *j = arg;
    if (j->o->cmd->id == CMD_JSONSCHEMA)
        smc_emit_jsonschema(ctx, j->o->openapi, &j->h);
    else
        smc_emit_sql_listing(ctx, smc_dialect_named(j->o->dialect), &j->h);
}

/* 0, or the exit status: 1 for a bad migrations directory, 2 for an
 * output that cannot be written. */
static int generate(smc_ctx *ctx, const options *o)
{
    smc_sema *s = ctx->sema;
    sm_arena marena = SM_ARENA_INIT;
    sm_migration_set mset;
    const char *mdir;
    if (!smc_embed_migrations(ctx, o->file, o->migrations, &marena, &mset, &mdir)) {
        sm_arena_free(&marena);
        return 1;
    }
    if (!smc_mkdirs(o->outdir)) {
        sm_arena_free(&marena);
        return 2;
    }
    emit_job j = {o, NULL, NULL, SM_BUF_INIT, SM_BUF_INIT};
    sm_buf d = SM_BUF_INIT;
    bool ok = smc_guarded(ctx, emit_files, &j);
    if (ok && o->depfile) {
        /* Make syntax: the outputs depend on the input and its imports. */
        ok = sm_buf_printf(&d, "%s %s: %s", j.cpath, j.hpath, o->file) == SM_OK;
        for (uint32_t i = 0; ok && i < s->nimports; i++)
            ok = sm_buf_printf(&d, " \\\n  %s", ctx->files[s->imports[i]->source]->path) == SM_OK;
        ok = ok && smc_embed_depfile(&d, mdir, &mset) && sm_buf_putc(&d, '\n') == SM_OK;
        ctx->oom |= !ok; /* main says so */
    }
    /* Every output is complete before the first is written. */
    ok = ok && smc_write_atomic(j.hpath, j.h.data, j.h.len) &&
         smc_write_atomic(j.cpath, j.c.data, j.c.len) &&
         (!o->depfile || smc_write_atomic(o->depfile, d.data, d.len));
    sm_buf_free(&j.h);
    sm_buf_free(&j.c);
    sm_buf_free(&d);
    ctx->migrations = NULL;
    sm_arena_free(&marena);
    return ok ? 0 : 2;
}

/* The words editors highlight and complete, from the tables the lexer and
 * the checker use, so a test can hold every grammar file to them. */
static int print_words(void)
{
    for (size_t i = 0; i < smc_nkeywords; i++)
        printf("keyword %s\n", smc_keywords[i].text);
    for (size_t i = 0; smc_known_attr(i); i++)
        printf("attribute %s\n", smc_known_attr(i));
    for (size_t i = 0; smc_builtin_types[i]; i++)
        printf("type %s\n", smc_builtin_types[i]);
    return 0;
}

/* The help of NAME [SUB] (`smc help migrate up`), or of smc without NAME. */
static int run_help(const char *name, const char *sub)
{
    const command *c = !name ? NULL : strcmp(name, "generate") == 0 ? &commands[0]
                                                                    : command_named(name);
    if (name && (!c || c->hidden)) {
        fprintf(stderr, "smc: unknown command '%s'\nRun 'smc help' for the list of commands.\n",
                name);
        return 2;
    }
    if (sub) {
        char page[128];
        snprintf(page, sizeof page, "%s %s", name, sub);
        if (!smc_help_find(page) || !smc_help_find(page)->usage) {
            fprintf(stderr, "smc: unknown command '%s'\nRun 'smc help %s' for its commands.\n",
                    page, name);
            return 2;
        }
        smc_help_print(stdout, page, NULL, NULL);
        return 0;
    }
    print_help(stdout, c);
    return 0;
}

/* `smc help [NAME [SUB]]` (a -h or --help among them asks for help's own
 * help), or -h/--help after a command: the help it asks for, or -1. */
static int help_request(int argc, char **argv)
{
    if (strcmp(argv[1], "help") == 0) {
        const char *w[2] = {NULL, NULL};
        int n = 0;
        for (int i = 2; i < argc; i++) {
            if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
                return run_help("help", NULL);
            if (n == 2) {
                fprintf(stderr, "smc: unexpected argument '%s'\nusage: smc help [COMMAND "
                                "[SUBCOMMAND]]\n", argv[i]);
                return 2;
            }
            w[n++] = argv[i];
        }
        return run_help(w[0], w[1]);
    }
    if (argc == 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0))
        return run_help(NULL, NULL);
    bool asked = false;
    for (int i = 1; i < argc; i++)
        asked |= strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0;
    const command *c = command_named(argv[1]);
    if (!asked || (c && c->hidden) || (!c && argv[1][0] != '-' && looks_like_command(argv[1])))
        return -1; /* the command's own parser says what is wrong */
    if (!c)
        return run_help("generate", NULL);
    char page[128];
    snprintf(page, sizeof page, "%s %s", argv[1], argc > 2 ? argv[2] : "");
    bool sub = argc > 2 && smc_help_find(page) && smc_help_find(page)->usage;
    return run_help(argv[1], sub ? argv[2] : NULL);
}

/* Colours on a terminal only (as gcc: not TERM=dumb), never with
 * NO_COLOR set to anything (no-color.org), nor in an Emacs compilation
 * buffer, a pseudo-terminal that shows escapes as text. */
static bool use_color(void)
{
    const char *term = getenv("TERM"), *emacs = getenv("INSIDE_EMACS");
    return isatty(2) && !getenv("NO_COLOR") && term && *term && strcmp(term, "dumb") != 0 &&
           !(emacs && strstr(emacs, ",compile"));
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--version") == 0) {
        printf("smc %s\n", SMDL_VERSION);
        return 0;
    }
    if (argc == 1) {
        print_help(stderr, NULL);
        return 2;
    }
    int hrc = help_request(argc, argv);
    if (hrc >= 0)
        return hrc;
    if (strcmp(argv[1], "debug-words") == 0) {
        if (argc == 2)
            return print_words();
        fprintf(stderr, "smc: debug-words takes no arguments\nusage: smc debug-words\n");
        return 2;
    }
    if (strcmp(argv[1], "introspect") == 0)
        return smc_introspect_main(argc - 2, argv + 2);
    if (strcmp(argv[1], "lsp") == 0)
        return smc_lsp_main(argc - 2, argv + 2, add_stdlib);
    if (argc > 2 && strcmp(argv[1], "migrate") == 0 && strcmp(argv[2], "diff") == 0)
        return smc_migrate_diff_main(argc - 3, argv + 3, add_stdlib);
    int mrc = smc_migrate_run(argc, argv);
    if (mrc >= 0)
        return mrc;
    if (strcmp(argv[1], "migrate") == 0)
        return smc_migrate_main(argc - 2, argv + 2, add_stdlib);
    smc_ctx ctx;
    smc_ctx_init(&ctx);
    options o = {0};
    args_job aj = {argc, argv, &o, 2};
    int rc = smc_guarded(&ctx, args_body, &aj) ? aj.rc : 3;
    if (rc == 0) {
        int id = smc_source_load(&ctx, o.file, NULL);
        smc_file *f = id >= 0 ? smc_parse_file(&ctx, (uint32_t)id) : NULL;
        if (f && o.cmd->id != CMD_FMT) /* fmt needs only the parse */
            smc_check(&ctx, f);
        sm_buf out = SM_BUF_INIT;
        if (o.json)
            smc_diag_render_json(&ctx, &out);
        else
            smc_diag_render_text_color(&ctx, &out, use_color());
        if (out.len)
            fputs(out.data, o.json ? stdout : stderr);
        sm_buf_free(&out);
        rc = ctx.nerrors ? 1 : 0;
        if (rc == 0 && o.cmd->id == CMD_GENERATE)
            rc = generate(&ctx, &o);
        if (rc == 0 && o.cmd->id == CMD_FMT)
            rc = smc_fmt_run(&ctx, f, o.file, o.write ? SMC_FMT_WRITE : o.check ? SMC_FMT_CHECK
                                                                          : SMC_FMT_PRINT);
        if (rc == 0 && o.cmd->id == CMD_SNAPSHOT) {
            sm_buf snap = SM_BUF_INIT;
            if (smc_print_snapshot(&ctx, &snap))
                fwrite(snap.data, 1, snap.len, stdout);
            sm_buf_free(&snap);
        }
        if (rc == 0 && (o.cmd->id == CMD_SQL || o.cmd->id == CMD_JSONSCHEMA)) {
            emit_job j = {&o, NULL, NULL, SM_BUF_INIT, SM_BUF_INIT};
            if (smc_guarded(&ctx, emit_sql, &j))
                fwrite(j.h.data, 1, j.h.len, stdout);
            sm_buf_free(&j.h);
        }
        if (ctx.oom) { /* the diagnostics said so, unless the emitters ran out */
            if (rc != 1)
                fputs("smc: out of memory\n", stderr);
            rc = 3;
        }
    }
    free(ctx.incdirs);
    smc_ctx_free(&ctx);
    return rc;
}
