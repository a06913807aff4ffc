int smc_lex_placeholder(const char *s);
int smc_lex_placeholder(const char *s) { (void)s; return 0; }
