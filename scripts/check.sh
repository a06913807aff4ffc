#!/usr/bin/env bash
# The whole test suite, as `make check` runs it (scripts/deps.sh check has
# installed what it needs):
#
#   build        BUILD (default build/): smc, libsmdl, examples, tests, benchmarks
#   asan build   ASAN_BUILD (default build-asan/): the same under AddressSanitizer
#                and UndefinedBehaviorSanitizer, without the benchmarks (no test
#                runs them)
#   clang build  CLANG_BUILD (default build-clang/): everything again with clang,
#                optimised, for the warnings gcc does not give (built, not run)
#   tsan build   TSAN_BUILD (default build-tsan/): under ThreadSanitizer, only the
#                programs of the suite pool (the code threads share) and what
#                they need
#   tests        every test on all three databases, against throwaway PostgreSQL
#                and MariaDB servers on loopback (tests/servers.sh; ports from
#                SMDL_PG_PORT and SMDL_MY_PORT)
#   downstream   a project outside the tree, built against an installed smdl (by
#                Meson and by make) and with smdl as a subproject (tests/downstream/run.sh)
#   asan tests   the whole suite again in ASAN_BUILD, the stress test at
#                SMDL_TEST_POOL_STRESS_OPS operations per thread (default here
#                3000: the sanitizers look at every path the first thousands
#                take, and the 10000 of the plain run would add minutes)
#   tsan tests   the suite pool in TSAN_BUILD, any report failing it, the stress
#                test at SMDL_TEST_POOL_STRESS_OPS operations per thread (default
#                here 1000)
#   fuzz smoke   each fuzz target briefly (see fuzz_smoke below)
#
# The servers start while the builds run and are stopped however the run
# ends.  A failed build stops the run; a failed test phase does not, so one
# run reports every phase that fails.  Each phase prints its time, and a
# summary of them ends the run.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD=${BUILD:-build}
ASAN_BUILD=${ASAN_BUILD:-build-asan}
TSAN_BUILD=${TSAN_BUILD:-build-tsan}
CLANG_BUILD=${CLANG_BUILD:-build-clang}
servers=$(mktemp -d /tmp/smdl-check.XXXXXX)
server_pid=
summary=() # "phase N s" for each phase that ended
running=   # the phase under way
failed=()  # the test phases that failed

# join ITEM...: the items separated by commas.
join() {
    local all
    all=$(printf '%s, ' "$@")
    printf '%s\n' "${all%, }"
}

cleanup() {
    [[ -z $server_pid ]] || wait "$server_pid" 2>/dev/null || true
    tests/servers.sh stop "$servers" || true
    rm -rf "$servers"
    ((${#summary[@]} == 0)) || echo "== times: $(join "${summary[@]}")"
    [[ -z $running ]] || echo "== make check failed in phase '$running'" >&2
}
trap cleanup EXIT

# phase NAME COMMAND...: runs one phase and records how long it took.
phase() {
    local name=$1 start=$SECONDS
    shift
    echo "== $name"
    running=$name
    "$@"
    running=
    summary+=("$name $((SECONDS - start)) s")
}

# test_phase NAME COMMAND...: the same for a phase whose failure does not
# stop the run.
test_phase() {
    local name=$1 start=$SECONDS
    shift
    echo "== $name"
    # A subshell outside any condition, so that errexit holds inside a
    # function phase too.
    local rc=0
    set +e
    (
        set -e
        "$@"
    )
    rc=$?
    set -e
    if ((rc == 0)); then
        summary+=("$name $((SECONDS - start)) s")
    else
        summary+=("$name FAILED after $((SECONDS - start)) s")
        failed+=("$name")
    fi
}

# set_up DIR OPTION...: sets DIR up with these options, or applies them to
# the set-up it already has (make demo leaves one without the tests).
set_up() {
    local dir=$1
    shift
    if [[ -f $dir/build.ninja ]]; then
        meson configure "$dir" "$@" >/dev/null
    else
        meson setup "$dir" "$@" >/dev/null
    fi
}

# configure DIR OPTION...: sets DIR up and builds everything in it.
configure() {
    set_up "$@"
    ninja -C "$1"
}

# suite_programs DIR SUITE: the ninja targets the tests of SUITE need (as
# `meson test --suite SUITE` would build them), one a line.
suite_programs() {
    meson introspect "$1" --tests --targets | python3 -c '
import json, os, sys
intro = json.load(sys.stdin)
files = {t["id"]: t["filename"] for t in intro["targets"]}
for test in intro["tests"]:
    if "smdl:" + sys.argv[2] in test["suite"]:
        for dep in test["depends"]:
            for f in files[dep]:
                print(os.path.relpath(f, sys.argv[1]))
' "$1" "$2" | sort -u
}

# The clang build: the compiler is chosen when the directory is set up.
clang_build() {
    CC=clang configure "$CLANG_BUILD" --buildtype=release -Dtests=enabled -Dexamples=enabled \
        -Dbenchmarks=enabled
}

# The ThreadSanitizer build: the suite pool's programs only, which keeps
# the phase short.
tsan_build() {
    set_up "$TSAN_BUILD" -Dtests=enabled -Dexamples=disabled -Dbenchmarks=disabled \
        -Db_sanitize=thread
    local targets
    mapfile -t targets < <(suite_programs "$TSAN_BUILD" pool)
    if ((${#targets[@]} == 0)); then
        echo "no test of the suite pool in $TSAN_BUILD" >&2
        return 1
    fi
    ninja -C "$TSAN_BUILD" "${targets[@]}"
}

# The ThreadSanitizer of gcc 12 (libtsan2) wants its shadow memory where a
# kernel with more address-space randomisation (vm.mmap_rnd_bits above 28)
# may already have mapped something, and then stops with "unexpected
# memory mapping"; turning ASLR off for the tests (setarch -R) avoids it
# where the machine allows it.
tsan_tests() {
    local no_aslr=()
    if setarch "$(uname -m)" -R true 2>/dev/null; then
        no_aslr=(setarch "$(uname -m)" -R)
    fi
    TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
        SMDL_TEST_POOL_STRESS_OPS=${SMDL_TEST_POOL_STRESS_OPS:-1000} \
        "${no_aslr[@]}" meson test -C "$TSAN_BUILD" --suite pool --print-errorlogs \
        --timeout-multiplier 3
}

# The fuzz targets (tests/fuzz): tests/fuzz/fuzz.sh builds them with clang
# and libFuzzer in a build directory of their own and runs each briefly
# over its committed corpus (the test suite 'fuzz').
FUZZ_BUILD=${FUZZ_BUILD:-build-fuzz}
fuzz_smoke() {
    tests/fuzz/fuzz.sh "$FUZZ_BUILD"
}

start_servers() {
    tests/servers.sh start "$servers" >"$servers/start.log" 2>&1 &
    server_pid=$!
}

wait_servers() {
    local rc=0
    wait "$server_pid" || rc=$?
    server_pid=
    if ((rc != 0)); then
        cat "$servers/start.log" >&2
        return "$rc"
    fi
    eval "$(tests/servers.sh env "$servers")"
    export SMDL_TEST_PG_URL SMDL_TEST_MYSQL_URL
    unset SMDL_TEST_ALLOW_SKIP SMDL_TEST_DIALECTS
    # The editor tests fail here, rather than skip, without vim or emacs.
    export SMDL_REQUIRE_EDITORS=1
    export SMDL_REQUIRE_ALL=1 # a test whose tool or library is missing fails
}

start_servers
phase build configure "$BUILD" -Dtests=enabled -Dexamples=enabled -Dbenchmarks=enabled
phase "asan build" configure "$ASAN_BUILD" -Dtests=enabled -Dexamples=enabled -Dbenchmarks=disabled \
    -Db_sanitize=address,undefined -Db_lundef=false
phase "clang build" clang_build
phase "tsan build" tsan_build
phase servers wait_servers
test_phase tests meson test -C "$BUILD" --print-errorlogs
test_phase downstream tests/downstream/run.sh
UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    SMDL_TEST_POOL_STRESS_OPS=${SMDL_TEST_POOL_STRESS_OPS:-3000} \
    test_phase "asan tests" meson test -C "$ASAN_BUILD" --print-errorlogs \
    --timeout-multiplier 3
test_phase "tsan tests" tsan_tests
test_phase "fuzz smoke" fuzz_smoke
if ((${#failed[@]} > 0)); then
    echo "== failed: $(join "${failed[@]}")" >&2
    exit 1
fi
echo "== all tests passed"
