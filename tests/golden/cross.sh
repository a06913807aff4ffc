#!/bin/sh
# Compiles the output of schemas that import each other (see README.md):
# each .smdl of CASE_DIR compiled by smc into one directory, each .c
# compiled, and every header included before each other one in one
# translation unit (each header comes first once), with gcc, clang, g++
# and clang++, warnings as errors.  Compile only: nothing is linked.
#
#   cross.sh SMC CASE_DIR STDLIB RUNTIME_INCLUDE
set -u
LC_ALL=C
export LC_ALL

if [ $# -ne 4 ]; then
    echo "usage: cross.sh SMC CASE_DIR STDLIB RUNTIME_INCLUDE" >&2
    exit 2
fi
smc=$1 cases=$2 stdlib=$3 rtinc=$4

tmp=$(mktemp -d "${TMPDIR:-/tmp}/smdl-cross.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

names=
for f in "$cases"/*.smdl; do
    n=$(basename "$f" .smdl)
    names="$names $n"
    if ! "$smc" "$f" -o "$tmp" -I "$stdlib" 2>"$tmp/stderr" || [ -s "$tmp/stderr" ]; then
        echo "cross: smc $f failed:" >&2
        cat "$tmp/stderr" >&2
        exit 1
    fi
done

status=0
for cc in gcc clang g++ clang++; do
    case $cc in
    *++) lang="-x c++ -std=c++17" ;;
    *) lang="-std=c11" ;;
    esac
    if ! command -v "$cc" >/dev/null 2>&1; then
        echo "cross: compiler '$cc' is not installed" >&2
        exit 1
    fi
    for first in $names; do
        {
            printf '#include "%s.h"\n' "$first"
            for n in $names; do
                printf '#include "%s.h"\n' "$n"
            done
        } >"$tmp/first_$first.c"
        units="$tmp/first_$first.c $tmp/$first.c"
        for u in $units; do
            # shellcheck disable=SC2086
            if ! "$cc" $lang -Wall -Wextra -Wpedantic -Werror -c -I "$rtinc" -I "$tmp" \
                -o "$tmp/out.o" "$u"; then
                echo "cross: $cc rejects $(basename "$u")" >&2
                status=1
            fi
        done
    done
done
exit $status
