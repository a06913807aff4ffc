int smc_ast_placeholder;
