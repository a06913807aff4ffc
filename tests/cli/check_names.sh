#!/bin/sh
# Table check names (suite cli): an unnamed check is named after its
# canonical text (DESIGN 5.1), so adding a check before it, or writing it
# with other spacing or comments, renames no other.
#
#   check_names.sh SMC
set -u
smc=$1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/smdl-cknames.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
failures=0

cat >"$tmp/one.smdl" <<'SMDL'
module one;
table T {
    id: int @pk;
    a: int;
    s: text;
    r: float;
    check (a >= 0 and (a < 10 or a == 32));
    check (s != "x\"y" and length(s) between 1 and 5);
    check (r < 1.5 and r > 1.0);
}
SMDL
cat >"$tmp/two.smdl" <<'SMDL'
module two;
table T {
    id: int @pk;
    a: int;
    s: text;
    r: float;
    check (a != 7);
    check (s != "x\"y"   and length(s)
           between 1 and 5); // a comment
    check (a>=0 and (a<10 or a==32));
    check (r < 15e-1 and r > 1.000);  /* literals by value */
}
SMDL

# names DIALECT FILE: the table checks' names, sorted.
names() {
    "$smc" sql "$tmp/$2.smdl" --dialect "$1" | grep -o 'ck_t_[0-9a-f]*' | sort -u
}
# name_of DIALECT FILE TEXT: the name of the check whose SQL holds TEXT.
name_of() {
    "$smc" sql "$tmp/$2.smdl" --dialect "$1" | grep -F "$3" | grep -o 'ck_t_[0-9a-f]*'
}

for d in sqlite postgres mysql; do
    ok=true
    for text in '= 32' 'BETWEEN 1 AND 5' '> 1.0'; do
        one=$(name_of "$d" one "$text") two=$(name_of "$d" two "$text")
        if [ -z "$one" ] || [ "$one" != "$two" ]; then
            echo "FAIL: $d: the check holding '$text' is '$one' alone, '$two' beside another"
            ok=false
        fi
    done
    if [ "$(names "$d" two | grep -c .)" -ne 4 ]; then
        echo "FAIL: $d: four checks should have four names: $(names "$d" two)"
        ok=false
    fi
    if $ok; then
        echo "ok: $d"
    else
        failures=$((failures + 1))
    fi
done
# Each name is ck_<table>_ and 8 hex digits.
for n in $(names sqlite two); do
    case $n in
    ck_t_[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]) ;;
    *) echo "FAIL: $n is not ck_t_ and 8 hex digits"; failures=$((failures + 1)) ;;
    esac
done
[ "$failures" -eq 0 ]
