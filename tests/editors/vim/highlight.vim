" Checks the highlight group (the standard group an smdl group links to)
" at each position of classes.txt in the current buffer (sample.smdl)
" and writes the mismatches to $SMDL_OUT,
" then a last line 'checked N'.
let s:groups = {
      \ 'keyword': 'Keyword', 'boolean': 'Boolean', 'null': 'Constant',
      \ 'type': 'Type', 'type-name': 'Type', 'query-name': 'Function',
      \ 'module-name': 'Identifier', 'attribute': 'PreProc', 'param': 'Identifier',
      \ 'operator': 'Operator', 'number': 'Number', 'float': 'Float',
      \ 'duration': 'Number', 'string': 'String', 'escape': 'SpecialChar',
      \ 'bad-escape': 'Error', 'comment': 'Comment', 'todo': 'Todo', 'plain': ''}
let s:out = []
let s:n = 0
if &filetype !=# 'smdl' || get(b:, 'current_syntax', '') !=# 'smdl'
  call add(s:out, 'filetype ' . &filetype . ', syntax ' . get(b:, 'current_syntax', 'none'))
endif
for s:entry in readfile($SMDL_CLASSES)
  if s:entry =~# '^#' || s:entry =~# '^\s*$'
    continue
  endif
  let [s:l, s:c, s:tok, s:cls] = split(s:entry, ' ')
  let s:lnum = str2nr(s:l)
  let s:col = str2nr(s:c)
  if strpart(getline(s:lnum), s:col - 1, strlen(s:tok)) !=# s:tok
    call add(s:out, s:entry . ': the sample has no such token there')
    continue
  endif
  for s:i in range(strlen(s:tok))
    let s:id = synID(s:lnum, s:col + s:i, 1)
    let s:name = synIDattr(s:id, 'name')
    " The group the smdl group links to (the colour scheme links on).
    let s:group = s:name ==# '' ? '' : matchstr(execute('highlight ' . s:name), 'links to \zs\S\+')
    let s:n += 1
    if s:group !=# s:groups[s:cls] || (s:cls !=# 'plain' && s:name !~# '^smdl')
      call add(s:out, printf('%d:%d %s (%s): %s -> %s, want %s', s:lnum, s:col + s:i,
            \ s:tok, s:cls, s:name, s:group, s:groups[s:cls]))
      break
    endif
  endfor
endfor
call add(s:out, 'checked ' . s:n)
call writefile(s:out, $SMDL_OUT)
qall!
