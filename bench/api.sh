#!/usr/bin/env bash
# The HTTP API (examples/api, heroes-api) under load (README.md, "HTTP
# API"): requests per second and p99 latency of GET /heroes/{id} (the
# hero and its team, two statements) and POST /heroes/ (one insert), with
# wrk on 1 and 8 keep-alive connections, on SQLite and PostgreSQL.  Each
# run starts from a fresh database holding one team; the POST phases run
# first and their heroes are those the GET phases read.  Prints the
# medians and ranges of the runs; results go to bench/results/<stamp>-api/.
#
#   bench/api.sh [BUILD_DIR] [BACKEND ...]        BACKEND: sqlite pg
#   RUNS=3 API_SECONDS=2 API_CONNS="1 8" bench/api.sh build sqlite
#
# Needs wrk and curl (Debian packages; installed when missing and run as
# root).  PostgreSQL is the throwaway server of tests/servers.sh, started
# here and stopped at the end (SMDL_PG_PORT and SMDL_MY_PORT move it),
# pinned to CPU 1 when there are two; heroes-api and wrk share the rest.
set -euo pipefail
cd "$(dirname "$0")/.."

build=${1:-build}
shift || true
backends=("$@")
((${#backends[@]})) || backends=(sqlite pg)
runs=${RUNS:-5}
secs=${API_SECONDS:-5}
read -ra conns <<<"${API_CONNS:-1 8}"

missing=()
for tool in wrk curl; do
    command -v "$tool" >/dev/null || missing+=("$tool")
done
if ((${#missing[@]})); then
    [[ $(id -u) == 0 ]] || { echo "bench/api.sh: install ${missing[*]} (Debian packages)" >&2; exit 1; }
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

ninja -C "$build" examples/api/heroes-api >/dev/null
api=$build/examples/api/heroes-api
stamp=$(date -u +%Y%m%d-%H%M%S)
out=bench/results/$stamp-api
work=$(mktemp -d /tmp/smdl-bench-api.XXXXXX)
mkdir -p "$out"

# shellcheck source=tools/servers.sh
source bench/tools/servers.sh
bench_servers "${backends[@]}"
api_pid=
stop_api() {
    if [[ -n $api_pid ]]; then
        kill -TERM "$api_pid" 2>/dev/null || true
        wait "$api_pid" 2>/dev/null || true
        api_pid=
    fi
}
trap 'stop_api; bench_cleanup; rm -rf "$work"' EXIT

# A fresh database of the backend; its URL on stdout.
fresh() { # backend
    case $1 in
    sqlite)
        rm -f "$work"/api.db*
        echo "sqlite:$work/api.db"
        ;;
    pg)
        PGPASSWORD=smdl psql -q -h 127.0.0.1 -p "$pg_port" -U smdl -d postgres \
            -c "DROP DATABASE IF EXISTS smcbench_api" -c "CREATE DATABASE smcbench_api" >/dev/null
        echo "postgres://smdl:smdl@127.0.0.1:$pg_port/smcbench_api"
        ;;
    *) echo "bench/api.sh: unknown backend '$1' (sqlite, pg)" >&2; exit 2 ;;
    esac
}

# Starts heroes-api on URL; base is its address.
start_api() { # url
    local line= i
    : >"$work/stdout" # not the line of the server before
    "$api" --db "$1" --port 0 --max-conns 8 --timeout-ms 10000 >"$work/stdout" 2>"$work/stderr" &
    api_pid=$!
    for ((i = 0; i < 300; i++)); do
        line=$(head -n 1 "$work/stdout")
        [[ -n $line ]] && break
        sleep 0.1
    done
    [[ $line =~ ^listening\ on\ (127\.0\.0\.1:[0-9]+)$ ]] || {
        echo "bench/api.sh: heroes-api did not start: $(cat "$work/stderr")" >&2
        exit 1
    }
    base=http://${BASH_REMATCH[1]}
}

{
    printf 'date=%s\nnproc=%s\ncpu=%s\nload=%s\n' "$(date -u +%FT%TZ)" "$(nproc)" \
        "$(sed -n 's/^model name\t*: //p' /proc/cpuinfo | head -1)" "$(cut -d' ' -f1-3 /proc/loadavg)"
    printf 'commit=%s\nruns=%s\nseconds=%s\nconnections=%s\nwrk=%s\n' "$(git rev-parse --short HEAD)" \
        "$runs" "$secs" "${conns[*]}" "$(wrk --version 2>&1 | head -1)"
} >"$out/env.txt"

for b in "${backends[@]}"; do
    for ((k = 1; k <= runs; k++)); do
        start_api "$(fresh "$b")"
        curl -sf -o /dev/null -X POST -H 'Content-Type: application/json' \
            --data-binary '{"name":"Preventers","headquarters":"Sharp Tower"}' "$base/teams/"
        for c in "${conns[@]}"; do
            printf '== %s POST /heroes/ c=%d run %d/%d\n' "$b" "$c" "$k" "$runs" >&2
            wrk -t1 -c"$c" -d"${secs}s" --timeout 10s --latency -s bench/api/post.lua "$base/heroes/" \
                >"$out/$b.post.c$c.run$k"
        done
        # The heroes the POST phases made.
        n=$(curl -sf -X POST -H 'Content-Type: application/json' \
            --data-binary '{"name":"Last","secret_name":"L"}' "$base/heroes/" | sed 's/.*"id":\([0-9]*\)}$/\1/')
        for c in "${conns[@]}"; do
            printf '== %s GET /heroes/{id} c=%d run %d/%d\n' "$b" "$c" "$k" "$runs" >&2
            wrk -t1 -c"$c" -d"${secs}s" --timeout 10s --latency -s bench/api/get.lua "$base" -- "$n" \
                >"$out/$b.get.c$c.run$k"
        done
        stop_api
    done
done
printf 'load_after=%s\n' "$(cut -d' ' -f1-3 /proc/loadavg)" >>"$out/env.txt"
python3 bench/api/summary.py "$out" | tee "$out/table.md"
