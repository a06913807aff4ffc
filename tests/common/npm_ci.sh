#!/usr/bin/env bash
# npm_ci.sh PACKAGE_DIR MODULES_DIR: installs the packages that
# PACKAGE_DIR/package-lock.json pins with `npm ci` into MODULES_DIR (in
# the build directory, never the source tree), once per lockfile: a stamp
# holds the lockfile's hash, and a lock keeps tests that run at the same
# time from installing together.  Install scripts are not run.
#
# node trusts only the certificate authorities it was built with; like
# apt and curl, npm is told to trust the system's too (NODE_EXTRA_CA_CERTS,
# unless it is set), so a registry behind a proxy the system trusts works.
set -euo pipefail
pkg=$1 modules=$2
bundle=/etc/ssl/certs/ca-certificates.crt
if [[ -z ${NODE_EXTRA_CA_CERTS:-} && -r $bundle ]]; then
    export NODE_EXTRA_CA_CERTS=$bundle
fi
mkdir -p "$modules"
hash=$(sha256sum "$pkg/package-lock.json" | cut -d' ' -f1)
(
    flock 9
    if [[ $(cat "$modules/stamp" 2>/dev/null) != "$hash" ]]; then
        rm -f "$modules/stamp"
        cp "$pkg/package.json" "$pkg/package-lock.json" "$modules/"
        echo "npm_ci.sh: npm ci in $modules" >&2
        (cd "$modules" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error >&2)
        echo "$hash" >"$modules/stamp"
    fi
) 9>"$modules/lock"
