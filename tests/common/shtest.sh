# shtest.sh: what the shell tests share, sourced after `set -u`:
#     . "$(dirname "$0")/../common/shtest.sh"
#
#   shtest_init NAME     the C locale; $tmp, a fresh directory removed at
#                        exit (made writable first); failures=0
#   fail MESSAGE...      a failure of the case named $name
#   expect NAME STATUS STDOUT STDERR CMD...
#                        runs CMD; its exit status, whole stdout and
#                        whole stderr must be those given
#   same WANT GOT        GOT must be the committed file WANT, byte for
#                        byte (no WANT: GOT must be empty); with
#                        SMC_UPDATE_GOLDEN=1, GOT is copied over WANT (an
#                        empty GOT removes it)
#   each_case CASES FN   FN DIR for each directory of CASES, in order,
#                        with $name its base name; $ncases counts them
#   shtest_done          prints the count of failures; the exit status

shtest_init() {
    LC_ALL=C
    export LC_ALL
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/smdl-$1.XXXXXX") || exit 1
    trap 'chmod -R u+w "$tmp"; rm -rf "$tmp"' EXIT
    failures=0
    ncases=0
}

fail() {
    echo "FAIL: $name: $*"
    failures=$((failures + 1))
}

expect() {
    name=$1 status=$2 want_out=$3 want_err=$4
    shift 4
    "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    printf '%s' "$want_out" >"$tmp/want_out"
    printf '%s' "$want_err" >"$tmp/want_err"
    if [ "$rc" -ne "$status" ] || ! cmp -s "$tmp/want_out" "$tmp/out" ||
        ! cmp -s "$tmp/want_err" "$tmp/err"; then
        fail "exit $rc (expected $status)"
        diff "$tmp/want_out" "$tmp/out" | sed 's/^/    stdout /'
        diff "$tmp/want_err" "$tmp/err" | sed 's/^/    stderr /'
    else
        echo "ok: $name"
    fi
}

same() {
    if [ "${SMC_UPDATE_GOLDEN:-0}" = 1 ]; then
        if [ -s "$2" ]; then cp "$2" "$1"; else rm -f "$1"; fi
        return 0
    fi
    if [ ! -s "$2" ] && [ ! -e "$1" ]; then return 0; fi
    if [ ! -e "$1" ] || ! cmp -s "$1" "$2"; then
        fail "$(basename "$1") differs (- committed, + smc now):"
        diff -u "$1" "$2" 2>&1 | sed 's/^/    /'
    fi
}

each_case() {
    for case_dir in "$1"/*/; do
        case_dir=${case_dir%/}
        name=$(basename "$case_dir")
        ncases=$((ncases + 1))
        "$2" "$case_dir"
    done
}

shtest_done() {
    echo "$failures failure(s)"
    [ "$failures" -eq 0 ]
}
