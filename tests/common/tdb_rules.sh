#!/bin/sh
# Tests the skip rules of the harness (tdb.h) on tdb_probe: a dialect
# left out is never a pass.  Each case runs the probe in an environment
# and checks its exit status (0 pass, 1 fail, 77 meson's skip) and what
# it printed.  The cases with every server need SMDL_TEST_PG_URL and
# SMDL_TEST_MYSQL_URL, as every other test does.
#
#   tdb_rules.sh PROBE
set -u
LC_ALL=C
export LC_ALL
probe=$1
[ -x "$probe" ] || { echo "usage: tdb_rules.sh PROBE"; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/smdl-tdb.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM
failures=0
fail() {
    echo "FAIL: $*"
    sed 's/^/    /' "$tmp/out"
    failures=$((failures + 1))
}

pg=${SMDL_TEST_PG_URL:-}
my=${SMDL_TEST_MYSQL_URL:-}
allow=${SMDL_TEST_ALLOW_SKIP:-}
unset SMDL_TEST_PG_URL SMDL_TEST_MYSQL_URL SMDL_TEST_ALLOW_SKIP SMDL_TEST_DIALECTS

# expect STATUS WHAT ENV... -- ARGS...: runs the probe with ENV set.
expect() {
    want=$1 what=$2
    shift 2
    envs=""
    while [ $# -gt 0 ] && [ "$1" != "--" ]; do
        envs="$envs $1"
        shift
    done
    [ $# -gt 0 ] && shift
    # shellcheck disable=SC2086
    env $envs "$probe" "$@" >"$tmp/out" 2>&1
    rc=$?
    if [ $rc -ne "$want" ]; then
        fail "$what: exit $rc, expected $want"
        return 1
    fi
    echo "ok: $what (exit $rc)"
}

# contains TEXT WHAT: the last run printed TEXT.
contains() {
    grep -qF -- "$1" "$tmp/out" || fail "$2: no '$1' in the output"
}

# Without any server.
expect 1 "no server URL: fails" -- &&
    contains "SMDL_TEST_PG_URL is not set" "no server URL"
expect 77 "no server URL, skipping allowed: skips" SMDL_TEST_ALLOW_SKIP=1 -- &&
    contains "SKIP postgres: SMDL_TEST_PG_URL is not set" "skipping allowed" &&
    contains "SKIP mysql: SMDL_TEST_MYSQL_URL is not set" "skipping allowed" &&
    contains "ran on sqlite" "skipping allowed"
expect 1 "skipping allowed, a soft check fails: fails" SMDL_TEST_ALLOW_SKIP=1 -- soft-fail
expect 77 "narrowed to sqlite: skips the others" SMDL_TEST_DIALECTS=sqlite -- &&
    contains "SKIP postgres: not in SMDL_TEST_DIALECTS" "narrowed"
expect 0 "a body of SQLite only, on SQLite: passes" -- sqlite-only
expect 77 "a body of SQLite only, narrowed away: skips" SMDL_TEST_DIALECTS=postgres -- sqlite-only
expect 1 "an unknown dialect: fails" SMDL_TEST_DIALECTS=sqlit -- &&
    contains "unknown dialect 'sqlit'" "unknown dialect"
expect 1 "a main without tdb_exit that skipped: fails" SMDL_TEST_ALLOW_SKIP=1 -- no-exit &&
    contains "did not return tdb_exit()" "no tdb_exit"
# A server that does not answer (port 1 is never a database).
expect 1 "unreachable server: fails" SMDL_TEST_PG_URL=postgres://u:p@127.0.0.1:1/db \
    SMDL_TEST_DIALECTS=postgres -- &&
    contains "cannot connect to the server of SMDL_TEST_PG_URL" "unreachable"
expect 77 "unreachable server, skipping allowed: skips" \
    SMDL_TEST_PG_URL=postgres://u:p@127.0.0.1:1/db SMDL_TEST_DIALECTS=postgres \
    SMDL_TEST_ALLOW_SKIP=1 --

# With the servers: every dialect runs, and a soft failure on one still
# lets the others run.
if [ -n "$pg" ] && [ -n "$my" ]; then
    expect 0 "every server: passes" SMDL_TEST_PG_URL="$pg" SMDL_TEST_MYSQL_URL="$my" -- &&
        contains "ran on postgres" "every server" && contains "ran on mysql" "every server"
    expect 1 "every server, soft failures: fails after running on all" \
        SMDL_TEST_PG_URL="$pg" SMDL_TEST_MYSQL_URL="$my" -- soft-fail &&
        contains "on mysql: soft-fail" "soft failures" && contains "3 failed checks" "soft failures"
elif [ "$allow" = 1 ]; then
    echo "SKIP: the cases with every server (SMDL_TEST_PG_URL, SMDL_TEST_MYSQL_URL not set)"
    [ $failures -eq 0 ] && exit 77
else
    echo "FAIL: SMDL_TEST_PG_URL and SMDL_TEST_MYSQL_URL must be set (or SMDL_TEST_ALLOW_SKIP=1)"
    failures=$((failures + 1))
fi

[ $failures -eq 0 ] || { echo "$failures failed"; exit 1; }
