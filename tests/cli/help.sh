#!/bin/sh
# smc's help (suite cli): for every command `smc help` lists, and every
# subcommand a command's page lists, `smc help COMMAND [SUB]` exits 0 and
# prints a page (the layout scripts/manpage.sh reads): the usage first,
# what the command does, "options:" with a line for every option the
# usage names and for -h, --help, and "example:" with smc command lines;
# no line past 80 columns but the usage.  `smc COMMAND [SUB] -h` and
# `--help` print the same page.
#
#   help.sh SMC
set -u
LC_ALL=C
export LC_ALL
smc=$1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/smdl-help.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
failures=0
pages=0

fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}

# check_page TITLE ARGS...: `smc help ARGS` against the page rules.
check_page() {
    title=$1 before=$failures
    shift
    "$smc" help "$@" >"$tmp/page" 2>"$tmp/err"
    rc=$?
    [ $rc -eq 0 ] && [ ! -s "$tmp/err" ] || { fail "smc help $*: exit $rc, stderr $(cat "$tmp/err")"; return; }
    pages=$((pages + 1))
    head -n 1 "$tmp/page" | grep -q "^usage: smc " || fail "smc help $*: the first line is not 'usage: smc ...'"
    # The usage lines, the options' names, the examples.
    awk 'NR == 1 || (u && /^       /) { u = 1; print; next } { exit }' "$tmp/page" >"$tmp/usage"
    nusage=$(wc -l <"$tmp/usage")
    sed -n '/^options:$/,/^$/s/^  \([^ ].*\)$/\1/p' "$tmp/page" | sed 's/  .*//' >"$tmp/options"
    sed -n '/^example:$/,$s/^  //p' "$tmp/page" >"$tmp/example"
    awk -v usage="$nusage" 'NR == usage + 1 && $0 != "" { bad = 1 }
        NR == usage + 2 && $0 == "" { bad = 1 } END { exit bad }' "$tmp/page" ||
        fail "smc help $*: no paragraph after a blank line below the usage"
    grep -qx -- '-h, --help' "$tmp/options" || fail "smc help $*: no option line '-h, --help'"
    [ -s "$tmp/example" ] || fail "smc help $*: no example"
    grep -v '^smc ' "$tmp/example" && fail "smc help $*: example lines above are not smc commands"
    # Every option the usage names has its line: "-I DIR" for [-I DIR]...,
    # "--order=ORDER" for --order=both|...  (A page of subcommands shows
    # their usage; their pages have the options.)
    grep -qx 'commands:' "$tmp/page" && : >"$tmp/usage"
    for o in $(tr ' []|' '\n\n\n\n' <"$tmp/usage" | sed -n 's/^\(--*[a-zA-Z][a-zA-Z-]*\).*/\1/p' | sort -u); do
        grep -q -- "^$o\([ =,]\|$\)" "$tmp/options" || fail "smc help $*: the usage names $o, the options do not"
    done
    tail -n +"$((nusage + 1))" "$tmp/page" | awk 'length($0) > 80' >"$tmp/wide"
    [ -s "$tmp/wide" ] && fail "smc help $*: lines past 80 columns: $(cat "$tmp/wide")"
    # -h and --help after the command print the same.
    for h in -h --help; do
        if [ "$1" = generate ]; then
            "$smc" heroes.smdl -o gen "$h" >"$tmp/h" 2>&1
        else
            "$smc" "$@" "$h" >"$tmp/h" 2>&1
        fi
        rc=$?
        [ $rc -eq 0 ] && cmp -s "$tmp/page" "$tmp/h" || fail "smc $* $h (exit $rc) is not smc help $*"
    done
    [ $failures -eq "$before" ] && echo "ok: $title"
}

"$smc" help >"$tmp/overview" 2>&1 || fail "smc help exits $?"
commands=$(sed -n 's/^commands: //p' "$tmp/overview")
for c in generate check sql jsonschema fmt migrate introspect help; do
    case " $commands " in *" $c "*) ;; *) fail "smc help does not list $c among '$commands'" ;; esac
done
for c in $commands; do
    check_page "smc help $c" "$c"
    subs=$(sed -n '/^commands:$/,/^$/s/^  \([a-z]*\) .*/\1/p' "$tmp/page")
    [ "$c" != migrate ] || [ "$(echo $subs)" = "new check rehash verify diff up status down" ] ||
        fail "smc help migrate lists the commands '$(echo $subs)'"
    for s in $subs; do
        check_page "smc help $c $s" "$c" "$s"
    done
    # The overview shows the page's usage (a command of subcommands: theirs).
    head -n 1 "$tmp/page" | sed 's/^usage: /  /' >"$tmp/first"
    grep -qF "$(cat "$tmp/first")" "$tmp/overview" || fail "smc help lacks the usage of $c: $(cat "$tmp/first")"
done
[ $pages -ge 15 ] || fail "$pages pages, not the 15 or more of 8 commands and migrate's 7"

for h in -h --help; do
    "$smc" "$h" >"$tmp/h" 2>&1 && cmp -s "$tmp/overview" "$tmp/h" || fail "smc $h is not smc help"
done
"$smc" help help -h >"$tmp/h" 2>&1 && "$smc" help help | cmp -s - "$tmp/h" || fail "smc help help -h"

# Mistakes: the exact messages.
expect() { # STATUS STDERR CMD...
    status=$1 want=$2
    shift 2
    "$@" >/dev/null 2>"$tmp/err"
    rc=$?
    printf '%s' "$want" | cmp -s - "$tmp/err" && [ $rc -eq "$status" ] ||
        { fail "$*: exit $rc, stderr:"; cat "$tmp/err"; }
}
expect 2 "smc: unknown command 'migrate apply'
Run 'smc help migrate' for its commands.
" "$smc" help migrate apply
expect 2 "smc: unknown command 'check x'
Run 'smc help check' for its commands.
" "$smc" help check x
expect 2 "smc: unexpected argument 'c'
usage: smc help [COMMAND [SUBCOMMAND]]
" "$smc" help a b c
expect 2 "smc: unknown command 'debug-words'
Run 'smc help' for the list of commands.
" "$smc" help debug-words

[ $failures -eq 0 ] || { echo "$failures failure(s)"; exit 1; }
echo "ok: $pages pages"
