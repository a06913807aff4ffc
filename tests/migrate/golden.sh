#!/bin/sh
# Golden tests of `smc migrate new` (suite migrate): each directory of
# CASES holds old.smdl and new.smdl; the first migration is made from
# old.smdl, then the step to new.smdl (with --allow-destructive when the
# case has a file `allow`).  The step's six SQL files, its stderr (lint
# warnings and refusals, file `stderr`) and its exit status (file
# `status` when not 0) must match the committed ones byte for byte; a
# refused step writes nothing; `smc migrate check` then agrees (0 after
# a written step, 1 after a refusal) and a second `new` has nothing to do.
#
#   golden.sh SMC CASES
# With SMC_UPDATE_GOLDEN=1 the committed files are rewritten instead.
set -u
. "$(dirname "$0")/../common/shtest.sh"
shtest_init migrate
smc=$1 cases=$2
case $smc in /*) ;; *) smc=$(pwd)/$smc ;; esac
files="sqlite.up.sql sqlite.down.sql postgres.up.sql postgres.down.sql mysql.up.sql mysql.down.sql"

# One case: the first migration, the step, what it wrote.
step_case() {
    dir=$1
    work=$tmp/$name
    mkdir -p "$work"
    cp "$dir/old.smdl" "$work/schema.smdl"
    if ! (cd "$work" && "$smc" migrate new base schema.smdl >out 2>err); then
        fail "the first migration failed:"
        cat "$work/err"
        return
    fi
    cp "$dir/new.smdl" "$work/schema.smdl"
    allow=
    [ -e "$dir/allow" ] && allow=--allow-destructive
    (cd "$work" && "$smc" migrate new step schema.smdl $allow >out 2>err)
    rc=$?
    echo "$rc" >"$work/status"
    [ "$rc" = 0 ] && : >"$work/status"
    same "$dir/status" "$work/status"
    same "$dir/stderr" "$work/err"
    step=$work/migrations/0002_step
    if [ "$rc" = 0 ]; then
        for f in $files; do
            [ -f "$step/$f" ] || { fail "smc wrote no $f"; continue; }
            # an empty script is committed as an empty file
            if [ "${SMC_UPDATE_GOLDEN:-0}" = 1 ]; then cp "$step/$f" "$dir/$f"; else
                cmp -s "$dir/$f" "$step/$f" || {
                    fail "$f differs (- committed, + smc now):"
                    diff -u "$dir/$f" "$step/$f" | sed 's/^/    /'
                }
            fi
        done
        (cd "$work" && "$smc" migrate check schema.smdl >/dev/null 2>&1) ||
            fail "migrate check after the step did not exit 0"
        (cd "$work" && "$smc" migrate new again schema.smdl >out 2>err)
        rc=$?
        [ "$rc" = 0 ] && grep -q '^smc: nothing to do' "$work/out" ||
            fail "a second migrate new did not find nothing to do (exit $rc)"
    else
        [ -e "$step" ] && fail "a refused step wrote $step"
        for f in $files; do
            [ ! -e "$dir/$f" ] || [ "${SMC_UPDATE_GOLDEN:-0}" = 1 ] ||
                fail "committed $f for a refused step"
            [ "${SMC_UPDATE_GOLDEN:-0}" = 1 ] && rm -f "$dir/$f"
        done
        (cd "$work" && "$smc" migrate check schema.smdl >/dev/null 2>&1)
        [ $? = 1 ] || fail "migrate check after a refusal did not exit 1"
    fi
}

each_case "$cases" step_case
[ "$ncases" -gt 0 ] || { echo "FAIL: no cases in $cases"; exit 1; }
[ "$failures" -eq 0 ] || echo "if intended, review and run with SMC_UPDATE_GOLDEN=1"
shtest_done
