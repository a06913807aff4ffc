" Vim syntax file for smdl, the schema language of smc.
" The keyword, attribute and type lists mirror `smc debug-words`; the test
" suite fails when they drift apart (tests/editors/words.py).
if exists('b:current_syntax')
  finish
endif
let s:cpo_save = &cpo
set cpo&vim

syn case match

" Keywords.  The declaration keywords name what follows them.
syn keyword smdlKeyword and as asc between by check conflict delete desc distinct do
syn keyword smdlKeyword each exec exists first for from group having in index insert is
syn keyword smdlKeyword join key last left like limit not nothing nulls offset on or order
syn keyword smdlKeyword partial primary returning select set share sql unique update values
syn keyword smdlKeyword where with
syn keyword smdlKeyword import
syn keyword smdlDecl model table row enum type nextgroup=smdlTypeName skipwhite
syn keyword smdlDecl query nextgroup=smdlQueryName skipwhite
syn keyword smdlDecl module nextgroup=smdlModuleName skipwhite
syn keyword smdlBoolean true false
syn keyword smdlNull null

" Built-in types (sort and dir are query parameter types).
syn keyword smdlType bool int i32 i16 float decimal text bytes date time datetime uuid json
syn keyword smdlType sort dir

" A keyword names a field or a parameter too: 'order: int;'.  The match
" starts before the name, so that no keyword starts inside it.
syn match smdlFieldName '\%(^\|[({,;]\)\s*\h\w*:\@='

syn match smdlTypeName '\h\w*' contained
syn match smdlQueryName '\h\w*' contained
syn match smdlModuleName '\h\w*' contained

" Attributes: '@' and a name, one token.  Unknown ones stay plain.
let s:attributes = ['pk', 'auto', 'unique', 'index', 'fk', 'rel', 'column', 'json',
      \ 'max_len', 'min_len', 'gt', 'ge', 'lt', 'le', 'pattern', 'check_fn', 'was',
      \ 'updated_at', 'secret', 'table', 'mixin', 'timeout', 'doc']
execute 'syn match smdlAttribute "@\%(' . join(s:attributes, '\|') . '\)\>"'

" Query parameters: ':name' right after an operator, a bracket or a space
" (a field's 'name: type' has the name before the colon).
syn match smdlParam '\w\@<!:\h\w*'

" Operators; '/' only where it starts no comment.
syn match smdlOperator '->\|[=!<>]=\|[-+*?<>=]'
syn match smdlOperator '/[/*]\@!'

" Numbers: integers, floats (digits on both sides of the point, or an
" exponent) and durations (250ms, 5s, 2m, 1h).  Later rules win.
syn match smdlNumber '\<\d\+\>'
syn match smdlFloat '\<\d\+\.\d\+\%([eE][-+]\=\d\+\)\=\>'
syn match smdlFloat '\<\d\+[eE][-+]\=\d\+\>'
syn match smdlDuration '\<\d\+\%(ms\|s\|m\|h\)\>'

" Strings are one line; any escape but the valid ones is an error.
syn match smdlBadEscape '\\.' contained
syn match smdlEscape '\\[\\"nt]' contained
syn match smdlEscape '\\u{\x\{1,6}}' contained
syn region smdlString start='"' skip='\\\\\|\\"' end='"' end='$' oneline contains=smdlEscape,smdlBadEscape,@Spell

" Comments (block comments do not nest).
syn keyword smdlTodo TODO FIXME XXX NOTE contained
syn match smdlComment '//.*$' contains=smdlTodo,@Spell
syn region smdlComment start='/\*' end='\*/' contains=smdlTodo,@Spell
" Comments are found by looking back at least 50 lines, at most 500.
syn sync ccomment smdlComment minlines=50 maxlines=500

hi def link smdlKeyword Keyword
hi def link smdlDecl Keyword
hi def link smdlBoolean Boolean
hi def link smdlNull Constant
hi def link smdlType Type
hi def link smdlTypeName Type
hi def link smdlQueryName Function
hi def link smdlModuleName Identifier
hi def link smdlAttribute PreProc
hi def link smdlParam Identifier
hi def link smdlOperator Operator
hi def link smdlNumber Number
hi def link smdlFloat Float
hi def link smdlDuration Number
hi def link smdlString String
hi def link smdlEscape SpecialChar
hi def link smdlBadEscape Error
hi def link smdlComment Comment
hi def link smdlTodo Todo

let b:current_syntax = 'smdl'
let &cpo = s:cpo_save
unlet s:cpo_save
