#!/usr/bin/env bash
# Installs the Debian packages smdl needs, only those that are missing,
# in one apt-get call.
#   scripts/deps.sh demo    what `make demo` needs: gcc, re2c, lemon, meson, ninja,
#                           pkg-config and the three client libraries
#   scripts/deps.sh check   that plus what `make check` needs: cmocka, the other
#                           compilers the golden tests use (clang, g++, clang++),
#                           clang's sanitizer and fuzzer runtimes, the servers,
#                           python3-jsonschema (tests/jsonschema), the editors the
#                           editor support is tested in, groff (tests/install renders
#                           smc.1), libmicrohttpd, curl, node and npm (tests/api,
#                           tests/editors/vscode)
#   scripts/deps.sh bench   what `make bench` needs: the demo set, the servers,
#                           jansson (the hand-written C's JSON reference), Debian's
#                           SQLModel with its three database drivers, GNU time
set -euo pipefail

demo=(gcc libc6-dev re2c lemon meson ninja-build pkg-config
      libsqlite3-dev libpq-dev libmariadb-dev)
check=("${demo[@]}" libcmocka-dev clang g++ libclang-rt-14-dev python3-jsonschema groff-base
       postgresql mariadb-server mariadb-client
       vim-nox emacs-nox elpa-eglot libmicrohttpd-dev curl nodejs npm)

bench=("${demo[@]}" libjansson-dev postgresql mariadb-server mariadb-client time
       python3-sqlmodel python3-psycopg2 python3-mysqldb)

case "${1:-demo}" in
    demo | build) want=("${demo[@]}") ;;
    check) want=("${check[@]}") ;;
    bench) want=("${bench[@]}") ;;
    *) echo "usage: $0 demo|check|bench" >&2; exit 2 ;;
esac

missing=()
for p in "${want[@]}"; do
    # Another build of nodejs may bring npm along instead of the package.
    [[ $p == npm ]] && command -v npm >/dev/null && continue
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
((${#missing[@]} == 0)) && exit 0

if [[ $(id -u) != 0 ]]; then
    echo "missing packages: ${missing[*]} (run as root to install them)" >&2
    exit 1
fi
echo "== installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive

# Debian starts (and enables) the system PostgreSQL and MariaDB when it
# installs them; the tests run their own throwaway servers (tests/servers.sh),
# so keep the services stopped during this install, unless the machine
# already has a policy of its own.
policy=/usr/sbin/policy-rc.d
if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\n# left by smdl scripts/deps.sh while it installs packages\nexit 101\n' >"$policy"
    chmod 755 "$policy"
    trap 'rm -f "$policy"' EXIT
fi

# apt's chatter only when it fails.
log=$(mktemp /tmp/smdl-deps.XXXXXX)
if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    echo "scripts/deps.sh: apt-get could not install ${missing[*]}" >&2
    exit 1
fi
rm -f "$log"
