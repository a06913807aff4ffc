#!/usr/bin/env bash
# scratch-db.sh: an empty database for one test run, next to the database
# of a server URL (as tests/servers.sh prints them), with the client tools
# of Debian's postgresql-client and mariadb-client.
#
#   scripts/scratch-db.sh create URL NAME   creates NAME, prints its URL
#   scripts/scratch-db.sh drop URL NAME     drops NAME if it exists
#
# URL is postgres://... (or postgresql://) or mysql://... (or mariadb://):
# user, password, host, port and parameters are kept, the database is
# replaced.  The MySQL password goes through the environment, never the
# command line.
set -euo pipefail

die() {
    printf 'scratch-db.sh: %s\n' "$*" >&2
    exit 1
}

(($# == 3)) || die "usage: scratch-db.sh create|drop URL NAME"
action=$1 url=$2 name=$3
[[ $name =~ ^[a-z_][a-z0-9_]*$ ]] || die "'$name' is not a plain database name"

# URL with its database (the last path segment) replaced by NAME, keeping
# any ?parameters.
base=${url%%\?*}
params=${url#"$base"}
new_url=${base%/*}/$name$params

case $url in
postgres://* | postgresql://*)
    # libpq takes the URL as the database to connect to while creating.
    case $action in
    create) createdb --maintenance-db="$url" "$name" ;;
    drop) dropdb --maintenance-db="$url" --if-exists "$name" ;;
    *) die "unknown action '$action'" ;;
    esac
    ;;
mysql://* | mariadb://*)
    re='^(mysql|mariadb)://([^:@/]+)(:([^@/]*))?@([^:/?]*)(:([0-9]+))?/[^?]*(\?(.*))?$'
    [[ $url =~ $re ]] || die "cannot read $url (mysql://user:password@host:port/db)"
    export MYSQL_PWD=${BASH_REMATCH[4]}
    admin=(mariadb-admin --user="${BASH_REMATCH[2]}")
    [[ -n ${BASH_REMATCH[5]} ]] && admin+=(--host="${BASH_REMATCH[5]}" --protocol=tcp)
    [[ -n ${BASH_REMATCH[7]} ]] && admin+=(--port="${BASH_REMATCH[7]}")
    if [[ ${BASH_REMATCH[9]} =~ (^|&)socket=([^&]*) ]]; then
        admin+=(--socket="${BASH_REMATCH[2]}")
    fi
    case $action in
    create) "${admin[@]}" create "$name" ;;
    drop) "${admin[@]}" --force drop "$name" >/dev/null 2>&1 || true ;;
    *) die "unknown action '$action'" ;;
    esac
    ;;
*)
    die "not a PostgreSQL or MySQL URL: $url"
    ;;
esac
[[ $action != create ]] || printf '%s\n' "$new_url"
