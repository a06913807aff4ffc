#!/usr/bin/env bash
# run.sh EXTENSION_DIR MODULES_DIR TEST.js ARG...: runs one test of the
# VS Code extension under node, with the extension's npm packages.
#
# The packages are those of EXTENSION_DIR/package-lock.json, installed
# into MODULES_DIR by tests/common/npm_ci.sh.
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

"$(dirname "$0")/../../common/npm_ci.sh" "$ext" "$modules"

NODE_PATH=$modules/node_modules exec node "$test" "$ext" "$@"
