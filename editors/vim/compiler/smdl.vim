" Vim compiler file for smdl: `:make` runs `smc check` on the current file
" and reads its diagnostics into the quickfix list.  g:smdl_smc names the
" smc program when it is not `smc` on $PATH.
if exists('current_compiler')
  finish
endif
let current_compiler = 'smdl'

if exists(':CompilerSet') != 2
  command -nargs=* CompilerSet setlocal <args>
endif
let s:cpo_save = &cpo
set cpo&vim

execute 'CompilerSet makeprg=' . escape(get(g:, 'smdl_smc', 'smc') . ' check %:S', ' \|"')

" file:line:col: error|warning|note: message [code], then the source line
" and a caret line, which are dropped; `smc:` starts diagnostics without a
" place.  Notes are entries of their own (type n), at their own place.
CompilerSet errorformat=%f:%l:%c:\ %trror:\ %m,
      \%f:%l:%c:\ %tarning:\ %m,
      \%f:%l:%c:\ %tote:\ %m,
      \smc:\ %trror:\ %m,
      \smc:\ %m,
      \%-G%.%#

let &cpo = s:cpo_save
unlet s:cpo_save
