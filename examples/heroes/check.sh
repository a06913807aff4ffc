#!/usr/bin/env bash
# check.sh: the tests of the walkthrough (suite examples).
#
#   check.sh sqlite|postgres|mysql BUILD_DIR
#       Runs every chapter through run.sh on two new, empty databases of
#       that dialect (the heroes' story, then the chapters that start from a
#       database of their own), with the SQL echo off, and compares what the
#       chapters print with expected.txt (the results the tutorial's text
#       shows; the UUID chapter's random keys read <uuid4>).
#   check.sh doc SOURCE_ROOT
#       Every excerpt of docs/tutorial.md (a code block starting with
#       "// from FILE") is in FILE as it is shown.
#   check.sh failures BUILD_DIR
#       The ways a chapter fails (on SQLite): a bad URL, a database without
#       the tables, and the tutorial's second run, whose .one() finds two
#       Deadponds.
#
# PostgreSQL and MariaDB are the servers named by SMDL_TEST_PG_URL and
# SMDL_TEST_MYSQL_URL (`eval "$(tests/servers.sh env DIR)"`), as for the
# integration tests: the databases are created next to the one in the URL
# (scripts/scratch-db.sh), and dropped when the check ends.  Without
# the URL the check fails, or is skipped with SMDL_TEST_ALLOW_SKIP=1; a
# dialect left out of SMDL_TEST_DIALECTS is skipped.
set -euo pipefail

readonly SKIP=77 # meson's exit code for a skipped test

die() {
    printf 'check.sh: %s\n' "$*" >&2
    exit 1
}

(($# == 2)) || die "usage: check.sh sqlite|postgres|mysql|failures BUILD_DIR | doc SOURCE_ROOT"
mode=$1
build=$2
here=$(cd "$(dirname "$0")" && pwd)
bin=$build/examples/heroes
db=smdl_heroes_$$
tmp=$(mktemp -d /tmp/smdl-heroes-check.XXXXXX)
drop=() # the command that drops the server databases, once created

cleanup() {
    if ((${#drop[@]} > 0)); then
        "${drop[@]}" >/dev/null || true
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT

# Sets server to the URL in VAR, or skips or fails when it is not set.
server_url() { # VAR
    local var=$1
    if [[ -n ${SMDL_TEST_DIALECTS:-} && " $SMDL_TEST_DIALECTS " != *" $mode "* ]]; then
        echo "skipping $mode: not in SMDL_TEST_DIALECTS"
        exit $SKIP
    fi
    if [[ -n ${!var:-} ]]; then
        server=${!var}
    elif [[ ${SMDL_TEST_ALLOW_SKIP:-} == 1 ]]; then
        echo "skipping $mode: $var not set"
        exit $SKIP
    else
        die "$var is not set: start the servers with 'tests/servers.sh start DIR' and" \
            "'eval \"\$(tests/servers.sh env DIR)\"', or set SMDL_TEST_ALLOW_SKIP=1 to skip"
    fi
}

# Two fresh databases $db and ${db}_2 next to the server's
# (scripts/scratch-db.sh), dropped when the check ends; their URLs in
# scratch_url and scratch_url2.
scratch() {
    local tool=$here/../../scripts/scratch-db.sh
    drop=(drop_scratch "$tool" "$server")
    scratch_url=$("$tool" create "$server" "$db")
    scratch_url2=$("$tool" create "$server" "${db}_2")
}
drop_scratch() { # TOOL SERVER
    "$1" drop "$2" "$db"
    "$1" drop "$2" "${db}_2"
}

# The random (version 4) uuids of the UUID chapter, as <uuid4>: a key of
# another form stays as it is and differs from expected.txt.
readonly UUID4='[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}'

# Runs every chapter on URL and URL2 (none: run.sh's own SQLite files) and
# compares their output with expected.txt.
walkthrough() { # DIALECT [URL URL2]
    local dialect=$1 out=$tmp/out
    shift
    if ! SMDL_ECHO=0 "$here/run.sh" "$build" "$@" >"$tmp/raw"; then
        cat "$tmp/raw"
        die "a chapter of the $dialect walkthrough failed (its output above)"
    fi
    sed -E "s/$UUID4/<uuid4>/g" "$tmp/raw" >"$out"
    if ! diff -u "$here/expected.txt" "$out"; then
        die "the $dialect walkthrough printed something else than expected.txt (diff above)"
    fi
    echo "the $dialect walkthrough printed what the tutorial shows"
}

# Runs a chapter that must fail: exit status 1 and MESSAGE in what it
# prints on stderr.
expect_failure() { # MESSAGE CHAPTER URL
    local message=$1 chapter=$2 url=$3 status=0
    SMDL_ECHO=0 "$bin/heroes_$chapter" "$url" >"$tmp/out" 2>"$tmp/err" || status=$?
    if ((status != 1)) || ! grep -qF -- "$message" "$tmp/err"; then
        cat "$tmp/out" "$tmp/err"
        die "$chapter on $url: exit status $status (want 1), stderr without '$message'"
    fi
    echo "$chapter on $url fails as it should: $(cat "$tmp/err")"
}

# Runs a chapter that must succeed and print LINE.
expect_line() { # LINE CHAPTER URL
    local line=$1 chapter=$2 url=$3
    if ! SMDL_ECHO=0 "$bin/heroes_$chapter" "$url" >"$tmp/out" 2>&1; then
        cat "$tmp/out"
        die "$chapter on $url failed"
    fi
    if ! grep -qxF -- "$line" "$tmp/out"; then
        cat "$tmp/out"
        die "$chapter on $url did not print: $line"
    fi
    echo "$chapter on $url printed: $line"
}

# Every code block of DOC that starts with "// from PATH" is an excerpt of
# PATH (relative to the source root, DOC's parent's parent): the block's
# other lines appear in PATH as they are, one after the other.
excerpts() { # DOC
    local doc=$1 root line n=0 in=0 block="" from="" first=0 lineno=0
    root=$(cd "$(dirname "$doc")/.." && pwd)
    while IFS= read -r line || [[ -n $line ]]; do
        lineno=$((lineno + 1))
        if ((in == 0)); then
            [[ $line == '```'* ]] && in=1 first=1 block="" from=""
            continue
        fi
        if [[ $line == '```' ]]; then
            in=0
            [[ -n $from ]] || continue
            [[ -f $root/$from ]] || die "$doc: block ending at line $lineno: no file $from"
            local text
            text=$(<"$root/$from")
            [[ $text == *"$block"* ]] || die "$doc: block ending at line $lineno is not in $from"
            n=$((n + 1))
            continue
        fi
        if ((first == 1)); then
            first=0
            if [[ $line == '// from '* ]]; then
                from=${line#// from }
                continue
            fi
        fi
        [[ -n $from ]] && block+=${block:+$'\n'}$line
    done <"$doc"
    ((n > 0)) || die "$doc: no excerpt found"
    echo "$n excerpts of $doc are in their files"
}

case $mode in
sqlite)
    walkthrough sqlite
    ;;
postgres)
    server_url SMDL_TEST_PG_URL
    scratch
    walkthrough postgres "$scratch_url" "$scratch_url2"
    ;;
mysql)
    server_url SMDL_TEST_MYSQL_URL
    scratch
    walkthrough mysql "$scratch_url" "$scratch_url2"
    ;;
failures)
    url=sqlite:$tmp/database.db
    expect_failure "open failed: SM_MISUSE" select "nosuch:$tmp/database.db"
    expect_failure "open failed: SM_CONN" select "sqlite:$tmp/no/such/dir/database.db"
    # Before create_tables: no table to read.
    expect_failure "for_each_hero failed: SM_ERROR" select "$url"
    expect_failure "first_hero_aged_at_most failed: SM_ERROR" read_one "$url"
    expect_line "Created the tables of module heroes" create_tables "$url"
    # The tables, but no heroes yet: get(1) finds nothing.
    expect_failure "get failed: SM_NOTFOUND" update "$url"
    expect_line "Heroes: []" select "$url"
    # "Exactly One": run the insert chapter twice, as the tutorial runs its
    # program twice without deleting database.db, and .one() finds two.
    expect_line "Created hero: id=3 name='Rusty-Man' secret_name='Tommy Sharp' age=48 team_id=None" insert "$url"
    expect_line "Hero: id=1 name='Deadpond' secret_name='Dive Wilson' age=None team_id=None" read_one "$url"
    expect_line "Created hero: id=6 name='Rusty-Man' secret_name='Tommy Sharp' age=48 team_id=None" insert "$url"
    expect_line "one_hero_named: SM_MULTIPLE: more than one row (query one_hero_named found more than one row)" read_one "$url"
    ;;
doc)
    excerpts "$build/docs/tutorial.md"
    ;;
*)
    die "unknown mode '$mode' (sqlite, postgres, mysql, failures or doc)"
    ;;
esac
