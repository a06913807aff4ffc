# bench/tools/servers.sh: sourced by compare.sh, relations.sh and pool.sh.
#
# bench_servers BACKEND...: stops and removes its servers when the script
# exits, and sets pin_client (the client's command prefix: CPU 0 when
# there are two CPUs) and cpus.  When a backend other than sqlite is named,
# starts the throwaway PostgreSQL and MariaDB of tests/servers.sh (in a
# new directory, on the ports of SMDL_PG_PORT / SMDL_MY_PORT), pins every
# server process to CPU 1 when there are two CPUs, and creates an empty
# databases smcbench and smcbench2 (for a second program running beside
# the first) on each.  Sets servers (the directory, for the
# caller's cleanup), pg_port and my_port; exports SMDL_TEST_PG_URL and
# SMDL_TEST_MYSQL_URL.
bench_cleanup() {
    [[ -n $servers ]] && tests/servers.sh stop "$servers" >/dev/null 2>&1 || true
    [[ -n $servers ]] && rm -rf "$servers"
}

bench_servers() {
    local b need=0 pid
    servers=
    pg_port=
    my_port=
    trap bench_cleanup EXIT
    cpus=$(nproc)
    pin_client=()
    ((cpus >= 2)) && pin_client=(taskset -c 0)
    for b in "$@"; do [[ $b != sqlite ]] && need=1; done
    ((need)) || return 0
    servers=$(mktemp -d /tmp/smdl-bench.XXXXXX)
    tests/servers.sh start "$servers" >/dev/null
    eval "$(tests/servers.sh env "$servers")"
    if (($(nproc) >= 2)); then # every server thread and process on CPU 1
        for pid in $(head -1 "$servers/pg/data/postmaster.pid") $(cat "$servers/my.pid"); do
            taskset -a -p -c 1 "$pid" >/dev/null
        done
    fi
    pg_port=${SMDL_TEST_PG_URL##*:}
    pg_port=${pg_port%%/*}
    my_port=${SMDL_TEST_MYSQL_URL##*:}
    my_port=${my_port%%/*}
    PGPASSWORD=smdl psql -q -h 127.0.0.1 -p "$pg_port" -U smdl -d postgres \
        -c "DROP DATABASE IF EXISTS smcbench" -c "CREATE DATABASE smcbench" \
        -c "DROP DATABASE IF EXISTS smcbench2" -c "CREATE DATABASE smcbench2" >/dev/null
    mariadb -h 127.0.0.1 -P "$my_port" -usmdl -psmdl \
        -e "DROP DATABASE IF EXISTS smcbench; CREATE DATABASE smcbench;
            DROP DATABASE IF EXISTS smcbench2; CREATE DATABASE smcbench2"
}
