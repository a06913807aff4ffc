#!/usr/bin/env bash
# run.sh [--generate] SMC [SHAPE...]: how `smc check` (with --generate:
# `smc FILE -o DIR`, checking and every emitter) grows with its input.
# Each shape of gen.py is generated at n and 10n and run; the table gives
# the wall and CPU (user + system) time and the peak resident memory of
# each run, and the growth from n to 10n (10x is linear).  Public tools
# only: bash, python3, /usr/bin/time.
#
#   bench/smc_growth/run.sh build/compiler/smc > bench/smc_growth/results/NAME.md
#   LIMIT=300 bench/smc_growth/run.sh build/compiler/smc chain strings:200000
#   bench/smc_growth/run.sh --generate build/compiler/smc > bench/smc_growth/results/NAME.md
#
# LIMIT (seconds, default 120) stops a run that takes longer; its row says
# so.  RUNS (default 3) runs of each, the one of least CPU time kept.  The
# CPU growth is shown when n takes at least 0.05 s, below which the
# clock's 10 ms steps are the larger part; memory growth is always shown.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
generate=false
if [[ ${1:-} == --generate ]]; then
    generate=true
    shift
fi
smc=$1
shift
# SHAPE or SHAPE:N; the default n of each is below.
declare -A base_n=([queries]=2000 [enums]=2000 [strings]=2000 [chain]=200 [models]=4000
                   [tables]=4000 [fields]=20000 [members]=50000 [params]=20000 [items]=20000
                   [nested]=30000 [errors]=10000 [nesting]=300 [enum_models]=2000
                   [null_params]=2000 [partial]=2000 [likes]=2000)
shapes=("$@")
if [[ ${#shapes[@]} -eq 0 ]] && $generate; then
    shapes=(nesting enum_models null_params partial likes queries models tables fields params
            items)
elif [[ ${#shapes[@]} -eq 0 ]]; then
    shapes=(queries enums strings chain models tables fields members params items nested errors)
fi
limit=${LIMIT:-120}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/smc-growth.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

# measure SHAPE N: prints "wall cpu rss_mb status" for smc, the
# least of RUNS runs (default 3: the least is the least disturbed by a
# busy machine).
measure() {
    local f="$tmp/$1.smdl" best=""
    python3 "$here/gen.py" "$1" "$2" >"$f" || return 1
    local cmd=("$smc" check "$f")
    $generate && cmd=("$smc" "$f" -o "$tmp/out")
    for ((k = 0; k < ${RUNS:-3}; k++)); do
        /usr/bin/time -f '%e %U %S %M' -o "$tmp/time" timeout "$limit" "${cmd[@]}" \
            >/dev/null 2>"$tmp/err"
        local rc=$?
        if [[ $rc -eq 124 ]]; then
            echo "- - - >${limit}s"
            return
        fi
        # The last line: time writes "Command exited with non-zero status" first.
        local line
        line=$(awk -v rc="$rc" 'END { printf "%.2f %.2f %.1f exit%d", $1, $2 + $3, $4 / 1024, rc }' \
               "$tmp/time")
        best=$(printf '%s\n%s\n' "$best" "$line" | awk 'NF && (min == "" || $2 < min) {
            min = $2; keep = $0 } END { print keep }')
    done
    echo "$best"
}

what="smc check"
$generate && what="smc -o (generation)"
echo "$what ($("$smc" --version)): growth from n to 10n ($(uname -m), $(nproc) cpus, load $(cut -d' ' -f1 /proc/loadavg))"
echo
echo "| shape | n | wall s | cpu s | RSS MB | 10n | wall s | cpu s | RSS MB | cpu x | RSS x |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for arg in "${shapes[@]}"; do
    s=${arg%%:*}
    n=${base_n[$s]:-2000}
    [[ $arg == *:* ]] && n=${arg#*:}
    read -r w1 c1 r1 x1 < <(measure "$s" "$n")
    read -r w2 c2 r2 x2 < <(measure "$s" $((10 * n)))
    growth=$(awk -v c1="$c1" -v c2="$c2" -v r1="$r1" -v r2="$r2" 'BEGIN {
        if (c2 == "-") { print "- -"; exit }
        cx = c1 >= 0.05 ? sprintf("%.1f", c2 / c1) : "n/a"
        printf "%s %.1f\n", cx, r2 / r1 }')
    read -r gx grx <<<"$growth"
    [[ $x2 == exit* ]] || { w2="$x2"; }
    echo "| $s | $n | $w1 | $c1 | $r1 | $((10 * n)) | $w2 | $c2 | $r2 | $gx | $grx |"
done
