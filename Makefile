# Thin wrapper over meson.  `make demo` and `make check` set up a fresh
# Debian machine themselves (apt-get for what is missing), then pass
# meson the options that select what they need (meson_options.txt).
BUILD ?= build

# smc, libsmdl, the standard library and the examples: no tests, no benchmarks.
DEMO_OPTIONS = -Dtests=disabled -Dbenchmarks=disabled -Dexamples=enabled

FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 600
FUZZ_OUT ?= fuzz-findings

.PHONY: all build demo check bench fuzz clean

# Everything whose dependencies are present, as a plain `meson setup` does.
all: build

build:
	scripts/deps.sh demo
	@test -f $(BUILD)/build.ninja || meson setup $(BUILD)
	ninja -C $(BUILD)

# An existing build directory keeps its options (it may hold the tests too).
demo:
	scripts/deps.sh demo
	@test -f $(BUILD)/build.ninja || meson setup $(BUILD) $(DEMO_OPTIONS)
	ninja -C $(BUILD)
	examples/heroes/run.sh $(BUILD)

check:
	scripts/deps.sh check
	BUILD=$(BUILD) scripts/check.sh

# The whole performance comparison (docs/performance.md): as root on
# Debian 12 it installs what it needs; about 20 minutes.
bench:
	bench/bench.sh

# Every fuzz target for FUZZ_SECONDS, one after the other (docs/fuzzing.md).
fuzz:
	scripts/deps.sh check
	tests/fuzz/fuzz.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_OUT)

clean:
	rm -rf $(BUILD) build-asan build-clang build-tsan build-fuzz build-bench
