# blocks.awk: splits the fenced code blocks of a Markdown file into files.
#
#   awk -v dir=OUT -f blocks.awk FILE.md
#
# Block k (counting from 1) goes to OUT/k, and one line per block to
# OUT/index: "k<TAB>info<TAB>line", where info is the fence's info string
# ("c", "c fragment", "smdl", "console", ...; "-" when empty) and line the
# number of the block's first line in FILE.md.  Only fences at the start
# of a line count, as the docs write them.  An unclosed block is an error.
BEGIN {
    n = 0
    inside = 0
}
/^```/ {
    if (inside) {
        if ($0 != "```") {
            printf "%s:%d: a closing fence takes no info string\n", FILENAME, FNR > "/dev/stderr"
            bad = 1
        }
        close(out)
        inside = 0
        next
    }
    n++
    info = substr($0, 4)
    sub(/^[ \t]+/, "", info)
    sub(/[ \t]+$/, "", info)
    if (info == "")
        info = "-"
    out = dir "/" n
    start = FNR
    printf "" > out
    printf "%d\t%s\t%d\n", n, info, FNR + 1 >> (dir "/index")
    inside = 1
    next
}
inside {
    print > out
}
END {
    close(dir "/index")
    if (inside) {
        printf "%s: the block that starts at line %d is never closed\n", FILENAME, start > "/dev/stderr"
        exit 1
    }
    if (bad)
        exit 1
}
