#!/usr/bin/env bash
# Compiles what smc generates for every schema of a corpus that checks
# without errors: a valid schema must give C that compiles with
# -std=c11 -Wall -Wextra -Wpedantic -Werror (DESIGN 3.8).  The fuzz target
# checks the generated text lexically on every input; this catches what
# only a compiler sees (colliding names, wrong types), on the inputs the
# fuzzer kept.
#
#   compile_corpus.sh SMC RUNTIME_INCLUDE OUTDIR CORPUS_DIR...
#
# Each schema that smc accepts but whose C fails to compile is copied to
# OUTDIR as compile-<name>.smdl with the compiler's messages in
# compile-<name>.txt.  CC (default cc) is the compiler.  Exit status 1
# when there is one, or when smc accepted none of the inputs.
set -uo pipefail

smc=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
inc=$2 outdir=$3
shift 3
cc=${CC:-cc}
work=$(mktemp -d "${TMPDIR:-/tmp}/fuzz-compile.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
mkdir -p "$outdir"

checked=0 compiled=0 failed=0
for dir in "$@"; do
    for f in "$dir"/*; do
        [[ -f $f ]] || continue
        rm -rf "$work/gen" && mkdir "$work/gen" || exit 1
        cp "$f" "$work/input.smdl"
        checked=$((checked + 1))
        (cd "$work" && timeout 20 "$smc" input.smdl -o gen) >/dev/null 2>&1 || continue
        compiled=$((compiled + 1))
        if ! timeout 60 "$cc" -std=c11 -Wall -Wextra -Wpedantic -Werror -fsyntax-only \
            -I "$inc" -I "$work/gen" "$work/gen/input.c" >"$work/cc.out" 2>&1; then
            name=$(basename "$f" .smdl)
            cp "$f" "$outdir/compile-$name.smdl"
            head -n 40 "$work/cc.out" >"$outdir/compile-$name.txt"
            echo "$f: the generated C does not compile ($outdir/compile-$name.txt)"
            failed=$((failed + 1))
        fi
    done
done
echo "compile_corpus: $checked inputs, $compiled accepted by smc, $failed whose C does not compile"
if ((checked > 0 && compiled == 0)); then
    echo "compile_corpus: smc accepted no input: is $smc the compiler?" >&2
    exit 1
fi
((failed == 0))
