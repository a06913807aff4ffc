/*
 * test_emit_oom.c: when memory runs out while the .h and .c are being
 * generated, generation fails as out of memory (smc_guarded returns
 * false and ctx->oom is set: smc exits 3 and writes nothing) instead of
 * returning shortened files.  Memory is made to run out for real: the
 * address space is capped a few megabytes above what the process uses,
 * so that the output buffers (megabytes, grown by doubling) or the arena
 * fail part way.  Every cap must end either in that failure or in the
 * whole output.
 *
 * AddressSanitizer reserves terabytes of address space and cannot run
 * under such a cap: there the test says so and is skipped.
 */
#include "emit.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cmocka.h>

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

/* Inserts of n columns from n parameters, 100 a query (a query binds
 * at most 127, E0424): a .c of megabytes. */
static void schema(sm_buf *b, size_t n)
{
    sm_buf_puts(b, "module big;\ntable T { id: int @pk @auto;");
    for (size_t i = 0; i < n; i++)
        sm_buf_printf(b, " c%zu: int?;", i);
    sm_buf_puts(b, " }\n");
    for (size_t q = 0; q < n / 100; q++) {
        sm_buf_printf(b, "query q%zu(", q);
        for (size_t i = 0; i < 100; i++)
            sm_buf_printf(b, "%sp%zu: int?", i ? ", " : "", i);
        sm_buf_puts(b, ") -> exec { insert T (");
        for (size_t i = 0; i < 100; i++)
            sm_buf_printf(b, "%sc%zu", i ? ", " : "", q * 100 + i);
        sm_buf_puts(b, ") values (");
        for (size_t i = 0; i < 100; i++)
            sm_buf_printf(b, "%s:p%zu", i ? ", " : "", i);
        sm_buf_puts(b, ") }\n");
    }
}

typedef struct emit_run {
    sm_buf h, c;
} emit_run;

static void emit(smc_ctx *ctx, void *arg)
{
    emit_run *r = arg;
    smc_emit_header(ctx, &r->h);
    smc_emit_source(ctx, &r->c);
}

/* The bytes of address space the process maps now. */
static size_t mapped(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    assert_non_null(f);
    unsigned long pages = 0;
    assert_int_equal(fscanf(f, "%lu", &pages), 1);
    fclose(f);
    return (size_t)pages * (size_t)sysconf(_SC_PAGESIZE);
}

/* Checks the schema in a new context, then generates with the address
 * space capped `headroom` bytes above what is mapped (0: no cap).
 * Returns whether generation succeeded; r holds its output. */
static bool generate(const sm_buf *src, size_t headroom, emit_run *r, bool *oom)
{
    smc_ctx *ctx = calloc(1, sizeof *ctx);
    assert_non_null(ctx);
    smc_ctx_init(ctx);
    int id = smc_source_add(ctx, "big.smdl", src->data, src->len);
    assert_true(id >= 0);
    smc_file *f = smc_parse_file(ctx, (uint32_t)id);
    assert_true(f && smc_check(ctx, f));
    struct rlimit old, cap;
    assert_int_equal(getrlimit(RLIMIT_AS, &old), 0);
    cap = old;
    if (headroom) {
        cap.rlim_cur = (rlim_t)(mapped() + headroom);
        assert_int_equal(setrlimit(RLIMIT_AS, &cap), 0);
    }
    bool ok = smc_guarded(ctx, emit, r);
    assert_int_equal(setrlimit(RLIMIT_AS, &old), 0);
    *oom = ctx->oom;
    smc_ctx_free(ctx);
    free(ctx);
    return ok;
}

static void test_out_of_memory_is_reported(void **state)
{
    (void)state;
#ifdef UNDER_ASAN
    print_message("skipped: AddressSanitizer cannot run with a capped address space\n");
    skip();
#endif
    sm_buf src = SM_BUF_INIT;
    schema(&src, 20000);
    emit_run full = {SM_BUF_INIT, SM_BUF_INIT};
    bool oom;
    assert_true(generate(&src, 0, &full, &oom));
    assert_false(oom);
    unsigned failed = 0;
    for (size_t mb = 1; mb <= 64; mb *= 2) {
        emit_run r = {SM_BUF_INIT, SM_BUF_INIT};
        bool ok = generate(&src, mb << 20, &r, &oom);
        print_message("cap +%2zu MB: %s (.h %zu bytes, .c %zu bytes)\n", mb,
                      ok ? "generated" : oom ? "out of memory" : "failed", r.h.len, r.c.len);
        if (ok) {
            assert_false(oom);
            assert_int_equal(r.h.len, full.h.len);
            assert_int_equal(r.c.len, full.c.len);
            assert_memory_equal(r.h.data, full.h.data, full.h.len);
            assert_memory_equal(r.c.data, full.c.data, full.c.len);
        } else {
            assert_true(oom);
            failed++;
        }
        sm_buf_free(&r.h);
        sm_buf_free(&r.c);
    }
    /* The smallest caps must have made generation run out. */
    assert_true(failed > 0);
    sm_buf_free(&full.h);
    sm_buf_free(&full.c);
    sm_buf_free(&src);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_out_of_memory_is_reported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
