" Runs :make on the current buffer (errors.smdl) with the smdl compiler
" plugin and writes the quickfix list to $SMDL_OUT, one entry a line:
" FILE:LINE:COL:TYPE:VALID:TEXT.
let s:out = ['makeprg ' . &l:makeprg]
silent make!
for s:e in getqflist()
  call add(s:out, printf('%s:%d:%d:%s:%d:%s', bufname(s:e.bufnr), s:e.lnum, s:e.col,
        \ s:e.type, s:e.valid, s:e.text))
endfor
call writefile(s:out, $SMDL_OUT)
qall!
