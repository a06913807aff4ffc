#!/bin/sh
# Writes smc.1, the manual page of smc, from smc's own help: `smc help`
# (the synopsis, the commands, the exit status), then `smc help COMMAND`
# for each command it lists and `smc help COMMAND SUB` for each command
# a page lists under "commands:".  The build runs it on the smc it built.
#
#   scripts/manpage.sh SMC OUTPUT
set -eu
smc=$1
out=$2
tmp=$out.tmp
trap 'rm -f "$tmp" "$tmp.help" "$tmp.page"' EXIT

# The roff of one help page on stdin, under the heading given ($1).
page() {
    awk -v title="$1" '
    # Text made safe for roff: backslashes, minus signs, leading dots and quotes.
    function esc(s) {
        gsub(/\\/, "\\e", s)
        gsub(/-/, "\\-", s)
        if (s ~ /^[.'"'"']/) s = "\\&" s
        return s
    }
    function flush_opt() {
        if (opt != "") { print ".TP"; print "\\fB" esc(opt) "\\fR"; print esc(desc) }
        opt = ""; desc = ""
    }
    BEGIN { print ".SS \"" esc(title) "\""; state = "usage" }
    state == "usage" && /^usage: / { print ".nf"; print "\\fB" esc(substr($0, 8)) "\\fR"; next }
    state == "usage" && /^       / { print "\\fB" esc(substr($0, 8)) "\\fR"; next }
    state == "usage" && /^$/ { print ".fi"; print ".PP"; state = "about"; next }
    /^commands:$/ { state = "commands"; print ".PP"; print "Commands:"; next }
    /^options:$/ { state = "options"; print ".PP"; print "Options:"; next }
    /^example:$/ { flush_opt(); state = "example"; print ".PP"; print "Example:"; print ".RS"; print ".nf"; next }
    /^$/ { flush_opt(); if (state == "about") print ".PP"; next }
    state == "about" { print esc($0); next }
    state == "commands" {
        name = $1; sub(/^ *[^ ]+ +/, "")
        print ".TP"; print "\\fB" esc(name) "\\fR"; print esc($0); next
    }
    state == "options" && /^                          / { sub(/^ +/, ""); desc = desc (desc == "" ? "" : " ") $0; next }
    state == "options" {
        flush_opt()
        opt = substr($0, 3, 22); sub(/ +$/, "", opt)
        desc = substr($0, 27); next
    }
    state == "example" { sub(/^  /, ""); print esc($0); next }
    END { flush_opt(); if (state == "example") { print ".fi"; print ".RE" } }
    '
}

version=$("$smc" --version | sed 's/^smc //')
"$smc" help >"$tmp.help"
commands=$(sed -n 's/^commands: //p' "$tmp.help")
[ -n "$commands" ] || { echo "manpage.sh: 'smc help' lists no commands" >&2; exit 1; }
{
    printf '.TH SMC 1 "" "smdl %s" "User Commands"\n' "$version"
    printf '.nh\n.ad l\n'
    printf '.SH NAME\nsmc \\- the smdl compiler\n'
    printf '.SH SYNOPSIS\n.nf\n'
    sed -n 's/^  \(smc [^ ].*\)$/\1/p' "$tmp.help" | sed 's/  .*//; s/\\/\\e/g; s/-/\\-/g; s/^/\\fB/; s/$/\\fR/'
    printf '.fi\n.SH DESCRIPTION\n'
    printf 'smc checks a schema written in smdl and generates the C code and the SQL\n'
    printf 'that read and write it in SQLite, PostgreSQL and MariaDB/MySQL.\n'
    printf '.SH COMMANDS\n'
    for c in $commands; do
        "$smc" help "$c" >"$tmp.page"
        page "smc $c" <"$tmp.page"
        for sub in $(sed -n '/^commands:$/,/^$/{/^  /s/^  \([^ ]*\).*/\1/p}' "$tmp.page"); do
            "$smc" help "$c" "$sub" | page "smc $c $sub"
        done
    done
    printf '.SH "EXIT STATUS"\n'
    sed -n '/^Exit status: /,$p' "$tmp.help" | sed '1s/^Exit status: //; s/-/\\-/g'
    printf '.SH "SEE ALSO"\n'
    printf 'The smdl documentation: the language, the C API, migrations and editors.\n'
} >"$tmp"
mv "$tmp" "$out"
