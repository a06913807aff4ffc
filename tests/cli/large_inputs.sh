#!/bin/sh
# Large inputs (suite cli): `smc check` on schemas that were once
# quadratic or worse in the checker's time, each bounded generously
# against a hang (seconds where it takes a fraction of one, where the
# old code took minutes).  The memory side is measured exactly in
# tests/front/test_growth.c; bench/smc_growth measures both.
#
#   large_inputs.sh SMC
set -u
smc=$1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/smdl-large.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
bound=60
failures=0

# run NAME STATUS: checks $tmp/NAME.smdl within the bound.
run() {
    timeout "$bound" "$smc" check "$tmp/$1.smdl" >/dev/null 2>"$tmp/$1.err"
    rc=$?
    if [ "$rc" -eq 124 ]; then
        echo "FAIL: $1: still running after ${bound}s"
        failures=$((failures + 1))
    elif [ "$rc" -ne "$2" ]; then
        echo "FAIL: $1: exit $rc (expected $2)"
        head -5 "$tmp/$1.err"
        failures=$((failures + 1))
    else
        echo "ok: $1"
    fi
}

# A 2,000-deep inheritance chain (minutes before).
awk 'BEGIN { print "module chain;"; print "model M0 { f0: int; }"
             for (i = 1; i < 2000; i++) printf "model M%d : M%d { f%d: int; }\n", i, i - 1, i }' \
    >"$tmp/chain.smdl"
run chain 0

# An insert of 100,000 columns from 100,000 parameters: checked in full,
# then refused once (a query binds 127 parameters at most, E0424).
awk 'BEGIN { n = 100000; print "module params;"; printf "table T { id: int @pk @auto;"
             for (i = 0; i < n; i++) printf " c%d: int;", i
             printf " }\nquery q("
             for (i = 0; i < n; i++) printf "%sp%d: int", i ? ", " : "", i
             printf ") -> exec { insert T ("
             for (i = 0; i < n; i++) printf "%sc%d", i ? ", " : "", i
             printf ") values ("
             for (i = 0; i < n; i++) printf "%s:p%d", i ? ", " : "", i
             print ") }" }' >"$tmp/params.smdl"
run params 1

# A projection of 100,000 named columns.
awk 'BEGIN { n = 100000; print "module items;"; print "table T { id: int @pk; }"
             printf "query q() -> [R] { select "
             for (i = 0; i < n; i++) printf "%sid + %d as c%d", i ? ", " : "", i, i
             print " from T }" }' >"$tmp/items.smdl"
run items 0

# 100,000 calls as the arguments of one call (too many for coalesce: one error).
awk 'BEGIN { n = 100000; print "module nested;"; print "table T { id: int @pk; }"
             printf "query q() -> int { select coalesce("
             for (i = 0; i < n; i++) printf "%scoalesce(id, %d)", i ? ", " : "", i
             print ") as n from T }" }' >"$tmp/nested.smdl"
run nested 1

# 200,000 adjacent string literals.
awk 'BEGIN { printf "module strings;\ntable T { id: int @pk; s: text ="
             for (i = 0; i < 200000; i++) printf " \"abcdefgh\""
             print "; }" }' >"$tmp/strings.smdl"
run strings 0

# 20,000 fields of unknown types among 20,000 models: did-you-mean is
# spent only on the diagnostics shown.
awk 'BEGIN { print "module errors"; print ";"
             for (i = 0; i < 20000; i++) printf "model M%d { a: Nope%d; }\n", i, i }' \
    >"$tmp/errors.smdl"
run errors 1

# 20,000 declarations with a syntax error each, between 20,000 that
# parse and reference them: one error each, the references quiet.
awk 'BEGIN { print "module broken;"
             for (i = 0; i < 20000; i++) {
                 printf "table B%d {\n  id int;\n  type: text;\n}\n", i
                 printf "table T%d {\n  id: int @pk;\n  b: B%d;\n}\n", i, i } }' \
    >"$tmp/broken.smdl"
run broken 1
if [ "$(grep -c 'error:' "$tmp/broken.err")" -ne 100 ] ||
   ! grep -q '^smc: 19900 more diagnostics not shown$' "$tmp/broken.err"; then
    echo "FAIL: broken: not one error per broken declaration"
    tail -3 "$tmp/broken.err"
    failures=$((failures + 1))
fi

[ "$failures" -eq 0 ] || { echo "$failures failed"; exit 1; }
