/*
 * check_nick.c: the @check_fn(check_nick) validator that
 * tests/schemas/alltypes.smdl declares for Account.nick.  A nick may not
 * be a reserved word and may not contain a space; the generated code
 * calls it only after the field's built-in checks passed.
 */
#include <string.h>

const char *check_nick(const char *value);

const char *check_nick(const char *value)
{
    if (strcmp(value, "root") == 0 || strcmp(value, "admin") == 0)
        return "is reserved";
    if (strchr(value, ' '))
        return "must not contain a space";
    return NULL;
}
