/*
 * walk.h: calls fn on every .smdl file under dir, in a stable (sorted)
 * order; hidden directories and build directories (holding
 * meson-private/) are skipped.
 */
#ifndef SMC_TEST_WALK_H
#define SMC_TEST_WALK_H

void smc_test_walk(const char *dir, void (*fn)(const char *path));

#endif
