" Vim filetype detection for smdl schemas (.smdl).
autocmd BufNewFile,BufRead *.smdl setfiletype smdl
