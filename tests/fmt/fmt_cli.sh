#!/bin/sh
# smc fmt (suite fmt): each cases/NAME.in prints as cases/NAME.out.smdl,
# which is canonical; -w, --check, syntax errors, unwritable files and
# usage errors, with their exit statuses.  Each case asserts the whole
# output.
#
#   fmt_cli.sh SMC CASES_DIR
set -u
. "$(dirname "$0")/../common/shtest.sh"
shtest_init fmt
smc=$1
cases=$2

# The printed form of each case, byte for byte.
for in in "$cases"/*.in; do
    name=$(basename "$in" .in)
    want="$cases/$name.out.smdl"
    "$smc" fmt "$in" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    if [ "$rc" -ne 0 ] || [ -s "$tmp/err" ] || ! cmp -s "$want" "$tmp/out"; then
        echo "FAIL: case $name: exit $rc"
        cat "$tmp/err"
        diff "$want" "$tmp/out"
        failures=$((failures + 1))
    else
        echo "ok: case $name"
    fi
    expect "case $name is canonical" 0 "" "" "$smc" fmt --check "$want"
    expect "case $name input is not" 1 "" "" "$smc" fmt --check "$in"
done

cd "$tmp" || exit 1
printf 'module m;\ntable  T { id: int @pk; }\n' >a.smdl
canon='module m;
table T {
    id: int @pk;
}
'
expect "print" 0 "$canon" "" "$smc" fmt a.smdl
expect "check, not canonical" 1 "" "" "$smc" fmt --check a.smdl
# A type error does not stop fmt: it only parses.
printf 'module m;\ntable T { id: strng @pk; }\n' >typo.smdl
expect "type error" 0 'module m;
table T {
    id: strng @pk;
}
' "" "$smc" fmt typo.smdl
# Imports are not followed.
printf 'module m;\nimport "missing.smdl";\n' >imp.smdl
expect "import not followed" 0 "" "" "$smc" fmt --check imp.smdl

# -w: rewritten in place, mode kept; a canonical file is left alone.
chmod 640 a.smdl
expect "write" 0 "" "" "$smc" fmt -w a.smdl
printf '%s' "$canon" | cmp -s - a.smdl || { echo "FAIL: -w wrote another text"; failures=$((failures + 1)); }
[ "$(stat -c %a a.smdl)" = 640 ] || { echo "FAIL: -w changed the mode to $(stat -c %a a.smdl)"; failures=$((failures + 1)); }
expect "check, canonical" 0 "" "" "$smc" fmt --check a.smdl
ls -i a.smdl >inode.before
expect "write, canonical" 0 "" "" "$smc" fmt -w a.smdl
ls -i a.smdl | cmp -s - inode.before || { echo "FAIL: -w replaced a canonical file"; failures=$((failures + 1)); }
ls | grep -q 'fmt-' && { echo "FAIL: a temporary file was left"; failures=$((failures + 1)); }
# Through a symbolic link, the file it points at is rewritten.
printf 'module m;\ntable  T { id: int @pk; }\n' >target.smdl
ln -s target.smdl link.smdl
expect "write through a link" 0 "" "" "$smc" fmt -w link.smdl
[ -L link.smdl ] && printf '%s' "$canon" | cmp -s - target.smdl ||
    { echo "FAIL: -w through a link"; failures=$((failures + 1)); }

# Unwritable: a read-only file, a file in a read-only directory.
printf 'module m;\ntable  T { id: int @pk; }\n' >ro.smdl
chmod 444 ro.smdl
expect "write a read-only file" 2 "" "smc: cannot write 'ro.smdl': the file is read-only
" "$smc" fmt -w ro.smdl
mkdir rodir
printf 'module m;\ntable  T { id: int @pk; }\n' >rodir/b.smdl
chmod 555 rodir
if [ "$(id -u)" -ne 0 ]; then
    expect "write in a read-only directory" 2 "" "smc: cannot write 'rodir/b.smdl': Permission denied
" "$smc" fmt -w rodir/b.smdl
else # root writes anywhere: the directory cannot refuse
    echo "ok: write in a read-only directory (not testable as root)"
fi
chmod 755 rodir

# Syntax errors: the usual diagnostic, exit 1, with and without --check;
# -w leaves the file as it was.
printf 'module m;\ntable T { id: int @pk }\n' >bad.smdl
diag="bad.smdl:2:22: error: expected ';' after '@pk' [E0009]
table T { id: int @pk }
                     ^
"
expect "syntax error" 1 "" "$diag" "$smc" fmt bad.smdl
expect "syntax error, --check" 1 "" "$diag" "$smc" fmt --check bad.smdl
expect "syntax error, -w" 1 "" "$diag" "$smc" fmt -w bad.smdl
printf 'module m;\ntable T { id: int @pk }\n' | cmp -s - bad.smdl || { echo "FAIL: -w changed a file that does not parse"; failures=$((failures + 1)); }
expect "missing file" 1 "" "smc: error: cannot read 'nope.smdl': No such file or directory [E0010]
" "$smc" fmt nope.smdl
expect "missing file, --check" 1 "" "smc: error: cannot read 'nope.smdl': No such file or directory [E0010]
" "$smc" fmt --check nope.smdl

# Usage errors: exit 2.
usage="usage: smc fmt FILE [-w | --check]
Run 'smc help' for the list of commands.
"
expect "no file" 2 "" "smc: no input file
$usage" "$smc" fmt
expect "-w and --check" 2 "" "smc: -w and --check exclude each other
$usage" "$smc" fmt -w --check a.smdl
expect "unknown option" 2 "" "smc: unknown or misplaced option '--nope'
$usage" "$smc" fmt --nope a.smdl
expect "-I" 2 "" "smc: unknown or misplaced option '-I'
$usage" "$smc" fmt -I . a.smdl
expect "two files" 2 "" "smc: unexpected argument 'b.smdl' (one input file at a time)
$usage" "$smc" fmt a.smdl b.smdl
# The page itself is tests/cli/help.sh's; -h prints the same.
help="$("$smc" help fmt)
"
case $help in "usage: smc fmt FILE [-w | --check]"*) ;; *) help="(not the usage of fmt) $help" ;; esac
expect "help fmt" 0 "$help" "" "$smc" help fmt
expect "fmt -h" 0 "$help" "" "$smc" fmt -h

# The migration snapshot (a hidden command until smc migrate): bases,
# mixins and refined types expanded, only what reaches the database.
cat >snap.smdl <<'SMDL'
module snap;
import "std/types.smdl";
model Base { created: datetime = now(); }
table T : Base, Timestamps { id: int @pk @auto; mail: email @unique; n: int @ge(0) @index = 3; }
query q() -> [T] { select T }
SMDL
expect "snapshot" 0 '// Schema snapshot of module snap: its tables as the database sees them. Written by smc.
module snap;

table T {
    created: datetime = now();
    created_at: datetime = now();
    updated_at: datetime = now();
    id: int @pk @auto;
    mail: text @max_len(254);
    n: int = 3;
    unique (mail);
    index (n);
}
' "" "$smc" debug-snapshot snap.smdl
"$smc" help | grep -q snapshot && { echo "FAIL: smc help lists debug-snapshot"; failures=$((failures + 1)); }

shtest_done
