#!/usr/bin/env python3
"""The words of an editor grammar against smc's own tables.

    words.py SMC EDITOR FILE

EDITOR is vim (FILE: syntax/smdl.vim) or emacs (FILE: smdl-mode.el).
Every keyword, attribute and built-in type that `smc debug-words` prints
must be in the grammar's lists, and the lists may hold nothing else.
The check then proves it can fail: a copy of the file with one word of
each kind removed, and one with an unknown keyword added, must each be
reported.
"""
import re
import subprocess
import sys

KINDS = ("keyword", "attribute", "type")

# Words of `syn keyword` lines that are options, not keywords.
VIM_OPTIONS = {"contained", "skipwhite", "skipnl", "skipempty", "transparent",
               "display", "extend", "oneline", "fold", "conceal", "concealends"}


def vim_words(text):
    words = {k: set() for k in KINDS}
    for m in re.finditer(r"^syn keyword (\w+)(.*)$", text, re.M):
        group, rest = m.group(1), m.group(2)
        if group == "smdlTodo":
            continue
        kind = "type" if group == "smdlType" else "keyword"
        for w in rest.split():
            if "=" not in w and w not in VIM_OPTIONS:
                words[kind].add(w)
    m = re.search(r"^let s:attributes = \[(.*?)\]", text, re.M | re.S)
    if m:
        words["attribute"] = set(re.findall(r"'([^']*)'", m.group(1)))
    return words


def vim_remove(text, kind, word):
    if kind == "attribute":
        return text.replace("'%s'" % word, "", 1)
    group = r"smdlType" if kind == "type" else r"(?!smdlType\b|smdlTodo\b)\w+"
    line = re.compile(r"^(syn keyword %s\b.*?) %s\b" % (group, re.escape(word)), re.M)
    return line.sub(r"\1", text, count=1)


def vim_add_keyword(text, word):
    return re.sub(r"^(syn keyword smdlKeyword .*)$", r"\1 " + word, text, count=1, flags=re.M)


def elisp_list(text, name):
    m = re.search(r"\(defconst %s\s+'\((.*?)\)" % re.escape(name), text, re.S)
    return set(re.findall(r'"([^"]*)"', m.group(1))) if m else set()


def emacs_words(text):
    return {
        "keyword": elisp_list(text, "smdl-keywords") | elisp_list(text, "smdl-constants"),
        "attribute": elisp_list(text, "smdl-attributes"),
        "type": elisp_list(text, "smdl-builtin-types"),
    }


EMACS_LISTS = {"keyword": "smdl-keywords", "attribute": "smdl-attributes",
               "type": "smdl-builtin-types"}


def emacs_remove(text, kind, word):
    start = text.index("(defconst %s" % EMACS_LISTS[kind])
    at = text.index('"%s"' % word, start)
    return text[:at] + text[at + len(word) + 2:]


def emacs_add_keyword(text, word):
    return text.replace("(defconst smdl-keywords\n  '(", "(defconst smdl-keywords\n  '(\"%s\" " % word, 1)


EDITORS = {
    "vim": (vim_words, vim_remove, vim_add_keyword),
    "emacs": (emacs_words, emacs_remove, emacs_add_keyword),
}


def smc_words(smc):
    out = subprocess.run([smc, "debug-words"], check=True, capture_output=True, text=True).stdout
    words = {k: set() for k in KINDS}
    for line in out.splitlines():
        kind, word = line.split(" ", 1)
        words[kind].add(word)
    return words


def differences(want, got):
    """The problems of the grammar's words GOT against smc's WANT."""
    problems = []
    for kind in KINDS:
        for w in sorted(want[kind] - got[kind]):
            problems.append("%s '%s' of smc is missing" % (kind, w))
        for w in sorted(got[kind] - want[kind]):
            problems.append("%s '%s' is not one of smc's" % (kind, w))
    return problems


def main():
    if len(sys.argv) != 4 or sys.argv[2] not in EDITORS:
        sys.exit("usage: words.py SMC vim|emacs FILE")
    smc, editor, path = sys.argv[1:]
    extract, remove, add_keyword = EDITORS[editor]
    want = smc_words(smc)
    if not all(want.values()):
        sys.exit("FAIL: smc debug-words printed no %s" % [k for k in KINDS if not want[k]])
    text = open(path, encoding="utf-8").read()
    problems = differences(want, extract(text))
    for p in problems:
        print("FAIL: %s: %s" % (path, p))
    if problems:
        sys.exit(1)

    # The check must see one word gone or one too many.
    mutants = [("without %s '%s'" % (k, w), remove(text, k, w))
               for k, w in (("keyword", "having"), ("keyword", "null"),
                            ("attribute", "max_len"), ("type", "datetime"))]
    mutants.append(("with keyword 'frobnicate'", add_keyword(text, "frobnicate")))
    for name, mutant in mutants:
        if mutant == text or not differences(want, extract(mutant)):
            print("FAIL: the %s grammar %s passes the check" % (editor, name))
            sys.exit(1)
    n = sum(len(v) for v in want.values())
    print("%s: the %d words of smc, no others" % (editor, n))


if __name__ == "__main__":
    main()
