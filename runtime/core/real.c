/*
 * real.c: the one text form of a double the runtime writes (bound to
 * PostgreSQL, traced, looked for when redacting a secret, in JSON and in
 * validation messages): the shortest of %.15g, %.16g and %.17g that
 * reads back as the same double, with '.' as the radix whatever
 * LC_NUMERIC says.  The binder and the redaction must agree on it: a
 * secret is found in a database's message only in the form it was sent.
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The locale's radix (one or more bytes between the integer digits and
 * the fraction) becomes '.'; %g writes no other locale-dependent byte. */
static size_t dot_radix(char *buf, size_t n)
{
    size_t i = (buf[0] == '-') ? 1 : 0;
    while (i < n && buf[i] >= '0' && buf[i] <= '9')
        i++;
    if (i == n || buf[i] == 'e' || buf[i] == '.' || i == 0 || buf[i - 1] == '-')
        return n; /* no radix, already '.', or inf/nan */
    size_t j = i;
    while (j < n && !(buf[j] >= '0' && buf[j] <= '9'))
        j++;
    buf[i] = '.';
    memmove(buf + i + 1, buf + j, n - j + 1);
    return n - (j - i - 1);
}

size_t sm_real_format(double d, char *buf)
{
    int len = 0;
    /* Written and read back in the same (thread's) locale, so the test
     * holds whatever its radix; then the radix is normalised. */
    for (int prec = 15; prec <= 17; prec++) {
        len = snprintf(buf, SM_REAL_BUFSZ, "%.*g", prec, d);
        if (prec == 17 || strtod(buf, NULL) == d)
            break;
    }
    return len > 0 ? dot_radix(buf, (size_t)len) : 0;
}
