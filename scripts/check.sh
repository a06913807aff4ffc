#!/usr/bin/env bash
# The whole test suite, as `make check` runs it: throwaway PostgreSQL and
# MariaDB servers on loopback, every test on all three databases, then the
# suite again under AddressSanitizer and UndefinedBehaviorSanitizer.  The
# servers are stopped however the run ends.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD=${BUILD:-build}
ASAN_BUILD=${ASAN_BUILD:-build-asan}
servers=$(mktemp -d /tmp/smdl-check.XXXXXX)

cleanup() {
    tests/servers.sh stop "$servers" || true
    rm -rf "$servers"
}
trap cleanup EXIT

configure() { # dir [meson options]
    local dir=$1
    shift
    if [[ ! -f $dir/build.ninja ]]; then
        meson setup "$dir" "$@" >/dev/null
    fi
    ninja -C "$dir"
}

configure "$BUILD"
configure "$ASAN_BUILD" -Db_sanitize=address,undefined -Db_lundef=false

tests/servers.sh start "$servers"
eval "$(tests/servers.sh env "$servers")"
export SMDL_TEST_PG_URL SMDL_TEST_MYSQL_URL
unset SMDL_TEST_ALLOW_SKIP SMDL_TEST_DIALECTS

echo "== tests"
meson test -C "$BUILD" --print-errorlogs --num-processes 2
echo "== tests under ASan and UBSan"
UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    meson test -C "$ASAN_BUILD" --print-errorlogs --num-processes 2 --timeout-multiplier 3
echo "== all tests passed"
