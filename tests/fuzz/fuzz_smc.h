/*
 * fuzz_smc.h: driving the compiler on one in-memory schema, and the
 * invariants the smc targets check on what it reports and writes.
 */
#ifndef FUZZ_SMC_H
#define FUZZ_SMC_H

#include "emit.h"
#include "fuzz.h"

/* Starts ctx on data as "input.smdl" in a directory that does not exist,
 * with the source tree's standard library as the only import directory
 * (FUZZ_STDLIB_DIR).  Returns the source's index. */
uint32_t fuzz_smc_start(smc_ctx *ctx, const uint8_t *data, size_t size);

/* False when f imports an absolute path or one with "..": the checker
 * would read whatever file of the machine it names, so such inputs stop
 * after parsing. */
bool fuzz_smc_imports_safe(const smc_file *f);

/* Every diagnostic has a code and a message, every span lies inside its
 * file; both renderings run, and the JSON one is valid JSON. */
void fuzz_smc_check_diags(smc_ctx *ctx);

/* Lexical sanity of generated C (what = the file's name in reports):
 * comments that close and hold no comment opener, literals that end on
 * their line with valid escapes, no trigraphs, no control or non-ASCII
 * bytes outside comments and literals, balanced brackets. */
void fuzz_check_c(const char *what, const sm_buf *b);

/* The same for an SQL listing of dialect d: quotes and brackets balance
 * outside comments (with the dialect's identifier quote and backslash
 * rule), text inside $$ ... $$ balances on its own, and no comment
 * starts inside a statement ("- -1" written as "--1"). */
void fuzz_check_sql(const smc_dialect *d, const sm_buf *b);

#endif
