#!/usr/bin/env bash
# Installs the Debian packages smdl needs, only those that are missing.
#   scripts/deps.sh build   what `make demo` needs: compilers, re2c, lemon, meson, client libraries
#   scripts/deps.sh check   that plus cmocka, the servers and the tools the tests use
set -euo pipefail

build=(re2c lemon meson ninja-build pkg-config gcc g++ clang
       libsqlite3-dev libpq-dev libmariadb-dev)
check=("${build[@]}" libcmocka-dev postgresql mariadb-server mariadb-client sqlite3
       libclang-rt-14-dev)

case "${1:-build}" in
    build) want=("${build[@]}") ;;
    check) want=("${check[@]}") ;;
    *) echo "usage: $0 build|check" >&2; exit 2 ;;
esac

missing=()
for p in "${want[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
((${#missing[@]} == 0)) && exit 0

if [[ $(id -u) != 0 ]]; then
    echo "missing packages: ${missing[*]} (run as root to install them)" >&2
    exit 1
fi
echo "== installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# Debian starts services on install; the tests run their own throwaway servers.
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
