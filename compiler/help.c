/*
 * help.c: the help pages (help.h), one table.  The layout of a page is
 * what scripts/manpage.sh reads: "usage: " lines, paragraphs, then
 * "options:" with each option in the first 24 columns and its
 * description after, then "example:".
 */
#include "help.h"

#include <string.h>

#define OPT_HELP "-h, --help\tprint this help and exit\n"
#define OPT_INCLUDE                                                  \
    "-I DIR\tlook for imports in DIR too, after the importing\n"     \
    "\tfile's directory and before the standard library;\n"          \
    "\trepeatable; -IDIR works too\n"
#define OPT_DB                                                       \
    "--db URL\tthe database (default: $SMDL_DATABASE_URL), e.g.\n"   \
    "\tsqlite:app.db, postgres://user@host/db, mysql://...\n"
#define OPT_RUN_DIR "-m DIR\tthe migrations directory (default: ./migrations)\n"
#define OPT_MODULE                                                   \
    "--module NAME\tthe module whose migrations these are (default:\n" \
    "\tthe module of DIR/schema.snapshot)\n"
#define OPT_TIMEOUT                                                  \
    "--timeout SECONDS\tgive up (exit 1) when the run, the wait for\n"  \
    "\tanother runner's lock included, takes longer (1 to\n"          \
    "\t86400; default: wait as long as it takes)\n"

static const smc_help_page pages[] = {
    {"generate", NULL, NULL,
     "Checks FILE, then writes FILE's C header and source, BASENAME.h and\n"
     "BASENAME.c, into DIR (created when missing). Nothing is written when FILE\n"
     "has errors; both files are complete before either is written. Imports are\n"
     "looked up beside the importing file, then in each -I directory, then in\n"
     "the standard library (\"std/types.smdl\"). The migrations of the schema are\n"
     "embedded in the generated source, for <module>_migrate to apply.\n",
     "-o DIR\tthe output directory (required)\n" OPT_INCLUDE
     "-m DIR\tthe migrations to embed (default: the directory\n"
     "\t'migrations' beside FILE, when there is one)\n"
     "--depfile FILE\twrite a Make depfile: the outputs depend on FILE,\n"
     "\tits imports and the migrations read\n" OPT_HELP,
     "smc heroes.smdl -o gen --depfile gen/heroes.d\n"},
    {"check", NULL, NULL,
     "Checks FILE and its imports and prints every diagnostic, errors and\n"
     "warnings, on stderr in GNU format (file:line:column: error: ...), or on\n"
     "stdout as JSON. Exit status 1 when there are errors, 0 otherwise.\n",
     OPT_INCLUDE "--diagnostics=text|json\n"
     "\ttext (the default, on stderr) or one JSON\n"
     "\tdocument on stdout\n" OPT_HELP,
     "smc check heroes.smdl\n"
     "smc check heroes.smdl --diagnostics=json\n"},
    {"sql", NULL, NULL,
     "Checks FILE and prints, for one database, the scripts that create and drop\n"
     "its tables and the SQL of every statement the generated code runs: each\n"
     "operation of each table, each relationship and each query.\n",
     "--dialect NAME\tthe database: sqlite, postgres or mysql (MariaDB\n"
     "\tand MySQL); required; --dialect=NAME works too\n" OPT_INCLUDE OPT_HELP,
     "smc sql heroes.smdl --dialect postgres\n"},
    {"jsonschema", NULL, NULL,
     "Checks FILE and prints a JSON Schema (draft 2020-12) of the JSON of each\n"
     "of its models, as the generated _to_json writes it and _from_json reads\n"
     "it: one document with every model, and the enums and imported models they\n"
     "refer to, under \"$defs\".\n",
     "--openapi\tprint the map of schemas alone, its references\n"
     "\tinto \"#/components/schemas/\", for an OpenAPI 3.1\n"
     "\tdocument\n" OPT_INCLUDE OPT_HELP,
     "smc jsonschema heroes.smdl > heroes.schema.json\n"
     "smc jsonschema heroes.smdl --openapi > schemas.json\n"},
    {"fmt", NULL, NULL,
     "Prints FILE in the canonical layout of smdl: the same for every way of\n"
     "writing the same schema, comments kept. Only FILE is read: its imports\n"
     "are not needed.\n",
     "-w\trewrite FILE in place, atomically; an unchanged\n"
     "\tfile is not touched\n"
     "--check\tprint nothing; exit 1 when FILE is not canonical\n" OPT_HELP,
     "smc fmt -w heroes.smdl\n"
     "smc fmt --check heroes.smdl\n"},
    {"migrate", "", NULL,
     "Writes the migrations of a schema, checks them, checks that two releases\n"
     "can run side by side, compares a live database with the schema, and\n"
     "applies or reverts migrations. DIR, the migrations directory, defaults to\n"
     "the directory 'migrations' beside FILE (./migrations for up, status and\n"
     "down). 'smc help migrate COMMAND' describes each command.\n",
     OPT_HELP,
     "smc migrate new add_heroes heroes.smdl\n"
     "smc migrate up --db sqlite:heroes.db\n"},
    {"migrate new", "smc migrate new NAME FILE [-m DIR] [--allow-destructive] [-I DIR]...",
     "write the next migration of FILE into DIR",
     "Diffs FILE against DIR/schema.snapshot, the schema of the last migration,\n"
     "and writes the next migration, DIR/NNNN_NAME/<database>.up.sql and\n"
     ".down.sql for each database, the new snapshot and DIR/sums. NAME is 1 to\n"
     "64 of a-z, 0-9 and '_'. A step that loses data is refused unless\n"
     "--allow-destructive is given.\n",
     "-m DIR\tthe migrations directory (default: 'migrations'\n"
     "\tbeside FILE)\n"
     "--allow-destructive\taccept steps that delete data (a dropped table or\n"
     "\tcolumn, a narrower type)\n" OPT_INCLUDE OPT_HELP,
     "smc migrate new add_hero_age heroes.smdl\n"},
    {"migrate check", "smc migrate check FILE [-m DIR] [-I DIR]...",
     "exit 1 when FILE has changes no migration holds",
     "Exits 1 when FILE differs from DIR/schema.snapshot in anything that\n"
     "reaches the database, or when a migration file changed after it was\n"
     "written (DIR/sums); 0 when the migrations are up to date.\n",
     "-m DIR\tthe migrations directory (default: 'migrations'\n"
     "\tbeside FILE)\n" OPT_INCLUDE OPT_HELP,
     "smc migrate check heroes.smdl\n"},
    {"migrate rehash", "smc migrate rehash [-m DIR] [NNNN | NNNN_name]",
     "write DIR/sums again after editing a migration",
     "Writes the checksums in DIR/sums again from the migration files as they\n"
     "are, for the migration named (by its number or its directory's name) or\n"
     "for all. Safe only before any database has applied the migration: a\n"
     "database that has refuses to run a migration whose bytes changed.\n",
     "-m DIR\tthe migrations directory (default: ./migrations)\n" OPT_HELP,
     "smc migrate rehash 0003\n"},
    {"migrate verify",
     "smc migrate verify --against OLD FILE [--order=both|migrate-first|code-first]\n"
     "                   [--diagnostics=text|json] [-I DIR]...",
     "check that two releases can run against one database",
     "Exits 1 when the code generated from OLD (the release running now) and\n"
     "from FILE cannot run side by side against one database during a rolling\n"
     "deploy: each side's tables and queries are checked against the other's\n"
     "tables.\n",
     "--against OLD\tthe schema of the release running now (required)\n"
     "--order=ORDER\tboth (the default); migrate-first: only the old\n"
     "\tcode on the new tables; code-first: only the new\n"
     "\tcode on the old tables\n"
     "--diagnostics=text|json\n"
     "\ttext (the default, on stderr) or JSON on stdout\n" OPT_INCLUDE OPT_HELP,
     "smc migrate verify --against old/heroes.smdl heroes.smdl\n"},
    {"migrate diff", "smc migrate diff [--db URL] FILE [-I DIR]...",
     "compare a live database with FILE",
     "Reads the database back as a schema and compares it with FILE: exit 0\n"
     "when nothing differs, 1 when something does, listing the steps and the SQL\n"
     "'smc migrate new' would write for the database's dialect.\n",
     OPT_DB OPT_INCLUDE OPT_HELP,
     "smc migrate diff --db postgres://app@localhost/app heroes.smdl\n"},
    {"migrate up", "smc migrate up [--db URL] [-m DIR] [--module NAME] [--timeout SECONDS]",
     "apply the pending migrations of DIR to the database",
     "Applies the migrations of DIR that the database has not applied yet, in\n"
     "order, each in a transaction where the database allows it, and records\n"
     "them in the table smdl_migrations.\n",
     OPT_DB OPT_RUN_DIR OPT_MODULE OPT_TIMEOUT OPT_HELP,
     "smc migrate up --db sqlite:heroes.db\n"},
    {"migrate status", "smc migrate status [--db URL] [-m DIR] [--module NAME]",
     "list the migrations of DIR, each applied or pending",
     "Lists the migrations of DIR, each pending, applied (with the time, UTC),\n"
     "changed (applied, but its up script changed since), failed (with the\n"
     "database's reason) or unknown (applied from a directory that has a\n"
     "migration DIR lacks).\n",
     OPT_DB OPT_RUN_DIR OPT_MODULE OPT_HELP,
     "smc migrate status --db sqlite:heroes.db\n"},
    {"migrate down", "smc migrate down --to N [--db URL] [-m DIR] [--module NAME] [--timeout SECONDS]",
     "revert the applied migrations above version N (0: all)",
     "Reverts every applied migration above version N with its down script,\n"
     "the newest first.\n",
     "--to N\tthe version to go back to, 0 to 9999 (required;\n"
     "\t0 reverts every migration)\n" OPT_DB OPT_RUN_DIR OPT_MODULE OPT_TIMEOUT OPT_HELP,
     "smc migrate down --to 3 --db sqlite:heroes.db\n"},
    {"introspect", NULL, NULL,
     "Prints the tables of the database at URL as an smdl schema: columns,\n"
     "types, keys, indexes, unique, check and foreign key constraints, enums\n"
     "read back from their CHECK. What smdl cannot express is named in a\n"
     "comment. URL defaults to $SMDL_DATABASE_URL.\n",
     "--module NAME\tthe schema's module (default: the database's name)\n" OPT_HELP,
     "smc introspect sqlite:legacy.db > legacy.smdl\n"},
    {"lsp", NULL, NULL,
     "Serves the Language Server Protocol on stdin and stdout for an editor:\n"
     "diagnostics, hover, definitions, references, completion, symbols, rename\n"
     "and formatting, from the texts the editor holds; nothing is written to\n"
     "disk. Exit status 0 after shutdown and exit, 1 when the input ends\n"
     "without shutdown, 2 for a bad argument.\n",
     OPT_INCLUDE "--stdio\taccepted and ignored: stdio is the only transport\n" OPT_HELP,
     "smc lsp -I schemas\n"},
    {"help", NULL, NULL,
     "Describes smc, or COMMAND: its usage, what it does, its options and an\n"
     "example. 'smc COMMAND -h' prints the same.\n",
     OPT_HELP,
     "smc help check\n"
     "smc help migrate up\n"},
};
enum { NPAGES = sizeof pages / sizeof pages[0] };

const smc_help_page *smc_help_find(const char *name)
{
    for (size_t i = 0; i < NPAGES; i++)
        if (strcmp(pages[i].name, name) == 0)
            return &pages[i];
    return NULL;
}

/* The subcommands of parent: pages named "parent SUB". */
static bool is_sub(const smc_help_page *p, const char *parent)
{
    size_t n = strlen(parent);
    return strncmp(p->name, parent, n) == 0 && p->name[n] == ' ';
}

/* The length of s's first line. */
static int first_line(const char *s)
{
    return (int)strcspn(s, "\n");
}

void smc_help_overview_line(FILE *f, const char *usage, const char *summary)
{
    enum { WIDTH = 56 };
    int n = first_line(usage);
    if (n > WIDTH)
        fprintf(f, "  %.*s\n  %-*s  %s\n", n, usage, WIDTH, "", summary);
    else
        fprintf(f, "  %-*.*s  %s\n", WIDTH, n, usage, summary);
}

void smc_help_list_subcommands(FILE *f, const char *parent)
{
    for (size_t i = 0; i < NPAGES; i++)
        if (is_sub(&pages[i], parent))
            smc_help_overview_line(f, pages[i].usage, pages[i].summary);
}

/* Each line of text, indented by prefix after the first (which gets
 * first). */
static void print_lines(FILE *f, const char *first, const char *prefix, const char *text)
{
    for (const char *s = text; *s;) {
        int n = first_line(s);
        fprintf(f, "%s%.*s\n", s == text ? first : prefix, n, s);
        s += n + (s[n] == '\n');
    }
}

/* "OPTION\tdescription" lines in two columns; an option too wide for the
 * first puts its description on the next line. */
static void print_options(FILE *f, const char *opts)
{
    enum { WIDTH = 22 };
    for (const char *s = opts; *s;) {
        int n = first_line(s);
        const char *tab = memchr(s, '\t', (size_t)n);
        int k = tab ? (int)(tab - s) : n;
        const char *desc = tab ? tab + 1 : "";
        int dn = tab ? n - k - 1 : 0;
        if (k > WIDTH || !tab)
            fprintf(f, "  %.*s\n", k, s), k = 0;
        if (tab)
            fprintf(f, "  %-*.*s  %.*s\n", WIDTH, k, s, dn, desc);
        s += n + (s[n] == '\n');
    }
}

void smc_help_print(FILE *f, const char *name, const char *usage, const char *summary)
{
    const smc_help_page *p = smc_help_find(name);
    if (p && p->usage)
        usage = p->usage;
    if (p && usage && !*usage) { /* a command of subcommands: theirs */
        bool first = true;
        for (size_t i = 0; i < NPAGES; i++)
            if (is_sub(&pages[i], name)) {
                print_lines(f, first ? "usage: " : "       ", "       ", pages[i].usage);
                first = false;
            }
    } else {
        print_lines(f, "usage: ", "       ", usage ? usage : name);
    }
    if (!p) {
        fprintf(f, "  %s\n", summary ? summary : "");
        return;
    }
    fputc('\n', f);
    fputs(p->about, f);
    bool subs = false;
    for (size_t i = 0; i < NPAGES; i++)
        if (is_sub(&pages[i], name)) {
            if (!subs)
                fputs("\ncommands:\n", f);
            subs = true;
            fprintf(f, "  %-22s  %s\n", pages[i].name + strlen(name) + 1, pages[i].summary);
        }
    fputs("\noptions:\n", f);
    print_options(f, p->options);
    fputs("\nexample:\n", f);
    print_lines(f, "  ", "  ", p->example);
}
