#!/bin/sh
# Every .smdl file of the repository is in canonical form (suite fmt):
# `smc fmt --check` passes on each.  The one exception, by rule rather
# than by list: a file that does not parse at all is allowed under
# tests/compile_fail/, whose syntax-error cases exist to not parse; it
# must then be such a case (its NAME.err beside it).  Hidden directories
# and build directories (holding meson-private/) are not searched.
#
#   fmt_check_all.sh SMC ROOT
set -u
smc=$1
root=$2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/smdl-fmtall.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
failures=0 files=0 syntax=0

find "$root" -name '.*' -prune -o -type d -exec test -e '{}/meson-private' ';' -prune -o \
    -name '*.smdl' -type f -print | LC_ALL=C sort >"$tmp/list"
while IFS= read -r f; do
    files=$((files + 1))
    "$smc" fmt --check "$f" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    rel=${f#"$root"/}
    if [ "$rc" -eq 0 ] && [ ! -s "$tmp/out" ] && [ ! -s "$tmp/err" ]; then
        continue
    fi
    if [ "$rc" -eq 1 ] && [ ! -s "$tmp/err" ]; then
        echo "FAIL: $rel is not in canonical form (smc fmt -w $rel); the difference:"
        "$smc" fmt "$f" | diff "$f" - | head -20
    elif [ "$rc" -eq 1 ] && grep -q ': error: ' "$tmp/err"; then
        case $rel in
        tests/compile_fail/*.smdl)
            if [ -f "${f%.smdl}.err" ]; then
                syntax=$((syntax + 1))
                continue
            fi
            echo "FAIL: $rel does not parse and is no compile_fail case" ;;
        *) echo "FAIL: $rel does not parse:"; cat "$tmp/err" ;;
        esac
    else
        echo "FAIL: $rel: smc fmt --check exited $rc"
        cat "$tmp/out" "$tmp/err"
    fi
    failures=$((failures + 1))
done <"$tmp/list"
echo "$files files, $syntax syntax-error cases, $failures failures"
# An empty search would pass vacuously.
[ "$files" -ge 400 ] || { echo "FAIL: only $files .smdl files found under $root"; exit 1; }
[ "$failures" -eq 0 ]
