/* Start-up reference: link libmariadb, connect, run one statement, exit.
 * Takes "host=... port=... dbname=... user=... password=...". */
#include "mariadb_conn.h"

#include <mysql.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    mariadb_conn c = mariadb_parse_conn(argc > 1 ? argv[1] : "");
    MYSQL *db = mysql_init(NULL);
    if (!db || !mysql_real_connect(db, c.host, c.user, c.password, c.dbname, c.port, NULL, 0)) {
        fprintf(stderr, "cannot connect: %s\n", db ? mysql_error(db) : "out of memory");
        mysql_close(db);
        return 1;
    }
    int ok = mysql_query(db, "SELECT 1") == 0;
    MYSQL_RES *res = ok ? mysql_store_result(db) : NULL;
    mysql_free_result(res);
    mysql_close(db);
    return ok && res ? 0 : 1;
}
