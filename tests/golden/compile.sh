#!/bin/sh
# Compiles one schema's committed golden output with one compiler (see
# README.md): NAME.h alone in a translation unit that includes nothing
# else (twice, to exercise the include guard), which proves the header is
# self-contained, then NAME.c.  C compilers use -std=c11, C++
# compilers -x c++ -std=c++17; warnings are errors.  Compile only: the
# runtime is not linked, and alltypes' @check_fn function is only
# declared.
#
#   compile.sh COMPILER GOLDEN_DIR RUNTIME_INCLUDE
#
# A compiler that is not installed is a failure, not a skip: `make check`
# installs gcc, clang, g++ and clang++.
set -u
LC_ALL=C
export LC_ALL

if [ $# -ne 3 ]; then
    echo "usage: compile.sh COMPILER GOLDEN_DIR RUNTIME_INCLUDE" >&2
    exit 2
fi
cc=$1 golden=$2 rtinc=$3
name=$(basename "$golden")

case $cc in
*++) lang="-x c++ -std=c++17" ;;
*) lang="-std=c11" ;;
esac
if ! command -v "$cc" >/dev/null 2>&1; then
    echo "golden: compiler '$cc' is not installed (make check installs it)" >&2
    exit 1
fi
for f in "$golden/$name.c" "$golden/$name.h"; do
    if [ ! -f "$f" ]; then
        echo "golden: no $f; create it with SMC_UPDATE_GOLDEN=1 meson test --suite golden" >&2
        exit 1
    fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/smdl-golden-cc.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

# $lang is deliberately split into words.
compile() {
    echo "$cc $lang -Wall -Wextra -Wpedantic -Werror -c $1"
    # shellcheck disable=SC2086
    if ! "$cc" $lang -Wall -Wextra -Wpedantic -Werror -c -I "$rtinc" -I "$golden" \
        -o "$tmp/out.o" "$1"; then
        echo "golden: $cc rejects $2" >&2
        exit 1
    fi
}

printf '#include "%s.h"\n#include "%s.h"\n' "$name" "$name" >"$tmp/only_header.c"
compile "$tmp/only_header.c" "$name.h on its own"
compile "$golden/$name.c" "$name.c"
exit 0
