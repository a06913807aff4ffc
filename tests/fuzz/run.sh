#!/usr/bin/env bash
# Runs one fuzz target: first every seed once (a seed that fails is
# reported and left out), then libFuzzer over a working corpus made of
# the seeds.
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
#                 working corpus, findings and logs in FUZZ_OUT/NAME/, and
#                 starting again after a finding
#   FUZZ_REPEATS  end a long run when one finding came back this many times
#                 (default 3)
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

# UBSan reports are findings too; leaks are checked per input.
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:allocator_may_return_null=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:abort_on_error=1:print_stacktrace=1}

flags=(-dict="$dict" -timeout=10 -rss_limit_mb=2048 -error_exitcode=1 -timeout_exitcode=1
       -artifact_prefix="$out/" -print_final_stats=1)
read -r -a extra <<<"${FUZZ_FLAGS:-}"
flags+=("${extra[@]}")

# The first report in a log: an invariant, a sanitizer or libFuzzer.
first_error() {
    grep -a -m 1 -E 'invariant broken|runtime error|ERROR: [A-Za-z]*Sanitizer|ERROR: libFuzzer' \
        "$1" | cut -c 1-240 || true
}

# Every seed once.  libFuzzer stops at the first that fails: it is a
# finding, set aside (never put in the corpus), and the rest run again.
status=0
echo "== $name: $(find "$out/seeds" -type f | wc -l) seeds, one run each"
while ! "$target" "${flags[@]}" "$out/seeds"/* >"$out/seeds.log" 2>&1; do
    status=1
    bad=$(grep -a '^Running: ' "$out/seeds.log" | tail -n 1 | cut -c 10-)
    if [[ ! -f $bad ]]; then
        tail -n 40 "$out/seeds.log"
        echo "$name: running the seeds failed (log: $out/seeds.log)"
        break
    fi
    echo "$name: the seed $(basename "$bad") fails: $(first_error "$out/seeds.log")"
    mkdir -p "$out/failing-seeds"
    mv "$bad" "$out/failing-seeds/"
done
cp -n "$out/seeds"/* "$out/corpus/" 2>/dev/null || true

# Where a report comes from: the invariant, sanitizer or libFuzzer check
# and its place, without the addresses and inputs that differ each time.
signature() {
    grep -a -o -m 1 -E 'invariant broken at [^ ]+|SUMMARY: [A-Za-z]+Sanitizer: [^ ]+ [^ ]+|ERROR: libFuzzer: [a-z-]+' \
        "$1" || echo unknown
}

start=$SECONDS
if ((long)); then
    # Plain libFuzzer, started again after each finding (fork mode would
    # fuzz small subsets of the corpus); a finding seen FUZZ_REPEATS times
    # ends the run, since the rest of it would mostly find it again.
    echo "== $name: fuzzing for ${seconds}s (log: $out/fuzz.log)"
    : >"$out/fuzz.log"
    declare -A seen=()
    end=$((SECONDS + seconds))
    while ((SECONDS < end)); do
        if "$target" "${flags[@]}" -max_total_time=$((end - SECONDS)) "$out/corpus" \
            >"$out/run.log" 2>&1; then
            cat "$out/run.log" >>"$out/fuzz.log"
            break
        fi
        cat "$out/run.log" >>"$out/fuzz.log"
        status=1
        sig=$(signature "$out/run.log")
        seen[$sig]=$((${seen[$sig]:-0} + 1))
        echo "$name: at $((seconds - (end - SECONDS)))s: $sig"
        if ((${seen[$sig]} >= ${FUZZ_REPEATS:-3})); then
            echo "$name: found ${seen[$sig]} times; stopping"
            break
        fi
    done
    rm -f "$out/run.log"
else
    echo "== $name: $runs inputs from seed 1 (log: $out/fuzz.log)"
    if ! "$target" "${flags[@]}" -seed=1 -runs="$runs" -max_total_time="$seconds" \
        "$out/corpus" >"$out/fuzz.log" 2>&1; then
        status=1
    fi
fi
# How much was run, and the coverage reached.
elapsed=$((SECONDS - start > 0 ? SECONDS - start : 1))
execs=$(awk '/^stat::number_of_executed_units:/ { n += $2 } END { print n + 0 }' "$out/fuzz.log")
echo "$name: $execs inputs in ${elapsed}s, $((execs / elapsed))/s; at the end:"
grep -a -E 'cov: [0-9]+ ft: [0-9]+' "$out/fuzz.log" | tail -n 1 || true

findings=$(find "$out" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' \
           -o -name 'oom-*' -o -name 'slow-unit-*' \) | sort)
if [[ -n $findings ]]; then
    status=1
    echo "$name: findings (reproduce with: $target FILE):"
    for f in $findings; do
        "$target" -timeout=10 "$f" >"$out/replay.log" 2>&1 || true
        echo "  $f: $(first_error "$out/replay.log")"
    done
    rm -f "$out/replay.log"
fi
if ((status)); then
    ((long)) || tail -n 80 "$out/fuzz.log" 2>/dev/null || true
    echo "$name: FAILED; everything is in $out"
    exit 1
fi
((long)) || rm -rf "$out"
echo "$name: no findings"
