#!/bin/sh
# Golden tests of `smc migrate verify` (suite migrate): each directory of
# CASES holds old.smdl and new.smdl (and the files they import), and
# optionally `args`, the arguments after `smc migrate verify` (default:
# `--against old.smdl new.smdl`).  smc runs in the case's directory; what
# it prints on stderr (file `stderr`) and stdout (file `stdout`) and its
# exit status (file `status` when not 0) must match byte for byte.  The
# absolute path of the case's directory, which names imported files, is
# written `<case>`.
#
#   verify.sh SMC CASES
# With SMC_UPDATE_GOLDEN=1 the committed files are rewritten instead.
set -u
. "$(dirname "$0")/../common/shtest.sh"
shtest_init verify
smc=$1 cases=$2
case $smc in /*) ;; *) smc=$(pwd)/$smc ;; esac

# One case: smc run in its directory, its output and status.
verify_case() {
    dir=$1
    args="--against old.smdl new.smdl"
    [ -e "$dir/args" ] && args=$(cat "$dir/args")
    real=$(cd "$dir" && pwd -P)
    # shellcheck disable=SC2086 # args is a list of words
    (cd "$dir" && "$smc" migrate verify $args >"$tmp/out" 2>"$tmp/err")
    rc=$?
    echo "$rc" >"$tmp/status"
    [ "$rc" = 0 ] && : >"$tmp/status"
    for f in out err; do
        sed "s|$real|<case>|g" "$tmp/$f" >"$tmp/$f.s"
    done
    same "$dir/status" "$tmp/status"
    same "$dir/stderr" "$tmp/err.s"
    same "$dir/stdout" "$tmp/out.s"
    case $rc in 0 | 1 | 2) ;; *) fail "exit status $rc" ;; esac
}

each_case "$cases" verify_case

# A large input: 20,000 columns renamed without @was (dropped and added)
# and 2,000 queries on each side reading them.  Every finding is counted;
# 100 of each side's tables are shown, and 99 of each query check (the
# module-name warning of new.smdl took one place of its limit).  The
# timeout is a bound against quadratic work, not a timing.
name=large
big=$tmp/large
mkdir -p "$big"
(cd "$big" && awk -v n=20000 -v q=2000 'BEGIN {
    for (s = 0; s < 2; s++) {
        f = s ? "new.smdl" : "old.smdl"; p = s ? "d" : "c"
        print "module schema;\ntable Hero {\n    id: int @pk @auto;" >f
        for (i = 0; i < n; i++) printf "    %s%d: int?;\n", p, i >f
        print "}" >f
        for (i = 0; i < q; i++)
            printf "row R%d { %s%d: int?; }\nquery q%d() -> [R%d] { select %s%d from Hero }\n",
                i, p, i, i, i, p, i >f
    }
}') || exit 1
(cd "$big" && timeout 60 "$smc" migrate verify --against old.smdl new.smdl >out 2>err)
rc=$?
[ "$rc" = 1 ] || fail "exit status $rc, not 1"
tail -n 1 "$big/err" | grep -qx "smc: 'old.smdl' and 'new.smdl' cannot run side by side against one database: 44000 errors" ||
    fail "last line: $(tail -n 1 "$big/err")"
[ "$(grep -c ': error: ' "$big/err")" = 398 ] || fail "$(grep -c ': error: ' "$big/err") errors shown, not 398"

[ "$ncases" -gt 0 ] || { echo "FAIL: no cases in $cases"; exit 1; }
echo "$ncases cases"
shtest_done
