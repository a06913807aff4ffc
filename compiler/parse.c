int smc_parse_placeholder;
