#!/bin/sh
# Tests dialect_lint.sh on fixtures: good.c.in names dialects only in
# comments and indexes the dialect table with variables, and must pass;
# bad.c.in must be reported exactly on its lines marked "hit" (in a
# comment at the end of the line), each as FILE:LINE: text.  A missing
# file and a directory without emitters are errors, not a pass.
#
#   lint_selftest.sh
set -u
LC_ALL=C
export LC_ALL
here=$(cd "$(dirname "$0")" && pwd)
lint=$here/dialect_lint.sh
cd "$here/fixtures" || exit 1

tmp=$(mktemp -d "${TMPDIR:-/tmp}/smdl-lint.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM
failures=0
fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}

"$lint" good.c.in >"$tmp/out" 2>&1
rc=$?
if [ $rc -ne 0 ] || [ -s "$tmp/out" ]; then
    fail "good.c.in: exit $rc (expected 0, silent):"
    cat "$tmp/out"
else
    echo "ok: good.c.in passes"
fi

grep -n -e '/[*/] hit' bad.c.in | while IFS= read -r l; do
    n=${l%%:*}
    printf 'bad.c.in:%s: %s\n' "$n" "$(sed -n "${n}p" bad.c.in)"
done >"$tmp/expected"
[ -s "$tmp/expected" ] || fail "bad.c.in has no marked line"
"$lint" bad.c.in >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ $rc -ne 1 ]; then
    fail "bad.c.in: exit $rc, expected 1"
elif ! cmp -s "$tmp/expected" "$tmp/out"; then
    fail "bad.c.in: reported lines differ (- expected, + reported):"
    diff -u "$tmp/expected" "$tmp/out"
elif ! grep -q "dialect table" "$tmp/err"; then
    fail "bad.c.in: no explanation on stderr"
else
    echo "ok: bad.c.in reports its $(wc -l <"$tmp/expected" | tr -d ' ') marked lines"
fi

# Both files at once: the good one adds nothing, the status is still 1.
"$lint" good.c.in bad.c.in >"$tmp/out" 2>/dev/null
rc=$?
if [ $rc -ne 1 ] || ! cmp -s "$tmp/expected" "$tmp/out"; then
    fail "good.c.in bad.c.in: exit $rc or different report"
else
    echo "ok: several files, one report"
fi

"$lint" no-such-file.c >"$tmp/out" 2>&1
rc=$?
if [ $rc -eq 0 ] || ! grep -q "cannot read no-such-file.c" "$tmp/out"; then
    fail "a missing file: exit $rc"
    cat "$tmp/out"
else
    echo "ok: a missing file is an error"
fi

mkdir "$tmp/empty"
"$lint" "$tmp/empty" >"$tmp/out" 2>&1
rc=$?
if [ $rc -eq 0 ] || ! grep -q "no checker or emitter files" "$tmp/out"; then
    fail "a directory without emitters: exit $rc"
    cat "$tmp/out"
else
    echo "ok: a directory without emitters is an error"
fi

# Directory mode picks check/ and emit/ files but the dialect table.
mkdir "$tmp/empty/check" "$tmp/empty/emit" "$tmp/empty/front"
cp bad.c.in "$tmp/empty/emit/emit_bad.c"
cp bad.c.in "$tmp/empty/emit/dialect.c"
cp bad.c.in "$tmp/empty/front/lex.c"
cp good.c.in "$tmp/empty/check/sema_good.c"
"$lint" "$tmp/empty" >"$tmp/out" 2>/dev/null
rc=$?
if [ $rc -ne 1 ] || [ "$(grep -c '' "$tmp/out")" -ne "$(grep -c '' "$tmp/expected")" ] ||
    grep -q -v "^$tmp/empty/emit/emit_bad.c:" "$tmp/out"; then
    fail "directory mode: exit $rc or wrong files:"
    cat "$tmp/out"
else
    echo "ok: directory mode checks check/ and emit/ files only"
fi

# Runtime mode picks runtime headers and core/, conn/ and model/ files but
# drivers/ and include/.
rt=$tmp/rt
mkdir -p "$rt/core" "$rt/conn" "$rt/model" "$rt/drivers/pg" "$rt/include/smdl"
cp bad.c.in "$rt/conn/bad.c"
cp good.c.in "$rt/core/good.c"
cp good.c.in "$rt/model/good.h"
cp bad.c.in "$rt/drivers/pg/pg.c"
cp bad.c.in "$rt/include/smdl/smdl.h"
"$lint" --runtime "$rt" >"$tmp/out" 2>/dev/null
rc=$?
if [ $rc -ne 1 ] || [ "$(grep -c '' "$tmp/out")" -ne "$(grep -c '' "$tmp/expected")" ] ||
    grep -q -v "^$rt/conn/bad.c:" "$tmp/out"; then
    fail "runtime mode: exit $rc or wrong files:"
    cat "$tmp/out"
else
    echo "ok: runtime mode checks the runtime but its drivers and public headers"
fi
cp bad.c.in "$rt/internal.h"
"$lint" --runtime "$rt" >"$tmp/out" 2>/dev/null
if ! grep -q "^$rt/internal.h:" "$tmp/out"; then
    fail "runtime mode: the runtime's own headers are not checked"
else
    echo "ok: runtime mode checks the runtime's headers"
fi
mkdir "$tmp/nort"
"$lint" --runtime "$tmp/nort" >"$tmp/out" 2>&1
rc=$?
if [ $rc -eq 0 ] || ! grep -q "no runtime files" "$tmp/out"; then
    fail "a directory without runtime files: exit $rc"
    cat "$tmp/out"
else
    echo "ok: a directory without runtime files is an error"
fi

if [ $failures -ne 0 ]; then
    echo "$failures self-test case(s) failed"
    exit 1
fi
echo "all self-test cases passed"
