#!/bin/sh
# The smc command line (suite cli): commands, usage errors and their exit
# statuses, help, the standard library found without -I, -o creating
# its directory, and files that import each other.  Each case asserts the whole output.
#
#   cli_test.sh SMC
set -u
smc=$1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/smdl-cli.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
failures=0

# expect NAME STATUS EXPECTED_STDERR CMD...: runs CMD, compares status and stderr.
expect() {
    name=$1 status=$2 want=$3
    shift 3
    "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    printf '%s' "$want" >"$tmp/want"
    if [ "$rc" -ne "$status" ] || ! cmp -s "$tmp/want" "$tmp/err"; then
        echo "FAIL: $name: exit $rc (expected $status), stderr:"
        diff "$tmp/want" "$tmp/err"
        failures=$((failures + 1))
    else
        echo "ok: $name"
    fi
}

cd "$tmp" || exit 1
cat >heroes.smdl <<'SMDL'
module heroes;
import "std/types.smdl";
table Hero { id: int @pk @auto; mail: email; }
SMDL

expect "unknown command" 2 "smc: unknown command 'frobnicate'
Run 'smc help' for the list of commands.
" "$smc" frobnicate heroes.smdl
expect "unknown option" 2 "smc: unknown or misplaced option '--nope'
usage: smc check FILE [-I DIR]... [--diagnostics=text|json]
Run 'smc help' for the list of commands.
" "$smc" check heroes.smdl --nope
expect "two inputs" 2 "smc: unexpected argument 'b.smdl' (one input file at a time)
usage: smc check FILE [-I DIR]... [--diagnostics=text|json]
Run 'smc help' for the list of commands.
" "$smc" check heroes.smdl b.smdl
expect "missing -o" 2 "smc: missing -o DIR
usage: smc FILE -o DIR [-I DIR]... [-m DIR] [--depfile FILE]
Run 'smc help' for the list of commands.
" "$smc" heroes.smdl
expect "unknown dialect" 2 "smc: unknown dialect 'oracle' (sqlite, postgres or mysql)
usage: smc sql FILE --dialect sqlite|postgres|mysql [-I DIR]...
Run 'smc help' for the list of commands.
" "$smc" sql heroes.smdl --dialect oracle
expect "missing dialect" 2 "smc: missing --dialect sqlite|postgres|mysql
usage: smc sql FILE --dialect sqlite|postgres|mysql [-I DIR]...
Run 'smc help' for the list of commands.
" "$smc" sql heroes.smdl
# Every dialect the usage names is one smc sql accepts.
for d in $("$smc" help sql | head -n 1 | sed -n 's/.*--dialect \([^ ]*\) .*/\1/p' | tr '|' ' '); do
    expect "dialect $d" 0 "" "$smc" sql heroes.smdl --dialect "$d"
done
expect "help of an unknown command" 2 "smc: unknown command 'nope'
Run 'smc help' for the list of commands.
" "$smc" help nope
expect "no arguments" 2 "$("$smc" --help)
" "$smc"
expect "help" 0 "" "$smc" help
grep -q '^  smc check FILE' "$tmp/out" || { echo "FAIL: help lists no check"; failures=$((failures + 1)); }
expect "help check" 0 "" "$smc" help check
# debug-words prints the lexer's and the checker's tables, which the
# editor grammars are held to.
expect "debug-words" 0 "" "$smc" debug-words
for w in "keyword model" "keyword returning" "attribute pk" "attribute doc" "type datetime"; do
    grep -qx "$w" "$tmp/out" || { echo "FAIL: debug-words lacks '$w'"; failures=$((failures + 1)); }
done
expect "debug-words with an argument" 2 "smc: debug-words takes no arguments
usage: smc debug-words
" "$smc" debug-words x
expect "check -h" 0 "" "$smc" check -h
expect "version" 0 "" "$smc" --version

# The standard library is found without -I, and -o makes its directories.
expect "check with the stdlib" 0 "" "$smc" check heroes.smdl
expect "generate into a new directory" 0 "" "$smc" heroes.smdl -o gen/a/b
[ -s gen/a/b/heroes.h ] && [ -s gen/a/b/heroes.c ] ||
    { echo "FAIL: gen/a/b/heroes.[ch] missing"; failures=$((failures + 1)); }
: >file
expect "-o on a file" 2 "smc: cannot create directory 'file/x': Not a directory
" "$smc" heroes.smdl -o file/x

# Files that import each other: a model in one, its relationships in the
# other.  Each checks on its own; an error in the other file is reported
# at its place (by its resolved path) whichever file is checked.
mkdir -p mutual
cat >mutual/squads.smdl <<'SMDL'
module squads;
import "members.smdl";
table Squad { id: int @pk @auto; members: [Member] @rel(Member.squad_id); }
query squads() -> [Squad with members] { select Squad }
SMDL
cat >mutual/members.smdl <<'SMDL'
module members;
import "squads.smdl";
table Member { id: int @pk @auto; squad_id: int? @fk(Squad.id); squad: Squad? @rel; }
query members() -> [Member with squad] { select Member }
SMDL
expect "check one of two files that import each other" 0 "" "$smc" check mutual/squads.smdl
expect "check the other" 0 "" "$smc" check mutual/members.smdl
sed 's/squad: Squad? @rel;/squad: Squad? @rel(squad);/' mutual/members.smdl >mutual/m2 &&
    mv mutual/m2 mutual/members.smdl
mdir=$(cd mutual && pwd -P)
expect "an error in the other file" 1 "$mdir/members.smdl:3:84: error: 'squad' is not a foreign key to 'Squad' [E0312]
table Member { id: int @pk @auto; squad_id: int? @fk(Squad.id); squad: Squad? @rel(squad); }
                                                                                   ^~~~~
" "$smc" check mutual/squads.smdl

if [ $failures -ne 0 ]; then
    echo "$failures case(s) failed"
    exit 1
fi
