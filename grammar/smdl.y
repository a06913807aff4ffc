%name smc_parser
%token_prefix SMC_TK_
file ::= MODULE.
