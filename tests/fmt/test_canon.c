/*
 * test_canon.c: the canonical text of an expression (the printer's, with
 * literals by value) names a table check: `ck_<table>_` and the 8 hex
 * digits of its 32-bit FNV-1a hash (DESIGN 5.1).  Spellings of one value
 * give one text; the text reads back as the same expression.
 */
#include "print.h"
#include "sema.h"

#include <stdio.h>
#include <string.h>

static int failures;

static void expect_str(const char *what, const char *got, const char *want)
{
    if (strcmp(got, want) != 0) {
        fprintf(stderr, "FAIL %s: got '%s', want '%s'\n", what, got, want);
        failures++;
    }
}

/* Checks `check (<cond>)` in a table and compares its canonical text
 * and its constraint name. */
static void one(const char *cond, const char *want)
{
    char src[512];
    snprintf(src, sizeof src,
             "module canon;\ntable T {\n    id: int @pk;\n    a: int;\n    r: float;\n"
             "    s: text;\n    check (%s);\n}\n", cond);
    smc_ctx ctx;
    smc_ctx_init(&ctx);
    int id = smc_source_add(&ctx, "canon.smdl", src, strlen(src));
    smc_file *f = id >= 0 ? smc_parse_file(&ctx, (uint32_t)id) : NULL;
    if (!f || !smc_check(&ctx, f) || ctx.sema->ntables != 1 || ctx.sema->tables[0]->nchecks != 1) {
        fprintf(stderr, "FAIL %s: does not check\n", cond);
        failures++;
        smc_ctx_free(&ctx);
        return;
    }
    const smc_tcheck *ck = &ctx.sema->tables[0]->checks[0];
    const char *text = smc_print_expr_text(&ctx, ck->expr);
    expect_str(cond, text, want);
    char name[64];
    snprintf(name, sizeof name, "ck_t_%08x", smc_fnv1a(want));
    expect_str(cond, ck->name, name);
    smc_ctx_free(&ctx);
}

int main(void)
{
    one("a>=0 and (a<10)", "a >= 0 and (a < 10)");
    one("a >= 0 /* c */ and\n (a < 10)", "a >= 0 and (a < 10)");
    one("((a)) == -5 or - -a != +a", "(a) == -5 or - -a != +a");
    one("r < 15e-1 and r > 1.000 and r != 0.1", "r < 1.5 and r > 1.0 and r != 0.1");
    one("r > -2.5e-300", "r > -2.5e-300");
    one("s != \"x\" \"\\u{7}\\\"\\\\\\n\\t\u00e9\"", "s != \"x\\u{7}\\\"\\\\\\n\\t\u00e9\"");
    one("length(s) not between 1 and 5 or s not like \"a%\" or s is not null",
        "length(s) not between 1 and 5 or s not like \"a%\" or s is not null");
    printf("%d failures\n", failures);
    return failures ? 1 : 0;
}
