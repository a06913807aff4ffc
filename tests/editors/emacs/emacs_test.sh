#!/usr/bin/env bash
# smdl-mode in the real Emacs, in batch mode.
#   emacs_test.sh SMC EDITORS_DIR TESTS_DIR [faces|byte-compile|eglot]
#   faces         faces at the positions of tests/editors/classes.txt,
#                 indentation, `compile' and `next-error' on smc's output
#                 (smdl-mode-test.el); the default
#   byte-compile  smdl-mode.el byte-compiles without a warning
#   eglot         the eglot entry for `smc lsp' is there once eglot loads,
#                 whichever of the two loads first
# Without emacs (or eglot) it fails when SMDL_REQUIRE_EDITORS=1 (make
# check), and is skipped (77) otherwise.
set -euo pipefail
smc=$(cd "$(dirname "$1")" && pwd)/$(basename "$1") editors=$(cd "$2" && pwd) tests=$(cd "$3" && pwd) what=${4:-faces}
emacs=${SMDL_EMACS:-emacs}
mode=$editors/emacs/smdl-mode.el
missing() {
    echo "$1"
    [[ ${SMDL_REQUIRE_EDITORS:-} == 1 ]] && exit 1
    exit 77
}
command -v "$emacs" >/dev/null || missing "no $emacs on PATH"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

case $what in
faces)
    SMDL_TESTS=$tests SMDL_TMP=$tmp SMC=$smc timeout 120 "$emacs" --batch -Q \
        -L "$editors/emacs" -l "$tests/emacs/smdl-mode-test.el"
    ;;
byte-compile)
    # A copy, so that no .elc lands in the source tree; a warning is an error.
    compile() {
        timeout 120 "$emacs" --batch -Q --eval '(setq byte-compile-error-on-warn t)' \
            -f batch-byte-compile "$1"
    }
    cp "$mode" "$tmp/smdl-mode.el"
    compile "$tmp/smdl-mode.el"
    [[ -s $tmp/smdl-mode.elc ]] || { echo "FAIL: no smdl-mode.elc"; exit 1; }
    # The check itself: a warning must fail it.
    mkdir "$tmp/warn"
    sed 's/^(provide .smdl-mode)$/(defun smdl--warn () (smdl--no-such-function))\n&/' \
        "$mode" >"$tmp/warn/smdl-mode.el"
    if compile "$tmp/warn/smdl-mode.el" 2>/dev/null; then
        echo "FAIL: a byte-compiler warning went unnoticed"
        exit 1
    fi
    echo "emacs: smdl-mode.el byte-compiles without warnings"
    ;;
eglot)
    # Not -Q: eglot comes from site-start on Debian (elpa-eglot), as in a
    # user's Emacs.
    want='("smc" "lsp")'
    for order in mode-first eglot-first; do
        if [[ $order == mode-first ]]; then
            load=(-l "$mode" --eval "(require 'eglot)")
        else
            load=(--eval "(require 'eglot)" -l "$mode")
        fi
        got=$(timeout 120 "$emacs" --batch -q "${load[@]}" \
            --eval "(princ (format \"%S\" (alist-get 'smdl-mode eglot-server-programs)))" \
            2>"$tmp/err") || {
            grep -q "Cannot open load file.*eglot" "$tmp/err" && missing "no eglot in $emacs"
            cat "$tmp/err"
            exit 1
        }
        if [[ $got != "$want" ]]; then
            echo "FAIL: eglot-server-programs has $got for smdl-mode ($order), want $want"
            exit 1
        fi
    done
    echo "emacs: eglot runs smc lsp for smdl-mode"
    ;;
*)
    echo "usage: $0 SMC EDITORS_DIR TESTS_DIR [faces|byte-compile|eglot]" >&2
    exit 2
    ;;
esac
