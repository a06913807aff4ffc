int smc_source_placeholder;
