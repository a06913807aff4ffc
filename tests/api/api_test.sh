#!/usr/bin/env bash
# api_test.sh: the tests of heroes-api (suite api).
#
#   api_test.sh sqlite|postgres|mysql BUILD_DIR
#       Starts heroes-api on a free loopback port against a new, empty
#       database of that dialect, drives every route with curl, good and
#       bad input, and compares status codes and bodies byte for byte;
#       then stops it with SIGTERM while a request waits on a lock that
#       another client holds: the request must be answered, and the
#       server exit with status 0 within 5 s.
#   api_test.sh openapi BUILD_DIR
#       Validates the /openapi.json it serves with an OpenAPI 3.1
#       validator (npm, pinned in package-lock.json, installed with
#       `npm ci` into the build directory) and checks its schemas; then
#       runs the curl examples of examples/api/README.md (on SQLite).
#
# PostgreSQL and MariaDB are the servers of SMDL_TEST_PG_URL and
# SMDL_TEST_MYSQL_URL (tests/servers.sh); the database is created next to
# the one in the URL and dropped at the end; without the URL the test
# fails (SMDL_TEST_ALLOW_SKIP=1: skipped).  Without heroes-api (no
# libmicrohttpd), curl, node or npm the test is skipped, or fails when
# SMDL_REQUIRE_ALL=1 (as `make check` runs it).
set -euo pipefail

readonly SKIP=77
die() {
    printf 'api_test.sh: %s\n' "$*" >&2
    exit 1
}
# missing WHAT: skips, or fails under SMDL_REQUIRE_ALL=1.
missing() {
    if [[ ${SMDL_REQUIRE_ALL:-} == 1 ]]; then
        die "$* (SMDL_REQUIRE_ALL=1: nothing may be skipped)"
    fi
    echo "skipping: $*"
    exit $SKIP
}

(($# == 2)) || die "usage: api_test.sh sqlite|postgres|mysql|openapi BUILD_DIR"
mode=$1 build=$2
here=$(cd "$(dirname "$0")" && pwd)
api=$build/examples/api/heroes-api
[[ -x $api ]] || missing "no $api: libmicrohttpd (libmicrohttpd-dev) was not found at set-up"
command -v curl >/dev/null || missing "no curl"

tmp=$(mktemp -d /tmp/smdl-api-test.XXXXXX)
db=smdl_api_$$
server_pid= drop=()
cleanup() {
    if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
        kill -TERM "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    if ((${#drop[@]} > 0)); then
        "${drop[@]}" >/dev/null 2>&1 || true
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT

# The URL of the server in VAR.  As for every test on databases: a
# dialect left out of SMDL_TEST_DIALECTS is skipped; without the URL the
# test fails, or is skipped with SMDL_TEST_ALLOW_SKIP=1.
server_url() { # VAR
    if [[ -n ${SMDL_TEST_DIALECTS:-} && " ${SMDL_TEST_DIALECTS//,/ } " != *" $mode "* ]]; then
        echo "skipping $mode: not in SMDL_TEST_DIALECTS"
        exit $SKIP
    fi
    if [[ -z ${!1:-} ]]; then
        [[ ${SMDL_TEST_ALLOW_SKIP:-} == 1 ]] && echo "skipping $mode: $1 not set" && exit $SKIP
        die "$1 is not set: start the servers with 'tests/servers.sh start DIR' and" \
            "'eval \"\$(tests/servers.sh env DIR)\"', or set SMDL_TEST_ALLOW_SKIP=1 to skip"
    fi
}

# A new database of the dialect: its URL in url.
new_database() {
    local scratch=$here/../../scripts/scratch-db.sh server
    case $mode in
    sqlite | openapi) url=sqlite:$tmp/heroes.db ;;
    postgres | mysql)
        local var=SMDL_TEST_PG_URL
        [[ $mode == mysql ]] && var=SMDL_TEST_MYSQL_URL
        server_url $var
        server=${!var}
        drop=("$scratch" drop "$server" "$db")
        url=$("$scratch" create "$server" "$db")
        ;;
    *) die "unknown mode '$mode'" ;;
    esac
}

# Starts heroes-api on URL, its requests' deadline TIMEOUT_MS (default
# 10 s), and waits for its line "listening on 127.0.0.1:PORT"; base is
# then http://127.0.0.1:PORT.
start() { # [TIMEOUT_MS]
    local line= i
    : >"$tmp/stdout"
    "$api" --db "$url" --port 0 --timeout-ms "${1:-10000}" >"$tmp/stdout" 2>"$tmp/stderr" &
    server_pid=$!
    for ((i = 0; i < 600; i++)); do # 60 s at most
        line=$(head -n 1 "$tmp/stdout")
        [[ -n $line ]] && break
        kill -0 "$server_pid" 2>/dev/null || break
        sleep 0.1
    done
    [[ $line =~ ^listening\ on\ 127\.0\.0\.1:([0-9]+)$ ]] ||
        die "heroes-api did not start: '$line' $(cat "$tmp/stderr")"
    base=http://127.0.0.1:${BASH_REMATCH[1]}
}

checks=0
# expect METHOD PATH BODY STATUS WANT: the request (BODY empty: none) gets
# STATUS and exactly WANT.
expect() {
    local method=$1 path=$2 body=$3 status=$4 want=$5 got code
    local args=(-sS -o "$tmp/body" -w '%{http_code}' -X "$method" --max-time 30)
    [[ -n $body ]] && args+=(-H 'Content-Type: application/json' --data-binary "$body")
    code=$(curl "${args[@]}" "$base$path")
    got=$(cat "$tmp/body")
    if [[ $code != "$status" || $got != "$want" ]]; then
        printf '%s %s %s\n  want %s %s\n  got  %s %s\n' "$method" "$path" "$body" \
            "$status" "$want" "$code" "$got" >&2
        die "unexpected response on $mode"
    fi
    checks=$((checks + 1))
}

# The body of a 422 with the entries given, each "LOC|MSG|TYPE".
detail() {
    local out= e loc msg type
    for e in "$@"; do
        IFS='|' read -r loc msg type <<<"$e"
        out+=${out:+,}'{"loc":['$loc'],"msg":"'$msg'","type":"'$type'"}'
    done
    printf '{"detail":[%s]}' "$out"
}

readonly INT_PARSING='Input should be a valid integer, unable to parse string as an integer'
readonly POWERS="Input should be 'flight', 'strength' or 'speed'"
hero() { # NAME SECRET AGE POWER TEAM ID
    printf '{"name":"%s","secret_name":"%s","age":%s,"power":"%s","team_id":%s,"id":%s}' "$@"
}

routes() {
    local preventers='{"name":"Preventers","headquarters":"Sharp Tower","id":1}'
    local z='{"name":"Z-Force","headquarters":"Sister Margaret'"'"'s Bar","id":2}'
    local deadpond rusty tarantula

    # Teams: create, list, conflicts, validation.
    expect POST /teams/ '{"name":"Preventers","headquarters":"Sharp Tower"}' 200 "$preventers"
    expect POST /teams/ '{"name":"Z-Force","headquarters":"Sister Margaret'"'"'s Bar"}' 200 "$z"
    expect GET /teams/ '' 200 "[$preventers,$z]"
    expect POST /teams/ '{"name":"Preventers","headquarters":"Elsewhere"}' 409 \
        '{"detail":"A row with this value already exists"}'
    # (Errors come in the order of the document, absent fields last.)
    expect POST /teams/ '{"headquarters":7}' 422 "$(detail \
        '"body","headquarters"|Input should be a valid string|string_type' \
        '"body","name"|Field required|missing')"

    # Heroes: HeroCreate in, HeroPublic out; the defaults filled in.
    deadpond=$(hero Deadpond "Dive Wilson" null flight 2 1)
    rusty=$(hero Rusty-Man "Tommy Sharp" 48 strength 1 2)
    tarantula=$(hero Tarantula "Natalia Roman-on" 32 speed null 3)
    expect POST /heroes/ '{"name":"Deadpond","secret_name":"Dive Wilson","team_id":2}' 200 "$deadpond"
    expect POST /heroes/ '{"name":"Rusty-Man","secret_name":"Tommy Sharp","age":48,"power":"strength","team_id":1}' \
        200 "$rusty"
    expect POST /heroes/ '{"secret_name":"Natalia Roman-on","age":32,"name":"Tarantula","power":"speed","team_id":null}' \
        200 "$tarantula"

    # Every error of a body at once, with FastAPI's types and messages.
    expect POST /heroes/ '{"age":"48","power":"laser","team_id":1.5}' 422 "$(detail \
        '"body","age"|Input should be a valid integer|int_type' \
        "\"body\",\"power\"|$POWERS|enum" \
        '"body","team_id"|Input should be a valid integer, got a number with a fractional part|int_from_float' \
        '"body","name"|Field required|missing' \
        '"body","secret_name"|Field required|missing')"
    expect POST /heroes/ "{\"name\":\"$(printf 'x%.0s' {1..101})\",\"secret_name\":\"s\",\"age\":201}" 422 "$(detail \
        '"body","name"|String should have at most 100 characters|string_too_long' \
        '"body","age"|Input should be less than or equal to 200|less_than_equal')"
    expect POST /heroes/ '{"name":1,"secret_name":"B","age":-1,"power":"laser"}' 422 "$(detail \
        '"body","name"|Input should be a valid string|string_type' \
        "\"body\",\"power\"|$POWERS|enum" \
        '"body","age"|Input should be greater than or equal to 0|greater_than_equal')"
    expect POST /heroes/ '{"name":"A","secret_name":"B","age":-1}' 422 \
        "$(detail '"body","age"|Input should be greater than or equal to 0|greater_than_equal')"
    expect POST /heroes/ '{"name":null,"secret_name":"B","power":null}' 422 "$(detail \
        '"body","name"|Input should be a valid string|string_type' \
        "\"body\",\"power\"|$POWERS|enum")"
    expect POST /heroes/ '{"name": "A",
 "secret_name": }' 422 "$(detail '"body",30|JSON decode error|json_invalid')"
    expect POST /heroes/ '[1]' 422 \
        "$(detail '"body"|Input should be a valid dictionary or object to extract fields from|model_attributes_type')"
    expect POST /heroes/ '' 422 "$(detail '"body"|Field required|missing')"
    expect POST /heroes/ '{"name":"A","secret_name":"B","team_id":99}' 409 \
        '{"detail":"The row refers to a row that does not exist"}'

    # Lists: offset, limit (default 100, at most 100).
    expect GET /heroes/ '' 200 "[$deadpond,$rusty,$tarantula]"
    expect GET '/heroes/?offset=1&limit=1' '' 200 "[$rusty]"
    expect GET '/heroes/?limit=100&offset=3' '' 200 "[]"
    expect GET '/heroes/?limit=101' '' 422 \
        "$(detail '"query","limit"|Input should be less than or equal to 100|less_than_equal')"
    expect GET '/heroes/?offset=-1&limit=abc' '' 422 "$(detail \
        '"query","offset"|Input should be greater than or equal to 0|greater_than_equal' \
        "\"query\",\"limit\"|$INT_PARSING|int_parsing")"
    expect GET '/teams/?limit=101' '' 422 \
        "$(detail '"query","limit"|Input should be less than or equal to 100|less_than_equal')"

    # One: HeroPublicWithTeam, TeamPublicWithHeroes.
    expect GET /heroes/2 '' 200 "${rusty%\}},\"team\":$preventers}"
    expect GET /heroes/3 '' 200 "${tarantula%\}},\"team\":null}"
    expect GET /teams/1 '' 200 "${preventers%\}},\"heroes\":[$rusty]}"
    expect GET /heroes/9 '' 404 '{"detail":"Hero not found"}'
    expect GET /teams/9 '' 404 '{"detail":"Team not found"}'
    expect GET /heroes/abc '' 422 "$(detail "\"path\",\"hero_id\"|$INT_PARSING|int_parsing")"
    expect GET /teams/1.5 '' 422 "$(detail "\"path\",\"team_id\"|$INT_PARSING|int_parsing")"

    # PATCH: only the fields sent; null sets NULL, absent leaves as is.
    expect PATCH /heroes/2 '{"age":49}' 200 "$(hero Rusty-Man "Tommy Sharp" 49 strength 1 2)"
    expect PATCH /heroes/2 '{"age":null,"team_id":2}' 200 "$(hero Rusty-Man "Tommy Sharp" null strength 2 2)"
    expect PATCH /heroes/2 '{}' 200 "$(hero Rusty-Man "Tommy Sharp" null strength 2 2)"
    expect PATCH /heroes/2 '{"name":null,"age":300}' 422 "$(detail \
        '"body","name"|Input should be a valid string|string_type' \
        '"body","age"|Input should be less than or equal to 200|less_than_equal')"
    expect PATCH /heroes/2 '{"age":300}' 422 \
        "$(detail '"body","age"|Input should be less than or equal to 200|less_than_equal')"
    expect PATCH /heroes/9 '{"age":1}' 404 '{"detail":"Hero not found"}'
    expect PATCH /teams/2 '{"headquarters":"Sharp Tower"}' 200 \
        '{"name":"Z-Force","headquarters":"Sharp Tower","id":2}'
    expect PATCH /teams/2 '{"name":"Preventers"}' 409 '{"detail":"A row with this value already exists"}'
    expect GET /teams/2 '' 200 \
        "{\"name\":\"Z-Force\",\"headquarters\":\"Sharp Tower\",\"id\":2,\"heroes\":[$deadpond,$(hero Rusty-Man "Tommy Sharp" null strength 2 2)]}"

    # DELETE: {"ok":true}; a team's heroes keep their row, team_id NULL.
    expect DELETE /teams/2 '' 200 '{"ok":true}'
    expect DELETE /teams/2 '' 404 '{"detail":"Team not found"}'
    expect GET /heroes/1 '' 200 "$(hero Deadpond "Dive Wilson" null flight null 1 | sed 's/}$/,"team":null}/')"
    expect DELETE /heroes/1 '' 200 '{"ok":true}'
    expect DELETE /heroes/1 '' 404 '{"detail":"Hero not found"}'
    expect GET /heroes/ '' 200 "[$(hero Rusty-Man "Tommy Sharp" null strength null 2),$tarantula]"

    # What FastAPI answers outside the routes.
    expect PUT /heroes/2 '' 405 '{"detail":"Method Not Allowed"}'
    expect DELETE /heroes/ '' 405 '{"detail":"Method Not Allowed"}'
    expect GET /villains/ '' 404 '{"detail":"Not Found"}'
    expect GET /heroes/2/team '' 404 '{"detail":"Not Found"}'
    expect GET /heroes '' 307 ''
    curl -sS -D "$tmp/headers" -o /dev/null "$base/heroes/2"
    grep -qi '^content-type: application/json' "$tmp/headers" || die "no JSON content type: $(cat "$tmp/headers")"
    curl -sS -D "$tmp/headers" -o /dev/null "$base/teams"
    grep -qi '^location: /teams/' "$tmp/headers" || die "no redirect to /teams/: $(cat "$tmp/headers")"
    echo "$checks responses as expected on $mode"
}

# Holds a lock that keeps a hero from being inserted, for SECONDS, in a
# client of its own; returns once the lock is held.
hold_lock() { # SECONDS
    local secs=$1 i
    : >"$tmp/lock" # not the word of the holder before
    case $mode in
    sqlite)
        python3 -c '
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
c.execute("COMMIT")' "${url#sqlite:}" "$secs" >"$tmp/lock" 2>&1 &
        ;;
    postgres)
        printf 'BEGIN;\nLOCK TABLE hero IN EXCLUSIVE MODE;\nSELECT %s;\nSELECT pg_sleep(%s);\nCOMMIT;\n' \
            "'locked'" "$secs" | psql -X -q -t -v ON_ERROR_STOP=1 "$url" >"$tmp/lock" 2>&1 &
        ;;
    mysql)
        local re='^mysql://([^:@/]+):([^@/]*)@([^:/?]*):([0-9]+)/([^?]*)'
        [[ $url =~ $re ]] || die "cannot read the MySQL URL"
        MYSQL_PWD=${BASH_REMATCH[2]} mysql -n -N -u "${BASH_REMATCH[1]}" -h "${BASH_REMATCH[3]}" \
            -P "${BASH_REMATCH[4]}" "${BASH_REMATCH[5]}" \
            -e "LOCK TABLES hero WRITE; SELECT 'locked'; SELECT SLEEP($secs); UNLOCK TABLES;" \
            >"$tmp/lock" 2>&1 &
        ;;
    esac
    lock_pid=$!
    for ((i = 0; i < 300; i++)); do
        grep -q locked "$tmp/lock" 2>/dev/null && return 0
        kill -0 "$lock_pid" 2>/dev/null || break
        sleep 0.1
    done
    die "the lock could not be taken: $(cat "$tmp/lock")"
}

now_ms() { date +%s%3N; }

# SIGTERM while a request waits on the lock: the request is answered,
# then the server exits with status 0 within 5 s.
graceful_stop() {
    local want status=0 t0 elapsed curl_pid
    hold_lock 3
    curl -sS -o "$tmp/slow" -w '%{http_code}' --max-time 30 -X POST \
        --data-binary '{"name":"Dr. Weird","secret_name":"Steve Weird","age":36}' \
        "$base/heroes/" >"$tmp/slow_code" &
    curl_pid=$!
    sleep 0.5
    kill -0 "$curl_pid" 2>/dev/null || die "the request did not wait for the lock: $(cat "$tmp/slow")"
    t0=$(now_ms)
    kill -TERM "$server_pid"
    wait "$curl_pid" || die "the request under way at SIGTERM failed"
    wait "$server_pid" || status=$?
    elapsed=$(($(now_ms) - t0))
    server_pid=
    wait "$lock_pid" || die "the lock holder failed: $(cat "$tmp/lock")"
    # Its id is the database's: PostgreSQL's sequence lost one to the
    # refused insert above, SQLite's did not.
    local id=0 got
    got=$(cat "$tmp/slow")
    [[ $got =~ \"id\":([0-9]+)\}$ ]] && id=${BASH_REMATCH[1]}
    want=$(hero "Dr. Weird" "Steve Weird" 36 flight null "$id")
    [[ $(cat "$tmp/slow_code") == 200 && $got == "$want" ]] ||
        die "the request under way at SIGTERM got $(cat "$tmp/slow_code") $got"
    ((status == 0)) || die "heroes-api exited with status $status after SIGTERM: $(cat "$tmp/stderr")"
    ((elapsed < 5000)) || die "heroes-api took $elapsed ms to stop"
    echo "SIGTERM on $mode: the request under way answered, exit 0 after $elapsed ms"

    # Idle: it stops at once, and the hero is there when it starts again.
    start
    expect GET "/heroes/$id" '' 200 "${want%\}},\"team\":null}"
    stop_idle
}

# SIGTERM with no request under way: exit 0 at once (5 s at most).
stop_idle() {
    local status=0 t0 elapsed
    t0=$(now_ms)
    kill -TERM "$server_pid"
    wait "$server_pid" || status=$?
    elapsed=$(($(now_ms) - t0))
    server_pid=
    ((status == 0 && elapsed < 5000)) || die "idle stop: status $status after $elapsed ms"
    echo "SIGTERM on $mode when idle: exit 0 after $elapsed ms"
}

# SIGTERM while a request waits longer than the stop's grace: the request
# is cancelled (503), and the server still exits with status 0 within 5 s.
cancel_at_stop() {
    local status=0 t0 elapsed curl_pid
    start
    hold_lock 8
    curl -sS -o "$tmp/slow" -w '%{http_code}' --max-time 30 -X POST \
        --data-binary '{"name":"Stuck","secret_name":"S"}' "$base/heroes/" >"$tmp/slow_code" &
    curl_pid=$!
    sleep 0.5
    t0=$(now_ms)
    kill -TERM "$server_pid"
    wait "$curl_pid" || die "the request cancelled at stop got no answer"
    wait "$server_pid" || status=$?
    elapsed=$(($(now_ms) - t0))
    server_pid=
    [[ $(cat "$tmp/slow_code") == 503 && $(cat "$tmp/slow") == '{"detail":"Server shutting down"}' ]] ||
        die "the request cancelled at stop got $(cat "$tmp/slow_code") $(cat "$tmp/slow")"
    ((status == 0 && elapsed < 5000)) || die "stop past the grace: status $status after $elapsed ms"
    wait "$lock_pid" || die "the lock holder failed: $(cat "$tmp/lock")"
    echo "SIGTERM on $mode with a request stuck past the grace: 503 for it, exit 0 after $elapsed ms"
}

# The request's deadline reaches its statements: with a deadline of 1 s,
# an insert that waits for a lock held 5 s gets a 503.
deadline() {
    start 1000
    hold_lock 5
    expect POST /heroes/ '{"name":"Late","secret_name":"L"}' 503 '{"detail":"Request timed out"}'
    wait "$lock_pid" || die "the lock holder failed: $(cat "$tmp/lock")"
    echo "a request past its deadline on $mode: 503"
    stop_idle
}

# The command line: what it refuses.
command_line() {
    local status=0
    env -u SMDL_DATABASE_URL "$api" --port 0 >/dev/null 2>"$tmp/err" || status=$?
    ((status == 2)) && grep -q 'no database' "$tmp/err" || die "no --db: status $status $(cat "$tmp/err")"
    status=0
    "$api" --db "$url" --port 70000 >/dev/null 2>"$tmp/err" || status=$?
    ((status == 2)) || die "--port 70000: status $status"
    status=0
    "$api" --db nosuch://x --port 0 >/dev/null 2>"$tmp/err" || status=$?
    ((status == 1)) && [[ -s $tmp/err ]] || die "a bad URL: status $status"
    echo "the command line refuses what it should"
}

# Validates /openapi.json with the pinned validator, then its schemas.
openapi() {
    command -v node >/dev/null && command -v npm >/dev/null || missing "no node or npm"
    local npm_dir=$build/tests/api/npm
    "$here/../common/npm_ci.sh" "$here" "$npm_dir" || die "npm ci failed"
    curl -sS -o "$tmp/openapi.json" "$base/openapi.json"
    NODE_PATH=$npm_dir/node_modules node "$here/check_openapi.mjs" "$npm_dir" "$tmp/openapi.json"
}

new_database
start
case $mode in
openapi)
    openapi
    python3 "$here/check_readme.py" "${base#http://}" "$here/../../examples/api/README.md"
    ;;
*)
    routes
    graceful_stop
    cancel_at_stop
    deadline
    command_line
    ;;
esac
