#!/bin/sh
# doc_check.sh: keeps the documentation true (suite docs; see README.md).
#
#   doc_check.sh c SRC SMC DOC CC [CC_ARGS...]
#       Compiles every ```c block of SRC/DOC with
#       CC -std=c11 -Wall -Wextra -Wpedantic -Werror -c, against
#       SRC/runtime/include and the headers smc generates from the schemas
#       the document shows.  ```c fragment blocks are skipped.
#   doc_check.sh console SRC SMC DOC
#       Runs every `$ smc ...` command of the ```console blocks of SRC/DOC
#       and compares what it prints (stdout and stderr) with the lines
#       shown under it.
#   doc_check.sh schemas SRC SMC DOC
#       Checks that every schema the document shows compiles with
#       `smc check` without a single diagnostic.
#   doc_check.sh codes SRC
#       Checks that docs/diagnostics.md has a "### Ennnn" section for
#       every code of compiler/front/diag_codes.h, and no section for a code
#       that does not exist.
#
# Schemas: an ```smdl block whose first line is a comment naming a file
# ("// heroes.smdl") is that file.  Such files, and the standard library
# (copied next to them, so `import "std/..."` resolves), make up the
# directory where the commands run and from which headers are generated:
# a ```c block includes the header of the schema it uses ("heroes.h").
set -u
LC_ALL=C
export LC_ALL

usage() {
    echo "usage: doc_check.sh c|console|schemas SRC SMC DOC [CC ARGS...] | codes SRC" >&2
    exit 2
}

[ $# -ge 2 ] || usage
mode=$1
src=$2
here=$(cd "$(dirname "$0")" && pwd)

work=$(mktemp -d "${TMPDIR:-/tmp}/smdl-docs.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT HUP INT TERM

# Splits DOC's code blocks into $work/blocks and writes its schemas to
# $work/schema.
extract() {
    mkdir -p "$work/blocks" "$work/schema" "$work/gen" || exit 1
    : >"$work/blocks/index"
    awk -v dir="$work/blocks" -f "$here/blocks.awk" "$src/$doc" || exit 1
    cp -R "$src/stdlib/std" "$work/schema/std" || exit 1
    while IFS='	' read -r k info line; do
        [ "$info" = smdl ] || continue
        name=$(sed -n '1s|^// \([A-Za-z0-9_]*\.smdl\)$|\1|p' "$work/blocks/$k")
        [ -n "$name" ] || continue
        if [ -e "$work/schema/$name" ]; then
            echo "$doc:$line: a second schema named $name" >&2
            exit 1
        fi
        cp "$work/blocks/$k" "$work/schema/$name" || exit 1
    done <"$work/blocks/index"
}

check_c() {
    [ $# -ge 1 ] || usage
    failed=0
    for f in "$work"/schema/*.smdl; do
        [ -e "$f" ] || continue
        name=$(basename "$f")
        if ! (cd "$work/schema" && "$smc" "$name" -o "$work/gen") >"$work/smc.out" 2>&1 ||
            [ -s "$work/smc.out" ]; then
            echo "$doc: smc does not compile the schema $name cleanly:" >&2
            cat "$work/smc.out" >&2
            failed=1
        fi
    done
    compiled=0 skipped=0
    while IFS='	' read -r k info line; do
        case $info in
        c) ;;
        "c fragment")
            skipped=$((skipped + 1))
            continue ;;
        c\ *)
            echo "$doc:$line: unknown block kind '$info' (c or c fragment)" >&2
            failed=1
            continue ;;
        *) continue ;;
        esac
        unit="$work/line$line.c"
        cp "$work/blocks/$k" "$unit" || exit 1
        if "$@" -std=c11 -Wall -Wextra -Wpedantic -Werror -I "$src/runtime/include" \
            -I "$work/gen" -c "$unit" -o "$work/line$line.o" >"$work/cc.out" 2>&1; then
            compiled=$((compiled + 1))
        else
            echo "$doc:$line: this c block does not compile:" >&2
            cat "$work/cc.out" >&2
            failed=1
        fi
    done <"$work/blocks/index"
    echo "$doc: $compiled c blocks compiled, $skipped fragments skipped"
    if [ "$compiled" -eq 0 ]; then
        echo "$doc: no c block found" >&2
        failed=1
    fi
    return $failed
}

# Runs the commands of one console block: "$ smc ARGS" lines, each
# followed by the output it must print.
run_console() { # block doc_line
    blk=$1 at=$2
    awk -v dir="$work/cmd" '
        /^\$ / { n++; print substr($0, 3) > (dir "/" n ".cmd"); printf "" > (dir "/" n ".exp"); next }
        n { print > (dir "/" n ".exp") }
    ' "$blk" || exit 1
    i=1 bad=0
    while [ -f "$work/cmd/$i.cmd" ]; do
        cmd=$(cat "$work/cmd/$i.cmd")
        case $cmd in
        "smc "*) ;;
        *)
            echo "$doc:$at: only smc commands can be checked: '$cmd'" >&2
            return 1 ;;
        esac
        set -f
        # shellcheck disable=SC2086 # the words of the command, as a shell splits them
        set -- ${cmd#smc }
        set +f
        (cd "$work/schema" && "$smc" "$@") >"$work/cmd/$i.out" 2>&1
        if ! cmp -s "$work/cmd/$i.exp" "$work/cmd/$i.out"; then
            echo "$doc:$at: '$cmd' prints something else (- shown, + actual):" >&2
            diff -u "$work/cmd/$i.exp" "$work/cmd/$i.out" | tail -n +3 >&2
            bad=1
        fi
        i=$((i + 1))
    done
    commands=$((commands + i - 1))
    return $bad
}

check_console() {
    failed=0 commands=0
    while IFS='	' read -r k info line; do
        [ "$info" = console ] || continue
        head -n 1 "$work/blocks/$k" | grep -q '^\$ smc ' || continue
        rm -rf "$work/cmd" && mkdir "$work/cmd" || exit 1
        run_console "$work/blocks/$k" "$line" || failed=1
    done <"$work/blocks/index"
    echo "$doc: $commands smc commands checked"
    if [ "$commands" -eq 0 ]; then
        echo "$doc: no console block with an smc command found" >&2
        failed=1
    fi
    return $failed
}

check_schemas() {
    failed=0 n=0
    for f in "$work"/schema/*.smdl; do
        [ -e "$f" ] || continue
        name=$(basename "$f")
        n=$((n + 1))
        if ! (cd "$work/schema" && "$smc" check "$name") >"$work/smc.out" 2>&1 ||
            [ -s "$work/smc.out" ]; then
            echo "$doc: the schema $name does not check cleanly:" >&2
            cat "$work/smc.out" >&2
            failed=1
        fi
    done
    echo "$doc: $n schemas checked"
    if [ "$n" -eq 0 ]; then
        echo "$doc: no schema found" >&2
        failed=1
    fi
    return $failed
}

check_codes() {
    codes="$src/compiler/front/diag_codes.h"
    doc="$src/docs/diagnostics.md"
    grep -o '"E[0-9][0-9][0-9][0-9]"' "$codes" | tr -d '"' | sort >"$work/codes" || exit 1
    grep -o '^### E[0-9][0-9][0-9][0-9]' "$doc" | cut -c5- | sort >"$work/documented"
    if [ ! -s "$work/codes" ]; then
        echo "no code found in $codes" >&2
        return 1
    fi
    failed=0
    for c in $(comm -23 "$work/codes" "$work/documented"); do
        echo "docs/diagnostics.md: no '### $c' section for a code of diag_codes.h" >&2
        failed=1
    done
    for c in $(comm -13 "$work/codes" "$work/documented"); do
        echo "docs/diagnostics.md: '### $c' documents a code diag_codes.h does not have" >&2
        failed=1
    done
    dups=$(uniq -d "$work/documented")
    if [ -n "$dups" ]; then
        echo "docs/diagnostics.md: documented twice: $dups" >&2
        failed=1
    fi
    echo "$(wc -l <"$work/codes") codes, $(wc -l <"$work/documented") sections"
    return $failed
}

# Commands run in another directory: make the paths absolute.
abs() {
    case $1 in
    /*) echo "$1" ;;
    *) echo "$(pwd)/$1" ;;
    esac
}
src=$(abs "$src")

case $mode in
c)
    [ $# -ge 5 ] || usage
    smc=$(abs "$3") doc=$4
    shift 4
    extract
    check_c "$@" ;;
console)
    [ $# -eq 4 ] || usage
    smc=$(abs "$3") doc=$4
    extract
    check_console ;;
schemas)
    [ $# -eq 4 ] || usage
    smc=$(abs "$3") doc=$4
    extract
    check_schemas ;;
codes)
    [ $# -eq 2 ] || usage
    check_codes ;;
*)
    usage ;;
esac
