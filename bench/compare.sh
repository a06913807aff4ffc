#!/usr/bin/env bash
# Generated code against hand-written C alone, on the databases named: the
# workload part of `make bench` (bench/bench.sh) in an existing build
# directory, for quick comparisons while working on the runtime.  Prints
# the report; the runs stay in bench/results/<stamp>-all/.
#
#   bench/compare.sh [BUILD_DIR] [DB ...]            DB: sqlite pg mariadb
#   RUNS=5 BENCH_ARGS="--inserts 20000" bench/compare.sh build sqlite
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
shift || true
BENCH_BUILD=$build DBS=${*:-sqlite pg mariadb} IMPLS="c smdl" PARTS=workload \
    BENCH_DOC=/dev/stdout exec bench/bench.sh
