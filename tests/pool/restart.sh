#!/usr/bin/env bash
# restart.sh: runs the pool's restart test (test_restart) against a
# PostgreSQL and a MariaDB server of its own, which the test restarts in
# the middle of its run.  The shared test servers are never touched: other
# programs use them at the same time.
#
#   tests/pool/restart.sh TEST_PROGRAM SERVERS_SH
#
# The servers live in a temporary directory, on free loopback ports, and
# are stopped and removed however the run ends.  Starting them needs root
# (tests/servers.sh); a run that cannot start them fails, unless
# SMDL_TEST_ALLOW_SKIP=1: then it exits 77 (SKIP), like the other tests.
# SMDL_TEST_DIALECTS is honoured: without postgres and mysql in it there
# is nothing to run (SKIP).
set -uo pipefail

(($# == 2)) || {
    printf 'usage: %s TEST_PROGRAM SERVERS_SH\n' "$0" >&2
    exit 2
}
prog=$1
servers=$2

skip_or_fail() {
    if [[ ${SMDL_TEST_ALLOW_SKIP:-} == 1 ]]; then
        printf 'SKIP postgres, mysql: %s\n' "$*"
        exit 77
    fi
    printf 'FAIL: %s (SMDL_TEST_ALLOW_SKIP=1 skips instead, local runs only)\n' "$*" >&2
    exit 1
}

# The dialect words are those of tests/common (an unknown one is left to
# the test program, which stops on it).
if [[ -n ${SMDL_TEST_DIALECTS:-} ]]; then
    servers_wanted=0
    for word in ${SMDL_TEST_DIALECTS//,/ }; do
        case $word in
        sqlite) ;;
        *) servers_wanted=1 ;;
        esac
    done
    if ((!servers_wanted)); then
        printf 'SKIP postgres, mysql: not in SMDL_TEST_DIALECTS\n'
        exit 77
    fi
fi
[[ $(id -u) -eq 0 ]] || skip_or_fail "private servers need root to start (tests/servers.sh)"

dir=$(mktemp -d "${TMPDIR:-/tmp}/smdl-restart.XXXXXX") || skip_or_fail "mktemp failed"
child=
# shellcheck disable=SC2317 # run by the trap
cleanup() {
    if [[ -n $child ]]; then
        kill -TERM "$child" 2>/dev/null
        wait "$child" 2>/dev/null
    fi
    "$servers" stop "$dir" || true
    rm -rf -- "$dir" "$dir.start.log"
}
trap cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

port_busy() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# A port nothing listens on, below the kernel's range of outgoing ports
# (32768 and up) so that no client connection holds it.
free_port() {
    local p i
    for ((i = 0; i < 100; i++)); do
        p=$((20000 + RANDOM % 12000))
        if ! port_busy "$p"; then
            printf '%s\n' "$p"
            return 0
        fi
    done
    return 1
}

# Another program may take a port between the check and the server's
# bind: a few attempts, each on new ports.
started=0
for attempt in 1 2 3; do
    if ! pg_port=$(free_port) || ! my_port=$(free_port); then
        skip_or_fail "no free loopback port"
    fi
    [[ $pg_port != "$my_port" ]] || continue
    if SMDL_PG_PORT=$pg_port SMDL_MY_PORT=$my_port "$servers" start "$dir" >"$dir.start.log" 2>&1; then
        started=1
        break
    fi
    printf 'restart.sh: starting servers failed (attempt %s):\n' "$attempt" >&2
    cat "$dir.start.log" >&2
    "$servers" stop "$dir" || true
    rm -rf -- "$dir" && mkdir -m 0700 "$dir"
done
rm -f -- "$dir.start.log"
((started)) || skip_or_fail "could not start private PostgreSQL and MariaDB servers"

eval "$("$servers" env "$dir")"
export SMDL_TEST_PG_URL SMDL_TEST_MYSQL_URL
# The test appends "pg" or "my" and runs it with system().
SMDL_TEST_RESTART="$(printf '%q restart %q' "$servers" "$dir")"
export SMDL_TEST_RESTART

# In the background, so that a TERM from the test runner reaches the trap
# at once.
"$prog" &
child=$!
wait "$child"
rc=$?
child=
exit "$rc"
