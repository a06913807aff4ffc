#!/bin/sh
# no_globals.sh OBJDUMP LIB: the library has no global mutable state, so
# any number of compiler contexts can live in one process (and one per
# thread).  Fails on any object in a writable section (.data, .bss,
# COMMON) of LIB, except lemon's trace switch (yyTraceFILE and
# yyTracePrompt, set only by smc_parserTrace, which smc never calls) and
# what a sanitizer adds to an instrumented build (__asan*, __odr_asan*,
# __ubsan*).  Read-only tables (.rodata, .data.rel.ro) are fine.
set -u
[ $# -eq 2 ] || { echo "usage: no_globals.sh OBJDUMP LIB" >&2; exit 2; }
out=$("$1" -t "$2") || exit 1
echo "$out" | grep -q ' \.text' || { echo "no_globals: no code in $2" >&2; exit 1; }
bad=$(echo "$out" | awk '
    $3 == "O" && ($4 == ".data" || $4 == ".bss" || $4 == "*COM*" ||
                  $4 ~ /^\.(data|bss)\./ && $4 !~ /^\.data\.rel\.ro/) {
        if ($NF != "yyTraceFILE" && $NF != "yyTracePrompt" && $NF !~ /^__(odr_)?asan|^__ubsan/)
            print $4, $NF
    }')
if [ -n "$bad" ]; then
    echo "writable global state in $2:" >&2
    echo "$bad" >&2
    exit 1
fi
echo "no writable globals in $(basename "$2")"
