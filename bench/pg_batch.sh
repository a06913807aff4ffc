#!/usr/bin/env bash
# Multi-row VALUES against COPY for _insert_many on PostgreSQL (README.md,
# "Batched inserts on PostgreSQL"): builds bench/pg_batch, creates a
# scratch database, runs the program with the client pinned to CPU 0,
# drops the database.  Extra arguments go to pg_batch.
#
#   bench/pg_batch.sh [BUILD_DIR] [--runs N] [--sample-rows N] [--sizes ...] [--methods ...]
#   SMDL_TEST_PG_URL=postgres://u:p@127.0.0.1:5432/postgres bench/pg_batch.sh build-rel
#
# The server is SMDL_TEST_PG_URL when set (it is left as it is: other
# work may share it and the machine); otherwise the throwaway servers of
# tests/servers.sh are started on spare ports, pinned to CPU 1 when there
# are two CPUs or more, and stopped at the end.  Build BUILD_DIR with -O2
# (meson setup BUILD_DIR --buildtype=debugoptimized).
set -euo pipefail
cd "$(dirname "$0")/.."

build=build
if (($# > 0)) && [[ $1 != -* ]]; then
    build=$1
    shift
fi

ninja -C "$build" bench/pg_batch >/dev/null

servers=
url=${SMDL_TEST_PG_URL:-}
db=smdl_pg_batch_$$
db_url=
cleanup() {
    if [[ -n $db_url ]]; then
        psql "$url" -qc "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true
    fi
    if [[ -n $servers ]]; then
        tests/servers.sh stop "$servers" >/dev/null 2>&1 || true
        rm -rf "$servers"
    fi
}
trap cleanup EXIT

cpus=$(nproc)
pin_client=()
((cpus >= 2)) && pin_client=(taskset -c 0)

if [[ -z $url ]]; then
    servers=$(mktemp -d /tmp/smdl-pg-batch.XXXXXX)
    SMDL_PG_PORT=${SMDL_PG_PORT:-54339} SMDL_MY_PORT=${SMDL_MY_PORT:-33079} \
        tests/servers.sh start "$servers" >/dev/null
    url=$(tests/servers.sh env "$servers" | sed -n 's/^export SMDL_TEST_PG_URL=//p' | tr -d "'\"")
    if ((cpus >= 2)); then # every server process on CPU 1
        taskset -a -p -c 1 "$(head -1 "$servers/pg/data/postmaster.pid")" >/dev/null
    fi
fi

# The same server, database $db: the URL's path replaced, its query kept.
query=
[[ $url == *\?* ]] && query="?${url#*\?}"
path_part=${url%%\?*}
db_url="${path_part%/*}/$db$query"

psql "$url" -qc "CREATE DATABASE $db" >/dev/null
printf '# %s, load average %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$(cut -d' ' -f1-3 /proc/loadavg)"
"${pin_client[@]}" "$build/bench/pg_batch" "$@" "$db_url"
