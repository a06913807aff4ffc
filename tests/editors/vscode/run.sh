#!/usr/bin/env bash
# run.sh EXTENSION_DIR MODULES_DIR TEST.js ARG...: runs one test of the
# VS Code extension under node, with the extension's npm packages.
#
# The packages are those of EXTENSION_DIR/package-lock.json, installed by
# `npm ci` into MODULES_DIR (in the build directory, never the source
# tree), once per lockfile: a stamp holds the lockfile's hash, and a lock
# keeps the suite's tests from installing at the same time.
#
# Without node or npm the test is skipped (77), unless SMDL_REQUIRE_EDITORS
# is set, as `make check` does: then it fails.
set -euo pipefail
ext=$1 modules=$2 test=$3
shift 3

missing=
for prog in node npm; do
    command -v "$prog" >/dev/null || missing+=" $prog"
done
if [[ -n $missing ]]; then
    if [[ -n ${SMDL_REQUIRE_EDITORS:-} ]]; then
        echo "run.sh: missing:$missing (scripts/deps.sh check installs them)" >&2
        exit 1
    fi
    echo "run.sh: skipped, missing:$missing" >&2
    exit 77
fi

mkdir -p "$modules"
hash=$(sha256sum "$ext/package-lock.json" | cut -d' ' -f1)
(
    flock 9
    if [[ $(cat "$modules/stamp" 2>/dev/null) != "$hash" ]]; then
        rm -f "$modules/stamp"
        cp "$ext/package.json" "$ext/package-lock.json" "$modules/"
        echo "run.sh: npm ci in $modules" >&2
        (cd "$modules" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error >&2)
        echo "$hash" >"$modules/stamp"
    fi
) 9>"$modules/lock"

NODE_PATH=$modules/node_modules exec node "$test" "$ext" "$@"
