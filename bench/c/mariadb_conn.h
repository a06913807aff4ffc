/* The MariaDB programs take a libpq-style connection string
 * ("host=... port=... dbname=... user=... password=..."). */
#ifndef SMC_BENCH_MARIADB_CONN_H
#define SMC_BENCH_MARIADB_CONN_H

typedef struct mariadb_conn {
    char host[64], user[64], password[64], dbname[64];
    unsigned port;
} mariadb_conn;

/* Parses "key=value key=value"; dies on an unknown key. */
mariadb_conn mariadb_parse_conn(const char *conn);

#endif
