/*
 * dialect.c: which databases raw SQL may be written for, by name.  The
 * checker needs only their names; what differs between them in generated
 * SQL is the emitters' dialect table.  Indexed by sm_dialect.
 */
#include "sema.h"

#include <string.h>

const char *const smc_dialect_names[SM_NDIALECTS] = {
    [SM_SQLITE] = "sqlite",
    [SM_POSTGRES] = "postgres",
    [SM_MYSQL] = "mysql",
};

int smc_dialect_id(const char *name)
{
    static const struct {
        const char *alias;
        sm_dialect id;
    } aliases[] = {{"postgresql", SM_POSTGRES}, {"mariadb", SM_MYSQL}};
    for (int i = 0; i < SM_NDIALECTS; i++)
        if (strcmp(smc_dialect_names[i], name) == 0)
            return i;
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (strcmp(aliases[i].alias, name) == 0)
            return (int)aliases[i].id;
    return -1;
}
