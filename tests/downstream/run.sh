#!/usr/bin/env bash
# Builds and runs the project in this directory the two ways README.md
# tells a Meson user to use smdl and the way docs/install.md tells a make
# user, and follows README.md's tour, as `make check` does:
#
#   installed    smdl built with --prefix into a scratch directory and
#                installed there; the project finds libsmdl through
#                pkg-config and smc through smdl.pc's variable `smc`
#                (that bin/ is not on PATH), and links libsmdl.so
#   make         the same installed smdl, the project built by its
#                Makefile (docs/install.md's): the program linked with
#                libsmdl.so, and again with libsmdl.a; and once more with
#                libsmdl.a and the three client libraries named on the
#                link line, as programs linked before they were loaded
#                on first use
#   subproject   smdl in the project's subprojects/smdl; `dependency('smdl')`
#                and `find_program('smc')` get what smdl overrides
#   readme       README.md's tour as a reader follows it, against the installed
#                smdl (its bin/ on PATH): its schema, its `smc` commands run
#                word for word, its program compiled by the `cc` command of
#                docs/install.md; it must print what README.md shows
#
#   tests/downstream/run.sh [installed|make|subproject|readme]...   (all by default)
#
# Each program runs on a new SQLite file and on a new database on each of
# the servers of SMDL_TEST_PG_URL and SMDL_TEST_MYSQL_URL (dropped at the
# end).  The project's schema imports "std/types.smdl" with no -I: smc
# finds the standard library itself.  Its meson.build must hold the
# README's recipe word for word, its Makefile docs/install.md's; this is
# checked first.  Needs meson, ninja, make, pkg-config, a C compiler and
# the PostgreSQL and MariaDB client tools; writes only under a temporary directory (TMPDIR), removed at the
# end unless KEEP=1.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/smdl-downstream.XXXXXX")
created=() # server databases to drop at the end, as "URL NAME"

cleanup() {
    local db server name
    for db in "${created[@]}"; do
        read -r server name <<<"$db"
        "$src/scripts/scratch-db.sh" drop "$server" "$name" || true
    done
    [[ -n ${KEEP:-} ]] || rm -rf "$work"
}
trap cleanup EXIT

fail() {
    printf 'downstream: %s\n' "$*" >&2
    exit 1
}

# Quiet commands; their output only when they fail.
quiet() {
    local log=$work/last.log
    if ! "$@" >"$log" 2>&1; then
        cat "$log" >&2
        fail "failed: $*"
    fi
}

# The first ```meson block of README.md is the recipe; meson.build holds
# it after its project() line.
check_recipe() {
    awk '/^```meson$/ { inside = 1; next } /^```$/ && inside { exit } inside' "$src/README.md" >"$work/readme.recipe"
    [[ -s $work/readme.recipe ]] || fail "README.md has no \`\`\`meson block"
    sed -n '/^project(/,$p' "$here/meson.build" | tail -n +3 >"$work/project.recipe"
    diff -u "$work/readme.recipe" "$work/project.recipe" >&2 ||
        fail "tests/downstream/meson.build is not README.md's recipe (diff above: README first)"
    awk '/^```make$/ { inside = 1; next } /^```$/ && inside { exit } inside' "$src/docs/install.md" >"$work/doc.make"
    [[ -s $work/doc.make ]] || fail "docs/install.md has no \`\`\`make block"
    sed '1,/^[^#]/{/^#/d}' "$here/Makefile" >"$work/project.make"
    diff -u "$work/doc.make" "$work/project.make" >&2 ||
        fail "tests/downstream/Makefile is not docs/install.md's (diff above: the document first)"
}

# Whether PROGRAM needs libsmdl.so (1) or not (0), as readelf says.
needs_libsmdl() { # PROGRAM
    local dyn
    dyn=$(readelf -d "$1") || fail "readelf cannot read $1"
    [[ $dyn == *"(NEEDED)"*"[libsmdl.so.0]"* ]] && echo 1 || echo 0
}

# Fails when PROGRAM needs a client library at start-up: libsmdl loads
# each on first use, unless the program named it on its link line.
no_client_needed() { # PROGRAM
    local needed
    needed=$(readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(lib\(sqlite3\|pq\|mariadb\)\.so[^]]*\)\]/\1/p')
    [[ -z $needed ]] || fail "$(basename "$1") needs client libraries at start-up: $(echo $needed)"
}

# Runs CHECK URL once on each database: a new SQLite file, and a new
# database on each server named by SMDL_TEST_PG_URL and SMDL_TEST_MYSQL_URL
# (`eval "$(tests/servers.sh env DIR)"`).  Without a URL the run fails, or
# skips that database with SMDL_TEST_ALLOW_SKIP=1; a database left out of
# SMDL_TEST_DIALECTS is skipped.
on_every_database() { # LABEL CHECK...
    local label=$1 dialect var url name
    shift
    for dialect in sqlite postgres mysql; do
        if [[ -n ${SMDL_TEST_DIALECTS:-} && " $SMDL_TEST_DIALECTS " != *" $dialect "* ]]; then
            echo "$label on $dialect: skipped (not in SMDL_TEST_DIALECTS)"
            continue
        fi
        case $dialect in
        sqlite) url=sqlite:$work/$label.db ;;
        postgres | mysql)
            [[ $dialect == postgres ]] && var=SMDL_TEST_PG_URL || var=SMDL_TEST_MYSQL_URL
            if [[ -z ${!var:-} ]]; then
                if [[ ${SMDL_TEST_ALLOW_SKIP:-} == 1 ]]; then
                    echo "$label on $dialect: skipped ($var is not set)"
                    continue
                fi
                fail "$var is not set: start the servers with 'tests/servers.sh start DIR' and" \
                    "'eval \"\$(tests/servers.sh env DIR)\"', or set SMDL_TEST_ALLOW_SKIP=1 to skip"
            fi
            name=smdl_downstream_$$_${label//-/_}
            created+=("${!var} $name")
            url=$("$src/scripts/scratch-db.sh" create "${!var}" "$name") ||
                fail "cannot create the database $name next to $var"
            ;;
        esac
        printf '%s on %s: ' "$label" "$dialect"
        "$@" "$url"
    done
}

# Runs the project's program on URL; it checks its own results.
run_app() { # BUILD_DIR URL
    "$1/app" "$2" || fail "the program built in $(basename "$1") failed on $2"
}

# Installs smdl under $prefix once, as docs/install.md does; sets pcdir.
prefix=$work/prefix
pcdir=
install_smdl() {
    [[ -z $pcdir ]] || return 0
    quiet meson setup "$work/smdl-build" "$src" --prefix="$prefix" \
        -Dtests=disabled -Dexamples=disabled -Dbenchmarks=disabled
    quiet ninja -C "$work/smdl-build"
    quiet meson install -C "$work/smdl-build" --no-rebuild
    local pc
    pc=$(find "$prefix" -name smdl.pc -print -quit)
    [[ -n $pc ]] || fail "meson install wrote no smdl.pc under the prefix"
    pcdir=$(dirname "$pc")
}

installed() {
    echo "== downstream: smdl installed under a prefix, found through pkg-config"
    install_smdl

    # The installed smc finds its standard library without -I, from any directory.
    mkdir -p "$work/elsewhere"
    (cd "$work/elsewhere" && "$prefix/bin/smc" check "$here/app.smdl") >"$work/smc.out" 2>&1 || {
        cat "$work/smc.out" >&2
        fail "the installed smc does not check app.smdl on its own"
    }

    PKG_CONFIG_PATH=$pcdir quiet meson setup "$work/app-installed" "$here"
    quiet ninja -C "$work/app-installed"
    [[ $(PKG_CONFIG_PATH=$pcdir pkg-config --variable=smc smdl) == "$prefix/bin/smc" ]] ||
        fail "smdl.pc does not name $prefix/bin/smc as its variable smc"
    # The generator ran the installed smc, named by smdl.pc.
    grep -qF "$prefix/bin/smc" "$work/app-installed/build.ninja" ||
        fail "the project did not run the installed smc ($prefix/bin/smc)"
    [[ $(needs_libsmdl "$work/app-installed/app") == 1 ]] ||
        fail "the program built against the installed smdl does not link libsmdl.so"
    no_client_needed "$work/app-installed/app"
    on_every_database installed run_app "$work/app-installed"
}

make_way() {
    echo "== downstream: smdl installed under a prefix, the project built by make"
    install_smdl
    local proj=$work/app-make
    mkdir -p "$proj"
    cp "$here/Makefile" "$here/main.c" "$here/app.smdl" "$proj/"
    PKG_CONFIG_PATH=$pcdir quiet make -C "$proj"
    grep -qF "$prefix/share/smdl/std/types.smdl" "$proj/gen/app.d" ||
        fail "the depfile of the make build does not name the installed standard library"
    [[ $(needs_libsmdl "$proj/app") == 1 ]] || fail "make's app does not link libsmdl.so"
    nm "$proj/app-static" >"$work/app-static.nm" || fail "nm cannot read make's app-static"
    [[ $(needs_libsmdl "$proj/app-static") == 0 ]] && grep -q ' T sm_open$' "$work/app-static.nm" ||
        fail "make's app-static does not hold libsmdl.a"
    # Nothing left to do right after: the grouped target and the depfile hold.
    PKG_CONFIG_PATH=$pcdir make -q --no-print-directory -C "$proj" || fail "make finds work to do right after building"
    no_client_needed "$proj/app"
    no_client_needed "$proj/app-static"
    on_every_database make run_app "$proj"
    on_every_database make-static run_app_static "$proj"
    # The link line of libsmdl.a from before the client libraries were
    # loaded on first use: it links them, and libsmdl uses those.
    local libdir
    libdir=$(PKG_CONFIG_PATH=$pcdir pkg-config --variable=libdir smdl)
    quiet cc -std=c11 -o "$proj/app-linked" "$proj/main.c" "$proj/gen/app.c" -I"$proj/gen" \
        $(PKG_CONFIG_PATH=$pcdir pkg-config --cflags smdl) "$libdir/libsmdl.a" \
        -Wl,--no-as-needed -lsqlite3 -lpq -lmariadb -lpthread -lm
    [[ $(readelf -d "$proj/app-linked" | grep -c '(NEEDED).*\[lib\(sqlite3\|pq\|mariadb\)\.so') == 3 ]] ||
        fail "app-linked does not need the three client libraries"
    on_every_database make-linked run_app_linked "$proj"
}

# make's program linked with libsmdl.a and the client libraries, on URL.
run_app_linked() { # DIR URL
    "$1/app-linked" "$2" || fail "the program linked with libsmdl.a and the client libraries failed on $2"
}

# make's program with libsmdl.a on URL.
run_app_static() { # DIR URL
    "$1/app-static" "$2" || fail "the program linked with libsmdl.a failed on $2"
}

subproject() {
    echo "== downstream: smdl as a subproject"
    local proj=$work/app-sub
    mkdir -p "$proj/subprojects"
    cp "$here/meson.build" "$here/main.c" "$here/app.smdl" "$proj/"
    ln -s "$src" "$proj/subprojects/smdl"
    # No smdl.pc may be found: the subproject must provide both.
    PKG_CONFIG_PATH= quiet meson setup "$work/app-subproject" "$proj"
    quiet ninja -C "$work/app-subproject"
    grep -qF "subprojects/smdl/compiler/smc" "$work/app-subproject/build.ninja" ||
        fail "the project did not run the smc the subproject built"
    no_client_needed "$work/app-subproject/app"
    # smdl registers none of its own tests in a parent project.
    [[ $(meson introspect --tests "$work/app-subproject") == "[]" ]] ||
        fail "smdl registered tests in the parent project"
    on_every_database subproject run_app "$work/app-subproject"
}

# Prints the file holding the first ```INFO block of DOC with a line
# matching PATTERN (split by the docs tests' blocks.awk).
block_at() { # DOC INFO PATTERN
    local dir=$work/blocks-$(basename "$1" .md) k info line
    if [[ ! -d $dir ]]; then
        mkdir -p "$dir"
        awk -v dir="$dir" -f "$src/tests/docs/blocks.awk" "$1" || fail "cannot split $1 into blocks"
    fi
    while IFS=$'\t' read -r k info line; do
        if [[ $info == "$2" ]] && grep -q -- "$3" "$dir/$k"; then
            printf '%s\n' "$dir/$k"
            return 0
        fi
    done <"$dir/index"
    fail "$(basename "$1") has no \`\`\`$2 block with '$3'"
}

readme() {
    echo "== downstream: README.md's tour, against the installed smdl"
    install_smdl
    local tour=$work/tour cc_line expected out
    mkdir -p "$tour"
    cp "$(block_at "$src/README.md" smdl '^// heroes.smdl$')" "$tour/heroes.smdl"
    cp "$(block_at "$src/README.md" c '^int main(')" "$tour/main.c"
    cc_line=$(grep '^cc ' "$(block_at "$src/docs/install.md" sh '^cc ')")
    expected=$(sed -n 's/^It prints `\(.*\)`$/\1/p' "$src/README.md")
    [[ -n $expected ]] || fail "README.md no longer says what its program prints (It prints \`...\`)"
    (
        cd "$tour"
        export PATH=$prefix/bin:$PATH PKG_CONFIG_PATH=$pcdir
        bash -euo pipefail "$(block_at "$src/README.md" sh '^smc check heroes.smdl')" >"$work/tour-smc.out" 2>&1 ||
            { cat "$work/tour-smc.out" >&2; fail "README.md's smc commands failed"; }
        quiet bash -euo pipefail -c "$cc_line"
    ) || exit 1
    on_every_database tour run_tour "$tour/heroes" "$expected"
}

# Runs the README's program on URL: it must print EXPECTED.
run_tour() { # PROGRAM EXPECTED URL
    local out
    out=$("$1" "$3") || fail "README.md's program failed on $3"
    [[ $out == "$2" ]] || fail "README.md's program printed '$out' on $3, not '$2'"
    printf '%s\n' "$out"
}

check_recipe
(($# > 0)) || set -- installed make subproject readme
for way in "$@"; do
    case $way in
    installed | subproject | readme) "$way" ;;
    make) make_way ;;
    *) fail "unknown way '$way' (installed, make, subproject or readme)" ;;
    esac
done
