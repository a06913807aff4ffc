#!/bin/sh
# Checks that meson.build lists every schema of tests/schemas for the
# golden tests, sorted and once each, and that tests/golden holds no
# directory for a schema that is gone (see README.md).
#
#   check_list.sh SCHEMA_DIR GOLDEN_ROOT NAME...
set -u
LC_ALL=C
export LC_ALL

if [ $# -lt 2 ]; then
    echo "usage: check_list.sh SCHEMA_DIR GOLDEN_ROOT NAME..." >&2
    exit 2
fi
schemas=$1 root=$2
shift 2
status=0

tmp=$(mktemp -d "${TMPDIR:-/tmp}/smdl-golden-list.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

: >"$tmp/listed"
for n in "$@"; do
    echo "$n" >>"$tmp/listed"
done
if ! sort -c "$tmp/listed" 2>/dev/null; then
    echo "golden: the schema list in tests/golden/meson.build is not sorted: $*" >&2
    status=1
fi
if [ -n "$(uniq -d "$tmp/listed")" ]; then
    echo "golden: tests/golden/meson.build lists a schema twice: $(uniq -d "$tmp/listed" | tr '\n' ' ')" >&2
    status=1
fi

: >"$tmp/present"
for f in "$schemas"/*.smdl; do
    [ -f "$f" ] && basename "$f" .smdl >>"$tmp/present"
done
sort -o "$tmp/present" "$tmp/present"
sort -u -o "$tmp/listed" "$tmp/listed"
for n in $(comm -23 "$tmp/present" "$tmp/listed"); do
    echo "golden: $schemas/$n.smdl has no golden test: add '$n' to tests/golden/meson.build" >&2
    status=1
done
for n in $(comm -13 "$tmp/present" "$tmp/listed"); do
    echo "golden: tests/golden/meson.build lists '$n', but there is no $schemas/$n.smdl" >&2
    status=1
done
for d in "$root"/*/; do
    [ -d "$d" ] || continue
    n=$(basename "$d")
    if ! grep -qx -e "$n" "$tmp/listed"; then
        echo "golden: $root/$n belongs to no listed schema; remove it" >&2
        status=1
    fi
done
exit $status
