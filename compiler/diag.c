int smc_diag_placeholder;
