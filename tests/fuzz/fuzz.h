/*
 * fuzz.h: what every fuzz target shares.  A broken invariant is reported
 * like a crash: a message on stderr, then abort(), so libFuzzer saves the
 * input and prints the stack.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define FUZZ_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define FUZZ_PRINTF(f, a)
#endif

/* libFuzzer's entry point, called once per input. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

_Noreturn void fuzz_fail(const char *file, int line, const char *fmt, ...) FUZZ_PRINTF(3, 4);
#define FUZZ_FAIL(...) fuzz_fail(__FILE__, __LINE__, __VA_ARGS__)
#define FUZZ_CHECK(cond, ...) ((cond) ? (void)0 : FUZZ_FAIL(__VA_ARGS__))

/* Prints n bytes of s on stderr with non-printing bytes escaped. */
void fuzz_dump(const char *label, const char *s, size_t n);

#endif
