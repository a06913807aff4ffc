" Vim filetype plugin for smdl: comments, formatting and :make with smc.
if exists('b:did_ftplugin')
  finish
endif
let b:did_ftplugin = 1

setlocal commentstring=//\ %s
setlocal comments=s1:/*,mb:*,ex:*/,://
setlocal formatoptions-=t formatoptions+=croql
setlocal suffixesadd=.smdl
" [d, [D and :dsearch find declarations.
let &l:define = '^\s*\%(table\|model\|row\|enum\|type\|query\)\s\+'
" The canonical form (smc fmt) indents by four spaces.
if get(g:, 'smdl_recommended_style', 1)
  setlocal expandtab shiftwidth=4 softtabstop=4
endif
compiler smdl

let b:undo_ftplugin = 'setlocal commentstring< comments< formatoptions< suffixesadd< define<'
      \ . ' expandtab< shiftwidth< softtabstop< makeprg< errorformat<'
      \ . ' | unlet! b:current_compiler'
