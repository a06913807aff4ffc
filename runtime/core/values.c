/*
 * values.c: text forms of the smdl value types (date, time, datetime,
 * decimal, uuid) and UTF-8 checks.
 *
 * Dates use the proleptic Gregorian calendar with astronomical year
 * numbering (year 0 is 1 BC, year -1 is 2 BC), computed with integer
 * arithmetic only (days-from-civil, as published by Howard Hinnant), so
 * no libc time function, time zone or locale is involved.
 *
 * The dates smdl accepts are those of ISO 8601 without expansion:
 * 0001-01-01 to 9999-12-31, and datetimes from the first to the last
 * microsecond of those days in UTC (what every dialect stores, and
 * Python's datetime too).  The parsers accept exactly four year digits
 * and refuse anything outside the range; the formatters write any value,
 * years 0..9999 as four digits, later ones with as many digits as they
 * need, earlier ones as "-" and at least four digits, so that a bad value
 * shows as what it is.
 *
 * Parsers take (s, n), never read past s[n), and accept no leading or
 * trailing whitespace or junk.
 */
#include "internal.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#define US_PER_SEC INT64_C(1000000)
#define US_PER_DAY (INT64_C(86400) * US_PER_SEC)
/* Unix epoch relative to 0000-03-01, the origin of the algorithm. */
#define EPOCH_SHIFT INT64_C(719468)
/* The first and last microseconds accepted: 0001-01-01T00:00:00Z and
 * 9999-12-31T23:59:59.999999Z. */
#define DATETIME_MIN (INT64_C(-719162) * US_PER_DAY)
#define DATETIME_MAX (INT64_C(2932897) * US_PER_DAY - 1)


/* ---- Calendar ------------------------------------------------------------ */

static bool is_leap(int64_t y)
{
    return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

static int days_in_month(int64_t y, int m)
{
    static const unsigned char dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

/* Days from 1970-01-01 to y-m-d; m in 1..12, d in 1..31 (d past the end
 * of the month simply counts on).  Exact for |y| < 2^50. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;                                  /* [0, 399] */
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1; /* [0, 365] */
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;          /* [0, 146096] */
    return era * 146097 + doe - EPOCH_SHIFT;
}

/* The inverse of days_from_civil, for any day count whose year fits. */
static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += EPOCH_SHIFT;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;                                      /* [0, 146096] */
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399] */
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);               /* [0, 365] */
    int64_t mp = (5 * doy + 2) / 153;                                    /* [0, 11] */
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = era * 400 + yoe + (*m <= 2);
}

/* Out-of-range months carry into the year (month 13 is January of the
 * next year, month 0 December of the previous one); days count on from
 * the first of the month (day 0 is the last day of the previous month).
 * A result outside the sm_date range saturates at its ends. */
sm_date sm_date_from_ymd(int year, int month, int day)
{
    int64_t m0 = (int64_t)month - 1;
    int64_t carry = (m0 >= 0 ? m0 : m0 - 11) / 12;
    int64_t y = (int64_t)year + carry;
    int m = (int)(m0 - carry * 12) + 1;
    int64_t days = days_from_civil(y, m, 1) + ((int64_t)day - 1);
    if (days < INT32_MIN)
        return INT32_MIN;
    if (days > INT32_MAX)
        return INT32_MAX;
    return (sm_date)days;
}

void sm_date_to_ymd(sm_date d, int *year, int *month, int *day)
{
    int64_t y;
    int m, dd;
    civil_from_days(d, &y, &m, &dd);
    if (year)
        *year = (int)y; /* |y| < 5.9 million for any int32 day count */
    if (month)
        *month = m;
    if (day)
        *day = dd;
}

/* ---- Formatting helpers -------------------------------------------------- */

/* Writes v in decimal, zero-padded to at least `width` digits. */
static size_t put_uint(char *buf, uint64_t v, int width)
{
    char tmp[24];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n < (size_t)width)
        tmp[n++] = '0';
    for (size_t i = 0; i < n; i++)
        buf[i] = tmp[n - 1 - i];
    return n;
}

static size_t put_ymd(char *buf, int64_t y, int m, int d)
{
    size_t n = 0;
    if (y < 0) {
        buf[n++] = '-';
        n += put_uint(buf + n, (uint64_t)0 - (uint64_t)y, 4);
    } else {
        n += put_uint(buf + n, (uint64_t)y, 4);
    }
    buf[n++] = '-';
    n += put_uint(buf + n, (uint64_t)m, 2);
    buf[n++] = '-';
    n += put_uint(buf + n, (uint64_t)d, 2);
    return n;
}

/* HH:MM:SS.ffffff of us in [0, US_PER_DAY). */
static size_t put_hms(char *buf, int64_t us)
{
    int64_t secs = us / US_PER_SEC;
    size_t n = put_uint(buf, (uint64_t)(secs / 3600), 2);
    buf[n++] = ':';
    n += put_uint(buf + n, (uint64_t)(secs / 60 % 60), 2);
    buf[n++] = ':';
    n += put_uint(buf + n, (uint64_t)(secs % 60), 2);
    buf[n++] = '.';
    n += put_uint(buf + n, (uint64_t)(us % US_PER_SEC), 6);
    return n;
}

size_t sm_date_format(sm_date d, char *buf)
{
    if (!buf)
        return 0;
    int64_t y;
    int m, dd;
    civil_from_days(d, &y, &m, &dd);
    size_t n = put_ymd(buf, y, m, dd);
    buf[n] = 0;
    return n;
}

/* Values outside [0, 24h) are reduced modulo one day, so the output is
 * always a valid time of day. */
size_t sm_time_format(sm_time t, char *buf)
{
    if (!buf)
        return 0;
    int64_t us = t % US_PER_DAY;
    if (us < 0)
        us += US_PER_DAY;
    size_t n = put_hms(buf, us);
    buf[n] = 0;
    return n;
}

size_t sm_datetime_format(sm_datetime v, int style, char *buf)
{
    if (!buf)
        return 0;
    /* Floor division without forming days * US_PER_DAY (INT64_MIN). */
    int64_t days = v / US_PER_DAY, us = v % US_PER_DAY;
    if (us < 0) {
        us += US_PER_DAY;
        days -= 1;
    }
    int64_t y;
    int m, d;
    civil_from_days(days, &y, &m, &d);
    size_t n = put_ymd(buf, y, m, d);
    buf[n++] = style == SM_DT_ISO ? 'T' : ' ';
    n += put_hms(buf + n, us);
    if (style == SM_DT_ISO)
        buf[n++] = 'Z';
    buf[n] = 0;
    return n;
}

/* scale is clamped to [0, 18], the scales smdl allows. */
size_t sm_decimal_format(sm_decimal v, int scale, char *buf)
{
    if (!buf)
        return 0;
    if (scale < 0)
        scale = 0;
    if (scale > 18)
        scale = 18;
    size_t n = 0;
    uint64_t mag = (uint64_t)v;
    if (v < 0) {
        buf[n++] = '-';
        mag = (uint64_t)0 - mag;
    }
    char digits[24];
    size_t nd = put_uint(digits, mag, scale + 1);
    size_t nint = nd - (size_t)scale;
    memcpy(buf + n, digits, nint);
    n += nint;
    if (scale > 0) {
        buf[n++] = '.';
        memcpy(buf + n, digits + nint, (size_t)scale);
        n += (size_t)scale;
    }
    buf[n] = 0;
    return n;
}

size_t sm_uuid_format(const sm_uuid *u, char *buf)
{
    static const char hex[] = "0123456789abcdef";
    if (!buf)
        return 0;
    if (!u) {
        buf[0] = 0;
        return 0;
    }
    size_t n = 0;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            buf[n++] = '-';
        buf[n++] = hex[u->b[i] >> 4];
        buf[n++] = hex[u->b[i] & 15];
    }
    buf[n] = 0;
    return n;
}

/* ---- Parsing helpers --------------------------------------------------------- */

/* A cursor over s[0..n). */
typedef struct scan {
    const char *s;
    size_t n, i;
} scan;

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool take(scan *sc, char c)
{
    if (sc->i < sc->n && sc->s[sc->i] == c) {
        sc->i++;
        return true;
    }
    return false;
}

/* Exactly `w` digits. */
static bool digits(scan *sc, int w, int *out)
{
    if (sc->n - sc->i < (size_t)w)
        return false;
    int v = 0;
    for (int k = 0; k < w; k++) {
        char c = sc->s[sc->i + (size_t)k];
        if (!is_digit(c))
            return false;
        v = v * 10 + (c - '0');
    }
    sc->i += (size_t)w;
    *out = v;
    return true;
}

/* YYYY-MM-DD, a real day of the years 0001 to 9999. */
static bool scan_date(scan *sc, int64_t *days)
{
    int y, m, d;
    if (!digits(sc, 4, &y) || !take(sc, '-') || !digits(sc, 2, &m) || !take(sc, '-') ||
        !digits(sc, 2, &d))
        return false;
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return false;
    *days = days_from_civil(y, m, d);
    return true;
}

/* HH:MM:SS[.f{1,6}] */
static bool scan_time(scan *sc, int64_t *us)
{
    int h, mi, se;
    if (!digits(sc, 2, &h) || !take(sc, ':') || !digits(sc, 2, &mi) || !take(sc, ':') ||
        !digits(sc, 2, &se))
        return false;
    if (h > 23 || mi > 59 || se > 59)
        return false;
    int64_t frac = 0;
    if (take(sc, '.')) {
        int nd = 0;
        while (sc->i < sc->n && is_digit(sc->s[sc->i])) {
            if (nd == 6)
                return false;
            frac = frac * 10 + (sc->s[sc->i] - '0');
            sc->i++;
            nd++;
        }
        if (nd == 0)
            return false;
        for (; nd < 6; nd++)
            frac *= 10;
    }
    *us = ((int64_t)h * 3600 + mi * 60 + se) * US_PER_SEC + frac;
    return true;
}

int sm_date_parse(const char *s, size_t n, sm_date *out)
{
    if (!out || (!s && n))
        return SM_MISUSE;
    if (!s)
        s = "";
    scan sc = {s, n, 0};
    int64_t days;
    if (!scan_date(&sc, &days) || sc.i != n)
        return SM_INVALID;
    *out = (sm_date)days;
    return SM_OK;
}

int sm_time_parse(const char *s, size_t n, sm_time *out)
{
    if (!out || (!s && n))
        return SM_MISUSE;
    if (!s)
        s = "";
    scan sc = {s, n, 0};
    int64_t us;
    if (!scan_time(&sc, &us) || sc.i != n)
        return SM_INVALID;
    *out = us;
    return SM_OK;
}

/* Date, ' ' or 'T', time, then nothing, "Z", or +HH / -HH / +HH:MM /
 * -HH:MM.  The local time minus the offset is UTC, which must fall inside
 * the range as well (an offset can move 0001-01-01 or 9999-12-31 out). */
int sm_datetime_parse(const char *s, size_t n, sm_datetime *out)
{
    if (!out || (!s && n))
        return SM_MISUSE;
    if (!s)
        s = "";
    scan sc = {s, n, 0};
    int64_t days, us, off = 0;
    if (!scan_date(&sc, &days))
        return SM_INVALID;
    if (!take(&sc, ' ') && !take(&sc, 'T'))
        return SM_INVALID;
    if (!scan_time(&sc, &us))
        return SM_INVALID;
    if (!take(&sc, 'Z')) {
        bool neg = take(&sc, '-');
        if (neg || take(&sc, '+')) {
            int oh, om = 0;
            if (!digits(&sc, 2, &oh))
                return SM_INVALID;
            if (take(&sc, ':') && !digits(&sc, 2, &om))
                return SM_INVALID;
            if (oh > 23 || om > 59)
                return SM_INVALID;
            off = ((int64_t)oh * 3600 + om * 60) * US_PER_SEC;
            if (neg)
                off = -off;
        }
    }
    if (sc.i != n)
        return SM_INVALID;
    int64_t v = days * US_PER_DAY + us - off; /* |v| < 2^59: no overflow */
    if (v < DATETIME_MIN || v > DATETIME_MAX)
        return SM_INVALID;
    *out = v;
    return SM_OK;
}

/* [-]digits[.digits]; at most `scale` fraction digits (padded to scale);
 * |value| < 10^precision when 0 < precision <= 18; any int64 otherwise.
 * Leading zeros do not count toward the precision. */
int sm_decimal_parse(const char *s, size_t n, int precision, int scale, sm_decimal *out)
{
    if (!out || (!s && n))
        return SM_MISUSE;
    if (!s || scale < 0 || scale > 18)
        return SM_INVALID;
    size_t i = 0;
    bool neg = false;
    if (i < n && s[i] == '-') {
        neg = true;
        i++;
    }
    const uint64_t limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    uint64_t mag = 0;
    size_t nint = 0;
    for (; i < n && is_digit(s[i]); i++, nint++) {
        unsigned dgt = (unsigned)(s[i] - '0');
        if (mag > (limit - dgt) / 10)
            return SM_INVALID;
        mag = mag * 10 + dgt;
    }
    if (nint == 0)
        return SM_INVALID;
    int nfrac = 0;
    if (i < n && s[i] == '.') {
        i++;
        for (; i < n && is_digit(s[i]); i++, nfrac++) {
            unsigned dgt = (unsigned)(s[i] - '0');
            if (nfrac == scale || mag > (limit - dgt) / 10)
                return SM_INVALID;
            mag = mag * 10 + dgt;
        }
        if (nfrac == 0)
            return SM_INVALID;
    }
    if (i != n)
        return SM_INVALID;
    for (; nfrac < scale; nfrac++) {
        if (mag > limit / 10)
            return SM_INVALID;
        mag *= 10;
    }
    if (precision > 0 && precision <= 18) {
        uint64_t bound = 1;
        for (int k = 0; k < precision; k++)
            bound *= 10;
        if (mag >= bound)
            return SM_INVALID;
    }
    *out = neg ? (sm_decimal)((uint64_t)0 - mag) : (sm_decimal)mag;
    return SM_OK;
}

/* The integer part of d, saturated at the int64 range; 0 for NaN. */
int64_t sm_clamp_double(double d)
{
    if (d != d)
        return 0;
    if (d >= 9223372036854775807.0)
        return INT64_MAX;
    if (d <= -9223372036854775808.0)
        return INT64_MIN;
    return (int64_t)d;
}

/* The value of one hex digit, either case, or -1. */
int sm_hex_value(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int sm_uuid_parse(const char *s, size_t n, sm_uuid *out)
{
    if (!out || (!s && n))
        return SM_MISUSE;
    if (n != 36)
        return SM_INVALID;
    sm_uuid u;
    size_t i = 0;
    for (int k = 0; k < 16; k++) {
        if (k == 4 || k == 6 || k == 8 || k == 10) {
            if (s[i] != '-')
                return SM_INVALID;
            i++;
        }
        int hi = sm_hex_value((unsigned char)s[i]);
        int lo = sm_hex_value((unsigned char)s[i + 1]);
        if (hi < 0 || lo < 0)
            return SM_INVALID;
        u.b[k] = (uint8_t)(hi << 4 | lo);
        i += 2;
    }
    *out = u;
    return SM_OK;
}

/* ---- Clock and randomness ------------------------------------------------------ */

sm_datetime sm_datetime_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * US_PER_SEC + ts.tv_nsec / 1000;
}

/* getrandom may return fewer bytes or EINTR before the pool is ready;
 * anything else is a failure the caller reports. */
int sm_uuid_v4(sm_uuid *out)
{
    if (!out)
        return SM_MISUSE;
    sm_uuid u;
    size_t got = 0;
    while (got < sizeof u.b) {
        ssize_t r = getrandom(u.b + got, sizeof u.b - got, 0);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            return SM_ERROR;
        }
        got += (size_t)r;
    }
    u.b[6] = (uint8_t)((u.b[6] & 0x0f) | 0x40); /* version 4 */
    u.b[8] = (uint8_t)((u.b[8] & 0x3f) | 0x80); /* variant 10 */
    *out = u;
    return SM_OK;
}

/* ---- UTF-8 ------------------------------------------------------------------------ */

/* Rejects overlong forms, surrogates (U+D800..DFFF), code points above
 * U+10FFFF and truncated sequences.  U+0000 is valid UTF-8; callers that
 * need C strings check for it themselves.  ASCII runs are skipped eight
 * bytes at a time. */
bool sm_utf8_valid(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < n) {
        uint64_t w;
        if (n - i >= 8) {
            memcpy(&w, s + i, 8);
            if (!(w & UINT64_C(0x8080808080808080))) {
                i += 8;
                continue;
            }
        } else if (n >= 8) {
            /* The tail as the last 8 bytes, overlapping what was read: i
             * is at a character's start, so if they are ASCII, so is the
             * rest (a short string's last bytes, one at a time, cost more
             * than the whole string's words). */
            memcpy(&w, s + n - 8, 8);
            if (!(w & UINT64_C(0x8080808080808080)))
                return true;
        }
        unsigned c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t len;
        unsigned lo = 0x80, hi = 0xbf; /* allowed range of the second byte */
        if (c >= 0xc2 && c <= 0xdf) {
            len = 2;
        } else if (c >= 0xe0 && c <= 0xef) {
            len = 3;
            if (c == 0xe0)
                lo = 0xa0; /* overlong */
            else if (c == 0xed)
                hi = 0x9f; /* surrogates */
        } else if (c >= 0xf0 && c <= 0xf4) {
            len = 4;
            if (c == 0xf0)
                lo = 0x90; /* overlong */
            else if (c == 0xf4)
                hi = 0x8f; /* above U+10FFFF */
        } else {
            return false; /* continuation byte, C0/C1 overlong, F5..FF */
        }
        if (n - i < len)
            return false;
        if (s[i + 1] < lo || s[i + 1] > hi)
            return false;
        for (size_t k = 2; k < len; k++)
            if ((s[i + k] & 0xc0) != 0x80)
                return false;
        i += len;
    }
    return true;
}

/* Counts lead bytes; meaningful for valid UTF-8 only. */
size_t sm_utf8_count(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        count += (s[i] & 0xc0) != 0x80;
    return count;
}

int sm_list_text(sm_buf *out, char open, char close, int (*put_string)(sm_buf *, const char *),
                 bool ints, const void *items, size_t n)
{
    int rc = sm_buf_putc(out, open);
    for (size_t i = 0; i < n && rc == SM_OK; i++) {
        if (i && (rc = sm_buf_putc(out, ',')) != SM_OK)
            break;
        if (ints)
            rc = sm_buf_printf(out, "%lld", (long long)((const int64_t *)items)[i]);
        else
            rc = put_string(out, ((const char *const *)items)[i]);
    }
    return rc == SM_OK ? sm_buf_putc(out, close) : rc;
}
