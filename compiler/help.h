/*
 * help.h: the help pages of smc's commands (help.c), printed by `smc help
 * COMMAND` and `smc COMMAND -h`, and turned into smc.1 by
 * scripts/manpage.sh.  main.c's command table gives each command's name,
 * usage line and summary; a page adds what the command does, every
 * option and an example.  Pages named "migrate SUB" carry their own usage
 * and summary: main.c dispatches those subcommands as one command.
 */
#ifndef SMC_HELP_H
#define SMC_HELP_H

#include <stdbool.h>
#include <stdio.h>

typedef struct smc_help_page {
    const char *name;    /* "check", "migrate new" */
    const char *usage;   /* subcommands only: main.c's table has the others' */
    const char *summary; /* subcommands only, as usage */
    const char *about;   /* paragraphs, lines under 78 columns */
    const char *options; /* "OPTION\tdescription\n"; a line "\tmore" continues the last */
    const char *example; /* command lines */
} smc_help_page;

/* The page of NAME, or NULL. */
const smc_help_page *smc_help_find(const char *name);

/* Prints the page of NAME with USAGE (NULL: the page's own), or only the
 * usage and SUMMARY when NAME has no page.  "migrate" lists its
 * subcommands' usage lines and summaries. */
void smc_help_print(FILE *f, const char *name, const char *usage, const char *summary);

/* A line of `smc help`: the usage (its first line), then the summary in
 * a column, or on the next line when the usage is too wide. */
void smc_help_overview_line(FILE *f, const char *usage, const char *summary);
/* The lines of `smc help` for the subcommands of PARENT ("migrate"). */
void smc_help_list_subcommands(FILE *f, const char *parent);

#endif
