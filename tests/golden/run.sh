#!/bin/sh
# Golden test of smc's output for one schema (see README.md).
#
#   run.sh SMC SCHEMA STDLIB GOLDEN_DIR SOURCE_ROOT BUILD_ROOT
#
# Regenerates NAME.h, NAME.c, NAME.{sqlite,postgres,mysql}.sql and
# NAME.schema.json (smc jsonschema) from
# SCHEMA into a temporary directory and compares them byte for byte with
# the committed files in GOLDEN_DIR: a unified diff and exit 1 on any
# difference.  With SMC_UPDATE_GOLDEN=1 it rewrites the committed files
# instead.  In both modes it first checks what a reviewer cannot see in a
# diff: smc is run twice, from different working directories and with
# relative and absolute paths, and the two outputs must be identical; no
# output may contain the source, build or output directory's path.
set -u
LC_ALL=C
export LC_ALL

if [ $# -ne 6 ]; then
    echo "usage: run.sh SMC SCHEMA STDLIB GOLDEN_DIR SOURCE_ROOT BUILD_ROOT" >&2
    exit 2
fi
smc=$1 schema=$2 stdlib=$3 golden=$4 srcroot=$5 buildroot=$6
name=$(basename "$schema" .smdl)
dialects="sqlite postgres mysql"
files="$name.h $name.c $name.schema.json"
for d in $dialects; do
    files="$files $name.$d.sql"
done

case $smc in /*) ;; *) smc=$(pwd)/$smc ;; esac
if [ ! -x "$smc" ]; then
    echo "golden: smc '$smc' is not an executable" >&2
    exit 1
fi
if [ ! -f "$schema" ]; then
    echo "golden: no schema '$schema'" >&2
    exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/smdl-golden.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM
mkdir "$tmp/a" "$tmp/b" "$tmp/b/cwd"

# Runs smc (arguments follow the directory to run it in); stdout goes to
# the file named by $out (or nowhere), and any diagnostic is a failure:
# the golden schemas must compile cleanly.
smc_in() {
    dir=$1
    shift
    (cd "$dir" && "$smc" "$@") >"$out" 2>"$tmp/stderr"
    rc=$?
    if [ $rc -ne 0 ] || [ -s "$tmp/stderr" ]; then
        echo "golden: smc $* (in $dir) exited with $rc and printed:" >&2
        cat "$tmp/stderr" >&2
        exit 1
    fi
}

# Run A: from the source root, with paths relative to it when the schema
# and the stdlib live there.  Run B: from an unrelated directory, with
# absolute paths, writing into a relative output directory.
rel_schema=${schema#"$srcroot"/}
rel_stdlib=${stdlib#"$srcroot"/}
out=/dev/null
smc_in "$srcroot" "$rel_schema" -o "$tmp/a" -I "$rel_stdlib"
smc_in "$tmp/b/cwd" "$schema" -o .. -I "$stdlib"
for d in $dialects; do
    out=$tmp/a/$name.$d.sql
    smc_in "$srcroot" sql "$rel_schema" --dialect "$d" -I "$rel_stdlib"
    out=$tmp/b/$name.$d.sql
    smc_in "$tmp/b/cwd" sql "$schema" --dialect "$d" -I "$stdlib"
done
out=$tmp/a/$name.schema.json
smc_in "$srcroot" jsonschema "$rel_schema" -I "$rel_stdlib"
out=$tmp/b/$name.schema.json
smc_in "$tmp/b/cwd" jsonschema "$schema" -I "$stdlib"

status=0
for f in $files; do
    if [ ! -f "$tmp/a/$f" ]; then
        echo "golden: smc did not write $f" >&2
        exit 1
    fi
    if ! cmp -s "$tmp/a/$f" "$tmp/b/$f"; then
        echo "golden: $f depends on the directory smc runs in or on how paths are spelt:" >&2
        diff -u "$tmp/a/$f" "$tmp/b/$f" >&2
        status=1
    fi
done

# An absolute path in a generated file ties it to one machine.  The
# generated files are checked, and the committed ones too (a golden
# committed from a broken smc must not hide behind a fixed one).
for p in "$srcroot" "$buildroot" "$tmp"; do
    [ -n "$p" ] || continue
    for f in $files; do
        for g in "$tmp/a/$f" "$golden/$f"; do
            if [ -f "$g" ] && grep -n -F -e "$p" "$g" >"$tmp/hits"; then
                echo "golden: $g contains the absolute path $p:" >&2
                cat "$tmp/hits" >&2
                status=1
            fi
        done
    done
done
[ $status -eq 0 ] || exit 1

if [ "${SMC_UPDATE_GOLDEN:-0}" = 1 ]; then
    mkdir -p "$golden" || exit 1
    for f in $files; do
        if ! cmp -s "$tmp/a/$f" "$golden/$f" 2>/dev/null; then
            # Copy then rename, so a compile test reading the golden
            # meanwhile sees the old file or the new one, never half.
            cp "$tmp/a/$f" "$golden/.$f.new" && mv "$golden/.$f.new" "$golden/$f" || exit 1
            echo "golden: updated $golden/$f"
        fi
    done
    for g in "$golden"/* "$golden"/.[!.]*; do
        [ -e "$g" ] || continue
        case " $files " in *" $(basename "$g") "*) continue ;; esac
        rm -f "$g" && echo "golden: removed $g (smc no longer writes it)"
    done
    exit 0
fi

for f in $files; do
    if [ ! -f "$golden/$f" ]; then
        echo "golden: $golden/$f is missing; create it with" >&2
        echo "    SMC_UPDATE_GOLDEN=1 meson test -C $buildroot --suite golden" >&2
        status=1
    elif ! cmp -s "$golden/$f" "$tmp/a/$f"; then
        echo "golden: $f differs from the committed file (- committed, + smc now):" >&2
        diff -u "$golden/$f" "$tmp/a/$f" >&2
        status=1
    fi
done
for g in "$golden"/* "$golden"/.[!.]*; do
    [ -e "$g" ] || continue
    case " $files " in *" $(basename "$g") "*) continue ;; esac
    echo "golden: unexpected file $g (smc does not write it)" >&2
    status=1
done
if [ $status -ne 0 ]; then
    echo "golden: if the change is intended, review the diff and run" >&2
    echo "    SMC_UPDATE_GOLDEN=1 meson test -C $buildroot --suite golden" >&2
fi
exit $status
