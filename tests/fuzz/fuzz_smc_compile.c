/*
 * fuzz_smc_compile.c: the whole of smc on arbitrary bytes: parse, check
 * (imports from the standard library), and for a schema without errors
 * the header, the source and the SQL listing of every dialect.  Beyond
 * crashes, leaks and hangs it checks the diagnostics (fuzz_smc_check_diags)
 * and that the outputs are lexically sound C and SQL (fuzz_check_c,
 * fuzz_check_sql): valid schemas must generate code that compiles.  Raw
 * SQL queries are the user's text, so with one only the DDL is checked.
 * The migration snapshot of a valid schema checks too.
 */
#include "fuzz_smc.h"
#include "print.h"

/* Raw SQL is the user's text, passed through as written: with such a
 * query only the SQL smc writes itself, the DDL, is checked. */
static bool has_raw_sql(const smc_file *f)
{
    for (const smc_decl *d = f->decls; d; d = d->next)
        if (d->kind == SMC_D_QUERY && d->query && d->query->raw)
            return true;
    return false;
}

/* The migration snapshot of a valid schema is a valid schema. */
static void check_snapshot(smc_ctx *ctx)
{
    sm_buf snap = SM_BUF_INIT;
    if (smc_print_snapshot(ctx, &snap)) {
        smc_ctx again;
        uint32_t id = fuzz_smc_start(&again, (const uint8_t *)(snap.data ? snap.data : ""),
                                     snap.len);
        smc_file *g = smc_parse_file(&again, id);
        bool ok = g && smc_check(&again, g);
        FUZZ_CHECK(ok || again.oom, "the snapshot does not check:\n%.*s", (int)snap.len,
                   snap.data);
        smc_ctx_free(&again);
    }
    sm_buf_free(&snap);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    smc_ctx ctx;
    uint32_t id = fuzz_smc_start(&ctx, data, size);
    smc_file *f = smc_parse_file(&ctx, id);
    if (f && !fuzz_smc_imports_safe(f)) {
        smc_ctx_free(&ctx);
        return -1; /* not added to the corpus */
    }
    if (f) {
        bool ok = smc_check(&ctx, f);
        FUZZ_CHECK(ok == (ctx.nerrors == 0), "smc_check returned %s with %d errors",
                   ok ? "true" : "false", ctx.nerrors);
    }
    fuzz_smc_check_diags(&ctx);
    if (f && ctx.nerrors == 0) {
        sm_buf h = SM_BUF_INIT, c = SM_BUF_INIT;
        smc_emit_header(&ctx, &h);
        fuzz_check_c("header", &h);
        smc_emit_source(&ctx, &c);
        fuzz_check_c("source", &c);
        sm_buf_free(&h);
        sm_buf_free(&c);
        bool raw = has_raw_sql(f);
        for (size_t k = 0; k < SM_NDIALECTS; k++) {
            const smc_dialect *d = &smc_dialects[k];
            sm_buf sql = SM_BUF_INIT;
            smc_emit_sql_listing(&ctx, d, &sql);
            if (raw) {
                sm_buf_reset(&sql);
                smc_sql_create_all(&ctx, d, &sql);
                sm_buf_putc(&sql, '\n');
                smc_sql_drop_all(&ctx, d, &sql);
            }
            fuzz_check_sql(d, &sql);
            sm_buf_free(&sql);
        }
        check_snapshot(&ctx);
    }
    smc_ctx_free(&ctx);
    return 0;
}
