#!/usr/bin/env bash
# The connection pool through generated code, on each database (README.md,
# "Connection pool"): the uncontended cost of sm_pool_acquire +
# sm_pool_release, and the throughput of a mixed workload (eight gets,
# one update, one insert in a transaction) on 1 to 16 threads through a
# pool of 8 connections, a pool of one connection per thread, and one
# sm_conn per thread without a pool.  Every run starts from fresh tables;
# within a run the three ways alternate, in an order that rotates from
# run to run.  Prints medians and spread; results go to
# bench/results/<stamp>-pool/.
#
#   bench/pool.sh [BUILD_DIR] [BACKEND ...]        BACKEND: sqlite pg mariadb
#   RUNS=3 POOL_THREADS="1 4 16" POOL_SECONDS=0.5 bench/pool.sh build sqlite
#
# The acquire phase runs on CPU 0.  In the mixed phase the client runs on
# CPU 0 and the server on CPU 1 (PostgreSQL, MariaDB: the throwaway
# servers of tests/servers.sh, started here and stopped at the end;
# SMDL_PG_PORT and SMDL_MY_PORT move them); SQLite, in the client's
# process, may use every CPU.
set -euo pipefail
cd "$(dirname "$0")/.."

build=${1:-build}
shift || true
backends=("$@")
((${#backends[@]})) || backends=(sqlite pg mariadb)
runs=${RUNS:-5}
read -ra threads <<<"${POOL_THREADS:-1 2 4 8 16}"
secs=${POOL_SECONDS:-1}
pool_max=8

ninja -C "$build" bench/pool_bench >/dev/null
stamp=$(date -u +%Y%m%d-%H%M%S)
out=bench/results/$stamp-pool
mkdir -p "$out" /tmp/smc_bench

# shellcheck source=tools/servers.sh
source bench/tools/servers.sh
bench_servers "${backends[@]}"

url_of() { # backend
    case $1 in
        sqlite) echo sqlite:/tmp/smc_bench/pool.sqlite ;;
        pg) echo "postgres://smdl:smdl@127.0.0.1:$pg_port/smcbench" ;;
        mariadb) echo "mysql://smdl:smdl@127.0.0.1:$my_port/smcbench" ;;
    esac
}

{
    printf 'date=%s\nnproc=%s\ncpu=%s\nload=%s\n' "$(date -u +%FT%TZ)" "$cpus" \
        "$(sed -n 's/^model name\t*: //p' /proc/cpuinfo | head -1)" "$(cut -d' ' -f1-3 /proc/loadavg)"
    printf 'commit=%s\nruns=%s\nthreads=%s\nseconds=%s\npool_max=%s\n' \
        "$(git rev-parse --short HEAD)" "$runs" "${threads[*]}" "$secs" "$pool_max"
} >"$out/env.txt"

for b in "${backends[@]}"; do
    url=$(url_of "$b")
    mixed_pin=("${pin_client[@]}")
    [[ $b == sqlite ]] && mixed_pin=()
    for ((k = 1; k <= runs; k++)); do
        log=$out/$b.run$k err=$out/$b.err$k
        : >"$log"
        rm -f /tmp/smc_bench/pool.sqlite*
        "$build/bench/pool_bench" --conn "$url" --setup >>"$log" 2>>"$err"
        printf '== %s acquire run %d/%d\n' "$b" "$k" "$runs" >&2
        "${pin_client[@]}" "$build/bench/pool_bench" --conn "$url" --phase acquire \
            --seconds 0.5 >>"$log" 2>>"$err"
        for t in "${threads[@]}"; do
            ways=(direct "pool $pool_max")
            ((t != pool_max)) && ways+=("pool $t")
            n=${#ways[@]}
            for ((j = 0; j < n; j++)); do
                read -r mode max <<<"${ways[$(((j + k - 1) % n))]}"
                printf '== %s %s%s threads=%d run %d/%d\n' "$b" "$mode" "${max:+ $max}" "$t" "$k" "$runs" >&2
                "${mixed_pin[@]}" "$build/bench/pool_bench" --conn "$url" --phase mixed \
                    --threads "$t" --mode "$mode" --max-conns "${max:-$t}" --seconds "$secs" \
                    >>"$log" 2>>"$err"
            done
        done
    done
done
rm -f /tmp/smc_bench/pool.sqlite*
printf 'load_end=%s\n' "$(cut -d' ' -f1-3 /proc/loadavg)" >>"$out/env.txt"
python3 bench/tools/pool.py "$out" "${backends[@]}" | tee "$out/summary.md"
