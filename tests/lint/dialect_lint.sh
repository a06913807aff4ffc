#!/bin/sh
# Dialect lint: the SQL emitters and the checker are written once against
# the dialect table (compiler/emit/dialect.c, compiler/emit/dialect.h), and
# the runtime once against the driver contract (runtime/internal.h), so no
# other file of theirs may name a dialect, its client library, or branch on
# one.
#
#   dialect_lint.sh COMPILER_DIR   checks COMPILER_DIR/{check,emit}/*.{c,h} but dialect.[ch]
#   dialect_lint.sh --runtime DIR  checks DIR/*.h and DIR/{core,conn,model}/*.{c,h}:
#                                  everything of libsmdl but drivers/ (and the
#                                  public headers in include/, which define the
#                                  dialect constants)
#   dialect_lint.sh FILE...        checks the given files
#
# C comments are removed first (string and character literals are kept
# and checked): a comment naming a dialect is prose, not a conditional.
# What remains fails the check when it contains
#   - a dialect name as a word, in any case: sqlite, postgres, postgresql,
#     mysql, mariadb.  Only letters delimit words, so identifiers such as
#     SM_SQLITE, emit_mysql_type or sqlite3_open are caught too;
#   - a client library: libpq, its PQ... functions and PG... types and
#     result states, and the drivers' private prefixes sm_pg_, sm_my_,
#     sm_sq_ (MySQL's and SQLite's are caught by the names above);
#   - an element of the dialect table chosen by a constant:
#     smc_dialects[2], smc_dialects[SM_MYSQL], or of a per-dialect SQL
#     text: text[1].  Indexing with a variable (a loop over every dialect,
#     conn->dialect) is dialect-neutral and allowed;
#   - a comparison with a dialect or a switch on one: dialect == ...,
#     dialect != ..., switch (... dialect).
# Each offending line is printed as FILE:LINE: followed by the line.
set -u
LC_ALL=C
export LC_ALL

if [ $# -eq 0 ]; then
    echo "usage: dialect_lint.sh COMPILER_DIR | --runtime RUNTIME_DIR | FILE..." >&2
    exit 2
fi
if [ "$1" = --runtime ]; then
    if [ $# -ne 2 ] || [ ! -d "$2" ]; then
        echo "usage: dialect_lint.sh --runtime RUNTIME_DIR" >&2
        exit 2
    fi
    dir=$2
    set --
    for f in "$dir"/*.h "$dir"/core/*.c "$dir"/core/*.h "$dir"/conn/*.c "$dir"/conn/*.h \
        "$dir"/model/*.c "$dir"/model/*.h; do
        [ -f "$f" ] && set -- "$@" "$f"
    done
    if [ $# -eq 0 ]; then
        echo "dialect_lint: no runtime files under $dir" >&2
        exit 1
    fi
elif [ $# -eq 1 ] && [ -d "$1" ]; then
    dir=$1
    set --
    for f in "$dir"/check/*.c "$dir"/check/*.h "$dir"/emit/*.c "$dir"/emit/*.h; do
        case $f in */dialect.c|*/dialect.h) continue ;; esac
        [ -f "$f" ] && set -- "$@" "$f"
    done
    if [ $# -eq 0 ]; then
        echo "dialect_lint: no checker or emitter files under $dir" >&2
        exit 1
    fi
fi
for f in "$@"; do
    if [ ! -r "$f" ]; then
        echo "dialect_lint: cannot read $f" >&2
        exit 1
    fi
done

awk '
FNR == 1 { inblock = 0; quote = "" }
{
    line = $0
    n = length(line)
    code = ""
    i = 1
    while (i <= n) {
        c = substr(line, i, 1)
        if (inblock) {
            if (substr(line, i, 2) == "*/") {
                inblock = 0
                code = code "  "
                i += 2
            } else {
                code = code " "
                i++
            }
        } else if (quote != "") {
            if (c == "\\") {
                code = code substr(line, i, 2)
                i += 2
                continue
            }
            if (c == quote)
                quote = ""
            code = code c
            i++
        } else if (substr(line, i, 2) == "/*") {
            inblock = 1
            code = code "  "
            i += 2
        } else if (substr(line, i, 2) == "//") {
            break
        } else {
            if (c == "\"" || c == "\047")
                quote = c
            code = code c
            i++
        }
    }
    # A literal continues on the next line only after a backslash.
    if (quote != "" && substr(line, n, 1) != "\\")
        quote = ""

    low = tolower(code)
    named = low ~ /(^|[^a-z])(sqlite|postgres|postgresql|mysql|mariadb|libpq)([^a-z]|$)/
    client = code ~ /(^|[^A-Za-z0-9_])(PQ[a-z]|PG[a-z]|PGRES_)/ ||
             code ~ /(^|[^A-Za-z0-9_])sm_(pg|my|sq)_/
    rest = code
    gsub(/smc_dialects[ \t]*\[[ \t]*[a-z_][a-z0-9_]*[ \t]*\]/, "", rest)
    indexed = rest ~ /smc_dialects[ \t]*\[/ || code ~ /(^|[^A-Za-z0-9_])text[ \t]*\[[ \t]*[0-9]/
    branched = code ~ /dialect[ \t]*[!=]=/ || code ~ /[!=]=[ \t]*[A-Za-z_>.-]*dialect([^A-Za-z0-9_]|$)/ ||
               code ~ /switch[ \t]*\([^)]*dialect/
    if (named || client || indexed || branched) {
        print FILENAME ":" FNR ": " line
        bad++
    }
}
END { exit bad ? 1 : 0 }
' "$@"
status=$?
if [ $status -eq 1 ]; then
    echo "dialect_lint: dialect-specific code outside compiler/emit/dialect.[ch] or runtime/drivers/;" >&2
    echo "dialect_lint: describe the difference as data in the dialect table, or behind the" >&2
    echo "dialect_lint: driver contract (sm_driver in runtime/internal.h)" >&2
elif [ $status -ne 0 ]; then
    echo "dialect_lint: awk failed ($status)" >&2
fi
exit $status
