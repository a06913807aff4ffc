#!/usr/bin/env bash
# scale.sh SMC [N...]: `smc check` and generation (`smc FILE -o DIR`:
# checking and every emitter, the .h and the .c with the SQL of every
# dialect) on the `app` shape of gen.py: N tables of several columns, each
# with an FK, an index and two queries.  For each N (default 10 100 1000
# 10000) and each command, prints the wall and CPU (user + system) time,
# the peak resident memory and the growth of each from the N before
# (10x per 10x of tables is linear).  Public tools only: bash, python3,
# /usr/bin/time.  `make bench` runs it at 10 to 100,000 tables (bench.sh's
# scale part) into docs/performance.md.
#
#   bench/smc_growth/scale.sh build/compiler/smc > bench/smc_growth/results/NAME.md
#   RUNS=1 bench/smc_growth/scale.sh build/compiler/smc 100000
#
# RUNS (default 3) runs of each, the one of least CPU time kept; LIMIT
# (seconds, default 300) stops a run that takes longer.  CPU times are in
# the clock's 10 ms steps: a growth is shown when the smaller run takes at
# least 0.05 s.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
smc=$1
shift
sizes=("$@")
[[ ${#sizes[@]} -eq 0 ]] && sizes=(10 100 1000 10000)
limit=${LIMIT:-300}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/smc-scale.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

# measure FILE CMD...: prints "wall cpu rss_mb" of the least-CPU of RUNS
# runs, or "- - - >LIMITs" / "- - - exitN".
measure() {
    local best="" line rc
    for ((k = 0; k < ${RUNS:-3}; k++)); do
        rm -rf "$tmp/out"
        /usr/bin/time -v -o "$tmp/time" timeout "$limit" "$@" >/dev/null 2>"$tmp/err"
        rc=$?
        [[ $rc -eq 124 ]] && { echo "- - - >${limit}s"; return; }
        [[ $rc -ne 0 ]] && { echo "- - - exit$rc"; return; }
        line=$(awk -F': ' '
            /User time/ { u = $2 } /System time/ { s = $2 }
            /Maximum resident/ { m = $2 }
            /Elapsed \(wall clock\)/ {
                n = split($2, p, ":"); w = 0
                for (i = 1; i <= n; i++) w = w * 60 + p[i] }
            END { printf "%.2f %.2f %.1f\n", w, u + s, m / 1024 }' "$tmp/time")
        best=$(printf '%s\n%s\n' "$best" "$line" | awk 'NF && (min == "" || $2 < min) {
            min = $2; keep = $0 } END { print keep }')
    done
    echo "$best"
}

echo "smc ($("$smc" --version)) on n tables with two queries each" \
     "($(uname -m), $(nproc) cpus, load $(cut -d' ' -f1 /proc/loadavg))"
echo
echo "| tables | schema KB | check wall s | cpu s | RSS MB | cpu x | RSS x |" \
     "generate wall s | cpu s | RSS MB | output MB | cpu x | RSS x |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
prev_c="" prev_g=""
# growth OLD NEW: "cpu_x rss_x" from two "wall cpu rss" lines.
growth() {
    awk -v a="$1" -v b="$2" 'BEGIN {
        split(a, x, " "); split(b, y, " ")
        if (a == "" || x[2] == "-" || y[2] == "-") { print "- -"; exit }
        cx = x[2] >= 0.05 ? sprintf("%.1f", y[2] / x[2]) : "n/a"
        printf "%s %.1f\n", cx, y[3] / x[3] }'
}
for n in "${sizes[@]}"; do
    f="$tmp/app.smdl"
    python3 "$here/gen.py" app "$n" >"$f" || exit 1
    kb=$(( $(stat -c %s "$f") / 1024 ))
    c=$(measure "$smc" check "$f")
    g=$(measure "$smc" "$f" -o "$tmp/out")
    out_mb=$(du -sk "$tmp/out" 2>/dev/null | awk '{ printf "%.1f", $1 / 1024 }')
    read -r cw cc cr cs <<<"$c"
    read -r gw gc gr gs <<<"$g"
    [[ -n ${cs:-} ]] && cw=$cs
    [[ -n ${gs:-} ]] && gw=$gs
    read -r ccx crx <<<"$(growth "$prev_c" "$c")"
    read -r gcx grx <<<"$(growth "$prev_g" "$g")"
    echo "| $n | $kb | $cw | $cc | $cr | $ccx | $crx | $gw | $gc | $gr | ${out_mb:--} | $gcx | $grx |"
    prev_c=$c prev_g=$g
done
