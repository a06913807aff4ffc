#!/usr/bin/env bash
# Runs the tutorial chapters in order on a fresh SQLite file, with the SQL
# echoed as SQLModel's echo=True does.  Usage: run.sh BUILD_DIR [URL URL2]
#
# With URLs (postgres://..., mysql://...) the chapters run on those
# databases instead; both must be empty, as the tutorial starts from a new
# database file.  The heroes' story runs on URL; the chapters after it
# (Code Structure, Decimal Numbers, UUID), which the tutorial starts from
# new databases of their own and whose tables would clash with the
# story's (a "hero" table with another key), run on URL2.  SMDL_ECHO=0
# turns the echo off.
set -euo pipefail
build=${1:-build}
if [[ ! -x $build/examples/heroes/heroes_create_tables ]]; then
    echo "run.sh: $build has no examples; build them with: meson configure $build -Dexamples=enabled && ninja -C $build" >&2
    exit 1
fi
if (($# == 2)); then
    echo "run.sh: give two empty databases, or none for two SQLite files: run.sh BUILD_DIR [URL URL2]" >&2
    exit 1
fi
dir=$(mktemp -d /tmp/smdl-heroes.XXXXXX)
trap 'rm -rf "$dir"' EXIT
url=${2:-sqlite:$dir/database.db}
url2=${3:-sqlite:$dir/database2.db}
export SMDL_ECHO=${SMDL_ECHO:-1}

run() { # URL CHAPTER...
    local on=$1 chapter
    shift
    for chapter; do
        printf '\n===== %s =====\n' "$chapter"
        "$build/examples/heroes/heroes_$chapter" "$on" 2>&1
    done
}

run "$url" create_tables insert automatic_ids select where indexes read_one limit update delete connect_tables \
    teams connected connect_update connect_remove
# The relationship chapters start from new tables of their own schema,
# as each of the tutorial's programs starts from a new database file.
run "$url" rel_define rel_create rel_read rel_remove rel_back_populates rel_cascade rel_set_null rel_restrict \
    m2m_models m2m_create m2m_update link_model
run "$url2" code_structure decimal uuid
