#!/bin/sh
# check_list.sh DIR NAME...: the list of cases in meson.build (the NAMEs,
# in order) must be sorted, without duplicates, and match the directory
# exactly: every NAME has NAME.smdl and NAME.err, and every .smdl, .err
# or .exit file in DIR is listed.  Meson cannot glob, so this is what
# keeps a new case from being silently skipped.
set -u

if [ $# -lt 1 ]; then
    echo "usage: check_list.sh DIR NAME..." >&2
    exit 2
fi
dir=$1
shift

tmp=$(mktemp -d "${TMPDIR:-/tmp}/smc-compile-fail-list.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT HUP INT TERM

for name in "$@"; do
    printf '%s\n' "$name"
done >"$tmp/listed"

failed=0
if ! LC_ALL=C sort -c -u "$tmp/listed" 2>/dev/null; then
    echo "the list of cases in meson.build is not sorted or has duplicates:" >&2
    LC_ALL=C sort "$tmp/listed" | uniq -d | sed 's/^/  duplicate: /' >&2
    LC_ALL=C sort -u "$tmp/listed" >"$tmp/sorted"
    diff -u "$tmp/listed" "$tmp/sorted" | tail -n +3 >&2
    failed=1
fi

for name in "$@"; do
    for ext in smdl err; do
        if [ ! -f "$dir/$name.$ext" ]; then
            echo "listed case $name has no $name.$ext" >&2
            failed=1
        fi
    done
done

for path in "$dir"/*.smdl "$dir"/*.err "$dir"/*.exit; do
    [ -e "$path" ] || continue
    file=${path##*/}
    name=${file%.*}
    if ! grep -qxF "$name" "$tmp/listed"; then
        echo "$file is not listed in meson.build" >&2
        failed=1
    fi
done

if [ "$failed" -eq 0 ]; then
    echo "$# cases, all listed, each with its .smdl and .err"
fi
exit "$failed"
