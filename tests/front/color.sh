#!/bin/sh
# color.sh SMC: smc colours its diagnostics on a terminal only.  It runs
# `smc check` on a schema with an error under script(1), which gives it
# a real pseudo-terminal: coloured there; not with NO_COLOR set (to any
# value, https://no-color.org), not with TERM=dumb or unset, not in an
# Emacs compilation buffer, not with --diagnostics=json, and not when
# stderr is a file.
set -u
smc=$1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/smdl-color.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() {
    echo "FAIL: $1"
    sed 's/\x1b/<ESC>/g' "$tmp/out" | head -5
    failures=$((failures + 1))
}
esc=$(printf '\033')
printf 'module bad;\ntable T { id: int @pk }\n' >"$tmp/bad.smdl"

# pty CMD: runs CMD on a pseudo-terminal, its output in $tmp/out.
pty() {
    script -qec "$1" /dev/null </dev/null >"$tmp/out" 2>&1
}

pty "cd '$tmp' && TERM=xterm '$smc' check bad.smdl"
grep -q "${esc}\\[1;31merror:${esc}\\[0m expected ';' after '@pk'" "$tmp/out" ||
    fail "no red 'error:' on a terminal"
grep -q "^${esc}\\[1mbad.smdl:2:22:${esc}\\[0m " "$tmp/out" || fail "no bold position on a terminal"

for env in "NO_COLOR=1 TERM=xterm" "NO_COLOR= TERM=xterm" "TERM=dumb" "TERM=" \
    "INSIDE_EMACS=28.2,compile TERM=xterm"; do
    pty "cd '$tmp' && env $env '$smc' check bad.smdl"
    grep -q "^bad.smdl:2:22: error: expected ';' after '@pk'" "$tmp/out" ||
        fail "$env: no diagnostic"
    ! grep -q "$esc" "$tmp/out" || fail "$env: colours"
done

pty "cd '$tmp' && TERM=xterm '$smc' check bad.smdl --diagnostics=json"
grep -q '"message":"expected' "$tmp/out" || fail "json: no diagnostic"
! grep -q "$esc" "$tmp/out" || fail "json: colours"

(cd "$tmp" && "$smc" check bad.smdl 2>"$tmp/out")
grep -q "^bad.smdl:2:22: error:" "$tmp/out" || fail "to a file: no diagnostic"
! grep -q "$esc" "$tmp/out" || fail "to a file: colours"

[ "$failures" -eq 0 ] || exit 1
echo "ok"
