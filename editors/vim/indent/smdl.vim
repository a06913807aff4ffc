" Vim indent file for smdl.
" One level per open brace, parenthesis or bracket; a line that starts
" with closers goes back one level per closer.  A declaration or member
" that goes on past the end of its line (no ';', '{', '}', ',' or opener
" at the end) continues one level deeper, as `smc fmt` writes it; the
" clauses of a query body (select, from, where, ...) do not.
if exists('b:did_indent')
  finish
endif
let b:did_indent = 1

setlocal indentexpr=SmdlIndent(v:lnum)
setlocal indentkeys=0{,0},0),0],0*,!^F,o,O,e
setlocal autoindent nolisp nosmartindent nocindent
let b:undo_indent = 'setlocal indentexpr< indentkeys< autoindent< lisp< smartindent< cindent<'

if exists('*SmdlIndent')
  finish
endif
let s:cpo_save = &cpo
set cpo&vim

" A clause of a query body; right before a colon the word names a field.
let s:clause = '^\s*\%(select\|from\|where\|left\|join\|group\|having\|order\|limit'
      \ . '\|offset\|for\|insert\|values\|on\|returning\|update\|set\|delete\)\>:\@!'

" The line's code: strings emptied, comments removed (a block comment that
" does not end on the line hides the rest of it).
function! s:Code(line) abort
  if a:line !~# '["/]'
    return a:line
  endif
  let out = ''
  let rest = a:line
  while 1
    let i = match(rest, '"\|//\|/\*')
    if i < 0
      return out . rest
    endif
    let out .= strpart(rest, 0, i)
    let rest = strpart(rest, i)
    if rest[0] ==# '"'
      " An unterminated string runs to the end of the line.
      let e = matchend(rest, '^"\%(\\.\|[^"\\]\)*"')
      let out .= '""'
      if e < 0
        return out
      endif
      let rest = strpart(rest, e)
    elseif rest[1] ==# '/'
      return out
    else
      let e = stridx(rest, '*/', 2)
      if e < 0
        return out
      endif
      let out .= ' '
      let rest = strpart(rest, e + 2)
    endif
  endwhile
endfunction

" Whether line lnum starts inside a comment (needs syntax highlighting).
function! s:StartsInComment(lnum) abort
  let col = match(getline(a:lnum), '\S') + 1
  return col > 0 && synIDattr(synID(a:lnum, col, 0), 'name') =~# '^smdl\%(Comment\|Todo\)$'
endfunction

" The last line before lnum holding code, or 0.
function! s:PrevCode(lnum) abort
  let l = prevnonblank(a:lnum - 1)
  while l > 0 && (s:StartsInComment(l) || s:Code(getline(l)) =~# '^\s*$')
    let l = prevnonblank(l - 1)
  endwhile
  return l
endfunction

function! s:Count(code, chars) abort
  return strlen(substitute(a:code, '[^' . a:chars . ']', '', 'g'))
endfunction

function! s:LeadingClosers(code) abort
  return strlen(matchstr(a:code, '^\s*\zs[])}]\+'))
endfunction

" Whether line lnum continues the declaration or member of the code line
" plnum before it.
function! s:Continues(lnum, plnum) abort
  if a:plnum == 0 || getline(a:lnum) =~# '^\s*[])}{]'
    return 0
  endif
  let p = s:Code(getline(a:plnum))
  if s:Count(p, '[({') > s:Count(p, '])}')
    return 0
  endif
  return p !~# '[;{},([]\s*$' && p !~# s:clause
endfunction

function! SmdlIndent(lnum) abort
  let line = getline(a:lnum)
  " Inside a block comment: stars line up under the opener's, other
  " lines keep their indentation.
  if line !~# '^\s*/[/*]' && s:StartsInComment(a:lnum)
    if line =~# '^\s*\*'
      call cursor(a:lnum, 1)
      let open = searchpos('/\*', 'bnW')
      return open[0] > 0 ? virtcol(open) : -1
    endif
    return -1
  endif
  let sw = shiftwidth()
  let plnum = s:PrevCode(a:lnum)
  if plnum == 0
    return 0
  endif
  let p = s:Code(getline(plnum))
  let ind = indent(plnum)
  if s:Continues(plnum, s:PrevCode(plnum))
    let ind -= sw
  endif
  let ind += sw * (s:Count(p, '[({') - s:Count(p, '])}') + s:LeadingClosers(p))
  let ind -= sw * s:LeadingClosers(s:Code(line))
  if s:Continues(a:lnum, plnum)
    let ind += sw
  endif
  return max([ind, 0])
endfunction

let &cpo = s:cpo_save
unlet s:cpo_save
