#!/usr/bin/env bash
# Relationships loaded by hand over each client library, by one JOIN or by
# one batched IN query per level, against generated code, on each
# database (README.md, "Relationships"): R1 reads 1,000 teams with their
# 10 heroes each, R2 1,000 heroes with their team.  Every run reads the
# same tables, filled once per database; runs alternate in rotating order,
# the client pinned to CPU 0 and the database server to CPU 1.  Prints
# the median and spread of ops/s and client CPU per operation, and the
# ratios; results go to bench/results/<stamp>/.
#
#   bench/relations.sh [BUILD_DIR] [BACKEND ...]      BACKEND: sqlite pg mariadb
#   RUNS=9 REL_ARGS="--reps-teams 100" bench/relations.sh build sqlite
#
# PostgreSQL and MariaDB are throwaway servers of tests/servers.sh,
# started here and stopped at the end; SMDL_PG_PORT and SMDL_MY_PORT
# move them off the ports of other servers.  The generated-code programs
# (rel_smc, rel_smc_explicit) are measured when they build (a schema
# change can break them); otherwise the run says so and measures the
# hand-written ones.
set -euo pipefail
cd "$(dirname "$0")/.."

build=${1:-build}
shift || true
backends=("$@")
((${#backends[@]})) || backends=(sqlite pg mariadb)
runs=${RUNS:-7}
read -ra extra <<<"${REL_ARGS:-}"

stamp=$(date -u +%Y%m%d-%H%M%S)
out=bench/results/$stamp
mkdir -p "$out" /tmp/smc_bench

ninja -C "$build" bench/rel_sqlite bench/rel_pg bench/rel_mariadb >/dev/null
impls=(c-join c-in)
for target in rel_smc rel_smc_explicit; do
    log=$build/bench/$target.build.log
    if ninja -C "$build" "bench/$target" >"$log" 2>&1; then
        impls+=("$([[ $target == rel_smc ]] && echo smc || echo smc-explicit)")
    else
        printf 'bench/%s does not build yet: not measured\n' "$target" >>"$out/notes.txt"
        printf 'note: bench/%s does not build (%s): not measured\n' "$target" "$log" >&2
    fi
done

# shellcheck source=tools/servers.sh
source bench/tools/servers.sh
bench_servers "${backends[@]}"

command_of() { # impl backend -> the array cmd
    local impl=$1 b=$2 prog conn url
    case $b in
        sqlite) prog=rel_sqlite conn=/tmp/smc_bench/rel.sqlite url=sqlite:/tmp/smc_bench/rel.sqlite ;;
        pg) prog=rel_pg
            conn="host=127.0.0.1 port=$pg_port dbname=smcbench user=smdl password=smdl"
            url="postgres://smdl:smdl@127.0.0.1:$pg_port/smcbench" ;;
        mariadb) prog=rel_mariadb
                 conn="host=127.0.0.1 port=$my_port dbname=smcbench user=smdl password=smdl"
                 url="mysql://smdl:smdl@127.0.0.1:$my_port/smcbench" ;;
    esac
    case $impl in
        setup) cmd=("$build/bench/$prog" --conn "$conn" --setup) ;;
        c-join) cmd=("$build/bench/$prog" --conn "$conn" --strategy join) ;;
        c-in) cmd=("$build/bench/$prog" --conn "$conn" --strategy in) ;;
        smc) cmd=("$build/bench/rel_smc" --conn "$url") ;;
        smc-explicit) cmd=("$build/bench/rel_smc_explicit" --conn "$url") ;;
    esac
}

{
    printf 'date=%s\nnproc=%s\nload=%s\n' "$(date -u +%FT%TZ)" "$cpus" "$(cut -d' ' -f1-3 /proc/loadavg)"
    printf 'commit=%s\nruns=%s\nimpls=%s\nargs=%s\n' "$(git rev-parse --short HEAD)" "$runs" \
        "${impls[*]}" "${extra[*]}"
} >"$out/env.txt"

# The CPU time the database server has used so far, in clock ticks: all
# of mysqld's threads; the postmaster with the backends it has reaped.
hz=$(getconf CLK_TCK)
server_ticks() { # backend
    local pid=
    case $1 in
        pg) pid=$(head -1 "$servers/pg/data/postmaster.pid") ;;
        mariadb) pid=$(cat "$servers/my.pid") ;;
        *) return 0 ;;
    esac
    awk '{print $14 + $15 + $16 + $17}' "/proc/$pid/stat"
}

for b in "${backends[@]}"; do
    rm -f /tmp/smc_bench/rel.sqlite*
    command_of setup "$b"
    "${cmd[@]}" "${extra[@]}" >"$out/setup-$b.out"
    n=${#impls[@]}
    for ((k = 1; k <= runs; k++)); do
        for impl in "${impls[@]}"; do : >"$out/$impl-$b.run$k"; done
        # Each phase runs on its own, so that the server's CPU time can be
        # told apart; the order rotates from run to run.
        for phase in R1 R2; do
            for ((j = 0; j < n; j++)); do
                impl=${impls[$(((j + k - 1) % n))]}
                printf '== %s-%s %s run %d/%d\n' "$impl" "$b" "$phase" "$k" "$runs" >&2
                command_of "$impl" "$b"
                before=$(server_ticks "$b")
                "${pin_client[@]}" "${cmd[@]}" "${extra[@]}" --phase "${phase,,}" \
                    >>"$out/$impl-$b.run$k" 2>>"$out/$impl-$b.err$k"
                if [[ -n $before ]]; then
                    sleep 0.3 # the backend's exit, for the postmaster to reap it
                    awk -v p="$phase" -v t="$(($(server_ticks "$b") - before))" -v hz="$hz" \
                        'BEGIN { printf "# %s server_cpu_secs=%.2f\n", p, t / hz }' \
                        >>"$out/$impl-$b.run$k"
                fi
            done
        done
    done
done
printf 'load_end=%s\n' "$(cut -d' ' -f1-3 /proc/loadavg)" >>"$out/env.txt"
python3 bench/tools/relations.py "$out" "${backends[@]}" | tee "$out/summary.md"
