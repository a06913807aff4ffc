#!/usr/bin/env bash
# Builds the fuzz targets in their own build directory (clang, libFuzzer,
# AddressSanitizer and UndefinedBehaviorSanitizer, everything under test
# instrumented for coverage) and runs them.
#
#   tests/fuzz/fuzz.sh BUILD                  the smoke run: meson test --suite fuzz
#   tests/fuzz/fuzz.sh BUILD SECONDS OUTDIR   each target SECONDS long, one after the
#                                             other; corpora, findings and logs in
#                                             OUTDIR/<target>/; then the C generated
#                                             for smc_compile's corpus is compiled
#                                             (compile_corpus.sh)
# Exit status 1 when something was found.
set -euo pipefail
cd "$(dirname "$0")/../.."

build=${1:?usage: tests/fuzz/fuzz.sh BUILD [SECONDS OUTDIR]}
if [[ ! -f $build/build.ninja ]]; then
    CC=clang meson setup "$build" -Dfuzz=enabled -Dtests=enabled -Dexamples=disabled \
        -Dbenchmarks=disabled -Db_sanitize=address,undefined -Db_lundef=false \
        -Dc_args=-fsanitize=fuzzer-no-link >/dev/null
fi
ninja -C "$build" fuzz-targets

if (($# < 3)); then
    exec meson test -C "$build" --no-rebuild --suite fuzz --print-errorlogs --num-processes 2
fi
mkdir -p "$3"
out=$(cd "$3" && pwd)
status=0
FUZZ_SECONDS=$2 FUZZ_OUT=$out \
    meson test -C "$build" --no-rebuild --suite fuzz --num-processes 1 --timeout-multiplier 0 \
    --verbose || status=1
ninja -C "$build" compiler/smc >/dev/null
tests/fuzz/compile_corpus.sh "$build/compiler/smc" runtime/include "$out/smc_compile" \
    "$out/smc_compile/corpus" || status=1
exit $status
