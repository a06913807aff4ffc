#include "mariadb_conn.h"

#include "workload.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

mariadb_conn mariadb_parse_conn(const char *conn)
{
    mariadb_conn p = {"127.0.0.1", "smcbench", "smcbench", "smcbench", 3306};
    char copy[512];
    snprintf(copy, sizeof copy, "%s", conn);
    for (char *save, *tok = strtok_r(copy, " ", &save); tok;
         tok = strtok_r(NULL, " ", &save)) {
        char *eq = strchr(tok, '=');
        if (!eq)
            wl_die("bad connection parameter '%s'", tok);
        *eq = '\0';
        const char *v = eq + 1;
        if (strcmp(tok, "host") == 0) snprintf(p.host, sizeof p.host, "%s", v);
        else if (strcmp(tok, "user") == 0) snprintf(p.user, sizeof p.user, "%s", v);
        else if (strcmp(tok, "password") == 0) snprintf(p.password, sizeof p.password, "%s", v);
        else if (strcmp(tok, "dbname") == 0) snprintf(p.dbname, sizeof p.dbname, "%s", v);
        else if (strcmp(tok, "port") == 0) p.port = (unsigned)atoi(v);
        else wl_die("unknown connection parameter '%s'", tok);
    }
    return p;
}
