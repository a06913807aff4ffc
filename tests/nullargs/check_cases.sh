#!/bin/sh
# Checks that the NULL-argument tests cover every function they must, so
# that a function added later cannot go untested:
#  - every SM_API function of smdl.h and desc.h has a case (NA_CASE(name)
#    in one of the test files), and no case names a function that is gone;
#  - every function of the generated heroes.h has a case;
#  - among the query functions of the generated queries.h, every kind of
#    pointer parameter and every set of outputs appears in a function
#    that has a case (the kinds are the C types with model names
#    replaced by T; outputs are the parameters named out, arena, has,
#    affected, fn and ud).
#
#   check_cases.sh SMDL_H DESC_H HEROES_H QUERIES_H TEST_FILE...
set -u
LC_ALL=C
export LC_ALL

if [ $# -lt 5 ]; then
    echo "usage: check_cases.sh SMDL_H DESC_H HEROES_H QUERIES_H TEST_FILE..." >&2
    exit 2
fi
smdl_h=$1 desc_h=$2 heroes_h=$3 queries_h=$4
shift 4
status=0

tmp=$(mktemp -d "${TMPDIR:-/tmp}/smdl-nullargs.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

# The name before the first '(' of every SM_API declaration.
sed -n 's/^SM_API[^(]*[^a-z0-9_]\(sm_[a-z0-9_]*\)(.*/\1/p' "$smdl_h" "$desc_h" | sort -u >"$tmp/api"
if [ "$(wc -l <"$tmp/api")" -lt 50 ]; then
    echo "nullargs: found only $(wc -l <"$tmp/api") SM_API functions in the headers: is the pattern stale?" >&2
    status=1
fi

cat "$@" | sed -n 's/.*NA_CASE(\([a-z0-9_]*\)).*/\1/p' | sort -u >"$tmp/cases"
grep '^sm_' "$tmp/cases" >"$tmp/sm_cases" || :

for f in $(comm -23 "$tmp/api" "$tmp/sm_cases"); do
    echo "nullargs: $f is declared SM_API but has no case (add NA_CASE($f) to a test in tests/nullargs)" >&2
    status=1
done
for f in $(comm -13 "$tmp/api" "$tmp/sm_cases"); do
    echo "nullargs: NA_CASE($f) names no SM_API function" >&2
    status=1
done

# Every generated function of heroes.h.
sed -n 's/^int \([a-z0-9_]*\)(.*/\1/p' "$heroes_h" | sort -u >"$tmp/heroes"
if [ ! -s "$tmp/heroes" ]; then
    echo "nullargs: no function found in $heroes_h" >&2
    status=1
fi
for f in $(comm -23 "$tmp/heroes" "$tmp/cases"); do
    echo "nullargs: the generated $f (heroes.h) has no case" >&2
    status=1
done

# The shapes of the query functions: one line per function,
# "name<TAB>kind|kind|...<TAB>outputs".
awk '
/^\/\* ---- queries ---- \*\/$/ { on = 1; next }
/^\/\* ---- module / { on = 0 }
on && /^int [a-z0-9_]*\(sm_cx \*cx, sm_conn \*conn/ {
    line = $0
    name = line; sub(/^int /, "", name); sub(/\(.*/, "", name)
    sub(/^[^(]*\(sm_cx \*cx, sm_conn \*conn/, "", line)
    sub(/\);$/, "", line)
    gsub(/int \(\*fn\)\(void \*ud, const [A-Za-z0-9_]* \*row\)/, "each_fn fn", line)
    sub(/^, /, "", line)
    n = split(line, ps, /, /)
    kinds = ""; outs = ""
    for (i = 1; i <= n; i++) {
        p = ps[i]
        pname = p; sub(/.*[ *]/, "", pname)
        type = substr(p, 1, length(p) - length(pname)); sub(/ +$/, "", type)
        gsub(/[A-Z][A-Za-z0-9]*_list/, "T_list", type)
        gsub(/[A-Z][A-Za-z0-9]*/, "T", type)
        if (pname ~ /^(out|arena|has|affected|fn|ud)$/)
            outs = outs (outs == "" ? "" : ", ") type " " pname
        else if (type ~ /\*/ || type == "size_t")
            kinds = kinds (kinds == "" ? "" : "|") type
    }
    printf "%s\t%s\t%s\n", name, kinds, outs
}' "$queries_h" >"$tmp/shapes"
if [ ! -s "$tmp/shapes" ]; then
    echo "nullargs: no query function found in $queries_h" >&2
    status=1
fi

# Kinds and output sets, of every query and of the covered ones.
awk -F '\t' 'NR == FNR { covered[$1] = 1; next }
{
    n = split($2, ks, "|")
    for (i = 1; i <= n; i++) {
        print "kind\t" ks[i] "\t" $1 > "'"$tmp/all"'"
        if ($1 in covered) print "kind\t" ks[i] > "'"$tmp/done"'"
    }
    print "outputs\t" $3 "\t" $1 > "'"$tmp/all"'"
    if ($1 in covered) print "outputs\t" $3 > "'"$tmp/done"'"
}' "$tmp/cases" "$tmp/shapes"
touch "$tmp/done"
while IFS='	' read -r what shape fn; do
    if ! grep -qxF "$what	$shape" "$tmp/done"; then
        echo "nullargs: no case covers the query $what '$shape' (as in $fn, queries.h)" >&2
        status=1
    fi
done <<EOF
$(sort -t "$(printf '\t')" -u -k1,2 "$tmp/all")
EOF

exit $status
