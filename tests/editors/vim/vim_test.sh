#!/usr/bin/env bash
# The vim plugin in the real vim, headless: highlight groups at the
# positions of tests/editors/classes.txt, `gg=G` on a badly indented file,
# `:make` through the compiler plugin into the quickfix list, the
# filetype's options.
#   vim_test.sh SMC EDITORS_DIR TESTS_DIR
# Without vim it fails when SMDL_REQUIRE_EDITORS=1 (make check), and is
# skipped (77) otherwise.
set -euo pipefail
smc=$(cd "$(dirname "$1")" && pwd)/$(basename "$1") editors=$(cd "$2" && pwd) tests=$(cd "$3" && pwd)
vim=${SMDL_VIM:-vim}
if ! command -v "$vim" >/dev/null; then
    echo "no $vim on PATH"
    [[ ${SMDL_REQUIRE_EDITORS:-} == 1 ]] && exit 1
    exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}

# Only the plugin and vim's own runtime: nothing of the user's.
cat >"$tmp/vimrc" <<'VIMRC'
set nocompatible
let &runtimepath = $SMDL_VIM_DIR . ',' . $VIMRUNTIME
filetype plugin indent on
syntax on
VIMRC
export SMDL_VIM_DIR=$editors/vim
# runvim FILE COMMAND...: vim on FILE in ex mode, the commands after it.
runvim() {
    local file=$1
    shift
    local args=()
    for c in "$@"; do args+=(-c "$c"); done
    timeout 60 "$vim" -es -N -i NONE -u "$tmp/vimrc" "$file" "${args[@]}" </dev/null ||
        fail "vim exited with $? on $file ($*)"
}

# Highlighting: the sample, and what smc rejects.
# (The files that are no canonical smdl are named .smdl.in in the tree.)
for pair in sample.smdl:classes.txt invalid.smdl.in:invalid-classes.txt; do
    sample=${pair%%:*} classes=${pair#*:}
    cp "$tests/$sample" "$tmp/${sample%.in}"
    SMDL_CLASSES=$tests/$classes SMDL_OUT=$tmp/highlight.out \
        runvim "$tmp/${sample%.in}" "source $tests/vim/highlight.vim"
    if ! tail -n 1 "$tmp/highlight.out" 2>/dev/null | grep -q '^checked [1-9]'; then
        fail "highlight check of $sample did not run"
    elif [[ $(wc -l <"$tmp/highlight.out") != 1 ]]; then
        fail "highlight groups in $sample:"
        head -n -1 "$tmp/highlight.out"
    fi
    rm -f "$tmp/highlight.out"
done

# Indentation of the whole file.
cp "$tests/indent.smdl.in" "$tmp/indent.smdl"
runvim "$tmp/indent.smdl" "normal! gg=G" "wq"
diff -u "$tests/indent.smdl.expected" "$tmp/indent.smdl" || fail "gg=G"

# Typing: a new line after '{' goes in a level, '}' comes back out, a
# block comment continues with stars.
printf 'module m;\n' >"$tmp/typing.smdl"
runvim "$tmp/typing.smdl" \
    'exe "normal! Gotable T {\<CR>id: int @pk;\<CR>/*\<CR>note\<CR>/\<CR>}"' "wq"
printf '%s\n' 'module m;' 'table T {' '    id: int @pk;' '    /*' '     * note' '     */' '}' |
    diff -u - "$tmp/typing.smdl" || fail "typing"

# :make runs smc check on the file; the quickfix list has its diagnostics.
mkdir "$tmp/make"
cp "$tests/errors.smdl" "$tmp/make/"
(cd "$tmp/make" && PATH=$(dirname "$smc"):$PATH SMDL_OUT=$tmp/qf.out \
    runvim errors.smdl "source $tests/vim/quickfix.vim") >/dev/null
diff -u "$tests/vim/quickfix.txt" "$tmp/qf.out" || fail ":make quickfix list"

# The filetype's options; :dsearch finds a declaration.
SMDL_OUT=$tmp/opts.out runvim "$tests/sample.smdl" \
    "let g:opts = [&ft, &commentstring, &comments, &sw, &et, &efm =~# 'tote']" \
    "call writefile(g:opts + [trim(execute('dsearch Power'))], \$SMDL_OUT)" "qall!"
printf '%s\n' smdl '// %s' 's1:/*,mb:*,ex:*/,://' 4 1 1 \
    'enum Power { flight, strength @doc("fast"), speed }' >"$tmp/opts.want"
diff -u "$tmp/opts.want" "$tmp/opts.out" || fail "filetype options"

if ((failures > 0)); then
    echo "$failures failure(s)"
    exit 1
fi
echo "vim: all checks passed"
