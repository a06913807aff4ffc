#!/usr/bin/env bash
# make bench: the whole performance comparison in one unattended run.
#
# Builds a release tree, starts throwaway PostgreSQL and MariaDB servers on
# 127.0.0.1 (tests/servers.sh, pinned to CPU 1), runs the hero workload
# through generated code (smdl), hand-written C over the same client
# library (c) and Python SQLModel (sqlmodel) on each database, C and smdl
# in lockstep (turns of a block of a phase each), the client pinned to
# CPU 0; then the JSON codec side by side, PostgreSQL
# pipelined batches, start-up, binary sizes and smc on schemas of 10 to
# 100,000 tables.  Stops the servers and writes docs/performance.md from
# bench/results/<stamp>-all/.
#
#   make bench                                   # as root on Debian 12
#   RUNS=3 PY_RUNS=1 DBS="sqlite pg" bench/bench.sh
#   BENCH_ARGS="--inserts 2000 --gets 2000 --queries 10 --updates 200" \
#     RUNS=1 PY_RUNS=1 SCALE="10 100" BENCH_DOC=/dev/null bench/bench.sh   # smoke
#
# Environment: RUNS (C and smdl runs per database, default 7), PY_RUNS
# (SQLModel runs, default 3), DBS, IMPLS (c smdl sqlmodel), BENCH_ARGS
# (passed to every workload program), SCALE (table counts for smc),
# BENCH_BUILD (build directory, default build-bench), BENCH_DOC (the page
# written), PARTS (default "workload json pipeline startup sizes scale"), SMDL_PG_PORT / SMDL_MY_PORT (server ports), RUN_TIMEOUT
# (seconds one run may take, default 600).
set -euo pipefail
cd "$(dirname "$0")/.."

build=${BENCH_BUILD:-build-bench}
runs=${RUNS:-7}
py_runs=${PY_RUNS:-3}
read -ra dbs <<<"${DBS:-sqlite pg mariadb}"
read -ra impls <<<"${IMPLS:-c smdl sqlmodel}"
read -ra extra <<<"${BENCH_ARGS:-}"
read -ra scale <<<"${SCALE:-10 100 1000 10000 100000}"
read -ra parts <<<"${PARTS:-workload json pipeline startup sizes scale}"
doc=${BENCH_DOC:-docs/performance.md}
run_timeout=${RUN_TIMEOUT:-600}
py=/usr/bin/python3 # Debian's interpreter and its python3-sqlmodel
begin=$SECONDS

log() { printf '== [%4ds] %s\n' $((SECONDS - begin)) "$*" >&2; }

if [[ $(id -u) == 0 ]]; then
    scripts/deps.sh bench
fi
unset PYTHONPATH PYTHONHOME

log "building $build (release)"
if [[ ! -f $build/build.ninja ]]; then
    meson setup "$build" --buildtype=release -Db_ndebug=true -Dtests=disabled \
        -Dexamples=disabled -Dbenchmarks=enabled >/dev/null
fi
ninja -C "$build" >/dev/null

stamp=$(date -u +%Y%m%d-%H%M%S)
out=bench/results/$stamp-all
mkdir -p "$out"
scratch=$(mktemp -d /tmp/smdl-bench-sqlite.XXXXXX)

# shellcheck source=tools/servers.sh
source bench/tools/servers.sh
bench_servers "${dbs[@]}"
trap 'bench_cleanup; rm -rf "$scratch"' EXIT

bin=$build/bench
pg_kv="host=127.0.0.1 port=$pg_port dbname=smcbench user=smdl password=smdl"
my_kv="host=127.0.0.1 port=$my_port dbname=smcbench user=smdl password=smdl"
pg_url="postgres://smdl:smdl@127.0.0.1:$pg_port/smcbench"
my_url="mysql://smdl:smdl@127.0.0.1:$my_port/smcbench"
# Generated code in a database of its own, beside the hand-written program.
pg_url2="postgres://smdl:smdl@127.0.0.1:$pg_port/smcbench2"
my_url2="mysql://smdl:smdl@127.0.0.1:$my_port/smcbench2"

command_of() { # impl db -> cmd
    case $1-$2 in
        c-sqlite) cmd=("$bin/hero_sqlite" --conn "$scratch/c.sqlite") ;;
        smdl-sqlite) cmd=("$bin/hero_smc" --conn "sqlite:$scratch/smdl.sqlite") ;;
        sqlmodel-sqlite) cmd=("$py" bench/py/hero_sqlmodel.py --url "sqlite:///$scratch/py.sqlite") ;;
        c-pg) cmd=("$bin/hero_pg" --conn "$pg_kv") ;;
        smdl-pg) cmd=("$bin/hero_smc" --conn "$pg_url2") ;;
        sqlmodel-pg) cmd=("$py" bench/py/hero_sqlmodel.py
                          --url "postgresql+psycopg2://smdl:smdl@127.0.0.1:$pg_port/smcbench") ;;
        c-mariadb) cmd=("$bin/hero_mariadb" --conn "$my_kv") ;;
        smdl-mariadb) cmd=("$bin/hero_smc" --conn "$my_url2") ;;
        sqlmodel-mariadb) cmd=("$py" bench/py/hero_sqlmodel.py
                               --url "mysql+mysqldb://smdl:smdl@127.0.0.1:$my_port/smcbench") ;;
        *) echo "bench.sh: unknown implementation $1-$2" >&2; exit 2 ;;
    esac
}

# The C programs (hand-written and generated) run with glibc's mmap
# threshold fixed at its default, 128 KiB.  Left dynamic, it rises to the
# size of the largest mmapped block a program has freed, and then decides
# whether a buffer that grows past it is moved by mremap or copied: the
# generated-code program frees large blocks in its earlier phases and the
# hand-written one does not, which made W5s (one cold pass into a growing
# buffer) 20% slower for reasons that have nothing to do with either codec.
malloc_env=(GLIBC_TUNABLES=glibc.malloc.mmap_threshold=131072)

# One run: stdout to NAME.runK, stderr to NAME.errK, GNU time's peak RSS
# (KiB), user and system seconds to NAME.timeK.  A failed run is recorded
# (NAME.failK) and the report says so; the others go on.
timed_command() { # impl db k -> cmd, wrapped
    command_of "$1" "$2"
    local -a malloc_env=("${malloc_env[@]}")
    [[ $1 == sqlmodel ]] && malloc_env=()
    cmd=(timeout -k 10 "$run_timeout" "${pin_client[@]}" /usr/bin/time -f '%M %U %S'
         -o "$out/$1-$2.time$3" env "${malloc_env[@]}" "${cmd[@]}" "${extra[@]}")
}

run_one() { # impl db k
    local name=$1-$2 k=$3 cmd=() rc=0
    timed_command "$1" "$2" "$k"
    rm -f "$scratch"/*.sqlite*
    log "run $k: $name"
    "${cmd[@]}" >"$out/$name.run$k" 2>"$out/$name.err$k" || rc=$?
    if ((rc)); then
        echo "exit $rc" >"$out/$name.fail$k"
        log "$name run $k failed (exit $rc): $out/$name.err$k"
    fi
}

# Hand-written C and generated code in one run, in lockstep: they take
# turns a block of a phase at a time (tools/lockstep.py, c/workload.h), so
# that both meet the same machine; which one starts alternates.
run_pair() { # impl impl db k
    local db=$3 k=$4 cmd=() side=() name
    rm -f "$scratch"/*.sqlite*
    log "run $k: $1-$db and $2-$db in lockstep"
    for name in "$1" "$2"; do
        timed_command "$name" "$db" "$k"
        ((${#side[@]})) && side+=(++)
        side+=("$out/$name-$db.run$k" "$out/$name-$db.err$k" "$out/$name-$db.fail$k" -- "${cmd[@]}")
    done
    "${pin_client[@]}" "$py" bench/tools/lockstep.py "${side[@]}" ||
        log "$1-$db and $2-$db run $k: not in step or failed: $out/*-$db.err$k"
}

record_environment() {
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(
        git diff --quiet HEAD 2>/dev/null || echo ' (with local changes)')"
    echo "cpu: $(lscpu | sed -n 's/^Model name: *//p') ($(nproc) CPUs)"
    echo "memory: $(free -h | awk '/^Mem:/ {print $2}')"
    echo "kernel: $(uname -r)"
    echo "os: $(. /etc/os-release && echo "$PRETTY_NAME")"
    echo "cc: $(cc --version | head -1)"
    echo "build: $build, $(sed -n 's/.*"name": "buildtype", "value": "\([a-z]*\)".*/\1/p' \
        "$build/meson-info/intro-buildoptions.json" 2>/dev/null | head -1) build"
    echo "python: $($py --version 2>&1)"
    echo "pinning: ${pin_client[*]:-none} (client); servers on CPU 1"
    echo "args: runs=$runs py_runs=$py_runs ${extra[*]}"
    echo "C programs run with: ${malloc_env[*]}"
    dpkg-query -W -f='package: ${Package} ${Version}\n' libsqlite3-0 libpq5 postgresql-15 \
        libmariadb3 mariadb-server python3-sqlmodel python3-sqlalchemy python3-pydantic \
        python3-psycopg2 python3-mysqldb 2>/dev/null || true
    echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
}
record_environment >"$out/env.txt"

# The hero workload: C and smdl in lockstep, SQLModel on its own (its
# runs take ten times as long); any other choice of IMPLS one by one.
run_workload() {
    local k db j n impl paired=0
    [[ " ${impls[*]} " == *" c "* && " ${impls[*]} " == *" smdl "* ]] && paired=1
    for ((k = 1; k <= runs; k++)); do
        for db in "${dbs[@]}"; do
            if ((paired)); then
                if ((k % 2)); then run_pair c smdl "$db" "$k"; else run_pair smdl c "$db" "$k"; fi
            fi
            n=${#impls[@]}
            for ((j = 0; j < n; j++)); do
                impl=${impls[$(((j + k - 1) % n))]}
                [[ $impl == sqlmodel ]] && ((k > py_runs)) && continue
                ((paired)) && [[ $impl == c || $impl == smdl ]] && continue
                run_one "$impl" "$db" "$k"
            done
        done
    done
}

# The JSON codec without a database, generated against hand-written.
run_json() {
    [[ -x $bin/json_perf ]] || return 0
    log "JSON codec"
    "${pin_client[@]}" "$bin/json_perf" >"$out/json.txt" 2>&1 ||
        echo "failed: exit $?" >>"$out/json.txt"
}

# PostgreSQL batches: pipelined get_many / insert_many against the
# per-row hand-written loop.
run_pipeline() {
    local k
    [[ " ${dbs[*]} " == *" pg "* && -x $bin/pg_pipeline ]] || return 0
    log "PostgreSQL pipeline"
    for ((k = 1; k <= runs; k++)); do
        "${pin_client[@]}" "$bin/pg_pipeline" --conn "$pg_url" >"$out/pipeline.run$k" 2>&1 ||
            echo "failed: exit $?" >>"$out/pipeline.run$k"
    done
}

# Start-up: connect, one statement, exit; and the shared objects each
# SQLite program initialises.
run_startup() {
    local p prog arg
    log "start-up"
    local -a cmds=("sqlite: C (libsqlite3)=$bin/trivial_sqlite"
                   "sqlite: smdl (libsmdl.a)=$bin/trivial_smc sqlite::memory:"
                   "sqlite: smdl (libsmdl.so)=$bin/trivial_smc_shared sqlite::memory:")
    if [[ " ${dbs[*]} " == *" pg "* ]]; then
        # Twice: over TCP with the password (scram-sha-256, whose key
        # derivation inside libpq is most of the time), and over the Unix
        # socket, which the servers trust: the programs' own start-up.
        local sock_kv="host=$servers/pg port=$pg_port dbname=smcbench user=smdl"
        local sock_url="postgres:///smcbench?host=$servers/pg&port=$pg_port&user=smdl"
        cmds+=("pg: C (libpq)=$bin/trivial_pg '$pg_kv'"
               "pg: smdl (libsmdl.a)=$bin/trivial_smc $pg_url"
               "pg: smdl (libsmdl.so)=$bin/trivial_smc_shared $pg_url"
               "pg socket: C (libpq)=$bin/trivial_pg '$sock_kv'"
               "pg socket: smdl (libsmdl.a)=$bin/trivial_smc '$sock_url'"
               "pg socket: smdl (libsmdl.so)=$bin/trivial_smc_shared '$sock_url'")
    fi
    if [[ " ${dbs[*]} " == *" mariadb "* ]]; then
        cmds+=("mariadb: C (libmariadb)=$bin/trivial_mariadb '$my_kv'"
               "mariadb: smdl (libsmdl.a)=$bin/trivial_smc $my_url"
               "mariadb: smdl (libsmdl.so)=$bin/trivial_smc_shared $my_url")
    fi
    cmds+=("sqlite: SQLModel (import, create_engine, SELECT 1)=$py bench/py/trivial_sqlmodel.py --connect")
    "${pin_client[@]}" "$py" bench/tools/startup.py --runs 40 "${cmds[@]}" >"$out/startup.txt"
    for p in "trivial_sqlite :memory:" "trivial_smc sqlite::memory:" \
        "trivial_smc_shared sqlite::memory:"; do
        read -r prog arg <<<"$p"
        printf '%s\t%s\n' "$prog" "$(LD_DEBUG=libs "$bin/$prog" "$arg" 2>&1 >/dev/null |
            sed -n 's/.*calling init: //p' | xargs -rn1 basename | grep -v '^ld-linux' |
            awk '!seen[$0]++' | paste -sd ' ')"
    done >"$out/libs.txt"
}

# Binary sizes, as built and stripped.
run_sizes() {
    local p f tmp
    tmp=$(mktemp)
    for p in hero_smc hero_sqlite hero_pg hero_mariadb trivial_sqlite trivial_smc \
        trivial_smc_shared libsmdl.so; do
        f=$bin/$p
        [[ $p == libsmdl.so ]] && f=$(readlink -f "$build/runtime/libsmdl.so")
        [[ -f $f ]] || continue
        strip -o "$tmp" "$f"
        printf '%s\t%s\t%s\n' "$p" "$(stat -c %s "$f")" "$(stat -c %s "$tmp")"
    done >"$out/sizes.txt"
    rm -f "$tmp"
}

# smc on schemas of 10 to 100,000 tables with two queries each.
run_scale() {
    [[ -x bench/smc_growth/scale.sh ]] || return 0
    log "smc at scale: ${scale[*]} tables"
    bench/smc_growth/scale.sh "$build/compiler/smc" "${scale[@]}" >"$out/scale.txt" 2>&1 ||
        echo "failed: exit $?" >>"$out/scale.txt"
}

for p in "${parts[@]}"; do
    "run_$p"
done

echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$out/env.txt"
echo "duration: $((SECONDS - begin)) s" >>"$out/env.txt"
log "report"
"$py" bench/tools/perfdoc.py "$out" >"$out/performance.md"
if [[ $doc != /dev/null ]]; then
    cp "$out/performance.md" "$doc"
fi
log "done: $out, $doc ($((SECONDS - begin)) s)"
