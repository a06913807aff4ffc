#!/bin/sh
# soname.sh LIBDIR FILE DEFAULT [CC...]: prints the SONAME of the client
# library the build links against (LIBDIR/FILE, or where CC finds FILE
# when LIBDIR is empty or lacks it), the name libsmdl dlopens at run
# time.  Prints DEFAULT, with a warning, when it cannot be read.
libdir=$1 file=$2 default=$3
shift 3
path=
if [ -n "$libdir" ] && [ -e "$libdir/$file" ]; then
    path=$libdir/$file
elif [ $# -gt 0 ]; then
    found=$("$@" -print-file-name="$file" 2>/dev/null)
    [ -n "$found" ] && [ "$found" != "$file" ] && [ -e "$found" ] && path=$found
fi
name=
if [ -n "$path" ]; then
    if command -v readelf >/dev/null 2>&1; then
        name=$(readelf -d "$path" 2>/dev/null | sed -n 's/.*(SONAME).*\[\(.*\)\].*/\1/p')
    elif command -v objdump >/dev/null 2>&1; then
        name=$(objdump -p "$path" 2>/dev/null | awk '$1 == "SONAME" { print $2 }')
    fi
fi
if [ -z "$name" ]; then
    echo "soname.sh: cannot read the SONAME of $file${path:+ ($path)}; using $default" >&2
    name=$default
fi
printf '%s\n' "$name"
