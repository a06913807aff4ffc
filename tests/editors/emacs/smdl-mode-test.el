;;; smdl-mode-test.el --- Checks smdl-mode in a batch Emacs -*- lexical-binding: t -*-

;;; Commentary:

;; Run by emacs_test.sh after loading smdl-mode.el, with the environment:
;;   SMDL_TESTS  tests/editors (sample.smdl, classes.txt, indent.smdl.*,
;;               errors.smdl, ...)
;;   SMDL_TMP    a scratch directory
;;   SMC         the smc program
;; Prints each failure and exits 1 when there is one.

;;; Code:

(require 'compile)
(require 'smdl-mode)

(defvar smdl-test-failures 0)

(defun smdl-test-fail (fmt &rest args)
  "Report a failure described by FMT and ARGS."
  (setq smdl-test-failures (1+ smdl-test-failures))
  (princ (concat "FAIL: " (apply #'format fmt args) "\n")))

(defconst smdl-test-dir (file-name-as-directory (getenv "SMDL_TESTS")))
(defconst smdl-test-tmp (file-name-as-directory (getenv "SMDL_TMP")))

(defconst smdl-test-faces
  '(("keyword" . font-lock-keyword-face) ("boolean" . font-lock-constant-face)
    ("null" . font-lock-constant-face) ("type" . font-lock-type-face)
    ("type-name" . font-lock-type-face)
    ("query-name" . font-lock-function-name-face)
    ("module-name" . font-lock-constant-face)
    ("attribute" . font-lock-preprocessor-face)
    ("param" . font-lock-variable-name-face) ("operator" . smdl-operator-face)
    ("number" . smdl-number-face) ("float" . smdl-number-face)
    ("duration" . smdl-number-face) ("string" . font-lock-string-face)
    ("escape" . smdl-escape-face) ("bad-escape" . font-lock-warning-face)
    ("comment" . font-lock-comment-face) ("todo" . font-lock-warning-face)
    ("plain" . nil))
  "The face of each class of classes.txt: the first face at the position.")

(defun smdl-test-lines (file)
  "The lines of FILE."
  (with-temp-buffer
    (insert-file-contents file)
    (split-string (buffer-string) "\n" t)))

(defun smdl-test-highlight (sample classes)
  "Check the faces in SAMPLE at the positions of CLASSES."
  (let ((checked 0))
    (with-temp-buffer
      (insert-file-contents (concat smdl-test-dir sample))
      (smdl-mode)
      (font-lock-ensure)
      (dolist (entry (smdl-test-lines (concat smdl-test-dir classes)))
        (unless (string-prefix-p "#" entry)
          (pcase-let* ((`(,l ,c ,tok ,cls) (split-string entry " "))
                       (want (alist-get cls smdl-test-faces nil 'none #'equal)))
            (goto-char (point-min))
            (forward-line (1- (string-to-number l)))
            ;; Columns are bytes; the samples are ASCII.
            (forward-char (1- (string-to-number c)))
            (if (not (looking-at-p (regexp-quote tok)))
                (smdl-test-fail "%s: %s has no such token there" sample entry)
              (catch 'done
                (dotimes (i (length tok))
                  (let* ((face (get-text-property (+ (point) i) 'face))
                         (first (if (consp face) (car face) face)))
                    (setq checked (1+ checked))
                    (unless (eq first want)
                      (smdl-test-fail "%s:%s:%d %s (%s): %S, want %S"
                                      sample l (+ (string-to-number c) i)
                                      tok cls face want)
                      (throw 'done nil))))))))))
    (when (zerop checked)
      (smdl-test-fail "no face checked in %s" sample))))

(defun smdl-test-indent ()
  "Indent indent.smdl.in whole and compare with indent.smdl.expected."
  (let ((want (with-temp-buffer
                (insert-file-contents (concat smdl-test-dir "indent.smdl.expected"))
                (buffer-string))))
    (with-temp-buffer
      (insert-file-contents (concat smdl-test-dir "indent.smdl.in"))
      (smdl-mode)
      (indent-region (point-min) (point-max))
      (unless (equal (buffer-string) want)
        (smdl-test-fail "indent-region gives:\n%s" (buffer-string))))))

(defun smdl-test-typing ()
  "Type a table: RET after `{' goes in a level, `}' comes back out."
  (with-temp-buffer
    (switch-to-buffer (current-buffer))
    (smdl-mode)
    (electric-indent-local-mode 1)
    (insert "module m;\n")
    (execute-kbd-macro (kbd "table SPC T SPC { RET id: SPC int; RET }"))
    (unless (equal (buffer-string) "module m;\ntable T {\n    id: int;\n}")
      (smdl-test-fail "typing gives %S" (buffer-string)))))

(defun smdl-test-compile ()
  "Run `compile' with the mode's command on errors.smdl and follow `next-error'."
  (let* ((dir (file-name-as-directory (concat smdl-test-tmp "compile")))
         (file (concat dir "errors.smdl")))
    (make-directory dir t)
    (copy-file (concat smdl-test-dir "errors.smdl") file t)
    (setenv "PATH" (concat (file-name-directory (getenv "SMC")) path-separator
                           (getenv "PATH")))
    (with-current-buffer (find-file-noselect file)
      (unless (equal compile-command "smc check errors.smdl")
        (smdl-test-fail "compile-command %S" compile-command))
      ;; Only smc's own entry: it must parse the diagnostics alone.
      (let* ((compilation-error-regexp-alist '(smdl))
             (compilation-skip-threshold 0)
             (buf (compile compile-command))
             (proc (get-buffer-process buf))
             (visits nil))
        (while (process-live-p proc)
          (accept-process-output proc 1))
        (with-current-buffer buf
          (font-lock-ensure)
          (compilation--ensure-parse (point-max)))
        (condition-case nil
            (dotimes (_ 20)
              (next-error)
              (push (format "%s:%d:%d" (file-name-nondirectory (buffer-file-name))
                            (line-number-at-pos) (1+ (current-column)))
                    visits))
          (user-error nil))
        (setq visits (nreverse visits))
        ;; next-error steps over a note at the place of its diagnostic.
        (let ((want '("errors.smdl:3:8" "errors.smdl:7:11" "errors.smdl:8:14"
                      "errors.smdl:9:5" "errors.smdl:8:5")))
          (unless (equal visits want)
            (smdl-test-fail "next-error visits %S, want %S" visits want)))
        ;; Each diagnostic line has its type: 2 error, 1 warning, 0 note.
        (let ((types nil))
          (with-current-buffer buf
            (goto-char (point-min))
            (while (not (eobp))
              (let ((msg (get-text-property (point) 'compilation-message)))
                (when msg
                  (push (compilation--message->type msg) types)))
              (forward-line 1)))
          (setq types (nreverse types))
          (unless (equal types '(1 0 2 2 0 2 0))
            (smdl-test-fail "diagnostic types %S" types)))))))

(defun smdl-test-imenu ()
  "The declarations of sample.smdl in `imenu', by kind."
  (require 'imenu)
  (with-temp-buffer
    (insert-file-contents (concat smdl-test-dir "sample.smdl"))
    (smdl-mode)
    (let ((index (mapcar (lambda (kind) (cons (car kind) (mapcar #'car (cdr kind))))
                         (imenu--generic-function imenu-generic-expression)))
          (want '(("Tables" "Hero") ("Models" "Base") ("Types" "short_name")
                  ("Enums" "Power") ("Queries" "heroes" "renamed"))))
      (unless (equal (sort index (lambda (a b) (string< (car a) (car b))))
                     (sort want (lambda (a b) (string< (car a) (car b)))))
        (smdl-test-fail "imenu %S, want %S" index want)))))

(smdl-test-highlight "sample.smdl" "classes.txt")
(smdl-test-imenu)
(smdl-test-highlight "invalid.smdl.in" "invalid-classes.txt")
(with-current-buffer (find-file-noselect (concat smdl-test-dir "sample.smdl"))
  (unless (eq major-mode 'smdl-mode)
    (smdl-test-fail "sample.smdl opens in %s" major-mode))
  (kill-buffer))
(smdl-test-indent)
(smdl-test-typing)
(smdl-test-compile)
(with-temp-buffer
  (smdl-mode)
  (unless (and (equal comment-start "// ") (eq indent-line-function #'smdl-indent-line))
    (smdl-test-fail "comment-start %S, indent-line-function %S"
                    comment-start indent-line-function)))

(if (> smdl-test-failures 0)
    (progn (princ (format "%d failure(s)\n" smdl-test-failures))
           (kill-emacs 1))
  (princ "emacs: all checks passed\n")
  (kill-emacs 0))

;;; smdl-mode-test.el ends here
