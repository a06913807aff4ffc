#!/usr/bin/env bash
# servers.sh: throwaway PostgreSQL 15 and MariaDB 10.11 servers for the
# integration tests, on loopback, with every file inside one directory.
#
#   tests/servers.sh start DIR   install what is missing, start both, create users
#   tests/servers.sh stop DIR    stop both (safe after a failed or partial start)
#   tests/servers.sh env DIR     print the SMDL_TEST_*_URL export lines
#   tests/servers.sh restart DIR [pg|my]
#                                stop and start again one server (both
#                                without the third word) on the ports
#                                saved by `start`: for fault tests, on
#                                servers of their own, never shared ones
#
# Meant for Debian 12, as root (it installs packages and runs each server
# as its own system user).  Both commands are idempotent.  `stop` leaves
# DIR in place; the caller removes it.
#
# Layout of DIR:
#   pg/        PostgreSQL: data/ (owned by postgres), the unix socket, log
#   my/        MariaDB data directory (owned by mysql)
#   my.sock, my.pid, my.log    MariaDB socket, pid file and error log
#
# The servers are tuned for speed, not durability: PostgreSQL runs with
# fsync=off, synchronous_commit=off and full_page_writes=off (and room for
# 200 connections, as test programs run in parallel); MariaDB with
# innodb_flush_log_at_trx_commit=0 and no doublewrite buffer.  A crash
# loses data, which is fine for a throwaway test database.
#
# PostgreSQL listens on 127.0.0.1:54329, MariaDB on 127.0.0.1:33069, so
# they never collide with system servers on the default ports; other
# ports come from SMDL_PG_PORT and SMDL_MY_PORT at `start`, which saves
# them in DIR for `env`.  A port something else already
# listens on stops the start.  Each server gets a password user smdl/smdl
# allowed to create databases.
set -euo pipefail

# Ports: SMDL_PG_PORT / SMDL_MY_PORT at start (saved in DIR for `env`).
PG_PORT=${SMDL_PG_PORT:-54329}
MY_PORT=${SMDL_MY_PORT:-33069}
readonly PG_BIN=/usr/lib/postgresql/15/bin
readonly WAIT_SECONDS=30

# True when something accepts TCP connections on 127.0.0.1:PORT.
port_busy() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

die() {
    printf 'servers.sh: %s\n' "$*" >&2
    exit 1
}

usage() {
    printf 'usage: %s start|stop|env DIR, or %s restart DIR [pg|my]\n' "$0" "$0" >&2
    exit 2
}

# Installs the server packages, but only when they are missing: apt-get
# is slow and needs the network.
install_missing() {
    local pkgs=()
    [[ -x "$PG_BIN/initdb" ]] || pkgs+=(postgresql)
    command -v mariadbd >/dev/null 2>&1 || pkgs+=(mariadb-server)
    command -v mariadb >/dev/null 2>&1 || pkgs+=(mariadb-client)
    if ((${#pkgs[@]} > 0)); then
        [[ $(id -u) -eq 0 ]] || die "missing ${pkgs[*]}; run as root to install them"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${pkgs[@]}"
    fi
    [[ -x "$PG_BIN/initdb" ]] || die "$PG_BIN/initdb not found after installing postgresql"
    command -v mariadbd >/dev/null 2>&1 || die "mariadbd not found after installing mariadb-server"
}

# From /, since postgres may not read the caller's working directory.
as_postgres() {
    (cd / && runuser -u postgres -- "$@")
}

pg_running() {
    [[ -f "$1/pg/data/PG_VERSION" ]] &&
        as_postgres "$PG_BIN/pg_ctl" -D "$1/pg/data" status >/dev/null 2>&1
}

pg_start() {
    local dir=$1 pg=$1/pg
    mkdir -p "$pg"
    chown postgres:postgres "$pg"
    chmod 0700 "$pg"
    as_postgres test -w "$pg" ||
        die "the postgres user cannot reach $pg: every parent directory must be searchable by others"
    if [[ ! -f "$pg/data/PG_VERSION" ]]; then
        # A half-initialised directory from an interrupted start is useless.
        rm -rf "$pg/data"
        # Unix-socket connections (only reachable inside DIR) trust their
        # user; TCP needs a password.
        as_postgres "$PG_BIN/initdb" -D "$pg/data" -U postgres -E UTF8 --locale=C.UTF-8 \
            --auth-local=trust --auth-host=scram-sha-256 >"$pg/initdb.log" 2>&1 ||
            die "initdb failed; see $pg/initdb.log"
    fi
    if ! pg_running "$dir"; then
        ! port_busy "$PG_PORT" ||
            die "port $PG_PORT is taken by another server; choose one with SMDL_PG_PORT"
        local opts="-k $pg -h 127.0.0.1 -p $PG_PORT -c max_connections=200"
        opts+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        as_postgres "$PG_BIN/pg_ctl" -D "$pg/data" -l "$pg/server.log" -w -t "$WAIT_SECONDS" \
            -o "$opts" start >/dev/null ||
            die "PostgreSQL did not start within ${WAIT_SECONDS}s; see $pg/server.log"
    fi
    local i
    for ((i = 0; i < WAIT_SECONDS * 10; i++)); do
        if as_postgres "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; then
            break
        fi
        sleep 0.1
    done
    as_postgres "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" ||
        die "PostgreSQL does not accept connections on 127.0.0.1:$PG_PORT; see $pg/server.log"
    as_postgres "$PG_BIN/psql" -q -X -v ON_ERROR_STOP=1 -h "$pg" -p "$PG_PORT" -U postgres -d postgres <<'SQL' >/dev/null ||
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'smdl') THEN
        CREATE ROLE smdl LOGIN PASSWORD 'smdl' CREATEDB;
    ELSE
        ALTER ROLE smdl LOGIN PASSWORD 'smdl' CREATEDB;
    END IF;
END
$$;
SQL
        die "could not create the PostgreSQL role smdl"
}

pg_stop() {
    local pg=$1/pg
    [[ -f "$pg/data/PG_VERSION" ]] || return 0
    if pg_running "$1"; then
        as_postgres "$PG_BIN/pg_ctl" -D "$pg/data" -m fast -w -t "$WAIT_SECONDS" stop >/dev/null ||
            printf 'servers.sh: PostgreSQL in %s did not stop\n' "$pg" >&2
    fi
}

my_pid() {
    local pid
    [[ -f "$1/my.pid" ]] || return 1
    pid=$(cat "$1/my.pid" 2>/dev/null) || return 1
    [[ $pid =~ ^[0-9]+$ ]] || return 1
    kill -0 "$pid" 2>/dev/null || return 1
    # A stale pid file may name a recycled pid: only a mariadbd counts.
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q mariadbd || return 1
    printf '%s\n' "$pid"
}

my_client() {
    mariadb --no-defaults --protocol=socket --socket="$1/my.sock" -u root "${@:2}"
}

my_start() {
    local dir=$1 my=$1/my
    # mariadbd runs as mysql and writes its socket, pid file and log into
    # DIR itself: let the mysql group write there.
    chgrp mysql "$dir"
    chmod 0775 "$dir"
    mkdir -p "$my"
    chown mysql:mysql "$my"
    if [[ ! -d "$my/mysql" ]]; then
        find "$my" -mindepth 1 -delete
        mariadb-install-db --no-defaults --datadir="$my" --user=mysql \
            --auth-root-authentication-method=socket --skip-test-db \
            >"$dir/my-install.log" 2>&1 ||
            die "mariadb-install-db failed; see $dir/my-install.log"
    fi
    if ! my_pid "$dir" >/dev/null; then
        ! port_busy "$MY_PORT" ||
            die "port $MY_PORT is taken by another server; choose one with SMDL_MY_PORT"
        rm -f "$dir/my.sock" "$dir/my.pid"
        # setsid: the server must not die with the shell that started it.
        setsid mariadbd --no-defaults --user=mysql --datadir="$my" \
            --socket="$dir/my.sock" --port="$MY_PORT" --bind-address=127.0.0.1 \
            --pid-file="$dir/my.pid" --log-error="$dir/my.log" \
            --innodb-flush-log-at-trx-commit=0 --skip-innodb-doublewrite \
            --character-set-server=utf8mb4 --collation-server=utf8mb4_nopad_bin \
            </dev/null >/dev/null 2>&1 &
    fi
    local i
    for ((i = 0; i < WAIT_SECONDS * 10; i++)); do
        if my_client "$dir" -e 'SELECT 1' >/dev/null 2>&1; then
            break
        fi
        sleep 0.1
    done
    my_client "$dir" -e 'SELECT 1' >/dev/null 2>&1 ||
        die "MariaDB does not accept connections within ${WAIT_SECONDS}s; see $dir/my.log"
    my_client "$dir" <<'SQL' ||
CREATE USER IF NOT EXISTS 'smdl'@'127.0.0.1' IDENTIFIED BY 'smdl';
CREATE USER IF NOT EXISTS 'smdl'@'localhost' IDENTIFIED BY 'smdl';
GRANT ALL ON *.* TO 'smdl'@'127.0.0.1' WITH GRANT OPTION;
GRANT ALL ON *.* TO 'smdl'@'localhost' WITH GRANT OPTION;
SQL
        die "could not create the MariaDB user smdl"
}

my_stop() {
    local dir=$1 pid i
    pid=$(my_pid "$dir") || return 0
    kill -TERM "$pid" 2>/dev/null || return 0
    for ((i = 0; i < WAIT_SECONDS * 10; i++)); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    printf 'servers.sh: MariaDB (pid %s) did not stop in %ss; killing it\n' "$pid" "$WAIT_SECONDS" >&2
    kill -KILL "$pid" 2>/dev/null || true
}

cmd_start() {
    local dir=$1
    [[ $(id -u) -eq 0 ]] || die "start must run as root (servers run as postgres and mysql)"
    install_missing
    mkdir -p "$dir"
    # The server users must reach their subdirectories.
    chmod o+x "$dir"
    printf 'PG_PORT=%s\nMY_PORT=%s\n' "$PG_PORT" "$MY_PORT" >"$dir/ports"
    pg_start "$dir"
    my_start "$dir"
}

# Stops what is running; tolerates anything a failed start left behind.
cmd_stop() {
    local dir=$1 rc=0
    [[ -d "$dir" ]] || return 0
    pg_stop "$dir" || rc=1
    my_stop "$dir" || rc=1
    return "$rc"
}

# Stops and starts again what `start` started in DIR, with its data and
# on its ports; connections open to it are cut.
cmd_restart() {
    local dir=$1 which=$2
    [[ $(id -u) -eq 0 ]] || die "restart must run as root (servers run as postgres and mysql)"
    [[ -f "$dir/ports" ]] || die "no server was started in $dir"
    # shellcheck disable=SC1091 # written by cmd_start
    . "$dir/ports"
    if [[ $which != my ]]; then
        pg_stop "$dir"
        pg_start "$dir"
    fi
    if [[ $which != pg ]]; then
        my_stop "$dir"
        my_start "$dir"
    fi
}

cmd_env() {
    local dir=$1
    if [[ -f "$dir/ports" ]]; then
        # shellcheck disable=SC1091 # written by cmd_start
        . "$dir/ports"
    fi
    printf 'export SMDL_TEST_PG_URL=postgres://smdl:smdl@127.0.0.1:%s/postgres\n' "$PG_PORT"
    printf 'export SMDL_TEST_MYSQL_URL=mysql://smdl:smdl@127.0.0.1:%s/mysql\n' "$MY_PORT"
}

main() {
    (($# == 2)) || [[ $# == 3 && $1 == restart && $3 =~ ^(pg|my)$ ]] || usage
    [[ -n $2 ]] || usage
    local dir
    # Absolute, because the servers run from other directories.
    dir=$(realpath -m -- "$2")
    case $1 in
    start) cmd_start "$dir" ;;
    stop) cmd_stop "$dir" ;;
    env) cmd_env "$dir" ;;
    restart) cmd_restart "$dir" "${3:-both}" ;;
    *) usage ;;
    esac
}

main "$@"
