#!/usr/bin/env bash
# Runs one fuzz target: first every seed once (a seed that crashes fails
# at once), then libFuzzer over a working corpus made of the seeds.
#
#   run.sh NAME TARGET DICT EXT RUNS SEED...
#
# A SEED is a file, or a directory whose *.EXT files are taken.  Without
# FUZZ_OUT this is the smoke run of the test suite: RUNS inputs from a
# fixed random seed (the same inputs every time), at most FUZZ_SECONDS
# (default 30), in a temporary directory kept only when something was
# found.
#
# Environment:
#   FUZZ_OUT      fuzz for FUZZ_SECONDS (default 600) instead, keeping the
#                 working corpus, findings and logs in FUZZ_OUT/NAME/, in
#                 fork mode: one child at a time, restarted after a finding
#   FUZZ_FLAGS    more libFuzzer flags
# Exit status 0 when nothing was found, 1 otherwise; findings are listed.
set -euo pipefail

name=$1 target=$2 dict=$3 ext=$4 runs=$5
shift 5

if [[ -n ${FUZZ_OUT:-} ]]; then
    out=$FUZZ_OUT/$name
    long=1
    seconds=${FUZZ_SECONDS:-600}
    mkdir -p "$out"
else
    out=$(mktemp -d "${TMPDIR:-/tmp}/fuzz-$name.XXXXXX")
    long=0
    seconds=${FUZZ_SECONDS:-30}
fi
out=$(cd "$out" && pwd)
mkdir -p "$out/corpus" "$out/seeds"

# Seeds are named after their directory too: several schemas share a name.
for s in "$@"; do
    if [[ -d $s ]]; then
        for f in "$s"/*."$ext"; do
            [[ -f $f ]] && cp "$f" "$out/seeds/$(basename "$s")-$(basename "$f")"
        done
    else
        cp "$s" "$out/seeds/"
    fi
done
cp -n "$out/seeds"/* "$out/corpus/" 2>/dev/null || true

# UBSan reports are findings too; leaks are checked per input.
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:allocator_may_return_null=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:abort_on_error=1:print_stacktrace=1}

flags=(-dict="$dict" -timeout=10 -rss_limit_mb=2048 -error_exitcode=1 -timeout_exitcode=1
       -artifact_prefix="$out/" -print_final_stats=1)
read -r -a extra <<<"${FUZZ_FLAGS:-}"
flags+=("${extra[@]}")

status=0
echo "== $name: $(find "$out/seeds" -type f | wc -l) seeds, one run each"
if ! "$target" "${flags[@]}" "$out/seeds"/* >"$out/seeds.log" 2>&1; then
    tail -n 60 "$out/seeds.log"
    echo "$name: a seed fails (log: $out/seeds.log)"
    status=1
fi

# A long run goes on past a failing seed: fork mode ignores crashes.
if ((status == 0 || long)); then
    fuzz=(-max_total_time="$seconds")
    if ((long)); then
        echo "== $name: fuzzing for ${seconds}s (log: $out/fuzz.log)"
        fuzz+=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
    else
        echo "== $name: $runs inputs from seed 1 (log: $out/fuzz.log)"
        fuzz+=(-seed=1 -runs="$runs")
    fi
    if ! "$target" "${flags[@]}" "${fuzz[@]}" "$out/corpus" >"$out/fuzz.log" 2>&1; then
        status=1
    fi
    # The last coverage line and the final statistics.
    grep -a -E 'cov: [0-9]+ ft: [0-9]+' "$out/fuzz.log" | tail -n 1 || true
    grep -a -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' \
        "$out/fuzz.log" | tail -n 3 || true
fi

findings=$(find "$out" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' \
           -o -name 'oom-*' -o -name 'slow-unit-*' \) | sort)
if [[ -n $findings ]]; then
    status=1
    echo "$name: findings (reproduce with: $target FILE):"
    echo "$findings"
    grep -a -E -m 20 'ERROR: |SUMMARY: |invariant broken' "$out/fuzz.log" || true
fi
if ((status)); then
    ((long)) || tail -n 80 "$out/fuzz.log" 2>/dev/null || true
    echo "$name: FAILED; everything is in $out"
    exit 1
fi
((long)) || rm -rf "$out"
echo "$name: no findings"
