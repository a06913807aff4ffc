#!/bin/sh
# What `meson install` ships (suite install): the build directory is
# installed under a temporary DESTDIR and
#   - the files installed are exactly expected.txt (directories as
#     BINDIR, LIBDIR, INCLUDEDIR, DATADIR and MANDIR), plus editors/vim,
#     editors/emacs and editors/vscode of the tree (without node_modules)
#     under DATADIR/smdl/editors;
#   - libsmdl.so exports exactly the functions the installed headers
#     declare SM_API, all named sm_, and nothing else (no _init, _fini,
#     _edata ...); its SONAME is libsmdl.so.0;
#   - the code smc generates calls nothing of libsmdl that libsmdl.so
#     does not export: every symbol the committed golden outputs leave
#     undefined is exported, or not libsmdl's at all (the C library's);
#   - neither library links a client library (libsqlite3, libpq,
#     libmariadb): libsmdl.so does not need one, libsmdl.a calls none
#     directly, and smdl.pc's --static libraries name none (they are
#     loaded on first use);
#   - smdl.pc names the installed smc and standard library; the smc there
#     finds that standard library by itself;
#   - smc.1 renders without a warning and has a section for every command
#     and subcommand `smc help` lists.
# (tests/downstream/run.sh builds and runs a program against such a tree.)
#
#   install.sh CC BUILD_DIR SOURCE_DIR PREFIX BINDIR LIBDIR INCLUDEDIR DATADIR MANDIR
set -u
LC_ALL=C
export LC_ALL
cc=$1 build=$2 src=$3 prefix=$4 bindir=$5 libdir=$6 incdir=$7 datadir=$8 mandir=$9
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/smdl-install.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
dest=$tmp/dest
failures=0

fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}

if ! meson install -C "$build" --no-rebuild --destdir "$dest" >"$tmp/install.log" 2>&1; then
    cat "$tmp/install.log"
    echo "FAIL: meson install"
    exit 1
fi

# ---- The files -----------------------------------------------------------------------
# Each installed file or link, its directory named as in expected.txt.
(cd "$dest" && find . \( -type f -o -type l \) | sed 's|^\.||' | sort) | while read -r f; do
    link=
    [ -L "$dest$f" ] && link=" -> $(readlink "$dest$f")"
    for pair in "$libdir LIBDIR" "$incdir INCLUDEDIR" "$mandir MANDIR" "$datadir DATADIR" "$bindir BINDIR"; do
        dir=${pair% *}
        case $f in "$dir"/*) f=${pair#* }${f#"$dir"} && break ;; esac
    done
    echo "$f$link"
done | sort >"$tmp/got"
{
    sed -n '/^[A-Z]/p' "$here/expected.txt"
    for e in vim emacs vscode; do
        [ -d "$src/editors/$e" ] || continue
        (cd "$src/editors/$e" && find . -path ./node_modules -prune -o \( -type f -print \)) |
            sed "s|^\.|DATADIR/smdl/editors/$e|"
    done
} | sort >"$tmp/want"
if cmp -s "$tmp/want" "$tmp/got"; then
    echo "ok: the files installed"
else
    fail "the files installed differ from expected.txt and editors/ (- expected, + installed):"
    diff -u "$tmp/want" "$tmp/got" | tail -n +3
fi

# ---- libsmdl.so's symbols ------------------------------------------------------------
so=$dest$libdir/libsmdl.so
grep -hv '^#' "$dest$incdir"/smdl/*.h | tr '\n' ' ' | grep -o 'SM_API[^;(]*(' | grep -o '[A-Za-z0-9_]*($' |
    tr -d '(' | sort -u >"$tmp/declared"
nm -D --defined-only "$so" | awk '{ print $3 }' | sort >"$tmp/exported"
if [ -s "$tmp/declared" ] && cmp -s "$tmp/declared" "$tmp/exported"; then
    echo "ok: libsmdl.so exports the $(wc -l <"$tmp/exported") functions the headers declare"
else
    fail "libsmdl.so's exports are not the headers' SM_API functions (- declared, + exported):"
    diff -u "$tmp/declared" "$tmp/exported" | tail -n +3
fi
if grep -v '^sm_' "$tmp/exported"; then
    fail "libsmdl.so exports the symbols above, not named sm_"
fi
soname=$(readelf -d "$so" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
[ "$soname" = libsmdl.so.0 ] || fail "libsmdl.so's SONAME is '$soname', not libsmdl.so.0"

# ---- No client library linked ----------------------------------------------------------
clients='libsqlite3|libpq|libmariadb|libmysqlclient'
needed=$(readelf -d "$so" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | grep -E "^($clients)\." | tr '\n' ' ')
[ -z "$needed" ] || fail "libsmdl.so needs client libraries at start-up: $needed"
calls=$(nm -u "$dest$libdir/libsmdl.a" 2>/dev/null | awk '{ print $2 }' | grep -E '^(sqlite3_|PQ|mysql_|mariadb_)' | sort -u)
[ -z "$calls" ] || fail "libsmdl.a calls client functions directly: $(echo $calls)"
[ -z "$needed$calls" ] && echo "ok: libsmdl.so and libsmdl.a link no client library"

# ---- Generated code against the exports ----------------------------------------------
nm --defined-only "$dest$libdir/libsmdl.a" 2>/dev/null | awk 'NF == 3 { print $3 }' | sort -u >"$tmp/runtime"
grep -qx sm_open "$tmp/runtime" || fail "libsmdl.a defines no sm_open"
ngolden=0 nhidden=0
for c in "$src"/tests/golden/*/*.c; do
    o=$tmp/$(basename "$c" .c).o
    if ! "$cc" -std=c11 -fPIC -c "$c" -o "$o" -I"$dest$incdir" 2>"$tmp/cc.log"; then
        cat "$tmp/cc.log"
        fail "$c does not compile against the installed headers"
        continue
    fi
    ngolden=$((ngolden + 1))
    # Undefined, defined by libsmdl, and not exported by libsmdl.so.
    nm -u "$o" | awk '{ print $2 }' | sort -u | comm -12 - "$tmp/runtime" | comm -23 - "$tmp/exported" >"$tmp/hidden"
    if [ -s "$tmp/hidden" ]; then
        fail "$(basename "$c") calls what libsmdl.so does not export: $(echo $(cat "$tmp/hidden"))"
        nhidden=$((nhidden + 1))
    fi
done
if [ $ngolden -lt 5 ]; then
    fail "only $ngolden golden sources compiled"
elif [ $nhidden -eq 0 ]; then
    echo "ok: $ngolden generated sources call only what libsmdl.so exports"
fi

# ---- smdl.pc and the standard library ------------------------------------------------
pc() { PKG_CONFIG_PATH=$dest$libdir/pkgconfig pkg-config "$@" smdl; }
[ "$(pc --variable=smc)" = "$bindir/smc" ] || fail "smdl.pc's smc is '$(pc --variable=smc)', not $bindir/smc"
[ "$(pc --variable=stdlibdir)" = "$datadir/smdl" ] ||
    fail "smdl.pc's stdlibdir is '$(pc --variable=stdlibdir)', not $datadir/smdl"
[ "$(pc --variable=libdir)" = "$libdir" ] || fail "smdl.pc's libdir is '$(pc --variable=libdir)', not $libdir"
libs=$(echo $(pc --libs-only-l))
[ "$libs" = "-lsmdl" ] || fail "pkg-config --libs-only-l smdl: '$libs', not -lsmdl"
libs=$(echo $(pc --static --libs-only-l))
case $libs in
"-lsmdl -ldl -lpthread -lm" | "-lsmdl -lpthread -lm") ;;
*) fail "pkg-config --static --libs-only-l smdl: '$libs', not libsmdl.a's libraries (-ldl -lpthread -lm)" ;;
esac
printf 'module m;\nimport "std/types.smdl";\ntable T { id: int @pk; mail: email; }\n' >"$tmp/m.smdl"
(cd / && "$dest$bindir/smc" check "$tmp/m.smdl") >"$tmp/smc.log" 2>&1 ||
    { cat "$tmp/smc.log"; fail "the installed smc does not find the installed standard library"; }

# ---- smc.1 ---------------------------------------------------------------------------
man=$dest$mandir/man1/smc.1
groff -ww -z -man "$man" >"$tmp/groff.log" 2>&1 || fail "groff failed on smc.1"
[ -s "$tmp/groff.log" ] && { cat "$tmp/groff.log"; fail "groff warns on smc.1"; }
smc=$dest$bindir/smc
for c in $("$smc" help | sed -n 's/^commands: //p'); do
    grep -qx ".SS \"smc $c\"" "$man" || fail "smc.1 has no section for smc $c"
    for s in $("$smc" help "$c" | sed -n '/^commands:$/,/^$/s/^  \([a-z]*\) .*/\1/p'); do
        grep -qx ".SS \"smc $c $s\"" "$man" || fail "smc.1 has no section for smc $c $s"
    done
done
grep -q '^\.SH "EXIT STATUS"' "$man" || fail "smc.1 has no EXIT STATUS"

[ $failures -eq 0 ] || { echo "$failures failure(s)"; exit 1; }
echo "ok: everything installed as expected"
