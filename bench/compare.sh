#!/usr/bin/env bash
# Generated code against hand-written prepared statements, on each
# database: the hero workload, runs alternating (C, smc, smc, C, ...),
# the client pinned to CPU 0 and the database server to CPU 1, so the two
# do not fight over one core.  Prints the median and spread of ops/s and
# of client CPU per operation, and the ratios.
#
#   bench/compare.sh [BUILD_DIR] [BACKEND ...]      BACKEND: sqlite pg mariadb
#   RUNS=5 BENCH_ARGS="--inserts 20000" bench/compare.sh build sqlite
#
# PostgreSQL and MariaDB are the throwaway servers of tests/servers.sh
# (tuned for speed: fsync off); results go to bench/results/<stamp>/.
set -euo pipefail
cd "$(dirname "$0")/.."

build=${1:-build}
shift || true
backends=("$@")
((${#backends[@]})) || backends=(sqlite pg mariadb)
runs=${RUNS:-5}
read -ra extra <<<"${BENCH_ARGS:-}"

ninja -C "$build" bench/hero_smc bench/hero_sqlite bench/hero_pg bench/hero_mariadb >/dev/null
stamp=$(date -u +%Y%m%d-%H%M%S)
out=bench/results/$stamp
mkdir -p "$out" /tmp/smc_bench

# shellcheck source=tools/servers.sh
source bench/tools/servers.sh
bench_servers "${backends[@]}"

command_of() { # impl backend -> the array cmd
    local impl=$1 b=$2
    case $impl-$b in
        c-sqlite) cmd=("$build/bench/hero_sqlite" --conn /tmp/smc_bench/c.sqlite) ;;
        smc-sqlite) cmd=("$build/bench/hero_smc" --conn sqlite:/tmp/smc_bench/smc.sqlite) ;;
        c-pg) cmd=("$build/bench/hero_pg" --conn
                   "host=127.0.0.1 port=$pg_port dbname=smcbench user=smdl password=smdl") ;;
        smc-pg) cmd=("$build/bench/hero_smc" --conn "postgres://smdl:smdl@127.0.0.1:$pg_port/smcbench") ;;
        c-mariadb) cmd=("$build/bench/hero_mariadb" --conn
                        "host=127.0.0.1 port=$my_port dbname=smcbench user=smdl password=smdl") ;;
        smc-mariadb) cmd=("$build/bench/hero_smc" --conn "mysql://smdl:smdl@127.0.0.1:$my_port/smcbench") ;;
    esac
}

run_one() { # impl backend k
    local impl=$1 b=$2 k=$3 cmd=()
    rm -f /tmp/smc_bench/*.sqlite*
    command_of "$impl" "$b"
    "${pin_client[@]}" "${cmd[@]}" "${extra[@]}" >"$out/$impl-$b.run$k" 2>"$out/$impl-$b.err$k"
}

for b in "${backends[@]}"; do
    for ((k = 1; k <= runs; k++)); do
        if ((k % 2)); then order=(c smc); else order=(smc c); fi
        for impl in "${order[@]}"; do
            printf '== %s-%s run %d/%d\n' "$impl" "$b" "$k" "$runs" >&2
            run_one "$impl" "$b" "$k"
        done
    done
done
python3 bench/tools/compare.py "$out" "${backends[@]}" | tee "$out/summary.md"
