#!/bin/sh
# run.sh SMC NAME: runs `SMC check NAME.smdl` in the current directory (the
# directory of the cases, so diagnostics name the file as NAME.smdl), and
# passes when it exits with the expected status, prints nothing on stdout,
# and prints exactly NAME.err on stderr.  On a mismatch it shows a unified
# diff.  The expected status is 1 (errors), or the number in NAME.exit
# when that file exists (0 for a case that only warns).
#
# smc names an imported file by its resolved, absolute path; that path
# depends on the checkout, so the absolute path of this directory is
# written as <cases> before comparing.
#
# With SMC_UPDATE_GOLDEN=1 in the environment it rewrites NAME.err with
# what smc prints instead of comparing (the status is still checked).
set -u

if [ $# -ne 2 ]; then
    echo "usage: run.sh SMC NAME" >&2
    exit 2
fi
smc=$1
name=$2

if [ ! -f "$name.smdl" ]; then
    echo "run.sh: no $name.smdl in $(pwd)" >&2
    exit 1
fi

expected=1
if [ -f "$name.exit" ]; then
    expected=$(cat "$name.exit")
    case $expected in
    '' | *[!0-9]*)
        echo "$name.exit must hold one number, the expected exit status" >&2
        exit 1
        ;;
    esac
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/smc-compile-fail.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT HUP INT TERM

"$smc" check "$name.smdl" >"$tmp/stdout" 2>"$tmp/raw"
status=$?

# Replace the absolute path of this directory, as realpath(3) gives it
# (hence pwd -P), with <cases>: literally, through ENVIRON, so no byte
# of the path is taken for a pattern or an escape.  Output that does not
# mention the directory is compared exactly as smc printed it.
here=$(pwd -P) || exit 1
if grep -qF "$here/" "$tmp/raw"; then
    LC_ALL=C CASES_DIR="$here/" awk '{
        d = ENVIRON["CASES_DIR"]; out = ""
        while ((i = index($0, d)) > 0) {
            out = out substr($0, 1, i - 1) "<cases>/"
            $0 = substr($0, i + length(d))
        }
        print out $0
    }' "$tmp/raw" >"$tmp/stderr" || exit 1
else
    cp "$tmp/raw" "$tmp/stderr" || exit 1
fi

failed=0
if [ "$status" -ne "$expected" ]; then
    echo "$name: smc exited with status $status, expected $expected" >&2
    failed=1
fi
if [ -s "$tmp/stdout" ]; then
    echo "$name: smc printed on stdout:" >&2
    cat "$tmp/stdout" >&2
    failed=1
fi

if [ "${SMC_UPDATE_GOLDEN:-}" = 1 ]; then
    if ! cmp -s "$tmp/stderr" "$name.err" 2>/dev/null; then
        cp "$tmp/stderr" "$name.err" || exit 1
        echo "$name: updated $name.err" >&2
    fi
elif [ ! -f "$name.err" ]; then
    echo "$name: no $name.err (run with SMC_UPDATE_GOLDEN=1 to create it)" >&2
    echo "smc printed:" >&2
    cat "$tmp/stderr" >&2
    failed=1
elif ! cmp -s "$name.err" "$tmp/stderr"; then
    echo "$name: stderr differs from $name.err:" >&2
    diff -u "$name.err" "$tmp/stderr" | sed -e "1s|.*|--- $name.err (expected)|" \
        -e "2s|.*|+++ smc check $name.smdl (actual)|" >&2
    failed=1
fi
exit "$failed"
