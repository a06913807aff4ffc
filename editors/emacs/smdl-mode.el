;;; smdl-mode.el --- Major mode for smdl schemas -*- lexical-binding: t -*-

;; Keywords: languages
;; Package-Requires: ((emacs "27.1"))

;; This file is part of smdl.

;;; Commentary:

;; Editing support for .smdl files, the schema language of smc:
;; highlighting, indentation, comments, `compile' running `smc check' with
;; `next-error' jumping to its diagnostics, and an eglot entry for the
;; language server `smc lsp'.
;;
;; Install: put this file on `load-path' and (require 'smdl-mode).  The
;; word lists below mirror `smc debug-words'; the test suite fails when
;; they drift apart.

;;; Code:

(require 'compile)

(defgroup smdl nil
  "Editing smdl schemas."
  :group 'languages
  :prefix "smdl-")

(defcustom smdl-indent-offset 4
  "Columns per indentation level in smdl files."
  :type 'integer
  :safe #'integerp)

(defcustom smdl-smc-program "smc"
  "The smc program that `compile' runs on smdl files."
  :type 'string)

(defface smdl-number-face
  `((t ,@(if (facep 'font-lock-number-face)
             '(:inherit font-lock-number-face)
           '(:inherit font-lock-constant-face))))
  "Face for numbers and durations in smdl.")

(defface smdl-operator-face
  `((t ,@(and (facep 'font-lock-operator-face)
              '(:inherit font-lock-operator-face))))
  "Face for operators in smdl.")

(defface smdl-escape-face
  `((t ,@(if (facep 'font-lock-escape-face)
             '(:inherit font-lock-escape-face)
           '(:inherit font-lock-regexp-grouping-backslash))))
  "Face for escapes in smdl strings.")

;;;; Words

(defconst smdl-keywords
  '("and" "as" "asc" "between" "by" "check" "conflict" "delete" "desc"
    "distinct" "do" "each" "enum" "exec" "exists" "first" "for" "from"
    "group" "having" "import" "in" "index" "insert" "is" "join" "key" "last"
    "left" "like" "limit" "model" "module" "not" "nothing" "nulls" "offset"
    "on" "or" "order" "partial" "primary" "query" "returning" "row" "select"
    "set" "share" "sql" "table" "type" "unique" "update" "values" "where"
    "with")
  "Keywords of smdl, except the constants in `smdl-constants'.")

(defconst smdl-constants '("true" "false" "null")
  "Keywords of smdl that are values.")

(defconst smdl-builtin-types
  '("bool" "int" "i32" "i16" "float" "decimal" "text" "bytes" "date" "time"
    "datetime" "uuid" "json" "sort" "dir")
  "Built-in types of smdl (sort and dir are query parameter types).")

(defconst smdl-attributes
  '("pk" "auto" "unique" "index" "fk" "rel" "column" "json" "max_len"
    "min_len" "gt" "ge" "lt" "le" "pattern" "check_fn" "was" "updated_at"
    "secret" "table" "mixin" "timeout" "doc")
  "Attributes of smdl, without their `@'.")

;;;; Syntax

(defvar smdl-mode-syntax-table
  (let ((st (make-syntax-table)))
    ;; // line comments and /* block */ comments, as in C.
    (modify-syntax-entry ?/ ". 124b" st)
    (modify-syntax-entry ?* ". 23" st)
    (modify-syntax-entry ?\n "> b" st)
    (modify-syntax-entry ?\" "\"" st)
    (modify-syntax-entry ?\\ "\\" st)
    (modify-syntax-entry ?_ "_" st)
    (modify-syntax-entry ?@ "'" st)
    (dolist (c '(?+ ?- ?= ?< ?> ?! ?? ?: ?\; ?, ?.))
      (modify-syntax-entry c "." st))
    (modify-syntax-entry ?' "." st)
    st)
  "Syntax table of `smdl-mode'.")

(defun smdl--match-in (limit regexp state)
  "Search for REGEXP before LIMIT, in a string or in a comment.
STATE is the element of `syntax-ppss' that must be non-nil at the match:
3 (in a string) or 4 (in a comment)."
  (let (found)
    (while (and (not found) (re-search-forward regexp limit t))
      (when (save-excursion
              (save-match-data (nth state (syntax-ppss (match-beginning 0)))))
        (setq found t)))
    found))

(defconst smdl--escape-regexp "\\\\\\(?:[\\\\\"nt]\\|u{[0-9a-fA-F]\\{1,6\\}}\\)"
  "A valid escape in a string: \\\\ \\\" \\n \\t \\u{X}.")

(defun smdl--match-escape (limit)
  "Find the next valid string escape before LIMIT."
  (smdl--match-in limit smdl--escape-regexp 3))

(defun smdl--match-bad-escape (limit)
  "Find the next string escape before LIMIT; group 1 is an invalid one."
  (smdl--match-in limit (concat smdl--escape-regexp "\\|\\(\\\\.\\)") 3))

(defun smdl--match-todo (limit)
  "Find the next TODO mark in a comment before LIMIT."
  (smdl--match-in limit "\\_<\\(?:TODO\\|FIXME\\|XXX\\|NOTE\\)\\_>" 4))

(defconst smdl--keyword-regexp (regexp-opt smdl-keywords 'symbols)
  "A keyword of `smdl-keywords'.")

(defun smdl--match-keyword (limit)
  "Find the next keyword before LIMIT that names no field or parameter.
A keyword right before a colon is a name: `order: int;'."
  (let (found)
    (while (and (not found) (re-search-forward smdl--keyword-regexp limit t))
      (unless (eq (char-after) ?:)
        (setq found t)))
    found))

(defconst smdl-font-lock-keywords
  (let ((name "\\([A-Za-z][A-Za-z0-9_]*\\)"))
    `((smdl--match-escape 0 'smdl-escape-face prepend)
      (smdl--match-bad-escape 1 'font-lock-warning-face prepend t)
      (smdl--match-todo 0 'font-lock-warning-face prepend)
      ;; Before the keywords, which also name attributes and parameters.
      (,(concat "@" (regexp-opt smdl-attributes t) "\\_>")
       . 'font-lock-preprocessor-face)
      ;; A parameter: ':name' not right after a name (a field's 'name: type').
      ("\\(?:^\\|[^[:alnum:]_]\\)\\(:[A-Za-z][A-Za-z0-9_]*\\)"
       1 'font-lock-variable-name-face)
      (,(concat "\\_<\\(?:model\\|table\\|row\\|enum\\|type\\)[ \t]+" name)
       1 'font-lock-type-face)
      (,(concat "\\_<query[ \t]+" name) 1 'font-lock-function-name-face)
      (,(concat "\\_<module[ \t]+" name) 1 'font-lock-constant-face)
      (smdl--match-keyword . 'font-lock-keyword-face)
      (,(regexp-opt smdl-constants 'symbols) . 'font-lock-constant-face)
      (,(regexp-opt smdl-builtin-types 'symbols) . 'font-lock-type-face)
      ;; Numbers: durations, floats, integers.
      ("\\_<[0-9]+\\(?:ms\\|[smh]\\)\\_>" . 'smdl-number-face)
      ("\\_<[0-9]+\\(?:\\.[0-9]+\\)?\\(?:[eE][-+]?[0-9]+\\)?\\_>"
       . 'smdl-number-face)
      ("->\\|[=!<>]=\\|[-+*/?<>=]" . 'smdl-operator-face)))
  "Highlighting of `smdl-mode'.")

;;;; Indentation

(defconst smdl--clause-regexp
  (concat "\\`[ \t]*"
          (regexp-opt '("select" "from" "where" "left" "join" "group" "having"
                        "order" "limit" "offset" "for" "insert" "values" "on"
                        "returning" "update" "set" "delete")
                      'symbols)
          "\\(?:[^:]\\|\\'\\)")
  "A line starting with a clause of a query body.
Right before a colon the word names a field.")

(defun smdl--code (line)
  "LINE without its comments, and its strings emptied."
  (let ((out nil) (i 0) (n (length line)) (done nil))
    (while (and (not done) (< i n))
      (let ((c (aref line i)))
        (cond
         ((eq c ?\")
          (let ((j (1+ i)))
            (while (and (< j n) (not (eq (aref line j) ?\")))
              (setq j (+ j (if (eq (aref line j) ?\\) 2 1))))
            (push "\"\"" out)
            (setq i (1+ j))))
         ((and (eq c ?/) (< (1+ i) n) (eq (aref line (1+ i)) ?/))
          (setq done t))
         ((and (eq c ?/) (< (1+ i) n) (eq (aref line (1+ i)) ?*))
          (let ((j (string-match "\\*/" line (+ i 2))))
            (if (not j)
                (setq done t)
              (push " " out)
              (setq i (+ j 2)))))
         (t (push (string c) out)
            (setq i (1+ i))))))
    (apply #'concat (nreverse out))))

(defun smdl--line-code ()
  "The code of the current line, see `smdl--code'."
  (smdl--code (buffer-substring-no-properties
               (line-beginning-position) (line-end-position))))

(defun smdl--starts-in-comment-p ()
  "Return non-nil at a line starting inside a comment or with one."
  (save-excursion
    (back-to-indentation)
    (or (nth 4 (syntax-ppss)) (looking-at-p "/[/*]"))))

(defun smdl--previous-code-line ()
  "Move to the last line before this one with code; return nil if none."
  (let (found)
    (while (and (not found) (zerop (forward-line -1)))
      (unless (or (smdl--starts-in-comment-p)
                  (string-match-p "\\`[ \t]*\\'" (smdl--line-code)))
        (setq found t)))
    found))

(defun smdl--count (code chars)
  "How many characters of CODE are among CHARS."
  (let ((n 0))
    (mapc (lambda (c) (when (memq c chars) (setq n (1+ n)))) code)
    n))

(defun smdl--continues-p ()
  "Return non-nil if the current line continues the code line before it.
That line ends without ';', '{', '}', ',' or an opener, and is no
clause of a query body."
  (and (not (save-excursion (back-to-indentation) (looking-at-p "[])}{]")))
       (save-excursion
         (and (smdl--previous-code-line)
              (let ((code (smdl--line-code)))
                (and (<= (smdl--count code '(?\( ?\[ ?{))
                         (smdl--count code '(?\) ?\] ?})))
                     (not (string-match-p "[;{},([][ \t]*\\'" code))
                     (not (string-match-p smdl--clause-regexp code))))))))

(defun smdl--indentation ()
  "The column the current line should start at, or nil to leave it."
  (save-excursion
    ;; syntax-ppss moves point to its argument: look at the line after it.
    (let ((ppss (syntax-ppss (line-beginning-position))))
      (back-to-indentation)
      (cond
       ;; In a block comment: stars under the opener's, text where it is.
       ((nth 4 ppss)
        (and (looking-at-p "\\*")
             (save-excursion (goto-char (nth 8 ppss)) (1+ (current-column)))))
       (t
        (let ((closers (save-excursion (skip-chars-forward "])}"))))
          (* smdl-indent-offset
             (+ (max 0 (- (car ppss) closers))
                (if (smdl--continues-p) 1 0)))))))))

(defun smdl-indent-line ()
  "Indent the current line of smdl: braces, parentheses, continuations."
  (interactive)
  (let ((col (smdl--indentation)))
    (when col
      (if (<= (current-column) (current-indentation))
          (indent-line-to col)
        (save-excursion (indent-line-to col))))))

;;;; Compilation

(defconst smdl-compilation-regexp
  (concat "^\\([^:\n]+\\):\\([0-9]+\\):\\([0-9]+\\): "
          "\\(?:error\\|\\(warning\\)\\|\\(note\\)\\): ")
  "A diagnostic of smc: FILE:LINE:COL: error|warning|note: MESSAGE.")

(add-to-list 'compilation-error-regexp-alist-alist
             `(smdl ,smdl-compilation-regexp 1 2 3 (4 . 5)))
(add-to-list 'compilation-error-regexp-alist 'smdl)

(defun smdl--compile-command ()
  "The command `compile' proposes in an smdl buffer."
  (concat smdl-smc-program " check "
          (if buffer-file-name
              (shell-quote-argument (file-name-nondirectory buffer-file-name))
            "")))

;;;; Mode

(defconst smdl-imenu-generic-expression
  (mapcar (lambda (kind)
            (list (car kind)
                  (concat "^[ \t]*" (cdr kind) "[ \t]+\\([A-Za-z][A-Za-z0-9_]*\\)")
                  1))
          '(("Queries" . "query") ("Types" . "type") ("Enums" . "enum")
            ("Rows" . "row") ("Models" . "model") ("Tables" . "table")))
  "The declarations `imenu' lists, by kind.")


;;;###autoload
(define-derived-mode smdl-mode prog-mode "smdl"
  "Major mode for smdl schemas, the input of smc.
\\{smdl-mode-map}"
  :syntax-table smdl-mode-syntax-table
  (setq-local comment-start "// ")
  (setq-local comment-end "")
  (setq-local comment-start-skip "\\(?://+\\|/\\*+\\)[ \t]*")
  (setq-local font-lock-defaults '(smdl-font-lock-keywords))
  (setq-local imenu-generic-expression smdl-imenu-generic-expression)
  (setq-local indent-line-function #'smdl-indent-line)
  (setq-local indent-tabs-mode nil)
  (setq-local electric-indent-chars (append "{}()[]" electric-indent-chars))
  (setq-local compile-command (smdl--compile-command)))

;;;###autoload
(add-to-list 'auto-mode-alist '("\\.smdl\\'" . smdl-mode))

;; The language server, for eglot (Emacs 29, or the elpa-eglot package).
;;;###autoload
(with-eval-after-load 'eglot
  (defvar eglot-server-programs)
  (add-to-list 'eglot-server-programs '(smdl-mode . ("smc" "lsp"))))

(provide 'smdl-mode)

;;; smdl-mode.el ends here
