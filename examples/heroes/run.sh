#!/usr/bin/env bash
# Runs the tutorial chapters in order on a fresh SQLite file, with the SQL
# echoed as SQLModel's echo=True does.  Usage: run.sh BUILD_DIR [URL]
#
# With a URL (postgres://..., mysql://...) the chapters run on that
# database instead; it must be empty, as the tutorial starts from a new
# database file.  SMDL_ECHO=0 turns the echo off.
set -euo pipefail
build=${1:-build}
if [[ ! -x $build/examples/heroes/heroes_create_tables ]]; then
    echo "run.sh: $build has no examples; build them with: meson configure $build -Dexamples=enabled && ninja -C $build" >&2
    exit 1
fi
dir=$(mktemp -d /tmp/smdl-heroes.XXXXXX)
trap 'rm -rf "$dir"' EXIT
url=${2:-sqlite:$dir/database.db}
export SMDL_ECHO=${SMDL_ECHO:-1}
# The relationship chapters start from new tables of their own schema,
# as each of the tutorial's programs starts from a new database file.
for chapter in create_tables insert select where read_one limit update delete teams connected \
    rel_create rel_read rel_remove rel_cascade rel_set_null rel_restrict \
    m2m_create m2m_update link_model code_structure decimal uuid; do
    printf '\n===== %s =====\n' "$chapter"
    "$build/examples/heroes/heroes_$chapter" "$url" 2>&1
done
